/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ARP (RFC 826) for IPv4 over Ethernet, with RFC 5227's announcements
 * and duplicate detection in passive form.
 *
 * The cache is a hash of entries keyed by (interface, address):
 *
 *   (none) --resolve--> INCOMPLETE --reply/request from it--> RESOLVED
 *   INCOMPLETE --arp_maxtries requests unanswered--> FAILED
 *   RESOLVED --arp_keep seconds--> (none)     FAILED --20 s--> (none)
 *
 * ether_output asks arp_resolve (ether_resolve_hook) for a unicast next
 * hop: RESOLVED answers at once; INCOMPLETE keeps up to ARP_MAXHOLD
 * packets (the oldest dropped past that, counted) to send when the
 * answer comes; FAILED is EHOSTUNREACH.  Requests are repeated each
 * second.  Input learns the sender of a request for one of our
 * addresses, or of any packet about an entry we already have, and
 * answers requests for any of our addresses, whatever interface holds
 * it (Linux's default, arp_ignore 0), except loopback ones.  A packet whose sender claims an
 * address of ours is counted and logged once per address.
 *
 * net.route.dump lists the entries (arp_llwalk): resolved ones with
 * their link address, the others flagged RTF_REJECT.  The routing
 * socket hears of an entry resolved (RTM_ADD), its link address changed
 * (RTM_CHANGE) and a resolved one forgotten (RTM_DELETE).
 *
 * One callout serves the whole cache, set for the earliest deadline of
 * any entry, so an idle cache sets none.  Locking: (n) softnet_lock for
 * the cache (input runs under it, and so does ether_output's caller).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/if_ether.h>

#include "netinet_private.h"

#define ARP_HASHSIZE  64
#define ARP_MAXENTRIES 1024
#define ARP_MAXHOLD   3                 /* packets held per unresolved entry */
#define ARP_RETRY_NS  1000000000ULL     /* between requests */
#define ARP_DOWN_NS   (20ULL * 1000000000ULL) /* a failure is remembered */

enum arp_state { ARP_INCOMPLETE, ARP_RESOLVED, ARP_FAILED };

struct llentry {
	LIST_ENTRY(llentry) la_hash;    /* n */
	struct ifnet *la_ifp;           /* c: referenced */
	struct in_addr la_addr;         /* c */
	uint8_t la_lladdr[ETHER_ADDR_LEN]; /* n: if RESOLVED */
	enum arp_state la_state;        /* n */
	int la_asked;                   /* n: requests sent */
	uint64_t la_expire;             /* n: uptime ns of the next event */
	struct mbuf *la_hold;           /* n: packets waiting, by m_nextpkt */
	int la_nhold;                   /* n */
};

int arp_keep = 1200;                    /* n: seconds */
int arp_maxtries = 5;                   /* n */
struct arpstat arpstat;                 /* n */

static LIST_HEAD(, llentry) arp_hash[ARP_HASHSIZE]; /* n */
static int arp_count;                   /* n */
static callout_t arp_timer;

static void arp_timeout(void *);
static int arp_resolve(struct ifnet *, struct mbuf *, const struct sockaddr *,
    struct rtentry *, uint8_t *);
static void arp_input(struct mbuf *);
static int arp_llwalk(rt_llvisit_t, void *);
static void arp_llent(const struct llentry *, struct rt_llent *);

static unsigned
arp_hashf(const struct ifnet *ifp, struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr) ^ ifp->if_index * 0x9e3779b1u;

	return (h ^ (h >> 11) ^ (h >> 21)) & (ARP_HASHSIZE - 1);
}

void
arp_init(void)
{
	int i;

	for (i = 0; i < ARP_HASHSIZE; i++)
		LIST_INIT(&arp_hash[i]);
	callout_init(&arp_timer, CALLOUT_MPSAFE);
	callout_setfunc(&arp_timer, arp_timeout, NULL);
	netisr_register(NETISR_ARP, arp_input);
	ether_resolve_hook = arp_resolve;
	rt_llwalker_set(AF_INET, arp_llwalk);
}

static struct llentry *
arp_lookup(const struct ifnet *ifp, struct in_addr a)
{
	struct llentry *la;

	LIST_FOREACH(la, &arp_hash[arp_hashf(ifp, a)], la_hash)
		if (la->la_ifp == ifp && la->la_addr.s_addr == a.s_addr)
			return la;
	return NULL;
}

static void
arp_free(struct llentry *la)
{
	struct mbuf *m, *next;

	for (m = la->la_hold; m != NULL; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
		arpstat.as_dfrdropped++;
	}
	if (la->la_state == ARP_RESOLVED) {
		struct rt_llent rl;

		arp_llent(la, &rl);
		rt_llmsg(RTM_DELETE, &rl);
	}
	LIST_REMOVE(la, la_hash);
	arp_count--;
	if_release(la->la_ifp);
	kmem_free(la, sizeof(*la));
}

/* The entry as the routing socket shows it. */
static void
arp_llent(const struct llentry *la, struct rt_llent *rl)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&rl->rl_dst;

	memset(rl, 0, sizeof(*rl));
	sin->sin_family = AF_INET;
	sin->sin_addr = la->la_addr;
	rl->rl_ifp = la->la_ifp;
	if (la->la_state == ARP_RESOLVED) {
		memcpy(rl->rl_lladdr, la->la_lladdr, ETHER_ADDR_LEN);
		rl->rl_halen = ETHER_ADDR_LEN;
	} else
		rl->rl_flags = RTF_REJECT;
	rl->rl_expire = la->la_expire;
}

