/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP's common routines: start-up (tcp_init, from inetdomain's protosw),
 * connection blocks from birth (tcp_newtcpcb) to death (tcp_close,
 * tcp_drop, tcp_free), state changes (tcp_set_state), initial sequence
 * numbers (RFC 6528: a clock plus SipHash-2-4 of the four-tuple under a
 * per-boot key), bare replies (tcp_respond: RST, ACK, challenge ACK),
 * segment sizes from the route's MTU, reactions to ICMP (tcp_notify,
 * tcp_mtudisc) and the sysctl nodes under net.inet.tcp: tunables, the
 * counters (stats) and the connection list (pcblist).
 *
 * Everything here runs under softnet_lock, except tcp_init (boot) and
 * the sysctl handlers, which take softnet_lock themselves.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/endian.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>

#include <net/if.h>
#include <net/route.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

#include <rump/rumpuser.h>

int tcp_do_rfc1323 = 1;
int tcp_do_sack = 1;
int tcp_sendspace = 256 * 1024;
int tcp_recvspace = 256 * 1024;
int tcp_mssdflt = TCP_MSS;
int tcp_msl_ms = 30000;
int tcp_keepidle_s = 7200;
int tcp_keepintvl_s = 75;
int tcp_keepcnt = TCPTV_KEEPCNT;
int tcp_syncookies = 1;
int tcp_syncache_limit = 512;
int tcp_reass_maxseg = 256;
int tcp_challenge_limit = 1000;
int tcp_initcwnd = 10;
int tcp_rtomin_ms = 200;
int tcp_rexmit_max = TCP_MAXRXTSHIFT;
/*
 * A test facility: every segment to or from this port (host order) is
 * dropped on input as if the network lost it, so one kernel can show a
 * peer that vanishes or SYNs that cross.  0: off.
 */
int tcp_drop_port;

struct tcpstat tcpstat;
const struct tcp6_hooks *tcp6_hooks;
struct inpcbtable tcbtable;
uint8_t tcp_secret[16];

/* Challenge ACKs sent in the current second (RFC 5961 7). */
static uint64_t tcp_challenge_second;
static int tcp_challenge_count;

const char *const tcpstates[TCP_NSTATES] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
	"CLOSE_WAIT", "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2",
	"TIME_WAIT",
};

const unsigned char tcp_state_linux[TCP_NSTATES] = {
	[TCPS_CLOSED] = TCP_CLOSE,
	[TCPS_LISTEN] = TCP_LISTEN,
	[TCPS_SYN_SENT] = TCP_SYN_SENT,
	[TCPS_SYN_RECEIVED] = TCP_SYN_RECV,
	[TCPS_ESTABLISHED] = TCP_ESTABLISHED,
	[TCPS_CLOSE_WAIT] = TCP_CLOSE_WAIT,
	[TCPS_FIN_WAIT_1] = TCP_FIN_WAIT1,
	[TCPS_CLOSING] = TCP_CLOSING,
	[TCPS_LAST_ACK] = TCP_LAST_ACK,
	[TCPS_FIN_WAIT_2] = TCP_FIN_WAIT2,
	[TCPS_TIME_WAIT] = TCP_TIME_WAIT,
};

uint64_t
tcp_now(void)
{
	return getnsecuptime() / 1000;
}

/* Our TSval: a millisecond clock with a per-connection offset (RFC 7323 5.4). */
uint32_t
tcp_ts_now(const struct tcpcb *tp)
{
	return (uint32_t)(getnsecuptime() / 1000000) + tp->ts_offset;
}

/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input
 * PRF"): 64-bit output under a 128-bit key.
 */
#define SIP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIP_ROUND(v0, v1, v2, v3)                                              \
	do {                                                                   \
		v0 += v1; v1 = SIP_ROTL(v1, 13); v1 ^= v0;                     \
		v0 = SIP_ROTL(v0, 32);                                         \
		v2 += v3; v3 = SIP_ROTL(v3, 16); v3 ^= v2;                     \
		v0 += v3; v3 = SIP_ROTL(v3, 21); v3 ^= v0;                     \
		v2 += v1; v1 = SIP_ROTL(v1, 17); v1 ^= v2;                     \
		v2 = SIP_ROTL(v2, 32);                                         \
	} while (0)

