/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Unix-domain sockets against what Linux does (the values were checked
 * on a Linux host): names in the file systems and in the abstract
 * namespace with Linux's lengths, autobind, connect's errors, stream,
 * datagram and seqpacket semantics, backlog, EPIPE and ECONNRESET,
 * SCM_RIGHTS within and across processes of one kernel, descriptors in
 * flight freed when their receiver closes and in cycles, SCM_CREDENTIALS
 * and SO_PASSCRED, SO_PEERCRED.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/sockios.h>
#include <time.h>

#include "h_macros.h"
#include "kernspace/netspace.h"

#define SUNOFF offsetof(struct sockaddr_un, sun_path)

#define rump_sys_send(s, b, l, f) rump_sys_sendto((s), (b), (l), (f), NULL, 0)
#define rump_sys_recv(s, b, l, f) rump_sys_recvfrom((s), (b), (l), (f), NULL, NULL)

static socklen_t
mkaddr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path, path);
	return (socklen_t)sizeof(*sun);
}

/* An abstract name: "\0" then name (len bytes, NULs allowed). */
static socklen_t
mkabstract(struct sockaddr_un *sun, const char *name, size_t len)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + 1, name, len);
	return (socklen_t)(SUNOFF + 1 + len);
}

static int
xsocket(int type)
{
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, type, 0));
	return s;
}

/* A listening socket at path. */
static int
listener(const char *path, int type, int backlog)
{
	struct sockaddr_un sun;
	socklen_t len = mkaddr(&sun, path);
	int s = xsocket(type);

	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&sun, len));
	REQUIRE_OK(rump_sys_listen(s, backlog));
	return s;
}

static int
connector(const char *path, int type)
{
	struct sockaddr_un sun;
	socklen_t len = mkaddr(&sun, path);
	int s = xsocket(type);

	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&sun, len));
	return s;
}

static void
xwrite(int fd, const char *s)
{
	REQUIRE_EQ(rump_sys_write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static void
xread(int fd, const char *want)
{
	char buf[256];
	size_t n = strlen(want);

	REQUIRE_EQ(rump_sys_read(fd, buf, n), (ssize_t)n);
	if (memcmp(buf, want, n) != 0)
		TEST_FAIL("read \"%.*s\", wanted \"%s\"", (int)n, buf, want);
}

TESTCASE(stream_path)
{
	struct sockaddr_un sun;
	socklen_t len;
	struct stat st;
	int l, c, a;

	l = listener("/sock", SOCK_STREAM, 5);
	REQUIRE_OK(rump_sys_stat("/sock", &st));
	REQUIRE(S_ISSOCK(st.st_mode));
	REQUIRE_EQ(st.st_mode & 0777, 0755);            /* 0777 & ~umask 022 */
	/* getsockname: 2 + strlen + 1, as Linux. */
	len = sizeof(sun);
	REQUIRE_OK(rump_sys_getsockname(l, (struct sockaddr *)&sun, &len));
	REQUIRE_EQ(len, SUNOFF + 6);
	REQUIRE(strcmp(sun.sun_path, "/sock") == 0);
	c = connector("/sock", SOCK_STREAM);
	len = sizeof(sun);
	REQUIRE_OK(a = rump_sys_accept(l, (struct sockaddr *)&sun, &len));
	/* The unbound client: just the family. */
	REQUIRE_EQ(len, 2);
	REQUIRE_EQ(sun.sun_family, AF_UNIX);
	len = sizeof(sun);
	REQUIRE_OK(rump_sys_getpeername(c, (struct sockaddr *)&sun, &len));
	REQUIRE_EQ(len, SUNOFF + 6);
	len = sizeof(sun);
	REQUIRE_OK(rump_sys_getsockname(a, (struct sockaddr *)&sun, &len));
	REQUIRE_EQ(len, SUNOFF + 6);
	REQUIRE(strcmp(sun.sun_path, "/sock") == 0);
	len = sizeof(sun);
	REQUIRE_OK(rump_sys_getpeername(a, (struct sockaddr *)&sun, &len));
	REQUIRE_EQ(len, 2);
	xwrite(c, "hello");
	xread(a, "hello");
	xwrite(a, "world!");
	xread(c, "world!");
	/* A path name truncated to the room given, full length reported. */
	len = 4;
	memset(&sun, 'x', sizeof(sun));
	REQUIRE_OK(rump_sys_getsockname(l, (struct sockaddr *)&sun, &len));
	REQUIRE_EQ(len, SUNOFF + 6);
	REQUIRE(sun.sun_path[0] == '/' && sun.sun_path[1] == 's' &&
	    sun.sun_path[2] == 'x');
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(l));
	/* The node stays after close; connecting to it is refused. */
	REQUIRE_OK(rump_sys_stat("/sock", &st));
	len = mkaddr(&sun, "/sock");
	c = xsocket(SOCK_STREAM);
	REQUIRE_ERRNO(rump_sys_connect(c, (struct sockaddr *)&sun, len), ECONNREFUSED);
}

/* The name is the node: renamed it still leads there, unlinked it does not. */
TESTCASE(path_node_ops)
{
	struct sockaddr_un sun;
	socklen_t len;
	int l, c, a;

	l = listener("/n1", SOCK_STREAM, 5);
	REQUIRE_OK(rump_sys_mkdir("/d", 0755));
	REQUIRE_OK(rump_sys_rename("/n1", "/d/n2"));
	c = connector("/d/n2", SOCK_STREAM);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	xwrite(c, "moved");
	xread(a, "moved");
	/* getsockname still says the name it was bound with. */
	len = sizeof(sun);
	REQUIRE_OK(rump_sys_getsockname(l, (struct sockaddr *)&sun, &len));
	REQUIRE(strcmp(sun.sun_path, "/n1") == 0);
	REQUIRE_OK(rump_sys_unlink("/d/n2"));
	len = mkaddr(&sun, "/d/n2");
	REQUIRE_ERRNO(rump_sys_connect(xsocket(SOCK_STREAM), (struct sockaddr *)&sun,
	    len), ENOENT);
	/* The name is free: another socket binds it; the first still accepts. */
	REQUIRE_OK(rump_sys_bind(xsocket(SOCK_STREAM), (struct sockaddr *)&sun, len));
	REQUIRE_OK(rump_sys_close(l));
	/* A symbolic link to a socket node is followed. */
	l = listener("/n3", SOCK_STREAM, 5);
	REQUIRE_OK(rump_sys_symlink("/n3", "/ln"));
	c = connector("/ln", SOCK_STREAM);
	REQUIRE_OK(rump_sys_accept(l, NULL, NULL));
	/* bind does not follow one: the name exists. */
	REQUIRE_OK(rump_sys_symlink("/nowhere", "/dangling"));
	len = mkaddr(&sun, "/dangling");
	REQUIRE_ERRNO(rump_sys_bind(xsocket(SOCK_STREAM), (struct sockaddr *)&sun, len),
	    EADDRINUSE);
}

TESTCASE(bind_errors)
{
	struct sockaddr_un sun;
	socklen_t len;
	int s, t, d;

	s = xsocket(SOCK_STREAM);
	len = mkaddr(&sun, "/a");
	REQUIRE_ERRNO(rump_sys_bind(s, (struct sockaddr *)&sun, 1), EINVAL);
	sun.sun_family = AF_INET;
	REQUIRE_ERRNO(rump_sys_bind(s, (struct sockaddr *)&sun, len), EINVAL);
	sun.sun_family = AF_UNIX;
	REQUIRE_ERRNO(rump_sys_bind(s, (struct sockaddr *)&sun, 200), EINVAL);
	REQUIRE_ERRNO(rump_sys_bind(s, (void *)1, len), EFAULT);
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&sun, len));
	/* Bound already. */
	len = mkaddr(&sun, "/b");
	REQUIRE_ERRNO(rump_sys_bind(s, (struct sockaddr *)&sun, len), EINVAL);
	/* The name exists (a socket node, a directory, a file). */
	t = xsocket(SOCK_STREAM);
	len = mkaddr(&sun, "/a");
	REQUIRE_ERRNO(rump_sys_bind(t, (struct sockaddr *)&sun, len), EADDRINUSE);
	REQUIRE_OK(rump_sys_mkdir("/dir", 0755));
	len = mkaddr(&sun, "/dir");
	REQUIRE_ERRNO(rump_sys_bind(t, (struct sockaddr *)&sun, len), EADDRINUSE);
	len = mkaddr(&sun, "/nodir/x");
	REQUIRE_ERRNO(rump_sys_bind(t, (struct sockaddr *)&sun, len), ENOENT);
	REQUIRE_ERRNO(rump_sys_connect(t, (struct sockaddr *)&sun, len), ENOENT);
	/* Not a socket node; a socket node nobody listens on. */
	len = mkaddr(&sun, "/dir");
	REQUIRE_ERRNO(rump_sys_connect(t, (struct sockaddr *)&sun, len), ECONNREFUSED);
	len = mkaddr(&sun, "/a");
	REQUIRE_ERRNO(rump_sys_connect(t, (struct sockaddr *)&sun, len), ECONNREFUSED);
	REQUIRE_ERRNO(rump_sys_connect(t, (struct sockaddr *)&sun, 2), EINVAL);
	/* listen: unbound EINVAL; a datagram socket EOPNOTSUPP. */
	REQUIRE_ERRNO(rump_sys_listen(t, 1), EINVAL);
	d = xsocket(SOCK_DGRAM);
	REQUIRE_ERRNO(rump_sys_listen(d, 1), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_accept(d, NULL, NULL), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_accept(t, NULL, NULL), EINVAL);
	/* A datagram socket connecting to a stream listener. */
	REQUIRE_OK(rump_sys_listen(s, 1));
	REQUIRE_ERRNO(rump_sys_connect(d, (struct sockaddr *)&sun, len), EPROTOTYPE);
	/* Connecting needs write permission on the node. */
	REQUIRE_OK(rump_sys_chmod("/a", 0555));
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_ERRNO(rump_sys_connect(t, (struct sockaddr *)&sun, len), EACCES);
}

