/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The path and file system calls: the client's arguments are checked
 * and copied here, names are resolved by namei, and the change itself is
 * one vnode operation, which the file system performs atomically.  Each
 * call and its *at variant share one function taking a directory
 * descriptor.  The errno choices are Linux's where POSIX leaves a choice
 * (EBUSY for renaming "." or "..", EISDIR for unlinking a directory,
 * EPERM for linking one).  Mount and statvfs calls are in vfs_mount.c,
 * directory changes in vfs_cwd.c.
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "syscallargs.h"
#include "vfs_private.h"

#define UTIME_NOW  ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

static mode_t
vfs_umask(void)
{
	struct proc *p = curproc;
	mode_t m;

	mutex_enter(&p->p_lock);
	m = p->p_cwdi->cwdi_cmask;
	mutex_exit(&p->p_lock);
	return m;
}

/* open, openat */
static int
do_open(int dirfd, const char *path, int flags, mode_t mode, register_t *rv)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path };
	struct file *fp;
	struct vnode *vp;
	int fd, error;

	if ((error = fd_allocfile(&fp, &fd)) != 0)
		return error;
	if (flags & O_PATH)
		error = vn_openpath(&nd, flags, &vp);
	else
		error = vn_open(&nd, flags, mode, &vp);
	if (error != 0) {
		fd_abort(curproc, fp, fd);
		return error;
	}
	vn_file_attach(fp, vp, flags);
	fd_affix(curproc, fp, fd);
	if (flags & O_CLOEXEC)
		fd_set_exclose(fd, true);
	*rv = fd;
	return 0;
}

int
sys_open(struct lwp *l, const struct sys_open_args *uap, register_t *rv)
{
	(void)l;
	return do_open(AT_FDCWD, uap->path, uap->flags, uap->mode, rv);
}

int
sys_openat(struct lwp *l, const struct sys_openat_args *uap, register_t *rv)
{
	(void)l;
	return do_open(uap->fd, uap->path, uap->flags, uap->mode, rv);
}

/* stat, lstat, fstatat */
static int
do_stat(int dirfd, const char *path, int flag, struct stat *usb)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path };
	struct stat sb;
	int error;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if ((flag & AT_SYMLINK_NOFOLLOW) == 0)
		nd.ni_flags |= NI_FOLLOW;
	if (flag & AT_EMPTY_PATH)
		nd.ni_flags |= NI_EMPTYPATH;
	if ((error = namei(&nd)) != 0)
		return error;
	error = vn_stat(nd.ni_vp, &sb);
	namei_done(&nd);
	if (error == 0)
		error = copyout(&sb, usb, sizeof(sb));
	return error;
}

int
sys_stat(struct lwp *l, const struct sys_stat_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_stat(AT_FDCWD, uap->path, 0, uap->sb);
}

int
sys_lstat(struct lwp *l, const struct sys_lstat_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_stat(AT_FDCWD, uap->path, AT_SYMLINK_NOFOLLOW, uap->sb);
}

int
sys_fstatat(struct lwp *l, const struct sys_fstatat_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_stat(uap->fd, uap->path, uap->flag, uap->sb);
}

/*
 * access, faccessat: with the real ids unless AT_EACCESS.  Write access
 * to a file on a read-only mount is EROFS.
 */
