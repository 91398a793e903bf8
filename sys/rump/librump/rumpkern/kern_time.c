/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Time system calls: clock_gettime, clock_getres, nanosleep,
 * clock_nanosleep, gettimeofday and sched_yield.
 *
 * The kernel's clocks are the host's: CLOCK_REALTIME (and _COARSE) is the
 * host wall clock, CLOCK_MONOTONIC (and _RAW, _COARSE, and BOOTTIME,
 * which a rump kernel cannot tell apart from it) the host monotonic
 * clock, so a client can compare them with its own.  The kernel keeps no
 * per-process CPU time: the CPU-time clocks are EINVAL.  Every sleep is a
 * host sleep until a monotonic deadline, with the virtual CPU given back;
 * there are no signals, so a sleep is never cut short.
 */
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <rump/rumpuser.h>

#include "syscallargs.h"

/* A sleep longer than this (about 146 years) is as good as forever. */
#define SLEEP_MAX_NS (INT64_MAX / 2)

static int64_t
mono_ns(void)
{
	return time_boot_mono_ns() + (int64_t)getnsecuptime();
}

static int64_t
wall_ns(void)
{
	struct timespec ts;

	nanotime(&ts);
	return timespec_to_ns(&ts);
}

/* The time on clock id in ns, or EINVAL for a clock we do not keep. */
static int
clock_read(clockid_t id, int64_t *nsp)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*nsp = wall_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*nsp = mono_ns();
		return 0;
	default:
		return EINVAL;
	}
}

static bool
timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	    ts->tv_nsec < NSEC_PER_SEC;
}

/* ts as ns, saturating at SLEEP_MAX_NS. */
static int64_t
timespec_to_ns_sat(const struct timespec *ts)
{
	if (ts->tv_sec >= SLEEP_MAX_NS / NSEC_PER_SEC)
		return SLEEP_MAX_NS;
	return timespec_to_ns(ts);
}

int
sys_clock_gettime(struct lwp *l, const struct sys_clock_gettime_args *uap,
    register_t *rv)
{
	struct timespec ts;
	int64_t ns;
	int error;

	(void)l;
	(void)rv;
	if ((error = clock_read(uap->clock_id, &ns)) != 0)
		return error;
	ts = ns_to_timespec(ns);
	return copyout(&ts, uap->tp, sizeof(ts));
}

int
sys_clock_getres(struct lwp *l, const struct sys_clock_getres_args *uap,
    register_t *rv)
{
	struct timespec ts = { 0, 1 };
	int64_t ns;
	int error;

	(void)l;
	(void)rv;
	if ((error = clock_read(uap->clock_id, &ns)) != 0)
		return error;
	if (uap->tp == NULL)
		return 0;
	return copyout(&ts, uap->tp, sizeof(ts));
}

/*
 * Sleep on clock id until the time in rqtp (TIMER_ABSTIME) or for that
 * long.  A relative sleep always runs to its end, so what remains is 0.
 */
static int
sleep_common(clockid_t id, int flags, const struct timespec *rqtp,
    struct timespec *rmtp)
{
	struct timespec ts;
	int64_t now, ns, until;
	int error;

	if ((error = copyin(rqtp, &ts, sizeof(ts))) != 0)
		return error;
	if (!timespec_valid(&ts))
		return EINVAL;
	if ((error = clock_read(id, &now)) != 0)
		return error;
	ns = timespec_to_ns_sat(&ts);
	if (flags & TIMER_ABSTIME)
		ns = ns > now ? ns - now : 0;
	if (ns > 0) {
		until = mono_ns() + ns;
		rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
		    (long long)(until / NSEC_PER_SEC),
		    (long)(until % NSEC_PER_SEC));
	}
	if (rmtp != NULL && (flags & TIMER_ABSTIME) == 0) {
		ts.tv_sec = 0;
		ts.tv_nsec = 0;
		return copyout(&ts, rmtp, sizeof(ts));
	}
	return 0;
}

int
sys_nanosleep(struct lwp *l, const struct sys_nanosleep_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return sleep_common(CLOCK_MONOTONIC, 0, uap->rqtp, uap->rmtp);
}

int
sys_clock_nanosleep(struct lwp *l, const struct sys_clock_nanosleep_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	/* As Linux: flags other than TIMER_ABSTIME are ignored. */
	return sleep_common(uap->clock_id, uap->flags & TIMER_ABSTIME,
	    uap->rqtp, uap->rmtp);
}

int
sys_gettimeofday(struct lwp *l, const struct sys_gettimeofday_args *uap,
    register_t *rv)
{
	struct timezone tz = { 0, 0 };
	struct timespec ts;
	struct timeval tv;
	int error;

	(void)l;
	(void)rv;
	if (uap->tp != NULL) {
		nanotime(&ts);
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		if ((error = copyout(&tv, uap->tp, sizeof(tv))) != 0)
			return error;
	}
	if (uap->tzp != NULL)
		return copyout(&tz, uap->tzp, sizeof(tz));
	return 0;
}

int
sys_sched_yield(struct lwp *l, const struct sys_sched_yield_args *uap,
    register_t *rv)
{
	(void)l;
	(void)uap;
	(void)rv;
	yield();
	return 0;
}
