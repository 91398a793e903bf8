/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs read-write: images made by mke2fs (ext2 and ext3, 1, 2 and 4
 * KiB blocks, 128 and 256-byte inodes, with and without dir_index,
 * revision 0) are mounted read-write and changed through the system
 * calls; after every case `e2fsck -fn` must find nothing to fix, and
 * what was written reads back equal in a new mount and through debugfs.
 * Also: the mount policy (features, state, needs_recovery), the state
 * and mount count as Linux keeps them (marked at the first change: a
 * mount that changes nothing leaves the image byte for byte as it
 * was), running out of blocks and
 * inodes, unlinked open files, hash-indexed directories, a seeded
 * random workload checked against an in-memory model (on ext4 too; the
 * rest of ext4 is t_ext4_write's), statvfs against
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
#include <time.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "h_fsstress.h"

#define MNT "/mnt"
#define DEV "/dev/ext2img"

static bool registered;

static void
shell(const char *fmt, const char *img)
{
	char cmd[8192];

	PATHF(cmd, fmt, img);
	if (system(cmd) != 0)
		TEST_FAIL("'%s' failed", cmd);
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

static void
init_target(void)
{
	memset(long_target, 'x', sizeof(long_target) - 1);
	long_target[0] = '/';
}

/* The tree every configuration writes, then checks. */
static void
write_tree(void)
{
	struct timespec ts[2] = { { 1234567890, 123456789 },
		{ 2000000000, 987654321 } };

	init_target();
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

/* A dumpe2fs -h field's text. */
static void
dumpe2fs_text(const char *img, const char *field, char *out, size_t len)
{
	char cmd[4400], line[512];
	size_t fl = strlen(field);
	FILE *f;

	PATHF(cmd, "dumpe2fs -h '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, field, fl) == 0 && line[fl] == ':') {
			char *v = line + fl + 1;

			v += strspn(v, " ");
			v[strcspn(v, "\n")] = '\0';
			snprintf(out, len, "%s", v);
		}
	}
	pclose(f);
}

static long long
dumpe2fs_num(const char *img, const char *field)
{
	char v[256];

	dumpe2fs_text(img, field, v, sizeof(v));
	return atoll(v);
}

/* The state and mount count as Linux keeps them, and the mount policy. */
TESTCASE(state_and_policy)
{
	char img[4200], img3[4200], v[256];
	char *dir, *dir3;

	if (!have_e2fsprogs())
		return;
	dir = new_image("st", "-t ext2 -b 1024", "8M", img, sizeof(img));
	REQUIRE_EQ(dumpe2fs_num(img, "Mount count"), 0);
	mount_rw(img);
	/* On the disk at the first change: not clean, one more mount, a
	 * mount time (state_untouched has more). */
	write_pat(MNT "/f", 1, 0, 10000);
	dumpe2fs_text(img, "Filesystem state", v, sizeof(v));
	REQUIRE(strcmp(v, "not clean") == 0);
	REQUIRE_EQ(dumpe2fs_num(img, "Mount count"), 1);
	dumpe2fs_text(img, "Last mount time", v, sizeof(v));
	REQUIRE(strcmp(v, "n/a") != 0);
	/* A remount read-only writes everything and is clean. */
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_REMOUNT | MS_RDONLY, NULL,
	    0));
	dumpe2fs_text(img, "Filesystem state", v, sizeof(v));
	REQUIRE(strcmp(v, "clean") == 0);
	fsck_clean(img);
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_REMOUNT, NULL, 0));
	write_pat(MNT "/g", 2, 0, 10000);
	REQUIRE_EQ(dumpe2fs_num(img, "Mount count"), 2);
	unmount_fs();
	dumpe2fs_text(img, "Filesystem state", v, sizeof(v));
	REQUIRE(strcmp(v, "clean") == 0);
	fsck_clean(img);

	/* Not cleanly unmounted: read-only only, unless forced. */
	shell("debugfs -w -R 'ssv state 0' '%s' >/dev/null 2>&1", img);
	REQUIRE_ERRNO(try_mount(img, 0, 0), EROFS);
	REQUIRE_OK(try_mount(img, MS_RDONLY, 0));
	check_pat(MNT "/g", 2, 0, 10000);
	REQUIRE_ERRNO(rump_sys_mount("ext2fs", MNT, MS_REMOUNT, NULL, 0),
	    EROFS);
	unmount_fs();
	REQUIRE_OK(try_mount(img, 0, EXT2FS_ARGS_FORCE));
	unmount_fs();
	/* A forced mount leaves the state as it found it, for e2fsck. */
	dumpe2fs_text(img, "Filesystem state", v, sizeof(v));
	REQUIRE(strcmp(v, "not clean") == 0);
	/* Errors recorded: the same. */
	shell("debugfs -w -R 'ssv state 3' '%s' >/dev/null 2>&1", img);
	REQUIRE_ERRNO(try_mount(img, 0, 0), EROFS);
	REQUIRE_OK(try_mount(img, MS_RDONLY, 0));
	unmount_fs();
	remove_tree(dir);
	free(dir);

	/*
	 * ext3 whose journal needs recovery, with an empty log: the
	 * read-write mount replays nothing and clears needs_recovery
	 * (the replay itself: t_ext2fs_journal).
	 */
	dir3 = new_image("st3", "-t ext3 -b 1024", "16M", img3, sizeof(img3));
	shell("debugfs -w -R 'feature needs_recovery' '%s' >/dev/null 2>&1",
	    img3);
	REQUIRE_EQ(rump_pub_etfs_register("/dev/img3", img3, RUMP_ETFS_BLK), 0);
	{
		struct ufs_args a = { .fspec = (char *)"/dev/img3" };

		REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_RDONLY, &a,
		    sizeof(a)));
		unmount_fs();
		REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &a, sizeof(a)));
		unmount_fs();
		fsck_clean(img3);
	}
	remove_tree(dir3);
	free(dir3);
}

