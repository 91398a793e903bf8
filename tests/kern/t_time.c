/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Time system calls against the host's clocks. */
#include <sys/time.h>
#include <time.h>

#include "h_macros.h"

#define MS 1000000LL

static long long
ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long
host_ns(clockid_t id)
{
	struct timespec ts;

	REQUIRE_EQ(clock_gettime(id, &ts), 0);
	return ts_ns(&ts);
}

static void
near_host(clockid_t id)
{
	struct timespec ts;
	long long d;

	REQUIRE_OK(rump_sys_clock_gettime(id, &ts));
	REQUIRE(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	d = host_ns(id) - ts_ns(&ts);
	if (d < 0 || d > 50 * MS)
		TEST_FAIL("clock %d: %lld ns off the host's", (int)id, d);
}

TESTCASE(t_clock_gettime)
{
	struct timespec ts;

	near_host(CLOCK_REALTIME);
	near_host(CLOCK_MONOTONIC);
	REQUIRE_ERRNO(rump_sys_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_clock_gettime(1000, &ts), EINVAL);
	REQUIRE_ERRNO(rump_sys_clock_gettime(-1, &ts), EINVAL);
	REQUIRE_ERRNO(rump_sys_clock_gettime(CLOCK_REALTIME, NULL), EFAULT);
}

TESTCASE(t_clock_getres)
{
	struct timespec ts = { 99, 99 };

	REQUIRE_OK(rump_sys_clock_getres(CLOCK_MONOTONIC, &ts));
	REQUIRE_EQ(ts.tv_sec, 0);
	REQUIRE_EQ(ts.tv_nsec, 1);
	REQUIRE_OK(rump_sys_clock_getres(CLOCK_REALTIME, NULL));
	REQUIRE_ERRNO(rump_sys_clock_getres(42, &ts), EINVAL);
}

TESTCASE(t_nanosleep)
{
	struct timespec rq = { 0, 100 * MS }, rm = { 7, 7 };
	long long t0, d;

	t0 = host_ns(CLOCK_MONOTONIC);
	REQUIRE_OK(rump_sys_nanosleep(&rq, &rm));
	d = host_ns(CLOCK_MONOTONIC) - t0;
	if (d < 100 * MS || d > 300 * MS)
		TEST_FAIL("100 ms nanosleep took %lld ns", d);
	REQUIRE_EQ(rm.tv_sec, 0);
	REQUIRE_EQ(rm.tv_nsec, 0);
	rq.tv_nsec = 0;
	REQUIRE_OK(rump_sys_nanosleep(&rq, NULL));
}

TESTCASE(t_nanosleep_invalid)
{
	struct timespec rq = { 0, 1000000000 };

	REQUIRE_ERRNO(rump_sys_nanosleep(&rq, NULL), EINVAL);
	rq.tv_nsec = -1;
	REQUIRE_ERRNO(rump_sys_nanosleep(&rq, NULL), EINVAL);
	rq.tv_sec = -1;
	rq.tv_nsec = 0;
	REQUIRE_ERRNO(rump_sys_nanosleep(&rq, NULL), EINVAL);
	REQUIRE_ERRNO(rump_sys_nanosleep(NULL, NULL), EFAULT);
	rq.tv_sec = 0;
	REQUIRE_ERRNO(rump_sys_nanosleep(&rq, (struct timespec *)8), EFAULT);
}

TESTCASE(t_clock_nanosleep)
{
	struct timespec rq, rm = { 7, 7 };
	long long t0, d;

	/* Relative. */
	rq.tv_sec = 0;
	rq.tv_nsec = 60 * MS;
	t0 = host_ns(CLOCK_MONOTONIC);
	REQUIRE_OK(rump_sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &rq, &rm));
	d = host_ns(CLOCK_MONOTONIC) - t0;
	REQUIRE(d >= 60 * MS && d < 260 * MS);
	REQUIRE_EQ(rm.tv_sec + rm.tv_nsec, 0);

	/* Absolute, on the monotonic clock: until that time. */
	t0 = host_ns(CLOCK_MONOTONIC);
	rq.tv_sec = (t0 + 80 * MS) / 1000000000LL;
	rq.tv_nsec = (t0 + 80 * MS) % 1000000000LL;
	REQUIRE_OK(rump_sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
	    &rq, NULL));
	REQUIRE(host_ns(CLOCK_MONOTONIC) >= t0 + 80 * MS);
	REQUIRE(host_ns(CLOCK_MONOTONIC) < t0 + 280 * MS);

	/* Absolute, on the wall clock. */
	t0 = host_ns(CLOCK_REALTIME);
	rq.tv_sec = (t0 + 50 * MS) / 1000000000LL;
	rq.tv_nsec = (t0 + 50 * MS) % 1000000000LL;
	REQUIRE_OK(rump_sys_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME,
	    &rq, NULL));
	REQUIRE(host_ns(CLOCK_REALTIME) >= t0 + 50 * MS);

	/* In the past: at once. */
	rq.tv_sec = 1;
	rq.tv_nsec = 0;
	t0 = host_ns(CLOCK_MONOTONIC);
	REQUIRE_OK(rump_sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
	    &rq, NULL));
	REQUIRE(host_ns(CLOCK_MONOTONIC) - t0 < 50 * MS);

	REQUIRE_ERRNO(rump_sys_clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0,
	    &rq, NULL), EINVAL);
	rq.tv_nsec = 1000000000;
	REQUIRE_ERRNO(rump_sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &rq, NULL),
	    EINVAL);
}

TESTCASE(t_gettimeofday)
{
	struct { int minuteswest, dsttime; } tz = { 5, 5 };
	struct timeval tv;
	long long d;

	REQUIRE_OK(rump_sys_gettimeofday(&tv, NULL));
	REQUIRE(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	d = host_ns(CLOCK_REALTIME) / 1000 -
	    (tv.tv_sec * 1000000LL + tv.tv_usec);
	if (d < 0 || d > 50000)
		TEST_FAIL("gettimeofday %lld us off the host's", d);
	REQUIRE_OK(rump_sys_gettimeofday(&tv, &tz));
	REQUIRE_EQ(tz.minuteswest, 0);
	REQUIRE_EQ(tz.dsttime, 0);
	REQUIRE_OK(rump_sys_gettimeofday(NULL, NULL));
	REQUIRE_ERRNO(rump_sys_gettimeofday(&tv, (void *)8), EFAULT);
	REQUIRE_ERRNO(rump_sys_gettimeofday((struct timeval *)16, NULL),
	    EFAULT);
}

TESTCASE(t_sched_yield)
{
	for (int i = 0; i < 1000; i++)
		REQUIRE_EQ(rump_sys_sched_yield(), 0);
}

TESTS(CASE(t_clock_gettime), CASE(t_clock_getres), CASE(t_nanosleep),
    CASE(t_nanosleep_invalid), CASE(t_clock_nanosleep), CASE(t_gettimeofday),
    CASE(t_sched_yield))
