/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The writer's side of extent trees (ext4): map a logical block to a
 * new one (appending to the extent before it when the new block follows
 * it on the disk, else inserting an extent), turn one block of an
 * unwritten extent into a written one (splitting the extent in up to
 * three), and truncation (freeing the extents and tree blocks past a
 * block, then pulling a lone child back into the inode while it fits).
 * fallocate's range changes (ext2fs_falloc.c) work on the whole list of
 * a file's extents instead: ext2fs_ext_load() reads it, and
 * ext2fs_ext_store() writes the tree again from it, packed, in the tree
 * blocks it had (more are allocated first, so that running out of
 * space changes nothing; those left over are freed).
 *
 * A change walks down from the root in i_block to the leaf holding the
 * logical block and keeps that path (struct xpath).  A node with no
 * room is split: the root by moving its entries into a new block one
 * level down (the tree grows by one level), any other node by moving
 * its upper entries (just the last one when the change is at its end,
 * so files written in order get full nodes) into a new block whose key
 * goes into the parent, itself split first if full.  After a split the
 * walk starts again from the root, so no path is ever patched up.
 * Every index key equals the first key below it, as e2fsck requires:
 * a change at position 0 of a node carries its new first key upward.
 *
 * Tree blocks count in i_blocks; each gets its checksum when written.
 * The inode (the root) is the caller's to write back.  Called with
 * em_lock held as writer (ext2fs_vfs.h).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/param.h>

#include "ext2fs_vfs.h"

#define ROOT_ROOM ((EXT2_I_BLOCK_LEN - EXT4_EXT_HDR_SIZE) / EXT4_EXT_ENTRY_SIZE)

struct xlevel {
	uint64_t blk;                   /* 0: the root in i_block */
	struct buf *bp;
	uint8_t *h;                     /* the node's header */
	int pos;                        /* entry taken (-1: before the first) */
	bool dirty;
};

struct xpath {
	int depth;                      /* the root's eh_depth */
	struct xlevel lv[EXT4_EXT_MAX_DEPTH + 1];
};

#define xent ext2fs_xent

static uint8_t *
ent(uint8_t *h, int i)
{
	return h + EXT4_EXT_HDR_SIZE + (size_t)i * EXT4_EXT_ENTRY_SIZE;
}

static uint16_t
nent(const uint8_t *h)
{
	return ext2_le16(h + EXT4_EH_ENTRIES);
}

static void
set_nent(uint8_t *h, int n)
{
	ext2_set_le16(h + EXT4_EH_ENTRIES, (uint16_t)n);
}

static void
xent_get(const uint8_t *e, struct xent *x)
{
	x->lblk = ext2_le32(e + EXT4_EE_BLOCK);
	x->len = ext2_le16(e + EXT4_EE_LEN);
	x->unwritten = x->len > EXT4_EXT_INIT_MAX_LEN;
	if (x->unwritten)
		x->len -= EXT4_EXT_INIT_MAX_LEN;
	x->pblk = ext2_le32(e + EXT4_EE_START_LO) |
	    (uint64_t)ext2_le16(e + EXT4_EE_START_HI) << 32;
}

static void
xent_put(uint8_t *e, const struct xent *x)
{
	ext2_set_le32(e + EXT4_EE_BLOCK, x->lblk);
	ext2_set_le16(e + EXT4_EE_LEN, (uint16_t)(x->len +
	    (x->unwritten ? EXT4_EXT_INIT_MAX_LEN : 0)));
	ext2_set_le16(e + EXT4_EE_START_HI, (uint16_t)(x->pblk >> 32));
	ext2_set_le32(e + EXT4_EE_START_LO, (uint32_t)x->pblk);
}

static uint64_t
idx_child(const uint8_t *e)
{
	return ext2_le32(e + EXT4_EI_LEAF_LO) |
	    (uint64_t)ext2_le16(e + EXT4_EI_LEAF_HI) << 32;
}

static void
idx_put(uint8_t *e, uint32_t key, uint64_t child)
{
	ext2_set_le32(e + EXT4_EI_BLOCK, key);
	ext2_set_le32(e + EXT4_EI_LEAF_LO, (uint32_t)child);
	ext2_set_le16(e + EXT4_EI_LEAF_HI, (uint16_t)(child >> 32));
	ext2_set_le16(e + 10, 0);
}

