/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The "ext2fs" file-system type: mounting a block device, the device
 * reader the format layer sees (the buffer cache on the device vnode),
 * the root, statvfs, sync and loading a vnode's inode.
 *
 * A journal that needs recovery is replayed at mount, into memory
 * (ext2fs_journal_vfs.c); a read-write mount (or a remount to
 * read-write) then writes the replay home before its first change,
 * starts journaling (ext2fs_journal_write.c) and only then finishes
 * the orphan list a crash left (ext2fs_orphan.c), through the journal.
 * A read-write mount is refused with EROFS and one log line naming the
 * reason when the file system has a feature the writer does not keep
 * (ext2fs_rw_blocker()), or was not cleanly unmounted (s_state without
 * VALID_FS, or with ERROR_FS; EXT2FS_ARGS_FORCE overrides that one).
 *
 * The state as Linux keeps it, but only once something changes: the
 * mount's first change (ext2fs_markdirty(), called by everything that
 * hands a changed block to the disk) first writes the superblock
 * without VALID_FS (with a journal: with needs_recovery, VALID_FS
 * kept), with the mount count one up and s_mtime the mount
 * time, and waits for it; unmount and a remount to read-only then write
 * everything and put back the state the mount found (VALID_FS, unless
 * the mount was forced) with s_wtime.  A mount that changed nothing
 * writes nothing at all: the image stays byte for byte as it was.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/param.h>
#include <sys/statvfs.h>
#include <rump/ext2fs_args.h>
#include <rump/ufs_args.h>

#include "ext2fs_vfs.h"

/*
 * The format layer's device read: through the buffer cache, in blocks
 * of em_cbsize bytes (one fixed size per mount, as the cache wants),
 * a read spanning blocks taking one after the other.  (File data does
 * not come this way: ext2fs_vnops.c reads it from the buffers, ahead.)
 */
