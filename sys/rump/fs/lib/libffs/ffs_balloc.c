/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A file's storage: giving a logical block frags or a block (through
 * indirect blocks made on the way), and taking them back (truncation).
 *
 * The shape rule of the format (ffs_format.h): every block of a file is
 * whole except the last one when it is a direct block, which has only
 * the frags the size needs.  So a file that grows past such a block
 * first has it promoted to a whole block (extended in place when the
 * frags after it are free, else moved), and a file that shrinks into a
 * direct block gives back the frags past its new end.  The file's
 * buffer of that block always has the size the file's size implies
 * (ffs_blksize): it is resized with the block (allocbuf).
 *
 * Buffer order (ffs.h): the file's buffer may be held while device
 * buffers (groups, indirect blocks) are taken, never the reverse; so
 * truncation copies an indirect block's pointers and lets it go before
 * it forgets the file's buffers of the blocks they name.
 *
 * All of it runs with um_lock held as writer.
 */
#include <sys/systm.h>
#include <sys/mount.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/vnode.h>

#include "ffs.h"

static void
ffs_setptr(struct ffs_mount *um, void *blk, size_t i, int64_t v)
{
	if (um->um_ufs2)
		ffs_put64(um, blk, i * 8, (uint64_t)v);
	else
		ffs_put32(um, blk, i * 4, (uint32_t)v);
}

/* n new frags near pref, if the caller may have them. */
static int
ffs_getfrags(struct ffs_mount *um, struct ffs_inode *ip, int64_t pref,
    unsigned n, kauth_cred_t cred, int64_t *addrp)
{
	if (!ffs_space_ok(um, n, cred))
		return ENOSPC;
	return ffs_alloc_frags(um, ip, pref, n, addrp);
}

/* A new indirect block, zeroed. */
static int
ffs_newindir(struct ffs_mount *um, struct ffs_inode *ip, int64_t pref,
    kauth_cred_t cred, int64_t *addrp)
{
	struct buf *bp;
	int error;

	if ((error = ffs_getfrags(um, ip, pref, um->fs_frag, cred, addrp)) !=
	    0)
		return error;
	if ((bp = getblk(um->um_devvp, FFS_FSBTODB(um, *addrp),
	    (int)um->fs_bsize, 0, 0)) == NULL) {
		ffs_free_frags(um, *addrp, um->fs_frag);
		ip->i_blocks -= (uint64_t)um->fs_frag << um->fs_fsbtodb;
		return ENOMEM;
	}
	memset(bp->b_data, 0, um->fs_bsize);
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}

/*
 * Give logical block lbn (past the direct ones) a whole block, making
 * the indirect blocks on the way; *newp says whether it is new.
 */
static int
ffs_balloc_indir(struct ffs_mount *um, struct ffs_inode *ip, uint64_t lbn,
    kauth_cred_t cred, int64_t *addrp, bool *newp)
{
	uint64_t n = um->fs_nindir, span, rel;
	struct buf *bp;
	int64_t blk, nb, pref, path[UFS_NIADDR];
	size_t idx;
	int level, depth = 0, error;

	*newp = false;
	if ((level = ffs_indir_level(um, lbn, &rel, &span)) == UFS_NIADDR)
		return EFBIG;
	if ((blk = ip->i_ib[level]) == 0) {
		pref = ffs_blkpref(um, ip, UFS_NDADDR, 0);
		if ((error = ffs_newindir(um, ip, pref, cred, &blk)) != 0)
			return error;
		ip->i_ib[level] = blk;
	}
	for (; span > 1; rel %= span) {
		span /= n;
		idx = (size_t)(rel / span);
		if ((error = ffs_indir_step(um, ip, blk, idx, path, &depth,
		    &bp, &nb)) != 0)
			return error;
		if (nb != 0) {
			brelse(bp, 0);
			blk = nb;
			continue;
		}
		/* After the previous pointer, or after this block. */
		pref = idx > 0 ? ffs_getptr(um, bp->b_data, idx - 1) : 0;
		pref = ffs_blkpref(um, ip, lbn, pref > 0 ? pref : blk);
		if (span > 1)
			error = ffs_newindir(um, ip, pref, cred, &nb);
		else
			error = ffs_getfrags(um, ip, pref, um->fs_frag, cred,
			    &nb);
		if (error) {
			brelse(bp, 0);
			return error;
		}
		ffs_setptr(um, bp->b_data, idx, nb);
		if ((error = ffs_bufwrite(um, bp, FFS_BDWRITE)) != 0)
			return error;
		if (span == 1)
			*newp = true;
		blk = nb;
	}
	if (!ffs_blkok(um, blk))
		return ffs_corrupt(um, "inode %llu: block %llu at %lld",
		    (unsigned long long)ip->i_number, (unsigned long long)lbn,
		    (long long)blk);
	*addrp = blk;
	return 0;
}

