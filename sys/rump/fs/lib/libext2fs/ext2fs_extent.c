/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extent trees (ext4): from the root in i_block down to a leaf, each
 * node's header is checked (magic, entries <= max <= what fits, depth
 * exactly one less than its parent's, so a walk ends after at most
 * EXT4_EXT_MAX_DEPTH reads whatever the image says and a loop cannot
 * exist), its keys must be strictly increasing, its extents must not
 * overlap, and every child or data block must lie inside the file
 * system.  Tree blocks carry a crc32c with metadata_csum.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

/*
 * Check a node of capacity room entries (the root: what fits in i_block;
 * a tree block: what fits before its checksum tail) at the depth the
 * parent promised (-1 for the root).
 */
int
ext2fs_ext_node_check(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    const uint8_t *h, uint32_t room, int depth, uint64_t blk)
{
	uint16_t entries = ext2_le16(h + EXT4_EH_ENTRIES);
	uint16_t max = ext2_le16(h + EXT4_EH_MAX);
	uint16_t d = ext2_le16(h + EXT4_EH_DEPTH);

	if (ext2_le16(h + EXT4_EH_MAGIC) != EXT4_EXT_MAGIC)
		return ext2fs_corrupt(fs, "inode %u: extent block %llu: bad "
		    "magic 0x%04x", ip->ei_ino, (unsigned long long)blk,
		    ext2_le16(h + EXT4_EH_MAGIC));
	if (max > room || entries > max)
		return ext2fs_corrupt(fs, "inode %u: extent block %llu: %u "
		    "entries, max %u, room for %u", ip->ei_ino,
		    (unsigned long long)blk, entries, max, room);
	if (d > EXT4_EXT_MAX_DEPTH || (depth >= 0 && d != depth))
		return ext2fs_corrupt(fs, "inode %u: extent block %llu: depth "
		    "%u, expected %d", ip->ei_ino, (unsigned long long)blk, d,
		    depth);
	if (d > 0 && entries == 0)
		return ext2fs_corrupt(fs, "inode %u: extent block %llu: empty "
		    "index", ip->ei_ino, (unsigned long long)blk);
	return 0;
}

int
ext2fs_ext_csum_check(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    const uint8_t *buf, uint64_t blk)
{
	size_t off;

	if (!fs->e2_metadata_csum)
		return 0;
	off = EXT4_EXT_HDR_SIZE +
	    (size_t)ext2_le16(buf + EXT4_EH_MAX) * EXT4_EXT_ENTRY_SIZE;
	if (ext2fs_crc32c(ip->ei_csum_seed, buf, off) != ext2_le32(buf + off))
		return ext2fs_corrupt(fs, "inode %u: extent block %llu: "
		    "checksum", ip->ei_ino, (unsigned long long)blk);
	return 0;
}

/*
 * In an index node: the child covering lblk (0 when lblk lies before the
 * first key: a hole up to it), and the next key as a bound on runs.
 */
static int
index_pick(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    const uint8_t *h, uint64_t lblk, uint64_t *childp, uint64_t *limitp)
{
	const uint8_t *e = h + EXT4_EXT_HDR_SIZE;
	uint16_t n = ext2_le16(h + EXT4_EH_ENTRIES);
	uint32_t k;
	int pick = -1;

	for (int i = 0; i < n; i++, e += EXT4_EXT_ENTRY_SIZE) {
		k = ext2_le32(e + EXT4_EI_BLOCK);
		if (i > 0 && k <= ext2_le32(e - EXT4_EXT_ENTRY_SIZE +
		    EXT4_EI_BLOCK))
			return ext2fs_corrupt(fs, "inode %u: extent index keys "
			    "out of order", ip->ei_ino);
		if (k <= lblk)
			pick = i;
		else {
			if (k < *limitp)
				*limitp = k;
			break;
		}
	}
	if (pick < 0) {
		*childp = 0;
		return 0;
	}
	e = h + EXT4_EXT_HDR_SIZE + (size_t)pick * EXT4_EXT_ENTRY_SIZE;
	*childp = ext2_le32(e + EXT4_EI_LEAF_LO) |
	    (uint64_t)ext2_le16(e + EXT4_EI_LEAF_HI) << 32;
	if (!ext2fs_blk_ok(fs, *childp, 1))
		return ext2fs_corrupt(fs, "inode %u: extent tree block %llu out "
		    "of range", ip->ei_ino, (unsigned long long)*childp);
	return 0;
}