TESTCASE(abstract_names)
{
	struct sockaddr_un sun, got;
	socklen_t len, glen;
	int s, t, c, a;

	s = xsocket(SOCK_STREAM);
	len = mkabstract(&sun, "name", 4);
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&sun, len));
	REQUIRE_OK(rump_sys_listen(s, 5));
	glen = sizeof(got);
	REQUIRE_OK(rump_sys_getsockname(s, (struct sockaddr *)&got, &glen));
	REQUIRE_EQ(glen, SUNOFF + 5);
	REQUIRE(memcmp(&got, &sun, len) == 0);
	/* The same name is in use; a longer one (a NUL more) is another. */
	t = xsocket(SOCK_STREAM);
	REQUIRE_ERRNO(rump_sys_bind(t, (struct sockaddr *)&sun, len), EADDRINUSE);
	REQUIRE_OK(rump_sys_bind(t, (struct sockaddr *)&sun, len + 1));
	/* Nothing in the file system. */
	REQUIRE_ERRNO(rump_sys_access("name", 0), ENOENT);
	c = xsocket(SOCK_STREAM);
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sun, len));
	REQUIRE_OK(a = rump_sys_accept(s, NULL, NULL));
	xwrite(c, "abstract");
	xread(a, "abstract");
	/* Unknown names are refused. */
	len = mkabstract(&sun, "nobody", 6);
	REQUIRE_ERRNO(rump_sys_connect(xsocket(SOCK_STREAM),
	    (struct sockaddr *)&sun, len), ECONNREFUSED);
	/* Closed: the name is free again. */
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(s));
	len = mkabstract(&sun, "name", 4);
	REQUIRE_OK(rump_sys_bind(xsocket(SOCK_DGRAM), (struct sockaddr *)&sun, len));
}

TESTCASE(autobind)
{
	struct sockaddr_un sun;
	socklen_t len;
	int s, d1, d2;
	char buf[16];

	s = xsocket(SOCK_STREAM);
	sun.sun_family = AF_UNIX;
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&sun, 2));
	len = sizeof(sun);
	REQUIRE_OK(rump_sys_getsockname(s, (struct sockaddr *)&sun, &len));
	REQUIRE_EQ(len, 8);
	REQUIRE_EQ(sun.sun_path[0], 0);
	for (int i = 1; i <= 5; i++)
		REQUIRE(strchr("0123456789abcdef", sun.sun_path[i]) != NULL);
	/* An unbound socket: only the family. */
	d1 = xsocket(SOCK_DGRAM);
	len = sizeof(sun);
	REQUIRE_OK(rump_sys_getsockname(d1, (struct sockaddr *)&sun, &len));
	REQUIRE_EQ(len, 2);
	/* A sender with SO_PASSCRED gets a name, which its receiver sees. */
	d2 = xsocket(SOCK_DGRAM);
	len = mkabstract(&sun, "rcv", 3);
	REQUIRE_OK(rump_sys_bind(d2, (struct sockaddr *)&sun, len));
	REQUIRE_OK(rump_sys_sendto(d1, "x", 1, 0, (struct sockaddr *)&sun, len));
	len = sizeof(sun);
	REQUIRE_EQ(rump_sys_recvfrom(d2, buf, sizeof(buf), 0,
	    (struct sockaddr *)&sun, &len), 1);
	REQUIRE_EQ(len, 0);             /* unbound sender: no name */
	{
		int on = 1;
		REQUIRE_OK(rump_sys_setsockopt(d1, SOL_SOCKET, SO_PASSCRED, &on,
		    sizeof(on)));
	}
	len = mkabstract(&sun, "rcv", 3);
	REQUIRE_OK(rump_sys_sendto(d1, "y", 1, 0, (struct sockaddr *)&sun, len));
	len = sizeof(sun);
	REQUIRE_EQ(rump_sys_recvfrom(d2, buf, sizeof(buf), 0,
	    (struct sockaddr *)&sun, &len), 1);
	REQUIRE_EQ(len, 8);
	REQUIRE_EQ(sun.sun_path[0], 0);
}

