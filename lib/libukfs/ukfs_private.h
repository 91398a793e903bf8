/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of libukfs share: the mount record and the table of
 * file-system types (ukfs_fstypes.c).
 */
#ifndef _UKFS_PRIVATE_H_
#define _UKFS_PRIVATE_H_

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <rump/ukfs.h>

/* Immutable from ukfs_mount() to ukfs_release(). */
struct ukfs {
	char *uk_image;                 /* host path of the image */
	char *uk_devkey;                /* etfs key of the whole image */
	char *uk_dev;                   /* device mounted: key or partition */
	char *uk_mountpath;             /* where it is in the kernel */
	char *uk_fstype;
	int uk_partition;
	int uk_flags;
	int uk_madedir;                 /* ukfs made uk_mountpath */
};

/*
 * File-system types.  Detection: a type matches when every magic of its
 * row is found (one row per layout; a type may have several rows).
 * Mount arguments: how to build the default ones for a device path.
 */
#define UKFS_MAGIC_MAX 2
struct ukfs_magic {
	uint64_t um_off;                /* bytes from the device's start */
	unsigned um_len;                /* 0: unused */
	const char *um_bytes;
};
struct ukfs_fsdetect {
	const char *fd_fstype;
	struct ukfs_magic fd_magic[UKFS_MAGIC_MAX];
};
extern const struct ukfs_fsdetect ukfs_fsdetect[];
extern const size_t ukfs_nfsdetect;

/* Build the default mount arguments of fstype for dev in buf: length. */
size_t ukfs_defargs(const char *fstype, const char *dev, void *buf,
    size_t bufsize);

/* Detect the type of the bytes of host fd from off: a name or NULL. */
const char *ukfs_detect_fd(int fd, uint64_t off, uint64_t size);

/*
 * The kernel path of path under fs's mount, lexically resolved so that
 * ".." stops at the mount's root; -1 and ENAMETOOLONG if it does not fit.
 */
#define UKFS_PATHMAX (PATH_MAX + 256)
int ukfs_kpath(struct ukfs *fs, const char *path, char *buf, size_t size);

#endif /* _UKFS_PRIVATE_H_ */
