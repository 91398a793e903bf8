/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Neighbour solicitation and advertisement (RFC 4861 4.3, 4.4, 7.1,
 * 7.2) and duplicate address detection (RFC 4862 5.4).
 *
 * Input is validated as 7.1.1 and 7.1.2 say (hop limit 255 and code 0
 * are checked by icmp6.c): length, a unicast target, options of non-zero
 * length inside the message, and for a solicitation from :: a
 * solicited-node destination and no source link-layer option.  A
 * solicitation for one of our usable addresses is answered (solicited,
 * override); its sender's link address is learnt (STALE).
 *
 * DAD: a tentative address sends one solicitation from :: after a
 * random delay of up to a second and becomes usable a RetransTimer
 * later unless a solicitation from :: or an advertisement for it came
 * first: then it is a duplicate, logged once, and stays unusable.
 * Our own solicitations are not looped back (io_mloop off).
 * Locking: softnet_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/route.h>
#include <net/rtsock.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

/* Options of an ND message from off to off + len; false if malformed. */
bool
nd6_options(struct mbuf *m, int off, int len, struct nd6_opts *o)
{
	struct nd_opt_hdr oh;

	memset(o, 0, sizeof(*o));
	while (len > 0) {
		int olen;

		if (len < 2) {
			icmp6stat.icp6s_nd_badopt++;
			return false;
		}
		m_copydata(m, off, sizeof(oh), &oh);
		olen = oh.nd_opt_len * 8;
		if (olen == 0 || olen > len) {
			icmp6stat.icp6s_nd_badopt++;
			return false;
		}
		switch (oh.nd_opt_type) {
		case ND_OPT_SOURCE_LINKADDR:
		case ND_OPT_TARGET_LINKADDR:
			if (olen >= 8) {
				m_copydata(m, off + 2, ETHER_ADDR_LEN,
				    oh.nd_opt_type == ND_OPT_SOURCE_LINKADDR ?
				    o->no_sll : o->no_tll);
				if (oh.nd_opt_type == ND_OPT_SOURCE_LINKADDR)
					o->no_has_sll = true;
				else
					o->no_has_tll = true;
			}
			break;
		case ND_OPT_MTU:
			if (olen == 8) {
				struct nd_opt_mtu mo;

				m_copydata(m, off, sizeof(mo), &mo);
				o->no_mtu = ntohl(mo.nd_opt_mtu_mtu);
			}
			break;
		case ND_OPT_PREFIX_INFORMATION:
			if (olen == 32 && o->no_npi < ND6_MAXPI) {
				o->no_pioff[o->no_npi++] = off;
			}
			break;
		default:
			break;
		}
		off += olen;
		len -= olen;
	}
	return true;
}

