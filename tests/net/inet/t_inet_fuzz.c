/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A seeded fuzz of the IPv4 input path: valid packets (UDP to a bound
 * socket and to closed ports, ICMP echo and errors, fragments, IGMP
 * queries, TCP SYNs, packets with options) and ARP frames, mutated
 * (truncated, bits flipped, lengths and offsets rewritten, option
 * storms; the header checksum usually made right again so the damage
 * reaches the protocols), fed to ip_input on shmif0 and to the
 * Ethernet input.  The kernel must neither crash nor hang nor leak
 * (mbufs back to where they were once the timers have run; AddressSanitizer
 * in build-san), and its counters must show the drops.
 *
 * FUZZ_SEED and FUZZ_ROUNDS (environment) change the run; a failure
 * prints the seed.
 */
#include <sys/stat.h>

#include "h_inet.h"
#include "kernspace/inetspace.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

static uint64_t rng;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static int
rndn(int n)
{
	return (int)(rnd() % (unsigned)n);
}

static const char *me = "10.0.0.1", *peer = "10.0.0.2";
static int udp_port;

static void
ip_sum_fix(uint8_t *p)
{
	int hlen = (p[0] & 0x0f) * 4;
	uint16_t v;

	if (hlen < 20)
		hlen = 20;
	p[10] = p[11] = 0;
	v = cksum(p, (size_t)hlen, 0);
	memcpy(p + 10, &v, 2);
}

/* A valid packet of a random kind into p; its length. */
static int
template(uint8_t *p)
{
	uint8_t data[1400];
	int len, dlen, k = rndn(8);
	uint16_t v;

	dlen = rndn(200);
	for (int i = 0; i < dlen; i++)
		data[i] = (uint8_t)rnd();
	switch (k) {
	case 0:         /* UDP to the bound socket, or a closed port */
	case 1: {
		/* To us, the subnet's broadcast or a group we joined. */
		static const char *dsts[3] = { "10.0.0.1", "10.0.0.255", "239.1.1.1" };
		const char *dst = dsts[rndn(3)];

		len = 20 + 8 + dlen;
		ip_header(p, len, rndn(65536), 0, 0, IPPROTO_UDP, peer, dst, 64);
		udp_header(p + 20, 1000 + rndn(100), k == 0 ? udp_port : 9,
		    data, dlen, peer, dst);
		memcpy(p + 28, data, (size_t)dlen);
		return len;
	}
	case 2:         /* ICMP echo */
		len = 20 + 8 + dlen;
		ip_header(p, len, rndn(65536), 0, 0, IPPROTO_ICMP, peer, me, 64);
		memset(p + 20, 0, 8);
		p[20] = 8;
		memcpy(p + 28, data, (size_t)dlen);
		v = cksum(p + 20, (size_t)(8 + dlen), 0);
		memcpy(p + 22, &v, 2);
		return len;
	case 3:         /* ICMP port unreachable quoting one of our datagrams */
		len = 20 + 8 + 20 + 8;
		ip_header(p, len, rndn(65536), 0, 0, IPPROTO_ICMP, peer, me, 64);
		memset(p + 20, 0, 8);
		p[20] = 3;
		p[21] = (uint8_t)rndn(16);
		ip_header(p + 28, 28 + rndn(100), 5, 0, 0, IPPROTO_UDP, me, peer, 64);
		udp_header(p + 48, udp_port, 9, data, 0, me, peer);
		v = cksum(p + 20, 36, 0);
		memcpy(p + 22, &v, 2);
		return len;
	case 4:         /* a fragment of a small set of datagrams */
		dlen = 8 * (1 + rndn(20));
		len = 20 + dlen;
		ip_header(p, len, rndn(4), rndn(40), rndn(2), IPPROTO_UDP, peer, me, 64);
		memcpy(p + 20, data, (size_t)dlen);
		return len;
	case 5:         /* IGMP query, v2 or v3 */
		len = 20 + (rndn(2) ? 8 : 12);
		ip_header(p, len, rndn(65536), 0, 0, IPPROTO_IGMP, peer,
		    "224.0.0.1", 1);
		memset(p + 20, 0, (size_t)(len - 20));
		p[20] = 0x11;
		p[21] = (uint8_t)rnd();
		v = cksum(p + 20, (size_t)(len - 20), 0);
		memcpy(p + 22, &v, 2);
		return len;
	case 6:         /* TCP SYN to a closed port */
		len = 20 + 20;
		ip_header(p, len, rndn(65536), 0, 0, IPPROTO_TCP, peer, me, 64);
		memset(p + 20, 0, 20);
		v = htons((uint16_t)(2000 + rndn(1000)));
		memcpy(p + 20, &v, 2);
		v = htons(80);
		memcpy(p + 22, &v, 2);
		p[32] = 5 << 4;
		p[33] = 0x02;           /* SYN */
		return len;
	default:        /* an option storm: NOPs, record route, junk */
		{
			int olen = 4 * (1 + rndn(10));

			len = 20 + olen + 8;
			ip_header(p, len, rndn(65536), 0, 0, IPPROTO_UDP, peer, me, 64);
			p[0] = (uint8_t)(0x40 | (5 + olen / 4));
			for (int i = 0; i < olen; i++)
				p[20 + i] = (uint8_t)(rndn(3) == 0 ? rnd() :
				    rndn(2) ? 1 : 7);
			memset(p + 20 + olen, 0, 8);
			ip_sum_fix(p);
			return len;
		}
	}
}

