/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 addresses of interfaces and multicast groups joined on them.
 *
 * An address comes from in_control (SIOCSIFADDR and friends with
 * Linux's struct ifreq, through the socket layer's pr_ioctl), from the
 * netconfig helpers (in_ifaddr_add), or at boot (127.0.0.1/8 on lo0).
 * Adding installs two routes: the prefix (RTF_CONNECTED, on the
 * interface's link) and the address itself (RTF_LOCAL, through lo0, so
 * packets to our own address loop back); on Ethernet a gratuitous ARP
 * announces it.  Deleting removes both routes and the address.
 *
 * Multicast: in_addmulti/in_delmulti count memberships per (group,
 * interface); the first adds the group's link address with SIOCADDMULTI
 * and starts IGMP's reports, the last leaves.
 *
 * Everything runs under softnet_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <net/rtsock.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/if_ether.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

struct in_ifaddrhead in_ifaddrhead = TAILQ_HEAD_INITIALIZER(in_ifaddrhead);
struct in_multihead in_multihead = LIST_HEAD_INITIALIZER(in_multihead);

static struct in_addr
in_plen2mask(int plen)
{
	struct in_addr m;

	m.s_addr = plen == 0 ? 0 : htonl(0xffffffffu << (32 - plen));
	return m;
}

/* The prefix length of a contiguous mask; -1 if not contiguous. */
static int
in_mask2plen(struct in_addr m)
{
	uint32_t h = ntohl(m.s_addr);
	int plen = 0;

	while (plen < 32 && (h & (0x80000000u >> plen)) != 0)
		plen++;
	if (plen < 32 && (h << plen) != 0)
		return -1;
	return plen;
}

/* Linux's SIOCSIFADDR default: the class's prefix length. */
static int
in_classlen(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	if ((h & 0x80000000u) == 0)
		return 8;
	if ((h & 0xc0000000u) == 0x80000000u)
		return 16;
	if ((h & 0xe0000000u) == 0xc0000000u)
		return 24;
	return 32;
}

static void
in_setsin(struct sockaddr_storage *ss, struct in_addr a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
}

struct in_ifaddr *
in_ifaddr_withaddr(struct in_addr a)
{
	struct in_ifaddr *ia;

	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list)
		if (ia->ia_addr.s_addr == a.s_addr)
			return ia;
	return NULL;
}

struct in_ifaddr *
in_ifaddr_forif(const struct ifnet *ifp)
{
	struct in_ifaddr *ia;

	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list)
		if (ia->ia_ifa.ifa_ifp == ifp)
			return ia;
	return NULL;
}

struct in_ifaddr *
in_ifaddr_forsubnet(const struct ifnet *ifp, struct in_addr a)
{
	struct in_ifaddr *ia;

	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list)
		if (ia->ia_ifa.ifa_ifp == ifp &&
		    (a.s_addr & ia->ia_netmask.s_addr) == ia->ia_subnet.s_addr)
			return ia;
	return in_ifaddr_forif(ifp);
}

bool
in_broadcast(struct in_addr a, const struct ifnet *ifp)
{
	struct in_ifaddr *ia;

	if (a.s_addr == htonl(INADDR_BROADCAST) || a.s_addr == INADDR_ANY)
		return true;
	if (ifp != NULL && (ifp->if_flags & IFF_BROADCAST) == 0)
		return false;
	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list) {
		if (ifp != NULL && ia->ia_ifa.ifa_ifp != ifp)
			continue;
		if ((ia->ia_ifa.ifa_ifp->if_flags & IFF_BROADCAST) == 0 ||
		    ia->ia_plen >= 31)
			continue;
		if (a.s_addr == ia->ia_broadaddr.s_addr ||
		    a.s_addr == (ia->ia_subnet.s_addr | ~ia->ia_netmask.s_addr))
			return true;
	}
	return false;
}

bool
in_canforward(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	if (IN_MULTICAST(h) || IN_EXPERIMENTAL(h))
		return false;
	if ((h >> 24) == 0 || (h >> 24) == IN_LOOPBACKNET)
		return false;
	return true;
}

bool
in_validsrc(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return !IN_MULTICAST(h) && !IN_EXPERIMENTAL(h);
}

static void
in_ifafree(struct ifaddr *ifa)
{
	kmem_free(ifatoia(ifa), sizeof(struct in_ifaddr));
}

