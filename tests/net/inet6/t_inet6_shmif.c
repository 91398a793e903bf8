/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 between kernels in separate processes on a shmif bus.  The test
 * process is kernel A; kernel B is a forked child that reports over a
 * pipe and plays its part (an echo server, a router sending RAs from a
 * raw socket, a sender of packet too big, an owner of an address).
 *
 *   neighbours        ping to B's link-local and global addresses (ND
 *                     resolving both), UDP echo with exact bytes, a
 *                     4000-byte datagram fragmented both ways, MLD
 *                     reports of a join seen by B, then the bus read by
 *                     tshark: no malformed packets, no bad checksums
 *   slaac             B advertises 2001:db8:1::/64, MTU 1400 and itself
 *                     as router; rump_pub_netconfig_auto_ipv6 in A gives
 *                     an EUI-64 address, the default route and link MTU
 *   slaac_stable      the same with net.inet6.ip6.stable_privacy=1: the
 *                     address is not EUI-64, and the same on a second run
 *   pmtu              B's packet too big lowers A's path MTU (1300), one
 *                     below 1280 counts as 1280
 *   dad_between       A's DAD for an address B has finds the duplicate
 */
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>

#include "h_inet6.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

#define ECHO_PORT 7

static char bus[64];

static void bus_init(void);

struct kid {
	pid_t pid;
	int up;         /* B writes a line when ready, and its report */
	int down;       /* A closes it: B finishes */
};

/* shmif0 on the bus, up, with addr/64 unless NULL; DAD waited for. */
static void
shmif_up(const char *addr)
{
	int unit;

	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(unit, 0);
	if (addr != NULL)
		REQUIRE_EQ(rump_pub_netconfig_ipv6_ifaddr("shmif0", addr, 64), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	msleep(2300);
}

static void
our_mac(uint8_t mac[6])
{
	struct {
		char name[16];
		unsigned short family;
		uint8_t data[22];
	} ifr;
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8927 /* SIOCGIFHWADDR */, &ifr));
	memcpy(mac, ifr.data, 6);
	REQUIRE_OK(rump_sys_close(s));
}

static unsigned
shmif0_index(void)
{
	struct {
		char name[16];
		int index;
		char pad[20];
	} ifr;
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8933 /* SIOCGIFINDEX */, &ifr));
	REQUIRE_OK(rump_sys_close(s));
	return (unsigned)ifr.index;
}

/* prefix with the modified EUI-64 of mac, in canonical form. */
static void
eui64_addr(char *buf, size_t len, const char *prefix, const uint8_t *m)
{
	char raw[64];
	struct in6_addr a;

	snprintf(raw, sizeof(raw), "%s%02x%02x:%02xff:fe%02x:%02x%02x", prefix,
	    m[0] ^ 2, m[1], m[2], m[3], m[4], m[5]);
	REQUIRE(inet_pton(AF_INET6, raw, &a) == 1);
	REQUIRE(inet_ntop(AF_INET6, &a, buf, (socklen_t)len) != NULL);
}

static struct kid
kid_start(void (*fn)(int up, int down))
{
	int u[2], d[2];
	struct kid k;

	REQUIRE_OK(pipe(u));
	REQUIRE_OK(pipe(d));
	fflush(NULL);
	REQUIRE_OK(k.pid = fork());
	if (k.pid == 0) {
		close(u[0]);
		close(d[1]);
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(120);
		if (rump_init() != 0)
			_exit(2);
		fn(u[1], d[0]);
		_exit(0);
	}
	close(u[1]);
	close(d[0]);
	k.up = u[0];
	k.down = d[1];
	return k;
}

static void
kid_read(struct kid *k, void *buf, size_t len)
{
	REQUIRE_EQ(read(k->up, buf, len), (ssize_t)len);
}

