/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_get: copy files and trees out of an image to the host, as cp(1). */
#include "fsu.h"

static const char usage[] =
    "Usage: fsu_get [-t TYPE] [-r] [-p] [-q] IMAGE[:PART] PATH... HOSTPATH\n"
    "Copy files out of a file-system image: into HOSTPATH if it is a\n"
    "directory, else as HOSTPATH.\n\n"
    "  -r, -R, --recursive  copy directories recursively (symbolic links\n"
    "                       in them stay links)\n"
    "  -p, --preserve       keep modes, times and (for root) owners\n"
    "  -a, --archive        -r and -p\n"
    "  -q, --quiet          no progress line on a terminal\n"
    "  -t, --type=TYPE      file-system type (default: detected)\n"
    "      --help           display this help and exit\n";

int
main(int argc, char **argv)
{
	return fsu_cpmain(argc, argv, false, usage);
}
