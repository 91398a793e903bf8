/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The vnode-level client interface (<rump/rump.h>, rump(3)): lookups
 * that hand out vnodes, componentnames, credentials, attributes and uios
 * made by the client, and the helpers behind the generated RUMP_VOP_*
 * wrappers (rumpvnode_if.list).  This is where the original's shape of a
 * vnode operation (a componentname, a vattr) meets ours (a checked name
 * and length, VOP_* of sys/vnode.h).
 *
 * Every object made here belongs to the client until it frees it; the
 * kernel holds no pointer to one after a call returns.  Names from a
 * client are checked here, as namei checks a path's components, before
 * any file system sees them, and an operation that changes a file system
 * counts itself a writer of its mount for its duration (vfs_writer_enter:
 * EROFS on a read-only mount, and no remount to read-only under it), as
 * the system calls do.
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rump/rump.h>

#include "vfs_private.h"
#include "vfs_pub.h"

/* The names of a componentname that a directory operation may take. */
static int
vpub_name_ok(const struct componentname *cnp, bool dots_ok)
{
	if (cnp == NULL)
		return EINVAL;
	if (cnp->cn_namelen == 0)
		return ENOENT;
	if (cnp->cn_namelen > NAME_MAX)
		return ENAMETOOLONG;
	if (memchr(cnp->cn_name, '/', cnp->cn_namelen) != NULL ||
	    strlen(cnp->cn_name) != cnp->cn_namelen)
		return EINVAL;
	if (!dots_ok && cnp->cn_name[0] == '.' &&
	    (cnp->cn_namelen == 1 ||
	     (cnp->cn_namelen == 2 && cnp->cn_name[1] == '.')))
		return EINVAL;
	return 0;
}

/* Run a changing operation as a writer of mp; its result. */
#define VPUB_WRITE(mp, expr)                                                   \
	do {                                                                   \
		struct mount *mp_ = (mp);                                      \
		int error_;                                                    \
		if ((error_ = vfs_writer_enter(mp_)) != 0)                     \
			return error_;                                         \
		error_ = (expr);                                               \
		vfs_writer_exit(mp_);                                          \
		return error_;                                                 \
	} while (0)

int
vpub_lookup(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{
	int error;

	if ((error = vpub_name_ok(cnp, true)) != 0)
		return error;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if ((error = VOP_ACCESS(dvp, VEXEC, cnp->cn_cred)) != 0)
		return error;
	if (cnp->cn_namelen == 1 && cnp->cn_name[0] == '.') {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	return VOP_LOOKUP(dvp, cnp->cn_name, cnp->cn_namelen, vpp);
}

int
vpub_create(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap, enum vtype type)
{
	struct vattr va;
	int error;

	if ((error = vpub_name_ok(cnp, false)) != 0)
		return error;
	if (vap == NULL)
		return EINVAL;
	va = *vap;
	if (type != VNON)
		va.va_type = type;
	if (va.va_type == VNON || va.va_type == VLNK || va.va_type == VBAD)
		return EINVAL;
	if ((va.va_type == VCHR || va.va_type == VBLK) &&
	    !kauth_cred_issuser(cnp->cn_cred))
		return EPERM;
	va.va_mode &= ALLPERMS;
	VPUB_WRITE(dvp->v_mount, VOP_CREATE(dvp, cnp->cn_name, cnp->cn_namelen,
	    &va, cnp->cn_cred, vpp));
}

int
vpub_symlink(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap, char *target)
{
	struct vattr va;
	int error;

	if ((error = vpub_name_ok(cnp, false)) != 0)
		return error;
	if (vap == NULL || target == NULL)
		return EINVAL;
	va = *vap;
	va.va_type = VLNK;
	va.va_mode &= ALLPERMS;
	VPUB_WRITE(dvp->v_mount, VOP_SYMLINK(dvp, cnp->cn_name,
	    cnp->cn_namelen, &va, target, cnp->cn_cred, vpp));
}

int
vpub_getattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	(void)cred;
	return VOP_GETATTR(vp, vap);
}

int
vpub_setattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	if (vap == NULL)
		return EINVAL;
	VPUB_WRITE(vp->v_mount, VOP_SETATTR(vp, vap, cred));
}

int
vpub_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	if (vp->v_type == VDIR)
		return EISDIR;
	VPUB_WRITE(vp->v_mount, VOP_WRITE(vp, uio, ioflag, cred));
}

int
vpub_fsync(struct vnode *vp, kauth_cred_t cred, int flags, off_t offlo,
    off_t offhi)
{
	(void)cred, (void)offlo, (void)offhi;
	return VOP_FSYNC(vp, (flags & RUMP_FSYNC_DATAONLY) != 0);
}

int
vpub_remove(struct vnode *dvp, struct vnode *vp, struct componentname *cnp,
    bool isdir)
{
	int error;

	(void)vp;
	if ((error = vpub_name_ok(cnp, false)) != 0)
		return error;
	VPUB_WRITE(dvp->v_mount, VOP_REMOVE(dvp, cnp->cn_name, cnp->cn_namelen,
	    isdir, cnp->cn_cred));
}

