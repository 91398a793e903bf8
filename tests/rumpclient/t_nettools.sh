#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# rump.ifconfig, rump.route, rump.ping and rump.netstat against a served
# kernel with the Internet family: addresses set then read back, routes
# added, looked up and deleted, echo replies counted, and the exact
# lines and exit status of every bad request.
# usage: t_nettools.sh BINDIR
set -u
BIN=$1
W=$(mktemp -d /tmp/t_nettools.XXXXXX)
SPID=
cleanup() {
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}

export RUMP_SERVER="unix://$W/sock"
# The components' directory named: under AddressSanitizer, dlopen's
# caller is the sanitizer's runtime (no run path).
LD_LIBRARY_PATH="$BIN/../lib" "$BIN/rump_server" -s -lrumpnet \
    -lrumpnet_net -lrumpnet_netinet "$RUMP_SERVER" &
SPID=$!
i=0
while [ ! -S "$W/sock" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$W/sock" ] || fail "rump_server did not start"

# check WANTSTATUS EXPECTEDFILE CMD...: stdout and stderr together.
check() {
	want=$1
	exp=$2
	shift 2
	"$@" >"$W/out" 2>&1
	st=$?
	if [ $st -ne "$want" ] || ! cmp -s "$exp" "$W/out"; then
		echo "--- $*: status $st (wanted $want); expected:"
		cat "$exp"
		echo "--- got:"
		cat "$W/out"
		fail "$*"
	fi
}
# expect STATUS CMD... <<EOF lines EOF
expect() {
	w=$1
	shift
	cat >"$W/exp"
	check "$w" "$W/exp" "$@"
}

IFC=$BIN/rump.ifconfig
RT=$BIN/rump.route
PING=$BIN/rump.ping
NS=$BIN/rump.netstat

for t in "$IFC" "$RT" "$PING" "$NS"; do
	"$t" --help | grep -q "^usage: $(basename "$t")" ||
		fail "$t --help"
done

# netstat: sockets a client holds, shown with their ports and queues,
# gone when it exits; the interface counters of their traffic.
expect 0 "$NS" -an <<EOT
Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        State
EOT
mkfifo "$W/fifo"
"$BIN/h_nettools_sockets" <"$W/fifo" >"$W/hout" &
HPID=$!
exec 7>"$W/fifo"
i=0
while ! grep -q ready "$W/hout" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
read -r _ TP UP <"$W/hout" || fail "h_nettools_sockets did not start"
expect 0 "$NS" -a -n <<EOT
Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        State
tcp        0      0  *.7777                 *.*                    LISTEN
tcp        0      0  127.0.0.1.$TP        127.0.0.1.7777         ESTABLISHED
tcp        5      0  127.0.0.1.7777         127.0.0.1.$TP        ESTABLISHED
udp        0      0  *.5353                 *.*
udp        0      0  127.0.0.1.$UP        127.0.0.1.5353
EOT
expect 0 "$NS" <<EOT
Active Internet connections
Proto Recv-Q Send-Q  Local Address          Foreign Address        State
tcp        0      0  127.0.0.1.$TP        127.0.0.1.7777         ESTABLISHED
tcp        5      0  127.0.0.1.7777         127.0.0.1.$TP        ESTABLISHED
udp        0      0  127.0.0.1.$UP        127.0.0.1.5353
EOT
exec 7>&-
wait $HPID || fail "h_nettools_sockets: $?"
# The server closes a departed client's descriptors once it sees the
# connection end, a moment after the exit.
cat >"$W/exp" <<EOT
Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        State
EOT
i=0
while "$NS" -an >"$W/out" 2>&1 && ! cmp -s "$W/exp" "$W/out" &&
    [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check 0 "$W/exp" "$NS" -an
"$NS" -i >"$W/out" || fail "netstat -i"
head -1 "$W/out" | grep -qx 'Name       Mtu      Ipkts  Ierrs      Opkts  Oerrs  Drops' ||
	fail "netstat -i header"
awk 'NR == 2 && $1 == "lo0" && $2 == 65536 && $3 > 0 && $3 == $5 &&
    $4 + $6 + $7 == 0 { ok = 1 } END { exit !ok }' "$W/out" ||
	{ cat "$W/out"; fail "netstat -i"; }
expect 2 "$NS" -x <<EOT
rump.netstat: -x: unknown option (--help for usage)
EOT
expect 0 "$NS" -r <<EOT
Routing tables

Internet:
Destination              Gateway                  Flags    Interface
127.0.0.0/8              link#1                   UC       lo0
127.0.0.1                link#1                   UHl      lo0
EOT
expect 2 "$NS" -r -i <<EOT
usage: rump.netstat [-a] [-n]
       rump.netstat -i
       rump.netstat -r
       rump.netstat -s
  show the network state of the rump kernel at \$RUMP_SERVER
  (no option) TCP and UDP sockets with a peer
  -a  listening and unconnected sockets too
  -n  numeric (always)
  -i  interfaces and their counters
  -r  the routing table
  -s  IP, ICMP, UDP and TCP counters
EOT

# ifconfig: the boot configuration, then an address, mask, MTU, down, up.
expect 0 "$IFC" -a <<EOT
lo0: flags=0x49<UP,LOOPBACK,RUNNING> mtu 65536
	inet 127.0.0.1 netmask 255.0.0.0 (/8)
EOT
expect 0 "$IFC" lo0 inet 10.1.2.3/16 mtu 1500 </dev/null
expect 0 "$IFC" lo0 <<EOT
lo0: flags=0x49<UP,LOOPBACK,RUNNING> mtu 1500
	inet 10.1.2.3 netmask 255.255.0.0 (/16)
EOT
expect 0 "$IFC" lo0 10.1.2.3 netmask 255.255.255.0 down </dev/null
expect 0 "$IFC" lo0 <<EOT
lo0: flags=0x48<LOOPBACK,RUNNING> mtu 1500
	inet 10.1.2.3 netmask 255.255.255.0 (/24)
EOT
expect 0 "$IFC" lo0 up 10.1.2.3/16 mtu 65536 </dev/null
expect 1 "$IFC" nosuch0 <<EOT
rump.ifconfig: nosuch0: no such interface
EOT
expect 1 "$IFC" nosuch0 up <<EOT
rump.ifconfig: nosuch0: no such interface
EOT
expect 2 "$IFC" lo0 bogus <<EOT
rump.ifconfig: bogus: unknown word
EOT
expect 2 "$IFC" lo0 10.1.2.300 <<EOT
rump.ifconfig: 10.1.2.300: not an IPv4 address
EOT
expect 2 "$IFC" lo0 mtu x <<EOT
rump.ifconfig: mtu x: not a number
EOT
expect 1 "$IFC" lo0 mtu 10 <<EOT
rump.ifconfig: SIOCSIFMTU lo0: Invalid argument
EOT
expect 1 "$IFC" lo0 create <<EOT
rump.ifconfig: create lo0: File exists
EOT

# route: a host route, a network route and the default, each looked up
# (longest prefix) and deleted.
expect 0 "$RT" get 10.1.7.7 <<EOT
   route to: 10.1.0.0
       mask: 255.255.0.0
  interface: index 1
if address: 10.1.2.3
      flags: <U>
EOT
expect 0 "$RT" add -host 10.7.7.7 10.1.0.1 <<EOT
add host 10.7.7.7
EOT
expect 0 "$RT" add -net 10.8.0.0/16 10.1.0.2 <<EOT
add net 10.8.0.0/16
EOT
expect 0 "$RT" -n add default 10.1.0.9 <<EOT
add net default
EOT
expect 1 "$RT" add -net 10.8.0.0/16 10.1.0.2 <<EOT
rump.route: add 10.8.0.0/16: File exists
EOT
# The whole table, from both tools.
cat >"$W/table" <<EOT
Routing tables

Internet:
Destination              Gateway                  Flags    Interface
default                  10.1.0.9                 UGS      lo0
10.1.0.0/16              link#1                   UC       lo0
10.1.2.3                 link#1                   UHl      lo0
10.7.7.7                 10.1.0.1                 UGHS     lo0
10.8.0.0/16              10.1.0.2                 UGS      lo0
EOT
check 0 "$W/table" "$RT" show
check 0 "$W/table" "$RT" -n show
check 0 "$W/table" "$NS" -rn
expect 2 "$RT" show all <<EOT
rump.route: all: unexpected argument
EOT
expect 0 "$RT" get 10.7.7.7 <<EOT
   route to: 10.7.7.7
    gateway: 10.1.0.1
  interface: index 1
if address: 10.1.2.3
      flags: <UGHS>
EOT
expect 0 "$RT" get 10.8.200.1 <<EOT
   route to: 10.8.0.0
    gateway: 10.1.0.2
       mask: 255.255.0.0
  interface: index 1
if address: 10.1.2.3
      flags: <UGS>
EOT
expect 0 "$RT" get 192.0.2.1 <<EOT
   route to: 0.0.0.0
    gateway: 10.1.0.9
       mask: 0.0.0.0
  interface: index 1
if address: 10.1.2.3
      flags: <UGS>
EOT
expect 0 "$RT" delete default <<EOT
delete net default
EOT
expect 0 "$RT" delete -host 10.7.7.7 <<EOT
delete host 10.7.7.7
EOT
expect 0 "$RT" show <<EOT
Routing tables

Internet:
Destination              Gateway                  Flags    Interface
10.1.0.0/16              link#1                   UC       lo0
10.1.2.3                 link#1                   UHl      lo0
10.8.0.0/16              10.1.0.2                 UGS      lo0
EOT
expect 1 "$RT" get 192.0.2.1 <<EOT
rump.route: get 192.0.2.1: no such route
EOT
expect 1 "$RT" delete -host 10.7.7.7 <<EOT
rump.route: delete 10.7.7.7: no such route
EOT
expect 1 "$RT" add -host 10.6.6.6 192.0.2.1 <<EOT
rump.route: add 10.6.6.6: Network is unreachable
EOT
expect 2 "$RT" add 10.6.6.6 <<EOT
rump.route: 10.6.6.6: needs a gateway, -blackhole or -reject
EOT
expect 2 "$RT" frob 10.6.6.6 <<EOT
rump.route: frob: unknown command (show, monitor, add, change, delete or get)
EOT
expect 2 "$RT" add -net 10.6.0.0 10.1.0.1 <<EOT
rump.route: 10.6.0.0: a -net destination needs /LEN or -netmask
EOT
expect 2 "$RT" get 10.6.6 <<EOT
rump.route: 10.6.6: not an IPv4 destination
EOT

# ping: three replies from the kernel's own address; none through a
# gateway that answers nobody (10.8.0.0/16), exit 1; none to a network
# without a route, each send refused.
"$PING" -c 3 -i 0.1 10.1.2.3 >"$W/out" 2>&1 || fail "ping 10.1.2.3: $?"
sed 's/ time=[0-9.]* ms$//' "$W/out" >"$W/got"
cat >"$W/exp" <<EOT
PING 10.1.2.3 (10.1.2.3): 56 data bytes
64 bytes from 10.1.2.3: icmp_seq=0 ttl=64
64 bytes from 10.1.2.3: icmp_seq=1 ttl=64
64 bytes from 10.1.2.3: icmp_seq=2 ttl=64
--- 10.1.2.3 ping statistics ---
3 packets transmitted, 3 packets received, 0.0% packet loss
EOT
cmp -s "$W/exp" "$W/got" || { cat "$W/out"; fail "ping 10.1.2.3"; }
grep -c ' time=[0-9]*\.[0-9][0-9][0-9] ms$' "$W/out" | grep -qx 3 ||
	fail "ping times"
# Those three in the ICMP counters (no ICMP before them).
"$NS" -s >"$W/out" || fail "netstat -s"
sed -n '/^icmp:/,/^udp:/p' "$W/out" >"$W/got"
for l in '	3 echo replies sent' '	sent, by type:' '		type 0: 3' \
    '	received, by type:' '		type 8: 3'; do
	grep -qxF "$l" "$W/got" || { cat "$W/got"; fail "netstat -s: $l"; }
done
grep -cx '		type [0-9]*: [0-9]*' "$W/got" | grep -qx 3 ||
	{ cat "$W/got"; fail "netstat -s: histogram"; }
grep -qx '	0 no socket on the port' "$W/out" || fail "netstat -s udp"
"$PING" -c 1 -s 1000 127.0.0.1 >/dev/null 2>&1 && fail "ping old address"
"$PING" -c 2 -s 1000 -i 0.1 10.1.2.3 >"$W/out" 2>&1 || fail "ping -s 1000"
grep -q "^1008 bytes from 10.1.2.3: icmp_seq=1 ttl=64 time=" "$W/out" ||
	fail "ping -s 1000"
# Without -c until SIGINT, then the summary (the last reply may be
# on its way) and exit 0.
"$PING" -i 0.1 10.1.2.3 >"$W/out" 2>&1 &
PPID_=$!
sleep 0.5
kill -INT $PPID_
wait $PPID_ || fail "ping until SIGINT: $?"
tail -n 1 "$W/out" | awk '$2 == "packets" && $1 >= 3 && $4 >= $1 - 1 &&
    $4 <= $1 { ok = 1 } END { exit !ok }' ||
	{ cat "$W/out"; fail "ping until SIGINT"; }
expect 1 "$PING" -c 2 -i 0.1 -W 0.3 10.8.1.1 <<EOT
PING 10.8.1.1 (10.8.1.1): 56 data bytes
--- 10.8.1.1 ping statistics ---
2 packets transmitted, 0 packets received, 100.0% packet loss
EOT
expect 1 "$PING" -c 2 -i 0.1 -W 0.2 192.0.2.1 <<EOT
PING 192.0.2.1 (192.0.2.1): 56 data bytes
rump.ping: sendto 192.0.2.1: Network is unreachable
rump.ping: sendto 192.0.2.1: Network is unreachable
--- 192.0.2.1 ping statistics ---
2 packets transmitted, 0 packets received, 100.0% packet loss
EOT
expect 2 "$PING" -c 0 10.1.2.3 <<EOT
rump.ping: -c 0: bad count
EOT
expect 2 "$PING" -c <<EOT
rump.ping: -c: needs a value (--help for usage)
EOT
expect 2 "$PING" -q 10.1.2.3 <<EOT
rump.ping: -q: unknown option (--help for usage)
EOT
expect 2 "$PING" 10.1.2 <<EOT
rump.ping: 10.1.2: not an IPv4 address
EOT
# A blackhole route: sent nowhere, without an error.
expect 0 "$RT" add -net 10.9.0.0 -netmask 255.255.0.0 10.1.0.1 -blackhole <<EOT
add net 10.9.0.0
EOT
expect 0 "$RT" get 10.9.1.1 <<EOT
   route to: 10.9.0.0
    gateway: 10.1.0.1
       mask: 255.255.0.0
  interface: index 1
if address: 10.1.2.3
      flags: <UGBS>
EOT
expect 1 "$PING" -c 2 -i 0.1 -W 0.2 10.9.1.1 <<EOT
PING 10.9.1.1 (10.9.1.1): 56 data bytes
--- 10.9.1.1 ping statistics ---
2 packets transmitted, 0 packets received, 100.0% packet loss
EOT
expect 0 "$RT" delete -net 10.9.0.0/16 <<EOT
delete net 10.9.0.0/16
EOT
expect 2 "$RT" add -net 10.9.0.0 -netmask 255.0.255.0 10.1.0.1 <<EOT
rump.route: 255.0.255.0: not a netmask
EOT
expect 2 "$RT" delete -net 10.9.0.0 -netmask <<EOT
rump.route: -netmask: needs a value
EOT
expect 0 "$RT" delete -net 10.8.0.0/16 <<EOT
delete net 10.8.0.0/16
EOT

# Addresses removed: by value, then the interface's own; the prefix
# route goes with them.
expect 1 "$IFC" lo0 delete 10.1.2.4 <<EOT
rump.ifconfig: SIOCDIFADDR lo0: Cannot assign requested address
EOT
expect 0 "$IFC" lo0 delete 10.1.2.3 </dev/null
expect 0 "$IFC" lo0 <<EOT
lo0: flags=0x49<UP,LOOPBACK,RUNNING> mtu 65536
EOT
expect 0 "$RT" show <<EOT
Routing tables
EOT
expect 0 "$IFC" lo0 127.0.0.1 </dev/null
expect 0 "$IFC" lo0 -alias </dev/null
expect 0 "$IFC" -a <<EOT
lo0: flags=0x49<UP,LOOPBACK,RUNNING> mtu 65536
EOT
expect 1 "$IFC" lo0 -alias <<EOT
rump.ifconfig: SIOCDIFADDR lo0: Cannot assign requested address
EOT

"$BIN/rump.halt" || fail "rump.halt"
wait "$SPID"
st=$?
SPID=
[ $st -eq 0 ] || fail "rump_server exit status $st"
echo PASS
