/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Processes and lwps, and the client's control of them (rump_pub_lwproc_*).
 *
 * proc0 (pid 0) holds the kernel threads.  initproc (pid 1) is the default
 * client process: a host thread with no lwp of its own runs there.  A
 * client makes a process with rump_pub_lwproc_rfork(), which binds the
 * calling host thread to the new process's first lwp; switch() rebinds a
 * thread to another lwp, releaselwp() ends the bound lwp, and with the
 * last lwp its process: descriptors closed, directories released, pid
 * freed, children handed to initproc.
 *
 * Lock order: proc_lock, then p_lock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

struct proc proc0;
struct proc *initproc;
kmutex_t proc_lock;

static LIST_HEAD(, proc) allproc;               /* proc_lock */
static pid_t nextpid = 1;                       /* proc_lock */
static unsigned nprocs;                         /* proc_lock */
static const struct cwdi_hooks *cwdi_hooks;     /* set once at boot */

void
cwdi_sethooks(const struct cwdi_hooks *hooks)
{
	cwdi_hooks = hooks;
}

struct proc *
proc_find(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

int
proc_foreach(int (*fn)(struct proc *, void *), void *arg)
{
	struct proc *p;
	int error = 0;

	mutex_enter(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list)
		if ((error = fn(p, arg)) != 0)
			break;
	mutex_exit(&proc_lock);
	return error;
}

/* The next free pid.  Called with proc_lock held. */
static int
proc_allocpid(pid_t *pidp)
{
	if (nprocs >= PID_MAX - 2)
		return EAGAIN;
	for (;;) {
		pid_t pid = nextpid;
		nextpid = nextpid + 1 >= PID_MAX ? 2 : nextpid + 1;
		if (proc_find(pid) == NULL) {
			*pidp = pid;
			return 0;
		}
	}
}

static struct cwdinfo *
cwdi_alloc(struct cwdinfo *from)
{
	struct cwdinfo *cwdi;

	if ((cwdi = kmem_zalloc(sizeof(*cwdi), KM_SLEEP)) == NULL)
		return NULL;
	cwdi->cwdi_refcnt = 1;
	cwdi->cwdi_cmask = from != NULL ? from->cwdi_cmask : 022;
	if (from != NULL && cwdi_hooks != NULL)
		cwdi_hooks->ch_copy(from, cwdi);
	return cwdi;
}

static void
cwdi_free(struct cwdinfo *cwdi)
{
	if (atomic_dec_uint_nv(&cwdi->cwdi_refcnt) != 0)
		return;
	if (cwdi_hooks != NULL)
		cwdi_hooks->ch_release(cwdi);
	kmem_free(cwdi, sizeof(*cwdi));
}

/*
 * Make a process: a child of parent (NULL for proc0 and initproc).
 * fdflags says what it gets of the parent's descriptors.
 */
static int
proc_create(struct proc *p, struct proc *parent, int fdflags)
{
	int error = ENOMEM;

	mutex_init(&p->p_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&p->p_lwps);
	p->p_nextlid = 1;
	if (parent == NULL) {
		p->p_cred = kauth_cred_alloc();
		p->p_fd = fd_init();
	} else {
		p->p_cred = parent->p_cred;
		kauth_cred_hold(p->p_cred);
		if (fdflags & RUMP_RFFDG)
			p->p_fd = fd_copy(parent->p_fd);
		else if (fdflags & RUMP_RFCFDG)
			p->p_fd = fd_init();
		else {
			p->p_fd = parent->p_fd;
			fd_share(p->p_fd);
		}
		strlcpy(p->p_comm, parent->p_comm, sizeof(p->p_comm));
	}
	p->p_cwdi = cwdi_alloc(parent != NULL ? parent->p_cwdi : NULL);
	if (p->p_cred == NULL || p->p_fd == NULL || p->p_cwdi == NULL)
		goto fail;

	mutex_enter(&proc_lock);
	if (p == &proc0)
		p->p_pid = 0;
	else if ((error = proc_allocpid(&p->p_pid)) != 0) {
		mutex_exit(&proc_lock);
		goto fail;
	}
	p->p_pptr = parent;
	LIST_INSERT_HEAD(&allproc, p, p_list);
	nprocs++;
	mutex_exit(&proc_lock);
	return 0;

fail:
	if (p->p_cwdi != NULL)
		cwdi_free(p->p_cwdi);
	if (p->p_fd != NULL)
		fd_free(p->p_fd);
	if (p->p_cred != NULL)
		kauth_cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	return error;
}

static void
proc_exit(struct proc *p)
{
	struct proc *child;

	KASSERT(p != &proc0 && p != initproc);
	mutex_enter(&proc_lock);
	LIST_REMOVE(p, p_list);
	nprocs--;
	LIST_FOREACH(child, &allproc, p_list)
		if (child->p_pptr == p)
			child->p_pptr = initproc;
	mutex_exit(&proc_lock);

	fd_free(p->p_fd);
	cwdi_free(p->p_cwdi);
	kauth_cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

struct lwp *
lwp_create_in(struct proc *p, int flag, const char *name)
{
	struct lwp *l;

	if ((l = kmem_zalloc(sizeof(*l), KM_SLEEP)) == NULL)
		return NULL;
	l->l_proc = p;
	l->l_flag = flag;
	strlcpy(l->l_name, name, sizeof(l->l_name));
	mutex_enter(&p->p_lock);
	l->l_lid = p->p_nextlid++;
	LIST_INSERT_HEAD(&p->p_lwps, l, l_sibling);
	p->p_nlwps++;
	l->l_cred = p->p_cred;
	kauth_cred_hold(l->l_cred);
	mutex_exit(&p->p_lock);
	return l;
}

/* Unlink and free an lwp; the process ends with its last lwp. */
void
lwp_free(struct lwp *l)
{
	struct proc *p = l->l_proc;
	bool last;

	mutex_enter(&p->p_lock);
	LIST_REMOVE(l, l_sibling);
	last = --p->p_nlwps == 0;
	mutex_exit(&p->p_lock);
	if (l->l_cred != NULL)
		kauth_cred_free(l->l_cred);
	kmem_free(l, sizeof(*l));
	if (last && p != &proc0 && p != initproc)
		proc_exit(p);
}

void
lwp_cred_refresh(struct lwp *l)
{
	struct proc *p = l->l_proc;
	kauth_cred_t old;

	if (__predict_true(l->l_cred == atomic_load_relaxed(&p->p_cred)))
		return;
	mutex_enter(&p->p_lock);
	old = l->l_cred;
	l->l_cred = p->p_cred;
	kauth_cred_hold(l->l_cred);
	mutex_exit(&p->p_lock);
	if (old != NULL)
		kauth_cred_free(old);
}

void
proc_crmod(struct proc *p, kauth_cred_t ncred)
{
	kauth_cred_t old;

	mutex_enter(&p->p_lock);
	old = p->p_cred;
	p->p_cred = ncred;
	mutex_exit(&p->p_lock);
	kauth_cred_free(old);
	lwp_cred_refresh(curlwp);
}

void
lwproc_init(void)
{
	static struct proc proc1;

	mutex_init(&proc_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&allproc);
	if (proc_create(&proc0, NULL, 0) != 0 ||
	    proc_create(&proc1, NULL, 0) != 0)
		panic("lwproc_init: cannot create the first processes");
	strlcpy(proc0.p_comm, "system", sizeof(proc0.p_comm));
	strlcpy(proc1.p_comm, "init", sizeof(proc1.p_comm));
	initproc = &proc1;
}

/*
 * Bind the calling host thread to l (NULL: to none).  An lwp runs on one
 * thread at a time, so binding one that another thread holds is a client
 * bug the kernel cannot survive.
 */
static void
lwp_bind(struct lwp *l)
{
	struct lwp *old = rumpuser_curlwp();

	if (l == old)
		return;
	if (l != NULL && __atomic_exchange_n(&l->l_bound, true,
	    __ATOMIC_ACQ_REL))
		panic("lwp %d.%d is bound to another thread", l->l_proc->p_pid,
		    l->l_lid);
	if (old != NULL)
		__atomic_store_n(&old->l_bound, false, __ATOMIC_RELEASE);
	rumpuser_curlwp_set(l);
}

/*
 * The client interface.  Each call enters the kernel on its own, so the
 * calling thread must not be inside the kernel already.
 */
int
rump_pub_lwproc_rfork(int flags)
{
	struct proc *parent, *p;
	struct lwp *l = NULL;
	int error;

	if ((flags & (RUMP_RFFDG | RUMP_RFCFDG)) == (RUMP_RFFDG | RUMP_RFCFDG) ||
	    (flags & ~(RUMP_RFFDG | RUMP_RFCFDG)) != 0)
		return EINVAL;
	rump_schedule();
	parent = curproc;
	if ((p = kmem_zalloc(sizeof(*p), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = proc_create(p, parent, flags)) != 0) {
		kmem_free(p, sizeof(*p));
		goto out;
	}
	if ((l = lwp_create_in(p, 0, p->p_comm)) == NULL) {
		error = ENOMEM;
		proc_exit(p);
	}
out:
	rump_unschedule();
	if (l != NULL)
		lwp_bind(l);
	return error;
}

int
rump_pub_lwproc_newlwp(pid_t pid)
{
	struct proc *p;
	struct lwp *l = NULL;
	int error = 0;

	rump_schedule();
	mutex_enter(&proc_lock);
	p = proc_find(pid);
	/*
	 * Ending a process takes proc_lock: p stays while we link to it.
	 * proc0 never ends: a thread may join it, as in the original.
	 */
	if (p == NULL)
		error = ESRCH;
	else if ((l = lwp_create_in(p, 0, p->p_comm)) == NULL)
		error = ENOMEM;
	mutex_exit(&proc_lock);
	rump_unschedule();
	if (l != NULL)
		lwp_bind(l);
	return error;
}

/* Our system calls are already the host's: nothing to change. */
void
rump_pub_lwproc_sysent_usenative(void)
{
}

void
rump_pub_lwproc_switch(struct lwp *l)
{
	struct lwp *cur = rumpuser_curlwp();

	if (cur != NULL)
		KASSERTMSG(cur->l_cpu == NULL,
		    "rump_pub_lwproc_switch: called inside the kernel");
	lwp_bind(l);
}

void
rump_pub_lwproc_releaselwp(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL)
		panic("rump_pub_lwproc_releaselwp: no lwp bound to this thread");
	KASSERTMSG(l->l_cpu == NULL,
	    "rump_pub_lwproc_releaselwp: called inside the kernel");
	/*
	 * Free it from an implicit lwp: freeing the lwp we run on, and maybe
	 * its process, needs a valid curlwp throughout.
	 */
	lwp_bind(NULL);
	rump_schedule();
	lwp_free(l);
	rump_unschedule();
}

struct lwp *
rump_pub_lwproc_curlwp(void)
{
	return rumpuser_curlwp();
}