/* A node's header for max entries at depth d, empty. */
static void
hdr_init(uint8_t *h, int max, int d)
{
	ext2_set_le16(h + EXT4_EH_MAGIC, EXT4_EXT_MAGIC);
	set_nent(h, 0);
	ext2_set_le16(h + EXT4_EH_MAX, (uint16_t)max);
	ext2_set_le16(h + EXT4_EH_DEPTH, (uint16_t)d);
	ext2_set_le32(h + 8, 0);
}

/* Give a new file an empty extent tree. */
void
ext2fs_ext_init(struct ext2fs_inode *ip)
{
	memset(ip->ei_block, 0, EXT2_I_BLOCK_LEN);
	hdr_init(ip->ei_block, ROOT_ROOM, 0);
	ip->ei_flags |= EXT4_EXTENTS_FL;
}

/* Read tree block blk, expected at depth d, and check it. */
static int
node_read(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    uint64_t blk, int d, struct buf **bpp)
{
	const struct ext2fs *fs = em->em_fs;
	int error;

	if (!ext2fs_blk_ok(fs, blk, 1))
		return ext2fs_corrupt(fs, "inode %u: extent tree block %llu "
		    "out of range", ip->ei_ino, (unsigned long long)blk);
	if ((error = ext2fs_blk_read(em, blk, bpp)) != 0)
		return error;
	if ((error = ext2fs_ext_node_check(fs, ip, (*bpp)->b_data,
	    ext2fs_ext_room(fs), d, blk)) != 0 ||
	    (error = ext2fs_ext_csum_check(fs, ip, (*bpp)->b_data, blk)) != 0)
		brelse(*bpp, 0);
	return error;
}

/* Release the path: changed tree blocks to the disk, the others back. */
static int
path_put(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    struct xpath *p)
{
	int error = 0, e;

	for (int l = 1; l <= p->depth; l++) {
		struct xlevel *lv = &p->lv[l];

		if (lv->bp == NULL)
			continue;
		if (lv->dirty) {
			ext2fs_extblk_csum_set(em->em_fs, ip, lv->h);
			if ((e = ext2fs_blk_write(em, lv->bp, false)) != 0 &&
			    error == 0)
				error = e;
		} else
			brelse(lv->bp, 0);
		lv->bp = NULL;
	}
	return error;
}

/* The last entry whose key is <= lblk (-1: none). */
static int
node_search(const uint8_t *h, uint32_t lblk)
{
	int lo = 0, hi = nent(h) - 1, pos = -1, mid;

	while (lo <= hi) {
		mid = (lo + hi) / 2;
		if (ext2_le32(ent((uint8_t *)h, mid)) <= lblk) {
			pos = mid;
			lo = mid + 1;
		} else
			hi = mid - 1;
	}
	return pos;
}

/* Walk from the root to the leaf for lblk. */
static int
path_get(struct ext2fs_mount *em, struct ext2fs_inode *ip, uint32_t lblk,
    struct xpath *p)
{
	const struct ext2fs *fs = em->em_fs;
	uint8_t *h = ip->ei_block;
	uint64_t child;
	int error, d;

	memset(p, 0, sizeof(*p));
	if ((error = ext2fs_ext_node_check(fs, ip, h, ROOT_ROOM, -1, 0)) != 0)
		return error;
	p->depth = ext2_le16(h + EXT4_EH_DEPTH);
	p->lv[0].h = h;
	for (d = 0; d < p->depth; d++) {
		p->lv[d].pos = MAX(node_search(p->lv[d].h, lblk), 0);
		child = idx_child(ent(p->lv[d].h, p->lv[d].pos));
		p->lv[d + 1].blk = child;
		if ((error = node_read(em, ip, child, p->depth - d - 1,
		    &p->lv[d + 1].bp)) != 0) {
			(void)path_put(em, ip, p);
			return error;
		}
		p->lv[d + 1].h = p->lv[d + 1].bp->b_data;
	}
	p->lv[p->depth].pos = node_search(p->lv[p->depth].h, lblk);
	return 0;
}

/* After entry 0 of level l changed: the keys above follow it. */
static void
fix_keys(struct xpath *p, int l)
{
	uint32_t key;

	for (; l > 0 && p->lv[l].pos == 0; l--) {
		key = ext2_le32(ent(p->lv[l].h, 0));
		if (ext2_le32(ent(p->lv[l - 1].h, p->lv[l - 1].pos)) == key)
			break;
		ext2_set_le32(ent(p->lv[l - 1].h, p->lv[l - 1].pos), key);
		p->lv[l - 1].dirty = true;
	}
}

