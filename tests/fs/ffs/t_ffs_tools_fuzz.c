/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsck_ffs against damage: seeded byte flips in the metadata of small
 * makefs images (superblock, group headers, inodes, directories), then
 * fsck_ffs -n, -y and -n again.  It must never crash (a sanitizer's
 * finding aborts it), hang, or exit other than 0, 1, 2 or 8.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "ffsutil.h"
#include "h_tools.h"

static const char *
image(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s.img", ffs_scratch(), name);
	return p;
}

/* A small tree for the fuzzer: every kind of inode, a few blocks. */
static void
smalltree(const char *dir)
{
	char p[512], q[512];
	FILE *f;
	int i;

	REQUIRE(mkdir(dir, 0755) == 0);
	for (i = 0; i < 6; i++) {
		snprintf(p, sizeof(p), "%s/d%d", dir, i);
		REQUIRE(mkdir(p, 0755) == 0);
		snprintf(p, sizeof(p), "%s/d%d/file%d", dir, i, i);
		REQUIRE((f = fopen(p, "w")) != NULL);
		for (int k = 0; k < i * 3000; k++)
			fputc('a' + k % 26, f);
		REQUIRE(fclose(f) == 0);
		snprintf(p, sizeof(p), "%s/d%d/link", dir, i);
		REQUIRE(
		    symlink(
		        i % 2 ? "file"
		              : "a/very/long/target/that/"
		                "does/not/fit/in/the/inode/itself/at/all/no/"
		                "not/even/in/"
		                "ufs2/which/keeps/one/hundred/and/twenty/bytes",
		        p) == 0);
	}
	snprintf(p, sizeof(p), "%s/d1/d2", dir);
	REQUIRE(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/d1/file1", dir);
	snprintf(q, sizeof(q), "%s/d1/d2/hard", dir);
	REQUIRE(link(p, q) == 0);
}

/* Byte ranges of metadata: superblock, group headers, inodes, root. */
struct range {
	uint64_t off, len;
};

static size_t
metadata(const char *img, struct range *r)
{
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode di;
	size_t n = 0;
	uint32_t c;

	img_open(img);
	r[n++] = (struct range){fs.sbloc, FS_STRUCTSIZE};
	for (c = 0; c < fs.ncg && n < 6; c++)
		r[n++] =
		    (struct range){ffsu_cgtod(&fs, c) * fs.fsize, fs.cgsize};
	r[n++] =
	    (struct range){ffsu_cgimin(&fs, 0) * fs.fsize, 32ULL * fs.isize};
	getino(UFS_ROOTINO, raw, &di);
	r[n++] = (struct range){(uint64_t)di.db[0] * fs.fsize, DIRBLKSIZ};
	getino(lookup("/d1"), raw, &di);
	r[n++] = (struct range){(uint64_t)di.db[0] * fs.fsize, DIRBLKSIZ};
	img_close();
	return n;
}

static void
fuzz(const char *opts, const char *order, unsigned cases)
{
	const char *img = image("fz0"), *work;
	struct range r[16];
	unsigned char *orig;
	size_t nr, len;
	unsigned seed, k, flips, rc, unclean = 0;
	uint64_t at;
	struct stat st;
	int fd;

	{
		char dir[256], cmd[1024];

		snprintf(dir, sizeof(dir), "%s/small", ffs_scratch());
		if (access(dir, F_OK) != 0)
			smalltree(dir);
		snprintf(cmd, sizeof(cmd),
		         "makefs -t ffs -M 1m -B %s -o %s %s %s "
		         ">/dev/null",
		         order, opts, img, dir);
		REQUIRE(system(cmd) == 0);
	}
	fsck_clean(img);
	nr = metadata(img, r);
	REQUIRE(stat(img, &st) == 0);
	len = (size_t)st.st_size;
	REQUIRE((orig = malloc(len)) != NULL);
	REQUIRE((fd = open(img, O_RDONLY)) != -1);
	REQUIRE_EQ(read(fd, orig, len), len);
	close(fd);
	work = image("fz");
	for (seed = 1; seed <= cases; seed++) {
		srandom(seed);
		REQUIRE((fd = open(work, O_RDWR | O_CREAT | O_TRUNC, 0644)) !=
		        -1);
		REQUIRE_EQ(write(fd, orig, len), len);
		flips = 1 + (unsigned)random() % 8;
		for (k = 0; k < flips; k++) {
			const struct range *g = &r[(size_t)random() % nr];
			unsigned char b;

			at = g->off + (uint64_t)random() % g->len;
			REQUIRE_EQ(pread(fd, &b, 1, (off_t)at), 1);
			b ^= (unsigned char)(1 + random() % 255);
			REQUIRE_EQ(pwrite(fd, &b, 1, (off_t)at), 1);
		}
		close(fd);
		rc = (unsigned)run(FSCK, "-n", work, NULL);
		if (rc != 0 && rc != 1 && rc != 8)
			TEST_FAIL("seed %u: fsck_ffs -n: exit %u:\n%s", seed,
			          rc, out);
		rc = (unsigned)run(FSCK, "-y", work, NULL);
		if (rc > 2 && rc != 8)
			TEST_FAIL("seed %u: fsck_ffs -y: exit %u:\n%s", seed,
			          rc, out);
		rc = (unsigned)run(FSCK, "-n", work, NULL);
		if (rc != 0 && rc != 1 && rc != 8)
			TEST_FAIL("seed %u: fsck_ffs -n after -y: exit %u:\n%s",
			          seed, rc, out);
		unclean += rc != 0;
	}
	printf("%u of %u fuzzed images not clean after -y\n", unclean, cases);
	free(orig);
}

TESTCASE(fuzz_ufs2_le)
{
	fuzz("version=2,bsize=4096,fsize=512", "le", TESTS_ROUNDS(1000));
}
TESTCASE(fuzz_ufs1_be)
{
	fuzz("version=1,bsize=8192,fsize=1024", "be", TESTS_ROUNDS(1000));
}

int
main(int argc, char **argv)
{
	static const struct testcase tcs[] = {
	    CASE_NOBOOT(fuzz_ufs2_le),
	    CASE_NOBOOT(fuzz_ufs1_be),
	};

	return run_tests(tcs, sizeof(tcs) / sizeof(tcs[0]), argc, argv);
}