int
vpub_link(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	int error;

	if ((error = vpub_name_ok(cnp, false)) != 0)
		return error;
	if (dvp->v_mount != vp->v_mount)
		return EXDEV;
	if (vp->v_type == VDIR)
		return EPERM;
	VPUB_WRITE(dvp->v_mount, VOP_LINK(dvp, cnp->cn_name, cnp->cn_namelen,
	    vp, cnp->cn_cred));
}

int
vpub_rename(struct vnode *fdvp, struct vnode *fvp, struct componentname *fcnp,
    struct vnode *tdvp, struct vnode *tvp, struct componentname *tcnp)
{
	int error;

	(void)fvp, (void)tvp;
	if ((error = vpub_name_ok(fcnp, false)) != 0 ||
	    (error = vpub_name_ok(tcnp, false)) != 0)
		return error;
	if (fdvp->v_mount != tdvp->v_mount)
		return EXDEV;
	VPUB_WRITE(fdvp->v_mount, VOP_RENAME(fdvp, fcnp->cn_name,
	    fcnp->cn_namelen, tdvp, tcnp->cn_name, tcnp->cn_namelen,
	    fcnp->cn_cred));
}

/*
 * Our records are Linux dirent64s, whose d_off is the cookie of the next
 * one: no cookie array is made.  End of directory: nothing was read.
 */
int
vpub_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag, off_t **cookies, int *ncookies)
{
	size_t resid = uio->uio_resid;
	int error;

	(void)cred;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (cookies != NULL)
		*cookies = NULL;
	if (ncookies != NULL)
		*ncookies = 0;
	error = VOP_READDIR(vp, uio);
	if (error == 0 && eofflag != NULL)
		*eofflag = uio->uio_resid == resid;
	return error;
}

int
vpub_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	(void)cred;
	if (vp->v_type != VLNK)
		return EINVAL;
	return VOP_READLINK(vp, uio);
}

struct componentname *
rump_pub_makecn(unsigned long nameiop, unsigned long flags, const char *name,
    size_t namelen, struct kauth_cred *cred, struct lwp *l)
{
	struct componentname *cnp;

	(void)l;
	if (name == NULL || namelen >= PATH_MAX)
		return NULL;
	rump_schedule();
	cnp = kmem_alloc(sizeof(*cnp) + namelen + 1, KM_SLEEP);
	if (cnp != NULL) {
		cnp->cn_nameiop = nameiop;
		cnp->cn_flags = flags;
		cnp->cn_cred = cred;
		cnp->cn_namelen = namelen;
		memcpy(cnp->cn_name, name, namelen);
		cnp->cn_name[namelen] = '\0';
	}
	rump_unschedule();
	return cnp;
}

void
rump_pub_freecn(struct componentname *cnp, int flags)
{
	if (cnp == NULL)
		return;
	rump_schedule();
	if ((flags & RUMPCN_FREECRED) && cnp->cn_cred != NULL)
		kauth_cred_free(cnp->cn_cred);
	kmem_free(cnp, sizeof(*cnp) + cnp->cn_namelen + 1);
	rump_unschedule();
}

int
rump_pub_namei(uint32_t op, uint32_t flags, const char *path,
    struct vnode **dvpp, struct vnode **vpp, struct componentname **cnpp)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path };
	struct componentname *cnp = NULL;
	kauth_cred_t cred;
	int error;

	if (path == NULL || op > RUMP_NAMEI_RENAME ||
	    (flags & ~(uint32_t)(RUMP_NAMEI_FOLLOW | RUMP_NAMEI_LOCKLEAF |
	    RUMP_NAMEI_LOCKPARENT)) != 0)
		return EINVAL;
	if (flags & RUMP_NAMEI_FOLLOW)
		nd.ni_flags |= NI_FOLLOW;
	if (dvpp != NULL || cnpp != NULL || op != RUMP_NAMEI_LOOKUP)
		nd.ni_flags |= NI_WANTPARENT;
	rump_schedule();
	if ((error = namei(&nd)) != 0)
		goto out;
	if (nd.ni_vp == NULL &&
	    (op == RUMP_NAMEI_LOOKUP || op == RUMP_NAMEI_DELETE)) {
		error = ENOENT;
		goto out;
	}
	if (cnpp != NULL) {
		cred = kauth_cred_get();
		kauth_cred_hold(cred);
		cnp = kmem_alloc(sizeof(*cnp) + nd.ni_namelen + 1, KM_SLEEP);
		if (cnp == NULL) {
			kauth_cred_free(cred);
			error = ENOMEM;
			goto out;
		}
		cnp->cn_nameiop = op;
		cnp->cn_flags = flags;
		cnp->cn_cred = cred;
		cnp->cn_namelen = nd.ni_namelen;
		memcpy(cnp->cn_name, nd.ni_name, nd.ni_namelen);
		cnp->cn_name[nd.ni_namelen] = '\0';
		*cnpp = cnp;
	}
	if (dvpp != NULL) {
		*dvpp = nd.ni_dvp;
		nd.ni_dvp = NULL;
	}
	if (vpp != NULL) {
		*vpp = nd.ni_vp;
		nd.ni_vp = NULL;
	}
