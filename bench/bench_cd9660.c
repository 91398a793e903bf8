/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * cd9660 through the image tools against the extractors people use on
 * the same ISO image (xorriso -osirrox, 7-Zip), whole processes timed
 * from spawn to exit, median of RUNS:
 *   fsu_get -r of 10,000 small files in 100 directories
 *       vs  xorriso -osirrox on -indev IMG -extract /small OUT
 *       vs  7zz x IMG small -oOUT
 *   fsu_get -r of 4 files of 32 MiB
 *       vs  the same for /large
 * The image is made by xorriso -as mkisofs -R -J from a generated tree;
 * the copies go to /dev/shm when there is one, so the host's disk is
 * not what is measured.  Prints a Markdown section on stdout; skips
 * (saying so) without xorriso, and leaves 7-Zip's column out without it.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#define NDIRS  100
#define NFILES 100                      /* per directory */
#define NLARGE 4
#define LARGE  (32 << 20)
#define RUNS   5

static char bindir[PATH_MAX];

/*
 * Medians of the commands, run in turn (ours, then each peer) RUNS
 * times, the output directory emptied untimed before each.
 */
static int
medians(char *const *argvs[], int n, const char *out, double *med)
{
	double t[8][RUNS];
	char rm[PATH_MAX + 32];

	snprintf(rm, sizeof(rm), "rm -rf '%s'", out);
	for (int r = 0; r < RUNS; r++)
		for (int i = 0; i < n; i++) {
			if (system(rm) != 0 || (t[i][r] = run(argvs[i])) < 0)
				return -1;
		}
	for (int i = 0; i < n; i++) {
		qsort(t[i], RUNS, sizeof(double), cmpd);
		med[i] = t[i][RUNS / 2];
	}
	return system(rm) == 0 ? 0 : -1;
}

static int
mktree(const char *root)
{
	char path[PATH_MAX];
	char *buf;
	FILE *f;
	int d, i;

	if (mkdir(root, 0755) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/small", root);
	if (mkdir(path, 0755) == -1)
		return -1;
	for (d = 0; d < NDIRS; d++) {
		snprintf(path, sizeof(path), "%s/small/dir%03d", root, d);
		if (mkdir(path, 0755) == -1)
			return -1;
		for (i = 0; i < NFILES; i++) {
			snprintf(path, sizeof(path), "%s/small/dir%03d/"
			    "file%03d", root, d, i);
			if ((f = fopen(path, "w")) == NULL)
				return -1;
			for (int k = 0; k <= i % 40; k++)
				fprintf(f, "line %d of file %d of dir %d\n", k,
				    i, d);
			fclose(f);
		}
	}
	snprintf(path, sizeof(path), "%s/large", root);
	if (mkdir(path, 0755) == -1 || (buf = malloc(LARGE)) == NULL)
		return -1;
	for (i = 0; i < NLARGE; i++) {
		for (size_t k = 0; k < LARGE; k++)
			buf[k] = (char)(k * 2654435761u >> (i + 3));
		snprintf(path, sizeof(path), "%s/large/blob%d", root, i);
		if ((f = fopen(path, "w")) == NULL ||
		    fwrite(buf, 1, LARGE, f) != LARGE)
			return -1;
		fclose(f);
	}
	free(buf);
	return 0;
}

static void
row(const char *what, const double *m, int n)
{
	printf("| %s | %.0f | %.0f (%.2f) |", what, m[0] * 1e3, m[1] * 1e3,
	    m[1] / m[0]);
	if (n > 2)
		printf(" %.0f (%.2f) |", m[2] * 1e3, m[2] / m[0]);
	printf("\n");
}

int
main(int argc, char **argv)
{
	char tmp[64], tree[96], img[96], out[96], cmd[512], fsu[PATH_MAX + 16];
	char exe[PATH_MAX], o7[128];
	double m[3];
	ssize_t n;
	int npeers;

	(void)argc;
	(void)argv;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) == -1)
		return 1;
	exe[n] = '\0';
	strcpy(bindir, dirname(exe));
	snprintf(fsu, sizeof(fsu), "%s/fsu_get", bindir);
	printf("## ISO 9660 (bench_cd9660)\n\n");
	if (system("command -v xorriso >/dev/null") != 0) {
		printf("Skipped: xorriso is needed.\n");
		return 0;
	}
	npeers = system("command -v 7zz >/dev/null") == 0 ? 2 : 1;
	strcpy(tmp, "/tmp/bench_cd9660.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return 1;
	snprintf(tree, sizeof(tree), "%s/tree", tmp);
	snprintf(img, sizeof(img), "%s/img.iso", tmp);
	if (access("/dev/shm", W_OK) == 0)
		snprintf(out, sizeof(out), "/dev/shm/bench_cd9660.%d",
		    (int)getpid());
	else
		snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(o7, sizeof(o7), "-o%s", out);
	if (mktree(tree) == -1) {
		printf("Skipped: cannot make the tree in %s.\n", tmp);
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "xorriso -as mkisofs -quiet -R -J -o %s %s "
	    ">/dev/null 2>&1", img, tree);
	if (system(cmd) != 0) {
		printf("Skipped: xorriso failed.\n");
		return 1;
	}

	char *ours_s[] = { fsu, "-r", img, "/small", out, NULL };
	char *xor_s[] = { "xorriso", "-osirrox", "on", "-indev", img,
		"-extract", "/small", out, NULL };
	char *z_s[] = { "7zz", "x", "-y", img, "small", o7, NULL };
	char *ours_l[] = { fsu, "-r", img, "/large", out, NULL };
	char *xor_l[] = { "xorriso", "-osirrox", "on", "-indev", img,
		"-extract", "/large", out, NULL };
	char *z_l[] = { "7zz", "x", "-y", img, "large", o7, NULL };
	char *const *small[] = { ours_s, xor_s, z_s };
	char *const *large[] = { ours_l, xor_l, z_l };

	printf("Copying a tree out of an ISO image made by `xorriso -as "
	    "mkisofs -R -J`, into %s; median of %d runs, milliseconds "
	    "(peer / ours: above 1, we are faster).\n\n",
	    strncmp(out, "/dev/shm", 8) == 0 ? "/dev/shm" : "the temporary "
	    "directory", RUNS);
	printf("| copy | fsu_get -r | xorriso -osirrox |%s\n",
	    npeers > 1 ? " 7zz x |" : "");
	printf("|---|---|---|%s\n", npeers > 1 ? "---|" : "");
	if (medians(small, npeers + 1, out, m) == 0)
		row("10,000 files of 20-1600 bytes in 100 directories", m,
		    npeers + 1);
	else
		printf("| small files | failed | |\n");
	if (medians(large, npeers + 1, out, m) == 0)
		row("4 files of 32 MiB", m, npeers + 1);
	else
		printf("| large files | failed | |\n");
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", tmp, out);
	return system(cmd) == 0 ? 0 : 1;
}
