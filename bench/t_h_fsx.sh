#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# The benchmarks' exercisers check what they read: h_fsx passes a short
# run in a host temp dir, and fails, naming the wrong byte, when
# FSX_CORRUPT changes a byte of the file behind its model; h_fsstress
# passes a short run of 4 processes.
# usage: t_h_fsx.sh BINDIR
set -u
B=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/t_h_fsx.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "t_h_fsx: $*" >&2; exit 1; }

"$B/h_fsx" -n 3000 -s 7 "$T/f" >"$T/out" 2>"$T/err" ||
    fail "clean run failed: $(cat "$T/err")"
grep -q '^fsx: 3000 ops in ' "$T/out" || fail "no figure: $(cat "$T/out")"
"$B/h_fsx" -m -n 3000 -s 8 "$T/f" >/dev/null 2>"$T/err" ||
    fail "run without mmap failed: $(cat "$T/err")"
# Seed 7: the byte changed after op 200, 500 or 1000 is read back by a
# later read before anything overwrites it; after op 2999, by the final
# read of the whole file.
for at in 200 500 1000 2999; do
	FSX_CORRUPT=$at "$B/h_fsx" -n 3000 -s 7 "$T/f" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || fail "corrupted at op $at: exit $rc, expected 1"
	grep -q "^h_fsx: op $at: changed the byte at offset" "$T/err" ||
	    fail "corrupted at op $at: no corruption made: $(cat "$T/err")"
	grep -Eq ': (read|mapped read|final read) at [0-9]+: wrong byte at offset' \
	    "$T/err" ||
	    fail "corrupted at op $at: not detected: $(cat "$T/err")"
	[ -s "$T/out" ] && fail "corrupted at op $at: a figure was printed"
done
"$B/h_fsx" -n 10 2>/dev/null && fail "h_fsx without FILE succeeded"
mkdir "$T/d"
"$B/h_fsstress" -p 4 -n 500 -s 3 "$T/d" >"$T/out" 2>"$T/err" ||
    fail "h_fsstress failed: $(cat "$T/err")"
grep -q '^fsstress: 4 x 500 ops in ' "$T/out" ||
    fail "h_fsstress: no figure: $(cat "$T/out")"
[ -d "$T/d/p3" ] || fail "h_fsstress: no directory of process 3"
exit 0
