/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs through the VFS: images made by mke2fs -t ext2/ext3/ext4 -d
 * from the generated tree, registered as a block device and mounted
 * read-only, must read back equal to the tree through the system calls
 * (getdents64, lstat, open, read, readlink): bytes, mode, owner, size,
 * link count, mtime and symlink targets.  Writes are EROFS, a
 * read-write mount is EROFS, statvfs agrees with dumpe2fs and a bad
 * superblock is EINVAL.  A directory entry whose name holds '/' or NUL
 * is corruption: EIO and one log line.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ext2img.h"

#define MNT "/mnt"
#define DEV "/dev/ext2img"
#define BUFSZ (1 << 20)

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct verify {
	const char *src;
	bool nsec;                      /* inodes hold nanoseconds */
	long entries;
	unsigned char *a, *b;
};

static void
mount_image(const char *img, int flags, int expect)
{
	struct ufs_args args = { .fspec = (char *)DEV };
	int rv;

	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	rv = rump_sys_mount("ext2fs", MNT, flags, &args, sizeof(args));
	if (expect == 0)
		REQUIRE_EQ(rv, 0);
	else {
		REQUIRE_EQ(rv, -1);
		REQUIRE_EQ(errno, expect);
	}
}

static void
check_file(struct verify *v, const char *rel, const char *host, off_t size)
{
	char path[4200];
	off_t off;
	ssize_t n, m;
	int fd, rfd;

	PATHF(path, MNT "%s", rel);
	REQUIRE_OK(fd = open(host, O_RDONLY));
	REQUIRE_OK(rfd = rump_sys_open(path, O_RDONLY, 0));
	for (off = 0; off < size; off += n) {
		REQUIRE_OK(n = rump_sys_read(rfd, v->a, BUFSZ));
		REQUIRE_OK(m = pread(fd, v->b, BUFSZ, off));
		if (n != m || memcmp(v->a, v->b, (size_t)n) != 0)
			TEST_FAIL("%s: bytes differ in %lld+%zd", rel,
			    (long long)off, n);
		REQUIRE(n > 0);
	}
	REQUIRE_EQ(rump_sys_read(rfd, v->a, 10), 0);
	/* Unaligned, across blocks. */
	if (size > 3) {
		off = size / 3 + 1;
		REQUIRE_OK(n = rump_sys_pread(rfd, v->a, 5000, off));
		REQUIRE_EQ(n, size - off < 5000 ? size - off : 5000);
		REQUIRE_EQ(pread(fd, v->b, (size_t)n, off), n);
		if (memcmp(v->a, v->b, (size_t)n) != 0)
			TEST_FAIL("%s: bytes differ at %lld", rel, (long long)off);
	}
	REQUIRE_OK(rump_sys_close(rfd));
	close(fd);
}

