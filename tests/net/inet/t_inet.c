/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4, ICMP and UDP in one kernel over lo0: datagrams with exact bytes
 * and addresses, port unreachable turned into ECONNREFUSED on a
 * connected socket, the IP_RECVTTL/IP_RECVTOS/IP_PKTINFO control
 * messages, multicast looped to every member, a raw ICMP echo, the
 * checksum routine, and reassembly of fragments built by hand (in
 * order, reversed, overlapping, timing out), with the counters that
 * say what happened.
 */
#include "h_inet.h"
#include "kernspace/inetspace.h"
#include "../../../sys/netinet/if_ether.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

TESTCASE(lo0_address)
{
	struct ifreq {
		char name[16];
		struct sockaddr_in addr;
		char pad[8];
	} ifr;
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "lo0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8915 /* SIOCGIFADDR */, &ifr));
	REQUIRE_EQ(ifr.addr.sin_family, AF_INET);
	REQUIRE_EQ(ntohl(ifr.addr.sin_addr.s_addr), 0x7f000001);
	REQUIRE_OK(rump_sys_ioctl(s, 0x891b /* SIOCGIFNETMASK */, &ifr));
	REQUIRE_EQ(ntohl(ifr.addr.sin_addr.s_addr), 0xff000000);
	REQUIRE_OK(rump_sys_close(s));
}

TESTCASE(udp_lo0)
{
	static const char msg[] = "datagram over lo0, 34 bytes long!";
	struct sockaddr_in to, from;
	unsigned fromlen = sizeof(from);
	char buf[128];
	struct udpstat u0, u1;
	int r, s, rport, sport;

	u0 = udpstat_get();
	r = udp_bound("127.0.0.1", 0);
	rport = sock_port(r);
	REQUIRE(rport >= 32768 && rport <= 60999);
	s = udp_bound("0.0.0.0", 0);
	sport = sock_port(s);
	REQUIRE(sport != rport);
	to = sin_make("127.0.0.1", rport);
	REQUIRE_EQ(rump_sys_sendto(s, msg, sizeof(msg), 0,
	    (struct sockaddr *)&to, sizeof(to)), sizeof(msg));
	REQUIRE_EQ(wait_readable(r, 5000), 1);
	memset(buf, 0, sizeof(buf));
	REQUIRE_EQ(rump_sys_recvfrom(r, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fromlen), sizeof(msg));
	REQUIRE(memcmp(buf, msg, sizeof(msg)) == 0);
	REQUIRE_EQ(fromlen, sizeof(from));
	REQUIRE_EQ(from.sin_family, AF_INET);
	REQUIRE_EQ(ntohl(from.sin_addr.s_addr), 0x7f000001);
	REQUIRE_EQ(ntohs(from.sin_port), sport);
	/* Zero bytes is a datagram too; MSG_TRUNC says how long it was. */
	REQUIRE_EQ(rump_sys_sendto(s, msg, 0, 0, (struct sockaddr *)&to,
	    sizeof(to)), 0);
	REQUIRE_EQ(rump_sys_sendto(s, msg, sizeof(msg), 0,
	    (struct sockaddr *)&to, sizeof(to)), sizeof(msg));
	REQUIRE_EQ(wait_readable(r, 5000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(r, buf, sizeof(buf), 0, NULL, NULL), 0);
	REQUIRE_EQ(wait_readable(r, 5000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(r, buf, 4, MSG_TRUNC, NULL, NULL), sizeof(msg));
	u1 = udpstat_get();
	REQUIRE_EQ(u1.udps_opackets - u0.udps_opackets, 3);
	REQUIRE_EQ(u1.udps_delivered - u0.udps_delivered, 3);
	/* A second bind to the same address and port. */
	to = sin_make("127.0.0.1", rport);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_ERRNO(rump_sys_bind(s, (struct sockaddr *)&to, sizeof(to)), EADDRINUSE);
	/* An address that is not ours. */
	to = sin_make("10.9.9.9", 0);
	REQUIRE_ERRNO(rump_sys_bind(s, (struct sockaddr *)&to, sizeof(to)), EADDRNOTAVAIL);
	/* Below 1024 is fine for root. */
	to = sin_make("127.0.0.1", 53);
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&to, sizeof(to)));
	REQUIRE_EQ(sock_port(s), 53);
}

