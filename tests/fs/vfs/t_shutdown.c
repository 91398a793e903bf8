/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * reboot and the VFS: unless RB_NOSYNC, halting syncs and unmounts every
 * file system but the root, forcibly.  Seen from outside: a thread
 * blocked on a record lock of a tmpfs file wakes with EIO, because the
 * file was revoked; with RB_NOSYNC the file system is left alone.
 */
#include <fcntl.h>
#include <pthread.h>

#include "h_macros.h"

struct waiter {
	volatile int started, done;
	int rv, err;
};

static void *
lock_waiter(void *arg)
{
	struct waiter *w = arg;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 ||
	    (fd = rump_sys_open("/m/f", O_RDWR, 0)) == -1) {
		w->rv = -2;
		w->done = 1;
		return NULL;
	}
	w->started = 1;
	w->rv = rump_sys_fcntl(fd, F_SETLKW, (long)&fl);
	w->err = errno;
	w->done = 1;
	return NULL;
}

/* A tmpfs file, locked, and a thread waiting for the lock. */
static void
setup(struct waiter *w, pthread_t *th)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	REQUIRE_OK(rump_sys_mkdir("/m", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "/m", 0, NULL, 0));
	REQUIRE_OK(fd = rump_sys_open("/m/f", O_RDWR | O_CREAT, 0644));
	REQUIRE_OK(rump_sys_fcntl(fd, F_SETLK, (long)&fl));
	REQUIRE_EQ(pthread_create(th, NULL, lock_waiter, w), 0);
	while (!w->started && !w->done)
		usleep(1000);
	usleep(100000);
	REQUIRE(!w->done);
}

TESTCASE(halt_unmounts)
{
	struct waiter w = { 0 };
	pthread_t th;

	setup(&w, &th);
	REQUIRE_OK(rump_sys_reboot(RUMP_RB_HALT, NULL));
	REQUIRE_EQ(pthread_join(th, NULL), 0);
	REQUIRE_EQ(w.rv, -1);
	REQUIRE_EQ(w.err, EIO);
}

TESTCASE(halt_nosync_leaves)
{
	struct waiter w = { 0 };
	pthread_t th;

	setup(&w, &th);
	REQUIRE_OK(rump_sys_reboot(RUMP_RB_HALT | RUMP_RB_NOSYNC, NULL));
	usleep(100000);
	REQUIRE(!w.done);
}

TESTS(CASE(halt_unmounts), CASE(halt_nosync_leaves))
