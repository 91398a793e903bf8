/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * UDP over IPv6 and raw IPv6 sockets.  Their PCBs are IPv6 inpcbs
 * (<netinet6/in6_pcb.h>, as TCP's), in a table for each (udb6table,
 * rip6table) that input searches in full; the multicast and sticky
 * options hang from inp_opts6.
 *
 * UDP: checksums always (a zero checksum received is dropped, RFC 8200
 * 8.1), connected and unconnected sockets, ephemeral ports from
 * 32768-60999, Linux's SO_REUSEADDR/SO_REUSEPORT sharing (both sockets
 * must ask), multicast to every socket bound to the port, port
 * unreachable for unicast nobody takes, ICMPv6 errors as so_error on
 * connected sockets.  Raw sockets (root only) get a copy of every
 * datagram of their protocol without the IPv6 header, as on Linux, and
 * send a payload the kernel puts a header on (and, for ICMPv6, the
 * checksum); ICMPv6 ones take ICMP6_FILTER.
 *
 * Options (IPPROTO_IPV6): IPV6_UNICAST_HOPS, IPV6_MULTICAST_IF/HOPS/
 * LOOP, IPV6_ADD/DROP_MEMBERSHIP, IPV6_RECVPKTINFO, IPV6_PKTINFO (sticky
 * source and interface), IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS,
 * IPV6_TCLASS, IPV6_MTU_DISCOVER (DO: EMSGSIZE instead of fragments),
 * IPV6_MTU, IPV6_V6ONLY (Linux's default 0: a UDP socket also takes
 * IPv4 datagrams to its port that no IPv4 socket took, from
 * ::ffff:a.b.c.d, and sends to such addresses over IPv4; its port is
 * held against IPv4 sockets' and theirs against it, by Linux's reuse
 * rules) (UNICAST_HOPS, TCLASS, MTU_DISCOVER, MTU and V6ONLY are every
 * IPv6 socket's: in6_pcbctloutput);
 * control messages IPV6_PKTINFO, IPV6_HOPLIMIT, IPV6_TCLASS both ways.
 * Locking: softnet_lock, the sockets' lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/udp.h>
#include <netinet6/in6_var.h>
#include <netinet6/in6_pcb.h>

#include "netinet6_private.h"

#define UDP6_SENDSPACE 9216
#define UDP6_RECVSPACE 212992
#define RIP6_SPACE     212992
#define EPHEMERAL_LO   32768
#define EPHEMERAL_HI   60999

/* The PCBs (in6_pcb.h): UDP's, and raw sockets' of every protocol. */
static struct inpcbtable udb6table, rip6table;
#define IN6P_RAW(p) ((p)->inp_table == &rip6table)

struct udp6stat udp6stat;

/* Whether a dual-stack socket holds (laddr, lport) (in_pcb_conflict6_hook). */
static bool
udp6_conflict4(struct in_addr laddr, in_port_t lport, int so_options)
{
	struct inpcb *p;
	int share = so_options & (SOF_REUSEADDR | SOF_REUSEPORT);

	TAILQ_FOREACH(p, &udb6table.inpt_queue, inp_queue) {
		if ((p->inp_flags & INP_V6ONLY) != 0 || p->inp_lport != lport)
			continue;
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6) &&
		    (!IN6_IS_ADDR_V4MAPPED(&p->inp_laddr6) ||
		    (laddr.s_addr != INADDR_ANY &&
		    p->inp_laddr6.s6_addr32[3] != INADDR_ANY &&
		    p->inp_laddr6.s6_addr32[3] != laddr.s_addr)))
			continue;
		if ((p->inp_socket->so_options & share) != 0)
			continue;
		return true;
	}
	return false;
}

static bool
in6p_portused(int proto, uint16_t lport, const struct in6_addr *laddr,
    const struct inpcb *me, const struct socket *so)
{
	struct inpcb *p;
	int share = so->so_options & (SOF_REUSEADDR | SOF_REUSEPORT);

	/* A dual-stack socket's port is IPv4's too. */
	if (proto == IPPROTO_UDP && (me->inp_flags & INP_V6ONLY) == 0 &&
	    (IN6_IS_ADDR_UNSPECIFIED(laddr) || IN6_IS_ADDR_V4MAPPED(laddr))) {
		struct in_addr a;

		a.s_addr = IN6_IS_ADDR_V4MAPPED(laddr) ? laddr->s6_addr32[3] :
		    INADDR_ANY;
		if (udp_port_held4(a, lport, so->so_options))
			return true;
	}

	TAILQ_FOREACH(p, &udb6table.inpt_queue, inp_queue) {
		if (p->inp_lport != lport)
			continue;
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6) &&
		    !IN6_IS_ADDR_UNSPECIFIED(laddr) &&
		    !IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, laddr))
			continue;
		if (share != 0 && (p->inp_socket->so_options & share) != 0)
			continue;
		return true;
	}
	return false;
}

