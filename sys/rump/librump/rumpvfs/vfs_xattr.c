/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The extended attribute calls (setxattr, getxattr, listxattr,
 * removexattr with their l- and f- forms), with Linux's arguments,
 * limits and errno: the name and value are copied in here, the
 * namespace rules of xattr(7) applied, and one vnode operation does the
 * rest (VOP_GETXATTR ..., sys/vnode.h); a file system without them
 * answers EOPNOTSUPP.
 *
 * Namespaces, by who may read (r) and write (w):
 *  user.      files and directories only (else r ENODATA, w EPERM); the
 *             file's read or write permission; in a sticky directory
 *             only its owner or root writes (EPERM)
 *  trusted.   root (else r ENODATA, w EPERM, and listxattr hides them)
 *  security.  r anyone, w root (EPERM), as with no security module
 *  system.posix_acl_access, system.posix_acl_default
 *             r anyone; w the owner or root (EPERM), a valid ACL
 *             (EINVAL), a default ACL only on a directory (EACCES);
 *             not on symbolic links (EOPNOTSUPP)
 *  anything else is EOPNOTSUPP, after the file's permission check.
 * Changes on a read-only mount are EROFS before all of that.
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

#include "syscallargs.h"
#include "vfs_private.h"

enum xattr_ns { NS_USER, NS_TRUSTED, NS_SECURITY, NS_ACL, NS_OTHER };

