/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_write: standard input into a file of an image (made if missing,
 * emptied first unless -a).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_write [-t TYPE] [-a] IMAGE[:PART] FILE\n"
    "Write standard input to FILE in a file-system image.\n\n"
    "  -a, --append     append instead of replacing the contents\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "append", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	static char buf[1024 * 1024];
	bool aflag = false;
	ssize_t r, w, off;
	uint64_t total = 0;
	const char *p;
	int ch, fd, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:a", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch != 'a')
			fsu_usage();
		aflag = true;
	}
	if (argc - optind != 2) {
		fsu_warnx(argc - optind < 2 ? "missing operand" :
		    "extra operand '%s'", argv[argc - 1]);
		fsu_usage();
	}
	fsu_open(argv[optind], FSU_RDWR);
	p = argv[optind + 1];
	if ((fd = ukfs_open_mode(fsu_fs, p, O_WRONLY | O_CREAT |
	    (aflag ? O_APPEND : O_TRUNC), 0666)) == -1)
		fsu_die("%s", p);
	for (;;) {
		fsu_checksignal();
		if ((r = read(STDIN_FILENO, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			fsu_warn("standard input");
			status = 1;
			break;
		}
		if (r == 0)
			break;
		for (off = 0; off < r; off += w) {
			if ((w = ukfs_fdwrite(fsu_fs, fd, buf + off,
			    (size_t)(r - off))) <= 0) {
				fsu_warn("error writing '%s'", p);
				status = 1;
				break;
			}
		}
		if (status != 0)
			break;
		total += (uint64_t)r;
		fsu_progress(0, total, false);
	}
	fsu_progress(0, total, true);
	if (ukfs_close(fsu_fs, fd) == -1 && status == 0) {
		fsu_warn("error writing '%s'", p);
		status = 1;
	}
	return fsu_exit(status);
}
