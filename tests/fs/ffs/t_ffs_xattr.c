/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extended attributes on FFS: UFS2's attribute area (ffs_format.h) as
 * the kernel writes it, byte for byte, read back from the image on the
 * host; values spanning fragments and blocks with the exact storage
 * they take (st_blocks, statvfs) and the exact limit (ENOSPC); a full
 * file system (ENOSPC changes nothing, the reserve is root's); many
 * attributes; blocks given back with the attribute, the file, and the
 * file of an image mounted anew; records of other namespaces kept
 * hidden; UFS1 EOPNOTSUPP; eight processes at once on one mount; damaged
 * areas (size, block, records) EIO with one log line, reported and
 * repaired by fsck_ffs.  Every image left must be clean to fsck_ffs -n
 * and to ffs_check.c, and what was written must survive a remount.
 * (The POSIX rules of the calls and ACLs: tests/fs/vfs/t_xattr.c, whose
 * ffs2be row is UFS2.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/param.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "ffsutil.h"
#include "h_tools.h"

static char img[256], logpath[256];

/* A new image made by our newfs: UFS ver, bsize/fsize, 16 MiB. */
static void
mkimg(const char *ver, const char *bsize, const char *fsize,
    const char *order)
{
	snprintf(img, sizeof(img), "%s/x.img", ffs_scratch());
	snprintf(logpath, sizeof(logpath), "%s/log", ffs_scratch());
	(void)unlink(img);
	REQUIRE_EQ(run(NEWFS, "-O", ver, "-b", bsize, "-f", fsize, "-B",
	    order, "-s", "16m", img, NULL), 0);
}

static void
mnt(void)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };

	if (rump_sys_mkdir(FFS_MNT, 0755) == -1)
		REQUIRE_EQ(errno, EEXIST);
	(void)rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK);
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, 0, &ua, sizeof(ua)));
}

/* Unmount; the image must be clean to both checkers. */
static void
umnt(void)
{
	char why[256];

	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	if (ffs_check_image(img, why, sizeof(why)) != 0)
		TEST_FAIL("%s: %s", img, why);
	fsck_clean(img);
}

static void
fill(char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(seed * 131 + i * 7 + i / 251);
}

static void
check_value(const char *path, const char *name, const void *want, size_t len)
{
	static char buf[70000];

	REQUIRE_EQ(rump_sys_getxattr(path, name, NULL, 0), len);
	REQUIRE_EQ(rump_sys_getxattr(path, name, buf, sizeof(buf)), len);
	REQUIRE(memcmp(buf, want, len) == 0);
}

static uint64_t
frags_free(void)
{
	struct statvfs sv;

	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv));
	return sv.f_bfree;
}

static uint64_t
sectors(const char *path)
{
	struct stat st;

	REQUIRE_OK(rump_sys_stat(path, &st));
	return (uint64_t)st.st_blocks;
}

/* Frags an area of n bytes takes on blocks of bsize, frags of fsize. */
static uint64_t
areafrags(uint64_t n, uint64_t bsize, uint64_t fsize)
{
	if (n > bsize)
		return bsize / fsize + (n - bsize + fsize - 1) / fsize;
	return (n + fsize - 1) / fsize;
}

/* Bytes a record of a name of nl bytes and a value of vl takes. */
static uint64_t
reclen(uint64_t nl, uint64_t vl)
{
	return ((7 + nl + 7) & ~7ULL) + ((vl + 7) & ~7ULL);
}

/* The area of the file at path in the (unmounted) image. */
static size_t
readarea(const char *path, unsigned char *area, struct ffsu_dinode *di)
{
	unsigned char raw[DINODE2_SIZE];
	size_t done, n;

	img_open(img);
	getino(lookup(path), raw, di);
	REQUIRE(di->extsize <= 2 * fs.bsize);
	for (done = 0; done < di->extsize; done += n) {
		n = MIN(di->extsize - done, fs.bsize);
		REQUIRE(di->extb[done / fs.bsize] != 0);
		REQUIRE_EQ(ffsu_pread(&fs, area + done, n,
		    (uint64_t)di->extb[done / fs.bsize] * fs.fsize), 0);
	}
	return di->extsize;
}

