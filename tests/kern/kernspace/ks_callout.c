/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Callouts, kpause and timed condition waits, from inside the kernel. */
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>

#include "ks_test.h"

struct co_state {
	kmutex_t lock;
	kcondvar_t cv;
	int fired;                      /* lock */
	int started;                    /* lock */
	int done;                       /* lock */
	uint64_t when;                  /* lock: uptime of the last firing */
};

static void
co_init(struct co_state *s)
{
	memset(s, 0, sizeof(*s));
	mutex_init(&s->lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&s->cv, "cotest");
}

static void
co_fini(struct co_state *s)
{
	cv_destroy(&s->cv);
	mutex_destroy(&s->lock);
}

static void
co_fire(void *arg)
{
	struct co_state *s = arg;

	mutex_enter(&s->lock);
	s->fired++;
	s->when = getnsecuptime();
	cv_broadcast(&s->cv);
	mutex_exit(&s->lock);
}

/* Wait, lock held, until *countp reaches n; false after 5 s. */
static bool
co_wait(struct co_state *s, int *countp, int n)
{
	uint64_t deadline = getnsecuptime() + 5000000000ULL, now;

	while (*countp < n) {
		if ((now = getnsecuptime()) >= deadline)
			return false;
		cv_timedwait_ns(&s->cv, &s->lock, deadline - now);
	}
	return true;
}

int
rump_test_callout_once(int ticks, uint64_t *elapsedp)
{
	struct co_state s;
	callout_t c;
	uint64_t t0;
	int error = 0;

	rump_schedule();
	co_init(&s);
	callout_init(&c, CALLOUT_MPSAFE);
	KS_REQUIRE(!callout_pending(&c) && !callout_expired(&c));
	mutex_enter(&s.lock);
	t0 = getnsecuptime();
	callout_reset(&c, ticks, co_fire, &s);
	KS_REQUIRE(callout_pending(&c) && callout_active(&c));
	KS_REQUIRE(co_wait(&s, &s.fired, 1));
	*elapsedp = s.when - t0;
	mutex_exit(&s.lock);
	kpause("cotest", false, 3, NULL);
	mutex_enter(&s.lock);
	KS_REQUIRE(s.fired == 1);
	mutex_exit(&s.lock);
	KS_REQUIRE(!callout_pending(&c));
	KS_REQUIRE(callout_expired(&c) && callout_invoking(&c));
	callout_ack(&c);
	KS_REQUIRE(!callout_invoking(&c));
	KS_REQUIRE(!callout_stop(&c));
	callout_destroy(&c);
out:
	if (mutex_owned(&s.lock))
		mutex_exit(&s.lock);
	co_fini(&s);
	rump_unschedule();
	return error;
}

int
rump_test_callout_stop(void)
{
	struct co_state s;
	callout_t c;
	int error = 0;

	rump_schedule();
	co_init(&s);
	callout_init(&c, 0);
	callout_reset(&c, 5, co_fire, &s);
	KS_REQUIRE(callout_pending(&c));
	KS_REQUIRE(callout_stop(&c));
	KS_REQUIRE(!callout_pending(&c) && !callout_active(&c));
	kpause("cotest", false, 10, NULL);
	KS_REQUIRE(s.fired == 0);
	KS_REQUIRE(!callout_stop(&c));
	KS_REQUIRE(!callout_expired(&c));
	/* A stopped callout can be set again, with setfunc + schedule. */
	callout_setfunc(&c, co_fire, &s);
	callout_schedule(&c, 1);
	mutex_enter(&s.lock);
	KS_REQUIRE(co_wait(&s, &s.fired, 1));
	mutex_exit(&s.lock);
	callout_halt(&c, NULL);
	callout_destroy(&c);
out:
	if (mutex_owned(&s.lock))
		mutex_exit(&s.lock);
	co_fini(&s);
	rump_unschedule();
	return error;
}

