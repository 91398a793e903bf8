/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Inodes by number: locate the table entry through the group
 * descriptors, verify its checksum (metadata_csum), and decode it into a
 * struct ext2fs_inode: owner and size with their high halves, times
 * with nanoseconds and the extra epoch bits where the inode has room for
 * them, the device number of a device node.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

/* Whether a field of len bytes at off lies in the inode's used bytes. */
static bool
has_field(uint32_t extra_isize, uint32_t off, uint32_t len)
{
	return off + len <= EXT2_GOOD_OLD_INODE_SIZE + extra_isize;
}

/*
 * Read inode ino's table entry (fs->e2_isize bytes) into raw.  ENOENT
 * when the number is out of range or the entry lies in the part of the
 * table the group descriptor says was never used (its bytes are not
 * initialised); the caller decides whether that is corruption.
 */
int
ext2fs_iread_raw(const struct ext2fs *fs, uint32_t ino, uint8_t *raw)
{
	const struct ext2fs_group *eg;
	uint32_t g, idx;
	uint64_t off;

	if (ino == 0 || ino > fs->e2_ninodes)
		return ENOENT;
	g = (ino - 1) / fs->e2_ipg;
	idx = (ino - 1) % fs->e2_ipg;
	eg = &fs->e2_groups[g];
	if ((eg->eg_flags & EXT2_BG_INODE_UNINIT) ||
	    idx >= fs->e2_ipg - eg->eg_itable_unused)
		return ENOENT;
	/* ext2fs_groups_load() checked the table is inside the fs. */
	off = (eg->eg_inode_table << fs->e2_bshift) +
	    (uint64_t)idx * fs->e2_isize;
	return ext2fs_devread(fs, off, raw, fs->e2_isize);
}

/*
 * crc32c of the inode with its checksum fields taken as zero; only the
 * low half counts when the inode has no room for the high one.
 */
uint32_t
ext2fs_inode_csum(const struct ext2fs *fs, const uint8_t *raw, uint32_t seed,
    uint32_t extra_isize)
{
	static const uint8_t zero[2];
	bool hi = fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE &&
	    has_field(extra_isize, EXT2_I_CHECKSUM_HI, 2);
	uint32_t c;

	c = ext2fs_crc32c(seed, raw, EXT2_I_CHECKSUM_LO);
	c = ext2fs_crc32c(c, zero, 2);
	c = ext2fs_crc32c(c, raw + EXT2_I_CHECKSUM_LO + 2,
	    EXT2_GOOD_OLD_INODE_SIZE - EXT2_I_CHECKSUM_LO - 2);
	if (fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE) {
		if (hi) {
			c = ext2fs_crc32c(c, raw + EXT2_GOOD_OLD_INODE_SIZE,
			    EXT2_I_CHECKSUM_HI - EXT2_GOOD_OLD_INODE_SIZE);
			c = ext2fs_crc32c(c, zero, 2);
			c = ext2fs_crc32c(c, raw + EXT2_I_CHECKSUM_HI + 2,
			    fs->e2_isize - EXT2_I_CHECKSUM_HI - 2);
		} else
			c = ext2fs_crc32c(c, raw + EXT2_GOOD_OLD_INODE_SIZE,
			    fs->e2_isize - EXT2_GOOD_OLD_INODE_SIZE);
	}
	return hi ? c : (c & 0xffff);
}

static bool
inode_csum_ok(const struct ext2fs *fs, const uint8_t *raw, uint32_t seed,
    uint32_t extra_isize)
{
	uint32_t want = ext2_le16(raw + EXT2_I_CHECKSUM_LO);

	if (fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE &&
	    has_field(extra_isize, EXT2_I_CHECKSUM_HI, 2))
		want |= (uint32_t)ext2_le16(raw + EXT2_I_CHECKSUM_HI) << 16;
	return ext2fs_inode_csum(fs, raw, seed, extra_isize) == want;
}