static void
check_entry(struct verify *v, const char *rel, const char *host,
    const struct stat *st)
{
	char path[4200], t1[4096], t2[4096];
	struct stat rs;
	ssize_t l1, l2;

	PATHF(path, MNT "%s", rel);
	REQUIRE_OK(rump_sys_lstat(path, &rs));
	if (rs.st_mode != st->st_mode)
		TEST_FAIL("%s: mode 0%o, expected 0%o", rel, rs.st_mode,
		    st->st_mode);
	if (rs.st_uid != st->st_uid || rs.st_gid != st->st_gid)
		TEST_FAIL("%s: owner %u:%u, expected %u:%u", rel, rs.st_uid,
		    rs.st_gid, st->st_uid, st->st_gid);
	if (rs.st_mtim.tv_sec != (v->nsec ? st->st_mtim.tv_sec :
	    (int32_t)st->st_mtim.tv_sec) ||
	    rs.st_mtim.tv_nsec != (v->nsec ? st->st_mtim.tv_nsec : 0))
		TEST_FAIL("%s: mtime %lld.%09ld, expected %lld.%09ld", rel,
		    (long long)rs.st_mtim.tv_sec, rs.st_mtim.tv_nsec,
		    (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	if (S_ISDIR(st->st_mode))
		return;
	REQUIRE_EQ(rs.st_nlink, st->st_nlink);
	REQUIRE_EQ(rs.st_size, st->st_size);
	if (S_ISREG(st->st_mode))
		check_file(v, rel, host, st->st_size);
	else if (S_ISLNK(st->st_mode)) {
		REQUIRE_OK(l1 = readlink(host, t1, sizeof(t1)));
		REQUIRE_OK(l2 = rump_sys_readlink(path, t2, sizeof(t2)));
		if (l1 != l2 || memcmp(t1, t2, (size_t)l1) != 0)
			TEST_FAIL("%s: target differs", rel);
	} else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		REQUIRE_EQ(rs.st_rdev, st->st_rdev);
}

/* The tree from the host side: each entry must be in the mount. */
static void
walk_src(struct verify *v, const char *rel)
{
	char host[4096], sub[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;

	PATHF(host, "%s%s", v->src, rel);
	REQUIRE((d = opendir(host)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		PATHF(sub, "%s/%s", rel, de->d_name);
		PATHF(host, "%s%s", v->src, sub);
		REQUIRE_OK(lstat(host, &st));
		check_entry(v, sub, host, &st);
		v->entries++;
		if (S_ISDIR(st.st_mode))
			walk_src(v, sub);
	}
	closedir(d);
}

/*
 * The mount through getdents64 (a small buffer, so that the cookies are
 * used): each record must be in the tree with the type and inode number
 * lstat gives, and a directory's link count is 2 + its subdirectories.
 */
static long
walk_mount(struct verify *v, const char *rel)
{
	char path[4200], sub[4096], host[4200], buf[600];
	struct linux_dirent64 *d;
	struct stat st, rs;
	long n = 0, subdirs = 0;
	bool dot = false, dotdot = false;
	ssize_t len, off;
	int fd;

	PATHF(path, MNT "%s", rel);
	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	while ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < len; off += d->d_reclen) {
			d = (struct linux_dirent64 *)(buf + off);
			if (strcmp(d->d_name, ".") == 0) {
				dot = true;
				continue;
			}
			if (strcmp(d->d_name, "..") == 0) {
				dotdot = true;
				continue;
			}
			if (*rel == '\0' && strcmp(d->d_name, "lost+found") == 0)
				continue;
			PATHF(sub, "%s/%s", rel, d->d_name);
			PATHF(host, "%s%s", v->src, sub);
			if (lstat(host, &st) != 0)
				TEST_FAIL("%s: in the image, not in the tree", sub);
			PATHF(path, MNT "%s", sub);
			REQUIRE_OK(rump_sys_lstat(path, &rs));
			REQUIRE_EQ(rs.st_ino, d->d_ino);
			if (d->d_type != DT_UNKNOWN &&
			    (mode_t)DTTOIF(d->d_type) != (st.st_mode & S_IFMT))
				TEST_FAIL("%s: d_type %u, mode 0%o", sub,
				    d->d_type, st.st_mode);
			n++;
			if (S_ISDIR(st.st_mode)) {
				subdirs++;
				n += walk_mount(v, sub);
			}
		}
	}
	REQUIRE_EQ(len, 0);
	REQUIRE(dot && dotdot);
	REQUIRE_OK(rump_sys_close(fd));
	PATHF(path, MNT "%s", rel);
	REQUIRE_OK(rump_sys_lstat(path, &rs));
	if (*rel != '\0')
		REQUIRE_EQ(rs.st_nlink, 2 + subdirs);
	return n;
}

/* A "Name:  value" line of dumpe2fs -h. */
static unsigned long long
dumpe2fs_field(const char *img, const char *field)
{
	char cmd[4300], line[512];
	unsigned long long val = 0;
	bool found = false;
	FILE *f;

	PATHF(cmd, "dumpe2fs -h '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, strlen(field)) == 0 &&
		    line[strlen(field)] == ':') {
			val = strtoull(line + strlen(field) + 1, NULL, 10);
			found = true;
		}
	pclose(f);
	if (!found)
		TEST_FAIL("dumpe2fs: no \"%s\"", field);
	return val;
}

static void
check_statvfs(const char *img)
{
	struct statvfs sv;

	struct statvfs lsv;

	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bsize, dumpe2fs_field(img, "Block size"));
	/* f_blocks leaves the metadata out, as Linux's does. */
	REQUIRE(sv.f_blocks < (fsblkcnt_t)dumpe2fs_field(img, "Block count"));
	if (linux_statvfs(img, &lsv)) {
		REQUIRE_EQ(sv.f_blocks, lsv.f_blocks);
		REQUIRE_EQ(sv.f_bfree, lsv.f_bfree);
		REQUIRE_EQ(sv.f_bavail, lsv.f_bavail);
		REQUIRE_EQ(sv.f_files, lsv.f_files);
		REQUIRE_EQ(sv.f_ffree, lsv.f_ffree);
	}
	REQUIRE_EQ(sv.f_bfree, dumpe2fs_field(img, "Free blocks"));
	/* Linux's ext4 keeps 2% (at most 4096 blocks) back on extent images. */
	REQUIRE_EQ(sv.f_bfree - sv.f_bavail,
	    dumpe2fs_field(img, "Reserved block count") +
	    (strstr(img, "ext4") != NULL ?
	    MIN(dumpe2fs_field(img, "Block count") * 2 / 100, 4096) : 0));
	REQUIRE_EQ(sv.f_files, dumpe2fs_field(img, "Inode count"));
	REQUIRE_EQ(sv.f_ffree, dumpe2fs_field(img, "Free inodes"));
	REQUIRE_EQ(sv.f_namemax, 255);
	REQUIRE(sv.f_flag & ST_RDONLY);
}

/*
 * Nothing may change a read-only mount.  A remount read-write works
 * (every configuration here may be written) and back to read-only.
 */
static void
check_erofs(void)
{
	REQUIRE_ERRNO(rump_sys_open(MNT "/files/f_1", O_WRONLY, 0), EROFS);
	REQUIRE_ERRNO(rump_sys_open(MNT "/newfile", O_WRONLY | O_CREAT, 0644),
	    EROFS);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/newdir", 0755), EROFS);
	REQUIRE_ERRNO(rump_sys_unlink(MNT "/files/f_1"), EROFS);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/files/f_1", MNT "/f1"), EROFS);
	REQUIRE_ERRNO(rump_sys_chmod(MNT "/files/f_1", 0600), EROFS);
	REQUIRE_ERRNO(rump_sys_symlink("x", MNT "/sl"), EROFS);
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_REMOUNT, NULL, 0));
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_REMOUNT | MS_RDONLY, NULL,
	    0));
}

