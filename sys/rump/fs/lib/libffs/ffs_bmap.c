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

int64_t
ffs_getptr(const struct ffs_mount *um, const void *blk, size_t i)
{
	if (um->um_ufs2)
		return (int64_t)ffs_get64(um, blk, i * 8);
	return (int32_t)ffs_get32(um, blk, i * 4);
}

int
ffs_indir_level(const struct ffs_mount *um, uint64_t lbn, uint64_t *relp,
    uint64_t *spanp)
{
	uint64_t span = 1, rel = lbn - UFS_NDADDR;
	int level;

	for (level = 0; level < UFS_NIADDR; level++) {
		span *= um->fs_nindir;
		if (rel < span)
			break;
		rel -= span;
	}
	*relp = rel;
	*spanp = span;
	return level;
}

int
ffs_indir_step(struct ffs_mount *um, const struct ffs_inode *ip, int64_t blk,
    size_t idx, int64_t *path, int *depthp, struct buf **bpp, int64_t *nextp)
{
	int error;

	*bpp = NULL;
	if (!ffs_blkok(um, blk))
		return ffs_corrupt(um, "inode %llu: indirect block at %lld",
		    (unsigned long long)ip->i_number, (long long)blk);
	if ((error = bread(um->um_devvp, FFS_FSBTODB(um, blk),
	    (int)um->fs_bsize, 0, bpp)) != 0)
		return error;
	path[(*depthp)++] = blk;
	*nextp = ffs_getptr(um, (*bpp)->b_data, idx);
	if ((error = ffs_indir_loop(um, ip, path, *depthp, *nextp)) != 0) {
		brelse(*bpp, 0);
		*bpp = NULL;
	}
	return error;
}

int
ffs_bmap(struct ffs_mount *um, const struct ffs_inode *ip, uint64_t lbn,
    int64_t *addrp)
{
	uint64_t n = um->fs_nindir, span, rel;
	int64_t blk, path[UFS_NIADDR];
	struct buf *bp;
	int level, depth = 0, error;

	*addrp = 0;
	if (lbn < UFS_NDADDR) {
		*addrp = ip->i_db[lbn];
		return 0;
	}
	if ((level = ffs_indir_level(um, lbn, &rel, &span)) == UFS_NIADDR)
		return ffs_corrupt(um, "inode %llu: block beyond the triple "
		    "indirect", (unsigned long long)ip->i_number);
	blk = ip->i_ib[level];
	/* Each step picks the pointer for lbn among span / n blocks. */
	for (; span > 1; rel %= span) {
		if (blk == 0)
			return 0;
		span /= n;
		if ((error = ffs_indir_step(um, ip, blk, (size_t)(rel / span),
		    path, &depth, &bp, &blk)) != 0)
			return error;
		brelse(bp, 0);
	}
	*addrp = blk;
	return 0;
}