/* Every entry for net.route.dump (rt_llwalk); softnet_lock held. */
static int
arp_llwalk(rt_llvisit_t visit, void *arg)
{
	struct llentry *la;
	struct rt_llent rl;
	int error;

	for (int i = 0; i < ARP_HASHSIZE; i++) {
		LIST_FOREACH(la, &arp_hash[i], la_hash) {
			arp_llent(la, &rl);
			if ((error = visit(&rl, arg)) != 0)
				return error;
		}
	}
	return 0;
}

/* Set the callout for the earliest deadline of the cache (or none). */
static void
arp_reschedule(void)
{
	struct llentry *la;
	uint64_t first = 0, now = getnsecuptime();
	int i;

	for (i = 0; i < ARP_HASHSIZE; i++)
		LIST_FOREACH(la, &arp_hash[i], la_hash)
			if (first == 0 || la->la_expire < first)
				first = la->la_expire;
	if (first == 0)
		callout_stop(&arp_timer);
	else
		callout_schedule(&arp_timer, first > now ? nstohz(first - now) : 1);
}

/* The address of ifp to ask from about tip. */
static bool
arp_srcaddr(struct ifnet *ifp, struct in_addr tip, struct in_addr *sip)
{
	struct in_ifaddr *ia = in_ifaddr_forsubnet(ifp, tip);

	if (ia == NULL)
		return false;
	*sip = ia->ia_addr;
	return true;
}

