#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# POSIX through the FUSE daemons, as pjdfstest and fsstress see it (issue
# 11, items 5 to 7): on rump_tmpfs, rump_ext2fs and rump_ffs, each
# mounted -o allow_other,default_permissions, h_fuse checks paths deeper
# than PATH_MAX and 4095-byte relative paths, fstat of an open unlinked
# file, and that another user's write clears SUID and SGID; then several
# host processes write, rename, link, truncate and delete at once, the
# daemon is unmounted, and the image must pass e2fsck -fn or fsck_ffs -n.
#
# usage: t_fuse_posix.sh bindir
# Exit 77 (skipped) when FUSE cannot be used here or not as root (the
# killpriv check needs a second user).
set -u
B=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/t_fuse_posix.XXXXXX")
chmod 755 "$T"
PID=""
NPROC=${NPROC:-4}
NOPS=${NOPS:-3000}

cleanup() {
	grep -q " $T/m " /proc/mounts && fusermount3 -uz "$T/m" 2>/dev/null
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "== $*"; }
t() { timeout 600 "$@"; }

[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v fusermount3 >/dev/null || skip "no fusermount3 (package fuse3)"
[ "$(id -u)" = 0 ] || skip "not root: a second user is needed"
mkdir "$T/m"

# mount daemon [image [options]]: serve in the foreground, in the
# background.
mountfs() {
	env --default-signal=INT "$B/$1" -f \
	    -o allow_other,default_permissions${3:+,$3} \
	    ${2:+"$2"} "$T/m" 2>"$T/daemon.err" &
	PID=$!
	i=0
	until grep -q " $T/m " /proc/mounts; do
		kill -0 "$PID" 2>/dev/null ||
		    fail "$1 did not start: $(cat "$T/daemon.err")"
		i=$((i + 1))
		[ $i -gt 3000 ] && fail "$1 did not mount"
		sleep 0.02
	done
}

# Unmount and wait for the daemon to write everything back and exit 0.
umountfs() {
	t fusermount3 -u "$T/m" || fail "fusermount3 -u"
	t sh -c "while kill -0 $PID 2>/dev/null; do sleep 0.05; done"
	wait "$PID"
	rc=$?
	PID=""
	[ "$rc" = 0 ] || fail "daemon exit status $rc: $(cat "$T/daemon.err")"
}

run() {
	mkdir "$T/m/$1" || fail "mkdir $1"
	chmod 1777 "$T/m/$1"
	t "$B/h_fuse" "$@" || fail "h_fuse $1 on $fs"
}

# Without the writeback cache the host leaves clearing the bits to the
# daemon's writes (FUSE_CAP_HANDLE_KILLPRIV).
note "rump_tmpfs -o nowriteback: killpriv, unlinked files"
mountfs rump_tmpfs "" nowriteback
run killpriv "$T/m/killpriv"
run unlinked "$T/m/unlinked"
umountfs

for fs in tmpfs ext2fs ffs; do
	img=""
	case $fs in
	ext2fs) img=$T/img.ext2
		t mke2fs -q -F -t ext2 "$img" 256M >/dev/null || fail mke2fs ;;
	ffs) img=$T/img.ffs
		t "$B/newfs" -s 256m "$img" >/dev/null || fail newfs ;;
	esac
	note "rump_$fs: deep paths, unlinked files, killpriv"
	mountfs "rump_$fs" "$img"
	run deep "$T/m/deep"
	run unlinked "$T/m/unlinked"
	run killpriv "$T/m/killpriv"
	note "rump_$fs: $NPROC processes, $NOPS operations each"
	run stress "$T/m/stress" "$NPROC" "$NOPS"
	t rm -rf "$T/m/stress" "$T/m/deep" || fail "rm -rf on $fs"
	umountfs
	case $fs in
	ext2fs) t e2fsck -fn "$img" >"$T/fsck.out" 2>&1 ||
		    fail "e2fsck: $(tail -n 8 "$T/fsck.out")" ;;
	ffs) t "$B/fsck_ffs" -n "$img" >"$T/fsck.out" 2>&1 ||
		    fail "fsck_ffs: $(tail -n 8 "$T/fsck.out")" ;;
	esac
done
echo PASS
