/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_cat: files of an image to standard output, as cat(1). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_cat [-t TYPE] IMAGE[:PART] PATH...\n"
    "Write the files PATH of a file-system image to standard output.\n\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

static int
cat1(const char *path)
{
	char buf[65536];
	ssize_t r, w, off;
	int fd;

	if ((fd = ukfs_open(fsu_fs, path, O_RDONLY, 0)) == -1) {
		fsu_warn("%s", path);
		return -1;
	}
	for (;;) {
		fsu_checksignal();
		if ((r = ukfs_read_fd(fsu_fs, fd, buf, sizeof(buf))) <= 0)
			break;
		for (off = 0; off < r; off += w) {
			fsu_checksignal();
			if ((w = write(STDOUT_FILENO, buf + off,
			    (size_t)(r - off))) == -1) {
				if (errno == EINTR) {
					w = 0;
					fsu_checksignal();
					continue;
				}
				fsu_warn("write error");
				ukfs_close(fsu_fs, fd);
				fsu_exit(1);
			}
		}
	}
	if (r == -1)
		fsu_warn("%s", path);
	ukfs_close(fsu_fs, fd);
	return r == -1 ? -1 : 0;
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