static int
in6p_bindport(struct inpcb *p, const struct in6_addr *laddr, uint16_t port)
{
	struct socket *so = p->inp_socket;
	unsigned n, range = EPHEMERAL_HI - EPHEMERAL_LO + 1, start;

	if (port != 0) {
		if (ntohs(port) < 1024 && so->so_cred != NULL &&
		    !kauth_cred_issuser(so->so_cred))
			return EACCES;
		if (in6p_portused(p->inp_ip_p, port, laddr, p, so))
			return EADDRINUSE;
		p->inp_lport = port;
		return 0;
	}
	start = in6_random() % range;
	for (n = 0; n < range; n++) {
		uint16_t cand = htons((uint16_t)(EPHEMERAL_LO +
		    (start + n) % range));

		if (!in6p_portused(p->inp_ip_p, cand, laddr, p, so)) {
			p->inp_lport = cand;
			return 0;
		}
	}
	return EADDRINUSE;
}

static int
in6p_sin6(const struct sockaddr *nam, socklen_t namlen,
    const struct sockaddr_in6 **sin6p)
{
	if (namlen < 24)
		return EINVAL;
	if (nam->sa_family != AF_INET6)
		return EAFNOSUPPORT;
	*sin6p = (const struct sockaddr_in6 *)nam;
	return 0;
}

static int
in6p_attach(struct socket *so, int proto, bool raw)
{
	struct in6_pcbopts *o6;
	struct inpcb *p;
	int error;

	if (so->so_lock == NULL) {
		so->so_lock = softnet_lock;
		mutex_enter(softnet_lock);
	}
	KASSERT(solocked(so));
	if (raw) {
		if (proto <= 0 || proto >= IPPROTO_MAX)
			return EPROTONOSUPPORT;
		if (so->so_cred != NULL && !kauth_cred_issuser(so->so_cred))
			return EPERM;
	}
	if (!soreserve(so, raw ? RIP6_SPACE : UDP6_SENDSPACE,
	    raw ? RIP6_SPACE : UDP6_RECVSPACE))
		return ENOBUFS;
	if ((o6 = kmem_zalloc(sizeof(*o6), KM_NOSLEEP)) == NULL)
		return ENOBUFS;
	if ((error = in6_pcballoc(so, raw ? &rip6table : &udb6table)) != 0) {
		kmem_free(o6, sizeof(*o6));
		return error;
	}
	p = so->so_pcb;
	p->inp_opts6 = o6;
	p->inp_ip_p = (uint8_t)(raw ? proto : IPPROTO_UDP);
	o6->o6_mhlim = 1;
	o6->o6_mloop = true;
	p->inp_pmtudisc = IPV6_PMTUDISC_WANT;
	if (raw)
		p->inp_flags |= INP_V6ONLY;
	return 0;
}

static void
in6p_detach(struct socket *so)
{
	struct inpcb *p = so->so_pcb;
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < IN6P_MAXMEMB; i++)
		if (p->inp_opts6->o6_memb[i] != NULL)
			in6_delmulti(p->inp_opts6->o6_memb[i]);
	kmem_free(p->inp_opts6, sizeof(*p->inp_opts6));
	p->inp_opts6 = NULL;
	in_pcbdetach(p);
}

static void
in6p_purgeif_table(struct inpcbtable *t, struct ifnet *ifp)
{
	struct inpcb *p;
	int i;

	TAILQ_FOREACH(p, &t->inpt_queue, inp_queue) {
		for (i = 0; i < IN6P_MAXMEMB; i++) {
			if (p->inp_opts6->o6_memb[i] != NULL &&
			    p->inp_opts6->o6_memb[i]->in6m_ifp == ifp) {
				in6_delmulti(p->inp_opts6->o6_memb[i]);
				p->inp_opts6->o6_memb[i] = NULL;
			}
		}
		if (p->inp_opts6->o6_mif == ifp->if_index)
			p->inp_opts6->o6_mif = 0;
		if (p->inp_opts6->o6_pktinfo.ipi6_ifindex == (int)ifp->if_index)
			p->inp_opts6->o6_pktinfo.ipi6_ifindex = 0;
	}
}

void
in6_pcbpurgeif(struct ifnet *ifp)
{
	in6p_purgeif_table(&udb6table, ifp);
	in6p_purgeif_table(&rip6table, ifp);
}

void
in6_pcbnotify(const struct in6_addr *dst, uint16_t dport,
    const struct in6_addr *src, uint16_t sport, int nxt, int error)
{
	struct inpcb *p;

	if (nxt != IPPROTO_UDP)
		return;
	TAILQ_FOREACH(p, &udb6table.inpt_queue, inp_queue) {
		if (p->inp_lport != sport || p->inp_fport != dport ||
		    !IN6_ARE_ADDR_EQUAL(&p->inp_faddr6, dst) ||
		    (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6) &&
		    !IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, src)))
			continue;
		p->inp_socket->so_error = error;
		sorwakeup(p->inp_socket);
		sowwakeup(p->inp_socket);
	}
}

