/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FAT images: the image tools against mtools on the same image, whole
 * processes timed from spawn to exit (what a user waits for):
 *   fsu_put -r of a real tree (this project's sources) into a fresh
 *   FAT32 image                       vs  mcopy -s into the same image
 *   fsu_get -r of that tree           vs  mcopy -s out of it
 * The fresh image is a copy of one newfs_msdos made, restored before
 * each run.  Prints a Markdown section on stdout; skips (saying so)
 * without mtools.
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

#define RUNS 5

static char bindir[PATH_MAX], tmp[64];

/* Median of runs; before each, prep (may be NULL) is run untimed. */
static double
median(char *const argv[], const char *prep)
{
	double t[RUNS];
	int i;

	for (i = 0; i < RUNS; i++) {
		if (prep != NULL && system(prep) != 0)
			return -1;
		if ((t[i] = run(argv)) < 0)
			return -1;
	}
	qsort(t, RUNS, sizeof(t[0]), cmpd);
	return t[RUNS / 2];
}

static void
row(const char *what, double ours, double peer)
{
	printf("| %s | %.0f / %.0f ms | %.2f |\n", what, ours * 1e3,
	    peer * 1e3, peer / ours);
}

int
main(int argc, char **argv)
{
	char exe[PATH_MAX], img[96], fresh[96], tree[96], out[96];
	char cmd[8192], restore[256], rmout[256], fsuput[PATH_MAX + 16];
	char fsuget[PATH_MAX + 16], newfs[PATH_MAX + 16], files[32] = "?";
	double a, b, c, d;
	ssize_t n;
	FILE *p;

	(void)argc;
	(void)argv;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) == -1)
		return 1;
	exe[n] = '\0';
	strcpy(bindir, dirname(exe));
	printf("## FAT images (bench_msdos)\n\n");
	if (system("command -v mcopy >/dev/null") != 0) {
		printf("Skipped: mcopy (mtools) is needed.\n");
		return 0;
	}
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	strcpy(tmp, "/tmp/bench_msdos.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return 1;
	snprintf(img, sizeof(img), "%s/fat.img", tmp);
	snprintf(fresh, sizeof(fresh), "%s/fresh.img", tmp);
	snprintf(tree, sizeof(tree), "%s/tree", tmp);
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(fsuput, sizeof(fsuput), "%s/fsu_put", bindir);
	snprintf(fsuget, sizeof(fsuget), "%s/fsu_get", bindir);
	snprintf(newfs, sizeof(newfs), "%s/newfs_msdos", bindir);
	/* The real tree: this project's kernel sources and tools. */
	snprintf(cmd, sizeof(cmd), "mkdir %s && cp -r %s/sys %s/lib %s/usr.bin "
	    "%s/usr.sbin %s/tests %s/ && %s -F 32 -s 512m %s >/dev/null",
	    tree, RUMP_SOURCE_DIR, RUMP_SOURCE_DIR, RUMP_SOURCE_DIR,
	    RUMP_SOURCE_DIR, RUMP_SOURCE_DIR, tree, newfs, fresh);
	if (system(cmd) != 0) {
		printf("Skipped: cannot make the tree or the image in %s.\n",
		    tmp);
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "find %s -type f | wc -l", tree);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fgets(files, sizeof(files), p) != NULL)
			files[strcspn(files, "\n")] = '\0';
		pclose(p);
	}
	snprintf(restore, sizeof(restore), "cp %s %s", fresh, img);
	char *put[] = { fsuput, "-r", tree, img, "/", NULL };
	char *mput[] = { "mcopy", "-s", "-i", img, tree, "::/", NULL };
	char *get[] = { fsuget, "-r", img, "/tree", out, NULL };
	char *mget[] = { "mcopy", "-s", "-n", "-i", img, "::/tree", out,
	    NULL };

	a = median(put, restore);
	b = median(mput, restore);
	/* Both read the same image, written by mcopy. */
	snprintf(rmout, sizeof(rmout), "rm -rf %s", out);
	c = median(get, rmout);
	snprintf(rmout, sizeof(rmout), "rm -rf %s && mkdir %s", out, out);
	d = median(mget, rmout);
	printf("Whole processes on one FAT32 image (newfs_msdos, 512 MiB, 4 "
	    "KiB clusters) and\na tree of %s files (this project's "
	    "sources), median of %d; the peer is\nmtools' mcopy. Ratio: peer "
	    "time / ours.\n\n", files, RUNS);
	printf("| measure | fsu / mcopy | ratio |\n|---|---|---|\n");
	if (a < 0 || b < 0 || c < 0 || d < 0)
		printf("| (a command failed: %.3f %.3f %.3f %.3f) | | |\n", a,
		    b, c, d);
	else {
		row("`fsu_put -r` of the tree vs `mcopy -s` in", a, b);
		row("`fsu_get -r` of the tree vs `mcopy -s` out", c, d);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	(void)system(cmd);
	return 0;
}