TESTCASE(dgram)
{
	struct sockaddr_un a1, a2, from;
	socklen_t l1, l2, flen;
	struct msghdr mh;
	struct iovec iov;
	char buf[64];
	int s1, s2, s3;

	s1 = xsocket(SOCK_DGRAM);
	s2 = xsocket(SOCK_DGRAM);
	s3 = xsocket(SOCK_DGRAM);
	l1 = mkaddr(&a1, "/d1");
	l2 = mkaddr(&a2, "/d2");
	REQUIRE_OK(rump_sys_bind(s1, (struct sockaddr *)&a1, l1));
	REQUIRE_OK(rump_sys_bind(s2, (struct sockaddr *)&a2, l2));
	/* Unconnected without an address. */
	REQUIRE_ERRNO(rump_sys_send(s1, "x", 1, 0), ENOTCONN);
	REQUIRE_ERRNO(rump_sys_recv(s1, buf, 1, MSG_DONTWAIT), EAGAIN);
	REQUIRE_EQ(rump_sys_sendto(s1, "hello", 5, 0, (struct sockaddr *)&a2, l2), 5);
	REQUIRE_EQ(rump_sys_sendto(s1, "hi", 2, 0, (struct sockaddr *)&a2, l2), 2);
	REQUIRE_EQ(rump_sys_sendto(s1, "", 0, 0, (struct sockaddr *)&a2, l2), 0);
	/* FIONREAD: the first datagram's size. */
	{
		int n;
		REQUIRE_OK(rump_sys_ioctl(s2, FIONREAD, &n));
		REQUIRE_EQ(n, 5);
	}
	/* MSG_TRUNC: the datagram's real length; the rest is dropped. */
	flen = sizeof(from);
	REQUIRE_EQ(rump_sys_recvfrom(s2, buf, 2, MSG_TRUNC,
	    (struct sockaddr *)&from, &flen), 5);
	REQUIRE_EQ(flen, SUNOFF + 4);
	REQUIRE(strcmp(from.sun_path, "/d1") == 0);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	REQUIRE_EQ(rump_sys_recvmsg(s2, &mh, 0), 1);
	REQUIRE_EQ(mh.msg_flags, MSG_TRUNC);
	REQUIRE_EQ(buf[0], 'h');
	/* An empty datagram is a datagram. */
	REQUIRE_EQ(rump_sys_recv(s2, buf, sizeof(buf), MSG_DONTWAIT), 0);
	REQUIRE_ERRNO(rump_sys_recv(s2, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* Connected: send without an address; others may not send to it. */
	REQUIRE_OK(rump_sys_connect(s2, (struct sockaddr *)&a1, l1));
	REQUIRE_EQ(rump_sys_send(s2, "ok", 2, 0), 2);
	REQUIRE_EQ(rump_sys_recv(s1, buf, sizeof(buf), 0), 2);
	REQUIRE_ERRNO(rump_sys_sendto(s3, "x", 1, 0, (struct sockaddr *)&a2, l2), EPERM);
	/* s1 connected to s2 sends; s2's peer (s1) closes: ECONNREFUSED once. */
	REQUIRE_OK(rump_sys_close(s1));
	REQUIRE_ERRNO(rump_sys_send(s2, "x", 1, 0), ECONNREFUSED);
	REQUIRE_ERRNO(rump_sys_send(s2, "x", 1, 0), ENOTCONN);
	/* AF_UNSPEC disconnects. */
	REQUIRE_OK(rump_sys_connect(s3, (struct sockaddr *)&a2, l2));
	from.sun_family = AF_UNSPEC;
	REQUIRE_OK(rump_sys_connect(s3, (struct sockaddr *)&from, sizeof(from)));
	REQUIRE_ERRNO(rump_sys_send(s3, "x", 1, 0), ENOTCONN);
	/* Stream peers only: a datagram to a stream socket's name. */
	{
		int l = listener("/st", SOCK_STREAM, 1);
		struct sockaddr_un sa;
		socklen_t sl = mkaddr(&sa, "/st");
		REQUIRE_ERRNO(rump_sys_sendto(s3, "x", 1, 0, (struct sockaddr *)&sa, sl),
		    EPROTOTYPE);
		(void)l;
	}
}

TESTCASE(dgram_full)
{
	struct sockaddr_un sun;
	struct pollfd pfd;
	socklen_t len;
	int sv[2], r, s, c, n = 0, small = 4096;
	char buf[1000];

	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	REQUIRE_OK(rump_sys_setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small,
	    sizeof(small)));
	memset(buf, 'd', sizeof(buf));
	while (rump_sys_send(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == sizeof(buf))
		n++;
	REQUIRE_EQ(errno, EAGAIN);
	REQUIRE(n > 0 && n < 10);
	/* Reading one makes room for one. */
	REQUIRE_EQ(rump_sys_recv(sv[1], buf, sizeof(buf), 0), sizeof(buf));
	REQUIRE_EQ(rump_sys_send(sv[0], buf, sizeof(buf), MSG_DONTWAIT), sizeof(buf));
	/* A receiver queues 11 datagrams from others (Linux: max_dgram_qlen 10). */
	REQUIRE_OK(r = rump_sys_socket(AF_UNIX, SOCK_DGRAM, 0));
	len = mkabstract(&sun, "q", 1);
	REQUIRE_OK(rump_sys_bind(r, (struct sockaddr *)&sun, len));
	REQUIRE_OK(s = rump_sys_socket(AF_UNIX, SOCK_DGRAM, 0));
	for (n = 0; rump_sys_sendto(s, buf, 100, MSG_DONTWAIT,
		 (struct sockaddr *)&sun, len) == 100; n++)
		continue;
	REQUIRE_EQ(errno, EAGAIN);
	REQUIRE_EQ(n, 11);
	/* A socket connected to it is not writable; a read makes it so. */
	REQUIRE_OK(c = rump_sys_socket(AF_UNIX, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sun, len));
	pfd = (struct pollfd){ c, POLLOUT, 0 };
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	REQUIRE_ERRNO(rump_sys_send(c, buf, 10, MSG_DONTWAIT), EAGAIN);
	REQUIRE_EQ(rump_sys_recv(r, buf, sizeof(buf), 0), 100);
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	REQUIRE_EQ(pfd.revents, POLLOUT);
	REQUIRE_EQ(rump_sys_send(c, buf, 10, MSG_DONTWAIT), 10);
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 0);
}

TESTCASE(seqpacket)
{
	struct msghdr mh;
	struct iovec iov;
	char buf[64];
	int l, c, a;

	l = listener("/sp", SOCK_SEQPACKET, 5);
	c = connector("/sp", SOCK_SEQPACKET);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	xwrite(c, "one");
	xwrite(c, "second");
	xwrite(c, "3");
	/* Records keep their bounds. */
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 3);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = 2;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	REQUIRE_EQ(rump_sys_recvmsg(a, &mh, 0), 2);
	REQUIRE_EQ(mh.msg_flags, MSG_TRUNC);
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 1);
	REQUIRE_EQ(buf[0], '3');
	REQUIRE_ERRNO(rump_sys_recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 0);
	REQUIRE_ERRNO(rump_sys_write(a, "x", 1), EPIPE);
}

