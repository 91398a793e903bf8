/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel memory under RUMP_MEMLIMIT=1m: the limit holds, with NULL or
 * ENOMEM and no crash; freeing gives memory back; reclaimers run before
 * an allocation fails; pools reuse objects; pages come and go by chunks.
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

static void
boot_limited(void)
{
	REQUIRE_EQ(setenv("RUMP_MEMLIMIT", "1m", 1), 0);
	REQUIRE_EQ(rump_init(), 0);
}

TESTCASE(limit)
{
	boot_limited();
	REQUIRE_KS(rump_test_kmem_limit());
}

TESTCASE(reclaim)
{
	boot_limited();
	REQUIRE_KS(rump_test_kmem_reclaim());
}

TESTCASE(pool_reuse)
{
	boot_limited();
	REQUIRE_KS(rump_test_pool_reuse());
}

TESTCASE(page_alloc)
{
	boot_limited();
	REQUIRE_KS(rump_test_page_alloc());
}

#define MAXPROCS 20000

/* Processes until the memory runs out: ENOMEM, then all freed again. */
TESTCASE(rfork_enomem)
{
	static struct lwp *lwps[MAXPROCS];
	int error = 0, n;

	boot_limited();
	for (n = 0; n < MAXPROCS; n++) {
		if ((error = rump_pub_lwproc_rfork(RUMP_RFCFDG)) != 0)
			break;
		lwps[n] = rump_pub_lwproc_curlwp();
	}
	REQUIRE_EQ(error, ENOMEM);
	REQUIRE(n > 10);
	while (n > 0) {
		rump_pub_lwproc_switch(lwps[--n]);
		rump_pub_lwproc_releaselwp();
	}
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_getppid(), 1);
	REQUIRE_KS(rump_test_kmem_limit());
}

TESTS(CASE_NOBOOT(limit), CASE_NOBOOT(reclaim), CASE_NOBOOT(pool_reuse),
    CASE_NOBOOT(page_alloc),
    CASE_NOBOOT(rfork_enomem))
