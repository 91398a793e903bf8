/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The journal at mount: a file system whose journal needs recovery is
 * replayed into memory (ext2fs_journal.c) before anything else reads
 * it, and the superblock and group descriptors are loaded again as the
 * journal leaves them.
 *
 * Read-only, that is all: every read of the device (the format layer's,
 * through ext2fs_devbread(), and the block reads of ext2fs_blk_read()
 * and ext2fs_blk_readahead()) passes through ext2fs_journal_overlay(),
 * which puts the journal's copy in place of a replayed block.  What is
 * read is what Linux shows after its replay; the image is not written.
 *
 * Read-write (at mount, or a remount to read-write), before the first
 * change: ext2fs_journal_recover() copies every replayed block home,
 * waits for them and flushes the device, then empties the log (the
 * journal superblock's s_start 0) and flushes, then clears
 * needs_recovery in the superblock and flushes.  A crash at any point
 * leaves either the journal to replay again (the copies are the same)
 * or a recovered file system.
 *
 * Locking: em_journal is set at mount, before the mount is visible, and
 * cleared by ext2fs_journal_recover() with em_lock held as writer; the
 * map is freed only at unmount, so that a read not under em_lock
 * (statvfs's) never meets a freed one.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/endian.h>
#include <sys/kmem.h>
#include <sys/param.h>

#include "ext2fs_jbd2.h"
#include "ext2fs_vfs.h"

static daddr_t
dev_blkno(const struct ext2fs_mount *em, uint64_t blk)
{
	return (daddr_t)(blk << (em->em_fs->e2_bshift - DEV_BSHIFT));
}

/* The journal's copy at device block src into dst, unescaped. */
static int
copy_read(struct ext2fs_mount *em, uint64_t src, bool esc, void *dst)
{
	uint32_t bsize = em->em_fs->e2_bsize;
	struct buf *bp;
	int error;

	if ((error = bread(em->em_devvp, dev_blkno(em, src), (int)bsize, 0,
	    &bp)) != 0)
		return error;
	memcpy(dst, bp->b_data, bsize);
	brelse(bp, 0);
	if (esc)
		be32enc(dst, JBD2_MAGIC);
	return 0;
}

/*
 * buf holds the len bytes of the device at byte off: put the journal's
 * copies of the replayed blocks among them in place.
 */
int
ext2fs_journal_overlay(struct ext2fs_mount *em, uint64_t off, void *buf,
    size_t len)
{
	const struct ext2fs_journal *j = em->em_journal;
	uint32_t bshift = em->em_fs->e2_bshift, bsize = em->em_fs->e2_bsize;
	uint64_t b, bstart, lo, hi, src;
	uint8_t *tmp = NULL;
	bool esc;
	int error = 0;

	for (b = off >> bshift; (b << bshift) < off + len; b++) {
		if (!ext2fs_journal_lookup(j, b, &src, &esc))
			continue;
		bstart = b << bshift;
		lo = MAX(bstart, off);
		hi = MIN(bstart + bsize, off + len);
		if (lo == bstart && hi == bstart + bsize) {
			if ((error = copy_read(em, src, esc,
			    (uint8_t *)buf + (bstart - off))) != 0)
				break;
			continue;
		}
		if (tmp == NULL &&
		    (tmp = kmem_alloc(bsize, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			break;
		}
		if ((error = copy_read(em, src, esc, tmp)) != 0)
			break;
		memcpy((uint8_t *)buf + (lo - off), tmp + (lo - bstart),
		    (size_t)(hi - lo));
	}
	if (tmp != NULL)
		kmem_free(tmp, bsize);
	return error;
}

/*
 * At mount, before the file system is used: replay the journal of a
 * file system that needs recovery into memory, and load the superblock
 * again through it.
 */
int
ext2fs_journal_load(struct ext2fs_mount *em)
{
	struct ext2fs *fs = em->em_fs, *nfs;
	struct ext2fs_journal *j;
	int error;

	if ((fs->e2_incompat & EXT2F_INCOMPAT_RECOVER) == 0)
		return 0;
	if ((error = ext2fs_journal_replay(fs, &j)) != 0)
		return error;
	em->em_journal = j;
	if (ext2fs_journal_nblocks(j) == 0)
		return 0;
	if ((error = ext2fs_sb_load(&fs->e2_dev, &nfs)) != 0)
		goto fail;
	if (nfs->e2_bsize != fs->e2_bsize || nfs->e2_nblocks != fs->e2_nblocks) {
		ext2fs_sb_free(nfs);
		error = ext2fs_corrupt(fs, "journal: the replayed superblock "
		    "changes the geometry");
		goto fail;
	}
	ext2fs_sb_free(fs);
	em->em_fs = nfs;
	return 0;
fail:
	em->em_journal = NULL;
	ext2fs_journal_free(j);
	return error;
}

/* At unmount, or a failed mount. */
void
ext2fs_journal_unload(struct ext2fs_mount *em)
{
	ext2fs_journal_free(em->em_journal);
	ext2fs_journal_free(em->em_jhome);
	em->em_journal = em->em_jhome = NULL;
}

/* len bytes at byte at of block blk replaced by src, written now. */
static int
rewrite(struct ext2fs_mount *em, uint64_t blk, uint32_t at,
    const uint8_t *src, size_t len)
{
	struct buf *bp;
	int error;

	if ((error = bread(em->em_devvp, dev_blkno(em, blk),
	    (int)em->em_fs->e2_bsize, 0, &bp)) != 0)
		return error;
	memcpy((uint8_t *)bp->b_data + at, src, len);
	return bwrite(bp);
}

/*
 * Before a read-write mount's first change: the replay onto the disk
 * (with em_lock held as writer, the device open for writing).
 */
int
ext2fs_journal_recover(struct ext2fs_mount *em)
{
	struct ext2fs_journal *j = em->em_journal;
	struct ext2fs *fs = em->em_fs;
	uint8_t *sb = fs->e2_sb, *jsb;
	uint64_t b, src, jsbblk;
	struct buf *bp;
	size_t n;
	bool esc;
	int error;

	KASSERT(rw_write_held(&em->em_lock));
	if (j == NULL)
		return 0;
	n = ext2fs_journal_nblocks(j);
	for (size_t i = 0; ext2fs_journal_entry(j, i, &b, &src, &esc); i++) {
		bp = getblk(em->em_devvp, dev_blkno(em, b), (int)fs->e2_bsize,
		    0, 0);
		if ((error = copy_read(em, src, esc, bp->b_data)) != 0) {
			brelse(bp, B_INVAL);
			goto fail;
		}
		bdwrite(bp);
	}
	if ((error = vflushbuf(em->em_devvp, FSYNC_WAIT)) != 0 ||
	    (error = VOP_FSYNC(em->em_devvp, false)) != 0)
		goto fail;
	/* The log, empty. */
	jsbblk = ext2fs_journal_sbblock(j);
	if ((error = bread(em->em_devvp, dev_blkno(em, jsbblk),
	    (int)fs->e2_bsize, 0, &bp)) != 0)
		goto fail;
	jsb = bp->b_data;
	if ((error = ext2fs_journal_reset(j, jsb)) != 0) {
		brelse(bp, 0);
		(void)ext2fs_corrupt(fs, "journal: superblock changed during "
		    "the replay");
		goto fail;
	}
	if ((error = bwrite(bp)) != 0 ||
	    (error = VOP_FSYNC(em->em_devvp, false)) != 0)
		goto fail;
	/* needs_recovery, cleared. */
	fs->e2_incompat &= ~(uint32_t)EXT2F_INCOMPAT_RECOVER;
	ext2_set_le32(sb + EXT2_SB_FEATURE_INCOMPAT, fs->e2_incompat);
	ext2fs_sb_csum_set(fs);
	if ((error = rewrite(em, EXT2_SB_OFFSET >> fs->e2_bshift,
	    EXT2_SB_OFFSET & (fs->e2_bsize - 1), sb, EXT2_SB_SIZE)) != 0 ||
	    (error = VOP_FSYNC(em->em_devvp, false)) != 0) {
		fs->e2_incompat |= EXT2F_INCOMPAT_RECOVER;
		ext2_set_le32(sb + EXT2_SB_FEATURE_INCOMPAT, fs->e2_incompat);
		goto fail;
	}
	log(LOG_INFO, "ext2fs: %s: journal replayed: %zu blocks", em->em_name,
	    n);
	/* A reader without em_lock (statvfs) may still hold the map. */
	em->em_jhome = j;
	em->em_journal = NULL;
	return 0;
fail:
	log(LOG_ERR, "ext2fs: %s: error %d replaying the journal onto the "
	    "disk", em->em_name, error);
	return error;
}