/* Tell B to finish; its report (len bytes) into buf. */
static void
kid_finish(struct kid *k, void *buf, size_t len)
{
	int status;

	close(k->down);
	if (len > 0)
		kid_read(k, buf, len);
	REQUIRE_EQ(waitpid(k->pid, &status, 0), k->pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		TEST_FAIL("kernel B failed (status %#x)", status);
	close(k->up);
}

static bool
told_to_stop(int down, int ms)
{
	struct pollfd p = { .fd = down, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* B: 2001:db8::2, a UDP echo on port 7, its link-local to A; MLD seen. */
static void
b_echo(int up, int down)
{
	struct ipv6_mreq mr;
	struct icmp6_filter filt;
	char ll[64], buf[65536];
	uint8_t mac[6];
	uint64_t mld = 0;
	int s, r;

	shmif_up("2001:db8::2");
	our_mac(mac);
	eui64_addr(ll, sizeof(ll), "fe80::", mac);
	s = udp6_bound("::", ECHO_PORT);
	/* MLDv2 reports go to ff02::16: listen there on a raw socket. */
	REQUIRE_OK(r = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(143, &filt);
	REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
	    sizeof(filt)));
	memset(&mr, 0, sizeof(mr));
	REQUIRE(inet_pton(AF_INET6, "ff02::16", &mr.ipv6mr_multiaddr) == 1);
	mr.ipv6mr_interface = (int)shmif0_index();
	REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP,
	    &mr, sizeof(mr)));
	REQUIRE_EQ(write(up, ll, sizeof(ll)), (ssize_t)sizeof(ll));
	while (!told_to_stop(down, 0)) {
		struct sockaddr_in6 from;
		unsigned fromlen = sizeof(from);
		ssize_t n;

		if (wait_readable(r, 0) == 1) {
			n = rump_sys_recvfrom(r, buf, sizeof(buf), 0, NULL, NULL);
			/* One record: type 4 (or 3), group ff05::1234. */
			if (n >= 28 && (uint8_t)buf[8] == 4 &&
			    (uint8_t)buf[12 + 14] == 0x12 &&
			    (uint8_t)buf[12 + 15] == 0x34)
				mld++;
		}
		if (wait_readable(s, 20) == 0)
			continue;
		REQUIRE_OK(n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen));
		REQUIRE_EQ(rump_sys_sendto(s, buf, (size_t)n, 0,
		    (struct sockaddr *)&from, fromlen), n);
	}
	REQUIRE_EQ(write(up, &mld, sizeof(mld)), (ssize_t)sizeof(mld));
}

static void
ping6(const struct sockaddr_in6 *to, int seq)
{
	struct icmp6_filter filt;
	uint8_t out[48], in[128];
	struct icmp6_hdr *h = (struct icmp6_hdr *)out;
	int s, n;

	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filt);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
	    sizeof(filt)));
	memset(out, 0x5a, sizeof(out));
	h->icmp6_type = ICMP6_ECHO_REQUEST;
	h->icmp6_code = 0;
	h->icmp6_id = htons(0x77);
	h->icmp6_seq = htons((uint16_t)seq);
	REQUIRE_EQ(rump_sys_sendto(s, out, sizeof(out), 0,
	    (const struct sockaddr *)to, sizeof(*to)), sizeof(out));
	REQUIRE_EQ(wait_readable(s, 5000), 1);
	REQUIRE_OK(n = rump_sys_recvfrom(s, in, sizeof(in), 0, NULL, NULL));
	REQUIRE_EQ(n, sizeof(out));
	REQUIRE_EQ(in[0], ICMP6_ECHO_REPLY);
	REQUIRE_EQ(ntohs(((struct icmp6_hdr *)in)->icmp6_seq), seq);
	REQUIRE(memcmp(in + 8, out + 8, sizeof(out) - 8) == 0);
	REQUIRE_OK(rump_sys_close(s));
}

