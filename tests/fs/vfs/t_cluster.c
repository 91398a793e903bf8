/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Clustered I/O (vfs_bio.c: runs of blocks that follow each other on
 * the device read and written in one request) on ext2 (4 KiB and 1 KiB
 * blocks) and FFS (32 KiB blocks of 4 KiB fragments, and 8 KiB of 1 KiB),
 * each on a fresh image, then unmounted, checked by e2fsck -fn or
 * fsck_ffs -n, and mounted again to read everything back:
 *
 * pattern: a file written sequentially in 1 MiB and odd-sized pieces,
 * then overwritten at seeded offsets with seeded lengths (past the end
 * too, leaving holes), truncated to an odd size and grown again; every
 * byte must match a model kept in the test, before and after a remount.
 * adjacent: four threads each append records of odd size to their own
 * file in turns, so the files' blocks interleave on the disk and the
 * runs of a cluster end at another file's block.
 * race: a writer overwrites a file pass after pass in 64 KiB pieces,
 * each pass one byte value, while a reader reads it sequentially (read
 * ahead in clusters): every 64 KiB piece read must be one pass's whole.
 * The *_memlimit cases do the same in a kernel of RUMP_MEMLIMIT=6m (a
 * buffer cache of 1.5 MiB), where room is made by writing clusters out
 * while the workers run: nothing may hang or be lost.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"

#define KEY "/dev/climg"
#define MNT "/mnt"

#define PATHF(buf, ...)                                                        \
	do {                                                                   \
		if ((size_t)snprintf((buf), sizeof(buf), __VA_ARGS__) >=       \
		    sizeof(buf))                                               \
			TEST_FAIL("path too long");                            \
	} while (0)

struct fsconf {
	const char *type;  /* "ext2fs" or "ffs" */
	const char *mkfs;  /* the command, %s the image */
	const char *check; /* the checker, %s the image */
};

static const struct fsconf c_ext2_4k = {
    "ext2fs", "mke2fs -q -F -t ext2 -b 4096 '%s' 64m >/dev/null 2>&1",
    "e2fsck -fn '%s' >/dev/null 2>&1"};
static const struct fsconf c_ext2_1k = {
    "ext2fs", "mke2fs -q -F -t ext2 -b 1024 '%s' 64m >/dev/null 2>&1",
    "e2fsck -fn '%s' >/dev/null 2>&1"};
static const struct fsconf c_ffs_32k = {
    "ffs", NEWFS " -O 2 -b 32768 -f 4096 -s 64m '%s' >/dev/null 2>&1",
    FSCK_FFS " -n '%s' >/dev/null 2>&1"};
static const struct fsconf c_ffs_8k = {
    "ffs", NEWFS " -O 1 -b 8192 -f 1024 -s 64m '%s' >/dev/null 2>&1",
    FSCK_FFS " -n '%s' >/dev/null 2>&1"};

static char img[512];

/* The image goes when the next is made; the harness removes the last. */
static void
cleanup(void)
{
	unlink(img);
}

static void
shell(const char *fmt)
{
	char cmd[1024];
	int st;

	PATHF(cmd, fmt, img);
	if ((st = system(cmd)) != 0)
		TEST_FAIL("'%s': status %d", cmd, st);
}

static void
do_mount(const struct fsconf *c)
{
	struct ext2fs_args ea = {.fspec = (char *)KEY};
	struct ufs_args ua = {.fspec = (char *)KEY};

	if (strcmp(c->type, "ffs") == 0)
		REQUIRE_OK(rump_sys_mount("ffs", MNT, 0, &ua, sizeof(ua)));
	else
		REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &ea, sizeof(ea)));
}

/* A fresh image of c, registered and mounted at MNT. */
static void
setup(const struct fsconf *c)
{
	PATHF(img, "%s/fs.%d.img", tests_scratch(), (int)getpid());
	shell(c->mkfs);
	REQUIRE_EQ(rump_pub_etfs_register(KEY, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	do_mount(c);
}

/* Unmount, check the image with its own checker, mount again. */
static void
remount_checked(const struct fsconf *c)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	shell(c->check);
	do_mount(c);
}

static void
finish(const struct fsconf *c)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	shell(c->check);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

#define MODEL (6 << 20)

/* The file at path must hold the model's len bytes, read in pieces. */
static void
compare(const char *path, const unsigned char *model, size_t len, size_t piece)
{
	static unsigned char buf[1 << 20];
	struct stat sb;
	size_t off = 0, n;
	ssize_t got;
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_size, len);
	while (off < len) {
		n = piece < len - off ? piece : len - off;
		REQUIRE_EQ(got = rump_sys_read(fd, buf, n), n);
		if (memcmp(buf, model + off, n) != 0) {
			size_t i = 0;

			while (buf[i] == model[off + i])
				i++;
			TEST_FAIL("%s: byte %zu is %u, not %u", path, off + i,
			          buf[i], model[off + i]);
		}
		off += n;
	}
	REQUIRE_EQ(rump_sys_read(fd, buf, 1), 0);
	REQUIRE_OK(rump_sys_close(fd));
}