/* A new zeroed tree block for np's tree. */
static int
node_new(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    uint64_t *blkp, struct buf **bpp)
{
	int error;

	if ((error = ext2fs_alloc_for(em, np, root, false, blkp)) != 0)
		return error;
	*bpp = ext2fs_blk_get(em, *blkp);
	memset((*bpp)->b_data, 0, em->em_fs->e2_bsize);
	return 0;
}

/*
 * Make room at level l of the path (which has none): see the top of
 * the file.  The path is released; the caller walks again.
 */
static int
split(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    struct xpath *p, int l)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	uint8_t *h = p->lv[l].h, *nh, *ph;
	int n = nent(h), m, pp;
	uint64_t blk;
	struct buf *bp;
	int error, e;

	if (l > 0 && nent(p->lv[l - 1].h) >=
	    ext2_le16(p->lv[l - 1].h + EXT4_EH_MAX)) {
		error = split(em, np, root, p, l - 1);
		return error;
	}
	if (l == 0 && p->depth >= EXT4_EXT_MAX_DEPTH) {
		(void)path_put(em, ip, p);
		return ext2fs_corrupt(fs, "inode %u: extent tree deeper than "
		    "%d", ip->ei_ino, EXT4_EXT_MAX_DEPTH);
	}
	if ((error = node_new(em, np, root, &blk, &bp)) != 0) {
		(void)path_put(em, ip, p);
		return error;
	}
	nh = bp->b_data;
	hdr_init(nh, (int)ext2fs_ext_room(fs), ext2_le16(h + EXT4_EH_DEPTH));
	if (l == 0) {
		/* The root's entries go down into the new block. */
		memcpy(ent(nh, 0), ent(h, 0), (size_t)n * EXT4_EXT_ENTRY_SIZE);
		set_nent(nh, n);
		hdr_init(h, ROOT_ROOM, p->depth + 1);
		idx_put(ent(h, 0), ext2_le32(ent(nh, 0)), blk);
		set_nent(h, 1);
	} else {
		m = p->lv[l].pos >= n - 1 ? n - 1 : n / 2;
		memcpy(ent(nh, 0), ent(h, m),
		    (size_t)(n - m) * EXT4_EXT_ENTRY_SIZE);
		set_nent(nh, n - m);
		set_nent(h, m);
		p->lv[l].dirty = true;
		ph = p->lv[l - 1].h;
		pp = p->lv[l - 1].pos + 1;
		memmove(ent(ph, pp + 1), ent(ph, pp),
		    (size_t)(nent(ph) - pp) * EXT4_EXT_ENTRY_SIZE);
		idx_put(ent(ph, pp), ext2_le32(ent(nh, 0)), blk);
		set_nent(ph, nent(ph) + 1);
		p->lv[l - 1].dirty = true;
	}
	ext2fs_extblk_csum_set(fs, ip, nh);
	error = ext2fs_blk_write(em, bp, false);
	if ((e = path_put(em, ip, p)) != 0 && error == 0)
		error = e;
	return error;
}

/*
 * Insert extent x (whose blocks are mapped nowhere in the file),
 * appending it to the extent before it when it continues it.
 */
static int
insert(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    const struct xent *x)
{
	struct ext2fs_inode *ip = &np->n_ip;
	struct xpath p;
	struct xlevel *lf;
	struct xent prev;
	int error, n;

	for (;;) {
		if ((error = path_get(em, ip, x->lblk, &p)) != 0)
			return error;
		lf = &p.lv[p.depth];
		n = nent(lf->h);
		if (lf->pos >= 0) {
			xent_get(ent(lf->h, lf->pos), &prev);
			if (prev.unwritten == x->unwritten &&
			    prev.lblk + prev.len == x->lblk &&
			    prev.pblk + prev.len == x->pblk &&
			    prev.len + x->len <= (x->unwritten ?
			    EXT4_EXT_INIT_MAX_LEN - 1 : EXT4_EXT_INIT_MAX_LEN)) {
				prev.len += x->len;
				xent_put(ent(lf->h, lf->pos), &prev);
				lf->dirty = true;
				return path_put(em, ip, &p);
			}
		}
		if (n < ext2_le16(lf->h + EXT4_EH_MAX))
			break;
		if ((error = split(em, np, root, &p, p.depth)) != 0)
			return error;
	}
	lf->pos++;
	memmove(ent(lf->h, lf->pos + 1), ent(lf->h, lf->pos),
	    (size_t)(n - lf->pos) * EXT4_EXT_ENTRY_SIZE);
	xent_put(ent(lf->h, lf->pos), x);
	set_nent(lf->h, n + 1);
	lf->dirty = true;
	fix_keys(&p, p.depth);
	return path_put(em, ip, &p);
}

