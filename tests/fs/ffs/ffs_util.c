/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS test helpers (h_ffs.h).  The reference is always the host: the
 * tree makefs read is walked with the host's own lstat/readdir/read
 * next to the same walk through the rump kernel's mount.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"

/* getdents64(2) records, as the kernel returns them. */
struct rdirent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

const char *
ffs_scratch(void)
{
	return tests_scratch();
}

static void
fill(unsigned char *buf, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
}

static void
mkfile(const char *path, size_t n, uint32_t seed, mode_t mode)
{
	unsigned char *buf = malloc(n + 1);
	FILE *f;

	REQUIRE(buf != NULL);
	fill(buf, n, seed);
	REQUIRE((f = fopen(path, "w")) != NULL);
	REQUIRE_EQ(fwrite(buf, 1, n, f), n);
	REQUIRE(fclose(f) == 0);
	REQUIRE(chmod(path, mode) == 0);
	free(buf);
}

/* Sizes around every boundary of the block map for 4 KiB .. 64 KiB. */
static const size_t sizes[] = { 0, 1, 511, 512, 1023, 4095, 4096, 4097,
	8191, 8192, 12 * 4096 - 1, 12 * 4096 + 1, 12 * 8192 + 3, 100000,
	12 * 65536 + 5, 4718593 };
/* Symlink targets around the in-inode limits (60 UFS1, 120 UFS2). */
static const size_t linklens[] = { 1, 59, 60, 61, 119, 120, 121, 300, 1000 };

void
ffs_mktree(const char *dir, const char *spec)
{
	char p[4096], t[1024];
	size_t i, n;
	FILE *f;

	REQUIRE(mkdir(dir, 0755) == 0);
	snprintf(p, sizeof(p), "%s/f", dir);
	REQUIRE(mkdir(p, 0755) == 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(p, sizeof(p), "%s/f/size_%zu", dir, sizes[i]);
		mkfile(p, sizes[i], (uint32_t)i, 0644);
	}
	/* A deep path. */
	n = (size_t)snprintf(p, sizeof(p), "%s", dir);
	for (i = 0; i < 20; i++) {
		n += (size_t)snprintf(p + n, sizeof(p) - n, "/d%zu", i);
		REQUIRE(mkdir(p, 0755) == 0);
	}
	snprintf(p + n, sizeof(p) - n, "/leaf");
	mkfile(p, 333, 77, 0444);
	/* 2,000 entries with names of 1 to 200 bytes. */
	snprintf(p, sizeof(p), "%s/big", dir);
	REQUIRE(mkdir(p, 0755) == 0);
	for (i = 0; i < 2000; i++) {
		n = (size_t)snprintf(p, sizeof(p), "%s/big/%zu", dir, i);
		memset(p + n, 'x', i % 200);
		p[n + i % 200] = '\0';
		mkfile(p, i % 100 == 0 ? i : 0, (uint32_t)i, 0644);
	}
	/* Symlinks, short and long, to nothing in particular. */
	snprintf(p, sizeof(p), "%s/l", dir);
	REQUIRE(mkdir(p, 0755) == 0);
	for (i = 0; i < sizeof(linklens) / sizeof(linklens[0]); i++) {
		for (n = 0; n < linklens[i]; n++)
			t[n] = "abc/def."[(n + i) % 8];
		t[n] = '\0';
		snprintf(p, sizeof(p), "%s/l/len%zu", dir, linklens[i]);
		REQUIRE(symlink(t, p) == 0);
	}
	snprintf(p, sizeof(p), "%s/l/tofile", dir);
	REQUIRE(symlink("../f/size_4097", p) == 0);
	/* One file, three names in two directories. */
	snprintf(p, sizeof(p), "%s/h", dir);
	REQUIRE(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/h/a", dir);
	mkfile(p, 5000, 9, 0640);
	snprintf(t, sizeof(t), "%s/h/b", dir);
	REQUIRE(link(p, t) == 0);
	snprintf(t, sizeof(t), "%s/f/c", dir);
	REQUIRE(link(p, t) == 0);
	/* Odd modes. */
	snprintf(p, sizeof(p), "%s/m", dir);
	REQUIRE(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/m/m0000", dir);
	mkfile(p, 10, 1, 0);
	snprintf(p, sizeof(p), "%s/m/m4755", dir);
	mkfile(p, 10, 2, 04755);
	snprintf(p, sizeof(p), "%s/m/m2711", dir);
	mkfile(p, 10, 3, 02711);
	snprintf(p, sizeof(p), "%s/m/sticky", dir);
	REQUIRE(mkdir(p, 0755) == 0 && chmod(p, 01777) == 0);
	snprintf(p, sizeof(p), "%s/m/empty", dir);
	REQUIRE(mkdir(p, 0700) == 0);

	/* Owners no unprivileged test can give, and device nodes. */
	REQUIRE((f = fopen(spec, "w")) != NULL);
	fprintf(f, "/set type=file\n"
	    ".  type=dir\n"
	    "    cdev type=char mode=0620 uid=0 gid=5 device=netbsd,5,300\n"
	    "    bdev type=block mode=0640 uid=0 gid=6 device=netbsd,8,1\n"
	    "    f type=dir\n"
	    "        size_1 uid=1234 gid=567 mode=0644\n"
	    "    ..\n"
	    "    m type=dir\n"
	    "        m4755 uid=42 gid=43 mode=04755\n"
	    "    ..\n"
	    "..\n");
	REQUIRE(fclose(f) == 0);
}

void
ffs_makefs(const char *img, const char *dir, const char *spec,
    const char *opts, const char *order)
{
	char cmd[1024];

	/* makefs underestimates the inodes big blocks need: give room. */
	snprintf(cmd, sizeof(cmd), "makefs -t ffs -M 24m -B %s "
	    "-o density=4096,%s %s%s %s %s >/dev/null", order, opts, spec != NULL ? "-F " : "",
	    spec != NULL ? spec : "", img, dir);
	if (system(cmd) != 0)
		TEST_FAIL("%s failed", cmd);
}

int
ffs_mount(const char *img)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };

	if (rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK) != 0)
		return errno;
	if (rump_sys_mkdir(FFS_MNT, 0755) == -1 && errno != EEXIST)
		return errno;
	if (rump_sys_mount("ffs", FFS_MNT, MS_RDONLY, &ua, sizeof(ua)) == -1)
		return errno;
	return 0;
}

