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

/* Geometry: sector sizes and cluster sizes mkfs.fat allows. */
TESTCASE(geometry)
{
	static const struct {
		int fat;
		const char *opts;
		unsigned kib;
	} g[] = {
		{ 12, "-S 1024 -s 1", 4096 }, { 12, "-S 4096 -s 1", 8192 },
		{ 16, "-S 2048 -s 4", 64 * 1024 }, { 16, "-s 128", 300 * 1024 },
		{ 16, "-S 4096 -s 16", 512 * 1024 }, { 32, "-S 4096 -s 1",
		300 * 1024 }, { 32, "-s 1", 40 * 1024 }, { 32, "-S 512 -s 8",
		300 * 1024 }, { 12, "-s 64", 16 * 1024 }, { 16, "-f 1", 20 *
		1024 }, { 32, "-f 1", 40 * 1024 },
	};
	char *dir = msdos_tmpdir("geom"), img[512], out[512], p[256];
	unsigned i, k;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		PATHF(img, "%s/fs%u.img", dir, i);
		PATHF(out, "%s/out%u", dir, i);
		msdos_mkfs(img, g[i].fat, g[i].opts, g[i].kib);
		msdos_mount(img, 0);
		REQUIRE_OK(rump_sys_mkdir(MNT "/sub", 0755));
		for (k = 0; k < 40; k++) {
			PATHF(p, MNT "/sub/file number %u.dat", k);
			msdos_write_pat(p, k, k * 3001);
		}
		msdos_unmount();
		msdos_fsck_clean(img);
		msdos_sh("mkdir '%s' && mcopy -s -n -i '%s' ::/sub '%s/'", out,
		    img, out);
		for (k = 0; k < 40; k++) {
			PATHF(p, "%s/sub/file number %u.dat", out, k);
			msdos_check_host_pat(p, k, k * 3001);
		}
	}
}

/* The raw 32-byte short entry of name11 in the image (first found). */
static bool
raw_entry(const char *img, const char *name11, unsigned char *de,
    unsigned char *prev)
{
	unsigned char buf[32], last[32] = { 0 };
	FILE *f;
	bool found = false;

	REQUIRE((f = fopen(img, "rb")) != NULL);
	while (fread(buf, 1, 32, f) == 32) {
		if (memcmp(buf, name11, 11) == 0 && buf[11] != 0x0f) {
			memcpy(de, buf, 32);
			memcpy(prev, last, 32);
			found = true;
			break;
		}
		memcpy(last, buf, 32);
	}
	fclose(f);
	return found;
}

/*
 * 8.3 names as Windows writes them: a name that fits with each part in
 * one case gets no long name and the case bits; mixed case gets a long
 * name over the plain upper-case short name; a name that does not fit
 * gets a "~N" tail.
 */
