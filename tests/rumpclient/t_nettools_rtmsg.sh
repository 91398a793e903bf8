#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# The routing socket's announcements (sys/net/rtsock.h) and the tools
# that show them, against served kernels with shmif and IPv6:
# - ten listeners (eight of every family, one of IPv6, rump.route -n
#   monitor) while other clients create an interface, attach it, add
#   and delete IPv4 and IPv6 addresses, bring it up and down, add,
#   change and delete routes, miss a route and destroy the interface:
#   each listener's exact sequence of messages and their fields
#   (h_rtmsg record), and monitor's exact text;
# - a listener while 8 clients create, attach and destroy interfaces at
#   once: every message whole, none lost, each interface's messages
#   between its arrival and its departure;
# - a listener that never reads while a writer keeps working: the
#   overflow counted, the writer never blocked (h_rtmsg overflow);
# - IPv6 address flags in rump.ifconfig: tentative on a down interface,
#   duplicated when two kernels on one bus hold the same address,
#   autoconf and lifetimes from a router advertisement;
# - rump.route show with the neighbour caches' entries (ARP and ND), and
#   a listener hearing them learnt, then what a router advertisement
#   makes (default route, prefix route, autoconf address).
# usage: t_nettools_rtmsg.sh BINDIR
set -u
BIN=$1
W=$(mktemp -d /tmp/t_nettools_rtmsg.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}

# server NAME: a served kernel at unix://$W/NAME.
server() {
	# The components' directory named: under AddressSanitizer, dlopen's
	# caller is the sanitizer's runtime (no run path).
	LD_LIBRARY_PATH="$BIN/../lib" "$BIN/rump_server" -s -lrumpnet \
	    -lrumpnet_net -lrumpnet_netinet -lrumpnet_netinet6 \
	    -lrumpnet_shmif "unix://$W/$1" 2>>"$W/$1.log" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -S "$W/$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$W/$1" ] || fail "rump_server $1 did not start"
}

# check EXPECTEDFILE GOTFILE WHAT: the same, or both shown.
same() {
	if ! cmp -s "$1" "$2"; then
		echo "--- $3: expected:"
		cat "$1"
		echo "--- got:"
		cat "$2"
		fail "$3"
	fi
}
# run CMD...: must succeed quietly.
run() {
	"$@" >"$W/run.out" 2>&1 || {
		cat "$W/run.out"
		fail "$*"
	}
}
# untentative IF: wait until no address of IF is tentative (DAD done).
untentative() {
	i=0
	while "$BIN/rump.ifconfig" "$1" | grep -q tentative; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "$1: still tentative after 10 s"
		sleep 0.1
	done
}
IFC=$BIN/rump.ifconfig
RT=$BIN/rump.route

server k
export RUMP_SERVER="unix://$W/k"

# rump.route monitor first, until it has heard an RTM_GET: then it is
# listening.
"$RT" -n monitor >"$W/mon" 2>&1 &
MPID=$!
PIDS="$PIDS $MPID"
i=0
while ! grep -q RTM_GET "$W/mon" 2>/dev/null; do
	run "$RT" get 127.0.0.1
	i=$((i + 1))
	[ $i -lt 100 ] || fail "rump.route monitor did not start"
	sleep 0.1
done

# Nine recorders, each ready before anything happens.
RPIDS=
for n in 1 2 3 4 5 6 7 8 v6; do
	fam=
	[ $n = v6 ] && fam=inet6
	"$BIN/h_rtmsg" record $fam >"$W/rec.$n" 2>&1 &
	RPIDS="$RPIDS $!"
	PIDS="$PIDS $!"
done
for n in 1 2 3 4 5 6 7 8 v6; do
	i=0
	while ! grep -q ready "$W/rec.$n"; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "h_rtmsg record $n did not start"
		sleep 0.1
	done
done

# The changes, each one's messages complete before the next.
run "$IFC" shmif0 create
run "$IFC" shmif0 linkstr "$W/bus"
run "$IFC" shmif0 10.0.0.1/24
run "$IFC" shmif0 up
untentative shmif0
run "$IFC" shmif0 inet6 2001:db8::1/64
untentative shmif0
run "$RT" add 10.1.0.0/16 10.0.0.254
run "$RT" change 10.1.0.0/16 10.0.0.253
run "$RT" add -inet6 2001:db8:5::/48 2001:db8::9
run "$RT" delete 10.1.0.0/16
run "$RT" delete -inet6 2001:db8:5::/48
run "$IFC" shmif0 inet6 2001:db8::1 delete
"$BIN/rump.ping" -c 1 -W 1 192.0.2.1 >"$W/ping" 2>&1 &&
    fail "ping 192.0.2.1: no route, yet it succeeded"
