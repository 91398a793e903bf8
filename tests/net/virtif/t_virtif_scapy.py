# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Run by t_virtif_scapy.sh in its network namespace: scapy (nobody here
# wrote it) on the Linux side of tap rvt0 sends crafted and malformed
# frames to our kernel (h_scapy: 10.99.0.2, fd99::2, a TCP echo server
# on port 7100) as a station of its own (10.99.0.3, fd99::3, MAC
# 02:00:00:00:99:03; it answers ARP and neighbour solicitations for it),
# and checks each reply, or its absence, as the RFCs say:
#   checksums      bad IPv4 header, TCP and UDP checksums: dropped
#                  silently (RFC 791 3.1, RFC 9293 3.1, RFC 768), the
#                  same packets with good ones answered
#   fragments      IPv4 fragments that overlap: the whole datagram
#                  dropped (our ip_reass.c, RFC 5722's rule), an exact
#                  duplicate dropped alone
#   RST            in the window but not rcv_nxt: a challenge ACK, the
#                  connection lives (RFC 5961 3.2); exactly rcv_nxt: the
#                  connection is reset; outside the window: nothing
#   SYN            on an established connection, in the window: a
#                  challenge ACK, the connection lives (RFC 5961 4.2)
#   MSS            an MSS option of 1: clamped to our minimum of 64, the
#                  echo comes back whole in segments of at most 64 bytes
#   recovery       three duplicate ACKs draw a fast retransmission; a
#                  full ACK with nothing left in flight ends recovery with
#                  cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS): two
#                  segments go (RFC 6582 3.2 step 3), not one that waits
#                  out the peer's delayed ACK
#   IPv6 options   padding up to 7 bytes passes, more is dropped; 16
#                  options pass, 17 are dropped; unknown options act as
#                  their two high bits say (RFC 8200 4.2): skipped,
#                  discarded, parameter problem (code 2, pointer at the
#                  option), parameter problem unless to a multicast
#   IPv6 chains    8 extension headers and 1024 bytes of them pass, 9 or
#                  1032 are dropped (RFC 9098); a hop-by-hop header not
#                  first: parameter problem (code 1)
#   atomic         an atomic fragment is processed alone (RFC 8200 4.5,
#   fragments      RFC 6946), even beside a pending fragment of its id;
#                  after a packet too big below 1280 we send no atomic
#                  fragments (RFC 8021)
#   fault_dup      last: has h_scapy set virtif's fault switch to
#                  dup=100% (a line to H_SCAPY_IN, its input): our kernel
#                  answers every echo twice
# Arguments: the checks to run (default all).  Prints one line a check;
# exits non-zero at the first failure.
import os
import sys
import time

from scapy.all import (ARP, ICMP, IP, UDP, TCP, AsyncSniffer, Ether, Raw,
                       conf, sendp, sniff)
from scapy.layers.inet6 import (HBHOptUnknown, ICMPv6EchoReply,
                                ICMPv6EchoRequest, ICMPv6ND_NA, ICMPv6ND_NS,
                                ICMPv6NDOptDstLLAddr, ICMPv6PacketTooBig,
                                ICMPv6ParamProblem, IPv6, IPv6ExtHdrDestOpt,
                                IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, PadN)

conf.verb = 0
IFACE = "rvt0"
OURS, ME = "10.99.0.2", "10.99.0.3"
OURS6, ME6 = "fd99::2", "fd99::3"
MYMAC = "02:00:00:00:99:03"
PORT = 7100
QUIET = 0.4     # seconds of silence that count as "no reply"
ourmac = None


def fail(what):
    print("FAIL: " + what)
    sys.exit(1)


def ok(what):
    print("ok: " + what)


def answer_neighbours(p):
    """Answer ARP and neighbour solicitations for our fake station."""
    if ARP in p and p[ARP].op == 1 and p[ARP].pdst == ME:
        sendp(Ether(src=MYMAC, dst=p[ARP].hwsrc) /
              ARP(op=2, hwsrc=MYMAC, psrc=ME, hwdst=p[ARP].hwsrc,
                  pdst=p[ARP].psrc), iface=IFACE)
    elif ICMPv6ND_NS in p and p[ICMPv6ND_NS].tgt == ME6:
        sendp(Ether(src=MYMAC, dst=p[Ether].src) /
              IPv6(src=ME6, dst=p[IPv6].src) /
              ICMPv6ND_NA(tgt=ME6, R=0, S=1, O=1) /
              ICMPv6NDOptDstLLAddr(lladdr=MYMAC), iface=IFACE)


