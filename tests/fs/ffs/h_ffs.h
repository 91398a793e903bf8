/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Helpers of the FFS tests (ffs_util.c): host trees and the images
 * Debian's makefs(8) builds from them, mounting an image read-only
 * through etfs, and walking a mount against the host tree it came from.
 */
#ifndef _TESTS_FS_FFS_H_FFS_H_
#define _TESTS_FS_FFS_H_FFS_H_

#include <stdbool.h>
#include <stddef.h>

#define FFS_KEY "/dev/ffsimg"
#define FFS_MNT "/mnt"

/* A scratch directory under /tmp, removed at exit of this process. */
const char *ffs_scratch(void);
/*
 * Generate the test tree at dir: files of many sizes, a deep path, a
 * directory of 2,000 entries, short and long symlinks, hard links, odd
 * modes.  Its specfile (owners, a device node) goes to spec.
 */
void ffs_mktree(const char *dir, const char *spec);
/* makefs -t ffs; opts like "version=2,bsize=8192,fsize=1024". */
void ffs_makefs(const char *img, const char *dir, const char *spec,
    const char *opts, const char *order);
/* Register img at FFS_KEY and mount it read-only at FFS_MNT; errno. */
int ffs_mount(const char *img);
/*
 * Compare the mount with the host tree: every name, type, mode, owner,
 * size, link count, mtime, byte and link target.  spec entries
 * override the host's owner and mode where ffs_mktree made them.
 * Returns the number of files compared.
 */
size_t ffs_compare(const char *hostdir, bool generated);
/*
 * Walk everything under path, reading every file, link and directory
 * and every extended attribute, with bounded depth and work.  No
 * result: only that it returns.
 */
void ffs_walk(const char *path, int depth);

/*
 * Give the files at paths (absolute in the image) of the UFS2 image img
 * extended attributes (trusted., security. up to 7000 bytes: fragments
 * and two blocks; user. and ACLs but on symlinks; directories a default
 * ACL), through our kernel in a child process of its own.
 */
void ffs_add_xattrs(const char *img, const char *const *paths, size_t n);

/*
 * Check an unmounted image's counts against its maps and inodes
 * (ffs_check.c): 0, or -1 with the first finding in why.
 */
int ffs_check_image(const char *img, char *why, size_t whylen);

#endif
