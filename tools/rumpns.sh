#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Link a kernel component's objects into one relocatable object and move
# every global kernel name into the rumpns_ namespace, so that a client's
# own mutex_enter or memcpy can never meet the kernel's.  Names that stay:
# the client API (rump_*, RUMP_VOP_*, ukfs_*), the hypercalls (rumpuser_*,
# rumpcomp_*) and the toolchain's reserved names (__*,
# _GLOBAL_OFFSET_TABLE_).
#
# Usage: rumpns.sh OUT.o OBJ...
set -eu
out=$1
shift
: "${LD:=ld}" "${NM:=nm}" "${OBJCOPY:=objcopy}"
tmp="$out.$$"
trap 'rm -f "$tmp.o" "$tmp.syms"' EXIT
"$LD" -r -o "$tmp.o" "$@"
"$NM" -P "$tmp.o" | awk '
	$2 !~ /^[A-Zvw]$/ { next }
	$1 ~ /^(rump_|RUMP_VOP_|rumpuser_|rumpcomp_|ukfs_|__|_GLOBAL_OFFSET_TABLE_$|_DYNAMIC$)/ { next }
	!seen[$1]++ { print $1 " rumpns_" $1 }
' > "$tmp.syms"
"$OBJCOPY" --redefine-syms="$tmp.syms" "$tmp.o" "$tmp.ns.o"
mv -f "$tmp.ns.o" "$out"
