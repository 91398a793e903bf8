/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A seeded fuzz of the IPv6 input path: frames injected on shmif0 as
 * if from a neighbour, built from extension header chains (hop-by-hop,
 * destination options with option storms and unknown options,
 * routing headers, fragment headers with overlapping and lying
 * offsets), lying payload lengths, truncation, ND and MLD messages with
 * bad options, then random bit flips.  Afterwards the kernel still
 * answers over ::1 and a UDP socket on shmif0, every drop is counted,
 * and the mbufs held go back to what they were (reassembly's leftovers
 * time out; their count is bounded meanwhile).  INET6_FUZZ_SEED and
 * INET6_FUZZ_ROUNDS choose the run.
 */
#include "h_inet6.h"
#include "../inet/kernspace/inetspace.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x77 };
static uint8_t our_mac[6];
static uint64_t rnd_state;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)rnd_state;
}

static void
setup(void)
{
	struct {
		char name[16];
		unsigned short family;
		uint8_t data[22];
	} ifr;
	char bus[64];
	int unit, s;

	snprintf(bus, sizeof(bus), "/tmp/t_inet6_fuzz.%d.bus", (int)getpid());
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
	msleep(2300);
}

/* One extension header of kind nxt at p (room for 64 bytes): its length. */
static size_t
ext_header(uint8_t *p, int kind, int next)
{
	size_t len = 8 * (1 + rnd() % 4), i;

	memset(p, 0, len);
	p[0] = (uint8_t)next;
	p[1] = (uint8_t)(len / 8 - 1);
	switch (kind) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_DSTOPTS:
		for (i = 2; i < len;) {
			size_t left = len - i, ol;

			switch (rnd() % 5) {
			case 0:
				p[i++] = 0;             /* Pad1 */
				continue;
			case 1:
				p[i] = 1;               /* PadN */
				break;
			case 2:
				p[i] = (uint8_t)rnd();  /* any option */
				break;
			default:
				p[i] = 0x05;            /* router alert */
				break;
			}
			if (left < 2) {
				p[i++] = 0;
				continue;
			}
			ol = rnd() % (left - 1);
			if (rnd() % 8 == 0)
				ol = rnd() % 256;       /* lies */
			p[i + 1] = (uint8_t)ol;
			i += 2 + MIN(ol, left - 2);
		}
		break;
	case IPPROTO_ROUTING:
		p[2] = (uint8_t)(rnd() % 5);
		p[3] = (uint8_t)(rnd() % 3);
		break;
	case IPPROTO_FRAGMENT:
		len = 8;
		p[1] = (uint8_t)(rnd() % 4 == 0 ? rnd() : 0);
		p[2] = (uint8_t)(rnd() % 4);
		p[3] = (uint8_t)(rnd() & 0xf9);
		p[7] = (uint8_t)(rnd() % 4);    /* few identifications */
		break;
	}
	return len;
}

static void
one_frame(void)
{
	static const int kinds[] = { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS,
	    IPPROTO_ROUTING, IPPROTO_FRAGMENT };
	static const int uppers[] = { IPPROTO_UDP, IPPROTO_ICMPV6,
	    IPPROTO_NONE, IPPROTO_TCP, 200 };
	static const char *dsts[] = { "2001:db8::1", "ff02::1", "ff02::1:ff00:1",
	    "2001:db8::99" };
	uint8_t pl[1400], f[1600];
	size_t off = 0, n, uoff;
	int nh = (int)(rnd() % 6), i, first, kind[8], upper = 0;
	int hlim = rnd() % 2 ? 255 : 64;
	const char *src = rnd() % 8 ? "2001:db8::2" : "fe80::2";
	const char *dst = dsts[rnd() % 4];

	for (i = 0; i < nh; i++)
		kind[i] = kinds[rnd() % 4];
	first = nh > 0 ? kind[0] : uppers[rnd() % 5];
	if (nh == 0)
		upper = first;
	for (i = 0; i < nh; i++) {
		int next = i + 1 < nh ? kind[i + 1] : uppers[rnd() % 5];

		if (i + 1 == nh)
			upper = next;
		off += ext_header(pl + off, kind[i], next);
	}
	uoff = off;
	/* The upper layer: something that looks like UDP, ICMPv6, ND, MLD. */
	n = rnd() % 200;
	for (i = 0; i < (int)n; i++)
		pl[off + (size_t)i] = (uint8_t)rnd();
	if (n > 0 && rnd() % 2)
		pl[off] = (uint8_t)(128 + rnd() % 16);  /* an ICMPv6 type */
	if (n > 8 && rnd() % 4 == 0) {
		/* ND options of every length, some zero. */
		pl[off + 8] = (uint8_t)(1 + rnd() % 5);
		pl[off + 9] = (uint8_t)(rnd() % 3);
	}
	if (n > 16 && upper == IPPROTO_ICMPV6 && rnd() % 2) {
		/* ND-shaped: a message, then 32-byte options (prefixes ...). */
		size_t o;

		n = 16 + 32 * (rnd() % 4);
		pl[off] = (uint8_t)(133 + rnd() % 4);
		pl[off + 1] = 0;
		src = "fe80::2";
		hlim = 255;
		for (o = 16; o + 32 <= n; o += 32) {
			pl[off + o] = (uint8_t)(rnd() % 6);
			pl[off + o + 1] = (uint8_t)(rnd() % 8 ? 4 : rnd() % 5);
			pl[off + o + 2] = (uint8_t)(rnd() % 4 ? 64 : rnd() % 130);
		}
	}
	off += n;
	if ((upper == IPPROTO_UDP || upper == IPPROTO_ICMPV6) && n >= 8 &&
	    rnd() % 4 != 0) {
		/* A right checksum, so the upper layers see it. */
		struct in6_addr s6, d6;
		size_t co = uoff + (upper == IPPROTO_UDP ? 6 : 2);
		uint16_t sum;

		if (upper == IPPROTO_UDP) {
			pl[uoff + 4] = (uint8_t)(n >> 8);
			pl[uoff + 5] = (uint8_t)n;
		}
		pl[co] = pl[co + 1] = 0;
		REQUIRE(inet_pton(AF_INET6, src, &s6) == 1);
		REQUIRE(inet_pton(AF_INET6, dst, &d6) == 1);
		sum = cksum6(&s6, &d6, (uint8_t)upper, pl + uoff, n);
		memcpy(pl + co, &sum, 2);
	}
	n = frame6(f, rnd() % 3 ? our_mac : (const uint8_t[]){ 0x33, 0x33, 0,
	    0, 0, 1 }, peer_mac, src, dst, first, hlim, pl, off);
	/* Lie about the payload length, truncate, flip bits (not always). */
	if (rnd() % 2)
		goto send;
	if (rnd() % 8 == 0) {
		f[14 + 4] = (uint8_t)rnd();
		f[14 + 5] = (uint8_t)rnd();
	}
	if (rnd() % 8 == 0)
		n = 14 + rnd() % (n - 13);
	for (i = (int)(rnd() % 4); i > 0; i--)
		f[14 + rnd() % (n - 14 + 1 > 1 ? n - 14 : 1)] ^=
		    (uint8_t)(1u << (rnd() % 8));
	if (n < 14)
		n = 14;
send:
	(void)rump_test_inet_linkinput(f, n, "shmif0");
}

