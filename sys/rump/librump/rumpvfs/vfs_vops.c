/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The way into a file system's vnode operations, and out again when it
 * is forcibly unmounted.
 *
 * Every VOP_* call passes its mount's gate: it counts itself in
 * mnt_inflight, then looks at mnt_revoked.  A forced unmount sets
 * mnt_revoked, then waits until mnt_inflight is zero (vfs_revoke_drain).
 * Both sides use sequentially consistent operations, so either the call
 * sees the flag and turns back, or the unmount sees the call and waits
 * for it: once drained, no thread is inside the file system and none
 * will enter it.  A call turned back runs the dead vnode's operation
 * instead.
 *
 * A revoked vnode (vrevoke_mount, vfs_vnode.c) keeps its identity for the
 * descriptors, directories and lock waiters that still hold it, and
 * behaves as the dead operations below say: I/O and every name or
 * attribute operation fail with EIO, as Linux does for files of a file
 * system that was shut down under them; close succeeds, and the last
 * reference frees it.
 *
 * The calls that change names keep the name cache right (vfs_cache.c):
 * the names they touch go out of it before and after the file system is
 * called, and what create, symlink and link made goes in.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/vnode.h>

#include "vfs_private.h"

static int
dead_eio(void)
{
	return EIO;
}

static int
dead_lookup(struct vnode *dvp, const char *nm, size_t len,
    struct vnode **vpp)
{
	(void)dvp, (void)nm, (void)len, (void)vpp;
	return dead_eio();
}

static int
dead_create(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct vnode **vpp)
{
	(void)dvp, (void)nm, (void)len, (void)va, (void)cred, (void)vpp;
	return dead_eio();
}

static int
dead_symlink(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	(void)dvp, (void)nm, (void)len, (void)va, (void)target, (void)cred;
	(void)vpp;
	return dead_eio();
}

static int
dead_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	(void)vp, (void)fflag, (void)cred;
	return dead_eio();
}

/* Closing a revoked file is fine: there is nothing left to release. */
static int
dead_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	(void)vp, (void)fflag, (void)cred;
	return 0;
}

static int
dead_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	(void)vp, (void)mode, (void)cred;
	return dead_eio();
}

static int
dead_getattr(struct vnode *vp, struct vattr *va)
{
	(void)vp, (void)va;
	return dead_eio();
}

static int
dead_setattr(struct vnode *vp, const struct vattr *va, kauth_cred_t cred)
{
	(void)vp, (void)va, (void)cred;
	return dead_eio();
}

static int
dead_rdwr(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	(void)vp, (void)uio, (void)ioflag, (void)cred;
	return dead_eio();
}

static int
dead_fsync(struct vnode *vp, bool dataonly)
{
	(void)vp, (void)dataonly;
	return dead_eio();
}

static int
dead_remove(struct vnode *dvp, const char *nm, size_t len, bool isdir,
    kauth_cred_t cred)
{
	(void)dvp, (void)nm, (void)len, (void)isdir, (void)cred;
	return dead_eio();
}

static int
dead_link(struct vnode *dvp, const char *nm, size_t len, struct vnode *vp,
    kauth_cred_t cred)
{
	(void)dvp, (void)nm, (void)len, (void)vp, (void)cred;
	return dead_eio();
}

static int
dead_rename(struct vnode *fdvp, const char *fnm, size_t flen,
    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t cred)
{
	(void)fdvp, (void)fnm, (void)flen, (void)tdvp, (void)tnm, (void)tlen;
	(void)cred;
	return dead_eio();
}

static int
dead_uio(struct vnode *vp, struct uio *uio)
{
	(void)vp, (void)uio;
	return dead_eio();
}

static int
dead_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	(void)vp, (void)whence, (void)offp;
	return dead_eio();
}

static int
dead_fallocate(struct vnode *vp, int mode, off_t off, off_t len)
{
	(void)vp, (void)mode, (void)off, (void)len;
	return dead_eio();
}

static int
dead_getxattr(struct vnode *vp, const char *name, void *buf, size_t *lenp)
{
	(void)vp, (void)name, (void)buf, (void)lenp;
	return dead_eio();
}

static int
dead_setxattr(struct vnode *vp, const char *name, const void *val,
    size_t len, int flags, kauth_cred_t cred)
{
	(void)vp, (void)name, (void)val, (void)len, (void)flags, (void)cred;
	return dead_eio();
}

static int
dead_listxattr(struct vnode *vp, char *buf, size_t *lenp)
{
	(void)vp, (void)buf, (void)lenp;
	return dead_eio();
}

static int
dead_removexattr(struct vnode *vp, const char *name, kauth_cred_t cred)
{
	(void)vp, (void)name, (void)cred;
	return dead_eio();
}

/* Nothing to keep a revoked vnode cached for. */
static int
dead_inactive(struct vnode *vp, bool *recycle)
{
	(void)vp;
	*recycle = true;
	return 0;
}

