/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 between kernels in separate host processes on shmif buses: ping
 * (ICMP echo with sequence and payload checked) and UDP echo (with
 * datagrams larger than the bus's MTU, so fragmented and reassembled),
 * ARP resolution and the expiry of its entries, an unanswered address
 * failing with EHOSTUNREACH, a duplicate address noticed through a
 * gratuitous ARP, and a kernel in the middle forwarding between two
 * buses, with the TTL it takes and the time exceeded it sends.
 *
 * Each case forks its other kernels before booting its own.  A child
 * says "ready" by writing a byte to a pipe and runs until the case
 * writes "done" (or exits: EOF), then writes back its counters.
 */
#include <sys/stat.h>

#include "h_inet.h"
#include "../../../sys/netinet/if_ether.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

#define ECHO_PORT 7

struct child {
	pid_t pid;
	int ready;              /* parent reads */
	int done;               /* parent writes */
	int result;             /* parent reads */
};

/* What a child sends back at the end. */
struct child_report {
	struct ipstat ip;
	struct arpstat arp;
	uint64_t igmp[7];       /* struct igmpstat: igps_snd_reports last */
	uint64_t echoed;
};

static char bus1[64], bus2[64];

static void
bus_names(void)
{
	snprintf(bus1, sizeof(bus1), "/tmp/t_inet_shmif.%d.1.bus", (int)getpid());
	snprintf(bus2, sizeof(bus2), "/tmp/t_inet_shmif.%d.2.bus", (int)getpid());
	unlink(bus1);
	unlink(bus2);
}

static void
bus_cleanup(void)
{
	unlink(bus1);
	unlink(bus2);
}

/* One shmif interface on bus with addr/plen, up. */
static void
shmif_setup(const char *bus, const char *addr, int plen)
{
	char name[16];
	int unit;

	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	snprintf(name, sizeof(name), "shmif%d", unit);
	REQUIRE_EQ(rump_pub_netconfig_ifup(name), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr(name, addr, plen), 0);
}

/*
 * The child's side: echo UDP datagrams on ECHO_PORT until "done" comes,
 * then report.  rb: the ready pipe's write end; db: done's read end.
 */
static void
child_serve(int rb, int db, int wb)
{
	struct child_report rep;
	struct sockaddr_in from;
	unsigned fromlen;
	char buf[65536], c = 'r';
	ssize_t n;
	int s;

	memset(&rep, 0, sizeof(rep));
	s = udp_bound("0.0.0.0", ECHO_PORT);
	REQUIRE_EQ(write(rb, &c, 1), 1);
	for (;;) {
		struct pollfd pfd = { .fd = db, .events = POLLIN };

		if (poll(&pfd, 1, 0) == 1)
			break;
		if (wait_readable(s, 50) == 0)
			continue;
		fromlen = sizeof(from);
		REQUIRE_OK(n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen));
		REQUIRE_EQ(rump_sys_sendto(s, buf, (size_t)n, 0,
		    (struct sockaddr *)&from, fromlen), n);
		rep.echoed++;
	}
	rep.ip = ipstat_get();
	get_stats("net.inet.arp.stats", &rep.arp, sizeof(rep.arp));
	get_stats("net.inet.igmp.stats", rep.igmp, sizeof(rep.igmp));
	REQUIRE_EQ(write(wb, &rep, sizeof(rep)), sizeof(rep));
}

/* Fork a kernel that runs setup(arg), then serves (child_serve). */
static struct child
child_start(void (*setup)(const void *), const void *arg)
{
	int r[2], d[2], w[2];
	struct child ch;

	REQUIRE_OK(pipe(r));
	REQUIRE_OK(pipe(d));
	REQUIRE_OK(pipe(w));
	fflush(NULL);
	REQUIRE_OK(ch.pid = fork());
	if (ch.pid == 0) {
		close(r[0]);
		close(d[1]);
		close(w[0]);
		alarm(60);
		if (rump_init() != 0)
			_exit(2);
		setup(arg);
		child_serve(r[1], d[0], w[1]);
		fflush(NULL);
		_exit(0);
	}
	close(r[1]);
	close(d[0]);
	close(w[1]);
	ch.ready = r[0];
	ch.done = d[1];
	ch.result = w[0];
	return ch;
}

static void
child_wait_ready(const struct child *ch)
{
	char c;

	REQUIRE_EQ(read(ch->ready, &c, 1), 1);
}

