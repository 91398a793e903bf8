/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ICMP for IPv4 (RFC 792, RFC 1122 3.2.2).
 *
 * Input (pr_input, softnet_lock held; raw sockets already had a copy):
 * echo requests are answered (not those sent to a broadcast or
 * multicast address); errors (unreachable, time exceeded, parameter
 * problem, source quench) are checked to quote at least a header and 8
 * bytes, then handed to the quoted protocol's pr_ctlinput as a PRC_*
 * event; "fragmentation needed" (RFC 1191) first lowers the path MTU in
 * a host route toward the quoted destination, which expires after
 * ICMP_PMTU_EXPIRE so the MTU is probed again.  Redirects are ignored.
 *
 * Output: icmp_error sends an error about a received datagram, never
 * about an ICMP error, a fragment other than the first, or a datagram
 * to or from a broadcast or multicast address (RFC 1122 3.2.2), and no
 * more than icmp_errratelimit per second (a token bucket refilled from
 * the clock, so no timer runs).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
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
#include <netinet/ip_var.h>
#include <netinet/ip_icmp.h>

#include "netinet_private.h"

#define ICMP_PMTU_EXPIRE_NS (10ULL * 60 * 1000000000ULL)
#define ICMP_QUOTE_MAX      (576 - 20 - ICMP_MINLEN)    /* RFC 1812 4.3.2.3 */

struct icmpstat icmpstat;               /* n */
int icmp_errratelimit = 100;            /* n: per second; 0: unlimited */

static uint64_t icmp_tokens_ns;         /* n: bucket level, in ns of credit */
static uint64_t icmp_tokens_last;       /* n: uptime of the last refill */
static callout_t icmp_pmtu_timer;

void
icmp_init(void)
{
	callout_init(&icmp_pmtu_timer, CALLOUT_MPSAFE);
}

/* Take a token; false if the bucket is empty.  Burst: one second's worth. */
static bool
icmp_ratecheck(void)
{
	uint64_t now = getnsecuptime(), cost, cap;

	if (icmp_errratelimit <= 0)
		return true;
	cost = 1000000000ULL / (uint64_t)icmp_errratelimit;
	cap = 1000000000ULL;
	if (icmp_tokens_last == 0)
		icmp_tokens_ns = cap;
	else
		icmp_tokens_ns += now - icmp_tokens_last;
	icmp_tokens_last = now;
	if (icmp_tokens_ns > cap)
		icmp_tokens_ns = cap;
	if (icmp_tokens_ns < cost)
		return false;
	icmp_tokens_ns -= cost;
	return true;
}

/* Send an ICMP message m (ICMP header first); the IP header is prepended. */
static void
icmp_send(struct mbuf *m, struct in_addr src, struct in_addr dst, uint8_t tos)
{
	struct icmp *icp = mtod(m, struct icmp *);
	int type = icp->icmp_type;
	struct ip *ip;

	icp->icmp_cksum = 0;
	icp->icmp_cksum = in_cksum(m, m->m_pkthdr.len);
	M_PREPEND(m, (int)sizeof(struct ip), M_DONTWAIT);
	if (m == NULL || (m->m_len < (int)sizeof(struct ip) &&
	    (m = m_pullup(m, sizeof(struct ip))) == NULL)) {
		ipstat.ips_odropped++;
		return;
	}
	ip = mtod(m, struct ip *);
	memset(ip, 0, sizeof(*ip));
	ip->ip_tos = tos;
	ip->ip_len = htons((uint16_t)m->m_pkthdr.len);
	ip->ip_ttl = (uint8_t)ip_defttl;
	ip->ip_p = IPPROTO_ICMP;
	ip->ip_src = src;
	ip->ip_dst = dst;
	m->m_pkthdr.rcvif = NULL;
	m->m_pkthdr.csum_flags = 0;
	if (type <= ICMP_MAXTYPE)
		icmpstat.icps_outhist[type]++;
	(void)ip_output(m, NULL, 0, NULL, NULL);
}

