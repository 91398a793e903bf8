/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Each process's current and root directories (struct cwdinfo, kept by
 * the kernel core, filled here through cwdi_hooks): chdir, fchdir,
 * chroot and getcwd.  A NULL directory means the root file system's
 * root, which is how proc0 and proc1, made before the VFS, start.
 * Children made by rfork inherit both directories.
 *
 * Locking: the process's p_lock guards cwdi_cdir and cwdi_rdir.
 */
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "syscallargs.h"
#include "vfs_private.h"

static void
cwd_copy(struct cwdinfo *from, struct cwdinfo *to)
{
	/* The parent's p_lock is not ours to take: rfork runs in the parent. */
	mutex_enter(&curproc->p_lock);
	to->cwdi_cdir = from->cwdi_cdir;
	to->cwdi_rdir = from->cwdi_rdir;
	if (to->cwdi_cdir != NULL)
		vref(to->cwdi_cdir);
	if (to->cwdi_rdir != NULL)
		vref(to->cwdi_rdir);
	mutex_exit(&curproc->p_lock);
}

static void
cwd_release(struct cwdinfo *cwdi)
{
	if (cwdi->cwdi_cdir != NULL)
		vrele(cwdi->cwdi_cdir);
	if (cwdi->cwdi_rdir != NULL)
		vrele(cwdi->cwdi_rdir);
	cwdi->cwdi_cdir = cwdi->cwdi_rdir = NULL;
}

static const struct cwdi_hooks cwd_hooks = {
	.ch_copy = cwd_copy,
	.ch_release = cwd_release,
};

void
vfs_cwd_init(void)
{
	cwdi_sethooks(&cwd_hooks);
}

static struct vnode *
cwd_get(bool root)
{
	struct proc *p = curproc;
	struct vnode *vp;

	mutex_enter(&p->p_lock);
	vp = root ? p->p_cwdi->cwdi_rdir : p->p_cwdi->cwdi_cdir;
	if (vp == NULL)
		vp = rootvnode;
	vref(vp);
	mutex_exit(&p->p_lock);
	return vp;
}

struct vnode *
cwd_rootdir(void)
{
	return cwd_get(true);
}

struct vnode *
cwd_curdir(void)
{
	return cwd_get(false);
}

/* Make vp (referenced, given to us) the current or root directory. */
static void
cwd_set(struct vnode *vp, bool root)
{
	struct proc *p = curproc;
	struct vnode **slot, *old;

	mutex_enter(&p->p_lock);
	slot = root ? &p->p_cwdi->cwdi_rdir : &p->p_cwdi->cwdi_cdir;
	old = *slot;
	*slot = vp;
	mutex_exit(&p->p_lock);
	if (old != NULL)
		vrele(old);
}

static int
cwd_checkdir(struct vnode *vp)
{
	if (vp->v_type != VDIR)
		return ENOTDIR;
	return VOP_ACCESS(vp, VEXEC, kauth_cred_get());
}

int
sys_chdir(struct lwp *l, const struct sys_chdir_args *uap, register_t *rv)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = uap->path,
		.ni_flags = NI_FOLLOW };
	int error;

	(void)l;
	(void)rv;
	if ((error = namei(&nd)) != 0)
		return error;
	if ((error = cwd_checkdir(nd.ni_vp)) != 0) {
		namei_done(&nd);
		return error;
	}
	cwd_set(nd.ni_vp, false);
	return 0;
}

int
sys_fchdir(struct lwp *l, const struct sys_fchdir_args *uap, register_t *rv)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getvnode_path(uap->fd, &vp, &fp)) != 0)
		return error == EINVAL ? ENOTDIR : error;
	if ((error = cwd_checkdir(vp)) == 0)
		vref(vp);
	fd_putfile(fp);
	if (error == 0)
		cwd_set(vp, false);
	return error;
}

