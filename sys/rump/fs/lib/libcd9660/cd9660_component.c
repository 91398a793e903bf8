/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The cd9660 component record: attaches the file-system type "cd9660"
 * (cd9660_vfsops.c) to the VFS at boot.  The format layer below keeps no
 * global state.
 */
#include <sys/systm.h>
#include <sys/component.h>

#include "cd9660_vfs.h"

static void
cd9660_init(void)
{
	cd9660_vfs_init();
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS_FS, cd9660, cd9660_init)
