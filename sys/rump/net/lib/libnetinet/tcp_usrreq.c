/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP's side of the protocol switch (tcp_usrreqs), its socket options
 * (tcp_ctloutput, level IPPROTO_TCP, others to ip_ctloutput) and ICMP
 * errors (tcp_ctlinput).  Every entry runs with softnet_lock held (the
 * socket's lock).
 *
 * Closing (RFC 9293 3.10.4, 3.6): close(2) of a connected socket calls
 * pr_disconnect, then pr_detach.  With SO_LINGER and a zero time, or
 * with unread data (as Linux does, RFC 2525 2.17), the connection is
 * reset; otherwise a FIN follows the data still queued and the
 * connection finishes without its descriptor, the socket kept (no
 * descriptor, SS_NOFDREF) until tcp_close frees both.  shutdown(SHUT_WR)
 * sends the FIN and keeps receiving (half-close).
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

static int
tcp_attach(struct socket *so, int proto)
{
	struct inpcb *inp;
	int error;

	(void)proto;
	if (so->so_lock == NULL) {
		so->so_lock = softnet_lock;
		mutex_enter(softnet_lock);
	}
	KASSERT(solocked(so));
	if (so->so_snd.sb_hiwat == 0 || so->so_rcv.sb_hiwat == 0) {
		if (!soreserve(so, (u_long)tcp_sendspace, (u_long)tcp_recvspace))
			return ENOBUFS;
	}
	if ((error = in_pcballoc(so, &tcbtable)) != 0)
		return error;
	inp = so->so_pcb;
	if (tcp_newtcpcb(inp) == NULL) {
		in_pcbdetach(inp);
		return ENOBUFS;
	}
	return 0;
}

/*
 * The user is done sending (close or shutdown): advance the state so
 * that tcp_output sends a FIN after the data (RFC 9293 3.10.4).
 */
void
tcp_usrclosed(struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);

	switch (tp->t_state) {
	case TCPS_CLOSED:
	case TCPS_LISTEN:
	case TCPS_SYN_SENT:
		(void)tcp_close(tp);
		return;
	case TCPS_SYN_RECEIVED:
		tp->t_flags |= TF_NEEDFIN;
		break;
	case TCPS_ESTABLISHED:
		tcp_set_state(tp, TCPS_FIN_WAIT_1);
		break;
	case TCPS_CLOSE_WAIT:
		tcp_set_state(tp, TCPS_LAST_ACK);
		break;
	default:
		break;
	}
	if (tp->t_state == TCPS_FIN_WAIT_2 && so != NULL &&
	    (so->so_state & SS_CANTRCVMORE)) {
		soisdisconnected(so);
		tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl_us());
	}
}

/* close(2) or an explicit disconnect: reset, or FIN after the data. */
static int
tcp_disconnect(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp == NULL)
		return ENOTCONN;
	if (tp->t_state < TCPS_ESTABLISHED) {
		(void)tcp_close(tp);
		return 0;
	}
	if (((so->so_options & SOF_LINGER) && so->so_linger == 0) ||
	    so->so_rcv.sb_cc > 0) {
		(void)tcp_drop(tp, 0);
		return 0;
	}
	soisdisconnecting(so);
	sbflush(&so->so_rcv);
	tcp_usrclosed(tp);
	if (so->so_pcb != NULL)
		(void)tcp_output(tp);
	return 0;
}

static void
tcp_detach(struct socket *so)
{
	struct inpcb *inp = so->so_pcb;
	struct tcpcb *tp;

	KASSERT(solocked(so));
	if (inp == NULL)
		return;
	tp = intotcpcb(inp);
	if (tp == NULL) {
		in_pcbdetach(inp);
		return;
	}
	if (tp->t_state < TCPS_ESTABLISHED) {
		(void)tcp_close(tp);
		return;
	}
	if ((so->so_state & SS_ISDISCONNECTING) == 0)
		(void)tcp_disconnect(so);
	/* Otherwise the connection ends by itself; tcp_close frees the socket. */
}

static int
tcp_bind(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;

	if (namlen < sizeof(struct sockaddr_in))
		return EINVAL;
	if (nam->sa_family != AF_INET)
		return EAFNOSUPPORT;
	if (inp->inp_lport != 0)
		return EINVAL;
	return in_pcbbind(inp, (const struct sockaddr_in *)nam, l);
}

