/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS under many processes at once: an image made by our newfs is
 * mounted read-write, worked on by the stress of the POSIX suite
 * (../common/fsstress.c), emptied and unmounted; then every block and
 * inode must be where the maps say, to both checkers (ffs_check.c and
 * fsck_ffs -n), and the free counts must be those of the new image.
 * stress_full does it on an image the workers fill up, so that writes,
 * truncations and creations fail for want of space on the way.
 * The buffer cache is kept small (RUMP_MEMLIMIT), so that room is made
 * by writing buffers out while the workers change the same file system.
 *
 * reclaim: readers and writers of large files (indirect blocks, 4 KiB
 * blocks) on a buffer cache of a few hundred KiB, where nearly every
 * buffer asked for is made room for by writing delayed ones, whose
 * blocks may sit behind indirect blocks that are not cached: making
 * room must never need room.  The case fails by its time limit if it
 * hangs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "h_fsstress.h"
#include "h_tools.h"

static char img[256];

static void
stress(const char *name, const char *ver, const char *bsize,
    const char *fsize, const char *size, int nworkers, int nops)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	struct statvfs sv0, sv1;
	char why[256];

	snprintf(img, sizeof(img), "%s/%s.img", ffs_scratch(), name);
	REQUIRE_EQ(run(NEWFS, "-O", ver, "-b", bsize, "-f", fsize, "-s", size,
	    img, NULL), 0);
	REQUIRE_EQ(rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, 0, &ua, sizeof(ua)));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv0));
	fs_stress(FFS_MNT, nworkers, nops, 1, strcmp(size, "256m") != 0);
	REQUIRE_OK(rump_sys_sync());
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv1));
	REQUIRE_EQ(sv1.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv1.f_ffree, sv0.f_ffree);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	if (ffs_check_image(img, why, sizeof(why)) != 0)
		TEST_FAIL("%s: %s", img, why);
	fsck_clean(img);
}

TESTCASE(stress_ufs2)
{
	stress("s2", "2", "16384", "2048", "256m", 8, 1500);
}
TESTCASE(stress_ufs1) { stress("s1", "1", "4096", "512", "256m", 8, 1500); }
/* Small enough that the workers fill it: ENOSPC on every path. */
TESTCASE(stress_full) { stress("sf", "2", "16384", "2048", "6m", 8, 4000); }

#define RC_FILES  4
#define RC_SIZE   (3 << 20)
#define RC_ROUNDS 400

struct rcworker {
	int id;
	int rounds;
	bool writer;
	char err[256];
};

static void *
rcwork(void *arg)
{
	struct rcworker *w = arg;
	char path[64], buf[32768];
	uint32_t rnd = (uint32_t)w->id * 2654435761u + 1;
	int fd;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		snprintf(w->err, sizeof(w->err), "rfork failed");
		return NULL;
	}
	snprintf(path, sizeof(path), FFS_MNT "/f%d", w->id % RC_FILES);
	if ((fd = rump_sys_open(path, O_RDWR, 0)) == -1) {
		snprintf(w->err, sizeof(w->err), "open %s: %s", path,
		    strerror(errno));
		goto out;
	}
	memset(buf, w->id, sizeof(buf));
	for (int i = 0; i < w->rounds; i++) {
		off_t off;
		ssize_t n;

		rnd = rnd * 1103515245u + 12345u;
		off = (off_t)((rnd >> 4) % (RC_SIZE - sizeof(buf)));
		n = w->writer ? rump_sys_pwrite(fd, buf, sizeof(buf), off) :
		    rump_sys_pread(fd, buf, sizeof(buf), off);
		if (n != (ssize_t)sizeof(buf)) {
			snprintf(w->err, sizeof(w->err), "%s at %lld: %zd %s",
			    w->writer ? "pwrite" : "pread", (long long)off, n,
			    strerror(errno));
			break;
		}
	}
	rump_sys_close(fd);
out:
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TESTCASE(reclaim)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	struct rcworker w[2 * RC_FILES];
	pthread_t th[2 * RC_FILES];
	char path[64], why[256];
	int fd;

	/* A quarter of this is the buffer cache. */
	setenv("RUMP_MEMLIMIT", "1m", 1);
	REQUIRE_EQ(rump_init(), 0);
	snprintf(img, sizeof(img), "%s/rc.img", ffs_scratch());
	REQUIRE_EQ(run(NEWFS, "-O", "1", "-b", "4096", "-f", "512", "-s",
	    "64m", img, NULL), 0);
	REQUIRE_EQ(rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, 0, &ua, sizeof(ua)));
	/* Sparse files: their blocks are allocated by the writers. */
	for (int i = 0; i < RC_FILES; i++) {
		snprintf(path, sizeof(path), FFS_MNT "/f%d", i);
		REQUIRE_OK(fd = rump_sys_open(path, O_RDWR | O_CREAT, 0644));
		REQUIRE_OK(rump_sys_ftruncate(fd, RC_SIZE));
		REQUIRE_OK(rump_sys_close(fd));
	}
	memset(w, 0, sizeof(w));
	for (int i = 0; i < 2 * RC_FILES; i++) {
		w[i].id = i;
		/* Scaled as the stress is (h_fsstress.h). */
		w[i].rounds = getenv("FSSTRESS_PERCENT") == NULL ? RC_ROUNDS :
		    RC_ROUNDS * atoi(getenv("FSSTRESS_PERCENT")) / 100;
		w[i].writer = i < RC_FILES;
		REQUIRE_EQ(pthread_create(&th[i], NULL, rcwork, &w[i]), 0);
	}
	for (int i = 0; i < 2 * RC_FILES; i++)
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 2 * RC_FILES; i++)
		if (w[i].err[0] != '\0')
			TEST_FAIL("worker %d: %s", i, w[i].err);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	if (ffs_check_image(img, why, sizeof(why)) != 0)
		TEST_FAIL("%s: %s", img, why);
	fsck_clean(img);
}

TESTS(CASE(stress_ufs2), CASE(stress_ufs1), CASE(stress_full),
    CASE_NOBOOT(reclaim))
