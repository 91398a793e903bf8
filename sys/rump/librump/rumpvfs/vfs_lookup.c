/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Path name lookup (namei): from a client's path to a referenced vnode,
 * one component at a time.  Every directory searched must grant search
 * permission; "." stays, ".." climbs, out of a mount through the vnode
 * it covers and never above the process's root; a directory with a
 * mount on it is replaced by that mount's root; a symbolic link met
 * inside the path, or at its end when following, is spliced into the
 * path, at most MAXSYMLINKS times (then ELOOP).  Names longer than
 * NAME_MAX are ENAMETOOLONG, paths of PATH_MAX bytes or more too.
 *
 * namei holds references only (file systems lock internally), so a
 * result describes the tree as it was a moment ago; the operation that
 * follows rechecks what it changes under the file system's locks.  Names
 * are looked up in the name cache first (vfs_cache.c); search permission
 * is asked of the file system for every directory all the same.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define MAXSYMLINKS 40

int
namei_startdir(int dirfd, struct vnode **vpp)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if (dirfd == AT_FDCWD) {
		*vpp = cwd_curdir();
		return 0;
	}
	if ((error = fd_getvnode_path(dirfd, &vp, &fp)) != 0)
		return error == EINVAL ? ENOTDIR : error;
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else
		vref(vp);
	fd_putfile(fp);
	if (error == 0)
		*vpp = vp;
	return error;
}

/*
 * Replace vp, a directory, by the root of what is mounted on it, as many
 * times as mounts are stacked.
 */
static int
namei_crossmount(struct vnode **vpp)
{
	struct vnode *vp = *vpp, *root;
	struct mount *mp;

	for (;;) {
		mutex_enter(&mountlist_lock);
		if ((mp = vp->v_mountedhere) == NULL) {
			mutex_exit(&mountlist_lock);
			return 0;
		}
		if (!vfs_mount_usable(mp)) {
			/* Being unmounted: the covered directory shows. */
			mutex_exit(&mountlist_lock);
			return 0;
		}
		root = mp->mnt_root;
		vref(root);
		mutex_exit(&mountlist_lock);
		vrele(vp);
		*vpp = vp = root;
	}
}

/* Read the target of the symbolic link vp into buf; *lenp is its length. */
static int
namei_readlink(struct vnode *vp, char *buf, size_t *lenp)
{
	struct iovec iov = { .iov_base = buf, .iov_len = PATH_MAX };
	struct uio uio = { .uio_iov = &iov, .uio_iovcnt = 1,
		.uio_resid = PATH_MAX, .uio_rw = UIO_READ, .uio_sysspace = true };
	int error;

	if ((error = VOP_READLINK(vp, &uio)) != 0)
		return error;
	*lenp = PATH_MAX - uio.uio_resid;
	if (*lenp == 0)
		return ENOENT;
	if (*lenp >= PATH_MAX)
		return ENAMETOOLONG;
	return 0;
}

/*
 * Splice the link target in front of the rest of the path: path becomes
 * target "/" rest.  rest points into path.
 */
static int
namei_splice(char *path, const char *rest, const char *target, size_t tlen)
{
	size_t rlen = strlen(rest);

	if (tlen + 1 + rlen + 1 > PATH_MAX)
		return ENAMETOOLONG;
	memmove(path + tlen + 1, rest, rlen + 1);
	memcpy(path, target, tlen);
	path[tlen] = rlen > 0 ? '/' : '\0';
	return 0;
}

/*
 * The file an empty path names: with NI_EMPTYPATH, the directory or any
 * file of ni_dirfd (AT_EMPTY_PATH); with NI_REOPEN, the file of an O_PATH
 * descriptor, else ENOENT as for any empty path.
 */
static int
namei_emptypath(struct nameidata *nd, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if (nd->ni_flags & NI_EMPTYPATH) {
		if ((error = namei_startdir(nd->ni_dirfd, vpp)) != ENOTDIR)
			return error;
	} else if (nd->ni_dirfd == AT_FDCWD)
		return ENOENT;
	if ((error = fd_getvnode_path(nd->ni_dirfd, vpp, &fp)) != 0)
		return (nd->ni_flags & NI_EMPTYPATH) ? error : ENOENT;
	if ((nd->ni_flags & NI_EMPTYPATH) == 0 &&
	    (atomic_load_relaxed(&fp->f_flag) & FPATH) == 0)
		error = ENOENT;
	else
		vref(*vpp);
	fd_putfile(fp);
	return error;
}

/*
 * One name in dvp: from the name cache, else from the file system, whose
 * answer the cache then keeps; a name found absent too if negative (not
 * when it is about to be made).
 */
static int
namei_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp, bool negative)
{
	uint64_t gen;
	int error;

	if ((error = ncache_lookup(dvp, name, len, vpp, &gen)) != NCACHE_MISS)
		return error;
	error = VOP_LOOKUP(dvp, name, len, vpp);
	if (error == 0)
		ncache_enter(dvp, name, len, *vpp, gen);
	else if (error == ENOENT && negative)
		ncache_enter(dvp, name, len, NULL, gen);
	return error;
}

