/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 output (RFC 8200): the outgoing interface and next hop, the
 * source address (RFC 6724, simplified: same scope first, then not
 * deprecated, then the longest common prefix), the hop limit, and
 * fragmentation by the source to the path MTU.
 *
 *   destination one of ours          -> lo0 (a loopback route)
 *   multicast                        -> io_ifindex, else the route's
 *                                       interface; a copy looped back
 *                                       if we are a member and io_mloop
 *   link-local unicast               -> io_ifindex (the scope); none is
 *                                       EHOSTUNREACH
 *   other unicast                    -> longest-prefix match; a gateway
 *                                       route's gateway is the next hop
 *
 * The path MTU is the route's rmx_mtu (a host route made by packet too
 * big, ip6_setpmtu, which expires after 10 minutes), else the
 * interface's (or its RA-given link MTU).  Fragments are never made
 * smaller than needed and never atomic (RFC 8021): a path MTU below
 * 1280 is taken as 1280.  Runs in the caller's thread under
 * softnet_lock and always consumes the packet.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/ip_var.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

#define IP6_PMTU_EXPIRE_NS (600ULL * 1000000000ULL)

struct ip6stat ip6stat;
int ip6_defhlim = IPV6_DEFHLIM;

uint16_t
in6_cksum(struct mbuf *m, uint8_t nxt, int off, int len)
{
	struct ip6_hdr ip6;
	uint32_t sum = 0;
	int i;

	m_copydata(m, 0, sizeof(ip6), &ip6);
	/* RFC 8200 8.1: source, destination, length and next header. */
	for (i = 0; i < 8; i++)
		sum += ip6.ip6_src.s6_addr16[i] + ip6.ip6_dst.s6_addr16[i];
	sum += htons((uint16_t)((uint32_t)len >> 16));
	sum += htons((uint16_t)len);
	sum += htons(nxt);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~in_cksum_partial(m, off, len, sum);
}

static unsigned
ip6_ifmtu(struct ifnet *ifp)
{
	struct in6_ifextra *ie = IN6_IFEXTRA(ifp);

	if (ie != NULL && ie->ie_linkmtu != 0 && ie->ie_linkmtu < ifp->if_mtu)
		return ie->ie_linkmtu;
	return ifp->if_mtu;
}

static unsigned
ip6_rtmtu(const struct rtentry *rt, struct ifnet *ifp)
{
	unsigned mtu = ip6_ifmtu(ifp);

	if (rt != NULL && rt->rt_rmx.rmx_mtu != 0 &&
	    (rt->rt_rmx.rmx_expire == 0 ||
	    rt->rt_rmx.rmx_expire > getnsecuptime()) &&
	    rt->rt_rmx.rmx_mtu < mtu)
		mtu = rt->rt_rmx.rmx_mtu;
	return mtu < IPV6_MMTU ? IPV6_MMTU : mtu;
}

/*
 * Where dst goes: the interface (referenced) and next hop, and the route
 * (referenced, may be NULL).  0 or an errno.
 */
static int
ip6_route(const struct in6_addr *dst, unsigned ifindex, struct ifnet **ifpp,
    struct sockaddr_in6 *nexthop, struct rtentry **rtp)
{
	struct sockaddr_in6 sdst;
	struct rtentry *rt;
	struct ifnet *ifp;

	*rtp = NULL;
	in6_sin6(nexthop, dst, 0, 0);
	if (in6_ifaddr_lookup(dst, NULL) != NULL &&
	    !IN6_IS_ADDR_MULTICAST(dst) && lo0ifp != NULL) {
		if_ref(lo0ifp);
		*ifpp = lo0ifp;
		return 0;
	}
	if (ifindex != 0 &&
	    (IN6_IS_ADDR_MULTICAST(dst) || IN6_IS_ADDR_LINKLOCAL(dst))) {
		if ((ifp = if_get_byindex(ifindex)) == NULL)
			return ENXIO;
		*ifpp = ifp;
		return 0;
	}
	if (IN6_IS_ADDR_LINKLOCAL(dst) || IN6_IS_ADDR_MC_LINKLOCAL(dst))
		return EHOSTUNREACH;    /* a scope is needed */
	in6_sin6(&sdst, dst, 0, 0);
	if ((rt = rtalloc1((struct sockaddr *)&sdst)) == NULL ||
	    rt->rt_ifp == NULL) {
		if (rt != NULL)
			rtfree(rt);
		else
			rt_missmsg((struct sockaddr *)&sdst, ENETUNREACH);
		return ENETUNREACH;
	}
	if (rt->rt_flags & (RTF_REJECT | RTF_BLACKHOLE)) {
		rtfree(rt);
		return EHOSTUNREACH;
	}
	if ((rt->rt_flags & RTF_GATEWAY) != 0 && !IN6_IS_ADDR_MULTICAST(dst))
		memcpy(nexthop, &rt->rt_gateway, sizeof(*nexthop));
	ifp = ifindex != 0 && IN6_IS_ADDR_MULTICAST(dst) ?
	    if_get_byindex(ifindex) : rt->rt_ifp;
	if (ifp == NULL) {
		rtfree(rt);
		return ENXIO;
	}
	if (ifp == rt->rt_ifp)
		if_ref(ifp);
	*ifpp = ifp;
	*rtp = rt;
	return 0;
}

