/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mount arguments of the "msdos" file system (librumpfs_msdos): FAT12,
 * FAT16 and FAT32 with VFAT long names.
 *
 *	rump_pub_etfs_register("/dev/fat", "stick.img", RUMP_ETFS_BLK);
 *	struct msdosfs_args a = { .fspec = "/dev/fat",
 *	    .version = MSDOSFSMNT_VERSION, .uid = 1000, .gid = 1000,
 *	    .mask = 0755, .dirmask = 0755 };
 *	rump_sys_mount("msdos", "/mnt", 0, &a, sizeof(a));
 *
 * FAT keeps no owners or permissions: every file shows uid and gid, a
 * regular file the permissions 0777 & mask (without the write bits
 * when its read-only attribute is set), a directory 0777 & dirmask.
 * Times are stored as local time; gmtoff is the seconds east of UTC of
 * that local time (0: the image keeps UTC, as Linux's default).  A
 * length other than sizeof(struct msdosfs_args), or another version,
 * is EINVAL.
 */
#ifndef _RUMP_MSDOSFS_ARGS_H_
#define _RUMP_MSDOSFS_ARGS_H_

#include <sys/types.h>

struct msdosfs_args {
	char *fspec;                    /* block device to mount */
	uid_t uid;                      /* owner of every file */
	gid_t gid;                      /* group of every file */
	mode_t mask;                    /* permission bits of files */
	mode_t dirmask;                 /* permission bits of directories */
	int flags;                      /* MSDOSFSMNT_* */
	int version;                    /* MSDOSFSMNT_VERSION */
	int gmtoff;                     /* seconds east of UTC of the times */
};

#define MSDOSFSMNT_VERSION 1

/*
 * Ignore long names: list and look up the 8.3 names only, and create
 * only names that are valid 8.3 names (others: EINVAL), with no long
 * name entries (what DOS sees).
 */
#define MSDOSFSMNT_NOWIN95 0x0004

#endif /* _RUMP_MSDOSFS_ARGS_H_ */
