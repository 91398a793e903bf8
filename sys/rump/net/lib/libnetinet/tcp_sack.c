/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Selective acknowledgements.
 *
 * Receiver (RFC 2018 4): the blocks of out-of-order data we hold, the
 * block holding the most recent segment first, then earlier ones; sent
 * on every ACK while the reassembly queue is not empty (rcv_sack).
 *
 * Sender (RFC 6675): the scoreboard is the sorted list of disjoint
 * ranges the peer reported above snd_una (snd_sacked), and snd_fack is
 * the highest SACKed byte + 1.  In recovery the holes below snd_fack are
 * taken as lost (at least DupThresh segments were SACKed above them, or
 * we would not be in recovery), so the pipe is what is outstanding above
 * snd_fack plus what we retransmitted into holes, and NextSeg is the
 * first hole byte at or past sack_rxmit.  This is RFC 6675's IsLost
 * simplified to "below the highest SACK", the forward-acknowledgement
 * view, which needs no per-segment state.
 *
 * Everything under softnet_lock.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/endian.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

/* Receiver: [start, end) arrived out of order and was queued. */
void
tcp_sack_rcv_update(struct tcpcb *tp, tcp_seq start, tcp_seq end)
{
	struct tcp_sackblk nb[TCP_SACK_MAXBLKS];
	int i, n = 0;

	for (i = 0; i < tp->rcv_numsacks; i++) {
		struct tcp_sackblk *b = &tp->rcv_sack[i];

		if (SEQ_LEQ(b->start, end) && SEQ_GEQ(b->end, start)) {
			/* Overlaps or touches the new block: merge. */
			start = SEQ_MIN(start, b->start);
			end = SEQ_MAX(end, b->end);
			continue;
		}
		if (n < TCP_SACK_MAXBLKS - 1)
			nb[n++] = *b;
	}
	tp->rcv_sack[0].start = start;
	tp->rcv_sack[0].end = end;
	for (i = 0; i < n; i++)
		tp->rcv_sack[i + 1] = nb[i];
	tp->rcv_numsacks = n + 1;
}

/* Receiver: forget blocks rcv_nxt has reached. */
void
tcp_sack_rcv_trim(struct tcpcb *tp)
{
	int i, n = 0;

	for (i = 0; i < tp->rcv_numsacks; i++) {
		if (SEQ_LEQ(tp->rcv_sack[i].end, tp->rcv_nxt))
			continue;
		if (SEQ_LT(tp->rcv_sack[i].start, tp->rcv_nxt))
			tp->rcv_sack[i].start = tp->rcv_nxt;
		tp->rcv_sack[n++] = tp->rcv_sack[i];
	}
	tp->rcv_numsacks = n;
}

/* Receiver: the SACK option (NOP, NOP, kind, len, blocks) in room bytes; its length. */
int
tcp_sack_rcv_opts(struct tcpcb *tp, uint8_t *opt, int room)
{
	int n = tp->rcv_numsacks, i, len;

	if (n == 0)
		return 0;
	while (n > 0 && 4 + n * TCPOLEN_SACK > room)
		n--;
	if (n == 0)
		return 0;
	opt[0] = TCPOPT_NOP;
	opt[1] = TCPOPT_NOP;
	opt[2] = TCPOPT_SACK;
	opt[3] = (uint8_t)(2 + n * TCPOLEN_SACK);
	len = 4;
	for (i = 0; i < n; i++) {
		uint32_t v = htonl(tp->rcv_sack[i].start);

		memcpy(opt + len, &v, 4);
		v = htonl(tp->rcv_sack[i].end);
		memcpy(opt + len + 4, &v, 4);
		len += TCPOLEN_SACK;
	}
	tcpstat.tcps_sack_sndblocks += (uint64_t)n;
	return len;
}

/* Sender: drop what snd_una has passed. */
static void
tcp_sack_snd_trim(struct tcpcb *tp)
{
	int i, n = 0;

	for (i = 0; i < tp->snd_numsacked; i++) {
		struct tcp_sackblk *b = &tp->snd_sacked[i];

		if (SEQ_LEQ(b->end, tp->snd_una))
			continue;
		if (SEQ_LT(b->start, tp->snd_una))
			b->start = tp->snd_una;
		tp->snd_sacked[n++] = *b;
	}
	tp->snd_numsacked = n;
	if (SEQ_LT(tp->snd_fack, tp->snd_una))
		tp->snd_fack = tp->snd_una;
	if (SEQ_LT(tp->sack_rxmit, tp->snd_una))
		tp->sack_rxmit = tp->snd_una;
}

