/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The file systems the POSIX suite runs on, one row each: how to mount
 * one, what it lacks and why.  A new file system adds its row here and
 * links its library into the suite (tests/fs/vfs/CMakeLists.txt).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <rump/rumpvfs.h>
#include <rump/tmpfs_args.h>
#include <rump/ufs_args.h>

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

/*
 * ffs: an image made by Debian's makefs from an empty directory in a
 * temporary directory (removed at unmount), sizelimit bytes or 96 MiB,
 * an inode per 768 bytes (the suite makes a directory of 100,000 files),
 * registered as a block device and mounted read-write.
 */
struct ffsimg {
	char mnt[PATH_MAX];
	char dir[64];
};
static struct ffsimg ffsimgs[4];

static int
ffs_mount(const char *mnt, uint64_t sizelimit)
{
	struct ffsimg *fi = NULL;
	char cmd[512], img[128], key[32];
	struct ufs_args ua = { .fspec = key };
	size_t i;

	for (i = 0; i < sizeof(ffsimgs) / sizeof(ffsimgs[0]); i++)
		if (ffsimgs[i].dir[0] == '\0') {
			fi = &ffsimgs[i];
			break;
		}
	if (fi == NULL)
		return -1;
	snprintf(fi->dir, sizeof(fi->dir), "/tmp/fsffs.XXXXXX");
	if (mkdtemp(fi->dir) == NULL)
		return -1;
	snprintf(fi->mnt, sizeof(fi->mnt), "%s", mnt);
	snprintf(cmd, sizeof(cmd), "mkdir %s/empty && makefs -t ffs -o density=768 "
	    "-s %llu %s/img %s/empty >/dev/null", fi->dir, (unsigned long long)
	    (sizelimit != 0 ? sizelimit : 96 << 20), fi->dir, fi->dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(img, sizeof(img), "%s/img", fi->dir);
	snprintf(key, sizeof(key), "/dev/fsffs%zu", i);
	if (rump_pub_etfs_register(key, img, RUMP_ETFS_BLK) != 0)
		return -1;
	return rump_sys_mount("ffs", mnt, 0, &ua, sizeof(ua));
}

static int
ffs_unmount(const char *mnt)
{
	char cmd[128];
	size_t i;
	int rv;

	if ((rv = rump_sys_unmount(mnt, 0)) != 0)
		return rv;
	for (i = 0; i < sizeof(ffsimgs) / sizeof(ffsimgs[0]); i++) {
		if (ffsimgs[i].dir[0] == '\0' ||
		    strcmp(ffsimgs[i].mnt, mnt) != 0)
			continue;
		snprintf(cmd, sizeof(cmd), "rm -rf %s", ffsimgs[i].dir);
		if (system(cmd) != 0)
			return -1;
		ffsimgs[i].dir[0] = '\0';
	}
	return 0;
}

const struct fstype fstypes[] = {
	{ "rumpfs", FS_SIZELIMIT, "the root file system has no size limit",
	    rootfs_mount, rootfs_unmount },
	{ "tmpfs", 0, NULL, tmpfs_mount, tmpfs_unmount },
	{ "ffs", 0, NULL, ffs_mount, ffs_unmount },
};
const size_t nfstypes = sizeof(fstypes) / sizeof(fstypes[0]);
