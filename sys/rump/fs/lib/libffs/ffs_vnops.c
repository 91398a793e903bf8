/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS vnode operations.  File and directory contents go through the
 * buffer cache under the file's own vnode, named by logical block
 * (sized as ffs_blksize says); ffs_strategy maps a block to its frags
 * on the device and passes the buffer to the device vnode, or fills a
 * hole with zeroes.  Locking (ffs.h): um_lock as reader to look, as
 * writer to change; a vnode whose release might free its inode (its
 * link count went to zero) is released only after um_lock is dropped.
 *
 * Permission checks go through ffs_vaccess, which asks a file's POSIX
 * ACL (ffs_extattr.c); a new file inherits its directory's default ACL.
 *
 * Times: a change sets ctime (and mtime of the changed data or
 * directory) to now; reads set atime relatime-style, as rumpfs does;
 * birth time (UFS2) is set once, at creation.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/callout.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "dev_private.h"
#include "ffs.h"

/* The most links an inode can have (di_nlink is a signed 16 bits). */
#define FFS_LINK_MAX 32767
#define RELATIME_SEC (24 * 60 * 60)

struct vnodeops ffs_vnodeops, ffs_specops;

static void
ffs_now(struct timespec *ts)
{
	nanotime(ts);
}

/* ctime, and mtime too when the data changed, to now. */
static void
ffs_touch(struct ffs_inode *ip, bool mtime)
{
	struct timespec now;

	ffs_now(&now);
	ip->i_ctime = now;
	if (mtime)
		ip->i_mtime = now;
}

static void
ffs_wlock(struct vnode *vp)
{
	rw_enter(&VTOFFS(vp)->um_lock, RW_WRITER);
}

static void
ffs_rlock(struct vnode *vp)
{
	rw_enter(&VTOFFS(vp)->um_lock, RW_READER);
}

static void
ffs_unlock(struct vnode *vp)
{
	rw_exit(&VTOFFS(vp)->um_lock);
}

static int
ffs_lookup(struct vnode *dvp, const char *nm, size_t len, struct vnode **vpp)
{
	ino_t ino;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	ffs_rlock(dvp);
	if (VTOI(dvp)->i_nlink == 0)
		error = ENOENT;
	else if ((error = ufs_lookup_ino(dvp, nm, len, &ino)) == 0)
		error = vcache_get(dvp->v_mount, ino, NULL, vpp);
	ffs_unlock(dvp);
	return error;
}

static int
ffs_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);
	int error;

	/*
	 * Without an ACL the mode decides, with no lock, as it always did;
	 * an ACL is used (and could be freed) only under the lock.
	 */
	if (atomic_load_relaxed(&ip->i_acl) == NULL &&
	    atomic_load_relaxed(&ip->i_aclerr) == 0)
		return vaccess(vp->v_type, ip->i_mode & ALLPERMS, ip->i_uid,
		    ip->i_gid, mode, cred);
	ffs_rlock(vp);
	error = ffs_vaccess(ip, mode, cred);
	ffs_unlock(vp);
	return error;
}

static int
ffs_getattr(struct vnode *vp, struct vattr *va)
{
	struct ffs_inode *ip = VTOI(vp);

	memset(va, 0, sizeof(*va));
	ffs_rlock(vp);
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
	ffs_unlock(vp);
	return 0;
}