/* What makefs's specfile put in place of the host's attributes. */
struct override {
	const char *rel;
	uid_t uid;
	gid_t gid;
	mode_t mode;
};

static const struct override overrides[] = {
	{ "/f/size_1", 1234, 567, 0644 },
	{ "/m/m4755", 42, 43, 04755 },
};

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t
rumpnames(const char *path, char ***namesp, const struct stat *dst)
{
	char buf[1024], **names = NULL;
	size_t n = 0, cap = 0;
	ssize_t got;
	bool dot = false, dotdot = false;
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	/* A small buffer: many getdents calls, each resuming a cookie. */
	while ((got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < got;) {
			struct rdirent *d = (struct rdirent *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0) {
				REQUIRE_EQ(d->d_ino, dst->st_ino);
				dot = true;
				continue;
			}
			if (strcmp(d->d_name, "..") == 0) {
				dotdot = true;
				continue;
			}
			if (n == cap) {
				cap = cap * 2 + 16;
				names = realloc(names, cap * sizeof(*names));
				REQUIRE(names != NULL);
			}
			REQUIRE((names[n++] = strdup(d->d_name)) != NULL);
		}
	}
	REQUIRE_EQ(got, 0);
	REQUIRE(dot && dotdot);
	rump_sys_close(fd);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmpstr);
	*namesp = names;
	return n;
}

static size_t
hostnames(const char *path, char ***namesp)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir;

	REQUIRE((dir = opendir(path)) != NULL);
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap * 2 + 16;
			names = realloc(names, cap * sizeof(*names));
			REQUIRE(names != NULL);
		}
		REQUIRE((names[n++] = strdup(d->d_name)) != NULL);
	}
	closedir(dir);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmpstr);
	*namesp = names;
	return n;
}

