/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * dirhash: an in-memory index of a large directory, so that neither a
 * lookup nor finding room for a new entry reads the whole directory.
 *
 * Built from the directory's blocks the first time a directory of at
 * least DH_MINBYTES bytes is searched, it maps a 32-bit hash of each
 * live name to the entry's offset (open addressing, linear probing,
 * tombstones for removed names) and keeps the free bytes of every
 * chunk.  A hit is only a candidate: the entry is read and its name
 * compared, so a hash collision costs a block read, never a wrong
 * answer.  A miss is final.
 *
 * The directory's changes (ufs_dir.c, um_lock as writer) keep the index
 * up to date.  All indexes together stay under a budget (a sixteenth
 * of RUMP_MEMLIMIT, at most 32 MiB); past it the least recently used
 * ones go, and the kernel's memory reclaimer may drop all of them: a
 * dropped index is rebuilt on the next search.  dirhash_lock guards
 * every index and the list; lookups copy candidates out under it and
 * read blocks without it.
 */
#include <sys/systm.h>
#include <sys/mount.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>

#include "ffs.h"

/*
 * Smaller directories are scanned: a few chunks cost less to read than
 * a hash to build.  In bytes, not blocks: one 32 KiB block holds a
 * thousand names.
 */
#define DH_MINBYTES (5 * DIRBLKSIZ)
#define DH_EMPTY 0
#define DH_DELETED 1
#define DH_NCAND 8                      /* candidates a lookup checks */

struct ufs_dirhash {
	TAILQ_ENTRY(ufs_dirhash) dh_lru;        /* dirhash_lock */
	struct ffs_inode *dh_ip;
	uint32_t *dh_hash;              /* DH_EMPTY, DH_DELETED or >= 2 */
	uint32_t *dh_off;               /* entry offset / 4 */
	size_t dh_nslots;               /* a power of two */
	size_t dh_nused;                /* live and deleted slots */
	size_t dh_nlive;
	uint16_t *dh_free;              /* per chunk */
	size_t dh_nchunks, dh_chunkcap;
	size_t dh_hint;                 /* where room was found last */
	size_t dh_bytes;
};

static kmutex_t dirhash_lock;
static TAILQ_HEAD(, ufs_dirhash) dirhash_lru = TAILQ_HEAD_INITIALIZER(
    dirhash_lru);                       /* dirhash_lock, coldest first */
static size_t dirhash_bytes;            /* dirhash_lock */
static struct kmem_reclaimer dirhash_reclaimer;

static uint32_t
dh_namehash(const char *nm, size_t len)
{
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)nm[i]) * 16777619U;
	return h < 2 ? h + 2 : h;
}

static size_t
dh_budget(void)
{
	size_t lim = kmem_limit();

	return lim == 0 ? 32 << 20 : MIN(lim / 16, (size_t)32 << 20);
}

static void
dh_destroy(struct ufs_dirhash *dh)
{
	kmem_free(dh->dh_hash, dh->dh_nslots * sizeof(uint32_t));
	kmem_free(dh->dh_off, dh->dh_nslots * sizeof(uint32_t));
	if (dh->dh_free != NULL)
		kmem_free(dh->dh_free, dh->dh_chunkcap * sizeof(uint16_t));
	kmem_free(dh, sizeof(*dh));
}

/* Unhook an index; dirhash_lock held. */
static void
dh_detach(struct ufs_dirhash *dh)
{
	KASSERT(mutex_owned(&dirhash_lock));
	TAILQ_REMOVE(&dirhash_lru, dh, dh_lru);
	dirhash_bytes -= dh->dh_bytes;
	dh->dh_ip->i_dirhash = NULL;
}

static size_t
dh_size(size_t nslots, size_t chunkcap)
{
	return sizeof(struct ufs_dirhash) + nslots * 2 * sizeof(uint32_t) +
	    chunkcap * sizeof(uint16_t);
}

