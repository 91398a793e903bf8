/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rumpfs vnode operations.  The VFS calls them with referenced, unlocked
 * vnodes; each takes the locks rumpfs.h describes, checks permissions
 * and types against the state under those locks, and changes it in one
 * step.  A name operation returning or touching a node takes a vnode for
 * it first (vcache_get under rm_nslock: loadvnode, inactive and reclaim
 * never take rm_nslock, so this cannot deadlock).
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "rumpfs.h"

static const char rumpfs_zeroes[RUMPFS_PAGE];

#define VTORN(vp) ((struct rumpfs_node *)(vp)->v_data)
#define VTORM(vp) RUMPFS_MOUNT((vp)->v_mount)

static nlink_t
rn_nlink(struct rumpfs_node *rn)
{
	return atomic_load_relaxed(&rn->rn_nlink);
}

static void
rn_setnlink(struct rumpfs_node *rn, nlink_t n)
{
	atomic_store_relaxed(&rn->rn_nlink, n);
}

static int
rn_getvnode(struct vnode *dvp, struct rumpfs_node *rn, struct vnode **vpp)
{
	return vcache_get(dvp->v_mount, rn->rn_ino, rn, vpp);
}

/* Directory search and write permission, with rn_lock for the mode. */
static int
rn_access(struct rumpfs_node *rn, int mode, kauth_cred_t cred)
{
	int error;

	rw_enter(&rn->rn_lock, RW_READER);
	error = vaccess(rn->rn_type, rn->rn_mode, rn->rn_uid, rn->rn_gid, mode,
	    cred);
	rw_exit(&rn->rn_lock);
	return error;
}

static void
rn_touch(struct rumpfs_node *rn, bool mtime)
{
	struct timespec now;

	rumpfs_gettime(&now);
	rw_enter(&rn->rn_lock, RW_WRITER);
	rn->rn_ctime = now;
	if (mtime)
		rn->rn_mtime = now;
	rw_exit(&rn->rn_lock);
}

/*
 * Access times, relatime-style as Linux mounts by default: a read sets
 * atime only when it is not newer than mtime or ctime (so "read since
 * last written?" stays answerable) or is a day old.  That keeps reads
 * from writing the node nearly every time.  Read-only and noatime
 * mounts and O_NOATIME files keep atime; utimensat sets it at will.
 * Called with rn_lock held as reader: whether to update.
 */
#define RELATIME_SEC (24 * 60 * 60)

