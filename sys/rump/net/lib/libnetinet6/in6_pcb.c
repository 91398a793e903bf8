/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 protocol control blocks: binding, connecting and finding IPv6
 * PCBs in a protocol's inpcbtable, which IPv4 PCBs share (one port
 * space), with Linux's dual-stack rules; the socket names and the
 * IPPROTO_IPV6 options of such sockets.  <netinet6/in6_pcb.h> states
 * the rules.
 *
 * Everything runs with softnet_lock held (every inet socket's lock).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet6/in6_var.h>
#include <netinet6/in6_pcb.h>

#include "netinet6_private.h"

int
in6_pcballoc(struct socket *so, struct inpcbtable *t)
{
	struct inpcb *inp;
	int error;

	if ((error = in_pcballoc(so, t)) != 0)
		return error;
	inp = so->so_pcb;
	inp->inp_flags |= INP_IPV6;
	return 0;
}

static int
in6_pcb_sooptions(const struct inpcb *inp)
{
	return inp->inp_socket != NULL ? inp->inp_socket->so_options : 0;
}

/* The IPv4 address a v4-mapped one stands for. */
static struct in_addr
in6_pcb_v4(const struct in6_addr *a)
{
	struct in_addr a4;

	a4.s_addr = a->s6_addr32[3];
	return a4;
}

/*
 * Whether binding the IPv6 PCB inp to (laddr, lport) conflicts with
 * another PCB of its table.  IPv4 PCBs count when inp would also take
 * IPv4 (dual-stack, bound to :: or a v4-mapped address).
 */
static bool
in6_pcb_conflict(const struct inpcb *inp, const struct in6_addr *laddr,
    in_port_t lport)
{
	struct inpcbtable *t = inp->inp_table;
	struct inpcb *p;
	int myopt = in6_pcb_sooptions(inp), opt;
	bool v4too = (inp->inp_flags & INP_V6ONLY) == 0 &&
	    (IN6_IS_ADDR_UNSPECIFIED(laddr) || IN6_IS_ADDR_V4MAPPED(laddr));
	struct in_addr a4 = IN6_IS_ADDR_V4MAPPED(laddr) ? in6_pcb_v4(laddr) :
	    (struct in_addr){ INADDR_ANY };

	LIST_FOREACH(p, in_pcbporthead(t, lport), inp_porthash) {
		if (p == inp || p->inp_lport != lport)
			continue;
		if (p->inp_flags & INP_IPV6) {
			if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6) &&
			    !IN6_IS_ADDR_UNSPECIFIED(laddr) &&
			    !IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, laddr))
				continue;
		} else {
			if (!v4too)
				continue;
			if (p->inp_laddr.s_addr != INADDR_ANY &&
			    a4.s_addr != INADDR_ANY &&
			    p->inp_laddr.s_addr != a4.s_addr)
				continue;
		}
		opt = in6_pcb_sooptions(p);
		if ((myopt & opt & SOF_REUSEPORT) != 0 &&
		    p->inp_uid == inp->inp_uid)
			continue;
		if ((myopt & opt & SOF_REUSEADDR) != 0 &&
		    (opt & SOF_ACCEPTCONN) == 0)
			continue;
		return true;
	}
	return false;
}

/*
 * An ephemeral port.  For connect (faddr not NULL), a port only other
 * connections use is shared as long as the four-tuple is new, as
 * in_pcb.c does for IPv4.
 */
