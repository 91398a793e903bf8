/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS written read-write: images made by Debian's makefs (UFS1 and UFS2,
 * both byte orders, several block and fragment sizes) are changed
 * through a mount in one kernel (a child process) and read back in a
 * fresh one (the case's own process): bytes, sizes, modes, owners,
 * times, links, symlink targets.  A seeded random workload is checked
 * against an in-memory model of what the tree must hold, after a
 * remount.  Also: the clean flag (cleared at the first change: a mount
 * that changes nothing leaves the image byte for byte as it was),
 * ENOSPC and out-of-inodes without damage, statvfs, large directories.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "h_tools.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Mount flag: read-write even when not clean (sys/mount.h). */
#define FORCEMOUNT 0x00080000

static char img[256];

/* An empty image from makefs: size like "16m", opts for -o. */
static void
mkimage(const char *name, const char *size, const char *opts,
    const char *order)
{
	char dir[256], cmd[1024];

	snprintf(dir, sizeof(dir), "%s/empty", ffs_scratch());
	(void)mkdir(dir, 0755);
	snprintf(img, sizeof(img), "%s/%s.img", ffs_scratch(), name);
	snprintf(cmd, sizeof(cmd), "makefs -t ffs -s %s -B %s -o %s %s %s "
	    ">/dev/null", size, order, opts, img, dir);
	if (system(cmd) != 0)
		TEST_FAIL("%s failed", cmd);
}

static int
mountrw(int flags)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	int error;

	error = rump_pub_etfs_register(FFS_KEY, img, RUMP_ETFS_BLK);
	if (error != 0 && error != EEXIST) {
		errno = error;
		return -1;
	}
	if (rump_sys_mkdir(FFS_MNT, 0755) == -1 && errno != EEXIST)
		return -1;
	return rump_sys_mount("ffs", FFS_MNT, flags, &ua, sizeof(ua));
}

/*
 * The image as the kernel left it must be consistent, to two checkers
 * written apart: the test's own (ffs_check.c) and fsck_ffs -n.
 */
static void
checkimg(void)
{
	char why[256];

	if (ffs_check_image(img, why, sizeof(why)) != 0)
		TEST_FAIL("%s: %s", img, why);
	fsck_clean(img);
}

/* Run fn in a child with its own kernel; fail if it does. */
static void
in_child(void (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(NULL);
	REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		if (rump_init() != 0)
			_exit(2);
		fn();
		fflush(NULL);
		_exit(leak_check() != 0);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		TEST_FAIL("child failed (status %#x)", status);
}

static void
fill(unsigned char *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		b[i] = (unsigned char)(seed >> 16);
	}
}

static void
putfile(const char *path, size_t n, uint32_t seed, mode_t mode)
{
	unsigned char *b = malloc(n + 1);
	int fd;

	REQUIRE(b != NULL);
	fill(b, n, seed);
	REQUIRE_OK(fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC,
	    mode));
	/* Odd-sized writes cross fragments and blocks. */
	for (size_t off = 0; off < n;) {
		size_t k = MIN(n - off, 7777);

		REQUIRE_EQ(rump_sys_write(fd, b + off, k), (ssize_t)k);
		off += k;
	}
	REQUIRE_OK(rump_sys_close(fd));
	free(b);
}

static void
checkfile(const char *path, size_t n, uint32_t seed)
{
	unsigned char *b = malloc(n + 1), *r = malloc(n + 1);
	struct stat st;
	int fd;

	REQUIRE(b != NULL && r != NULL);
	fill(b, n, seed);
	REQUIRE_OK(rump_sys_stat(path, &st));
	if ((size_t)st.st_size != n)
		TEST_FAIL("%s: size %lld, expected %zu", path,
		    (long long)st.st_size, n);
	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, r, n + 1), (ssize_t)n);
	REQUIRE_OK(rump_sys_close(fd));
	if (memcmp(b, r, n) != 0)
		TEST_FAIL("%s: contents differ", path);
	free(b);
	free(r);
}

static const size_t sizes[] = { 0, 1, 511, 1000, 1024, 3000, 4096, 5000,
    8192, 12 * 8192, 12 * 8192 + 1, 200000, 3 << 20 };

