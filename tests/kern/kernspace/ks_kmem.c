/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel memory under RUMP_MEMLIMIT, from inside the kernel: the limit
 * holds, freeing gives the memory back, reclaimers are asked before an
 * allocation fails, pools reuse what they are given back.  The host side
 * boots with a 1 MiB limit.
 */
#include <sys/kmem.h>
#include <sys/pool.h>

#include "ks_test.h"

#define CHUNK (16 * 1024)
#define MAXCHUNKS 512                   /* 8 MiB: well past the limit */

static void *chunks[MAXCHUNKS];

/* Allocate CHUNKs until the limit; how many were had. */
static int
fill(void)
{
	int n;

	for (n = 0; n < MAXCHUNKS; n++)
		if ((chunks[n] = kmem_alloc(CHUNK, KM_SLEEP)) == NULL)
			break;
	return n;
}

static void
drain(int n)
{
	while (n > 0)
		kmem_free(chunks[--n], CHUNK);
}

int
rump_test_kmem_limit(void)
{
	size_t base, limit;
	void *p;
	int error = 0, n = 0;

	rump_schedule();
	base = kmem_used();
	limit = kmem_limit();
	KS_REQUIRE(limit == 1024 * 1024);
	KS_REQUIRE(base < limit);
	/* Past the limit in one go: refused, nothing counted. */
	KS_REQUIRE(kmem_alloc(2 * limit, KM_SLEEP) == NULL);
	KS_REQUIRE(kmem_zalloc(2 * limit, KM_NOSLEEP) == NULL);
	KS_REQUIRE(kmem_used() == base);
	n = fill();
	KS_REQUIRE(n > 0 && n < MAXCHUNKS);
	KS_REQUIRE(kmem_used() <= limit);
	KS_REQUIRE(kmem_used() + CHUNK > limit);
	KS_REQUIRE(kmem_alloc(CHUNK, KM_NOSLEEP) == NULL);
	/* Freeing one makes room for one. */
	kmem_free(chunks[--n], CHUNK);
	KS_REQUIRE((chunks[n] = kmem_alloc(CHUNK, KM_SLEEP)) != NULL);
	n++;
	drain(n);
	n = 0;
	KS_REQUIRE(kmem_used() == base);
	KS_REQUIRE((p = kmem_alloc(limit / 2, KM_SLEEP)) != NULL);
	kmem_free(p, limit / 2);
	KS_REQUIRE(kmem_used() == base);
out:
	drain(n);
	rump_unschedule();
	return error;
}

/* A cache of chunks that gives them all back when asked. */
struct test_cache {
	int first, n;                   /* chunks[first .. first + n) */
	int calls;
};

static size_t
cache_reclaim(void *arg)
{
	struct test_cache *tc = arg;
	size_t freed = 0;

	tc->calls++;
	while (tc->n > 0) {
		kmem_free(chunks[tc->first + --tc->n], CHUNK);
		freed += CHUNK;
	}
	return freed;
}

int
rump_test_kmem_reclaim(void)
{
	struct test_cache tc = { 0, 0, 0 };
	struct kmem_reclaimer kr = { cache_reclaim, &tc, NULL };
	void *p = NULL;
	size_t base;
	int error = 0, n;

	rump_schedule();
	base = kmem_used();
	kmem_reclaimer_register(&kr);
	/* The cache holds everything there is. */
	n = fill();
	KS_REQUIRE(n > 2);
	tc.first = 0;
	tc.n = n;
	KS_REQUIRE(tc.calls == 1);      /* asked once, when fill hit the limit */
	/* Full: the cache is asked first, and the allocation succeeds. */
	tc.calls = 0;
	KS_REQUIRE((p = kmem_alloc(CHUNK, KM_SLEEP)) != NULL);
	KS_REQUIRE(tc.calls == 1 && tc.n == 0);
out:
	kmem_reclaimer_unregister(&kr);
	if (p != NULL)
		kmem_free(p, CHUNK);
	drain(tc.n);
	if (error == 0 && kmem_used() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

struct pool_obj {
	struct pool_obj *next;
	char pad[120];
};

int
rump_test_pool_reuse(void)
{
	struct pool_obj *a, *b, *list = NULL;
	struct pool pl;
	size_t base;
	int error = 0, n = 0;

	rump_schedule();
	base = kmem_used();
	pool_init(&pl, sizeof(struct pool_obj), "testpl");
	KS_REQUIRE((a = pool_get(&pl, PR_WAITOK)) != NULL);
	memset(a, 0xa5, sizeof(*a));
	pool_put(&pl, a);
	KS_REQUIRE((b = pool_get(&pl, PR_WAITOK | PR_ZERO)) == a);
	KS_REQUIRE(b->pad[7] == 0 && b->pad[119] == 0);
	pool_put(&pl, b);
	/* Up to the limit: then NULL, not a crash. */
	while ((a = pool_get(&pl, PR_NOWAIT)) != NULL) {
		a->next = list;
		list = a;
		n++;
	}
	KS_REQUIRE(n > 100);
	while ((a = list) != NULL) {
		list = a->next;
		pool_put(&pl, a);
	}
	pool_drain(&pl);
	KS_REQUIRE((a = pool_get(&pl, PR_WAITOK)) != NULL);
	pool_put(&pl, a);
	pool_destroy(&pl);
	KS_REQUIRE(kmem_used() == base);
out:
	rump_unschedule();
	return error;
}
