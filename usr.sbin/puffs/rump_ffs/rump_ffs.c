/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump_ffs: serve an FFS (UFS1 or UFS2) image through FUSE, with the
 * kernel's ffs running in this process (p2k(3), rump_ffs(8)).
 */
#include <rump/p2k.h>

int
main(int argc, char **argv)
{
	return p2k_main(argc, argv, "ffs", 1);
}