static bool
ts_le(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/* Whether a read should set atime (rumpfs_vnops.c says why). */
static bool
ffs_atime_due(struct vnode *vp, int ioflag)
{
	struct ffs_inode *ip = VTOI(vp);
	struct timespec now;

	if ((ioflag & IO_NOATIME) ||
	    (atomic_load_relaxed(&vp->v_mount->mnt_flag) &
	    (MNT_NOATIME | MNT_RDONLY)) != 0 || VTOFFS(vp)->um_ronly)
		return false;
	if (ts_le(&ip->i_atime, &ip->i_mtime) ||
	    ts_le(&ip->i_atime, &ip->i_ctime))
		return true;
	ffs_now(&now);
	return now.tv_sec - ip->i_atime.tv_sec >= RELATIME_SEC;
}

static void
ffs_set_atime(struct vnode *vp)
{
	struct ffs_inode *ip = VTOI(vp);

	ffs_wlock(vp);
	if (ip->i_nlink > 0 && !VTOFFS(vp)->um_ronly) {
		ffs_now(&ip->i_atime);
		(void)ffs_update(VTOFFS(vp), ip);
	}
	ffs_unlock(vp);
}

/* cred NULL: the caller has established the right (ftruncate). */
static int
ffs_setattr(struct vnode *vp, const struct vattr *req, kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	struct vattr cur, va = *req;
	int error = 0;

	if ((va.va_mask & VA_SIZE) && (va.va_size < 0 ||
	    (uint64_t)va.va_size > (um->um_maxlbn << um->fs_bshift)))
		return va.va_size < 0 ? EINVAL : EFBIG;
	(void)ffs_getattr(vp, &cur);
	ffs_wlock(vp);
	cur.va_mode = ip->i_mode & ALLPERMS;
	cur.va_uid = ip->i_uid;
	cur.va_gid = ip->i_gid;
	if (cred != NULL && (error = vsetattr_check(&cur, &va, cred,
	    vfs_isrdonly(vp->v_mount) || um->um_ronly)) != 0)
		goto out;
	if (va.va_mask == 0)
		goto out;
	if (um->um_ronly) {
		error = EROFS;
		goto out;
	}
	if (va.va_mask & VA_SIZE) {
		if (vp->v_type != VREG) {
			error = vp->v_type == VDIR ? EISDIR : EINVAL;
			goto out;
		}
		if ((error = ffs_truncate(vp, (uint64_t)va.va_size, cred)) != 0)
			goto out;
		ffs_touch(ip, true);
	}
	if (va.va_mask & VA_MODE) {
		ip->i_mode = (uint16_t)((ip->i_mode & IFMT) |
		    (va.va_mode & ALLPERMS));
		if ((error = ffs_acl_chmod(um, ip)) != 0)
			goto out;
	}
	if (va.va_mask & VA_UID)
		ip->i_uid = va.va_uid;
	if (va.va_mask & VA_GID)
		ip->i_gid = va.va_gid;
	ffs_touch(ip, false);
	if (va.va_mask & VA_ATIME)
		ip->i_atime = va.va_atime;
	if (va.va_mask & VA_MTIME)
		ip->i_mtime = va.va_mtime;
	error = ffs_update(um, ip);
out:
	ffs_unlock(vp);
	return error;
}

/*
 * Read block lbn of a file.  When the reads of the file are sequential,
 * the blocks after it are asked for too (up to FFS_READAHEAD bytes):
 * those whole blocks that follow it on the disk with it in one request
 * (breadcluster), once per such run, else each on its own.
 */
#define FFS_READAHEAD (256 * 1024)

/*
 * How many whole blocks from lbn on (at most max) follow each other on
 * the disk from its address on; 0 if lbn is a hole or not whole.
 */
static int
ffs_run(struct ffs_mount *um, struct ffs_inode *ip, uint64_t lbn, int max,
    daddr_t *blknop)
{
	int64_t addr, next;
	int n;

	if (ffs_blksize(um, ip->i_size, lbn) != (int)um->fs_bsize ||
	    ffs_bmap(um, ip, lbn, &addr) != 0 || addr <= 0)
		return 0;
	for (n = 1; n < max; n++) {
		if (ffs_blksize(um, ip->i_size, lbn + (uint64_t)n) !=
		    (int)um->fs_bsize ||
		    ffs_bmap(um, ip, lbn + (uint64_t)n, &next) != 0 ||
		    next != addr + (int64_t)n * (int64_t)um->fs_frag)
			break;
	}
	if (!ffs_blkok(um, addr) || !ffs_blkok(um, addr +
	    (int64_t)(n - 1) * (int64_t)um->fs_frag))
		return 0;
	*blknop = FFS_FSBTODB(um, addr);
	return n;
}

static int
ffs_bread_seq(struct vnode *vp, uint64_t lbn, int bsize, struct buf **bpp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	daddr_t rablks[FFS_READAHEAD / 4096], blkno;
	int rasizes[FFS_READAHEAD / 4096], nra = 0, n;
	uint64_t ra, last = (ip->i_size - 1) >> um->fs_bshift;

	/* Reading elsewhere: a new sequence. */
	if (atomic_load_relaxed(&ip->i_nextr) != lbn)
		atomic_store_relaxed(&ip->i_rarun, 0);
	if (atomic_load_relaxed(&ip->i_nextr) == lbn &&
	    atomic_load_relaxed(&ip->i_rarun) <= lbn) {
		n = ffs_run(um, ip, lbn, MIN(FFS_READAHEAD >> um->fs_bshift,
		    MAXCLUSTERBUFS), &blkno);
		if (n > 1) {
			atomic_store_relaxed(&ip->i_rarun, lbn + (uint64_t)n);
			atomic_store_relaxed(&ip->i_nextr, lbn + 1);
			return breadcluster(vp, (daddr_t)lbn, bsize, blkno, n,
			    bpp);
		}
	}
	if (atomic_load_relaxed(&ip->i_nextr) == lbn &&
	    atomic_load_relaxed(&ip->i_rarun) <= lbn) {
		for (ra = lbn + 1; ra <= last &&
		    (ra - lbn) << um->fs_bshift <= FFS_READAHEAD; ra++) {
			rablks[nra] = (daddr_t)ra;
			rasizes[nra++] = ffs_blksize(um, ip->i_size, ra);
		}
	}
	atomic_store_relaxed(&ip->i_nextr, lbn + 1);
	return breadn(vp, (daddr_t)lbn, bsize, rablks, rasizes, nra, 0, bpp);
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

	bool atime;

	(void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	ffs_rlock(vp);
	atime = uio->uio_resid > 0 && ffs_atime_due(vp, ioflag);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < ip->i_size) {
		off = (uint64_t)uio->uio_offset;
		lbn = off >> um->fs_bshift;
		bo = off & (um->fs_bsize - 1);
		bsize = ffs_blksize(um, ip->i_size, lbn);
		n = MIN((uint64_t)bsize - bo, uio->uio_resid);
		n = MIN(n, ip->i_size - off);
		if ((error = ffs_bread_seq(vp, lbn, bsize, &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + bo, n, uio);
		brelse(bp, 0);
		if (error)
			break;
	}
	ffs_unlock(vp);
	if (atime)
		ffs_set_atime(vp);
	return error;
}

static int
ffs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	uint64_t off, lbn, osize, maxsize = um->um_maxlbn << um->fs_bshift;
	size_t n, bo, resid = uio->uio_resid, before;
	struct buf *bp;
	int error = 0, e;

	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	ffs_wlock(vp);
	if (um->um_ronly) {
		error = EROFS;
		goto out;
	}
	osize = ip->i_size;
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)ip->i_size;
	if (uio->uio_offset < 0) {
		error = EINVAL;
		goto out;
	}
	if (uio->uio_resid > 0 && (uint64_t)uio->uio_offset >= maxsize) {
		error = EFBIG;
		goto out;
	}
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < maxsize) {
		off = (uint64_t)uio->uio_offset;
		lbn = off >> um->fs_bshift;
		bo = off & (um->fs_bsize - 1);
		n = MIN(um->fs_bsize - bo, uio->uio_resid);
		n = MIN(n, maxsize - off);
		if ((error = ffs_balloc(vp, lbn, off + n, bo, n, cred,
		    &bp)) != 0)
			break;
		before = uio->uio_resid;
		error = uiomove((char *)bp->b_data + bo, n, uio);
		if (error && before == uio->uio_resid &&
		    (bp->b_flags & B_VALID) == 0)
			memset((char *)bp->b_data + bo, 0, n);
		e = ffs_bufwrite(um, bp, (ioflag & IO_SYNC) ? FFS_BWRITE :
		    bo + n == um->fs_bsize ? FFS_BAWRITE : FFS_BDWRITE);
		if (e != 0 && error == 0)
			error = e;
		if (error)
			break;
	}
	if (error) {
		/*
		 * Keep what was written, and nothing more: not even the
		 * indirect blocks of a block that could not be had.
		 */
		off = MAX(osize, (uint64_t)uio->uio_offset);
		(void)ffs_truncate(vp, MIN(off, ip->i_size), NULL);
	}
	if (uio->uio_resid != resid) {
		ffs_touch(ip, true);
		/* A write by other than root drops the set-id bits. */
		if (cred != NULL && !kauth_cred_issuser(cred))
			ip->i_mode &= (uint16_t)~(S_ISUID | S_ISGID);
	}
	(void)ffs_update(um, ip);
out:
	ffs_unlock(vp);
	return error;
}

