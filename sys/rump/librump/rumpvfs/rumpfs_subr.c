/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rumpfs nodes and their storage: allocation against the mount's limits,
 * directory entries, and the page tree of regular files.  Callers hold
 * the locks rumpfs.h names for what they change.
 *
 * The page tree of a file of height h covers 512^h pages; height 0 is a
 * single page (or none).  Writing past what the tree covers adds levels
 * on top; holes are NULL slots, so a sparse file costs only the pages
 * written and the tree nodes above them.  Storage accounting counts
 * pages, tree nodes, nodes and entries, and fails with ENOSPC before
 * anything is changed.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/page.h>
#include <sys/stat.h>

#include "rumpfs.h"

void
rumpfs_gettime(struct timespec *ts)
{
	nanotime(ts);
}

int
rumpfs_reserve(struct rumpfs_mount *rm, uint64_t bytes)
{
	int error = 0;

	mutex_enter(&rm->rm_lock);
	if (rm->rm_args.ra_maxbytes != 0 &&
	    rm->rm_bytes + bytes > rm->rm_args.ra_maxbytes)
		error = ENOSPC;
	else
		rm->rm_bytes += bytes;
	mutex_exit(&rm->rm_lock);
	return error;
}

void
rumpfs_unreserve(struct rumpfs_mount *rm, uint64_t bytes)
{
	mutex_enter(&rm->rm_lock);
	KASSERT(rm->rm_bytes >= bytes);
	rm->rm_bytes -= bytes;
	mutex_exit(&rm->rm_lock);
}

int
rumpfs_node_alloc(struct rumpfs_mount *rm, enum vtype type, mode_t mode,
    uid_t uid, gid_t gid, dev_t rdev, struct rumpfs_node **rnp)
{
	struct rumpfs_node *rn;
	int error;

	mutex_enter(&rm->rm_lock);
	if (rm->rm_args.ra_maxnodes != 0 &&
	    rm->rm_nnodes >= rm->rm_args.ra_maxnodes) {
		mutex_exit(&rm->rm_lock);
		return ENOSPC;
	}
	mutex_exit(&rm->rm_lock);
	if ((error = rumpfs_reserve(rm, sizeof(*rn))) != 0)
		return error;
	if ((rn = kmem_zalloc(sizeof(*rn), KM_SLEEP)) == NULL) {
		rumpfs_unreserve(rm, sizeof(*rn));
		return ENOMEM;
	}
	rn->rn_type = type;
	rn->rn_mode = mode & ALLPERMS;
	rn->rn_uid = uid;
	rn->rn_gid = gid;
	rn->rn_rdev = rdev;
	rn->rn_nlink = type == VDIR ? 2 : 1;
	rumpfs_gettime(&rn->rn_mtime);
	rn->rn_atime = rn->rn_ctime = rn->rn_mtime;
	TAILQ_INIT(&rn->rn_dir);
	rn->rn_nextcookie = 2;          /* 0 and 1 are "." and ".." */
	rw_init(&rn->rn_lock);
	mutex_enter(&rm->rm_lock);
	rn->rn_ino = rm->rm_nextino++;
	rm->rm_nnodes++;
	LIST_INSERT_HEAD(&rm->rm_nodes, rn, rn_all);
	mutex_exit(&rm->rm_lock);
	*rnp = rn;
	return 0;
}

void
rumpfs_node_free(struct rumpfs_mount *rm, struct rumpfs_node *rn)
{
	struct rumpfs_dirent *rd;

	if (rn->rn_type == VREG)
		rumpfs_truncate(rm, rn, 0);
	while ((rd = TAILQ_FIRST(&rn->rn_dir)) != NULL) {
		/* Only at unmount: the children are freed from the list. */
		TAILQ_REMOVE(&rn->rn_dir, rd, rd_entries);
		rumpfs_dirent_free(rm, rd);
	}
	rumpfs_dirhash_free(rm, rn);
	if (rn->rn_target != NULL) {
		kmem_free(rn->rn_target, rn->rn_targetlen + 1);
		rumpfs_unreserve(rm, rn->rn_targetlen + 1);
	}
	rw_destroy(&rn->rn_lock);
	mutex_enter(&rm->rm_lock);
	LIST_REMOVE(rn, rn_all);
	rm->rm_nnodes--;
	mutex_exit(&rm->rm_lock);
	rumpfs_unreserve(rm, sizeof(*rn));
	kmem_free(rn, sizeof(*rn));
}

