/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 in one kernel: UDP and ICMPv6 echo over ::1 on lo0, control
 * messages, port unreachable as ECONNREFUSED; then frames injected on a
 * shmif interface as if from a neighbour: extension header chains
 * (routing type 0, unknown next header, option storms, too long a
 * chain), reassembly in order, reversed, overlapping and atomic,
 * neighbour solicitations answered and learnt, and duplicate address
 * detection finding a duplicate.  The counters say what happened.
 */
#include "h_inet6.h"
#include "../inet/kernspace/inetspace.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static uint8_t our_mac[6];

TESTCASE(lo0_udp)
{
	static const char msg[] = "a datagram over ::1";
	struct sockaddr_in6 to, from;
	unsigned fromlen = sizeof(from);
	char buf[64], a[64];
	int r, s, rport;

	r = udp6_bound("::1", 0);
	rport = sock6_port(r);
	REQUIRE(rport >= 32768 && rport <= 60999);
	s = udp6_bound("::", 0);
	to = sin6_make("::1", rport, 0);
	REQUIRE_EQ(rump_sys_sendto(s, msg, sizeof(msg), 0,
	    (struct sockaddr *)&to, sizeof(to)), sizeof(msg));
	REQUIRE_EQ(wait_readable(r, 5000), 1);
	memset(buf, 0, sizeof(buf));
	REQUIRE_EQ(rump_sys_recvfrom(r, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fromlen), sizeof(msg));
	REQUIRE(memcmp(buf, msg, sizeof(msg)) == 0);
	REQUIRE_EQ(fromlen, sizeof(from));
	REQUIRE_EQ(from.sin6_family, AF_INET6);
	REQUIRE_EQ(ntohs(from.sin6_port), sock6_port(s));
	REQUIRE(strcmp(inet_ntop(AF_INET6, &from.sin6_addr, a, sizeof(a)),
	    "::1") == 0);
	REQUIRE_OK(rump_sys_close(r));
	REQUIRE_OK(rump_sys_close(s));
}

TESTCASE(lo0_icmp6_echo)
{
	struct icmp6_hdr req, *rep;
	struct icmp6_filter filt;
	struct sockaddr_in6 to = sin6_make("::1", 0, 0), from;
	unsigned fromlen = sizeof(from);
	uint8_t out[64], in[128];
	struct icmp6stat a, b;
	int s;

	a = icmp6stat_get();
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	ICMP6_FILTER_SETPASSALL(&filt);
	ICMP6_FILTER_SETBLOCK(ICMP6_ECHO_REQUEST, &filt);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
	    sizeof(filt)));
	memset(&req, 0, sizeof(req));
	req.icmp6_type = ICMP6_ECHO_REQUEST;
	req.icmp6_id = htons(0x1234);
	req.icmp6_seq = htons(7);
	memcpy(out, &req, sizeof(req));
	memcpy(out + 8, "ping6 payload 0123456789", 24);
	REQUIRE_EQ(rump_sys_sendto(s, out, 32, 0, (struct sockaddr *)&to,
	    sizeof(to)), 32);
	REQUIRE_EQ(wait_readable(s, 5000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(s, in, sizeof(in), 0,
	    (struct sockaddr *)&from, &fromlen), 32);
	rep = (struct icmp6_hdr *)in;
	REQUIRE_EQ(rep->icmp6_type, ICMP6_ECHO_REPLY);
	REQUIRE_EQ(ntohs(rep->icmp6_id), 0x1234);
	REQUIRE_EQ(ntohs(rep->icmp6_seq), 7);
	REQUIRE(memcmp(in + 8, out + 8, 24) == 0);
	REQUIRE(IN6_IS_ADDR_LOOPBACK(&from.sin6_addr));
	/* The checksum the kernel made verifies. */
	REQUIRE_EQ(cksum6(&from.sin6_addr, &from.sin6_addr, IPPROTO_ICMPV6,
	    in, 32), 0);
	b = icmp6stat_get();
	REQUIRE_EQ(b.icp6s_inhist[ICMP6_ECHO_REQUEST] -
	    a.icp6s_inhist[ICMP6_ECHO_REQUEST], 1);
	REQUIRE_EQ(b.icp6s_outhist[ICMP6_ECHO_REPLY] -
	    a.icp6s_outhist[ICMP6_ECHO_REPLY], 1);
	/* Unprivileged raw sockets are not allowed: checked by root here. */
	REQUIRE_OK(rump_sys_close(s));
}

