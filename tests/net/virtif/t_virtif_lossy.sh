#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# HTTP between our kernel and Linux over a tap that loses 5% of the
# frames each way, reorders 10% and delays every one by 5 ms: our fault
# switch does it (the link string's items, <net/if_fault.h>; these
# machines' kernels have no netem), seeded so that runs repeat.  In a
# network namespace made here (10.99.0.1/24 Linux, 10.99.0.2/24 ours):
# curl fetches a body from our httpd (share/examples/rump/httpd.c), our
# httpget fetches one from python3's http.server; bodies are compared by
# SHA-256 and each transfer is timed.  Each transfer's capture on the
# tap must decode in tshark with nothing malformed, show the faults
# (retransmissions and out-of-order segments) and no retransmission
# storm.  T_VIRTIF_LOSSY_MB sets the body's size (default 3 MiB: a lossy
# transfer from our kernel runs at about 0.4 MiB/s here, so 1 GiB would
# take 40 minutes), T_VIRTIF_LOSSY_SEED the faults' seed.
#
# Usage: t_virtif_lossy.sh HTTPD HTTPGET
set -u
httpd=$1 httpget=$2
. "$(dirname "$0")/tapns.sh"
for t in curl python3; do
	command -v $t >/dev/null || skip "no $t"
done
ours="ip.src == 10.99.0.2 || arp.src.proto_ipv4 == 10.99.0.2"
mb=${T_VIRTIF_LOSSY_MB:-3}
faults="loss=5%,reorder=10%,delay=5,dir=both,seed=${T_VIRTIF_LOSSY_SEED:-7}"
tapns_begin rumpvl 10.99.0.1/24
mkdir "$tmp/www"
head -c $((mb * 1048576)) /dev/urandom > "$tmp/www/big"
want=$(sha256sum < "$tmp/www/big")
nsx() { ip netns exec "$ns" "$@"; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" -v mb="$mb" \
    'BEGIN { printf "%.1f s, %.2f MiB/s", b - a, mb / (b - a) }'; }
# The faults must show in the capture, and no more than they explain.
judge() {
	cap_stop
	cap_check "$ours" 5
	[ "$cap_retx" -gt 0 ] || fail "$1: no retransmission: no loss?"
	ooo=$(tshark -n -r "$cap_file" -Y tcp.analysis.out_of_order | wc -l)
	[ "$ooo" -gt 0 ] || fail "$1: no segment out of order: no reordering?"
}

# Our server, Linux's client.
cap_start "$ns" rvt0 "$tmp/curl.pcap"
ip netns exec "$ns" "$httpd" -t "rvt0,$faults" -a 10.99.0.2/24 -p 8080 "$tmp/www" \
    > "$tmp/httpd.out" 2>&1 &
srv=$!
wait_for "$tmp/httpd.out" serving httpd
t0=$(now)
got=$(nsx curl -sf --max-time 120 http://10.99.0.2:8080/big | sha256sum)
[ "$got" = "$want" ] || fail "curl of $mb MiB from our httpd: hash differs"
echo "curl fetched $mb MiB from our httpd through the faults in $(took "$t0"), hash equal"
kill "$srv"
wait "$srv" 2>/dev/null
srv=
[ -n "$cap_ok" ] && judge curl

# Linux's server, our client.
ip netns exec "$ns" python3 -m http.server 8000 --bind 10.99.0.1 --directory "$tmp/www" \
    > "$tmp/py.out" 2>&1 &
srv=$!
for i in $(seq 100); do
	nsx curl -s -o /dev/null http://10.99.0.1:8000/nothing && break
	sleep 0.1
done
cap_start "$ns" rvt0 "$tmp/httpget.pcap"
t0=$(now)
got=$(nsx "$httpget" -t "rvt0,$faults" -a 10.99.0.2/24 \
    http://10.99.0.1:8000/big | sha256sum)
[ "$got" = "$want" ] || fail "httpget of $mb MiB from python3: hash differs"
echo "httpget fetched $mb MiB from python3's http.server through the faults in $(took "$t0"), hash equal"
[ -n "$cap_ok" ] && judge httpget
echo "ok: t_virtif_lossy"
