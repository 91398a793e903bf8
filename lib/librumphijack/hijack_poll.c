/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Waiting on host and kernel descriptors at once: poll, ppoll, select,
 * pselect, epoll.  When all descriptors are on one side, that side's
 * call does it.  When both are, the kernel's are polled without waiting,
 * then the host's are waited on for a slice (1 ms, doubling up to
 * POLL_SLICE_MAX), and again until one side is ready or the time is up;
 * the answers are merged.  No kernel call blocks meanwhile: librumpclient
 * makes one call at a time per process, so another thread's kernel call
 * (the write that would wake us) goes through.  A kernel event is seen
 * within POLL_SLICE_MAX.  A ppoll's signal mask applies to the host
 * half.
 *
 * epoll: the epoll instance is the host's.  A kernel descriptor added
 * to it is kept in the instance's list here (its events and data);
 * epoll_wait over an instance with such a list polls the instance
 * itself (readable when it has host events) and the kernel descriptors
 * together, then collects the host's events with a zero-timeout
 * epoll_wait and adds the kernel's.  EPOLLET and EPOLLONESHOT are not
 * supported on kernel descriptors (level-triggered only; EINVAL).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define POLL_SLICE_MAX 16       /* ms */

/* Milliseconds left until the deadline, 0 when passed; -1 forever. */
static int
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	if (deadline == NULL)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
	    (deadline->tv_nsec - now.tv_nsec + 999999) / 1000000;
	return ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

/*
 * fds have host numbers; sigmask, when not NULL, is for the host half.
 * Returns as poll(2).
 */
static int
poll_split(struct pollfd *fds, nfds_t nfds, int timeout,
    const sigset_t *sigmask)
{
	REAL(int (*)(struct pollfd *, nfds_t, const struct timespec *,
	    const sigset_t *), ppoll);
	struct pollfd *hfds = NULL, *kfds = NULL;
	nfds_t i, nh = 0, nk = 0;
	int k, rv = -1, kr, left, slice = 1;
	struct timespec deadline, ts;

	for (i = 0; i < nfds; i++)
		if (hj_kfd(fds[i].fd) >= 0)
			nk++;
	if (nk == 0) {
		if (timeout < 0)
			return hj_ppoll_fn(fds, nfds, NULL, sigmask);
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (timeout % 1000) * 1000000L;
		return hj_ppoll_fn(fds, nfds, &ts, sigmask);
	}
	if ((hfds = calloc(nfds, sizeof(*hfds))) == NULL ||
	    (kfds = calloc(nk, sizeof(*kfds))) == NULL) {
		free(hfds);
		return hj_fd_error(ENOMEM);
	}
	for (nk = 0, i = 0; i < nfds; i++) {
		if ((k = hj_kfd(fds[i].fd)) >= 0) {
			kfds[nk] = fds[i];
			kfds[nk++].fd = k;
		} else
			hfds[nh++] = fds[i];
	}
	if (nh == 0) {
		rv = KCALL(rump_sys_poll(kfds, nk, timeout));
		goto merge;
	}
	if (timeout >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout / 1000;
		deadline.tv_nsec += (timeout % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	for (;;) {
		if ((kr = KCALL(rump_sys_poll(kfds, nk, 0))) != 0) {
			if (kr < 0)
				goto out;
			/* The host's are looked at once more, not waited on. */
			ts = (struct timespec){ 0, 0 };
			rv = hj_ppoll_fn(hfds, nh, &ts, sigmask);
			break;
		}
		left = ms_left(timeout >= 0 ? &deadline : NULL);
		if (left >= 0 && left < slice)
			slice = left;
		ts.tv_sec = slice / 1000;
		ts.tv_nsec = (slice % 1000) * 1000000L;
		rv = hj_ppoll_fn(hfds, nh, &ts, sigmask);
		if (rv != 0)
			break;
		if (slice == left)
			break;
		if (slice < POLL_SLICE_MAX)
			slice *= 2;
	}
	if (rv < 0)
		goto out;
	if (rv > 0 && (kr = KCALL(rump_sys_poll(kfds, nk, 0))) < 0) {
		rv = -1;
		goto out;
	}
	rv = 0;
merge:
	if (rv < 0)
		goto out;
	for (nh = nk = 0, rv = 0, i = 0; i < nfds; i++) {
		if (hj_kfd(fds[i].fd) >= 0)
			fds[i].revents = kfds[nk++].revents;
		else
			fds[i].revents = hfds[nh++].revents;
		if (fds[i].revents != 0)
			rv++;
	}
out:
	free(hfds);
	free(kfds);
	return rv;
}

HJ_API int
poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	return poll_split(fds, nfds, timeout, NULL);
}

static int
ts_ms(const struct timespec *ts)
{
	if (ts == NULL)
		return -1;
	if (ts->tv_sec > 1000000)
		return 1000000000;
	return (int)(ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000);
}

HJ_API int
ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *ts,
    const sigset_t *sigmask)
{
	return poll_split(fds, nfds, ts_ms(ts), sigmask);
}