static void
cmpfile(const char *hp, const char *rp, size_t size)
{
	unsigned char *h = malloc(size + 1), *r = malloc(size + 8192);
	size_t got = 0;
	ssize_t k;
	int fd;

	REQUIRE(h != NULL && r != NULL);
	REQUIRE((fd = open(hp, O_RDONLY)) != -1);
	REQUIRE_EQ(read(fd, h, size + 1), size);
	close(fd);
	REQUIRE_OK(fd = rump_sys_open(rp, O_RDONLY, 0));
	/* An odd chunk size, so reads start and end inside blocks. */
	while ((k = rump_sys_read(fd, r + got, 7919)) > 0)
		got += (size_t)k;
	REQUIRE_EQ(k, 0);
	REQUIRE_EQ(got, size);
	if (memcmp(h, r, size) != 0)
		TEST_FAIL("%s: contents differ", rp);
	if (size > 2) {
		REQUIRE_EQ(rump_sys_pread(fd, r, 4096, (off_t)size / 2),
		    (size - size / 2 < 4096 ? size - size / 2 : 4096));
		REQUIRE(memcmp(r, h + size / 2, (size - size / 2 < 4096 ? size - size / 2 : 4096)) ==
		    0);
	}
	REQUIRE_EQ(rump_sys_pread(fd, r, 10, (off_t)size), 0);
	rump_sys_close(fd);
	free(h);
	free(r);
}

static size_t
cmptree(const char *host, const char *rump, const char *rel, bool gen)
{
	char hp[4096], rp[4096], rl[4096], ht[4096], rt[4096];
	char **hn, **rn;
	size_t nh, nr, i, j, count = 1;
	struct stat hs, rs, ds;

	REQUIRE_OK(rump_sys_lstat(rump, &ds));
	nh = hostnames(host, &hn);
	nr = rumpnames(rump, &rn, &ds);
	for (i = j = 0; i < nh || j < nr;) {
		/* The specfile's device nodes exist only in the image. */
		if (gen && *rel == '\0' && j < nr && (strcmp(rn[j], "bdev") ==
		    0 || strcmp(rn[j], "cdev") == 0)) {
			free(rn[j++]);
			continue;
		}
		if (i == nh || j == nr || strcmp(hn[i], rn[j]) != 0)
			TEST_FAIL("%s%s: host has %s, image %s", rump, rel,
			    i < nh ? hn[i] : "-", j < nr ? rn[j] : "-");
		snprintf(hp, sizeof(hp), "%s/%s", host, hn[i]);
		snprintf(rp, sizeof(rp), "%s/%s", rump, rn[j]);
		snprintf(rl, sizeof(rl), "%s/%s", rel, rn[j]);
		REQUIRE(lstat(hp, &hs) == 0);
		REQUIRE_OK(rump_sys_lstat(rp, &rs));
		if ((hs.st_mode & S_IFMT) != (rs.st_mode & S_IFMT))
			TEST_FAIL("%s: type %o, expected %o", rp, rs.st_mode,
			    hs.st_mode);
		for (size_t k = 0; gen && k < sizeof(overrides) /
		    sizeof(overrides[0]); k++) {
			if (strcmp(overrides[k].rel, rl) == 0) {
				hs.st_uid = overrides[k].uid;
				hs.st_gid = overrides[k].gid;
				hs.st_mode = (hs.st_mode & S_IFMT) |
				    overrides[k].mode;
			}
		}
		if (!S_ISLNK(hs.st_mode))       /* Linux's are 0777 */
			REQUIRE_EQ(rs.st_mode, hs.st_mode);
		REQUIRE_EQ(rs.st_uid, hs.st_uid);
		REQUIRE_EQ(rs.st_gid, hs.st_gid);
		REQUIRE_EQ(rs.st_nlink, hs.st_nlink);
		/* makefs keeps seconds; its nanoseconds are zero. */
		REQUIRE_EQ(rs.st_mtim.tv_sec, hs.st_mtim.tv_sec);
		REQUIRE(rs.st_mtim.tv_nsec == 0 ||
		    rs.st_mtim.tv_nsec == hs.st_mtim.tv_nsec);
		if (!S_ISDIR(hs.st_mode))
			REQUIRE_EQ(rs.st_size, hs.st_size);
		if (S_ISREG(hs.st_mode)) {
			REQUIRE(rs.st_blocks * 512 >= rs.st_size);
			cmpfile(hp, rp, (size_t)hs.st_size);
			count++;
		} else if (S_ISLNK(hs.st_mode)) {
			ssize_t a = readlink(hp, ht, sizeof(ht));
			ssize_t b = rump_sys_readlink(rp, rt, sizeof(rt));

			REQUIRE(a > 0);
			REQUIRE_EQ(b, a);
			REQUIRE(memcmp(ht, rt, (size_t)a) == 0);
			count++;
		} else if (S_ISDIR(hs.st_mode))
			count += cmptree(hp, rp, rl, gen);
		free(hn[i++]);
		free(rn[j++]);
	}
	free(hn);
	free(rn);
	return count;
}

