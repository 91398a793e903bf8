#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# shmif's side of the hypercall wall, beyond tests/build/wallcheck.sh:
# the host-side library exports the component's hypercalls and nothing
# else, and the kernel library calls no other component's.
#
# Usage: t_shmif_wall.sh librumpnet_shmif.so librumpcomp_shmif.so
set -eu
kern=$1
host=$2
status=0
bad=$(nm -D --defined-only "$host" | awk '{ print $3 }' |
    grep -Ev '^(rumpcomp_shmif_[a-z]+|_init|_fini|__bss_start|_edata|_end)$' || true)
if [ -n "$bad" ]; then
	echo "t_shmif_wall: $(basename "$host") exports more than hypercalls:" $bad
	status=1
fi
want="rumpcomp_shmif_close rumpcomp_shmif_open rumpcomp_shmif_wait rumpcomp_shmif_wake"
got=$(nm -D --defined-only "$host" | awk '$3 ~ /^rumpcomp_/ { print $3 }' | sort | tr '\n' ' ')
if [ "$got" != "$want " ]; then
	echo "t_shmif_wall: hypercalls defined: $got, expected: $want"
	status=1
fi
bad=$(nm -D --undefined-only "$kern" | awk '{ print $2 }' |
    grep '^rumpcomp_' | grep -v '^rumpcomp_shmif_' || true)
if [ -n "$bad" ]; then
	echo "t_shmif_wall: $(basename "$kern") calls another component's hypercalls:" $bad
	status=1
fi
used=$(nm -D --undefined-only "$kern" | awk '{ print $2 }' | grep -c '^rumpcomp_shmif_' || true)
[ "$used" -eq 4 ] || { echo "t_shmif_wall: $used hypercalls used, expected 4"; status=1; }
[ $status -eq 0 ] && echo "shmif: 4 hypercalls, host side exports only them"
exit $status
