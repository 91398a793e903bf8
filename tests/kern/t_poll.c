/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * poll, ppoll, select and pselect on pipes: readiness, hangup and error
 * reporting as Linux has it, timeouts measured on the host clock, wakeups
 * from other host threads, and argument errors.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/select.h>
#include <time.h>

#include "h_macros.h"

/* How late a timeout may end: loose, for loaded machines. */
#define SLACK_MS 500

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define REQUIRE_TOOK(start, ms)                                                \
	do {                                                                   \
		long long el_ = now_ms() - (start);                            \
		if (el_ < (ms) || el_ >= (ms) + SLACK_MS)                      \
			TEST_FAIL("took %lld ms, expected %d", el_, (ms));     \
	} while (0)

TESTCASE(poll_ready)
{
	struct pollfd pfd[2];
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	pfd[0] = (struct pollfd){ p[0], POLLIN, -1 };
	pfd[1] = (struct pollfd){ p[1], POLLOUT, -1 };
	REQUIRE_EQ(rump_sys_poll(pfd, 2, 0), 1);
	REQUIRE_EQ(pfd[0].revents, 0);
	REQUIRE_EQ(pfd[1].revents, POLLOUT);
	REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	pfd[0].events = POLLIN | POLLRDNORM | POLLOUT;
	REQUIRE_EQ(rump_sys_poll(pfd, 2, 0), 2);
	REQUIRE_EQ(pfd[0].revents, POLLIN | POLLRDNORM);
	REQUIRE_EQ(pfd[1].revents, POLLOUT);
	/* Negative descriptors are skipped, revents cleared. */
	pfd[0].fd = -1;
	REQUIRE_EQ(rump_sys_poll(pfd, 2, 0), 1);
	REQUIRE_EQ(pfd[0].revents, 0);
}

TESTCASE(poll_timeout_zero)
{
	struct pollfd pfd;
	struct timespec ts = { 0, 0 };
	fd_set rs;
	struct timeval tv = { 0, 0 };
	long long start;
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	start = now_ms();
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	REQUIRE_EQ(rump_sys_ppoll(&pfd, 1, &ts, NULL), 0);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	REQUIRE_EQ(rump_sys_select(p[0] + 1, &rs, NULL, NULL, &tv), 0);
	REQUIRE(!FD_ISSET(p[0], &rs));
	FD_SET(p[0], &rs);
	REQUIRE_EQ(rump_sys_pselect(p[0] + 1, &rs, NULL, NULL, &ts, NULL), 0);
	REQUIRE(now_ms() - start < 100);
}

TESTCASE(poll_timeout_honoured)
{
	struct pollfd pfd;
	long long start;
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	start = now_ms();
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 300), 0);
	REQUIRE_TOOK(start, 300);
	/* With nothing to poll it is a sleep. */
	start = now_ms();
	REQUIRE_EQ(rump_sys_poll(NULL, 0, 200), 0);
	REQUIRE_TOOK(start, 200);
}

TESTCASE(ppoll_timeout_honoured)
{
	struct timespec ts = { 0, 250 * 1000 * 1000 };
	struct pollfd pfd;
	long long start;
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	start = now_ms();
	REQUIRE_EQ(rump_sys_ppoll(&pfd, 1, &ts, NULL), 0);
	REQUIRE_TOOK(start, 250);
	/* The timespec is the caller's: left alone. */
	REQUIRE_EQ(ts.tv_sec, 0);
	REQUIRE_EQ(ts.tv_nsec, 250 * 1000 * 1000);
}

TESTCASE(select_timeout_honoured)
{
	struct timeval tv = { 0, 300 * 1000 };
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	fd_set rs;
	long long start;
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	start = now_ms();
	REQUIRE_EQ(rump_sys_select(p[0] + 1, &rs, NULL, NULL, &tv), 0);
	REQUIRE_TOOK(start, 300);
	REQUIRE(!FD_ISSET(p[0], &rs));
	/* As on Linux, select leaves the time not slept in tv. */
	REQUIRE_EQ(tv.tv_sec, 0);
	REQUIRE_EQ(tv.tv_usec, 0);
	FD_SET(p[0], &rs);
	start = now_ms();
	REQUIRE_EQ(rump_sys_pselect(p[0] + 1, &rs, NULL, NULL, &ts, NULL), 0);
	REQUIRE_TOOK(start, 200);
	/* tv_usec past a second counts as whole seconds. */
	tv = (struct timeval){ 0, 1100 * 1000 };
	FD_SET(p[0], &rs);
	start = now_ms();
	REQUIRE_EQ(rump_sys_select(p[0] + 1, &rs, NULL, NULL, &tv), 0);
	REQUIRE_TOOK(start, 1100);
}

struct helper {
	pid_t pid;
	int fd;
	long long delay_ms;
	int what;
};
#define H_WRITE 0
#define H_CLOSE 1
#define H_READ  2

