/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* reboot(2): halting, syncing through the shutdown hooks, exiting. */
#include "h_macros.h"
#include "kernspace/kernspace.h"

static int hook_runs;
static int case_done;

/* A halt returns to the caller: exiting instead is a failure. */
static void
check_returned(void)
{
	if (!case_done) {
		fprintf(stderr, "process exited inside reboot\n");
		_exit(4);
	}
}

TESTCASE(halt)
{
	size_t len = sizeof(int);
	int n;

	REQUIRE_EQ(rump_test_shutdown_hook(&hook_runs), 0);
	REQUIRE_EQ(atexit(check_returned), 0);
	REQUIRE_OK(rump_sys_reboot(RUMP_RB_HALT, NULL));
	REQUIRE_EQ(hook_runs, 1);
	/* Halted: as before boot, and it does not boot again. */
	REQUIRE_ERRNO(rump_sys_getpid(), ENXIO);
	REQUIRE_ERRNO(rump_sys_reboot(RUMP_RB_HALT, NULL), ENXIO);
	REQUIRE_EQ(rump_pub_sysctlbyname("hw.ncpu", &n, &len, NULL, 0), ENXIO);
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_ERRNO(rump_sys_getpid(), ENXIO);
	case_done = 1;
}

TESTCASE(halt_nosync)
{
	REQUIRE_EQ(rump_test_shutdown_hook(&hook_runs), 0);
	REQUIRE_EQ(atexit(check_returned), 0);
	REQUIRE_OK(rump_sys_reboot(RUMP_RB_HALT | RUMP_RB_NOSYNC, NULL));
	REQUIRE_EQ(hook_runs, 0);
	REQUIRE_ERRNO(rump_sys_getpid(), ENXIO);
	case_done = 1;
}

TESTCASE(nonroot)
{
	REQUIRE_EQ(rump_test_shutdown_hook(&hook_runs), 0);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_ERRNO(rump_sys_reboot(RUMP_RB_HALT, NULL), EPERM);
	REQUIRE_ERRNO(rump_sys_reboot(RUMP_RB_AUTOBOOT, NULL), EPERM);
	REQUIRE_EQ(hook_runs, 0);
	REQUIRE_EQ(rump_sys_getpid(), 2);
}

/* Runs as the process exits: the hooks must have run first. */
static void
check_synced(void)
{
	if (hook_runs != 1) {
		fprintf(stderr, "exit without sync: %d hook runs\n",
		    hook_runs);
		_exit(3);
	}
}

/* The host process exits with status 0: the harness sees a pass. */
TESTCASE(autoboot)
{
	REQUIRE_EQ(rump_test_shutdown_hook(&hook_runs), 0);
	REQUIRE_EQ(atexit(check_synced), 0);
	rump_sys_reboot(RUMP_RB_AUTOBOOT, NULL);
	TEST_FAIL("reboot returned: errno %d", errno);
}

TESTS(CASE(halt), CASE(halt_nosync), CASE(nonroot), CASE(autoboot))
