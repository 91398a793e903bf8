/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The page allocator: aligned pages, zeroed when asked even after reuse,
 * counted against the memory limit a chunk at a time, chunks given back
 * to the host when their pages are freed, and NULL at the limit.  The
 * host side boots with a 1 MiB limit.
 */
#include <sys/kmem.h>
#include <sys/page.h>
#include <sys/param.h>

#include "ks_test.h"

#define MAXPAGES 1024                   /* 4 MiB: well past the limit */

static unsigned char *pages[MAXPAGES];

static bool
page_is(const unsigned char *p, unsigned char c)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (p[i] != c)
			return false;
	return true;
}

int
rump_test_page_alloc(void)
{
	size_t base, mapped;
	unsigned char *p;
	int error = 0, n = 0, i;

	rump_schedule();
	base = kmem_used();
	mapped = page_mapped();
	/* Fill to the limit: every page aligned, zeroed, distinct. */
	for (n = 0; n < MAXPAGES; n++) {
		if ((pages[n] = page_alloc(true)) == NULL)
			break;
		KS_REQUIRE(((uintptr_t)pages[n] & (PAGE_SIZE - 1)) == 0);
		KS_REQUIRE(page_is(pages[n], 0));
		memset(pages[n], 0xa5, PAGE_SIZE);
	}
	KS_REQUIRE(n > 64 && n < MAXPAGES);
	KS_REQUIRE(kmem_used() <= kmem_limit());
	KS_REQUIRE(kmem_used() - base == page_mapped() - mapped);
	for (i = 0; i < n; i++)
		KS_REQUIRE(page_is(pages[i], 0xa5));
	/* At the limit, a freed page is the one handed out next, zeroed. */
	page_free(p = pages[n - 1]);
	KS_REQUIRE((pages[n - 1] = page_alloc(true)) == p);
	KS_REQUIRE(page_is(p, 0));
	page_free(p);
	KS_REQUIRE((pages[n - 1] = page_alloc(false)) == p);
	/* All freed: at most one chunk stays mapped, for reuse. */
	while (n > 0)
		page_free(pages[--n]);
	KS_REQUIRE(page_mapped() <= mapped + 64 * PAGE_SIZE);
	KS_REQUIRE(kmem_used() - base == page_mapped() - mapped);
out:
	while (n > 0)
		page_free(pages[--n]);
	rump_unschedule();
	return error;
}
