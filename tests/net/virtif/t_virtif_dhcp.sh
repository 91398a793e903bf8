#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# DHCPv4 against dnsmasq, a server nobody here wrote, over a tap in a
# network namespace made here: Linux is 10.99.0.1/24 (and 10.98.0.1 on
# its loopback), dnsmasq leases 10.99.0.50-60 with router 10.99.0.1, and
# h_dhcp configures our kernel by rump_pub_netconfig_dhcp_ipv4_oneshot
# and checks the lease and the route.  dnsmasq's log must show the
# DISCOVER/OFFER/REQUEST/ACK exchange with our MAC, and the tap's
# capture must decode in tshark with nothing malformed (capture.sh).
#
# Usage: t_virtif_dhcp.sh H_DHCP
set -u
h=$1
. "$(dirname "$0")/tapns.sh"
command -v dnsmasq >/dev/null || skip "no dnsmasq"
tapns_begin rumpvd 10.99.0.1/24
ip -n "$ns" addr add 10.98.0.1/32 dev lo
cap_start "$ns" rvt0 "$tmp/cap.pcap"
ip netns exec "$ns" dnsmasq --no-daemon --conf-file=/dev/null --port=0 \
    --interface=rvt0 --bind-interfaces --dhcp-authoritative \
    --dhcp-range=10.99.0.50,10.99.0.60,255.255.255.0,1h \
    --dhcp-option=option:router,10.99.0.1 --dhcp-leasefile="$tmp/leases" \
    --log-dhcp --log-facility=- > "$tmp/dnsmasq.log" 2>&1 &
srv=$!
sleep 0.3
timeout 60 ip netns exec "$ns" "$h" rvt0 || {
	cat "$tmp/dnsmasq.log"; fail "h_dhcp"; }
for m in DHCPDISCOVER DHCPOFFER DHCPREQUEST DHCPACK; do
	grep -q "$m(rvt0)" "$tmp/dnsmasq.log" ||
	    { cat "$tmp/dnsmasq.log"; fail "dnsmasq saw no $m"; }
done
cap_stop
# Ours: every IPv4 and ARP frame not from Linux's 10.99.0.1.
cap_check "(ip && ip.src != 10.99.0.1) ||
    (arp && arp.src.proto_ipv4 != 10.99.0.1)" 0
echo "ok: t_virtif_dhcp"