/* Phase one of a round trip: everything a file system holds. */
static void
rt_write(void)
{
	struct timespec ts[2] = { { 1000000000, 123456789 },
		{ 1234567890, 987654321 } };
	char p[128], longt[300];
	int fd;

	REQUIRE_OK(mountrw(0));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/d", 0755));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/d/e", 0700));
	for (size_t i = 0; i < NELEM(sizes); i++) {
		snprintf(p, sizeof(p), FFS_MNT "/d/f%zu", i);
		putfile(p, sizes[i], (uint32_t)i + 1, 0640);
	}
	/* A hole in the middle, the end written. */
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/sparse", O_RDWR | O_CREAT,
	    0600));
	REQUIRE_EQ(rump_sys_pwrite(fd, "end", 3, 5000000), 3);
	REQUIRE_EQ(rump_sys_pwrite(fd, "start", 5, 0), 5);
	REQUIRE_OK(rump_sys_close(fd));
	/* Grow by truncate, shrink into a fragment. */
	putfile(FFS_MNT "/trunc", 100000, 77, 0644);
	REQUIRE_OK(rump_sys_truncate(FFS_MNT "/trunc", 1500));
	REQUIRE_OK(rump_sys_truncate(FFS_MNT "/trunc", 9000));
	REQUIRE_OK(rump_sys_symlink("short/target", FFS_MNT "/sl"));
	memset(longt, 'x', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = '\0';
	REQUIRE_OK(rump_sys_symlink(longt, FFS_MNT "/ll"));
	REQUIRE_OK(rump_sys_link(FFS_MNT "/d/f3", FFS_MNT "/d/e/hard"));
	REQUIRE_OK(rump_sys_mknod(FFS_MNT "/fifo", S_IFIFO | 0644, 0));
	REQUIRE_OK(rump_sys_mknod(FFS_MNT "/cdev", S_IFCHR | 0600,
	    makedev(4, 300)));
	REQUIRE_OK(rump_sys_chown(FFS_MNT "/d/f1", 1001, 2002));
	REQUIRE_OK(rump_sys_chmod(FFS_MNT "/d/f2", 04751));
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, FFS_MNT "/d/f1", ts, 0));
	REQUIRE_OK(rump_sys_rename(FFS_MNT "/d/f4", FFS_MNT "/d/e/moved"));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/gone", 0755));
	REQUIRE_OK(rump_sys_rename(FFS_MNT "/gone", FFS_MNT "/d/e/dir"));
	putfile(FFS_MNT "/rm", 50000, 5, 0644);
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/rm"));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
}

static void
rt_check(bool times)
{
	char p[128], t[400];
	struct stat st, st2;
	int fd;

	for (size_t i = 0; i < NELEM(sizes); i++) {
		snprintf(p, sizeof(p), FFS_MNT "/d/f%zu", i);
		if (i == 4)
			snprintf(p, sizeof(p), FFS_MNT "/d/e/moved");
		checkfile(p, sizes[i], (uint32_t)i + 1);
	}
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/sparse", &st));
	REQUIRE_EQ(st.st_size, 5000003);
	REQUIRE(st.st_blocks < 1000);
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/sparse", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_pread(fd, t, 5, 0), 5);
	REQUIRE(memcmp(t, "start", 5) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, t, 4, 4999999), 4);
	REQUIRE(memcmp(t, "\0end", 4) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/trunc", &st));
	REQUIRE_EQ(st.st_size, 9000);
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/trunc", O_RDONLY, 0));
	{
		unsigned char a[9000], b[100000];

		fill(b, sizeof(b), 77);
		REQUIRE_EQ(rump_sys_read(fd, a, sizeof(a)), 9000);
		REQUIRE(memcmp(a, b, 1500) == 0);
		for (int i = 1500; i < 9000; i++)
			REQUIRE_EQ(a[i], 0);
	}
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(rump_sys_readlink(FFS_MNT "/sl", t, sizeof(t)), 12);
	REQUIRE(memcmp(t, "short/target", 12) == 0);
	REQUIRE_EQ(rump_sys_readlink(FFS_MNT "/ll", t, sizeof(t)), 299);
	REQUIRE(t[0] == 'x' && t[298] == 'x');
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/f3", &st));
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/e/hard", &st2));
	REQUIRE_EQ(st.st_ino, st2.st_ino);
	REQUIRE_EQ(st.st_nlink, 2);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/fifo", &st));
	REQUIRE(S_ISFIFO(st.st_mode) && (st.st_mode & 07777) == 0644);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/cdev", &st));
	REQUIRE(S_ISCHR(st.st_mode));
	REQUIRE_EQ(major(st.st_rdev), 4);
	REQUIRE_EQ(minor(st.st_rdev), 300);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/f1", &st));
	REQUIRE_EQ(st.st_uid, 1001);
	REQUIRE_EQ(st.st_gid, 2002);
	REQUIRE_EQ(st.st_mtim.tv_sec, 1234567890);
	REQUIRE_EQ(st.st_mtim.tv_nsec, 987654321);
	/* A read on a read-write mount sets atime (relatime). */
	if (times) {
		REQUIRE_EQ(st.st_atim.tv_sec, 1000000000);
		REQUIRE_EQ(st.st_atim.tv_nsec, 123456789);
	}
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/f2", &st));
	REQUIRE_EQ(st.st_mode & 07777, 04751);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/e/dir", &st));
	REQUIRE(S_ISDIR(st.st_mode));
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/e", &st));
	REQUIRE_EQ(st.st_nlink, 3);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/", &st));
	REQUIRE_EQ(st.st_nlink, 3);
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/e/dir/..", &st2));
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/e", &st));
	REQUIRE_EQ(st.st_ino, st2.st_ino);
	REQUIRE_ERRNO(rump_sys_stat(FFS_MNT "/rm", &st), ENOENT);
	REQUIRE_ERRNO(rump_sys_stat(FFS_MNT "/gone", &st), ENOENT);
}