static void
pattern(const struct fsconf *c)
{
	static unsigned char model[MODEL], buf[300 * 1024];
	size_t len = 0, off, n;
	int fd;

	setup(c);
	for (size_t i = 0; i < sizeof(model); i++)
		model[i] = (unsigned char)(i * 131 + (i >> 12) + 1);
	REQUIRE_OK(fd = rump_sys_open(MNT "/p", O_RDWR | O_CREAT, 0644));
	/* 3 MiB in order: 1 MiB pieces, then odd ones. */
	for (; len < (2 << 20); len += 1 << 20)
		REQUIRE_EQ(rump_sys_write(fd, model + len, 1 << 20), 1 << 20);
	for (n = 4095; len + n <= (3 << 20); len += n, n = n * 3 % 70001 + 1)
		REQUIRE_EQ(rump_sys_write(fd, model + len, n), n);
	/* Seeded overwrites, some past the end: holes are zeros. */
	for (int i = 0; i < 150; i++) {
		off = rnd(MODEL - sizeof(buf));
		n = 1 + rnd(sizeof(buf));
		for (size_t j = 0; j < n; j++)
			buf[j] = (unsigned char)rnd(256);
		if (off > len)
			memset(model + len, 0, off - len);
		memcpy(model + off, buf, n);
		REQUIRE_EQ(rump_sys_pwrite(fd, buf, n, (off_t)off), n);
		if (off + n > len)
			len = off + n;
		if (i == 75) {
			/* Shrink to an odd size; growing again reads zeros. */
			len = len / 3 + 777;
			REQUIRE_OK(rump_sys_ftruncate(fd, (off_t)len));
		}
	}
	REQUIRE_OK(rump_sys_fsync(fd));
	REQUIRE_OK(rump_sys_close(fd));
	compare(MNT "/p", model, len, 1 << 20);
	remount_checked(c);
	compare(MNT "/p", model, len, 1 << 20);
	compare(MNT "/p", model, len, 4097);
	finish(c);
}

#define NWRITERS 4
#define NRECS    300

static size_t
reclen(int t)
{
	return 1000 + (size_t)t * 1777;
}

static unsigned char
recbyte(int t, int r, size_t j)
{
	return (unsigned char)(t * 61 + r * 7 + j);
}

struct turn {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int next; /* whose turn */
	bool done[NWRITERS];
};

static struct turn turn = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, {false}};

/* The turn passes from t to the next writer not done; turn.lock held. */
static void
pass_turn(int t)
{
	for (int i = 1; i <= NWRITERS; i++)
		if (!turn.done[(t + i) % NWRITERS]) {
			turn.next = (t + i) % NWRITERS;
			break;
		}
	pthread_cond_broadcast(&turn.cv);
}

static void *
appender(void *arg)
{
	int t = (int)(intptr_t)arg, fd;
	unsigned char rec[8000];
	char path[64];
	uintptr_t bad = 0;

	if (rump_pub_lwproc_newlwp(1) != 0)
		return (void *)1;
	snprintf(path, sizeof(path), MNT "/a%d", t);
	if ((fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_APPEND, 0644)) ==
	    -1)
		bad = 2;
	for (int r = 0; r < NRECS && bad == 0; r++) {
		for (size_t j = 0; j < reclen(t); j++)
			rec[j] = recbyte(t, r, j);
		/* In turns, most of the time: the files' blocks interleave. */
		pthread_mutex_lock(&turn.lock);
		while (turn.next != t && r % 16 != 0)
			pthread_cond_wait(&turn.cv, &turn.lock);
		pthread_mutex_unlock(&turn.lock);
		if (rump_sys_write(fd, rec, reclen(t)) != (ssize_t)reclen(t))
			bad = 3;
		pthread_mutex_lock(&turn.lock);
		pass_turn(t);
		pthread_mutex_unlock(&turn.lock);
	}
	if (fd != -1 && rump_sys_close(fd) == -1)
		bad = 4;
	pthread_mutex_lock(&turn.lock);
	turn.done[t] = true;
	if (turn.next == t)
		pass_turn(t);
	pthread_mutex_unlock(&turn.lock);
	rump_pub_lwproc_releaselwp();
	return (void *)bad;
}

static void
check_appended(void)
{
	static unsigned char model[NRECS * 8000];
	char path[64];

	for (int t = 0; t < NWRITERS; t++) {
		for (int r = 0; r < NRECS; r++)
			for (size_t j = 0; j < reclen(t); j++)
				model[(size_t)r * reclen(t) + j] =
				    recbyte(t, r, j);
		snprintf(path, sizeof(path), MNT "/a%d", t);
		compare(path, model, NRECS * reclen(t), 65536);
	}
}

static void
adjacent(const struct fsconf *c)
{
	pthread_t th[NWRITERS];
	void *rv;

	setup(c);
	for (int t = 0; t < NWRITERS; t++)
		REQUIRE_EQ(
		    pthread_create(&th[t], NULL, appender, (void *)(intptr_t)t),
		    0);
	for (int t = 0; t < NWRITERS; t++) {
		REQUIRE_EQ(pthread_join(th[t], &rv), 0);
		REQUIRE_EQ((intptr_t)rv, 0);
	}
	check_appended();
	remount_checked(c);
	check_appended();
	finish(c);
}

