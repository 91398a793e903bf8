#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# IPv6 against the Linux kernel's own stack over a tap in a network
# namespace made here: Linux has 2001:db8:77::1/64 on the tap and
# dnsmasq (router advertisements only) advertises the prefix; our
# kernel takes an address by SLAAC, and h_virtif6 does pings both ways
# and UDP both ways.  The tap is captured: every IPv6 frame our kernel
# sent must decode in tshark with good checksums and nothing malformed.
#
# Usage: t_virtif6.sh H_VIRTIF6
set -u
h=$1
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root for a network namespace"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
command -v ip >/dev/null || skip "no ip(8)"
command -v dnsmasq >/dev/null || skip "no dnsmasq"
command -v ping >/dev/null || skip "no ping"
ns=rumpv6$$
tmp=$(mktemp -d)
cleanup() {
	[ -n "${dns:-}" ] && kill "$dns" 2>/dev/null
	[ -n "${dump:-}" ] && kill "$dump" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns" || skip "cannot make a network namespace"
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add dev rvt0 mode tap || fail "tuntap"
ip -n "$ns" addr add 2001:db8:77::1/64 dev rvt0 nodad
ip -n "$ns" link set rvt0 up
if command -v tcpdump >/dev/null && command -v tshark >/dev/null; then
	ip netns exec "$ns" tcpdump -Z root -U -n -i rvt0 -w "$tmp/cap.pcap" \
	    2>"$tmp/tcpdump.txt" &
	dump=$!
	for i in $(seq 50); do
		grep -q listening "$tmp/tcpdump.txt" && break
		sleep 0.1
	done
fi
ip netns exec "$ns" dnsmasq --no-daemon --conf-file=/dev/null --port=0 \
    --interface=rvt0 --bind-interfaces --enable-ra \
    --dhcp-range=::,constructor:rvt0,ra-only,64,1h \
    --log-facility=- > "$tmp/dnsmasq.log" 2>&1 &
dns=$!
sleep 0.3
timeout 90 ip netns exec "$ns" "$h" rvt0 || {
	cat "$tmp/dnsmasq.log"; fail "h_virtif6"; }
if [ -n "${dump:-}" ]; then
	sleep 0.5
	kill -INT "$dump"
	wait "$dump"
	dump=
	opts="-n -o udp.check_checksum:TRUE -d udp.port==7001,data \
	    -d udp.port==7003,data"
	# Linux's frames leave before its offloads fill checksums in: only
	# ours (not from the tap's MAC) are judged.
	lmac=$(ip -n "$ns" -br link show rvt0 | awk '{print $3}')
	ours=$(tshark $opts -r "$tmp/cap.pcap" \
	    -Y "ipv6 && eth.src != $lmac" 2>/dev/null | wc -l)
	bad=$(tshark $opts -r "$tmp/cap.pcap" -Y "ipv6 && eth.src != $lmac && \
	    (_ws.malformed || _ws.expert.severity == error || \
	    udp.checksum.status == 0 || icmpv6.checksum.status == 0)" 2>&1)
	[ "$ours" -gt 10 ] || fail "only $ours IPv6 frames of ours captured"
	bad=$(echo "$bad" | grep -v "Running as user")
	[ -z "$bad" ] || { echo "$bad" | head -20; fail "tshark faults our frames"; }
	echo "tshark: $ours IPv6 frames of ours, all well-formed"
fi
echo "ok: t_virtif6"
