/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Directories: read a directory block and check all of it before any
 * record is used (each record's length covers its header and name and
 * stays inside the block, the records tile the block exactly, names are
 * at most 255 bytes without '/' or NUL, inode numbers are in range, and
 * the block's checksum holds with metadata_csum); then iterate records
 * (readdir) or search them for a name (lookup, linearly here or through
 * the hash index in ext2fs_htree.c).
 *
 * A block is checked once per read from the disk: the check is noted
 * in the device's cache (ext2fs_bread_checked) under the directory's
 * inode number, the block's place in it and whether the directory is
 * indexed (ext2fs_dirblk_note), so a block that another directory, or
 * another place, claims (a corrupt image) is checked again for it.
 *
 * A readdir offset is the byte offset of a record in the directory, as
 * in the Linux kernel for a directory read without the index; a stale
 * offset inside a record moves on to the next record.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

/* Record length as stored; 64 KiB blocks spell 65536 as 65535 or 0. */
static uint32_t
rec_len(const struct ext2fs *fs, const uint8_t *r)
{
	uint32_t v = ext2_le16(r + EXT2_DIRENT_REC_LEN);

	if (fs->e2_bsize < 65536)
		return v;
	if (v == 65535 || v == 0)
		return fs->e2_bsize;
	return (v & 65532) | (v & 3) << 16;
}

static uint32_t
name_len(const struct ext2fs *fs, const uint8_t *r)
{
	if (fs->e2_incompat & EXT2F_INCOMPAT_FILETYPE)
		return r[EXT2_DIRENT_NAME_LEN];
	return ext2_le16(r + EXT2_DIRENT_NAME_LEN);
}

static uint8_t
file_type(const struct ext2fs *fs, const uint8_t *r)
{
	if (fs->e2_incompat & EXT2F_INCOMPAT_FILETYPE)
		return r[EXT2_DIRENT_FILE_TYPE];
	return EXT2_FT_UNKNOWN;
}

/*
 * A name is one path component: a '/' would make the VFS's callers
 * (getdents readers joining paths) see two, a NUL a shorter one.  One
 * inline pass: every lookup checks its whole block.
 */
static inline bool
name_ok(const uint8_t *nm, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (nm[i] == '/' || nm[i] == '\0')
			return false;
	return true;
}

/* Whether the directory's hash index is to be used. */
bool
ext2fs_dir_indexed(const struct ext2fs *fs, const struct ext2fs_inode *dp)
{
	return (dp->ei_flags & EXT2_INDEX_FL) &&
	    (fs->e2_compat & EXT2F_COMPAT_DIR_INDEX);
}

/* Whether a block of an indexed directory is an index node. */
static bool
is_dx_node(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, const uint8_t *b)
{
	if (!ext2fs_dir_indexed(fs, dp))
		return false;
	return lblk == 0 || (ext2_le32(b + EXT2_DIRENT_INODE) == 0 &&
	    rec_len(fs, b) == fs->e2_bsize && name_len(fs, b) == 0);
}

static int
leaf_csum_check(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, const uint8_t *b)
{
	const uint8_t *t = b + fs->e2_bsize - EXT2_DIRENT_TAIL_SIZE;

	if (ext2_le32(t + EXT2_DIRENT_INODE) != 0 ||
	    rec_len(fs, t) != EXT2_DIRENT_TAIL_SIZE || t[6] != 0 ||
	    t[7] != EXT2_DIRENT_TAIL_FT)
		return ext2fs_corrupt(fs, "directory %u block %llu: no "
		    "checksum tail", dp->ei_ino, (unsigned long long)lblk);
	if (ext2fs_crc32c(dp->ei_csum_seed, b,
	    fs->e2_bsize - EXT2_DIRENT_TAIL_SIZE) !=
	    ext2_le32(t + EXT2_DIRENT_TAIL_CSUM))
		return ext2fs_corrupt(fs, "directory %u block %llu: checksum",
		    dp->ei_ino, (unsigned long long)lblk);
	return 0;
}

/*
 * Check block lblk of directory dp, as read into buf (a block); *limitp
 * is where its records end (before a checksum tail).
 */
int
ext2fs_dirblk_check(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, const uint8_t *buf, size_t *limitp)
{
	uint32_t off, rl, nl, ino;
	size_t limit = fs->e2_bsize;
	bool dx;
	int error;

	dx = is_dx_node(fs, dp, lblk, buf);
	if (fs->e2_metadata_csum) {
		if (dx)
			error = ext2fs_dx_csum_check(fs, dp, lblk, buf);
		else {
			error = leaf_csum_check(fs, dp, lblk, buf);
			limit -= EXT2_DIRENT_TAIL_SIZE;
		}
		if (error != 0)
			return error;
	}
	for (off = 0; off < limit; off += rl) {
		if (limit - off < EXT2_DIRENT_HDR)
			return ext2fs_corrupt(fs, "directory %u block %llu: "
			    "record header at %u overruns", dp->ei_ino,
			    (unsigned long long)lblk, off);
		rl = rec_len(fs, buf + off);
		nl = name_len(fs, buf + off);
		ino = ext2_le32(buf + off + EXT2_DIRENT_INODE);
		if (nl > EXT2_NAME_MAX || rl < EXT2_DIR_REC_LEN(nl) ||
		    (rl & 3) != 0 || rl > limit - off)
			return ext2fs_corrupt(fs, "directory %u block %llu: "
			    "record at %u: length %u, name length %u",
			    dp->ei_ino, (unsigned long long)lblk, off, rl, nl);
		if (ino > fs->e2_ninodes || (ino != 0 && nl == 0) ||
		    file_type(fs, buf + off) >= EXT2_FT_MAX)
			return ext2fs_corrupt(fs, "directory %u block %llu: "
			    "record at %u: inode %u, name length %u, type %u",
			    dp->ei_ino, (unsigned long long)lblk, off, ino, nl,
			    file_type(fs, buf + off));
		if (ino != 0 && !name_ok(buf + off + EXT2_DIRENT_NAME, nl))
			return ext2fs_corrupt(fs, "directory %u block %llu: "
			    "record at %u: '/' or NUL in the name",
			    dp->ei_ino, (unsigned long long)lblk, off);
	}
	*limitp = limit;
	return 0;
}

/* What a checked block lblk of directory dp is noted as (never 0). */
uint64_t
ext2fs_dirblk_note(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk)
{
	return (uint64_t)dp->ei_ino << 32 | (lblk & 0x3fffffff) << 2 |
	    (ext2fs_dir_indexed(fs, dp) ? 2 : 0) | 1;
}

/* Where the records of a checked block end (before a checksum tail). */
size_t
ext2fs_dirblk_limit(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, const uint8_t *buf)
{
	if (fs->e2_metadata_csum && !is_dx_node(fs, dp, lblk, buf))
		return fs->e2_bsize - EXT2_DIRENT_TAIL_SIZE;
	return fs->e2_bsize;
}

struct dirblk_ctx {
	const struct ext2fs *fs;
	const struct ext2fs_inode *dp;
	uint64_t lblk;
};

static int
dirblk_check_cb(void *arg, const uint8_t *buf)
{
	const struct dirblk_ctx *c = arg;
	size_t limit;

	return ext2fs_dirblk_check(c->fs, c->dp, c->lblk, buf, &limit);
}

/*
 * Read logical block lblk of directory dp into buf (a block) and check
 * it (once per read from the disk); *limitp is where its records end
 * (before a checksum tail).
 */
int
ext2fs_dirblk_read(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t lblk, uint8_t *buf, size_t *limitp)
{
	struct dirblk_ctx c = { fs, dp, lblk };
	uint64_t pblk, run;
	int error;

	if ((error = ext2fs_bmap(fs, dp, lblk, &pblk, &run)) != 0)
		return error;
	if (pblk == 0)
		return ext2fs_corrupt(fs, "directory %u: hole at block %llu",
		    dp->ei_ino, (unsigned long long)lblk);
	if ((error = ext2fs_bread_checked(fs, pblk, buf,
	    ext2fs_dirblk_note(fs, dp, lblk), dirblk_check_cb, &c)) != 0)
		return error;
	*limitp = ext2fs_dirblk_limit(fs, dp, lblk, buf);
	return 0;
}

/*
 * Find name in a block checked by ext2fs_dirblk_read(): 0 with its inode
 * and type, or ENOENT.
 */
int
ext2fs_dirblk_find(const struct ext2fs *fs, const uint8_t *buf, size_t limit,
    const char *name, size_t namelen, uint32_t *inop, uint8_t *typep)
{
	const uint8_t *r;
	size_t off;

	for (off = 0; off < limit; off += rec_len(fs, r)) {
		r = buf + off;
		if (ext2_le32(r + EXT2_DIRENT_INODE) != 0 &&
		    name_len(fs, r) == namelen &&
		    memcmp(r + EXT2_DIRENT_NAME, name, namelen) == 0) {
			*inop = ext2_le32(r + EXT2_DIRENT_INODE);
			*typep = file_type(fs, r);
			return 0;
		}
	}
	return ENOENT;
}

/* The name of the first live record of a checked block, if any. */
bool
ext2fs_dirblk_first(const struct ext2fs *fs, const uint8_t *buf, size_t limit,
    const char **namep, size_t *lenp)
{
	const uint8_t *r;
	size_t off;

	for (off = 0; off < limit; off += rec_len(fs, r)) {
		r = buf + off;
		if (ext2_le32(r + EXT2_DIRENT_INODE) != 0) {
			*namep = (const char *)r + EXT2_DIRENT_NAME;
			*lenp = name_len(fs, r);
			return true;
		}
	}
	return false;
}

static uint64_t
dir_nblocks(const struct ext2fs *fs, const struct ext2fs_inode *dp)
{
	return (dp->ei_size + fs->e2_bsize - 1) >> fs->e2_bshift;
}

static int
dir_check(const struct ext2fs_inode *dp)
{
	if ((dp->ei_mode & EXT2_IFMT) != EXT2_IFDIR)
		return ENOTDIR;
	if (dp->ei_flags & EXT4_INLINE_DATA_FL) {
		log(LOG_NOTICE, "ext2fs: directory %u: inline directories "
		    "are not read yet", dp->ei_ino);
		return EOPNOTSUPP;
	}
	return 0;
}

/*
 * Hand the live records of directory dp from offset *offp on to fn, in
 * on-disk order.  When fn returns EXT2FS_DIR_STOP the record was not
 * taken: *offp is left at it and readdir returns 0.  At the end *offp is
 * the directory's size.
 */
int
ext2fs_readdir(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    uint64_t *offp, int (*fn)(void *, const struct ext2fs_dirent *), void *arg)
{
	struct ext2fs_dirent *de;
	uint64_t lblk, nblk, base;
	uint8_t *buf;
	size_t limit, off;
	const uint8_t *r;
	int error;

	if ((error = dir_check(dp)) != 0)
		return error;
	nblk = dir_nblocks(fs, dp);
	if ((buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((de = kmem_alloc(sizeof(*de), KM_SLEEP)) == NULL) {
		kmem_free(buf, fs->e2_bsize);
		return ENOMEM;
	}
	for (lblk = *offp >> fs->e2_bshift; lblk < nblk; lblk++) {
		if ((error = ext2fs_dirblk_read(fs, dp, lblk, buf, &limit)) != 0)
			goto out;
		base = lblk << fs->e2_bshift;
		for (off = 0; off < limit; off += rec_len(fs, r)) {
			r = buf + off;
			if (base + off < *offp ||
			    ext2_le32(r + EXT2_DIRENT_INODE) == 0)
				continue;
			de->ed_ino = ext2_le32(r + EXT2_DIRENT_INODE);
			de->ed_type = file_type(fs, r);
			de->ed_namelen = (uint8_t)name_len(fs, r);
			memcpy(de->ed_name, r + EXT2_DIRENT_NAME, de->ed_namelen);
			de->ed_name[de->ed_namelen] = '\0';
			de->ed_off = base + off;
			de->ed_next = base + off + rec_len(fs, r);
			if (fn(arg, de) == EXT2FS_DIR_STOP) {
				*offp = de->ed_off;
				goto out;
			}
		}
		*offp = base + fs->e2_bsize;
	}
	*offp = dp->ei_size;
out:
	kmem_free(de, sizeof(*de));
	kmem_free(buf, fs->e2_bsize);
	return error;
}

static int
lookup_linear(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    const char *name, size_t namelen, uint32_t *inop, uint8_t *typep)
{
	uint64_t lblk, nblk = dir_nblocks(fs, dp);
	uint8_t *buf;
	size_t limit;
	int error = ENOENT;

	if ((buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	for (lblk = 0; lblk < nblk && error == ENOENT; lblk++)
		if ((error = ext2fs_dirblk_read(fs, dp, lblk, buf, &limit)) == 0)
			error = ext2fs_dirblk_find(fs, buf, limit, name, namelen,
			    inop, typep);
	kmem_free(buf, fs->e2_bsize);
	return error;
}

/*
 * Look name up in directory dp: 0 with its inode number (in range, not
 * yet read) and file type, ENOENT, or an error.
 */
int
ext2fs_lookup(const struct ext2fs *fs, const struct ext2fs_inode *dp,
    const char *name, size_t namelen, uint32_t *inop, uint8_t *typep)
{
	int error;

	if ((error = dir_check(dp)) != 0)
		return error;
	if (namelen == 0 || namelen > EXT2_NAME_MAX)
		return namelen == 0 ? ENOENT : ENAMETOOLONG;
	/*
	 * An index that is corrupt, or points a hash at the wrong leaf,
	 * must not hide names readdir shows: as Linux, scan the blocks.
	 */
	if (ext2fs_dir_indexed(fs, dp) &&
	    (error = ext2fs_htree_lookup(fs, dp, name, namelen, inop,
	    typep)) != EXT2FS_BADINDEX && error != EIO)
		return error;
	return lookup_linear(fs, dp, name, namelen, inop, typep);
}