/* The seed of an inode's metadata checksums: fs seed, number, generation. */
uint32_t
ext2fs_inode_seed(const struct ext2fs *fs, uint32_t ino, uint32_t gen)
{
	return ext2fs_csum_le32(ext2fs_csum_le32(fs->e2_csum_seed, ino), gen);
}

/*
 * A time: signed 32-bit seconds; where the inode has the extra word, its
 * low two bits extend the seconds past 2038 and the rest are nanoseconds.
 */
static int
decode_time(const struct ext2fs *fs, const uint8_t *raw, uint32_t ino,
    uint32_t off, uint32_t xoff, uint32_t extra_isize, struct timespec *ts)
{
	uint32_t x;

	ts->tv_sec = (int32_t)ext2_le32(raw + off);
	ts->tv_nsec = 0;
	if (xoff == 0 || !has_field(extra_isize, xoff, 4))
		return 0;
	x = ext2_le32(raw + xoff);
	ts->tv_sec += (time_t)((uint64_t)(x & EXT2_EXTRA_EPOCH_MASK) << 32);
	ts->tv_nsec = x >> 2;
	if (ts->tv_nsec > 999999999)
		return ext2fs_corrupt(fs, "inode %u: %ld nanoseconds", ino,
		    ts->tv_nsec);
	return 0;
}

static int
inode_decode(const struct ext2fs *fs, uint32_t ino, const uint8_t *raw,
    uint32_t extra_isize, struct ext2fs_inode *ip)
{
	uint16_t type;
	uint32_t dev;
	int error;

	ip->ei_mode = ext2_le16(raw + EXT2_I_MODE);
	ip->ei_uid = ext2_le16(raw + EXT2_I_UID) |
	    (uint32_t)ext2_le16(raw + EXT2_I_UID_HIGH) << 16;
	ip->ei_gid = ext2_le16(raw + EXT2_I_GID) |
	    (uint32_t)ext2_le16(raw + EXT2_I_GID_HIGH) << 16;
	ip->ei_nlink = ext2_le16(raw + EXT2_I_LINKS_COUNT);
	ip->ei_size = ext2_le32(raw + EXT2_I_SIZE_LO) |
	    (uint64_t)ext2_le32(raw + EXT2_I_SIZE_HIGH) << 32;
	if (ip->ei_size > INT64_MAX)
		return ext2fs_corrupt(fs, "inode %u: size %llu", ino,
		    (unsigned long long)ip->ei_size);
	ip->ei_flags = ext2_le32(raw + EXT2_I_FLAGS);
	ip->ei_generation = ext2_le32(raw + EXT2_I_GENERATION);
	ip->ei_file_acl = ext2_le32(raw + EXT2_I_FILE_ACL_LO) |
	    (uint64_t)ext2_le16(raw + EXT2_I_FILE_ACL_HIGH) << 32;
	ip->ei_blocks512 = ext2_le32(raw + EXT2_I_BLOCKS_LO);
	if (fs->e2_rocompat & EXT2F_ROCOMPAT_HUGE_FILE) {
		ip->ei_blocks512 |=
		    (uint64_t)ext2_le16(raw + EXT2_I_BLOCKS_HIGH) << 32;
		if (ip->ei_flags & EXT2_HUGE_FILE_FL)
			ip->ei_blocks512 <<= fs->e2_bshift - 9;
	}
	ip->ei_extra_isize = (uint16_t)extra_isize;
	memcpy(ip->ei_block, raw + EXT2_I_BLOCK, EXT2_I_BLOCK_LEN);

	if ((error = decode_time(fs, raw, ino, EXT2_I_ATIME,
	    EXT2_I_ATIME_EXTRA, extra_isize, &ip->ei_atime)) != 0 ||
	    (error = decode_time(fs, raw, ino, EXT2_I_MTIME,
	    EXT2_I_MTIME_EXTRA, extra_isize, &ip->ei_mtime)) != 0 ||
	    (error = decode_time(fs, raw, ino, EXT2_I_CTIME,
	    EXT2_I_CTIME_EXTRA, extra_isize, &ip->ei_ctime)) != 0)
		return error;
	ip->ei_has_crtime = has_field(extra_isize, EXT2_I_CRTIME, 4);
	if (ip->ei_has_crtime && (error = decode_time(fs, raw, ino,
	    EXT2_I_CRTIME, EXT2_I_CRTIME_EXTRA, extra_isize,
	    &ip->ei_crtime)) != 0)
		return error;

	type = ip->ei_mode & EXT2_IFMT;
	if (type == EXT2_IFCHR || type == EXT2_IFBLK) {
		/* Old encoding (8:8) in i_block[0]; else new (12:20). */
		if ((dev = ext2_le32(ip->ei_block)) != 0) {
			ip->ei_rdev_major = (dev >> 8) & 0xff;
			ip->ei_rdev_minor = dev & 0xff;
		} else {
			dev = ext2_le32(ip->ei_block + 4);
			ip->ei_rdev_major = (dev >> 8) & 0xfff;
			ip->ei_rdev_minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
		}
	}

	if ((ip->ei_flags & EXT4_EXTENTS_FL) &&
	    (!(fs->e2_incompat & EXT2F_INCOMPAT_EXTENTS) ||
	    (ip->ei_flags & EXT4_INLINE_DATA_FL)))
		return ext2fs_corrupt(fs, "inode %u: extents flag 0x%x", ino,
		    ip->ei_flags);
	if ((ip->ei_flags & EXT4_INLINE_DATA_FL) &&
	    !(fs->e2_incompat & EXT2F_INCOMPAT_INLINE_DATA))
		return ext2fs_corrupt(fs, "inode %u: inline data without the "
		    "feature", ino);
	return 0;
}