TESTCASE(fuzz_input)
{
	const char *e = getenv("INET6_FUZZ_SEED");
	const char *r = getenv("INET6_FUZZ_ROUNDS");
	unsigned long seed = e != NULL ? strtoul(e, NULL, 0) : 6;
	int rounds = r != NULL ? atoi(r) : 20000, i, u, s;
	unsigned long before, after;
	struct ip6stat a, b;
	struct sockaddr_in6 to;
	char buf[16];

	setup();
	sysctl_setint("net.inet6.icmp6.errratelimit", 0);
	rnd_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	msleep(200);
	before = rump_test_inet_mbufs();
	a = ip6stat_get();
	for (i = 0; i < rounds; i++) {
		one_frame();
		if (i % 500 == 499)
			msleep(20);     /* let the input queue drain */
	}
	msleep(500);
	b = ip6stat_get();
	printf("fuzz seed %lu: %llu packets, %llu delivered, %llu fragments "
	    "(%llu dropped, %llu overlapping), %llu bad options, %llu chains "
	    "too long, %llu too short\n", seed,
	    (unsigned long long)(b.ip6s_total - a.ip6s_total),
	    (unsigned long long)(b.ip6s_delivered - a.ip6s_delivered),
	    (unsigned long long)(b.ip6s_fragments - a.ip6s_fragments),
	    (unsigned long long)(b.ip6s_fragdropped - a.ip6s_fragdropped),
	    (unsigned long long)(b.ip6s_fragoverlap - a.ip6s_fragoverlap),
	    (unsigned long long)(b.ip6s_badoptions - a.ip6s_badoptions),
	    (unsigned long long)(b.ip6s_toomanyhdrs - a.ip6s_toomanyhdrs),
	    (unsigned long long)(b.ip6s_tooshort - a.ip6s_tooshort));
	{
		struct icmp6stat ic = icmp6stat_get();
		struct udp6stat us = udp6stat_get();

		printf("ICMPv6: %llu in, %llu bad checksums, %llu bad ND/MLD, "
		    "%llu bad ND options, %llu RAs taken; UDP: %llu in, %llu "
		    "bad checksums\n", (unsigned long long)ic.icp6s_total,
		    (unsigned long long)ic.icp6s_checksum,
		    (unsigned long long)ic.icp6s_badcode,
		    (unsigned long long)ic.icp6s_nd_badopt,
		    (unsigned long long)ic.icp6s_ra,
		    (unsigned long long)us.u6s_ipackets,
		    (unsigned long long)us.u6s_badsum);
		REQUIRE(ic.icp6s_total > ic.icp6s_checksum);
	}
	REQUIRE(b.ip6s_total - a.ip6s_total > (uint64_t)rounds / 2);
	REQUIRE(b.ip6s_badoptions > a.ip6s_badoptions);
	REQUIRE(b.ip6s_fragments > a.ip6s_fragments);
	/* Still alive: UDP over ::1. */
	u = udp6_bound("::1", 0);
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	to = sin6_make("::1", sock6_port(u), 0);
	REQUIRE_EQ(rump_sys_sendto(s, "alive", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), 5);
	REQUIRE_EQ(wait_readable(u, 5000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(u, buf, sizeof(buf), 0, NULL, NULL), 5);
	REQUIRE_OK(rump_sys_close(u));
	REQUIRE_OK(rump_sys_close(s));
	/* Held fragments are bounded; they go at their 60 s deadline. */
	after = rump_test_inet_mbufs();
	printf("mbufs and clusters: %lu before, %lu after\n", before, after);
	REQUIRE(after < before + 64 * 64 + 64);
}

TESTS(CASE(fuzz_input))
