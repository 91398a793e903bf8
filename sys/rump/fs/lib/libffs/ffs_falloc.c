/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fallocate(2) on FFS, which has no unwritten blocks and no blocks past
 * a file's end (fsck_ffs allows none): allocation (mode 0, KEEP_SIZE)
 * gives each hole of the range a zeroed block through ffs_balloc (the
 * size grows with it; with KEEP_SIZE only the range below the end is
 * filled); PUNCH_HOLE zeroes the parts of the range's end blocks and
 * frees the whole blocks between (indirect blocks are kept, as a write
 * there would need them again).  A file's last block, which may be
 * frags, is zeroed rather than freed: an FFS file ends in a block.
 * Other modes are EOPNOTSUPP.  On ENOSPC an allocation gives back the
 * blocks past the old end.
 *
 * Runs with um_lock held as writer, as ffs_write.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#include "ffs.h"

/* Zero n bytes at bo of logical block lbn, if it has storage. */
static int
zero_part(struct vnode *vp, uint64_t lbn, size_t bo, size_t n)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	struct buf *bp;
	int64_t addr;
	int size, error;

	if (n == 0)
		return 0;
	if ((error = ffs_bmap(um, ip, lbn, &addr)) != 0 || addr == 0)
		return error;
	size = ffs_blksize(um, ip->i_size, lbn);
	if (bo >= (size_t)size)
		return 0;
	if ((error = bread(vp, (daddr_t)lbn, size, 0, &bp)) != 0)
		return error;
	memset((char *)bp->b_data + bo, 0, MIN(n, (size_t)size - bo));
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}

/*
 * Free the block of logical block lbn (past the direct blocks: through
 * its indirect blocks, which stay); *skipp: blocks from lbn on that are
 * holes when an indirect pointer on the way is zero.
 */
static int
free_block(struct vnode *vp, uint64_t lbn, uint64_t *skipp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t n = um->fs_nindir, span, rel;
	int64_t blk, p, path[UFS_NIADDR];
	struct buf *bp = NULL;
	size_t idx = 0;
	int level, depth = 0, error;

	*skipp = 1;
	if (lbn < UFS_NDADDR) {
		if ((p = ip->i_db[lbn]) == 0)
			return 0;
		binvalblk(vp, (daddr_t)lbn);
		ffs_free_frags(um, p, um->fs_frag);
		ip->i_blocks -= (uint64_t)um->fs_frag << um->fs_fsbtodb;
		ip->i_db[lbn] = 0;
		return 0;
	}
	if ((level = ffs_indir_level(um, lbn, &rel, &span)) == UFS_NIADDR)
		return EFBIG;
	blk = ip->i_ib[level];
	for (; span > 1; rel %= span) {
		if (bp != NULL)
			brelse(bp, 0);
		bp = NULL;
		if (blk == 0) {
			*skipp = span - rel % span;
			return 0;
		}
		span /= n;
		idx = (size_t)(rel / span);
		if ((error = ffs_indir_step(um, ip, blk, idx, path, &depth,
		    &bp, &blk)) != 0)
			return error;
	}
	if (blk == 0) {
		brelse(bp, 0);
		return 0;
	}
	if (!ffs_blkok(um, blk)) {
		brelse(bp, 0);
		return ffs_corrupt(um, "inode %llu: block at %lld",
		    (unsigned long long)ip->i_number, (long long)blk);
	}
	binvalblk(vp, (daddr_t)lbn);
	ffs_free_frags(um, blk, um->fs_frag);
	ip->i_blocks -= (uint64_t)um->fs_frag << um->fs_fsbtodb;
	if (um->um_ufs2)
		ffs_put64(um, bp->b_data, idx * 8, 0);
	else
		ffs_put32(um, bp->b_data, idx * 4, 0);
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}

static int
falloc_locked(struct vnode *vp, int mode, uint64_t start, uint64_t end)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t osize = ip->i_size, bs = um->fs_bsize, lbn, lb, skip;
	kauth_cred_t cred = kauth_cred_get();
	struct buf *bp;
	int64_t addr;
	int error = 0;

	if (end > um->um_maxlbn << um->fs_bshift)
		return EFBIG;
	switch (mode) {
	case 0:
	case FALLOC_FL_KEEP_SIZE:
		if (mode == FALLOC_FL_KEEP_SIZE)
			end = MIN(end, osize);
		for (lbn = start / bs; lbn * bs < end && error == 0; lbn++) {
			if ((error = ffs_bmap(um, ip, lbn, &addr)) != 0)
				break;
			/* Whole blocks with storage are done already. */
			if (addr != 0 && (lbn + 1) * bs <= ip->i_size)
				continue;
			if ((error = ffs_balloc(vp, lbn, MIN(end, (lbn + 1) *
			    bs), 0, 0, cred, &bp)) == 0)
				error = ffs_bufwrite(um, bp, FFS_BDWRITE);
		}
		if (error != 0 && ip->i_size > osize)
			(void)ffs_truncate(vp, osize, NULL);
		return error;
	case FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE:
		end = MIN(end, osize);
		if (start >= end)
			return 0;
		lbn = start / bs;
		if (lbn == (end - 1) / bs)
			return zero_part(vp, lbn, start % bs, end - start);
		if ((error = zero_part(vp, lbn, start % bs,
		    start % bs != 0 ? bs - start % bs : 0)) != 0 ||
		    (error = zero_part(vp, end / bs, 0, end % bs)) != 0)
			return error;
		/* The file's last block stays, zeroed: a file ends in one. */
		lb = end / bs;
		if (end == osize && end % bs == 0 && lb - 1 >= howmany(start,
		    bs) && (error = zero_part(vp, --lb, 0, bs)) != 0)
			return error;
		for (lbn = howmany(start, bs); lbn < lb && error == 0;
		    lbn += skip)
			error = free_block(vp, lbn, &skip);
		if (ffs_update(um, ip) != 0 && error == 0)
			error = EIO;
		return error;
	default:
		return EOPNOTSUPP;
	}
}

int
ffs_fallocate(struct vnode *vp, int mode, off_t off, off_t len)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	struct timespec now;
	int error;

	rw_enter(&um->um_lock, RW_WRITER);
	if (um->um_ronly)
		error = EROFS;
	else if ((error = falloc_locked(vp, mode, (uint64_t)off,
	    (uint64_t)off + (uint64_t)len)) == 0) {
		nanotime(&now);
		ip->i_mtime = ip->i_ctime = now;
		error = ffs_update(um, ip);
	}
	rw_exit(&um->um_lock);
	return error;
}
