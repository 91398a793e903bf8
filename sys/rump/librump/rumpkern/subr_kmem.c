/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel memory.  Allocations come from the host (rumpuser_malloc) and
 * are counted in kmem_inuse against kmem_max (RUMP_MEMLIMIT, 0 for no
 * limit).  Past the limit, the reclaimers registered by caches (pools,
 * vnodes, buffers) are asked to give memory back; if that is not enough
 * the allocation fails.  Freeing needs no lock and no CPU.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

static size_t kmem_inuse;                       /* atomic */
static size_t kmem_max;                         /* stable after boot */
static struct kmem_reclaimer *reclaimers;       /* reclaim_lock */
static kmutex_t reclaim_lock;

void
kmem_init(size_t limit)
{
	kmem_max = limit;
	mutex_init(&reclaim_lock, MUTEX_DEFAULT, IPL_NONE);
}

size_t
kmem_used(void)
{
	return atomic_load_relaxed(&kmem_inuse);
}

size_t
kmem_limit(void)
{
	return kmem_max;
}

void
kmem_reclaimer_register(struct kmem_reclaimer *kr)
{
	mutex_enter(&reclaim_lock);
	kr->kr_next = reclaimers;
	reclaimers = kr;
	mutex_exit(&reclaim_lock);
}

void
kmem_reclaimer_unregister(struct kmem_reclaimer *kr)
{
	struct kmem_reclaimer **krp;

	mutex_enter(&reclaim_lock);
	for (krp = &reclaimers; *krp != NULL; krp = &(*krp)->kr_next) {
		if (*krp == kr) {
			*krp = kr->kr_next;
			break;
		}
	}
	mutex_exit(&reclaim_lock);
}

/*
 * Ask the caches for memory until want bytes fit under the limit.  Only
 * one thread reclaims at a time; one that finds the lock taken, or that
 * already holds a lock a reclaimer might need (a spin mutex), does not.
 */
static bool
kmem_reclaim(size_t want)
{
	struct kmem_reclaimer *kr;
	bool progress = true;

	if (curlwp == NULL || curlwp->l_spinlocks > 0 ||
	    mutex_owned(&reclaim_lock) || !mutex_tryenter(&reclaim_lock))
		return false;
	while (kmem_used() + want > kmem_max && progress) {
		progress = false;
		for (kr = reclaimers; kr != NULL; kr = kr->kr_next)
			if (kr->kr_reclaim(kr->kr_arg) > 0)
				progress = true;
	}
	mutex_exit(&reclaim_lock);
	return kmem_used() + want <= kmem_max;
}

bool
kmem_charge(size_t size)
{
	if (kmem_max == 0) {
		atomic_add_long(&kmem_inuse, size);
		return true;
	}
	if (atomic_add_long_nv(&kmem_inuse, size) <= kmem_max)
		return true;
	atomic_add_long(&kmem_inuse, -(long)size);
	if (!kmem_reclaim(size))
		return false;
	atomic_add_long(&kmem_inuse, size);
	return true;
}

void
kmem_uncharge(size_t size)
{
	atomic_add_long(&kmem_inuse, -(long)size);
}

static void *
kmem_get(size_t size, km_flag_t flags)
{
	void *p;

	KASSERT(size > 0);
	(void)flags;
	if (!kmem_charge(size))
		return NULL;
	if (rumpuser_malloc(size, 0, &p) != 0) {
		kmem_uncharge(size);
		return NULL;
	}
	return p;
}

void *
kmem_alloc(size_t size, km_flag_t flags)
{
	return kmem_get(size, flags);
}

void *
kmem_zalloc(size_t size, km_flag_t flags)
{
	void *p = kmem_get(size, flags);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void
kmem_free(void *p, size_t size)
{
	KASSERT(p != NULL && size > 0);
	rumpuser_free(p, size);
	kmem_uncharge(size);
}

char *
kmem_strdup(const char *s, km_flag_t flags)
{
	size_t len = strlen(s) + 1;
	char *p = kmem_alloc(len, flags);

	if (p != NULL)
		memcpy(p, s, len);
	return p;
}

void
kmem_strfree(char *s)
{
	kmem_free(s, strlen(s) + 1);
}