/* Blocks run out: ENOSPC, root's reserve kept from others, no damage. */
TESTCASE(enospc)
{
	static unsigned char buf[65536];
	struct statvfs sv0, sv;
	char img[4200];
	char *dir;
	long long resv;
	ssize_t w;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("nospc", "-t ext2 -b 1024 -m 10", "2M", img,
	    sizeof(img));
	resv = dumpe2fs_num(img, "Reserved block count");
	mount_rw(img);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv0));
	REQUIRE_OK(rump_sys_chmod(MNT, 0777));
	memset(buf, 'a', sizeof(buf));
	/* Not root: stops at the reserve. */
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_OK(rump_sys_setgid(100));
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_OK(fd = rump_sys_open(MNT "/user", O_WRONLY | O_CREAT, 0644));
	while ((w = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		continue;
	REQUIRE_EQ(w, -1);
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, resv);
	REQUIRE_EQ(sv.f_bavail, 0);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/userdir", 0755), ENOSPC);
	rump_pub_lwproc_releaselwp();
	/* Root takes the rest. */
	REQUIRE_OK(fd = rump_sys_open(MNT "/root", O_WRONLY | O_CREAT, 0644));
	while ((w = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		continue;
	REQUIRE_EQ(w, -1);
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, 0);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d", 0755), ENOSPC);
	init_target();
	REQUIRE_ERRNO(rump_sys_symlink(long_target, MNT "/l"), ENOSPC);
	unmount_fs();
	fsck_clean(img);
	/* Everything back once the files go. */
	mount_rw(img);
	REQUIRE_OK(rump_sys_unlink(MNT "/user"));
	REQUIRE_OK(rump_sys_unlink(MNT "/root"));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv.f_ffree, sv0.f_ffree);
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/*
 * A write into a full file system that gets its indirect blocks but not
 * its data block: ENOSPC, and nothing stays allocated to the file (of
 * size 0, which truncation used to take as having nothing to free, so
 * the blocks stayed in use after it went).
 */
TESTCASE(enospc_indirect)
{
	static unsigned char buf[65536];
	struct statvfs sv0, sv;
	struct stat sb;
	char img[4200];
	char *dir;
	ssize_t w;
	off_t size;
	int fd, efd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("nospci", "-t ext2 -b 1024 -m 0", "2M", img,
	    sizeof(img));
	mount_rw(img);
	REQUIRE_OK(efd = rump_sys_open(MNT "/e", O_RDWR | O_CREAT, 0644));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv0));
	memset(buf, 'a', sizeof(buf));
	REQUIRE_OK(fd = rump_sys_open(MNT "/full", O_WRONLY | O_CREAT, 0644));
	while ((w = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		continue;
	REQUIRE_EQ(w, -1);
	REQUIRE_EQ(errno, ENOSPC);
	/* Two blocks free; block 300 needs three (double indirect). */
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	size = sb.st_size;
	REQUIRE_OK(rump_sys_ftruncate(fd, size - 2048));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, 2);
	REQUIRE_ERRNO(rump_sys_pwrite(efd, buf, 1024, 300 * 1024), ENOSPC);
	REQUIRE_OK(rump_sys_fstat(efd, &sb));
	REQUIRE_EQ(sb.st_size, 0);
	REQUIRE_EQ(sb.st_blocks, 0);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, 2);
	REQUIRE_OK(rump_sys_close(efd));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unlink(MNT "/e"));
	REQUIRE_OK(rump_sys_unlink(MNT "/full"));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv.f_ffree, sv0.f_ffree + 1);
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/*
 * Eight processes at once on an image small enough for them to fill
 * (../common/fsstress.c): every write, truncation and creation may meet
 * ENOSPC on the way.  Then all is removed: the free counts must be
 * what they were, and e2fsck must find nothing.
 */