/* In a leaf: map lblk, or report a hole up to the next extent. */
static int
leaf_map(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    const uint8_t *h, uint64_t lblk, uint64_t limit, uint64_t *pblkp,
    uint64_t *runp)
{
	const uint8_t *e = h + EXT4_EXT_HDR_SIZE;
	uint16_t n = ext2_le16(h + EXT4_EH_ENTRIES);
	uint64_t first, len, start, prev_end = 0;
	bool unwritten;

	for (int i = 0; i < n; i++, e += EXT4_EXT_ENTRY_SIZE) {
		first = ext2_le32(e + EXT4_EE_BLOCK);
		len = ext2_le16(e + EXT4_EE_LEN);
		unwritten = len > EXT4_EXT_INIT_MAX_LEN;
		if (unwritten)
			len -= EXT4_EXT_INIT_MAX_LEN;
		if (len == 0 || first < prev_end)
			return ext2fs_corrupt(fs, "inode %u: extent at %llu "
			    "of %llu blocks overlaps or is empty", ip->ei_ino,
			    (unsigned long long)first, (unsigned long long)len);
		prev_end = first + len;
		if (lblk >= prev_end)
			continue;
		if (lblk < first) {
			/* In a hole before this extent. */
			if (first < limit)
				limit = first;
			break;
		}
		start = ext2_le32(e + EXT4_EE_START_LO) |
		    (uint64_t)ext2_le16(e + EXT4_EE_START_HI) << 32;
		if (!ext2fs_blk_ok(fs, start, len))
			return ext2fs_corrupt(fs, "inode %u: extent to blocks "
			    "%llu+%llu out of range", ip->ei_ino,
			    (unsigned long long)start, (unsigned long long)len);
		*pblkp = unwritten ? 0 : start + (lblk - first);
		*runp = MIN(len - (lblk - first), limit - lblk);
		return 0;
	}
	*pblkp = 0;
	*runp = limit - lblk;
	return 0;
}

/* Entries a tree block has room for (before its checksum tail). */
uint32_t
ext2fs_ext_room(const struct ext2fs *fs)
{
	return (fs->e2_bsize - EXT4_EXT_HDR_SIZE -
	    (fs->e2_metadata_csum ? EXT4_EXT_TAIL_SIZE : 0)) /
	    EXT4_EXT_ENTRY_SIZE;
}

int
ext2fs_bmap_extent(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    uint64_t lblk, uint64_t *pblkp, uint64_t *runp)
{
	uint32_t room = ext2fs_ext_room(fs);
	/* Logical blocks are 32-bit: nothing maps at or past 2^32. */
	uint64_t child = 0, limit = (uint64_t)1 << 32;
	const uint8_t *h = ip->ei_block;
	uint8_t *buf = NULL;
	int depth, error;

	if (lblk >= limit)
		return ext2fs_corrupt(fs, "inode %u: block %llu past the "
		    "extent range", ip->ei_ino, (unsigned long long)lblk);
	if ((error = ext2fs_ext_node_check(fs, ip, h, (EXT2_I_BLOCK_LEN -
	    EXT4_EXT_HDR_SIZE) / EXT4_EXT_ENTRY_SIZE, -1, 0)) != 0)
		return error;
	for (depth = ext2_le16(h + EXT4_EH_DEPTH); depth > 0; depth--) {
		if ((error = index_pick(fs, ip, h, lblk, &child, &limit)) != 0)
			goto out;
		if (child == 0) {
			*pblkp = 0;
			*runp = limit - lblk;
			goto out;
		}
		if (buf == NULL &&
		    (buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
		if ((error = ext2fs_bread(fs, child, buf)) != 0 ||
		    (error = ext2fs_ext_node_check(fs, ip, buf, room, depth - 1,
		    child)) != 0 ||
		    (error = ext2fs_ext_csum_check(fs, ip, buf, child)) != 0)
			goto out;
		h = buf;
	}
	error = leaf_map(fs, ip, h, lblk, limit, pblkp, runp);
out:
	if (buf != NULL)
		kmem_free(buf, fs->e2_bsize);
	return error;
}