void
icmp_error(struct mbuf *n, int type, int code, uint32_t info)
{
	struct ip oip;
	struct ifnet *ifp = n->m_pkthdr.rcvif;
	struct in_ifaddr *ia;
	struct in_addr src = { INADDR_ANY };
	struct icmp *icp;
	struct mbuf *m;
	int hlen, quote;
	uint32_t osrc;

	KASSERT(mutex_owned(softnet_lock));
	icmpstat.icps_error++;
	m_copydata(n, 0, sizeof(oip), &oip);
	hlen = oip.ip_hl << 2;
	osrc = ntohl(oip.ip_src.s_addr);
	if ((n->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    IN_MULTICAST(ntohl(oip.ip_dst.s_addr)) ||
	    in_broadcast(oip.ip_dst, ifp) || osrc == INADDR_ANY ||
	    !in_validsrc(oip.ip_src) || in_broadcast(oip.ip_src, ifp)) {
		icmpstat.icps_bcast++;
		goto out;
	}
	if (ntohs(oip.ip_off) & IP_OFFMASK) {
		icmpstat.icps_fragment++;
		goto out;
	}
	if (oip.ip_p == IPPROTO_ICMP && type != ICMP_REDIRECT) {
		uint8_t itype;

		if (n->m_pkthdr.len < hlen + ICMP_MINLEN) {
			icmpstat.icps_oldshort++;
			goto out;
		}
		m_copydata(n, hlen, 1, &itype);
		if (ICMP_ISERROR(itype) || itype > ICMP_MAXTYPE) {
			icmpstat.icps_oldicmp++;
			goto out;
		}
	}
	if (!icmp_ratecheck()) {
		icmpstat.icps_ratelimit++;
		goto out;
	}
	quote = MIN(n->m_pkthdr.len, MIN((int)ntohs(oip.ip_len), ICMP_QUOTE_MAX));
	if (quote < hlen)
		quote = MIN(n->m_pkthdr.len, hlen);
	if (ICMP_MINLEN + quote + (int)sizeof(struct ip) > MHLEN)
		m = m_getcl(M_DONTWAIT, MT_HEADER, M_PKTHDR);
	else
		m = m_gethdr(M_DONTWAIT, MT_HEADER);
	if (m == NULL)
		goto out;
	m_align(m, ICMP_MINLEN + quote);
	m->m_len = m->m_pkthdr.len = ICMP_MINLEN + quote;
	icp = mtod(m, struct icmp *);
	memset(icp, 0, ICMP_MINLEN);
	icp->icmp_type = (uint8_t)type;
	icp->icmp_code = (uint8_t)code;
	if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG)
		icp->icmp_nextmtu = htons((uint16_t)info);
	else if (type == ICMP_PARAMPROB)
		icp->icmp_pptr = (uint8_t)info;
	m_copydata(n, 0, quote, (uint8_t *)icp + ICMP_MINLEN);
	/* From the address it was sent to if ours, else the arrival interface's. */
	if (in_ifaddr_withaddr(oip.ip_dst) != NULL)
		src = oip.ip_dst;
	else if (ifp != NULL && (ia = in_ifaddr_forsubnet(ifp, oip.ip_src)) != NULL)
		src = ia->ia_addr;
	icmp_send(m, src, oip.ip_src, 0);
out:
	m_freem(n);
}

/* Answer an echo request m (IP header of hlen first) with its data. */
static void
icmp_reflect(struct mbuf *m, int hlen)
{
	struct ip ip;
	struct icmp *icp;
	struct mbuf *r;

	m_copydata(m, 0, sizeof(ip), &ip);
	/* A private copy without options: the request may be shared with raw sockets. */
	if ((r = m_dup(m, 0, M_COPYALL, M_DONTWAIT)) == NULL) {
		m_freem(m);
		return;
	}
	m_freem(m);
	m_adj(r, hlen);
	if (r->m_len < ICMP_MINLEN && (r = m_pullup(r, ICMP_MINLEN)) == NULL)
		return;
	icp = mtod(r, struct icmp *);
	icp->icmp_type = ICMP_ECHOREPLY;
	icmpstat.icps_reflect++;
	icmp_send(r, ip.ip_dst, ip.ip_src, ip.ip_tos);
}

/* Expire path MTUs learnt from ICMP: delete their host routes. */
static int
icmp_pmtu_visit(struct rtentry *rt, void *arg)
{
	uint64_t *nextp = arg, now = getnsecuptime();

	if ((rt->rt_flags & RTF_DYNAMIC) == 0 || rt->rt_rmx.rmx_expire == 0)
		return 0;
	if (rt->rt_rmx.rmx_expire <= now)
		rt->rt_rmx.rmx_expire = 1;      /* mark: deleted below */
	else if (*nextp == 0 || rt->rt_rmx.rmx_expire < *nextp)
		*nextp = rt->rt_rmx.rmx_expire;
	return 0;
}

