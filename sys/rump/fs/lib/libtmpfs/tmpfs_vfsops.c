/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * tmpfs: a memory file system with a size limit and the root's owner and
 * mode given at mount time.  Its nodes, pages, directories and vnode
 * operations are the rumpfs engine's (rumpvfs/rumpfs.h), which already
 * counts every byte it stores against a mount limit; this file turns
 * struct tmpfs_args (<rump/tmpfs_args.h>) into the engine's arguments
 * and registers the "tmpfs" type.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <rump/tmpfs_args.h>

#include "rumpfs.h"

static int
tmpfs_mount(struct mount *mp, const void *data, size_t len)
{
	const struct tmpfs_args *ta = data;
	kauth_cred_t cred = kauth_cred_get();
	struct rumpfs_args ra = {
		.ra_rootmode = 01777,
		.ra_rootuid = cred->cr_euid,
		.ra_rootgid = cred->cr_egid,
	};

	if (mp->mnt_flag & MNT_UPDATE)
		return 0;
	if (data != NULL) {
		if (len != sizeof(*ta) || ta->ta_version != TMPFS_ARGS_VERSION)
			return EINVAL;
		ra.ra_maxbytes = ta->ta_size_max;
		ra.ra_maxnodes = ta->ta_nodes_max;
		ra.ra_rootuid = ta->ta_root_uid;
		ra.ra_rootgid = ta->ta_root_gid;
		if (ta->ta_root_mode != 0)
			ra.ra_rootmode = ta->ta_root_mode & ALLPERMS;
	}
	/* Names change through VOP calls only: no etfs here. */
	mp->mnt_namecache = true;
	return rumpfs_engine_mount(mp, &ra);
}

static struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = rumpfs_unmount,
	.vfs_root = rumpfs_root,
	.vfs_statvfs = rumpfs_statvfs,
	.vfs_sync = rumpfs_sync,
	.vfs_loadvnode = rumpfs_loadvnode,
};

static void
tmpfs_init(void)
{
	if (vfs_attach(&tmpfs_vfsops) != 0)
		panic("tmpfs_init: cannot register tmpfs");
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS_FS, tmpfs, tmpfs_init)