static int
do_access(int dirfd, const char *path, int mode, int flag)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path };
	kauth_cred_t cred = kauth_cred_get(), rcred = NULL;
	struct vnode *vp;
	int error;

	if ((mode & ~7) != 0 ||
	    (flag & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
		return EINVAL;
	if ((flag & AT_SYMLINK_NOFOLLOW) == 0)
		nd.ni_flags |= NI_FOLLOW;
	if (flag & AT_EMPTY_PATH)
		nd.ni_flags |= NI_EMPTYPATH;
	if ((flag & AT_EACCESS) == 0 && (cred->cr_uid != cred->cr_euid ||
	    cred->cr_gid != cred->cr_egid)) {
		if ((rcred = kauth_cred_dup(cred)) == NULL)
			return ENOMEM;
		rcred->cr_euid = rcred->cr_uid;
		rcred->cr_egid = rcred->cr_gid;
		cred = rcred;
	}
	if ((error = namei(&nd)) != 0)
		goto out;
	vp = nd.ni_vp;
	if ((mode & VWRITE) && vfs_isrdonly(vp->v_mount) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		error = EROFS;
	else if (mode != 0)
		error = VOP_ACCESS(vp, mode, cred);
	namei_done(&nd);
out:
	if (rcred != NULL)
		kauth_cred_free(rcred);
	return error;
}

int
sys_access(struct lwp *l, const struct sys_access_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_access(AT_FDCWD, uap->path, uap->mode, 0);
}

int
sys_faccessat(struct lwp *l, const struct sys_faccessat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_access(uap->fd, uap->path, uap->mode, uap->flag);
}

/*
 * Look up the parent of a name to create: EEXIST if it exists, EROFS on
 * a read-only mount.  On success nd holds the directory.
 */
static int
lookup_create(struct nameidata *nd)
{
	int error;

	nd->ni_flags |= NI_WANTPARENT;
	if ((error = namei(nd)) != 0)
		return error;
	if (nd->ni_vp != NULL)
		error = EEXIST;
	else if (vfs_isrdonly(nd->ni_dvp->v_mount))
		error = EROFS;
	if (error)
		namei_done(nd);
	return error;
}

/* mkdir, mkdirat, mknod, mknodat */
static int
do_mknode(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path };
	struct vattr va = { .va_rdev = dev };
	struct vnode *vp;
	int error;

	if ((mode & S_IFMT) == 0)
		mode |= S_IFREG;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		va.va_mode = mode & (ALLPERMS & ~(mode_t)(S_ISUID | S_ISGID));
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!kauth_cred_issuser(kauth_cred_get()))
			return EPERM;
		/* FALLTHROUGH */
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		va.va_mode = mode & ALLPERMS;
		break;
	default:
		return EINVAL;
	}
	va.va_type = iftovt(mode);
	va.va_cmode = va.va_mode;
	va.va_mask = VA_CMODE;
	va.va_mode &= ~vfs_umask();
	if ((error = lookup_create(&nd)) != 0)
		return error;
	if (nd.ni_trailslash && va.va_type != VDIR)
		error = ENOENT;
	else
		error = VOP_CREATE(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, &va, kauth_cred_get(), &vp);
	if (error == 0)
		vrele(vp);
	namei_done(&nd);
	return error;
}

int
sys_mkdir(struct lwp *l, const struct sys_mkdir_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_mknode(AT_FDCWD, uap->path, S_IFDIR | (uap->mode & 07777), 0);
}

int
sys_mkdirat(struct lwp *l, const struct sys_mkdirat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_mknode(uap->fd, uap->path, S_IFDIR | (uap->mode & 07777), 0);
}

int
sys_mknod(struct lwp *l, const struct sys_mknod_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	if ((uap->mode & S_IFMT) == S_IFDIR)
		return EPERM;
	return do_mknode(AT_FDCWD, uap->path, uap->mode, uap->dev);
}

int
sys_mknodat(struct lwp *l, const struct sys_mknodat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	if ((uap->mode & S_IFMT) == S_IFDIR)
		return EPERM;
	return do_mknode(uap->fd, uap->path, uap->mode, uap->dev);
}

/* unlink, rmdir, unlinkat */
static int
do_remove(int dirfd, const char *path, bool isdir)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path,
		.ni_flags = NI_WANTPARENT };
	struct vnode *vp;
	int error;

	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.ni_vp;
	if (isdir && nd.ni_dots != 0)
		error = nd.ni_dots == 1 ? EINVAL : ENOTEMPTY;
	else if (vp == NULL)
		error = ENOENT;
	else if (isdir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!isdir && vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_mountedhere != NULL || (vp->v_vflag & VV_ROOT))
		error = EBUSY;
	else if (vfs_isrdonly(vp->v_mount))
		error = EROFS;
	else
		error = VOP_REMOVE(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, isdir, kauth_cred_get());
	namei_done(&nd);
	return error;
}

