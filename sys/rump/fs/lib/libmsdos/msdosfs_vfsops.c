/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * msdosfs mounts: read and check the boot sector's BPB, build the free
 * map from the FAT, keep the volume's dirty marks and the FSInfo hints,
 * statvfs, sync, and load vnodes.
 *
 * The BPB is the image's promise about its geometry and every later
 * bounds check trusts what is checked here: sector and cluster sizes,
 * the regions in order and on the device, a FAT big enough for every
 * cluster.  A BPB that fails is EINVAL at mount with one log line.  The
 * FAT type is FAT32 when BPB_FATSz16 is 0, else FAT12 below 4085
 * clusters and FAT16 from there (fatgen103; what Linux and dosfstools
 * decide too).
 *
 * Dirty marks (read-write mounts): before the mount's first change can
 * reach the disk, FAT[1]'s clean bit is cleared (FAT16/32, in every
 * copy) and bit 0 of BS_Reserved1 set (what Linux marks), written and
 * waited for (msdosfs_markdirty).  Unmount and a remount read-only write
 * everything, the FSInfo free count and next-free hint (FAT32), and then
 * put the marks back as the mount found them.  A mount that changes
 * nothing writes nothing.  A volume found dirty mounts anyway (as on
 * Linux and Windows), with a log line suggesting fsck.fat.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/disk.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vnode.h>
#include <rump/msdosfs_args.h>

#include "msdosfs.h"

int
msdosfs_corrupt(const struct msdosfs_mount *pm, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log(LOG_ERR, "msdosfs: %s: corrupt file system: %s\n", pm->pm_fspec,
	    msg);
	return EIO;
}

void
msdosfs_devblk(const struct msdosfs_mount *pm, uint64_t off, daddr_t *blkp,
    int *sizep, size_t *bofp)
{
	uint64_t sec = off / pm->pm_bps, clsec;

	if (sec < pm->pm_datasec) {
		*blkp = MSDOSFS_SECBLK(pm, sec);
		*sizep = (int)pm->pm_bps;
		*bofp = off % pm->pm_bps;
		return;
	}
	clsec = sec - (sec - pm->pm_datasec) % pm->pm_spc;
	*blkp = MSDOSFS_SECBLK(pm, clsec);
	*sizep = (int)pm->pm_clsize;
	*bofp = off - clsec * pm->pm_bps;
}

/* Set or clear bit 0 of BS_Reserved1 in the boot sector and wait. */
static int
bs_setdirty(struct msdosfs_mount *pm, bool dirty)
{
	size_t at = pm->pm_fattype == 32 ? BS32_RESERVED1 : BS16_RESERVED1;
	struct buf *bp;
	uint8_t *b;
	int error;

	if ((error = bread(pm->pm_devvp, 0, (int)pm->pm_bps, 0, &bp)) != 0)
		return error;
	b = bp->b_data;
	if (dirty)
		b[at] |= BS_RESERVED1_DIRTY;
	else
		b[at] &= (uint8_t)~BS_RESERVED1_DIRTY;
	return bwrite(bp);
}

int
msdosfs_markdirty(struct msdosfs_mount *pm)
{
	int error;

	KASSERT(rw_write_held(&pm->pm_lock));
	if (pm->pm_dirty)
		return 0;
	if (pm->pm_ronly)
		return EROFS;
	if (pm->pm_dirty_error != 0)
		return pm->pm_dirty_error;
	/* The marks' own buffers pass msdosfs_bufwrite from here on. */
	pm->pm_dirty = true;
	if ((error = msdosfs_fat_setclean(pm, false)) == 0 &&
	    (error = bs_setdirty(pm, true)) == 0)
		error = vflushbuf(pm->pm_devvp, FSYNC_WAIT);
	if (error != 0) {
		pm->pm_dirty = false;
		pm->pm_dirty_error = error;
		log(LOG_ERR, "msdosfs: %s: error %d marking the volume dirty: "
		    "nothing is written\n", pm->pm_fspec, error);
	}
	return error;
}

int
msdosfs_bufwrite(struct msdosfs_mount *pm, struct buf *bp, int how)
{
	int error;

	if ((error = msdosfs_markdirty(pm)) != 0) {
		brelse(bp, B_INVAL);
		return error;
	}
	switch (how) {
	case MSDOSFS_BWRITE:
		return bwrite(bp);
	case MSDOSFS_BAWRITE:
		bawrite(bp);
		return 0;
	default:
		bdwrite(bp);
		return 0;
	}
}

