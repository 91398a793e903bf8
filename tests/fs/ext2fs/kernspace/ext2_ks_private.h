/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* What the kernel-side test files share. */
#ifndef _TESTS_EXT2_KS_PRIVATE_H_
#define _TESTS_EXT2_KS_PRIVATE_H_

#include <sys/systm.h>
#include <rump/rump.h>

#include "ext2fs.h"
#include "ext2_ks.h"

/* A mounted test image: the file system and the device under it. */
struct ks_fs {
	struct ext2fs *fs;
	int fd;                         /* host file, or -1: in memory */
	const uint8_t *mem;             /* the image in memory */
	uint8_t *touched;               /* per block: read since cleared */
};

int ks_mount_mem(const uint8_t *img, uint64_t size, uint8_t *touched,
    struct ks_fs **kfp);
void ks_unmount(struct ks_fs *);

#endif /* _TESTS_EXT2_KS_PRIVATE_H_ */