/*
 * Room for need more entries in the leaf holding lblk, splitting it (and
 * what is above it) first.  A split changes no mapping, so running out
 * of space here leaves the tree as it was.
 */
static int
make_room(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    uint32_t lblk, int need)
{
	struct ext2fs_inode *ip = &np->n_ip;
	struct xlevel *lf;
	struct xpath p;
	int error;

	for (;;) {
		if ((error = path_get(em, ip, lblk, &p)) != 0)
			return error;
		lf = &p.lv[p.depth];
		if (nent(lf->h) + need <= ext2_le16(lf->h + EXT4_EH_MAX))
			return path_put(em, ip, &p);
		if ((error = split(em, np, root, &p, p.depth)) != 0)
			return error;
	}
}

/*
 * Block lblk lies in the unwritten extent at the leaf's position: make
 * that one block written (the caller zeroes what it does not write).
 * The leaf has room for the up to two entries the split adds (see
 * make_room), so the inserts below cannot fail for want of space once
 * the extent is cut: its blocks are never left mapped nowhere.
 */
static int
convert(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    struct xpath *p, uint32_t lblk, uint64_t *pblkp)
{
	struct ext2fs_inode *ip = &np->n_ip;
	struct xlevel *lf = &p->lv[p->depth];
	struct xent x, mid, tail;
	int error;

	xent_get(ent(lf->h, lf->pos), &x);
	*pblkp = x.pblk + (lblk - x.lblk);
	mid = (struct xent){ lblk, 1, *pblkp, false };
	tail = (struct xent){ lblk + 1, x.lblk + x.len - lblk - 1,
	    *pblkp + 1, true };
	if (lblk > x.lblk) {
		x.len = lblk - x.lblk;
		xent_put(ent(lf->h, lf->pos), &x);
	} else
		xent_put(ent(lf->h, lf->pos), &mid);
	lf->dirty = true;
	if ((error = path_put(em, ip, p)) != 0)
		return error;
	if (lblk > x.lblk && (error = insert(em, np, root, &mid)) != 0)
		return error;
	if (tail.len > 0)
		return insert(em, np, root, &tail);
	return 0;
}

/* As ext2fs_bmap_alloc(), for an inode with an extent tree. */
int
ext2fs_ext_bmap_alloc(struct ext2fs_mount *em, struct ext2fs_node *np,
    uint64_t lblk, bool alloc, bool root, uint64_t *pblkp, bool *newp)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	struct xpath p;
	struct xlevel *lf;
	struct xent x;
	uint64_t blk;
	int error, need;

	*newp = false;
	*pblkp = 0;
	if (lblk >= (uint64_t)UINT32_MAX)
		return EFBIG;
	if ((error = path_get(em, ip, (uint32_t)lblk, &p)) != 0)
		return error;
	lf = &p.lv[p.depth];
	if (lf->pos >= 0) {
		xent_get(ent(lf->h, lf->pos), &x);
		if (!ext2fs_blk_ok(fs, x.pblk, x.len)) {
			(void)path_put(em, ip, &p);
			return ext2fs_corrupt(fs, "inode %u: extent to blocks "
			    "%llu+%u out of range", ip->ei_ino,
			    (unsigned long long)x.pblk, x.len);
		}
		if (lblk < (uint64_t)x.lblk + x.len) {
			if (!x.unwritten) {
				*pblkp = x.pblk + (lblk - x.lblk);
				return path_put(em, ip, &p);
			}
			if (!alloc)
				return path_put(em, ip, &p);
			need = (lblk > x.lblk) + (lblk + 1 < (uint64_t)x.lblk +
			    x.len);
			if (nent(lf->h) + need >
			    ext2_le16(lf->h + EXT4_EH_MAX)) {
				if ((error = path_put(em, ip, &p)) != 0 ||
				    (error = make_room(em, np, root,
				    (uint32_t)lblk, need)) != 0)
					return error;
				return ext2fs_ext_bmap_alloc(em, np, lblk, alloc,
				    root, pblkp, newp);
			}
			*newp = true;
			return convert(em, np, root, &p, (uint32_t)lblk, pblkp);
		}
		/* Near the end of the extent before it. */
		np->n_goal = x.pblk + (lblk - x.lblk);
	}
	if ((error = path_put(em, ip, &p)) != 0 || !alloc)
		return error;
	if ((error = ext2fs_alloc_for(em, np, root, false, &blk)) != 0)
		return error;
	x = (struct xent){ (uint32_t)lblk, 1, blk, false };
	if ((error = insert(em, np, root, &x)) != 0) {
		(void)ext2fs_free_for(em, ip, blk, 1);
		return error;
	}
	*pblkp = blk;
	*newp = true;
	return 0;
}

