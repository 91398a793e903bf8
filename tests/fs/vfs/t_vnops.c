/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Name space operations on every file system: create, open flags,
 * mkdir/rmdir, unlink, rename with its edge cases, links, symbolic
 * links, name limits, readdir, times, truncate, directories, O_PATH
 * descriptors (and their reopening by openat(fd, "")) and bad arguments.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "h_fsmacros.h"

FSTEST(create_rw, FS_WRITABLE)
{
	struct stat sb;
	char buf[16];
	int fd;

	REQUIRE_OK(fd = rump_sys_open("f", O_RDWR | O_CREAT | O_EXCL, 0666));
	REQUIRE_EQ(rump_sys_write(fd, "hello", 5), 5);
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_size, 5);
	REQUIRE_EQ(sb.st_nlink, 1);
	if (!(fs->fs_lacks & FS_OWNERS))
		REQUIRE_EQ(sb.st_mode, S_IFREG | 0644); /* umask 022 */
	REQUIRE_EQ(rump_sys_lseek(fd, 1, SEEK_SET), 1);
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	REQUIRE(memcmp(buf, "ello", 4) == 0);
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_open("f", O_RDWR | O_CREAT | O_EXCL, 0666),
	    EEXIST);
	REQUIRE_ERRNO(rump_sys_open("nope", O_RDONLY, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_open("f", O_RDONLY | O_DIRECTORY, 0), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_open(".", O_WRONLY, 0), EISDIR);
	REQUIRE_ERRNO(rump_sys_open("f/", O_RDONLY, 0), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_open("new/", O_RDWR | O_CREAT, 0644), EISDIR);
	/* O_APPEND writes at the end whatever the offset. */
	REQUIRE_OK(fd = rump_sys_open("f", O_WRONLY | O_APPEND, 0));
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_EQ(rump_sys_write(fd, "!", 1), 1);
	REQUIRE_OK(rump_sys_close(fd));
	fs_checkfile("f", "hello!");
	/* O_TRUNC empties it. */
	REQUIRE_OK(fd = rump_sys_open("f", O_WRONLY | O_TRUNC, 0));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_size, 0);
	REQUIRE_OK(rump_sys_close(fd));
	/* O_CLOEXEC shows in F_GETFD. */
	REQUIRE_OK(fd = rump_sys_open("f", O_RDONLY | O_CLOEXEC, 0));
	REQUIRE_EQ(rump_sys_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_fcntl(fd, F_GETFL, 0) & O_ACCMODE, O_RDONLY);
	REQUIRE_ERRNO(rump_sys_write(fd, "x", 1), EBADF);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_open("f", O_RDWR | O_WRONLY, 0), EINVAL);
}

FSTEST(mkdir_rmdir, FS_WRITABLE)
{
	struct stat sb;
	nlink_t n;

	(void)fs;
	n = fs_nlink(".");
	REQUIRE_OK(rump_sys_mkdir("d", 0777));
	REQUIRE_EQ(fs_nlink("."), n + 1);
	REQUIRE_OK(rump_sys_stat("d", &sb));
	REQUIRE_EQ(sb.st_mode, S_IFDIR | 0755);
	REQUIRE_EQ(sb.st_nlink, 2);
	REQUIRE_ERRNO(rump_sys_mkdir("d", 0777), EEXIST);
	REQUIRE_ERRNO(rump_sys_mkdir(".", 0777), EEXIST);
	REQUIRE_ERRNO(rump_sys_mkdir("x/y", 0777), ENOENT);
	REQUIRE_OK(rump_sys_mkdir("d/e/", 0777));
	REQUIRE_EQ(fs_nlink("d"), 3);
	REQUIRE_ERRNO(rump_sys_rmdir("d"), ENOTEMPTY);
	fs_mkfile("file", "", 0);
	REQUIRE_ERRNO(rump_sys_mkdir("file/x", 0777), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rmdir("file"), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_unlink("d"), EISDIR);
	REQUIRE_ERRNO(rump_sys_rmdir("d/e/."), EINVAL);
	REQUIRE_ERRNO(rump_sys_rmdir("d/e/.."), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_rmdir("nope"), ENOENT);
	REQUIRE_OK(rump_sys_rmdir("d/e/"));
	REQUIRE_EQ(fs_nlink("d"), 2);
	REQUIRE_OK(rump_sys_rmdir("d"));
	REQUIRE_EQ(fs_nlink("."), n);
	REQUIRE_ERRNO(rump_sys_stat("d", &sb), ENOENT);
	REQUIRE_OK(rump_sys_unlink("file"));
	REQUIRE_ERRNO(rump_sys_unlink("file"), ENOENT);
}

FSTEST(unlink_open, FS_WRITABLE)
{
	struct stat sb;
	char buf[8];
	int fd;

	(void)fs;
	fs_mkfile("f", "data", 4);
	REQUIRE_OK(fd = rump_sys_open("f", O_RDWR | O_APPEND, 0));
	REQUIRE_OK(rump_sys_unlink("f"));
	REQUIRE_ERRNO(rump_sys_stat("f", &sb), ENOENT);
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_nlink, 0);
	REQUIRE_EQ(rump_sys_write(fd, "!", 1), 1);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 5);
	REQUIRE(memcmp(buf, "data!", 5) == 0);
	REQUIRE_EQ(fs_direntcount(".", "f"), 0);
	REQUIRE_OK(rump_sys_close(fd));
}