static int
dead_reclaim(struct vnode *vp)
{
	(void)vp;
	return 0;
}

/* Block I/O on a revoked vnode completes at once, failed. */
static void
dead_strategy(struct vnode *vp, struct buf *bp)
{
	(void)vp;
	bp->b_error = EIO;
	bp->b_resid = bp->b_bcount;
	biodone(bp);
}

const struct vnodeops dead_vnodeops = {
	.vop_lookup = dead_lookup,
	.vop_create = dead_create,
	.vop_symlink = dead_symlink,
	.vop_open = dead_open,
	.vop_close = dead_close,
	.vop_access = dead_access,
	.vop_getattr = dead_getattr,
	.vop_setattr = dead_setattr,
	.vop_read = dead_rdwr,
	.vop_write = dead_rdwr,
	.vop_fsync = dead_fsync,
	.vop_remove = dead_remove,
	.vop_link = dead_link,
	.vop_rename = dead_rename,
	.vop_readdir = dead_uio,
	.vop_readlink = dead_uio,
	.vop_seekdata = dead_seekdata,
	.vop_fallocate = dead_fallocate,
	.vop_inactive = dead_inactive,
	.vop_reclaim = dead_reclaim,
	.vop_strategy = dead_strategy,
	.vop_getxattr = dead_getxattr,
	.vop_setxattr = dead_setxattr,
	.vop_listxattr = dead_listxattr,
	.vop_removexattr = dead_removexattr,
};

bool
vfs_op_enter(struct mount *mp)
{
	atomic_inc_uint(&mp->mnt_inflight);
	if (__predict_true(!__atomic_load_n(&mp->mnt_revoked,
	    __ATOMIC_SEQ_CST)))
		return true;
	vfs_op_exit(mp);
	return false;
}

void
vfs_op_exit(struct mount *mp)
{
	if (atomic_dec_uint_nv(&mp->mnt_inflight) == 0 &&
	    __atomic_load_n(&mp->mnt_revoked, __ATOMIC_SEQ_CST)) {
		mutex_enter(&mp->mnt_drainlock);
		cv_broadcast(&mp->mnt_draincv);
		mutex_exit(&mp->mnt_drainlock);
	}
}

void
vfs_revoke_drain(struct mount *mp)
{
	__atomic_store_n(&mp->mnt_revoked, true, __ATOMIC_SEQ_CST);
	mutex_enter(&mp->mnt_drainlock);
	while (__atomic_load_n(&mp->mnt_inflight, __ATOMIC_SEQ_CST) != 0)
		cv_wait(&mp->mnt_draincv, &mp->mnt_drainlock);
	mutex_exit(&mp->mnt_drainlock);
}

/*
 * The operations table for one call: the file system's, entered, or
 * the dead one.  A call that got the file system's ends with
 * vfs_op_exit() of the mount it entered, remembered: the vnode may be
 * gone by then (a strategy call's buffer is written and released, and
 * the vnode reclaimed, before the call returns).
 */
#define VOP_BEGIN(vp, ops)                                              \
	struct mount *ops##_mp = (vp)->v_mount;                          \
	const struct vnodeops *ops = vfs_op_enter(ops##_mp) ?            \
	    (vp)->v_op : &dead_vnodeops
#define VOP_END(vp, ops)                                                \
	do {                                                            \
		if ((ops) != &dead_vnodeops)                            \
			vfs_op_exit(ops##_mp);                          \
	} while (0)

int
VOP_LOOKUP(struct vnode *dvp, const char *nm, size_t len, struct vnode **vpp)
{
	VOP_BEGIN(dvp, ops);
	int error = ops->vop_lookup(dvp, nm, len, vpp);

	VOP_END(dvp, ops);
	return error;
}

int
VOP_CREATE(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct vnode **vpp)
{
	uint64_t gen = ncache_change_begin(dvp, nm, len);
	VOP_BEGIN(dvp, ops);
	int error = ops->vop_create(dvp, nm, len, va, cred, vpp);

	VOP_END(dvp, ops);
	ncache_change_end(dvp, nm, len, error == 0 ? *vpp : NULL, gen);
	return error;
}

int
VOP_SYMLINK(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	uint64_t gen = ncache_change_begin(dvp, nm, len);
	VOP_BEGIN(dvp, ops);
	int error = ops->vop_symlink(dvp, nm, len, va, target, cred, vpp);

	VOP_END(dvp, ops);
	ncache_change_end(dvp, nm, len, error == 0 ? *vpp : NULL, gen);
	return error;
}

int
VOP_OPEN(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_open(vp, fflag, cred);

	VOP_END(vp, ops);
	return error;
}

int
VOP_CLOSE(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_close(vp, fflag, cred);

	VOP_END(vp, ops);
	return error;
}

int
VOP_ACCESS(struct vnode *vp, int mode, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_access(vp, mode, cred);

	VOP_END(vp, ops);
	return error;
}

int
VOP_GETATTR(struct vnode *vp, struct vattr *va)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_getattr(vp, va);

	VOP_END(vp, ops);
	return error;
}

int
VOP_SETATTR(struct vnode *vp, const struct vattr *va, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_setattr(vp, va, cred);

	VOP_END(vp, ops);
	return error;
}

int
VOP_READ(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_read(vp, uio, ioflag, cred);

	VOP_END(vp, ops);
	return error;
}

int
VOP_WRITE(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_write(vp, uio, ioflag, cred);

	VOP_END(vp, ops);
	return error;
}

int
VOP_FSYNC(struct vnode *vp, bool dataonly)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_fsync(vp, dataonly);

	VOP_END(vp, ops);
	return error;
}

