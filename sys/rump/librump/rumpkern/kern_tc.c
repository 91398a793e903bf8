/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Timekeeping.  The host's clocks are the time counter: uptime is the
 * monotonic clock less its value at boot, the wall clock is the host's.
 * Ticks (hz per second) are derived from uptime, so nothing has to tick
 * for time to pass and an idle kernel does no work at all.
 */
#include <sys/systm.h>
#include <sys/time.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

int hz = HZ;
static int64_t boot_mono_ns;                    /* stable after boot */

static int64_t
host_ns(int clk)
{
	long long sec;
	long nsec;

	if (rumpuser_clock_gettime(clk, &sec, &nsec) != 0)
		panic("clock_gettime hypercall failed");
	return (int64_t)sec * NSEC_PER_SEC + nsec;
}

void
time_init(void)
{
	boot_mono_ns = host_ns(RUMPUSER_CLOCK_ABSMONO);
}

uint64_t
getnsecuptime(void)
{
	return (uint64_t)(host_ns(RUMPUSER_CLOCK_ABSMONO) - boot_mono_ns);
}

int
getticks(void)
{
	return (int)(getnsecuptime() / (uint64_t)(NSEC_PER_SEC / hz));
}

int
nstohz(uint64_t ns)
{
	uint64_t tick = (uint64_t)(NSEC_PER_SEC / hz);
	uint64_t t = (ns + tick - 1) / tick;

	return t > INT32_MAX ? INT32_MAX : (int)t;
}

void
nanotime(struct timespec *ts)
{
	*ts = ns_to_timespec(host_ns(RUMPUSER_CLOCK_RELWALL));
}

void
nanouptime(struct timespec *ts)
{
	*ts = ns_to_timespec((int64_t)getnsecuptime());
}

/* The monotonic clock's value at boot, for clock_gettime(CLOCK_MONOTONIC). */
int64_t
time_boot_mono_ns(void)
{
	return boot_mono_ns;
}
