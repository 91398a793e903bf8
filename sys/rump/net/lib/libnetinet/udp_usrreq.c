/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * UDP (RFC 768) sockets.
 *
 * Input (pr_input, softnet_lock held): length and checksum checked (a
 * zero checksum means none was sent), then a unicast datagram goes to
 * the socket connected to its four-tuple, else the best bound one (of
 * an SO_REUSEPORT group, the one the sender's address hashes to); a
 * broadcast or multicast datagram is copied to every socket bound to
 * the port whose address and connection match (multicast: a member of
 * the group, or any socket under IP_MULTICAST_ALL, Linux's default).
 * No socket: ICMP port unreachable (not for broadcast or multicast).
 * With the datagram come the control messages the socket asked for:
 * IP_TTL (IP_RECVTTL), IP_TOS (IP_RECVTOS), IP_PKTINFO.
 *
 * Output (pr_send, in the sender's thread): to the given address or
 * the connected one; an unbound socket is bound to an ephemeral port
 * first; the checksum is always computed (0 is sent as 0xffff).
 * IP_TTL and IP_TOS given as control messages apply to one datagram.
 *
 * ICMP errors reach connected sockets only, as so_error (Linux's
 * behaviour without IP_RECVERR): port unreachable is ECONNREFUSED.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>

#include "netinet_private.h"

#define UDP_SENDSPACE  212992           /* Linux's default wmem */
#define UDP_RECVSPACE  212992           /* Linux's default rmem */
#define UDP_MAXDATA    (IP_MAXPACKET - 20 - 8)

struct udpstat udpstat;                 /* n */
struct inpcbtable udbtable;             /* n */
bool (*udp_mapped_input_hook)(struct mbuf *, int hlen);  /* netinet6 */

void
udp_init(void)
{
	in_pcbinit(&udbtable, 128, IPPROTO_UDP);
}

/* Give a socket datagram m (headers still on, hlen of IP); m consumed. */
static void
udp_append(struct inpcb *inp, struct mbuf *m, int hlen)
{
	struct socket *so = inp->inp_socket;
	struct sockaddr_in from;
	struct mbuf *control = NULL;
	struct ip ip;
	struct udphdr uh;

	m_copydata(m, 0, sizeof(ip), &ip);
	m_copydata(m, hlen, sizeof(uh), &uh);
	if (inp->inp_flags & (INP_RECVTTL | INP_RECVTOS | INP_PKTINFO))
		control = ip_savecontrol(inp, &ip, m->m_pkthdr.rcvif);
	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	from.sin_addr = ip.ip_src;
	from.sin_port = uh.uh_sport;
	m_adj(m, hlen + (int)sizeof(struct udphdr));
	if (!sbappendaddr(&so->so_rcv, (struct sockaddr *)&from, sizeof(from),
	    m, control)) {
		udpstat.udps_fullsock++;
		so->so_rcv.sb_overflowed++;
		m_freem(m);
		m_freem(control);
		return;
	}
	udpstat.udps_delivered++;
	sorwakeup(so);
}

bool
udp_port_held4(struct in_addr laddr, in_port_t lport, int so_options)
{
	struct inpcb *p;
	int share = so_options & (SOF_REUSEADDR | SOF_REUSEPORT);

	KASSERT(mutex_owned(softnet_lock));
	LIST_FOREACH(p, in_pcbporthead(&udbtable, lport), inp_porthash) {
		if (p->inp_socket == NULL || p->inp_lport != lport)
			continue;
		if (p->inp_laddr.s_addr != INADDR_ANY &&
		    laddr.s_addr != INADDR_ANY &&
		    p->inp_laddr.s_addr != laddr.s_addr)
			continue;
		if ((p->inp_socket->so_options & share) != 0)
			continue;
		return true;
	}
	return false;
}

/* Whether a bound PCB takes a datagram to (dst, dport) from (src, sport). */
static bool
udp_match(const struct inpcb *p, const struct ip *ip, const struct udphdr *uh,
    struct ifnet *ifp)
{
	bool mcast = IN_MULTICAST(ntohl(ip->ip_dst.s_addr));

	if (p->inp_socket == NULL || p->inp_lport != uh->uh_dport)
		return false;
	if (p->inp_laddr.s_addr != INADDR_ANY &&
	    p->inp_laddr.s_addr != ip->ip_dst.s_addr)
		return false;
	if (p->inp_state == INP_CONNECTED &&
	    (p->inp_faddr.s_addr != ip->ip_src.s_addr ||
	    p->inp_fport != uh->uh_sport))
		return false;
	if (mcast && (p->inp_flags & INP_MCASTALL) == 0 &&
	    (p->inp_moptions == NULL ||
	    !imo_member(p->inp_moptions, ip->ip_dst, ifp)))
		return false;
	return true;
}

void
udp_input(struct mbuf *m, int hlen, int proto)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct inpcb *inp, *last;
	struct udphdr uh;
	struct ip ip;
	int iplen, ulen;
	bool multi;

	(void)proto;
	KASSERT(mutex_owned(softnet_lock));
	udpstat.udps_ipackets++;
	m_copydata(m, 0, sizeof(ip), &ip);
	iplen = ntohs(ip.ip_len) - hlen;
	if (iplen < (int)sizeof(uh)) {
		udpstat.udps_hdrops++;
		goto drop;
	}
	m_copydata(m, hlen, sizeof(uh), &uh);
	ulen = ntohs(uh.uh_ulen);
	if (ulen < (int)sizeof(uh) || ulen > iplen) {
		udpstat.udps_badlen++;
		goto drop;
	}
	if (ulen < iplen) {
		m_adj(m, ulen - iplen);
		ip.ip_len = htons((uint16_t)(hlen + ulen));
		m_copyback(m, 0, sizeof(ip), &ip);
	}
	if (uh.uh_sum == 0)
		udpstat.udps_nosum++;
	else if ((m->m_pkthdr.csum_flags & M_CSUM_DATA_VALID) == 0 &&
	    in4_cksum(m, IPPROTO_UDP, hlen, ulen) != 0) {
		udpstat.udps_badsum++;
		goto drop;
	}

	multi = IN_MULTICAST(ntohl(ip.ip_dst.s_addr)) ||
	    (m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    in_broadcast(ip.ip_dst, ifp);
	if (multi) {
		/* A copy for every matching socket but the last, which takes m. */
		last = NULL;
		LIST_FOREACH(inp, in_pcbporthead(&udbtable, uh.uh_dport), inp_porthash) {
			if (!udp_match(inp, &ip, &uh, ifp))
				continue;
			if (last != NULL) {
				struct mbuf *n = m_copypacket(m, M_DONTWAIT);

				if (n != NULL)
					udp_append(last, n, hlen);
			}
			last = inp;
		}
		if (last == NULL) {
			udpstat.udps_noportbcast++;
			goto drop;
		}
		udp_append(last, m, hlen);
		return;
	}

	inp = in_pcblookup_connect(&udbtable, ip.ip_src, uh.uh_sport,
	    ip.ip_dst, uh.uh_dport);
	if (inp == NULL || inp->inp_socket == NULL)
		inp = in_pcblookup_group(&udbtable, ip.ip_dst, uh.uh_dport,
		    ip.ip_src, uh.uh_sport);
	if (inp == NULL && udp_mapped_input_hook != NULL &&
	    udp_mapped_input_hook(m, hlen))
		return;                 /* an IPv6 dual-stack socket took it */
	if (inp == NULL) {
		udpstat.udps_noport++;
		icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_PORT, 0);
		return;
	}
	udp_append(inp, m, hlen);
	return;
drop:
	m_freem(m);
}

static void
udp_notify(struct inpcb *inp, int error)
{
	struct socket *so = inp->inp_socket;

	if (so == NULL)
		return;
	so->so_error = error;
	sorwakeup(so);
	sowwakeup(so);
}

static int
udp_prc_errno(int cmd)
{
	switch (cmd) {
	case PRC_UNREACH_PORT:
		return ECONNREFUSED;
	case PRC_UNREACH_NET:
		return ENETUNREACH;
	case PRC_UNREACH_HOST:
	case PRC_TIMXCEED_INTRANS:
	case PRC_TIMXCEED_REASS:
		return EHOSTUNREACH;
	case PRC_UNREACH_PROTOCOL:
		return ENOPROTOOPT;
	case PRC_UNREACH_SRCFAIL:
		return EOPNOTSUPP;
	default:
		return 0;
	}
}

void
udp_ctlinput(int cmd, const struct sockaddr *sa, void *ctx)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct ip_ctlparam *cp = ctx;
	struct udphdr uh;
	int error;

	if (sa->sa_family != AF_INET)
		return;
	if (cmd == PRC_MSGSIZE) {
		in_pcbrtchange(&udbtable, sin->sin_addr);
		return;
	}
	if ((error = udp_prc_errno(cmd)) == 0 || cp == NULL)
		return;
	memcpy(&uh, (const uint8_t *)cp->ipc_ip + (cp->ipc_ip->ip_hl << 2),
	    sizeof(uh));
	in_pcbnotify(&udbtable, sin->sin_addr, uh.uh_dport, cp->ipc_ip->ip_src,
	    uh.uh_sport, error, udp_notify);
}

/* IP_TTL, IP_TOS and IP_PKTINFO given to one sendmsg. */
static int
udp_sendcontrol(struct mbuf *control, int *ttlp, int *tosp, struct in_addr *srcp)
{
	struct mbuf *c;

	for (c = control; c != NULL; c = c->m_next) {
		const uint8_t *p = mtod(c, const uint8_t *), *end = p + c->m_len;

		while (p + sizeof(struct cmsghdr) <= end) {
			struct cmsghdr cm;
			size_t dlen;

			memcpy(&cm, p, sizeof(cm));
			if (cm.cmsg_len < CMSG_LEN(0) || p + cm.cmsg_len > end)
				return EINVAL;
			dlen = cm.cmsg_len - CMSG_LEN(0);
			if (cm.cmsg_level != IPPROTO_IP)
				return EINVAL;
			switch (cm.cmsg_type) {
			case IP_TTL:
				if (dlen != sizeof(int))
					return EINVAL;
				memcpy(ttlp, CMSG_DATA(p), sizeof(int));
				if (*ttlp < 1 || *ttlp > 255)
					return EINVAL;
				break;
			case IP_TOS:
				if (dlen == sizeof(int))
					memcpy(tosp, CMSG_DATA(p), sizeof(int));
				else if (dlen == 1)
					*tosp = *CMSG_DATA(p);
				else
					return EINVAL;
				break;
			case IP_PKTINFO: {
				struct in_pktinfo pi;

				if (dlen != sizeof(pi))
					return EINVAL;
				memcpy(&pi, CMSG_DATA(p), sizeof(pi));
				if (pi.ipi_spec_dst.s_addr != INADDR_ANY &&
				    in_ifaddr_withaddr(pi.ipi_spec_dst) == NULL)
					return EADDRNOTAVAIL;
				*srcp = pi.ipi_spec_dst;
				break;
			}
			default:
				return EINVAL;
			}
			p += CMSG_SPACE(dlen);
		}
	}
	return 0;
}

static int
udp_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam,
    socklen_t namlen, struct mbuf *control, struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;
	struct in_addr faddr, laddr = { INADDR_ANY }, csrc = { INADDR_ANY };
	in_port_t fport;
	struct udpip {
		struct ip ui_ip;
		struct udphdr ui_u;
	} *ui;
	int len, error, ttl = -1, tos = -1;

	KASSERT(solocked(so));
	if (inp == NULL) {
		error = EINVAL;
		goto release;
	}
	if (control != NULL &&
	    (error = udp_sendcontrol(control, &ttl, &tos, &csrc)) != 0)
		goto release;
	m_freem(control);
	control = NULL;
	len = m->m_pkthdr.len;
	if (len > UDP_MAXDATA) {
		error = EMSGSIZE;
		goto release;
	}
	if (nam != NULL) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;

		if (namlen < sizeof(*sin)) {
			error = EINVAL;
			goto release;
		}
		if (sin->sin_family != AF_INET) {
			error = EAFNOSUPPORT;
			goto release;
		}
		if (sin->sin_port == 0) {
			error = EINVAL;
			goto release;
		}
		faddr = sin->sin_addr;
		fport = sin->sin_port;
		if (faddr.s_addr == INADDR_ANY)
			faddr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		if (inp->inp_state != INP_CONNECTED) {
			error = EDESTADDRREQ;
			goto release;
		}
		faddr = inp->inp_faddr;
		fport = inp->inp_fport;
	}
	if (inp->inp_lport == 0 && (error = in_pcbbind(inp, NULL, l)) != 0)
		goto release;
	if (csrc.s_addr != INADDR_ANY)
		laddr = csrc;
	else if (inp->inp_state == INP_CONNECTED && nam == NULL)
		laddr = inp->inp_laddr;
	else if ((error = in_pcbselsrc(inp, faddr, &laddr)) != 0) {
		if (!IN_MULTICAST(ntohl(faddr.s_addr)))
			goto release;
		laddr.s_addr = INADDR_ANY;      /* ip_output picks the interface */
	}

	M_PREPEND(m, (int)sizeof(*ui), M_DONTWAIT);
	if (m == NULL || (m->m_len < (int)sizeof(*ui) &&
	    (m = m_pullup(m, sizeof(*ui))) == NULL)) {
		ipstat.ips_odropped++;
		return ENOBUFS;
	}
	ui = mtod(m, struct udpip *);
	memset(&ui->ui_ip, 0, sizeof(ui->ui_ip));
	ui->ui_ip.ip_tos = (uint8_t)(tos >= 0 ? tos : inp->inp_tos);
	ui->ui_ip.ip_len = htons((uint16_t)(sizeof(*ui) + (unsigned)len));
	ui->ui_ip.ip_ttl = (uint8_t)(ttl >= 0 ? ttl : inp->inp_ttl);
	ui->ui_ip.ip_p = IPPROTO_UDP;
	ui->ui_ip.ip_src = laddr;
	ui->ui_ip.ip_dst = faddr;
	ui->ui_u.uh_sport = inp->inp_lport;
	ui->ui_u.uh_dport = fport;
	ui->ui_u.uh_ulen = htons((uint16_t)(sizeof(struct udphdr) + (unsigned)len));
	ui->ui_u.uh_sum = 0;
	if (laddr.s_addr != INADDR_ANY) {
		ui->ui_u.uh_sum = in4_cksum(m, IPPROTO_UDP, sizeof(struct ip),
		    (int)sizeof(struct udphdr) + len);
		if (ui->ui_u.uh_sum == 0)
			ui->ui_u.uh_sum = 0xffff;
	} else
		m->m_pkthdr.csum_flags |= M_CSUM_UDPv4;
	udpstat.udps_opackets++;
	return ip_output(m, &inp->inp_route, ip_pcbflags(inp),
	    inp->inp_moptions, inp);
