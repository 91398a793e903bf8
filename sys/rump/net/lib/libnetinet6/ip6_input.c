/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 input (RFC 8200), from the NETISR_IPV6 queue under softnet_lock.
 *
 * The header: version 6, a payload length the packet holds (anything
 * beyond it trimmed; 0, a jumbogram, refused), no multicast or
 * unspecified-to-unicast nonsense as the source, no loopback addresses
 * from outside.  The destination must be one of our usable addresses
 * (a link-local one on the interface it came in on) or a group joined
 * on that interface; a tentative address takes nothing but neighbour
 * solicitations (RFC 4862 5.4.3).  Nothing is forwarded.
 *
 * The extension header chain is walked with limits in RFC 9098's
 * spirit: at most IP6_MAXEXTHDRS headers and IP6_MAXEXTLEN bytes of
 * them, hop-by-hop only first, at most IP6_MAXOPTS options in an
 * options header and no run of padding longer than 7 bytes (an option
 * storm); unknown options act as their two high bits say.  A routing
 * header with segments left is refused with a parameter problem
 * (including type 0, RFC 5095: we route nothing); with none left it is
 * skipped.  Fragments go to frag6.c; the reassembled datagram is walked
 * again from the start.  An unknown upper layer (nobody listening on a
 * raw socket either) draws a parameter problem pointing at its next
 * header field.  Every drop is counted in ip6stat.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

#define IP6_MAXEXTHDRS 8                /* extension headers in a chain */
#define IP6_MAXEXTLEN  1024             /* their total bytes */
#define IP6_MAXOPTS    16               /* options in one options header */

/* Is dst for us, arriving on ifp? */
static bool
ip6_ours(const struct in6_addr *dst, struct ifnet *ifp, bool *tentative)
{
	struct in6_ifaddr *ia;

	*tentative = false;
	if (IN6_IS_ADDR_MULTICAST(dst)) {
		if (IN6_ARE_ADDR_EQUAL(dst, &in6addr_linklocal_allnodes))
			return true;
		return in6_lookup_multi(dst, ifp) != NULL;
	}
	if ((ia = in6_ifaddr_lookup(dst, ifp)) == NULL)
		return false;
	if ((ia->ia_flags & IN6_IFF_DETACHED) != 0)
		return false;
	if ((ia->ia_flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)) != 0)
		*tentative = true;
	return true;
}

/*
 * Walk an options header at off (hop-by-hop or destination): false if
 * the packet was dropped (and an error maybe sent).
 */
static bool
ip6_options(struct mbuf *m, int off, int hlen, bool dstmcast)
{
	uint8_t buf[IP6_MAXEXTLEN];
	int i = 2, nopts = 0, pad = 0;

	m_copydata(m, off, hlen, buf);
	while (i < hlen) {
		uint8_t type = buf[i], olen;

		if (type == IP6OPT_PAD1) {
			if (++pad > 7)
				goto storm;
			i++;
			continue;
		}
		if (i + 2 > hlen || i + 2 + buf[i + 1] > hlen) {
			ip6stat.ip6s_badoptions++;
			icmp6_error(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,
			    (uint32_t)(off + i + 1));
			return false;
		}
		olen = buf[i + 1];
		if (++nopts > IP6_MAXOPTS)
			goto storm;
		if (type == IP6OPT_PADN) {
			pad += 2 + olen;
			if (pad > 7)
				goto storm;
			i += 2 + olen;
			continue;
		}
		pad = 0;
		if (type != IP6OPT_ROUTER_ALERT) {
			switch (IP6OPT_TYPE(type)) {
			case IP6OPT_TYPE_SKIP:
				break;
			case IP6OPT_TYPE_DISCARD:
				ip6stat.ip6s_badoptions++;
				m_freem(m);
				return false;
			case IP6OPT_TYPE_FORCEICMP:
				ip6stat.ip6s_badoptions++;
				icmp6_error(m, ICMP6_PARAM_PROB,
				    ICMP6_PARAMPROB_OPTION, (uint32_t)(off + i));
				return false;
			case IP6OPT_TYPE_ICMP:
				ip6stat.ip6s_badoptions++;
				if (dstmcast)
					m_freem(m);
				else
					icmp6_error(m, ICMP6_PARAM_PROB,
					    ICMP6_PARAMPROB_OPTION,
					    (uint32_t)(off + i));
				return false;
			}
		}
		i += 2 + olen;
	}
	return true;
storm:
	ip6stat.ip6s_badoptions++;
	m_freem(m);
	return false;
}

