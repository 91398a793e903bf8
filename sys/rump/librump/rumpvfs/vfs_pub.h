/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What vfs_pub.c (the vnode-level client interface) shares with the
 * generated RUMP_VOP_* wrappers (rumpvnode_if.c): the componentname a
 * client makes with rump_pub_makecn(), and the helpers that turn the
 * original's operation arguments into ours.  Every helper is called
 * inside the kernel (scheduled) with referenced vnodes, and leaves the
 * caller's references as they were; vnodes it returns carry one more.
 */
#ifndef _RUMPVFS_VFS_PUB_H_
#define _RUMPVFS_VFS_PUB_H_

#include <sys/types.h>
#include <sys/kauth.h>
#include <sys/vnode.h>

/* Immutable once made; freed by rump_pub_freecn(). */
struct componentname {
	unsigned long cn_nameiop;       /* RUMP_NAMEI_LOOKUP ... */
	unsigned long cn_flags;         /* RUMP_NAMEI_FOLLOW ... */
	kauth_cred_t cn_cred;           /* the caller's, not held by us */
	size_t cn_namelen;
	char cn_name[];                 /* cn_namelen bytes and a NUL */
};

int vpub_lookup(struct vnode *, struct vnode **, struct componentname *);
/* type: the node's type, or VNON to take vap's (mknod). */
int vpub_create(struct vnode *, struct vnode **, struct componentname *,
    struct vattr *, enum vtype type);
int vpub_symlink(struct vnode *, struct vnode **, struct componentname *,
    struct vattr *, char *target);
int vpub_getattr(struct vnode *, struct vattr *, kauth_cred_t);
int vpub_setattr(struct vnode *, struct vattr *, kauth_cred_t);
int vpub_write(struct vnode *, struct uio *, int ioflag, kauth_cred_t);
int vpub_fsync(struct vnode *, kauth_cred_t, int flags, off_t, off_t);
int vpub_remove(struct vnode *, struct vnode *, struct componentname *,
    bool isdir);
int vpub_link(struct vnode *, struct vnode *, struct componentname *);
int vpub_rename(struct vnode *, struct vnode *, struct componentname *,
    struct vnode *, struct vnode *, struct componentname *);
int vpub_readdir(struct vnode *, struct uio *, kauth_cred_t, int *eofflag,
    off_t **cookies, int *ncookies);
int vpub_readlink(struct vnode *, struct uio *, kauth_cred_t);

#endif /* _RUMPVFS_VFS_PUB_H_ */
