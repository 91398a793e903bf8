/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS vnode operations, read-only.  File and directory contents go
 * through the buffer cache under the file's own vnode, named by logical
 * block (sized as ffs_blksize says); ffs_strategy maps a block to its
 * frags on the device and passes the buffer to the device vnode, or
 * fills a hole with zeroes.  Inodes are immutable once loaded, so no
 * operation needs a lock of its own.  Operations that would change the
 * file system are the shared read-only ones (vfs_rofs.c): every FFS
 * mount is read-only so far.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "dev_private.h"
#include "ffs.h"

struct vnodeops ffs_vnodeops, ffs_specops;

static int
ffs_lookup(struct vnode *dvp, const char *nm, size_t len, struct vnode **vpp)
{
	ino_t ino;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if ((error = ufs_lookup_ino(dvp, nm, len, &ino)) != 0)
		return error;
	return vcache_get(dvp->v_mount, ino, NULL, vpp);
}

static int
ffs_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);

	return vaccess(vp->v_type, ip->i_mode & ALLPERMS, ip->i_uid,
	    ip->i_gid, mode, cred);
}

static int
ffs_getattr(struct vnode *vp, struct vattr *va)
{
	struct ffs_inode *ip = VTOI(vp);

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = ip->i_mode & ALLPERMS;
	va->va_nlink = ip->i_nlink;
	va->va_uid = ip->i_uid;
	va->va_gid = ip->i_gid;
	va->va_fileid = ip->i_number;
	va->va_size = (off_t)ip->i_size;
	va->va_rdev = ip->i_rdev;
	va->va_blocksize = VTOFFS(vp)->fs_bsize;
	va->va_bytes = ip->i_blocks * DEV_BSIZE;
	va->va_atime = ip->i_atime;
	va->va_mtime = ip->i_mtime;
	va->va_ctime = ip->i_ctime;
	return 0;
}

static int
ffs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t off, lbn, bo;
	struct buf *bp;
	size_t n;
	int bsize, error = 0;

	(void)ioflag;
	(void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < ip->i_size) {
		off = (uint64_t)uio->uio_offset;
		lbn = off >> um->fs_bshift;
		bo = off & (um->fs_bsize - 1);
		bsize = ffs_blksize(um, ip->i_size, lbn);
		n = MIN((uint64_t)bsize - bo, uio->uio_resid);
		n = MIN(n, ip->i_size - off);
		if ((error = bread(vp, (daddr_t)lbn, bsize, 0, &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + bo, n, uio);
		brelse(bp, 0);
		if (error)
			break;
	}
	return error;
}

static int
ffs_readlink(struct vnode *vp, struct uio *uio)
{
	struct ffs_inode *ip = VTOI(vp);
	struct buf *bp;
	size_t n = MIN(ip->i_size, uio->uio_resid);
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	if (ip->i_isshortlink)
		return uiomove(ip->i_shortlink, n, uio);
	/* Shorter than MAXPATHLEN (ffs_inode.c), so all in block 0. */
	if ((error = bread(vp, 0, ffs_blksize(VTOFFS(vp), ip->i_size, 0), 0,
	    &bp)) != 0)
		return error;
	error = uiomove(bp->b_data, n, uio);
	brelse(bp, 0);
	return error;
}

/* The first block at or after lbn that is (data) or is not a hole. */
static int
ffs_findblock(struct vnode *vp, uint64_t lbn, bool data, uint64_t *lbnp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t nblk = howmany(ip->i_size, um->fs_bsize);
	int64_t addr;
	int error;

	for (; lbn < nblk; lbn++) {
		if ((error = ffs_bmap(um, ip, lbn, &addr)) != 0)
			return error;
		if ((addr != 0) == data)
			break;
	}
	*lbnp = lbn;
	return 0;
}

static int
ffs_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t off = (uint64_t)*offp, lbn;
	int error;

	if (*offp < 0 || off >= ip->i_size)
		return ENXIO;
	if ((error = ffs_findblock(vp, off >> um->fs_bshift,
	    whence == SEEK_DATA, &lbn)) != 0)
		return error;
	if (whence == SEEK_DATA) {
		if ((lbn << um->fs_bshift) >= ip->i_size)
			return ENXIO;
		*offp = (off_t)MAX(off, lbn << um->fs_bshift);
	} else
		*offp = (off_t)MIN(MAX(off, lbn << um->fs_bshift), ip->i_size);
	return 0;
}

