/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Descriptors: close, dup, dup2, dup3, fcntl and descriptor-level ioctls,
 * with Linux's errno values, and the descriptor tables of processes made
 * by rump_pub_lwproc_rfork with each sharing flag.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "h_macros.h"

/* Two descriptors refer to the same pipe when bytes flow between them. */
static void
require_connected(int wfd, int rfd)
{
	char c = 0;

	REQUIRE_EQ(rump_sys_write(wfd, "q", 1), 1);
	REQUIRE_EQ(rump_sys_read(rfd, &c, 1), 1);
	REQUIRE_EQ(c, 'q');
}

TESTCASE(close_errors)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	REQUIRE_ERRNO(rump_sys_close(p[0]), EBADF);
	REQUIRE_ERRNO(rump_sys_close(-1), EBADF);
	REQUIRE_ERRNO(rump_sys_close(1024), EBADF);
	REQUIRE_ERRNO(rump_sys_close(1 << 30), EBADF);
	REQUIRE_EQ(rump_sys_close(p[1]), 0);
	REQUIRE_ERRNO(rump_sys_close(p[1]), EBADF);
}

TESTCASE(dup_lowest)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_dup(p[1]), 2);
	REQUIRE_EQ(rump_sys_dup(p[1]), 3);
	REQUIRE_EQ(rump_sys_close(0), 0);
	REQUIRE_EQ(rump_sys_close(2), 0);
	REQUIRE_EQ(rump_sys_dup(3), 0);
	REQUIRE_EQ(rump_sys_dup(3), 2);
	REQUIRE_EQ(rump_sys_dup(3), 4);
	/* fd 0 is now a write end too; the read end is gone for good. */
	REQUIRE_ERRNO(rump_sys_write(0, "x", 1), EPIPE);
	REQUIRE_ERRNO(rump_sys_dup(-1), EBADF);
	REQUIRE_ERRNO(rump_sys_dup(5), EBADF);
	REQUIRE_ERRNO(rump_sys_dup(1024), EBADF);
	REQUIRE_ERRNO(rump_sys_dup(1 << 30), EBADF);
}

/* A duplicate shares the open file (status flags) but not FD_CLOEXEC. */
TESTCASE(dup_shares_file)
{
	int p[2], d;

	REQUIRE_EQ(rump_sys_pipe2(p, O_CLOEXEC), 0);
	REQUIRE_EQ((d = rump_sys_dup(p[0])), 2);
	REQUIRE_EQ(rump_sys_fcntl(d, F_GETFD, 0), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_fcntl(d, F_SETFL, O_NONBLOCK), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFL, 0), O_RDONLY | O_NONBLOCK);
	require_connected(p[1], d);
	/* Closing one leaves the other open. */
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	require_connected(p[1], d);
}

TESTCASE(dup2_semantics)
{
	int a[2], b[2];
	char c;

	REQUIRE_EQ(rump_sys_pipe(a), 0);       /* 0, 1 */
	REQUIRE_EQ(rump_sys_pipe(b), 0);       /* 2, 3 */
	/* Onto an open descriptor: it is closed first. */
	REQUIRE_EQ(rump_sys_dup2(a[0], b[1]), b[1]);
	require_connected(a[1], b[1]);
	/* b's write end had no other descriptor: its reader sees EOF. */
	REQUIRE_EQ(rump_sys_read(b[0], &c, 1), 0);
	/* Onto itself: nothing happens, the descriptor is returned. */
	REQUIRE_EQ(rump_sys_fcntl(a[1], F_SETFD, FD_CLOEXEC), 0);
	REQUIRE_EQ(rump_sys_dup2(a[1], a[1]), a[1]);
	REQUIRE_EQ(rump_sys_fcntl(a[1], F_GETFD, 0), FD_CLOEXEC);
	require_connected(a[1], a[0]);
	/* Beyond the highest descriptor: the table grows. */
	REQUIRE_EQ(rump_sys_dup2(a[1], 1000), 1000);
	require_connected(1000, a[0]);
	REQUIRE_EQ(rump_sys_dup2(a[1], 1023), 1023);
	REQUIRE_EQ(rump_sys_dup(a[1]), 4);
	/* dup2 clears FD_CLOEXEC on the new descriptor. */
	REQUIRE_EQ(rump_sys_fcntl(1000, F_SETFD, FD_CLOEXEC), 0);
	REQUIRE_EQ(rump_sys_dup2(a[0], 1000), 1000);
	REQUIRE_EQ(rump_sys_fcntl(1000, F_GETFD, 0), 0);
	REQUIRE_ERRNO(rump_sys_dup2(a[1], 1024), EBADF);
	REQUIRE_ERRNO(rump_sys_dup2(a[1], -1), EBADF);
	REQUIRE_ERRNO(rump_sys_dup2(-1, 5), EBADF);
	REQUIRE_ERRNO(rump_sys_dup2(7, 7), EBADF);
	REQUIRE_ERRNO(rump_sys_dup2(7, 8), EBADF);
	/* A failed dup2 does not close the target. */
	REQUIRE_ERRNO(rump_sys_dup2(7, a[1]), EBADF);
	require_connected(a[1], a[0]);
}