TESTCASE(udp_reuse)
{
	struct sockaddr_in sin = sin_make("0.0.0.0", 40000);
	int one = 1, a, b, c;

	REQUIRE_OK(a = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(b = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(c = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	REQUIRE_OK(rump_sys_bind(a, (struct sockaddr *)&sin, sizeof(sin)));
	/* Only one side asked for reuse. */
	REQUIRE_ERRNO(rump_sys_bind(b, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	REQUIRE_OK(rump_sys_setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	REQUIRE_OK(rump_sys_bind(b, (struct sockaddr *)&sin, sizeof(sin)));
	/* A specific address overlaps the wildcard. */
	sin = sin_make("127.0.0.1", 40000);
	REQUIRE_ERRNO(rump_sys_bind(c, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	REQUIRE_OK(rump_sys_setsockopt(c, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
	REQUIRE_ERRNO(rump_sys_bind(c, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	sin = sin_make("127.0.0.1", 40001);
	REQUIRE_OK(rump_sys_bind(c, (struct sockaddr *)&sin, sizeof(sin)));
}

/* An SO_REUSEPORT group shares the datagrams, each sender staying with one. */
TESTCASE(udp_reuseport_spread)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", 40100);
	int one = 1, a, b, got[2] = { 0, 0 }, senders[20];
	char buf[16];

	REQUIRE_OK(a = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(b = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(a, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
	REQUIRE_OK(rump_sys_setsockopt(b, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
	REQUIRE_OK(rump_sys_bind(a, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(rump_sys_bind(b, (struct sockaddr *)&sin, sizeof(sin)));
	for (int i = 0; i < 20; i++) {
		senders[i] = udp_bound("127.0.0.1", 0);
		for (int k = 0; k < 3; k++)
			REQUIRE_EQ(rump_sys_sendto(senders[i], "s", 1, 0,
			    (struct sockaddr *)&sin, sizeof(sin)), 1);
	}
	msleep(200);
	while (rump_sys_recv(a, buf, sizeof(buf), MSG_DONTWAIT) == 1)
		got[0]++;
	while (rump_sys_recv(b, buf, sizeof(buf), MSG_DONTWAIT) == 1)
		got[1]++;
	REQUIRE_EQ(got[0] + got[1], 60);
	REQUIRE(got[0] > 0 && got[1] > 0);
	REQUIRE(got[0] % 3 == 0 && got[1] % 3 == 0);    /* a sender's three together */
}

TESTCASE(udp_connected_refused)
{
	struct sockaddr_in to;
	struct icmpstat i0, i1;
	struct udpstat u0, u1;
	char buf[16];
	int s, closed, port;

	/* A port nobody listens on: bind one and close it. */
	closed = udp_bound("127.0.0.1", 0);
	port = sock_port(closed);
	REQUIRE_OK(rump_sys_close(closed));
	i0 = icmpstat_get();
	u0 = udpstat_get();
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	to = sin_make("127.0.0.1", port);
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&to, sizeof(to)));
	REQUIRE_EQ(rump_sys_send(s, "x", 1, 0), 1);
	/* The port unreachable comes back as the socket's error. */
	REQUIRE_EQ(wait_readable(s, 5000), 1);
	REQUIRE_ERRNO(rump_sys_recv(s, buf, sizeof(buf), 0), ECONNREFUSED);
	/* Reported once. */
	REQUIRE_ERRNO(rump_sys_recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	i1 = icmpstat_get();
	u1 = udpstat_get();
	REQUIRE_EQ(u1.udps_noport - u0.udps_noport, 1);
	REQUIRE_EQ(i1.icps_outhist[ICMP_UNREACH] - i0.icps_outhist[ICMP_UNREACH], 1);
	REQUIRE_EQ(i1.icps_inhist[ICMP_UNREACH] - i0.icps_inhist[ICMP_UNREACH], 1);
	/* An unconnected socket hears nothing of it. */
	REQUIRE_OK(rump_sys_close(s));
	s = udp_bound("0.0.0.0", 0);
	REQUIRE_EQ(rump_sys_sendto(s, "y", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	REQUIRE_EQ(wait_readable(s, 300), 0);
	REQUIRE_ERRNO(rump_sys_recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
}

TESTCASE(udp_control_messages)
{
	struct sockaddr_in to;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	char buf[64], cbuf[256];
	int r, s, on = 1, ttl = 33, tos = 0x28, seen = 0;
	ssize_t n;

	r = udp_bound("0.0.0.0", 0);
	REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)));
	REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)));
	REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on)));
	s = udp_bound("0.0.0.0", 0);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)));
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)));
	{
		int got = 0;
		unsigned len = sizeof(got);

		REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_IP, IP_TTL, &got, &len));
		REQUIRE_EQ(got, 33);
		REQUIRE_EQ(len, sizeof(int));
		ttl = 0;
		REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_IP, IP_TTL, &ttl,
		    sizeof(ttl)), EINVAL);
	}
	to = sin_make("127.0.0.1", sock_port(r));
	REQUIRE_EQ(rump_sys_sendto(s, "pkt", 3, 0, (struct sockaddr *)&to,
	    sizeof(to)), 3);
	REQUIRE_EQ(wait_readable(r, 5000), 1);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	REQUIRE_OK(n = rump_sys_recvmsg(r, &msg, 0));
	REQUIRE_EQ(n, 3);
	REQUIRE_EQ(msg.msg_flags & MSG_CTRUNC, 0);
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		REQUIRE_EQ(cm->cmsg_level, IPPROTO_IP);
		if (cm->cmsg_type == IP_TTL) {
			int v;

			REQUIRE_EQ(cm->cmsg_len, CMSG_LEN(sizeof(int)));
			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			REQUIRE_EQ(v, 33);
			seen |= 1;
		} else if (cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			REQUIRE_EQ(cm->cmsg_len, CMSG_LEN(sizeof(pi)));
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			REQUIRE_EQ(pi.ipi_ifindex, 1);          /* lo0 */
			REQUIRE_EQ(ntohl(pi.ipi_addr.s_addr), 0x7f000001);
			REQUIRE_EQ(ntohl(pi.ipi_spec_dst.s_addr), 0x7f000001);
			seen |= 2;
		} else if (cm->cmsg_type == IP_TOS) {
			REQUIRE_EQ(cm->cmsg_len, CMSG_LEN(1));
			REQUIRE_EQ(*CMSG_DATA(cm), 0x28);
			seen |= 4;
		} else
			TEST_FAIL("unexpected control message type %d", cm->cmsg_type);
	}
	REQUIRE_EQ(seen, 7);
	REQUIRE(memcmp(buf, "pkt", 3) == 0);
}

