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

/* Sectors asked for ahead of a sequential read, at most. */
#define CD9660_READAHEAD 32

/*
 * Files of CD9660_BIGFILE bytes or more are read through buffers of
 * their own vnode, CD9660_BSIZE bytes each (cd9660_strategy() maps one
 * to the device), asking CD9660_BIGRA of them ahead; smaller ones
 * through the device's sector buffers, which directories share.
 */
#define CD9660_BIGFILE (256 * 1024)
#define CD9660_BSIZE   MAXBSIZE
#define CD9660_BIGRA   4

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
 * A big file's block: one device I/O when it lies whole in one extent
 * (the usual case), else (the file's last block, a block across two
 * extents) filled here from the device's sector buffers, zeros past the
 * end of the file.
 */
static void
cd9660_strategy(struct vnode *vp, struct buf *bp)
{
	const struct cd9660 *iso = VTOISO(vp);
	const struct cd9660_node *np = VTOIN(vp);
	const struct cd9660_extent *e;
	uint64_t off, eoff, dpos, n;
	size_t done = 0;
	int error = 0;

	off = (uint64_t)bp->b_lblkno * CD9660_BSIZE;
	if (bp->b_lblkno < 0 || (bp->b_flags & B_READ) == 0 ||
	    bp->b_bcount != CD9660_BSIZE) {
		error = EINVAL;         /* no such request is made */
		goto done;
	}
	e = extent_of(np, off, &eoff);
	if (e != NULL && off - eoff + CD9660_BSIZE <= e->ce_len &&
	    (e->ce_off + (off - eoff)) % DEV_BSIZE == 0 &&
	    cd9660_range_ok(iso, e->ce_off + (off - eoff), CD9660_BSIZE)) {
		bp->b_blkno = (daddr_t)((e->ce_off + (off - eoff)) / DEV_BSIZE);
		VOP_STRATEGY(VFSTOISO(vp->v_mount)->im_devvp, bp);
		return;
	}
	while (done < CD9660_BSIZE && off + done < np->cn_size) {
		if ((e = extent_of(np, off + done, &eoff)) == NULL) {
			error = EIO;
			goto done;
		}
		dpos = e->ce_off + (off + done - eoff);
		n = MIN(CD9660_BSIZE - done, e->ce_len - (off + done - eoff));
		if ((error = cd9660_devread(iso, dpos, (char *)bp->b_data + done,
		    (size_t)n)) != 0)
			goto done;
		done += (size_t)n;
	}
	memset((char *)bp->b_data + done, 0, CD9660_BSIZE - done);
done:
	bp->b_error = error;
	bp->b_resid = error != 0 ? bp->b_bcount : 0;
	biodone(bp);
}

/* A big file's bytes from its own buffers, CD9660_BIGRA ahead. */
static int
read_big(struct vnode *vp, struct uio *uio)
{
	const struct cd9660_node *np = VTOIN(vp);
	daddr_t lblk, rablks[CD9660_BIGRA], ranext = 0, last;
	int rasizes[CD9660_BIGRA], nra;
	struct buf *bp;
	uint64_t off;
	size_t n;
	int error = 0;

	last = (daddr_t)((np->cn_size - 1) / CD9660_BSIZE);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < np->cn_size) {
		off = (uint64_t)uio->uio_offset;
		lblk = (daddr_t)(off / CD9660_BSIZE);
		n = MIN(MIN(CD9660_BSIZE - off % CD9660_BSIZE, uio->uio_resid),
		    np->cn_size - off);
		nra = 0;
		if (lblk >= ranext) {
			while (nra < CD9660_BIGRA && lblk + 1 + nra <= last) {
				rablks[nra] = lblk + 1 + nra;
				rasizes[nra] = CD9660_BSIZE;
				nra++;
			}
			ranext = lblk + 1 + nra;
		}
		if ((error = breadn(vp, lblk, CD9660_BSIZE, rablks, rasizes,
		    nra, 0, &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + off % CD9660_BSIZE, n, uio);
		brelse(bp, 0);
		if (error != 0)
			break;
	}
	return error;
}

/*
 * File bytes: a big file's through read_big(), a small one's from the
 * device's buffers, a sector at a time, asking ahead for the rest of
 * the extent (up to CD9660_READAHEAD sectors) once per window.
 */
static int
cd9660_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct vnode *devvp = VFSTOISO(vp->v_mount)->im_devvp;
	const struct cd9660_node *np = VTOIN(vp);
	daddr_t rablks[CD9660_READAHEAD];
	int rasizes[CD9660_READAHEAD];
	uint64_t off, eoff = 0, dpos, sec, lastsec, ranext = 0;
	const struct cd9660_extent *e = NULL;
	unsigned nra;
	struct buf *bp;
	size_t n;
	uint32_t i = 0;
	int error = 0;

	(void)ioflag, (void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (np->cn_size >= CD9660_BIGFILE)
		return read_big(vp, uio);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < np->cn_size) {
		off = (uint64_t)uio->uio_offset;
		/* The extent holding off (extents are few: a walk). */
		if (e == NULL || off < eoff || off - eoff >= e->ce_len) {
			for (i = 0, eoff = 0; i < np->cn_next; i++) {
				e = &np->cn_ext[i];
				if (off - eoff < e->ce_len)
					break;
				eoff += e->ce_len;
			}
			if (i == np->cn_next)
				return EIO;
		}
		dpos = e->ce_off + (off - eoff);
		sec = dpos / ISO_SECTOR;
		n = MIN(MIN(ISO_SECTOR - dpos % ISO_SECTOR, uio->uio_resid),
		    e->ce_len - (off - eoff));
		nra = 0;
		if (sec >= ranext) {
			lastsec = (e->ce_off + e->ce_len - 1) / ISO_SECTOR;
			while (nra < CD9660_READAHEAD &&
			    sec + 1 + nra <= lastsec) {
				rablks[nra] = (daddr_t)((sec + 1 + nra) *
				    (ISO_SECTOR / DEV_BSIZE));
				rasizes[nra] = ISO_SECTOR;
				nra++;
			}
			ranext = sec + 1 + nra;
		}
		if ((error = breadn(devvp, (daddr_t)(sec * (ISO_SECTOR /
		    DEV_BSIZE)), ISO_SECTOR, rablks, rasizes, (int)nra, 0,
		    &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + dpos % ISO_SECTOR, n, uio);
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

/* A big file's buffers are its own (read_big()): they go first. */
static int
cd9660_reclaim(struct vnode *vp)
{
	struct cd9660_node *np = VTOIN(vp);

	if (vp->v_type == VREG && np->cn_size >= CD9660_BIGFILE)
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