static int
tcp_listen(struct socket *so, struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;
	struct tcpcb *tp = intotcpcb(inp);
	int error;

	if (tp->t_state != TCPS_CLOSED && tp->t_state != TCPS_LISTEN)
		return EINVAL;
	if (inp->inp_lport == 0 && (error = in_pcbbind(inp, NULL, l)) != 0)
		return error;
	tcp_set_state(tp, TCPS_LISTEN);
	return 0;
}

static int
tcp_connect(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	struct inpcb *inp = so->so_pcb;
	struct tcpcb *tp = intotcpcb(inp);
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;
	int error;

	if (namlen < sizeof(struct sockaddr_in))
		return EINVAL;
	if (nam->sa_family != AF_INET)
		return EAFNOSUPPORT;
	if (tp->t_state != TCPS_CLOSED)
		return tp->t_state == TCPS_LISTEN ? EISCONN : EALREADY;
	if (IN_MULTICAST(ntohl(sin->sin_addr.s_addr)) ||
	    sin->sin_addr.s_addr == htonl(INADDR_BROADCAST))
		return ENETUNREACH;
	if ((error = in_pcbconnect(inp, sin, l)) != 0)
		return error;
	return tcp_connect_start(tp);
}

int
tcp_connect_start(struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);
	struct tcp_ends te;

	tcp_ends_of(tp->t_inpcb, &te);
	tp->iss = tcp_new_isn(&te);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->snd_up = tp->iss;
	tp->snd_recover = tp->snd_fack = tp->sack_rxmit = tp->iss;
	tp->request_r_scale = tcp_wscale_for(so->so_rcv.sb_hiwat);
	tp->ts_offset = tcp_ts_offset(&te);
	tcp_set_state(tp, TCPS_SYN_SENT);
	soisconnecting(so);
	tcpstat.tcps_connattempt++;
	tcp_timer_arm(tp, TCPT_KEEP, TCPTV_KEEP_INIT);
	return tcp_output(tp);
}

static int
tcp_connect2(struct socket *so1, struct socket *so2)
{
	(void)so1;
	(void)so2;
	return EOPNOTSUPP;
}

static int
tcp_shutdown(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	socantsendmore(so);
	if (tp == NULL)
		return 0;
	if (tp->t_state == TCPS_LISTEN) {
		(void)tcp_close(tp);
		return 0;
	}
	tcp_usrclosed(tp);
	if (so->so_pcb != NULL)
		(void)tcp_output(tp);
	return 0;
}

static int
tcp_abort(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp != NULL)
		(void)tcp_drop(tp, ECONNABORTED);
	return 0;
}

static int
tcp_ioctl(struct socket *so, unsigned long cmd, void *data, struct ifnet *ifp)
{
	return in_control(so, cmd, data, ifp);
}

static int
tcp_accept(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in_setpeeraddr(so->so_pcb, ss, lenp);
	return 0;
}

static int
tcp_peeraddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct inpcb *inp = so->so_pcb;

	if ((so->so_state & SS_ISCONNECTED) == 0 || inp->inp_fport == 0)
		return ENOTCONN;
	in_setpeeraddr(inp, ss, lenp);
	return 0;
}

static int
tcp_sockaddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	in_setsockaddr(so->so_pcb, ss, lenp);
	return 0;
}

/* The reader took data: perhaps a window update is due. */
static int
tcp_rcvd(struct socket *so, int flags, struct lwp *l)
{
	struct tcpcb *tp = sototcpcb(so);

	(void)flags;
	(void)l;
	if (tp == NULL || tp->t_state < TCPS_ESTABLISHED)
		return 0;
	return tcp_output(tp);
}

static int
tcp_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam,
    socklen_t namlen, struct mbuf *control, struct lwp *l)
{
	struct tcpcb *tp = sototcpcb(so);

	(void)nam;
	(void)namlen;
	(void)l;
	m_freem(control);
	if (tp == NULL || tp->t_state < TCPS_SYN_SENT ||
	    (so->so_state & SS_CANTSENDMORE)) {
		m_freem(m);
		return tp == NULL ? ECONNRESET : EPIPE;
	}
	sbappendstream(&so->so_snd, m);
	return tcp_output(tp);
}