FSTEST(rename_edges, FS_WRITABLE)
{
	struct stat sb, sb2;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("a", 0755));
	REQUIRE_OK(rump_sys_mkdir("a/b", 0755));
	REQUIRE_OK(rump_sys_mkdir("full", 0755));
	REQUIRE_OK(rump_sys_mkdir("empty", 0755));
	fs_mkfile("full/x", "", 0);
	fs_mkfile("f", "F", 1);
	fs_mkfile("g", "G", 1);
	REQUIRE_ERRNO(rump_sys_rename("a", "a/b/c"), EINVAL);
	REQUIRE_ERRNO(rump_sys_rename("a", "a/c"), EINVAL);
	REQUIRE_ERRNO(rump_sys_rename("a", "full"), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_rename("a", "f"), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rename("f", "a"), EISDIR);
	REQUIRE_ERRNO(rump_sys_rename("nope", "x"), ENOENT);
	REQUIRE_ERRNO(rump_sys_rename("f", "nodir/x"), ENOENT);
	REQUIRE_ERRNO(rump_sys_rename("f", "g/"), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rename("a/.", "z"), EBUSY);
	REQUIRE_ERRNO(rump_sys_rename("a/b/..", "z"), EBUSY);
	/* A file replaces a file; the old one's link is gone. */
	REQUIRE_OK(rump_sys_stat("f", &sb));
	REQUIRE_OK(rump_sys_rename("f", "g"));
	REQUIRE_ERRNO(rump_sys_stat("f", &sb2), ENOENT);
	REQUIRE_OK(rump_sys_stat("g", &sb2));
	REQUIRE_EQ(sb.st_ino, sb2.st_ino);
	fs_checkfile("g", "F");
	/* A directory replaces an empty one and moves its "..". */
	REQUIRE_EQ(fs_nlink("a"), 3);
	REQUIRE_OK(rump_sys_rename("a/b", "empty"));
	REQUIRE_EQ(fs_nlink("a"), 2);
	REQUIRE_OK(rump_sys_stat("empty/..", &sb));
	REQUIRE_OK(rump_sys_stat(".", &sb2));
	REQUIRE_EQ(sb.st_ino, sb2.st_ino);
	REQUIRE_OK(rump_sys_rename("empty", "a/b2"));
	REQUIRE_OK(rump_sys_stat("a/b2/..", &sb));
	REQUIRE_OK(rump_sys_stat("a", &sb2));
	REQUIRE_EQ(sb.st_ino, sb2.st_ino);
	REQUIRE_EQ(fs_nlink("a"), 3);
	/* Renaming onto itself changes nothing. */
	REQUIRE_OK(rump_sys_rename("g", "g"));
	fs_checkfile("g", "F");
	REQUIRE_EQ(fs_direntcount(".", "g"), 1);
}

FSTEST(rename_exdev, FS_WRITABLE)
{
	(void)fs;
	fs_mkfile("f", "", 0);
	REQUIRE_OK(rump_sys_mkdir("other", 0755));
	REQUIRE_OK(rump_sys_mount("rumpfs", "other", 0, NULL, 0));
	REQUIRE_ERRNO(rump_sys_rename("f", "other/f"), EXDEV);
	REQUIRE_ERRNO(rump_sys_link("f", "other/f"), EXDEV);
	REQUIRE_ERRNO(rump_sys_rename("other", "o2"), EBUSY);
	REQUIRE_ERRNO(rump_sys_rmdir("other"), EBUSY);
	REQUIRE_OK(rump_sys_unmount("other", 0));
	REQUIRE_OK(rump_sys_rmdir("other"));
}

FSTEST(hardlinks, FS_WRITABLE | FS_HARDLINKS)
{
	struct stat sb, sb2;

	(void)fs;
	fs_mkfile("f", "abc", 3);
	REQUIRE_OK(rump_sys_link("f", "g"));
	REQUIRE_EQ(fs_nlink("f"), 2);
	REQUIRE_OK(rump_sys_stat("f", &sb));
	REQUIRE_OK(rump_sys_stat("g", &sb2));
	REQUIRE_EQ(sb.st_ino, sb2.st_ino);
	REQUIRE_ERRNO(rump_sys_link("f", "g"), EEXIST);
	REQUIRE_ERRNO(rump_sys_link("nope", "h"), ENOENT);
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	REQUIRE_ERRNO(rump_sys_link("d", "d2"), EPERM);
	REQUIRE_OK(rump_sys_unlink("f"));
	REQUIRE_EQ(fs_nlink("g"), 1);
	fs_checkfile("g", "abc");
	/* Renaming one link over another of the same file: both stay. */
	REQUIRE_OK(rump_sys_link("g", "h"));
	REQUIRE_OK(rump_sys_rename("g", "h"));
	REQUIRE_EQ(fs_nlink("h"), 2);
	REQUIRE_OK(rump_sys_stat("g", &sb));
}

