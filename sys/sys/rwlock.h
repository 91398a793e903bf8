/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Reader/writer locks (rwlock(9)), in kern_rwlock.c.  Waiters sleep. */
#ifndef _SYS_RWLOCK_H_
#define _SYS_RWLOCK_H_

#include <sys/types.h>

typedef enum { RW_READER, RW_WRITER } krw_t;

struct rumpuser_rw;
typedef struct krwlock {
	struct rumpuser_rw *rw_hyp;
} krwlock_t;

void rw_init(krwlock_t *);
void rw_destroy(krwlock_t *);
void rw_enter(krwlock_t *, krw_t);
int rw_tryenter(krwlock_t *, krw_t);   /* nonzero when taken */
int rw_tryupgrade(krwlock_t *);        /* nonzero when upgraded */
void rw_downgrade(krwlock_t *);
void rw_exit(krwlock_t *);
int rw_write_held(krwlock_t *);
int rw_read_held(krwlock_t *);
int rw_lock_held(krwlock_t *);

#endif /* _SYS_RWLOCK_H_ */
