/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The main of fsu_put and fsu_get: both are cp(1) across the image's
 * edge, and differ only in which side is which and where the image
 * operand stands:
 *
 *	fsu_put [-rpq] HOSTPATH... IMAGE[:PART] PATH
 *	fsu_get [-rpq] IMAGE[:PART] PATH... HOSTPATH
 *
 * On a terminal a long copy shows its progress on stderr (fsu_progress);
 * -q keeps it quiet.
 */
#include <stdio.h>

#include "fsu.h"

int
fsu_cpmain(int argc, char **argv, bool put, const char *usage)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "recursive", no_argument, NULL, 'r' },
		{ "preserve", no_argument, NULL, 'p' },
		{ "archive", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' }, { NULL, 0, NULL, 0 } };
	const struct fsu_side *from = put ? &fsu_host : &fsu_image;
	const struct fsu_side *to = put ? &fsu_image : &fsu_host;
	int ch, flags = 0, first, last, i, status = 0;
	const char *image, *dst;
	struct stat st;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:rRpaq", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch == 'r' || ch == 'R')
			flags |= FSU_CP_RECURSIVE;
		else if (ch == 'p')
			flags |= FSU_CP_PRESERVE;
		else if (ch == 'a')
			flags |= FSU_CP_RECURSIVE | FSU_CP_PRESERVE;
		else if (ch == 'q')
			fsu_quiet = true;
		else
			fsu_usage();
	}
	if (argc - optind < 3) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	if (put) {
		image = argv[argc - 2];
		first = optind;
		last = argc - 3;
	} else {
		image = argv[optind];
		first = optind + 1;
		last = argc - 2;
	}
	dst = argv[argc - 1];
	fsu_open(image, put ? FSU_RDWR : FSU_RDONLY);
	if (last > first && (to->s_stat(dst, &st) == -1 ||
	    !S_ISDIR(st.st_mode))) {
		fsu_warnx("target '%s' is not a directory", dst);
		fsu_exit(1);
	}
	for (i = first; i <= last; i++)
		if (fsu_cp(from, argv[i], to, dst, false, flags) == -1)
			status = 1;
	return fsu_exit(status);
}
