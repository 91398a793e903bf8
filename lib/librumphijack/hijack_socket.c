/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Sockets.  socket(2) and socketpair(2) of a domain named in socket=
 * go to the kernel (attaching it); every other socket call follows its
 * descriptor.  send and recv are sendto and recvfrom with no address.
 * accept's new descriptor is the listening socket's side's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

static bool
kernel_domain(int domain)
{
	unsigned bit;

	if (hj_inside)
		return false;
	switch (domain) {
	case AF_UNIX:
		bit = HJ_SOCK_LOCAL;
		break;
	case AF_INET:
		bit = HJ_SOCK_INET;
		break;
	case AF_INET6:
		bit = HJ_SOCK_INET6;
		break;
	default:
		bit = HJ_SOCK_OTHER;
	}
	return (hj_cfg.sockdoms & bit) != 0;
}

HJ_API int
socket(int domain, int type, int proto)
{
	int kfd;
	REAL(int (*)(int, int, int), socket);

	if (!kernel_domain(domain))
		return hj_socket_fn(domain, type, proto);
	if (hj_attach() == -1)
		return -1;
	if ((kfd = KCALL(rump_sys_socket(domain, type, proto))) < 0)
		return -1;
	return hj_fd_install(kfd, type & SOCK_CLOEXEC);
}

HJ_API int
socketpair(int domain, int type, int proto, int sv[2])
{
	int ksv[2];
	REAL(int (*)(int, int, int, int *), socketpair);

	if (!kernel_domain(domain))
		return hj_socketpair_fn(domain, type, proto, sv);
	if (hj_attach() == -1 ||
	    KCALL(rump_sys_socketpair(domain, type, proto, ksv)) == -1)
		return -1;
	if ((sv[0] = hj_fd_install(ksv[0], type & SOCK_CLOEXEC)) < 0) {
		KCALL(rump_sys_close(ksv[1]));
		return -1;
	}
	if ((sv[1] = hj_fd_install(ksv[1], type & SOCK_CLOEXEC)) < 0) {
		close(sv[0]);
		return -1;
	}
	return 0;
}

#define SOCKCALL(rtype, name, decl, hostargs, kcall)                          \
	HJ_API rtype name decl                                                \
	{                                                                     \
		int k = hj_kfd(s);                                            \
		REAL(__typeof__(&name), name);                                \
		if (k < 0)                                                    \
			return hj_##name##_fn hostargs;                       \
		return KCALL(kcall);                                          \
	}

SOCKCALL(int, bind, (int s, const struct sockaddr *a, socklen_t l),
    (s, a, l), rump_sys_bind(k, a, l))
SOCKCALL(int, connect, (int s, const struct sockaddr *a, socklen_t l),
    (s, a, l), rump_sys_connect(k, a, l))
SOCKCALL(int, listen, (int s, int backlog), (s, backlog),
    rump_sys_listen(k, backlog))
SOCKCALL(int, shutdown, (int s, int how), (s, how), rump_sys_shutdown(k, how))
SOCKCALL(int, getsockname, (int s, struct sockaddr *a, socklen_t *l),
    (s, a, l), rump_sys_getsockname(k, a, l))
SOCKCALL(int, getpeername, (int s, struct sockaddr *a, socklen_t *l),
    (s, a, l), rump_sys_getpeername(k, a, l))
SOCKCALL(int, getsockopt,
    (int s, int lev, int name, void *v, socklen_t *l), (s, lev, name, v, l),
    rump_sys_getsockopt(k, lev, name, v, l))
SOCKCALL(int, setsockopt,
    (int s, int lev, int name, const void *v, socklen_t l),
    (s, lev, name, v, l), rump_sys_setsockopt(k, lev, name, v, l))
SOCKCALL(ssize_t, sendto,
    (int s, const void *b, size_t n, int f, const struct sockaddr *a,
	socklen_t l),
    (s, b, n, f, a, l), rump_sys_sendto(k, b, n, f, a, l))
SOCKCALL(ssize_t, recvfrom,
    (int s, void *b, size_t n, int f, struct sockaddr *a, socklen_t *l),
    (s, b, n, f, a, l), rump_sys_recvfrom(k, b, n, f, a, l))
SOCKCALL(ssize_t, send, (int s, const void *b, size_t n, int f),
    (s, b, n, f), rump_sys_sendto(k, b, n, f, NULL, 0))
SOCKCALL(ssize_t, recv, (int s, void *b, size_t n, int f), (s, b, n, f),
    rump_sys_recvfrom(k, b, n, f, NULL, NULL))
SOCKCALL(ssize_t, sendmsg, (int s, const struct msghdr *m, int f),
    (s, m, f), rump_sys_sendmsg(k, m, f))
SOCKCALL(ssize_t, recvmsg, (int s, struct msghdr *m, int f), (s, m, f),
    rump_sys_recvmsg(k, m, f))

HJ_API int
accept4(int s, struct sockaddr *a, socklen_t *l, int flags)
{
	int k = hj_kfd(s), nk;
	REAL(int (*)(int, struct sockaddr *, socklen_t *, int), accept4);

	if (k < 0)
		return hj_accept4_fn(s, a, l, flags);
	if ((nk = KCALL(rump_sys_accept4(k, a, l, flags))) < 0)
		return -1;
	return hj_fd_install(nk, flags & SOCK_CLOEXEC);
}

HJ_API int
accept(int s, struct sockaddr *a, socklen_t *l)
{
	REAL(int (*)(int, struct sockaddr *, socklen_t *), accept);

	if (hj_kfd(s) < 0)
		return hj_accept_fn(s, a, l);
	return accept4(s, a, l, 0);
}