/* Append the record the format says to want. */
static size_t
putrec(unsigned char *want, size_t off, int ns, const char *name,
    const void *val, size_t vl)
{
	size_t nl = strlen(name), hdr = (7 + nl + 7) & ~(size_t)7;
	size_t len = reclen(nl, vl);

	memset(want + off, 0, len);
	ffsu_put32(&fs, want + off, (uint32_t)len);
	want[off + 4] = (unsigned char)ns;
	want[off + 5] = (unsigned char)(((vl + 7) & ~(size_t)7) - vl);
	want[off + 6] = (unsigned char)nl;
	memcpy(want + off + 7, name, nl);
	memcpy(want + off + hdr, val, vl);
	return off + len;
}

/* An ACL in Linux's xattr form: owner rw, user 1000 r, group r, mask r. */
static const unsigned char acl[] = {
	2, 0, 0, 0,
	1, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,
	2, 0, 4, 0, 0xe8, 3, 0, 0,
	4, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
	0x10, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
	0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
};

/*
 * The records on the disk, in either byte order: names in their
 * namespaces as ffs_extattr.c maps them; a record of a namespace with
 * no Linux name is hidden and kept.
 */
static void
format(const char *order)
{
	static const char names[] = "user.a\0system.posix_acl_access";
	unsigned char area[2 * 65536], want[4096];
	struct ffsu_dinode di;
	char list[256];
	size_t n, len;
	int fd;

	mkimg("2", "8192", "1024", order);
	mnt();
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_CREAT | O_RDWR, 0640));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.a", "hello", 5, 0));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "trusted.t", "T", 1, 0));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "system.posix_acl_access",
	    acl, sizeof(acl), 0));
	umnt();
	n = readarea("/f", area, &di);
	len = putrec(want, 0, 1, "a", "hello", 5);
	len = putrec(want, len, 2, "trusted.t", "T", 1);
	len = putrec(want, len, 2, "posix_acl_access", acl, sizeof(acl));
	REQUIRE_EQ(len, 16 + 24 + 72);
	REQUIRE_EQ(n, len);
	REQUIRE(memcmp(area, want, len) == 0);
	REQUIRE_EQ(di.blocks, 2);               /* one 1 KiB frag */
	REQUIRE_EQ(di.extb[1], 0);
	REQUIRE_EQ(di.mode & 0777, 0640);       /* the ACL's mask is r */

	/* trusted.t's record into namespace 3: hidden, and kept. */
	area[16 + 4] = 3;
	REQUIRE_EQ(ffsu_pwrite(&fs, area + 16 + 4, 1,
	    (uint64_t)di.extb[0] * fs.fsize + 16 + 4), 0);
	img_close();
	mnt();
	REQUIRE_EQ(rump_sys_listxattr(FFS_MNT "/f", list, sizeof(list)),
	    sizeof(names));
	REQUIRE(memcmp(list, names, sizeof(names)) == 0);
	REQUIRE_ERRNO(rump_sys_getxattr(FFS_MNT "/f", "trusted.t", list,
	    sizeof(list)), ENODATA);
	check_value(FFS_MNT "/f", "system.posix_acl_access", acl,
	    sizeof(acl));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.b", "", 0, 0));
	REQUIRE_OK(rump_sys_removexattr(FFS_MNT "/f", "user.a"));
	umnt();
	n = readarea("/f", area, &di);
	want[16 + 4] = 3;
	len = putrec(want, 16 + 24 + 72, 1, "b", "", 0);
	REQUIRE_EQ(n, len - 16);
	REQUIRE(memcmp(area, want + 16, len - 16) == 0);
	img_close();
}

TESTCASE(format_le)
{
	format("le");
}

TESTCASE(format_be)
{
	format("be");
}

/*
 * One value growing from a fragment to a block and into the second
 * block and back, beside a small attribute: st_blocks and the free
 * frags exact at every step, the limit exact.
 */