TESTCASE(stress_full)
{
	struct statvfs sv0, sv;
	char img[4200];
	char *dir;

	if (!have_e2fsprogs())
		return;
	dir = new_image("stressf", "-t ext2 -b 1024 -m 0", "6M", img,
	    sizeof(img));
	mount_rw(img);
	REQUIRE_OK(rump_sys_mkdir(MNT "/st", 0755));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv0));
	fs_stress(MNT "/st", 8, 3000, 1, true);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv.f_ffree, sv0.f_ffree);
	REQUIRE_OK(rump_sys_rmdir(MNT "/st"));
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/* Inodes run out: ENOSPC, no damage. */
TESTCASE(out_of_inodes)
{
	struct statvfs sv;
	char img[4200], name[64];
	char *dir;
	int n, fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("noino", "-t ext2 -b 1024 -N 64", "4M", img,
	    sizeof(img));
	mount_rw(img);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	for (n = 0;; n++) {
		snprintf(name, sizeof(name), MNT "/f%d", n);
		if ((fd = rump_sys_open(name, O_WRONLY | O_CREAT, 0644)) < 0)
			break;
		REQUIRE_OK(rump_sys_close(fd));
	}
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_EQ(n, (long long)sv.f_ffree);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d", 0755), ENOSPC);
	REQUIRE_OK(rump_sys_unlink(MNT "/f3"));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/* An unlinked open file keeps its blocks until the last close. */
TESTCASE(unlinked_open)
{
	struct statvfs sv0, sv1, sv2;
	char img[4200];
	unsigned char b[100];
	char *dir;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("unl", "-t ext2 -b 1024", "8M", img, sizeof(img));
	mount_rw(img);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv0));
	write_pat(MNT "/f", 9, 0, 1000000);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f", O_RDWR, 0));
	REQUIRE_OK(rump_sys_unlink(MNT "/f"));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv1));
	REQUIRE(sv1.f_bfree + 900 < sv0.f_bfree);
	REQUIRE_EQ(rump_sys_pread(fd, b, sizeof(b), 500000), sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		REQUIRE_EQ(b[i], pat(9, 500000 + i));
	REQUIRE_EQ(rump_sys_pwrite(fd, b, sizeof(b), 2000000), sizeof(b));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv2));
	REQUIRE_EQ(sv2.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv2.f_ffree, sv0.f_ffree);
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/*
 * A hash-indexed directory (mke2fs -d, then e2fsck -D builds the
 * index): removing names keeps the index, adding them inserts into it
 * (leaves split); e2fsck is clean either way and every name is found.
 */
TESTCASE(htree_dir)
{
	char img[4200], src[4300], name[4400], cmd[8192];
	struct stat st;
	char *dir;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir("htree");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/fs.img", dir);
	REQUIRE_OK(mkdir(src, 0755));
	PATHF(name, "%s/many", src);
	REQUIRE_OK(mkdir(name, 0755));
	for (int i = 0; i < 3000; i++) {
		PATHF(name, "%s/many/a-rather-long-file-name-%d", src, i);
		REQUIRE_OK(fd = open(name, O_WRONLY | O_CREAT, 0644));
		close(fd);
	}
	make_image(img, src, "-t ext2 -b 1024 -I 256", "32M",
	    "e2fsck -fyD '%s' >/dev/null 2>&1; test $? -le 1");
	PATHF(cmd, "debugfs -R 'htree /many' '%s' 2>/dev/null | "
	    "grep -q 'Root node'", img);
	REQUIRE_EQ(system(cmd), 0);
	mount_rw(img);
	for (int i = 0; i < 3000; i += 3) {
		snprintf(name, sizeof(name),
		    MNT "/many/a-rather-long-file-name-%d", i);
		REQUIRE_OK(rump_sys_unlink(name));
	}
	unmount_fs();
	fsck_clean(img);
	REQUIRE_EQ(system(cmd), 0);     /* still indexed */
	mount_rw(img);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name),
		    MNT "/many/a-rather-long-file-name-%d", i);
		if (i % 3 == 0)
			REQUIRE_ERRNO(rump_sys_stat(name, &st), ENOENT);
		else
			REQUIRE_OK(rump_sys_stat(name, &st));
	}
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), MNT "/many/new-%d", i);
		REQUIRE_OK(fd = rump_sys_open(name, O_WRONLY | O_CREAT, 0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	unmount_fs();
	fsck_clean(img);
	REQUIRE_EQ(system(cmd), 0);     /* still indexed */
	REQUIRE_OK(try_mount(img, MS_RDONLY, 0));
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), MNT "/many/new-%d", i);
		REQUIRE_OK(rump_sys_stat(name, &st));
	}
	snprintf(name, sizeof(name), MNT "/many/a-rather-long-file-name-%d",
	    2999);
	REQUIRE_OK(rump_sys_stat(name, &st));
	unmount_fs();
	remove_tree(dir);
	free(dir);
}

