/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_rmdir: remove empty directories from an image, as rmdir(1). */
#include <stdio.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_rmdir [-t TYPE] IMAGE[:PART] DIRECTORY...\n"
    "Remove empty directories from a file-system image.\n\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS, { NULL, 0, NULL, 0 } };
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:", lo, NULL)) != -1)
		if (!fsu_commonopt(ch))
			fsu_usage();
	if (argc - optind < 2) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	fsu_open(argv[optind++], FSU_RDWR);
	for (; optind < argc; optind++) {
		if (ukfs_rmdir(fsu_fs, argv[optind]) == -1) {
			fsu_warn("failed to remove '%s'", argv[optind]);
			status = 1;
		}
	}
	return fsu_exit(status);
}