static void
roundtrip(const char *name, const char *opts, const char *order)
{
	struct statvfs a, b;

	mkimage(name, "48m", opts, order);
	in_child(rt_write);
	checkimg();
	REQUIRE_OK(rump_init());
	REQUIRE_OK(mountrw(MS_RDONLY));
	rt_check(true);
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &a));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	/* Read-write again, then everything freed gives the space back. */
	REQUIRE_OK(mountrw(0));
	rt_check(false);
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/sparse"));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &b));
	REQUIRE(b.f_bfree > a.f_bfree);
	REQUIRE_EQ(b.f_ffree, a.f_ffree + 1);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	checkimg();
}

TESTCASE(rt_ufs2_le) { roundtrip("u2le", "version=2,bsize=8192,fsize=1024",
    "le"); }
TESTCASE(rt_ufs2_be) { roundtrip("u2be", "version=2,bsize=16384,fsize=2048",
    "be"); }
TESTCASE(rt_ufs1_le) { roundtrip("u1le", "version=1,bsize=4096,fsize=512",
    "le"); }
TESTCASE(rt_ufs1_be) { roundtrip("u1be", "version=1,bsize=8192,fsize=1024",
    "be"); }
TESTCASE(rt_ufs2_64k) { roundtrip("u264", "version=2,bsize=65536,fsize=8192",
    "le"); }

/*
 * The random workload: files and directories in slots, each op drawn
 * from a seeded generator and applied to the mount and to the model.
 */
#define NDIR 12
#define NFILE 80
#define MAXF (300 * 1024)

struct mfile {
	bool live;
	int dir;                        /* -1: root */
	size_t size;
	unsigned char *data;
};

struct model {
	bool dlive[NDIR];
	struct mfile f[NFILE];
	uint32_t rng;
};

static uint32_t
rnd(struct model *m, uint32_t n)
{
	m->rng = m->rng * 1664525 + 1013904223;
	return (m->rng >> 8) % n;
}

static void
fpath(const struct model *m, int i, char *p, size_t n)
{
	if (m->f[i].dir < 0)
		snprintf(p, n, FFS_MNT "/f%d", i);
	else
		snprintf(p, n, FFS_MNT "/d%d/f%d", m->f[i].dir, i);
}

