/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fallocate(2) on ext2fs files, as Linux's ext4 does it where the format
 * allows it.  The VFS has checked the mode and the range
 * (vfs_fallocate.c).
 *
 * Files mapped by extents: allocation (mode 0, KEEP_SIZE) gives the
 * holes of the range unwritten extents, which read as zeros until a
 * write turns the blocks it covers into written ones (ext2fs_extw.c);
 * PUNCH_HOLE frees the whole blocks of the range and zeroes the parts of
 * the blocks at its ends (as Linux, nothing past the end of the file's
 * last page); ZERO_RANGE makes the whole blocks of the range unwritten
 * (keeping their blocks) and zeroes its ends, allocating its holes;
 * COLLAPSE_RANGE and INSERT_RANGE (block-aligned, else EINVAL; ending
 * before the end of the file, else EINVAL) take the range out of the
 * file or put a hole there, shifting the extents after it.  These work
 * on the file's list of extents (ext2fs_ext_load), then write the tree
 * again (ext2fs_ext_store): new data blocks and tree blocks are
 * allocated before anything changes, so ENOSPC gives the blocks back and
 * leaves the file as it was; freed blocks are freed only once the new
 * tree is written.
 *
 * Files mapped by blocks (ext2, ext3): allocation gives each hole of the
 * range a zeroed block (with KEEP_SIZE only up to the end of the file,
 * since e2fsck allows no block past it), PUNCH_HOLE frees blocks and the
 * indirect blocks left empty; other modes are EOPNOTSUPP, as are files
 * with inline data.
 *
 * Every change goes through ext2fs_blk_write(), so into the journal's
 * running transaction on a journaled mount, with checksums set.
 * Called with em_lock held as writer (ext2fs_vfs.h).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/param.h>

#include "ext2fs_vfs.h"

#define FALLOC_PAGE 4096                /* Linux's page: punch's limit */

/* Zero n bytes at boff of logical block lblk, if it holds written data. */
static int
zero_part(struct ext2fs_mount *em, struct ext2fs_node *np, uint64_t lblk,
    uint32_t boff, uint32_t n)
{
	uint64_t pblk;
	struct buf *bp;
	bool isnew;
	int error;

	if (n == 0)
		return 0;
	if ((error = ext2fs_bmap_alloc(em, np, lblk, false, true, &pblk,
	    &isnew)) != 0 || pblk == 0)
		return error;
	if ((error = ext2fs_blk_read(em, pblk, &bp)) != 0)
		return error;
	memset((char *)bp->b_data + boff, 0, n);
	return ext2fs_blk_write_data(em, bp, false);
}

/* Zero the bytes of [start, end) outside whole blocks. */
static int
zero_ends(struct ext2fs_mount *em, struct ext2fs_node *np, uint64_t start,
    uint64_t end)
{
	uint32_t bs = em->em_fs->e2_bsize, sh = em->em_fs->e2_bshift;
	uint64_t fb = start >> sh, lb = end >> sh;
	int error;

	if (fb == lb)
		return zero_part(em, np, fb, (uint32_t)(start & (bs - 1)),
		    (uint32_t)(end - start));
	if ((error = zero_part(em, np, fb, (uint32_t)(start & (bs - 1)),
	    (start & (bs - 1)) != 0 ? bs - (uint32_t)(start & (bs - 1)) :
	    0)) != 0)
		return error;
	return zero_part(em, np, lb, 0, (uint32_t)(end & (bs - 1)));
}

