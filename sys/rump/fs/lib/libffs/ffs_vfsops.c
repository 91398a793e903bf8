/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS mounts: find and check the superblock, load vnodes, statvfs.
 *
 * The superblock is the image's promise about its own geometry, and
 * every later bounds check (inode locations, block addresses, indirect
 * fan-out) trusts what is checked here, so this checks each field that
 * any computation uses, and their consistency with each other and with
 * the device's size.  A superblock that fails is EINVAL at mount.
 *
 * Read-write mounts: the superblock's clean flag is cleared on disk
 * at the mount's first change, before that change can reach the disk
 * (ffs_markdirty), and set again, after everything is written, at
 * unmount and at a remount to read-only; a mount that changed nothing
 * writes nothing, not even the time.  An image whose flag is not
 * set was not unmounted cleanly: a read-write mount of it fails with
 * EROFS and one log line asking for fsck_ffs, unless the caller forces
 * it (MNT_FORCEMOUNT); read-only mounts of it work.  Features this code
 * does not keep up to date (soft updates, a journal, UFS1 rotational
 * tables) also keep a mount read-only (EROFS).  Every cylinder group
 * is checked when a mount becomes writable, and again at each use.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/disk.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/vnode.h>
#include <rump/ufs_args.h>

#include "ffs.h"

/* Where a primary superblock may be, most likely first. */
static const uint32_t ffs_sblocks[] = { SBLOCK_UFS2, SBLOCK_UFS1,
    SBLOCK_PIGGY };

static uint32_t
ilog2(uint32_t v)
{
	return v == 0 ? 0 : 31 - (uint32_t)__builtin_clz(v);
}

/*
 * Decode the superblock in sb if it is a primary one at byte loc; 0 if
 * so, ENOENT if not.
 */
