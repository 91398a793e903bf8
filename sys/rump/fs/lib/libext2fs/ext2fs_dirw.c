/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Changing directories: add a record (in the slack of a live record or
 * in a free one large enough, else in a new block at the end), remove
 * one (its space joins the record before it in its block, or it becomes
 * a free record when it is the first), point a record at another inode
 * (rename over a name, a moved directory's ".."), and make the first
 * block of a new directory.  Each block is checked as the reader checks
 * it before a record of it is touched.
 *
 * Hash-indexed directories: a plain directory whose one block is full
 * is made indexed on a dir_index file system, as Linux does
 * (ext2fs_htree_index).  Removing a record and repointing one keep
 * the index right (hashes and leaf blocks do not change).  Adding one
 * goes through the index (ext2fs_htreew.c); only when the index cannot
 * take it is the index dropped: the directory loses EXT2_INDEX_FL and
 * the index root in block 0 is cleared, leaving a plain directory whose
 * old interior index blocks read as empty blocks (made empty leaves
 * with a checksum tail under metadata_csum), as e2fsck accepts.
 *
 * With metadata_csum every leaf ends in its 12-byte checksum tail and
 * records stop before it; each changed block gets its checksum on the
 * way out (ext2fs_dirw_put).
 *
 * Called with em_lock held as writer (ext2fs_vfs.h).  Record lengths
 * are plain le16: read-write mounts have blocks of at most 32 KiB.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/param.h>

#include "ext2fs_vfs.h"

uint8_t
ext2fs_mode_to_ft(uint16_t mode)
{
	switch (mode & EXT2_IFMT) {
	case EXT2_IFREG: return EXT2_FT_REG_FILE;
	case EXT2_IFDIR: return EXT2_FT_DIR;
	case EXT2_IFCHR: return EXT2_FT_CHRDEV;
	case EXT2_IFBLK: return EXT2_FT_BLKDEV;
	case EXT2_IFIFO: return EXT2_FT_FIFO;
	case EXT2_IFSOCK: return EXT2_FT_SOCK;
	case EXT2_IFLNK: return EXT2_FT_SYMLINK;
	default: return EXT2_FT_UNKNOWN;
	}
}

static bool
has_ft(const struct ext2fs *fs)
{
	return (fs->e2_incompat & EXT2F_INCOMPAT_FILETYPE) != 0;
}

static uint32_t
r_len(const uint8_t *r)
{
	return ext2_le16(r + EXT2_DIRENT_REC_LEN);
}

static uint32_t
r_namelen(const struct ext2fs *fs, const uint8_t *r)
{
	return has_ft(fs) ? r[EXT2_DIRENT_NAME_LEN] :
	    ext2_le16(r + EXT2_DIRENT_NAME_LEN);
}

static void
r_set(const struct ext2fs *fs, uint8_t *r, uint32_t ino, uint32_t rl,
    const char *name, size_t len, uint8_t ft)
{
	ext2_set_le32(r + EXT2_DIRENT_INODE, ino);
	ext2_set_le16(r + EXT2_DIRENT_REC_LEN, (uint16_t)rl);
	if (has_ft(fs)) {
		r[EXT2_DIRENT_NAME_LEN] = (uint8_t)len;
		r[EXT2_DIRENT_FILE_TYPE] = ft;
	} else
		ext2_set_le16(r + EXT2_DIRENT_NAME_LEN, (uint16_t)len);
	memcpy(r + EXT2_DIRENT_NAME, name, len);
}

static bool
r_is(const struct ext2fs *fs, const uint8_t *r, const char *name, size_t len)
{
	return ext2_le32(r + EXT2_DIRENT_INODE) != 0 &&
	    r_namelen(fs, r) == len &&
	    memcmp(r + EXT2_DIRENT_NAME, name, len) == 0;
}

static uint64_t
dir_nblocks(const struct ext2fs *fs, const struct ext2fs_inode *dp)
{
	return dp->ei_size >> fs->e2_bshift;
}

/* Block lblk of directory np, checked, for changing; *limitp: end. */
int
ext2fs_dirw_get(struct ext2fs_mount *em, struct ext2fs_node *np, uint64_t lblk,
    struct buf **bpp, size_t *limitp)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t pblk, note;
	bool isnew;
	int error;

	if ((error = ext2fs_bmap_alloc(em, np, lblk, false, true, &pblk,
	    &isnew)) != 0)
		return error;
	if (pblk == 0)
		return ext2fs_corrupt(fs, "directory %u: hole at block %llu",
		    np->n_ip.ei_ino, (unsigned long long)lblk);
	if ((error = ext2fs_blk_read(em, pblk, bpp)) != 0)
		return error;
	/*
	 * Checked once per read from the disk.  The note goes while the
	 * block is the writer's: ext2fs_dirw_put() gives it back, and a
	 * block released unwritten (an error half way) is checked again.
	 */
	note = ext2fs_dirblk_note(fs, &np->n_ip, lblk);
	if ((*bpp)->b_fschecked == note)
		*limitp = ext2fs_dirblk_limit(fs, &np->n_ip, lblk,
		    (*bpp)->b_data);
	else if ((error = ext2fs_dirblk_check(fs, &np->n_ip, lblk,
	    (*bpp)->b_data, limitp)) != 0) {
		brelse(*bpp, 0);
		return error;
	}
	(*bpp)->b_fschecked = 0;
	return 0;
}

