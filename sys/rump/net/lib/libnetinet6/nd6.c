/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The neighbour cache (RFC 4861 7.3) and the resolver ether_output
 * calls for unicast IPv6 (ether_resolve6_hook).
 *
 * Entries are keyed by (interface, address), in a hash:
 *
 *   (none) --send--> INCOMPLETE --NA--> REACHABLE (solicited) or STALE
 *   INCOMPLETE --ND6_MAXTRIES multicast NS unanswered--> (none), the
 *        held packets dropped, EHOSTUNREACH to later senders meanwhile
 *   REACHABLE --ReachableTime--> STALE --send--> DELAY --5 s--> PROBE
 *   PROBE --ND6_MAXTRIES unicast NS unanswered--> (none)
 *   any --solicited NA--> REACHABLE
 *
 * An INCOMPLETE entry holds at most ND6_MAXHOLD packets (the oldest
 * dropped and counted).  One callout serves the cache, set for the
 * earliest deadline of any entry, so an idle cache sets none.
 * net.route.dump lists the entries (nd6_llwalk): INCOMPLETE ones
 * flagged RTF_REJECT, without a link address.  The routing socket hears
 * of an entry's link address learnt (RTM_ADD), changed (RTM_CHANGE) and
 * forgotten (RTM_DELETE; nd6_announce).
 * Locking: (n) softnet_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

#define ND6_HASHSIZE   64
#define ND6_MAXENTRIES 1024
#define ND6_MAXHOLD    3
#define ND6_MAXTRIES   3                /* MAX_MULTICAST/UNICAST_SOLICIT */
#define ND6_DELAY_NS   (5ULL * 1000000000ULL)   /* DELAY_FIRST_PROBE_TIME */
#define NS_PER_MS      1000000ULL

enum nd6_state { ND6_INCOMPLETE, ND6_REACHABLE, ND6_STALE, ND6_DELAY,
    ND6_PROBE };

struct nd6_entry {
	LIST_ENTRY(nd6_entry) ln_hash;  /* n */
	struct ifnet *ln_ifp;           /* c: referenced */
	struct in6_addr ln_addr;        /* c */
	uint8_t ln_lladdr[ETHER_ADDR_LEN]; /* n: unless INCOMPLETE */
	enum nd6_state ln_state;        /* n */
	int ln_asked;                   /* n: solicitations sent */
	uint64_t ln_expire;             /* n: uptime ns of the next event; 0 none */
	struct mbuf *ln_hold;           /* n: by m_nextpkt */
	int ln_nhold;                   /* n */
};

static LIST_HEAD(, nd6_entry) nd6_hash[ND6_HASHSIZE];   /* n */
static int nd6_count;                   /* n */
static callout_t nd6_timer;

static unsigned
nd6_hashf(const struct ifnet *ifp, const struct in6_addr *a)
{
	return (a->s6_addr32[2] ^ a->s6_addr32[3] ^ ifp->if_index) %
	    ND6_HASHSIZE;
}

static struct nd6_entry *
nd6_lookup(const struct ifnet *ifp, const struct in6_addr *a)
{
	struct nd6_entry *ln;

	LIST_FOREACH(ln, &nd6_hash[nd6_hashf(ifp, a)], ln_hash)
		if (ln->ln_ifp == ifp && IN6_ARE_ADDR_EQUAL(&ln->ln_addr, a))
			return ln;
	return NULL;
}

/* The entry as the routing socket shows it. */
static void
nd6_llent(const struct nd6_entry *ln, struct rt_llent *rl)
{
	uint32_t scope = IN6_IS_ADDR_LINKLOCAL(&ln->ln_addr) ?
	    ln->ln_ifp->if_index : 0;

	memset(rl, 0, sizeof(*rl));
	in6_sin6((struct sockaddr_in6 *)&rl->rl_dst, &ln->ln_addr, 0, scope);
	rl->rl_ifp = ln->ln_ifp;
	if (ln->ln_state != ND6_INCOMPLETE) {
		memcpy(rl->rl_lladdr, ln->ln_lladdr, ETHER_ADDR_LEN);
		rl->rl_halen = ETHER_ADDR_LEN;
	} else
		rl->rl_flags = RTF_REJECT;
	rl->rl_expire = ln->ln_expire;
}

static void
nd6_announce(int type, const struct nd6_entry *ln)
{
	struct rt_llent rl;

	nd6_llent(ln, &rl);
	rt_llmsg(type, &rl);
}

static void
nd6_free(struct nd6_entry *ln)
{
	struct mbuf *m;

	if (ln->ln_state != ND6_INCOMPLETE)
		nd6_announce(RTM_DELETE, ln);
	LIST_REMOVE(ln, ln_hash);
	nd6_count--;
	while ((m = ln->ln_hold) != NULL) {
		ln->ln_hold = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
	}
	if_release(ln->ln_ifp);
	kmem_free(ln, sizeof(*ln));
}