static bool
has_prefix(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

static enum xattr_ns
xattr_ns(const char *name)
{
	if (has_prefix(name, XATTR_USER_PREFIX))
		return NS_USER;
	if (has_prefix(name, XATTR_TRUSTED_PREFIX))
		return NS_TRUSTED;
	if (has_prefix(name, XATTR_SECURITY_PREFIX))
		return NS_SECURITY;
	if (strcmp(name, XATTR_ACL_ACCESS) == 0 ||
	    strcmp(name, XATTR_ACL_DEFAULT) == 0)
		return NS_ACL;
	return NS_OTHER;
}

/* The file a call names: by path (following a last link or not) or fd. */
struct xattr_file {
	struct nameidata xf_nd;
	struct file *xf_fp;
	struct vnode *xf_vp;
};

static int
xattr_file_get(struct xattr_file *xf, int dirfd, const char *path,
    unsigned atflags)
{
	int error;

	memset(xf, 0, sizeof(*xf));
	if (path == NULL && !(atflags & AT_EMPTY_PATH)) {
		if ((error = fd_getvnode(dirfd, &xf->xf_vp, &xf->xf_fp)) != 0)
			return error == EINVAL ? EOPNOTSUPP : error;
		return 0;
	}
	xf->xf_nd.ni_dirfd = dirfd;
	xf->xf_nd.ni_path = path;
	if (path == NULL) {
		/* The *xattrat calls' NULL with AT_EMPTY_PATH: as "". */
		xf->xf_nd.ni_path = "";
		xf->xf_nd.ni_flags |= NI_KERNPATH;
	}
	if (!(atflags & AT_SYMLINK_NOFOLLOW))
		xf->xf_nd.ni_flags |= NI_FOLLOW;
	if (atflags & AT_EMPTY_PATH)
		xf->xf_nd.ni_flags |= NI_EMPTYPATH;
	if ((error = namei(&xf->xf_nd)) != 0)
		return error;
	xf->xf_vp = xf->xf_nd.ni_vp;
	return 0;
}

static void
xattr_file_put(struct xattr_file *xf)
{
	if (xf->xf_fp != NULL)
		fd_putfile(xf->xf_fp);
	else
		namei_done(&xf->xf_nd);
}

/* The name from the client: ERANGE when empty or longer than allowed. */
static int
xattr_name_in(const char *uname, char *name)
{
	size_t done;
	int error;

	if (uname == NULL)
		return EFAULT;
	error = copyinstr(uname, name, XATTR_NAME_MAX + 1, &done);
	if (error == ENAMETOOLONG || (error == 0 && name[0] == '\0'))
		return ERANGE;
	return error;
}

/* May cred read (write: change) attribute name of vp?  As above. */
static int
xattr_permission(struct vnode *vp, const char *name, bool write,
    kauth_cred_t cred)
{
	bool root = kauth_cred_issuser(cred);
	struct vattr va;
	int error;

	if (write && vfs_isrdonly(vp->v_mount))
		return EROFS;
	switch (xattr_ns(name)) {
	case NS_TRUSTED:
		if (!root)
			return write ? EPERM : ENODATA;
		return 0;
	case NS_SECURITY:
		return write && !root ? EPERM : 0;
	case NS_ACL:
		if (vp->v_type == VLNK)
			return EOPNOTSUPP;
		if (!write)
			return 0;
		if ((error = VOP_GETATTR(vp, &va)) != 0)
			return error;
		return root || va.va_uid == cred->cr_euid ? 0 : EPERM;
	case NS_USER:
		if (vp->v_type != VREG && vp->v_type != VDIR)
			return write ? EPERM : ENODATA;
		if (write && vp->v_type == VDIR && !root) {
			if ((error = VOP_GETATTR(vp, &va)) != 0)
				return error;
			if ((va.va_mode & S_ISVTX) && va.va_uid != cred->cr_euid)
				return EPERM;
		}
		break;
	case NS_OTHER:
		break;
	}
	if ((error = VOP_ACCESS(vp, write ? VWRITE : VREAD, cred)) != 0)
		return error;
	return xattr_ns(name) == NS_OTHER ? EOPNOTSUPP : 0;
}

/* setxattr, lsetxattr, fsetxattr */
static int
do_setxattr(int dirfd, const char *path, unsigned atflags,
    const char *uname, const void *uval, size_t size, int flags)
{
	kauth_cred_t cred = kauth_cred_get();
	char name[XATTR_NAME_MAX + 1];
	struct xattr_file xf;
	void *val = NULL;
	bool empty;
	int error;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return EINVAL;
	if ((error = xattr_name_in(uname, name)) != 0)
		return error;
	if (size > XATTR_SIZE_MAX)
		return E2BIG;
	if (size > 0) {
		if ((val = kmem_alloc(size, KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = copyin(uval, val, size)) != 0)
			goto out;
	}
	if ((error = xattr_file_get(&xf, dirfd, path, atflags)) != 0)
		goto out;
	if ((error = xattr_permission(xf.xf_vp, name, true, cred)) == 0 &&
	    xattr_ns(name) == NS_ACL) {
		if (uval == NULL && size == 0)
			error = EINVAL;
		else
			error = acl_xattr_check(val, size, &empty);
		if (error == 0 && strcmp(name, XATTR_ACL_DEFAULT) == 0 &&
		    xf.xf_vp->v_type != VDIR)
			error = empty ? 0 : EACCES;
		else if (error == 0 && empty)
			error = VOP_REMOVEXATTR(xf.xf_vp, name, cred);
		else if (error == 0)
			error = VOP_SETXATTR(xf.xf_vp, name, val, size, flags,
			    cred);
	} else if (error == 0)
		error = VOP_SETXATTR(xf.xf_vp, name, val, size, flags, cred);
	xattr_file_put(&xf);
out:
	if (val != NULL)
		kmem_free(val, size);
	return error;
}

int
sys_setxattr(struct lwp *l, const struct sys_setxattr_args *uap,
    register_t *rv)
{
	(void)l, (void)rv;
	if (uap->path == NULL)
		return EFAULT;
	return do_setxattr(AT_FDCWD, uap->path, 0, uap->name, uap->value,
	    uap->size, uap->flags);
}

int
sys_lsetxattr(struct lwp *l, const struct sys_lsetxattr_args *uap,
    register_t *rv)
{
	(void)l, (void)rv;
	if (uap->path == NULL)
		return EFAULT;
	return do_setxattr(AT_FDCWD, uap->path, AT_SYMLINK_NOFOLLOW, uap->name,
	    uap->value, uap->size, uap->flags);
}

int
sys_fsetxattr(struct lwp *l, const struct sys_fsetxattr_args *uap,
    register_t *rv)
{
	(void)l, (void)rv;
	return do_setxattr(uap->fd, NULL, 0, uap->name, uap->value,
	    uap->size, uap->flags);
}

/* getxattr, lgetxattr, fgetxattr: size 0 asks for the value's size. */
static int
do_getxattr(int dirfd, const char *path, unsigned atflags,
    const char *uname, void *uval, size_t size, register_t *rv)
{
	char name[XATTR_NAME_MAX + 1];
	struct xattr_file xf;
	void *val = NULL;
	size_t len;
	int error;

	if ((error = xattr_name_in(uname, name)) != 0)
		return error;
	len = MIN(size, XATTR_SIZE_MAX);
	if (len > 0 && (val = kmem_alloc(len, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = xattr_file_get(&xf, dirfd, path, atflags)) != 0)
		goto out;
	if ((error = xattr_permission(xf.xf_vp, name, false,
	    kauth_cred_get())) == 0)
		error = VOP_GETXATTR(xf.xf_vp, name, val, &len);
	xattr_file_put(&xf);
	if (error == ERANGE && size >= XATTR_SIZE_MAX)
		error = E2BIG;
	if (error == 0 && val != NULL)
		error = copyout(val, uval, len);
	if (error == 0)
		*rv = (register_t)len;
out:
	if (val != NULL)
		kmem_free(val, MIN(size, XATTR_SIZE_MAX));
	return error;
}

int
sys_getxattr(struct lwp *l, const struct sys_getxattr_args *uap,
    register_t *rv)
{
	(void)l;
	if (uap->path == NULL)
		return EFAULT;
	return do_getxattr(AT_FDCWD, uap->path, 0, uap->name, uap->value,
	    uap->size, rv);
}

int
sys_lgetxattr(struct lwp *l, const struct sys_lgetxattr_args *uap,
    register_t *rv)
{
	(void)l;
	if (uap->path == NULL)
		return EFAULT;
	return do_getxattr(AT_FDCWD, uap->path, AT_SYMLINK_NOFOLLOW, uap->name,
	    uap->value, uap->size, rv);
}

int
sys_fgetxattr(struct lwp *l, const struct sys_fgetxattr_args *uap,
    register_t *rv)
{
	(void)l;
	return do_getxattr(uap->fd, NULL, 0, uap->name, uap->value,
	    uap->size, rv);
}

/*
 * Drop from the list of len bytes in buf the names cred may not see
 * (trusted.* but for root); the new length.
 */
static size_t
xattr_list_filter(char *buf, size_t len, kauth_cred_t cred)
{
	size_t in, out = 0, n;

	if (kauth_cred_issuser(cred))
		return len;
	for (in = 0; in < len; in += n) {
		n = strnlen(buf + in, len - in) + 1;
		if (in + n > len)
			break;
		if (xattr_ns(buf + in) == NS_TRUSTED)
			continue;
		memmove(buf + out, buf + in, n);
		out += n;
	}
	return out;
}

/* listxattr, llistxattr, flistxattr */
static int
do_listxattr(int dirfd, const char *path, unsigned atflags, char *ulist,
    size_t size, register_t *rv)
{
	struct xattr_file xf;
	size_t len = XATTR_LIST_MAX;
	char *buf;
	int error;

	if ((buf = kmem_alloc(XATTR_LIST_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = xattr_file_get(&xf, dirfd, path, atflags)) == 0) {
		error = VOP_LISTXATTR(xf.xf_vp, buf, &len);
		xattr_file_put(&xf);
	}
	if (error == ERANGE)
		error = E2BIG;
	if (error == 0) {
		len = xattr_list_filter(buf, len, kauth_cred_get());
		if (size > 0 && len > size)
			error = ERANGE;
		else if (size > 0 && len > 0)
			error = copyout(buf, ulist, len);
	}
	if (error == 0)
		*rv = (register_t)len;
	kmem_free(buf, XATTR_LIST_MAX);
	return error;
}

int
sys_listxattr(struct lwp *l, const struct sys_listxattr_args *uap,
    register_t *rv)
{
	(void)l;
	if (uap->path == NULL)
		return EFAULT;
	return do_listxattr(AT_FDCWD, uap->path, 0, uap->list, uap->size, rv);
}

int
sys_llistxattr(struct lwp *l, const struct sys_llistxattr_args *uap,
    register_t *rv)
{
	(void)l;
	if (uap->path == NULL)
		return EFAULT;
	return do_listxattr(AT_FDCWD, uap->path, AT_SYMLINK_NOFOLLOW, uap->list,
	    uap->size, rv);
}

int
sys_flistxattr(struct lwp *l, const struct sys_flistxattr_args *uap,
    register_t *rv)
{
	(void)l;
	return do_listxattr(uap->fd, NULL, 0, uap->list, uap->size, rv);
}

/* removexattr, lremovexattr, fremovexattr */
static int
do_removexattr(int dirfd, const char *path, unsigned atflags, const char *uname)
{
	kauth_cred_t cred = kauth_cred_get();
	char name[XATTR_NAME_MAX + 1];
	struct xattr_file xf;
	int error;

	if ((error = xattr_name_in(uname, name)) != 0)
		return error;
	if ((error = xattr_file_get(&xf, dirfd, path, atflags)) != 0)
		return error;
	if ((error = xattr_permission(xf.xf_vp, name, true, cred)) == 0)
		error = VOP_REMOVEXATTR(xf.xf_vp, name, cred);
	xattr_file_put(&xf);
	return error;
}

int
sys_removexattr(struct lwp *l, const struct sys_removexattr_args *uap,
    register_t *rv)
{
	(void)l, (void)rv;
	if (uap->path == NULL)
		return EFAULT;
	return do_removexattr(AT_FDCWD, uap->path, 0, uap->name);
}

int
sys_lremovexattr(struct lwp *l, const struct sys_lremovexattr_args *uap,
    register_t *rv)
{
	(void)l, (void)rv;
	if (uap->path == NULL)
		return EFAULT;
	return do_removexattr(AT_FDCWD, uap->path, AT_SYMLINK_NOFOLLOW, uap->name);
}

int
sys_fremovexattr(struct lwp *l, const struct sys_fremovexattr_args *uap,
    register_t *rv)
{
	(void)l, (void)rv;
	return do_removexattr(uap->fd, NULL, 0, uap->name);
}

/*
 * setxattrat, getxattrat, listxattrat, removexattrat (Linux 6.13): the
 * file is path relative to dirfd, with AT_SYMLINK_NOFOLLOW and
 * AT_EMPTY_PATH ("", or a NULL path as Linux takes it, is dirfd's own
 * file, an O_PATH descriptor too); the value, its size and the flags
 * come in a struct xattr_args of usize bytes, of which the first
 * XATTR_ARGS_SIZE_VER0 are known and the rest must be zero (E2BIG).
 */
static int
xattr_at_check(const char *path, unsigned atflags)
{
	if (atflags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (path == NULL && !(atflags & AT_EMPTY_PATH))
		return EFAULT;
	return 0;
}

static int
xattr_args_in(const void *uargs, size_t usize, struct xattr_args *args)
{
	unsigned char rest[64];
	size_t off, n, i;
	int error;

	if (usize < XATTR_ARGS_SIZE_VER0)
		return EINVAL;
	if (usize > PAGE_SIZE)
		return E2BIG;
	if ((error = copyin(uargs, args, sizeof(*args))) != 0)
		return error;
	for (off = sizeof(*args); off < usize; off += n) {
		n = MIN(sizeof(rest), usize - off);
		if ((error = copyin((const char *)uargs + off, rest, n)) != 0)
			return error;
		for (i = 0; i < n; i++)
			if (rest[i] != 0)
				return E2BIG;
	}
	return 0;
}

int
sys_setxattrat(struct lwp *l, const struct sys_setxattrat_args *uap,
    register_t *rv)
{
	struct xattr_args args;
	int error;

	(void)l, (void)rv;
	if ((error = xattr_at_check(uap->path, uap->at_flags)) != 0 ||
	    (error = xattr_args_in(uap->uargs, uap->usize, &args)) != 0)
		return error;
	return do_setxattr(uap->dirfd, uap->path, uap->at_flags, uap->name,
	    (const void *)(uintptr_t)args.value, args.size, (int)args.flags);
}

int
sys_getxattrat(struct lwp *l, const struct sys_getxattrat_args *uap,
    register_t *rv)
{
	struct xattr_args args;
	int error;

	(void)l;
	if ((error = xattr_at_check(uap->path, uap->at_flags)) != 0 ||
	    (error = xattr_args_in(uap->uargs, uap->usize, &args)) != 0)
		return error;
	if (args.flags != 0)
		return EINVAL;
	return do_getxattr(uap->dirfd, uap->path, uap->at_flags, uap->name,
	    (void *)(uintptr_t)args.value, args.size, rv);
}

int
sys_listxattrat(struct lwp *l, const struct sys_listxattrat_args *uap,
    register_t *rv)
{
	int error;

	(void)l;
	if ((error = xattr_at_check(uap->path, uap->at_flags)) != 0)
		return error;
	return do_listxattr(uap->dirfd, uap->path, uap->at_flags, uap->list,
	    uap->size, rv);
}

int
sys_removexattrat(struct lwp *l, const struct sys_removexattrat_args *uap,
    register_t *rv)
{
	int error;

	(void)l, (void)rv;
	if ((error = xattr_at_check(uap->path, uap->at_flags)) != 0)
		return error;
	return do_removexattr(uap->dirfd, uap->path, uap->at_flags, uap->name);
}
