/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * poll(2), ppoll(2), select(2), pselect(2), and the selinfo wakeups they
 * sleep on (see sys/select.h).
 *
 * One engine serves all four: it scans a pollfd array, asking each file's
 * fo_poll, and while nothing is ready and time remains it sleeps on its
 * own condition variable until a selnotify() on any recorded selinfo.
 * Each scan that may be followed by a sleep records the poller anew, and
 * every record is taken off its selinfo before the next scan, so a
 * record never outlives the file reference that keeps its selinfo alive.
 *
 * There are no signals in a rump kernel: the signal masks of ppoll and
 * pselect block nothing and are ignored.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/poll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "syscallargs.h"

#define TIMO_FOREVER (-1)
/* The longest single sleep: the host's clock arithmetic stays small. */
#define SLEEP_MAX_NS (3600 * NSEC_PER_SEC)

/* What select's three sets mean in poll events, as Linux has it. */
#define SEL_IN  (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SEL_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SEL_EX  (POLLPRI)

void
selinit(struct selinfo *sip, kmutex_t *interlock)
{
	sip->si_lock = interlock;
	LIST_INIT(&sip->si_recs);
}

void
seldestroy(struct selinfo *sip)
{
	KASSERTMSG(LIST_EMPTY(&sip->si_recs), "selinfo %p: pollers remain",
	    sip);
}

void
selrecord(struct pollwait *pw, struct selinfo *sip)
{
	struct selrec *sr;

	KASSERT(mutex_owned(sip->si_lock));
	KASSERTMSG(pw->pw_nrecs < pw->pw_maxrecs,
	    "selrecord: more than %d records for one descriptor", SEL_MAXRECS);
	sr = &pw->pw_recs[pw->pw_nrecs++];
	sr->sr_sel = sip;
	sr->sr_pw = pw;
	sr->sr_events = pw->pw_events;
	LIST_INSERT_HEAD(&sip->si_recs, sr, sr_link);
}

void
selnotify(struct selinfo *sip, int events)
{
	struct selrec *sr;
	struct pollwait *pw;

	KASSERT(mutex_owned(sip->si_lock));
	LIST_FOREACH(sr, &sip->si_recs, sr_link) {
		if ((sr->sr_events & events) == 0)
			continue;
		pw = sr->sr_pw;
		mutex_enter(&pw->pw_lock);
		pw->pw_fired = true;
		cv_signal(&pw->pw_cv);
		mutex_exit(&pw->pw_lock);
	}
}

/*
 * The state of one poll: the requests, the files a scan holds, the
 * poller.  Allocated as one block: records, file pointers, pollfds.
 * Only the polling thread touches it, except ps_pw as select.h says.
 */
struct pollset {
	struct pollfd *ps_fds;
	struct file **ps_files;
	nfds_t ps_nfds;
	size_t ps_size;
	struct pollwait ps_pw;
};

static int
pollset_init(struct pollset *ps, nfds_t nfds)
{
	size_t recsize = (size_t)nfds * SEL_MAXRECS * sizeof(struct selrec);
	size_t filesize = (size_t)nfds * sizeof(struct file *);
	char *mem = NULL;

	memset(ps, 0, sizeof(*ps));
	ps->ps_nfds = nfds;
	ps->ps_size = recsize + filesize + nfds * sizeof(struct pollfd);
	if (nfds > 0 && (mem = kmem_zalloc(ps->ps_size, KM_SLEEP)) == NULL)
		return ENOMEM;
	ps->ps_pw.pw_recs = (struct selrec *)mem;
	ps->ps_pw.pw_maxrecs = nfds * SEL_MAXRECS;
	ps->ps_files = (struct file **)(mem + recsize);
	ps->ps_fds = (struct pollfd *)(mem + recsize + filesize);
	mutex_init(&ps->ps_pw.pw_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ps->ps_pw.pw_cv, "poll");
	return 0;
}

static void
pollset_fini(struct pollset *ps)
{
	cv_destroy(&ps->ps_pw.pw_cv);
	mutex_destroy(&ps->ps_pw.pw_lock);
	if (ps->ps_nfds > 0)
		kmem_free(ps->ps_pw.pw_recs, ps->ps_size);
}

/* Take the poller off every selinfo and drop the files of the scan. */
static void
pollset_release(struct pollset *ps)
{
	struct pollwait *pw = &ps->ps_pw;
	struct selrec *sr;

	for (unsigned i = 0; i < pw->pw_nrecs; i++) {
		sr = &pw->pw_recs[i];
		mutex_enter(sr->sr_sel->si_lock);
		LIST_REMOVE(sr, sr_link);
		mutex_exit(sr->sr_sel->si_lock);
	}
	pw->pw_nrecs = 0;
	for (nfds_t i = 0; i < ps->ps_nfds; i++) {
		if (ps->ps_files[i] != NULL) {
			fd_putfile(ps->ps_files[i]);
			ps->ps_files[i] = NULL;
		}
	}
}

