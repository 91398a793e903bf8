/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The ext2fs component record: attaches the file-system type "ext2fs"
 * (ext2fs_vfsops.c) to the VFS at boot.  The format layer below keeps no
 * global state.
 */
#include <sys/systm.h>
#include <sys/component.h>

#include "ext2fs_vfs.h"

static void
ext2fs_init(void)
{
	ext2fs_vfs_init();
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS_FS, ext2fs, ext2fs_init)