static void
step(struct model *m, bool apply)
{
	int op = (int)rnd(m, 8), i = (int)rnd(m, NFILE), d = (int)rnd(m, NDIR);
	struct mfile *f = &m->f[i];
	char p[64], q[64];
	size_t off, n, k;
	int fd;

	switch (op) {
	case 0:                         /* mkdir */
		if (m->dlive[d])
			return;
		m->dlive[d] = true;
		snprintf(p, sizeof(p), FFS_MNT "/d%d", d);
		if (apply)
			REQUIRE_OK(rump_sys_mkdir(p, 0755));
		return;
	case 1:                         /* rmdir if empty */
		if (!m->dlive[d])
			return;
		for (k = 0; k < NFILE; k++)
			if (m->f[k].live && m->f[k].dir == d)
				return;
		m->dlive[d] = false;
		snprintf(p, sizeof(p), FFS_MNT "/d%d", d);
		if (apply)
			REQUIRE_OK(rump_sys_rmdir(p));
		return;
	case 2:                         /* create */
		if (f->live)
			return;
		f->live = true;
		f->dir = m->dlive[d] ? d : -1;
		f->size = rnd(m, 40000);
		f->data = calloc(1, MAXF);
		REQUIRE(f->data != NULL);
		fill(f->data, f->size, m->rng);
		if (apply) {
			fpath(m, i, p, sizeof(p));
			REQUIRE_OK(fd = rump_sys_open(p, O_WRONLY | O_CREAT |
			    O_EXCL, 0644));
			REQUIRE_EQ(rump_sys_write(fd, f->data, f->size),
			    (ssize_t)f->size);
			REQUIRE_OK(rump_sys_close(fd));
		}
		return;
	case 3:                         /* write somewhere, maybe past EOF */
	case 4:
		if (!f->live)
			return;
		off = rnd(m, MAXF - 1);
		n = rnd(m, 20000) + 1;
		n = MIN(n, MAXF - off);
		fill(f->data + off, n, m->rng);
		f->size = MAX(f->size, off + n);
		if (apply) {
			fpath(m, i, p, sizeof(p));
			REQUIRE_OK(fd = rump_sys_open(p, O_WRONLY, 0));
			REQUIRE_EQ(rump_sys_pwrite(fd, f->data + off, n, off),
			    (ssize_t)n);
			REQUIRE_OK(rump_sys_close(fd));
		}
		return;
	case 5:                         /* truncate */
		if (!f->live)
			return;
		n = rnd(m, MAXF);
		if (n < f->size)
			memset(f->data + n, 0, f->size - n);
		f->size = n;
		if (apply) {
			fpath(m, i, p, sizeof(p));
			REQUIRE_OK(rump_sys_truncate(p, (off_t)n));
		}
		return;
	case 6: {                       /* rename, maybe over another */
		int j = (int)rnd(m, NFILE);
		int nd = m->dlive[d] ? d : -1;

		if (!f->live || j == i)
			return;
		fpath(m, i, p, sizeof(p));
		if (m->f[j].live) {
			/* Over slot j's file, at its path. */
			fpath(m, j, q, sizeof(q));
			free(m->f[j].data);
			m->f[j].data = f->data;
			m->f[j].size = f->size;
		} else {
			m->f[j] = *f;
			m->f[j].dir = nd;
			fpath(m, j, q, sizeof(q));
		}
		f->live = false;
		f->data = NULL;
		if (apply)
			REQUIRE_OK(rump_sys_rename(p, q));
		return;
	}
	default:                        /* unlink */
		if (!f->live)
			return;
		fpath(m, i, p, sizeof(p));
		f->live = false;
		free(f->data);
		f->data = NULL;
		if (apply)
			REQUIRE_OK(rump_sys_unlink(p));
		return;
	}
}

#define WSEED 20260411
#define WSTEPS 3000

static void
model_run(struct model *m, bool apply)
{
	memset(m, 0, sizeof(*m));
	m->rng = WSEED;
	for (int s = 0; s < WSTEPS; s++)
		step(m, apply);
}

static void
model_check(struct model *m)
{
	unsigned char *r = malloc(MAXF + 1);
	char p[64];
	struct stat st;
	size_t nlive = 0;
	int fd;

	REQUIRE(r != NULL);
	for (int i = 0; i < NFILE; i++) {
		fpath(m, i, p, sizeof(p));
		if (!m->f[i].live) {
			REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
			continue;
		}
		nlive++;
		REQUIRE_OK(rump_sys_stat(p, &st));
		if ((size_t)st.st_size != m->f[i].size)
			TEST_FAIL("%s: size %lld, model %zu", p,
			    (long long)st.st_size, m->f[i].size);
		REQUIRE_OK(fd = rump_sys_open(p, O_RDONLY, 0));
		REQUIRE_EQ(rump_sys_read(fd, r, MAXF + 1),
		    (ssize_t)m->f[i].size);
		REQUIRE_OK(rump_sys_close(fd));
		if (memcmp(r, m->f[i].data, m->f[i].size) != 0)
			TEST_FAIL("%s: contents differ from the model", p);
	}
	for (int d = 0; d < NDIR; d++) {
		snprintf(p, sizeof(p), FFS_MNT "/d%d", d);
		if (m->dlive[d])
			REQUIRE_OK(rump_sys_stat(p, &st));
		else
			REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
	}
	REQUIRE(nlive > 0);
	free(r);
}

static void
model_free(struct model *m)
{
	for (int i = 0; i < NFILE; i++)
		free(m->f[i].data);
}

static void
wl_write(void)
{
	struct model *m = calloc(1, sizeof(*m));

	REQUIRE(m != NULL);
	REQUIRE_OK(mountrw(0));
	model_run(m, true);
	model_check(m);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	model_free(m);
	free(m);
}

static void
workload(const char *name, const char *opts, const char *order)
{
	struct model *m = calloc(1, sizeof(*m));

	REQUIRE(m != NULL);
	mkimage(name, "64m", opts, order);
	in_child(wl_write);
	checkimg();
	REQUIRE_OK(rump_init());
	model_run(m, false);
	REQUIRE_OK(mountrw(MS_RDONLY));
	model_check(m);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	model_free(m);
	free(m);
}