/* Free the blocks of a leaf's extent x from its block keep on. */
static int
free_ext(struct ext2fs_mount *em, struct ext2fs_inode *ip,
    const struct xent *x, uint32_t keep)
{
	const struct ext2fs *fs = em->em_fs;

	if (!ext2fs_blk_ok(fs, x->pblk, x->len))
		return ext2fs_corrupt(fs, "inode %u: extent to blocks %llu+%u "
		    "out of range", ip->ei_ino, (unsigned long long)x->pblk,
		    x->len);
	return ext2fs_free_for(em, ip, x->pblk + keep, x->len - keep);
}

/*
 * Free every block of node h (at depth d) mapping logical blocks from nb
 * on, and the tree blocks below it left empty; *dirtyp: h changed.
 */
static int
trunc_node(struct ext2fs_mount *em, struct ext2fs_inode *ip, uint8_t *h,
    int d, uint32_t nb, bool *dirtyp)
{
	struct xent x;
	struct buf *bp;
	uint64_t child;
	bool cdirty;
	int n, error = 0;

	while ((n = nent(h)) > 0 && error == 0) {
		if (d == 0) {
			xent_get(ent(h, n - 1), &x);
			if (x.lblk + x.len <= nb)
				break;
			if (x.lblk >= nb) {
				error = free_ext(em, ip, &x, 0);
				set_nent(h, n - 1);
			} else {
				error = free_ext(em, ip, &x, nb - x.lblk);
				x.len = nb - x.lblk;
				xent_put(ent(h, n - 1), &x);
			}
			*dirtyp = true;
			continue;
		}
		child = idx_child(ent(h, n - 1));
		if ((error = node_read(em, ip, child, d - 1, &bp)) != 0)
			break;
		cdirty = false;
		error = trunc_node(em, ip, bp->b_data, d - 1, nb, &cdirty);
		if (error == 0 && nent(bp->b_data) == 0) {
			brelse(bp, 0);
			error = ext2fs_free_for(em, ip, child, 1);
			set_nent(h, n - 1);
			*dirtyp = true;
			continue;
		}
		if (cdirty) {
			ext2fs_extblk_csum_set(em->em_fs, ip, bp->b_data);
			if ((error = ext2fs_blk_write(em, bp, false)) != 0)
				break;
		} else
			brelse(bp, 0);
		if (ext2_le32(ent(h, n - 1)) < nb)
			break;
	}
	return error;
}

/*
 * Free np's blocks from logical block nb on; then, while the root has a
 * single child whose entries fit in i_block, the child moves up.
 */
int
ext2fs_ext_truncate(struct ext2fs_mount *em, struct ext2fs_node *np,
    uint64_t nb)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	uint8_t *h = ip->ei_block;
	struct buf *bp;
	uint64_t child;
	bool dirty = false;
	int d, n, error;

	if ((error = ext2fs_ext_node_check(fs, ip, h, ROOT_ROOM, -1, 0)) != 0)
		return error;
	nb = MIN(nb, (uint64_t)UINT32_MAX);
	d = ext2_le16(h + EXT4_EH_DEPTH);
	if ((error = trunc_node(em, ip, h, d, (uint32_t)nb, &dirty)) != 0)
		return error;
	if (nent(h) == 0) {
		hdr_init(h, ROOT_ROOM, 0);
		return 0;
	}
	while ((d = ext2_le16(h + EXT4_EH_DEPTH)) > 0 && nent(h) == 1) {
		child = idx_child(ent(h, 0));
		if ((error = node_read(em, ip, child, d - 1, &bp)) != 0)
			return error;
		if ((n = nent(bp->b_data)) > ROOT_ROOM) {
			brelse(bp, 0);
			break;
		}
		memcpy(ent(h, 0), ent(bp->b_data, 0),
		    (size_t)n * EXT4_EXT_ENTRY_SIZE);
		hdr_init(h, ROOT_ROOM, d - 1);
		set_nent(h, n);
		brelse(bp, 0);
		if ((error = ext2fs_free_for(em, ip, child, 1)) != 0)
			return error;
	}
	return 0;
}

