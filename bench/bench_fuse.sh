#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# rump_ext2fs against fuse2fs (e2fsprogs), on copies of the same ext2
# image, and then of the same ext4 image (mke2fs -t ext4's defaults, its
# journal written by both), in one run: sequential read and write of a large file (1 GiB, or
# less when the temporary directory is short of space), an untar of a
# real source tree, and reading that tree back (find with stat, tar of
# every file).  Each peer gets a fresh mount per measure (an empty page
# cache on the FUSE side; the image file is in the host's cache for both),
# and a measure that writes includes the unmount, which is when both write
# everything back.  As root, the host kernel's ext2 (ext4) on a loop
# device is a third peer, and the goals of issues 11 and 15 are printed
# as met or MISSED.  Prints a Markdown section; ratios are the peer's time
# over ours, so above 1 means rump_ext2fs is faster.
#
# usage: bench_fuse [bindir]     (default: the directory of this script)
# BENCH_FUSE_MB: the big file's size in MiB instead of 1024.
# The bulk-data table also measures the host kernel (loop mount) as root;
# BENCH_FUSE_BULK=1: that table (and fsx, fsstress) only.
# fsx and fsstress (bench/h_fsx.c, h_fsstress.c) against the host kernel:
# BENCH_FSX_OPS (default 100000) and BENCH_FSSTRESS_OPS (per process,
# default 10000) reduce them; BENCH_FUSE_FSX=1: that table only.
set -u
B=$(cd "${1:-$(dirname "$0")}" && pwd)
say() { echo "$*"; }

say "## FUSE: rump_ext2fs against fuse2fs"
say
if ! [ -c /dev/fuse ] || ! command -v fusermount3 >/dev/null ||
    ! command -v fuse2fs >/dev/null || ! [ -x "$B/rump_ext2fs" ]; then
	say "Skipped: needs /dev/fuse, fusermount3, fuse2fs (package fuse2fs)"
	say "and $B/rump_ext2fs."
	exit 0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/bench_fuse.XXXXXX")
PID=""
cleanup() {
	# A kernel mount (made in a command substitution's subshell).
	if [ "$(id -u)" = 0 ] && grep -q " $T/m ext" /proc/mounts; then
		umount -l "$T/m"
	fi
	[ "$(id -u)" = 0 ] && losetup -j "$T/run.img" 2>/dev/null |
	    cut -d: -f1 | while read -r l; do losetup -d "$l"; done
	grep -q " $T/m " /proc/mounts && fusermount3 -uz "$T/m"
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$T/m" "$T/src"

# Size of the big file: 1 GiB when there is room for it three times over.
avail=$(df -Pk "$T" | awk 'NR == 2 { print int($4 / 1024) }')
MB=${BENCH_FUSE_MB:-1024}
while [ "$MB" -gt 64 ] && [ $((MB * 4 + 512)) -gt "$avail" ]; do
	MB=$((MB / 2))
done

# The tree: the largest of a few real source trees on this machine.
TREE=""
for d in /usr/include /usr/share/perl /usr/lib/python3 \
    "$(dirname "$0")/../sys"; do
	[ -d "$d" ] && { TREE=$d; break; }
done
tar cf "$T/tree.tar" -C "$(dirname "$TREE")" "$(basename "$TREE")" \
    2>/dev/null
TREEMB=$(du -m "$T/tree.tar" | cut -f1)
NFILES=$(tar tf "$T/tree.tar" | wc -l)

now() { date +%s.%N; }
# elapsed START: seconds since START
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }'; }

# mount PEER IMAGE [ro]: start the daemon in the foreground (PID).
mountfs() {
	case $1 in
	rump) "$B/rump_ext2fs" -f ${3:+-o ro} "$2" "$T/m" 2>"$T/err" & ;;
	fuse2fs) fuse2fs -f ${3:+-o ro} "$2" "$T/m" >"$T/err" 2>&1 & ;;
	esac
	PID=$!
	i=0
	until grep -q " $T/m " /proc/mounts; do
		kill -0 "$PID" 2>/dev/null || return 1
		i=$((i + 1))
		[ $i -gt 3000 ] && return 1
		sleep 0.02
	done
}

# Unmount and wait for the daemon to have written everything back.
umountfs() {
	timeout 600 fusermount3 -u "$T/m"
	timeout 600 sh -c "while kill -0 $PID 2>/dev/null; do sleep 0.02; done"
	wait "$PID" 2>/dev/null
	PID=""
}