/* After a delay, act on fd from an lwp of our own in process pid. */
static void *
helper_thread(void *arg)
{
	static char buf[65536];
	struct helper *h = arg;

	REQUIRE_EQ(rump_pub_lwproc_newlwp(h->pid), 0);
	usleep((useconds_t)h->delay_ms * 1000);
	switch (h->what) {
	case H_WRITE:
		REQUIRE_EQ(rump_sys_write(h->fd, "w", 1), 1);
		break;
	case H_CLOSE:
		REQUIRE_EQ(rump_sys_close(h->fd), 0);
		break;
	case H_READ:
		REQUIRE_EQ(rump_sys_read(h->fd, buf, 5000), 5000);
		break;
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static pthread_t
start_helper(struct helper *h, int fd, int what, long long delay_ms)
{
	pthread_t t;

	*h = (struct helper){ rump_sys_getpid(), fd, delay_ms, what };
	REQUIRE_EQ(pthread_create(&t, NULL, helper_thread, h), 0);
	return t;
}

TESTCASE(poll_woken_by_writer)
{
	struct helper h;
	struct pollfd pfd[3];
	pthread_t t;
	long long start;
	int p[2], q[2];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_pipe(q), 0);
	pfd[0] = (struct pollfd){ q[0], POLLIN, 0 };
	pfd[1] = (struct pollfd){ p[0], POLLIN, 0 };
	pfd[2] = (struct pollfd){ q[1], 0, 0 };
	start = now_ms();
	t = start_helper(&h, p[1], H_WRITE, 200);
	REQUIRE_EQ(rump_sys_poll(pfd, 3, -1), 1);
	REQUIRE(now_ms() - start >= 190);
	REQUIRE_EQ(pfd[0].revents, 0);
	REQUIRE_EQ(pfd[1].revents, POLLIN);
	REQUIRE_EQ(pfd[2].revents, 0);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
}

TESTCASE(select_woken_by_writer)
{
	struct helper h;
	fd_set rs, ws;
	pthread_t t;
	long long start;
	int p[2];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(p[0], &rs);
	start = now_ms();
	t = start_helper(&h, p[1], H_WRITE, 200);
	REQUIRE_EQ(rump_sys_select(p[0] + 1, &rs, &ws, NULL, NULL), 1);
	REQUIRE(now_ms() - start >= 190);
	REQUIRE(FD_ISSET(p[0], &rs));
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	/* Both ends ready now: one bit in each set. */
	FD_SET(p[1], &ws);
	REQUIRE_EQ(rump_sys_select(p[1] + 1, &rs, &ws, NULL, NULL), 2);
	REQUIRE(FD_ISSET(p[0], &rs));
	REQUIRE(FD_ISSET(p[1], &ws));
	REQUIRE(!FD_ISSET(p[1], &rs));
	REQUIRE(!FD_ISSET(p[0], &ws));
}

TESTCASE(poll_woken_by_close)
{
	struct helper h;
	struct pollfd pfd;
	pthread_t t;
	long long start;
	int p[2];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	start = now_ms();
	t = start_helper(&h, p[1], H_CLOSE, 100);
	/* Woken by the close, not found by the last look at the timeout. */
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 5000), 1);
	REQUIRE_TOOK(start, 100);
	REQUIRE_EQ(pfd.revents, POLLHUP);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
}

/* A poller for room on a full pipe is woken when a reader drains it. */
TESTCASE(poll_woken_by_reader)
{
	static char big[65536];
	struct helper h;
	struct pollfd pfd;
	pthread_t t;
	long long start;
	int p[2];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_write(p[1], big, sizeof(big)), sizeof(big));
	pfd = (struct pollfd){ p[1], POLLOUT, 0 };
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	start = now_ms();
	t = start_helper(&h, p[0], H_READ, 200);
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	REQUIRE(now_ms() - start >= 190);
	REQUIRE_EQ(pfd.revents, POLLOUT);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
}

TESTCASE(poll_hup)
{
	struct pollfd pfd;
	int p[2];
	char c;

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	REQUIRE_EQ(rump_sys_close(p[1]), 0);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	REQUIRE_EQ(pfd.revents, POLLIN | POLLHUP);
	REQUIRE_EQ(rump_sys_read(p[0], &c, 1), 1);
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	REQUIRE_EQ(pfd.revents, POLLHUP);
	/* Reported even when not asked for. */
	pfd.events = 0;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	REQUIRE_EQ(pfd.revents, POLLHUP);
}

/* Linux: a write end without a reader is in error (and still writable). */
TESTCASE(poll_err_no_reader)
{
	struct pollfd pfd;
	fd_set rs, ws;
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	pfd = (struct pollfd){ p[1], POLLOUT, 0 };
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	REQUIRE_EQ(pfd.revents, POLLOUT | POLLERR);
	pfd.events = 0;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	REQUIRE_EQ(pfd.revents, POLLERR);
	/* select counts an error as readable and as writable. */
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(p[1], &rs);
	FD_SET(p[1], &ws);
	REQUIRE_EQ(rump_sys_select(p[1] + 1, &rs, &ws, NULL, NULL), 2);
	REQUIRE(FD_ISSET(p[1], &rs));
	REQUIRE(FD_ISSET(p[1], &ws));
}

