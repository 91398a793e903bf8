/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump_tmpfs: serve a tmpfs (a file system in memory) through FUSE, with the
 * kernel's tmpfs running in this process (p2k(3), rump_tmpfs(8)).
 */
#include <rump/p2k.h>

int
main(int argc, char **argv)
{
	return p2k_main(argc, argv, "tmpfs", 0);
}