static int
mutate(uint8_t *p, int len, int cap)
{
	int n = rndn(4);

	for (int i = 0; i < n; i++) {
		switch (rndn(7)) {
		case 0:         /* truncate */
			len = rndn(len + 1);
			break;
		case 1:         /* flip bits */
			if (len > 0)
				p[rndn(len)] ^= (uint8_t)(1u << rndn(8));
			break;
		case 2:         /* a random byte anywhere in the headers */
			if (len > 0)
				p[rndn(len < 60 ? len : 60)] = (uint8_t)rnd();
			break;
		case 3:         /* ip_len */
			if (len >= 4) {
				uint16_t v = htons((uint16_t)rnd());

				memcpy(p + 2, &v, 2);
			}
			break;
		case 4:         /* header length */
			if (len >= 1)
				p[0] = (uint8_t)((p[0] & 0xf0) | rndn(16));
			break;
		case 5:         /* fragment flags and offset */
			if (len >= 8) {
				uint16_t v = htons((uint16_t)rnd());

				memcpy(p + 6, &v, 2);
			}
			break;
		default:        /* garbage appended */
			for (int k = rndn(64); k > 0 && len < cap; k--)
				p[len++] = (uint8_t)rnd();
			break;
		}
	}
	if (len >= 20 && rndn(10) < 7)
		ip_sum_fix(p);
	return len;
}

/* An Ethernet frame with an ARP packet about 10.0.0.x, mutated. */
static int
arp_frame(uint8_t *f, const uint8_t *mymac)
{
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	int len = 14 + 28;

	memcpy(f, rndn(2) ? bc : mymac, 6);
	for (int i = 6; i < 12; i++)
		f[i] = (uint8_t)(0x02 + (i == 6 ? 0 : rndn(4)));
	f[12] = 0x08;
	f[13] = 0x06;
	memset(f + 14, 0, 28);
	f[15] = 1;
	f[16] = 0x08;
	f[18] = 6;
	f[19] = 4;
	f[21] = (uint8_t)(1 + rndn(2));
	memcpy(f + 22, f + 6, 6);
	f[28] = 10, f[31] = (uint8_t)rndn(8);
	f[38] = 10, f[41] = (uint8_t)rndn(8);
	for (int n = rndn(3); n > 0; n--)
		f[14 + rndn(28)] ^= (uint8_t)(1u << rndn(8));
	if (rndn(8) == 0)
		len = 14 + rndn(28);
	return len;
}

