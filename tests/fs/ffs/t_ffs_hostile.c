/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Hostile FFS images, one named kind of damage at a time: a makefs
 * image of a small tree with one field changed (through libffsutil, in
 * the image's byte order), then mounted.  Each case wants exactly the
 * errno of the call that meets the damage (EINVAL at mount, EIO later),
 * one kernel log line saying what it is, and the rest of the file
 * system still readable.  (Seeded random corruption: t_ffs_fuzz.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "ffsutil.h"
#include "h_tools.h"

static char img[256], logpath[256];
/* Room for a command with the scratch directory four times. */
#define CMDLEN 2048

/*
 * A makefs image: /g ("world\n"), /d/e1..e3, /a/b, and /big with 40
 * blocks (past the 12 direct ones: a single indirect block).
 */
static void
mkimage(const char *opts, const char *order)
{
	char src[256], cmd[CMDLEN];
	int fd;

	snprintf(src, sizeof(src), "%s/src", ffs_scratch());
	snprintf(img, sizeof(img), "%s/img", ffs_scratch());
	snprintf(logpath, sizeof(logpath), "%s/log", ffs_scratch());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/d %s/a/b && "
	    "cd %s && echo world >g && echo 1 >d/e1 && echo 2 >d/e2 && "
	    "echo 3 >d/e3", src, src, src, src);
	REQUIRE(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s/big", src);
	REQUIRE((fd = open(cmd, O_WRONLY | O_CREAT, 0644)) != -1);
	for (int i = 0; i < 40; i++)
		REQUIRE(pwrite(fd, "block", 5, (off_t)i * 4096) == 5);
	close(fd);
	snprintf(cmd, sizeof(cmd), "makefs -t ffs -s 4m -B %s -o %s %s %s "
	    ">/dev/null", order, opts, img, src);
	REQUIRE(system(cmd) == 0);
	img_open(img);
}

static void
mountro(void)
{
	img_close();
	REQUIRE_EQ(ffs_mount(img), 0);
}

/* The undamaged file still reads. */
static void
others_read(void)
{
	char buf[16];
	int fd;

	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/g", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, "world\n", 6) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
}

/* The single indirect block of /big, and its first pointer changed. */
static void
indirect_points_to(int64_t (*to)(int64_t self))
{
	unsigned char raw[DINODE2_SIZE], blk[65536];
	struct ffsu_dinode di;
	uint64_t ino = lookup("/big");
	uint64_t off;

	getino(ino, raw, &di);
	REQUIRE(di.ib[0] != 0);
	off = (uint64_t)di.ib[0] * fs.fsize;
	REQUIRE_EQ(ffsu_pread(&fs, blk, fs.bsize, off), 0);
	if (fs.ufs2)
		ffsu_put64(&fs, blk, (uint64_t)to(di.ib[0]));
	else
		ffsu_put32(&fs, blk, (uint32_t)to(di.ib[0]));
	REQUIRE_EQ(ffsu_pwrite(&fs, blk, fs.bsize, off), 0);
}

static int64_t
itself(int64_t self)
{
	return self;
}

static int64_t
far_away(int64_t self)
{
	(void)self;
	return 0x7ffffff0;
}

static void
read_block12(const char *want)
{
	char buf[4096];
	int fd;

	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/big", O_RDONLY, 0));
	/* The direct blocks still read. */
	REQUIRE_EQ(rump_sys_pread(fd, buf, 5, 11 * 4096), 5);
	REQUIRE(memcmp(buf, "block", 5) == 0);
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, sizeof(buf), 12 * 4096), EIO);
	log_expect(want);
	REQUIRE_OK(rump_sys_close(fd));
	others_read();
}

/* An indirect block whose pointer is itself: a loop in the tree. */
TESTCASE(indirect_loop_ufs2)
{
	mkimage("version=2,bsize=4096,fsize=512", "le");
	indirect_points_to(itself);
	mountro();
	read_block12("points back to itself or an ancestor");
}