TESTCASE(dup3_semantics)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_ERRNO(rump_sys_dup3(p[0], p[0], 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_dup3(p[0], p[0], O_CLOEXEC), EINVAL);
	REQUIRE_ERRNO(rump_sys_dup3(p[0], 5, O_NONBLOCK), EINVAL);
	REQUIRE_ERRNO(rump_sys_dup3(p[0], 5, 1), EINVAL);
	REQUIRE_ERRNO(rump_sys_dup3(p[0], -1, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_dup3(p[0], 1024, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_dup3(9, 5, 0), EBADF);
	REQUIRE_EQ(rump_sys_dup3(p[1], 5, O_CLOEXEC), 5);
	REQUIRE_EQ(rump_sys_fcntl(5, F_GETFD, 0), FD_CLOEXEC);
	require_connected(5, p[0]);
	REQUIRE_EQ(rump_sys_dup3(p[1], 5, 0), 5);
	REQUIRE_EQ(rump_sys_fcntl(5, F_GETFD, 0), 0);
}

TESTCASE(fcntl_dupfd)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_DUPFD, 10), 10);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_DUPFD, 10), 11);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_DUPFD, 0), 2);
	REQUIRE_EQ(rump_sys_close(10), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_DUPFD, 5), 5);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_DUPFD, 5), 6);
	REQUIRE_EQ(rump_sys_fcntl(5, F_GETFD, 0), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_DUPFD_CLOEXEC, 100), 100);
	REQUIRE_EQ(rump_sys_fcntl(100, F_GETFD, 0), FD_CLOEXEC);
	require_connected(100, p[0]);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_DUPFD, 1023), 1023);
	REQUIRE_ERRNO(rump_sys_fcntl(p[1], F_DUPFD, 1023), EMFILE);
	REQUIRE_ERRNO(rump_sys_fcntl(p[1], F_DUPFD, 1024), EINVAL);
	REQUIRE_ERRNO(rump_sys_fcntl(p[1], F_DUPFD, -1), EINVAL);
	REQUIRE_ERRNO(rump_sys_fcntl(50, F_DUPFD, 0), EBADF);
}

TESTCASE(fcntl_flags)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_SETFD, 0), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), 0);
	/* Only the status flags change; the access mode does not. */
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETFL, O_RDWR | O_APPEND |
	    O_NONBLOCK | O_CREAT | O_TRUNC), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFL, 0),
	    O_WRONLY | O_APPEND | O_NONBLOCK);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETFL, O_APPEND), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFL, 0), O_WRONLY | O_APPEND);
	REQUIRE_ERRNO(rump_sys_fcntl(p[0], 9999, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_fcntl(-1, F_GETFD, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fcntl(3, F_GETFL, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fcntl(3, F_SETFD, FD_CLOEXEC), EBADF);
}

TESTCASE(ioctl_cloexec)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_ioctl(p[0], FIOCLEX, NULL), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_ioctl(p[0], FIONCLEX, NULL), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), 0);
	REQUIRE_ERRNO(rump_sys_ioctl(7, FIOCLEX, NULL), EBADF);
	REQUIRE_ERRNO(rump_sys_ioctl(p[0], FIONBIO, NULL), EFAULT);
}

TESTCASE(fd_table_full)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	for (int i = 2; i < 1024; i++)
		REQUIRE_EQ(rump_sys_dup(p[0]), i);
	REQUIRE_ERRNO(rump_sys_dup(p[0]), EMFILE);
	REQUIRE_ERRNO(rump_sys_fcntl(p[0], F_DUPFD, 0), EMFILE);
	REQUIRE_ERRNO(rump_sys_pipe(p), EMFILE);
	/* dup2 onto a used slot needs no new one. */
	REQUIRE_EQ(rump_sys_dup2(1, 512), 512);
	REQUIRE_EQ(rump_sys_close(512), 0);
	REQUIRE_EQ(rump_sys_dup(0), 512);
}

/* RUMP_RFFDG: a copy; changes on either side stay there. */
TESTCASE(rfork_fdg_copies)
{
	struct lwp *parent;
	int p[2];
	char c;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_pub_lwproc_curlwp();
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), FD_CLOEXEC);
	require_connected(p[1], p[0]);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	REQUIRE_EQ(rump_sys_dup(p[1]), 0);
	rump_pub_lwproc_switch(parent);
	/* The parent's p[0] is still the read end; 2 is not open here. */
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFL, 0), O_RDONLY);
	REQUIRE_ERRNO(rump_sys_close(2), EBADF);
	/* The copy shares the open files: status flags are common. */
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	REQUIRE_EQ(rump_sys_write(p[1], "z", 1), 1);
	REQUIRE_EQ(rump_sys_read(p[0], &c, 1), 1);
}

/* RUMP_RFCFDG: a clean table. */
TESTCASE(rfork_cfdg_clean)
{
	int p[2];
	struct stat sb;

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_dup2(p[1], 500), 500);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_ERRNO(rump_sys_fstat(0, &sb), EBADF);
	REQUIRE_ERRNO(rump_sys_fstat(1, &sb), EBADF);
	REQUIRE_ERRNO(rump_sys_fstat(500, &sb), EBADF);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(p[0], 0);
	REQUIRE_EQ(p[1], 1);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_sys_fstat(500, &sb), 0);
}

/* No flag: one table, shared; a change shows in both processes. */
TESTCASE(rfork_shared)
{
	struct lwp *parent, *child;
	int p[2];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_pub_lwproc_curlwp();
	REQUIRE_EQ(rump_pub_lwproc_rfork(0), 0);
	child = rump_pub_lwproc_curlwp();
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	rump_pub_lwproc_switch(parent);
	require_connected(p[1], p[0]);
	REQUIRE_EQ(rump_sys_close(p[1]), 0);
	rump_pub_lwproc_switch(child);
	REQUIRE_ERRNO(rump_sys_close(p[1]), EBADF);
	/* The child's end does not close the shared table. */
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
}

TESTS(CASE(close_errors), CASE(dup_lowest), CASE(dup_shares_file),
    CASE(dup2_semantics), CASE(dup3_semantics), CASE(fcntl_dupfd),
    CASE(fcntl_flags), CASE(ioctl_cloexec), CASE(fd_table_full),
    CASE(rfork_fdg_copies), CASE(rfork_cfdg_clean), CASE(rfork_shared))
