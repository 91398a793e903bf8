/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The netconfig helpers (<rump/rump_netconfig.h>): interface creation,
 * state, link strings, IPv4 addresses and the default route, from
 * strings, for clients that do not want to build ioctls.
 *
 * Each function enters the kernel (rump_schedule) and does what a
 * configuring program would: cloner calls, SIOCSIFFLAGS's if_up/if_down,
 * the address through a kernel AF_INET socket's SIOCSIFADDR and
 * SIOCSIFNETMASK (netinet's in_control answers them), the default route
 * with rtrequest.  No lock is held on entry; softnet_lock is taken where
 * interface state or the routing table change.
 */
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <rump/rump_netconfig.h>

/* A dotted quad, each part 0..255 in decimal, nothing else. */
static int
netconfig_parse_ipv4(const char *s, struct in_addr *ina)
{
	uint32_t a = 0;
	unsigned v;
	int parts, digits;

	if (s == NULL)
		return EINVAL;
	for (parts = 0; parts < 4; parts++) {
		if (parts > 0 && *s++ != '.')
			return EINVAL;
		for (v = 0, digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			v = v * 10 + (unsigned)(*s - '0');
			if (digits > 2 || v > 255)
				return EINVAL;
		}
		if (digits == 0)
			return EINVAL;
		a = (a << 8) | v;
	}
	if (*s != '\0')
		return EINVAL;
	ina->s_addr = htonl(a);
	return 0;
}

static void
netconfig_sin(struct sockaddr_in *sin, struct in_addr a)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
}

static int
netconfig_name(const char *ifname)
{
	if (ifname == NULL)
		return EINVAL;
	if (strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ)
		return ENAMETOOLONG;
	return 0;
}

int
rump_pub_netconfig_ifcreate(const char *ifname)
{
	int error;

	if ((error = netconfig_name(ifname)) != 0)
		return error;
	rump_schedule();
	error = if_clone_create(ifname);
	rump_unschedule();
	return error;
}

int
rump_pub_netconfig_ifdestroy(const char *ifname)
{
	int error;

	if ((error = netconfig_name(ifname)) != 0)
		return error;
	rump_schedule();
	error = if_clone_destroy(ifname);
	rump_unschedule();
	return error;
}

static int
netconfig_updown(const char *ifname, bool up)
{
	struct ifnet *ifp;
	int error;

	if ((error = netconfig_name(ifname)) != 0)
		return error;
	rump_schedule();
	if ((ifp = if_get_byname(ifname)) == NULL) {
		error = ENXIO;
	} else {
		mutex_enter(softnet_lock);
		if (up)
			error = if_up(ifp);
		else
			if_down(ifp);
		mutex_exit(softnet_lock);
		if_release(ifp);
	}
	rump_unschedule();
	return error;
}

int
rump_pub_netconfig_ifup(const char *ifname)
{
	return netconfig_updown(ifname, true);
}

int
rump_pub_netconfig_ifdown(const char *ifname)
{
	return netconfig_updown(ifname, false);
}

int
rump_pub_netconfig_ifsetlinkstr(const char *ifname, const char *linkstr)
{
	int error;

	if ((error = netconfig_name(ifname)) != 0)
		return error;
	if (linkstr == NULL)
		return EINVAL;
	rump_schedule();
	error = if_linkstr_set(ifname, linkstr);
	rump_unschedule();
	return error;
}

int
rump_pub_netconfig_ifunsetlinkstr(const char *ifname)
{
	int error;

	if ((error = netconfig_name(ifname)) != 0)
		return error;
	rump_schedule();
	error = if_linkstr_unset(ifname);
	rump_unschedule();
	return error;
}

/* SIOCSIFADDR then SIOCSIFNETMASK through a kernel AF_INET socket. */
static int
netconfig_setaddr(const char *ifname, struct in_addr addr, struct in_addr mask)
{
	struct socket *so;
	struct ifreq ifr;
	int error;

	error = socreate(AF_INET, &so, SOCK_DGRAM, 0, curlwp, NULL);
	if (error != 0)
		return error;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifname, IFNAMSIZ);
	netconfig_sin((struct sockaddr_in *)(void *)&ifr.ifr_addr, addr);
	error = ifioctl(so, SIOCSIFADDR, &ifr, curlwp);
	if (error == 0) {
		netconfig_sin((struct sockaddr_in *)(void *)&ifr.ifr_netmask,
		    mask);
		error = ifioctl(so, SIOCSIFNETMASK, &ifr, curlwp);
	}
	soclose(so);
	return error;
}

static int
netconfig_ipv4(const char *ifname, const char *addr, struct in_addr mask)
{
	struct in_addr a;
	int error;

	if ((error = netconfig_name(ifname)) != 0)
		return error;
	if ((error = netconfig_parse_ipv4(addr, &a)) != 0)
		return error;
	rump_schedule();
	error = netconfig_setaddr(ifname, a, mask);
	rump_unschedule();
	return error;
}

int
rump_pub_netconfig_ipv4_ifaddr(const char *ifname, const char *addr,
    const char *mask)
{
	struct in_addr m;
	uint32_t h;
	int error;

	if ((error = netconfig_parse_ipv4(mask, &m)) != 0)
		return error;
	h = ntohl(m.s_addr);
	if ((~h & (~h + 1)) != 0)
		return EINVAL;          /* the ones must come first */
	return netconfig_ipv4(ifname, addr, m);
}

int
rump_pub_netconfig_ipv4_ifaddr_cidr(const char *ifname, const char *addr,
    int prefixlen)
{
	struct in_addr m;

	if (prefixlen < 0 || prefixlen > 32)
		return EINVAL;
	m.s_addr = htonl(prefixlen == 0 ? 0 : 0xffffffffu << (32 - prefixlen));
	return netconfig_ipv4(ifname, addr, m);
}

int
rump_pub_netconfig_ipv4_gw(const char *gw)
{
	struct sockaddr_in dst, mask, gate;
	struct rt_addrinfo info;
	struct in_addr a, any;
	int error;

	if ((error = netconfig_parse_ipv4(gw, &a)) != 0)
		return error;
	any.s_addr = 0;
	netconfig_sin(&dst, any);
	netconfig_sin(&mask, any);
	netconfig_sin(&gate, a);
	memset(&info, 0, sizeof(info));
	info.rti_dst = (const struct sockaddr *)&dst;
	info.rti_netmask = (const struct sockaddr *)&mask;
	info.rti_gateway = (const struct sockaddr *)&gate;
	info.rti_flags = RTF_GATEWAY | RTF_STATIC;
	rump_schedule();
	mutex_enter(softnet_lock);
	error = rtrequest(RTM_ADD, &info, NULL);
	mutex_exit(softnet_lock);
	rump_unschedule();
	return error;
}
