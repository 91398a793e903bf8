/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Block devices as disk file systems see them (vfs_dev.c).  A mount
 * opens the device its arguments name, reads and writes it through the
 * buffer cache (sys/buf.h) and closes it at unmount:
 *
 *	struct vnode *devvp;
 *	uint64_t size; unsigned secsize;
 *	error = vfs_opendev(args->fspec, rdonly ? FREAD : FREAD | FWRITE,
 *	    &devvp);
 *	error = vfs_devsize(devvp, &size, &secsize);
 *	error = bread(devvp, sb_offset / DEV_BSIZE, sb_size, 0, &bp);
 *	...
 *	vfs_closedev(devvp, flags);      in vfs_unmount: flush, forget, close
 *
 * The path is a kernel path (copy the client's string in first).  The
 * device must be a block device node (ENOTBLK) whose driver is there
 * (ENXIO); the caller needs read, and for FWRITE write, permission
 * (EACCES); a device already open for a mount is EBUSY.
 */
#ifndef _SYS_DISK_H_
#define _SYS_DISK_H_

#include <sys/types.h>

struct vnode;

int vfs_opendev(const char *path, int fflag, struct vnode **devvpp);
int vfs_devsize(struct vnode *devvp, uint64_t *bytesp, unsigned *secsizep);
/* Flush and forget the device's buffers, close it, drop the vnode. */
void vfs_closedev(struct vnode *devvp, int fflag);

#endif /* _SYS_DISK_H_ */