static void
in_ifaddr_unroute(struct in_ifaddr *ia)
{
	struct rt_addrinfo info;
	struct sockaddr_in dst, mask;

	memset(&info, 0, sizeof(info));
	memset(&dst, 0, sizeof(dst));
	memset(&mask, 0, sizeof(mask));
	dst.sin_family = mask.sin_family = AF_INET;
	if (ia->ia_flags & IA_LOCALRT) {
		dst.sin_addr = ia->ia_addr;
		info.rti_dst = (struct sockaddr *)&dst;
		(void)rtrequest(RTM_DELETE, &info, NULL);
		ia->ia_flags &= ~IA_LOCALRT;
	}
	if (ia->ia_flags & IA_PREFIXRT) {
		struct rtentry *rt;

		dst.sin_addr = ia->ia_subnet;
		mask.sin_addr = ia->ia_netmask;
		info.rti_dst = (struct sockaddr *)&dst;
		info.rti_netmask = (struct sockaddr *)&mask;
		/* Delete the prefix route only if it is ours. */
		rt = rtlookup(info.rti_dst, info.rti_netmask);
		if (rt != NULL) {
			if (rt->rt_ifa == &ia->ia_ifa)
				(void)rtrequest(RTM_DELETE, &info, NULL);
			rtfree(rt);
		}
		ia->ia_flags &= ~IA_PREFIXRT;
		ia->ia_ifa.ifa_flags &= ~IFA_ROUTE;
	}
}

static void
in_ifaddr_route(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct rt_addrinfo info;
	struct sockaddr_in dst, mask;

	memset(&info, 0, sizeof(info));
	memset(&dst, 0, sizeof(dst));
	memset(&mask, 0, sizeof(mask));
	dst.sin_family = mask.sin_family = AF_INET;
	if (ia->ia_plen < 32) {
		dst.sin_addr = ia->ia_subnet;
		mask.sin_addr = ia->ia_netmask;
		info.rti_dst = (struct sockaddr *)&dst;
		info.rti_netmask = (struct sockaddr *)&mask;
		info.rti_ifp = ifp;
		info.rti_ifa = &ia->ia_ifa;
		info.rti_flags = RTF_CONNECTED;
		if (rtrequest(RTM_ADD, &info, NULL) == 0) {
			ia->ia_flags |= IA_PREFIXRT;
			ia->ia_ifa.ifa_flags |= IFA_ROUTE;
		}
	}
	if (lo0ifp != NULL) {
		memset(&info, 0, sizeof(info));
		dst.sin_addr = ia->ia_addr;
		info.rti_dst = (struct sockaddr *)&dst;
		info.rti_ifp = lo0ifp;
		info.rti_ifa = &ia->ia_ifa;
		info.rti_flags = RTF_LOCAL | RTF_HOST;
		if (rtrequest(RTM_ADD, &info, NULL) == 0)
			ia->ia_flags |= IA_LOCALRT;
	}
}

static void
in_ifaddr_setmask(struct in_ifaddr *ia, int plen, struct in_addr bcast)
{
	ia->ia_plen = plen;
	ia->ia_netmask = in_plen2mask(plen);
	ia->ia_subnet.s_addr = ia->ia_addr.s_addr & ia->ia_netmask.s_addr;
	if (bcast.s_addr == INADDR_ANY)
		bcast.s_addr = plen < 31 ?
		    ia->ia_subnet.s_addr | ~ia->ia_netmask.s_addr : INADDR_ANY;
	ia->ia_broadaddr = bcast;
	in_setsin(&ia->ia_ifa.ifa_netmask, ia->ia_netmask);
	in_setsin(&ia->ia_ifa.ifa_broadaddr, ia->ia_broadaddr);
}

static struct in_ifaddr *
in_ifaddr_onif(const struct ifnet *ifp, struct in_addr addr)
{
	struct in_ifaddr *ia;

	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list)
		if (ia->ia_ifa.ifa_ifp == ifp && ia->ia_addr.s_addr == addr.s_addr)
			return ia;
	return NULL;
}

int
in_ifaddr_add(struct ifnet *ifp, struct in_addr addr, int plen, struct in_addr bcast)
{
	struct in_ifaddr *ia;
	uint32_t h = ntohl(addr.s_addr);

	KASSERT(mutex_owned(softnet_lock));
	if (plen < 0 || plen > 32)
		return EINVAL;
	if (addr.s_addr == INADDR_ANY || IN_MULTICAST(h) || IN_EXPERIMENTAL(h) ||
	    addr.s_addr == htonl(INADDR_BROADCAST))
		return EINVAL;
	if ((ia = in_ifaddr_onif(ifp, addr)) != NULL) {
		in_ifaddr_unroute(ia);
		in_ifaddr_setmask(ia, plen, bcast);
		in_ifaddr_route(ia);
		return 0;
	}
	if ((ia = kmem_zalloc(sizeof(*ia), KM_NOSLEEP)) == NULL)
		return ENOBUFS;
	ia->ia_addr = addr;
	in_setsin(&ia->ia_ifa.ifa_addr, addr);
	ia->ia_ifa.ifa_addrlen = sizeof(struct sockaddr_in);
	ia->ia_ifa.ifa_free = in_ifafree;
	ia->ia_ifa.ifa_refcnt = 1;              /* in_ifaddrhead's */
	in_ifaddr_setmask(ia, plen, bcast);
	ifa_insert(ifp, &ia->ia_ifa);
	TAILQ_INSERT_TAIL(&in_ifaddrhead, ia, ia_list);
	in_ifaddr_route(ia);
	if (ifp->if_type == IFT_ETHER && (ifp->if_flags & IFF_UP) != 0)
		arp_announce(ifp, addr);
	return 0;
}