TESTCASE(growth)
{
	static const size_t sizes[] = { 1, 1000, 1001, 3000, 8160, 8168,
		9000, 16344, 100, 16344, 0 };
	static char val[16400];
	uint64_t free0, fr;
	size_t area;
	int fd;

	mkimg("2", "8192", "1024", "le");
	mnt();
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_OK(rump_sys_close(fd));
	free0 = frags_free();
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.w", "w", 1, 0));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(val, sizes[i], (unsigned)i);
		REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.value", val,
		    sizes[i], 0));
		check_value(FFS_MNT "/f", "user.value", val, sizes[i]);
		check_value(FFS_MNT "/f", "user.w", "w", 1);
		area = reclen(1, 1) + reclen(5, sizes[i]);
		fr = areafrags(area, 8192, 1024);
		REQUIRE_EQ(sectors(FFS_MNT "/f"), fr * 2);
		REQUIRE_EQ(frags_free(), free0 - fr);
	}
	/* 16 + 16 + 16352 = 16384 bytes, two whole blocks: the most. */
	fill(val, 16352, 9);
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.value", val, 16352,
	    0));
	REQUIRE_EQ(sectors(FFS_MNT "/f"), 32);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.value", val,
	    16353, 0), ENOSPC);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.x", "", 0, 0),
	    ENOSPC);
	check_value(FFS_MNT "/f", "user.value", val, 16352);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.value", val,
	    65537, 0), E2BIG);
	/* Data and attributes count together. */
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_WRONLY));
	REQUIRE_EQ(rump_sys_write(fd, val, 3000), 3000);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(sectors(FFS_MNT "/f"), 32 + 6);
	umnt();
	mnt();
	check_value(FFS_MNT "/f", "user.value", val, 16352);
	/* O_TRUNC leaves the area; removing the attributes frees it all. */
	log_capture(logpath);
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_WRONLY | O_TRUNC));
	REQUIRE_OK(rump_sys_close(fd));
	fflush(stderr);
	REQUIRE(dup2(log_saved_stderr, 2) == 2);
	close(log_saved_stderr);
	{
		struct stat st;

		REQUIRE_EQ(stat(logpath, &st), 0);
		REQUIRE_EQ(st.st_size, 0);
	}
	REQUIRE_EQ(sectors(FFS_MNT "/f"), 32);
	REQUIRE_OK(rump_sys_removexattr(FFS_MNT "/f", "user.value"));
	REQUIRE_OK(rump_sys_removexattr(FFS_MNT "/f", "user.w"));
	REQUIRE_EQ(sectors(FFS_MNT "/f"), 0);
	REQUIRE_EQ(frags_free(), free0);
	REQUIRE_EQ(rump_sys_listxattr(FFS_MNT "/f", NULL, 0), 0);
	umnt();
}

/* Two hundred attributes on one file, a file with 32 KiB blocks. */
TESTCASE(many)
{
	char name[32], val[64], list[4096], *p;
	ssize_t len;
	int fd, n;

	mkimg("2", "32768", "4096", "le");
	mnt();
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/d", 0755));
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "user.k%03d", i);
		fill(val, 10 + (size_t)i % 40, (unsigned)i);
		REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", name, val,
		    10 + (size_t)i % 40, XATTR_CREATE));
		if (i % 20 == 0)
			REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/d", name, val,
			    10 + (size_t)i % 40, 0));
	}
	REQUIRE_EQ(rump_sys_listxattr(FFS_MNT "/f", NULL, 0), 200 * 10);
	REQUIRE_ERRNO(rump_sys_listxattr(FFS_MNT "/f", list, 1999), ERANGE);
	for (int i = 0; i < 200; i += 2) {
		snprintf(name, sizeof(name), "user.k%03d", i);
		REQUIRE_OK(rump_sys_removexattr(FFS_MNT "/f", name));
	}
	umnt();
	mnt();
	REQUIRE_EQ(len = rump_sys_listxattr(FFS_MNT "/f", list, sizeof(list)),
	    100 * 10);
	for (p = list, n = 0; p < list + len; p += strlen(p) + 1, n++) {
		snprintf(name, sizeof(name), "user.k%03d", 2 * n + 1);
		REQUIRE(strcmp(p, name) == 0);
		fill(val, 10 + (size_t)(2 * n + 1) % 40, (unsigned)(2 * n + 1));
		check_value(FFS_MNT "/f", name, val,
		    10 + (size_t)(2 * n + 1) % 40);
	}
	REQUIRE_EQ(n, 100);
	REQUIRE_EQ(rump_sys_listxattr(FFS_MNT "/d", NULL, 0), 10 * 10);
	umnt();
}

/*
 * Blocks come back with the file: one made now, one of an image
 * mounted anew (the area as another kernel left it), hard links.
 */
