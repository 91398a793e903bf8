/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The host side of sockin (sockin_user.h): Linux sockets, each made
 * non-blocking and close-on-exec, and one epoll set whose waiter an
 * eventfd wakes.  Nothing here keeps state of a socket: the kernel side
 * owns each descriptor and closes it.  Host code: libc only.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sockin_user.h"

#define VIS __attribute__((__visibility__("default")))

static int sockin_epfd = -1, sockin_wakefd = -1;

#define WAKE_COOKIE (~0ULL)

VIS int
rumpcomp_sockin_init(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = WAKE_COOKIE };

	if ((sockin_epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (sockin_wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1 ||
	    epoll_ctl(sockin_epfd, EPOLL_CTL_ADD, sockin_wakefd, &ev) == -1)
		return errno;
	return 0;
}

static int
rv(int r)
{
	return r == -1 ? errno : 0;
}

VIS int
rumpcomp_sockin_socket(int family, int type, int proto, int *fdp)
{
	int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

	if (fd == -1)
		return errno;
	*fdp = fd;
	return 0;
}

VIS int
rumpcomp_sockin_close(int fd)
{
	return rv(close(fd));
}

VIS int
rumpcomp_sockin_bind(int fd, const void *sa, unsigned salen)
{
	return rv(bind(fd, sa, salen));
}

VIS int
rumpcomp_sockin_connect(int fd, const void *sa, unsigned salen)
{
	return rv(connect(fd, sa, salen));
}

VIS int
rumpcomp_sockin_listen(int fd, int backlog)
{
	return rv(listen(fd, backlog));
}

VIS int
rumpcomp_sockin_accept(int fd, int *newfdp)
{
	int nfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (nfd == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	*newfdp = nfd;
	return 0;
}

VIS int
rumpcomp_sockin_sendmsg(int fd, const struct iovec *iov, int iovcnt,
    const void *to, unsigned tolen, int flags, unsigned long *sentp)
{
	struct msghdr mh = { .msg_name = (void *)to, .msg_namelen = tolen,
		.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt };
	ssize_t n = sendmsg(fd, &mh, flags | MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	*sentp = (unsigned long)n;
	return 0;
}

VIS int
rumpcomp_sockin_recvmsg(int fd, const struct iovec *iov, int iovcnt,
    void *from, unsigned *fromlenp, int flags, unsigned long *gotp,
    int *msgflagsp)
{
	struct msghdr mh = { .msg_name = from,
		.msg_namelen = fromlenp != NULL ? *fromlenp : 0,
		.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt };
	ssize_t n = recvmsg(fd, &mh, flags | MSG_DONTWAIT);

	if (n == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	if (fromlenp != NULL)
		*fromlenp = mh.msg_namelen;
	*gotp = (unsigned long)n;
	*msgflagsp = mh.msg_flags;
	return 0;
}

VIS int
rumpcomp_sockin_shutdown(int fd, int how)
{
	return rv(shutdown(fd, how));
}

VIS int
rumpcomp_sockin_getname(int fd, int peer, void *sa, unsigned *salenp)
{
	socklen_t l = *salenp;
	int r = peer ? getpeername(fd, sa, &l) : getsockname(fd, sa, &l);

	*salenp = l;
	return rv(r);
}

VIS int
rumpcomp_sockin_getsockopt(int fd, int level, int name, void *val,
    unsigned *lenp)
{
	socklen_t l = *lenp;
	int r = getsockopt(fd, level, name, val, &l);

	*lenp = l;
	return rv(r);
}

VIS int
rumpcomp_sockin_setsockopt(int fd, int level, int name, const void *val,
    unsigned len)
{
	return rv(setsockopt(fd, level, name, val, len));
}

VIS int
rumpcomp_sockin_nread(int fd, int *np)
{
	return rv(ioctl(fd, FIONREAD, np));
}

VIS int
rumpcomp_sockin_watch(int fd, unsigned events, unsigned long long cookie)
{
	struct epoll_event ev = { .events = 0, .data.u64 = cookie };

	if (events & SOCKIN_IN)
		ev.events |= EPOLLIN | EPOLLRDHUP;
	if (events & SOCKIN_OUT)
		ev.events |= EPOLLOUT;
	/*
	 * Nothing to watch: out of the set, since epoll reports a hang-up
	 * whatever the mask says, and a closed connection would spin.
	 */
	if (events == 0)
		return epoll_ctl(sockin_epfd, EPOLL_CTL_DEL, fd, NULL) == -1 &&
		    errno != ENOENT ? errno : 0;
	if (epoll_ctl(sockin_epfd, EPOLL_CTL_MOD, fd, &ev) == 0)
		return 0;
	return errno == ENOENT ? rv(epoll_ctl(sockin_epfd, EPOLL_CTL_ADD, fd,
	    &ev)) : errno;
}

VIS int
rumpcomp_sockin_wait(struct sockin_event *out, int max, int *np)
{
	struct epoll_event ev[64];
	uint64_t v;
	int n, i, k = 0;

	if (max > 64)
		max = 64;
	while ((n = epoll_wait(sockin_epfd, ev, max, -1)) == -1)
		if (errno != EINTR)
			return errno;
	for (i = 0; i < n; i++) {
		if (ev[i].data.u64 == WAKE_COOKIE) {
			if (read(sockin_wakefd, &v, sizeof(v)) == -1 &&
			    errno != EAGAIN)
				return errno;
			continue;
		}
		out[k].se_cookie = ev[i].data.u64;
		out[k].se_events =
		    ((ev[i].events & EPOLLIN) ? SOCKIN_IN : 0) |
		    ((ev[i].events & EPOLLOUT) ? SOCKIN_OUT : 0) |
		    ((ev[i].events & EPOLLERR) ? SOCKIN_ERR : 0) |
		    ((ev[i].events & (EPOLLHUP | EPOLLRDHUP)) ? SOCKIN_HUP : 0);
		k++;
	}
	*np = k;
	return 0;
}

VIS void
rumpcomp_sockin_wake(void)
{
	uint64_t one = 1;

	if (write(sockin_wakefd, &one, sizeof(one)) == -1)
		return;         /* already non-zero: the waiter will see it */
}