/* select and pselect as a poll of the set descriptors. */
static int
select_split(int nfd, fd_set *in, fd_set *out, fd_set *ex, int timeout,
    const sigset_t *sigmask)
{
	struct pollfd *pf;
	int fd, n = 0, rv, i;

	if (nfd < 0 || nfd > FD_SETSIZE)
		return hj_fd_error(EINVAL);
	if ((pf = calloc(nfd + 1, sizeof(*pf))) == NULL)
		return hj_fd_error(ENOMEM);
	for (fd = 0; fd < nfd; fd++) {
		short ev = 0;
		if (in != NULL && FD_ISSET(fd, in))
			ev |= POLLIN;
		if (out != NULL && FD_ISSET(fd, out))
			ev |= POLLOUT;
		if (ex != NULL && FD_ISSET(fd, ex))
			ev |= POLLPRI;
		if (ev != 0) {
			pf[n].fd = fd;
			pf[n++].events = ev;
		}
	}
	rv = poll_split(pf, n, timeout, sigmask);
	if (rv < 0) {
		free(pf);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (pf[i].revents & POLLNVAL) {
			free(pf);
			return hj_fd_error(EBADF);
		}
	if (in != NULL)
		FD_ZERO(in);
	if (out != NULL)
		FD_ZERO(out);
	if (ex != NULL)
		FD_ZERO(ex);
	for (rv = 0, i = 0; i < n; i++) {
		short re = pf[i].revents;
		if (in != NULL && (re & (POLLIN | POLLHUP | POLLERR)) &&
		    (pf[i].events & POLLIN)) {
			FD_SET(pf[i].fd, in);
			rv++;
		}
		if (out != NULL && (re & (POLLOUT | POLLERR)) &&
		    (pf[i].events & POLLOUT)) {
			FD_SET(pf[i].fd, out);
			rv++;
		}
		if (ex != NULL && (re & POLLPRI)) {
			FD_SET(pf[i].fd, ex);
			rv++;
		}
	}
	free(pf);
	return rv;
}

static bool
any_kernel(int nfd, fd_set *in, fd_set *out, fd_set *ex)
{
	int fd;

	for (fd = 0; fd < nfd && fd < FD_SETSIZE; fd++)
		if (((in != NULL && FD_ISSET(fd, in)) ||
		    (out != NULL && FD_ISSET(fd, out)) ||
		    (ex != NULL && FD_ISSET(fd, ex))) && hj_kfd(fd) >= 0)
			return true;
	return false;
}

HJ_API int
select(int nfd, fd_set *in, fd_set *out, fd_set *ex, struct timeval *tv)
{
	REAL(int (*)(int, fd_set *, fd_set *, fd_set *, struct timeval *),
	    select);

	if (!any_kernel(nfd, in, out, ex))
		return hj_select_fn(nfd, in, out, ex, tv);
	return select_split(nfd, in, out, ex, tv == NULL ? -1 :
	    (int)(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000), NULL);
}

HJ_API int
pselect(int nfd, fd_set *in, fd_set *out, fd_set *ex,
    const struct timespec *ts, const sigset_t *sigmask)
{
	REAL(int (*)(int, fd_set *, fd_set *, fd_set *,
	    const struct timespec *, const sigset_t *), pselect);

	if (!any_kernel(nfd, in, out, ex))
		return hj_pselect_fn(nfd, in, out, ex, ts, sigmask);
	return select_split(nfd, in, out, ex, ts_ms(ts), sigmask);
}

/* epoll instances with kernel descriptors in them. */
struct kreg {
	int fd;                 /* host number */
	struct epoll_event ev;
};
struct epinst {
	struct epinst *next;
	int epfd;
	struct kreg *regs;
	size_t n;
};
static pthread_mutex_t ep_lock = PTHREAD_MUTEX_INITIALIZER;
static struct epinst *epinsts;

static struct epinst *
ep_find(int epfd, bool create)
{
	struct epinst *e;

	for (e = epinsts; e != NULL && e->epfd != epfd; e = e->next)
		continue;
	if (e == NULL && create && (e = calloc(1, sizeof(*e))) != NULL) {
		e->epfd = epfd;
		e->next = epinsts;
		epinsts = e;
	}
	return e;
}

HJ_API int
epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	struct epinst *e;
	struct kreg *r;
	size_t i;
	int rv = 0;
	REAL(int (*)(int, int, int, struct epoll_event *), epoll_ctl);

	if (hj_kfd(fd) < 0)
		return hj_epoll_ctl_fn(epfd, op, fd, ev);
	if (op != EPOLL_CTL_DEL &&
	    (ev == NULL || (ev->events & (EPOLLET | EPOLLONESHOT))))
		return hj_fd_error(EINVAL);
	pthread_mutex_lock(&ep_lock);
	e = ep_find(epfd, op == EPOLL_CTL_ADD);
	for (i = 0; e != NULL && i < e->n && e->regs[i].fd != fd; i++)
		continue;
	if (e == NULL && op == EPOLL_CTL_ADD)
		rv = hj_fd_error(ENOMEM);
	else if (e == NULL || i == e->n)
		rv = op == EPOLL_CTL_ADD ? 0 : hj_fd_error(ENOENT);
	else if (op == EPOLL_CTL_ADD)
		rv = hj_fd_error(EEXIST);
	if (rv != 0 || e == NULL) {
		pthread_mutex_unlock(&ep_lock);
		return rv;
	}
	switch (op) {
	case EPOLL_CTL_ADD:
		r = realloc(e->regs, (e->n + 1) * sizeof(*r));
		if (r == NULL) {
			rv = hj_fd_error(ENOMEM);
			break;
		}
		e->regs = r;
		e->regs[e->n].fd = fd;
		e->regs[e->n++].ev = *ev;
		break;
	case EPOLL_CTL_MOD:
		e->regs[i].ev = *ev;
		break;
	case EPOLL_CTL_DEL:
		e->regs[i] = e->regs[--e->n];
		break;
	default:
		rv = hj_fd_error(EINVAL);
	}
	pthread_mutex_unlock(&ep_lock);
	return rv;
}

