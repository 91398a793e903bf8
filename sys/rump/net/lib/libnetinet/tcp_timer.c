/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP's timers: one callout per timer per connection (tcp_timer.h), so
 * an idle stack sleeps.  A timer is a deadline (t_deadline) and a
 * callout set no later than it: pushing a deadline further out (the
 * retransmission timer on every ACK of a bulk transfer) touches only the
 * deadline, and a callout that fires early sets itself again for the
 * rest.  Disarming only forgets the deadline (tcp_timer_disarm).
 *
 * Handlers run on the clock thread and take softnet_lock.  A connection
 * closed while one of its handlers waits for the lock is not freed by
 * tcp_close (its callout is still "invoking"): it is marked TF_DEAD and
 * the handler frees it.  A handler acknowledges its callout only after
 * its work, so a close from inside the work defers to it the same way.
 *
 * The retransmission timeout follows RFC 6298: RTO from SRTT and RTTVAR
 * (tcp_xmit_timer in tcp_input.c), doubled per retransmission up to
 * TCPTV_MAX; after net.inet.tcp.rexmit_max retransmissions (default
 * TCP_MAXRXTSHIFT; TCP_SYNRETRIES for
 * a SYN) the connection fails with ETIMEDOUT, or with the ICMP error
 * last reported for it.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/socketvar.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

static void tcp_timer_rexmt(void *);
static void tcp_timer_persist(void *);
static void tcp_timer_keep(void *);
static void tcp_timer_2msl(void *);
static void tcp_timer_delack(void *);

static void (*const tcp_timer_funcs[TCPT_NTIMERS])(void *) = {
	[TCPT_REXMT] = tcp_timer_rexmt,
	[TCPT_PERSIST] = tcp_timer_persist,
	[TCPT_KEEP] = tcp_timer_keep,
	[TCPT_2MSL] = tcp_timer_2msl,
	[TCPT_DELACK] = tcp_timer_delack,
};

void
tcp_timer_init(struct tcpcb *tp)
{
	int i;

	for (i = 0; i < TCPT_NTIMERS; i++) {
		callout_init(&tp->t_timer[i], CALLOUT_MPSAFE);
		callout_setfunc(&tp->t_timer[i], tcp_timer_funcs[i], tp);
	}
}

static int
tcp_us_to_ticks(uint64_t us)
{
	uint64_t ns = us * 1000;

	if (ns > (uint64_t)INT32_MAX * 1000000ULL)
		ns = (uint64_t)INT32_MAX * 1000000ULL;
	return nstohz(ns);
}

/* Arm timer which to go off us microseconds from now. */
void
tcp_timer_arm(struct tcpcb *tp, int which, uint64_t us)
{
	uint64_t dl = tcp_now() + us;

	KASSERT(mutex_owned(softnet_lock));
	tp->t_deadline[which] = dl;
	if (!callout_pending(&tp->t_timer[which]) ||
	    dl < tp->t_calloutdl[which]) {
		tp->t_calloutdl[which] = dl;
		callout_schedule(&tp->t_timer[which], tcp_us_to_ticks(us));
	}
}

/*
 * Disarming forgets the deadline only: a callout still pending fires
 * once, finds nothing due and stays idle, and re-arming before then
 * costs no callout operation (the delayed-ACK and retransmission
 * timers are armed and disarmed for nearly every segment).
 */
void
tcp_timer_disarm(struct tcpcb *tp, int which)
{
	tp->t_deadline[which] = 0;
}

bool
tcp_timer_armed(const struct tcpcb *tp, int which)
{
	return tp->t_deadline[which] != 0;
}

/* Every timer off, callouts stopped (before the block may be freed). */
void
tcp_timers_stop(struct tcpcb *tp)
{
	int i;

	for (i = 0; i < TCPT_NTIMERS; i++) {
		tp->t_deadline[i] = 0;
		callout_stop(&tp->t_timer[i]);
	}
}

/* Whether a handler of tp has started and not finished. */
bool
tcp_timers_busy(struct tcpcb *tp)
{
	int i;

	for (i = 0; i < TCPT_NTIMERS; i++)
		if (callout_invoking(&tp->t_timer[i]))
			return true;
	return false;
}

uint64_t
tcp_msl_us(void)
{
	return (uint64_t)(tcp_msl_ms > 0 ? tcp_msl_ms : 1) * TCP_US_PER_MS;
}

/* The retransmission timeout with its backoff (RFC 6298 5.5). */
uint64_t
tcp_rexmt_us(const struct tcpcb *tp)
{
	uint64_t rto = tp->t_rto, min = (uint64_t)tcp_rtomin_ms * TCP_US_PER_MS;
	int shift = tp->t_rxtshift < 16 ? tp->t_rxtshift : 16;

	if (rto < min)
		rto = min;
	rto <<= shift;
	return rto > TCPTV_MAX ? TCPTV_MAX : rto;
}

/*
 * The common part of each handler: take the lock, decide whether the
 * timer is really due; run fn; free a connection closed meanwhile.
 */
static void
tcp_timer_run(struct tcpcb *tp, int which, void (*fn)(struct tcpcb *))
{
	callout_t *c = &tp->t_timer[which];
	uint64_t now, dl;
	int i;

	mutex_enter(softnet_lock);
	if ((tp->t_flags & TF_DEAD) == 0 && !callout_pending(c)) {
		dl = tp->t_deadline[which];
		now = tcp_now();
		if (dl != 0 && now < dl) {
			tp->t_calloutdl[which] = dl;
			callout_schedule(c, tcp_us_to_ticks(dl - now));
		} else if (dl != 0) {
			tp->t_deadline[which] = 0;
			fn(tp);
		}
	}
	callout_ack(c);
	if ((tp->t_flags & TF_DEAD) != 0 && !tcp_timers_busy(tp)) {
		/* The clock thread does not touch c again once we return. */
		for (i = 0; i < TCPT_NTIMERS; i++)
			if (i != which)
				callout_destroy(&tp->t_timer[i]);
		kmem_free(tp, sizeof(*tp));
	}
	mutex_exit(softnet_lock);
}

