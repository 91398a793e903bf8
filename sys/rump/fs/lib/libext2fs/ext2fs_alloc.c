/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The writer's bookkeeping: blocks of the device through the buffer
 * cache, block and inode allocation in the group bitmaps, the free
 * counts of each group descriptor and the superblock's totals.
 *
 * Placement follows the usual ext2 policy: a file's blocks go after its
 * previous block, or into its inode's group; a new file's inode goes in
 * its directory's group; a new directory's inode in a group with at
 * least the average number of free inodes and the fewest directories,
 * which spreads the tree over the disk.  Every bitmap bit is checked
 * before it is flipped: a block freed twice or a count that disagrees
 * with its bitmap is corruption (EIO and a log line), never a reason to
 * hand out a block in use.
 *
 * Descriptors: the counts with their high halves (64bit), and with
 * uninit_bg or metadata_csum the group's flags, its never-used inode
 * count and the descriptor's checksum; with metadata_csum also the
 * checksum of a bitmap, set in the descriptor before the changed bitmap
 * is handed over.  A group still BLOCK_UNINIT or INODE_UNINIT has no
 * bitmap on the disk: it is made when the group is first allocated
 * from, and the flag goes (fs->e2_groups[] changes, under em_lock).
 *
 * Called with em_lock held as writer (ext2fs_vfs.h).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/param.h>

#include "ext2fs_vfs.h"

static daddr_t
dev_blkno(const struct ext2fs_mount *em, uint64_t blk)
{
	return (daddr_t)(blk << (em->em_fs->e2_bshift - DEV_BSHIFT));
}

/*
 * A read-only mount of a file system whose journal needs recovery reads
 * block blk as the journal has it (ext2fs_journal_vfs.c).
 */
static int
journal_overlay(struct ext2fs_mount *em, uint64_t blk, struct buf **bpp)
{
	int error;

	if ((error = ext2fs_journal_overlay(em, blk << em->em_fs->e2_bshift,
	    (*bpp)->b_data, em->em_fs->e2_bsize)) != 0) {
		brelse(*bpp, 0);
		*bpp = NULL;
	}
	return error;
}

/* Read file-system block blk through the cache (the caller checked it). */
int
ext2fs_blk_read(struct ext2fs_mount *em, uint64_t blk, struct buf **bpp)
{
	int error;

	error = bread(em->em_devvp, dev_blkno(em, blk),
	    (int)em->em_fs->e2_bsize, 0, bpp);
	if (error == 0 && em->em_journal != NULL)
		error = journal_overlay(em, blk, bpp);
	if (error == 0 && em->em_jw != NULL)
		ext2fs_jw_overlay(em, blk << em->em_fs->e2_bshift,
		    (*bpp)->b_data, em->em_fs->e2_bsize);
	return error;
}

/*
 * Block blk as ext2fs_blk_read(), asking ahead for the nra blocks that
 * follow it (a file's contiguous run: the device reads them while the
 * caller copies this one).
 */
int
ext2fs_blk_readahead(struct ext2fs_mount *em, uint64_t blk, unsigned nra,
    struct buf **bpp)
{
	daddr_t rablks[EXT2FS_MAXREADAHEAD];
	int rasizes[EXT2FS_MAXREADAHEAD];
	int error;

	nra = MIN(nra, EXT2FS_MAXREADAHEAD);
	for (unsigned i = 0; i < nra; i++) {
		rablks[i] = dev_blkno(em, blk + 1 + i);
		rasizes[i] = (int)em->em_fs->e2_bsize;
	}
	error = breadn(em->em_devvp, dev_blkno(em, blk),
	    (int)em->em_fs->e2_bsize, rablks, rasizes, (int)nra, 0, bpp);
	if (error == 0 && em->em_journal != NULL)
		error = journal_overlay(em, blk, bpp);
	if (error == 0 && em->em_jw != NULL)
		ext2fs_jw_overlay(em, blk << em->em_fs->e2_bshift,
		    (*bpp)->b_data, em->em_fs->e2_bsize);
	return error;
}

/* The buffer of block blk, not read: it is about to be overwritten. */
struct buf *
ext2fs_blk_get(struct ext2fs_mount *em, uint64_t blk)
{
	return getblk(em->em_devvp, dev_blkno(em, blk),
	    (int)em->em_fs->e2_bsize, 0, 0);
}

