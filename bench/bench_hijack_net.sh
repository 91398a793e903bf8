#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Unmodified network programs between two served kernels on a shmif bus
# (librumphijack.so, RUMPHIJACK=socket=inet), side by side with the same
# programs on the host: iperf3 for three seconds (TCP throughput) and
# curl fetching 64 MiB from python3 -m http.server, against the host's
# loopback and, as root, a veth pair between two network namespaces the
# benchmark makes.  Prints a Markdown section; the ratio is ours over
# the peer's throughput, so above 1 means the served kernels are faster.
#
# usage: bench_hijack_net [bindir]   (default: the directory of this script)
set -u
B=${1:-$(dirname "$0")}
LIB=$B/../lib/librumphijack.so
PY=/usr/bin/python3
say() { echo "$*"; }

say "## Hijacked network programs between two served kernels on shmif"
say
for t in iperf3 curl "$PY"; do
	if ! command -v "$t" >/dev/null || ! [ -f "$LIB" ] ||
	    ! [ -x "$B/rump_server" ]; then
		say "Skipped: needs iperf3, curl, python3, rump_server and $LIB."
		exit 0
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/bench_hijack_net.XXXXXX")
PIDS=
NS=
cleanup() {
	for p in $PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	for n in $NS; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

for k in a b; do
	LD_LIBRARY_PATH="$B/../lib" "$B/rump_server" -s -lrumpnet \
	    -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif "unix://$T/$k" &
	PIDS="$PIDS $!"
done
i=0
while { [ ! -S "$T/a" ] || [ ! -S "$T/b" ]; } && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
RUMP_SERVER="unix://$T/a" "$B/rump.ifconfig" shmif0 create linkstr \
    "$T/bus" 10.0.0.1/24 up
RUMP_SERVER="unix://$T/b" "$B/rump.ifconfig" shmif0 create linkstr \
    "$T/bus" 10.0.0.2/24 up
export RUMPHIJACK=socket=inet
hj() {
	k=$1
	shift
	RUMP_SERVER="unix://$T/$k" LD_PRELOAD=$LIB "$@"
}

# iperf3 SERVERPREFIX CLIENTPREFIX ADDR: MiB/s received, or "-".
iperf() {
	$1 iperf3 -s -1 -B "$3" -p 5299 >/dev/null 2>&1 &
	sp=$!
	sleep 0.5
	$2 iperf3 -c "$3" -p 5299 -t 3 -J >"$T/ip.json" 2>/dev/null
	wait $sp
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("%.1f" % (d["end"]["sum_received"]["bits_per_second"] / 8 / 2**20))' \
	    "$T/ip.json" 2>/dev/null || echo -
}
# fetch SERVERPREFIX CLIENTPREFIX ADDR: MiB/s of a 64 MiB GET, or "-".
fetch() {
	$1 $PY -m http.server --directory "$T/www" --bind "$3" 8099 \
	    >/dev/null 2>&1 &
	sp=$!
	sleep 1
	best=-
	for r in 1 2 3; do
		s=$($2 curl -s -o /dev/null -w '%{speed_download}' \
		    "http://$3:8099/file") || continue
		best=$(echo "$s $best" | awk '{ v = $1 / 1048576;
		    if ($2 == "-" || v > $2) printf "%.1f", v; else print $2 }')
	done
	kill $sp
	wait $sp 2>/dev/null
	echo "$best"
}
ratio() {
	echo "$1 $2" | awk '$1 != "-" && $2 != "-" && $2 > 0 {
	    printf "%.2f", $1 / $2; exit } { printf "-" }'
}
mkdir "$T/www"
head -c 67108864 /dev/zero >"$T/www/file"

ours_ip=$(iperf "hj a" "hj b" 10.0.0.1)
ours_get=$(fetch "hj a" "hj b" 10.0.0.1)
lo_ip=$(iperf "" "" 127.0.0.1)
lo_get=$(fetch "" "" 127.0.0.1)
veth_ip=-
veth_get=-
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null &&
    ip netns add bhn_a$$ 2>/dev/null; then
	NS="bhn_a$$ bhn_b$$"
	ip netns add bhn_b$$
	ip link add bhv_a$$ netns bhn_a$$ type veth peer name bhv_b$$ \
	    netns bhn_b$$
	ip -n bhn_a$$ addr add 10.0.0.1/24 dev bhv_a$$
	ip -n bhn_b$$ addr add 10.0.0.2/24 dev bhv_b$$
	ip -n bhn_a$$ link set bhv_a$$ up
	ip -n bhn_b$$ link set bhv_b$$ up
	veth_ip=$(iperf "ip netns exec bhn_a$$" "ip netns exec bhn_b$$" 10.0.0.1)
	veth_get=$(fetch "ip netns exec bhn_a$$" "ip netns exec bhn_b$$" \
	    10.0.0.1)
fi

say "| measure (MiB/s) | served kernels, shmif | host loopback | ratio | host veth | ratio |"
say "|---|---|---|---|---|---|"
say "| iperf3 TCP, 3 s | $ours_ip | $lo_ip | $(ratio "$ours_ip" "$lo_ip") | $veth_ip | $(ratio "$ours_ip" "$veth_ip") |"
say "| curl 64 MiB from python3 -m http.server, best of 3 | $ours_get | $lo_get | $(ratio "$ours_get" "$lo_get") | $veth_get | $(ratio "$ours_get" "$veth_get") |"
say
say "Each program is the same binary on both sides; ours run under"
say "librumphijack.so, every socket call a remote call to its kernel."
