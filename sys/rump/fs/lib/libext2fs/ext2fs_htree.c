/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Lookup through a directory's hash index (htree).  The root (block 0)
 * and interior nodes hold {hash, block} entries sorted by hash; the
 * entry covering a name is the last whose hash is <= the name's, its
 * block the next node down or, at the bottom, the leaf holding the name.
 * When the leaf does not have it and the next entry's hash equals the
 * name's (its low bit set: "continued"), the run of colliding names goes
 * on in that entry's leaf.  Every count, limit, level and block
 * number is checked; the depth is at most 2 (3 with large_dir) below
 * the root, so a lookup reads a bounded number of blocks.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

#define DX_BLOCK_MASK 0x0fffffffu       /* high bits of a block are flags */

/* Where a node's entries start (the limit/count pair is entry 0). */
static size_t
dx_entries_off(uint64_t lblk)
{
	return lblk == 0 ? EXT2_DX_ROOT_ENTRIES : EXT2_DX_NODE_ENTRIES;
}

/*
 * Check the count and limit of a node and, with metadata_csum, its
 * checksum tail right after limit entries.
 */
static int
dx_counts(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, const uint8_t *b, uint32_t *countp)
{
	size_t off = dx_entries_off(lblk);
	uint32_t limit = ext2_le16(b + off + EXT2_DX_LIMIT);
	uint32_t count = ext2_le16(b + off + EXT2_DX_COUNT);
	uint32_t want = (uint32_t)((fs->e2_bsize - off -
	    (fs->e2_metadata_csum ? EXT2_DX_TAIL_SIZE : 0)) / EXT2_DX_ENTRY_SIZE);

	if (limit != want || count == 0 || count > limit)
		return ext2fs_corrupt(fs, "directory %u index block %llu: "
		    "count %u, limit %u (expected %u)", dp->ei_ino,
		    (unsigned long long)lblk, count, limit, want);
	*countp = count;
	return 0;
}

/* The checksum of an index node (called by ext2fs_dirblk_read()). */
int
ext2fs_dx_csum_check(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, const uint8_t *b)
{
	static const uint8_t zero[4];
	size_t off = dx_entries_off(lblk), tail;
	uint32_t count, c;
	int error;

	if ((error = dx_counts(fs, dp, lblk, b, &count)) != 0)
		return error;
	tail = off + (size_t)ext2_le16(b + off + EXT2_DX_LIMIT) *
	    EXT2_DX_ENTRY_SIZE;
	c = ext2fs_crc32c(dp->ei_csum_seed, b, off + count * EXT2_DX_ENTRY_SIZE);
	/* The tail's reserved word, then its checksum word as zero. */
	c = ext2fs_crc32c(c, b + tail, 4);
	c = ext2fs_crc32c(c, zero, 4);
	if (c != ext2_le32(b + tail + 4))
		return ext2fs_corrupt(fs, "directory %u index block %llu: "
		    "checksum", dp->ei_ino, (unsigned long long)lblk);
	return 0;
}

/* One level of the path from the root: a node and the entry taken. */
struct dx_level {
	uint64_t lblk;
	uint32_t pos, count;
	uint32_t lo, hi;                /* hashes the entry taken covers */
	bool hi_incl;                   /* hi itself too (a collision run) */
};

/*
 * Read index node lblk and pick the entry for hash: its position and
 * the block it points to.
 */
static int
dx_pick(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint8_t *buf, struct dx_level *lv, uint32_t hash, uint64_t *childp)
{
	uint64_t nblk = dp->ei_size >> fs->e2_bshift;
	const uint8_t *e;
	size_t limit;
	uint32_t i, h, prev = 0;
	int error;

	if ((error = ext2fs_dirblk_read(fs, dp, lv->lblk, buf, &limit)) != 0 ||
	    (error = dx_counts(fs, dp, lv->lblk, buf, &lv->count)) != 0)
		return error;
	if (lv->lblk != 0 && (ext2_le32(buf + EXT2_DIRENT_INODE) != 0 ||
	    limit != fs->e2_bsize))
		return ext2fs_corrupt(fs, "directory %u block %llu: not an "
		    "index node", dp->ei_ino, (unsigned long long)lv->lblk);
	e = buf + dx_entries_off(lv->lblk);
	lv->pos = 0;
	for (i = 1; i < lv->count; i++) {
		h = ext2_le32(e + i * EXT2_DX_ENTRY_SIZE);
		if (h < prev)
			return ext2fs_corrupt(fs, "directory %u index block "
			    "%llu: hashes out of order", dp->ei_ino,
			    (unsigned long long)lv->lblk);
		prev = h;
		if (h <= hash)
			lv->pos = i;
	}
	/*
	 * The leaf holds hashes from its entry's up to the next entry's,
	 * and that one too when the next leaf continues a collision run
	 * (its low bit set).
	 */
	lv->lo = lv->pos > 0 ?
	    ext2_le32(e + lv->pos * EXT2_DX_ENTRY_SIZE) & ~1u : 0;
	lv->hi = UINT32_MAX;
	lv->hi_incl = true;
	if (lv->pos + 1 < lv->count) {
		h = ext2_le32(e + (lv->pos + 1) * EXT2_DX_ENTRY_SIZE);
		lv->hi = h & ~1u;
		lv->hi_incl = (h & 1) != 0;
	}
	*childp = ext2_le32(e + lv->pos * EXT2_DX_ENTRY_SIZE + 4) & DX_BLOCK_MASK;
	if (*childp == 0 || *childp >= nblk)
		return ext2fs_corrupt(fs, "directory %u index block %llu: "
		    "child %llu of %llu blocks", dp->ei_ino,
		    (unsigned long long)lv->lblk, (unsigned long long)*childp,
		    (unsigned long long)nblk);
	return 0;
}