/* FSInfo (FAT32): the free count and the next-free hint. */
static int
fsinfo_write(struct msdosfs_mount *pm)
{
	struct buf *bp;
	uint8_t *b;
	int error;

	pm->pm_fmod = false;
	if (pm->pm_fsinfo == 0)
		return 0;
	if ((error = bread(pm->pm_devvp, MSDOSFS_SECBLK(pm, pm->pm_fsinfo),
	    (int)pm->pm_bps, 0, &bp)) != 0)
		return error;
	b = bp->b_data;
	if (getle32(b + FSI_LEADSIG) != FSI_LEADSIG_V ||
	    getle32(b + FSI_STRUCSIG) != FSI_STRUCSIG_V) {
		brelse(bp, 0);
		return 0;
	}
	putle32(b + FSI_FREE_COUNT, pm->pm_nfree);
	putle32(b + FSI_NXT_FREE, pm->pm_nxtfree);
	return msdosfs_bufwrite(pm, bp, MSDOSFS_BDWRITE);
}

static void
fsinfo_read(struct msdosfs_mount *pm)
{
	struct buf *bp;
	const uint8_t *b;
	uint32_t nxt;

	pm->pm_nxtfree = FAT_FIRSTCLUSTER;
	if (pm->pm_fsinfo == 0 || bread(pm->pm_devvp, MSDOSFS_SECBLK(pm,
	    pm->pm_fsinfo), (int)pm->pm_bps, 0, &bp) != 0)
		return;
	b = bp->b_data;
	if (getle32(b + FSI_LEADSIG) == FSI_LEADSIG_V &&
	    getle32(b + FSI_STRUCSIG) == FSI_STRUCSIG_V) {
		nxt = getle32(b + FSI_NXT_FREE);
		if (MSDOSFS_CLOK(pm, nxt))
			pm->pm_nxtfree = nxt;
	} else {
		log(LOG_WARNING, "msdosfs: %s: no FSInfo signature in "
		    "sector %u: not kept\n", pm->pm_fspec, pm->pm_fsinfo);
		pm->pm_fsinfo = 0;
	}
	brelse(bp, 0);
}

/*
 * Decode and check the BPB in sector 0 (b, at least 512 bytes).
 * EINVAL with a log line when it is no FAT file system we can use.
 */