static uint64_t
sip_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t
tcp_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = sip_le64(key), k1 = sip_le64(key + 8);
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
	uint64_t v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t m, b;
	size_t i, left;

	for (i = 0; i + 8 <= len; i += 8) {
		m = sip_le64(p + i);
		v3 ^= m;
		SIP_ROUND(v0, v1, v2, v3);
		SIP_ROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	b = (uint64_t)len << 56;
	left = len - i;
	while (left > 0) {
		left--;
		b |= (uint64_t)p[i + left] << (8 * left);
	}
	v3 ^= b;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The four-tuple of te as bytes to hash (38 at most); its length. */
static size_t
tcp_ends_bytes(const struct tcp_ends *te, uint8_t *buf)
{
	size_t alen = te->te_v6 ? 16 : 4;

	if (te->te_v6) {
		memcpy(buf, &te->te_laddr6, 16);
		memcpy(buf + 16, &te->te_faddr6, 16);
	} else {
		memcpy(buf, &te->te_laddr.s_addr, 4);
		memcpy(buf + 4, &te->te_faddr.s_addr, 4);
	}
	memcpy(buf + 2 * alen, &te->te_lport, 2);
	memcpy(buf + 2 * alen + 2, &te->te_fport, 2);
	return 2 * alen + 4;
}

/*
 * RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a timer ticking every 4 microseconds.
 */
tcp_seq
tcp_new_isn(const struct tcp_ends *te)
{
	uint8_t tuple[40];
	size_t n = tcp_ends_bytes(te, tuple);

	return (tcp_seq)(tcp_siphash(tcp_secret, tuple, n) +
	    getnsecuptime() / 4000);
}

/*
 * The offset of our timestamps (RFC 7323 5.4): random per four-tuple,
 * and the same for each incarnation of it, so that a new connection's
 * timestamps follow the old one's (RFC 6191 reuse of TIME_WAIT).
 */
uint32_t
tcp_ts_offset(const struct tcp_ends *te)
{
	uint8_t tuple[40];
	size_t n = tcp_ends_bytes(te, tuple);

	tuple[n++] = 't';
	return (uint32_t)tcp_siphash(tcp_secret, tuple, n);
}

void
tcp_ends_of(const struct inpcb *inp, struct tcp_ends *te)
{
	memset(te, 0, sizeof(*te));
	te->te_v6 = (inp->inp_flags & INP_IPV6) != 0;
	te->te_lport = inp->inp_lport;
	te->te_fport = inp->inp_fport;
	if (te->te_v6) {
		te->te_laddr6 = inp->inp_laddr6;
		te->te_faddr6 = inp->inp_faddr6;
		te->te_scope = inp->inp_fscope;
	} else {
		te->te_laddr = inp->inp_laddr;
		te->te_faddr = inp->inp_faddr;
	}
}

void
tcp_ends_connect(struct inpcb *inp, const struct tcp_ends *te)
{
	if (te->te_v6) {
		inp->inp_flags |= INP_IPV6;
		inp->inp_laddr6 = te->te_laddr6;
		inp->inp_faddr6 = te->te_faddr6;
		inp->inp_fscope = te->te_scope;
		inp->inp_laddr.s_addr = inp->inp_faddr.s_addr = INADDR_ANY;
	} else {
		/* An AF_INET6 socket's connection from a v4-mapped peer. */
		inp->inp_flags &= ~INP_IPV6;
		inp->inp_laddr = te->te_laddr;
		inp->inp_faddr = te->te_faddr;
	}
	inp->inp_lport = te->te_lport;
	inp->inp_fport = te->te_fport;
	in_pcbstate(inp, INP_CONNECTED);
}

/* The states each state may be entered from (tcp_fsm.h); CLOSED from any. */
#define TCPS_BIT(s) (1U << (s))
static const unsigned tcp_state_from[TCP_NSTATES] = {
	[TCPS_CLOSED] = ~0U,
	[TCPS_LISTEN] = TCPS_BIT(TCPS_CLOSED) | TCPS_BIT(TCPS_LISTEN),
	[TCPS_SYN_SENT] = TCPS_BIT(TCPS_CLOSED),
	[TCPS_SYN_RECEIVED] = TCPS_BIT(TCPS_CLOSED) | TCPS_BIT(TCPS_SYN_SENT),
	[TCPS_ESTABLISHED] = TCPS_BIT(TCPS_SYN_SENT) |
	    TCPS_BIT(TCPS_SYN_RECEIVED),
	[TCPS_CLOSE_WAIT] = TCPS_BIT(TCPS_SYN_RECEIVED) |
	    TCPS_BIT(TCPS_ESTABLISHED),
	[TCPS_FIN_WAIT_1] = TCPS_BIT(TCPS_ESTABLISHED),
	[TCPS_CLOSING] = TCPS_BIT(TCPS_FIN_WAIT_1),
	[TCPS_LAST_ACK] = TCPS_BIT(TCPS_CLOSE_WAIT),
	[TCPS_FIN_WAIT_2] = TCPS_BIT(TCPS_FIN_WAIT_1),
	[TCPS_TIME_WAIT] = TCPS_BIT(TCPS_FIN_WAIT_2) | TCPS_BIT(TCPS_CLOSING),
};

void
tcp_set_state(struct tcpcb *tp, int state)
{
	KASSERT(mutex_owned(softnet_lock));
	KASSERTMSG(state >= TCPS_CLOSED && state < TCP_NSTATES, "state %d", state);
	KASSERTMSG((tcp_state_from[state] & TCPS_BIT(tp->t_state)) != 0,
	    "tcp: %s -> %s", tcpstates[tp->t_state], tcpstates[state]);
	tp->t_state = state;
}

int
tcp_state_of(const struct inpcb *inp)
{
	const struct tcpcb *tp = inp->inp_ppcb;

	return tp != NULL ? tp->t_state : TCPS_CLOSED;
}

/* A new connection block for inp, CLOSED, with the defaults. */
struct tcpcb *
tcp_newtcpcb(struct inpcb *inp)
{
	struct tcpcb *tp;

	tp = kmem_zalloc(sizeof(*tp), KM_NOSLEEP);
	if (tp == NULL)
		return NULL;
	tp->t_inpcb = inp;
	TAILQ_INIT(&tp->t_segq);
	tcp_timer_init(tp);
	tp->t_state = TCPS_CLOSED;
	tp->t_maxseg = tp->t_ourmss = tp->t_peermss = (unsigned)tcp_mssdflt;
	tp->t_rto = TCPTV_INITRTO;
	tp->t_rttvar = 0;
	tp->snd_cwnd = TCP_MAXWIN << TCP_MAXWINSHIFT;
	tp->snd_ssthresh = TCP_MAXWIN << TCP_MAXWINSHIFT;
	tp->t_keepidle = (uint64_t)tcp_keepidle_s * TCP_US_PER_S;
	tp->t_keepintvl = (uint64_t)tcp_keepintvl_s * TCP_US_PER_S;
	tp->t_keepcnt = tcp_keepcnt;
	tp->t_syncnt = TCP_SYNRETRIES;
	if (tcp_do_rfc1323)
		tp->t_flags |= TF_REQ_SCALE | TF_REQ_TSTMP;
	if (tcp_do_sack)
		tp->t_flags |= TF_WANT_SACK;
	tcp_congctl_select(tp, tcp_congctl_default);
	inp->inp_ppcb = tp;
	return tp;
}

void
tcp_reass_flush(struct tcpcb *tp)
{
	struct tcpqent *q;

	while ((q = TAILQ_FIRST(&tp->t_segq)) != NULL) {
		TAILQ_REMOVE(&tp->t_segq, q, tqe_q);
		m_freem(q->tqe_m);
		kmem_free(q, sizeof(*q));
	}
	tp->t_segqlen = 0;
	tp->t_segqbytes = 0;
}

/*
 * Free a closed block whose timers are all idle.  A handler may still be
 * returning to the clock thread after it let softnet_lock go (past
 * callout_ack, so not busy): wait for that (it needs no lock of ours).
 */
void
tcp_free(struct tcpcb *tp)
{
	int i;

	for (i = 0; i < TCPT_NTIMERS; i++) {
		(void)callout_halt(&tp->t_timer[i], NULL);
		callout_destroy(&tp->t_timer[i]);
	}
	kmem_free(tp, sizeof(*tp));
}

/*
 * The connection is over: its PCB goes, and its socket is told (and
 * freed if no descriptor refers to it).  The block itself is freed now,
 * or by a timer handler already waiting for softnet_lock.
 */
struct tcpcb *
tcp_close(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	struct socket *so;

	KASSERT(mutex_owned(softnet_lock));
	if (tp->t_state == TCPS_LISTEN)
		tcp_syncache_purge(tp);
	tcp_set_state(tp, TCPS_CLOSED);
	tcp_timers_stop(tp);
	tcp_reass_flush(tp);
	tcpstat.tcps_closed++;

	so = inp->inp_socket;
	inp->inp_ppcb = NULL;
	tp->t_inpcb = NULL;
	if (so != NULL) {
		soisdisconnected(so);
		in_pcbdetach(inp);
		if (so->so_state & SS_NOFDREF)
			sofree(so);
	} else
		in_pcbdetach(inp);

	if (tcp_timers_busy(tp))
		tp->t_flags |= TF_DEAD;
	else
		tcp_free(tp);
	return NULL;
}

/* Drop the connection: a synchronised peer gets an RST; the error goes to the socket. */
struct tcpcb *
tcp_drop(struct tcpcb *tp, int error)
{
	struct socket *so = tcp_socket(tp);

	if (TCPS_HAVERCVDSYN(tp->t_state)) {
		tcp_set_state(tp, TCPS_CLOSED);
		(void)tcp_output(tp);
		tcpstat.tcps_drops++;
	} else
		tcpstat.tcps_conndrops++;
	if (error == ETIMEDOUT && tp->t_softerror != 0)
		error = tp->t_softerror;
	if (so != NULL)
		so->so_error = error;
	return tcp_close(tp);
}

/* Whether the route to the PCB's peer goes out through a loopback interface. */
bool
tcp_route_is_loop(struct inpcb *inp)
{
	struct rtentry *rt;

	if (inp->inp_flags & INP_IPV6)
		return tcp6_hooks != NULL &&
		    (*tcp6_hooks->th6_islocal)(&inp->inp_faddr6);
	rt = in_route_get(&inp->inp_route, inp->inp_faddr);
	return rt != NULL && rt->rt_ifp != NULL &&
	    (rt->rt_ifp->if_flags & IFF_LOOPBACK) != 0;
}

/*
 * Bytes of data a segment to the peer may carry without options: the
 * path MTU less the IP and TCP headers (RFC 9293 3.7.1); over IPv6 at
 * least 1220, what the minimum MTU of 1280 carries (RFC 8200 5).
 */
unsigned
tcp_mss_to(const struct tcp_ends *te, struct in_route *ro)
{
	struct in_route tmp = { NULL, { 0 } };
	struct rtentry *rt;
	unsigned mtu;

	if (te->te_v6) {
		mtu = tcp6_hooks != NULL ?
		    (*tcp6_hooks->th6_pathmtu)(&te->te_faddr6, te->te_scope) : 0;
		if (mtu == 0)
			mtu = IPV6_MMTU;
		if (mtu > IPV6_MAXPACKET)
			mtu = IPV6_MAXPACKET;
		if (mtu < IPV6_MMTU)
			mtu = IPV6_MMTU;
		return mtu - TCP_IPHLEN(true) - sizeof(struct tcphdr);
	}
	rt = in_route_get(ro != NULL ? ro : &tmp, te->te_faddr);
	mtu = rt != NULL ? ip_rtmtu(rt) : 0;
	in_route_free(&tmp);
	if (rt == NULL)
		return (unsigned)tcp_mssdflt;
	if (mtu > IP_MAXPACKET)
		mtu = IP_MAXPACKET;
	if (mtu < 68 + sizeof(struct tcphdr))
		mtu = 68 + sizeof(struct tcphdr);
	return mtu - sizeof(struct ip) - sizeof(struct tcphdr);
}

unsigned
tcp_mss_for(struct inpcb *inp)
{
	struct tcp_ends te;

	tcp_ends_of(inp, &te);
	return tcp_mss_to(&te, &inp->inp_route);
}

/*
 * The segment size to send with: the smaller of what the peer accepts and
 * what our path carries, less the options each segment carries, and no
 * more than TCP_MAXSEG asked.
 */
void
tcp_mss_update(struct tcpcb *tp, unsigned peermss)
{
	unsigned mss;

	tp->t_peermss = peermss;
	mss = tcp_mss_for(tp->t_inpcb);
	tp->t_pmtu = mss + TCP_IPHLEN((tp->t_inpcb->inp_flags & INP_IPV6) != 0) +
	    sizeof(struct tcphdr);
	if (peermss < mss)
		mss = peermss;
	if (tp->t_usermss != 0 && tp->t_usermss < mss)
		mss = tp->t_usermss;
	if ((tp->t_flags & (TF_REQ_TSTMP | TF_RCVD_TSTMP)) ==
	    (TF_REQ_TSTMP | TF_RCVD_TSTMP))
		mss -= TCPOLEN_TSTAMP_APPA;
	if (mss < 64)
		mss = 64;
	tp->t_maxseg = mss;
}

/*
 * A bare segment: RST or ACK, between the ends te, with no data.
 * Without tp it carries no options and a zero window.
 */
void
tcp_respond(struct tcpcb *tp, const struct tcp_ends *te, tcp_seq seq,
    tcp_seq ack, int flags)
{
	struct mbuf *m;
	struct tcphdr *th;
	struct inpcb *inp = tp != NULL ? tp->t_inpcb : NULL;
	struct tcp_ends pte;
	uint8_t *opt;
	int optlen = 0, len, iphlen;
	uint32_t win = 0;

	if (te == NULL) {
		tcp_ends_of(inp, &pte);
		te = &pte;
	}
	if (te->te_v6 && tcp6_hooks == NULL)
		return;
	iphlen = (int)TCP_IPHLEN(te->te_v6);
	m = m_gethdr(M_DONTWAIT, MT_HEADER);
	if (m == NULL) {
		tcpstat.tcps_nombuf++;
		return;
	}
	len = iphlen + (int)sizeof(*th) + TCPOLEN_TSTAMP_APPA;
	MH_ALIGN(m, len);
	memset(mtod(m, void *), 0, (size_t)len);
	th = (struct tcphdr *)(mtod(m, char *) + iphlen);
	opt = (uint8_t *)(th + 1);
	if (tp != NULL && inp != NULL && inp->inp_socket != NULL &&
	    (flags & TH_RST) == 0) {
		long space = sbspace(&inp->inp_socket->so_rcv);

		if (space < 0)
			space = 0;
		win = (uint32_t)space >> tp->rcv_scale;
		if (win > TCP_MAXWIN)
			win = TCP_MAXWIN;
	}
	if (tp != NULL && (tp->t_flags & (TF_REQ_TSTMP | TF_RCVD_TSTMP)) ==
	    (TF_REQ_TSTMP | TF_RCVD_TSTMP) && (flags & TH_RST) == 0) {
		uint32_t v;

		opt[0] = TCPOPT_NOP;
		opt[1] = TCPOPT_NOP;
		opt[2] = TCPOPT_TIMESTAMP;
		opt[3] = TCPOLEN_TIMESTAMP;
		v = htonl(tcp_ts_now(tp));
		memcpy(opt + 4, &v, 4);
		v = htonl(tp->ts_recent);
		memcpy(opt + 8, &v, 4);
		optlen = TCPOLEN_TSTAMP_APPA;
	}
	len = iphlen + (int)sizeof(*th) + optlen;
	m->m_len = m->m_pkthdr.len = len;

	th->th_sport = te->te_lport;
	th->th_dport = te->te_fport;
	th->th_seq = htonl(seq);
	th->th_ack = (flags & TH_ACK) ? htonl(ack) : 0;
	th->th_off = (uint8_t)((sizeof(*th) + (size_t)optlen) >> 2);
	th->th_flags = (uint8_t)flags;
	th->th_win = htons((uint16_t)win);
	if (tp != NULL && (flags & TH_ACK) && tp->t_inpcb != NULL)
		tp->last_ack_sent = ack;

	tcpstat.tcps_sndtotal++;
	if (flags & TH_RST)
		tcpstat.tcps_sndctrl++;
	else
		tcpstat.tcps_sndacks++;
	if (te->te_v6) {
		struct ip6_hdr *ip6 = mtod(m, struct ip6_hdr *);

		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_src = te->te_laddr6;
		ip6->ip6_dst = te->te_faddr6;
		(void)(*tcp6_hooks->th6_output)(m, inp, te->te_scope);
	} else {
		struct ip *ip = mtod(m, struct ip *);

		ip->ip_src = te->te_laddr;
		ip->ip_dst = te->te_faddr;
		ip->ip_p = IPPROTO_TCP;
		ip->ip_len = htons((uint16_t)len);
		ip->ip_ttl = inp != NULL && inp->inp_ttl != 0 ? inp->inp_ttl :
		    (uint8_t)ip_defttl;
		ip->ip_tos = inp != NULL ? inp->inp_tos : 0;
		th->th_sum = in4_cksum(m, IPPROTO_TCP, sizeof(*ip),
		    len - (int)sizeof(*ip));
		(void)ip_output(m, inp != NULL ? &inp->inp_route : NULL, 0,
		    NULL, inp);
	}
}

/* RFC 5961 7: at most tcp_challenge_limit challenge ACKs a second. */
int
tcp_rate_challenge(void)
{
	uint64_t sec = getnsecuptime() / 1000000000ULL;

	if (sec != tcp_challenge_second) {
		tcp_challenge_second = sec;
		tcp_challenge_count = 0;
	}
	if (tcp_challenge_count >= tcp_challenge_limit) {
		tcpstat.tcps_challengeack_limited++;
		return 0;
	}
	tcp_challenge_count++;
	tcpstat.tcps_challengeack++;
	return 1;
}

/*
 * An ICMP error for a connection.  Before the connection exists,
 * unreachables end the attempt only once it has been retried; once it
 * exists they are soft errors (RFC 1122 4.2.3.9), reported if the
 * connection later times out.
 */
void
tcp_notify(struct inpcb *inp, int error)
{
	struct tcpcb *tp = intotcpcb(inp);
	struct socket *so = inp->inp_socket;

	if (tp == NULL || so == NULL)
		return;
	if (tp->t_state == TCPS_ESTABLISHED &&
	    (error == EHOSTUNREACH || error == ENETUNREACH))
		return;
	if (tp->t_state < TCPS_ESTABLISHED && tp->t_rxtshift > 3 &&
	    tp->t_softerror != 0) {
		so->so_error = error;
		(void)tcp_close(tp);
		return;
	}
	tp->t_softerror = error;
	sorwakeup(so);
	sowwakeup(so);
}

/*
 * Fragmentation needed (RFC 1191) or packet too big (RFC 8201; never
 * below IPv6's 1280): a smaller MSS, and resend at once.
 */
void
tcp_mtudisc(struct inpcb *inp, int mtu)
{
	struct tcpcb *tp = intotcpcb(inp);
	bool v6 = (inp->inp_flags & INP_IPV6) != 0;
	unsigned mss;

	if (v6 && mtu < IPV6_MMTU)
		mtu = IPV6_MMTU;
	if (tp == NULL || mtu < 68 || mtu >= (int)tp->t_pmtu)
		return;
	mss = (unsigned)mtu - TCP_IPHLEN(v6) - sizeof(struct tcphdr);
	if ((tp->t_flags & (TF_REQ_TSTMP | TF_RCVD_TSTMP)) ==
	    (TF_REQ_TSTMP | TF_RCVD_TSTMP))
		mss -= TCPOLEN_TSTAMP_APPA;
	if (mss < 64)
		mss = 64;
	tp->t_pmtu = (unsigned)mtu;
	if (mss >= tp->t_maxseg)
		return;
	tp->t_maxseg = mss;
	if (tp->snd_cwnd > mss * 10U && tp->t_state == TCPS_ESTABLISHED)
		tp->snd_cwnd = mss * 10U;
	tcpstat.tcps_pmtuchange++;
	tp->snd_nxt = tp->snd_una;
	tp->t_rtttime = 0;
	(void)tcp_output(tp);
}

/* sysctl net.inet.tcp.stats: a snapshot taken under the lock. */
static int
tcp_sysctl_stats(struct sysctlnode *node, struct sysctl_req *req)
{
	struct tcpstat st;

	(void)node;
	if (req->sr_newp != NULL)
		return EPERM;
	mutex_enter(softnet_lock);
	st = tcpstat;
	mutex_exit(softnet_lock);
	return sysctl_copyout_value(req, &st, sizeof(st));
}

/*
 * The body of net.inet.tcp.pcblist and net.inet6.tcp6.pcblist: a record
 * of recsize bytes, made by fill, for each connection of one family
 * (v6: the IPv6 ones, else the IPv4 ones), listeners and TIME_WAIT
 * included.
 */
int
tcp_sysctl_pcblist_family(struct sysctl_req *req, bool v6, size_t recsize,
    void (*fill)(void *, const struct inpcb *))
{
	struct inpcb *inp;
	uint8_t *recs;
	size_t n, i = 0, size;
	int error;

	if (req->sr_newp != NULL)
		return EPERM;
	mutex_enter(softnet_lock);
	n = (size_t)tcbtable.inpt_count;
	size = n * recsize;
	recs = n > 0 ? kmem_zalloc(size, KM_NOSLEEP) : NULL;
	if (n > 0 && recs == NULL) {
		mutex_exit(softnet_lock);
		return ENOMEM;
	}
	TAILQ_FOREACH(inp, &tcbtable.inpt_queue, inp_queue) {
		if (i == n)
			break;
		if (((inp->inp_flags & INP_IPV6) != 0) != v6)
			continue;
		fill(recs + i * recsize, inp);
		i++;
	}
	mutex_exit(softnet_lock);
	error = sysctl_copyout_value(req, recs, i * recsize);
	if (recs != NULL)
		kmem_free(recs, size);
	return error;
}

/* A connection's state as Linux numbers it, and its queued bytes. */
void
tcp_conn_state(const struct inpcb *inp, uint8_t *statep, uint32_t *rcvccp,
    uint32_t *sndccp)
{
	const struct socket *so = inp->inp_socket;

	*statep = tcp_state_linux[tcp_state_of(inp)];
	*rcvccp = so != NULL ? (uint32_t)so->so_rcv.sb_cc : 0;
	*sndccp = so != NULL ? (uint32_t)so->so_snd.sb_cc : 0;
}

static void
tcp_conninfo_fill(void *rec, const struct inpcb *inp)
{
	struct tcp_conninfo *ci = rec;

	ci->tci_laddr = inp->inp_laddr.s_addr;
	ci->tci_faddr = inp->inp_faddr.s_addr;
	ci->tci_lport = inp->inp_lport;
	ci->tci_fport = inp->inp_fport;
	tcp_conn_state(inp, &ci->tci_state, &ci->tci_rcvcc, &ci->tci_sndcc);
}

/* sysctl net.inet.tcp.pcblist: every IPv4 connection (struct tcp_conninfo). */
static int
tcp_sysctl_pcblist(struct sysctlnode *node, struct sysctl_req *req)
{
	(void)node;
	return tcp_sysctl_pcblist_family(req, false,
	    sizeof(struct tcp_conninfo), tcp_conninfo_fill);
}

/* sysctl net.inet.tcp.congctl: the module new connections get. */
static int
tcp_sysctl_congctl(struct sysctlnode *node, struct sysctl_req *req)
{
	char name[TCP_CA_NAME_MAX];
	const struct tcp_congctl *cc;
	size_t len;
	int error;

	(void)node;
	memset(name, 0, sizeof(name));
	strlcpy(name, tcp_congctl_default->cc_name, sizeof(name));
	error = sysctl_copyout_value(req, name, strlen(name) + 1);
	if (error || req->sr_newp == NULL)
		return error;
	len = req->sr_newlen;
	if (len == 0 || len >= sizeof(name))
		return EINVAL;
	memset(name, 0, sizeof(name));
	error = copyin(req->sr_newp, name, len);
	if (error)
		return error;
	name[len] = '\0';
	cc = tcp_congctl_byname(name);
	if (cc == NULL)
		return EINVAL;
	tcp_congctl_default = cc;
	return 0;
}

static void
tcp_sysctl_init(void)
{
	struct sysctlnode *net, *inet, *tcp;
	static const struct {
		int num;
		const char *name;
		int *var;
	} ints[] = {
		{ TCPCTL_RFC1323, "rfc1323", &tcp_do_rfc1323 },
		{ TCPCTL_SENDSPACE, "sendspace", &tcp_sendspace },
		{ TCPCTL_RECVSPACE, "recvspace", &tcp_recvspace },
		{ TCPCTL_MSSDFLT, "mssdflt", &tcp_mssdflt },
		{ TCPCTL_SACK, "sack", &tcp_do_sack },
		{ TCPCTL_MSL, "msl_ms", &tcp_msl_ms },
		{ TCPCTL_KEEPIDLE, "keepidle", &tcp_keepidle_s },
		{ TCPCTL_KEEPINTVL, "keepintvl", &tcp_keepintvl_s },
		{ TCPCTL_KEEPCNT, "keepcnt", &tcp_keepcnt },
		{ TCPCTL_SYNCOOKIES, "syncookies", &tcp_syncookies },
		{ TCPCTL_SYNCACHELIM, "syncache_limit", &tcp_syncache_limit },
		{ TCPCTL_REASSLIM, "reass_maxseg", &tcp_reass_maxseg },
		{ TCPCTL_CHALLENGELIM, "challenge_limit", &tcp_challenge_limit },
		{ TCPCTL_INITCWND, "initcwnd", &tcp_initcwnd },
		{ TCPCTL_RTOMIN, "rtomin_ms", &tcp_rtomin_ms },
		{ TCPCTL_DROPPORT, "drop_port", &tcp_drop_port },
		{ TCPCTL_REXMITMAX, "rexmit_max", &tcp_rexmit_max },
	};
	size_t i;
	int error;

	error = sysctl_create(&net, NULL, CTL_NET, "net", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&inet, net, PF_INET, "inet",
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&tcp, inet, IPPROTO_TCP, "tcp",
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
	if (error) {
		printf("tcp: sysctl net.inet.tcp: error %d\n", error);
		return;
	}
	for (i = 0; i < __arraycount(ints); i++)
		(void)sysctl_create(NULL, tcp, ints[i].num, ints[i].name,
		    CTLTYPE_INT, CTLFLAG_READWRITE, ints[i].var, sizeof(int),
		    NULL);
	(void)sysctl_create(NULL, tcp, TCPCTL_CONGCTL, "congctl",
	    CTLTYPE_STRING, CTLFLAG_READWRITE, NULL, TCP_CA_NAME_MAX,
	    tcp_sysctl_congctl);
	(void)sysctl_create(NULL, tcp, TCPCTL_STATS, "stats", CTLTYPE_STRUCT,
	    CTLFLAG_READONLY, NULL, sizeof(struct tcpstat), tcp_sysctl_stats);
	(void)sysctl_create(NULL, tcp, TCPCTL_PCBLIST, "pcblist",
	    CTLTYPE_STRUCT, CTLFLAG_READONLY, NULL, 0, tcp_sysctl_pcblist);
}

void
tcp_init(void)
{
	unsigned long got = 0;
	uint64_t now;
	size_t i;

	in_pcbinit(&tcbtable, 1024, IPPROTO_TCP);
	in_pcb_statefn = tcp_state_of;
	/* The key: the host's random bytes, and the clock mixed in (RFC 6528 3). */
	if (rumpuser_getrandom(tcp_secret, sizeof(tcp_secret), 0, &got) != 0)
		got = 0;
	now = getnsecuptime();
	for (i = 0; i < sizeof(now); i++) {
		tcp_secret[i] ^= (uint8_t)(now >> (8 * i));
		tcp_secret[i + 8] ^= (uint8_t)(now >> (8 * i)) ^ (uint8_t)got;
	}
	tcp_syncache_init();
	tcp_sysctl_init();
}