unsigned
ip6_pathmtu(const struct in6_addr *dst, unsigned ifindex)
{
	struct sockaddr_in6 nh;
	struct rtentry *rt;
	struct ifnet *ifp;
	unsigned mtu;

	if (ip6_route(dst, ifindex, &ifp, &nh, &rt) != 0)
		return 0;
	mtu = ip6_rtmtu(rt, ifp);
	if (rt != NULL)
		rtfree(rt);
	if_release(ifp);
	return mtu;
}

void
ip6_setpmtu(const struct in6_addr *dst, unsigned mtu)
{
	struct sockaddr_in6 sdst;
	struct rt_addrinfo info;
	struct rtentry *rt, *hrt = NULL;

	if (mtu < IPV6_MMTU)
		mtu = IPV6_MMTU;        /* RFC 8021: no atomic fragments */
	in6_sin6(&sdst, dst, 0, 0);
	if ((rt = rtalloc1((struct sockaddr *)&sdst)) == NULL)
		return;
	if ((rt->rt_flags & RTF_HOST) == 0) {
		memset(&info, 0, sizeof(info));
		info.rti_dst = (struct sockaddr *)&sdst;
		if (rt->rt_flags & RTF_GATEWAY)
			info.rti_gateway = (struct sockaddr *)&rt->rt_gateway;
		info.rti_ifp = rt->rt_ifp;
		info.rti_ifa = rt->rt_ifa;
		info.rti_flags = RTF_HOST | RTF_DYNAMIC |
		    (rt->rt_flags & RTF_GATEWAY);
		if (rtrequest(RTM_ADD, &info, &hrt) != 0) {
			rtfree(rt);
			return;
		}
		rtfree(rt);
		rt = hrt;
	}
	if (rt->rt_rmx.rmx_mtu == 0 || mtu < rt->rt_rmx.rmx_mtu ||
	    (rt->rt_rmx.rmx_expire != 0 &&
	    rt->rt_rmx.rmx_expire <= getnsecuptime())) {
		rt->rt_rmx.rmx_mtu = mtu;
		if (rt->rt_flags & RTF_DYNAMIC)
			rt->rt_rmx.rmx_expire = getnsecuptime() +
			    IP6_PMTU_EXPIRE_NS;
		icmp6stat.icp6s_pmtuchg++;
	}
	rtfree(rt);
}

