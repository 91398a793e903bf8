/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The ext2fs component record.  The format layer keeps no global state,
 * so there is nothing to set up at boot; the file system type "ext2fs"
 * is attached to the VFS here once the vfsops exist (issue 5).  Until
 * then a mount of type ext2fs fails as an unknown type.
 */
#include <sys/systm.h>
#include <sys/component.h>

#include "ext2fs.h"

static void
ext2fs_init(void)
{
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS_FS, ext2fs, ext2fs_init)