static void
dh_insert(struct ufs_dirhash *dh, uint32_t h, uint64_t off)
{
	size_t mask = dh->dh_nslots - 1, i = h & mask;

	while (dh->dh_hash[i] >= 2)
		i = (i + 1) & mask;
	if (dh->dh_hash[i] == DH_EMPTY)
		dh->dh_nused++;
	dh->dh_hash[i] = h;
	dh->dh_off[i] = (uint32_t)(off >> 2);
	dh->dh_nlive++;
}

/* The number of slots for n live names, at most half full. */
static size_t
dh_nslots_for(size_t n)
{
	size_t ns = 64;

	while (ns < 2 * n)
		ns *= 2;
	return ns;
}

/* Move the names into new tables of ns slots (nh zeroed). */
static void
dh_install(struct ufs_dirhash *dh, uint32_t *nh, uint32_t *no, size_t ns)
{
	uint32_t *oh = dh->dh_hash, *oo = dh->dh_off;
	size_t os = dh->dh_nslots, i;

	dh->dh_hash = nh;
	dh->dh_off = no;
	dh->dh_nslots = ns;
	dh->dh_nused = dh->dh_nlive = 0;
	for (i = 0; i < os; i++)
		if (oh[i] >= 2)
			dh_insert(dh, oh[i], (uint64_t)oo[i] << 2);
	if (oh != NULL) {
		kmem_free(oh, os * sizeof(uint32_t));
		kmem_free(oo, os * sizeof(uint32_t));
	}
}

static bool
dh_tables(size_t ns, uint32_t **nhp, uint32_t **nop)
{
	if ((*nhp = kmem_zalloc(ns * sizeof(uint32_t), KM_SLEEP)) == NULL)
		return false;
	if ((*nop = kmem_alloc(ns * sizeof(uint32_t), KM_SLEEP)) == NULL) {
		kmem_free(*nhp, ns * sizeof(uint32_t));
		return false;
	}
	return true;
}

/* Resize an index not yet attached (no lock needed). */
static bool
dh_resize(struct ufs_dirhash *dh, size_t n)
{
	size_t ns = dh_nslots_for(n);
	uint32_t *nh, *no;

	if (!dh_tables(ns, &nh, &no))
		return false;
	dh_install(dh, nh, no, ns);
	return true;
}

static size_t
dh_chunkcap_for(struct ufs_dirhash *dh, size_t n)
{
	size_t cap = dh->dh_chunkcap ? dh->dh_chunkcap : 16;

	while (cap < n)
		cap *= 2;
	return cap;
}

static void
dh_chunks_install(struct ufs_dirhash *dh, uint16_t *nf, size_t cap)
{
	if (dh->dh_free != NULL) {
		memcpy(nf, dh->dh_free, dh->dh_nchunks * sizeof(uint16_t));
		kmem_free(dh->dh_free, dh->dh_chunkcap * sizeof(uint16_t));
	}
	dh->dh_free = nf;
	dh->dh_chunkcap = cap;
}

/* Grow the chunk table of an index not yet attached. */
static bool
dh_setchunks(struct ufs_dirhash *dh, size_t n)
{
	size_t cap;
	uint16_t *nf;

	if (n <= dh->dh_chunkcap)
		return true;
	cap = dh_chunkcap_for(dh, n);
	if ((nf = kmem_zalloc(cap * sizeof(uint16_t), KM_SLEEP)) == NULL)
		return false;
	dh_chunks_install(dh, nf, cap);
	return true;
}

/* Account a change of an attached index's memory; dirhash_lock held. */
static void
dh_recount(struct ufs_dirhash *dh)
{
	size_t nb = dh_size(dh->dh_nslots, dh->dh_chunkcap);

	dirhash_bytes += nb - dh->dh_bytes;
	dh->dh_bytes = nb;
}

struct dh_build {
	struct ufs_dirhash *dh;
	bool failed;
};

