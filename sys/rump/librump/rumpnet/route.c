/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The routing table (<net/route.h>).  Each address family that routes
 * (AF_INET, AF_INET6) has one table of routes keyed by (prefix length,
 * destination masked to that length).  The table is a hash over both;
 * beside it a count of routes per prefix length says which lengths
 * exist, so the longest-prefix match for an address tries only those
 * lengths, longest first, masking the address and probing the hash once
 * for each: at most 33 probes for IPv4 and 129 for IPv6, usually a few.
 *
 * A host route has prefix length 32 (128) and RTF_HOST; the default
 * route is prefix length 0.  A gateway route (RTF_GATEWAY) must reach
 * its gateway through a route that is itself not a gateway route, or
 * through an interface address whose subnet holds it: else ENETUNREACH.
 *
 * References: the table holds one on each route it contains; rtalloc1,
 * rtlookup and rtrequest(..., &ret) hand out more.  A deleted route
 * loses RTF_UP and leaves the table at once; it is freed (its interface
 * and address references dropped, its link-layer state freed) when its
 * last reference goes, which may happen outside softnet_lock.
 *
 * Locking: softnet_lock for the tables and every route's mutable
 * fields; asserted at every entry that reads or changes a table.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>

#include "net_private.h"

#define RT_KEYMAX      16       /* bytes of the longest key (IPv6) */
#define RT_NBUCKETS0   16       /* a table's first hash size */

/* A route's place in its table.  Locking: (n) softnet_lock. */
struct rt_node {
	LIST_ENTRY(rt_node) rn_hash;    /* n: on a bucket */
	struct rtentry *rn_rt;          /* n: the route */
	int rn_plen;                    /* n */
	uint8_t rn_key[RT_KEYMAX];      /* n: masked destination */
};
LIST_HEAD(rt_bucket, rt_node);

/* One family's table.  Locking: (n) softnet_lock, (c) stable. */
struct rt_table {
	int rtt_family;                 /* c: AF_* */
	unsigned rtt_keyoff;            /* c: address offset in its sockaddr */
	unsigned rtt_keylen;            /* c: address bytes */
	struct rt_bucket *rtt_buckets;  /* n */
	unsigned rtt_nbuckets;          /* n: a power of two */
	unsigned rtt_count;             /* n: routes in the table */
	unsigned rtt_plencount[RT_KEYMAX * 8 + 1]; /* n: routes per length */
};

/*
 * The families that route.  sockaddr_in6: family, port, flowinfo, then
 * the 16-byte address at offset 8 (RFC 3493, section 3.3).
 */
static struct rt_table rt_tables[] = {
	{ .rtt_family = AF_INET, .rtt_keylen = 4,
	  .rtt_keyoff = __builtin_offsetof(struct sockaddr_in, sin_addr) },
	{ .rtt_family = AF_INET6, .rtt_keylen = 16, .rtt_keyoff = 8 },
};
#define RT_NTABLES (sizeof(rt_tables) / sizeof(rt_tables[0]))

void (*rt_missmsg_hook)(int type, const struct rtentry *, int error);
const struct rt_msghooks *rt_msghooks;

/* The neighbour caches' walkers (AF_INET, AF_INET6), set at their init. */
static int (*rt_llwalkers[2])(rt_llvisit_t, void *);

socklen_t
sockaddr_len(const struct sockaddr *sa)
{
	switch (sa->sa_family) {
	case AF_INET:
		return sizeof(struct sockaddr_in);
	case AF_INET6:
		return 28;              /* struct sockaddr_in6 */
	case AF_PACKET:
		return 20;              /* struct sockaddr_ll */
	case AF_UNIX:
		return 110;             /* struct sockaddr_un */
	default:
		return sizeof(struct sockaddr);
	}
}

static struct rt_table *
rt_table_of(int family)
{
	for (unsigned i = 0; i < RT_NTABLES; i++)
		if (rt_tables[i].rtt_family == family)
			return &rt_tables[i];
	return NULL;
}

