/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The host as referee of the sockets layer under TCP and UDP: the same
 * calls run on the host's loopback and on the kernel's lo0, every result
 * and errno recorded and compared step by step.  Only what does not
 * depend on timing or on the host's tunables is compared; waits for the
 * other end are polls with a timeout, on both sides alike.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>

#include "h_macros.h"

struct ops {
	int (*socket)(int, int, int);
	int (*bind)(int, const struct sockaddr *, socklen_t);
	int (*listen)(int, int);
	int (*accept4)(int, struct sockaddr *, socklen_t *, int);
	int (*connect)(int, const struct sockaddr *, socklen_t);
	ssize_t (*sendto)(int, const void *, size_t, int, const struct sockaddr *,
	    socklen_t);
	ssize_t (*recvfrom)(int, void *, size_t, int, struct sockaddr *,
	    socklen_t *);
	int (*shutdown)(int, int);
	int (*close)(int);
	int (*getsockname)(int, struct sockaddr *, socklen_t *);
	int (*getpeername)(int, struct sockaddr *, socklen_t *);
	int (*getsockopt)(int, int, int, void *, socklen_t *);
	int (*setsockopt)(int, int, int, const void *, socklen_t);
	int (*poll)(struct pollfd *, nfds_t, int);
	int (*ioctl)(int, unsigned long, void *);
};

static int
host_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg);
}

static int
kern_ioctl(int fd, unsigned long cmd, void *arg)
{
	return rump_sys_ioctl(fd, cmd, arg);
}

static int
kern_poll(struct pollfd *fds, nfds_t n, int timo)
{
	return rump_sys_poll(fds, n, timo);
}

static const struct ops host = {
	socket, bind, listen, accept4, connect, sendto, recvfrom, shutdown,
	close, getsockname, getpeername, getsockopt, setsockopt, poll,
	host_ioctl,
};

static const struct ops kern = {
	rump_sys_socket, rump_sys_bind, rump_sys_listen, rump_sys_accept4,
	rump_sys_connect, rump_sys_sendto, rump_sys_recvfrom,
	rump_sys_shutdown, rump_sys_close, rump_sys_getsockname,
	rump_sys_getpeername, rump_sys_getsockopt, rump_sys_setsockopt,
	kern_poll, kern_ioctl,
};

#define MAXSTEPS 200

struct record {
	int n;
	long val[MAXSTEPS];
	int err[MAXSTEPS];
	const char *what[MAXSTEPS];
	bool isfd[MAXSTEPS];
};

static long
step(struct record *r, const char *what, long v, bool isfd)
{
	REQUIRE(r->n < MAXSTEPS);
	r->val[r->n] = v;
	r->err[r->n] = v == -1 ? errno : 0;
	r->what[r->n] = what;
	r->isfd[r->n] = isfd;
	r->n++;
	return v;
}

#define STEP(r, call)   step((r), #call, (errno = 0, (long)(call)), false)
#define FDSTEP(r, call) step((r), #call, (errno = 0, (long)(call)), true)
#define NOTE(r, what, v) step((r), (what), (errno = 0, (long)(v)), false)

/* What poll reports for fd once it shows any of want, or after 2 s. */
static int
wait_events(const struct ops *o, int fd, short want)
{
	struct pollfd pfd = { fd, want, 0 };

	if (o->poll(&pfd, 1, 2000) < 0)
		return -1;
	pfd.events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP;
	(void)o->poll(&pfd, 1, 0);
	return pfd.revents;
}

