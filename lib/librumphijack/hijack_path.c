/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Which side a path names.  An absolute path under the prefix is the
 * kernel's, the prefix stripped ("/rump" itself is the kernel's "/");
 * any other absolute path is the host's.  A relative path is resolved
 * where the current directory is (hj_cwd_kernel, set by chdir and
 * fchdir), or for an *at call where its directory descriptor is.  The
 * match is textual: "/rump/../etc" is the kernel's "/../etc", which is
 * the kernel's root; a host symbolic link into the prefix is not
 * followed into the kernel.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>

#include "hijack.h"

bool hj_cwd_kernel;

enum hj_where
hj_path(const char *path, const char **kpath)
{
	const char *rest;

	*kpath = path;
	if (hj_inside || path == NULL)
		return HJ_HOST;
	if (path[0] != '/')
		return hj_cwd_kernel ? HJ_KERNEL : HJ_HOST;
	if (hj_cfg.prefixlen == 0 ||
	    strncmp(path, hj_cfg.prefix, hj_cfg.prefixlen) != 0)
		return HJ_HOST;
	rest = path + hj_cfg.prefixlen;
	if (rest[0] == '\0')
		*kpath = "/";
	else if (rest[0] == '/')
		*kpath = rest;
	else
		return HJ_HOST;
	return HJ_KERNEL;
}

/*
 * For an *at call: *kdirfd is the kernel's directory descriptor (or
 * AT_FDCWD) when the answer is HJ_KERNEL.
 */
enum hj_where
hj_path_at(int dirfd, const char *path, int *kdirfd, const char **kpath)
{
	int k;

	*kdirfd = AT_FDCWD;
	if (path != NULL && path[0] != '/' && dirfd != AT_FDCWD) {
		*kpath = path;
		if ((k = hj_kfd(dirfd)) < 0)
			return HJ_HOST;
		*kdirfd = k;
		return HJ_KERNEL;
	}
	return hj_path(path, kpath);
}
