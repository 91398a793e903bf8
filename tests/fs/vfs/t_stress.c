/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Concurrency on every writable file system: many processes at once
 * writing, truncating, renaming and removing (fsstress.c), after which
 * the file system must have exactly the free space it had before.  The
 * table's unmount then checks a disk image with its own checker
 * (fsck_ffs -n, e2fsck -fn), so a lost or doubly used block fails here.
 *
 * And races of directory renames that try to make a cycle (as NetBSD's
 * tests/fs/vfs/t_renamerace.c renamerace_cycle does): three threads of
 * one process make c/d/e over and over; one removes e and d, one moves
 * c under c/d/e (EINVAL, or ENOENT when the path is gone), one moves e
 * over c.  Every thread must finish in time, and no directory may end
 * up under itself, cut off from the root (the checkers see that).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "h_fsmacros.h"
#include "h_fsstress.h"

static void
freespace(uint64_t *blocks, uint64_t *files)
{
	struct statvfs sv;

	REQUIRE_OK(rump_sys_sync());
	REQUIRE_OK(rump_sys_statvfs(".", &sv));
	*blocks = sv.f_bfree;
	*files = sv.f_ffree;
}

FSTEST(stress, FS_WRITABLE)
{
	uint64_t b0, f0, b1, f1;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("st", 0755));
	freespace(&b0, &f0);
	fs_stress(FS_MNT "/st", 6, 1200, 1, false);
	freespace(&b1, &f1);
	REQUIRE_EQ(b1, b0);
	REQUIRE_EQ(f1, f0);
	REQUIRE_OK(rump_sys_rmdir("st"));
}

#define RACE_SECONDS 3

struct racer {
	int kind;
	long rounds;
	char err[256];
};

static volatile int race_stop;

static void *
racer(void *arg)
{
	struct racer *r = arg;

	if (rump_pub_lwproc_newlwp(rump_sys_getpid()) != 0) {
		snprintf(r->err, sizeof(r->err), "newlwp failed");
		return NULL;
	}
	while (!race_stop && r->err[0] == '\0') {
		(void)rump_sys_mkdir("c", 0755);
		(void)rump_sys_mkdir("c/d", 0755);
		(void)rump_sys_mkdir("c/d/e", 0755);
		switch (r->kind) {
		case 0:
			(void)rump_sys_rmdir("c/d/e");
			(void)rump_sys_rmdir("c/d");
			break;
		case 1:
			/* A directory is never moved below itself. */
			if (rump_sys_rename("c", "c/d/e") == 0)
				snprintf(r->err, sizeof(r->err),
				    "c moved to c/d/e");
			else if (errno != EINVAL && errno != ENOENT)
				snprintf(r->err, sizeof(r->err),
				    "rename c c/d/e: %s", strerror(errno));
			break;
		default:
			if (rump_sys_rename("c/d/e", "c") == -1 &&
			    errno != ENOENT && errno != ENOTEMPTY &&
			    errno != EINVAL)
				snprintf(r->err, sizeof(r->err),
				    "rename c/d/e c: %s", strerror(errno));
			break;
		}
		r->rounds++;
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Remove what the race left: the tree under c, whatever its shape. */
static void
race_cleanup(const char *path)
{
	char buf[4096], p[1024];
	ssize_t n;
	int fd;

	if ((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0)) == -1) {
		REQUIRE_EQ(errno, ENOENT);
		return;
	}
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0)
		for (ssize_t pos = 0; pos < n;) {
			unsigned short reclen;
			const char *nm = buf + pos + 19;

			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			pos += reclen;
			if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", path, nm);
			race_cleanup(p);
		}
	REQUIRE_EQ(n, 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_rmdir(path));
}

FSTEST(renamerace_cycle, FS_WRITABLE)
{
	struct racer r[3];
	pthread_t th[3];
	struct stat sb;
	nlink_t nlink;

	(void)fs;
	REQUIRE_OK(rump_sys_stat(".", &sb));
	nlink = sb.st_nlink;
	race_stop = 0;
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 3; i++) {
		r[i].kind = i;
		REQUIRE_EQ(pthread_create(&th[i], NULL, racer, &r[i]), 0);
	}
	sleep(RACE_SECONDS);
	race_stop = 1;
	for (int i = 0; i < 3; i++)
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 3; i++) {
		if (r[i].err[0] != '\0')
			TEST_FAIL("racer %d: %s", i, r[i].err);
		REQUIRE(r[i].rounds > 0);
	}
	race_cleanup("c");
	/* Nothing is left, in particular no directory cut off: the
	 * link count of the mount's root is what it was. */
	REQUIRE_OK(rump_sys_stat(".", &sb));
	REQUIRE_EQ(sb.st_nlink, nlink);
}

FSTESTS(FSCASE(stress), FSCASE(renamerace_cycle))