static int
ffs_sbdecode(struct ffs_mount *um, const char *sb, uint32_t loc)
{
	uint32_t magic, flags;
	size_t cs;

	memcpy(&magic, sb + FS_MAGIC, sizeof(magic));
	um->um_swap = false;
	if (magic != FS_UFS1_MAGIC && magic != FS_UFS2_MAGIC) {
		magic = __builtin_bswap32(magic);
		um->um_swap = true;
	}
	if (magic == FS_UFS1_MAGIC) {
		/* At any other place it is a group's backup copy. */
		if (loc != SBLOCK_UFS1)
			return ENOENT;
		um->um_ufs2 = false;
	} else if (magic == FS_UFS2_MAGIC) {
		if (ffs_get64(um, sb, FS_SBLOCKLOC) != loc)
			return ENOENT;
		um->um_ufs2 = true;
	} else
		return ENOENT;
	um->um_sblockloc = loc;

#define SB32(f) ffs_get32(um, sb, f)
	um->fs_sblkno = SB32(FS_SBLKNO);
	um->fs_iblkno = SB32(FS_IBLKNO);
	um->fs_dblkno = SB32(FS_DBLKNO);
	um->fs_old_cgoffset = SB32(FS_OLD_CGOFFSET);
	um->fs_old_cgmask = SB32(FS_OLD_CGMASK);
	um->fs_ncg = SB32(FS_NCG);
	um->fs_bsize = SB32(FS_BSIZE);
	um->fs_fsize = SB32(FS_FSIZE);
	um->fs_frag = SB32(FS_FRAG);
	um->fs_minfree = SB32(FS_MINFREE);
	um->fs_bshift = SB32(FS_BSHIFT);
	um->fs_fshift = SB32(FS_FSHIFT);
	um->fs_fragshift = SB32(FS_FRAGSHIFT);
	um->fs_fsbtodb = SB32(FS_FSBTODB);
	um->fs_nindir = SB32(FS_NINDIR);
	um->fs_inopb = SB32(FS_INOPB);
	um->fs_ipg = SB32(FS_IPG);
	um->fs_fpg = SB32(FS_FPG);
	um->fs_maxsymlinklen = SB32(FS_MAXSYMLINKLEN);
	um->fs_id[0] = SB32(FS_ID);
	um->fs_id[1] = SB32(FS_ID + 4);
	flags = SB32(FS_FLAGS);
	/*
	 * A UFS1 file system written by a kernel that predates the 64-bit
	 * fields keeps its sizes and totals only in the old 32-bit ones.
	 */
	if (!um->um_ufs2 && !(flags & FS_FLAGS_UPDATED)) {
		um->fs_size = SB32(FS_OLD_SIZE);
		um->fs_dsize = SB32(FS_OLD_DSIZE);
		cs = FS_OLD_CSTOTAL;
		um->fs_ndir = SB32(cs + 4 * CS_NDIR);
		um->fs_nbfree = SB32(cs + 4 * CS_NBFREE);
		um->fs_nifree = SB32(cs + 4 * CS_NIFREE);
		um->fs_nffree = SB32(cs + 4 * CS_NFFREE);
	} else {
		um->fs_size = ffs_get64(um, sb, FS_SIZE);
		um->fs_dsize = ffs_get64(um, sb, FS_DSIZE);
		cs = FS_CSTOTAL;
		um->fs_ndir = ffs_get64(um, sb, cs + 8 * CS_NDIR);
		um->fs_nbfree = ffs_get64(um, sb, cs + 8 * CS_NBFREE);
		um->fs_nifree = ffs_get64(um, sb, cs + 8 * CS_NIFREE);
		um->fs_nffree = ffs_get64(um, sb, cs + 8 * CS_NFFREE);
	}
	um->fs_cblkno = SB32(FS_CBLKNO);
	um->fs_cgsize = SB32(FS_CGSIZE);
	um->fs_cssize = SB32(FS_CSSIZE);
	um->fs_contigsumsize = SB32(FS_CONTIGSUMSIZE);
	um->fs_flags = flags;
	um->fs_csaddr = um->um_ufs2 ? ffs_get64(um, sb, FS_CSADDR) :
	    SB32(FS_OLD_CSADDR);
	um->um_wasclean = (sb[FS_CLEAN] & 1) != 0;
	um->um_updated = um->um_ufs2 ||
	    ((unsigned char)sb[FS_OLD_FLAGS] & FS_FLAGS_UPDATED) != 0 ||
	    (flags & FS_FLAGS_UPDATED) != 0;
	if (!um->um_ufs2 && SB32(FS_OLD_INODEFMT) != FS_44INODEFMT)
		um->fs_maxsymlinklen = UINT32_MAX;      /* refused below */
	/* The masks are checked here, while the raw block is at hand. */
	if (SB32(FS_BMASK) != ~(um->fs_bsize - 1) ||
	    SB32(FS_FMASK) != ~(um->fs_fsize - 1))
		um->fs_bsize = 0;                       /* refused below */
	if (SB32(FS_SBSIZE) == 0 || SB32(FS_SBSIZE) > SBLOCKSIZE)
		um->fs_bsize = 0;
#undef SB32
	return 0;
}

