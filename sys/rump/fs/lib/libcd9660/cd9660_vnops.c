/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * cd9660 vnode operations: names, attributes, file bytes, directory
 * entries and symlink targets come from the format layer; every change
 * is EROFS (vfs_rofs.c).  Device nodes get the device half of their
 * operations from spec_vnops.c.
 *
 * Directory cycles: a directory reached by name must name the
 * directory it was found in as its parent ("..", or PL when it was
 * relocated), or the image is corrupt.  Every directory then has one
 * parent, so no chain of lookups (a CL pointing back up, an extent
 * shared by two directories) can go round in a circle.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "dev_private.h"
#include "cd9660_vfs.h"

/*
 * File data is read through buffers of the file's own vnode, one block
 * each (cd9660_strategy() maps a block to the device): blocks of 64 KiB,
 * or the whole file in one block, in sectors, when it is smaller, so a
 * small file costs one device read; CD9660_RA blocks are asked for
 * ahead of a sequential read.
 */
#define CD9660_BSIZE MAXBSIZE
#define CD9660_RA    4

/* The block size of a file's buffers (the same for all of its blocks). */
static int
file_bsize(const struct cd9660_node *np)
{
	if (np->cn_size >= CD9660_BSIZE)
		return CD9660_BSIZE;
	return (int)((np->cn_size + ISO_SECTOR - 1) & ~(uint64_t)(ISO_SECTOR -
	    1));
}

static int
cd9660_lookup(struct vnode *dvp, const char *nm, size_t len,
    struct vnode **vpp)
{
	const struct cd9660 *iso = VTOISO(dvp);
	struct cd9660_node *dp = VTOIN(dvp);
	struct cd9660_hint hint;
	struct cd9660_dirent *de;
	struct vnode *vp;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (len == 2 && nm[0] == '.' && nm[1] == '.')
		return vcache_get(dvp->v_mount, dp->cn_parent, NULL, vpp);
	if ((de = kmem_alloc(sizeof(*de), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = cd9660_dir_lookup(iso, dp, nm, len, de)) != 0)
		goto out;
	if (de->de_ino == dvp->v_ino) {
		error = cd9660_corrupt(iso, "directory %llu holds itself",
		    (unsigned long long)dvp->v_ino);
		goto out;
	}
	hint.ih_dirend = dp->cn_ext[0].ce_off + dp->cn_size;
	if ((error = vcache_get(dvp->v_mount, de->de_ino, &hint, &vp)) != 0)
		goto out;
	if ((vp->v_type == VDIR) != (de->de_mode == S_IFDIR) ||
	    (vp->v_type == VDIR && VTOIN(vp)->cn_parent != dvp->v_ino)) {
		error = cd9660_corrupt(iso, "directory %llu: entry \"%s\" "
		    "(%llu) is not what it says or not its child",
		    (unsigned long long)dvp->v_ino, de->de_name,
		    (unsigned long long)de->de_ino);
		vrele(vp);
		goto out;
	}
	*vpp = vp;
out:
	kmem_free(de, sizeof(*de));
	return error;
}

static int
cd9660_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	const struct cd9660_node *np = VTOIN(vp);

	if ((mode & VWRITE) && vp->v_type != VCHR && vp->v_type != VBLK &&
	    vp->v_type != VFIFO && vp->v_type != VSOCK)
		return EROFS;
	return vaccess(vp->v_type, np->cn_mode & ALLPERMS, np->cn_uid,
	    np->cn_gid, mode, cred);
}

static int
cd9660_getattr(struct vnode *vp, struct vattr *va)
{
	const struct cd9660 *iso = VTOISO(vp);
	const struct cd9660_node *np = VTOIN(vp);

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = np->cn_mode & ALLPERMS;
	va->va_nlink = np->cn_nlink;
	va->va_uid = np->cn_uid;
	va->va_gid = np->cn_gid;
	va->va_fileid = np->cn_ino;
	va->va_size = (off_t)np->cn_size;
	va->va_rdev = vp->v_rdev;
	va->va_blocksize = ISO_SECTOR;
	if (vp->v_type == VREG || vp->v_type == VDIR)
		va->va_bytes = (np->cn_size + iso->iso_lbsize - 1) &
		    ~(uint64_t)(iso->iso_lbsize - 1);
	va->va_atime = np->cn_atime;
	va->va_mtime = np->cn_mtime;
	va->va_ctime = np->cn_ctime;
	if (vp->v_type == VCHR || vp->v_type == VBLK)
		spec_getattr_fix(vp, va);
	return 0;
}

