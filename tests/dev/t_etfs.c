/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * etfs: host files in the kernel's namespace, as regular files, block
 * and character devices and directories; windows; the error cases.
 * Every case makes its host files in a fresh directory under /tmp and
 * checks what reached them with the host's own read(2).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <rump/rumpvfs.h>

#include "h_macros.h"

/* This case's own host directory, in the harness's scratch directory. */
static const char *
hostdir(void)
{
	static char dir[256];

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "%s/%d", tests_scratch(),
		    (int)getpid());
		REQUIRE(mkdir(dir, 0755) == 0);
	}
	return dir;
}

/* A host file of n bytes, byte i being (i * 7 + seed) & 0xff. */
static void
mkhost(const char *name, size_t n, int seed, char *path, size_t pathlen)
{
	unsigned char *buf = malloc(n + 1);
	int fd;

	snprintf(path, pathlen, "%s/%s", hostdir(), name);
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 7 + (size_t)seed);
	REQUIRE((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) != -1);
	REQUIRE_EQ(write(fd, buf, n), n);
	close(fd);
	free(buf);
}

static void
hostread(const char *path, void *buf, size_t n, off_t off)
{
	int fd;

	REQUIRE((fd = open(path, O_RDONLY)) != -1);
	REQUIRE_EQ(pread(fd, buf, n, off), n);
	close(fd);
}

static off_t
hostsize(const char *path)
{
	struct stat sb;

	REQUIRE(stat(path, &sb) == 0);
	return sb.st_size;
}

TESTCASE(reg_roundtrip)
{
	char path[PATH_MAX], buf[8192], hbuf[8192];
	struct stat sb;
	int fd;

	mkhost("reg", 5000, 1, path, sizeof(path));
	REQUIRE_EQ(rump_pub_etfs_register("/hostfile", path, RUMP_ETFS_REG), 0);
	REQUIRE_OK(rump_sys_stat("/hostfile", &sb));
	REQUIRE(S_ISREG(sb.st_mode));
	REQUIRE_EQ(sb.st_size, 5000);
	REQUIRE_OK(fd = rump_sys_open("/hostfile", O_RDWR, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 5000);
	hostread(path, hbuf, 5000, 0);
	REQUIRE(memcmp(buf, hbuf, 5000) == 0);
	memset(buf, 'x', 100);
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 100, 4950), 100);
	REQUIRE_EQ(hostsize(path), 5050);
	hostread(path, hbuf, 100, 4950);
	REQUIRE(memcmp(hbuf, buf, 100) == 0);
	REQUIRE_OK(rump_sys_ftruncate(fd, 10));
	REQUIRE_EQ(hostsize(path), 10);
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_size, 10);
	REQUIRE_OK(rump_sys_ftruncate(fd, 20000));
	REQUIRE_EQ(hostsize(path), 20000);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), 20000);
	REQUIRE_OK(rump_sys_fsync(fd));
	/* In use: not removable. */
	REQUIRE_EQ(rump_pub_etfs_remove("/hostfile"), EBUSY);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(rump_pub_etfs_remove("/hostfile"), 0);
	REQUIRE_ERRNO(rump_sys_stat("/hostfile", &sb), ENOENT);
	REQUIRE_EQ(hostsize(path), 20000);
}

TESTCASE(reg_subdir_key)
{
	char path[PATH_MAX], buf[16];
	int fd;

	mkhost("sub", 16, 3, path, sizeof(path));
	REQUIRE_EQ(rump_pub_etfs_register("/a/b/c", path, RUMP_ETFS_REG), 0);
	REQUIRE_OK(fd = rump_sys_open("/a/b/c", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, 16), 16);
	REQUIRE_EQ((unsigned char)buf[15], (15 * 7 + 3) & 0xff);
	rump_sys_close(fd);
	REQUIRE_EQ(rump_pub_etfs_remove("/a/b/c"), 0);
}

