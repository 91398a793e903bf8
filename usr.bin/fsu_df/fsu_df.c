/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fsu_df: space (or inodes) of an image's file system, as df(1). */
#include <stdio.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_df [-t TYPE] [-h] [-i] IMAGE[:PART]...\n"
    "Show the size, used and available space of file-system images.\n\n"
    "  -h, --human-readable  sizes like 1K 234M 2G\n"
    "  -i, --inodes          inodes instead of blocks\n"
    "  -t, --type=TYPE       file-system type (default: detected)\n"
    "      --help            display this help and exit\n";

static void
num(uint64_t n, bool human, char *buf, size_t size)
{
	if (human)
		fsu_human(n, buf, size);
	else
		snprintf(buf, size, "%llu", (unsigned long long)n);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "human-readable", no_argument, NULL, 'h' },
		{ "inodes", no_argument, NULL, 'i' }, { NULL, 0, NULL, 0 } };
	char a[32], b[32], c[32];
	bool hflag = false, iflag = false;
	uint64_t total, used, avail, unit;
	struct statvfs sv;
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:hi", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch == 'h')
			hflag = true;
		else if (ch == 'i')
			iflag = true;
		else
			fsu_usage();
	}
	if (optind >= argc) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	if (iflag)
		printf("%-20s %10s %10s %10s %5s %s\n", "Filesystem", "Inodes",
		    "IUsed", "IFree", "IUse%", "Mounted on");
	else
		printf("%-20s %10s %10s %10s %5s %s\n", "Filesystem",
		    hflag ? "Size" : "1K-blocks", "Used",
		    hflag ? "Avail" : "Available", "Use%", "Mounted on");
	for (; optind < argc; optind++) {
		fsu_open(argv[optind], FSU_RDONLY);
		if (ukfs_statvfs(fsu_fs, &sv) == -1) {
			fsu_warn("%s", argv[optind]);
			status = 1;
		} else {
			if (iflag) {
				total = sv.f_files;
				used = sv.f_files - sv.f_ffree;
				avail = sv.f_favail;
				unit = 1;
			} else {
				unit = sv.f_frsize != 0 ? sv.f_frsize :
				    sv.f_bsize;
				total = sv.f_blocks * unit;
				used = (sv.f_blocks - sv.f_bfree) * unit;
				avail = sv.f_bavail * unit;
				if (!hflag) {
					total = (total + 1023) / 1024;
					used = (used + 1023) / 1024;
					avail = avail / 1024;
				}
			}
			num(total, hflag && !iflag, a, sizeof(a));
			num(used, hflag && !iflag, b, sizeof(b));
			num(avail, hflag && !iflag, c, sizeof(c));
			if (used + avail == 0)
				printf("%-20s %10s %10s %10s %5s %s\n",
				    argv[optind], a, b, c, "-", "/");
			else
				printf("%-20s %10s %10s %10s %4llu%% %s\n",
				    argv[optind], a, b, c,
				    (unsigned long long)((used * 100 + used +
				    avail - 1) / (used + avail)), "/");
		}
		if (ukfs_release(fsu_fs, 0) == -1) {
			fsu_warn("%s: unmount", argv[optind]);
			status = 1;
		}
		fsu_fs = NULL;
	}
	return fsu_exit(status);
}