int
sys_unlink(struct lwp *l, const struct sys_unlink_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_remove(AT_FDCWD, uap->path, false);
}

int
sys_rmdir(struct lwp *l, const struct sys_rmdir_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_remove(AT_FDCWD, uap->path, true);
}

int
sys_unlinkat(struct lwp *l, const struct sys_unlinkat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	if (uap->flag & ~AT_REMOVEDIR)
		return EINVAL;
	return do_remove(uap->fd, uap->path, (uap->flag & AT_REMOVEDIR) != 0);
}

/* rename, renameat */
static int
do_rename(int fromfd, const char *from, int tofd, const char *to)
{
	struct nameidata fnd = { .ni_dirfd = fromfd, .ni_path = from,
		.ni_flags = NI_WANTPARENT };
	struct nameidata tnd = { .ni_dirfd = tofd, .ni_path = to,
		.ni_flags = NI_WANTPARENT };
	struct vnode *fvp, *tvp;
	int error;

	if ((error = namei(&fnd)) != 0)
		return error;
	if ((error = namei(&tnd)) != 0) {
		namei_done(&fnd);
		return error;
	}
	fvp = fnd.ni_vp;
	tvp = tnd.ni_vp;
	if (fvp == NULL)
		error = ENOENT;
	else if (fnd.ni_dots != 0 || tnd.ni_dots != 0)
		error = EBUSY;
	else if (tnd.ni_trailslash && fvp->v_type != VDIR)
		error = ENOTDIR;
	else if (fnd.ni_dvp->v_mount != tnd.ni_dvp->v_mount)
		error = EXDEV;
	else if (fvp->v_mountedhere != NULL || (fvp->v_vflag & VV_ROOT) ||
	    (tvp != NULL && (tvp->v_mountedhere != NULL ||
	    (tvp->v_vflag & VV_ROOT))))
		error = EBUSY;
	else if (vfs_isrdonly(fnd.ni_dvp->v_mount))
		error = EROFS;
	else
		error = VOP_RENAME(fnd.ni_dvp, fnd.ni_name,
		    fnd.ni_namelen, tnd.ni_dvp, tnd.ni_name, tnd.ni_namelen,
		    kauth_cred_get());
	namei_done(&tnd);
	namei_done(&fnd);
	return error;
}

int
sys_rename(struct lwp *l, const struct sys_rename_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_rename(AT_FDCWD, uap->from, AT_FDCWD, uap->to);
}

int
sys_renameat(struct lwp *l, const struct sys_renameat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_rename(uap->fromfd, uap->from, uap->tofd, uap->to);
}