int
sys_chroot(struct lwp *l, const struct sys_chroot_args *uap, register_t *rv)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = uap->path,
		.ni_flags = NI_FOLLOW };
	int error;

	(void)rv;
	if ((error = namei(&nd)) != 0)
		return error;
	if ((error = cwd_checkdir(nd.ni_vp)) == 0 &&
	    !kauth_cred_issuser(l->l_cred))
		error = EPERM;
	if (error) {
		namei_done(&nd);
		return error;
	}
	cwd_set(nd.ni_vp, true);
	return 0;
}

/* The name under which dvp holds the file with inode ino. */
static int
getcwd_name(struct vnode *dvp, ino_t ino, char *name, size_t *lenp)
{
	const size_t bufsz = 4096;
	struct dirent64 *d;
	struct iovec iov;
	struct uio uio;
	off_t cookie = 0;
	char *buf;
	size_t got, pos;
	int error;

	if ((buf = kmem_alloc(bufsz, KM_SLEEP)) == NULL)
		return ENOMEM;
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = bufsz;
		uio = (struct uio){ .uio_iov = &iov, .uio_iovcnt = 1,
			.uio_offset = cookie, .uio_resid = bufsz,
			.uio_rw = UIO_READ, .uio_sysspace = true };
		if ((error = VOP_READDIR(dvp, &uio)) != 0)
			break;
		if ((got = bufsz - uio.uio_resid) == 0) {
			error = ENOENT;
			break;
		}
		cookie = uio.uio_offset;
		for (pos = 0; pos < got; pos += d->d_reclen) {
			d = (struct dirent64 *)(buf + pos);
			if (d->d_ino != ino || strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			*lenp = strlcpy(name, d->d_name, NAME_MAX + 1);
			kmem_free(buf, bufsz);
			return 0;
		}
	}
	kmem_free(buf, bufsz);
	return error;
}

int
sys_getcwd(struct lwp *l, const struct sys_getcwd_args *uap, register_t *rv)
{
	struct vnode *vp, *dvp, *root;
	char *path, name[NAME_MAX + 1];
	size_t pos = PATH_MAX, len;
	ino_t ino;
	int error = 0;

	(void)l;
	if ((path = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	path[--pos] = '\0';
	root = cwd_rootdir();
	vp = cwd_curdir();
	while (vp != root) {
		/* A forcibly unmounted directory has no name any more. */
		if (vfs_revoked(vp->v_mount)) {
			error = ENOENT;
			break;
		}
		/* Out of a mount: its name is the covered directory's. */
		while ((vp->v_vflag & VV_ROOT) && vp != root &&
		    vp->v_mount->mnt_vnodecovered != NULL) {
			dvp = vp->v_mount->mnt_vnodecovered;
			vref(dvp);
			vrele(vp);
			vp = dvp;
		}
		if (vp == root)
			break;
		if (vp == rootvnode) {
			/* The directory is outside the process's root. */
			error = ENOENT;
			break;
		}
		ino = vp->v_ino;
		if ((error = VOP_LOOKUP(vp, "..", 2, &dvp)) != 0)
			break;
		vrele(vp);
		vp = dvp;
		if ((error = VOP_ACCESS(dvp, VREAD | VEXEC,
		    kauth_cred_get())) != 0 ||
		    (error = getcwd_name(dvp, ino, name, &len)) != 0)
			break;
		if (len + 1 > pos) {
			error = ENAMETOOLONG;
			break;
		}
		pos -= len;
		memcpy(path + pos, name, len);
		path[--pos] = '/';
	}
	vrele(vp);
	vrele(root);
	if (error == 0 && pos == PATH_MAX - 1)
		path[--pos] = '/';
	if (error == 0) {
		len = PATH_MAX - pos;
		if (uap->size < len)
			error = ERANGE;
		else if ((error = copyout(path + pos, uap->buf, len)) == 0)
			*rv = (register_t)len;
	}
	kmem_free(path, PATH_MAX);
	return error;
}