HJ_API int
epoll_pwait(int epfd, struct epoll_event *evs, int max, int timeout,
    const sigset_t *sigmask)
{
	REAL(int (*)(int, struct epoll_event *, int, int, const sigset_t *),
	    epoll_pwait);
	struct epinst *e;
	struct pollfd *pf;
	struct kreg *regs;
	size_t n, i;
	int rv, got = 0;

	pthread_mutex_lock(&ep_lock);
	e = ep_find(epfd, false);
	n = e != NULL ? e->n : 0;
	regs = n != 0 ? malloc(n * sizeof(*regs)) : NULL;
	if (regs != NULL)
		memcpy(regs, e->regs, n * sizeof(*regs));
	pthread_mutex_unlock(&ep_lock);
	if (n == 0)
		return hj_epoll_pwait_fn(epfd, evs, max, timeout, sigmask);
	if (regs == NULL || (pf = calloc(n + 1, sizeof(*pf))) == NULL) {
		free(regs);
		return hj_fd_error(ENOMEM);
	}
	pf[0].fd = epfd;
	pf[0].events = POLLIN;
	for (i = 0; i < n; i++) {
		pf[i + 1].fd = regs[i].fd;
		pf[i + 1].events = regs[i].ev.events &
		    (POLLIN | POLLOUT | POLLPRI | POLLRDHUP);
	}
	rv = poll_split(pf, n + 1, timeout, sigmask);
	if (rv > 0 && (pf[0].revents & POLLIN))
		got = hj_epoll_pwait_fn(epfd, evs, max, 0, NULL);
	if (rv < 0 || got < 0)
		got = -1;
	else
		for (i = 0; i < n && got < max; i++)
			if (pf[i + 1].revents != 0) {
				evs[got].events = pf[i + 1].revents;
				evs[got++].data = regs[i].ev.data;
			}
	free(pf);
	free(regs);
	return got;
}

HJ_API int
epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout)
{
	return epoll_pwait(epfd, evs, max, timeout, NULL);
}
