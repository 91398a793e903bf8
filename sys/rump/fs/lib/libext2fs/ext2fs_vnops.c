/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs vnode operations, read-only: names, attributes, file bytes,
 * directory records and symlink targets come from the format layer;
 * every operation that would change the file system is EROFS.  Device
 * nodes get the device half of their operations from spec_vnops.c.
 */
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "dev_private.h"
#include "ext2fs_vfs.h"

/* Largest bounce buffer between the format layer and a uio. */
#define EXT2FS_XFER (64 * 1024)

static int
ext2fs_lookup_op(struct vnode *dvp, const char *nm, size_t len,
    struct vnode **vpp)
{
	uint32_t ino;
	uint8_t type;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if ((error = ext2fs_lookup(VTOEXT2FS(dvp), VTOEI(dvp), nm, len, &ino,
	    &type)) != 0)
		return error;
	return vcache_get(dvp->v_mount, ino, NULL, vpp);
}

static int
ext2fs_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	const struct ext2fs_inode *ip = VTOEI(vp);

	return vaccess(vp->v_type, ip->ei_mode & ALLPERMS, ip->ei_uid,
	    ip->ei_gid, mode, cred);
}

static int
ext2fs_getattr(struct vnode *vp, struct vattr *va)
{
	const struct ext2fs_inode *ip = VTOEI(vp);

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = ip->ei_mode & ALLPERMS;
	va->va_nlink = ip->ei_nlink;
	va->va_uid = ip->ei_uid;
	va->va_gid = ip->ei_gid;
	va->va_fileid = ip->ei_ino;
	va->va_size = (off_t)ip->ei_size;
	va->va_rdev = vp->v_rdev;
	va->va_blocksize = VTOEXT2FS(vp)->e2_bsize;
	va->va_bytes = ip->ei_blocks512 * 512;
	va->va_atime = ip->ei_atime;
	va->va_mtime = ip->ei_mtime;
	va->va_ctime = ip->ei_ctime;
	return 0;
}