/*
 * A seeded random workload (create, write, append, truncate, rename,
 * unlink, mkdir, rmdir) against an in-memory model: the file system
 * must hold what the model holds, in the mount, after a new mount, and
 * e2fsck must be clean.
 */
#define RW_NFILES 48
#define RW_MAXSIZE (300 * 1024)
#define RW_NDIRS 6

struct mfile {
	bool exists;
	size_t size;
	unsigned char *data;
};

static struct mfile model[RW_NFILES];
static bool mdir[RW_NDIRS];
static const char *const subdirs[] = { "", "/a", "/a/b", "/c" };

static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

static void
fpath(char *buf, size_t len, int i)
{
	snprintf(buf, len, MNT "%s/file%d", subdirs[i % 4], i);
}

static void
model_verify(void)
{
	char path[128];
	struct stat st;
	unsigned char *b = malloc(RW_MAXSIZE + 1);
	int fd;

	REQUIRE(b != NULL);
	for (int i = 0; i < RW_NFILES; i++) {
		fpath(path, sizeof(path), i);
		if (!model[i].exists) {
			REQUIRE_ERRNO(rump_sys_stat(path, &st), ENOENT);
			continue;
		}
		REQUIRE_OK(rump_sys_stat(path, &st));
		REQUIRE_EQ(st.st_size, (off_t)model[i].size);
		REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
		REQUIRE_EQ(rump_sys_read(fd, b, RW_MAXSIZE + 1),
		    (ssize_t)model[i].size);
		REQUIRE_OK(rump_sys_close(fd));
		if (memcmp(b, model[i].data, model[i].size) != 0)
			TEST_FAIL("%s differs from the model", path);
	}
	for (int d = 0; d < RW_NDIRS; d++) {
		snprintf(path, sizeof(path), MNT "/dir%d", d);
		if (mdir[d])
			REQUIRE_OK(rump_sys_stat(path, &st));
		else
			REQUIRE_ERRNO(rump_sys_stat(path, &st), ENOENT);
	}
	free(b);
}

static void
model_step(void)
{
	char path[128], path2[128];
	int i = (int)(rng() % RW_NFILES), j, fd;
	struct mfile *m = &model[i];
	size_t off, len, ns;
	unsigned char *b;

	fpath(path, sizeof(path), i);
	switch (rng() % 8) {
	case 0:
	case 1:                         /* write somewhere */
	case 2:                         /* append */
		off = (rng() % 3 == 2 && m->exists) ? m->size :
		    rng() % (RW_MAXSIZE / 2);
		len = 1 + rng() % (RW_MAXSIZE / 4);
		if (off + len > RW_MAXSIZE)
			len = RW_MAXSIZE - off;
		if (!m->exists) {
			m->exists = true;
			m->size = 0;
		}
		if (off + len > m->size) {
			memset(m->data + m->size, 0, off + len - m->size);
			m->size = off + len;
		}
		b = m->data + off;
		for (size_t k = 0; k < len; k++)
			b[k] = (unsigned char)rng();
		REQUIRE_OK(fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644));
		REQUIRE_EQ(rump_sys_pwrite(fd, b, len, (off_t)off),
		    (ssize_t)len);
		REQUIRE_OK(rump_sys_close(fd));
		break;
	case 3:                         /* truncate */
		if (!m->exists)
			break;
		ns = rng() % RW_MAXSIZE;
		if (ns > m->size)
			memset(m->data + m->size, 0, ns - m->size);
		m->size = ns;
		REQUIRE_OK(rump_sys_truncate(path, (off_t)ns));
		break;
	case 4:                         /* rename, perhaps over another */
		j = (int)(rng() % RW_NFILES);
		if (!m->exists || j == i)
			break;
		fpath(path2, sizeof(path2), j);
		REQUIRE_OK(rump_sys_rename(path, path2));
		b = model[j].data;
		model[j] = *m;
		m->data = b;
		m->exists = false;
		break;
	case 5:                         /* unlink */
		if (!m->exists)
			break;
		REQUIRE_OK(rump_sys_unlink(path));
		m->exists = false;
		break;
	default:                        /* mkdir or rmdir */
		j = (int)(rng() % RW_NDIRS);
		snprintf(path, sizeof(path), MNT "/dir%d", j);
		if (mdir[j])
			REQUIRE_OK(rump_sys_rmdir(path));
		else
			REQUIRE_OK(rump_sys_mkdir(path, 0755));
		mdir[j] = !mdir[j];
		break;
	}
}

