/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Tests of kernel internals that run inside the kernel (librumpkern_test,
 * built from this directory in the kernel namespace), called by the host
 * test programs.  Each returns 0 on success or the source line of the
 * first requirement that failed; each enters and leaves the kernel
 * itself.  Durations are measured inside the kernel, in ns of uptime.
 */
#ifndef _TESTS_KERNSPACE_H_
#define _TESTS_KERNSPACE_H_

#include <stddef.h>
#include <stdint.h>

/* Callouts, kpause, timed waits: ks_callout.c */
int rump_test_callout_once(int ticks, uint64_t *elapsedp);
int rump_test_callout_stop(void);
int rump_test_callout_reset(void);
int rump_test_callout_halt(void);
int rump_test_callout_order(int n);
int rump_test_kpause(int ticks, uint64_t *elapsedp);
int rump_test_cv_timedwait(int ticks, uint64_t *elapsedp);

/* Soft interrupts and work queues: ks_softint.c */
int rump_test_softint_basic(void);
int rump_test_softint_coalesce(void);
int rump_test_softint_disestablish(void);
int rump_test_workqueue_basic(int n);
int rump_test_workqueue_wait(void);

/* Locks under load from nthreads kernel threads: ks_locks.c */
int rump_test_locktorture(int nthreads, int iters);

/* Lock misuse, each of which must panic: ks_lockdebug.c */
#define LOCKDEBUG_RECURSE    1  /* a mutex entered twice */
#define LOCKDEBUG_NOTOWNER   2  /* a mutex released by a non-owner */
#define LOCKDEBUG_SLEEP_SPIN 3  /* sleeping with a spin mutex held */
#define LOCKDEBUG_RW_RECURSE 4  /* a write-held rwlock entered again */
void rump_test_lockdebug(int which);

/* Memory limit, reclaimers, pools: ks_kmem.c */
int rump_test_kmem_limit(void);
int rump_test_kmem_reclaim(void);
int rump_test_pool_reuse(void);

/* The page allocator: ks_page.c */
int rump_test_page_alloc(void);

/* Shutdown hooks: ks_shutdown.c.  *countp counts the hook's runs. */
int rump_test_shutdown_hook(int *countp);

#endif /* _TESTS_KERNSPACE_H_ */
