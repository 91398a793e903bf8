/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Callouts, kpause and timed waits (run inside the kernel by
 * librumpkern_test), and the promise that an idle kernel uses no CPU.
 */
#include <sys/resource.h>
#include <time.h>

#include "h_macros.h"
#include "kernspace/kernspace.h"

#define MS 1000000ULL

#define REQUIRE_KS(call)                                                       \
	do {                                                                   \
		int line_ = (call);                                            \
		if (line_ != 0)                                                \
			TEST_FAIL("%s failed at kernspace line %d", #call,     \
			    line_);                                            \
	} while (0)

TESTCASE(callout_once)
{
	uint64_t elapsed;

	REQUIRE_KS(rump_test_callout_once(5, &elapsed));
	if (elapsed < 50 * MS || elapsed > 250 * MS)
		TEST_FAIL("5-tick callout fired after %llu ns",
		    (unsigned long long)elapsed);
}

TESTCASE(callout_stop)
{
	REQUIRE_KS(rump_test_callout_stop());
}

TESTCASE(callout_reset)
{
	REQUIRE_KS(rump_test_callout_reset());
}

TESTCASE(callout_halt)
{
	REQUIRE_KS(rump_test_callout_halt());
}

TESTCASE(callout_order)
{
	REQUIRE_KS(rump_test_callout_order(1000));
}

TESTCASE(kpause)
{
	uint64_t elapsed;

	REQUIRE_KS(rump_test_kpause(5, &elapsed));
	if (elapsed < 50 * MS || elapsed > 250 * MS)
		TEST_FAIL("5-tick kpause took %llu ns",
		    (unsigned long long)elapsed);
}

TESTCASE(cv_timedwait)
{
	uint64_t elapsed;

	REQUIRE_KS(rump_test_cv_timedwait(4, &elapsed));
	if (elapsed < 40 * MS || elapsed > 240 * MS)
		TEST_FAIL("4-tick cv_timedwait took %llu ns",
		    (unsigned long long)elapsed);
}

static long long
cpu_us(long *wakeupsp)
{
	struct rusage ru;

	REQUIRE_EQ(getrusage(RUSAGE_SELF, &ru), 0);
	*wakeupsp = ru.ru_nvcsw + ru.ru_nivcsw;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/*
 * With the clock, softint and work queue threads started and nothing
 * pending, a second of host time costs the process (nearly) no CPU.  A
 * periodic tick would cost little CPU but many context switches, so
 * those are counted too: this thread's sleep is one or two.
 */
TESTCASE(idle_cpu)
{
	uint64_t elapsed;
	long long before, used;
	long sw0, sw1;

	REQUIRE_KS(rump_test_callout_once(1, &elapsed));
	REQUIRE_KS(rump_test_softint_basic());
	REQUIRE_KS(rump_test_workqueue_basic(10));
	before = cpu_us(&sw0);
	sleep(1);
	used = cpu_us(&sw1) - before;
	if (used >= 20000)
		TEST_FAIL("idle kernel used %lld us of CPU in 1 s", used);
	if (sw1 - sw0 > 10)
		TEST_FAIL("idle kernel: %ld context switches in 1 s",
		    sw1 - sw0);
}

TESTS(CASE(callout_once), CASE(callout_stop), CASE(callout_reset),
    CASE(callout_halt), CASE(callout_order), CASE(kpause),
    CASE(cv_timedwait), CASE(idle_cpu))
