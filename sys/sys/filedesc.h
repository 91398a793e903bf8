/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Descriptor tables (kern_descrip.c).  One per process, or shared between
 * processes made by rump_pub_lwproc_rfork() without RUMP_RFFDG/RFCFDG.
 * The array grows on demand up to fd_limit (RLIMIT_NOFILE, 1024 by default,
 * as on Linux).
 *
 * Locking: (d) fd_lock.
 */
#ifndef _SYS_FILEDESC_H_
#define _SYS_FILEDESC_H_

#include <sys/mutex.h>

struct file;
struct proc;

struct fdfile {
	struct file *ff_file;           /* d */
	bool ff_exclose;                /* d */
	bool ff_allocated;              /* d: reserved, maybe not yet affixed */
};

struct filedesc {
	kmutex_t fd_lock;
	unsigned fd_refcnt;             /* atomic: processes sharing it */
	unsigned fd_nfiles;             /* d: size of fd_ofiles */
	unsigned fd_lastfile;           /* d: highest in use + 1 */
	unsigned fd_freefile;           /* d: no free slot below this */
	unsigned fd_limit;              /* d */
	struct fdfile *fd_ofiles;       /* d */
};

#define FD_DEFAULT_LIMIT 1024

struct filedesc *fd_init(void);                  /* empty; NULL on ENOMEM */
struct filedesc *fd_copy(struct filedesc *);     /* NULL on ENOMEM */
void fd_share(struct filedesc *);
void fd_free(struct filedesc *);                 /* drop a reference */
/* Reserve the lowest free slot >= minfd; fd_lock held. */
int fd_alloc(struct filedesc *, unsigned minfd, int *fdp);

#endif /* _SYS_FILEDESC_H_ */