# The image: ext2 (what both write) with the big file and the tree, for
# the reads; an empty one for the writes.
head -c $((MB * 1048576)) /dev/urandom >"$T/src/big"
mkdir "$T/src/tree"
tar xf "$T/tree.tar" -C "$T/src/tree"
IMGMB=$((MB + TREEMB * 3 + 256))
mke2fs -q -F -t ext2 -d "$T/src" "$T/full.img" "${IMGMB}M" >/dev/null 2>&1
mke2fs -q -F -t ext2 "$T/empty.img" "${IMGMB}M" >/dev/null 2>&1
mke2fs -q -F -t ext4 -d "$T/src" "$T/full4.img" "${IMGMB}M" >/dev/null 2>&1
mke2fs -q -F -t ext4 "$T/empty4.img" "${IMGMB}M" >/dev/null 2>&1
rm -rf "$T/src"

# kmountfs IMAGE [ro] [TYPE]: the host kernel's file system (ext2 unless
# TYPE) on a loop device of its own (LOOP), as root; fails otherwise.
kmountfs() {
	[ "$(id -u)" = 0 ] && command -v losetup >/dev/null || return 1
	LOOP=$(losetup --find --show ${2:+--read-only} "$1" 2>/dev/null) ||
	    return 1
	if ! mount -t "${3:-ext2}" ${2:+-o ro} "$LOOP" "$T/m" 2>/dev/null; then
		losetup -d "$LOOP"
		return 1
	fi
}

kumountfs() {
	umount "$T/m"
	losetup -d "$LOOP"
}

# measure NAME PEER IMAGE RO COMMAND: seconds, or "-" when the peer
# cannot do it (a refused mount, a failed command).
measure() {
	name=$1 peer=$2 img=$3 ro=$4
	shift 4
	cp --sparse=always "$img" "$T/run.img"
	case $peer in
	kernel*)
		kmountfs "$T/run.img" "$ro" "${peer#kernel}" ||
		    { echo "-"; return; } ;;
	*)
		if ! mountfs "$peer" "$T/run.img" $ro; then
			echo "-"
			[ -n "$PID" ] && wait "$PID" 2>/dev/null
			PID=""
			return
		fi ;;
	esac
	s=$(now)
	if ! (cd "$T/m" && eval "$*") >/dev/null 2>"$T/cmd.err"; then
		case $peer in kernel*) kumountfs ;; *) umountfs ;; esac
		echo "-"
		return
	fi
	case $peer in kernel*) kumountfs ;; *) umountfs ;; esac
	elapsed "$s"
}

# row WHAT KTYPE FGOAL KGOAL IMAGE RO COMMAND: rump_ext2fs, fuse2fs and
# the host kernel's KTYPE on a loop device; FGOAL and KGOAL, when not
# empty, are the least fuse2fs / rump_ext2fs and kernel / rump_ext2fs
# ratios that meet the goals.
row() {
	what=$1 ktype=$2 fgoal=$3 kgoal=$4
	shift 4
	a=$(measure "$what" rump "$@")
	b=$(measure "$what" fuse2fs "$@")
	k=$(measure "$what" "kernel$ktype" "$@")
	say "| $what | $a | $b | $k | $(awk -v a="$a" -v b="$b" -v k="$k" \
	    -v fg="$fgoal" -v kg="$kgoal" '
	    function v(who, r, g) {
		if (g == "")
			return ""
		return sprintf("%s%s >= %s: %s", n++ ? "; " : "", who, g,
		    r == "-" ? "not measured" : r + 0 >= g + 0 ? "met" : "MISSED")
	    }
	    BEGIN {
		r = (a == "-" || b == "-" || a <= 0) ? "-" : sprintf("%.2f", b / a)
		q = (a == "-" || k == "-" || a <= 0) ? "-" : sprintf("%.2f", k / a)
		w = v("fuse2fs", r, fg) v("kernel", q, kg)
		printf "%s | %s | %s", r, q, w == "" ? "no goal" : w }') |"
}

