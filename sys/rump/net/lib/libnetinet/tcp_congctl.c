/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Congestion control modules: NewReno (RFC 5681 window growth, RFC 6582
 * recovery) and CUBIC (RFC 9438).  A connection takes the module named
 * by sysctl net.inet.tcp.congctl when it is made, or the one it asks for
 * with TCP_CONGESTION.  The modules only set snd_cwnd and snd_ssthresh;
 * recovery itself (which segments go when) is tcp_input.c's.
 *
 * Windows are in bytes.  Slow start grows by the bytes acknowledged, at
 * most two segments per ACK (RFC 3465, L = 2); congestion avoidance by
 * one segment per window's worth of bytes acknowledged (RFC 5681 3.1).
 * The initial window is net.inet.tcp.initcwnd segments (10, as RFC 6928
 * allows and Linux uses).
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

#define TCP_CWND_MAX (1U << 30)

uint32_t
tcp_flightsize(const struct tcpcb *tp)
{
	return SEQ_SUB(tp->snd_max, tp->snd_una);
}

static uint32_t
tcp_cwnd_add(uint32_t cwnd, uint32_t inc)
{
	return cwnd + inc > TCP_CWND_MAX ? TCP_CWND_MAX : cwnd + inc;
}

static void
newreno_init(struct tcpcb *tp)
{
	tp->snd_cwnd = (uint32_t)tcp_initcwnd * tp->t_maxseg;
	tp->t_bytes_acked = 0;
}