static void
scenario(const struct ops *o, struct record *r)
{
	struct sockaddr_in sin = { .sin_family = AF_INET }, got;
	socklen_t len;
	char buf[64];
	int t, u, l, c, a, v;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Unconnected TCP. */
	t = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM, 0));
	NOTE(r, "fresh TCP", wait_events(o, t, POLLOUT));
	STEP(r, o->sendto(t, "x", 1, MSG_NOSIGNAL, NULL, 0));
	STEP(r, o->recvfrom(t, buf, 1, 0, NULL, NULL));
	STEP(r, o->shutdown(t, SHUT_RDWR));
	STEP(r, o->shutdown(t, 9));
	STEP(r, o->accept4(t, NULL, NULL, 0));
	len = sizeof(got);
	STEP(r, o->getpeername(t, (struct sockaddr *)&got, &len));
	len = sizeof(got);
	STEP(r, o->getsockname(t, (struct sockaddr *)&got, &len));
	NOTE(r, "unbound name length", len);
	NOTE(r, "unbound port", got.sin_port);
	len = sizeof(v);
	STEP(r, o->getsockopt(t, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	NOTE(r, "SO_PROTOCOL", v);
	STEP(r, o->getsockopt(t, SOL_SOCKET, SO_ERROR, &v, &len));
	NOTE(r, "SO_ERROR", v);
	STEP(r, o->ioctl(t, SIOCATMARK, &v));
	NOTE(r, "SIOCATMARK", v);
	STEP(r, o->socket(AF_INET, SOCK_SEQPACKET, 0));
	STEP(r, o->socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
	STEP(r, o->socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
	STEP(r, o->bind(t, (struct sockaddr *)&sin, 4));
	/* UDP */
	u = (int)FDSTEP(r, o->socket(AF_INET, SOCK_DGRAM, 0));
	NOTE(r, "fresh UDP", wait_events(o, u, POLLOUT));
	STEP(r, o->sendto(u, "x", 1, 0, NULL, 0));
	STEP(r, o->listen(u, 1));
	STEP(r, o->accept4(u, NULL, NULL, 0));
	STEP(r, o->shutdown(u, SHUT_RD));
	STEP(r, o->recvfrom(u, buf, 1, MSG_DONTWAIT, NULL, NULL));
	len = sizeof(v);
	STEP(r, o->getsockopt(u, SOL_SOCKET, SO_TYPE, &v, &len));
	NOTE(r, "SO_TYPE", v);
	/* A connection: listener, connect, accept, data, shutdowns. */
	l = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM, 0));
	STEP(r, o->bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	len = sizeof(sin);
	STEP(r, o->getsockname(l, (struct sockaddr *)&sin, &len));
	STEP(r, o->listen(l, 5));
	NOTE(r, "idle listener", wait_events(o, l, 0));
	len = sizeof(v);
	STEP(r, o->getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &len));
	NOTE(r, "SO_ACCEPTCONN", v);
	STEP(r, o->connect(l, (struct sockaddr *)&sin, sizeof(sin)));
	c = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM, 0));
	STEP(r, o->connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	STEP(r, o->connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	NOTE(r, "listener with a connection", wait_events(o, l, POLLIN));
	len = sizeof(got);
	a = (int)FDSTEP(r, o->accept4(l, (struct sockaddr *)&got, &len,
	    SOCK_CLOEXEC));
	NOTE(r, "peer name length", len);
	NOTE(r, "connected", wait_events(o, c, POLLOUT));
	STEP(r, o->sendto(c, "hello", 5, 0, NULL, 0));
	NOTE(r, "with data", wait_events(o, a, POLLIN));
	STEP(r, o->ioctl(a, FIONREAD, &v));
	NOTE(r, "FIONREAD", v);
	STEP(r, o->recvfrom(a, buf, 3, MSG_PEEK, NULL, NULL));
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->recvfrom(a, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL));
	STEP(r, o->sendto(c, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin)));
	(void)wait_events(o, a, POLLIN);
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->shutdown(c, SHUT_WR));
	NOTE(r, "peer shut its sending", wait_events(o, a, POLLRDHUP));
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->sendto(c, "x", 1, MSG_NOSIGNAL, NULL, 0));
	STEP(r, o->sendto(a, "back", 4, 0, NULL, 0));
	(void)wait_events(o, c, POLLIN);
	STEP(r, o->recvfrom(c, buf, 4, MSG_WAITALL, NULL, NULL));
	STEP(r, o->close(a));
	NOTE(r, "peer closed", wait_events(o, c, POLLHUP));
	STEP(r, o->recvfrom(c, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->close(c));
	STEP(r, o->close(l));
	/* Refused. */
	c = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM, 0));
	STEP(r, o->connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	len = sizeof(v);
	STEP(r, o->getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len));
	NOTE(r, "SO_ERROR after refusal", v);
	NOTE(r, "after refusal", wait_events(o, c, POLLHUP));
	/* The socket is used again: a new listener takes it. */
	l = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM, 0));
	sin.sin_port = 0;
	STEP(r, o->bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	len = sizeof(sin);
	STEP(r, o->getsockname(l, (struct sockaddr *)&sin, &len));
	STEP(r, o->listen(l, 5));
	STEP(r, o->connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	STEP(r, o->sendto(c, "again", 5, 0, NULL, 0));
	a = (int)FDSTEP(r, o->accept4(l, NULL, NULL, 0));
	(void)wait_events(o, a, POLLIN);
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	len = sizeof(v);
	STEP(r, o->getsockopt(c, IPPROTO_TCP, 1 /* TCP_NODELAY */, &v, &len));
}

/* Non-blocking connects, urgent data, a reset by linger 0, UDP names. */
static void
scenario2(const struct ops *o, struct record *r)
{
	struct sockaddr_in sin = { .sin_family = AF_INET }, dead, from;
	struct linger lg = { 1, 0 };
	socklen_t len;
	char buf[64];
	int l, c, a, u, w, v;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM, 0));
	STEP(r, o->bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	len = sizeof(sin);
	STEP(r, o->getsockname(l, (struct sockaddr *)&sin, &len));
	STEP(r, o->listen(l, 5));
	/* A port nobody listens on. */
	dead = sin;
	c = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM, 0));
	STEP(r, o->bind(c, (struct sockaddr *)&dead, sizeof(dead)) == 0 ? 0 : -1);
	dead.sin_port = 0;
	STEP(r, o->bind(c, (struct sockaddr *)&dead, sizeof(dead)));
	len = sizeof(dead);
	STEP(r, o->getsockname(c, (struct sockaddr *)&dead, &len));
	STEP(r, o->close(c));
	/* Non-blocking, refused. */
	c = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	STEP(r, o->connect(c, (struct sockaddr *)&dead, sizeof(dead)));
	NOTE(r, "refused", wait_events(o, c, POLLERR));
	len = sizeof(v);
	STEP(r, o->getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len));
	NOTE(r, "SO_ERROR", v);
	NOTE(r, "refused, error read", wait_events(o, c, POLLHUP));
	STEP(r, o->close(c));
	/* Non-blocking, accepted. */
	c = (int)FDSTEP(r, o->socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	STEP(r, o->connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	NOTE(r, "connected", wait_events(o, c, POLLOUT));
	len = sizeof(v);
	STEP(r, o->getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len));
	NOTE(r, "SO_ERROR", v);
	/*
	 * (Linux's next connect would say 0, once, then EISCONN; ours says
	 * EISCONN at once: not compared.)
	 */
	(void)wait_events(o, l, POLLIN);
	a = (int)FDSTEP(r, o->accept4(l, NULL, NULL, 0));
	/* Urgent data. */
	STEP(r, o->sendto(c, "ab", 2, 0, NULL, 0));
	STEP(r, o->sendto(c, "U", 1, MSG_OOB, NULL, 0));
	STEP(r, o->sendto(c, "cd", 2, 0, NULL, 0));
	NOTE(r, "urgent", wait_events(o, a, POLLPRI));
	STEP(r, o->ioctl(a, SIOCATMARK, &v));
	NOTE(r, "at mark", v);
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->ioctl(a, SIOCATMARK, &v));
	NOTE(r, "at mark", v);
	STEP(r, o->recvfrom(a, buf, 1, MSG_OOB, NULL, NULL));
	NOTE(r, "urgent byte", buf[0]);
	STEP(r, o->recvfrom(a, buf, 1, MSG_OOB, NULL, NULL));
	(void)wait_events(o, a, POLLIN);
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	/* Linger 0: the close resets. */
	STEP(r, o->setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	STEP(r, o->close(c));
	NOTE(r, "reset", wait_events(o, a, POLLERR));
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->recvfrom(a, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->sendto(a, "x", 1, MSG_NOSIGNAL, NULL, 0));
	STEP(r, o->close(a));
	STEP(r, o->close(l));
	/* UDP names, truncation, connect and AF_UNSPEC. */
	u = (int)FDSTEP(r, o->socket(AF_INET, SOCK_DGRAM, 0));
	w = (int)FDSTEP(r, o->socket(AF_INET, SOCK_DGRAM, 0));
	sin.sin_port = 0;
	STEP(r, o->bind(u, (struct sockaddr *)&sin, sizeof(sin)));
	len = sizeof(sin);
	STEP(r, o->getsockname(u, (struct sockaddr *)&sin, &len));
	STEP(r, o->sendto(w, "datagram", 8, 0, (struct sockaddr *)&sin,
	    sizeof(sin)));
	NOTE(r, "udp readable", wait_events(o, u, POLLIN));
	STEP(r, o->ioctl(u, FIONREAD, &v));
	NOTE(r, "FIONREAD", v);
	len = sizeof(from);
	STEP(r, o->recvfrom(u, buf, 2, MSG_TRUNC, (struct sockaddr *)&from, &len));
	NOTE(r, "from length", len);
	NOTE(r, "from address", from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	STEP(r, o->connect(w, (struct sockaddr *)&sin, sizeof(sin)));
	len = sizeof(from);
	STEP(r, o->getpeername(w, (struct sockaddr *)&from, &len));
	STEP(r, o->sendto(w, "c", 1, 0, NULL, 0));
	from.sin_family = AF_UNSPEC;
	STEP(r, o->connect(w, (struct sockaddr *)&from, sizeof(from)));
	len = sizeof(from);
	STEP(r, o->getpeername(w, (struct sockaddr *)&from, &len));
	STEP(r, o->sendto(w, "c", 1, 0, NULL, 0));
}

TESTCASE(tcp_udp_vs_host)
{
	static struct record hr, kr;

	REQUIRE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	scenario(&host, &hr);
	scenario(&kern, &kr);
	REQUIRE_EQ(hr.n, kr.n);
	for (int i = 0; i < hr.n; i++) {
		if (hr.val[i] == kr.val[i] && hr.err[i] == kr.err[i])
			continue;
		/* Descriptor numbers differ between the two tables. */
		if (hr.isfd[i] && hr.val[i] >= 0 && kr.val[i] >= 0)
			continue;
		TEST_FAIL("step %d, %s: host %ld (errno %d), kernel %ld "
		    "(errno %d)", i, hr.what[i], hr.val[i], hr.err[i],
		    kr.val[i], kr.err[i]);
	}
}

TESTCASE(more_vs_host)
{
	static struct record hr, kr;

	REQUIRE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	scenario2(&host, &hr);
	scenario2(&kern, &kr);
	REQUIRE_EQ(hr.n, kr.n);
	for (int i = 0; i < hr.n; i++) {
		if (hr.val[i] == kr.val[i] && hr.err[i] == kr.err[i])
			continue;
		if (hr.isfd[i] && hr.val[i] >= 0 && kr.val[i] >= 0)
			continue;
		TEST_FAIL("step %d, %s: host %ld (errno %d), kernel %ld "
		    "(errno %d)", i, hr.what[i], hr.val[i], hr.err[i],
		    kr.val[i], kr.err[i]);
	}
}

TESTS(CASE(tcp_udp_vs_host), CASE(more_vs_host))
