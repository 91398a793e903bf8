/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Segment arrival (RFC 9293 3.10.7), under softnet_lock, from ip_deliver
 * (tcp_input: IPv4's length, checksum and addresses) or from netinet6
 * (tcp6_input: IPv6's), both then in the one tcp_input_segment:
 *
 *   checksum (skipped when the packet says M_CSUM_DATA_VALID: loopback)
 *   by the family's front, header offset, options
 *   (tcp_dooptions: every length checked; malformed options end the
 *   parse and are counted, never trusted), PCB lookup
 *     -> LISTEN: SYN to the SYN cache (tcp_syncache.c), ACK completes a
 *        cached or cookie handshake, RST drops a cache entry
 *     -> ESTABLISHED fast path (header prediction): a pure ACK of new
 *        data, or in-order data acknowledging nothing new
 *     -> SYN_SENT: our SYN answered (or simultaneous open)
 *     -> otherwise, in order: TIME_WAIT reuse by a new SYN (RFC 6191),
 *        PAWS (RFC 7323 5), RST (RFC 5961 3: exact sequence resets, in
 *        window draws a challenge ACK), trimming to the window, SYN
 *        (RFC 5961 4: a challenge ACK), ACK (RFC 5961 5: range check),
 *        duplicate ACKs and recovery (RFC 5681, 6582, 6675), window
 *        update, urgent pointer (RFC 6093), data (in order to the socket
 *        buffer, out of order to the bounded reassembly queue), FIN.
 *
 * No per-segment state lives in file-scope variables: a segment's
 * fields travel in struct tcp_seg.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/socketvar.h>

#include <net/if.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

/* One segment, host byte order. */
struct tcp_seg {
	tcp_seq seq;
	tcp_seq ack;
	uint32_t win;                   /* as received, unscaled */
	uint16_t urp;
	int flags;
	int len;                        /* bytes of data */
};

#define TCP_PAWS_IDLE (24ULL * 24 * 3600 * TCP_US_PER_S) /* RFC 7323 5.5 */

/*
 * Parse cnt bytes of options.  Every option's length is checked against
 * what is left; a bad one ends the parse (-1, what was good is kept).
 * MSS, window scale and SACK-permitted count only on a SYN.
 */
int
tcp_dooptions(struct tcp_opt *to, const uint8_t *cp, int cnt, int thflags)
{
	int optlen, i;
	uint32_t v;

	memset(to, 0, sizeof(*to));
	for (; cnt > 0; cnt -= optlen, cp += optlen) {
		if (cp[0] == TCPOPT_EOL)
			break;
		if (cp[0] == TCPOPT_NOP) {
			optlen = 1;
			continue;
		}
		if (cnt < 2)
			return -1;
		optlen = cp[1];
		if (optlen < 2 || optlen > cnt)
			return -1;
		switch (cp[0]) {
		case TCPOPT_MAXSEG:
			if (optlen != TCPOLEN_MAXSEG || (thflags & TH_SYN) == 0)
				continue;
			to->to_flags |= TOF_MSS;
			to->to_mss = (uint16_t)(cp[2] << 8 | cp[3]);
			break;
		case TCPOPT_WINDOW:
			if (optlen != TCPOLEN_WINDOW || (thflags & TH_SYN) == 0)
				continue;
			to->to_flags |= TOF_SCALE;
			/* RFC 7323 2.3: above 14 is taken as 14. */
			to->to_wscale = cp[2] > TCP_MAXWINSHIFT ?
			    TCP_MAXWINSHIFT : cp[2];
			break;
		case TCPOPT_SACK_PERMITTED:
			if (optlen != TCPOLEN_SACK_PERMITTED ||
			    (thflags & TH_SYN) == 0)
				continue;
			to->to_flags |= TOF_SACKPERM;
			break;
		case TCPOPT_TIMESTAMP:
			if (optlen != TCPOLEN_TIMESTAMP)
				continue;
			to->to_flags |= TOF_TS;
			memcpy(&v, cp + 2, 4);
			to->to_tsval = ntohl(v);
			memcpy(&v, cp + 6, 4);
			to->to_tsecr = ntohl(v);
			break;
		case TCPOPT_SACK:
			if (optlen < 2 + TCPOLEN_SACK ||
			    (optlen - 2) % TCPOLEN_SACK != 0 ||
			    (thflags & TH_SYN) != 0)
				continue;
			to->to_flags |= TOF_SACK;
			to->to_nsacks = (optlen - 2) / TCPOLEN_SACK;
			if (to->to_nsacks > TCP_SACK_MAXBLKS)
				to->to_nsacks = TCP_SACK_MAXBLKS;
			for (i = 0; i < to->to_nsacks; i++) {
				memcpy(&v, cp + 2 + i * TCPOLEN_SACK, 4);
				to->to_sacks[i].start = ntohl(v);
				memcpy(&v, cp + 6 + i * TCPOLEN_SACK, 4);
				to->to_sacks[i].end = ntohl(v);
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

/* An RTT sample (RFC 6298 2.2, 2.3), microseconds. */
void
tcp_xmit_timer(struct tcpcb *tp, uint32_t rtt)
{
	uint32_t delta, min = (uint32_t)tcp_rtomin_ms * TCP_US_PER_MS;
	uint64_t rto;

	if (rtt == 0)
		rtt = 1;
	tcpstat.tcps_rttupdated++;
	if (tp->t_minrtt == 0 || rtt < tp->t_minrtt)
		tp->t_minrtt = rtt;
	if (tp->t_srtt == 0) {
		tp->t_srtt = rtt;
		tp->t_rttvar = rtt / 2;
	} else {
		delta = tp->t_srtt > rtt ? tp->t_srtt - rtt : rtt - tp->t_srtt;
		tp->t_rttvar = tp->t_rttvar - tp->t_rttvar / 4 + delta / 4;
		tp->t_srtt = tp->t_srtt - tp->t_srtt / 8 + rtt / 8;
	}
	/* G, the clock granularity, is one tick. */
	rto = (uint64_t)tp->t_srtt +
	    ((uint64_t)4 * tp->t_rttvar > 1000000ULL / (unsigned)hz ?
	    (uint64_t)4 * tp->t_rttvar : 1000000ULL / (unsigned)hz);
	if (rto < min)
		rto = min;
	if (rto > TCPTV_MAX)
		rto = TCPTV_MAX;
	tp->t_rto = (uint32_t)rto;
	tp->t_rxtshift = 0;
}

/* The connection is synchronised: tell the socket and start the windows. */
void
tcp_established(struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);

	tcp_set_state(tp, TCPS_ESTABLISHED);
	tcpstat.tcps_connects++;
	tp->t_quickack = TCP_QUICKACKS;
	tp->t_cc->cc_init(tp);
	tcp_timer_disarm(tp, TCPT_KEEP);
	/* Armed whether or not SO_KEEPALIVE is set: it may be set later. */
	tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle);
	if (so != NULL)
		soisconnected(so);
}

/* Take the urgent byte out of the data stream (!SO_OOBINLINE), RFC 6093. */
static void
tcp_pulloutofband(struct socket *so, struct tcpcb *tp, struct mbuf *m, int off)
{
	struct mbuf *n;
	int noff;

	n = m_getptr(m, off, &noff);
	if (n == NULL)
		return;
	tp->t_iobc = *(mtod(n, char *) + noff);
	tp->t_oobflags |= TCPOOB_HAVEDATA;
	memmove(mtod(n, char *) + noff, mtod(n, char *) + noff + 1,
	    (size_t)(n->m_len - noff - 1));
	n->m_len--;
	if (m->m_flags & M_PKTHDR)
		m->m_pkthdr.len--;
	(void)so;
}

/*
 * Out-of-order data: queue [seq, seq + len) (m consumed), trimmed
 * against its neighbours, within tcp_reass_maxseg segments and the
 * receive buffer's room; then hand whatever became contiguous at
 * rcv_nxt to the socket.  Returns TH_FIN if a queued FIN was reached.
 */
static int
tcp_reass(struct tcpcb *tp, struct socket *so, tcp_seq seq, int len,
    int fin, struct mbuf *m)
{
	struct tcpqent *q, *p = NULL, *nq, *te;
	int flags = 0, i;

	if (m != NULL && (len > 0 || fin)) {
		if (seq != tp->rcv_nxt &&
		    (tp->t_segqlen >= tcp_reass_maxseg ||
		    tp->t_segqbytes + len > (int)so->so_rcv.sb_hiwat)) {
			tcpstat.tcps_rcvreassfull++;
			m_freem(m);
			return 0;
		}
		/* The entry before seq, if any. */
		TAILQ_FOREACH(q, &tp->t_segq, tqe_q) {
			if (SEQ_GT(q->tqe_seq, seq))
				break;
			p = q;
		}
		/* Trim what the predecessor already holds. */
		if (p != NULL) {
			i = (int)(p->tqe_seq + (tcp_seq)p->tqe_len - seq);
			if (i > 0) {
				if (i >= len && !(fin && !p->tqe_flags)) {
					tcpstat.tcps_rcvduppack++;
					tcpstat.tcps_rcvdupbyte += (uint64_t)len;
					m_freem(m);
					goto present;
				}
				if (i > len)
					i = len;
				m_adj(m, i);
				len -= i;
				seq += (tcp_seq)i;
			}
		}
		/* Remove or trim what we cover of the successors. */
		for (q = p != NULL ? TAILQ_NEXT(p, tqe_q) :
		    TAILQ_FIRST(&tp->t_segq); q != NULL; q = nq) {
			i = (int)(seq + (tcp_seq)len - q->tqe_seq);
			nq = TAILQ_NEXT(q, tqe_q);
			if (i <= 0)
				break;
			if (i < q->tqe_len) {
				q->tqe_seq += (tcp_seq)i;
				q->tqe_len -= i;
				tp->t_segqbytes -= i;
				m_adj(q->tqe_m, i);
				break;
			}
			fin |= q->tqe_flags;
			TAILQ_REMOVE(&tp->t_segq, q, tqe_q);
			tp->t_segqlen--;
			tp->t_segqbytes -= q->tqe_len;
			m_freem(q->tqe_m);
			kmem_free(q, sizeof(*q));
		}
		te = kmem_alloc(sizeof(*te), KM_NOSLEEP);
		if (te == NULL) {
			tcpstat.tcps_rcvreassfull++;
			m_freem(m);
			goto present;
		}
		te->tqe_m = m;
		te->tqe_seq = seq;
		te->tqe_len = len;
		te->tqe_flags = fin ? TH_FIN : 0;
		/* (The macro names its first argument more than once: no expression.) */
		if (p != NULL && (nq = TAILQ_NEXT(p, tqe_q)) != NULL)
			TAILQ_INSERT_BEFORE(nq, te, tqe_q);
		else if (p != NULL)
			TAILQ_INSERT_TAIL(&tp->t_segq, te, tqe_q);
		else
			TAILQ_INSERT_HEAD(&tp->t_segq, te, tqe_q);
		tp->t_segqlen++;
		tp->t_segqbytes += len;
		if (seq != tp->rcv_nxt) {
			tcpstat.tcps_rcvoopack++;
			tcpstat.tcps_rcvoobyte += (uint64_t)len;
			tp->t_rcvooopack++;
			if (tp->t_flags & TF_SACK_PERMIT)
				tcp_sack_rcv_update(tp, seq, seq + (tcp_seq)len);
		}
	}

present:
	if (!TCPS_HAVEESTABLISHED(tp->t_state))
		return 0;
	while ((q = TAILQ_FIRST(&tp->t_segq)) != NULL &&
	    q->tqe_seq == tp->rcv_nxt) {
		TAILQ_REMOVE(&tp->t_segq, q, tqe_q);
		tp->t_segqlen--;
		tp->t_segqbytes -= q->tqe_len;
		tp->rcv_nxt += (tcp_seq)q->tqe_len;
		flags = q->tqe_flags;
		if (so->so_state & SS_CANTRCVMORE)
			m_freem(q->tqe_m);
		else
			sbappendstream(&so->so_rcv, q->tqe_m);
		kmem_free(q, sizeof(*q));
		if (flags & TH_FIN)
			break;
	}
	if (tp->rcv_numsacks > 0)
		tcp_sack_rcv_trim(tp);
	sorwakeup(so);
	return flags;
}

/* RST in reply to seg, which found no connection (RFC 9293 3.10.7.1). */
static void
tcp_reset(const struct tcp_ends *te, const struct tcp_seg *seg, struct mbuf *m)
{
	tcp_seq ack;

	if (m != NULL &&
	    ((m->m_flags & (M_BCAST | M_MCAST)) || (!te->te_v6 &&
	    (IN_MULTICAST(ntohl(te->te_laddr.s_addr)) ||
	    in_broadcast(te->te_laddr, m->m_pkthdr.rcvif))))) {
		m_freem(m);
		return;
	}
	if (m != NULL)
		m_freem(m);
	if (seg->flags & TH_RST)
		return;
	if (seg->flags & TH_ACK) {
		tcp_respond(NULL, te, seg->ack, 0, TH_RST);
	} else {
		ack = seg->seq + (tcp_seq)seg->len;
		if (seg->flags & TH_SYN)
			ack++;
		if (seg->flags & TH_FIN)
			ack++;
		tcp_respond(NULL, te, 0, ack, TH_RST | TH_ACK);
	}
}

/* A challenge ACK (RFC 5961 3.2, 4.2, 5.2), rate-limited. */
static void
tcp_challenge_ack(struct tcpcb *tp)
{
	if (!tcp_rate_challenge())
		return;
	tcp_respond(tp, NULL, tp->snd_nxt, tp->rcv_nxt, TH_ACK);
}

/* Our SYN's options were answered: agree what both sides support. */
static void
tcp_syn_options(struct tcpcb *tp, const struct tcp_opt *to)
{
	if ((to->to_flags & TOF_SCALE) && (tp->t_flags & TF_REQ_SCALE)) {
		tp->t_flags |= TF_RCVD_SCALE;
		tp->snd_scale = to->to_wscale;
		tp->rcv_scale = tp->request_r_scale;
	} else {
		tp->t_flags &= ~TF_REQ_SCALE;
		tp->snd_scale = tp->rcv_scale = 0;
	}
	if ((to->to_flags & TOF_TS) && (tp->t_flags & TF_REQ_TSTMP)) {
		tp->t_flags |= TF_RCVD_TSTMP;
		tp->ts_recent = to->to_tsval;
		tp->ts_recent_age = tcp_now();
	} else
		tp->t_flags &= ~TF_REQ_TSTMP;
	if ((to->to_flags & TOF_SACKPERM) && (tp->t_flags & TF_WANT_SACK))
		tp->t_flags |= TF_SACK_PERMIT;
	tcp_mss_update(tp, (to->to_flags & TOF_MSS) ?
	    (to->to_mss < 64 ? 64 : to->to_mss) : (unsigned)tcp_mssdflt);
}

/*
 * Delayed ACK (RFC 9293 3.8.6.3, RFC 5681 4.2): every second segment,
 * else after 40 ms.  After a sign that the sender is short of window
 * (the start of the connection, a hole in the data, a delayed ACK that
 * had to wait for its timer) the next TCP_QUICKACKS segments are
 * acknowledged at once, so a sender in slow start or recovery is not
 * held back by our timer.
 */
static void
tcp_delack(struct tcpcb *tp)
{
	if (tp->t_quickack > 0) {
		tp->t_quickack--;
		tp->t_flags |= TF_ACKNOW;
	} else if (tp->t_flags & TF_DELACK)
		tp->t_flags |= TF_ACKNOW;
	else {
		tp->t_flags |= TF_DELACK;
		tcp_timer_arm(tp, TCPT_DELACK, TCPTV_DELACK);
	}
}

/* Enter fast recovery on the third duplicate ACK (RFC 6582 3.2, RFC 6675 5). */
static void
tcp_enter_recovery(struct tcpcb *tp)
{
	tcp_seq onxt;
	uint32_t ssthresh;

	tcpstat.tcps_fastrexmit++;
	tcpstat.tcps_recoveries++;
	tp->t_cc->cc_fastretransmit(tp);
	ssthresh = tp->snd_ssthresh;
	tp->snd_recover = tp->snd_max;
	tp->t_flags |= TF_FASTRECOVERY;
	tp->t_rtttime = 0;
	if ((tp->t_flags & TF_SACK_PERMIT) && tp->snd_numsacked > 0) {
		tp->sack_rxmit = tp->snd_una;
		tp->sack_pass_done = false;
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_us(tp));
		(void)tcp_output(tp);
		return;
	}
	onxt = tp->snd_nxt;
	tp->snd_nxt = tp->snd_una;
	tp->snd_cwnd = tp->t_maxseg;
	tcp_timer_disarm(tp, TCPT_REXMT);
	(void)tcp_output(tp);
	tp->snd_cwnd = ssthresh + 3 * tp->t_maxseg;
	if (SEQ_GT(onxt, tp->snd_nxt))
		tp->snd_nxt = onxt;
}

/* A partial ACK in NewReno recovery (RFC 6582 3.2 step 5): resend the next hole. */
static void
tcp_newreno_partial(struct tcpcb *tp, uint32_t acked)
{
	tcp_seq onxt = tp->snd_nxt;
	uint32_t ocwnd = tp->snd_cwnd;

	tcp_timer_disarm(tp, TCPT_REXMT);
	tp->t_rtttime = 0;
	tp->snd_nxt = tp->snd_una;
	tp->snd_cwnd = tp->t_maxseg;
	(void)tcp_output(tp);
	if (SEQ_GT(onxt, tp->snd_nxt))
		tp->snd_nxt = onxt;
	ocwnd = ocwnd > acked ? ocwnd - acked : 0;
	tp->snd_cwnd = ocwnd + (acked >= tp->t_maxseg ? tp->t_maxseg : 0);
	if (tp->snd_cwnd < tp->t_maxseg)
		tp->snd_cwnd = tp->t_maxseg;
}

/*
 * ACK processing for a synchronised connection (RFC 9293 3.10.7.4,
 * fifth).  Returns false if the segment was consumed (the caller stops).
 */
static bool
tcp_ack(struct tcpcb *tp, struct socket *so, struct tcp_seg *seg,
    const struct tcp_opt *to, uint32_t tiwin, struct mbuf **mp,
    bool *needoutput)
{
	uint32_t acked;
	bool ourfinisacked = false;

	/* RFC 5961 5.2: acceptable ACKs are in [snd_una - max window, snd_max]. */
	if (SEQ_GT(seg->ack, tp->snd_max)) {
		tcpstat.tcps_rcvacktoomuch++;
		tcp_challenge_ack(tp);
		m_freem(*mp);
		*mp = NULL;
		return false;
	}
	if (SEQ_LT(seg->ack, tp->snd_una - tp->max_sndwnd)) {
		tcpstat.tcps_badack++;
		tcp_challenge_ack(tp);
		m_freem(*mp);
		*mp = NULL;
		return false;
	}

	if (SEQ_LEQ(seg->ack, tp->snd_una)) {
		/*
		 * A duplicate ACK (RFC 5681 2): nothing new acknowledged,
		 * no data, the same window; with SACK (RFC 6675 2) any ACK
		 * that reports blocks counts, whatever its window.
		 */
		bool sackdup = (tp->t_flags & TF_SACK_PERMIT) &&
		    (to->to_flags & TOF_SACK);

		if (seg->len == 0 && (tiwin == tp->snd_wnd || sackdup) &&
		    (seg->flags & TH_FIN) == 0 && seg->ack == tp->snd_una &&
		    tp->snd_una != tp->snd_max) {
			tcpstat.tcps_rcvdupack++;
			if (sackdup) {
				tcp_sack_snd_update(tp, to);
				if (tiwin != tp->snd_wnd &&
				    SEQ_GEQ(seg->seq, tp->snd_wl1)) {
					tp->snd_wnd = tiwin;
					tp->snd_wl1 = seg->seq;
					tp->snd_wl2 = seg->ack;
				}
			}
			tp->t_dupacks++;
			if (tp->t_flags & TF_FASTRECOVERY) {
				if ((tp->t_flags & TF_SACK_PERMIT) == 0 ||
				    tp->snd_numsacked == 0)
					tp->snd_cwnd += tp->t_maxseg;
				(void)tcp_output(tp);
			} else if (tp->snd_numsacked > 0 ?
			    /*
			     * RFC 6675 IsLost(snd_una), or the forward
			     * acknowledgement three segments past it: lost
			     * ACKs need not hide a loss.
			     */
			    (tp->t_dupacks >= 3 ||
			    tcp_sack_bytes(tp) >= 3 * tp->t_maxseg ||
			    SEQ_SUB(tp->snd_fack, tp->snd_una) >=
			    3 * tp->t_maxseg) :
			    (tp->t_dupacks == 3 &&
			    /* RFC 6582 4.1: not again for the same flight. */
			    (SEQ_GT(seg->ack, tp->snd_recover) ||
			    SEQ_LEQ(tp->snd_recover, tp->snd_una)))) {
				tcp_enter_recovery(tp);
			} else if (tp->t_dupacks < 3) {
				/* Limited transmit (RFC 3042). */
				uint32_t ocwnd = tp->snd_cwnd;

				tp->snd_cwnd += (uint32_t)tp->t_dupacks * tp->t_maxseg;
				(void)tcp_output(tp);
				tp->snd_cwnd = ocwnd;
			}
			m_freem(*mp);
			*mp = NULL;
			return false;
		}
		if (seg->ack != tp->snd_una || seg->len > 0 ||
		    tiwin != tp->snd_wnd)
			tp->t_dupacks = 0;
		return true;
	}

	/* New data acknowledged. */
	acked = SEQ_SUB(seg->ack, tp->snd_una);
	tcpstat.tcps_rcvackpack++;
	tcpstat.tcps_rcvackbyte += acked;
	tp->t_lastackrecv = tcp_now();

	if ((to->to_flags & TOF_TS) && (tp->t_flags & TF_RCVD_TSTMP) &&
	    to->to_tsecr != 0) {
		uint32_t d = tcp_ts_now(tp) - to->to_tsecr;

		if (d < 3600U * 1000)
			tcp_xmit_timer(tp, d * 1000 + (d == 0 ? 100 : 0));
		tp->t_rtttime = 0;
	} else if (tp->t_rtttime != 0 && SEQ_GT(seg->ack, tp->t_rtseq)) {
		tcp_xmit_timer(tp, (uint32_t)(tcp_now() - tp->t_rtttime));
		tp->t_rtttime = 0;
	}
	tp->t_rxtshift = 0;

	if (acked > so->so_snd.sb_cc) {
		/* Our SYN or FIN is acknowledged too. */
		tp->t_bytesacked += so->so_snd.sb_cc;
		sbdrop(&so->so_snd, (int)so->so_snd.sb_cc);
		ourfinisacked = (tp->t_flags & TF_SENTFIN) != 0 &&
		    seg->ack == tp->snd_max;
	} else {
		sbdrop(&so->so_snd, (int)acked);
		tp->t_bytesacked += acked;
	}
	tp->snd_una = seg->ack;
	if (SEQ_LT(tp->snd_nxt, tp->snd_una))
		tp->snd_nxt = tp->snd_una;
	if (tp->t_flags & TF_SACK_PERMIT)
		tcp_sack_snd_update(tp, to);

	if (tp->t_flags & TF_FASTRECOVERY) {
		if (SEQ_LT(seg->ack, tp->snd_recover)) {
			if ((tp->t_flags & TF_SACK_PERMIT) &&
			    tp->snd_numsacked > 0) {
				tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_us(tp));
				*needoutput = true;
			} else
				tcp_newreno_partial(tp, acked);
		} else {
			/*
			 * Full ACK: recovery is over (RFC 6582 3.2 step 3):
			 * cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS),
			 * so an empty pipe restarts with two segments, not
			 * one that waits out the peer's delayed ACK.
			 */
			uint32_t flight = tcp_flightsize(tp);

			flight = (flight > tp->t_maxseg ? flight :
			    tp->t_maxseg) + tp->t_maxseg;

			tp->t_flags &= ~TF_FASTRECOVERY;
			tp->snd_cwnd = tp->snd_ssthresh < flight ?
			    tp->snd_ssthresh : flight;
			tp->t_cc->cc_recovered(tp);
			tcp_sack_snd_clear(tp);
			tp->t_dupacks = 0;
		}
	} else {
		tp->t_dupacks = 0;
		tp->t_cc->cc_ack(tp, acked);
	}

	if (tp->snd_una == tp->snd_max) {
		tcp_timer_disarm(tp, TCPT_REXMT);
		*needoutput = true;
	} else if (!tcp_timer_armed(tp, TCPT_PERSIST))
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_us(tp));
	if (so->so_snd.sb_cc > 0)
		*needoutput = true;
	sowwakeup(so);

	switch (tp->t_state) {
	case TCPS_FIN_WAIT_1:
		if (ourfinisacked) {
			tcp_set_state(tp, TCPS_FIN_WAIT_2);
			/* A closed socket waits for the peer's FIN no longer than 2 MSL. */
			if (so->so_state & SS_CANTRCVMORE) {
				soisdisconnected(so);
				tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl_us());
			}
		}
		break;
	case TCPS_CLOSING:
		if (ourfinisacked) {
			tcp_set_state(tp, TCPS_TIME_WAIT);
			tcp_timers_stop(tp);
			tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl_us());
			soisdisconnected(so);
		}
		break;
	case TCPS_LAST_ACK:
		if (ourfinisacked) {
			m_freem(*mp);
			*mp = NULL;
			(void)tcp_close(tp);
			return false;
		}
		break;
	default:
		break;
	}
	return true;
}