static int
ffs_fsync(struct vnode *vp, bool dataonly)
{
	struct ffs_mount *um = VTOFFS(vp);
	int error, error2;

	error = vflushbuf(vp, FSYNC_WAIT);
	/*
	 * The inode, indirect blocks and maps are the device's buffers;
	 * the device's fsync writes them and puts it all on stable storage.
	 */
	error2 = VOP_FSYNC(um->um_devvp, dataonly);
	return error != 0 ? error : error2;
}

static int
ffs_readlink(struct vnode *vp, struct uio *uio)
{
	struct ffs_inode *ip = VTOI(vp);
	struct buf *bp;
	size_t n;
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	ffs_rlock(vp);
	n = MIN(ip->i_size, uio->uio_resid);
	if (ip->i_isshortlink)
		error = uiomove(ip->i_shortlink, n, uio);
	/* Shorter than MAXPATHLEN (ffs_inode.c), so all in block 0. */
	else if ((error = bread(vp, 0, ffs_blksize(VTOFFS(vp), ip->i_size, 0),
	    0, &bp)) == 0) {
		error = uiomove(bp->b_data, n, uio);
		brelse(bp, 0);
	}
	ffs_unlock(vp);
	return error;
}

static int
ffs_readdir(struct vnode *vp, struct uio *uio)
{
	bool atime;
	int error;

	ffs_rlock(vp);
	atime = ffs_atime_due(vp, 0);
	error = ufs_readdir(vp, uio);
	ffs_unlock(vp);
	if (atime && error == 0)
		ffs_set_atime(vp);
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

	ffs_rlock(vp);
	if (*offp < 0 || off >= ip->i_size)
		error = ENXIO;
	else if ((error = ffs_findblock(vp, off >> um->fs_bshift,
	    whence == SEEK_DATA, &lbn)) != 0)
		;
	else if (whence == SEEK_DATA) {
		if ((lbn << um->fs_bshift) >= ip->i_size)
			error = ENXIO;
		else
			*offp = (off_t)MAX(off, lbn << um->fs_bshift);
	} else
		*offp = (off_t)MIN(MAX(off, lbn << um->fs_bshift), ip->i_size);
	ffs_unlock(vp);
	return error;
}

