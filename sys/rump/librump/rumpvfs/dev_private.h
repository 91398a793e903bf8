/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the VFS's block layer (device switch, device vnodes, buffer
 * cache, etfs) shares inside librumpvfs.
 */
#ifndef _RUMPVFS_DEV_PRIVATE_H_
#define _RUMPVFS_DEV_PRIVATE_H_

#include <sys/types.h>
#include <sys/kauth.h>

struct buf;
struct uio;
struct vattr;
struct vnode;

/* vfs_bio.c: the cache, its syncer, sysctl node and shutdown hook. */
void bio_init(void);

/* vfs_dev.c */
void vfs_dev_init(void);

/*
 * spec_vnops.c: the device half of a device node's vnode operations.
 * A file system with device nodes uses these for open, close, read,
 * write, fsync and strategy, and its own for the rest; its getattr
 * calls spec_getattr_fix() and its reclaim spec_reclaim() first.
 */
int spec_open(struct vnode *, int fflag, kauth_cred_t);
int spec_close(struct vnode *, int fflag, kauth_cred_t);
int spec_read(struct vnode *, struct uio *, int ioflag, kauth_cred_t);
int spec_write(struct vnode *, struct uio *, int ioflag, kauth_cred_t);
int spec_fsync(struct vnode *, bool dataonly);
void spec_strategy(struct vnode *, struct buf *);
void spec_getattr_fix(struct vnode *, struct vattr *);
void spec_reclaim(struct vnode *);

/* rumpfs_etfs.c */
void etfs_init(void);
/* After the root is mounted: the registrations made before boot. */
void etfs_boot(void);

#endif /* _RUMPVFS_DEV_PRIVATE_H_ */
