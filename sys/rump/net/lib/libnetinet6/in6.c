/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 addresses of interfaces (RFC 4291) and the per-interface state
 * of the family.
 *
 * Every Ethernet interface gets fe80::/64 with an interface identifier
 * from its MAC (modified EUI-64, RFC 4291 appendix A) when it attaches,
 * or an RFC 7217 one when net.inet6.ip6.stable_privacy is 1; lo0 gets
 * ::1/128 at netinet6's init.  A new address on a multicast-capable
 * interface is tentative and joins its solicited-node group; duplicate
 * address detection (nd6_nbr.c) runs once the interface is up.  Global
 * addresses install their prefix route; link-local ones need none
 * (their interface comes with the destination's scope).
 *
 * The interface coming up is seen by wrapping the driver's if_init
 * (interfaces know no protocol): a callout one tick later, when IFF_UP
 * is set, starts DAD of the tentative addresses, MLD reports and router
 * solicitations.
 *
 * Locking: softnet_lock for all of it.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <net/rtsock.h>
#include <netinet/in.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

struct in6_ifaddrhead in6_ifaddrhead = TAILQ_HEAD_INITIALIZER(in6_ifaddrhead);

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;
const struct in6_addr in6addr_linklocal_allnodes = { { {
    0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };
const struct in6_addr in6addr_linklocal_allrouters = { { {
    0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } } };
const struct in6_addr in6addr_linklocal_mldv2routers = { { {
    0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16 } } };

bool
in6_prefix_match(const struct in6_addr *a, const struct in6_addr *b, int plen)
{
	int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, (size_t)bytes) != 0)
		return false;
	if (bits == 0)
		return true;
	return ((a->s6_addr[bytes] ^ b->s6_addr[bytes]) &
	    (0xff00 >> bits)) == 0;
}

void
in6_prefixmask(struct in6_addr *m, int plen)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 16 && plen > 0; i++, plen -= 8)
		m->s6_addr[i] = plen >= 8 ? 0xff : (uint8_t)(0xff00 >> plen);
}

void
in6_solicited_node(struct in6_addr *out, const struct in6_addr *a)
{
	/* RFC 4291 2.7.1: ff02::1:ff00:0/104 and the low 24 bits. */
	memset(out, 0, sizeof(*out));
	out->s6_addr[0] = 0xff;
	out->s6_addr[1] = 0x02;
	out->s6_addr[11] = 0x01;
	out->s6_addr[12] = 0xff;
	memcpy(&out->s6_addr[13], &a->s6_addr[13], 3);
}

int
in6_scope(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_MULTICAST(a))
		return a->s6_addr[1] & 0x0f;
	if (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_LOOPBACK(a))
		return 2;
	return 14;
}

void
in6_sin6(struct sockaddr_in6 *sin6, const struct in6_addr *a, uint16_t port,
    uint32_t scope)
{
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = port;
	sin6->sin6_addr = *a;
	sin6->sin6_scope_id = scope;
}

char *
in6_fmt(char *buf, const struct in6_addr *a)
{
	snprintf(buf, 46, "%x:%x:%x:%x:%x:%x:%x:%x",
	    be16dec(&a->s6_addr[0]), be16dec(&a->s6_addr[2]),
	    be16dec(&a->s6_addr[4]), be16dec(&a->s6_addr[6]),
	    be16dec(&a->s6_addr[8]), be16dec(&a->s6_addr[10]),
	    be16dec(&a->s6_addr[12]), be16dec(&a->s6_addr[14]));
	return buf;
}

struct in6_ifaddr *
in6_ifaddr_lookup(const struct in6_addr *a, const struct ifnet *ifp)
{
	struct in6_ifaddr *ia;
	bool ll = IN6_IS_ADDR_LINKLOCAL(a);

	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list) {
		if (!IN6_ARE_ADDR_EQUAL(&ia->ia_addr, a))
			continue;
		if (ll && ifp != NULL && ia->ia_ifa.ifa_ifp != ifp &&
		    (ifp->if_flags & IFF_LOOPBACK) == 0)
			continue;
		return ia;
	}
	return NULL;
}

