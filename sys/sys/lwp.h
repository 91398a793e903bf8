/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Light-weight processes (lwproc.c).  An lwp is the kernel's view of a host
 * thread: it belongs to a process and, while it runs kernel code, holds a
 * virtual CPU.  A host thread is bound to at most one lwp at a time
 * (rumpuser_curlwp); an unbound thread entering the kernel gets an
 * "implicit" lwp in the default client process for the duration.
 *
 * Locking: (p) the process's p_lock, (s) the lwp's own thread only,
 * (c) stable after creation.
 */
#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_

#include <sys/queue.h>
#include <sys/param.h>
#include <rump/rumpuser.h>

struct proc;
struct cpu_info;

struct lwp {
	struct proc *l_proc;            /* c */
	lwpid_t l_lid;                  /* c */
	int l_flag;                     /* s */
	bool l_bound;                   /* atomic: bound to a host thread */
	struct cpu_info *l_cpu;         /* s: CPU held, NULL when off CPU */
	struct cpu_info *l_lastcpu;     /* s: where it last ran */
	unsigned l_spinlocks;           /* s: spin mutexes held */
	struct kauth_cred *l_cred;      /* s: reference to p_cred */
	void *l_thread;                 /* c: host thread cookie (kthreads) */
	/*
	 * c: the remote client connection this lwp serves (kern_sysproxy.c),
	 * NULL for an lwp of this host process; set before it first runs.
	 * Its memory is another host process's: copyin and copyout ask the
	 * client through rumpuser_sp_*().
	 */
	void *l_spclient;
	LIST_ENTRY(lwp) l_sibling;      /* p */
	char l_name[MAXCOMLEN];         /* c */
};

#define LW_SYSTEM   0x01    /* a kernel thread */
#define LW_IMPLICIT 0x02    /* bound only for one kernel entry */
#define LW_MUSTJOIN 0x04    /* a kthread that kthread_join() reaps */

static inline struct lwp *
curlwp_get(void)
{
	return rumpuser_curlwp();
}
#define curlwp  (curlwp_get())
#define curproc (curlwp->l_proc)

struct lwp *lwp_create_in(struct proc *, int flag, const char *name);
void lwp_free(struct lwp *);
/* Take a reference to the process credential if it changed. */
void lwp_cred_refresh(struct lwp *);

#endif /* _SYS_LWP_H_ */