static void
udp_echo(int s, const struct sockaddr_in6 *to, size_t len)
{
	static char out[8192], in[8192];
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = (char)(i * 13 + len);
	REQUIRE_EQ(rump_sys_sendto(s, out, len, 0,
	    (const struct sockaddr *)to, sizeof(*to)), (ssize_t)len);
	REQUIRE_EQ(wait_readable(s, 5000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(s, in, sizeof(in), 0, NULL, NULL),
	    (ssize_t)len);
	REQUIRE(memcmp(in, out, len) == 0);
}

static void
tshark_check(int *icmp6, int *udp, int *frags, int *mld)
{
	char pcap[96], cmd[512], line[1024];
	FILE *f;

	snprintf(pcap, sizeof(pcap), "%s.pcap", bus);
	snprintf(cmd, sizeof(cmd), "%s -w %s %s >/dev/null", SHMIF_DUMPBUS,
	    pcap, bus);
	REQUIRE_EQ(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -o udp.check_checksum:TRUE "
	    "-z expert,warn 2>&1", pcap);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	*icmp6 = *udp = *frags = *mld = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (getenv("INET6_TSHARK_SHOW") != NULL)
			printf("%s", line);
		if (strstr(line, "Malformed") != NULL ||
		    strstr(line, "Bad") != NULL ||
		    strstr(line, "incorrect") != NULL ||
		    strstr(line, "Error") != NULL)
			TEST_FAIL("tshark: %s", line);
		if (strstr(line, "Listener Report Message v2") != NULL)
			(*mld)++;
		else if (strstr(line, "ICMPv6") != NULL)
			(*icmp6)++;
		else if (strstr(line, "IPv6 fragment") != NULL ||
		    strstr(line, "Fragmented IPv6") != NULL)
			(*frags)++;
		else if (strstr(line, " UDP ") != NULL ||
		    strstr(line, " ECHO ") != NULL)
			(*udp)++;
	}
	pclose(f);
	unlink(pcap);
}

TESTCASE(neighbours)
{
	struct kid b;
	struct sockaddr_in6 to;
	struct ipv6_mreq mr;
	struct icmp6stat st;
	char ll[64];
	uint64_t mld;
	int s, icmp6, udp, frags, mldn;

	bus_init();
	b = kid_start(b_echo);
	REQUIRE_EQ(rump_init(), 0);
	shmif_up("2001:db8::1");
	kid_read(&b, ll, sizeof(ll));
	/* Ping B's link-local (scope: our shmif0) and global addresses. */
	to = sin6_make(ll, 0, shmif0_index());
	ping6(&to, 1);
	to = sin6_make("2001:db8::2", 0, 0);
	ping6(&to, 2);
	st = icmp6stat_get();
	REQUIRE(st.icp6s_nd_held >= 2);         /* both waited for ND */
	REQUIRE(st.icp6s_inhist[ND_NEIGHBOR_ADVERT] >= 2);
	/* UDP echo, small and fragmented both ways. */
	s = udp6_bound("::", 0);
	to = sin6_make("2001:db8::2", ECHO_PORT, 0);
	udp_echo(s, &to, 100);
	udp_echo(s, &to, 4000);
	to = sin6_make(ll, ECHO_PORT, shmif0_index());
	udp_echo(s, &to, 1000);
	/* A join: two MLDv2 reports (CHANGE_TO_EXCLUDE) seen by B. */
	memset(&mr, 0, sizeof(mr));
	REQUIRE(inet_pton(AF_INET6, "ff05::1234", &mr.ipv6mr_multiaddr) == 1);
	mr.ipv6mr_interface = (int)shmif0_index();
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP,
	    &mr, sizeof(mr)));
	msleep(1500);
	REQUIRE_OK(rump_sys_close(s));
	msleep(1200);
	kid_finish(&b, &mld, sizeof(mld));
	REQUIRE_EQ(mld, 2);
	tshark_check(&icmp6, &udp, &frags, &mldn);
	printf("tshark: %d ICMPv6, %d UDP, %d fragments, %d MLDv2\n", icmp6,
	    udp, frags, mldn);
	REQUIRE(icmp6 >= 8);    /* NS/NA, echoes */
	REQUIRE(udp >= 4);
	REQUIRE(frags >= 4);    /* 4000 bytes: 3 pieces each way */
	REQUIRE(mldn >= 4);     /* A's and B's joins and A's leave */
	unlink(bus);
}

static void
bus_init(void)
{
	snprintf(bus, sizeof(bus), "/tmp/t_inet6_shmif.%d.bus", (int)getpid());
	unlink(bus);
}

/*
 * B: a router advertising 2001:db8:1::/64, MTU 1400, ReachableTime 1 s
 * and RetransTimer 0.5 s every 300 ms.
 */