/* Everything later computations rely on; EIO (reported) if not so. */
static int
ffs_sbcheck(struct ffs_mount *um, uint64_t devbytes)
{
	uint32_t ptrsize = um->um_ufs2 ? 8 : 4;
	uint32_t disize = um->um_ufs2 ? DINODE2_SIZE : DINODE1_SIZE;
	uint32_t linkmax = um->um_ufs2 ? UFS2_SHORTLINK : UFS1_SHORTLINK;
	uint64_t inofrags, n, c, first;

	if (!powerof2(um->fs_bsize) || um->fs_bsize < 4096 ||
	    um->fs_bsize > MAXBSIZE)
		return ffs_corrupt(um, "block size %u (masks, sbsize)",
		    um->fs_bsize);
	if (!powerof2(um->fs_fsize) || um->fs_fsize < DEV_BSIZE ||
	    um->fs_fsize > um->fs_bsize || um->fs_bsize / um->fs_fsize > 8)
		return ffs_corrupt(um, "fragment size %u for block size %u",
		    um->fs_fsize, um->fs_bsize);
	if (um->fs_frag != um->fs_bsize / um->fs_fsize ||
	    um->fs_bshift != ilog2(um->fs_bsize) ||
	    um->fs_fshift != ilog2(um->fs_fsize) ||
	    um->fs_fragshift != ilog2(um->fs_frag) ||
	    um->fs_fsbtodb != um->fs_fshift - DEV_BSHIFT)
		return ffs_corrupt(um, "inconsistent block geometry");
	if (um->fs_nindir != um->fs_bsize / ptrsize ||
	    um->fs_inopb != um->fs_bsize / disize)
		return ffs_corrupt(um, "%u pointers, %u inodes per block",
		    um->fs_nindir, um->fs_inopb);
	if (um->fs_ncg == 0 || um->fs_ipg == 0 ||
	    um->fs_ipg % um->fs_inopb != 0)
		return ffs_corrupt(um, "%u groups of %u inodes", um->fs_ncg,
		    um->fs_ipg);
	/* Directory entries hold 32-bit inode numbers. */
	um->um_maxino = (uint64_t)um->fs_ncg * um->fs_ipg;
	if (um->um_maxino > (1ULL << 32))
		return ffs_corrupt(um, "%llu inodes",
		    (unsigned long long)um->um_maxino);
	if (um->fs_fpg < um->fs_frag || um->fs_fpg % um->fs_frag != 0)
		return ffs_corrupt(um, "%u frags per group", um->fs_fpg);
	inofrags = (uint64_t)um->fs_ipg / um->fs_inopb * um->fs_frag;
	if (um->fs_iblkno % um->fs_frag != 0 ||
	    um->fs_iblkno + inofrags > um->fs_dblkno ||
	    um->fs_dblkno > um->fs_fpg)
		return ffs_corrupt(um, "group layout: inodes at %u, data at %u",
		    um->fs_iblkno, um->fs_dblkno);
	if (um->fs_size == 0 || um->fs_size > (devbytes >> um->fs_fshift))
		return ffs_corrupt(um, "%llu frags of %u bytes on a device of "
		    "%llu bytes", (unsigned long long)um->fs_size, um->fs_fsize,
		    (unsigned long long)devbytes);
	if (um->fs_dsize > um->fs_size)
		return ffs_corrupt(um, "%llu data frags of %llu",
		    (unsigned long long)um->fs_dsize,
		    (unsigned long long)um->fs_size);
	if (howmany(um->fs_size, um->fs_fpg) != um->fs_ncg)
		return ffs_corrupt(um, "%u groups for %llu frags", um->fs_ncg,
		    (unsigned long long)um->fs_size);
	if (!um->um_ufs2 && um->fs_old_cgoffset >= um->fs_fpg)
		return ffs_corrupt(um, "group offset %u", um->fs_old_cgoffset);
	/*
	 * Every group's inodes are on the device.  Unstaggered groups
	 * start in order, so there the last one decides.
	 */
	first = um->um_ufs2 || um->fs_old_cgoffset == 0 ? um->fs_ncg - 1 : 0;
	for (c = first; c < um->fs_ncg; c++) {
		if (ffs_cgstart(um, c) + um->fs_iblkno + inofrags >
		    um->fs_size)
			return ffs_corrupt(um, "inodes of group %llu past the "
			    "end", (unsigned long long)c);
	}
	if (um->fs_maxsymlinklen > linkmax)
		return ffs_corrupt(um, "short symlinks of %u bytes (or a "
		    "pre-4.4BSD inode format)", um->fs_maxsymlinklen);
	if (um->fs_nbfree > um->fs_dsize / um->fs_frag ||
	    um->fs_nffree > um->fs_dsize || um->fs_nifree > um->um_maxino ||
	    um->fs_ndir > um->um_maxino)
		return ffs_corrupt(um, "free totals exceed the file system");
	n = um->fs_nindir;
	um->um_maxlbn = UFS_NDADDR + n + n * n + n * n * n;
	return 0;
}

