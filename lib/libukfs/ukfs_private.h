/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of libukfs share: the mount record and the table of
 * file-system types (ukfs_fstypes.c).
 */
#ifndef _UKFS_PRIVATE_H_
#define _UKFS_PRIVATE_H_

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rump/ukfs.h>

struct lwp;

/*
 * A mount.  Its operations run in a kernel process of its own, chrooted
 * to the mount's root, so that "/", ".." and symbolic links resolve
 * inside the image as under a real chroot, never onto the kernel's other
 * mounts or the image's device node.  A calling thread borrows an idle
 * lwp of that process for each call (ukfs_enter, ukfs_leave); the
 * process shares the descriptor table of the one that mounted.
 *
 * Immutable from ukfs_mount() to ukfs_release() but for the lwp pool and
 * the current directory (uk_lwplock), uk_specific (the client's) and
 * uk_pid (changed only by ukfs_release()).
 */
#define UKFS_PATHMAX (PATH_MAX + 256)
struct ukfs {
	char *uk_image;                 /* host path of the image; NULL for
					 * a file system with no device */
	char *uk_devkey;                /* etfs key of the whole image */
	char *uk_dev;                   /* device mounted: key or partition */
	char *uk_mountpath;             /* where it is in the kernel */
	char *uk_fstype;
	int uk_partition;
	int uk_flags;
	int uk_madedir;                 /* ukfs made uk_mountpath */
	pid_t uk_pid;                   /* the chrooted process, or -1 */
	pthread_mutex_t uk_lwplock;
	struct lwp **uk_lwps;           /* idle lwps of uk_pid */
	size_t uk_nidle;                /* of them in uk_lwps */
	size_t uk_nlwps;                /* all lwps of uk_pid (uk_lwps' room) */
	char uk_cwd[UKFS_PATHMAX];      /* ukfs_chdir(): a cleaned path */
	_Atomic(void *) uk_specific;    /* ukfs_setspecific() */
};

/* Start and end the mount's process (ukfs_mount.c). */
int ukfs_proc_start(struct ukfs *fs);
void ukfs_proc_end(struct ukfs *fs);

/*
 * Bind the calling thread to an lwp of fs's process for a call (*prevp:
 * what it was bound to), and give it back; 0 or -1 with errno.
 */
int ukfs_enter(struct ukfs *fs, struct lwp **prevp);
void ukfs_leave(struct ukfs *fs, struct lwp *prev);

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
/* Whether fstype mounts without a device (tmpfs): no image then. */
bool ukfs_nodev_type(const char *fstype);
/*
 * The original's convention: mount arguments whose fspec names the host
 * image.  If args are such (fspec equal to image or host), a copy in buf
 * with fspec set to dev; else args themselves.
 */
void *ukfs_fixargs(const char *fstype, const char *image, const char *host,
    const char *dev, void *args, size_t arglen, void *buf, size_t bufsize);

/* Detect the type of the bytes of host fd from off: a name or NULL. */
const char *ukfs_detect_fd(int fd, uint64_t off, uint64_t size);

/*
 * The path the mount's process uses for path, lexically resolved so that
 * ".." stops at the root; -1 and ENAMETOOLONG if it does not fit.
 */
int ukfs_kpath(struct ukfs *fs, const char *path, char *buf, size_t size);

#endif /* _UKFS_PRIVATE_H_ */
