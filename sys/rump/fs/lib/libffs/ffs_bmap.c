/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Logical block to frag address.  Blocks 0..11 are in the inode; past
 * them a single, double or triple indirect block tree of fs_nindir
 * pointers per block.  The depth is the tree's level, at most three
 * reads, so a pointer that refers back to an ancestor cannot loop; it
 * is only read as data of the wrong kind.  Every pointer followed is
 * checked to be a whole block inside the file system.
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
ffs_bmap(struct ffs_mount *um, const struct ffs_inode *ip, uint64_t lbn,
    int64_t *addrp)
{
	uint64_t n = um->fs_nindir, span = 1;
	struct buf *bp;
	int64_t blk;
	size_t idx;
	int level, error;

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
		if (um->um_ufs2)
			blk = (int64_t)ffs_get64(um, bp->b_data, idx * 8);
		else
			blk = (int32_t)ffs_get32(um, bp->b_data, idx * 4);
		brelse(bp, 0);
	}
	*addrp = blk;
	return 0;
}