TESTCASE(socketpair_types)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	struct ucred uc;
	socklen_t len;
	char buf[16];
	int sv[2], v;

	for (size_t i = 0; i < 3; i++) {
		REQUIRE_OK(rump_sys_socketpair(AF_UNIX, types[i] | SOCK_CLOEXEC, 0, sv));
		REQUIRE_EQ(rump_sys_fcntl(sv[0], F_GETFD, 0), FD_CLOEXEC);
		xwrite(sv[0], "ping");
		xread(sv[1], "ping");
		xwrite(sv[1], "pong");
		xread(sv[0], "pong");
		len = sizeof(v);
		REQUIRE_OK(rump_sys_getsockopt(sv[1], SOL_SOCKET, SO_TYPE, &v, &len));
		REQUIRE_EQ(v, types[i]);
		len = sizeof(uc);
		REQUIRE_OK(rump_sys_getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &len));
		REQUIRE_EQ(len, sizeof(uc));
		REQUIRE_EQ(uc.pid, rump_sys_getpid());
		REQUIRE_EQ(uc.uid, 0);
		REQUIRE_EQ(uc.gid, 0);
		REQUIRE_OK(rump_sys_close(sv[0]));
		if (types[i] != SOCK_DGRAM)
			REQUIRE_EQ(rump_sys_read(sv[1], buf, sizeof(buf)), 0);
		REQUIRE_OK(rump_sys_close(sv[1]));
	}
	REQUIRE_ERRNO(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)1), EFAULT);
	REQUIRE_ERRNO(rump_sys_socketpair(AF_UNIX, 4, 0, sv), ESOCKTNOSUPPORT);
	/* Unconnected: no peer credentials. */
	len = sizeof(uc);
	REQUIRE_OK(rump_sys_getsockopt(xsocket(SOCK_STREAM), SOL_SOCKET,
	    SO_PEERCRED, &uc, &len));
	REQUIRE_EQ(uc.pid, 0);
	REQUIRE_EQ(uc.uid, (uid_t)-1);
	REQUIRE_EQ(uc.gid, (gid_t)-1);
}