/*
 * Ask every file once; record the poller (when record) until something
 * turns out ready.  Returns the number of entries with revents, or -1
 * with *errorp set when selmode finds a descriptor not open.
 */
static int
pollset_scan(struct pollset *ps, bool record, bool selmode, int *errorp)
{
	struct pollwait *pw = &ps->ps_pw;
	struct pollfd *pfd;
	struct file *fp;
	int events, n = 0;

	for (nfds_t i = 0; i < ps->ps_nfds; i++) {
		pfd = &ps->ps_fds[i];
		pfd->revents = 0;
		if (pfd->fd < 0)
			continue;
		if (fd_getfile(pfd->fd, &fp) != 0) {
			if (selmode) {
				*errorp = EBADF;
				return -1;
			}
			pfd->revents = POLLNVAL;
			n++;
			continue;
		}
		ps->ps_files[i] = fp;
		/* poll(2) reports errors and hangups whether asked or not. */
		events = (unsigned short)pfd->events;
		if (!selmode)
			events |= POLLERR | POLLHUP;
		pw->pw_events = events;
		if (fp->f_ops->fo_poll == NULL)
			pfd->revents = (short)(events & (POLLIN | POLLOUT |
			    POLLRDNORM | POLLWRNORM));
		else
			pfd->revents = (short)fp->f_ops->fo_poll(fp, events,
			    record && n == 0 ? pw : NULL);
		if (pfd->revents != 0)
			n++;
	}
	return n;
}

/*
 * Wait until an entry is ready or timo_ns (TIMO_FOREVER: no limit) has
 * passed.  *nreadyp is the number of entries with revents.
 */
static int
pollset_wait(struct pollset *ps, int64_t timo_ns, bool selmode, int *nreadyp)
{
	struct pollwait *pw = &ps->ps_pw;
	uint64_t now, deadline = 0;
	bool last = timo_ns == 0;
	int error = 0, n;

	if (timo_ns > 0) {
		now = getnsecuptime();
		deadline = (uint64_t)timo_ns > UINT64_MAX - now ? UINT64_MAX :
		    now + (uint64_t)timo_ns;
	}
	for (;;) {
		mutex_enter(&pw->pw_lock);
		pw->pw_fired = false;
		mutex_exit(&pw->pw_lock);
		n = pollset_scan(ps, !last, selmode, &error);
		if (n != 0 || last)
			break;
		mutex_enter(&pw->pw_lock);
		while (!pw->pw_fired) {
			if (timo_ns == TIMO_FOREVER) {
				if (cv_wait_sig(&pw->pw_cv, &pw->pw_lock) != 0) {
					/* A remote client gone (kern_condvar.c). */
					mutex_exit(&pw->pw_lock);
					pollset_release(ps);
					return EINTR;
				}
				continue;
			}
			if ((now = getnsecuptime()) >= deadline) {
				last = true;
				break;
			}
			(void)cv_timedwait_ns(&pw->pw_cv, &pw->pw_lock,
			    MIN(deadline - now, (uint64_t)SLEEP_MAX_NS));
		}
		mutex_exit(&pw->pw_lock);
		pollset_release(ps);
	}
	pollset_release(ps);
	if (n < 0)
		return error;
	*nreadyp = n;
	return 0;
}

/* A time as a timeout in ns, saturating; EINVAL if it is not valid. */
static int
timespec_to_timo(const struct timespec *ts, int64_t *timo)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return EINVAL;
	if (ts->tv_sec >= INT64_MAX / NSEC_PER_SEC)
		*timo = INT64_MAX;
	else
		*timo = timespec_to_ns(ts);
	return 0;
}

static int
dopoll(struct pollfd *ufds, nfds_t nfds, int64_t timo, register_t *rv)
{
	struct pollset ps;
	int error, n;

	if (nfds > fd_getlimit())
		return EINVAL;
	if ((error = pollset_init(&ps, nfds)) != 0)
		return error;
	error = copyin(ufds, ps.ps_fds, nfds * sizeof(struct pollfd));
	if (error == 0)
		error = pollset_wait(&ps, timo, false, &n);
	if (error == 0)
		error = copyout(ps.ps_fds, ufds, nfds * sizeof(struct pollfd));
	if (error == 0)
		*rv = n;
	pollset_fini(&ps);
	return error;
}

/* A client's timespec timeout, NULL meaning forever. */
static int
copyin_timo(const struct timespec *uts, int64_t *timop)
{
	struct timespec ts;
	int error;

	*timop = TIMO_FOREVER;
	if (uts == NULL)
		return 0;
	if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
		return error;
	return timespec_to_timo(&ts, timop);
}

