/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel's side of serving other processes (the original's sysproxy).
 * The host side (lib/librumpuser/rumpuser_sp.c) owns the sockets, a
 * thread per client connection and the wire format; it calls in through
 * the upcalls here to make, fork, adopt and end a client's process and
 * to run its system calls.  Each client connection is an lwp: the first
 * of a process made for it, or of a forked child, or one more joining a
 * process (a client's thread with a connection of its own).  A remote
 * lwp has l_spclient set: its memory is in another host process, so copyin and
 * copyout (kern_copy.c) ask the client through rumpuser_sp_copy*() instead of
 * copying memory.
 *
 * kern.sysproxy.* counts what the server holds, for the leak tests:
 * clients (remote lwps: connections), nprocs (every process of the
 * kernel) and nfiles (descriptors open in all processes).
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sysctl.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "rump_private.h"
#include "syscallargs.h"
#include "sysproxy.h"

#define KERN_SYSPROXY 90

static unsigned sp_nclients; /* atomic: remote lwps (connections) */

static int
sp_newproc(void *client, unsigned uid, unsigned gid, const char *comm)
{
	kauth_cred_t cred;
	struct proc *p;
	int error;

	if ((error = rump_pub_lwproc_rfork(RUMP_RFCFDG)) != 0)
		return error;
	rump_schedule();
	p = curproc;
	if ((cred = kauth_cred_alloc()) == NULL) {
		rump_unschedule();
		rump_pub_lwproc_releaselwp();
		return ENOMEM;
	}
	cred->cr_uid = cred->cr_euid = cred->cr_svuid = uid;
	cred->cr_gid = cred->cr_egid = cred->cr_svgid = gid;
	proc_crmod(p, cred);
	mutex_enter(&p->p_lock);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	mutex_exit(&p->p_lock);
	curlwp->l_spclient = client;
	atomic_inc_uint(&sp_nclients);
	rump_unschedule();
	return 0;
}

/* Another connection of process pid's client: an lwp of its own. */
static int
sp_join(int pid, void *client)
{
	int error;

	if ((error = rump_pub_lwproc_newlwp(pid)) != 0)
		return error;
	rumpuser_curlwp()->l_spclient = client;
	atomic_inc_uint(&sp_nclients);
	return 0;
}

static int
sp_fork(struct lwp **childp)
{
	struct lwp *parent = rumpuser_curlwp();
	int error;

	KASSERT(parent != NULL);
	if ((error = rump_pub_lwproc_rfork(RUMP_RFFDG)) != 0)
		return error;
	*childp = rumpuser_curlwp();
	rump_pub_lwproc_switch(parent);
	return 0;
}

static void
sp_adopt(struct lwp *l, void *client)
{
	rump_pub_lwproc_switch(l);
	if (client != NULL) {
		l->l_spclient = client;
		atomic_inc_uint(&sp_nclients);
	}
}

static void
sp_release(void)
{
	struct lwp *l = rumpuser_curlwp();

	KASSERT(l != NULL);
	if (l->l_spclient != NULL)
		(void)atomic_dec_uint_nv(&sp_nclients);
	rump_pub_lwproc_releaselwp();
}

/*
 * The number and the arguments come from the client: check the number
 * before the tables see it.  Missing arguments are zero, as registers a
 * caller did not set would be garbage.
 */
static int
sp_syscall(int num, const long *regs, int nregs, long *retval)
{
	union {
		char bytes[SYSPROXY_ARGSIZE];
		register_t align;
	} args;
	register_t r[SYSPROXY_MAXREGS] = {0};
	register_t rv = 0;
	int error;

	if (num < 0 || num >= SYS_NSYSENT || syscall_meta[num].sm_name == NULL)
		return ENOSYS;
	if (nregs < 0 || nregs > SYSPROXY_MAXREGS)
		return EINVAL;
	if (nregs > 0)
		memcpy(r, regs, (size_t)nregs * sizeof(r[0]));
	memset(&args, 0, sizeof(args));
	sysproxy_unpack[num].su_unpack(r, args.bytes);
	error = syscall_dispatch(num, args.bytes, &rv);
	*retval = rv;
	return error;
}

static const struct rumpuser_sp_upcalls sp_upcalls = {
    .spu_newproc = sp_newproc,
    .spu_join = sp_join,
    .spu_fork = sp_fork,
    .spu_adopt = sp_adopt,
    .spu_release = sp_release,
    .spu_syscall = sp_syscall,
};

static int
sp_countfiles(struct proc *p, void *arg)
{
	struct filedesc *fdp = p->p_fd;
	int *n = arg;

	mutex_enter(&fdp->fd_lock);
	for (unsigned i = 0; i < fdp->fd_lastfile && i < fdp->fd_nfiles; i++)
		if (fdp->fd_ofiles[i].ff_file != NULL)
			(*n)++;
	mutex_exit(&fdp->fd_lock);
	return 0;
}

static int
sp_countproc(struct proc *p, void *arg)
{
	int *n = arg;

	(void)p;
	(*n)++;
	return 0;
}

static int
sysctl_sp_count(struct sysctlnode *node, struct sysctl_req *req)
{
	int n = 0;

	if (req->sr_newp != NULL)
		return EPERM;
	if (strcmp(node->sn_name, "clients") == 0)
		n = (int)atomic_load_relaxed(&sp_nclients);
	else if (strcmp(node->sn_name, "nprocs") == 0)
		proc_foreach(sp_countproc, &n);
	else
		proc_foreach(sp_countfiles, &n);
	return sysctl_copyout_value(req, &n, sizeof(n));
}

static int
sp_sysctl_init(void)
{
	static const char *const names[] = {"clients", "nprocs", "nfiles"};
	struct sysctlnode *kern, *sp;
	int error;

	if ((error = sysctl_create(&kern, NULL, CTL_KERN, "kern", CTLTYPE_NODE,
	                           0, NULL, 0, NULL)) != 0 ||
	    (error = sysctl_create(&sp, kern, KERN_SYSPROXY, "sysproxy",
	                           CTLTYPE_NODE, 0, NULL, 0, NULL)) != 0)
		return error;
	for (int i = 0; i < (int)__arraycount(names); i++)
		if ((error = sysctl_create(NULL, sp, i + 1, names[i],
		                           CTLTYPE_INT, CTLFLAG_READONLY, NULL,
		                           sizeof(int), sysctl_sp_count)) != 0)
			return error;
	return 0;
}

int
rump_init_server(const char *url)
{
	static bool once;
	int error;

	if (!kern_booted)
		return ENXIO;
	if (url == NULL)
		return EINVAL;
	if (!atomic_load_relaxed(&once)) {
		rump_schedule();
		error = sp_sysctl_init();
		rump_unschedule();
		if (error != 0 && error != EEXIST)
			return error;
		atomic_store_relaxed(&once, true);
	}
	return rumpuser_sp_init(url, &sp_upcalls);
}

int
rump_daemonize_begin(void)
{
	return rumpuser_daemonize_begin();
}

int
rump_daemonize_done(int error)
{
	return rumpuser_daemonize_done(error);
}
