/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Resource limits: getrlimit, setrlimit and prlimit64, with Linux's
 * numbers, struct rlimit and rules (a soft limit above its hard limit is
 * EINVAL; raising a hard limit takes root).  The one limit this kernel
 * keeps is RLIMIT_NOFILE, which lives in the descriptor table
 * (kern_descrip.c) and so is shared by processes sharing the table; the
 * other resources are EINVAL, so a caller is never told of a limit that
 * nothing enforces.  prlimit64 acts on the calling process only (pid 0
 * or its own; another pid is ESRCH).
 */
#include <sys/systm.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "syscallargs.h"

static int
do_rlimit(struct lwp *l, int resource, const struct rlimit *unew,
    struct rlimit *uold)
{
	struct rlimit rl;
	unsigned cur, max;
	int error;

	if (resource != RLIMIT_NOFILE)
		return EINVAL;
	if (uold != NULL) {
		fd_getrlimit(&cur, &max);
		rl.rlim_cur = cur;
		rl.rlim_max = max;
		if ((error = copyout(&rl, uold, sizeof(rl))) != 0)
			return error;
	}
	if (unew == NULL)
		return 0;
	if ((error = copyin(unew, &rl, sizeof(rl))) != 0)
		return error;
	return fd_setrlimit(rl.rlim_cur, rl.rlim_max,
	    kauth_cred_issuser(l->l_cred));
}

int
sys_getrlimit(struct lwp *l, const struct sys_getrlimit_args *uap,
    register_t *rv)
{
	(void)rv;
	if (uap->rlp == NULL)
		return EFAULT;
	return do_rlimit(l, uap->resource, NULL, uap->rlp);
}

int
sys_setrlimit(struct lwp *l, const struct sys_setrlimit_args *uap,
    register_t *rv)
{
	(void)rv;
	if (uap->rlp == NULL)
		return EFAULT;
	return do_rlimit(l, uap->resource, uap->rlp, NULL);
}

int
sys_prlimit64(struct lwp *l, const struct sys_prlimit64_args *uap,
    register_t *rv)
{
	(void)rv;
	if (uap->pid != 0 && uap->pid != l->l_proc->p_pid)
		return ESRCH;
	return do_rlimit(l, uap->resource, uap->new_rlim, uap->old_rlim);
}
