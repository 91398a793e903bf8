/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The socket system calls and the sockets layer, through Unix-domain
 * sockets, against what Linux returns (checked on a Linux host): errors
 * of every call, SOL_SOCKET options with Linux's rules, send and receive
 * flags, scatter-gather, timeouts and low-water marks, poll/select/ppoll
 * readiness for every event, the socket ioctls (and an interface ioctl
 * passed on to the interface layer), fstat.
 */
#define _GNU_SOURCE
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <linux/sockios.h>
#include <time.h>

#include "h_macros.h"

#define rump_sys_send(s, b, l, f) rump_sys_sendto((s), (b), (l), (f), NULL, 0)
#define rump_sys_recv(s, b, l, f) rump_sys_recvfrom((s), (b), (l), (f), NULL, NULL)

static void
pair(int type, int sv[2])
{
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, type, 0, sv));
}

static int
getint(int s, int name)
{
	socklen_t len = sizeof(int);
	int v = -12345;

	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, name, &v, &len));
	REQUIRE_EQ(len, sizeof(int));
	return v;
}

static void
setint(int s, int name, int v)
{
	REQUIRE_OK(rump_sys_setsockopt(s, SOL_SOCKET, name, &v, sizeof(v)));
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
revents(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	REQUIRE(rump_sys_poll(&pfd, 1, 0) >= 0);
	return pfd.revents;
}

TESTCASE(socket_errors)
{
	int s, v;

	REQUIRE_ERRNO(rump_sys_socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	REQUIRE_ERRNO(rump_sys_socket(1000, SOCK_STREAM, 0), EAFNOSUPPORT);
	REQUIRE_ERRNO(rump_sys_socket(AF_PACKET, SOCK_RAW, 0), EAFNOSUPPORT);
	REQUIRE_ERRNO(rump_sys_socket(AF_UNIX, 11, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_socket(AF_UNIX, 4, 0), ESOCKTNOSUPPORT);
	REQUIRE_ERRNO(rump_sys_socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
	/* Linux: PF_UNIX is a protocol of its own family; raw is datagram. */
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_STREAM, PF_UNIX));
	REQUIRE_EQ(getint(s, SO_PROTOCOL), 0);
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_RAW, 0));
	REQUIRE_EQ(getint(s, SO_TYPE), SOCK_DGRAM);
	/* SOCK_NONBLOCK, SOCK_CLOEXEC. */
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0));
	REQUIRE_EQ(rump_sys_fcntl(s, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	REQUIRE_EQ(rump_sys_fcntl(s, F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	REQUIRE_EQ(rump_sys_fcntl(s, F_GETFL, 0), O_RDWR);
	REQUIRE_EQ(rump_sys_fcntl(s, F_GETFD, 0), 0);
	(void)v;
}

/* Every socket call on something that is not a socket, or nothing. */
TESTCASE(enotsock_ebadf)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct msghdr mh = { 0 };
	socklen_t len = sizeof(sun);
	int p[2], v = 0, fds[2] = { 0, 0 };
	char c;

	REQUIRE_OK(rump_sys_pipe(p));
	for (int i = 0; i < 2; i++) {
		int fd = i == 0 ? p[0] : 77;
		int e = i == 0 ? ENOTSOCK : EBADF;

		REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&sun, 2), e);
		REQUIRE_ERRNO(rump_sys_listen(fd, 1), e);
		REQUIRE_ERRNO(rump_sys_accept(fd, NULL, NULL), e);
		REQUIRE_ERRNO(rump_sys_accept4(fd, NULL, NULL, 0), e);
		REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&sun, 2), e);
		REQUIRE_ERRNO(rump_sys_sendto(fd, &c, 1, 0, NULL, 0), e);
		REQUIRE_ERRNO(rump_sys_recvfrom(fd, &c, 1, 0, NULL, NULL), e);
		REQUIRE_ERRNO(rump_sys_sendmsg(fd, &mh, 0), e);
		REQUIRE_ERRNO(rump_sys_recvmsg(fd, &mh, 0), e);
		REQUIRE_ERRNO(rump_sys_shutdown(fd, SHUT_RDWR), e);
		REQUIRE_ERRNO(rump_sys_getsockname(fd, (struct sockaddr *)&sun, &len), e);
		REQUIRE_ERRNO(rump_sys_getpeername(fd, (struct sockaddr *)&sun, &len), e);
		len = sizeof(v);
		REQUIRE_ERRNO(rump_sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), e);
		REQUIRE_ERRNO(rump_sys_setsockopt(fd, SOL_SOCKET, SO_DEBUG, &v, sizeof(v)), e);
	}
	(void)fds;
}

