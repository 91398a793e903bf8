/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A walk over an FFS image of a million files under RUMP_MEMLIMIT=32M:
 * every directory read, every file stat'ed, with no error, because the
 * vnode cache and the buffer cache give memory back.  The kernel's
 * accounting cannot fail to hold its own limit, so the host's view is
 * checked too: the process grows by less than the limit plus slack
 * (not under AddressSanitizer, whose shadow and quarantine are large).
 * MEMWALK_FILES overrides the file count (1000 to a directory).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"

#define PERDIR     1000
#define MEMLIMIT   "32M"
#define RSS_SLACK  (64L << 20)          /* the host process besides */

struct rdirent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char tree[128];

/* A failed case must not leave a million files in /dev/shm. */
static void
rmtree(void)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	if (tree[0] != '\0' && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tree);
	tree[0] = '\0';
}

static long
nfiles_wanted(void)
{
	const char *s = getenv("MEMWALK_FILES");

	return s != NULL ? atol(s) : 1000000;
}

/* The host tree: ndirs directories of PERDIR empty files. */
static void
mktree(const char *root, long nfiles)
{
	char path[256];
	long d, f;
	int fd;

	REQUIRE(mkdir(root, 0755) == 0);
	for (d = 0; d * PERDIR < nfiles; d++) {
		snprintf(path, sizeof(path), "%s/d%04ld", root, d);
		REQUIRE(mkdir(path, 0755) == 0);
		for (f = 0; f < PERDIR && d * PERDIR + f < nfiles; f++) {
			snprintf(path, sizeof(path), "%s/d%04ld/f%04ld", root,
			    d, f);
			REQUIRE((fd = open(path, O_CREAT | O_WRONLY, 0644)) !=
			    -1);
			close(fd);
		}
	}
}

/* Every entry under path stat'ed; directories walked; the count. */
static long
walk(const char *path)
{
	char buf[32768], sub[512];
	struct rdirent *d;
	struct stat st;
	long n = 0, got;
	int fd;

	REQUIRE((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0)) != -1);
	while ((got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got; off += d->d_reclen) {
			d = (struct rdirent *)(void *)(buf + off);
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
			if (rump_sys_lstat(sub, &st) == -1)
				TEST_FAIL("lstat %s: %s", sub, strerror(errno));
			REQUIRE_EQ(st.st_ino, d->d_ino);
			n++;
			if (S_ISDIR(st.st_mode))
				n += walk(sub);
		}
	}
	REQUIRE_EQ(got, 0);
	REQUIRE_OK(rump_sys_close(fd));
	return n;
}

static long
maxrss(void)
{
	struct rusage ru;

	REQUIRE(getrusage(RUSAGE_SELF, &ru) == 0);
	return ru.ru_maxrss * 1024L;
}

TESTCASE(million)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	char img[128], cmd[512];
	long want = nfiles_wanted(), ndirs, rss0;

	REQUIRE(want > 0);
	ndirs = (want + PERDIR - 1) / PERDIR;
	/* The host's tmpfs makes the million files several times faster. */
	snprintf(tree, sizeof(tree), "%s/memwalk.%d",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ffs_scratch(),
	    (int)getpid());
	atexit(rmtree);
	snprintf(img, sizeof(img), "%s/img", ffs_scratch());
	mktree(tree, want);
	/* UFS1, small blocks and 128 bytes of disk per inode. */
	snprintf(cmd, sizeof(cmd), "makefs -t ffs -o version=1,density=128,"
	    "bsize=4096,fsize=512 -s %ldk %s %s >/dev/null", want * 3 / 5 + 4096,
	    img, tree);
	if (system(cmd) != 0)
		TEST_FAIL("%s failed", cmd);
	rmtree();

	REQUIRE_EQ(setenv("RUMP_MEMLIMIT", MEMLIMIT, 1), 0);
	REQUIRE_EQ(rump_init(), 0);
	rss0 = maxrss();
	REQUIRE_EQ(rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_RDONLY, &ua, sizeof(ua)));
	REQUIRE_EQ(walk(FFS_MNT), want + ndirs);
#ifndef __SANITIZE_ADDRESS__
	if (maxrss() - rss0 > (32L << 20) + RSS_SLACK)
		TEST_FAIL("the process grew by %ld MiB", (maxrss() - rss0) >> 20);
#else
	(void)rss0;
#endif
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
}

TESTS(CASE_NOBOOT(million))
