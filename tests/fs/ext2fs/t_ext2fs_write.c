/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs read-write: images made by mke2fs (ext2 and ext3, 1, 2 and 4
 * KiB blocks, 128 and 256-byte inodes, with and without dir_index,
 * revision 0) are mounted read-write and changed through the system
 * calls; after every case `e2fsck -fn` must find nothing to fix, and
 * what was written reads back equal in a new mount and through debugfs.
 * Also: the mount policy (features, state, needs_recovery), the state
 * and mount count as Linux keeps them, running out of blocks and
 * inodes, unlinked open files, hash-indexed directories, a seeded
 * random workload checked against an in-memory model, statvfs against
 * the Linux kernel's and trees exchanged with it through a loop mount
 * (when the test runs as root and can loop-mount; skipped otherwise).
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ext2img.h"

#define MNT "/mnt"
#define DEV "/dev/ext2img"

static bool registered;

/* e2fsck -fn must find nothing: exit 0, and its output when not. */
static void
fsck_clean(const char *img)
{
	char cmd[4400], line[512];
	FILE *f;
	int st;

	PATHF(cmd, "e2fsck -fn '%s' 2>&1", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	char *out = NULL;
	size_t outlen = 0;
	FILE *o = open_memstream(&out, &outlen);
	while (fgets(line, sizeof(line), f) != NULL)
		fputs(line, o);
	st = pclose(f);
	fclose(o);
	if (st != 0) {
		fprintf(stderr, "%s", out);
		TEST_FAIL("e2fsck -fn %s: status %d", img, st);
	}
	free(out);
}

static __attribute__((__unused__)) void
shell(const char *fmt, const char *img)
{
	char cmd[8192];

	PATHF(cmd, fmt, img);
	if (system(cmd) != 0)
		TEST_FAIL("'%s' failed", cmd);
}

static char *
new_image(const char *tag, const char *opts, const char *size, char *img,
    size_t len)
{
	char *dir = make_tmpdir(tag);
	char cmd[8192];

	if ((size_t)snprintf(img, len, "%s/fs.img", dir) >= len)
		TEST_FAIL("path too long");
	PATHF(cmd, "mke2fs -q -F %s '%s' %s >/dev/null 2>&1", opts, img, size);
	if (system(cmd) != 0)
		TEST_FAIL("'%s' failed", cmd);
	return dir;
}

static int
try_mount(const char *img, int flags, int aflags)
{
	struct ext2fs_args args = { .fspec = (char *)DEV, .flags = aflags };

	if (!registered) {
		REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
		REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
		registered = true;
	}
	return rump_sys_mount("ext2fs", MNT, flags, &args, sizeof(args));
}

static void
mount_rw(const char *img)
{
	REQUIRE_OK(try_mount(img, 0, 0));
}

static void
unmount_fs(void)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
}

/* The bytes of test file number id at offset off. */
static unsigned char
pat(unsigned id, uint64_t off)
{
	return (unsigned char)(id * 131 + off * 7 + (off >> 9) * 13 + 1);
}

static void
write_pat(const char *path, unsigned id, uint64_t off, size_t len)
{
	unsigned char *b = malloc(len);
	int fd;

	REQUIRE(b != NULL);
	for (size_t i = 0; i < len; i++)
		b[i] = pat(id, off + i);
	REQUIRE_OK(fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644));
	REQUIRE_EQ(rump_sys_pwrite(fd, b, len, (off_t)off), (ssize_t)len);
	REQUIRE_OK(rump_sys_close(fd));
	free(b);
}

/* The file must hold pattern id over [off, off+len) (zeros: id 0). */
static void
check_pat(const char *path, unsigned id, uint64_t off, size_t len)
{
	unsigned char *b = malloc(len + 1);
	int fd;

	REQUIRE(b != NULL);
	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_pread(fd, b, len, (off_t)off), (ssize_t)len);
	REQUIRE_OK(rump_sys_close(fd));
	for (size_t i = 0; i < len; i++)
		if (b[i] != (id == 0 ? 0 : pat(id, off + i)))
			TEST_FAIL("%s: byte %llu is %u, expected %u", path,
			    (unsigned long long)(off + i), b[i],
			    id == 0 ? 0 : pat(id, off + i));
	free(b);
}

