/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ICMPv6 (RFC 4443).
 *
 * Input checks the length and checksum, counts the type, gives raw
 * ICMPv6 sockets their copy, then: echo requests are answered (also to
 * multicast, from a unicast source of ours); destination unreachable,
 * time exceeded and parameter problem reach the UDP socket or TCP
 * connection they quote (port unreachable is ECONNREFUSED; for TCP,
 * tcp6_ctlinput); packet too big quoting a datagram of ours lowers the
 * path MTU toward its destination (a host route, ip6_setpmtu; below
 * 1280 counts as 1280) and the quoted connection's segments; neighbour discovery goes to
 * nd6 with hop limit 255 and code 0 required (RFC 4861), MLD to mld6.
 *
 * Errors (icmp6_error) follow RFC 4443 2.4 (e): none about an ICMPv6
 * error or a redirect, none to a multicast or link-layer multicast or
 * broadcast destination except packet too big and parameter problem
 * code 2, none to an unspecified or multicast source; at most
 * net.inet6.icmp6.errratelimit a second (token bucket; 0: no limit).
 * An error quotes as much of the packet as fits in 1280 bytes.
 * Locking: softnet_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet/tcp.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

struct icmp6stat icmp6stat;
int icmp6_errratelimit = 100;

static uint64_t icmp6_err_last;         /* ns of the last token refill */
static int icmp6_err_tokens;

static bool
icmp6_ratelimit(void)
{
	uint64_t now = getnsecuptime();

	if (icmp6_errratelimit <= 0)
		return false;
	if (now - icmp6_err_last >= 1000000000ULL || icmp6_err_last == 0) {
		icmp6_err_last = now;
		icmp6_err_tokens = icmp6_errratelimit;
	}
	if (icmp6_err_tokens <= 0)
		return true;
	icmp6_err_tokens--;
	return false;
}

/*
 * Send the ICMPv6 message m (an ip6_hdr with its destination set, then
 * the message): the checksum is made once the source is chosen.
 */
int
icmp6_send(struct mbuf *m, const struct ip6_outopts *io0)
{
	struct ip6_outopts io;
	uint8_t type;

	io = io0 != NULL ? *io0 : (struct ip6_outopts){ .io_hlim = -1,
	    .io_tclass = -1 };
	io.io_csumproto = IPPROTO_ICMPV6;
	mtod(m, struct ip6_hdr *)->ip6_nxt = IPPROTO_ICMPV6;
	m_copydata(m, sizeof(struct ip6_hdr), 1, &type);
	icmp6stat.icp6s_outhist[type]++;
	return ip6_output(m, &io);
}

/* The interface index a reply to a scoped address must leave by. */
static unsigned
icmp6_scope_ifindex(const struct in6_addr *a, const struct ifnet *ifp)
{
	if (ifp == NULL || (ifp->if_flags & IFF_LOOPBACK) != 0)
		return 0;
	if (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MULTICAST(a))
		return ifp->if_index;
	return 0;
}

