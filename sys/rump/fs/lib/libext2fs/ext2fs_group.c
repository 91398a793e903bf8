/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Group descriptors: find the descriptor table's blocks (one run after
 * the superblock, or spread over the meta groups with meta_bg), verify
 * each descriptor's checksum (crc16 with gdt_csum, crc32c with
 * metadata_csum), and keep the decoded bitmap and inode table locations,
 * each checked to lie inside the file system (inside its own group
 * unless flex_bg lets it live elsewhere).
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

#define EXT2_SB_BACKUP_BGS 0x24C        /* le32[2], sparse_super2 */

/* Whether group g holds a superblock backup (or the superblock). */
bool
ext2fs_group_has_super(const struct ext2fs *fs, uint32_t g)
{
	uint32_t n;

	if (g == 0)
		return true;
	if (fs->e2_compat & EXT2F_COMPAT_SPARSE_SUPER2)
		return g == ext2_le32(fs->e2_sb + EXT2_SB_BACKUP_BGS) ||
		    g == ext2_le32(fs->e2_sb + EXT2_SB_BACKUP_BGS + 4);
	if (g == 1 || !(fs->e2_rocompat & EXT2F_ROCOMPAT_SPARSE_SUPER))
		return true;
	/* Powers of 3, 5 and 7. */
	for (uint32_t base = 3; base <= 7; base += 2) {
		for (n = base; n < g; n *= base)
			if (n > UINT32_MAX / base)
				break;
		if (n == g)
			return true;
	}
	return false;
}

static uint64_t
group_first_block(const struct ext2fs *fs, uint32_t g)
{
	return fs->e2_first_data_block + (uint64_t)g * fs->e2_bpg;
}

/* The block holding descriptor block i of the table. */
static uint64_t
desc_block(const struct ext2fs *fs, uint32_t i, uint32_t dpb)
{
	uint32_t first_meta, g;
	uint64_t b;

	first_meta = ext2_le32(fs->e2_sb + EXT2_SB_FIRST_META_BG);
	/*
	 * The table follows the block holding the superblock (byte 1024):
	 * block 2 with 1 KiB blocks, even under bigalloc, whose first data
	 * block is 0 rather than 1.
	 */
	if (!(fs->e2_incompat & EXT2F_INCOMPAT_META_BG) || i < first_meta)
		return 1024 / fs->e2_bsize + 1 + (uint64_t)i;
	g = i * dpb;                    /* i < groups / dpb: no overflow */
	b = group_first_block(fs, g);
	if (ext2fs_group_has_super(fs, g))
		b++;
	/* 1 KiB blocks, bigalloc: block 0 is the boot block, 1 the super. */
	if (fs->e2_bsize == 1024 && fs->e2_first_data_block == 0)
		b++;
	return b;
}

/*
 * The checksum a descriptor must carry: the low half of crc32c with
 * metadata_csum, crc16 with gdt_csum, over the group number and the
 * descriptor without its checksum field.
 */
uint16_t
ext2fs_desc_csum(const struct ext2fs *fs, uint32_t g, const uint8_t *d)
{
	static const uint8_t zero[2];
	uint8_t gle[4];
	uint32_t c;
	uint16_t c16;

	ext2_set_le32(gle, g);
	if (fs->e2_metadata_csum) {
		c = ext2fs_crc32c(fs->e2_csum_seed, gle, 4);
		c = ext2fs_crc32c(c, d, EXT2_GD_CHECKSUM);
		c = ext2fs_crc32c(c, zero, 2);
		c = ext2fs_crc32c(c, d + EXT2_GD_CHECKSUM + 2,
		    fs->e2_desc_size - EXT2_GD_CHECKSUM - 2);
		return (uint16_t)c;
	}
	c16 = ext2fs_crc16(0xffff, fs->e2_sb + EXT2_SB_UUID, 16);
	c16 = ext2fs_crc16(c16, gle, 4);
	c16 = ext2fs_crc16(c16, d, EXT2_GD_CHECKSUM);
	if (fs->e2_desc_size > EXT2_GD_SIZE)
		c16 = ext2fs_crc16(c16, d + EXT2_GD_SIZE,
		    fs->e2_desc_size - EXT2_GD_SIZE);
	return c16;
}

static bool
desc_csum_ok(const struct ext2fs *fs, uint32_t g, const uint8_t *d)
{
	return ext2fs_desc_csum(fs, g, d) == ext2_le16(d + EXT2_GD_CHECKSUM);
}

