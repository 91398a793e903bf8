/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * msdosfs vnode operations.  File data is read and written a cluster
 * at a time through the device's buffers (msdosfs.h); FAT has no holes,
 * so a file that grows gets zeroed clusters and its old last cluster
 * zeroed past the old end.  Locking (msdosfs.h): pm_lock as reader to
 * look, as writer to change.
 *
 * What FAT cannot keep is refused as Linux's vfat refuses it: symbolic
 * links, hard links and device, FIFO or socket nodes are EPERM; owners
 * other than the mount's uid and gid are EPERM; of the permission bits
 * only the write bits of a file can change (they are the read-only
 * attribute), all of them or none.  Times keep FAT's resolution: the
 * modification time 2 s, the creation time 10 ms (not shown: struct
 * stat has no field for it), the access time a date.  ctime is kept in
 * memory only and starts as the modification time.  Every write sets
 * the archive attribute, as Windows does.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "msdosfs.h"

struct vnodeops msdosfs_vnodeops;

#define MSDOSFS_MAXFILESIZE 0xFFFFFFFFULL
#define MSDOSFS_READAHEAD (256 * 1024)

static void
wlock(struct msdosfs_mount *pm)
{
	rw_enter(&pm->pm_lock, RW_WRITER);
}

static void
rlock(struct msdosfs_mount *pm)
{
	rw_enter(&pm->pm_lock, RW_READER);
}

static void
unlock(struct msdosfs_mount *pm)
{
	rw_exit(&pm->pm_lock);
}

/* Now, as the modification time keeps it: even seconds. */
static void
now_mtime(struct timespec *ts)
{
	nanotime(ts);
	ts->tv_sec &= ~(time_t)1;
	ts->tv_nsec = 0;
}

/* A time as FAT's access date keeps it: midnight, local. */
static void
to_date(const struct msdosfs_mount *pm, struct timespec *ts)
{
	uint16_t date, time;

	msdosfs_time_to_dos(pm, ts, &date, &time, NULL);
	msdosfs_dos_to_time(pm, date, 0, 0, ts);
}

static void
to_mtime(const struct msdosfs_mount *pm, struct timespec *ts)
{
	uint16_t date, time;

	msdosfs_time_to_dos(pm, ts, &date, &time, NULL);
	msdosfs_dos_to_time(pm, date, time, 0, ts);
}

/* The data changed: mtime, ctime, the archive bit. */
static void
touch_data(struct msdosfs_node *np)
{
	now_mtime(&np->n_mtime);
	nanotime(&np->n_ctime);
	if (!(np->n_attr & ATTR_DIRECTORY))
		np->n_attr |= ATTR_ARCHIVE;
}

static mode_t
node_mode(const struct msdosfs_mount *pm, const struct msdosfs_node *np)
{
	if (np->n_attr & ATTR_DIRECTORY)
		return 0777 & pm->pm_dirmask;
	if (np->n_attr & ATTR_READ_ONLY)
		return 0777 & pm->pm_mask & ~(mode_t)0222;
	return 0777 & pm->pm_mask;
}

/* The vnode of the parent of directory dp (lookup of ".."). */
static int
lookup_dotdot(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    struct vnode **vpp)
{
	struct msdosfs_dirpos pos;
	struct msdosfs_loc loc;
	uint32_t pcl, gcl;
	int error;

	if (dp->n_ino == MSDOSFS_ROOTINO)
		return vcache_get(pm->pm_mp, MSDOSFS_ROOTINO, NULL, vpp);
	if ((error = msdosfs_dir_dotdot(pm, dp->n_startcl, &pcl)) != 0)
		return error;
	if (pcl == 0)
		return vcache_get(pm->pm_mp, MSDOSFS_ROOTINO, NULL, vpp);
	if ((error = msdosfs_dir_dotdot(pm, pcl, &gcl)) != 0 ||
	    (error = msdosfs_dir_findcl(pm, gcl, pcl, &pos)) != 0 ||
	    (error = msdosfs_table_get(pm, gcl == 0 ? pm->pm_rootcl : gcl,
	    pos.dp_off, pos.dp_entbyte, &loc.l_ent)) != 0)
		return error;
	loc.l_entbyte = pos.dp_entbyte;
	memcpy(loc.l_dirent, pos.dp_dirent, DIRENT_SIZE);
	return vcache_get(pm->pm_mp, loc.l_ent->e_ino, &loc, vpp);
}