static bool
ts_le(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

static bool
rn_atime_due(struct vnode *vp, struct rumpfs_node *rn, int ioflag)
{
	struct timespec now;

	if ((ioflag & IO_NOATIME) ||
	    (atomic_load_relaxed(&vp->v_mount->mnt_flag) &
	    (MNT_NOATIME | MNT_RDONLY)) != 0)
		return false;
	if (ts_le(&rn->rn_atime, &rn->rn_mtime) ||
	    ts_le(&rn->rn_atime, &rn->rn_ctime))
		return true;
	rumpfs_gettime(&now);
	return now.tv_sec - rn->rn_atime.tv_sec >= RELATIME_SEC;
}

static void
rn_set_atime(struct rumpfs_node *rn)
{
	struct timespec now;

	rumpfs_gettime(&now);
	rw_enter(&rn->rn_lock, RW_WRITER);
	rn->rn_atime = now;
	rw_exit(&rn->rn_lock);
}

static int
rumpfs_lookup(struct vnode *dvp, const char *nm, size_t len,
    struct vnode **vpp)
{
	struct rumpfs_mount *rm = VTORM(dvp);
	struct rumpfs_node *dir = VTORN(dvp), *rn;
	struct rumpfs_dirent *rd;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	rw_enter(&rm->rm_nslock, RW_READER);
	if (rn_nlink(dir) == 0)
		error = ENOENT;
	else if (len == 2 && nm[0] == '.' && nm[1] == '.') {
		rn = dir->rn_parent != NULL ? dir->rn_parent : dir;
		error = rn_getvnode(dvp, rn, vpp);
	} else if ((rd = rumpfs_dir_lookup(rm, dir, nm, len)) == NULL)
		error = ENOENT;
	else
		error = rn_getvnode(dvp, rd->rd_node, vpp);
	rw_exit(&rm->rm_nslock);
	return error;
}

/*
 * The common part of create and symlink: checks, the new node, its
 * entry.  Called with rm_nslock held for writing.
 */
static int
rumpfs_mknode(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct rumpfs_node **rnp)
{
	struct rumpfs_mount *rm = VTORM(dvp);
	struct rumpfs_node *dir = VTORN(dvp), *rn;
	struct rumpfs_dirent *rd;
	mode_t mode = va->va_mode;
	gid_t gid;
	int error;

	if (rn_nlink(dir) == 0)
		return ENOENT;
	if ((error = rn_access(dir, VWRITE | VEXEC, cred)) != 0)
		return error;
	if (rumpfs_dir_lookup(rm, dir, nm, len) != NULL)
		return EEXIST;
	rw_enter(&dir->rn_lock, RW_READER);
	if (dir->rn_mode & S_ISGID) {
		/* A setgid directory gives its group, and to directories its bit. */
		gid = dir->rn_gid;
		if (va->va_type == VDIR)
			mode |= S_ISGID;
	} else
		gid = cred->cr_egid;
	rw_exit(&dir->rn_lock);
	if (va->va_type != VDIR && (mode & S_ISGID) &&
	    !kauth_cred_issuser(cred) && !kauth_cred_groupmember(cred, gid))
		mode &= ~(mode_t)S_ISGID;
	if ((error = rumpfs_dirent_alloc(rm, nm, len, &rd)) != 0)
		return error;
	if ((error = rumpfs_node_alloc(rm, va->va_type, mode, cred->cr_euid,
	    gid, va->va_rdev, &rn)) != 0) {
		rumpfs_dirent_free(rm, rd);
		return error;
	}
	rumpfs_dir_attach(rm, dir, rd, rn);
	if (va->va_type == VDIR)
		rn_setnlink(dir, rn_nlink(dir) + 1);
	*rnp = rn;
	return 0;
}

static int
rumpfs_create(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct vnode **vpp)
{
	struct rumpfs_mount *rm = VTORM(dvp);
	struct rumpfs_node *rn;
	int error;

	rw_enter(&rm->rm_nslock, RW_WRITER);
	if ((error = rumpfs_mknode(dvp, nm, len, va, cred, &rn)) == 0) {
		rn_touch(VTORN(dvp), true);
		error = rn_getvnode(dvp, rn, vpp);
	}
	rw_exit(&rm->rm_nslock);
	return error;
}

static int
rumpfs_symlink(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	struct rumpfs_mount *rm = VTORM(dvp);
	struct rumpfs_node *rn = NULL;
	size_t tlen = strlen(target);
	char *t;
	int error;

	if ((error = rumpfs_reserve(rm, tlen + 1)) != 0)
		return error;
	if ((t = kmem_alloc(tlen + 1, KM_SLEEP)) == NULL) {
		rumpfs_unreserve(rm, tlen + 1);
		return ENOMEM;
	}
	memcpy(t, target, tlen + 1);
	rw_enter(&rm->rm_nslock, RW_WRITER);
	if ((error = rumpfs_mknode(dvp, nm, len, va, cred, &rn)) != 0)
		rn = NULL;
	else {
		rn->rn_target = t;
		rn->rn_targetlen = tlen;
		rn->rn_size = (off_t)tlen;
		rn_touch(VTORN(dvp), true);
		error = rn_getvnode(dvp, rn, vpp);
	}
	rw_exit(&rm->rm_nslock);
	if (rn == NULL) {
		/* No node took the target. */
		kmem_free(t, tlen + 1);
		rumpfs_unreserve(rm, tlen + 1);
	}
	return error;
}

static int
rumpfs_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	(void)vp;
	(void)fflag;
	(void)cred;
	return 0;
}

static int
rumpfs_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	(void)vp;
	(void)fflag;
	(void)cred;
	return 0;
}

static int
rumpfs_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	return rn_access(VTORN(vp), mode, cred);
}