int
sys_poll(struct lwp *l, const struct sys_poll_args *uap, register_t *rv)
{
	int64_t timo = uap->timeout < 0 ? TIMO_FOREVER :
	    (int64_t)uap->timeout * (NSEC_PER_SEC / 1000);

	(void)l;
	return dopoll(uap->fds, uap->nfds, timo, rv);
}

int
sys_ppoll(struct lwp *l, const struct sys_ppoll_args *uap, register_t *rv)
{
	int64_t timo;
	int error;

	(void)l;
	if ((error = copyin_timo(uap->ts, &timo)) != 0)
		return error;
	return dopoll(uap->fds, uap->nfds, timo, rv);
}

/*
 * select on the poll engine: one pollfd per descriptor in any set, and
 * the results mapped back to the sets.  Only the first nd bits of each
 * set are read and written, rounded up to whole longs.
 */
static int
doselect(int nd, fd_set *uset[3], int64_t timo, register_t *rv)
{
	static const int selev[3] = { SEL_IN, SEL_OUT, SEL_EX };
	fd_set in[3], out[3];
	struct pollset ps;
	struct pollfd *pfd;
	size_t setsize;
	nfds_t nfds = 0;
	int error, n, count = 0;

	if (nd < 0 || nd > FD_SETSIZE)
		return EINVAL;
	setsize = howmany((size_t)nd, (size_t)NFDBITS) * sizeof(long);
	memset(in, 0, sizeof(in));
	memset(out, 0, sizeof(out));
	for (int s = 0; s < 3; s++) {
		if (uset[s] != NULL &&
		    (error = copyin(uset[s], &in[s], setsize)) != 0)
			return error;
	}
	for (int fd = 0; fd < nd; fd++)
		if (FD_ISSET(fd, &in[0]) || FD_ISSET(fd, &in[1]) ||
		    FD_ISSET(fd, &in[2]))
			nfds++;
	if ((error = pollset_init(&ps, nfds)) != 0)
		return error;
	pfd = ps.ps_fds;
	for (int fd = 0; fd < nd; fd++) {
		int events = 0;

		for (int s = 0; s < 3; s++)
			if (FD_ISSET(fd, &in[s]))
				events |= selev[s];
		if (events != 0) {
			pfd->fd = fd;
			pfd->events = (short)events;
			pfd++;
		}
	}
	if ((error = pollset_wait(&ps, timo, true, &n)) != 0)
		goto out;
	for (nfds_t i = 0; i < nfds; i++) {
		pfd = &ps.ps_fds[i];
		for (int s = 0; s < 3; s++) {
			if (FD_ISSET(pfd->fd, &in[s]) &&
			    (pfd->revents & selev[s]) != 0) {
				FD_SET(pfd->fd, &out[s]);
				count++;
			}
		}
	}
	for (int s = 0; s < 3 && error == 0; s++)
		if (uset[s] != NULL)
			error = copyout(&out[s], uset[s], setsize);
	if (error == 0)
		*rv = count;
out:
	pollset_fini(&ps);
	return error;
}

/* Linux writes what is left of the timeout back; a fault there is no error. */
int
sys_select(struct lwp *l, const struct sys_select_args *uap, register_t *rv)
{
	fd_set *sets[3] = { uap->in, uap->ou, uap->ex };
	struct timeval tv;
	int64_t timo = TIMO_FOREVER, left;
	uint64_t start;
	int error;

	(void)l;
	if (uap->tv != NULL) {
		if ((error = copyin(uap->tv, &tv, sizeof(tv))) != 0)
			return error;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return EINVAL;
		tv.tv_sec += tv.tv_usec / 1000000;
		tv.tv_usec %= 1000000;
		if (tv.tv_sec >= INT64_MAX / NSEC_PER_SEC)
			timo = INT64_MAX;
		else
			timo = tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000;
	}
	start = getnsecuptime();
	error = doselect(uap->nd, sets, timo, rv);
	if (error == 0 && uap->tv != NULL) {
		left = timo - (int64_t)(getnsecuptime() - start);
		if (left < 0)
			left = 0;
		tv.tv_sec = (time_t)(left / NSEC_PER_SEC);
		tv.tv_usec = (suseconds_t)(left % NSEC_PER_SEC / 1000);
		(void)copyout(&tv, uap->tv, sizeof(tv));
	}
	return error;
}

int
sys_pselect(struct lwp *l, const struct sys_pselect_args *uap,
    register_t *rv)
{
	fd_set *sets[3] = { uap->in, uap->ou, uap->ex };
	int64_t timo;
	int error;

	(void)l;
	if ((error = copyin_timo(uap->ts, &timo)) != 0)
		return error;
	return doselect(uap->nd, sets, timo, rv);
}
