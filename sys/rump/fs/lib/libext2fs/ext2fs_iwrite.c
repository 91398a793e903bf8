/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The writer's side of inodes and their block maps (ext2 indirect
 * blocks here, extent trees in ext2fs_extw.c): writing a decoded inode
 * back into its table entry (with its checksum under metadata_csum),
 * making a new one (extents on an extent file system), finding or
 * allocating the block behind a logical block, truncation, and
 * releasing an unlinked inode with its blocks and its extended
 * attribute block (ext2fs_xattr.c).
 *
 * i_blocks counts every block a file holds in 512-byte units: data,
 * indirect or extent tree blocks and the attribute block; with
 * huge_file it has 48 bits (and with EXT2_HUGE_FILE_FL counts blocks).
 * Called with em_lock held as writer (ext2fs_vfs.h).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/param.h>

#include "ext2fs_vfs.h"

#define EXT2_NEW_EXTRA_ISIZE 32         /* up to and with crtime */

static void
encode_time(uint8_t *raw, uint32_t off, uint32_t xoff, uint32_t extra_isize,
    const struct timespec *ts)
{
	uint32_t lo = (uint32_t)ts->tv_sec;
	uint32_t epoch;

	ext2_set_le32(raw + off, lo);
	if (xoff == 0 || xoff + 4 > EXT2_GOOD_OLD_INODE_SIZE + extra_isize)
		return;
	epoch = (uint32_t)(((uint64_t)(ts->tv_sec - (int32_t)lo) >> 32) &
	    EXT2_EXTRA_EPOCH_MASK);
	ext2_set_le32(raw + xoff, epoch | (uint32_t)ts->tv_nsec << 2);
}

/* Where inode ino lives: its block and the offset in it. */
static void
inode_loc(const struct ext2fs *fs, uint32_t ino, uint64_t *blkp, size_t *offp)
{
	uint32_t g = (ino - 1) / fs->e2_ipg, idx = (ino - 1) % fs->e2_ipg;
	uint64_t off = (fs->e2_groups[g].eg_inode_table << fs->e2_bshift) +
	    (uint64_t)idx * fs->e2_isize;

	*blkp = off >> fs->e2_bshift;
	*offp = (size_t)(off & (fs->e2_bsize - 1));
}

/* An inode entry's checksum (metadata_csum), its high half if it has room. */
static void
csum_set(const struct ext2fs *fs, uint8_t *raw, uint32_t seed)
{
	uint32_t x = fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE ?
	    ext2_le16(raw + EXT2_I_EXTRA_ISIZE) : 0, c;

	if (!fs->e2_metadata_csum)
		return;
	c = ext2fs_inode_csum(fs, raw, seed, x);
	ext2_set_le16(raw + EXT2_I_CHECKSUM_LO, (uint16_t)c);
	if (fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE &&
	    x >= EXT2_I_CHECKSUM_HI + 2 - EXT2_GOOD_OLD_INODE_SIZE)
		ext2_set_le16(raw + EXT2_I_CHECKSUM_HI, (uint16_t)(c >> 16));
}

/*
 * Write ip into its table entry; the bytes it does not decode (osd
 * fields, attributes in the inode, crtime) stay.  A fresh entry starts
 * from zeros; dtime, when not NULL, is the deletion time to record;
 * area (alen > 0 bytes) the new attribute area after i_extra_isize.
 */
