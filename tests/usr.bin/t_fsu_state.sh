#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# What the fsu_* tools leave on an image: a command that fails before
# it writes, and every read-only command, leave it byte for byte as it
# was (ext2 made by mke2fs -d, FFS by makefs); a writing tool killed by
# SIGINT, SIGTERM or SIGHUP while it waits for input unmounts first: it
# dies of the signal (exit 128 + signo) with what it wrote on the image
# and the image clean (dumpe2fs's state, e2fsck -fn; fsck_ffs -n and the
# superblock's clean flag).  An ignored SIGHUP (nohup) stays ignored.
#
# Usage: t_fsu_state.sh BINDIR [CASE...]
. "$(dirname "$0")/h_fsu.sh"

# expect STATUS STDERR-TEXT COMMAND...: run (output to out.txt), compare
# the status and standard error.
expect() {
	want_st=$1 want_err=$2
	shift 2
	"$@" >out.txt 2>err.txt
	st=$?
	[ "$st" = "$want_st" ] || fail "$*: exit $st, expected $want_st"
	[ "$(cat err.txt)" = "$want_err" ] ||
	    fail "$*: stderr '$(cat err.txt)', expected '$want_err'"
}

# poke IMG OFFSET BYTES: write the bytes (printf escapes) at OFFSET.
poke() {
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# The byte offset of an FFS image's superblock (fsck_ffs -d says).
ffs_sbloc() {
	"$bin/fsck_ffs" -dn "$1" 2>&1 |
	    sed -n 's/.*superblock at \([0-9]*\):.*/\1/p'
}

# The images are made, then their last-written times set to 1 (ext2's
# s_wtime, FFS's fs_time and fs_old_time, little-endian as makefs
# writes here): any later write of a superblock shows.
setup() {
	rm -rf tree
	mkdir -p tree/sub/deeper tree/empty
	printf 'hello\n' > tree/a.txt
	printf 'deep\n' > tree/sub/b
	printf 'deeper\n' > tree/sub/deeper/c
	ln -s a.txt tree/link
	mke2fs -q -F -t ext2 -b 1024 -d tree ext2.img 8M >/dev/null 2>&1 ||
	    { echo "t_fsu_state: mke2fs failed"; exit 1; }
	poke ext2.img $((1024 + 48)) '\1\0\0\0'
	if have makefs; then
		makefs -t ffs -s 8m ffs.img tree >/dev/null 2>&1 ||
		    { echo "t_fsu_state: makefs failed"; exit 1; }
		loc=$(ffs_sbloc ffs.img)
		[ -n "$loc" ] || { echo "t_fsu_state: no superblock"; exit 1; }
		poke ffs.img $((loc + 32)) '\1\0\0\0'
		poke ffs.img $((loc + 1072)) '\1\0\0\0\0\0\0\0'
		"$bin/fsck_ffs" -n ffs.img >/dev/null 2>&1 ||
		    { echo "t_fsu_state: ffs.img not clean"; exit 1; }
	fi
	e2fsck -fn ext2.img >/dev/null 2>&1 ||
	    { echo "t_fsu_state: ext2.img not clean"; exit 1; }
}

images() {
	echo ext2.img
	[ -f ffs.img ] && echo ffs.img
}

# unchanged IMG SUM WHAT: the image's md5 must still be SUM.
unchanged() {
	[ "$(md5sum < "$1")" = "$2" ] || fail "$1: changed by $3"
}

# Commands that fail before they change anything: exact messages, and
# the image as it was.
case_failing_writes() {
	for img in $(images); do
		sum=$(md5sum < "$img")
		expect 1 "fsu_mkdir: cannot create directory '/sub': File exists" \
		    "$bin/fsu_mkdir" "$img" /sub
		unchanged "$img" "$sum" "fsu_mkdir of an existing directory"
		expect 1 "fsu_rm: cannot remove '/nope': No such file or directory" \
		    "$bin/fsu_rm" "$img" /nope
		unchanged "$img" "$sum" "fsu_rm of a missing file"
		expect 1 "fsu_rmdir: failed to remove '/sub': Directory not empty" \
		    "$bin/fsu_rmdir" "$img" /sub
		unchanged "$img" "$sum" "fsu_rmdir of a non-empty directory"
		expect 1 "fsu_mv: cannot stat '/nope': No such file or directory" \
		    "$bin/fsu_mv" "$img" /nope /x
		unchanged "$img" "$sum" "fsu_mv of a missing source"
	done
}

# Every read-only command: the image as it was.
case_readers() {
	for img in $(images); do
		sum=$(md5sum < "$img")
		expect 0 "" "$bin/fsu_ls" -lR "$img" /
		grep -q '^/sub/deeper:$' out.txt || fail "$img: fsu_ls -lR"
		unchanged "$img" "$sum" "fsu_ls -lR"
		expect 0 "" "$bin/fsu_cat" "$img" /sub/deeper/c
		[ "$(cat out.txt)" = deeper ] || fail "$img: fsu_cat"
		unchanged "$img" "$sum" "fsu_cat"
		expect 0 "" "$bin/fsu_stat" "$img" /a.txt
		grep -q '^  Size: 6 ' out.txt || fail "$img: fsu_stat"
		unchanged "$img" "$sum" "fsu_stat"
		expect 0 "" "$bin/fsu_find" "$img" /sub
		[ "$(cat out.txt)" = "$(printf '/sub\n/sub/b\n/sub/deeper\n/sub/deeper/c')" ] ||
		    fail "$img: fsu_find: $(cat out.txt)"
		unchanged "$img" "$sum" "fsu_find"
		expect 0 "" "$bin/fsu_du" -s "$img" /sub
		unchanged "$img" "$sum" "fsu_du"
		expect 0 "" "$bin/fsu_df" "$img"
		unchanged "$img" "$sum" "fsu_df"
		expect 0 "" "$bin/fsu_diff" -p "$img" /sub tree/sub
		unchanged "$img" "$sum" "fsu_diff"
	done
}

# The superblock's clean flag of an FFS image.
ffs_clean_flag() {
	loc=$(ffs_sbloc "$1")
	[ -n "$loc" ] || { echo "?"; return; }
	od -An -tu1 -j $((loc + 209)) -N 1 "$1" | tr -d ' '
}

# The image must be clean: e2fsck -fn and dumpe2fs's state, or fsck_ffs
# -n and the flag.
check_clean() {
	case $1 in
	*ext2*)
		e2fsck -fn "$1" >fsck.txt 2>&1 ||
		    { fail "e2fsck $1"; cat fsck.txt; }
		state=$(dumpe2fs -h "$1" 2>/dev/null |
		    sed -n 's/^Filesystem state: *//p')
		[ "$state" = clean ] || fail "$1: state '$state'" ;;
	*)
		"$bin/fsck_ffs" -n "$1" >fsck.txt 2>&1 ||
		    { fail "fsck_ffs $1"; cat fsck.txt; }
		[ "$(ffs_clean_flag "$1")" = 1 ] ||
		    fail "$1: clean flag $(ffs_clean_flag "$1")" ;;
	esac
}

