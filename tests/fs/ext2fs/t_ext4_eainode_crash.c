/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Crash consistency of attribute values in EA inodes: the test records
 * (h_crashdev.c) the writes and device flushes of a workload on an ea_inode
 * image: large values set (two files sharing one EA inode), replaced by
 * other large ones, removed (the EA inode freed), made small again
 * (back in the inode), with files created, renamed, truncated, appended
 * to and unlinked while open (an orphan) between them, each step
 * fsync'd.  For every N (a stride keeps
 * the points near 25), the image as the device left it after its Nth
 * write, and again with the writes since the last flush in a seeded
 * random choice, must replay, by our read-write mount and by e2fsck -fy
 * alike, to a file system e2fsck -fn finds clean whose files and attributes
 * are exactly those of the last fsync'd state or the next; a few points are
 * also replayed by Linux (a loop mount, where the host allows it).  The
 * same with journal_async_commit (data=journal): one device flush for
 * each fsync, counted; with checksums v3 e2fsck's replay may apply a
 * torn transaction's good blocks (JBD2's rule), so there only its
 * cleanness is asked, and Linux's replay is left out.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "h_crashdev.h"

#define MNT "/mnt"
#define MAXSTATES 8

static char *tmpdir;
static int ndev;
static bool partial;            /* others' replays may apply torn ones */
static bool linux_ok = true;    /* the host loop-mounts */
static int nlinux;              /* Linux replays done */

static int aflags;              /* EXT2FS_ARGS_* of the workload's mount */

static int
mount_img(const char *img, int flags)
{
	struct ext2fs_args args = { .commit = 600, .flags = aflags };
	char dev[64];

	snprintf(dev, sizeof(dev), "/dev/eacrash%d", ndev++);
	args.fspec = dev;
	REQUIRE_EQ(rump_pub_etfs_register(dev, img, RUMP_ETFS_BLK), 0);
	if (rump_sys_mount("ext2fs", MNT, flags, &args, sizeof(args)) == 0)
		return 0;
	return errno;
}

#define NFILES 2
static const char *const files[NFILES] = { MNT "/a", MNT "/b" };

static uint64_t
hash(const void *p, size_t len, uint64_t h)
{
	for (size_t k = 0; k < len; k++)
		h = (h ^ ((const uint8_t *)p)[k]) * 1099511628211ull;
	return h;
}

/* The names, types, sizes and contents of the files the workload makes. */
static void
dump_files(FILE *o)
{
	static const char *const paths[] = { MNT "/c", MNT "/d", MNT "/d/c2",
		MNT "/e", MNT "/f" };
	static char buf[8192];
	struct stat st;
	ssize_t r;
	int fd;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		uint64_t h = 14695981039346656037ull;

		if (rump_sys_lstat(paths[i], &st) != 0) {
			REQUIRE_EQ(errno, ENOENT);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			REQUIRE_OK(fd = rump_sys_open(paths[i], O_RDONLY, 0));
			while ((r = rump_sys_read(fd, buf, sizeof(buf))) > 0)
				h = hash(buf, (size_t)r, h);
			REQUIRE(r == 0);
			REQUIRE_OK(rump_sys_close(fd));
		}
		fprintf(o, "%s 0%o n%lu s%lld h%016llx\n", paths[i],
		    (unsigned)st.st_mode, (unsigned long)st.st_nlink,
		    (long long)st.st_size, (unsigned long long)h);
	}
}

/* The attributes of the files, as text: names, sizes, value hashes. */
static char *
dump(void)
{
	static char list[1024], val[65536];
	char *s = NULL;
	size_t len = 0;
	FILE *o;

	REQUIRE((o = open_memstream(&s, &len)) != NULL);
	dump_files(o);
	for (size_t i = 0; i < NFILES; i++) {
		ssize_t n = rump_sys_listxattr(files[i], list, sizeof(list));

		REQUIRE(n >= 0);
		fprintf(o, "%s:", files[i]);
		/* listxattr's order is the disk's: sort by trying names. */
		for (const char *nm = "user.big\0user.small\0"; *nm != '\0';
		    nm += strlen(nm) + 1) {
			ssize_t v = rump_sys_getxattr(files[i], nm, val,
			    sizeof(val));
			uint64_t h;

			if (v < 0) {
				REQUIRE_EQ(errno, ENODATA);
				continue;
			}
			h = hash(val, (size_t)v, 14695981039346656037ull);
			fprintf(o, " %s=%zd/%016llx", nm, v,
			    (unsigned long long)h);
		}
		fprintf(o, "\n");
	}
	fclose(o);
	return s;
}