static int
rumpfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct rumpfs_node *rn = VTORN(vp);

	memset(va, 0, sizeof(*va));
	rw_enter(&rn->rn_lock, RW_READER);
	va->va_type = rn->rn_type;
	va->va_mode = rn->rn_mode;
	va->va_nlink = rn_nlink(rn);
	va->va_uid = rn->rn_uid;
	va->va_gid = rn->rn_gid;
	va->va_fileid = rn->rn_ino;
	va->va_size = rn->rn_type == VDIR ?
	    (off_t)(RUMPFS_PAGE) : rn->rn_size;
	va->va_rdev = rn->rn_rdev;
	va->va_blocksize = RUMPFS_PAGE;
	va->va_bytes = rn->rn_npages * RUMPFS_PAGE;
	va->va_atime = rn->rn_atime;
	va->va_mtime = rn->rn_mtime;
	va->va_ctime = rn->rn_ctime;
	rw_exit(&rn->rn_lock);
	return 0;
}

/* cred NULL: the caller has established the right (ftruncate). */
static int
rumpfs_setattr(struct vnode *vp, const struct vattr *req, kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(vp);
	struct rumpfs_node *rn = VTORN(vp);
	struct vattr cur, va = *req;
	struct timespec now;
	int error = 0;

	if ((va.va_mask & VA_SIZE) && va.va_size > RUMPFS_MAXFILESIZE)
		return EFBIG;
	rumpfs_getattr(vp, &cur);
	rw_enter(&rn->rn_lock, RW_WRITER);
	/* Check against the attributes as they are under the lock. */
	cur.va_mode = rn->rn_mode;
	cur.va_uid = rn->rn_uid;
	cur.va_gid = rn->rn_gid;
	if (cred != NULL && (error = vsetattr_check(&cur, &va, cred,
	    vfs_isrdonly(vp->v_mount))) != 0)
		goto out;
	if (va.va_mask == 0)
		goto out;
	rumpfs_gettime(&now);
	if (va.va_mask & VA_SIZE) {
		if (rn->rn_type != VREG) {
			error = rn->rn_type == VDIR ? EISDIR : EINVAL;
			goto out;
		}
		if (va.va_size < rn->rn_size)
			rumpfs_truncate(rm, rn, va.va_size);
		else
			rn->rn_size = va.va_size;
		rn->rn_mtime = now;
	}
	if (va.va_mask & VA_MODE)
		rn->rn_mode = va.va_mode & ALLPERMS;
	if (va.va_mask & VA_UID)
		rn->rn_uid = va.va_uid;
	if (va.va_mask & VA_GID)
		rn->rn_gid = va.va_gid;
	if (va.va_mask & VA_ATIME)
		rn->rn_atime = va.va_atime;
	if (va.va_mask & VA_MTIME)
		rn->rn_mtime = va.va_mtime;
	rn->rn_ctime = now;
out:
	rw_exit(&rn->rn_lock);
	return error;
}

static int
rumpfs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(vp);
	struct rumpfs_node *rn = VTORN(vp);
	uint64_t off;
	size_t n, po;
	char *page;
	int error = 0;

	bool atime;

	(void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	rw_enter(&rn->rn_lock, RW_READER);
	atime = rn_atime_due(vp, rn, ioflag);
	while (uio->uio_resid > 0 && uio->uio_offset < rn->rn_size) {
		off = (uint64_t)uio->uio_offset;
		po = off % RUMPFS_PAGE;
		n = MIN(RUMPFS_PAGE - po, uio->uio_resid);
		n = MIN(n, (uint64_t)rn->rn_size - off);
		rumpfs_page(rm, rn, off / RUMPFS_PAGE, RUMPFS_PG_LOOKUP,
		    &page);
		if (page != NULL)
			error = uiomove(page + po, n, uio);
		else
			error = uiomove(__UNCONST(rumpfs_zeroes), n, uio);
		if (error)
			break;
	}
	rw_exit(&rn->rn_lock);
	if (atime)
		rn_set_atime(rn);
	return error;
}