/*
 * Directory name hashes.  A directory gets a table of buckets when it
 * grows past DIRHASH_MIN entries, and a table twice the size whenever it
 * has more entries than buckets, so chains stay short and a lookup or a
 * create in a directory of any size costs about the same.  A table that
 * cannot be allocated (memory, or the mount's size limit) is not an
 * error: lookups scan the list until a later growth succeeds.  The hash
 * is seeded per mount (rm_hashseed), so that names colliding in one
 * kernel do not collide in the next.
 */
#define DIRHASH_MIN 16

static uint32_t
dirhash(const struct rumpfs_mount *rm, const char *name, size_t len)
{
	uint64_t h = rm->rm_hashseed ^ 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)(h >> 32);
}

static struct rumpfs_dhead *
dirhash_bucket(struct rumpfs_node *dir, uint32_t hv)
{
	return &dir->rn_dhash[hv & (dir->rn_dhashsize - 1)];
}

/* Move dir's entries to a table of size buckets, if it can be had. */
static void
dirhash_resize(struct rumpfs_mount *rm, struct rumpfs_node *dir, size_t size)
{
	struct rumpfs_dhead *tab;
	struct rumpfs_dirent *rd;
	size_t bytes = size * sizeof(*tab);

	if (rumpfs_reserve(rm, bytes) != 0)
		return;
	if ((tab = kmem_alloc(bytes, KM_SLEEP)) == NULL) {
		rumpfs_unreserve(rm, bytes);
		return;
	}
	for (size_t i = 0; i < size; i++)
		LIST_INIT(&tab[i]);
	if (dir->rn_dhash != NULL) {
		kmem_free(dir->rn_dhash, dir->rn_dhashsize * sizeof(*tab));
		rumpfs_unreserve(rm, dir->rn_dhashsize * sizeof(*tab));
	}
	dir->rn_dhash = tab;
	dir->rn_dhashsize = size;
	TAILQ_FOREACH(rd, &dir->rn_dir, rd_entries)
		LIST_INSERT_HEAD(dirhash_bucket(dir, rd->rd_hashval), rd,
		    rd_hash);
}

void
rumpfs_dirhash_free(struct rumpfs_mount *rm, struct rumpfs_node *dir)
{
	if (dir->rn_dhash == NULL)
		return;
	kmem_free(dir->rn_dhash, dir->rn_dhashsize * sizeof(*dir->rn_dhash));
	rumpfs_unreserve(rm, dir->rn_dhashsize * sizeof(*dir->rn_dhash));
	dir->rn_dhash = NULL;
	dir->rn_dhashsize = 0;
}

struct rumpfs_dirent *
rumpfs_dir_lookup(struct rumpfs_mount *rm, struct rumpfs_node *dir,
    const char *name, size_t len)
{
	struct rumpfs_dirent *rd;
	uint32_t hv;

	if (dir->rn_dhash == NULL) {
		TAILQ_FOREACH(rd, &dir->rn_dir, rd_entries)
			if (rd->rd_namelen == len &&
			    memcmp(rd->rd_name, name, len) == 0)
				return rd;
		return NULL;
	}
	hv = dirhash(rm, name, len);
	LIST_FOREACH(rd, dirhash_bucket(dir, hv), rd_hash)
		if (rd->rd_hashval == hv && rd->rd_namelen == len &&
		    memcmp(rd->rd_name, name, len) == 0)
			return rd;
	return NULL;
}

static size_t
dirent_size(size_t len)
{
	return sizeof(struct rumpfs_dirent) + len + 1;
}

int
rumpfs_dirent_alloc(struct rumpfs_mount *rm, const char *name, size_t len,
    struct rumpfs_dirent **rdp)
{
	struct rumpfs_dirent *rd;
	int error;

	if ((error = rumpfs_reserve(rm, dirent_size(len))) != 0)
		return error;
	if ((rd = kmem_alloc(dirent_size(len), KM_SLEEP)) == NULL) {
		rumpfs_unreserve(rm, dirent_size(len));
		return ENOMEM;
	}
	memcpy(rd->rd_name, name, len);
	rd->rd_name[len] = '\0';
	rd->rd_namelen = (uint16_t)len;
	rd->rd_hashval = dirhash(rm, name, len);
	rd->rd_node = NULL;
	*rdp = rd;
	return 0;
}