void
icmp6_error(struct mbuf *m, int type, int code, uint32_t param)
{
	struct ip6_hdr oip6, *ip6;
	struct icmp6_hdr *icmp6;
	struct ip6_outopts io = { .io_hlim = -1, .io_tclass = -1 };
	struct in6_ifaddr *ia;
	int hdrs = (int)(sizeof(struct ip6_hdr) + sizeof(struct icmp6_hdr));

	icmp6stat.icp6s_error++;
	if (m->m_pkthdr.len < (int)sizeof(oip6))
		goto cant;
	m_copydata(m, 0, sizeof(oip6), &oip6);
	if (oip6.ip6_nxt == IPPROTO_ICMPV6 &&
	    m->m_pkthdr.len >= (int)sizeof(oip6) + 1) {
		uint8_t t;

		m_copydata(m, sizeof(oip6), 1, &t);
		if (t < 128 || t == ND_REDIRECT)
			goto cant;
	}
	if ((IN6_IS_ADDR_MULTICAST(&oip6.ip6_dst) ||
	    (m->m_flags & (M_MCAST | M_BCAST)) != 0) &&
	    type != ICMP6_PACKET_TOO_BIG &&
	    !(type == ICMP6_PARAM_PROB && code == ICMP6_PARAMPROB_OPTION))
		goto cant;
	if (IN6_IS_ADDR_UNSPECIFIED(&oip6.ip6_src) ||
	    IN6_IS_ADDR_MULTICAST(&oip6.ip6_src))
		goto cant;
	if (icmp6_ratelimit()) {
		icmp6stat.icp6s_toofreq++;
		m_freem(m);
		return;
	}
	if (m->m_pkthdr.len > IPV6_MMTU - hdrs)
		m_adj(m, IPV6_MMTU - hdrs - m->m_pkthdr.len);
	io.io_ifindex = icmp6_scope_ifindex(&oip6.ip6_src, m->m_pkthdr.rcvif);
	m->m_flags &= ~(M_MCAST | M_BCAST);
	M_PREPEND(m, hdrs, M_DONTWAIT);
	if (m == NULL || (m->m_len < hdrs && (m = m_pullup(m, hdrs)) == NULL))
		return;
	ip6 = mtod(m, struct ip6_hdr *);
	memset(ip6, 0, (size_t)hdrs);
	ip6->ip6_dst = oip6.ip6_src;
	ia = in6_ifaddr_lookup(&oip6.ip6_dst, m->m_pkthdr.rcvif);
	if (ia != NULL && in6_ifaddr_usable(ia))
		ip6->ip6_src = oip6.ip6_dst;
	icmp6 = (struct icmp6_hdr *)(ip6 + 1);
	icmp6->icmp6_type = (uint8_t)type;
	icmp6->icmp6_code = (uint8_t)code;
	icmp6->icmp6_pptr = htonl(param);
	m->m_pkthdr.rcvif = NULL;
	(void)icmp6_send(m, &io);
	return;
cant:
	icmp6stat.icp6s_canterror++;
	m_freem(m);
}