/* RFC 6298 5.4-5.7, RFC 5681 3.1 (the window after a timeout). */
static void
tcp_rexmt(struct tcpcb *tp)
{
	int limit;

	tcpstat.tcps_rexmttimeo++;
	limit = tp->t_state < TCPS_ESTABLISHED ? tp->t_syncnt :
	    tcp_rexmit_max;
	/* When the oldest unacknowledged segment was first sent. */
	if (tp->t_rxtshift == 0)
		tp->t_rxtfirst = tcp_now() - tcp_rexmt_us(tp);
	/*
	 * TCP_USER_TIMEOUT (Linux): how long sent data may stay
	 * unacknowledged; checked at each timeout, so it may be
	 * exceeded by up to one (backed-off) RTO.
	 */
	if (++tp->t_rxtshift > limit || (tp->t_usertimeout != 0 &&
	    tcp_now() - tp->t_rxtfirst >= tp->t_usertimeout)) {
		tcpstat.tcps_timeoutdrop++;
		(void)tcp_drop(tp, ETIMEDOUT);
		return;
	}
	if (tp->t_state >= TCPS_ESTABLISHED) {
		/* One timeout per flight reduces the window (RFC 5681 3.1). */
		if (tp->t_rxtshift == 1 || (tp->t_flags & TF_FASTRECOVERY))
			tp->t_cc->cc_timeout(tp);
		tp->snd_cwnd = tp->t_maxseg;
		tp->t_bytes_acked = 0;
	}
	tp->t_flags &= ~TF_FASTRECOVERY;
	tp->t_dupacks = 0;
	tp->snd_recover = tp->snd_max;
	/*
	 * The SACK scoreboard stays (RFC 6675 5.1: the slow start that
	 * follows uses it): tcp_output skips what the peer holds.
	 */
	tp->sack_rxmit = tp->snd_una;
	tp->sack_pass_done = false;
	/* Karn: no RTT sample from a retransmitted segment. */
	tp->t_rtttime = 0;
	if (tp->t_rxtshift > 3)
		tp->t_srtt = 0;
	tp->snd_nxt = tp->snd_una;
	tp->t_totalretrans++;
	(void)tcp_output(tp);
}

static void
tcp_persist(struct tcpcb *tp)
{
	tcpstat.tcps_persisttimeo++;
	tcp_setpersist(tp);
	/* The probe is the byte at snd_una, sent again each time. */
	tp->snd_nxt = tp->snd_una;
	tp->t_flags |= TF_FORCEDATA;
	(void)tcp_output(tp);
	tp->t_flags &= ~TF_FORCEDATA;
}

/*
 * Connection-establishment limit, then keepalives (RFC 1122 4.2.3.6):
 * after keepidle without a segment from the peer, a probe (one byte of
 * sequence space below snd_una, so the peer must answer) every
 * keepintvl; keepcnt unanswered probes fail the connection.
 */
static void
tcp_keep(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	struct socket *so = inp->inp_socket;
	uint64_t idle;

	tcpstat.tcps_keeptimeo++;
	if (tp->t_state < TCPS_ESTABLISHED) {
		(void)tcp_drop(tp, ETIMEDOUT);
		return;
	}
	if (so == NULL || tp->t_state > TCPS_CLOSE_WAIT)
		return;
	if ((so->so_options & SOF_KEEPALIVE) == 0) {
		tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle);
		return;
	}
	idle = tcp_now() - tp->t_rcvtime;
	if (idle < tp->t_keepidle) {
		tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle - idle);
		return;
	}
	if (tp->t_keepprobes >= tp->t_keepcnt) {
		tcpstat.tcps_keepdrops++;
		(void)tcp_drop(tp, ETIMEDOUT);
		return;
	}
	tcpstat.tcps_keepprobe++;
	tp->t_keepprobes++;
	tcp_respond(tp, NULL, tp->snd_una - 1, tp->rcv_nxt, TH_ACK);
	tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepintvl);
}

static void
tcp_2msl(struct tcpcb *tp)
{
	(void)tcp_close(tp);
}

static void
tcp_delack(struct tcpcb *tp)
{
	tp->t_flags |= TF_ACKNOW;
	/* The sender waited for this ACK: acknowledge the next segments at once. */
	tp->t_quickack = TCP_QUICKACKS;
	tcpstat.tcps_delack++;
	(void)tcp_output(tp);
}

static void
tcp_timer_rexmt(void *arg)
{
	tcp_timer_run(arg, TCPT_REXMT, tcp_rexmt);
}

static void
tcp_timer_persist(void *arg)
{
	tcp_timer_run(arg, TCPT_PERSIST, tcp_persist);
}

static void
tcp_timer_keep(void *arg)
{
	tcp_timer_run(arg, TCPT_KEEP, tcp_keep);
}

static void
tcp_timer_2msl(void *arg)
{
	tcp_timer_run(arg, TCPT_2MSL, tcp_2msl);
}

static void
tcp_timer_delack(void *arg)
{
	tcp_timer_run(arg, TCPT_DELACK, tcp_delack);
}