static struct child_report
child_finish(struct child *ch)
{
	struct child_report rep;
	int status;
	char c = 'd';

	REQUIRE_EQ(write(ch->done, &c, 1), 1);
	REQUIRE_EQ(read(ch->result, &rep, sizeof(rep)), sizeof(rep));
	REQUIRE_EQ(waitpid(ch->pid, &status, 0), ch->pid);
	REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(ch->ready);
	close(ch->done);
	close(ch->result);
	return rep;
}

struct ifcfg {
	const char *bus;
	const char *addr;
	int plen;
	const char *bus2;       /* a second interface, or NULL */
	const char *addr2;
	const char *gw;         /* a default route, or NULL */
	int forwarding;
	const char *group;      /* a group to join on the first, or NULL */
	int mtu, mtu2;          /* the interfaces' MTUs; 0: Ethernet's */
};

static void
set_mtu(const char *ifname, int mtu)
{
	struct {
		char name[16];
		int mtu;
		char pad[20];
	} ifr;
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, ifname);
	ifr.mtu = mtu;
	REQUIRE_OK(rump_sys_ioctl(s, 0x8922 /* SIOCSIFMTU */, &ifr));
	REQUIRE_OK(rump_sys_close(s));
}

/* Join group on the interface with address ifaddr; the socket stays open. */
static void
join(const char *group, const char *ifaddr)
{
	struct ip_mreq mr;
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE(inet_pton(AF_INET, group, &mr.imr_multiaddr) == 1);
	REQUIRE(inet_pton(AF_INET, ifaddr, &mr.imr_interface) == 1);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
	    sizeof(mr)));
}

static void
setup_ifcfg(const void *arg)
{
	const struct ifcfg *c = arg;

	shmif_setup(c->bus, c->addr, c->plen);
	if (c->mtu != 0)
		set_mtu("shmif0", c->mtu);
	if (c->bus2 != NULL)
		shmif_setup(c->bus2, c->addr2, c->plen);
	if (c->mtu2 != 0)
		set_mtu("shmif1", c->mtu2);
	if (c->group != NULL)
		join(c->group, c->addr);
	if (c->gw != NULL)
		REQUIRE_EQ(rump_pub_netconfig_ipv4_gw(c->gw), 0);
	if (c->forwarding)
		sysctl_setint("net.inet.ip.forwarding", 1);
}

/*
 * Ping dst with seq and a 56-byte payload on raw socket s; wait for the
 * reply with that sequence and check it.  Returns the reply's TTL.
 */
static int
ping(int s, const char *dst, int seq)
{
	struct sockaddr_in to = sin_make(dst, 0), from;
	uint8_t req[64], buf[2048];
	unsigned fromlen;
	uint16_t v;
	ssize_t n;
	int i;

	memset(req, 0, sizeof(req));
	req[0] = 8;
	v = htons((uint16_t)getpid());
	memcpy(req + 4, &v, 2);
	v = htons((uint16_t)seq);
	memcpy(req + 6, &v, 2);
	for (i = 8; i < (int)sizeof(req); i++)
		req[i] = (uint8_t)(i ^ seq);
	v = cksum(req, sizeof(req), 0);
	memcpy(req + 2, &v, 2);
	REQUIRE_EQ(rump_sys_sendto(s, req, sizeof(req), 0,
	    (struct sockaddr *)&to, sizeof(to)), sizeof(req));
	for (;;) {
		REQUIRE_EQ(wait_readable(s, 5000), 1);
		fromlen = sizeof(from);
		REQUIRE_OK(n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen));
		REQUIRE(n >= 20 + 8);
		if (buf[20] != 0 || memcmp(buf + 24, req + 4, 4) != 0)
			continue;       /* not our reply */
		REQUIRE_EQ(n, 20 + sizeof(req));
		REQUIRE_EQ(from.sin_addr.s_addr, to.sin_addr.s_addr);
		REQUIRE(memcmp(buf + 12, &to.sin_addr, 4) == 0);
		REQUIRE_EQ(cksum(buf, 20, 0), 0);
		REQUIRE_EQ(cksum(buf + 20, sizeof(req), 0), 0);
		REQUIRE(memcmp(buf + 28, req + 8, sizeof(req) - 8) == 0);
		return buf[8];
	}
}