struct config {
	const char *name;
	const char *mkfs;
	bool nsec;
};

static const struct config configs[] = {
	{ "ext2_1k", "-t ext2 -b 1024 -I 128", false },
	{ "ext3_2k", "-t ext3 -b 2048 -I 256", true },
	{ "ext4_4k", "-t ext4 -b 4096", true },
	{ "ext4_1k", "-t ext4 -b 1024 -I 256", true },
};

static void
run_config(const struct config *c)
{
	struct tree_opts o = { 3000, true };
	struct verify v = { 0 };
	char img[4200];
	char *dir, *src;
	long n;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir(c->name);
	if (asprintf(&src, "%s/src", dir) < 0)
		TEST_FAIL("asprintf");
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, &o);
	PATHF(img, "%s/fs.img", dir);
	make_image(img, src, c->mkfs, "96M",
	    "e2fsck -fyD '%s' >/dev/null 2>&1; test $? -le 1");
	if (c->nsec)
		stamp_nsec(img, src);

	mount_image(img, MS_RDONLY, 0);
	v.src = src;
	v.nsec = c->nsec;
	REQUIRE((v.a = malloc(BUFSZ)) != NULL && (v.b = malloc(BUFSZ)) != NULL);
	walk_src(&v, "");
	n = walk_mount(&v, "");
	if (n != v.entries)
		TEST_FAIL("%ld records in the mount, %ld entries in the tree",
		    n, v.entries);
	REQUIRE_ERRNO(rump_sys_open(MNT "/files/nonexistent", O_RDONLY, 0),
	    ENOENT);
	REQUIRE_ERRNO(rump_sys_open(MNT "/files/f_1/x", O_RDONLY, 0), ENOTDIR);
	check_statvfs(img);
	check_erofs();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	/* The device is free again: it mounts a second time. */
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_RDONLY,
	    &(struct ufs_args){ .fspec = (char *)DEV },
	    sizeof(struct ufs_args)));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	printf("%s: %ld entries equal\n", c->name, n);
	free(v.a);
	free(v.b);
	remove_tree(dir);
	free(src);
	free(dir);
}