/*
 * The last reference is gone.  An inode with no links left goes back
 * to its group with its blocks; a read-only mount leaves it for fsck.
 */
static int
ffs_inactive(struct vnode *vp, bool *recycle)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	bool isdir;

	*recycle = ip->i_freed || ip->i_nlink == 0;
	if (ip->i_freed || ip->i_nlink != 0)
		return 0;
	ffs_wlock(vp);
	if (!vlastref(vp))
		*recycle = false;
	else if (!ip->i_freed && ip->i_nlink == 0 && !um->um_ronly) {
		isdir = (ip->i_mode & IFMT) == IFDIR;
		ffs_extattr_free(um, ip);
		(void)ffs_truncate(vp, 0, NULL);
		ip->i_mode = 0;
		ip->i_freed = true;
		ip->i_isshortlink = false;
		ip->i_gen++;
		memset(ip->i_db, 0, sizeof(ip->i_db));
		memset(ip->i_ib, 0, sizeof(ip->i_ib));
		(void)ffs_update(um, ip);
		ffs_ifree(um, ip->i_number, isdir);
		vcache_freed(vp);
	}
	ffs_unlock(vp);
	return 0;
}

static int
ffs_reclaim(struct vnode *vp)
{
	struct ffs_inode *ip = VTOI(vp);

	/*
	 * The file's buffers are named by this vnode's address.  Looking
	 * for them costs a walk of the whole cache: only when there are.
	 */
	if (ip->i_hasbufs)
		(void)vinvalbuf(vp);
	ufs_dirhash_free(VTOFFS(vp), ip);
	ffs_inode_free(ip);
	vp->v_data = NULL;
	return 0;
}

/* The vnode of a new inode ino of type mode, loaded fresh. */
static int
ffs_newvnode(struct vnode *dvp, ino_t ino, uint16_t mode, dev_t rdev,
    struct vnode **vpp)
{
	struct ffs_newinode ni = { .ni_mode = mode, .ni_rdev = rdev };
	int error;

	if ((error = vcache_new(dvp->v_mount, ino, &ni, vpp)) == EEXIST)
		return ffs_corrupt(VTOFFS(dvp), "inode %llu is in use but "
		    "marked free", (unsigned long long)ino);
	return error;
}