static void
dh_build_name(void *arg, const char *nm, size_t len, uint64_t off)
{
	struct dh_build *b = arg;

	if (b->failed)
		return;
	if (2 * (b->dh->dh_nused + 1) > b->dh->dh_nslots &&
	    !dh_resize(b->dh, b->dh->dh_nlive + 1)) {
		b->failed = true;
		return;
	}
	dh_insert(b->dh, dh_namehash(nm, len), off);
}

static void
dh_build_chunk(void *arg, uint64_t off, size_t nfree)
{
	struct dh_build *b = arg;
	size_t c = (size_t)(off / DIRBLKSIZ);

	if (b->failed)
		return;
	if (!dh_setchunks(b->dh, c + 1)) {
		b->failed = true;
		return;
	}
	b->dh->dh_free[c] = (uint16_t)nfree;
	b->dh->dh_nchunks = MAX(b->dh->dh_nchunks, c + 1);
}

/*
 * The index of dvp, built if the directory is large enough; NULL if it
 * is small or there is no memory for it.  dirhash_lock held on return
 * when not NULL; an error of reading the directory in *errorp.
 */
static struct ufs_dirhash *
dh_get(struct vnode *dvp, int *errorp)
{
	struct ffs_inode *dp = VTOI(dvp);
	struct ufs_dirhash *dh, *old;
	struct dh_build b;
	size_t est;

	*errorp = 0;
	mutex_enter(&dirhash_lock);
	if ((dh = dp->i_dirhash) != NULL) {
		TAILQ_REMOVE(&dirhash_lru, dh, dh_lru);
		TAILQ_INSERT_TAIL(&dirhash_lru, dh, dh_lru);
		return dh;
	}
	mutex_exit(&dirhash_lock);
	if (dp->i_size < DH_MINBYTES)
		return NULL;
	/* About one name per 16 bytes of directory, at worst. */
	est = dh_size(2 * (size_t)(dp->i_size / 16),
	    (size_t)(dp->i_size / DIRBLKSIZ));
	if (est > dh_budget())
		return NULL;
	if ((dh = kmem_zalloc(sizeof(*dh), KM_NOSLEEP)) == NULL)
		return NULL;
	dh->dh_ip = dp;
	b.dh = dh;
	b.failed = !dh_resize(dh, 64);
	if (!b.failed)
		*errorp = ufs_dirwalk(dvp, dh_build_name, dh_build_chunk, &b);
	if (b.failed || *errorp != 0) {
		if (dh->dh_hash != NULL)
			dh_destroy(dh);
		else
			kmem_free(dh, sizeof(*dh));
		return NULL;
	}
	dh->dh_bytes = dh_size(dh->dh_nslots, dh->dh_chunkcap);
	mutex_enter(&dirhash_lock);
	if (dp->i_dirhash != NULL) {
		/* Another lookup built it meanwhile. */
		dh_destroy(dh);
		dh = dp->i_dirhash;
		return dh;
	}
	while (dirhash_bytes + dh->dh_bytes > dh_budget() &&
	    (old = TAILQ_FIRST(&dirhash_lru)) != NULL) {
		dh_detach(old);
		dh_destroy(old);
	}
	dp->i_dirhash = dh;
	TAILQ_INSERT_TAIL(&dirhash_lru, dh, dh_lru);
	dirhash_bytes += dh->dh_bytes;
	return dh;
}

int
ufs_dirhash_lookup(struct vnode *dvp, const char *nm, size_t len,
    struct ufs_dirpos *dpos)
{
	uint64_t cand[DH_NCAND];
	struct ufs_dirhash *dh;
	uint32_t h = dh_namehash(nm, len);
	size_t i, n = 0, mask;
	int error;

