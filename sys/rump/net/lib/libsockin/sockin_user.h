/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The sockin component's hypercalls (rumpcomp_sockin_*), implemented on
 * the host by sockin_user.c (library librumpcomp_sockin) and called by
 * sockin.c: the host's own sockets, always non-blocking, and one epoll
 * set that reports which of them are ready.  Addresses and option values
 * are Linux's on both sides, so they pass through unchanged.  Each call
 * returns 0 or an errno; none blocks but rumpcomp_sockin_wait, which is
 * called with the virtual CPU given up.  Includes nothing.
 */
#ifndef _SOCKIN_USER_H_
#define _SOCKIN_USER_H_

struct iovec;

/* Readiness, as epoll reports it. */
#define SOCKIN_IN  0x1
#define SOCKIN_OUT 0x4
#define SOCKIN_ERR 0x8
#define SOCKIN_HUP 0x10

struct sockin_event {
	unsigned long long se_cookie;
	unsigned se_events;             /* SOCKIN_* */
};

int rumpcomp_sockin_init(void);
int rumpcomp_sockin_socket(int family, int type, int proto, int *fdp);
int rumpcomp_sockin_close(int fd);
int rumpcomp_sockin_bind(int fd, const void *sa, unsigned salen);
/* 0, or EINPROGRESS and the result later as SO_ERROR. */
int rumpcomp_sockin_connect(int fd, const void *sa, unsigned salen);
int rumpcomp_sockin_listen(int fd, int backlog);
/* EAGAIN when none is waiting. */
int rumpcomp_sockin_accept(int fd, int *newfdp);
int rumpcomp_sockin_sendmsg(int fd, const struct iovec *iov, int iovcnt,
    const void *to, unsigned tolen, int flags, unsigned long *sentp);
/* *gotp 0 at end of stream; *fromlenp in: room, out: length. */
int rumpcomp_sockin_recvmsg(int fd, const struct iovec *iov, int iovcnt,
    void *from, unsigned *fromlenp, int flags, unsigned long *gotp,
    int *msgflagsp);
int rumpcomp_sockin_shutdown(int fd, int how);
int rumpcomp_sockin_getname(int fd, int peer, void *sa, unsigned *salenp);
int rumpcomp_sockin_getsockopt(int fd, int level, int name, void *val,
    unsigned *lenp);
int rumpcomp_sockin_setsockopt(int fd, int level, int name,
    const void *val, unsigned len);
/* Bytes waiting to be read (FIONREAD). */
int rumpcomp_sockin_nread(int fd, int *np);
/*
 * Watch fd for events (SOCKIN_IN/OUT), reported with cookie; 0 takes it
 * out of the set.  A new socket is watched for nothing.
 */
int rumpcomp_sockin_watch(int fd, unsigned events, unsigned long long cookie);
/* Wait for readiness or a wake; *np events filled in (0 after a wake). */
int rumpcomp_sockin_wait(struct sockin_event *ev, int max, int *np);
void rumpcomp_sockin_wake(void);

#endif /* _SOCKIN_USER_H_ */