/*
 * Hand over bp, changed: to the disk later, or with sync now (waited
 * for).  Every block the writer changes goes this way, the superblock
 * through ext2fs_sb_write(): the first change of the mount marks the
 * disk in use first.  If that cannot be done, the change is dropped
 * (the disk stays as it was) and the error returned.  What the reader
 * noted of the block's checks goes (ext2fs_devbread_chk): it is checked
 * again at its next read, unless the writer hands it over with the note
 * of a check it passes as written (ext2fs_blk_write_noted).
 */
int
ext2fs_blk_write(struct ext2fs_mount *em, struct buf *bp, bool sync)
{
	return ext2fs_blk_write_noted(em, bp, sync, 0);
}

int
ext2fs_blk_write_noted(struct ext2fs_mount *em, struct buf *bp, bool sync,
    uint64_t note)
{
	int error;

	bp->b_fschecked = note;
	if ((error = ext2fs_markdirty(em)) != 0) {
		brelse(bp, B_INVAL);
		return error;
	}
	if (em->em_jw != NULL)
		return ext2fs_jw_add(em, bp);
	if (sync)
		return bwrite(bp);
	bdwrite(bp);
	return 0;
}

/*
 * A delayed write of bp, outside any journal transaction: file data of
 * a journaled mount (ext2fs_blk_write_data()).
 */
int
ext2fs_blk_write_direct(struct ext2fs_mount *em, struct buf *bp)
{
	int error;

	bp->b_fschecked = 0;
	if ((error = ext2fs_markdirty(em)) != 0) {
		brelse(bp, B_INVAL);
		return error;
	}
	bdwrite(bp);
	return 0;
}

/* Read-modify-write len bytes at byte offset off (inside one block). */
static int
dev_update(struct ext2fs_mount *em, uint64_t off, const void *src,
    size_t len)
{
	const struct ext2fs *fs = em->em_fs;
	struct buf *bp;
	int error;

	if ((error = ext2fs_blk_read(em, off >> fs->e2_bshift, &bp)) != 0)
		return error;
	memcpy((char *)bp->b_data + (off & (fs->e2_bsize - 1)), src, len);
	return ext2fs_blk_write(em, bp, false);
}

static bool
has_gd_csum(const struct ext2fs *fs)
{
	return fs->e2_metadata_csum || fs->e2_gdt_csum;
}

static void
set_split16(uint8_t *d, size_t lo, size_t hi, uint32_t v, bool wide)
{
	ext2_set_le16(d + lo, (uint16_t)v);
	if (wide)
		ext2_set_le16(d + hi, (uint16_t)(v >> 16));
}

/*
 * Write group g's descriptor from the counts, the flags and unused
 * inodes of fs->e2_groups[g] and, when given, the checksum of its
 * changed block bitmap (bmap) or inode bitmap (imap); then its own
 * checksum.  Called before the changed bitmap is handed over.
 */
static int
gd_update(struct ext2fs_mount *em, uint32_t g, const uint8_t *bmap,
    const uint8_t *imap)
{
	const struct ext2fs *fs = em->em_fs;
	const struct ext2fs_group *eg = &fs->e2_groups[g];
	bool wide = fs->e2_desc_size >= EXT2_GD_SIZE_64BIT;
	bool csumhi = fs->e2_desc_size >= EXT2_GD_CSUM_HI_END;
	uint8_t d[EXT2_GD_MAX_SIZE];
	uint64_t off = ext2fs_desc_off(fs, g);
	int error;

	if ((error = ext2fs_devread(fs, off, d, fs->e2_desc_size)) != 0)
		return error;
	set_split16(d, EXT2_GD_FREE_BLOCKS, EXT2_GD_FREE_BLOCKS_HI,
	    em->em_gfree_blocks[g], wide);
	set_split16(d, EXT2_GD_FREE_INODES, EXT2_GD_FREE_INODES_HI,
	    em->em_gfree_inodes[g], wide);
	set_split16(d, EXT2_GD_USED_DIRS, EXT2_GD_USED_DIRS_HI,
	    em->em_gdirs[g], wide);
	if (has_gd_csum(fs)) {
		ext2_set_le16(d + EXT2_GD_FLAGS, eg->eg_flags);
		set_split16(d, EXT2_GD_ITABLE_UNUSED, EXT2_GD_ITABLE_UNUSED_HI,
		    eg->eg_itable_unused, wide);
	}
	if (fs->e2_metadata_csum && bmap != NULL)
		set_split16(d, EXT2_GD_BBITMAP_CSUM, EXT2_GD_BBITMAP_CSUM_HI,
		    ext2fs_bitmap_csum(fs, bmap, fs->e2_bpg / 8), csumhi);
	if (fs->e2_metadata_csum && imap != NULL)
		set_split16(d, EXT2_GD_IBITMAP_CSUM, EXT2_GD_IBITMAP_CSUM_HI,
		    ext2fs_bitmap_csum(fs, imap, fs->e2_ipg / 8), csumhi);
	if (has_gd_csum(fs))
		ext2_set_le16(d + EXT2_GD_CHECKSUM, ext2fs_desc_csum(fs, g, d));
	return dev_update(em, off, d, fs->e2_desc_size);
}