static void
b_router(int up, int down)
{
	uint8_t ra[16 + 8 + 8 + 32], mac[6];
	struct sockaddr_in6 to = sin6_make("ff02::1", 0, 0);
	int s, hops = 255, idx;
	char c = 'r';

	shmif_up("2001:db8:1::1");
	our_mac(mac);
	idx = (int)shmif0_index();
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
	    &hops, sizeof(hops)));
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF,
	    &idx, sizeof(idx)));
	memset(ra, 0, sizeof(ra));
	ra[0] = ND_ROUTER_ADVERT;
	ra[4] = 64;                     /* cur hop limit */
	ra[6] = 1800 >> 8;              /* router lifetime */
	ra[7] = 1800 & 0xff;
	ra[10] = 1000 >> 8;             /* ReachableTime 1000 ms */
	ra[11] = 1000 & 0xff;
	ra[14] = 500 >> 8;              /* RetransTimer 500 ms */
	ra[15] = 500 & 0xff;
	ra[16] = ND_OPT_SOURCE_LINKADDR;
	ra[17] = 1;
	memcpy(ra + 18, mac, 6);
	ra[24] = ND_OPT_MTU;
	ra[25] = 1;
	ra[30] = 1400 >> 8;
	ra[31] = 1400 & 0xff;
	ra[32] = ND_OPT_PREFIX_INFORMATION;
	ra[33] = 4;
	ra[34] = 64;
	ra[35] = 0xc0;                  /* on-link, autonomous */
	ra[37] = 0x01;                  /* valid 86400 s */
	ra[38] = 0x51;
	ra[39] = 0x80;
	ra[42] = 0x38;                  /* preferred 14400 s */
	ra[43] = 0x40;
	REQUIRE(inet_pton(AF_INET6, "2001:db8:1::", ra + 48) == 1);
	REQUIRE_EQ(write(up, &c, 1), 1);
	while (!told_to_stop(down, 300))
		REQUIRE_EQ(rump_sys_sendto(s, ra, sizeof(ra), 0,
		    (struct sockaddr *)&to, sizeof(to)), sizeof(ra));
}

static void
slaac_run(bool stable)
{
	struct sockaddr_in6 to, me;
	unsigned len = sizeof(me), vlen;
	char want[64], got[64];
	uint8_t mac[6];
	struct kid b;
	int s, unit, v;
	char c;

	bus_init();
	b = kid_start(b_router);
	REQUIRE_EQ(rump_init(), 0);
	if (stable)
		sysctl_setint("net.inet6.ip6.stable_privacy", 1);
	kid_read(&b, &c, 1);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	if (rump_pub_netconfig_auto_ipv6("shmif0") != 0) {
		struct icmp6stat st = icmp6stat_get();

		TEST_FAIL("no SLAAC address: %llu RAs in, %llu taken, %llu bad, "
		    "%llu bad options", (unsigned long long)
		    st.icp6s_inhist[ND_ROUTER_ADVERT],
		    (unsigned long long)st.icp6s_ra,
		    (unsigned long long)st.icp6s_badcode,
		    (unsigned long long)st.icp6s_nd_badopt);
	}
	our_mac(mac);
	eui64_addr(want, sizeof(want), "2001:db8:1::", mac);
	/* The source toward a host beyond the router: the SLAAC address. */
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	to = sin6_make("2001:db8:99::1", 9, 0);
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&to, sizeof(to)));
	REQUIRE_OK(rump_sys_getsockname(s, (struct sockaddr *)&me, &len));
	inet_ntop(AF_INET6, &me.sin6_addr, got, sizeof(got));
	printf("SLAAC address %s (EUI-64 %s)\n", got, want);
	REQUIRE(strncmp(got, "2001:db8:1:0:", 13) == 0);
	if (stable)
		REQUIRE(strcmp(got, want) != 0);
	else
		REQUIRE_EQ(strcmp(got, want), 0);
	/* Through the default route; the link MTU from the RA. */
	REQUIRE_EQ(rump_sys_sendto(s, "x", 1, 0, NULL, 0), 1);
	vlen = sizeof(v);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_IPV6, IPV6_MTU, &v, &vlen));
	REQUIRE_EQ(v, 1400);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE(icmp6stat_get().icp6s_ra >= 1);
	kid_finish(&b, NULL, 0);
	unlink(bus);
}

