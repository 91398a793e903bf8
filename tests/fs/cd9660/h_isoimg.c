/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Test trees and ISO images: see h_isoimg.h. */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h_macros.h"
#include "h_isoimg.h"

static const char *const sbin_path =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool
have_tool(const char *cmd)
{
	char buf[512];

	setenv("PATH", sbin_path, 1);
	snprintf(buf, sizeof(buf), "%s >/dev/null 2>&1", cmd);
	if (system(buf) != 0) {
		printf("skipped: '%s' does not run (not installed?)\n", cmd);
		return false;
	}
	return true;
}

char *
make_tmpdir(const char *tag)
{
	const char *t = getenv("TMPDIR");
	char *p;

	if (asprintf(&p, "%s/isot-%s-XXXXXX", t != NULL ? t : "/tmp", tag) < 0)
		TEST_FAIL("asprintf");
	if (mkdtemp(p) == NULL)
		TEST_FAIL("mkdtemp %s: %s", p, strerror(errno));
	return p;
}

void
run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int rv;

	va_start(ap, fmt);
	if ((size_t)vsnprintf(cmd, sizeof(cmd), fmt, ap) >= sizeof(cmd))
		TEST_FAIL("command too long");
	va_end(ap);
	setenv("PATH", sbin_path, 1);
	if ((rv = system(cmd)) != 0)
		TEST_FAIL("'%s' failed (%d)", cmd, rv);
}

