/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The "cd9660" file-system type: mounting a block device read-only
 * (struct iso_args, <rump/iso_args.h>), the device reader the format
 * layer sees (the buffer cache on the device vnode, in 2048-byte
 * blocks), the root, statvfs and loading a vnode's file.
 *
 * A mount or remount without MNT_RDONLY is EROFS, as on the original:
 * nothing here ever writes.  A device that holds no ISO 9660 volume is
 * EINVAL with a notice; a bad one EINVAL with cd9660_corrupt()'s line.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <rump/iso_args.h>

#include "cd9660_vfs.h"

/*
 * The format layer's device read: through the buffer cache in blocks of
 * one logical sector, a read spanning sectors taking one after the
 * other.  (File data does not come this way: cd9660_vnops.c reads it
 * from the buffers, ahead.)
 */
static int
cd9660_devbread(void *cookie, uint64_t off, void *buf, size_t len)
{
	struct cd9660_mount *im = cookie;
	uint64_t blk, bo;
	size_t n;
	struct buf *bp;
	char *p = buf;
	int error;

	while (len > 0) {
		blk = off / ISO_SECTOR;
		bo = off % ISO_SECTOR;
		n = MIN(len, ISO_SECTOR - bo);
		if ((error = bread(im->im_devvp,
		    (daddr_t)(blk * (ISO_SECTOR / DEV_BSIZE)), ISO_SECTOR, 0,
		    &bp)) != 0)
			return error;
		memcpy(p, (char *)bp->b_data + bo, n);
		brelse(bp, 0);
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int
cd9660_mount(struct mount *mp, const void *data, size_t len)
{
	const struct iso_args *args = data;
	struct cd9660_opts opts = { 0 };
	struct cd9660_dev dev = { .cd_read = cd9660_devbread };
	struct cd9660_mount *im;
	uint64_t devsize;
	unsigned secsize;
	char *fspec;
	int error;

	if ((mp->mnt_flag & MNT_RDONLY) == 0)
		return EROFS;
	if (mp->mnt_flag & MNT_UPDATE)
		return 0;
	if (data == NULL || len != sizeof(*args))
		return EINVAL;
	if (args->flags & ISOFSMNT_EXTATT) {
		log(LOG_NOTICE, "cd9660: extended attribute records are not "
		    "supported");
		return EOPNOTSUPP;
	}
	opts.co_norrip = (args->flags & ISOFSMNT_NORRIP) != 0;
	opts.co_nojoliet = (args->flags & ISOFSMNT_NOJOLIET) != 0;
	opts.co_gens = (args->flags & ISOFSMNT_GENS) != 0;
	opts.co_nocasetrans = (args->flags & ISOFSMNT_NOCASETRANS) != 0;
	opts.co_lastsess = (args->flags & ISOFSMNT_LASTSESS) != 0;
	if (args->flags & ISOFSMNT_SESS) {
		if (args->sess < 0)
			return EINVAL;
		opts.co_sess = true;
		opts.co_sessblk = (uint32_t)args->sess;
	}
	if ((fspec = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = copyinstr(args->fspec, fspec, PATH_MAX, NULL)) != 0)
		goto out;
	if ((im = kmem_zalloc(sizeof(*im), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = vfs_opendev(fspec, FREAD, &im->im_devvp)) != 0)
		goto fail;
	if ((error = vfs_devsize(im->im_devvp, &devsize, &secsize)) != 0)
		goto fail_dev;
	if (secsize < DEV_BSIZE || secsize > ISO_SECTOR ||
	    (secsize & (secsize - 1)) != 0) {
		log(LOG_NOTICE, "cd9660: %s: sectors of %u bytes are not "
		    "supported", fspec, secsize);
		error = EINVAL;
		goto fail_dev;
	}
	dev.cd_cookie = im;
	dev.cd_size = devsize - devsize % ISO_SECTOR;
	if ((error = cd9660_vol_load(&dev, &opts, &im->im_iso)) != 0)
		goto fail_dev;
	mp->mnt_data = im;
	goto out;
fail_dev:
	vfs_closedev(im->im_devvp, FREAD);
fail:
	kmem_free(im, sizeof(*im));
out:
	kmem_free(fspec, PATH_MAX);
	return error;
}

/* The VFS has flushed every vnode. */
static int
cd9660_unmount(struct mount *mp, int flags)
{
	struct cd9660_mount *im = VFSTOISO(mp);

	(void)flags;
	cd9660_vol_free(im->im_iso);
	vfs_closedev(im->im_devvp, FREAD);
	kmem_free(im, sizeof(*im));
	mp->mnt_data = NULL;
	return 0;
}

static int
cd9660_root(struct mount *mp, struct vnode **vpp)
{
	struct cd9660 *iso = VFSTOISO(mp)->im_iso;
	int error;

	if ((error = vcache_get(mp, iso->iso_root, NULL, vpp)) != 0)
		return error == EIO ? EINVAL : error;
	if ((*vpp)->v_type != VDIR) {
		vrele(*vpp);
		*vpp = NULL;
		(void)cd9660_corrupt(iso, "the root is not a directory");
		return EINVAL;
	}
	return 0;
}

/* The volume's size; nothing is free on a read-only medium. */
static int
cd9660_statvfs(struct mount *mp, struct statvfs *sv)
{
	const struct cd9660 *iso = VFSTOISO(mp)->im_iso;

	sv->f_bsize = sv->f_frsize = iso->iso_lbsize;
	sv->f_blocks = iso->iso_space;
	sv->f_bfree = sv->f_bavail = 0;
	sv->f_files = 0;
	sv->f_ffree = sv->f_favail = 0;
	sv->f_namemax = CD9660_NAMEMAX;
	return 0;
}

static int
cd9660_sync(struct mount *mp)
{
	(void)mp;
	return 0;
}

static int
cd9660_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino, void *cookie)
{
	const struct cd9660 *iso = VFSTOISO(mp)->im_iso;
	const struct cd9660_hint *hint = cookie;
	struct cd9660_node *np;
	enum vtype type;
	int error;

	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = cd9660_node_load(iso, ino, hint != NULL ?
	    hint->ih_dirend : 0, np)) != 0)
		goto fail;
	type = iftovt(np->cn_mode);
	if (type == VNON || type == VBAD) {
		error = cd9660_corrupt(iso, "file %llu: type 0%o",
		    (unsigned long long)ino, np->cn_mode & S_IFMT);
		cd9660_node_free(np);
		goto fail;
	}
	vp->v_data = np;
	vp->v_type = type;
	if (type == VCHR || type == VBLK) {
		vp->v_op = &cd9660_specops;
		/*
		 * PN's two halves: a 64-bit dev_t as Linux encodes it
		 * (xorriso, genisoimage), or the major number in the high
		 * half and the minor in the low (makefs).
		 */
		if (np->cn_rdev_hi != 0)
			vp->v_rdev = makedev(np->cn_rdev_hi, np->cn_rdev_lo);
		else
			vp->v_rdev = (dev_t)np->cn_rdev_lo;
	} else
		vp->v_op = &cd9660_vnodeops;
	if (ino == iso->iso_root)
		vp->v_vflag |= VV_ROOT;
	return 0;
fail:
	kmem_free(np, sizeof(*np));
	return error;
}

static struct vfsops cd9660_vfsops = {
	.vfs_name = "cd9660",
	.vfs_mount = cd9660_mount,
	.vfs_unmount = cd9660_unmount,
	.vfs_root = cd9660_root,
	.vfs_statvfs = cd9660_statvfs,
	.vfs_sync = cd9660_sync,
	.vfs_loadvnode = cd9660_loadvnode,
};

void
cd9660_vfs_init(void)
{
	cd9660_specops_init();
	if (vfs_attach(&cd9660_vfsops) != 0)
		panic("cd9660_init: cannot register cd9660");
}