int
namei(struct nameidata *nd)
{
	char *path = NULL, *link = NULL, *cp, *name;
	struct vnode *dvp = NULL, *vp = NULL, *root;
	size_t len, tlen;
	unsigned nlinks = 0;
	bool last, want_parent = (nd->ni_flags & NI_WANTPARENT) != 0;
	int error;

	nd->ni_dvp = nd->ni_vp = NULL;
	nd->ni_dots = 0;
	nd->ni_trailslash = false;
	nd->ni_namelen = 0;
	if ((path = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	if (nd->ni_flags & NI_KERNPATH) {
		if (strlcpy(path, nd->ni_path, PATH_MAX) >= PATH_MAX)
			error = ENAMETOOLONG;
		else
			error = 0;
	} else
		error = copyinstr(nd->ni_path, path, PATH_MAX, NULL);
	if (error)
		goto out;

	root = cwd_rootdir();
	if (path[0] == '\0') {
		if ((nd->ni_flags & (NI_EMPTYPATH | NI_REOPEN)) == 0 ||
		    want_parent) {
			error = ENOENT;
			goto outroot;
		}
		error = namei_emptypath(nd, &vp);
		if (error == 0)
			nd->ni_vp = vp;
		goto outroot;
	}
	if (path[0] == '/') {
		dvp = root;
		vref(dvp);
	} else if ((error = namei_startdir(nd->ni_dirfd, &dvp)) != 0)
		goto outroot;

	cp = path;
	for (;;) {
		while (*cp == '/')
			cp++;
		if (*cp == '\0') {
			/* The path was "/" or ended in a link to a directory. */
			vp = dvp;
			dvp = NULL;
			if (want_parent) {
				nd->ni_dots = 1;
				nd->ni_dvp = vp;
				vref(vp);
			}
			break;
		}
		name = cp;
		while (*cp != '\0' && *cp != '/')
			cp++;
		len = (size_t)(cp - name);
		if (len > NAME_MAX) {
			error = ENAMETOOLONG;
			break;
		}
		while (*cp == '/') {
			cp++;
			nd->ni_trailslash = true;
		}
		last = *cp == '\0';
		if (!last)
			nd->ni_trailslash = false;

		if (dvp->v_type != VDIR) {
			error = ENOTDIR;
			break;
		}
		if ((error = VOP_ACCESS(dvp, VEXEC, kauth_cred_get())) != 0)
			break;
		if (len == 1 && name[0] == '.') {
			vp = dvp;
			vref(vp);
			nd->ni_dots = last ? 1 : 0;
		} else if (len == 2 && name[0] == '.' && name[1] == '.') {
			nd->ni_dots = last ? 2 : 0;
			/* Out of mounts, but not above the process root. */
			while (dvp != root && (dvp->v_vflag & VV_ROOT) &&
			    dvp->v_mount->mnt_vnodecovered != NULL) {
				vp = dvp->v_mount->mnt_vnodecovered;
				vref(vp);
				vrele(dvp);
				dvp = vp;
			}
			if (dvp == root) {
				vp = dvp;
				vref(vp);
			} else if ((error = VOP_LOOKUP(dvp, name, len, &vp)) != 0)
				break;
		} else {
			nd->ni_dots = 0;
			error = namei_lookup(dvp, name, len, &vp,
			    !(last && want_parent));
			if (error == ENOENT && last && want_parent) {
				error = 0;
				vp = NULL;
			}
			if (error)
				break;
		}
		if (vp != NULL && vp->v_type == VDIR && !(last && want_parent) &&
		    (error = namei_crossmount(&vp)) != 0)
			break;
		if (vp != NULL && vp->v_type == VLNK &&
		    (!last || nd->ni_trailslash ||
		    (nd->ni_flags & NI_FOLLOW))) {
			if (++nlinks > MAXSYMLINKS) {
				error = ELOOP;
				break;
			}
			if (link == NULL &&
			    (link = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL) {
				error = ENOMEM;
				break;
			}
			error = namei_readlink(vp, link, &tlen);
			vrele(vp);
			vp = NULL;
			if (error == 0)
				error = namei_splice(path,
				    nd->ni_trailslash && last ? "" : cp, link,
				    tlen);
			if (error)
				break;
			/* A trailing slash stays with the spliced path. */
			if (nd->ni_trailslash && last)
				strlcat(path, "/", PATH_MAX);
			nd->ni_trailslash = false;
			cp = path;
			if (*cp == '/') {
				vrele(dvp);
				dvp = root;
				vref(dvp);
			}
			continue;
		}
		if (!last) {
			vrele(dvp);
			dvp = vp;
			vp = NULL;
			continue;
		}
		memcpy(nd->ni_name, name, len);
		nd->ni_name[len] = '\0';
		nd->ni_namelen = len;
		if (want_parent) {
			nd->ni_dvp = dvp;
			dvp = NULL;
		}
		break;
	}
	if (error == 0 && vp != NULL && nd->ni_trailslash &&
	    vp->v_type != VDIR)
		error = ENOTDIR;
	if (error) {
		if (vp != NULL)
			vrele(vp);
		if (nd->ni_dvp != NULL) {
			vrele(nd->ni_dvp);
			nd->ni_dvp = NULL;
		}
	} else
		nd->ni_vp = vp;
	if (dvp != NULL)
		vrele(dvp);
outroot:
	vrele(root);
out:
	if (link != NULL)
		kmem_free(link, PATH_MAX);
	kmem_free(path, PATH_MAX);
	return error;
}

void
namei_done(struct nameidata *nd)
{
	if (nd->ni_vp != NULL)
		vrele(nd->ni_vp);
	if (nd->ni_dvp != NULL)
		vrele(nd->ni_dvp);
	nd->ni_vp = nd->ni_dvp = NULL;
}