TESTCASE(udp_multicast_loop)
{
	struct ip_mreq mr;
	struct in_addr ifa;
	struct sockaddr_in to, from;
	unsigned fromlen = sizeof(from);
	char buf[32];
	int a, b, other, s, on = 1, port;

	REQUIRE_OK(a = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(b = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)));
	REQUIRE_OK(rump_sys_setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)));
	to = sin_make("0.0.0.0", 45454);
	REQUIRE_OK(rump_sys_bind(a, (struct sockaddr *)&to, sizeof(to)));
	REQUIRE_OK(rump_sys_bind(b, (struct sockaddr *)&to, sizeof(to)));
	port = 45454;
	/* Another port: it must not hear the group's datagrams. */
	other = udp_bound("0.0.0.0", 45455);
	memset(&mr, 0, sizeof(mr));
	REQUIRE(inet_pton(AF_INET, "239.1.2.3", &mr.imr_multiaddr) == 1);
	REQUIRE(inet_pton(AF_INET, "127.0.0.1", &mr.imr_interface) == 1);
	REQUIRE_OK(rump_sys_setsockopt(a, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	REQUIRE_ERRNO(rump_sys_setsockopt(a, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
	    sizeof(mr)), EADDRINUSE);
	REQUIRE_OK(rump_sys_setsockopt(b, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	s = udp_bound("0.0.0.0", 0);
	ifa = mr.imr_interface;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof(ifa)));
	{
		struct in_addr got;
		unsigned len = sizeof(got);

		REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &got, &len));
		REQUIRE_EQ(got.s_addr, ifa.s_addr);
	}
	to = sin_make("239.1.2.3", port);
	REQUIRE_EQ(rump_sys_sendto(s, "group", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), 5);
	REQUIRE_EQ(wait_readable(a, 5000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(a, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fromlen), 5);
	REQUIRE(memcmp(buf, "group", 5) == 0);
	REQUIRE_EQ(ntohs(from.sin_port), sock_port(s));
	REQUIRE_EQ(wait_readable(b, 5000), 1);
	REQUIRE_EQ(rump_sys_recv(b, buf, sizeof(buf), 0), 5);
	REQUIRE_EQ(wait_readable(other, 200), 0);
	/* After both leave, the host is no member: nothing arrives. */
	REQUIRE_OK(rump_sys_setsockopt(a, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr, sizeof(mr)));
	REQUIRE_ERRNO(rump_sys_setsockopt(a, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr,
	    sizeof(mr)), EADDRNOTAVAIL);
	REQUIRE_OK(rump_sys_setsockopt(b, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr, sizeof(mr)));
	REQUIRE_EQ(rump_sys_sendto(s, "again", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), 5);
	REQUIRE_EQ(wait_readable(a, 300), 0);
	REQUIRE_EQ(wait_readable(b, 0), 0);
	/* Not a group address. */
	REQUIRE(inet_pton(AF_INET, "10.1.2.3", &mr.imr_multiaddr) == 1);
	REQUIRE_ERRNO(rump_sys_setsockopt(a, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
	    sizeof(mr)), EINVAL);
}

TESTCASE(raw_icmp_echo)
{
	struct sockaddr_in to = sin_make("127.0.0.1", 0), from;
	uint8_t req[8 + 56], buf[1024];
	unsigned fromlen;
	int s, i, replies = 0, requests = 0;
	ssize_t n;

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	for (int seq = 1; seq <= 3; seq++) {
		uint16_t v;

		memset(req, 0, sizeof(req));
		req[0] = 8;                     /* echo */
		v = htons(0x1234);
		memcpy(req + 4, &v, 2);
		v = htons((uint16_t)seq);
		memcpy(req + 6, &v, 2);
		for (i = 8; i < (int)sizeof(req); i++)
			req[i] = (uint8_t)(i + seq);
		v = cksum(req, sizeof(req), 0);
		memcpy(req + 2, &v, 2);
		REQUIRE_EQ(rump_sys_sendto(s, req, sizeof(req), 0,
		    (struct sockaddr *)&to, sizeof(to)), sizeof(req));
		/* A raw socket sees its own request (it came in on lo0) and the reply. */
		for (int got = 0; got < 2;) {
			REQUIRE_EQ(wait_readable(s, 5000), 1);
			fromlen = sizeof(from);
			REQUIRE_OK(n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
			    (struct sockaddr *)&from, &fromlen));
			REQUIRE_EQ(n, 20 + sizeof(req));
			REQUIRE_EQ(buf[0], 0x45);
			REQUIRE_EQ(buf[9], IPPROTO_ICMP);
			REQUIRE_EQ(ntohl(from.sin_addr.s_addr), 0x7f000001);
			REQUIRE_EQ(cksum(buf, 20, 0), 0);
			REQUIRE_EQ(cksum(buf + 20, sizeof(req), 0), 0);
			REQUIRE_EQ(buf[21], 0);         /* code */
			REQUIRE(memcmp(buf + 24, req + 4, 4) == 0); /* id, seq */
			REQUIRE(memcmp(buf + 28, req + 8, sizeof(req) - 8) == 0);
			if (buf[20] == 0)
				replies++;
			else {
				REQUIRE_EQ(buf[20], 8);
				requests++;
			}
			got++;
		}
	}
	REQUIRE_EQ(replies, 3);
	REQUIRE_EQ(requests, 3);
	/* Linux's ICMP_FILTER (SOL_RAW): requests filtered out, replies kept. */
	{
		uint32_t mask = 1u << 8, got = 0;
		unsigned len = sizeof(got);

		REQUIRE_OK(rump_sys_setsockopt(s, 255, 1, &mask, sizeof(mask)));
		REQUIRE_OK(rump_sys_getsockopt(s, 255, 1, &got, &len));
		REQUIRE_EQ(got, mask);
		REQUIRE_EQ(rump_sys_sendto(s, req, sizeof(req), 0,
		    (struct sockaddr *)&to, sizeof(to)), sizeof(req));
		REQUIRE_EQ(wait_readable(s, 5000), 1);
		REQUIRE_EQ(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL),
		    20 + sizeof(req));
		REQUIRE_EQ(buf[20], 0);
		REQUIRE_EQ(wait_readable(s, 200), 0);
	}
	/* Protocol 0 is no raw protocol, as on Linux. */
	REQUIRE_ERRNO(rump_sys_socket(AF_INET, SOCK_RAW, 0), EPROTONOSUPPORT);
}