run "$IFC" shmif0 down
run "$IFC" shmif0 destroy
run "$RT" add -host 203.0.113.99 127.0.0.1
run "$RT" add -inet6 -host 2001:db8:ff::99 ::1

for p in $RPIDS; do
	wait "$p" || fail "h_rtmsg record exited $?"
done

# What every listener of all families heard, in this order (the random
# link address named MAC, the link-local address made from it LL).
cat >"$W/exp" <<'EOT'
ready
RTM_IFANNOUNCE len=24 if#2 name=shmif0 what=0
RTM_NEWADDR len=112 if#2 flags=0x0 metric=0 addrflags=0x1 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=fe80::LL%2
RTM_IFINFO len=48 if#2 flags=0x11002 mtu=1500 link=2 IFP=link#2/6=MAC
RTM_NEWADDR len=96 if#2 flags=0x0 metric=0 addrflags=0x0 NETMASK=255.0.0.0 IFP=link#2/6=MAC IFA=10.0.0.1 BRD=10.255.255.255
RTM_ADD len=120 if#2 flags=0x800001 pid=kernel seq=0 errno=0 DST=10.0.0.0 NETMASK=255.0.0.0 IFP=link#2/6=MAC IFA=10.0.0.1
RTM_ADD len=104 if#1 flags=0x200005 pid=kernel seq=0 errno=0 DST=10.0.0.1 IFP=link#1/0 IFA=10.0.0.1
RTM_DELETE len=104 if#1 flags=0x200004 pid=kernel seq=0 errno=0 DST=10.0.0.1 IFP=link#1/0 IFA=10.0.0.1
RTM_DELETE len=120 if#2 flags=0x800000 pid=kernel seq=0 errno=0 DST=10.0.0.0 NETMASK=255.0.0.0 IFP=link#2/6=MAC IFA=10.0.0.1
RTM_DELADDR len=96 if#2 flags=0x0 metric=0 addrflags=0x0 NETMASK=255.0.0.0 IFP=link#2/6=MAC IFA=10.0.0.1 BRD=10.255.255.255
RTM_NEWADDR len=96 if#2 flags=0x0 metric=0 addrflags=0x0 NETMASK=255.255.255.0 IFP=link#2/6=MAC IFA=10.0.0.1 BRD=10.0.0.255
RTM_ADD len=120 if#2 flags=0x800001 pid=kernel seq=0 errno=0 DST=10.0.0.0 NETMASK=255.255.255.0 IFP=link#2/6=MAC IFA=10.0.0.1
RTM_ADD len=104 if#1 flags=0x200005 pid=kernel seq=0 errno=0 DST=10.0.0.1 IFP=link#1/0 IFA=10.0.0.1
RTM_IFINFO len=48 if#2 flags=0x11043 mtu=1500 link=2 IFP=link#2/6=MAC
RTM_CHGADDR len=112 if#2 flags=0x0 metric=0 addrflags=0x0 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=fe80::LL%2
RTM_NEWADDR len=112 if#2 flags=0x0 metric=0 addrflags=0x1 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=2001:db8::1%0
RTM_ADD len=168 if#2 flags=0x800001 pid=kernel seq=0 errno=0 DST=2001:db8::%0 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=2001:db8::1%0
RTM_CHGADDR len=112 if#2 flags=0x1 metric=0 addrflags=0x0 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=2001:db8::1%0
RTM_ADD len=136 if#2 flags=0x843 pid=client seq=1 errno=0 DST=10.1.0.0 GATEWAY=10.0.0.254 NETMASK=255.255.0.0 IFP=link#2/6=MAC IFA=10.0.0.1
RTM_CHANGE len=136 if#2 flags=0x863 pid=client seq=1 errno=0 DST=10.1.0.0 GATEWAY=10.0.0.253 NETMASK=255.255.0.0 IFP=link#2/6=MAC IFA=10.0.0.1
RTM_ADD len=200 if#2 flags=0x843 pid=client seq=1 errno=0 DST=2001:db8:5::%0 GATEWAY=2001:db8::9%0 NETMASK=ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=2001:db8::1%0
RTM_DELETE len=136 if#2 flags=0x862 pid=client seq=1 errno=0 DST=10.1.0.0 GATEWAY=10.0.0.253 NETMASK=255.255.0.0 IFP=link#2/6=MAC IFA=10.0.0.1
RTM_DELETE len=200 if#2 flags=0x842 pid=client seq=1 errno=0 DST=2001:db8:5::%0 GATEWAY=2001:db8::9%0 NETMASK=ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=2001:db8::1%0
RTM_DELETE len=168 if#2 flags=0x800000 pid=kernel seq=0 errno=0 DST=2001:db8::%0 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=2001:db8::1%0
RTM_DELADDR len=112 if#2 flags=0x0 metric=0 addrflags=0x40 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=2001:db8::1%0
RTM_MISS len=64 if#0 flags=0x0 pid=kernel seq=0 errno=101 DST=192.0.2.1
RTM_IFINFO len=48 if#2 flags=0x11002 mtu=1500 link=2 IFP=link#2/6=MAC
RTM_DELETE len=104 if#1 flags=0x200004 pid=kernel seq=0 errno=0 DST=10.0.0.1 IFP=link#1/0 IFA=10.0.0.1
RTM_DELETE len=120 if#2 flags=0x800000 pid=kernel seq=0 errno=0 DST=10.0.0.0 NETMASK=255.255.255.0 IFP=link#2/6=MAC IFA=10.0.0.1
RTM_DELADDR len=96 if#2 flags=0x0 metric=0 addrflags=0x0 NETMASK=255.255.255.0 IFP=link#2/6=MAC IFA=10.0.0.1 BRD=10.0.0.255
RTM_DELADDR len=112 if#2 flags=0x0 metric=0 addrflags=0x40 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=MAC IFA=fe80::LL%2
RTM_IFANNOUNCE len=24 if#2 name=shmif0 what=1
RTM_ADD len=120 if#1 flags=0x847 pid=client seq=1 errno=0 DST=203.0.113.99 GATEWAY=127.0.0.1 IFP=link#1/0 IFA=127.0.0.1
RTM_ADD len=168 if#1 flags=0x847 pid=client seq=1 errno=0 DST=2001:db8:ff::99%0 GATEWAY=::1%0 IFP=link#1/0 IFA=::1%0
lost 0
EOT
for n in 1 2 3 4 5 6 7 8 v6; do
	sed -e 's/fe80::[0-9a-f:]*%2/fe80::LL%2/' \
	    -e 's/\(link#2\/6\)=[0-9a-f:]\{17\}/\1=MAC/g' "$W/rec.$n" \
	    >"$W/rec.$n.out"
