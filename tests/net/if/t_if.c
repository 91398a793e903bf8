/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Interfaces and routes from a client, with librumpnet and
 * librumpnet_net only (no protocol family but the routing socket's):
 * lo0 as boot leaves it, the interface ioctls with Linux's struct ifreq
 * and errno values, and the routing table's longest-prefix match driven
 * through the routing socket (messages: sys/net/rtsock.h).
 */
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "h_macros.h"
#include <rump/rump_netconfig.h>

#include "../../../sys/net/rtsock.h"
#include "kernspace/routetest.h"

/* sys/net/route.h */
#define RTF_UP      0x1
#define RTF_GATEWAY 0x2
#define RTF_HOST    0x4
#define RTF_STATIC  0x800
#define RTM_ADD     0x1
#define RTM_DELETE  0x2
#define RTM_CHANGE  0x3
#define RTM_GET     0x4


/* sys/net/if.h: one entry of net.interfaces. */
struct if_info_copy {
	char ii_name[16];
	uint32_t ii_index;
	int32_t ii_flags;
	uint32_t ii_mtu;
	uint32_t ii_type;
	uint8_t ii_lladdr[8];
	uint64_t ipackets, ierrors, opackets, oerrors, ibytes, obytes;
	uint64_t imcasts, omcasts, iqdrops, noproto, collisions;
};

#define RUMP_AF_ROUTE 16
#define MSG_DONTWAIT_ 0x40

static int
rtsock(void)
{
	int s;

	REQUIRE((s = rump_sys_socket(RUMP_AF_ROUTE, SOCK_RAW, 0)) != -1);
	return s;
}

static void
ifreq_get(int s, unsigned long cmd, const char *name, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strcpy(ifr->ifr_name, name);
	REQUIRE_OK(rump_sys_ioctl(s, cmd, ifr));
}

TESTCASE(lo0_after_boot)
{
	struct ifreq ifr;
	int s = rtsock();

	ifreq_get(s, SIOCGIFFLAGS, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
	ifreq_get(s, SIOCGIFMTU, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_mtu, 65536);
	ifreq_get(s, SIOCGIFINDEX, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_ifindex, 1);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = 1;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFNAME, &ifr));
	REQUIRE_EQ(strcmp(ifr.ifr_name, "lo0"), 0);
	ifreq_get(s, SIOCGIFHWADDR, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_hwaddr.sa_family, 772);      /* ARPHRD_LOOPBACK */
	for (int i = 0; i < 6; i++)
		REQUIRE_EQ(ifr.ifr_hwaddr.sa_data[i], 0);
	ifreq_get(s, SIOCGIFTXQLEN, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_qlen, 1000);
	REQUIRE_OK(rump_sys_close(s));
	/* netstat -i's list: lo0 alone. */
	struct if_info_copy ii[4];
	size_t len = sizeof(ii);
	REQUIRE_EQ(rump_pub_sysctlbyname("net.interfaces", ii, &len, NULL, 0), 0);
	REQUIRE_EQ(len, sizeof(ii[0]));
	REQUIRE_EQ(strcmp(ii[0].ii_name, "lo0"), 0);
	REQUIRE_EQ(ii[0].ii_index, 1);
	REQUIRE_EQ(ii[0].ii_flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
	REQUIRE_EQ(ii[0].ii_mtu, 65536);
	REQUIRE_EQ(ii[0].ii_type, 772);
	REQUIRE_EQ(ii[0].opackets, 0);
	/* The protocol queues' drops: none yet, one count per queue. */
	uint64_t drops[4];
	len = sizeof(drops);
	REQUIRE_EQ(rump_pub_sysctlbyname("net.netisr.drops", drops, &len, NULL,
	    0), 0);
	REQUIRE_EQ(len, 3 * sizeof(uint64_t));
	REQUIRE_EQ(drops[0] + drops[1] + drops[2], 0);
}

/* Linux: ENODEV for a name or index that is no interface. */
TESTCASE(unknown_interface)
{
	struct ifreq ifr;
	int s = rtsock();

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "nosuch0");
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), ENODEV);
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCSIFFLAGS, &ifr), ENODEV);
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFMTU, &ifr), ENODEV);
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFINDEX, &ifr), ENODEV);
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFHWADDR, &ifr), ENODEV);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = 99;
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFNAME, &ifr), ENODEV);
	/* No such command: ENOTTY, as Linux says for a socket. */
	strcpy(ifr.ifr_name, "lo0");
	REQUIRE_ERRNO(rump_sys_ioctl(s, 0x89f0, &ifr), ENOTTY);
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFFLAGS, NULL), EFAULT);
	/* Interfaces by name: no cloner, no unit. */
	REQUIRE_EQ(rump_pub_netconfig_ifcreate("shmif0"), EINVAL);
	REQUIRE_EQ(rump_pub_netconfig_ifcreate("lo"), EINVAL);
	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("lo0"), EINVAL);
	REQUIRE_EQ(rump_pub_netconfig_ifup("nosuch0"), ENXIO);
	REQUIRE_EQ(rump_pub_netconfig_ifsetlinkstr("lo0", "x"), EOPNOTSUPP);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("lo0", "1.2.3", "255.0.0.0"),
	    EINVAL);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("lo0", "1.2.3.4",
	    "255.0.255.0"), EINVAL);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("lo0", "1.2.3.4", 33),
	    EINVAL);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("1.2.3.256"), EINVAL);
	REQUIRE_OK(rump_sys_close(s));
}