static void
in_ifaddr_remove(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct ifaddr *ifa;

	in_ifaddr_unroute(ia);
	TAILQ_REMOVE(&in_ifaddrhead, ia, ia_list);
	/* The interface's list may have let it go already (if_detach). */
	TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list)
		if (ifa == &ia->ia_ifa) {
			ifa_remove(ifp, ifa);
			break;
		}
	ifa_release(&ia->ia_ifa);
}

int
in_ifaddr_delete(struct ifnet *ifp, struct in_addr addr)
{
	struct in_ifaddr *ia;

	KASSERT(mutex_owned(softnet_lock));
	if ((ia = in_ifaddr_onif(ifp, addr)) == NULL)
		return EADDRNOTAVAIL;
	in_ifaddr_remove(ia);
	return 0;
}

void
in_purgeif(struct ifnet *ifp)
{
	struct in_ifaddr *ia, *next;
	struct in_multi *inm, *mnext;

	KASSERT(mutex_owned(softnet_lock));
	TAILQ_FOREACH_SAFE(ia, &in_ifaddrhead, ia_list, next)
		if (ia->ia_ifa.ifa_ifp == ifp)
			in_ifaddr_remove(ia);
	arp_purge(ifp);
	ip_reass_purgeif(ifp);
	/* Sockets let go of their memberships first (in_pcbpurgeif). */
	LIST_FOREACH_SAFE(inm, &in_multihead, inm_list, mnext) {
		if (inm->inm_ifp != ifp)
			continue;
		inm->inm_refcount = 1;
		in_delmulti(inm);
	}
}

static bool
in_privileged(void)
{
	kauth_cred_t cred = kauth_cred_get();

	return cred == NULL || kauth_cred_issuser(cred);
}

int
in_control(struct socket *so, unsigned long cmd, void *data, struct ifnet *ifp)
{
	struct ifreq *ifr = data;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr->ifr_addr;
	struct in_ifaddr *ia;
	int plen;

	(void)so;
	if (ifp == NULL)
		return ENODEV;
	KASSERT(mutex_owned(softnet_lock));
	ia = in_ifaddr_forif(ifp);
	switch (cmd) {
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
	case SIOCGIFDSTADDR:
		if (ia == NULL)
			return EADDRNOTAVAIL;
		memset(&ifr->ifr_addr, 0, sizeof(ifr->ifr_addr));
		sin->sin_family = AF_INET;
		if (cmd == SIOCGIFADDR)
			sin->sin_addr = ia->ia_addr;
		else if (cmd == SIOCGIFNETMASK)
			sin->sin_addr = ia->ia_netmask;
		else if (cmd == SIOCGIFBRDADDR)
			sin->sin_addr = ia->ia_broadaddr;
		else
			sin->sin_addr = ia->ia_addr;
		return 0;
	case SIOCSIFADDR:
	case SIOCSIFNETMASK:
	case SIOCSIFBRDADDR:
	case SIOCDIFADDR:
		break;
	default:
		return EOPNOTSUPP;
	}
	if (!in_privileged())
		return EPERM;
	if (sin->sin_family != AF_INET)
		return EINVAL;
	switch (cmd) {
	case SIOCSIFADDR:
		if (ia != NULL && ia->ia_addr.s_addr == sin->sin_addr.s_addr)
			return 0;
		if (ia != NULL)
			in_ifaddr_remove(ia);
		return in_ifaddr_add(ifp, sin->sin_addr,
		    in_classlen(sin->sin_addr), (struct in_addr){ INADDR_ANY });
	case SIOCSIFNETMASK:
		if (ia == NULL)
			return EADDRNOTAVAIL;
		if ((plen = in_mask2plen(sin->sin_addr)) < 0)
			return EINVAL;
		/* The routing socket hears of the old address, then the new. */
		in_ifaddr_unroute(ia);
		rt_addrmsg(RTM_DELADDR, &ia->ia_ifa);
		in_ifaddr_setmask(ia, plen, (struct in_addr){ INADDR_ANY });
		rt_addrmsg(RTM_NEWADDR, &ia->ia_ifa);
		in_ifaddr_route(ia);
		return 0;
	case SIOCSIFBRDADDR:
		if (ia == NULL)
			return EADDRNOTAVAIL;
		rt_addrmsg(RTM_DELADDR, &ia->ia_ifa);
		ia->ia_broadaddr = sin->sin_addr;
		in_setsin(&ia->ia_ifa.ifa_broadaddr, ia->ia_broadaddr);
		rt_addrmsg(RTM_NEWADDR, &ia->ia_ifa);
		return 0;
	case SIOCDIFADDR:
		if (sin->sin_addr.s_addr == INADDR_ANY) {
			if (ia == NULL)
				return EADDRNOTAVAIL;
			in_ifaddr_remove(ia);
			return 0;
		}
		return in_ifaddr_delete(ifp, sin->sin_addr);
	}
	return EOPNOTSUPP;
}

