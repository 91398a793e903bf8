/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mount arguments of the "ext2fs" file system.  A plain struct ufs_args
 * (<rump/ufs_args.h>) will do; this one adds flags:
 *
 *	struct ext2fs_args a = { .fspec = "/dev/img",
 *	    .flags = EXT2FS_ARGS_FORCE };
 *	rump_sys_mount("ext2fs", "/mnt", 0, &a, sizeof(a));
 */
#ifndef _RUMP_EXT2FS_ARGS_H_
#define _RUMP_EXT2FS_ARGS_H_

struct ext2fs_args {
	char *fspec;                    /* block device to mount */
	int flags;                      /* EXT2FS_ARGS_* */
	int commit;                     /* journal commit= seconds, 0: 5 */
};

/*
 * Mount read-write even though the file system was not cleanly
 * unmounted or has errors recorded (as Linux's ext2 does with a
 * warning); e2fsck first is wiser.
 */
#define EXT2FS_ARGS_FORCE 0x0001

/*
 * journal=off: write a file system that has a journal without
 * journaling, as ext2 (the journal stays as it is, empty; a crash
 * leaves the file system to e2fsck).
 */
#define EXT2FS_ARGS_NOJOURNAL 0x0002

/*
 * data=journal: file data too goes through the journal (written twice;
 * the default is data=ordered: data home before the commit that points
 * at it).
 */
#define EXT2FS_ARGS_DATAJOURNAL 0x0004

/*
 * journal_async_commit (with data=journal and a journal with checksums,
 * as Linux): a commit costs one device flush; the commit block carries
 * the transaction's checksums and goes down with its blocks, and a
 * replay drops a transaction whose commit came without all of them.
 */
#define EXT2FS_ARGS_ASYNCCOMMIT 0x0008

#endif /* _RUMP_EXT2FS_ARGS_H_ */
