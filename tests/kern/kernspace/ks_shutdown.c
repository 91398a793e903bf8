/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* A shutdown hook that counts its runs, for the reboot tests. */
#include <sys/reboot.h>

#include "ks_test.h"

static void
count_hook(void *arg)
{
	(*(int *)arg)++;
}

int
rump_test_shutdown_hook(int *countp)
{
	static struct shutdown_hook sh;

	rump_schedule();
	sh.sh_func = count_hook;
	sh.sh_arg = countp;
	shutdown_hook_register(&sh);
	rump_unschedule();
	return 0;
}
