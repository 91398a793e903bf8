/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The sockets layer under TCP and UDP on lo0, against what Linux returns
 * (the poll masks and errors were taken from a Linux host): connection
 * states as poll sees them (fresh, connecting, refused, connected,
 * urgent data, shut down, closed), EINPROGRESS and SO_ERROR, EISCONN,
 * the calls on unconnected sockets, SIOCATMARK around urgent data,
 * select's exception set.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <linux/sockios.h>

#include "h_macros.h"

#define rump_sys_send(s, b, l, f) rump_sys_sendto((s), (b), (l), (f), NULL, 0)
#define rump_sys_recv(s, b, l, f) rump_sys_recvfrom((s), (b), (l), (f), NULL, NULL)

#define ALL (POLLIN | POLLOUT | POLLPRI | POLLRDHUP)

/* The events ready on fd, waiting up to ms for any. */
static int
revents(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = ALL };

	REQUIRE(rump_sys_poll(&pfd, 1, ms) >= 0);
	return pfd.revents;
}

/* Wait until fd shows exactly want (input arrives by soft interrupt). */
static void
wait_revents(int fd, int want)
{
	int got = 0;

	for (int i = 0; i < 200; i++) {
		if ((got = revents(fd, 10)) == want)
			return;
		usleep(5000);
	}
	TEST_FAIL("fd %d: revents %#x, wanted %#x", fd, got, want);
}

static struct sockaddr_in
loopback(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = port };

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

static int
tcp_listener(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int l;

	*sin = loopback(0);
	REQUIRE_OK(l = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_bind(l, (struct sockaddr *)sin, sizeof(*sin)));
	REQUIRE_OK(rump_sys_listen(l, 5));
	REQUIRE_OK(rump_sys_getsockname(l, (struct sockaddr *)sin, &len));
	return l;
}

static int
getint(int s, int name)
{
	socklen_t len = sizeof(int);
	int v;

	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, name, &v, &len));
	return v;
}

