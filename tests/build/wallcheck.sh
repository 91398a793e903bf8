#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# The hypercall wall.  Every kernel library may leave undefined only
#   rumpuser_*               hypercalls,
#   rumpcomp_NAME_*          its own component's hypercalls, where the
#                            library is librump..._NAME (librumpnet_shmif:
#                            rumpcomp_shmif_*), and
#   rumpns_*, rump_*         kernel names or API another kernel library defines
# (plus the sanitizer runtime's __asan_*, __ubsan_* in a sanitizer build).
# And it may export only the client API (rump_*, RUMP_VOP_*, ukfs_*) and
# rumpns_*.
#
# Usage: wallcheck.sh LIBRARY.so...
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/defined"
for so in "$@"; do
	nm -D --defined-only "$so" | awk '{ print $3 }' >> "$tmp/defined"
done
sort -u -o "$tmp/defined" "$tmp/defined"
status=0
for so in "$@"; do
	lib=$(basename "$so")
	nm -D --undefined-only "$so" | awk '{ print $2 }' | sed 's/@.*//' |
	    sort -u > "$tmp/undef"
	own=${lib%%.so*}
	own=${own##*_}
	bad=$(grep -Ev "^(rumpuser_|rumpcomp_${own}_|rumpns_|rump_|ukfs_|__asan_|__ubsan_|__sanitizer_)" \
	    "$tmp/undef" || true)
	if [ -n "$bad" ]; then
		echo "wallcheck: $lib calls the host directly:" $bad
		status=1
	fi
	# A kernel library may also call another's client API (rump_*).
	bad=$(grep -E '^(rump_|ukfs_)' "$tmp/undef" | comm -23 - "$tmp/defined")
	if [ -n "$bad" ]; then
		echo "wallcheck: $lib calls the host directly:" $bad
		status=1
	fi
	missing=$(grep '^rumpns_' "$tmp/undef" | comm -23 - "$tmp/defined")
	if [ -n "$missing" ]; then
		echo "wallcheck: $lib needs kernel names no kernel library defines:" $missing
		status=1
	fi
	exported=$(nm -D --defined-only "$so" | awk '{ print $3 }' |
	    grep -Ev '^(rump_|RUMP_VOP_|rumpns_|ukfs_|__odr_asan[.]|_init$|_fini$|__bss_start$|_edata$|_end$)' || true)
	if [ -n "$exported" ]; then
		echo "wallcheck: $lib exports names outside the API:" $exported
		status=1
	fi
	n=$(grep -c '^rumpuser_' "$tmp/undef" || true)
	echo "$lib: $n hypercalls used, wall intact" | { [ $status -eq 0 ] && cat || true; }
done
exit $status
