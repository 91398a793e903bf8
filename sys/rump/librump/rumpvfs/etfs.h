/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * etfs: host files in the kernel's namespace (rump/rumpvfs.h).  One
 * record per host file or directory: those registered by key, and those
 * a host directory's lookups and listings made (no key).  rumpfs_etfs.c
 * keeps the registry and the nodes, etfs_dev.c is the block and
 * character driver.
 *
 * A record is referenced by the registry (while registered), by its
 * rumpfs node (until the node is freed) and by each device I/O in
 * flight; the last reference closes the host file and frees it.
 *
 * Locking: (r) etfs_lock, (e) e_lock, (c) stable.  Order: etfs_lock,
 * then e_lock.
 */
#ifndef _RUMPVFS_ETFS_H_
#define _RUMPVFS_ETFS_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>

#include <rump/rumpvfs.h>

struct etfs {
	LIST_ENTRY(etfs) e_list;        /* r: registered ones */
	char *e_key;                    /* c: NULL if a lookup's or listing's */
	char *e_hostpath;               /* c */
	enum rump_etfs_type e_type;     /* c */
	uint64_t e_begin;               /* c: the window's start */
	uint64_t e_size;                /* c: its size or ENDOFF */
	uint64_t e_devsize;             /* c: BLK, CHR: the device's size */
	dev_t e_dev;                    /* c: BLK, CHR */
	unsigned e_refcnt;              /* r */
	kmutex_t e_lock;
	int e_fd;                       /* e: host file, -1 if not open */
	bool e_rdonly;                  /* e: the host gave read only */
	bool e_removing;                /* e: no new opens */
	unsigned e_opencnt;             /* e */
};

LIST_HEAD(etfs_list, etfs);
extern kmutex_t etfs_lock;
extern struct etfs_list etfs_registered;       /* r */

void etfs_ref(struct etfs *);
void etfs_rele(struct etfs *);
/* Open the host file if it is not (e_lock held). */
int etfs_hostopen(struct etfs *);

/* etfs_dev.c */
void etfs_dev_init(void);
/* The major number of etfs devices. */
extern unsigned etfs_major;

#endif /* _RUMPVFS_ETFS_H_ */
