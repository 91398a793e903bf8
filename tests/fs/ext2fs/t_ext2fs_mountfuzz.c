/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Seeded corruption through the VFS: real images with random bytes
 * overwritten (mostly where the image holds anything), each mounted
 * read-only as a block device,
 * walked with getdents64, lstat, open, read, readlink and the attribute
 * calls (the images carry attributes in inodes and in blocks, and ACLs),
 * and unmounted.  Every system call may fail, none may crash, hang (the
 * harness's time limit) or trip a sanitizer, and every case must
 * unmount.  The read-write cases mount the corrupt image read-write
 * (forced past an unclean state) and then change it: truncate, write,
 * rename, unlink and set attributes of files found by the walk, make and
 * remove files and
 * directories in the directories found; again errors, never a crash.
 * The seeds are fixed, so a failure reproduces.  The kernel's log lines
 * go to /dev/null.
 */
#define _GNU_SOURCE
#include <sys/param.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ext2img.h"

#define CASES TESTS_ROUNDS(300)
#define MNT "/mnt"
#define DEV "/dev/fuzzimg"
#define MAXDEPTH 24
#define MAXENTRIES 2000
#define FIXED_UUID "6a1c2f3e-8d4b-4e5f-9a0b-1c2d3e4f5a6b"

/*
 * Checks inside the cases, while stdout and stderr go to /dev/null: the
 * first failure is kept and reported once the output is back.
 */
static int fail_line, fail_errno;
#define FCHECK(e)                                                              \
	do {                                                                   \
		if (!(e) && fail_line == 0) {                                  \
			fail_line = __LINE__;                                  \
			fail_errno = errno;                                    \
		}                                                              \
	} while (0)

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define MAXKEEP 40

struct walk {
	long entries;
	long mounted, walked_ok;
	int nfiles, ndirs;
	char files[MAXKEEP][256], dirs[MAXKEEP][256];
	char buf[65536];
};

static void
keep(char (*list)[256], int *n, const char *path)
{
	if (*n < MAXKEEP && strlen(path) < 200)
		snprintf(list[(*n)++], 256, "%s", path);
}

static uint32_t
rnd(uint32_t *s)
{
	/* xorshift32: fixed sequences from a seed. */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Every attribute of path, by name from its list. */
static void
attrs(const char *path, struct walk *w)
{
	char list[1024];
	ssize_t n;

	if ((n = rump_sys_llistxattr(path, list, sizeof(list))) <= 0)
		return;
	for (ssize_t off = 0; off < n; off += (ssize_t)strnlen(list + off,
	    (size_t)(n - off)) + 1)
		(void)rump_sys_lgetxattr(path, list + off, w->buf,
		    sizeof(w->buf));
}

static void
poke(const char *path, struct walk *w)
{
	struct stat st;
	int fd;

	if (rump_sys_lstat(path, &st) != 0)
		return;
	attrs(path, w);
	if (S_ISLNK(st.st_mode))
		(void)rump_sys_readlink(path, w->buf, sizeof(w->buf));
	else if (S_ISREG(st.st_mode) &&
	    (fd = rump_sys_open(path, O_RDONLY, 0)) >= 0) {
		(void)rump_sys_read(fd, w->buf, sizeof(w->buf));
		(void)rump_sys_pread(fd, w->buf, 4096, st.st_size / 2);
		FCHECK(rump_sys_close(fd) == 0);
	}
}

/* Whether the walk met no error. */
static bool
walk_dir(const char *path, int depth, struct walk *w)
{
	char dbuf[1024], sub[4096];
	struct linux_dirent64 *d;
	ssize_t len = 0, off;
	bool ok = true;
	int fd;

	if (depth > MAXDEPTH ||
	    (fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0)) < 0)
		return false;
	while (w->entries < MAXENTRIES &&
	    (len = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (off = 0; off < len; off += d->d_reclen) {
			d = (struct linux_dirent64 *)(dbuf + off);
			FCHECK(d->d_reclen > 0 && off + d->d_reclen <= len);
			if (fail_line != 0)
				break;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
			    d->d_name) >= sizeof(sub))
				continue;
			w->entries++;
			poke(sub, w);
			if (d->d_type == DT_REG)
				keep(w->files, &w->nfiles, sub);
			if (d->d_type == DT_DIR) {
				keep(w->dirs, &w->ndirs, sub);
				ok &= walk_dir(sub, depth + 1, w);
			}
		}
	}
	if (len < 0)
		ok = false;
	FCHECK(rump_sys_close(fd) == 0);
	return ok;
}