TESTCASE(unlink_frees)
{
	static char val[12000];
	uint64_t free0;
	int fd;

	mkimg("2", "8192", "1024", "le");
	mnt();
	free0 = frags_free();
	fill(val, sizeof(val), 1);
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/g", O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_write(fd, val, 5000), 5000);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/g", "user.big", val,
	    sizeof(val), 0));
	REQUIRE_OK(rump_sys_mknod(FFS_MNT "/fifo", S_IFIFO | 0644, 0));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/fifo", "trusted.x", val, 2000,
	    0));
	REQUIRE_OK(rump_sys_symlink("g", FFS_MNT "/l"));
	REQUIRE_OK(rump_sys_lsetxattr(FFS_MNT "/l", "security.s", val, 100,
	    0));
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/g"));
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/fifo"));
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/l"));
	REQUIRE_EQ(frags_free(), free0);
	/* Made in this mount, freed in the next. */
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/h", O_CREAT | O_RDWR, 0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/h", "user.big", val,
	    sizeof(val), 0));
	REQUIRE_OK(rump_sys_link(FFS_MNT "/h", FFS_MNT "/i"));
	umnt();
	mnt();
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/h"));
	check_value(FFS_MNT "/i", "user.big", val, sizeof(val));
	REQUIRE_EQ(frags_free(), free0 - areafrags(reclen(3, sizeof(val)),
	    8192, 1024));
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/i"));
	REQUIRE_EQ(frags_free(), free0);
	umnt();
}

/*
 * A full file system: growth that finds no room is ENOSPC and changes
 * nothing (value, storage, free counts); the reserve (minfree) is
 * root's, for attributes as for data.
 */
TESTCASE(full)
{
	static char chunk[65536], val[9000];
	struct statvfs sv, sv2;
	char path[64];
	uint64_t sect;
	ssize_t n;
	int fd, nsmall;

	mkimg("2", "8192", "1024", "le");
	mnt();
	REQUIRE_OK(rump_sys_chmod(FFS_MNT, 0777));
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_CREAT | O_RDWR, 0666));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_chown(FFS_MNT "/f", 1000, 100));
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/last", O_CREAT | O_RDWR,
	    0644));
	REQUIRE_OK(rump_sys_close(fd));
	fill(val, sizeof(val), 5);
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.v", val, 1000, 0));
	/* Root fills the file system into the reserve. */
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/fill", O_CREAT | O_WRONLY,
	    0644));
	for (;;) {
		REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv));
		if (sv.f_bavail == 0)
			break;
		REQUIRE_EQ(rump_sys_write(fd, chunk, sizeof(chunk)),
		    sizeof(chunk));
	}
	REQUIRE(sv.f_bfree > 12);
	/* Not root: no room; nothing changed. */
	sect = sectors(FFS_MNT "/f");
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setgid(100));
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.v", val, 9000,
	    0), ENOSPC);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.w", val, 2000,
	    0), ENOSPC);
	check_value(FFS_MNT "/f", "user.v", val, 1000);
	rump_pub_lwproc_releaselwp();
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE_EQ(sv2.f_bfree, sv.f_bfree);
	REQUIRE_EQ(sectors(FFS_MNT "/f"), sect);
	/* Root may use the reserve: a block and a frag more. */
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.v", val, 9000, 0));
	check_value(FFS_MNT "/f", "user.v", val, 9000);
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE_EQ(sv2.f_bfree, sv.f_bfree - (9 - 1));
	/*
	 * Then nothing at all is left (whole blocks to /fill, the last
	 * frags to small files): growth is ENOSPC for root too and loses
	 * nothing; a change that needs no more room still works.
	 */
	while (rump_sys_write(fd, chunk, 8192) == 8192)
		continue;
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_OK(rump_sys_close(fd));
	for (nsmall = 0;; nsmall++) {
		snprintf(path, sizeof(path), FFS_MNT "/s%d", nsmall);
		if ((fd = rump_sys_open(path, O_CREAT | O_WRONLY, 0644)) == -1)
			break;
		n = rump_sys_write(fd, chunk, 1000);
		REQUIRE_OK(rump_sys_close(fd));
		if (n != 1000) {
			REQUIRE_OK(rump_sys_unlink(path));
			break;
		}
	}
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, 0);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.x", val, 1000,
	    0), ENOSPC);
	check_value(FFS_MNT "/f", "user.v", val, 9000);
	REQUIRE_EQ(sectors(FFS_MNT "/f"), 18);
	fill(val, sizeof(val), 6);
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.v", val, 8990, 0));
	check_value(FFS_MNT "/f", "user.v", val, 8990);
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE_EQ(sv2.f_bfree, 0);
	/*
	 * Exactly one whole block free: the first block of a 9000-byte
	 * value gets it, the second finds nothing, and the first is given
	 * back (ENOSPC, nothing changed).
	 */
	REQUIRE_OK(rump_sys_removexattr(FFS_MNT "/f", "user.v"));
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/last", O_WRONLY));
	REQUIRE_EQ(rump_sys_write(fd, chunk, 1000), 1000);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE_EQ(sv2.f_bfree, 8);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.v", val, 9000,
	    0), ENOSPC);
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE_EQ(sv2.f_bfree, 8);
	REQUIRE_EQ(sectors(FFS_MNT "/f"), 0);
	REQUIRE_EQ(rump_sys_listxattr(FFS_MNT "/f", NULL, 0), 0);
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.v", val, 8000, 0));
	check_value(FFS_MNT "/f", "user.v", val, 8000);
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE_EQ(sv2.f_bfree, 0);
	for (int i = 0; i < nsmall; i++) {
		snprintf(path, sizeof(path), FFS_MNT "/s%d", i);
		REQUIRE_OK(rump_sys_unlink(path));
	}
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/fill"));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.w", val, 2000, 0));
	umnt();
}