/* Urgent data: the pointer is the byte after it (RFC 6093). */
static int
tcp_sendoob(struct socket *so, struct mbuf *m, struct mbuf *control)
{
	struct tcpcb *tp = sototcpcb(so);
	int error;

	m_freem(control);
	if (tp == NULL || (so->so_state & SS_CANTSENDMORE)) {
		m_freem(m);
		return EPIPE;
	}
	sbappendstream(&so->so_snd, m);
	tp->snd_up = tp->snd_una + (tcp_seq)so->so_snd.sb_cc;
	tp->t_flags |= TF_FORCEDATA;
	error = tcp_output(tp);
	if (so->so_pcb != NULL)
		tp->t_flags &= ~TF_FORCEDATA;
	return error;
}

static int
tcp_recvoob(struct socket *so, struct mbuf *m, int flags)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp == NULL)
		return EINVAL;
	if ((so->so_oobmark == 0 && (so->so_state & SS_RCVATMARK) == 0 &&
	    (tp->t_oobflags & TCPOOB_HAVEDATA) == 0) ||
	    (so->so_options & SOF_OOBINLINE) ||
	    (tp->t_oobflags & TCPOOB_HADDATA))
		return EINVAL;
	if ((tp->t_oobflags & TCPOOB_HAVEDATA) == 0)
		return EWOULDBLOCK;
	m->m_len = 1;
	*mtod(m, char *) = tp->t_iobc;
	if ((flags & MSG_PEEK) == 0)
		tp->t_oobflags ^= (TCPOOB_HAVEDATA | TCPOOB_HADDATA);
	return 0;
}

static int
tcp_purgeif(struct socket *so, struct ifnet *ifp)
{
	(void)so;
	in_pcbpurgeif(&tcbtable, ifp);
	return 0;
}

const struct pr_usrreqs tcp_usrreqs = {
	.pr_attach = tcp_attach,
	.pr_detach = tcp_detach,
	.pr_accept = tcp_accept,
	.pr_bind = tcp_bind,
	.pr_listen = tcp_listen,
	.pr_connect = tcp_connect,
	.pr_connect2 = tcp_connect2,
	.pr_disconnect = tcp_disconnect,
	.pr_shutdown = tcp_shutdown,
	.pr_abort = tcp_abort,
	.pr_ioctl = tcp_ioctl,
	.pr_peeraddr = tcp_peeraddr,
	.pr_sockaddr = tcp_sockaddr,
	.pr_rcvd = tcp_rcvd,
	.pr_recvoob = tcp_recvoob,
	.pr_send = tcp_send,
	.pr_sendoob = tcp_sendoob,
	.pr_purgeif = tcp_purgeif,
};

