/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Process identity system calls: pids, user and group ids, groups, umask.
 * The rules for changing ids are POSIX's with saved set-user-ID: a
 * process with effective uid 0 may set any id; another may only move its
 * ids among its real, effective and saved values.
 */
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>

#include "syscallargs.h"

int
sys_getpid(struct lwp *l, const struct sys_getpid_args *uap, register_t *rv)
{
	(void)uap;
	*rv = l->l_proc->p_pid;
	return 0;
}

int
sys_getppid(struct lwp *l, const struct sys_getppid_args *uap, register_t *rv)
{
	struct proc *parent;

	(void)uap;
	mutex_enter(&proc_lock);
	parent = l->l_proc->p_pptr;
	*rv = parent != NULL ? parent->p_pid : 0;
	mutex_exit(&proc_lock);
	return 0;
}

int
sys_getuid(struct lwp *l, const struct sys_getuid_args *uap, register_t *rv)
{
	(void)uap;
	*rv = l->l_cred->cr_uid;
	return 0;
}

int
sys_geteuid(struct lwp *l, const struct sys_geteuid_args *uap, register_t *rv)
{
	(void)uap;
	*rv = l->l_cred->cr_euid;
	return 0;
}

int
sys_getgid(struct lwp *l, const struct sys_getgid_args *uap, register_t *rv)
{
	(void)uap;
	*rv = l->l_cred->cr_gid;
	return 0;
}

int
sys_getegid(struct lwp *l, const struct sys_getegid_args *uap, register_t *rv)
{
	(void)uap;
	*rv = l->l_cred->cr_egid;
	return 0;
}

/* The value that leaves an id unchanged in setreuid/setregid. */
#define ID_KEEP ((unsigned)-1)

/*
 * Change the process's ids.  Each new value is ID_KEEP or must be allowed:
 * anything for the superuser, else one of the current real, effective or
 * saved ids (only real or effective for a new real id, as Linux has it).
 * For setreuid/setregid, the saved id follows the effective one when the real id
 * is set or the effective id changes to other than the real id.
 */
static int
change_ids(struct lwp *l, bool group, unsigned nreal, unsigned neff,
    bool all_for_root)
{
	kauth_cred_t cred = l->l_cred, ncred;
	unsigned *r, *e, *s, cr, ce, cs;
	bool root = kauth_cred_issuser(cred);

	cr = group ? cred->cr_gid : cred->cr_uid;
	ce = group ? cred->cr_egid : cred->cr_euid;
	cs = group ? cred->cr_svgid : cred->cr_svuid;
	if (!root) {
		if (nreal != ID_KEEP && nreal != cr && nreal != ce)
			return EPERM;
		if (neff != ID_KEEP && neff != cr && neff != ce && neff != cs)
			return EPERM;
	}
	if ((ncred = kauth_cred_dup(cred)) == NULL)
		return ENOMEM;
	r = group ? &ncred->cr_gid : &ncred->cr_uid;
	e = group ? &ncred->cr_egid : &ncred->cr_euid;
	s = group ? &ncred->cr_svgid : &ncred->cr_svuid;
	if (all_for_root) {
		/* setuid(2)/setgid(2) */
		if (root)
			*r = *s = neff;
		*e = neff;
	} else {
		if (nreal != ID_KEEP)
			*r = nreal;
		if (neff != ID_KEEP)
			*e = neff;
		if (nreal != ID_KEEP || (neff != ID_KEEP && neff != cr))
			*s = *e;
	}
	proc_crmod(l->l_proc, ncred);
	return 0;
}

int
sys_setuid(struct lwp *l, const struct sys_setuid_args *uap, register_t *rv)
{
	(void)rv;
	if (uap->uid == ID_KEEP)
		return EINVAL;
	return change_ids(l, false, ID_KEEP, uap->uid, true);
}

int
sys_setgid(struct lwp *l, const struct sys_setgid_args *uap, register_t *rv)
{
	(void)rv;
	if (uap->gid == ID_KEEP)
		return EINVAL;
	return change_ids(l, true, ID_KEEP, uap->gid, true);
}

/*
 * seteuid(2)/setegid(2): the effective id alone, to the real or saved one
 * unless the caller is the superuser.
 */
static int
change_effective(struct lwp *l, bool group, unsigned id)
{
	kauth_cred_t cred = l->l_cred, ncred;
	unsigned real = group ? cred->cr_gid : cred->cr_uid;
	unsigned saved = group ? cred->cr_svgid : cred->cr_svuid;

	if (id == ID_KEEP)
		return EINVAL;
	if (!kauth_cred_issuser(cred) && id != real && id != saved)
		return EPERM;
	if ((ncred = kauth_cred_dup(cred)) == NULL)
		return ENOMEM;
	if (group)
		ncred->cr_egid = id;
	else
		ncred->cr_euid = id;
	proc_crmod(l->l_proc, ncred);
	return 0;
}

int
sys_seteuid(struct lwp *l, const struct sys_seteuid_args *uap, register_t *rv)
{
	(void)rv;
	return change_effective(l, false, uap->euid);
}

int
sys_setegid(struct lwp *l, const struct sys_setegid_args *uap, register_t *rv)
{
	(void)rv;
	return change_effective(l, true, uap->egid);
}

int
sys_setreuid(struct lwp *l, const struct sys_setreuid_args *uap,
    register_t *rv)
{
	(void)rv;
	return change_ids(l, false, uap->ruid, uap->euid, false);
}

int
sys_setregid(struct lwp *l, const struct sys_setregid_args *uap,
    register_t *rv)
{
	(void)rv;
	return change_ids(l, true, uap->rgid, uap->egid, false);
}

int
sys_getgroups(struct lwp *l, const struct sys_getgroups_args *uap,
    register_t *rv)
{
	kauth_cred_t cred = l->l_cred;
	int error;

	if (uap->gidsetsize < 0)
		return EINVAL;
	if (uap->gidsetsize == 0) {
		*rv = cred->cr_ngroups;
		return 0;
	}
	if ((unsigned)uap->gidsetsize < cred->cr_ngroups)
		return EINVAL;
	error = copyout(cred->cr_groups, uap->gidset,
	    cred->cr_ngroups * sizeof(gid_t));
	if (error == 0)
		*rv = cred->cr_ngroups;
	return error;
}

int
sys_setgroups(struct lwp *l, const struct sys_setgroups_args *uap,
    register_t *rv)
{
	kauth_cred_t cred = l->l_cred, ncred;
	int error;

	(void)rv;
	if (!kauth_cred_issuser(cred))
		return EPERM;
	if (uap->gidsetsize < 0 || uap->gidsetsize > NGROUPS_MAX)
		return EINVAL;
	if (uap->gidsetsize > NGROUPS)
		return ENOMEM;
	if ((ncred = kauth_cred_dup(cred)) == NULL)
		return ENOMEM;
	error = copyin(uap->gidset, ncred->cr_groups,
	    (size_t)uap->gidsetsize * sizeof(gid_t));
	if (error) {
		kauth_cred_free(ncred);
		return error;
	}
	ncred->cr_ngroups = (unsigned)uap->gidsetsize;
	proc_crmod(l->l_proc, ncred);
	return 0;
}

int
sys_umask(struct lwp *l, const struct sys_umask_args *uap, register_t *rv)
{
	struct proc *p = l->l_proc;

	mutex_enter(&p->p_lock);
	*rv = p->p_cwdi->cwdi_cmask;
	p->p_cwdi->cwdi_cmask = uap->newmask & 0777;
	mutex_exit(&p->p_lock);
	return 0;
}
