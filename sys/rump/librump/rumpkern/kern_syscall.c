/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * System call dispatch: the path of every rump_sys_* call.  The generated
 * stub packs its arguments and calls syscall_dispatch(), which takes a
 * virtual CPU, refreshes the lwp's credential, runs the handler from the
 * table and gives the CPU back.
 */
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <rump/rumpuser.h>

#include "rump_private.h"
#include "syscallargs.h"

bool kern_booted;
static sy_call_t *sysent[SYS_NSYSENT];          /* set during boot */

void
syscall_establish(const struct syscall_package *sp)
{
	for (; sp->sp_code >= 0; sp++) {
		KASSERT(sp->sp_code < SYS_NSYSENT);
		sysent[sp->sp_code] = sp->sp_call;
	}
}

static int
sys_notconfigured(int code)
{
	const struct syscall_meta *sm = &syscall_meta[code];

	log(LOG_ERR, "%s: system call not configured (link librump%s)",
	    sm->sm_name, strcmp(sm->sm_component, "kern") == 0
			     ? ""
			     : sm->sm_component);
	return ENOSYS;
}

int
syscall_dispatch(int code, void *args, register_t *retval)
{
	struct lwp *l;
	int error;

	if (__predict_false(!kern_booted)) {
		rumpuser_seterrno(ENXIO);
		return ENXIO;
	}
	/* The common case, a thread bound to its lwp, without detours. */
	if ((l = rumpuser_curlwp()) != NULL) {
		schedule_lwp(l);
	} else {
		rump_schedule();
		l = rumpuser_curlwp();
	}
	if (__predict_false(l->l_cred != l->l_proc->p_cred))
		lwp_cred_refresh(l);
	if (__predict_true(sysent[code] != NULL))
		error = sysent[code](l, args, retval);
	else
		error = sys_notconfigured(code);
	unschedule_lwp(l);
	if (error)
		rumpuser_seterrno(error);
	return error;
}
