/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump_ext2fs: serve an ext2, ext3 or ext4 image through FUSE, with the
 * kernel's ext2fs running in this process (p2k(3), rump_ext2fs(8)).
 */
#include <rump/p2k.h>

int
main(int argc, char **argv)
{
	return p2k_main(argc, argv, "ext2fs", 1);
}