TESTCASE(short_names)
{
	char *dir = msdos_tmpdir("short"), img[512];
	unsigned char de[32], prev[32];
	int fd;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 16, "-n STICK", 20 * 1024);
	msdos_mount(img, 0);
	/* The volume label is no file: a file may have its name. */
	REQUIRE_ERRNO(rump_sys_open(MNT "/STICK", O_RDONLY, 0), ENOENT);
	REQUIRE_OK(fd = rump_sys_open(MNT "/stick", O_CREAT | O_WRONLY,
	    0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unlink(MNT "/stick"));
	REQUIRE_OK(fd = rump_sys_open(MNT "/readme.txt", O_CREAT | O_WRONLY,
	    0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_open(MNT "/Makefile", O_CREAT | O_WRONLY,
	    0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_open(MNT "/NOTES.md", O_CREAT | O_WRONLY,
	    0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_open(MNT "/Long Name File.html",
	    O_CREAT | O_WRONLY, 0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_open(MNT "/Long Name Fight.html",
	    O_CREAT | O_WRONLY, 0644));
	REQUIRE_OK(rump_sys_close(fd));
	/* Case-insensitive: the same file. */
	REQUIRE_ERRNO(rump_sys_open(MNT "/README.TXT", O_CREAT | O_EXCL |
	    O_WRONLY, 0644), EEXIST);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/makefile", 0755), EEXIST);
	msdos_unmount();
	msdos_fsck_clean(img);
	REQUIRE(raw_entry(img, "README  TXT", de, prev));
	REQUIRE_EQ(de[12], 0x18);               /* lower base and ext */
	REQUIRE(prev[11] != 0x0f);              /* no long name */
	REQUIRE(raw_entry(img, "MAKEFILE   ", de, prev));
	REQUIRE_EQ(de[12], 0);
	REQUIRE_EQ(prev[11], 0x0f);             /* "Makefile" long name */
	REQUIRE(raw_entry(img, "NOTES   MD ", de, prev));
	REQUIRE_EQ(de[12], 0x10);               /* lower extension */
	REQUIRE(prev[11] != 0x0f);
	REQUIRE(raw_entry(img, "LONGNA~1HTM", de, prev));
	REQUIRE_EQ(prev[11], 0x0f);
	REQUIRE(raw_entry(img, "LONGNA~2HTM", de, prev));
	msdos_sh("mdir -i '%s' ::/ | grep -q 'readme   txt' ", img);
	msdos_sh("mdir -i '%s' ::/ | grep -q 'Long Name Fight.html'", img);
}

/* MSDOSFSMNT_NOWIN95: 8.3 names only, as DOS sees the volume. */
TESTCASE(nowin95)
{
	char *dir = msdos_tmpdir("nowin95"), img[512];
	struct stat st;
	int fd;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 12, "", 2048);
	msdos_mount(img, 0);
	msdos_write_pat(MNT "/A Long Name.txt", 1, 100);
	msdos_unmount();
	REQUIRE_OK(msdos_try_mount(img, 0, MSDOSFSMNT_NOWIN95, 0));
	REQUIRE_ERRNO(rump_sys_stat(MNT "/A Long Name.txt", &st), ENOENT);
	msdos_check_pat(MNT "/ALONGN~1.TXT", 1, 100);
	REQUIRE_ERRNO(rump_sys_open(MNT "/another long one", O_CREAT |
	    O_WRONLY, 0644), EINVAL);
	REQUIRE_OK(fd = rump_sys_open(MNT "/DOS.TXT", O_CREAT | O_WRONLY,
	    0644));
	REQUIRE_OK(rump_sys_close(fd));
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_sh("mdir -i '%s' ::/ | grep -q '^DOS      TXT'", img);
}

static ino_t
ino_of(const char *path)
{
	struct stat st;

	REQUIRE_OK(rump_sys_stat(path, &st));
	return st.st_ino;
}

TESTCASE(renames)
{
	char *dir = msdos_tmpdir("rename"), img[512], out[512];
	struct stat st;
	ino_t ino;

	PATHF(img, "%s/fs.img", dir);
	PATHF(out, "%s/out", dir);
	msdos_mkfs(img, 32, "", 40 * 1024);
	msdos_mount(img, 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/a", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/a/sub dir", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/b", 0755));
	msdos_write_pat(MNT "/a/sub dir/f1", 1, 5000);
	msdos_write_pat(MNT "/a/old name.txt", 2, 3000);
	msdos_write_pat(MNT "/b/target.txt", 3, 100);
	ino = ino_of(MNT "/a/old name.txt");
	/* Over an existing file; the number moves with the file. */
	REQUIRE_OK(rump_sys_rename(MNT "/a/old name.txt", MNT "/b/target.txt"));
	REQUIRE_EQ(ino_of(MNT "/b/target.txt"), ino);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/a/old name.txt", &st), ENOENT);
	/* A directory to another parent: its ".." follows. */
	REQUIRE_OK(rump_sys_stat(MNT "/a", &st));
	REQUIRE_EQ(st.st_nlink, 3);
	REQUIRE_OK(rump_sys_rename(MNT "/a/sub dir", MNT "/b/moved dir"));
	REQUIRE_OK(rump_sys_stat(MNT "/a", &st));
	REQUIRE_EQ(st.st_nlink, 2);
	REQUIRE_OK(rump_sys_stat(MNT "/b", &st));
	REQUIRE_EQ(st.st_nlink, 3);
	REQUIRE_EQ(ino_of(MNT "/b/moved dir/.."), ino_of(MNT "/b"));
	/* Into itself: EINVAL; over a non-empty directory: ENOTEMPTY. */
	REQUIRE_ERRNO(rump_sys_rename(MNT "/b", MNT "/b/moved dir/x"), EINVAL);
	REQUIRE_OK(rump_sys_mkdir(MNT "/c", 0755));
	REQUIRE_ERRNO(rump_sys_rename(MNT "/c", MNT "/b"), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/c", MNT "/b/target.txt"),
	    ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/b/target.txt", MNT "/c"), EISDIR);
	/* Only the case changes. */
	REQUIRE_OK(rump_sys_rename(MNT "/b/target.txt", MNT "/b/TARGET.txt"));
	REQUIRE_OK(rump_sys_rename(MNT "/c", MNT "/C"));
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_mount(img, 0);
	msdos_check_pat(MNT "/b/TARGET.txt", 2, 3000);
	msdos_check_pat(MNT "/b/moved dir/f1", 1, 5000);
	msdos_unmount();
	msdos_sh("mkdir '%s' && mcopy -s -n -i '%s' '::/*' '%s/'", out, img,
	    out);
	msdos_check_host_pat(strcat(strcpy(img, out), "/b/TARGET.txt"), 2,
	    3000);
	msdos_sh("test -d '%s/C' && test -f '%s/b/moved dir/f1'", out, out);
}

static uint64_t
dirsize(const char *path)
{
	struct stat st;

	REQUIRE_OK(rump_sys_stat(path, &st));
	return (uint64_t)st.st_size;
}

/* A directory grows by clusters and gives them back. */
TESTCASE(dir_grow_shrink)
{
	char *dir = msdos_tmpdir("grow"), img[512], p[256];
	struct statvfs sv0, sv1;
	unsigned i;
	int fd;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 16, "-s 1", 20 * 1024);
	msdos_mount(img, 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	REQUIRE_EQ(dirsize(MNT "/d"), 512);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv0));
	for (i = 0; i < 500; i++) {
		PATHF(p, MNT "/d/a rather long file name number %u", i);
		REQUIRE_OK(fd = rump_sys_open(p, O_CREAT | O_WRONLY, 0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	/* 500 names of 4 entries each: 2000 slots, 125 sectors. */
	REQUIRE_EQ(dirsize(MNT "/d"), 125 * 512 + 512);
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_mount(img, 0);
	/* Lookups in a large directory (its name hash): any case. */
	for (i = 0; i < 500; i += 3) {
		struct stat st;
		PATHF(p, MNT "/d/A RATHER LONG FILE NAME NUMBER %u", i);
		REQUIRE_OK(rump_sys_stat(p, &st));
		PATHF(p, MNT "/d/a rather long file name number %u", i + 1000);
		REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
	}
	/* Renamed in place: the old names go, the new ones come. */
	for (i = 0; i < 500; i += 5) {
		char q[256];
		struct stat st;
		PATHF(p, MNT "/d/a rather long file name number %u", i);
		PATHF(q, MNT "/d/renamed %u", i);
		REQUIRE_OK(rump_sys_rename(p, q));
		REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
		REQUIRE_OK(rump_sys_stat(q, &st));
		REQUIRE_OK(rump_sys_rename(q, p));
		REQUIRE_ERRNO(rump_sys_stat(q, &st), ENOENT);
	}
	for (i = 0; i < 500; i++) {
		PATHF(p, MNT "/d/a rather long file name number %u", i);
		REQUIRE_OK(rump_sys_unlink(p));
		REQUIRE_ERRNO(rump_sys_unlink(p), ENOENT);
	}
	REQUIRE_EQ(dirsize(MNT "/d"), 512);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv1));
	REQUIRE_EQ(sv1.f_bfree, sv0.f_bfree);
	REQUIRE_OK(rump_sys_rmdir(MNT "/d"));
	msdos_unmount();
	msdos_fsck_clean(img);
}

/* Entries that stay are listed once while others come and go. */
TESTCASE(readdir_stable)
{
	char *dir = msdos_tmpdir("rdir"), img[512], p[256], buf[1024];
	unsigned char seen[200] = { 0 };
	unsigned i, k, n;
	int fd, nb, pos;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 32, "", 40 * 1024);
	msdos_mount(img, 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	for (i = 0; i < 200; i++) {
		PATHF(p, MNT "/d/entry-%03u-with-a-long-name", i);
		REQUIRE_OK(fd = rump_sys_open(p, O_CREAT | O_WRONLY, 0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	REQUIRE_OK(fd = rump_sys_open(MNT "/d", O_RDONLY | O_DIRECTORY, 0));
	n = 0;
	for (k = 0;; k++) {
		REQUIRE_OK(nb = rump_sys_getdents64(fd, buf, sizeof(buf)));
		if (nb == 0)
			break;
		for (pos = 0; pos < nb;) {
			struct { uint64_t ino; int64_t off; unsigned short
			    reclen; unsigned char type; char name[]; } *d =
			    (void *)(buf + pos);
			if (sscanf(d->name, "entry-%03u", &i) == 1) {
				REQUIRE(i < 200);
				REQUIRE_EQ(seen[i], 0);
				seen[i] = 1;
				n++;
			}
			pos += d->reclen;
		}
		/* Between reads: odd ones go, new ones come. */
		if (k == 2) {
			for (i = 1; i < 200; i += 2) {
				PATHF(p, MNT "/d/entry-%03u-with-a-long-name",
				    i);
				if (!seen[i]) {
					REQUIRE_OK(rump_sys_unlink(p));
					seen[i] = 2;
				}
			}
			for (i = 0; i < 50; i++) {
				PATHF(p, MNT "/d/new-%u", i);
				int nfd;
				REQUIRE_OK(nfd = rump_sys_open(p, O_CREAT |
				    O_WRONLY, 0644));
				REQUIRE_OK(rump_sys_close(nfd));
			}
		}
	}
	for (i = 0; i < 200; i++)
		REQUIRE(seen[i] != 0);
	REQUIRE_OK(rump_sys_close(fd));
	msdos_unmount();
	msdos_fsck_clean(img);
}

/* The free count: ours, fsck.fat's and FSInfo's agree. */
static void
freecount_case(int fat, unsigned kib)
{
	char *dir = msdos_tmpdir("free"), img[512], p[256];
	unsigned long used, total;
	unsigned char fsi[512], bs[512];
	struct statvfs sv;
	unsigned i;
	FILE *f;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, fat, "", kib);
	msdos_mount(img, 0);
	for (i = 0; i < 30; i++) {
		PATHF(p, MNT "/f%u", i);
		msdos_write_pat(p, i, i * 4000);
	}
	for (i = 0; i < 30; i += 3) {
		PATHF(p, MNT "/f%u", i);
		REQUIRE_OK(rump_sys_unlink(p));
	}
	REQUIRE_OK(rump_sys_truncate(MNT "/f1", 100000));
	REQUIRE_OK(rump_sys_truncate(MNT "/f2", 10));
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_fsck_counts(img, &used, &total);
	msdos_mount(img, MS_RDONLY);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_blocks, total);
	REQUIRE_EQ(sv.f_bfree, total - used);
	msdos_unmount();
	if (fat == 32) {
		REQUIRE((f = fopen(img, "rb")) != NULL);
		REQUIRE(fread(bs, 1, 512, f) == 512);
		REQUIRE(fseek(f, (bs[48] | bs[49] << 8) * 512L, SEEK_SET) == 0);
		REQUIRE(fread(fsi, 1, 512, f) == 512);
		fclose(f);
		REQUIRE_EQ((unsigned long)(fsi[488] | fsi[489] << 8 |
		    fsi[490] << 16 | (unsigned long)fsi[491] << 24),
		    total - used);
		/* The next-free hint names a cluster. */
		unsigned long nxt = fsi[492] | fsi[493] << 8 |
		    fsi[494] << 16 | (unsigned long)fsi[495] << 24;
		REQUIRE(nxt >= 2 && nxt <= total + 1);
	}
}

TESTCASE(freecount_fat12)
{
	freecount_case(12, 2048);
}

TESTCASE(freecount_fat32)
{
	freecount_case(32, 40 * 1024);
}

/* A full volume: ENOSPC, and nothing already there is lost. */
TESTCASE(full_volume)
{
	char *dir = msdos_tmpdir("full"), img[512], p[256];
	static char buf[65536];
	struct statvfs sv;
	ssize_t n;
	int fd;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 12, "", 400);
	msdos_mount(img, 0);
	msdos_write_pat(MNT "/keep.bin", 7, 30000);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	REQUIRE_OK(fd = rump_sys_open(MNT "/fill", O_CREAT | O_WRONLY, 0644));
	memset(buf, 0xab, sizeof(buf));
	while ((n = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		continue;
	REQUIRE_EQ(n, -1);
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, 0);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d/x", 0755), ENOSPC);
	for (unsigned i = 0; i < 200; i++) {
		PATHF(p, MNT "/d/name that needs slots %u", i);
		if ((fd = rump_sys_open(p, O_CREAT | O_WRONLY, 0644)) == -1) {
			REQUIRE_EQ(errno, ENOSPC);
			break;
		}
		REQUIRE_OK(rump_sys_close(fd));
	}
	msdos_check_pat(MNT "/keep.bin", 7, 30000);
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_mount(img, 0);
	msdos_check_pat(MNT "/keep.bin", 7, 30000);
	REQUIRE_OK(rump_sys_unlink(MNT "/fill"));
	msdos_write_pat(MNT "/again.bin", 8, 100000);
	msdos_unmount();
	msdos_fsck_clean(img);
}

/* What FAT cannot hold: EPERM as Linux's vfat says. */
TESTCASE(refused)
{
	char *dir = msdos_tmpdir("eperm"), img[512];
	struct stat st;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 16, "", 20 * 1024);
	msdos_mount(img, 0);
	msdos_write_pat(MNT "/f", 1, 10);
	REQUIRE_ERRNO(rump_sys_symlink("f", MNT "/l"), EPERM);
	REQUIRE_ERRNO(rump_sys_link(MNT "/f", MNT "/h"), EPERM);
	REQUIRE_ERRNO(rump_sys_mknod(MNT "/p", S_IFIFO | 0644, 0), EPERM);
	REQUIRE_ERRNO(rump_sys_chown(MNT "/f", 1000, -1), EPERM);
	REQUIRE_ERRNO(rump_sys_chown(MNT "/f", -1, 1000), EPERM);
	REQUIRE_OK(rump_sys_chown(MNT "/f", 0, 0));
	REQUIRE_OK(rump_sys_stat(MNT "/f", &st));
	REQUIRE_EQ(st.st_mode, S_IFREG | 0755);
	REQUIRE_EQ(st.st_nlink, 1);
	/* The write bits are the read-only attribute. */
	REQUIRE_OK(rump_sys_chmod(MNT "/f", 0555));
	REQUIRE_OK(rump_sys_stat(MNT "/f", &st));
	REQUIRE_EQ(st.st_mode, S_IFREG | 0555);
	REQUIRE_ERRNO(rump_sys_chmod(MNT "/f", 0700), EPERM);
	REQUIRE_ERRNO(rump_sys_chmod(MNT "/f", 0655), EPERM);
	REQUIRE_ERRNO(rump_sys_open(MNT "/bad:name", O_CREAT | O_WRONLY, 0644),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_open(MNT "/bad\\name", O_CREAT | O_WRONLY,
	    0644), EINVAL);
	/* Names are UTF-8 at the system calls: anything else is EINVAL. */
	REQUIRE_ERRNO(rump_sys_open(MNT "/bad\xff\xfe", O_CREAT | O_WRONLY,
	    0644), EINVAL);
	REQUIRE_ERRNO(rump_sys_open(MNT "/\xed\xa0\x80", O_CREAT | O_WRONLY,
	    0644), EINVAL);                 /* a surrogate */
	REQUIRE_ERRNO(rump_sys_stat(MNT "/bad\xff", &st), ENOENT);
	/* Trailing dots go, as on Linux's vfat: the same file. */
	REQUIRE_OK(rump_sys_stat(MNT "/f...", &st));
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_sh("mattrib -i '%s' ::/F | grep -q '^  A    R     ::/F'", img);
	msdos_mount(img, 0);
	REQUIRE_OK(rump_sys_stat(MNT "/f", &st));
	REQUIRE_EQ(st.st_mode, S_IFREG | 0555);
	REQUIRE_OK(rump_sys_chmod(MNT "/f", 0777));
	REQUIRE_OK(rump_sys_stat(MNT "/f", &st));
	REQUIRE_EQ(st.st_mode, S_IFREG | 0755);
	msdos_unmount();
}

/* FAT files have no holes: data from any offset to the end. */
TESTCASE(seek_data)
{
	char *dir = msdos_tmpdir("seek"), img[512];
	int fd;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 16, "", 20 * 1024);
	msdos_mount(img, 0);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_pwrite(fd, "x", 1, 99999), 1);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_DATA), 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 5000, SEEK_DATA), 5000);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_HOLE), 100000);
	REQUIRE_EQ(rump_sys_lseek(fd, 99999, SEEK_HOLE), 100000);
	REQUIRE_ERRNO(rump_sys_lseek(fd, 100000, SEEK_DATA), ENXIO);
	REQUIRE_ERRNO(rump_sys_lseek(fd, 100000, SEEK_HOLE), ENXIO);
	REQUIRE_OK(rump_sys_close(fd));
	msdos_unmount();
	msdos_fsck_clean(img);
}

