/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP over IPv6: the AF_INET6 SOCK_STREAM protocol switch entry, the
 * segment arrival from ip6_input, the ICMPv6 errors for connections and
 * the hooks (tcp6_hooks) by which libnetinet's TCP sends over IPv6.
 * The state machine, timers, options and socket buffer handling are
 * libnetinet's tcp_*.c, the same for both families: this file only
 * turns IPv6 headers into a struct tcp_ends and back.
 *
 *   input: tcp6_input checks the length and the checksum with the IPv6
 *     pseudo-header (RFC 8200 8.1; skipped for lo0's M_CSUM_DATA_VALID),
 *     drops segments to or from multicast, unspecified or v4-mapped
 *     addresses (RFC 4291 2.5.5.2), then tcp_input_segment.
 *   output: th6_output fills the checksum (not for a destination of
 *     ours, which goes through lo0) and sends with ip6_output, never
 *     fragmenting: above the path MTU it is EMSGSIZE and TCP lowers its
 *     segment size (tcp_mtudisc, at least 1220 bytes, RFC 8200 5).
 *   errors: packet too big sets the path MTU (ip6_setpmtu, icmp6.c),
 *     then the connection's segment size; destination unreachable,
 *     time exceeded and parameter problem are soft errors (RFC 1122
 *     4.2.3.9, RFC 5927), port unreachable ends a connection still
 *     being opened.
 *   sockets: libnetinet's tcp_usrreqs with the entries that take or
 *     give addresses replaced (in6_pcb.c: dual stack, v4-mapped peers);
 *     options of level IPPROTO_IPV6 to in6_pcbctloutput, others to
 *     tcp_ctloutput (IPPROTO_TCP, and IPPROTO_IP for v4-mapped ones).
 *   sysctl: net.inet6.tcp6.pcblist, the IPv6 connections; the counters
 *     are net.inet.tcp.stats, shared with IPv4.
 *
 * Everything under softnet_lock; tcp6_init at the domain's boot.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>
#include <netinet/tcp_stat.h>
#include <netinet6/in6_var.h>
#include <netinet6/in6_pcb.h>

#include "netinet6_private.h"

/* Built at boot from tcp_usrreqs (tcp6_init); read-only after. */
struct pr_usrreqs tcp6_usrreqs;

static int
tcp6_attach(struct socket *so, int proto)
{
	struct inpcb *inp;
	int error;

	if ((error = (*tcp_usrreqs.pr_attach)(so, proto)) != 0)
		return error;
	inp = so->so_pcb;
	inp->inp_flags |= INP_IPV6;
	return 0;
}

static int
tcp6_sin6(const struct sockaddr *nam, socklen_t namlen,
    const struct sockaddr_in6 **sin6p)
{
	if (namlen < sizeof(struct sockaddr_in6))
		return EINVAL;
	if (nam->sa_family != AF_INET6)
		return EAFNOSUPPORT;
	*sin6p = (const struct sockaddr_in6 *)nam;
	return 0;
}

static int
tcp6_bind(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	const struct sockaddr_in6 *sin6;
	int error;

	if ((error = tcp6_sin6(nam, namlen, &sin6)) != 0)
		return error;
	return in6_pcbbind(so->so_pcb, sin6, l);
}

static int
tcp6_listen(struct socket *so, struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;
	struct tcpcb *tp = intotcpcb(inp);
	int error;

	if (tp->t_state != TCPS_CLOSED && tp->t_state != TCPS_LISTEN)
		return EINVAL;
	if (inp->inp_lport == 0 && (error = in6_pcbbind(inp, NULL, l)) != 0)
		return error;
	return (*tcp_usrreqs.pr_listen)(so, l);
}

static int
tcp6_connect(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;
	struct tcpcb *tp = intotcpcb(inp);
	const struct sockaddr_in6 *sin6;
	int error;

	if ((error = tcp6_sin6(nam, namlen, &sin6)) != 0)
		return error;
	if (tp->t_state != TCPS_CLOSED)
		return tp->t_state == TCPS_LISTEN ? EISCONN : EALREADY;
	if ((error = in6_pcbconnect(inp, sin6, l)) != 0)
		return error;
	return tcp_connect_start(tp);
}

static int
tcp6_accept(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in6_setpeeraddr(so->so_pcb, ss, lenp);
	return 0;
}

static int
tcp6_peeraddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct inpcb *inp = so->so_pcb;

	if ((so->so_state & SS_ISCONNECTED) == 0 || inp->inp_fport == 0)
		return ENOTCONN;
	in6_setpeeraddr(inp, ss, lenp);
	return 0;
}

