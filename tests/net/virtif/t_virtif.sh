#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# virtif against the Linux kernel's own TCP/IP, a referee nobody here
# wrote: a network namespace made here, a tap in it with 10.99.0.1/24 on
# Linux's side, our kernel on the tap as 10.99.0.2 (h_virtif does the
# traffic).  The tap is captured; every frame our kernel sent must
# decode in tshark with good IPv4, TCP, UDP and ICMP checksums, nothing
# may be malformed and nothing retransmitted beyond the timers' few
# (capture.sh).
# Nothing leaves the namespace, which goes at the end.
#
# Usage: t_virtif.sh H_VIRTIF
set -u
h=$1
. "$(dirname "$0")/tapns.sh"
tapns_begin rumpvt 10.99.0.1/24
ip -n "$ns" tuntap add dev rvt1 mode tap multi_queue || fail "tuntap mq"
ip -n "$ns" addr add 10.97.0.1/24 dev rvt1
ip -n "$ns" link set rvt1 up

cap_start "$ns" rvt0 "$tmp/cap.pcap"

timeout 120 ip netns exec "$ns" "$h" rvt0 rvt1
st=$?
[ $st = 0 ] || fail "h_virtif exit $st"

cap_stop
if [ -n "$cap_ok" ]; then
	# The test's ports carry raw bytes: no dissector may guess at them.
	cap_check "ip.src == 10.99.0.2 || arp.src.proto_ipv4 == 10.99.0.2" 0 \
	    -d tcp.port==7000,data -d tcp.port==7002,data -d udp.port==7001,data
	[ "$cap_n" -gt 1000 ] ||
	    fail "only $cap_n frames of ours captured"
	arp=$(tshark -n -r "$tmp/cap.pcap" -Y "arp.src.proto_ipv4 == 10.99.0.2" |
	    wc -l)
	[ "$arp" -ge 1 ] || fail "no ARP from our kernel"
fi
echo "ok: t_virtif"