/* The extent holding file offset off, and where it starts in the file. */
static const struct cd9660_extent *
extent_of(const struct cd9660_node *np, uint64_t off, uint64_t *eoffp)
{
	uint64_t eoff = 0;

	for (uint32_t i = 0; i < np->cn_next; i++) {
		if (off - eoff < np->cn_ext[i].ce_len) {
			*eoffp = eoff;
			return &np->cn_ext[i];
		}
		eoff += np->cn_ext[i].ce_len;
	}
	return NULL;
}

/*
 * A file's block: one device I/O when it lies in one extent (its last
 * may end in the rest of the extent's last sector: those bytes are past
 * the end of the file and never read out), else (a block across two
 * extents) filled here from the device's sector buffers, zeros past the
 * end of the file.
 */
static void
cd9660_strategy(struct vnode *vp, struct buf *bp)
{
	const struct cd9660 *iso = VTOISO(vp);
	const struct cd9660_node *np = VTOIN(vp);
	const struct cd9660_extent *e;
	uint64_t off, eoff, dpos, n, bs = (uint64_t)file_bsize(np), room;
	size_t done = 0;
	int error = 0;

	off = (uint64_t)bp->b_lblkno * bs;
	if (bp->b_lblkno < 0 || (bp->b_flags & B_READ) == 0 ||
	    bp->b_bcount != bs) {
		error = EINVAL;         /* no such request is made */
		goto done;
	}
	if ((e = extent_of(np, off, &eoff)) != NULL) {
		room = e->ce_len;
		if (e == &np->cn_ext[np->cn_next - 1])
			room = (room + ISO_SECTOR - 1) &
			    ~(uint64_t)(ISO_SECTOR - 1);
		dpos = e->ce_off + (off - eoff);
		if (off - eoff + bs <= room && dpos % DEV_BSIZE == 0 &&
		    cd9660_range_ok(iso, dpos, bs)) {
			bp->b_blkno = (daddr_t)(dpos / DEV_BSIZE);
			VOP_STRATEGY(VFSTOISO(vp->v_mount)->im_devvp, bp);
			return;
		}
	}
	while (done < bs && off + done < np->cn_size) {
		if ((e = extent_of(np, off + done, &eoff)) == NULL) {
			error = EIO;
			goto done;
		}
		dpos = e->ce_off + (off + done - eoff);
		n = MIN(bs - done, e->ce_len - (off + done - eoff));
		if ((error = cd9660_devread(iso, dpos, (char *)bp->b_data + done,
		    (size_t)n)) != 0)
			goto done;
		done += (size_t)n;
	}
	memset((char *)bp->b_data + done, 0, bs - done);
done:
	bp->b_error = error;
	bp->b_resid = error != 0 ? bp->b_bcount : 0;
	biodone(bp);
}

