#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# One case of h_hijack_mixed under a hijack library.
# usage: run_mixed.sh LIB PROGRAM CASE [RUMP_SERVER_BINARY]
# With a rump_server binary the case runs against a kernel it serves
# (with local-domain sockets) on a socket in a temporary directory;
# without, LIB boots its own.  HIJACK_PRELOAD_FIRST as t_hijack_progs.sh.
set -u
LIB=$1
PROG=$2
CASE=$3
SERVER=${4:-}
export RUMPHIJACK=path=/rump,socket=local
PRE="${HIJACK_PRELOAD_FIRST:+$HIJACK_PRELOAD_FIRST }$LIB"
if [ -z "$SERVER" ]; then
	exec env LD_PRELOAD="$PRE" "$PROG" "$CASE"
fi
W=$(mktemp -d /tmp/run_mixed.XXXXXX)
export RUMP_SERVER="unix://$W/sock"
# The components' directory named: under AddressSanitizer, dlopen's
# caller is the sanitizer's runtime, which has no run path.
LD_LIBRARY_PATH="$(dirname "$SERVER")/../lib" \
    "$SERVER" -s -lrumpnet -lrumpnet_local "$RUMP_SERVER" &
spid=$!
trap 'kill -9 $spid 2>/dev/null; rm -rf "$W"' EXIT
i=0
while [ ! -S "$W/sock" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$W/sock" ] || { echo "FAIL: rump_server did not start"; exit 1; }
env LD_PRELOAD="$PRE" "$PROG" "$CASE" served
