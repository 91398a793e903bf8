/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_put: copy host files and trees into an image, as cp(1). */
#include "fsu.h"

static const char usage[] =
    "Usage: fsu_put [-t TYPE] [-r] [-p] [-q] HOSTPATH... IMAGE[:PART] PATH\n"
    "Copy host files into a file-system image: into PATH if it is a\n"
    "directory, else as PATH.\n\n"
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
	return fsu_cpmain(argc, argv, true, usage);
}
