/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Image tools against e2fsprogs' debugfs on the same ext2 image, whole
 * processes timed from spawn to exit (what a user waits for):
 *   one fsu_ls of the root            vs  debugfs -R ls
 *   fsu_ls -lR of a 10,000-file tree  vs  debugfs -f (ls -l of every
 *                                         directory, one process)
 *   fsu_get -r of that tree           vs  debugfs -R 'rdump / DIR'
 *   fsu_ls of the root                vs  the host's ls of the tree's
 *                                         root on the host
 *   fsu_get -r of one hash-indexed    vs  debugfs -R 'rdump / DIR'
 *   directory of FLATFILES files
 * The images are made by mke2fs -d from generated trees in a temp dir;
 * the flat one's directory is indexed by e2fsck -D.
 * Prints a Markdown section on stdout; skips (saying so) without the
 * peer tools.
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
#define RUNS_QUICK 21
#define RUNS_TREE  3
#define FLATFILES 47730                 /* one directory, hash-indexed */

static char bindir[PATH_MAX], tmp[64];

/* Median of runs; before each, prep (may be NULL) is run untimed. */
static double
median(char *const argv[], int runs, const char *prep)
{
	double t[64];
	int i;

	for (i = 0; i < runs; i++) {
		if (prep != NULL && system(prep) != 0)
			return -1;
		if ((t[i] = run(argv)) < 0)
			return -1;
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmpd);
	return t[runs / 2];
}

static int
mktree(const char *root)
{
	char path[PATH_MAX];
	FILE *f;
	int d, i;

	if (mkdir(root, 0755) == -1)
		return -1;
	for (d = 0; d < NDIRS; d++) {
		snprintf(path, sizeof(path), "%s/dir%03d", root, d);
		if (mkdir(path, 0755) == -1)
			return -1;
		for (i = 0; i < NFILES; i++) {
			snprintf(path, sizeof(path), "%s/dir%03d/file%03d",
			    root, d, i);
			if ((f = fopen(path, "w")) == NULL)
				return -1;
			fprintf(f, "file %d of directory %d\n", i, d);
			fclose(f);
		}
	}
	return 0;
}

