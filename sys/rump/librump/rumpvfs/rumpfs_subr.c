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

struct rumpfs_dirent *
rumpfs_dir_lookup(struct rumpfs_node *dir, const char *name, size_t len)
{
	struct rumpfs_dirent *rd;

	TAILQ_FOREACH(rd, &dir->rn_dir, rd_entries)
		if (rd->rd_namelen == len && memcmp(rd->rd_name, name, len) == 0)
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
rumpfs_dir_attach(struct rumpfs_node *dir, struct rumpfs_dirent *rd,
    struct rumpfs_node *node)
{
	rd->rd_node = node;
	rd->rd_cookie = dir->rn_nextcookie++;
	TAILQ_INSERT_TAIL(&dir->rn_dir, rd, rd_entries);
	dir->rn_nentries++;
	if (node->rn_type == VDIR)
		node->rn_parent = dir;
}

void
rumpfs_dir_detach(struct rumpfs_node *dir, struct rumpfs_dirent *rd)
{
	TAILQ_REMOVE(&dir->rn_dir, rd, rd_entries);
	dir->rn_nentries--;
}

/* Pages a tree of height h covers. */
static uint64_t
tree_span(unsigned h)
{
	return (uint64_t)1 << (9 * h);
}

static void *
tree_node_alloc(struct rumpfs_mount *rm, int *errorp)
{
	void *p;

	if ((*errorp = rumpfs_reserve(rm, RUMPFS_PAGE)) != 0)
		return NULL;
	if ((p = kmem_zalloc(RUMPFS_PAGE, KM_SLEEP)) == NULL) {
		rumpfs_unreserve(rm, RUMPFS_PAGE);
		*errorp = ENOMEM;
	}
	return p;
}

static void
tree_node_free(struct rumpfs_mount *rm, void *p)
{
	kmem_free(p, RUMPFS_PAGE);
	rumpfs_unreserve(rm, RUMPFS_PAGE);
}

int
rumpfs_page(struct rumpfs_mount *rm, struct rumpfs_node *rn, uint64_t idx,
    bool alloc, char **pagep)
{
	void **slot, *n;
	unsigned h;
	int error = 0;

	*pagep = NULL;
	while (idx >= tree_span(rn->rn_height)) {
		if (!alloc)
			return 0;
		if (rn->rn_height == RUMPFS_MAXHEIGHT)
			return EFBIG;
		if (rn->rn_pages != NULL) {
			if ((n = tree_node_alloc(rm, &error)) == NULL)
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
			if ((*slot = tree_node_alloc(rm, &error)) == NULL)
				return error;
		}
		slot = &((void **)*slot)[(idx >> (9 * (h - 1))) &
		    (RUMPFS_FANOUT - 1)];
	}
	if (*slot == NULL && alloc) {
		if ((*slot = tree_node_alloc(rm, &error)) == NULL)
			return error;
		rn->rn_npages++;
	}
	*pagep = *slot;
	return 0;
}

/*
 * Free the pages at index first and above in the subtree p of height h
 * whose first page is base.  Returns whether the subtree is now empty
 * (and freed).
 */
static bool
tree_free_from(struct rumpfs_mount *rm, struct rumpfs_node *rn, void *p,
    unsigned h, uint64_t base, uint64_t first)
{
	void **slots = p;
	uint64_t span;
	bool empty = true;

	if (h == 0) {
		if (base < first)
			return false;
		tree_node_free(rm, p);
		rn->rn_npages--;
		return true;
	}
	span = tree_span(h - 1);
	for (unsigned i = 0; i < RUMPFS_FANOUT; i++) {
		if (slots[i] == NULL)
			continue;
		if (base + (i + 1) * span <= first ||
		    !tree_free_from(rm, rn, slots[i], h - 1, base + i * span,
		    first)) {
			empty = false;
			continue;
		}
		slots[i] = NULL;
	}
	if (empty)
		tree_node_free(rm, p);
	return empty;
}

void
rumpfs_truncate(struct rumpfs_mount *rm, struct rumpfs_node *rn, off_t size)
{
	uint64_t first = howmany((uint64_t)size, RUMPFS_PAGE);
	char *page;

	if (rn->rn_pages != NULL &&
	    tree_free_from(rm, rn, rn->rn_pages, rn->rn_height, 0, first)) {
		rn->rn_pages = NULL;
		rn->rn_height = 0;
	}
	if (size % RUMPFS_PAGE != 0) {
		rumpfs_page(rm, rn, (uint64_t)size / RUMPFS_PAGE, false, &page);
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
		rumpfs_page(NULL, rn, idx, false, &page);
		if (page == NULL)
			return idx;
	}
}