int
VOP_REMOVE(struct vnode *dvp, const char *nm, size_t len, bool isdir,
    kauth_cred_t cred)
{
	uint64_t gen = ncache_change_begin(dvp, nm, len);
	VOP_BEGIN(dvp, ops);
	int error = ops->vop_remove(dvp, nm, len, isdir, cred);

	VOP_END(dvp, ops);
	ncache_change_end(dvp, nm, len, NULL, gen);
	return error;
}

int
VOP_LINK(struct vnode *dvp, const char *nm, size_t len, struct vnode *vp,
    kauth_cred_t cred)
{
	uint64_t gen = ncache_change_begin(dvp, nm, len);
	VOP_BEGIN(dvp, ops);
	int error = ops->vop_link(dvp, nm, len, vp, cred);

	VOP_END(dvp, ops);
	ncache_change_end(dvp, nm, len, error == 0 ? vp : NULL, gen);
	return error;
}

int
VOP_RENAME(struct vnode *fdvp, const char *fnm, size_t flen,
    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t cred)
{
	uint64_t fgen = ncache_change_begin(fdvp, fnm, flen);
	uint64_t tgen = ncache_change_begin(tdvp, tnm, tlen);
	VOP_BEGIN(fdvp, ops);
	int error = ops->vop_rename(fdvp, fnm, flen, tdvp, tnm, tlen, cred);

	VOP_END(fdvp, ops);
	ncache_change_end(tdvp, tnm, tlen, NULL, tgen);
	ncache_change_end(fdvp, fnm, flen, NULL, fgen);
	return error;
}

int
VOP_READDIR(struct vnode *vp, struct uio *uio)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_readdir(vp, uio);

	VOP_END(vp, ops);
	return error;
}

int
VOP_READLINK(struct vnode *vp, struct uio *uio)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_readlink(vp, uio);

	VOP_END(vp, ops);
	return error;
}

int
VOP_SEEKDATA(struct vnode *vp, int whence, off_t *offp)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_seekdata(vp, whence, offp);

	VOP_END(vp, ops);
	return error;
}

/* A file system without the operation has none of its modes. */
int
VOP_FALLOCATE(struct vnode *vp, int mode, off_t off, off_t len)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_fallocate == NULL ? EOPNOTSUPP :
	    ops->vop_fallocate(vp, mode, off, len);

	VOP_END(vp, ops);
	return error;
}

int
VOP_INACTIVE(struct vnode *vp, bool *recycle)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_inactive(vp, recycle);

	VOP_END(vp, ops);
	return error;
}

/*
 * Start block I/O.  The gate covers issuing the request only: completion
 * comes later through biodone(), as with any device.
 */
void
VOP_STRATEGY(struct vnode *vp, struct buf *bp)
{
	VOP_BEGIN(vp, ops);
	ops->vop_strategy(vp, bp);
	VOP_END(vp, ops);
}

/* The attribute calls: EOPNOTSUPP where the file system has none. */
int
VOP_GETXATTR(struct vnode *vp, const char *name, void *buf, size_t *lenp)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_getxattr != NULL ?
	    ops->vop_getxattr(vp, name, buf, lenp) : EOPNOTSUPP;

	VOP_END(vp, ops);
	return error;
}

int
VOP_SETXATTR(struct vnode *vp, const char *name, const void *val,
    size_t len, int flags, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_setxattr != NULL ?
	    ops->vop_setxattr(vp, name, val, len, flags, cred) : EOPNOTSUPP;

	VOP_END(vp, ops);
	return error;
}

int
VOP_LISTXATTR(struct vnode *vp, char *buf, size_t *lenp)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_listxattr != NULL ?
	    ops->vop_listxattr(vp, buf, lenp) : EOPNOTSUPP;

	VOP_END(vp, ops);
	return error;
}

int
VOP_REMOVEXATTR(struct vnode *vp, const char *name, kauth_cred_t cred)
{
	VOP_BEGIN(vp, ops);
	int error = ops->vop_removexattr != NULL ?
	    ops->vop_removexattr(vp, name, cred) : EOPNOTSUPP;

	VOP_END(vp, ops);
	return error;
}