TESTCASE(mtu_and_flags)
{
	struct ifreq ifr;
	int s = rtsock();

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo0");
	ifr.ifr_mtu = 1500;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCSIFMTU, &ifr));
	ifreq_get(s, SIOCGIFMTU, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_mtu, 1500);
	ifr.ifr_mtu = 67;
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCSIFMTU, &ifr), EINVAL);
	ifr.ifr_mtu = 65537;
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCSIFMTU, &ifr), EINVAL);
	ifreq_get(s, SIOCGIFMTU, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_mtu, 1500);

	/* Down; the kernel's own flags (LOOPBACK, RUNNING) do not change. */
	ifr.ifr_flags = IFF_POINTOPOINT;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCSIFFLAGS, &ifr));
	ifreq_get(s, SIOCGIFFLAGS, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_flags, IFF_LOOPBACK | IFF_RUNNING);
	REQUIRE_EQ(rump_pub_netconfig_ifup("lo0"), 0);
	ifreq_get(s, SIOCGIFFLAGS, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
	REQUIRE_EQ(rump_pub_netconfig_ifdown("lo0"), 0);
	ifreq_get(s, SIOCGIFFLAGS, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_flags, IFF_LOOPBACK | IFF_RUNNING);
	ifr.ifr_flags = IFF_UP;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCSIFFLAGS, &ifr));
	ifreq_get(s, SIOCGIFFLAGS, "lo0", &ifr);
	REQUIRE_EQ(ifr.ifr_flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
	REQUIRE_OK(rump_sys_close(s));
}

/* SIOCGIFCONF lists IPv4 addresses: there is no IPv4 here. */
TESTCASE(ifconf_empty)
{
	struct ifreq reqs[4];
	struct ifconf ifc;
	int s = rtsock();

	memset(&ifc, 0, sizeof(ifc));
	ifc.ifc_len = 12345;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFCONF, &ifc));
	REQUIRE_EQ(ifc.ifc_len, 0);
	ifc.ifc_len = sizeof(reqs);
	ifc.ifc_req = reqs;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFCONF, &ifc));
	REQUIRE_EQ(ifc.ifc_len, 0);
	ifc.ifc_len = -1;
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFCONF, &ifc), EINVAL);
	REQUIRE_OK(rump_sys_close(s));
}

/*
 * Routing socket messages.
 */
struct rtreq {
	int type, flags, seq, ifindex;
	const char *dst, *gw, *mask;    /* dotted quads, or NULL */
};

struct rtreply {
	struct rt_msghdr rtm;
	struct sockaddr_in dst, gw, mask;
	struct rt_sockaddr_ll ifp;
	bool has_gw, has_mask, has_ifp;
};

