/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ISO 9660 images made by tools nobody here wrote (xorriso, genisoimage,
 * makefs), mounted as type cd9660 and read back through the system
 * calls: the tree must equal its source (names, types, bytes, modes,
 * owners, link counts, device numbers, symlink targets, modification
 * times to the second).  Then Joliet-only and plain level-1 images, the
 * mount flags, a multi-extent file over 4 GiB, multi-session images, the
 * El Torito catalogue, stable inode numbers and readdir cookies,
 * SEEK_DATA/SEEK_HOLE, statvfs and EROFS for every change.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rump/iso_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_isoimg.h"

#define MNT "/mnt"
#define DEV "/dev/iso"

static const char *const rr_moved[] = { "rr_moved", ".rr_moved", NULL };

static int
mount_iso(const char *img, int flags, int sess)
{
	struct iso_args args = { .fspec = DEV, .flags = flags, .sess = sess };

	(void)rump_pub_etfs_remove(DEV);
	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	(void)rump_sys_mkdir(MNT, 0755);
	return rump_sys_mount("cd9660", MNT, MS_RDONLY, &args, sizeof(args));
}

static void
umount_iso(void)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	REQUIRE_EQ(rump_pub_etfs_remove(DEV), 0);
}

/* Make the tree, the image with cmd (%s: image, then source), compare. */
static void
image_case(const char *tag, const char *tool, const char *cmd,
    const struct tree_opts *o, unsigned cmp)
{
	char *dir, src[4200], img[4200];
	long n;

	if (!have_tool(tool))
		return;
	dir = make_tmpdir(tag);
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, o);
	run(cmd, img, src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	n = compare_tree(src, MNT, cmp, rr_moved);
	printf("%s: %ld entries equal\n", tag, n);
	umount_iso();
	remove_tree(dir);
	free(dir);
}

static bool
root(void)
{
	return geteuid() == 0;
}

TESTCASE(xorriso_rr)
{
	struct tree_opts o = { 300, root(), root(), true, false };

	image_case("xorriso", "xorriso -version",
	    "xorriso -as mkisofs -quiet -R -J -joliet-long -iso-level 3 "
	    "-o '%s' '%s' 2>/dev/null", &o,
	    CMP_MODES | CMP_TIMES | CMP_RDEV | (root() ? CMP_OWNERS : 0));
}

TESTCASE(genisoimage_rr)
{
	struct tree_opts o = { 300, root(), root(), true, false };

	image_case("genisoimage", "genisoimage -version",
	    "genisoimage -quiet -R -J -joliet-long -o '%s' '%s' 2>/dev/null",
	    &o, CMP_MODES | CMP_TIMES | CMP_NLINK | CMP_RDEV |
	    (root() ? CMP_OWNERS : 0));
}

TESTCASE(makefs_rr)
{
	struct tree_opts o = { 300, root(), root(), true, false };

	image_case("makefs", "which makefs",
	    "makefs -t cd9660 -o rockridge '%s' '%s' >/dev/null", &o,
	    CMP_MODES | CMP_TIMES | CMP_RDEV | (root() ? CMP_OWNERS : 0));
}

/* A host file holding the string data. */
static void
put(const char *dir, const char *name, const char *data)
{
	char path[4200];
	FILE *f;

	PATHF(path, "%s/%s", dir, name);
	REQUIRE((f = fopen(path, "w")) != NULL);
	fputs(data, f);
	fclose(f);
}

/* The names in a kernel directory, sorted, joined by '|'. */
static char *
names(const char *path)
{
	static char out[8192];
	char buf[4096], *list[256], *tmp;
	struct rump_dirent64 {
		uint64_t d_ino;
		int64_t d_off;
		unsigned short d_reclen;
		unsigned char d_type;
		char d_name[];
	} *d;
	int fd, n = 0;
	ssize_t len;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	while ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < len; off += d->d_reclen) {
			d = (struct rump_dirent64 *)(buf + off);
			if (strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0 && n < 256)
				list[n++] = strdup(d->d_name);
		}
	REQUIRE_EQ(len, 0);
	REQUIRE_OK(rump_sys_close(fd));
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(list[j], list[i]) < 0) {
				tmp = list[i];
				list[i] = list[j];
				list[j] = tmp;
			}
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, list[i]);
		free(list[i]);
	}
	return out;
}