/* link, linkat */
static int
do_link(int fd1, const char *path1, int fd2, const char *path2, int flag)
{
	struct nameidata ond = { .ni_dirfd = fd1, .ni_path = path1 };
	struct nameidata nnd = { .ni_dirfd = fd2, .ni_path = path2 };
	struct vnode *vp;
	int error;

	if (flag & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (flag & AT_SYMLINK_FOLLOW)
		ond.ni_flags |= NI_FOLLOW;
	if (flag & AT_EMPTY_PATH)
		ond.ni_flags |= NI_EMPTYPATH;
	if ((error = namei(&ond)) != 0)
		return error;
	vp = ond.ni_vp;
	if (vp->v_type == VDIR) {
		namei_done(&ond);
		return EPERM;
	}
	if ((error = lookup_create(&nnd)) != 0) {
		namei_done(&ond);
		return error;
	}
	if (nnd.ni_trailslash)
		error = ENOENT;
	else if (nnd.ni_dvp->v_mount != vp->v_mount)
		error = EXDEV;
	else
		error = VOP_LINK(nnd.ni_dvp, nnd.ni_name,
		    nnd.ni_namelen, vp, kauth_cred_get());
	namei_done(&nnd);
	namei_done(&ond);
	return error;
}

int
sys_link(struct lwp *l, const struct sys_link_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_link(AT_FDCWD, uap->path, AT_FDCWD, uap->link, 0);
}

int
sys_linkat(struct lwp *l, const struct sys_linkat_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_link(uap->fd1, uap->path1, uap->fd2, uap->path2, uap->flag);
}

/* symlink, symlinkat */
static int
do_symlink(const char *target, int dirfd, const char *path)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path };
	struct vattr va = { .va_type = VLNK, .va_mode = 0777 };
	struct vnode *vp;
	char *tgt;
	int error;

	if ((tgt = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = copyinstr(target, tgt, PATH_MAX, NULL)) != 0)
		goto out;
	if (tgt[0] == '\0') {
		error = ENOENT;
		goto out;
	}
	if ((error = lookup_create(&nd)) != 0)
		goto out;
	if (nd.ni_trailslash)
		error = ENOENT;
	else
		error = VOP_SYMLINK(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, &va, tgt, kauth_cred_get(), &vp);
	if (error == 0)
		vrele(vp);
	namei_done(&nd);
out:
	kmem_free(tgt, PATH_MAX);
	return error;
}

int
sys_symlink(struct lwp *l, const struct sys_symlink_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_symlink(uap->path, AT_FDCWD, uap->link);
}

int
sys_symlinkat(struct lwp *l, const struct sys_symlinkat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_symlink(uap->path1, uap->fd, uap->path2);
}

/* readlink, readlinkat */
static int
do_readlink(int dirfd, const char *path, char *buf, size_t count,
    register_t *rv)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path,
		.ni_flags = NI_EMPTYPATH };
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	struct uio uio = { .uio_iov = &iov, .uio_iovcnt = 1,
		.uio_resid = count, .uio_rw = UIO_READ };
	int error;

	if ((ssize_t)count <= 0)
		return EINVAL;
	if ((error = namei(&nd)) != 0)
		return error;
	if (nd.ni_vp->v_type != VLNK)
		error = EINVAL;
	else
		error = VOP_READLINK(nd.ni_vp, &uio);
	namei_done(&nd);
	if (error == 0)
		*rv = (register_t)(count - uio.uio_resid);
	return error;
}

int
sys_readlink(struct lwp *l, const struct sys_readlink_args *uap,
    register_t *rv)
{
	(void)l;
	return do_readlink(AT_FDCWD, uap->path, uap->buf, uap->count, rv);
}

int
sys_readlinkat(struct lwp *l, const struct sys_readlinkat_args *uap,
    register_t *rv)
{
	(void)l;
	return do_readlink(uap->fd, uap->path, uap->buf, uap->count, rv);
}

/*
 * The attribute changes: by path (AT_SYMLINK_NOFOLLOW in flag: a link at
 * the end is changed itself; AT_EMPTY_PATH: "" is the file of dirfd, an
 * O_PATH descriptor too) or, with path BYFD, on the file of dirfd, which
 * must then have been opened (not O_PATH).
 */
#define BYFD ((const char *)&setattr_byfd)
static const char setattr_byfd;

static int
setattr_at(int dirfd, const char *path, int flag, struct vattr *va)
{
	struct nameidata nd = { .ni_dirfd = dirfd, .ni_path = path };
	struct vnode *vp;
	struct file *fp = NULL;
	int error;

	if (path == BYFD) {
		if ((error = fd_getvnode(dirfd, &vp, &fp)) != 0)
			return error == EINVAL ? EBADF : error;
	} else {
		if ((flag & AT_SYMLINK_NOFOLLOW) == 0)
			nd.ni_flags |= NI_FOLLOW;
		if (flag & AT_EMPTY_PATH)
			nd.ni_flags |= NI_EMPTYPATH;
		if ((error = namei(&nd)) != 0)
			return error;
		vp = nd.ni_vp;
	}
	if ((va->va_mask & VA_MODE) && vp->v_type == VLNK)
		error = EOPNOTSUPP;
	else
		error = VOP_SETATTR(vp, va, kauth_cred_get());
	if (fp != NULL)
		fd_putfile(fp);
	else
		namei_done(&nd);
	return error;
}

