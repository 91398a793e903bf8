/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The turn of a shared-memory connection (sp_shm.h) passing between
 * client and server, compiled into both ends.
 *
 * Giving the turn is one atomic exchange of the turn word, and a
 * one-byte nudge on the socket only when the other side said it went
 * to sleep.  A sleeper sleeps in recv() on the socket, not on a futex:
 * so the other side's end (its process exits, is killed, closes) wakes
 * it at once as a hang-up, with no timer.  Waiting for the turn spins
 * first: when the other side runs on another CPU and
 * answers within the spin, the round trip costs no context switch.  The
 * spin adapts: each wait that had to sleep halves the next budget, each
 * that was answered while spinning doubles it, between SPIN_MIN_US and
 * the maximum, SPIN_US microseconds (about what a sleep and wake-up
 * cost); every SPIN_PROBE-th wait spins the maximum, so that two sides
 * whose budgets fell together (each sleeping, so each slow to answer)
 * find their way back up,
 * counted in pause instructions timed once per process (a pause costs
 * 10 to 140 cycles, depending on the CPU).  A process confined to one
 * CPU does not spin at all (the other side cannot run while it spins),
 * and $RUMP_SHM_SPIN sets the maximum in microseconds (0: never spin).
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "sp_shm.h"

#define SPIN_MIN_US 1
#define SPIN_US     100
#define SPIN_PROBE  16

static pthread_once_t spin_once = PTHREAD_ONCE_INIT;
static unsigned spin_max, spin_min; /* stable after spin_once */

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static uint64_t
clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
spin_setup(void)
{
	const char *env = getenv("RUMP_SHM_SPIN");
	unsigned long us = SPIN_US;
	uint64_t t0, ns;
	cpu_set_t set;

	if (env != NULL)
		us = strtoul(env, NULL, 10);
	else if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	         CPU_COUNT(&set) < 2)
		us = 0;
	if (us == 0 || us > 1000000)
		return;
	/* The cheapest of a few timings: the least disturbed. */
	ns = UINT64_MAX;
	for (int k = 0; k < 3; k++) {
		t0 = clock_ns();
		for (int i = 0; i < 256; i++)
			cpu_relax();
		t0 = clock_ns() - t0;
		if (t0 < ns)
			ns = t0;
	}
	ns = ns / 256 > 0 ? ns / 256 : 1;
	spin_max = (unsigned)(us * 1000 / ns);
	spin_min = (unsigned)(SPIN_MIN_US * 1000 / ns);
	if (spin_min > spin_max)
		spin_min = spin_max;
}

void
sp_shm_spin_init(struct sp_spin *sn)
{
	pthread_once(&spin_once, spin_setup);
	sn->sn_budget = spin_max;
	sn->sn_waits = 0;
}

void
sp_shm_give(struct sp_shm *s, unsigned me, int sockfd)
{
	uint32_t old;

	old = __atomic_exchange_n(&s->ss_turn, me ^ SP_SHM_TURN_SERVER,
	                          __ATOMIC_SEQ_CST);
	/* A full socket buffer is a nudge already waiting. */
	if (old & SP_SHM_SLEEPING)
		(void)send(sockfd, "", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

int
sp_shm_wait(struct sp_shm *s, unsigned me, struct sp_spin *sn, int sockfd)
{
	char drain[64];
	ssize_t n;
	unsigned budget =
	    ++sn->sn_waits % SPIN_PROBE == 0 ? spin_max : sn->sn_budget;
	uint32_t w;

	for (unsigned i = 0; i < budget; i++) {
		w = __atomic_load_n(&s->ss_turn, __ATOMIC_ACQUIRE);
		if ((w & SP_SHM_TURN_SERVER) == me) {
			if (sn->sn_budget < spin_max / 2)
				sn->sn_budget *= 2;
			else
				sn->sn_budget = spin_max;
			if (sn->sn_budget < i)
				sn->sn_budget = i;
			return 0;
		}
		cpu_relax();
	}
	if (sn->sn_budget / 2 > spin_min)
		sn->sn_budget /= 2;
	else
		sn->sn_budget = spin_min;
	for (;;) {
		w = __atomic_load_n(&s->ss_turn, __ATOMIC_ACQUIRE);
		if ((w & SP_SHM_TURN_SERVER) == me)
			return 0;
		if ((w & SP_SHM_SLEEPING) == 0 &&
		    !__atomic_compare_exchange_n(
		        &s->ss_turn, &w, w | SP_SHM_SLEEPING, false,
		        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			continue;
		/* Asleep until a nudge (or anything) comes, or a hang-up. */
		if ((n = recv(sockfd, drain, sizeof(drain), 0)) == 0 ||
		    (n < 0 && errno != EINTR))
			return EPIPE;
	}
}
