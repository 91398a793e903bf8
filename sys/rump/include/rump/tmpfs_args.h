/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mount arguments of tmpfs (librumpfs_tmpfs), as the original's:
 *
 *	struct tmpfs_args ta = { .ta_version = TMPFS_ARGS_VERSION,
 *	    .ta_size_max = 64 << 20, .ta_root_mode = 01777 };
 *	rump_sys_mount("tmpfs", "/tmp", 0, &ta, sizeof(ta));
 *
 * Data NULL with length 0 takes the defaults: no size limit beyond the
 * kernel's memory (RUMP_MEMLIMIT), no node limit, root directory mode
 * 01777 owned by the mounting process's effective uid and gid.  A zero
 * ta_size_max or ta_nodes_max means no limit; ta_root_mode 0 takes the
 * default mode.  Another ta_version, or a length other than
 * sizeof(struct tmpfs_args), is EINVAL.  Past ta_size_max (counting
 * data pages, metadata and names), writes and creations fail with
 * ENOSPC and change nothing.  Remounting (MS_REMOUNT) changes the
 * read-only flag; the arguments are ignored then.
 */
#ifndef _RUMP_TMPFS_ARGS_H_
#define _RUMP_TMPFS_ARGS_H_

#include <stdint.h>
#include <sys/types.h>

#define TMPFS_ARGS_VERSION 1

struct tmpfs_args {
	int ta_version;
	uint64_t ta_nodes_max;
	uint64_t ta_size_max;           /* bytes */
	uid_t ta_root_uid;
	gid_t ta_root_gid;
	mode_t ta_root_mode;
};

#endif /* _RUMP_TMPFS_ARGS_H_ */