TESTCASE(peercred_connect)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	pid_t server = rump_sys_getpid(), client;
	int l, c, a;

	l = listener("/pc", SOCK_STREAM, 5);
	REQUIRE_OK(rump_sys_chmod("/pc", 0777));
	/* A listener's are its own (Linux). */
	REQUIRE_OK(rump_sys_getsockopt(l, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	REQUIRE_EQ(uc.pid, server);
	REQUIRE_EQ(uc.uid, 0);
	len = sizeof(uc);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	client = rump_sys_getpid();
	REQUIRE(client != server);
	REQUIRE_OK(rump_sys_setgid(7));
	REQUIRE_OK(rump_sys_setuid(1000));
	c = connector("/pc", SOCK_STREAM);
	REQUIRE_OK(rump_sys_getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	REQUIRE_EQ(uc.pid, server);
	REQUIRE_EQ(uc.uid, 0);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	len = sizeof(uc);
	REQUIRE_OK(rump_sys_getsockopt(a, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	REQUIRE_EQ(uc.pid, client);
	REQUIRE_EQ(uc.uid, 1000);
	REQUIRE_EQ(uc.gid, 7);
}

TESTCASE(backlog)
{
	struct sockaddr_un sun;
	socklen_t len = mkaddr(&sun, "/bl");
	int l, c[4], a;

	l = listener("/bl", SOCK_STREAM, 1);
	/* Linux: full past backlog + 1 waiting connections. */
	for (int i = 0; i < 2; i++) {
		c[i] = xsocket(SOCK_STREAM | SOCK_NONBLOCK);
		REQUIRE_OK(rump_sys_connect(c[i], (struct sockaddr *)&sun, len));
	}
	c[2] = xsocket(SOCK_STREAM | SOCK_NONBLOCK);
	REQUIRE_ERRNO(rump_sys_connect(c[2], (struct sockaddr *)&sun, len), EAGAIN);
	/* Accepting one makes room. */
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_connect(c[2], (struct sockaddr *)&sun, len));
	/* A bigger backlog, set again by listen. */
	REQUIRE_OK(rump_sys_listen(l, 5));
	c[3] = xsocket(SOCK_STREAM | SOCK_NONBLOCK);
	REQUIRE_OK(rump_sys_connect(c[3], (struct sockaddr *)&sun, len));
	/* Closing the listener resets the unaccepted. */
	xwrite(c[3], "lost");
	REQUIRE_OK(rump_sys_close(l));
	{
		char b[8];
		REQUIRE_ERRNO(rump_sys_read(c[3], b, sizeof(b)), ECONNRESET);
		REQUIRE_EQ(rump_sys_read(c[3], b, sizeof(b)), 0);
		REQUIRE_ERRNO(rump_sys_write(c[3], "x", 1), EPIPE);
	}
	(void)a;
}

struct blocked_connect {
	const char *path;
	int error;
};

static void *
connect_thread(void *arg)
{
	struct blocked_connect *bc = arg;
	struct sockaddr_un sun;
	socklen_t len = mkaddr(&sun, bc->path);
	int s;

	rump_pub_lwproc_rfork(RUMP_RFCFDG);
	s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0);
	bc->error = rump_sys_connect(s, (struct sockaddr *)&sun, len) == 0 ? 0 : errno;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* A blocking connect to a full queue waits until accept makes room. */
TESTCASE(backlog_wait)
{
	struct blocked_connect bc = { "/bw", -1 };
	pthread_t t;
	int l;

	l = listener("/bw", SOCK_STREAM, 0);
	(void)connector("/bw", SOCK_STREAM);
	REQUIRE_EQ(pthread_create(&t, NULL, connect_thread, &bc), 0);
	usleep(100000);
	REQUIRE_EQ(bc.error, -1);
	REQUIRE_OK(rump_sys_accept(l, NULL, NULL));
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE_EQ(bc.error, 0);
}

TESTCASE(epipe_reset)
{
	int sv[2];
	char buf[8];

	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	xwrite(sv[0], "data");
	REQUIRE_OK(rump_sys_close(sv[1]));
	/* No SIGPIPE exists: EPIPE, with or without MSG_NOSIGNAL. */
	REQUIRE_ERRNO(rump_sys_write(sv[0], "x", 1), EPIPE);
	REQUIRE_ERRNO(rump_sys_send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	/* The closed end left data unread: ECONNRESET once, then EOF. */
	REQUIRE_ERRNO(rump_sys_read(sv[0], buf, sizeof(buf)), ECONNRESET);
	REQUIRE_EQ(rump_sys_read(sv[0], buf, sizeof(buf)), 0);
	/* Shut down for writing: the peer reads EOF after the data. */
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	xwrite(sv[0], "bye");
	REQUIRE_OK(rump_sys_shutdown(sv[0], SHUT_WR));
	REQUIRE_ERRNO(rump_sys_write(sv[0], "x", 1), EPIPE);
	xread(sv[1], "bye");
	REQUIRE_EQ(rump_sys_read(sv[1], buf, sizeof(buf)), 0);
	xwrite(sv[1], "back");
	xread(sv[0], "back");
	/* Shut down for reading: the peer's writes fail. */
	REQUIRE_OK(rump_sys_shutdown(sv[0], SHUT_RD));
	REQUIRE_ERRNO(rump_sys_write(sv[1], "x", 1), EPIPE);
	REQUIRE_ERRNO(rump_sys_shutdown(sv[0], 3), EINVAL);
}

/* MSG_OOB on a stream, step by step as a Linux host answered. */
TESTCASE(stream_oob)
{
	int sv[2], d[2], v;
	char b[16];

	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	REQUIRE_ERRNO(rump_sys_recv(sv[1], b, 1, MSG_OOB | MSG_DONTWAIT), EINVAL);
	REQUIRE_EQ(rump_sys_send(sv[0], "ab", 2, 0), 2);
	REQUIRE_EQ(rump_sys_send(sv[0], "XU", 2, MSG_OOB), 2);
	REQUIRE_EQ(rump_sys_send(sv[0], "cd", 2, 0), 2);
	{
		struct pollfd pfd = { sv[1], POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0 };
		REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
		REQUIRE_EQ(pfd.revents, POLLIN | POLLOUT | POLLPRI);
	}
	REQUIRE_OK(rump_sys_ioctl(sv[1], SIOCATMARK, &v));
	REQUIRE_EQ(v, 0);
	/* A read stops at the mark, before the urgent byte. */
	REQUIRE_EQ(rump_sys_recv(sv[1], b, sizeof(b), 0), 3);
	REQUIRE(memcmp(b, "abX", 3) == 0);
	REQUIRE_OK(rump_sys_ioctl(sv[1], SIOCATMARK, &v));
	REQUIRE_EQ(v, 1);
	REQUIRE_EQ(rump_sys_recv(sv[1], b, 1, MSG_OOB | MSG_PEEK), 1);
	REQUIRE_EQ(b[0], 'U');
	REQUIRE_EQ(rump_sys_recv(sv[1], b, 1, MSG_OOB), 1);
	REQUIRE_EQ(b[0], 'U');
	{
		struct pollfd pfd = { sv[1], POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0 };
		REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
		REQUIRE_EQ(pfd.revents, POLLIN | POLLOUT);
	}
	REQUIRE_ERRNO(rump_sys_recv(sv[1], b, 1, MSG_OOB), EINVAL);
	REQUIRE_EQ(rump_sys_recv(sv[1], b, sizeof(b), 0), 2);
	REQUIRE(memcmp(b, "cd", 2) == 0);
	REQUIRE_OK(rump_sys_ioctl(sv[1], SIOCATMARK, &v));
	REQUIRE_EQ(v, 0);
	/* A second urgent byte: the first goes back into the stream. */
	REQUIRE_EQ(rump_sys_send(sv[0], "1", 1, MSG_OOB), 1);
	REQUIRE_EQ(rump_sys_send(sv[0], "2", 1, MSG_OOB), 1);
	REQUIRE_EQ(rump_sys_recv(sv[1], b, 1, MSG_OOB), 1);
	REQUIRE_EQ(b[0], '2');
	REQUIRE_EQ(rump_sys_recv(sv[1], b, sizeof(b), MSG_DONTWAIT), 1);
	REQUIRE_EQ(b[0], '1');
	/* The urgent byte left unread: reads go around it. */
	REQUIRE_EQ(rump_sys_send(sv[0], "ab", 2, MSG_OOB), 2);
	REQUIRE_EQ(rump_sys_send(sv[0], "cd", 2, 0), 2);
	REQUIRE_EQ(rump_sys_recv(sv[1], b, sizeof(b), 0), 1);
	REQUIRE_EQ(b[0], 'a');
	REQUIRE_EQ(rump_sys_recv(sv[1], b, sizeof(b), MSG_DONTWAIT), 2);
	REQUIRE(memcmp(b, "cd", 2) == 0);
	/* Datagram and seqpacket sockets have none. */
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, d));
	REQUIRE_ERRNO(rump_sys_send(d[0], "x", 1, MSG_OOB), EOPNOTSUPP);
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, d));
	REQUIRE_ERRNO(rump_sys_send(d[0], "x", 1, MSG_OOB), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_recv(d[1], b, 1, MSG_OOB | MSG_DONTWAIT), EOPNOTSUPP);
}