/* Sender: add one reported block, keeping the list sorted and disjoint. */
static void
tcp_sack_snd_add(struct tcpcb *tp, tcp_seq start, tcp_seq end)
{
	struct tcp_sackblk *sb = tp->snd_sacked;
	int i, j, n = tp->snd_numsacked;

	/* The first range that ends at or after start. */
	for (i = 0; i < n && SEQ_LT(sb[i].end, start); i++)
		continue;
	/* Merge every range that overlaps or touches [start, end). */
	for (j = i; j < n && SEQ_LEQ(sb[j].start, end); j++) {
		start = SEQ_MIN(start, sb[j].start);
		end = SEQ_MAX(end, sb[j].end);
	}
	if (j == i && n == TCP_SACK_MAXHOLES)
		return;         /* full: the information is only an optimisation */
	/* Ranges i..j-1 become one. */
	if (j == i) {
		memmove(&sb[i + 1], &sb[i], (size_t)(n - i) * sizeof(*sb));
		n++;
	} else if (j > i + 1) {
		memmove(&sb[i + 1], &sb[j], (size_t)(n - j) * sizeof(*sb));
		n -= j - i - 1;
	}
	sb[i].start = start;
	sb[i].end = end;
	tp->snd_numsacked = n;
	if (SEQ_GT(end, tp->snd_fack))
		tp->snd_fack = end;
}

/* Sender: an ACK's SACK blocks (RFC 2018 3), checked against what we sent. */
void
tcp_sack_snd_update(struct tcpcb *tp, const struct tcp_opt *to)
{
	int i;

	tcp_sack_snd_trim(tp);
	if ((to->to_flags & TOF_SACK) == 0)
		return;
	for (i = 0; i < to->to_nsacks; i++) {
		tcp_seq s = to->to_sacks[i].start, e = to->to_sacks[i].end;

		if (!SEQ_LT(s, e) || SEQ_LEQ(e, tp->snd_una) ||
		    SEQ_GT(e, tp->snd_max))
			continue;       /* D-SACK or bogus: ignored */
		if (SEQ_LT(s, tp->snd_una))
			s = tp->snd_una;
		tcpstat.tcps_sack_rcvblocks++;
		tcp_sack_snd_add(tp, s, e);
	}
}

uint32_t
tcp_sack_bytes(const struct tcpcb *tp)
{
	uint32_t n = 0;
	int i;

	for (i = 0; i < tp->snd_numsacked; i++)
		n += SEQ_SUB(tp->snd_sacked[i].end, tp->snd_sacked[i].start);
	return n;
}

void
tcp_sack_snd_clear(struct tcpcb *tp)
{
	tp->sack_pass_done = false;
	tp->snd_numsacked = 0;
	tp->snd_fack = tp->snd_una;
	tp->sack_rxmit = tp->snd_una;
}

/*
 * RFC 6675 4 "pipe": outstanding bytes above the highest SACK, plus
 * what we put back into the holes below it.
 */
uint32_t
tcp_sack_pipe(const struct tcpcb *tp)
{
	tcp_seq lo = tp->snd_una;
	uint32_t pipe, rexmit = 0;
	int i;

	if (tp->snd_numsacked == 0)
		return tcp_flightsize(tp);
	pipe = SEQ_SUB(tp->snd_max, tp->snd_fack);
	for (i = 0; i < tp->snd_numsacked; i++) {
		tcp_seq hs = lo, he = tp->snd_sacked[i].start;

		if (SEQ_GT(tp->sack_rxmit, hs))
			rexmit += SEQ_SUB(SEQ_MIN(tp->sack_rxmit, he), hs);
		lo = tp->snd_sacked[i].end;
	}
	return pipe + rexmit;
}

/*
 * RFC 6675 4 NextSeg (1): the first lost byte not yet retransmitted.
 * A retransmission can be lost too: once every hole has been resent,
 * a SACK for data sent after that pass ended means the holes still
 * open were lost again, and a new pass starts from snd_una (the rule
 * RACK, RFC 8985, generalises).
 */
bool
tcp_sack_nextseg(struct tcpcb *tp, tcp_seq *seqp, uint32_t *lenp)
{
	tcp_seq lo;
	int i, pass;

	if (SEQ_LT(tp->sack_rxmit, tp->snd_una))
		tp->sack_rxmit = tp->snd_una;
	for (pass = 0; pass < 2; pass++) {
		lo = tp->snd_una;
		for (i = 0; i < tp->snd_numsacked; i++) {
			tcp_seq hs = SEQ_MAX(lo, tp->sack_rxmit);
			tcp_seq he = tp->snd_sacked[i].start;

			if (SEQ_LT(hs, he)) {
				uint32_t len = SEQ_SUB(he, hs);

				*seqp = hs;
				*lenp = len < tp->t_maxseg ? len : tp->t_maxseg;
				return true;
			}
			lo = tp->snd_sacked[i].end;
		}
		if (!tp->sack_pass_done) {
			tp->sack_pass_done = true;
			tp->sack_pass_mark = tp->snd_max;
			return false;
		}
		if (!SEQ_GT(tp->snd_fack, tp->sack_pass_mark))
			return false;
		tp->sack_rxmit = tp->snd_una;
		tp->sack_pass_mark = tp->snd_max;
	}
	return false;
}