static int
inode_write(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    bool fresh, const uint32_t *dtime, const uint8_t *area, size_t alen)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t x = ip->ei_extra_isize;
	uint64_t blk, blocks;
	struct buf *bp;
	size_t off;
	uint8_t *raw;
	int error;

	inode_loc(fs, ip->ei_ino, &blk, &off);
	if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
		return error;
	raw = (uint8_t *)bp->b_data + off;
	if (fresh) {
		memset(raw, 0, fs->e2_isize);
		if (fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE)
			ext2_set_le16(raw + EXT2_I_EXTRA_ISIZE, (uint16_t)x);
		if (ip->ei_has_crtime)
			encode_time(raw, EXT2_I_CRTIME, EXT2_I_CRTIME_EXTRA, x,
			    &ip->ei_crtime);
	}
	ext2_set_le16(raw + EXT2_I_MODE, ip->ei_mode);
	ext2_set_le16(raw + EXT2_I_UID, (uint16_t)ip->ei_uid);
	ext2_set_le16(raw + EXT2_I_UID_HIGH, (uint16_t)(ip->ei_uid >> 16));
	ext2_set_le16(raw + EXT2_I_GID, (uint16_t)ip->ei_gid);
	ext2_set_le16(raw + EXT2_I_GID_HIGH, (uint16_t)(ip->ei_gid >> 16));
	ext2_set_le32(raw + EXT2_I_SIZE_LO, (uint32_t)ip->ei_size);
	ext2_set_le32(raw + EXT2_I_SIZE_HIGH, (uint32_t)(ip->ei_size >> 32));
	ext2_set_le16(raw + EXT2_I_LINKS_COUNT, (uint16_t)ip->ei_nlink);
	blocks = ip->ei_blocks512;
	if (ip->ei_flags & EXT2_HUGE_FILE_FL)
		blocks >>= fs->e2_bshift - 9;
	ext2_set_le32(raw + EXT2_I_BLOCKS_LO, (uint32_t)blocks);
	if (fs->e2_rocompat & EXT2F_ROCOMPAT_HUGE_FILE)
		ext2_set_le16(raw + EXT2_I_BLOCKS_HIGH, (uint16_t)(blocks >> 32));
	ext2_set_le32(raw + EXT2_I_FLAGS, ip->ei_flags);
	memcpy(raw + EXT2_I_BLOCK, ip->ei_block, EXT2_I_BLOCK_LEN);
	ext2_set_le32(raw + EXT2_I_GENERATION, ip->ei_generation);
	ext2_set_le32(raw + EXT2_I_FILE_ACL_LO, (uint32_t)ip->ei_file_acl);
	if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT)
		ext2_set_le16(raw + EXT2_I_FILE_ACL_HIGH,
		    (uint16_t)(ip->ei_file_acl >> 32));
	if (alen > 0 && EXT2_GOOD_OLD_INODE_SIZE + x + alen <= fs->e2_isize)
		memcpy(raw + EXT2_GOOD_OLD_INODE_SIZE + x, area, alen);
	encode_time(raw, EXT2_I_ATIME, EXT2_I_ATIME_EXTRA, x, &ip->ei_atime);
	encode_time(raw, EXT2_I_MTIME, EXT2_I_MTIME_EXTRA, x, &ip->ei_mtime);
	encode_time(raw, EXT2_I_CTIME, EXT2_I_CTIME_EXTRA, x, &ip->ei_ctime);
	if (dtime != NULL)
		ext2_set_le32(raw + EXT2_I_DTIME, *dtime);
	csum_set(fs, raw, ip->ei_csum_seed);
	return ext2fs_blk_write(em, bp, false);
}

/* Inode ino's i_dtime as it is in its table entry (an orphan's next). */
int
ext2fs_iget_dtime(struct ext2fs_mount *em, uint32_t ino, uint32_t *dtimep)
{
	struct buf *bp;
	uint64_t blk;
	size_t off;
	int error;

	inode_loc(em->em_fs, ino, &blk, &off);
	if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
		return error;
	*dtimep = ext2_le32((uint8_t *)bp->b_data + off + EXT2_I_DTIME);
	brelse(bp, 0);
	return 0;
}

/* Set inode ino's i_dtime in its table entry, the rest as it is. */
int
ext2fs_iset_dtime(struct ext2fs_mount *em, uint32_t ino, uint32_t dtime)
{
	const struct ext2fs *fs = em->em_fs;
	struct buf *bp;
	uint64_t blk;
	size_t off;
	uint8_t *raw;
	int error;

	inode_loc(fs, ino, &blk, &off);
	if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
		return error;
	raw = (uint8_t *)bp->b_data + off;
	ext2_set_le32(raw + EXT2_I_DTIME, dtime);
	csum_set(fs, raw, ext2fs_inode_seed(fs, ino,
	    ext2_le32(raw + EXT2_I_GENERATION)));
	return ext2fs_blk_write(em, bp, false);
}

/* Set the le32 at off in inode ino's table entry, the rest as it is. */
int
ext2fs_iset_le32(struct ext2fs_mount *em, uint32_t ino, size_t off,
    uint32_t val)
{
	const struct ext2fs *fs = em->em_fs;
	struct buf *bp;
	uint64_t blk;
	size_t ioff;
	uint8_t *raw;
	int error;

	inode_loc(fs, ino, &blk, &ioff);
	if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
		return error;
	raw = (uint8_t *)bp->b_data + ioff;
	ext2_set_le32(raw + off, val);
	csum_set(fs, raw, ext2fs_inode_seed(fs, ino,
	    ext2_le32(raw + EXT2_I_GENERATION)));
	return ext2fs_blk_write(em, bp, false);
}

