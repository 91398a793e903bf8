/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Time values, with Linux's layout and clock numbers. */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

/* Linux's struct timezone: gettimeofday() reports zeroes (UTC). */
struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define TIMER_ABSTIME   1

#define NSEC_PER_SEC 1000000000LL

static inline int64_t
timespec_to_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static inline struct timespec
ns_to_timespec(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / NSEC_PER_SEC),
		(long)(ns % NSEC_PER_SEC) };
	return ts;
}

/* kern_tc.c: the time now, from the host's clocks. */
void nanotime(struct timespec *);       /* wall clock */
void nanouptime(struct timespec *);     /* since boot */
/* The host monotonic clock at boot, in ns: CLOCK_MONOTONIC for clients. */
int64_t time_boot_mono_ns(void);

#endif /* _SYS_TIME_H_ */