TESTCASE(efault)
{
	int sv[2], l, v;
	socklen_t len;
	struct sockaddr_un sun;

	pair(SOCK_STREAM, sv);
	REQUIRE_ERRNO(rump_sys_send(sv[0], (void *)16, 4, 0), EFAULT);
	REQUIRE_EQ(rump_sys_send(sv[0], "abcd", 4, 0), 4);
	REQUIRE_ERRNO(rump_sys_recv(sv[1], (void *)16, 4, 0), EFAULT);
	REQUIRE_ERRNO(rump_sys_sendmsg(sv[0], (void *)16, 0), EFAULT);
	REQUIRE_ERRNO(rump_sys_recvmsg(sv[0], (void *)16, 0), EFAULT);
	len = sizeof(v);
	REQUIRE_ERRNO(rump_sys_getsockopt(sv[0], SOL_SOCKET, SO_TYPE, (void *)16, &len), EFAULT);
	REQUIRE_ERRNO(rump_sys_getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, (void *)16), EFAULT);
	REQUIRE_ERRNO(rump_sys_setsockopt(sv[0], SOL_SOCKET, SO_DEBUG, (void *)16, 4), EFAULT);
	len = sizeof(sun);
	REQUIRE_ERRNO(rump_sys_getsockname(sv[0], (void *)16, &len), EFAULT);
	REQUIRE_ERRNO(rump_sys_getsockname(sv[0], (struct sockaddr *)&sun, (void *)16), EFAULT);
	REQUIRE_ERRNO(rump_sys_connect(rump_sys_socket(AF_UNIX, SOCK_STREAM, 0),
	    (void *)16, 10), EFAULT);
	REQUIRE_OK(l = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	len = (socklen_t)-1;
	REQUIRE_ERRNO(rump_sys_getsockname(l, (struct sockaddr *)&sun, &len), EINVAL);
}