unsigned char
file_byte(const char *name, unsigned long long off)
{
	unsigned h = 2166136261u;

	for (const char *p = name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h ^= (unsigned)(off * 2654435761u) ^ (unsigned)(off >> 13);
	return (unsigned char)(h ^ h >> 8 ^ h >> 16);
}

static void
mkfile(const char *dir, const char *name, unsigned long long size,
    mode_t mode)
{
	unsigned char buf[8192];
	char path[4096];
	unsigned long long off = 0;
	int fd;

	PATHF(path, "%s/%s", dir, name);
	REQUIRE_OK(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	while (off < size) {
		size_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = file_byte(name, off + i);
		REQUIRE_EQ(write(fd, buf, n), (long long)n);
		off += n;
	}
	close(fd);
	REQUIRE_OK(chmod(path, mode));
}

static void
mkdirp(const char *dir, const char *name, mode_t mode)
{
	char path[4096];

	PATHF(path, "%s/%s", dir, name);
	REQUIRE_OK(mkdir(path, mode));
	REQUIRE_OK(chmod(path, mode));
}

void
make_tree(const char *dir, const struct tree_opts *o)
{
	char path[4096], name[300];

	mkfile(dir, "empty", 0, 0644);
	mkfile(dir, "small.txt", 100, 0640);
	mkfile(dir, "sector", 2048, 0600);
	if (!o->nobig)
		mkfile(dir, "big.bin", 3 * 1024 * 1024 + 17, 0755);
	/* Read through the file's own 64 KiB buffers, tail and all. */
	mkfile(dir, "mid.bin", 300001, 0644);
	mkfile(dir, "h\xc3\xa9llo_w\xc3\xb6rld_\xe6\x97\xa5\xe6\x9c\xac.txt",
	    333, 0644);
	mkfile(dir, "UPPER lower.Mixed", 5, 0444);
	mkdirp(dir, "sub", 0755);
	mkfile(dir, "sub/inner", 4097, 01755);
	mkdirp(dir, "sub/empty dir", 0700);
	if (o->longnames) {
		memset(name, 'L', 200);
		name[200] = '\0';
		mkfile(dir, name, 77, 0644);
		memset(name, 'd', 120);
		name[120] = '\0';
		mkdirp(dir, name, 0755);
	}
	/* Deep: 12 levels. */
	PATHF(path, "deep");
	mkdirp(dir, path, 0755);
	for (int i = 1; i <= 12; i++) {
		size_t l = strlen(path);

		snprintf(path + l, sizeof(path) - l, "/level%d", i);
		mkdirp(dir, path, 0755);
	}
	{
		size_t l = strlen(path);

		snprintf(path + l, sizeof(path) - l, "/bottom.txt");
		mkfile(dir, path, 1000, 0644);
	}
	PATHF(path, "%s/link_rel", dir);
	REQUIRE_OK(symlink("sub/inner", path));
	PATHF(path, "%s/link_abs", dir);
	REQUIRE_OK(symlink("/usr/share/dict/../doc/./x", path));
	PATHF(path, "%s/link_dangling", dir);
	REQUIRE_OK(symlink("../../nowhere/at all", path));
	PATHF(path, "%s/sub/link_up", dir);
	REQUIRE_OK(symlink("..", path));
	memset(name, 'T', 250);
	name[250] = '\0';
	memcpy(name, "a/", 2);
	memcpy(name + 120, "/b", 2);
	PATHF(path, "%s/link_long", dir);
	REQUIRE_OK(symlink(name, path));
	mkfile(dir, "hard1", 500, 0644);
	{
		char a[4096], b[4096];

		PATHF(a, "%s/hard1", dir);
		PATHF(b, "%s/sub/hard2", dir);
		REQUIRE_OK(link(a, b));
	}
	if (o->special) {
		PATHF(path, "%s/null", dir);
		REQUIRE_OK(mknod(path, S_IFCHR | 0666, makedev(1, 3)));
		PATHF(path, "%s/disk", dir);
		REQUIRE_OK(mknod(path, S_IFBLK | 0660, makedev(8, 17)));
		PATHF(path, "%s/bigdev", dir);
		REQUIRE_OK(mknod(path, S_IFCHR | 0600, makedev(300, 70000)));
		PATHF(path, "%s/fifo", dir);
		REQUIRE_OK(mkfifo(path, 0640));
	}
	if (o->owners) {
		PATHF(path, "%s/small.txt", dir);
		REQUIRE_OK(chown(path, 1234, 5678));
		PATHF(path, "%s/sub", dir);
		REQUIRE_OK(chown(path, 100000, 42));
		PATHF(path, "%s/link_rel", dir);
		REQUIRE_OK(lchown(path, 77, 88));
	}
	if (o->many > 0) {
		mkdirp(dir, "many", 0755);
		for (int i = 0; i < o->many; i++) {
			PATHF(name, "many/entry_with_a_longish_name_%05d", i);
			mkfile(dir, name, (unsigned long long)(i % 7) * 10,
			    0644);
		}
	}
	stamp_tree(dir);
}

static void
stamp(const char *path)
{
	struct timespec ts[2] = { { TREE_TIME, 0 }, { TREE_TIME, 0 } };

	REQUIRE_OK(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW));
}

void
stamp_tree(const char *dir)
{
	char path[4096];
	struct dirent *d;
	struct stat st;
	DIR *dp;

	REQUIRE((dp = opendir(dir)) != NULL);
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		PATHF(path, "%s/%s", dir, d->d_name);
		REQUIRE_OK(lstat(path, &st));
		if (S_ISDIR(st.st_mode))
			stamp_tree(path);
		stamp(path);
	}
	closedir(dp);
	stamp(dir);
}

void
remove_tree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static void
compare_file(const char *src, const char *mnt, const struct stat *st)
{
	static char a[65536], b[65536];
	ssize_t n, m;
	int fd, rfd;

	REQUIRE_OK(fd = open(src, O_RDONLY));
	if ((rfd = rump_sys_open(mnt, O_RDONLY, 0)) < 0)
		TEST_FAIL("open %s: %s", mnt, strerror(errno));
	for (off_t off = 0;; off += n) {
		n = read(fd, a, sizeof(a));
		m = rump_sys_read(rfd, b, sizeof(b));
		if (n != m || (n > 0 && memcmp(a, b, (size_t)n) != 0))
			TEST_FAIL("%s: bytes differ at %lld (%zd, %zd)", mnt,
			    (long long)off, n, m);
		if (n <= 0)
			break;
	}
	REQUIRE_EQ(rump_sys_close(rfd), 0);
	close(fd);
	(void)st;
}