TESTCASE(workload_ufs2) { workload("wl2", "version=2,bsize=8192,fsize=1024",
    "le"); }
TESTCASE(workload_ufs1_be) { workload("wl1", "version=1,bsize=4096,"
    "fsize=512", "be"); }

/* The clean flag: cleared while mounted, an unclean image refused. */
static void
unclean_child(void)
{
	REQUIRE_OK(mountrw(0));
	putfile(FFS_MNT "/x", 10000, 3, 0644);
	/* Leave without unmounting: the image stays unclean. */
	_exit(0);
}

TESTCASE(clean_flag)
{
	mkimage("clean", "8m", "version=2", "le");
	in_child(unclean_child);
	REQUIRE_OK(rump_init());
	REQUIRE_ERRNO(mountrw(0), EROFS);
	REQUIRE_OK(mountrw(MS_RDONLY));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	REQUIRE_OK(mountrw(FORCEMOUNT));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/after", 0755));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	/* A clean unmount makes it mountable again. */
	REQUIRE_OK(mountrw(0));
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_REMOUNT | MS_RDONLY,
	    NULL, 0));
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_REMOUNT, NULL, 0));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
}

/* Filling the file system: ENOSPC, then everything still reads. */
TESTCASE(enospc)
{
	static unsigned char buf[65536];
	struct statvfs sv, sv2;
	ssize_t w;
	int fd, n = 0, err;
	char p[64];

	mkimage("full", "4m", "version=2,bsize=8192,fsize=1024,minfree=5",
	    "le");
	REQUIRE_OK(mountrw(0));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv));
	REQUIRE(sv.f_bavail < sv.f_bfree);
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/big", O_WRONLY | O_CREAT,
	    0644));
	memset(buf, 0xab, sizeof(buf));
	while ((w = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		continue;
	REQUIRE_EQ(w, -1);
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_OK(rump_sys_close(fd));
	/* Small files take the remaining frags, then inodes or space end. */
	for (;; n++) {
		snprintf(p, sizeof(p), FFS_MNT "/s%d", n);
		if ((fd = rump_sys_open(p, O_WRONLY | O_CREAT, 0644)) == -1)
			break;
		w = rump_sys_write(fd, buf, 100);
		err = errno;
		REQUIRE_OK(rump_sys_close(fd));
		errno = err;
		if (w != 100)
			break;
	}
	if (errno != ENOSPC)
		TEST_FAIL("file %d: errno %d", n, errno);
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE(sv2.f_bfree < sv.f_bfree);
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/big"));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv2));
	REQUIRE(sv2.f_bavail > 0);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	REQUIRE_OK(mountrw(MS_RDONLY));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, sv2.f_bfree);
	REQUIRE_EQ(sv.f_ffree, sv2.f_ffree);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	checkimg();
}

/*
 * Writes past the direct blocks into a full file system: a write that
 * got its indirect blocks but not its data block fails with ENOSPC and
 * must leave nothing allocated, even in a file of size 0, which
 * truncation to 0 used to take as having nothing to free (so the
 * indirect blocks stayed in use when the file went).  Then every
 * file goes and the free counts must be what they were before the
 * writes (the directory keeps its size).
 */
#define NFULL 400

TESTCASE(enospc_indirect)
{
	static unsigned char buf[8192];
	struct statvfs sv0, sv1;
	int fd, n, nfail = 0;
	char p[64];

	mkimage("fullind", "4m", "version=1,bsize=4096,fsize=512,minfree=0,"
	    "density=2048",
	    "le");
	REQUIRE_OK(mountrw(0));
	memset(buf, 0x5a, sizeof(buf));
	/* The files first: a full directory cannot grow. */
	for (n = 0; n < NFULL; n++) {
		snprintf(p, sizeof(p), FFS_MNT "/f%d", n);
		REQUIRE_OK(fd = rump_sys_open(p, O_WRONLY | O_CREAT, 0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv0));
	for (n = 0; n < NFULL; n++) {
		snprintf(p, sizeof(p), FFS_MNT "/f%d", n);
		REQUIRE_OK(fd = rump_sys_open(p, O_WRONLY, 0));
		/* Block 2000: behind a double indirect block. */
		if (rump_sys_pwrite(fd, buf, 4096, 2000 * 4096) == -1) {
			REQUIRE_EQ(errno, ENOSPC);
			nfail++;
		}
		REQUIRE_OK(rump_sys_close(fd));
	}
	REQUIRE(nfail > 20);
	/*
	 * Full.  Each round frees the three blocks of a file that has
	 * data and asks for four: past 4 GiB a block hangs under three
	 * indirect ones, so the last allocation fails.  Then the file
	 * takes its three blocks back.
	 */
	for (int k = 0, r = 0; k < NFULL && r < 10; k++) {
		struct stat sb;

		snprintf(p, sizeof(p), FFS_MNT "/f%d", k);
		REQUIRE_OK(rump_sys_stat(p, &sb));
		if (sb.st_size == 0)
			continue;
		REQUIRE_OK(rump_sys_truncate(p, 0));
		REQUIRE_OK(fd = rump_sys_open(p, O_WRONLY, 0));
		REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 4096, 5LL << 30),
		    ENOSPC);
		REQUIRE_OK(rump_sys_fstat(fd, &sb));
		REQUIRE_EQ(sb.st_size, 0);
		REQUIRE_EQ(sb.st_blocks, 0);
		/* The three blocks are free again: full once more. */
		REQUIRE_EQ(rump_sys_pwrite(fd, buf, 4096, 2000 * 4096), 4096);
		REQUIRE_OK(rump_sys_close(fd));
		r++;
	}
	while (n-- > 0) {
		snprintf(p, sizeof(p), FFS_MNT "/f%d", n);
		REQUIRE_OK(rump_sys_unlink(p));
	}
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv1));
	REQUIRE_EQ(sv1.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv1.f_ffree, sv0.f_ffree + NFULL);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	checkimg();
}

