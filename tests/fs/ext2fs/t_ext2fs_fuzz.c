/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Seeded corruption of real images: for each image kind, thousands of
 * cases of random bytes flipped in metadata blocks (superblock, group
 * descriptors, inode tables, directories, index and extent blocks),
 * each mounted, walked and read in memory.  Every case must end in a
 * clean walk or error returns: a crash, a hang (the harness's time
 * limit) or a sanitizer report fails the test.  The seeds are fixed, so
 * a failure reproduces.  The kernel's log lines for the rejected images
 * go to /dev/null (a sanitizer report ends the process, so it is not
 * lost: the case fails).
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "kernspace/ext2_ks.h"

#define CASES TESTS_ROUNDS(2000)

static void
fuzz(const char *tag, const char *mkfs, const char *post, uint32_t seed)
{
	struct tree_opts o = { 300, false };
	struct rump_test_ext2_fuzzstats st;
	char *dir, src[4200], img[4200];
	int out, err, devnull, e;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir(tag);
	PATHF(src, "%s/src", dir);
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, &o);
	PATHF(img, "%s/fs.img", dir);
	make_image(img, src, mkfs, "8M", post);

	fflush(stdout);
	REQUIRE_OK(out = dup(1));
	REQUIRE_OK(err = dup(2));
	REQUIRE_OK(devnull = open("/dev/null", O_WRONLY));
	REQUIRE_OK(dup2(devnull, 1));
	REQUIRE_OK(dup2(devnull, 2));
	e = 0;
	for (uint32_t flips = 1; flips <= 8 && e == 0; flips *= 2)
		e = rump_test_ext2_fuzz(img, seed + flips, CASES / 4, flips, &st);
	fflush(stdout);
	REQUIRE_OK(dup2(out, 1));
	REQUIRE_OK(dup2(err, 2));
	close(devnull);
	close(out);
	close(err);
	if (e != 0)
		TEST_FAIL("%s: fuzz run: error %d", tag, e);
	printf("%s: %u metadata blocks; last run: %u cases, %u refused at "
	    "mount, %u with errors, %u clean, %llu entries\n", tag,
	    st.meta_blocks, st.cases, st.mount_failed, st.walk_errors, st.clean,
	    (unsigned long long)st.entries);
	REQUIRE_EQ(st.cases, CASES / 4);
	remove_tree(dir);
	free(dir);
}

#define FSCK_D "e2fsck -fyD '%s' >/dev/null 2>&1; test $? -le 1"

TESTCASE(ext2_1k) { fuzz("ext2_1k", "-t ext2 -b 1024 -I 256", FSCK_D, 11); }
TESTCASE(ext2_4k_128) { fuzz("ext2_4k", "-t ext2 -b 4096 -I 128", FSCK_D, 23); }
TESTCASE(ext3_2k) { fuzz("ext3_2k", "-t ext3 -b 2048", FSCK_D, 37); }
TESTCASE(ext4_1k) { fuzz("ext4_1k", "-t ext4 -b 1024", FSCK_D, 41); }
TESTCASE(ext4_4k_nocsum)
{
	fuzz("ext4_4k", "-t ext4 -b 4096 -O ^metadata_csum,^has_journal",
	    FSCK_D, 53);
}

TESTS(CASE(ext2_1k), CASE(ext2_4k_128), CASE(ext3_2k), CASE(ext4_1k),
    CASE(ext4_4k_nocsum))
