/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Whole pages (PAGE_SIZE bytes, page aligned) for file data and other
 * page-sized caches, in kern_page.c.  They come from the host in chunks
 * that are backed at once, so a file system filling new pages does not
 * take a host page fault on each; they are charged to RUMP_MEMLIMIT a
 * chunk at a time.  Like kmem_alloc(), page_alloc() returns NULL only
 * when a memory limit is set and reached.
 */
#ifndef _SYS_PAGE_H_
#define _SYS_PAGE_H_

#include <sys/types.h>

/* A page; zero filled if zero is true, else with undefined contents. */
void *page_alloc(bool zero);
void page_free(void *);

/* Bytes taken from the host for pages, in use or held for reuse. */
size_t page_mapped(void);

#endif /* _SYS_PAGE_H_ */
