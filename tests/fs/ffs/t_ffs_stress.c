/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS under many processes at once: an image made by our newfs is
 * mounted read-write, worked on by the stress of the POSIX suite
 * (../common/fsstress.c), emptied and unmounted; then every block and
 * inode must be where the maps say, to both checkers (ffs_check.c and
 * fsck_ffs -n), and the free counts must be those of the new image.
 * The buffer cache is kept small (RUMP_MEMLIMIT), so that room is made
 * by writing buffers out while the workers change the same file system.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "h_fsstress.h"
#include "h_tools.h"

static char img[256];

static void
stress(const char *name, const char *ver, const char *bsize,
    const char *fsize, int nworkers, int nops)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	struct statvfs sv0, sv1;
	char why[256];

	snprintf(img, sizeof(img), "%s/%s.img", ffs_scratch(), name);
	REQUIRE_EQ(run(NEWFS, "-O", ver, "-b", bsize, "-f", fsize, "-s",
	    "256m", img, NULL), 0);
	REQUIRE_EQ(rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, 0, &ua, sizeof(ua)));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv0));
	fs_stress(FFS_MNT, nworkers, nops, 1);
	REQUIRE_OK(rump_sys_sync());
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv1));
	REQUIRE_EQ(sv1.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv1.f_ffree, sv0.f_ffree);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	if (ffs_check_image(img, why, sizeof(why)) != 0)
		TEST_FAIL("%s: %s", img, why);
	fsck_clean(img);
}

TESTCASE(stress_ufs2) { stress("s2", "2", "16384", "2048", 8, 1500); }
TESTCASE(stress_ufs1) { stress("s1", "1", "4096", "512", 8, 1500); }

TESTS(CASE(stress_ufs2), CASE(stress_ufs1))