static int
tcp6_sockaddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in6_setsockaddr(so->so_pcb, ss, lenp);
	return 0;
}

static int
tcp6_ioctl(struct socket *so, unsigned long cmd, void *data, struct ifnet *ifp)
{
	return in6_control(so, cmd, data, ifp);
}

int
tcp6_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	if (sopt->sopt_level == IPPROTO_IPV6)
		return in6_pcbctloutput(op, so, sopt);
	return tcp_ctloutput(op, so, sopt);
}

void
tcp6_input(struct mbuf *m, int off, int len)
{
	struct tcp_ends te;
	struct ip6_hdr ip6;
	struct ifnet *ifp = m->m_pkthdr.rcvif;

	tcpstat.tcps_rcvtotal++;
	if (len < (int)sizeof(struct tcphdr)) {
		tcpstat.tcps_rcvshort++;
		goto drop;
	}
	if (m->m_len < off + (int)sizeof(struct tcphdr) &&
	    (m = m_pullup(m, off + (int)sizeof(struct tcphdr))) == NULL) {
		tcpstat.tcps_rcvshort++;
		return;
	}
	if ((m->m_pkthdr.csum_flags & M_CSUM_DATA_VALID) == 0 &&
	    in6_cksum(m, IPPROTO_TCP, off, len) != 0) {
		tcpstat.tcps_rcvbadsum++;
		goto drop;
	}
	m_copydata(m, 0, sizeof(ip6), &ip6);
	if ((m->m_flags & (M_BCAST | M_MCAST)) ||
	    IN6_IS_ADDR_MULTICAST(&ip6.ip6_dst) ||
	    IN6_IS_ADDR_MULTICAST(&ip6.ip6_src) ||
	    IN6_IS_ADDR_UNSPECIFIED(&ip6.ip6_src) ||
	    IN6_IS_ADDR_V4MAPPED(&ip6.ip6_src) ||
	    IN6_IS_ADDR_V4MAPPED(&ip6.ip6_dst))
		goto drop;
	memset(&te, 0, sizeof(te));
	te.te_v6 = true;
	te.te_laddr6 = ip6.ip6_dst;
	te.te_faddr6 = ip6.ip6_src;
	if (IN6_IS_ADDR_LINKLOCAL(&ip6.ip6_src) && ifp != NULL &&
	    (ifp->if_flags & IFF_LOOPBACK) == 0)
		te.te_scope = ifp->if_index;
	tcp_input_segment(m, off, len, &te);
	return;
drop:
	m_freem(m);
}

void
tcp6_ctlinput(const struct ip6_hdr *in, const struct tcphdr *th, int type,
    int code, unsigned mtu)
{
	struct inpcb *inp;
	int error;

	inp = in6_pcblookup_connect(&tcbtable, &in->ip6_dst, th->th_dport,
	    &in->ip6_src, th->th_sport);
	if (inp == NULL)
		return;
	switch (type) {
	case ICMP6_PACKET_TOO_BIG:
		error = EMSGSIZE;
		break;
	case ICMP6_DST_UNREACH:
		error = code == ICMP6_DST_UNREACH_NOPORT ? ECONNREFUSED :
		    code == ICMP6_DST_UNREACH_NOROUTE ? ENETUNREACH :
		    EHOSTUNREACH;
		break;
	case ICMP6_TIME_EXCEEDED:
		error = EHOSTUNREACH;
		break;
	case ICMP6_PARAM_PROB:
		error = code == ICMP6_PARAMPROB_NEXTHEADER ? ECONNREFUSED :
		    ENOPROTOOPT;
		break;
	default:
		return;
	}
	tcp_ctlerror(inp, th, error, mtu);
}