/*
 * Make a node: checks, an inode, its first contents, its entry.  With
 * um_lock held as writer; *vpp referenced.
 */
static int
ffs_mknode(struct vnode *dvp, const char *nm, size_t len, enum vtype type,
    mode_t mode, mode_t cmode, dev_t rdev, const char *target,
    kauth_cred_t cred, struct vnode **vpp)
{
	struct ffs_mount *um = VTOFFS(dvp);
	struct ffs_inode *dp = VTOI(dvp), *ip;
	struct ufs_dirpos dpos;
	struct vnode *vp;
	struct buf *bp;
	uint16_t imode;
	size_t tlen;
	gid_t gid;
	ino_t ino;
	int error;

	*vpp = NULL;
	if (um->um_ronly)
		return EROFS;
	if (dp->i_nlink == 0)
		return ENOENT;
	if ((error = ffs_vaccess(dp, VWRITE | VEXEC, cred)) != 0)
		return error;
	if ((error = ufs_dirlookup(dvp, nm, len, &dpos)) != ENOENT)
		return error == 0 ? EEXIST : error;
	if (type == VDIR && dp->i_nlink >= FFS_LINK_MAX)
		return EMLINK;
	if (dp->i_mode & S_ISGID) {
		gid = dp->i_gid;
		if (type == VDIR)
			mode |= S_ISGID;
	} else
		gid = cred->cr_egid;
	if (type != VDIR && (mode & S_ISGID) && !kauth_cred_issuser(cred) &&
	    !kauth_cred_groupmember(cred, gid))
		mode &= ~(mode_t)S_ISGID;
	imode = (uint16_t)(vttoif(type) | (mode & ALLPERMS));
	if (um->fs_nifree == 0)
		return ENOSPC;
	if ((error = ffs_ialloc(um, dp, imode, &ino)) != 0)
		return error;
	if ((error = ffs_newvnode(dvp, ino, imode, rdev, &vp)) != 0) {
		ffs_ifree(um, ino, type == VDIR);
		return error;
	}
	ip = VTOI(vp);
	ip->i_nlink = type == VDIR ? 2 : 1;
	ip->i_uid = cred->cr_euid;
	ip->i_gid = gid;
	ip->i_gen = ffs_inode_gen(um, ino) + 1;
	ffs_now(&ip->i_mtime);
	ip->i_atime = ip->i_ctime = ip->i_birthtime = ip->i_mtime;
	if (type == VCHR || type == VBLK)
		ip->i_db[0] = ffs_rdev_encode(rdev);
	error = ffs_update(um, ip);
	if (error == 0)
		error = ffs_acl_inherit(um, dp, ip, cmode, cred);
	if (error == 0 && type == VDIR) {
		if ((error = ffs_balloc(vp, 0, DIRBLKSIZ, 0, DIRBLKSIZ, cred,
		    &bp)) == 0) {
			ufs_dirtemplate(um, bp->b_data, ino, dp->i_number);
			error = ffs_bufwrite(um, bp, FFS_BDWRITE);
		}
	} else if (error == 0 && type == VLNK) {
		tlen = strlen(target);
		if (tlen < um->fs_maxsymlinklen) {
			ip->i_isshortlink = true;
			memset(ip->i_shortlink, 0, sizeof(ip->i_shortlink));
			memcpy(ip->i_shortlink, target, tlen);
			ip->i_size = tlen;
			error = ffs_update(um, ip);
		} else if ((error = ffs_balloc(vp, 0, tlen, 0, tlen, cred,
		    &bp)) == 0) {
			memcpy(bp->b_data, target, tlen);
			error = ffs_bufwrite(um, bp, FFS_BDWRITE);
		}
	}
	if (error == 0)
		error = ufs_direnter(dvp, nm, len, ino, ufs_vtype_dt(type),
		    cred);
	if (error) {
		/* Undo: the inode goes back now. */
		ffs_extattr_free(um, ip);
		(void)ffs_truncate(vp, 0, NULL);
		ip->i_nlink = 0;
		ip->i_mode = 0;
		ip->i_freed = true;
		ip->i_isshortlink = false;
		(void)ffs_update(um, ip);
		ffs_ifree(um, ino, type == VDIR);
		vcache_freed(vp);
		vrele(vp);
		return error;
	}
	if (type == VDIR)
		dp->i_nlink++;
	ffs_touch(dp, true);
	(void)ffs_update(um, dp);
	*vpp = vp;
	return 0;
}

