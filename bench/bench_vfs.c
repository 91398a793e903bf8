/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * VFS and tmpfs benchmarks, each side by side with the host's own tmpfs
 * (a fresh directory under /dev/shm, removed afterwards) in one run:
 *   metadata   create, stat and unlink of 100,000 files in 10 directories
 *   sequential a 1 GiB file written and read in 1 MiB and in 4 KiB
 *              requests (a new file for each write)
 *   random     4 KiB preads at random page offsets of a 256 MiB file
 * The same code runs both sides through a table of calls.  Each figure
 * is the median of three runs.  Prints a Markdown report on stdout.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define NFILES   100000
#define NDIRS    10
#define SEQ_SIZE (1ULL << 30)
#define RND_SIZE (256ULL << 20)
#define RND_OPS  200000
#define RUNS     3

/* One side: the rump kernel's calls or the host's. */
struct side {
	const char *name;
	char root[256];
	int (*open)(const char *, int, ...);
	int (*close)(int);
	int (*mkdir)(const char *, mode_t);
	int (*rmdir)(const char *);
	int (*unlink)(const char *);
	int (*stat)(const char *, struct stat *);
	ssize_t (*write)(int, const void *, size_t);
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*pread)(int, void *, size_t, off_t);
};

static int
host_open(const char *path, int flags, ...)
{
	return open(path, flags, 0644);
}

static int
rump_open(const char *path, int flags, ...)
{
	return rump_sys_open(path, flags, 0644);
}

static int
rump_stat(const char *path, struct stat *sb)
{
	return rump_sys_stat(path, sb);
}

static struct side host = {
	.name = "host", .open = host_open, .close = close, .mkdir = mkdir,
	.rmdir = rmdir, .unlink = unlink, .stat = stat, .write = write,
	.read = read, .pread = pread,
};

static struct side rump = {
	.name = "rump", .root = "/bench", .open = rump_open,
	.close = rump_sys_close, .mkdir = rump_sys_mkdir,
	.rmdir = rump_sys_rmdir, .unlink = rump_sys_unlink,
	.stat = rump_stat, .write = rump_sys_write, .read = rump_sys_read,
	.pread = rump_sys_pread,
};

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "bench_vfs: %s %s: %s\n", what, path, strerror(errno));
	if (host.root[0] != '\0') {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", host.root);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_vfs: could not remove %s\n",
			    host.root);
	}
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_double);
	return v[RUNS / 2];
}

static void
path_of(const struct side *s, char *buf, size_t len, int dir, int file)
{
	if (file < 0)
		snprintf(buf, len, "%s/d%d", s->root, dir);
	else
		snprintf(buf, len, "%s/d%d/file-%d", s->root, dir, file);
}

/* Seconds for create, stat and unlink of NFILES files. */
static void
metadata(const struct side *s, double t[3])
{
	char path[320];
	struct stat sb;
	double t0;
	int fd;

	for (int d = 0; d < NDIRS; d++) {
		path_of(s, path, sizeof(path), d, -1);
		if (s->mkdir(path, 0755) == -1)
			die("mkdir", path);
	}
	t0 = now();
	for (int i = 0; i < NFILES; i++) {
		path_of(s, path, sizeof(path), i % NDIRS, i);
		if ((fd = s->open(path, O_CREAT | O_EXCL | O_WRONLY)) == -1)
			die("create", path);
		s->close(fd);
	}
	t[0] = now() - t0;
	t0 = now();
	for (int i = 0; i < NFILES; i++) {
		path_of(s, path, sizeof(path), i % NDIRS, i);
		if (s->stat(path, &sb) == -1)
			die("stat", path);
	}
	t[1] = now() - t0;
	t0 = now();
	for (int i = 0; i < NFILES; i++) {
		path_of(s, path, sizeof(path), i % NDIRS, i);
		if (s->unlink(path) == -1)
			die("unlink", path);
	}
	t[2] = now() - t0;
	for (int d = 0; d < NDIRS; d++) {
		path_of(s, path, sizeof(path), d, -1);
		if (s->rmdir(path) == -1)
			die("rmdir", path);
	}
}

/* Seconds to write, then read, SEQ_SIZE bytes in requests of bs. */
static void
sequential(const struct side *s, char *buf, size_t bs, double t[2])
{
	char path[320];
	double t0;
	int fd;

	snprintf(path, sizeof(path), "%s/seq", s->root);
	if ((fd = s->open(path, O_CREAT | O_TRUNC | O_RDWR)) == -1)
		die("create", path);
	t0 = now();
	for (uint64_t off = 0; off < SEQ_SIZE; off += bs)
		if (s->write(fd, buf, bs) != (ssize_t)bs)
			die("write", path);
	t[0] = now() - t0;
	s->close(fd);
	if ((fd = s->open(path, O_RDONLY)) == -1)
		die("open", path);
	t0 = now();
	for (uint64_t off = 0; off < SEQ_SIZE; off += bs)
		if (s->read(fd, buf, bs) != (ssize_t)bs)
			die("read", path);
	t[1] = now() - t0;
	s->close(fd);
	if (s->unlink(path) == -1)
		die("unlink", path);
}

