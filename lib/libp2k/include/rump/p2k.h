/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * p2k: serve a file system of the rump kernel to the host through FUSE
 * (libfuse3).  The file system runs in a rump kernel inside the daemon;
 * every FUSE request becomes rump_sys_* calls on the kernel's mount.
 *
 *	struct p2k_mount *p2m = p2k_init(0, "ro");
 *	p2k_setup_fs(p2m, "ext2fs", "disk.img:1", "/mnt", MS_RDONLY, NULL, 0);
 *	p2k_mainloop(p2m);
 *
 * Requests run as the user who made them: each FUSE worker thread is a
 * process of its own in the kernel, chrooted to the mount, and takes the
 * request's uid, gid and supplementary groups as its effective ids, so
 * the kernel's file system does every permission check and every errno
 * comes back as the kernel gave it.  Files are created owned by the
 * requester.  Open files and directories are kernel descriptors.
 *
 * One mount per process.  The whole story (forking, signals,
 * unmounting) is in p2k(3).
 */
#ifndef _RUMP_P2K_H_
#define _RUMP_P2K_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define P2K_API __attribute__((__visibility__("default")))

/* p2k_init() flags. */
#define P2K_FOREGROUND   0x01   /* do not fork into the background */
#define P2K_DEBUG        0x02   /* FUSE's request trace on stderr; foreground */
#define P2K_SINGLETHREAD 0x04   /* serve one request at a time */
#define P2K_NOWRITEBACK  0x08   /* no writeback cache: the host writes through */

struct p2k_mount;

/*
 * Start a daemon: unless P2K_FOREGROUND or P2K_DEBUG, fork; the parent
 * waits until the child is serving (exit 0) or has failed (the child's
 * exit status) and never returns.  Then boot the rump kernel.
 * fuseopts: FUSE mount and library options, comma-separated (NULL: none),
 * as after -o of a FUSE file system.  Returns NULL with errno set.
 */
P2K_API struct p2k_mount *p2k_init(int flags, const char *fuseopts);

/*
 * Mount vfsname in the kernel and prepare the FUSE mount on the host
 * directory mountpath.  devpath, when not NULL, is a host image, or
 * image:N for partition N of a disk image, mounted through libukfs
 * (ukfs_mount(3): with arg NULL it builds the file system's default
 * arguments); with devpath NULL, vfsname is mounted with arg as it is.
 * mntflags are mount(2)'s MS_*.  Returns 0 or an errno; p2k_errstr()
 * says what failed.
 */
P2K_API int p2k_setup_fs(struct p2k_mount *p2m, const char *vfsname,
    const char *devpath, const char *mountpath, int mntflags, void *arg,
    size_t alen);

/*
 * The same for a file system that is already mounted in the kernel at
 * kpath; p2k_mainloop() does not unmount it.
 */
P2K_API int p2k_setup_mounted(struct p2k_mount *p2m, const char *kpath,
    const char *mountpath, const char *fsname, const char *subtype);

/* What the last failed p2k_* call was doing, e.g. "mount ext2fs". */
P2K_API const char *p2k_errstr(struct p2k_mount *p2m);

/*
 * Serve until the host file system is unmounted (fusermount3 -u) or the
 * daemon gets SIGINT, SIGTERM or SIGHUP.
 * Then remove the FUSE mount, close what is still open and unmount the
 * kernel's file system (it is synced and marked clean).  Frees p2m.
 * Returns 0, or an errno if unmounting failed.
 */
P2K_API int p2k_mainloop(struct p2k_mount *p2m);

/* Undo what p2k_init and p2k_setup_* did, when p2k_mainloop will not run. */
P2K_API void p2k_abort(struct p2k_mount *p2m);

/*
 * A whole daemon: parse "[-f] [-d] [-s] [-o opt,...] image mountpoint"
 * (no image when needimage is 0), do the above and return the exit
 * status.  Messages are "progname: what failed: why" on stderr.
 */
P2K_API int p2k_main(int argc, char **argv, const char *vfsname,
    int needimage);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_P2K_H_ */