/* TCP_INFO: what Linux reports that this stack keeps. */
void
tcp_fill_info(struct tcpcb *tp, struct tcp_info *ti)
{
	uint64_t now = tcp_now();
	struct socket *so = tcp_socket(tp);
	uint32_t mss = tp->t_maxseg > 0 ? tp->t_maxseg : 1;

	memset(ti, 0, sizeof(*ti));
	ti->tcpi_state = tcp_state_linux[tp->t_state];
	if (tp->t_flags & TF_FASTRECOVERY)
		ti->tcpi_ca_state = TCP_CA_Recovery;
	else if (tp->t_rxtshift > 0)
		ti->tcpi_ca_state = TCP_CA_Loss;
	else if (tp->t_dupacks > 0)
		ti->tcpi_ca_state = TCP_CA_Disorder;
	ti->tcpi_retransmits = (uint8_t)tp->t_rxtshift;
	ti->tcpi_probes = (uint8_t)(tp->t_keepprobes > 0 ? tp->t_keepprobes :
	    (tp->t_persistshift > 0 ? tp->t_persistshift : 0));
	ti->tcpi_backoff = (uint8_t)tp->t_rxtshift;
	if ((tp->t_flags & (TF_REQ_TSTMP | TF_RCVD_TSTMP)) ==
	    (TF_REQ_TSTMP | TF_RCVD_TSTMP))
		ti->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tp->t_flags & TF_SACK_PERMIT)
		ti->tcpi_options |= TCPI_OPT_SACK;
	if ((tp->t_flags & (TF_REQ_SCALE | TF_RCVD_SCALE)) ==
	    (TF_REQ_SCALE | TF_RCVD_SCALE)) {
		ti->tcpi_options |= TCPI_OPT_WSCALE;
		ti->tcpi_snd_wscale = tp->snd_scale & 0xf;
		ti->tcpi_rcv_wscale = tp->rcv_scale & 0xf;
	}
	ti->tcpi_rto = (uint32_t)tcp_rexmt_us(tp);
	ti->tcpi_ato = (uint32_t)TCPTV_DELACK;
	ti->tcpi_snd_mss = tp->t_maxseg;
	ti->tcpi_rcv_mss = tp->t_rcvmss != 0 ? tp->t_rcvmss : tp->t_ourmss;
	if (TCPS_HAVEESTABLISHED(tp->t_state))
		ti->tcpi_unacked = (tcp_flightsize(tp) + mss - 1) / mss;
	ti->tcpi_retrans = tp->t_rxtshift > 0 ? 1 : 0;
	ti->tcpi_total_retrans = tp->t_totalretrans;
	if (tp->t_lastdatasent)
		ti->tcpi_last_data_sent = (uint32_t)((now - tp->t_lastdatasent) / 1000);
	if (tp->t_lastdatarecv)
		ti->tcpi_last_data_recv = (uint32_t)((now - tp->t_lastdatarecv) / 1000);
	if (tp->t_lastackrecv)
		ti->tcpi_last_ack_recv = (uint32_t)((now - tp->t_lastackrecv) / 1000);
	ti->tcpi_pmtu = tp->t_pmtu;
	ti->tcpi_rcv_ssthresh = so != NULL ? (uint32_t)so->so_rcv.sb_hiwat : 0;
	ti->tcpi_rtt = tp->t_srtt;
	ti->tcpi_rttvar = tp->t_rttvar;
	ti->tcpi_snd_ssthresh = tp->snd_ssthresh >= (TCP_MAXWIN << TCP_MAXWINSHIFT) ?
	    0x7fffffff : tp->snd_ssthresh / mss;
	ti->tcpi_snd_cwnd = tp->snd_cwnd / mss;
	ti->tcpi_advmss = tp->t_ourmss;
	ti->tcpi_reordering = 3;
	ti->tcpi_rcv_space = so != NULL ? (uint32_t)so->so_rcv.sb_hiwat : 0;
	ti->tcpi_bytes_acked = tp->t_bytesacked;
	ti->tcpi_bytes_received = tp->t_bytesreceived;
	ti->tcpi_segs_out = tp->t_segsout;
	ti->tcpi_segs_in = tp->t_segsin;
	if (so != NULL && TCPS_HAVEESTABLISHED(tp->t_state)) {
		uint32_t sent = SEQ_SUB(tp->snd_max, tp->snd_una);

		ti->tcpi_notsent_bytes = so->so_snd.sb_cc > sent ?
		    (uint32_t)(so->so_snd.sb_cc - sent) : 0;
	}
	ti->tcpi_min_rtt = tp->t_minrtt;
	ti->tcpi_data_segs_in = tp->t_datasegsin;
	ti->tcpi_data_segs_out = tp->t_datasegsout;
	ti->tcpi_bytes_sent = tp->t_bytessent;
	ti->tcpi_bytes_retrans = tp->t_bytesretrans;
	ti->tcpi_rcv_ooopack = tp->t_rcvooopack;
	ti->tcpi_snd_wnd = tp->snd_wnd;
}