/*
 * What writing needs on top of reading: a sound group header size and
 * summary area, no features this code would leave stale, and a clean
 * file system unless forced.  EROFS (logged) if the mount must stay
 * read-only; EINVAL (logged) for a corrupt superblock.
 */
static int
ffs_rwcheck(struct ffs_mount *um, bool force)
{
	uint64_t csfrags;

	if (um->fs_cgsize < CG_TIME + 8 || um->fs_cgsize > um->fs_bsize ||
	    um->fs_cblkno + (FFS_FRAGROUNDUP(um, um->fs_cgsize) >>
	    um->fs_fshift) > um->fs_iblkno || um->fs_cblkno < um->fs_sblkno)
		return ffs_corrupt(um, "group header of %u bytes at %u",
		    um->fs_cgsize, um->fs_cblkno), EINVAL;
	csfrags = FFS_FRAGROUNDUP(um, um->fs_cssize) >> um->fs_fshift;
	if (um->fs_cssize < (uint64_t)um->fs_ncg * 16 ||
	    um->fs_csaddr == 0 || um->fs_csaddr + csfrags > um->fs_size ||
	    um->fs_contigsumsize > FS_MAXCONTIGSUM)
		return ffs_corrupt(um, "group summaries of %u bytes at %llu",
		    um->fs_cssize, (unsigned long long)um->fs_csaddr), EINVAL;
	if ((um->fs_flags & (FS_FLAGS_SOFTDEP | FS_FLAGS_SUJ |
	    FS_FLAGS_GJOURNAL | FS_FLAGS_DOWAPBL)) != 0 || !um->um_updated) {
		log(LOG_ERR, "ffs: %s: soft updates, a journal or old UFS1 "
		    "tables (flags %#x): mount read-only\n", um->um_fspec,
		    um->fs_flags);
		return EROFS;
	}
	if (!um->um_wasclean && !force) {
		log(LOG_ERR, "ffs: %s: file system not clean; run fsck_ffs\n",
		    um->um_fspec);
		return EROFS;
	}
	return 0;
}

/*
 * Write the group summaries and the superblock: its totals, time and
 * clean flag.  wait: synchronously (unmount, remount, mount).
 */