/* A packet with room for an ip6_hdr and len bytes of message, zeroed. */
struct mbuf *
nd6_packet(int len)
{
	struct mbuf *m;
	int total = (int)sizeof(struct ip6_hdr) + len;

	if ((m = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return NULL;
	if (total > MHLEN && !m_clget(m, M_DONTWAIT)) {
		m_freem(m);
		return NULL;
	}
	m->m_len = m->m_pkthdr.len = total;
	memset(mtod(m, void *), 0, (size_t)total);
	return m;
}

void
nd6_ns_output(struct ifnet *ifp, const struct in6_addr *dst,
    const struct in6_addr *target, bool dad)
{
	struct ip6_outopts io = { .io_hlim = 255, .io_tclass = -1,
	    .io_ifindex = ifp->if_index, .io_srcany = dad };
	struct nd_neighbor_solicit *ns;
	struct in6_ifaddr *ia;
	struct ip6_hdr *ip6;
	struct mbuf *m;
	uint8_t *opt;
	int len = (int)sizeof(*ns) + (dad ? 0 : 8);

	if ((m = nd6_packet(len)) == NULL)
		return;
	ip6 = mtod(m, struct ip6_hdr *);
	ip6->ip6_dst = *dst;
	if (!dad) {
		ia = in6_ifaddr_lookup(target, NULL) == NULL ?
		    in6_ifaddr_linklocal(ifp) : NULL;
		if (ia == NULL)
			ia = in6_selectsrc(target, ifp);
		if (ia == NULL) {
			/* No usable source yet: ask from :: without SLLAO. */
			io.io_srcany = true;
			len -= 8;
			m->m_len = m->m_pkthdr.len -= 8;
		} else
			ip6->ip6_src = ia->ia_addr;
	}
	ns = (struct nd_neighbor_solicit *)(ip6 + 1);
	ns->nd_ns_hdr.icmp6_type = ND_NEIGHBOR_SOLICIT;
	ns->nd_ns_target = *target;
	if (len > (int)sizeof(*ns)) {
		opt = (uint8_t *)(ns + 1);
		opt[0] = ND_OPT_SOURCE_LINKADDR;
		opt[1] = 1;
		memcpy(opt + 2, ifp->if_lladdr, ETHER_ADDR_LEN);
	}
	(void)icmp6_send(m, &io);
}

static void
nd6_na_output(struct ifnet *ifp, const struct in6_addr *dst,
    const struct in6_addr *target, uint32_t flags)
{
	struct ip6_outopts io = { .io_hlim = 255, .io_tclass = -1,
	    .io_ifindex = ifp->if_index };
	struct nd_neighbor_advert *na;
	struct ip6_hdr *ip6;
	struct mbuf *m;
	uint8_t *opt;

	if ((m = nd6_packet((int)sizeof(*na) + 8)) == NULL)
		return;
	ip6 = mtod(m, struct ip6_hdr *);
	ip6->ip6_dst = *dst;
	ip6->ip6_src = *target;
	na = (struct nd_neighbor_advert *)(ip6 + 1);
	na->nd_na_hdr.icmp6_type = ND_NEIGHBOR_ADVERT;
	na->nd_na_flags_reserved = htonl(flags << 24);
	na->nd_na_target = *target;
	opt = (uint8_t *)(na + 1);
	opt[0] = ND_OPT_TARGET_LINKADDR;
	opt[1] = 1;
	memcpy(opt + 2, ifp->if_lladdr, ETHER_ADDR_LEN);
	(void)icmp6_send(m, &io);
}

static void
nd6_dad_duplicated(struct in6_ifaddr *ia)
{
	char buf[46];

	if (ia->ia_flags & IN6_IFF_DUPLICATED)
		return;
	callout_stop(&ia->ia_dadtimer);
	ia->ia_flags &= ~IN6_IFF_TENTATIVE;
	ia->ia_flags |= IN6_IFF_DUPLICATED;
	rt_addrmsg(RTM_CHGADDR, &ia->ia_ifa);
	icmp6stat.icp6s_dupaddr++;
	log(LOG_ERR, "%s: duplicate IPv6 address %s detected, not used\n",
	    ia->ia_ifa.ifa_ifp->if_xname, in6_fmt(buf, &ia->ia_addr));
}

void
nd6_ns_input(struct mbuf *m, int off, int len)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct nd_neighbor_solicit ns;
	struct in6_addr sol;
	struct nd6_opts o;
	struct ip6_hdr ip6;
	struct in6_ifaddr *ia;
	bool fromany;

	if (len < (int)sizeof(ns) || (ifp->if_flags & IFF_LOOPBACK) != 0) {
		icmp6stat.icp6s_badcode++;
		return;
	}
	m_copydata(m, 0, sizeof(ip6), &ip6);
	m_copydata(m, off, sizeof(ns), &ns);
	if (IN6_IS_ADDR_MULTICAST(&ns.nd_ns_target) ||
	    !nd6_options(m, off + (int)sizeof(ns), len - (int)sizeof(ns), &o)) {
		icmp6stat.icp6s_badcode++;
		return;
	}
	fromany = IN6_IS_ADDR_UNSPECIFIED(&ip6.ip6_src);
	if (fromany) {
		in6_solicited_node(&sol, &ns.nd_ns_target);
		if (!IN6_ARE_ADDR_EQUAL(&ip6.ip6_dst, &sol) || o.no_has_sll) {
			icmp6stat.icp6s_badcode++;
			return;
		}
	}
	ia = in6_ifaddr_lookup(&ns.nd_ns_target, ifp);
	if (ia == NULL || ia->ia_ifa.ifa_ifp != ifp ||
	    (ia->ia_flags & (IN6_IFF_DUPLICATED | IN6_IFF_DETACHED)) != 0)
		return;
	if (ia->ia_flags & IN6_IFF_TENTATIVE) {
		if (fromany)
			nd6_dad_duplicated(ia); /* someone else's DAD */
		return;
	}
	if (!fromany && o.no_has_sll)
		nd6_cache_lladdr(ifp, &ip6.ip6_src, o.no_sll, false, false,
		    false);
	nd6_na_output(ifp, fromany ? &in6addr_linklocal_allnodes : &ip6.ip6_src,
	    &ns.nd_ns_target, (fromany ? 0 : ND_NA_FLAG_SOLICITED) |
	    ND_NA_FLAG_OVERRIDE);
}

void
nd6_na_input(struct mbuf *m, int off, int len)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct nd_neighbor_advert na;
	struct nd6_opts o;
	struct ip6_hdr ip6;
	struct in6_ifaddr *ia;
	uint32_t flags;
	char buf[46];

	if (len < (int)sizeof(na) || (ifp->if_flags & IFF_LOOPBACK) != 0) {
		icmp6stat.icp6s_badcode++;
		return;
	}
	m_copydata(m, 0, sizeof(ip6), &ip6);
	m_copydata(m, off, sizeof(na), &na);
	flags = ntohl(na.nd_na_flags_reserved) >> 24;
	if (IN6_IS_ADDR_MULTICAST(&na.nd_na_target) ||
	    (IN6_IS_ADDR_MULTICAST(&ip6.ip6_dst) &&
	    (flags & ND_NA_FLAG_SOLICITED) != 0) ||
	    !nd6_options(m, off + (int)sizeof(na), len - (int)sizeof(na), &o)) {
		icmp6stat.icp6s_badcode++;
		return;
	}
	ia = in6_ifaddr_lookup(&na.nd_na_target, ifp);
	if (ia != NULL && ia->ia_ifa.ifa_ifp == ifp) {
		if (ia->ia_flags & IN6_IFF_TENTATIVE)
			nd6_dad_duplicated(ia);
		else if ((ia->ia_flags & IN6_IFF_DUPLICATED) == 0) {
			icmp6stat.icp6s_dupaddr++;
			log(LOG_WARNING, "%s: another node advertises our "
			    "address %s\n", ifp->if_xname,
			    in6_fmt(buf, &na.nd_na_target));
		}
		return;
	}
	nd6_cache_lladdr(ifp, &na.nd_na_target, o.no_has_tll ? o.no_tll : NULL,
	    (flags & ND_NA_FLAG_SOLICITED) != 0,
	    (flags & ND_NA_FLAG_OVERRIDE) != 0, true);
}