static int
ffs_reclaim(struct vnode *vp)
{
	/* The file's buffers are named by this vnode's address. */
	(void)vinvalbuf(vp);
	ffs_inode_free(VTOI(vp));
	vp->v_data = NULL;
	return 0;
}

/*
 * A file's block: map it, check the frags the buffer covers, and hand
 * the buffer to the device vnode (or zero it: a hole).
 */
static void
ffs_strategy(struct vnode *vp, struct buf *bp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t nfrags = bp->b_bcount >> um->fs_fshift;
	int64_t addr;
	int error;

	if (bp->b_lblkno < 0 || (bp->b_flags & B_READ) == 0) {
		error = EINVAL;         /* no such request is made */
		goto fail;
	}
	if ((error = ffs_bmap(um, ip, (uint64_t)bp->b_lblkno, &addr)) != 0)
		goto fail;
	if (addr == 0) {
		memset(bp->b_data, 0, bp->b_bcount);
		bp->b_resid = 0;
		biodone(bp);
		return;
	}
	if (addr < 0 || (uint64_t)addr + nfrags > um->fs_size ||
	    ((uint64_t)addr & (um->fs_frag - 1)) + nfrags > um->fs_frag) {
		error = ffs_corrupt(um, "inode %llu: block %lld at frag %lld",
		    (unsigned long long)ip->i_number, (long long)bp->b_lblkno,
		    (long long)addr);
		goto fail;
	}
	bp->b_blkno = FFS_FSBTODB(um, addr);
	VOP_STRATEGY(um->um_devvp, bp);
	return;
fail:
	bp->b_error = error;
	bp->b_resid = bp->b_bcount;
	biodone(bp);
}

static int
ffs_spec_getattr(struct vnode *vp, struct vattr *va)
{
	int error;

	if ((error = ffs_getattr(vp, va)) == 0)
		spec_getattr_fix(vp, va);
	return error;
}

static int
ffs_spec_reclaim(struct vnode *vp)
{
	spec_reclaim(vp);
	return ffs_reclaim(vp);
}

void
ffs_vnops_init(void)
{
	ffs_vnodeops = (struct vnodeops){
		.vop_lookup = ffs_lookup,
		.vop_create = genfs_rofs_create,
		.vop_symlink = genfs_rofs_symlink,
		.vop_open = genfs_nullop_open,
		.vop_close = genfs_nullop_close,
		.vop_access = ffs_access,
		.vop_getattr = ffs_getattr,
		.vop_setattr = genfs_rofs_setattr,
		.vop_read = ffs_read,
		.vop_write = genfs_rofs_write,
		.vop_fsync = genfs_nullop_fsync,
		.vop_remove = genfs_rofs_remove,
		.vop_link = genfs_rofs_link,
		.vop_rename = genfs_rofs_rename,
		.vop_readdir = ufs_readdir,
		.vop_readlink = ffs_readlink,
		.vop_seekdata = ffs_seekdata,
		.vop_inactive = genfs_inactive_keep,
		.vop_reclaim = ffs_reclaim,
		.vop_strategy = ffs_strategy,
	};
	/* Device nodes: the device's I/O, the inode's attributes. */
	ffs_specops = ffs_vnodeops;
	ffs_specops.vop_open = spec_open;
	ffs_specops.vop_close = spec_close;
	ffs_specops.vop_read = spec_read;
	ffs_specops.vop_write = spec_write;
	ffs_specops.vop_fsync = spec_fsync;
	ffs_specops.vop_strategy = spec_strategy;
	ffs_specops.vop_getattr = ffs_spec_getattr;
	ffs_specops.vop_reclaim = ffs_spec_reclaim;
}
