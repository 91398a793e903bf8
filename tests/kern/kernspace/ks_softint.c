/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Soft interrupts and work queues, from inside the kernel. */
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mutex.h>
#include <sys/workqueue.h>

#include "ks_test.h"

struct si_state {
	kmutex_t lock;
	kcondvar_t cv;
	int runs;                       /* lock */
	int done;                       /* lock */
	bool gate;                      /* lock: handlers wait while set */
	bool slow;                      /* lock: handlers sleep 100 ms */
};

static void
si_init(struct si_state *s)
{
	memset(s, 0, sizeof(*s));
	mutex_init(&s->lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&s->cv, "sitest");
}

static void
si_fini(struct si_state *s)
{
	if (mutex_owned(&s->lock))
		mutex_exit(&s->lock);
	cv_destroy(&s->cv);
	mutex_destroy(&s->lock);
}

static void
si_handler(void *arg)
{
	struct si_state *s = arg;
	bool slow;

	mutex_enter(&s->lock);
	s->runs++;
	cv_broadcast(&s->cv);
	while (s->gate)
		cv_wait(&s->cv, &s->lock);
	slow = s->slow;
	mutex_exit(&s->lock);
	if (slow)
		kpause("sislow", false, 10, NULL);
	mutex_enter(&s->lock);
	s->done++;
	cv_broadcast(&s->cv);
	mutex_exit(&s->lock);
}

/* Wait, lock held, until *countp reaches n; false after 5 s. */
static bool
si_wait(struct si_state *s, int *countp, int n)
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
rump_test_softint_basic(void)
{
	struct si_state s;
	kmutex_t spin;
	void *si = NULL;
	int error = 0;

	rump_schedule();
	si_init(&s);
	mutex_init(&spin, MUTEX_SPIN, IPL_HIGH);
	KS_REQUIRE(softint_establish(SOFTINT_COUNT, si_handler, &s) == NULL);
	si = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE, si_handler, &s);
	KS_REQUIRE(si != NULL);
	kpause("sitest", false, 2, NULL);
	KS_REQUIRE(s.runs == 0);
	softint_schedule(si);
	mutex_enter(&s.lock);
	KS_REQUIRE(si_wait(&s, &s.done, 1));
	mutex_exit(&s.lock);
	/* From where an interrupt handler would be: a spin mutex held. */
	mutex_spin_enter(&spin);
	softint_schedule(si);
	mutex_spin_exit(&spin);
	mutex_enter(&s.lock);
	KS_REQUIRE(si_wait(&s, &s.done, 2));
	mutex_exit(&s.lock);
	KS_REQUIRE(s.runs == 2);
out:
	if (si != NULL)
		softint_disestablish(si);
	mutex_destroy(&spin);
	si_fini(&s);
	rump_unschedule();
	return error;
}

int
rump_test_softint_coalesce(void)
{
	struct si_state s1, s2;
	void *si1 = NULL, *si2 = NULL;
	int error = 0;

	rump_schedule();
	si_init(&s1);
	si_init(&s2);
	si1 = softint_establish(SOFTINT_BIO, si_handler, &s1);
	si2 = softint_establish(SOFTINT_BIO, si_handler, &s2);
	KS_REQUIRE(si1 != NULL && si2 != NULL);

	/* si1 runs and holds the level's thread at the gate. */
	mutex_enter(&s1.lock);
	s1.gate = true;
	softint_schedule(si1);
	KS_REQUIRE(si_wait(&s1, &s1.runs, 1));
	mutex_exit(&s1.lock);
	/* Scheduled again while running: one more run, not three. */
	softint_schedule(si1);
	softint_schedule(si1);
	softint_schedule(si1);
	/* si2, pending behind it three times, runs once. */
	softint_schedule(si2);
	softint_schedule(si2);
	softint_schedule(si2);
	mutex_enter(&s1.lock);
	s1.gate = false;
	cv_broadcast(&s1.cv);
	KS_REQUIRE(si_wait(&s1, &s1.done, 2));
	mutex_exit(&s1.lock);
	mutex_enter(&s2.lock);
	KS_REQUIRE(si_wait(&s2, &s2.done, 1));
	mutex_exit(&s2.lock);
	kpause("sitest", false, 5, NULL);
	KS_REQUIRE(s1.runs == 2);
	KS_REQUIRE(s2.runs == 1);
out:
	if (si1 != NULL) {
		mutex_enter(&s1.lock);
		s1.gate = false;
		cv_broadcast(&s1.cv);
		mutex_exit(&s1.lock);
		softint_disestablish(si1);
	}
	if (si2 != NULL)
		softint_disestablish(si2);
	si_fini(&s2);
	si_fini(&s1);
	rump_unschedule();
	return error;
}