/* Change what the walk found; every call may fail. */
static void
scribble(struct walk *w)
{
	char p[512];
	int fd;

	memset(w->buf, 'w', 20000);
	for (int i = 0; i < w->nfiles; i++) {
		const char *f = w->files[i];

		(void)rump_sys_setxattr(f, "user.scribble", w->buf, 100 +
		    (size_t)i * 37 % 3000, 0);
		(void)rump_sys_removexattr(f, "user.a");
		switch (i % 4) {
		case 0:
			(void)rump_sys_truncate(f, 1000);
			break;
		case 1:
			if ((fd = rump_sys_open(f, O_WRONLY | O_APPEND, 0)) >= 0) {
				(void)rump_sys_write(fd, w->buf, 20000);
				FCHECK(rump_sys_close(fd) == 0);
			}
			break;
		case 2:
			snprintf(p, sizeof(p), "%s.moved", f);
			(void)rump_sys_rename(f, p);
			break;
		default:
			(void)rump_sys_unlink(f);
			break;
		}
	}
	for (int i = 0; i < w->ndirs; i++) {
		snprintf(p, sizeof(p), "%s/new", w->dirs[i]);
		if ((fd = rump_sys_open(p, O_WRONLY | O_CREAT, 0644)) >= 0) {
			(void)rump_sys_write(fd, w->buf, 5000);
			FCHECK(rump_sys_close(fd) == 0);
		}
		snprintf(p, sizeof(p), "%s/newdir", w->dirs[i]);
		(void)rump_sys_mkdir(p, 0755);
		(void)rump_sys_rename(p, MNT "/moveddir");
		(void)rump_sys_rmdir(MNT "/moveddir");
		(void)rump_sys_rmdir(w->dirs[i]);
	}
	for (int i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), MNT "/top%d", i);
		if ((fd = rump_sys_open(p, O_WRONLY | O_CREAT, 0644)) >= 0) {
			(void)rump_sys_pwrite(fd, w->buf, 20000, i * 70000);
			FCHECK(rump_sys_close(fd) == 0);
		}
		(void)rump_sys_symlink(w->buf + 19000 - i * 40, p);
	}
}

/*
 * Overwrite bytes of the good image into the bad one: three in four in
 * the 1 KiB chunks that are not all zeros (metadata, directories, file
 * data; not the never-used parts of the image), the rest anywhere.
 */
static void
corrupt(const unsigned char *good, const uint32_t *used, size_t nused,
    const char *bad, size_t size, uint32_t *seed, int flips)
{
	static unsigned char img[8 << 20];
	size_t off;
	int fd;

	memcpy(img, good, size);
	for (int i = 0; i < flips; i++) {
		if (rnd(seed) % 4 != 0)
			off = (size_t)used[rnd(seed) % nused] * 1024 +
			    rnd(seed) % 1024;
		else
			off = rnd(seed) % size;
		img[off] = (unsigned char)rnd(seed);
	}
	REQUIRE_OK(fd = open(bad, O_WRONLY));
	REQUIRE_EQ(pwrite(fd, img, size, 0), (ssize_t)size);
	close(fd);
}