int
ext2fs_iupdate(struct ext2fs_mount *em, const struct ext2fs_inode *ip)
{
	return inode_write(em, ip, false, NULL, NULL, 0);
}

int
ext2fs_iupdate_ea(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    const uint8_t *area, size_t alen)
{
	return inode_write(em, ip, false, NULL, area, alen);
}

void
ext2fs_settime(struct ext2fs_inode *ip, bool a, bool m, bool c)
{
	struct timespec now;

	nanotime(&now);
	if (a)
		ip->ei_atime = now;
	if (m)
		ip->ei_mtime = now;
	if (c)
		ip->ei_ctime = now;
}

/*
 * Make inode ino (just allocated) a new empty file of this mode and
 * owner, written to its table entry; *ip is its decoded form.
 */
int
ext2fs_inew(struct ext2fs_mount *em, uint32_t ino, uint16_t mode,
    uint32_t uid, uint32_t gid, struct ext2fs_inode *ip)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t x = 0, want;

	memset(ip, 0, sizeof(*ip));
	ip->ei_ino = ino;
	ip->ei_mode = mode;
	ip->ei_uid = uid;
	ip->ei_gid = gid;
	ip->ei_nlink = 1;
	ip->ei_generation = em->em_gen++;
	if (fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE) {
		want = ext2_le16(fs->e2_sb + EXT2_SB_WANT_EXTRA_ISIZE);
		x = MAX(want, ext2_le16(fs->e2_sb + EXT2_SB_MIN_EXTRA_ISIZE));
		x = MAX(x, EXT2_NEW_EXTRA_ISIZE);
		if ((x & 3) != 0 || x > fs->e2_isize - EXT2_GOOD_OLD_INODE_SIZE)
			x = MIN(EXT2_NEW_EXTRA_ISIZE,
			    fs->e2_isize - EXT2_GOOD_OLD_INODE_SIZE);
	}
	ip->ei_extra_isize = (uint16_t)x;
	if (fs->e2_metadata_csum)
		ip->ei_csum_seed = ext2fs_inode_seed(fs, ino, ip->ei_generation);
	/* Files and directories of an ext4 file system map by extents. */
	if ((fs->e2_incompat & EXT2F_INCOMPAT_EXTENTS) &&
	    ((mode & EXT2_IFMT) == EXT2_IFREG || (mode & EXT2_IFMT) ==
	    EXT2_IFDIR))
		ext2fs_ext_init(ip);
	ext2fs_settime(ip, true, true, true);
	ip->ei_has_crtime = x >= EXT2_I_CRTIME + 4 - EXT2_GOOD_OLD_INODE_SIZE;
	if (ip->ei_has_crtime)
		ip->ei_crtime = ip->ei_ctime;
	return inode_write(em, ip, true, NULL, NULL, 0);
}

/* The largest file size the block map and i_blocks can describe. */
uint64_t
ext2fs_maxfilesize(const struct ext2fs *fs)
{
	uint64_t ppb = fs->e2_bsize / 4;
	uint64_t nblk = EXT2_NDADDR + ppb + ppb * ppb + ppb * ppb * ppb;
	uint64_t max = nblk << fs->e2_bshift;

	/* Extents map 2^32 - 1 blocks, their tree small beside them. */
	if (fs->e2_incompat & EXT2F_INCOMPAT_EXTENTS)
		max = MAX(max, (uint64_t)(UINT32_MAX - 1) << fs->e2_bshift);
	/* i_blocks (32 bits of 512-byte units, 48 with huge_file) must
	 * count data and map. */
	if (fs->e2_rocompat & EXT2F_ROCOMPAT_HUGE_FILE)
		max = MIN(max, ((uint64_t)1 << 57) - ((uint64_t)ppb << 12));
	else
		max = MIN(max, ((uint64_t)UINT32_MAX << 9) -
		    ((uint64_t)ppb << 12));
	if (fs->e2_rev == EXT2_GOOD_OLD_REV)
		max = MIN(max, (uint64_t)INT32_MAX);
	return max;
}

