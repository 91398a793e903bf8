/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Components after boot in dependency order: the program links the core
 * alone, so there is no VFS (file calls are ENOSYS) until it loads
 * librumpfs_tmpfs.so, which brings librumpvfs.so with it; the VFS then
 * initialises before tmpfs, and both work in processes made before and
 * after.  RUMP_TMPFS_SO is the library's path in the build.
 */
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include <dlfcn.h>

#include "h_macros.h"

TESTCASE(vfs_comes_with_tmpfs)
{
	struct lwp *early;
	int fd;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_COPY), 0);
	early = rump_pub_lwproc_curlwp();
	REQUIRE_ERRNO(rump_sys_mkdir("/t", 0755), RUMP_ENOSYS);
	if (dlopen(RUMP_TMPFS_SO, RTLD_NOW | RTLD_LOCAL) == NULL)
		TEST_FAIL("dlopen: %s", dlerror());
	REQUIRE_OK(rump_sys_mkdir("/t", 0755));
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/t", 0, NULL, 0));
	REQUIRE_OK(fd = rump_sys_open("/t/f", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644));
	REQUIRE_EQ(rump_sys_write(fd, "x", 1), 1);
	REQUIRE_OK(rump_sys_chdir("/t"));
	/* A process made now inherits the directory. */
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_COPY), 0);
	REQUIRE_OK(rump_sys_access("f", 0));
	REQUIRE_EQ(rump_sys_close(fd), 0);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(early);
	REQUIRE_OK(rump_sys_access("/t/f", 0));
	REQUIRE_OK(rump_sys_close(fd));
	rump_pub_lwproc_releaselwp();
}

TESTS(CASE(vfs_comes_with_tmpfs))
