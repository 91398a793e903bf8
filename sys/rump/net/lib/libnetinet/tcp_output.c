/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Segment departure: tcp_output decides whether a segment is due and
 * sends it, in a loop while more is due.  It is called after a send(2),
 * after the reader took data (a window update), after input that needs
 * an answer, and from the timers.  It runs under softnet_lock in the
 * caller's thread down to the interface.
 *
 * What goes (RFC 9293 3.8.6, RFC 1122 4.2.3.4):
 * - data up to min(peer window, congestion window) past snd_nxt, a
 *   full segment at a time; a short segment only when it empties the
 *   buffer and nothing is unacknowledged (Nagle) or TCP_NODELAY is set
 *   (and TCP_CORK is not), when it fills half the largest window the
 *   peer offered (sender silly-window avoidance), or when it is a
 *   retransmission or a window probe;
 * - in SACK recovery, the holes first (tcp_sack_nextseg) while the pipe
 *   is under cwnd (RFC 6675 5);
 * - a window update when the window we could offer grew by two segments
 *   or half the buffer (receiver silly-window avoidance);
 * - an ACK when one is owed now (TF_ACKNOW; delayed ones come from the
 *   DELACK timer), SYN, FIN, RST, urgent data.
 * Data is not copied: the segment's data is m_copym of the send buffer
 * (clusters shared), or, when small, copied into the header mbuf.  On a
 * loopback route the checksum is not computed: the packet is marked
 * M_CSUM_DATA_VALID and stays inside this kernel.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/socketvar.h>

#include <net/if.h>
#include <net/route.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

/* Leading room left in a header mbuf for the link layer's header. */
#define TCP_LINKHDR_ROOM 64

/* The flags a segment carries in each state (RFC 9293 3.10). */
static const uint8_t tcp_outflags[TCP_NSTATES] = {
	[TCPS_CLOSED] = TH_RST | TH_ACK,
	[TCPS_LISTEN] = 0,
	[TCPS_SYN_SENT] = TH_SYN,
	[TCPS_SYN_RECEIVED] = TH_SYN | TH_ACK,
	[TCPS_ESTABLISHED] = TH_ACK,
	[TCPS_CLOSE_WAIT] = TH_ACK,
	[TCPS_FIN_WAIT_1] = TH_FIN | TH_ACK,
	[TCPS_CLOSING] = TH_FIN | TH_ACK,
	[TCPS_LAST_ACK] = TH_FIN | TH_ACK,
	[TCPS_FIN_WAIT_2] = TH_ACK,
	[TCPS_TIME_WAIT] = TH_ACK,
};

/* The least shift that lets us advertise hiwat (at least 1 MiB) bytes. */
uint8_t
tcp_wscale_for(unsigned long hiwat)
{
	uint8_t s = 0;

	if (hiwat < 1024 * 1024)
		hiwat = 1024 * 1024;
	while (s < TCP_MAXWINSHIFT && ((unsigned long)TCP_MAXWIN << s) < hiwat)
		s++;
	return s;
}

/*
 * The options of a SYN or SYN-ACK: MSS; window scale (wscale >= 0);
 * SACK permitted; timestamps.  Padded to 4 bytes with NOPs.
 */
int
tcp_synopts(uint8_t *opt, unsigned mss, int wscale, bool sack, bool ts,
    uint32_t tsval, uint32_t tsecr)
{
	int n = 0;
	uint32_t v;

	opt[n++] = TCPOPT_MAXSEG;
	opt[n++] = TCPOLEN_MAXSEG;
	opt[n++] = (uint8_t)(mss >> 8);
	opt[n++] = (uint8_t)mss;
	if (wscale >= 0) {
		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_WINDOW;
		opt[n++] = TCPOLEN_WINDOW;
		opt[n++] = (uint8_t)wscale;
	}
	if (sack && ts) {
		opt[n++] = TCPOPT_SACK_PERMITTED;
		opt[n++] = TCPOLEN_SACK_PERMITTED;
	} else if (sack) {
		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_SACK_PERMITTED;
		opt[n++] = TCPOLEN_SACK_PERMITTED;
	} else if (ts) {
		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_NOP;
	}
	if (ts) {
		opt[n++] = TCPOPT_TIMESTAMP;
		opt[n++] = TCPOLEN_TIMESTAMP;
		v = htonl(tsval);
		memcpy(opt + n, &v, 4);
		v = htonl(tsecr);
		memcpy(opt + n + 4, &v, 4);
		n += 8;
	}
	return n;
}