done
for n in 1 2 3 4 5 6 7 8; do
	same "$W/exp" "$W/rec.$n.out" "listener $n"
done
# The IPv6 listener: the same but for IPv4's messages.
grep -e ready -e % -e IFANNOUNCE -e IFINFO -e '^lost' "$W/exp" >"$W/exp6"
same "$W/exp6" "$W/rec.v6.out" "IPv6 listener"

# The monitor: the date, the link address and client pids vary.
kill "$MPID"
wait "$MPID" 2>/dev/null
awk 'BEGIN { skip = 1 }
	skip && /^got message/ { blk = $0; next }
	skip && /RTM_GET/ { getting = 1; next }
	skip && getting && /^$/ { getting = 0; next }
	skip && getting { next }
	{ if (skip && blk != "") print blk; skip = 0; print }' "$W/mon" |
    sed -e 's/^got message of size \([0-9]*\) on .*/got message of size \1/' \
	-e 's/ pid: [1-9][0-9]*,/ pid: P,/' \
	-e 's/\(link#[0-9]*\) [0-9a-f:]\{17\}/\1 MAC/g' \
	-e 's/fe80::[0-9a-f:]*%2/fe80::LL%2/' >"$W/mon.out"
cat >"$W/exp" <<'EOT'
got message of size 24
RTM_IFANNOUNCE: iface arrival/departure: len 24, if# 2, name shmif0, what: arrival

