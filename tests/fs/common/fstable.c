/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The file systems the POSIX suite runs on, one row each: how to mount
 * one, what it lacks and why.  A new file system adds its row here and
 * links its library into the suite (tests/fs/vfs/CMakeLists.txt).
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <rump/tmpfs_args.h>

#include "h_fsmacros.h"

/*
 * rumpfs, the root file system: the cases run in a directory of "/"
 * itself, so they test the root as booted, not a second mount.
 */
static int
rootfs_mount(const char *mnt, uint64_t sizelimit)
{
	(void)mnt;
	return sizelimit == 0 ? 0 : -1;
}

static int
rootfs_unmount(const char *mnt)
{
	(void)mnt;
	return 0;
}

static int
tmpfs_mount(const char *mnt, uint64_t sizelimit)
{
	struct tmpfs_args ta = { .ta_version = TMPFS_ARGS_VERSION,
		.ta_size_max = sizelimit, .ta_root_mode = 0755 };

	if (sizelimit == 0)
		return rump_sys_mount("tmpfs", mnt, 0, NULL, 0);
	return rump_sys_mount("tmpfs", mnt, 0, &ta, sizeof(ta));
}

static int
tmpfs_unmount(const char *mnt)
{
	return rump_sys_unmount(mnt, 0);
}

const struct fstype fstypes[] = {
	{ "rumpfs", FS_SIZELIMIT, "the root file system has no size limit",
	    rootfs_mount, rootfs_unmount },
	{ "tmpfs", 0, NULL, tmpfs_mount, tmpfs_unmount },
};
const size_t nfstypes = sizeof(fstypes) / sizeof(fstypes[0]);