/* Arm the persist timer with its backoff (RFC 9293 3.8.6.1). */
void
tcp_setpersist(struct tcpcb *tp)
{
	uint64_t t = tp->t_srtt != 0 ? tp->t_srtt + 4 * (uint64_t)tp->t_rttvar :
	    TCPTV_INITRTO;

	KASSERT(!tcp_timer_armed(tp, TCPT_REXMT));
	t <<= tp->t_persistshift;
	if (t < TCPTV_PERSMIN)
		t = TCPTV_PERSMIN;
	if (t > TCPTV_PERSMAX)
		t = TCPTV_PERSMAX;
	tcp_timer_arm(tp, TCPT_PERSIST, t);
	if (tp->t_persistshift < TCP_MAXRXTSHIFT)
		tp->t_persistshift++;
}

/* The window to advertise, in bytes, before scaling. */
static long
tcp_rcvwin(struct tcpcb *tp, struct socket *so)
{
	long win = sbspace(&so->so_rcv);

	if (win < 0)
		win = 0;
	/* RFC 9293 3.8.6.2.2: no tiny windows. */
	if (win < (long)(so->so_rcv.sb_hiwat / 4) && win < (long)tp->t_ourmss)
		win = 0;
	if (win > (long)TCP_MAXWIN << tp->rcv_scale)
		win = (long)TCP_MAXWIN << tp->rcv_scale;
	/* Never take back what we offered (RFC 9293 3.8.6.2.1). */
	if (SEQ_GT(tp->rcv_adv, tp->rcv_nxt) &&
	    win < (long)SEQ_SUB(tp->rcv_adv, tp->rcv_nxt))
		win = (long)SEQ_SUB(tp->rcv_adv, tp->rcv_nxt);
	return win;
}