static void
rt_key_mask(const struct rt_table *rtt, const struct sockaddr *sa, int plen,
    uint8_t *key)
{
	const uint8_t *a = (const uint8_t *)sa + rtt->rtt_keyoff;

	memset(key, 0, RT_KEYMAX);
	for (unsigned i = 0; i < rtt->rtt_keylen && plen > 0; i++, plen -= 8)
		key[i] = plen >= 8 ? a[i] : a[i] & (uint8_t)(0xff << (8 - plen));
}

/* The prefix length of a netmask; -1 if its ones are not contiguous. */
static int
rt_mask_plen(const struct rt_table *rtt, const struct sockaddr *mask)
{
	const uint8_t *m = (const uint8_t *)mask + rtt->rtt_keyoff;
	int plen = 0;
	bool zeros = false;

	for (unsigned i = 0; i < rtt->rtt_keylen; i++) {
		for (int b = 7; b >= 0; b--) {
			if (m[i] & (1 << b)) {
				if (zeros)
					return -1;
				plen++;
			} else
				zeros = true;
		}
	}
	return plen;
}

static unsigned
rt_hash(const struct rt_table *rtt, int plen, const uint8_t *key)
{
	uint32_t h = 2166136261u ^ (uint32_t)plen;    /* FNV-1a */

	for (unsigned i = 0; i < rtt->rtt_keylen; i++)
		h = (h ^ key[i]) * 16777619u;
	return h & (rtt->rtt_nbuckets - 1);
}

static struct rt_node *
rt_find(const struct rt_table *rtt, int plen, const uint8_t *key)
{
	struct rt_node *rn;

	if (rtt->rtt_nbuckets == 0 || rtt->rtt_plencount[plen] == 0)
		return NULL;
	LIST_FOREACH(rn, &rtt->rtt_buckets[rt_hash(rtt, plen, key)], rn_hash)
		if (rn->rn_plen == plen &&
		    memcmp(rn->rn_key, key, rtt->rtt_keylen) == 0)
			return rn;
	return NULL;
}

/* Double the hash when it is crowded; staying small is no error. */
static void
rt_table_grow(struct rt_table *rtt)
{
	struct rt_bucket *nb, *ob = rtt->rtt_buckets;
	unsigned on = rtt->rtt_nbuckets, nn;
	struct rt_node *rn;

	if (on != 0 && rtt->rtt_count < 2 * on)
		return;
	nn = on == 0 ? RT_NBUCKETS0 : 2 * on;
	if ((nb = kmem_alloc(nn * sizeof(*nb), KM_NOSLEEP)) == NULL)
		return;
	for (unsigned i = 0; i < nn; i++)
		LIST_INIT(&nb[i]);
	rtt->rtt_buckets = nb;
	rtt->rtt_nbuckets = nn;
	for (unsigned i = 0; i < on; i++) {
		while ((rn = LIST_FIRST(&ob[i])) != NULL) {
			LIST_REMOVE(rn, rn_hash);
			LIST_INSERT_HEAD(&nb[rt_hash(rtt, rn->rn_plen,
			    rn->rn_key)], rn, rn_hash);
		}
	}
	if (ob != NULL)
		kmem_free(ob, on * sizeof(*ob));
}

void
rtref(struct rtentry *rt)
{
	atomic_inc_uint(&rt->rt_refcnt);
}

void
rtfree(struct rtentry *rt)
{
	if (atomic_dec_uint_nv(&rt->rt_refcnt) != 0)
		return;
	KASSERT((rt->rt_flags & RTF_UP) == 0);
	KASSERT(rt->rt_node == NULL);
	if (rt->rt_llinfo_free != NULL)
		rt->rt_llinfo_free(rt);
	if (rt->rt_ifa != NULL)
		ifa_release(rt->rt_ifa);
	if (rt->rt_ifp != NULL)
		if_release(rt->rt_ifp);
	kmem_free(rt, sizeof(*rt));
}