static int
ffs_sbupdate(struct ffs_mount *um, bool clean, bool wait)
{
	uint64_t off, c, frag;
	struct timespec now;
	struct buf *bp;
	size_t n, i;
	char *sb;
	int error, error2 = 0;

	for (off = 0; off < um->fs_cssize; off += um->fs_bsize) {
		n = (size_t)MIN(um->fs_bsize,
		    FFS_FRAGROUNDUP(um, um->fs_cssize - off));
		frag = um->fs_csaddr + (off >> um->fs_fshift);
		if ((error = bread(um->um_devvp, FFS_FSBTODB(um, frag), (int)n,
		    0, &bp)) != 0)
			return error;
		for (i = 0; i + 16 <= n; i += 16) {
			c = (off + i) / 16;
			if (c >= um->fs_ncg)
				break;
			ffs_put32(um, bp->b_data, i + 4 * CS_NDIR,
			    (uint32_t)um->um_csum[c].cs_ndir);
			ffs_put32(um, bp->b_data, i + 4 * CS_NBFREE,
			    (uint32_t)um->um_csum[c].cs_nbfree);
			ffs_put32(um, bp->b_data, i + 4 * CS_NIFREE,
			    (uint32_t)um->um_csum[c].cs_nifree);
			ffs_put32(um, bp->b_data, i + 4 * CS_NFFREE,
			    (uint32_t)um->um_csum[c].cs_nffree);
		}
		if ((error = ffs_bufwrite(um, bp, wait ? FFS_BWRITE :
		    FFS_BDWRITE)) != 0)
			error2 = error;
	}
	if ((error = bread(um->um_devvp, um->um_sblockloc / DEV_BSIZE,
	    SBLOCKSIZE, 0, &bp)) != 0)
		return error;
	sb = bp->b_data;
	nanotime(&now);
	ffs_put64(um, sb, FS_CSTOTAL + 8 * CS_NDIR, um->fs_ndir);
	ffs_put64(um, sb, FS_CSTOTAL + 8 * CS_NBFREE, um->fs_nbfree);
	ffs_put64(um, sb, FS_CSTOTAL + 8 * CS_NIFREE, um->fs_nifree);
	ffs_put64(um, sb, FS_CSTOTAL + 8 * CS_NFFREE, um->fs_nffree);
	ffs_put64(um, sb, FS_TIME, (uint64_t)now.tv_sec);
	ffs_put64(um, sb, FS_PENDINGBLOCKS, 0);
	ffs_put64(um, sb, FS_PENDINGINODES, 0);
	if (!um->um_ufs2) {
		ffs_put32(um, sb, FS_OLD_CSTOTAL + 4 * CS_NDIR,
		    (uint32_t)um->fs_ndir);
		ffs_put32(um, sb, FS_OLD_CSTOTAL + 4 * CS_NBFREE,
		    (uint32_t)um->fs_nbfree);
		ffs_put32(um, sb, FS_OLD_CSTOTAL + 4 * CS_NIFREE,
		    (uint32_t)um->fs_nifree);
		ffs_put32(um, sb, FS_OLD_CSTOTAL + 4 * CS_NFFREE,
		    (uint32_t)um->fs_nffree);
		ffs_put32(um, sb, FS_OLD_TIME, (uint32_t)now.tv_sec);
	}
	sb[FS_FMOD] = 0;
	sb[FS_RONLY] = 0;
	sb[FS_CLEAN] = clean ? 1 : 0;
	um->um_fmod = false;
	error = ffs_bufwrite(um, bp, wait ? FFS_BWRITE : FFS_BDWRITE);
	return error != 0 ? error : error2;
}

/*
 * Before the first change of a read-write mount reaches a buffer: the
 * superblock on the disk loses its clean flag (and gets the time),
 * written and waited for, so that is there before any other change can
 * be.  Nothing else of the superblock changes: its totals and the group
 * summaries are written at sync and unmount.  If the flag cannot be
 * written, nothing more of this mount is: every change fails with that
 * error and the disk stays as the mount found it.
 */
int
ffs_markdirty(struct ffs_mount *um)
{
	struct timespec now;
	struct buf *bp;
	char *sb;
	int error;

	KASSERT(rw_write_held(&um->um_lock));
	if (um->um_dirty)
		return 0;
	if (um->um_ronly)
		return EROFS;
	if (um->um_dirty_error != 0)
		return um->um_dirty_error;
	if ((error = bread(um->um_devvp, um->um_sblockloc / DEV_BSIZE,
	    SBLOCKSIZE, 0, &bp)) == 0) {
		sb = bp->b_data;
		nanotime(&now);
		ffs_put64(um, sb, FS_TIME, (uint64_t)now.tv_sec);
		if (!um->um_ufs2)
			ffs_put32(um, sb, FS_OLD_TIME, (uint32_t)now.tv_sec);
		sb[FS_FMOD] = 0;
		sb[FS_RONLY] = 0;
		sb[FS_CLEAN] = 0;
		error = bwrite(bp);
	}
	if (error != 0) {
		um->um_dirty_error = error;
		log(LOG_ERR, "ffs: %s: error %d clearing the clean flag: "
		    "nothing is written\n", um->um_fspec, error);
		return error;
	}
	um->um_dirty = true;
	return 0;
}