static int
icmp_pmtu_find(struct rtentry *rt, void *arg)
{
	struct rtentry **rtp = arg;

	if ((rt->rt_flags & RTF_DYNAMIC) != 0 && rt->rt_rmx.rmx_expire == 1) {
		rtref(rt);
		*rtp = rt;
		return 1;
	}
	return 0;
}

static void
icmp_pmtu_timeout(void *arg)
{
	struct rt_addrinfo info;
	struct rtentry *rt;
	uint64_t next = 0;

	(void)arg;
	mutex_enter(softnet_lock);
	(void)rt_walk(AF_INET, icmp_pmtu_visit, &next);
	for (;;) {
		rt = NULL;
		if (rt_walk(AF_INET, icmp_pmtu_find, &rt) == 0 || rt == NULL)
			break;
		memset(&info, 0, sizeof(info));
		info.rti_dst = (struct sockaddr *)&rt->rt_dst;
		(void)rtrequest(RTM_DELETE, &info, NULL);
		rtfree(rt);
	}
	if (next != 0)
		callout_schedule(&icmp_pmtu_timer, nstohz(next - getnsecuptime()) + 1);
	mutex_exit(softnet_lock);
}

/* RFC 1191: the path to dst carries at most mtu bytes. */
static void
icmp_mtudisc(struct in_addr dst, unsigned mtu)
{
	struct sockaddr_in sin, gw;
	struct rt_addrinfo info;
	struct rtentry *rt, *hrt = NULL;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = dst;
	if ((rt = rtalloc1((struct sockaddr *)&sin)) == NULL)
		return;
	if ((rt->rt_flags & RTF_LOCAL) != 0 || mtu >= ip_rtmtu(rt)) {
		rtfree(rt);
		return;
	}
	if ((rt->rt_flags & RTF_HOST) == 0) {
		memset(&info, 0, sizeof(info));
		info.rti_dst = (struct sockaddr *)&sin;
		info.rti_ifp = rt->rt_ifp;
		info.rti_ifa = rt->rt_ifa;
		info.rti_flags = RTF_DYNAMIC | RTF_HOST;
		if (rt->rt_flags & RTF_GATEWAY) {
			memcpy(&gw, &rt->rt_gateway, sizeof(gw));
			info.rti_gateway = (struct sockaddr *)&gw;
			info.rti_flags |= RTF_GATEWAY;
		}
		if (rtrequest(RTM_ADD, &info, &hrt) != 0) {
			rtfree(rt);
			return;
		}
		rtfree(rt);
		rt = hrt;
	}
	rt->rt_rmx.rmx_mtu = mtu;
	if (rt->rt_flags & RTF_DYNAMIC) {
		rt->rt_rmx.rmx_expire = getnsecuptime() + ICMP_PMTU_EXPIRE_NS;
		if (!callout_pending(&icmp_pmtu_timer))
			callout_reset(&icmp_pmtu_timer, nstohz(ICMP_PMTU_EXPIRE_NS) + 1,
			    icmp_pmtu_timeout, NULL);
	}
	rtfree(rt);
	icmpstat.icps_pmtuchg++;
}

/* RFC 1191 section 5: a plateau below the length that did not fit. */
static unsigned
icmp_mtu_plateau(unsigned len)
{
	static const unsigned plateau[] = { 32000, 17914, 8166, 4352, 2002,
	    1492, 1006, 508, 296, 68 };
	unsigned i;

	for (i = 0; i < __arraycount(plateau); i++)
		if (plateau[i] < len)
			return plateau[i];
	return 68;
}

static int
icmp_prc(int type, int code)
{
	switch (type) {
	case ICMP_UNREACH:
		switch (code) {
		case ICMP_UNREACH_NET:
		case ICMP_UNREACH_NET_UNKNOWN:
		case ICMP_UNREACH_NET_PROHIB:
			return PRC_UNREACH_NET;
		case ICMP_UNREACH_PROTOCOL:
			return PRC_UNREACH_PROTOCOL;
		case ICMP_UNREACH_PORT:
			return PRC_UNREACH_PORT;
		case ICMP_UNREACH_NEEDFRAG:
			return PRC_MSGSIZE;
		case ICMP_UNREACH_SRCFAIL:
			return PRC_UNREACH_SRCFAIL;
		default:
			return PRC_UNREACH_HOST;
		}
	case ICMP_TIMXCEED:
		return code == ICMP_TIMXCEED_REASS ? PRC_TIMXCEED_REASS
						   : PRC_TIMXCEED_INTRANS;
	case ICMP_PARAMPROB:
		return PRC_PARAMPROB;
	case ICMP_SOURCEQUENCH:
		return PRC_QUENCH;
	default:
		return -1;
	}
}

