/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The host as referee: each scenario runs twice, once on the host's own
 * Unix-domain sockets and once on the kernel's, through the same table
 * of calls, recording every result and errno; the two records must be
 * the same, step by step.  Scenarios stay with behaviour that does not
 * depend on the host's tunables (buffer limits, max_dgram_qlen).  Host
 * sockets live in a temporary directory and in the abstract namespace
 * under a name made from the test's pid.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/sockios.h>

#include "h_macros.h"

struct ops {
	const char *name;
	int (*socket)(int, int, int);
	int (*socketpair)(int, int, int, int *);
	int (*bind)(int, const struct sockaddr *, socklen_t);
	int (*listen)(int, int);
	int (*accept4)(int, struct sockaddr *, socklen_t *, int);
	int (*connect)(int, const struct sockaddr *, socklen_t);
	ssize_t (*sendto)(int, const void *, size_t, int, const struct sockaddr *,
	    socklen_t);
	ssize_t (*recvfrom)(int, void *, size_t, int, struct sockaddr *,
	    socklen_t *);
	ssize_t (*sendmsg)(int, const struct msghdr *, int);
	ssize_t (*recvmsg)(int, struct msghdr *, int);
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
	"host", socket, socketpair, bind, listen, accept4, connect, sendto,
	recvfrom, sendmsg, recvmsg, shutdown, close, getsockname, getpeername,
	getsockopt, setsockopt, poll, host_ioctl,
};

static const struct ops kern = {
	"kernel", rump_sys_socket, rump_sys_socketpair, rump_sys_bind,
	rump_sys_listen, rump_sys_accept4, rump_sys_connect, rump_sys_sendto,
	rump_sys_recvfrom, rump_sys_sendmsg, rump_sys_recvmsg,
	rump_sys_shutdown, rump_sys_close, rump_sys_getsockname,
	rump_sys_getpeername, rump_sys_getsockopt, rump_sys_setsockopt,
	kern_poll, kern_ioctl,
};

#define MAXSTEPS 256

struct record {
	int n;
	long val[MAXSTEPS];
	int err[MAXSTEPS];
	const char *what[MAXSTEPS];
};

/* Record a call's result (and errno if it failed); returns the result. */
#define STEP(rec, call)                                                        \
	step((rec), #call, (errno = 0, (long)(call)))

static long
step(struct record *rec, const char *what, long v)
{
	REQUIRE(rec->n < MAXSTEPS);
	rec->val[rec->n] = v;
	rec->err[rec->n] = v == -1 ? errno : 0;
	rec->what[rec->n] = what;
	rec->n++;
	return v;
}

/* Record a value computed from results (a length, a mask, bytes). */
static void
note(struct record *rec, const char *what, long v)
{
	errno = 0;
	(void)step(rec, what, v);
}

static char abstract_tag[32];

static socklen_t
path_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path, path);
	return (socklen_t)sizeof(*sun);
}

static socklen_t
abstract_addr(struct sockaddr_un *sun, const char *name)
{
	size_t len = strlen(abstract_tag) + strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1, "%s%s",
	    abstract_tag, name);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

static int
revents(const struct ops *o, int fd)
{
	struct pollfd pfd = { fd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0 };

	if (o->poll(&pfd, 1, 0) < 0)
		return -1;
	return pfd.revents;
}