static size_t
put_sin(unsigned char *p, const char *a)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	REQUIRE_EQ(inet_pton(AF_INET, a, &sin.sin_addr), 1);
	memcpy(p, &sin, sizeof(sin));
	return RT_ROUNDUP(sizeof(sin));
}

static size_t
rt_build(unsigned char *buf, const struct rtreq *rq)
{
	struct rt_msghdr *rtm = (struct rt_msghdr *)(void *)buf;
	struct rt_sockaddr_ll sll;
	size_t off = sizeof(*rtm);

	memset(buf, 0, 512);
	rtm->rtm_version = RTM_VERSION;
	rtm->rtm_type = (uint8_t)rq->type;
	rtm->rtm_flags = rq->flags;
	rtm->rtm_seq = rq->seq;
	if (rq->dst != NULL) {
		off += put_sin(buf + off, rq->dst);
		rtm->rtm_addrs |= RTA_DST;
	}
	if (rq->gw != NULL) {
		off += put_sin(buf + off, rq->gw);
		rtm->rtm_addrs |= RTA_GATEWAY;
	}
	if (rq->mask != NULL) {
		off += put_sin(buf + off, rq->mask);
		rtm->rtm_addrs |= RTA_NETMASK;
	}
	if (rq->ifindex != 0) {
		memset(&sll, 0, sizeof(sll));
		sll.sll_family = AF_PACKET;
		sll.sll_ifindex = rq->ifindex;
		memcpy(buf + off, &sll, sizeof(sll));
		off += RT_ROUNDUP(sizeof(sll));
		rtm->rtm_addrs |= RTA_IFP;
	}
	rtm->rtm_msglen = (uint16_t)off;
	return off;
}

static void
rt_parse(const unsigned char *buf, ssize_t n, struct rtreply *rp)
{
	size_t off = sizeof(rp->rtm);

	memset(rp, 0, sizeof(*rp));
	REQUIRE(n >= (ssize_t)sizeof(rp->rtm));
	memcpy(&rp->rtm, buf, sizeof(rp->rtm));
	REQUIRE_EQ(rp->rtm.rtm_msglen, n);
	REQUIRE_EQ(rp->rtm.rtm_version, RTM_VERSION);
	if (rp->rtm.rtm_addrs & RTA_DST) {
		memcpy(&rp->dst, buf + off, sizeof(rp->dst));
		off += 16;
	}
	if (rp->rtm.rtm_addrs & RTA_GATEWAY) {
		memcpy(&rp->gw, buf + off, sizeof(rp->gw));
		rp->has_gw = true;
		off += 16;
	}
	if (rp->rtm.rtm_addrs & RTA_NETMASK) {
		memcpy(&rp->mask, buf + off, sizeof(rp->mask));
		rp->has_mask = true;
		off += 16;
	}
	if (rp->rtm.rtm_addrs & RTA_IFP) {
		memcpy(&rp->ifp, buf + off, sizeof(rp->ifp));
		rp->has_ifp = true;
		off += 24;
	}
	REQUIRE(off <= (size_t)n);
}

/* Send a request; its error (0 or an errno); the reply, if rp. */
static int
rt_do(int s, const struct rtreq *rq, struct rtreply *rp)
{
	unsigned char buf[512];
	struct rtreply r;
	size_t len = rt_build(buf, rq);
	ssize_t n;
	int error = 0;

	errno = 0;
	if (rump_sys_write(s, buf, len) != (ssize_t)len)
		error = errno;
	/* The answer is queued on every routing socket, ours too. */
	for (;;) {
		n = rump_sys_recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT_, NULL,
		    NULL);
		REQUIRE(n > 0);
		rt_parse(buf, n, &r);
		if (r.rtm.rtm_seq == rq->seq)
			break;
	}
	REQUIRE_EQ(r.rtm.rtm_errno, error);
	REQUIRE_EQ(r.rtm.rtm_type, rq->type);
	if (rp != NULL)
		*rp = r;
	return error;
}

static const char *
ntoa(const struct sockaddr_in *sin)
{
	static char b[4][INET_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &sin->sin_addr, b[i], sizeof(b[i]));
}