/* The control messages p asked for about the packet m. */
static struct mbuf *
in6p_control(const struct inpcb *p, struct mbuf *m)
{
	struct mbuf *control = NULL, **tailp = &control;
	struct ip6_hdr ip6;

	m_copydata(m, 0, sizeof(ip6), &ip6);
	if (p->inp_flags & INP_RECVPKTINFO6) {
		struct in6_pktinfo pi;

		pi.ipi6_addr = ip6.ip6_dst;
		pi.ipi6_ifindex = m->m_pkthdr.rcvif != NULL ?
		    (int)m->m_pkthdr.rcvif->if_index : 0;
		if ((*tailp = sbcreatecontrol(&pi, sizeof(pi), IPV6_PKTINFO,
		    IPPROTO_IPV6)) != NULL)
			tailp = &(*tailp)->m_next;
	}
	if (p->inp_flags & INP_RECVHOPLIMIT6) {
		int h = ip6.ip6_hlim;

		if ((*tailp = sbcreatecontrol(&h, sizeof(h), IPV6_HOPLIMIT,
		    IPPROTO_IPV6)) != NULL)
			tailp = &(*tailp)->m_next;
	}
	if (p->inp_flags & INP_RECVTCLASS6) {
		int tc = (int)((ntohl(ip6.ip6_flow) >> 20) & 0xff);

		*tailp = sbcreatecontrol(&tc, sizeof(tc), IPV6_TCLASS,
		    IPPROTO_IPV6);
	}
	return control;
}

/* Queue a copy of m from off on p's socket, from src:port. */
static bool
in6p_deliver(struct inpcb *p, struct mbuf *m, int off, uint16_t port)
{
	struct socket *so = p->inp_socket;
	struct sockaddr_in6 from;
	struct ip6_hdr ip6;
	struct mbuf *n, *control = NULL;
	struct ifnet *ifp = m->m_pkthdr.rcvif;

	m_copydata(m, 0, sizeof(ip6), &ip6);
	if ((n = m_copym(m, off, M_COPYALL, M_DONTWAIT)) == NULL)
		return false;
	if (p->inp_flags & (INP_RECVPKTINFO6 | INP_RECVHOPLIMIT6 |
	    INP_RECVTCLASS6))
		control = in6p_control(p, m);
	in6_sin6(&from, &ip6.ip6_src, port,
	    IN6_IS_ADDR_LINKLOCAL(&ip6.ip6_src) && ifp != NULL ?
	    ifp->if_index : 0);
	if (!sbappendaddr(&so->so_rcv, (struct sockaddr *)&from, sizeof(from),
	    n, control)) {
		so->so_rcv.sb_overflowed++;
		m_freem(n);
		m_freem(control);
		return false;
	}
	sorwakeup(so);
	return true;
}

bool
rip6_deliver(struct mbuf *m, int off, int nxt)
{
	struct inpcb *p;
	struct ip6_hdr ip6;
	bool taken = false;

	m_copydata(m, 0, sizeof(ip6), &ip6);
	TAILQ_FOREACH(p, &rip6table.inpt_queue, inp_queue) {
		if (p->inp_ip_p != nxt)
			continue;
		if (nxt == IPPROTO_ICMPV6 && m->m_pkthdr.len > off) {
			uint8_t type;

			m_copydata(m, off, 1, &type);
			if (p->inp_opts6->o6_filter.icmp6_filt[type >> 5] &
			    (1u << (type & 31)))
				continue;
		}
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6) &&
		    !IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, &ip6.ip6_dst))
			continue;
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_faddr6) &&
		    !IN6_ARE_ADDR_EQUAL(&p->inp_faddr6, &ip6.ip6_src))
			continue;
		taken = true;
		(void)in6p_deliver(p, m, off, 0);
	}
	return taken;
}

void
udp6_input(struct mbuf *m, int off, int len)
{
	struct inpcb *p, *best = NULL;
	struct ip6_hdr ip6;
	struct udphdr uh;
	int ulen, score, bscore = -1;
	bool mcast;

	udp6stat.u6s_ipackets++;
	if (len < (int)sizeof(uh)) {
		udp6stat.u6s_hdrops++;
		goto drop;
	}
	m_copydata(m, 0, sizeof(ip6), &ip6);
	m_copydata(m, off, sizeof(uh), &uh);
	ulen = ntohs(uh.uh_ulen);
	if (ulen < (int)sizeof(uh) || ulen > len) {
		udp6stat.u6s_badlen++;
		goto drop;
	}
	if (ulen < len) {
		m_adj(m, ulen - len);
		len = ulen;
	}
	if (uh.uh_sum == 0 ||
	    ((m->m_pkthdr.csum_flags & M_CSUM_DATA_VALID) == 0 &&
	    in6_cksum(m, IPPROTO_UDP, off, len) != 0)) {
		udp6stat.u6s_badsum++;
		goto drop;
	}
	mcast = IN6_IS_ADDR_MULTICAST(&ip6.ip6_dst);
	TAILQ_FOREACH(p, &udb6table.inpt_queue, inp_queue) {
		if (p->inp_lport != uh.uh_dport)
			continue;
		score = 0;
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6)) {
			if (!IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, &ip6.ip6_dst))
				continue;
			score++;
		}
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_faddr6)) {
			if (!IN6_ARE_ADDR_EQUAL(&p->inp_faddr6, &ip6.ip6_src) ||
			    p->inp_fport != uh.uh_sport)
				continue;
			score += 2;
		}
		if (mcast) {
			if (in6p_deliver(p, m, off + (int)sizeof(uh),
			    uh.uh_sport))
				udp6stat.u6s_delivered++;
			else
				udp6stat.u6s_fullsock++;
			best = p;
			continue;
		}
		if (score > bscore) {
			bscore = score;
			best = p;
		}
	}
	if (best == NULL) {
		udp6stat.u6s_noport++;
		if (!mcast) {
			icmp6_error(m, ICMP6_DST_UNREACH,
			    ICMP6_DST_UNREACH_NOPORT, 0);
			return;
		}
		goto drop;
	}
	if (!mcast) {
		if (in6p_deliver(best, m, off + (int)sizeof(uh), uh.uh_sport))
			udp6stat.u6s_delivered++;
		else
			udp6stat.u6s_fullsock++;
	}