TESTCASE(tcp_unconnected)
{
	char b[4];
	int s;

	REQUIRE_ERRNO(rump_sys_socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
	REQUIRE_ERRNO(rump_sys_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_EQ(getint(s, SO_PROTOCOL), IPPROTO_TCP);
	REQUIRE_EQ(getint(s, SO_DOMAIN), AF_INET);
	/* Linux: 0x14. */
	REQUIRE_EQ(revents(s, 0), POLLOUT | POLLHUP);
	REQUIRE_ERRNO(rump_sys_send(s, "x", 1, 0), EPIPE);
	REQUIRE_ERRNO(rump_sys_recv(s, b, 1, 0), ENOTCONN);
	REQUIRE_ERRNO(rump_sys_shutdown(s, SHUT_WR), ENOTCONN);
	REQUIRE_ERRNO(rump_sys_getpeername(s, (struct sockaddr *)b,
	    &(socklen_t){ sizeof(b) }), ENOTCONN);
}

TESTCASE(tcp_connect_states)
{
	struct sockaddr_in sin, dead;
	int l, c, a, d;

	/* Refused, non-blocking: EINPROGRESS, then Linux's 0x201d, SO_ERROR once. */
	d = tcp_listener(&dead);
	REQUIRE_OK(rump_sys_close(d));
	REQUIRE_OK(c = rump_sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	REQUIRE_ERRNO(rump_sys_connect(c, (struct sockaddr *)&dead, sizeof(dead)),
	    EINPROGRESS);
	wait_revents(c, POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
	REQUIRE_EQ(getint(c, SO_ERROR), ECONNREFUSED);
	REQUIRE_EQ(getint(c, SO_ERROR), 0);
	REQUIRE_EQ(revents(c, 0), POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	/* Refused, blocking: the error from connect itself. */
	REQUIRE_OK(c = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_ERRNO(rump_sys_connect(c, (struct sockaddr *)&dead, sizeof(dead)),
	    ECONNREFUSED);
	/* A listener: readable once a connection is complete. */
	l = tcp_listener(&sin);
	REQUIRE_EQ(revents(l, 0), 0);
	REQUIRE_OK(c = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_ERRNO(rump_sys_connect(c, (struct sockaddr *)&sin, sizeof(sin)), EISCONN);
	wait_revents(l, POLLIN);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_EQ(revents(c, 0), POLLOUT);
	REQUIRE_EQ(revents(a, 0), POLLOUT);
	/* Non-blocking and successful: EINPROGRESS, then writable, SO_ERROR 0. */
	REQUIRE_OK(d = rump_sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	REQUIRE_ERRNO(rump_sys_connect(d, (struct sockaddr *)&sin, sizeof(sin)),
	    EINPROGRESS);
	wait_revents(d, POLLOUT);
	REQUIRE_EQ(getint(d, SO_ERROR), 0);
	/* The peer shuts its side: Linux's 0x2005; the same when it closes. */
	REQUIRE_OK(rump_sys_shutdown(c, SHUT_WR));
	wait_revents(a, POLLIN | POLLOUT | POLLRDHUP);
	REQUIRE_OK(rump_sys_close(c));
	usleep(50000);
	REQUIRE_EQ(revents(a, 0), POLLIN | POLLOUT | POLLRDHUP);
	/* Writing to it draws a reset: Linux's 0x201d, then EPIPE. */
	REQUIRE_EQ(rump_sys_send(a, "x", 1, 0), 1);
	wait_revents(a, POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
	REQUIRE_ERRNO(rump_sys_send(a, "x", 1, MSG_NOSIGNAL), EPIPE);
	REQUIRE_ERRNO(rump_sys_send(a, "x", 1, 0), EPIPE);
}

TESTCASE(tcp_urgent)
{
	struct sockaddr_in sin;
	fd_set es;
	struct timeval tv = { 0, 0 };
	char b[16];
	int l, c, a, v;

	l = tcp_listener(&sin);
	REQUIRE_OK(c = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_EQ(rump_sys_send(c, "ab", 2, 0), 2);
	REQUIRE_EQ(rump_sys_send(c, "U", 1, MSG_OOB), 1);
	REQUIRE_EQ(rump_sys_send(c, "cd", 2, 0), 2);
	/* Linux: 0x7, and select's exception set. */
	wait_revents(a, POLLIN | POLLOUT | POLLPRI);
	FD_ZERO(&es);
	FD_SET(a, &es);
	REQUIRE_EQ(rump_sys_select(a + 1, NULL, NULL, &es, &tv), 1);
	REQUIRE_OK(rump_sys_ioctl(a, SIOCATMARK, &v));
	REQUIRE_EQ(v, 0);
	/* A read stops at the mark. */
	REQUIRE_EQ(rump_sys_recv(a, b, sizeof(b), 0), 2);
	REQUIRE(memcmp(b, "ab", 2) == 0);
	REQUIRE_OK(rump_sys_ioctl(a, SIOCATMARK, &v));
	REQUIRE_EQ(v, 1);
	/* ("cd" may still be on its way: POLLIN is not looked at.) */
	REQUIRE_EQ(revents(a, 0) & ~POLLIN, POLLOUT | POLLPRI);
	REQUIRE_EQ(rump_sys_recv(a, b, 1, MSG_OOB), 1);
	REQUIRE_EQ(b[0], 'U');
	/* Taken: no more POLLPRI (Linux 0x5), and none to take again. */
	wait_revents(a, POLLIN | POLLOUT);
	REQUIRE_ERRNO(rump_sys_recv(a, b, 1, MSG_OOB), EINVAL);
	REQUIRE_EQ(rump_sys_recv(a, b, sizeof(b), 0), 2);
	REQUIRE(memcmp(b, "cd", 2) == 0);
	REQUIRE_OK(rump_sys_ioctl(a, SIOCATMARK, &v));
	REQUIRE_EQ(v, 0);
}

TESTCASE(udp_basics)
{
	struct sockaddr_in sin = loopback(0), from;
	socklen_t len = sizeof(sin);
	char b[8];
	int u, s, n;

	REQUIRE_OK(u = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	/* Linux: 0x4; no destination: EDESTADDRREQ; ENOTCONN to shut down. */
	REQUIRE_EQ(revents(u, 0), POLLOUT);
	REQUIRE_ERRNO(rump_sys_send(u, "x", 1, 0), EDESTADDRREQ);
	REQUIRE_ERRNO(rump_sys_shutdown(u, SHUT_RD), ENOTCONN);
	REQUIRE_ERRNO(rump_sys_recv(u, b, 1, MSG_DONTWAIT), EAGAIN);
	REQUIRE_OK(rump_sys_bind(u, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(rump_sys_getsockname(u, (struct sockaddr *)&sin, &len));
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_EQ(rump_sys_sendto(s, "datagram", 8, 0, (struct sockaddr *)&sin,
	    sizeof(sin)), 8);
	wait_revents(u, POLLIN | POLLOUT);
	REQUIRE_OK(rump_sys_ioctl(u, FIONREAD, &n));
	REQUIRE_EQ(n, 8);
	len = sizeof(from);
	REQUIRE_EQ(rump_sys_recvfrom(u, b, 4, MSG_TRUNC, (struct sockaddr *)&from,
	    &len), 8);
	REQUIRE_EQ(len, sizeof(from));
	REQUIRE_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
}

TESTS(CASE(tcp_unconnected), CASE(tcp_connect_states), CASE(tcp_urgent),
    CASE(udp_basics))