static uint32_t
group_nblocks(const struct ext2fs *fs, uint32_t g)
{
	uint64_t first = fs->e2_first_data_block + (uint64_t)g * fs->e2_bpg;

	return (uint32_t)MIN((uint64_t)fs->e2_bpg, fs->e2_nblocks - first);
}

/* Load the per-group counts of a read-write mount from the descriptors. */
int
ext2fs_counts_load(struct ext2fs_mount *em)
{
	const struct ext2fs *fs = em->em_fs;
	size_t sz = (size_t)fs->e2_ngroups * sizeof(uint32_t);
	bool wide = fs->e2_desc_size >= EXT2_GD_SIZE_64BIT;
	uint8_t d[EXT2_GD_MAX_SIZE];
	struct timespec now;
	int error;

	em->em_gfree_blocks = kmem_zalloc(sz, KM_SLEEP);
	em->em_gfree_inodes = kmem_zalloc(sz, KM_SLEEP);
	em->em_gdirs = kmem_zalloc(sz, KM_SLEEP);
	if (em->em_gfree_blocks == NULL || em->em_gfree_inodes == NULL ||
	    em->em_gdirs == NULL) {
		ext2fs_counts_free(em);
		return ENOMEM;
	}
	em->em_free_blocks = 0;
	em->em_free_inodes = 0;
	for (uint32_t g = 0; g < fs->e2_ngroups; g++) {
		if ((error = ext2fs_devread(fs, ext2fs_desc_off(fs, g), d,
		    fs->e2_desc_size)) != 0) {
			ext2fs_counts_free(em);
			return error;
		}
		em->em_gfree_blocks[g] = ext2_le16(d + EXT2_GD_FREE_BLOCKS);
		em->em_gfree_inodes[g] = ext2_le16(d + EXT2_GD_FREE_INODES);
		em->em_gdirs[g] = ext2_le16(d + EXT2_GD_USED_DIRS);
		if (wide) {
			em->em_gfree_blocks[g] |=
			    (uint32_t)ext2_le16(d + EXT2_GD_FREE_BLOCKS_HI) << 16;
			em->em_gfree_inodes[g] |=
			    (uint32_t)ext2_le16(d + EXT2_GD_FREE_INODES_HI) << 16;
			em->em_gdirs[g] |=
			    (uint32_t)ext2_le16(d + EXT2_GD_USED_DIRS_HI) << 16;
		}
		if (em->em_gfree_blocks[g] > group_nblocks(fs, g) ||
		    em->em_gfree_inodes[g] > fs->e2_ipg ||
		    em->em_gdirs[g] > fs->e2_ipg) {
			(void)ext2fs_corrupt(fs, "group %u: %u free blocks, %u "
			    "free inodes, %u directories", g,
			    em->em_gfree_blocks[g], em->em_gfree_inodes[g],
			    em->em_gdirs[g]);
			ext2fs_counts_free(em);
			return EINVAL;
		}
		em->em_free_blocks += em->em_gfree_blocks[g];
		em->em_free_inodes += em->em_gfree_inodes[g];
	}
	nanotime(&now);
	em->em_gen = (uint32_t)now.tv_nsec ^ (uint32_t)now.tv_sec;
	return 0;
}

