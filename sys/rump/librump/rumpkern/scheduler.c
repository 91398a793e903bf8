/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Virtual CPUs.  A host thread runs kernel code only while its lwp holds a
 * virtual CPU; there are ncpu of them (RUMP_NCPU).
 *
 * Taking a CPU is a compare-and-swap of its ci_curlwp from NULL to the
 * lwp, trying the CPU the lwp last ran on first.  When every CPU is taken
 * the thread sleeps on sched_cv.  Giving a CPU back is a store of NULL and,
 * only if someone is sleeping, a wakeup: with sequentially consistent
 * atomics either the releaser sees sched_waiters or the sleeper's rescan,
 * done under sched_mtx before it sleeps, sees the free CPU.
 *
 * A thread with no lwp bound (rumpuser_curlwp() == NULL) gets an implicit
 * lwp in the default client process for as long as it holds the CPU.  Each
 * CPU caches one, so such entries allocate nothing in the common case.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/cpu.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

struct cpu_info cpu_infos[MAXCPUS];
int ncpu;

static struct rumpuser_mtx *sched_mtx;
static struct rumpuser_cv *sched_cv;
static unsigned sched_waiters;                  /* atomic */

/* Marks a CPU taken for an entry that has no lwp yet. */
static struct lwp implicit_tag;

void
sched_init(int n)
{
	ncpu = n;
	for (int i = 0; i < n; i++)
		cpu_infos[i].ci_index = (unsigned)i;
	if (rumpuser_mutex_init(&sched_mtx, RUMPUSER_MTX_SPIN) != 0 ||
	    rumpuser_cv_init(&sched_cv) != 0)
		panic("sched_init: out of host memory");
}

static bool
cpu_try(struct cpu_info *ci, struct lwp *l)
{
	return ci->ci_curlwp == NULL && atomic_cas_ptr(&ci->ci_curlwp, NULL, l);
}

static struct cpu_info *
cpu_scan(struct lwp *l)
{
	for (int i = 0; i < ncpu; i++)
		if (cpu_try(&cpu_infos[i], l))
			return &cpu_infos[i];
	return NULL;
}

static struct cpu_info *
cpu_acquire(struct lwp *l, struct cpu_info *hint)
{
	struct cpu_info *ci;

	if (hint != NULL && cpu_try(hint, l))
		return hint;
	if ((ci = cpu_scan(l)) != NULL)
		return ci;

	rumpuser_mutex_enter_nowrap(sched_mtx);
	__atomic_add_fetch(&sched_waiters, 1, __ATOMIC_SEQ_CST);
	while ((ci = cpu_scan(l)) == NULL)
		rumpuser_cv_wait_nowrap(sched_cv, sched_mtx);
	__atomic_sub_fetch(&sched_waiters, 1, __ATOMIC_SEQ_CST);
	rumpuser_mutex_exit(sched_mtx);
	return ci;
}

static void
cpu_release(struct cpu_info *ci)
{
	__atomic_store_n(&ci->ci_curlwp, NULL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sched_waiters, __ATOMIC_SEQ_CST) != 0) {
		rumpuser_mutex_enter_nowrap(sched_mtx);
		rumpuser_cv_signal(sched_cv);
		rumpuser_mutex_exit(sched_mtx);
	}
}

struct cpu_info *
curcpu(void)
{
	return curlwp->l_cpu;
}

/* Put an lwp that is bound to this thread on a CPU. */
void
schedule_lwp(struct lwp *l)
{
	struct cpu_info *ci;

	KASSERTMSG(l->l_cpu == NULL, "lwp %d.%d: scheduled twice",
	    l->l_proc->p_pid, l->l_lid);
	ci = cpu_acquire(l, l->l_lastcpu);
	l->l_cpu = ci;
	ci->ci_nswitch++;
}

static struct lwp *
implicit_alloc(void)
{
	struct lwp *l;
	void *mem;

	if (rumpuser_malloc(sizeof(struct lwp), 0, &mem) != 0)
		panic("rump_schedule: out of host memory");
	l = mem;
	memset(l, 0, sizeof(*l));
	l->l_flag = LW_IMPLICIT;
	strlcpy(l->l_name, "implicit", sizeof(l->l_name));
	return l;
}

void
rump_schedule(void)
{
	struct cpu_info *ci;
	struct lwp *l;

	if ((l = rumpuser_curlwp()) != NULL) {
		schedule_lwp(l);
		return;
	}
	ci = cpu_acquire(&implicit_tag, NULL);
	if ((l = ci->ci_implicit) != NULL)
		ci->ci_implicit = NULL;
	else
		l = implicit_alloc();
	/* A cached one is clean: it left with no lock held and no CPU. */
	l->l_proc = initproc;
	l->l_cpu = ci;
	ci->ci_nswitch++;
	__atomic_store_n(&ci->ci_curlwp, l, __ATOMIC_RELAXED);
	rumpuser_curlwp_set(l);
	/*
	 * A new implicit lwp has no credential yet, and a cached one may
	 * hold an old one: kernel entries that are not system calls (the
	 * rump_pub_* calls) need initproc's, as the calls get it.  (Early
	 * in boot there is no initproc yet.)
	 */
	if (l->l_proc != NULL)
		lwp_cred_refresh(l);
}

void
rump_unschedule(void)
{
	unschedule_lwp(rumpuser_curlwp());
}

/* Take l, the lwp bound to this thread, off its CPU. */
void
unschedule_lwp(struct lwp *l)
{
	struct cpu_info *ci = l->l_cpu;

	KASSERTMSG(ci != NULL && ci->ci_curlwp == l,
	    "rump_unschedule: not scheduled");
	KASSERTMSG(l->l_spinlocks == 0,
	    "rump_unschedule: leaving the kernel with a spin mutex held");
	l->l_cpu = NULL;
	l->l_lastcpu = ci;
	if (l->l_flag & LW_IMPLICIT) {
		rumpuser_curlwp_set(NULL);
		if (ci->ci_implicit == NULL) {
			ci->ci_implicit = l;
		} else {
			if (l->l_cred != NULL)
				kauth_cred_free(l->l_cred);
			rumpuser_free(l, sizeof(*l));
		}
	}
	cpu_release(ci);
}

/* Upcalls from rumpuser around blocking host operations. */
void
sched_backend_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();
	struct cpu_info *ci = l->l_cpu;

	l->l_cpu = NULL;
	l->l_lastcpu = ci;
	cpu_release(ci);
}

void
sched_backend_schedule(void)
{
	schedule_lwp(rumpuser_curlwp());
}

/* Give other threads a chance at this CPU. */
void
yield(void)
{
	if (__atomic_load_n(&sched_waiters, __ATOMIC_SEQ_CST) == 0)
		return;
	sched_backend_unschedule();
	sched_backend_schedule();
}