#define REQUIRE_STR(a, b)                                                      \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (strcmp(a_, b_) != 0)                                       \
			TEST_FAIL("%s is \"%s\", expected \"%s\"", #a, a_,    \
			    b_);                                               \
	} while (0)

/* The whole content of a kernel file, NUL terminated. */
static char *
content(const char *path)
{
	static char buf[4096];
	ssize_t n;
	int fd;

	if ((fd = rump_sys_open(path, O_RDONLY, 0)) < 0)
		TEST_FAIL("open %s: %s", path, strerror(errno));
	REQUIRE_OK(n = rump_sys_read(fd, buf, sizeof(buf) - 1));
	buf[n] = '\0';
	REQUIRE_OK(rump_sys_close(fd));
	return buf;
}

/* Joliet without Rock Ridge: UCS-2 names, case kept, ";1" gone. */
#define UNICODE_NAME                                                           \
	"\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac "    \
	"name.txt"
#define BMP_NAME "omega \xce\xa9 check \xe2\x9c\x93.txt"
TESTCASE(joliet_only)
{
	char *dir, src[4200], img[4200], sub[4200];

	if (!have_tool("genisoimage -version"))
		return;
	dir = make_tmpdir("joliet");
	PATHF(src, "%s/src", dir);
	PATHF(sub, "%s/src/Sub Dir", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	REQUIRE_OK(mkdir(sub, 0755));
	put(src, UNICODE_NAME, "unicode\n");
	put(src, "MiXeD.Case", "mixed\n");
	put(src, "a name with more than thirty-one characters in it.dat",
	    "long\n");
	put(sub, BMP_NAME, "bmp\n");
	put(src, "qz.txt", "astral\n");
	run("genisoimage -quiet -J -o '%s' '%s' 2>/dev/null", img, src);
	/*
	 * The writers put '_' for characters past the BMP: make "qz" a
	 * surrogate pair (U+1F600) in the Joliet name, the same length.
	 */
	{
		static const unsigned char qz[] = { 0, 'q', 0, 'z', 0, '.', 0,
			't', 0, 'x', 0, 't' };
		unsigned char *b, *at;
		size_t size;

		b = img_load(img, &size);
		REQUIRE((at = memmem(b, size, qz, sizeof(qz))) != NULL);
		memcpy(at, "\xd8\x3d\xde\x00", 4);
		img_save(img, b, size);
		free(b);
	}
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "MiXeD.Case|Sub Dir|a name with more than "
	    "thirty-one characters in it.dat|" UNICODE_NAME "|"
	    "\xf0\x9f\x98\x80.txt");
	REQUIRE_STR(content(MNT "/\xf0\x9f\x98\x80.txt"), "astral\n");
	REQUIRE_STR(names(MNT "/Sub Dir"), BMP_NAME);
	REQUIRE_STR(content(MNT "/MiXeD.Case"), "mixed\n");
	REQUIRE_STR(content(MNT "/Sub Dir/" BMP_NAME), "bmp\n");
	REQUIRE_ERRNO(rump_sys_open(MNT "/mixed.case", O_RDONLY, 0), ENOENT);
	umount_iso();
	/* Without Joliet: the ISO names, translated. */
	REQUIRE_OK(mount_iso(img, ISOFSMNT_NOJOLIET, 0));
	REQUIRE_STR(content(MNT "/mixed.cas"), "mixed\n");
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/* Plain ISO 9660 level 1: 8.3 names lower-cased, ";1" and "." gone. */
TESTCASE(iso_level1)
{
	char *dir, src[4200], img[4200], sub[4200];
	struct stat st;

	if (!have_tool("genisoimage -version"))
		return;
	dir = make_tmpdir("level1");
	PATHF(src, "%s/src", dir);
	PATHF(sub, "%s/src/DIR1", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	REQUIRE_OK(mkdir(sub, 0755));
	put(src, "README.TXT", "readme\n");
	put(src, "A.C", "c\n");
	put(src, "NOEXT", "noext\n");
	put(sub, "FILE.DAT", "data\n");
	stamp_tree(src);
	run("genisoimage -quiet -iso-level 1 -o '%s' '%s' 2>/dev/null", img,
	    src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "a.c|dir1|noext|readme.txt");
	REQUIRE_STR(names(MNT "/dir1"), "file.dat");
	REQUIRE_STR(content(MNT "/dir1/file.dat"), "data\n");
	REQUIRE_STR(content(MNT "/noext"), "noext\n");
	REQUIRE_OK(rump_sys_stat(MNT "/readme.txt", &st));
	/* No Rock Ridge: r-xr-xr-x, root's, the record's date. */
	REQUIRE_EQ(st.st_mode, S_IFREG | 0555);
	REQUIRE_EQ(st.st_uid, 0);
	REQUIRE_EQ(st.st_nlink, 1);
	REQUIRE_EQ(st.st_size, 7);
	REQUIRE_EQ(st.st_mtim.tv_sec, TREE_TIME);
	REQUIRE_OK(rump_sys_stat(MNT "/dir1", &st));
	REQUIRE_EQ(st.st_mode, S_IFDIR | 0555);
	REQUIRE_EQ(st.st_mtim.tv_sec, TREE_TIME);
	REQUIRE_ERRNO(rump_sys_open(MNT "/README.TXT", O_RDONLY, 0), ENOENT);
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_NOCASETRANS, 0));
	REQUIRE_STR(names(MNT), "A.C|DIR1|NOEXT|README.TXT");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_GENS, 0));
	REQUIRE_STR(names(MNT), "a.c;1|dir1|noext.;1|readme.txt;1");
	REQUIRE_STR(content(MNT "/readme.txt;1"), "readme\n");
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/* -R -J: Rock Ridge first; NORRIP gives Joliet, both flags ISO names. */
TESTCASE(mount_flags)
{
	char *dir, src[4200], img[4200];
	struct iso_args args = { .fspec = DEV };

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("flags");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	put(src, "Long Name With Spaces.text", "x\n");
	run("xorriso -as mkisofs -quiet -R -J -o '%s' '%s' 2>/dev/null", img,
	    src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "Long Name With Spaces.text");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_NORRIP, 0));
	REQUIRE_STR(names(MNT), "Long Name With Spaces.text");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_NORRIP | ISOFSMNT_NOJOLIET, 0));
	REQUIRE_STR(names(MNT), "long_nam.tex");
	umount_iso();
	/* What the mount refuses. */
	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	REQUIRE_ERRNO(rump_sys_mount("cd9660", MNT, 0, &args, sizeof(args)),
	    EROFS);
	REQUIRE_ERRNO(rump_sys_mount("cd9660", MNT, MS_RDONLY, &args,
	    sizeof(args) - 1), EINVAL);
	args.flags = ISOFSMNT_EXTATT;
	REQUIRE_ERRNO(rump_sys_mount("cd9660", MNT, MS_RDONLY, &args,
	    sizeof(args)), EOPNOTSUPP);
	args.flags = ISOFSMNT_SESS;
	args.sess = -1;
	REQUIRE_ERRNO(rump_sys_mount("cd9660", MNT, MS_RDONLY, &args,
	    sizeof(args)), EINVAL);
	/* A session where there is none: no descriptor, EINVAL. */
	args.sess = 100000;
	REQUIRE_ERRNO(rump_sys_mount("cd9660", MNT, MS_RDONLY, &args,
	    sizeof(args)), EINVAL);
	remove_tree(dir);
	free(dir);
}

