/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Logical block to frag address.  Blocks 0..11 are in the inode; past
 * them a single, double or triple indirect block tree of fs_nindir
 * pointers per block.  The depth is the tree's level, at most three
 * reads, so a pointer back to an ancestor cannot make the walk loop,
 * but it would have an indirect block read (and written) as data of
 * another kind: a pointer to a block already on the path is a loop in
 * the tree, corruption.  Every pointer followed is checked to be a
 * whole block inside the file system.
 */
#include <sys/systm.h>
#include <sys/buf.h>

#include "ffs.h"

bool
ffs_blkok(const struct ffs_mount *um, int64_t addr)
{
	return addr > 0 && (uint64_t)addr + um->fs_frag <= um->fs_size &&
	    (addr & (um->fs_frag - 1)) == 0;
}

int
ffs_indir_loop(struct ffs_mount *um, const struct ffs_inode *ip,
    const int64_t *path, int depth, int64_t blk)
{
	for (int i = 0; i < depth; i++)
		if (blk == path[i])
			return ffs_corrupt(um, "inode %llu: indirect block at "
			    "%lld points back to itself or an ancestor",
			    (unsigned long long)ip->i_number, (long long)blk);
	return 0;
}

int
ffs_bmap(struct ffs_mount *um, const struct ffs_inode *ip, uint64_t lbn,
    int64_t *addrp)
{
	uint64_t n = um->fs_nindir, span = 1;
	int64_t blk, path[UFS_NIADDR];
	struct buf *bp;
	size_t idx;
	int level, depth = 0, error;

	*addrp = 0;
	if (lbn < UFS_NDADDR) {
		*addrp = ip->i_db[lbn];
		return 0;
	}
	lbn -= UFS_NDADDR;
	for (level = 0; level < UFS_NIADDR; level++) {
		span *= n;
		if (lbn < span)
			break;
		lbn -= span;
	}
	if (level == UFS_NIADDR)
		return ffs_corrupt(um, "inode %llu: block beyond the triple "
		    "indirect", (unsigned long long)ip->i_number);
	blk = ip->i_ib[level];
	/* Each step picks the pointer for lbn among span / n blocks. */
	for (; span > 1; lbn %= span) {
		if (blk == 0)
			return 0;
		if (!ffs_blkok(um, blk))
			return ffs_corrupt(um, "inode %llu: indirect block at "
			    "%lld", (unsigned long long)ip->i_number,
			    (long long)blk);
		span /= n;
		idx = (size_t)(lbn / span);
		if ((error = bread(um->um_devvp, FFS_FSBTODB(um, blk),
		    (int)um->fs_bsize, 0, &bp)) != 0)
			return error;
		path[depth++] = blk;
		if (um->um_ufs2)
			blk = (int64_t)ffs_get64(um, bp->b_data, idx * 8);
		else
			blk = (int32_t)ffs_get32(um, bp->b_data, idx * 4);
		brelse(bp, 0);
		if ((error = ffs_indir_loop(um, ip, path, depth, blk)) != 0)
			return error;
	}
	*addrp = blk;
	return 0;
}