TESTCASE(poll_nval)
{
	struct pollfd pfd[3];
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	pfd[0] = (struct pollfd){ p[0], POLLIN, 0 };
	pfd[1] = (struct pollfd){ 1023, POLLIN, 0 };
	pfd[2] = (struct pollfd){ 5000, POLLIN, 0 };
	REQUIRE_EQ(rump_sys_poll(pfd, 3, -1), 3);
	for (int i = 0; i < 3; i++)
		REQUIRE_EQ(pfd[i].revents, POLLNVAL);
}

TESTCASE(select_errors)
{
	fd_set rs;
	struct timeval tv = { 0, 0 };
	struct timespec ts = { 0, 0 };
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	FD_ZERO(&rs);
	FD_SET(5, &rs);
	REQUIRE_ERRNO(rump_sys_select(6, &rs, NULL, NULL, &tv), EBADF);
	/* Bits at or past nd are not looked at. */
	REQUIRE_EQ(rump_sys_select(5, &rs, NULL, NULL, &tv), 0);
	REQUIRE_ERRNO(rump_sys_select(FD_SETSIZE + 1, NULL, NULL, NULL, &tv),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_select(-1, NULL, NULL, NULL, &tv), EINVAL);
	tv.tv_sec = -1;
	REQUIRE_ERRNO(rump_sys_select(1, NULL, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ 0, -1 };
	REQUIRE_ERRNO(rump_sys_select(1, NULL, NULL, NULL, &tv), EINVAL);
	ts.tv_nsec = 1000000000;
	REQUIRE_ERRNO(rump_sys_pselect(1, NULL, NULL, NULL, &ts, NULL),
	    EINVAL);
	ts = (struct timespec){ -1, 0 };
	REQUIRE_ERRNO(rump_sys_pselect(1, NULL, NULL, NULL, &ts, NULL),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_select(1, (fd_set *)8, NULL, NULL, NULL),
	    EFAULT);
}

TESTCASE(poll_errors)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	struct timespec ts = { 0, -1 };
	static struct pollfd many[1025];

	REQUIRE_ERRNO(rump_sys_ppoll(&pfd, 1, &ts, NULL), EINVAL);
	ts = (struct timespec){ -1, 0 };
	REQUIRE_ERRNO(rump_sys_ppoll(&pfd, 1, &ts, NULL), EINVAL);
	REQUIRE_ERRNO(rump_sys_poll(NULL, 1, 0), EFAULT);
	for (int i = 0; i < 1025; i++)
		many[i].fd = -1;
	REQUIRE_ERRNO(rump_sys_poll(many, 1025, 0), EINVAL);
	/* Up to the descriptor limit is fine. */
	REQUIRE_EQ(rump_sys_poll(many, 1024, 0), 0);
}

/* Hundreds of pipes, one with data: exactly that one is reported. */
TESTCASE(poll_many)
{
	static struct pollfd pfd[500];
	fd_set rs;
	struct helper h;
	pthread_t t;
	long long start;
	int p[2], fds[500][2];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	for (int i = 0; i < 500; i++) {
		REQUIRE_EQ(rump_sys_pipe(p), 0);
		fds[i][0] = p[0];
		fds[i][1] = p[1];
		pfd[i] = (struct pollfd){ p[0], POLLIN, 0 };
	}
	REQUIRE_EQ(rump_sys_poll(pfd, 500, 0), 0);
	start = now_ms();
	t = start_helper(&h, fds[321][1], H_WRITE, 100);
	REQUIRE_EQ(rump_sys_poll(pfd, 500, 5000), 1);
	REQUIRE_TOOK(start, 100);
	for (int i = 0; i < 500; i++)
		REQUIRE_EQ(pfd[i].revents, i == 321 ? POLLIN : 0);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	/* The same through select, up to the highest descriptor. */
	FD_ZERO(&rs);
	for (int i = 0; i < 500; i++)
		FD_SET(fds[i][0], &rs);
	REQUIRE_EQ(rump_sys_select(fds[499][0] + 1, &rs, NULL, NULL, NULL), 1);
	for (int i = 0; i < 500; i++)
		REQUIRE_EQ(FD_ISSET(fds[i][0], &rs) != 0, i == 321);
}

TESTS(CASE(poll_ready), CASE(poll_timeout_zero), CASE(poll_timeout_honoured),
    CASE(ppoll_timeout_honoured), CASE(select_timeout_honoured),
    CASE(poll_woken_by_writer), CASE(select_woken_by_writer),
    CASE(poll_woken_by_close), CASE(poll_woken_by_reader), CASE(poll_hup),
    CASE(poll_err_no_reader), CASE(poll_nval), CASE(select_errors),
    CASE(poll_errors), CASE(poll_many))
