/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The name cache: (directory vnode, name) -> vnode, or "no such name"
 * (a negative entry), so that a lookup made before does not enter the
 * file system again.  namei asks it for each component; the VOP calls
 * that change names keep it right.
 *
 * Rules:
 * 1. Only mounts whose names change through the VOP calls alone set
 *    mnt_namecache (ffs, ext2fs, tmpfs); nothing else is cached.  "."
 *    and ".." never are.
 * 2. An entry holds no reference.  A vnode that leaves the vnode cache
 *    (reclaimed, revoked, its inode freed) first takes every entry in it
 *    and naming it out (ncache_purge_vnode), so an entry's vnodes are
 *    always alive, and a hit takes its reference under the same lock.
 * 3. A name operation (create, symlink, link, remove, rename) is
 *    bracketed by its VOP wrapper: before the file system is called,
 *    the names it touches go out of the cache and the directory is
 *    marked busy (ncache_change_begin); after it, the names go out
 *    again and the mark is lifted (ncache_change_end).  Each step
 *    advances the directory's generation.  A lookup's answer is entered
 *    only if the directory is not busy and its generation is still the
 *    one read before the file system was asked.  So no answer older
 *    than a change is entered after it, and while a change is under
 *    way no lookup finds the names it touches in the cache: a reader
 *    never sees a name go back to its state before a change it has
 *    already seen.  What create, symlink and link made is entered at
 *    the end when no other change of the directory overlapped.
 * 4. Entries are freed oldest first beyond twice the number of cached
 *    vnodes (a name without its vnode is worth little), and by the
 *    memory reclaimer.
 *
 * Locking: vcache_lock (vnode_impl.h) guards everything here, the
 * generations and the entry lists of vnode_impl included.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/vnode.h>

#include "vfs_private.h"
#include "vnode_impl.h"

#define NCACHE_MINHASH 4096 /* buckets; a power of two */
#define NCACHE_MINMAX  4096 /* entries kept at least */

struct ncentry {
	LIST_ENTRY(ncentry) nc_hash;  /* its bucket */
	LIST_ENTRY(ncentry) nc_dlist; /* nc_dvp's vi_ncdir */
	LIST_ENTRY(ncentry) nc_vlist; /* nc_vp's vi_ncref (positive) */
	TAILQ_ENTRY(ncentry) nc_lru;  /* oldest first */
	struct vnode *nc_dvp;
	struct vnode *nc_vp; /* NULL: no such name */
	uint32_t nc_hv;
	uint8_t nc_len;
	char nc_name[];
};

LIST_HEAD(nchead, ncentry);

static struct nchead *nc_hash;       /* v */
static size_t nc_hashsize;           /* v */
static size_t nc_count;              /* v */
static bool nc_growing;              /* v */
static TAILQ_HEAD(, ncentry) nc_lru; /* v */
static struct kmem_reclaimer nc_reclaimer;

/* Figures for tests (v). */
struct ncstats ncstats;

/* FNV-1a of the name with the directory, mixed so every bit counts. */
static uint32_t
nc_hashname(const struct vnode *dvp, const char *nm, size_t len)
{
	uint64_t h = 14695981039346656037ULL ^ (uint64_t)(uintptr_t)dvp;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)nm[i]) * 1099511628211ULL;
	h *= 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(h >> 32);
}

static struct nchead *
nc_bucket(uint32_t hv)
{
	return &nc_hash[hv & (nc_hashsize - 1)];
}

static size_t
nc_size(size_t len)
{
	return sizeof(struct ncentry) + len;
}

static struct ncentry *
nc_find(const struct vnode *dvp, const char *nm, size_t len, uint32_t hv)
{
	struct ncentry *nc;

	KASSERT(mutex_owned(&vcache_lock));
	LIST_FOREACH(nc, nc_bucket(hv), nc_hash)
	if (nc->nc_hv == hv && nc->nc_dvp == dvp && nc->nc_len == len &&
	    memcmp(nc->nc_name, nm, len) == 0)
		return nc;
	return NULL;
}

/* Unlink an entry; the caller frees it once vcache_lock is dropped. */
static void
nc_remove(struct ncentry *nc)
{
	KASSERT(mutex_owned(&vcache_lock));
	LIST_REMOVE(nc, nc_hash);
	LIST_REMOVE(nc, nc_dlist);
	if (nc->nc_vp != NULL)
		LIST_REMOVE(nc, nc_vlist);
	TAILQ_REMOVE(&nc_lru, nc, nc_lru);
	nc_count--;
}

static void
nc_free(struct ncentry *nc)
{
	kmem_free(nc, nc_size(nc->nc_len));
}

/*
 * Make the hash four times larger, as vcache_grow does: vcache_lock is
 * dropped to allocate and held again on return.
 */