TESTCASE(cksum_unit)
{
	REQUIRE_EQ(rump_test_inet_cksum(), 0);
}

/*
 * Reassembly: a UDP datagram of 200 bytes from 127.0.0.1 to the socket,
 * cut into fragments of 8-byte multiples, handed to ip_input on lo0 in
 * the given order.
 */
struct frag {
	int off, len;
};

static uint8_t reass_data[200];

static void
send_frags(int port, int id, const struct frag *f, int n)
{
	uint8_t dgram[8 + sizeof(reass_data)], pkt[20 + sizeof(dgram)];

	for (size_t i = 0; i < sizeof(reass_data); i++)
		reass_data[i] = (uint8_t)(i * 3 + id);
	udp_header(dgram, 7777, port, reass_data, sizeof(reass_data),
	    "127.0.0.1", "127.0.0.1");
	memcpy(dgram + 8, reass_data, sizeof(reass_data));
	for (int i = 0; i < n; i++) {
		int more = f[i].off + f[i].len < (int)sizeof(dgram);

		ip_header(pkt, 20 + f[i].len, id, f[i].off / 8, more, IPPROTO_UDP,
		    "127.0.0.1", "127.0.0.1", 64);
		memcpy(pkt + 20, dgram + f[i].off, (size_t)f[i].len);
		REQUIRE_EQ(rump_test_inet_ipinput(pkt, 20 + (size_t)f[i].len, "lo0"), 0);
	}
}

