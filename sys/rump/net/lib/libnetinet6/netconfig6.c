/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The IPv6 netconfig helpers of <rump/rump_netconfig.h>:
 *
 *   rump_pub_netconfig_ipv6_ifaddr(ifname, addr, prefixlen)
 *   rump_pub_netconfig_ipv6_gw(gw)          ("fe80::1%shmif0" for a
 *                                            link-local router)
 *   rump_pub_netconfig_auto_ipv6(ifname)    up, router solicitations,
 *                                            then wait (about 15 s at
 *                                            most) for a SLAAC address
 *                                            past DAD: ETIMEDOUT if none
 *
 * Addresses are written as RFC 4291 2.2 says (hex groups, one "::",
 * a dotted quad at the end).  Each enters the kernel with
 * rump_schedule() and takes softnet_lock around the change.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet6/in6_var.h>
#include <rump/rump_netconfig.h>

#include "netinet6_private.h"

#define AUTO6_WAIT_MS  15000
#define AUTO6_STEP_MS  50

static int
netconfig6_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Text to an address; len bytes of s (no scope). */
static int
netconfig6_parse(const char *s, size_t len, struct in6_addr *a)
{
	uint16_t g[8];
	int n = 0, gap = -1, i;
	size_t p = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		p = 2;
	} else if (len >= 1 && s[0] == ':')
		return EINVAL;
	while (p < len) {
		unsigned v = 0;
		int digits = 0;

		if (n == 8)
			return EINVAL;
		/* A dotted quad as the last 32 bits. */
		if (memchr(s + p, '.', len - p) != NULL &&
		    memchr(s + p, ':', len - p) == NULL) {
			unsigned q[4], k;

			for (k = 0; k < 4; k++) {
				q[k] = 0;
				digits = 0;
				while (p < len && s[p] >= '0' && s[p] <= '9' &&
				    digits < 3) {
					q[k] = q[k] * 10 + (unsigned)(s[p++] - '0');
					digits++;
				}
				if (digits == 0 || q[k] > 255)
					return EINVAL;
				if (k < 3 && (p >= len || s[p++] != '.'))
					return EINVAL;
			}
			if (p != len || n > 6)
				return EINVAL;
			g[n++] = (uint16_t)(q[0] << 8 | q[1]);
			g[n++] = (uint16_t)(q[2] << 8 | q[3]);
			break;
		}
		while (p < len && netconfig6_hex(s[p]) >= 0 && digits < 4) {
			v = v << 4 | (unsigned)netconfig6_hex(s[p++]);
			digits++;
		}
		if (digits == 0)
			return EINVAL;
		g[n++] = (uint16_t)v;
		if (p == len)
			break;
		if (s[p++] != ':')
			return EINVAL;
		if (p < len && s[p] == ':') {
			if (gap >= 0)
				return EINVAL;
			gap = n;
			p++;
		} else if (p == len)
			return EINVAL;
	}
	if ((gap < 0 && n != 8) || (gap >= 0 && n > 7))
		return EINVAL;
	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		int at = gap >= 0 && i >= gap ? 8 - (n - i) : i;

		be16enc(&a->s6_addr[2 * at], g[i]);
	}
	return 0;
}

static int
netconfig6_ifname(const char *ifname)
{
	if (ifname == NULL)
		return EINVAL;
	if (strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ)
		return ENAMETOOLONG;
	return 0;
}

int
rump_pub_netconfig_ipv6_ifaddr(const char *ifname, const char *addr,
    int prefixlen)
{
	struct in6_addr a;
	struct ifnet *ifp;
	int error;

	if ((error = netconfig6_ifname(ifname)) != 0)
		return error;
	if (addr == NULL || prefixlen < 1 || prefixlen > 128)
		return EINVAL;
	if ((error = netconfig6_parse(addr, strlen(addr), &a)) != 0)
		return error;
	rump_schedule();
	if ((ifp = if_get_byname(ifname)) == NULL)
		error = ENXIO;
	else {
		mutex_enter(softnet_lock);
		error = in6_ifaddr_add(ifp, &a, prefixlen, ~0u, ~0u, 0, NULL);
		mutex_exit(softnet_lock);
		if_release(ifp);
	}
	rump_unschedule();
	return error;
}

int
rump_pub_netconfig_ipv6_gw(const char *gw)
{
	struct sockaddr_in6 dst, mask, gate;
	struct rt_addrinfo info;
	struct ifnet *ifp = NULL;
	struct in6_addr a;
	const char *pct;
	int error;

	if (gw == NULL)
		return EINVAL;
	pct = strchr(gw, '%');
	if ((error = netconfig6_parse(gw, pct != NULL ? (size_t)(pct - gw) :
	    strlen(gw), &a)) != 0)
		return error;
	if (IN6_IS_ADDR_MULTICAST(&a) || IN6_IS_ADDR_UNSPECIFIED(&a))
		return EINVAL;
	if (pct != NULL && netconfig6_ifname(pct + 1) != 0)
		return EINVAL;
	in6_sin6(&dst, &in6addr_any, 0, 0);
	in6_sin6(&mask, &in6addr_any, 0, 0);
	in6_sin6(&gate, &a, 0, 0);
	memset(&info, 0, sizeof(info));
	info.rti_dst = (const struct sockaddr *)&dst;
	info.rti_netmask = (const struct sockaddr *)&mask;
	info.rti_gateway = (const struct sockaddr *)&gate;
	info.rti_flags = RTF_GATEWAY | RTF_STATIC;
	rump_schedule();
	if (pct != NULL && (ifp = if_get_byname(pct + 1)) == NULL) {
		rump_unschedule();
		return ENXIO;
	}
	if (ifp == NULL && IN6_IS_ADDR_LINKLOCAL(&a)) {
		rump_unschedule();
		return EINVAL;          /* which link? */
	}
	info.rti_ifp = ifp;
	mutex_enter(softnet_lock);
	error = rtrequest(RTM_ADD, &info, NULL);
	mutex_exit(softnet_lock);
	if (ifp != NULL)
		if_release(ifp);
	rump_unschedule();
	return error;
}

static bool
netconfig6_have_auto(struct ifnet *ifp)
{
	struct in6_ifaddr *ia;

	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list)
		if (ia->ia_ifa.ifa_ifp == ifp &&
		    (ia->ia_flags & IN6_IFF_AUTOCONF) != 0 &&
		    in6_ifaddr_usable(ia))
			return true;
	return false;
}

int
rump_pub_netconfig_auto_ipv6(const char *ifname)
{
	struct ifnet *ifp;
	int error, waited;
	bool done = false;

	if ((error = netconfig6_ifname(ifname)) != 0)
		return error;
	rump_schedule();
	if ((ifp = if_get_byname(ifname)) == NULL) {
		rump_unschedule();
		return ENXIO;
	}
	mutex_enter(softnet_lock);
	if ((ifp->if_flags & IFF_UP) == 0)
		error = if_up(ifp);     /* its RS start one tick later */
	else
		nd6_rs_start(ifp);
	mutex_exit(softnet_lock);
	for (waited = 0; error == 0 && waited < AUTO6_WAIT_MS;
	    waited += AUTO6_STEP_MS) {
		mutex_enter(softnet_lock);
		done = netconfig6_have_auto(ifp);
		mutex_exit(softnet_lock);
		if (done)
			break;
		(void)kpause("auto6", false,
		    nstohz((uint64_t)AUTO6_STEP_MS * 1000000ULL), NULL);
	}
	if (error == 0 && !done)
		error = ETIMEDOUT;
	if_release(ifp);
	rump_unschedule();
	return error;
}