/* Room for one more entry in a growing array of size-byte elements. */
static int
grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap == 0 ? 16 : *cap * 2;
	void *na;

	if (n < *cap)
		return 0;
	if ((na = kmem_alloc(ncap * size, KM_SLEEP)) == NULL)
		return ENOMEM;
	if (*arr != NULL) {
		memcpy(na, *arr, n * size);
		kmem_free(*arr, *cap * size);
	}
	*arr = na;
	*cap = ncap;
	return 0;
}

int
ext2fs_xl_add(struct ext2fs_xlist *xl, const struct ext2fs_xent *x)
{
	int error;

	if ((error = grow((void **)&xl->xl_ent, &xl->xl_cap, xl->xl_n,
	    sizeof(*x))) != 0)
		return error;
	xl->xl_ent[xl->xl_n++] = *x;
	return 0;
}

void
ext2fs_xl_free(struct ext2fs_xlist *xl)
{
	if (xl->xl_ent != NULL)
		kmem_free(xl->xl_ent, xl->xl_cap * sizeof(*xl->xl_ent));
	if (xl->xl_tree != NULL)
		kmem_free(xl->xl_tree, xl->xl_treecap * sizeof(uint64_t));
	memset(xl, 0, sizeof(*xl));
}

static int
tree_add(struct ext2fs_xlist *xl, uint64_t blk)
{
	int error;

	if ((error = grow((void **)&xl->xl_tree, &xl->xl_treecap,
	    xl->xl_ntree, sizeof(uint64_t))) != 0)
		return error;
	xl->xl_tree[xl->xl_ntree++] = blk;
	return 0;
}

/* The extents of node h (at depth d) and below, in order. */
static int
load_node(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    const uint8_t *h, int d, struct ext2fs_xlist *xl)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_xent x, *last;
	struct buf *bp;
	uint64_t child;
	int error = 0;

	for (int i = 0; i < nent(h) && error == 0; i++) {
		if (d > 0) {
			child = idx_child(ent((uint8_t *)h, i));
			if ((error = tree_add(xl, child)) != 0 ||
			    (error = node_read(em, ip, child, d - 1, &bp)) != 0)
				break;
			error = load_node(em, ip, bp->b_data, d - 1, xl);
			brelse(bp, 0);
			continue;
		}
		xent_get(ent((uint8_t *)h, i), &x);
		last = xl->xl_n > 0 ? &xl->xl_ent[xl->xl_n - 1] : NULL;
		if (x.len == 0 || !ext2fs_blk_ok(fs, x.pblk, x.len) ||
		    (last != NULL && x.lblk < last->lblk + last->len) ||
		    (uint64_t)x.lblk + x.len > UINT32_MAX)
			return ext2fs_corrupt(fs, "inode %u: extent at %u of %u "
			    "blocks overlaps, is empty or out of range",
			    ip->ei_ino, x.lblk, x.len);
		error = ext2fs_xl_add(xl, &x);
	}
	return error;
}

/* Read every extent of ip, in order, and the blocks of its tree. */
int
ext2fs_ext_load(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    struct ext2fs_xlist *xl)
{
	const uint8_t *h = ip->ei_block;
	int error;

	memset(xl, 0, sizeof(*xl));
	if ((error = ext2fs_ext_node_check(em->em_fs, ip, h, ROOT_ROOM, -1,
	    0)) != 0 ||
	    (error = load_node(em, ip, h, ext2_le16(h + EXT4_EH_DEPTH),
	    xl)) != 0)
		ext2fs_xl_free(xl);
	return error;
}