static void
expect_dgram(int s)
{
	uint8_t buf[512];
	struct sockaddr_in from;
	unsigned fromlen = sizeof(from);

	REQUIRE_EQ(wait_readable(s, 2000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(s, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fromlen), sizeof(reass_data));
	REQUIRE(memcmp(buf, reass_data, sizeof(reass_data)) == 0);
	REQUIRE_EQ(ntohs(from.sin_port), 7777);
}

TESTCASE(reass_in_order)
{
	static const struct frag f[] = { { 0, 64 }, { 64, 64 }, { 128, 80 } };
	struct ipstat a, b;
	int s = udp_bound("127.0.0.1", 0), frags, pkts;

	a = ipstat_get();
	send_frags(sock_port(s), 100, f, 3);
	expect_dgram(s);
	b = ipstat_get();
	REQUIRE_EQ(b.ips_fragments - a.ips_fragments, 3);
	REQUIRE_EQ(b.ips_reassembled - a.ips_reassembled, 1);
	rump_test_inet_reass_usage(&frags, &pkts);
	REQUIRE_EQ(frags, 0);
	REQUIRE_EQ(pkts, 0);
}

TESTCASE(reass_reversed)
{
	static const struct frag f[] = { { 200, 8 }, { 160, 40 }, { 80, 80 },
	    { 8, 72 }, { 0, 8 } };
	struct ipstat a, b;
	int s = udp_bound("127.0.0.1", 0);

	a = ipstat_get();
	send_frags(sock_port(s), 101, f, 5);
	expect_dgram(s);
	/* A duplicate of a fragment does no harm. */
	send_frags(sock_port(s), 102, f, 3);
	send_frags(sock_port(s), 102, &f[2], 3);
	expect_dgram(s);
	b = ipstat_get();
	REQUIRE_EQ(b.ips_reassembled - a.ips_reassembled, 2);
	REQUIRE_EQ(b.ips_fragdropped - a.ips_fragdropped, 1);
	REQUIRE_EQ(b.ips_fragoverlap - a.ips_fragoverlap, 0);
}

TESTCASE(reass_overlap_dropped)
{
	/* The second fragment rewrites bytes 56-63 of the first. */
	static const struct frag f[] = { { 0, 64 }, { 56, 72 }, { 128, 80 } };
	static const struct frag g[] = { { 0, 64 }, { 64, 64 }, { 128, 80 } };
	struct ipstat a, b;
	int s = udp_bound("127.0.0.1", 0), frags, pkts;

	a = ipstat_get();
	send_frags(sock_port(s), 103, f, 3);
	REQUIRE_EQ(wait_readable(s, 300), 0);
	b = ipstat_get();
	REQUIRE_EQ(b.ips_fragoverlap - a.ips_fragoverlap, 1);
	REQUIRE_EQ(b.ips_reassembled - a.ips_reassembled, 0);
	/* The whole datagram went: its last fragment starts a new one, alone. */
	rump_test_inet_reass_usage(&frags, &pkts);
	REQUIRE_EQ(frags, 1);
	REQUIRE_EQ(pkts, 1);
	/* A tiny first fragment is refused outright. */
	{
		uint8_t pkt[28];

		ip_header(pkt, 24, 104, 0, 1, IPPROTO_UDP, "127.0.0.1",
		    "127.0.0.1", 64);
		memset(pkt + 20, 0, 8);
		a = ipstat_get();
		REQUIRE_EQ(rump_test_inet_ipinput(pkt, 24, "lo0"), 0);
		b = ipstat_get();
		REQUIRE_EQ(b.ips_fragdropped - a.ips_fragdropped, 1);
	}
	/* A clean datagram with another id still goes through. */
	send_frags(sock_port(s), 105, g, 3);
	expect_dgram(s);
}

TESTCASE(reass_timeout)
{
	static const struct frag f[] = { { 0, 64 }, { 128, 80 } };
	struct ipstat a, b;
	struct icmpstat i0, i1;
	int s = udp_bound("127.0.0.1", 0), frags, pkts;

	sysctl_setint("net.inet.ip.fragttl", 1);
	a = ipstat_get();
	i0 = icmpstat_get();
	send_frags(sock_port(s), 106, f, 2);
	rump_test_inet_reass_usage(&frags, &pkts);
	REQUIRE_EQ(frags, 2);
	REQUIRE_EQ(pkts, 1);
	msleep(1500);
	rump_test_inet_reass_usage(&frags, &pkts);
	REQUIRE_EQ(frags, 0);
	REQUIRE_EQ(pkts, 0);
	b = ipstat_get();
	i1 = icmpstat_get();
	REQUIRE_EQ(b.ips_fragtimeout - a.ips_fragtimeout, 1);
	REQUIRE_EQ(b.ips_fragdropped - a.ips_fragdropped, 2);
	/* RFC 792: time exceeded in reassembly, since the first fragment came. */
	REQUIRE_EQ(i1.icps_outhist[ICMP_TIMXCEED] - i0.icps_outhist[ICMP_TIMXCEED], 1);
	REQUIRE_EQ(wait_readable(s, 0), 0);
}

TESTCASE(bad_headers_counted)
{
	uint8_t pkt[64];
	struct ipstat a, b;
	struct icmpstat i0, i1;
	uint16_t v;

	a = ipstat_get();
	i0 = icmpstat_get();
	/* Too short for a header. */
	memset(pkt, 0, sizeof(pkt));
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 10, "lo0"), 0);
	/* Version 6 in an IPv4 packet. */
	ip_header(pkt, 28, 1, 0, 0, IPPROTO_UDP, "127.0.0.1", "127.0.0.1", 64);
	pkt[0] = 0x65;
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "lo0"), 0);
	/* Header length 4 words. */
	ip_header(pkt, 28, 1, 0, 0, IPPROTO_UDP, "127.0.0.1", "127.0.0.1", 64);
	pkt[0] = 0x44;
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "lo0"), 0);
	/* A bad checksum. */
	ip_header(pkt, 28, 1, 0, 0, IPPROTO_UDP, "127.0.0.1", "127.0.0.1", 64);
	pkt[10] ^= 0x55;
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "lo0"), 0);
	/* ip_len past the data. */
	ip_header(pkt, 60, 1, 0, 0, IPPROTO_UDP, "127.0.0.1", "127.0.0.1", 64);
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "lo0"), 0);
	/* ip_len below the header. */
	ip_header(pkt, 12, 1, 0, 0, IPPROTO_UDP, "127.0.0.1", "127.0.0.1", 64);
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "lo0"), 0);
	/* A multicast source. */
	ip_header(pkt, 28, 1, 0, 0, IPPROTO_UDP, "224.0.0.5", "127.0.0.1", 64);
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "lo0"), 0);
	/* A loose source route option: refused. */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x46;
	v = htons(32);
	memcpy(pkt + 2, &v, 2);
	pkt[8] = 64;
	pkt[9] = IPPROTO_UDP;
	pkt[12] = 127, pkt[15] = 1, pkt[16] = 127, pkt[19] = 1;
	pkt[20] = 131, pkt[21] = 3, pkt[22] = 4, pkt[23] = 0;
	v = cksum(pkt, 24, 0);
	memcpy(pkt + 10, &v, 2);
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 32, "lo0"), 0);
	/* The source route drew a parameter problem, back to us over lo0. */
	msleep(200);
	b = ipstat_get();
	i1 = icmpstat_get();
	REQUIRE_EQ(i1.icps_outhist[ICMP_PARAMPROB] - i0.icps_outhist[ICMP_PARAMPROB], 1);
	REQUIRE_EQ(i1.icps_inhist[ICMP_PARAMPROB] - i0.icps_inhist[ICMP_PARAMPROB], 1);
	REQUIRE_EQ(b.ips_total - a.ips_total, 8 + 1);
	REQUIRE_EQ(b.ips_toosmall - a.ips_toosmall, 1);
	REQUIRE_EQ(b.ips_badvers - a.ips_badvers, 1);
	REQUIRE_EQ(b.ips_badhlen - a.ips_badhlen, 1);
	REQUIRE_EQ(b.ips_badsum - a.ips_badsum, 1);
	REQUIRE_EQ(b.ips_tooshort - a.ips_tooshort, 1);
	REQUIRE_EQ(b.ips_badlen - a.ips_badlen, 1);
	REQUIRE_EQ(b.ips_badaddr - a.ips_badaddr, 1);
	REQUIRE_EQ(b.ips_badoptions - a.ips_badoptions, 1);
	REQUIRE_EQ(b.ips_delivered - a.ips_delivered, 1);
}

