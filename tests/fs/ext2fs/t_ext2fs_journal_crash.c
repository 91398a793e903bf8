/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Crash consistency of journaled writes, data=ordered (the default) and
 * data=journal.  The test records (h_crashdev.c) every write and
 * flush a workload of creates, writes, renames, truncates, writes into
 * just-freed blocks, unlinks (one of an open file: the orphan list, on
 * ext4 the orphan file) and fsyncs makes on a read-write mount of an
 * ext3 image (and ext4).  For
 * every N (data=journal: every third), the image as it is when the
 * device stops writing after the Nth write (the first N writes applied
 * to the image the workload started from)
 * must replay, by our read-write mount and by e2fsck -fy alike, to a
 * file system e2fsck -fn finds clean, whose tree is exactly the one an
 * fsync left: the last one whose writes were all among the N, or the
 * next one (whose commit block may be among them); every tenth point is
 * also replayed by the Linux kernel (a loop mount, where the host
 * allows it).  Then again (every fourth or sixth N) with the writes
 * since the last device flush kept in a seeded random choice, as a
 * disk's cache may: the states are then those whose last flush is down.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
#define MAXSTATES 16

static char *tmpdir;
static int ndev;
static bool linux_ok = true;    /* the host loop-mounts */

/* The tree as text: names, modes, sizes, link counts, bytes. */
static void
dump_dir(const char *rel, char **out, size_t *len)
{
	char path[1200], sub[1200], buf[4096];
	struct stat st;
	ssize_t r;
	int fd;
	uint64_t h;
	char **names = NULL;
	size_t n = 0;

	PATHF(path, MNT "%s", rel);
	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	while ((r = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < r;) {
			char *name = buf + off + 19;
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
			    strcmp(name, "lost+found") == 0)
				continue;
			REQUIRE((names = realloc(names, (n + 1) *
			    sizeof(*names))) != NULL);
			REQUIRE((names[n++] = strdup(name)) != NULL);
		}
	}
	REQUIRE(r == 0);
	rump_sys_close(fd);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (strcmp(names[k], names[i]) < 0) {
				char *t = names[i];

				names[i] = names[k];
				names[k] = t;
			}
	for (size_t i = 0; i < n; i++) {
		PATHF(sub, "%s/%s", rel, names[i]);
		PATHF(path, MNT "%s", sub);
		REQUIRE_OK(rump_sys_lstat(path, &st));
		h = 14695981039346656037ull;
		if (S_ISREG(st.st_mode)) {
			REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
			while ((r = rump_sys_read(fd, buf, sizeof(buf))) > 0)
				for (ssize_t k = 0; k < r; k++)
					h = (h ^ (uint8_t)buf[k]) *
					    1099511628211ull;
			REQUIRE(r == 0);
			rump_sys_close(fd);
		}
		*len += (size_t)snprintf(NULL, 0, "%s 0%o n%lu s%lld h%016llx\n",
		    sub, st.st_mode, (unsigned long)st.st_nlink,
		    (long long)st.st_size, (unsigned long long)h);
		REQUIRE((*out = realloc(*out, *len + 1)) != NULL);
		snprintf(*out + strlen(*out), *len + 1 - strlen(*out),
		    "%s 0%o n%lu s%lld h%016llx\n", sub, st.st_mode,
		    (unsigned long)st.st_nlink, (long long)st.st_size,
		    (unsigned long long)h);
		if (S_ISDIR(st.st_mode))
			dump_dir(sub, out, len);
		free(names[i]);
	}
	free(names);
}

static char *
dump(void)
{
	char *s = calloc(1, 1);
	size_t len = 0;

	REQUIRE(s != NULL);
	dump_dir("", &s, &len);
	return s;
}

static int aflags;              /* EXT2FS_ARGS_* of the workload's mount */

static int
mount_img(const char *img, int flags)
{
	struct ext2fs_args args = { .flags = aflags };
	char dev[64];

	snprintf(dev, sizeof(dev), "/dev/crash%d", ndev++);
	args.fspec = dev;
	REQUIRE_EQ(rump_pub_etfs_register(dev, img, RUMP_ETFS_BLK), 0);
	if (rump_sys_mount("ext2fs", MNT, flags, &args, sizeof(args)) == 0)
		return 0;
	return errno;
}