FSTEST(symlinks, FS_WRITABLE | FS_SYMLINKS)
{
	struct stat sb;
	char buf[64], name[16], target[16];
	int fd;

	(void)fs;
	fs_mkfile("f", "x", 1);
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	REQUIRE_OK(rump_sys_symlink("f", "l"));
	REQUIRE_EQ(rump_sys_readlink("l", buf, sizeof(buf)), 1);
	REQUIRE_EQ(buf[0], 'f');
	REQUIRE_EQ(rump_sys_readlink("l", buf, 0), -1);
	REQUIRE_ERRNO(rump_sys_readlink("f", buf, sizeof(buf)), EINVAL);
	REQUIRE_OK(rump_sys_lstat("l", &sb));
	REQUIRE(S_ISLNK(sb.st_mode));
	REQUIRE_EQ(sb.st_size, 1);
	REQUIRE_OK(rump_sys_stat("l", &sb));
	REQUIRE(S_ISREG(sb.st_mode));
	REQUIRE_ERRNO(rump_sys_open("l", O_RDONLY | O_NOFOLLOW, 0), ELOOP);
	REQUIRE_ERRNO(rump_sys_symlink("f", "l"), EEXIST);
	REQUIRE_ERRNO(rump_sys_symlink("", "e"), ENOENT);
	/* Absolute, through a directory link, with a trailing slash. */
	REQUIRE_OK(rump_sys_symlink(FS_MNT "/d", "dl"));
	REQUIRE_OK(rump_sys_mkdir("dl/sub", 0755));
	REQUIRE_OK(rump_sys_stat("d/sub", &sb));
	REQUIRE_OK(rump_sys_stat("dl/", &sb));
	REQUIRE(S_ISDIR(sb.st_mode));
	REQUIRE_ERRNO(rump_sys_stat("l/", &sb), ENOTDIR);
	/* Dangling: stat fails, lstat works, O_CREAT makes the target. */
	REQUIRE_OK(rump_sys_symlink("t", "dang"));
	REQUIRE_ERRNO(rump_sys_stat("dang", &sb), ENOENT);
	REQUIRE_OK(rump_sys_lstat("dang", &sb));
	REQUIRE_OK(fd = rump_sys_open("dang", O_WRONLY | O_CREAT, 0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_stat("t", &sb));
	REQUIRE_ERRNO(rump_sys_open("dang", O_WRONLY | O_CREAT | O_EXCL,
	    0644), EEXIST);
	/* Loops, and the limit of 40 links. */
	REQUIRE_OK(rump_sys_symlink("loop2", "loop1"));
	REQUIRE_OK(rump_sys_symlink("loop1", "loop2"));
	REQUIRE_ERRNO(rump_sys_stat("loop1", &sb), ELOOP);
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), i == 1 ? "f" : "c%d", i - 1);
		REQUIRE_OK(rump_sys_symlink(target, name));
	}
	REQUIRE_OK(rump_sys_stat("c40", &sb));
	REQUIRE_ERRNO(rump_sys_stat("c41", &sb), ELOOP);
	/* unlink removes the link, not the target. */
	REQUIRE_OK(rump_sys_unlink("l"));
	REQUIRE_OK(rump_sys_stat("f", &sb));
}

FSTEST(names, FS_WRITABLE)
{
	char name[300], *path;
	struct stat sb;

	(void)fs;
	memset(name, 'n', sizeof(name));
	name[256] = '\0';
	REQUIRE_ERRNO(rump_sys_stat(name, &sb), ENAMETOOLONG);
	REQUIRE_ERRNO(rump_sys_mkdir(name, 0755), ENAMETOOLONG);
	name[255] = '\0';
	REQUIRE_OK(rump_sys_mkdir(name, 0755));
	REQUIRE_OK(rump_sys_stat(name, &sb));
	REQUIRE_OK(rump_sys_rmdir(name));
	REQUIRE((path = malloc(5000)) != NULL);
	memset(path, '/', 4999);
	path[4999] = '\0';
	REQUIRE_ERRNO(rump_sys_stat(path, &sb), ENAMETOOLONG);
	memset(path, 0, 5000);
	for (int i = 0; i < 4094; i += 2)
		memcpy(path + i, "./", 2);
	REQUIRE_OK(rump_sys_stat(path, &sb));       /* 4094 bytes: fits */
	strcat(path, "./");
	REQUIRE_ERRNO(rump_sys_stat(path, &sb), ENAMETOOLONG);
	free(path);
	REQUIRE_ERRNO(rump_sys_stat("", &sb), ENOENT);
	REQUIRE_ERRNO(rump_sys_stat(NULL, &sb), EFAULT);
	REQUIRE_ERRNO(rump_sys_open(NULL, O_RDONLY, 0), EFAULT);
	REQUIRE_ERRNO(rump_sys_mkdir(NULL, 0755), EFAULT);
	REQUIRE_ERRNO(rump_sys_stat(".", NULL), EFAULT);
	REQUIRE_OK(rump_sys_stat("///", &sb));
	REQUIRE_OK(rump_sys_stat(".//./", &sb));
}