/*
 * Resize direct block lbn from osize to nsize bytes of frags (either
 * way; a hole only has its buffer resized), keeping its contents.
 */
static int
ffs_resize(struct vnode *vp, uint64_t lbn, size_t osize, size_t nsize,
    kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	unsigned ofr = (unsigned)(osize >> um->fs_fshift);
	unsigned nfr = (unsigned)(nsize >> um->fs_fshift);
	int64_t addr = ip->i_db[lbn], naddr;
	struct buf *bp;
	int error, e;

	KASSERT(lbn < UFS_NDADDR);
	if ((error = bread(vp, (daddr_t)lbn, (int)osize, 0, &bp)) != 0)
		return error;
	if (addr != 0 && nfr > ofr) {
		if ((error = ffs_space_ok(um, nfr - ofr, cred) ? 0 : ENOSPC) ==
		    0 && (error = ffs_extend_frags(um, addr, ofr, nfr)) == 0)
			ip->i_blocks += (uint64_t)(nfr - ofr) << um->fs_fsbtodb;
		else if (error == ENOSPC) {
			error = ffs_getfrags(um, ip,
			    ffs_blkpref(um, ip, lbn, 0), nfr, cred, &naddr);
			if (error == 0) {
				ffs_free_frags(um, addr, ofr);
				ip->i_blocks -= (uint64_t)ofr << um->fs_fsbtodb;
				ip->i_db[lbn] = naddr;
			}
		}
	} else if (addr != 0 && nfr < ofr) {
		ffs_free_frags(um, addr + nfr, ofr - nfr);
		ip->i_blocks -= (uint64_t)(ofr - nfr) << um->fs_fsbtodb;
	}
	if (error == 0)
		error = allocbuf(bp, (int)nsize);
	if (addr == 0 || (error != 0 && ip->i_db[lbn] == addr)) {
		/* A hole's buffer is only resized: nothing to write. */
		brelse(bp, 0);
		return error;
	}
	/*
	 * Its bytes go where the block is now, even if the buffer kept
	 * its old size (no memory): the old place is free.
	 */
	e = ffs_bufwrite(um, bp, FFS_BDWRITE);
	return error != 0 ? error : e;
}

