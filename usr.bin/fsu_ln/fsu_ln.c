/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_ln: make hard or (-s) symbolic links inside an image, as ln(1):
 * a LINK_NAME that is a directory receives the link under TARGET's
 * name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_ln [-t TYPE] [-s] [-f] IMAGE[:PART] TARGET LINK_NAME\n"
    "Make a link LINK_NAME to TARGET inside a file-system image.\n\n"
    "  -s, --symbolic   make a symbolic link (TARGET is its text)\n"
    "  -f, --force      remove an existing LINK_NAME first\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "symbolic", no_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	bool sflag = false, fflag = false;
	const char *target, *name;
	char *link, *base;
	struct stat st;
	int ch, r;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:sf", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch == 's')
			sflag = true;
		else if (ch == 'f')
			fflag = true;
		else
			fsu_usage();
	}
	if (argc - optind != 3) {
		fsu_warnx(argc - optind < 3 ? "missing file operand" :
		    "extra operand '%s'", argv[argc - 1]);
		fsu_usage();
	}
	fsu_open(argv[optind], FSU_RDWR);
	target = argv[optind + 1];
	name = argv[optind + 2];
	if (ukfs_stat(fsu_fs, name, &st) == 0 && S_ISDIR(st.st_mode)) {
		base = fsu_basename(target);
		link = fsu_join(name, base);
		free(base);
	} else
		link = fsu_xstrdup(name);
	if (fflag && ukfs_lstat(fsu_fs, link, &st) == 0 &&
	    !S_ISDIR(st.st_mode))
		(void)ukfs_remove(fsu_fs, link);
	r = sflag ? ukfs_symlink(fsu_fs, target, link) :
	    ukfs_link(fsu_fs, target, link);
	if (r == -1) {
		if (sflag)
			fsu_warn("failed to create symbolic link '%s'", link);
		else
			fsu_warn("failed to create hard link '%s' => '%s'",
			    link, target);
	}
	free(link);
	return fsu_exit(r == -1 ? 1 : 0);
}
