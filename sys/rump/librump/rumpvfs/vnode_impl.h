/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The vnode cache's private view of a vnode (vfs_vnode.c only).
 *
 * A cached vnode goes:
 *   VS_LOADING    -> VS_ACTIVE      loadvnode succeeded
 *   VS_LOADING    -> (freed)        loadvnode failed
 *   VS_ACTIVE     -> VS_RECLAIMING  unreferenced, and recycled, flushed by
 *                                   unmount or taken by the memory reclaimer
 *   VS_RECLAIMING -> (freed)        after VOP_RECLAIM
 *   VS_ACTIVE     -> VS_DEAD        referenced, and revoked by a forced
 *                                   unmount: reclaimed, out of the hash,
 *                                   dead_vnodeops
 *   VS_DEAD       -> (freed)        at its last release
 * A vnode stays in the hash until freed or dead, so that vcache_get() of
 * its key waits (vcache_cv) instead of loading a second vnode for one
 * file.
 * An ACTIVE vnode with v_usecount 0 is on the LRU list.  vi_releasing
 * marks an ACTIVE vnode in VOP_INACTIVE of its last release, which may
 * free the inode; vi_inactagain says that another reference came and
 * went meanwhile, so inactive runs again.  vi_freed marks one whose
 * inode the file system has freed (vcache_freed()) while references
 * remain: it stays in the hash until freed, but no lookup finds it, so
 * vcache_new() of that inode number, called with the file system's
 * lock held, makes a new vnode at once instead of waiting for holders
 * of the old one who may wait for that lock.
 *
 * vi_ncdir and vi_ncref hold the name cache's entries (vfs_cache.c)
 * in this directory and naming this vnode; vi_ncgen and vi_ncbusy are
 * the directory's generation and its name changes under way there.
 *
 * Locking: (v) vcache_lock, lockf_lock (vfs_lockf.c).
 */
#ifndef _RUMPVFS_VNODE_IMPL_H_
#define _RUMPVFS_VNODE_IMPL_H_

#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>

struct lockf;
struct ncentry;

enum vnode_state { VS_LOADING, VS_ACTIVE, VS_RECLAIMING, VS_DEAD };

struct vnode_impl {
	struct vnode vi_vnode;                  /* first: casts both ways */
	enum vnode_state vi_state;              /* v */
	bool vi_onlru;                          /* v */
	bool vi_releasing;                      /* v: in its last release */
	bool vi_inactagain;                     /* v: inactive is due again */
	bool vi_freed;                          /* v: its inode is free */
	LIST_ENTRY(vnode_impl) vi_hash;         /* v */
	TAILQ_ENTRY(vnode_impl) vi_lru;         /* v */
	struct lockf *vi_lockf;                 /* lockf_lock: record locks */
	LIST_HEAD(, ncentry) vi_ncdir;          /* v: names in it */
	LIST_HEAD(, ncentry) vi_ncref;          /* v: names of it */
	uint64_t vi_ncgen;                      /* v: its name generation */
	unsigned vi_ncbusy;                     /* v: name changes in it */
};

#define VIMPL(vp) ((struct vnode_impl *)(vp))

/* vfs_vnode.c: the lock of the vnode cache, which the name cache shares. */
extern kmutex_t vcache_lock;
/* Take a reference to an ACTIVE vnode whose inode is live, under it. */
bool vcache_hold_locked(struct vnode_impl *);
/* Vnodes in the cache, under it. */
size_t vcache_nvnodes(void);

/* vfs_cache.c, with vcache_lock held: a vnode's names go (then free them). */
void ncache_purge_vnode(struct vnode_impl *, struct ncentry **freep);
void ncache_free_list(struct ncentry *);

#endif /* _RUMPVFS_VNODE_IMPL_H_ */
