/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel mutexes (mutex(9)).  MUTEX_DEFAULT with IPL_NONE is a sleeping
 * mutex: waiting for it gives the virtual CPU up.  Any higher IPL makes a
 * spin mutex: waiting keeps the CPU, so it may be held only briefly, and
 * nothing may sleep while holding one.  Mutexes do not recurse.
 * Implemented in kern_mutex.c on the rumpuser mutex hypercalls.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

typedef enum { MUTEX_DEFAULT, MUTEX_SPIN, MUTEX_ADAPTIVE } kmutex_type_t;
#define IPL_NONE     0
#define IPL_SOFTCLOCK 1
#define IPL_SOFTBIO  2
#define IPL_SOFTNET  3
#define IPL_SOFTSERIAL 4
#define IPL_VM       5
#define IPL_SCHED    6
#define IPL_HIGH     7

struct rumpuser_mtx;
typedef struct kmutex {
	struct rumpuser_mtx *mtx_hyp;
	bool mtx_spin;
} kmutex_t;

void mutex_init(kmutex_t *, kmutex_type_t, int ipl);
void mutex_destroy(kmutex_t *);
void mutex_enter(kmutex_t *);
void mutex_spin_enter(kmutex_t *);
int mutex_tryenter(kmutex_t *); /* nonzero when taken */
void mutex_exit(kmutex_t *);
void mutex_spin_exit(kmutex_t *);
int mutex_owned(const kmutex_t *);
struct lwp *mutex_owner(const kmutex_t *);

#endif /* _SYS_MUTEX_H_ */