release:
	m_freem(m);
	m_freem(control);
	return error;
}

static int
udp_attach(struct socket *so, int proto)
{
	int error;

	(void)proto;
	if (so->so_lock == NULL) {
		so->so_lock = softnet_lock;
		mutex_enter(softnet_lock);
	}
	KASSERT(solocked(so));
	if (!soreserve(so, UDP_SENDSPACE, UDP_RECVSPACE))
		return ENOBUFS;
	if ((error = in_pcballoc(so, &udbtable)) != 0)
		return error;
	return 0;
}

static void
udp_detach(struct socket *so)
{
	struct inpcb *inp = so->so_pcb;

	KASSERT(solocked(so));
	if (inp != NULL)
		in_pcbdetach(inp);
}

static int
udp_bind(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	if (namlen < sizeof(struct sockaddr_in))
		return EINVAL;
	return in_pcbbind(so->so_pcb, (const struct sockaddr_in *)nam, l);
}

static int
udp_connect(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;
	int error;

	if (namlen < sizeof(sa_family_t))
		return EINVAL;
	/* Linux: AF_UNSPEC dissolves the association. */
	if (nam->sa_family == AF_UNSPEC) {
		if (inp->inp_state == INP_CONNECTED)
			in_pcbdisconnect(inp);
		so->so_state &= ~SS_ISCONNECTED;
		return 0;
	}
	if (namlen < sizeof(struct sockaddr_in))
		return EINVAL;
	if (inp->inp_state == INP_CONNECTED)
		in_pcbdisconnect(inp);
	if ((error = in_pcbconnect(inp, (const struct sockaddr_in *)nam, l)) != 0)
		return error;
	soisconnected(so);
	return 0;
}