static int
ffs_create(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct vnode **vpp)
{
	int error;

	ffs_wlock(dvp);
	error = ffs_mknode(dvp, nm, len, va->va_type, va->va_mode,
	    (va->va_mask & VA_CMODE) ? va->va_cmode : va->va_mode,
	    va->va_rdev, NULL, cred, vpp);
	ffs_unlock(dvp);
	return error;
}

static int
ffs_symlink(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	size_t tlen = strlen(target);
	int error;

	if (tlen == 0)
		return ENOENT;
	if (tlen >= MAXPATHLEN)
		return ENAMETOOLONG;
	ffs_wlock(dvp);
	error = ffs_mknode(dvp, nm, len, VLNK, va->va_mode, va->va_mode, 0,
	    target, cred, vpp);
	ffs_unlock(dvp);
	return error;
}

static int
ffs_remove(struct vnode *dvp, const char *nm, size_t len, bool isdir,
    kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(dvp);
	struct ffs_inode *dp = VTOI(dvp), *ip;
	struct ufs_dirpos dpos;
	struct vnode *vp = NULL;
	bool empty;
	int error;

	ffs_wlock(dvp);
	if (um->um_ronly)
		error = EROFS;
	else if (dp->i_nlink == 0)
		error = ENOENT;
	else if ((error = ufs_dirlookup(dvp, nm, len, &dpos)) != 0)
		;
	else if ((error = vcache_get(dvp->v_mount, dpos.dp_ino, NULL,
	    &vp)) != 0)
		vp = NULL;
	if (error)
		goto out;
	ip = VTOI(vp);
	if (isdir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!isdir && vp->v_type == VDIR)
		error = EISDIR;
	else if ((error = ffs_vaccess(dp, VWRITE | VEXEC, cred)) != 0)
		;
	else if (!vsticky_ok(dp->i_mode, dp->i_uid, ip->i_uid, cred))
		error = EPERM;
	else if (isdir && (vp->v_vflag & VV_ROOT))
		error = EBUSY;
	else if (isdir && (error = ufs_dirempty(vp, &empty)) == 0 && !empty)
		error = ENOTEMPTY;
	if (error == 0)
		error = ufs_dirremove(dvp, &dpos, nm, len);
	if (error)
		goto out;
	if (isdir) {
		ip->i_nlink = 0;
		if (dp->i_nlink > 0)
			dp->i_nlink--;
	} else if (ip->i_nlink > 0)
		ip->i_nlink--;
	ffs_touch(ip, false);
	ffs_touch(dp, true);
	(void)ffs_update(um, ip);
	(void)ffs_update(um, dp);
out:
	ffs_unlock(dvp);
	if (vp != NULL)
		vrele(vp);
	return error;
}

static int
ffs_link(struct vnode *dvp, const char *nm, size_t len, struct vnode *vp,
    kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(dvp);
	struct ffs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	struct ufs_dirpos dpos;
	int error;

	if (vp->v_type == VDIR)
		return EPERM;
	ffs_wlock(dvp);
	if (um->um_ronly)
		error = EROFS;
	else if (dp->i_nlink == 0 || ip->i_nlink == 0)
		error = ENOENT;
	else if ((error = ffs_vaccess(dp, VWRITE | VEXEC, cred)) != 0)
		;
	else if ((error = ufs_dirlookup(dvp, nm, len, &dpos)) != ENOENT)
		error = error == 0 ? EEXIST : error;
	else if (ip->i_nlink >= FFS_LINK_MAX)
		error = EMLINK;
	else if ((error = ufs_direnter(dvp, nm, len, ip->i_number,
	    ufs_vtype_dt(vp->v_type), cred)) == 0) {
		ip->i_nlink++;
		ffs_touch(ip, false);
		ffs_touch(dp, true);
		(void)ffs_update(um, ip);
		(void)ffs_update(um, dp);
	}
	ffs_unlock(dvp);
	return error;
}

/*
 * Whether directory ino is dvp or one of its ancestors; walks up the
 * ".." entries.  The directories met have links, so releasing them
 * under um_lock frees nothing.
 */
