/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Pools of fixed-size objects (pool(9)), in subr_pool.c.  Freed objects
 * are kept for reuse up to a high-water mark; the memory-limit reclaimer
 * drains what is kept.  pool_get(PR_WAITOK) may return NULL only when the
 * memory limit is reached (see kmem.h).
 */
#ifndef _SYS_POOL_H_
#define _SYS_POOL_H_

#include <sys/mutex.h>
#include <sys/queue.h>

#define PR_WAITOK   0x01
#define PR_NOWAIT   0x02
#define PR_ZERO     0x04

struct pool_item;
struct pool {
	kmutex_t pr_lock;
	const char *pr_wchan;                 /* stable */
	size_t pr_size;                       /* stable: object size */
	struct pool_item *pr_free;            /* pr_lock: kept objects */
	unsigned pr_nfree;                    /* pr_lock */
	unsigned pr_hiwat;                    /* pr_lock: most kept */
	unsigned long pr_nget, pr_nput;       /* pr_lock: statistics */
	LIST_ENTRY(pool) pr_list;             /* pool_head_lock */
};

void pool_init(struct pool *, size_t size, const char *wchan);
void pool_destroy(struct pool *);
void *pool_get(struct pool *, int flags);
void pool_put(struct pool *, void *);
void pool_sethiwat(struct pool *, unsigned);
size_t pool_drain(struct pool *);

#endif /* _SYS_POOL_H_ */
