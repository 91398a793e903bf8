/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Threads and synchronisation on pthreads.
 *
 * Every operation that may block gives the virtual CPU back first (the
 * KLOCK_WRAP upcalls) so that a kernel thread blocked on a lock never keeps
 * a CPU from the thread that holds it.  After a wait on a condition variable
 * the mutex is dropped while a CPU is taken again and then re-entered: a
 * spin mutex's holder may be waiting for that very CPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rumpuser_int.h"

#define NOFAIL(what, call)                                                     \
	do {                                                                   \
		int rv_ = (call);                                              \
		if (rv_ != 0)                                                  \
			rumpuser__hostfail(what, rv_);                         \
	} while (0)

/*
 * Initial-exec: librumpuser is loaded with the program, never dlopen()ed,
 * and this is read on every kernel entry, so avoid __tls_get_addr.
 */
static __thread struct lwp *curlwp_tls __attribute__((tls_model("initial-exec")));

void
rumpuser_curlwp_set(struct lwp *l)
{
	curlwp_tls = l;
}

struct lwp *
rumpuser_curlwp(void)
{
	return curlwp_tls;
}

int
rumpuser__thread_spawn(pthread_t *pt, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int error;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	error = pthread_create(pt, attr, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return error;
}

int
rumpuser_thread_create(void *(*fn)(void *), void *arg, const char *name,
    int joinable, void **cookiep)
{
	pthread_attr_t attr;
	pthread_t *pt;
	char tname[16];
	int error;

	if ((pt = malloc(sizeof(*pt))) == NULL)
		return ENOMEM;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, joinable ? PTHREAD_CREATE_JOINABLE
						    : PTHREAD_CREATE_DETACHED);
	error = rumpuser__thread_spawn(pt, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	if (error) {
		free(pt);
		return error;
	}
	if (name != NULL) {
		strncpy(tname, name, sizeof(tname) - 1);
		tname[sizeof(tname) - 1] = '\0';
		pthread_setname_np(*pt, tname);
	}
	if (joinable)
		*cookiep = pt;
	else
		free(pt);
	return 0;
}

void
rumpuser_thread_exit(void)
{
	pthread_exit(NULL);
}

int
rumpuser_thread_join(void *cookie)
{
	pthread_t *pt = cookie;
	int error;

	KLOCK_WRAP(error = pthread_join(*pt, NULL));
	free(pt);
	return error;
}

struct rumpuser_mtx {
	pthread_mutex_t pthmtx;
	struct lwp *owner;
	int flags;
};

int
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *mtx;

	if ((mtx = malloc(sizeof(*mtx))) == NULL)
		return ENOMEM;
	NOFAIL("mutex init", pthread_mutex_init(&mtx->pthmtx, NULL));
	mtx->owner = NULL;
	mtx->flags = flags;
	*mtxp = mtx;
	return 0;
}

static void
mtx_owned(struct rumpuser_mtx *mtx)
{
	if (mtx->flags & RUMPUSER_MTX_KMUTEX)
		mtx->owner = curlwp_tls;
}

void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{
	NOFAIL("mutex enter", pthread_mutex_lock(&mtx->pthmtx));
	mtx_owned(mtx);
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{
	if (mtx->flags & RUMPUSER_MTX_SPIN) {
		rumpuser_mutex_enter_nowrap(mtx);
		return;
	}
	if (pthread_mutex_trylock(&mtx->pthmtx) != 0)
		KLOCK_WRAP(NOFAIL("mutex enter",
		    pthread_mutex_lock(&mtx->pthmtx)));
	mtx_owned(mtx);
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	int error;

	if ((error = pthread_mutex_trylock(&mtx->pthmtx)) == 0)
		mtx_owned(mtx);
	return error;
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{
	mtx->owner = NULL;
	NOFAIL("mutex exit", pthread_mutex_unlock(&mtx->pthmtx));
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{
	NOFAIL("mutex destroy", pthread_mutex_destroy(&mtx->pthmtx));
	free(mtx);
}

void
rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp)
{
	*lp = mtx->owner;
}

/*
 * Reader/writer locks are built on a mutex and a condition variable rather
 * than pthread_rwlock, which can neither upgrade nor downgrade.  Waiting
 * writers hold new readers back.
 */
struct rumpuser_rw {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct lwp *writer;
	unsigned readers;
	unsigned writers_waiting;
};

int
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;

	if ((rw = calloc(1, sizeof(*rw))) == NULL)
		return ENOMEM;
	NOFAIL("rw init", pthread_mutex_init(&rw->lock, NULL));
	NOFAIL("rw init", pthread_cond_init(&rw->cv, NULL));
	*rwp = rw;
	return 0;
}

static int
rw_available(struct rumpuser_rw *rw, int op, int waiting)
{
	if (op == RUMPUSER_RW_WRITER)
		return rw->writer == NULL && rw->readers == 0;
	return rw->writer == NULL && (rw->writers_waiting == 0 || waiting);
}

static void
rw_take(struct rumpuser_rw *rw, int op)
{
	if (op == RUMPUSER_RW_WRITER)
		rw->writer = curlwp_tls;
	else
		rw->readers++;
}

void
rumpuser_rw_enter(int op, struct rumpuser_rw *rw)
{
	pthread_mutex_lock(&rw->lock);
	if (rw_available(rw, op, 0)) {
		rw_take(rw, op);
		pthread_mutex_unlock(&rw->lock);
		return;
	}
	rumpuser__hyp.hyp_backend_unschedule();
	if (op == RUMPUSER_RW_WRITER)
		rw->writers_waiting++;
	while (!rw_available(rw, op, 0))
		pthread_cond_wait(&rw->cv, &rw->lock);
	if (op == RUMPUSER_RW_WRITER)
		rw->writers_waiting--;
	rw_take(rw, op);
	pthread_mutex_unlock(&rw->lock);
	rumpuser__hyp.hyp_backend_schedule();
}

int
rumpuser_rw_tryenter(int op, struct rumpuser_rw *rw)
{
	int error = EBUSY;

	pthread_mutex_lock(&rw->lock);
	if (rw_available(rw, op, 0)) {
		rw_take(rw, op);
		error = 0;
	}
	pthread_mutex_unlock(&rw->lock);
	return error;
}

int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	int error = EBUSY;

	pthread_mutex_lock(&rw->lock);
	if (rw->readers == 1 && rw->writer == NULL) {
		rw->readers = 0;
		rw->writer = curlwp_tls;
		error = 0;
	}
	pthread_mutex_unlock(&rw->lock);
	return error;
}