static void
nd6_schedule(void)
{
	struct nd6_entry *ln;
	uint64_t first = 0, now = getnsecuptime();
	int i;

	for (i = 0; i < ND6_HASHSIZE; i++)
		LIST_FOREACH(ln, &nd6_hash[i], ln_hash)
			if (ln->ln_expire != 0 &&
			    (first == 0 || ln->ln_expire < first))
				first = ln->ln_expire;
	if (first == 0)
		callout_stop(&nd6_timer);
	else
		callout_schedule(&nd6_timer,
		    first > now ? nstohz(first - now) + 1 : 1);
}

static uint64_t
nd6_retrans_ns(const struct ifnet *ifp)
{
	struct in6_ifextra *ie = IN6_IFEXTRA(ifp);

	return (uint64_t)(ie != NULL ? ie->ie_retrans_ms : 1000) * NS_PER_MS;
}

static uint64_t
nd6_reachable_ns(const struct ifnet *ifp)
{
	struct in6_ifextra *ie = IN6_IFEXTRA(ifp);
	uint64_t base = (uint64_t)(ie != NULL ? ie->ie_reachable_ms : 30000) *
	    NS_PER_MS;

	/* RFC 4861 6.3.2: uniformly between 0.5 and 1.5 times the base. */
	return base / 2 + (base * (in6_random() % 1000)) / 1000;
}

static void
nd6_solicit(struct nd6_entry *ln, bool unicast)
{
	struct in6_addr sol;

	ln->ln_asked++;
	if (unicast)
		nd6_ns_output(ln->ln_ifp, &ln->ln_addr, &ln->ln_addr, false);
	else {
		in6_solicited_node(&sol, &ln->ln_addr);
		nd6_ns_output(ln->ln_ifp, &sol, &ln->ln_addr, false);
	}
}

static void
nd6_timeout(void *arg)
{
	struct nd6_entry *ln, *next;
	uint64_t now = getnsecuptime();
	int i;

	(void)arg;
	mutex_enter(softnet_lock);
	for (i = 0; i < ND6_HASHSIZE; i++) {
		LIST_FOREACH_SAFE(ln, &nd6_hash[i], ln_hash, next) {
			if (ln->ln_expire == 0 || ln->ln_expire > now)
				continue;
			switch (ln->ln_state) {
			case ND6_INCOMPLETE:
			case ND6_PROBE:
				if (ln->ln_asked < ND6_MAXTRIES) {
					nd6_solicit(ln,
					    ln->ln_state == ND6_PROBE);
					ln->ln_expire = now +
					    nd6_retrans_ns(ln->ln_ifp);
					break;
				}
				icmp6stat.icp6s_nd_unreach++;
				nd6_free(ln);
				break;
			case ND6_REACHABLE:
				ln->ln_state = ND6_STALE;
				ln->ln_expire = 0;
				break;
			case ND6_DELAY:
				ln->ln_state = ND6_PROBE;
				ln->ln_asked = 0;
				nd6_solicit(ln, true);
				ln->ln_expire = now + nd6_retrans_ns(ln->ln_ifp);
				break;
			case ND6_STALE:
				ln->ln_expire = 0;
				break;
			}
		}
	}
	nd6_schedule();
	mutex_exit(softnet_lock);
}

static void
nd6_send_held(struct nd6_entry *ln)
{
	struct sockaddr_in6 dst;
	struct mbuf *m, *list = ln->ln_hold;

	ln->ln_hold = NULL;
	ln->ln_nhold = 0;
	in6_sin6(&dst, &ln->ln_addr, 0, 0);
	while ((m = list) != NULL) {
		list = m->m_nextpkt;
		m->m_nextpkt = NULL;
		(void)ln->ln_ifp->if_output(ln->ln_ifp, m,
		    (const struct sockaddr *)&dst, NULL);
	}
}

