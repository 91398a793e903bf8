/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The vnode cache: one vnode per (mount, inode number), found through a
 * hash, loaded on first use by the file system's loadvnode, kept on an
 * LRU list while unreferenced and freed by the memory reclaimer
 * (RUMP_MEMLIMIT), by unmount, or at once when the file system says the
 * file is gone (inactive sets recycle: an unlinked file's last close).
 * States and transitions: vnode_impl.h.
 *
 * Reference rule: v_usecount counts holders; it changes only under
 * vcache_lock.  The holder that takes it from 1 to 0 runs VOP_INACTIVE
 * first, with its reference still held, so the file system sees one
 * inactive per last release and never a reference appearing during
 * reclaim.  VOP_RECLAIM and loadvnode are called with no VFS lock held,
 * and may not take locks a thread holds while it allocates memory (the
 * memory reclaimer calls VOP_RECLAIM from inside an allocation).
 *
 * Every vnode leaving the cache takes its names out of the name cache
 * (vfs_cache.c), which shares vcache_lock.
 *
 * Lock order: mountlist_lock, then vcache_lock.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/vnode.h>

#include "vfs_private.h"
#include "vnode_impl.h"

/*
 * The hash starts with VCACHE_MINHASH buckets and grows fourfold when
 * the cache holds more than twice as many vnodes as buckets, so chains
 * stay short with any number of files in use.
 */
#define VCACHE_MINHASH 4096             /* buckets; a power of two */

LIST_HEAD(vcache_head, vnode_impl);

kmutex_t vcache_lock;
static kcondvar_t vcache_cv;            /* a LOADING/RECLAIMING vnode left */
static struct vcache_head *vcache_hash;                 /* v */
static size_t vcache_hashsize;                          /* v */
static size_t vcache_count;                             /* v: vnodes */
static bool vcache_growing;                             /* v */
static TAILQ_HEAD(, vnode_impl) vcache_lru;             /* v */
static struct kmem_reclaimer vcache_reclaimer;

static unsigned
vcache_bucket(const struct mount *mp, ino_t ino)
{
	uint64_t h = (uint64_t)(uintptr_t)mp * 0x9e3779b97f4a7c15ULL;

	h ^= ino * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 31;
	return (unsigned)(h >> 20) & (vcache_hashsize - 1);
}

/*
 * Make the hash four times larger.  Called with vcache_lock held, which
 * is dropped to allocate (the memory reclaimer takes it); returns with
 * it held.  Losing the memory only leaves chains longer.
 */
static void
vcache_grow(void)
{
	struct vcache_head *nh, *oh;
	struct vnode_impl *vi;
	size_t osize, nsize;

	KASSERT(mutex_owned(&vcache_lock));
	if (vcache_growing)
		return;
	vcache_growing = true;
	osize = vcache_hashsize;
	nsize = osize * 4;
	mutex_exit(&vcache_lock);
	nh = kmem_alloc(nsize * sizeof(*nh), KM_SLEEP);
	mutex_enter(&vcache_lock);
	vcache_growing = false;
	if (nh == NULL)
		return;
	for (size_t b = 0; b < nsize; b++)
		LIST_INIT(&nh[b]);
	oh = vcache_hash;
	vcache_hash = nh;
	vcache_hashsize = nsize;
	for (size_t b = 0; b < osize; b++) {
		while ((vi = LIST_FIRST(&oh[b])) != NULL) {
			LIST_REMOVE(vi, vi_hash);
			LIST_INSERT_HEAD(&vcache_hash[vcache_bucket(
			    vi->vi_vnode.v_mount, vi->vi_vnode.v_ino)], vi,
			    vi_hash);
		}
	}
	mutex_exit(&vcache_lock);
	kmem_free(oh, osize * sizeof(*oh));
	mutex_enter(&vcache_lock);
}

static struct vnode_impl *
vcache_find(const struct mount *mp, ino_t ino)
{
	struct vnode_impl *vi;

	KASSERT(mutex_owned(&vcache_lock));
	LIST_FOREACH(vi, &vcache_hash[vcache_bucket(mp, ino)], vi_hash)
		if (vi->vi_vnode.v_mount == mp && vi->vi_vnode.v_ino == ino &&
		    !vi->vi_freed)
			return vi;
	return NULL;
}

static void
vcache_lru_remove(struct vnode_impl *vi)
{
	KASSERT(mutex_owned(&vcache_lock));
	if (vi->vi_onlru) {
		TAILQ_REMOVE(&vcache_lru, vi, vi_lru);
		vi->vi_onlru = false;
	}
}

/*
 * Take an unreferenced ACTIVE vnode out of use: VS_ACTIVE ->
 * VS_RECLAIMING.  Called with vcache_lock held; the caller then calls
 * vcache_free() without it.
 */
static void
vcache_begin_reclaim(struct vnode_impl *vi)
{
	KASSERT(mutex_owned(&vcache_lock));
	KASSERT(vi->vi_state == VS_ACTIVE && vi->vi_vnode.v_usecount == 0);
	vcache_lru_remove(vi);
	vi->vi_state = VS_RECLAIMING;
}

bool
vcache_hold_locked(struct vnode_impl *vi)
{
	KASSERT(mutex_owned(&vcache_lock));
	if (vi->vi_state != VS_ACTIVE || vi->vi_freed)
		return false;
	vcache_lru_remove(vi);
	vi->vi_vnode.v_usecount++;
	return true;
}

size_t
vcache_nvnodes(void)
{
	KASSERT(mutex_owned(&vcache_lock));
	return vcache_count;
}

/* Reclaim and free a RECLAIMING vnode, or a LOADING one that failed. */
static void
vcache_free(struct vnode_impl *vi, bool loaded)
{
	struct vnode *vp = &vi->vi_vnode;
	struct ncentry *names = NULL;

	if (loaded)
		vp->v_op->vop_reclaim(vp);
	/* Reclaim gave back the vnode's buffers (vinvalbuf), if it had any. */
	KASSERT(LIST_EMPTY(&vp->v_buflist));
	mutex_enter(&vcache_lock);
	ncache_purge_vnode(vi, &names);
	LIST_REMOVE(vi, vi_hash);
	vcache_count--;
	vp->v_mount->mnt_nvnodes--;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	ncache_free_list(names);
	kmem_free(vi, sizeof(*vi));
}

int
vcache_get(struct mount *mp, ino_t ino, void *cookie, struct vnode **vpp)
{
	struct vnode_impl *vi, *nvi = NULL;
	int error;

	mutex_enter(&vcache_lock);
	for (;;) {
		vi = vcache_find(mp, ino);
		if (vi != NULL && vi->vi_state != VS_ACTIVE) {
			cv_wait(&vcache_cv, &vcache_lock);
			continue;
		}
		if (vi != NULL) {
			vcache_lru_remove(vi);
			vi->vi_vnode.v_usecount++;
			mutex_exit(&vcache_lock);
			if (nvi != NULL)
				kmem_free(nvi, sizeof(*nvi));
			*vpp = &vi->vi_vnode;
			return 0;
		}
		if (nvi != NULL)
			break;
		/* Allocate unlocked: the memory reclaimer takes vcache_lock. */
		mutex_exit(&vcache_lock);
		if ((nvi = kmem_zalloc(sizeof(*nvi), KM_SLEEP)) == NULL)
			return ENOMEM;
		mutex_enter(&vcache_lock);
	}
	nvi->vi_state = VS_LOADING;
	nvi->vi_vnode.v_mount = mp;
	nvi->vi_vnode.v_ino = ino;
	nvi->vi_vnode.v_usecount = 1;
	LIST_INSERT_HEAD(&vcache_hash[vcache_bucket(mp, ino)], nvi, vi_hash);
	mp->mnt_nvnodes++;
	if (++vcache_count > 2 * vcache_hashsize)
		vcache_grow();
	mutex_exit(&vcache_lock);

	if ((error = mp->mnt_op->vfs_loadvnode(mp, &nvi->vi_vnode, ino,
	    cookie)) != 0) {
		vcache_free(nvi, false);
		return error;
	}
	KASSERT(nvi->vi_vnode.v_op != NULL);
	mutex_enter(&vcache_lock);
	nvi->vi_state = VS_ACTIVE;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	*vpp = &nvi->vi_vnode;
	return 0;
}

/*
 * The caller holds its file system's lock, which the releases of other
 * vnodes may wait for: so it never waits for a vnode whose inode was
 * freed (vcache_find passes over those), only for one being loaded or
 * reclaimed, which take no file-system lock.
 */
int
vcache_new(struct mount *mp, ino_t ino, void *cookie, struct vnode **vpp)
{
	struct vnode_impl *vi;

	mutex_enter(&vcache_lock);
	while ((vi = vcache_find(mp, ino)) != NULL) {
		if (vi->vi_state == VS_ACTIVE) {
			mutex_exit(&vcache_lock);
			return EEXIST;
		}
		cv_wait(&vcache_cv, &vcache_lock);
	}
	mutex_exit(&vcache_lock);
	return vcache_get(mp, ino, cookie, vpp);
}

bool
vlastref(struct vnode *vp)
{
	bool last;

	mutex_enter(&vcache_lock);
	last = vp->v_usecount == 1;
	mutex_exit(&vcache_lock);
	return last;
}

void
vcache_freed(struct vnode *vp)
{
	struct ncentry *names = NULL;

	mutex_enter(&vcache_lock);
	VIMPL(vp)->vi_freed = true;
	ncache_purge_vnode(VIMPL(vp), &names);
	mutex_exit(&vcache_lock);
	ncache_free_list(names);
}

/*
 * Free a dead vnode at its last release; called with vcache_lock held,
 * returns without it.  The last dead vnode of an unmounted mount takes
 * the struct mount with it.
 */
static void
vcache_free_dead(struct vnode_impl *vi)
{
	struct mount *mp = vi->vi_vnode.v_mount;
	bool last;

	KASSERT(mutex_owned(&vcache_lock));
	KASSERT(vi->vi_state == VS_DEAD && vi->vi_vnode.v_usecount == 0);
	KASSERT(LIST_EMPTY(&vi->vi_ncdir) && LIST_EMPTY(&vi->vi_ncref));
	last = --mp->mnt_nvnodes == 0 && mp->mnt_unmounted;
	mutex_exit(&vcache_lock);
	kmem_free(vi, sizeof(*vi));
	if (last)
		vfs_mount_destroy(mp);
}

void
vref(struct vnode *vp)
{
	mutex_enter(&vcache_lock);
	KASSERT(vp->v_usecount > 0);
	vp->v_usecount++;
	mutex_exit(&vcache_lock);
}

void
vrele(struct vnode *vp)
{
	struct vnode_impl *vi = VIMPL(vp);
	bool recycle = false;

	mutex_enter(&vcache_lock);
	KASSERT(vp->v_usecount > 0 &&
	    (vi->vi_state == VS_ACTIVE || vi->vi_state == VS_DEAD));
	if (vp->v_usecount > 1) {
		vp->v_usecount--;
		/* Came and went while the last release was in inactive. */
		if (vi->vi_releasing)
			vi->vi_inactagain = true;
		mutex_exit(&vcache_lock);
		return;
	}
	/*
	 * Inactive looks at the file (its link count, say) unlocked by the
	 * cache: a holder that came meanwhile may have changed it and gone
	 * without an inactive of its own, so that one runs again.
	 */
	do {
		vi->vi_releasing = true;
		vi->vi_inactagain = false;
		recycle = false;
		mutex_exit(&vcache_lock);
		VOP_INACTIVE(vp, &recycle);
		mutex_enter(&vcache_lock);
		vi->vi_releasing = false;
	} while (vi->vi_inactagain && vp->v_usecount == 1 &&
	    vi->vi_state == VS_ACTIVE);
	cv_broadcast(&vcache_cv);
	if (--vp->v_usecount > 0) {
		mutex_exit(&vcache_lock);
		return;
	}
	if (vi->vi_state == VS_DEAD) {
		vcache_free_dead(vi);
		return;
	}
	if (recycle) {
		vcache_begin_reclaim(vi);
		mutex_exit(&vcache_lock);
		vcache_free(vi, true);
		return;
	}
	TAILQ_INSERT_TAIL(&vcache_lru, vi, vi_lru);
	vi->vi_onlru = true;
	mutex_exit(&vcache_lock);
}

int
vflush(struct mount *mp, struct vnode *skip)
{
	struct vnode_impl *vi;
	size_t b;

	mutex_enter(&vcache_lock);
	for (b = 0; b < vcache_hashsize; b++) {
		LIST_FOREACH(vi, &vcache_hash[b], vi_hash) {
			if (vi->vi_vnode.v_mount != mp)
				continue;
			if (vi->vi_state != VS_ACTIVE ||
			    vi->vi_vnode.v_usecount >
			    (&vi->vi_vnode == skip ? 1u : 0u)) {
				mutex_exit(&vcache_lock);
				return EBUSY;
			}
		}
	}
	/*
	 * Nothing of mp is in use, so nothing new can appear: reclaim.  The
	 * lock is dropped for each vnode and the hash may grow meanwhile,
	 * moving vnodes behind the walk: walk until none is left.
	 */
again:
	for (b = 0; b < vcache_hashsize; b++) {
restart:
		LIST_FOREACH(vi, &vcache_hash[b], vi_hash) {
			if (vi->vi_vnode.v_mount != mp ||
			    &vi->vi_vnode == skip)
				continue;
			vcache_begin_reclaim(vi);
			mutex_exit(&vcache_lock);
			vcache_free(vi, true);
			mutex_enter(&vcache_lock);
			goto restart;
		}
	}
	if (mp->mnt_nvnodes > (skip != NULL ? 1u : 0u))
		goto again;
	mutex_exit(&vcache_lock);
	return 0;
}

bool
vcache_mount_unmounted(struct mount *mp)
{
	bool last;

	mutex_enter(&vcache_lock);
	mp->mnt_unmounted = true;
	last = mp->mnt_nvnodes == 0;
	mutex_exit(&vcache_lock);
	return last;
}

void
vrevoke_mount(struct mount *mp)
{
	struct vnode_impl *vi;
	struct vnode *vp;
	struct ncentry *names;
	bool found;
	size_t b;

	KASSERT(vfs_revoked(mp));
	mutex_enter(&vcache_lock);
	do {
		found = false;
		for (b = 0; b < vcache_hashsize; b++) {
restart:
			LIST_FOREACH(vi, &vcache_hash[b], vi_hash) {
				vp = &vi->vi_vnode;
				if (vp->v_mount == mp)
					break;
			}
			if (vi == NULL)
				continue;
			found = true;
			if (vi->vi_state != VS_ACTIVE) {
				/* Being reclaimed by a release: let it end. */
				cv_wait(&vcache_cv, &vcache_lock);
				goto restart;
			}
			if (vp->v_usecount == 0) {
				vcache_begin_reclaim(vi);
				mutex_exit(&vcache_lock);
				vcache_free(vi, true);
				mutex_enter(&vcache_lock);
				goto restart;
			}
			/*
			 * In use.  Our own reference keeps it while the file
			 * system lets go of it (no one else enters: the gate is
			 * shut); then it is dead for the other holders.
			 */
			vp->v_usecount++;
			mutex_exit(&vcache_lock);
			vp->v_op->vop_reclaim(vp);
			mutex_enter(&vcache_lock);
			vp->v_op = &dead_vnodeops;
			vi->vi_state = VS_DEAD;
			names = NULL;
			ncache_purge_vnode(vi, &names);
			LIST_REMOVE(vi, vi_hash);
			vcache_count--;
			cv_broadcast(&vcache_cv);
			mutex_exit(&vcache_lock);
			ncache_free_list(names);
			vn_advlock_revoke(vp);
			vrele(vp);
			mutex_enter(&vcache_lock);
			goto restart;
		}
	} while (found);
	mutex_exit(&vcache_lock);
}

/*
 * The memory reclaimer: free unreferenced vnodes from the cold end of the
 * LRU.  An allocation under vcache_lock never happens, but a try-lock
 * keeps that a convention rather than a deadlock.
 */
static size_t
vcache_reclaim(void *arg)
{
	struct vnode_impl *vi;
	size_t freed = 0;
	unsigned n;

	(void)arg;
	for (n = 0; n < 64; n++) {
		if (!mutex_tryenter(&vcache_lock))
			break;
		if ((vi = TAILQ_FIRST(&vcache_lru)) == NULL) {
			mutex_exit(&vcache_lock);
			break;
		}
		vcache_begin_reclaim(vi);
		mutex_exit(&vcache_lock);
		vcache_free(vi, true);
		freed += sizeof(*vi);
	}
	return freed;
}

void
vcache_init(void)
{
	mutex_init(&vcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&vcache_cv, "vcache");
	vcache_hash = kmem_alloc(VCACHE_MINHASH * sizeof(*vcache_hash),
	    KM_SLEEP);
	if (vcache_hash == NULL)
		panic("vcache_init: no memory for the vnode hash");
	vcache_hashsize = VCACHE_MINHASH;
	for (size_t b = 0; b < VCACHE_MINHASH; b++)
		LIST_INIT(&vcache_hash[b]);
	TAILQ_INIT(&vcache_lru);
	vcache_reclaimer.kr_reclaim = vcache_reclaim;
	kmem_reclaimer_register(&vcache_reclaimer);
	ncache_init();
}