TESTCASE(lo0_udp_refused)
{
	struct sockaddr_in6 to;
	char buf[8];
	int r, s, port, one = 1;

	r = udp6_bound("::1", 0);
	port = sock6_port(r);
	REQUIRE_OK(rump_sys_close(r));  /* nobody on that port now */
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	to = sin6_make("::1", port, 0);
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&to, sizeof(to)));
	REQUIRE_EQ(rump_sys_sendto(s, "x", 1, 0, NULL, 0), 1);
	msleep(100);
	REQUIRE_ERRNO(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL), ECONNREFUSED);
	/* Link-local without a scope: EINVAL, as Linux. */
	to = sin6_make("fe80::1", 9, 0);
	REQUIRE_ERRNO(rump_sys_sendto(s, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), EINVAL);
	REQUIRE_OK(rump_sys_close(s));
	/* A v4-mapped destination from an IPV6_V6ONLY socket. */
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)));
	to = sin6_make("::ffff:127.0.0.1", 9, 0);
	REQUIRE_ERRNO(rump_sys_sendto(s, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), ENETUNREACH);
	/* Not once bound. */
	to = sin6_make("::", 0, 0);
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&to, sizeof(to)));
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)), EINVAL);
	REQUIRE_OK(rump_sys_close(s));
}

TESTCASE(lo0_control_messages)
{
	struct sockaddr_in6 to;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	union {
		char buf[256];
		struct cmsghdr align;
	} cbuf;
	char data[16];
	int r, s, on = 1, hlim = 7, v, got = 0;
	unsigned vlen = sizeof(v);

	r = udp6_bound("::1", 0);
	REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)));
	REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
	    sizeof(on)));
	REQUIRE_OK(rump_sys_getsockopt(r, IPPROTO_IPV6, IPV6_V6ONLY, &v,
	    &vlen));
	REQUIRE_EQ(v, 0);               /* Linux's default */
	s = udp6_bound("::", 0);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
	    &hlim, sizeof(hlim)));
	to = sin6_make("::1", sock6_port(r), 0);
	REQUIRE_EQ(rump_sys_sendto(s, "hop", 3, 0, (struct sockaddr *)&to,
	    sizeof(to)), 3);
	REQUIRE_EQ(wait_readable(r, 5000), 1);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = data;
	iov.iov_len = sizeof(data);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	REQUIRE_EQ(rump_sys_recvmsg(r, &msg, 0), 3);
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		REQUIRE_EQ(cm->cmsg_level, IPPROTO_IPV6);
		if (cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			REQUIRE(IN6_IS_ADDR_LOOPBACK(&pi.ipi6_addr));
			REQUIRE_EQ(pi.ipi6_ifindex, 1);         /* lo0 */
			got |= 1;
		} else if (cm->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			REQUIRE_EQ(v, 7);
			got |= 2;
		}
	}
	REQUIRE_EQ(got, 3);
	REQUIRE_OK(rump_sys_close(r));
	REQUIRE_OK(rump_sys_close(s));
}

static void shmif0_setup(void);

/* A group joined on shmif0: our own datagrams loop back to members. */
TESTCASE(multicast_loop)
{
	struct ipv6_mreq mr;
	struct sockaddr_in6 to;
	struct {
		char name[16];
		int index;
		char pad[20];
	} ifi;
	struct icmp6stat a, b;
	char buf[16];
	int r1, r2, s, loop = 0;

	shmif0_setup();
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifi, 0, sizeof(ifi));
	strcpy(ifi.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8933 /* SIOCGIFINDEX */, &ifi));
	a = icmp6stat_get();
	memset(&mr, 0, sizeof(mr));
	REQUIRE(inet_pton(AF_INET6, "ff12::4242", &mr.ipv6mr_multiaddr) == 1);
	mr.ipv6mr_interface = ifi.index;
	r1 = udp6_bound("::", 4242);
	r2 = udp6_bound("::", 0);
	REQUIRE_OK(rump_sys_setsockopt(r1, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
	    sizeof(mr)));
	REQUIRE_ERRNO(rump_sys_setsockopt(r1, IPPROTO_IPV6, IPV6_JOIN_GROUP,
	    &mr, sizeof(mr)), EADDRINUSE);
	b = icmp6stat_get();
	REQUIRE_EQ(b.icp6s_mldreports - a.icp6s_mldreports, 1);  /* now */
	msleep(1100);                   /* and again within a second */
	a = icmp6stat_get();
	REQUIRE_EQ(a.icp6s_mldreports - b.icp6s_mldreports, 1);
	b = a;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF,
	    &ifi.index, sizeof(ifi.index)));
	to = sin6_make("ff12::4242", 4242, 0);
	REQUIRE_EQ(rump_sys_sendto(s, "group", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), 5);
	REQUIRE_EQ(wait_readable(r1, 3000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(r1, buf, sizeof(buf), 0, NULL, NULL), 5);
	REQUIRE(memcmp(buf, "group", 5) == 0);
	REQUIRE_EQ(wait_readable(r2, 100), 0);  /* another port */
	/* IPV6_MULTICAST_LOOP 0: nothing comes back. */
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
	    &loop, sizeof(loop)));
	REQUIRE_EQ(rump_sys_sendto(s, "group", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), 5);
	REQUIRE_EQ(wait_readable(r1, 300), 0);
	REQUIRE_OK(rump_sys_setsockopt(r1, IPPROTO_IPV6, IPV6_LEAVE_GROUP, &mr,
	    sizeof(mr)));
	REQUIRE_ERRNO(rump_sys_setsockopt(r1, IPPROTO_IPV6, IPV6_LEAVE_GROUP,
	    &mr, sizeof(mr)), EADDRNOTAVAIL);
	msleep(1200);                   /* the leave's second report */
	a = icmp6stat_get();
	REQUIRE_EQ(a.icp6s_mldreports - b.icp6s_mldreports, 2);
	REQUIRE_OK(rump_sys_close(r1));
	REQUIRE_OK(rump_sys_close(r2));
	REQUIRE_OK(rump_sys_close(s));
}

