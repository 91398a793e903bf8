/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 input and forwarding.
 *
 * ip_input is NETISR_IP's handler: it runs in the soft interrupt with
 * softnet_lock held, for each packet a link layer queued.  In order:
 *   header checks (RFC 791, RFC 1122 3.2.1): length of the packet,
 *     version, header length, checksum (unless the link vouched for it),
 *     total length against the data (excess trimmed), source address
 *     sanity (no multicast, class E, broadcast; no loopback address and
 *     none of our own from outside this host)
 *   options: walked and checked; source routes refused with a parameter
 *     problem, the others ignored
 *   ours? an address of any interface (weak host model), 127/8 on lo0,
 *     a broadcast address, or a group joined on the receiving interface
 *   -> fragments to ip_reass_packet, whole datagrams to ip_deliver: raw
 *      sockets get a copy, then the protocol's pr_input
 *   not ours -> ip_forward when net.inet.ip.forwarding is 1: TTL, route,
 *      ip_output; ICMP time exceeded, unreachable, need-frag as due.
 * Every drop is counted in ipstat.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/domain.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/in_pcb.h>
#include <netinet/ip_var.h>
#include <netinet/ip_icmp.h>

#include "netinet_private.h"

struct ipstat ipstat;
int ip_forwarding;

/* The protocol switch entry for each protocol number (c after init). */
static const struct protosw *ip_protox[IPPROTO_MAX];

void
ip_init(void)
{
	const struct protosw *pr;

	for (pr = inetdomain.dom_protosw; pr < inetdomain.dom_protoswNPROTOSW; pr++)
		if (pr->pr_protocol > 0 && pr->pr_protocol < IPPROTO_MAX &&
		    pr->pr_protocol != IPPROTO_RAW && pr->pr_input != NULL &&
		    ip_protox[pr->pr_protocol] == NULL)
			ip_protox[pr->pr_protocol] = pr;
	ip_reass_init();
}

const struct protosw *
ip_protosw(int proto)
{
	return proto >= 0 && proto < IPPROTO_MAX ? ip_protox[proto] : NULL;
}

/*
 * Check the options of a header; 0 when they may pass, else the offset
 * of the offending byte for a parameter problem (source routes: the
 * option's first byte).
 */
static int
ip_checkoptions(const uint8_t *opt, int len)
{
	int off = 0;

	while (off < len) {
		int type = opt[off], olen;

		if (type == IPOPT_EOL)
			break;
		if (type == IPOPT_NOP) {
			off++;
			continue;
		}
		if (off + 1 >= len)
			return IP_MINHLEN + off;
		olen = opt[off + 1];
		if (olen < 2 || off + olen > len)
			return IP_MINHLEN + off + 1;
		if (type == IPOPT_LSRR || type == IPOPT_SSRR)
			return IP_MINHLEN + off;
		off += olen;
	}
	return 0;
}

/* Whether a datagram to dst that came in on ifp is for this host. */
static bool
ip_ours(struct in_addr dst, struct ifnet *ifp, int proto)
{
	uint32_t h = ntohl(dst.s_addr);

	if (IN_MULTICAST(h)) {
		if (in_lookup_multi(dst, ifp) != NULL)
			return true;
		/* IGMP queries to all hosts and reports for groups we track. */
		if (proto == IPPROTO_IGMP || h == INADDR_ALLHOSTS_GROUP)
			return true;
		ipstat.ips_notmember++;
		return false;
	}
	if (in_ifaddr_withaddr(dst) != NULL)
		return true;
	if ((h >> 24) == IN_LOOPBACKNET && ifp != NULL &&
	    (ifp->if_flags & IFF_LOOPBACK) != 0)
		return true;
	return in_broadcast(dst, ifp);
}

void
ip_input(struct mbuf *m)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct ip *ip;
	int hlen, len, bad;
	uint32_t src;
	bool fromout;

	KASSERT(mutex_owned(softnet_lock));
	ipstat.ips_total++;
	if (m->m_pkthdr.len < (int)sizeof(struct ip)) {
		ipstat.ips_toosmall++;
		goto drop;
	}
	if (m->m_len < (int)sizeof(struct ip) &&
	    (m = m_pullup(m, sizeof(struct ip))) == NULL) {
		ipstat.ips_toosmall++;
		return;
	}
	ip = mtod(m, struct ip *);
	if (ip->ip_v != IPVERSION) {
		ipstat.ips_badvers++;
		goto drop;
	}
	hlen = ip->ip_hl << 2;
	if (hlen < IP_MINHLEN || hlen > m->m_pkthdr.len) {
		ipstat.ips_badhlen++;
		goto drop;
	}
	if (hlen > m->m_len) {
		if ((m = m_pullup(m, hlen)) == NULL) {
			ipstat.ips_badhlen++;
			return;
		}
		ip = mtod(m, struct ip *);
	}
	if ((m->m_pkthdr.csum_flags & M_CSUM_IPv4) == 0 && in_cksum(m, hlen) != 0) {
		ipstat.ips_badsum++;
		goto drop;
	}
	len = ntohs(ip->ip_len);
	if (len < hlen) {
		ipstat.ips_badlen++;
		goto drop;
	}
	if (m->m_pkthdr.len < len) {
		ipstat.ips_tooshort++;
		goto drop;
	}
	if (m->m_pkthdr.len > len)
		m_adj(m, len - m->m_pkthdr.len);
	if (ntohs(ip->ip_off) & IP_RF) {
		ipstat.ips_badoptions++;
		goto drop;
	}

	src = ntohl(ip->ip_src.s_addr);
	fromout = ifp != NULL && (ifp->if_flags & IFF_LOOPBACK) == 0 &&
	    (m->m_flags & M_LOOP) == 0;
	if (IN_MULTICAST(src) || IN_EXPERIMENTAL(src) ||
	    ((src >> 24) == IN_LOOPBACKNET && (ifp == NULL || fromout)) ||
	    (src != INADDR_ANY && in_broadcast(ip->ip_src, ifp)) ||
	    (fromout && in_ifaddr_withaddr(ip->ip_src) != NULL)) {
		ipstat.ips_badaddr++;
		goto drop;
	}

	if (hlen > IP_MINHLEN &&
	    (bad = ip_checkoptions((const uint8_t *)(ip + 1),
	    hlen - IP_MINHLEN)) != 0) {
		ipstat.ips_badoptions++;
		icmp_error(m, ICMP_PARAMPROB, ICMP_PARAMPROB_ERRATPTR, (uint32_t)bad);
		return;
	}

	if (!ip_ours(ip->ip_dst, ifp, ip->ip_p)) {
		if (IN_MULTICAST(ntohl(ip->ip_dst.s_addr)))
			goto drop;
		ip_forward(m);
		return;
	}

	if (ntohs(ip->ip_off) & (IP_MF | IP_OFFMASK)) {
		ipstat.ips_fragments++;
		if ((m = ip_reass_packet(m)) == NULL)
			return;
		ip = mtod(m, struct ip *);
		hlen = ip->ip_hl << 2;
	}
	ip_deliver(m, hlen, ip->ip_p);
	return;
