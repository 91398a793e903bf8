/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The name cache (rumpvfs/vfs_cache.c) on every file system: each case
 * first makes the kernel remember names, found and not found, then
 * changes them and checks that every lookup after the change sees the
 * change exactly (inode numbers, contents, errno).  The table's unmount
 * then checks a disk image with its checker.
 *
 * The race: threads rename a file to and fro, replace a file by rename,
 * make and remove a name, move a file and a directory between
 * directories, while others look all of it up and check each answer: a
 * name is there with the right inode and bytes or is ENOENT, a name
 * that always exists is always found, and a replaced file's generation
 * never goes back for one reader.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <sys/stat.h>

#include "h_fsmacros.h"

static ino_t
ino_of(const char *path)
{
	struct stat sb;

	REQUIRE_OK(rump_sys_stat(path, &sb));
	return sb.st_ino;
}

/* Ask twice: the second answer comes from the cache where there is one. */
static void
absent(const char *path)
{
	struct stat sb;

	REQUIRE_ERRNO(rump_sys_stat(path, &sb), ENOENT);
	REQUIRE_ERRNO(rump_sys_lstat(path, &sb), ENOENT);
	REQUIRE_ERRNO(rump_sys_open(path, O_RDONLY), ENOENT);
}

static void
present(const char *path, ino_t ino, const char *data)
{
	REQUIRE_EQ(ino_of(path), ino);
	REQUIRE_EQ(ino_of(path), ino);
	fs_checkfile(path, data);
}