int
rump_test_callout_reset(void)
{
	struct co_state s;
	callout_t c;
	uint64_t t0;
	int error = 0;

	rump_schedule();
	co_init(&s);
	callout_init(&c, 0);

	/*
	 * Later: the first deadline is forgotten.  Judged by when it fired,
	 * not by sleeping in between, which a loaded host may stretch.
	 */
	t0 = getnsecuptime();
	callout_reset(&c, 3, co_fire, &s);
	callout_reset(&c, 20, co_fire, &s);
	KS_REQUIRE(callout_pending(&c));
	mutex_enter(&s.lock);
	KS_REQUIRE(co_wait(&s, &s.fired, 1));
	KS_REQUIRE(s.when - t0 >= 20 * TICK_NS);
	mutex_exit(&s.lock);
	kpause("cotest", false, 5, NULL);
	KS_REQUIRE(s.fired == 1);

	/*
	 * Earlier: the clock thread, asleep until the 1 s deadline, must
	 * be woken for the new one.
	 */
	t0 = getnsecuptime();
	callout_reset(&c, 100, co_fire, &s);
	kpause("cotest", false, 2, NULL);
	callout_reset(&c, 2, co_fire, &s);
	mutex_enter(&s.lock);
	KS_REQUIRE(co_wait(&s, &s.fired, 2));
	/* Before the 1 s deadline it replaced: the thread was woken. */
	KS_REQUIRE(s.when - t0 < 100 * TICK_NS);
	mutex_exit(&s.lock);
	kpause("cotest", false, 3, NULL);
	KS_REQUIRE(s.fired == 2);
	callout_destroy(&c);
out:
	if (mutex_owned(&s.lock))
		mutex_exit(&s.lock);
	co_fini(&s);
	rump_unschedule();
	return error;
}

/* A slow handler: tells it started, sleeps 100 ms, tells it is done. */
static void
co_slow(void *arg)
{
	struct co_state *s = arg;

	mutex_enter(&s->lock);
	s->started++;
	cv_broadcast(&s->cv);
	mutex_exit(&s->lock);
	kpause("coslow", false, 10, NULL);
	mutex_enter(&s->lock);
	s->done++;
	mutex_exit(&s->lock);
}

int
rump_test_callout_halt(void)
{
	struct co_state s;
	callout_t c;
	int error = 0;

	rump_schedule();
	co_init(&s);
	callout_init(&c, 0);

	callout_reset(&c, 0, co_slow, &s);
	mutex_enter(&s.lock);
	KS_REQUIRE(co_wait(&s, &s.started, 1));
	mutex_exit(&s.lock);
	KS_REQUIRE(!callout_halt(&c, NULL));
	KS_REQUIRE(s.done == 1);

	/* With an interlock, which the handler needs to finish. */
	callout_reset(&c, 0, co_slow, &s);
	mutex_enter(&s.lock);
	KS_REQUIRE(co_wait(&s, &s.started, 2));
	KS_REQUIRE(!callout_halt(&c, &s.lock));
	KS_REQUIRE(mutex_owned(&s.lock));
	KS_REQUIRE(s.done == 2);
	mutex_exit(&s.lock);

	/* Halting a pending callout is stopping it. */
	callout_reset(&c, 50, co_slow, &s);
	KS_REQUIRE(callout_halt(&c, NULL));
	KS_REQUIRE(!callout_pending(&c));
	callout_destroy(&c);
out:
	if (mutex_owned(&s.lock))
		mutex_exit(&s.lock);
	co_fini(&s);
	rump_unschedule();
	return error;
}

struct co_order {
	kmutex_t lock;
	kcondvar_t cv;
	callout_t *co;
	int n;
	int nfired;                     /* lock */
	int *order;                     /* lock: indexes, as they fired */
	int early;                      /* lock: fired before the deadline */
};

struct co_order_arg {
	struct co_order *o;
	int idx;
};

static void
co_order_fire(void *arg)
{
	struct co_order_arg *a = arg;
	struct co_order *o = a->o;
	uint64_t now = getnsecuptime();

	mutex_enter(&o->lock);
	if (now < o->co[a->idx].c_when)
		o->early++;
	o->order[o->nfired++] = a->idx;
	if (o->nfired == o->n)
		cv_broadcast(&o->cv);
	mutex_exit(&o->lock);
}