/* UFS1 has no area: every call is EOPNOTSUPP. */
TESTCASE(ufs1)
{
	char buf[16];
	int fd;

	mkimg("1", "8192", "1024", "le");
	mnt();
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.a", "x", 1, 0),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_fgetxattr(fd, "user.a", buf, sizeof(buf)),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_listxattr(FFS_MNT "/f", buf, sizeof(buf)),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_removexattr(FFS_MNT "/f", "user.a"),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f",
	    "system.posix_acl_access", acl, sizeof(acl), 0), EOPNOTSUPP);
	REQUIRE_OK(rump_sys_close(fd));
	umnt();
}

/*
 * Eight processes at once: each sets, reads and removes its own
 * attributes (values up to 900 bytes: the shared files' areas move
 * between frags, a block and two blocks of 16 KiB) on its own file and
 * on two shared ones, and makes and removes files with attributes.  Every value read is the last one its
 * process set; after a remount too; the image is clean.
 */
#define ST_THREADS 8
#define ST_OPS     300
#define ST_KEYS    4

struct st {
	int id;
	uint32_t rnd;
	int len[3][ST_KEYS];            /* -1: none */
	char err[256];
};

static uint32_t
st_rand(struct st *t, uint32_t n)
{
	t->rnd = t->rnd * 1103515245u + 12345u;
	return (t->rnd >> 8) % n;
}

static void
st_path(const struct st *t, int f, char *path, size_t len)
{
	if (f == 2)
		snprintf(path, len, FFS_MNT "/own%d", t->id);
	else
		snprintf(path, len, FFS_MNT "/shared%d", f);
}

static void
st_check(struct st *t, int f, int k)
{
	static __thread char got[1000], val[1000];
	char path[64], name[32];
	ssize_t n;

	st_path(t, f, path, sizeof(path));
	snprintf(name, sizeof(name), "user.p%d.k%d", t->id, k);
	n = rump_sys_getxattr(path, name, got, sizeof(got));
	if (t->len[f][k] < 0) {
		if (n != -1 || errno != ENODATA)
			snprintf(t->err, sizeof(t->err), "%s %s: %zd, errno "
			    "%d, expected ENODATA", path, name, n, errno);
		return;
	}
	fill(val, (size_t)t->len[f][k], (unsigned)(t->id * 16 + f * 4 + k +
	    t->len[f][k]));
	if (n != t->len[f][k] || memcmp(got, val, (size_t)n) != 0)
		snprintf(t->err, sizeof(t->err), "%s %s: %zd bytes (errno %d), "
		    "expected %d", path, name, n, errno, t->len[f][k]);
}