static char *states[MAXSTATES];
static size_t fat[MAXSTATES];   /* flushes done then */
static int nstates;

static void
durable(const char *path)
{
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
	REQUIRE_OK(rump_sys_fsync(fd));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE(nstates < MAXSTATES);
	fat[nstates] = crashdev_flushes_so_far();
	states[nstates++] = dump();
}

static void
value(unsigned char *v, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		v[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 9));
}

static void
put(const char *path, size_t len, unsigned seed, int flags)
{
	static unsigned char buf[8192];
	int fd;

	REQUIRE(len <= sizeof(buf));
	value(buf, len, seed);
	REQUIRE_OK(fd = rump_sys_open(path, O_CREAT | O_WRONLY | flags,
	    0644));
	REQUIRE_EQ(rump_sys_write(fd, buf, len), (ssize_t)len);
	REQUIRE_OK(rump_sys_close(fd));
}

static void
workload(void)
{
	static unsigned char v1[12000], v2[9000];
	int ofd;

	value(v1, sizeof(v1), 1);
	value(v2, sizeof(v2), 2);
	/* One EA inode, two references; a file and a directory. */
	REQUIRE_OK(rump_sys_setxattr(MNT "/a", "user.big", v1, sizeof(v1), 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/b", "user.big", v1, sizeof(v1), 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/a", "user.small", "s", 1, 0));
	put(MNT "/c", 3000, 3, O_TRUNC);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	durable(MNT "/a");
	/* A new EA inode for a; b keeps the first; renamed, truncated. */
	REQUIRE_OK(rump_sys_setxattr(MNT "/a", "user.big", v2, sizeof(v2), 0));
	REQUIRE_OK(rump_sys_rename(MNT "/c", MNT "/d/c2"));
	REQUIRE_OK(rump_sys_truncate(MNT "/d/c2", 100));
	put(MNT "/e", 5000, 5, O_TRUNC);
	durable(MNT "/a");
	/* The first EA inode freed; e unlinked while open, appended to. */
	REQUIRE_OK(rump_sys_removexattr(MNT "/b", "user.big"));
	REQUIRE_OK(ofd = rump_sys_open(MNT "/e", O_RDWR, 0));
	REQUIRE_OK(rump_sys_unlink(MNT "/e"));
	REQUIRE_EQ(rump_sys_pwrite(ofd, v1, 4000, 5000), 4000);
	put(MNT "/d/c2", 2000, 6, O_APPEND);
	durable(MNT "/b");
	/* Back in the inode; the second freed; e's blocks go. */
	REQUIRE_OK(rump_sys_setxattr(MNT "/a", "user.big", "tiny", 4, 0));
	REQUIRE_OK(rump_sys_close(ofd));
	put(MNT "/f", 7000, 7, O_TRUNC);
	durable(MNT "/a");
}

/* The attributes of img (ours, read-only): state k or k + 1. */
static void
check_state(const char *img, int k, const char *what, size_t n)
{
	char *got;

	REQUIRE_EQ(mount_img(img, MS_RDONLY), 0);
	got = dump();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	if (strcmp(got, states[k]) != 0 &&
	    (k + 1 >= nstates || strcmp(got, states[k + 1]) != 0))
		TEST_FAIL("%s, crash after write %zu: neither state %d:\n%s"
		    "--- nor state %d:\n%s--- but:\n%s", what, n, k, states[k],
		    k + 1, k + 1 < nstates ? states[k + 1] : "", got);
	free(got);
}