/*
 * Read and decode inode ino.  ENOENT when it is not in use (free, or in
 * never-initialised table space); EIO (logged) when its bytes are bad.
 */
int
ext2fs_iget(const struct ext2fs *fs, uint32_t ino, struct ext2fs_inode *ip)
{
	uint8_t *raw;
	uint32_t extra_isize = 0;
	size_t i;
	int error;

	memset(ip, 0, sizeof(*ip));
	ip->ei_ino = ino;
	if ((raw = kmem_alloc(fs->e2_isize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_iread_raw(fs, ino, raw)) != 0)
		goto out;
	/* Never written: no checksum to check, nothing there. */
	for (i = 0; i < fs->e2_isize && raw[i] == 0; i++)
		continue;
	if (i == fs->e2_isize) {
		error = ENOENT;
		goto out;
	}
	if (fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE) {
		extra_isize = ext2_le16(raw + EXT2_I_EXTRA_ISIZE);
		if (EXT2_GOOD_OLD_INODE_SIZE + extra_isize > fs->e2_isize ||
		    (extra_isize & 3) != 0) {
			error = ext2fs_corrupt(fs, "inode %u: extra size %u",
			    ino, extra_isize);
			goto out;
		}
	}
	if (fs->e2_metadata_csum) {
		ip->ei_csum_seed = ext2fs_inode_seed(fs, ino,
		    ext2_le32(raw + EXT2_I_GENERATION));
		if (!inode_csum_ok(fs, raw, ip->ei_csum_seed, extra_isize)) {
			error = ext2fs_corrupt(fs, "inode %u: checksum", ino);
			goto out;
		}
	}
	if ((error = inode_decode(fs, ino, raw, extra_isize, ip)) != 0)
		goto out;
	ip->ei_ibody_ea = fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE &&
	    extra_isize != 0 && EXT2_GOOD_OLD_INODE_SIZE + extra_isize + 4 <=
	    fs->e2_isize && ext2_le32(raw + EXT2_GOOD_OLD_INODE_SIZE +
	    extra_isize) == EXT2_XATTR_MAGIC;
	if (ip->ei_mode == 0 || ip->ei_nlink == 0)
		error = ENOENT;
out:
	kmem_free(raw, fs->e2_isize);
	return error;
}