/* A directory of many entries: created, found, removed. */
TESTCASE(bigdir)
{
	char p[64];
	struct stat st;
	int fd, n = 20000;

	mkimage("bigdir", "64m", "version=2,density=2048", "le");
	REQUIRE_OK(mountrw(0));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/b", 0755));
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), FFS_MNT "/b/entry-%d", i);
		REQUIRE_OK(fd = rump_sys_open(p, O_WRONLY | O_CREAT, 0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	for (int i = 0; i < n; i += 2) {
		snprintf(p, sizeof(p), FFS_MNT "/b/entry-%d", i);
		REQUIRE_OK(rump_sys_unlink(p));
	}
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	REQUIRE_OK(mountrw(0));
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), FFS_MNT "/b/entry-%d", i);
		if (i % 2)
			REQUIRE_OK(rump_sys_stat(p, &st));
		else
			REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
	}
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	checkimg();
}

/*
 * A sparse file past 4 GiB on 4 KiB blocks: a mark in the direct
 * blocks, the single, double and triple indirect ranges, read back
 * after a remount with holes as zeros; truncating it gives every block
 * back.
 */
static const off_t marks[] = { 0, 12 * 4096 + 7, (12 + 512) * 4096 - 3,
    (off_t)(12 + 512 + 512 * 512) * 4096 + 11, (off_t)5 << 30,
    ((off_t)5 << 30) + 4093 };

static void
bigfile(const char *name, const char *opts, off_t toolarge)
{
	struct statvfs sv0, sv1;
	struct stat st;
	char buf[16], want[16];
	int fd;

	mkimage(name, "16m", opts, "le");
	REQUIRE_OK(mountrw(0));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv0));
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/big", O_RDWR | O_CREAT,
	    0644));
	for (size_t i = 0; i < NELEM(marks); i++) {
		snprintf(want, sizeof(want), "mark%zu", i);
		REQUIRE_EQ(rump_sys_pwrite(fd, want, 5, marks[i]), 5);
	}
	REQUIRE_ERRNO(rump_sys_pwrite(fd, "x", 1, toolarge), EFBIG);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	checkimg();

	REQUIRE_OK(mountrw(0));
	REQUIRE_OK(rump_sys_stat(FFS_MNT "/big", &st));
	REQUIRE_EQ(st.st_size, marks[NELEM(marks) - 1] + 5);
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/big", O_RDWR, 0));
	for (size_t i = 0; i < NELEM(marks); i++) {
		snprintf(want, sizeof(want), "mark%zu", i);
		REQUIRE_EQ(rump_sys_pread(fd, buf, 5, marks[i]), 5);
		REQUIRE(memcmp(buf, want, 5) == 0);
	}
	memset(want, 0, sizeof(want));
	REQUIRE_EQ(rump_sys_pread(fd, buf, 16, (off_t)3 << 30), 16);
	REQUIRE(memcmp(buf, want, 16) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 16, 12 * 4096 + 100), 16);
	REQUIRE(memcmp(buf, want, 16) == 0);
	REQUIRE_OK(rump_sys_ftruncate(fd, 4));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unlink(FFS_MNT "/big"));
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv1));
	REQUIRE_EQ(sv1.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv1.f_ffree, sv0.f_ffree);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	checkimg();
}

