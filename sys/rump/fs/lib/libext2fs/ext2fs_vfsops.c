/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The "ext2fs" file-system type: mounting a block device read-only,
 * the device reader the format layer sees (the buffer cache on the
 * device vnode), the root, statvfs and loading a vnode's inode.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/param.h>
#include <sys/statvfs.h>
#include <rump/ufs_args.h>

#include "ext2fs_vfs.h"

/*
 * The format layer's device read: through the buffer cache, in blocks
 * of em_cbsize bytes (one fixed size per mount, as the cache wants),
 * a read spanning blocks taking one after the other.
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
		p += n;
		off += n;
		len -= n;
	}
	return 0;
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
	};

	em->em_cbsize = cbsize;
	return ext2fs_sb_load(&dev, &em->em_fs);
}

static int
ext2fs_mount_dev(struct ext2fs_mount *em, const char *fspec)
{
	uint64_t devsize;
	unsigned secsize;
	uint32_t cbsize;
	uint8_t magic[2];
	int error;

	if ((error = vfs_opendev(fspec, FREAD, &em->em_devvp)) != 0)
		return error;
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
	vfs_closedev(em->em_devvp, FREAD);
	em->em_devvp = NULL;
	return error;
}

static int
ext2fs_mount(struct mount *mp, const void *data, size_t len)
{
	const struct ufs_args *args = data;
	struct ext2fs_mount *em;
	char *fspec;
	int error;

	if ((mp->mnt_flag & MNT_RDONLY) == 0) {
		log(LOG_NOTICE,
		    "ext2fs: read-write mounts are not implemented yet");
		return EROFS;
	}
	if (mp->mnt_flag & MNT_UPDATE)
		return 0;               /* staying read-only: nothing to do */
	if (data == NULL || len != sizeof(*args))
		return EINVAL;
	if ((fspec = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = copyinstr(args->fspec, fspec, PATH_MAX, NULL)) != 0)
		goto out;
	if ((em = kmem_zalloc(sizeof(*em), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = ext2fs_mount_dev(em, fspec)) != 0) {
		kmem_free(em, sizeof(*em));
		goto out;
	}
	mp->mnt_data = em;
out:
	kmem_free(fspec, PATH_MAX);
	return error;
}

/* The VFS has flushed every vnode. */
static int
ext2fs_unmount(struct mount *mp, int flags)
{
	struct ext2fs_mount *em = VFSTOEXT2(mp);

	(void)flags;
	ext2fs_sb_free(em->em_fs);
	vfs_closedev(em->em_devvp, FREAD);
	kmem_free(em, sizeof(*em));
	mp->mnt_data = NULL;
	return 0;
}

static int
ext2fs_root(struct mount *mp, struct vnode **vpp)
{
	int error;

	if ((error = vcache_get(mp, EXT2_ROOT_INO, NULL, vpp)) != 0)
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

/* The superblock's counts, as dumpe2fs and Linux's statfs show them. */
static int
ext2fs_statvfs(struct mount *mp, struct statvfs *sv)
{
	const struct ext2fs *fs = VFSTOEXT2(mp)->em_fs;
	const uint8_t *sb = fs->e2_sb;
	uint64_t bfree, resv;

	bfree = ext2_le32(sb + EXT2_SB_FREE_BLOCKS_LO);
	resv = ext2_le32(sb + EXT2_SB_R_BLOCKS_COUNT_LO);
	if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT) {
		bfree |= (uint64_t)ext2_le32(sb + EXT2_SB_FREE_BLOCKS_HI) << 32;
		resv |= (uint64_t)ext2_le32(sb + EXT2_SB_R_BLOCKS_COUNT_HI) << 32;
	}
	/* Counts on the image are not trusted beyond the file system. */
	bfree = MIN(bfree, fs->e2_nblocks);
	sv->f_bsize = sv->f_frsize = fs->e2_bsize;
	sv->f_blocks = fs->e2_nblocks;
	sv->f_bfree = bfree;
	sv->f_bavail = bfree > resv ? bfree - resv : 0;
	sv->f_files = fs->e2_ninodes;
	sv->f_ffree = sv->f_favail = MIN(ext2_le32(sb + EXT2_SB_FREE_INODES),
	    fs->e2_ninodes);
	sv->f_namemax = EXT2_NAME_MAX;
	return 0;
}

static int
ext2fs_sync(struct mount *mp)
{
	(void)mp;
	return 0;                       /* read-only: nothing is dirty */
}

static int
ext2fs_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino, void *cookie)
{
	const struct ext2fs *fs = VFSTOEXT2(mp)->em_fs;
	struct ext2fs_inode *ip;
	enum vtype type;
	int error;

	(void)cookie;
	if (ino > UINT32_MAX)
		return ESTALE;
	if ((ip = kmem_alloc(sizeof(*ip), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_iget(fs, (uint32_t)ino, ip)) != 0)
		goto fail;
	type = iftovt(ip->ei_mode);
	if (type == VNON || type == VBAD) {
		error = ext2fs_corrupt(fs, "inode %u: file type 0%o",
		    ip->ei_ino, ip->ei_mode & EXT2_IFMT);
		goto fail;
	}
	vp->v_data = ip;
	vp->v_type = type;
	if (type == VCHR || type == VBLK) {
		vp->v_op = &ext2fs_specops;
		vp->v_rdev = makedev(ip->ei_rdev_major, ip->ei_rdev_minor);
	} else
		vp->v_op = &ext2fs_vnodeops;
	if (ino == EXT2_ROOT_INO)
		vp->v_vflag |= VV_ROOT;
	return 0;
fail:
	kmem_free(ip, sizeof(*ip));
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