static uint64_t
goal_of(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	const struct ext2fs *fs = em->em_fs;

	if (np->n_goal != 0)
		return np->n_goal;
	return fs->e2_first_data_block +
	    (uint64_t)((np->n_ip.ei_ino - 1) / fs->e2_ipg) * fs->e2_bpg;
}

/* Allocate a block for np; a map block is zeroed on the disk. */
int
ext2fs_alloc_for(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    bool zero, uint64_t *blkp)
{
	struct buf *bp;
	int error;

	if ((error = ext2fs_balloc(em, goal_of(em, np), root, blkp)) != 0)
		return error;
	np->n_goal = *blkp + 1;
	np->n_ip.ei_blocks512 += em->em_fs->e2_bsize >> 9;
	if (zero) {
		bp = ext2fs_blk_get(em, *blkp);
		memset(bp->b_data, 0, em->em_fs->e2_bsize);
		return ext2fs_blk_write(em, bp, false);
	}
	return 0;
}

/*
 * The device block behind logical block lblk of np (0: a hole).  With
 * alloc a hole gets a block, and the indirect blocks on the way; *newp
 * then says the data block is new (its contents are the caller's to
 * write).  The inode itself is the caller's to write back.
 */
int
ext2fs_bmap_alloc(struct ext2fs_mount *em, struct ext2fs_node *np,
    uint64_t lblk, bool alloc, bool root, uint64_t *pblkp, bool *newp)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	uint32_t ashift = fs->e2_bshift - 2;
	uint64_t span, blk, idx;
	struct buf *bp;
	uint8_t *slot;
	int level, error;

	if (ip->ei_flags & EXT4_EXTENTS_FL)
		return ext2fs_ext_bmap_alloc(em, np, lblk, alloc, root, pblkp,
		    newp);
	*newp = false;
	*pblkp = 0;
	if (lblk < EXT2_NDADDR) {
		slot = ip->ei_block + 4 * lblk;
		level = 0;
	} else {
		lblk -= EXT2_NDADDR;
		for (level = 1; level <= 3; level++) {
			span = (uint64_t)1 << (ashift * level);
			if (lblk < span)
				break;
			lblk -= span;
		}
		if (level > 3)
			return EFBIG;
		slot = ip->ei_block + 4 * (EXT2_IND_BLOCK + level - 1);
	}
	blk = ext2_le32(slot);
	if (blk == 0) {
		if (!alloc)
			return 0;
		if ((error = ext2fs_alloc_for(em, np, root, level > 0, &blk)) != 0)
			return error;
		ext2_set_le32(slot, (uint32_t)blk);
		*newp = level == 0;
	}
	for (; level > 0; level--) {
		if (!ext2fs_blk_ok(fs, blk, 1))
			return ext2fs_corrupt(fs, "inode %u: indirect block "
			    "%llu out of range", ip->ei_ino,
			    (unsigned long long)blk);
		if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
			return error;
		idx = (lblk >> (ashift * (level - 1))) &
		    (((uint64_t)1 << ashift) - 1);
		slot = (uint8_t *)bp->b_data + 4 * idx;
		blk = ext2_le32(slot);
		if (blk != 0 || !alloc) {
			brelse(bp, 0);
			if (blk == 0)
				return 0;
			continue;
		}
		if ((error = ext2fs_alloc_for(em, np, root, level > 1, &blk)) != 0) {
			brelse(bp, 0);
			return error;
		}
		ext2_set_le32(slot, (uint32_t)blk);
		if ((error = ext2fs_blk_write(em, bp, false)) != 0)
			return error;
		*newp = level == 1;
	}
	if (!ext2fs_blk_ok(fs, blk, 1))
		return ext2fs_corrupt(fs, "inode %u: data block %llu out of "
		    "range", ip->ei_ino, (unsigned long long)blk);
	*pblkp = blk;
	return 0;
}

/* Free n blocks of ip from blk on, out of its i_blocks. */
int
ext2fs_free_for(struct ext2fs_mount *em, struct ext2fs_inode *ip,
    uint64_t blk, uint64_t n)
{
	uint64_t n512 = n << (em->em_fs->e2_bshift - 9);
	int error;

	if ((error = ext2fs_bfree_run(em, blk, n)) != 0)
		return error;
	ip->ei_blocks512 -= MIN(n512, ip->ei_blocks512);
	return 0;
}

