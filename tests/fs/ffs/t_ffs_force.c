/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A forced unmount of a disk file system writes back first: what was
 * written before it, even to a file still open, is on the image, and
 * the image is clean to fsck_ffs.  (The image tools release their
 * mounts this way, so an error path cannot leave a busy mount behind.)
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "h_tools.h"

static void
mount_rw(const char *img)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };

	REQUIRE_EQ(rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, 0, &ua, sizeof(ua)));
}

TESTCASE(force_writes_back)
{
	static char data[65536];
	char img[128], cmd[512], buf[16];
	int fd, big, i;

	snprintf(img, sizeof(img), "%s/img", ffs_scratch());
	snprintf(cmd, sizeof(cmd), "mkdir %s/empty && makefs -t ffs -s 16m "
	    "%s %s/empty >/dev/null", ffs_scratch(), img, ffs_scratch());
	REQUIRE(system(cmd) == 0);
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
	mount_rw(img);
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/dir", 0755));
	REQUIRE((fd = rump_sys_open(FFS_MNT "/dir/open", O_CREAT | O_RDWR,
	    0644)) != -1);
	REQUIRE_EQ(rump_sys_write(fd, "still open", 10), 10);
	/* Past the direct blocks: writing back needs the indirect block. */
	REQUIRE((big = rump_sys_open(FFS_MNT "/dir/big", O_CREAT | O_RDWR,
	    0644)) != -1);
	memset(data, 'b', sizeof(data));
	for (i = 0; i < 64; i++)
		REQUIRE_EQ(rump_sys_write(big, data, sizeof(data)),
		    sizeof(data));
	REQUIRE_OK(rump_sys_close(big));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, MNT_FORCE));
	/* The descriptor outlives the mount, dead. */
	REQUIRE_ERRNO(rump_sys_write(fd, "x", 1), EIO);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(rump_pub_etfs_remove(FFS_KEY), 0);
	fsck_clean(img);

	mount_rw(img);
	REQUIRE((fd = rump_sys_open(FFS_MNT "/dir/open", O_RDONLY, 0)) != -1);
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 10);
	REQUIRE(memcmp(buf, "still open", 10) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE((big = rump_sys_open(FFS_MNT "/dir/big", O_RDONLY, 0)) != -1);
	for (i = 0; i < 64; i++) {
		memset(data, 0, sizeof(data));
		REQUIRE_EQ(rump_sys_read(big, data, sizeof(data)),
		    sizeof(data));
		REQUIRE(data[0] == 'b' && data[sizeof(data) - 1] == 'b');
	}
	REQUIRE_EQ(rump_sys_read(big, data, 1), 0);
	REQUIRE_OK(rump_sys_close(big));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	fsck_clean(img);
}

TESTS(CASE(force_writes_back))