/* One directory of FLATFILES small files. */
static int
mkflat(const char *root)
{
	char path[PATH_MAX];
	FILE *f;
	int i;

	if (mkdir(root, 0755) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/flat", root);
	if (mkdir(path, 0755) == -1)
		return -1;
	for (i = 0; i < FLATFILES; i++) {
		snprintf(path, sizeof(path), "%s/flat/entry-%06d.txt", root, i);
		if ((f = fopen(path, "w")) == NULL)
			return -1;
		fprintf(f, "%d\n", i);
		fclose(f);
	}
	return 0;
}

static char *
tool(const char *name)
{
	static char buf[8][PATH_MAX + 64];
	static int n;
	char *p = buf[n++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", bindir, name);
	return p;
}

/* GOAL: the least peer / ours ratio that meets it; 0: no goal. */
static void
row(const char *what, double ours, double peer, double goal)
{
	printf("| %s | %.2f / %.2f ms | %.2f |", what, ours * 1e3, peer * 1e3,
	    peer / ours);
	if (goal > 0)
		printf(" >= %.1f: %s |\n", goal, peer / ours >= goal ? "met" :
		    "MISSED");
	else
		printf(" no goal |\n");
}

int
main(int argc, char **argv)
{
	char img[96], tree[96], out[96], cmds[96], rmout[512], dump[512];
	char flat[96], fimg[96];
	char exe[PATH_MAX];
	double a, b, c, d, e, f, g, h, k;
	ssize_t n;
	FILE *cf;
	int i;

	(void)argc;
	(void)argv;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) == -1)
		return 1;
	exe[n] = '\0';
	strcpy(bindir, dirname(exe));
	printf("## Image tools (bench_fsu)\n\n");
	if (system("command -v mke2fs >/dev/null && "
	    "command -v debugfs >/dev/null") != 0) {
		printf("Skipped: mke2fs and debugfs (e2fsprogs) are needed.\n");
		return 0;
	}
	strcpy(tmp, "/tmp/bench_fsu.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return 1;
	snprintf(tree, sizeof(tree), "%s/tree", tmp);
	snprintf(img, sizeof(img), "%s/img.ext2", tmp);
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(cmds, sizeof(cmds), "%s/cmds", tmp);
	snprintf(rmout, sizeof(rmout), "rm -rf %s && mkdir %s", out, out);
	snprintf(flat, sizeof(flat), "%s/flat", tmp);
	snprintf(fimg, sizeof(fimg), "%s/flat.ext2", tmp);
	if (mktree(tree) == -1 || mkflat(flat) == -1) {
		printf("Skipped: cannot make the trees in %s.\n", tmp);
		return 1;
	}
	snprintf(dump, sizeof(dump), "mke2fs -q -F -t ext2 -N 60000 -d %s %s "
	    "256M >/dev/null 2>&1 && { e2fsck -fyD %s >/dev/null 2>&1; "
	    "[ $? -le 1 ]; }", flat, fimg, fimg);
	if (system(dump) != 0) {
		printf("Skipped: mke2fs or e2fsck -D failed.\n");
		return 1;
	}
	snprintf(dump, sizeof(dump), "mke2fs -q -F -t ext2 -N 12000 -d %s %s "
	    "128M >/dev/null 2>&1", tree, img);
	if (system(dump) != 0) {
		printf("Skipped: mke2fs failed.\n");
		return 1;
	}
	if ((cf = fopen(cmds, "w")) == NULL)
		return 1;
	fprintf(cf, "ls -l /\n");
	for (i = 0; i < NDIRS; i++)
		fprintf(cf, "ls -l /dir%03d\n", i);
	fclose(cf);

	char *ls[] = { tool("fsu_ls"), img, NULL };
	char *dls[] = { "debugfs", "-R", "ls", img, NULL };
	char *lsr[] = { tool("fsu_ls"), "-lR", img, NULL };
	char *dlsr[] = { "debugfs", "-f", cmds, img, NULL };
	char *get[] = { tool("fsu_get"), "-r", img, "/", out, NULL };
	char dumpcmd[160];
	snprintf(dumpcmd, sizeof(dumpcmd), "rdump / %s", out);
	char *drd[] = { "debugfs", "-R", dumpcmd, img, NULL };
	char *hls[] = { "ls", tree, NULL };
	char *fget[] = { tool("fsu_get"), "-r", fimg, "/", out, NULL };
	char *fdrd[] = { "debugfs", "-R", dumpcmd, fimg, NULL };

	a = median(ls, RUNS_QUICK, NULL);
	b = median(dls, RUNS_QUICK, NULL);
	c = median(lsr, RUNS_TREE, NULL);
	d = median(dlsr, RUNS_TREE, NULL);
	snprintf(rmout, sizeof(rmout), "rm -rf %s", out);
	e = median(get, RUNS_TREE, rmout);
	snprintf(rmout, sizeof(rmout), "rm -rf %s && mkdir %s", out, out);
	f = median(drd, RUNS_TREE, rmout);
	g = median(hls, RUNS_QUICK, NULL);
	snprintf(rmout, sizeof(rmout), "rm -rf %s", out);
	h = median(fget, RUNS_TREE, rmout);
	snprintf(rmout, sizeof(rmout), "rm -rf %s && mkdir %s", out, out);
	k = median(fdrd, RUNS_TREE, rmout);
	printf("Whole processes on one ext2 image of %d files in %d "
	    "directories (mke2fs -d),\nmedian of %d (%d for the trees); the "
	    "peer is e2fsprogs' debugfs (or the host's ls). Ratio: peer time "
	    "/ ours,\nabove 1: we are faster. Goals (issue 11): faster than "
	    "debugfs on every tree shape,\nfsu_ls at or below the host's "
	    "ls.\n\n",
	    NDIRS * NFILES, NDIRS, RUNS_QUICK, RUNS_TREE);
	printf("| measure | fsu / peer | ratio | goal (issue 11) |\n"
	    "|---|---|---|---|\n");
	if (a < 0 || b < 0 || c < 0 || d < 0 || e < 0 || f < 0 || g < 0 ||
	    h < 0 || k < 0) {
		printf("| (a command failed: %.3f %.3f %.3f %.3f %.3f %.3f %.3f "
		    "%.3f %.3f) | | | not measured |\n", a, b, c, d, e, f, g, h,
		    k);
	} else {
		printf("| `fsu_ls` of the root vs `debugfs -R ls` | %.2f / %.2f "
		    "ms | %.2f | under 10 ms: %s |\n", a * 1e3, b * 1e3, b / a,
		    a < 0.010 ? "met" : "MISSED");
		row("`fsu_ls -lR` of the tree vs `debugfs` `ls -l` of each "
		    "directory", c, d, 0);
		row("`fsu_get -r` of the tree vs `debugfs -R 'rdump'`", e, f,
		    1);
		row("`fsu_ls` of the root, whole process, vs the host's `ls` "
		    "of the tree's root", a, g, 1);
		char what[160];
		snprintf(what, sizeof(what), "`fsu_get -r` of one hash-indexed "
		    "directory of %d files vs `debugfs -R 'rdump'`", FLATFILES);
		row(what, h, k, 1);
	}
	printf("\nThe nearest unprivileged peer that mounts with a kernel, "
	    "libguestfs, boots an appliance VM: seconds per command.\n");
	snprintf(dump, sizeof(dump), "rm -rf %s", tmp);
	(void)system(dump);
	return 0;
}
