/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Callouts and kpause().  Pending callouts wait on one queue kept sorted
 * by deadline (uptime in ns).  The clock thread, started by the first
 * callout_init(), runs every callout whose deadline has passed and then
 * sleeps until the earliest remaining one, or without a timeout when none
 * is left: an idle kernel takes no CPU time.  A callout set earlier than
 * the deadline the thread sleeps to wakes it.
 *
 * Setting a callout walks the queue to its place, which is linear in the
 * number pending; fine for the hundreds a rump kernel has.
 *
 * The callout lock is a spin mutex so that callouts can be set and
 * stopped from any context; handlers run with it released.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

#define CALLOUT_MAGIC 0x43616c6cU

/* Lock legend: (l) callout_lock, (s) callout_start_lock, (c) stable. */
static kmutex_t callout_lock;
static kcondvar_t callout_cv;                   /* l: the clock thread */
static kcondvar_t callout_done_cv;              /* l: halt waiters */
static TAILQ_HEAD(, callout) callout_queue;     /* l: by deadline */
static callout_t *callout_running;              /* l: handler running */
static unsigned callout_nhalt;                  /* l: halt waiters */
/* l: the deadline the clock thread sleeps to; 0 while it is awake. */
static uint64_t callout_sleep_until;
static kmutex_t callout_start_lock;
static bool callout_started;                    /* s, read atomic */
static struct lwp *callout_lwp;                 /* s, then c */

void
callout_startup(void)
{
	mutex_init(&callout_lock, MUTEX_SPIN, IPL_SOFTCLOCK);
	mutex_init(&callout_start_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&callout_cv, "callout");
	cv_init(&callout_done_cv, "calldone");
	TAILQ_INIT(&callout_queue);
}

static uint64_t
ticks_to_ns(int ticks)
{
	if (ticks <= 0)
		return 0;
	return (uint64_t)ticks * (uint64_t)(NSEC_PER_SEC / hz);
}

static void
callout_thread(void *arg)
{
	void (*func)(void *);
	void *farg;
	callout_t *c;
	uint64_t now;

	(void)arg;
	mutex_spin_enter(&callout_lock);
	for (;;) {
		c = TAILQ_FIRST(&callout_queue);
		if (c == NULL) {
			callout_sleep_until = UINT64_MAX;
			cv_wait(&callout_cv, &callout_lock);
			callout_sleep_until = 0;
			continue;
		}
		now = getnsecuptime();
		if (c->c_when > now) {
			callout_sleep_until = c->c_when;
			cv_timedwait_ns(&callout_cv, &callout_lock,
			    c->c_when - now);
			callout_sleep_until = 0;
			continue;
		}
		TAILQ_REMOVE(&callout_queue, c, c_link);
		c->c_flags &= ~CALLOUT_PENDING;
		c->c_flags |= CALLOUT_EXPIRED | CALLOUT_INVOKING;
		func = c->c_func;
		farg = c->c_arg;
		callout_running = c;
		mutex_spin_exit(&callout_lock);

		/* The handler may free c: it is not touched again. */
		func(farg);

		mutex_spin_enter(&callout_lock);
		callout_running = NULL;
		if (callout_nhalt > 0)
			cv_broadcast(&callout_done_cv);
	}
}

/* Start the clock thread once; the first callout_init() gets here. */
static void
callout_thread_start(void)
{
	int error;

	if (atomic_load_acquire(&callout_started))
		return;
	mutex_enter(&callout_start_lock);
	if (!callout_started) {
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE, NULL,
		    callout_thread, NULL, &callout_lwp, "clock");
		if (error)
			panic("callout: cannot start the clock thread: "
			    "error %d", error);
		atomic_store_release(&callout_started, true);
	}
	mutex_exit(&callout_start_lock);
}

static void
callout_check(const callout_t *c)
{
	KASSERTMSG(c->c_magic == CALLOUT_MAGIC, "callout %p: not initialised",
	    c);
}

void
callout_init(callout_t *c, unsigned flags)
{
	(void)flags;
	memset(c, 0, sizeof(*c));
	c->c_magic = CALLOUT_MAGIC;
	callout_thread_start();
}