void
ext2fs_counts_free(struct ext2fs_mount *em)
{
	size_t sz = (size_t)em->em_fs->e2_ngroups * sizeof(uint32_t);

	if (em->em_gfree_blocks != NULL)
		kmem_free(em->em_gfree_blocks, sz);
	if (em->em_gfree_inodes != NULL)
		kmem_free(em->em_gfree_inodes, sz);
	if (em->em_gdirs != NULL)
		kmem_free(em->em_gdirs, sz);
	em->em_gfree_blocks = em->em_gfree_inodes = em->em_gdirs = NULL;
}

/*
 * Write the superblock (fs->e2_sb) into its block; with sync, to the
 * disk now.  As any change, the mount's first marks the disk first
 * (before the block is taken: the mark writes this block too).
 */
int
ext2fs_sb_write(struct ext2fs_mount *em, bool sync)
{
	struct ext2fs *fs = em->em_fs;
	struct buf *bp;
	uint64_t blk = EXT2_SB_OFFSET >> fs->e2_bshift;
	int error;

	if ((error = ext2fs_markdirty(em)) != 0)
		return error;
	if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
		return error;
	ext2fs_sb_csum_set(fs);
	memcpy((char *)bp->b_data + (EXT2_SB_OFFSET & (fs->e2_bsize - 1)),
	    fs->e2_sb, EXT2_SB_SIZE);
	if (em->em_jw != NULL)
		return ext2fs_jw_add(em, bp);
	if (sync)
		return bwrite(bp);
	bdwrite(bp);
	return 0;
}

/* Find a clear bit in [from, to) of a bitmap; -1 if none. */
static int64_t
bit_find(const uint8_t *map, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		if ((i & 7) == 0 && map[i >> 3] == 0xff && i + 8 <= to) {
			i += 7;
			continue;
		}
		if ((map[i >> 3] & (1u << (i & 7))) == 0)
			return i;
	}
	return -1;
}

/* Whether blk is one of group g's bitmaps or inode table blocks. */
static bool
is_group_meta(const struct ext2fs *fs, uint32_t g, uint64_t blk)
{
	const struct ext2fs_group *eg = &fs->e2_groups[g];

	return blk == eg->eg_block_bitmap || blk == eg->eg_inode_bitmap ||
	    (blk >= eg->eg_inode_table &&
	    blk < eg->eg_inode_table + fs->e2_itable_blocks);
}