/* Send an ARP packet; tha NULL: a broadcast request. */
static void
arp_send(struct ifnet *ifp, int op, struct in_addr sip, struct in_addr tip,
    const uint8_t *tha)
{
	struct sockaddr sa;
	struct ether_header *eh;
	struct ether_arp *ea;
	struct mbuf *m;

	if ((m = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return;
	m_align(m, sizeof(*ea));
	m->m_len = m->m_pkthdr.len = sizeof(*ea);
	ea = mtod(m, struct ether_arp *);
	memset(ea, 0, sizeof(*ea));
	ea->ea_hdr.ar_hrd = htons(ARPHRD_ETHER);
	ea->ea_hdr.ar_pro = htons(ETHERTYPE_IP);
	ea->ea_hdr.ar_hln = ETHER_ADDR_LEN;
	ea->ea_hdr.ar_pln = 4;
	ea->ea_hdr.ar_op = htons((uint16_t)op);
	memcpy(ea->arp_sha, ifp->if_lladdr, ETHER_ADDR_LEN);
	memcpy(ea->arp_spa, &sip, 4);
	if (tha != NULL)
		memcpy(ea->arp_tha, tha, ETHER_ADDR_LEN);
	memcpy(ea->arp_tpa, &tip, 4);

	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNSPEC;
	eh = (struct ether_header *)(void *)sa.sa_data;
	memcpy(eh->ether_dhost, tha != NULL ? tha : etherbroadcastaddr,
	    ETHER_ADDR_LEN);
	eh->ether_type = htons(ETHERTYPE_ARP);
	arpstat.as_sent++;
	if (op == ARPOP_REQUEST)
		arpstat.as_sentreq++;
	else
		arpstat.as_sentrep++;
	(void)ifp->if_output(ifp, m, &sa, NULL);
}

static void
arp_request(struct llentry *la)
{
	struct in_addr sip;

	if (!arp_srcaddr(la->la_ifp, la->la_addr, &sip))
		return;
	la->la_asked++;
	arp_send(la->la_ifp, ARPOP_REQUEST, sip, la->la_addr, NULL);
}

void
arp_announce(struct ifnet *ifp, struct in_addr addr)
{
	KASSERT(mutex_owned(softnet_lock));
	if ((ifp->if_flags & IFF_NOARP) != 0 || ifp->if_output == NULL)
		return;
	arp_send(ifp, ARPOP_REQUEST, addr, addr, NULL);
}

static void
arp_timeout(void *arg)
{
	uint64_t now = getnsecuptime();
	struct llentry *la, *next;
	int i;

	(void)arg;
	mutex_enter(softnet_lock);
	for (i = 0; i < ARP_HASHSIZE; i++) {
		LIST_FOREACH_SAFE(la, &arp_hash[i], la_hash, next) {
			if (la->la_expire > now)
				continue;
			switch (la->la_state) {
			case ARP_INCOMPLETE:
				if (la->la_asked < arp_maxtries) {
					arp_request(la);
					la->la_expire = now + ARP_RETRY_NS;
					break;
				}
				arpstat.as_timeouts++;
				la->la_state = ARP_FAILED;
				la->la_expire = now + ARP_DOWN_NS;
				while (la->la_hold != NULL) {
					struct mbuf *m = la->la_hold;

					la->la_hold = m->m_nextpkt;
					m->m_nextpkt = NULL;
					m_freem(m);
					arpstat.as_dfrdropped++;
				}
				la->la_nhold = 0;
				break;
			case ARP_RESOLVED:
				arpstat.as_expired++;
				arp_free(la);
				break;
			case ARP_FAILED:
				arp_free(la);
				break;
			}
		}
	}
	arp_reschedule();
	mutex_exit(softnet_lock);
}

static int
arp_resolve(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst,
    struct rtentry *rt, uint8_t *desten)
{
	struct in_addr a = ((const struct sockaddr_in *)dst)->sin_addr;
	struct llentry *la;

	(void)rt;
	KASSERT(mutex_owned(softnet_lock));
	la = arp_lookup(ifp, a);
	if (la != NULL && la->la_state == ARP_RESOLVED) {
		memcpy(desten, la->la_lladdr, ETHER_ADDR_LEN);
		return 0;
	}
	if (la != NULL && la->la_state == ARP_FAILED) {
		m_freem(m);
		return EHOSTUNREACH;
	}
	if (la == NULL) {
		if (arp_count >= ARP_MAXENTRIES ||
		    (la = kmem_zalloc(sizeof(*la), KM_NOSLEEP)) == NULL) {
			arpstat.as_allocfail++;
			m_freem(m);
			return ENOBUFS;
		}
		la->la_ifp = ifp;
		if_ref(ifp);
		la->la_addr = a;
		la->la_state = ARP_INCOMPLETE;
		LIST_INSERT_HEAD(&arp_hash[arp_hashf(ifp, a)], la, la_hash);
		arp_count++;
		arp_request(la);
		la->la_expire = getnsecuptime() + ARP_RETRY_NS;
		arp_reschedule();
	}
	/* Hold it, dropping the oldest past the bound. */
	if (la->la_nhold >= ARP_MAXHOLD) {
		struct mbuf *old = la->la_hold;

		la->la_hold = old->m_nextpkt;
		old->m_nextpkt = NULL;
		m_freem(old);
		la->la_nhold--;
		arpstat.as_dfrdropped++;
	}
	m->m_nextpkt = NULL;
	if (la->la_hold == NULL)
		la->la_hold = m;
	else {
		struct mbuf *t = la->la_hold;

		while (t->m_nextpkt != NULL)
			t = t->m_nextpkt;
		t->m_nextpkt = m;
	}
	la->la_nhold++;
	arpstat.as_held++;
	return EWOULDBLOCK;
}

/* An entry learnt: note the address and send what waited for it. */
static void
arp_resolved(struct llentry *la, const uint8_t *lladdr)
{
	struct sockaddr_in sin;
	struct rt_llent rl;
	struct mbuf *m;
	bool was = la->la_state == ARP_RESOLVED;
	bool changed = memcmp(la->la_lladdr, lladdr, ETHER_ADDR_LEN) != 0;

	memcpy(la->la_lladdr, lladdr, ETHER_ADDR_LEN);
	la->la_state = ARP_RESOLVED;
	la->la_asked = 0;
	la->la_expire = getnsecuptime() + (uint64_t)arp_keep * 1000000000ULL;
	arp_reschedule();
	if (!was || changed) {
		arp_llent(la, &rl);
		rt_llmsg(was ? RTM_CHANGE : RTM_ADD, &rl);
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = la->la_addr;
	while ((m = la->la_hold) != NULL) {
		la->la_hold = m->m_nextpkt;
		m->m_nextpkt = NULL;
		la->la_nhold--;
		arpstat.as_dfrsent++;
		(void)la->la_ifp->if_output(la->la_ifp, m,
		    (const struct sockaddr *)&sin, NULL);
	}
}

static void
arp_input(struct mbuf *m)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct in_ifaddr *ia;
	struct ether_arp ea;
	struct llentry *la;
	struct in_addr spa, tpa;
	char buf[18];
	int op;

	KASSERT(mutex_owned(softnet_lock));
	arpstat.as_rcvtotal++;
	if (m->m_pkthdr.len < (int)sizeof(ea) || ifp == NULL) {
		arpstat.as_rcvtruncated++;
		goto out;
	}
	m_copydata(m, 0, sizeof(ea), &ea);
	if (ntohs(ea.ea_hdr.ar_hrd) != ARPHRD_ETHER ||
	    ntohs(ea.ea_hdr.ar_pro) != ETHERTYPE_IP ||
	    ea.ea_hdr.ar_hln != ETHER_ADDR_LEN || ea.ea_hdr.ar_pln != 4) {
		arpstat.as_rcvbadproto++;
		goto out;
	}
	op = ntohs(ea.ea_hdr.ar_op);
	if (op == ARPOP_REQUEST)
		arpstat.as_rcvreq++;
	else if (op == ARPOP_REPLY)
		arpstat.as_rcvrep++;
	else {
		arpstat.as_rcvbadproto++;
		goto out;
	}
	if (memcmp(ea.arp_sha, ifp->if_lladdr, ETHER_ADDR_LEN) == 0) {
		arpstat.as_rcvlocalsha++;
		goto out;
	}
	if (ETHER_IS_MULTICAST(ea.arp_sha)) {
		arpstat.as_rcvbcastsha++;
		goto out;
	}
	memcpy(&spa, ea.arp_spa, 4);
	memcpy(&tpa, ea.arp_tpa, 4);

	/* Someone else uses one of our addresses. */
	if (spa.s_addr != INADDR_ANY && (ia = in_ifaddr_withaddr(spa)) != NULL &&
	    ia->ia_ifa.ifa_ifp == ifp) {
		arpstat.as_dupips++;
		if ((ia->ia_flags & IA_DUPSEEN) == 0) {
			ia->ia_flags |= IA_DUPSEEN;
			log(LOG_ERR, "%s: duplicate IP address %u.%u.%u.%u sent "
			    "from link address %s\n", ifp->if_xname,
			    ea.arp_spa[0], ea.arp_spa[1], ea.arp_spa[2],
			    ea.arp_spa[3], ether_sprintf(buf, ea.arp_sha));
		}
		goto out;
	}
	if (spa.s_addr == INADDR_ANY || !in_validsrc(spa) ||
	    in_broadcast(spa, ifp))
		goto reply;             /* a probe, or nonsense: learn nothing */

	/* Ours, on whichever interface (Linux's arp_ignore 0), never 127/8. */
	ia = in_ifaddr_withaddr(tpa);
	if (ia != NULL && (ntohl(tpa.s_addr) >> 24) == IN_LOOPBACKNET)
		ia = NULL;
	la = arp_lookup(ifp, spa);
	if (la != NULL) {
		if (la->la_state != ARP_RESOLVED ||
		    memcmp(la->la_lladdr, ea.arp_sha, ETHER_ADDR_LEN) != 0 ||
		    ia != NULL)
			arp_resolved(la, ea.arp_sha);
	} else if (ia != NULL && arp_count < ARP_MAXENTRIES &&
	    (la = kmem_zalloc(sizeof(*la), KM_NOSLEEP)) != NULL) {
		/* RFC 826: the sender of a request to us is worth knowing. */
		la->la_ifp = ifp;
		if_ref(ifp);
		la->la_addr = spa;
		LIST_INSERT_HEAD(&arp_hash[arp_hashf(ifp, spa)], la, la_hash);
		arp_count++;
		arp_resolved(la, ea.arp_sha);
	}
reply:
	if (op == ARPOP_REQUEST && spa.s_addr != tpa.s_addr &&
	    (ntohl(tpa.s_addr) >> 24) != IN_LOOPBACKNET &&
	    in_ifaddr_withaddr(tpa) != NULL)
		arp_send(ifp, ARPOP_REPLY, tpa, spa, ea.arp_sha);
out:
	m_freem(m);
}

void
arp_purge(struct ifnet *ifp)
{
	struct llentry *la, *next;
	int i;

	KASSERT(mutex_owned(softnet_lock));
	for (i = 0; i < ARP_HASHSIZE; i++)
		LIST_FOREACH_SAFE(la, &arp_hash[i], la_hash, next)
			if (la->la_ifp == ifp)
				arp_free(la);
	arp_reschedule();
}
