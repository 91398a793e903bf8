/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Lock misuse that the kernel's assertions must catch: each of these
 * panics, and the host test checks the panic message.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

#include "ks_test.h"

void
rump_test_lockdebug(int which)
{
	static kmutex_t mtx, spin;
	static kcondvar_t cv;
	static krwlock_t rw;

	rump_schedule();
	mutex_init(&mtx, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&spin, MUTEX_SPIN, IPL_VM);
	cv_init(&cv, "lockdbg");
	rw_init(&rw);
	switch (which) {
	case LOCKDEBUG_RECURSE:
		mutex_enter(&mtx);
		mutex_enter(&mtx);
		break;
	case LOCKDEBUG_NOTOWNER:
		mutex_exit(&mtx);
		break;
	case LOCKDEBUG_SLEEP_SPIN:
		mutex_spin_enter(&spin);
		mutex_enter(&mtx);
		cv_timedwait(&cv, &mtx, 1);
		break;
	case LOCKDEBUG_RW_RECURSE:
		rw_enter(&rw, RW_WRITER);
		rw_enter(&rw, RW_READER);
		break;
	}
	rump_unschedule();
}