drop:
	m_freem(m);
}

/* IPV6_PKTINFO, IPV6_HOPLIMIT and IPV6_TCLASS given to one sendmsg. */
static int
in6p_sendcontrol(struct mbuf *control, struct ip6_outopts *io,
    struct in6_pktinfo *pi)
{
	struct mbuf *c;

	for (c = control; c != NULL; c = c->m_next) {
		const uint8_t *q = mtod(c, const uint8_t *), *end = q + c->m_len;

		while (q + sizeof(struct cmsghdr) <= end) {
			struct cmsghdr cm;
			size_t dlen;
			int v;

			memcpy(&cm, q, sizeof(cm));
			if (cm.cmsg_len < CMSG_LEN(0) || q + cm.cmsg_len > end)
				return EINVAL;
			dlen = cm.cmsg_len - CMSG_LEN(0);
			if (cm.cmsg_level != IPPROTO_IPV6)
				return EINVAL;
			switch (cm.cmsg_type) {
			case IPV6_PKTINFO:
				if (dlen != sizeof(*pi))
					return EINVAL;
				memcpy(pi, CMSG_DATA(q), sizeof(*pi));
				if (!IN6_IS_ADDR_UNSPECIFIED(&pi->ipi6_addr) &&
				    in6_ifaddr_lookup(&pi->ipi6_addr, NULL) ==
				    NULL)
					return EADDRNOTAVAIL;
				break;
			case IPV6_HOPLIMIT:
			case IPV6_TCLASS:
				if (dlen != sizeof(int))
					return EINVAL;
				memcpy(&v, CMSG_DATA(q), sizeof(v));
				if (v < -1 || v > 255)
					return EINVAL;
				if (cm.cmsg_type == IPV6_HOPLIMIT)
					io->io_hlim = v;
				else
					io->io_tclass = v;
				break;
			default:
				return EINVAL;
			}
			q += CMSG_SPACE(dlen);
		}
	}
	return 0;
}

/* A datagram of a dual-stack socket to ::ffff:a.b.c.d, over IPv4. */
static int
udp6_output4(struct inpcb *p, struct mbuf *m, const struct in6_addr *dst,
    uint16_t dport)
{
	struct ip *ip;
	struct udphdr *uh;
	int len = m->m_pkthdr.len, hdrs = (int)(sizeof(*ip) + sizeof(*uh));
	int error;

	if (p->inp_lport == 0 &&
	    (error = in6p_bindport(p, &in6addr_any, 0)) != 0) {
		m_freem(m);
		return error;
	}
	if (len + hdrs > IP_MAXPACKET) {
		m_freem(m);
		return EMSGSIZE;
	}
	M_PREPEND(m, hdrs, M_DONTWAIT);
	if (m == NULL || (m->m_len < hdrs && (m = m_pullup(m, hdrs)) == NULL))
		return ENOBUFS;
	ip = mtod(m, struct ip *);
	memset(ip, 0, (size_t)hdrs);
	ip->ip_len = htons((uint16_t)(len + hdrs));
	ip->ip_ttl = (uint8_t)(p->inp_hlim >= 0 ? p->inp_hlim : ip_defttl);
	ip->ip_p = IPPROTO_UDP;
	if (IN6_IS_ADDR_V4MAPPED(&p->inp_laddr6))
		memcpy(&ip->ip_src, &p->inp_laddr6.s6_addr[12], 4);
	memcpy(&ip->ip_dst, &dst->s6_addr[12], 4);
	uh = (struct udphdr *)(ip + 1);
	uh->uh_sport = p->inp_lport;
	uh->uh_dport = dport;
	uh->uh_ulen = htons((uint16_t)(len + (int)sizeof(*uh)));
	m->m_pkthdr.csum_flags |= M_CSUM_UDPv4;  /* ip_output, with the source */
	udp6stat.u6s_opackets++;
	return ip_output(m, NULL, 0, NULL, NULL);
}

