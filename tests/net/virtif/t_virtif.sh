#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# virtif against the Linux kernel's own TCP/IP, a referee nobody here
# wrote: a network namespace made here, a tap in it with 10.99.0.1/24 on
# Linux's side, our kernel on the tap as 10.99.0.2 (h_virtif does the
# traffic).  The tap is captured; every frame our kernel sent must
# decode in tshark with good IPv4, TCP, UDP and ICMP checksums and
# nothing malformed.
# Nothing leaves the namespace, which goes at the end.
#
# Usage: t_virtif.sh H_VIRTIF
set -u
h=$1
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root for a network namespace"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
command -v ip >/dev/null || skip "no ip(8)"
ns=rumpvt$$
tmp=$(mktemp -d)
cleanup() {
	[ -n "${dump:-}" ] && kill "$dump" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns" || skip "cannot make a network namespace"
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add dev rvt0 mode tap || { echo "FAIL: tuntap"; exit 1; }
ip -n "$ns" addr add 10.99.0.1/24 dev rvt0
ip -n "$ns" link set rvt0 up
ip -n "$ns" tuntap add dev rvt1 mode tap multi_queue || { echo "FAIL: tuntap mq"; exit 1; }
ip -n "$ns" addr add 10.97.0.1/24 dev rvt1
ip -n "$ns" link set rvt1 up

if command -v tcpdump >/dev/null && command -v tshark >/dev/null; then
	ip netns exec "$ns" tcpdump -Z root -U -n -i rvt0 -w "$tmp/cap.pcap" \
	    2>"$tmp/tcpdump.txt" &
	dump=$!
	# Until tcpdump listens: it says so on stderr.
	for i in $(seq 50); do
		grep -q listening "$tmp/tcpdump.txt" && break
		sleep 0.1
	done
fi

timeout 120 ip netns exec "$ns" "$h" rvt0 rvt1
st=$?
[ $st = 0 ] || { echo "FAIL: h_virtif exit $st"; exit 1; }

if [ -n "${dump:-}" ]; then
	sleep 0.5
	kill -INT "$dump"
	wait "$dump"
	dump=
	# The test's ports carry raw bytes: no dissector may guess at them.
	opts="-n -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
	    -o udp.check_checksum:TRUE -d tcp.port==7000,data \
	    -d tcp.port==7002,data -d udp.port==7001,data"
	# Frames Linux sent are captured before its checksum offload fills
	# them in: only ours are judged.
	ours=$(tshark $opts -r "$tmp/cap.pcap" -Y "ip.src == 10.99.0.2" |
	    wc -l)
	bad=$(tshark $opts -r "$tmp/cap.pcap" -Y "(ip.src == 10.99.0.2 ||
	    arp.src.proto_ipv4 == 10.99.0.2) && (_ws.malformed ||
	    _ws.expert.severity == error || ip.checksum.status == 0 ||
	    tcp.checksum.status == 0 || udp.checksum.status == 0 ||
	    icmp.checksum.status == 0)")
	[ "$ours" -gt 1000 ] ||
	    { echo "FAIL: only $ours frames of ours captured"; exit 1; }
	if [ -n "$bad" ]; then
		echo "FAIL: tshark finds fault with our frames:"
		echo "$bad" | head -20
		exit 1
	fi
	arp=$(tshark -n -r "$tmp/cap.pcap" -Y "arp.src.proto_ipv4 == 10.99.0.2" |
	    wc -l)
	[ "$arp" -ge 1 ] || { echo "FAIL: no ARP from our kernel"; exit 1; }
	echo "tshark: $ours IPv4 frames and $arp ARP frames of ours, all well-formed"
fi
echo "ok: t_virtif"