/* Bytes of a leaf block that records may use (before a checksum tail). */
uint32_t
ext2fs_dirw_room(const struct ext2fs *fs)
{
	return fs->e2_bsize - (fs->e2_metadata_csum ? EXT2_DIRENT_TAIL_SIZE : 0);
}

/*
 * Hand block lblk of np over, changed, with its checksum.  A leaf as
 * the writer leaves it passes the reader's check (its records were
 * checked before the change and are changed only here, its checksum is
 * set here): it keeps its note, so the next lookup need not check it.
 */
int
ext2fs_dirw_put(struct ext2fs_mount *em, struct ext2fs_node *np, uint64_t lblk,
    struct buf *bp)
{
	const struct ext2fs *fs = em->em_fs;

	if (lblk == 0 && ext2fs_dir_indexed(fs, &np->n_ip)) {
		ext2fs_dx_csum_set(fs, &np->n_ip, 0, bp->b_data);
		return ext2fs_blk_write(em, bp, false);
	}
	ext2fs_dirblk_csum_set(fs, &np->n_ip, bp->b_data);
	return ext2fs_blk_write_noted(em, bp, false,
	    ext2fs_dirblk_note(fs, &np->n_ip, lblk));
}

/*
 * With metadata_csum an index node left in a directory that lost its
 * index must read as an empty leaf, with a tail: one free record up to
 * the tail.  Leaves are left alone (their first record never spans the
 * whole block when they carry a tail).
 */
static int
undo_nodes(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t nblk = dir_nblocks(fs, &np->n_ip), pblk;
	struct buf *bp;
	uint8_t *b;
	bool isnew;
	int error;

	for (uint64_t lblk = 1; lblk < nblk && fs->e2_metadata_csum; lblk++) {
		if ((error = ext2fs_bmap_alloc(em, np, lblk, false, true,
		    &pblk, &isnew)) != 0)
			return error;
		if (pblk == 0)
			continue;
		if ((error = ext2fs_blk_read(em, pblk, &bp)) != 0)
			return error;
		b = bp->b_data;
		if (ext2_le32(b + EXT2_DIRENT_INODE) != 0 ||
		    r_len(b) != fs->e2_bsize) {
			brelse(bp, 0);
			continue;
		}
		memset(b, 0, fs->e2_bsize);
		ext2_set_le16(b + EXT2_DIRENT_REC_LEN, (uint16_t)ext2fs_dirw_room(fs));
		if ((error = ext2fs_dirw_put(em, np, lblk, bp)) != 0)
			return error;
	}
	return 0;
}

/* Turn an indexed directory into a plain one (see the top of the file). */
static int
drop_index(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	const struct ext2fs *fs = em->em_fs;
	size_t limit, keep = 12 + EXT2_DIR_REC_LEN(2);
	struct buf *bp;
	uint8_t *b;
	int error;

	if ((error = ext2fs_dirw_get(em, np, 0, &bp, &limit)) != 0)
		return error;
	b = bp->b_data;
	/* "." (12 bytes) and ".." spanning the block hold the root. */
	if (r_len(b) != 12 || 12 + r_len(b + 12) != fs->e2_bsize) {
		brelse(bp, 0);
		return ext2fs_corrupt(fs, "directory %u: index root without "
		    "\".\" and \"..\"", np->n_ip.ei_ino);
	}
	memset(b + keep, 0, fs->e2_bsize - keep);
	ext2_set_le16(b + 12 + EXT2_DIRENT_REC_LEN,
	    (uint16_t)(ext2fs_dirw_room(fs) - 12));
	np->n_ip.ei_flags &= ~EXT2_INDEX_FL;
	if ((error = ext2fs_dirw_put(em, np, 0, bp)) != 0 ||
	    (error = undo_nodes(em, np)) != 0)
		return error;
	return ext2fs_iupdate(em, &np->n_ip);
}