static struct rtentry *
rt_match(struct rt_table *rtt, const struct sockaddr *dst)
{
	uint8_t key[RT_KEYMAX];
	struct rt_node *rn;

	for (int plen = (int)rtt->rtt_keylen * 8; plen >= 0; plen--) {
		if (rtt->rtt_plencount[plen] == 0)
			continue;
		rt_key_mask(rtt, dst, plen, key);
		if ((rn = rt_find(rtt, plen, key)) != NULL)
			return rn->rn_rt;
	}
	return NULL;
}

struct rtentry *
rtalloc1(const struct sockaddr *dst)
{
	struct rt_table *rtt;
	struct rtentry *rt;

	KASSERT(mutex_owned(softnet_lock));
	if ((rtt = rt_table_of(dst->sa_family)) == NULL)
		return NULL;
	if ((rt = rt_match(rtt, dst)) != NULL)
		rtref(rt);
	return rt;
}

/* The prefix length a request names: a host route without a netmask. */
static int
rt_req_plen(const struct rt_table *rtt, const struct sockaddr *netmask)
{
	if (netmask == NULL)
		return (int)rtt->rtt_keylen * 8;
	if (netmask->sa_family != rtt->rtt_family &&
	    netmask->sa_family != AF_UNSPEC)
		return -1;
	return rt_mask_plen(rtt, netmask);
}

struct rtentry *
rtlookup(const struct sockaddr *dst, const struct sockaddr *netmask)
{
	uint8_t key[RT_KEYMAX];
	struct rt_table *rtt;
	struct rt_node *rn;
	int plen;

	KASSERT(mutex_owned(softnet_lock));
	if ((rtt = rt_table_of(dst->sa_family)) == NULL)
		return NULL;
	if ((plen = rt_req_plen(rtt, netmask)) < 0)
		return NULL;
	rt_key_mask(rtt, dst, plen, key);
	if ((rn = rt_find(rtt, plen, key)) == NULL)
		return NULL;
	rtref(rn->rn_rt);
	return rn->rn_rt;
}

/* Whether a's address lies in b's subnet (b's address under b's mask). */
static bool
rt_ifa_holds(const struct rt_table *rtt, const struct ifaddr *ifa,
    const struct sockaddr *a)
{
	const uint8_t *x = (const uint8_t *)a + rtt->rtt_keyoff;
	const uint8_t *y = (const uint8_t *)&ifa->ifa_addr + rtt->rtt_keyoff;
	const uint8_t *m = (const uint8_t *)&ifa->ifa_netmask + rtt->rtt_keyoff;

	if (ifa->ifa_addr.ss_family != rtt->rtt_family)
		return false;
	for (unsigned i = 0; i < rtt->rtt_keylen; i++)
		if ((x[i] & m[i]) != (y[i] & m[i]))
			return false;
	return true;
}

/* An address of an up interface whose subnet holds a; referenced. */
static struct ifaddr *
rt_ifa_ifwithnet(const struct rt_table *rtt, const struct sockaddr *a)
{
	struct ifaddr *ifa, *found = NULL;
	struct ifnet *ifp;

	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if ((ifp->if_flags & IFF_UP) == 0 || ifp->if_detaching)
			continue;
		TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list) {
			if (rt_ifa_holds(rtt, ifa, a)) {
				found = ifa;
				ifa_ref(found);
				goto out;
			}
		}
	}
out:
	mutex_exit(&ifnet_lock);
	return found;
}

/*
 * Choose the interface and address a new route sends through, with a
 * reference on each (*ifap may be NULL: an interface with no address of
 * the family, such as a route the caller pins to an interface).
 */
static int
rt_choose_ifa(struct rt_table *rtt, const struct rt_addrinfo *info,
    bool gateway, struct ifnet **ifpp, struct ifaddr **ifap)
{
	const struct sockaddr *to = gateway ? info->rti_gateway : info->rti_dst;
	struct ifaddr *ifa = NULL;
	struct rtentry *rt;

	if (info->rti_ifa != NULL) {
		ifa = info->rti_ifa;
		ifa_ref(ifa);
	} else if (info->rti_ifp != NULL) {
		ifa = ifaof_ifpforaddr(to, info->rti_ifp);
	} else if ((ifa = rt_ifa_ifwithnet(rtt, to)) == NULL && gateway) {
		rt = rt_match(rtt, to);
		if (rt == NULL || (rt->rt_flags & RTF_GATEWAY) != 0 ||
		    rt->rt_ifp == NULL)
			return ENETUNREACH;
		*ifpp = rt->rt_ifp;
		if_ref(*ifpp);
		if ((*ifap = rt->rt_ifa) != NULL)
			ifa_ref(*ifap);
		return 0;
	}
	if (info->rti_ifp != NULL)
		*ifpp = info->rti_ifp;
	else if (ifa != NULL)
		*ifpp = ifa->ifa_ifp;
	else
		return ENETUNREACH;
	if_ref(*ifpp);
	*ifap = ifa;
	return 0;
}

