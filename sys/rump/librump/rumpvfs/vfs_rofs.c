/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Vnode operations shared by file systems that are mounted read-only
 * (ffs and ext2fs so far): the ones with nothing to do, and the ones that
 * would change the file system, which refuse with EROFS.  The VFS already
 * refuses changes to a read-only mount before calling down; these are
 * the file system's own answer should a call get through.
 */
#include <sys/systm.h>
#include <sys/vnode.h>

int
genfs_nullop_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	(void)vp, (void)fflag, (void)cred;
	return 0;
}

int
genfs_nullop_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	(void)vp, (void)fflag, (void)cred;
	return 0;
}

/* Nothing is ever dirty. */
int
genfs_nullop_fsync(struct vnode *vp, bool dataonly)
{
	(void)vp, (void)dataonly;
	return 0;
}

/* Keep the vnode cached after its last reference. */
int
genfs_inactive_keep(struct vnode *vp, bool *recycle)
{
	(void)vp;
	*recycle = false;
	return 0;
}

int
genfs_rofs_create(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct vnode **vpp)
{
	(void)dvp, (void)nm, (void)len, (void)va, (void)cred, (void)vpp;
	return EROFS;
}

int
genfs_rofs_symlink(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	(void)dvp, (void)nm, (void)len, (void)va, (void)target, (void)cred;
	(void)vpp;
	return EROFS;
}

int
genfs_rofs_setattr(struct vnode *vp, const struct vattr *va,
    kauth_cred_t cred)
{
	(void)vp, (void)va, (void)cred;
	return EROFS;
}

int
genfs_rofs_write(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	(void)vp, (void)uio, (void)ioflag, (void)cred;
	return EROFS;
}

int
genfs_rofs_remove(struct vnode *dvp, const char *nm, size_t len, bool isdir,
    kauth_cred_t cred)
{
	(void)dvp, (void)nm, (void)len, (void)isdir, (void)cred;
	return EROFS;
}

int
genfs_rofs_link(struct vnode *dvp, const char *nm, size_t len,
    struct vnode *vp, kauth_cred_t cred)
{
	(void)dvp, (void)nm, (void)len, (void)vp, (void)cred;
	return EROFS;
}

int
genfs_rofs_rename(struct vnode *fdvp, const char *fnm, size_t flen,
    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t cred)
{
	(void)fdvp, (void)fnm, (void)flen, (void)tdvp, (void)tnm, (void)tlen;
	(void)cred;
	return EROFS;
}