TESTCASE(indirect_loop_ufs1_be)
{
	mkimage("version=1,bsize=4096,fsize=512", "be");
	indirect_points_to(itself);
	mountro();
	read_block12("points back to itself or an ancestor");
}

/* A pointer past the end of the file system. */
TESTCASE(indirect_out_of_range)
{
	mkimage("version=2,bsize=4096,fsize=512", "le");
	indirect_points_to(far_away);
	mountro();
	read_block12("corrupt");
}

static void
lookup_eio(const char *path, const char *want)
{
	struct stat st;

	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_stat(path, &st), EIO);
	log_expect(want);
	others_read();
}

/* A directory record whose length runs past its 512-byte chunk. */
TESTCASE(dirent_past_block)
{
	unsigned char rl[2];
	uint64_t off;

	mkimage("version=2,bsize=4096,fsize=512", "le");
	off = entry(lookup("/d"), "..", NULL);
	ffsu_put16(&fs, rl, 1024);
	REQUIRE_EQ(ffsu_pwrite(&fs, rl, 2, off + DIR_RECLEN), 0);
	mountro();
	lookup_eio(FFS_MNT "/d/e2", "corrupt");
}

/* An entry naming an inode number past the last one. */
TESTCASE(dirent_bad_inode)
{
	unsigned char ino[4];
	uint64_t off;

	mkimage("version=1,bsize=8192,fsize=1024", "be");
	off = entry(lookup("/d"), "e1", NULL);
	ffsu_put32(&fs, ino, 0x7ffffff0);
	REQUIRE_EQ(ffsu_pwrite(&fs, ino, 4, off), 0);
	mountro();
	lookup_eio(FFS_MNT "/d/e1", "corrupt");
}

/*
 * A cycle: /a/b's ".." names b itself.  Lookups are one step at a
 * time and stay finite; getcwd, which climbs "..", ends in an error.
 */
TESTCASE(dotdot_cycle)
{
	unsigned char ino[4];
	uint64_t b, off;
	char buf[4096];
	struct stat st;

	mkimage("version=2,bsize=4096,fsize=512", "le");
	b = lookup("/a/b");
	off = entry(b, "..", NULL);
	ffsu_put32(&fs, ino, (uint32_t)b);
	REQUIRE_EQ(ffsu_pwrite(&fs, ino, 4, off), 0);
	mountro();
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/a/b/../../..", &st));
	REQUIRE_EQ(st.st_ino, b);
	REQUIRE_OK(rump_sys_chdir(FFS_MNT "/a/b"));
	REQUIRE(rump_sys_getcwd(buf, sizeof(buf)) == -1);
	REQUIRE(errno == ENOENT || errno == ENAMETOOLONG);
	REQUIRE_OK(rump_sys_chdir("/"));
	others_read();
}

/* The superblock's block size in the other byte order: EINVAL. */
TESTCASE(wrong_endian_field)
{
	unsigned char raw[4];
	uint64_t off;

	mkimage("version=2,bsize=16384,fsize=2048", "le");
	off = fs.sbloc + FS_BSIZE;
	REQUIRE_EQ(ffsu_pread(&fs, raw, 4, off), 0);
	ffsu_put32(&fs, raw, __builtin_bswap32(ffsu_get32(&fs, raw)));
	REQUIRE_EQ(ffsu_pwrite(&fs, raw, 4, off), 0);
	img_close();
	log_capture(logpath);
	REQUIRE_EQ(ffs_mount(img), EINVAL);
	log_expect("ffs");
}

TESTS(CASE(indirect_loop_ufs2), CASE(indirect_loop_ufs1_be),
    CASE(indirect_out_of_range), CASE(dirent_past_block),
    CASE(dirent_bad_inode), CASE(dotdot_cycle), CASE(wrong_endian_field))