static void
nc_grow(void)
{
	struct nchead *nh, *oh;
	struct ncentry *nc;
	size_t osize, nsize;

	KASSERT(mutex_owned(&vcache_lock));
	if (nc_growing)
		return;
	nc_growing = true;
	osize = nc_hashsize;
	nsize = osize * 4;
	mutex_exit(&vcache_lock);
	nh = kmem_alloc(nsize * sizeof(*nh), KM_SLEEP);
	mutex_enter(&vcache_lock);
	nc_growing = false;
	if (nh == NULL)
		return;
	for (size_t b = 0; b < nsize; b++)
		LIST_INIT(&nh[b]);
	oh = nc_hash;
	nc_hash = nh;
	nc_hashsize = nsize;
	for (size_t b = 0; b < osize; b++)
		while ((nc = LIST_FIRST(&oh[b])) != NULL) {
			LIST_REMOVE(nc, nc_hash);
			LIST_INSERT_HEAD(nc_bucket(nc->nc_hv), nc, nc_hash);
		}
	mutex_exit(&vcache_lock);
	kmem_free(oh, osize * sizeof(*oh));
	mutex_enter(&vcache_lock);
}

/* A change of directory vi: answers read before it are not entered. */
static void
nc_bump(struct vnode_impl *vi)
{
	KASSERT(mutex_owned(&vcache_lock));
	vi->vi_ncgen++;
}

static bool
nc_usable(const struct vnode *dvp, const char *nm, size_t len)
{
	if (!dvp->v_mount->mnt_namecache || len == 0 || len > NAME_MAX)
		return false;
	return !(nm[0] == '.' && (len == 1 || (len == 2 && nm[1] == '.')));
}

int
ncache_lookup(struct vnode *dvp, const char *nm, size_t len, struct vnode **vpp,
              uint64_t *genp)
{
	uint32_t hv;
	struct ncentry *nc;
	struct vnode_impl *vi;

	*genp = 0;
	if (!nc_usable(dvp, nm, len))
		return NCACHE_MISS;
	hv = nc_hashname(dvp, nm, len);
	mutex_enter(&vcache_lock);
	*genp = VIMPL(dvp)->vi_ncgen;
	if ((nc = nc_find(dvp, nm, len, hv)) == NULL) {
		ncstats.ncs_miss++;
		mutex_exit(&vcache_lock);
		return NCACHE_MISS;
	}
	if (nc->nc_vp == NULL) {
		ncstats.ncs_neghits++;
		mutex_exit(&vcache_lock);
		return ENOENT;
	}
	vi = VIMPL(nc->nc_vp);
	if (!vcache_hold_locked(vi)) {
		/* Being reclaimed: the file system waits for it. */
		ncstats.ncs_miss++;
		mutex_exit(&vcache_lock);
		return NCACHE_MISS;
	}
	ncstats.ncs_hits++;
	mutex_exit(&vcache_lock);
	*vpp = &vi->vi_vnode;
	return 0;
}

/* A new entry, not yet in the cache (NULL without memory). */
static struct ncentry *
nc_alloc(struct vnode *dvp, const char *nm, size_t len, struct vnode *vp)
{
	struct ncentry *nc;

	if ((nc = kmem_alloc(nc_size(len), KM_SLEEP)) == NULL)
		return NULL;
	nc->nc_hv = nc_hashname(dvp, nm, len);
	nc->nc_dvp = dvp;
	nc->nc_vp = vp;
	nc->nc_len = (uint8_t)len;
	memcpy(nc->nc_name, nm, len);
	return nc;
}

/*
 * Put nc in the cache if its vnodes are live; false if not (the caller
 * frees it).  Any older entry of the name, and the oldest entry when
 * there are too many, go on *freep.
 */
static bool
nc_insert(struct ncentry *nc, struct ncentry **freep)
{
	struct vnode_impl *dvi = VIMPL(nc->nc_dvp), *vi;
	struct ncentry *old;

	KASSERT(mutex_owned(&vcache_lock));
	if (dvi->vi_state != VS_ACTIVE || dvi->vi_freed)
		return false;
	if (nc->nc_vp != NULL) {
		vi = VIMPL(nc->nc_vp);
		if (vi->vi_state != VS_ACTIVE || vi->vi_freed)
			return false;
	}
	if ((old = nc_find(nc->nc_dvp, nc->nc_name, nc->nc_len, nc->nc_hv)) !=
	    NULL) {
		nc_remove(old);
		LIST_NEXT(old, nc_hash) = *freep;
		*freep = old;
	}
	LIST_INSERT_HEAD(nc_bucket(nc->nc_hv), nc, nc_hash);
	LIST_INSERT_HEAD(&dvi->vi_ncdir, nc, nc_dlist);
	if (nc->nc_vp != NULL)
		LIST_INSERT_HEAD(&VIMPL(nc->nc_vp)->vi_ncref, nc, nc_vlist);
	TAILQ_INSERT_TAIL(&nc_lru, nc, nc_lru);
	nc_count++;
	if (nc_count > NCACHE_MINMAX && nc_count > 2 * vcache_nvnodes()) {
		old = TAILQ_FIRST(&nc_lru);
		nc_remove(old);
		LIST_NEXT(old, nc_hash) = *freep;
		*freep = old;
	}
	if (nc_count > 2 * nc_hashsize)
		nc_grow();
	return true;
}