/* sendmsg with one SCM_RIGHTS message of n descriptors. */
static ssize_t
send_fds(int s, const int *fds, int n, const char *data)
{
	char cbuf[CMSG_SPACE(16 * sizeof(int))];
	struct iovec iov = { .iov_base = (void *)(uintptr_t)data,
		.iov_len = strlen(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	memset(cbuf, 0, sizeof(cbuf));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	return rump_sys_sendmsg(s, &mh, 0);
}

/* recvmsg expecting one SCM_RIGHTS message; returns its descriptors' count. */
static int
recv_fds(int s, int *fds, int max, char *data, size_t len, int flags,
    int *mflags)
{
	char cbuf[CMSG_SPACE(16 * sizeof(int))];
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = CMSG_SPACE(max * sizeof(int)) };
	struct cmsghdr *cm;
	int n = 0;

	REQUIRE(rump_sys_recvmsg(s, &mh, flags) >= 0);
	*mflags = mh.msg_flags;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		REQUIRE_EQ(cm->cmsg_level, SOL_SOCKET);
		REQUIRE_EQ(cm->cmsg_type, SCM_RIGHTS);
		n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
	}
	return n;
}

TESTCASE(rights_local)
{
	int sv[2], p[2], fds[4], got[4], fl;
	char buf[16];

	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	REQUIRE_OK(rump_sys_pipe(p));
	REQUIRE_EQ(send_fds(sv[0], &p[1], 1, "fd"), 2);
	REQUIRE_OK(rump_sys_close(p[1]));
	REQUIRE_EQ(recv_fds(sv[1], got, 1, buf, sizeof(buf), MSG_CMSG_CLOEXEC, &fl), 1);
	REQUIRE_EQ(fl, MSG_CMSG_CLOEXEC);       /* Linux hands it back */
	REQUIRE_EQ(rump_sys_fcntl(got[0], F_GETFD, 0), FD_CLOEXEC);
	/* The passed write end works, and is the only writer left. */
	xwrite(got[0], "through");
	REQUIRE_OK(rump_sys_close(got[0]));
	xread(p[0], "through");
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
	/*
	 * Room for 2 of 3 (CMSG_SPACE(sizeof(int)) holds two, as on Linux):
	 * MSG_CTRUNC, the third closed.
	 */
	REQUIRE_OK(rump_sys_pipe(p));
	fds[0] = fds[1] = fds[2] = p[1];
	REQUIRE_EQ(send_fds(sv[0], fds, 3, "x"), 1);
	REQUIRE_OK(rump_sys_close(p[1]));
	REQUIRE_EQ(recv_fds(sv[1], got, 1, buf, sizeof(buf), 0, &fl), 2);
	REQUIRE_EQ(fl, MSG_CTRUNC);
	REQUIRE_EQ(rump_sys_fcntl(got[0], F_GETFD, 0), 0);
	REQUIRE_OK(rump_sys_close(got[0]));
	REQUIRE_OK(rump_sys_close(got[1]));
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
	/* Bad descriptors: EBADF, nothing sent. */
	fds[0] = 99;
	REQUIRE_ERRNO(send_fds(sv[0], fds, 1, "x"), EBADF);
	REQUIRE_ERRNO(rump_sys_recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
	/* A malformed control message: EINVAL. */
	{
		struct cmsghdr cm = { .cmsg_len = 4, .cmsg_level = SOL_SOCKET,
			.cmsg_type = SCM_RIGHTS };
		struct iovec iov = { .iov_base = buf, .iov_len = 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = &cm, .msg_controllen = sizeof(cm) };
		REQUIRE_ERRNO(rump_sys_sendmsg(sv[0], &mh, 0), EINVAL);
		mh.msg_control = (void *)1;
		REQUIRE_ERRNO(rump_sys_sendmsg(sv[0], &mh, 0), EFAULT);
	}
}

/* Two processes of one kernel: a file opened by one is read by the other. */
TESTCASE(rights_across_processes)
{
	struct lwp *parent, *child;
	int sv[2], fd, got, fl;
	char buf[32];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_pub_lwproc_curlwp();
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	child = rump_pub_lwproc_curlwp();
	REQUIRE_OK(rump_sys_close(sv[0]));
	rump_pub_lwproc_switch(parent);
	REQUIRE_OK(rump_sys_close(sv[1]));
	REQUIRE_OK(fd = rump_sys_open("/secret", O_RDWR | O_CREAT, 0600));
	xwrite(fd, "contents of the file");
	REQUIRE_EQ(rump_sys_lseek(fd, 12, SEEK_SET), 12);
	REQUIRE_EQ(send_fds(sv[0], &fd, 1, "here"), 4);
	REQUIRE_OK(rump_sys_close(fd));
	rump_pub_lwproc_switch(child);
	/* The child has no /secret descriptor of its own. */
	REQUIRE_EQ(recv_fds(sv[1], &got, 1, buf, sizeof(buf), 0, &fl), 1);
	REQUIRE_EQ(fl, 0);
	/* The open file itself, offset included, was passed. */
	xread(got, "the file");
	REQUIRE_EQ(rump_sys_lseek(got, 0, SEEK_SET), 0);
	xread(got, "contents");
}

static unsigned long
wait_count(unsigned long want)
{
	unsigned long n = 0;

	for (int i = 0; i < 500; i++) {
		if ((n = rump_test_socket_count()) == want)
			break;
		usleep(10000);
	}
	return n;
}

/* A descriptor in flight when its receiver closes is freed. */
TESTCASE(rights_inflight_freed)
{
	unsigned long base = rump_test_socket_count();
	int sv[2], s;

	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	s = xsocket(SOCK_DGRAM);
	REQUIRE_EQ(rump_test_socket_count(), base + 3);
	REQUIRE_EQ(send_fds(sv[0], &s, 1, "x"), 1);
	REQUIRE_OK(rump_sys_close(s));
	/* Still alive: in flight. */
	REQUIRE_EQ(rump_test_socket_count(), base + 3);
	REQUIRE_OK(rump_sys_close(sv[1]));
	REQUIRE_EQ(wait_count(base + 1), base + 1);
	REQUIRE_OK(rump_sys_close(sv[0]));
	REQUIRE_EQ(wait_count(base), base);
}

/* Sockets in flight in each other, closed: a cycle the collector frees. */
TESTCASE(rights_gc_cycle)
{
	unsigned long base = rump_test_socket_count();
	int a[2], b[2], keep[2];

	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, a));
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, b));
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, keep));
	/* a[1]'s queue holds a[1] and b[0]; b[0]'s holds a[0]. */
	REQUIRE_EQ(send_fds(a[0], &a[1], 1, "x"), 1);
	REQUIRE_EQ(send_fds(a[0], &b[0], 1, "y"), 1);
	REQUIRE_EQ(send_fds(b[1], &a[0], 1, "z"), 1);
	/* keep[1] holds keep[0] in flight, but keep[1] stays open. */
	REQUIRE_EQ(send_fds(keep[1], &keep[1], 1, "k"), 1);
	REQUIRE_EQ(rump_test_socket_count(), base + 6);
	REQUIRE_OK(rump_sys_close(a[0]));
	REQUIRE_OK(rump_sys_close(a[1]));
	REQUIRE_OK(rump_sys_close(b[0]));
	REQUIRE_OK(rump_sys_close(b[1]));
	/* b[1] went (no reference); a[0], a[1], b[0] only in flight: collected. */
	REQUIRE_EQ(wait_count(base + 2), base + 2);
	/* keep[1] is in flight only in keep[0]'s queue, and keep[0] is open. */
	{
		int got, fl;
		char c;
		REQUIRE_EQ(recv_fds(keep[0], &got, 1, &c, 1, 0, &fl), 1);
		REQUIRE_OK(rump_sys_close(got));
	}
	REQUIRE_OK(rump_sys_close(keep[0]));
	REQUIRE_OK(rump_sys_close(keep[1]));
	REQUIRE_EQ(wait_count(base), base);
}