int
rump_test_softint_disestablish(void)
{
	struct si_state s1, s2;
	void *si1 = NULL, *si2 = NULL;
	int error = 0;

	rump_schedule();
	si_init(&s1);
	si_init(&s2);
	si1 = softint_establish(SOFTINT_SERIAL, si_handler, &s1);
	si2 = softint_establish(SOFTINT_SERIAL, si_handler, &s2);
	KS_REQUIRE(si1 != NULL && si2 != NULL);

	/* Disestablishing a running handler waits for it to finish. */
	mutex_enter(&s1.lock);
	s1.slow = true;
	softint_schedule(si1);
	KS_REQUIRE(si_wait(&s1, &s1.runs, 1));
	mutex_exit(&s1.lock);
	/* si2 is pending behind the slow si1: it must never run. */
	softint_schedule(si2);
	softint_disestablish(si2);
	si2 = NULL;
	softint_disestablish(si1);
	si1 = NULL;
	KS_REQUIRE(s1.done == 1);
	kpause("sitest", false, 5, NULL);
	KS_REQUIRE(s2.runs == 0);
out:
	if (si1 != NULL)
		softint_disestablish(si1);
	if (si2 != NULL)
		softint_disestablish(si2);
	si_fini(&s2);
	si_fini(&s1);
	rump_unschedule();
	return error;
}

struct wq_item {
	struct work wk;
	int id;
	int runs;
	bool slow;
};

struct wq_state {
	kmutex_t lock;
	int *order;                     /* lock: ids, as they ran */
	int nran;                       /* lock */
};

static void
wq_func(struct work *wk, void *arg)
{
	struct wq_item *it = (struct wq_item *)wk;
	struct wq_state *s = arg;

	if (it->slow)
		kpause("wqslow", false, 10, NULL);
	mutex_enter(&s->lock);
	it->runs++;
	if (s->order != NULL)
		s->order[s->nran] = it->id;
	s->nran++;
	mutex_exit(&s->lock);
}

int
rump_test_workqueue_basic(int n)
{
	struct workqueue *wq = NULL;
	struct wq_item *items;
	struct wq_state s;
	int error = 0, i;

	rump_schedule();
	memset(&s, 0, sizeof(s));
	mutex_init(&s.lock, MUTEX_DEFAULT, IPL_NONE);
	items = kmem_zalloc(n * sizeof(*items), KM_SLEEP);
	/* Room for the re-queued run at the end too. */
	s.order = kmem_zalloc((n + 1) * sizeof(*s.order), KM_SLEEP);
	KS_REQUIRE(items != NULL && s.order != NULL);
	/* A spin lock: enqueueing is allowed with spin mutexes held. */
	KS_REQUIRE(workqueue_create(&wq, "wqtest", wq_func, &s, PRI_NONE,
	    IPL_SOFTNET, WQ_MPSAFE) == 0);
	for (i = 0; i < n; i++) {
		items[i].id = i;
		workqueue_enqueue(wq, &items[i].wk, NULL);
	}
	for (i = 0; i < n; i++)
		workqueue_wait(wq, &items[i].wk);
	mutex_enter(&s.lock);
	KS_REQUIRE(s.nran == n);
	for (i = 0; i < n; i++) {
		KS_REQUIRE(items[i].runs == 1);
		KS_REQUIRE(s.order[i] == i);
	}
	mutex_exit(&s.lock);
	/* Run again once its function has started: it may be re-queued. */
	workqueue_enqueue(wq, &items[0].wk, NULL);
	workqueue_wait(wq, &items[0].wk);
	KS_REQUIRE(items[0].runs == 2);
out:
	if (mutex_owned(&s.lock))
		mutex_exit(&s.lock);
	if (wq != NULL)
		workqueue_destroy(wq);
	if (items != NULL)
		kmem_free(items, n * sizeof(*items));
	if (s.order != NULL)
		kmem_free(s.order, (n + 1) * sizeof(*s.order));
	mutex_destroy(&s.lock);
	rump_unschedule();
	return error;
}

int
rump_test_workqueue_wait(void)
{
	struct workqueue *wq = NULL;
	struct wq_item items[5];
	struct wq_state s;
	int error = 0, i;

	rump_schedule();
	memset(&s, 0, sizeof(s));
	memset(items, 0, sizeof(items));
	mutex_init(&s.lock, MUTEX_DEFAULT, IPL_NONE);
	KS_REQUIRE(workqueue_create(&wq, "wqwait", wq_func, &s, PRI_NONE,
	    IPL_NONE, 0) == 0);
	/* Waiting for a running (slow) work waits until it is done. */
	items[0].slow = true;
	workqueue_enqueue(wq, &items[0].wk, NULL);
	kpause("wqtest", false, 2, NULL);
	workqueue_wait(wq, &items[0].wk);
	KS_REQUIRE(items[0].runs == 1);
	/* Waiting for a queued work waits for it, behind a slow one. */
	items[1].slow = true;
	workqueue_enqueue(wq, &items[1].wk, NULL);
	workqueue_enqueue(wq, &items[2].wk, NULL);
	workqueue_wait(wq, &items[2].wk);
	KS_REQUIRE(items[1].runs == 1 && items[2].runs == 1);
	/* Waiting for a work that is not queued returns at once. */
	workqueue_wait(wq, &items[3].wk);
	KS_REQUIRE(items[3].runs == 0);
	/* Destroying runs what is still queued. */
	items[3].slow = true;
	workqueue_enqueue(wq, &items[3].wk, NULL);
	workqueue_enqueue(wq, &items[4].wk, NULL);
	workqueue_destroy(wq);
	wq = NULL;
	for (i = 0; i < 5; i++)
		KS_REQUIRE(items[i].runs == 1);
out:
	if (wq != NULL)
		workqueue_destroy(wq);
	mutex_destroy(&s.lock);
	rump_unschedule();
	return error;
}