TESTCASE(slaac)
{
	slaac_run(false);
}

TESTCASE(slaac_stable)
{
	slaac_run(true);
}

/* B: on each datagram from A, a packet too big (1300, then 1000). */
static void
b_ptb(int up, int down)
{
	static const unsigned mtus[2] = { 1300, 1000 };
	uint8_t ptb[8 + 40 + 8 + 16], buf[2048];
	struct sockaddr_in6 from;
	unsigned fromlen;
	int u, r, i;
	char c = 'r';

	shmif_up("2001:db8::2");
	u = udp6_bound("::", ECHO_PORT);
	REQUIRE_OK(r = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	REQUIRE_EQ(write(up, &c, 1), 1);
	for (i = 0; i < 2; i++) {
		ssize_t n;

		while (wait_readable(u, 100) == 0)
			if (told_to_stop(down, 0))
				return;
		fromlen = sizeof(from);
		REQUIRE_OK(n = rump_sys_recvfrom(u, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen));
		memset(ptb, 0, sizeof(ptb));
		ptb[0] = ICMP6_PACKET_TOO_BIG;
		ptb[4] = (uint8_t)(mtus[i] >> 24);
		ptb[5] = (uint8_t)(mtus[i] >> 16);
		ptb[6] = (uint8_t)(mtus[i] >> 8);
		ptb[7] = (uint8_t)mtus[i];
		/* The invoking packet: A's header and UDP header. */
		ptb[8] = 0x60;
		ptb[8 + 4] = (uint8_t)((n + 8) >> 8);
		ptb[8 + 5] = (uint8_t)(n + 8);
		ptb[8 + 6] = IPPROTO_UDP;
		ptb[8 + 7] = 64;
		memcpy(ptb + 16, &from.sin6_addr, 16);
		REQUIRE(inet_pton(AF_INET6, "2001:db8::2", ptb + 32) == 1);
		memcpy(ptb + 48, &from.sin6_port, 2);
		ptb[50] = 0;
		ptb[51] = ECHO_PORT;
		REQUIRE_EQ(rump_sys_sendto(r, ptb, sizeof(ptb), 0,
		    (struct sockaddr *)&from, sizeof(from)), sizeof(ptb));
		REQUIRE_EQ(write(up, &c, 1), 1);
	}
	while (!told_to_stop(down, 100))
		continue;
}

TESTCASE(pmtu)
{
	struct sockaddr_in6 to = sin6_make("2001:db8::2", ECHO_PORT, 0);
	unsigned vlen;
	struct kid b;
	int s, v;
	char c;

	bus_init();
	b = kid_start(b_ptb);
	REQUIRE_EQ(rump_init(), 0);
	shmif_up("2001:db8::1");
	kid_read(&b, &c, 1);
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&to, sizeof(to)));
	vlen = sizeof(v);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_IPV6, IPV6_MTU, &v, &vlen));
	REQUIRE_EQ(v, 1500);
	REQUIRE_EQ(rump_sys_sendto(s, "one", 3, 0, NULL, 0), 3);
	kid_read(&b, &c, 1);
	msleep(100);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_IPV6, IPV6_MTU, &v, &vlen));
	REQUIRE_EQ(v, 1300);
	REQUIRE(icmp6stat_get().icp6s_pmtuchg >= 1);
	REQUIRE_EQ(rump_sys_sendto(s, "two", 3, 0, NULL, 0), 3);
	kid_read(&b, &c, 1);
	msleep(100);
	/* Below the IPv6 minimum: 1280, and never atomic fragments. */
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_IPV6, IPV6_MTU, &v, &vlen));
	REQUIRE_EQ(v, 1280);
	/* IPV6_MTU_DISCOVER DO: too big is EMSGSIZE, not fragments. */
	v = IPV6_PMTUDISC_DO;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v,
	    sizeof(v)));
	{
		static char big[1400];

		REQUIRE_ERRNO(rump_sys_sendto(s, big, sizeof(big), 0, NULL, 0),
		    EMSGSIZE);
	}
	REQUIRE_OK(rump_sys_close(s));
	kid_finish(&b, NULL, 0);
	unlink(bus);
}