/* Calls' errors, names and their lengths, connection refusals. */
static void
scenario_names(const struct ops *o, struct record *r)
{
	struct sockaddr_un sun, got;
	socklen_t len, glen;
	int s, t, d, l, c, a;

	s = (int)STEP(r, o->socket(AF_UNIX, SOCK_STREAM, 0));
	STEP(r, o->socket(AF_UNIX, 4, 0));
	STEP(r, o->socket(AF_UNIX, SOCK_STREAM, 7));
	STEP(r, o->socket(AF_UNIX, 12, 0));
	STEP(r, o->socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
	glen = sizeof(got);
	STEP(r, o->getsockname(s, (struct sockaddr *)&got, &glen));
	note(r, "unbound name length", glen);
	len = path_addr(&sun, "sock1");
	STEP(r, o->bind(s, (struct sockaddr *)&sun, 1));
	STEP(r, o->bind(s, (struct sockaddr *)&sun, len));
	STEP(r, o->bind(s, (struct sockaddr *)&sun, len));
	glen = sizeof(got);
	STEP(r, o->getsockname(s, (struct sockaddr *)&got, &glen));
	note(r, "path name length", glen);
	t = (int)STEP(r, o->socket(AF_UNIX, SOCK_STREAM, 0));
	STEP(r, o->bind(t, (struct sockaddr *)&sun, len));
	STEP(r, o->connect(t, (struct sockaddr *)&sun, len));
	STEP(r, o->listen(t, 1));
	path_addr(&sun, "nodir/x");
	STEP(r, o->connect(t, (struct sockaddr *)&sun, len));
	STEP(r, o->connect(t, (struct sockaddr *)&sun, 2));
	/* Abstract names. */
	d = (int)STEP(r, o->socket(AF_UNIX, SOCK_DGRAM, 0));
	len = abstract_addr(&sun, "a");
	STEP(r, o->bind(d, (struct sockaddr *)&sun, len));
	glen = sizeof(got);
	STEP(r, o->getsockname(d, (struct sockaddr *)&got, &glen));
	note(r, "abstract name length matches", glen == len);
	STEP(r, o->connect(t, (struct sockaddr *)&sun, len));
	STEP(r, o->listen(d, 1));
	l = (int)STEP(r, o->socket(AF_UNIX, SOCK_SEQPACKET, 0));
	len = abstract_addr(&sun, "l");
	STEP(r, o->bind(l, (struct sockaddr *)&sun, len));
	STEP(r, o->listen(l, 0));
	c = (int)STEP(r, o->socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0));
	STEP(r, o->connect(c, (struct sockaddr *)&sun, len));
	STEP(r, o->connect(c, (struct sockaddr *)&sun, len));
	glen = sizeof(got);
	a = (int)STEP(r, o->accept4(l, (struct sockaddr *)&got, &glen, 0));
	note(r, "accepted peer length", glen);
	glen = sizeof(got);
	STEP(r, o->getsockname(a, (struct sockaddr *)&got, &glen));
	note(r, "accepted name length matches", glen == len);
	glen = sizeof(got);
	STEP(r, o->getpeername(c, (struct sockaddr *)&got, &glen));
	note(r, "peer name length matches", glen == len);
	glen = sizeof(got);
	STEP(r, o->getpeername(t, (struct sockaddr *)&got, &glen));
	STEP(r, o->accept4(l, NULL, NULL, 0x1234));
	STEP(r, o->accept4(s, NULL, NULL, 0));
	STEP(r, o->close(l));
	STEP(r, o->connect(o->socket(AF_UNIX, SOCK_SEQPACKET, 0),
	    (struct sockaddr *)&sun, len));
	/* Autobind. */
	sun.sun_family = AF_UNIX;
	STEP(r, o->bind(t, (struct sockaddr *)&sun, 0) == 0 ? 0 : -1);
	c = (int)STEP(r, o->socket(AF_UNIX, SOCK_DGRAM, 0));
	STEP(r, o->bind(c, (struct sockaddr *)&sun, 2));
	glen = sizeof(got);
	STEP(r, o->getsockname(c, (struct sockaddr *)&got, &glen));
	note(r, "autobind length", glen);
	note(r, "autobind abstract", got.sun_path[0] == 0);
}

