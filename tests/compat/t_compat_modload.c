/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A file system loaded after boot, as fs-utils and the original's module
 * tests do: the program links the core and the VFS only; tmpfs is not
 * there (ENODEV) until librumpfs_tmpfs.so is dlopen()ed, and then it
 * mounts at once; rump_pub_module_init() over its registration record
 * (dlsym of rump_modinfo_tmpfs) is 0 and changes nothing more.
 * RUMP_TMPFS_SO is the library's path in the build.
 */
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include <dlfcn.h>
#include <sys/stat.h>

#include "h_macros.h"

TESTCASE(dlopen_after_boot)
{
	const struct modinfo *const *mi;
	struct rump_tmpfs_args ta = { .ta_version = RUMP_TMPFS_ARGS_VERSION,
		.ta_root_mode = 0700 };
	struct stat sb;
	void *h;

	REQUIRE_OK(rump_sys_mkdir("/t", 0755));
	REQUIRE_ERRNO(rump_sys_mount(RUMP_MOUNT_TMPFS, "/t", 0, &ta,
	    sizeof(ta)), RUMP_ENODEV);
	if ((h = dlopen(RUMP_TMPFS_SO, RTLD_NOW | RTLD_LOCAL)) == NULL)
		TEST_FAIL("dlopen: %s", dlerror());
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/t", 0, &ta, sizeof(ta)));
	REQUIRE_OK(rump_sys_stat("/t", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0700);
	REQUIRE_OK(rump_sys_mkdir("/t/d", 0755));

	if ((mi = dlsym(h, "rump_modinfo_tmpfs")) == NULL)
		TEST_FAIL("dlsym: %s", dlerror());
	REQUIRE_EQ(rump_pub_module_init(mi, 1), 0);
	/* Still one tmpfs type: a second mount works the same. */
	REQUIRE_OK(rump_sys_mkdir("/u", 0755));
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/u", 0, NULL, 0));
	REQUIRE_OK(rump_sys_unmount("/u", 0));
	REQUIRE_OK(rump_sys_unmount("/t", 0));
}

TESTCASE(module_init_errors)
{
	static const int junk = 0;
	const struct modinfo *bad[] = { (const struct modinfo *)&junk };

	REQUIRE_EQ(rump_pub_module_init(bad, 1), RUMP_EINVAL);
	REQUIRE_EQ(rump_pub_module_init(NULL, 1), RUMP_EINVAL);
	REQUIRE_EQ(rump_pub_module_init(NULL, 0), 0);
}

TESTCASE(module_init_before_boot)
{
	REQUIRE_EQ(rump_pub_module_init(NULL, 0), RUMP_ENXIO);
}

/* Loaded before boot: it registers, and rump_init() initialises it. */
TESTCASE(dlopen_before_boot)
{
	if (dlopen(RUMP_TMPFS_SO, RTLD_NOW | RTLD_LOCAL) == NULL)
		TEST_FAIL("dlopen: %s", dlerror());
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_OK(rump_sys_mkdir("/t", 0755));
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/t", 0, NULL, 0));
}

TESTS(CASE(dlopen_after_boot), CASE(module_init_errors),
    CASE_NOBOOT(module_init_before_boot), CASE_NOBOOT(dlopen_before_boot))
