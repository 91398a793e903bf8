/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS read back: images that Debian's makefs(8) built, UFS1 and UFS2,
 * little- and big-endian, block sizes 4 KiB to 64 KiB with fragments
 * of 1/8 to 1/1, mounted read-only and compared with the host trees
 * they were made from (ffs_util.c): a generated tree with every kind
 * of file and block-map boundary, and /usr/include/linux.  Then holes,
 * statvfs, and the refusals (read-write, writes, foreign images).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"

#define REALTREE "/usr/include/linux"

static char src[128], spec[128];

static const char *
image(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s.img", ffs_scratch(), name);
	return p;
}

static void
readback(const char *name, const char *opts, const char *order)
{
	const char *img = image(name);
	struct stat st, st2;
	size_t n;

	ffs_makefs(img, src, spec, opts, order);
	REQUIRE_EQ(ffs_mount(img), 0);
	n = ffs_compare(src, true);
	REQUIRE(n > 2000);
	/* What the host cannot show: devices, and hard links' inode. */
	REQUIRE_OK(rump_sys_lstat(FFS_MNT "/cdev", &st));
	REQUIRE(S_ISCHR(st.st_mode) && (st.st_mode & 07777) == 0620);
	REQUIRE_EQ(st.st_rdev, makedev(5, 300));
	REQUIRE_EQ(st.st_gid, 5);
	REQUIRE_OK(rump_sys_lstat(FFS_MNT "/bdev", &st));
	REQUIRE(S_ISBLK(st.st_mode));
	REQUIRE_EQ(st.st_rdev, makedev(8, 1));
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/h/a", &st));
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/f/c", &st2));
	REQUIRE_EQ(st.st_ino, st2.st_ino);
	REQUIRE_EQ(st.st_nlink, 3);
	/* Through a symlink, and ".." at every level of the deep path. */
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/l/tofile", &st));
	REQUIRE_EQ(st.st_size, 4097);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d0/d1/d2/../../d1/d2/d3/d4/d5/"
	    "d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/leaf", &st));
	REQUIRE_EQ(st.st_size, 333);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
}

TESTCASE(ufs2_le_4k_512) { readback("a", "version=2,bsize=4096,fsize=512", "le"); }
TESTCASE(ufs2_be_8k_1k) { readback("b", "version=2,bsize=8192,fsize=1024", "be"); }
TESTCASE(ufs2_le_32k_8k) { readback("c", "version=2,bsize=32768,fsize=8192", "le"); }
TESTCASE(ufs2_be_64k_8k) { readback("d", "version=2,bsize=65536,fsize=8192", "be"); }
TESTCASE(ufs1_le_16k_2k) { readback("e", "version=1,bsize=16384,fsize=2048", "le"); }
TESTCASE(ufs1_be_4k_4k) { readback("f", "version=1,bsize=4096,fsize=4096", "be"); }
TESTCASE(ufs1_le_8k_1k) { readback("g", "version=1,bsize=8192,fsize=1024", "le"); }
TESTCASE(ufs1_be_16k_16k) { readback("h", "version=1,bsize=16384,fsize=16384", "be"); }

static void
realtree(const char *name, const char *opts, const char *order)
{
	const char *img = image(name);

	ffs_makefs(img, REALTREE, NULL, opts, order);
	REQUIRE_EQ(ffs_mount(img), 0);
	REQUIRE(ffs_compare(REALTREE, false) > 100);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
}

TESTCASE(real_ufs2_le) { realtree("r2", "version=2,bsize=16384,fsize=2048", "le"); }
TESTCASE(real_ufs1_be) { realtree("r1", "version=1,bsize=4096,fsize=1024", "be"); }

/*
 * The frag address of a UFS2 little-endian inode's db[0]: patched to
 * zero it makes a hole, which makefs never writes itself.
 */
static off_t
db0_offset(const char *img, ino_t ino)
{
	unsigned char sb[8192];
	uint32_t iblkno, fsize, ipg, fpg, inopb, bsize;
	uint64_t frag;
	int fd;

	REQUIRE((fd = open(img, O_RDONLY)) != -1);
	REQUIRE_EQ(pread(fd, sb, sizeof(sb), 8192), sizeof(sb));
	close(fd);
	memcpy(&iblkno, sb + 16, 4);
	memcpy(&bsize, sb + 48, 4);
	memcpy(&fsize, sb + 52, 4);
	memcpy(&inopb, sb + 120, 4);
	memcpy(&ipg, sb + 184, 4);
	memcpy(&fpg, sb + 188, 4);
	frag = (uint64_t)(ino / ipg) * fpg + iblkno +
	    (ino % ipg) / inopb * (bsize / fsize);
	return (off_t)(frag * fsize + (ino % inopb) * 256 + 112);
}

