/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * cd9660 above the format layer: the mount (cd9660_vfsops.c) and the
 * vnodes (cd9660_vnops.c) of the read-only "cd9660" file-system type.
 *
 * Locking: none of our own.  The volume (struct cd9660) is immutable
 * while mounted and a vnode's node is immutable from loadvnode to
 * reclaim but for a directory's name table, published once atomically
 * (cd9660_dircache.c); the device is read through the buffer cache,
 * which has its own locks.  So every operation runs without a lock, and vcache_get()
 * and vrele() may be called from anywhere.
 */
#ifndef _CD9660_VFS_H_
#define _CD9660_VFS_H_

#include <sys/mount.h>
#include <sys/vnode.h>

#include "cd9660.h"

struct cd9660_mount {
	struct cd9660 *im_iso;          /* c: the loaded volume */
	struct vnode *im_devvp;         /* c: the open block device */
};

/*
 * What lookup hands vcache_get() for a file's inode: the end of the
 * directory holding its records, which bounds a multi-extent file's.
 */
struct cd9660_hint {
	uint64_t ih_dirend;
};

#define VFSTOISO(mp) ((struct cd9660_mount *)(mp)->mnt_data)
#define VTOIN(vp) ((struct cd9660_node *)(vp)->v_data)
#define VTOISO(vp) (VFSTOISO((vp)->v_mount)->im_iso)

/* cd9660_vnops.c */
extern const struct vnodeops cd9660_vnodeops;
extern struct vnodeops cd9660_specops;
void cd9660_specops_init(void);

/* cd9660_vfsops.c */
void cd9660_vfs_init(void);

#endif /* _CD9660_VFS_H_ */