static void
random_workload(const char *opts, uint64_t seed, int steps)
{
	char img[4200];
	char *dir;

	if (!have_e2fsprogs())
		return;
	dir = new_image("rand", opts, "64M", img, sizeof(img));
	for (int i = 0; i < RW_NFILES; i++)
		REQUIRE((model[i].data = malloc(RW_MAXSIZE)) != NULL);
	rng_state = seed;
	mount_rw(img);
	REQUIRE_OK(rump_sys_mkdir(MNT "/a", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/a/b", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/c", 0755));
	for (int n = 0; n < steps; n++) {
		model_step();
		if (n % 1000 == 999) {
			/* Now and then a new mount in between. */
			model_verify();
			unmount_fs();
			fsck_clean(img);
			mount_rw(img);
		}
	}
	model_verify();
	unmount_fs();
	fsck_clean(img);
	REQUIRE_OK(try_mount(img, MS_RDONLY, 0));
	model_verify();
	unmount_fs();
	for (int i = 0; i < RW_NFILES; i++)
		free(model[i].data);
	remove_tree(dir);
	free(dir);
}

TESTCASE(random_1k) { random_workload("-t ext2 -b 1024 -I 128", 1, 4000); }
TESTCASE(random_4k) { random_workload("-t ext3 -b 4096 -I 256", 7, 4000); }
/* ext4's defaults: extents, metadata_csum, 64bit, flex_bg... */
TESTCASE(random_ext4_1k) { random_workload("-t ext4 -b 1024", 13, 4000); }

/* Compare a file of the mount with the same file of the host. */
static void
same_file(const char *rpath, const char *hpath)
{
	struct stat rs, hs;
	unsigned char *a, *b;
	int fd;

	REQUIRE_OK(rump_sys_lstat(rpath, &rs));
	REQUIRE_OK(lstat(hpath, &hs));
	REQUIRE_EQ(rs.st_mode, hs.st_mode);
	REQUIRE_EQ(rs.st_size, hs.st_size);
	REQUIRE_EQ(rs.st_uid, hs.st_uid);
	REQUIRE_EQ(rs.st_nlink, hs.st_nlink);
	REQUIRE_EQ(rs.st_mtim.tv_sec, hs.st_mtim.tv_sec);
	REQUIRE_EQ(rs.st_mtim.tv_nsec, hs.st_mtim.tv_nsec);
	if (!S_ISREG(rs.st_mode))
		return;
	REQUIRE((a = malloc((size_t)rs.st_size + 1)) != NULL);
	REQUIRE((b = malloc((size_t)rs.st_size + 1)) != NULL);
	REQUIRE_OK(fd = rump_sys_open(rpath, O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, a, (size_t)rs.st_size + 1), rs.st_size);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = open(hpath, O_RDONLY));
	REQUIRE_EQ(read(fd, b, (size_t)rs.st_size + 1), rs.st_size);
	close(fd);
	if (memcmp(a, b, (size_t)rs.st_size) != 0)
		TEST_FAIL("%s differs from %s", rpath, hpath);
	free(a);
	free(b);
}

static const char *const interop_files[] = { "/d/f", "/d/e/hard", "/big",
	"/sparse", "/d/small", "/d/fast", "/slow", "/cdev", "/bdev", "/fifo",
	"/d/e/moved", "/trunc", "/d/dir2", "/emptyd" };

/*
 * The Linux kernel reads the tree we wrote, and we read a tree it
 * wrote, through a loop mount (root, ext2 in the host kernel).
 */