/*
 * An IPv4 datagram no IPv4 socket took: a dual-stack socket bound to its
 * port (and to :: or ::ffff:dst, connected to the source if at all)
 * gets it from ::ffff:src (udp_mapped_input_hook).
 */
static bool
udp6_input4(struct mbuf *m, int hlen)
{
	struct inpcb *p, *best = NULL;
	struct in6_addr src, dst;
	struct sockaddr_in6 from;
	struct socket *so;
	struct udphdr uh;
	struct ip ip;
	int score, bscore = -1;

	m_copydata(m, 0, sizeof(ip), &ip);
	m_copydata(m, hlen, sizeof(uh), &uh);
	memset(&src, 0, sizeof(src));
	src.s6_addr[10] = src.s6_addr[11] = 0xff;
	dst = src;
	memcpy(&src.s6_addr[12], &ip.ip_src, 4);
	memcpy(&dst.s6_addr[12], &ip.ip_dst, 4);
	TAILQ_FOREACH(p, &udb6table.inpt_queue, inp_queue) {
		if ((p->inp_flags & INP_V6ONLY) != 0 ||
		    p->inp_lport != uh.uh_dport)
			continue;
		score = 0;
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6)) {
			if (!IN6_ARE_ADDR_EQUAL(&p->inp_laddr6, &dst) &&
			    !(IN6_IS_ADDR_V4MAPPED(&p->inp_laddr6) &&
			    p->inp_laddr6.s6_addr32[3] == 0))
				continue;
			score++;
		}
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_faddr6)) {
			if (!IN6_ARE_ADDR_EQUAL(&p->inp_faddr6, &src) ||
			    p->inp_fport != uh.uh_sport)
				continue;
			score += 2;
		}
		if (score > bscore) {
			bscore = score;
			best = p;
		}
	}
	if (best == NULL)
		return false;
	so = best->inp_socket;
	in6_sin6(&from, &src, uh.uh_sport, 0);
	m_adj(m, hlen + (int)sizeof(uh));
	if (!sbappendaddr(&so->so_rcv, (struct sockaddr *)&from, sizeof(from),
	    m, NULL)) {
		so->so_rcv.sb_overflowed++;
		udp6stat.u6s_fullsock++;
		m_freem(m);
		return true;
	}
	udp6stat.u6s_delivered++;
	sorwakeup(so);
	return true;
}

void
udp6_init(void)
{
	in_pcbinit(&udb6table, 64, IPPROTO_UDP);
	in_pcbinit(&rip6table, 64, IPPROTO_RAW);
	udp_mapped_input_hook = udp6_input4;
	in_pcb_conflict6_hook = udp6_conflict4;
}

