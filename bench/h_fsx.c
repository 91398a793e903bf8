/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * h_fsx: a file exerciser for the benchmarks (bench_fuse), written here
 * from the description of xfstests' fsx: random reads, writes,
 * truncations and mapped reads and writes on one file, every byte read
 * checked against a model of the file kept in memory.  Seeded, so the
 * same seed makes the same operations on every file system.
 *
 * usage: h_fsx [-m] [-n OPS] [-s SEED] [-l MAXLEN] FILE
 *   -m  no mapped reads and writes (mmap)
 * Mapped writes are not msync'd: the page cache keeps them coherent with
 * read and write, and a disk flush per operation would time the disk.
 * Prints "fsx: OPS ops in SECONDS s: RATE ops/s" and exits 0 when every
 * byte matched; on a mismatch names the operation, the offset, the byte
 * found and the one expected, and exits 1.
 * FSX_CORRUPT=N (for the test of this checker): after operation N, one
 * byte of the file is changed through another descriptor, behind the
 * model's back; the run must then fail.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXOP 65536 /* longest read or write */

static unsigned char *model, *buf;
static size_t msize, maxlen = 256 * 1024;
static const char *path;
static long opno;
static uint64_t rng;

static uint64_t
rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd() % n);
}

static void
die(const char *what)
{
	fprintf(stderr, "h_fsx: op %ld: %s: %s\n", opno, what, strerror(errno));
	exit(1);
}

/* Compare LEN bytes at OFF read by WHAT with the model. */
static void
check(const char *what, const unsigned char *got, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (got[i] == model[off + i])
			continue;
		fprintf(stderr,
		        "h_fsx: op %ld: %s at %zu: wrong byte at "
		        "offset %zu: 0x%02x, expected 0x%02x (file size %zu)\n",
		        opno, what, off, off + i, got[i], model[off + i],
		        msize);
		exit(1);
	}
}

static void
op_read(int fd)
{
	size_t off = below(msize + 1), len = 1 + below(MAXOP);
	ssize_t n;

	if ((n = pread(fd, buf, len, (off_t)off)) == -1)
		die("read");
	if ((size_t)n != (off + len > msize ? msize - off : len)) {
		fprintf(stderr,
		        "h_fsx: op %ld: read at %zu of %zu: %zd bytes, "
		        "expected %zu (file size %zu)\n",
		        opno, off, len, n,
		        off + len > msize ? msize - off : len, msize);
		exit(1);
	}
	check("read", buf, off, (size_t)n);
}

static void
op_write(int fd)
{
	size_t off = below(maxlen), len = 1 + below(MAXOP), i;

	if (off + len > maxlen)
		len = maxlen - off;
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)rnd();
	if (pwrite(fd, buf, len, (off_t)off) != (ssize_t)len)
		die("write");
	if (off > msize)
		memset(model + msize, 0, off - msize);
	memcpy(model + off, buf, len);
	if (off + len > msize)
		msize = off + len;
}

static void
op_truncate(int fd)
{
	size_t len = below(maxlen + 1);

	if (ftruncate(fd, (off_t)len) == -1)
		die("truncate");
	if (len > msize)
		memset(model + msize, 0, len - msize);
	msize = len;
}

static void
op_mapread(int fd)
{
	size_t off, len;
	unsigned char *p;
	long pg = sysconf(_SC_PAGESIZE);

	if (msize == 0)
		return;
	off = below(msize);
	len = 1 + below(msize - off < MAXOP ? msize - off : MAXOP);
	size_t base = off & ~((size_t)pg - 1);
	p = mmap(NULL, off + len - base, PROT_READ, MAP_SHARED, fd,
	         (off_t)base);
	if (p == MAP_FAILED)
		die("mmap for read");
	check("mapped read", p + (off - base), off, len);
	munmap(p, off + len - base);
}

