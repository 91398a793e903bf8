/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The VFS's client interface beyond the system calls (librumpvfs); the
 * etfs calls and the vnode-level interface are in <rump/rump.h>, as in
 * the original, and this header includes it.
 *
 * rump_sys_getvfsstat(buf, bufsize) lists the mounted file systems: it
 * fills up to bufsize / sizeof(struct rump_mntinfo) records and returns
 * how many it filled; with buf NULL it returns how many there are.
 *
 * Mount flags are Linux's mount(2) MS_* and umount2(2) MNT_FORCE values
 * (<sys/mount.h>): MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC,
 * MS_SYNCHRONOUS, MS_NOATIME, and MS_REMOUNT to change the flags of a
 * mount given by its root directory; a remount to read-only fails with
 * EBUSY while a file of the mount is open for writing.  unmount with
 * MNT_FORCE does not fail for files in use: their descriptors and
 * current directories on the mount are revoked (every call on them but
 * close fails with EIO, lookups relative to them too; record-lock
 * waiters wake with EIO).  A mount with another mounted on it is EBUSY,
 * forced or not.
 */
#ifndef _RUMP_RUMPVFS_H_
#define _RUMP_RUMPVFS_H_

#include <sys/statvfs.h>
#include <stdint.h>
#include <rump/rump.h>              /* the etfs calls, declared there */

#ifdef __cplusplus
extern "C" {
#endif

struct rump_mntinfo {
	char mi_fstype[16];             /* "rumpfs", "tmpfs" ... */
	char mi_onname[256];            /* the path given to mount */
	struct statvfs mi_stat;
};

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPVFS_H_ */