/* Join neighbours that continue each other, on the disk as in the file. */
static void
xl_merge(struct ext2fs_xlist *xl)
{
	struct ext2fs_xent *a, *b;
	size_t o = 0;

	for (size_t i = 0; i < xl->xl_n; i++) {
		b = &xl->xl_ent[i];
		a = o > 0 ? &xl->xl_ent[o - 1] : NULL;
		if (a != NULL && a->unwritten == b->unwritten &&
		    a->lblk + a->len == b->lblk &&
		    a->pblk + a->len == b->pblk &&
		    a->len + b->len <= (b->unwritten ?
		    EXT4_EXT_INIT_MAX_LEN - 1 : EXT4_EXT_INIT_MAX_LEN)) {
			a->len += b->len;
			continue;
		}
		xl->xl_ent[o++] = *b;
	}
	xl->xl_n = o;
}

/*
 * Write np's extent tree again from xl (sorted, not overlapping): the
 * extents packed into leaves, each level's first keys into the level
 * above, until they fit in i_block.  The tree blocks of the old tree
 * (xl_tree) are used again; more are allocated before anything is
 * written, so ENOSPC leaves the tree as it was; those not needed are
 * freed.  The inode is the caller's to write back.
 */
int
ext2fs_ext_store(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    struct ext2fs_xlist *xl)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	uint32_t room = ext2fs_ext_room(fs), *keys = NULL;
	size_t need = 0, have = xl->xl_ntree, cnt, nkeys, b = 0, kcap;
	uint64_t blk = 0, *child = NULL;
	struct buf *bp;
	uint8_t *h;
	int d = 0, error = 0;

	xl_merge(xl);
	for (cnt = xl->xl_n; cnt > ROOT_ROOM; d++) {
		cnt = howmany(cnt, room);
		need += cnt;
	}
	if (d > EXT4_EXT_MAX_DEPTH)
		return EFBIG;
	while (xl->xl_ntree < need && error == 0)
		if ((error = ext2fs_alloc_for(em, np, root, false, &blk)) == 0 &&
		    (error = tree_add(xl, blk)) != 0)
			(void)ext2fs_free_for(em, ip, blk, 1);
	if (error != 0) {
		while (xl->xl_ntree > have)
			(void)ext2fs_free_for(em, ip,
			    xl->xl_tree[--xl->xl_ntree], 1);
		return error;
	}
	kcap = MAX(xl->xl_n, 1);
	keys = kmem_alloc(kcap * sizeof(*keys), KM_SLEEP);
	child = kmem_alloc(kcap * sizeof(*child), KM_SLEEP);
	if (keys == NULL || child == NULL) {
		error = ENOMEM;
		goto out;
	}
	/*
	 * keys[] and child[]: the entries of the level being written; each
	 * node's first key and block replace them in place for the level
	 * above (node j is written after reading entries past j).
	 */
	for (size_t i = 0; i < xl->xl_n; i++)
		keys[i] = xl->xl_ent[i].lblk;
	nkeys = xl->xl_n;
	for (int l = 0; l <= d && error == 0; l++) {
		size_t per = l == d ? ROOT_ROOM : room, nodes, k = 0;

		nodes = l == d ? 1 : howmany(nkeys, per);
		for (size_t j = 0; j < nodes && error == 0; j++) {
			size_t m = MIN(per, nkeys - k);

			bp = NULL;
			if (l == d) {
				h = ip->ei_block;
				memset(h, 0, EXT2_I_BLOCK_LEN);
				hdr_init(h, ROOT_ROOM, d);
			} else {
				blk = xl->xl_tree[b++];
				bp = ext2fs_blk_get(em, blk);
				memset(bp->b_data, 0, fs->e2_bsize);
				h = bp->b_data;
				hdr_init(h, (int)room, l);
			}
			for (size_t i = 0; i < m; i++, k++) {
				if (l == 0)
					xent_put(ent(h, (int)i), &xl->xl_ent[k]);
				else
					idx_put(ent(h, (int)i), keys[k],
					    child[k]);
			}
			set_nent(h, (int)m);
			if (bp != NULL) {
				keys[j] = ext2_le32(ent(h, 0));
				child[j] = blk;
				ext2fs_extblk_csum_set(fs, ip, h);
				error = ext2fs_blk_write(em, bp, false);
			}
		}
		nkeys = nodes;
	}
out:
	if (keys != NULL)
		kmem_free(keys, kcap * sizeof(*keys));
	if (child != NULL)
		kmem_free(child, kcap * sizeof(*child));
	while (error == 0 && xl->xl_ntree > b)
		error = ext2fs_free_for(em, ip, xl->xl_tree[--xl->xl_ntree], 1);
	return error;
}
