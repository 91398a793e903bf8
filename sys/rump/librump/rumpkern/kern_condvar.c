/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Condition variables on the rumpuser cv hypercalls.  A wait may hold
 * only its interlock: sleeping with any other spin mutex held would keep
 * a CPU from whoever must wake us.
 *
 * The interruptible waits (_sig) are interrupted (EINTR) only for a
 * remote client's lwp (kern_sysproxy.c) whose connection has hung up:
 * the kernel sends no signals, but a client killed in a read of an
 * empty pipe must not leave its process asleep in the server for ever.
 * Such an lwp's wait looks every SIG_POLL_NS whether its client is
 * there; a wakeup that is only the time passing is a spurious one, which
 * every caller of a condition variable allows.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/lwp.h>
#include <rump/rumpuser.h>

#define SIG_POLL_NS 1000000000ULL

void
cv_init(kcondvar_t *cv, const char *wmesg)
{
	if (rumpuser_cv_init(&cv->cv_hyp) != 0)
		panic("cv_init: out of host memory");
	cv->cv_wmesg = wmesg;
}

void
cv_destroy(kcondvar_t *cv)
{
	KASSERTMSG(!cv_has_waiters(cv), "cv %s: destroyed with waiters",
	    cv->cv_wmesg);
	rumpuser_cv_destroy(cv->cv_hyp);
	cv->cv_hyp = NULL;
}

/* Leave the interlock's spin count as it was around the host wait. */
static unsigned
cv_enter_wait(kcondvar_t *cv, kmutex_t *mtx)
{
	struct lwp *l = curlwp;
	unsigned spins = mtx->mtx_spin ? 1 : 0;

	KASSERTMSG(mutex_owned(mtx), "cv %s: interlock not held",
	    cv->cv_wmesg);
	KASSERTMSG(l->l_spinlocks == spins,
	    "cv %s: sleeping with a spin mutex held", cv->cv_wmesg);
	l->l_spinlocks -= spins;
	return spins;
}

void
cv_wait(kcondvar_t *cv, kmutex_t *mtx)
{
	unsigned spins = cv_enter_wait(cv, mtx);

	rumpuser_cv_wait(cv->cv_hyp, mtx->mtx_hyp);
	curlwp->l_spinlocks += spins;
}

int
cv_wait_sig(kcondvar_t *cv, kmutex_t *mtx)
{
	void *client = curlwp->l_spclient;

	if (__predict_true(client == NULL)) {
		cv_wait(cv, mtx);
		return 0;
	}
	if (rumpuser_sp_gone(client))
		return EINTR;
	if (cv_timedwait_ns(cv, mtx, SIG_POLL_NS) != 0 &&
	    rumpuser_sp_gone(client))
		return EINTR;
	return 0;
}

int
cv_timedwait_ns(kcondvar_t *cv, kmutex_t *mtx, uint64_t ns)
{
	unsigned spins = cv_enter_wait(cv, mtx);
	int error;

	error = rumpuser_cv_timedwait(cv->cv_hyp, mtx->mtx_hyp,
	    (long long)(ns / 1000000000ULL), (long)(ns % 1000000000ULL));
	curlwp->l_spinlocks += spins;
	return error == 0 ? 0 : EWOULDBLOCK;
}

int
cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{
	if (ticks <= 0) {
		cv_wait(cv, mtx);
		return 0;
	}
	return cv_timedwait_ns(cv, mtx,
	    (uint64_t)ticks * (1000000000ULL / (uint64_t)hz));
}

int
cv_timedwait_sig(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{
	return cv_timedwait(cv, mtx, ticks);
}

void
cv_signal(kcondvar_t *cv)
{
	rumpuser_cv_signal(cv->cv_hyp);
}

void
cv_broadcast(kcondvar_t *cv)
{
	rumpuser_cv_broadcast(cv->cv_hyp);
}

bool
cv_has_waiters(kcondvar_t *cv)
{
	int n;

	rumpuser_cv_has_waiters(cv->cv_hyp, &n);
	return n > 0;
}