/* Seconds for RND_OPS random 4 KiB preads of a RND_SIZE file. */
static double
random_reads(const struct side *s, char *buf, const uint32_t *pages)
{
	char path[320];
	double t;
	int fd;

	snprintf(path, sizeof(path), "%s/rnd", s->root);
	if ((fd = s->open(path, O_CREAT | O_TRUNC | O_RDWR)) == -1)
		die("create", path);
	for (uint64_t off = 0; off < RND_SIZE; off += 1 << 20)
		if (s->write(fd, buf, 1 << 20) != 1 << 20)
			die("write", path);
	t = now();
	for (int i = 0; i < RND_OPS; i++)
		if (s->pread(fd, buf, 4096, (off_t)pages[i] * 4096) != 4096)
			die("pread", path);
	t = now() - t;
	s->close(fd);
	if (s->unlink(path) == -1)
		die("unlink", path);
	return t;
}

struct figures {
	double meta[3];                 /* create, stat, unlink: seconds */
	double seq[2][2];               /* [1 MiB, 4 KiB][write, read] */
	double rnd;
};

static void
measure(const struct side *s, char *buf, const uint32_t *pages,
    struct figures *f)
{
	double v[5][RUNS], t[3];

	for (int r = 0; r < RUNS; r++) {
		metadata(s, t);
		for (int k = 0; k < 3; k++)
			v[k][r] = t[k];
	}
	for (int k = 0; k < 3; k++)
		f->meta[k] = median(v[k]);
	for (int b = 0; b < 2; b++) {
		for (int r = 0; r < RUNS; r++) {
			sequential(s, buf, b == 0 ? 1 << 20 : 4096, t);
			v[0][r] = t[0];
			v[1][r] = t[1];
		}
		f->seq[b][0] = median(v[0]);
		f->seq[b][1] = median(v[1]);
	}
	for (int r = 0; r < RUNS; r++)
		v[0][r] = random_reads(s, buf, pages);
	f->rnd = median(v[0]);
}

static void
row_rate(const char *what, double ours, double theirs, const char *unit,
    double scale, const char *goal, double goalratio)
{
	double a = scale / ours, b = scale / theirs, ratio = a / b;

	printf("| %s | %.0f / %.0f %s | %.2f | %s: %s |\n", what, a, b, unit,
	    ratio, goal, ratio >= goalratio ? "met" : "MISSED");
}

int
main(void)
{
	struct figures fr, fh;
	uint32_t *pages;
	char *buf;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	const char *mib = "MiB/s";

	if ((buf = malloc(1 << 20)) == NULL ||
	    (pages = malloc(RND_OPS * sizeof(*pages))) == NULL)
		die("malloc", "");
	memset(buf, 0xa5, 1 << 20);
	for (int i = 0; i < RND_OPS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pages[i] = (uint32_t)(x % (RND_SIZE / 4096));
	}

	/* No RUMP_MEMLIMIT: the 1 GiB file must fit. */
	unsetenv("RUMP_MEMLIMIT");
	if (rump_init() != 0)
		die("rump_init", "");
	if (rump_sys_mkdir(rump.root, 0755) == -1 ||
	    rump_sys_mount("tmpfs", rump.root, 0, NULL, 0) == -1)
		die("mount tmpfs on", rump.root);
	measure(&rump, buf, pages, &fr);
	if (rump_sys_unmount(rump.root, 0) == -1)
		die("unmount", rump.root);

	strcpy(host.root, "/dev/shm/bench_vfs.XXXXXX");
	if (mkdtemp(host.root) == NULL)
		die("mkdtemp", host.root);
	measure(&host, buf, pages, &fh);
	if (rmdir(host.root) == -1)
		die("rmdir", host.root);

	printf("## VFS and tmpfs (bench_vfs)\n\n");
	printf("Our tmpfs in the rump kernel against the host's tmpfs "
	    "(/dev/shm), same calls, median of %d runs.\n\n", RUNS);
	printf("| measure | rump / host | ratio | goal |\n|---|---|---|---|\n");
	row_rate("create (open O_CREAT + close), 100,000 files in 10 dirs",
	    fr.meta[0], fh.meta[0], "files/s", NFILES,
	    "faster than the host", 1.0);
	row_rate("stat of each", fr.meta[1], fh.meta[1], "files/s", NFILES,
	    "faster than the host", 1.0);
	row_rate("unlink of each", fr.meta[2], fh.meta[2], "files/s", NFILES,
	    "faster than the host", 1.0);
	row_rate("sequential write of 1 GiB, 1 MiB requests", fr.seq[0][0],
	    fh.seq[0][0], mib, 1024, ">= 70% of the host", 0.7);
	row_rate("sequential read of 1 GiB, 1 MiB requests", fr.seq[0][1],
	    fh.seq[0][1], mib, 1024, ">= 70% of the host", 0.7);
	row_rate("sequential write of 1 GiB, 4 KiB requests", fr.seq[1][0],
	    fh.seq[1][0], mib, 1024, ">= 70% of the host", 0.7);
	row_rate("sequential read of 1 GiB, 4 KiB requests", fr.seq[1][1],
	    fh.seq[1][1], mib, 1024, ">= 70% of the host", 0.7);
	row_rate("random 4 KiB preads of a 256 MiB file", fr.rnd, fh.rnd,
	    "reads/s", RND_OPS, "no goal set; >= 70% as sequential", 0.7);
	free(pages);
	free(buf);
	return 0;
}