TESTCASE(pcblist)
{
	struct {
		uint32_t laddr, faddr;
		uint16_t lport, fport;
		int32_t state;
		uint32_t rcvcc, sndcc;
		int32_t proto;
	} list[16];
	size_t len = sizeof(list);
	int s = udp_bound("127.0.0.1", 0), found = 0;

	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.udp.pcblist", list, &len,
	    NULL, 0), 0);
	REQUIRE_EQ(len % sizeof(list[0]), 0);
	for (size_t i = 0; i < len / sizeof(list[0]); i++)
		if (ntohs(list[i].lport) == sock_port(s) &&
		    ntohl(list[i].laddr) == 0x7f000001 && list[i].proto == 17)
			found++;
	REQUIRE_EQ(found, 1);
}

/* Linux's struct ifreq with an address. */
struct ifreq_in {
	char name[16];
	struct sockaddr_in addr;
	char pad[8];
};

static void
ifreq_ioctl(int s, unsigned long cmd, const char *ifname, const char *addr,
    struct ifreq_in *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strcpy(ifr->name, ifname);
	if (addr != NULL)
		ifr->addr = sin_make(addr, 0);
	REQUIRE_OK(rump_sys_ioctl(s, cmd, ifr));
}

/* shmif0 on a bus of our own, up, with 10.0.0.1/24. */
static void
shmif0_setup(void)
{
	char bus[64];
	int unit;

	snprintf(bus, sizeof(bus), "/tmp/t_inet.%d.bus", (int)getpid());
	unlink(bus);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	unlink(bus);            /* the mapping stays */
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
}

TESTCASE(ifaddr_ioctls)
{
	struct ifreq_in ifr;
	struct sockaddr_in to, me;
	unsigned len = sizeof(me);
	int s, u;

	shmif0_setup();
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x8915 /* SIOCGIFADDR */, &ifr), EADDRNOTAVAIL);
	ifreq_ioctl(s, 0x8916 /* SIOCSIFADDR */, "shmif0", "10.1.2.3", &ifr);
	ifreq_ioctl(s, 0x8915, "shmif0", NULL, &ifr);
	REQUIRE_EQ(ntohl(ifr.addr.sin_addr.s_addr), 0x0a010203);
	/* Linux's default mask for SIOCSIFADDR: the address's class. */
	ifreq_ioctl(s, 0x891b /* SIOCGIFNETMASK */, "shmif0", NULL, &ifr);
	REQUIRE_EQ(ntohl(ifr.addr.sin_addr.s_addr), 0xff000000);
	ifreq_ioctl(s, 0x891c /* SIOCSIFNETMASK */, "shmif0", "255.255.255.0", &ifr);
	ifreq_ioctl(s, 0x891b, "shmif0", NULL, &ifr);
	REQUIRE_EQ(ntohl(ifr.addr.sin_addr.s_addr), 0xffffff00);
	ifreq_ioctl(s, 0x8919 /* SIOCGIFBRDADDR */, "shmif0", NULL, &ifr);
	REQUIRE_EQ(ntohl(ifr.addr.sin_addr.s_addr), 0x0a0102ff);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	ifr.addr = sin_make("255.0.255.0", 0);
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x891c, &ifr), EINVAL);
	/* The prefix route and the source address it gives. */
	u = udp_bound("0.0.0.0", 0);
	to = sin_make("10.1.2.9", 9);
	REQUIRE_OK(rump_sys_connect(u, (struct sockaddr *)&to, sizeof(to)));
	REQUIRE_OK(rump_sys_getsockname(u, (struct sockaddr *)&me, &len));
	REQUIRE_EQ(ntohl(me.sin_addr.s_addr), 0x0a010203);
	to = sin_make("10.9.9.9", 9);
	REQUIRE_ERRNO(rump_sys_connect(u, (struct sockaddr *)&to, sizeof(to)), ENETUNREACH);
	/* Broadcast needs SO_BROADCAST. */
	to = sin_make("10.1.2.255", 9);
	REQUIRE_ERRNO(rump_sys_connect(u, (struct sockaddr *)&to, sizeof(to)), EACCES);
	REQUIRE_ERRNO(rump_sys_sendto(u, "b", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), EACCES);
	/* Our own address on shmif0 loops back through lo0. */
	REQUIRE_OK(rump_sys_close(u));
	u = udp_bound("10.1.2.3", 0);
	to = sin_make("10.1.2.3", sock_port(u));
	REQUIRE_EQ(rump_sys_sendto(u, "self", 4, 0, (struct sockaddr *)&to,
	    sizeof(to)), 4);
	REQUIRE_EQ(wait_readable(u, 5000), 1);
	/* Deleted: gone with its routes. */
	ifreq_ioctl(s, 0x8936 /* SIOCDIFADDR */, "shmif0", "10.1.2.3", &ifr);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x8915, &ifr), EADDRNOTAVAIL);
	to = sin_make("10.1.2.9", 9);
	REQUIRE_ERRNO(rump_sys_connect(u, (struct sockaddr *)&to, sizeof(to)), ENETUNREACH);
}