TESTCASE(holes)
{
	const char *img = image("hole");
	unsigned char *buf = malloc(4 * 8192), zero[8] = { 0 };
	struct stat st;
	ino_t ino;
	int fd;

	REQUIRE(buf != NULL);
	ffs_makefs(img, src, spec, "version=2,bsize=8192,fsize=1024", "le");
	REQUIRE_EQ(ffs_mount(img), 0);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/f/size_100000", &st));
	ino = st.st_ino;
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	REQUIRE((fd = open(img, O_RDWR)) != -1);
	REQUIRE_EQ(pwrite(fd, zero, 8, db0_offset(img, ino)), 8);
	close(fd);
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_RDONLY,
	    &(struct ufs_args){ .fspec = (char *)FFS_KEY },
	    sizeof(struct ufs_args)));
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f/size_100000", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, 4 * 8192), 4 * 8192);
	for (int i = 0; i < 8192; i++)
		REQUIRE_EQ(buf[i], 0);
	REQUIRE(buf[8192] != 0 || buf[8193] != 0 || buf[8194] != 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_DATA), 8192);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_HOLE), 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 8192, SEEK_HOLE), 100000);
	rump_sys_close(fd);
	free(buf);
}

TESTCASE(statvfs_and_refusals)
{
	const char *img = image("sv");
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	struct statvfs sv;
	char junk[4096] = "not a file system";
	int fd;

	ffs_makefs(img, src, spec, "version=2,bsize=16384,fsize=2048", "be");
	REQUIRE_OK(rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
	REQUIRE_ERRNO(rump_sys_mount("ffs", FFS_MNT, MS_RDONLY, &ua, 3),
	    EINVAL);
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_RDONLY, &ua, sizeof(ua)));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv));
	REQUIRE_EQ(sv.f_bsize, 16384);
	REQUIRE_EQ(sv.f_frsize, 2048);
	REQUIRE(sv.f_blocks > sv.f_bfree && sv.f_bfree >= sv.f_bavail);
	REQUIRE(sv.f_files > 2000 && sv.f_ffree < sv.f_files);
	REQUIRE_EQ(sv.f_namemax, 255);
	REQUIRE_ERRNO(rump_sys_open(FFS_MNT "/new", O_RDWR | O_CREAT, 0644),
	    EROFS);
	REQUIRE_ERRNO(rump_sys_open(FFS_MNT "/f/size_1", O_RDWR, 0), EROFS);
	REQUIRE_ERRNO(rump_sys_mkdir(FFS_MNT "/nd", 0755), EROFS);
	REQUIRE_ERRNO(rump_sys_access(FFS_MNT "/f/size_1", W_OK), EROFS);
	REQUIRE_ERRNO(rump_sys_unlink(FFS_MNT "/f/size_1"), EROFS);
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_REMOUNT, NULL, 0));
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_REMOUNT | MS_RDONLY, NULL,
	    0));
	REQUIRE_ERRNO(rump_sys_open(FFS_MNT "/f/size_1/x", O_RDONLY, 0),
	    ENOTDIR);
	REQUIRE_ERRNO(rump_sys_open(FFS_MNT "/f/nothere", O_RDONLY, 0), ENOENT);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));

	/* Not FFS at all. */
	memset(junk + 100, 0x5a, 1000);
	REQUIRE((fd = open(image("junk"), O_RDWR | O_CREAT, 0644)) != -1);
	for (int i = 0; i < 64; i++)
		REQUIRE_EQ(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	REQUIRE_OK(rump_pub_etfs_register("/dev/junk", image("junk"),
	    RUMP_ETFS_BLK));
	ua.fspec = (char *)"/dev/junk";
	REQUIRE_ERRNO(rump_sys_mount("ffs", FFS_MNT, MS_RDONLY, &ua,
	    sizeof(ua)), EINVAL);
}

int
main(int argc, char **argv)
{
	static const struct testcase tcs[] = {
		CASE(ufs2_le_4k_512), CASE(ufs2_be_8k_1k),
		CASE(ufs2_le_32k_8k), CASE(ufs2_be_64k_8k),
		CASE(ufs1_le_16k_2k), CASE(ufs1_be_4k_4k),
		CASE(ufs1_le_8k_1k), CASE(ufs1_be_16k_16k),
		CASE(real_ufs2_le), CASE(real_ufs1_be),
		CASE(holes), CASE(statvfs_and_refusals),
	};

	/* One tree for every case; the cases run in children. */
	snprintf(src, sizeof(src), "%s/src", ffs_scratch());
	snprintf(spec, sizeof(spec), "%s/spec", ffs_scratch());
	ffs_mktree(src, spec);
	return run_tests(tcs, sizeof(tcs) / sizeof(tcs[0]), argc, argv);
}