TESTCASE(credentials)
{
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *cm;
	struct ucred uc;
	char cbuf[CMSG_SPACE(sizeof(struct ucred))], buf[8];
	int sv[2], on = 1;

	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	REQUIRE_OK(rump_sys_setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	xwrite(sv[0], "c");
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	REQUIRE_EQ(rump_sys_recvmsg(sv[1], &mh, 0), 1);
	cm = CMSG_FIRSTHDR(&mh);
	REQUIRE(cm != NULL);
	REQUIRE_EQ(cm->cmsg_level, SOL_SOCKET);
	REQUIRE_EQ(cm->cmsg_type, SCM_CREDENTIALS);
	REQUIRE_EQ(cm->cmsg_len, CMSG_LEN(sizeof(uc)));
	memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	REQUIRE_EQ(uc.pid, rump_sys_getpid());
	REQUIRE_EQ(uc.uid, 0);
	REQUIRE_EQ(uc.gid, 0);
	/* Someone else's credentials: EPERM unless root. */
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setuid(1000));
	cm = (struct cmsghdr *)cbuf;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(uc));
	uc.pid = rump_sys_getpid();
	uc.uid = 0;
	uc.gid = 0;
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	iov.iov_len = 1;
	REQUIRE_ERRNO(rump_sys_sendmsg(sv[0], &mh, 0), EPERM);
	uc.uid = 1000;
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	REQUIRE_EQ(rump_sys_sendmsg(sv[0], &mh, 0), 1);
	mh.msg_controllen = sizeof(cbuf);
	iov.iov_len = sizeof(buf);
	REQUIRE_EQ(rump_sys_recvmsg(sv[1], &mh, 0), 1);
	cm = CMSG_FIRSTHDR(&mh);
	memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	REQUIRE_EQ(uc.uid, 1000);
	REQUIRE_EQ(uc.pid, rump_sys_getpid());
	/* Without SO_PASSCRED at the receiver, none arrive. */
	on = 0;
	REQUIRE_OK(rump_sys_setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	xwrite(sv[0], "n");
	mh.msg_controllen = sizeof(cbuf);
	REQUIRE_EQ(rump_sys_recvmsg(sv[1], &mh, 0), 1);
	REQUIRE_EQ(mh.msg_controllen, 0);
}

/*
 * Out of memory (RUMP_MEMLIMIT=4m): sockets and sends fail with ENOBUFS
 * or ENOMEM, never crash; once closed, every socket and mbuf is back and
 * sockets work again.
 */
TESTCASE(memlimit)
{
	static int fds[2000];
	static char chunk[65536];
	unsigned long sockets, mbufs;
	int n = 0, sv[2], failures = 0;
	ssize_t w;

	REQUIRE_EQ(setenv("RUMP_MEMLIMIT", "4m", 1), 0);
	REQUIRE_EQ(rump_init(), 0);
	sockets = rump_test_socket_count();
	mbufs = rump_test_mbuf_count();
	memset(chunk, 'm', sizeof(chunk));
	while (n + 2 <= (int)(sizeof(fds) / sizeof(fds[0]))) {
		if (rump_sys_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
			sv) == -1) {
			REQUIRE(errno == ENOBUFS || errno == ENOMEM || errno == EMFILE);
			failures += errno != EMFILE;
			break;
		}
		fds[n++] = sv[0];
		fds[n++] = sv[1];
		while ((w = rump_sys_write(sv[0], chunk, sizeof(chunk))) > 0)
			continue;
		REQUIRE(errno == EAGAIN || errno == ENOBUFS || errno == ENOMEM);
		failures += errno != EAGAIN;
	}
	REQUIRE(failures > 0);
	while (n > 0)
		REQUIRE_OK(rump_sys_close(fds[--n]));
	REQUIRE_EQ(rump_test_socket_count(), sockets);
	REQUIRE_EQ(rump_test_mbuf_count(), mbufs);
	REQUIRE_OK(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	xwrite(sv[0], "alive");
	xread(sv[1], "alive");
}

/*
 * Threads of one process pass random descriptors over random sockets,
 * receive and close what they get, and close sockets under each other
 * (EBADF is fine).  Afterwards every socket is gone: references of
 * descriptors in flight are neither lost nor leaked, cycles included.
 */
#define NSLOTS   32
#define NTHREADS 4
#define NOPS     20000

static int stress_slot[NSLOTS];
static pthread_mutex_t stress_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t stress_pid;

static int
stress_pick(unsigned *seed)
{
	int fd;

	pthread_mutex_lock(&stress_lock);
	fd = stress_slot[rand_r(seed) % NSLOTS];
	pthread_mutex_unlock(&stress_lock);
	return fd;
}