drop:
	m_freem(m);
}

void
ip_deliver(struct mbuf *m, int hlen, int proto)
{
	const struct protosw *pr;
	bool raw;

	KASSERT(proto >= 0 && proto < IPPROTO_MAX);
	ipstat.ips_delivered++;
	raw = rip_deliver(m, proto);
	if ((pr = ip_protox[proto]) != NULL) {
		(*pr->pr_input)(m, hlen, proto);
		return;
	}
	if (raw) {
		m_freem(m);
		return;
	}
	ipstat.ips_noproto++;
	ipstat.ips_delivered--;
	icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL, 0);
}

void
ip_forward(struct mbuf *m)
{
	struct ip *ip = mtod(m, struct ip *);
	struct mbuf *mcopy;
	struct sockaddr_in sin;
	struct rtentry *rt;
	unsigned mtu = 0;
	int error, hlen = ip->ip_hl << 2;

	if (!ip_forwarding || (m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    !in_canforward(ip->ip_dst) || !in_canforward(ip->ip_src)) {
		ipstat.ips_cantforward++;
		m_freem(m);
		return;
	}
	if (ip->ip_ttl <= IPTTLDEC) {
		ipstat.ips_timxceed++;
		icmp_error(m, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0);
		return;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = ip->ip_dst;
	if ((rt = rtalloc1((struct sockaddr *)&sin)) == NULL) {
		ipstat.ips_noroute++;
		icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_HOST, 0);
		return;
	}
	mtu = ip_rtmtu(rt);
	rtfree(rt);
	/* What an error will quote: the header and 8 bytes, before the TTL changes. */
	mcopy = m_copym(m, 0, MIN(m->m_pkthdr.len, hlen + 8), M_DONTWAIT);
	if (mcopy != NULL && (mcopy = m_pullup(mcopy, MIN(mcopy->m_pkthdr.len,
	    hlen + 8))) == NULL)
		ipstat.ips_odropped++;
	ip->ip_ttl -= IPTTLDEC;
	error = ip_output(m, NULL, IP_FORWARDING, NULL, NULL);
	if (error == 0) {
		ipstat.ips_forward++;
		m_freem(mcopy);
		return;
	}
	ipstat.ips_cantforward++;
	if (mcopy == NULL)
		return;
	switch (error) {
	case EMSGSIZE:
		icmp_error(mcopy, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, mtu);
		break;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
		icmp_error(mcopy, ICMP_UNREACH, ICMP_UNREACH_HOST, 0);
		break;
	default:
		m_freem(mcopy);
		break;
	}
}

/*
 * The control messages (IP_TTL, IP_TOS, IP_PKTINFO) that a UDP or raw
 * socket asked for, about datagram ip received on ifp.
 */
struct mbuf *
ip_savecontrol(const struct inpcb *inp, const struct ip *ip, struct ifnet *ifp)
{
	struct mbuf *control = NULL, **tailp = &control;

	if (inp->inp_flags & INP_RECVTTL) {
		int ttl = ip->ip_ttl;

		if ((*tailp = sbcreatecontrol(&ttl, sizeof(ttl), IP_TTL,
		    IPPROTO_IP)) != NULL)
			tailp = &(*tailp)->m_next;
	}
	if (inp->inp_flags & INP_RECVTOS) {
		uint8_t tos = ip->ip_tos;

		if ((*tailp = sbcreatecontrol(&tos, sizeof(tos), IP_TOS,
		    IPPROTO_IP)) != NULL)
			tailp = &(*tailp)->m_next;
	}
	if (inp->inp_flags & INP_PKTINFO) {
		struct in_pktinfo pi;
		struct in_ifaddr *ia;

		memset(&pi, 0, sizeof(pi));
		pi.ipi_ifindex = ifp != NULL ? (int)ifp->if_index : 0;
		pi.ipi_addr = ip->ip_dst;
		/* The address a reply would come from. */
		if (in_ifaddr_withaddr(ip->ip_dst) != NULL)
			pi.ipi_spec_dst = ip->ip_dst;
		else if (ifp != NULL &&
		    (ia = in_ifaddr_forsubnet(ifp, ip->ip_src)) != NULL)
			pi.ipi_spec_dst = ia->ia_addr;
		*tailp = sbcreatecontrol(&pi, sizeof(pi), IP_PKTINFO, IPPROTO_IP);
	}
	return control;
}