FSTEST(readdir, FS_WRITABLE)
{
	char buf[512], name[32];
	int seen[300], fd, n, total = 0;
	ssize_t got;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "d/f%d", i);
		fs_mkfile(name, "", 0);
	}
	memset(seen, 0, sizeof(seen));
	REQUIRE_OK(fd = rump_sys_open("d", O_RDONLY | O_DIRECTORY, 0));
	/* Read part, change the directory, read on. */
	while ((got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t pos = 0; pos < got;) {
			unsigned short reclen;
			const char *nm = buf + pos + 19;

			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			REQUIRE(reclen % 8 == 0 && reclen >= 24);
			if (sscanf(nm, "f%d", &n) == 1) {
				REQUIRE(n >= 0 && n < 300);
				seen[n]++;
			} else
				REQUIRE(strcmp(nm, ".") == 0 ||
				    strcmp(nm, "..") == 0);
			pos += reclen;
			total++;
		}
		if (total > 20 && total < 40) {
			for (int i = 200; i < 250; i++) {
				snprintf(name, sizeof(name), "d/f%d", i);
				fs_mkfile(name, "", 0);
			}
			for (int i = 150; i < 200; i++) {
				snprintf(name, sizeof(name), "d/f%d", i);
				REQUIRE_OK(rump_sys_unlink(name));
			}
		}
	}
	REQUIRE_EQ(got, 0);
	/* Entries there throughout: exactly once; others at most once. */
	for (int i = 0; i < 150; i++)
		REQUIRE_EQ(seen[i], 1);
	for (int i = 150; i < 300; i++)
		REQUIRE(seen[i] <= 1);
	/* Rewind and count again: 150 + 50 + "." + "..". */
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	total = 0;
	while ((got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0)
		for (ssize_t pos = 0; pos < got; total++) {
			unsigned short reclen;

			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			pos += reclen;
		}
	REQUIRE_EQ(total, 202);
	REQUIRE_EQ(rump_sys_getdents64(fd, buf, 10), 0);      /* at the end */
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, 10), EINVAL);
	REQUIRE_OK(rump_sys_close(fd));
	fs_mkfile("file", "", 0);
	REQUIRE_OK(fd = rump_sys_open("file", O_RDONLY, 0));
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_getdents64(-1, buf, sizeof(buf)), EBADF);
}

/*
 * A directory of 100,000 entries: every lookup finds its entry in
 * constant time, also after removals and renames, and readdir lists
 * each remaining entry once.  A linear scan takes minutes here, past
 * the harness's time limit; the timings themselves are bench/'s.
 */
#define BIGDIR_N 100000
FSTEST(bigdir, FS_WRITABLE | FS_BIGDIRS)
{
	char name[64], buf[8192];
	struct stat sb;
	ssize_t got;
	int fd, total = 0;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("big", 0755));
	for (int i = 0; i < BIGDIR_N; i++) {
		snprintf(name, sizeof(name), "big/entry-%d", i);
		REQUIRE_OK(rump_sys_mknod(name, S_IFREG | 0644, 0));
	}
	for (int i = 0; i < BIGDIR_N; i++) {
		snprintf(name, sizeof(name), "big/entry-%d", i);
		REQUIRE_OK(rump_sys_stat(name, &sb));
		REQUIRE(S_ISREG(sb.st_mode));
	}
	/* Remove every third, rename every fifth of the others. */
	for (int i = 0; i < BIGDIR_N; i++) {
		snprintf(name, sizeof(name), "big/entry-%d", i);
		if (i % 3 == 0)
			REQUIRE_OK(rump_sys_unlink(name));
		else if (i % 5 == 0) {
			char to[64];

			snprintf(to, sizeof(to), "big/moved-%d", i);
			REQUIRE_OK(rump_sys_rename(name, to));
		}
	}
	for (int i = 0; i < BIGDIR_N; i++) {
		snprintf(name, sizeof(name), "big/entry-%d", i);
		if (i % 3 == 0 || i % 5 == 0)
			REQUIRE_ERRNO(rump_sys_stat(name, &sb), ENOENT);
		else
			REQUIRE_OK(rump_sys_stat(name, &sb));
		snprintf(name, sizeof(name), "big/moved-%d", i);
		if (i % 3 != 0 && i % 5 == 0)
			REQUIRE_OK(rump_sys_stat(name, &sb));
		else
			REQUIRE_ERRNO(rump_sys_stat(name, &sb), ENOENT);
	}
	REQUIRE_ERRNO(rump_sys_mknod("big/entry-1", S_IFREG | 0644, 0),
	    EEXIST);
	REQUIRE_OK(fd = rump_sys_open("big", O_RDONLY | O_DIRECTORY, 0));
	while ((got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0)
		for (ssize_t pos = 0; pos < got; total++) {
			unsigned short reclen;

			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			pos += reclen;
		}
	REQUIRE_EQ(got, 0);
	REQUIRE_OK(rump_sys_close(fd));
	/* Two thirds stay (66,666 of 100,000), with "." and "..". */
	REQUIRE_EQ(total, BIGDIR_N - (BIGDIR_N + 2) / 3 + 2);
}

FSTEST(times, FS_WRITABLE | FS_NSTIMES)
{
	struct timespec ts[2] = { { 1000000000, 123456789 },
		{ 1200000000, 987654321 } };
	struct stat sb;
	int fd;

	(void)fs;
	fs_mkfile("f", "", 0);
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	REQUIRE_OK(rump_sys_stat("f", &sb));
	REQUIRE_EQ(sb.st_atim.tv_sec, 1000000000);
	REQUIRE_EQ(sb.st_atim.tv_nsec, 123456789);
	REQUIRE_EQ(sb.st_mtim.tv_sec, 1200000000);
	REQUIRE_EQ(sb.st_mtim.tv_nsec, 987654321);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	REQUIRE_OK(rump_sys_stat("f", &sb));
	REQUIRE_EQ(sb.st_atim.tv_nsec, 123456789);
	REQUIRE(sb.st_mtim.tv_sec > 1600000000);
	ts[0].tv_nsec = 1000000000;
	REQUIRE_ERRNO(rump_sys_utimensat(AT_FDCWD, "f", ts, 0), EINVAL);
	REQUIRE_OK(fd = rump_sys_open("f", O_RDONLY, 0));
	ts[0].tv_sec = 5;
	ts[0].tv_nsec = 6;
	ts[1].tv_nsec = UTIME_OMIT;
	REQUIRE_OK(rump_sys_futimens(fd, ts));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_atim.tv_sec, 5);
	REQUIRE_EQ(sb.st_atim.tv_nsec, 6);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_futimens(-1, NULL), EBADF);
	/* A write moves mtime and ctime. */
	REQUIRE_OK(rump_sys_stat("f", &sb));
	fs_mkfile("f", "x", 1);
	{
		struct stat sb2;

		REQUIRE_OK(rump_sys_stat("f", &sb2));
		REQUIRE(sb2.st_ctim.tv_sec >= sb.st_ctim.tv_sec);
	}
}