/* A UDP echo of len bytes through the server at dst. */
static void
udp_echo(int s, const char *dst, size_t len, int tag)
{
	static uint8_t out[20000], in[20000];
	struct sockaddr_in to = sin_make(dst, ECHO_PORT), from;
	unsigned fromlen = sizeof(from);

	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(i * 31 + tag);
	REQUIRE_EQ(rump_sys_sendto(s, out, len, 0, (struct sockaddr *)&to,
	    sizeof(to)), len);
	REQUIRE_EQ(wait_readable(s, 5000), 1);
	REQUIRE_EQ(rump_sys_recvfrom(s, in, sizeof(in), 0,
	    (struct sockaddr *)&from, &fromlen), len);
	REQUIRE(memcmp(in, out, len) == 0);
	REQUIRE_EQ(from.sin_addr.s_addr, to.sin_addr.s_addr);
	REQUIRE_EQ(ntohs(from.sin_port), ECHO_PORT);
}

TESTCASE(ping_and_udp_echo)
{
	struct ifcfg a = { .plen = 24, .addr = "10.0.0.1" };
	struct child_report rep;
	struct arpstat as;
	struct child ch;
	int s, u;

	bus_names();
	a.bus = bus1;
	ch = child_start(setup_ifcfg, &a);
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup(bus1, "10.0.0.2", 24);
	child_wait_ready(&ch);

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	for (int seq = 1; seq <= 5; seq++)
		REQUIRE_EQ(ping(s, "10.0.0.1", seq), 64);
	u = udp_bound("0.0.0.0", 0);
	udp_echo(u, "10.0.0.1", 1, 1);
	udp_echo(u, "10.0.0.1", 1472, 2);       /* exactly one frame */
	udp_echo(u, "10.0.0.1", 1473, 3);       /* two fragments */
	udp_echo(u, "10.0.0.1", 9000, 4);       /* seven */
	get_stats("net.inet.arp.stats", &as, sizeof(as));
	/* Requests: the announcement of our address, then one resolution for all. */
	REQUIRE_EQ(as.as_sentreq, 2);
	REQUIRE_EQ(as.as_rcvrep, 1);
	REQUIRE_EQ(as.as_held, 1);              /* the first ping waited ... */
	REQUIRE_EQ(as.as_dfrsent, 1);           /* ... and went */
	REQUIRE(ipstat_get().ips_fragmented >= 2);
	rep = child_finish(&ch);
	REQUIRE_EQ(rep.echoed, 4);
	REQUIRE_EQ(rep.ip.ips_reassembled, 2);
	/* A learnt us from our request: it never asked (but announced itself). */
	REQUIRE_EQ(rep.arp.as_sentreq, 1);
	REQUIRE_EQ(rep.arp.as_sentrep, 1);
	bus_cleanup();
}

TESTCASE(arp_expiry)
{
	struct ifcfg a = { .plen = 24, .addr = "10.0.0.1" };
	struct arpstat as;
	struct child ch;
	int s;

	bus_names();
	a.bus = bus1;
	ch = child_start(setup_ifcfg, &a);
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup(bus1, "10.0.0.2", 24);
	sysctl_setint("net.inet.arp.keep", 1);
	child_wait_ready(&ch);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	REQUIRE_EQ(ping(s, "10.0.0.1", 1), 64);
	REQUIRE_EQ(ping(s, "10.0.0.1", 2), 64);
	get_stats("net.inet.arp.stats", &as, sizeof(as));
	REQUIRE_EQ(as.as_sentreq, 2);           /* announcement, resolution */
	REQUIRE_EQ(as.as_expired, 0);
	msleep(1800);
	get_stats("net.inet.arp.stats", &as, sizeof(as));
	REQUIRE_EQ(as.as_expired, 1);
	/* Gone from the cache: the next ping asks again. */
	REQUIRE_EQ(ping(s, "10.0.0.1", 3), 64);
	get_stats("net.inet.arp.stats", &as, sizeof(as));
	REQUIRE_EQ(as.as_sentreq, 3);
	(void)child_finish(&ch);
	bus_cleanup();
}