void
ip6_input(struct mbuf *m)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct ip6_hdr *ip6;
	int off, nxt, nxtoff, plen, nhdrs = 0, extlen = 0;
	bool tentative, reassembled = false;

	KASSERT(mutex_owned(softnet_lock));
	ip6stat.ip6s_total++;
	if (ifp == NULL || IN6_IFEXTRA(ifp) == NULL) {
		m_freem(m);
		return;
	}
	if (m->m_pkthdr.len < (int)sizeof(*ip6)) {
		ip6stat.ip6s_tooshort++;
		m_freem(m);
		return;
	}
	if (m->m_len < (int)sizeof(*ip6) &&
	    (m = m_pullup(m, sizeof(*ip6))) == NULL) {
		ip6stat.ip6s_tooshort++;
		return;
	}
	/*
	 * The headers are read in place and want 4-byte alignment (IPv4's
	 * are packed for 2); a frame put at another place (a fault
	 * switch's copy) is copied to an aligned buffer.
	 */
	if (((uintptr_t)mtod(m, char *) & 3) != 0) {
		struct mbuf *n = m_dup(m, 0, M_COPYALL, M_DONTWAIT);

		m_freem(m);
		if ((m = n) == NULL)
			return;
	}
	ip6 = mtod(m, struct ip6_hdr *);
	if ((*(uint8_t *)ip6 & IPV6_VERSION_MASK) != IPV6_VERSION) {
		ip6stat.ip6s_badvers++;
		goto drop;
	}
	plen = ntohs(ip6->ip6_plen);
	if (plen == 0 || m->m_pkthdr.len < (int)sizeof(*ip6) + plen) {
		ip6stat.ip6s_tooshort++;
		goto drop;
	}
	if (m->m_pkthdr.len > (int)sizeof(*ip6) + plen)
		m_adj(m, (int)sizeof(*ip6) + plen - m->m_pkthdr.len);
	if (IN6_IS_ADDR_MULTICAST(&ip6->ip6_src) ||
	    IN6_IS_ADDR_V4MAPPED(&ip6->ip6_src) ||
	    IN6_IS_ADDR_V4MAPPED(&ip6->ip6_dst) ||
	    IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_dst) ||
	    ((ifp->if_flags & IFF_LOOPBACK) == 0 &&
	    (IN6_IS_ADDR_LOOPBACK(&ip6->ip6_src) ||
	    IN6_IS_ADDR_LOOPBACK(&ip6->ip6_dst))) ||
	    (IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) &&
	    (ip6->ip6_dst.s6_addr[1] & 0x0f) <= 1 &&
	    (ifp->if_flags & IFF_LOOPBACK) == 0)) {
		ip6stat.ip6s_badaddr++;
		goto drop;
	}
	if (!ip6_ours(&ip6->ip6_dst, ifp, &tentative)) {
		ip6stat.ip6s_notforus++;
		goto drop;
	}

	/* The extension header chain. */