static struct timespec
atime_of(const char *path)
{
	struct stat sb;

	REQUIRE_OK(rump_sys_stat(path, &sb));
	return sb.st_atim;
}

static void
read_one(const char *path, int oflags)
{
	char c;
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | oflags, 0));
	REQUIRE_EQ(rump_sys_read(fd, &c, 1), 1);
	REQUIRE_OK(rump_sys_close(fd));
}

/*
 * Reads set atime relatime-style: when atime is not newer than mtime or
 * ctime; not on noatime mounts nor through O_NOATIME.
 */
FSTEST(atime, FS_WRITABLE | FS_NSTIMES)
{
	const struct timespec old[2] = { { 1000, 5 }, { 2000, 0 } };
	struct timespec t1, t2;
	char buf[256];
	int fd;

	(void)fs;
	fs_mkfile("f", "data", 4);
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, "f", old, 0));
	REQUIRE_EQ(atime_of("f").tv_sec, 1000);
	read_one("f", 0);
	t1 = atime_of("f");
	REQUIRE(t1.tv_sec > 1600000000);
	/* Newer than mtime and ctime now: the next read leaves it. */
	read_one("f", 0);
	t2 = atime_of("f");
	REQUIRE_EQ(t2.tv_sec, t1.tv_sec);
	REQUIRE_EQ(t2.tv_nsec, t1.tv_nsec);
	/* A write makes the next read count again. */
	fs_mkfile("f", "more", 4);
	read_one("f", 0);
	t2 = atime_of("f");
	REQUIRE(t2.tv_sec > t1.tv_sec ||
	    (t2.tv_sec == t1.tv_sec && t2.tv_nsec > t1.tv_nsec));
	/* O_NOATIME. */
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, "f", old, 0));
	read_one("f", O_NOATIME);
	REQUIRE_EQ(atime_of("f").tv_sec, 1000);
	REQUIRE_EQ(atime_of("f").tv_nsec, 5);
	/* Reading a directory is an access too. */
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, "d", old, 0));
	REQUIRE_OK(fd = rump_sys_open("d", O_RDONLY | O_DIRECTORY, 0));
	REQUIRE(rump_sys_getdents64(fd, buf, sizeof(buf)) > 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE(atime_of("d").tv_sec > 1600000000);
	/* A noatime mount. */
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_NOATIME, NULL, 0));
	fs_mkfile("m/g", "data", 4);
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, "m/g", old, 0));
	read_one("m/g", 0);
	REQUIRE_EQ(atime_of("m/g").tv_sec, 1000);
	REQUIRE_OK(rump_sys_unmount("m", 0));
}

/* O_NOATIME is for the owner only. */
FSTEST(atime_noatime_perm, FS_WRITABLE | FS_OWNERS)
{
	(void)fs;
	fs_mkfile("f", "data", 4);
	REQUIRE_OK(rump_sys_chmod("f", 0644));
	REQUIRE_OK(rump_sys_chmod(".", 0777));
	fs_become(1000, 1000);
	REQUIRE_ERRNO(rump_sys_open("f", O_RDONLY | O_NOATIME, 0), EPERM);
	fs_mkfile("mine", "x", 1);
	read_one("mine", O_NOATIME);
	rump_pub_lwproc_releaselwp();
}

FSTEST(truncate, FS_WRITABLE)
{
	char buf[16];
	struct stat sb;
	int fd;

	(void)fs;
	fs_mkfile("f", "abcdefgh", 8);
	REQUIRE_OK(rump_sys_truncate("f", 3));
	REQUIRE_OK(rump_sys_truncate("f", 6));
	REQUIRE_OK(fd = rump_sys_open("f", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, "abc\0\0\0", 6) == 0);
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, 0), EINVAL);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_truncate("f", -1), EINVAL);
	REQUIRE_ERRNO(rump_sys_truncate(".", 0), EISDIR);
	REQUIRE_ERRNO(rump_sys_truncate("nope", 0), ENOENT);
	REQUIRE_OK(fd = rump_sys_open("f", O_WRONLY, 0));
	REQUIRE_OK(rump_sys_ftruncate(fd, 1));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_size, 1);
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, -1), EINVAL);
	REQUIRE_OK(rump_sys_fsync(fd));
	REQUIRE_OK(rump_sys_fdatasync(fd));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_fsync(-1), EBADF);
}

