/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_mv: rename files inside an image, as mv(1): into DEST when it is
 * a directory, else to the name DEST.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_mv [-t TYPE] IMAGE[:PART] SOURCE... DEST\n"
    "Rename SOURCE to DEST, or move SOURCEs into directory DEST, inside "
    "a\nfile-system image.\n\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct stat st, dst;
	const char *dest;
	char *target, *base;
	bool isdir;
	int ch, i, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:", lo, NULL)) != -1)
		if (!fsu_commonopt(ch))
			fsu_usage();
	if (argc - optind < 3) {
		fsu_warnx(argc - optind == 2 ? "missing destination file "
		    "operand after '%s'" : "missing file operand",
		    argv[argc - 1]);
		fsu_usage();
	}
	fsu_open(argv[optind++], FSU_RDWR);
	dest = argv[argc - 1];
	isdir = ukfs_stat(fsu_fs, dest, &dst) == 0 && S_ISDIR(dst.st_mode);
	if (argc - optind > 2 && !isdir) {
		if (ukfs_stat(fsu_fs, dest, &dst) == -1)
			fsu_die("target '%s'", dest);
		fsu_warnx("target '%s' is not a directory", dest);
		fsu_exit(1);
	}
	for (i = optind; i < argc - 1; i++) {
		if (ukfs_lstat(fsu_fs, argv[i], &st) == -1) {
			fsu_warn("cannot stat '%s'", argv[i]);
			status = 1;
			continue;
		}
		if (isdir) {
			base = fsu_basename(argv[i]);
			target = fsu_join(dest, base);
			free(base);
		} else
			target = fsu_xstrdup(dest);
		if (ukfs_rename(fsu_fs, argv[i], target) == -1) {
			fsu_warn("cannot move '%s' to '%s'", argv[i], target);
			status = 1;
		}
		free(target);
	}
	return fsu_exit(status);
}