bool
in6_ifaddr_usable(const struct in6_ifaddr *ia)
{
	return (ia->ia_flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED |
	    IN6_IFF_DETACHED)) == 0;
}

struct in6_ifaddr *
in6_ifaddr_linklocal(const struct ifnet *ifp)
{
	struct in6_ifaddr *ia;

	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list)
		if (ia->ia_ifa.ifa_ifp == ifp &&
		    IN6_IS_ADDR_LINKLOCAL(&ia->ia_addr) &&
		    in6_ifaddr_usable(ia))
			return ia;
	return NULL;
}

static int
in6_common_bits(const struct in6_addr *a, const struct in6_addr *b)
{
	int i, n = 0;

	for (i = 0; i < 16; i++) {
		uint8_t x = a->s6_addr[i] ^ b->s6_addr[i];

		if (x == 0) {
			n += 8;
			continue;
		}
		while ((x & 0x80) == 0) {
			n++;
			x <<= 1;
		}
		break;
	}
	return n;
}

struct in6_ifaddr *
in6_selectsrc(const struct in6_addr *dst, struct ifnet *ifp)
{
	struct in6_ifaddr *ia, *best = NULL;
	int dscope = in6_scope(dst), bscore = -1;

	/* Our own address as the destination is its own source. */
	if ((ia = in6_ifaddr_lookup(dst, NULL)) != NULL && in6_ifaddr_usable(ia))
		return ia;
	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list) {
		int score;

		if (ia->ia_ifa.ifa_ifp != ifp || !in6_ifaddr_usable(ia))
			continue;
		/* RFC 6724 rules 2, 3 and 8, in that order of weight. */
		score = in6_scope(&ia->ia_addr) == dscope ? 1000 :
		    in6_scope(&ia->ia_addr) > dscope ? 500 : 0;
		if ((ia->ia_flags & IN6_IFF_DEPRECATED) == 0)
			score += 200;
		score += in6_common_bits(&ia->ia_addr, dst);
		if (score > bscore) {
			bscore = score;
			best = ia;
		}
	}
	return best;
}

static void
in6_ifafree(struct ifaddr *ifa)
{
	kmem_free(ifatoia6(ifa), sizeof(struct in6_ifaddr));
}

CTASSERT(IN6_IFF_TENTATIVE == RT_IN6_TENTATIVE);
CTASSERT(IN6_IFF_DUPLICATED == RT_IN6_DUPLICATED);
CTASSERT(IN6_IFF_DEPRECATED == RT_IN6_DEPRECATED);
CTASSERT(IN6_IFF_AUTOCONF == RT_IN6_AUTOCONF);
CTASSERT(IN6_IFF_DETACHED == RT_IN6_DETACHED);

/* The routing socket's ifam_addrflags (<net/rtsock.h> RT_IN6_*). */
static int
in6_ifagetflags(const struct ifaddr *ifa)
{
	return ifatoia6(ifa)->ia_flags & (IN6_IFF_TENTATIVE |
	    IN6_IFF_DUPLICATED | IN6_IFF_DEPRECATED | IN6_IFF_AUTOCONF |
	    IN6_IFF_DETACHED);
}

static void
in6_prefix_sa(struct in6_ifaddr *ia, struct sockaddr_in6 *dst,
    struct sockaddr_in6 *mask)
{
	struct in6_addr m;
	int i;

	in6_prefixmask(&m, ia->ia_plen);
	in6_sin6(mask, &m, 0, 0);
	in6_sin6(dst, &ia->ia_addr, 0, 0);
	for (i = 0; i < 16; i++)
		dst->sin6_addr.s6_addr[i] &= m.s6_addr[i];
}