TESTCASE(arp_unanswered)
{
	struct sockaddr_in to = sin_make("10.0.0.99", 9);
	struct arpstat as;
	int u;

	bus_names();
	shmif_setup(bus1, "10.0.0.2", 24);
	sysctl_setint("net.inet.arp.maxtries", 2);
	u = udp_bound("0.0.0.0", 0);
	/* Held while ARP asks; four more than the queue holds. */
	for (int i = 0; i < 7; i++)
		REQUIRE_EQ(rump_sys_sendto(u, "x", 1, 0, (struct sockaddr *)&to,
		    sizeof(to)), 1);
	msleep(2600);
	get_stats("net.inet.arp.stats", &as, sizeof(as));
	REQUIRE_EQ(as.as_sentreq, 1 + 2);       /* announcement, maxtries */
	REQUIRE_EQ(as.as_timeouts, 1);
	REQUIRE_EQ(as.as_held, 7);
	REQUIRE_EQ(as.as_dfrdropped, 7);        /* 4 pushed out, 3 timed out */
	/* Remembered as unreachable for a while. */
	REQUIRE_ERRNO(rump_sys_sendto(u, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), EHOSTUNREACH);
	bus_cleanup();
}

TESTCASE(duplicate_address)
{
	struct ifcfg a = { .plen = 24, .addr = "10.0.0.1" };
	struct child_report rep;
	struct child ch;
	char logpath[64];

	bus_names();
	a.bus = bus1;
	snprintf(logpath, sizeof(logpath), "/tmp/t_inet_shmif.%d.log", (int)getpid());
	/* A's log (its stderr) is caught: it says so once, for two claims. */
	log_capture(logpath);
	ch = child_start(setup_ifcfg, &a);
	REQUIRE_EQ(rump_init(), 0);
	child_wait_ready(&ch);
	/* Our address is A's: the gratuitous ARP of each setting tells A. */
	shmif_setup(bus1, "10.0.0.1", 24);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", "10.0.0.3", 24), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", "10.0.0.1", 24), 0);
	msleep(300);
	rep = child_finish(&ch);
	log_expect("shmif0: duplicate IP address 10.0.0.1 sent from link address");
	unlink(logpath);
	REQUIRE_EQ(rep.arp.as_dupips, 2);
	bus_cleanup();
}

TESTCASE(router_between_buses)
{
	struct ifcfg a = { .bus = NULL, .addr = "10.0.1.1", .plen = 24,
	    .gw = "10.0.1.254" };
	struct ifcfg r = { .addr = "10.0.1.254", .plen = 24,
	    .addr2 = "10.0.2.254", .forwarding = 1 };
	struct child_report ra, rr;
	struct child cha, chr;
	struct sockaddr_in to, from;
	unsigned fromlen;
	uint8_t buf[2048];
	int s, u, ttl = 1;
	ssize_t n;

	bus_names();
	a.bus = bus1;
	r.bus = bus1;
	r.bus2 = bus2;
	cha = child_start(setup_ifcfg, &a);
	chr = child_start(setup_ifcfg, &r);
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup(bus2, "10.0.2.1", 24);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.0.2.254"), 0);
	child_wait_ready(&cha);
	child_wait_ready(&chr);

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	/* One hop: the reply left A with 64 and R took one. */
	REQUIRE_EQ(ping(s, "10.0.1.1", 1), 63);
	REQUIRE_EQ(ping(s, "10.0.1.1", 2), 63);
	u = udp_bound("0.0.0.0", 0);
	udp_echo(u, "10.0.1.1", 100, 1);
	udp_echo(u, "10.0.1.1", 4000, 2);

	/* TTL 1: R may not forward it and says so. */
	REQUIRE_OK(rump_sys_setsockopt(u, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)));
	to = sin_make("10.0.1.1", ECHO_PORT);
	REQUIRE_EQ(rump_sys_sendto(u, "ttl", 3, 0, (struct sockaddr *)&to,
	    sizeof(to)), 3);
	for (;;) {
		REQUIRE_EQ(wait_readable(s, 5000), 1);
		fromlen = sizeof(from);
		REQUIRE_OK(n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen));
		if (buf[20] == 11)
			break;
	}
	REQUIRE_EQ(buf[21], 0);                 /* in transit */
	REQUIRE_EQ(ntohl(from.sin_addr.s_addr), 0x0a0002fe);
	REQUIRE(n >= 20 + 8 + 20 + 8);
	REQUIRE_EQ(cksum(buf + 20, (size_t)n - 20, 0), 0);
	REQUIRE_EQ(buf[28 + 9], IPPROTO_UDP);   /* the quoted header */
	REQUIRE_EQ(buf[28 + 8], 1);             /* as it arrived at R */
	REQUIRE(memcmp(buf + 28 + 16, &to.sin_addr, 4) == 0);
	REQUIRE_EQ(wait_readable(u, 300), 0);   /* nothing echoed */

	ra = child_finish(&cha);
	rr = child_finish(&chr);
	REQUIRE_EQ(ra.echoed, 2);
	/* R: 2 pings and 2 replies, 2 echoes each way (4000 bytes: 3 fragments). */
	REQUIRE_EQ(rr.ip.ips_forward, 2 + 2 + 2 * 1 + 2 * 3);
	REQUIRE_EQ(rr.ip.ips_timxceed, 1);
	REQUIRE_EQ(rr.ip.ips_cantforward, 0);
	bus_cleanup();
}

