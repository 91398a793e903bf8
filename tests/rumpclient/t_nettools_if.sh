#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Interfaces made from a client, and IPv6 in the tools: rump.ifconfig
# create, linkstr, -linkstr and destroy (the kernel's SIOCIFCREATE,
# SIOCSLINKSTR, SIOCGLINKSTR, SIOCIFDESTROY), inet6 addresses listed
# (net.route.iflist) with their flags (tentative while down), added and
# deleted, and rump.route adding, looking
# up and deleting IPv6 routes, against a served kernel with shmif and
# IPv6: the exact lines and exit status of every request, good and bad.
# usage: t_nettools_if.sh BINDIR
set -u
BIN=$1
W=$(mktemp -d /tmp/t_nettools_if.XXXXXX)
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
    -lrumpnet_net -lrumpnet_netinet -lrumpnet_netinet6 -lrumpnet_shmif \
    "$RUMP_SERVER" &
SPID=$!
i=0
while [ ! -S "$W/sock" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$W/sock" ] || fail "rump_server did not start"

# check WANTSTATUS EXPECTEDFILE CMD...: stdout and stderr together, the
# random link address and the link-local address made from it named.
check() {
	want=$1
	exp=$2
	shift 2
	"$@" >"$W/raw" 2>&1
	st=$?
	sed -e 's/address: [0-9a-f:]\{17\}$/address: MAC/' \
	    -e 's/inet6 fe80::[0-9a-f:]*%/inet6 fe80::LL%/' \
	    -e 's/if address: fe80::[0-9a-f:]*%/if address: fe80::LL%/' \
	    -e "s|$W|W|g" "$W/raw" >"$W/out"
	if [ $st -ne "$want" ] || ! cmp -s "$exp" "$W/out"; then
		echo "--- $*: status $st (wanted $want); expected:"
		cat "$exp"
		echo "--- got:"
		cat "$W/out"
		fail "$*"
	fi
}
expect() {
	w=$1
	shift
	cat >"$W/exp"
	check "$w" "$W/exp" "$@"
}
IFC=$BIN/rump.ifconfig
RT=$BIN/rump.route

expect 0 "$IFC" -a <<EOT
lo0: flags=0x49<UP,LOOPBACK,RUNNING> mtu 65536
	inet 127.0.0.1 netmask 255.0.0.0 (/8)
	inet6 ::1/128
EOT
expect 0 "$IFC" shmif0 create </dev/null
expect 1 "$IFC" shmif0 create <<EOT
rump.ifconfig: create shmif0: File exists
EOT
expect 1 "$IFC" nosuch0 create <<EOT
rump.ifconfig: create nosuch0: Invalid argument
EOT
expect 1 "$IFC" lo0 destroy <<EOT
rump.ifconfig: destroy lo0: Invalid argument
EOT
# Not on a bus yet: no link string.
expect 0 "$IFC" shmif0 <<EOT
shmif0: flags=0x1002<BROADCAST,MULTICAST> mtu 1500
	address: MAC
	inet6 fe80::LL%shmif0/64 tentative scopeid 0x2
EOT
expect 0 "$IFC" shmif0 linkstr "$W/bus" </dev/null
[ -f "$W/bus" ] || fail "linkstr: the bus file was not made"
expect 1 "$IFC" shmif0 linkstr "$W/bus2" <<EOT
rump.ifconfig: linkstr shmif0: Device or resource busy
EOT
expect 0 "$IFC" shmif0 <<EOT
shmif0: flags=0x11002<BROADCAST,MULTICAST,LOWER_UP> mtu 1500
	address: MAC
	linkstr: W/bus
	inet6 fe80::LL%shmif0/64 tentative scopeid 0x2
EOT
expect 0 "$IFC" shmif0 -linkstr </dev/null
expect 1 "$IFC" shmif0 -linkstr <<EOT
rump.ifconfig: -linkstr shmif0: No such device or address
EOT
expect 1 "$IFC" lo0 linkstr x <<EOT
rump.ifconfig: linkstr lo0: Operation not supported
EOT
expect 2 "$IFC" shmif0 linkstr '' <<EOT
rump.ifconfig: linkstr: empty
EOT
expect 2 "$IFC" shmif0 linkstr <<EOT
rump.ifconfig: linkstr: needs a value
EOT

# One request: a link string, up, IPv4 and IPv6 addresses.
expect 0 "$IFC" shmif0 linkstr "$W/bus" 10.0.0.1/24 up inet6 \
    2001:db8::1/64 </dev/null
expect 0 "$IFC" shmif0 inet6 2001:db8:1::1 prefixlen 48 </dev/null
# Up: tentative until duplicate address detection is done.
i=0
while "$IFC" shmif0 | grep -q tentative; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "shmif0: still tentative after 10 s"
	sleep 0.1
done
expect 0 "$IFC" shmif0 <<EOT
shmif0: flags=0x11043<UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP> mtu 1500
	address: MAC
	linkstr: W/bus
	inet 10.0.0.1 netmask 255.255.255.0 (/24)
	inet6 fe80::LL%shmif0/64 scopeid 0x2
	inet6 2001:db8::1/64
	inet6 2001:db8:1::1/48
EOT
expect 0 "$IFC" shmif0 inet6 2001:db8:1::1 delete </dev/null
expect 1 "$IFC" shmif0 inet6 2001:db8:1::1 -alias <<EOT
rump.ifconfig: SIOCDIFADDR inet6 shmif0: Cannot assign requested address
EOT
expect 2 "$IFC" shmif0 inet6 2001:db8::/129 <<EOT
rump.ifconfig: 2001:db8::/129: not an IPv6 address
EOT
expect 2 "$IFC" shmif0 inet6 10.0.0.1 <<EOT
rump.ifconfig: 10.0.0.1: not an IPv6 address
EOT
expect 2 "$IFC" shmif0 inet6 delete <<EOT
rump.ifconfig: inet6 delete: needs an address
EOT
expect 2 "$IFC" shmif0 inet6 2001:db8::5 prefixlen 200 <<EOT
rump.ifconfig: prefixlen 200: not a prefix length
EOT

# IPv6 routes: through a global and a link-local gateway, the default,
# a host route; looked up by longest prefix; deleted.
expect 0 "$RT" add -inet6 2001:db8:5::/48 2001:db8::9 <<EOT
add net 2001:db8:5::/48
EOT
expect 0 "$RT" add 2001:db8:6:: -prefixlen 64 fe80::1%shmif0 <<EOT
add net 2001:db8:6::
EOT
expect 0 "$RT" add -inet6 default fe80::2%2 <<EOT
add net default
EOT
expect 0 "$RT" add -host 2001:db8:7::7 2001:db8::9 <<EOT
add host 2001:db8:7::7
EOT
expect 1 "$RT" add -inet6 2001:db8:5::/48 2001:db8::9 <<EOT
rump.route: add 2001:db8:5::/48: File exists
EOT
expect 0 "$RT" show <<EOT
Routing tables

Internet:
Destination              Gateway                  Flags    Interface
10.0.0.0/24              link#2                   UC       shmif0
10.0.0.1                 link#1                   UHl      lo0
127.0.0.0/8              link#1                   UC       lo0
127.0.0.1                link#1                   UHl      lo0

Internet6:
Destination              Gateway                  Flags    Interface
default                  fe80::2%shmif0           UGS      shmif0
2001:db8::/64            link#2                   UC       shmif0
2001:db8:5::/48          2001:db8::9              UGS      shmif0
2001:db8:6::/64          fe80::1%shmif0           UGS      shmif0
2001:db8:7::7            2001:db8::9              UGHS     shmif0
EOT
expect 0 "$RT" get 2001:db8:5:ffff::1 <<EOT
   route to: 2001:db8:5::
    gateway: 2001:db8::9
       mask: ffff:ffff:ffff::
  interface: index 2
if address: 2001:db8::1
      flags: <UGS>
EOT
expect 0 "$RT" get 2001:db8:6::9 <<EOT
   route to: 2001:db8:6::
    gateway: fe80::1%2
       mask: ffff:ffff:ffff:ffff::
  interface: index 2
if address: fe80::LL%2
      flags: <UGS>
EOT
expect 0 "$RT" get 2001:db8:7::7 <<EOT
   route to: 2001:db8:7::7
    gateway: 2001:db8::9
  interface: index 2
if address: 2001:db8::1
      flags: <UGHS>
EOT
expect 0 "$RT" get -inet6 2001:db9::1 <<EOT
   route to: ::
    gateway: fe80::2%2
       mask: ::
  interface: index 2
if address: fe80::LL%2
      flags: <UGS>
EOT
expect 2 "$RT" add 2001:db8:8::/48 fe80::1%nosuch0 <<EOT
rump.route: fe80::1%nosuch0: not an IPv6 gateway (or no such interface)
EOT
expect 2 "$RT" add 2001:db8:8::/129 2001:db8::9 <<EOT
rump.route: 2001:db8:8::/129: not an IPv6 destination
EOT
expect 2 "$RT" add -inet6 2001:db8:8::/48 10.0.0.9 <<EOT
rump.route: 10.0.0.9: not an IPv6 gateway (or no such interface)
EOT
expect 0 "$RT" delete 2001:db8:5::/48 <<EOT
delete net 2001:db8:5::/48
EOT
expect 0 "$RT" delete -inet6 default <<EOT
delete net default
EOT
expect 0 "$RT" delete -inet6 -net 2001:db8:6:: -prefixlen 64 <<EOT
delete net 2001:db8:6::
EOT
expect 0 "$RT" delete -host 2001:db8:7::7 <<EOT
delete host 2001:db8:7::7
EOT
expect 1 "$RT" get 2001:db8:5::9 <<EOT
rump.route: get 2001:db8:5::9: no such route
EOT

# Destroyed: its addresses and routes go with it, the name is free.
expect 0 "$IFC" shmif0 destroy </dev/null
expect 1 "$IFC" shmif0 <<EOT
rump.ifconfig: shmif0: no such interface
EOT
expect 1 "$IFC" shmif0 destroy <<EOT
rump.ifconfig: shmif0: no such interface
EOT
expect 0 "$IFC" -a <<EOT
lo0: flags=0x49<UP,LOOPBACK,RUNNING> mtu 65536
	inet 127.0.0.1 netmask 255.0.0.0 (/8)
	inet6 ::1/128
EOT
expect 0 "$IFC" shmif0 create linkstr "$W/bus" </dev/null
expect 0 "$IFC" shmif0 <<EOT
shmif0: flags=0x11002<BROADCAST,MULTICAST,LOWER_UP> mtu 1500
	address: MAC
	linkstr: W/bus
	inet6 fe80::LL%shmif0/64 tentative scopeid 0x3
EOT

# Eight clients at once creating, attaching and destroying the same
# three names: each request succeeds or fails with one of these errors,
# and the kernel is whole after (under ASan, no use after free).
PIDS=
for p in 1 2 3 4 5 6 7 8; do
	(
		for r in 1 2 3 4 5 6; do
			n=shmif$(((p + r) % 3))
			"$IFC" $n create linkstr "$W/bus$p" up
			"$IFC" $n destroy
		done
	) >"$W/par.$p" 2>&1 &
	PIDS="$PIDS $!"
done
for p in $PIDS; do
	wait "$p"
done
cat "$W"/par.* | grep -v -e '^rump.ifconfig: create shmif[0-2]: File exists$' \
    -e '^rump.ifconfig: shmif[0-2]: no such interface$' \
    -e '^rump.ifconfig: destroy shmif[0-2]: No such device or address$' \
    -e '^rump.ifconfig: linkstr shmif[0-2]: No such device or address$' \
    -e '^rump.ifconfig: SIOC[GS]IFFLAGS shmif[0-2]: No such device$' \
    -e '^rump.ifconfig: linkstr shmif[0-2]: Device or resource busy$' \
    >"$W/par" && { cat "$W/par"; fail "concurrent create/destroy"; }
for n in shmif0 shmif1 shmif2; do
	"$IFC" $n destroy >/dev/null 2>&1
done
expect 0 "$IFC" -a <<EOT
lo0: flags=0x49<UP,LOOPBACK,RUNNING> mtu 65536
	inet 127.0.0.1 netmask 255.0.0.0 (/8)
	inet6 ::1/128
EOT

"$BIN/rump.halt" || fail "rump.halt"
wait "$SPID"
st=$?
SPID=
[ $st -eq 0 ] || fail "rump_server exit status $st"
echo PASS