/* The root: its info, the hash version, the levels below it. */
int
ext2fs_dx_root(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    const uint8_t *b, int *verp, int *levelsp)
{
	const uint8_t *ri = b + EXT2_DX_ROOT_INFO;
	int ver = ri[EXT2_DX_RI_HASH_VERSION], levels = ri[EXT2_DX_RI_LEVELS];
	int maxlev = (fs->e2_incompat & EXT2F_INCOMPAT_LARGEDIR) ?
	    EXT2_DX_MAX_LEVELS_LARGE : EXT2_DX_MAX_LEVELS;

	if (ext2_le32(ri) != 0 || ri[EXT2_DX_RI_INFO_LENGTH] != 8 ||
	    levels >= maxlev || ver > EXT2_HASH_TEA)
		return ext2fs_corrupt(fs, "directory %u index root: hash %d, "
		    "info length %u, %d levels", dp->ei_ino, ver,
		    ri[EXT2_DX_RI_INFO_LENGTH], levels);
	if (fs->e2_hash_unsigned)
		ver += EXT2_HASH_LEGACY_UNSIGNED;
	*verp = ver;
	*levelsp = levels;
	return 0;
}

/*
 * Whether a leaf the index sent a lookup to holds names of the hashes
 * its entry covers; checked on a miss, with the leaf's first name.
 */
static bool
leaf_fits(const struct ext2fs *fs, const struct ext2fs_inode *dp, int ver,
    const uint8_t *buf, size_t limit, const struct dx_level *lv)
{
	const char *nm;
	size_t len;
	uint32_t h, minor;

	if (!ext2fs_dirblk_first(fs, buf, limit, &nm, &len) ||
	    ext2fs_hash(ver, fs->e2_hash_seed, nm, len, &h, &minor) != 0)
		return true;
	h &= ~1u;
	if (h >= lv->lo && (h < lv->hi || (lv->hi_incl && h == lv->hi)))
		return true;
	(void)ext2fs_corrupt(fs, "directory %u: the hash index sends hash "
	    "0x%08x to a leaf of 0x%08x; scanning the directory instead",
	    dp->ei_ino, lv->lo, h);
	return false;
}

int
ext2fs_htree_lookup(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    const char *name, size_t namelen, uint32_t *inop, uint8_t *typep)
{
	struct dx_level path[EXT2_DX_MAX_LEVELS_LARGE];
	uint32_t hash, minor, next;
	uint64_t child = 0;
	uint8_t *buf;
	size_t limit;
	int ver = 0, levels = 0, lv, error;
	bool first_leaf = true;

	if ((buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_dirblk_read(fs, dp, 0, buf, &limit)) != 0 ||
	    (error = ext2fs_dx_root(fs, dp, buf, &ver, &levels)) != 0)
		goto out;
	if ((error = ext2fs_hash(ver, fs->e2_hash_seed, name, namelen, &hash,
	    &minor)) != 0)
		goto out;
	/* Down from the root to a leaf. */
	path[0].lblk = 0;
	for (lv = 0;; lv++) {
		if ((error = dx_pick(fs, dp, buf, &path[lv], hash, &child)) != 0)
			goto out;
		if (lv == levels)
			break;
		path[lv + 1].lblk = child;
	}
	for (;;) {
		if ((error = ext2fs_dirblk_read(fs, dp, child, buf,
		    &limit)) != 0)
			goto out;
		error = ext2fs_dirblk_find(fs, buf, limit, name, namelen, inop,
		    typep);
		if (error != ENOENT)
			goto out;
		if (first_leaf && !leaf_fits(fs, dp, ver, buf, limit,
		    &path[levels])) {
			error = EXT2FS_BADINDEX;
			goto out;
		}
		first_leaf = false;
		/*
		 * Not here: the next leaf can only hold it if its entry
		 * starts with our hash (a collision run continued, the low
		 * bit set).  Find the next entry, up past the ends of nodes.
		 */
		for (lv = levels; lv >= 0 && path[lv].pos + 1 >= path[lv].count;
		     lv--)
			continue;
		if (lv < 0)
			goto out;
		path[lv].pos++;
		if ((error = ext2fs_dirblk_read(fs, dp, path[lv].lblk, buf,
		    &limit)) != 0)
			goto out;
		next = ext2_le32(buf + dx_entries_off(path[lv].lblk) +
		    path[lv].pos * EXT2_DX_ENTRY_SIZE);
		if ((next & ~1u) != hash) {
			error = ENOENT;
			goto out;
		}
		/* Down the leftmost side of the subtree to the next leaf. */
		child = ext2_le32(buf + dx_entries_off(path[lv].lblk) +
		    path[lv].pos * EXT2_DX_ENTRY_SIZE + 4) & DX_BLOCK_MASK;
		for (lv++; lv <= levels; lv++) {
			path[lv].lblk = child;
			if ((error = dx_pick(fs, dp, buf, &path[lv], 0,
			    &child)) != 0)
				goto out;
		}
		if (child == 0 || child >= dp->ei_size >> fs->e2_bshift) {
			error = ext2fs_corrupt(fs, "directory %u: index child "
			    "%llu", dp->ei_ino, (unsigned long long)child);
			goto out;
		}
	}
out:
	kmem_free(buf, fs->e2_bsize);
	return error;
}
