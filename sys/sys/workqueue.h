/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Work queues (workqueue(9)), in kern_workqueue.c.  Each queue has its own
 * kernel thread, which calls the queue's function on every enqueued work
 * item, one at a time, in the order enqueued.  A work item is embedded in
 * the caller's structure and may be enqueued again once its function has
 * started.  With an ipl above IPL_NONE the queue's lock is a spin mutex
 * and workqueue_enqueue() may be called with spin mutexes held.
 * WQ_PERCPU and the cpu argument are accepted; there is one thread per
 * queue all the same.
 */
#ifndef _SYS_WORKQUEUE_H_
#define _SYS_WORKQUEUE_H_

#include <sys/types.h>

struct cpu_info;
struct workqueue;

struct work {
	struct work *wk_next;           /* the queue's: its lock */
};

#define WQ_MPSAFE 0x01
#define WQ_PERCPU 0x02

/* May sleep.  0, or ENOMEM or a thread creation error. */
int workqueue_create(struct workqueue **, const char *name,
    void (*func)(struct work *, void *), void *arg, int pri, int ipl,
    int flags);
void workqueue_enqueue(struct workqueue *, struct work *, struct cpu_info *);
/* Wait until wk is neither queued nor running.  May sleep. */
void workqueue_wait(struct workqueue *, struct work *);
/* Run what is queued, stop the thread and free the queue.  May sleep. */
void workqueue_destroy(struct workqueue *);

#endif /* _SYS_WORKQUEUE_H_ */
