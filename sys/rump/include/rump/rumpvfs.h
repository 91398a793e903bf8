/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The VFS's client interface beyond the system calls (librumpvfs).
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

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Host files in the kernel's namespace (etfs, rump_etfs(3)).
 *
 * rump_pub_etfs_register(key, hostpath, type) makes the host file or
 * directory hostpath appear at key, a path in the root file system
 * (leading slashes optional; symbolic links and mounts are not
 * followed; missing parent directories are created, mode 0755, and
 * stay).  The node is owned by root, mode 0644 (directories 0755):
 *   RUMP_ETFS_REG          a regular file whose data is the host file's;
 *   RUMP_ETFS_BLK          a block device (what disk file systems mount:
 *                          their mount argument is the key), through the
 *                          buffer cache and asynchronous host I/O;
 *   RUMP_ETFS_CHR          a character device, raw host I/O;
 *   RUMP_ETFS_DIR          a host directory: each of its regular files
 *                          appears as a RUMP_ETFS_REG file when looked up;
 *   RUMP_ETFS_DIR_SUBDIRS  the same, and its directories likewise.
 * The _withsize variant exposes size bytes of the host file from offset
 * begin (RUMP_ETFS_SIZE_ENDOFF: to the end of the file, which may grow).
 * A device's size is fixed when it is registered; a window that goes
 * past the end of the host file reads as an I/O error (EIO) there.
 *
 * Returns 0 or: EEXIST (key registered, or something is at key), ENOENT
 * (no hostpath), EISDIR/ENOTDIR (hostpath's type does not fit type),
 * EINVAL (bad type, key or window: begin past the host file's end, an
 * empty window, a window on a directory), ENXIO (no kernel), and what
 * the host says opening the file.  rump_pub_etfs_remove(key) takes the
 * node away: EBUSY while it (or for a directory, a file under it) is
 * open or mounted, ENOENT for a key not registered.
 */
enum rump_etfs_type {
	RUMP_ETFS_REG,
	RUMP_ETFS_BLK,
	RUMP_ETFS_CHR,
	RUMP_ETFS_DIR,
	RUMP_ETFS_DIR_SUBDIRS
};
#define RUMP_ETFS_SIZE_ENDOFF ((uint64_t)-1)

__attribute__((__visibility__("default")))
int rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type);
__attribute__((__visibility__("default")))
int rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size);
__attribute__((__visibility__("default")))
int rump_pub_etfs_remove(const char *key);

struct rump_mntinfo {
	char mi_fstype[16];             /* "rumpfs", "tmpfs" ... */
	char mi_onname[256];            /* the path given to mount */
	struct statvfs mi_stat;
};

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPVFS_H_ */
