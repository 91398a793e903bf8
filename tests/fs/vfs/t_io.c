/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * File data and concurrency on every file system: sparse and > 4 GiB
 * files, SEEK_DATA/SEEK_HOLE, O_APPEND from two processes, 1,000
 * concurrent creates and renames from four lwps, EMFILE, ENOSPC, and
 * advisory record locks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "h_fsmacros.h"

FSTEST(sparse_big, FS_WRITABLE | FS_SPARSE)
{
	const off_t big = 5LL << 30;
	char buf[4096], zero[4096];
	off_t hole;
	struct stat sb;
	int fd;

	(void)fs;
	memset(zero, 0, sizeof(zero));
	REQUIRE_OK(fd = rump_sys_open("sparse", O_RDWR | O_CREAT, 0644));
	REQUIRE_EQ(rump_sys_pwrite(fd, "head", 4, 0), 4);
	REQUIRE_EQ(rump_sys_pwrite(fd, "tail", 4, big), 4);
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_size, big + 4);
	/* Two data blocks and at most four of indirection, not 5 GiB. */
	REQUIRE(sb.st_blocks * 512 <= 6 * (blkcnt_t)sb.st_blksize);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4, big), 4);
	REQUIRE(memcmp(buf, "tail", 4) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 1LL << 32),
	    sizeof(buf));
	REQUIRE(memcmp(buf, zero, sizeof(buf)) == 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_DATA), 0);
	/* Holes are found at the file system's granularity. */
	hole = rump_sys_lseek(fd, 0, SEEK_HOLE);
	REQUIRE(hole >= 4096 && hole <= sb.st_blksize);
	REQUIRE_EQ(rump_sys_lseek(fd, hole, SEEK_DATA), big);
	REQUIRE_EQ(rump_sys_lseek(fd, big, SEEK_HOLE), big + 4);
	REQUIRE_ERRNO(rump_sys_lseek(fd, big + 4, SEEK_DATA), ENXIO);
	REQUIRE_ERRNO(rump_sys_lseek(fd, -1, SEEK_SET), EINVAL);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), big + 4);
	/* Shrinking frees; growing again reads zeroes. */
	REQUIRE_OK(rump_sys_ftruncate(fd, 2));
	REQUIRE_OK(rump_sys_ftruncate(fd, big));
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4, 0), 4);
	REQUIRE(memcmp(buf, "he\0\0", 4) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4, big - 4), 4);
	REQUIRE(memcmp(buf, zero, 4) == 0);
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	/* A few blocks (a disk file system's last and indirect ones). */
	REQUIRE(sb.st_blocks * 512 <= 4 * sb.st_blksize);
	REQUIRE_OK(rump_sys_close(fd));
}

FSTEST(rw_pattern, FS_WRITABLE)
{
	static unsigned char wbuf[300000], rbuf[300000];
	int fd;

	(void)fs;
	for (size_t i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = (unsigned char)(i * 7 + i / 4096);
	REQUIRE_OK(fd = rump_sys_open("p", O_RDWR | O_CREAT, 0644));
	REQUIRE_EQ(rump_sys_write(fd, wbuf, 1000), 1000);
	REQUIRE_EQ(rump_sys_write(fd, wbuf + 1000, sizeof(wbuf) - 1000),
	    sizeof(wbuf) - 1000);
	REQUIRE_EQ(rump_sys_pread(fd, rbuf, sizeof(rbuf), 0), sizeof(rbuf));
	REQUIRE(memcmp(wbuf, rbuf, sizeof(wbuf)) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, rbuf, 10, 4090), 10);
	REQUIRE(memcmp(wbuf + 4090, rbuf, 10) == 0);
	REQUIRE_OK(rump_sys_close(fd));
}

FSTEST(append_two_procs, FS_WRITABLE)
{
	struct lwp *p1, *p2;
	char rec[100], *data;
	size_t len;
	int fd1, fd2;

	(void)fs;
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	p1 = rump_pub_lwproc_curlwp();
	REQUIRE_OK(fd1 = rump_sys_open(FS_MNT "/log",
	    O_WRONLY | O_CREAT | O_APPEND, 0644));
	rump_pub_lwproc_switch(NULL);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	p2 = rump_pub_lwproc_curlwp();
	REQUIRE_OK(fd2 = rump_sys_open(FS_MNT "/log", O_WRONLY | O_APPEND, 0));
	for (int i = 0; i < 200; i++) {
		rump_pub_lwproc_switch(i % 2 ? p2 : p1);
		memset(rec, 'a' + i % 26, sizeof(rec));
		REQUIRE_EQ(rump_sys_write(i % 2 ? fd2 : fd1, rec, sizeof(rec)),
		    sizeof(rec));
	}
	rump_pub_lwproc_switch(p1);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(p2);
	rump_pub_lwproc_releaselwp();
	data = fs_readfile("log", &len);
	REQUIRE_EQ(len, 200 * sizeof(rec));
	for (int i = 0; i < 200; i++)
		for (size_t j = 0; j < sizeof(rec); j++)
			REQUIRE_EQ(data[i * sizeof(rec) + j], 'a' + i % 26);
	free(data);
}