got message of size 112
RTM_NEWADDR: address being added to iface: len 112, if# 2, metric 0, flags:<>, addrflags:<TENTATIVE>
sockaddrs: <NETMASK,IFP,IFA>
 ffff:ffff:ffff:ffff:: link#2 MAC fe80::LL%2

got message of size 48
RTM_IFINFO: iface status change: len 48, if# 2, mtu 1500, link: up, flags:<BROADCAST,MULTICAST,LOWER_UP>
sockaddrs: <IFP>
 link#2 MAC

got message of size 96
RTM_NEWADDR: address being added to iface: len 96, if# 2, metric 0, flags:<>, addrflags:<>
sockaddrs: <NETMASK,IFP,IFA,BRD>
 255.0.0.0 link#2 MAC 10.0.0.1 10.255.255.255

got message of size 120
RTM_ADD: Add Route: len 120, if# 2, pid: 0, seq 0, errno 0, flags:<UP,CONNECTED>
sockaddrs: <DST,NETMASK,IFP,IFA>
 10.0.0.0 255.0.0.0 link#2 MAC 10.0.0.1

got message of size 104
RTM_ADD: Add Route: len 104, if# 1, pid: 0, seq 0, errno 0, flags:<UP,HOST,LOCAL>
sockaddrs: <DST,IFP,IFA>
 10.0.0.1 link#1 10.0.0.1

got message of size 104
RTM_DELETE: Delete Route: len 104, if# 1, pid: 0, seq 0, errno 0, flags:<HOST,LOCAL>
sockaddrs: <DST,IFP,IFA>
 10.0.0.1 link#1 10.0.0.1

got message of size 120
RTM_DELETE: Delete Route: len 120, if# 2, pid: 0, seq 0, errno 0, flags:<CONNECTED>
sockaddrs: <DST,NETMASK,IFP,IFA>
 10.0.0.0 255.0.0.0 link#2 MAC 10.0.0.1

got message of size 96
RTM_DELADDR: address being removed from iface: len 96, if# 2, metric 0, flags:<>, addrflags:<>
sockaddrs: <NETMASK,IFP,IFA,BRD>
 255.0.0.0 link#2 MAC 10.0.0.1 10.255.255.255

got message of size 96
RTM_NEWADDR: address being added to iface: len 96, if# 2, metric 0, flags:<>, addrflags:<>
sockaddrs: <NETMASK,IFP,IFA,BRD>
 255.255.255.0 link#2 MAC 10.0.0.1 10.0.0.255

got message of size 120
RTM_ADD: Add Route: len 120, if# 2, pid: 0, seq 0, errno 0, flags:<UP,CONNECTED>
sockaddrs: <DST,NETMASK,IFP,IFA>
 10.0.0.0 255.255.255.0 link#2 MAC 10.0.0.1

got message of size 104
RTM_ADD: Add Route: len 104, if# 1, pid: 0, seq 0, errno 0, flags:<UP,HOST,LOCAL>
sockaddrs: <DST,IFP,IFA>
 10.0.0.1 link#1 10.0.0.1

got message of size 48
RTM_IFINFO: iface status change: len 48, if# 2, mtu 1500, link: up, flags:<UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP>
sockaddrs: <IFP>
 link#2 MAC

got message of size 112
RTM_CHGADDR: address properties changed: len 112, if# 2, metric 0, flags:<>, addrflags:<>
sockaddrs: <NETMASK,IFP,IFA>
 ffff:ffff:ffff:ffff:: link#2 MAC fe80::LL%2

got message of size 112
RTM_NEWADDR: address being added to iface: len 112, if# 2, metric 0, flags:<>, addrflags:<TENTATIVE>
sockaddrs: <NETMASK,IFP,IFA>
 ffff:ffff:ffff:ffff:: link#2 MAC 2001:db8::1

got message of size 168
RTM_ADD: Add Route: len 168, if# 2, pid: 0, seq 0, errno 0, flags:<UP,CONNECTED>
sockaddrs: <DST,NETMASK,IFP,IFA>
 2001:db8:: ffff:ffff:ffff:ffff:: link#2 MAC 2001:db8::1

got message of size 112
RTM_CHGADDR: address properties changed: len 112, if# 2, metric 0, flags:<UP>, addrflags:<>
sockaddrs: <NETMASK,IFP,IFA>
 ffff:ffff:ffff:ffff:: link#2 MAC 2001:db8::1