int
ffs_balloc(struct vnode *vp, uint64_t lbn, uint64_t end, size_t bo,
    size_t n, kauth_cred_t cred, struct buf **bpp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t osize = ip->i_size, nsize = MAX(osize, end), lastlbn;
	size_t cur, want;
	int64_t addr;
	struct buf *bp;
	bool fresh = false;
	int error;

	*bpp = NULL;
	if (lbn >= um->um_maxlbn)
		return EFBIG;
	ip->i_hasbufs = true;
	/* A last block of frags before lbn becomes whole. */
	if (osize > 0) {
		lastlbn = (osize - 1) >> um->fs_bshift;
		cur = (size_t)ffs_blksize(um, osize, lastlbn);
		if (lastlbn < UFS_NDADDR && lbn > lastlbn &&
		    cur < um->fs_bsize) {
			if ((error = ffs_resize(vp, lastlbn, cur, um->fs_bsize,
			    cred)) != 0)
				return error;
			ip->i_size = osize = (lastlbn + 1) << um->fs_bshift;
			if ((error = ffs_update(um, ip)) != 0)
				return error;
		}
	}
	lastlbn = (nsize - 1) >> um->fs_bshift;
	if (lbn < UFS_NDADDR) {
		want = (size_t)ffs_blksize(um, nsize, lbn);
		cur = lbn << um->fs_bshift < osize ?
		    (size_t)ffs_blksize(um, osize, lbn) : 0;
		if (ip->i_db[lbn] == 0) {
			/* A cached hole of another size goes first. */
			if (cur != 0 && cur != want)
				binvalblk(vp, (daddr_t)lbn);
			if ((error = ffs_getfrags(um, ip,
			    ffs_blkpref(um, ip, lbn, 0),
			    (unsigned)(want >> um->fs_fshift), cred,
			    &addr)) != 0)
				return error;
			ip->i_db[lbn] = addr;
			fresh = true;
		} else if (cur < want) {
			if ((error = ffs_resize(vp, lbn, cur, want, cred)) != 0)
				return error;
		}
	} else {
		want = um->fs_bsize;
		if ((error = ffs_balloc_indir(um, ip, lbn, cred, &addr,
		    &fresh)) != 0) {
			(void)ffs_update(um, ip);
			return error;
		}
	}
	ip->i_size = nsize;
	if ((error = ffs_update(um, ip)) != 0)
		return error;
	if (fresh || (bo == 0 && n == want)) {
		if ((bp = getblk(vp, (daddr_t)lbn, (int)want, 0, 0)) == NULL)
			return ENOMEM;
		if (fresh)
			memset(bp->b_data, 0, want);
	} else if ((error = bread(vp, (daddr_t)lbn, (int)want, 0, &bp)) != 0)
		return error;
	*bpp = bp;
	return 0;
}

/*
 * Free what the tree at blk (level 0: single indirect) holds for
 * logical blocks at or past first; base is the tree's first logical
 * block.  *emptyp: the tree holds nothing now and blk itself is free.
 */