TESTCASE(linux_interop)
{
	char img[4200], mnt[4300], hp[4400], rp[4400];
	struct statvfs sv, lsv;
	char *dir;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	dir = new_image("lx", "-t ext2 -b 1024 -I 256", "96M", img,
	    sizeof(img));
	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	mount_rw(img);
	write_tree();
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	unmount_fs();
	if (!linux_mount(img, mnt, "ro")) {
		remove_tree(dir);
		free(dir);
		return;
	}
	REQUIRE_OK(try_mount(img, MS_RDONLY, 0));
	for (size_t i = 0; i < sizeof(interop_files) / sizeof(*interop_files);
	     i++) {
		PATHF(hp, "%s%s", mnt, interop_files[i]);
		PATHF(rp, MNT "%s", interop_files[i]);
		same_file(rp, hp);
	}
	REQUIRE_OK(statvfs(mnt, &lsv));
	REQUIRE_EQ(sv.f_blocks, lsv.f_blocks);
	REQUIRE_EQ(sv.f_bfree, lsv.f_bfree);
	REQUIRE_EQ(sv.f_bavail, lsv.f_bavail);
	REQUIRE_EQ(sv.f_files, lsv.f_files);
	REQUIRE_EQ(sv.f_ffree, lsv.f_ffree);
	unmount_fs();
	linux_unmount(mnt);

	/* Linux writes; we read. */
	REQUIRE(linux_mount(img, mnt, "rw"));
	PATHF(hp, "%s/linux", mnt);
	REQUIRE_OK(mkdir(hp, 0750));
	PATHF(hp, "%s/linux/file", mnt);
	REQUIRE((f = fopen(hp, "w")) != NULL);
	for (int i = 0; i < 200000; i++)
		fputc(pat(11, (uint64_t)i), f);
	fclose(f);
	PATHF(hp, "%s/linux/link", mnt);
	REQUIRE_OK(symlink("../d/f", hp));
	PATHF(hp, "%s/d/small", mnt);
	REQUIRE_OK(unlink(hp));
	PATHF(rp, "%s/linux/file", mnt);
	PATHF(hp, "%s/linux/hard", mnt);
	REQUIRE_OK(link(rp, hp));
	linux_unmount(mnt);
	fsck_clean(img);
	REQUIRE(linux_mount(img, mnt, "ro"));
	mount_rw(img);
	check_pat(MNT "/linux/file", 11, 0, 200000);
	check_link(MNT "/linux/link", "../d/f");
	REQUIRE_ERRNO(rump_sys_stat(MNT "/d/small", &(struct stat){ 0 }),
	    ENOENT);
	for (size_t i = 0; i < 3; i++) {
		static const char *const l[] = { "/linux", "/linux/file",
			"/linux/hard" };
		PATHF(hp, "%s%s", mnt, l[i]);
		PATHF(rp, MNT "%s", l[i]);
		same_file(rp, hp);
	}
	linux_unmount(mnt);
	/* And we write over what Linux wrote. */
	REQUIRE_OK(rump_sys_unlink(MNT "/linux/hard"));
	write_pat(MNT "/linux/file", 12, 100000, 300000);
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/* The whole image file; its size in *lenp. */
static unsigned char *
image_bytes(const char *img, size_t *lenp)
{
	unsigned char *b;
	struct stat st;
	int fd;

	REQUIRE_OK(fd = open(img, O_RDONLY));
	REQUIRE_OK(fstat(fd, &st));
	REQUIRE((b = malloc((size_t)st.st_size)) != NULL);
	REQUIRE_EQ(pread(fd, b, (size_t)st.st_size, 0), (ssize_t)st.st_size);
	close(fd);
	*lenp = (size_t)st.st_size;
	return b;
}

/* Superblock fields, as offsets in the image. */
#define SB_MTIME     (1024 + 44)
#define SB_WTIME     (1024 + 48)
#define SB_MNT_COUNT (1024 + 52)
#define SB_STATE     (1024 + 58)

static unsigned
le16_at(const unsigned char *b, size_t off)
{
	return b[off] | (unsigned)b[off + 1] << 8;
}

static uint32_t
le32_at(const unsigned char *b, size_t off)
{
	return le16_at(b, off) | (uint32_t)le16_at(b, off + 2) << 16;
}

/*
 * The image must be as before but for the bytes of the superblock
 * fields in [skip_from, skip_to) (none: equal ranges); else name the
 * first byte that differs.
 */
static void
same_image(const char *img, const unsigned char *before, size_t len,
    size_t skip_from, size_t skip_to, const char *when)
{
	unsigned char *now;
	size_t n, i;

	now = image_bytes(img, &n);
	REQUIRE_EQ(n, len);
	for (i = 0; i < len; i++) {
		if (now[i] == before[i] || (i >= skip_from && i < skip_to))
			continue;
		TEST_FAIL("%s: byte %zu of the image is %#x, was %#x", when, i,
		    now[i], before[i]);
	}
	free(now);
}

/*
 * Everything that only looks, and every change that fails before it
 * changes anything: on a noatime mount, none of it may write.
 */
static void
look_and_fail(void)
{
	char buf[8192];
	struct statvfs sv;
	struct stat sb;
	int fd;

	REQUIRE_OK(rump_sys_stat(MNT "/d/f", &sb));
	REQUIRE_EQ(sb.st_size, 5000);
	REQUIRE_OK(rump_sys_lstat(MNT "/d/sub", &sb));
	REQUIRE_OK(fd = rump_sys_open(MNT "/d", O_RDONLY | O_DIRECTORY, 0));
	REQUIRE(rump_sys_getdents64(fd, buf, sizeof(buf)) > 0);
	REQUIRE_OK(rump_sys_close(fd));
	check_pat(MNT "/d/f", 1, 0, 5000);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d", 0755), EEXIST);
	REQUIRE_ERRNO(rump_sys_open(MNT "/d/f", O_WRONLY | O_CREAT | O_EXCL,
	    0644), EEXIST);
	REQUIRE_ERRNO(rump_sys_symlink("f", MNT "/d/sub"), EEXIST);
	REQUIRE_ERRNO(rump_sys_link(MNT "/d/f", MNT "/d/sub"), EEXIST);
	REQUIRE_ERRNO(rump_sys_unlink(MNT "/nope"), ENOENT);
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/d"), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/d/f"), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/nope", MNT "/x"), ENOENT);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/d", MNT "/d/sub/x"), EINVAL);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/d/sub", MNT "/d/f"), ENOTDIR);
	/* A rename onto itself succeeds and changes nothing. */
	REQUIRE_OK(rump_sys_rename(MNT "/d/f", MNT "/d/f"));
}

