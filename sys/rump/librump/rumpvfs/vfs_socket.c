/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Socket nodes for the Unix domain (sys/rump/net/lib/liblocal): bind(2)
 * makes a node of type VSOCK at a path in any file system that can
 * create one, and connect(2) finds it again.  The VFS only makes and
 * finds the node; which socket is bound to it is the domain's business
 * (it keeps a reference to the vnode while bound).
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "vfs_private.h"

int
vfs_socket_bind(const char *path, mode_t mode, struct vnode **vpp)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path,
		.ni_flags = NI_KERNPATH | NI_WANTPARENT };
	struct vattr va = { .va_type = VSOCK };
	struct proc *p = curproc;
	int error;

	mutex_enter(&p->p_lock);
	va.va_mode = mode & ALLPERMS & ~p->p_cwdi->cwdi_cmask;
	mutex_exit(&p->p_lock);
	va.va_cmode = mode & ALLPERMS;
	va.va_mask = VA_CMODE;
	if ((error = namei(&nd)) != 0)
		return error;
	if (nd.ni_vp != NULL || nd.ni_dots != 0)
		error = EADDRINUSE;
	else if (nd.ni_trailslash)
		error = ENOENT;
	else if (vpp == NULL)
		error = 0;
	else if (vfs_isrdonly(nd.ni_dvp->v_mount))
		error = EROFS;
	else
		error = VOP_CREATE(nd.ni_dvp, nd.ni_name, nd.ni_namelen, &va,
		    kauth_cred_get(), vpp);
	namei_done(&nd);
	return error;
}

int
vfs_socket_lookup(const char *path, struct vnode **vpp)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path,
		.ni_flags = NI_KERNPATH | NI_FOLLOW };
	struct vnode *vp;
	int error;

	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	if (vp->v_type != VSOCK)
		error = ECONNREFUSED;
	else
		error = VOP_ACCESS(vp, VWRITE, kauth_cred_get());
	if (error != 0) {
		vrele(vp);
		return error;
	}
	*vpp = vp;
	return 0;
}