say "Images: ext2 and ext4, ${IMGMB} MiB; big file ${MB} MiB; tree: $TREE"
say "(${TREEMB} MiB, ${NFILES} entries).  Seconds, lower is better;"
say "ratio = fuse2fs / rump_ext2fs (above 1: rump_ext2fs is faster)."
say "\"-\": the peer could not do it."
say
if [ -z "${BENCH_FUSE_BULK:-}${BENCH_FUSE_FSX:-}" ]; then
say "The kernel column: the host kernel's ext2 (ext4 rows: ext4) on a loop"
say "device, as root (\"-\" when not root or no loop device); its unmount"
say "writes everything back as the daemons' do."
say "Goals: untar within 2x the host kernel (issue 11: kernel / rump >= 0.5);"
say "ext4 ahead of fuse2fs on every row (issue 15: fuse2fs / rump >= 1)."
say
say "| measure | rump_ext2fs | fuse2fs | kernel (loop) | fuse2fs / rump | kernel / rump | goal |"
say "|---|---|---|---|---|---|---|"
row "read ${MB} MiB, 1 MiB requests" "" "" "" "$T/full.img" ro \
    "dd if=big of=/dev/null bs=1M"
row "find -ls of the tree" "" "" "" "$T/full.img" ro "find tree -ls"
row "tar cf /dev/null of the tree (reads every file)" "" "" "" \
    "$T/full.img" ro "tar cf - tree | cat >/dev/null"
row "write ${MB} MiB, 1 MiB requests, + unmount" "" "" "" "$T/empty.img" \
    "" "dd if=/dev/zero of=big bs=1M count=$MB"
row "untar the tree, + unmount" "" "" 0.5 "$T/empty.img" "" \
    "tar xf $T/tree.tar"
row "ext4: find -ls of the tree" ext4 1 "" "$T/full4.img" ro \
    "find tree -ls"
row "ext4: write ${MB} MiB, 1 MiB requests, + unmount" ext4 1 "" \
    "$T/empty4.img" "" "dd if=/dev/zero of=big bs=1M count=$MB"
row "ext4: untar the tree, + unmount" ext4 1 "" "$T/empty4.img" "" \
    "tar xf $T/tree.tar"
fi

# The bulk-data goal (issue 11: at least 1.5x fuse2fs and 80% of the host
# kernel): write with fsync and cold read of the big file on the ext2
# images, with the host kernel's ext2 on a loop device of its own as a
# third peer (root only), and CPU seconds: the reader's or writer's (dd)
# plus the daemon's (from /proc at the end of the command; the host
# kernel's own threads are not counted, so its figure is low).
# bulk PEER IMAGE RO COMMAND: "seconds cpu-seconds", or "- -".
bulk() {
	peer=$1 img=$2 ro=$3
	shift 3
	cp --sparse=always "$img" "$T/run.img"
	case $peer in
	kernel) kmountfs "$T/run.img" $ro || { echo "- -"; return; } ;;
	*) mountfs "$peer" "$T/run.img" $ro || { echo "- -"; PID=""; return; } ;;
	esac
	s=$(now)
	if ! (cd "$T/m" && /usr/bin/time -f "%U %S" -o "$T/time" sh -c "$*") \
	    >/dev/null 2>"$T/cmd.err"; then
		e="-"
	else
		e=$(elapsed "$s")
	fi
	d=0
	[ -n "$PID" ] && d=$(awk -v hz="$(getconf CLK_TCK)" \
	    '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$PID/stat")
	if [ "$peer" = kernel ]; then
		kumountfs
	else
		umountfs
	fi
	[ "$e" = - ] && { echo "- -"; return; }
	awk -v e="$e" -v d="$d" '{ printf "%s %.2f\n", e, $1 + $2 + d }' \
	    "$T/time"
}

if [ -z "${BENCH_FUSE_FSX:-}" ] && command -v /usr/bin/time >/dev/null; then
	say
	say "Bulk data (ext2 image, ${MB} MiB): seconds and CPU seconds"
	say "(dd + daemon); ratios of times, above 1: rump_ext2fs is faster."
	say "Goals: fuse2fs / rump >= 1.5, kernel / rump >= 0.8."
	say
	say "| measure | rump_ext2fs | CPU | fuse2fs | CPU | kernel (loop) | CPU | fuse2fs / rump | kernel / rump | goals |"
	say "|---|---|---|---|---|---|---|---|---|---|"
	for what in write read; do
		case $what in
		write) img=$T/empty.img ro=""
			cmd="dd if=/dev/zero of=big bs=1M count=$MB conv=fsync"
			label="write ${MB} MiB + fsync" ;;
		read) img=$T/full.img ro=ro
			cmd="dd if=big of=/dev/null bs=1M"
			label="cold read ${MB} MiB" ;;
		esac
		set -- $(bulk rump "$img" "$ro" "$cmd") \
		    $(bulk fuse2fs "$img" "$ro" "$cmd") \
		    $(bulk kernel "$img" "$ro" "$cmd")
		say "| $label | $1 | $2 | $3 | $4 | $5 | $6 | $(awk -v a="$1" \
		    -v b="$3" -v k="$5" 'function v(r, g) {
			if (r == "-")
				return "not measured"
			return r + 0 >= g ? "met" : "MISSED" }
		    BEGIN { if (a == "-" || a <= 0) {
			print "- | - | not measured"; exit }
		    rb = b == "-" ? "-" : sprintf("%.2f", b / a)
		    rk = k == "-" ? "-" : sprintf("%.2f", k / a)
		    printf "%s | %s | fuse2fs >= 1.5: %s; kernel >= 0.8: %s\n",
			rb, rk, v(rb, 1.5), v(rk, 0.8) }') |"
	done
