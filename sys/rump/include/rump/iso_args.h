/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mount arguments of the "cd9660" file system (ISO 9660 with Rock Ridge
 * and Joliet, read-only), with the original's names:
 *
 *	struct iso_args a = { .fspec = "/dev/cd0" };
 *	rump_sys_mount("cd9660", "/cdrom", MS_RDONLY, &a, sizeof(a));
 *
 * The file system is read-only: a mount (or remount) without MS_RDONLY
 * is EROFS, as on the original.  The flag values are NetBSD's where
 * NetBSD has the flag; ISOFSMNT_SESS is OpenBSD's idea with a value of
 * ours, and ISOFSMNT_LASTSESS is ours (cd9660(4)).
 */
#ifndef _RUMP_ISO_ARGS_H_
#define _RUMP_ISO_ARGS_H_

struct iso_args {
	const char *fspec;              /* block device to mount */
	int flags;                      /* ISOFSMNT_* */
	int sess;                       /* ISOFSMNT_SESS: first sector of
					 * the session to mount */
};

#define ISOFSMNT_NORRIP      0x00000001 /* ignore Rock Ridge */
#define ISOFSMNT_GENS        0x00000002 /* keep ";N" versions, show all */
#define ISOFSMNT_EXTATT      0x00000004 /* extended attribute records:
					 * not supported (EOPNOTSUPP) */
#define ISOFSMNT_NOJOLIET    0x00000008 /* ignore Joliet */
#define ISOFSMNT_NOCASETRANS 0x00000010 /* ISO names not lower-cased */
#define ISOFSMNT_SESS        0x00000040 /* mount the session at sess */
#define ISOFSMNT_LASTSESS    0x00000080 /* find and mount the last session
					 * (from sess with ISOFSMNT_SESS) */

#endif /* _RUMP_ISO_ARGS_H_ */
