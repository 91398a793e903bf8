/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * libukfs through its own API (the fsu tools use it through libfsu):
 * type detection on images made by mke2fs and makefs (both byte orders,
 * both UFS versions), the partitions of an MBR disk made by sfdisk and
 * ukfs_mount_part() of each, release of a busy mount (EBUSY, then
 * forced), and the path operations on ext2, read back after a fresh
 * mount and checked by e2fsck.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>

#include <rump/ukfs.h>

#include "h_macros.h"

static char dir[] = "/tmp/t_ukfs.XXXXXX";

static const char *
path(const char *name)
{
	static char p[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void
sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		TEST_FAIL("'%s' failed", cmd);
}

/* A small tree, and an ext2 and two FFS images of it. */
static void
images(void)
{
	REQUIRE(mkdtemp(dir) != NULL);
	sh("cd %s && mkdir -p t/etc && echo hello >t/etc/motd", dir);
	sh("mke2fs -q -F -t ext2 -b 1024 -d %s %s 8M >/dev/null 2>&1",
	    path("t"), path("e2.img"));
	sh("makefs -t ffs -s 8m %s %s >/dev/null", path("u1le.img"),
	    path("t"));
	sh("makefs -t ffs -B be -o version=2 -s 8m %s %s >/dev/null",
	    path("u2be.img"), path("t"));
}

static void
cleanup(void)
{
	sh("rm -rf %s", dir);
}

static void
read_motd(struct ukfs *fs)
{
	char buf[16];

	REQUIRE_EQ(ukfs_read(fs, "/etc/motd", 0, buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, "hello\n", 6) == 0);
}

TESTCASE(detect)
{
	const char *t;

	REQUIRE_OK(ukfs_init());
	images();
	REQUIRE((t = ukfs_detect(path("e2.img"), UKFS_PARTITION_NONE)) !=
	    NULL && strcmp(t, "ext2fs") == 0);
	REQUIRE((t = ukfs_detect(path("u1le.img"), UKFS_PARTITION_NONE)) !=
	    NULL && strcmp(t, "ffs") == 0);
	REQUIRE((t = ukfs_detect(path("u2be.img"), UKFS_PARTITION_NONE)) !=
	    NULL && strcmp(t, "ffs") == 0);
	sh("head -c 1048576 /dev/zero >%s", path("zero.img"));
	errno = 0;
	REQUIRE(ukfs_detect(path("zero.img"), UKFS_PARTITION_NONE) == NULL);
	REQUIRE_EQ(errno, EMEDIUMTYPE);
	errno = 0;
	REQUIRE(ukfs_detect(path("none.img"), UKFS_PARTITION_NONE) == NULL);
	REQUIRE_EQ(errno, ENOENT);
	cleanup();
}

/* ext2 in partition 1, UFS2 big-endian in 2, of an MBR disk. */
TESTCASE(partitions)
{
	struct ukfs_partinfo parts[8];
	struct ukfs *fs;

	REQUIRE_OK(ukfs_init());
	images();
	sh("truncate -s 32M %s && printf 'label: dos\\nstart=2048, "
	    "size=16384, type=83\\nstart=18432, size=16384, type=a9\\n' | "
	    "sfdisk -q %s >/dev/null", path("disk.img"), path("disk.img"));
	sh("dd if=%s of=%s bs=512 seek=2048 conv=notrunc status=none",
	    path("e2.img"), path("disk.img"));
	sh("dd if=%s of=%s bs=512 seek=18432 conv=notrunc status=none",
	    path("u2be.img"), path("disk.img"));
	REQUIRE_EQ(ukfs_partitions(path("disk.img"), parts, 8), 2);
	REQUIRE_EQ(parts[0].up_index, 1);
	REQUIRE_EQ(parts[0].up_offset, 2048 * 512);
	REQUIRE_EQ(parts[0].up_size, 16384 * 512);
	REQUIRE_EQ(parts[0].up_mbrtype, 0x83);
	REQUIRE(parts[0].up_fstype != NULL &&
	    strcmp(parts[0].up_fstype, "ext2fs") == 0);
	REQUIRE_EQ(parts[1].up_index, 2);
	REQUIRE_EQ(parts[1].up_offset, 18432 * 512);
	REQUIRE_EQ(parts[1].up_mbrtype, 0xa9);
	REQUIRE(parts[1].up_fstype != NULL &&
	    strcmp(parts[1].up_fstype, "ffs") == 0);
	REQUIRE_EQ(ukfs_partitions(path("e2.img"), parts, 8), 0);

	REQUIRE((fs = ukfs_mount_part(NULL, path("disk.img"), 2, NULL,
	    UKFS_RDONLY, NULL, 0)) != NULL);
	REQUIRE(strcmp(ukfs_getfstype(fs), "ffs") == 0);
	REQUIRE_EQ(ukfs_getpartition(fs), 2);
	read_motd(fs);
	REQUIRE_OK(ukfs_release(fs, 0));
	REQUIRE((fs = ukfs_mount(NULL, path("disk.img:1"), NULL, UKFS_RDONLY,
	    NULL, 0)) != NULL);
	REQUIRE(strcmp(ukfs_getfstype(fs), "ext2fs") == 0);
	REQUIRE_EQ(ukfs_getpartition(fs), 1);
	read_motd(fs);
	REQUIRE_OK(ukfs_release(fs, 0));
	errno = 0;
	REQUIRE(ukfs_mount_part(NULL, path("disk.img"), 3, NULL, UKFS_RDONLY,
	    NULL, 0) == NULL);
	REQUIRE_EQ(errno, ENXIO);
	cleanup();
}

/* A mount with a file open: EBUSY and still usable, then forced. */
TESTCASE(release_busy)
{
	struct ukfs *fs;
	int fd;

	REQUIRE_OK(ukfs_init());
	images();
	REQUIRE((fs = ukfs_mount("ext2fs", path("e2.img"), NULL, 0, NULL,
	    0)) != NULL);
	REQUIRE_OK(fd = ukfs_open_mode(fs, "/etc/motd", O_RDONLY, 0));
	REQUIRE_ERRNO(ukfs_release(fs, 0), EBUSY);
	read_motd(fs);
	REQUIRE_OK(ukfs_release(fs, UKFS_RELFLAG_FORCE));
	sh("e2fsck -fn %s >/dev/null 2>&1", path("e2.img"));
	cleanup();
}

/* The path operations on ext2, read back in a new mount. */
TESTCASE(path_ops)
{
	struct timespec ts[2] = { { 1000000000, 123456789 },
		{ 0, UTIME_OMIT } };
	struct ukfs *fs;
	struct stat st;
	char buf[64];

	REQUIRE_OK(ukfs_init());
	images();
	REQUIRE((fs = ukfs_mount(NULL, path("e2.img"), NULL, 0, NULL, 0)) !=
	    NULL);
	REQUIRE_OK(ukfs_mkdir(fs, "/d", 0750));
	REQUIRE_OK(ukfs_create(fs, "/d/f", 0640));
	REQUIRE_ERRNO(ukfs_create(fs, "/d/f", 0640), EEXIST);
	REQUIRE_EQ(ukfs_write(fs, "/d/f", 0, "written", 7), 7);
	REQUIRE_OK(ukfs_link(fs, "/d/f", "/d/hard"));
	REQUIRE_OK(ukfs_rename(fs, "/d/hard", "/d/moved"));
	REQUIRE_OK(ukfs_symlink(fs, "f", "/d/sym"));
	REQUIRE_OK(ukfs_chown(fs, "/d/f", 1001, 2002));
	REQUIRE_OK(ukfs_remove(fs, "/etc/motd"));
	REQUIRE_ERRNO(ukfs_rmdir(fs, "/d"), ENOTEMPTY);
	/* ".." never leaves the mount. */
	REQUIRE_EQ(ukfs_read(fs, "/../../d/../d/f", 0, buf, sizeof(buf)), 7);
	REQUIRE_OK(ukfs_utimens(fs, "/d/f", ts));
	REQUIRE_OK(ukfs_release(fs, 0));
	sh("e2fsck -fn %s >/dev/null 2>&1", path("e2.img"));

	REQUIRE((fs = ukfs_mount(NULL, path("e2.img"), NULL, UKFS_RDONLY,
	    NULL, 0)) != NULL);
	REQUIRE_OK(ukfs_stat(fs, "/d/moved", &st));
	REQUIRE_EQ(st.st_nlink, 2);
	REQUIRE_EQ(st.st_mode, S_IFREG | 0640);
	REQUIRE_EQ(st.st_uid, 1001);
	REQUIRE_EQ(st.st_gid, 2002);
	REQUIRE_EQ(st.st_atim.tv_sec, 1000000000);
	REQUIRE_EQ(st.st_atim.tv_nsec, 123456789);
	REQUIRE_EQ(ukfs_readlink(fs, "/d/sym", buf, sizeof(buf)), 1);
	REQUIRE_EQ(ukfs_read(fs, "/d/sym", 0, buf, sizeof(buf)), 7);
	REQUIRE(memcmp(buf, "written", 7) == 0);
	REQUIRE_ERRNO(ukfs_stat(fs, "/etc/motd", &st), ENOENT);
	REQUIRE_ERRNO(ukfs_mkdir(fs, "/x", 0755), EROFS);
	REQUIRE_OK(ukfs_release(fs, 0));
	cleanup();
}

TESTS(CASE_NOBOOT(detect), CASE_NOBOOT(partitions),
    CASE_NOBOOT(release_busy), CASE_NOBOOT(path_ops))