/* shmif0 up with 2001:db8::1/64, past DAD; our MAC in our_mac. */
static void
shmif0_setup(void)
{
	struct {
		char name[16];
		unsigned short family;
		uint8_t data[22];
	} ifr;
	char bus[64];
	int unit, s;

	snprintf(bus, sizeof(bus), "/tmp/t_inet6.%d.bus", (int)getpid());
	unlink(bus);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	unlink(bus);
	REQUIRE_EQ(rump_pub_netconfig_ipv6_ifaddr("shmif0", "2001:db8::1", 64),
	    0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8927 /* SIOCGIFHWADDR */, &ifr));
	memcpy(our_mac, ifr.data, 6);
	REQUIRE_OK(rump_sys_close(s));
	msleep(2300);                   /* DAD: up to 1 s delay, then 1 s */
}

static void
inject(const char *src, const char *dst, int nxt, const uint8_t *p,
    size_t len)
{
	uint8_t f[2048];
	size_t n = frame6(f, our_mac, peer_mac, src, dst, nxt, 64, p, len);

	REQUIRE_EQ(rump_test_inet_linkinput(f, n, "shmif0"), 0);
}

/* A UDP datagram (header and data) from src:sport to dst:dport. */
static size_t
udp6_datagram(uint8_t *u, const char *src, const char *dst, int sport,
    int dport, const uint8_t *data, size_t len)
{
	struct in6_addr s, d;
	uint16_t sum;

	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[4] = (uint8_t)((len + 8) >> 8);
	u[5] = (uint8_t)(len + 8);
	u[6] = u[7] = 0;
	memcpy(u + 8, data, len);
	REQUIRE(inet_pton(AF_INET6, src, &s) == 1);
	REQUIRE(inet_pton(AF_INET6, dst, &d) == 1);
	sum = cksum6(&s, &d, IPPROTO_UDP, u, len + 8);
	memcpy(u + 6, &sum, 2);
	return len + 8;
}