static int
rumpfs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(vp);
	struct rumpfs_node *rn = VTORN(vp);
	struct timespec now;
	uint64_t off;
	size_t n, po, resid = uio->uio_resid, before;
	char *page;
	bool fresh;
	int error = 0;

	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (vfs_isrdonly(vp->v_mount))
		return EROFS;
	rw_enter(&rn->rn_lock, RW_WRITER);
	if (ioflag & IO_APPEND)
		uio->uio_offset = rn->rn_size;
	if (uio->uio_offset < 0) {
		error = EINVAL;
		goto out;
	}
	if (uio->uio_resid > 0 && uio->uio_offset >= RUMPFS_MAXFILESIZE) {
		error = EFBIG;
		goto out;
	}
	while (uio->uio_resid > 0 && uio->uio_offset < RUMPFS_MAXFILESIZE) {
		off = (uint64_t)uio->uio_offset;
		po = off % RUMPFS_PAGE;
		n = MIN(RUMPFS_PAGE - po, uio->uio_resid);
		/*
		 * A new page the write fills need not be zeroed first; if
		 * the copy fails part way, the rest is zeroed after, so that
		 * no stale memory is ever read.
		 */
		fresh = false;
		if (n == RUMPFS_PAGE) {
			rumpfs_page(rm, rn, off / RUMPFS_PAGE, RUMPFS_PG_LOOKUP,
			    &page);
			fresh = page == NULL;
		}
		if ((error = rumpfs_page(rm, rn, off / RUMPFS_PAGE,
		    fresh ? RUMPFS_PG_OVERWRITE : RUMPFS_PG_ALLOC,
		    &page)) != 0)
			break;
		before = uio->uio_resid;
		error = uiomove(page + po, n, uio);
		if (error && fresh)
			memset(page + (before - uio->uio_resid), 0,
			    RUMPFS_PAGE - (before - uio->uio_resid));
		if (uio->uio_offset > rn->rn_size)
			rn->rn_size = uio->uio_offset;
		if (error)
			break;
	}
	if (uio->uio_resid != resid) {
		rumpfs_gettime(&now);
		rn->rn_mtime = rn->rn_ctime = now;
		/* A write by other than root drops the set-id bits. */
		if (cred != NULL && !kauth_cred_issuser(cred))
			rn->rn_mode &= ~(mode_t)(S_ISUID | S_ISGID);
	}
out:
	rw_exit(&rn->rn_lock);
	return error;
}

static int
rumpfs_fsync(struct vnode *vp, bool dataonly)
{
	(void)vp;
	(void)dataonly;
	return 0;
}

/*
 * Take vnodes for the node of an entry being removed or replaced, so
 * that its link count changes while a vnode is held (rumpfs.h).
 */
static int
rumpfs_remove(struct vnode *dvp, const char *nm, size_t len, bool isdir,
    kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(dvp);
	struct rumpfs_node *dir = VTORN(dvp), *rn;
	struct rumpfs_dirent *rd;
	struct vnode *vp = NULL;
	int error;

	rw_enter(&rm->rm_nslock, RW_WRITER);
	if ((rd = rumpfs_dir_lookup(rm, dir, nm, len)) == NULL) {
		error = ENOENT;
		goto out;
	}
	rn = rd->rd_node;
	if (isdir && rn->rn_type != VDIR)
		error = ENOTDIR;
	else if (!isdir && rn->rn_type == VDIR)
		error = EISDIR;
	else if ((error = rn_access(dir, VWRITE | VEXEC, cred)) != 0)
		;
	else if (!vsticky_ok(dir->rn_mode, dir->rn_uid, rn->rn_uid, cred))
		error = EPERM;
	else if (isdir && rn->rn_nentries != 0)
		error = ENOTEMPTY;
	if (error || (error = rn_getvnode(dvp, rn, &vp)) != 0)
		goto out;
	rumpfs_dir_detach(dir, rd);
	rumpfs_dirent_free(rm, rd);
	if (isdir) {
		rn_setnlink(rn, 0);
		rn_setnlink(dir, rn_nlink(dir) - 1);
	} else
		rn_setnlink(rn, rn_nlink(rn) - 1);
	rn_touch(rn, false);
	rn_touch(dir, true);
out:
	rw_exit(&rm->rm_nslock);
	if (vp != NULL)
		vrele(vp);
	return error;
}