void
ncache_enter(struct vnode *dvp, const char *nm, size_t len, struct vnode *vp,
             uint64_t gen)
{
	struct ncentry *nc, *gone = NULL;
	struct vnode_impl *dvi = VIMPL(dvp);

	if (!nc_usable(dvp, nm, len))
		return;
	/* A vnode of another mount (a lookup that crossed) is not named. */
	if (vp != NULL && vp->v_mount != dvp->v_mount)
		return;
	if ((nc = nc_alloc(dvp, nm, len, vp)) == NULL)
		return;
	mutex_enter(&vcache_lock);
	if (dvi->vi_ncgen != gen || dvi->vi_ncbusy != 0 ||
	    !nc_insert(nc, &gone)) {
		mutex_exit(&vcache_lock);
		nc_free(nc);
		return;
	}
	mutex_exit(&vcache_lock);
	ncache_free_list(gone);
}

/* Take the entry of a name out; with vcache_lock held. */
static void
nc_purge_name(struct vnode *dvp, const char *nm, size_t len,
              struct ncentry **freep)
{
	struct ncentry *nc;

	if ((nc = nc_find(dvp, nm, len, nc_hashname(dvp, nm, len))) != NULL) {
		nc_remove(nc);
		LIST_NEXT(nc, nc_hash) = *freep;
		*freep = nc;
	}
}

uint64_t
ncache_change_begin(struct vnode *dvp, const char *nm, size_t len)
{
	struct vnode_impl *dvi = VIMPL(dvp);
	struct ncentry *gone = NULL;
	uint64_t gen;

	if (!nc_usable(dvp, nm, len))
		return 0;
	mutex_enter(&vcache_lock);
	nc_purge_name(dvp, nm, len, &gone);
	dvi->vi_ncbusy++;
	nc_bump(dvi);
	gen = dvi->vi_ncgen;
	mutex_exit(&vcache_lock);
	ncache_free_list(gone);
	return gen;
}

void
ncache_change_end(struct vnode *dvp, const char *nm, size_t len,
                  struct vnode *vp, uint64_t gen)
{
	struct vnode_impl *dvi = VIMPL(dvp);
	struct ncentry *nc = NULL, *gone = NULL;

	if (!nc_usable(dvp, nm, len))
		return;
	if (vp != NULL && vp->v_mount == dvp->v_mount)
		nc = nc_alloc(dvp, nm, len, vp);
	mutex_enter(&vcache_lock);
	KASSERT(dvi->vi_ncbusy > 0);
	nc_purge_name(dvp, nm, len, &gone);
	/* No other change of the directory overlapped: name the result. */
	if (nc != NULL && dvi->vi_ncgen == gen && dvi->vi_ncbusy == 1 &&
	    nc_insert(nc, &gone))
		nc = NULL;
	nc_bump(dvi);
	dvi->vi_ncbusy--;
	mutex_exit(&vcache_lock);
	if (nc != NULL)
		nc_free(nc);
	ncache_free_list(gone);
}

/*
 * Take out every entry in directory vi and every entry naming vi; with
 * vcache_lock held.  The entries go on *freep, to be freed unlocked.
 */
void
ncache_purge_vnode(struct vnode_impl *vi, struct ncentry **freep)
{
	struct ncentry *nc;

	KASSERT(mutex_owned(&vcache_lock));
	while ((nc = LIST_FIRST(&vi->vi_ncdir)) != NULL ||
	       (nc = LIST_FIRST(&vi->vi_ncref)) != NULL) {
		nc_remove(nc);
		LIST_NEXT(nc, nc_hash) = *freep;
		*freep = nc;
	}
	nc_bump(vi);
}

void
ncache_free_list(struct ncentry *nc)
{
	struct ncentry *next;

	for (; nc != NULL; nc = next) {
		next = LIST_NEXT(nc, nc_hash);
		nc_free(nc);
	}
}

/* The memory reclaimer: the oldest entries go. */
static size_t
nc_reclaim(void *arg)
{
	struct ncentry *nc, *gone = NULL;
	size_t freed = 0;

	(void)arg;
	if (!mutex_tryenter(&vcache_lock))
		return 0;
	for (unsigned n = 0; n < 256 && (nc = TAILQ_FIRST(&nc_lru)) != NULL;
	     n++) {
		nc_remove(nc);
		freed += nc_size(nc->nc_len);
		LIST_NEXT(nc, nc_hash) = gone;
		gone = nc;
	}
	mutex_exit(&vcache_lock);
	ncache_free_list(gone);
	return freed;
}

void
ncache_init(void)
{
	nc_hash = kmem_alloc(NCACHE_MINHASH * sizeof(*nc_hash), KM_SLEEP);
	if (nc_hash == NULL)
		panic("ncache_init: no memory for the name hash");
	nc_hashsize = NCACHE_MINHASH;
	for (size_t b = 0; b < NCACHE_MINHASH; b++)
		LIST_INIT(&nc_hash[b]);
	TAILQ_INIT(&nc_lru);
	nc_reclaimer.kr_reclaim = nc_reclaim;
	kmem_reclaimer_register(&nc_reclaimer);
}