out:
	namei_done(&nd);
	rump_unschedule();
	return error;
}

int
rump_pub_vfs_getmp(const char *path, struct mount **mpp)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path,
		.ni_flags = NI_FOLLOW };
	int error;

	if (path == NULL || mpp == NULL)
		return EINVAL;
	rump_schedule();
	if ((error = namei(&nd)) == 0) {
		*mpp = nd.ni_vp->v_mount;
		namei_done(&nd);
	}
	rump_unschedule();
	return error;
}

struct kauth_cred *
rump_pub_cred_create(uid_t uid, gid_t gid, size_t ngroups, gid_t *groups)
{
	kauth_cred_t cred;

	if (ngroups > NGROUPS || (ngroups > 0 && groups == NULL))
		return NULL;
	rump_schedule();
	if ((cred = kauth_cred_alloc()) != NULL) {
		cred->cr_uid = cred->cr_euid = cred->cr_svuid = uid;
		cred->cr_gid = cred->cr_egid = cred->cr_svgid = gid;
		cred->cr_ngroups = (unsigned)ngroups;
		for (size_t i = 0; i < ngroups; i++)
			cred->cr_groups[i] = groups[i];
	}
	rump_unschedule();
	return cred;
}

void
rump_pub_cred_put(struct kauth_cred *cred)
{
	if (cred == NULL)
		return;
	rump_schedule();
	kauth_cred_free(cred);
	rump_unschedule();
}

void
rump_pub_vp_incref(struct vnode *vp)
{
	rump_schedule();
	vref(vp);
	rump_unschedule();
}

void
rump_pub_vp_rele(struct vnode *vp)
{
	rump_schedule();
	vrele(vp);
	rump_unschedule();
}

struct vattr *
rump_pub_vattr_init(void)
{
	struct vattr *va;

	rump_schedule();
	va = kmem_zalloc(sizeof(*va), KM_SLEEP);
	rump_unschedule();
	return va;
}

void
rump_pub_vattr_settype(struct vattr *va, enum rump_vtype type)
{
	va->va_type = (enum vtype)type;
}

void
rump_pub_vattr_setmode(struct vattr *va, mode_t mode)
{
	va->va_mode = mode;
	va->va_mask |= VA_MODE;
}

void
rump_pub_vattr_setrdev(struct vattr *va, dev_t rdev)
{
	va->va_rdev = rdev;
}

void
rump_pub_vattr_free(struct vattr *va)
{
	if (va == NULL)
		return;
	rump_schedule();
	kmem_free(va, sizeof(*va));
	rump_unschedule();
}

void
rump_pub_getvninfo(struct vnode *vp, enum rump_vtype *typep, off_t *sizep,
    dev_t *rdevp)
{
	struct vattr va;

	rump_schedule();
	if (VOP_GETATTR(vp, &va) != 0) {
		va.va_size = 0;
		va.va_rdev = 0;
	}
	rump_unschedule();
	if (typep != NULL)
		*typep = (enum rump_vtype)vp->v_type;
	if (sizep != NULL)
		*sizep = va.va_size;
	if (rdevp != NULL)
		*rdevp = vp->v_rdev;
}

/* A uio and its one segment, allocated together. */
struct pub_uio {
	struct uio pu_uio;
	struct iovec pu_iov;
};

struct uio *
rump_pub_uio_setup(void *buf, size_t bufsize, off_t off, enum rump_uiorw rw)
{
	struct pub_uio *pu;

	rump_schedule();
	pu = kmem_zalloc(sizeof(*pu), KM_SLEEP);
	rump_unschedule();
	if (pu == NULL)
		return NULL;
	pu->pu_iov.iov_base = buf;
	pu->pu_iov.iov_len = bufsize;
	pu->pu_uio.uio_iov = &pu->pu_iov;
	pu->pu_uio.uio_iovcnt = 1;
	pu->pu_uio.uio_offset = off;
	pu->pu_uio.uio_resid = bufsize;
	pu->pu_uio.uio_rw = rw == RUMPUIO_READ ? UIO_READ : UIO_WRITE;
	return &pu->pu_uio;
}

size_t
rump_pub_uio_getresid(struct uio *uio)
{
	return uio->uio_resid;
}

off_t
rump_pub_uio_getoff(struct uio *uio)
{
	return uio->uio_offset;
}

size_t
rump_pub_uio_free(struct uio *uio)
{
	size_t resid = uio->uio_resid;

	rump_schedule();
	kmem_free(uio, sizeof(struct pub_uio));
	rump_unschedule();
	return resid;
}