static void
bit_set_range(uint8_t *map, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		map[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/*
 * Group g's block bitmap, for changing.  A group still marked
 * BLOCK_UNINIT has none on the disk yet: it is made here from what the
 * group holds (superblock copy, descriptor table and its reserve, and
 * the bitmaps and inode tables of any group placed in it, as flex_bg
 * does), with the bits past the group's end set; the flag goes when the
 * caller writes the descriptor.
 */
static int
bbitmap_get(struct ext2fs_mount *em, uint32_t g, struct buf **bpp)
{
	struct ext2fs *fs = em->em_fs;
	struct ext2fs_group *eg = &fs->e2_groups[g], *o;
	uint64_t first = fs->e2_first_data_block + (uint64_t)g * fs->e2_bpg;
	uint64_t n = group_nblocks(fs, g), lo, hi;
	uint8_t *m;

	if (!(eg->eg_flags & EXT2_BG_BLOCK_UNINIT))
		return ext2fs_blk_read(em, eg->eg_block_bitmap, bpp);
	*bpp = ext2fs_blk_get(em, eg->eg_block_bitmap);
	m = (*bpp)->b_data;
	memset(m, 0, fs->e2_bsize);
	bit_set_range(m, 0, (ext2fs_group_has_super(fs, g) ? 1 : 0) +
	    (uint64_t)ext2fs_group_gdt_blocks(fs, g));
	for (uint32_t h = 0; h < fs->e2_ngroups; h++) {
		o = &fs->e2_groups[h];
		if (o->eg_block_bitmap >= first && o->eg_block_bitmap < first + n)
			bit_set_range(m, o->eg_block_bitmap - first,
			    o->eg_block_bitmap - first + 1);
		if (o->eg_inode_bitmap >= first && o->eg_inode_bitmap < first + n)
			bit_set_range(m, o->eg_inode_bitmap - first,
			    o->eg_inode_bitmap - first + 1);
		lo = MAX(o->eg_inode_table, first);
		hi = MIN(o->eg_inode_table + fs->e2_itable_blocks, first + n);
		if (lo < hi)
			bit_set_range(m, lo - first, hi - first);
	}
	bit_set_range(m, n, (uint64_t)fs->e2_bsize * 8);
	eg->eg_flags &= (uint16_t)~EXT2_BG_BLOCK_UNINIT;
	return 0;
}

/*
 * Group g's inode bitmap, for changing; made empty (bits past the
 * group's inodes set) when the group is still INODE_UNINIT.
 */
static int
ibitmap_get(struct ext2fs_mount *em, uint32_t g, struct buf **bpp)
{
	struct ext2fs *fs = em->em_fs;
	struct ext2fs_group *eg = &fs->e2_groups[g];

	if (!(eg->eg_flags & EXT2_BG_INODE_UNINIT))
		return ext2fs_blk_read(em, eg->eg_inode_bitmap, bpp);
	*bpp = ext2fs_blk_get(em, eg->eg_inode_bitmap);
	memset((*bpp)->b_data, 0, fs->e2_bsize);
	bit_set_range((*bpp)->b_data, fs->e2_ipg, (uint64_t)fs->e2_bsize * 8);
	eg->eg_flags &= (uint16_t)~EXT2_BG_INODE_UNINIT;
	eg->eg_itable_unused = fs->e2_ipg;
	return 0;
}

/* Descriptor first (with the bitmap's checksum), then the bitmap. */
static int
bitmap_put(struct ext2fs_mount *em, uint32_t g, struct buf *bp, bool inode)
{
	int error;

	if ((error = gd_update(em, g, inode ? NULL : bp->b_data,
	    inode ? bp->b_data : NULL)) != 0) {
		brelse(bp, 0);
		return error;
	}
	return ext2fs_blk_write(em, bp, false);
}

/*
 * Allocate a block, near goal if it is free.  Blocks reserved for root
 * (s_r_blocks_count) are given only when root is set.  ENOSPC when
 * there are none.
 */
int
ext2fs_balloc(struct ext2fs_mount *em, uint64_t goal, bool root,
    uint64_t *blkp)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t resv = ext2_le32(fs->e2_sb + EXT2_SB_R_BLOCKS_COUNT_LO);
	uint32_t g0, g, n, start;
	uint64_t first;
	struct buf *bp;
	int64_t bit;
	int error;

	if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT)
		resv |= (uint64_t)ext2_le32(fs->e2_sb +
		    EXT2_SB_R_BLOCKS_COUNT_HI) << 32;
	if (em->em_free_blocks == 0 || (!root && em->em_free_blocks <= resv))
		return ENOSPC;
	if (goal <= fs->e2_first_data_block || goal >= fs->e2_nblocks)
		goal = fs->e2_first_data_block;
	g0 = (uint32_t)((goal - fs->e2_first_data_block) / fs->e2_bpg);
	for (uint32_t i = 0; i <= fs->e2_ngroups; i++) {
		g = (g0 + i) % fs->e2_ngroups;
		if (em->em_gfree_blocks[g] == 0)
			continue;
		first = fs->e2_first_data_block + (uint64_t)g * fs->e2_bpg;
		n = group_nblocks(fs, g);
		start = i == 0 ? (uint32_t)(goal - first) : 0;
		if ((error = bbitmap_get(em, g, &bp)) != 0)
			return error;
		if ((bit = bit_find(bp->b_data, start, n)) < 0)
			bit = bit_find(bp->b_data, 0, start);
		if (bit < 0) {
			brelse(bp, 0);
			(void)ext2fs_corrupt(fs, "group %u: %u free blocks, "
			    "none in the bitmap", g, em->em_gfree_blocks[g]);
			em->em_free_blocks -= em->em_gfree_blocks[g];
			em->em_gfree_blocks[g] = 0;
			continue;
		}
		if (is_group_meta(fs, g, first + (uint64_t)bit) ||
		    first + (uint64_t)bit <= fs->e2_first_data_block) {
			brelse(bp, 0);
			return ext2fs_corrupt(fs, "group %u: metadata block "
			    "%llu free in the bitmap", g,
			    (unsigned long long)(first + (uint64_t)bit));
		}
		((uint8_t *)bp->b_data)[bit >> 3] |= (uint8_t)(1u << (bit & 7));
		em->em_gfree_blocks[g]--;
		em->em_free_blocks--;
		*blkp = first + (uint64_t)bit;
		return bitmap_put(em, g, bp, false);
	}
	return ENOSPC;
}