size_t
ffs_compare(const char *hostdir, bool generated)
{
	return cmptree(hostdir, FFS_MNT, "", generated);
}

/* Read every extended attribute of path; errors are fine. */
static void
walk_xattrs(const char *path)
{
	char list[2048], val[4096];
	ssize_t n, off;

	if ((n = rump_sys_llistxattr(path, list, sizeof(list))) <= 0)
		return;
	for (off = 0; off < n; off += (ssize_t)strnlen(list + off,
	    (size_t)(n - off)) + 1)
		if (strnlen(list + off, (size_t)(n - off)) < (size_t)(n - off))
			(void)rump_sys_lgetxattr(path, list + off, val,
			    sizeof(val));
}

void
ffs_walk(const char *path, int depth)
{
	char buf[2048], p[1024], *data;
	struct stat st;
	ssize_t got;
	int fd, n = 0;

	if (rump_sys_lstat(path, &st) == -1)
		return;
	walk_xattrs(path);
	if (S_ISLNK(st.st_mode)) {
		(void)rump_sys_readlink(path, buf, sizeof(buf));
		return;
	}
	if ((fd = rump_sys_open(path, O_RDONLY | O_NOFOLLOW, 0)) == -1)
		return;
	if (S_ISREG(st.st_mode)) {
		data = malloc(65536);
		REQUIRE(data != NULL);
		/* Bounded: a corrupt size must not make the test slow. */
		while (n++ < 64 && rump_sys_read(fd, data, 65536) > 0)
			continue;
		(void)rump_sys_lseek(fd, 0, SEEK_HOLE);
		free(data);
	} else if (S_ISDIR(st.st_mode) && depth > 0) {
		/* Directory cycles are bounded by the depth. */
		while (n < 300 &&
		    (got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
			for (ssize_t off = 0; off < got && n < 300; n++) {
				struct rdirent *d =
				    (struct rdirent *)(buf + off);

				off += d->d_reclen;
				if (strcmp(d->d_name, ".") == 0 ||
				    strcmp(d->d_name, "..") == 0)
					continue;
				snprintf(p, sizeof(p), "%s/%s", path,
				    d->d_name);
				ffs_walk(p, depth - 1);
			}
		}
	}
	rump_sys_close(fd);
}

void
ffs_add_xattrs(const char *img, const char *const *paths, size_t n)
{
	static const unsigned char acl[] = {
		2, 0, 0, 0, 1, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,
		2, 0, 4, 0, 0xe8, 3, 0, 0, 4, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
		0x10, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
		0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	};
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	static char val[7100];
	char p[1024];
	struct stat st;
	int status;
	pid_t pid;

	REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		memset(val, 'v', sizeof(val));
		REQUIRE(rump_init() == 0);
		REQUIRE_OK(rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK));
		REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
		REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, 0, &ua, sizeof(ua)));
		for (size_t i = 0; i < n; i++) {
			snprintf(p, sizeof(p), FFS_MNT "%s", paths[i]);
			REQUIRE_OK(rump_sys_lstat(p, &st));
			REQUIRE_OK(rump_sys_lsetxattr(p, "trusted.t", val,
			    10 + i, 0));
			REQUIRE_OK(rump_sys_lsetxattr(p, "security.s", val,
			    1000 + 1500 * (i % 5), 0));
			if (S_ISLNK(st.st_mode))
				continue;
			REQUIRE_OK(rump_sys_setxattr(p, "user.a", val, 100,
			    0));
			REQUIRE_OK(rump_sys_setxattr(p,
			    "system.posix_acl_access", acl, sizeof(acl), 0));
			if (S_ISDIR(st.st_mode))
				REQUIRE_OK(rump_sys_setxattr(p,
				    "system.posix_acl_default", acl,
				    sizeof(acl), 0));
		}
		REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
		_exit(0);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		TEST_FAIL("writing attributes into %s: status %#x", img,
		    status);
}
