/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rumpfs: the in-memory file system that is the root of every rump
 * kernel, and the engine under tmpfs (libtmpfs mounts it with its own
 * limits and root attributes).  Files are nodes; a regular file's data
 * is a radix tree of 4 KiB pages, absent pages being holes; a directory
 * is a list of entries in creation order, each with a cookie that
 * readdir resumes from, so entries that stay are listed exactly once
 * while others come and go.  A directory of more than a few entries
 * also has a hash of its names (rumpfs_subr.c), so that lookups in a
 * directory of any size take constant time.
 *
 * Locking: (n) rm_nslock, the mount's namespace lock: directory
 * entries, link counts, parents; (d) the node's rn_lock: data, size,
 * mode, owner, times; (a) rm_lock: the node list, numbers, accounting;
 * (c) stable after creation.  Order: rm_nslock, rn_lock, rm_lock.  A
 * link count changes only while a vnode of the node is held, so inactive
 * and reclaim read it without rm_nslock (they run under no VFS lock and
 * may be called by the memory reclaimer).
 */
#ifndef _RUMPVFS_RUMPFS_H_
#define _RUMPVFS_RUMPFS_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/time.h>
#include <sys/vnode.h>

struct mount;
struct statvfs;

#define RUMPFS_PAGE     PAGE_SIZE
#define RUMPFS_FANOUT   512             /* pointers per radix node */
#define RUMPFS_MAXHEIGHT 4
#define RUMPFS_MAXFILESIZE (1LL << 48)  /* 512^4 pages of 4 KiB */

struct rumpfs_node;

struct rumpfs_dirent {
	TAILQ_ENTRY(rumpfs_dirent) rd_entries;  /* n */
	LIST_ENTRY(rumpfs_dirent) rd_hash;      /* n: while the dir has one */
	uint64_t rd_cookie;                     /* n */
	uint32_t rd_hashval;                    /* c: of the name */
	struct rumpfs_node *rd_node;            /* n */
	uint16_t rd_namelen;                    /* n */
	char rd_name[];                         /* n */
};

struct rumpfs_node {
	LIST_ENTRY(rumpfs_node) rn_all;         /* a */
	ino_t rn_ino;                           /* c */
	enum vtype rn_type;                     /* c */
	krwlock_t rn_lock;
	nlink_t rn_nlink;                       /* n, read atomically */
	mode_t rn_mode;                         /* d: permission bits */
	uid_t rn_uid;                           /* d */
	gid_t rn_gid;                           /* d */
	dev_t rn_rdev;                          /* c */
	struct timespec rn_atime, rn_mtime, rn_ctime;   /* d */
	off_t rn_size;                          /* d */
	/* VDIR */
	TAILQ_HEAD(, rumpfs_dirent) rn_dir;     /* n */
	LIST_HEAD(rumpfs_dhead, rumpfs_dirent) *rn_dhash; /* n: NULL or */
	size_t rn_dhashsize;                    /* n: buckets, a power of 2 */
	struct rumpfs_dirent *rn_rdhint;        /* n, or atomic with n read:
						 * where a readdir stopped */
	uint64_t rn_nextcookie;                 /* n */
	unsigned long rn_nentries;              /* n */
	struct rumpfs_node *rn_parent;          /* n */
	/* VREG */
	void *rn_pages;                         /* d: radix root */
	unsigned rn_height;                     /* d */
	uint64_t rn_npages;                     /* d: pages present */
	/* VLNK */
	char *rn_target;                        /* c */
	size_t rn_targetlen;                    /* c */
	/* A host file or directory (rumpfs_etfs.c), else NULL. */
	struct etfs *rn_etfs;                   /* c */
};

/* What a mount of the engine is given. */
struct rumpfs_args {
	uint64_t ra_maxbytes;           /* 0: only the kernel's memory limit */
	uint64_t ra_maxnodes;           /* 0: no limit */
	mode_t ra_rootmode;
	uid_t ra_rootuid;
	gid_t ra_rootgid;
};

