#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# rump_cd9660 against fuseiso on the same ISO image (xorriso -as mkisofs
# -R -J of a big file and a real source tree), in one run: a sequential
# read of the big file, find -ls of the tree, and a tar of every file of
# the tree.  Each measure gets a fresh mount of each daemon (the image
# file is in the host's cache for both).  Prints a Markdown section;
# ratios are fuseiso's time over ours, so above 1 means rump_cd9660 is
# faster.
#
# usage: bench_fuse_cd9660 [bindir]   (default: the directory of this script)
# BENCH_FUSE_MB: the big file's size in MiB instead of 256.
set -u
B=${1:-$(dirname "$0")}
say() { echo "$*"; }

say "## FUSE: rump_cd9660 against fuseiso"
say
if ! [ -c /dev/fuse ] || ! command -v fusermount3 >/dev/null ||
    ! command -v fusermount >/dev/null || ! command -v fuseiso >/dev/null ||
    ! command -v xorriso >/dev/null || ! [ -x "$B/rump_cd9660" ]; then
	say "Skipped: needs /dev/fuse, fusermount3 and fusermount, fuseiso,"
	say "xorriso and $B/rump_cd9660."
	exit 0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/bench_fuse_cd9660.XXXXXX")
PID=""
cleanup() {
	grep -q " $T/m " /proc/mounts && fusermount3 -uz "$T/m"
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$T/m" "$T/src"

MB=${BENCH_FUSE_MB:-256}
TREE=""
for d in /usr/include /usr/share/perl /usr/lib/python3 \
    "$(dirname "$0")/../sys"; do
	[ -d "$d" ] && { TREE=$d; break; }
done
head -c $((MB * 1048576)) /dev/urandom >"$T/src/big"
cp -r "$TREE" "$T/src/tree"
NFILES=$(find "$T/src/tree" | wc -l)
xorriso -as mkisofs -quiet -R -J -joliet-long -o "$T/img.iso" "$T/src" \
    >/dev/null 2>&1
rm -rf "$T/src"
IMGMB=$(du -m "$T/img.iso" | cut -f1)

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }'; }

# mountfs PEER: the daemon in the foreground (PID), once the mount is there.
mountfs() {
	case $1 in
	rump) "$B/rump_cd9660" -f "$T/img.iso" "$T/m" 2>"$T/err" & ;;
	fuseiso) fuseiso -n "$T/img.iso" "$T/m" -f >"$T/err" 2>&1 & ;;
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

umountfs() {
	case $1 in
	rump) timeout 600 fusermount3 -u "$T/m" ;;
	fuseiso) timeout 600 fusermount -u "$T/m" ;;
	esac
	timeout 600 sh -c "while kill -0 $PID 2>/dev/null; do sleep 0.02; done"
	wait "$PID" 2>/dev/null
	PID=""
}

# measure PEER COMMAND: seconds, or "-" when the peer cannot do it.
measure() {
	peer=$1
	shift
	if ! mountfs "$peer"; then
		echo "-"
		[ -n "$PID" ] && wait "$PID" 2>/dev/null
		PID=""
		return
	fi
	s=$(now)
	if ! (cd "$T/m" && eval "$*") >/dev/null 2>"$T/cmd.err"; then
		umountfs "$peer"
		echo "-"
		return
	fi
	t=$(elapsed "$s")
	umountfs "$peer"
	echo "$t"
}

row() {
	what=$1
	shift
	a=$(measure rump "$@")
	b=$(measure fuseiso "$@")
	ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {
		if (a == "-" || b == "-" || a <= 0) print "-";
		else printf "%.2f", b / a }')
	say "| $what | $a | $b | $ratio |"
}

say "Image: xorriso -R -J, ${IMGMB} MiB; big file ${MB} MiB; tree: $TREE"
say "(${NFILES} entries).  Seconds, lower is better; ratio = fuseiso /"
say "rump_cd9660 (above 1: rump_cd9660 is faster).  \"-\": the peer could"
say "not do it."
say
say "| measure | rump_cd9660 | fuseiso | ratio |"
say "|---|---|---|---|"
row "read ${MB} MiB, 1 MiB requests" "dd if=big of=/dev/null bs=1M"
row "find -ls of the tree" "find tree -ls"
row "tar cf /dev/null of the tree (reads every file)" \
    "tar cf - tree | cat >/dev/null"