static int
msdosfs_lookup(struct vnode *dvp, const char *nm, size_t len,
    struct vnode **vpp)
{
	struct msdosfs_mount *pm = VTOMSDOS(dvp);
	struct msdosfs_node *dp = VTONODE(dvp);
	struct msdosfs_dirpos pos;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	rlock(pm);
	if (dp->n_unlinked)
		error = ENOENT;
	else if (len == 2 && nm[0] == '.' && nm[1] == '.')
		error = lookup_dotdot(pm, dp, vpp);
	else if ((error = msdosfs_dir_lookup(pm, dp, nm, len, &pos)) == 0)
		error = msdosfs_vget(pm, dp, &pos, vpp);
	unlock(pm);
	return error;
}

static int
msdosfs_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);

	return vaccess(vp->v_type, node_mode(pm, VTONODE(vp)), pm->pm_uid,
	    pm->pm_gid, mode, cred);
}

static int
msdosfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);

	memset(va, 0, sizeof(*va));
	rlock(pm);
	va->va_type = vp->v_type;
	va->va_mode = node_mode(pm, np);
	va->va_nlink = np->n_nlink;
	va->va_uid = pm->pm_uid;
	va->va_gid = pm->pm_gid;
	va->va_fileid = np->n_ino;
	va->va_size = vp->v_type == VDIR ? msdosfs_dirsize(pm, np) :
	    np->n_size;
	va->va_blocksize = pm->pm_clsize;
	va->va_bytes = vp->v_type == VDIR && np->n_ino == MSDOSFS_ROOTINO &&
	    pm->pm_fattype != 32 ? (uint64_t)pm->pm_rootsecs * pm->pm_bps :
	    (uint64_t)np->n_nchain * pm->pm_clsize;
	va->va_atime = np->n_atime;
	va->va_mtime = np->n_mtime;
	va->va_ctime = np->n_ctime;
	unlock(pm);
	return 0;
}

/*
 * A mode FAT can hold: the bits outside the mask dropped, the read and
 * execute bits as they are, and (files) all the write bits the mask
 * allows or none of them.
 */
static int
mode_check(const struct msdosfs_mount *pm, const struct msdosfs_node *np,
    mode_t mode, bool *rop)
{
	bool dir = (np->n_attr & ATTR_DIRECTORY) != 0;
	mode_t mask = (dir ? pm->pm_dirmask : pm->pm_mask) & 0777;
	mode_t cur = node_mode(pm, np), perm = mode & mask;

	if ((perm & 0555) != (cur & 0555))
		return EPERM;
	if ((perm & 0222) == (mask & 0222)) {
		*rop = false;
		return 0;
	}
	if (!dir && (perm & 0222) == 0) {
		*rop = true;
		return 0;
	}
	return EPERM;
}

static int
msdosfs_setattr(struct vnode *vp, const struct vattr *req,
    kauth_cred_t cred)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);
	struct vattr cur, va = *req;
	bool ro = false;
	int error = 0;

	if ((va.va_mask & VA_SIZE) && (va.va_size < 0 ||
	    (uint64_t)va.va_size > MSDOSFS_MAXFILESIZE))
		return va.va_size < 0 ? EINVAL : EFBIG;
	(void)msdosfs_getattr(vp, &cur);
	wlock(pm);
	if (cred != NULL && (error = vsetattr_check(&cur, &va, cred,
	    vfs_isrdonly(vp->v_mount) || pm->pm_ronly)) != 0)
		goto out;
	if (va.va_mask == 0)
		goto out;
	if (pm->pm_ronly) {
		error = EROFS;
		goto out;
	}
	if (((va.va_mask & VA_UID) && va.va_uid != pm->pm_uid) ||
	    ((va.va_mask & VA_GID) && va.va_gid != pm->pm_gid)) {
		error = EPERM;
		goto out;
	}
	if ((va.va_mask & VA_MODE) && (error = mode_check(pm, np,
	    va.va_mode, &ro)) != 0)
		goto out;
	if (np->n_ino == MSDOSFS_ROOTINO) {
		/* The root has no entry: nothing of it can change. */
		if (va.va_mask & (VA_SIZE | VA_ATIME | VA_MTIME))
			error = EPERM;
		goto out;
	}
	if (va.va_mask & VA_SIZE) {
		if (vp->v_type != VREG) {
			error = EISDIR;
			goto out;
		}
		if ((error = msdosfs_truncate(pm, np,
		    (uint64_t)va.va_size)) != 0)
			goto out;
		touch_data(np);
	}
	if (va.va_mask & VA_MODE) {
		if (ro)
			np->n_attr |= ATTR_READ_ONLY;
		else
			np->n_attr &= (uint8_t)~ATTR_READ_ONLY;
	}
	nanotime(&np->n_ctime);
	if (va.va_mask & VA_ATIME) {
		np->n_atime = va.va_atime;
		to_date(pm, &np->n_atime);
	}
	if (va.va_mask & VA_MTIME) {
		np->n_mtime = va.va_mtime;
		to_mtime(pm, &np->n_mtime);
	}
	error = msdosfs_update(pm, np);