/* Every change is EROFS; nothing reaches the image. */
TESTCASE(read_only)
{
	char *dir, src[4200], img[4200];
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };
	int fd;

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("rofs");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	put(src, "f", "x\n");
	REQUIRE_OK(mkdir(strcat(src, "/d"), 0755));
	src[strlen(src) - 2] = '\0';
	run("xorriso -as mkisofs -quiet -R -o '%s' '%s' 2>/dev/null", img,
	    src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_ERRNO(rump_sys_open(MNT "/f", O_WRONLY, 0), EROFS);
	REQUIRE_ERRNO(rump_sys_open(MNT "/new", O_WRONLY | O_CREAT, 0644),
	    EROFS);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d2", 0755), EROFS);
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/d"), EROFS);
	REQUIRE_ERRNO(rump_sys_unlink(MNT "/f"), EROFS);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/f", MNT "/g"), EROFS);
	REQUIRE_ERRNO(rump_sys_link(MNT "/f", MNT "/g"), EROFS);
	REQUIRE_ERRNO(rump_sys_symlink("f", MNT "/s"), EROFS);
	REQUIRE_ERRNO(rump_sys_chmod(MNT "/f", 0777), EROFS);
	REQUIRE_ERRNO(rump_sys_chown(MNT "/f", 1, 1), EROFS);
	REQUIRE_ERRNO(rump_sys_truncate(MNT "/f", 0), EROFS);
	REQUIRE_ERRNO(rump_sys_utimensat(AT_FDCWD, MNT "/f", ts, 0), EROFS);
	REQUIRE_ERRNO(rump_sys_access(MNT "/f", W_OK), EROFS);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f", O_RDONLY, 0));
	REQUIRE_ERRNO(rump_sys_write(fd, "x", 1), EBADF);
	REQUIRE_OK(rump_sys_close(fd));
	/* A remount read-write is refused too. */
	REQUIRE_ERRNO(rump_sys_mount("cd9660", MNT, MS_REMOUNT, NULL, 0),
	    EROFS);
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/*
 * Inode numbers from record positions: the same in a second mount and
 * in readdir; readdir cookies resume exactly where they pointed.
 */
TESTCASE(stable_ino_cookies)
{
	struct tree_opts o = { 500, false, false, false, false };
	char *dir, src[4200], img[4200], buf[600];
	struct stat a, b;
	struct rump_dirent64 {
		uint64_t d_ino;
		int64_t d_off;
		unsigned short d_reclen;
		unsigned char d_type;
		char d_name[];
	} *d;
	static char first[600][80];
	static int64_t offs[600];
	int fd, n = 0;
	ssize_t len;

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("ino");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, &o);
	run("xorriso -as mkisofs -quiet -R -o '%s' '%s' 2>/dev/null", img,
	    src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_OK(rump_sys_stat(MNT "/sub/inner", &a));
	/* A small buffer: one or two entries a call. */
	REQUIRE_OK(fd = rump_sys_open(MNT "/many", O_RDONLY | O_DIRECTORY, 0));
	while ((len = rump_sys_getdents64(fd, buf, 100)) > 0)
		for (ssize_t off = 0; off < len; off += d->d_reclen) {
			d = (struct rump_dirent64 *)(buf + off);
			REQUIRE(n < 600);
			snprintf(first[n], sizeof(first[n]), "%s", d->d_name);
			offs[n++] = d->d_off;
		}
	REQUIRE_EQ(len, 0);
	REQUIRE_EQ(n, 502);
	/* Back to each cookie: the next entry is the one that followed. */
	for (int i = 0; i < n - 1; i += 37) {
		REQUIRE_EQ(rump_sys_lseek(fd, offs[i], SEEK_SET), offs[i]);
		REQUIRE((len = rump_sys_getdents64(fd, buf, 100)) > 0);
		d = (struct rump_dirent64 *)buf;
		REQUIRE_STR(d->d_name, first[i + 1]);
	}
	/* A buffer too small for one entry. */
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, 10), EINVAL);
	REQUIRE_OK(rump_sys_close(fd));
	umount_iso();
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_OK(rump_sys_stat(MNT "/sub/inner", &b));
	REQUIRE_EQ(a.st_ino, b.st_ino);
	REQUIRE_OK(rump_sys_stat(MNT "/sub", &a));
	REQUIRE_OK(rump_sys_stat(MNT "/sub/link_up/sub", &b));
	REQUIRE_EQ(a.st_ino, b.st_ino);
	REQUIRE_OK(rump_sys_stat(MNT "/sub/..", &b));
	REQUIRE_OK(rump_sys_stat(MNT, &a));
	REQUIRE_EQ(a.st_ino, b.st_ino);
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/* El Torito: the catalogue is a file where the image names it. */
TESTCASE(eltorito)
{
	char *dir, src[4200], img[4200], path[4200];
	unsigned char cat[2048], sec[2048];
	uint32_t lba;
	ssize_t n;
	int fd;

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("boot");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	PATHF(path, "%s/boot.img", src);
	run("head -c 2048 /dev/urandom > '%s'", path);
	run("xorriso -as mkisofs -quiet -R -b boot.img -c boot.cat "
	    "-no-emul-boot -o '%s' '%s' 2>/dev/null", img, src);
	/* The boot record (sector 17) points at the catalogue. */
	REQUIRE_OK(fd = open(img, O_RDONLY));
	REQUIRE_EQ(pread(fd, sec, 2048, 17 * 2048), 2048);
	REQUIRE(memcmp(sec + 7, "EL TORITO SPECIFICATION", 23) == 0);
	lba = sec[71] | sec[72] << 8 | sec[73] << 16 | (uint32_t)sec[74] << 24;
	REQUIRE_EQ(pread(fd, sec, 2048, (off_t)lba * 2048), 2048);
	close(fd);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "boot.cat|boot.img");
	REQUIRE_OK(fd = rump_sys_open(MNT "/boot.cat", O_RDONLY, 0));
	REQUIRE((n = rump_sys_read(fd, cat, sizeof(cat))) > 32);
	REQUIRE(memcmp(cat, sec, (size_t)n) == 0);
	REQUIRE_EQ(cat[0], 1);          /* the validation entry */
	REQUIRE_EQ(cat[30], 0x55);
	REQUIRE_EQ(cat[31], 0xaa);
	REQUIRE_OK(rump_sys_close(fd));
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/* The session starts xorriso -toc reports, in order. */
static int
sessions(const char *img, uint32_t *start, int max)
{
	char cmd[4300], line[512];
	unsigned s, sess;
	int n = 0;
	FILE *p;

	PATHF(cmd, "xorriso -indev '%s' -toc 2>&1", img);
	REQUIRE((p = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), p) != NULL)
		if (sscanf(line, "ISO session : %u , %u", &sess, &s) == 2 &&
		    n < max)
			start[n++] = s;
	pclose(p);
	return n;
}