def exchange(pkts, match, timeout=QUIET, count=0):
    """Send pkts (a frame or a list) and return our frames that match."""
    if not isinstance(pkts, list):
        pkts = [pkts]
    got = sniff(iface=IFACE, timeout=timeout, count=count,
                lfilter=lambda p: Ether in p and p[Ether].src == ourmac and
                match(p),
                started_callback=lambda: sendp(pkts, iface=IFACE))
    return list(got)


def eth():
    return Ether(src=MYMAC, dst=ourmac)


def want_one(pkts, match, what, timeout=2.0):
    got = exchange(pkts, match, timeout=timeout, count=1)
    if len(got) != 1:
        fail(what + ": no reply")
    return got[0]


def want_none(pkts, match, what):
    got = exchange(pkts, match)
    if got:
        fail(what + ": answered: " + got[0].summary())


# ICMP echo replies to us of id i.
def echo_reply(i):
    return lambda p: ICMP in p and p[ICMP].type == 0 and p[ICMP].id == i


def echo6_reply(i):
    return lambda p: ICMPv6EchoReply in p and p[ICMPv6EchoReply].id == i


def param_problem():
    return lambda p: ICMPv6ParamProblem in p


def checksums():
    ping = eth() / IP(src=ME, dst=OURS) / ICMP(id=11, seq=1) / (b"x" * 32)
    want_one(ping, echo_reply(11), "a good ICMP echo")
    bad = eth() / IP(src=ME, dst=OURS, chksum=0x1234) / ICMP(id=12) / \
        (b"x" * 32)
    want_none(bad, echo_reply(12), "an echo with a bad IPv4 checksum")
    ok("bad IPv4 header checksum: dropped; the good one answered")

    syn = IP(src=ME, dst=OURS) / TCP(sport=40001, dport=PORT, flags="S",
                                     seq=1000)
    synb = eth() / IP(bytes(syn))
    synb[TCP].chksum ^= 0x5555
    want_none(synb, lambda p: TCP in p and p[TCP].dport == 40001,
              "a SYN with a bad TCP checksum")
    sa = want_one(eth() / syn, lambda p: TCP in p and p[TCP].dport == 40001,
                  "a good SYN")
    if sa[TCP].flags != "SA" or sa[TCP].ack != 1001:
        fail("a good SYN: " + sa.summary())
    sendp(eth() / IP(src=ME, dst=OURS) /
          TCP(sport=40001, dport=PORT, flags="R", seq=1001), iface=IFACE)
    ok("bad TCP checksum: dropped, no RST; the good SYN answered")

    # UDP to a port nobody has: port unreachable, unless the sum is bad.
    def unreach(p):
        return ICMP in p and p[ICMP].type == 3 and p[ICMP].code == 3
    udp = IP(src=ME, dst=OURS) / UDP(sport=40002, dport=9) / b"data"
    udpb = eth() / IP(bytes(udp))
    udpb[UDP].chksum ^= 0x00ff
    want_none(udpb, unreach, "UDP with a bad checksum")
    want_one(eth() / udp, unreach, "UDP to a closed port")
    ok("bad UDP checksum: dropped; the good one draws port unreachable")