out:
	unlock(pm);
	return error;
}

/* Whether a read should set the access date: not set today yet. */
static bool
atime_due(struct vnode *vp, int ioflag)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);
	struct timespec now;

	if ((ioflag & IO_NOATIME) || pm->pm_ronly ||
	    np->n_ino == MSDOSFS_ROOTINO ||
	    (atomic_load_relaxed(&vp->v_mount->mnt_flag) &
	    (MNT_NOATIME | MNT_RDONLY)) != 0)
		return false;
	nanotime(&now);
	to_date(pm, &now);
	return now.tv_sec != np->n_atime.tv_sec;
}

static void
set_atime(struct vnode *vp)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);

	wlock(pm);
	if (!np->n_unlinked && !pm->pm_ronly) {
		nanotime(&np->n_atime);
		to_date(pm, &np->n_atime);
		(void)msdosfs_update(pm, np);
	}
	unlock(pm);
}

/* Read cluster lcn of a file, with the next ones when in sequence. */
static int
read_cluster(struct msdosfs_mount *pm, struct msdosfs_node *np,
    uint32_t lcn, struct buf **bpp)
{
	daddr_t rablks[MSDOSFS_READAHEAD / 512];
	int rasizes[MSDOSFS_READAHEAD / 512], nra = 0;
	uint32_t ra;

	if (atomic_load_relaxed(&np->n_nextr) == lcn) {
		for (ra = lcn + 1; ra < np->n_nchain &&
		    (uint64_t)(ra - lcn) * pm->pm_clsize <= MSDOSFS_READAHEAD;
		    ra++) {
			rablks[nra] = MSDOSFS_SECBLK(pm,
			    MSDOSFS_CLSEC(pm, np->n_chain[ra]));
			rasizes[nra++] = (int)pm->pm_clsize;
		}
	}
	atomic_store_relaxed(&np->n_nextr, (uint64_t)lcn + 1);
	return breadn(pm->pm_devvp, MSDOSFS_SECBLK(pm,
	    MSDOSFS_CLSEC(pm, np->n_chain[lcn])), (int)pm->pm_clsize,
	    rablks, rasizes, nra, 0, bpp);
}

static int
msdosfs_read(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);
	uint64_t off;
	uint32_t lcn, bo;
	struct buf *bp;
	size_t n;
	bool atime;
	int error = 0;

	(void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	rlock(pm);
	atime = uio->uio_resid > 0 && atime_due(vp, ioflag);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < np->n_size) {
		off = (uint64_t)uio->uio_offset;
		lcn = (uint32_t)(off >> pm->pm_clshift);
		bo = (uint32_t)(off & (pm->pm_clsize - 1));
		n = MIN(pm->pm_clsize - bo, uio->uio_resid);
		n = MIN(n, np->n_size - off);
		if (lcn >= np->n_nchain) {
			error = msdosfs_corrupt(pm, "file at %llu: no cluster "
			    "%u", (unsigned long long)np->n_entbyte, lcn);
			break;
		}
		if ((error = read_cluster(pm, np, lcn, &bp)) != 0)
			break;
		error = uiomove((uint8_t *)bp->b_data + bo, n, uio);
		brelse(bp, 0);
		if (error)
			break;
	}
	unlock(pm);
	if (atime)
		set_atime(vp);
	return error;
}

