/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_chown: change owners of files in an image, as chown(1).  Names
 * are the host's (/etc/passwd, /etc/group), numbers are taken as they
 * are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_chown [-t TYPE] [-R] [-h] IMAGE[:PART] OWNER[:GROUP] "
    "FILE...\n"
    "Change the owner and/or group of each FILE in a file-system image.\n"
    "OWNER and GROUP are names (of the host) or numbers; ':GROUP' alone\n"
    "changes the group only.\n\n"
    "  -h, --no-dereference  change symbolic links, not what they name\n"
    "  -R, --recursive       operate on trees (links are not followed)\n"
    "  -t, --type=TYPE       file-system type (default: detected)\n"
    "      --help            display this help and exit\n";

static uid_t uid = (uid_t)-1;
static gid_t gid = (gid_t)-1;
static bool hflag;

static int
chown1(const char *path, const struct stat *st, int depth, void *arg)
{
	(void)arg;
	if (((hflag || depth > 0) && S_ISLNK(st->st_mode) ? ukfs_lchown :
	    ukfs_chown)(fsu_fs, path, uid, gid) == -1) {
		fsu_warn("changing ownership of '%s'", path);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "recursive", no_argument, NULL, 'R' },
		{ "no-dereference", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	bool Rflag = false;
	struct stat st;
	char *spec, *colon;
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:Rh", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch == 'R')
			Rflag = true;
		else if (ch == 'h')
			hflag = true;
		else
			fsu_usage();
	}
	if (argc - optind < 3) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	spec = fsu_xstrdup(argv[optind + 1]);
	if ((colon = strchr(spec, ':')) != NULL)
		*colon++ = '\0';
	if (*spec != '\0' && fsu_parseuser(spec, &uid) == -1) {
		fsu_warnx("invalid user: '%s'", argv[optind + 1]);
		fsu_exit(1);
	}
	if (colon != NULL && *colon != '\0' &&
	    fsu_parsegroup(colon, &gid) == -1) {
		fsu_warnx("invalid group: '%s'", argv[optind + 1]);
		fsu_exit(1);
	}
	free(spec);
	fsu_open(argv[optind], FSU_RDWR);
	for (optind += 2; optind < argc; optind++) {
		if (Rflag) {
			if (fsu_walk(&fsu_image, argv[optind], false, chown1,
			    NULL) == -1)
				status = 1;
		} else if (ukfs_lstat(fsu_fs, argv[optind], &st) == -1) {
			fsu_warn("cannot access '%s'", argv[optind]);
			status = 1;
		} else if (chown1(argv[optind], &st, 0, NULL) == -1)
			status = 1;
	}
	return fsu_exit(status);
}
