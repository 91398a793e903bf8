/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Internet protocol control blocks: allocation, binding with Linux's
 * address reuse rules, ephemeral ports, connecting, the hash chains that
 * input uses to find a packet's socket, notification of ICMP errors and
 * the connection list for sysctl.  <netinet/in_pcb.h> states the rules.
 *
 * Everything runs with softnet_lock held: it is the so_lock of every
 * inet socket, and input runs under it.  Nothing here sleeps but the
 * list's buffer allocation (in_pcblist_sysctl, before the lock).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <rump/rumpuser.h>

#include "netinet_private.h"

int (*in_pcb_statefn)(const struct inpcb *);

/* State of netinet's pseudo-random generator (n). */
static uint64_t in_pcb_rand;

uint32_t
in_random(void)
{
	unsigned long got;
	uint64_t x;

	if (in_pcb_rand == 0) {
		if (rumpuser_getrandom(&in_pcb_rand, sizeof(in_pcb_rand),
		    RUMPUSER_RANDOM_NOWAIT, &got) != 0 ||
		    got != sizeof(in_pcb_rand))
			in_pcb_rand = getnsecuptime();
		in_pcb_rand |= 1;
	}
	/* xorshift64*: enough to make the next port hard to guess offhand. */
	x = in_pcb_rand;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	in_pcb_rand = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

struct rtentry *
in_route_get(struct in_route *ro, struct in_addr dst)
{
	struct sockaddr_in sin;

	if (ro->ro_rt != NULL) {
		if ((ro->ro_rt->rt_flags & RTF_UP) != 0 &&
		    ro->ro_dst.s_addr == dst.s_addr)
			return ro->ro_rt;
		rtfree(ro->ro_rt);
		ro->ro_rt = NULL;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = dst;
	ro->ro_rt = rtalloc1((const struct sockaddr *)&sin);
	ro->ro_dst = dst;
	return ro->ro_rt;
}

void
in_route_free(struct in_route *ro)
{
	if (ro->ro_rt != NULL) {
		rtfree(ro->ro_rt);
		ro->ro_rt = NULL;
	}
}

static unsigned long
in_pcb_porthash(const struct inpcbtable *t, in_port_t lport)
{
	return ntohs(lport) & t->inpt_mask;
}

static unsigned long
in_pcb_connhash(const struct inpcbtable *t, struct in_addr faddr,
    in_port_t fport, struct in_addr laddr, in_port_t lport)
{
	uint32_t h;

	h = ntohl(faddr.s_addr) ^ ntohl(laddr.s_addr) * 31u ^
	    ((uint32_t)ntohs(fport) << 16 | ntohs(lport));
	h ^= h >> 16;
	h *= 0x45d9f3bu;
	h ^= h >> 16;
	return h & t->inpt_mask;
}

/* An IPv6 address folded to the 32 bits the hashes take. */
static struct in_addr
in_pcb_fold6(const struct in6_addr *a)
{
	struct in_addr f;

	f.s_addr = a->s6_addr32[0] ^ a->s6_addr32[1] ^ a->s6_addr32[2] ^
	    a->s6_addr32[3];
	return f;
}

struct inpcbhead *
in6_pcbconnhead(struct inpcbtable *t, const struct in6_addr *faddr,
    in_port_t fport, const struct in6_addr *laddr, in_port_t lport)
{
	return &t->inpt_connhash[in_pcb_connhash(t, in_pcb_fold6(faddr),
	    fport, in_pcb_fold6(laddr), lport)];
}

bool
in_pcb_v4ok(const struct inpcb *inp)
{
	return (inp->inp_flags & INP_IPV6) == 0 ||
	    ((inp->inp_flags & INP_V6ONLY) == 0 &&
	    (IN6_IS_ADDR_UNSPECIFIED(&inp->inp_laddr6) ||
	    IN6_IS_ADDR_V4MAPPED(&inp->inp_laddr6)));
}

void
in_pcbinit(struct inpcbtable *t, int chains, int proto)
{
	int i;

	KASSERT(chains > 0 && (chains & (chains - 1)) == 0);
	TAILQ_INIT(&t->inpt_queue);
	t->inpt_porthash = kmem_alloc(sizeof(struct inpcbhead) * (size_t)chains, KM_SLEEP);
	t->inpt_connhash = kmem_alloc(sizeof(struct inpcbhead) * (size_t)chains, KM_SLEEP);
	KASSERT(t->inpt_porthash != NULL && t->inpt_connhash != NULL);
	for (i = 0; i < chains; i++) {
		LIST_INIT(&t->inpt_porthash[i]);
		LIST_INIT(&t->inpt_connhash[i]);
	}
	t->inpt_mask = (unsigned long)chains - 1;
	t->inpt_count = 0;
	t->inpt_proto = proto;
}

int
in_pcballoc(struct socket *so, struct inpcbtable *t)
{
	struct inpcb *inp;

	if ((inp = kmem_zalloc(sizeof(*inp), KM_NOSLEEP)) == NULL)
		return ENOBUFS;
	inp->inp_table = t;
	inp->inp_socket = so;
	inp->inp_state = INP_ATTACHED;
	inp->inp_ttl = (uint8_t)ip_defttl;
	inp->inp_pmtudisc = IP_PMTUDISC_WANT;
	inp->inp_flags = INP_MCASTALL;
	inp->inp_hlim = inp->inp_tclass = -1;
	inp->inp_uid = so->so_cred != NULL ? so->so_cred->cr_euid : 0;
	TAILQ_INSERT_TAIL(&t->inpt_queue, inp, inp_queue);
	t->inpt_count++;
	so->so_pcb = inp;
	return 0;
}

static void
in_pcb_unhash(struct inpcb *inp)
{
	if (inp->inp_state >= INP_BOUND)
		LIST_REMOVE(inp, inp_porthash);
	if (inp->inp_state == INP_CONNECTED)
		LIST_REMOVE(inp, inp_connhash);
}

void
in_pcbstate(struct inpcb *inp, int state)
{
	struct inpcbtable *t = inp->inp_table;

	in_pcb_unhash(inp);
	inp->inp_state = state;
	if (state >= INP_BOUND)
		LIST_INSERT_HEAD(&t->inpt_porthash[in_pcb_porthash(t, inp->inp_lport)],
		    inp, inp_porthash);
	if (state == INP_CONNECTED && (inp->inp_flags & INP_IPV6) != 0)
		LIST_INSERT_HEAD(in6_pcbconnhead(t, &inp->inp_faddr6,
		    inp->inp_fport, &inp->inp_laddr6, inp->inp_lport), inp,
		    inp_connhash);
	else if (state == INP_CONNECTED)
		LIST_INSERT_HEAD(&t->inpt_connhash[in_pcb_connhash(t, inp->inp_faddr,
		    inp->inp_fport, inp->inp_laddr, inp->inp_lport)], inp, inp_connhash);
}

void
in_pcbdetach(struct inpcb *inp)
{
	struct inpcbtable *t = inp->inp_table;

	if (inp->inp_socket != NULL)
		inp->inp_socket->so_pcb = NULL;
	in_pcb_unhash(inp);
	TAILQ_REMOVE(&t->inpt_queue, inp, inp_queue);
	t->inpt_count--;
	in_route_free(&inp->inp_route);
	if (inp->inp_moptions != NULL)
		imo_free(inp->inp_moptions);
	kmem_free(inp, sizeof(*inp));
}

bool (*in_pcb_conflict6_hook)(struct in_addr, in_port_t, int); /* netinet6 */

static int
in_pcb_sooptions(const struct inpcb *inp)
{
	return inp->inp_socket != NULL ? inp->inp_socket->so_options : 0;
}

/*
 * Whether binding inp to (laddr, lport) conflicts with another PCB
 * under Linux's rules; listening: inp is about to listen.
 */
static bool
in_pcb_conflict(const struct inpcb *inp, struct in_addr laddr,
    in_port_t lport, bool listening)
{
	struct inpcbtable *t = inp->inp_table;
	struct inpcb *p;
	int myopt = in_pcb_sooptions(inp);

	LIST_FOREACH(p, &t->inpt_porthash[in_pcb_porthash(t, lport)], inp_porthash) {
		int opt;

		if (p == inp || p->inp_lport != lport || !in_pcb_v4ok(p))
			continue;
		if (p->inp_laddr.s_addr != INADDR_ANY &&
		    laddr.s_addr != INADDR_ANY &&
		    p->inp_laddr.s_addr != laddr.s_addr)
			continue;
		opt = in_pcb_sooptions(p);
		if ((myopt & opt & SOF_REUSEPORT) != 0 &&
		    p->inp_uid == inp->inp_uid)
			continue;
		if ((myopt & opt & SOF_REUSEADDR) != 0 && !listening &&
		    (opt & SOF_ACCEPTCONN) == 0)
			continue;
		return true;
	}
	return t->inpt_proto == IPPROTO_UDP && in_pcb_conflict6_hook != NULL &&
	    in_pcb_conflict6_hook(laddr, lport, myopt);
}

static int
in_pcb_ephemeral(struct inpcb *inp, struct in_addr laddr, in_port_t *portp)
{
	const unsigned range = IP_PORTRANGE_LAST - IP_PORTRANGE_FIRST + 1;
	unsigned i, start;

	start = in_random() % range;
	for (i = 0; i < range; i++) {
		in_port_t port = htons((uint16_t)(IP_PORTRANGE_FIRST +
		    (start + i) % range));

		if (!in_pcb_conflict(inp, laddr, port, false)) {
			*portp = port;
			return 0;
		}
	}
	return EADDRNOTAVAIL;
}

/*
 * An ephemeral port for connecting (laddr, ?) to (faddr, fport), as
 * Linux chooses one: a port another socket bound (or listens on) is
 * skipped, but one that only other connections use is shared as long as
 * the four-tuple is new, so TIME_WAIT does not use the range up.
 */
static int
in_pcb_connport(struct inpcb *inp, struct in_addr laddr, struct in_addr faddr,
    in_port_t fport, in_port_t *portp)
{
	const unsigned range = IP_PORTRANGE_LAST - IP_PORTRANGE_FIRST + 1;
	struct inpcbtable *t = inp->inp_table;
	unsigned i, start;
	struct inpcb *p;

	start = in_random() % range;
	for (i = 0; i < range; i++) {
		in_port_t port = htons((uint16_t)(IP_PORTRANGE_FIRST +
		    (start + i) % range));
		bool taken = false;

		LIST_FOREACH(p, &t->inpt_porthash[in_pcb_porthash(t, port)], inp_porthash) {
			if (p == inp || p->inp_lport != port || !in_pcb_v4ok(p))
				continue;
			if (p->inp_state == INP_CONNECTED &&
			    (p->inp_flags & INP_CONNPORT) != 0)
				taken = p->inp_laddr.s_addr == laddr.s_addr &&
				    p->inp_faddr.s_addr == faddr.s_addr &&
				    p->inp_fport == fport;
			else
				taken = p->inp_laddr.s_addr == INADDR_ANY ||
				    p->inp_laddr.s_addr == laddr.s_addr;
			if (taken)
				break;
		}
		if (!taken) {
			*portp = port;
			return 0;
		}
	}
	return EADDRNOTAVAIL;
}

int
in_pcbbind(struct inpcb *inp, const struct sockaddr_in *sin, struct lwp *l)
{
	struct in_addr laddr = { INADDR_ANY };
	in_port_t lport = 0;
	int error;

	(void)l;
	if (inp->inp_lport != 0)
		return EINVAL;
	if (sin != NULL) {
		if (sin->sin_family != AF_INET &&
		    !(sin->sin_family == AF_UNSPEC &&
		    sin->sin_addr.s_addr == htonl(INADDR_ANY)))
			return EAFNOSUPPORT;
		laddr = sin->sin_addr;
		lport = sin->sin_port;
		if (laddr.s_addr != INADDR_ANY &&
		    !IN_MULTICAST(ntohl(laddr.s_addr)) &&
		    laddr.s_addr != htonl(INADDR_BROADCAST) &&
		    in_ifaddr_withaddr(laddr) == NULL &&
		    !in_broadcast(laddr, NULL))
			return EADDRNOTAVAIL;
	}
	if (lport != 0) {
		kauth_cred_t cred = inp->inp_socket != NULL ?
		    inp->inp_socket->so_cred : NULL;

		if (ntohs(lport) < IP_PORTRESERVED &&
		    (cred == NULL || !kauth_cred_issuser(cred)))
			return EACCES;
		if (in_pcb_conflict(inp, laddr, lport, false))
			return EADDRINUSE;
	} else {
		if ((error = in_pcb_ephemeral(inp, laddr, &lport)) != 0)
			return error;
	}
	if (laddr.s_addr != INADDR_ANY)
		inp->inp_flags |= INP_ADDRLOCK;
	inp->inp_laddr = laddr;
	inp->inp_lport = lport;
	in_pcbstate(inp, INP_BOUND);
	return 0;
}

/* For listen(2): whether the bound port may now be listened on. */
int
in_pcblisten_check(struct inpcb *inp)
{
	if (inp->inp_lport == 0)
		return 0;
	return in_pcb_conflict(inp, inp->inp_laddr, inp->inp_lport, true) ?
	    EADDRINUSE : 0;
}

int
in_pcbselsrc(struct inpcb *inp, struct in_addr dst, struct in_addr *src)
{
	const struct ip_moptions *imo = inp != NULL ? inp->inp_moptions : NULL;
	struct in_route tmp = { NULL, { 0 } };
	struct in_route *ro = inp != NULL ? &inp->inp_route : &tmp;
	struct in_ifaddr *ia;
	struct rtentry *rt;

	bool bound = inp != NULL && inp->inp_laddr.s_addr != INADDR_ANY &&
	    !IN_MULTICAST(ntohl(inp->inp_laddr.s_addr)) &&
	    inp->inp_laddr.s_addr != htonl(INADDR_BROADCAST);

	if (IN_MULTICAST(ntohl(dst.s_addr)) && bound) {
		*src = inp->inp_laddr;
		return 0;
	}
	if (IN_MULTICAST(ntohl(dst.s_addr)) && imo != NULL) {
		if (imo->imo_multicast_addr.s_addr != INADDR_ANY) {
			*src = imo->imo_multicast_addr;
			return 0;
		}
		if (imo->imo_multicast_if != 0) {
			struct ifnet *ifp = if_get_byindex(imo->imo_multicast_if);

			ia = ifp != NULL ? in_ifaddr_forif(ifp) : NULL;
			if (ifp != NULL)
				if_release(ifp);
			if (ia == NULL)
				return EADDRNOTAVAIL;
			*src = ia->ia_addr;
			return 0;
		}
	}
	/* Even a bound address needs a route to dst, as on Linux. */
	rt = in_route_get(ro, dst);
	if (rt == NULL || (rt->rt_flags & (RTF_REJECT | RTF_BLACKHOLE)) != 0) {
		in_route_free(&tmp);
		return ENETUNREACH;
	}
	if (bound) {
		in_route_free(&tmp);
		*src = inp->inp_laddr;
		return 0;
	}
	ia = NULL;
	if (rt->rt_ifa != NULL &&
	    rt->rt_ifa->ifa_addr.ss_family == AF_INET)
		ia = ifatoia(rt->rt_ifa);
	if (ia == NULL || (rt->rt_ifp != NULL &&
	    (rt->rt_ifp->if_flags & IFF_LOOPBACK) == 0 &&
	    ia->ia_ifa.ifa_ifp != rt->rt_ifp))
		ia = rt->rt_ifp != NULL ? in_ifaddr_forsubnet(rt->rt_ifp, dst) : NULL;
	in_route_free(&tmp);
	if (ia == NULL)
		return EADDRNOTAVAIL;
	*src = ia->ia_addr;
	return 0;
}

int
in_pcbconnect(struct inpcb *inp, const struct sockaddr_in *sin, struct lwp *l)
{
	struct in_addr faddr, laddr;
	int error;

	(void)l;
	if (sin->sin_family != AF_INET)
		return EAFNOSUPPORT;
	if (sin->sin_port == 0)
		return EADDRNOTAVAIL;
	faddr = sin->sin_addr;
	/* Linux: the unspecified destination is this host. */
	if (faddr.s_addr == INADDR_ANY)
		faddr.s_addr = htonl(INADDR_LOOPBACK);
	/* Linux: TCP never connects to a broadcast; others need SO_BROADCAST. */
	if (in_broadcast(faddr, NULL)) {
		if (inp->inp_table->inpt_proto == IPPROTO_TCP)
			return ENETUNREACH;
		if (inp->inp_socket == NULL ||
		    (inp->inp_socket->so_options & SOF_BROADCAST) == 0)
			return EACCES;
	}
	/* A bound address is kept (in_pcbselsrc returns it). */
	if ((error = in_pcbselsrc(inp, faddr, &laddr)) != 0)
		return error;
	if (inp->inp_lport == 0) {
		if ((error = in_pcb_connport(inp, laddr, faddr, sin->sin_port,
		    &inp->inp_lport)) != 0)
			return error;
		inp->inp_flags |= INP_CONNPORT;
	} else if (in_pcblookup_connect(inp->inp_table, faddr, sin->sin_port,
	    laddr, inp->inp_lport) != NULL)
		return EADDRINUSE;
	inp->inp_laddr = laddr;
	inp->inp_faddr = faddr;
	inp->inp_fport = sin->sin_port;
	in_pcbstate(inp, INP_CONNECTED);
	return 0;
}

void
in_pcbdisconnect(struct inpcb *inp)
{
	inp->inp_faddr.s_addr = INADDR_ANY;
	inp->inp_fport = 0;
	/* Linux keeps an address bound by bind(2), forgets a chosen one. */
	if ((inp->inp_flags & INP_ADDRLOCK) == 0)
		inp->inp_laddr.s_addr = INADDR_ANY;
	inp->inp_flags &= ~INP_CONNPORT;
	in_route_free(&inp->inp_route);
	in_pcbstate(inp, inp->inp_lport != 0 ? INP_BOUND : INP_ATTACHED);
}

struct inpcb *
in_pcblookup_connect(struct inpcbtable *t, struct in_addr faddr,
    in_port_t fport, struct in_addr laddr, in_port_t lport)
{
	struct inpcb *p;

	LIST_FOREACH(p, &t->inpt_connhash[in_pcb_connhash(t, faddr, fport,
	    laddr, lport)], inp_connhash) {
		if ((p->inp_flags & INP_IPV6) == 0 &&
		    p->inp_faddr.s_addr == faddr.s_addr &&
		    p->inp_fport == fport && p->inp_lport == lport &&
		    p->inp_laddr.s_addr == laddr.s_addr)
			return p;
	}
	return NULL;
}

struct inpcb *
in_pcblookup_bind(struct inpcbtable *t, struct in_addr laddr, in_port_t lport)
{
	struct inpcb *p, *wild = NULL;

	LIST_FOREACH(p, &t->inpt_porthash[in_pcb_porthash(t, lport)], inp_porthash) {
		if (p->inp_lport != lport || p->inp_state == INP_CONNECTED ||
		    p->inp_socket == NULL || !in_pcb_v4ok(p))
			continue;
		if (p->inp_laddr.s_addr == laddr.s_addr)
			return p;
		if (p->inp_laddr.s_addr == INADDR_ANY && wild == NULL)
			wild = p;
	}
	return wild;
}

struct inpcb *
in_pcblookup_group(struct inpcbtable *t, struct in_addr laddr, in_port_t lport,
    struct in_addr faddr, in_port_t fport)
{
	struct inpcb *p, *best = NULL;
	unsigned n = 0, pick;
	bool exact = false;

	/* The most specific bound PCBs, and how many share the port. */
	LIST_FOREACH(p, &t->inpt_porthash[in_pcb_porthash(t, lport)], inp_porthash) {
		bool pexact = p->inp_laddr.s_addr == laddr.s_addr;

		if (p->inp_lport != lport || p->inp_state == INP_CONNECTED ||
		    p->inp_socket == NULL || !in_pcb_v4ok(p) ||
		    (!pexact && p->inp_laddr.s_addr != INADDR_ANY))
			continue;
		if (pexact && !exact) {
			exact = true;
			best = NULL;
			n = 0;
		} else if (!pexact && exact)
			continue;
		if (best == NULL)
			best = p;
		if ((p->inp_socket->so_options & SOF_REUSEPORT) != 0)
			n++;
	}
	if (best == NULL || n < 2 ||
	    (best->inp_socket->so_options & SOF_REUSEPORT) == 0)
		return best;
	/* SO_REUSEPORT: one of the group, the same one for a given peer. */
	pick = (unsigned)in_pcb_connhash(t, faddr, fport, laddr, lport);
	pick = (pick * 2654435761u >> 7) % n;
	LIST_FOREACH(p, &t->inpt_porthash[in_pcb_porthash(t, lport)], inp_porthash) {
		if (p->inp_lport != lport || p->inp_state == INP_CONNECTED ||
		    p->inp_socket == NULL || !in_pcb_v4ok(p) ||
		    (p->inp_socket->so_options & SOF_REUSEPORT) == 0 ||
		    p->inp_laddr.s_addr != (exact ? laddr.s_addr : INADDR_ANY))
			continue;
		if (pick-- == 0)
			return p;
	}
	return best;
}

struct inpcbhead *
in_pcbporthead(struct inpcbtable *t, in_port_t lport)
{
	return &t->inpt_porthash[in_pcb_porthash(t, lport)];
}

void
in_pcbnotify(struct inpcbtable *t, struct in_addr faddr, in_port_t fport,
    struct in_addr laddr, in_port_t lport, int error,
    void (*notify)(struct inpcb *, int))
{
	struct inpcb *p, *next;

	TAILQ_FOREACH_SAFE(p, &t->inpt_queue, inp_queue, next) {
		if (p->inp_state != INP_CONNECTED ||
		    (p->inp_flags & INP_IPV6) != 0 ||
		    p->inp_faddr.s_addr != faddr.s_addr)
			continue;
		if (fport != 0 && p->inp_fport != fport)
			continue;
		if (lport != 0 && p->inp_lport != lport)
			continue;
		if (laddr.s_addr != INADDR_ANY &&
		    p->inp_laddr.s_addr != laddr.s_addr)
			continue;
		(*notify)(p, error);
	}
}

void
in_pcbrtchange(struct inpcbtable *t, struct in_addr faddr)
{
	struct inpcb *p;

	TAILQ_FOREACH(p, &t->inpt_queue, inp_queue) {
		if (p->inp_route.ro_rt != NULL &&
		    p->inp_route.ro_dst.s_addr == faddr.s_addr)
			in_route_free(&p->inp_route);
	}
}

void
in_pcbpurgeif(struct inpcbtable *t, struct ifnet *ifp)
{
	struct inpcb *p;
	int i;

	TAILQ_FOREACH(p, &t->inpt_queue, inp_queue) {
		struct ip_moptions *imo = p->inp_moptions;

		if (p->inp_route.ro_rt != NULL && p->inp_route.ro_rt->rt_ifp == ifp)
			in_route_free(&p->inp_route);
		if (imo == NULL)
			continue;
		if (imo->imo_multicast_if == ifp->if_index)
			imo->imo_multicast_if = 0;
		for (i = 0; i < imo->imo_num_memberships;) {
			if (imo->imo_membership[i]->inm_ifp != ifp) {
				i++;
				continue;
			}
			in_delmulti(imo->imo_membership[i]);
			imo->imo_membership[i] =
			    imo->imo_membership[--imo->imo_num_memberships];
		}
	}
}

static void
in_pcb_setsin(struct sockaddr_storage *ss, socklen_t *lenp,
    struct in_addr a, in_port_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
	sin->sin_port = port;
	*lenp = sizeof(*sin);
}

void
in_setsockaddr(const struct inpcb *inp, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in_pcb_setsin(ss, lenp, inp->inp_laddr, inp->inp_lport);
}

void
in_setpeeraddr(const struct inpcb *inp, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in_pcb_setsin(ss, lenp, inp->inp_faddr, inp->inp_fport);
}

int
in_pcblist_sysctl(struct sysctlnode *node, struct sysctl_req *req)
{
	struct inpcbtable *t = node->sn_data;
	struct inpcb_info *buf;
	struct inpcb *p;
	size_t n, i = 0, size;
	int error;

	if (req->sr_newp != NULL)
		return EPERM;
	mutex_enter(softnet_lock);
	n = (size_t)t->inpt_count;
	mutex_exit(softnet_lock);
	/* Room for a few more that may come meanwhile. */
	n += 8;
	size = n * sizeof(*buf);
	if ((buf = kmem_zalloc(size, KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_enter(softnet_lock);
	TAILQ_FOREACH(p, &t->inpt_queue, inp_queue) {
		struct inpcb_info *ii;

		if (i == n)
			break;
		ii = &buf[i++];
		ii->ii_laddr = p->inp_laddr.s_addr;
		ii->ii_faddr = p->inp_faddr.s_addr;
		ii->ii_lport = p->inp_lport;
		ii->ii_fport = p->inp_fport;
		ii->ii_state = in_pcb_statefn != NULL && t->inpt_proto == IPPROTO_TCP ?
		    (*in_pcb_statefn)(p) : 0;
		if (p->inp_socket != NULL) {
			ii->ii_rcvcc = (uint32_t)p->inp_socket->so_rcv.sb_cc;
			ii->ii_sndcc = (uint32_t)p->inp_socket->so_snd.sb_cc;
		}
		ii->ii_proto = t->inpt_proto;
	}
	mutex_exit(softnet_lock);
	error = sysctl_copyout_value(req, buf, i * sizeof(*buf));
	kmem_free(buf, size);
	return error;
}