TESTCASE(sockopt_values)
{
	struct linger lg;
	socklen_t len;
	int s, l, v;

	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	REQUIRE_EQ(getint(s, SO_TYPE), SOCK_STREAM);
	REQUIRE_EQ(getint(s, SO_DOMAIN), AF_UNIX);
	REQUIRE_EQ(getint(s, SO_PROTOCOL), 0);
	REQUIRE_EQ(getint(s, SO_ACCEPTCONN), 0);
	REQUIRE_EQ(getint(s, SO_ERROR), 0);
	/* Linux's defaults and its doubling, with its minimums. */
	REQUIRE_EQ(getint(s, SO_SNDBUF), 212992);
	REQUIRE_EQ(getint(s, SO_RCVBUF), 212992);
	setint(s, SO_SNDBUF, 1000);
	REQUIRE_EQ(getint(s, SO_SNDBUF), 4608);
	setint(s, SO_RCVBUF, 1000);
	REQUIRE_EQ(getint(s, SO_RCVBUF), 2304);
	setint(s, SO_RCVBUF, 100000);
	REQUIRE_EQ(getint(s, SO_RCVBUF), 200000);
	setint(s, SO_SNDBUF, 1 << 30);
	REQUIRE_EQ(getint(s, SO_SNDBUF), 2 * 212992);
	/* Booleans read back as 0 or 1. */
	static const int bools[] = { SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE,
		SO_BROADCAST, SO_OOBINLINE, SO_DONTROUTE, SO_PASSCRED };
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		REQUIRE_EQ(getint(s, bools[i]), 0);
		setint(s, bools[i], 5);
		REQUIRE_EQ(getint(s, bools[i]), 1);
		setint(s, bools[i], 0);
		REQUIRE_EQ(getint(s, bools[i]), 0);
	}
	/* SO_LINGER */
	len = sizeof(lg);
	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
	REQUIRE_EQ(len, sizeof(lg));
	REQUIRE_EQ(lg.l_onoff, 0);
	lg.l_onoff = 3;
	lg.l_linger = 7;
	REQUIRE_OK(rump_sys_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	memset(&lg, 0, sizeof(lg));
	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
	REQUIRE_EQ(lg.l_onoff, 1);
	REQUIRE_EQ(lg.l_linger, 7);
	REQUIRE_ERRNO(rump_sys_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, 4), EINVAL);
	/* Low-water marks. */
	REQUIRE_EQ(getint(s, SO_RCVLOWAT), 1);
	REQUIRE_EQ(getint(s, SO_SNDLOWAT), 1);
	setint(s, SO_RCVLOWAT, 0);
	REQUIRE_EQ(getint(s, SO_RCVLOWAT), 1);
	v = 1;
	REQUIRE_ERRNO(rump_sys_setsockopt(s, SOL_SOCKET, SO_SNDLOWAT, &v, sizeof(v)), ENOPROTOOPT);
	/* Read-only and unknown options; short values; other levels. */
	REQUIRE_ERRNO(rump_sys_setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof(v)), ENOPROTOOPT);
	REQUIRE_ERRNO(rump_sys_setsockopt(s, SOL_SOCKET, 999, &v, sizeof(v)), ENOPROTOOPT);
	len = sizeof(v);
	REQUIRE_ERRNO(rump_sys_getsockopt(s, SOL_SOCKET, 999, &v, &len), ENOPROTOOPT);
	REQUIRE_ERRNO(rump_sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL);
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_TCP, 1, &v, sizeof(v)), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_getsockopt(s, IPPROTO_TCP, 1, &v, &len), EOPNOTSUPP);
	/* A get truncates to the room given, as Linux. */
	v = 0x7fffffff;
	len = 2;
	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	REQUIRE_EQ(len, 2);
	REQUIRE_EQ(v, 0x7fff0001);
	len = (socklen_t)-1;
	REQUIRE_ERRNO(rump_sys_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	/* SO_ACCEPTCONN once listening. */
	REQUIRE_OK(l = rump_sys_socket(AF_UNIX, SOCK_SEQPACKET, 0));
	{
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		REQUIRE_OK(rump_sys_bind(l, (struct sockaddr *)&sun, 2));
	}
	REQUIRE_OK(rump_sys_listen(l, 3));
	REQUIRE_EQ(getint(l, SO_ACCEPTCONN), 1);
	REQUIRE_EQ(getint(l, SO_TYPE), SOCK_SEQPACKET);
	/* SO_DEBUG on is for root (Linux: CAP_NET_ADMIN), off for anyone. */
	setint(s, SO_DEBUG, 1);
	REQUIRE_EQ(getint(s, SO_DEBUG), 1);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setuid(1000));
	v = 1;
	REQUIRE_ERRNO(rump_sys_setsockopt(s, SOL_SOCKET, SO_DEBUG, &v, sizeof(v)), EACCES);
	setint(s, SO_DEBUG, 0);
	REQUIRE_EQ(getint(s, SO_DEBUG), 0);
}