/*
 * Every buffer the file system changed goes to the disk this way, with
 * um_lock held as writer: ffs_markdirty() first.  A file's buffer has
 * its device address resolved here, while the tree that maps it cannot
 * change: ffs_strategy writes it there without reading an indirect
 * block, so a write started to make room in the cache never needs room
 * itself, nor a buffer the one making room may hold.
 */
int
ffs_bufwrite(struct ffs_mount *um, struct buf *bp, int how)
{
	struct ffs_inode *ip;
	int error;

	if ((error = ffs_markdirty(um)) == 0 && bp->b_vp != um->um_devvp) {
		ip = VTOI(bp->b_vp);
		if ((error = ffs_mapbuf(um, ip, bp, &bp->b_wblkno)) == 0 &&
		    bp->b_wblkno == 0)
			/* Writers allocate before they dirty: a lost block. */
			error = ffs_corrupt(um, "inode %llu: write of "
			    "unallocated block %lld",
			    (unsigned long long)ip->i_number,
			    (long long)bp->b_lblkno);
	}
	if (error != 0) {
		brelse(bp, B_INVAL);
		return error;
	}
	switch (how) {
	case FFS_BWRITE:
		return bwrite(bp);
	case FFS_BAWRITE:
		bawrite(bp);
		return 0;
	default:
		bdwrite(bp);
		return 0;
	}
}

/*
 * Make the mount writable: check, load the summaries.  The disk is
 * marked at the first change.
 */
