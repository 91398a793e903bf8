/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Raw IPv4 sockets (SOCK_RAW), as Linux has them: a socket of protocol
 * p receives a copy of every datagram of protocol p this host takes in
 * (its IP header included), before the protocol itself handles it; it
 * sends datagrams of protocol p with a header made here, or with the
 * caller's own under IP_HDRINCL (always for IPPROTO_RAW), whose
 * length, checksum and, when zero, identification and source are
 * filled in.  Enough for ping and traceroute-style programs.
 *
 * Creating one needs privilege (EPERM otherwise); protocol 0 is
 * EPROTONOSUPPORT, as on Linux.  An ICMP socket takes Linux's
 * ICMP_FILTER option (level SOL_RAW): a mask of the types it does not
 * want to receive.  Locking: softnet_lock, as every inet
 * socket.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "netinet_private.h"

#define SOL_RAW     255         /* Linux's level of raw socket options */
#define ICMP_FILTER 1           /* uint32_t: bit t set drops ICMP type t */

#define RIP_SENDSPACE 212992
#define RIP_RECVSPACE 212992

static struct inpcbtable ripcbtable;    /* n */

void
rip_init(void)
{
	in_pcbinit(&ripcbtable, 16, IPPROTO_RAW);
}

bool
rip_deliver(struct mbuf *m, int proto)
{
	struct inpcb *inp;
	struct ip ip;
	bool taken = false;

	KASSERT(mutex_owned(softnet_lock));
	if (ripcbtable.inpt_count == 0)
		return false;
	m_copydata(m, 0, sizeof(ip), &ip);
	TAILQ_FOREACH(inp, &ripcbtable.inpt_queue, inp_queue) {
		struct socket *so = inp->inp_socket;
		struct sockaddr_in from;
		struct mbuf *n, *control = NULL;

		if (so == NULL || inp->inp_ip_p != proto)
			continue;
		if (proto == IPPROTO_ICMP && inp->inp_icmpfilter != 0) {
			uint8_t type;

			if (m->m_pkthdr.len > (ip.ip_hl << 2)) {
				m_copydata(m, ip.ip_hl << 2, 1, &type);
				if (type < 32 && (inp->inp_icmpfilter & (1u << type)))
					continue;
			}
		}
		if (inp->inp_laddr.s_addr != INADDR_ANY &&
		    inp->inp_laddr.s_addr != ip.ip_dst.s_addr)
			continue;
		if (inp->inp_faddr.s_addr != INADDR_ANY &&
		    inp->inp_faddr.s_addr != ip.ip_src.s_addr)
			continue;
		taken = true;
		if ((n = m_copypacket(m, M_DONTWAIT)) == NULL)
			continue;
		if (inp->inp_flags & (INP_RECVTTL | INP_RECVTOS | INP_PKTINFO))
			control = ip_savecontrol(inp, &ip, m->m_pkthdr.rcvif);
		memset(&from, 0, sizeof(from));
		from.sin_family = AF_INET;
		from.sin_addr = ip.ip_src;
		if (!sbappendaddr(&so->so_rcv, (struct sockaddr *)&from,
		    sizeof(from), n, control)) {
			so->so_rcv.sb_overflowed++;
			m_freem(n);
			m_freem(control);
			continue;
		}
		sorwakeup(so);
	}
	return taken;
}

static int
rip_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam,
    socklen_t namlen, struct mbuf *control, struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;
	struct in_addr dst;
	struct ip *ip;
	int flags, len, error;

	(void)l;
	KASSERT(solocked(so));
	m_freem(control);
	if (inp == NULL) {
		error = EINVAL;
		goto bad;
	}
	if (nam != NULL) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;

		if (namlen < sizeof(*sin)) {
			error = EINVAL;
			goto bad;
		}
		if (sin->sin_family != AF_INET) {
			error = EAFNOSUPPORT;
			goto bad;
		}
		dst = sin->sin_addr;
	} else if (inp->inp_faddr.s_addr != INADDR_ANY)
		dst = inp->inp_faddr;
	else {
		error = EDESTADDRREQ;
		goto bad;
	}
	len = m->m_pkthdr.len;
	flags = ip_pcbflags(inp);
	if (inp->inp_flags & INP_HDRINCL) {
		if (len < (int)sizeof(struct ip) || len > IP_MAXPACKET) {
			error = EINVAL;
			goto bad;
		}
		if (m->m_len < (int)sizeof(struct ip) &&
		    (m = m_pullup(m, sizeof(struct ip))) == NULL)
			return ENOBUFS;
		ip = mtod(m, struct ip *);
		if (ip->ip_hl < 5 || (ip->ip_hl << 2) > len) {
			error = EINVAL;
			goto bad;
		}
		if (m->m_len < (ip->ip_hl << 2) &&
		    (m = m_pullup(m, ip->ip_hl << 2)) == NULL)
			return ENOBUFS;
		ip = mtod(m, struct ip *);
		ip->ip_v = IPVERSION;
		ip->ip_len = htons((uint16_t)len);
		if (ip->ip_src.s_addr == INADDR_ANY) {
			struct in_addr src;

			if (in_pcbselsrc(inp, ip->ip_dst, &src) == 0)
				ip->ip_src = src;
		}
		flags |= IP_RAWOUTPUT;
		flags &= ~(IP_MTUDISC | IP_MTUDISC_DO);
	} else {
		if (len + (int)sizeof(struct ip) > IP_MAXPACKET) {
			error = EMSGSIZE;
			goto bad;
		}
		M_PREPEND(m, (int)sizeof(struct ip), M_DONTWAIT);
		if (m == NULL || (m->m_len < (int)sizeof(struct ip) &&
		    (m = m_pullup(m, sizeof(struct ip))) == NULL))
			return ENOBUFS;
		ip = mtod(m, struct ip *);
		memset(ip, 0, sizeof(*ip));
		ip->ip_tos = inp->inp_tos;
		ip->ip_len = htons((uint16_t)(len + (int)sizeof(struct ip)));
		ip->ip_ttl = inp->inp_ttl;
		ip->ip_p = inp->inp_ip_p;
		ip->ip_dst = dst;
		if (inp->inp_laddr.s_addr != INADDR_ANY)
			ip->ip_src = inp->inp_laddr;
	}
	return ip_output(m, &inp->inp_route, flags, inp->inp_moptions, inp);