static int
in6p_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam,
    socklen_t namlen, struct mbuf *control, struct lwp *l)
{
	struct inpcb *p = so->so_pcb;
	const struct sockaddr_in6 *sin6;
	struct ip6_outopts io = { .io_tclass = -1 };
	struct in6_pktinfo pi;
	struct in6_addr dst;
	struct ip6_hdr *ip6;
	uint16_t dport;
	uint32_t scope;
	int error, len, hdrs;

	(void)l;
	KASSERT(solocked(so));
	if (p == NULL) {
		error = EINVAL;
		goto bad;
	}
	if (nam != NULL) {
		if ((error = in6p_sin6(nam, namlen, &sin6)) != 0)
			goto bad;
		dst = sin6->sin6_addr;
		dport = sin6->sin6_port;
		scope = sin6->sin6_scope_id;
	} else if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_faddr6)) {
		dst = p->inp_faddr6;
		dport = p->inp_fport;
		scope = p->inp_fscope;
	} else {
		error = EDESTADDRREQ;
		goto bad;
	}
	if (IN6_IS_ADDR_V4MAPPED(&dst)) {
		if (IN6P_RAW(p) || (p->inp_flags & INP_V6ONLY) != 0) {
			error = ENETUNREACH;
			goto bad;
		}
		m_freem(control);
		return udp6_output4(p, m, &dst, dport);
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&dst))
		dst = in6addr_loopback; /* as Linux: :: means this host */
	if (!IN6P_RAW(p) && dport == 0) {
		error = EINVAL;
		goto bad;
	}
	pi = p->inp_opts6->o6_pktinfo;
	io.io_hlim = IN6_IS_ADDR_MULTICAST(&dst) ? p->inp_opts6->o6_mhlim : p->inp_hlim;
	io.io_tclass = p->inp_tclass;
	if ((error = in6p_sendcontrol(control, &io, &pi)) != 0)
		goto bad;
	m_freem(control);
	control = NULL;
	io.io_mloop = p->inp_opts6->o6_mloop;
	io.io_dontfrag = p->inp_pmtudisc == IPV6_PMTUDISC_DO;
	io.io_ifindex = pi.ipi6_ifindex != 0 ? (unsigned)pi.ipi6_ifindex :
	    IN6_IS_ADDR_MULTICAST(&dst) && p->inp_opts6->o6_mif != 0 ? p->inp_opts6->o6_mif :
	    scope;
	if ((IN6_IS_ADDR_LINKLOCAL(&dst) || IN6_IS_ADDR_MC_LINKLOCAL(&dst)) &&
	    io.io_ifindex == 0 && in6_ifaddr_lookup(&dst, NULL) == NULL) {
		error = EINVAL;         /* Linux: a link-local needs a scope */
		goto bad;
	}
	if (!IN6_IS_ADDR_UNSPECIFIED(&pi.ipi6_addr))
		io.io_src = &pi.ipi6_addr;
	else if (!IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6))
		io.io_src = &p->inp_laddr6;
	if (!IN6P_RAW(p) && p->inp_lport == 0 &&
	    (error = in6p_bindport(p, &in6addr_any, 0)) != 0)
		goto bad;
	len = m->m_pkthdr.len;
	hdrs = (int)sizeof(*ip6) + (IN6P_RAW(p) ? 0 : (int)sizeof(struct udphdr));
	if (len + hdrs - (int)sizeof(*ip6) > IPV6_MAXPACKET) {
		error = EMSGSIZE;
		goto bad;
	}
	M_PREPEND(m, hdrs, M_DONTWAIT);
	if (m == NULL || (m->m_len < hdrs && (m = m_pullup(m, hdrs)) == NULL))
		return ENOBUFS;
	ip6 = mtod(m, struct ip6_hdr *);
	memset(ip6, 0, (size_t)hdrs);
	ip6->ip6_dst = dst;
	ip6->ip6_nxt = (uint8_t)p->inp_ip_p;
	if (!IN6P_RAW(p)) {
		struct udphdr *uh = (struct udphdr *)(ip6 + 1);

		uh->uh_sport = p->inp_lport;
		uh->uh_dport = dport;
		uh->uh_ulen = htons((uint16_t)(len + (int)sizeof(*uh)));
		io.io_csumproto = IPPROTO_UDP;
		udp6stat.u6s_opackets++;
	} else if (p->inp_ip_p == IPPROTO_ICMPV6) {
		uint8_t type;

		if (len < 4) {
			error = EINVAL;
			goto bad;
		}
		io.io_csumproto = IPPROTO_ICMPV6;
		m_copydata(m, hdrs, 1, &type);
		icmp6stat.icp6s_outhist[type]++;
	}
	return ip6_output(m, &io);
bad:
	m_freem(m);
	m_freem(control);
	return error;
}

static int
udp6_attach(struct socket *so, int proto)
{
	(void)proto;
	return in6p_attach(so, IPPROTO_UDP, false);
}

static int
rip6_attach(struct socket *so, int proto)
{
	return in6p_attach(so, proto, true);
}

static int
in6p_bind(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	struct inpcb *p = so->so_pcb;
	const struct sockaddr_in6 *sin6;
	struct in6_ifaddr *ia;
	int error;

	(void)l;
	if ((error = in6p_sin6(nam, namlen, &sin6)) != 0)
		return error;
	if (!IN6P_RAW(p) && p->inp_lport != 0)
		return EINVAL;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		struct in_addr a;

		memcpy(&a, &sin6->sin6_addr.s6_addr[12], sizeof(a));
		if (IN6P_RAW(p) || (p->inp_flags & INP_V6ONLY) != 0 ||
		    (a.s_addr != INADDR_ANY && in_ifaddr_withaddr(a) == NULL))
			return EADDRNOTAVAIL;
	} else if (!IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr) &&
	    !IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr)) {
		ia = in6_ifaddr_lookup(&sin6->sin6_addr, NULL);
		if (ia == NULL || (ia->ia_flags & IN6_IFF_DUPLICATED) != 0)
			return EADDRNOTAVAIL;
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr) &&
		    sin6->sin6_scope_id != 0 &&
		    sin6->sin6_scope_id != ia->ia_ifa.ifa_ifp->if_index)
			return EADDRNOTAVAIL;
	}
	if (!IN6P_RAW(p) &&
	    (error = in6p_bindport(p, &sin6->sin6_addr, sin6->sin6_port)) != 0)
		return error;
	p->inp_laddr6 = sin6->sin6_addr;
	return 0;
}