/* Collect one echo from each of n senders on s; their last address bytes in got. */
static void
echoes(int s, int n, const char *want, size_t len, unsigned *got)
{
	struct sockaddr_in from;
	unsigned fromlen;
	char buf[2048];

	*got = 0;
	for (int i = 0; i < n; i++) {
		REQUIRE_EQ(wait_readable(s, 5000), 1);
		fromlen = sizeof(from);
		REQUIRE_EQ(rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen), len);
		REQUIRE(memcmp(buf, want, len) == 0);
		*got |= 1u << (ntohl(from.sin_addr.s_addr) & 0x1f);
	}
	REQUIRE_EQ(wait_readable(s, 200), 0);
}

TESTCASE(multicast_and_broadcast)
{
	static const char *addrs[3] = { "10.0.0.11", "10.0.0.12", "10.0.0.13" };
	struct ifcfg c[3];
	struct child ch[3];
	struct child_report rep;
	struct sockaddr_in to;
	struct in_addr ifa;
	unsigned got;
	int u, m, off = 0, on = 1;
	char buf[64];

	bus_names();
	for (int i = 0; i < 3; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].bus = bus1;
		c[i].addr = addrs[i];
		c[i].plen = 24;
		c[i].group = "239.7.7.7";
		ch[i] = child_start(setup_ifcfg, &c[i]);
	}
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup(bus1, "10.0.0.2", 24);
	for (int i = 0; i < 3; i++)
		child_wait_ready(&ch[i]);
	/* We are a member too, listening on the group's port. */
	join("239.7.7.7", "10.0.0.2");
	m = udp_bound("0.0.0.0", ECHO_PORT);
	u = udp_bound("0.0.0.0", 0);
	REQUIRE(inet_pton(AF_INET, "10.0.0.2", &ifa) == 1);
	REQUIRE_OK(rump_sys_setsockopt(u, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof(ifa)));

	/* To the group: three members answer; our own member gets the loop. */
	to = sin_make("239.7.7.7", ECHO_PORT);
	REQUIRE_EQ(rump_sys_sendto(u, "mcast1", 6, 0, (struct sockaddr *)&to,
	    sizeof(to)), 6);
	echoes(u, 3, "mcast1", 6, &got);
	REQUIRE_EQ(got, (1u << 11) | (1u << 12) | (1u << 13));
	REQUIRE_EQ(wait_readable(m, 1000), 1);
	REQUIRE_EQ(rump_sys_recv(m, buf, sizeof(buf), 0), 6);
	/* IP_MULTICAST_LOOP off: the members still answer, we hear nothing. */
	REQUIRE_OK(rump_sys_setsockopt(u, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)));
	REQUIRE_EQ(rump_sys_sendto(u, "mcast2", 6, 0, (struct sockaddr *)&to,
	    sizeof(to)), 6);
	echoes(u, 3, "mcast2", 6, &got);
	REQUIRE_EQ(wait_readable(m, 0), 0);

	/* To the subnet's broadcast address: only with SO_BROADCAST. */
	to = sin_make("10.0.0.255", ECHO_PORT);
	REQUIRE_ERRNO(rump_sys_sendto(u, "bcast", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), EACCES);
	REQUIRE_OK(rump_sys_setsockopt(u, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)));
	REQUIRE_EQ(rump_sys_sendto(u, "bcast", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), 5);
	echoes(u, 3, "bcast", 5, &got);
	REQUIRE_EQ(got, (1u << 11) | (1u << 12) | (1u << 13));
	/* The limited broadcast goes by the routes: none here, as on Linux. */
	to = sin_make("255.255.255.255", ECHO_PORT);
	REQUIRE_ERRNO(rump_sys_sendto(u, "bcas2", 5, 0, (struct sockaddr *)&to,
	    sizeof(to)), ENETUNREACH);

	msleep(1100);           /* the joins' repeated reports are due by now */
	for (int i = 0; i < 3; i++) {
		rep = child_finish(&ch[i]);
		REQUIRE_EQ(rep.echoed, 3);
		/* IGMP: the join's report and its repetition. */
		REQUIRE_EQ(rep.igmp[6], 2);
	}
	bus_cleanup();
}

