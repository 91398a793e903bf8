/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The mbuf routines, run inside the kernel (kernspace/ks_mbuf.c): each
 * case leaves as many mbufs and clusters allocated as it found.  The
 * memory limit case boots with RUMP_MEMLIMIT=4m.  kern.mbuf.stats shows
 * the counters.
 */
#include <stdint.h>

#include "h_macros.h"
#include "kernspace/netspace.h"

#define REQUIRE_KS(call)                                                       \
	do {                                                                   \
		int line_ = (call);                                            \
		if (line_ != 0)                                                \
			TEST_FAIL("%s failed at kernspace line %d", #call,     \
			    line_);                                            \
	} while (0)

TESTCASE(copym_shares)
{
	REQUIRE_KS(rump_test_mbuf_copym_shares());
}

TESTCASE(pullup)
{
	REQUIRE_KS(rump_test_mbuf_pullup());
}

TESTCASE(adj)
{
	REQUIRE_KS(rump_test_mbuf_adj());
}

TESTCASE(split)
{
	REQUIRE_KS(rump_test_mbuf_split());
}

TESTCASE(copyback)
{
	REQUIRE_KS(rump_test_mbuf_copyback());
}

TESTCASE(prepend)
{
	REQUIRE_KS(rump_test_mbuf_prepend());
}

TESTCASE(dup_append)
{
	REQUIRE_KS(rump_test_mbuf_dup_append());
}

TESTCASE(memlimit)
{
	REQUIRE_EQ(setenv("RUMP_MEMLIMIT", "4m", 1), 0);
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_KS(rump_test_mbuf_memlimit());
}

/* kern.mbuf.stats: the counters, read-only. */
TESTCASE(sysctl_stats)
{
	struct {
		uint64_t mbufs, clusters, drops, bytes;
	} st;
	size_t len = sizeof(st);

	REQUIRE_EQ(rump_pub_sysctlbyname("kern.mbuf.stats", &st, &len, NULL, 0), 0);
	REQUIRE_EQ(len, sizeof(st));
	REQUIRE_EQ(st.mbufs + st.clusters, rump_test_mbuf_count());
	REQUIRE(st.bytes >= st.mbufs * 512 + st.clusters * 2048);
	REQUIRE_EQ(rump_pub_sysctlbyname("kern.mbuf.stats", NULL, NULL, &st,
	    sizeof(st)), EPERM);
}

TESTS(CASE(copym_shares), CASE(pullup), CASE(adj), CASE(split),
    CASE(copyback), CASE(prepend), CASE(dup_append),
    CASE_NOBOOT(memlimit), CASE(sysctl_stats))
