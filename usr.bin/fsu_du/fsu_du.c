/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_du: disk usage of trees in an image, as du(1): each directory's
 * total in 1 KiB blocks after its contents, hard links counted once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_du [-t TYPE] [-a] [-s] [-h] IMAGE[:PART] [PATH]...\n"
    "Summarize the disk usage of each PATH in a file-system image.\n\n"
    "  -a, --all             write counts for all files, not just "
    "directories\n"
    "  -s, --summarize       display only a total for each argument\n"
    "  -h, --human-readable  sizes like 1K 234M 2G\n"
    "  -b, --bytes           apparent sizes in bytes\n"
    "  -t, --type=TYPE       file-system type (default: detected)\n"
    "      --help            display this help and exit\n";

static bool aflag, sflag, hflag, bflag;

/* Per depth: the running total of the directory being walked. */
#define DU_MAXDEPTH 4096
static uint64_t *totals;

/* Inodes with more than one link seen so far. */
static uint64_t *seen;
static size_t nseen, capseen;

static bool
seen_before(const struct stat *st)
{
	uint64_t ino = (uint64_t)st->st_ino;
	size_t i;

	for (i = 0; i < nseen; i++)
		if (seen[i] == ino)
			return true;
	if (nseen == capseen) {
		capseen = capseen == 0 ? 64 : capseen * 2;
		if ((seen = realloc(seen, capseen * sizeof(*seen))) == NULL)
			fsu_die("out of memory");
	}
	seen[nseen++] = ino;
	return false;
}

static void
print(uint64_t bytes, const char *path)
{
	char buf[32];

	if (hflag)
		fsu_human(bytes, buf, sizeof(buf));
	else if (bflag)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, sizeof(buf), "%llu",
		    (unsigned long long)((bytes + 1023) / 1024));
	printf("%s\t%s\n", buf, path);
}

static int
visit(const char *path, const struct stat *st, int depth, void *arg)
{
	uint64_t n;

	(void)arg;
	if (depth >= DU_MAXDEPTH - 1) {
		fsu_warnx("%s: too deep", path);
		return -1;
	}
	n = 0;
	if (st->st_nlink <= 1 || S_ISDIR(st->st_mode) || !seen_before(st))
		n = bflag ? (uint64_t)st->st_size :
		    (uint64_t)st->st_blocks * 512;
	if (S_ISDIR(st->st_mode)) {
		n += totals[depth + 1];
		totals[depth + 1] = 0;
	}
	if (depth == 0 || (!sflag && (S_ISDIR(st->st_mode) || aflag)))
		print(n, path);
	totals[depth] += n;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "summarize", no_argument, NULL, 's' },
		{ "human-readable", no_argument, NULL, 'h' },
		{ "bytes", no_argument, NULL, 'b' }, { NULL, 0, NULL, 0 } };
	int ch, status = 0;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:ashb", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		switch (ch) {
		case 'a': aflag = true; break;
		case 's': sflag = true; break;
		case 'h': hflag = true; break;
		case 'b': bflag = true; break;
		default: fsu_usage();
		}
	}
	if (optind >= argc) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	fsu_open(argv[optind++], FSU_RDONLY);
	totals = calloc(DU_MAXDEPTH, sizeof(*totals));
	if (totals == NULL)
		fsu_die("out of memory");
	if (optind == argc && fsu_walk(&fsu_image, "/", true, visit, NULL) ==
	    -1)
		status = 1;
	for (; optind < argc; optind++) {
		memset(totals, 0, DU_MAXDEPTH * sizeof(*totals));
		if (fsu_walk(&fsu_image, argv[optind], true, visit, NULL) == -1)
			status = 1;
	}
	free(totals);
	free(seen);
	return fsu_exit(status);
}
