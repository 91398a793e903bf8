/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_cat: files of an image to standard output, as cat(1). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_cat [-t TYPE] IMAGE[:PART] PATH...\n"
    "Write the files PATH of a file-system image to standard output.\n\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

/*
 * Holes of a file are written as zeros, unless standard output is a
 * regular file that can seek (and not O_APPEND): there they stay holes.
 */
static bool
out_keeps_holes(void)
{
	struct stat st;
	int fl;

	return fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    (fl = fcntl(STDOUT_FILENO, F_GETFL)) != -1 &&
	    (fl & O_APPEND) == 0 && lseek(STDOUT_FILENO, 0, SEEK_CUR) != -1;
}

static int
cat1(const char *path)
{
	bool wfailed;
	int fd, error;

	if ((fd = ukfs_open_mode(fsu_fs, path, O_RDONLY, 0)) == -1) {
		fsu_warn("%s", path);
		return -1;
	}
	error = fsu_copyfd(&fsu_image, fd, &fsu_host, STDOUT_FILENO,
	    out_keeps_holes(), &wfailed);
	ukfs_close(fsu_fs, fd);
	if (error == -1 && wfailed) {
		fsu_warn("write error");
		fsu_exit(1);
	}
	if (error == -1)
		fsu_warn("%s", path);
	return error;
}

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
	fsu_open(argv[optind++], FSU_RDONLY);
	for (; optind < argc; optind++)
		if (cat1(argv[optind]) == -1)
			status = 1;
	return fsu_exit(status);
}