static int
bpb_decode(struct msdosfs_mount *pm, const uint8_t *b, uint64_t devbytes)
{
	uint32_t bps, spc, rsvd, nfats, rootents, totsec, fatsz, rootsecs;
	uint64_t datasec, ncl, fatents;

#define BAD(...) (void)msdosfs_corrupt(pm, __VA_ARGS__), EINVAL
	if (b[BS_SIGNATURE] != 0x55 || b[BS_SIGNATURE + 1] != 0xAA ||
	    (b[BS_JMPBOOT] != 0xEB && b[BS_JMPBOOT] != 0xE9))
		return BAD("no FAT boot sector (signature, jump)");
	bps = getle16(b + BPB_BYTSPERSEC);
	spc = b[BPB_SECPERCLUS];
	rsvd = getle16(b + BPB_RSVDSECCNT);
	nfats = b[BPB_NUMFATS];
	rootents = getle16(b + BPB_ROOTENTCNT);
	totsec = getle16(b + BPB_TOTSEC16);
	if (totsec == 0)
		totsec = getle32(b + BPB_TOTSEC32);
	fatsz = getle16(b + BPB_FATSZ16);
	pm->pm_fattype = fatsz == 0 ? 32 : 0;
	if (fatsz == 0)
		fatsz = getle32(b + BPB32_FATSZ32);
	if (bps < 512 || bps > 4096 || !powerof2(bps))
		return BAD("%u bytes per sector", bps);
	if (spc == 0 || !powerof2(spc) || (uint64_t)spc * bps > MAXBSIZE)
		return BAD("%u sectors of %u bytes per cluster", spc, bps);
	if (rsvd == 0 || nfats == 0 || nfats > 16 || fatsz == 0)
		return BAD("%u reserved sectors, %u FATs of %u sectors", rsvd,
		    nfats, fatsz);
	if (totsec == 0 || (uint64_t)totsec * bps > devbytes)
		return BAD("%u sectors of %u bytes on a device of %llu bytes",
		    totsec, bps, (unsigned long long)devbytes);
	if (pm->pm_fattype == 32 && rootents != 0)
		return BAD("FAT32 with %u root entries", rootents);
	if (pm->pm_fattype != 32 && rootents == 0)
		return BAD("no root directory entries");
	rootsecs = (uint32_t)howmany((uint64_t)rootents * DIRENT_SIZE, bps);
	datasec = rsvd + (uint64_t)nfats * fatsz + rootsecs;
	if (datasec >= totsec)
		return BAD("no room for data: %llu of %u sectors",
		    (unsigned long long)datasec, totsec);
	ncl = (totsec - datasec) / spc;
	if (ncl == 0)
		return BAD("no data clusters");
	if (pm->pm_fattype == 0)
		pm->pm_fattype = ncl <= FAT12_MAXCLUSTERS ? 12 : 16;
	if (pm->pm_fattype == 32 && ncl > FAT32_MASK - 16)
		return BAD("%llu clusters", (unsigned long long)ncl);
	if (pm->pm_fattype == 16 && ncl > FAT16_MAXCLUSTERS)
		return BAD("FAT16 with %llu clusters", (unsigned long long)ncl);
	fatents = (uint64_t)fatsz * bps * 8 / (uint64_t)pm->pm_fattype;
	if (fatents < ncl + 2)
		return BAD("a FAT of %u sectors for %llu clusters", fatsz,
		    (unsigned long long)ncl);
	pm->pm_bps = bps;
	pm->pm_spc = spc;
	pm->pm_clsize = bps * spc;
	pm->pm_clshift = (uint32_t)__builtin_ctz(pm->pm_clsize);
	pm->pm_rsvd = rsvd;
	pm->pm_nfats = nfats;
	pm->pm_fatsz = fatsz;
	pm->pm_rootsec = rsvd + nfats * fatsz;
	pm->pm_rootsecs = rootsecs;
	pm->pm_datasec = (uint32_t)datasec;
	pm->pm_ncl = (uint32_t)ncl;
	switch (pm->pm_fattype) {
	case 12:
		pm->pm_eoc = 0xFFF;
		pm->pm_eocmin = 0xFF8;
		pm->pm_bad = 0xFF7;
		break;
	case 16:
		pm->pm_eoc = 0xFFFF;
		pm->pm_eocmin = 0xFFF8;
		pm->pm_bad = 0xFFF7;
		break;
	default:
		pm->pm_eoc = 0x0FFFFFFF;
		pm->pm_eocmin = 0x0FFFFFF8;
		pm->pm_bad = 0x0FFFFFF7;
		pm->pm_rootcl = getle32(b + BPB32_ROOTCLUS);
		if (!MSDOSFS_CLOK(pm, pm->pm_rootcl))
			return BAD("root cluster %u", pm->pm_rootcl);
		pm->pm_fsinfo = getle16(b + BPB32_FSINFO);
		if (pm->pm_fsinfo == 0 || pm->pm_fsinfo >= rsvd)
			pm->pm_fsinfo = 0;
		if (getle16(b + BPB32_EXTFLAGS) & 0x80)
			return BAD("FAT mirroring is off (BPB_ExtFlags %#x)",
			    getle16(b + BPB32_EXTFLAGS));
		break;
	}
#undef BAD
	return 0;
}

static int
bpb_read(struct msdosfs_mount *pm, uint64_t devbytes)
{
	struct buf *bp;
	uint32_t bps;
	int error;

	if (devbytes < 512) {
		log(LOG_ERR, "msdosfs: %s: device too small\n", pm->pm_fspec);
		return EINVAL;
	}
	if ((error = bread(pm->pm_devvp, 0, 512, 0, &bp)) != 0)
		return error;
	bps = getle16((uint8_t *)bp->b_data + BPB_BYTSPERSEC);
	brelse(bp, B_INVAL);
	(void)vinvalbuf(pm->pm_devvp);
	if (bps < 512 || bps > 4096 || !powerof2(bps) || bps > devbytes)
		bps = 512;
	if ((error = bread(pm->pm_devvp, 0, (int)bps, 0, &bp)) != 0)
		return error;
	error = bpb_decode(pm, bp->b_data, devbytes);
	if (error == 0 && bps != pm->pm_bps)
		error = EINVAL;
	brelse(bp, 0);
	return error;
}