TESTCASE(blk)
{
	char path[PATH_MAX], buf[4096], hbuf[4096];
	struct stat sb;
	int fd;

	mkhost("blk", 1 << 20, 5, path, sizeof(path));
	REQUIRE_EQ(rump_pub_etfs_register("/dev/blk", path, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(fd = rump_sys_open("/dev/blk", O_RDWR, 0));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE(S_ISBLK(sb.st_mode));
	REQUIRE_EQ(sb.st_size, 1 << 20);
	REQUIRE(major(sb.st_rdev) >= 240);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 512, 8 * 512), 512);
	hostread(path, hbuf, 512, 8 * 512);
	REQUIRE(memcmp(buf, hbuf, 512) == 0);
	/* Not sector aligned is fine too, through the cache. */
	REQUIRE_EQ(rump_sys_pread(fd, buf, 1000, 4000), 1000);
	hostread(path, hbuf, 1000, 4000);
	REQUIRE(memcmp(buf, hbuf, 1000) == 0);
	memset(buf, 0xa5, sizeof(buf));
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 1024, 3 * 512), 1024);
	REQUIRE_OK(rump_sys_fsync(fd));
	hostread(path, hbuf, 1024, 3 * 512);
	REQUIRE(memcmp(buf, hbuf, 1024) == 0);
	hostread(path, hbuf, 512, 2 * 512);     /* the sector before: intact */
	REQUIRE_EQ((unsigned char)hbuf[0], (2 * 512 * 7 + 5) & 0xff);
	/* The end of the device. */
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4096, (1 << 20) - 100), 100);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4096, 1 << 20), 0);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 512, 1 << 20), ENOSPC);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), 1 << 20);
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/blk"), EBUSY);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/blk"), 0);
}

TESTCASE(blk_close_flushes)
{
	char path[PATH_MAX], buf[512], hbuf[512];
	int fd;

	mkhost("blk2", 65536, 9, path, sizeof(path));
	REQUIRE_EQ(rump_pub_etfs_register("/blk2", path, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(fd = rump_sys_open("/blk2", O_WRONLY, 0));
	memset(buf, 0x3c, sizeof(buf));
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 512, 512 * 7), 512);
	REQUIRE_OK(rump_sys_close(fd));
	hostread(path, hbuf, 512, 512 * 7);
	REQUIRE(memcmp(buf, hbuf, 512) == 0);
}

TESTCASE(chr)
{
	char path[PATH_MAX], buf[300], hbuf[300];
	struct stat sb;
	int fd;

	mkhost("chr", 10000, 11, path, sizeof(path));
	REQUIRE_EQ(rump_pub_etfs_register("/dev/chr", path, RUMP_ETFS_CHR), 0);
	REQUIRE_OK(fd = rump_sys_open("/dev/chr", O_RDWR, 0));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE(S_ISCHR(sb.st_mode));
	REQUIRE_EQ(sb.st_size, 10000);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 300, 77), 300);
	hostread(path, hbuf, 300, 77);
	REQUIRE(memcmp(buf, hbuf, 300) == 0);
	memset(buf, 'c', 300);
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 300, 1), 300);
	hostread(path, hbuf, 300, 1);           /* raw: there at once */
	REQUIRE(memcmp(buf, hbuf, 300) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 300, 9900), 100);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 1, 10000), ENOSPC);
	REQUIRE_OK(rump_sys_close(fd));
}