static int
msdosfs_write(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);
	uint64_t off, end, osize;
	uint32_t lcn, oldn, bo;
	size_t n, resid = uio->uio_resid, before;
	struct buf *bp;
	int error = 0, e;

	(void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	wlock(pm);
	if (pm->pm_ronly) {
		error = EROFS;
		goto out;
	}
	osize = np->n_size;
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)np->n_size;
	if (uio->uio_offset < 0) {
		error = EINVAL;
		goto out;
	}
	if (uio->uio_resid == 0)
		goto out;
	off = (uint64_t)uio->uio_offset;
	if (off >= MSDOSFS_MAXFILESIZE) {
		error = EFBIG;
		goto out;
	}
	end = MIN(off + uio->uio_resid, MSDOSFS_MAXFILESIZE);
	oldn = np->n_nchain;
	/* The gap past the old end reads zero; the clusters first. */
	if (off > osize && (error = msdosfs_truncate(pm, np, off)) != 0)
		goto out;
	/* Write what fits. */
	if (howmany(end, pm->pm_clsize) > (uint64_t)np->n_nchain +
	    pm->pm_nfree) {
		end = MIN(end, ((uint64_t)np->n_nchain + pm->pm_nfree) <<
		    pm->pm_clshift);
		if (end <= off) {
			error = ENOSPC;
			goto undo;
		}
	}
	if ((error = msdosfs_chain_grow(pm, np,
	    (uint32_t)howmany(end, pm->pm_clsize), false)) != 0)
		goto undo;
	oldn = MAX(oldn, (uint32_t)howmany(MAX(osize, off), pm->pm_clsize));
	while ((uint64_t)uio->uio_offset < end) {
		off = (uint64_t)uio->uio_offset;
		lcn = (uint32_t)(off >> pm->pm_clshift);
		bo = (uint32_t)(off & (pm->pm_clsize - 1));
		n = (size_t)MIN(pm->pm_clsize - bo, end - off);
		if (n == pm->pm_clsize || (lcn >= oldn && bo == 0)) {
			/* Whole, or new with nothing before: no read. */
			bp = getblk(pm->pm_devvp, MSDOSFS_SECBLK(pm,
			    MSDOSFS_CLSEC(pm, np->n_chain[lcn])),
			    (int)pm->pm_clsize, 0, 0);
			if (n < pm->pm_clsize)
				memset((uint8_t *)bp->b_data + n, 0,
				    pm->pm_clsize - n);
		} else if ((error = bread(pm->pm_devvp, MSDOSFS_SECBLK(pm,
		    MSDOSFS_CLSEC(pm, np->n_chain[lcn])), (int)pm->pm_clsize,
		    0, &bp)) != 0)
			break;
		before = uio->uio_resid;
		error = uiomove((uint8_t *)bp->b_data + bo, n, uio);
		if (error && before == uio->uio_resid &&
		    (bp->b_flags & B_VALID) == 0)
			memset((uint8_t *)bp->b_data + bo, 0, n);
		if ((uint64_t)uio->uio_offset > np->n_size)
			np->n_size = (uint32_t)uio->uio_offset;
		e = msdosfs_bufwrite(pm, bp, (ioflag & IO_SYNC) ?
		    MSDOSFS_BWRITE : bo + n == pm->pm_clsize ?
		    MSDOSFS_BAWRITE : MSDOSFS_BDWRITE);
		if (e != 0 && error == 0)
			error = e;
		if (error)
			break;
	}
	if (uio->uio_resid > 0 && error == 0 && uio->uio_resid == resid)
		error = uio->uio_offset >= (off_t)MSDOSFS_MAXFILESIZE ? EFBIG :
		    ENOSPC;
undo:
	/* Keep what was written, and nothing more. */
	(void)msdosfs_chain_cut(pm, np, (uint32_t)howmany(np->n_size,
	    pm->pm_clsize));
	if (uio->uio_resid != resid) {
		touch_data(np);
		error = 0;
	}
	(void)msdosfs_update(pm, np);
out:
	unlock(pm);
	return error;
}

static int
msdosfs_fsync(struct vnode *vp, bool dataonly)
{
	return VOP_FSYNC(VTOMSDOS(vp)->pm_devvp, dataonly);
}