got message of size 136
RTM_ADD: Add Route: len 136, if# 2, pid: P, seq 1, errno 0, flags:<UP,GATEWAY,DONE,STATIC>
sockaddrs: <DST,GATEWAY,NETMASK,IFP,IFA>
 10.1.0.0 10.0.0.254 255.255.0.0 link#2 MAC 10.0.0.1

got message of size 136
RTM_CHANGE: Change Metrics or flags: len 136, if# 2, pid: P, seq 1, errno 0, flags:<UP,GATEWAY,MODIFIED,DONE,STATIC>
sockaddrs: <DST,GATEWAY,NETMASK,IFP,IFA>
 10.1.0.0 10.0.0.253 255.255.0.0 link#2 MAC 10.0.0.1

got message of size 200
RTM_ADD: Add Route: len 200, if# 2, pid: P, seq 1, errno 0, flags:<UP,GATEWAY,DONE,STATIC>
sockaddrs: <DST,GATEWAY,NETMASK,IFP,IFA>
 2001:db8:5:: 2001:db8::9 ffff:ffff:ffff:: link#2 MAC 2001:db8::1

got message of size 136
RTM_DELETE: Delete Route: len 136, if# 2, pid: P, seq 1, errno 0, flags:<GATEWAY,MODIFIED,DONE,STATIC>
sockaddrs: <DST,GATEWAY,NETMASK,IFP,IFA>
 10.1.0.0 10.0.0.253 255.255.0.0 link#2 MAC 10.0.0.1

got message of size 200
RTM_DELETE: Delete Route: len 200, if# 2, pid: P, seq 1, errno 0, flags:<GATEWAY,DONE,STATIC>
sockaddrs: <DST,GATEWAY,NETMASK,IFP,IFA>
 2001:db8:5:: 2001:db8::9 ffff:ffff:ffff:: link#2 MAC 2001:db8::1

got message of size 168
RTM_DELETE: Delete Route: len 168, if# 2, pid: 0, seq 0, errno 0, flags:<CONNECTED>
sockaddrs: <DST,NETMASK,IFP,IFA>
 2001:db8:: ffff:ffff:ffff:ffff:: link#2 MAC 2001:db8::1

got message of size 112
RTM_DELADDR: address being removed from iface: len 112, if# 2, metric 0, flags:<>, addrflags:<DETACHED>
sockaddrs: <NETMASK,IFP,IFA>
 ffff:ffff:ffff:ffff:: link#2 MAC 2001:db8::1

got message of size 64
RTM_MISS: Lookup failed on this address: len 64, if# 0, pid: 0, seq 0, errno 101, flags:<>
sockaddrs: <DST>
 192.0.2.1

got message of size 48
RTM_IFINFO: iface status change: len 48, if# 2, mtu 1500, link: up, flags:<BROADCAST,MULTICAST,LOWER_UP>
sockaddrs: <IFP>
 link#2 MAC

got message of size 104
RTM_DELETE: Delete Route: len 104, if# 1, pid: 0, seq 0, errno 0, flags:<HOST,LOCAL>
sockaddrs: <DST,IFP,IFA>
 10.0.0.1 link#1 10.0.0.1

got message of size 120
RTM_DELETE: Delete Route: len 120, if# 2, pid: 0, seq 0, errno 0, flags:<CONNECTED>
sockaddrs: <DST,NETMASK,IFP,IFA>
 10.0.0.0 255.255.255.0 link#2 MAC 10.0.0.1

got message of size 96
RTM_DELADDR: address being removed from iface: len 96, if# 2, metric 0, flags:<>, addrflags:<>
sockaddrs: <NETMASK,IFP,IFA,BRD>
 255.255.255.0 link#2 MAC 10.0.0.1 10.0.0.255

got message of size 112
RTM_DELADDR: address being removed from iface: len 112, if# 2, metric 0, flags:<>, addrflags:<DETACHED>
sockaddrs: <NETMASK,IFP,IFA>
 ffff:ffff:ffff:ffff:: link#2 MAC fe80::LL%2

got message of size 24
RTM_IFANNOUNCE: iface arrival/departure: len 24, if# 2, name shmif0, what: departure

got message of size 120
RTM_ADD: Add Route: len 120, if# 1, pid: P, seq 1, errno 0, flags:<UP,GATEWAY,HOST,DONE,STATIC>
sockaddrs: <DST,GATEWAY,IFP,IFA>
 203.0.113.99 127.0.0.1 link#1 127.0.0.1