/* Times at FAT's resolution; gmtoff shifts what is stored. */
TESTCASE(times)
{
	char *dir = msdos_tmpdir("times"), img[512];
	struct timespec ts[2];
	struct stat st;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 32, "", 40 * 1024);
	REQUIRE_OK(msdos_try_mount(img, 0, 0, 3600));
	msdos_write_pat(MNT "/f", 1, 10);
	/* 2023-11-14 22:13:21.5 UTC and 2021-03-04 05:06:07 UTC */
	ts[0].tv_sec = 1614834367;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 1700000001;
	ts[1].tv_nsec = 500000000;
	REQUIRE_OK(rump_sys_utimensat(-100, MNT "/f", ts, 0));
	REQUIRE_OK(rump_sys_stat(MNT "/f", &st));
	REQUIRE_EQ(st.st_mtim.tv_sec, 1700000000);
	REQUIRE_EQ(st.st_mtim.tv_nsec, 0);
	/* The access date is midnight of the local (UTC+1) day. */
	REQUIRE_EQ(st.st_atim.tv_sec, 1614816000 - 3600);
	msdos_unmount();
	msdos_fsck_clean(img);
	/* The creation time: today (UTC+1), in 10 ms units. */
	{
		unsigned char de[32], prev[32];
		time_t t = time(NULL) + 3600;
		struct tm tm;
		gmtime_r(&t, &tm);
		REQUIRE(raw_entry(img, "F          ", de, prev));
		REQUIRE(de[13] < 200);
		REQUIRE_EQ(de[16] | de[17] << 8, (tm.tm_year - 80) << 9 |
		    (tm.tm_mon + 1) << 5 | tm.tm_mday);
		/* Write date: 2023-11-14 local (23:13 UTC+1). */
		REQUIRE_EQ(de[24] | de[25] << 8, 43 << 9 | 11 << 5 | 14);
	}
	/* Read as UTC, the stored local time is an hour later. */
	msdos_mount(img, MS_RDONLY);
	REQUIRE_OK(rump_sys_stat(MNT "/f", &st));
	REQUIRE_EQ(st.st_mtim.tv_sec, 1700000000 + 3600);
	msdos_unmount();
	msdos_sh("mdir -i '%s' ::/F | grep -q '2023-11-14 *23:13'", img);
}