static int
count_host(const char *dir)
{
	struct dirent *d;
	DIR *dp;
	int n = 0;

	REQUIRE((dp = opendir(dir)) != NULL);
	while ((d = readdir(dp)) != NULL)
		n++;
	closedir(dp);
	return n;
}

struct rump_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static bool
skipped(const char *name, const char *const *skip)
{
	for (; skip != NULL && *skip != NULL; skip++)
		if (strcmp(name, *skip) == 0)
			return true;
	return false;
}

static long
compare_dir(const char *src, const char *mnt, unsigned flags,
    const char *const *skip)
{
	char buf[4096], hp[4096], rp[4096], ta[4096], tb[4096];
	struct rump_dirent64 *d;
	struct stat hs, rs;
	long n = 0;
	int fd, seen = 0;
	ssize_t len, tl, rl;

	if ((fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY, 0)) < 0)
		TEST_FAIL("open %s: %s", mnt, strerror(errno));
	while ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < len; off += d->d_reclen) {
			d = (struct rump_dirent64 *)(buf + off);
			if (skipped(d->d_name, skip))
				continue;
			seen++;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			PATHF(hp, "%s/%s", src, d->d_name);
			PATHF(rp, "%s/%s", mnt, d->d_name);
			if (lstat(hp, &hs) != 0)
				TEST_FAIL("%s: not in the source tree", rp);
			if (rump_sys_lstat(rp, &rs) != 0)
				TEST_FAIL("lstat %s: %s", rp, strerror(errno));
			if ((hs.st_mode & S_IFMT) != (rs.st_mode & S_IFMT))
				TEST_FAIL("%s: type 0%o, want 0%o", rp,
				    rs.st_mode & S_IFMT, hs.st_mode & S_IFMT);
			if (d->d_ino != rs.st_ino)
				TEST_FAIL("%s: d_ino %llu, st_ino %llu", rp,
				    (unsigned long long)d->d_ino,
				    (unsigned long long)rs.st_ino);
			if ((flags & CMP_MODES) &&
			    (hs.st_mode & 07777) != (rs.st_mode & 07777) &&
			    !S_ISLNK(hs.st_mode))
				TEST_FAIL("%s: mode 0%o, want 0%o", rp,
				    rs.st_mode & 07777, hs.st_mode & 07777);
			if ((flags & CMP_OWNERS) && (hs.st_uid != rs.st_uid ||
			    hs.st_gid != rs.st_gid))
				TEST_FAIL("%s: owner %u:%u, want %u:%u", rp,
				    rs.st_uid, rs.st_gid, hs.st_uid,
				    hs.st_gid);
			if ((flags & CMP_TIMES) &&
			    hs.st_mtim.tv_sec != rs.st_mtim.tv_sec)
				TEST_FAIL("%s: mtime %lld, want %lld", rp,
				    (long long)rs.st_mtim.tv_sec,
				    (long long)hs.st_mtim.tv_sec);
			if ((flags & CMP_NLINK) && !S_ISDIR(hs.st_mode) &&
			    hs.st_nlink != rs.st_nlink)
				TEST_FAIL("%s: nlink %lu, want %lu", rp,
				    (unsigned long)rs.st_nlink,
				    (unsigned long)hs.st_nlink);
			if ((flags & CMP_RDEV) && (S_ISCHR(hs.st_mode) ||
			    S_ISBLK(hs.st_mode)) && hs.st_rdev != rs.st_rdev)
				TEST_FAIL("%s: rdev %u,%u want %u,%u", rp,
				    major(rs.st_rdev), minor(rs.st_rdev),
				    major(hs.st_rdev), minor(hs.st_rdev));
			n++;
			if (S_ISREG(hs.st_mode)) {
				if (hs.st_size != rs.st_size)
					TEST_FAIL("%s: size %lld, want %lld",
					    rp, (long long)rs.st_size,
					    (long long)hs.st_size);
				compare_file(hp, rp, &hs);
			} else if (S_ISLNK(hs.st_mode)) {
				REQUIRE((tl = readlink(hp, ta,
				    sizeof(ta))) > 0);
				rl = rump_sys_readlink(rp, tb, sizeof(tb));
				if (rl != tl || memcmp(ta, tb, (size_t)tl) != 0)
					TEST_FAIL("%s: target \"%.*s\", want "
					    "\"%.*s\"", rp, (int)(rl > 0 ?
					    rl : 0), tb, (int)tl, ta);
				REQUIRE_EQ(rs.st_size, tl);
			} else if (S_ISDIR(hs.st_mode)) {
				n += compare_dir(hp, rp, flags, NULL);
			}
		}
	}
	if (len < 0)
		TEST_FAIL("getdents64 %s: %s", mnt, strerror(errno));
	REQUIRE_EQ(rump_sys_close(fd), 0);
	if (seen != count_host(src))
		TEST_FAIL("%s: %d entries, want %d", mnt, seen,
		    count_host(src));
	return n;
}

