/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Clock hypercalls: reading the host's clocks and sleeping on them. */
#include <errno.h>
#include <time.h>

#include "rumpuser_int.h"

int
rumpuser_clock_gettime(int clk, long long *secp, long *nsecp)
{
	struct timespec ts;
	clockid_t id;

	id = clk == RUMPUSER_CLOCK_ABSMONO ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	if (clock_gettime(id, &ts) == -1)
		return errno;
	*secp = ts.tv_sec;
	*nsecp = ts.tv_nsec;
	return 0;
}

int
rumpuser_clock_sleep(int clk, long long sec, long nsec)
{
	struct timespec ts = { .tv_sec = (time_t)sec, .tv_nsec = nsec };
	int flags, error;

	flags = clk == RUMPUSER_CLOCK_ABSMONO ? TIMER_ABSTIME : 0;
	rumpuser__hyp.hyp_backend_unschedule();
	do {
		error = clock_nanosleep(CLOCK_MONOTONIC, flags, &ts, &ts);
	} while (error == EINTR);
	rumpuser__hyp.hyp_backend_schedule();
	return error;
}
