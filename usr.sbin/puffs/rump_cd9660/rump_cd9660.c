/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump_cd9660: serve an ISO 9660 image (Rock Ridge, Joliet) through
 * FUSE, with the kernel's cd9660 running in this process (p2k(3),
 * rump_cd9660(8)).  The file system is read-only: the mount is "ro"
 * unless the command line says "rw", which the kernel refuses.
 */
#include <stdlib.h>

#include <rump/p2k.h>

int
main(int argc, char **argv)
{
	char **av;
	int i;

	if ((av = calloc((size_t)argc + 3, sizeof(*av))) == NULL)
		return 1;
	av[0] = argv[0];
	av[1] = "-o";
	av[2] = "ro";
	for (i = 1; i < argc; i++)
		av[i + 2] = argv[i];
	return p2k_main(argc + 2, av, "cd9660", 1);
}
