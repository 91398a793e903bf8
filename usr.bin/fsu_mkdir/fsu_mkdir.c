/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_mkdir: make directories in an image, as mkdir(1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_mkdir [-t TYPE] [-p] [-m MODE] IMAGE[:PART] DIRECTORY...\n"
    "Create directories in a file-system image.\n\n"
    "  -m, --mode=MODE  permissions (as chmod), not a=rwx - umask\n"
    "  -p, --parents    make parents as needed; no error if existing\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

static int
mkdir_p(const char *path, mode_t mode)
{
	struct stat st;
	char *p, *q;
	int r = 0;

	p = fsu_xstrdup(path);
	for (q = p + 1; r == 0 && *q != '\0'; q++) {
		if (*q != '/' || q[-1] == '/')
			continue;
		*q = '\0';
		if (ukfs_mkdir(fsu_fs, p, 0777) == -1 && errno != EEXIST)
			r = -1;
		*q = '/';
	}
	if (r == 0 && ukfs_mkdir(fsu_fs, p, mode) == -1) {
		if (errno != EEXIST || ukfs_stat(fsu_fs, p, &st) == -1 ||
		    !S_ISDIR(st.st_mode)) {
			errno = errno == 0 ? EEXIST : errno;
			r = -1;
		}
	}
	free(p);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "parents", no_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' }, { NULL, 0, NULL, 0 } };
	const char *modestr = NULL;
	bool pflag = false;
	mode_t mode = 0777;
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:pm:", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch == 'p')
			pflag = true;
		else if (ch == 'm')
			modestr = optarg;
		else
			fsu_usage();
	}
	if (argc - optind < 2) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	if (modestr != NULL && fsu_parsemode(modestr, 0777, true, &mode) == -1) {
		fsu_warnx("invalid mode '%s'", modestr);
		fsu_exit(1);
	}
	fsu_open(argv[optind++], FSU_RDWR);
	for (; optind < argc; optind++) {
		const char *p = argv[optind];

		if ((pflag ? mkdir_p(p, mode) : ukfs_mkdir(fsu_fs, p, mode)) ==
		    -1) {
			fsu_warn("cannot create directory '%s'", p);
			status = 1;
		} else if (modestr != NULL && ukfs_chmod(fsu_fs, p, mode) == -1) {
			fsu_warn("cannot set permissions of '%s'", p);
			status = 1;
		}
	}
	return fsu_exit(status);
}