FSTEST(negative_then_create, FS_WRITABLE)
{
	int fd;

	(void)fs;
	absent("a");
	fs_mkfile("a", "A", 1);
	present("a", ino_of("a"), "A");
	absent("b");
	REQUIRE_OK(rump_sys_mkdir("b", 0755));
	REQUIRE_OK(rump_sys_access("b/.", F_OK));
	absent("b/c");
	REQUIRE((fd = rump_sys_open("b/c", O_CREAT | O_EXCL | O_WRONLY,
	                            0644)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	fs_checkfile("b/c", "");
	/* An exclusive create of a cached name fails. */
	REQUIRE_ERRNO(rump_sys_open("b/c", O_CREAT | O_EXCL | O_WRONLY, 0644),
	              EEXIST);
	REQUIRE_ERRNO(rump_sys_mkdir("a", 0755), EEXIST);
}

FSTEST(symlink_over_negative, FS_WRITABLE | FS_SYMLINKS)
{
	char buf[16];

	(void)fs;
	absent("l");
	REQUIRE_OK(rump_sys_symlink("target", "l"));
	REQUIRE_EQ(rump_sys_readlink("l", buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, "target", 6) == 0);
	{
		struct stat sb;

		/* stat follows it to a target that is absent, twice. */
		REQUIRE_ERRNO(rump_sys_stat("l", &sb), ENOENT);
		REQUIRE_ERRNO(rump_sys_stat("l", &sb), ENOENT);
	}
	fs_mkfile("target", "T", 1);
	fs_checkfile("l", "T");
	REQUIRE_OK(rump_sys_unlink("l"));
	REQUIRE_ERRNO(rump_sys_readlink("l", buf, sizeof(buf)), ENOENT);
}

FSTEST(rename_over_cached, FS_WRITABLE)
{
	ino_t a, b;

	(void)fs;
	fs_mkfile("a", "A", 1);
	fs_mkfile("b", "B", 1);
	a = ino_of("a");
	b = ino_of("b");
	present("a", a, "A");
	present("b", b, "B");
	REQUIRE_OK(rump_sys_rename("a", "b"));
	absent("a");
	present("b", a, "A");
	/* And back, onto a name known absent. */
	REQUIRE_OK(rump_sys_rename("b", "a"));
	absent("b");
	present("a", a, "A");
}

FSTEST(unlink_rmdir, FS_WRITABLE)
{
	struct stat sb;
	ino_t f;

	(void)fs;
	fs_mkfile("f", "F", 1);
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	f = ino_of("f");
	present("f", f, "F");
	REQUIRE_OK(rump_sys_stat("d", &sb));
	REQUIRE_OK(rump_sys_unlink("f"));
	absent("f");
	REQUIRE_OK(rump_sys_rmdir("d"));
	absent("d");
	absent("d/x");
	/* The names again, for the other kind. */
	REQUIRE_OK(rump_sys_mkdir("f", 0755));
	REQUIRE_OK(rump_sys_stat("f", &sb));
	REQUIRE(S_ISDIR(sb.st_mode));
	fs_mkfile("d", "D", 1);
	REQUIRE_OK(rump_sys_stat("d", &sb));
	REQUIRE(S_ISREG(sb.st_mode));
	fs_checkfile("d", "D");
	REQUIRE_ERRNO(rump_sys_stat("d/x", &sb), ENOTDIR);
	REQUIRE_OK(rump_sys_rmdir("f"));
	REQUIRE_OK(rump_sys_unlink("d"));
	absent("f");
	absent("d");
}

FSTEST(cross_directory_rename, FS_WRITABLE)
{
	ino_t f, s;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("x", 0755));
	REQUIRE_OK(rump_sys_mkdir("y", 0755));
	fs_mkfile("x/f", "F", 1);
	f = ino_of("x/f");
	absent("y/f");
	REQUIRE_OK(rump_sys_rename("x/f", "y/f"));
	absent("x/f");
	present("y/f", f, "F");
	/* A directory moves with what is under it, cached names and all. */
	REQUIRE_OK(rump_sys_mkdir("x/sub", 0755));
	fs_mkfile("x/sub/g", "G", 1);
	s = ino_of("x/sub/g");
	present("x/sub/g", s, "G");
	absent("x/sub/h");
	REQUIRE_OK(rump_sys_rename("x/sub", "y/sub"));
	absent("x/sub");
	absent("x/sub/g");
	present("y/sub/g", s, "G");
	absent("y/sub/h");
	/* A directory over an empty one. */
	REQUIRE_OK(rump_sys_mkdir("x/sub", 0755));
	absent("x/sub/g");
	REQUIRE_OK(rump_sys_rename("y/sub", "x/sub"));
	present("x/sub/g", s, "G");
	absent("y/sub");
	REQUIRE_OK(rump_sys_unlink("x/sub/g"));
	REQUIRE_OK(rump_sys_rmdir("x/sub"));
	REQUIRE_OK(rump_sys_unlink("y/f"));
	REQUIRE_OK(rump_sys_rmdir("x"));
	REQUIRE_OK(rump_sys_rmdir("y"));
}

FSTEST(hardlink_names, FS_WRITABLE | FS_HARDLINKS)
{
	ino_t a;

	(void)fs;
	fs_mkfile("a", "A", 1);
	a = ino_of("a");
	absent("b");
	REQUIRE_OK(rump_sys_link("a", "b"));
	present("b", a, "A");
	REQUIRE_OK(rump_sys_unlink("a"));
	absent("a");
	present("b", a, "A");
	REQUIRE_EQ(fs_nlink("b"), 1);
	REQUIRE_OK(rump_sys_unlink("b"));
	absent("b");
}

/* A mount on a directory hides the names cached under it until it goes. */
FSTEST(mount_over_cached, FS_WRITABLE)
{
	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	fs_mkfile("m/under", "U", 1);
	fs_checkfile("m/under", "U");
	absent("m/new");
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	absent("m/under");
	fs_mkfile("m/new", "N", 1);
	fs_checkfile("m/new", "N");
	REQUIRE_OK(rump_sys_unmount("m", 0));
	absent("m/new");
	fs_checkfile("m/under", "U");
	REQUIRE_OK(rump_sys_unlink("m/under"));
	REQUIRE_OK(rump_sys_rmdir("m"));
}

/* The race. */
#define RACE_MS  1500
#define NREADERS 4

enum { W_TOFRO, W_REPLACE, W_UNLINK, W_MOVE, W_DIRMOVE, NWRITERS };

struct racer {
	int kind; /* W_*, or -1 for a reader */
	unsigned seed;
	long rounds;
	long gen; /* replacer: the last made */
	char err[256];
};

static volatile int race_stop;
static ino_t ino_a, ino_m, ino_keep;

#define FAIL(r, ...)                                                           \
	do {                                                                   \
		if ((r)->err[0] == '\0')                                       \
			snprintf((r)->err, sizeof((r)->err), __VA_ARGS__);     \
	} while (0)

/* Read the small file path: its length, -1 with errno. */
static ssize_t
race_read(const char *path, char *buf, size_t len, ino_t *inop)
{
	struct stat sb;
	ssize_t n;
	int fd;

	if ((fd = rump_sys_open(path, O_RDONLY)) == -1)
		return -1;
	if (rump_sys_fstat(fd, &sb) == -1) {
		rump_sys_close(fd);
		return -1;
	}
	*inop = sb.st_ino;
	n = rump_sys_read(fd, buf, len - 1);
	rump_sys_close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/*
 * Either absent or exactly the file of inode ino (0: any) holding data,
 * or nothing yet when data is "U" (its writer writes after making it).
 */
static void
check_maybe(struct racer *r, const char *path, ino_t ino, const char *data)
{
	char buf[64];
	ino_t got;

	if (race_read(path, buf, sizeof(buf), &got) == -1) {
		if (errno != ENOENT)
			FAIL(r, "open %s: %s", path, strerror(errno));
		return;
	}
	if (strcmp(data, "U") == 0 && buf[0] == '\0')
		return;
	if ((ino != 0 && got != ino) || strcmp(buf, data) != 0)
		FAIL(r, "%s: inode %lu holding \"%s\", not %lu holding \"%s\"",
		     path, (unsigned long)got, buf, (unsigned long)ino, data);
}

static void
reader(struct racer *r, long *lastgen)
{
	char buf[64];
	struct stat sb;
	ino_t got;
	long g;

	switch (rand_r(&r->seed) % 7) {
	case 0:
		check_maybe(r, (rand_r(&r->seed) & 1) ? "a" : "b", ino_a, "A");
		break;
	case 1:
		/* Replaced by rename, never absent, never older. */
		if (race_read("c", buf, sizeof(buf), &got) == -1)
			FAIL(r, "open c: %s", strerror(errno));
		else if (sscanf(buf, "gen %ld", &g) != 1 || g < *lastgen)
			FAIL(r, "c (inode %lu) holds \"%s\" after gen %ld",
			     (unsigned long)got, buf, *lastgen);
		else
			*lastgen = g;
		break;
	case 2:
		check_maybe(r, "u", 0, "U");
		break;
	case 3:
		check_maybe(r, (rand_r(&r->seed) & 1) ? "d1/m" : "d2/m", ino_m,
		            "M");
		break;
	case 4:
		check_maybe(r,
		            (rand_r(&r->seed) & 1) ? "x/inner" : "d1/x/inner",
		            0, "I");
		break;
	case 5:
		if (rump_sys_stat("never", &sb) != -1 || errno != ENOENT)
			FAIL(r, "stat never: found or %s", strerror(errno));
		break;
	default:
		if (rump_sys_stat("keep", &sb) == -1)
			FAIL(r, "stat keep: %s", strerror(errno));
		else if (sb.st_ino != ino_keep)
			FAIL(r, "keep: inode %lu", (unsigned long)sb.st_ino);
		break;
	}
}

static void
writer(struct racer *r)
{
	char buf[32];
	int fd, n;

	switch (r->kind) {
	case W_TOFRO:
		if (rump_sys_rename("a", "b") == -1 ||
		    rump_sys_rename("b", "a") == -1)
			FAIL(r, "rename a/b: %s", strerror(errno));
		break;
	case W_REPLACE:
		n = snprintf(buf, sizeof(buf), "gen %ld", ++r->gen);
		if ((fd = rump_sys_open("t", O_CREAT | O_EXCL | O_WRONLY,
		                        0644)) == -1 ||
		    rump_sys_write(fd, buf, (size_t)n) != n ||
		    rump_sys_close(fd) == -1 || rump_sys_rename("t", "c") == -1)
			FAIL(r, "replace c: %s", strerror(errno));
		break;
	case W_UNLINK:
		if ((fd = rump_sys_open("u", O_CREAT | O_EXCL | O_WRONLY,
		                        0644)) == -1 ||
		    rump_sys_write(fd, "U", 1) != 1 ||
		    rump_sys_close(fd) == -1 || rump_sys_unlink("u") == -1)
			FAIL(r, "make and remove u: %s", strerror(errno));
		break;
	case W_MOVE:
		if (rump_sys_rename("d1/m", "d2/m") == -1 ||
		    rump_sys_rename("d2/m", "d1/m") == -1)
			FAIL(r, "rename m: %s", strerror(errno));
		break;
	default:
		if (rump_sys_rename("x", "d1/x") == -1 ||
		    rump_sys_rename("d1/x", "x") == -1)
			FAIL(r, "rename x: %s", strerror(errno));
		break;
	}
}

static void *
racer(void *arg)
{
	struct racer *r = arg;
	long lastgen = 0;

	if (rump_pub_lwproc_newlwp(rump_sys_getpid()) != 0) {
		FAIL(r, "newlwp failed");
		return NULL;
	}
	while (!race_stop && r->err[0] == '\0') {
		if (r->kind < 0)
			reader(r, &lastgen);
		else
			writer(r);
		r->rounds++;
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

FSTEST(lookups_race_changes, FS_WRITABLE)
{
	struct racer r[NWRITERS + NREADERS];
	pthread_t th[NWRITERS + NREADERS];
	struct timespec ts = {RACE_MS / 1000, (RACE_MS % 1000) * 1000000L};
	const size_t n = sizeof(r) / sizeof(r[0]);
	char buf[32];

	(void)fs;
	fs_mkfile("a", "A", 1);
	fs_mkfile("c", "gen 0", 5);
	fs_mkfile("keep", "K", 1);
	REQUIRE_OK(rump_sys_mkdir("d1", 0755));
	REQUIRE_OK(rump_sys_mkdir("d2", 0755));
	REQUIRE_OK(rump_sys_mkdir("x", 0755));
	fs_mkfile("d1/m", "M", 1);
	fs_mkfile("x/inner", "I", 1);
	ino_a = ino_of("a");
	ino_m = ino_of("d1/m");
	ino_keep = ino_of("keep");
	race_stop = 0;
	memset(r, 0, sizeof(r));
	for (size_t i = 0; i < n; i++) {
		r[i].kind = i < NWRITERS ? (int)i : -1;
		r[i].seed = (unsigned)i * 7919u + 1;
		REQUIRE_EQ(pthread_create(&th[i], NULL, racer, &r[i]), 0);
	}
	nanosleep(&ts, NULL);
	race_stop = 1;
	for (size_t i = 0; i < n; i++)
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
	for (size_t i = 0; i < n; i++) {
		if (r[i].err[0] != '\0')
			TEST_FAIL("racer %zu: %s", i, r[i].err);
		REQUIRE(r[i].rounds > 0);
	}
	/* Where each writer left things, exactly. */
	present("a", ino_a, "A");
	absent("b");
	snprintf(buf, sizeof(buf), "gen %ld", r[W_REPLACE].gen);
	fs_checkfile("c", buf);
	absent("t");
	absent("u");
	present("d1/m", ino_m, "M");
	absent("d2/m");
	fs_checkfile("x/inner", "I");
	absent("d1/x");
	absent("never");
	REQUIRE_OK(rump_sys_unlink("x/inner"));
	REQUIRE_OK(rump_sys_rmdir("x"));
	REQUIRE_OK(rump_sys_unlink("d1/m"));
	REQUIRE_OK(rump_sys_rmdir("d1"));
	REQUIRE_OK(rump_sys_rmdir("d2"));
	REQUIRE_OK(rump_sys_unlink("a"));
	REQUIRE_OK(rump_sys_unlink("c"));
	REQUIRE_OK(rump_sys_unlink("keep"));
}

FSTESTS(FSCASE(negative_then_create), FSCASE(symlink_over_negative),
        FSCASE(rename_over_cached), FSCASE(unlink_rmdir),
        FSCASE(cross_directory_rename), FSCASE(hardlink_names),
        FSCASE(mount_over_cached), FSCASE(lookups_race_changes))