TESTCASE(bigfile_ufs2)
{
	bigfile("big2", "version=2,bsize=4096,fsize=512", (off_t)1 << 62);
}

TESTCASE(bigfile_ufs1)
{
	bigfile("big1", "version=1,bsize=4096,fsize=512", (off_t)1 << 62);
}

/* The whole image file; its size in *lenp. */
static unsigned char *
image_bytes(size_t *lenp)
{
	unsigned char *b;
	struct stat st;
	int fd;

	REQUIRE_OK(fd = open(img, O_RDONLY));
	REQUIRE_OK(fstat(fd, &st));
	REQUIRE((b = malloc((size_t)st.st_size)) != NULL);
	REQUIRE_EQ(pread(fd, b, (size_t)st.st_size, 0), (ssize_t)st.st_size);
	close(fd);
	*lenp = (size_t)st.st_size;
	return b;
}

/* Superblock fields, from the superblock's start. */
#define SB_OLD_TIME 32          /* int32, UFS1 */
#define SB_CLEAN    209         /* byte */
#define SB_TIME     1072        /* int64 */
#define SB_MAGIC    1372        /* int32 */

/* What the first change writes: the clean flag and the times. */
static bool
mark_byte(size_t i, size_t sb)
{
	return (i >= sb + SB_OLD_TIME && i < sb + SB_OLD_TIME + 4) ||
	    i == sb + SB_CLEAN || (i >= sb + SB_TIME && i < sb + SB_TIME + 8);
}

/*
 * The image must be as before, but for the mark's bytes of the
 * superblock at sb when sb is not 0; else name the first that differs.
 */
static void
same_image(const unsigned char *before, size_t len, size_t sb,
    const char *when)
{
	unsigned char *now;
	size_t n, i;

	now = image_bytes(&n);
	REQUIRE_EQ(n, len);
	for (i = 0; i < len; i++) {
		if (now[i] == before[i] || (sb != 0 && mark_byte(i, sb)))
			continue;
		TEST_FAIL("%s: byte %zu of the image is %#x, was %#x", when, i,
		    now[i], before[i]);
	}
	free(now);
}

/* The n-byte integer at off, in the image's byte order. */
static uint64_t
int_at(const unsigned char *b, size_t off, int n, bool be)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)b[off + i] << (be ? 8 * (n - 1 - i) : 8 * i);
	return v;
}

/*
 * Everything that only looks, and every change that fails before it
 * changes anything: on a noatime mount, none of it may write.
 */
static void
look_and_fail(void)
{
	char buf[8192];
	struct statvfs sv;
	struct stat sb;
	int fd;

	REQUIRE_OK(rump_sys_stat(FFS_MNT "/d/f", &sb));
	REQUIRE_EQ(sb.st_size, 5000);
	REQUIRE_OK(rump_sys_lstat(FFS_MNT "/d/sub", &sb));
	REQUIRE_OK(fd = rump_sys_open(FFS_MNT "/d", O_RDONLY | O_DIRECTORY,
	    0));
	REQUIRE(rump_sys_getdents64(fd, buf, sizeof(buf)) > 0);
	REQUIRE_OK(rump_sys_close(fd));
	checkfile(FFS_MNT "/d/f", 5000, 7);
	REQUIRE_OK(rump_sys_statvfs(FFS_MNT, &sv));
	REQUIRE_ERRNO(rump_sys_mkdir(FFS_MNT "/d", 0755), EEXIST);
	REQUIRE_ERRNO(rump_sys_open(FFS_MNT "/d/f", O_WRONLY | O_CREAT |
	    O_EXCL, 0644), EEXIST);
	REQUIRE_ERRNO(rump_sys_symlink("f", FFS_MNT "/d/sub"), EEXIST);
	REQUIRE_ERRNO(rump_sys_link(FFS_MNT "/d/f", FFS_MNT "/d/sub"), EEXIST);
	REQUIRE_ERRNO(rump_sys_unlink(FFS_MNT "/nope"), ENOENT);
	REQUIRE_ERRNO(rump_sys_rmdir(FFS_MNT "/d"), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_rmdir(FFS_MNT "/d/f"), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rename(FFS_MNT "/nope", FFS_MNT "/x"), ENOENT);
	REQUIRE_ERRNO(rump_sys_rename(FFS_MNT "/d", FFS_MNT "/d/sub/x"),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_rename(FFS_MNT "/d/sub", FFS_MNT "/d/f"),
	    ENOTDIR);
	/* A rename onto itself succeeds and changes nothing. */
	REQUIRE_OK(rump_sys_rename(FFS_MNT "/d/f", FFS_MNT "/d/f"));
}

