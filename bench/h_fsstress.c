/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * h_fsstress: a namespace and data stress for the benchmarks
 * (bench_fuse), written here from the description of xfstests'
 * fsstress: several processes, each making random operations in a
 * directory of its own (create, mkdir, write, read, truncate, unlink,
 * rmdir, rename, link, symlink, readdir, stat, fsync) on a small set of
 * names, so that most operations hit something.  Seeded: process P uses
 * SEED + P, the same operations on every file system.  Errors that the
 * random choice of names makes expected (ENOENT, EEXIST, ENOTEMPTY,
 * ENOTDIR, EISDIR, EINVAL, EMLINK, ENOSPC, ELOOP) are counted as operations;
 * any other error fails the run, and so does data read back from a
 * write that is not what was written.
 *
 * usage: h_fsstress [-n OPS] [-p PROCS] [-s SEED] DIR
 * Prints "fsstress: PROCS x OPS ops in SECONDS s: RATE ops/s"; exit 0
 * when every process finished clean.  DIR is left with what the
 * processes made (the caller removes it).
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NNAMES 24 /* names per directory level */
#define MAXIO  16384

static uint64_t rng;
static long opno;
static int proc;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned
below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* A random path: one or two levels, "dN" directories, "fN" others. */
static void
pick(char *p, size_t sz, int dir)
{
	if (below(3) == 0)
		snprintf(p, sz, "d%u/%c%u", below(NNAMES / 4), dir ? 'd' : 'f',
		         below(NNAMES));
	else
		snprintf(p, sz, "%c%u", dir ? 'd' : 'f', below(NNAMES));
}

static int
expected(int e)
{
	return e == ENOENT || e == EEXIST || e == ENOTEMPTY || e == ENOTDIR ||
	       e == EISDIR || e == EINVAL || e == EMLINK || e == ENOSPC ||
	       e == ELOOP;
}

static void
verdict(int rv, const char *what, const char *p)
{
	if (rv == -1 && !expected(errno)) {
		fprintf(stderr, "h_fsstress: process %d op %ld: %s %s: %s\n",
		        proc, opno, what, p, strerror(errno));
		exit(1);
	}
}

static void
op_write(const char *p, int do_fsync)
{
	unsigned char out[MAXIO], in[MAXIO];
	size_t len = 1 + below(MAXIO), i;
	off_t off = (off_t)below(256 * 1024);
	int fd;

	for (i = 0; i < len; i++)
		out[i] = (unsigned char)rnd();
	if ((fd = open(p, O_RDWR | O_CREAT, 0644)) == -1) {
		verdict(-1, "open", p);
		return;
	}
	if (pwrite(fd, out, len, off) != (ssize_t)len) {
		verdict(-1, "write", p);
		close(fd);
		return;
	}
	if (do_fsync)
		verdict(fsync(fd), "fsync", p);
	if (pread(fd, in, len, off) != (ssize_t)len ||
	    memcmp(in, out, len) != 0) {
		fprintf(stderr,
		        "h_fsstress: process %d op %ld: %s: data read "
		        "back at %lld is not what was written\n",
		        proc, opno, p, (long long)off);
		exit(1);
	}
	close(fd);
}

static void
op_read(const char *p)
{
	unsigned char in[MAXIO];
	int fd;

	if ((fd = open(p, O_RDONLY)) == -1) {
		verdict(-1, "open", p);
		return;
	}
	verdict(pread(fd, in, sizeof(in), (off_t)below(256 * 1024)) == -1 ? -1
	                                                                  : 0,
	        "read", p);
	close(fd);
}

static void
op_readdir(const char *p)
{
	struct dirent *d;
	DIR *dp;

	if ((dp = opendir(p)) == NULL) {
		verdict(-1, "opendir", p);
		return;
	}
	while ((d = readdir(dp)) != NULL)
		continue;
	closedir(dp);
}