static int
ffs_indirtrunc(struct vnode *vp, int64_t blk, int level, uint64_t base,
    uint64_t first, bool *emptyp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t n = um->fs_nindir, span = 1, ebase;
	size_t i, psize = um->um_ufs2 ? 8 : 4;
	bool cempty, kept = false;
	struct buf *bp;
	int64_t p;
	char *ptrs;
	int l, error = 0, e;

	*emptyp = false;
	for (l = 0; l < level; l++)
		span *= n;
	if (!ffs_blkok(um, blk))
		return ffs_corrupt(um, "inode %llu: indirect block at %lld",
		    (unsigned long long)ip->i_number, (long long)blk);
	if ((ptrs = kmem_alloc(um->fs_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = bread(um->um_devvp, FFS_FSBTODB(um, blk),
	    (int)um->fs_bsize, 0, &bp)) != 0) {
		kmem_free(ptrs, um->fs_bsize);
		return error;
	}
	memcpy(ptrs, bp->b_data, um->fs_bsize);
	brelse(bp, 0);
	for (i = 0; i < n; i++) {
		ebase = base + i * span;
		p = ffs_getptr(um, ptrs, i);
		if (p == 0)
			continue;
		if (ebase + span <= first) {
			kept = true;
			continue;
		}
		if (level == 0) {
			if (!ffs_blkok(um, p)) {
				error = ffs_corrupt(um, "inode %llu: block at "
				    "%lld", (unsigned long long)ip->i_number,
				    (long long)p);
				break;
			}
			binvalblk(vp, (daddr_t)ebase);
			ffs_free_frags(um, p, um->fs_frag);
			ip->i_blocks -= (uint64_t)um->fs_frag <<
			    um->fs_fsbtodb;
			ffs_setptr(um, ptrs, i, 0);
			continue;
		}
		if ((error = ffs_indirtrunc(vp, p, level - 1, ebase, first,
		    &cempty)) != 0)
			break;
		if (cempty)
			ffs_setptr(um, ptrs, i, 0);
		else
			kept = true;
	}
	if (error == 0 && !kept) {
		binvalblk(um->um_devvp, FFS_FSBTODB(um, blk));
		ffs_free_frags(um, blk, um->fs_frag);
		ip->i_blocks -= (uint64_t)um->fs_frag << um->fs_fsbtodb;
		*emptyp = true;
	} else if (bread(um->um_devvp, FFS_FSBTODB(um, blk),
	    (int)um->fs_bsize, 0, &bp) == 0) {
		memcpy(bp->b_data, ptrs, n * psize);
		if ((e = ffs_bufwrite(um, bp, FFS_BDWRITE)) != 0 && error == 0)
			error = e;
	}
	kmem_free(ptrs, um->fs_bsize);
	return error;
}

int
ffs_truncate(struct vnode *vp, uint64_t length, kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t osize = ip->i_size, lbn, first, base, span, n;
	size_t osz, nsz, bo;
	struct buf *bp;
	int64_t addr;
	bool empty;
	int level, error;

	/*
	 * To the same size the walk below still runs: a write that failed
	 * for want of space may have left indirect blocks past the end
	 * (the size did not grow), and they go now.
	 */
	if (length > osize) {
		lbn = (length - 1) >> um->fs_bshift;
		if (lbn >= um->um_maxlbn)
			return EFBIG;
		if ((error = ffs_balloc(vp, lbn, length, 0, 0, cred, &bp)) !=
		    0) {
			(void)ffs_truncate(vp, osize, NULL);
			return error;
		}
		return ffs_bufwrite(um, bp, FFS_BDWRITE);
	}
	if (length > 0 && length < osize) {
		lbn = (length - 1) >> um->fs_bshift;
		bo = (size_t)(length - (lbn << um->fs_bshift));
		osz = (size_t)ffs_blksize(um, osize, lbn);
		nsz = (size_t)ffs_blksize(um, length, lbn);
		if ((error = ffs_bmap(um, ip, lbn, &addr)) != 0)
			return error;
		if (addr != 0 && lbn < UFS_NDADDR && nsz != osz) {
			if ((error = ffs_resize(vp, lbn, osz, nsz, cred)) != 0)
				return error;
		} else if (nsz != osz)
			binvalblk(vp, (daddr_t)lbn);
		if (addr != 0 && bo < nsz) {
			if ((error = bread(vp, (daddr_t)lbn, (int)nsz, 0,
			    &bp)) != 0)
				return error;
			memset((char *)bp->b_data + bo, 0, nsz - bo);
			if ((error = ffs_bufwrite(um, bp, FFS_BDWRITE)) != 0)
				return error;
		}
	}
	first = howmany(length, um->fs_bsize);
	for (lbn = first; lbn < UFS_NDADDR; lbn++) {
		if (lbn << um->fs_bshift >= osize)
			break;
		binvalblk(vp, (daddr_t)lbn);
		if ((addr = ip->i_db[lbn]) == 0)
			continue;
		n = (uint64_t)ffs_blksize(um, osize, lbn) >> um->fs_fshift;
		ffs_free_frags(um, addr, (unsigned)n);
		ip->i_blocks -= n << um->fs_fsbtodb;
		ip->i_db[lbn] = 0;
	}
	base = UFS_NDADDR;
	span = 1;
	error = 0;
	for (level = 0; level < UFS_NIADDR; level++) {
		span *= um->fs_nindir;
		if (ip->i_ib[level] != 0 && base + span > first) {
			if ((error = ffs_indirtrunc(vp, ip->i_ib[level], level,
			    base, first, &empty)) != 0)
				break;
			if (empty)
				ip->i_ib[level] = 0;
		}
		base += span;
	}
	ip->i_size = length;
	/* What is left is the attribute area's (ffs_extattr.c). */
	if (length == 0 && error == 0 &&
	    ip->i_blocks != ffs_extattr_nsect(um, ip)) {
		(void)ffs_corrupt(um, "inode %llu: %llu sectors left after "
		    "truncation", (unsigned long long)ip->i_number,
		    (unsigned long long)ip->i_blocks);
		ip->i_blocks = ffs_extattr_nsect(um, ip);
	}
	(void)ffs_update(um, ip);
	return error;
}
