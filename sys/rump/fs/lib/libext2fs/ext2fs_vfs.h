/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs above the format layer: the mount (ext2fs_vfsops.c) and the
 * vnodes (ext2fs_vnops.c) of the "ext2fs" file-system type.
 *
 * Mounts are read-only, so nothing here changes after it is made: the
 * struct ext2fs is immutable once loaded and each vnode's decoded inode
 * once loadvnode has read it.  No operation takes a lock of its own;
 * the buffer cache serialises the device reads.
 */
#ifndef _EXT2FS_VFS_H_
#define _EXT2FS_VFS_H_

#include <sys/mount.h>
#include <sys/vnode.h>

#include "ext2fs.h"

struct ext2fs_mount {
	struct ext2fs *em_fs;           /* the loaded file system */
	struct vnode *em_devvp;         /* the open block device */
	uint32_t em_cbsize;             /* device cache block size, bytes */
};

#define VFSTOEXT2(mp) ((struct ext2fs_mount *)(mp)->mnt_data)
#define VTOEI(vp) ((struct ext2fs_inode *)(vp)->v_data)
#define VTOEXT2FS(vp) (VFSTOEXT2((vp)->v_mount)->em_fs)

/* ext2fs_vnops.c */
extern const struct vnodeops ext2fs_vnodeops;
extern struct vnodeops ext2fs_specops;
void ext2fs_specops_init(void);

/* ext2fs_vfsops.c */
void ext2fs_vfs_init(void);

#endif /* _EXT2FS_VFS_H_ */