static void *
st_work(void *arg)
{
	static __thread char val[3100];
	struct st *t = arg;
	char path[64], name[32];
	int f, k, len, fd;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		snprintf(t->err, sizeof(t->err), "rfork failed");
		return NULL;
	}
	for (int n = 0; n < ST_OPS && t->err[0] == '\0'; n++) {
		f = (int)st_rand(t, 3);
		k = (int)st_rand(t, ST_KEYS);
		st_path(t, f, path, sizeof(path));
		snprintf(name, sizeof(name), "user.p%d.k%d", t->id, k);
		switch (st_rand(t, 6)) {
		case 0:
		case 1:
			len = (int)st_rand(t, 901);
			fill(val, (size_t)len, (unsigned)(t->id * 16 + f * 4 +
			    k + len));
			if (rump_sys_setxattr(path, name, val, (size_t)len,
			    0) != 0)
				snprintf(t->err, sizeof(t->err), "set %s %s: "
				    "%s", path, name, strerror(errno));
			t->len[f][k] = len;
			break;
		case 2:
			if (rump_sys_removexattr(path, name) != 0 &&
			    (t->len[f][k] >= 0 || errno != ENODATA))
				snprintf(t->err, sizeof(t->err), "remove %s "
				    "%s: %s", path, name, strerror(errno));
			t->len[f][k] = -1;
			break;
		case 3:
			/* A file of its own with an attribute, gone again. */
			snprintf(path, sizeof(path), FFS_MNT "/tmp%d", t->id);
			if ((fd = rump_sys_open(path, O_CREAT | O_RDWR,
			    0644)) == -1 || rump_sys_close(fd) != 0 ||
			    rump_sys_setxattr(path, "user.t", val, 2500,
			    0) != 0 || rump_sys_unlink(path) != 0)
				snprintf(t->err, sizeof(t->err), "tmp %s: %s",
				    path, strerror(errno));
			break;
		default:
			st_check(t, f, k);
			break;
		}
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
st_checkall(struct st *t)
{
	for (int f = 0; f < 3; f++)
		for (int k = 0; k < ST_KEYS && t->err[0] == '\0'; k++)
			st_check(t, f, k);
}

TESTCASE(stress)
{
	struct st *t;
	pthread_t th[ST_THREADS];
	char path[64];
	uint64_t free0;
	int fd;

	mkimg("2", "16384", "2048", "le");
	mnt();
	REQUIRE((t = calloc(ST_THREADS, sizeof(*t))) != NULL);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), FFS_MNT "/shared%d", i);
		REQUIRE_OK(fd = rump_sys_open(path, O_CREAT | O_RDWR, 0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	for (int i = 0; i < ST_THREADS; i++) {
		snprintf(path, sizeof(path), FFS_MNT "/own%d", i);
		REQUIRE_OK(fd = rump_sys_open(path, O_CREAT | O_RDWR, 0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	free0 = frags_free();
	for (int i = 0; i < ST_THREADS; i++) {
		t[i].id = i;
		t[i].rnd = 11u + (uint32_t)i * 7919u;
		memset(t[i].len, 0xff, sizeof(t[i].len));
		REQUIRE_EQ(pthread_create(&th[i], NULL, st_work, &t[i]), 0);
	}
	for (int i = 0; i < ST_THREADS; i++)
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < ST_THREADS; i++)
		if (t[i].err[0] != '\0')
			TEST_FAIL("process %d: %s", i, t[i].err);
	umnt();
	mnt();
	for (int i = 0; i < ST_THREADS; i++) {
		st_checkall(&t[i]);
		if (t[i].err[0] != '\0')
			TEST_FAIL("after remount, process %d: %s", i,
			    t[i].err);
	}
	/* All removed: the storage of before, to the frag. */
	for (int i = 0; i < ST_THREADS; i++)
		for (int f = 0; f < 3; f++)
			for (int k = 0; k < ST_KEYS; k++) {
				char name[32];

				if (t[i].len[f][k] < 0)
					continue;
				st_path(&t[i], f, path, sizeof(path));
				snprintf(name, sizeof(name), "user.p%d.k%d", i,
				    k);
				REQUIRE_OK(rump_sys_removexattr(path, name));
			}
	REQUIRE_EQ(frags_free(), free0);
	umnt();
	free(t);
}

/*
 * Damage, one kind at a time, on the areas of /f and /g (user.a =
 * "hello", user.b = 3000 bytes): fsck_ffs -n reports it; the kernel
 * answers EIO with one log line, the file still reads; /g is removed
 * (its area freed or, past checking, left); fsck_ffs -y clears /f's
 * area, gives back what /g left, and the image is clean again.
 */
enum damage { D_SIZE, D_BLOCK, D_RECLEN, D_NAMELEN, D_PAD };

static void
damaged(enum damage d, const char *fsckmsg)
{
	unsigned char raw[DINODE2_SIZE], rec[8];
	struct ffsu_dinode di;
	static char val[3000];
	char buf[64];
	struct stat st;
	uint64_t ino;
	int fd, rc;

	mkimg("2", "8192", "1024", "le");
	mnt();
	fill(val, sizeof(val), 3);
	for (int i = 0; i < 2; i++) {
		const char *p = i ? FFS_MNT "/g" : FFS_MNT "/f";

		REQUIRE_OK(fd = rump_sys_open(p, O_CREAT | O_RDWR, 0644));
		REQUIRE_EQ(rump_sys_write(fd, "data", 4), 4);
		REQUIRE_OK(rump_sys_close(fd));
		REQUIRE_OK(rump_sys_setxattr(p, "user.a", "hello", 5, 0));
		REQUIRE_OK(rump_sys_setxattr(p, "user.b", val, sizeof(val),
		    0));
	}
	umnt();
	img_open(img);
	for (int i = 0; i < 2; i++) {
		ino = lookup(i ? "/g" : "/f");
		getino(ino, raw, &di);
		REQUIRE_EQ(di.extsize, 3024);
		switch (d) {
		case D_SIZE:
			di.extsize = 3 * 8192;
			putino(ino, raw, &di);
			break;
		case D_BLOCK:
			di.extb[0] = (int64_t)fs.size + 8;
			putino(ino, raw, &di);
			break;
		case D_RECLEN:
		case D_NAMELEN:
		case D_PAD:
			REQUIRE_EQ(ffsu_pread(&fs, rec, 8,
			    (uint64_t)di.extb[0] * fs.fsize + 16), 0);
			if (d == D_RECLEN)
				ffsu_put32(&fs, rec, 3012);
			else if (d == D_NAMELEN)
				rec[6] = 0;
			else
				rec[5] = 9;
			REQUIRE_EQ(ffsu_pwrite(&fs, rec, 8,
			    (uint64_t)di.extb[0] * fs.fsize + 16), 0);
			break;
		}
	}
	img_close();
	REQUIRE_EQ(run(FSCK, "-n", img, NULL), 1);
	expect(fsckmsg);

	mnt();
	/*
	 * Every call meets the damage and says so; the log holds a line
	 * repeated within seconds back (subr_prf.c): one line in all.
	 */
	log_capture(logpath);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/f", &st));
	REQUIRE_EQ(st.st_size, 4);
	REQUIRE_ERRNO(rump_sys_getxattr(FFS_MNT "/f", "user.a", buf,
	    sizeof(buf)), EIO);
	REQUIRE_ERRNO(rump_sys_listxattr(FFS_MNT "/f", buf, sizeof(buf)), EIO);
	REQUIRE_ERRNO(rump_sys_setxattr(FFS_MNT "/f", "user.c", "x", 1, 0),
	    EIO);
	REQUIRE_ERRNO(rump_sys_removexattr(FFS_MNT "/f", "user.a"), EIO);
	log_expect("attribute");
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_link(FFS_MNT "/f", FFS_MNT "/keep"));
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/f"));
	/* A damaged area freed with its inode: no crash, fsck_ffs tidies. */
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/g"));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));

	rc = run(FSCK, "-y", img, NULL);
	if (rc != 2)
		TEST_FAIL("fsck_ffs -y: exit %d:\n%s", rc, out);
	expect(fsckmsg);
	fsck_clean(img);
	mnt();
	REQUIRE_ERRNO(rump_sys_getxattr(FFS_MNT "/keep", "user.a", buf,
	    sizeof(buf)), ENODATA);
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/keep", "user.a", "new", 3, 0));
	check_value(FFS_MNT "/keep", "user.a", "new", 3);
	umnt();
}

TESTCASE(damaged_size)
{
	damaged(D_SIZE, "attribute area (24576 bytes): size beyond two blocks");
}

TESTCASE(damaged_block)
{
	damaged(D_BLOCK, "attribute area (3024 bytes): block outside the file "
	    "system");
}

TESTCASE(damaged_reclen)
{
	damaged(D_RECLEN, "attribute area (3024 bytes): record length at "
	    "byte 16");
}

TESTCASE(damaged_namelen)
{
	damaged(D_NAMELEN, "attribute area (3024 bytes): name at byte 16");
}

TESTCASE(damaged_pad)
{
	damaged(D_PAD, "attribute area (3024 bytes): value length at byte "
	    "16");
}

/*
 * A name length past its record at the end of the area (an 8-byte
 * area whose only record says 255): the name is not looked at past
 * the area (ASan), fsck_ffs and the kernel both call it a bad name.
 */
TESTCASE(damaged_namepast)
{
	unsigned char raw[DINODE2_SIZE], rec[8];
	struct ffsu_dinode di;
	char buf[64];
	uint64_t ino;
	int fd, rc;

	mkimg("2", "8192", "1024", "le");
	mnt();
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_setxattr(FFS_MNT "/f", "user.a", "", 0, 0));
	umnt();
	img_open(img);
	ino = lookup("/f");
	getino(ino, raw, &di);
	REQUIRE_EQ(di.extsize, 8);
	REQUIRE_EQ(ffsu_pread(&fs, rec, 8, (uint64_t)di.extb[0] * fs.fsize),
	    0);
	REQUIRE_EQ(rec[6], 1);
	rec[6] = 255;
	REQUIRE_EQ(ffsu_pwrite(&fs, rec, 8, (uint64_t)di.extb[0] * fs.fsize),
	    0);
	img_close();
	REQUIRE_EQ(run(FSCK, "-n", img, NULL), 1);
	expect("attribute area (8 bytes): name at byte 0");
	mnt();
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_getxattr(FFS_MNT "/f", "user.a", buf,
	    sizeof(buf)), EIO);
	REQUIRE_ERRNO(rump_sys_listxattr(FFS_MNT "/f", buf, sizeof(buf)), EIO);
	log_expect("attribute area: name at byte 0");
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	rc = run(FSCK, "-y", img, NULL);
	if (rc != 2)
		TEST_FAIL("fsck_ffs -y: exit %d:\n%s", rc, out);
	fsck_clean(img);
}