	if ((dh = dh_get(dvp, &error)) == NULL)
		return error != 0 ? error : EJUSTRETURN;
	mask = dh->dh_nslots - 1;
	for (i = h & mask; dh->dh_hash[i] != DH_EMPTY; i = (i + 1) & mask) {
		if (dh->dh_hash[i] != h)
			continue;
		if (n == DH_NCAND) {
			mutex_exit(&dirhash_lock);
			return EJUSTRETURN;
		}
		cand[n++] = (uint64_t)dh->dh_off[i] << 2;
	}
	mutex_exit(&dirhash_lock);
	for (i = 0; i < n; i++) {
		error = ufs_dircheckat(dvp, cand[i], nm, len, dpos);
		if (error != ENOENT)
			return error;
	}
	return ENOENT;
}

int
ufs_dirhash_findfree(struct vnode *dvp, size_t need, uint64_t *offp)
{
	struct ufs_dirhash *dh;
	size_t c, i;
	int error;

	if ((dh = dh_get(dvp, &error)) == NULL)
		return error != 0 ? error : EJUSTRETURN;
	/* From where room was last, so a growing directory does not rescan. */
	for (i = 0; i < dh->dh_nchunks; i++) {
		c = (dh->dh_hint + i) % dh->dh_nchunks;
		if (dh->dh_free[c] >= need) {
			dh->dh_hint = c;
			*offp = (uint64_t)c * DIRBLKSIZ;
			mutex_exit(&dirhash_lock);
			return 0;
		}
	}
	mutex_exit(&dirhash_lock);
	return ENOENT;
}

/* The attached index of dvp, dirhash_lock held, or NULL (unlocked). */
static struct ufs_dirhash *
dh_peek(struct vnode *dvp)
{
	struct ufs_dirhash *dh;

	mutex_enter(&dirhash_lock);
	if ((dh = VTOI(dvp)->i_dirhash) == NULL)
		mutex_exit(&dirhash_lock);
	return dh;
}

/* Drop an index that could not follow a change. */
static void
dh_fail(struct ufs_dirhash *dh)
{
	dh_detach(dh);
	dh_destroy(dh);
}

/*
 * Make room in an attached index: for one more name (chunks 0) or for
 * chunks chunks.  Memory is allocated with dirhash_lock dropped (the
 * memory reclaimer takes it); the index may go meanwhile.  Returns the
 * index, locked, or NULL (unlocked) when it is gone.
 */
static struct ufs_dirhash *
dh_grow(struct vnode *dvp, size_t chunks)
{
	struct ffs_inode *ip = VTOI(dvp);
	struct ufs_dirhash *dh;
	uint32_t *nh = NULL, *no = NULL;
	uint16_t *nf = NULL;
	size_t ns = 0, cap = 0;
	bool ok;

	for (;;) {
		if ((dh = dh_peek(dvp)) == NULL)
			return NULL;
		if (chunks == 0 && 4 * (dh->dh_nused + 1) > 3 * dh->dh_nslots)
			ns = dh_nslots_for(dh->dh_nlive + 1);
		else if (chunks > dh->dh_chunkcap)
			cap = dh_chunkcap_for(dh, chunks);
		else
			return dh;
		mutex_exit(&dirhash_lock);
		ok = ns != 0 ? dh_tables(ns, &nh, &no) : (nf =
		    kmem_zalloc(cap * sizeof(uint16_t), KM_SLEEP)) != NULL;
		mutex_enter(&dirhash_lock);
		if (ip->i_dirhash != dh) {
			/* Dropped meanwhile: nothing to keep up to date. */
			mutex_exit(&dirhash_lock);
			ok = false;
			dh = NULL;
		} else if (!ok) {
			dh_fail(dh);
			mutex_exit(&dirhash_lock);
			dh = NULL;
		} else if (ns != 0)
			dh_install(dh, nh, no, ns);
		else
			dh_chunks_install(dh, nf, cap);
		if (dh == NULL) {
			if (nh != NULL && !ok && ns != 0) {
				kmem_free(nh, ns * sizeof(uint32_t));
				kmem_free(no, ns * sizeof(uint32_t));
			}
			if (nf != NULL && !ok)
				kmem_free(nf, cap * sizeof(uint16_t));
			return NULL;
		}
		dh_recount(dh);
		mutex_exit(&dirhash_lock);
		nh = no = NULL;
		nf = NULL;
		ns = cap = 0;
	}
}

