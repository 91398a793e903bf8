/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Soft interrupts.  There are no hardware interrupts to defer work from;
 * a soft interrupt is a handler queued to its level's kernel thread.
 * Each level has a spin-locked queue of scheduled handlers and a thread,
 * started by the level's first softint_establish(), that runs them.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>

#include "rump_private.h"

struct softint_level;

/* Lock legend: (q) the level's sl_lock, (c) stable. */
struct softint {
	TAILQ_ENTRY(softint) si_link;   /* q: on sl_queue */
	struct softint_level *si_level; /* c */
	void (*si_func)(void *);        /* c */
	void *si_arg;                   /* c */
	bool si_pending;                /* q: on sl_queue */
};

/* Lock legend: (q) sl_lock, (s) softint_start_lock, (c) stable. */
struct softint_level {
	kmutex_t sl_lock;
	kcondvar_t sl_cv;                       /* q: the thread waits */
	kcondvar_t sl_done_cv;                  /* q: disestablish waits */
	TAILQ_HEAD(, softint) sl_queue;         /* q */
	struct softint *sl_running;             /* q */
	unsigned sl_nwaiters;                   /* q: on sl_done_cv */
	bool sl_started;                        /* s */
	struct lwp *sl_lwp;                     /* s, then c: the thread */
	const char *sl_name;                    /* c */
};

static struct softint_level softint_levels[SOFTINT_COUNT] = {
	[SOFTINT_CLOCK] = { .sl_name = "softclk" },
	[SOFTINT_BIO] = { .sl_name = "softbio" },
	[SOFTINT_NET] = { .sl_name = "softnet" },
	[SOFTINT_SERIAL] = { .sl_name = "softser" },
};
static kmutex_t softint_start_lock;

void
softint_startup(void)
{
	struct softint_level *sl;

	mutex_init(&softint_start_lock, MUTEX_DEFAULT, IPL_NONE);
	for (int i = 0; i < SOFTINT_COUNT; i++) {
		sl = &softint_levels[i];
		mutex_init(&sl->sl_lock, MUTEX_SPIN, IPL_HIGH);
		cv_init(&sl->sl_cv, sl->sl_name);
		cv_init(&sl->sl_done_cv, "softdone");
		TAILQ_INIT(&sl->sl_queue);
	}
}

static void
softint_thread(void *arg)
{
	struct softint_level *sl = arg;
	struct softint *si;

	mutex_spin_enter(&sl->sl_lock);
	for (;;) {
		if ((si = TAILQ_FIRST(&sl->sl_queue)) == NULL) {
			cv_wait(&sl->sl_cv, &sl->sl_lock);
			continue;
		}
		TAILQ_REMOVE(&sl->sl_queue, si, si_link);
		si->si_pending = false;
		sl->sl_running = si;
		mutex_spin_exit(&sl->sl_lock);

		si->si_func(si->si_arg);

		mutex_spin_enter(&sl->sl_lock);
		sl->sl_running = NULL;
		if (sl->sl_nwaiters > 0)
			cv_broadcast(&sl->sl_done_cv);
	}
}

static int
softint_level_start(struct softint_level *sl)
{
	int error = 0;

	mutex_enter(&softint_start_lock);
	if (!sl->sl_started) {
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE, NULL,
		    softint_thread, sl, &sl->sl_lwp, "%s", sl->sl_name);
		sl->sl_started = error == 0;
	}
	mutex_exit(&softint_start_lock);
	return error;
}

void *
softint_establish(unsigned flags, void (*func)(void *), void *arg)
{
	unsigned level = flags & SOFTINT_LVLMASK;
	struct softint_level *sl;
	struct softint *si;

	if (level >= SOFTINT_COUNT || func == NULL)
		return NULL;
	sl = &softint_levels[level];
	if (softint_level_start(sl) != 0)
		return NULL;
	if ((si = kmem_zalloc(sizeof(*si), KM_SLEEP)) == NULL)
		return NULL;
	si->si_level = sl;
	si->si_func = func;
	si->si_arg = arg;
	return si;
}

void
softint_schedule(void *cookie)
{
	struct softint *si = cookie;
	struct softint_level *sl = si->si_level;

	mutex_spin_enter(&sl->sl_lock);
	if (!si->si_pending) {
		si->si_pending = true;
		TAILQ_INSERT_TAIL(&sl->sl_queue, si, si_link);
		cv_signal(&sl->sl_cv);
	}
	mutex_spin_exit(&sl->sl_lock);
}

void
softint_disestablish(void *cookie)
{
	struct softint *si = cookie;
	struct softint_level *sl = si->si_level;

	mutex_spin_enter(&sl->sl_lock);
	if (si->si_pending) {
		TAILQ_REMOVE(&sl->sl_queue, si, si_link);
		si->si_pending = false;
	}
	KASSERTMSG(sl->sl_running != si || curlwp != sl->sl_lwp,
	    "softint %p: disestablished by its own handler", si);
	while (sl->sl_running == si) {
		sl->sl_nwaiters++;
		cv_wait(&sl->sl_done_cv, &sl->sl_lock);
		sl->sl_nwaiters--;
	}
	mutex_spin_exit(&sl->sl_lock);
	kmem_free(si, sizeof(*si));
}