FSTEST(cwd, FS_WRITABLE)
{
	char buf[256];
	struct stat sb;
	int fd;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("a", 0755));
	REQUIRE_OK(rump_sys_mkdir("a/b", 0755));
	REQUIRE_EQ(rump_sys_getcwd(buf, sizeof(buf)), strlen(FS_MNT) + 1);
	REQUIRE(strcmp(buf, FS_MNT) == 0);
	REQUIRE_OK(rump_sys_chdir("a/b"));
	REQUIRE_OK(rump_sys_getcwd(buf, sizeof(buf)));
	REQUIRE(strcmp(buf, FS_MNT "/a/b") == 0);
	REQUIRE_ERRNO(rump_sys_getcwd(buf, 5), ERANGE);
	REQUIRE_OK(rump_sys_chdir("../.."));
	REQUIRE_OK(fd = rump_sys_open("a", O_RDONLY | O_DIRECTORY, 0));
	REQUIRE_OK(rump_sys_fchdir(fd));
	REQUIRE_OK(rump_sys_getcwd(buf, sizeof(buf)));
	REQUIRE(strcmp(buf, FS_MNT "/a") == 0);
	/* *at calls relative to a directory descriptor. */
	REQUIRE_OK(rump_sys_chdir("/"));
	REQUIRE_OK(rump_sys_mkdirat(fd, "c", 0755));
	REQUIRE_OK(rump_sys_fstatat(fd, "c", &sb, 0));
	REQUIRE(S_ISDIR(sb.st_mode));
	REQUIRE_OK(rump_sys_unlinkat(fd, "c", AT_REMOVEDIR));
	REQUIRE_ERRNO(rump_sys_unlinkat(fd, "c", 0x4), EINVAL);
	REQUIRE_OK(rump_sys_fstatat(fd, "", &sb, AT_EMPTY_PATH));
	REQUIRE(S_ISDIR(sb.st_mode));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_chdir(FS_MNT));
	fs_mkfile("file", "", 0);
	REQUIRE_ERRNO(rump_sys_chdir("file"), ENOTDIR);
	REQUIRE_OK(fd = rump_sys_open("file", O_RDONLY, 0));
	REQUIRE_ERRNO(rump_sys_fchdir(fd), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_mkdirat(fd, "x", 0755), ENOTDIR);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_mkdirat(99, "x", 0755), EBADF);
	/* A removed cwd: lookups fail, getcwd says ENOENT. */
	REQUIRE_OK(rump_sys_chdir("a/b"));
	REQUIRE_OK(rump_sys_rmdir(FS_MNT "/a/b"));
	REQUIRE_ERRNO(rump_sys_getcwd(buf, sizeof(buf)), ENOENT);
	REQUIRE_ERRNO(rump_sys_open("new", O_CREAT | O_RDWR, 0644), ENOENT);
	REQUIRE_OK(rump_sys_chdir(FS_MNT));
}

FSTEST(chroot, FS_WRITABLE)
{
	char buf[256];
	struct stat sb, sb2;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("jail", 0755));
	REQUIRE_OK(rump_sys_mkdir("jail/in", 0755));
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_chroot("jail"));
	REQUIRE_OK(rump_sys_chdir("/in"));
	REQUIRE_OK(rump_sys_getcwd(buf, sizeof(buf)));
	REQUIRE(strcmp(buf, "/in") == 0);
	REQUIRE_OK(rump_sys_stat("/../../..", &sb));
	REQUIRE_OK(rump_sys_stat("/", &sb2));
	REQUIRE_EQ(sb.st_ino, sb2.st_ino);
	REQUIRE_OK(rump_sys_setuid(5));
	REQUIRE_ERRNO(rump_sys_chroot("/in"), EPERM);
	rump_pub_lwproc_releaselwp();
	/* The parent's root is untouched. */
	REQUIRE_OK(rump_sys_stat(FS_MNT "/jail/in", &sb));
}

FSTEST(mknod, FS_WRITABLE | FS_NODES)
{
	struct stat sb;

	(void)fs;
	REQUIRE_OK(rump_sys_mknod("fifo", S_IFIFO | 0600, 0));
	REQUIRE_OK(rump_sys_stat("fifo", &sb));
	REQUIRE(S_ISFIFO(sb.st_mode));
	REQUIRE_OK(rump_sys_mknod("chr", S_IFCHR | 0600, 0x0103));
	REQUIRE_OK(rump_sys_stat("chr", &sb));
	REQUIRE(S_ISCHR(sb.st_mode));
	REQUIRE_EQ(sb.st_rdev, 0x0103);
	REQUIRE_OK(rump_sys_mknod("reg", 0600, 0));
	REQUIRE_OK(rump_sys_stat("reg", &sb));
	REQUIRE(S_ISREG(sb.st_mode));
	REQUIRE_ERRNO(rump_sys_mknod("dir", S_IFDIR | 0700, 0), EPERM);
	REQUIRE_ERRNO(rump_sys_mknod("bad", 0170000 | 0700, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_mknod("fifo", S_IFIFO | 0600, 0), EEXIST);
	REQUIRE_OK(rump_sys_mknodat(AT_FDCWD, "fifo2", S_IFIFO | 0600, 0));
}

FSTEST(statvfs, 0)
{
	struct statvfs sv;
	int fd;

	(void)fs;
	REQUIRE_OK(rump_sys_statvfs(".", &sv));
	REQUIRE_EQ(sv.f_namemax, 255);
	REQUIRE(sv.f_bsize > 0);
	REQUIRE(sv.f_blocks >= sv.f_bfree);
	REQUIRE_OK(fd = rump_sys_open(".", O_RDONLY, 0));
	REQUIRE_OK(rump_sys_fstatvfs(fd, &sv));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_statvfs("nope", &sv), ENOENT);
	REQUIRE_ERRNO(rump_sys_fstatvfs(-1, &sv), EBADF);
}

/*
 * Making names and changing the mount's root: EROFS for each on a file
 * system that cannot be written, with nothing changed; done and undone
 * on the others (those with every kind of name).
 */