static int
tcp6_output(struct mbuf *m, const struct inpcb *inp, uint32_t scope)
{
	struct ip6_outopts io = { .io_hlim = -1, .io_tclass = -1 };
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);

	io.io_ifindex = scope;
	io.io_dontfrag = true;
	if (inp != NULL) {
		io.io_hlim = inp->inp_hlim;
		io.io_tclass = inp->inp_tclass;
	}
	/* lo0 marks what it delivers valid: no checksum to make. */
	if (in6_ifaddr_lookup(&ip6->ip6_dst, NULL) == NULL)
		io.io_csumproto = IPPROTO_TCP;
	return ip6_output(m, &io);
}

static unsigned
tcp6_pathmtu(const struct in6_addr *dst, uint32_t scope)
{
	return ip6_pathmtu(dst, scope);
}

static bool
tcp6_islocal(const struct in6_addr *dst)
{
	return in6_ifaddr_lookup(dst, NULL) != NULL;
}

static struct inpcb *
tcp6_lookup(const struct tcp_ends *te)
{
	struct inpcb *inp;

	inp = in6_pcblookup_connect(&tcbtable, &te->te_faddr6, te->te_fport,
	    &te->te_laddr6, te->te_lport);
	if (inp == NULL)
		inp = in6_pcblookup_bind(&tcbtable, &te->te_laddr6,
		    te->te_lport);
	return inp;
}

static const struct tcp6_hooks tcp6_hooks_ip6 = {
	.th6_output = tcp6_output,
	.th6_pathmtu = tcp6_pathmtu,
	.th6_islocal = tcp6_islocal,
	.th6_lookup = tcp6_lookup,
};

static void
tcp6_conninfo_fill(void *rec, const struct inpcb *inp)
{
	struct tcp6_conninfo *ci = rec;

	memcpy(ci->tci6_laddr, &inp->inp_laddr6, 16);
	memcpy(ci->tci6_faddr, &inp->inp_faddr6, 16);
	ci->tci6_lport = inp->inp_lport;
	ci->tci6_fport = inp->inp_fport;
	ci->tci6_scope = inp->inp_fscope;
	tcp_conn_state(inp, &ci->tci6_state, &ci->tci6_rcvcc, &ci->tci6_sndcc);
}

/* sysctl net.inet6.tcp6.pcblist: every IPv6 connection (struct tcp6_conninfo). */
int
tcp6_sysctl_pcblist(struct sysctlnode *node, struct sysctl_req *req)
{
	(void)node;
	return tcp_sysctl_pcblist_family(req, true,
	    sizeof(struct tcp6_conninfo), tcp6_conninfo_fill);
}

void
tcp6_init(void)
{
	tcp6_usrreqs = tcp_usrreqs;
	tcp6_usrreqs.pr_attach = tcp6_attach;
	tcp6_usrreqs.pr_accept = tcp6_accept;
	tcp6_usrreqs.pr_bind = tcp6_bind;
	tcp6_usrreqs.pr_listen = tcp6_listen;
	tcp6_usrreqs.pr_connect = tcp6_connect;
	tcp6_usrreqs.pr_ioctl = tcp6_ioctl;
	tcp6_usrreqs.pr_peeraddr = tcp6_peeraddr;
	tcp6_usrreqs.pr_sockaddr = tcp6_sockaddr;
	tcp6_hooks = &tcp6_hooks_ip6;
}
