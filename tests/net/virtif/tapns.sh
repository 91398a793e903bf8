# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Sourced by the virtif tests: a network namespace with a tap in it,
# and a capture of the tap with tcpdump in the namespace, judged
# afterwards by tshark (neither written here).
#   skip WHY, fail WHAT            exit 77 or 1 with the reason
#   tapns_begin PREFIX [ADDR]      skip unless root with /dev/net/tun and
#                                  ip(8); make $tmp and the namespace $ns
#                                  (lo up, tap rvt0 up with ADDR on it);
#                                  at exit both go, with the capture, the
#                                  background process $srv and any other
#                                  left in the namespace
#   wait_for FILE TEXT WHAT        until FILE holds TEXT (10 s), else fail
#   cap_start NS DEV FILE [COUNT]  capture DEV into FILE (the first COUNT
#                                  frames, 256 bytes of each, if given)
#   cap_stop                       end the capture
#   cap_check OURS LOSS [TSHARK OPTIONS]
#       no frame malformed; every frame of ours (OURS: a display filter
#       that picks them, "ip.src == 10.99.0.2") with good IPv4, TCP, UDP
#       and ICMP checksums and no expert error (frames Linux sent are
#       captured before its checksum offload fills them in: only ours
#       are judged on that; an ICMP error's quote of a bad packet may be
#       bad); and no retransmission storm: TCP retransmissions at most 5
#       times LOSS (a percentage, the fault switch's) plus 1 percent (the
#       tap's queue overflows when our kernel reads slowly, as under the
#       sanitizers) of the data segments, plus 10 for the timers of
#       handshakes and closes.  Sets
#       cap_n (our frames), cap_retx and cap_data.
# The checks are skipped when cap_ok is empty (no tcpdump or tshark).
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

tapns_cleanup() {
	cap_stop
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	# Whatever else still runs in the test's own namespace.
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}

tapns_begin() {
	[ "$(id -u)" = 0 ] || skip "needs root for a network namespace"
	[ -c /dev/net/tun ] || skip "no /dev/net/tun"
	command -v ip >/dev/null || skip "no ip(8)"
	ns=$1$$
	tmp=$(mktemp -d)
	trap tapns_cleanup EXIT
	ip netns add "$ns" || skip "cannot make a network namespace"
	ip -n "$ns" link set lo up
	ip -n "$ns" tuntap add dev rvt0 mode tap || fail "tuntap"
	[ -z "${2:-}" ] || ip -n "$ns" addr add "$2" dev rvt0
	ip -n "$ns" link set rvt0 up
}

wait_for() {
	for i in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "$3: $(cat "$1")"
}

cap_ok=
command -v tcpdump >/dev/null && command -v tshark >/dev/null && cap_ok=1

cap_start() {
	[ -n "$cap_ok" ] || return 0
	cap_file=$3
	if [ -n "${4:-}" ]; then
		ip netns exec "$1" tcpdump -Z root -U -n -i "$2" -c "$4" -s 256 \
		    -w "$cap_file" 2>"$cap_file.txt" &
	else
		ip netns exec "$1" tcpdump -Z root -U -n -i "$2" \
		    -w "$cap_file" 2>"$cap_file.txt" &
	fi
	cap_pid=$!
	# Until tcpdump listens: it says so on stderr.
	for i in $(seq 50); do
		grep -q listening "$cap_file.txt" && return 0
		sleep 0.1
	done
	fail "tcpdump: $(cat "$cap_file.txt")"
}

cap_stop() {
	[ -n "${cap_pid:-}" ] || return 0
	sleep 0.3
	kill -INT "$cap_pid" 2>/dev/null
	wait "$cap_pid"
	cap_pid=
}

cap_check() {
	[ -n "$cap_ok" ] || return 0
	cap_ours=$1 cap_loss=$2
	shift 2
	# Out-of-order segments reassembled, or the HTTP dissector takes a
	# piece of a body that came early for a header (and calls it malformed).
	cap_opts="-n -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
	    -o udp.check_checksum:TRUE -o tcp.reassemble_out_of_order:TRUE $*"
	cap_bad=$(tshark $cap_opts -r "$cap_file" -Y "_ws.malformed ||
	    (($cap_ours) && ((_ws.expert.severity == error &&
	    !(icmp.type in {3,4,5,11,12}) && !(icmpv6.type in {1,2,3,4})) ||
	    ip.checksum.status == 0 ||
	    tcp.checksum.status == 0 || udp.checksum.status == 0 ||
	    icmp.checksum.status == 0))")
	if [ -n "$cap_bad" ]; then
		echo "$cap_bad" | head -20
		fail "tshark finds fault with frames in $cap_file"
	fi
	cap_n=$(tshark $cap_opts -r "$cap_file" -Y "$cap_ours" | wc -l)
	[ "$cap_n" -gt 0 ] || fail "no frame of ours in $cap_file"
	set -- $(tshark $cap_opts -r "$cap_file" -T fields -e tcp.len \
	    -e tcp.analysis.retransmission | awk -F '\t' '
	    { n++ }
	    $1 > 0 { data++ }
	    $2 != "" { retx++ }
	    END { print n + 0, data + 0, retx + 0 }')
	cap_data=$2 cap_retx=$3
	cap_max=$((cap_data * (cap_loss * 5 + 1) / 100 + 10))
	[ "$cap_retx" -le "$cap_max" ] || fail "a retransmission storm:" \
	    "$cap_retx retransmissions of $cap_data data segments" \
	    "(at most $cap_max at $cap_loss% loss)"
	echo "tshark: $1 frames ($cap_n ours), none malformed, our checksums" \
	    "good; $cap_retx retransmissions of $cap_data data segments" \
	    "(at most $cap_max)"
}