static void
op_mapwrite(int fd)
{
	size_t off = below(maxlen), len = 1 + below(MAXOP), i;
	unsigned char *p;
	long pg = sysconf(_SC_PAGESIZE);

	if (off + len > maxlen)
		len = maxlen - off;
	if (off + len > msize) {
		/* A mapping cannot extend a file: grow it first. */
		if (ftruncate(fd, (off_t)(off + len)) == -1)
			die("truncate before a mapped write");
		memset(model + msize, 0, off + len - msize);
		msize = off + len;
	}
	size_t base = off & ~((size_t)pg - 1);
	p = mmap(NULL, off + len - base, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	         (off_t)base);
	if (p == MAP_FAILED)
		die("mmap for write");
	for (i = 0; i < len; i++)
		model[off + i] = p[off - base + i] = (unsigned char)rnd();
	munmap(p, off + len - base);
}

/* Change one byte of the file behind the model's back. */
static void
corrupt(void)
{
	unsigned char c;
	size_t off;
	int fd;

	if ((fd = open(path, O_RDWR)) == -1)
		die("open to corrupt");
	/* An empty file gains a byte: its size is then wrong. */
	off = below(msize);
	c = (unsigned char)(msize == 0 ? 0x5a : model[off] ^ 0x5a);
	if (pwrite(fd, &c, 1, (off_t)off) != 1)
		die("corrupting write");
	close(fd);
	fprintf(stderr, "h_fsx: op %ld: changed the byte at offset %zu\n", opno,
	        off);
}

int
main(int argc, char **argv)
{
	long ops = 100000, corrupt_at = -1;
	unsigned long long seed = 1;
	struct timespec t0, t1;
	int c, fd, maps = 1;
	const char *e;
	double s;

	while ((c = getopt(argc, argv, "hml:n:s:")) != -1) {
		switch (c) {
		case 'm':
			maps = 0;
			break;
		case 'l':
			maxlen = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			ops = strtol(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: h_fsx [-m] [-n OPS] [-s SEED] "
			                "[-l MAXLEN] FILE\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind + 1 != argc || maxlen < 1 || ops < 0) {
		fprintf(stderr, "h_fsx: usage: h_fsx [-m] [-n OPS] [-s SEED] "
		                "[-l MAXLEN] FILE\n");
		return 2;
	}
	path = argv[optind];
	if ((e = getenv("FSX_CORRUPT")) != NULL)
		corrupt_at = atol(e);
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	if ((model = calloc(1, maxlen)) == NULL ||
	    (buf = malloc(MAXOP)) == NULL)
		die("malloc");
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) == -1)
		die(path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (opno = 0; opno < ops; opno++) {
		switch (below(maps ? 6 : 4)) {
		case 0:
		case 1:
			op_read(fd);
			break;
		case 2:
			op_write(fd);
			break;
		case 3:
			op_truncate(fd);
			break;
		case 4:
			op_mapread(fd);
			break;
		case 5:
			op_mapwrite(fd);
			break;
		}
		if (opno == corrupt_at)
			corrupt();
	}
	/* Last, the whole file against the model, reopened. */
	close(fd);
	if ((fd = open(path, O_RDONLY)) == -1)
		die("reopen");
	struct stat st;
	if (fstat(fd, &st) == -1)
		die("fstat");
	if ((size_t)st.st_size != msize) {
		fprintf(stderr,
		        "h_fsx: at the end: file size %lld, expected "
		        "%zu\n",
		        (long long)st.st_size, msize);
		return 1;
	}
	for (size_t off = 0; off < msize; off += MAXOP) {
		size_t len = msize - off < MAXOP ? msize - off : MAXOP;
		if (pread(fd, buf, len, (off_t)off) != (ssize_t)len)
			die("final read");
		check("final read", buf, off, len);
	}
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("fsx: %ld ops in %.3f s: %.0f ops/s\n", ops, s, ops / s);
	return 0;
}
