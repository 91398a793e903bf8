/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The page allocator.  Pages are carved from chunks of PG_CHUNK bytes,
 * mapped from the host aligned to their size and populated in one
 * hypercall: taking a host page fault at each new page's first touch
 * costs more than filling it.  A chunk's first page holds its header, so
 * the chunk of any page is its address rounded down.  Pages never handed
 * out are still zero from the host; freed ones go on the chunk's free
 * list.  A chunk whose pages are all free goes back to the host, except
 * one kept so that a workload hovering at a chunk boundary does not map
 * and unmap at every page.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/page.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

#define PG_CHUNK     (64 * PAGE_SIZE)
#define PG_PERCHUNK  (PG_CHUNK / PAGE_SIZE)

struct pg_free {
	struct pg_free *pf_next;
};

struct pg_chunk {
	LIST_ENTRY(pg_chunk) pc_entry;  /* on pg_partial if it has a page */
	struct pg_free *pc_free;        /* freed pages */
	unsigned pc_fresh;              /* next never-used page */
	unsigned pc_used;               /* pages handed out */
};

static kmutex_t pg_lock;
static LIST_HEAD(, pg_chunk) pg_partial = LIST_HEAD_INITIALIZER(pg_partial);
static unsigned pg_nempty;              /* chunks with no page in use */
static size_t pg_nchunks;

void
page_init(void)
{
	mutex_init(&pg_lock, MUTEX_DEFAULT, IPL_NONE);
}

size_t
page_mapped(void)
{
	return atomic_load_relaxed(&pg_nchunks) * PG_CHUNK;
}

static struct pg_chunk *
chunk_map(void)
{
	void *mem;

	if (!kmem_charge(PG_CHUNK))
		return NULL;
	if (rumpuser_anonmmap(PG_CHUNK,
	    RUMPUSER_MMAP_ALIGNED | RUMPUSER_MMAP_POPULATE, &mem) != 0) {
		kmem_uncharge(PG_CHUNK);
		return NULL;
	}
	atomic_add_long(&pg_nchunks, 1);
	/* The host's memory is zero filled: pc_free and pc_used are 0. */
	((struct pg_chunk *)mem)->pc_fresh = 1;
	return mem;
}

static void
chunk_unmap(struct pg_chunk *pc)
{
	atomic_add_long(&pg_nchunks, -1);
	rumpuser_unmap(pc, PG_CHUNK);
	kmem_uncharge(PG_CHUNK);
}

void *
page_alloc(bool zero)
{
	struct pg_chunk *pc, *new = NULL;
	struct pg_free *pf;
	void *p;
	bool fresh;

	mutex_enter(&pg_lock);
	while ((pc = LIST_FIRST(&pg_partial)) == NULL) {
		if (new != NULL) {
			LIST_INSERT_HEAD(&pg_partial, new, pc_entry);
			pg_nempty++;
			new = NULL;
			continue;
		}
		/* Map outside the lock: charging may run the reclaimers. */
		mutex_exit(&pg_lock);
		if ((new = chunk_map()) == NULL)
			return NULL;
		mutex_enter(&pg_lock);
	}
	if (pc->pc_used++ == 0)
		pg_nempty--;
	if ((pf = pc->pc_free) != NULL) {
		pc->pc_free = pf->pf_next;
		p = pf;
		fresh = false;
	} else {
		p = (char *)pc + pc->pc_fresh++ * PAGE_SIZE;
		fresh = true;
	}
	if (pc->pc_free == NULL && pc->pc_fresh == PG_PERCHUNK)
		LIST_REMOVE(pc, pc_entry);
	mutex_exit(&pg_lock);
	if (new != NULL)
		chunk_unmap(new);
	if (zero && !fresh)
		memset(p, 0, PAGE_SIZE);
	return p;
}

void
page_free(void *p)
{
	struct pg_chunk *pc;
	struct pg_free *pf = p;
	bool release = false;

	KASSERT(p != NULL && ((uintptr_t)p & (PAGE_SIZE - 1)) == 0);
	pc = (struct pg_chunk *)((uintptr_t)p & ~(uintptr_t)(PG_CHUNK - 1));
	KASSERT(p != pc && pc->pc_used > 0);
	mutex_enter(&pg_lock);
	if (pc->pc_free == NULL && pc->pc_fresh == PG_PERCHUNK)
		LIST_INSERT_HEAD(&pg_partial, pc, pc_entry);
	pf->pf_next = pc->pc_free;
	pc->pc_free = pf;
	if (--pc->pc_used == 0) {
		if (pg_nempty > 0) {
			LIST_REMOVE(pc, pc_entry);
			release = true;
		} else {
			pg_nempty++;
		}
	}
	mutex_exit(&pg_lock);
	if (release)
		chunk_unmap(pc);
}