static void
put(const char *path, size_t len, int seed)
{
	char buf[8192];
	int fd;

	REQUIRE(len <= sizeof(buf));
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(seed * 31 + i * 7 + (i >> 8));
	REQUIRE_OK(fd = rump_sys_open(path, O_CREAT | O_WRONLY | O_TRUNC,
	    0644));
	REQUIRE_EQ(rump_sys_write(fd, buf, len), (ssize_t)len);
	REQUIRE_OK(rump_sys_close(fd));
}

static char *states[MAXSTATES];
static size_t wat[MAXSTATES];   /* writes done when state k was durable */
static int nstates;

/* fsync of path: what the tree is now is durable. */
static void
durable(const char *path)
{
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
	REQUIRE_OK(rump_sys_fsync(fd));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE(nstates < MAXSTATES);
	wat[nstates] = crashdev_writes_so_far();
	states[nstates++] = dump();
}

static void
workload(void)
{
	int fd, ofd;

	put(MNT "/a", 3000, 1);
	durable(MNT "/a");
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	put(MNT "/d/b", 5000, 2);
	put(MNT "/c", 8000, 3);
	durable(MNT "/d/b");
	REQUIRE_OK(rump_sys_rename(MNT "/a", MNT "/d/a2"));
	REQUIRE_OK(rump_sys_truncate(MNT "/d/b", 100));
	/* Into the blocks b just freed: its committed bytes must stay. */
	put(MNT "/g", 4900, 6);
	/* An unlinked file still open across fsyncs: the orphan list. */
	put(MNT "/o", 7000, 7);
	REQUIRE_OK(ofd = rump_sys_open(MNT "/o", O_RDWR, 0));
	REQUIRE_OK(rump_sys_unlink(MNT "/o"));
	durable(MNT "/d");
	REQUIRE_OK(rump_sys_unlink(MNT "/c"));
	put(MNT "/e", 1000, 4);
	REQUIRE_OK(fd = rump_sys_open(MNT "/d/b", O_WRONLY | O_APPEND, 0));
	REQUIRE_EQ(rump_sys_write(fd, "appended", 8), 8);
	REQUIRE_OK(rump_sys_close(fd));
	durable(MNT "/e");
	REQUIRE_OK(rump_sys_close(ofd));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d/sub", 0700));
	put(MNT "/d/sub/f", 6000, 5);
}

/* The tree of img (ours, read-only): state k or k + 1. */
static void
check_tree(const char *img, int k, const char *what, size_t n)
{
	char *got;

	REQUIRE_EQ(mount_img(img, MS_RDONLY), 0);
	got = dump();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	if (strcmp(got, states[k]) != 0 &&
	    (k + 1 >= nstates || strcmp(got, states[k + 1]) != 0))
		TEST_FAIL("%s, crash after write %zu: tree is neither of state "
		    "%d:\n%s--- nor of state %d:\n%s--- but:\n%s", what, n, k,
		    states[k], k + 1, k + 1 < nstates ? states[k + 1] : "",
		    got);
	free(got);
}

static void crash_point(const char *, const char *, const char *, size_t,
    int, bool, unsigned *);

