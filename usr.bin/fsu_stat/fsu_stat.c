/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_stat: the status of files in an image, in stat(1)'s format. */
#include <stdio.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_stat [-t TYPE] [-L] IMAGE[:PART] PATH...\n"
    "Display the status of files in a file-system image.\n\n"
    "  -L, --dereference  follow symbolic links\n"
    "  -t, --type=TYPE    file-system type (default: detected)\n"
    "      --help         display this help and exit\n";

static void
fmttime(const struct timespec *ts, char *buf, size_t size)
{
	struct tm tm;
	char t[64], z[16];

	localtime_r(&ts->tv_sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);
	snprintf(buf, size, "%s.%09ld %s", t, ts->tv_nsec, z);
}

static void
show(const char *path, const struct stat *st)
{
	char mb[11], ub[32], gb[32], link[4097], tb[96];
	const char *type = fsu_typename(st->st_mode);
	ssize_t len;

	if (S_ISREG(st->st_mode) && st->st_size == 0)
		type = "regular empty file";
	if (S_ISLNK(st->st_mode) &&
	    (len = ukfs_readlink(fsu_fs, path, link, sizeof(link) - 1)) >= 0) {
		link[len] = '\0';
		printf("  File: %s -> %s\n", path, link);
	} else
		printf("  File: %s\n", path);
	printf("  Size: %-10lld\tBlocks: %-10lld IO Block: %-6ld %s\n",
	    (long long)st->st_size, (long long)st->st_blocks,
	    (long)st->st_blksize, type);
	printf("Device: %u,%u\tInode: %-11llu Links: %lu", major(st->st_dev),
	    minor(st->st_dev), (unsigned long long)st->st_ino,
	    (unsigned long)st->st_nlink);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		printf("\tDevice type: %u,%u", major(st->st_rdev),
		    minor(st->st_rdev));
	putchar('\n');
	fsu_modestr(st->st_mode, mb);
	printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n",
	    (unsigned)(st->st_mode & 07777), mb, (unsigned)st->st_uid,
	    fsu_username(st->st_uid, ub, sizeof(ub)), (unsigned)st->st_gid,
	    fsu_groupname(st->st_gid, gb, sizeof(gb)));
	fmttime(&st->st_atim, tb, sizeof(tb));
	printf("Access: %s\n", tb);
	fmttime(&st->st_mtim, tb, sizeof(tb));
	printf("Modify: %s\n", tb);
	fmttime(&st->st_ctim, tb, sizeof(tb));
	printf("Change: %s\n", tb);
	printf(" Birth: -\n");
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "dereference", no_argument, NULL, 'L' }, { NULL, 0, NULL, 0 } };
	bool follow = false;
	struct stat st;
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:L", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch != 'L')
			fsu_usage();
		follow = true;
	}
	if (argc - optind < 2) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	fsu_open(argv[optind++], FSU_RDONLY);
	for (; optind < argc; optind++) {
		if ((follow ? ukfs_stat : ukfs_lstat)(fsu_fs, argv[optind],
		    &st) == -1) {
			fsu_warn("cannot stat '%s'", argv[optind]);
			status = 1;
			continue;
		}
		show(argv[optind], &st);
	}
	return fsu_exit(status);
}