/*
 * A read-write mount that changes nothing writes nothing, at sync, at
 * a remount read-only and at unmount.  The first change marks the disk
 * at once, before anything else of it is written (so the image differs
 * only in the mark's fields): not clean, one more mount, the mount time;
 * unmount makes it clean.  A read that sets atime is a change too.
 */
TESTCASE(state_untouched)
{
	unsigned char *before, *now;
	char img[4200];
	time_t t0;
	size_t len, n;
	unsigned count;
	char *dir;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("unt", "-t ext2 -b 1024", "8M", img, sizeof(img));
	mount_rw(img);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d/sub", 0755));
	write_pat(MNT "/d/f", 1, 0, 5000);
	unmount_fs();
	/* Times no write of the superblock would leave (not this second). */
	REQUIRE_OK(fd = open(img, O_WRONLY));
	REQUIRE_EQ(pwrite(fd, "\1\0\0\0\1\0\0\0", 8, SB_MTIME), 8);
	REQUIRE_OK(close(fd));
	before = image_bytes(img, &len);
	REQUIRE_EQ(le32_at(before, SB_WTIME), 1);
	REQUIRE_EQ(le16_at(before, SB_STATE), 1);
	count = le16_at(before, SB_MNT_COUNT);
	REQUIRE_EQ(count, 1);

	REQUIRE_OK(try_mount(img, MS_NOATIME, 0));
	look_and_fail();
	REQUIRE_OK(rump_sys_sync());
	same_image(img, before, len, 0, 0, "looked, synced");
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_REMOUNT | MS_RDONLY, NULL,
	    0));
	same_image(img, before, len, 0, 0, "remounted read-only");
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_REMOUNT | MS_NOATIME, NULL,
	    0));
	look_and_fail();
	unmount_fs();
	same_image(img, before, len, 0, 0, "unmounted");

	/* One change: the mark is on the disk before it (and alone). */
	t0 = time(NULL);
	mount_rw(img);
	same_image(img, before, len, 0, 0, "mounted");
	REQUIRE_OK(rump_sys_mkdir(MNT "/new", 0755));
	same_image(img, before, len, SB_MTIME, SB_STATE + 2, "first change");
	now = image_bytes(img, &n);
	REQUIRE_EQ(le16_at(now, SB_STATE), 0);
	REQUIRE_EQ(le16_at(now, SB_MNT_COUNT), count + 1);
	REQUIRE(le32_at(now, SB_MTIME) >= (uint32_t)t0);
	REQUIRE_EQ(le32_at(now, SB_WTIME), le32_at(before, SB_WTIME));
	free(now);
	REQUIRE_OK(rump_sys_sync());
	now = image_bytes(img, &n);
	REQUIRE_EQ(le16_at(now, SB_STATE), 0);
	REQUIRE_EQ(le16_at(now, SB_MNT_COUNT), count + 1);
	free(now);
	unmount_fs();
	now = image_bytes(img, &n);
	REQUIRE_EQ(le16_at(now, SB_STATE), 1);
	REQUIRE_EQ(le16_at(now, SB_MNT_COUNT), count + 1);
	REQUIRE(le32_at(now, SB_WTIME) >= (uint32_t)t0);
	fsck_clean(img);

	/* A read that sets atime (relatime: it is not after mtime). */
	free(before);
	before = now;
	mount_rw(img);
	check_pat(MNT "/d/f", 1, 0, 5000);
	same_image(img, before, len, SB_MTIME, SB_STATE + 2, "atime");
	now = image_bytes(img, &n);
	REQUIRE_EQ(le16_at(now, SB_STATE), 0);
	REQUIRE_EQ(le16_at(now, SB_MNT_COUNT), count + 2);
	free(now);
	unmount_fs();
	now = image_bytes(img, &n);
	REQUIRE_EQ(le16_at(now, SB_STATE), 1);
	REQUIRE_EQ(le16_at(now, SB_MNT_COUNT), count + 2);
	free(now);
	free(before);
	fsck_clean(img);
	REQUIRE_OK(try_mount(img, MS_RDONLY, 0));
	REQUIRE_OK(rump_sys_access(MNT "/new", F_OK));
	unmount_fs();
	remove_tree(dir);
	free(dir);
}