static int
in6_pcb_ephemeral(struct inpcb *inp, const struct in6_addr *laddr,
    const struct in6_addr *faddr, in_port_t fport, in_port_t *portp)
{
	const unsigned range = IP_PORTRANGE_LAST - IP_PORTRANGE_FIRST + 1;
	unsigned i, start = in6_random() % range;
	struct inpcb *p;

	for (i = 0; i < range; i++) {
		in_port_t port = htons((uint16_t)(IP_PORTRANGE_FIRST +
		    (start + i) % range));
		bool taken = false;

		if (faddr == NULL) {
			if (!in6_pcb_conflict(inp, laddr, port)) {
				*portp = port;
				return 0;
			}
			continue;
		}
		LIST_FOREACH(p, in_pcbporthead(inp->inp_table, port),
		    inp_porthash) {
			if (p == inp || p->inp_lport != port)
				continue;
			if ((p->inp_flags & INP_IPV6) == 0)
				taken = p->inp_state != INP_CONNECTED ||
				    (p->inp_flags & INP_CONNPORT) == 0;
			else if (p->inp_state == INP_CONNECTED &&
			    (p->inp_flags & INP_CONNPORT) != 0)
				taken = IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, laddr) &&
				    IN6_ARE_ADDR_EQUAL(&p->inp_faddr6, faddr) &&
				    p->inp_fport == fport;
			else
				taken = IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6) ||
				    IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, laddr);
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
in6_pcbbind(struct inpcb *inp, const struct sockaddr_in6 *sin6, struct lwp *l)
{
	struct in6_addr laddr = in6addr_any;
	struct in_addr a4 = { INADDR_ANY };
	in_port_t lport = 0;
	int error;

	(void)l;
	if (inp->inp_lport != 0)
		return EINVAL;
	if (sin6 != NULL) {
		if (sin6->sin6_family != AF_INET6)
			return EAFNOSUPPORT;
		laddr = sin6->sin6_addr;
		lport = sin6->sin6_port;
	}
	if (IN6_IS_ADDR_V4MAPPED(&laddr)) {
		a4 = in6_pcb_v4(&laddr);
		if ((inp->inp_flags & INP_V6ONLY) != 0 ||
		    (a4.s_addr != INADDR_ANY && in_ifaddr_withaddr(a4) == NULL))
			return EADDRNOTAVAIL;
	} else if (!IN6_IS_ADDR_UNSPECIFIED(&laddr)) {
		struct in6_ifaddr *ia = in6_ifaddr_lookup(&laddr, NULL);

		if (IN6_IS_ADDR_MULTICAST(&laddr) || ia == NULL ||
		    (ia->ia_flags & IN6_IFF_DUPLICATED) != 0)
			return EADDRNOTAVAIL;
		if (IN6_IS_ADDR_LINKLOCAL(&laddr) && sin6->sin6_scope_id != 0 &&
		    sin6->sin6_scope_id != ia->ia_ifa.ifa_ifp->if_index)
			return EADDRNOTAVAIL;
	}
	if (lport != 0) {
		kauth_cred_t cred = inp->inp_socket != NULL ?
		    inp->inp_socket->so_cred : NULL;

		if (ntohs(lport) < IP_PORTRESERVED &&
		    (cred == NULL || !kauth_cred_issuser(cred)))
			return EACCES;
		if (in6_pcb_conflict(inp, &laddr, lport))
			return EADDRINUSE;
	} else if ((error = in6_pcb_ephemeral(inp, &laddr, NULL, 0,
	    &lport)) != 0)
		return error;
	if (!IN6_IS_ADDR_UNSPECIFIED(&laddr))
		inp->inp_flags |= INP_ADDRLOCK;
	inp->inp_laddr6 = laddr;
	inp->inp_laddr = a4;
	inp->inp_lport = lport;
	in_pcbstate(inp, INP_BOUND);
	return 0;
}

const struct in6_addr *
in6_pcbselsrc(const struct in6_addr *dst, uint32_t scope)
{
	struct in6_ifaddr *ia;
	struct sockaddr_in6 d;
	struct rtentry *rt;
	struct ifnet *ifp;

	if ((ia = in6_ifaddr_lookup(dst, NULL)) != NULL)
		return &ia->ia_addr;
	if (scope != 0) {
		if ((ifp = if_get_byindex(scope)) == NULL)
			return NULL;
		ia = in6_selectsrc(dst, ifp);
		if_release(ifp);
		return ia != NULL ? &ia->ia_addr : NULL;
	}
	in6_sin6(&d, dst, 0, 0);
	if ((rt = rtalloc1((struct sockaddr *)&d)) == NULL)
		return NULL;
	ia = NULL;
	if (rt->rt_ifp != NULL &&
	    (rt->rt_flags & (RTF_REJECT | RTF_BLACKHOLE)) == 0)
		ia = in6_selectsrc(dst, rt->rt_ifp);
	rtfree(rt);
	return ia != NULL ? &ia->ia_addr : NULL;
}

/* A v4-mapped peer: the PCB becomes an IPv4 one and connects so. */
static int
in6_pcbconnect4(struct inpcb *inp, const struct sockaddr_in6 *sin6,
    struct lwp *l)
{
	struct sockaddr_in sin;
	int error;