#define RACE_SIZE   (2 << 20)
#define RACE_PIECE  65536
#define RACE_PASSES 12

static volatile int race_pass; /* the pass being written */
static volatile bool race_done;

static void *
race_writer(void *arg)
{
	static unsigned char piece[RACE_PIECE];
	int fd;

	(void)arg;
	if (rump_pub_lwproc_newlwp(1) != 0)
		return (void *)1;
	if ((fd = rump_sys_open(MNT "/r", O_WRONLY)) == -1)
		return (void *)2;
	for (int p = 1; p <= RACE_PASSES; p++) {
		__atomic_store_n(&race_pass, p, __ATOMIC_SEQ_CST);
		memset(piece, p, sizeof(piece));
		for (off_t off = 0; off < RACE_SIZE; off += RACE_PIECE)
			if (rump_sys_pwrite(fd, piece, RACE_PIECE, off) !=
			    RACE_PIECE)
				return (void *)3;
		/* Every other pass goes to the disk: reads find it there. */
		if (p % 2 == 0 && rump_sys_fsync(fd) == -1)
			return (void *)4;
	}
	__atomic_store_n(&race_done, true, __ATOMIC_SEQ_CST);
	rump_sys_close(fd);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
race(const struct fsconf *c)
{
	static unsigned char buf[256 * 1024], zero[RACE_PIECE];
	pthread_t th;
	void *rv;
	int fd, hi, rounds = 0;

	setup(c);
	REQUIRE_OK(fd = rump_sys_open(MNT "/r", O_RDWR | O_CREAT, 0644));
	for (off_t off = 0; off < RACE_SIZE; off += RACE_PIECE)
		REQUIRE_EQ(rump_sys_pwrite(fd, zero, RACE_PIECE, off),
		           RACE_PIECE);
	REQUIRE_OK(rump_sys_close(fd));
	/* From the disk: the first reads are clusters. */
	remount_checked(c);
	REQUIRE_EQ(pthread_create(&th, NULL, race_writer, NULL), 0);
	REQUIRE_OK(fd = rump_sys_open(MNT "/r", O_RDONLY));
	while (!__atomic_load_n(&race_done, __ATOMIC_SEQ_CST) || rounds == 0) {
		REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
		for (off_t off = 0; off < RACE_SIZE; off += sizeof(buf)) {
			REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)),
			           sizeof(buf));
			hi = __atomic_load_n(&race_pass, __ATOMIC_SEQ_CST);
			for (size_t p = 0; p < sizeof(buf); p += RACE_PIECE)
				for (size_t j = 0; j < RACE_PIECE; j++)
					if (buf[p + j] != buf[p] || buf[p] > hi)
						TEST_FAIL(
						    "offset %lld: byte "
						    "%u in a piece of %u "
						    "(pass %d)",
						    (long long)(off +
						                (off_t)(p + j)),
						    buf[p + j], buf[p], hi);
		}
		rounds++;
	}
	REQUIRE_EQ(pthread_join(th, &rv), 0);
	REQUIRE_EQ((intptr_t)rv, 0);
	REQUIRE_OK(rump_sys_close(fd));
	remount_checked(c);
	REQUIRE_OK(fd = rump_sys_open(MNT "/r", O_RDONLY));
	for (off_t off = 0; off < RACE_SIZE; off += sizeof(buf)) {
		REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), sizeof(buf));
		for (size_t j = 0; j < sizeof(buf); j++)
			REQUIRE_EQ(buf[j], RACE_PASSES);
	}
	REQUIRE_OK(rump_sys_close(fd));
	finish(c);
}

/* All three on one file system. */
static void
all(const struct fsconf *c)
{
	pattern(c);
	REQUIRE_OK(rump_pub_etfs_remove(KEY));
	cleanup();
	REQUIRE_OK(rump_sys_rmdir(MNT));
	adjacent(c);
	REQUIRE_OK(rump_pub_etfs_remove(KEY));
	cleanup();
	REQUIRE_OK(rump_sys_rmdir(MNT));
	race(c);
}

static void
all_memlimit(const struct fsconf *c)
{
	REQUIRE_OK(setenv("RUMP_MEMLIMIT", "6m", 1));
	REQUIRE_EQ(rump_init(), 0);
	all(c);
}

TESTCASE(ext2_4k)
{
	all(&c_ext2_4k);
}
TESTCASE(ext2_1k)
{
	all(&c_ext2_1k);
}
TESTCASE(ffs_32k)
{
	all(&c_ffs_32k);
}
TESTCASE(ffs_8k)
{
	all(&c_ffs_8k);
}
TESTCASE(ext2_4k_memlimit)
{
	all_memlimit(&c_ext2_4k);
}
TESTCASE(ffs_32k_memlimit)
{
	all_memlimit(&c_ffs_32k);
}

TESTS(CASE(ext2_4k), CASE(ext2_1k), CASE(ffs_32k), CASE(ffs_8k),
      CASE_NOBOOT(ext2_4k_memlimit), CASE_NOBOOT(ffs_32k_memlimit))