/*
 * A sparse file past 4 GiB on 1 KiB blocks (so through the triple
 * indirect block), on an image made without large_file: the feature is
 * set when the file passes 2 GiB, e2fsck finds nothing, debugfs sees
 * the size, a fresh mount reads the marks and zeros between; writing
 * past the format's largest file (16 GiB here) is EFBIG.
 */
static const off_t bigmarks[] = { 0, 12 * 1024 + 5, (off_t)3 << 30,
    (off_t)5 << 30, ((off_t)5 << 30) + 1021 };

TESTCASE(bigfile_1k)
{
	char img[4096], cmd[8192], buf[8], want[8];
	char *dir = new_image("big", "-t ext2 -b 1024 -O ^large_file,^dir_index",
	    "32M", img, sizeof(img));
	struct stat st;
	int fd;

	mount_rw(img);
	REQUIRE_OK(fd = rump_sys_open(MNT "/big", O_RDWR | O_CREAT, 0644));
	for (size_t i = 0; i < sizeof(bigmarks) / sizeof(bigmarks[0]); i++) {
		snprintf(want, sizeof(want), "mark%zu", i);
		REQUIRE_EQ(rump_sys_pwrite(fd, want, 5, bigmarks[i]), 5);
	}
	REQUIRE_ERRNO(rump_sys_pwrite(fd, "x", 1, (off_t)17 << 30), EFBIG);
	REQUIRE_OK(rump_sys_close(fd));
	unmount_fs();
	fsck_clean(img);
	PATHF(cmd, "dumpe2fs -h '%s' 2>/dev/null | grep -q '^Filesystem "
	    "features:.*large_file' && debugfs -R 'stat /big' '%s' 2>/dev/null "
	    "| grep -q 'Size: 5368710146$'", img, img);
	if (system(cmd) != 0)
		TEST_FAIL("large_file not set, or debugfs sees another size");

	mount_rw(img);
	REQUIRE_OK(rump_sys_stat(MNT "/big", &st));
	REQUIRE_EQ(st.st_size, ((off_t)5 << 30) + 1021 + 5);
	REQUIRE_OK(fd = rump_sys_open(MNT "/big", O_RDONLY, 0));
	for (size_t i = 0; i < sizeof(bigmarks) / sizeof(bigmarks[0]); i++) {
		snprintf(want, sizeof(want), "mark%zu", i);
		REQUIRE_EQ(rump_sys_pread(fd, buf, 5, bigmarks[i]), 5);
		REQUIRE(memcmp(buf, want, 5) == 0);
	}
	memset(want, 0, sizeof(want));
	REQUIRE_EQ(rump_sys_pread(fd, buf, 8, (off_t)4 << 30), 8);
	REQUIRE(memcmp(buf, want, 8) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unlink(MNT "/big"));
	unmount_fs();
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

TESTS(CASE(ext2_1k_128), CASE(ext2_2k_256), CASE(ext2_4k_256),
    CASE(ext2_1k_noindex), CASE(ext2_rev0), CASE(ext3_1k_256),
    CASE(ext3_4k_128), CASE(state_and_policy), CASE(enospc),
    CASE(enospc_indirect), CASE(stress_full),
    CASE(out_of_inodes), CASE(unlinked_open), CASE(htree_dir),
    CASE(random_1k), CASE(random_4k), CASE(random_ext4_1k),
    CASE(linux_interop),
    CASE(state_untouched), CASE(bigfile_1k))