TESTCASE(ext2_1k) { run_config(&configs[0]); }
TESTCASE(ext3_2k) { run_config(&configs[1]); }
TESTCASE(ext4_4k) { run_config(&configs[2]); }
TESTCASE(ext4_1k) { run_config(&configs[3]); }

/*
 * Threads reading the same files at once (the device reads meet in the
 * buffer cache), then a forced unmount under an open file: its reads
 * are EIO, and closing it is fine.
 */
#define NTHREADS 4

struct reader {
	const char *src;
	int t;
};

static void *
reader(void *arg)
{
	struct reader *r = arg;
	static const char *const names[] = { "f_4097", "f_65536", "f_100000",
		"f_270000", "f_300000", "f_12289" };
	char path[4200], host[4200];
	unsigned char *a, *b;
	ssize_t n;
	int fd, hfd;
	void *rv = NULL;

	if (rump_pub_lwproc_newlwp(1) != 0)
		return (void *)1;
	if ((a = malloc(300000)) == NULL || (b = malloc(300000)) == NULL)
		return (void *)2;
	for (int round = 0; round < 20 && rv == NULL; round++) {
		const char *nm = names[(round + r->t) % 6];

		snprintf(path, sizeof(path), MNT "/files/%s", nm);
		snprintf(host, sizeof(host), "%s/files/%s", r->src, nm);
		if ((fd = rump_sys_open(path, O_RDONLY, 0)) < 0 ||
		    (hfd = open(host, O_RDONLY)) < 0) {
			rv = (void *)3;
			break;
		}
		n = rump_sys_read(fd, a, 300000);
		if (n <= 0 || pread(hfd, b, 300000, 0) != n ||
		    memcmp(a, b, (size_t)n) != 0)
			rv = (void *)4;
		rump_sys_close(fd);
		close(hfd);
	}
	free(a);
	free(b);
	rump_pub_lwproc_releaselwp();
	return rv;
}