static void
in6_ifaddr_route(struct in6_ifaddr *ia)
{
	struct rt_addrinfo info;
	struct sockaddr_in6 dst, mask;

	if (IN6_IS_ADDR_LINKLOCAL(&ia->ia_addr) || ia->ia_plen >= 128 ||
	    (ia->ia_ifa.ifa_ifp->if_flags & IFF_LOOPBACK) != 0)
		return;
	in6_prefix_sa(ia, &dst, &mask);
	memset(&info, 0, sizeof(info));
	info.rti_dst = (struct sockaddr *)&dst;
	info.rti_netmask = (struct sockaddr *)&mask;
	info.rti_ifp = ia->ia_ifa.ifa_ifp;
	info.rti_ifa = &ia->ia_ifa;
	info.rti_flags = RTF_CONNECTED;
	if (rtrequest(RTM_ADD, &info, NULL) == 0) {
		ia->ia_flags |= IN6_IFF_PREFIXRT;
		ia->ia_ifa.ifa_flags |= IFA_ROUTE;
	}
}

static void
in6_ifaddr_unroute(struct in6_ifaddr *ia)
{
	struct rt_addrinfo info;
	struct sockaddr_in6 dst, mask;
	struct rtentry *rt;

	if ((ia->ia_flags & IN6_IFF_PREFIXRT) == 0)
		return;
	in6_prefix_sa(ia, &dst, &mask);
	memset(&info, 0, sizeof(info));
	info.rti_dst = (struct sockaddr *)&dst;
	info.rti_netmask = (struct sockaddr *)&mask;
	rt = rtlookup(info.rti_dst, info.rti_netmask);
	if (rt != NULL) {
		if (rt->rt_ifa == &ia->ia_ifa)
			(void)rtrequest(RTM_DELETE, &info, NULL);
		rtfree(rt);
	}
	ia->ia_flags &= ~IN6_IFF_PREFIXRT;
	ia->ia_ifa.ifa_flags &= ~IFA_ROUTE;
}

static uint64_t
in6_lifetime(uint32_t s)
{
	if (s == ~0u)
		return 0;
	return getnsecuptime() + (uint64_t)s * 1000000000ULL + 1;
}

static void
in6_dad_timeout(void *arg)
{
	struct in6_ifaddr *ia = arg;

	mutex_enter(softnet_lock);
	if (!callout_expired(&ia->ia_dadtimer) ||
	    (ia->ia_flags & IN6_IFF_DETACHED) != 0) {
		mutex_exit(softnet_lock);
		return;
	}
	nd6_dad_timer(ia);
	mutex_exit(softnet_lock);
}

int
in6_ifaddr_add(struct ifnet *ifp, const struct in6_addr *addr, int plen,
    uint32_t vltime, uint32_t pltime, int flags, struct in6_ifaddr **iap)
{
	struct in6_ifaddr *ia;
	struct in6_addr mask, sol;
	struct sockaddr_in6 *sin6;
	int error = 0;
	bool dad;

	KASSERT(mutex_owned(softnet_lock));
	if (plen < 1 || plen > 128 || IN6_IS_ADDR_MULTICAST(addr) ||
	    IN6_IS_ADDR_UNSPECIFIED(addr) || IN6_IS_ADDR_V4MAPPED(addr))
		return EINVAL;
	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list) {
		if (ia->ia_ifa.ifa_ifp == ifp &&
		    IN6_ARE_ADDR_EQUAL(&ia->ia_addr, addr)) {
			ia->ia_valid = in6_lifetime(vltime);
			ia->ia_preferred = in6_lifetime(pltime);
			if (pltime != 0 &&
			    (ia->ia_flags & IN6_IFF_DEPRECATED) != 0) {
				ia->ia_flags &= ~IN6_IFF_DEPRECATED;
				rt_addrmsg(RTM_CHGADDR, &ia->ia_ifa);
			}
			if (iap != NULL)
				*iap = ia;
			nd6_rtr_timer_update();
			return EEXIST;
		}
	}
	if ((ia = kmem_zalloc(sizeof(*ia), KM_NOSLEEP)) == NULL)
		return ENOBUFS;
	ia->ia_addr = *addr;
	ia->ia_plen = plen;
	ia->ia_flags = flags;
	ia->ia_valid = in6_lifetime(vltime);
	ia->ia_preferred = in6_lifetime(pltime);
	if (pltime == 0)
		ia->ia_flags |= IN6_IFF_DEPRECATED;
	callout_init(&ia->ia_dadtimer, CALLOUT_MPSAFE);
	callout_setfunc(&ia->ia_dadtimer, in6_dad_timeout, ia);
	sin6 = (struct sockaddr_in6 *)&ia->ia_ifa.ifa_addr;
	in6_sin6(sin6, addr, 0, IN6_IS_ADDR_LINKLOCAL(addr) ? ifp->if_index : 0);
	in6_prefixmask(&mask, plen);
	in6_sin6((struct sockaddr_in6 *)&ia->ia_ifa.ifa_netmask, &mask, 0, 0);
	ia->ia_ifa.ifa_addrlen = sizeof(struct sockaddr_in6);
	ia->ia_ifa.ifa_free = in6_ifafree;
	ia->ia_ifa.ifa_getflags = in6_ifagetflags;
	ia->ia_ifa.ifa_refcnt = 1;              /* in6_ifaddrhead's */
	dad = (ifp->if_flags & IFF_LOOPBACK) == 0 &&
	    (ifp->if_flags & IFF_MULTICAST) != 0;
	if (dad)
		ia->ia_flags |= IN6_IFF_TENTATIVE;
	ifa_insert(ifp, &ia->ia_ifa);
	TAILQ_INSERT_TAIL(&in6_ifaddrhead, ia, ia_list);
	in6_ifaddr_route(ia);
	if (dad) {
		in6_solicited_node(&sol, addr);
		ia->ia_solmulti = in6_addmulti(&sol, ifp, &error);
		if ((ifp->if_flags & IFF_UP) != 0)
			nd6_dad_start(ia);
	}
	if (iap != NULL)
		*iap = ia;
	nd6_rtr_timer_update();
	return 0;
}