static int
tcp_getopt(struct socket *so, struct tcpcb *tp, struct sockopt *sopt)
{
	struct tcp_info ti;
	char name[TCP_CA_NAME_MAX];

	switch (sopt->sopt_name) {
	case TCP_NODELAY:
		return sockopt_setint(sopt, (tp->t_flags & TF_NODELAY) != 0);
	case TCP_CORK:
		return sockopt_setint(sopt, (tp->t_flags & TF_CORK) != 0);
	case TCP_MAXSEG:
		if (TCPS_HAVEESTABLISHED(tp->t_state))
			return sockopt_setint(sopt, (int)tp->t_maxseg);
		return sockopt_setint(sopt, tp->t_usermss != 0 ?
		    (int)tp->t_usermss : TCP_MSS);
	case TCP_KEEPIDLE:
		return sockopt_setint(sopt, (int)(tp->t_keepidle / TCP_US_PER_S));
	case TCP_KEEPINTVL:
		return sockopt_setint(sopt, (int)(tp->t_keepintvl / TCP_US_PER_S));
	case TCP_KEEPCNT:
		return sockopt_setint(sopt, tp->t_keepcnt);
	case TCP_SYNCNT:
		return sockopt_setint(sopt, tp->t_syncnt);
	case TCP_USER_TIMEOUT:
		return sockopt_setint(sopt, (int)(tp->t_usertimeout / TCP_US_PER_MS));
	case TCP_INFO:
		tcp_fill_info(tp, &ti);
		return sockopt_set(sopt, &ti, sizeof(ti));
	case TCP_CONGESTION:
		memset(name, 0, sizeof(name));
		strlcpy(name, tp->t_cc->cc_name, sizeof(name));
		return sockopt_set(sopt, name, sizeof(name));
	default:
		(void)so;
		return ENOPROTOOPT;
	}
}

static int
tcp_setopt(struct socket *so, struct tcpcb *tp, struct sockopt *sopt)
{
	char name[TCP_CA_NAME_MAX];
	const struct tcp_congctl *cc;
	size_t len;
	int error, v;

	if (sopt->sopt_name == TCP_CONGESTION) {
		len = sopt->sopt_size < sizeof(name) - 1 ? sopt->sopt_size :
		    sizeof(name) - 1;
		memset(name, 0, sizeof(name));
		memcpy(name, sopt->sopt_data, len);
		if ((cc = tcp_congctl_byname(name)) == NULL)
			return ENOENT;
		tcp_congctl_select(tp, cc);
		return 0;
	}
	if (sopt->sopt_name == TCP_INFO)
		return ENOPROTOOPT;
	if ((error = sockopt_getint(sopt, &v)) != 0)
		return error;
	switch (sopt->sopt_name) {
	case TCP_NODELAY:
		if (v)
			tp->t_flags |= TF_NODELAY;
		else
			tp->t_flags &= ~TF_NODELAY;
		if (v && TCPS_HAVEESTABLISHED(tp->t_state))
			(void)tcp_output(tp);
		return 0;
	case TCP_CORK:
		if (v)
			tp->t_flags |= TF_CORK;
		else {
			tp->t_flags &= ~TF_CORK;
			/* Uncorking sends what waits, full segment or not. */
			if (TCPS_HAVEESTABLISHED(tp->t_state)) {
				unsigned ofl = tp->t_flags & TF_NODELAY;

				tp->t_flags |= TF_NODELAY;
				(void)tcp_output(tp);
				if (so->so_pcb != NULL)
					tp->t_flags = (tp->t_flags & ~TF_NODELAY) | ofl;
			}
		}
		return 0;
	case TCP_MAXSEG:
		/* Linux: 0 clears; otherwise 88 to 32767. */
		if (v != 0 && (v < 88 || v > 32767))
			return EINVAL;
		tp->t_usermss = (unsigned)v;
		if (v != 0 && TCPS_HAVEESTABLISHED(tp->t_state) &&
		    (unsigned)v < tp->t_maxseg)
			tp->t_maxseg = (unsigned)v;
		return 0;
	case TCP_KEEPIDLE:
		if (v < 1 || v > 32767)
			return EINVAL;
		tp->t_keepidle = (uint64_t)v * TCP_US_PER_S;
		if (TCPS_HAVEESTABLISHED(tp->t_state) &&
		    tp->t_state <= TCPS_CLOSE_WAIT)
			tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle);
		return 0;
	case TCP_KEEPINTVL:
		if (v < 1 || v > 32767)
			return EINVAL;
		tp->t_keepintvl = (uint64_t)v * TCP_US_PER_S;
		return 0;
	case TCP_KEEPCNT:
		if (v < 1 || v > 127)
			return EINVAL;
		tp->t_keepcnt = v;
		return 0;
	case TCP_SYNCNT:
		/* Linux: 1 to 127. */
		if (v < 1 || v > 127)
			return EINVAL;
		tp->t_syncnt = v;
		return 0;
	case TCP_USER_TIMEOUT:
		/* Milliseconds; 0: the retransmission count decides. */
		if (v < 0)
			return EINVAL;
		tp->t_usertimeout = (uint64_t)v * TCP_US_PER_MS;
		return 0;
	case TCP_QUICKACK:
		if (v && (tp->t_flags & TF_DELACK)) {
			tp->t_flags |= TF_ACKNOW;
			(void)tcp_output(tp);
		}
		return 0;
	default:
		return ENOPROTOOPT;
	}
}