/* Remove a tree made by this process (rmdir of a full one fails). */
static void
op_rmtree(const char *p)
{
	char q[PATH_MAX];
	struct dirent *d;
	DIR *dp;

	if ((dp = opendir(p)) == NULL) {
		verdict(-1, "opendir", p);
		return;
	}
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(q, sizeof(q), "%s/%s", p, d->d_name);
		if (unlink(q) == -1 && (errno == EISDIR || errno == EPERM))
			op_rmtree(q);
	}
	closedir(dp);
	verdict(rmdir(p), "rmdir", p);
}

static void
one(void)
{
	char a[64], b[64];
	struct stat st;
	int isdir, fd;

	switch (below(16)) {
	case 0:
	case 1:
		pick(a, sizeof(a), 0);
		if ((fd = open(a, O_CREAT | O_WRONLY, 0644)) == -1)
			verdict(-1, "create", a);
		else
			close(fd);
		break;
	case 2:
		pick(a, sizeof(a), 1);
		verdict(mkdir(a, 0755), "mkdir", a);
		break;
	case 3:
	case 4:
		pick(a, sizeof(a), 0);
		op_write(a, 0);
		break;
	case 5:
		pick(a, sizeof(a), 0);
		op_read(a);
		break;
	case 6:
		pick(a, sizeof(a), 0);
		verdict(truncate(a, (off_t)below(256 * 1024)), "truncate", a);
		break;
	case 7:
		pick(a, sizeof(a), 0);
		verdict(unlink(a), "unlink", a);
		break;
	case 8:
		pick(a, sizeof(a), 1);
		if (below(4) == 0)
			op_rmtree(a);
		else
			verdict(rmdir(a), "rmdir", a);
		break;
	case 9:
		isdir = below(4) == 0;
		pick(a, sizeof(a), isdir);
		pick(b, sizeof(b), isdir);
		verdict(rename(a, b), "rename", a);
		break;
	case 10:
		pick(a, sizeof(a), 0);
		pick(b, sizeof(b), 0);
		verdict(link(a, b), "link", a);
		break;
	case 11:
		pick(a, sizeof(a), 0);
		pick(b, sizeof(b), 0);
		verdict(symlink(a, b), "symlink", b);
		break;
	case 12:
		op_readdir(".");
		break;
	case 13:
	case 14:
		pick(a, sizeof(a), below(2));
		verdict(lstat(a, &st), "stat", a);
		break;
	case 15:
		pick(a, sizeof(a), 0);
		op_write(a, 1);
		break;
	}
}

int
main(int argc, char **argv)
{
	unsigned long long seed = 1;
	struct timespec t0, t1;
	long ops = 10000;
	int c, i, nproc = 4, status, bad = 0;
	char d[PATH_MAX];
	double s;

	while ((c = getopt(argc, argv, "hn:p:s:")) != -1) {
		switch (c) {
		case 'n':
			ops = strtol(optarg, NULL, 0);
			break;
		case 'p':
			nproc = atoi(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: h_fsstress [-n OPS] [-p PROCS] "
			                "[-s SEED] DIR\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind + 1 != argc || nproc < 1 || nproc > 64 || ops < 0) {
		fprintf(stderr, "h_fsstress: usage: h_fsstress [-n OPS] "
		                "[-p PROCS] [-s SEED] DIR\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nproc; i++) {
		switch (fork()) {
		case -1:
			perror("h_fsstress: fork");
			return 1;
		case 0:
			proc = i;
			snprintf(d, sizeof(d), "%s/p%d", argv[optind], i);
			if (mkdir(d, 0755) == -1 || chdir(d) == -1) {
				fprintf(stderr, "h_fsstress: %s: %s\n", d,
				        strerror(errno));
				_exit(1);
			}
			rng = (seed + (unsigned)i) * 0x9e3779b97f4a7c15ULL + 1;
			for (opno = 0; opno < ops; opno++)
				one();
			_exit(0);
		}
	}
	for (i = 0; i < nproc; i++) {
		if (wait(&status) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (bad) {
		fprintf(stderr, "h_fsstress: a process failed\n");
		return 1;
	}
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("fsstress: %d x %ld ops in %.3f s: %.0f ops/s\n", nproc, ops, s,
	       (double)nproc * (double)ops / s);
	return 0;
}