/*
 * Two sessions grown into one file by xorriso, the second adding and
 * removing files: the last by default, each by ISOFSMNT_SESS, the last
 * found from the first by ISOFSMNT_LASTSESS.
 */
TESTCASE(multisession)
{
	char *dir, s1[4200], s2[4200], img[4200];
	uint32_t start[4];

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("msess");
	PATHF(s1, "%s/s1", dir);
	PATHF(s2, "%s/s2", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(s1, 0755));
	REQUIRE_OK(mkdir(s2, 0755));
	put(s1, "kept", "kept in both\n");
	put(s1, "gone", "only in the first\n");
	put(s1, "changed", "first version\n");
	put(s2, "added", "new in the second\n");
	put(s2, "changed", "second version, longer\n");
	run("xorriso -dev '%s' -map '%s' / -commit >/dev/null 2>&1", img, s1);
	run("xorriso -dev '%s' -rm /gone -- -map '%s/added' /added "
	    "-map '%s/changed' /changed -commit >/dev/null 2>&1", img, s2, s2);
	REQUIRE_EQ(sessions(img, start, 4), 2);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "added|changed|kept");
	REQUIRE_STR(content(MNT "/changed"), "second version, longer\n");
	REQUIRE_STR(content(MNT "/kept"), "kept in both\n");
	REQUIRE_ERRNO(rump_sys_open(MNT "/gone", O_RDONLY, 0), ENOENT);
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_SESS, (int)start[0]));
	REQUIRE_STR(names(MNT), "changed|gone|kept");
	REQUIRE_STR(content(MNT "/changed"), "first version\n");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_SESS, (int)start[1]));
	REQUIRE_STR(names(MNT), "added|changed|kept");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_SESS | ISOFSMNT_LASTSESS,
	    (int)start[0]));
	REQUIRE_STR(names(MNT), "added|changed|kept");
	REQUIRE_STR(content(MNT "/added"), "new in the second\n");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_LASTSESS, 0));
	REQUIRE_STR(names(MNT), "added|changed|kept");
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/*
 * SUSP's checks: Rock Ridge is used when the root's "." starts with SP
 * and no ER names only other extensions; otherwise the ISO names show.
 */