int
rump_test_callout_order(int n)
{
	struct co_order o;
	struct co_order_arg *args = NULL;
	uint64_t deadline;
	int error = 0, i;

	rump_schedule();
	memset(&o, 0, sizeof(o));
	mutex_init(&o.lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&o.cv, "coorder");
	o.n = n;
	o.co = kmem_zalloc(n * sizeof(*o.co), KM_SLEEP);
	o.order = kmem_zalloc(n * sizeof(*o.order), KM_SLEEP);
	args = kmem_zalloc(n * sizeof(*args), KM_SLEEP);
	KS_REQUIRE(o.co != NULL && o.order != NULL && args != NULL);
	for (i = 0; i < n; i++) {
		args[i].o = &o;
		args[i].idx = i;
		callout_init(&o.co[i], 0);
	}
	/* Deadlines 1 to 50 ticks, in a scrambled order. */
	mutex_enter(&o.lock);
	for (i = 0; i < n; i++)
		callout_reset(&o.co[i], 1 + (i * 37) % 50, co_order_fire,
		    &args[i]);
	deadline = getnsecuptime() + 10000000000ULL;
	while (o.nfired < n && getnsecuptime() < deadline)
		cv_timedwait(&o.cv, &o.lock, 10);
	KS_REQUIRE(o.nfired == n);
	KS_REQUIRE(o.early == 0);
	for (i = 1; i < n; i++)
		KS_REQUIRE(o.co[o.order[i - 1]].c_when <=
		    o.co[o.order[i]].c_when);
	mutex_exit(&o.lock);
	for (i = 0; i < n; i++) {
		KS_REQUIRE(callout_expired(&o.co[i]));
		/* The last may still be returning from its function. */
		callout_halt(&o.co[i], NULL);
		callout_destroy(&o.co[i]);
	}
out:
	if (mutex_owned(&o.lock)) {
		for (i = 0; i < n; i++)
			callout_stop(&o.co[i]);
		mutex_exit(&o.lock);
	}
	if (args != NULL)
		kmem_free(args, n * sizeof(*args));
	if (o.order != NULL)
		kmem_free(o.order, n * sizeof(*o.order));
	if (o.co != NULL)
		kmem_free(o.co, n * sizeof(*o.co));
	cv_destroy(&o.cv);
	mutex_destroy(&o.lock);
	rump_unschedule();
	return error;
}

int
rump_test_kpause(int ticks, uint64_t *elapsedp)
{
	kmutex_t m;
	uint64_t t0;
	int error = 0;

	rump_schedule();
	mutex_init(&m, MUTEX_DEFAULT, IPL_NONE);
	t0 = getnsecuptime();
	KS_REQUIRE(kpause("kptest", false, ticks, NULL) == EWOULDBLOCK);
	*elapsedp = getnsecuptime() - t0;
	/* The mutex is given up for the sleep and held again after. */
	mutex_enter(&m);
	kpause("kptest", false, 1, &m);
	KS_REQUIRE(mutex_owned(&m));
	mutex_exit(&m);
out:
	mutex_destroy(&m);
	rump_unschedule();
	return error;
}

int
rump_test_cv_timedwait(int ticks, uint64_t *elapsedp)
{
	kmutex_t m;
	kcondvar_t cv;
	uint64_t t0;
	int error = 0;

	rump_schedule();
	mutex_init(&m, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, "cvtest");
	mutex_enter(&m);
	t0 = getnsecuptime();
	KS_REQUIRE(cv_timedwait(&cv, &m, ticks) == EWOULDBLOCK);
	*elapsedp = getnsecuptime() - t0;
	KS_REQUIRE(mutex_owned(&m));
	t0 = getnsecuptime();
	KS_REQUIRE(cv_timedwait_ns(&cv, &m, 30000000) == EWOULDBLOCK);
	KS_REQUIRE(getnsecuptime() - t0 >= 30000000);
out:
	if (mutex_owned(&m))
		mutex_exit(&m);
	cv_destroy(&cv);
	mutex_destroy(&m);
	rump_unschedule();
	return error;
}