	if ((inp->inp_flags & INP_V6ONLY) != 0 ||
	    (!IN6_IS_ADDR_UNSPECIFIED(&inp->inp_laddr6) &&
	    !IN6_IS_ADDR_V4MAPPED(&inp->inp_laddr6)))
		return ENETUNREACH;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = sin6->sin6_port;
	sin.sin_addr = in6_pcb_v4(&sin6->sin6_addr);
	if (IN_MULTICAST(ntohl(sin.sin_addr.s_addr)) ||
	    sin.sin_addr.s_addr == htonl(INADDR_BROADCAST))
		return ENETUNREACH;
	inp->inp_flags &= ~INP_IPV6;
	if ((error = in_pcbconnect(inp, &sin, l)) != 0)
		inp->inp_flags |= INP_IPV6;
	return error;
}

int
in6_pcbconnect(struct inpcb *inp, const struct sockaddr_in6 *sin6,
    struct lwp *l)
{
	struct in6_addr faddr = sin6->sin6_addr;
	const struct in6_addr *laddr;
	uint32_t scope = 0;
	int error;

	if (sin6->sin6_family != AF_INET6)
		return EAFNOSUPPORT;
	if (IN6_IS_ADDR_V4MAPPED(&faddr))
		return in6_pcbconnect4(inp, sin6, l);
	if (sin6->sin6_port == 0)
		return EADDRNOTAVAIL;
	/* Linux: the unspecified destination is this host. */
	if (IN6_IS_ADDR_UNSPECIFIED(&faddr))
		faddr = in6addr_loopback;
	if (IN6_IS_ADDR_MULTICAST(&faddr))
		return ENETUNREACH;
	if (IN6_IS_ADDR_LINKLOCAL(&faddr)) {
		scope = sin6->sin6_scope_id;
		if (scope == 0 && in6_ifaddr_lookup(&faddr, NULL) == NULL)
			return EINVAL;  /* Linux: a link-local peer needs a scope */
	}
	if (IN6_IS_ADDR_V4MAPPED(&inp->inp_laddr6))
		return ENETUNREACH;
	if (!IN6_IS_ADDR_UNSPECIFIED(&inp->inp_laddr6))
		laddr = &inp->inp_laddr6;
	else if ((laddr = in6_pcbselsrc(&faddr, scope)) == NULL)
		return ENETUNREACH;
	if (inp->inp_lport == 0) {
		if ((error = in6_pcb_ephemeral(inp, laddr, &faddr,
		    sin6->sin6_port, &inp->inp_lport)) != 0)
			return error;
		inp->inp_flags |= INP_CONNPORT;
	} else if (in6_pcblookup_connect(inp->inp_table, &faddr,
	    sin6->sin6_port, laddr, inp->inp_lport) != NULL)
		return EADDRINUSE;
	inp->inp_laddr6 = *laddr;
	inp->inp_faddr6 = faddr;
	inp->inp_fport = sin6->sin6_port;
	inp->inp_fscope = scope;
	inp->inp_laddr.s_addr = INADDR_ANY;
	in_pcbstate(inp, INP_CONNECTED);
	return 0;
}

struct inpcb *
in6_pcblookup_connect(struct inpcbtable *t, const struct in6_addr *faddr,
    in_port_t fport, const struct in6_addr *laddr, in_port_t lport)
{
	struct inpcb *p;

	LIST_FOREACH(p, in6_pcbconnhead(t, faddr, fport, laddr, lport),
	    inp_connhash) {
		if ((p->inp_flags & INP_IPV6) != 0 && p->inp_fport == fport &&
		    p->inp_lport == lport &&
		    IN6_ARE_ADDR_EQUAL(&p->inp_faddr6, faddr) &&
		    IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, laddr))
			return p;
	}
	return NULL;
}

struct inpcb *
in6_pcblookup_bind(struct inpcbtable *t, const struct in6_addr *laddr,
    in_port_t lport)
{
	struct inpcb *p, *wild = NULL;

	LIST_FOREACH(p, in_pcbporthead(t, lport), inp_porthash) {
		if ((p->inp_flags & INP_IPV6) == 0 || p->inp_lport != lport ||
		    p->inp_state == INP_CONNECTED || p->inp_socket == NULL)
			continue;
		if (IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, laddr))
			return p;
		if (IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6) && wild == NULL)
			wild = p;
	}
	return wild;
}

void
in6_pcbnotify_table(struct inpcbtable *t, const struct in6_addr *faddr,
    in_port_t fport, const struct in6_addr *laddr, in_port_t lport,
    int error, void (*notify)(struct inpcb *, int))
{
	struct inpcb *p, *next;

	TAILQ_FOREACH_SAFE(p, &t->inpt_queue, inp_queue, next) {
		if ((p->inp_flags & INP_IPV6) == 0 ||
		    p->inp_state != INP_CONNECTED || p->inp_fport != fport ||
		    p->inp_lport != lport ||
		    !IN6_ARE_ADDR_EQUAL(&p->inp_faddr6, faddr) ||
		    !IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, laddr))
			continue;
		(*notify)(p, error);
	}
}