void
ufs_dirhash_add(struct vnode *dvp, const char *nm, size_t len, uint64_t off)
{
	struct ufs_dirhash *dh;

	if ((dh = dh_grow(dvp, 0)) == NULL)
		return;
	if (off >> 2 > UINT32_MAX) {
		dh_fail(dh);
		mutex_exit(&dirhash_lock);
		return;
	}
	dh_insert(dh, dh_namehash(nm, len), off);
	mutex_exit(&dirhash_lock);
}

/* The slot of the name at off, or SIZE_MAX. */
static size_t
dh_find(struct ufs_dirhash *dh, const char *nm, size_t len, uint64_t off)
{
	uint32_t h = dh_namehash(nm, len);
	size_t mask = dh->dh_nslots - 1, i;

	for (i = h & mask; dh->dh_hash[i] != DH_EMPTY; i = (i + 1) & mask)
		if (dh->dh_hash[i] == h && dh->dh_off[i] == (uint32_t)(off >> 2))
			return i;
	return SIZE_MAX;
}

void
ufs_dirhash_remove(struct vnode *dvp, const char *nm, size_t len,
    uint64_t off)
{
	struct ufs_dirhash *dh;
	size_t i;

	if ((dh = dh_peek(dvp)) == NULL)
		return;
	if ((i = dh_find(dh, nm, len, off)) == SIZE_MAX)
		dh_fail(dh);
	else {
		dh->dh_hash[i] = DH_DELETED;
		dh->dh_nlive--;
	}
	mutex_exit(&dirhash_lock);
}

void
ufs_dirhash_move(struct vnode *dvp, const char *nm, size_t len,
    uint64_t from, uint64_t to)
{
	struct ufs_dirhash *dh;
	size_t i;

	if ((dh = dh_peek(dvp)) == NULL)
		return;
	if ((i = dh_find(dh, nm, len, from)) == SIZE_MAX)
		dh_fail(dh);
	else
		dh->dh_off[i] = (uint32_t)(to >> 2);
	mutex_exit(&dirhash_lock);
}

void
ufs_dirhash_setfree(struct vnode *dvp, uint64_t chunkoff, size_t nfree)
{
	struct ufs_dirhash *dh;
	size_t c = (size_t)(chunkoff / DIRBLKSIZ);

	if ((dh = dh_grow(dvp, c + 1)) == NULL)
		return;
	dh->dh_free[c] = (uint16_t)nfree;
	dh->dh_nchunks = MAX(dh->dh_nchunks, c + 1);
	if (nfree >= DIRSIZ(NAME_MAX) && c < dh->dh_hint)
		dh->dh_hint = c;
	mutex_exit(&dirhash_lock);
}

void
ufs_dirhash_free(struct ffs_mount *um, struct ffs_inode *ip)
{
	struct ufs_dirhash *dh;

	(void)um;
	mutex_enter(&dirhash_lock);
	if ((dh = ip->i_dirhash) != NULL)
		dh_fail(dh);
	mutex_exit(&dirhash_lock);
}

/* The memory reclaimer: every index goes. */
static size_t
dirhash_reclaim(void *arg)
{
	struct ufs_dirhash *dh;
	size_t freed = 0;

	(void)arg;
	if (!mutex_tryenter(&dirhash_lock))
		return 0;
	while ((dh = TAILQ_FIRST(&dirhash_lru)) != NULL) {
		freed += dh->dh_bytes;
		dh_fail(dh);
	}
	mutex_exit(&dirhash_lock);
	return freed;
}

void
ufs_dirhash_init(void)
{
	mutex_init(&dirhash_lock, MUTEX_DEFAULT, IPL_NONE);
	dirhash_reclaimer.kr_reclaim = dirhash_reclaim;
	kmem_reclaimer_register(&dirhash_reclaimer);
}