TESTCASE(ext_headers)
{
	uint8_t p[512];
	struct ip6stat a, b;
	struct icmp6stat ia, ib;
	int i;

	shmif0_setup();
	sysctl_setint("net.inet6.icmp6.errratelimit", 0);
	a = ip6stat_get();
	ia = icmp6stat_get();
	/* Routing header type 0 with a segment left: parameter problem. */
	memset(p, 0, sizeof(p));
	p[0] = IPPROTO_NONE;
	p[1] = 2;                       /* 24 bytes */
	p[2] = 0;                       /* type 0 */
	p[3] = 1;                       /* segments left */
	inject("2001:db8::2", "2001:db8::1", IPPROTO_ROUTING, p, 24);
	/* An unknown next header: parameter problem, code 1. */
	inject("2001:db8::2", "2001:db8::1", 200, p, 8);
	/* An option storm: 40 bytes of PadN in a destination options header. */
	memset(p, 0, sizeof(p));
	p[0] = IPPROTO_NONE;
	p[1] = 5;                       /* 48 bytes */
	for (i = 2; i + 2 <= 48; i += 2) {
		p[i] = 1;               /* PadN of 0 bytes */
		p[i + 1] = 0;
	}
	inject("2001:db8::2", "2001:db8::1", IPPROTO_DSTOPTS, p, 48);
	/* A chain of 10 destination options headers. */
	memset(p, 0, sizeof(p));
	for (i = 0; i < 10; i++) {
		p[i * 8] = i < 9 ? IPPROTO_DSTOPTS : IPPROTO_NONE;
		p[i * 8 + 1] = 0;
		p[i * 8 + 2] = 1;       /* PadN of 4 */
		p[i * 8 + 3] = 4;
	}
	inject("2001:db8::2", "2001:db8::1", IPPROTO_DSTOPTS, p, 80);
	/* Hop-by-hop not first: parameter problem, code 1. */
	memset(p, 0, sizeof(p));
	p[0] = IPPROTO_HOPOPTS;
	p[2] = 1;
	p[3] = 4;
	p[8] = IPPROTO_NONE;
	p[10] = 1;
	p[11] = 4;
	inject("2001:db8::2", "2001:db8::1", IPPROTO_DSTOPTS, p, 16);
	/* An unknown option of type 10xxxxxx: parameter problem, code 2. */
	memset(p, 0, sizeof(p));
	p[0] = IPPROTO_NONE;
	p[2] = 0x85;
	p[3] = 4;
	inject("2001:db8::2", "2001:db8::1", IPPROTO_DSTOPTS, p, 8);
	msleep(300);
	b = ip6stat_get();
	ib = icmp6stat_get();
	REQUIRE_EQ(b.ip6s_rthdr - a.ip6s_rthdr, 1);
	REQUIRE_EQ(b.ip6s_noproto - a.ip6s_noproto, 1);
	REQUIRE_EQ(b.ip6s_badoptions - a.ip6s_badoptions, 3);
	REQUIRE_EQ(b.ip6s_toomanyhdrs - a.ip6s_toomanyhdrs, 1);
	REQUIRE_EQ(ib.icp6s_outhist[ICMP6_PARAM_PROB] -
	    ia.icp6s_outhist[ICMP6_PARAM_PROB], 4);
}

static void
frag_send(int id, int off, int more, const uint8_t *data, size_t len)
{
	uint8_t p[1600];

	p[0] = IPPROTO_UDP;
	p[1] = 0;
	p[2] = (uint8_t)(off >> 8);
	p[3] = (uint8_t)((off & 0xf8) | (more ? 1 : 0));
	p[4] = 0;
	p[5] = 0;
	p[6] = (uint8_t)(id >> 8);
	p[7] = (uint8_t)id;
	memcpy(p + 8, data, len);
	inject("2001:db8::2", "2001:db8::1", IPPROTO_FRAGMENT, p, len + 8);
}

/* A 2008-byte datagram cut into pieces of 800, in the order given. */
static void
reass_case(const int *order, int n, int id, bool overlap, bool expect)
{
	uint8_t data[2000], dgram[2100], buf[2100];
	size_t dlen;
	int r, i;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + id);
	r = udp6_bound("::", 7000 + id);
	dlen = udp6_datagram(dgram, "2001:db8::2", "2001:db8::1", 5555,
	    7000 + id, data, sizeof(data));
	for (i = 0; i < n; i++) {
		int off = order[i] * 800;
		size_t len = MIN(800, dlen - (size_t)off);

		if (overlap && i == 1)
			off -= 8;
		frag_send(id, off, off + (int)len < (int)dlen, dgram + off, len);
	}
	if (expect) {
		REQUIRE_EQ(wait_readable(r, 3000), 1);
		REQUIRE_EQ(rump_sys_recvfrom(r, buf, sizeof(buf), 0, NULL, NULL), sizeof(data));
		REQUIRE(memcmp(buf, data, sizeof(data)) == 0);
	} else
		REQUIRE_EQ(wait_readable(r, 500), 0);
	REQUIRE_OK(rump_sys_close(r));
}