static void
dirty_marks(const char *img, unsigned char *fat1hi, unsigned char *bsflag)
{
	unsigned char bs[512];
	unsigned rsvd;
	FILE *f;

	REQUIRE((f = fopen(img, "rb")) != NULL);
	REQUIRE(fread(bs, 1, 512, f) == 512);
	rsvd = bs[14] | bs[15] << 8;
	*bsflag = bs[37];
	REQUIRE(fseek(f, rsvd * 512L + 3, SEEK_SET) == 0);
	REQUIRE(fread(fat1hi, 1, 1, f) == 1);
	fclose(f);
}

/* Dirty while changed, clean after; no change writes nothing. */
TESTCASE(dirty_bit)
{
	char *dir = msdos_tmpdir("dirty"), img[512];
	unsigned char hi, flag;
	int fd;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 16, "", 20 * 1024);
	msdos_sh("cp '%s' '%s.orig'", img, img);
	msdos_mount(img, 0);
	REQUIRE_OK(fd = rump_sys_open(MNT "/", O_RDONLY | O_DIRECTORY, 0));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/", 0755), EEXIST);
	msdos_unmount();
	msdos_sh("cmp '%s' '%s.orig'", img, img);
	dirty_marks(img, &hi, &flag);
	REQUIRE_EQ(hi & 0x80, 0x80);
	REQUIRE_EQ(flag & 1, 0);
	msdos_mount(img, 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	dirty_marks(img, &hi, &flag);
	REQUIRE_EQ(hi & 0x80, 0);
	REQUIRE_EQ(flag & 1, 1);
	msdos_unmount();
	dirty_marks(img, &hi, &flag);
	REQUIRE_EQ(hi & 0x80, 0x80);
	REQUIRE_EQ(flag & 1, 0);
	msdos_fsck_clean(img);
}

