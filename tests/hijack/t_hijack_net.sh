#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Unmodified network programs between two served kernels on one shmif
# bus.  Two rump_servers (A at 10.0.0.1 and 2001:db8::1, B at 10.0.0.2
# and 2001:db8::2) each get shmif0 on the bus file in this test's temp
# directory through rump.ifconfig (create, linkstr, addresses), then,
# under librumphijack with socket=inet:inet6, python3 -m http.server
# in A serves curl in B (4 MiB by SHA-256, over IPv4, IPv6 global and
# link-local), nc carries 1 MiB each way exactly, iperf3 runs two
# seconds, and rump.ping crosses from B to A.  A last small nc exchange
# and ping are read back from the bus by shmif_dumpbus and tshark:
# ports, TCP flags, payload, checksums.  Nothing reaches the host's
# network: the addresses exist only in the two kernels.
#
# usage: t_hijack_net.sh LIB BINDIR
# HIJACK_PRELOAD_FIRST: libraries preloaded before LIB (the sanitizer
# runtime when the library is built with it).
set -u
LIB=$1
BIN=$2
W=$(mktemp -d /tmp/t_hijack_net.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
FAILS=0
fail() {
	echo "FAIL: $*" >&2
	FAILS=$((FAILS + 1))
}
die() {
	echo "FAIL: $*" >&2
	exit 1
}

if [ ! -x "$BIN/rump_server" ]; then
	echo "SKIP: rump_server was not built (librumpclient not in the tree)"
	exit 77
fi
PY=/usr/bin/python3
[ -x $PY ] || PY=$(command -v python3)
for t in curl nc iperf3 tshark sha256sum "$PY"; do
	if ! command -v "$t" >/dev/null; then
		echo "SKIP: $t not installed (tools/install-deps.sh test)"
		exit 77
	fi
done
if ! nc -h 2>&1 | grep -q -- '-N'; then
	echo "SKIP: nc is not OpenBSD's netcat (netcat-openbsd)"
	exit 77
fi

export RUMPHIJACK=socket=inet:inet6
# hj KERNEL CMD...: CMD hijacked onto kernel a or b, at most 30 s.
hj() {
	k=$1
	shift
	RUMP_SERVER="unix://$W/$k" \
	    LD_PRELOAD="${HIJACK_PRELOAD_FIRST:+$HIJACK_PRELOAD_FIRST }$LIB" \
	    timeout 30 "$@"
}
# on KERNEL TOOL ARGS...: a rump.* tool against that kernel.
on() {
	k=$1
	shift
	RUMP_SERVER="unix://$W/$k" "$BIN/$@"
}
# listening KERNEL PORT: wait until a socket listens on PORT there.
listening() {
	i=0
	while [ $i -lt 100 ]; do
		on "$1" rump.netstat -an 2>/dev/null |
		    grep -q "[.]$2 .*LISTEN" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "nothing listens on port $2 in kernel $1"
	return 1
}

for k in a b; do
	# The components' directory named: under AddressSanitizer,
	# dlopen's caller is the sanitizer's runtime (no run path).
	LD_LIBRARY_PATH="$BIN/../lib" "$BIN/rump_server" -s -lrumpnet \
	    -lrumpnet_net -lrumpnet_netinet -lrumpnet_netinet6 \
	    -lrumpnet_shmif "unix://$W/$k" &
	PIDS="$PIDS $!"
done
i=0
while { [ ! -S "$W/a" ] || [ ! -S "$W/b" ]; } && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$W/a" ] && [ -S "$W/b" ] || die "rump_server did not start"

on a rump.ifconfig shmif0 create || die "ifconfig create"
on a rump.ifconfig shmif0 linkstr "$W/bus" 10.0.0.1/24 up ||
	die "ifconfig linkstr"
on a rump.ifconfig shmif0 inet6 2001:db8::1/64 || die "ifconfig inet6"
on b rump.ifconfig shmif0 create linkstr "$W/bus" 10.0.0.2/24 up ||
	die "ifconfig create linkstr"
on b rump.ifconfig shmif0 inet6 2001:db8::2 prefixlen 64 ||
	die "ifconfig inet6 prefixlen"
# Duplicate address detection done (no address tentative) first.
i=0
while on a rump.ifconfig shmif0 | grep -q tentative; do
	i=$((i + 1))
	[ $i -lt 100 ] || die "ifconfig: still tentative after 10 s"
	sleep 0.1
done
on a rump.ifconfig shmif0 >"$W/ifc" || die "ifconfig shmif0"
grep -qx "	linkstr: $W/bus" "$W/ifc" || fail "ifconfig: linkstr line"
grep -qx '	inet 10.0.0.1 netmask 255.255.255.0 (/24)' "$W/ifc" ||
	fail "ifconfig: inet line"
grep -qx '	inet6 2001:db8::1/64' "$W/ifc" || fail "ifconfig: inet6 line"
LL=$(sed -n 's/^	inet6 \(fe80:[0-9a-f:]*\)%shmif0\/64 scopeid 0x2$/\1/p' \
    "$W/ifc")
[ -n "$LL" ] || { cat "$W/ifc"; die "ifconfig: no link-local address"; }

# rump.ping from B crosses to A.
on b rump.ping -c 3 -i 0.1 10.0.0.1 >"$W/ping" 2>&1 ||
	fail "rump.ping 10.0.0.1: exit $?"
grep -qx '3 packets transmitted, 3 packets received, 0.0% packet loss' \
    "$W/ping" || { cat "$W/ping"; fail "rump.ping: 3 of 3"; }

# python3 -m http.server in A (IPv4 and IPv6), curl in B.
mkdir "$W/www"
head -c 4194304 /dev/urandom >"$W/www/file"
WANT=$(sha256sum <"$W/www/file")
hj a $PY -m http.server --directory "$W/www" --bind :: 8000 \
    >"$W/http.log" 2>&1 &
HPID=$!
PIDS="$PIDS $HPID"
listening a 8000
# curl deadlocks in its first setlocale() when the sanitizer runtime is
# preloaded into it (with or without this library): then python3's
# urllib is the client.
FETCH=curl
if [ -n "${HIJACK_PRELOAD_FIRST:-}" ] &&
    ! LD_PRELOAD=$HIJACK_PRELOAD_FIRST timeout 5 curl -s file:///dev/null; then
	echo "curl hangs with $HIJACK_PRELOAD_FIRST preloaded: python3's urllib fetches"
	FETCH=urllib
fi
# fetch URL OUT [FAMILY]: a GET by the client in B; a link-local zone is
# written %ZONE (curl's URL takes it encoded, %25ZONE).
fetch() {
	if [ $FETCH = curl ]; then
		hj b curl ${3:+-$3} -g -sS -o "$2" "$(echo "$1" | sed 's/%/%25/')"
	else
		hj b $PY -c 'import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=20) as r:
    open(sys.argv[2], "wb").write(r.read())' "$1" "$2"
	fi
}
check_get() {
	rm -f "$W/got"
	fetch "$1" "$W/got" ${2:-} || { fail "$FETCH $*: $?"; return; }
	[ "$(sha256sum <"$W/got")" = "$WANT" ] || fail "$FETCH $*: SHA-256"
}
check_get http://10.0.0.1:8000/file
# DAD may still hold the IPv6 addresses: A's makes the fetch fail, and
# while B's is tentative B sends from its link-local address.  Try for a
# few seconds, until A has served B's global address.
i=0
until fetch "http://[2001:db8::1]:8000/" /dev/null 6 2>/dev/null &&
    grep -q '^2001:db8::2 - - .*"GET / HTTP' "$W/http.log" ||
    [ $i -ge 30 ]; do
	sleep 0.2
	i=$((i + 1))
done
check_get 'http://[2001:db8::1]:8000/file' 6
# Link-local: the zone is B's index of shmif0 (the host has no shmif0).
check_get "http://[$LL%2]:8000/file" 6
grep -c '"GET /file HTTP/1.1" 200' "$W/http.log" | grep -qx 3 ||
	{ cat "$W/http.log"; fail "http.server log"; }
# Dual stack: the IPv4 client is ::ffff:10.0.0.2 to the :: listener.
grep -q '^::ffff:10\.0\.0\.2 - - .*GET /file' "$W/http.log" ||
	fail "http.server: no request from ::ffff:10.0.0.2"
grep -q '^2001:db8::2 - - .*GET /file' "$W/http.log" ||
	fail "http.server: no request from 2001:db8::2"
kill -TERM $HPID

# nc both ways, 1 MiB each, exact bytes.
head -c 1048576 /dev/urandom >"$W/nc.ab"
head -c 1048573 /dev/urandom >"$W/nc.ba"
hj a nc -l 10.0.0.1 9000 </dev/null >"$W/nc.ab.got" &
NPID=$!
listening a 9000 && hj b nc -N 10.0.0.1 9000 <"$W/nc.ab" ||
	fail "nc B to A: $?"
wait $NPID || fail "nc -l in A: $?"
cmp -s "$W/nc.ab" "$W/nc.ab.got" || fail "nc B to A: bytes differ"
hj b nc -l 2001:db8::2 9001 </dev/null >"$W/nc.ba.got" &
NPID=$!
listening b 9001 && hj a nc -N 2001:db8::2 9001 <"$W/nc.ba" ||
	fail "nc A to B over IPv6: $?"
wait $NPID || fail "nc -l in B: $?"
cmp -s "$W/nc.ba" "$W/nc.ba.got" || fail "nc A to B: bytes differ"

# iperf3: two seconds of TCP from B to A.
hj a iperf3 -s -1 -B 10.0.0.1 -p 5201 >"$W/iperf.s" 2>&1 &
NPID=$!
if listening a 5201; then
	hj b iperf3 -c 10.0.0.1 -p 5201 -t 2 -J >"$W/iperf.json" 2>&1 ||
		fail "iperf3 -c: $?"
fi
wait $NPID || { cat "$W/iperf.s"; fail "iperf3 -s: $?"; }
$PY - "$W/iperf.json" <<'EOF' || fail "iperf3 result"
import json, sys
d = json.load(open(sys.argv[1]))
if "error" in d:
    sys.exit("iperf3: " + d["error"])
r = d["end"]["sum_received"]
if r["bytes"] < 1 << 20 or r["seconds"] < 1.5:
    sys.exit("iperf3: %d bytes in %.2f s" % (r["bytes"], r["seconds"]))
print("iperf3: %.1f MiB/s between the kernels" %
      (r["bits_per_second"] / 8 / 2**20))
EOF

# A last exchange, read back from the bus: nc's "hello" from B to A
# and three echo requests and replies.
hj a nc -l 10.0.0.1 9100 </dev/null >"$W/hello.got" &
NPID=$!
listening a 9100 && printf 'hello\n' | hj b nc -N 10.0.0.1 9100 ||
	fail "nc hello: $?"
wait $NPID
printf 'hello\n' | cmp -s - "$W/hello.got" || fail "nc hello: bytes"
on b rump.ping -c 3 -i 0.1 10.0.0.1 >/dev/null 2>&1 || fail "ping 2: $?"
"$BIN/shmif_dumpbus" -w "$W/bus.pcap" "$W/bus" >/dev/null ||
	die "shmif_dumpbus"
# Every frame: no malformed packet, no bad checksum; no reset in the
# last exchange (iperf3's server may reset its closed connection).
tshark -r "$W/bus.pcap" -o tcp.check_checksum:TRUE \
    -o ip.check_checksum:TRUE -Y '_ws.malformed || tcp.checksum.status == 0 ||
    ip.checksum.status == 0 || (tcp.port == 9100 && tcp.flags.reset == 1)' \
    >"$W/bad" 2>/dev/null || fail "tshark -r"
[ -s "$W/bad" ] && { head "$W/bad"; fail "tshark: bad frames"; }
tshark -r "$W/bus.pcap" -Y 'tcp.port == 9100' -T fields -e ip.src \
    -e tcp.srcport -e ip.dst -e tcp.dstport -e tcp.flags \
    -e tcp.flags.fin -e tcp.payload >"$W/tcp" 2>/dev/null ||
	fail "tshark tcp"
# The handshake, exactly; then "hello\n" from B; a FIN each way.
awk -F'\t' '
NR == 1 && $1 == "10.0.0.2" && $3 == "10.0.0.1" && $4 == 9100 &&
    $5 == "0x0002" { port = $2; ok++ }
NR == 2 && $1 == "10.0.0.1" && $2 == 9100 && $4 == port &&
    $5 == "0x0012" { ok++ }
NR == 3 && $1 == "10.0.0.2" && $2 == port && $5 == "0x0010" { ok++ }
$1 == "10.0.0.2" && $7 == "68656c6c6f0a" { data++ }
$7 != "" && $7 != "68656c6c6f0a" { data = -100 }
$1 == "10.0.0.2" && $6 == 1 { finb++ }
$1 == "10.0.0.1" && $6 == 1 { fina++ }
END { exit !(ok == 3 && data == 1 && finb == 1 && fina == 1) }' \
    "$W/tcp" || { cat "$W/tcp"; fail "tshark: the nc exchange"; }
tshark -r "$W/bus.pcap" -Y 'icmp' -T fields -e ip.src -e ip.dst \
    -e icmp.type -e icmp.seq >"$W/icmp" 2>/dev/null || fail "tshark icmp"
tail -n 6 "$W/icmp" >"$W/icmp.last"
cat >"$W/icmp.want" <<EOF
10.0.0.2	10.0.0.1	8	0
10.0.0.1	10.0.0.2	0	0
10.0.0.2	10.0.0.1	8	1
10.0.0.1	10.0.0.2	0	1
10.0.0.2	10.0.0.1	8	2
10.0.0.1	10.0.0.2	0	2
EOF
cmp -s "$W/icmp.want" "$W/icmp.last" ||
	{ cat "$W/icmp"; fail "tshark: the echo exchange"; }

on a rump.halt || fail "rump.halt a"
on b rump.halt || fail "rump.halt b"
for p in $PIDS; do
	wait "$p" 2>/dev/null
done
PIDS=
[ $FAILS -eq 0 ] || exit 1
echo PASS