/* Split m (its header first) into fragments of at most mtu bytes. */
static int
ip6_fragment(struct mbuf *m, unsigned mtu, struct ifnet *ifp,
    const struct sockaddr_in6 *nh, struct rtentry *rt)
{
	struct ip6_hdr ip6;
	struct ip6_frag fh;
	struct mbuf *f;
	int hlen = sizeof(ip6), plen, chunk, off, error = 0;
	uint32_t id = in6_random();

	m_copydata(m, 0, sizeof(ip6), &ip6);
	plen = m->m_pkthdr.len - hlen;
	chunk = ((int)mtu - hlen - (int)sizeof(fh)) & ~7;
	fh.ip6f_nxt = ip6.ip6_nxt;
	fh.ip6f_reserved = 0;
	fh.ip6f_ident = htonl(id);
	ip6stat.ip6s_fragmented++;
	for (off = 0; off < plen && error == 0; off += chunk) {
		int len = MIN(chunk, plen - off);
		struct ip6_hdr *h;

		if ((f = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL) {
			error = ENOBUFS;
			break;
		}
		m_align(f, hlen + (int)sizeof(fh));
		f->m_len = hlen + (int)sizeof(fh);
		h = mtod(f, struct ip6_hdr *);
		*h = ip6;
		h->ip6_nxt = IPPROTO_FRAGMENT;
		h->ip6_plen = htons((uint16_t)(len + (int)sizeof(fh)));
		fh.ip6f_offlg = htons((uint16_t)(off |
		    (off + len < plen ? IP6F_MORE_FRAG : 0)));
		memcpy(h + 1, &fh, sizeof(fh));
		if ((f->m_next = m_copym(m, hlen + off, len, M_DONTWAIT)) ==
		    NULL) {
			m_freem(f);
			error = ENOBUFS;
			break;
		}
		f->m_pkthdr.len = hlen + (int)sizeof(fh) + len;
		ip6stat.ip6s_ofragments++;
		error = ifp->if_output(ifp, f, (const struct sockaddr *)nh, rt);
	}
	m_freem(m);
	return error;
}

int
ip6_output(struct mbuf *m, const struct ip6_outopts *io)
{
	static const struct ip6_outopts dflt = { .io_hlim = -1,
	    .io_tclass = -1, .io_mloop = true };
	struct sockaddr_in6 nh;
	struct rtentry *rt = NULL;
	struct ifnet *ifp = NULL;
	struct in6_ifaddr *ia;
	struct ip6_hdr *ip6;
	unsigned mtu;
	int error, tclass;

	KASSERT(mutex_owned(softnet_lock));
	if (io == NULL)
		io = &dflt;
	if (m->m_len < (int)sizeof(*ip6) &&
	    (m = m_pullup(m, sizeof(*ip6))) == NULL) {
		ip6stat.ip6s_odropped++;
		return ENOBUFS;
	}
	ip6 = mtod(m, struct ip6_hdr *);
	if (m->m_pkthdr.len - (int)sizeof(*ip6) > IPV6_MAXPACKET) {
		error = EMSGSIZE;
		goto bad;
	}
	tclass = io->io_tclass >= 0 ? io->io_tclass : 0;
	ip6->ip6_flow = htonl(0x60000000u | ((uint32_t)tclass << 20));
	ip6->ip6_plen = htons((uint16_t)(m->m_pkthdr.len - (int)sizeof(*ip6)));
	if (io->io_hlim >= 0)
		ip6->ip6_hlim = (uint8_t)io->io_hlim;
	if ((error = ip6_route(&ip6->ip6_dst, io->io_ifindex, &ifp, &nh,
	    &rt)) != 0) {
		ip6stat.ip6s_noroute++;
		goto bad;
	}
	if (io->io_hlim < 0) {
		struct in6_ifextra *ie = IN6_IFEXTRA(ifp);

		ip6->ip6_hlim = IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) ? 1 :
		    ie != NULL && ie->ie_curhlim != 0 ? (uint8_t)ie->ie_curhlim :
		    (uint8_t)ip6_defhlim;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_src) && io->io_src != NULL)
		ip6->ip6_src = *io->io_src;
	if (IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_src) && !io->io_srcany) {
		if ((ia = in6_selectsrc(&ip6->ip6_dst, ifp)) == NULL) {
			error = EADDRNOTAVAIL;
			ip6stat.ip6s_noroute++;
			goto bad;
		}
		ip6->ip6_src = ia->ia_addr;
	}
	if (io->io_csumproto != 0) {
		int coff = sizeof(*ip6) +
		    (io->io_csumproto == IPPROTO_UDP ? 6 :
		    io->io_csumproto == IPPROTO_TCP ? 16 : 2);
		uint16_t sum = 0;

		if (m->m_pkthdr.len < coff + 2) {
			error = EINVAL;
			goto bad;
		}
		(void)m_copyback(m, coff, 2, &sum);
		sum = in6_cksum(m, (uint8_t)io->io_csumproto, sizeof(*ip6),
		    m->m_pkthdr.len - (int)sizeof(*ip6));
		if (sum == 0 && io->io_csumproto == IPPROTO_UDP)
			sum = 0xffff;
		(void)m_copyback(m, coff, 2, &sum);
		ip6 = mtod(m, struct ip6_hdr *);
	}
	if (IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) && io->io_mloop &&
	    in6_lookup_multi(&ip6->ip6_dst, ifp) != NULL) {
		struct mbuf *c = m_dup(m, 0, M_COPYALL, M_DONTWAIT);

		if (c != NULL) {
			c->m_pkthdr.rcvif = ifp;
			c->m_flags |= M_LOOP | M_MCAST;
			c->m_pkthdr.csum_flags = M_CSUM_DATA_VALID;
			(void)netisr_queue(NETISR_IPV6, c);
		}
	}
	ip6stat.ip6s_localout++;
	mtu = ip6_rtmtu(rt, ifp);
	if ((unsigned)m->m_pkthdr.len > mtu) {
		if (io->io_dontfrag) {
			error = EMSGSIZE;
			ip6stat.ip6s_cantfrag++;
			goto bad;
		}
		error = ip6_fragment(m, mtu, ifp, &nh, rt);
	} else
		error = ifp->if_output(ifp, m, (const struct sockaddr *)&nh, rt);
	m = NULL;
bad:
	m_freem(m);
	if (rt != NULL)
		rtfree(rt);
	if (ifp != NULL)
		if_release(ifp);
	return error;
}
