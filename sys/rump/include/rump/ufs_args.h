/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mount arguments of ffs (librumpfs_ffs) and ext2fs (librumpfs_ext2fs),
 * as the original's:
 *
 *	rump_pub_etfs_register("/dev/ffs", "image.ffs", RUMP_ETFS_BLK);
 *	struct ufs_args ua = { .fspec = "/dev/ffs" };
 *	rump_sys_mount("ffs", "/mnt", MS_RDONLY, &ua, sizeof(ua));
 *
 * fspec is the path of a block device inside the kernel.  A length
 * other than sizeof(struct ufs_args) is EINVAL.  Only read-only mounts
 * are implemented so far: without MS_RDONLY the mount fails with EROFS.
 * An image that is not a sound file system of the type is EINVAL at mount; a
 * corruption found later is EIO.  Each is reported in the kernel log.
 */
#ifndef _RUMP_UFS_ARGS_H_
#define _RUMP_UFS_ARGS_H_

struct ufs_args {
	char *fspec;                    /* block device to mount */
};

#endif /* _RUMP_UFS_ARGS_H_ */