static void *
stress_thread(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	int sv[2], got[4], i, k;
	char c;

	if (rump_pub_lwproc_newlwp(stress_pid) != 0)
		return (void *)1;
	for (i = 0; i < NOPS; i++) {
		switch (rand_r(&seed) % 5) {
		case 0:         /* a new pair into two slots, closing what was there */
			if (rump_sys_socketpair(AF_UNIX, (rand_r(&seed) & 1) ?
				SOCK_STREAM : SOCK_DGRAM, 0, sv) != 0)
				break;
			for (k = 0; k < 2; k++) {
				int old, slot = rand_r(&seed) % NSLOTS;

				pthread_mutex_lock(&stress_lock);
				old = stress_slot[slot];
				stress_slot[slot] = sv[k];
				pthread_mutex_unlock(&stress_lock);
				if (old >= 0)
					rump_sys_close(old);
			}
			break;
		case 1:
		case 2: {       /* pass one or two descriptors */
			int fds[2] = { stress_pick(&seed), stress_pick(&seed) };
			int s = stress_pick(&seed);
			char cbuf[CMSG_SPACE(2 * sizeof(int))];
			struct iovec iov = { .iov_base = "r", .iov_len = 1 };
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
			struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
			memcpy(CMSG_DATA(cm), fds, sizeof(fds));
			(void)rump_sys_sendmsg(s, &mh, MSG_DONTWAIT);
			break;
		}
		case 3: {       /* receive whatever is there, close what came */
			int s = stress_pick(&seed);
			char cbuf[CMSG_SPACE(4 * sizeof(int))];
			struct iovec iov = { .iov_base = &c, .iov_len = 1 };
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
			struct cmsghdr *cm;

			if (rump_sys_recvmsg(s, &mh, MSG_DONTWAIT) < 0)
				break;
			for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
				int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
				memcpy(got, CMSG_DATA(cm), n * sizeof(int));
				for (k = 0; k < n; k++)
					rump_sys_close(got[k]);
			}
			break;
		}
		default: {      /* close a slot */
			int slot = rand_r(&seed) % NSLOTS, old;

			pthread_mutex_lock(&stress_lock);
			old = stress_slot[slot];
			stress_slot[slot] = -1;
			pthread_mutex_unlock(&stress_lock);
			if (old >= 0)
				rump_sys_close(old);
			break;
		}
		}
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TESTCASE(rights_stress)
{
	unsigned long base = rump_test_socket_count();
	pthread_t th[NTHREADS];
	struct lwp *me;
	void *rv;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	me = rump_pub_lwproc_curlwp();
	stress_pid = rump_sys_getpid();
	for (int i = 0; i < NSLOTS; i++)
		stress_slot[i] = -1;
	for (int i = 0; i < NTHREADS; i++)
		REQUIRE_EQ(pthread_create(&th[i], NULL, stress_thread,
		    (void *)(uintptr_t)(i + 1)), 0);
	for (int i = 0; i < NTHREADS; i++) {
		REQUIRE_EQ(pthread_join(th[i], &rv), 0);
		REQUIRE(rv == NULL);
	}
	rump_pub_lwproc_switch(me);
	for (int i = 0; i < NSLOTS; i++)
		if (stress_slot[i] >= 0)
			rump_sys_close(stress_slot[i]);
	/* Descriptors received and never closed are in no slot: the table. */
	for (int fd = 0; fd < 1024; fd++)
		(void)rump_sys_close(fd);
	REQUIRE_EQ(wait_count(base), base);
}

/* The chat: NCLIENTS clients, each its own process and thread, on one server. */
#define NCLIENTS 100
#define NMSGS    5
#define MSGLEN   16

struct client {
	int id;
	int error;
	unsigned char seen[NCLIENTS][NMSGS];
};

static void
fullread(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = rump_sys_read(fd, buf + got, len - got);
		if (n <= 0)
			TEST_FAIL("read: %zd errno %d", n, errno);
		got += (size_t)n;
	}
}

static void *
chat_client(void *arg)
{
	struct client *cl = arg;
	char msg[MSGLEN];
	int s, from, seq;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		cl->error = 1;
		return NULL;
	}
	s = connector("/chat", SOCK_STREAM);
	for (int j = 0; j < NMSGS; j++) {
		snprintf(msg, sizeof(msg), "%03d %03d chat..", cl->id, j);
		if (rump_sys_write(s, msg, MSGLEN) != MSGLEN)
			cl->error = 2;
	}
	for (int k = 0; k < (NCLIENTS - 1) * NMSGS; k++) {
		fullread(s, msg, MSGLEN);
		if (sscanf(msg, "%d %d", &from, &seq) != 2 || from < 0 ||
		    from >= NCLIENTS || seq < 0 || seq >= NMSGS || from == cl->id)
			cl->error = 3;
		else if (cl->seen[from][seq]++)
			cl->error = 4;
	}
	rump_sys_close(s);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TESTCASE(chat_100)
{
	static struct client clients[NCLIENTS];
	struct pollfd pfd[NCLIENTS + 1];
	pthread_t th[NCLIENTS];
	int conn[NCLIENTS], owner[NCLIENTS], nconn = 0, l, done = 0;
	char msg[MSGLEN];

	l = listener("/chat", SOCK_STREAM, NCLIENTS);
	for (int i = 0; i < NCLIENTS; i++) {
		clients[i].id = i;
		REQUIRE_EQ(pthread_create(&th[i], NULL, chat_client, &clients[i]), 0);
	}
	/* Accept everyone first, then relay every message to every other client. */
	while (nconn < NCLIENTS) {
		REQUIRE_OK(conn[nconn] = rump_sys_accept(l, NULL, NULL));
		owner[nconn] = -1;
		nconn++;
	}
	while (done < NCLIENTS * NMSGS) {
		for (int i = 0; i < NCLIENTS; i++) {
			pfd[i].fd = conn[i];
			pfd[i].events = POLLIN;
		}
		REQUIRE(rump_sys_poll(pfd, NCLIENTS, 10000) > 0);
		for (int i = 0; i < NCLIENTS; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			fullread(conn[i], msg, MSGLEN);
			owner[i] = atoi(msg);
			for (int k = 0; k < NCLIENTS; k++)
				if (k != i)
					REQUIRE_EQ(rump_sys_write(conn[k], msg, MSGLEN), MSGLEN);
			done++;
		}
	}
	for (int i = 0; i < NCLIENTS; i++) {
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
		REQUIRE_EQ(clients[i].error, 0);
		for (int f = 0; f < NCLIENTS; f++)
			for (int j = 0; j < NMSGS; j++)
				REQUIRE_EQ(clients[i].seen[f][j], f == i ? 0 : 1);
	}
	for (int i = 0; i < NCLIENTS; i++)
		REQUIRE(owner[i] >= 0);
}

TESTS(CASE(stream_path), CASE(path_node_ops), CASE(bind_errors), CASE(abstract_names),
    CASE(autobind), CASE(dgram), CASE(dgram_full), CASE(seqpacket),
    CASE(socketpair_types), CASE(peercred_connect), CASE(backlog),
    CASE(backlog_wait), CASE(epipe_reset), CASE(stream_oob), CASE(rights_local),
    CASE(rights_across_processes), CASE(rights_inflight_freed),
    CASE(rights_gc_cycle), CASE(rights_stress), CASE(credentials),
    CASE_NOBOOT(memlimit),
    CASE(chat_100))