/*
 * /g's area pointed at /f's data: fsck_ffs -n finds the block shared,
 * -y clears /g's area and leaves /f (data and attributes) whole.
 */
TESTCASE(damaged_shared)
{
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode di, df;
	char buf[16];
	int fd, rc;

	mkimg("2", "8192", "1024", "le");
	mnt();
	for (int i = 0; i < 2; i++) {
		const char *p = i ? FFS_MNT "/g" : FFS_MNT "/f";

		REQUIRE_OK(fd = rump_sys_open(p, O_CREAT | O_RDWR, 0644));
		REQUIRE_EQ(rump_sys_write(fd, "data", 4), 4);
		REQUIRE_OK(rump_sys_close(fd));
		REQUIRE_OK(rump_sys_setxattr(p, "user.a", "hello", 5, 0));
	}
	umnt();
	img_open(img);
	getino(lookup("/f"), raw, &df);
	getino(lookup("/g"), raw, &di);
	REQUIRE(lookup("/f") < lookup("/g"));
	di.extb[0] = df.db[0];
	putino(lookup("/g"), raw, &di);
	img_close();
	REQUIRE_EQ(run(FSCK, "-n", img, NULL), 1);
	expect("attribute area (16 bytes): bad or shared block");
	rc = run(FSCK, "-y", img, NULL);
	if (rc != 2)
		TEST_FAIL("fsck_ffs -y: exit %d:\n%s", rc, out);
	fsck_clean(img);
	mnt();
	REQUIRE_ERRNO(rump_sys_getxattr(FFS_MNT "/g", "user.a", buf,
	    sizeof(buf)), ENODATA);
	check_value(FFS_MNT "/f", "user.a", "hello", 5);
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/f", O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	REQUIRE(memcmp(buf, "data", 4) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(sectors(FFS_MNT "/g"), 2);
	umnt();
}

TESTS(CASE(format_le), CASE(format_be), CASE(growth), CASE(many),
    CASE(unlink_frees), CASE(full), CASE(ufs1), CASE(stress), CASE(damaged_size),
    CASE(damaged_block), CASE(damaged_reclen), CASE(damaged_namelen),
    CASE(damaged_pad), CASE(damaged_namepast), CASE(damaged_shared))