TESTCASE(rrip_detection)
{
	static const char *const ids[] = { "RRIP_1991A", "IEEE_P1282",
		"IEEE_1282" };
	char *dir, src[4200], img[4200], bad[4200];
	unsigned char *b, *at;
	size_t size, root, sp;

	if (!have_tool("genisoimage -version"))
		return;
	dir = make_tmpdir("rrdetect");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	PATHF(bad, "%s/bad.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	put(src, "Long Rock Ridge name.text", "x\n");
	run("genisoimage -quiet -R -o '%s' '%s' 2>/dev/null", img, src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "Long Rock Ridge name.text");
	umount_iso();
	b = img_load(img, &size);
	root = (size_t)img_le32(b + 16 * 2048 + 156 + 2) * 2048;
	/* No SP: no Rock Ridge. */
	REQUIRE((sp = img_find_su(b, root, "SP")) != 0);
	memcpy(b + sp, "XX", 2);
	img_save(bad, b, size);
	REQUIRE_OK(mount_iso(bad, 0, 0));
	REQUIRE_STR(names(MNT), "long_roc.tex");
	umount_iso();
	memcpy(b + sp, "SP", 2);
	/* An ER naming another extension only: no Rock Ridge. */
	at = NULL;
	for (size_t i = 0; i < 3 && at == NULL; i++)
		at = memmem(b, size, ids[i], strlen(ids[i]));
	REQUIRE(at != NULL);
	memcpy(at, "XX", 2);
	img_save(bad, b, size);
	REQUIRE_OK(mount_iso(bad, 0, 0));
	REQUIRE_STR(names(MNT), "long_roc.tex");
	umount_iso();
	free(b);
	remove_tree(dir);
	free(dir);
}

/*
 * Rock Ridge TF in its long form (17-byte dates, hundredths and a GMT
 * offset), made by rewriting a short TF that genisoimage wrote: the
 * modification time to the hundredth, the others the record's date.
 */
TESTCASE(tf_long_form)
{
	static const char *const p[] = { "SMALL.TXT", NULL };
	struct tm tm = { .tm_year = 124, .tm_mon = 1, .tm_mday = 29,
		.tm_hour = 10, .tm_min = 34, .tm_sec = 56 };
	char *dir, src[4200], img[4200];
	unsigned char *b;
	struct stat st;
	size_t size, r, tf;

	if (!have_tool("genisoimage -version"))
		return;
	dir = make_tmpdir("tflong");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	put(src, "small.txt", "x\n");
	stamp_tree(src);
	run("genisoimage -quiet -R -o '%s' '%s' 2>/dev/null", img, src);
	b = img_load(img, &size);
	REQUIRE((r = img_find_record(b, size, p)) != 0);
	REQUIRE((tf = img_find_su(b, r, "TF")) != 0);
	REQUIRE(b[tf + 2] >= 5 + 17);
	/* 2024-02-29 12:34:56.78 at GMT+2 (8 quarters): 10:34:56.78 UTC. */
	b[tf + 4] = 0x80 | 0x02;
	memcpy(b + tf + 5, "2024022912345678", 16);
	b[tf + 21] = 8;
	img_save(img, b, size);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_OK(rump_sys_stat(MNT "/small.txt", &st));
	REQUIRE_EQ(st.st_mtim.tv_sec, timegm(&tm));
	REQUIRE_EQ(st.st_mtim.tv_nsec, 780000000);
	REQUIRE_EQ(st.st_atim.tv_sec, TREE_TIME);
	REQUIRE_EQ(st.st_atim.tv_nsec, 0);
	umount_iso();
	free(b);
	remove_tree(dir);
	free(dir);
}

/*
 * CD-style sessions: a first image, and a second session made for the
 * sector after it rounded up (xorriso -as mkisofs -C -M, which keeps the
 * first session's files by their addresses) written there.  Sector 16
 * is the first session; the second is found by ISOFSMNT_LASTSESS and
 * read by ISOFSMNT_SESS.
 */
TESTCASE(cd_multisession)
{
	char *dir, s1[4200], s2[4200], img[4200], part[4200];
	struct stat st;
	int next;

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("cdsess");
	PATHF(s1, "%s/s1", dir);
	PATHF(s2, "%s/s2", dir);
	PATHF(img, "%s/img.iso", dir);
	PATHF(part, "%s/s2.part", dir);
	REQUIRE_OK(mkdir(s1, 0755));
	REQUIRE_OK(mkdir(s2, 0755));
	put(s1, "first", "of the first session\n");
	put(s2, "second", "of the second session\n");
	run("xorriso -as mkisofs -quiet -R -o '%s' '%s' 2>/dev/null", img, s1);
	REQUIRE_OK(stat(img, &st));
	next = (int)((st.st_size / 2048 + 15) / 16 * 16 + 16);
	run("xorriso -as mkisofs -quiet -R -C 0,%d -M '%s' -o '%s' '%s' "
	    "2>/dev/null", next, img, part, s2);
	run("dd if='%s' of='%s' bs=2048 seek=%d conv=notrunc 2>/dev/null",
	    part, img, next);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "first");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_LASTSESS, 0));
	REQUIRE_STR(names(MNT), "first|second");
	REQUIRE_STR(content(MNT "/first"), "of the first session\n");
	REQUIRE_STR(content(MNT "/second"), "of the second session\n");
	umount_iso();
	REQUIRE_OK(mount_iso(img, ISOFSMNT_SESS, next));
	REQUIRE_STR(names(MNT), "first|second");
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/*
 * A file over 4 GiB (level 3: several extents), made sparse on the host:
 * its size, bytes either side of each extent boundary, the end, and
 * SEEK_DATA/SEEK_HOLE (all of it is data).
 */