static int
do_chmod(int dirfd, const char *path, mode_t mode, int flag)
{
	struct vattr va = { .va_mask = VA_MODE, .va_mode = mode & ALLPERMS };

	return setattr_at(dirfd, path, flag, &va);
}

int
sys_chmod(struct lwp *l, const struct sys_chmod_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_chmod(AT_FDCWD, uap->path, uap->mode, 0);
}

int
sys_fchmod(struct lwp *l, const struct sys_fchmod_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_chmod(uap->fd, BYFD, uap->mode, 0);
}

int
sys_fchmodat(struct lwp *l, const struct sys_fchmodat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	if (uap->flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (uap->path == NULL)
		return EFAULT;
	return do_chmod(uap->fd, uap->path, uap->mode, uap->flag);
}

static int
do_chown(int dirfd, const char *path, uid_t uid, gid_t gid, int flag)
{
	struct vattr va = { .va_uid = uid, .va_gid = gid };

	if (uid != (uid_t)-1)
		va.va_mask |= VA_UID;
	if (gid != (gid_t)-1)
		va.va_mask |= VA_GID;
	return setattr_at(dirfd, path, flag, &va);
}

int
sys_chown(struct lwp *l, const struct sys_chown_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_chown(AT_FDCWD, uap->path, uap->uid, uap->gid, 0);
}

int
sys_lchown(struct lwp *l, const struct sys_lchown_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_chown(AT_FDCWD, uap->path, uap->uid, uap->gid,
	    AT_SYMLINK_NOFOLLOW);
}

int
sys_fchown(struct lwp *l, const struct sys_fchown_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_chown(uap->fd, BYFD, uap->uid, uap->gid, 0);
}

int
sys_fchownat(struct lwp *l, const struct sys_fchownat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	if (uap->flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (uap->path == NULL)
		return EFAULT;
	return do_chown(uap->fd, uap->path, uap->uid, uap->gid, uap->flag);
}

/*
 * utimensat, futimens: times NULL sets both to now; UTIME_NOW and
 * UTIME_OMIT in tv_nsec as Linux has them.  sysspace: utimes is kernel
 * memory (from utimes and futimes, which convert their timevals), not
 * the client's, which for a remote client is in another process.
 */
static int
do_utimens(int dirfd, const char *path, const struct timespec *utimes,
    int flag, bool sysspace)
{
	struct timespec ts[2], now;
	struct vattr va = { .va_mask = 0 };
	int error, nnow = 0, nomit = 0;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	nanotime(&now);
	if (utimes == NULL) {
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	} else if (sysspace)
		memcpy(ts, utimes, sizeof(ts));
	else if ((error = copyin(utimes, ts, sizeof(ts))) != 0)
		return error;
	for (int i = 0; i < 2; i++) {
		if (ts[i].tv_nsec == UTIME_NOW) {
			ts[i] = now;
			nnow++;
		} else if (ts[i].tv_nsec == UTIME_OMIT)
			nomit++;
		else if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= NSEC_PER_SEC)
			return EINVAL;
	}
	if (utimes != NULL && (ts[0].tv_nsec != UTIME_OMIT))
		va.va_mask |= VA_ATIME;
	if (utimes != NULL && (ts[1].tv_nsec != UTIME_OMIT))
		va.va_mask |= VA_MTIME;
	if (utimes == NULL)
		va.va_mask = VA_ATIME | VA_MTIME;
	if (nnow + nomit == 2 && nnow > 0)
		va.va_mask |= VA_TIMES_NOW;
	va.va_atime = ts[0];
	va.va_mtime = ts[1];
	return setattr_at(dirfd, path, flag, &va);
}

int
sys_utimensat(struct lwp *l, const struct sys_utimensat_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	/* As Linux: a NULL path means the file of fd itself. */
	return do_utimens(uap->fd, uap->path != NULL ? uap->path : BYFD,
	    uap->times, uap->flag, false);
}

int
vfs_utimens_sys(int dirfd, const char *path, const struct timespec *kts,
    int flag)
{
	return do_utimens(dirfd, path != NULL ? path : BYFD, kts, flag, true);
}

int
sys_futimens(struct lwp *l, const struct sys_futimens_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_utimens(uap->fd, BYFD, uap->times, 0, false);
}

/* truncate, ftruncate */
int
sys_truncate(struct lwp *l, const struct sys_truncate_args *uap,
    register_t *rv)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = uap->path,
		.ni_flags = NI_FOLLOW };
	struct vattr va = { .va_mask = VA_SIZE, .va_size = uap->length };
	struct vnode *vp;
	int error;

	(void)l;
	(void)rv;
	if (uap->length < 0)
		return EINVAL;
	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.ni_vp;
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_type != VREG)
		error = EINVAL;
	else if (vfs_isrdonly(vp->v_mount))
		error = EROFS;
	else if ((error = VOP_ACCESS(vp, VWRITE, kauth_cred_get())) == 0)
		error = VOP_SETATTR(vp, &va, kauth_cred_get());
	namei_done(&nd);
	return error;
}

