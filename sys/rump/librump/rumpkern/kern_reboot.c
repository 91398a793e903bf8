/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * reboot(2) and the shutdown hooks.  A rump kernel cannot boot again in
 * the same process, so "reboot" means: sync (the hooks), then halt.
 * RB_HALT halts the kernel and returns to the caller: every later system
 * call fails with ENXIO, as before boot, and the host process goes on.
 * Otherwise the host process exits with status 0, or, with RB_DUMP, the
 * kernel panics.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <rump/rumpuser.h>

#include "rump_private.h"
#include "syscallargs.h"

static kmutex_t shutdown_lock;
static struct shutdown_hook *shutdown_hooks;    /* shutdown_lock */

void
shutdown_init(void)
{
	mutex_init(&shutdown_lock, MUTEX_DEFAULT, IPL_NONE);
}

void
shutdown_hook_register(struct shutdown_hook *sh)
{
	struct shutdown_hook **shp;

	mutex_enter(&shutdown_lock);
	for (shp = &shutdown_hooks; *shp != NULL; shp = &(*shp)->sh_next)
		continue;
	sh->sh_next = NULL;
	*shp = sh;
	mutex_exit(&shutdown_lock);
}

void
shutdown_hook_unregister(struct shutdown_hook *sh)
{
	struct shutdown_hook **shp;

	mutex_enter(&shutdown_lock);
	for (shp = &shutdown_hooks; *shp != NULL; shp = &(*shp)->sh_next) {
		if (*shp == sh) {
			*shp = sh->sh_next;
			break;
		}
	}
	mutex_exit(&shutdown_lock);
}

/* The hooks run with the lock held, so none can go away meanwhile. */
static void
shutdown_run_hooks(void)
{
	mutex_enter(&shutdown_lock);
	for (struct shutdown_hook *sh = shutdown_hooks; sh != NULL;
	     sh = sh->sh_next)
		sh->sh_func(sh->sh_arg);
	mutex_exit(&shutdown_lock);
}

int
sys_reboot(struct lwp *l, const struct sys_reboot_args *uap, register_t *rv)
{
	int howto = uap->howto;

	(void)rv;
	if (!kauth_cred_issuser(l->l_cred))
		return EPERM;
	if ((howto & RB_NOSYNC) == 0)
		shutdown_run_hooks();
	if (howto & RB_DUMP)
		panic("reboot: dump requested (RB_DUMP)");
	aprint_verbose("rump kernel halted\n");
	if (howto & RB_HALT) {
		atomic_store_release(&kern_booted, false);
		return 0;
	}
	rumpuser_exit(0);
}