TESTCASE(fuzz_input)
{
	const char *e;
	unsigned long seed = 1, rounds = 20000, before, after;
	struct ipstat st0, st;
	struct icmpstat ic;
	struct udpstat us;
	uint8_t pkt[2048], mymac[6] = { 0 };
	char bus[64], buf[2048];
	int unit, u, ricmp, rigmp, drops;

	if ((e = getenv("FUZZ_SEED")) != NULL)
		seed = strtoul(e, NULL, 0);
	if ((e = getenv("FUZZ_ROUNDS")) != NULL)
		rounds = strtoul(e, NULL, 0);
	fprintf(stderr, "fuzz_input: seed %lu, %lu rounds\n", seed, rounds);
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;

	snprintf(bus, sizeof(bus), "/tmp/t_inet_fuzz.%d.bus", (int)getpid());
	unlink(bus);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", me, 24), 0);
	sysctl_setint("net.inet.arp.maxtries", 1);
	sysctl_setint("net.inet.ip.fragttl", 1);
	{
		struct {
			char name[16];
			unsigned short family;
			uint8_t data[14];
			char pad[8];
		} ifr;
		int s;

		REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.name, "shmif0");
		REQUIRE_OK(rump_sys_ioctl(s, 0x8927 /* SIOCGIFHWADDR */, &ifr));
		memcpy(mymac, ifr.data, 6);
		REQUIRE_OK(rump_sys_close(s));
	}
	before = rump_test_inet_mbufs();
	u = udp_bound("0.0.0.0", 0);
	udp_port = sock_port(u);
	/* Raw sockets and a group member get their copies too. */
	REQUIRE_OK(ricmp = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	REQUIRE_OK(rigmp = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_IGMP));
	{
		struct ip_mreq mr;

		REQUIRE(inet_pton(AF_INET, "239.1.1.1", &mr.imr_multiaddr) == 1);
		REQUIRE(inet_pton(AF_INET, me, &mr.imr_interface) == 1);
		REQUIRE_OK(rump_sys_setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP,
		    &mr, sizeof(mr)));
	}
	st0 = ipstat_get();
	for (unsigned long i = 0; i < rounds; i++) {
		int len;

		if (rndn(10) == 0) {
			len = arp_frame(pkt, mymac);
			REQUIRE_EQ(rump_test_inet_linkinput(pkt, (size_t)len, "shmif0"), 0);
			continue;
		}
		len = template(pkt);
		if (rndn(8) != 0)
			len = mutate(pkt, len, (int)sizeof(pkt));
		REQUIRE_EQ(rump_test_inet_ipinput(pkt, (size_t)len, "shmif0"), 0);
		/* Keep the sockets' buffers from filling. */
		while (rump_sys_recvfrom(u, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL) >= 0)
			continue;
		while (rump_sys_recvfrom(ricmp, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL) >= 0)
			continue;
		while (rump_sys_recvfrom(rigmp, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL) >= 0)
			continue;
	}
	st = ipstat_get();
	get_stats("net.inet.icmp.stats", &ic, sizeof(ic));
	get_stats("net.inet.udp.stats", &us, sizeof(us));
	drops = (int)((st.ips_toosmall + st.ips_badvers + st.ips_badhlen +
	    st.ips_badsum + st.ips_tooshort + st.ips_badlen + st.ips_badoptions +
	    st.ips_fragdropped + st.ips_badaddr) -
	    (st0.ips_toosmall + st0.ips_badvers + st0.ips_badhlen +
	    st0.ips_badsum + st0.ips_tooshort + st0.ips_badlen +
	    st0.ips_badoptions + st0.ips_fragdropped + st0.ips_badaddr));
	fprintf(stderr, "fuzz_input: %llu in, %llu delivered, %d dropped by IP, "
	    "%llu reassembled; UDP %llu bad sum, %llu bad length; ICMP %llu bad "
	    "sum, %llu errors sent\n",
	    (unsigned long long)(st.ips_total - st0.ips_total),
	    (unsigned long long)(st.ips_delivered - st0.ips_delivered), drops,
	    (unsigned long long)(st.ips_reassembled - st0.ips_reassembled),
	    (unsigned long long)us.udps_badsum, (unsigned long long)us.udps_badlen,
	    (unsigned long long)ic.icps_checksum, (unsigned long long)ic.icps_error);
	REQUIRE(st.ips_total - st0.ips_total > rounds / 2);
	REQUIRE(drops > (int)(rounds / 10));
	REQUIRE(st.ips_delivered - st0.ips_delivered > rounds / 10);
	REQUIRE(us.udps_badsum > 0 && ic.icps_checksum > 0);
	/* The kernel still works. */
	{
		struct sockaddr_in to = sin_make("127.0.0.1", udp_port);

		REQUIRE_EQ(rump_sys_sendto(u, "alive", 5, 0,
		    (struct sockaddr *)&to, sizeof(to)), 5);
		REQUIRE_EQ(wait_readable(u, 5000), 1);
		REQUIRE_EQ(rump_sys_recvfrom(u, buf, sizeof(buf), 0, NULL, NULL), 5);
	}
	/* Once reassembly and ARP have timed out, every mbuf is back. */
	REQUIRE_OK(rump_sys_close(u));
	REQUIRE_OK(rump_sys_close(ricmp));
	REQUIRE_OK(rump_sys_close(rigmp));
	msleep(2500);
	after = rump_test_inet_mbufs();
	if (after != before)
		TEST_FAIL("seed %lu: %lu mbufs before, %lu after", seed, before, after);
	unlink(bus);
}