void
in6_ifaddr_remove(struct in6_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	KASSERT(mutex_owned(softnet_lock));
	ia->ia_flags |= IN6_IFF_DETACHED;
	callout_halt(&ia->ia_dadtimer, (struct kmutex *)softnet_lock);
	callout_destroy(&ia->ia_dadtimer);
	in6_ifaddr_unroute(ia);
	if (ia->ia_solmulti != NULL)
		in6_delmulti(ia->ia_solmulti);
	ia->ia_solmulti = NULL;
	TAILQ_REMOVE(&in6_ifaddrhead, ia, ia_list);
	ifa_remove(ifp, &ia->ia_ifa);
	ifa_release(&ia->ia_ifa);
}

int
in6_ifaddr_delete(struct ifnet *ifp, const struct in6_addr *addr)
{
	struct in6_ifaddr *ia;

	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list) {
		if (ia->ia_ifa.ifa_ifp == ifp &&
		    IN6_ARE_ADDR_EQUAL(&ia->ia_addr, addr)) {
			in6_ifaddr_remove(ia);
			return 0;
		}
	}
	return EADDRNOTAVAIL;
}

uint64_t
in6_ifaddr_expire(uint64_t now)
{
	struct in6_ifaddr *ia, *next;
	uint64_t first = 0;

	TAILQ_FOREACH_SAFE(ia, &in6_ifaddrhead, ia_list, next) {
		if (ia->ia_valid != 0 && ia->ia_valid <= now) {
			in6_ifaddr_remove(ia);
			continue;
		}
		if (ia->ia_preferred != 0 && ia->ia_preferred <= now) {
			if ((ia->ia_flags & IN6_IFF_DEPRECATED) == 0) {
				ia->ia_flags |= IN6_IFF_DEPRECATED;
				rt_addrmsg(RTM_CHGADDR, &ia->ia_ifa);
			}
		} else if (ia->ia_preferred != 0 &&
		    (first == 0 || ia->ia_preferred < first))
			first = ia->ia_preferred;
		if (ia->ia_valid != 0 && (first == 0 || ia->ia_valid < first))
			first = ia->ia_valid;
	}
	return first;
}