/* Free the n blocks from blk on (a file's run, of any groups). */
int
ext2fs_bfree_run(struct ext2fs_mount *em, uint64_t blk, uint64_t n)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t g, bit, k;
	struct buf *bp;
	uint8_t *m;
	int error;

	if (!ext2fs_blk_ok(fs, blk, n))
		return ext2fs_corrupt(fs, "free of blocks %llu+%llu out of "
		    "range", (unsigned long long)blk, (unsigned long long)n);
	while (n > 0) {
		g = (uint32_t)((blk - fs->e2_first_data_block) / fs->e2_bpg);
		bit = (uint32_t)((blk - fs->e2_first_data_block) % fs->e2_bpg);
		k = (uint32_t)MIN(n, (uint64_t)(fs->e2_bpg - bit));
		if ((error = bbitmap_get(em, g, &bp)) != 0)
			return error;
		m = bp->b_data;
		for (uint32_t i = bit; i < bit + k; i++) {
			if (is_group_meta(fs, g, blk + (i - bit)) ||
			    (m[i >> 3] & (1u << (i & 7))) == 0) {
				brelse(bp, 0);
				return ext2fs_corrupt(fs, "block %llu freed "
				    "twice, or metadata",
				    (unsigned long long)(blk + (i - bit)));
			}
		}
		/* Journaled: data must not overwrite them before the commit. */
		for (uint32_t i = 0; i < k; i++) {
			if ((error = ext2fs_jw_freed(em, blk + i)) != 0) {
				brelse(bp, 0);
				return error;
			}
		}
		for (uint32_t i = bit; i < bit + k; i++)
			m[i >> 3] &= (uint8_t)~(1u << (i & 7));
		em->em_gfree_blocks[g] += k;
		em->em_free_blocks += k;
		if ((error = bitmap_put(em, g, bp, false)) != 0)
			return error;
		blk += k;
		n -= k;
	}
	return 0;
}

int
ext2fs_bfree(struct ext2fs_mount *em, uint64_t blk)
{
	return ext2fs_bfree_run(em, blk, 1);
}

static bool
group_ok_for_file(const struct ext2fs_mount *em, uint32_t g)
{
	return em->em_gfree_inodes[g] > 0 && em->em_gfree_blocks[g] > 0;
}

/* The group for a new inode (see the top of the file); -1: none. */
static int64_t
ialloc_group(const struct ext2fs_mount *em, uint32_t pg, bool isdir)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t n = fs->e2_ngroups, avg, g;
	int64_t best = -1;

	if (isdir) {
		avg = em->em_free_inodes / n;
		for (g = 0; g < n; g++) {
			if (em->em_gfree_inodes[g] == 0 ||
			    em->em_gfree_inodes[g] < avg)
				continue;
			if (best < 0 || em->em_gdirs[g] < em->em_gdirs[best] ||
			    (em->em_gdirs[g] == em->em_gdirs[best] &&
			    em->em_gfree_blocks[g] > em->em_gfree_blocks[best]))
				best = g;
		}
		if (best >= 0)
			return best;
	} else {
		if (group_ok_for_file(em, pg))
			return pg;
		for (uint32_t i = 1; i < n; i <<= 1)
			if (group_ok_for_file(em, (pg + i) % n))
				return (pg + i) % n;
	}
	for (uint32_t i = 0; i < n; i++)
		if (em->em_gfree_inodes[(pg + i) % n] > 0)
			return (pg + i) % n;
	return -1;
}