static void
msdosfs_free(struct msdosfs_mount *pm)
{
	if (pm->pm_inuse != NULL)
		kmem_free(pm->pm_inuse, (pm->pm_ncl + 2 + 7) / 8);
	msdosfs_table_fini(pm);
	mutex_destroy(&pm->pm_dclock);
	rw_destroy(&pm->pm_lock);
	kmem_strfree(pm->pm_fspec);
	kmem_free(pm, sizeof(*pm));
}

/*
 * Write everything, then the marks as the mount found them (unmount,
 * to read-only).  Nothing if nothing changed.
 */
static int
msdosfs_makero(struct msdosfs_mount *pm)
{
	int error = 0;

	if (pm->pm_dirty) {
		error = fsinfo_write(pm);
		if (error == 0)
			error = vflushbuf(pm->pm_devvp, FSYNC_WAIT);
		if (error == 0 && pm->pm_wasclean) {
			if ((error = msdosfs_fat_setclean(pm, true)) == 0 &&
			    (error = bs_setdirty(pm, false)) == 0)
				error = vflushbuf(pm->pm_devvp, FSYNC_WAIT);
		}
	}
	pm->pm_ronly = true;
	pm->pm_dirty = false;
	return error;
}

static int
msdosfs_remount(struct mount *mp)
{
	struct msdosfs_mount *pm = VFSTOMSDOS(mp);
	bool ro = (mp->mnt_flag & MNT_RDONLY) != 0;
	kauth_cred_t cred = kauth_cred_get();
	int error = 0;

	rw_enter(&pm->pm_lock, RW_WRITER);
	if (ro && !pm->pm_ronly)
		error = msdosfs_makero(pm);
	else if (!ro && pm->pm_ronly) {
		if ((pm->pm_devflag & FWRITE) == 0 &&
		    (error = VOP_OPEN(pm->pm_devvp, FREAD | FWRITE, cred)) ==
		    0) {
			(void)VOP_CLOSE(pm->pm_devvp, FREAD, cred);
			pm->pm_devflag = FREAD | FWRITE;
		}
		if (error == 0) {
			pm->pm_ronly = false;
			pm->pm_dirty_error = 0;
		}
	}
	rw_exit(&pm->pm_lock);
	return error;
}

