/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump_msdos: serve a FAT12, FAT16 or FAT32 image through FUSE, with
 * the kernel's msdosfs running in this process (p2k(3), rump_msdos(8)).
 */
#include <rump/p2k.h>

int
main(int argc, char **argv)
{
	return p2k_main(argc, argv, "msdos", 1);
}
