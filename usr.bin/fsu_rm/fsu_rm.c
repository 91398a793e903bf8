/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_rm: remove files (with -r, trees) from an image, as rm(1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_rm [-t TYPE] [-r] [-f] IMAGE[:PART] FILE...\n"
    "Remove files from a file-system image.\n\n"
    "  -f, --force      ignore nonexistent files, never fail for them\n"
    "  -r, -R, --recursive  remove directories and their contents\n"
    "  -d, --dir        remove empty directories\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

static bool fflag;

static int
rm1(const char *path, const struct stat *st, int depth, void *arg)
{
	(void)depth;
	(void)arg;
	if ((S_ISDIR(st->st_mode) ? ukfs_rmdir : ukfs_remove)(fsu_fs, path) ==
	    -1) {
		if (fflag && errno == ENOENT)
			return 0;
		fsu_warn("cannot remove '%s'", path);
		return -1;
	}
	return 0;
}

/* The last component is "." or "..", or the path is the root. */
static bool
forbidden(const char *p)
{
	char *b = fsu_basename(p);
	bool r = strcmp(b, ".") == 0 || strcmp(b, "..") == 0 ||
	    strcmp(b, "/") == 0;

	free(b);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "force", no_argument, NULL, 'f' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "dir", no_argument, NULL, 'd' }, { NULL, 0, NULL, 0 } };
	bool rflag = false, dflag = false;
	struct stat st;
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:frRd", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch == 'f')
			fflag = true;
		else if (ch == 'r' || ch == 'R')
			rflag = true;
		else if (ch == 'd')
			dflag = true;
		else
			fsu_usage();
	}
	if (argc - optind < 1 || (argc - optind < 2 && !fflag)) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	fsu_open(argv[optind++], FSU_RDWR);
	for (; optind < argc; optind++) {
		const char *p = argv[optind];

		if (forbidden(p)) {
			fsu_warnx("refusing to remove '.' or '..' or '/' "
			    "directory: skipping '%s'", p);
			status = 1;
			continue;
		}
		if (ukfs_lstat(fsu_fs, p, &st) == -1) {
			if (!(fflag && errno == ENOENT)) {
				fsu_warn("cannot remove '%s'", p);
				status = 1;
			}
			continue;
		}
		if (S_ISDIR(st.st_mode) && !rflag && !dflag) {
			errno = EISDIR;
			fsu_warn("cannot remove '%s'", p);
			status = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode) && rflag) {
			if (fsu_walk(&fsu_image, p, true, rm1, NULL) == -1)
				status = 1;
		} else if (rm1(p, &st, 0, NULL) == -1)
			status = 1;
	}
	return fsu_exit(status);
}