void
rumpfs_dirent_free(struct rumpfs_mount *rm, struct rumpfs_dirent *rd)
{
	size_t sz = dirent_size(rd->rd_namelen);

	kmem_free(rd, sz);
	rumpfs_unreserve(rm, sz);
}

/* Enter rd for node in dir; the caller adjusts link counts. */
void
rumpfs_dir_attach(struct rumpfs_mount *rm, struct rumpfs_node *dir,
    struct rumpfs_dirent *rd, struct rumpfs_node *node)
{
	rd->rd_node = node;
	rd->rd_cookie = dir->rn_nextcookie++;
	TAILQ_INSERT_TAIL(&dir->rn_dir, rd, rd_entries);
	dir->rn_nentries++;
	if (node->rn_type == VDIR)
		node->rn_parent = dir;
	if (dir->rn_dhash != NULL)
		LIST_INSERT_HEAD(dirhash_bucket(dir, rd->rd_hashval), rd,
		    rd_hash);
	if (dir->rn_nentries > MAX(dir->rn_dhashsize, DIRHASH_MIN))
		dirhash_resize(rm, dir, MAX(dir->rn_dhashsize * 2,
		    2 * DIRHASH_MIN));
}

void
rumpfs_dir_detach(struct rumpfs_node *dir, struct rumpfs_dirent *rd)
{
	/* Entries before the next are still below any cookie rd was. */
	if (dir->rn_rdhint == rd)
		dir->rn_rdhint = TAILQ_NEXT(rd, rd_entries);
	TAILQ_REMOVE(&dir->rn_dir, rd, rd_entries);
	if (dir->rn_dhash != NULL)
		LIST_REMOVE(rd, rd_hash);
	dir->rn_nentries--;
}

/*
 * Readdir resumes from a cookie; to find its place without walking the
 * directory from the start, each readdir leaves a hint at the entry it
 * would list next.  The hint is trusted only if it is the first entry
 * at or above the cookie: its own cookie is high enough and its
 * predecessor's is not (cookies grow along the list).  Readers store
 * hints concurrently under a shared rm_nslock, so the hint is atomic.
 */
static struct rumpfs_dirent *
dirent_prev(struct rumpfs_node *dir, struct rumpfs_dirent *rd)
{
	if (rd->rd_entries.tqe_prevp == &dir->rn_dir.tqh_first)
		return NULL;
	return (struct rumpfs_dirent *)(void *)((char *)rd->rd_entries.tqe_prevp -
	    offsetof(struct rumpfs_dirent, rd_entries.tqe_next));
}

struct rumpfs_dirent *
rumpfs_dir_seek(struct rumpfs_node *dir, uint64_t cookie)
{
	struct rumpfs_dirent *rd, *prev;

	rd = __atomic_load_n(&dir->rn_rdhint, __ATOMIC_RELAXED);
	if (rd != NULL && rd->rd_cookie >= cookie &&
	    ((prev = dirent_prev(dir, rd)) == NULL ||
	    prev->rd_cookie < cookie))
		return rd;
	TAILQ_FOREACH(rd, &dir->rn_dir, rd_entries)
		if (rd->rd_cookie >= cookie)
			break;
	return rd;
}

void
rumpfs_dir_sethint(struct rumpfs_node *dir, struct rumpfs_dirent *rd)
{
	__atomic_store_n(&dir->rn_rdhint, TAILQ_NEXT(rd, rd_entries),
	    __ATOMIC_RELAXED);
}

/* Pages a tree of height h covers. */
static uint64_t
tree_span(unsigned h)
{
	return (uint64_t)1 << (9 * h);
}

/* A page of the tree: an index node, or data zeroed unless overwritten. */
static void *
tree_page_alloc(struct rumpfs_mount *rm, bool zero, int *errorp)
{
	void *p;

	if ((*errorp = rumpfs_reserve(rm, RUMPFS_PAGE)) != 0)
		return NULL;
	if ((p = page_alloc(zero)) == NULL) {
		rumpfs_unreserve(rm, RUMPFS_PAGE);
		*errorp = ENOMEM;
	}
	return p;
}

static void
tree_page_free(struct rumpfs_mount *rm, void *p)
{
	page_free(p);
	rumpfs_unreserve(rm, RUMPFS_PAGE);
}

