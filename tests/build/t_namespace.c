/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A client may define names the kernel uses internally (mutex_enter,
 * kmem_alloc, panic, memcpy ...): the kernel's are in the rumpns_
 * namespace, so neither side calls the other's.  Built twice, against the
 * shared and the static libraries.
 */
#include <stddef.h>

#include "h_macros.h"

static int client_calls;

/* The kernel's versions of these must never reach ours. */
void mutex_enter(void *);
void *kmem_alloc(size_t, int);
void panic(const char *, ...);
void lwp_free(void *);
size_t strlcpy(char *, const char *, size_t);

void
mutex_enter(void *m)
{
	(void)m;
	client_calls++;
}

void *
kmem_alloc(size_t n, int f)
{
	(void)n;
	(void)f;
	client_calls++;
	return NULL;
}

void
panic(const char *fmt, ...)
{
	(void)fmt;
	client_calls++;
}

void
lwp_free(void *l)
{
	(void)l;
	client_calls++;
}

size_t
strlcpy(char *d, const char *s, size_t n)
{
	(void)d;
	(void)s;
	(void)n;
	client_calls++;
	return 0;
}

TESTCASE(kernel_names_are_private)
{
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_getpid(), 2);
	REQUIRE_OK(rump_sys_setuid(5));
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(client_calls, 0);
	/* And ours still work for us. */
	mutex_enter(NULL);
	REQUIRE_EQ(kmem_alloc(1, 0), NULL);
	REQUIRE_EQ(client_calls, 2);
}

TESTS(CASE_NOBOOT(kernel_names_are_private))