static int
desc_decode(struct ext2fs *fs, uint32_t g, const uint8_t *d)
{
	struct ext2fs_group *eg = &fs->e2_groups[g];
	bool wide = fs->e2_desc_size >= EXT2_GD_SIZE_64BIT;
	uint64_t lo, hi;

	if ((fs->e2_metadata_csum || fs->e2_gdt_csum) &&
	    !desc_csum_ok(fs, g, d))
		return ext2fs_corrupt(fs, "checksum of group %u descriptor", g);
	eg->eg_block_bitmap = ext2_le32(d + EXT2_GD_BLOCK_BITMAP);
	eg->eg_inode_bitmap = ext2_le32(d + EXT2_GD_INODE_BITMAP);
	eg->eg_inode_table = ext2_le32(d + EXT2_GD_INODE_TABLE);
	if (wide) {
		eg->eg_block_bitmap |=
		    (uint64_t)ext2_le32(d + EXT2_GD_BLOCK_BITMAP_HI) << 32;
		eg->eg_inode_bitmap |=
		    (uint64_t)ext2_le32(d + EXT2_GD_INODE_BITMAP_HI) << 32;
		eg->eg_inode_table |=
		    (uint64_t)ext2_le32(d + EXT2_GD_INODE_TABLE_HI) << 32;
	}
	if (fs->e2_metadata_csum || fs->e2_gdt_csum) {
		eg->eg_flags = ext2_le16(d + EXT2_GD_FLAGS);
		eg->eg_itable_unused = ext2_le16(d + EXT2_GD_ITABLE_UNUSED);
		if (wide)
			eg->eg_itable_unused |=
			    (uint32_t)ext2_le16(d + EXT2_GD_ITABLE_UNUSED_HI)
			    << 16;
		if (eg->eg_itable_unused > fs->e2_ipg)
			return ext2fs_corrupt(fs, "group %u: %u unused inodes "
			    "of %u", g, eg->eg_itable_unused, fs->e2_ipg);
	}

	/* Without flex_bg a group's metadata lives in the group. */
	lo = fs->e2_first_data_block + 1;
	hi = fs->e2_nblocks;
	if (!(fs->e2_incompat & EXT2F_INCOMPAT_FLEX_BG)) {
		lo = group_first_block(fs, g);
		if (lo + fs->e2_bpg < hi)
			hi = lo + fs->e2_bpg;
	}
	if (eg->eg_block_bitmap < lo || eg->eg_block_bitmap >= hi ||
	    eg->eg_inode_bitmap < lo || eg->eg_inode_bitmap >= hi ||
	    eg->eg_inode_table < lo || eg->eg_inode_table >= hi ||
	    fs->e2_itable_blocks > hi - eg->eg_inode_table)
		return ext2fs_corrupt(fs, "group %u: bitmaps at %llu, %llu, "
		    "inode table at %llu, outside blocks %llu..%llu", g,
		    (unsigned long long)eg->eg_block_bitmap,
		    (unsigned long long)eg->eg_inode_bitmap,
		    (unsigned long long)eg->eg_inode_table,
		    (unsigned long long)lo, (unsigned long long)hi - 1);
	return 0;
}

/*
 * Load and check every group descriptor into fs->e2_groups.  EINVAL
 * when one is bad (the mount fails), EIO or ENOMEM.
 */
int
ext2fs_groups_load(struct ext2fs *fs)
{
	uint32_t dpb = fs->e2_bsize / fs->e2_desc_size;
	uint32_t nblk = (fs->e2_ngroups + dpb - 1) / dpb;
	size_t gsize = (size_t)fs->e2_ngroups * sizeof(*fs->e2_groups);
	uint8_t *buf;
	uint64_t b;
	int error = 0;

	if ((fs->e2_groups = kmem_zalloc(gsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < nblk && error == 0; i++) {
		b = desc_block(fs, i, dpb);
		if (b >= fs->e2_nblocks) {
			error = ext2fs_corrupt(fs, "group descriptor block %u "
			    "at %llu out of range", i, (unsigned long long)b);
			break;
		}
		if ((error = ext2fs_devread(fs, b << fs->e2_bshift, buf,
		    fs->e2_bsize)) != 0)
			break;
		for (uint32_t j = 0; j < dpb && i * dpb + j < fs->e2_ngroups;
		     j++)
			if ((error = desc_decode(fs, i * dpb + j,
			    buf + (size_t)j * fs->e2_desc_size)) != 0)
				break;
	}
	kmem_free(buf, fs->e2_bsize);
out:
	if (error != 0) {
		kmem_free(fs->e2_groups, gsize);
		fs->e2_groups = NULL;
		if (error == EIO)
			error = EINVAL;
	}
	return error;
}

/* Byte offset on the device of group g's descriptor. */
uint64_t
ext2fs_desc_off(const struct ext2fs *fs, uint32_t g)
{
	uint32_t dpb = fs->e2_bsize / fs->e2_desc_size;

	return (desc_block(fs, g / dpb, dpb) << fs->e2_bshift) +
	    (uint64_t)(g % dpb) * fs->e2_desc_size;
}

/*
 * Blocks of group descriptor table (and its reserve for growing) that
 * group g carries: all of them after a superblock copy, or with meta_bg
 * one block in the first, second and last group of each meta group.
 */
uint32_t
ext2fs_group_gdt_blocks(const struct ext2fs *fs, uint32_t g)
{
	uint32_t dpb = fs->e2_bsize / fs->e2_desc_size;
	uint32_t first_meta = ext2_le32(fs->e2_sb + EXT2_SB_FIRST_META_BG);
	uint32_t nblk = (fs->e2_ngroups + dpb - 1) / dpb, m;

	if (!(fs->e2_incompat & EXT2F_INCOMPAT_META_BG) ||
	    g / dpb < first_meta) {
		if (!ext2fs_group_has_super(fs, g))
			return 0;
		if (fs->e2_incompat & EXT2F_INCOMPAT_META_BG)
			nblk = first_meta;
		return nblk + ext2_le16(fs->e2_sb + EXT2_SB_RESERVED_GDT);
	}
	m = g % dpb;
	return m == 0 || m == 1 || m == dpb - 1 ? 1 : 0;
}