FSTEST(changes_or_erofs, FS_SYMLINKS | FS_HARDLINKS | FS_NODES)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	bool ro = (fs->fs_lacks & FS_WRITABLE) != 0;
	struct stat before, after;
	int fd;

#define RO_OR_OK(call)                                                         \
	do {                                                                   \
		if (ro)                                                        \
			REQUIRE_ERRNO(call, EROFS);                            \
		else                                                           \
			REQUIRE_OK(call);                                      \
	} while (0)
	REQUIRE_OK(rump_sys_stat(".", &before));
	RO_OR_OK(rump_sys_mkdir("d", 0755));
	RO_OR_OK(fd = rump_sys_open("f", O_WRONLY | O_CREAT | O_EXCL, 0644));
	RO_OR_OK(rump_sys_symlink("target", "s"));
	RO_OR_OK(rump_sys_mknod("p", S_IFIFO | 0600, 0));
	if (!ro) {
		/* (Names that are not there are ENOENT, read-only or not.) */
		REQUIRE_OK(rump_sys_close(fd));
		REQUIRE_OK(rump_sys_rename("f", "g"));
		REQUIRE_OK(rump_sys_link("g", "h"));
		REQUIRE_OK(rump_sys_unlink("h"));
		REQUIRE_OK(rump_sys_unlink("g"));
		REQUIRE_OK(rump_sys_unlink("s"));
		REQUIRE_OK(rump_sys_unlink("p"));
		REQUIRE_OK(rump_sys_rmdir("d"));
	}
	RO_OR_OK(rump_sys_chmod(".", before.st_mode & 07777));
	RO_OR_OK(rump_sys_utimensat(AT_FDCWD, ".", ts, 0));
	REQUIRE_OK(rump_sys_stat(".", &after));
	REQUIRE_EQ(after.st_nlink, before.st_nlink);
	if (ro) {
		REQUIRE_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
		REQUIRE_ERRNO(rump_sys_access(".", W_OK), EROFS);
		REQUIRE_ERRNO(rump_sys_open(".", O_RDWR, 0), EISDIR);
	}
#undef RO_OR_OK
}