/* RTM_GET of addr: the route's gateway ("" for none) and netmask. */
static void
rt_expect(int s, int seq, const char *addr, const char *gw, const char *mask)
{
	struct rtreq rq = { .type = RTM_GET, .seq = seq, .dst = addr };
	struct rtreply r;

	REQUIRE_EQ(rt_do(s, &rq, &r), 0);
	if (strcmp(gw, "") == 0) {
		REQUIRE(!r.has_gw);
		REQUIRE_EQ(r.rtm.rtm_flags & RTF_GATEWAY, 0);
	} else {
		REQUIRE(r.has_gw);
		if (strcmp(ntoa(&r.gw), gw) != 0)
			TEST_FAIL("%s: gateway %s, expected %s", addr,
			    ntoa(&r.gw), gw);
		REQUIRE(r.rtm.rtm_flags & RTF_GATEWAY);
	}
	if (mask == NULL) {
		REQUIRE(!r.has_mask);
		REQUIRE(r.rtm.rtm_flags & RTF_HOST);
	} else {
		REQUIRE(r.has_mask);
		if (strcmp(ntoa(&r.mask), mask) != 0)
			TEST_FAIL("%s: netmask %s, expected %s", addr,
			    ntoa(&r.mask), mask);
	}
	REQUIRE(r.rtm.rtm_flags & RTF_UP);
	REQUIRE(r.has_ifp);
	REQUIRE_EQ(r.ifp.sll_ifindex, 1);
	REQUIRE_EQ(r.rtm.rtm_index, 1);
}