#define NTHREADS 4
#define NFILES   250

static void *
creator(void *arg)
{
	int t = (int)(intptr_t)arg, fd;
	char a[64], b[64];

	if (rump_pub_lwproc_newlwp(1) != 0)
		return (void *)1;
	for (int i = 0; i < NFILES; i++) {
		snprintf(a, sizeof(a), FS_MNT "/dir/t%d-%d", t, i);
		snprintf(b, sizeof(b), FS_MNT "/dir/r%d-%d", t, i);
		if ((fd = rump_sys_open(a, O_CREAT | O_EXCL | O_WRONLY,
		    0644)) == -1 || rump_sys_close(fd) == -1 ||
		    rump_sys_rename(a, b) == -1)
			return (void *)2;
		/* Every other file is renamed on to a shared name. */
		if (i % 2 == 0 &&
		    rump_sys_rename(b, FS_MNT "/dir/shared") == -1) {
			fprintf(stderr, "rename %s to shared: %s\n", b,
			    strerror(errno));
			return (void *)3;
		}
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

FSTEST(concurrent_creates, FS_WRITABLE)
{
	pthread_t th[NTHREADS];
	void *rv;
	int n = 0;
	char name[64];
	struct stat sb;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("dir", 0755));
	for (int t = 0; t < NTHREADS; t++)
		REQUIRE_EQ(pthread_create(&th[t], NULL, creator,
		    (void *)(intptr_t)t), 0);
	for (int t = 0; t < NTHREADS; t++) {
		REQUIRE_EQ(pthread_join(th[t], &rv), 0);
		REQUIRE_EQ((intptr_t)rv, 0);
	}
	for (int t = 0; t < NTHREADS; t++)
		for (int i = 0; i < NFILES; i++) {
			snprintf(name, sizeof(name), "dir/r%d-%d", t, i);
			if (i % 2 == 0)
				REQUIRE_ERRNO(rump_sys_stat(name, &sb), ENOENT);
			else {
				REQUIRE_OK(rump_sys_stat(name, &sb));
				n++;
			}
		}
	REQUIRE_EQ(n, NTHREADS * NFILES / 2);
	REQUIRE_EQ(fs_direntcount("dir", "shared"), 1);
	REQUIRE_EQ(fs_nlink("dir/shared"), 1);
}

FSTEST(emfile, 0)
{
	int fd, n = 0, first = -1;

	(void)fs;
	while ((fd = rump_sys_open(".", O_RDONLY, 0)) != -1) {
		if (first == -1)
			first = fd;
		n++;
	}
	REQUIRE_EQ(errno, EMFILE);
	REQUIRE_EQ(n + first, 1024);
	REQUIRE_OK(rump_sys_close(first));
	REQUIRE_OK(fd = rump_sys_open(".", O_RDONLY, 0));
	REQUIRE_EQ(fd, first);
	for (fd = first; fd < 1024; fd++)
		REQUIRE_OK(rump_sys_close(fd));
}

FSTEST(enospc, FS_WRITABLE | FS_SIZELIMIT)
{
	static char buf[65536];
	struct statvfs sv;
	char name[32];
	ssize_t w;
	off_t total = 0;
	int fd, n;

	REQUIRE_OK(rump_sys_mkdir("small", 0755));
	REQUIRE_OK(fs->fs_mount("small", 1 << 20));
	fs_mkfile("small/keep", "precious", 8);
	memset(buf, 'z', sizeof(buf));
	REQUIRE_OK(fd = rump_sys_open("small/fill", O_WRONLY | O_CREAT, 0644));
	while ((w = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		total += w;
	REQUIRE_EQ(w, -1);
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE(total > 512 * 1024 && total <= 1 << 20);
	REQUIRE_OK(rump_sys_statvfs("small", &sv));
	REQUIRE_EQ(sv.f_bavail, 0);
	REQUIRE_OK(rump_sys_close(fd));
	/* Creations fail too, and change nothing. */
	for (n = 0; n < 100000; n++) {
		snprintf(name, sizeof(name), "small/n%d", n);
		if (rump_sys_mkdir(name, 0755) == -1)
			break;
	}
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_ERRNO(rump_sys_stat(name, &(struct stat){ 0 }), ENOENT);
	fs_checkfile("small/keep", "precious");
	REQUIRE_EQ(fs_nlink("small/fill"), 1);
	/* Freed space is usable again. */
	REQUIRE_OK(rump_sys_unlink("small/fill"));
	fs_mkfile("small/again", buf, sizeof(buf));
	REQUIRE_OK(fs->fs_unmount("small"));
}

FSTEST(record_locks, FS_WRITABLE)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = 10, .l_len = 10 };
	struct lwp *a, *b;
	int fda, fdb;

	(void)fs;
	fs_mkfile("locked", "", 0);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	a = rump_pub_lwproc_curlwp();
	REQUIRE_OK(fda = rump_sys_open(FS_MNT "/locked", O_RDWR, 0));
	REQUIRE_OK(rump_sys_fcntl(fda, F_SETLK, (long)&fl));
	rump_pub_lwproc_switch(NULL);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	b = rump_pub_lwproc_curlwp();
	REQUIRE_OK(fdb = rump_sys_open(FS_MNT "/locked", O_RDWR, 0));
	fl.l_start = 15;
	fl.l_len = 1;
	REQUIRE_ERRNO(rump_sys_fcntl(fdb, F_SETLK, (long)&fl), EAGAIN);
	REQUIRE_OK(rump_sys_fcntl(fdb, F_GETLK, (long)&fl));
	REQUIRE_EQ(fl.l_type, F_WRLCK);
	REQUIRE_EQ(fl.l_start, 10);
	REQUIRE_EQ(fl.l_len, 10);
	fl.l_type = F_RDLCK;
	fl.l_start = 20;
	fl.l_len = 0;
	REQUIRE_OK(rump_sys_fcntl(fdb, F_SETLK, (long)&fl));
	/* Closing a's file drops its locks. */
	rump_pub_lwproc_switch(a);
	REQUIRE_OK(rump_sys_close(fda));
	rump_pub_lwproc_switch(b);
	fl.l_type = F_WRLCK;
	fl.l_start = 0;
	fl.l_len = 20;
	REQUIRE_OK(rump_sys_fcntl(fdb, F_SETLK, (long)&fl));
	REQUIRE_OK(rump_sys_fcntl(fdb, F_GETLK, (long)&fl));
	REQUIRE_EQ(fl.l_type, F_UNLCK);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(a);
	rump_pub_lwproc_releaselwp();
}

/* Whether another process could take a write lock on [0, 100) of path. */
static bool
lock_free_for_other(const char *path)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = 0, .l_len = 100 };
	struct lwp *me = rump_pub_lwproc_curlwp();
	int fd, r;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_OK(fd = rump_sys_open(path, O_RDWR, 0));
	r = rump_sys_fcntl(fd, F_SETLK, (long)&fl);
	REQUIRE(r == 0 || errno == EAGAIN);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(me);
	return r == 0;
}

