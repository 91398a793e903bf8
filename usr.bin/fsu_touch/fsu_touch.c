/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_touch: set file times in an image, making files that are not
 * there, as touch(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_touch [-t TYPE] [-acm] [-d DATE] IMAGE[:PART] FILE...\n"
    "Set the access and modification times of each FILE in a "
    "file-system\nimage to now (or DATE); a FILE that does not exist is "
    "created empty.\n\n"
    "  -a               change only the access time\n"
    "  -c, --no-create  do not create files\n"
    "  -d, --date=DATE  @SECONDS[.NANOSECONDS] or 'YYYY-MM-DD "
    "[HH:MM[:SS]]'\n"
    "                   (local time) instead of now\n"
    "  -m               change only the modification time\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

static int
parsedate(const char *s, struct timespec *ts)
{
	struct tm tm;
	char *end;
	double d;

	memset(ts, 0, sizeof(*ts));
	if (s[0] == '@') {
		errno = 0;
		ts->tv_sec = strtoll(s + 1, &end, 10);
		if (end == s + 1 || errno != 0)
			return -1;
		if (*end == '.') {
			d = strtod(end, &end);
			ts->tv_nsec = (long)(d * 1e9 + 0.5);
			if (ts->tv_nsec > 999999999)
				ts->tv_nsec = 999999999;
		}
		return *end == '\0' ? 0 : -1;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end != NULL && *end == ' ')
		end = strptime(end + 1, "%H:%M", &tm);
	if (end != NULL && *end == ':')
		end = strptime(end + 1, "%S", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	tm.tm_isdst = -1;
	ts->tv_sec = mktime(&tm);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "no-create", no_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 } };
	struct timespec ts[2], when = { 0, UTIME_NOW };
	bool aflag = false, mflag = false, cflag = false;
	int ch, fd, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:acmd:", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		switch (ch) {
		case 'a': aflag = true; break;
		case 'm': mflag = true; break;
		case 'c': cflag = true; break;
		case 'd':
			if (parsedate(optarg, &when) == -1) {
				fsu_warnx("invalid date format '%s'", optarg);
				fsu_exit(1);
			}
			break;
		default: fsu_usage();
		}
	}
	if (argc - optind < 2) {
		fsu_warnx("missing file operand");
		fsu_usage();
	}
	if (!aflag && !mflag)
		aflag = mflag = true;
	ts[0] = aflag ? when : (struct timespec){ 0, UTIME_OMIT };
	ts[1] = mflag ? when : (struct timespec){ 0, UTIME_OMIT };
	fsu_open(argv[optind++], FSU_RDWR);
	for (; optind < argc; optind++) {
		const char *p = argv[optind];

		if (ukfs_utimens(fsu_fs, p, ts) == 0)
			continue;
		if (errno == ENOENT && cflag)
			continue;
		if (errno == ENOENT) {
			if ((fd = ukfs_open_mode(fsu_fs, p, O_WRONLY | O_CREAT,
			    0666)) != -1) {
				ukfs_close(fsu_fs, fd);
				if (ukfs_utimens(fsu_fs, p, ts) == 0)
					continue;
			}
		}
		fsu_warn("cannot touch '%s'", p);
		status = 1;
	}
	return fsu_exit(status);
}