/* The image in memory, and its chunks that hold anything. */
static unsigned char *
load_image(const char *path, size_t *sizep, uint32_t **usedp, size_t *nusedp)
{
	static const unsigned char zero[1024];
	unsigned char *img;
	struct stat st;
	size_t n = 0;
	uint32_t *used;
	int fd;

	REQUIRE_OK(fd = open(path, O_RDONLY));
	REQUIRE_OK(fstat(fd, &st));
	REQUIRE(st.st_size > 0 && st.st_size <= (8 << 20) &&
	    st.st_size % 1024 == 0);
	REQUIRE((img = malloc((size_t)st.st_size)) != NULL);
	REQUIRE_EQ(pread(fd, img, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	REQUIRE((used = malloc((size_t)st.st_size / 1024 *
	    sizeof(*used))) != NULL);
	for (size_t c = 0; c < (size_t)st.st_size / 1024; c++)
		if (memcmp(img + c * 1024, zero, 1024) != 0)
			used[n++] = (uint32_t)c;
	REQUIRE(n > 0);
	*sizep = (size_t)st.st_size;
	*usedp = used;
	*nusedp = n;
	return img;
}

/*
 * Attributes for the damage to reach: small ones in the inodes, big
 * ones in attribute blocks, ACLs (debugfs takes them in Linux's form and
 * writes ext4's); with ea_inode, values in EA inodes too.
 */
static void
add_attrs(const char *dir, const char *img, bool eainode)
{
	static const unsigned char acl[] = { 2, 0, 0, 0, 1, 0, 6, 0, 0xff,
		0xff, 0xff, 0xff, 2, 0, 6, 0, 0xe8, 3, 0, 0, 4, 0, 4, 0, 0xff,
		0xff, 0xff, 0xff, 0x10, 0, 6, 0, 0xff, 0xff, 0xff, 0xff, 0x20,
		0, 4, 0, 0xff, 0xff, 0xff, 0xff };
	static const char *const paths[] = { "/", "/files", "/files/f_0",
		"/files/f_1", "/files/f_4096", "/files/y2100", "/sparse" };
	char cmd[9000], path[4200];
	FILE *f;

	PATHF(path, "%s/acl", dir);
	REQUIRE((f = fopen(path, "w")) != NULL);
	REQUIRE(fwrite(acl, 1, sizeof(acl), f) == sizeof(acl));
	REQUIRE(fclose(f) == 0);
	PATHF(path, "%s/big", dir);
	REQUIRE((f = fopen(path, "w")) != NULL);
	for (int i = 0; i < 700; i++)
		fputc('a' + i % 26, f);
	REQUIRE(fclose(f) == 0);
	PATHF(path, "%s/huge", dir);
	REQUIRE((f = fopen(path, "w")) != NULL);
	for (int i = 0; i < 5000; i++)
		fputc('A' + i % 23, f);
	REQUIRE(fclose(f) == 0);
	PATHF(path, "%s/attrs.debugfs", dir);
	REQUIRE((f = fopen(path, "w")) != NULL);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		fprintf(f, "ea_set %s user.a v%zu\nea_set -f %s/big %s "
		    "user.big\nea_set -f %s/acl %s system.posix_acl_access\n",
		    paths[i], i, dir, paths[i], dir, paths[i]);
		if (eainode)
			fprintf(f, "ea_set -f %s/huge %s user.huge\n", dir,
			    paths[i]);
	}
	REQUIRE(fclose(f) == 0);
	PATHF(cmd, "debugfs -w -f '%s' '%s' >/dev/null 2>&1 && "
	    "debugfs -R 'ea_list /files/f_0' '%s' 2>/dev/null | "
	    "grep -q posix_acl_access", path, img, img);
	REQUIRE_EQ(system(cmd), 0);
}

static void
fuzz_n(const char *tag, const char *mkfs, uint32_t seed, bool rw, int cases)
{
	struct tree_opts o = { 300, false };
	struct ext2fs_args args = { .fspec = (char *)DEV,
		.flags = EXT2FS_ARGS_FORCE };
	char *dir, src[4200], good[4200], bad[4200], cmd[9000];
	unsigned char *img;
	uint32_t *used;
	size_t size, nused;
	struct walk *w;
	int out, err, devnull, c;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir(tag);
	PATHF(src, "%s/src", dir);
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, &o);
	PATHF(good, "%s/good.img", dir);
	PATHF(bad, "%s/bad.img", dir);
	/*
	 * A fixed uuid, hash seed and clock, so that the image is the same
	 * each run.
	 */
	REQUIRE_OK(setenv("E2FSPROGS_FAKE_TIME", "1600000000", 1));
	PATHF(cmd, "%s -U " FIXED_UUID " -E hash_seed=" FIXED_UUID, mkfs);
	make_image(good, src, cmd, "8M",
	    "e2fsck -fyD '%s' >/dev/null 2>&1; test $? -le 1");
	add_attrs(dir, good, strstr(mkfs, "ea_inode") != NULL);
	PATHF(cmd, "cp '%s' '%s'", good, bad);
	REQUIRE_EQ(system(cmd), 0);
	img = load_image(good, &size, &used, &nused);
	REQUIRE((w = calloc(1, sizeof(*w))) != NULL);
	REQUIRE_EQ(rump_pub_etfs_register(DEV, bad, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));

	fflush(stdout);
	REQUIRE_OK(out = dup(1));
	REQUIRE_OK(err = dup(2));
	REQUIRE_OK(devnull = open("/dev/null", O_WRONLY));
	REQUIRE_OK(dup2(devnull, 1));
	REQUIRE_OK(dup2(devnull, 2));
	for (c = 0; c < cases && fail_line == 0; c++) {
		corrupt(img, used, nused, bad, size, &seed, 1 << (c % 7));
		if (rump_sys_mount("ext2fs", MNT, rw ? 0 : MS_RDONLY, &args,
		    sizeof(args)) != 0)
			continue;
		w->mounted++;
		w->entries = 0;
		w->nfiles = w->ndirs = 0;
		if (walk_dir(MNT, 0, w))
			w->walked_ok++;
		if (rw)
			scribble(w);
		FCHECK(rump_sys_unmount(MNT, 0) == 0);
	}
	fflush(stdout);
	REQUIRE_OK(dup2(out, 1));
	REQUIRE_OK(dup2(err, 2));
	close(devnull);
	close(out);
	close(err);
	if (fail_line != 0)
		TEST_FAIL("%s: case %d: the check at line %d failed, errno %d "
		    "(%s)", tag, c - 1, fail_line, fail_errno,
		    strerror(fail_errno));
	printf("%s: %d cases, %ld mounted, %ld walked without an error\n",
	    tag, cases, w->mounted, w->walked_ok);
	/* The corruption must leave some images usable, or it tests little. */
	REQUIRE(w->mounted > 0);
	free(w);
	free(img);
	free(used);
	remove_tree(dir);
	free(dir);
}