/*
 * Put the record name -> ino into a checked block b whose records end
 * at limit: in the slack of a live record or in a free one; false when
 * there is no room.
 */
bool
ext2fs_dirw_place(const struct ext2fs *fs, uint8_t *b, size_t limit,
    const char *name, size_t len, uint32_t ino, uint8_t ft)
{
	uint32_t need = EXT2_DIR_REC_LEN(len), rl, used;
	uint8_t *r;

	for (size_t off = 0; off < limit; off += rl) {
		r = b + off;
		rl = r_len(r);
		used = ext2_le32(r + EXT2_DIRENT_INODE) != 0 ?
		    EXT2_DIR_REC_LEN(r_namelen(fs, r)) : 0;
		if (rl - used < need)
			continue;
		if (used != 0) {
			ext2_set_le16(r + EXT2_DIRENT_REC_LEN, (uint16_t)used);
			r += used;
			rl -= used;
		}
		r_set(fs, r, ino, rl, name, len, ft);
		return true;
	}
	return false;
}

/*
 * Add name -> ino (of file type ft) to directory np, which the caller
 * has checked does not hold name.  Writes the inode when it grows.
 */
int
ext2fs_dir_add(struct ext2fs_mount *em, struct ext2fs_node *np,
    const char *name, size_t len, uint32_t ino, uint8_t ft, bool root)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *dp = &np->n_ip;
	uint64_t lblk, nblk = dir_nblocks(fs, dp), pblk;
	size_t limit;
	struct buf *bp;
	bool isnew;
	int error;

	if (ext2fs_dir_indexed(fs, dp) &&
	    (error = ext2fs_htree_add(em, np, name, len, ino, ft, root)) !=
	    EXT2FS_BADINDEX)
		return error;
	if (dp->ei_flags & EXT2_INDEX_FL) {
		if ((error = drop_index(em, np)) != 0)
			return error;
	}
	for (lblk = MIN(ext2fs_dc_freeblk(np), nblk); lblk < nblk; lblk++) {
		if ((error = ext2fs_dirw_get(em, np, lblk, &bp, &limit)) != 0)
			return error;
		if (ext2fs_dirw_place(fs, bp->b_data, limit, name, len, ino,
		    ft)) {
			if ((error = ext2fs_dirw_put(em, np, lblk, bp)) != 0)
				return error;
			ext2fs_dc_add(np, name, len, ino, ft, lblk);
			return 0;
		}
		brelse(bp, 0);
	}
	/* One full block on a dir_index file system: index it. */
	if (nblk == 1 && (error = ext2fs_htree_index(em, np, root)) !=
	    EXT2FS_BADINDEX) {
		if (error != 0 || (error = ext2fs_htree_add(em, np, name, len,
		    ino, ft, root)) != EXT2FS_BADINDEX)
			return error;
		if ((error = drop_index(em, np)) != 0)
			return error;
		nblk = dir_nblocks(fs, dp);
	}
	/* No room: a new block at the end, one record spanning it. */
	if ((error = ext2fs_bmap_alloc(em, np, nblk, true, root, &pblk,
	    &isnew)) != 0) {
		(void)ext2fs_iupdate(em, dp);
		return error;
	}
	bp = ext2fs_blk_get(em, pblk);
	memset(bp->b_data, 0, fs->e2_bsize);
	r_set(fs, bp->b_data, ino, ext2fs_dirw_room(fs), name, len, ft);
	if ((error = ext2fs_dirw_put(em, np, nblk, bp)) != 0)
		return error;
	ext2fs_dc_add(np, name, len, ino, ft, nblk);
	dp->ei_size += fs->e2_bsize;
	return ext2fs_iupdate(em, dp);
}

/*
 * Find name in np: the block (held) and its number, the record's
 * offset, and the previous record's (SIZE_MAX: it is the first).  The
 * name cache says which block; without it every block is looked at.
 */