static int
rumpfs_link(struct vnode *dvp, const char *nm, size_t len, struct vnode *vp,
    kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(dvp);
	struct rumpfs_node *dir = VTORN(dvp), *rn = VTORN(vp);
	struct rumpfs_dirent *rd;
	int error;

	if ((error = rumpfs_dirent_alloc(rm, nm, len, &rd)) != 0)
		return error;
	rw_enter(&rm->rm_nslock, RW_WRITER);
	if (rn_nlink(dir) == 0 || rn_nlink(rn) == 0)
		error = ENOENT;
	else if ((error = rn_access(dir, VWRITE | VEXEC, cred)) != 0)
		;
	else if (rumpfs_dir_lookup(rm, dir, nm, len) != NULL)
		error = EEXIST;
	else if (rn_nlink(rn) >= 65000)
		error = EMLINK;
	if (error == 0) {
		rumpfs_dir_attach(rm, dir, rd, rn);
		rn_setnlink(rn, rn_nlink(rn) + 1);
		rn_touch(rn, false);
		rn_touch(dir, true);
	}
	rw_exit(&rm->rm_nslock);
	if (error)
		rumpfs_dirent_free(rm, rd);
	return error;
}

/* Whether dir is node or below it.  rm_nslock held. */
static bool
rn_isbelow(struct rumpfs_node *dir, struct rumpfs_node *node)
{
	for (; dir != NULL; dir = dir->rn_parent)
		if (dir == node)
			return true;
	return false;
}