static void
fuzz(const char *tag, const char *mkfs, uint32_t seed, bool rw)
{
	fuzz_n(tag, mkfs, seed, rw, CASES);
}

TESTCASE(ext2_1k)
{
	fuzz("vfuzz_ext2_1k", "-t ext2 -b 1024 -I 256", 101, false);
}
TESTCASE(ext3_2k) { fuzz("vfuzz_ext3_2k", "-t ext3 -b 2048", 202, false); }
TESTCASE(ext4_4k) { fuzz("vfuzz_ext4_4k", "-t ext4 -b 4096", 303, false); }
TESTCASE(rw_ext2_1k)
{
	fuzz("vfuzz_rw_ext2_1k", "-t ext2 -b 1024 -I 256", 404, true);
}
TESTCASE(rw_ext2_4k)
{
	fuzz("vfuzz_rw_ext2_4k", "-t ext2 -b 4096 -I 128", 505, true);
}
TESTCASE(rw_ext3_2k)
{
	fuzz("vfuzz_rw_ext3_2k", "-t ext3 -b 2048", 606, true);
}

/* ext4 written: without metadata_csum the damage reaches the writer. */
TESTCASE(rw_ext4_2k)
{
	fuzz("vfuzz_rw_ext4_2k", "-t ext4 -b 2048 -O ^metadata_csum", 707,
	    true);
}

/* Values in EA inodes, read and rewritten (fewer rounds: suite time). */
TESTCASE(rw_ext4_eainode_1k)
{
	fuzz_n("vfuzz_rw_ext4_ea_1k", "-t ext4 -b 1024 -I 256 -O "
	    "ea_inode,^metadata_csum", 808, true, TESTS_ROUNDS(120));
}

TESTS(CASE(ext2_1k), CASE(ext3_2k), CASE(ext4_4k), CASE(rw_ext2_1k),
    CASE(rw_ext2_4k), CASE(rw_ext3_2k), CASE(rw_ext4_2k),
    CASE(rw_ext4_eainode_1k))