struct rumpfs_mount {
	krwlock_t rm_nslock;
	kmutex_t rm_lock;
	struct rumpfs_node *rm_root;            /* c */
	struct rumpfs_args rm_args;             /* c */
	LIST_HEAD(, rumpfs_node) rm_nodes;      /* a */
	ino_t rm_nextino;                       /* a */
	uint64_t rm_bytes;                      /* a: accounted storage */
	uint64_t rm_nnodes;                     /* a */
	uint64_t rm_hashseed;                   /* c: of directory hashes */
};

#define RUMPFS_MOUNT(mp) ((struct rumpfs_mount *)(mp)->mnt_data)

/* rumpfs_vfsops.c: the engine's mount operations, for tmpfs too. */
int rumpfs_engine_mount(struct mount *, const struct rumpfs_args *);
int rumpfs_unmount(struct mount *, int);
int rumpfs_root(struct mount *, struct vnode **);
int rumpfs_statvfs(struct mount *, struct statvfs *);
int rumpfs_sync(struct mount *);
int rumpfs_loadvnode(struct mount *, struct vnode *, ino_t, void *);

/* Register the rumpfs type (VFS init). */
void rumpfs_init(void);

/* rumpfs_vnops.c */
extern const struct vnodeops rumpfs_vnodeops;

/*
 * rumpfs_etfs.c: the operations of a node's vnodes: rumpfs_vnodeops,
 * or those of a device node or of a host file or directory.
 */
const struct vnodeops *rumpfs_node_vnodeops(struct rumpfs_node *);

/* rumpfs_subr.c */
int rumpfs_node_alloc(struct rumpfs_mount *, enum vtype, mode_t, uid_t,
    gid_t, dev_t, struct rumpfs_node **);
void rumpfs_node_free(struct rumpfs_mount *, struct rumpfs_node *);
int rumpfs_reserve(struct rumpfs_mount *, uint64_t bytes);
void rumpfs_unreserve(struct rumpfs_mount *, uint64_t bytes);
struct rumpfs_dirent *rumpfs_dir_lookup(struct rumpfs_mount *,
    struct rumpfs_node *, const char *, size_t);
int rumpfs_dirent_alloc(struct rumpfs_mount *, const char *, size_t,
    struct rumpfs_dirent **);
void rumpfs_dirent_free(struct rumpfs_mount *, struct rumpfs_dirent *);
void rumpfs_dir_attach(struct rumpfs_mount *, struct rumpfs_node *,
    struct rumpfs_dirent *, struct rumpfs_node *);
void rumpfs_dir_detach(struct rumpfs_node *, struct rumpfs_dirent *);
void rumpfs_dirhash_free(struct rumpfs_mount *, struct rumpfs_node *);
/* The first entry of dir with a cookie >= cookie, NULL if none. */
struct rumpfs_dirent *rumpfs_dir_seek(struct rumpfs_node *, uint64_t);
/* Where the next readdir is likely to start: after rd. */
void rumpfs_dir_sethint(struct rumpfs_node *, struct rumpfs_dirent *);
/*
 * The page of index idx: NULL for a hole with RUMPFS_PG_LOOKUP; else a
 * hole is filled with a new page, zeroed unless RUMPFS_PG_OVERWRITE says
 * the caller is about to fill all of it.
 */
#define RUMPFS_PG_LOOKUP    0
#define RUMPFS_PG_ALLOC     1
#define RUMPFS_PG_OVERWRITE 2
int rumpfs_page(struct rumpfs_mount *, struct rumpfs_node *, uint64_t idx,
    int how, char **pagep);
void rumpfs_truncate(struct rumpfs_mount *, struct rumpfs_node *, off_t);
/* Free the pages of index [first, last). */
void rumpfs_punch(struct rumpfs_mount *, struct rumpfs_node *, uint64_t first,
    uint64_t last);
/* The first page index >= idx that is present (data) or absent. */
uint64_t rumpfs_page_find(struct rumpfs_node *, uint64_t idx, bool data);
void rumpfs_gettime(struct timespec *);

#endif /* _RUMPVFS_RUMPFS_H_ */