/*
 * POSIX: a process's locks on a file go when it closes any descriptor
 * of the file, not only the one they were set through, and when it
 * exits.
 */
FSTEST(record_locks_close_any, FS_WRITABLE)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = 0, .l_len = 10 };
	int fd1, fd2, fd3;

	(void)fs;
	fs_mkfile("locked", "", 0);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_OK(fd1 = rump_sys_open(FS_MNT "/locked", O_RDWR, 0));
	REQUIRE_OK(fd2 = rump_sys_open(FS_MNT "/locked", O_RDONLY, 0));
	REQUIRE_OK(rump_sys_fcntl(fd1, F_SETLK, (long)&fl));
	REQUIRE(!lock_free_for_other(FS_MNT "/locked"));
	/* Another open file of the same vnode. */
	REQUIRE_OK(rump_sys_close(fd2));
	REQUIRE(lock_free_for_other(FS_MNT "/locked"));
	/* A duplicate of the descriptor the lock was set through. */
	REQUIRE_OK(rump_sys_fcntl(fd1, F_SETLK, (long)&fl));
	REQUIRE_OK(fd3 = rump_sys_dup(fd1));
	REQUIRE(!lock_free_for_other(FS_MNT "/locked"));
	REQUIRE_OK(rump_sys_close(fd3));
	REQUIRE(lock_free_for_other(FS_MNT "/locked"));
	/* dup2 over a descriptor of the file is a close of it too. */
	REQUIRE_OK(rump_sys_fcntl(fd1, F_SETLK, (long)&fl));
	REQUIRE_OK(fd2 = rump_sys_open(FS_MNT "/locked", O_RDONLY, 0));
	REQUIRE_OK(fd3 = rump_sys_open(FS_MNT, O_RDONLY | O_DIRECTORY, 0));
	REQUIRE_OK(rump_sys_dup2(fd3, fd2));
	REQUIRE(lock_free_for_other(FS_MNT "/locked"));
	/* Closing a descriptor of an unrelated file changes nothing. */
	REQUIRE_OK(rump_sys_fcntl(fd1, F_SETLK, (long)&fl));
	REQUIRE_OK(rump_sys_close(fd3));
	REQUIRE(!lock_free_for_other(FS_MNT "/locked"));
	/* The end of the process. */
	rump_pub_lwproc_releaselwp();
	REQUIRE(lock_free_for_other(FS_MNT "/locked"));
}

FSTESTS(FSCASE(sparse_big), FSCASE(rw_pattern), FSCASE(append_two_procs),
    FSCASE(concurrent_creates), FSCASE(emfile), FSCASE(enospc),
    FSCASE(record_locks), FSCASE(record_locks_close_any))
