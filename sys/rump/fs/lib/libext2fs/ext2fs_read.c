/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Reading a file's bytes and a symlink's target.  Holes and unwritten
 * extents read as zeros; runs of contiguous blocks go to the device in
 * one read through the device interface (for a mount, the buffer
 * cache: ext2fs_vfsops.c).
 */
#include <sys/systm.h>

#include "ext2fs.h"

/*
 * Read up to len bytes at off into buf, stopping at the end of the file;
 * *donep is how many were read.
 */
int
ext2fs_read(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    uint64_t off, void *buf, size_t len, size_t *donep)
{
	uint8_t *dst = buf;
	uint64_t lblk, pblk, run, boff, n;
	int error = 0;

	*donep = 0;
	if (off >= ip->ei_size)
		return 0;
	if (len > ip->ei_size - off)
		len = (size_t)(ip->ei_size - off);
	if (ip->ei_flags & EXT4_INLINE_DATA_FL) {
		if ((error = ext2fs_inline_read(fs, ip, off, buf, len)) == 0)
			*donep = len;
		return error;
	}
	while (len > 0) {
		lblk = off >> fs->e2_bshift;
		boff = off & (fs->e2_bsize - 1);
		if ((error = ext2fs_bmap(fs, ip, lblk, &pblk, &run)) != 0)
			break;
		/* run >= 1; bound it before multiplying. */
		n = MIN(run, ((uint64_t)len + boff + fs->e2_bsize - 1) >>
		    fs->e2_bshift);
		n = MIN((n << fs->e2_bshift) - boff, len);
		if (pblk == 0)
			memset(dst, 0, n);
		else if ((error = ext2fs_devread(fs,
		    (pblk << fs->e2_bshift) + boff, dst, n)) != 0)
			break;
		dst += n;
		off += n;
		len -= n;
		*donep += n;
	}
	return error;
}

/*
 * A symlink's target, not NUL-terminated: *donep bytes.  A fast symlink
 * keeps it in i_block: under 60 bytes, and no blocks but perhaps an
 * extended attribute block.  A slow one keeps it in its first block, so
 * it is shorter than a block.
 */
int
ext2fs_readlink(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    char *buf, size_t len, size_t *donep)
{
	uint64_t data512;
	size_t n;

	*donep = 0;
	if ((ip->ei_mode & EXT2_IFMT) != EXT2_IFLNK)
		return EINVAL;
	if (ip->ei_size == 0 || ip->ei_size >= fs->e2_bsize)
		return ext2fs_corrupt(fs, "inode %u: symlink of %llu bytes",
		    ip->ei_ino, (unsigned long long)ip->ei_size);
	n = MIN(len, (size_t)ip->ei_size);
	data512 = ip->ei_blocks512;
	if (ip->ei_file_acl != 0)
		data512 -= MIN(data512, fs->e2_bsize >> 9);
	if (ip->ei_size < EXT2_I_BLOCK_LEN && data512 == 0 &&
	    !(ip->ei_flags & EXT4_INLINE_DATA_FL)) {
		memcpy(buf, ip->ei_block, n);
		*donep = n;
		return 0;
	}
	return ext2fs_read(fs, ip, 0, buf, n, donep);
}
