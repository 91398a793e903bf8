/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Work queues: a FIFO of work items and a kernel thread per queue that
 * takes them off one at a time and calls the queue's function.  The
 * thread is joined when the queue is destroyed.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/workqueue.h>

/* Lock legend: (q) wq_lock, (c) stable. */
struct workqueue {
	kmutex_t wq_lock;
	kcondvar_t wq_cv;               /* q: the thread waits for work */
	kcondvar_t wq_done_cv;          /* q: workqueue_wait() waits */
	struct work *wq_head;           /* q */
	struct work **wq_tailp;         /* q */
	struct work *wq_running;        /* q: whose function runs */
	unsigned wq_nwaiters;           /* q: on wq_done_cv */
	bool wq_dying;                  /* q */
	void (*wq_func)(struct work *, void *);  /* c */
	void *wq_arg;                   /* c */
	struct lwp *wq_lwp;             /* c */
};

static void
workqueue_thread(void *arg)
{
	struct workqueue *wq = arg;
	struct work *wk;

	mutex_enter(&wq->wq_lock);
	for (;;) {
		if ((wk = wq->wq_head) == NULL) {
			if (wq->wq_dying)
				break;
			cv_wait(&wq->wq_cv, &wq->wq_lock);
			continue;
		}
		if ((wq->wq_head = wk->wk_next) == NULL)
			wq->wq_tailp = &wq->wq_head;
		wq->wq_running = wk;
		mutex_exit(&wq->wq_lock);

		/* The function owns wk now: it is not touched again. */
		wq->wq_func(wk, wq->wq_arg);

		mutex_enter(&wq->wq_lock);
		wq->wq_running = NULL;
		if (wq->wq_nwaiters > 0)
			cv_broadcast(&wq->wq_done_cv);
	}
	mutex_exit(&wq->wq_lock);
	kthread_exit(0);
}

int
workqueue_create(struct workqueue **wqp, const char *name,
    void (*func)(struct work *, void *), void *arg, int pri, int ipl,
    int flags)
{
	struct workqueue *wq;
	int error;

	(void)flags;
	if ((wq = kmem_zalloc(sizeof(*wq), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_init(&wq->wq_lock, MUTEX_DEFAULT, ipl);
	cv_init(&wq->wq_cv, name);
	cv_init(&wq->wq_done_cv, "wqwait");
	wq->wq_tailp = &wq->wq_head;
	wq->wq_func = func;
	wq->wq_arg = arg;
	error = kthread_create(pri, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL,
	    workqueue_thread, wq, &wq->wq_lwp, "%s", name);
	if (error) {
		cv_destroy(&wq->wq_done_cv);
		cv_destroy(&wq->wq_cv);
		mutex_destroy(&wq->wq_lock);
		kmem_free(wq, sizeof(*wq));
		return error;
	}
	*wqp = wq;
	return 0;
}

void
workqueue_enqueue(struct workqueue *wq, struct work *wk, struct cpu_info *ci)
{
	(void)ci;
	mutex_enter(&wq->wq_lock);
	KASSERT(!wq->wq_dying);
	wk->wk_next = NULL;
	*wq->wq_tailp = wk;
	wq->wq_tailp = &wk->wk_next;
	cv_signal(&wq->wq_cv);
	mutex_exit(&wq->wq_lock);
}

static bool
workqueue_queued(struct workqueue *wq, struct work *wk)
{
	for (struct work *w = wq->wq_head; w != NULL; w = w->wk_next)
		if (w == wk)
			return true;
	return false;
}

void
workqueue_wait(struct workqueue *wq, struct work *wk)
{
	KASSERTMSG(curlwp != wq->wq_lwp, "workqueue_wait from its own thread");
	mutex_enter(&wq->wq_lock);
	while (wq->wq_running == wk || workqueue_queued(wq, wk)) {
		wq->wq_nwaiters++;
		cv_wait(&wq->wq_done_cv, &wq->wq_lock);
		wq->wq_nwaiters--;
	}
	mutex_exit(&wq->wq_lock);
}

void
workqueue_destroy(struct workqueue *wq)
{
	mutex_enter(&wq->wq_lock);
	wq->wq_dying = true;
	cv_signal(&wq->wq_cv);
	mutex_exit(&wq->wq_lock);
	kthread_join(wq->wq_lwp);
	cv_destroy(&wq->wq_done_cv);
	cv_destroy(&wq->wq_cv);
	mutex_destroy(&wq->wq_lock);
	kmem_free(wq, sizeof(*wq));
}
