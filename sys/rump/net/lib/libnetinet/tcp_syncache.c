/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The SYN queue of listening sockets.  A SYN to a listener makes a small
 * entry here, not a socket: the four-tuple, both initial sequence
 * numbers and the options agreed; we answer with a SYN-ACK, resent with
 * backoff (1 s, 2 s, 4 s ...) up to TCP_SYNACKRETRIES times.  The ACK
 * that completes the handshake turns the entry into a connected socket
 * on the listener's accept queue (sonewconn, then tcp_established).
 *
 * Bounds: at most net.inet.tcp.syncache_limit entries in all.  When the
 * cache is full (or memory is short) and net.inet.tcp.syncookies is set,
 * the SYN-ACK carries a SYN cookie (RFC 4987 3.6) and nothing is kept:
 *   ISS = count:5 | mss index:3 | hash:24
 * count is a 64-second clock (mod 32), the index picks the MSS from
 * tcp_cookie_mss[], and the hash is SipHash-2-4 under the per-boot key
 * of the four-tuple, the peer's ISN and the count.  The completing ACK
 * is valid if ack - 1 decodes with a count at most one period old and
 * the same hash.  Cookie connections carry no window scale, SACK or
 * timestamps (the cookie has no room for them).
 *
 * A full accept queue (Linux: more than backlog connections waiting)
 * drops new SYNs, and the completing ACKs of cached entries, as Linux
 * does: the client retries its SYN, or we resend the SYN-ACK, and the
 * handshake completes once accept(2) makes room.
 *
 * One callout serves the whole cache; it runs only while entries exist.
 * Entries of both families are kept alike: a struct tcp_ends names the
 * connection (the cookie's hash covers IPv6 addresses whole).
 *
 * Everything under softnet_lock.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/socketvar.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

struct syncache {
	TAILQ_ENTRY(syncache) sc_link;  /* n: on tcp_syncache */
	struct tcpcb *sc_listen;        /* n: the listener */
	struct tcp_ends sc_ends;        /* n: ours and the peer's */
	tcp_seq sc_iss, sc_irs;         /* n */
	uint32_t sc_peerwin;            /* n: the SYN's window, unscaled */
	uint16_t sc_peermss;            /* n */
	uint8_t sc_peerscale;           /* n */
	uint8_t sc_ourscale;            /* n */
	int sc_flags;                   /* n: SCF_* */
	uint32_t sc_tsrecent;           /* n: the SYN's TSval */
	uint32_t sc_tsoffset;           /* n */
	int sc_rxtshift;                /* n */
	uint64_t sc_deadline;           /* n: next SYN-ACK, us */
};
#define SCF_SCALE 0x01
#define SCF_TS    0x02
#define SCF_SACK  0x04

static TAILQ_HEAD(, syncache) tcp_syncache =
    TAILQ_HEAD_INITIALIZER(tcp_syncache);       /* n */
static int tcp_syncache_count;                  /* n */
static callout_t tcp_syncache_ch;               /* n */

/* The MSS a cookie can encode: the largest not above the peer's. */
static const uint16_t tcp_cookie_mss[8] = {
	216, 536, 1220, 1360, 1440, 1460, 8948, 65483,
};

static uint32_t
tcp_cookie_count(void)
{
	return (uint32_t)(getnsecuptime() / (64ULL * 1000000000ULL)) & 0x1f;
}

static uint32_t
tcp_cookie_hash(const struct tcp_ends *te, tcp_seq irs, uint32_t count)
{
	uint8_t buf[45];
	size_t n = 0;

	if (te->te_v6) {
		memcpy(buf, &te->te_laddr6, 16);
		memcpy(buf + 16, &te->te_faddr6, 16);
		n = 32;
	} else {
		memcpy(buf, &te->te_laddr.s_addr, 4);
		memcpy(buf + 4, &te->te_faddr.s_addr, 4);
		n = 8;
	}
	memcpy(buf + n, &te->te_lport, 2);
	memcpy(buf + n + 2, &te->te_fport, 2);
	memcpy(buf + n + 4, &irs, 4);
	memcpy(buf + n + 8, &count, 4);
	buf[n + 12] = 'c';
	return (uint32_t)tcp_siphash(tcp_secret, buf, n + 13) & 0xffffff;
}

static bool
tcp_ends_equal(const struct tcp_ends *a, const struct tcp_ends *b)
{
	if (a->te_v6 != b->te_v6 || a->te_lport != b->te_lport ||
	    a->te_fport != b->te_fport)
		return false;
	if (a->te_v6)
		return IN6_ARE_ADDR_EQUAL(&a->te_laddr6, &b->te_laddr6) &&
		    IN6_ARE_ADDR_EQUAL(&a->te_faddr6, &b->te_faddr6);
	return a->te_laddr.s_addr == b->te_laddr.s_addr &&
	    a->te_faddr.s_addr == b->te_faddr.s_addr;
}

static void
tcp_syncache_schedule(void)
{
	if (!TAILQ_EMPTY(&tcp_syncache) && !callout_pending(&tcp_syncache_ch))
		callout_schedule(&tcp_syncache_ch, nstohz(200ULL * 1000000ULL));
}

static void
tcp_syncache_free(struct syncache *sc)
{
	TAILQ_REMOVE(&tcp_syncache, sc, sc_link);
	tcp_syncache_count--;
	kmem_free(sc, sizeof(*sc));
}

/* Send a SYN-ACK for a cache entry, or (sc_flags 0, no entry) for a cookie. */
static void
tcp_syncache_respond(struct tcpcb *ltp, const struct tcp_ends *te, tcp_seq iss,
    tcp_seq irs, unsigned mss, int flags, int ourscale, uint32_t tsval,
    uint32_t tsecr)
{
	struct socket *lso = tcp_socket(ltp);
	struct mbuf *m;
	struct tcphdr *th;
	uint8_t opt[TCP_MAXOLEN];
	int optlen, len, iphlen = (int)TCP_IPHLEN(te->te_v6);
	unsigned long win;

	if (te->te_v6 && tcp6_hooks == NULL)
		return;
	optlen = tcp_synopts(opt, mss, (flags & SCF_SCALE) ? ourscale : -1,
	    (flags & SCF_SACK) != 0, (flags & SCF_TS) != 0, tsval, tsecr);
	len = iphlen + (int)sizeof(*th) + optlen;
	m = m_gethdr(M_DONTWAIT, MT_HEADER);
	if (m == NULL) {
		tcpstat.tcps_nombuf++;
		return;
	}
	MH_ALIGN(m, len);
	m->m_len = m->m_pkthdr.len = len;
	memset(mtod(m, void *), 0, (size_t)iphlen);
	th = (struct tcphdr *)(mtod(m, char *) + iphlen);
	memset(th, 0, sizeof(*th));
	th->th_sport = te->te_lport;
	th->th_dport = te->te_fport;
	th->th_seq = htonl(iss);
	th->th_ack = htonl(irs + 1);
	th->th_off = (uint8_t)((sizeof(*th) + (size_t)optlen) >> 2);
	th->th_flags = TH_SYN | TH_ACK;
	win = lso != NULL ? lso->so_rcv.sb_hiwat : TCP_MAXWIN;
	th->th_win = htons((uint16_t)(win > TCP_MAXWIN ? TCP_MAXWIN : win));
	memcpy(th + 1, opt, (size_t)optlen);
	tcpstat.tcps_sndtotal++;
	tcpstat.tcps_sndctrl++;
	if (te->te_v6) {
		struct ip6_hdr *ip6 = mtod(m, struct ip6_hdr *);

		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_src = te->te_laddr6;
		ip6->ip6_dst = te->te_faddr6;
		(void)(*tcp6_hooks->th6_output)(m, ltp->t_inpcb, te->te_scope);
	} else {
		struct ip *ip = mtod(m, struct ip *);

		ip->ip_src = te->te_laddr;
		ip->ip_dst = te->te_faddr;
		ip->ip_p = IPPROTO_TCP;
		ip->ip_len = htons((uint16_t)len);
		ip->ip_ttl = (uint8_t)ip_defttl;
		th->th_sum = in4_cksum(m, IPPROTO_TCP, sizeof(*ip),
		    len - (int)sizeof(*ip));
		(void)ip_output(m, NULL, IP_MTUDISC, NULL, NULL);
	}
}

static struct syncache *
tcp_syncache_lookup(const struct tcp_ends *te)
{
	struct syncache *sc;

	TAILQ_FOREACH(sc, &tcp_syncache, sc_link)
		if (tcp_ends_equal(&sc->sc_ends, te))
			return sc;
	return NULL;
}

/* Our MSS toward the peer, from the route, clamped by TCP_MAXSEG. */
static unsigned
tcp_syncache_ourmss(struct tcpcb *ltp, const struct tcp_ends *te)
{
	unsigned mss = tcp_mss_to(te, NULL);

	if (ltp->t_usermss != 0 && ltp->t_usermss < mss)
		mss = ltp->t_usermss;
	return mss > 65535 ? 65535 : mss;
}

void
tcp_syncache_syn(struct tcpcb *ltp, const struct tcp_ends *te,
    const struct tcphdr *th, const struct tcp_opt *to, int tlen)
{
	struct socket *lso = tcp_socket(ltp);
	struct syncache *sc;
	unsigned ourmss, peermss;
	uint32_t count, cookie;
	int i;

	(void)tlen;
	if (lso == NULL || (lso->so_options & SOF_ACCEPTCONN) == 0)
		return;
	if (lso->so_qlen > lso->so_qlimit) {
		tcpstat.tcps_listendrop++;
		return;
	}
	sc = tcp_syncache_lookup(te);
	if (sc != NULL) {
		/* The peer resent its SYN: resend the SYN-ACK. */
		tcpstat.tcps_sc_dupesyn++;
		if (sc->sc_irs == ntohl(th->th_seq)) {
			uint32_t tsval = (uint32_t)(getnsecuptime() / 1000000) +
			    sc->sc_tsoffset;

			tcp_syncache_respond(ltp, &sc->sc_ends, sc->sc_iss,
			    sc->sc_irs, tcp_syncache_ourmss(ltp, &sc->sc_ends),
			    sc->sc_flags, sc->sc_ourscale, tsval,
			    sc->sc_tsrecent);
		}
		return;
	}
	ourmss = tcp_syncache_ourmss(ltp, te);
	peermss = (to->to_flags & TOF_MSS) ? to->to_mss : (unsigned)tcp_mssdflt;

	if (tcp_syncache_count < tcp_syncache_limit &&
	    (sc = kmem_zalloc(sizeof(*sc), KM_NOSLEEP)) != NULL) {
		sc->sc_listen = ltp;
		sc->sc_ends = *te;
		sc->sc_irs = ntohl(th->th_seq);
		sc->sc_iss = tcp_new_isn(te);
		sc->sc_peerwin = ntohs(th->th_win);
		sc->sc_peermss = (uint16_t)(peermss < 64 ? 64 : peermss);
		if ((to->to_flags & TOF_SCALE) && (ltp->t_flags & TF_REQ_SCALE)) {
			sc->sc_flags |= SCF_SCALE;
			sc->sc_peerscale = to->to_wscale;
			sc->sc_ourscale = tcp_wscale_for(lso->so_rcv.sb_hiwat);
		}
		if ((to->to_flags & TOF_TS) && (ltp->t_flags & TF_REQ_TSTMP)) {
			sc->sc_flags |= SCF_TS;
			sc->sc_tsrecent = to->to_tsval;
			sc->sc_tsoffset = tcp_ts_offset(te);
		}
		if ((to->to_flags & TOF_SACKPERM) && (ltp->t_flags & TF_WANT_SACK))
			sc->sc_flags |= SCF_SACK;
		sc->sc_deadline = tcp_now() + TCPTV_INITRTO;
		TAILQ_INSERT_TAIL(&tcp_syncache, sc, sc_link);
		tcp_syncache_count++;
		tcpstat.tcps_sc_added++;
		tcp_syncache_respond(ltp, te, sc->sc_iss, sc->sc_irs, ourmss,
		    sc->sc_flags, sc->sc_ourscale,
		    (uint32_t)(getnsecuptime() / 1000000) + sc->sc_tsoffset,
		    sc->sc_tsrecent);
		tcp_syncache_schedule();
		return;
	}

	tcpstat.tcps_sc_overflow++;
	if (!tcp_syncookies)
		return;
	/* A SYN cookie: the largest table MSS not above what both allow. */
	if (peermss < ourmss)
		ourmss = peermss;
	for (i = 7; i > 0 && tcp_cookie_mss[i] > ourmss; i--)
		continue;
	count = tcp_cookie_count();
	cookie = count << 27 | (uint32_t)i << 24 |
	    tcp_cookie_hash(te, ntohl(th->th_seq), count);
	tcpstat.tcps_sc_sendcookie++;
	tcp_syncache_respond(ltp, te, cookie, ntohl(th->th_seq),
	    tcp_cookie_mss[i], 0, 0, 0, 0);
}

/* The connection from a completed handshake; NULL if no socket can be had. */
static struct tcpcb *
tcp_syncache_expand(struct tcpcb *ltp, const struct tcp_ends *te, tcp_seq iss,
    tcp_seq irs)
{
	struct socket *lso = tcp_socket(ltp), *so;
	struct inpcb *inp;
	struct tcpcb *tp;

	if (lso->so_qlen > lso->so_qlimit) {
		tcpstat.tcps_listendrop++;
		return NULL;
	}
	so = sonewconn(lso, false);
	if (so == NULL) {
		tcpstat.tcps_listendrop++;
		return NULL;
	}
	inp = so->so_pcb;
	tp = intotcpcb(inp);
	tcp_ends_connect(inp, te);
	tp->t_flags = (tp->t_flags & ~(TF_NODELAY | TF_CORK)) |
	    (ltp->t_flags & (TF_NODELAY | TF_CORK));
	tp->t_usermss = ltp->t_usermss;
	tp->t_keepidle = ltp->t_keepidle;
	tp->t_keepintvl = ltp->t_keepintvl;
	tp->t_keepcnt = ltp->t_keepcnt;
	tp->t_usertimeout = ltp->t_usertimeout;
	tcp_congctl_select(tp, ltp->t_cc);
	tp->iss = iss;
	tp->irs = irs;
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->snd_up = iss + 1;
	tp->rcv_nxt = tp->rcv_adv = tp->rcv_up = irs + 1;
	tp->snd_recover = tp->snd_una;
	tp->snd_fack = tp->sack_rxmit = tp->snd_una;
	tp->snd_wl1 = irs;
	tp->snd_wl2 = iss + 1;
	tcp_set_state(tp, TCPS_SYN_RECEIVED);
	tcpstat.tcps_accepts++;
	tcpstat.tcps_sc_completed++;
	return tp;
}

struct tcpcb *
tcp_syncache_ack(struct tcpcb *ltp, const struct tcp_ends *te,
    const struct tcphdr *th, const struct tcp_opt *to, bool *rstp)
{
	struct socket *lso = tcp_socket(ltp);
	struct syncache *sc;
	struct tcpcb *tp;
	tcp_seq ack = ntohl(th->th_ack), seq = ntohl(th->th_seq);
	uint32_t cookie, count, now;
	unsigned mss;

	*rstp = false;
	if (lso == NULL)
		return NULL;
	sc = tcp_syncache_lookup(te);
	if (sc != NULL) {
		if (ack != sc->sc_iss + 1) {
			*rstp = true;
			return NULL;
		}
		if (seq != sc->sc_irs + 1)
			return NULL;
		tp = tcp_syncache_expand(ltp, &sc->sc_ends, sc->sc_iss,
		    sc->sc_irs);
		if (tp == NULL)
			return NULL;    /* the entry stays; SYN-ACKs go on */
		if (sc->sc_flags & SCF_SCALE) {
			tp->t_flags |= TF_REQ_SCALE | TF_RCVD_SCALE;
			tp->snd_scale = sc->sc_peerscale;
			tp->rcv_scale = tp->request_r_scale = sc->sc_ourscale;
		} else
			tp->t_flags &= ~(TF_REQ_SCALE | TF_RCVD_SCALE);
		if (sc->sc_flags & SCF_TS) {
			tp->t_flags |= TF_REQ_TSTMP | TF_RCVD_TSTMP;
			tp->ts_offset = sc->sc_tsoffset;
			tp->ts_recent = (to->to_flags & TOF_TS) ? to->to_tsval :
			    sc->sc_tsrecent;
			tp->ts_recent_age = tcp_now();
		} else
			tp->t_flags &= ~(TF_REQ_TSTMP | TF_RCVD_TSTMP);
		if (sc->sc_flags & SCF_SACK)
			tp->t_flags |= TF_SACK_PERMIT;
		mss = sc->sc_peermss;
		/* The RTT of the handshake, from the first SYN-ACK. */
		if (sc->sc_rxtshift == 0)
			tcp_xmit_timer(tp, (uint32_t)(tcp_now() -
			    (sc->sc_deadline - TCPTV_INITRTO)));
		tcp_syncache_free(sc);
	} else {
		if (!tcp_syncookies) {
			*rstp = true;
			return NULL;
		}
		cookie = ack - 1;
		count = cookie >> 27;
		now = tcp_cookie_count();
		if (((now - count) & 0x1f) > 1 ||
		    (cookie & 0xffffff) != tcp_cookie_hash(te, seq - 1, count)) {
			tcpstat.tcps_sc_badcookie++;
			*rstp = true;
			return NULL;
		}
		tp = tcp_syncache_expand(ltp, te, cookie, seq - 1);
		if (tp == NULL)
			return NULL;
		tp->t_flags &= ~(TF_REQ_SCALE | TF_RCVD_SCALE | TF_REQ_TSTMP |
		    TF_RCVD_TSTMP);
		mss = tcp_cookie_mss[(cookie >> 24) & 7];
		tcpstat.tcps_sc_recvcookie++;
	}
	tcp_mss_update(tp, mss);
	tp->snd_wnd = (uint32_t)ntohs(th->th_win) << tp->snd_scale;
	tp->max_sndwnd = tp->snd_wnd;
	tcp_established(tp);
	return tp;
}

void
tcp_syncache_rst(struct tcpcb *ltp, const struct tcp_ends *te,
    const struct tcphdr *th)
{
	struct syncache *sc = tcp_syncache_lookup(te);

	(void)ltp;
	/* RFC 5961 3.2: only the exact sequence number resets. */
	if (sc != NULL && ntohl(th->th_seq) == sc->sc_irs + 1) {
		tcpstat.tcps_sc_reset++;
		tcp_syncache_free(sc);
	}
}

void
tcp_syncache_purge(struct tcpcb *ltp)
{
	struct syncache *sc, *next;

	TAILQ_FOREACH_SAFE(sc, &tcp_syncache, sc_link, next)
		if (sc->sc_listen == ltp)
			tcp_syncache_free(sc);
}

/* Resend due SYN-ACKs, give up on entries past their retries. */
static void
tcp_syncache_timer(void *arg)
{
	struct syncache *sc, *next;
	uint64_t now;

	(void)arg;
	mutex_enter(softnet_lock);
	now = tcp_now();
	TAILQ_FOREACH_SAFE(sc, &tcp_syncache, sc_link, next) {
		if (now < sc->sc_deadline)
			continue;
		if (++sc->sc_rxtshift > TCP_SYNACKRETRIES) {
			tcpstat.tcps_sc_timeout++;
			tcp_syncache_free(sc);
			continue;
		}
		tcpstat.tcps_sc_retransmitted++;
		sc->sc_deadline = now + (TCPTV_INITRTO << sc->sc_rxtshift);
		tcp_syncache_respond(sc->sc_listen, &sc->sc_ends, sc->sc_iss,
		    sc->sc_irs, tcp_syncache_ourmss(sc->sc_listen, &sc->sc_ends),
		    sc->sc_flags, sc->sc_ourscale,
		    (uint32_t)(now / 1000) + sc->sc_tsoffset, sc->sc_tsrecent);
	}
	callout_ack(&tcp_syncache_ch);
	tcp_syncache_schedule();
	mutex_exit(softnet_lock);
}

void
tcp_syncache_init(void)
{
	callout_init(&tcp_syncache_ch, CALLOUT_MPSAFE);
	callout_setfunc(&tcp_syncache_ch, tcp_syncache_timer, NULL);
}