long
compare_tree(const char *src, const char *mnt, unsigned flags,
    const char *const *skip)
{
	return compare_dir(src, mnt, flags, skip);
}

/* The image in memory. */
unsigned char *
img_load(const char *path, size_t *sizep)
{
	unsigned char *img;
	struct stat st;
	int fd;

	REQUIRE_OK(fd = open(path, O_RDONLY));
	REQUIRE_OK(fstat(fd, &st));
	REQUIRE((img = malloc((size_t)st.st_size)) != NULL);
	REQUIRE_EQ(pread(fd, img, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	*sizep = (size_t)st.st_size;
	return img;
}

void
img_save(const char *path, const unsigned char *img, size_t size)
{
	int fd;

	REQUIRE_OK(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	REQUIRE_EQ(pwrite(fd, img, size, 0), (ssize_t)size);
	close(fd);
}

uint32_t
img_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Write a both-endian 32-bit number. */
void
img_set_bb32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (unsigned char)(v >> (8 * i));
		p[7 - i] = (unsigned char)(v >> (8 * i));
	}
}

/*
 * A directory record of the primary tree, found by its ISO identifier
 * (up to ';') along a path of identifiers, by a walk of the image in
 * memory: its offset in the image, or 0.
 */
size_t
img_find_record(const unsigned char *img, size_t size,
    const char *const *path)
{
	const unsigned char *root = img + 16 * 2048 + 156;
	size_t dir = (size_t)img_le32(root + 2) * 2048, dsize = img_le32(root + 10);

	for (; *path != NULL; path++) {
		size_t off = 0, hit = 0;

		while (off < dsize && dir + off < size) {
			const unsigned char *r = img + dir + off;
			size_t l = strlen(*path);

			if (r[0] == 0) {
				off = (off | 2047) + 1;
				continue;
			}
			if (r[32] >= l && memcmp(r + 33, *path, l) == 0 &&
			    (r[32] == l || r[33 + l] == ';' ||
			    (r[33 + l] == '.' && r[32] > l + 1 &&
			    r[34 + l] == ';'))) {
				hit = dir + off;
				break;
			}
			off += r[0];
		}
		if (hit == 0)
			return 0;
		if (path[1] == NULL)
			return hit;
		dir = (size_t)img_le32(img + hit + 2) * 2048;
		dsize = img_le32(img + hit + 10);
	}
	return 0;
}

/* A system use entry sig in the record at rec: its offset, or 0. */
size_t
img_find_su(const unsigned char *img, size_t rec, const char *sig)
{
	size_t n = img[rec + 32], p = rec + 33 + n + (n % 2 == 0);

	while (p + 4 <= rec + img[rec] && img[p + 2] >= 4) {
		if (memcmp(img + p, sig, 2) == 0)
			return p;
		p += img[p + 2];
	}
	return 0;
}