TESTCASE(multi_extent)
{
	const long long size = (4LL << 30) + 5000;
	const long long marks[] = { 0, (4LL << 30) - 4096, (4LL << 30) - 2049,
		(4LL << 30) - 2048, (4LL << 30) - 1, 4LL << 30, size - 7 };
	const size_t nmarks = sizeof(marks) / sizeof(marks[0]);
	char *dir, src[4200], img[4200], path[4200], b;
	struct stat st;
	off_t o;
	int fd;

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("huge");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	PATHF(path, "%s/src/huge", dir);
	REQUIRE_OK(mkdir(src, 0755));
	REQUIRE_OK(fd = open(path, O_WRONLY | O_CREAT, 0644));
	REQUIRE_OK(ftruncate(fd, size));
	for (size_t i = 0; i < nmarks; i++) {
		b = (char)('A' + i);
		REQUIRE_EQ(pwrite(fd, &b, 1, marks[i]), 1);
	}
	close(fd);
	put(src, "after", "after the huge one\n");
	run("xorriso -as mkisofs -quiet -R -iso-level 3 -o '%s' '%s' "
	    "2>/dev/null", img, src);
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_STR(names(MNT), "after|huge");
	REQUIRE_OK(rump_sys_stat(MNT "/huge", &st));
	REQUIRE_EQ(st.st_size, size);
	REQUIRE_OK(fd = rump_sys_open(MNT "/huge", O_RDONLY, 0));
	for (size_t i = 0; i < nmarks; i++) {
		long long at = marks[i] > 1 ? marks[i] - 2 : 0;
		char got[5];
		size_t n = 5;

		if (at + (long long)n > size)
			n = (size_t)(size - at);
		REQUIRE_EQ(rump_sys_pread(fd, got, n, at), (long long)n);
		for (size_t j = 0; j < n; j++) {
			char want = 0;

			for (size_t k = 0; k < nmarks; k++)
				if (marks[k] == at + (long long)j)
					want = (char)('A' + k);
			if (got[j] != want)
				TEST_FAIL("byte at %lld: %02x, want %02x",
				    at + (long long)j, got[j] & 0xff,
				    want & 0xff);
		}
	}
	REQUIRE_EQ(rump_sys_pread(fd, &b, 1, size), 0);
	REQUIRE_EQ(o = rump_sys_lseek(fd, 4LL << 30, SEEK_DATA), 4LL << 30);
	REQUIRE_EQ(o = rump_sys_lseek(fd, 5, SEEK_HOLE), size);
	REQUIRE_ERRNO(rump_sys_lseek(fd, size, SEEK_DATA), ENXIO);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_STR(content(MNT "/after"), "after the huge one\n");
	umount_iso();
	remove_tree(dir);
	free(dir);
}