int
tcp_output(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	struct socket *so = inp->inp_socket;
	struct mbuf *m;
	struct tcphdr *th;
	uint8_t opt[TCP_MAXOLEN];
	long len, win, off, sendwin, usable;
	int flags, optlen, hdrlen, iphlen, error, sendalot;
	bool idle, rexmit_sack, loop, v6 = (inp->inp_flags & INP_IPV6) != 0;
	tcp_seq sendseq;
	uint32_t rlen = 0;

	KASSERT(mutex_owned(softnet_lock));
	if (so == NULL) {
		/* A socketless TIME_WAIT: only ACKs. */
		if (tp->t_flags & TF_ACKNOW) {
			tp->t_flags &= ~(TF_ACKNOW | TF_DELACK);
			tcp_respond(tp, NULL, tp->snd_max, tp->rcv_nxt, TH_ACK);
		}
		return 0;
	}
	loop = tcp_route_is_loop(inp);

again:
	/* Resending after a timeout: skip what the peer has SACKed. */
	if (tp->snd_numsacked > 0 && SEQ_LT(tp->snd_nxt, tp->snd_max) &&
	    (tp->t_flags & TF_FASTRECOVERY) == 0) {
		int i;

		for (i = 0; i < tp->snd_numsacked; i++)
			if (SEQ_GEQ(tp->snd_nxt, tp->snd_sacked[i].start) &&
			    SEQ_LT(tp->snd_nxt, tp->snd_sacked[i].end))
				tp->snd_nxt = tp->snd_sacked[i].end;
	}
	idle = tp->snd_max == tp->snd_una;
	sendalot = 0;
	rexmit_sack = false;
	sendseq = tp->snd_nxt;
	off = (long)SEQ_SUB(tp->snd_nxt, tp->snd_una);
	sendwin = tp->snd_wnd < tp->snd_cwnd ? tp->snd_wnd : tp->snd_cwnd;
	flags = tcp_outflags[tp->t_state];

	if ((tp->t_flags & (TF_FASTRECOVERY | TF_SACK_PERMIT)) ==
	    (TF_FASTRECOVERY | TF_SACK_PERMIT) && tp->snd_numsacked > 0) {
		uint32_t pipe = tcp_sack_pipe(tp);
		tcp_seq rseq;

		/*
		 * RFC 6675 5 (C): while the pipe is under cwnd, the next
		 * hole, else new data up to cwnd - pipe past snd_nxt.
		 */
		if (pipe >= tp->snd_cwnd)
			sendwin = off;
		else if (tcp_sack_nextseg(tp, &rseq, &rlen)) {
			rexmit_sack = true;
			sendseq = rseq;
			off = (long)SEQ_SUB(rseq, tp->snd_una);
		} else {
			sendwin = off + (long)(tp->snd_cwnd - pipe);
			if (sendwin > (long)tp->snd_wnd)
				sendwin = (long)tp->snd_wnd;
		}
	}

	if (tp->t_flags & TF_FORCEDATA) {
		if (sendwin == 0) {
			if (off < (long)so->so_snd.sb_cc)
				flags &= ~TH_FIN;
			sendwin = 1;
		} else {
			tcp_timer_disarm(tp, TCPT_PERSIST);
			tp->t_persistshift = 0;
		}
	}

	if (rexmit_sack) {
		len = (long)rlen;
		if (off + len > (long)so->so_snd.sb_cc)
			len = (long)so->so_snd.sb_cc - off;
		if (len <= 0)
			rexmit_sack = false;
	}
	if (!rexmit_sack) {
		len = (long)(so->so_snd.sb_cc < (u_long)sendwin ?
		    so->so_snd.sb_cc : (u_long)sendwin) - off;
	}

	/* No data rides on a SYN, nor before the handshake is over. */
	if (tp->t_state == TCPS_SYN_SENT || tp->t_state == TCPS_SYN_RECEIVED) {
		len = 0;
		if (SEQ_GT(tp->snd_nxt, tp->snd_una))
			flags &= ~TH_SYN;
	}
	if (flags & TH_RST)
		len = 0;

	if (len < 0) {
		/* The window shrank over data already sent. */
		len = 0;
		if (sendwin == 0) {
			tcp_timer_disarm(tp, TCPT_REXMT);
			tp->t_rxtshift = 0;
			tp->snd_nxt = tp->snd_una;
			if (!tcp_timer_armed(tp, TCPT_PERSIST))
				tcp_setpersist(tp);
		}
	}

	/* Options, to size the data. */
	optlen = 0;
	if (flags & TH_SYN) {
		unsigned mss = tcp_mss_for(inp);
		bool ts, sack;
		int ws = -1;

		if (tp->t_usermss != 0 && tp->t_usermss < mss)
			mss = tp->t_usermss;
		if (mss > 65535)
			mss = 65535;
		tp->t_ourmss = mss;
		if (tp->t_state == TCPS_SYN_SENT) {
			ts = (tp->t_flags & TF_REQ_TSTMP) != 0;
			sack = (tp->t_flags & TF_WANT_SACK) != 0;
			if (tp->t_flags & TF_REQ_SCALE)
				ws = tp->request_r_scale;
		} else {
			ts = (tp->t_flags & (TF_REQ_TSTMP | TF_RCVD_TSTMP)) ==
			    (TF_REQ_TSTMP | TF_RCVD_TSTMP);
			sack = (tp->t_flags & TF_SACK_PERMIT) != 0;
			if ((tp->t_flags & (TF_REQ_SCALE | TF_RCVD_SCALE)) ==
			    (TF_REQ_SCALE | TF_RCVD_SCALE))
				ws = tp->request_r_scale;
		}
		optlen = tcp_synopts(opt, mss, ws, sack, ts, tcp_ts_now(tp),
		    tp->ts_recent);
	} else {
		if ((tp->t_flags & (TF_REQ_TSTMP | TF_RCVD_TSTMP)) ==
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
		if ((tp->t_flags & TF_SACK_PERMIT) && tp->rcv_numsacks > 0 &&
		    (flags & TH_RST) == 0)
			optlen += tcp_sack_rcv_opts(tp, opt + optlen,
			    TCP_MAXOLEN - optlen);
	}
	/* t_maxseg already allows for timestamps; SACK blocks take from the data. */
	usable = (long)tp->t_maxseg;
	if (optlen > TCPOLEN_TSTAMP_APPA && (flags & TH_SYN) == 0)
		usable -= optlen - ((tp->t_flags & TF_RCVD_TSTMP) ?
		    TCPOLEN_TSTAMP_APPA : 0);
	if (len > usable) {
		len = usable;
		sendalot = 1;
	}
	/* In SACK recovery, go on while the pipe has room (RFC 6675 5 (C)). */
	if ((tp->t_flags & (TF_FASTRECOVERY | TF_SACK_PERMIT)) ==
	    (TF_FASTRECOVERY | TF_SACK_PERMIT) && len > 0)
		sendalot = 1;
	if (!rexmit_sack &&
	    SEQ_LT(tp->snd_nxt + (tcp_seq)len, tp->snd_una + (tcp_seq)so->so_snd.sb_cc))
		flags &= ~TH_FIN;
	if (rexmit_sack)
		flags &= ~TH_FIN;

	win = tcp_rcvwin(tp, so);

	if (len > 0) {
		if (rexmit_sack || len == usable)
			goto send;
		if ((idle || (tp->t_flags & TF_NODELAY)) &&
		    (tp->t_flags & TF_CORK) == 0 &&
		    len + off >= (long)so->so_snd.sb_cc)
			goto send;
		if (tp->t_flags & TF_FORCEDATA)
			goto send;
		if (tp->max_sndwnd > 0 && len >= (long)tp->max_sndwnd / 2 &&
		    (tp->t_flags & TF_CORK) == 0)
			goto send;
		if (SEQ_LT(tp->snd_nxt, tp->snd_max))
			goto send;
	}
	if (win > 0 && TCPS_HAVERCVDSYN(tp->t_state) &&
	    !TCPS_HAVERCVDFIN(tp->t_state)) {
		long adv = win - (long)SEQ_SUB(tp->rcv_adv, tp->rcv_nxt);

		if (adv >= 2 * (long)tp->t_ourmss ||
		    2 * adv >= (long)so->so_rcv.sb_hiwat) {
			tcpstat.tcps_sndwinup++;
			goto send;
		}
	}
	if (tp->t_flags & TF_ACKNOW)
		goto send;
	if (flags & (TH_SYN | TH_RST))
		goto send;
	if (SEQ_GT(tp->snd_up, tp->snd_una))
		goto send;
	if ((flags & TH_FIN) &&
	    ((tp->t_flags & TF_SENTFIN) == 0 || tp->snd_nxt == tp->snd_una))
		goto send;

	/* Nothing now: data waiting on a closed window needs the persist timer. */
	if (so->so_snd.sb_cc > 0 && !tcp_timer_armed(tp, TCPT_REXMT) &&
	    !tcp_timer_armed(tp, TCPT_PERSIST)) {
		tp->t_rxtshift = 0;
		tcp_setpersist(tp);
	}
	return 0;

send:
	if (v6 && tcp6_hooks == NULL)
		return EAFNOSUPPORT;
	iphlen = (int)TCP_IPHLEN(v6);
	hdrlen = iphlen + (int)sizeof(struct tcphdr) + optlen;
	m = m_gethdr(M_DONTWAIT, MT_HEADER);
	if (m == NULL)
		goto nobufs;
	m->m_data += TCP_LINKHDR_ROOM;
	if (len > 0) {
		if (len <= MHLEN - TCP_LINKHDR_ROOM - hdrlen) {
			m_copydata(so->so_snd.sb_mb, (int)off, (int)len,
			    mtod(m, char *) + hdrlen);
			m->m_len = hdrlen + (int)len;
		} else {
			m->m_next = m_copym(so->so_snd.sb_mb, (int)off, (int)len,
			    M_DONTWAIT);
			if (m->m_next == NULL) {
				m_freem(m);
				goto nobufs;
			}
			m->m_len = hdrlen;
		}
		if (rexmit_sack || SEQ_LT(tp->snd_nxt, tp->snd_max)) {
			tcpstat.tcps_sndrexmitpack++;
			tcpstat.tcps_sndrexmitbyte += (uint64_t)len;
			tp->t_bytesretrans += (uint64_t)len;
			tp->t_totalretrans++;
			if (rexmit_sack)
				tcpstat.tcps_sack_rexmits++;
		} else {
			tcpstat.tcps_sndpack++;
			tcpstat.tcps_sndbyte += (uint64_t)len;
		}
		if (tp->t_flags & TF_FORCEDATA && tp->snd_wnd == 0)
			tcpstat.tcps_sndprobe++;
		tp->t_datasegsout++;
		tp->t_bytessent += (uint64_t)len;
		tp->t_lastdatasent = tcp_now();
		/* The segment ends the buffer: ask for prompt delivery. */
		if (off + len == (long)so->so_snd.sb_cc)
			flags |= TH_PUSH;
	} else {
		m->m_len = hdrlen;
		if (flags & (TH_SYN | TH_FIN | TH_RST))
			tcpstat.tcps_sndctrl++;
		else if (SEQ_GT(tp->snd_up, tp->snd_una))
			tcpstat.tcps_sndurg++;
		else
			tcpstat.tcps_sndacks++;
	}
	m->m_pkthdr.len = hdrlen + (int)len;
	m->m_pkthdr.rcvif = NULL;

	/* Resending a FIN that was sent: it has the sequence number before snd_max. */
	if ((flags & TH_FIN) && (tp->t_flags & TF_SENTFIN) &&
	    tp->snd_nxt == tp->snd_max && !rexmit_sack) {
		tp->snd_nxt--;
		sendseq = tp->snd_nxt;
	}

	memset(mtod(m, void *), 0, (size_t)iphlen);
	if (v6) {
		struct ip6_hdr *ip6 = mtod(m, struct ip6_hdr *);

		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_src = inp->inp_laddr6;
		ip6->ip6_dst = inp->inp_faddr6;
	} else {
		struct ip *ip = mtod(m, struct ip *);

		ip->ip_src = inp->inp_laddr;
		ip->ip_dst = inp->inp_faddr;
		ip->ip_p = IPPROTO_TCP;
		ip->ip_len = htons((uint16_t)(hdrlen + len));
		ip->ip_ttl = inp->inp_ttl != 0 ? inp->inp_ttl :
		    (uint8_t)ip_defttl;
		ip->ip_tos = inp->inp_tos;
	}

	th = (struct tcphdr *)(mtod(m, char *) + iphlen);
	th->th_sport = inp->inp_lport;
	th->th_dport = inp->inp_fport;
	/* A bare ACK says snd_max, unless resending from snd_nxt. */
	if (len > 0 || (flags & (TH_SYN | TH_FIN)) ||
	    tcp_timer_armed(tp, TCPT_PERSIST) || rexmit_sack)
		th->th_seq = htonl(sendseq);
	else
		th->th_seq = htonl(tp->snd_max);
	th->th_ack = htonl(tp->rcv_nxt);
	th->th_x2 = 0;
	th->th_off = (uint8_t)((sizeof(struct tcphdr) + (size_t)optlen) >> 2);
	if (optlen > 0)
		memcpy(th + 1, opt, (size_t)optlen);

	if (flags & TH_RST)
		win = 0;
	if (flags & TH_SYN)
		th->th_win = htons((uint16_t)(win > TCP_MAXWIN ? TCP_MAXWIN : win));
	else
		th->th_win = htons((uint16_t)(win >> tp->rcv_scale));
	if ((flags & TH_ACK) == 0)
		th->th_ack = 0;

	th->th_urp = 0;
	if (SEQ_GT(tp->snd_up, sendseq)) {
		uint32_t urp = SEQ_SUB(tp->snd_up, sendseq);

		th->th_urp = htons((uint16_t)(urp > 65535 ? 65535 : urp));
		flags |= TH_URG;
	} else
		tp->snd_up = tp->snd_una;
	th->th_flags = (uint8_t)flags;

	th->th_sum = 0;
	m->m_pkthdr.csum_flags = 0;
	/* lo0 marks what it delivers M_CSUM_DATA_VALID; IPv6's is made there. */
	if (!loop && !v6)
		th->th_sum = in4_cksum(m, IPPROTO_TCP, sizeof(struct ip),
		    (int)(hdrlen - (int)sizeof(struct ip) + len));

	/* Sequence bookkeeping (RST and persist probes excepted). */
	if (rexmit_sack) {
		tp->sack_rxmit = sendseq + (tcp_seq)len;
	} else if ((flags & TH_RST) == 0) {
		tcp_seq startseq = tp->snd_nxt;

		if (flags & TH_SYN)
			tp->snd_nxt++;
		if (flags & TH_FIN) {
			tp->snd_nxt++;
			tp->t_flags |= TF_SENTFIN;
		}
		tp->snd_nxt += (tcp_seq)len;
		if (SEQ_GT(tp->snd_nxt, tp->snd_max)) {
			tp->snd_max = tp->snd_nxt;
			/* Time one segment per round trip (Karn: never a resent one). */
			if (tp->t_rtttime == 0) {
				tp->t_rtttime = tcp_now();
				tp->t_rtseq = startseq;
			}
		}
		if (!tcp_timer_armed(tp, TCPT_REXMT) &&
		    tp->snd_nxt != tp->snd_una &&
		    !((tp->t_flags & TF_FORCEDATA) && tp->snd_wnd == 0)) {
			if (tcp_timer_armed(tp, TCPT_PERSIST)) {
				tcp_timer_disarm(tp, TCPT_PERSIST);
				tp->t_persistshift = 0;
			}
			tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_us(tp));
		}
	}

	if (win > 0 && SEQ_GT(tp->rcv_nxt + (tcp_seq)win, tp->rcv_adv))
		tp->rcv_adv = tp->rcv_nxt + (tcp_seq)win;
	tp->last_ack_sent = tp->rcv_nxt;
	tp->t_flags &= ~(TF_ACKNOW | TF_DELACK);
	if (tcp_timer_armed(tp, TCPT_DELACK))
		tcp_timer_disarm(tp, TCPT_DELACK);
	tp->t_segsout++;
	tcpstat.tcps_sndtotal++;

	if (v6) {
		error = (*tcp6_hooks->th6_output)(m, inp, inp->inp_fscope);
		if (error == EMSGSIZE) {
			tcp_mtudisc(inp, (int)(*tcp6_hooks->th6_pathmtu)(
			    &inp->inp_faddr6, inp->inp_fscope));
			return 0;
		}
	} else
		error = ip_output(m, &inp->inp_route,
		    inp->inp_pmtudisc != IP_PMTUDISC_DONT ? IP_MTUDISC : 0,
		    NULL, inp);
	if (error == EMSGSIZE) {
		struct rtentry *rt = in_route_get(&inp->inp_route, inp->inp_faddr);

		if (rt != NULL)
			tcp_mtudisc(inp, (int)ip_rtmtu(rt));
		return 0;
	}
	if (error != 0 && error != ENOBUFS && TCPS_HAVERCVDSYN(tp->t_state) &&
	    (error == EHOSTUNREACH || error == ENETUNREACH ||
	    error == ENETDOWN)) {
		tp->t_softerror = error;
		return 0;
	}
	if (error != 0)
		return error == ENOBUFS ? 0 : error;
	if (sendalot)
		goto again;
	return 0;

nobufs:
	/* The retransmission timer tries again. */
	tcpstat.tcps_nombuf++;
	if (!tcp_timer_armed(tp, TCPT_REXMT) && !tcp_timer_armed(tp, TCPT_PERSIST))
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_us(tp));
	return 0;
}
