/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* What the kernel-side test files share. */
#ifndef _TESTS_KS_TEST_H_
#define _TESTS_KS_TEST_H_

#include <sys/systm.h>
#include <rump/rump.h>

#include "kernspace.h"

/* Fail the test function: error = line, then to its "out" label. */
#define KS_REQUIRE(e)                                                          \
	do {                                                                   \
		if (!(e)) {                                                    \
			printf("kernspace: %s:%d: %s failed\n", __FILE__,      \
			    __LINE__, #e);                                     \
			error = __LINE__;                                      \
			goto out;                                              \
		}                                                              \
	} while (0)

#define TICK_NS ((uint64_t)(1000000000 / hz))

#endif /* _TESTS_KS_TEST_H_ */
