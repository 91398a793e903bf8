/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The writer's checksums (metadata_csum): every metadata block the
 * writer changes gets its checksum set here just before it is handed to
 * ext2fs_blk_write(), computed exactly as the reader checks it
 * (ext2fs_sb.c, ext2fs_inode.c, ext2fs_dir.c, ext2fs_htree.c,
 * ext2fs_extent.c).  Without metadata_csum these do nothing.  Group
 * descriptors and inodes get theirs where they are written
 * (ext2fs_alloc.c, ext2fs_iwrite.c).
 *
 * No locks: each works on one block the caller holds.
 */
#include <sys/systm.h>

#include "ext2fs_vfs.h"

/* The superblock's crc32c of its first 1020 bytes. */
void
ext2fs_sb_csum_set(struct ext2fs *fs)
{
	if (!fs->e2_metadata_csum)
		return;
	ext2_set_le32(fs->e2_sb + EXT2_SB_CHECKSUM,
	    ext2fs_crc32c(~0u, fs->e2_sb, EXT2_SB_CHECKSUM));
}

/*
 * A directory leaf block of dp: the 12-byte tail record at its end
 * (the records before it end there) and its checksum.
 */
void
ext2fs_dirblk_csum_set(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint8_t *b)
{
	uint8_t *t = b + fs->e2_bsize - EXT2_DIRENT_TAIL_SIZE;

	if (!fs->e2_metadata_csum)
		return;
	memset(t, 0, EXT2_DIRENT_TAIL_SIZE);
	ext2_set_le16(t + EXT2_DIRENT_REC_LEN, EXT2_DIRENT_TAIL_SIZE);
	t[EXT2_DIRENT_FILE_TYPE] = EXT2_DIRENT_TAIL_FT;
	ext2_set_le32(t + EXT2_DIRENT_TAIL_CSUM, ext2fs_crc32c(dp->ei_csum_seed,
	    b, fs->e2_bsize - EXT2_DIRENT_TAIL_SIZE));
}

/* An index node (block 0: the root) of dp, its count and limit set. */
void
ext2fs_dx_csum_set(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, uint8_t *b)
{
	static const uint8_t zero[4];
	size_t off = lblk == 0 ? EXT2_DX_ROOT_ENTRIES : EXT2_DX_NODE_ENTRIES;
	size_t tail = off + (size_t)ext2_le16(b + off + EXT2_DX_LIMIT) *
	    EXT2_DX_ENTRY_SIZE;
	uint32_t count = ext2_le16(b + off + EXT2_DX_COUNT), c;

	if (!fs->e2_metadata_csum || tail + EXT2_DX_TAIL_SIZE > fs->e2_bsize)
		return;
	c = ext2fs_crc32c(dp->ei_csum_seed, b, off + count * EXT2_DX_ENTRY_SIZE);
	c = ext2fs_crc32c(c, b + tail, 4);
	c = ext2fs_crc32c(c, zero, 4);
	ext2_set_le32(b + tail + 4, c);
}

/* An extent tree block of ip: crc32c up to eh_max entries, right after. */
void
ext2fs_extblk_csum_set(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    uint8_t *b)
{
	size_t off = EXT4_EXT_HDR_SIZE +
	    (size_t)ext2_le16(b + EXT4_EH_MAX) * EXT4_EXT_ENTRY_SIZE;

	if (!fs->e2_metadata_csum || off + EXT4_EXT_TAIL_SIZE > fs->e2_bsize)
		return;
	ext2_set_le32(b + off, ext2fs_crc32c(ip->ei_csum_seed, b, off));
}

/*
 * An extended attribute block at blk: crc32c of the fs seed, le64 blk
 * and the block with its checksum field as zero.
 */
void
ext2fs_xattr_csum_set(const struct ext2fs *fs, uint64_t blk, uint8_t *b)
{
	uint8_t le[8];
	uint32_t c;

	if (!fs->e2_metadata_csum)
		return;
	ext2_set_le32(le, (uint32_t)blk);
	ext2_set_le32(le + 4, (uint32_t)(blk >> 32));
	ext2_set_le32(b + EXT2_XATTR_CHECKSUM, 0);
	c = ext2fs_crc32c(fs->e2_csum_seed, le, sizeof(le));
	c = ext2fs_crc32c(c, b, fs->e2_bsize);
	ext2_set_le32(b + EXT2_XATTR_CHECKSUM, c);
}

/* A block or inode bitmap of len bytes (the group's bits). */
uint32_t
ext2fs_bitmap_csum(const struct ext2fs *fs, const uint8_t *map, size_t len)
{
	return ext2fs_crc32c(fs->e2_csum_seed, map, len);
}
