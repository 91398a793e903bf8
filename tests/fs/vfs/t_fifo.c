/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FIFOs made in every file system (mknod S_IFIFO) carry data as pipes
 * do, with POSIX's rules for opening them: read-only waits for a
 * writer and write-only for a reader, unless O_NONBLOCK (then a lone
 * writer is ENXIO); read-write never waits.  EOF once the writers are
 * gone, EPIPE once the readers are; nothing stays buffered between
 * uses; no position (ESPIPE).  As NetBSD's tests/fs/ffs/t_fifos.c, a
 * writer and a reader in threads of their own pass data through one.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>

#include "h_fsmacros.h"

#define NMSG 500

/* Writes NMSG numbered records into the FIFO, opened write-only. */
static void *
fifo_writer(void *arg)
{
	volatile int *opened = arg;
	char rec[64];
	int fd;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		return (void *)1;
	if ((fd = rump_sys_open(FS_MNT "/fifo", O_WRONLY, 0)) == -1)
		return (void *)2;
	*opened = 1;
	for (int i = 0; i < NMSG; i++) {
		memset(rec, 'a' + i % 26, sizeof(rec));
		snprintf(rec, sizeof(rec), "%d", i);
		if (rump_sys_write(fd, rec, sizeof(rec)) != sizeof(rec))
			return (void *)3;
	}
	rump_sys_close(fd);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

FSTEST(fifo_data, FS_WRITABLE | FS_NODES)
{
	volatile int opened = 0;
	char rec[64], want[64];
	struct stat sb;
	pthread_t th;
	void *rv;
	int fd;

	(void)fs;
	REQUIRE_OK(rump_sys_mknod("fifo", S_IFIFO | 0600, 0));
	REQUIRE_EQ(pthread_create(&th, NULL, fifo_writer, (void *)&opened),
	    0);
	/* The writer waits in open for a reader. */
	usleep(100000);
	REQUIRE_EQ(opened, 0);
	REQUIRE_OK(fd = rump_sys_open("fifo", O_RDONLY, 0));
	for (int i = 0; i < NMSG; i++) {
		size_t got = 0;
		ssize_t n;

		while (got < sizeof(rec)) {
			REQUIRE_OK(n = rump_sys_read(fd, rec + got,
			    sizeof(rec) - got));
			REQUIRE(n > 0);
			got += (size_t)n;
		}
		memset(want, 'a' + i % 26, sizeof(want));
		snprintf(want, sizeof(want), "%d", i);
		REQUIRE(memcmp(rec, want, sizeof(rec)) == 0);
	}
	REQUIRE_EQ(pthread_join(th, &rv), 0);
	REQUIRE_EQ((intptr_t)rv, 0);
	REQUIRE_EQ(opened, 1);
	/* The writer is gone: end of file. */
	REQUIRE_EQ(rump_sys_read(fd, rec, sizeof(rec)), 0);
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE(S_ISFIFO(sb.st_mode));
	REQUIRE_EQ(sb.st_size, 0);
	REQUIRE_ERRNO(rump_sys_lseek(fd, 0, SEEK_SET), ESPIPE);
	REQUIRE_ERRNO(rump_sys_pread(fd, rec, 1, 0), ESPIPE);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unlink("fifo"));
}

/* Opens a reader after a delay, so that a write-only open has waited. */
static void *
fifo_lateopen(void *arg)
{
	int *fdp = arg;

	if (rump_pub_lwproc_newlwp(rump_sys_getpid()) != 0)
		return (void *)1;
	usleep(100000);
	*fdp = rump_sys_open(FS_MNT "/fifo", O_RDONLY | O_NONBLOCK, 0);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

FSTEST(fifo_nonblock, FS_WRITABLE | FS_NODES)
{
	struct pollfd pfd;
	pthread_t th;
	int rfd, wfd, rwfd, n;
	char c;

	(void)fs;
	REQUIRE_OK(rump_sys_mknod("fifo", S_IFIFO | 0644, 0));
	/* No reader: a non-blocking writer is ENXIO. */
	REQUIRE_ERRNO(rump_sys_open("fifo", O_WRONLY | O_NONBLOCK, 0), ENXIO);
	/* A non-blocking reader opens alone, and reads EOF: no writer. */
	REQUIRE_OK(rfd = rump_sys_open("fifo", O_RDONLY | O_NONBLOCK, 0));
	REQUIRE_EQ(rump_sys_read(rfd, &c, 1), 0);
	REQUIRE_OK(wfd = rump_sys_open("fifo", O_WRONLY | O_NONBLOCK, 0));
	/* A writer, nothing written: EAGAIN, not EOF. */
	REQUIRE_ERRNO(rump_sys_read(rfd, &c, 1), EAGAIN);
	pfd = (struct pollfd){ .fd = rfd, .events = POLLIN };
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	REQUIRE_EQ(rump_sys_write(wfd, "xyz", 3), 3);
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	REQUIRE_EQ(pfd.revents, POLLIN);
	REQUIRE_OK(rump_sys_ioctl(rfd, FIONREAD, &n));
	REQUIRE_EQ(n, 3);
	REQUIRE_EQ(rump_sys_read(rfd, &c, 1), 1);
	REQUIRE_EQ(c, 'x');
	/* The reader goes: writing is EPIPE; what was left is dropped. */
	REQUIRE_OK(rump_sys_close(rfd));
	REQUIRE_ERRNO(rump_sys_write(wfd, "q", 1), EPIPE);
	REQUIRE_OK(rump_sys_close(wfd));
	/* Read-write never waits; the old bytes are gone. */
	REQUIRE_OK(rwfd = rump_sys_open("fifo", O_RDWR, 0));
	REQUIRE_OK(rump_sys_ioctl(rwfd, FIONREAD, &n));
	REQUIRE_EQ(n, 0);
	REQUIRE_EQ(rump_sys_write(rwfd, "ab", 2), 2);
	REQUIRE_EQ(rump_sys_read(rwfd, &c, 1), 1);
	REQUIRE_EQ(c, 'a');
	REQUIRE_OK(rump_sys_close(rwfd));
	/* A blocking write-only open waits for the reader that comes. */
	rfd = -1;
	REQUIRE_EQ(pthread_create(&th, NULL, fifo_lateopen, &rfd), 0);
	REQUIRE_OK(wfd = rump_sys_open("fifo", O_WRONLY, 0));
	REQUIRE_EQ(pthread_join(th, NULL), 0);
	REQUIRE(rfd >= 0);
	REQUIRE_EQ(rump_sys_write(wfd, "k", 1), 1);
	REQUIRE_EQ(rump_sys_read(rfd, &c, 1), 1);
	REQUIRE_EQ(c, 'k');
	REQUIRE_OK(rump_sys_close(wfd));
	REQUIRE_EQ(rump_sys_read(rfd, &c, 1), 0);
	REQUIRE_OK(rump_sys_close(rfd));
	REQUIRE_OK(rump_sys_unlink("fifo"));
}

FSTESTS(FSCASE(fifo_data), FSCASE(fifo_nonblock))