/* A new SYN for a TIME_WAIT connection (RFC 6191): may it start a new one? */
static bool
tcp_timewait_reusable(const struct tcpcb *tp, const struct tcp_seg *seg,
    const struct tcp_opt *to)
{
	if ((to->to_flags & TOF_TS) && (tp->t_flags & TF_RCVD_TSTMP))
		return TSTMP_LT(tp->ts_recent, to->to_tsval);
	return SEQ_GT(seg->seq, tp->rcv_nxt);
}

/* An IPv4 segment from ip_deliver: its header checked, then the common part. */
void
tcp_input(struct mbuf *m, int off, int proto)
{
	struct tcp_ends te;
	struct ip *ip;
	int tlen;

	(void)proto;
	KASSERT(mutex_owned(softnet_lock));
	tcpstat.tcps_rcvtotal++;

	if (m->m_len < off + (int)sizeof(struct tcphdr) &&
	    (m = m_pullup(m, off + (int)sizeof(struct tcphdr))) == NULL) {
		tcpstat.tcps_rcvshort++;
		return;
	}
	ip = mtod(m, struct ip *);
	tlen = ntohs(ip->ip_len) - off;
	if (tlen < (int)sizeof(struct tcphdr) || tlen > m->m_pkthdr.len - off) {
		tcpstat.tcps_rcvshort++;
		m_freem(m);
		return;
	}
	if ((m->m_pkthdr.csum_flags & M_CSUM_DATA_VALID) == 0 &&
	    in4_cksum(m, IPPROTO_TCP, off, tlen) != 0) {
		tcpstat.tcps_rcvbadsum++;
		m_freem(m);
		return;
	}
	memset(&te, 0, sizeof(te));
	te.te_laddr = ip->ip_dst;
	te.te_faddr = ip->ip_src;
	/* A segment to or from a broadcast or multicast address is never ours. */
	if ((m->m_flags & (M_BCAST | M_MCAST)) ||
	    IN_MULTICAST(ntohl(te.te_laddr.s_addr)) ||
	    IN_MULTICAST(ntohl(te.te_faddr.s_addr)) ||
	    te.te_faddr.s_addr == INADDR_ANY) {
		m_freem(m);
		return;
	}
	tcp_input_segment(m, off, tlen, &te);
}