static void
every_n(const char *type)
{
	unsigned seed = 20261206;
	char base[800], img[800], ours[800], theirs[800];
	size_t total;
	int k;

	if (!have_e2fsprogs())
		return;
	tmpdir = make_tmpdir("jcrash");
	PATHF(base, "%s/base", tmpdir);
	PATHF(img, "%s/img", tmpdir);
	PATHF(ours, "%s/ours", tmpdir);
	PATHF(theirs, "%s/theirs", tmpdir);
	sh("mke2fs -q -F -t %s -b 1024 '%s' 8M && cp '%s' '%s' && "
	    "mkdir '%s/lmnt'", type, base, base, img, tmpdir);
	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	/* State 0: the empty file system. */
	REQUIRE_EQ(mount_img(img, MS_RDONLY), 0);
	wat[0] = 0;
	states[nstates++] = dump();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	REQUIRE_EQ(mount_img(img, 0), 0);
	crashdev_record(true);
	workload();
	REQUIRE(nstates < MAXSTATES);
	states[nstates] = dump();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	crashdev_record(false);
	wat[nstates++] = crashdev_writes_so_far();
	total = crashdev_writes_so_far();
	REQUIRE(total > 20);
	if (getenv("CRASH_TRACE") != NULL)
		for (size_t i = 0; i < total; i++)
			printf("write %zu: block %lld (%lu bytes)%s\n", i + 1,
			    crashdev_writes[i].off / 1024,
			    crashdev_writes[i].len,
			    i + 1 == wat[1] ? " <- state 1" : "");
	crashdev_fsck_clean(img, tmpdir, "after the workload", total);

	/*
	 * data=ordered: in order every N, reordered every fourth one;
	 * data=journal (the same commit protocol): every third and
	 * every sixth (suite time).
	 */
	for (int reorder = 0; reorder < 2; reorder++)
		for (size_t n = 0; n <= total; n += (size_t)(reorder ?
		    (aflags & EXT2FS_ARGS_DATAJOURNAL ? 6 : 4) :
		    (aflags & EXT2FS_ARGS_DATAJOURNAL ? 3 : 1))) {
			/* The states whose last flush is down. */
			size_t s = reorder ? crashdev_flushed_at(n) : n;

			k = 0;
			while (k + 1 < nstates && (reorder ?
			    crashdev_flushed_at(wat[k + 1]) : wat[k + 1]) <= s)
				k++;
			crash_point(base, ours, theirs, n, k, reorder != 0,
			    &seed);
		}
	printf("%zu crash points, %d states, %zu flushes\n", total + 1,
	    nstates, crashdev_nflushes);
	crashdev_forget();
	for (int i = 0; i < nstates; i++)
		free(states[i]);
	remove_tree(tmpdir);
	free(tmpdir);
}

static void
crash_point(const char *base, const char *ours, const char *theirs,
    size_t n, int k, bool reorder, unsigned *seed)
{
	const char *how = reorder ? "reordered" : "in order";
	char what[64];

	{
		crashdev_image(base, ours, n, reorder, seed);
		sh("cp '%s' '%s'", ours, theirs);
		/* Our replay, read-write. */
		REQUIRE_EQ(mount_img(ours, 0), 0);
		REQUIRE_OK(rump_sys_unmount(MNT, 0));
		snprintf(what, sizeof(what), "our replay (%s)", how);
		crashdev_fsck_clean(ours, tmpdir, what, n);
		check_tree(ours, k, what, n);
		/* e2fsck's. */
		sh("e2fsck -fy '%s' >/dev/null 2>&1; test $? -le 1", theirs);
		snprintf(what, sizeof(what), "e2fsck's replay (%s)", how);
		crashdev_fsck_clean(theirs, tmpdir, what, n);
		check_tree(theirs, k, what, n);
		/* Linux's replay, every tenth point (where it can mount). */
		if (!reorder && n % 10 == 0 && linux_ok) {
			char mnt[900];

			PATHF(mnt, "%s/lmnt", tmpdir);
			crashdev_image(base, theirs, n, false, seed);
			if (!linux_mount(theirs, mnt, "rw")) {
				linux_ok = false;
				return;
			}
			linux_unmount(mnt);
			snprintf(what, sizeof(what), "Linux's replay");
			crashdev_fsck_clean(theirs, tmpdir, what, n);
			check_tree(theirs, k, what, n);
		}
	}
}

/* data=ordered, the default: file data home before the commit. */
TESTCASE(ordered)
{
	every_n("ext3");
}

/* data=journal: file data through the log too. */
TESTCASE(datajournal)
{
	aflags = EXT2FS_ARGS_DATAJOURNAL;
	every_n("ext3");
}

/*
 * data=ordered on ext4 (extents, 64bit, flex_bg, metadata_csum): extent
 * trees, checksummed inodes, bitmaps, descriptors and directory blocks
 * all through the log; with orphan_file where mke2fs makes it (the
 * unlinked open file in a slot of the orphan file, orphan_present).
 */
TESTCASE(ordered_ext4)
{
	every_n(system("mke2fs -O orphan_file -n -F /dev/null 8M >/dev/null "
	    "2>&1") == 0 ? "ext4 -O orphan_file" : "ext4");
}

TESTS(CASE_NOBOOT(ordered), CASE_NOBOOT(datajournal),
    CASE_NOBOOT(ordered_ext4))
