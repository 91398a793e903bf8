#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Crafted and malformed packets from python3-scapy on Linux's side of a
# tap, in a network namespace made here, at our kernel (h_scapy) on the
# other: t_virtif_scapy.py says what is sent and what the RFCs want back.
# Last it has h_scapy set virtif's fault switch to dup=100% on its
# receive side: every echo answered twice, and the counters say so.  The
# tap's capture must decode in tshark with nothing malformed and our
# frames' checksums good (capture.sh).
#
# Usage: t_virtif_scapy.sh H_SCAPY
set -u
h=$1
dir=$(dirname "$0")
. "$dir/tapns.sh"
py=
for p in python3 /usr/bin/python3; do
	if $p -c "import scapy.all" 2>/dev/null; then
		py=$p
		break
	fi
done
[ -n "$py" ] || skip "no python3-scapy"
tapns_begin rumpvs
mkfifo "$tmp/in"

# Start h_scapy; wait until it is ready.
kernel() {
	ip netns exec "$ns" "$h" rvt0 < "$tmp/in" > "$tmp/h.out" 2>&1 &
	srv=$!
	exec 3> "$tmp/in"
	wait_for "$tmp/h.out" ready h_scapy
}
# End it: its counters are in $tmp/h.out.
kernel_end() {
	exec 3>&-
	wait "$srv" || fail "h_scapy: $(cat "$tmp/h.out")"
	srv=
}

cap_start "$ns" rvt0 "$tmp/cap.pcap"
kernel
ip netns exec "$ns" env H_SCAPY_IN="$tmp/in" $py "$dir/t_virtif_scapy.py" ||
    fail "scapy"
kernel_end
grep "^fault" "$tmp/h.out"
n=$(sed -n 's/^fault rx: drop 0 dup \([0-9]*\) reorder 0 corrupt 0 delay 0 overflow 0$/\1/p' \
    "$tmp/h.out")
[ -n "$n" ] && [ "$n" -ge 5 ] || fail "the fault counters: $(cat "$tmp/h.out")"
grep -q "^fault tx: drop 0 dup 0 reorder 0 corrupt 0 delay 0 overflow 0$" \
    "$tmp/h.out" || fail "faults on the transmit side: $(cat "$tmp/h.out")"

cap_stop
# Retransmissions are scapy's own here (the same SYN, RST, data again):
# no storm bound.
cap_check "ip.src == 10.99.0.2 || ipv6.src == fd99::2 ||
    arp.src.proto_ipv4 == 10.99.0.2" 100 -d tcp.port==7100,data
echo "ok: t_virtif_scapy"