static int
msdosfs_readdir(struct vnode *vp, struct uio *uio)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	rlock(pm);
	error = msdosfs_dir_readdir(vp, uio);
	unlock(pm);
	return error;
}

static int
msdosfs_readlink(struct vnode *vp, struct uio *uio)
{
	(void)vp;
	(void)uio;
	return EINVAL;
}

/* FAT files have no holes: data to the end. */
static int
msdosfs_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);
	int error = 0;

	rlock(pm);
	if (*offp < 0 || (uint64_t)*offp >= np->n_size)
		error = ENXIO;
	else if (whence != SEEK_DATA)
		*offp = (off_t)np->n_size;
	unlock(pm);
	return error;
}

/* The last reference to a file whose entry is gone: its clusters go. */
static int
msdosfs_inactive(struct vnode *vp, bool *recycle)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *np = VTONODE(vp);

	*recycle = np->n_unlinked;
	if (!np->n_unlinked || np->n_freed)
		return 0;
	wlock(pm);
	if (!np->n_freed && !pm->pm_ronly) {
		(void)msdosfs_chain_cut(pm, np, 0);
		np->n_freed = true;
	}
	unlock(pm);
	return 0;
}

static int
msdosfs_reclaim(struct vnode *vp)
{
	struct msdosfs_node *np = VTONODE(vp);

	if (np->n_ent != NULL)
		msdosfs_table_release(VTOMSDOS(vp), np->n_ent);
	msdosfs_node_free(np);
	vp->v_data = NULL;
	return 0;
}

static int
dir_writable(struct msdosfs_mount *pm, struct vnode *dvp, kauth_cred_t cred)
{
	return vaccess(VDIR, node_mode(pm, VTONODE(dvp)), pm->pm_uid,
	    pm->pm_gid, VWRITE | VEXEC, cred);
}