TESTCASE(path_mtu_discovery)
{
	struct ifcfg a = { .addr = "10.0.2.1", .plen = 24, .gw = "10.0.2.254",
	    .mtu = 1000 };
	struct ifcfg r = { .addr = "10.0.1.254", .plen = 24,
	    .addr2 = "10.0.2.254", .forwarding = 1, .mtu2 = 1000 };
	struct child cha, chr;
	struct child_report rr;
	struct icmpstat ic;
	struct sockaddr_in to;
	static char out[1400], in[2048];
	unsigned len;
	int u, mtu, dont;

	bus_names();
	a.bus = bus2;
	r.bus = bus1;
	r.bus2 = bus2;
	cha = child_start(setup_ifcfg, &a);
	chr = child_start(setup_ifcfg, &r);
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup(bus1, "10.0.1.2", 24);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.0.1.254"), 0);
	child_wait_ready(&cha);
	child_wait_ready(&chr);

	u = udp_bound("0.0.0.0", 0);
	to = sin_make("10.0.2.1", ECHO_PORT);
	REQUIRE_OK(rump_sys_connect(u, (struct sockaddr *)&to, sizeof(to)));
	len = sizeof(mtu);
	REQUIRE_OK(rump_sys_getsockopt(u, IPPROTO_IP, IP_MTU, &mtu, &len));
	REQUIRE_EQ(mtu, 1500);
	memset(out, 'p', sizeof(out));
	/* Sent whole with DF: the router cannot forward it and says so. */
	REQUIRE_EQ(rump_sys_send(u, out, sizeof(out), 0), sizeof(out));
	REQUIRE_EQ(wait_readable(u, 1000), 0);
	get_stats("net.inet.icmp.stats", &ic, sizeof(ic));
	REQUIRE_EQ(ic.icps_inhist[ICMP_UNREACH], 1);
	REQUIRE_EQ(ic.icps_pmtuchg, 1);
	REQUIRE_OK(rump_sys_getsockopt(u, IPPROTO_IP, IP_MTU, &mtu, &len));
	REQUIRE_EQ(mtu, 1000);
	/* Now cut to the path's MTU here, and it arrives. */
	REQUIRE_EQ(rump_sys_send(u, out, sizeof(out), 0), sizeof(out));
	REQUIRE_EQ(wait_readable(u, 5000), 1);
	REQUIRE_EQ(rump_sys_recv(u, in, sizeof(in), 0), sizeof(out));
	REQUIRE(memcmp(in, out, sizeof(out)) == 0);
	/* IP_PMTUDISC_DO: too big for the path is EMSGSIZE at once. */
	dont = 2;
	REQUIRE_OK(rump_sys_setsockopt(u, IPPROTO_IP, IP_MTU_DISCOVER, &dont, sizeof(dont)));
	REQUIRE_ERRNO(rump_sys_send(u, out, sizeof(out), 0), EMSGSIZE);
	REQUIRE_EQ(rump_sys_send(u, out, 1000 - 28, 0), 1000 - 28);
	REQUIRE_EQ(wait_readable(u, 5000), 1);
	REQUIRE_EQ(rump_sys_recv(u, in, sizeof(in), 0), 1000 - 28);

	(void)child_finish(&cha);
	rr = child_finish(&chr);
	REQUIRE_EQ(rr.ip.ips_cantfrag, 1);
	bus_cleanup();
}

/*
 * What the stack puts on the wire decodes cleanly: a capture of ARP,
 * pings, UDP whole and in fragments, a port unreachable and IGMPv3
 * reports (then v2 ones after a v2 query), written out by shmif_dumpbus, read by tshark with every
 * checksum checked: no malformed packet, no bad checksum, no warning.
 */
