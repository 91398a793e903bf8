/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Orphans: an inode whose last name goes while it may still be open is
 * recorded as an orphan until its last reference goes and it is freed;
 * a crash in between leaves the record, and the next read-write mount
 * finishes it (frees an unlinked inode, or truncates a linked one to
 * its size), as Linux and e2fsck do.  Two records, as Linux keeps them:
 *
 *  - the orphan file (compat orphan_file; format in ext2fs_format.h):
 *    the orphan's number in a free slot of one of its blocks.  The
 *    mount's first change sets ro_compat orphan_present (with the
 *    in-use mark, ext2fs_vfsops.c), a clean unmount with no slot in use
 *    clears it; a mount that finds it set reads every slot.
 *  - the orphan list, used without the file or when it is full: a list
 *    that starts in the superblock (s_last_orphan) and goes on through
 *    each orphan's i_dtime.  Revision 0 file systems have no list.
 *
 * Everything read is checked: the list is walked at most as many steps
 * as there are inodes and a bad number ends the walk; an orphan file
 * that is not a regular file of mapped whole blocks, or a block with a
 * bad magic or checksum, is not used (its slots are not read, new
 * orphans go on the list).  Each is one log line; the mount goes on.
 *
 * Called with em_lock held as writer (ext2fs_vfs.h).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>

#include "ext2fs_vfs.h"

/* The orphan file of a read-write mount. */
struct ext2fs_ofile {
	struct ext2fs_inode of_ip;      /* its inode (seed for checksums) */
	uint32_t of_nblk;               /* blocks */
	uint32_t of_per;                /* slots per block */
	uint32_t of_used;               /* slots in use */
	uint32_t of_hint;               /* block to look for a free slot */
	uint64_t *of_blk;               /* [of_nblk]: where each block is */
};

/* Past this many blocks an orphan file is not believed (Linux: 512). */
#define OFILE_MAXBLK 8192

static uint32_t
list_head(const struct ext2fs *fs)
{
	return ext2_le32(fs->e2_sb + EXT2_SB_LAST_ORPHAN);
}

static int
set_head(struct ext2fs_mount *em, uint32_t ino)
{
	ext2_set_le32(em->em_fs->e2_sb + EXT2_SB_LAST_ORPHAN, ino);
	return ext2fs_sb_write(em, false);
}

static bool
ino_ok(const struct ext2fs *fs, uint32_t ino)
{
	return ino >= EXT2_ROOT_INO && ino <= fs->e2_ninodes;
}

static uint32_t
ob_csum(const struct ext2fs *fs, const struct ext2fs_ofile *of, uint64_t blk,
    const uint8_t *b)
{
	uint8_t le[8];
	uint32_t c;

	if (!fs->e2_metadata_csum)
		return 0;
	ext2_set_le32(le, (uint32_t)blk);
	ext2_set_le32(le + 4, (uint32_t)(blk >> 32));
	c = ext2fs_crc32c(of->of_ip.ei_csum_seed, le, sizeof(le));
	return ext2fs_crc32c(c, b, fs->e2_bsize - EXT2_OB_TAIL_SIZE);
}

/* Orphan file block i, read and checked (bad: EIO and one log line). */
static int
ob_read(struct ext2fs_mount *em, const struct ext2fs_ofile *of, uint32_t i,
    struct buf **bpp)
{
	const struct ext2fs *fs = em->em_fs;
	const uint8_t *b;
	uint32_t want;
	int error;

	if ((error = ext2fs_blk_read(em, of->of_blk[i], bpp)) != 0)
		return error;
	b = (*bpp)->b_data;
	want = ext2_le32(b + fs->e2_bsize - EXT2_OB_CSUM_OFF);
	if (ext2_le32(b + fs->e2_bsize - EXT2_OB_MAGIC_OFF) != EXT2_OB_MAGIC)
		error = ext2fs_corrupt(fs, "orphan file block %u: bad magic",
		    i);
	else if (fs->e2_metadata_csum &&
	    want != ob_csum(fs, of, of->of_blk[i], b))
		error = ext2fs_corrupt(fs, "orphan file block %u: checksum "
		    "0x%08x, computed 0x%08x", i, want,
		    ob_csum(fs, of, of->of_blk[i], b));
	if (error != 0)
		brelse(*bpp, 0);
	return error;
}