/* File bytes from the file's buffers, CD9660_RA blocks ahead. */
static int
cd9660_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	const struct cd9660_node *np = VTOIN(vp);
	daddr_t lblk, rablks[CD9660_RA], ranext = 0, last;
	int rasizes[CD9660_RA], nra, bs;
	struct buf *bp;
	uint64_t off;
	size_t n;
	int error = 0;

	(void)ioflag, (void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (np->cn_size == 0)
		return 0;
	bs = file_bsize(np);
	last = (daddr_t)((np->cn_size - 1) / (uint64_t)bs);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < np->cn_size) {
		off = (uint64_t)uio->uio_offset;
		lblk = (daddr_t)(off / (uint64_t)bs);
		n = MIN(MIN((uint64_t)bs - off % (uint64_t)bs, uio->uio_resid),
		    np->cn_size - off);
		nra = 0;
		if (lblk >= ranext) {
			while (nra < CD9660_RA && lblk + 1 + nra <= last) {
				rablks[nra] = lblk + 1 + nra;
				rasizes[nra] = bs;
				nra++;
			}
			ranext = lblk + 1 + nra;
		}
		if ((error = breadn(vp, lblk, bs, rablks, rasizes, nra, 0,
		    &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + off % (uint64_t)bs, n, uio);
		brelse(bp, 0);
		if (error != 0)
			break;
	}
	return error;
}

static unsigned char
mode_to_dt(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return DT_REG;
	case S_IFDIR: return DT_DIR;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	case S_IFIFO: return DT_FIFO;
	case S_IFSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

/* Entries from the cookie in uio_offset (a byte offset, cd9660.h). */
static int
cd9660_readdir(struct vnode *vp, struct uio *uio)
{
	const struct cd9660 *iso = VTOISO(vp);
	const struct cd9660_node *dp = VTOIN(vp);
	struct cd9660_dirbuf *db;
	struct cd9660_dirent *de;
	uint64_t off;
	bool any = false;
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	off = (uint64_t)uio->uio_offset;
	db = cd9660_dirbuf_get();
	de = kmem_alloc(sizeof(*de), KM_SLEEP);
	if (db == NULL || de == NULL) {
		error = ENOMEM;
		goto out;
	}
	while ((error = cd9660_dir_next(iso, dp, db, off, de)) == 0) {
		error = vfs_dirent_emit(uio, de->de_ino, de->de_next,
		    mode_to_dt(de->de_mode), de->de_name, de->de_namelen);
		if (error == EJUSTRETURN) {
			error = any ? 0 : EINVAL;
			break;
		}
		if (error != 0)
			break;
		any = true;
		off = de->de_next;
	}
	if (error == ENOENT) {
		error = 0;
		off = dp->cn_size;
	}
	uio->uio_offset = (off_t)off;
out:
	if (de != NULL)
		kmem_free(de, sizeof(*de));
	if (db != NULL)
		cd9660_dirbuf_put(db);
	return error;
}

static int
cd9660_readlink(struct vnode *vp, struct uio *uio)
{
	const struct cd9660_node *np = VTOIN(vp);

	if (vp->v_type != VLNK)
		return EINVAL;
	return uiomove(np->cn_link, MIN(np->cn_linklen, uio->uio_resid), uio);
}

/* Every byte of a file is data: its end is the only hole. */
static int
cd9660_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	const struct cd9660_node *np = VTOIN(vp);

	if (*offp < 0 || (uint64_t)*offp >= np->cn_size)
		return ENXIO;
	if (whence != SEEK_DATA)
		*offp = (off_t)np->cn_size;
	return 0;
}

/* A file's buffers are its own (cd9660_read()): they go first. */
static int
cd9660_reclaim(struct vnode *vp)
{
	struct cd9660_node *np = VTOIN(vp);

	if (vp->v_type == VREG)
		(void)vinvalbuf(vp);
	vp->v_data = NULL;
	cd9660_node_free(np);
	kmem_free(np, sizeof(*np));
	return 0;
}

const struct vnodeops cd9660_vnodeops = {
	.vop_lookup = cd9660_lookup,
	.vop_create = genfs_rofs_create,
	.vop_symlink = genfs_rofs_symlink,
	.vop_open = genfs_nullop_open,
	.vop_close = genfs_nullop_close,
	.vop_access = cd9660_access,
	.vop_getattr = cd9660_getattr,
	.vop_setattr = genfs_rofs_setattr,
	.vop_read = cd9660_read,
	.vop_write = genfs_rofs_write,
	.vop_fsync = genfs_nullop_fsync,
	.vop_remove = genfs_rofs_remove,
	.vop_link = genfs_rofs_link,
	.vop_rename = genfs_rofs_rename,
	.vop_readdir = cd9660_readdir,
	.vop_readlink = cd9660_readlink,
	.vop_seekdata = cd9660_seekdata,
	.vop_inactive = genfs_inactive_keep,
	.vop_reclaim = cd9660_reclaim,
	.vop_strategy = cd9660_strategy,
};

/* Device nodes: the node is ours, the I/O the driver's. */
static int
cd9660_spec_reclaim(struct vnode *vp)
{
	spec_reclaim(vp);
	return cd9660_reclaim(vp);
}

struct vnodeops cd9660_specops;

void
cd9660_specops_init(void)
{
	cd9660_specops = cd9660_vnodeops;
	cd9660_specops.vop_open = spec_open;
	cd9660_specops.vop_close = spec_close;
	cd9660_specops.vop_read = spec_read;
	cd9660_specops.vop_write = spec_write;
	cd9660_specops.vop_fsync = spec_fsync;
	cd9660_specops.vop_strategy = spec_strategy;
	cd9660_specops.vop_reclaim = cd9660_spec_reclaim;
}