void
nd6_dad_start(struct in6_ifaddr *ia)
{
	if ((ia->ia_flags & IN6_IFF_TENTATIVE) == 0 ||
	    callout_pending(&ia->ia_dadtimer))
		return;
	ia->ia_dad_left = 1;            /* DupAddrDetectTransmits */
	/* RFC 4862 5.4.2: a random delay before the first solicitation. */
	callout_schedule(&ia->ia_dadtimer, nstohz((uint64_t)(in6_random() %
	    1000) * 1000000ULL) + 1);
}

void
nd6_dad_timer(struct in6_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct in6_ifextra *ie = IN6_IFEXTRA(ifp);
	struct in6_addr sol;

	if ((ia->ia_flags & IN6_IFF_TENTATIVE) == 0)
		return;
	if ((ifp->if_flags & IFF_UP) == 0)
		return;                 /* again when it comes up */
	if (ia->ia_dad_left > 0) {
		ia->ia_dad_left--;
		in6_solicited_node(&sol, &ia->ia_addr);
		nd6_ns_output(ifp, &sol, &ia->ia_addr, true);
		callout_schedule(&ia->ia_dadtimer, nstohz((uint64_t)
		    (ie != NULL ? ie->ie_retrans_ms : 1000) * 1000000ULL) + 1);
		return;
	}
	ia->ia_flags &= ~IN6_IFF_TENTATIVE;
	rt_addrmsg(RTM_CHGADDR, &ia->ia_ifa);
}