int
sys_ftruncate(struct lwp *l, const struct sys_ftruncate_args *uap,
    register_t *rv)
{
	struct vattr va = { .va_mask = VA_SIZE, .va_size = uap->length };
	struct vnode *vp;
	struct file *fp;
	int error;

	(void)l;
	(void)rv;
	if (uap->length < 0)
		return EINVAL;
	if ((error = fd_getvnode(uap->fd, &vp, &fp)) != 0)
		return error;
	if ((fp->f_flag & FWRITE) == 0 || vp->v_type != VREG)
		error = EINVAL;
	else if (vfs_isrdonly(vp->v_mount))
		error = EROFS;
	else
		/* The descriptor's write access is the permission. */
		error = VOP_SETATTR(vp, &va, NULL);
	fd_putfile(fp);
	return error;
}

/* fsync, fdatasync */
static int
do_fsync(int fd, bool dataonly)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if ((error = fd_getvnode(fd, &vp, &fp)) != 0)
		return error;
	error = VOP_FSYNC(vp, dataonly);
	fd_putfile(fp);
	return error;
}

int
sys_fsync(struct lwp *l, const struct sys_fsync_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return do_fsync(uap->fd, false);
}

int
sys_fdatasync(struct lwp *l, const struct sys_fdatasync_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_fsync(uap->fd, true);
}

/*
 * getdents64: directory records from the file's offset, which is the
 * file system's cookie for the next entry.
 */
int
sys_getdents64(struct lwp *l, const struct sys_getdents64_args *uap,
    register_t *rv)
{
	struct iovec iov = { .iov_base = uap->buf, .iov_len = uap->count };
	struct uio uio = { .uio_iov = &iov, .uio_iovcnt = 1,
		.uio_resid = uap->count, .uio_rw = UIO_READ };
	struct vnode *vp;
	struct file *fp;
	int error;

	(void)l;
	if ((error = fd_getvnode(uap->fd, &vp, &fp)) != 0)
		return error == EINVAL ? ENOTDIR : error;
	if (vp->v_type != VDIR) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	if ((fp->f_flag & FREAD) == 0) {
		fd_putfile(fp);
		return EBADF;
	}
	mutex_enter(&fp->f_lock);
	uio.uio_offset = fp->f_offset;
	error = VOP_READDIR(vp, &uio);
	if (error == 0)
		fp->f_offset = uio.uio_offset;
	mutex_exit(&fp->f_lock);
	fd_putfile(fp);
	if (error == 0)
		*rv = (register_t)(uap->count - uio.uio_resid);
	return error;
}
