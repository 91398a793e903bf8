/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of librumpuser share: the kernel's upcalls, and the wrap
 * that gives the virtual CPU back around a host call that may block.
 */
#ifndef _LIBRUMPUSER_INT_H_
#define _LIBRUMPUSER_INT_H_

#define LIBRUMPUSER
#include <pthread.h>

#include <rump/rumpuser.h>

extern struct rumpuser_hyperup rumpuser__hyp;

/* Run stmt with the virtual CPU released. */
#define KLOCK_WRAP(stmt)                                                       \
	do {                                                                   \
		rumpuser__hyp.hyp_backend_unschedule();                        \
		stmt;                                                          \
		rumpuser__hyp.hyp_backend_schedule();                          \
	} while (0)

/* A host call that cannot fail unless the host is broken. */
/*
 * pthread_create with every signal blocked in the new thread: the host's
 * signals are the client's, and a handler must never run on a thread of
 * the kernel (it may hold a virtual CPU or a kernel lock, or keep a
 * signal from the client thread waiting for it).
 */
int rumpuser__thread_spawn(pthread_t *pt, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg);

void rumpuser__hostfail(const char *what, int error)
    __attribute__((__noreturn__));

#endif /* _LIBRUMPUSER_INT_H_ */