TESTCASE(timeouts)
{
	struct timeval tv;
	socklen_t len;
	uint64_t t0, dt;
	int sv[2];
	char buf[4096];
	ssize_t n;

	pair(SOCK_STREAM, sv);
	tv.tv_sec = 0;
	tv.tv_usec = 1000000;
	REQUIRE_ERRNO(rump_sys_setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
	tv.tv_usec = -1;
	REQUIRE_ERRNO(rump_sys_setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
	REQUIRE_ERRNO(rump_sys_setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 8), EINVAL);
	tv.tv_usec = 200000;
	REQUIRE_OK(rump_sys_setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	REQUIRE_OK(rump_sys_getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
	REQUIRE_EQ(len, sizeof(tv));
	REQUIRE_EQ(tv.tv_sec, 0);
	REQUIRE_EQ(tv.tv_usec, 200000);
	t0 = now_ms();
	REQUIRE_ERRNO(rump_sys_read(sv[0], buf, 1), EAGAIN);
	dt = now_ms() - t0;
	REQUIRE(dt >= 190 && dt < 2000);
	/* A full send buffer: SO_SNDTIMEO ends a blocked send. */
	setint(sv[0], SO_SNDBUF, 4096);
	tv.tv_usec = 100000;
	REQUIRE_OK(rump_sys_setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	memset(buf, 'x', sizeof(buf));
	while ((n = rump_sys_send(sv[0], buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		continue;
	REQUIRE_EQ(errno, EAGAIN);
	t0 = now_ms();
	REQUIRE_ERRNO(rump_sys_write(sv[0], buf, sizeof(buf)), EAGAIN);
	dt = now_ms() - t0;
	REQUIRE(dt >= 90 && dt < 2000);
}

static void *
slow_writer(void *arg)
{
	int fd = *(int *)arg;

	for (int i = 0; i < 4; i++) {
		usleep(20000);
		rump_sys_write(fd, "abcd", 4);
	}
	return NULL;
}

TESTCASE(recv_flags)
{
	pthread_t t;
	int sv[2];
	char buf[32];

	pair(SOCK_STREAM, sv);
	REQUIRE_ERRNO(rump_sys_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* Nothing sent on a stream is nothing: not readable. */
	REQUIRE_EQ(rump_sys_send(sv[0], "", 0, 0), 0);
	REQUIRE_EQ(revents(sv[1], POLLIN), 0);
	REQUIRE_ERRNO(rump_sys_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	REQUIRE_EQ(rump_sys_send(sv[0], "hello", 5, 0), 5);
	REQUIRE_EQ(rump_sys_send(sv[0], "world", 5, MSG_DONTWAIT), 5);
	/* Peek across both writes; the data stays. */
	REQUIRE_EQ(rump_sys_recv(sv[1], buf, 7, MSG_PEEK), 7);
	REQUIRE(memcmp(buf, "hellowo", 7) == 0);
	REQUIRE_EQ(rump_sys_recv(sv[1], buf, sizeof(buf), 0), 10);
	REQUIRE(memcmp(buf, "helloworld", 10) == 0);
	/* MSG_WAITALL: all 16 bytes, written in four pieces. */
	REQUIRE_EQ(pthread_create(&t, NULL, slow_writer, &sv[0]), 0);
	REQUIRE_EQ(rump_sys_recv(sv[1], buf, 16, MSG_WAITALL), 16);
	REQUIRE(memcmp(buf, "abcdabcdabcdabcd", 16) == 0);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	/* WAITALL returns short at end of file. */
	REQUIRE_EQ(rump_sys_send(sv[0], "xy", 2, 0), 2);
	REQUIRE_OK(rump_sys_shutdown(sv[0], SHUT_WR));
	REQUIRE_EQ(rump_sys_recv(sv[1], buf, 16, MSG_WAITALL), 2);
	REQUIRE_EQ(rump_sys_recv(sv[1], buf, 16, 0), 0);
	/* No urgent data waiting. */
	REQUIRE_ERRNO(rump_sys_recv(sv[1], buf, 1, MSG_OOB), EINVAL);
	/* Addresses on a connected stream; a stream not connected. */
	{
		struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/x" };
		int s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0);

		REQUIRE_ERRNO(rump_sys_sendto(sv[1], "x", 1, 0, (struct sockaddr *)&sun,
		    sizeof(sun)), EISCONN);
		REQUIRE_ERRNO(rump_sys_sendto(s, "x", 1, 0, (struct sockaddr *)&sun,
		    sizeof(sun)), EOPNOTSUPP);
		REQUIRE_ERRNO(rump_sys_send(s, "x", 1, 0), ENOTCONN);
		REQUIRE_ERRNO(rump_sys_recv(s, buf, 1, 0), EINVAL);
		REQUIRE_ERRNO(rump_sys_getpeername(s, (struct sockaddr *)&sun,
		    &(socklen_t){ sizeof(sun) }), ENOTCONN);
		REQUIRE_OK(rump_sys_shutdown(s, SHUT_RDWR));
		REQUIRE_ERRNO(rump_sys_shutdown(s, 3), EINVAL);
	}
}

TESTCASE(scatter_gather)
{
	struct iovec out[3] = { { "ab", 2 }, { "", 0 }, { "cdefg", 5 } };
	char b1[3], b2[10];
	struct iovec in[2] = { { b1, 3 }, { b2, 10 } };
	struct msghdr mh = { .msg_iov = out, .msg_iovlen = 3 };
	int sv[2];

	pair(SOCK_SEQPACKET, sv);
	REQUIRE_EQ(rump_sys_sendmsg(sv[0], &mh, 0), 7);
	REQUIRE_EQ(rump_sys_writev(sv[0], out, 3), 7);
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = in;
	mh.msg_iovlen = 2;
	mh.msg_name = b2;
	mh.msg_namelen = 5;
	REQUIRE_EQ(rump_sys_recvmsg(sv[1], &mh, 0), 7);
	REQUIRE(memcmp(b1, "abc", 3) == 0 && memcmp(b2, "defg", 4) == 0);
	REQUIRE_EQ(mh.msg_flags, 0);
	REQUIRE_EQ(mh.msg_namelen, 0);          /* a socketpair has no names */
	REQUIRE_EQ(rump_sys_readv(sv[1], in, 2), 7);
	/* Too many pieces; a bad vector. */
	mh.msg_iovlen = 1025;
	REQUIRE_ERRNO(rump_sys_sendmsg(sv[0], &mh, 0), EMSGSIZE);
	mh.msg_iovlen = 1;
	mh.msg_iov = (void *)16;
	REQUIRE_ERRNO(rump_sys_sendmsg(sv[0], &mh, 0), EFAULT);
}

static void *
trickle(void *arg)
{
	int fd = *(int *)arg;

	for (int i = 0; i < 10; i++) {
		usleep(50000);
		rump_sys_write(fd, "t", 1);
	}
	return NULL;
}

/*
 * SO_RCVTIMEO counts from the call, not from each wakeup: data trickling
 * in below SO_RCVLOWAT does not hold the reader past it, and what came
 * is returned at the timeout.
 */
TESTCASE(rcvtimeo_total)
{
	struct timeval tv = { 0, 300000 };
	pthread_t t;
	uint64_t t0, dt;
	char buf[32];
	ssize_t n;
	int sv[2];

	pair(SOCK_STREAM, sv);
	setint(sv[1], SO_RCVLOWAT, 100);
	REQUIRE_OK(rump_sys_setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	REQUIRE_EQ(pthread_create(&t, NULL, trickle, &sv[0]), 0);
	t0 = now_ms();
	n = rump_sys_read(sv[1], buf, sizeof(buf));
	dt = now_ms() - t0;
	REQUIRE(n >= 1 && n < 10);
	REQUIRE(dt >= 290 && dt < 480);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
}

TESTCASE(rcvlowat)
{
	int sv[2];
	char buf[8];

	pair(SOCK_STREAM, sv);
	setint(sv[1], SO_RCVLOWAT, 5);
	REQUIRE_EQ(getint(sv[1], SO_RCVLOWAT), 5);
	REQUIRE_EQ(rump_sys_write(sv[0], "abc", 3), 3);
	/* Below the mark: not readable, and a non-blocking read takes it. */
	REQUIRE_EQ(revents(sv[1], POLLIN), 0);
	REQUIRE_EQ(rump_sys_write(sv[0], "de", 2), 2);
	REQUIRE_EQ(revents(sv[1], POLLIN), POLLIN);
	REQUIRE_EQ(rump_sys_read(sv[1], buf, sizeof(buf)), 5);
}

TESTCASE(poll_events)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int sv[2], s, l, c;
	const short all = POLLIN | POLLOUT | POLLPRI | POLLRDHUP;
	char buf[8];

	/* Fresh stream: writable and hung up (Linux: 0x14). */
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	REQUIRE_EQ(revents(s, all), POLLOUT | POLLHUP);
	/* Connected, idle; then with data. */
	pair(SOCK_STREAM, sv);
	REQUIRE_EQ(revents(sv[0], all), POLLOUT);
	REQUIRE_EQ(rump_sys_write(sv[1], "abc", 3), 3);
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT);
	REQUIRE_EQ(revents(sv[0], POLLRDNORM | POLLWRNORM), POLLRDNORM | POLLWRNORM);
	/* The peer shuts its writing side: POLLRDHUP. */
	REQUIRE_OK(rump_sys_shutdown(sv[1], SHUT_WR));
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT | POLLRDHUP);
	REQUIRE_EQ(rump_sys_read(sv[0], buf, sizeof(buf)), 3);
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT | POLLRDHUP);
	/* The peer closes with our data unread: Linux's 0x201d. */
	pair(SOCK_STREAM, sv);
	REQUIRE_EQ(rump_sys_write(sv[0], "abc", 3), 3);
	REQUIRE_OK(rump_sys_close(sv[1]));
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
	REQUIRE_EQ(getint(sv[0], SO_ERROR), ECONNRESET);
	REQUIRE_EQ(getint(sv[0], SO_ERROR), 0);
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	/* A listener: readable once a connection waits. */
	REQUIRE_OK(l = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_bind(l, (struct sockaddr *)&sun, 2));
	REQUIRE_OK(rump_sys_listen(l, 1));
	REQUIRE_EQ(revents(l, POLLIN), 0);
	{
		socklen_t len = sizeof(sun);
		REQUIRE_OK(rump_sys_getsockname(l, (struct sockaddr *)&sun, &len));
		REQUIRE_OK(c = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
		REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sun, len));
	}
	REQUIRE_EQ(revents(l, POLLIN), POLLIN);
	/* A datagram socket is writable whether connected or not. */
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_DGRAM, 0));
	REQUIRE_EQ(revents(s, all), POLLOUT);
	pair(SOCK_DGRAM, sv);
	REQUIRE_OK(rump_sys_close(sv[1]));
	REQUIRE_EQ(revents(sv[0], all), POLLOUT);
	/* Linux's masks after shutdowns, at both ends. */
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_SEQPACKET, 0));
	REQUIRE_EQ(revents(s, all), POLLOUT | POLLHUP);
	pair(SOCK_SEQPACKET, sv);
	REQUIRE_OK(rump_sys_close(sv[1]));
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	pair(SOCK_STREAM, sv);
	REQUIRE_OK(rump_sys_shutdown(sv[0], SHUT_RDWR));
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	REQUIRE_EQ(revents(sv[1], all), POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	pair(SOCK_STREAM, sv);
	REQUIRE_OK(rump_sys_shutdown(sv[0], SHUT_RD));
	REQUIRE_EQ(revents(sv[0], all), POLLIN | POLLOUT | POLLRDHUP);
	REQUIRE_EQ(revents(sv[1], all), POLLOUT);
}

struct delayed {
	int fd;
	int ms;
};

static void *
delayed_write(void *arg)
{
	struct delayed *d = arg;

	usleep(d->ms * 1000);
	rump_sys_write(d->fd, "!", 1);
	return NULL;
}

/* A blocked poll, select, ppoll and pselect each wake when data arrives. */
TESTCASE(poll_select_wakeup)
{
	struct delayed d;
	pthread_t t;
	struct pollfd pfd;
	struct timespec ts = { 5, 0 };
	struct timeval tv = { 0, 50000 };
	fd_set rs, ws;
	int sv[2];
	char c;

	pair(SOCK_STREAM, sv);
	d.fd = sv[0];
	d.ms = 50;
	for (int round = 0; round < 4; round++) {
		REQUIRE_EQ(pthread_create(&t, NULL, delayed_write, &d), 0);
		pfd.fd = sv[1];
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (round == 0) {
			REQUIRE_EQ(rump_sys_poll(&pfd, 1, 5000), 1);
			REQUIRE_EQ(pfd.revents, POLLIN);
		} else if (round == 1) {
			FD_ZERO(&rs);
			FD_SET(sv[1], &rs);
			REQUIRE_EQ(rump_sys_select(sv[1] + 1, &rs, NULL, NULL, NULL), 1);
			REQUIRE(FD_ISSET(sv[1], &rs));
		} else if (round == 2) {
			REQUIRE_EQ(rump_sys_ppoll(&pfd, 1, &ts, NULL), 1);
			REQUIRE_EQ(pfd.revents, POLLIN);
		} else {
			FD_ZERO(&rs);
			FD_SET(sv[1], &rs);
			REQUIRE_EQ(rump_sys_pselect(sv[1] + 1, &rs, NULL, NULL, &ts,
			    NULL), 1);
			REQUIRE(FD_ISSET(sv[1], &rs));
		}
		REQUIRE_EQ(pthread_join(t, NULL), 0);
		REQUIRE_EQ(rump_sys_read(sv[1], &c, 1), 1);
	}
	/* select: writable, not readable, times out on reading alone. */
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(sv[1], &rs);
	FD_SET(sv[1], &ws);
	REQUIRE_EQ(rump_sys_select(sv[1] + 1, &rs, &ws, NULL, &tv), 1);
	REQUIRE(!FD_ISSET(sv[1], &rs) && FD_ISSET(sv[1], &ws));
	FD_SET(sv[1], &rs);
	REQUIRE_EQ(rump_sys_select(sv[1] + 1, &rs, NULL, NULL, &tv), 0);
	/* Poll wakes for a hangup too. */
	d.ms = 30;
	{
		pthread_t t2;
		REQUIRE_OK(rump_sys_shutdown(sv[0], SHUT_RD));
		pfd.fd = sv[0];
		pfd.events = POLLRDHUP;
		REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
		REQUIRE_EQ(pfd.revents, POLLRDHUP);
		(void)t2;
	}
}

TESTCASE(ioctls)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ifreq ifr;
	struct stat st;
	int sv[2], n, on, l;
	char buf[8];

	pair(SOCK_STREAM, sv);
	REQUIRE_EQ(rump_sys_write(sv[0], "abcde", 5), 5);
	REQUIRE_OK(rump_sys_ioctl(sv[1], FIONREAD, &n));
	REQUIRE_EQ(n, 5);
	/* Bytes sent and not yet read by the peer (Linux counts memory). */
	REQUIRE_OK(rump_sys_ioctl(sv[0], SIOCOUTQ, &n));
	REQUIRE(n >= 5);
	REQUIRE_EQ(rump_sys_read(sv[1], buf, sizeof(buf)), 5);
	REQUIRE_OK(rump_sys_ioctl(sv[0], SIOCOUTQ, &n));
	REQUIRE_EQ(n, 0);
	REQUIRE_OK(rump_sys_ioctl(sv[1], SIOCATMARK, &n));
	REQUIRE_EQ(n, 0);
	/* FIONBIO */
	on = 1;
	REQUIRE_OK(rump_sys_ioctl(sv[1], FIONBIO, &on));
	REQUIRE_ERRNO(rump_sys_read(sv[1], buf, 1), EAGAIN);
	on = 0;
	REQUIRE_OK(rump_sys_ioctl(sv[1], FIONBIO, &on));
	REQUIRE_EQ(rump_sys_fcntl(sv[1], F_GETFL, 0), O_RDWR);
	/* A listener has nothing to read. */
	REQUIRE_OK(l = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_bind(l, (struct sockaddr *)&sun, 2));
	REQUIRE_OK(rump_sys_listen(l, 1));
	REQUIRE_ERRNO(rump_sys_ioctl(l, FIONREAD, &n), EINVAL);
	REQUIRE_ERRNO(rump_sys_ioctl(sv[0], 0x89ff, &n), ENOTTY);
	/* An interface ioctl on any socket reaches the interface layer. */
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo0");
	REQUIRE_OK(rump_sys_ioctl(sv[0], SIOCGIFFLAGS, &ifr));
	REQUIRE((ifr.ifr_flags & (IFF_UP | IFF_LOOPBACK)) == (IFF_UP | IFF_LOOPBACK));
	strcpy(ifr.ifr_name, "nosuch0");
	REQUIRE_ERRNO(rump_sys_ioctl(sv[0], SIOCGIFFLAGS, &ifr), ENODEV);
	/* fstat: a socket. */
	REQUIRE_OK(rump_sys_fstat(sv[0], &st));
	REQUIRE(S_ISSOCK(st.st_mode));
	REQUIRE_EQ(st.st_mode & 0777, 0777);
}