static int
msdosfs_create(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct vnode **vpp)
{
	struct msdosfs_mount *pm = VTOMSDOS(dvp);
	struct msdosfs_node *dp = VTONODE(dvp), *tp = NULL;
	struct msdosfs_dirpos pos;
	uint8_t tmpl[DIRENT_SIZE];
	struct timespec now;
	bool dir = va->va_type == VDIR;
	int error;

	*vpp = NULL;
	if (va->va_type != VREG && va->va_type != VDIR)
		return EPERM;
	wlock(pm);
	if (pm->pm_ronly) {
		error = EROFS;
		goto out;
	}
	if (dp->n_unlinked) {
		error = ENOENT;
		goto out;
	}
	if ((error = dir_writable(pm, dvp, cred)) != 0)
		goto out;
	if ((error = msdosfs_dir_lookup(pm, dp, nm, len, &pos)) != ENOENT) {
		error = error == 0 ? EEXIST : error;
		goto out;
	}
	if ((tp = kmem_zalloc(sizeof(*tp), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	tp->n_ino = MSDOSFS_ROOTINO + 1;
	tp->n_attr = dir ? ATTR_DIRECTORY : ATTR_ARCHIVE;
	nanotime(&now);
	msdosfs_time_to_dos(pm, &now, &tp->n_crtdate, &tp->n_crttime,
	    &tp->n_crttenth);
	now_mtime(&tp->n_mtime);
	tp->n_atime = now;
	to_date(pm, &tp->n_atime);
	if (dir) {
		if ((error = msdosfs_chain_grow(pm, tp, 1, true)) != 0)
			goto out;
		if ((error = msdosfs_dir_init(pm, tp,
		    msdosfs_dircl(pm, dp))) != 0)
			goto undo;
	}
	memset(tmpl, 0, sizeof(tmpl));
	msdosfs_node_encode(pm, tp, tmpl);
	if ((error = msdosfs_dir_enter(pm, dp, nm, len, tmpl, &pos)) != 0)
		goto undo;
	if ((error = msdosfs_vget(pm, dp, &pos, vpp)) != 0)
		goto out;
	if (dir)
		dp->n_nlink++;
	touch_data(dp);
	(void)msdosfs_update(pm, dp);
	goto out;
undo:
	(void)msdosfs_chain_cut(pm, tp, 0);
out:
	if (tp != NULL)
		msdosfs_node_free(tp);
	unlock(pm);
	return error;
}

static int
msdosfs_symlink(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	(void)dvp, (void)nm, (void)len, (void)va, (void)target, (void)cred;
	*vpp = NULL;
	return EPERM;
}

static int
msdosfs_link(struct vnode *dvp, const char *nm, size_t len,
    struct vnode *vp, kauth_cred_t cred)
{
	(void)dvp, (void)nm, (void)len, (void)vp, (void)cred;
	return EPERM;
}

static int
msdosfs_remove(struct vnode *dvp, const char *nm, size_t len, bool isdir,
    kauth_cred_t cred)
{
	struct msdosfs_mount *pm = VTOMSDOS(dvp);
	struct msdosfs_node *dp = VTONODE(dvp), *np;
	struct msdosfs_dirpos pos;
	struct vnode *vp = NULL;
	bool empty;
	int error;

	wlock(pm);
	if (pm->pm_ronly)
		error = EROFS;
	else if (dp->n_unlinked)
		error = ENOENT;
	else if ((error = msdosfs_dir_lookup(pm, dp, nm, len, &pos)) != 0)
		;
	else if ((error = msdosfs_vget(pm, dp, &pos, &vp)) != 0)
		vp = NULL;
	if (error)
		goto out;
	np = VTONODE(vp);
	if (isdir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!isdir && vp->v_type == VDIR)
		error = EISDIR;
	else if ((error = dir_writable(pm, dvp, cred)) != 0)
		;
	else if (isdir && (error = msdosfs_dir_empty(pm, np, &empty)) == 0 &&
	    !empty)
		error = ENOTEMPTY;
	if (error == 0)
		error = msdosfs_dir_remove(pm, dp, &pos);
	if (error)
		goto out;
	msdosfs_table_unplace(pm, np->n_ent);
	np->n_unlinked = true;
	np->n_nlink = 0;
	nanotime(&np->n_ctime);
	if (isdir && dp->n_nlink > 2)
		dp->n_nlink--;
	touch_data(dp);
	(void)msdosfs_update(pm, dp);
	(void)msdosfs_dir_shrink(pm, dp);
out:
	unlock(pm);
	if (vp != NULL)
		vrele(vp);
	return error;
}

/*
 * Whether directory cluster cl is tdp or one of its ancestors: walks up
 * the ".." entries.
 */
static int
is_ancestor(struct msdosfs_mount *pm, struct msdosfs_node *tdp, uint32_t cl,
    bool *isp)
{
	uint32_t at = tdp->n_ino == MSDOSFS_ROOTINO ? 0 : tdp->n_startcl;
	int depth, error;

	*isp = false;
	for (depth = 0; depth < 65536 && at != 0; depth++) {
		if (at == cl) {
			*isp = true;
			return 0;
		}
		if ((error = msdosfs_dir_dotdot(pm, at, &at)) != 0)
			return error;
	}
	if (at != 0)
		return msdosfs_corrupt(pm, "directory tree too deep or looping");
	return 0;
}

static int
msdosfs_rename(struct vnode *fdvp, const char *fnm, size_t flen,
    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t cred)
{
	struct msdosfs_mount *pm = VTOMSDOS(fdvp);
	struct msdosfs_node *fdp = VTONODE(fdvp), *tdp = VTONODE(tdvp);
	struct msdosfs_node *fnp, *tnp;
	struct msdosfs_dirpos fpos, tpos, npos;
	struct vnode *fvp = NULL, *tvp = NULL;
	uint8_t tmpl[DIRENT_SIZE];
	bool isdir, below, empty, same;
	int error;

	wlock(pm);
	if (pm->pm_ronly) {
		error = EROFS;
		goto out;
	}
	if (fdp->n_unlinked || tdp->n_unlinked) {
		error = ENOENT;
		goto out;
	}
	if ((error = msdosfs_dir_lookup(pm, fdp, fnm, flen, &fpos)) != 0 ||
	    (error = msdosfs_vget(pm, fdp, &fpos, &fvp)) != 0)
		goto out;
	error = msdosfs_dir_lookup(pm, tdp, tnm, tlen, &tpos);
	if (error == 0 && (error = msdosfs_vget(pm, tdp, &tpos, &tvp)) != 0)
		goto out;
	if (error != 0 && error != ENOENT)
		goto out;
	error = 0;
	if ((error = dir_writable(pm, fdvp, cred)) != 0 ||
	    (error = dir_writable(pm, tdvp, cred)) != 0)
		goto out;
	fnp = VTONODE(fvp);
	tnp = tvp != NULL ? VTONODE(tvp) : NULL;
	isdir = fvp->v_type == VDIR;
	same = tvp == fvp;
	if (same && (fdvp != tdvp || (flen == tlen &&
	    memcmp(fnm, tnm, flen) == 0)))
		goto out;               /* the same name: nothing to do */
	if (isdir) {
		if ((error = is_ancestor(pm, tdp, fnp->n_startcl,
		    &below)) != 0)
			goto out;
		if (below) {
			error = EINVAL;
			goto out;
		}
		if (tnp != NULL && !same && tvp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		if (tnp != NULL && !same && ((error = msdosfs_dir_empty(pm,
		    tnp, &empty)) != 0 || !empty)) {
			error = error != 0 ? error : ENOTEMPTY;
			goto out;
		}
	} else if (tnp != NULL && tvp->v_type == VDIR) {
		error = EISDIR;
		goto out;
	}

	if (same) {
		/* Only the case of the name changes: out, then in again. */
		if ((error = msdosfs_dir_remove(pm, fdp, &fpos)) != 0)
			goto out;
	} else if (tnp != NULL) {
		if ((error = msdosfs_dir_remove(pm, tdp, &tpos)) != 0)
			goto out;
		msdosfs_table_unplace(pm, tnp->n_ent);
		tnp->n_unlinked = true;
		tnp->n_nlink = 0;
		if (tvp->v_type == VDIR && tdp->n_nlink > 2)
			tdp->n_nlink--;
	}
	memcpy(tmpl, fpos.dp_dirent, DIRENT_SIZE);
	msdosfs_node_encode(pm, fnp, tmpl);
	if ((error = msdosfs_dir_enter(pm, tdp, tnm, tlen, tmpl,
	    &npos)) != 0) {
		log(LOG_WARNING, "msdosfs: %s: rename: error %d entering the "
		    "new name\n", pm->pm_fspec, error);
		goto out;
	}
	if (!same && (error = msdosfs_dir_remove(pm, fdp, &fpos)) != 0)
		goto out;
	fnp->n_entbyte = npos.dp_entbyte;
	fnp->n_ntres = npos.dp_dirent[DIR_NTRES];
	msdosfs_table_move(pm, fnp->n_ent, msdosfs_dircl(pm, tdp),
	    npos.dp_off);
	if (isdir && fdp != tdp) {
		if ((error = msdosfs_dir_setdotdot(pm, fnp,
		    msdosfs_dircl(pm, tdp))) != 0)
			goto out;
		if (fdp->n_nlink > 2)
			fdp->n_nlink--;
		tdp->n_nlink++;
	}
	nanotime(&fnp->n_ctime);
	touch_data(fdp);
	(void)msdosfs_update(pm, fdp);
	if (tdp != fdp) {
		touch_data(tdp);
		(void)msdosfs_update(pm, tdp);
	}
	(void)msdosfs_dir_shrink(pm, fdp);
out:
	unlock(pm);
	if (fvp != NULL)
		vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
	return error;
}

void
msdosfs_vnops_init(void)
{
	msdosfs_vnodeops = (struct vnodeops){
		.vop_lookup = msdosfs_lookup,
		.vop_create = msdosfs_create,
		.vop_symlink = msdosfs_symlink,
		.vop_open = genfs_nullop_open,
		.vop_close = genfs_nullop_close,
		.vop_access = msdosfs_access,
		.vop_getattr = msdosfs_getattr,
		.vop_setattr = msdosfs_setattr,
		.vop_read = msdosfs_read,
		.vop_write = msdosfs_write,
		.vop_fsync = msdosfs_fsync,
		.vop_remove = msdosfs_remove,
		.vop_link = msdosfs_link,
		.vop_rename = msdosfs_rename,
		.vop_readdir = msdosfs_readdir,
		.vop_readlink = msdosfs_readlink,
		.vop_seekdata = msdosfs_seekdata,
		.vop_inactive = msdosfs_inactive,
		.vop_reclaim = msdosfs_reclaim,
	};
}
