/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel mutexes on the rumpuser mutex hypercalls.  The host records the
 * owning lwp, which the assertions here use: no recursion, no release by a
 * non-owner, no sleeping mutex taken while a spin mutex is held.
 */
#include <sys/systm.h>
#include <sys/mutex.h>
#include <sys/lwp.h>
#include <rump/rumpuser.h>

void
mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl)
{
	int flags = RUMPUSER_MTX_KMUTEX;

	mtx->mtx_spin = type == MUTEX_SPIN || ipl > IPL_NONE;
	if (mtx->mtx_spin)
		flags |= RUMPUSER_MTX_SPIN;
	if (rumpuser_mutex_init(&mtx->mtx_hyp, flags) != 0)
		panic("mutex_init: out of host memory");
}

void
mutex_destroy(kmutex_t *mtx)
{
	KASSERT(mutex_owner(mtx) == NULL);
	rumpuser_mutex_destroy(mtx->mtx_hyp);
	mtx->mtx_hyp = NULL;
}

struct lwp *
mutex_owner(const kmutex_t *mtx)
{
	struct lwp *l;

	rumpuser_mutex_owner(mtx->mtx_hyp, &l);
	return l;
}

int
mutex_owned(const kmutex_t *mtx)
{
	return mutex_owner(mtx) == curlwp;
}

void
mutex_enter(kmutex_t *mtx)
{
	struct lwp *l = curlwp;

	KASSERTMSG(mutex_owner(mtx) != l, "mutex %p: locking against myself",
	    mtx);
	if (mtx->mtx_spin) {
		rumpuser_mutex_enter_nowrap(mtx->mtx_hyp);
		l->l_spinlocks++;
		return;
	}
	KASSERTMSG(l->l_spinlocks == 0,
	    "mutex %p: sleeping mutex taken with a spin mutex held", mtx);
	rumpuser_mutex_enter(mtx->mtx_hyp);
}

void
mutex_spin_enter(kmutex_t *mtx)
{
	KASSERT(mtx->mtx_spin);
	mutex_enter(mtx);
}

int
mutex_tryenter(kmutex_t *mtx)
{
	if (rumpuser_mutex_tryenter(mtx->mtx_hyp) != 0)
		return 0;
	if (mtx->mtx_spin)
		curlwp->l_spinlocks++;
	return 1;
}

void
mutex_exit(kmutex_t *mtx)
{
	struct lwp *l = curlwp;

	KASSERTMSG(mutex_owner(mtx) == l, "mutex %p: exit by non-owner", mtx);
	if (mtx->mtx_spin)
		l->l_spinlocks--;
	rumpuser_mutex_exit(mtx->mtx_hyp);
}

void
mutex_spin_exit(kmutex_t *mtx)
{
	KASSERT(mtx->mtx_spin);
	mutex_exit(mtx);
}
