/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * msdosfs reading what others wrote: a host tree (long names, Unicode
 * names, a deep tree, a directory of many entries, files of many sizes
 * with known modification times) copied by mcopy -s -m into images made
 * by mkfs.fat (FAT12, FAT16, FAT32, 4 KiB sectors) reads back through
 * a read-only mount exactly: every directory lists exactly the names,
 * every file has the bytes and the modification time.  Also the mount
 * refusals (bad arguments, not a FAT image) and a remount.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rump/msdosfs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_msdos.h"

static const char *const names[] = {
	"readme.txt", "UPPER.TXT", "MixedCase.Txt", "noext", "a.b",
	"a long file name with spaces.text", "archive.tar.gz",
	"\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 name.txt",
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt", "x+y=z;[1].txt",
	"Caf\xc3\xa9 \xce\xb1\xce\xb2\xce\xb3.dat",
};
#define NNAMES ((unsigned)(sizeof(names) / sizeof(names[0])))
#define NMANY 700
#define DEPTH 20

static time_t
mtime_of(unsigned id)
{
	/* Even seconds: FAT keeps 2. */
	return (time_t)(1500000000 + (time_t)id * 86413 * 2);
}

static void
host_file(const char *path, unsigned id, size_t len)
{
	struct timespec ts[2];
	FILE *f;

	REQUIRE((f = fopen(path, "wb")) != NULL);
	for (size_t i = 0; i < len; i++)
		fputc(msdos_pat(id, i), f);
	REQUIRE(fclose(f) == 0);
	ts[0].tv_sec = ts[1].tv_sec = mtime_of(id);
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	REQUIRE(utimensat(AT_FDCWD, path, ts, 0) == 0);
}

static void
make_src(const char *src)
{
	char p[4096];
	unsigned i;

	for (i = 0; i < NNAMES; i++) {
		PATHF(p, "%s/%s", src, names[i]);
		host_file(p, i + 1, i * 2501);
	}
	PATHF(p, "%s/many", src);
	REQUIRE(mkdir(p, 0755) == 0);
	for (i = 0; i < NMANY; i++) {
		PATHF(p, "%s/many/entry number %04u of many.txt", src, i);
		host_file(p, 100 + i, i % 37);
	}
	PATHF(p, "%s", src);
	for (i = 0; i < DEPTH; i++) {
		size_t l = strlen(p);
		snprintf(p + l, sizeof(p) - l, "/Deep %02u", i);
		REQUIRE(mkdir(p, 0755) == 0);
	}
	strcat(p, "/bottom.bin");
	host_file(p, 5000, 123457);
}

static void
check_file(const char *path, unsigned id, size_t len)
{
	struct stat st;

	msdos_check_pat(path, id, len);
	REQUIRE_OK(rump_sys_stat(path, &st));
	if (st.st_mtim.tv_sec != mtime_of(id))
		TEST_FAIL("%s: mtime %lld, expected %lld", path,
		    (long long)st.st_mtim.tv_sec, (long long)mtime_of(id));
	REQUIRE(S_ISREG(st.st_mode));
}

/* The names in directory path (but . and ..), counted and checked. */
static unsigned
list_count(const char *path, bool (*want)(const char *))
{
	char buf[4096];
	unsigned n = 0;
	int fd, nb, pos;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	while ((nb = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < nb;) {
			struct { uint64_t ino; int64_t off; unsigned short
			    reclen; unsigned char type; char name[]; } *d =
			    (void *)(buf + pos);
			pos += d->reclen;
			if (strcmp(d->name, ".") == 0 ||
			    strcmp(d->name, "..") == 0)
				continue;
			if (!want(d->name))
				TEST_FAIL("%s: unexpected name \"%s\"", path,
				    d->name);
			n++;
		}
	}
	REQUIRE_EQ(nb, 0);
	REQUIRE_OK(rump_sys_close(fd));
	return n;
}

static bool
want_root(const char *n)
{
	for (unsigned i = 0; i < NNAMES; i++)
		if (strcmp(n, names[i]) == 0)
			return true;
	return strcmp(n, "many") == 0 || strcmp(n, "Deep 00") == 0;
}

static bool
want_many(const char *n)
{
	unsigned i;
	char want[64];

	if (sscanf(n, "entry number %04u", &i) != 1 || i >= NMANY)
		return false;
	snprintf(want, sizeof(want), "entry number %04u of many.txt", i);
	return strcmp(n, want) == 0;
}