static int
in6p_connect(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	struct inpcb *p = so->so_pcb;
	const struct sockaddr_in6 *sin6;
	int error;

	(void)l;
	if ((error = in6p_sin6(nam, namlen, &sin6)) != 0)
		return error;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		if (IN6P_RAW(p) || (p->inp_flags & INP_V6ONLY) != 0)
			return ENETUNREACH;
		if (sin6->sin6_port == 0)
			return EINVAL;
		/* IPv4 picks the source when sending. */
		p->inp_faddr6 = sin6->sin6_addr;
		p->inp_fport = sin6->sin6_port;
		p->inp_fscope = 0;
		if (p->inp_lport == 0 &&
		    (error = in6p_bindport(p, &p->inp_laddr6, 0)) != 0)
			return error;
		soisconnected(so);
		return 0;
	}
	if (!IN6P_RAW(p) && sin6->sin6_port == 0)
		return EINVAL;
	if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr) &&
	    sin6->sin6_scope_id == 0 &&
	    in6_ifaddr_lookup(&sin6->sin6_addr, NULL) == NULL)
		return EINVAL;
	p->inp_faddr6 = IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr) ?
	    in6addr_loopback : sin6->sin6_addr;
	p->inp_fport = sin6->sin6_port;
	p->inp_fscope = sin6->sin6_scope_id;
	if (IN6_IS_ADDR_UNSPECIFIED(&p->inp_laddr6)) {
		const struct in6_addr *src = in6_pcbselsrc(&p->inp_faddr6,
		    sin6->sin6_scope_id);

		if (src == NULL && !IN6P_RAW(p)) {
			p->inp_faddr6 = in6addr_any;
			p->inp_fport = 0;
			return ENETUNREACH;
		}
		if (src != NULL)
			p->inp_laddr6 = *src;
	}
	if (!IN6P_RAW(p) && p->inp_lport == 0 &&
	    (error = in6p_bindport(p, &p->inp_laddr6, 0)) != 0)
		return error;
	soisconnected(so);
	return 0;
}

static int
in6p_disconnect(struct socket *so)
{
	struct inpcb *p = so->so_pcb;

	if (IN6_IS_ADDR_UNSPECIFIED(&p->inp_faddr6))
		return ENOTCONN;
	p->inp_faddr6 = in6addr_any;
	p->inp_fport = 0;
	p->inp_fscope = 0;
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
in6p_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
in6p_ioctl(struct socket *so, unsigned long cmd, void *data, struct ifnet *ifp)
{
	return in6_control(so, cmd, data, ifp);
}

static int
in6p_peeraddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct inpcb *p = so->so_pcb;

	if (IN6_IS_ADDR_UNSPECIFIED(&p->inp_faddr6))
		return ENOTCONN;
	in6_setpeeraddr(p, ss, lenp);
	return 0;
}

static int
in6p_sockaddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in6_setsockaddr(so->so_pcb, ss, lenp);
	return 0;
}

static int
in6p_purgeif(struct socket *so, struct ifnet *ifp)
{
	(void)so;
	in6_purgeif(ifp);
	return 0;
}

static struct ifnet *
in6p_mcast_ifp(const struct in6_addr *group, unsigned ifindex)
{
	struct sockaddr_in6 d;
	struct rtentry *rt;
	struct ifnet *ifp = NULL;

	if (ifindex != 0)
		return if_get_byindex(ifindex);
	if (!IN6_IS_ADDR_MC_LINKLOCAL(group)) {
		in6_sin6(&d, group, 0, 0);
		if ((rt = rtalloc1((struct sockaddr *)&d)) != NULL) {
			if ((ifp = rt->rt_ifp) != NULL)
				if_ref(ifp);
			rtfree(rt);
		}
	}
	return ifp;
}

static int
in6p_membership(struct inpcb *p, int name, const struct ipv6_mreq *mr)
{
	struct ifnet *ifp;
	int i, free = -1, error = 0;

	if (!IN6_IS_ADDR_MULTICAST(&mr->ipv6mr_multiaddr))
		return EINVAL;
	if ((ifp = in6p_mcast_ifp(&mr->ipv6mr_multiaddr,
	    (unsigned)mr->ipv6mr_interface)) == NULL)
		return mr->ipv6mr_interface != 0 ? ENODEV : EADDRNOTAVAIL;
	for (i = 0; i < IN6P_MAXMEMB; i++) {
		struct in6_multi *in6m = p->inp_opts6->o6_memb[i];

		if (in6m == NULL) {
			if (free < 0)
				free = i;
			continue;
		}
		if (in6m->in6m_ifp == ifp &&
		    IN6_ARE_ADDR_EQUAL(&in6m->in6m_addr,
		    &mr->ipv6mr_multiaddr))
			break;
	}
	if (name == IPV6_ADD_MEMBERSHIP) {
		if (i < IN6P_MAXMEMB)
			error = EADDRINUSE;
		else if (free < 0)
			error = ENOBUFS;
		else if ((p->inp_opts6->o6_memb[free] = in6_addmulti(
		    &mr->ipv6mr_multiaddr, ifp, &error)) != NULL)
			error = 0;
	} else {
		if (i == IN6P_MAXMEMB)
			error = EADDRNOTAVAIL;
		else {
			in6_delmulti(p->inp_opts6->o6_memb[i]);
			p->inp_opts6->o6_memb[i] = NULL;
		}
	}
	if_release(ifp);
	return error;
}