static int
ffs_isancestor(struct vnode *dvp, ino_t ino, bool *isp)
{
	struct vnode *vp = dvp, *pvp;
	struct ufs_dirpos dpos;
	int error = 0, depth;

	*isp = false;
	vref(vp);
	for (depth = 0; depth < 4096; depth++) {
		if (vp->v_ino == ino) {
			*isp = true;
			break;
		}
		if (vp->v_ino == UFS_ROOTINO)
			break;
		if ((error = ufs_dirlookup(vp, "..", 2, &dpos)) != 0)
			break;
		if ((error = vcache_get(vp->v_mount, dpos.dp_ino, NULL,
		    &pvp)) != 0)
			break;
		vrele(vp);
		vp = pvp;
		if (vp->v_type != VDIR) {
			error = ffs_corrupt(VTOFFS(vp), "\"..\" of a directory "
			    "is inode %llu, no directory",
			    (unsigned long long)vp->v_ino);
			break;
		}
	}
	if (depth == 4096)
		error = ffs_corrupt(VTOFFS(dvp), "directory tree too deep or "
		    "looping");
	vrele(vp);
	return error;
}

static int
ffs_rename(struct vnode *fdvp, const char *fnm, size_t flen,
    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(fdvp);
	struct ffs_inode *fdp = VTOI(fdvp), *tdp = VTOI(tdvp), *fip, *tip;
	struct ufs_dirpos fpos, tpos, dotdot;
	struct vnode *fvp = NULL, *tvp = NULL;
	bool isdir, below, empty;
	int error;

	ffs_wlock(fdvp);
	if (um->um_ronly) {
		error = EROFS;
		goto out;
	}
	if (fdp->i_nlink == 0 || tdp->i_nlink == 0) {
		error = ENOENT;
		goto out;
	}
	if ((error = ufs_dirlookup(fdvp, fnm, flen, &fpos)) != 0 ||
	    (error = vcache_get(fdvp->v_mount, fpos.dp_ino, NULL, &fvp)) != 0)
		goto out;
	error = ufs_dirlookup(tdvp, tnm, tlen, &tpos);
	if (error == 0 && (error = vcache_get(tdvp->v_mount, tpos.dp_ino,
	    NULL, &tvp)) != 0)
		goto out;
	if (error != 0 && error != ENOENT)
		goto out;
	error = 0;
	fip = VTOI(fvp);
	tip = tvp != NULL ? VTOI(tvp) : NULL;
	isdir = fvp->v_type == VDIR;
	if ((error = ffs_vaccess(fdp, VWRITE | VEXEC, cred)) != 0 ||
	    (error = ffs_vaccess(tdp, VWRITE | VEXEC, cred)) != 0)
		goto out;
	if (!vsticky_ok(fdp->i_mode, fdp->i_uid, fip->i_uid, cred) ||
	    (tip != NULL &&
	    !vsticky_ok(tdp->i_mode, tdp->i_uid, tip->i_uid, cred))) {
		error = EPERM;
		goto out;
	}
	if (tvp == fvp)
		goto out;               /* the same file: nothing to do */
	if (isdir) {
		if ((error = ffs_isancestor(tdvp, fvp->v_ino, &below)) != 0)
			goto out;
		if (below) {
			error = EINVAL;
			goto out;
		}
		/* Its ".." changes: that takes write permission on it. */
		if (fdvp != tdvp && (error = ffs_vaccess(fip, VWRITE,
		    cred)) != 0)
			goto out;
		if (tvp != NULL && tvp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		if (tvp != NULL && ((error = ufs_dirempty(tvp, &empty)) != 0 ||
		    !empty)) {
			error = error != 0 ? error : ENOTEMPTY;
			goto out;
		}
		if (tvp == NULL && fdvp != tdvp &&
		    tdp->i_nlink >= FFS_LINK_MAX) {
			error = EMLINK;
			goto out;
		}
	} else if (tvp != NULL && tvp->v_type == VDIR) {
		error = EISDIR;
		goto out;
	}

	/* The new name first: a failure leaves the old one. */
	if (tvp != NULL)
		error = ufs_dirrewrite(tdvp, &tpos, fip->i_number,
		    ufs_vtype_dt(fvp->v_type));
	else
		error = ufs_direnter(tdvp, tnm, tlen, fip->i_number,
		    ufs_vtype_dt(fvp->v_type), cred);
	if (error)
		goto out;
	if (tip != NULL) {
		if (tvp->v_type == VDIR) {
			tip->i_nlink = 0;
			if (tdp->i_nlink > 0)
				tdp->i_nlink--;
		} else if (tip->i_nlink > 0)
			tip->i_nlink--;
		ffs_touch(tip, false);
		(void)ffs_update(um, tip);
	}
	/* The entry may have moved (a chunk compacted): find it again. */
	if ((error = ufs_dirlookup(fdvp, fnm, flen, &fpos)) != 0 ||
	    (error = ufs_dirremove(fdvp, &fpos, fnm, flen)) != 0)
		goto out;
	if (isdir && fdvp != tdvp) {
		if ((error = ufs_dirlookup(fvp, "..", 2, &dotdot)) == 0)
			error = ufs_dirrewrite(fvp, &dotdot, tdp->i_number,
			    DT_DIR);
		if (fdp->i_nlink > 0)
			fdp->i_nlink--;
		tdp->i_nlink++;
	}
	ffs_touch(fip, false);
	ffs_touch(fdp, true);
	ffs_touch(tdp, true);
	(void)ffs_update(um, fip);
	(void)ffs_update(um, fdp);
	if (tdp != fdp)
		(void)ffs_update(um, tdp);
out:
	ffs_unlock(fdvp);
	if (fvp != NULL)
		vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
	return error;
}

int
ffs_mapbuf(struct ffs_mount *um, struct ffs_inode *ip, struct buf *bp,
    daddr_t *blknop)
{
	uint64_t nfrags = bp->b_bcount >> um->fs_fshift;
	int64_t addr;
	int error;

	*blknop = 0;
	if (bp->b_lblkno < 0)
		return EINVAL;          /* no such request is made */
	if ((error = ffs_bmap(um, ip, (uint64_t)bp->b_lblkno, &addr)) != 0)
		return error;
	if (addr == 0)
		return 0;
	if (addr < 0 || (uint64_t)addr + nfrags > um->fs_size ||
	    ((uint64_t)addr & (um->fs_frag - 1)) + nfrags > um->fs_frag)
		return ffs_corrupt(um, "inode %llu: block %lld at frag %lld",
		    (unsigned long long)ip->i_number, (long long)bp->b_lblkno,
		    (long long)addr);
	*blknop = FFS_FSBTODB(um, addr);
	return 0;
}

/*
 * A file's block to the device vnode.  A read maps it (or zeroes a
 * hole); a write goes where ffs_bufwrite resolved it when the buffer
 * was changed, under um_lock: this runs without it, perhaps to make
 * room in the cache, and so must not read another buffer.
 */
static void
ffs_strategy(struct vnode *vp, struct buf *bp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	daddr_t blkno;
	int error;

	ip->i_hasbufs = true;
	if ((bp->b_flags & B_READ) == 0 || bp->b_iov != NULL) {
		/* A write, or a cluster's read: resolved by ffs_bufwrite,
		 * or by ffs_bread_seq. */
		blkno = bp->b_wblkno;
		KASSERTMSG(blkno != 0, "ffs: inode %llu block %lld written "
		    "unmapped", (unsigned long long)ip->i_number,
		    (long long)bp->b_lblkno);
	} else if ((error = ffs_mapbuf(um, ip, bp, &blkno)) != 0)
		goto fail;
	if (blkno == 0) {
		memset(bp->b_data, 0, bp->b_bcount);
		bp->b_resid = 0;
		biodone(bp);
		return;
	}
	bp->b_blkno = blkno;
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
		.vop_create = ffs_create,
		.vop_symlink = ffs_symlink,
		.vop_open = genfs_nullop_open,
		.vop_close = genfs_nullop_close,
		.vop_access = ffs_access,
		.vop_getattr = ffs_getattr,
		.vop_setattr = ffs_setattr,
		.vop_read = ffs_read,
		.vop_write = ffs_write,
		.vop_fsync = ffs_fsync,
		.vop_remove = ffs_remove,
		.vop_link = ffs_link,
		.vop_rename = ffs_rename,
		.vop_readdir = ffs_readdir,
		.vop_readlink = ffs_readlink,
		.vop_seekdata = ffs_seekdata,
		.vop_fallocate = ffs_fallocate,
		.vop_inactive = ffs_inactive,
		.vop_reclaim = ffs_reclaim,
		.vop_strategy = ffs_strategy,
		.vop_getxattr = ffs_getxattr,
		.vop_setxattr = ffs_setxattr,
		.vop_listxattr = ffs_listxattr,
		.vop_removexattr = ffs_removexattr,
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