got message of size 168
RTM_ADD: Add Route: len 168, if# 1, pid: P, seq 1, errno 0, flags:<UP,GATEWAY,HOST,DONE,STATIC>
sockaddrs: <DST,GATEWAY,IFP,IFA>
 2001:db8:ff::99 ::1 link#1 ::1

EOT
same "$W/exp" "$W/mon.out" "rump.route monitor"

# Under load: a listener while 8 clients at once create, attach and
# destroy shmif1-shmif3 three times each.  Whatever order the kernel
# chose, every message is whole, nothing is lost, each interface
# arrives once and departs once, after, and its addresses and state
# are announced only while it is there, each address added then removed.
run "$RT" delete -inet6 -host 2001:db8:ff::99
"$BIN/h_rtmsg" record >"$W/rec.load" 2>&1 &
LPID=$!
PIDS="$PIDS $LPID"
i=0
while ! grep -q ready "$W/rec.load"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "h_rtmsg record (load) did not start"
	sleep 0.1
done
CPIDS=
for c in 1 2 3 4 5 6 7 8; do
	(
		for r in 1 2 3; do
			for n in 1 2 3; do
				"$IFC" shmif$n create linkstr "$W/bus.$n" \
				    >/dev/null 2>&1
				"$IFC" shmif$n destroy >/dev/null 2>&1
			done
		done
	) &
	CPIDS="$CPIDS $!"
done
for p in $CPIDS; do
	wait "$p"
done
run "$RT" add -inet6 -host 2001:db8:ff::99 ::1
wait "$LPID" || fail "h_rtmsg record (load) exited $?: $(tail -1 "$W/rec.load")"
awk '
function bad(why) { print "line " NR ": " why ": " $0; err = 1; exit 1 }
/^ready$/ || /^lost 0$/ { next }
/^RTM_IFANNOUNCE/ {
	split($3, a, "#"); i = a[2]; name = $4; what = $5
	if (what == "what=0") {
		if (i in seen) bad("index arrives twice")
		seen[i] = 1; live[i] = 1; arrivals++
	} else if (what == "what=1") {
		if (!(i in live) || !live[i]) bad("departs, not there")
		if (naddr[i] != 0) bad("departs with addresses")
		live[i] = 0; departures++
	} else bad("what")
	next
}
/^RTM_(NEWADDR|DELADDR|CHGADDR|IFINFO)/ {
	split($3, a, "#"); i = a[2]
	if (!(i in live) || !live[i]) bad("about an interface not there")
	if ($1 == "RTM_NEWADDR") naddr[i]++
	if ($1 == "RTM_DELADDR" && --naddr[i] < 0) bad("removed, never added")
	next
}
/^RTM_ADD .*DST=2001:db8:ff::99%0/ { last = 1; next }
{ bad("unexpected") }
END {
	if (err) exit 1
	if (!last) { print "no last message"; exit 1 }
	if (arrivals == 0 || arrivals != departures) {
		print arrivals " arrivals, " departures " departures"; exit 1
	}
	print arrivals " interfaces came and went"
}' "$W/rec.load" >"$W/load.out" || {
	cat "$W/load.out"
	fail "announcements under load"
}
for n in 1 2 3; do
	"$IFC" shmif$n >/dev/null 2>&1 && fail "shmif$n is still there"
done

# A listener that never reads: its losses counted, the writer unhurt.
"$BIN/h_rtmsg" overflow 300 >"$W/ovf" 2>&1 || {
	cat "$W/ovf"
	fail "h_rtmsg overflow"
}

# Two kernels on one bus: A's address is duplicated in B.
server a
server b
RUMP_SERVER="unix://$W/a" run "$IFC" shmif0 create linkstr "$W/bus2" \
    10.0.1.1/24 up inet6 2001:db8:2::1/64
RUMP_SERVER="unix://$W/a" untentative shmif0
RUMP_SERVER="unix://$W/b" run "$IFC" shmif0 create linkstr "$W/bus2" \
    10.0.1.2/24
# Down: the link-local address waits, tentative.
RUMP_SERVER="unix://$W/b" "$IFC" shmif0 inet6 2001:db8:2::1/64
RUMP_SERVER="unix://$W/b" "$IFC" shmif0 | sed \
    -e 's/address: [0-9a-f:]\{17\}$/address: MAC/' \
    -e 's/inet6 fe80::[0-9a-f:]*%/inet6 fe80::LL%/' >"$W/out"