TESTCASE(icmp_error_rules)
{
	uint8_t pkt[128];
	struct icmpstat i0, i1;
	struct udpstat u0, u1;
	struct ipstat a, b;
	uint16_t v;

	shmif0_setup();
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", "10.0.0.1", 24), 0);
	i0 = icmpstat_get();
	u0 = udpstat_get();
	a = ipstat_get();
	/* To a closed port: port unreachable. */
	ip_header(pkt, 28, 1, 0, 0, IPPROTO_UDP, "10.0.0.2", "10.0.0.1", 64);
	udp_header(pkt + 20, 1111, 9, NULL, 0, "10.0.0.2", "10.0.0.1");
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "shmif0"), 0);
	/* The same to the subnet's broadcast address: nothing sent. */
	ip_header(pkt, 28, 2, 0, 0, IPPROTO_UDP, "10.0.0.2", "10.0.0.255", 64);
	udp_header(pkt + 20, 1111, 9, NULL, 0, "10.0.0.2", "10.0.0.255");
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "shmif0"), 0);
	/* An echo request to the broadcast address: ignored. */
	ip_header(pkt, 28, 3, 0, 0, IPPROTO_ICMP, "10.0.0.2", "10.0.0.255", 64);
	memset(pkt + 20, 0, 8);
	pkt[20] = 8;
	v = cksum(pkt + 20, 8, 0);
	memcpy(pkt + 22, &v, 2);
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "shmif0"), 0);
	/* An ICMP error with a source route: refused, and no error about an error. */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x46;
	v = htons(24 + 36);
	memcpy(pkt + 2, &v, 2);
	pkt[8] = 64;
	pkt[9] = IPPROTO_ICMP;
	REQUIRE(inet_pton(AF_INET, "10.0.0.2", pkt + 12) == 1);
	REQUIRE(inet_pton(AF_INET, "10.0.0.1", pkt + 16) == 1);
	pkt[20] = 131, pkt[21] = 3, pkt[22] = 4;
	v = cksum(pkt, 24, 0);
	memcpy(pkt + 10, &v, 2);
	pkt[24] = 3;            /* unreachable, port */
	pkt[25] = 3;
	ip_header(pkt + 32, 28, 9, 0, 0, IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64);
	v = cksum(pkt + 24, 36, 0);
	memcpy(pkt + 26, &v, 2);
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 24 + 36, "shmif0"), 0);
	/* Our own address as the source, from the wire: a martian. */
	ip_header(pkt, 28, 4, 0, 0, IPPROTO_UDP, "10.0.0.1", "10.0.0.1", 64);
	udp_header(pkt + 20, 1111, 9, NULL, 0, "10.0.0.1", "10.0.0.1");
	REQUIRE_EQ(rump_test_inet_ipinput(pkt, 28, "shmif0"), 0);
	i1 = icmpstat_get();
	u1 = udpstat_get();
	b = ipstat_get();
	REQUIRE_EQ(u1.udps_noport - u0.udps_noport, 1);
	REQUIRE_EQ(u1.udps_noportbcast - u0.udps_noportbcast, 1);
	REQUIRE_EQ(i1.icps_bmcastecho - i0.icps_bmcastecho, 1);
	REQUIRE_EQ(b.ips_badoptions - a.ips_badoptions, 1);
	REQUIRE_EQ(b.ips_badaddr - a.ips_badaddr, 1);
	REQUIRE_EQ(i1.icps_oldicmp - i0.icps_oldicmp, 1);
	REQUIRE_EQ(i1.icps_error - i0.icps_error, 2);
	REQUIRE_EQ(i1.icps_outhist[ICMP_UNREACH] - i0.icps_outhist[ICMP_UNREACH], 1);
	REQUIRE_EQ(i1.icps_outhist[ICMP_PARAMPROB] - i0.icps_outhist[ICMP_PARAMPROB], 0);
	REQUIRE_EQ(i1.icps_outhist[ICMP_ECHOREPLY] - i0.icps_outhist[ICMP_ECHOREPLY], 0);
}

