#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Layers call down only: every kernel name a library uses must come from
# the libraries below it, as DESIGN.md draws them.  The device layer
# (librumpdev) sits on the core alone, below the VFS; the VFS on the
# core.  A name taken from a library above fails the test.
#
# Usage: t_layers.sh LIBDIR
set -eu
lib=$1
status=0
# below LIBRARY LOWER...: LIBRARY's rumpns_ names all defined in LOWER.
below() {
	l=$1
	shift
	for d in "$@"; do
		nm -D --defined-only "$lib/lib$d.so" | awk '{ print $3 }'
	done | sort -u > defined.txt
	nm -D --undefined-only "$lib/lib$l.so" | awk '{ print $2 }' |
	    grep '^rumpns_' | sort -u | comm -23 - defined.txt > above.txt
	if [ -s above.txt ]; then
		echo "t_layers: lib$l uses names from above its layers ($*):" \
		    $(cat above.txt)
		status=1
	else
		echo "lib$l: only from $*"
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
below rump rump
below rumpdev rump
below rumpvfs rump
exit $status