/* RFC 5681 3.1 with RFC 3465 byte counting. */
static void
newreno_ack(struct tcpcb *tp, uint32_t acked)
{
	uint32_t mss = tp->t_maxseg;

	if (tp->snd_cwnd < tp->snd_ssthresh) {
		tp->snd_cwnd = tcp_cwnd_add(tp->snd_cwnd,
		    acked < 2 * mss ? acked : 2 * mss);
		return;
	}
	tp->t_bytes_acked += acked;
	if (tp->t_bytes_acked >= tp->snd_cwnd) {
		tp->t_bytes_acked -= tp->snd_cwnd;
		tp->snd_cwnd = tcp_cwnd_add(tp->snd_cwnd, mss);
	}
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static uint32_t
newreno_halve(const struct tcpcb *tp)
{
	uint32_t half = tcp_flightsize(tp) / 2;

	return half > 2 * tp->t_maxseg ? half : 2 * tp->t_maxseg;
}

static void
newreno_fastretransmit(struct tcpcb *tp)
{
	tp->snd_ssthresh = newreno_halve(tp);
	tp->snd_cwnd = tp->snd_ssthresh;
}

static void
newreno_timeout(struct tcpcb *tp)
{
	tp->snd_ssthresh = newreno_halve(tp);
}

static void
newreno_recovered(struct tcpcb *tp)
{
	tp->t_bytes_acked = 0;
}

const struct tcp_congctl tcp_newreno = {
	.cc_name = "newreno",
	.cc_init = newreno_init,
	.cc_ack = newreno_ack,
	.cc_fastretransmit = newreno_fastretransmit,
	.cc_timeout = newreno_timeout,
	.cc_recovered = newreno_recovered,
};

/*
 * CUBIC, RFC 9438: after a reduction the window follows
 *   W_cubic(t) = C * (t - K)^3 + W_max,   K = cbrt(W_max * (1 - beta) / C)
 * (segments, seconds), C = 0.4, beta = 0.7, aiming each ACK at
 * W_cubic(t + RTT) (4.4), never below the Reno-friendly estimate W_est
 * (4.3), with fast convergence (4.7).  Here in integers: bytes and
 * milliseconds.
 */

/* The integer cube root of x (rounded down). */
static uint64_t
cubic_cbrt(uint64_t x)
{
	uint64_t r = 0;
	int s;

	for (s = 63; s >= 0; s -= 3) {
		uint64_t b;

		r <<= 1;
		b = 3 * r * (r + 1) + 1;
		if ((x >> s) >= b) {
			x -= b << s;
			r++;
		}
	}
	return r;
}

static void
cubic_init(struct tcpcb *tp)
{
	newreno_init(tp);
	memset(&tp->t_cubic, 0, sizeof(tp->t_cubic));
}

/* W_cubic(t_ms) in bytes, for the current epoch. */
static uint64_t
cubic_window(const struct tcpcb *tp, int64_t t_ms)
{
	const struct tcp_cubic *cu = &tp->t_cubic;
	int64_t d = t_ms - (int64_t)cu->cu_k, delta;

	if (d > 100000)
		d = 100000;
	if (d < -100000)
		d = -100000;
	/* 0.4 * (d / 1000)^3 segments of t_maxseg bytes. */
	delta = d * d * d / 1000 * 4 * (int64_t)tp->t_maxseg / 10000000;
	if ((int64_t)cu->cu_origin + delta < (int64_t)tp->t_maxseg)
		return tp->t_maxseg;
	return (uint64_t)((int64_t)cu->cu_origin + delta);
}

static void
cubic_ack(struct tcpcb *tp, uint32_t acked)
{
	struct tcp_cubic *cu = &tp->t_cubic;
	uint32_t mss = tp->t_maxseg, cwnd = tp->snd_cwnd;
	uint64_t now = tcp_now(), target, inc;
	uint32_t rtt_ms = tp->t_srtt / 1000;

	if (cwnd < tp->snd_ssthresh) {
		newreno_ack(tp, acked);
		return;
	}
	if (cu->cu_epoch == 0) {
		cu->cu_epoch = now;
		if (cwnd < cu->cu_wmax) {
			cu->cu_k = (uint32_t)cubic_cbrt(
			    (uint64_t)(cu->cu_wmax - cwnd) * 2500000000ULL / mss);
			cu->cu_origin = cu->cu_wmax;
		} else {
			cu->cu_k = 0;
			cu->cu_origin = cwnd;
		}
		cu->cu_west = cwnd;
	}
	target = cubic_window(tp,
	    (int64_t)((now - cu->cu_epoch) / 1000) + rtt_ms);
	/* 4.4: the target stays within [cwnd, 1.5 cwnd]. */
	if (target < cwnd)
		target = cwnd;
	if (target > cwnd + cwnd / 2)
		target = cwnd + cwnd / 2;
	inc = (target - cwnd) * acked / cwnd;

	/* 4.3: alpha = 3 (1 - beta) / (1 + beta) = 0.529 segments per RTT. */
	cu->cu_west += (uint32_t)((uint64_t)529 * mss / 1000 * acked / cwnd);
	if (cu->cu_west > cwnd + inc)
		inc = cu->cu_west - cwnd;
	/* Below one ACK's worth, count bytes as Reno does. */
	tp->t_bytes_acked += (uint32_t)inc;
	if (tp->t_bytes_acked >= mss || inc >= mss) {
		tp->snd_cwnd = tcp_cwnd_add(cwnd, tp->t_bytes_acked);
		tp->t_bytes_acked = 0;
	}
}

/* 4.6, 4.7: beta = 0.7, and fast convergence. */
static void
cubic_reduce(struct tcpcb *tp)
{
	struct tcp_cubic *cu = &tp->t_cubic;
	uint32_t cwnd = tp->snd_cwnd, ss;

	cu->cu_epoch = 0;
	if (cwnd < cu->cu_wlastmax)
		cu->cu_wmax = (uint32_t)((uint64_t)cwnd * 85 / 100);
	else
		cu->cu_wmax = cwnd;
	cu->cu_wlastmax = cwnd;
	ss = (uint32_t)((uint64_t)cwnd * 7 / 10);
	tp->snd_ssthresh = ss > 2 * tp->t_maxseg ? ss : 2 * tp->t_maxseg;
}

static void
cubic_fastretransmit(struct tcpcb *tp)
{
	cubic_reduce(tp);
	tp->snd_cwnd = tp->snd_ssthresh;
}

static void
cubic_timeout(struct tcpcb *tp)
{
	cubic_reduce(tp);
}

static void
cubic_recovered(struct tcpcb *tp)
{
	tp->t_bytes_acked = 0;
	tp->t_cubic.cu_epoch = 0;
}

const struct tcp_congctl tcp_cubic_cc = {
	.cc_name = "cubic",
	.cc_init = cubic_init,
	.cc_ack = cubic_ack,
	.cc_fastretransmit = cubic_fastretransmit,
	.cc_timeout = cubic_timeout,
	.cc_recovered = cubic_recovered,
};

const struct tcp_congctl *tcp_congctl_default = &tcp_cubic_cc;

/* By name; "reno" is NewReno. */
const struct tcp_congctl *
tcp_congctl_byname(const char *name)
{
	if (strcmp(name, "newreno") == 0 || strcmp(name, "reno") == 0)
		return &tcp_newreno;
	if (strcmp(name, "cubic") == 0)
		return &tcp_cubic_cc;
	return NULL;
}

void
tcp_congctl_select(struct tcpcb *tp, const struct tcp_congctl *cc)
{
	tp->t_cc = cc;
	memset(&tp->t_cubic, 0, sizeof(tp->t_cubic));
	if (tp->t_state >= TCPS_ESTABLISHED)
		tp->t_bytes_acked = 0;
}
