/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 output and the IPPROTO_IP socket options.
 *
 * ip_output runs in the sender's thread with softnet_lock held:
 *   header completed (version, length, id, checksum)
 *   -> next hop: the multicast interface a socket chose, or the route
 *      (cached in the PCB's in_route), gateway or on link
 *   -> source address if the sender left it unset
 *   -> broadcast needs IP_ALLOWBROADCAST (EACCES), multicast gets its TTL
 *      and a copy looped back to local members (IP_MULTICAST_LOOP)
 *   -> the path MTU (the route's, else the interface's): a datagram
 *      that fits goes out whole (with DF under path MTU discovery), a
 *      larger one is cut into fragments unless DF forbids (EMSGSIZE)
 *   -> ifp->if_output.
 * It always consumes the packet; an error is also counted.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

int ip_defttl = IPDEFTTL;
static uint16_t ip_id_next;

uint16_t
ip_newid(void)
{
	/* Sequential from a random start; the reassembly key has the addresses too. */
	if (ip_id_next == 0)
		ip_id_next = (uint16_t)(getnsecuptime() * 2654435761u >> 16) | 1;
	return htons(ip_id_next++);
}

unsigned
ip_rtmtu(const struct rtentry *rt)
{
	unsigned mtu = rt->rt_ifp != NULL ? rt->rt_ifp->if_mtu : IP_MSS;

	if (rt->rt_rmx.rmx_mtu != 0 && rt->rt_rmx.rmx_mtu < mtu)
		mtu = rt->rt_rmx.rmx_mtu;
	return mtu;
}

/* A copy of a multicast datagram for this host's own members. */
static void
ip_mloopback(struct ifnet *ifp, struct mbuf *m)
{
	struct mbuf *copy;

	if ((copy = m_dup(m, 0, M_COPYALL, M_DONTWAIT)) == NULL) {
		ipstat.ips_odropped++;
		return;
	}
	copy->m_flags |= M_LOOP | M_MCAST;
	copy->m_pkthdr.rcvif = ifp;
	copy->m_pkthdr.csum_flags = M_CSUM_IPv4 | M_CSUM_DATA_VALID;
	(void)netisr_queue(NETISR_IP, copy);
}

/*
 * Cut m (header hlen, total len) into fragments of at most mtu bytes,
 * linked by m_nextpkt; m is freed.  NULL if out of memory.
 */
static struct mbuf *
ip_fragment(struct mbuf *m, int hlen, int mtu)
{
	struct ip *ip = mtod(m, struct ip *);
	int len = ntohs(ip->ip_len), per = (mtu - hlen) & ~7, off;
	uint16_t ipoff = ntohs(ip->ip_off);
	struct mbuf *head = NULL, **tailp = &head;

	KASSERT(per >= 8);
	for (off = hlen; off < len; off += per) {
		int dlen = MIN(per, len - off);
		struct mbuf *f;
		struct ip *fip;

		if ((f = m_gethdr(M_DONTWAIT, MT_HEADER)) == NULL)
			goto fail;
		m_align(f, hlen);
		f->m_len = hlen;
		m_copydata(m, 0, hlen, mtod(f, void *));
		if ((f->m_next = m_copym(m, off, dlen, M_DONTWAIT)) == NULL) {
			m_freem(f);
			goto fail;
		}
		f->m_pkthdr.len = hlen + dlen;
		f->m_flags |= m->m_flags & (M_BCAST | M_MCAST);
		fip = mtod(f, struct ip *);
		fip->ip_len = htons((uint16_t)(hlen + dlen));
		fip->ip_off = htons((uint16_t)(((ipoff & IP_OFFMASK) +
		    (off - hlen) / 8) | (ipoff & IP_DF) |
		    (off + dlen < len || (ipoff & IP_MF) ? IP_MF : 0)));
		fip->ip_sum = 0;
		fip->ip_sum = in_cksum(f, hlen);
		*tailp = f;
		tailp = &f->m_nextpkt;
		ipstat.ips_ofragments++;
	}
	m_freem(m);
	ipstat.ips_fragmented++;
	return head;
fail:
	m_freem(m);
	while (head != NULL) {
		struct mbuf *next = head->m_nextpkt;

		m_freem(head);
		head = next;
	}
	return NULL;
}

/*
 * The transport checksum a sender left for us (it did not know the
 * source address): UDP's (0 sent as 0xffff) or TCP's.
 */
static void
ip_delayed_cksum(struct mbuf *m, int hlen, int len)
{
	bool udp = (m->m_pkthdr.csum_flags & M_CSUM_UDPv4) != 0;
	int sumoff = hlen + (udp ? 6 : 16);
	uint16_t zero = 0, sum;

	m->m_pkthdr.csum_flags &= ~(M_CSUM_UDPv4 | M_CSUM_TCPv4);
	if (len < sumoff + 2)
		return;
	m_copyback(m, sumoff, sizeof(zero), &zero);
	sum = in4_cksum(m, udp ? IPPROTO_UDP : IPPROTO_TCP, hlen, len - hlen);
	if (udp && sum == 0)
		sum = 0xffff;
	m_copyback(m, sumoff, sizeof(sum), &sum);
}

/* The interface for a multicast send when no route says: a member's, or lo0. */
static struct ifnet *
ip_mcast_ifp(const struct ip_moptions *imo, struct in_addr dst)
{
	struct in_multi *inm;

	if (imo != NULL && imo->imo_num_memberships > 0)
		return imo->imo_membership[0]->inm_ifp;
	LIST_FOREACH(inm, &in_multihead, inm_list)
		if (inm->inm_addr.s_addr == dst.s_addr)
			return inm->inm_ifp;
	return lo0ifp;
}

int
ip_output(struct mbuf *m, struct in_route *ro, int flags,
    const struct ip_moptions *imo, struct inpcb *inp)
{
	struct in_route tmp = { NULL, { 0 } };
	struct ifnet *ifp = NULL, *mifp = NULL;
	struct rtentry *rt = NULL;
	struct sockaddr_in nexthop;
	struct in_addr dst;
	struct ip *ip;
	int hlen, len, mtu, error = 0;
	bool mcast;

	KASSERT(mutex_owned(softnet_lock));
	KASSERT(m->m_flags & M_PKTHDR);
	if (m->m_len < (int)sizeof(struct ip) &&
	    (m = m_pullup(m, sizeof(struct ip))) == NULL) {
		ipstat.ips_odropped++;
		return ENOBUFS;
	}
	ip = mtod(m, struct ip *);
	if ((flags & (IP_FORWARDING | IP_RAWOUTPUT)) == 0) {
		ip->ip_v = IPVERSION;
		ip->ip_hl = sizeof(struct ip) >> 2;
		ip->ip_id = ip_newid();
		ipstat.ips_localout++;
	} else if (flags & IP_RAWOUTPUT) {
		if (ip->ip_id == 0)
			ip->ip_id = ip_newid();
		ipstat.ips_localout++;
	}
	hlen = ip->ip_hl << 2;
	len = ntohs(ip->ip_len);
	if (hlen < IP_MINHLEN || len < hlen || len != m->m_pkthdr.len ||
	    m->m_len < hlen) {
		error = EINVAL;
		goto bad;
	}
	if (ro == NULL)
		ro = inp != NULL ? &inp->inp_route : &tmp;
	dst = ip->ip_dst;
	mcast = IN_MULTICAST(ntohl(dst.s_addr));
	memset(&nexthop, 0, sizeof(nexthop));
	nexthop.sin_family = AF_INET;
	nexthop.sin_addr = dst;

	if (mcast && imo != NULL && imo->imo_multicast_if != 0) {
		if ((mifp = if_get_byindex(imo->imo_multicast_if)) == NULL) {
			ipstat.ips_noroute++;
			error = ENETUNREACH;
			goto bad;
		}
		ifp = mifp;
	} else {
		rt = in_route_get(ro, dst);
		if (rt == NULL && mcast)
			ifp = ip_mcast_ifp(imo, dst);
		else if (rt == NULL) {
			ipstat.ips_noroute++;
			error = ENETUNREACH;
			rt_missmsg((const struct sockaddr *)&nexthop, error);
			goto bad;
		} else if (rt->rt_flags & (RTF_REJECT | RTF_BLACKHOLE)) {
			error = (rt->rt_flags & RTF_BLACKHOLE) ? 0 :
			    (rt->rt_flags & RTF_HOST) ? EHOSTUNREACH : ENETUNREACH;
			goto bad;
		} else {
			ifp = rt->rt_ifp;
			if (rt->rt_flags & RTF_GATEWAY) {
				if ((flags & IP_ROUTETOIF) != 0) {
					ipstat.ips_noroute++;
					error = ENETUNREACH;
					goto bad;
				}
				memcpy(&nexthop, &rt->rt_gateway, sizeof(nexthop));
			}
		}
	}
	if (ifp == NULL || (ifp->if_flags & IFF_UP) == 0) {
		ipstat.ips_noroute++;
		error = ifp == NULL ? ENETUNREACH : ENETDOWN;
		goto bad;
	}

	if (ip->ip_src.s_addr == INADDR_ANY) {
		struct in_ifaddr *ia = NULL;

		if (mcast && imo != NULL &&
		    imo->imo_multicast_addr.s_addr != INADDR_ANY)
			ip->ip_src = imo->imo_multicast_addr;
		else {
			if (rt != NULL && rt->rt_ifa != NULL &&
			    rt->rt_ifa->ifa_addr.ss_family == AF_INET)
				ia = ifatoia(rt->rt_ifa);
			if (ia == NULL)
				ia = in_ifaddr_forsubnet(ifp, dst);
			if (ia == NULL && (ifp->if_flags & IFF_LOOPBACK) == 0)
				ia = in_ifaddr_forif(lo0ifp);
			if (ia == NULL) {
				error = EADDRNOTAVAIL;
				goto bad;
			}
			ip->ip_src = ia->ia_addr;
		}
	}

	if (m->m_pkthdr.csum_flags & (M_CSUM_UDPv4 | M_CSUM_TCPv4))
		ip_delayed_cksum(m, hlen, len);
	m->m_flags &= ~(M_BCAST | M_MCAST);
	if (mcast) {
		m->m_flags |= M_MCAST;
		if ((flags & (IP_FORWARDING | IP_RAWOUTPUT)) == 0)
			ip->ip_ttl = imo != NULL ? imo->imo_multicast_ttl :
			    IP_DEFAULT_MULTICAST_TTL;
	} else if (in_broadcast(dst, ifp) ||
	    (rt != NULL && (rt->rt_flags & RTF_BROADCAST) != 0)) {
		if ((ifp->if_flags & (IFF_BROADCAST | IFF_LOOPBACK)) == 0) {
			error = EADDRNOTAVAIL;
			goto bad;
		}
		if ((flags & IP_ALLOWBROADCAST) == 0) {
			error = EACCES;
			goto bad;
		}
		m->m_flags |= M_BCAST;
		nexthop.sin_addr = dst;
	}

	mtu = rt != NULL ? (int)ip_rtmtu(rt) : (int)ifp->if_mtu;
	if (flags & IP_MTUDISC_DO)
		ip->ip_off |= htons(IP_DF);
	else if ((flags & IP_MTUDISC) != 0 && len <= mtu && !mcast &&
	    (m->m_flags & M_BCAST) == 0)
		ip->ip_off |= htons(IP_DF);
	ip->ip_sum = 0;
	ip->ip_sum = in_cksum(m, hlen);

	if (mcast && (ifp->if_flags & IFF_LOOPBACK) == 0) {
		bool loop = imo != NULL ? imo->imo_multicast_loop != 0 :
		    IP_DEFAULT_MULTICAST_LOOP != 0;

		if (loop && (flags & IP_NOLOOPMCAST) == 0 &&
		    in_lookup_multi(dst, ifp) != NULL)
			ip_mloopback(ifp, m);
		/* TTL 0 stays on this host; local groups are not forwarded. */
		if (ip->ip_ttl == 0) {
			m_freem(m);
			goto done;
		}
	}

	if (len <= mtu) {
		if (rt != NULL)
			rt->rt_rmx.rmx_pksent++;
		error = ifp->if_output(ifp, m, (const struct sockaddr *)&nexthop, rt);
		goto done;
	}
	if (ntohs(ip->ip_off) & IP_DF) {
		ipstat.ips_cantfrag++;
		error = EMSGSIZE;
		goto bad;
	}
	if (mtu - hlen < 8) {
		error = EMSGSIZE;
		goto bad;
	}
	m = ip_fragment(m, hlen, mtu);
	if (m == NULL) {
		ipstat.ips_odropped++;
		error = ENOBUFS;
		goto done;
	}
	while (m != NULL) {
		struct mbuf *next = m->m_nextpkt;

		m->m_nextpkt = NULL;
		if (error == 0)
			error = ifp->if_output(ifp, m,
			    (const struct sockaddr *)&nexthop, rt);
		else
			m_freem(m);
		m = next;
	}
	goto done;
bad:
	m_freem(m);
	if (error != 0 && error != EACCES && error != EMSGSIZE)
		ipstat.ips_odropped++;
done:
	if (mifp != NULL)
		if_release(mifp);
	in_route_free(&tmp);
	return error;
}

/*
 * IPPROTO_IP socket options.
 */

/* Linux takes most of these as an int or, shorter, as one byte. */
static int
ip_optint(const struct sockopt *sopt, int *vp)
{
	if (sopt->sopt_size >= sizeof(int)) {
		memcpy(vp, sopt->sopt_data, sizeof(int));
		return 0;
	}
	if (sopt->sopt_size >= 1) {
		*vp = *(const unsigned char *)sopt->sopt_data;
		return 0;
	}
	return EINVAL;
}

static struct ip_moptions *
ip_getmoptions(struct inpcb *inp)
{
	struct ip_moptions *imo = inp->inp_moptions;

	if (imo == NULL) {
		if ((imo = kmem_zalloc(sizeof(*imo), KM_NOSLEEP)) == NULL)
			return NULL;
		imo->imo_multicast_ttl = IP_DEFAULT_MULTICAST_TTL;
		imo->imo_multicast_loop = IP_DEFAULT_MULTICAST_LOOP;
		inp->inp_moptions = imo;
	}
	return imo;
}

/* Linux's ip_mreqn read from an ip_mreqn, ip_mreq or in_addr. */
static int
ip_getmreqn(const struct sockopt *sopt, struct ip_mreqn *mr, bool addronly)
{
	memset(mr, 0, sizeof(*mr));
	if (sopt->sopt_size >= sizeof(struct ip_mreqn))
		memcpy(mr, sopt->sopt_data, sizeof(*mr));
	else if (sopt->sopt_size >= sizeof(struct ip_mreq)) {
		struct ip_mreq m;

		memcpy(&m, sopt->sopt_data, sizeof(m));
		mr->imr_multiaddr = m.imr_multiaddr;
		mr->imr_address = m.imr_interface;
	} else if (addronly && sopt->sopt_size >= sizeof(struct in_addr))
		memcpy(&mr->imr_address, sopt->sopt_data, sizeof(struct in_addr));
	else
		return EINVAL;
	return 0;
}

/* The interface a membership request names; referenced.  NULL: ENODEV. */
static struct ifnet *
ip_mreq_ifp(const struct ip_mreqn *mr)
{
	struct in_ifaddr *ia;
	struct rtentry *rt;
	struct sockaddr_in sin;
	struct ifnet *ifp;

	if (mr->imr_ifindex != 0)
		return if_get_byindex((unsigned)mr->imr_ifindex);
	if (mr->imr_address.s_addr != INADDR_ANY) {
		if ((ia = in_ifaddr_withaddr(mr->imr_address)) == NULL)
			return NULL;
		if_ref(ia->ia_ifa.ifa_ifp);
		return ia->ia_ifa.ifa_ifp;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = mr->imr_multiaddr;
	if ((rt = rtalloc1((struct sockaddr *)&sin)) != NULL) {
		ifp = rt->rt_ifp;
		if (ifp != NULL)
			if_ref(ifp);
		rtfree(rt);
		if (ifp != NULL)
			return ifp;
	}
	/* No route for the group: the first multicast interface, else lo0. */
	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list)
		if ((ifp->if_flags & (IFF_MULTICAST | IFF_UP)) ==
		    (IFF_MULTICAST | IFF_UP))
			break;
	if (ifp == NULL)
		ifp = lo0ifp;
	if (ifp != NULL)
		if_ref(ifp);
	mutex_exit(&ifnet_lock);
	return ifp;
}

static int
ip_membership(struct inpcb *inp, const struct sockopt *sopt, bool add)
{
	struct ip_moptions *imo;
	struct ip_mreqn mr;
	struct in_multi *inm;
	struct ifnet *ifp;
	int i, error = 0;

	if ((error = ip_getmreqn(sopt, &mr, false)) != 0)
		return error;
	if (!IN_MULTICAST(ntohl(mr.imr_multiaddr.s_addr)))
		return EINVAL;
	if ((ifp = ip_mreq_ifp(&mr)) == NULL)
		return add ? ENODEV : EADDRNOTAVAIL;
	if ((imo = ip_getmoptions(inp)) == NULL) {
		if_release(ifp);
		return ENOBUFS;
	}
	for (i = 0; i < imo->imo_num_memberships; i++)
		if (imo->imo_membership[i]->inm_ifp == ifp &&
		    imo->imo_membership[i]->inm_addr.s_addr ==
		    mr.imr_multiaddr.s_addr)
			break;
	if (add) {
		if (i < imo->imo_num_memberships)
			error = EADDRINUSE;
		else if (imo->imo_num_memberships == IP_MAX_MEMBERSHIPS)
			error = ENOBUFS;
		else if ((inm = in_addmulti(mr.imr_multiaddr, ifp, &error)) != NULL)
			imo->imo_membership[imo->imo_num_memberships++] = inm;
	} else {
		if (i == imo->imo_num_memberships)
			error = EADDRNOTAVAIL;
		else {
			in_delmulti(imo->imo_membership[i]);
			imo->imo_membership[i] =
			    imo->imo_membership[--imo->imo_num_memberships];
		}
	}
	if_release(ifp);
	return error;
}

static int
ip_setopt(struct socket *so, struct inpcb *inp, struct sockopt *sopt)
{
	struct ip_moptions *imo;
	struct ip_mreqn mr;
	int v, error, bit = 0;

	switch (sopt->sopt_name) {
	case IP_RECVTTL:
		bit = INP_RECVTTL;
		break;
	case IP_PKTINFO:
		bit = INP_PKTINFO;
		break;
	case IP_RECVTOS:
		bit = INP_RECVTOS;
		break;
	case IP_MULTICAST_ALL:
		bit = INP_MCASTALL;
		break;
	case IP_HDRINCL:
		if (so->so_type != SOCK_RAW)
			return ENOPROTOOPT;
		bit = INP_HDRINCL;
		break;
	case IP_ADD_MEMBERSHIP:
	case IP_DROP_MEMBERSHIP:
		return ip_membership(inp, sopt, sopt->sopt_name == IP_ADD_MEMBERSHIP);
	case IP_MULTICAST_IF:
		if ((error = ip_getmreqn(sopt, &mr, true)) != 0)
			return error;
		if ((imo = ip_getmoptions(inp)) == NULL)
			return ENOBUFS;
		if (mr.imr_ifindex != 0) {
			struct ifnet *ifp = if_get_byindex((unsigned)mr.imr_ifindex);

			if (ifp == NULL)
				return ENODEV;
			imo->imo_multicast_if = ifp->if_index;
			if_release(ifp);
			imo->imo_multicast_addr.s_addr = INADDR_ANY;
		} else if (mr.imr_address.s_addr == INADDR_ANY) {
			imo->imo_multicast_if = 0;
			imo->imo_multicast_addr.s_addr = INADDR_ANY;
		} else {
			struct in_ifaddr *ia = in_ifaddr_withaddr(mr.imr_address);

			if (ia == NULL)
				return EADDRNOTAVAIL;
			imo->imo_multicast_if = ia->ia_ifa.ifa_ifp->if_index;
			imo->imo_multicast_addr = mr.imr_address;
		}
		return 0;
	case IP_OPTIONS:
		/* Options are not sent: only the empty list is taken. */
		return sopt->sopt_size == 0 ? 0 : EINVAL;
	default:
		break;
	}
	if ((error = ip_optint(sopt, &v)) != 0)
		return error;
	if (bit != 0) {
		if (v)
			inp->inp_flags |= bit;
		else
			inp->inp_flags &= ~bit;
		return 0;
	}
	switch (sopt->sopt_name) {
	case IP_TTL:
		if (v == -1)
			v = ip_defttl;
		if (v < 1 || v > 255)
			return EINVAL;
		inp->inp_ttl = (uint8_t)v;
		return 0;
	case IP_TOS:
		inp->inp_tos = (uint8_t)v;
		return 0;
	case IP_MTU_DISCOVER:
		if (v < IP_PMTUDISC_DONT || v > 5)
			return EINVAL;
		inp->inp_pmtudisc = (uint8_t)v;
		return 0;
	case IP_MULTICAST_TTL:
		if (v == -1)
			v = IP_DEFAULT_MULTICAST_TTL;
		if (v < 0 || v > 255)
			return EINVAL;
		if ((imo = ip_getmoptions(inp)) == NULL)
			return ENOBUFS;
		imo->imo_multicast_ttl = (uint8_t)v;
		return 0;
	case IP_MULTICAST_LOOP:
		if ((imo = ip_getmoptions(inp)) == NULL)
			return ENOBUFS;
		imo->imo_multicast_loop = v != 0;
		return 0;
	default:
		return ENOPROTOOPT;
	}
}

static int
ip_getopt(struct inpcb *inp, struct sockopt *sopt)
{
	const struct ip_moptions *imo = inp->inp_moptions;
	struct rtentry *rt;
	int v;

	switch (sopt->sopt_name) {
	case IP_TTL:
		v = inp->inp_ttl;
		break;
	case IP_TOS:
		v = inp->inp_tos;
		break;
	case IP_RECVTTL:
		v = (inp->inp_flags & INP_RECVTTL) != 0;
		break;
	case IP_PKTINFO:
		v = (inp->inp_flags & INP_PKTINFO) != 0;
		break;
	case IP_RECVTOS:
		v = (inp->inp_flags & INP_RECVTOS) != 0;
		break;
	case IP_HDRINCL:
		v = (inp->inp_flags & INP_HDRINCL) != 0;
		break;
	case IP_MULTICAST_ALL:
		v = (inp->inp_flags & INP_MCASTALL) != 0;
		break;
	case IP_MTU_DISCOVER:
		v = inp->inp_pmtudisc;
		break;
	case IP_MTU:
		if (inp->inp_state != INP_CONNECTED)
			return ENOTCONN;
		if ((rt = in_route_get(&inp->inp_route, inp->inp_faddr)) == NULL)
			return ENOTCONN;
		v = (int)ip_rtmtu(rt);
		break;
	case IP_MULTICAST_TTL:
		v = imo != NULL ? imo->imo_multicast_ttl : IP_DEFAULT_MULTICAST_TTL;
		break;
	case IP_MULTICAST_LOOP:
		v = imo != NULL ? imo->imo_multicast_loop : IP_DEFAULT_MULTICAST_LOOP;
		break;
	case IP_MULTICAST_IF: {
		struct in_addr a = { INADDR_ANY };

		if (imo != NULL)
			a = imo->imo_multicast_addr;
		return sockopt_set(sopt, &a, sizeof(a));
	}
	case IP_OPTIONS:
		sopt->sopt_size = 0;
		return 0;
	default:
		return ENOPROTOOPT;
	}
	return sockopt_setint(sopt, v);
}

int
ip_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct inpcb *inp = so->so_pcb;

	KASSERT(solocked(so));
	if (sopt->sopt_level != IPPROTO_IP)
		return ENOPROTOOPT;
	if (inp == NULL)
		return EINVAL;
	if (op == PRCO_SETOPT)
		return ip_setopt(so, inp, sopt);
	return ip_getopt(inp, sopt);
}

/* The ip_output flags a PCB's options ask for. */
int
ip_pcbflags(const struct inpcb *inp)
{
	int flags = 0;
	const struct socket *so = inp->inp_socket;

	if (so != NULL && (so->so_options & SOF_BROADCAST))
		flags |= IP_ALLOWBROADCAST;
	if (so != NULL && (so->so_options & SOF_DONTROUTE))
		flags |= IP_ROUTETOIF;
	if (inp->inp_pmtudisc == IP_PMTUDISC_WANT)
		flags |= IP_MTUDISC;
	else if (inp->inp_pmtudisc >= IP_PMTUDISC_DO)
		flags |= IP_MTUDISC_DO;
	if (inp->inp_moptions != NULL && inp->inp_moptions->imo_multicast_loop == 0)
		flags |= IP_NOLOOPMCAST;
	return flags;
}