cat >"$W/exp" <<EOT
shmif0: flags=0x11002<BROADCAST,MULTICAST,LOWER_UP> mtu 1500
	address: MAC
	linkstr: W/bus2
	inet 10.0.1.2 netmask 255.255.255.0 (/24)
	inet6 fe80::LL%shmif0/64 tentative scopeid 0x2
	inet6 2001:db8:2::1/64 tentative
EOT
sed -i "s|$W|W|g" "$W/out"
same "$W/exp" "$W/out" "B down: tentative"
RUMP_SERVER="unix://$W/b" run "$IFC" shmif0 up
i=0
while ! RUMP_SERVER="unix://$W/b" "$IFC" shmif0 | grep -q duplicated; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "B: DAD did not find the duplicate"
	sleep 0.1
done
RUMP_SERVER="unix://$W/b" untentative shmif0
RUMP_SERVER="unix://$W/b" "$IFC" shmif0 | sed \
    -e 's/address: [0-9a-f:]\{17\}$/address: MAC/' \
    -e 's/inet6 fe80::[0-9a-f:]*%/inet6 fe80::LL%/' -e "s|$W|W|g" >"$W/out"
cat >"$W/exp" <<EOT
shmif0: flags=0x11043<UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP> mtu 1500
	address: MAC
	linkstr: W/bus2
	inet 10.0.1.2 netmask 255.255.255.0 (/24)
	inet6 fe80::LL%shmif0/64 scopeid 0x2
	inet6 2001:db8:2::1/64 duplicated
EOT
same "$W/exp" "$W/out" "B: duplicated"
grep -q "shmif0: duplicate IPv6 address 2001:db8:2:0:0:0:0:1 detected" \
    "$W/b.log" || fail "B's log: no duplicate address line"
# A keeps its address, usable.
RUMP_SERVER="unix://$W/a" "$IFC" shmif0 | grep 2001 >"$W/out"
printf '\tinet6 2001:db8:2::1/64\n' >"$W/exp"
same "$W/exp" "$W/out" "A: its address"

# Neighbours: A pings B over IPv4 and sends to B's link-local address
# over IPv6; A's table then shows both as host routes with their link
# addresses, flags UHL, and a listener on A hears them added.
RUMP_SERVER="unix://$W/a" "$BIN/h_rtmsg" record >"$W/rec.ra" 2>&1 &
RAPID=$!
PIDS="$PIDS $RAPID"
i=0
while ! grep -q ready "$W/rec.ra"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "h_rtmsg record on A did not start"
	sleep 0.1
done
run env RUMP_SERVER="unix://$W/a" "$BIN/rump.ping" -c 1 10.0.1.2
BLL=$(RUMP_SERVER="unix://$W/b" "$IFC" shmif0 |
    sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)%.*/\1/p')
BMAC=$(RUMP_SERVER="unix://$W/b" "$IFC" shmif0 |
    sed -n 's/.*address: \([0-9a-f:]\{17\}\)$/\1/p')
[ -n "$BLL" ] && [ -n "$BMAC" ] || fail "B's link-local or link address"
run env RUMP_SERVER="unix://$W/a" "$BIN/h_rtmsg" send6 "$BLL" 2
i=0
while ! RUMP_SERVER="unix://$W/a" "$RT" show | grep -q "^$BLL.*$BMAC"; do
	i=$((i + 1))
	[ $i -lt 50 ] || break
	sleep 0.1
done
# (Spaces squeezed: the columns move with the lengths of the names.)
RUMP_SERVER="unix://$W/a" "$RT" show | sed -e "s/$BMAC/BMAC/" \
    -e "s/$BLL/BLL/" | tr -s ' ' >"$W/out"
cat >"$W/exp" <<'EOT'
Routing tables

Internet:
Destination Gateway Flags Interface
10.0.1.0/24 link#2 UC shmif0
10.0.1.1 link#1 UHl lo0
10.0.1.2 BMAC UHL shmif0
127.0.0.0/8 link#1 UC lo0
127.0.0.1 link#1 UHl lo0