static void
crash_point(const char *base, const char *img, size_t n, bool reorder,
    unsigned *seed)
{
	char ours[800], theirs[800];
	size_t d = reorder ? crashdev_flushed_at(n) : n;
	int k = 0;

	PATHF(ours, "%s/ours", tmpdir);
	PATHF(theirs, "%s/theirs", tmpdir);
	/* The last state whose commit flush is down. */
	for (int i = 0; i < nstates; i++)
		if (fat[i] == 0 || crashdev_flushes[fat[i] - 1] <= d)
			k = i;
	crashdev_image(base, img, n, reorder, seed);
	sh("cp '%s' '%s' && cp '%s' '%s'", img, ours, img, theirs);
	/* Our replay: a read-write mount and unmount. */
	REQUIRE_EQ(mount_img(ours, 0), 0);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	crashdev_fsck_clean(ours, tmpdir, reorder ? "ours, reordered" : "ours", n);
	check_state(ours, k, "ours", n);
	/*
	 * e2fsck's replay.  With async commits and checksums v3 it replays
	 * a torn transaction's good blocks (JBD2's rule for v3: a bad copy
	 * is skipped, the rest goes home): clean, but the values of that
	 * transaction may be half there, so only cleanness is asked.
	 */
	sh("e2fsck -fy '%s' >/dev/null 2>&1; test $? -le 1", theirs);
	crashdev_fsck_clean(theirs, tmpdir, reorder ? "e2fsck, reordered" : "e2fsck", n);
	if (!partial)
		check_state(theirs, k, "e2fsck", n);
	/* Now and then Linux's replay (where the host loop-mounts). */
	if (linux_ok && !partial && nlinux < 2 && n % 5 == 1) {
		char mnt[900];

		nlinux++;
		PATHF(mnt, "%s/lmnt", tmpdir);
		sh("cp '%s' '%s'", img, theirs);
		if (!linux_mount(theirs, mnt, "rw")) {
			linux_ok = false;
			return;
		}
		linux_unmount(mnt);
		crashdev_fsck_clean(theirs, tmpdir, "Linux", n);
		check_state(theirs, k, "Linux", n);
	}
}

/*
 * The workload on mkfs's image with flags (perfsync: flushes an fsync
 * costs), crashed at about points places.
 */
static void
every_n(const char *mkfs, int flags, size_t perfsync, size_t points)
{
	unsigned seed = 20261206;
	char base[800], img[800];
	size_t total, stride;

	if (!have_e2fsprogs())
		return;
	tmpdir = make_tmpdir("eacrash");
	partial = (flags & EXT2FS_ARGS_ASYNCCOMMIT) &&
	    strstr(mkfs, "^metadata_csum") == NULL;
	PATHF(base, "%s/base", tmpdir);
	PATHF(img, "%s/img", tmpdir);
	sh("mke2fs -q -F %s '%s' 8M >/dev/null 2>&1 && mkdir '%s/lmnt'", mkfs,
	    base, tmpdir);
	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	/* The files, before the workload; state 0: no attributes. */
	REQUIRE_EQ(mount_img(base, 0), 0);
	for (size_t i = 0; i < NFILES; i++) {
		int fd;

		REQUIRE_OK(fd = rump_sys_open(files[i], O_CREAT | O_RDWR,
		    0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	states[nstates++] = dump();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	sh("cp '%s' '%s'", base, img);
	aflags = flags;
	REQUIRE_EQ(mount_img(img, 0), 0);
	crashdev_record(true);
	workload();
	aflags = 0;
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	crashdev_record(false);
	total = crashdev_writes_so_far();
	REQUIRE(total > 20);
	/* The image as the workload left it: clean, and Linux takes its
	 * journal (the features and checksums we gave it). */
	crashdev_fsck_clean(img, tmpdir, "the workload's image", total);
	if (linux_ok) {
		char mnt[900];

		PATHF(mnt, "%s/lmnt", tmpdir);
		if (linux_mount(img, mnt, "ro"))
			linux_unmount(mnt);
		else
			linux_ok = false;
	}
	REQUIRE_EQ(nstates, 5);
	/* Each fsync's commit: its flushes, exactly. */
	for (int i = 2; i < nstates; i++)
		REQUIRE_EQ(fat[i] - fat[i - 1], perfsync);
	stride = total / points + 1;
	for (size_t n = 1; n <= total; n += stride)
		crash_point(base, img, n, false, &seed);
	for (size_t n = 2; n <= total; n += 2 * stride)
		crash_point(base, img, n, true, &seed);
	crashdev_forget();
	remove_tree(tmpdir);
	free(tmpdir);
}

TESTCASE(ea_1k)
{
	every_n("-t ext4 -O ea_inode -b 1024 -I 256", 0, 2, 25);
}

/*
 * journal_async_commit (with data=journal): one flush a commit, the
 * journal given checksums v3 (metadata_csum) or v1.
 */
TESTCASE(async_v3)
{
	every_n("-t ext4 -O ea_inode -b 1024 -I 256",
	    EXT2FS_ARGS_DATAJOURNAL | EXT2FS_ARGS_ASYNCCOMMIT, 1, 15);
}

TESTCASE(async_v1)
{
	every_n("-t ext4 -O ea_inode,^metadata_csum -b 1024 -I 256",
	    EXT2FS_ARGS_DATAJOURNAL | EXT2FS_ARGS_ASYNCCOMMIT, 1, 15);
}

TESTS(CASE_NOBOOT(ea_1k), CASE_NOBOOT(async_v3), CASE_NOBOOT(async_v1))