/* The index of the first extent ending after lblk (xl_n: none). */
static size_t
xl_find(const struct ext2fs_xlist *xl, uint64_t lblk)
{
	size_t lo = 0, hi = xl->xl_n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct ext2fs_xent *x = &xl->xl_ent[mid];

		if ((uint64_t)x->lblk + x->len <= lblk)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* An extent boundary at lblk: split the extent across it. */
static int
xl_split(struct ext2fs_xlist *xl, uint64_t lblk)
{
	size_t i = xl_find(xl, lblk);
	struct ext2fs_xent *x, tail;
	int error;

	if (i == xl->xl_n || xl->xl_ent[i].lblk >= lblk)
		return 0;
	x = &xl->xl_ent[i];
	tail = *x;
	tail.lblk = (uint32_t)lblk;
	tail.len = x->lblk + x->len - (uint32_t)lblk;
	tail.pblk = x->pblk + (lblk - x->lblk);
	x->len = (uint32_t)lblk - x->lblk;
	if ((error = ext2fs_xl_add(xl, &tail)) != 0)
		return error;
	memmove(&xl->xl_ent[i + 2], &xl->xl_ent[i + 1],
	    (xl->xl_n - i - 2) * sizeof(tail));
	xl->xl_ent[i + 1] = tail;
	return 0;
}

/* The new extents nw go back to the free map: the change is given up. */
static void
new_undo(struct ext2fs_mount *em, struct ext2fs_node *np,
    struct ext2fs_xlist *nw)
{
	for (size_t i = 0; i < nw->xl_n; i++)
		(void)ext2fs_free_for(em, &np->n_ip, nw->xl_ent[i].pblk,
		    nw->xl_ent[i].len);
	ext2fs_xl_free(nw);
}

/* Allocate unwritten extents for the holes of [from, to) into nw. */
static int
fill_holes(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    const struct ext2fs_xlist *xl, uint64_t from, uint64_t to,
    struct ext2fs_xlist *nw)
{
	size_t i = xl_find(xl, from);
	struct ext2fs_xent *last;
	uint64_t b = from, hend, blk;
	int error = 0;

	while (b < to && error == 0) {
		if (i < xl->xl_n && xl->xl_ent[i].lblk <= b) {
			b = (uint64_t)xl->xl_ent[i].lblk + xl->xl_ent[i].len;
			np->n_goal = xl->xl_ent[i].pblk + xl->xl_ent[i].len;
			i++;
			continue;
		}
		hend = i < xl->xl_n ? MIN(to, xl->xl_ent[i].lblk) : to;
		if (i > 0 && nw->xl_n == 0)
			np->n_goal = xl->xl_ent[i - 1].pblk +
			    xl->xl_ent[i - 1].len;
		for (; b < hend && error == 0; b++) {
			if ((error = ext2fs_alloc_for(em, np, root, false,
			    &blk)) != 0)
				break;
			last = nw->xl_n > 0 ?
			    &nw->xl_ent[nw->xl_n - 1] : NULL;
			if (last != NULL && last->lblk + last->len == b &&
			    last->pblk + last->len == blk &&
			    last->len < EXT4_EXT_INIT_MAX_LEN - 1) {
				last->len++;
				continue;
			}
			error = ext2fs_xl_add(nw, &(struct ext2fs_xent){
			    (uint32_t)b, 1, blk, true });
			if (error != 0)
				(void)ext2fs_free_for(em, &np->n_ip, blk, 1);
		}
	}
	return error;
}

/* xl with the extents of nl (none overlapping) put in, in order. */
static int
xl_join(struct ext2fs_xlist *xl, const struct ext2fs_xlist *nl)
{
	struct ext2fs_xlist out = { 0 };
	size_t i = 0, j = 0;
	int error = 0;

	if (nl->xl_n == 0)
		return 0;
	while ((i < xl->xl_n || j < nl->xl_n) && error == 0) {
		if (j == nl->xl_n || (i < xl->xl_n &&
		    xl->xl_ent[i].lblk < nl->xl_ent[j].lblk))
			error = ext2fs_xl_add(&out, &xl->xl_ent[i++]);
		else
			error = ext2fs_xl_add(&out, &nl->xl_ent[j++]);
	}
	if (error != 0) {
		ext2fs_xl_free(&out);
		return error;
	}
	ext2fs_xl_free(&(struct ext2fs_xlist){ .xl_ent = xl->xl_ent,
	    .xl_cap = xl->xl_cap });
	xl->xl_ent = out.xl_ent;
	xl->xl_n = out.xl_n;
	xl->xl_cap = out.xl_cap;
	return 0;
}

/*
 * The extent-tree modes on logical blocks [fb, lb) (byte ends zeroed by
 * the caller): see the top of the file.
 */
static int
ext_range(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    int op, uint64_t fb, uint64_t lb)
{
	struct ext2fs_inode *ip = &np->n_ip;
	struct ext2fs_xlist xl, gone = { 0 };
	struct ext2fs_xlist nw = { 0 };
	size_t i, j, o;
	int error;

	if ((error = ext2fs_ext_load(em, ip, &xl)) != 0)
		return error;
	if ((op != 0 || fb < lb) && ((error = xl_split(&xl, fb)) != 0 ||
	    (error = xl_split(&xl, lb)) != 0))
		goto out;
	i = xl_find(&xl, fb);
	for (j = i; j < xl.xl_n && xl.xl_ent[j].lblk < lb; j++)
		;
	/* Extents [i, j) lie inside the range. */
	switch (op) {
	case FALLOC_FL_ZERO_RANGE:
		/* An unwritten extent is one block shorter at most. */
		for (size_t k = i; k < j && error == 0; k++) {
			if (xl.xl_ent[k].len > EXT4_EXT_INIT_MAX_LEN - 1 &&
			    (error = xl_split(&xl, (uint64_t)xl.xl_ent[k].lblk +
			    EXT4_EXT_INIT_MAX_LEN - 1)) == 0)
				j++;
			xl.xl_ent[k].unwritten = true;
		}
		if (error != 0)
			goto out;
		/* FALLTHROUGH */
	case 0:
		if ((error = fill_holes(em, np, root, &xl, fb, lb, &nw)) != 0 ||
		    (error = xl_join(&xl, &nw)) != 0)
			goto out;
		break;
	case FALLOC_FL_PUNCH_HOLE:
	case FALLOC_FL_COLLAPSE_RANGE:
		for (size_t k = i; k < j && error == 0; k++)
			error = ext2fs_xl_add(&gone, &xl.xl_ent[k]);
		if (error != 0)
			goto out;
		memmove(&xl.xl_ent[i], &xl.xl_ent[j],
		    (xl.xl_n - j) * sizeof(*xl.xl_ent));
		xl.xl_n -= j - i;
		if (op == FALLOC_FL_COLLAPSE_RANGE)
			for (o = i; o < xl.xl_n; o++)
				xl.xl_ent[o].lblk -= (uint32_t)(lb - fb);
		break;
	case FALLOC_FL_INSERT_RANGE:
		if (xl.xl_n > 0 && (uint64_t)xl.xl_ent[xl.xl_n - 1].lblk +
		    xl.xl_ent[xl.xl_n - 1].len + (lb - fb) > UINT32_MAX) {
			error = EFBIG;
			goto out;
		}
		for (o = i; o < xl.xl_n; o++)
			xl.xl_ent[o].lblk += (uint32_t)(lb - fb);
		break;
	}
	if ((error = ext2fs_ext_store(em, np, root, &xl)) != 0)
		goto out;
	ext2fs_xl_free(&nw);
	for (size_t k = 0; k < gone.xl_n && error == 0; k++)
		error = ext2fs_free_for(em, ip, gone.xl_ent[k].pblk,
		    gone.xl_ent[k].len);
out:
	if (error != 0 && nw.xl_n > 0)
		new_undo(em, np, &nw);
	ext2fs_xl_free(&nw);
	ext2fs_xl_free(&gone);
	ext2fs_xl_free(&xl);
	return error;
}

/*
 * The slot of logical block lblk in the block map: in the inode, or in
 * the indirect block path[level - 1] (read and left for the caller to
 * release); *skipp: blocks from lblk that are holes when the path
 * stops at a zero pointer (then *slotp is NULL).
 */
struct bm_path {
	struct buf *bp[3];
	uint8_t *slot[4];               /* [0] in the inode */
	int levels;
};

static void
bm_release(struct bm_path *bp)
{
	for (int l = 0; l < 3; l++)
		if (bp->bp[l] != NULL) {
			brelse(bp->bp[l], 0);
			bp->bp[l] = NULL;
		}
}

static int
bm_walk(struct ext2fs_mount *em, struct ext2fs_inode *ip, uint64_t lblk,
    struct bm_path *path, uint64_t *skipp)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t ashift = fs->e2_bshift - 2;
	uint64_t span = 1, blk, rel = lblk;
	int level, error;

	memset(path, 0, sizeof(*path));
	*skipp = 0;
	if (lblk < EXT2_NDADDR) {
		path->slot[0] = ip->ei_block + 4 * lblk;
		return 0;
	}
	rel -= EXT2_NDADDR;
	for (level = 1; level <= 3; level++) {
		span = (uint64_t)1 << (ashift * level);
		if (rel < span)
			break;
		rel -= span;
	}
	if (level > 3)
		return EFBIG;
	path->levels = level;
	path->slot[0] = ip->ei_block + 4 * (EXT2_IND_BLOCK + level - 1);
	for (int l = 1; l <= level; l++) {
		blk = ext2_le32(path->slot[l - 1]);
		span = (uint64_t)1 << (ashift * (level - l + 1));
		if (blk == 0) {
			*skipp = span - (rel & (span - 1));
			return 0;
		}
		if (!ext2fs_blk_ok(fs, blk, 1))
			return ext2fs_corrupt(fs, "inode %u: indirect block "
			    "%llu out of range", ip->ei_ino,
			    (unsigned long long)blk);
		if ((error = ext2fs_blk_read(em, blk, &path->bp[l - 1])) != 0)
			return error;
		path->slot[l] = (uint8_t *)path->bp[l - 1]->b_data + 4 *
		    ((rel >> (ashift * (level - l))) &
		    (((uint64_t)1 << ashift) - 1));
	}
	return 0;
}

