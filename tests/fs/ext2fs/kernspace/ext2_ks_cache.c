/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The device cache of a mounted ext2fs, for tests: drop every block it
 * holds, as memory pressure could, so that the next use of each is a
 * read from the disk (its checks run again: ext2fs_devbread_chk).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/fcntl.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <rump/rump.h>

#include "ext2_ks.h"
#include "ext2fs_vfs.h"
#include "vfs_private.h"

int
rump_test_ext2_dropcache(const char *path)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path,
		.ni_flags = NI_FOLLOW | NI_KERNPATH };
	struct ext2fs_mount *em;
	int error;

	rump_schedule();
	if ((error = namei(&nd)) != 0)
		goto out;
	if (strcmp(nd.ni_vp->v_mount->mnt_op->vfs_name, "ext2fs") != 0)
		error = EINVAL;
	else {
		em = VFSTOEXT2(nd.ni_vp->v_mount);
		rw_enter(&em->em_lock, RW_WRITER);
		error = vinvalbuf(em->em_devvp);
		rw_exit(&em->em_lock);
	}
	namei_done(&nd);
out:
	rump_unschedule();
	return error;
}