void
in_init(void)
{
	mutex_enter(softnet_lock);
	if (lo0ifp != NULL && in_ifaddr_forif(lo0ifp) == NULL &&
	    in_ifaddr_add(lo0ifp, (struct in_addr){ htonl(INADDR_LOOPBACK) }, 8,
	    (struct in_addr){ INADDR_ANY }) != 0)
		log(LOG_ERR, "netinet: cannot add 127.0.0.1/8 to lo0\n");
	mutex_exit(softnet_lock);
}

/*
 * Multicast groups.
 */
struct in_multi *
in_lookup_multi(struct in_addr group, const struct ifnet *ifp)
{
	struct in_multi *inm;

	LIST_FOREACH(inm, &in_multihead, inm_list)
		if (inm->inm_addr.s_addr == group.s_addr && inm->inm_ifp == ifp)
			return inm;
	return NULL;
}

static int
in_mcast_ioctl(struct ifnet *ifp, unsigned long cmd, struct in_addr group)
{
	struct ifreq ifr;
	int error;

	if (ifp->if_ioctl == NULL)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifp->if_xname, sizeof(ifr.ifr_name));
	in_setsin((struct sockaddr_storage *)(void *)&ifr.ifr_addr, group);
	error = ifp->if_ioctl(ifp, cmd, &ifr);
	return error == ENOTTY || error == EOPNOTSUPP ? 0 : error;
}

struct in_multi *
in_addmulti(struct in_addr group, struct ifnet *ifp, int *errorp)
{
	struct in_multi *inm;
	int error;

	KASSERT(mutex_owned(softnet_lock));
	if ((inm = in_lookup_multi(group, ifp)) != NULL) {
		inm->inm_refcount++;
		return inm;
	}
	if ((inm = kmem_zalloc(sizeof(*inm), KM_NOSLEEP)) == NULL) {
		*errorp = ENOBUFS;
		return NULL;
	}
	if ((error = in_mcast_ioctl(ifp, SIOCADDMULTI, group)) != 0) {
		kmem_free(inm, sizeof(*inm));
		*errorp = error;
		return NULL;
	}
	inm->inm_addr = group;
	inm->inm_ifp = ifp;
	if_ref(ifp);
	inm->inm_refcount = 1;
	callout_init(&inm->inm_timer, CALLOUT_MPSAFE);
	LIST_INSERT_HEAD(&in_multihead, inm, inm_list);
	igmp_joingroup(inm);
	return inm;
}

void
in_delmulti(struct in_multi *inm)
{
	KASSERT(mutex_owned(softnet_lock));
	KASSERT(inm->inm_refcount > 0);
	if (--inm->inm_refcount > 0)
		return;
	igmp_leavegroup(inm);
	LIST_REMOVE(inm, inm_list);
	(void)in_mcast_ioctl(inm->inm_ifp, SIOCDELMULTI, inm->inm_addr);
	callout_halt(&inm->inm_timer, (struct kmutex *)softnet_lock);
	callout_destroy(&inm->inm_timer);
	if_release(inm->inm_ifp);
	kmem_free(inm, sizeof(*inm));
}

bool
imo_member(const struct ip_moptions *imo, struct in_addr group,
    const struct ifnet *ifp)
{
	int i;

	for (i = 0; i < imo->imo_num_memberships; i++)
		if (imo->imo_membership[i]->inm_addr.s_addr == group.s_addr &&
		    imo->imo_membership[i]->inm_ifp == ifp)
			return true;
	return false;
}

void
imo_free(struct ip_moptions *imo)
{
	int i;

	for (i = 0; i < imo->imo_num_memberships; i++)
		in_delmulti(imo->imo_membership[i]);
	kmem_free(imo, sizeof(*imo));
}