/*
 * A seeded random workload: NTHREADS threads, each its own process in
 * the kernel, each in its own directory, against a model of it; then
 * the files compared with the model through the kernel and mcopy.
 */
#define NTHREADS 4
#define NSLOTS 24
#define NDIRS 4
#define MAXLEN 40000
#define NOPS 1500

struct model {
	unsigned t;
	unsigned seed;
	bool exists[NSLOTS];
	size_t len[NSLOTS];
	unsigned char *data[NSLOTS];
	bool dexists[NDIRS];
};

static unsigned
rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xFFFFFF;
}

/* All threads in one directory (its name hash shared), or each in its own. */
static bool shared_dir;

static void
slot_path(char *p, size_t n, unsigned t, unsigned i)
{
	if (shared_dir)
		snprintf(p, n, MNT "/t0/T%u File Slot %02u.Data", t, i);
	else
		snprintf(p, n, MNT "/t%u/File Slot %02u.Data", t, i);
}

static void
sub_path(char *p, size_t n, unsigned t, unsigned k)
{
	if (shared_dir)
		snprintf(p, n, MNT "/t0/T%u Sub Directory %u", t, k);
	else
		snprintf(p, n, MNT "/t%u/Sub Directory %u", t, k);
}

static void *
workload(void *arg)
{
	struct model *m = arg;
	static __thread unsigned char buf[MAXLEN];
	char p[256], q[256];
	unsigned op, i, j, k;
	size_t off, len;
	int fd;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		TEST_FAIL("rfork");
	snprintf(p, sizeof(p), MNT "/t%u", m->t);
	if (!shared_dir || m->t == 0)
		REQUIRE_OK(rump_sys_mkdir(p, 0755));
	while (shared_dir && m->t != 0 && rump_sys_access(MNT "/t0", 0) != 0)
		continue;
	for (op = 0; op < NOPS; op++) {
		i = rnd(&m->seed) % NSLOTS;
		slot_path(p, sizeof(p), m->t, i);
		switch (rnd(&m->seed) % 8) {
		case 0: case 1: case 2:         /* write somewhere */
			off = rnd(&m->seed) % MAXLEN;
			len = rnd(&m->seed) % (MAXLEN - off) % 9000 + 1;
			for (k = 0; k < len; k++)
				buf[k] = (unsigned char)rnd(&m->seed);
			REQUIRE_OK(fd = rump_sys_open(p, O_CREAT | O_WRONLY,
			    0644));
			REQUIRE_EQ(rump_sys_pwrite(fd, buf, len, (off_t)off),
			    (ssize_t)len);
			REQUIRE_OK(rump_sys_close(fd));
			if (!m->exists[i]) {
				m->exists[i] = true;
				m->len[i] = 0;
			}
			if (off > m->len[i])
				memset(m->data[i] + m->len[i], 0,
				    off - m->len[i]);
			memcpy(m->data[i] + off, buf, len);
			if (off + len > m->len[i])
				m->len[i] = off + len;
			break;
		case 3:                         /* truncate */
			len = rnd(&m->seed) % MAXLEN;
			if (!m->exists[i]) {
				REQUIRE_ERRNO(rump_sys_truncate(p, (off_t)len),
				    ENOENT);
				break;
			}
			REQUIRE_OK(rump_sys_truncate(p, (off_t)len));
			if (len > m->len[i])
				memset(m->data[i] + m->len[i], 0,
				    len - m->len[i]);
			m->len[i] = len;
			break;
		case 4:                         /* rename over */
			j = rnd(&m->seed) % NSLOTS;
			slot_path(q, sizeof(q), m->t, j);
			if (!m->exists[i]) {
				REQUIRE_ERRNO(rump_sys_rename(p, q), ENOENT);
				break;
			}
			REQUIRE_OK(rump_sys_rename(p, q));
			if (i == j)
				break;
			memcpy(m->data[j], m->data[i], m->len[i]);
			m->len[j] = m->len[i];
			m->exists[j] = true;
			m->exists[i] = false;
			break;
		case 5:                         /* unlink */
			if (!m->exists[i]) {
				REQUIRE_ERRNO(rump_sys_unlink(p), ENOENT);
				break;
			}
			REQUIRE_OK(rump_sys_unlink(p));
			m->exists[i] = false;
			break;
		case 6:                         /* mkdir */
			k = i % NDIRS;
			sub_path(q, sizeof(q), m->t, k);
			if (m->dexists[k])
				REQUIRE_ERRNO(rump_sys_mkdir(q, 0755), EEXIST);
			else
				REQUIRE_OK(rump_sys_mkdir(q, 0755));
			m->dexists[k] = true;
			break;
		default:                        /* rmdir */
			k = i % NDIRS;
			sub_path(q, sizeof(q), m->t, k);
			if (!m->dexists[k])
				REQUIRE_ERRNO(rump_sys_rmdir(q), ENOENT);
			else
				REQUIRE_OK(rump_sys_rmdir(q));
			m->dexists[k] = false;
			break;
		}
	}
	for (i = 0; i < NSLOTS; i++) {
		slot_path(p, sizeof(p), m->t, i);
		if (!m->exists[i]) {
			struct stat st;
			REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
			continue;
		}
		REQUIRE_OK(fd = rump_sys_open(p, O_RDONLY, 0));
		REQUIRE_EQ(rump_sys_read(fd, buf, MAXLEN), (ssize_t)m->len[i]);
		REQUIRE_OK(rump_sys_close(fd));
		if (memcmp(buf, m->data[i], m->len[i]) != 0)
			TEST_FAIL("%s: contents differ from the model", p);
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
random_case(int fat, unsigned kib)
{
	char *dir = msdos_tmpdir("random"), img[512], out[512], p[1200];
	struct model *m = calloc(NTHREADS, sizeof(*m));
	const char *seedenv = getenv("MSDOS_SEED");
	unsigned seed = seedenv != NULL ? (unsigned)atoi(seedenv) : 20261206;
	pthread_t th[NTHREADS];
	unsigned t, i;
	FILE *f;

	REQUIRE(m != NULL);
	PATHF(img, "%s/fs.img", dir);
	PATHF(out, "%s/out", dir);
	msdos_mkfs(img, fat, "", kib);
	msdos_mount(img, 0);
	for (t = 0; t < NTHREADS; t++) {
		m[t].t = t;
		m[t].seed = seed + t * 7919;
		for (i = 0; i < NSLOTS; i++)
			REQUIRE((m[t].data[i] = malloc(MAXLEN)) != NULL);
		REQUIRE(pthread_create(&th[t], NULL, workload, &m[t]) == 0);
	}
	for (t = 0; t < NTHREADS; t++)
		REQUIRE(pthread_join(th[t], NULL) == 0);
	msdos_unmount();
	msdos_fsck_clean(img);
	msdos_sh("mkdir '%s' && mcopy -s -n -i '%s' '::/*' '%s/'", out, img,
	    out);
	for (t = 0; t < NTHREADS; t++) {
		for (i = 0; i < NSLOTS; i++) {
			if (shared_dir)
				snprintf(p, sizeof(p), "%s/t0/T%u File Slot "
				    "%02u.Data", out, t, i);
			else
				snprintf(p, sizeof(p), "%s/t%u/File Slot "
				    "%02u.Data", out, t, i);
			f = fopen(p, "rb");
			REQUIRE((f != NULL) == m[t].exists[i]);
			if (f == NULL)
				continue;
			static unsigned char b[MAXLEN + 1];
			REQUIRE_EQ(fread(b, 1, MAXLEN + 1, f), m[t].len[i]);
			fclose(f);
			REQUIRE(memcmp(b, m[t].data[i], m[t].len[i]) == 0);
			free(m[t].data[i]);
		}
		for (i = 0; i < NSLOTS; i++)
			if (!m[t].exists[i])
				free(m[t].data[i]);
		for (i = 0; i < NDIRS; i++)
			msdos_sh(shared_dir ? "test %s -d '%s/t0/T%u Sub "
			    "Directory %u'" : "test %s -d '%s/t%u/Sub Directory "
			    "%u'", m[t].dexists[i] ? "" : "!", out, t, i);
	}
	free(m);
}

/*
 * Directory renames that race to make a cycle: two processes move a
 * into b and b into a, over and over; each move succeeds or fails with
 * EINVAL (into itself) or ENOENT (moved away), and the tree stays a
 * tree (fsck.fat finds every directory reachable, ".." right).
 */
static const char *const cyc[][2] = {
	{ MNT "/a", MNT "/b/a" }, { MNT "/b/a", MNT "/a" },
	{ MNT "/b", MNT "/a/b" }, { MNT "/a/b", MNT "/b" },
};

static void *
cycler(void *arg)
{
	unsigned who = (unsigned)(uintptr_t)arg, i, k;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		TEST_FAIL("rfork");
	for (i = 0; i < 3000; i++) {
		k = who * 2 + (i & 1);
		if (rump_sys_rename(cyc[k][0], cyc[k][1]) == -1 &&
		    errno != EINVAL && errno != ENOENT)
			TEST_FAIL("rename %s %s: %s", cyc[k][0], cyc[k][1],
			    strerror(errno));
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TESTCASE(rename_cycles)
{
	char *dir = msdos_tmpdir("cycle"), img[512];
	pthread_t th[2];
	struct stat st;
	unsigned i;

	PATHF(img, "%s/fs.img", dir);
	msdos_mkfs(img, 16, "", 20 * 1024);
	msdos_mount(img, 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/a", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/b", 0755));
	msdos_write_pat(MNT "/a/in a", 1, 1000);
	msdos_write_pat(MNT "/b/in b", 2, 2000);
	for (i = 0; i < 2; i++)
		REQUIRE(pthread_create(&th[i], NULL, cycler,
		    (void *)(uintptr_t)i) == 0);
	for (i = 0; i < 2; i++)
		REQUIRE(pthread_join(th[i], NULL) == 0);
	/* Each is found from the root, exactly once. */
	bool a_top = rump_sys_stat(MNT "/a", &st) == 0;
	bool b_top = rump_sys_stat(MNT "/b", &st) == 0;
	REQUIRE(a_top || b_top);
	if (a_top && b_top) {
		msdos_check_pat(MNT "/a/in a", 1, 1000);
		msdos_check_pat(MNT "/b/in b", 2, 2000);
	} else if (a_top) {
		msdos_check_pat(MNT "/a/b/in b", 2, 2000);
	} else {
		msdos_check_pat(MNT "/b/a/in a", 1, 1000);
	}
	msdos_unmount();
	msdos_fsck_clean(img);
}

TESTCASE(random_fat12)
{
	random_case(12, 4000);
}

TESTCASE(random_fat16)
{
	random_case(16, 20 * 1024);
}

TESTCASE(random_fat32)
{
	random_case(32, 40 * 1024);
}

/* The same, all four processes in one directory. */
TESTCASE(random_shared)
{
	shared_dir = true;
	random_case(16, 20 * 1024);
}

TESTS(CASE(tree_fat12), CASE(tree_fat16), CASE(tree_fat32), CASE(geometry),
    CASE(short_names), CASE(nowin95), CASE(renames), CASE(dir_grow_shrink),
    CASE(readdir_stable), CASE(freecount_fat12), CASE(freecount_fat32),
    CASE(full_volume), CASE(refused), CASE(seek_data), CASE(times), CASE(dirty_bit), CASE(rename_cycles), CASE(random_fat12),
    CASE(random_fat16), CASE(random_fat32), CASE(random_shared))