TESTCASE(icmp_ratelimit)
{
	struct sockaddr_in to;
	struct icmpstat i0, i1;
	int u, closed;
	uint64_t sent, limited;

	closed = udp_bound("127.0.0.1", 0);
	to = sin_make("127.0.0.1", sock_port(closed));
	REQUIRE_OK(rump_sys_close(closed));
	sysctl_setint("net.inet.icmp.errratelimit", 5);
	u = udp_bound("0.0.0.0", 0);
	i0 = icmpstat_get();
	for (int i = 0; i < 20; i++)
		REQUIRE_EQ(rump_sys_sendto(u, "r", 1, 0, (struct sockaddr *)&to,
		    sizeof(to)), 1);
	msleep(200);
	i1 = icmpstat_get();
	sent = i1.icps_outhist[ICMP_UNREACH] - i0.icps_outhist[ICMP_UNREACH];
	limited = i1.icps_ratelimit - i0.icps_ratelimit;
	/* A burst of a second's worth (5), then about 5 a second. */
	REQUIRE(sent >= 5 && sent <= 7);
	REQUIRE_EQ(sent + limited, 20);
	/* Refilled a second later. */
	msleep(1100);
	REQUIRE_EQ(rump_sys_sendto(u, "r", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	msleep(100);
	REQUIRE_EQ(icmpstat_get().icps_outhist[ICMP_UNREACH] -
	    i1.icps_outhist[ICMP_UNREACH], 1);
}

/*
 * An interface destroyed with an address, a multicast membership, a
 * socket's cached route through it, an ARP entry holding packets and a
 * learnt path MTU: everything of it is let go (the destroy returns, so
 * no reference was left), the sockets live on.
 */
TESTCASE(ifdestroy_cleanup)
{
	struct ip_mreq mr;
	struct sockaddr_in to;
	struct ifreq_in ifr;
	unsigned long before;
	int u, c, s;

	before = rump_test_inet_mbufs();
	shmif0_setup();
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", "10.0.0.1", 24), 0);
	u = udp_bound("0.0.0.0", 0);
	REQUIRE(inet_pton(AF_INET, "239.3.3.3", &mr.imr_multiaddr) == 1);
	REQUIRE(inet_pton(AF_INET, "10.0.0.1", &mr.imr_interface) == 1);
	REQUIRE_OK(rump_sys_setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	/* Held by ARP: nobody answers on this bus. */
	to = sin_make("10.0.0.7", 9);
	for (int i = 0; i < 3; i++)
		REQUIRE_EQ(rump_sys_sendto(u, "held", 4, 0, (struct sockaddr *)&to,
		    sizeof(to)), 4);
	c = udp_bound("0.0.0.0", 0);
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&to, sizeof(to)));

	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif0"), 0);

	REQUIRE_ERRNO(rump_sys_setsockopt(u, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr,
	    sizeof(mr)), EADDRNOTAVAIL);
	REQUIRE_ERRNO(rump_sys_sendto(u, "gone", 4, 0, (struct sockaddr *)&to,
	    sizeof(to)), ENETUNREACH);
	REQUIRE_ERRNO(rump_sys_send(c, "gone", 4, 0), ENETUNREACH);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x8915, &ifr), ENODEV);
	/* lo0 is untouched. */
	to = sin_make("127.0.0.1", sock_port(u));
	REQUIRE_EQ(rump_sys_sendto(c, "lo", 2, 0, (struct sockaddr *)&to,
	    sizeof(to)), 2);
	REQUIRE_EQ(wait_readable(u, 5000), 1);
	REQUIRE_OK(rump_sys_close(u));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_EQ(rump_test_inet_mbufs(), before);
}

/* An ARP request for tpa from 10.0.0.2 (02:00:00:00:00:02), on shmif0. */
static void
arp_request_in(const char *tpa)
{
	uint8_t f[60];

	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	f[6] = 0x02, f[11] = 0x02;
	f[12] = 0x08, f[13] = 0x06;
	f[15] = 1, f[16] = 0x08, f[18] = 6, f[19] = 4, f[21] = 1;
	memcpy(f + 22, f + 6, 6);
	REQUIRE(inet_pton(AF_INET, "10.0.0.2", f + 28) == 1);
	REQUIRE(inet_pton(AF_INET, tpa, f + 38) == 1);
	REQUIRE_EQ(rump_test_inet_linkinput(f, sizeof(f), "shmif0"), 0);
}

TESTCASE(arp_requests)
{
	struct arpstat a, b;

	shmif0_setup();
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", "10.0.0.1", 24), 0);
	get_stats("net.inet.arp.stats", &a, sizeof(a));
	arp_request_in("10.0.0.1");     /* ours: answered, the asker learnt */
	arp_request_in("127.0.0.1");    /* loopback: never */
	arp_request_in("10.0.0.9");     /* not ours */
	msleep(200);                    /* the link queues them to ARP */
	get_stats("net.inet.arp.stats", &b, sizeof(b));
	REQUIRE_EQ(b.as_rcvreq - a.as_rcvreq, 3);
	REQUIRE_EQ(b.as_sentrep - a.as_sentrep, 1);
	/* Learnt from the request: a datagram to it goes at once, not held. */
	{
		struct sockaddr_in to = sin_make("10.0.0.2", 9);
		int u = udp_bound("0.0.0.0", 0);

		REQUIRE_EQ(rump_sys_sendto(u, "x", 1, 0, (struct sockaddr *)&to,
		    sizeof(to)), 1);
		get_stats("net.inet.arp.stats", &a, sizeof(a));
		REQUIRE_EQ(a.as_held, b.as_held);
		REQUIRE_EQ(a.as_sentreq, b.as_sentreq);
	}
}

TESTS(CASE(lo0_address), CASE(udp_lo0), CASE(udp_reuse), CASE(udp_reuseport_spread),
    CASE(udp_connected_refused), CASE(udp_control_messages),
    CASE(udp_multicast_loop), CASE(raw_icmp_echo), CASE(cksum_unit),
    CASE(reass_in_order), CASE(reass_reversed), CASE(reass_overlap_dropped),
    CASE(reass_timeout), CASE(bad_headers_counted), CASE(pcblist),
    CASE(ifaddr_ioctls), CASE(icmp_error_rules), CASE(icmp_ratelimit),
    CASE(ifdestroy_cleanup), CASE(arp_requests))