# Wait (at most 10 s) until process $1 is blocked reading its standard
# input, having done everything before that read.
wait_reading() {
	n=0
	while [ $n -lt 200 ]; do
		case $(cat "/proc/$1/syscall" 2>/dev/null) in
		"0 0x0 "*) return 0 ;;
		esac
		sleep 0.05
		n=$((n + 1))
	done
	return 1
}

# fsu_write IMG /f from a FIFO that stays open, started with SIGHUP as
# HUP says (default or ignore); "hello" is read and written before it
# waits for more.  Sets pid.
start_writer() {
	rm -f fifo
	mkfifo fifo
	exec 3<>fifo
	printf 'hello\n' >&3
	env --"$2"-signal=HUP "$bin/fsu_write" "$1" /f <fifo 3>&- 2>err.txt &
	pid=$!
	if ! wait_reading $pid; then
		fail "$1: fsu_write never waited for input"
		kill -KILL $pid
		wait $pid
		exec 3>&-
		return 1
	fi
	return 0
}

# Killed while waiting for input: it unmounts, then dies of the signal.
case_signals() {
	[ -r /proc/self/syscall ] || { skip "no /proc/PID/syscall"; return; }
	for img in $(images); do
		for sig in INT:130 TERM:143 HUP:129; do
			w=sig-$img
			cp "$img" "$w"
			start_writer "$w" default || continue
			kill -"${sig%:*}" $pid
			wait $pid
			st=$?
			exec 3>&-
			[ $st = "${sig#*:}" ] ||
			    fail "$w: fsu_write after SIG${sig%:*}: exit $st, $(cat err.txt)"
			check_clean "$w"
			expect 0 "" "$bin/fsu_cat" "$w" /f
			[ "$(cat out.txt)" = hello ] ||
			    fail "$w: /f is '$(cat out.txt)' after SIG${sig%:*}"
		done
	done
}

# Under nohup a hangup does not stop it: it reads on to the end.
case_nohup() {
	[ -r /proc/self/syscall ] || { skip "no /proc/PID/syscall"; return; }
	for img in $(images); do
		w=nohup-$img
		cp "$img" "$w"
		start_writer "$w" ignore || continue
		kill -HUP $pid
		printf 'world\n' >&3
		exec 3>&-
		n=0
		while kill -0 $pid 2>/dev/null && [ $n -lt 200 ]; do
			sleep 0.05
			n=$((n + 1))
		done
		kill -0 $pid 2>/dev/null &&
		    { fail "$w: fsu_write did not end"; kill -KILL $pid; }
		wait $pid
		st=$?
		[ $st = 0 ] || fail "$w: fsu_write under nohup: exit $st"
		check_clean "$w"
		expect 0 "" "$bin/fsu_cat" "$w" /f
		[ "$(cat out.txt)" = "$(printf 'hello\nworld')" ] ||
		    fail "$w: /f is '$(cat out.txt)'"
	done
}

cases="failing_writes readers signals nohup"
[ $# -gt 0 ] && cases=$*
run_cases t_fsu_state $cases