/* Allocate an inode for a child of directory dino. */
int
ext2fs_ialloc(struct ext2fs_mount *em, uint32_t dino, bool isdir,
    uint32_t *inop)
{
	struct ext2fs *fs = em->em_fs;
	uint32_t pg = (dino - 1) / fs->e2_ipg, start;
	struct ext2fs_group *eg;
	struct buf *bp;
	int64_t g, bit;
	int error;

	for (;;) {
		if (em->em_free_inodes == 0 ||
		    (g = ialloc_group(em, pg, isdir)) < 0)
			return ENOSPC;
		/* Inodes below s_first_ino are reserved. */
		start = g == 0 ? fs->e2_first_ino - 1 : 0;
		if (start >= fs->e2_ipg)
			start = fs->e2_ipg;
		if ((error = ibitmap_get(em, (uint32_t)g, &bp)) != 0)
			return error;
		if ((bit = bit_find(bp->b_data, start, fs->e2_ipg)) >= 0)
			break;
		brelse(bp, 0);
		(void)ext2fs_corrupt(fs, "group %u: %u free inodes, none in "
		    "the bitmap", (uint32_t)g, em->em_gfree_inodes[g]);
		em->em_free_inodes -= em->em_gfree_inodes[g];
		em->em_gfree_inodes[g] = 0;
	}
	((uint8_t *)bp->b_data)[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	em->em_gfree_inodes[g]--;
	em->em_free_inodes--;
	if (isdir)
		em->em_gdirs[g]++;
	/* The never-used tail of the inode table starts after this one. */
	eg = &fs->e2_groups[g];
	if ((fs->e2_metadata_csum || fs->e2_gdt_csum) &&
	    (uint32_t)bit >= fs->e2_ipg - eg->eg_itable_unused)
		eg->eg_itable_unused = fs->e2_ipg - (uint32_t)bit - 1;
	*inop = (uint32_t)g * fs->e2_ipg + (uint32_t)bit + 1;
	return bitmap_put(em, (uint32_t)g, bp, true);
}

int
ext2fs_ifree(struct ext2fs_mount *em, uint32_t ino, bool isdir)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t g = (ino - 1) / fs->e2_ipg, bit = (ino - 1) % fs->e2_ipg;
	struct buf *bp;
	uint8_t *m;
	int error;

	if ((error = ibitmap_get(em, g, &bp)) != 0)
		return error;
	m = bp->b_data;
	if ((m[bit >> 3] & (1u << (bit & 7))) == 0) {
		brelse(bp, 0);
		return ext2fs_corrupt(fs, "inode %u freed twice", ino);
	}
	m[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	em->em_gfree_inodes[g]++;
	em->em_free_inodes++;
	if (isdir && em->em_gdirs[g] > 0)
		em->em_gdirs[g]--;
	return bitmap_put(em, g, bp, true);
}

/*
 * Blocks statfs leaves out of f_blocks, as Linux counts them: the
 * superblock's s_overhead_clusters when mke2fs recorded it, else the
 * boot block, and in each group the superblock copy, the descriptor
 * table and its reserve, both bitmaps and the inode table, and an
 * internal journal's blocks.
 */
uint64_t
ext2fs_overhead(const struct ext2fs *fs)
{
	uint64_t o = ext2_le32(fs->e2_sb + EXT2_SB_OVERHEAD_CLUSTERS);
	struct ext2fs_inode *jp;
	uint32_t jino;

	if (o != 0)
		return MIN(o, fs->e2_nblocks);
	o = fs->e2_first_data_block;
	for (uint32_t g = 0; g < fs->e2_ngroups; g++)
		o += (ext2fs_group_has_super(fs, g) ? 1 : 0) +
		    ext2fs_group_gdt_blocks(fs, g);
	o += (uint64_t)fs->e2_ngroups * (2 + fs->e2_itable_blocks);
	jino = ext2_le32(fs->e2_sb + EXT2_SB_JOURNAL_INUM);
	if ((fs->e2_compat & EXT2F_COMPAT_HAS_JOURNAL) && jino != 0 &&
	    (jp = kmem_alloc(sizeof(*jp), KM_SLEEP)) != NULL) {
		if (ext2fs_iget(fs, jino, jp) == 0)
			o += jp->ei_blocks512 >> (fs->e2_bshift - 9);
		kmem_free(jp, sizeof(*jp));
	}
	return MIN(o, fs->e2_nblocks);
}