static void
read_case(int fat, const char *opts, unsigned kib)
{
	char *dir = msdos_tmpdir("read"), img[512], src[512], p[4096];
	struct stat st;
	unsigned i;

	PATHF(img, "%s/fs.img", dir);
	PATHF(src, "%s/src", dir);
	REQUIRE(mkdir(src, 0755) == 0);
	make_src(src);
	msdos_mkfs(img, fat, opts, kib);
	msdos_sh("cd '%s' && mcopy -s -m -i '%s' * ::/", src, img);
	msdos_mount(img, MS_RDONLY);
	for (i = 0; i < NNAMES; i++) {
		PATHF(p, MNT "/%s", names[i]);
		check_file(p, i + 1, i * 2501);
	}
	REQUIRE_EQ(list_count(MNT, want_root), NNAMES + 2);
	REQUIRE_EQ(list_count(MNT "/many", want_many), NMANY);
	for (i = 0; i < NMANY; i += 7) {
		PATHF(p, MNT "/many/entry number %04u of many.txt", i);
		check_file(p, 100 + i, i % 37);
	}
	/* Lookups ignore case, as on Windows. */
	check_file(MNT "/README.TXT", 1, 0);
	check_file(MNT "/many/ENTRY NUMBER 0007 OF MANY.TXT", 107, 7);
	PATHF(p, "%s", MNT);
	for (i = 0; i < DEPTH; i++) {
		size_t l = strlen(p);
		snprintf(p + l, sizeof(p) - l, "/Deep %02u", i);
		REQUIRE_OK(rump_sys_stat(p, &st));
		REQUIRE(S_ISDIR(st.st_mode));
		REQUIRE_EQ(st.st_nlink, i == DEPTH - 1 ? 2 : 3);
	}
	strcat(p, "/bottom.bin");
	check_file(p, 5000, 123457);
	REQUIRE_ERRNO(rump_sys_open(MNT "/new", O_CREAT | O_WRONLY, 0644),
	    EROFS);
	msdos_unmount();
	/* A read-only mount leaves the image as it was. */
	msdos_fsck_clean(img);
}

TESTCASE(read_fat12)
{
	read_case(12, "", 3000);
}

TESTCASE(read_fat16)
{
	read_case(16, "", 20 * 1024);
}

TESTCASE(read_fat32)
{
	read_case(32, "", 40 * 1024);
}

TESTCASE(read_fat32_4k)
{
	read_case(32, "-S 4096 -s 1", 300 * 1024);
}

/* Mount refusals: exact errnos. */
TESTCASE(mount_refusals)
{
	char *dir = msdos_tmpdir("refuse"), img[512], zero[512];
	struct msdosfs_args a = { .fspec = (char *)DEV,
		.version = MSDOSFSMNT_VERSION };

	PATHF(img, "%s/fs.img", dir);
	PATHF(zero, "%s/zero.img", dir);
	msdos_sh("dd if=/dev/zero of='%s' bs=1k count=1024 2>/dev/null", zero);
	log_capture("/tmp/t_msdosfs_refuse.log");
	REQUIRE_ERRNO(msdos_try_mount(zero, MS_RDONLY, 0, 0), EINVAL);
	log_expect("no FAT boot sector");
	msdos_mkfs(img, 16, "", 20 * 1024);
	msdos_mount(img, MS_RDONLY);
	msdos_unmount();
	a.version = 99;
	REQUIRE_ERRNO(rump_sys_mount("msdos", MNT, 0, &a, sizeof(a)), EINVAL);
	a.version = MSDOSFSMNT_VERSION;
	REQUIRE_ERRNO(rump_sys_mount("msdos", MNT, 0, &a, sizeof(a) - 1),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_mount("msdos", MNT, 0, NULL, 0), EINVAL);
	/* Read-only, then read-write by remount. */
	msdos_mount(img, MS_RDONLY);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d", 0755), EROFS);
	REQUIRE_OK(rump_sys_mount("msdos", MNT, MS_REMOUNT, NULL, 0));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	msdos_unmount();
	msdos_fsck_clean(img);
	unlink("/tmp/t_msdosfs_refuse.log");
}

TESTS(CASE(read_fat12), CASE(read_fat16), CASE(read_fat32),
    CASE(read_fat32_4k), CASE(mount_refusals))