bad:
	m_freem(m);
	return error;
}

static int
rip_attach(struct socket *so, int proto)
{
	int error;

	if (so->so_lock == NULL) {
		so->so_lock = softnet_lock;
		mutex_enter(softnet_lock);
	}
	KASSERT(solocked(so));
	if (proto <= 0 || proto >= IPPROTO_MAX)
		return EPROTONOSUPPORT;
	if (so->so_cred != NULL && !kauth_cred_issuser(so->so_cred))
		return EPERM;
	if (!soreserve(so, RIP_SENDSPACE, RIP_RECVSPACE))
		return ENOBUFS;
	if ((error = in_pcballoc(so, &ripcbtable)) != 0)
		return error;
	((struct inpcb *)so->so_pcb)->inp_ip_p = (uint8_t)proto;
	if (proto == IPPROTO_RAW)
		((struct inpcb *)so->so_pcb)->inp_flags |= INP_HDRINCL;
	return 0;
}

static void
rip_detach(struct socket *so)
{
	if (so->so_pcb != NULL)
		in_pcbdetach(so->so_pcb);
}

static int
rip_bind(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;
	struct inpcb *inp = so->so_pcb;

	(void)l;
	if (namlen < sizeof(*sin))
		return EINVAL;
	if (sin->sin_family != AF_INET)
		return EAFNOSUPPORT;
	if (sin->sin_addr.s_addr != INADDR_ANY &&
	    in_ifaddr_withaddr(sin->sin_addr) == NULL &&
	    !in_broadcast(sin->sin_addr, NULL) &&
	    !IN_MULTICAST(ntohl(sin->sin_addr.s_addr)))
		return EADDRNOTAVAIL;
	inp->inp_laddr = sin->sin_addr;
	return 0;
}

static int
rip_connect(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;
	struct inpcb *inp = so->so_pcb;

	(void)l;
	if (namlen < sizeof(*sin))
		return EINVAL;
	if (sin->sin_family != AF_INET)
		return EAFNOSUPPORT;
	/*
	 * No ports: the PCB stays off the hash chains (INP_ATTACHED) and is
	 * found by rip_deliver's walk; a foreign address set is connected.
	 */
	if (sin->sin_addr.s_addr == INADDR_ANY)
		return EADDRNOTAVAIL;
	inp->inp_faddr = sin->sin_addr;
	soisconnected(so);
	return 0;
}

static int
rip_disconnect(struct socket *so)
{
	struct inpcb *inp = so->so_pcb;

	if (inp->inp_faddr.s_addr == INADDR_ANY)
		return ENOTCONN;
	inp->inp_faddr.s_addr = INADDR_ANY;
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
rip_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
rip_ioctl(struct socket *so, unsigned long cmd, void *data, struct ifnet *ifp)
{
	return in_control(so, cmd, data, ifp);
}

static int
rip_peeraddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct inpcb *inp = so->so_pcb;

	if (inp->inp_faddr.s_addr == INADDR_ANY)
		return ENOTCONN;
	in_setpeeraddr(inp, ss, lenp);
	return 0;
}

static int
rip_sockaddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in_setsockaddr(so->so_pcb, ss, lenp);
	return 0;
}

int
rip_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct inpcb *inp = so->so_pcb;
	uint32_t mask;
	int error;

	if (sopt->sopt_level != SOL_RAW)
		return ip_ctloutput(op, so, sopt);
	if (inp == NULL)
		return EINVAL;
	if (sopt->sopt_name != ICMP_FILTER || inp->inp_ip_p != IPPROTO_ICMP)
		return ENOPROTOOPT;
	if (op == PRCO_GETOPT)
		return sockopt_set(sopt, &inp->inp_icmpfilter,
		    sizeof(inp->inp_icmpfilter));
	if ((error = sockopt_get(sopt, &mask, sizeof(mask))) != 0)
		return error;
	inp->inp_icmpfilter = mask;
	return 0;
}

void
rip_purgeif(struct ifnet *ifp)
{
	in_pcbpurgeif(&ripcbtable, ifp);
}

const struct pr_usrreqs rip_usrreqs = {
	.pr_attach = rip_attach,
	.pr_detach = rip_detach,
	.pr_bind = rip_bind,
	.pr_connect = rip_connect,
	.pr_disconnect = rip_disconnect,
	.pr_shutdown = rip_shutdown,
	.pr_ioctl = rip_ioctl,
	.pr_peeraddr = rip_peeraddr,
	.pr_sockaddr = rip_sockaddr,
	.pr_send = rip_send,
};