static int
ext2fs_read_op(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	const struct ext2fs_inode *ip = VTOEI(vp);
	size_t bufsize, n, done;
	char *buf;
	int error = 0;

	(void)ioflag;
	(void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0 || (uint64_t)uio->uio_offset >= ip->ei_size)
		return 0;
	bufsize = MIN(uio->uio_resid, EXT2FS_XFER);
	if ((buf = kmem_alloc(bufsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	while (uio->uio_resid > 0) {
		n = MIN(uio->uio_resid, bufsize);
		if ((error = ext2fs_read(VTOEXT2FS(vp), ip,
		    (uint64_t)uio->uio_offset, buf, n, &done)) != 0 ||
		    done == 0)
			break;
		if ((error = uiomove(buf, done, uio)) != 0)
			break;
	}
	kmem_free(buf, bufsize);
	return error;
}

static unsigned char
ft_to_dt(uint8_t ft)
{
	switch (ft) {
	case EXT2_FT_REG_FILE: return DT_REG;
	case EXT2_FT_DIR: return DT_DIR;
	case EXT2_FT_CHRDEV: return DT_CHR;
	case EXT2_FT_BLKDEV: return DT_BLK;
	case EXT2_FT_FIFO: return DT_FIFO;
	case EXT2_FT_SOCK: return DT_SOCK;
	case EXT2_FT_SYMLINK: return DT_LNK;
	default: return DT_UNKNOWN;     /* no filetype feature: as Linux */
	}
}

struct readdir_state {
	struct uio *rs_uio;
	int rs_error;
	bool rs_any;                    /* a record went out */
};

/*
 * One directory record to a dirent64; the cookie of the next is its
 * byte offset in the directory.  A record that does not fit stops the
 * walk and is not taken.
 */
static int
readdir_emit(void *arg, const struct ext2fs_dirent *de)
{
	struct readdir_state *rs = arg;
	int error;

	error = vfs_dirent_emit(rs->rs_uio, de->ed_ino, de->ed_next,
	    ft_to_dt(de->ed_type), de->ed_name, de->ed_namelen);
	if (error == EJUSTRETURN)
		return EXT2FS_DIR_STOP;
	if ((rs->rs_error = error) != 0)
		return EXT2FS_DIR_STOP;
	rs->rs_any = true;
	return 0;
}

static int
ext2fs_readdir_op(struct vnode *vp, struct uio *uio)
{
	struct readdir_state rs = { .rs_uio = uio };
	uint64_t off;
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	off = (uint64_t)uio->uio_offset;
	error = ext2fs_readdir(VTOEXT2FS(vp), VTOEI(vp), &off, readdir_emit,
	    &rs);
	uio->uio_offset = (off_t)off;
	if (error == 0)
		error = rs.rs_error;
	if (error == 0 && !rs.rs_any && off < VTOEI(vp)->ei_size)
		error = EINVAL;         /* the next record did not fit */
	return error;
}

static int
ext2fs_readlink_op(struct vnode *vp, struct uio *uio)
{
	const struct ext2fs *fs = VTOEXT2FS(vp);
	size_t done;
	char *buf;
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	/* A target is shorter than a block (ext2fs_readlink checks). */
	if ((buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_readlink(fs, VTOEI(vp), buf, fs->e2_bsize,
	    &done)) == 0)
		error = uiomove(buf, MIN(done, uio->uio_resid), uio);
	kmem_free(buf, fs->e2_bsize);
	return error;
}

/*
 * The whole file counts as data, with the one hole at its end: correct
 * for SEEK_DATA/SEEK_HOLE (as Linux's generic version), if not sparse-
 * aware.
 */
static int
ext2fs_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	uint64_t size = VTOEI(vp)->ei_size;

	if (*offp < 0 || (uint64_t)*offp >= size)
		return ENXIO;
	if (whence != SEEK_DATA)
		*offp = (off_t)size;
	return 0;
}

/* Buffers are the device vnode's, not this one's: only the inode goes. */
static int
ext2fs_reclaim(struct vnode *vp)
{
	kmem_free(vp->v_data, sizeof(struct ext2fs_inode));
	vp->v_data = NULL;
	return 0;
}

const struct vnodeops ext2fs_vnodeops = {
	.vop_lookup = ext2fs_lookup_op,
	.vop_create = genfs_rofs_create,
	.vop_symlink = genfs_rofs_symlink,
	.vop_open = genfs_nullop_open,
	.vop_close = genfs_nullop_close,
	.vop_access = ext2fs_access,
	.vop_getattr = ext2fs_getattr,
	.vop_setattr = genfs_rofs_setattr,
	.vop_read = ext2fs_read_op,
	.vop_write = genfs_rofs_write,
	.vop_fsync = genfs_nullop_fsync,
	.vop_remove = genfs_rofs_remove,
	.vop_link = genfs_rofs_link,
	.vop_rename = genfs_rofs_rename,
	.vop_readdir = ext2fs_readdir_op,
	.vop_readlink = ext2fs_readlink_op,
	.vop_seekdata = ext2fs_seekdata,
	.vop_inactive = genfs_inactive_keep,
	.vop_reclaim = ext2fs_reclaim,
};

/* Device nodes: the node is ext2's, the I/O the driver's. */
static int
ext2fs_spec_reclaim(struct vnode *vp)
{
	spec_reclaim(vp);
	return ext2fs_reclaim(vp);
}

struct vnodeops ext2fs_specops;

void
ext2fs_specops_init(void)
{
	ext2fs_specops = ext2fs_vnodeops;
	ext2fs_specops.vop_open = spec_open;
	ext2fs_specops.vop_close = spec_close;
	ext2fs_specops.vop_read = spec_read;
	ext2fs_specops.vop_write = spec_write;
	ext2fs_specops.vop_fsync = spec_fsync;
	ext2fs_specops.vop_strategy = spec_strategy;
	ext2fs_specops.vop_reclaim = ext2fs_spec_reclaim;
}