void
callout_destroy(callout_t *c)
{
	mutex_spin_enter(&callout_lock);
	callout_check(c);
	KASSERTMSG((c->c_flags & CALLOUT_PENDING) == 0,
	    "callout %p: destroyed while pending", c);
	KASSERTMSG(callout_running != c, "callout %p: destroyed while running",
	    c);
	c->c_magic = 0;
	mutex_spin_exit(&callout_lock);
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{
	mutex_spin_enter(&callout_lock);
	callout_check(c);
	c->c_func = func;
	c->c_arg = arg;
	mutex_spin_exit(&callout_lock);
}

/* Take c off the queue if it is on it; whether it was.  Lock held. */
static bool
callout_unqueue(callout_t *c)
{
	if ((c->c_flags & CALLOUT_PENDING) == 0)
		return false;
	TAILQ_REMOVE(&callout_queue, c, c_link);
	c->c_flags &= ~CALLOUT_PENDING;
	return true;
}

/* Queue c to run ticks from now.  Lock held. */
static void
callout_enqueue(callout_t *c, int ticks)
{
	callout_t *next;

	KASSERTMSG(c->c_func != NULL, "callout %p: no function", c);
	callout_unqueue(c);
	c->c_when = getnsecuptime() + ticks_to_ns(ticks);
	c->c_flags &= ~CALLOUT_EXPIRED;
	c->c_flags |= CALLOUT_PENDING | CALLOUT_ACTIVE;
	/* After those due at the same time: equal deadlines run in order. */
	TAILQ_FOREACH(next, &callout_queue, c_link)
		if (next->c_when > c->c_when)
			break;
	if (next != NULL)
		TAILQ_INSERT_BEFORE(next, c, c_link);
	else
		TAILQ_INSERT_TAIL(&callout_queue, c, c_link);
	if (c->c_when < callout_sleep_until)
		cv_signal(&callout_cv);
}

void
callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg)
{
	mutex_spin_enter(&callout_lock);
	callout_check(c);
	c->c_func = func;
	c->c_arg = arg;
	callout_enqueue(c, ticks);
	mutex_spin_exit(&callout_lock);
}

void
callout_schedule(callout_t *c, int ticks)
{
	mutex_spin_enter(&callout_lock);
	callout_check(c);
	callout_enqueue(c, ticks);
	mutex_spin_exit(&callout_lock);
}

bool
callout_stop(callout_t *c)
{
	bool pending;

	mutex_spin_enter(&callout_lock);
	callout_check(c);
	pending = callout_unqueue(c);
	c->c_flags &= ~CALLOUT_ACTIVE;
	mutex_spin_exit(&callout_lock);
	return pending;
}

/*
 * Stop c and wait until its handler is not running, unless the handler
 * itself is asking.  The interlock, if any, is dropped while waiting.
 * The handler may set the callout again while we wait: loop until it is
 * neither pending nor running.  Returns whether it was pending.
 */
bool
callout_halt(callout_t *c, kmutex_t *interlock)
{
	bool pending = false, dropped = false;

	mutex_spin_enter(&callout_lock);
	callout_check(c);
	for (;;) {
		if (callout_unqueue(c))
			pending = true;
		c->c_flags &= ~CALLOUT_ACTIVE;
		if (callout_running != c || curlwp == callout_lwp)
			break;
		if (interlock != NULL && !dropped) {
			mutex_exit(interlock);
			dropped = true;
		}
		callout_nhalt++;
		cv_wait(&callout_done_cv, &callout_lock);
		callout_nhalt--;
	}
	mutex_spin_exit(&callout_lock);
	if (dropped)
		mutex_enter(interlock);
	return pending;
}

static bool
callout_flag(callout_t *c, unsigned flag)
{
	bool set;

	mutex_spin_enter(&callout_lock);
	set = (c->c_flags & flag) != 0;
	mutex_spin_exit(&callout_lock);
	return set;
}

bool
callout_pending(callout_t *c)
{
	return callout_flag(c, CALLOUT_PENDING);
}

bool
callout_active(callout_t *c)
{
	return callout_flag(c, CALLOUT_ACTIVE);
}

bool
callout_expired(callout_t *c)
{
	return callout_flag(c, CALLOUT_EXPIRED);
}

bool
callout_invoking(callout_t *c)
{
	return callout_flag(c, CALLOUT_INVOKING);
}

static void
callout_clear(callout_t *c, unsigned flag)
{
	mutex_spin_enter(&callout_lock);
	c->c_flags &= ~flag;
	mutex_spin_exit(&callout_lock);
}

void
callout_ack(callout_t *c)
{
	callout_clear(c, CALLOUT_INVOKING);
}

void
callout_deactivate(callout_t *c)
{
	callout_clear(c, CALLOUT_ACTIVE);
}

/*
 * A timed sleep needs no callout: the host sleeps until the deadline on
 * its monotonic clock, with the virtual CPU given back meanwhile.
 */
int
kpause(const char *wmesg, bool intr, int timo, kmutex_t *mtx)
{
	uint64_t until;

	(void)wmesg;
	(void)intr;
	until = (uint64_t)time_boot_mono_ns() + getnsecuptime() +
	    ticks_to_ns(timo < 1 ? 1 : timo);
	if (mtx != NULL)
		mutex_exit(mtx);
	KASSERTMSG(curlwp->l_spinlocks == 0,
	    "kpause %s: sleeping with a spin mutex held", wmesg);
	rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
	    (long long)(until / NSEC_PER_SEC), (long)(until % NSEC_PER_SEC));
	if (mtx != NULL)
		mutex_enter(mtx);
	return EWOULDBLOCK;
}