static int
ext2fs_devbread(void *cookie, uint64_t off, void *buf, size_t len)
{
	struct ext2fs_mount *em = cookie;
	uint64_t blk, bo;
	size_t n;
	struct buf *bp;
	char *p = buf;
	int error;

	while (len > 0) {
		blk = off / em->em_cbsize;
		bo = off % em->em_cbsize;
		n = MIN(len, em->em_cbsize - bo);
		if ((error = bread(em->em_devvp,
		    (daddr_t)(blk * (em->em_cbsize / DEV_BSIZE)),
		    (int)em->em_cbsize, 0, &bp)) != 0)
			return error;
		memcpy(p, (char *)bp->b_data + bo, n);
		brelse(bp, 0);
		if (em->em_journal != NULL &&
		    (error = ext2fs_journal_overlay(em, off, p, n)) != 0)
			return error;
		if (em->em_jw != NULL)
			ext2fs_jw_overlay(em, off, p, n);
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/*
 * The format layer's read of a block it checks (ed_readchk): the check
 * is noted in the cache block (b_fschecked, sys/buf.h), which the cache
 * forgets whenever the block is read from the disk again or may have
 * been overwritten, so a block is checked once per read from the disk.
 * The note is of what the reader sees: the block with the journal's
 * contents over it (the overlays change only by a write of the block,
 * through ext2fs_blk_write(), which clears or resets it).
 */
static int
ext2fs_devbread_chk(void *cookie, uint64_t off, void *buf, size_t len,
    uint64_t note, int (*check)(void *, const uint8_t *), void *arg)
{
	struct ext2fs_mount *em = cookie;
	struct buf *bp;
	int error;

	if (len != em->em_cbsize || off % em->em_cbsize != 0) {
		if ((error = ext2fs_devbread(em, off, buf, len)) != 0)
			return error;
		return check(arg, buf);
	}
	if ((error = bread(em->em_devvp, (daddr_t)(off / DEV_BSIZE),
	    (int)em->em_cbsize, 0, &bp)) != 0)
		return error;
	memcpy(buf, bp->b_data, len);
	if (em->em_journal != NULL &&
	    (error = ext2fs_journal_overlay(em, off, buf, len)) != 0) {
		brelse(bp, 0);
		return error;
	}
	if (em->em_jw != NULL)
		ext2fs_jw_overlay(em, off, buf, len);
	if (bp->b_fschecked != note && (error = check(arg, buf)) == 0)
		bp->b_fschecked = note;
	brelse(bp, 0);
	return error;
}

/*
 * Load the superblock with cache blocks of size cbsize.  The device's
 * size is cut down to whole cache blocks: the file system only uses
 * whole blocks of its own size, and cbsize is that size or a sector
 * (which divides the device).
 */
static int
ext2fs_load(struct ext2fs_mount *em, uint64_t devsize, uint32_t cbsize)
{
	struct ext2fs_dev dev = {
		.ed_read = ext2fs_devbread,
		.ed_cookie = em,
		.ed_size = devsize - devsize % cbsize,
		.ed_readchk = ext2fs_devbread_chk,
	};

	em->em_cbsize = cbsize;
	return ext2fs_sb_load(&dev, &em->em_fs);
}

static int
ext2fs_mount_dev(struct ext2fs_mount *em, const char *fspec, int fflag)
{
	uint64_t devsize;
	unsigned secsize;
	uint32_t cbsize;
	uint8_t magic[2];
	int error;

	if ((error = vfs_opendev(fspec, fflag, &em->em_devvp)) != 0)
		return error;
	em->em_fflag = fflag;
	if ((error = vfs_devsize(em->em_devvp, &devsize, &secsize)) != 0)
		goto fail;
	if (secsize < DEV_BSIZE || secsize > MAXBSIZE ||
	    (secsize & (secsize - 1)) != 0) {
		log(LOG_NOTICE, "ext2fs: %s: sectors of %u bytes are not "
		    "supported", fspec, secsize);
		error = EINVAL;
		goto fail;
	}
	/*
	 * Cache blocks are the file system's blocks, or the device's
	 * sectors where those are larger.  The block size is known only
	 * once the superblock is read: read it in the smallest blocks,
	 * then again, with a clean cache, in the final size.
	 */
	em->em_cbsize = MAX(EXT2_SB_SIZE, secsize);
	if (devsize >= EXT2_SB_OFFSET + EXT2_SB_SIZE &&
	    (error = ext2fs_devbread(em, EXT2_SB_OFFSET + EXT2_SB_MAGIC_OFF,
	    magic, sizeof(magic))) == 0 && ext2_le16(magic) != EXT2_SB_MAGIC) {
		/* The format layer is silent here: not ours is no corruption. */
		log(LOG_NOTICE, "ext2fs: %s: no ext2 superblock magic", fspec);
		error = EINVAL;
	}
	if (error != 0 ||
	    (error = ext2fs_load(em, devsize, em->em_cbsize)) != 0)
		goto fail;
	cbsize = MAX(em->em_fs->e2_bsize, secsize);
	if (cbsize != em->em_cbsize) {
		ext2fs_sb_free(em->em_fs);
		em->em_fs = NULL;
		(void)vinvalbuf(em->em_devvp);
		if ((error = ext2fs_load(em, devsize, cbsize)) != 0)
			goto fail;
	}
	return 0;
fail:
	vfs_closedev(em->em_devvp, fflag);
	em->em_devvp = NULL;
	return error;
}

/* Why a read-write mount must be refused, logged; 0 when it may go on. */
static int
ext2fs_rw_check(struct ext2fs_mount *em, bool force)
{
	const struct ext2fs *fs = em->em_fs;
	uint16_t state = ext2_le16(fs->e2_sb + EXT2_SB_STATE);
	const char *why;
	char names[160];

	if ((why = ext2fs_rw_blocker(fs, names, sizeof(names))) != NULL) {
		log(LOG_NOTICE, "ext2fs: %s: cannot mount read-write: "
		    "unsupported feature %s", em->em_name, why);
		return EROFS;
	}
	if (fs->e2_bsize > 32768 || em->em_cbsize != fs->e2_bsize) {
		log(LOG_NOTICE, "ext2fs: %s: cannot mount read-write: blocks "
		    "of %u bytes on sectors of %u", em->em_name, fs->e2_bsize,
		    em->em_cbsize);
		return EROFS;
	}
	if ((state & EXT2_VALID_FS) == 0 || (state & EXT2_ERROR_FS) != 0) {
		if (!force) {
			log(LOG_NOTICE, "ext2fs: %s: cannot mount read-write: "
			    "%s (run e2fsck, or force the mount)", em->em_name,
			    (state & EXT2_ERROR_FS) ? "errors recorded" :
			    "not cleanly unmounted");
			return EROFS;
		}
		log(LOG_WARNING, "ext2fs: %s: mounting read-write a file "
		    "system that %s", em->em_name, (state & EXT2_ERROR_FS) ?
		    "has errors" : "was not cleanly unmounted");
	}
	return 0;
}

/*
 * Start writing: the counts, and what the first change will put in the
 * superblock.  Nothing is written yet, unless a crash left inodes on
 * the orphan list: they are finished now (ext2fs_orphan.c).
 */
static int
ext2fs_rw_start(struct ext2fs_mount *em)
{
	const uint8_t *sb = em->em_fs->e2_sb;
	struct timespec now;
	int16_t max;
	int error;

	if ((error = ext2fs_journal_recover(em)) != 0 ||
	    (error = ext2fs_counts_load(em)) != 0)
		return error;
	if ((error = ext2fs_jw_start(em)) != 0) {
		ext2fs_counts_free(em);
		return error;
	}
	nanotime(&now);
	em->em_mount_state = ext2_le16(sb + EXT2_SB_STATE);
	em->em_mount_time = (uint32_t)now.tv_sec;
	em->em_dirty = false;
	em->em_dirty_error = 0;
	max = (int16_t)ext2_le16(sb + EXT2_SB_MAX_MNT_COUNT);
	if (max > 0 && ext2_le16(sb + EXT2_SB_MNT_COUNT) + 1 >= max)
		log(LOG_NOTICE, "ext2fs: %s: maximal mount count reached, "
		    "running e2fsck is recommended", em->em_name);
	em->em_rw = true;
	/* What a crash left unfinished (writes only when there is some). */
	ext2fs_orphans_finish(em);
	return 0;
}

static void
set_rocompat(struct ext2fs *fs, uint32_t rocompat)
{
	fs->e2_rocompat = rocompat;
	ext2_set_le32(fs->e2_sb + EXT2_SB_FEATURE_RO_COMPAT, rocompat);
}

/*
 * Before the first change of a read-write mount reaches a buffer: the
 * superblock on the disk says the file system is in use (no VALID_FS,
 * one more mount, the mount time), written and waited for, so it is
 * there before any other change can be.  Every changed block goes to
 * the disk through ext2fs_blk_write() or ext2fs_sb_write(), and both
 * call this first; all of them hold em_lock as writer.  If the mark
 * cannot be written, nothing more of this mount is: every change fails
 * with that error and the disk stays as the mount found it.
 */
int
ext2fs_markdirty(struct ext2fs_mount *em)
{
	uint8_t *sb = em->em_fs->e2_sb;
	uint32_t mtime, rocompat;
	uint16_t count;
	int error;

	KASSERT(rw_write_held(&em->em_lock));
	if (em->em_dirty)
		return 0;
	if (!em->em_rw)
		return EROFS;
	if (em->em_dirty_error != 0)
		return em->em_dirty_error;
	count = ext2_le16(sb + EXT2_SB_MNT_COUNT);
	mtime = ext2_le32(sb + EXT2_SB_MTIME);
	/* With a journal, as Linux: needs_recovery, VALID_FS kept. */
	if (em->em_jw != NULL) {
		em->em_fs->e2_incompat |= EXT2F_INCOMPAT_RECOVER;
		ext2_set_le32(sb + EXT2_SB_FEATURE_INCOMPAT,
		    em->em_fs->e2_incompat);
	} else
		ext2_set_le16(sb + EXT2_SB_STATE,
		    em->em_mount_state & (uint16_t)~EXT2_VALID_FS);
	/* Orphan file slots may be in use from now on. */
	rocompat = em->em_fs->e2_rocompat;
	if (em->em_ofile != NULL)
		set_rocompat(em->em_fs,
		    rocompat | EXT2F_ROCOMPAT_ORPHAN_PRESENT);
	ext2_set_le16(sb + EXT2_SB_MNT_COUNT, (uint16_t)(count + 1));
	ext2_set_le32(sb + EXT2_SB_MTIME, em->em_mount_time);
	em->em_dirty = true;            /* ext2fs_sb_write: not back here */
	if ((error = em->em_jw != NULL ? ext2fs_jw_sbwrite(em) :
	    ext2fs_sb_write(em, true)) != 0) {
		em->em_dirty = false;
		em->em_dirty_error = error;
		em->em_fs->e2_incompat &= ~(uint32_t)EXT2F_INCOMPAT_RECOVER;
		ext2_set_le32(sb + EXT2_SB_FEATURE_INCOMPAT,
		    em->em_fs->e2_incompat);
		set_rocompat(em->em_fs, rocompat);
		ext2_set_le16(sb + EXT2_SB_STATE, em->em_mount_state);
		ext2_set_le16(sb + EXT2_SB_MNT_COUNT, count);
		ext2_set_le32(sb + EXT2_SB_MTIME, mtime);
		log(LOG_ERR, "ext2fs: %s: error %d marking the file system "
		    "in use: nothing is written", em->em_name, error);
	}
	return error;
}

/* Free the inodes of unlinked nodes reclaimed before they were. */
static int
ext2fs_pending(struct ext2fs_mount *em)
{
	struct ext2fs_node *np;
	int error = 0, e;

	KASSERT(rw_write_held(&em->em_lock));
	mutex_enter(&em->em_pendlock);
	while ((np = LIST_FIRST(&em->em_pending)) != NULL) {
		LIST_REMOVE(np, n_pend);
		mutex_exit(&em->em_pendlock);
		if ((e = ext2fs_irelease(em, np)) != 0 && error == 0)
			error = e;
		kmem_free(np, sizeof(*np));
		mutex_enter(&em->em_pendlock);
	}
	mutex_exit(&em->em_pendlock);
	return error;
}

/*
 * Write everything; with clean, then mark the file system clean.  When
 * nothing was changed, nothing is written: the disk is as it was.
 */
static int
ext2fs_flush(struct ext2fs_mount *em, bool clean)
{
	struct ext2fs *fs = em->em_fs;
	struct timespec now;
	int error, e;

	error = ext2fs_pending(em);
	if (!em->em_dirty)
		return error;
	ext2_set_le32(fs->e2_sb + EXT2_SB_FREE_BLOCKS_LO,
	    (uint32_t)em->em_free_blocks);
	if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT)
		ext2_set_le32(fs->e2_sb + EXT2_SB_FREE_BLOCKS_HI,
		    (uint32_t)(em->em_free_blocks >> 32));
	ext2_set_le32(fs->e2_sb + EXT2_SB_FREE_INODES, em->em_free_inodes);
	if ((e = ext2fs_sb_write(em, false)) != 0 && error == 0)
		error = e;
	if (em->em_jw != NULL)
		e = ext2fs_jw_commit(em);
	else
		e = vflushbuf(em->em_devvp, FSYNC_WAIT);
	if (e != 0 && error == 0)
		error = e;
	if (!clean)
		return error;
	nanotime(&now);
	ext2_set_le32(fs->e2_sb + EXT2_SB_WTIME, (uint32_t)now.tv_sec);
	/* As it was: a forced mount leaves an unclean state for e2fsck. */
	if (error == 0)
		ext2_set_le16(fs->e2_sb + EXT2_SB_STATE, em->em_mount_state);
	/* No orphan in the orphan file: nothing for the next mount. */
	if (error == 0 && ext2fs_orphans_none(em))
		set_rocompat(fs,
		    fs->e2_rocompat & ~(uint32_t)EXT2F_ROCOMPAT_ORPHAN_PRESENT);
	if (em->em_jw != NULL) {
		/* Everything is home: nothing to recover. */
		if (error == 0 && (error = ext2fs_jw_empty(em)) == 0) {
			fs->e2_incompat &= ~(uint32_t)EXT2F_INCOMPAT_RECOVER;
			ext2_set_le32(fs->e2_sb + EXT2_SB_FEATURE_INCOMPAT,
			    fs->e2_incompat);
			error = ext2fs_jw_sbwrite(em);
		}
		return error;
	}
	if ((e = ext2fs_sb_write(em, true)) != 0 && error == 0)
		error = e;
	return error;
}

/* Stop writing (unmount, remount read-only). */
static int
ext2fs_rw_stop(struct ext2fs_mount *em)
{
	int error;

	error = ext2fs_flush(em, true);
	ext2fs_orphans_stop(em);
	ext2fs_jw_stop(em);
	ext2fs_counts_free(em);
	em->em_rw = false;
	em->em_dirty = false;
	return error;
}

/* Open the device again with the access of the new mode. */
static int
ext2fs_reopen(struct ext2fs_mount *em, int fflag)
{
	int error;

	if ((error = VOP_OPEN(em->em_devvp, fflag, kauth_cred_get())) != 0)
		return error;
	(void)VOP_CLOSE(em->em_devvp, em->em_fflag, kauth_cred_get());
	em->em_fflag = fflag;
	return 0;
}

static int
ext2fs_update(struct mount *mp, bool force)
{
	struct ext2fs_mount *em = VFSTOEXT2(mp);
	bool rdonly = (mp->mnt_flag & MNT_RDONLY) != 0;
	int error = 0;

	rw_enter(&em->em_lock, RW_WRITER);
	if (rdonly && em->em_rw) {
		error = ext2fs_rw_stop(em);
		(void)ext2fs_reopen(em, FREAD);
	} else if (!rdonly && !em->em_rw) {
		if ((error = ext2fs_rw_check(em, force)) == 0 &&
		    (error = ext2fs_reopen(em, FREAD | FWRITE)) == 0 &&
		    (error = ext2fs_rw_start(em)) != 0)
			(void)ext2fs_reopen(em, FREAD);
	}
	rw_exit(&em->em_lock);
	return error;
}

static void
ext2fs_em_free(struct ext2fs_mount *em)
{
	ext2fs_eai_fini(em);
	rw_destroy(&em->em_lock);
	mutex_destroy(&em->em_pendlock);
	kmem_free(em, sizeof(*em));
}

static int
ext2fs_mount(struct mount *mp, const void *data, size_t len)
{
	const struct ext2fs_args *args = data;
	bool rdonly = (mp->mnt_flag & MNT_RDONLY) != 0, force;
	struct ext2fs_mount *em;
	char *fspec;
	int error;

	/* struct ufs_args is a struct ext2fs_args without the flags. */
	if (data != NULL && len != sizeof(struct ufs_args) &&
	    len != sizeof(*args))
		return EINVAL;
	force = data != NULL && len == sizeof(*args) &&
	    (args->flags & EXT2FS_ARGS_FORCE) != 0;
	if (mp->mnt_flag & MNT_UPDATE)
		return ext2fs_update(mp, force);
	if (data == NULL)
		return EINVAL;
	if ((fspec = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = copyinstr(args->fspec, fspec, PATH_MAX, NULL)) != 0)
		goto out;
	if ((em = kmem_zalloc(sizeof(*em), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	rw_init(&em->em_lock);
	mutex_init(&em->em_pendlock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&em->em_pending);
	strlcpy(em->em_name, fspec, sizeof(em->em_name));
	if (len == sizeof(*args)) {
		em->em_nojournal = (args->flags & EXT2FS_ARGS_NOJOURNAL) != 0;
		em->em_datajournal =
		    (args->flags & EXT2FS_ARGS_DATAJOURNAL) != 0;
		em->em_asynccommit =
		    (args->flags & EXT2FS_ARGS_ASYNCCOMMIT) != 0;
		em->em_commit = args->commit;
	}
	if ((error = ext2fs_mount_dev(em, fspec,
	    rdonly ? FREAD : FREAD | FWRITE)) != 0) {
		ext2fs_em_free(em);
		goto out;
	}
	ext2fs_eai_init(em);
	rw_enter(&em->em_lock, RW_WRITER);
	error = ext2fs_journal_load(em);
	if (error == 0 && !rdonly && (error = ext2fs_rw_check(em, force)) == 0)
		error = ext2fs_rw_start(em);
	rw_exit(&em->em_lock);
	if (error != 0) {
		ext2fs_journal_unload(em);
		ext2fs_sb_free(em->em_fs);
		vfs_closedev(em->em_devvp, em->em_fflag);
		ext2fs_em_free(em);
		goto out;
	}
	mp->mnt_data = em;
	mp->mnt_namecache = true;
out:
	kmem_free(fspec, PATH_MAX);
	return error;
}

/* The VFS has flushed every vnode. */
static int
ext2fs_unmount(struct mount *mp, int flags)
{
	struct ext2fs_mount *em = VFSTOEXT2(mp);
	int error = 0;

	(void)flags;
	rw_enter(&em->em_lock, RW_WRITER);
	if (em->em_rw)
		error = ext2fs_rw_stop(em);
	rw_exit(&em->em_lock);
	if (error != 0)
		log(LOG_ERR, "ext2fs: %s: error %d writing at unmount",
		    em->em_name, error);
	ext2fs_journal_unload(em);
	ext2fs_sb_free(em->em_fs);
	vfs_closedev(em->em_devvp, em->em_fflag);
	ext2fs_em_free(em);
	mp->mnt_data = NULL;
	return 0;
}

static int
ext2fs_root(struct mount *mp, struct vnode **vpp)
{
	struct ext2fs_mount *em = VFSTOEXT2(mp);
	int error;

	rw_enter(&em->em_lock, RW_READER);
	error = vcache_get(mp, EXT2_ROOT_INO, NULL, vpp);
	rw_exit(&em->em_lock);
	/* A root that is not in use is a corrupt image, not a missing file. */
	if (error == ENOENT) {
		(void)ext2fs_corrupt(em->em_fs, "the root inode (%u) is not in use",
		    EXT2_ROOT_INO);
		return EINVAL;
	}
	if (error != 0)
		return error;
	if ((*vpp)->v_type != VDIR) {
		vrele(*vpp);
		*vpp = NULL;
		/* A mount of a bad image is EINVAL, as from ext2fs_sb_load. */
		(void)ext2fs_corrupt(VFSTOEXT2(mp)->em_fs,
		    "the root inode is not a directory");
		return EINVAL;
	}
	return 0;
}

/*
 * As Linux's ext2 statfs: f_blocks leaves out the metadata overhead
 * (ext2fs_overhead()), the free counts are the groups' (the superblock's
 * on a read-only mount, as the image has them), f_bavail leaves out the
 * blocks reserved for root (and ext4's own reserve on extent images).
 */
static int
ext2fs_statvfs(struct mount *mp, struct statvfs *sv)
{
	struct ext2fs_mount *em = VFSTOEXT2(mp);
	const struct ext2fs *fs = em->em_fs;
	const uint8_t *sb = fs->e2_sb;
	uint64_t bfree, resv, ifree, overhead;

	rw_enter(&em->em_lock, RW_WRITER);
	if (em->em_rw) {
		(void)ext2fs_pending(em);
		bfree = em->em_free_blocks;
		ifree = em->em_free_inodes;
	} else {
		bfree = ext2_le32(sb + EXT2_SB_FREE_BLOCKS_LO);
		if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT)
			bfree |= (uint64_t)ext2_le32(sb +
			    EXT2_SB_FREE_BLOCKS_HI) << 32;
		ifree = ext2_le32(sb + EXT2_SB_FREE_INODES);
	}
	/* It reads the device: under em_lock (ext2fs_jw_overlay()). */
	overhead = ext2fs_overhead(fs);
	rw_exit(&em->em_lock);
	resv = ext2_le32(sb + EXT2_SB_R_BLOCKS_COUNT_LO);
	if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT)
		resv |= (uint64_t)ext2_le32(sb + EXT2_SB_R_BLOCKS_COUNT_HI) << 32;
	/*
	 * Linux's ext4 (which mounts every image with extents) keeps 2% of
	 * the blocks, at most 4096, back as well.
	 */
	if (fs->e2_incompat & EXT2F_INCOMPAT_EXTENTS)
		resv += MIN(fs->e2_nblocks * 2 / 100, 4096);
	/* Counts on the image are not trusted beyond the file system. */
	bfree = MIN(bfree, fs->e2_nblocks);
	sv->f_bsize = sv->f_frsize = fs->e2_bsize;
	sv->f_blocks = fs->e2_nblocks - overhead;
	sv->f_bfree = bfree;
	sv->f_bavail = bfree > resv ? bfree - resv : 0;
	sv->f_files = fs->e2_ninodes;
	sv->f_ffree = sv->f_favail = MIN(ifree, fs->e2_ninodes);
	sv->f_namemax = EXT2_NAME_MAX;
	return 0;
}

/*
 * sync(2): everything to the disk, and the disk to stable storage (the
 * device's fsync); the file system stays in use.
 */
static int
ext2fs_sync(struct mount *mp)
{
	struct ext2fs_mount *em = VFSTOEXT2(mp);
	int error = 0;

	rw_enter(&em->em_lock, RW_WRITER);
	if (em->em_rw)
		error = ext2fs_flush(em, false);
	rw_exit(&em->em_lock);
	if (error == 0 && em->em_rw)
		error = VOP_FSYNC(em->em_devvp, false);
	return error;
}

static int
ext2fs_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino, void *cookie)
{
	const struct ext2fs *fs = VFSTOEXT2(mp)->em_fs;
	struct ext2fs_node *np;
	struct ext2fs_inode *ip;
	enum vtype type;
	int error;

	(void)cookie;
	if (ino > UINT32_MAX)
		return ESTALE;
	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL)
		return ENOMEM;
	ip = &np->n_ip;
	if ((error = ext2fs_iget(fs, (uint32_t)ino, ip)) != 0)
		goto fail;
	type = iftovt(ip->ei_mode);
	if (type == VNON || type == VBAD) {
		error = ext2fs_corrupt(fs, "inode %u: file type 0%o",
		    ip->ei_ino, ip->ei_mode & EXT2_IFMT);
		goto fail;
	}
	vp->v_data = np;
	vp->v_type = type;
	if (type == VCHR || type == VBLK) {
		vp->v_op = &ext2fs_specops;
		vp->v_rdev = makedev(ip->ei_rdev_major, ip->ei_rdev_minor);
	} else
		vp->v_op = &ext2fs_vnodeops;
	if (ino == EXT2_ROOT_INO)
		vp->v_vflag |= VV_ROOT;
	/* Unreadable attributes are the permission check's error. */
	if ((error = ext2fs_acl_load(VFSTOEXT2(mp), np)) != 0) {
		vp->v_data = NULL;
		goto fail;
	}
	return 0;
fail:
	kmem_free(np, sizeof(*np));
	return error;
}

static struct vfsops ext2fs_vfsops = {
	.vfs_name = "ext2fs",
	.vfs_mount = ext2fs_mount,
	.vfs_unmount = ext2fs_unmount,
	.vfs_root = ext2fs_root,
	.vfs_statvfs = ext2fs_statvfs,
	.vfs_sync = ext2fs_sync,
	.vfs_loadvnode = ext2fs_loadvnode,
};

void
ext2fs_vfs_init(void)
{
	ext2fs_specops_init();
	if (vfs_attach(&ext2fs_vfsops) != 0)
		panic("ext2fs_init: cannot register ext2fs");
}