FSTEST(badargs, 0)
{
	struct stat sb;
	char buf[8];

	(void)fs;
	REQUIRE_ERRNO(rump_sys_fstatat(AT_FDCWD, ".", &sb, 0x8000), EINVAL);
	REQUIRE_ERRNO(rump_sys_faccessat(AT_FDCWD, ".", 8, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_readlink(".", buf, (size_t)-1), EINVAL);
	REQUIRE_ERRNO(rump_sys_openat(1234, "x", O_RDONLY, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fchmod(-5, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fchown(-5, 0, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fchdir(-5), EBADF);
	REQUIRE_ERRNO(rump_sys_chmod(NULL, 0), EFAULT);
	REQUIRE_ERRNO(rump_sys_rename(NULL, "x"), EFAULT);
	REQUIRE_ERRNO(rump_sys_symlink(NULL, "x"), EFAULT);
	REQUIRE_ERRNO(rump_sys_getcwd(NULL, 100), EFAULT);
	REQUIRE_ERRNO(rump_sys_unlink(""), ENOENT);
	REQUIRE_ERRNO(rump_sys_chdir(""), ENOENT);
}

/*
 * O_PATH: a reference, not an open file.  Search permission on the way
 * only; fstat and the *at() calls work on it (an unlinked file's too),
 * I/O is EBADF; openat(fd, "") opens its file anew with open's checks.
 */
FSTEST(opath, FS_WRITABLE | FS_SYMLINKS | FS_OWNERS)
{
	struct stat sb;
	char buf[8], dbuf[512];
	int d, f, l, rw, flags;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	fs_mkfile("d/f", "data", 4);
	REQUIRE_OK(rump_sys_chmod("d/f", 0));
	REQUIRE_OK(rump_sys_symlink("f", "d/l"));
	REQUIRE_OK(d = rump_sys_open("d", O_PATH | O_DIRECTORY, 0));
	REQUIRE_ERRNO(rump_sys_open("d/f", O_PATH | O_DIRECTORY, 0), ENOTDIR);
	REQUIRE_OK(f = rump_sys_openat(d, "f", O_PATH, 0));
	REQUIRE_OK(l = rump_sys_openat(d, "l", O_PATH | O_NOFOLLOW, 0));
	REQUIRE_OK(rump_sys_fstat(l, &sb));
	REQUIRE(S_ISLNK(sb.st_mode));
	REQUIRE_EQ(rump_sys_readlinkat(l, "", buf, sizeof(buf)), 1);
	REQUIRE_OK(flags = rump_sys_fcntl(f, F_GETFL, 0));
	REQUIRE_EQ(flags & O_PATH, O_PATH);
	REQUIRE_ERRNO(rump_sys_read(f, buf, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_write(f, buf, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_lseek(f, 0, SEEK_SET), EBADF);
	REQUIRE_ERRNO(rump_sys_fchmod(f, 0644), EBADF);
	REQUIRE_ERRNO(rump_sys_ftruncate(f, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fsync(f), EBADF);
	REQUIRE_ERRNO(rump_sys_getdents64(d, buf, sizeof(buf)), EBADF);
	/* Changes through AT_EMPTY_PATH. */
	REQUIRE_OK(rump_sys_fchmodat(f, "", 0640, AT_EMPTY_PATH));
	REQUIRE_OK(rump_sys_fchownat(f, "", 12, 34, AT_EMPTY_PATH));
	REQUIRE_OK(rump_sys_utimensat(f, "", NULL, AT_EMPTY_PATH));
	REQUIRE_OK(rump_sys_fstatat(f, "", &sb, AT_EMPTY_PATH));
	REQUIRE_EQ(sb.st_mode, S_IFREG | 0640);
	REQUIRE_EQ(sb.st_uid, 12);
	REQUIRE_EQ(sb.st_gid, 34);
	/* Reopening: open's checks, and only from an O_PATH descriptor. */
	REQUIRE_OK(rw = rump_sys_openat(f, "", O_RDWR, 0));
	REQUIRE_EQ(rump_sys_pread(rw, buf, sizeof(buf), 0), 4);
	REQUIRE(memcmp(buf, "data", 4) == 0);
	REQUIRE_ERRNO(rump_sys_openat(rw, "", O_RDONLY, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_openat(AT_FDCWD, "", O_RDONLY, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_openat(1234, "", O_RDONLY, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_openat(f, "", O_RDONLY | O_CREAT, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_openat(l, "", O_RDONLY, 0), ELOOP);
	REQUIRE_ERRNO(rump_sys_openat(f, "", O_RDONLY | O_DIRECTORY, 0),
	    ENOTDIR);
	REQUIRE_OK(rump_sys_close(rw));
	REQUIRE_OK(rw = rump_sys_openat(d, "", O_RDONLY | O_DIRECTORY, 0));
	REQUIRE(rump_sys_getdents64(rw, dbuf, sizeof(dbuf)) > 0);
	REQUIRE_OK(rump_sys_close(rw));
	REQUIRE_OK(rump_sys_seteuid(12));
	REQUIRE_OK(rump_sys_fchmodat(f, "", 0, AT_EMPTY_PATH));
	REQUIRE_ERRNO(rump_sys_openat(f, "", O_RDONLY, 0), EACCES);
	REQUIRE_OK(rump_sys_seteuid(0));
	/* Unlinked: still there for fstat and links. */
	REQUIRE_OK(rump_sys_unlinkat(d, "f", 0));
	REQUIRE_OK(rump_sys_fstat(f, &sb));
	REQUIRE_EQ(sb.st_nlink, 0);
	REQUIRE_OK(rump_sys_fchdir(d));
	REQUIRE_ERRNO(rump_sys_stat("l", &sb), ENOENT);
	REQUIRE_OK(rump_sys_chdir(".."));
	REQUIRE_OK(rump_sys_close(l));
	REQUIRE_OK(rump_sys_close(f));
	REQUIRE_OK(rump_sys_close(d));
}

/* RLIMIT_NOFILE: Linux's defaults and rules, and it is enforced. */
FSTEST(nofile, 0)
{
	struct rlimit rl;
	int fd, i, n;

	(void)fs;
	REQUIRE_OK(rump_sys_getrlimit(RLIMIT_NOFILE, &rl));
	REQUIRE_EQ(rl.rlim_cur, 1024);
	REQUIRE_EQ(rl.rlim_max, 4096);
	REQUIRE_ERRNO(rump_sys_getrlimit(RLIMIT_STACK, &rl), EINVAL);
	rl.rlim_cur = 40;
	rl.rlim_max = 30;
	REQUIRE_ERRNO(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
	rl.rlim_cur = rl.rlim_max = (1 << 20) + 1;
	REQUIRE_ERRNO(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_cur = 20;
	rl.rlim_max = 100000;
	REQUIRE_OK(rump_sys_prlimit64(0, RLIMIT_NOFILE, &rl, NULL));
	REQUIRE_ERRNO(rump_sys_prlimit64(99999, RLIMIT_NOFILE, NULL, &rl),
	    ESRCH);
	for (n = 0; (fd = rump_sys_open("/", O_PATH, 0)) != -1; n++)
		continue;
	REQUIRE_EQ(errno, EMFILE);
	REQUIRE(n > 0);
	REQUIRE_OK(rump_sys_fcntl(19, F_GETFD, 0));
	REQUIRE_ERRNO(rump_sys_fcntl(20, F_GETFD, 0), EBADF);
	rl.rlim_cur = 5000;
	REQUIRE_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	for (i = 0; i < 3000; i++)
		REQUIRE_OK(rump_sys_open("/", O_PATH, 0));
	REQUIRE_OK(rump_sys_seteuid(12));
	rl.rlim_max = 100001;
	REQUIRE_ERRNO(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_max = 6000;
	REQUIRE_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	REQUIRE_OK(rump_sys_prlimit64(0, RLIMIT_NOFILE, NULL, &rl));
	REQUIRE_EQ(rl.rlim_max, 6000);
	REQUIRE_OK(rump_sys_seteuid(0));
}

FSTESTS(FSCASE(create_rw), FSCASE(mkdir_rmdir), FSCASE(unlink_open),
    FSCASE(rename_edges), FSCASE(rename_exdev), FSCASE(hardlinks),
    FSCASE(symlinks), FSCASE(names), FSCASE(readdir), FSCASE(times),
    FSCASE(truncate), FSCASE(cwd), FSCASE(chroot), FSCASE(mknod),
    FSCASE(statvfs), FSCASE(changes_or_erofs), FSCASE(badargs),
    FSCASE(bigdir), FSCASE(atime), FSCASE(atime_noatime_perm),
    FSCASE(opath), FSCASE(nofile))