TESTCASE(reassembly)
{
	static const int inorder[3] = { 0, 1, 2 }, reversed[3] = { 2, 1, 0 };
	struct ip6stat a, b;
	uint8_t data[32], dgram[64], buf[64];
	size_t dlen;
	int r;

	shmif0_setup();
	a = ip6stat_get();
	reass_case(inorder, 3, 1, false, true);
	reass_case(reversed, 3, 2, false, true);
	reass_case(inorder, 3, 3, true, false);   /* overlap: all dropped */
	/* An atomic fragment is a datagram of its own (RFC 6946). */
	memset(data, 0xa5, sizeof(data));
	r = udp6_bound("::", 7100);
	dlen = udp6_datagram(dgram, "2001:db8::2", "2001:db8::1", 5555, 7100,
	    data, sizeof(data));
	frag_send(9, 0, 0, dgram, dlen);
	REQUIRE_EQ(wait_readable(r, 3000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(r, buf, sizeof(buf), 0, NULL, NULL), sizeof(data));
	REQUIRE(memcmp(buf, data, sizeof(data)) == 0);
	REQUIRE_OK(rump_sys_close(r));
	/* RFC 7112: a first fragment without the whole header chain. */
	{
		struct icmp6stat ia = icmp6stat_get(), ib;
		uint8_t p[24];

		memset(p, 0, sizeof(p));
		p[0] = IPPROTO_DSTOPTS;
		p[3] = 1;               /* offset 0, more */
		p[7] = 77;
		p[8] = IPPROTO_UDP;
		p[9] = 3;               /* 32 bytes: past the fragment */
		inject("2001:db8::2", "2001:db8::1", IPPROTO_FRAGMENT, p, 24);
		msleep(200);
		ib = icmp6stat_get();
		REQUIRE_EQ(ib.icp6s_outhist[ICMP6_PARAM_PROB] -
		    ia.icp6s_outhist[ICMP6_PARAM_PROB], 1);
	}
	b = ip6stat_get();
	REQUIRE_EQ(b.ip6s_reassembled - a.ip6s_reassembled, 2);
	REQUIRE_EQ(b.ip6s_fragoverlap - a.ip6s_fragoverlap, 1);
	REQUIRE_EQ(b.ip6s_atomicfrags - a.ip6s_atomicfrags, 1);
}

TESTCASE(nd_solicit_answered)
{
	struct icmp6stat a, b;
	struct in6_addr s, d;
	uint8_t ns[32];
	uint16_t sum;
	struct sockaddr_in6 to = sin6_make("2001:db8::2", 9, 0);
	int u;

	shmif0_setup();
	a = icmp6stat_get();
	memset(ns, 0, sizeof(ns));
	ns[0] = ND_NEIGHBOR_SOLICIT;
	REQUIRE(inet_pton(AF_INET6, "2001:db8::1", ns + 8) == 1);
	ns[24] = ND_OPT_SOURCE_LINKADDR;
	ns[25] = 1;
	memcpy(ns + 26, peer_mac, 6);
	REQUIRE(inet_pton(AF_INET6, "2001:db8::2", &s) == 1);
	REQUIRE(inet_pton(AF_INET6, "ff02::1:ff00:1", &d) == 1);
	sum = cksum6(&s, &d, IPPROTO_ICMPV6, ns, sizeof(ns));
	memcpy(ns + 2, &sum, 2);
	{
		uint8_t f[256];
		size_t n = frame6(f, (const uint8_t[]){ 0x33, 0x33, 0xff, 0, 0,
		    1 }, peer_mac, "2001:db8::2", "ff02::1:ff00:1",
		    IPPROTO_ICMPV6, 255, ns, sizeof(ns));

		REQUIRE_EQ(rump_test_inet_linkinput(f, n, "shmif0"), 0);
	}
	msleep(200);
	b = icmp6stat_get();
	REQUIRE_EQ(b.icp6s_inhist[ND_NEIGHBOR_SOLICIT] -
	    a.icp6s_inhist[ND_NEIGHBOR_SOLICIT], 1);
	REQUIRE_EQ(b.icp6s_outhist[ND_NEIGHBOR_ADVERT] -
	    a.icp6s_outhist[ND_NEIGHBOR_ADVERT], 1);
	/* Learnt from the solicitation: a datagram to it is not held. */
	u = udp6_bound("::", 0);
	REQUIRE_EQ(rump_sys_sendto(u, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), 1);
	a = icmp6stat_get();
	REQUIRE_EQ(a.icp6s_nd_held, b.icp6s_nd_held);
	/* An unknown neighbour: held, asked for. */
	to = sin6_make("2001:db8::3", 9, 0);
	REQUIRE_EQ(rump_sys_sendto(u, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), 1);
	b = icmp6stat_get();
	REQUIRE_EQ(b.icp6s_nd_held - a.icp6s_nd_held, 1);
	REQUIRE_EQ(b.icp6s_outhist[ND_NEIGHBOR_SOLICIT] -
	    a.icp6s_outhist[ND_NEIGHBOR_SOLICIT], 1);
	REQUIRE_OK(rump_sys_close(u));
}

TESTCASE(dad_duplicate)
{
	struct icmp6stat a, b;
	struct in6_addr s, d;
	struct sockaddr_in6 me = sin6_make("2001:db8::5", 0, 0);
	uint8_t na[32], f[256];
	uint16_t sum;
	size_t n;
	int u;

	shmif0_setup();
	a = icmp6stat_get();
	REQUIRE_EQ(rump_pub_netconfig_ipv6_ifaddr("shmif0", "2001:db8::5", 64),
	    0);
	/* Another node says the address is its own, during our DAD. */
	memset(na, 0, sizeof(na));
	na[0] = ND_NEIGHBOR_ADVERT;
	na[4] = 0x20;                   /* override */
	REQUIRE(inet_pton(AF_INET6, "2001:db8::5", na + 8) == 1);
	na[24] = ND_OPT_TARGET_LINKADDR;
	na[25] = 1;
	memcpy(na + 26, peer_mac, 6);
	REQUIRE(inet_pton(AF_INET6, "2001:db8::5", &s) == 1);
	REQUIRE(inet_pton(AF_INET6, "ff02::1", &d) == 1);
	sum = cksum6(&s, &d, IPPROTO_ICMPV6, na, sizeof(na));
	memcpy(na + 2, &sum, 2);
	n = frame6(f, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, peer_mac,
	    "2001:db8::5", "ff02::1", IPPROTO_ICMPV6, 255, na, sizeof(na));
	REQUIRE_EQ(rump_test_inet_linkinput(f, n, "shmif0"), 0);
	msleep(2300);
	b = icmp6stat_get();
	REQUIRE_EQ(b.icp6s_dupaddr - a.icp6s_dupaddr, 1);
	REQUIRE_OK(u = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_ERRNO(rump_sys_bind(u, (struct sockaddr *)&me, sizeof(me)),
	    EADDRNOTAVAIL);
	REQUIRE_OK(rump_sys_close(u));
}

TESTCASE(ifaddr_ioctl)
{
	struct in6_ifreq {
		struct in6_addr addr;
		uint32_t prefixlen;
		int ifindex;
	} ifr6;
	struct {
		char name[16];
		int index;
		char pad[20];
	} ifi;
	struct sockaddr_in6 me = sin6_make("2001:db8:5::9", 0, 0);
	int s, u;

	shmif0_setup();
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifi, 0, sizeof(ifi));
	strcpy(ifi.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8933 /* SIOCGIFINDEX */, &ifi));
	memset(&ifr6, 0, sizeof(ifr6));
	ifr6.addr = me.sin6_addr;
	ifr6.prefixlen = 64;
	ifr6.ifindex = ifi.index;
	REQUIRE_OK(rump_sys_ioctl(s, 0x8916 /* SIOCSIFADDR */, &ifr6));
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x8916, &ifr6), EEXIST);
	REQUIRE_OK(u = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_bind(u, (struct sockaddr *)&me, sizeof(me)));
	REQUIRE_OK(rump_sys_close(u));
	REQUIRE_OK(rump_sys_ioctl(s, 0x8936 /* SIOCDIFADDR */, &ifr6));
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x8936, &ifr6), EADDRNOTAVAIL);
	REQUIRE_OK(u = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_ERRNO(rump_sys_bind(u, (struct sockaddr *)&me, sizeof(me)),
	    EADDRNOTAVAIL);
	ifr6.ifindex = 99;
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x8916, &ifr6), ENODEV);
	REQUIRE_OK(rump_sys_close(u));
	REQUIRE_OK(rump_sys_close(s));
}