static void
rt_unlink(struct rt_table *rtt, struct rtentry *rt)
{
	struct rt_node *rn = rt->rt_node;

	LIST_REMOVE(rn, rn_hash);
	rtt->rtt_plencount[rn->rn_plen]--;
	rtt->rtt_count--;
	kmem_free(rn, sizeof(*rn));
	rt->rt_node = NULL;
	rt->rt_flags &= ~RTF_UP;
	if (rt->rt_llinfo_free != NULL) {
		rt->rt_llinfo_free(rt);
		rt->rt_llinfo_free = NULL;
	}
	rt->rt_llinfo = NULL;
}

static void
rt_notify(int type, const struct rtentry *rt, int error)
{
	void (*hook)(int, const struct rtentry *, int) =
	    atomic_load_acquire(&rt_missmsg_hook);

	if (hook != NULL)
		hook(type, rt, error);
}

void
rt_ifmsg(struct ifnet *ifp)
{
	const struct rt_msghooks *rh = atomic_load_acquire(&rt_msghooks);

	KASSERT(mutex_owned(softnet_lock));
	if (rh != NULL)
		rh->rh_ifmsg(ifp);
}

void
rt_ifannouncemsg(struct ifnet *ifp, int what)
{
	const struct rt_msghooks *rh = atomic_load_acquire(&rt_msghooks);

	KASSERT(mutex_owned(softnet_lock));
	if (rh != NULL)
		rh->rh_ifannounce(ifp, what);
}

void
rt_addrmsg(int type, struct ifaddr *ifa)
{
	const struct rt_msghooks *rh = atomic_load_acquire(&rt_msghooks);

	KASSERT(mutex_owned(softnet_lock));
	if (rh != NULL)
		rh->rh_addrmsg(type, ifa);
}

void
rt_missmsg(const struct sockaddr *dst, int error)
{
	const struct rt_msghooks *rh = atomic_load_acquire(&rt_msghooks);

	KASSERT(mutex_owned(softnet_lock));
	if (rh != NULL)
		rh->rh_missmsg(dst, error);
}

void
rt_llmsg(int type, const struct rt_llent *rl)
{
	const struct rt_msghooks *rh = atomic_load_acquire(&rt_msghooks);

	KASSERT(mutex_owned(softnet_lock));
	if (rh != NULL)
		rh->rh_llmsg(type, rl);
}

static int
rt_llslot(int family)
{
	return family == AF_INET ? 0 : family == AF_INET6 ? 1 : -1;
}

void
rt_llwalker_set(int family, int (*walk)(rt_llvisit_t, void *))
{
	int slot = rt_llslot(family);

	KASSERT(slot >= 0);
	atomic_store_release(&rt_llwalkers[slot], walk);
}

int
rt_llwalk(int family, rt_llvisit_t visit, void *arg)
{
	int slot = rt_llslot(family);
	int (*walk)(rt_llvisit_t, void *);

	KASSERT(mutex_owned(softnet_lock));
	if (slot < 0 || (walk = atomic_load_acquire(&rt_llwalkers[slot])) ==
	    NULL)
		return 0;
	return walk(visit, arg);
}

static int
rt_add(struct rt_table *rtt, const struct rt_addrinfo *info, int plen,
    struct rtentry **ret)
{
	const struct sockaddr *gw = info->rti_gateway;
	uint8_t key[RT_KEYMAX];
	struct ifaddr *ifa = NULL, *local = NULL;
	struct ifnet *ifp = NULL;
	struct rtentry *rt;
	struct rt_node *rn;
	bool gateway;
	int error;