fi

# fsx and fsstress (issue 11: at least 0.6 and 0.5 of the host kernel's
# operations per second): our own exercisers, the same seed on both
# sides, each on a fresh copy of the empty ext2 image; the kernel is
# ext2 on a loop device (root only).  A helper that finds wrong data or
# an unexpected error fails this benchmark.
FSX_OPS=${BENCH_FSX_OPS:-100000}
FSS_OPS=${BENCH_FSSTRESS_OPS:-10000}
WLFAIL=""
# workload PEER COMMAND...: the helper's operations per second, or "-"
# when the peer cannot mount, or "failed" (its error is kept).
workload() {
	peer=$1
	shift
	cp --sparse=always "$T/empty.img" "$T/run.img"
	case $peer in
	kernel) kmountfs "$T/run.img" || { echo "-"; return; } ;;
	*) mountfs "$peer" "$T/run.img" || { echo "-"; PID=""; return; } ;;
	esac
	if out=$(cd "$T/m" && mkdir w && timeout 300 "$@" "$T/m/$WLARG" \
	    2>"$T/wl.err"); then
		r=$(echo "$out" | awk '{ print $(NF - 1) }')
	else
		r=failed
		echo "$peer: $*: $(head -3 "$T/wl.err")" >>"$T/wl.fail"
	fi
	case $peer in kernel) kumountfs ;; *) umountfs ;; esac
	echo "$r"
}

if [ -x "$B/h_fsx" ] && [ -x "$B/h_fsstress" ]; then
	say
	say "fsx and fsstress through FUSE (ext2, fresh image), operations per"
	say "second, higher is better: \`h_fsx -n $FSX_OPS\` (reads, writes,"
	say "truncations, mapped reads and writes of one file, every byte checked"
	say "against a model) and \`h_fsstress -p 4 -n $FSS_OPS\` (4 processes,"
	say "random namespace and data operations), seed 1 on both sides; the"
	say "kernel is its ext2 on a loop device (root only)."
	say "Goals (issue 11): fsx >= 0.6, fsstress >= 0.5 of the kernel's."
	say
	say "| workload | rump_ext2fs | kernel (loop) | rump / kernel | goal |"
	say "|---|---|---|---|---|"
	for w in fsx fsstress; do
		case $w in
		fsx) WLARG=w/file goal=0.6
			set -- "$B/h_fsx" -n "$FSX_OPS" -s 1
			label="fsx, $FSX_OPS ops" ;;
		fsstress) WLARG=w goal=0.5
			set -- "$B/h_fsstress" -p 4 -n "$FSS_OPS" -s 1
			label="fsstress, 4 x $FSS_OPS ops" ;;
		esac
		a=$(workload rump "$@")
		k=$(workload kernel "$@")
		say "| $label | $a | $k | $(awk -v a="$a" -v k="$k" -v g="$goal" \
		    'BEGIN { if (a !~ /^[0-9.]+$/ || k !~ /^[0-9.]+$/ || k <= 0) {
			printf "- | >= %s: not measured\n", g; exit }
		    r = a / k
		    v = r >= g ? "met" : "MISSED"
		    printf "%.2f | >= %s: %s\n", r, g, v }') |"
	done
	if [ -s "$T/wl.fail" ]; then
		say
		say "**Failed (wrong data or an unexpected error):**"
		sed 's/^/    /' "$T/wl.fail"
		WLFAIL=1
	fi
else
	say
	say "fsx and fsstress: skipped ($B/h_fsx and h_fsstress not built)."
fi
[ -z "$WLFAIL" ]