/* The link-local address of an Ethernet interface (RFC 4862 5.3). */
static void
in6_ifattach_linklocal(struct ifnet *ifp)
{
	struct in6_addr a;

	memset(&a, 0, sizeof(a));
	a.s6_addr[0] = 0xfe;
	a.s6_addr[1] = 0x80;
	if (ip6_stable_privacy)
		nd6_stable_iid(ifp, &a, 0, &a.s6_addr[8]);
	else {
		/* Modified EUI-64: the U/L bit inverted, ff:fe in the middle. */
		a.s6_addr[8] = ifp->if_lladdr[0] ^ 0x02;
		a.s6_addr[9] = ifp->if_lladdr[1];
		a.s6_addr[10] = ifp->if_lladdr[2];
		a.s6_addr[11] = 0xff;
		a.s6_addr[12] = 0xfe;
		a.s6_addr[13] = ifp->if_lladdr[3];
		a.s6_addr[14] = ifp->if_lladdr[4];
		a.s6_addr[15] = ifp->if_lladdr[5];
	}
	if (in6_ifaddr_add(ifp, &a, 64, ~0u, ~0u,
	    ip6_stable_privacy ? IN6_IFF_STABLE : 0, NULL) != 0)
		log(LOG_WARNING, "%s: no IPv6 link-local address\n",
		    ifp->if_xname);
}

/* One tick after if_init: the interface is up now. */
static void
in6_ifup_timeout(void *arg)
{
	struct in6_ifextra *ie = arg;
	struct ifnet *ifp = ie->ie_ifp;
	struct in6_ifaddr *ia;

	mutex_enter(softnet_lock);
	if (!callout_expired(&ie->ie_uptimer) ||
	    (ifp->if_flags & IFF_UP) == 0 || ifp->if_detaching) {
		mutex_exit(softnet_lock);
		return;
	}
	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list)
		if (ia->ia_ifa.ifa_ifp == ifp &&
		    (ia->ia_flags & IN6_IFF_TENTATIVE) != 0)
			nd6_dad_start(ia);
	mld6_ifup(ifp);
	if (ifp->if_type == IFT_ETHER)
		nd6_rs_start(ifp);
	mutex_exit(softnet_lock);
}

static int
in6_if_init(struct ifnet *ifp)
{
	struct in6_ifextra *ie = IN6_IFEXTRA(ifp);
	int error = 0;

	KASSERT(mutex_owned(softnet_lock));
	if (ie->ie_if_init != NULL && (error = ie->ie_if_init(ifp)) != 0)
		return error;
	callout_schedule(&ie->ie_uptimer, 1);
	return 0;
}

void *
in6_domifattach(struct ifnet *ifp)
{
	struct in6_ifextra *ie;

	KASSERT(mutex_owned(softnet_lock));
	if ((ie = kmem_zalloc(sizeof(*ie), KM_NOSLEEP)) == NULL)
		return NULL;
	ie->ie_ifp = ifp;
	ie->ie_retrans_ms = 1000;
	ie->ie_reachable_ms = 30000;
	callout_init(&ie->ie_uptimer, CALLOUT_MPSAFE);
	callout_setfunc(&ie->ie_uptimer, in6_ifup_timeout, ie);
	callout_init(&ie->ie_rstimer, CALLOUT_MPSAFE);
	callout_setfunc(&ie->ie_rstimer, nd6_rs_timeout, ie);
	ie->ie_if_init = ifp->if_init;
	ifp->if_init = in6_if_init;
	ifp->if_afdata[AF_INET6] = ie;
	if (ifp->if_type == IFT_ETHER)
		in6_ifattach_linklocal(ifp);
	return ie;
}

void
in6_domifdetach(struct ifnet *ifp, void *aux)
{
	struct in6_ifextra *ie = aux;

	KASSERT(mutex_owned(softnet_lock));
	if (ie == NULL)
		return;
	/* The addresses went with pr_purgeif (in6_purgeif) before this. */
	in6_purgeif(ifp);
	ifp->if_init = ie->ie_if_init;
	callout_halt(&ie->ie_uptimer, (struct kmutex *)softnet_lock);
	callout_halt(&ie->ie_rstimer, (struct kmutex *)softnet_lock);
	ifp->if_afdata[AF_INET6] = NULL;
	callout_destroy(&ie->ie_uptimer);
	callout_destroy(&ie->ie_rstimer);
	kmem_free(ie, sizeof(*ie));
}

