#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# rump_msdos against fusefat, on copies of the same FAT32 image (made
# by mkfs.fat, filled by mcopy), in one run: sequential read of a large
# file, find -ls and tar of a real source tree, and writing: a large
# file and an untar of that tree, each including the unmount.  Each
# peer gets a fresh mount per measure.  Prints a Markdown section;
# ratios are fusefat's time over ours (above 1: rump_msdos is faster).
#
# usage: bench_fuse_msdos [bindir]  (default: the directory of this script)
# BENCH_FUSE_MB: the big file's size in MiB instead of 256.
set -u
B=${1:-$(dirname "$0")}
say() { echo "$*"; }

say "## FUSE: rump_msdos against fusefat"
say
if ! [ -c /dev/fuse ] || ! command -v fusermount3 >/dev/null ||
    ! command -v fusefat >/dev/null || ! command -v fusermount >/dev/null ||
    ! command -v mcopy >/dev/null || ! [ -x "$B/rump_msdos" ]; then
	say "Skipped: needs /dev/fuse, fusermount3, fusefat and fusermount"
	say "(packages fusefat, fuse), mtools and $B/rump_msdos."
	exit 0
fi
export MTOOLS_SKIP_CHECK=1

T=$(mktemp -d "${TMPDIR:-/tmp}/bench_fuse_msdos.XXXXXX")
PID=""
PEER=""
cleanup() {
	grep -q " $T/m " /proc/mounts && { fusermount3 -uz "$T/m" ||
	    fusermount -uz "$T/m"; } 2>/dev/null
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$T/m" "$T/src"
MB=${BENCH_FUSE_MB:-256}

# The tree: this project's kernel sources (a real tree without the
# symbolic links FAT cannot hold), from the source tree or a build in it.
TREE=""
for d in "$(dirname "$0")/../../sys" "$(dirname "$0")/../sys"; do
	[ -d "$d/rump/librump" ] && { TREE=$(cd "$d" && pwd); break; }
done
if [ -z "$TREE" ]; then
	say "Skipped: the project's sys/ tree is not found from $0."
	exit 0
fi
tar cf "$T/tree.tar" -C "$(dirname "$TREE")" "$(basename "$TREE")" \
    2>/dev/null
NFILES=$(tar tf "$T/tree.tar" | wc -l)

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }'; }

# mountfs PEER IMAGE [ro]: start the daemon in the foreground (PID).
mountfs() {
	PEER=$1
	case $1 in
	rump) "$B/rump_msdos" -f ${3:+-o ro} "$2" "$T/m" 2>"$T/err" & ;;
	# fusefat wants ro, or rw+ (its writing mode, "experimental").
	fusefat) fusefat -f -o "${3:-rw+}" "$2" "$T/m" >"$T/err" 2>&1 & ;;
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
	if [ "$PEER" = rump ]; then
		timeout 600 fusermount3 -u "$T/m"
	else
		timeout 600 fusermount -u "$T/m"
	fi
	timeout 600 sh -c "while kill -0 $PID 2>/dev/null; do sleep 0.02; done"
	wait "$PID" 2>/dev/null
	PID=""
}

# The images: FAT32 with the big file and the tree, and an empty one.
IMGKB=$(( (MB * 3 + 512) * 1024 ))
head -c $((MB * 1048576)) /dev/urandom >"$T/src/big"
mkdir "$T/src/tree"
tar xf "$T/tree.tar" -C "$T/src/tree"
mkfs.fat -C -F 32 "$T/full.img" $IMGKB >/dev/null
mkfs.fat -C -F 32 "$T/empty.img" $IMGKB >/dev/null
mcopy -s -i "$T/full.img" "$T/src/big" "$T/src/tree" ::/ || exit 1
rm -rf "$T/src"

measure() {
	peer=$1 img=$2 ro=$3
	shift 3
	cp --sparse=always "$img" "$T/run.img"
	if ! mountfs "$peer" "$T/run.img" $ro; then
		echo "-"
		[ -n "$PID" ] && wait "$PID" 2>/dev/null
		PID=""
		return
	fi
	s=$(now)
	if ! (cd "$T/m" && eval "$*") >/dev/null 2>"$T/cmd.err"; then
		umountfs
		echo "-"
		return
	fi
	umountfs
	elapsed "$s"
}

row() {
	what=$1
	shift
	a=$(measure rump "$@")
	b=$(measure fusefat "$@")
	ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {
		if (a == "-" || b == "-" || a <= 0) print "-";
		else printf "%.2f", b / a }')
	say "| $what | $a | $b | $ratio |"
}

say "Image: FAT32 (mkfs.fat), big file ${MB} MiB; tree: $TREE"
say "(${NFILES} entries).  Seconds, lower is better; ratio = fusefat /"
say "rump_msdos (above 1: rump_msdos is faster).  \"-\": it failed."
say
say "| measure | rump_msdos | fusefat | ratio |"
say "|---|---|---|---|"
row "read ${MB} MiB, 1 MiB requests" "$T/full.img" ro \
    "dd if=big of=/dev/null bs=1M"
row "find -ls of the tree" "$T/full.img" ro "find tree -ls"
row "tar cf /dev/null of the tree (reads every file)" "$T/full.img" ro \
    "tar cf - tree | cat >/dev/null"
row "write ${MB} MiB, 1 MiB requests, + unmount" "$T/empty.img" "" \
    "dd if=/dev/zero of=big bs=1M count=$MB"
row "untar the tree, + unmount" "$T/empty.img" "" \
    "tar xf $T/tree.tar --no-same-owner --no-same-permissions -m"
