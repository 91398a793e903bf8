/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_chmod: change modes of files in an image, as chmod(1). */
#include <stdio.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_chmod [-t TYPE] [-R] IMAGE[:PART] MODE FILE...\n"
    "Change the mode of each FILE in a file-system image to MODE, octal\n"
    "(0755) or symbolic (u+x,go-w).\n\n"
    "  -R, --recursive  change files and directories recursively\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

static const char *modestr;

static int
chmod1(const char *path, const struct stat *st, int depth, void *arg)
{
	mode_t m;

	(void)depth;
	(void)arg;
	if (S_ISLNK(st->st_mode))
		return 0;
	if (fsu_parsemode(modestr, st->st_mode, S_ISDIR(st->st_mode), &m) ==
	    -1) {
		fsu_warnx("invalid mode: '%s'", modestr);
		fsu_exit(1);
	}
	if (ukfs_chmod(fsu_fs, path, m) == -1) {
		fsu_warn("changing permissions of '%s'", path);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "recursive", no_argument, NULL, 'R' }, { NULL, 0, NULL, 0 } };
	bool Rflag = false;
	struct stat st;
	mode_t m;
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:R", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch != 'R')
			fsu_usage();
		Rflag = true;
	}
	if (argc - optind < 3) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	modestr = argv[optind + 1];
	if (fsu_parsemode(modestr, 0, false, &m) == -1) {
		fsu_warnx("invalid mode: '%s'", modestr);
		fsu_exit(1);
	}
	fsu_open(argv[optind], FSU_RDWR);
	for (optind += 2; optind < argc; optind++) {
		if (Rflag) {
			if (fsu_walk(&fsu_image, argv[optind], false, chmod1,
			    NULL) == -1)
				status = 1;
		} else if (ukfs_stat(fsu_fs, argv[optind], &st) == -1) {
			fsu_warn("cannot access '%s'", argv[optind]);
			status = 1;
		} else if (chmod1(argv[optind], &st, 0, NULL) == -1)
			status = 1;
	}
	return fsu_exit(status);
}