void
nd6_cache_lladdr(struct ifnet *ifp, const struct in6_addr *a,
    const uint8_t *lladdr, bool solicited, bool override, bool isna)
{
	struct nd6_entry *ln = nd6_lookup(ifp, a);
	bool changed;

	if (ln == NULL) {
		if (lladdr == NULL || isna)
			return;         /* an NA creates nothing (7.2.5) */
		if (nd6_count >= ND6_MAXENTRIES ||
		    (ln = kmem_zalloc(sizeof(*ln), KM_NOSLEEP)) == NULL)
			return;
		ln->ln_ifp = ifp;
		if_ref(ifp);
		ln->ln_addr = *a;
		memcpy(ln->ln_lladdr, lladdr, ETHER_ADDR_LEN);
		ln->ln_state = ND6_STALE;
		LIST_INSERT_HEAD(&nd6_hash[nd6_hashf(ifp, a)], ln, ln_hash);
		nd6_count++;
		nd6_announce(RTM_ADD, ln);
		return;
	}
	if (ln->ln_state == ND6_INCOMPLETE) {
		if (lladdr == NULL)
			return;
		memcpy(ln->ln_lladdr, lladdr, ETHER_ADDR_LEN);
		if (isna && solicited) {
			ln->ln_state = ND6_REACHABLE;
			ln->ln_expire = getnsecuptime() + nd6_reachable_ns(ifp);
		} else {
			ln->ln_state = ND6_STALE;
			ln->ln_expire = 0;
		}
		nd6_announce(RTM_ADD, ln);
		nd6_send_held(ln);
		nd6_schedule();
		return;
	}
	changed = lladdr != NULL &&
	    memcmp(ln->ln_lladdr, lladdr, ETHER_ADDR_LEN) != 0;
	if (!isna) {
		/* A solicitation or advertisement from it (7.2.3, 6.3.4). */
		if (changed) {
			memcpy(ln->ln_lladdr, lladdr, ETHER_ADDR_LEN);
			ln->ln_state = ND6_STALE;
			ln->ln_expire = 0;
			nd6_announce(RTM_CHANGE, ln);
		}
		return;
	}
	if (!override && changed) {
		if (ln->ln_state == ND6_REACHABLE) {
			ln->ln_state = ND6_STALE;
			ln->ln_expire = 0;
		}
		return;
	}
	if (changed) {
		memcpy(ln->ln_lladdr, lladdr, ETHER_ADDR_LEN);
		nd6_announce(RTM_CHANGE, ln);
	}
	if (solicited) {
		ln->ln_state = ND6_REACHABLE;
		ln->ln_asked = 0;
		ln->ln_expire = getnsecuptime() + nd6_reachable_ns(ifp);
		nd6_schedule();
	} else if (changed) {
		ln->ln_state = ND6_STALE;
		ln->ln_expire = 0;
	}
}

int
nd6_resolve(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst,
    struct rtentry *rt, uint8_t *desten)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)dst;
	struct nd6_entry *ln;
	struct mbuf **mp;

	(void)rt;
	KASSERT(mutex_owned(softnet_lock));
	ln = nd6_lookup(ifp, &sin6->sin6_addr);
	if (ln == NULL) {
		if (nd6_count >= ND6_MAXENTRIES ||
		    (ln = kmem_zalloc(sizeof(*ln), KM_NOSLEEP)) == NULL) {
			m_freem(m);
			return ENOBUFS;
		}
		ln->ln_ifp = ifp;
		if_ref(ifp);
		ln->ln_addr = sin6->sin6_addr;
		ln->ln_state = ND6_INCOMPLETE;
		LIST_INSERT_HEAD(&nd6_hash[nd6_hashf(ifp, &ln->ln_addr)], ln,
		    ln_hash);
		nd6_count++;
		nd6_solicit(ln, false);
		ln->ln_expire = getnsecuptime() + nd6_retrans_ns(ifp);
		nd6_schedule();
	}
	switch (ln->ln_state) {
	case ND6_INCOMPLETE:
		if (ln->ln_nhold >= ND6_MAXHOLD) {
			struct mbuf *old = ln->ln_hold;

			ln->ln_hold = old->m_nextpkt;
			old->m_nextpkt = NULL;
			m_freem(old);
			ln->ln_nhold--;
			icmp6stat.icp6s_nd_holddrop++;
		}
		for (mp = &ln->ln_hold; *mp != NULL; mp = &(*mp)->m_nextpkt)
			continue;
		*mp = m;
		ln->ln_nhold++;
		icmp6stat.icp6s_nd_held++;
		return EWOULDBLOCK;
	case ND6_STALE:
		ln->ln_state = ND6_DELAY;
		ln->ln_expire = getnsecuptime() + ND6_DELAY_NS;
		nd6_schedule();
		break;
	default:
		break;
	}
	memcpy(desten, ln->ln_lladdr, ETHER_ADDR_LEN);
	return 0;
}

void
nd6_purge(struct ifnet *ifp)
{
	struct nd6_entry *ln, *next;
	int i;

	for (i = 0; i < ND6_HASHSIZE; i++)
		LIST_FOREACH_SAFE(ln, &nd6_hash[i], ln_hash, next)
			if (ln->ln_ifp == ifp)
				nd6_free(ln);
	nd6_schedule();
}

/* Every entry for net.route.dump (rt_llwalk); softnet_lock held. */
static int
nd6_llwalk(rt_llvisit_t visit, void *arg)
{
	struct nd6_entry *ln;
	struct rt_llent rl;
	int error;

	for (int i = 0; i < ND6_HASHSIZE; i++) {
		LIST_FOREACH(ln, &nd6_hash[i], ln_hash) {
			nd6_llent(ln, &rl);
			if ((error = visit(&rl, arg)) != 0)
				return error;
		}
	}
	return 0;
}

void
nd6_init(void)
{
	int i;

	for (i = 0; i < ND6_HASHSIZE; i++)
		LIST_INIT(&nd6_hash[i]);
	callout_init(&nd6_timer, CALLOUT_MPSAFE);
	callout_setfunc(&nd6_timer, nd6_timeout, NULL);
	ether_resolve6_hook = nd6_resolve;
	rt_llwalker_set(AF_INET6, nd6_llwalk);
}