/* An error about a datagram we sent: tell its protocol. */
static void
icmp_notify(struct mbuf *m, int hlen, int icmplen, const struct icmp *icp)
{
	const struct protosw *pr;
	struct ip_ctlparam cp;
	struct sockaddr_in sin;
	const struct ip *qip;
	int cmd, qhlen;

	if (icmplen < ICMP_ADVLENMIN) {
		icmpstat.icps_badlen++;
		return;
	}
	cmd = icmp_prc(icp->icmp_type, icp->icmp_code);
	if (cmd < 0 || icp->icmp_code > 15) {
		icmpstat.icps_badcode++;
		return;
	}
	qip = (const struct ip *)(mtod(m, const uint8_t *) + hlen + ICMP_MINLEN);
	qhlen = qip->ip_hl << 2;
	if (qip->ip_v != IPVERSION || qhlen < IP_MINHLEN ||
	    icmplen < ICMP_MINLEN + qhlen + 8 ||
	    m->m_len < hlen + ICMP_MINLEN + qhlen + 8) {
		icmpstat.icps_badlen++;
		return;
	}
	/* About a datagram we did not send: nothing of ours to correct. */
	if (in_ifaddr_withaddr(qip->ip_src) == NULL) {
		icmpstat.icps_notours++;
		return;
	}
	cp.ipc_ip = qip;
	cp.ipc_mtu = 0;
	if (cmd == PRC_MSGSIZE) {
		cp.ipc_mtu = ntohs(icp->icmp_nextmtu);
		if (cp.ipc_mtu == 0)
			cp.ipc_mtu = icmp_mtu_plateau(ntohs(qip->ip_len));
		if (cp.ipc_mtu < 68)
			return;
		icmp_mtudisc(qip->ip_dst, cp.ipc_mtu);
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = qip->ip_dst;
	if ((pr = ip_protosw(qip->ip_p)) != NULL && pr->pr_ctlinput != NULL)
		(*pr->pr_ctlinput)(cmd, (struct sockaddr *)&sin, &cp);
}

void
icmp_input(struct mbuf *m, int hlen, int proto)
{
	struct ip *ip;
	struct icmp *icp;
	int icmplen, pull;

	(void)proto;
	KASSERT(mutex_owned(softnet_lock));
	ip = mtod(m, struct ip *);
	icmplen = ntohs(ip->ip_len) - hlen;
	if (icmplen < ICMP_MINLEN) {
		icmpstat.icps_tooshort++;
		goto drop;
	}
	/* Errors are read in place: pull up what they quote (at most a full header + 8). */
	pull = MIN(hlen + icmplen, hlen + ICMP_MINLEN + IP_MAXHLEN + 8);
	if (m->m_len < pull && (m = m_pullup(m, pull)) == NULL) {
		icmpstat.icps_tooshort++;
		return;
	}
	ip = mtod(m, struct ip *);
	if ((m->m_pkthdr.csum_flags & M_CSUM_DATA_VALID) == 0 &&
	    (uint16_t)~in_cksum_partial(m, hlen, icmplen, 0) != 0) {
		icmpstat.icps_checksum++;
		goto drop;
	}
	icp = (struct icmp *)(mtod(m, uint8_t *) + hlen);
	if (icp->icmp_type <= ICMP_MAXTYPE)
		icmpstat.icps_inhist[icp->icmp_type]++;
	switch (icp->icmp_type) {
	case ICMP_ECHO:
		if ((m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
		    IN_MULTICAST(ntohl(ip->ip_dst.s_addr)) ||
		    in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif)) {
			icmpstat.icps_bmcastecho++;
			goto drop;
		}
		icmp_reflect(m, hlen);
		return;
	case ICMP_UNREACH:
	case ICMP_TIMXCEED:
	case ICMP_PARAMPROB:
	case ICMP_SOURCEQUENCH:
		icmp_notify(m, hlen, icmplen, icp);
		break;
	default:
		break;
	}
drop:
	m_freem(m);
}