/*
 * Destroying an interface with IPv6 state on it (addresses, a learnt
 * neighbour, a held packet, a socket's group, a held fragment) lets go
 * of every reference: if_detach would wait forever otherwise.
 */
TESTCASE(ifdestroy_cleanup)
{
	struct ipv6_mreq mr;
	struct sockaddr_in6 to = sin6_make("2001:db8::3", 9, 0);
	uint8_t p[64];
	int u;

	shmif0_setup();
	u = udp6_bound("::", 0);
	memset(&mr, 0, sizeof(mr));
	REQUIRE(inet_pton(AF_INET6, "ff12::99", &mr.ipv6mr_multiaddr) == 1);
	mr.ipv6mr_interface = 2;        /* shmif0 */
	REQUIRE_OK(rump_sys_setsockopt(u, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
	    sizeof(mr)));
	REQUIRE_EQ(rump_sys_sendto(u, "held", 4, 0, (struct sockaddr *)&to,
	    sizeof(to)), 4);
	memset(p, 0, sizeof(p));
	p[0] = IPPROTO_UDP;
	p[3] = 1;                       /* a first fragment, never completed */
	p[7] = 5;
	inject("2001:db8::2", "2001:db8::1", IPPROTO_FRAGMENT, p, 24);
	msleep(100);
	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif0"), 0);
	/* The socket lives on, its membership gone. */
	REQUIRE_ERRNO(rump_sys_setsockopt(u, IPPROTO_IPV6, IPV6_LEAVE_GROUP,
	    &mr, sizeof(mr)), ENODEV);
	to = sin6_make("::1", sock6_port(u), 0);
	REQUIRE_EQ(rump_sys_sendto(u, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), 1);
	REQUIRE_EQ(wait_readable(u, 3000), 1);
	REQUIRE_OK(rump_sys_close(u));
}