/* statvfs: the volume's blocks, nothing free. */
TESTCASE(statvfs_volume)
{
	char *dir, src[4200], img[4200];
	struct statvfs sv;
	struct stat st;

	if (!have_tool("xorriso -version"))
		return;
	dir = make_tmpdir("statvfs");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	put(src, "f", "x\n");
	run("xorriso -as mkisofs -quiet -R -o '%s' '%s' 2>/dev/null", img,
	    src);
	REQUIRE_OK(stat(img, &st));
	REQUIRE_OK(mount_iso(img, 0, 0));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bsize, 2048);
	REQUIRE_EQ(sv.f_blocks, st.st_size / 2048);
	REQUIRE_EQ(sv.f_bfree, 0);
	REQUIRE_EQ(sv.f_namemax, 255);
	umount_iso();
	remove_tree(dir);
	free(dir);
}

TESTS(CASE(xorriso_rr), CASE(genisoimage_rr), CASE(makefs_rr),
    CASE(joliet_only), CASE(iso_level1), CASE(mount_flags), CASE(read_only),
    CASE(stable_ino_cookies), CASE(eltorito), CASE(multisession),
    CASE(cd_multisession), CASE(tf_long_form), CASE(rrip_detection),
    CASE(multi_extent), CASE(statvfs_volume))