Internet6:
Destination Gateway Flags Interface
2001:db8:2::/64 link#2 UC shmif0
BLL%shmif0 BMAC UHL shmif0
EOT
same "$W/exp" "$W/out" "A: route show with neighbours"

# B advertises itself as a router and a prefix: A's listener hears the
# default route and the prefix's route neighbour discovery adds, and
# the address it makes; A shows the address flagged autoconf, with its
# lifetimes (preferred 3600 s, valid 7200 s, a few gone).
run env RUMP_SERVER="unix://$W/b" "$BIN/h_rtmsg" ra 2 2001:db8:7::
i=0
while ! RUMP_SERVER="unix://$W/a" "$IFC" shmif0 | grep -q 2001:db8:7; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "A: no address from B's advertisement"
	sleep 0.1
done
RUMP_SERVER="unix://$W/a" untentative shmif0
RUMP_SERVER="unix://$W/a" "$IFC" shmif0 | grep 2001:db8:7 >"$W/out"
read -r _ addr fl _ pl _ vl rest <"$W/out"
case $addr in
2001:db8:7:0:*/64) ;;
*) fail "A: autoconf address $addr" ;;
esac
[ "$fl" = autoconf ] && [ -z "$rest" ] &&
    [ "$pl" -le 3600 ] && [ "$pl" -ge 3590 ] &&
    [ "$vl" -le 7200 ] && [ "$vl" -ge 7190 ] ||
    fail "A: autoconf address: $(cat "$W/out")"
grep -q "autoconf pltime $pl vltime $vl\$" "$W/out" ||
    fail "A: lifetimes: $(cat "$W/out")"
RUMP_SERVER="unix://$W/a" run "$RT" add -inet6 -host 2001:db8:ff::99 ::1
wait "$RAPID" || fail "h_rtmsg record on A exited $?"
IID=${addr#2001:db8:7:0:}
IID=${IID%/64}
ALL=$(RUMP_SERVER="unix://$W/a" "$IFC" shmif0 |
    sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)%.*/\1/p')
AMAC=$(RUMP_SERVER="unix://$W/a" "$IFC" shmif0 |
    sed -n 's/.*address: \([0-9a-f:]\{17\}\)$/\1/p')
sed -e "s/$BLL/BLL/g" -e "s/$ALL/ALL/g" -e "s/$BMAC/BMAC/g" \
    -e "s/$AMAC/AMAC/g" -e "s/2001:db8:7:0:$IID/2001:db8:7::IID/g" \
    -e "s/2001:db8:7::$IID/2001:db8:7::IID/g" "$W/rec.ra" >"$W/out"
cat >"$W/exp" <<'EOT'
ready
RTM_ADD len=112 if#2 flags=0x405 pid=kernel seq=0 errno=0 DST=10.0.1.2 GATEWAY=link#2/6=BMAC IFP=link#2/6=AMAC
RTM_ADD len=128 if#2 flags=0x405 pid=kernel seq=0 errno=0 DST=BLL%2 GATEWAY=link#2/6=BMAC IFP=link#2/6=AMAC
RTM_ADD len=200 if#2 flags=0x3 pid=kernel seq=0 errno=0 DST=::%0 GATEWAY=BLL%2 NETMASK=::%0 IFP=link#2/6=AMAC IFA=ALL%2
RTM_ADD len=168 if#2 flags=0x800001 pid=kernel seq=0 errno=0 DST=2001:db8:7::%0 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=AMAC IFA=ALL%2
RTM_NEWADDR len=112 if#2 flags=0x0 metric=0 addrflags=0x9 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=AMAC IFA=2001:db8:7::IID%0
RTM_CHGADDR len=112 if#2 flags=0x0 metric=0 addrflags=0x8 NETMASK=ffff:ffff:ffff:ffff::%0 IFP=link#2/6=AMAC IFA=2001:db8:7::IID%0
RTM_ADD len=168 if#1 flags=0x847 pid=client seq=1 errno=0 DST=2001:db8:ff::99%0 GATEWAY=::1%0 IFP=link#1/0 IFA=::1%0
lost 0
EOT
same "$W/exp" "$W/out" "A: what ARP and neighbour discovery announced"

# The kernels said nothing of the sanitizers' (UBSan goes on).
if grep -l -e 'runtime error' -e AddressSanitizer "$W"/*.log; then
	cat "$W"/*.log
	fail "sanitizer reports"
fi
exit 0
