/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Lock torture (run inside the kernel by kernel threads): mutexes, rwlocks
 * with upgrades, condition variables.  ctest runs it with RUMP_NCPU 1, 2
 * and 4.
 */
#include "h_macros.h"
#include "kernspace/kernspace.h"

#define REQUIRE_KS(call)                                                       \
	do {                                                                   \
		int line_ = (call);                                            \
		if (line_ != 0)                                                \
			TEST_FAIL("%s failed at kernspace line %d", #call,     \
			    line_);                                            \
	} while (0)

TESTCASE(torture_2)
{
	REQUIRE_KS(rump_test_locktorture(2, 20000));
}

TESTCASE(torture_8)
{
	REQUIRE_KS(rump_test_locktorture(8, 5000));
}

TESTS(CASE(torture_2), CASE(torture_8))