void
tcp_input_segment(struct mbuf *m, int off, int tlen, const struct tcp_ends *tep)
{
	struct tcp_ends te = *tep;
	struct tcphdr *th, thh;
	struct inpcb *inp;
	struct tcpcb *tp;
	struct socket *so;
	struct tcp_opt to;
	struct tcp_seg seg;
	uint32_t tiwin;
	int thoff, todrop, rcvwnd, fin, pulled = 0;
	bool needoutput = false;
	uint64_t now;

	KASSERT(mutex_owned(softnet_lock));
	th = (struct tcphdr *)(mtod(m, char *) + off);
	thoff = th->th_off << 2;
	if (thoff < (int)sizeof(struct tcphdr) || thoff > tlen) {
		tcpstat.tcps_rcvbadoff++;
		goto drop;
	}
	if (m->m_len < off + thoff) {
		if ((m = m_pullup(m, off + thoff)) == NULL) {
			tcpstat.tcps_rcvshort++;
			return;
		}
		th = (struct tcphdr *)(mtod(m, char *) + off);
	}
	thh = *th;
	te.te_lport = th->th_dport;
	te.te_fport = th->th_sport;
	if (tcp_drop_port != 0 && (ntohs(th->th_sport) == tcp_drop_port ||
	    ntohs(th->th_dport) == tcp_drop_port)) {
		tcpstat.tcps_dropport++;
		goto drop;
	}
	seg.seq = ntohl(th->th_seq);
	seg.ack = ntohl(th->th_ack);
	seg.win = ntohs(th->th_win);
	seg.urp = ntohs(th->th_urp);
	seg.flags = th->th_flags;
	seg.len = tlen - thoff;
	memset(&to, 0, sizeof(to));
	if (thoff > (int)sizeof(struct tcphdr) &&
	    tcp_dooptions(&to, (const uint8_t *)(th + 1),
	    thoff - (int)sizeof(struct tcphdr), seg.flags) != 0)
		tcpstat.tcps_rcvbadopt++;

	/* Nonsense flag combinations are dropped without an answer. */
	if ((seg.flags & (TH_SYN | TH_FIN)) == (TH_SYN | TH_FIN) ||
	    (seg.flags & (TH_SYN | TH_RST)) == (TH_SYN | TH_RST)) {
		tcpstat.tcps_badsyn++;
		goto drop;
	}

	/* Strip the headers: m is the data, with no empty mbuf in front. */
	m_adj(m, off + thoff);
	while (m->m_len == 0 && m->m_next != NULL) {
		struct mbuf *n = m->m_next;

		m_move_pkthdr(n, m);
		m->m_next = NULL;
		m_free(m);
		m = n;
	}

findpcb:
	if (te.te_v6)
		inp = tcp6_hooks != NULL ? (*tcp6_hooks->th6_lookup)(&te) : NULL;
	else {
		inp = in_pcblookup_connect(&tcbtable, te.te_faddr,
		    te.te_fport, te.te_laddr, te.te_lport);
		if (inp == NULL)
			inp = in_pcblookup_bind(&tcbtable, te.te_laddr,
			    te.te_lport);
	}
	if (inp == NULL || (tp = intotcpcb(inp)) == NULL ||
	    tp->t_state == TCPS_CLOSED) {
		tcpstat.tcps_noport++;
		tcp_reset(&te, &seg, m);
		return;
	}
	so = inp->inp_socket;
	now = tcp_now();

	if (tp->t_state == TCPS_LISTEN) {
		bool rst = false;
		struct tcpcb *ntp;

		if (seg.flags & TH_RST) {
			tcp_syncache_rst(tp, &te, &thh);
			goto drop;
		}
		if ((seg.flags & (TH_SYN | TH_ACK)) == TH_SYN) {
			tcp_syncache_syn(tp, &te, &thh, &to, seg.len);
			goto drop;
		}
		if ((seg.flags & (TH_SYN | TH_ACK)) != TH_ACK) {
			if (seg.flags & TH_SYN) {
				tcpstat.tcps_badsyn++;
				tcp_reset(&te, &seg, m);
				return;
			}
			goto drop;
		}
		ntp = tcp_syncache_ack(tp, &te, &thh, &to, &rst);
		if (ntp == NULL) {
			if (rst) {
				tcp_reset(&te, &seg, m);
				return;
			}
			goto drop;
		}
		/* The handshake is complete: process the rest of the segment. */
		tp = ntp;
		inp = tp->t_inpcb;
		so = inp->inp_socket;
	}

	tp->t_rcvtime = now;
	tp->t_keepprobes = 0;
	tp->t_segsin++;
	if (seg.len > 0) {
		tp->t_datasegsin++;
		tp->t_lastdatarecv = now;
		if ((unsigned)seg.len > tp->t_rcvmss)
			tp->t_rcvmss = (unsigned)seg.len;
	}
	if (TCPS_HAVEESTABLISHED(tp->t_state) &&
	    tp->t_state <= TCPS_CLOSE_WAIT)
		tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle);

	tiwin = (seg.flags & TH_SYN) ? seg.win : seg.win << tp->snd_scale;

	/*
	 * Header prediction: an established connection, no special
	 * flags, the next sequence number, the same window, nothing
	 * being retransmitted.
	 */
	if (tp->t_state == TCPS_ESTABLISHED && so != NULL &&
	    (seg.flags & (TH_SYN | TH_FIN | TH_RST | TH_URG | TH_ACK)) == TH_ACK &&
	    ((to.to_flags & TOF_TS) == 0 || (tp->t_flags & TF_RCVD_TSTMP) == 0 ||
	    TSTMP_GEQ(to.to_tsval, tp->ts_recent)) &&
	    seg.seq == tp->rcv_nxt && tiwin != 0 &&
	    tp->snd_nxt == tp->snd_max &&
	    (tp->t_flags & TF_FASTRECOVERY) == 0) {
		if ((to.to_flags & TOF_TS) && (tp->t_flags & TF_RCVD_TSTMP) &&
		    SEQ_LEQ(seg.seq, tp->last_ack_sent)) {
			tp->ts_recent = to.to_tsval;
			tp->ts_recent_age = now;
		}
		if (seg.len == 0) {
			if (SEQ_GT(seg.ack, tp->snd_una) &&
			    SEQ_LEQ(seg.ack, tp->snd_max) &&
			    tp->t_dupacks == 0 && tp->snd_numsacked == 0) {
				uint32_t acked = SEQ_SUB(seg.ack, tp->snd_una);

				tcpstat.tcps_predack++;
				tcpstat.tcps_rcvackpack++;
				tcpstat.tcps_rcvackbyte += acked;
				tp->t_lastackrecv = now;
				if ((to.to_flags & TOF_TS) &&
				    (tp->t_flags & TF_RCVD_TSTMP) &&
				    to.to_tsecr != 0) {
					uint32_t d = tcp_ts_now(tp) - to.to_tsecr;

					if (d < 3600U * 1000)
						tcp_xmit_timer(tp, d * 1000 +
						    (d == 0 ? 100 : 0));
				} else if (tp->t_rtttime != 0 &&
				    SEQ_GT(seg.ack, tp->t_rtseq)) {
					tcp_xmit_timer(tp,
					    (uint32_t)(now - tp->t_rtttime));
					tp->t_rtttime = 0;
				}
				tp->t_rxtshift = 0;
				if (acked > so->so_snd.sb_cc)
					acked = (uint32_t)so->so_snd.sb_cc;
				sbdrop(&so->so_snd, (int)acked);
				tp->t_bytesacked += acked;
				tp->snd_una = seg.ack;
				/* In sequence and acknowledging: a valid window update. */
				tp->snd_wnd = tiwin;
				tp->snd_wl1 = seg.seq;
				tp->snd_wl2 = seg.ack;
				if (tiwin > tp->max_sndwnd)
					tp->max_sndwnd = tiwin;
				tp->t_cc->cc_ack(tp, acked);
				if (tp->snd_una == tp->snd_max)
					tcp_timer_disarm(tp, TCPT_REXMT);
				else if (!tcp_timer_armed(tp, TCPT_PERSIST))
					tcp_timer_arm(tp, TCPT_REXMT,
					    tcp_rexmt_us(tp));
				sowwakeup(so);
				if (so->so_snd.sb_cc > 0)
					(void)tcp_output(tp);
				m_freem(m);
				return;
			}
		} else if (seg.ack == tp->snd_una && tiwin == tp->snd_wnd &&
		    TAILQ_EMPTY(&tp->t_segq) && tp->rcv_numsacks == 0 &&
		    (long)seg.len <= sbspace(&so->so_rcv) &&
		    (so->so_state & SS_CANTRCVMORE) == 0) {
			tcpstat.tcps_preddat++;
			tcpstat.tcps_rcvpack++;
			tcpstat.tcps_rcvbyte += (uint64_t)seg.len;
			tp->t_bytesreceived += (uint64_t)seg.len;
			tp->rcv_nxt += (tcp_seq)seg.len;
			if (SEQ_GT(tp->rcv_nxt, tp->rcv_up))
				tp->rcv_up = tp->rcv_nxt;
			sbappendstream(&so->so_rcv, m);
			sorwakeup(so);
			tcp_delack(tp);
			if (tp->t_flags & TF_ACKNOW)
				(void)tcp_output(tp);
			return;
		}
	}

	switch (tp->t_state) {
	case TCPS_SYN_SENT:
		if ((seg.flags & TH_ACK) &&
		    (SEQ_LEQ(seg.ack, tp->iss) || SEQ_GT(seg.ack, tp->snd_max))) {
			if (seg.flags & TH_RST)
				goto drop;
			tcp_reset(&te, &seg, m);
			return;
		}
		if (seg.flags & TH_RST) {
			if (seg.flags & TH_ACK)
				(void)tcp_drop(tp, ECONNREFUSED);
			goto drop;
		}
		if ((seg.flags & TH_SYN) == 0)
			goto drop;
		tcp_syn_options(tp, &to);
		tp->irs = seg.seq;
		tp->rcv_nxt = seg.seq + 1;
		tp->rcv_adv = tp->rcv_nxt;
		tp->rcv_up = tp->rcv_nxt;
		tp->snd_wnd = tiwin;
		tp->max_sndwnd = tiwin;
		tp->snd_wl1 = seg.seq;
		tp->t_flags |= TF_ACKNOW;
		if (seg.flags & TH_ACK) {
			tp->snd_una = seg.ack;
			tp->snd_wl2 = seg.ack;
			if (SEQ_LT(tp->snd_nxt, tp->snd_una))
				tp->snd_nxt = tp->snd_una;
			if (tp->t_rtttime != 0 && (to.to_flags & TOF_TS) == 0)
				tcp_xmit_timer(tp,
				    (uint32_t)(now - tp->t_rtttime));
			else if ((to.to_flags & TOF_TS) && to.to_tsecr != 0) {
				uint32_t d = tcp_ts_now(tp) - to.to_tsecr;

				if (d < 3600U * 1000)
					tcp_xmit_timer(tp, d * 1000 + 100);
			}
			tp->t_rtttime = 0;
			tcp_timer_disarm(tp, TCPT_REXMT);
			tcp_established(tp);
			if (tp->t_flags & TF_NEEDFIN) {
				tcp_set_state(tp, TCPS_FIN_WAIT_1);
				tp->t_flags &= ~TF_NEEDFIN;
			}
		} else {
			/* Simultaneous open (RFC 9293 3.5 figure 7): SYN-ACK from here. */
			tcp_set_state(tp, TCPS_SYN_RECEIVED);
			tp->snd_nxt = tp->snd_una;
			tcp_timer_disarm(tp, TCPT_REXMT);
		}
		/* Data on a SYN is not kept; the peer sends it again. */
		m_freem(m);
		(void)tcp_output(tp);
		return;
	default:
		break;
	}

	/* TIME_WAIT: a new SYN may reuse the four-tuple (RFC 6191). */
	if (tp->t_state == TCPS_TIME_WAIT &&
	    (seg.flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN &&
	    tcp_timewait_reusable(tp, &seg, &to)) {
		tcpstat.tcps_timewaitreuse++;
		(void)tcp_close(tp);
		goto findpcb;
	}

	/* PAWS (RFC 7323 5.3). */
	if ((to.to_flags & TOF_TS) && (tp->t_flags & TF_RCVD_TSTMP) &&
	    (seg.flags & TH_RST) == 0 && tp->ts_recent != 0 &&
	    TSTMP_LT(to.to_tsval, tp->ts_recent)) {
		if (now - tp->ts_recent_age > TCP_PAWS_IDLE)
			tp->ts_recent = 0;
		else {
			tcpstat.tcps_pawsdrop++;
			goto dropafterack;
		}
	}

	rcvwnd = so != NULL ? (int)sbspace(&so->so_rcv) : 0;
	if (rcvwnd < 0)
		rcvwnd = 0;
	if (rcvwnd < (int)SEQ_SUB(tp->rcv_adv, tp->rcv_nxt) &&
	    SEQ_GT(tp->rcv_adv, tp->rcv_nxt))
		rcvwnd = (int)SEQ_SUB(tp->rcv_adv, tp->rcv_nxt);

	/* RST (RFC 5961 3.2): exactly rcv_nxt resets; in window, a challenge. */
	if (seg.flags & TH_RST) {
		if (seg.seq == tp->rcv_nxt ||
		    (tp->t_state == TCPS_SYN_RECEIVED && seg.seq == tp->irs + 1)) {
			switch (tp->t_state) {
			case TCPS_SYN_RECEIVED:
				if (so != NULL)
					so->so_error = ECONNREFUSED;
				break;
			case TCPS_ESTABLISHED:
			case TCPS_FIN_WAIT_1:
			case TCPS_FIN_WAIT_2:
			case TCPS_CLOSE_WAIT:
				if (so != NULL)
					so->so_error = ECONNRESET;
				break;
			default:
				break;
			}
			if (TCPS_HAVEESTABLISHED(tp->t_state))
				tcpstat.tcps_drops++;
			else
				tcpstat.tcps_conndrops++;
			(void)tcp_close(tp);
		} else if (SEQ_GT(seg.seq, tp->rcv_nxt) &&
		    SEQ_LT(seg.seq, tp->rcv_nxt + (tcp_seq)(rcvwnd > 0 ? rcvwnd : 1)))
			tcp_challenge_ack(tp);
		else
			tcpstat.tcps_badrst++;
		goto drop;
	}

	/* Trim what we already have from the front (RFC 9293 3.10.7.4, first). */
	todrop = (int)(tp->rcv_nxt - seg.seq);
	if (todrop > 0) {
		if (seg.flags & TH_SYN) {
			seg.flags &= ~TH_SYN;
			seg.seq++;
			if (seg.urp > 1)
				seg.urp--;
			else
				seg.flags &= ~TH_URG;
			todrop--;
		}
		if (todrop > seg.len ||
		    (todrop == seg.len && (seg.flags & TH_FIN) == 0)) {
			/* All old: answer with an ACK so the peer resyncs. */
			seg.flags &= ~TH_FIN;
			tp->t_flags |= TF_ACKNOW;
			todrop = seg.len;
			if (seg.len > 0) {
				tcpstat.tcps_rcvduppack++;
				tcpstat.tcps_rcvdupbyte += (uint64_t)seg.len;
			}
		} else if (todrop > 0) {
			tcpstat.tcps_rcvpartduppack++;
		}
		if (todrop > 0) {
			m_adj(m, todrop);
			seg.seq += (tcp_seq)todrop;
			seg.len -= todrop;
			if (seg.urp > todrop)
				seg.urp = (uint16_t)(seg.urp - todrop);
			else {
				seg.flags &= ~TH_URG;
				seg.urp = 0;
			}
		}
	}

	/* SYN in a synchronised state (RFC 5961 4.2): a challenge ACK. */
	if (seg.flags & TH_SYN) {
		tcpstat.tcps_synignored++;
		tcp_challenge_ack(tp);
		goto drop;
	}

	/* Data for a socket that is gone: the peer learns by RST. */
	if ((so == NULL || (so->so_state & SS_NOFDREF)) &&
	    tp->t_state > TCPS_CLOSE_WAIT && seg.len > 0) {
		tcpstat.tcps_rcvafterclose++;
		(void)tcp_close(tp);
		tcp_reset(&te, &seg, m);
		return;
	}

	/* Trim what lies beyond the window. */
	todrop = (int)((seg.seq + (tcp_seq)seg.len) - (tp->rcv_nxt + (tcp_seq)rcvwnd));
	if (todrop > 0) {
		tcpstat.tcps_rcvpackafterwin++;
		if (todrop >= seg.len) {
			/*
			 * A closed window still takes the segment's ACK
			 * (RFC 9293 3.10.7.4): the data goes, the ACK and
			 * window are processed, and we answer.
			 */
			if (rcvwnd == 0) {
				if (seg.seq == tp->rcv_nxt)
					tcpstat.tcps_rcvwinprobe++;
				tp->t_flags |= TF_ACKNOW;
			} else if (seg.len > 0 || (seg.flags & TH_FIN))
				goto dropafterack;
		}
		if (todrop > seg.len)
			todrop = seg.len;
		m_adj(m, -todrop);
		seg.len -= todrop;
		seg.flags &= ~(TH_PUSH | TH_FIN);
	}

	/* RFC 7323 4.3: remember the timestamp of the segment at the left edge. */
	if ((to.to_flags & TOF_TS) && (tp->t_flags & TF_RCVD_TSTMP) &&
	    SEQ_LEQ(seg.seq, tp->last_ack_sent) &&
	    SEQ_LEQ(tp->last_ack_sent, seg.seq + (tcp_seq)seg.len +
	    ((seg.flags & TH_FIN) ? 1 : 0))) {
		tp->ts_recent = to.to_tsval;
		tp->ts_recent_age = now;
	}

	if ((seg.flags & TH_ACK) == 0)
		goto drop;

	if (tp->t_state == TCPS_SYN_RECEIVED) {
		if (SEQ_LEQ(seg.ack, tp->snd_una) || SEQ_GT(seg.ack, tp->snd_max)) {
			tcp_reset(&te, &seg, m);
			return;
		}
		tp->snd_wnd = tiwin;
		tp->max_sndwnd = tiwin;
		tp->snd_wl1 = seg.seq;
		tp->snd_wl2 = seg.ack;
		tcp_established(tp);
		if (tp->t_flags & TF_NEEDFIN) {
			tcp_set_state(tp, TCPS_FIN_WAIT_1);
			tp->t_flags &= ~TF_NEEDFIN;
		}
	}

	if (so == NULL) {
		/* A socketless TIME_WAIT: acknowledge a resent FIN, restart 2MSL. */
		if (seg.flags & TH_FIN) {
			tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl_us());
			goto dropafterack;
		}
		goto drop;
	}

	if (!tcp_ack(tp, so, &seg, &to, tiwin, &m, &needoutput))
		return;

	/* Window update (RFC 9293 3.10.7.4, fifth, SND.WL1/WL2). */
	if (SEQ_LT(tp->snd_wl1, seg.seq) ||
	    (tp->snd_wl1 == seg.seq && (SEQ_LT(tp->snd_wl2, seg.ack) ||
	    (tp->snd_wl2 == seg.ack && tiwin > tp->snd_wnd)))) {
		if (seg.len == 0 && tp->snd_wl2 == seg.ack && tiwin > tp->snd_wnd)
			tcpstat.tcps_rcvwinupd++;
		if (tiwin > tp->snd_wnd)
			needoutput = true;
		tp->snd_wnd = tiwin;
		tp->snd_wl1 = seg.seq;
		tp->snd_wl2 = seg.ack;
		if (tp->snd_wnd > tp->max_sndwnd)
			tp->max_sndwnd = tp->snd_wnd;
	}

	/* Urgent data (RFC 9293 3.10.7.4, sixth; RFC 6093). */
	if ((seg.flags & TH_URG) && seg.urp > 0 &&
	    !TCPS_HAVERCVDFIN(tp->t_state)) {
		tcp_seq up = seg.seq + seg.urp;

		if (SEQ_GT(up, tp->rcv_up)) {
			tp->rcv_up = up;
			/* The urgent byte is the one before the pointer. */
			so->so_oobmark = so->so_rcv.sb_cc +
			    SEQ_SUB(tp->rcv_up, tp->rcv_nxt) - 1;
			if (so->so_oobmark == 0)
				so->so_state |= SS_RCVATMARK;
			sohasoutofband(so);
			tp->t_oobflags &= ~(TCPOOB_HAVEDATA | TCPOOB_HADDATA);
		}
		/* Only from in-order data: the byte leaves the stream, not the sequence. */
		if (seg.urp <= seg.len && seg.seq == tp->rcv_nxt &&
		    TAILQ_EMPTY(&tp->t_segq) &&
		    (so->so_options & SOF_OOBINLINE) == 0 &&
		    tp->rcv_up == up) {
			tcp_pulloutofband(so, tp, m, seg.urp - 1);
			seg.len--;
			pulled = 1;
		}
	} else if (SEQ_GT(tp->rcv_nxt, tp->rcv_up))
		tp->rcv_up = tp->rcv_nxt;

	/* Data and FIN (RFC 9293 3.10.7.4, seventh and eighth). */
	fin = seg.flags & TH_FIN;
	if ((seg.len > 0 || fin || pulled) && !TCPS_HAVERCVDFIN(tp->t_state)) {
		if (seg.seq == tp->rcv_nxt && TAILQ_EMPTY(&tp->t_segq) &&
		    TCPS_HAVEESTABLISHED(tp->t_state)) {
			tp->rcv_nxt += (tcp_seq)pulled;
			if (seg.len > 0) {
				tcp_delack(tp);
				tcpstat.tcps_rcvpack++;
				tcpstat.tcps_rcvbyte += (uint64_t)seg.len;
				tp->t_bytesreceived += (uint64_t)seg.len;
				tp->rcv_nxt += (tcp_seq)seg.len;
				if (so->so_state & SS_CANTRCVMORE)
					m_freem(m);
				else
					sbappendstream(&so->so_rcv, m);
				sorwakeup(so);
			} else {
				m_freem(m);
				if (pulled)
					tcp_delack(tp);
			}
			m = NULL;
		} else {
			if (seg.len > 0) {
				tcpstat.tcps_rcvbyte += (uint64_t)seg.len;
				tp->t_bytesreceived += (uint64_t)seg.len;
			}
			fin = tcp_reass(tp, so, seg.seq, seg.len, fin, m);
			m = NULL;
			tp->t_quickack = TCP_QUICKACKS;
			/* Out of order or filling a hole: ACK at once (RFC 5681 4.2). */
			tp->t_flags |= TF_ACKNOW;
		}
	} else {
		fin = 0;
		m_freem(m);
		m = NULL;
	}

	if (fin) {
		if (!TCPS_HAVERCVDFIN(tp->t_state)) {
			socantrcvmore(so);
			tp->rcv_nxt++;
		}
		tp->t_flags |= TF_ACKNOW;
		switch (tp->t_state) {
		case TCPS_SYN_RECEIVED:
		case TCPS_ESTABLISHED:
			tcp_set_state(tp, TCPS_CLOSE_WAIT);
			break;
		case TCPS_FIN_WAIT_1:
			tcp_set_state(tp, TCPS_CLOSING);
			break;
		case TCPS_FIN_WAIT_2:
			tcp_set_state(tp, TCPS_TIME_WAIT);
			tcp_timers_stop(tp);
			tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl_us());
			soisdisconnected(so);
			break;
		case TCPS_TIME_WAIT:
			tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl_us());
			break;
		default:
			break;
		}
	}

	if (needoutput || (tp->t_flags & TF_ACKNOW))
		(void)tcp_output(tp);
	return;

dropafterack:
	if (seg.flags & TH_RST)
		goto drop;
	m_freem(m);
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
	return;

drop:
	m_freem(m);
}
