/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mount arguments of the disk file systems (ext2fs, ffs), as the
 * original's: the path, inside the kernel, of the block device to mount
 * (a node made by rump_pub_etfs_register(..., RUMP_ETFS_BLK) or mknod):
 *
 *	struct ufs_args args = { .fspec = "/dev/img" };
 *	rump_sys_mount("ext2fs", "/mnt", MS_RDONLY, &args, sizeof(args));
 *
 * A length other than sizeof(struct ufs_args) is EINVAL.
 */
#ifndef _RUMP_UFS_ARGS_H_
#define _RUMP_UFS_ARGS_H_

struct ufs_args {
	char *fspec;
};

#endif /* _RUMP_UFS_ARGS_H_ */
