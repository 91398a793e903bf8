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

/* fe80:: with the modified EUI-64 of mac. */
static void
eui64_addr(char *buf, size_t len, const char *prefix, const uint8_t *m)
{
	snprintf(buf, len, "%s%02x%02x:%02xff:fe%02x:%02x%02x", prefix,
	    m[0] ^ 2, m[1], m[2], m[3], m[4], m[5]);
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

	snprintf(bus, sizeof(bus), "/tmp/t_inet6_shmif.%d.bus", (int)getpid());
	unlink(bus);
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

TESTS(CASE_NOBOOT(neighbours))