static bool
blk_empty(const struct buf *bp, uint32_t bsize)
{
	const uint8_t *p = bp->b_data;

	for (uint32_t i = 0; i < bsize; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* Free the blocks of [fb, lb) of a block-mapped file. */
static int
bm_punch(struct ext2fs_mount *em, struct ext2fs_node *np, uint64_t fb,
    uint64_t lb)
{
	struct ext2fs_inode *ip = &np->n_ip;
	uint32_t bsize = em->em_fs->e2_bsize;
	struct bm_path path;
	uint64_t b = fb, skip, blk;
	int error = 0, l;

	while (b < lb && error == 0) {
		if ((error = bm_walk(em, ip, b, &path, &skip)) != 0) {
			bm_release(&path);
			break;
		}
		if (skip != 0) {
			bm_release(&path);
			b += skip;
			continue;
		}
		l = path.levels;
		if ((blk = ext2_le32(path.slot[l])) != 0) {
			error = ext2fs_free_for(em, ip, blk, 1);
			ext2_set_le32(path.slot[l], 0);
			/* Indirect blocks left empty go too, upward. */
			for (; l > 0 && error == 0; l--) {
				struct buf *ib = path.bp[l - 1];

				if (!blk_empty(ib, bsize)) {
					path.bp[l - 1] = NULL;
					error = ext2fs_blk_write(em, ib, false);
					break;
				}
				error = ext2fs_free_for(em, ip,
				    ext2_le32(path.slot[l - 1]), 1);
				ext2_set_le32(path.slot[l - 1], 0);
			}
		}
		bm_release(&path);
		b++;
	}
	return error;
}

/* Zeroed blocks for the holes of [fb, lb) of a block-mapped file. */
static int
bm_alloc(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    uint64_t fb, uint64_t lb)
{
	uint64_t pblk;
	struct buf *bp;
	bool isnew;
	int error = 0;

	for (uint64_t b = fb; b < lb && error == 0; b++) {
		if ((error = ext2fs_bmap_alloc(em, np, b, true, root, &pblk,
		    &isnew)) != 0 || !isnew)
			continue;
		bp = ext2fs_blk_get(em, pblk);
		memset(bp->b_data, 0, em->em_fs->e2_bsize);
		error = ext2fs_blk_write_data(em, bp, false);
	}
	return error;
}

static int
falloc_locked(struct ext2fs_mount *em, struct ext2fs_node *np, int mode,
    uint64_t start, uint64_t end, bool root)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	uint32_t bs = fs->e2_bsize, sh = fs->e2_bshift;
	uint64_t size = ip->ei_size, fb, lb;
	int op = mode & ~FALLOC_FL_KEEP_SIZE, error = 0, e;
	bool ext = (ip->ei_flags & EXT4_EXTENTS_FL) != 0;

	if (ip->ei_flags & EXT4_INLINE_DATA_FL)
		return EOPNOTSUPP;
	if (end > ext2fs_maxfilesize(fs))
		return EFBIG;
	switch (op) {
	case 0:
		fb = start >> sh;
		lb = howmany(end, bs);
		if (ext)
			error = ext_range(em, np, root, 0, fb, lb);
		else {
			/* No block past the end: e2fsck allows none. */
			if (mode & FALLOC_FL_KEEP_SIZE)
				lb = MIN(lb, howmany(size, bs));
			error = bm_alloc(em, np, root, fb, lb);
			if (error != 0 && lb > howmany(size, bs))
				(void)ext2fs_truncate(em, np, size);
		}
		break;
	case FALLOC_FL_PUNCH_HOLE:
		if (start >= size)
			return 0;
		end = MIN(end, roundup(size, FALLOC_PAGE));
		if ((error = zero_ends(em, np, start, end)) != 0)
			return error;
		fb = howmany(start, bs);
		lb = end >> sh;
		if (fb >= lb)
			break;
		error = ext ? ext_range(em, np, root, op, fb, lb) :
		    bm_punch(em, np, fb, lb);
		break;
	case FALLOC_FL_ZERO_RANGE:
		if (!ext)
			return EOPNOTSUPP;
		if ((error = zero_ends(em, np, start, end)) != 0)
			return error;
		fb = howmany(start, bs);
		lb = end >> sh;
		/* Every block of the range, ends included, is allocated. */
		if ((error = ext_range(em, np, root, 0, start >> sh,
		    howmany(end, bs))) != 0)
			return error;
		if (fb < lb)
			error = ext_range(em, np, root, op, fb, lb);
		break;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		if (!ext)
			return EOPNOTSUPP;
		if (((start | end) & (bs - 1)) != 0)
			return EINVAL;
		if (op == FALLOC_FL_COLLAPSE_RANGE && end >= size)
			return EINVAL;
		if (op == FALLOC_FL_INSERT_RANGE) {
			if (end - start > ext2fs_maxfilesize(fs) - size)
				return EFBIG;
			if (start >= size)
				return EINVAL;
		}
		if ((error = ext_range(em, np, root, op, start >> sh,
		    end >> sh)) != 0)
			return error;
		ip->ei_size = op == FALLOC_FL_COLLAPSE_RANGE ?
		    size - (end - start) : size + (end - start);
		np->n_goal = 0;
		break;
	default:
		return EOPNOTSUPP;
	}
	if (error == 0 && (op == 0 || op == FALLOC_FL_ZERO_RANGE) &&
	    !(mode & FALLOC_FL_KEEP_SIZE) && end > size)
		error = ext2fs_truncate(em, np, end);
	if (error == 0)
		ext2fs_settime(ip, false, true, true);
	if ((e = ext2fs_iupdate(em, ip)) != 0 && error == 0)
		error = e;
	return error;
}

int
ext2fs_fallocate_op(struct vnode *vp, int mode, off_t off, off_t len)
{
	struct ext2fs_mount *em = VTOEM(vp);
	int error;

	rw_enter(&em->em_lock, RW_WRITER);
	if (!em->em_rw)
		error = EROFS;
	else
		error = falloc_locked(em, VTON(vp), mode, (uint64_t)off,
		    (uint64_t)off + (uint64_t)len,
		    kauth_cred_issuser(kauth_cred_get()));
	rw_exit(&em->em_lock);
	return error;
}