	rt_key_mask(rtt, info->rti_dst, plen, key);
	if (rt_find(rtt, plen, key) != NULL)
		return EEXIST;
	gateway = false;
	if (gw != NULL) {
		if (gw->sa_family == rtt->rtt_family) {
			/* A gateway that is our own address: on that link. */
			local = ifa_ifwithaddr(gw);
			gateway = local == NULL ||
			    (info->rti_flags & RTF_GATEWAY) != 0;
		} else if (gw->sa_family != AF_PACKET)
			return EAFNOSUPPORT;
	}
	if (local != NULL && !gateway && info->rti_ifa == NULL &&
	    info->rti_ifp == NULL) {
		ifa = local;
		ifp = ifa->ifa_ifp;
		if_ref(ifp);
		local = NULL;
	} else if ((error = rt_choose_ifa(rtt, info, gateway, &ifp, &ifa)) != 0)
		goto fail;
	if (local != NULL)
		ifa_release(local);
	rt = kmem_zalloc(sizeof(*rt), KM_NOSLEEP);
	rn = kmem_zalloc(sizeof(*rn), KM_NOSLEEP);
	if (rt == NULL || rn == NULL) {
		if (rt != NULL)
			kmem_free(rt, sizeof(*rt));
		if (rn != NULL)
			kmem_free(rn, sizeof(*rn));
		error = ENOBUFS;
		goto fail;
	}
	memcpy(&rt->rt_dst, info->rti_dst, sockaddr_len(info->rti_dst));
	memcpy((uint8_t *)&rt->rt_dst + rtt->rtt_keyoff, key, rtt->rtt_keylen);
	rt->rt_netmask.ss_family = (sa_family_t)rtt->rtt_family;
	for (int i = 0, b = plen; b > 0; i++, b -= 8)
		((uint8_t *)&rt->rt_netmask)[rtt->rtt_keyoff + i] =
		    b >= 8 ? 0xff : (uint8_t)(0xff << (8 - b));
	if (gw != NULL)
		memcpy(&rt->rt_gateway, gw, sockaddr_len(gw));
	rt->rt_plen = plen;
	rt->rt_flags = (info->rti_flags & ~(RTF_GATEWAY | RTF_HOST)) | RTF_UP;
	if (gateway)
		rt->rt_flags |= RTF_GATEWAY;
	if (plen == (int)rtt->rtt_keylen * 8)
		rt->rt_flags |= RTF_HOST;
	rt->rt_ifp = ifp;
	rt->rt_ifa = ifa;
	rt->rt_refcnt = 1;              /* the table's */
	rn->rn_rt = rt;
	rn->rn_plen = plen;
	memcpy(rn->rn_key, key, sizeof(key));
	rt->rt_node = rn;
	rt_table_grow(rtt);
	LIST_INSERT_HEAD(&rtt->rtt_buckets[rt_hash(rtt, plen, key)], rn,
	    rn_hash);
	rtt->rtt_plencount[plen]++;
	rtt->rtt_count++;
	rt_notify(RTM_ADD, rt, 0);
	if (ret != NULL) {
		rtref(rt);
		*ret = rt;
	}
	return 0;
fail:
	if (local != NULL)
		ifa_release(local);
	if (ifa != NULL)
		ifa_release(ifa);
	if (ifp != NULL)
		if_release(ifp);
	return error;
}