/* IPV6_V6ONLY 0: IPv4 peers as ::ffff:a.b.c.d, both ways. */
TESTCASE(dual_stack)
{
	struct sockaddr_in6 from6, to6;
	struct sockaddr_in to4, from4;
	unsigned len;
	char buf[32], a[64];
	int s6, s4, only, one = 1, port;

	REQUIRE_OK(s6 = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	to6 = sin6_make("::", 0, 0);
	REQUIRE_OK(rump_sys_bind(s6, (struct sockaddr *)&to6, sizeof(to6)));
	port = sock6_port(s6);
	REQUIRE_OK(s4 = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	memset(&to4, 0, sizeof(to4));
	to4.sin_family = AF_INET;
	to4.sin_port = htons((uint16_t)port);
	to4.sin_addr.s_addr = htonl(0x7f000001);
	REQUIRE_EQ(rump_sys_sendto(s4, "from v4", 7, 0, (struct sockaddr *)&to4,
	    sizeof(to4)), 7);
	REQUIRE_EQ(wait_readable(s6, 3000), 1);
	len = sizeof(from6);
	REQUIRE_EQ(rump_sys_recvfrom(s6, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from6, &len), 7);
	REQUIRE(memcmp(buf, "from v4", 7) == 0);
	REQUIRE(strcmp(inet_ntop(AF_INET6, &from6.sin6_addr, a, sizeof(a)),
	    "::ffff:127.0.0.1") == 0);
	REQUIRE_EQ(rump_sys_sendto(s6, "from v6", 7, 0,
	    (struct sockaddr *)&from6, len), 7);
	REQUIRE_EQ(wait_readable(s4, 3000), 1);
	len = sizeof(from4);
	REQUIRE_EQ(rump_sys_recvfrom(s4, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from4, &len), 7);
	REQUIRE(memcmp(buf, "from v6", 7) == 0);
	REQUIRE_EQ(ntohs(from4.sin_port), port);
	REQUIRE_EQ(ntohl(from4.sin_addr.s_addr), 0x7f000001);
	/* One port space: IPv4 cannot bind the dual-stack socket's port. */
	{
		struct sockaddr_in any4;
		int t4, t6;

		REQUIRE_OK(t4 = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
		memset(&any4, 0, sizeof(any4));
		any4.sin_family = AF_INET;
		any4.sin_port = htons((uint16_t)port);
		REQUIRE_ERRNO(rump_sys_bind(t4, (struct sockaddr *)&any4,
		    sizeof(any4)), EADDRINUSE);
		/* ... nor the other way round. */
		any4.sin_port = 0;
		REQUIRE_OK(rump_sys_bind(t4, (struct sockaddr *)&any4,
		    sizeof(any4)));
		len = sizeof(any4);
		REQUIRE_OK(rump_sys_getsockname(t4, (struct sockaddr *)&any4,
		    &len));
		REQUIRE_OK(t6 = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
		to6 = sin6_make("::", ntohs(any4.sin_port), 0);
		REQUIRE_ERRNO(rump_sys_bind(t6, (struct sockaddr *)&to6,
		    sizeof(to6)), EADDRINUSE);
		/* An IPV6_V6ONLY socket has a port space of its own. */
		REQUIRE_OK(rump_sys_setsockopt(t6, IPPROTO_IPV6, IPV6_V6ONLY,
		    &one, sizeof(one)));
		REQUIRE_OK(rump_sys_bind(t6, (struct sockaddr *)&to6,
		    sizeof(to6)));
		REQUIRE_OK(rump_sys_close(t4));
		REQUIRE_OK(rump_sys_close(t6));
		to6 = sin6_make("::", 0, 0);
	}
	REQUIRE_OK(rump_sys_close(s6));
	/* An IPV6_V6ONLY socket on the port: IPv4 finds nobody. */
	REQUIRE_OK(s6 = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)));
	len = sizeof(only);
	REQUIRE_OK(rump_sys_getsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &only,
	    &len));
	REQUIRE_EQ(only, 1);
	REQUIRE_OK(rump_sys_bind(s6, (struct sockaddr *)&to6, sizeof(to6)));
	to4.sin_port = htons((uint16_t)sock6_port(s6));
	REQUIRE_EQ(rump_sys_sendto(s4, "lost", 4, 0, (struct sockaddr *)&to4,
	    sizeof(to4)), 4);
	REQUIRE_EQ(wait_readable(s6, 300), 0);
	REQUIRE_OK(rump_sys_close(s6));
	REQUIRE_OK(rump_sys_close(s4));
}

/* An MLDv2 general query: each reported group answers within 1 s. */
TESTCASE(mld_query_answered)
{
	uint8_t p[8 + 28], f[256];
	struct in6_addr src, dst;
	struct icmp6stat a, b;
	uint16_t sum;
	size_t n;

	shmif0_setup();
	msleep(1200);                   /* the joins' reports are done */
	a = icmp6stat_get();
	memset(p, 0, sizeof(p));
	p[0] = IPPROTO_ICMPV6;          /* hop-by-hop: router alert, PadN */
	p[2] = 5;
	p[3] = 2;
	p[6] = 1;
	p[8] = MLD_LISTENER_QUERY;
	p[12] = 1000 >> 8;              /* maximum response: 1000 ms */
	p[13] = 1000 & 0xff;
	REQUIRE(inet_pton(AF_INET6, "fe80::2", &src) == 1);
	REQUIRE(inet_pton(AF_INET6, "ff02::1", &dst) == 1);
	sum = cksum6(&src, &dst, IPPROTO_ICMPV6, p + 8, 28);
	memcpy(p + 10, &sum, 2);
	n = frame6(f, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, peer_mac,
	    "fe80::2", "ff02::1", IPPROTO_HOPOPTS, 1, p, sizeof(p));
	REQUIRE_EQ(rump_test_inet_linkinput(f, n, "shmif0"), 0);
	msleep(1300);
	b = icmp6stat_get();
	REQUIRE_EQ(b.icp6s_inhist[MLD_LISTENER_QUERY] -
	    a.icp6s_inhist[MLD_LISTENER_QUERY], 1);
	/* The solicited-node groups of fe80::... and 2001:db8::1. */
	REQUIRE_EQ(b.icp6s_mldreports - a.icp6s_mldreports, 2);
}

/* A datagram never completed: dropped at fragttl, time exceeded sent. */
TESTCASE(reass_timeout)
{
	struct ip6stat a, b;
	struct icmp6stat ia, ib;
	uint8_t p[64];

	shmif0_setup();
	sysctl_setint("net.inet6.ip6.fragttl", 1);
	a = ip6stat_get();
	ia = icmp6stat_get();
	memset(p, 0, sizeof(p));
	p[0] = IPPROTO_UDP;
	p[3] = 1;                       /* the first fragment, more to come */
	p[7] = 42;
	p[8 + 4] = 0;
	p[8 + 5] = 200;                 /* a UDP header in it */
	inject("2001:db8::2", "2001:db8::1", IPPROTO_FRAGMENT, p, 8 + 16);
	msleep(400);
	b = ip6stat_get();
	REQUIRE_EQ(b.ip6s_fragtimeout, a.ip6s_fragtimeout);
	msleep(1600);
	b = ip6stat_get();
	ib = icmp6stat_get();
	REQUIRE_EQ(b.ip6s_fragtimeout - a.ip6s_fragtimeout, 1);
	REQUIRE_EQ(ib.icp6s_outhist[ICMP6_TIME_EXCEEDED] -
	    ia.icp6s_outhist[ICMP6_TIME_EXCEEDED], 1);
}

TESTS(CASE(lo0_udp), CASE(lo0_icmp6_echo), CASE(lo0_udp_refused),
    CASE(lo0_control_messages), CASE(ext_headers), CASE(reassembly),
    CASE(nd_solicit_answered), CASE(dad_duplicate), CASE(ifaddr_ioctl),
    CASE(multicast_loop), CASE(ifdestroy_cleanup), CASE(dual_stack),
    CASE(mld_query_answered), CASE(reass_timeout))
