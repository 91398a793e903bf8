/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Processes and lwps: pids, parents, credentials, umask, isolation. */
#include "h_macros.h"

TESTCASE(init_twice)
{
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(rump_sys_getpid(), 1);
}

TESTCASE(syscall_before_init)
{
	REQUIRE_ERRNO(rump_sys_getpid(), ENXIO);
}

TESTCASE(rfork_pids)
{
	struct lwp *parent, *child;

	REQUIRE_EQ(rump_sys_getpid(), 1);
	REQUIRE_EQ(rump_sys_getppid(), 0);
	REQUIRE_EQ(rump_pub_lwproc_curlwp(), NULL);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_pub_lwproc_curlwp();
	REQUIRE(parent != NULL);
	REQUIRE_EQ(rump_sys_getpid(), 2);
	REQUIRE_EQ(rump_sys_getppid(), 1);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_EQ(rump_sys_getpid(), 3);
	REQUIRE_EQ(rump_sys_getppid(), 2);
	child = rump_pub_lwproc_curlwp();
	/* End the parent: the child is handed to pid 1. */
	rump_pub_lwproc_switch(parent);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_pub_lwproc_curlwp(), NULL);
	REQUIRE_EQ(rump_sys_getpid(), 1);
	REQUIRE_EQ(rump_pub_lwproc_newlwp(3), 0);
	REQUIRE_EQ(rump_sys_getpid(), 3);
	REQUIRE_EQ(rump_sys_getppid(), 1);
	rump_pub_lwproc_releaselwp();
	/* The process lives on in its first lwp until that ends too. */
	rump_pub_lwproc_switch(child);
	REQUIRE_EQ(rump_sys_getpid(), 3);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_pub_lwproc_newlwp(3), ESRCH);
	REQUIRE_EQ(rump_pub_lwproc_newlwp(-1), ESRCH);
}

/* As the original: a thread may join proc0, the kernel's process. */
TESTCASE(newlwp_proc0)
{
	struct lwp *l;

	REQUIRE_EQ(rump_pub_lwproc_newlwp(0), 0);
	l = rump_pub_lwproc_curlwp();
	REQUIRE(l != NULL);
	REQUIRE_EQ(rump_sys_getpid(), 0);
	REQUIRE_EQ(rump_sys_geteuid(), 0);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_pub_lwproc_curlwp(), NULL);
	/* proc0 outlives its client lwps. */
	REQUIRE_EQ(rump_sys_getpid(), 1);
	REQUIRE_EQ(rump_pub_lwproc_newlwp(0), 0);
	REQUIRE_EQ(rump_sys_getpid(), 0);
	rump_pub_lwproc_releaselwp();
}

TESTCASE(rfork_bad_flags)
{
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG | RUMP_RFCFDG), EINVAL);
	REQUIRE_EQ(rump_pub_lwproc_rfork(0x2), EINVAL);
	REQUIRE_EQ(rump_pub_lwproc_curlwp(), NULL);
}

TESTCASE(newlwp_shares_process)
{
	struct lwp *a, *b;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	a = rump_pub_lwproc_curlwp();
	REQUIRE_EQ(rump_pub_lwproc_newlwp(2), 0);
	b = rump_pub_lwproc_curlwp();
	REQUIRE(a != b);
	REQUIRE_EQ(rump_sys_getpid(), 2);
	REQUIRE_OK(rump_sys_setuid(77));
	rump_pub_lwproc_switch(a);
	/* Ids belong to the process: the other lwp sees the change. */
	REQUIRE_EQ(rump_sys_getuid(), 77);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(b);
	REQUIRE_EQ(rump_sys_getpid(), 2);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_pub_lwproc_newlwp(2), ESRCH);
}

TESTCASE(creds_isolated)
{
	struct lwp *p1;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	p1 = rump_pub_lwproc_curlwp();
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_OK(rump_sys_setgid(50));
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_EQ(rump_sys_getuid(), 1000);
	REQUIRE_EQ(rump_sys_geteuid(), 1000);
	REQUIRE_EQ(rump_sys_getgid(), 50);
	/* Dropped root for good: no way back. */
	REQUIRE_ERRNO(rump_sys_setuid(0), EPERM);
	REQUIRE_ERRNO(rump_sys_seteuid(0), EPERM);
	REQUIRE_ERRNO(rump_sys_setgroups(0, NULL), EPERM);
	rump_pub_lwproc_switch(p1);
	REQUIRE_EQ(rump_sys_getuid(), 0);
	REQUIRE_EQ(rump_sys_getgid(), 0);
}

TESTCASE(saved_uid)
{
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_OK(rump_sys_setreuid(1000, 2000));
	REQUIRE_EQ(rump_sys_getuid(), 1000);
	REQUIRE_EQ(rump_sys_geteuid(), 2000);
	/* Saved uid followed the effective one: 2000. */
	REQUIRE_OK(rump_sys_seteuid(1000));
	REQUIRE_EQ(rump_sys_geteuid(), 1000);
	REQUIRE_OK(rump_sys_seteuid(2000));
	REQUIRE_ERRNO(rump_sys_seteuid(3000), EPERM);
	REQUIRE_ERRNO(rump_sys_setuid(3000), EPERM);
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_EQ(rump_sys_geteuid(), 1000);
	REQUIRE_EQ(rump_sys_getuid(), 1000);
}

TESTCASE(groups)
{
	gid_t set[3] = { 5, 6, 7 }, got[8];

	REQUIRE_EQ(rump_sys_getgroups(0, NULL), 0);
	REQUIRE_OK(rump_sys_setgroups(3, set));
	REQUIRE_EQ(rump_sys_getgroups(0, NULL), 3);
	REQUIRE_ERRNO(rump_sys_getgroups(2, got), EINVAL);
	REQUIRE_EQ(rump_sys_getgroups(8, got), 3);
	REQUIRE(memcmp(set, got, sizeof(set)) == 0);
	REQUIRE_ERRNO(rump_sys_setgroups(-1, set), EINVAL);
	REQUIRE_ERRNO(rump_sys_setgroups(1, NULL), EFAULT);
	REQUIRE_ERRNO(rump_sys_getgroups(8, (gid_t *)8), EFAULT);
}

TESTCASE(umask_inherited)
{
	REQUIRE_EQ(rump_sys_umask(027), 022);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_umask(0), 027);
	REQUIRE_EQ(rump_sys_umask(07777), 0);
	REQUIRE_EQ(rump_sys_umask(0), 0777);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_sys_umask(022), 027);
}

TESTS(CASE_NOBOOT(init_twice), CASE_NOBOOT(syscall_before_init),
    CASE(rfork_pids), CASE(rfork_bad_flags), CASE(newlwp_shares_process),
    CASE(newlwp_proc0),
    CASE(creds_isolated), CASE(saved_uid), CASE(groups),
    CASE(umask_inherited))