/* Data, shutdowns, closes and what poll says along the way. */
static void
scenario_data(const struct ops *o, struct record *r)
{
	struct msghdr mh;
	struct iovec iov;
	char buf[64];
	int sv[2], v;
	socklen_t len;

	STEP(r, o->socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	note(r, "fresh pair", revents(o, sv[0]));
	STEP(r, o->sendto(sv[0], "hello", 5, 0, NULL, 0));
	STEP(r, o->sendto(sv[0], "", 0, 0, NULL, 0));
	note(r, "readable", revents(o, sv[1]));
	STEP(r, o->ioctl(sv[1], FIONREAD, &v));
	note(r, "FIONREAD", v);
	STEP(r, o->recvfrom(sv[1], buf, 2, MSG_PEEK, NULL, NULL));
	STEP(r, o->recvfrom(sv[1], buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->recvfrom(sv[1], buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL));
	STEP(r, o->shutdown(sv[0], SHUT_WR));
	note(r, "after peer SHUT_WR", revents(o, sv[1]));
	note(r, "after own SHUT_WR", revents(o, sv[0]));
	STEP(r, o->sendto(sv[0], "x", 1, MSG_NOSIGNAL, NULL, 0));
	STEP(r, o->recvfrom(sv[1], buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->sendto(sv[1], "back", 4, 0, NULL, 0));
	STEP(r, o->shutdown(sv[0], SHUT_RD));
	note(r, "after own SHUT_RD", revents(o, sv[0]));
	note(r, "after peer SHUT_RD", revents(o, sv[1]));
	STEP(r, o->sendto(sv[1], "x", 1, MSG_NOSIGNAL, NULL, 0));
	STEP(r, o->recvfrom(sv[0], buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->shutdown(sv[0], 7));
	/* A close with data unread: ECONNRESET once. */
	STEP(r, o->socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	STEP(r, o->sendto(sv[0], "lost", 4, 0, NULL, 0));
	STEP(r, o->close(sv[1]));
	note(r, "peer closed, data unread", revents(o, sv[0]));
	len = sizeof(v);
	STEP(r, o->getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &len));
	note(r, "SO_ERROR", v);
	STEP(r, o->recvfrom(sv[0], buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->sendto(sv[0], "x", 1, MSG_NOSIGNAL, NULL, 0));
	/* Seqpacket records and truncation. */
	STEP(r, o->socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	STEP(r, o->sendto(sv[0], "record", 6, 0, NULL, 0));
	STEP(r, o->sendto(sv[0], "two", 3, 0, NULL, 0));
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = 3;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	STEP(r, o->recvmsg(sv[1], &mh, 0));
	note(r, "msg_flags", mh.msg_flags);
	STEP(r, o->recvfrom(sv[1], buf, 1, MSG_TRUNC, NULL, NULL));
	STEP(r, o->close(sv[0]));
	note(r, "seqpacket peer closed", revents(o, sv[1]));
	STEP(r, o->recvfrom(sv[1], buf, sizeof(buf), 0, NULL, NULL));
	/* Datagrams. */
	STEP(r, o->socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	STEP(r, o->sendto(sv[0], "datagram", 8, 0, NULL, 0));
	STEP(r, o->ioctl(sv[1], FIONREAD, &v));
	note(r, "dgram FIONREAD", v);
	STEP(r, o->recvfrom(sv[1], buf, 3, MSG_TRUNC, NULL, NULL));
	STEP(r, o->close(sv[1]));
	note(r, "dgram peer closed", revents(o, sv[0]));
	STEP(r, o->sendto(sv[0], "x", 1, 0, NULL, 0));
	STEP(r, o->sendto(sv[0], "x", 1, 0, NULL, 0));
	/* Urgent data on a stream. */
	STEP(r, o->socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	STEP(r, o->recvfrom(sv[1], buf, 1, MSG_OOB | MSG_DONTWAIT, NULL, NULL));
	STEP(r, o->sendto(sv[0], "abU", 3, MSG_OOB, NULL, 0));
	note(r, "urgent", revents(o, sv[1]));
	STEP(r, o->ioctl(sv[1], SIOCATMARK, &v));
	note(r, "at mark before", v);
	STEP(r, o->recvfrom(sv[1], buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->ioctl(sv[1], SIOCATMARK, &v));
	note(r, "at mark after", v);
	STEP(r, o->recvfrom(sv[1], buf, 1, MSG_OOB, NULL, NULL));
	note(r, "urgent byte", buf[0]);
}

/* Options with Linux's rules (but not its buffer limits). */
static void
scenario_options(const struct ops *o, struct record *r)
{
	struct linger lg = { 1, 3 };
	struct timeval tv = { 1, 500000 };
	socklen_t len;
	int s, v;

	s = (int)STEP(r, o->socket(AF_UNIX, SOCK_STREAM, 0));
	len = sizeof(v);
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	note(r, "SO_TYPE", v);
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len));
	note(r, "SO_DOMAIN", v);
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	note(r, "SO_PROTOCOL", v);
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len));
	note(r, "SO_ACCEPTCONN", v);
	v = 1000;
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len));
	note(r, "SO_RCVBUF 1000", v);
	v = 1000;
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len));
	note(r, "SO_SNDBUF 1000", v);
	v = 50000;
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len));
	note(r, "SO_SNDBUF 50000", v);
	v = 9;
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)));
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len));
	note(r, "SO_KEEPALIVE", v);
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, 3));
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof(v)));
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_SNDLOWAT, &v, sizeof(v)));
	STEP(r, o->setsockopt(s, SOL_SOCKET, 4242, &v, sizeof(v)));
	STEP(r, o->getsockopt(s, SOL_SOCKET, 4242, &v, &len));
	STEP(r, o->setsockopt(s, 6, 1, &v, sizeof(v)));
	v = 0;
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof(v)));
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, &len));
	note(r, "SO_RCVLOWAT 0", v);
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	len = sizeof(lg);
	memset(&lg, 0, sizeof(lg));
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
	note(r, "linger on", lg.l_onoff);
	note(r, "linger time", lg.l_linger);
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
	note(r, "timeo sec", tv.tv_sec);
	note(r, "timeo usec", tv.tv_usec);
	tv.tv_usec = 2000000;
	STEP(r, o->setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	v = 0x55555555;
	len = 1;
	STEP(r, o->getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	note(r, "truncated value", v);
	note(r, "truncated length", len);
}

/* Datagram addressing, refusals, and control messages. */
static void
scenario_dgram(const struct ops *o, struct record *r)
{
	struct sockaddr_un a1, a2, from;
	socklen_t l1, l2, flen;
	char buf[64], cbuf[CMSG_SPACE(sizeof(struct ucred)) +
	    CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh;
	struct cmsghdr *cm;
	int s1, s2, s3, sv[2], on = 1, fds[3];

	s1 = (int)STEP(r, o->socket(AF_UNIX, SOCK_DGRAM, 0));
	s2 = (int)STEP(r, o->socket(AF_UNIX, SOCK_DGRAM, 0));
	s3 = (int)STEP(r, o->socket(AF_UNIX, SOCK_DGRAM, 0));
	l1 = path_addr(&a1, "d1");
	l2 = abstract_addr(&a2, "d2");
	STEP(r, o->sendto(s1, "x", 1, 0, NULL, 0));
	STEP(r, o->sendto(s1, "x", 1, 0, (struct sockaddr *)&a2, l2));
	STEP(r, o->bind(s2, (struct sockaddr *)&a2, l2));
	STEP(r, o->sendto(s1, "unbound", 7, 0, (struct sockaddr *)&a2, l2));
	flen = sizeof(from);
	STEP(r, o->recvfrom(s2, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &flen));
	note(r, "unbound sender's name length", flen);
	STEP(r, o->bind(s1, (struct sockaddr *)&a1, l1));
	STEP(r, o->sendto(s1, "bound", 5, 0, (struct sockaddr *)&a2, l2));
	flen = sizeof(from);
	STEP(r, o->recvfrom(s2, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &flen));
	note(r, "path sender's name length", flen);
	note(r, "path sender's name", strcmp(from.sun_path, "d1") == 0);
	/* s2 connected to s1: s3 may not send to s2. */
	STEP(r, o->connect(s2, (struct sockaddr *)&a1, l1));
	STEP(r, o->sendto(s3, "x", 1, 0, (struct sockaddr *)&a2, l2));
	STEP(r, o->sendto(s2, "y", 1, 0, NULL, 0));
	STEP(r, o->recvfrom(s1, buf, sizeof(buf), 0, NULL, NULL));
	STEP(r, o->close(s1));
	STEP(r, o->sendto(s2, "y", 1, 0, NULL, 0));
	STEP(r, o->sendto(s2, "y", 1, 0, NULL, 0));
	STEP(r, o->connect(s2, (struct sockaddr *)&a1, l1));
	(void)unlink("d1");
	/* Rights and credentials on a pair. */
	STEP(r, o->socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	STEP(r, o->setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	fds[0] = fds[1] = fds[2] = s3;
	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = CMSG_SPACE(3 * sizeof(int));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(3 * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	STEP(r, o->sendmsg(sv[0], &mh, 0));
	cm->cmsg_type = 77;
	STEP(r, o->sendmsg(sv[0], &mh, 0));
	cm->cmsg_type = SCM_RIGHTS;
	fds[1] = 999;
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	STEP(r, o->sendmsg(sv[0], &mh, 0));
	/* Received with room for creds and two descriptors. */
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_len = sizeof(buf);
	mh.msg_controllen = CMSG_SPACE(sizeof(struct ucred)) +
	    CMSG_SPACE(2 * sizeof(int)) - 4;
	STEP(r, o->recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC));
	note(r, "msg_flags", mh.msg_flags);
	note(r, "msg_controllen", (long)mh.msg_controllen);
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		note(r, "cmsg type", cm->cmsg_type);
		note(r, "cmsg len", (long)cm->cmsg_len);
		if (cm->cmsg_type == SCM_RIGHTS) {
			int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
			for (int i = 0; i < n; i++)
				STEP(r, o->close(fds[i]));
		}
	}
}

static void
run(void (*scenario)(const struct ops *, struct record *), const char *name)
{
	static struct record hr, kr;

	memset(&hr, 0, sizeof(hr));
	memset(&kr, 0, sizeof(kr));
	scenario(&host, &hr);
	scenario(&kern, &kr);
	REQUIRE_EQ(hr.n, kr.n);
	for (int i = 0; i < hr.n; i++) {
		if (hr.val[i] == kr.val[i] && hr.err[i] == kr.err[i])
			continue;
		/* Descriptor numbers differ between the two tables. */
		if (hr.val[i] >= 3 && kr.val[i] >= 0 && hr.err[i] == 0 &&
		    kr.err[i] == 0 && strstr(hr.what[i], "socket") != NULL)
			continue;
		if (hr.val[i] >= 3 && kr.val[i] >= 0 && hr.err[i] == 0 &&
		    kr.err[i] == 0 && strstr(hr.what[i], "accept") != NULL)
			continue;
		TEST_FAIL("%s step %d, %s: host %ld (errno %d), kernel %ld "
		    "(errno %d)", name, i, hr.what[i], hr.val[i], hr.err[i],
		    kr.val[i], kr.err[i]);
	}
}

static char tmpdir[] = "/tmp/t_local_host.XXXXXX";

static void
host_cleanup(void)
{
	(void)unlink("sock1");
	(void)chdir("/");
	(void)rmdir(tmpdir);
}

static void
host_tmpdir(void)
{
	REQUIRE(mkdtemp(tmpdir) != NULL);
	REQUIRE_EQ(chdir(tmpdir), 0);
	atexit(host_cleanup);
	snprintf(abstract_tag, sizeof(abstract_tag), "t_local_host.%d.",
	    (int)getpid());
	REQUIRE_EQ(signal(SIGPIPE, SIG_IGN) == SIG_ERR, 0);
}

TESTCASE(names_vs_host)
{
	host_tmpdir();
	run(scenario_names, "names");
	host_cleanup();
}

TESTCASE(data_vs_host)
{
	host_tmpdir();
	run(scenario_data, "data");
	host_cleanup();
}

TESTCASE(options_vs_host)
{
	host_tmpdir();
	run(scenario_options, "options");
	host_cleanup();
}

TESTCASE(dgram_vs_host)
{
	host_tmpdir();
	run(scenario_dgram, "dgram");
	host_cleanup();
}

TESTS(CASE(names_vs_host), CASE(data_vs_host), CASE(options_vs_host),
    CASE(dgram_vs_host))