static int
rt_change(struct rt_table *rtt, struct rtentry *rt,
    const struct rt_addrinfo *info)
{
	struct ifaddr *ifa = NULL;
	struct ifnet *ifp = NULL;
	int error;

	if (info->rti_gateway == NULL)
		return EINVAL;
	if (info->rti_gateway->sa_family != rtt->rtt_family)
		return EAFNOSUPPORT;
	if ((error = rt_choose_ifa(rtt, info, true, &ifp, &ifa)) != 0)
		return error;
	if (rt->rt_llinfo_free != NULL) {
		rt->rt_llinfo_free(rt);
		rt->rt_llinfo_free = NULL;
	}
	rt->rt_llinfo = NULL;
	if (rt->rt_ifa != NULL)
		ifa_release(rt->rt_ifa);
	if (rt->rt_ifp != NULL)
		if_release(rt->rt_ifp);
	rt->rt_ifp = ifp;
	rt->rt_ifa = ifa;
	memset(&rt->rt_gateway, 0, sizeof(rt->rt_gateway));
	memcpy(&rt->rt_gateway, info->rti_gateway,
	    sockaddr_len(info->rti_gateway));
	rt->rt_flags |= RTF_GATEWAY | RTF_MODIFIED;
	rt_notify(RTM_CHANGE, rt, 0);
	return 0;
}

int
rtrequest(int req, const struct rt_addrinfo *info, struct rtentry **ret)
{
	uint8_t key[RT_KEYMAX];
	struct rt_table *rtt;
	struct rt_node *rn;
	struct rtentry *rt;
	int plen, error;

	KASSERT(mutex_owned(softnet_lock));
	if (ret != NULL)
		*ret = NULL;
	if (info->rti_dst == NULL)
		return EINVAL;
	if ((rtt = rt_table_of(info->rti_dst->sa_family)) == NULL)
		return EAFNOSUPPORT;
	if ((plen = rt_req_plen(rtt, info->rti_netmask)) < 0)
		return EINVAL;
	if (req == RTM_ADD)
		return rt_add(rtt, info, plen, ret);
	rt_key_mask(rtt, info->rti_dst, plen, key);
	if (req == RTM_GET && info->rti_netmask == NULL)
		rt = rt_match(rtt, info->rti_dst);
	else
		rt = (rn = rt_find(rtt, plen, key)) != NULL ? rn->rn_rt : NULL;
	if (rt == NULL)
		return ESRCH;
	switch (req) {
	case RTM_DELETE:
		rt_unlink(rtt, rt);
		rt_notify(RTM_DELETE, rt, 0);
		if (ret != NULL)
			*ret = rt;      /* the table's reference */
		else
			rtfree(rt);
		return 0;
	case RTM_CHANGE:
		error = rt_change(rtt, rt, info);
		break;
	case RTM_GET:
		error = 0;
		break;
	default:
		return EOPNOTSUPP;
	}
	if (error == 0 && ret != NULL) {
		rtref(rt);
		*ret = rt;
	}
	return error;
}

int
rt_walk(int family, int (*visit)(struct rtentry *, void *), void *arg)
{
	struct rt_node *rn, *next;
	struct rt_table *rtt;
	int error;

	KASSERT(mutex_owned(softnet_lock));
	if ((rtt = rt_table_of(family)) == NULL)
		return 0;
	for (unsigned i = 0; i < rtt->rtt_nbuckets; i++) {
		LIST_FOREACH_SAFE(rn, &rtt->rtt_buckets[i], rn_hash, next) {
			if ((error = visit(rn->rn_rt, arg)) != 0)
				return error;
		}
	}
	return 0;
}

void
rt_purge_ifp(struct ifnet *ifp)
{
	struct rt_node *rn, *next;
	struct rt_table *rtt;
	struct rtentry *rt;

	KASSERT(mutex_owned(softnet_lock));
	for (unsigned t = 0; t < RT_NTABLES; t++) {
		rtt = &rt_tables[t];
		for (unsigned i = 0; i < rtt->rtt_nbuckets; i++) {
			LIST_FOREACH_SAFE(rn, &rtt->rtt_buckets[i], rn_hash,
			    next) {
				rt = rn->rn_rt;
				if (rt->rt_ifp != ifp)
					continue;
				rt_unlink(rtt, rt);
				rt_notify(RTM_DELETE, rt, 0);
				rtfree(rt);
			}
		}
	}
}

void
route_init(void)
{
	for (unsigned t = 0; t < RT_NTABLES; t++) {
		rt_tables[t].rtt_buckets = NULL;
		rt_tables[t].rtt_nbuckets = 0;
		rt_tables[t].rtt_count = 0;
	}
}