/* An end as a sockaddr_in6: IPv6, or an IPv4 one v4-mapped. */
static void
in6_pcb_name(struct sockaddr_storage *ss, socklen_t *lenp, bool v6,
    const struct in6_addr *a6, struct in_addr a4, in_port_t port,
    uint32_t scope)
{
	struct sockaddr_in6 sin6;
	struct in6_addr a;

	if (v6)
		a = *a6;
	else {
		memset(&a, 0, sizeof(a));
		a.s6_addr[10] = a.s6_addr[11] = 0xff;
		a.s6_addr32[3] = a4.s_addr;
	}
	in6_sin6(&sin6, &a, port, v6 && IN6_IS_ADDR_LINKLOCAL(&a) ? scope : 0);
	memcpy(ss, &sin6, sizeof(sin6));
	*lenp = sizeof(sin6);
}

void
in6_setsockaddr(const struct inpcb *inp, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	bool v6 = (inp->inp_flags & INP_IPV6) != 0;
	struct in6_ifaddr *ia = NULL;

	if (v6 && IN6_IS_ADDR_LINKLOCAL(&inp->inp_laddr6))
		ia = in6_ifaddr_lookup(&inp->inp_laddr6, NULL);
	in6_pcb_name(ss, lenp, v6, &inp->inp_laddr6, inp->inp_laddr,
	    inp->inp_lport, ia != NULL ? ia->ia_ifa.ifa_ifp->if_index : 0);
}

void
in6_setpeeraddr(const struct inpcb *inp, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	in6_pcb_name(ss, lenp, (inp->inp_flags & INP_IPV6) != 0,
	    &inp->inp_faddr6, inp->inp_faddr, inp->inp_fport, inp->inp_fscope);
}

int
in6_pcbctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct inpcb *inp = so->so_pcb;
	int v, error;

	if (inp == NULL)
		return EINVAL;
	if (sopt->sopt_level != IPPROTO_IPV6)
		return ENOPROTOOPT;
	if (op == PRCO_GETOPT) {
		switch (sopt->sopt_name) {
		case IPV6_V6ONLY:
			v = (inp->inp_flags & INP_V6ONLY) != 0;
			break;
		case IPV6_UNICAST_HOPS:
			v = inp->inp_hlim >= 0 ? inp->inp_hlim : ip6_defhlim;
			break;
		case IPV6_TCLASS:
			v = inp->inp_tclass >= 0 ? inp->inp_tclass : 0;
			break;
		case IPV6_MTU_DISCOVER:
			v = inp->inp_pmtudisc;
			break;
		case IPV6_MTU:
			if ((inp->inp_flags & INP_IPV6) == 0 ||
			    IN6_IS_ADDR_UNSPECIFIED(&inp->inp_faddr6))
				return ENOTCONN;
			v = (int)ip6_pathmtu(&inp->inp_faddr6, inp->inp_fscope);
			break;
		default:
			return ENOPROTOOPT;
		}
		return sockopt_setint(sopt, v);
	}
	switch (sopt->sopt_name) {
	case IPV6_V6ONLY:
	case IPV6_UNICAST_HOPS:
	case IPV6_TCLASS:
	case IPV6_MTU_DISCOVER:
		break;
	default:
		return ENOPROTOOPT;
	}
	if ((error = sockopt_getint(sopt, &v)) != 0)
		return error;
	switch (sopt->sopt_name) {
	case IPV6_V6ONLY:
		if (inp->inp_lport != 0)
			return EINVAL;  /* as Linux: not once bound */
		if (v)
			inp->inp_flags |= INP_V6ONLY;
		else
			inp->inp_flags &= ~INP_V6ONLY;
		return 0;
	case IPV6_UNICAST_HOPS:
		if (v < -1 || v > 255)
			return EINVAL;
		inp->inp_hlim = (int16_t)v;
		return 0;
	case IPV6_TCLASS:
		if (v < -1 || v > 255)
			return EINVAL;
		inp->inp_tclass = (int16_t)v;
		return 0;
	default:
		if (v < IPV6_PMTUDISC_DONT || v > 3)
			return EINVAL;
		inp->inp_pmtudisc = (uint8_t)v;
		return 0;
	}
}