TESTCASE(route_lpm)
{
	static const struct rtreq adds[] = {
		{ RTM_ADD, 0, 1, 1, "10.0.0.0", NULL, "255.0.0.0" },
		{ RTM_ADD, RTF_GATEWAY, 2, 0, "10.1.0.0", "10.0.0.1", "255.255.0.0" },
		{ RTM_ADD, RTF_GATEWAY, 3, 0, "10.1.2.0", "10.0.0.2", "255.255.255.0" },
		{ RTM_ADD, RTF_GATEWAY | RTF_HOST, 4, 0, "10.1.2.3", "10.0.0.3", NULL },
		{ RTM_ADD, RTF_GATEWAY, 5, 0, "0.0.0.0", "10.0.0.4", "0.0.0.0" },
	};
	struct rtreq rq;
	int s = rtsock();

	/* On no link: no address here is on a subnet, and no interface named. */
	rq = (struct rtreq){ RTM_ADD, 0, 100, 0, "10.0.0.0", NULL, "255.0.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ENETUNREACH);
	rq = (struct rtreq){ RTM_ADD, RTF_GATEWAY, 101, 0, "10.1.0.0", "10.0.0.1",
	    "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ENETUNREACH);
	for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++)
		REQUIRE_EQ(rt_do(s, &adds[i], NULL), 0);

	rt_expect(s, 10, "10.1.2.3", "10.0.0.3", NULL);
	rt_expect(s, 11, "10.1.2.4", "10.0.0.2", "255.255.255.0");
	rt_expect(s, 12, "10.1.2.255", "10.0.0.2", "255.255.255.0");
	rt_expect(s, 13, "10.1.3.1", "10.0.0.1", "255.255.0.0");
	rt_expect(s, 14, "10.1.255.255", "10.0.0.1", "255.255.0.0");
	rt_expect(s, 15, "10.2.0.0", "", "255.0.0.0");
	rt_expect(s, 16, "10.255.255.255", "", "255.0.0.0");
	rt_expect(s, 17, "192.168.1.1", "10.0.0.4", "0.0.0.0");
	rt_expect(s, 18, "11.0.0.0", "10.0.0.4", "0.0.0.0");

	/* An exact RTM_GET names the prefix. */
	rq = (struct rtreq){ RTM_GET, 0, 20, 0, "10.1.0.0", NULL, "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), 0);
	rq = (struct rtreq){ RTM_GET, 0, 21, 0, "10.1.0.0", NULL, "255.255.128.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ESRCH);

	/* Errors: a route that exists, one that does not, bad masks. */
	rq = adds[2];
	rq.seq = 30;
	REQUIRE_EQ(rt_do(s, &rq, NULL), EEXIST);
	rq = (struct rtreq){ RTM_DELETE, 0, 31, 0, "10.9.0.0", NULL, "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ESRCH);
	rq = (struct rtreq){ RTM_ADD, RTF_GATEWAY, 32, 0, "172.16.0.0",
	    "192.168.0.1", "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ENETUNREACH);
	rq = (struct rtreq){ RTM_ADD, 0, 33, 1, "10.3.0.0", NULL, "255.0.255.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), EINVAL);
	rq = (struct rtreq){ RTM_ADD, RTF_GATEWAY, 34, 0, "10.4.0.0", NULL,
	    "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), EINVAL);
	rq = (struct rtreq){ RTM_ADD, 0, 35, 7, "10.5.0.0", NULL, "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ENXIO);

	/* RTM_CHANGE moves a route to another gateway; ESRCH for none. */
	rq = (struct rtreq){ RTM_CHANGE, RTF_GATEWAY, 36, 0, "10.1.0.0",
	    "10.0.0.7", "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), 0);
	rt_expect(s, 37, "10.1.3.1", "10.0.0.7", "255.255.0.0");
	rq = (struct rtreq){ RTM_CHANGE, RTF_GATEWAY, 38, 0, "10.1.0.0",
	    "10.0.0.1", "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), 0);
	rq = (struct rtreq){ RTM_CHANGE, RTF_GATEWAY, 39, 0, "10.8.0.0",
	    "10.0.0.1", "255.255.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ESRCH);

	/* Deleting the /24 uncovers the /16; the default goes last. */
	rq = (struct rtreq){ RTM_DELETE, 0, 40, 0, "10.1.2.0", NULL,
	    "255.255.255.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), 0);
	rt_expect(s, 41, "10.1.2.4", "10.0.0.1", "255.255.0.0");
	rt_expect(s, 42, "10.1.2.3", "10.0.0.3", NULL);
	rq = (struct rtreq){ RTM_DELETE, 0, 43, 0, "10.1.2.3", NULL, NULL };
	REQUIRE_EQ(rt_do(s, &rq, NULL), 0);
	rt_expect(s, 44, "10.1.2.3", "10.0.0.1", "255.255.0.0");
	rq = (struct rtreq){ RTM_DELETE, 0, 45, 0, "0.0.0.0", NULL, "0.0.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), 0);
	rq = (struct rtreq){ RTM_GET, 0, 46, 0, "192.168.1.1", NULL, NULL };
	REQUIRE_EQ(rt_do(s, &rq, NULL), ESRCH);
	/* netconfig's default route, through the /8 that holds the gateway. */
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.0.0.9"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.0.0.9"), EEXIST);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("172.16.0.1"), EEXIST);
	rt_expect(s, 47, "192.168.1.1", "10.0.0.9", "0.0.0.0");
	REQUIRE_OK(rump_sys_close(s));
}

/* A listener hears the changes another socket makes, with its sequence. */
TESTCASE(route_notify)
{
	unsigned char buf[512];
	struct rtreply r;
	struct rtreq rq;
	int s = rtsock(), l = rtsock(), l4, other;
	ssize_t n;

	REQUIRE((l4 = rump_sys_socket(RUMP_AF_ROUTE, SOCK_RAW, AF_INET)) != -1);
	REQUIRE((other = rump_sys_socket(RUMP_AF_ROUTE, SOCK_RAW, AF_INET6)) != -1);
	rq = (struct rtreq){ RTM_ADD, 0, 77, 1, "10.0.0.0", NULL, "255.0.0.0" };
	REQUIRE_EQ(rt_do(s, &rq, NULL), 0);
	for (int i = 0; i < 2; i++) {
		n = rump_sys_recvfrom(i == 0 ? l : l4, buf, sizeof(buf),
		    MSG_DONTWAIT_, NULL, NULL);
		rt_parse(buf, n, &r);
		REQUIRE_EQ(r.rtm.rtm_type, RTM_ADD);
		REQUIRE_EQ(r.rtm.rtm_seq, 77);
		REQUIRE_EQ(r.rtm.rtm_errno, 0);
		REQUIRE(r.rtm.rtm_pid > 0);
		REQUIRE_EQ(r.rtm.rtm_flags & (RTF_UP | RTF_STATIC),
		    RTF_UP | RTF_STATIC);
		REQUIRE_EQ(strcmp(ntoa(&r.dst), "10.0.0.0"), 0);
		REQUIRE_EQ(strcmp(ntoa(&r.mask), "255.0.0.0"), 0);
	}
	/* Nothing for a listener of another family, nothing twice. */
	REQUIRE_ERRNO(rump_sys_recvfrom(other, buf, sizeof(buf), MSG_DONTWAIT_,
	    NULL, NULL), EAGAIN);
	REQUIRE_ERRNO(rump_sys_recvfrom(l, buf, sizeof(buf), MSG_DONTWAIT_,
	    NULL, NULL), EAGAIN);
	/* A kernel change (netconfig) is announced with pid 0. */
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.0.0.1"), 0);
	n = rump_sys_recvfrom(l, buf, sizeof(buf), MSG_DONTWAIT_, NULL, NULL);
	rt_parse(buf, n, &r);
	REQUIRE_EQ(r.rtm.rtm_type, RTM_ADD);
	REQUIRE_EQ(r.rtm.rtm_pid, 0);
	REQUIRE(r.has_gw);
	REQUIRE_EQ(strcmp(ntoa(&r.gw), "10.0.0.1"), 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(l));
	REQUIRE_OK(rump_sys_close(l4));
	REQUIRE_OK(rump_sys_close(other));
}

/* Malformed messages are refused with the errno that says why. */
TESTCASE(route_bad_messages)
{
	unsigned char buf[512];
	struct rt_msghdr *rtm = (struct rt_msghdr *)(void *)buf;
	struct rtreq rq = { RTM_GET, 0, 1, 0, "10.0.0.0", NULL, NULL };
	size_t len;
	int s = rtsock();

	REQUIRE_ERRNO(rump_sys_write(s, buf, 10), EINVAL);
	len = rt_build(buf, &rq);
	rtm->rtm_version = 9;
	REQUIRE_ERRNO(rump_sys_write(s, buf, len), EPROTONOSUPPORT);
	len = rt_build(buf, &rq);
	rtm->rtm_msglen = (uint16_t)(len + 8);
	REQUIRE_ERRNO(rump_sys_write(s, buf, len), EINVAL);
	len = rt_build(buf, &rq);
	rtm->rtm_type = 99;
	REQUIRE_ERRNO(rump_sys_write(s, buf, len), EOPNOTSUPP);
	/* An address running off the end. */
	len = rt_build(buf, &rq);
	rtm->rtm_addrs |= RTA_GATEWAY;
	REQUIRE_ERRNO(rump_sys_write(s, buf, len), EINVAL);
	len = rt_build(buf, &rq);
	rtm->rtm_addrs = 0;
	REQUIRE_ERRNO(rump_sys_write(s, buf, len), EINVAL);
	REQUIRE_OK(rump_sys_close(s));
}

/* IPv6 routes: the same table code, 128-bit keys (sockaddr_in6, 28 bytes). */
static size_t
put_sin6(unsigned char *p, const char *a)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	REQUIRE_EQ(inet_pton(AF_INET6, a, &sin6.sin6_addr), 1);
	memcpy(p, &sin6, sizeof(sin6));
	return RT_ROUNDUP(sizeof(sin6));
}

static int
rt6_do(int s, int type, int seq, const char *dst, const char *mask,
    int ifindex, char *gotmask)
{
	unsigned char buf[512];
	struct rt_msghdr *rtm = (struct rt_msghdr *)(void *)buf;
	struct rt_sockaddr_ll sll;
	struct sockaddr_in6 m6;
	size_t off = sizeof(*rtm);
	ssize_t n;
	int error = 0;

	memset(buf, 0, sizeof(buf));
	rtm->rtm_version = RTM_VERSION;
	rtm->rtm_type = (uint8_t)type;
	rtm->rtm_seq = seq;
	off += put_sin6(buf + off, dst);
	rtm->rtm_addrs = RTA_DST;
	if (mask != NULL) {
		off += put_sin6(buf + off, mask);
		rtm->rtm_addrs |= RTA_NETMASK;
	}
	if (ifindex != 0) {
		memset(&sll, 0, sizeof(sll));
		sll.sll_family = AF_PACKET;
		sll.sll_ifindex = ifindex;
		memcpy(buf + off, &sll, sizeof(sll));
		off += RT_ROUNDUP(sizeof(sll));
		rtm->rtm_addrs |= RTA_IFP;
	}
	rtm->rtm_msglen = (uint16_t)off;
	errno = 0;
	if (rump_sys_write(s, buf, off) != (ssize_t)off)
		error = errno;
	do {
		REQUIRE((n = rump_sys_recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT_,
		    NULL, NULL)) >= (ssize_t)sizeof(*rtm));
	} while (rtm->rtm_seq != seq);
	REQUIRE_EQ(rtm->rtm_errno, error);
	if (error == 0 && gotmask != NULL) {
		/* DST (32), NETMASK (32) when not a host route. */
		REQUIRE(rtm->rtm_addrs & RTA_NETMASK);
		memcpy(&m6, buf + sizeof(*rtm) + 32, sizeof(m6));
		REQUIRE_EQ(m6.sin6_family, AF_INET6);
		inet_ntop(AF_INET6, &m6.sin6_addr, gotmask, INET6_ADDRSTRLEN);
	}
	return error;
}

TESTCASE(route_lpm_ipv6)
{
	char m[INET6_ADDRSTRLEN];
	int s = rtsock();

	REQUIRE_EQ(rt6_do(s, RTM_ADD, 1, "2001:db8::", "ffff:ffff::", 1, NULL), 0);
	REQUIRE_EQ(rt6_do(s, RTM_ADD, 2, "2001:db8:1::", "ffff:ffff:ffff::", 1,
	    NULL), 0);
	REQUIRE_EQ(rt6_do(s, RTM_ADD, 3, "2001:db8:1:2::", "ffff:ffff:ffff:ff80::",
	    1, NULL), 0);
	REQUIRE_EQ(rt6_do(s, RTM_ADD, 4, "2001:db8:1::", "ffff:ffff:ffff::", 1,
	    NULL), EEXIST);
	REQUIRE_EQ(rt6_do(s, RTM_GET, 5, "2001:db8:1:2::1", NULL, 0, m), 0);
	REQUIRE_EQ(strcmp(m, "ffff:ffff:ffff:ff80::"), 0);
	REQUIRE_EQ(rt6_do(s, RTM_GET, 6, "2001:db8:1:80::1", NULL, 0, m), 0);
	REQUIRE_EQ(strcmp(m, "ffff:ffff:ffff::"), 0);
	REQUIRE_EQ(rt6_do(s, RTM_GET, 7, "2001:db8:ffff::1", NULL, 0, m), 0);
	REQUIRE_EQ(strcmp(m, "ffff:ffff::"), 0);
	REQUIRE_EQ(rt6_do(s, RTM_GET, 8, "2001:db9::1", NULL, 0, m), ESRCH);
	REQUIRE_EQ(rt6_do(s, RTM_DELETE, 9, "2001:db8:1::", "ffff:ffff:ffff::", 0,
	    NULL), 0);
	REQUIRE_EQ(rt6_do(s, RTM_GET, 10, "2001:db8:1:80::1", NULL, 0, m), 0);
	REQUIRE_EQ(strcmp(m, "ffff:ffff::"), 0);
	REQUIRE_OK(rump_sys_close(s));
}

/* What the routing socket cannot show: references, walks, link state. */
TESTCASE(route_internals)
{
	REQUIRE_EQ(rump_test_route_refs(), 0);
	REQUIRE_EQ(rump_test_route_walk(200), 0);
	REQUIRE_EQ(rump_test_route_llinfo(), 0);
}

TESTS(CASE(lo0_after_boot), CASE(unknown_interface), CASE(mtu_and_flags),
    CASE(ifconf_empty), CASE(route_lpm), CASE(route_notify),
    CASE(route_bad_messages), CASE(route_lpm_ipv6), CASE(route_internals))