static int
dir_find(struct ext2fs_mount *em, struct ext2fs_node *np, const char *name,
    size_t len, struct buf **bpp, uint64_t *lblkp, size_t *offp,
    size_t *prevp)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t lblk, nblk = dir_nblocks(fs, &np->n_ip), last;
	size_t limit, off, prev;
	struct buf *bp;
	uint32_t ino;
	uint8_t ft;
	int error;

	lblk = 0;
	if (ext2fs_dc_lookup(np, name, len, &ino, &ft, &lblk) == 0 &&
	    lblk < nblk)
		last = lblk + 1;
	else
		last = nblk;
	for (; lblk < last; lblk++) {
		if ((error = ext2fs_dirw_get(em, np, lblk, &bp, &limit)) != 0)
			return error;
		prev = SIZE_MAX;
		for (off = 0; off < limit;
		     off += r_len((uint8_t *)bp->b_data + off)) {
			if (r_is(fs, (uint8_t *)bp->b_data + off, name, len)) {
				*bpp = bp;
				*lblkp = lblk;
				*offp = off;
				*prevp = prev;
				return 0;
			}
			prev = off;
		}
		brelse(bp, 0);
	}
	return ENOENT;
}

int
ext2fs_dir_remove(struct ext2fs_mount *em, struct ext2fs_node *np,
    const char *name, size_t len)
{
	struct buf *bp;
	size_t off, prev;
	uint64_t lblk;
	uint8_t *b;
	int error;

	if ((error = dir_find(em, np, name, len, &bp, &lblk, &off,
	    &prev)) != 0)
		return error;
	b = bp->b_data;
	if (prev == SIZE_MAX)
		ext2_set_le32(b + off + EXT2_DIRENT_INODE, 0);
	else
		ext2_set_le16(b + prev + EXT2_DIRENT_REC_LEN,
		    (uint16_t)(r_len(b + prev) + r_len(b + off)));
	if ((error = ext2fs_dirw_put(em, np, lblk, bp)) != 0)
		return error;
	ext2fs_dc_remove(np, name, len, lblk);
	return 0;
}

int
ext2fs_dir_setino(struct ext2fs_mount *em, struct ext2fs_node *np,
    const char *name, size_t len, uint32_t ino, uint8_t ft)
{
	struct buf *bp;
	size_t off, prev;
	uint64_t lblk;
	uint8_t *r;
	int error;

	if ((error = dir_find(em, np, name, len, &bp, &lblk, &off,
	    &prev)) != 0)
		return error;
	r = (uint8_t *)bp->b_data + off;
	ext2_set_le32(r + EXT2_DIRENT_INODE, ino);
	if (has_ft(em->em_fs))
		r[EXT2_DIRENT_FILE_TYPE] = ft;
	if ((error = ext2fs_dirw_put(em, np, lblk, bp)) != 0)
		return error;
	ext2fs_dc_set(np, name, len, ino, ft);
	return 0;
}

/* Whether directory np holds nothing but "." and "..". */
int
ext2fs_dir_isempty(struct ext2fs_mount *em, struct ext2fs_node *np,
    bool *emptyp)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t lblk, nblk = dir_nblocks(fs, &np->n_ip);
	size_t limit, off;
	struct buf *bp;
	uint8_t *r;
	int error;

	*emptyp = true;
	for (lblk = 0; lblk < nblk && *emptyp; lblk++) {
		if ((error = ext2fs_dirw_get(em, np, lblk, &bp, &limit)) != 0)
			return error;
		for (off = 0; off < limit; off += r_len(r)) {
			r = (uint8_t *)bp->b_data + off;
			if (ext2_le32(r + EXT2_DIRENT_INODE) != 0 &&
			    !r_is(fs, r, ".", 1) && !r_is(fs, r, "..", 2)) {
				*emptyp = false;
				break;
			}
		}
		brelse(bp, 0);
	}
	return 0;
}

/* Give new directory np its first block: "." and ".." (parent). */
int
ext2fs_dir_init(struct ext2fs_mount *em, struct ext2fs_node *np,
    uint32_t parent, bool root)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *dp = &np->n_ip;
	uint64_t pblk;
	struct buf *bp;
	uint8_t *b;
	bool isnew;
	int error;

	if ((error = ext2fs_bmap_alloc(em, np, 0, true, root, &pblk,
	    &isnew)) != 0)
		return error;
	bp = ext2fs_blk_get(em, pblk);
	b = bp->b_data;
	memset(b, 0, fs->e2_bsize);
	r_set(fs, b, dp->ei_ino, 12, ".", 1, EXT2_FT_DIR);
	r_set(fs, b + 12, parent, ext2fs_dirw_room(fs) - 12, "..", 2, EXT2_FT_DIR);
	if ((error = ext2fs_dirw_put(em, np, 0, bp)) != 0)
		return error;
	dp->ei_size = fs->e2_bsize;
	dp->ei_nlink = 2;
	return ext2fs_iupdate(em, dp);
}