TESTCASE(window)
{
	char path[PATH_MAX], buf[4096], hbuf[4096];
	struct stat sb;
	int fd;

	mkhost("win", 8192, 13, path, sizeof(path));
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/win", path, RUMP_ETFS_REG,
	    1000, 2000), 0);
	REQUIRE_OK(rump_sys_stat("/win", &sb));
	REQUIRE_EQ(sb.st_size, 2000);
	REQUIRE_OK(fd = rump_sys_open("/win", O_RDWR, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, 4096), 2000);
	hostread(path, hbuf, 2000, 1000);
	REQUIRE(memcmp(buf, hbuf, 2000) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 100, 1950), 50);
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 100, 1950), 50);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 1, 2000), EFBIG);
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, 10), EINVAL);
	rump_sys_close(fd);

	REQUIRE_EQ(rump_pub_etfs_register_withsize("/winblk", path,
	    RUMP_ETFS_BLK, 4096, 2048), 0);
	REQUIRE_OK(fd = rump_sys_open("/winblk", O_RDONLY, 0));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_size, 2048);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4096, 0), 2048);
	hostread(path, hbuf, 2048, 4096);
	REQUIRE(memcmp(buf, hbuf, 2048) == 0);
	rump_sys_close(fd);

	REQUIRE_EQ(rump_pub_etfs_register_withsize("/bad1", path,
	    RUMP_ETFS_REG, 8193, RUMP_ETFS_SIZE_ENDOFF), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/bad2", path,
	    RUMP_ETFS_REG, 0, 0), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/bad3", path,
	    RUMP_ETFS_BLK, 1, UINT64_MAX - 1), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/bad4", hostdir(),
	    RUMP_ETFS_DIR, 1, RUMP_ETFS_SIZE_ENDOFF), EINVAL);
}

/* A block device larger than its host file: I/O error there, no crash. */
TESTCASE(blk_eio)
{
	char path[PATH_MAX], buf[4096];
	int fd;

	mkhost("short", 4096, 17, path, sizeof(path));
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/short", path,
	    RUMP_ETFS_BLK, 0, 65536), 0);
	REQUIRE_OK(fd = rump_sys_open("/short", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4096, 0), 4096);
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, 4096, 32768), EIO);
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, 4096, 32768), EIO);
	REQUIRE_OK(rump_sys_close(fd));
}

TESTCASE(dir)
{
	char path[PATH_MAX], sub[PATH_MAX + 32], buf[64];
	struct stat sb;
	int fd;

	mkhost("d1", 40, 19, path, sizeof(path));
	snprintf(sub, sizeof(sub), "%s/subdir", hostdir());
	REQUIRE(mkdir(sub, 0755) == 0);
	snprintf(sub, sizeof(sub), "%s/subdir/inner", hostdir());
	REQUIRE((fd = open(sub, O_WRONLY | O_CREAT, 0644)) != -1);
	REQUIRE_EQ(write(fd, "inner file\n", 11), 11);
	close(fd);

	REQUIRE_EQ(rump_pub_etfs_register("/hd", hostdir(), RUMP_ETFS_DIR), 0);
	REQUIRE_OK(rump_sys_stat("/hd", &sb));
	REQUIRE(S_ISDIR(sb.st_mode));
	REQUIRE_OK(fd = rump_sys_open("/hd/d1", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 40);
	REQUIRE_EQ((unsigned char)buf[39], (39 * 7 + 19) & 0xff);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_stat("/hd/subdir", &sb), ENOENT);
	REQUIRE_ERRNO(rump_sys_stat("/hd/nothere", &sb), ENOENT);

	REQUIRE_EQ(rump_pub_etfs_register("/hs", hostdir(),
	    RUMP_ETFS_DIR_SUBDIRS), 0);
	REQUIRE_OK(rump_sys_stat("/hs/subdir", &sb));
	REQUIRE(S_ISDIR(sb.st_mode));
	REQUIRE_OK(fd = rump_sys_open("/hs/subdir/inner", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 11);
	REQUIRE(memcmp(buf, "inner file\n", 11) == 0);
	/* Open below it: the directory is busy. */
	REQUIRE_EQ(rump_pub_etfs_remove("/hs"), EBUSY);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(rump_pub_etfs_remove("/hs"), 0);
	REQUIRE_EQ(rump_pub_etfs_remove("/hd"), 0);
	REQUIRE_ERRNO(rump_sys_stat("/hs/subdir/inner", &sb), ENOENT);
}

/* getdents64(2) records, as the kernel returns them. */
struct rdirent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define LS_MAX 64

/*
 * List path with getdents64 through a small buffer (many calls, each
 * resuming): names but "." and ".." into names[], types into types[].
 */
static size_t
rumpls(const char *path, char names[][16], unsigned char *types)
{
	char buf[256];
	ssize_t got;
	size_t n = 0;
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	while ((got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < got;) {
			struct rdirent *d = (struct rdirent *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			REQUIRE(n < LS_MAX && strlen(d->d_name) < 16);
			strcpy(names[n], d->d_name);
			types[n++] = d->d_type;
		}
	}
	REQUIRE_EQ(got, 0);
	REQUIRE_OK(rump_sys_close(fd));
	return n;
}

/* Does the listing have name, once, of type? */
static void
lshas(char names[][16], const unsigned char *types, size_t n,
    const char *name, unsigned char type)
{
	size_t i, seen = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0) {
			REQUIRE_EQ(types[i], type);
			seen++;
		}
	}
	if (seen != 1)
		fprintf(stderr, "%s listed %zu times\n", name, seen);
	REQUIRE_EQ(seen, 1);
}