/*
 * Under a memory limit the fragments of many datagrams (never complete)
 * fill what reassembly may hold and then memory itself: allocations fail
 * and are counted, the reclaimer gives reassembly up, nothing crashes,
 * and the kernel still carries datagrams afterwards.
 */
TESTCASE(memory_pressure)
{
	uint8_t pkt[20 + 1480];
	struct ipstat st;
	char buf[64];
	int u, frags, pkts;

	setenv("RUMP_MEMLIMIT", "5m", 1);
	REQUIRE_EQ(rump_init(), 0);
	u = udp_bound("127.0.0.1", 0);
	memset(pkt, 0x5a, sizeof(pkt));
	/* 300 datagrams of 40 fragments each, none with its last one. */
	for (int i = 0; i < 300; i++) {
		for (int k = 0; k < 40; k++) {
			int r;

			ip_header(pkt, (int)sizeof(pkt), i, k * 185, 1, IPPROTO_UDP,
			    "127.0.0.1", "127.0.0.1", 64);
			r = rump_test_inet_ipinput(pkt, sizeof(pkt), "lo0");
			REQUIRE(r == 0 || r == ENOBUFS);
		}
	}
	st = ipstat_get();
	rump_test_inet_reass_usage(&frags, &pkts);
	fprintf(stderr, "memory_pressure: %llu fragments in, %llu dropped, %d held\n",
	    (unsigned long long)st.ips_fragments,
	    (unsigned long long)st.ips_fragdropped, frags);
	REQUIRE(st.ips_fragdropped > 6000);
	REQUIRE(frags * (int)sizeof(pkt) <= 4 * 1024 * 1024);
	/* Still working. */
	{
		struct sockaddr_in to = sin_make("127.0.0.1", sock_port(u));

		REQUIRE_EQ(rump_sys_sendto(u, "ok", 2, 0, (struct sockaddr *)&to,
		    sizeof(to)), 2);
		REQUIRE_EQ(wait_readable(u, 5000), 1);
		REQUIRE_EQ(rump_sys_recvfrom(u, buf, sizeof(buf), 0, NULL, NULL), 2);
	}
}

TESTS(CASE(fuzz_input), CASE_NOBOOT(memory_pressure))