static int
rumpfs_rename(struct vnode *fdvp, const char *fnm, size_t flen,
    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(fdvp);
	struct rumpfs_node *fdir = VTORN(fdvp), *tdir = VTORN(tdvp);
	struct rumpfs_node *fn, *tn = NULL;
	struct rumpfs_dirent *frd, *trd, *nrd;
	struct vnode *fvp = NULL, *tvp = NULL;
	int error;

	if ((error = rumpfs_dirent_alloc(rm, tnm, tlen, &nrd)) != 0)
		return error;
	rw_enter(&rm->rm_nslock, RW_WRITER);
	if (rn_nlink(fdir) == 0 || rn_nlink(tdir) == 0 ||
	    (frd = rumpfs_dir_lookup(rm, fdir, fnm, flen)) == NULL) {
		error = ENOENT;
		goto out;
	}
	fn = frd->rd_node;
	trd = rumpfs_dir_lookup(rm, tdir, tnm, tlen);
	if (trd != NULL)
		tn = trd->rd_node;
	if ((error = rn_access(fdir, VWRITE | VEXEC, cred)) != 0 ||
	    (error = rn_access(tdir, VWRITE | VEXEC, cred)) != 0)
		goto out;
	if (!vsticky_ok(fdir->rn_mode, fdir->rn_uid, fn->rn_uid, cred) ||
	    (tn != NULL &&
	    !vsticky_ok(tdir->rn_mode, tdir->rn_uid, tn->rn_uid, cred))) {
		error = EPERM;
		goto out;
	}
	if (tn == fn)
		goto out;               /* the same file: nothing to do */
	if (fn->rn_type == VDIR) {
		if (rn_isbelow(tdir, fn)) {
			error = EINVAL;
			goto out;
		}
		/* Its ".." changes: that takes write permission on it. */
		if (fdir != tdir &&
		    (error = rn_access(fn, VWRITE, cred)) != 0)
			goto out;
		if (tn != NULL && tn->rn_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		if (tn != NULL && tn->rn_nentries != 0) {
			error = ENOTEMPTY;
			goto out;
		}
	} else if (tn != NULL && tn->rn_type == VDIR) {
		error = EISDIR;
		goto out;
	}
	if ((error = rn_getvnode(fdvp, fn, &fvp)) != 0 ||
	    (tn != NULL && (error = rn_getvnode(tdvp, tn, &tvp)) != 0))
		goto out;

	if (tn != NULL) {
		rumpfs_dir_detach(tdir, trd);
		rumpfs_dirent_free(rm, trd);
		if (tn->rn_type == VDIR) {
			rn_setnlink(tn, 0);
			rn_setnlink(tdir, rn_nlink(tdir) - 1);
		} else
			rn_setnlink(tn, rn_nlink(tn) - 1);
		rn_touch(tn, false);
	}
	rumpfs_dir_detach(fdir, frd);
	rumpfs_dirent_free(rm, frd);
	rumpfs_dir_attach(rm, tdir, nrd, fn);
	nrd = NULL;
	if (fn->rn_type == VDIR && fdir != tdir) {
		rn_setnlink(fdir, rn_nlink(fdir) - 1);
		rn_setnlink(tdir, rn_nlink(tdir) + 1);
	}
	rn_touch(fn, false);
	rn_touch(fdir, true);
	if (tdir != fdir)
		rn_touch(tdir, true);
out:
	rw_exit(&rm->rm_nslock);
	if (nrd != NULL)
		rumpfs_dirent_free(rm, nrd);
	if (fvp != NULL)
		vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
	return error;
}

static unsigned char
vtype_to_dt(enum vtype t)
{
	switch (t) {
	case VREG: return DT_REG;
	case VDIR: return DT_DIR;
	case VLNK: return DT_LNK;
	case VCHR: return DT_CHR;
	case VBLK: return DT_BLK;
	case VFIFO: return DT_FIFO;
	case VSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

static int
readdir_emit(struct uio *uio, ino_t ino, uint64_t next, enum vtype type,
    const char *name, size_t len)
{
	return vfs_dirent_emit(uio, ino, next, vtype_to_dt(type), name, len);
}

static int
rumpfs_readdir(struct vnode *vp, struct uio *uio)
{
	struct rumpfs_mount *rm = VTORM(vp);
	struct rumpfs_node *dir = VTORN(vp), *parent;
	struct rumpfs_dirent *rd, *last = NULL;
	uint64_t cookie;
	size_t resid = uio->uio_resid;
	bool atime;
	int error = 0;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	cookie = (uint64_t)uio->uio_offset;
	rw_enter(&dir->rn_lock, RW_READER);
	atime = rn_atime_due(vp, dir, 0);
	rw_exit(&dir->rn_lock);
	rw_enter(&rm->rm_nslock, RW_READER);
	if (rn_nlink(dir) == 0)
		goto out;               /* removed: no entries, not even "." */
	if (cookie == 0) {
		if ((error = readdir_emit(uio, dir->rn_ino, 1, VDIR, ".", 1)))
			goto out;
		cookie = 1;
	}
	if (cookie == 1) {
		parent = dir->rn_parent != NULL ? dir->rn_parent : dir;
		if ((error = readdir_emit(uio, parent->rn_ino, 2, VDIR, "..",
		    2)))
			goto out;
		cookie = 2;
	}
	for (rd = rumpfs_dir_seek(dir, cookie); rd != NULL;
	    rd = TAILQ_NEXT(rd, rd_entries)) {
		if ((error = readdir_emit(uio, rd->rd_node->rn_ino,
		    rd->rd_cookie + 1, rd->rd_node->rn_type, rd->rd_name,
		    rd->rd_namelen)) != 0)
			goto out;
		cookie = rd->rd_cookie + 1;
		last = rd;
	}
	cookie = dir->rn_nextcookie;
out:
	if (last != NULL)
		rumpfs_dir_sethint(dir, last);
	rw_exit(&rm->rm_nslock);
	if (atime)
		rn_set_atime(dir);
	if (error == EJUSTRETURN)
		error = uio->uio_resid == resid ? EINVAL : 0;
	uio->uio_offset = (off_t)cookie;
	return error;
}

static int
rumpfs_readlink(struct vnode *vp, struct uio *uio)
{
	struct rumpfs_node *rn = VTORN(vp);

	if (vp->v_type != VLNK)
		return EINVAL;
	return uiomove(rn->rn_target, MIN(rn->rn_targetlen, uio->uio_resid),
	    uio);
}

static int
rumpfs_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	struct rumpfs_node *rn = VTORN(vp);
	uint64_t idx, off = (uint64_t)*offp;
	int error = 0;

	rw_enter(&rn->rn_lock, RW_READER);
	if (*offp >= rn->rn_size) {
		error = ENXIO;
	} else if (whence == SEEK_DATA) {
		idx = rumpfs_page_find(rn, off / RUMPFS_PAGE, true);
		if (idx == UINT64_MAX ||
		    idx * RUMPFS_PAGE >= (uint64_t)rn->rn_size)
			error = ENXIO;
		else
			*offp = (off_t)MAX(off, idx * RUMPFS_PAGE);
	} else {
		idx = rumpfs_page_find(rn, off / RUMPFS_PAGE, false);
		*offp = (off_t)MIN(MAX(off, idx * RUMPFS_PAGE),
		    (uint64_t)rn->rn_size);
	}
	rw_exit(&rn->rn_lock);
	return error;
}

/*
 * fallocate: allocation (mode 0, KEEP_SIZE) gives each absent page of
 * the range a zeroed page, charged to the mount (ENOSPC past its limit,
 * the pages already given kept, the size unchanged); PUNCH_HOLE frees
 * the whole pages of the range and zeroes the parts of the pages at its
 * ends; ZERO_RANGE zeroes the range, every page of it present after.
 * Other modes are EOPNOTSUPP.
 */
static int
rumpfs_fallocate(struct vnode *vp, int mode, off_t off, off_t len)
{
	struct rumpfs_mount *rm = VTORM(vp);
	struct rumpfs_node *rn = VTORN(vp);
	uint64_t start = (uint64_t)off, end = (uint64_t)off + (uint64_t)len;
	uint64_t idx, po, n;
	struct timespec now;
	bool punch = false;
	char *page;
	int error = 0;

	switch (mode & ~FALLOC_FL_KEEP_SIZE) {
	case FALLOC_FL_PUNCH_HOLE:
		punch = true;
		break;
	case 0:
	case FALLOC_FL_ZERO_RANGE:
		break;
	default:
		return EOPNOTSUPP;
	}
	if (end > RUMPFS_MAXFILESIZE)
		return EFBIG;
	rw_enter(&rn->rn_lock, RW_WRITER);
	if (punch)
		rumpfs_punch(rm, rn, howmany(start, RUMPFS_PAGE),
		    end / RUMPFS_PAGE);
	for (uint64_t o = start; o < end && error == 0; o += n) {
		idx = o / RUMPFS_PAGE;
		po = o % RUMPFS_PAGE;
		n = MIN(RUMPFS_PAGE - po, end - o);
		if (mode == 0 || mode == FALLOC_FL_KEEP_SIZE) {
			error = rumpfs_page(rm, rn, idx, RUMPFS_PG_ALLOC,
			    &page);
			n = RUMPFS_PAGE - po;
			continue;
		}
		if ((error = rumpfs_page(rm, rn, idx, punch ?
		    RUMPFS_PG_LOOKUP : RUMPFS_PG_ALLOC, &page)) == 0 &&
		    page != NULL)
			memset(page + po, 0, n);
	}
	if (error == 0 && !(mode & FALLOC_FL_KEEP_SIZE) &&
	    end > (uint64_t)rn->rn_size)
		rn->rn_size = (off_t)end;
	if (error == 0) {
		rumpfs_gettime(&now);
		rn->rn_mtime = rn->rn_ctime = now;
	}
	rw_exit(&rn->rn_lock);
	return error;
}

static int
rumpfs_inactive(struct vnode *vp, bool *recycle)
{
	*recycle = rn_nlink(VTORN(vp)) == 0;
	return 0;
}

static int
rumpfs_reclaim(struct vnode *vp)
{
	struct rumpfs_node *rn = VTORN(vp);

	if (rn_nlink(rn) == 0)
		rumpfs_node_free(VTORM(vp), rn);
	vp->v_data = NULL;
	return 0;
}

const struct vnodeops rumpfs_vnodeops = {
	.vop_lookup = rumpfs_lookup,
	.vop_create = rumpfs_create,
	.vop_symlink = rumpfs_symlink,
	.vop_open = rumpfs_open,
	.vop_close = rumpfs_close,
	.vop_access = rumpfs_access,
	.vop_getattr = rumpfs_getattr,
	.vop_setattr = rumpfs_setattr,
	.vop_read = rumpfs_read,
	.vop_write = rumpfs_write,
	.vop_fsync = rumpfs_fsync,
	.vop_remove = rumpfs_remove,
	.vop_link = rumpfs_link,
	.vop_rename = rumpfs_rename,
	.vop_readdir = rumpfs_readdir,
	.vop_readlink = rumpfs_readlink,
	.vop_seekdata = rumpfs_seekdata,
	.vop_fallocate = rumpfs_fallocate,
	.vop_inactive = rumpfs_inactive,
	.vop_reclaim = rumpfs_reclaim,
};