/* B: owns 2001:db8::7. */
static void
b_owner(int up, int down)
{
	char c = 'r';

	shmif_up("2001:db8::7");
	REQUIRE_EQ(write(up, &c, 1), 1);
	while (!told_to_stop(down, 100))
		continue;
}

TESTCASE(dad_between)
{
	struct sockaddr_in6 me = sin6_make("2001:db8::7", 0, 0);
	struct kid b;
	int u;
	char c;

	bus_init();
	b = kid_start(b_owner);
	REQUIRE_EQ(rump_init(), 0);
	shmif_up(NULL);
	kid_read(&b, &c, 1);
	REQUIRE_EQ(rump_pub_netconfig_ipv6_ifaddr("shmif0", "2001:db8::7", 64),
	    0);
	msleep(2300);
	REQUIRE_EQ(icmp6stat_get().icp6s_dupaddr, 1);
	REQUIRE_OK(u = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_ERRNO(rump_sys_bind(u, (struct sockaddr *)&me, sizeof(me)),
	    EADDRNOTAVAIL);
	REQUIRE_OK(rump_sys_close(u));
	kid_finish(&b, NULL, 0);
	unlink(bus);
}

/*
 * Unreachability detection: B answers, then dies; A's entry for it goes
 * STALE, DELAY on the next send, PROBE with three unicast solicitations
 * RetransTimer apart, and is dropped.
 */
TESTCASE(nud)
{
	struct sockaddr_in6 to = sin6_make("2001:db8:1::1", 0, 0);
	struct icmp6stat a, b;
	struct kid k;
	int unit, s;
	char c;

	bus_init();
	k = kid_start(b_router);
	REQUIRE_EQ(rump_init(), 0);
	kid_read(&k, &c, 1);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(rump_pub_netconfig_auto_ipv6("shmif0"), 0);
	ping6(&to, 1);                  /* resolved: REACHABLE */
	kid_finish(&k, NULL, 0);
	msleep(1600);                   /* past ReachableTime: STALE */
	a = icmp6stat_get();
	s = udp6_bound("::", 0);
	to.sin6_port = htons(9);
	REQUIRE_EQ(rump_sys_sendto(s, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), 1);            /* sent at once, DELAY */
	msleep(5000 + 3 * 500 + 800);
	b = icmp6stat_get();
	printf("NUD: %llu solicitations, %llu neighbours given up\n",
	    (unsigned long long)(b.icp6s_outhist[ND_NEIGHBOR_SOLICIT] -
	    a.icp6s_outhist[ND_NEIGHBOR_SOLICIT]),
	    (unsigned long long)(b.icp6s_nd_unreach - a.icp6s_nd_unreach));
	/*
	 * B's address, and B's link-local too when our advertisement
	 * answering B's solicitation (sent from its link-local) put that
	 * entry in DELAY: 3 each.
	 */
	REQUIRE(b.icp6s_outhist[ND_NEIGHBOR_SOLICIT] -
	    a.icp6s_outhist[ND_NEIGHBOR_SOLICIT] >= 3);
	REQUIRE_EQ((b.icp6s_outhist[ND_NEIGHBOR_SOLICIT] -
	    a.icp6s_outhist[ND_NEIGHBOR_SOLICIT]) % 3, 0);
	REQUIRE(b.icp6s_nd_unreach - a.icp6s_nd_unreach >= 1);
	REQUIRE_EQ(b.icp6s_nd_held, a.icp6s_nd_held);
	REQUIRE_OK(rump_sys_close(s));
	unlink(bus);
}

TESTS(CASE_NOBOOT(neighbours), CASE_NOBOOT(nud), CASE_NOBOOT(slaac), CASE_NOBOOT(slaac_stable),
    CASE_NOBOOT(pmtu), CASE_NOBOOT(dad_between))
