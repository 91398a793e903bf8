#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# HTTP over IPv6 between our kernel and Linux over a tap, in a network
# namespace made here (2001:db8:78::1/64 Linux, 2001:db8:78::2/64 ours),
# with programs nobody here wrote on Linux's side: curl -6 fetches a body
# from our httpd (share/examples/rump/httpd.c), and our httpget fetches
# one from python3's http.server bound to Linux's IPv6 address.  Bodies
# are compared by SHA-256.  T_VIRTIF6_HTTP_MB sets the body's size
# (default 1024 MiB).  The tap is captured (the first frames, up to
# 8000): every frame our kernel sent must decode in tshark with good
# checksums and nothing malformed, and at most 1% be retransmissions.
#
# Usage: t_virtif6_http.sh HTTPD HTTPGET
set -u
httpd=$1 httpget=$2
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root for a network namespace"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
for t in ip curl python3; do
	command -v $t >/dev/null || skip "no $t"
done
mb=${T_VIRTIF6_HTTP_MB:-1024}
ns=rumpv6h$$
tmp=$(mktemp -d)
cleanup() {
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	[ -n "${dump:-}" ] && kill "$dump" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns" || skip "cannot make a network namespace"
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add dev rvt0 mode tap || fail "tuntap"
ip -n "$ns" addr add 2001:db8:78::1/64 dev rvt0 nodad
ip -n "$ns" link set rvt0 up
nsx() { ip netns exec "$ns" "$@"; }
if command -v tcpdump >/dev/null && command -v tshark >/dev/null; then
	ip netns exec "$ns" tcpdump -Z root -U -n -c 8000 -i rvt0 -w "$tmp/cap.pcap" \
	    2>"$tmp/tcpdump.txt" &
	dump=$!
	for i in $(seq 50); do
		grep -q listening "$tmp/tcpdump.txt" && break
		sleep 0.1
	done
fi
mkdir "$tmp/www"
head -c $((mb * 1048576)) /dev/urandom > "$tmp/www/big"
want=$(sha256sum < "$tmp/www/big")

# Our server, Linux's client.
ip netns exec "$ns" "$httpd" -t rvt0 -a 2001:db8:78::2/64 -p 8080 "$tmp/www" \
    > "$tmp/httpd.out" 2>&1 &
srv=$!
for i in $(seq 100); do
	grep -q serving "$tmp/httpd.out" && break
	sleep 0.1
done
grep -q "serving .* on http://\[2001:db8:78::2\]:8080/" "$tmp/httpd.out" ||
    fail "httpd: $(cat "$tmp/httpd.out")"
start=$(date +%s%N)
got=$(nsx curl -6 -gsf --max-time 300 'http://[2001:db8:78::2]:8080/big' |
    sha256sum)
[ "$got" = "$want" ] || fail "curl -6 of $mb MiB from our httpd: hash differs"
echo "curl -6 fetched $mb MiB from our httpd in" \
    "$(( ($(date +%s%N) - start) / 1000000 )) ms, hash equal"
[ "$(nsx curl -6 -gs -o /dev/null -w '%{http_code}' \
    'http://[2001:db8:78::2]:8080/nothing')" = 404 ] || fail "no 404"
kill "$srv"
wait "$srv" 2>/dev/null
srv=

# Linux's server, our client.
ip netns exec "$ns" python3 -m http.server 8000 --bind 2001:db8:78::1 \
    --directory "$tmp/www" > "$tmp/py.out" 2>&1 &
srv=$!
for i in $(seq 100); do
	nsx curl -6 -gs -o /dev/null 'http://[2001:db8:78::1]:8000/' && break
	sleep 0.1
done
start=$(date +%s%N)
got=$(nsx "$httpget" -t rvt0 -a 2001:db8:78::2/64 \
    'http://[2001:db8:78::1]:8000/big' | sha256sum)
[ "$got" = "$want" ] || fail "httpget of $mb MiB from python3: hash differs"
echo "httpget fetched $mb MiB over IPv6 from python3's http.server in" \
    "$(( ($(date +%s%N) - start) / 1000000 )) ms, hash equal"

if [ -n "${dump:-}" ]; then
	sleep 0.5
	kill -INT "$dump" 2>/dev/null
	wait "$dump"
	dump=
	opts="-n -o tcp.check_checksum:TRUE"
	# Linux's frames leave before its offloads fill checksums in: only
	# ours (not from the tap's MAC) are judged.
	lmac=$(ip -n "$ns" -br link show rvt0 | awk '{print $3}')
	ours=$(tshark $opts -r "$tmp/cap.pcap" \
	    -Y "ipv6 && tcp && eth.src != $lmac" 2>/dev/null | wc -l)
	bad=$(tshark $opts -r "$tmp/cap.pcap" -Y "eth.src != $lmac && \
	    (_ws.malformed || _ws.expert.severity == error || \
	    tcp.checksum.status == 0 || icmpv6.checksum.status == 0)" 2>&1 |
	    grep -v "Running as user")
	[ "$ours" -ge 500 ] || fail "only $ours TCP/IPv6 frames of ours captured"
	# No retransmission storm: a clean link needs (almost) none.
	rexmit=$(tshark $opts -r "$tmp/cap.pcap" -Y "eth.src != $lmac && \
	    (tcp.analysis.retransmission || tcp.analysis.fast_retransmission)" \
	    2>/dev/null | wc -l)
	[ "$rexmit" -le $((ours / 100)) ] ||
	    fail "$rexmit of our $ours frames are retransmissions"
	[ -z "$bad" ] || { echo "$bad" | head -20; fail "tshark faults our frames"; }
	echo "tshark: $ours TCP/IPv6 frames of ours, all well-formed," \
	    "$rexmit retransmitted"
fi
echo "ok: t_virtif6_http"
