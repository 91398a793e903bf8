/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel threads: a host thread bound to an lwp of proc0.  The thread
 * takes a virtual CPU before calling the function, so the function runs as
 * any kernel code does.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

struct kthread_start {
	struct lwp *ks_lwp;
	void (*ks_func)(void *);
	void *ks_arg;
};

static void *
kthread_trampoline(void *arg)
{
	struct kthread_start ks = *(struct kthread_start *)arg;

	rumpuser_free(arg, sizeof(ks));
	rumpuser_curlwp_set(ks.ks_lwp);
	rump_schedule();
	ks.ks_func(ks.ks_arg);
	kthread_exit(0);
}

int
kthread_create(int pri, int flags, struct cpu_info *ci, void (*func)(void *),
    void *arg, struct lwp **lp, const char *fmt, ...)
{
	struct kthread_start *ks;
	char name[MAXCOMLEN];
	struct lwp *l;
	va_list ap;
	void *mem;
	int error;

	(void)pri;
	(void)ci;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if ((l = lwp_create_in(&proc0,
	    LW_SYSTEM | ((flags & KTHREAD_MUSTJOIN) ? LW_MUSTJOIN : 0), name)) == NULL)
		return ENOMEM;
	if ((error = rumpuser_malloc(sizeof(*ks), 0, &mem)) != 0) {
		lwp_free(l);
		return error;
	}
	ks = mem;
	ks->ks_lwp = l;
	ks->ks_func = func;
	ks->ks_arg = arg;
	if (lp != NULL)
		*lp = l;
	error = rumpuser_thread_create(kthread_trampoline, ks, name,
	    (flags & KTHREAD_MUSTJOIN) != 0, &l->l_thread);
	if (error) {
		rumpuser_free(ks, sizeof(*ks));
		lwp_free(l);
		return error;
	}
	return 0;
}

/*
 * A joinable thread's lwp stays until kthread_join(); any other is freed
 * here, from an implicit lwp, since it cannot free the lwp it runs on.
 */
void
kthread_exit(int ecode)
{
	struct lwp *l = curlwp;

	(void)ecode;
	rump_unschedule();
	rumpuser_curlwp_set(NULL);
	if ((l->l_flag & LW_MUSTJOIN) == 0) {
		rump_schedule();
		lwp_free(l);
		rump_unschedule();
	}
	rumpuser_thread_exit();
}

int
kthread_join(struct lwp *l)
{
	int error;

	KASSERT(l->l_thread != NULL);
	error = rumpuser_thread_join(l->l_thread);
	lwp_free(l);
	return error;
}
