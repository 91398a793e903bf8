/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Inline data (ext4 inline_data): a small file's bytes live in the inode
 * itself, the first 60 in i_block and the rest in the value of the
 * in-inode extended attribute "system.data".  The attribute area is
 * parsed here with every offset and size checked against the inode's
 * bytes.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

/*
 * Find system.data among the in-inode attributes of raw: its offset and
 * size in raw (0, 0 when there is none).
 */
static int
find_data_attr(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    const uint8_t *raw, size_t *offp, size_t *sizep)
{
	size_t start = EXT2_GOOD_OLD_INODE_SIZE + ip->ei_extra_isize;
	size_t end = fs->e2_isize, base, e, elen, voff, vsize;

	*offp = *sizep = 0;
	if (start + 4 > end || ext2_le32(raw + start) != EXT2_XATTR_MAGIC)
		return 0;
	base = start + 4;               /* value offsets count from here */
	for (e = base; e + 4 <= end && ext2_le32(raw + e) != 0; e += elen) {
		if (e + EXT2_XE_NAME > end)
			break;
		elen = (EXT2_XE_NAME + raw[e + EXT2_XE_NAME_LEN] + 3) & ~(size_t)3;
		if (e + elen > end)
			break;
		if (raw[e + EXT2_XE_NAME_INDEX] != EXT2_XATTR_INDEX_SYSTEM ||
		    raw[e + EXT2_XE_NAME_LEN] != 4 ||
		    memcmp(raw + e + EXT2_XE_NAME, "data", 4) != 0)
			continue;
		if (ext2_le32(raw + e + EXT2_XE_VALUE_INUM) != 0)
			return ext2fs_corrupt(fs, "inode %u: inline data in an "
			    "attribute inode", ip->ei_ino);
		voff = ext2_le16(raw + e + EXT2_XE_VALUE_OFFS);
		vsize = ext2_le32(raw + e + EXT2_XE_VALUE_SIZE);
		if (voff > end - base || vsize > end - base - voff)
			return ext2fs_corrupt(fs, "inode %u: inline data value "
			    "%zu+%zu outside the inode", ip->ei_ino, voff, vsize);
		*offp = base + voff;
		*sizep = vsize;
		return 0;
	}
	return 0;
}

/*
 * Copy len bytes at off of an inline-data inode's contents to buf;
 * [off, off + len) must lie within the file's size.
 */
int
ext2fs_inline_read(const struct ext2fs *fs, const struct ext2fs_inode *ip,
    uint64_t off, void *buf, size_t len)
{
	uint8_t *raw, *dst = buf;
	size_t aoff, asize, n;
	int error;

	if ((raw = kmem_alloc(fs->e2_isize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_iread_raw(fs, ip->ei_ino, raw)) != 0)
		goto out;
	if ((error = find_data_attr(fs, ip, raw, &aoff, &asize)) != 0)
		goto out;
	if (ip->ei_size > EXT2_I_BLOCK_LEN + asize) {
		error = ext2fs_corrupt(fs, "inode %u: %llu bytes of inline data "
		    "in %zu", ip->ei_ino, (unsigned long long)ip->ei_size,
		    EXT2_I_BLOCK_LEN + asize);
		goto out;
	}
	if (off < EXT2_I_BLOCK_LEN) {
		n = MIN(len, EXT2_I_BLOCK_LEN - (size_t)off);
		memcpy(dst, ip->ei_block + off, n);
		dst += n;
		len -= n;
		off += n;
	}
	if (len > 0)
		memcpy(dst, raw + aoff + (off - EXT2_I_BLOCK_LEN), len);
out:
	kmem_free(raw, fs->e2_isize);
	return error;
}
