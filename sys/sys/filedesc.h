/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Descriptor tables (kern_descrip.c).  One per process, or shared between
 * processes made by rump_pub_lwproc_rfork() without RUMP_RFFDG/RFCFDG.
 * The array grows on demand up to fd_limit (RLIMIT_NOFILE's soft limit,
 * 1024 by default as on Linux); fd_hardlimit is its hard limit (4096 by
 * default, as on Linux; root may raise it to FD_MAX_LIMIT, Linux's
 * nr_open).
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
	unsigned fd_limit;              /* d: at most fd_hardlimit */
	unsigned fd_hardlimit;          /* d */
	struct fdfile *fd_ofiles;       /* d */
};

#define FD_DEFAULT_LIMIT 1024
#define FD_DEFAULT_HARDLIMIT 4096
#define FD_MAX_LIMIT (1U << 20)

struct filedesc *fd_init(void);                  /* empty; NULL on ENOMEM */
struct filedesc *fd_copy(struct filedesc *);     /* NULL on ENOMEM */
void fd_share(struct filedesc *);
void fd_free(struct filedesc *);                 /* drop a reference */
/* Reserve the lowest free slot >= minfd; fd_lock held. */
int fd_alloc(struct filedesc *, unsigned minfd, int *fdp);
/*
 * The current process's RLIMIT_NOFILE: read both limits, or set them
 * (EINVAL if cur > max, EPERM if max goes up and priv is false or max is
 * above FD_MAX_LIMIT).  Descriptors already open above a lowered limit
 * stay open.
 */
void fd_getrlimit(unsigned *curp, unsigned *maxp);
int fd_setrlimit(uint64_t cur, uint64_t max, bool priv);

#endif /* _SYS_FILEDESC_H_ */