void
in6_purgeif(struct ifnet *ifp)
{
	struct in6_ifaddr *ia, *next;

	KASSERT(mutex_owned(softnet_lock));
	in6_pcbpurgeif(ifp);
	nd6_rtr_purge(ifp);
	TAILQ_FOREACH_SAFE(ia, &in6_ifaddrhead, ia_list, next)
		if (ia->ia_ifa.ifa_ifp == ifp)
			in6_ifaddr_remove(ia);
	nd6_purge(ifp);
	mld6_purgeif(ifp);
	frag6_purgeif(ifp);
}

void
in6_init(void)
{
	mutex_enter(softnet_lock);
	if (lo0ifp != NULL && in6_ifaddr_lookup(&in6addr_loopback, NULL) == NULL &&
	    in6_ifaddr_add(lo0ifp, &in6addr_loopback, 128, ~0u, ~0u, 0,
	    NULL) != 0)
		log(LOG_ERR, "netinet6: cannot add ::1 to lo0\n");
	mutex_exit(softnet_lock);
}

static bool
in6_privileged(void)
{
	kauth_cred_t cred = kauth_cred_get();

	return cred == NULL || kauth_cred_issuser(cred);
}

/* Seconds from now to the uptime t (0: infinite, ~0u). */
static uint32_t
in6_lifetime_left(uint64_t t, uint64_t now)
{
	if (t == 0)
		return ~0u;
	if (t <= now)
		return 0;
	return (uint32_t)MIN((t - now) / 1000000000ULL, 0xfffffffeULL);
}

/* SIOCGIFALIFETIME: an address's flags and lifetimes left. */
static int
in6_getlifetime(struct in6_ifalifetime *ifal)
{
	struct in6_ifaddr *ia;
	struct ifnet *ifp;
	uint64_t now = getnsecuptime();

	KASSERT(mutex_owned(softnet_lock));
	if ((ifp = if_get_byindex((unsigned)ifal->ifal_ifindex)) == NULL)
		return ENODEV;
	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list)
		if (ia->ia_ifa.ifa_ifp == ifp &&
		    IN6_ARE_ADDR_EQUAL(&ia->ia_addr, &ifal->ifal_addr))
			break;
	if_release(ifp);
	if (ia == NULL)
		return EADDRNOTAVAIL;
	ifal->ifal_flags = (uint32_t)in6_ifagetflags(&ia->ia_ifa);
	ifal->ifal_pltime = in6_lifetime_left(ia->ia_preferred, now);
	ifal->ifal_vltime = in6_lifetime_left(ia->ia_valid, now);
	return 0;
}

/*
 * Linux's SIOCSIFADDR and SIOCDIFADDR on an AF_INET6 socket: data is a
 * kernel copy of a struct in6_ifreq naming the interface by index;
 * SIOCGIFALIFETIME's a struct in6_ifalifetime.  softnet_lock (the
 * socket's lock) held.
 */
int
in6_control(struct socket *so, unsigned long cmd, void *data, struct ifnet *ifp)
{
	struct in6_ifreq *ifr6 = data;
	int error;

	(void)so;
	(void)ifp;
	if (cmd == SIOCGIFALIFETIME)
		return in6_getlifetime(data);
	if (cmd != SIOCSIFADDR && cmd != SIOCDIFADDR)
		return EOPNOTSUPP;
	if (!in6_privileged())
		return EPERM;
	if (ifr6->ifr6_prefixlen > 128)
		return EINVAL;
	KASSERT(mutex_owned(softnet_lock));
	if ((ifp = if_get_byindex((unsigned)ifr6->ifr6_ifindex)) == NULL)
		return ENODEV;
	if (cmd == SIOCSIFADDR)
		error = in6_ifaddr_add(ifp, &ifr6->ifr6_addr,
		    (int)ifr6->ifr6_prefixlen, ~0u, ~0u, 0, NULL);
	else
		error = in6_ifaddr_delete(ifp, &ifr6->ifr6_addr);
	if_release(ifp);
	return error;
}