TESTCASE(concurrent_reads_forced_unmount)
{
	struct tree_opts o = { 100, false };
	struct reader r[NTHREADS];
	pthread_t th[NTHREADS];
	char img[4200], buf[16];
	char *dir, *src;
	void *rv;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir("conc");
	if (asprintf(&src, "%s/src", dir) < 0)
		TEST_FAIL("asprintf");
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, &o);
	PATHF(img, "%s/fs.img", dir);
	make_image(img, src, "-t ext4 -b 1024", "16M", NULL);
	mount_image(img, MS_RDONLY, 0);
	for (int t = 0; t < NTHREADS; t++) {
		r[t].src = src;
		r[t].t = t;
		REQUIRE_EQ(pthread_create(&th[t], NULL, reader, &r[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++) {
		REQUIRE_EQ(pthread_join(th[t], &rv), 0);
		REQUIRE_EQ((intptr_t)rv, 0);
	}
	REQUIRE_OK(fd = rump_sys_open(MNT "/files/f_4097", O_RDONLY, 0));
	REQUIRE_ERRNO(rump_sys_unmount(MNT, 0), EBUSY);
	REQUIRE_OK(rump_sys_unmount(MNT, MNT_FORCE));
	REQUIRE_ERRNO(rump_sys_read(fd, buf, sizeof(buf)), EIO);
	REQUIRE_OK(rump_sys_close(fd));
	remove_tree(dir);
	free(src);
	free(dir);
}

/* Small image helpers for the refusal cases. */
static char *
small_image(const char *tag, char *img, size_t len)
{
	char cmd[4300];
	char *dir = make_tmpdir(tag);

	if ((size_t)snprintf(img, len, "%s/fs.img", dir) >= len)
		TEST_FAIL("path too long");
	PATHF(cmd, "mke2fs -q -F -t ext2 '%s' 4M >/dev/null", img);
	REQUIRE_EQ(system(cmd), 0);
	return dir;
}

TESTCASE(rw_mount_erofs)
{
	char img[4200], cmd[4400];
	char *dir;

	if (!have_e2fsprogs())
		return;
	dir = small_image("rw", img, sizeof(img));
	PATHF(cmd, "tune2fs -O quota '%s' >/dev/null 2>&1", img);
	REQUIRE_EQ(system(cmd), 0);
	mount_image(img, 0, EROFS);
	remove_tree(dir);
	free(dir);
}

TESTCASE(bad_magic_einval)
{
	char img[4200], cmd[4400];
	char *dir;

	if (!have_e2fsprogs())
		return;
	dir = small_image("magic", img, sizeof(img));
	/* s_magic is at 1024 + 0x38. */
	PATHF(cmd, "printf '\\0\\0' | dd of='%s' bs=1 seek=1080 "
	    "conv=notrunc status=none", img);
	REQUIRE_EQ(system(cmd), 0);
	mount_image(img, MS_RDONLY, EINVAL);
	remove_tree(dir);
	free(dir);
}

TESTCASE(bad_args)
{
	char img[4200];
	struct ufs_args args = { .fspec = (char *)"/nonexistent" };
	char *dir;

	if (!have_e2fsprogs())
		return;
	dir = small_image("args", img, sizeof(img));
	mount_image(img, MS_RDONLY, 0);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	REQUIRE_ERRNO(rump_sys_mount("ext2fs", MNT, MS_RDONLY, &args, 1),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_mount("ext2fs", MNT, MS_RDONLY, NULL, 0),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_mount("ext2fs", MNT, MS_RDONLY, &args,
	    sizeof(args)), ENOENT);
	remove_tree(dir);
	free(dir);
}

/*
 * Overwrite the one place the bytes from are in the file img with to (as
 * long): that offset.
 */
static long
patch_bytes(const char *img, const char *from, const char *to, size_t len)
{
	struct stat st;
	char *buf, *p, *q;
	long off;
	int fd;

	REQUIRE_OK(fd = open(img, O_RDWR));
	REQUIRE_OK(fstat(fd, &st));
	REQUIRE((buf = malloc((size_t)st.st_size)) != NULL);
	REQUIRE_EQ(pread(fd, buf, (size_t)st.st_size, 0), st.st_size);
	p = memmem(buf, (size_t)st.st_size, from, len);
	REQUIRE(p != NULL);
	q = memmem(p + 1, (size_t)st.st_size - (size_t)(p + 1 - buf), from,
	    len);
	REQUIRE(q == NULL);
	off = p - buf;
	REQUIRE_EQ(pwrite(fd, to, len, off), (ssize_t)len);
	close(fd);
	free(buf);
	return off;
}

/*
 * getdents64 of directory path must be EIO, saying on stderr (the
 * kernel's console) exactly the line want.
 */
static void
getdents_eio(const char *path, const char *want)
{
	char buf[4096], log[1024];
	FILE *f;
	int fd, saved;
	size_t n;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	REQUIRE((f = tmpfile()) != NULL);
	fflush(stderr);
	REQUIRE_OK(saved = dup(2));
	REQUIRE_OK(dup2(fileno(f), 2));
	errno = 0;
	n = (size_t)rump_sys_getdents64(fd, buf, sizeof(buf));
	REQUIRE_EQ(n, (size_t)-1);
	REQUIRE_EQ(errno, EIO);
	REQUIRE_OK(dup2(saved, 2));
	close(saved);
	rewind(f);
	n = fread(log, 1, sizeof(log) - 1, f);
	log[n] = '\0';
	fclose(f);
	if (strcmp(log, want) != 0)
		TEST_FAIL("%s: log '%s', expected '%s'", path, log, want);
	REQUIRE_OK(rump_sys_close(fd));
}

/*
 * Names with '/' or NUL, written over sound ones (same length): the
 * directory block is corrupt, so its listing and its lookups are EIO;
 * the rest of the file system reads on.
 */
TESTCASE(bad_name_eio)
{
	char img[4200], cmd[8600], src[4200], want[512], buf[4096];
	struct stat st;
	long offd, offe;
	uint32_t nblocks;
	char *dir;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir("name");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/fs.img", dir);
	PATHF(cmd, "mkdir -p '%s/d' '%s/e' && echo a > '%s/d/aaaa' && "
	    "echo ok > '%s/d/ok' && echo b > '%s/e/bbbb' && "
	    "mke2fs -q -F -t ext2 -b 1024 -d '%s' '%s' 2M >/dev/null", src,
	    src, src, src, src, src, img);
	REQUIRE_EQ(system(cmd), 0);
	offd = patch_bytes(img, "aaaa", "../a", 4);
	offe = patch_bytes(img, "bbbb", "b\0bb", 4);
	REQUIRE_OK(fd = open(img, O_RDONLY));
	REQUIRE_EQ(pread(fd, &nblocks, 4, 1024 + 4), 4);       /* le */
	close(fd);
	mount_image(img, MS_RDONLY, 0);

	REQUIRE_OK(rump_sys_lstat(MNT "/d", &st));
	/* The record's header is 8 bytes before its name. */
	PATHF(want, "rump kernel error: ext2fs: corrupt file system (%u "
	    "blocks): directory %u block 0: record at %ld: '/' or NUL in "
	    "the name\n", nblocks, (unsigned)st.st_ino, (offd - 8) % 1024);
	getdents_eio(MNT "/d", want);
	REQUIRE_ERRNO(rump_sys_lstat(MNT "/d/ok", &st), EIO);

	REQUIRE_OK(rump_sys_lstat(MNT "/e", &st));
	PATHF(want, "rump kernel error: ext2fs: corrupt file system (%u "
	    "blocks): directory %u block 0: record at %ld: '/' or NUL in "
	    "the name\n", nblocks, (unsigned)st.st_ino, (offe - 8) % 1024);
	getdents_eio(MNT "/e", want);
	REQUIRE_ERRNO(rump_sys_lstat(MNT "/e/b", &st), EIO);

	/* The root is sound. */
	REQUIRE_OK(fd = rump_sys_open(MNT, O_RDONLY | O_DIRECTORY, 0));
	REQUIRE(rump_sys_getdents64(fd, buf, sizeof(buf)) > 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	remove_tree(dir);
	free(dir);
}

TESTS(CASE(ext2_1k), CASE(ext3_2k), CASE(ext4_4k), CASE(ext4_1k),
    CASE(concurrent_reads_forced_unmount), CASE(rw_mount_erofs),
    CASE(bad_magic_einval), CASE(bad_args), CASE(bad_name_eio))