void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{
	pthread_mutex_lock(&rw->lock);
	rw->writer = NULL;
	rw->readers = 1;
	pthread_cond_broadcast(&rw->cv);
	pthread_mutex_unlock(&rw->lock);
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	pthread_mutex_lock(&rw->lock);
	if (rw->writer != NULL)
		rw->writer = NULL;
	else
		rw->readers--;
	if (rw->writer == NULL && rw->readers == 0)
		pthread_cond_broadcast(&rw->cv);
	pthread_mutex_unlock(&rw->lock);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	pthread_cond_destroy(&rw->cv);
	pthread_mutex_destroy(&rw->lock);
	free(rw);
}

void
rumpuser_rw_held(int op, struct rumpuser_rw *rw, int *heldp)
{
	if (op == RUMPUSER_RW_WRITER)
		*heldp = rw->writer == curlwp_tls && rw->writer != NULL;
	else
		*heldp = rw->readers > 0;
}

struct rumpuser_cv {
	pthread_cond_t pthcv;
	int nwaiters;
};

int
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	struct rumpuser_cv *cv;
	pthread_condattr_t attr;

	if ((cv = malloc(sizeof(*cv))) == NULL)
		return ENOMEM;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	NOFAIL("cv init", pthread_cond_init(&cv->pthcv, &attr));
	pthread_condattr_destroy(&attr);
	cv->nwaiters = 0;
	*cvp = cv;
	return 0;
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	NOFAIL("cv destroy", pthread_cond_destroy(&cv->pthcv));
	free(cv);
}

/*
 * Called with mtx held and the wait over: take a virtual CPU again without
 * holding mtx, then re-enter it.
 */
static void
cv_reschedule(struct rumpuser_mtx *mtx)
{
	pthread_mutex_unlock(&mtx->pthmtx);
	rumpuser__hyp.hyp_backend_schedule();
	if (mtx->flags & RUMPUSER_MTX_SPIN)
		rumpuser_mutex_enter_nowrap(mtx);
	else
		rumpuser_mutex_enter(mtx);
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	cv->nwaiters++;
	mtx->owner = NULL;
	rumpuser__hyp.hyp_backend_unschedule();
	NOFAIL("cv wait", pthread_cond_wait(&cv->pthcv, &mtx->pthmtx));
	cv->nwaiters--;
	cv_reschedule(mtx);
}

void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	cv->nwaiters++;
	mtx->owner = NULL;
	NOFAIL("cv wait", pthread_cond_wait(&cv->pthcv, &mtx->pthmtx));
	cv->nwaiters--;
	mtx_owned(mtx);
}

int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    long long sec, long nsec)
{
	struct timespec ts;
	int error;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)sec;
	ts.tv_nsec += nsec;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	cv->nwaiters++;
	mtx->owner = NULL;
	rumpuser__hyp.hyp_backend_unschedule();
	error = pthread_cond_timedwait(&cv->pthcv, &mtx->pthmtx, &ts);
	cv->nwaiters--;
	cv_reschedule(mtx);
	return error;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{
	pthread_cond_signal(&cv->pthcv);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{
	pthread_cond_broadcast(&cv->pthcv);
}

void
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp)
{
	*waitersp = cv->nwaiters;
}