static void
icmp6_echo(struct mbuf *m, int off, int len)
{
	struct ip6_outopts io = { .io_hlim = -1, .io_tclass = -1 };
	struct ip6_hdr oip6, *ip6;
	struct in6_ifaddr *ia;
	struct mbuf *n;
	uint8_t type = ICMP6_ECHO_REPLY;

	m_copydata(m, 0, sizeof(oip6), &oip6);
	if ((n = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return;
	m_align(n, sizeof(*ip6));
	n->m_len = n->m_pkthdr.len = sizeof(*ip6);
	if ((n->m_next = m_copym(m, off, len, M_DONTWAIT)) == NULL) {
		m_freem(n);
		return;
	}
	n->m_pkthdr.len += len;
	ip6 = mtod(n, struct ip6_hdr *);
	memset(ip6, 0, sizeof(*ip6));
	ip6->ip6_dst = oip6.ip6_src;
	ia = in6_ifaddr_lookup(&oip6.ip6_dst, m->m_pkthdr.rcvif);
	if (ia != NULL && in6_ifaddr_usable(ia))
		ip6->ip6_src = oip6.ip6_dst;
	(void)m_copyback(n, sizeof(*ip6), 1, &type);
	io.io_ifindex = icmp6_scope_ifindex(&oip6.ip6_src, m->m_pkthdr.rcvif);
	(void)icmp6_send(n, &io);
}

/* An error quoting one of our datagrams: tell its socket, learn the MTU. */
static void
icmp6_notify(struct mbuf *m, int off, int len, int type, int code)
{
	struct icmp6_hdr icmp6;
	struct ip6_hdr in;
	struct ip6_ext ext;
	int ioff = off + (int)sizeof(icmp6), nxt, n = 0, error = 0;
	uint16_t ports[2] = { 0, 0 };

	if (len < (int)(sizeof(icmp6) + sizeof(in))) {
		icmp6stat.icp6s_tooshort++;
		return;
	}
	m_copydata(m, off, sizeof(icmp6), &icmp6);
	m_copydata(m, ioff, sizeof(in), &in);
	if (in6_ifaddr_lookup(&in.ip6_src, NULL) == NULL)
		return;                 /* not a datagram of ours */
	if (type == ICMP6_PACKET_TOO_BIG)
		ip6_setpmtu(&in.ip6_dst, ntohl(icmp6.icmp6_mtu));
	nxt = in.ip6_nxt;
	ioff += sizeof(in);
	while ((nxt == IPPROTO_HOPOPTS || nxt == IPPROTO_DSTOPTS ||
	    nxt == IPPROTO_ROUTING) && ++n < 8 &&
	    m->m_pkthdr.len >= ioff + 8) {
		m_copydata(m, ioff, sizeof(ext), &ext);
		nxt = ext.ip6e_nxt;
		ioff += (ext.ip6e_len + 1) * 8;
	}
	if (nxt == IPPROTO_TCP && m->m_pkthdr.len >= ioff + 8) {
		struct tcphdr th;

		/* The ports and sequence number: the first 8 bytes. */
		memset(&th, 0, sizeof(th));
		m_copydata(m, ioff, 8, &th);
		tcp6_ctlinput(&in, &th, type, icmp6.icmp6_code,
		    ntohl(icmp6.icmp6_mtu));
		return;
	}
	if (nxt != IPPROTO_UDP || type == ICMP6_PACKET_TOO_BIG ||
	    m->m_pkthdr.len < ioff + 4)
		return;
	m_copydata(m, ioff, sizeof(ports), ports);
	if (type == ICMP6_DST_UNREACH)
		error = code == ICMP6_DST_UNREACH_NOPORT ? ECONNREFUSED :
		    EHOSTUNREACH;
	else if (type == ICMP6_TIME_EXCEEDED)
		error = EHOSTUNREACH;
	else if (type == ICMP6_PARAM_PROB)
		error = code == ICMP6_PARAMPROB_NEXTHEADER ? ECONNREFUSED :
		    ENOPROTOOPT;
	if (error != 0)
		in6_pcbnotify(&in.ip6_dst, ports[1], &in.ip6_src, ports[0],
		    nxt, error);
}

void
icmp6_input(struct mbuf *m, int off, int len)
{
	struct ip6_hdr ip6;
	struct icmp6_hdr icmp6;

	icmp6stat.icp6s_total++;
	if (len < 4) {
		icmp6stat.icp6s_tooshort++;
		goto out;
	}
	if ((m->m_pkthdr.csum_flags & M_CSUM_DATA_VALID) == 0 &&
	    in6_cksum(m, IPPROTO_ICMPV6, off, len) != 0) {
		icmp6stat.icp6s_checksum++;
		goto out;
	}
	memset(&icmp6, 0, sizeof(icmp6));
	m_copydata(m, off, MIN(len, (int)sizeof(icmp6)), &icmp6);
	m_copydata(m, 0, sizeof(ip6), &ip6);
	icmp6stat.icp6s_inhist[icmp6.icmp6_type]++;
	switch (icmp6.icmp6_type) {
	case ICMP6_ECHO_REQUEST:
		icmp6_echo(m, off, len);
		break;
	case ICMP6_DST_UNREACH:
	case ICMP6_PACKET_TOO_BIG:
	case ICMP6_TIME_EXCEEDED:
	case ICMP6_PARAM_PROB:
		icmp6_notify(m, off, len, icmp6.icmp6_type, icmp6.icmp6_code);
		break;
	case ND_ROUTER_ADVERT:
	case ND_NEIGHBOR_SOLICIT:
	case ND_NEIGHBOR_ADVERT:
		if (ip6.ip6_hlim != 255 || icmp6.icmp6_code != 0) {
			icmp6stat.icp6s_badcode++;
			break;
		}
		if (icmp6.icmp6_type == ND_ROUTER_ADVERT)
			nd6_ra_input(m, off, len);
		else if (icmp6.icmp6_type == ND_NEIGHBOR_SOLICIT)
			nd6_ns_input(m, off, len);
		else
			nd6_na_input(m, off, len);
		break;
	case MLD_LISTENER_QUERY:
		mld6_input(m, off, len);
		break;
	default:
		break;
	}
	(void)rip6_deliver(m, off, IPPROTO_ICMPV6);
out:
	m_freem(m);
}