static int
ffs_makerw(struct ffs_mount *um, bool force)
{
	int error;

	if ((error = ffs_rwcheck(um, force)) != 0)
		return error;
	if (um->um_csum == NULL && (um->um_csum = kmem_zalloc(um->fs_ncg *
	    sizeof(*um->um_csum), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ffs_cg_check_all(um)) != 0)
		return EINVAL;
	um->um_dirty = false;
	um->um_dirty_error = 0;
	um->um_ronly = false;
	return 0;
}

/*
 * Write everything and mark the file system clean (unmount, to ro);
 * if nothing was changed, nothing: the disk is as the mount found it.
 */
static int
ffs_makero(struct ffs_mount *um)
{
	int error;

	if (!um->um_dirty) {
		um->um_ronly = true;
		return 0;
	}
	bio_syncall();
	error = ffs_sbupdate(um, true, true);
	if (error == 0)
		error = vflushbuf(um->um_devvp, FSYNC_WAIT);
	um->um_ronly = true;
	um->um_dirty = false;
	um->um_wasclean = error == 0;
	return error;
}

static int
ffs_sbread(struct ffs_mount *um, uint64_t devbytes)
{
	struct buf *bp;
	size_t i;
	int error;

	for (i = 0; i < __arraycount(ffs_sblocks); i++) {
		if ((uint64_t)ffs_sblocks[i] + SBLOCKSIZE > devbytes)
			continue;
		if ((error = bread(um->um_devvp, ffs_sblocks[i] / DEV_BSIZE,
		    SBLOCKSIZE, 0, &bp)) != 0)
			return error;
		error = ffs_sbdecode(um, bp->b_data, ffs_sblocks[i]);
		brelse(bp, B_INVAL);
		if (error == 0)
			break;
	}
	/*
	 * The probes' buffers have a size that reads of inode or data
	 * blocks at the same sectors would not ask for: forget them.
	 */
	(void)vinvalbuf(um->um_devvp);
	if (i < __arraycount(ffs_sblocks))
		return ffs_sbcheck(um, devbytes) != 0 ? EINVAL : 0;
	log(LOG_ERR, "ffs: %s: no FFS superblock found\n", um->um_fspec);
	return EINVAL;
}

static void
ffs_free(struct ffs_mount *um)
{
	if (um->um_csum != NULL)
		kmem_free(um->um_csum, um->fs_ncg * sizeof(*um->um_csum));
	rw_destroy(&um->um_lock);
	kmem_strfree(um->um_fspec);
	kmem_free(um, sizeof(*um));
}

/* MNT_UPDATE: between read-only and read-write. */
static int
ffs_remount(struct mount *mp)
{
	struct ffs_mount *um = VFSTOFFS(mp);
	bool ro = (mp->mnt_flag & MNT_RDONLY) != 0;
	kauth_cred_t cred = kauth_cred_get();
	int error = 0;

	rw_enter(&um->um_lock, RW_WRITER);
	if (ro && !um->um_ronly)
		error = ffs_makero(um);
	else if (!ro && um->um_ronly) {
		if ((um->um_devflag & FWRITE) == 0) {
			if ((error = VOP_OPEN(um->um_devvp, FREAD | FWRITE,
			    cred)) == 0) {
				(void)VOP_CLOSE(um->um_devvp, FREAD, cred);
				um->um_devflag = FREAD | FWRITE;
			}
		}
		if (error == 0)
			error = ffs_makerw(um,
			    (mp->mnt_flag & MNT_FORCEMOUNT) != 0);
	}
	rw_exit(&um->um_lock);
	return error;
}

static int
ffs_mount(struct mount *mp, const void *data, size_t len)
{
	const struct ufs_args *args = data;
	struct ffs_mount *um;
	struct ffs_inode *root;
	char *path;
	uint64_t devbytes;
	unsigned secsize;
	int error;

	bool ro = (mp->mnt_flag & MNT_RDONLY) != 0;

	if (mp->mnt_flag & MNT_UPDATE)
		return ffs_remount(mp);
	if (data == NULL || len != sizeof(*args))
		return EINVAL;
	if ((path = kmem_alloc(MAXPATHLEN, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(args->fspec, path, MAXPATHLEN, NULL);
	if (error == 0 && (um = kmem_zalloc(sizeof(*um), KM_SLEEP)) == NULL)
		error = ENOMEM;
	if (error == 0 && (um->um_fspec = kmem_strdup(path, KM_SLEEP)) ==
	    NULL) {
		kmem_free(um, sizeof(*um));
		error = ENOMEM;
	}
	kmem_free(path, MAXPATHLEN);
	if (error)
		return error;
	um->um_mp = mp;
	um->um_ronly = true;
	rw_init(&um->um_lock);
	um->um_devflag = ro ? FREAD : FREAD | FWRITE;
	if ((error = vfs_opendev(um->um_fspec, um->um_devflag,
	    &um->um_devvp)) != 0) {
		ffs_free(um);
		return error;
	}
	if ((error = vfs_devsize(um->um_devvp, &devbytes, &secsize)) != 0 ||
	    (error = ffs_sbread(um, devbytes)) != 0)
		goto fail;
	/* A file system whose root is no directory cannot be walked. */
	if ((error = ffs_inode_read(um, UFS_ROOTINO, &root)) != 0) {
		error = EINVAL;
		goto fail;
	}
	if ((root->i_mode & IFMT) != IFDIR) {
		ffs_inode_free(root);
		(void)ffs_corrupt(um, "root inode is not a directory");
		error = EINVAL;
		goto fail;
	}
	ffs_inode_free(root);
	if (!ro && (error = ffs_makerw(um,
	    (mp->mnt_flag & MNT_FORCEMOUNT) != 0)) != 0)
		goto fail;
	mp->mnt_data = um;
	mp->mnt_namecache = true;
	return 0;
fail:
	vfs_closedev(um->um_devvp, um->um_devflag);
	ffs_free(um);
	return error;
}

/* Every vnode is gone (vflush): write the rest, mark clean, close. */
static int
ffs_unmount(struct mount *mp, int flags)
{
	struct ffs_mount *um = VFSTOFFS(mp);

	(void)flags;
	rw_enter(&um->um_lock, RW_WRITER);
	if (!um->um_ronly)
		(void)ffs_makero(um);
	rw_exit(&um->um_lock);
	vfs_closedev(um->um_devvp, um->um_devflag);
	ffs_free(um);
	mp->mnt_data = NULL;
	return 0;
}

static int
ffs_root(struct mount *mp, struct vnode **vpp)
{
	return vcache_get(mp, UFS_ROOTINO, NULL, vpp);
}

static int
ffs_statvfs(struct mount *mp, struct statvfs *sv)
{
	struct ffs_mount *um = VFSTOFFS(mp);
	uint64_t bfree, reserved;

	rw_enter(&um->um_lock, RW_READER);
	bfree = um->fs_nbfree * um->fs_frag + um->fs_nffree;
	reserved = FFS_RESERVED(um);
	sv->f_bsize = um->fs_bsize;
	sv->f_frsize = um->fs_fsize;
	sv->f_blocks = um->fs_dsize;
	sv->f_bfree = bfree;
	sv->f_bavail = bfree > reserved ? bfree - reserved : 0;
	/* Inodes 0 and 1 are never files. */
	sv->f_files = um->um_maxino - UFS_ROOTINO;
	sv->f_ffree = sv->f_favail = um->fs_nifree;
	sv->f_namemax = NAME_MAX;
	rw_exit(&um->um_lock);
	return 0;
}

/*
 * sync(2): the summaries and superblock, then the device's fsync, which
 * writes every buffer of it and puts the image on stable storage.
 */
static int
ffs_sync(struct mount *mp)
{
	struct ffs_mount *um = VFSTOFFS(mp);
	int error = 0, error2;

	rw_enter(&um->um_lock, RW_WRITER);
	if (!um->um_ronly && um->um_fmod)
		error = ffs_sbupdate(um, false, false);
	rw_exit(&um->um_lock);
	if (um->um_ronly)
		return error;
	error2 = VOP_FSYNC(um->um_devvp, false);
	return error != 0 ? error : error2;
}

static int
ffs_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino, void *cookie)
{
	const struct ffs_newinode *ni = cookie;
	struct ffs_inode *ip;
	int error;

	if (ni != NULL) {
		/* Being allocated: ffs_mknode fills it in. */
		if ((ip = kmem_zalloc(sizeof(*ip), KM_SLEEP)) == NULL)
			return ENOMEM;
		ip->i_number = ino;
		ip->i_mode = ni->ni_mode;
		ip->i_rdev = ni->ni_rdev;
	} else if ((error = ffs_inode_read(VFSTOFFS(mp), ino, &ip)) != 0)
		return error;
	else if ((error = ffs_acl_load(VFSTOFFS(mp), ip)) != 0) {
		ffs_inode_free(ip);
		return error;
	}
	vp->v_data = ip;
	vp->v_type = iftovt(ip->i_mode);
	vp->v_rdev = ip->i_rdev;
	if (vp->v_type == VBLK || vp->v_type == VCHR)
		vp->v_op = &ffs_specops;
	else
		vp->v_op = &ffs_vnodeops;
	if (ino == UFS_ROOTINO)
		vp->v_vflag |= VV_ROOT;
	return 0;
}

static struct vfsops ffs_vfsops = {
	.vfs_name = "ffs",
	.vfs_mount = ffs_mount,
	.vfs_unmount = ffs_unmount,
	.vfs_root = ffs_root,
	.vfs_statvfs = ffs_statvfs,
	.vfs_sync = ffs_sync,
	.vfs_loadvnode = ffs_loadvnode,
};

static void
ffs_init(void)
{
	ffs_vnops_init();
	ufs_dirhash_init();
	if (vfs_attach(&ffs_vfsops) != 0)
		panic("ffs_init: cannot register ffs");
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS_FS, ffs, ffs_init)