static int
msdosfs_mount(struct mount *mp, const void *data, size_t len)
{
	const struct msdosfs_args *args = data;
	struct msdosfs_mount *pm;
	uint64_t devbytes;
	unsigned secsize;
	char *path;
	bool ro = (mp->mnt_flag & MNT_RDONLY) != 0, clean;
	struct buf *bp;
	int error;

	if (mp->mnt_flag & MNT_UPDATE)
		return msdosfs_remount(mp);
	if (data == NULL || len != sizeof(*args) ||
	    args->version != MSDOSFSMNT_VERSION ||
	    (args->flags & ~MSDOSFSMNT_NOWIN95) != 0)
		return EINVAL;
	if ((path = kmem_alloc(MAXPATHLEN, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(args->fspec, path, MAXPATHLEN, NULL);
	if (error == 0 && (pm = kmem_zalloc(sizeof(*pm), KM_SLEEP)) == NULL)
		error = ENOMEM;
	if (error == 0 && (pm->pm_fspec = kmem_strdup(path, KM_SLEEP)) ==
	    NULL) {
		kmem_free(pm, sizeof(*pm));
		error = ENOMEM;
	}
	kmem_free(path, MAXPATHLEN);
	if (error)
		return error;
	pm->pm_mp = mp;
	pm->pm_ronly = true;
	pm->pm_uid = args->uid;
	pm->pm_gid = args->gid;
	pm->pm_mask = args->mask & ALLPERMS;
	pm->pm_dirmask = args->dirmask & ALLPERMS;
	pm->pm_flags = args->flags;
	pm->pm_gmtoff = args->gmtoff;
	rw_init(&pm->pm_lock);
	mutex_init(&pm->pm_dclock, MUTEX_DEFAULT, IPL_NONE);
	if ((error = msdosfs_table_init(pm)) != 0) {
		msdosfs_free(pm);
		return error;
	}
	pm->pm_devflag = ro ? FREAD : FREAD | FWRITE;
	if ((error = vfs_opendev(pm->pm_fspec, pm->pm_devflag,
	    &pm->pm_devvp)) != 0) {
		msdosfs_free(pm);
		return error;
	}
	if ((error = vfs_devsize(pm->pm_devvp, &devbytes, &secsize)) != 0 ||
	    (error = bpb_read(pm, devbytes)) != 0)
		goto fail;
	if ((pm->pm_inuse = kmem_zalloc((pm->pm_ncl + 2 + 7) / 8,
	    KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	if ((error = msdosfs_fat_scan(pm)) != 0 ||
	    (error = msdosfs_fat_cleanbit(pm, &clean)) != 0)
		goto fail;
	if ((error = bread(pm->pm_devvp, 0, (int)pm->pm_bps, 0, &bp)) != 0)
		goto fail;
	if (((uint8_t *)bp->b_data)[pm->pm_fattype == 32 ? BS32_RESERVED1 :
	    BS16_RESERVED1] & BS_RESERVED1_DIRTY)
		clean = false;
	brelse(bp, 0);
	pm->pm_wasclean = clean;
	if (!clean && !ro)
		log(LOG_WARNING, "msdosfs: %s: volume was not properly "
		    "unmounted; some data may be corrupt, run fsck.fat\n",
		    pm->pm_fspec);
	fsinfo_read(pm);
	pm->pm_ronly = ro;
	mp->mnt_data = pm;
	return 0;
fail:
	if (error != EIO && error != ENOMEM)
		error = EINVAL;
	vfs_closedev(pm->pm_devvp, pm->pm_devflag);
	msdosfs_free(pm);
	return error;
}

static int
msdosfs_unmount(struct mount *mp, int flags)
{
	struct msdosfs_mount *pm = VFSTOMSDOS(mp);

	(void)flags;
	rw_enter(&pm->pm_lock, RW_WRITER);
	if (!pm->pm_ronly)
		(void)msdosfs_makero(pm);
	rw_exit(&pm->pm_lock);
	vfs_closedev(pm->pm_devvp, pm->pm_devflag);
	msdosfs_free(pm);
	mp->mnt_data = NULL;
	return 0;
}

static int
msdosfs_root(struct mount *mp, struct vnode **vpp)
{
	return vcache_get(mp, MSDOSFS_ROOTINO, NULL, vpp);
}

static int
msdosfs_statvfs(struct mount *mp, struct statvfs *sv)
{
	struct msdosfs_mount *pm = VFSTOMSDOS(mp);

	rw_enter(&pm->pm_lock, RW_READER);
	sv->f_bsize = pm->pm_clsize;
	sv->f_frsize = pm->pm_clsize;
	sv->f_blocks = pm->pm_ncl;
	sv->f_bfree = sv->f_bavail = pm->pm_nfree;
	sv->f_files = 0;
	sv->f_ffree = sv->f_favail = 0;
	sv->f_namemax = LFN_MAXCHARS;
	rw_exit(&pm->pm_lock);
	return 0;
}

/* sync(2): the FSInfo hints, then the device's buffers. */
static int
msdosfs_sync(struct mount *mp)
{
	struct msdosfs_mount *pm = VFSTOMSDOS(mp);
	int error = 0, error2;

	rw_enter(&pm->pm_lock, RW_WRITER);
	if (!pm->pm_ronly && pm->pm_fmod && pm->pm_dirty)
		error = fsinfo_write(pm);
	rw_exit(&pm->pm_lock);
	if (pm->pm_ronly)
		return error;
	error2 = VOP_FSYNC(pm->pm_devvp, false);
	return error != 0 ? error : error2;
}

static int
msdosfs_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino,
    void *cookie)
{
	struct msdosfs_node *np;
	int error;

	if ((error = msdosfs_node_load(VFSTOMSDOS(mp), ino, cookie,
	    &np)) != 0)
		return error;
	vp->v_data = np;
	vp->v_type = (np->n_attr & ATTR_DIRECTORY) ? VDIR : VREG;
	vp->v_op = &msdosfs_vnodeops;
	if (ino == MSDOSFS_ROOTINO)
		vp->v_vflag |= VV_ROOT;
	return 0;
}

static struct vfsops msdosfs_vfsops = {
	.vfs_name = "msdos",
	.vfs_mount = msdosfs_mount,
	.vfs_unmount = msdosfs_unmount,
	.vfs_root = msdosfs_root,
	.vfs_statvfs = msdosfs_statvfs,
	.vfs_sync = msdosfs_sync,
	.vfs_loadvnode = msdosfs_loadvnode,
};

static void
msdosfs_init(void)
{
	msdosfs_vnops_init();
	if (vfs_attach(&msdosfs_vfsops) != 0)
		panic("msdosfs_init: cannot register msdos");
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS_FS, msdos, msdosfs_init)
