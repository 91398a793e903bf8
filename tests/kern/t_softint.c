/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Soft interrupts and work queues (run inside the kernel). */
#include "h_macros.h"
#include "kernspace/kernspace.h"

#define REQUIRE_KS(call)                                                       \
	do {                                                                   \
		int line_ = (call);                                            \
		if (line_ != 0)                                                \
			TEST_FAIL("%s failed at kernspace line %d", #call,     \
			    line_);                                            \
	} while (0)

TESTCASE(softint_basic)
{
	REQUIRE_KS(rump_test_softint_basic());
}

TESTCASE(softint_coalesce)
{
	REQUIRE_KS(rump_test_softint_coalesce());
}

TESTCASE(softint_disestablish)
{
	REQUIRE_KS(rump_test_softint_disestablish());
}

TESTCASE(workqueue_basic)
{
	REQUIRE_KS(rump_test_workqueue_basic(500));
}

TESTCASE(workqueue_wait)
{
	REQUIRE_KS(rump_test_workqueue_wait());
}

TESTS(CASE(softint_basic), CASE(softint_coalesce),
    CASE(softint_disestablish), CASE(workqueue_basic), CASE(workqueue_wait))