/* Slot k of block i (bp, read) set to ino, handed to the disk. */
static int
ob_set(struct ext2fs_mount *em, const struct ext2fs_ofile *of, uint32_t i,
    struct buf *bp, uint32_t k, uint32_t ino)
{
	const struct ext2fs *fs = em->em_fs;
	uint8_t *b = bp->b_data;

	ext2_set_le32(b + 4 * k, ino);
	ext2_set_le32(b + fs->e2_bsize - EXT2_OB_CSUM_OFF,
	    ob_csum(fs, of, of->of_blk[i], b));
	return ext2fs_blk_write(em, bp, false);
}

static void
ofile_free(struct ext2fs_ofile *of)
{
	if (of->of_blk != NULL)
		kmem_free(of->of_blk, of->of_nblk * sizeof(*of->of_blk));
	kmem_free(of, sizeof(*of));
}

/*
 * The orphan file of a read-write mount, checked whole: its inode, the
 * place of each block, each block's magic and checksum, and how many
 * slots are in use.  NULL (one log line) when it cannot be used.
 */
static struct ext2fs_ofile *
ofile_load(struct ext2fs_mount *em)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t ino = ext2_le32(fs->e2_sb + EXT2_SB_ORPHAN_FILE_INUM);
	struct ext2fs_ofile *of;
	uint64_t run;
	struct buf *bp;
	int error = 0;

	of = kmem_zalloc(sizeof(*of), KM_SLEEP);
	of->of_per = (fs->e2_bsize - EXT2_OB_TAIL_SIZE) / 4;
	if (!ino_ok(fs, ino) || ino < fs->e2_first_ino ||
	    ext2fs_iget(fs, ino, &of->of_ip) != 0 ||
	    (of->of_ip.ei_mode & EXT2_IFMT) != EXT2_IFREG ||
	    of->of_ip.ei_size == 0 ||
	    (of->of_ip.ei_size & (fs->e2_bsize - 1)) != 0 ||
	    of->of_ip.ei_size >> fs->e2_bshift > OFILE_MAXBLK) {
		(void)ext2fs_corrupt(fs, "orphan file inode %u unusable", ino);
		ofile_free(of);
		return NULL;
	}
	of->of_nblk = (uint32_t)(of->of_ip.ei_size >> fs->e2_bshift);
	of->of_blk = kmem_zalloc(of->of_nblk * sizeof(*of->of_blk), KM_SLEEP);
	for (uint32_t i = 0; i < of->of_nblk && error == 0; i++) {
		if ((error = ext2fs_bmap(fs, &of->of_ip, i, &of->of_blk[i],
		    &run)) == 0 && of->of_blk[i] == 0)
			error = ext2fs_corrupt(fs, "orphan file block %u: a "
			    "hole", i);
		if (error != 0 || (error = ob_read(em, of, i, &bp)) != 0)
			break;
		for (uint32_t k = 0; k < of->of_per; k++)
			if (ext2_le32((uint8_t *)bp->b_data + 4 * k) != 0)
				of->of_used++;
		brelse(bp, 0);
	}
	if (error != 0) {
		ofile_free(of);
		return NULL;
	}
	return of;
}

/* Put np in a free slot of the orphan file: ENOSPC when it is full. */
static int
ofile_add(struct ext2fs_mount *em, struct ext2fs_ofile *of,
    struct ext2fs_node *np)
{
	struct buf *bp;
	uint32_t i, k;
	int error;

