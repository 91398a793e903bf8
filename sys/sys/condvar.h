/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Condition variables (condvar(9)), in kern_condvar.c.  The interlock is a
 * kmutex_t held on entry and on return; the wait gives the CPU up.
 * Timed waits return EWOULDBLOCK when the time ran out.  There are no
 * signals in a rump kernel, so the _sig variants differ only in name.
 */
#ifndef _SYS_CONDVAR_H_
#define _SYS_CONDVAR_H_

#include <sys/mutex.h>

struct rumpuser_cv;
typedef struct kcondvar {
	struct rumpuser_cv *cv_hyp;
	const char *cv_wmesg;
} kcondvar_t;

void cv_init(kcondvar_t *, const char *wmesg);
void cv_destroy(kcondvar_t *);
void cv_wait(kcondvar_t *, kmutex_t *);
int cv_wait_sig(kcondvar_t *, kmutex_t *);
int cv_timedwait(kcondvar_t *, kmutex_t *, int ticks); /* ticks 0: forever */
int cv_timedwait_sig(kcondvar_t *, kmutex_t *, int ticks);
int cv_timedwait_ns(kcondvar_t *, kmutex_t *, uint64_t ns);
void cv_signal(kcondvar_t *);
void cv_broadcast(kcondvar_t *);
bool cv_has_waiters(kcondvar_t *);

#endif /* _SYS_CONDVAR_H_ */