TESTCASE(accept4_flags)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sun);
	int l, c, a;

	REQUIRE_OK(l = rump_sys_socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	REQUIRE_OK(rump_sys_bind(l, (struct sockaddr *)&sun, 2));
	REQUIRE_OK(rump_sys_listen(l, 4));
	REQUIRE_OK(rump_sys_getsockname(l, (struct sockaddr *)&sun, &len));
	REQUIRE_ERRNO(rump_sys_accept(l, NULL, NULL), EAGAIN);
	REQUIRE_ERRNO(rump_sys_accept4(l, NULL, NULL, 7), EINVAL);
	/* Blocking, SO_RCVTIMEO ends the wait (the file is what blocks). */
	{
		struct timeval tv = { 0, 100000 };
		int fl = rump_sys_fcntl(l, F_GETFL, 0);
		uint64_t t0;

		REQUIRE_OK(rump_sys_fcntl(l, F_SETFL, fl & ~O_NONBLOCK));
		REQUIRE_OK(rump_sys_setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv)));
		t0 = now_ms();
		REQUIRE_ERRNO(rump_sys_accept(l, NULL, NULL), EAGAIN);
		REQUIRE(now_ms() - t0 >= 90);
		REQUIRE_OK(rump_sys_fcntl(l, F_SETFL, fl));
	}
	REQUIRE_OK(c = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sun, len));
	REQUIRE_OK(a = rump_sys_accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
	REQUIRE_EQ(rump_sys_fcntl(a, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	REQUIRE_EQ(rump_sys_fcntl(a, F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_OK(c = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sun, len));
	/* accept(2) does not inherit the listener's O_NONBLOCK (Linux). */
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_EQ(rump_sys_fcntl(a, F_GETFL, 0), O_RDWR);
	REQUIRE_EQ(rump_sys_fcntl(a, F_GETFD, 0), 0);
	/* A second connect on a connected stream. */
	REQUIRE_ERRNO(rump_sys_connect(c, (struct sockaddr *)&sun, len), EISCONN);
	/* A linger time does not hold up a Unix-domain close. */
	{
		struct linger lg = { 1, 5 };
		uint64_t t0 = now_ms();
		REQUIRE_OK(rump_sys_setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
		REQUIRE_OK(rump_sys_close(c));
		REQUIRE(now_ms() - t0 < 1000);
	}
}

TESTS(CASE(socket_errors), CASE(enotsock_ebadf), CASE(efault),
    CASE(sockopt_values), CASE(timeouts), CASE(recv_flags),
    CASE(scatter_gather), CASE(rcvlowat), CASE(rcvtimeo_total), CASE(poll_events),
    CASE(poll_select_wakeup), CASE(ioctls), CASE(accept4_flags))
