#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# HTTP between our kernel and Linux over a tap, in a network namespace
# made here (10.99.0.1/24 Linux, 10.99.0.2/24 ours), with programs nobody
# here wrote on Linux's side: curl fetches a body from our httpd
# (share/examples/rump/httpd.c), and our httpget fetches one from
# python3's http.server.  Bodies are compared by SHA-256; the error
# answers are checked too.  T_VIRTIF_HTTP_MB sets the body's size
# (default 1024 MiB).  The first CAPN frames of each side's transfer are
# captured on the tap and judged by tshark (capture.sh): nothing
# malformed, our checksums good, no retransmission storm (the bodies
# dissected as bytes: HTTP cannot follow a body whose frames are cut).
#
# Usage: t_virtif_http.sh HTTPD HTTPGET
set -u
httpd=$1 httpget=$2
. "$(dirname "$0")/tapns.sh"
for t in curl python3; do
	command -v $t >/dev/null || skip "no $t"
done
capn=100000
ours="ip.src == 10.99.0.2 || arp.src.proto_ipv4 == 10.99.0.2"
mb=${T_VIRTIF_HTTP_MB:-1024}
tapns_begin rumpvh 10.99.0.1/24
mkdir "$tmp/www" "$tmp/www/sub"
head -c $((mb * 1048576)) /dev/urandom > "$tmp/www/big"
printf 'small file\n' > "$tmp/www/sub/small.txt"
want=$(sha256sum < "$tmp/www/big")

# Our server, Linux's client.
cap_start "$ns" rvt0 "$tmp/curl.pcap" $capn
ip netns exec "$ns" "$httpd" -t rvt0 -a 10.99.0.2/24 -p 8080 "$tmp/www" \
    > "$tmp/httpd.out" 2>&1 &
srv=$!
wait_for "$tmp/httpd.out" serving httpd
nsx() { ip netns exec "$ns" "$@"; }
got=$(nsx curl -sf --max-time 300 http://10.99.0.2:8080/big | sha256sum)
[ "$got" = "$want" ] || fail "curl of $mb MiB from our httpd: hash differs"
echo "curl fetched $mb MiB from our httpd, hash equal"
[ "$(nsx curl -sf http://10.99.0.2:8080/sub/small.txt)" = "small file" ] ||
    fail "curl of a small file"
code() { nsx curl -s -o /dev/null --path-as-is -w '%{http_code}' "$@"; }
[ "$(code http://10.99.0.2:8080/nothing)" = 404 ] || fail "no 404"
[ "$(code http://10.99.0.2:8080/sub/../../etc/passwd)" = 403 ] ||
    fail "no 403 for .."
[ "$(code -X POST http://10.99.0.2:8080/big)" = 405 ] || fail "no 405"
[ "$(code -I http://10.99.0.2:8080/big)" = 200 ] || fail "HEAD"
# Two requests on one connection.
n=$(nsx curl -s -v http://10.99.0.2:8080/sub/small.txt \
    http://10.99.0.2:8080/sub/small.txt 2>&1 | grep -c 'Re-using')
[ "$n" -ge 1 ] || fail "the connection was not kept alive"
kill "$srv"
wait "$srv" 2>/dev/null
srv=
cap_stop
cap_check "$ours" 0 -d tcp.port==8080,data -d tcp.port==8000,data

# Linux's server, our client.
ip netns exec "$ns" python3 -m http.server 8000 --bind 10.99.0.1 --directory "$tmp/www" \
    > "$tmp/py.out" 2>&1 &
srv=$!
for i in $(seq 100); do
	nsx curl -s -o /dev/null http://10.99.0.1:8000/sub/small.txt && break
	sleep 0.1
done
cap_start "$ns" rvt0 "$tmp/httpget.pcap" $capn
got=$(nsx "$httpget" -t rvt0 -a 10.99.0.2/24 \
    http://10.99.0.1:8000/big | sha256sum)
[ "$got" = "$want" ] || fail "httpget of $mb MiB from python3: hash differs"
echo "httpget fetched $mb MiB from python3's http.server, hash equal"
cap_stop
cap_check "$ours" 0 -d tcp.port==8080,data -d tcp.port==8000,data
nsx "$httpget" -t rvt0 -a 10.99.0.2/24 http://10.99.0.1:8000/nothing \
    > /dev/null 2> "$tmp/err"
[ $? = 1 ] && grep -q "^httpget: http://10.99.0.1:8000/nothing: HTTP/1.0 404" \
    "$tmp/err" || fail "httpget of a missing file: $(cat "$tmp/err")"
echo "ok: t_virtif_http"
