/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel memory (kmem(9)), in subr_kmem.c.  Every byte is accounted
 * against RUMP_MEMLIMIT.  An allocation that would pass the limit first
 * runs the reclaim hooks (pool drains, cache trims); if the memory is
 * still not there it fails.  So, unlike NetBSD, KM_SLEEP may return NULL,
 * but only when a memory limit is set and reached: every caller checks.
 */
#ifndef _SYS_KMEM_H_
#define _SYS_KMEM_H_

#include <sys/types.h>

typedef unsigned int km_flag_t;
#define KM_SLEEP   0x01
#define KM_NOSLEEP 0x02

void *kmem_alloc(size_t, km_flag_t);
void *kmem_zalloc(size_t, km_flag_t);
void kmem_free(void *, size_t);
char *kmem_strdup(const char *, km_flag_t);
void kmem_strfree(char *);

/*
 * A reclaim hook gives memory back when the limit is near; it returns how
 * many bytes it freed (0 when it had nothing).
 */
struct kmem_reclaimer {
	size_t (*kr_reclaim)(void *arg);
	void *kr_arg;
	struct kmem_reclaimer *kr_next;
};
void kmem_reclaimer_register(struct kmem_reclaimer *);
void kmem_reclaimer_unregister(struct kmem_reclaimer *);

/*
 * For allocators that take memory from the host themselves (the page
 * allocator): count size bytes against the limit, reclaiming if needed,
 * false if they do not fit; and give them back.
 */
bool kmem_charge(size_t);
void kmem_uncharge(size_t);

/* Figures for tests and sysctl: bytes in use, the limit (0: none). */
size_t kmem_used(void);
size_t kmem_limit(void);

#endif /* _SYS_KMEM_H_ */