	if (of->of_used >= of->of_nblk * of->of_per)
		return ENOSPC;
	for (uint32_t n = 0; n < of->of_nblk; n++) {
		i = (of->of_hint + n) % of->of_nblk;
		if ((error = ob_read(em, of, i, &bp)) != 0)
			return error;
		for (k = 0; k < of->of_per; k++)
			if (ext2_le32((uint8_t *)bp->b_data + 4 * k) == 0)
				break;
		if (k == of->of_per) {
			brelse(bp, 0);
			continue;
		}
		if ((error = ob_set(em, of, i, bp, k, np->n_ip.ei_ino)) != 0)
			return error;
		of->of_hint = i;
		of->of_used++;
		np->n_oslot = i * of->of_per + k + 1;
		np->n_orphan = true;
		return 0;
	}
	return ENOSPC;
}

/* Free np's slot of the orphan file. */
static int
ofile_remove(struct ext2fs_mount *em, struct ext2fs_ofile *of,
    struct ext2fs_node *np)
{
	uint32_t slot = np->n_oslot - 1, i = slot / of->of_per,
		 k = slot % of->of_per;
	struct buf *bp;
	int error;

	np->n_oslot = 0;
	if (i >= of->of_nblk)
		return ext2fs_corrupt(em->em_fs, "orphan slot %u", slot);
	if ((error = ob_read(em, of, i, &bp)) != 0)
		return error;
	if (ext2_le32((uint8_t *)bp->b_data + 4 * k) != np->n_ip.ei_ino) {
		brelse(bp, 0);
		return ext2fs_corrupt(em->em_fs, "inode %u is not in orphan "
		    "slot %u", np->n_ip.ei_ino, slot);
	}
	if ((error = ob_set(em, of, i, bp, k, 0)) != 0)
		return error;
	of->of_used--;
	return 0;
}

/*
 * Put np (its last name just gone) in the orphan file, or when it has
 * no room at the head of the list.
 */
int
ext2fs_orphan_add(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	int error;

	if (np->n_orphan)
		return 0;
	if (em->em_ofile != NULL &&
	    (error = ofile_add(em, em->em_ofile, np)) != ENOSPC)
		return error;
	/* Revision 0 has no s_last_orphan. */
	if (em->em_fs->e2_rev == EXT2_GOOD_OLD_REV)
		return 0;
	if ((error = ext2fs_iset_dtime(em, np->n_ip.ei_ino,
	    list_head(em->em_fs))) != 0)
		return error;
	np->n_orphan = true;
	return set_head(em, np->n_ip.ei_ino);
}

/* Take np off the list: the one before it points past it. */
int
ext2fs_orphan_remove(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t ino = np->n_ip.ei_ino, cur, next, after;
	int error;

	if (!np->n_orphan)
		return 0;
	np->n_orphan = false;
	if (np->n_oslot != 0)
		return em->em_ofile != NULL ?
		    ofile_remove(em, em->em_ofile, np) : 0;
	if ((error = ext2fs_iget_dtime(em, ino, &next)) != 0)
		return error;
	if ((cur = list_head(fs)) == ino)
		return set_head(em, next);
	for (uint32_t n = 0; cur != 0 && n < fs->e2_ninodes; n++) {
		if (!ino_ok(fs, cur))
			break;
		if ((error = ext2fs_iget_dtime(em, cur, &after)) != 0)
			return error;
		if (after == ino)
			return ext2fs_iset_dtime(em, cur, next);
		cur = after;
	}
	return ext2fs_corrupt(fs, "inode %u is not on the orphan list", ino);
}

/*
 * Finish orphan ino, np zeroed (with n_oslot when it is in the orphan
 * file): free it when unlinked, else truncate it to its size; either
 * takes it off its list or slot.
 */
static int
finish_one(struct ext2fs_mount *em, struct ext2fs_node *np, uint32_t ino)
{
	int error;

	error = ext2fs_iget(em->em_fs, ino, &np->n_ip);
	np->n_orphan = true;
	if (error == ENOENT && np->n_ip.ei_mode == 0)
		return ext2fs_corrupt(em->em_fs, "orphan inode %u is free",
		    ino);
	if (error == ENOENT || (error == 0 && np->n_ip.ei_nlink == 0)) {
		np->n_ip.ei_nlink = 0;
		return ext2fs_irelease(em, np);
	}
	/* Off its list or slot, its i_dtime (the list's link) 0 again. */
	if (error == 0 && (error = ext2fs_truncate(em, np,
	    np->n_ip.ei_size)) == 0 &&
	    (error = ext2fs_orphan_remove(em, np)) == 0)
		error = ext2fs_iset_dtime(em, ino, 0);
	return error;
}