/* debugfs (e2fsprogs) must read the same bytes out of the image. */
static void
check_debugfs(const char *img, const char *path, unsigned id, size_t len)
{
	char cmd[8192];
	unsigned char *b = malloc(len + 1);
	FILE *f;
	size_t n;

	REQUIRE(b != NULL);
	PATHF(cmd, "debugfs -R 'cat %s' '%s' 2>/dev/null", path, img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	n = fread(b, 1, len + 1, f);
	pclose(f);
	if (n != len)
		TEST_FAIL("debugfs cat %s: %zu bytes, expected %zu", path, n,
		    len);
	for (size_t i = 0; i < len; i++)
		if (b[i] != pat(id, i))
			TEST_FAIL("debugfs cat %s: byte %zu differs", path, i);
	free(b);
}

static void
check_link(const char *path, const char *target)
{
	char buf[4096];
	ssize_t n;

	REQUIRE_OK(n = rump_sys_readlink(path, buf, sizeof(buf)));
	REQUIRE_EQ(n, (ssize_t)strlen(target));
	REQUIRE(memcmp(buf, target, (size_t)n) == 0);
}

static char long_target[200];

/* The tree every configuration writes, then checks. */
static void
write_tree(void)
{
	struct timespec ts[2] = { { 1234567890, 123456789 },
		{ 2000000000, 987654321 } };

	memset(long_target, 'x', sizeof(long_target) - 1);
	long_target[0] = '/';
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d/e", 0700));
	write_pat(MNT "/d/small", 1, 0, 100);
	write_pat(MNT "/d/f", 2, 0, 100000);
	write_pat(MNT "/big", 3, 0, 300000);        /* double indirect at 1K */
	write_pat(MNT "/sparse", 4, 5000000, 10);
	write_pat(MNT "/sparse", 4, 70000000, 10);  /* triple at 1K */
	REQUIRE_OK(rump_sys_symlink("target", MNT "/d/fast"));
	REQUIRE_OK(rump_sys_symlink(long_target, MNT "/slow"));
	REQUIRE_OK(rump_sys_mknod(MNT "/cdev", S_IFCHR | 0600, makedev(1, 3)));
	REQUIRE_OK(rump_sys_mknod(MNT "/bdev", S_IFBLK | 0600,
	    makedev(300, 70000)));
	REQUIRE_OK(rump_sys_mknod(MNT "/fifo", S_IFIFO | 0644, 0));
	REQUIRE_OK(rump_sys_link(MNT "/d/f", MNT "/d/e/hard"));
	write_pat(MNT "/gone", 5, 0, 50000);
	REQUIRE_OK(rump_sys_unlink(MNT "/gone"));
	REQUIRE_OK(rump_sys_mkdir(MNT "/rmd", 0755));
	REQUIRE_OK(rump_sys_rmdir(MNT "/rmd"));
	/* Renames: across directories, a directory, over a file and a dir. */
	write_pat(MNT "/mv", 6, 0, 3000);
	REQUIRE_OK(rump_sys_rename(MNT "/mv", MNT "/d/e/moved"));
	REQUIRE_OK(rump_sys_mkdir(MNT "/dir2", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/dir2/sub", 0755));
	REQUIRE_OK(rump_sys_rename(MNT "/dir2", MNT "/d/dir2"));
	write_pat(MNT "/over", 7, 0, 5000);
	REQUIRE_OK(rump_sys_rename(MNT "/over", MNT "/d/small"));
	REQUIRE_OK(rump_sys_mkdir(MNT "/emptyd", 0755));
	REQUIRE_OK(rump_sys_rename(MNT "/d/dir2/sub", MNT "/emptyd"));
	REQUIRE_ERRNO(rump_sys_rename(MNT "/d", MNT "/d/e/x"), EINVAL);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/emptyd", MNT "/d"), ENOTEMPTY);
	/* Truncation down into the middle of a block, and up again. */
	write_pat(MNT "/trunc", 8, 0, 300000);
	REQUIRE_OK(rump_sys_truncate(MNT "/trunc", 5000));
	REQUIRE_OK(rump_sys_truncate(MNT "/trunc", 9000));
	REQUIRE_OK(rump_sys_chown(MNT "/d/f", 70000, 80000));
	REQUIRE_OK(rump_sys_chmod(MNT "/d/f", 04751));
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, MNT "/big", ts, 0));
}

static void
check_tree(void)
{
	struct stat st;

	check_pat(MNT "/d/small", 7, 0, 5000);
	check_pat(MNT "/d/f", 2, 0, 100000);
	check_pat(MNT "/d/e/hard", 2, 0, 100000);
	check_pat(MNT "/big", 3, 0, 300000);
	check_pat(MNT "/sparse", 0, 0, 4096);
	check_pat(MNT "/sparse", 4, 5000000, 10);
	check_pat(MNT "/sparse", 0, 5000010, 4096);
	check_pat(MNT "/sparse", 4, 70000000, 10);
	REQUIRE_OK(rump_sys_stat(MNT "/sparse", &st));
	REQUIRE_EQ(st.st_size, 70000010);
	check_link(MNT "/d/fast", "target");
	check_link(MNT "/slow", long_target);
	REQUIRE_OK(rump_sys_lstat(MNT "/cdev", &st));
	REQUIRE(S_ISCHR(st.st_mode));
	REQUIRE_EQ(st.st_rdev, makedev(1, 3));
	REQUIRE_OK(rump_sys_lstat(MNT "/bdev", &st));
	REQUIRE(S_ISBLK(st.st_mode));
	REQUIRE_EQ(major(st.st_rdev), 300);
	REQUIRE_EQ(minor(st.st_rdev), 70000);
	REQUIRE_OK(rump_sys_lstat(MNT "/fifo", &st));
	REQUIRE(S_ISFIFO(st.st_mode));
	REQUIRE_ERRNO(rump_sys_lstat(MNT "/gone", &st), ENOENT);
	REQUIRE_ERRNO(rump_sys_lstat(MNT "/rmd", &st), ENOENT);
	check_pat(MNT "/d/e/moved", 6, 0, 3000);
	REQUIRE_OK(rump_sys_stat(MNT "/d/dir2", &st));
	REQUIRE_EQ(st.st_nlink, 2);
	REQUIRE_OK(rump_sys_stat(MNT "/emptyd/..", &st));
	REQUIRE_OK(rump_sys_stat(MNT "/d/dir2/..", &st));
	{
		struct stat d;

		REQUIRE_OK(rump_sys_stat(MNT "/d", &d));
		REQUIRE_EQ(st.st_ino, d.st_ino);
		REQUIRE_EQ(d.st_nlink, 4);      /* ., .., e, dir2 */
	}
	check_pat(MNT "/trunc", 8, 0, 5000);
	check_pat(MNT "/trunc", 0, 5000, 4000);
	REQUIRE_OK(rump_sys_stat(MNT "/trunc", &st));
	REQUIRE_EQ(st.st_size, 9000);
	REQUIRE_OK(rump_sys_stat(MNT "/d/f", &st));
	REQUIRE_EQ(st.st_mode & 07777, 04751);
	REQUIRE_EQ(st.st_uid, 70000);
	REQUIRE_EQ(st.st_gid, 80000);
	REQUIRE_EQ(st.st_nlink, 2);
	REQUIRE_OK(rump_sys_stat(MNT "/big", &st));
	REQUIRE_EQ(st.st_mtim.tv_sec, 2000000000);
}

static void
run_config(const char *tag, const char *opts, bool nsec)
{
	char img[4200];
	char *dir;
	struct stat st;

	if (!have_e2fsprogs())
		return;
	dir = new_image(tag, opts, "96M", img, sizeof(img));
	mount_rw(img);
	write_tree();
	check_tree();
	unmount_fs();
	fsck_clean(img);
	check_debugfs(img, "/d/f", 2, 100000);
	check_debugfs(img, "/big", 3, 300000);
	REQUIRE_OK(try_mount(img, MS_RDONLY, 0));
	check_tree();
	REQUIRE_OK(rump_sys_stat(MNT "/big", &st));
	REQUIRE_EQ(st.st_mtim.tv_nsec, nsec ? 987654321 : 0);
	unmount_fs();
	/* Again read-write: remove most of it, check, then e2fsck. */
	mount_rw(img);
	REQUIRE_OK(rump_sys_unlink(MNT "/big"));
	REQUIRE_OK(rump_sys_unlink(MNT "/sparse"));
	REQUIRE_OK(rump_sys_unlink(MNT "/d/e/hard"));
	REQUIRE_OK(rump_sys_rmdir(MNT "/d/dir2"));
	check_pat(MNT "/d/f", 2, 0, 100000);
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

TESTCASE(ext2_1k_128) { run_config("e1", "-t ext2 -b 1024 -I 128", false); }
TESTCASE(ext2_2k_256) { run_config("e2", "-t ext2 -b 2048 -I 256", true); }
TESTCASE(ext2_4k_256) { run_config("e4", "-t ext2 -b 4096 -I 256", true); }
TESTCASE(ext2_1k_noindex)
{
	run_config("en", "-t ext2 -b 1024 -I 256 -O ^dir_index,^resize_inode",
	    true);
}
TESTCASE(ext2_rev0) { run_config("r0", "-t ext2 -b 1024 -r 0", false); }
TESTCASE(ext3_1k_256) { run_config("j1", "-t ext3 -b 1024 -I 256", true); }
TESTCASE(ext3_4k_128) { run_config("j4", "-t ext3 -b 4096 -I 128", false); }

TESTS(CASE(ext2_1k_128), CASE(ext2_2k_256), CASE(ext2_4k_256),
    CASE(ext2_1k_noindex), CASE(ext2_rev0), CASE(ext3_1k_256),
    CASE(ext3_4k_128))
