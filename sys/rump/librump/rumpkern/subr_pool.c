/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Pools of fixed-size objects.  An object put back is kept on the pool's
 * free list, up to pr_hiwat of them, for the next pool_get; beyond that it
 * goes back to kmem.  One reclaimer drains every pool's free list when
 * kmem reaches its limit.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/pool.h>

#include "rump_private.h"

struct pool_item {
	struct pool_item *pi_next;
};

#define POOL_DEFAULT_HIWAT 64

static LIST_HEAD(, pool) pool_head = { NULL }; /* pool_head_lock */
static kmutex_t pool_head_lock;

static size_t pool_reclaim(void *);
static struct kmem_reclaimer pool_reclaimer = { pool_reclaim, NULL, NULL };

void
pool_subsys_init(void)
{
	mutex_init(&pool_head_lock, MUTEX_DEFAULT, IPL_NONE);
	kmem_reclaimer_register(&pool_reclaimer);
}

void
pool_init(struct pool *pp, size_t size, const char *wchan)
{
	memset(pp, 0, sizeof(*pp));
	mutex_init(&pp->pr_lock, MUTEX_DEFAULT, IPL_VM);
	pp->pr_wchan = wchan;
	pp->pr_size = MAX(size, sizeof(struct pool_item));
	pp->pr_hiwat = POOL_DEFAULT_HIWAT;
	mutex_enter(&pool_head_lock);
	LIST_INSERT_HEAD(&pool_head, pp, pr_list);
	mutex_exit(&pool_head_lock);
}

void
pool_destroy(struct pool *pp)
{
	mutex_enter(&pool_head_lock);
	LIST_REMOVE(pp, pr_list);
	mutex_exit(&pool_head_lock);
	pool_drain(pp);
	KASSERTMSG(pp->pr_nget == pp->pr_nput,
	    "pool %s: destroyed with %lu objects out", pp->pr_wchan,
	    pp->pr_nget - pp->pr_nput);
	mutex_destroy(&pp->pr_lock);
}

void *
pool_get(struct pool *pp, int flags)
{
	struct pool_item *pi;

	mutex_enter(&pp->pr_lock);
	if ((pi = pp->pr_free) != NULL) {
		pp->pr_free = pi->pi_next;
		pp->pr_nfree--;
	}
	mutex_exit(&pp->pr_lock);
	if (pi == NULL &&
	    (pi = kmem_alloc(pp->pr_size,
		 (flags & PR_NOWAIT) ? KM_NOSLEEP : KM_SLEEP)) == NULL)
		return NULL;
	if (flags & PR_ZERO)
		memset(pi, 0, pp->pr_size);
	mutex_enter(&pp->pr_lock);
	pp->pr_nget++;
	mutex_exit(&pp->pr_lock);
	return pi;
}

void
pool_put(struct pool *pp, void *v)
{
	struct pool_item *pi = v;

	mutex_enter(&pp->pr_lock);
	pp->pr_nput++;
	if (pp->pr_nfree < pp->pr_hiwat) {
		pi->pi_next = pp->pr_free;
		pp->pr_free = pi;
		pp->pr_nfree++;
		pi = NULL;
	}
	mutex_exit(&pp->pr_lock);
	if (pi != NULL)
		kmem_free(pi, pp->pr_size);
}

void
pool_sethiwat(struct pool *pp, unsigned n)
{
	mutex_enter(&pp->pr_lock);
	pp->pr_hiwat = n;
	mutex_exit(&pp->pr_lock);
}

size_t
pool_drain(struct pool *pp)
{
	struct pool_item *pi, *next;
	size_t n = 0;

	mutex_enter(&pp->pr_lock);
	pi = pp->pr_free;
	pp->pr_free = NULL;
	pp->pr_nfree = 0;
	mutex_exit(&pp->pr_lock);
	for (; pi != NULL; pi = next) {
		next = pi->pi_next;
		kmem_free(pi, pp->pr_size);
		n += pp->pr_size;
	}
	return n;
}

static size_t
pool_reclaim(void *arg)
{
	struct pool *pp;
	size_t n = 0;

	(void)arg;
	mutex_enter(&pool_head_lock);
	LIST_FOREACH(pp, &pool_head, pr_list)
		n += pool_drain(pp);
	mutex_exit(&pool_head_lock);
	return n;
}