static int
udp_disconnect(struct socket *so)
{
	struct inpcb *inp = so->so_pcb;

	if (inp->inp_state != INP_CONNECTED)
		return ENOTCONN;
	in_pcbdisconnect(inp);
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
udp_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
udp_ioctl(struct socket *so, unsigned long cmd, void *data, struct ifnet *ifp)
{
	return in_control(so, cmd, data, ifp);
}

static int
udp_peeraddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct inpcb *inp = so->so_pcb;

	if (inp->inp_state != INP_CONNECTED)
		return ENOTCONN;
	in_setpeeraddr(inp, ss, lenp);
	return 0;
}

static int
udp_sockaddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in_setsockaddr(so->so_pcb, ss, lenp);
	return 0;
}

void
udp_purgeif(struct ifnet *ifp)
{
	in_pcbpurgeif(&udbtable, ifp);
}

static int
udp_purgeif_req(struct socket *so, struct ifnet *ifp)
{
	(void)so;
	/* if_detach: sockets let go first, then the family's addresses. */
	udp_purgeif(ifp);
	rip_purgeif(ifp);
	in_purgeif(ifp);
	return 0;
}

const struct pr_usrreqs udp_usrreqs = {
	.pr_attach = udp_attach,
	.pr_detach = udp_detach,
	.pr_bind = udp_bind,
	.pr_connect = udp_connect,
	.pr_disconnect = udp_disconnect,
	.pr_shutdown = udp_shutdown,
	.pr_ioctl = udp_ioctl,
	.pr_peeraddr = udp_peeraddr,
	.pr_sockaddr = udp_sockaddr,
	.pr_send = udp_send,
	.pr_purgeif = udp_purgeif_req,
};