static int
free_one(struct ext2fs_mount *em, struct ext2fs_inode *ip, uint64_t blk)
{
	return ext2fs_free_for(em, ip, blk, 1);
}

/* Free blk and, for an indirect block of this level, all below it. */
static int
free_tree(struct ext2fs_mount *em, struct ext2fs_inode *ip, uint64_t blk,
    int level)
{
	const struct ext2fs *fs = em->em_fs;
	struct buf *bp;
	uint32_t ppb = fs->e2_bsize / 4, b;
	int error = 0;

	if (level > 0) {
		if (!ext2fs_blk_ok(fs, blk, 1))
			return ext2fs_corrupt(fs, "inode %u: indirect block "
			    "%llu out of range", ip->ei_ino,
			    (unsigned long long)blk);
		if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
			return error;
		for (uint32_t i = 0; i < ppb && error == 0; i++)
			if ((b = ext2_le32((uint8_t *)bp->b_data + 4 * i)) != 0)
				error = free_tree(em, ip, b, level - 1);
		brelse(bp, 0);
		if (error != 0)
			return error;
	}
	return free_one(em, ip, blk);
}

/*
 * In the indirect block blk of this level, keep the first keep (> 0)
 * data blocks below it and free the rest.
 */
static int
trunc_tree(struct ext2fs_mount *em, struct ext2fs_inode *ip, uint64_t blk,
    int level, uint64_t keep)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t ashift = fs->e2_bshift - 2, ppb = fs->e2_bsize / 4, b;
	uint64_t cs = (uint64_t)1 << (ashift * (level - 1)), start;
	struct buf *bp;
	bool dirty = false;
	uint8_t *p;
	int error = 0, e;

	if (!ext2fs_blk_ok(fs, blk, 1))
		return ext2fs_corrupt(fs, "inode %u: indirect block %llu out "
		    "of range", ip->ei_ino, (unsigned long long)blk);
	if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
		return error;
	for (uint32_t i = 0; i < ppb && error == 0; i++) {
		p = (uint8_t *)bp->b_data + 4 * i;
		if ((b = ext2_le32(p)) == 0)
			continue;
		start = (uint64_t)i * cs;
		if (start >= keep) {
			error = free_tree(em, ip, b, level - 1);
			ext2_set_le32(p, 0);
			dirty = true;
		} else if (level > 1 && start + cs > keep)
			error = trunc_tree(em, ip, b, level - 1, keep - start);
	}
	if (!dirty)
		brelse(bp, 0);
	else if ((e = ext2fs_blk_write(em, bp, false)) != 0 && error == 0)
		error = e;
	return error;
}

/* Zero bytes [from, end of its block) of np's block holding from. */
int
ext2fs_zero_tail(struct ext2fs_mount *em, struct ext2fs_node *np, uint64_t from)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t boff = (uint32_t)(from & (fs->e2_bsize - 1));
	uint64_t pblk;
	struct buf *bp;
	bool isnew;
	int error;

	if (boff == 0)
		return 0;
	if ((error = ext2fs_bmap_alloc(em, np, from >> fs->e2_bshift, false,
	    true, &pblk, &isnew)) != 0 || pblk == 0)
		return error;
	if ((error = ext2fs_blk_read(em, pblk, &bp)) != 0)
		return error;
	memset((char *)bp->b_data + boff, 0, fs->e2_bsize - boff);
	return ext2fs_blk_write(em, bp, false);
}

/* Whether np's i_block holds block pointers (not a symlink or a device). */
static bool
has_blockmap(const struct ext2fs *fs, const struct ext2fs_inode *ip)
{
	uint64_t data512 = ip->ei_blocks512;

	switch (ip->ei_mode & EXT2_IFMT) {
	case EXT2_IFREG:
	case EXT2_IFDIR:
		return true;
	case EXT2_IFLNK:
		if (ip->ei_file_acl != 0)
			data512 -= MIN(data512, fs->e2_bsize >> 9);
		return data512 != 0;
	default:
		return false;
	}
}