/*
 * A read-write mount that changes nothing writes nothing (not even the
 * superblock's time), at sync, at a remount read-only and at unmount.
 * The first change clears the clean flag on the disk at once, before
 * anything else of it is written (so the image differs only in the
 * flag and the times); unmount sets it again.  A read that sets atime
 * is a change too.  makefs puts the superblock at byte sb (8192 for
 * UFS1 and, Debian's, for UFS2 too).
 */
static void
untouched(const char *name, const char *opts, const char *order, size_t sb)
{
	bool be = strcmp(order, "be") == 0;
	unsigned char *before, *now;
	size_t len, n;
	time_t t0;
	int fd;

	mkimage(name, "8m", opts, order);
	REQUIRE_OK(mountrw(0));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/d", 0755));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/d/sub", 0755));
	putfile(FFS_MNT "/d/f", 5000, 7, 0644);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	/* Times no write of the superblock would leave (not this second). */
	REQUIRE_OK(fd = open(img, O_WRONLY));
	REQUIRE_EQ(pwrite(fd, be ? "\0\0\0\1" : "\1\0\0\0", 4,
	    (off_t)(sb + SB_OLD_TIME)), 4);
	REQUIRE_EQ(pwrite(fd, be ? "\0\0\0\0\0\0\0\1" :
	    "\1\0\0\0\0\0\0\0", 8, (off_t)(sb + SB_TIME)), 8);
	REQUIRE_OK(close(fd));
	before = image_bytes(&len);
	REQUIRE_EQ(int_at(before, sb + SB_TIME, 8, be), 1);
	REQUIRE(int_at(before, sb + SB_MAGIC, 4, be) == 0x19540119 ||
	    int_at(before, sb + SB_MAGIC, 4, be) == 0x011954);
	REQUIRE_EQ(before[sb + SB_CLEAN], 1);

	REQUIRE_OK(mountrw(MS_NOATIME));
	look_and_fail();
	REQUIRE_OK(rump_sys_sync());
	same_image(before, len, 0, "looked, synced");
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_REMOUNT | MS_RDONLY, NULL,
	    0));
	same_image(before, len, 0, "remounted read-only");
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_REMOUNT | MS_NOATIME,
	    NULL, 0));
	look_and_fail();
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	same_image(before, len, 0, "unmounted");

	/* One change: the mark is on the disk before it (and alone). */
	t0 = time(NULL);
	REQUIRE_OK(mountrw(0));
	same_image(before, len, 0, "mounted");
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT "/new", 0755));
	same_image(before, len, sb, "first change");
	now = image_bytes(&n);
	REQUIRE_EQ(now[sb + SB_CLEAN], 0);
	REQUIRE(int_at(now, sb + SB_TIME, 8, be) >= (uint64_t)t0);
	free(now);
	REQUIRE_OK(rump_sys_sync());
	now = image_bytes(&n);
	REQUIRE_EQ(now[sb + SB_CLEAN], 0);
	free(now);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	now = image_bytes(&n);
	REQUIRE_EQ(now[sb + SB_CLEAN], 1);
	checkimg();

	/* A read that sets atime (relatime: it is not after mtime). */
	free(before);
	before = now;
	REQUIRE_OK(mountrw(0));
	checkfile(FFS_MNT "/d/f", 5000, 7);
	same_image(before, len, sb, "atime");
	now = image_bytes(&n);
	REQUIRE_EQ(now[sb + SB_CLEAN], 0);
	free(now);
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	now = image_bytes(&n);
	REQUIRE_EQ(now[sb + SB_CLEAN], 1);
	free(now);
	free(before);
	checkimg();
	REQUIRE_OK(mountrw(MS_RDONLY));
	REQUIRE_OK(rump_sys_access(FFS_MNT "/new", F_OK));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
}

TESTCASE(untouched_ufs1) { untouched("unt1", "version=1", "le", 8192); }
TESTCASE(untouched_ufs2_be) { untouched("unt2",
    "version=2,bsize=16384,fsize=2048", "be", 8192); }

TESTS(CASE_NOBOOT(rt_ufs2_le), CASE_NOBOOT(rt_ufs2_be),
    CASE_NOBOOT(rt_ufs1_le), CASE_NOBOOT(rt_ufs1_be),
    CASE_NOBOOT(rt_ufs2_64k), CASE_NOBOOT(workload_ufs2),
    CASE_NOBOOT(workload_ufs1_be), CASE_NOBOOT(clean_flag),
    CASE(enospc), CASE(enospc_indirect), CASE(bigdir), CASE(bigfile_ufs2), CASE(bigfile_ufs1),
    CASE(untouched_ufs1), CASE(untouched_ufs2_be))
