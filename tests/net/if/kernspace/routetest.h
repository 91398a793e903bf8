/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel half of the routing table's tests (librumpnet_routetest):
 * what the routing socket cannot show.  Each returns 0, or the source
 * line of the first requirement that failed; each enters the kernel
 * itself.
 */
#ifndef _TESTS_ROUTETEST_H_
#define _TESTS_ROUTETEST_H_

/* References: a deleted route lives on, not up, until its last rtfree. */
int rump_test_route_refs(void);
/* rt_walk visits every route once and stops at a non-zero visitor. */
int rump_test_route_walk(int nroutes);
/* Link-layer state is freed once, when the route is deleted. */
int rump_test_route_llinfo(void);

#endif /* _TESTS_ROUTETEST_H_ */
