#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# An unmodified tar(1) extracting a real source tree into an FFS image
# through librumphijack_local.so (the kernel in tar's own process), side
# by side with the same tar into a FUSE mount of the same empty image
# served by rump_ffs, and into a host directory for scale.  Each measure
# starts from a fresh copy of the empty image and includes the unmount
# (the hijacked tar unmounts at exit; fusermount3 -u and the daemon's
# end for FUSE), best of three.  Nothing is synced to the disk: the
# image files and the host directory end in the host's page cache.  Prints a Markdown section; the ratio is
# FUSE's time over the hijack's, so above 1 means the hijack is faster.
#
# usage: bench_hijack [bindir]   (default: the directory of this script)
set -u
B=${1:-$(dirname "$0")}
LIB=$B/../lib/librumphijack_local.so
say() { echo "$*"; }

say "## librumphijack: tar x into FFS, hijacked against FUSE"
say
if ! command -v makefs >/dev/null || ! [ -f "$LIB" ]; then
	say "Skipped: needs makefs and $LIB."
	exit 0
fi
fuse=yes
if ! [ -c /dev/fuse ] || ! command -v fusermount3 >/dev/null ||
    ! [ -x "$B/rump_ffs" ]; then
	fuse=no
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/bench_hijack.XXXXXX")
PID=""
cleanup() {
	grep -q " $T/m " /proc/mounts && fusermount3 -uz "$T/m"
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$T/m" "$T/empty"

TREE=""
for d in /usr/include /usr/share/perl /usr/lib/python3; do
	[ -d "$d" ] && { TREE=$d; break; }
done
tar cf "$T/tree.tar" -C "$(dirname "$TREE")" "$(basename "$TREE")" \
    2>/dev/null
TREEMB=$(du -m "$T/tree.tar" | cut -f1)
NFILES=$(tar tf "$T/tree.tar" | wc -l)
makefs -t ffs -o density=4096 -s $((TREEMB * 3 + 64))m "$T/empty.img" \
    "$T/empty" >/dev/null

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }'; }

# run PEER: one measure in seconds, "-" on failure.
run() {
	cp "$T/empty.img" "$T/run.img"
	rm -rf "$T/host"
	mkdir "$T/host"
	sync
	case $1 in
	hijack)
		s=$(now)
		RUMPHIJACK="path=/rump,image=$T/run.img" LD_PRELOAD="$LIB" \
		    tar xf "$T/tree.tar" -C /rump 2>"$T/err" ||
			{ echo "-"; return; }
		elapsed "$s"
		;;
	fuse)
		"$B/rump_ffs" -f "$T/run.img" "$T/m" 2>"$T/err" &
		PID=$!
		i=0
		until grep -q " $T/m " /proc/mounts; do
			kill -0 "$PID" 2>/dev/null || { echo "-"; return; }
			i=$((i + 1))
			[ $i -gt 3000 ] && { echo "-"; return; }
			sleep 0.02
		done
		s=$(now)
		tar xf "$T/tree.tar" -C "$T/m" 2>"$T/err" ||
			{ echo "-"; return; }
		timeout 600 fusermount3 -u "$T/m"
		wait "$PID" 2>/dev/null
		PID=""
		elapsed "$s"
		;;
	host)
		s=$(now)
		tar xf "$T/tree.tar" -C "$T/host" || { echo "-"; return; }
		elapsed "$s"
		;;
	esac
}

# best PEER: the least of three.
best() {
	b=""
	for i in 1 2 3; do
		t=$(run "$1")
		[ "$t" = "-" ] && { echo "-"; return; }
		b=$(awk -v a="$b" -v t="$t" \
		    'BEGIN { print (a == "" || t < a) ? t : a }')
	done
	echo "$b"
}

hj=$(best hijack)
hs=$(best host)
if [ $fuse = yes ]; then
	fu=$(best fuse)
else
	fu="-"
fi
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b == 0) print "-";
		else printf "%.2f", a / b }'
}
say "tar x of $TREE ($NFILES entries, $TREEMB MiB), best of 3, seconds,"
say "unmount included:"
say
say "| tar x into | seconds | FUSE / this |"
say "|---|---|---|"
say "| FFS image, librumphijack_local.so | $hj | $(ratio "$fu" "$hj") |"
say "| FFS image, rump_ffs over FUSE | $fu | 1.00 |"
say "| host directory, no sync | $hs | $(ratio "$fu" "$hs") |"
[ $fuse = yes ] || say "
FUSE skipped: needs /dev/fuse, fusermount3 and $B/rump_ffs."
exit 0