int
ip6_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct inpcb *p = so->so_pcb;
	struct ipv6_mreq mr;
	struct ifnet *ifp;
	int v = 0, error, flag = 0;

	if (p == NULL)
		return EINVAL;
	if (sopt->sopt_level == IPPROTO_ICMPV6) {
		if (!IN6P_RAW(p) || p->inp_ip_p != IPPROTO_ICMPV6 ||
		    sopt->sopt_name != ICMP6_FILTER)
			return ENOPROTOOPT;
		if (op == PRCO_GETOPT)
			return sockopt_set(sopt, &p->inp_opts6->o6_filter,
			    sizeof(p->inp_opts6->o6_filter));
		return sockopt_get(sopt, &p->inp_opts6->o6_filter,
		    sizeof(p->inp_opts6->o6_filter));
	}
	if (sopt->sopt_level != IPPROTO_IPV6)
		return ENOPROTOOPT;
	/* Those every IPv6 socket has. */
	if ((error = in6_pcbctloutput(op, so, sopt)) != ENOPROTOOPT)
		return error;
	switch (sopt->sopt_name) {
	case IPV6_RECVPKTINFO:
		flag = INP_RECVPKTINFO6;
		break;
	case IPV6_RECVHOPLIMIT:
		flag = INP_RECVHOPLIMIT6;
		break;
	case IPV6_RECVTCLASS:
		flag = INP_RECVTCLASS6;
		break;
	default:
		break;
	}
	if (op == PRCO_GETOPT) {
		switch (sopt->sopt_name) {
		case IPV6_RECVPKTINFO:
		case IPV6_RECVHOPLIMIT:
		case IPV6_RECVTCLASS:
			v = (p->inp_flags & flag) != 0;
			break;
		case IPV6_MULTICAST_HOPS:
			v = p->inp_opts6->o6_mhlim;
			break;
		case IPV6_MULTICAST_LOOP:
			v = p->inp_opts6->o6_mloop;
			break;
		case IPV6_MULTICAST_IF:
			v = (int)p->inp_opts6->o6_mif;
			break;
		case IPV6_PKTINFO:
			return sockopt_set(sopt, &p->inp_opts6->o6_pktinfo,
			    sizeof(p->inp_opts6->o6_pktinfo));
		default:
			return ENOPROTOOPT;
		}
		return sockopt_setint(sopt, v);
	}
	switch (sopt->sopt_name) {
	case IPV6_ADD_MEMBERSHIP:
	case IPV6_DROP_MEMBERSHIP:
		if ((error = sockopt_get(sopt, &mr, sizeof(mr))) != 0)
			return error;
		return in6p_membership(p, sopt->sopt_name, &mr);
	case IPV6_PKTINFO: {
		struct in6_pktinfo pi;

		if ((error = sockopt_get(sopt, &pi, sizeof(pi))) != 0)
			return error;
		if (!IN6_IS_ADDR_UNSPECIFIED(&pi.ipi6_addr) &&
		    in6_ifaddr_lookup(&pi.ipi6_addr, NULL) == NULL)
			return EADDRNOTAVAIL;
		p->inp_opts6->o6_pktinfo = pi;
		return 0;
	}
	default:
		break;
	}
	if ((error = sockopt_getint(sopt, &v)) != 0)
		return error;
	switch (sopt->sopt_name) {
	case IPV6_RECVPKTINFO:
	case IPV6_RECVHOPLIMIT:
	case IPV6_RECVTCLASS:
		if (v)
			p->inp_flags |= flag;
		else
			p->inp_flags &= ~flag;
		return 0;
	case IPV6_MULTICAST_HOPS:
		if (v < -1 || v > 255)
			return EINVAL;
		p->inp_opts6->o6_mhlim = v < 0 ? 1 : v;
		return 0;
	case IPV6_MULTICAST_LOOP:
		if (v != 0 && v != 1)
			return EINVAL;
		p->inp_opts6->o6_mloop = v != 0;
		return 0;
	case IPV6_MULTICAST_IF:
		if (v != 0) {
			if ((ifp = if_get_byindex((unsigned)v)) == NULL)
				return ENXIO;
			if_release(ifp);
		}
		p->inp_opts6->o6_mif = (unsigned)v;
		return 0;
	default:
		return ENOPROTOOPT;
	}
}

const struct pr_usrreqs udp6_usrreqs = {
	.pr_attach = udp6_attach,
	.pr_detach = in6p_detach,
	.pr_bind = in6p_bind,
	.pr_connect = in6p_connect,
	.pr_disconnect = in6p_disconnect,
	.pr_shutdown = in6p_shutdown,
	.pr_ioctl = in6p_ioctl,
	.pr_peeraddr = in6p_peeraddr,
	.pr_sockaddr = in6p_sockaddr,
	.pr_send = in6p_send,
	.pr_purgeif = in6p_purgeif,
};

const struct pr_usrreqs rip6_usrreqs = {
	.pr_attach = rip6_attach,
	.pr_detach = in6p_detach,
	.pr_bind = in6p_bind,
	.pr_connect = in6p_connect,
	.pr_disconnect = in6p_disconnect,
	.pr_shutdown = in6p_shutdown,
	.pr_ioctl = in6p_ioctl,
	.pr_peeraddr = in6p_peeraddr,
	.pr_sockaddr = in6p_sockaddr,
	.pr_send = in6p_send,
};