/* Finish every orphan in the orphan file's slots. */
static int
ofile_finish(struct ext2fs_mount *em, struct ext2fs_ofile *of,
    struct ext2fs_node *np)
{
	const struct ext2fs *fs = em->em_fs;
	size_t len = (size_t)of->of_per * 4;
	uint8_t *slots;
	struct buf *bp;
	uint32_t ino;
	int error = 0;

	slots = kmem_alloc(len, KM_SLEEP);
	for (uint32_t i = 0; i < of->of_nblk && of->of_used > 0 &&
	     error == 0; i++) {
		if ((error = ob_read(em, of, i, &bp)) != 0)
			break;
		memcpy(slots, bp->b_data, len);
		brelse(bp, 0);
		for (uint32_t k = 0; k < of->of_per && error == 0; k++) {
			if ((ino = ext2_le32(slots + 4 * k)) == 0)
				continue;
			if (!ino_ok(fs, ino)) {
				error = ext2fs_corrupt(fs, "orphan file: "
				    "inode %u", ino);
				break;
			}
			memset(np, 0, sizeof(*np));
			np->n_oslot = i * of->of_per + k + 1;
			error = finish_one(em, np, ino);
		}
	}
	kmem_free(slots, len);
	return error;
}

/*
 * A read-write mount starts: load the orphan file, and finish what a
 * crash left in it and on the list.  Errors are logged; the mount goes
 * on.
 */
void
ext2fs_orphans_finish(struct ext2fs_mount *em)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_node *np;
	uint32_t ino, n = 0;
	int error = 0;

	if (fs->e2_compat & EXT2F_COMPAT_ORPHAN_FILE)
		em->em_ofile = ofile_load(em);
	/*
	 * orphan_present left by a crash goes at the clean unmount, which
	 * only a mount that changed something does: this one has.
	 */
	if (em->em_ofile != NULL &&
	    (fs->e2_rocompat & EXT2F_ROCOMPAT_ORPHAN_PRESENT) &&
	    (error = ext2fs_sb_write(em, false)) != 0) {
		log(LOG_ERR, "ext2fs: %s: error %d finishing the orphans",
		    em->em_name, error);
		return;
	}
	if ((em->em_ofile == NULL || em->em_ofile->of_used == 0) &&
	    (fs->e2_rev == EXT2_GOOD_OLD_REV || list_head(fs) == 0))
		return;
	np = kmem_alloc(sizeof(*np), KM_SLEEP);
	if (em->em_ofile != NULL)
		error = ofile_finish(em, em->em_ofile, np);
	while (fs->e2_rev != EXT2_GOOD_OLD_REV &&
	    (ino = list_head(fs)) != 0 && error == 0) {
		if (!ino_ok(fs, ino) || n++ >= fs->e2_ninodes) {
			(void)ext2fs_corrupt(fs, "orphan list: inode %u", ino);
			break;
		}
		memset(np, 0, sizeof(*np));
		error = finish_one(em, np, ino);
	}
	if (error != 0)
		log(LOG_ERR, "ext2fs: %s: error %d finishing the orphans",
		    em->em_name, error);
	kmem_free(np, sizeof(*np));
}

/* A read-write mount stops: forget the orphan file. */
void
ext2fs_orphans_stop(struct ext2fs_mount *em)
{
	if (em->em_ofile != NULL)
		ofile_free(em->em_ofile);
	em->em_ofile = NULL;
}

/*
 * No slot of the orphan file is in use: orphan_present may go.  (Not
 * when the orphan file could not be read: e2fsck is to look at it.)
 */
bool
ext2fs_orphans_none(const struct ext2fs_mount *em)
{
	return em->em_ofile != NULL && em->em_ofile->of_used == 0;
}
