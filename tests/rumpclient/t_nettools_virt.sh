#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# A virt interface made from a client: rump_server runs in a network
# namespace this test makes (with a tap, rvt0, at 10.99.5.1/24), and
# rump.ifconfig creates virt0 with the tap's name as its link string
# (SIOCIFCREATE, SIOCSLINKSTR); then Linux's ping reaches the served
# kernel and rump.ping reaches Linux, and destroy removes it.  Skipped
# without root, /dev/net/tun or ip(8) (tapns.sh).
# usage: t_nettools_virt.sh BINDIR SRCDIR
set -u
BIN=$1
. "$2/../net/virtif/tapns.sh"
tapns_begin rsv 10.99.5.1/24
command -v ping >/dev/null || skip "no ping(8) (iputils-ping)"

export RUMP_SERVER="unix://$tmp/sock"
# The components' directory named: under AddressSanitizer, dlopen's
# caller is the sanitizer's runtime (no run path).
LD_LIBRARY_PATH="$BIN/../lib" ip netns exec "$ns" "$BIN/rump_server" -s \
    -lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_virtif \
    "$RUMP_SERVER" &
srv=$!
i=0
while [ ! -S "$tmp/sock" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$tmp/sock" ] || fail "rump_server did not start"
IFC=$BIN/rump.ifconfig

"$IFC" virt0 create linkstr rvt0 10.99.5.2/24 up ||
	fail "ifconfig virt0 create linkstr rvt0"
"$IFC" virt0 >"$tmp/ifc" 2>&1 || fail "ifconfig virt0"
grep -qx '	linkstr: rvt0' "$tmp/ifc" || { cat "$tmp/ifc"; fail "linkstr"; }
grep -qx '	inet 10.99.5.2 netmask 255.255.255.0 (/24)' "$tmp/ifc" ||
	{ cat "$tmp/ifc"; fail "inet"; }
"$IFC" virt0 linkstr rvt0 >"$tmp/out" 2>&1 && fail "linkstr twice"
grep -qx 'rump.ifconfig: linkstr virt0: Device or resource busy' \
    "$tmp/out" || { cat "$tmp/out"; fail "linkstr twice: message"; }
ip netns exec "$ns" ping -c 3 -i 0.2 -W 2 10.99.5.2 >"$tmp/ping" 2>&1 ||
	{ cat "$tmp/ping"; fail "Linux's ping of the served kernel"; }
"$BIN/rump.ping" -c 3 -i 0.1 10.99.5.1 >"$tmp/rping" 2>&1 ||
	{ cat "$tmp/rping"; fail "rump.ping of Linux"; }
grep -qx '3 packets transmitted, 3 packets received, 0.0% packet loss' \
    "$tmp/rping" || { cat "$tmp/rping"; fail "rump.ping: 3 of 3"; }
"$IFC" virt0 destroy || fail "ifconfig virt0 destroy"
"$IFC" virt0 >"$tmp/out" 2>&1 && fail "virt0 after destroy"
grep -qx 'rump.ifconfig: virt0: no such interface' "$tmp/out" ||
	fail "virt0 after destroy: message"
# The tap is free again: a new virt1 takes it.
"$IFC" virt1 create linkstr rvt0 || fail "virt1 on the freed tap"
"$BIN/rump.halt" || fail "rump.halt"
wait "$srv"
st=$?
srv=
[ $st -eq 0 ] || fail "rump_server exit status $st"
echo PASS
