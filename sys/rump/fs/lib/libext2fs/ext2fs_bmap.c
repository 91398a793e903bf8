/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Logical to physical block mapping.  ext2fs_bmap() picks the scheme
 * from the inode's flags; this file holds the classic one of ext2 and
 * ext3: twelve direct pointers, then single, double and triple indirect
 * blocks of le32 pointers, 0 meaning a hole.  Every pointer is checked
 * to lie inside the file system before it is read or returned.
 *
 * Both schemes return, with the physical block (0 for a hole or an
 * unwritten extent: read as zeros), how many blocks from the asked one
 * on map the same way (contiguously, or all holes), so that a reader can
 * move a long run with one device read.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

int
ext2fs_bmap(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    uint64_t lblk, uint64_t *pblkp, uint64_t *runp)
{
	if (ip->ei_flags & EXT4_INLINE_DATA_FL)
		return ext2fs_corrupt(fs, "inode %u: block map of inline data",
		    ip->ei_ino);
	if (ip->ei_flags & EXT4_EXTENTS_FL)
		return ext2fs_bmap_extent(fs, ip, lblk, pblkp, runp);
	return ext2fs_bmap_indirect(fs, ip, lblk, pblkp, runp);
}

/*
 * How many of the n pointers from p on continue the run p[0] starts:
 * consecutive blocks, or all holes.
 */
static uint64_t
ptr_run(const uint8_t *p, uint32_t n)
{
	uint32_t first = ext2_le32(p), k;

	for (k = 1; k < n; k++) {
		uint32_t b = ext2_le32(p + 4 * k);

		if (first == 0 ? b != 0 : b != first + k)
			break;
	}
	return k;
}

int
ext2fs_bmap_indirect(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    uint64_t lblk, uint64_t *pblkp, uint64_t *runp)
{
	uint32_t ashift = fs->e2_bshift - 2;    /* log2(pointers per block) */
	uint64_t span, blk, idx;
	uint8_t *buf;
	int level, error = 0;

	if (lblk < EXT2_NDADDR) {
		blk = ext2_le32(ip->ei_block + 4 * lblk);
		*runp = ptr_run(ip->ei_block + 4 * lblk,
		    EXT2_NDADDR - (uint32_t)lblk);
		goto found;
	}
	/* Which tree: level 1, 2 or 3 indirections, span = blocks under it. */
	lblk -= EXT2_NDADDR;
	for (level = 1; level <= 3; level++) {
		span = (uint64_t)1 << (ashift * level);
		if (lblk < span)
			break;
		lblk -= span;
	}
	if (level > 3)
		return ext2fs_corrupt(fs, "inode %u: block past the triple "
		    "indirect range", ip->ei_ino);
	blk = ext2_le32(ip->ei_block + 4 * (EXT2_IND_BLOCK + level - 1));
	if ((buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	/* span: blocks under one pointer of the block being read. */
	for (span = (uint64_t)1 << (ashift * level); level > 0; level--) {
		if (blk == 0) {
			/* A hole to the end of this pointer's subtree. */
			*runp = span - (lblk & (span - 1));
			goto out;
		}
		if (!ext2fs_blk_ok(fs, blk, 1)) {
			error = ext2fs_corrupt(fs, "inode %u: indirect block "
			    "%llu out of range", ip->ei_ino,
			    (unsigned long long)blk);
			goto out;
		}
		if ((error = ext2fs_bread(fs, blk, buf)) != 0)
			goto out;
		span >>= ashift;
		idx = (lblk >> (ashift * (level - 1))) & (((uint64_t)1 << ashift) - 1);
		blk = ext2_le32(buf + 4 * idx);
		if (level == 1)
			*runp = ptr_run(buf + 4 * idx,
			    (uint32_t)((1u << ashift) - idx));
	}
	kmem_free(buf, fs->e2_bsize);
found:
	if (blk != 0 && !ext2fs_blk_ok(fs, blk, *runp))
		return ext2fs_corrupt(fs, "inode %u: data block %llu out of "
		    "range", ip->ei_ino, (unsigned long long)blk);
	*pblkp = blk;
	return 0;
out:
	kmem_free(buf, fs->e2_bsize);
	*pblkp = 0;
	return error;
}
