/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Processes (lwproc.c).  proc0 holds the kernel threads; proc1 is the
 * default client process, where unbound host threads run.  Further
 * processes come from rump_pub_lwproc_rfork().  A process ends when its
 * last lwp is released: its descriptors are closed and its pid freed; its
 * children are given to proc1.
 *
 * Locking: (p) p_lock, (t) proc_lock (the process table), (c) stable.
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/lwp.h>
#include <sys/kauth.h>
#include <sys/mutex.h>

struct filedesc;
struct vnode;

/*
 * Per-process file-system context.  The kernel core keeps the umask; the
 * VFS, when linked, keeps the directories and installs cwdi_hooks.
 */
struct cwdinfo {
	unsigned cwdi_refcnt;           /* atomic */
	mode_t cwdi_cmask;              /* p */
	struct vnode *cwdi_cdir;        /* p: current directory */
	struct vnode *cwdi_rdir;        /* p: root (chroot), NULL for "/" */
};

struct proc {
	kmutex_t p_lock;
	pid_t p_pid;                    /* c */
	struct proc *p_pptr;            /* t: parent */
	LIST_HEAD(, lwp) p_lwps;        /* p */
	unsigned p_nlwps;               /* p */
	lwpid_t p_nextlid;              /* p */
	kauth_cred_t p_cred;            /* p: swap under p_lock */
	struct filedesc *p_fd;          /* c */
	struct cwdinfo *p_cwdi;         /* c */
	LIST_ENTRY(proc) p_list;        /* t */
	char p_comm[MAXCOMLEN];         /* p */
};

extern struct proc proc0;
extern struct proc *initproc;
extern kmutex_t proc_lock;

struct proc *proc_find(pid_t);          /* call with proc_lock held */
/* Call fn for each process, with proc_lock held, until it returns non-0. */
int proc_foreach(int (*fn)(struct proc *, void *), void *arg);

/*
 * Hooks for the layer that owns cwdi_cdir/cwdi_rdir (the VFS): copy
 * references for a new process, release them at exit.
 */
struct cwdi_hooks {
	void (*ch_copy)(struct cwdinfo *from, struct cwdinfo *to);
	void (*ch_release)(struct cwdinfo *);
};
void cwdi_sethooks(const struct cwdi_hooks *);

/* Credential changes: swap p_cred for ncred, releasing the old one. */
void proc_crmod(struct proc *, kauth_cred_t ncred);

#endif /* _SYS_PROC_H_ */