TESTCASE(capture_decodes)
{
	struct ifcfg a = { .plen = 24, .addr = "10.0.0.1", .group = "239.5.5.5" };
	struct child_report rep;
	struct child ch;
	struct sockaddr_in to;
	char cmd[768], line[1024], pcap[80];
	int s, u, frames = 0, icmp = 0, igmp = 0, igmp2 = 0, frag = 0, arp = 0;
	int udp = 0;
	FILE *f;

	bus_names();
	a.bus = bus1;
	snprintf(pcap, sizeof(pcap), "/tmp/t_inet_shmif.%d.pcap", (int)getpid());
	ch = child_start(setup_ifcfg, &a);
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup(bus1, "10.0.0.2", 24);
	child_wait_ready(&ch);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	REQUIRE_EQ(ping(s, "10.0.0.1", 1), 64);
	u = udp_bound("0.0.0.0", 0);
	udp_echo(u, "10.0.0.1", 100, 1);
	udp_echo(u, "10.0.0.1", 3000, 2);
	to = sin_make("10.0.0.1", 9);
	REQUIRE_EQ(rump_sys_sendto(u, "closed", 6, 0, (struct sockaddr *)&to,
	    sizeof(to)), 6);
	msleep(1100);           /* A's second v3 report has gone */
	/* An IGMPv2 general query (1 s to answer): A falls back to v2. */
	{
		uint8_t q[8] = { 0x11, 10, 0, 0, 0, 0, 0, 0 };
		struct in_addr ifa;
		uint16_t v = cksum(q, sizeof(q), 0);
		int r;

		memcpy(q + 2, &v, 2);
		REQUIRE_OK(r = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_IGMP));
		REQUIRE(inet_pton(AF_INET, "10.0.0.2", &ifa) == 1);
		REQUIRE_OK(rump_sys_setsockopt(r, IPPROTO_IP, IP_MULTICAST_IF,
		    &ifa, sizeof(ifa)));
		to = sin_make("224.0.0.1", 0);
		REQUIRE_EQ(rump_sys_sendto(r, q, sizeof(q), 0,
		    (struct sockaddr *)&to, sizeof(to)), sizeof(q));
	}
	msleep(1100);           /* A's v2 answer */
	rep = child_finish(&ch);
	REQUIRE_EQ(rep.igmp[3], 1);             /* igps_rcv_queries */

	snprintf(cmd, sizeof(cmd), "%s -w %s %s >/dev/null", SHMIF_DUMPBUS, pcap, bus1);
	REQUIRE_EQ(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -o ip.check_checksum:TRUE "
	    "-o udp.check_checksum:TRUE -z expert,warn 2>&1", pcap);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "Malformed") != NULL || strstr(line, "Bad") != NULL ||
		    strstr(line, "incorrect") != NULL || strstr(line, "Warning") != NULL ||
		    strstr(line, "Error") != NULL)
			TEST_FAIL("tshark: %s", line);
		if (strstr(line, " ARP ") != NULL)
			arp++;
		else if (strstr(line, " ICMP ") != NULL)
			icmp++;
		else if (strstr(line, " IGMPv3 ") != NULL)
			igmp++;
		else if (strstr(line, " IGMPv2 ") != NULL)
			igmp2++;
		else if (strstr(line, "Fragmented IP protocol") != NULL)
			frag++;
		else if (strstr(line, " UDP ") != NULL || strstr(line, " ECHO ") != NULL)
			udp++;
		frames += strstr(line, " → ") != NULL;
	}
	REQUIRE_EQ(pclose(f), 0);
	/* Two requests (announcements) and a request and its reply at least. */
	REQUIRE(arp >= 3);
	/* Echo, reply, port unreachable. */
	REQUIRE_EQ(icmp, 3);
	REQUIRE_EQ(igmp, 2);
	/* The query, and A's v2 report for its group. */
	REQUIRE_EQ(igmp2, 2);
	/* 3000 bytes: two fragments before the last, each way. */
	REQUIRE_EQ(frag, 4);
	REQUIRE(udp >= 5);
	REQUIRE(frames >= arp + icmp + igmp + igmp2 + frag + udp);
	unlink(pcap);
	bus_cleanup();
}

TESTS(CASE_NOBOOT(ping_and_udp_echo), CASE_NOBOOT(arp_expiry),
    CASE(arp_unanswered), CASE_NOBOOT(duplicate_address),
    CASE_NOBOOT(router_between_buses), CASE_NOBOOT(multicast_and_broadcast),
    CASE_NOBOOT(path_mtu_discovery), CASE_NOBOOT(capture_decodes))