int
tcp_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct inpcb *inp = so->so_pcb;
	struct tcpcb *tp;

	KASSERT(solocked(so));
	if (sopt->sopt_level != IPPROTO_TCP)
		return ip_ctloutput(op, so, sopt);
	if (inp == NULL || (tp = intotcpcb(inp)) == NULL)
		return ECONNRESET;
	if (op == PRCO_GETOPT)
		return tcp_getopt(so, tp, sopt);
	return tcp_setopt(so, tp, sopt);
}

/*
 * ICMP about a segment we sent (RFC 1122 4.2.3.9, RFC 5927): the quoted
 * header names the connection; the quoted sequence number must be one
 * still unacknowledged (RFC 5927 4.1), or the message is ignored.
 */
void
tcp_ctlinput(int cmd, const struct sockaddr *sa, void *ctx)
{
	const struct ip_ctlparam *icp = ctx;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct tcphdr *th;
	const struct ip *ip;
	struct inpcb *inp;
	int error;

	if (sa == NULL || sa->sa_family != AF_INET || cmd < 0 || cmd >= PRC_NCMDS)
		return;
	if (icp == NULL || icp->ipc_ip == NULL) {
		if (cmd == PRC_REDIRECT_NET || cmd == PRC_REDIRECT_HOST)
			in_pcbrtchange(&tcbtable, sin->sin_addr);
		return;
	}
	ip = icp->ipc_ip;
	th = (const struct tcphdr *)((const char *)ip + (ip->ip_hl << 2));
	inp = in_pcblookup_connect(&tcbtable, ip->ip_dst, th->th_dport,
	    ip->ip_src, th->th_sport);
	if (inp == NULL)
		return;
	switch (cmd) {
	case PRC_MSGSIZE:
		error = EMSGSIZE;
		break;
	case PRC_QUENCH:
		return;
	case PRC_UNREACH_NET:
		error = ENETUNREACH;
		break;
	case PRC_UNREACH_HOST:
	case PRC_HOSTDEAD:
		error = EHOSTUNREACH;
		break;
	case PRC_UNREACH_PORT:
	case PRC_UNREACH_PROTOCOL:
		error = ECONNREFUSED;
		break;
	case PRC_TIMXCEED_INTRANS:
	case PRC_TIMXCEED_REASS:
	case PRC_PARAMPROB:
		error = ENOPROTOOPT;
		break;
	case PRC_REDIRECT_NET:
	case PRC_REDIRECT_HOST:
		in_pcbrtchange(&tcbtable, sin->sin_addr);
		return;
	default:
		return;
	}
	tcp_ctlerror(inp, th, error, icp->ipc_mtu);
}

void
tcp_ctlerror(struct inpcb *inp, const struct tcphdr *th, int error,
    unsigned mtu)
{
	struct tcpcb *tp = intotcpcb(inp);
	tcp_seq seq;

	if (tp == NULL)
		return;
	seq = ntohl(th->th_seq);
	if (SEQ_LT(seq, tp->snd_una) || SEQ_GT(seq, tp->snd_max))
		return;
	if (error == EMSGSIZE) {
		tcp_mtudisc(inp, (int)mtu);
		return;
	}
	/* Port and protocol unreachable end a connection still being made. */
	if (error == ECONNREFUSED && tp->t_state == TCPS_SYN_SENT) {
		(void)tcp_drop(tp, ECONNREFUSED);
		return;
	}
	tcp_notify(inp, error);
}