/* Free ip's blocks from logical block nb on, in its ext2 block map. */
static int
trunc_blockmap(struct ext2fs_mount *em, struct ext2fs_inode *ip, uint64_t nb)
{
	uint32_t ashift = em->em_fs->e2_bshift - 2;
	uint64_t base = EXT2_NDADDR, span, b;
	int error = 0;

	for (uint64_t i = nb; i < EXT2_NDADDR && error == 0; i++) {
		if ((b = ext2_le32(ip->ei_block + 4 * i)) == 0)
			continue;
		error = free_one(em, ip, b);
		ext2_set_le32(ip->ei_block + 4 * i, 0);
	}
	for (int level = 1; level <= 3 && error == 0; level++) {
		uint8_t *slot = ip->ei_block + 4 * (EXT2_IND_BLOCK + level - 1);

		span = (uint64_t)1 << (ashift * level);
		if ((b = ext2_le32(slot)) != 0) {
			if (nb <= base) {
				error = free_tree(em, ip, b, level);
				ext2_set_le32(slot, 0);
			} else if (nb < base + span)
				error = trunc_tree(em, ip, b, level, nb - base);
		}
		base += span;
	}
	return error;
}

/*
 * Set np's size: blocks past the new end are freed (with the indirect
 * blocks left empty), and the bytes past the end in its last block are
 * zeroed, so that a later extension reads zeros.  Writes the inode.
 */
int
ext2fs_truncate(struct ext2fs_mount *em, struct ext2fs_node *np,
    uint64_t size)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	uint64_t nb;
	bool orphan;
	int error = 0, e;

	if (!has_blockmap(fs, ip)) {
		ip->ei_size = size;
		return ext2fs_iupdate(em, ip);
	}
	/*
	 * To the same size the walk below still runs: a write that failed
	 * for want of space may have left indirect blocks past the end.
	 */
	if (size > ip->ei_size) {
		if ((error = ext2fs_zero_tail(em, np, ip->ei_size)) != 0)
			return error;
		ip->ei_size = size;
		return ext2fs_iupdate(em, ip);
	}
	/*
	 * A linked file losing blocks is on the orphan list while they go,
	 * its new size already in its inode: after a crash in between the
	 * next mount finishes the truncation (ext2fs_orphans_finish).
	 */
	orphan = size < ip->ei_size && ip->ei_nlink > 0 && !np->n_orphan &&
	    (ip->ei_mode & EXT2_IFMT) == EXT2_IFREG && ip->ei_blocks512 != 0;
	if (orphan) {
		ip->ei_size = size;
		if ((error = ext2fs_iupdate(em, ip)) != 0 ||
		    (error = ext2fs_orphan_add(em, np)) != 0)
			return error;
		orphan = np->n_orphan;
	}
	nb = (size + fs->e2_bsize - 1) >> fs->e2_bshift;
	if (ip->ei_flags & EXT4_EXTENTS_FL)
		error = ext2fs_ext_truncate(em, np, nb);
	else
		error = trunc_blockmap(em, ip, nb);
	if (error == 0)
		error = ext2fs_zero_tail(em, np, size);
	ip->ei_size = size;
	np->n_goal = 0;
	if ((e = ext2fs_iupdate(em, ip)) != 0 && error == 0)
		error = e;
	/* Off the list; its i_dtime, the list's link, back to 0. */
	if (orphan && ((e = ext2fs_orphan_remove(em, np)) != 0 ||
	    (e = ext2fs_iset_dtime(em, ip->ei_ino, 0)) != 0) && error == 0)
		error = e;
	return error;
}

/*
 * An unlinked inode's last reference is gone: free its blocks, its
 * attribute block and the inode, recording the deletion time.
 */
int
ext2fs_irelease(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	struct ext2fs_inode *ip = &np->n_ip;
	struct timespec now;
	uint32_t dtime;
	int error = 0, e;

	if (np->n_freed)
		return 0;
	np->n_freed = true;
	error = ext2fs_orphan_remove(em, np);
	if (has_blockmap(em->em_fs, ip) &&
	    (e = ext2fs_truncate(em, np, 0)) != 0 && error == 0)
		error = e;
	if ((ip->ei_file_acl != 0 || ip->ei_ibody_ea) &&
	    (e = ext2fs_xattr_drop(em, ip)) != 0 && error == 0)
		error = e;
	nanotime(&now);
	dtime = (uint32_t)now.tv_sec;
	ip->ei_nlink = 0;
	if ((e = inode_write(em, ip, false, &dtime, NULL, 0)) != 0 && error == 0)
		error = e;
	if ((e = ext2fs_ifree(em, ip->ei_ino,
	    (ip->ei_mode & EXT2_IFMT) == EXT2_IFDIR)) != 0 && error == 0)
		error = e;
	return error;
}