again:
	ip6 = mtod(m, struct ip6_hdr *);
	nxt = ip6->ip6_nxt;
	nxtoff = 6;                     /* offsetof(struct ip6_hdr, ip6_nxt) */
	off = sizeof(*ip6);
	for (;;) {
		struct ip6_ext ext;
		struct ip6_rthdr rh;
		int hlen;

		switch (nxt) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_ROUTING:
			break;
		case IPPROTO_FRAGMENT:
			if (++nhdrs > IP6_MAXEXTHDRS) {
				ip6stat.ip6s_toomanyhdrs++;
				goto drop;
			}
			if (reassembled) {
				/* Nested fragmentation is no datagram of ours. */
				ip6stat.ip6s_fragdropped++;
				goto drop;
			}
			m = frag6_input(m, off, nxtoff, &nxt);
			if (m == NULL)
				return;
			if (nxt < 0) {
				/* Reassembled: walk the whole datagram again. */
				reassembled = true;
				nhdrs = extlen = 0;
				goto again;
			}
			/* An atomic fragment: its header is gone, go on. */
			continue;
		default:
			goto upper;
		}
		if (nxt == IPPROTO_HOPOPTS && off != (int)sizeof(*ip6)) {
			ip6stat.ip6s_badoptions++;
			icmp6_error(m, ICMP6_PARAM_PROB,
			    ICMP6_PARAMPROB_NEXTHEADER, (uint32_t)nxtoff);
			return;
		}
		if (m->m_pkthdr.len < off + 8) {
			ip6stat.ip6s_tooshort++;
			goto drop;
		}
		m_copydata(m, off, sizeof(ext), &ext);
		hlen = (ext.ip6e_len + 1) * 8;
		if (++nhdrs > IP6_MAXEXTHDRS ||
		    (extlen += hlen) > IP6_MAXEXTLEN) {
			ip6stat.ip6s_toomanyhdrs++;
			goto drop;
		}
		if (m->m_pkthdr.len < off + hlen) {
			ip6stat.ip6s_tooshort++;
			goto drop;
		}
		if (nxt == IPPROTO_ROUTING) {
			m_copydata(m, off, sizeof(rh), &rh);
			if (rh.ip6r_segleft != 0) {
				/* We route nothing; type 0 is deprecated anyway. */
				ip6stat.ip6s_rthdr++;
				icmp6_error(m, ICMP6_PARAM_PROB,
				    ICMP6_PARAMPROB_HEADER, (uint32_t)(off + 2));
				return;
			}
		} else if (!ip6_options(m, off, hlen,
		    IN6_IS_ADDR_MULTICAST(&mtod(m, struct ip6_hdr *)->ip6_dst)))
			return;
		nxtoff = off;
		nxt = ext.ip6e_nxt;
		off += hlen;
	}
upper:
	if (tentative) {
		uint8_t type = 0;

		if (nxt == IPPROTO_ICMPV6 && m->m_pkthdr.len > off)
			m_copydata(m, off, 1, &type);
		if (type != ND_NEIGHBOR_SOLICIT && type != ND_NEIGHBOR_ADVERT) {
			ip6stat.ip6s_tentative++;
			goto drop;
		}
	}
	ip6stat.ip6s_delivered++;
	switch (nxt) {
	case IPPROTO_ICMPV6:
		icmp6_input(m, off, m->m_pkthdr.len - off);
		return;
	case IPPROTO_UDP:
		udp6_input(m, off, m->m_pkthdr.len - off);
		return;
	case IPPROTO_TCP:
		/* Raw TCP sockets see a copy, as on Linux. */
		(void)rip6_deliver(m, off, nxt);
		tcp6_input(m, off, m->m_pkthdr.len - off);
		return;
	case IPPROTO_NONE:
		(void)rip6_deliver(m, off, nxt);
		goto drop;
	default:
		break;
	}
	if (rip6_deliver(m, off, nxt)) {
		m_freem(m);
		return;
	}
	ip6stat.ip6s_delivered--;
	ip6stat.ip6s_noproto++;
	icmp6_error(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_NEXTHEADER,
	    (uint32_t)nxtoff);
	return;
drop:
	m_freem(m);
}

void
ip6_init(void)
{
	frag6_init();
	netisr_register(NETISR_IPV6, ip6_input);
}