int
rumpfs_page(struct rumpfs_mount *rm, struct rumpfs_node *rn, uint64_t idx,
    int how, char **pagep)
{
	void **slot, *n;
	unsigned h;
	bool alloc = how != RUMPFS_PG_LOOKUP;
	int error = 0;

	*pagep = NULL;
	while (idx >= tree_span(rn->rn_height)) {
		if (!alloc)
			return 0;
		if (rn->rn_height == RUMPFS_MAXHEIGHT)
			return EFBIG;
		if (rn->rn_pages != NULL) {
			if ((n = tree_page_alloc(rm, true, &error)) == NULL)
				return error;
			((void **)n)[0] = rn->rn_pages;
			rn->rn_pages = n;
		}
		rn->rn_height++;
	}
	slot = &rn->rn_pages;
	for (h = rn->rn_height; h > 0; h--) {
		if (*slot == NULL) {
			if (!alloc)
				return 0;
			if ((*slot = tree_page_alloc(rm, true, &error)) == NULL)
				return error;
		}
		slot = &((void **)*slot)[(idx >> (9 * (h - 1))) &
		    (RUMPFS_FANOUT - 1)];
	}
	if (*slot == NULL && alloc) {
		if ((*slot = tree_page_alloc(rm, how == RUMPFS_PG_ALLOC,
		    &error)) == NULL)
			return error;
		rn->rn_npages++;
	}
	*pagep = *slot;
	return 0;
}

/*
 * Free the pages of index [first, last) in the subtree p of height h
 * whose first page is base.  Returns whether the subtree is now empty
 * (and freed).
 */
static bool
tree_free_range(struct rumpfs_mount *rm, struct rumpfs_node *rn, void *p,
    unsigned h, uint64_t base, uint64_t first, uint64_t last)
{
	void **slots = p;
	uint64_t span;
	bool empty = true;

	if (h == 0) {
		if (base < first || base >= last)
			return false;
		tree_page_free(rm, p);
		rn->rn_npages--;
		return true;
	}
	span = tree_span(h - 1);
	for (unsigned i = 0; i < RUMPFS_FANOUT; i++) {
		if (slots[i] == NULL)
			continue;
		if (base + (i + 1) * span <= first || base + i * span >= last ||
		    !tree_free_range(rm, rn, slots[i], h - 1, base + i * span,
		    first, last)) {
			empty = false;
			continue;
		}
		slots[i] = NULL;
	}
	if (empty)
		tree_page_free(rm, p);
	return empty;
}

void
rumpfs_punch(struct rumpfs_mount *rm, struct rumpfs_node *rn, uint64_t first,
    uint64_t last)
{
	if (rn->rn_pages != NULL && first < last &&
	    tree_free_range(rm, rn, rn->rn_pages, rn->rn_height, 0, first,
	    last)) {
		rn->rn_pages = NULL;
		rn->rn_height = 0;
	}
}

void
rumpfs_truncate(struct rumpfs_mount *rm, struct rumpfs_node *rn, off_t size)
{
	uint64_t first = howmany((uint64_t)size, RUMPFS_PAGE);
	char *page;

	rumpfs_punch(rm, rn, first, UINT64_MAX);
	if (size % RUMPFS_PAGE != 0) {
		rumpfs_page(rm, rn, (uint64_t)size / RUMPFS_PAGE,
		    RUMPFS_PG_LOOKUP, &page);
		if (page != NULL)
			memset(page + size % RUMPFS_PAGE, 0,
			    RUMPFS_PAGE - size % RUMPFS_PAGE);
	}
	rn->rn_size = size;
}

/* The first present page at or after idx in subtree p, or UINT64_MAX. */
static uint64_t
tree_find_data(void *p, unsigned h, uint64_t base, uint64_t idx)
{
	void **slots = p;
	uint64_t span, r;

	if (p == NULL)
		return UINT64_MAX;
	if (h == 0)
		return base >= idx ? base : UINT64_MAX;
	span = tree_span(h - 1);
	for (unsigned i = 0; i < RUMPFS_FANOUT; i++) {
		if (slots[i] == NULL || base + (i + 1) * span <= idx)
			continue;
		if ((r = tree_find_data(slots[i], h - 1, base + i * span,
		    idx)) != UINT64_MAX)
			return r;
	}
	return UINT64_MAX;
}

uint64_t
rumpfs_page_find(struct rumpfs_node *rn, uint64_t idx, bool data)
{
	char *page;

	if (data)
		return tree_find_data(rn->rn_pages, rn->rn_height, 0, idx);
	for (;; idx++) {
		rumpfs_page(NULL, rn, idx, RUMPFS_PG_LOOKUP, &page);
		if (page == NULL)
			return idx;
	}
}