/* A host directory listed with no lookup before. */
TESTCASE(dir_list)
{
	char path[PATH_MAX], sub[PATH_MAX + 32], name[16], names[LS_MAX][16], buf[8192],
	    hbuf[8192];
	unsigned char types[LS_MAX];
	size_t n;
	int fd, i, pass;

	/* Enough names for several getdents64 calls. */
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "file%02d", i);
		mkhost(name, (size_t)i * 300, i, path, sizeof(path));
	}
	for (i = 0; i < 3; i++) {
		snprintf(sub, sizeof(sub), "%s/sub%d", hostdir(), i);
		REQUIRE(mkdir(sub, 0755) == 0);
	}
	/* Neither a regular file nor a directory: never listed. */
	snprintf(sub, sizeof(sub), "%s/fifo", hostdir());
	REQUIRE(mkfifo(sub, 0644) == 0);
	REQUIRE_EQ(rump_pub_etfs_register("/ld", hostdir(), RUMP_ETFS_DIR), 0);
	REQUIRE_EQ(rump_pub_etfs_register("/ls", hostdir(),
	    RUMP_ETFS_DIR_SUBDIRS), 0);

	/* Twice: the second listing finds the nodes the first made. */
	for (pass = 0; pass < 2; pass++) {
		n = rumpls("/ld", names, types);
		REQUIRE_EQ(n, 20);
		for (i = 0; i < 20; i++) {
			snprintf(name, sizeof(name), "file%02d", i);
			lshas(names, types, n, name, DT_REG);
		}
		n = rumpls("/ls", names, types);
		REQUIRE_EQ(n, 23);
		for (i = 0; i < 20; i++) {
			snprintf(name, sizeof(name), "file%02d", i);
			lshas(names, types, n, name, DT_REG);
		}
		for (i = 0; i < 3; i++) {
			snprintf(name, sizeof(name), "sub%d", i);
			lshas(names, types, n, name, DT_DIR);
		}
	}

	/* Added on the host: in the next listing. */
	mkhost("late", 7000, 3, path, sizeof(path));
	snprintf(sub, sizeof(sub), "%s/sub1/deep", hostdir());
	REQUIRE((fd = open(sub, O_WRONLY | O_CREAT, 0644)) != -1);
	close(fd);
	n = rumpls("/ld", names, types);
	REQUIRE_EQ(n, 21);
	lshas(names, types, n, "late", DT_REG);
	n = rumpls("/ls", names, types);
	REQUIRE_EQ(n, 24);
	lshas(names, types, n, "late", DT_REG);
	n = rumpls("/ls/sub1", names, types);
	REQUIRE_EQ(n, 1);
	lshas(names, types, n, "deep", DT_REG);

	/* A listed file reads as the host file. */
	REQUIRE_OK(fd = rump_sys_open("/ld/late", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 7000);
	REQUIRE_OK(rump_sys_close(fd));
	hostread(path, hbuf, 7000, 0);
	REQUIRE(memcmp(buf, hbuf, 7000) == 0);
	REQUIRE_OK(fd = rump_sys_open("/ls/file19", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 19 * 300);
	REQUIRE_OK(rump_sys_close(fd));
	snprintf(path, sizeof(path), "%s/file19", hostdir());
	hostread(path, hbuf, 19 * 300, 0);
	REQUIRE(memcmp(buf, hbuf, 19 * 300) == 0);

	REQUIRE_EQ(rump_pub_etfs_remove("/ls"), 0);
	REQUIRE_EQ(rump_pub_etfs_remove("/ld"), 0);
}

TESTCASE(errors)
{
	char path[PATH_MAX], nohost[PATH_MAX + 32];

	mkhost("e", 10, 0, path, sizeof(path));
	snprintf(nohost, sizeof(nohost), "%s/missing", hostdir());
	REQUIRE_EQ(rump_pub_etfs_register("/e", nohost, RUMP_ETFS_REG), ENOENT);
	REQUIRE_EQ(rump_pub_etfs_register("/e", path, (enum rump_etfs_type)99),
	    EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register("/e", path, RUMP_ETFS_DIR), ENOTDIR);
	REQUIRE_EQ(rump_pub_etfs_register("/e", hostdir(), RUMP_ETFS_REG),
	    EISDIR);
	REQUIRE_EQ(rump_pub_etfs_register("", path, RUMP_ETFS_REG), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register("/a/../b", path, RUMP_ETFS_REG),
	    EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register(NULL, path, RUMP_ETFS_REG), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register("/e", path, RUMP_ETFS_REG), 0);
	REQUIRE_EQ(rump_pub_etfs_register("/e", path, RUMP_ETFS_REG), EEXIST);
	/* A key is absolute, as in the original. */
	REQUIRE_EQ(rump_pub_etfs_register("e", path, RUMP_ETFS_BLK), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register("x/y", path, RUMP_ETFS_REG), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_remove("e"), EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register("//e", path, RUMP_ETFS_BLK), EEXIST);
	REQUIRE_OK(rump_sys_mkdir("/existing", 0755));
	REQUIRE_EQ(rump_pub_etfs_register("/existing", path, RUMP_ETFS_REG),
	    EEXIST);
	REQUIRE_EQ(rump_pub_etfs_register("/e/x", path, RUMP_ETFS_REG),
	    ENOTDIR);
	REQUIRE_EQ(rump_pub_etfs_remove("/nokey"), ENOENT);
	REQUIRE_EQ(rump_pub_etfs_remove("/e"), 0);
	REQUIRE_EQ(rump_pub_etfs_remove("/e"), ENOENT);
	/* Unlinked by a client: the key stays registered until removed. */
	REQUIRE_EQ(rump_pub_etfs_register("/u", path, RUMP_ETFS_REG), 0);
	REQUIRE_OK(rump_sys_unlink("/u"));
	REQUIRE_EQ(rump_pub_etfs_register("/u", path, RUMP_ETFS_REG), EEXIST);
	REQUIRE_EQ(rump_pub_etfs_remove("/u"), 0);
	REQUIRE_EQ(rump_pub_etfs_register("/u", path, RUMP_ETFS_REG), 0);
}

TESTCASE(not_booted)
{
	REQUIRE_EQ(rump_pub_etfs_register("/x", "/tmp", RUMP_ETFS_DIR), ENXIO);
	REQUIRE_EQ(rump_pub_etfs_remove("/x"), ENXIO);
}

TESTS(CASE(reg_roundtrip), CASE(reg_subdir_key), CASE(blk),
    CASE(blk_close_flushes), CASE(chr), CASE(window), CASE(blk_eio),
    CASE(dir), CASE(dir_list), CASE(errors), CASE_NOBOOT(not_booted))