def frag(ipid, off, data, more):
    return eth() / IP(src=ME, dst=OURS, id=ipid, proto=1, flags="MF"
                      if more else 0, frag=off // 8) / Raw(data)


def fragments():
    icmp = bytes(ICMP(id=21, seq=1) / (b"f" * 56))       # 64 bytes
    a = lambda i: frag(i, 0, icmp[:32], True)
    c = lambda i: frag(i, 32, icmp[32:], False)
    want_one([a(0x2101), c(0x2101)], echo_reply(21), "two fragments")
    want_one([a(0x2102), a(0x2102), c(0x2102)], echo_reply(21),
             "a fragment twice")
    ok("IPv4 fragments reassembled; an exact duplicate dropped alone")
    # [0, 32) and [24, 64) overlap: the datagram goes; [32, 64) then
    # completes nothing, for nothing of it is held.
    b = frag(0x2103, 24, icmp[24:], False)
    want_none([a(0x2103), b], echo_reply(21), "overlapping fragments")
    want_none(c(0x2103), echo_reply(21), "the rest after an overlap")
    # The same overlap with other bytes in it (a rewrite attempt).
    b2 = frag(0x2104, 24, b"Z" * 8 + icmp[32:], False)
    want_none([a(0x2104), b2], echo_reply(21), "overlap with other bytes")
    ok("overlapping IPv4 fragments: the whole datagram dropped")


class Conn:
    """A TCP connection of ours (scapy's) to the echo server."""

    def __init__(self, sport, mss=1460):
        self.sport = sport
        self.seq = 5000
        self.rcv = 0
        sa = want_one(self.seg("S", opts=[("MSS", mss)]),
                      self.mine, "SYN to the echo server")
        if sa[TCP].flags != "SA":
            fail("SYN: " + sa.summary())
        self.seq += 1
        self.rcv = sa[TCP].seq + 1
        sendp(self.seg("A"), iface=IFACE)

    def mine(self, p):
        return TCP in p and p[TCP].dport == self.sport

    def seg(self, flags, data=b"", seq=None, opts=None):
        return eth() / IP(src=ME, dst=OURS) / TCP(
            sport=self.sport, dport=PORT, flags=flags,
            seq=self.seq if seq is None else seq, ack=self.rcv,
            window=65535, options=opts or []) / Raw(data)

    def echo(self, data, what):
        """Send data, gather the echo (acking it); its segments."""
        segs, got = [], b""
        pkts = [self.seg("PA", data)]
        self.seq += len(data)
        deadline = time.time() + 5
        while len(got) < len(data) and time.time() < deadline:
            for p in exchange(pkts, self.mine, timeout=0.3):
                n = len(p[TCP].payload)
                if n > 0 and p[TCP].seq == self.rcv:
                    got += bytes(p[TCP].payload)
                    self.rcv += n
                    segs.append(n)
                if p[TCP].flags & 0x04:
                    fail(what + ": reset: " + p.summary())
            pkts = [self.seg("A")]
        if got != data:
            fail(what + ": echoed %d of %d bytes" % (len(got), len(data)))
        sendp(self.seg("A"), iface=IFACE)
        return segs

    def close(self):
        sendp(self.seg("R"), iface=IFACE)


def is_challenge(c):
    """A bare ACK of rcv_nxt, from snd_nxt: RFC 5961's challenge ACK."""
    return lambda p: (c.mine(p) and p[TCP].flags == "A" and
                      p[TCP].ack == c.seq and p[TCP].seq == c.rcv and
                      len(p[TCP].payload) == 0)


def rst_syn():
    c = Conn(40011)
    c.echo(b"hello", "echo")
    want_one(c.seg("R", seq=c.seq + 100), is_challenge(c),
             "RST in the window")
    c.echo(b"still here", "echo after an in-window RST")
    ok("RST in the window, not exact: a challenge ACK, the connection lives")
    want_none(c.seg("R", seq=c.seq + 0x40000000), c.mine,
              "RST outside the window")
    c.echo(b"and here", "echo after an out-of-window RST")
    ok("RST outside the window: ignored")
    want_one(c.seg("S", seq=c.seq + 10), is_challenge(c),
             "SYN in the window")
    c.echo(b"after the SYN", "echo after an in-window SYN")
    ok("SYN on an established connection: a challenge ACK, it lives")
    want_none(c.seg("R"), c.mine, "RST at rcv_nxt")
    r = want_one(c.seg("PA", b"anyone?"), c.mine, "data after the reset")
    if not r[TCP].flags & 0x04:
        fail("data after an exact RST: " + r.summary())
    ok("RST at exactly rcv_nxt: the connection is reset")


def tiny_mss():
    c = Conn(40021, mss=1)
    data = bytes(range(256)) + b"tail of the data" * 4
    segs = c.echo(data, "echo with MSS 1")
    if max(segs) != 64:
        fail("MSS 1: largest segment %d bytes, 64 wanted" % max(segs))
    c.close()
    ok("MSS option 1: clamped to 64, %d bytes echoed in %d segments" %
       (len(data), len(segs)))


def recovery_cwnd():
    """After fast recovery with an empty pipe, cwnd is 2 segments."""
    c = Conn(40031, mss=1000)

    def data(p):
        return c.mine(p) and len(p[TCP].payload) > 0

    def send(n):
        pkts = [c.seg("PA", b"r" * 1000, seq=c.seq + i)
                for i in range(0, n, 1000)]
        c.seq += n
        return pkts
    # Quickly: the dupACKs must come before the retransmission timer.
    got = exchange(send(6000), data, timeout=0.5, count=6)
    segs = sorted({(p[TCP].seq, len(p[TCP].payload)) for p in got})
    if len(segs) != 6 or sum(n for _, n in segs) != 6000:
        fail("6000 bytes echoed as %s" % segs)
    # The first is "lost": three duplicate ACKs draw it again.
    first = c.rcv
    want_one([c.seg("A")] * 3, lambda p: data(p) and p[TCP].seq == first,
             "a fast retransmission")
    # A full ACK ends recovery with nothing in flight; more to echo.
    c.rcv += 6000
    got = exchange(send(5000), data, timeout=0.3)
    n = len({p[TCP].seq for p in got})
    if n != 2:
        fail("after recovery with an empty pipe: %d segments sent, "
             "2 wanted (RFC 6582 3.2 step 3): %s" % (n, [
                 (p.time, p[TCP].seq - c.rcv, len(p[TCP].payload),
                  str(p[TCP].flags)) for p in got]))
    c.close()
    ok("recovery's end with an empty pipe: cwnd 2 segments (RFC 6582)")


def v6(dst=OURS6):
    return eth() / IPv6(src=ME6, dst=dst)


def ping6(i, data=b"p" * 16):
    return ICMPv6EchoRequest(id=i, seq=1, data=data)


def unknown(otype, n=0):
    return HBHOptUnknown(otype=otype, optdata=b"\x00" * n)


def ipv6_options():
    want_one(v6() / ping6(31), echo6_reply(31), "ICMPv6 echo", timeout=4)
    hbh = IPv6ExtHdrHopByHop(autopad=0, options=[PadN(optdata=b"\x00" * 4)])
    want_one(v6() / hbh / ping6(32), echo6_reply(32), "6 bytes of padding")
    hbh = IPv6ExtHdrHopByHop(autopad=0, options=[PadN(optdata=b"\x00" * 12)])
    want_none(v6() / hbh / ping6(33), echo6_reply(33), "14 bytes of padding")
    ok("IPv6 padding: 6 bytes pass, a 14-byte run is dropped")
    # 16 options (the PadN counts, Pad1 does not) pass; 17 are dropped.
    opts = [unknown(0x1e)] * 14 + [unknown(0x1e, 2), PadN(optdata=b"\0" * 4)]
    dst = IPv6ExtHdrDestOpt(autopad=0, options=opts)
    want_one(v6() / dst / ping6(34), echo6_reply(34), "16 options")
    opts = [unknown(0x1e)] * 16 + [PadN(optdata=b"\0" * 4)]
    dst = IPv6ExtHdrDestOpt(autopad=0, options=opts)
    want_none(v6() / dst / ping6(35), echo6_reply(35), "17 options")
    ok("IPv6 options: 16 in a header pass, 17 are dropped")

    def with_opt(otype, i, to=OURS6):
        dst = IPv6ExtHdrDestOpt(autopad=0, options=[
            unknown(otype, 2), PadN(optdata=b"")])
        return v6(to) / dst / ping6(i)

    want_one(with_opt(0x1e, 36), echo6_reply(36), "unknown option 00")
    want_none(with_opt(0x5e, 37), lambda p: ICMPv6EchoReply in p or
              ICMPv6ParamProblem in p, "unknown option 01")
    for otype, i, to in ((0x9e, 38, OURS6), (0xde, 39, OURS6),
                         (0x9e, 40, "ff02::1")):
        pp = want_one(with_opt(otype, i, to), param_problem(),
                      "unknown option %#x to %s" % (otype, to))
        if pp[ICMPv6ParamProblem].code != 2 or \
                pp[ICMPv6ParamProblem].ptr != 42:
            fail("unknown option %#x: %s" % (otype, pp.summary()))
    want_none(with_opt(0xde, 41, "ff02::1"), lambda p: ICMPv6EchoReply in p
              or ICMPv6ParamProblem in p, "unknown option 11 to ff02::1")
    ok("unknown IPv6 options: 00 skipped, 01 dropped, 10 a parameter "
       "problem (code 2, pointer 42), 11 one unless to a multicast group")


def ipv6_chains():
    def dsts(n):
        p = IPv6(src=ME6, dst=OURS6)
        for _ in range(n):
            p = p / IPv6ExtHdrDestOpt(autopad=0,
                                      options=[PadN(optdata=b"\0" * 4)])
        return p

    want_one(eth() / dsts(8) / ping6(51), echo6_reply(51), "8 headers")
    want_none(eth() / dsts(9) / ping6(52), echo6_reply(52), "9 headers")
    # One options header of 1024 bytes: unknown skip options, no padding.
    big = [unknown(0x1e, 255)] * 3 + [unknown(0x1e, 249)]
    d = IPv6ExtHdrDestOpt(autopad=0, options=big)
    if len(d) != 1024:
        fail("a 1024-byte header is %d bytes" % len(d))
    want_one(v6() / d / ping6(53), echo6_reply(53), "1024 bytes of headers")
    small = IPv6ExtHdrDestOpt(autopad=0, options=[PadN(optdata=b"\0" * 4)])
    want_none(v6() / d / small / ping6(54), echo6_reply(54),
              "1032 bytes of headers")
    ok("IPv6 chains: 8 headers and 1024 bytes pass, 9 and 1032 dropped")
    hbh = IPv6ExtHdrHopByHop(autopad=0, options=[PadN(optdata=b"\0" * 4)])
    pp = want_one(v6() / small / hbh / ping6(55), param_problem(),
                  "hop-by-hop second")
    if pp[ICMPv6ParamProblem].code != 1 or pp[ICMPv6ParamProblem].ptr != 40:
        fail("hop-by-hop second: " + pp.summary())
    ok("hop-by-hop not first: parameter problem code 1, pointer 40")


def atomic_fragments():
    f = IPv6ExtHdrFragment(offset=0, m=0, id=0x6101)
    want_one(v6() / f / ping6(61), echo6_reply(61), "an atomic fragment")
    # A first fragment of the same id waits; the atomic one goes alone.
    body = bytes(IPv6(src=ME6, dst=OURS6) /
                 ICMPv6EchoRequest(id=62, seq=1, data=b"q" * 40))[40:]
    first = v6() / IPv6ExtHdrFragment(offset=0, m=1, id=0x6102, nh=58) / \
        Raw(body[:24])
    f = IPv6ExtHdrFragment(offset=0, m=0, id=0x6102)
    want_one([first, v6() / f / ping6(63)], echo6_reply(63),
             "an atomic fragment beside a pending one")
    ok("atomic fragments: processed alone (RFC 6946)")
    # RFC 8021: a packet too big below 1280 makes no atomic fragments.
    req = IPv6(src=ME6, dst=OURS6) / ping6(64, b"m" * 1100)
    rep = IPv6(src=OURS6, dst=ME6) / ICMPv6EchoReply(id=64, seq=1,
                                                     data=b"m" * 1100)
    ptb = v6() / ICMPv6PacketTooBig(mtu=1000) / Raw(bytes(rep)[:1232])
    sendp(ptb, iface=IFACE)
    time.sleep(0.2)
    r = want_one(eth() / req, echo6_reply(64), "echo after a PTB of 1000")
    if IPv6ExtHdrFragment in r:
        fail("an atomic fragment after a PTB below 1280: " + r.summary())
    ok("a packet too big of 1000: no atomic fragments sent (RFC 8021)")


def fault_dup():
    """With dup=100% on its receive side our kernel answers twice."""
    with open(os.environ["H_SCAPY_IN"], "w") as f:
        f.write("fault dup=100%\n")
    time.sleep(0.3)
    got = exchange([eth() / IP(src=ME, dst=OURS) / ICMP(id=71, seq=i)
                    for i in range(5)], echo_reply(71), timeout=1.0,
                   count=11)
    seqs = sorted(p[ICMP].seq for p in got)
    if seqs != [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]:
        fail("dup=100%%: the echoes of %s answered" % seqs)
    ok("the fault switch's dup=100%: every echo answered twice")


def main():
    global ourmac
    responder = AsyncSniffer(iface=IFACE, store=False, prn=answer_neighbours,
                             filter="arp or icmp6")
    responder.start()
    time.sleep(0.3)
    r = sniff(iface=IFACE, timeout=3, count=1,
              lfilter=lambda p: ARP in p and p[ARP].op == 2 and
              p[ARP].psrc == OURS,
              started_callback=lambda: sendp(
                  Ether(src=MYMAC, dst="ff:ff:ff:ff:ff:ff") /
                  ARP(op=1, hwsrc=MYMAC, psrc=ME, pdst=OURS), iface=IFACE))
    if not r:
        fail("no ARP reply from our kernel")
    ourmac = r[0][ARP].hwsrc
    ok("our kernel is at " + ourmac)
    only = sys.argv[1:]
    for t in (checksums, fragments, rst_syn, tiny_mss, recovery_cwnd,
              ipv6_options,
              ipv6_chains, atomic_fragments, fault_dup):
        if not only or t.__name__ in only:
            t()
    responder.stop()


main()
