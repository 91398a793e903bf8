/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fallocate(2) on every file system that has it, against the same calls
 * on a file of the host's own /tmp (Linux's ext4 or whatever it is; a
 * mode the host cannot do is left out): ext4 with 1 and 4 KiB blocks,
 * ext2 (block maps), tmpfs and FFS.  A script of writes, truncations and
 * every mode at aligned and unaligned places is run on both files, and
 * after each step the return value and errno, the size and every byte
 * must be the same; where the two map blocks alike (ext4 with 4 KiB
 * blocks beside the host's 4 KiB pages) so must st_blocks and the
 * SEEK_DATA/SEEK_HOLE map, and after unmounting, the state of every
 * block (hole, written, unwritten) that `debugfs ex` reads from our
 * image and `filefrag -v` from the host's file.  Other file systems:
 * what SEEK_HOLE calls a hole reads as zeros.  Then e2fsck -fn (or
 * fsck_ffs -n) finds nothing, and, as root where the host can, a Linux
 * loop mount reads the same bytes.  The errno of each refusal is
 * Linux's; a random sequence of thousands of writes, truncations and
 * fallocate calls (fsx-like) ends with the same bytes and a clean
 * image; running out of space changes nothing (ext4); processes at
 * once on one mount.  And bugs of the ext4 writer: ENOSPC while a write
 * into an unwritten extent splits it left blocks allocated and mapped
 * nowhere; a truncate was not on the orphan list, and finishing a linked
 * orphan at mount left its i_dtime set.
 */
#define _GNU_SOURCE
#include <sys/param.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpvfs.h>
#include <rump/tmpfs_args.h>
#include <rump/ufs_args.h>

#include "h_macros.h"

#define MNT "/mnt"
#define DEV "/dev/fimg"
#define RF MNT "/f"
#define MAXSZ (2 << 20)

enum kind { EXT4_1K, EXT4_4K, EXT2, TMPFS, FFS, FFS2BE };

static enum kind cur;
static char tmpdir[300], img[320], hostf[320];
static int hfd = -1, rfd = -1;
static unsigned char *hbuf, *rbuf;
/* fsx: sizes after every step, everything else at checkpoints only. */
static bool lazy;

/*
 * A case's directory (in the harness's scratch directory, which goes
 * with all in it after the last case) goes when the case ends, with a
 * Linux mount of its image if one is left.
 */
static void
cleanup(void)
{
	char cmd[2048];

	if (tmpdir[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "umount -q '%s/lm' 2>/dev/null; "
	    "rm -rf '%s'", tmpdir, tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup of %s failed\n", tmpdir);
	tmpdir[0] = '\0';
}

static bool
is_ext(void)
{
	return cur == EXT4_1K || cur == EXT4_4K || cur == EXT2;
}

static bool
is_ext4(void)
{
	return cur == EXT4_1K || cur == EXT4_4K;
}

static int
sh(const char *fmt, const char *a)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), fmt, a, a, a, a);
	return system(cmd);
}

/* A fresh file system of kind k at MNT (over an image in tmpdir). */
static void
setup(enum kind k, const char *size)
{
	struct ufs_args ua = { .fspec = (char *)DEV };
	static const char *mkfs[] = {
		[EXT4_1K] = "mke2fs -q -F -t ext4 -b 1024 '%s' %s >/dev/null 2>&1",
		[EXT4_4K] = "mke2fs -q -F -t ext4 -b 4096 '%s' %s >/dev/null 2>&1",
		[EXT2] = "mke2fs -q -F -t ext2 -b 1024 '%s' %s >/dev/null 2>&1",
	};
	char cmd[2048];

	cur = k;
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin", 1);
	snprintf(tmpdir, sizeof(tmpdir), "%s/c.XXXXXX", tests_scratch());
	REQUIRE(mkdtemp(tmpdir) != NULL);
	snprintf(img, sizeof(img), "%s/img", tmpdir);
	snprintf(hostf, sizeof(hostf), "%s/host", tmpdir);
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	if (k == TMPFS) {
		REQUIRE_OK(rump_sys_mount("tmpfs", MNT, 0, NULL, 0));
		return;
	}
	if (k == FFS || k == FFS2BE)
		snprintf(cmd, sizeof(cmd), "mkdir '%s/e' && makefs -t ffs %s "
		    "-s %s '%s' '%s/e' >/dev/null", tmpdir, k == FFS ? "" :
		    "-o version=2,bsize=8192,fsize=1024 -B be", size, img,
		    tmpdir);
	else
		snprintf(cmd, sizeof(cmd), mkfs[k], img, size);
	REQUIRE(system(cmd) == 0);
	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	if (k == FFS2BE)
		cur = FFS;              /* from here on, FFS as any other */
	REQUIRE_OK(rump_sys_mount(cur == FFS ? "ffs" : "ext2fs", MNT, 0, &ua,
	    sizeof(ua)));
}

/* The image must be clean to e2fsck or fsck_ffs. */
static void
unmount_check_image(void)
{
	if (cur == TMPFS)
		return;
	if (cur == FFS) {
		if (sh(FSCK_FFS " -n '%s' >/dev/null 2>&1 || { " FSCK_FFS
		    " -n '%s' >&2; false; }", img) != 0)
			TEST_FAIL("fsck_ffs found problems");
		return;
	}
	if (sh("e2fsck -fn '%s' >/dev/null 2>&1 || { e2fsck -fn '%s' >&2; "
	    "false; }", img) != 0)
		TEST_FAIL("e2fsck -fn found problems");
}

/* Unmount; the image must be clean. */
static void
unmount_check(void)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	unmount_check_image();
}

static void
remount(void)
{
	struct ufs_args ua = { .fspec = (char *)DEV };

	REQUIRE_OK(rump_sys_mount(cur == FFS ? "ffs" : "ext2fs", MNT, 0, &ua,
	    sizeof(ua)));
}

/* The modes this file system has. */
static bool
fs_has(int mode)
{
	int op = mode & ~FALLOC_FL_KEEP_SIZE;

	switch (cur) {
	case EXT4_1K:
	case EXT4_4K:
		return true;
	case TMPFS:
		return op == 0 || op == FALLOC_FL_PUNCH_HOLE ||
		    op == FALLOC_FL_ZERO_RANGE;
	default:
		return op == 0 || op == FALLOC_FL_PUNCH_HOLE;
	}
}

/* The modes the host's /tmp has (tried on a scratch file, once). */
static bool
host_has(int mode)
{
	static signed char known[256];
	char p[400];
	int fd, r;

	if (known[mode & 0xff] != 0)
		return known[mode & 0xff] > 0;
	snprintf(p, sizeof(p), "%s/probe", tmpdir);
	REQUIRE((fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0);
	REQUIRE(ftruncate(fd, 65536) == 0);
	r = fallocate(fd, mode, 4096, 8192);
	close(fd);
	unlink(p);
	known[mode & 0xff] = r == 0 ? 1 : -1;
	return r == 0;
}

static void
open_pair(void)
{
	REQUIRE((hfd = open(hostf, O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0);
	REQUIRE_OK(rfd = rump_sys_open(RF, O_RDWR | O_CREAT | O_TRUNC, 0644));
	if (hbuf == NULL) {
		REQUIRE((hbuf = malloc(MAXSZ * 2)) != NULL);
		REQUIRE((rbuf = malloc(MAXSZ * 2)) != NULL);
	}
}

static void
close_pair(void)
{
	REQUIRE(close(hfd) == 0);
	REQUIRE_OK(rump_sys_close(rfd));
}

/* Both files' data/hole maps: pairs of [data, hole) offsets. */
static int
seekmap(int fd, bool ours, off_t *map, int max)
{
	off_t off = 0, d, h;
	int n = 0;

	while (n < max - 1) {
		errno = 0;
		d = ours ? rump_sys_lseek(fd, off, SEEK_DATA) :
		    lseek(fd, off, SEEK_DATA);
		if (d == -1) {
			REQUIRE_EQ(errno, ENXIO);
			break;
		}
		h = ours ? rump_sys_lseek(fd, d, SEEK_HOLE) :
		    lseek(fd, d, SEEK_HOLE);
		REQUIRE(h > d);
		map[n++] = d;
		map[n++] = h;
		off = h;
	}
	return n;
}

/* Size, bytes and (where comparable) blocks and maps must agree. */
static void
compare(const char *what)
{
	struct stat hs, rs;
	off_t hm[512], rm[512];
	int hn, rn;

	REQUIRE(fstat(hfd, &hs) == 0);
	REQUIRE_OK(rump_sys_fstat(rfd, &rs));
	if (hs.st_size != rs.st_size)
		TEST_FAIL("%s: size %lld, host %lld", what,
		    (long long)rs.st_size, (long long)hs.st_size);
	if (lazy)
		return;
	REQUIRE(hs.st_size <= MAXSZ * 2);
	REQUIRE_EQ(pread(hfd, hbuf, (size_t)hs.st_size, 0), hs.st_size);
	REQUIRE_EQ(rump_sys_pread(rfd, rbuf, (size_t)rs.st_size, 0),
	    rs.st_size);
	for (off_t i = 0; i < hs.st_size; i++)
		if (hbuf[i] != rbuf[i])
			TEST_FAIL("%s: byte %lld is %d, host %d", what,
			    (long long)i, rbuf[i], hbuf[i]);
	rn = seekmap(rfd, true, rm, 512);
	/* What we call a hole reads as zeros. */
	for (int i = 0; i < rn; i += 2) {
		off_t from = i == 0 ? 0 : rm[i - 1], to = rm[i];

		for (off_t o = from; o < to; o++)
			if (rbuf[o] != 0)
				TEST_FAIL("%s: hole at %lld holds data", what,
				    (long long)o);
	}
	if (cur != EXT4_4K)
		return;
	/* The host's pages cached: written back and dropped first. */
	REQUIRE(fsync(hfd) == 0);
	REQUIRE(posix_fadvise(hfd, 0, 0, POSIX_FADV_DONTNEED) == 0);
	hn = seekmap(hfd, false, hm, 512);
	if (hn != rn || memcmp(hm, rm, (size_t)hn * sizeof(off_t)) != 0) {
		for (int i = 0; i < hn; i += 2)
			fprintf(stderr, "host data [%lld, %lld)\n",
			    (long long)hm[i], (long long)hm[i + 1]);
		for (int i = 0; i < rn; i += 2)
			fprintf(stderr, "ours data [%lld, %lld)\n",
			    (long long)rm[i], (long long)rm[i + 1]);
		TEST_FAIL("%s: SEEK_DATA/SEEK_HOLE maps differ", what);
	}
	/*
	 * Data blocks alike; extent tree blocks may differ (Linux leaves a
	 * tree a level deep that ours pulls back into the inode): two at
	 * most.  The block maps compared after the script are exact.
	 */
	if (rs.st_blocks > hs.st_blocks + 16 || hs.st_blocks > rs.st_blocks + 16)
		TEST_FAIL("%s: st_blocks %lld, host %lld", what,
		    (long long)rs.st_blocks, (long long)hs.st_blocks);
}

static const char *
mode_name(int mode)
{
	static char b[64];

	snprintf(b, sizeof(b), "%s%s%s%s%s%s", mode == 0 ? "ALLOC" : "",
	    mode & FALLOC_FL_PUNCH_HOLE ? "PUNCH" : "",
	    mode & FALLOC_FL_ZERO_RANGE ? "ZERO" : "",
	    mode & FALLOC_FL_COLLAPSE_RANGE ? "COLLAPSE" : "",
	    mode & FALLOC_FL_INSERT_RANGE ? "INSERT" : "",
	    mode & FALLOC_FL_KEEP_SIZE ? "|KEEP" : "");
	return b;
}

/*
 * One fallocate on both files: the same result and errno.  A mode this
 * file system lacks is EOPNOTSUPP here and not made on the host; one the
 * host lacks is made on neither.
 */
static void
both_falloc(int mode, off_t off, off_t len)
{
	char what[128];
	int hr, he, rr, re;

	snprintf(what, sizeof(what), "fallocate %s %lld+%lld",
	    mode_name(mode), (long long)off, (long long)len);
	if (!host_has(mode))
		return;
	errno = 0;
	rr = rump_sys_fallocate(rfd, mode, off, len);
	re = errno;
	if (!fs_has(mode)) {
		if (rr != -1 || re != EOPNOTSUPP)
			TEST_FAIL("%s: %d errno %d, expected EOPNOTSUPP", what,
			    rr, re);
		return;
	}
	errno = 0;
	hr = fallocate(hfd, mode, off, len);
	he = errno;
	if (rr != hr || (rr != 0 && re != he))
		TEST_FAIL("%s: %d errno %d (%s), host %d errno %d (%s)", what,
		    rr, re, strerror(re), hr, he, strerror(he));
	compare(what);
}

static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

static void
both_write(off_t off, size_t len)
{
	char what[64];

	for (size_t i = 0; i < len; i++)
		hbuf[i] = (unsigned char)(rng() | 1);
	REQUIRE_EQ(pwrite(hfd, hbuf, len, off), len);
	REQUIRE_EQ(rump_sys_pwrite(rfd, hbuf, len, off), len);
	snprintf(what, sizeof(what), "write %lld+%zu", (long long)off, len);
	compare(what);
}

static void
both_truncate(off_t size)
{
	char what[64];

	REQUIRE(ftruncate(hfd, size) == 0);
	REQUIRE_OK(rump_sys_ftruncate(rfd, size));
	snprintf(what, sizeof(what), "truncate %lld", (long long)size);
	compare(what);
}

/* Per 4 KiB block of the host's file: 0 hole, 1 written, 2 unwritten. */
static int
host_blocks(unsigned char *st, int max)
{
	char cmd[1024], line[512];
	unsigned long long l0, l1, p0, p1, n;
	int top = 0;
	FILE *f;

	memset(st, 0, (size_t)max);
	REQUIRE(fsync(hfd) == 0);
	snprintf(cmd, sizeof(cmd), "filefrag -v '%s' 2>/dev/null", hostf);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " %*u: %llu.. %llu: %llu.. %llu: %llu:", &l0,
		    &l1, &p0, &p1, &n) != 5)
			continue;
		for (unsigned long long b = l0; b <= l1 && b < (unsigned)max;
		    b++)
			st[b] = strstr(line, "unwritten") != NULL ? 2 : 1;
		top = MAX(top, (int)MIN(l1 + 1, (unsigned)max));
	}
	REQUIRE(pclose(f) == 0);
	return top;
}

/* The same from our image, by debugfs's extent listing of /f. */
static int
our_blocks(unsigned char *st, int max)
{
	char cmd[1024], line[512];
	unsigned long long l0, l1, p0, p1, n;
	int a, b, c, d, top = 0;
	FILE *f;

	memset(st, 0, (size_t)max);
	snprintf(cmd, sizeof(cmd), "debugfs -R 'ex /f' '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " %d/ %d %d/ %d %llu - %llu %llu - %llu %llu",
		    &a, &b, &c, &d, &l0, &l1, &p0, &p1, &n) != 9 || a != b)
			continue;
		for (unsigned long long k = l0; k <= l1 && k < (unsigned)max;
		    k++)
			st[k] = strstr(line, "Uninit") != NULL ? 2 : 1;
		top = MAX(top, (int)MIN(l1 + 1, (unsigned)max));
	}
	REQUIRE(pclose(f) == 0);
	return top;
}

/* As root where the host can: Linux reads the same bytes. */
static void
linux_reads(void)
{
	char dir[400], p[480], cmd[1024];
	struct stat hs;
	int fd;

	if (geteuid() != 0)
		return;
	snprintf(dir, sizeof(dir), "%s/lm", tmpdir);
	REQUIRE(mkdir(dir, 0755) == 0);
	snprintf(cmd, sizeof(cmd), "mount -o loop,ro '%s' '%s' >/dev/null "
	    "2>&1", img, dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "no loop mount here: Linux's reading skipped\n");
		return;
	}
	snprintf(p, sizeof(p), "%s/f", dir);
	fd = open(p, O_RDONLY);
	REQUIRE(fstat(hfd, &hs) == 0);
	if (fd >= 0) {
		REQUIRE_EQ(pread(fd, rbuf, MAXSZ * 2, 0), hs.st_size);
		REQUIRE_EQ(pread(hfd, hbuf, (size_t)hs.st_size, 0),
		    hs.st_size);
		close(fd);
	}
	REQUIRE(sh("umount '%s/lm'", tmpdir) == 0);
	REQUIRE(fd >= 0);
	REQUIRE(memcmp(hbuf, rbuf, (size_t)hs.st_size) == 0);
}

static const int modes[] = { 0, FALLOC_FL_KEEP_SIZE,
	FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, FALLOC_FL_ZERO_RANGE,
	FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, FALLOC_FL_COLLAPSE_RANGE,
	FALLOC_FL_INSERT_RANGE };
#define NMODES (int)(sizeof(modes) / sizeof(modes[0]))

/* The script: every mode, aligned and not, inside, across and past EOF. */
static void
script(void)
{
	rng_state = 1;
	open_pair();
	both_write(0, 200000);
	both_falloc(modes[2], 5000, 3000);
	both_falloc(modes[2], 16384, 32768);
	/* The pages or blocks are gone: a hole where the punch began. */
	if (cur != FFS)
		REQUIRE_EQ(rump_sys_lseek(rfd, 16384, SEEK_HOLE), 16384);
	both_falloc(modes[2], 100000, 1);
	both_falloc(modes[2], 190000, 60000);
	both_falloc(modes[2], 300000, 4096);
	both_falloc(modes[3], 40000, 20000);
	both_falloc(modes[4], 195000, 20000);
	both_falloc(modes[3], 210000, 5000);
	both_falloc(modes[1], 250000, 65536);
	both_write(260000, 10);
	both_falloc(modes[0], 400000, 8192);
	both_falloc(modes[0], 0, 400000);
	both_write(20000, 3000);
	both_falloc(modes[5], 8192, 16384);
	both_falloc(modes[5], 1000, 4096);
	both_falloc(modes[5], 0, 409600);
	both_falloc(modes[6], 4096, 8192);
	both_falloc(modes[6], 4096 * 200, 4096);
	both_falloc(modes[6], 1000, 4096);
	both_truncate(100000);
	both_falloc(modes[1], 90000, 50000);
	both_write(95000, 9000);
	both_truncate(300000);
	both_falloc(modes[4], 0, 4096);
	both_falloc(modes[2], 0, 300000);
	both_write(150000, 70000);
	both_falloc(modes[6], 0, 65536);
	both_falloc(modes[5], 65536, 65536);
	both_falloc(modes[1], 300000, 40000);
	both_falloc(modes[3], 100000, 30000);
	both_falloc(modes[0], 20000, 10000);
	close_pair();
}

static void
script_case(enum kind k)
{
	unsigned char hs[1024], os[1024];
	int hn, on;

	setup(k, "64m");
	script();
	REQUIRE_OK(rfd = rump_sys_open(RF, O_RDWR));
	REQUIRE((hfd = open(hostf, O_RDWR)) >= 0);
	compare("again");
	REQUIRE_OK(rump_sys_close(rfd));
	unmount_check();
	if (k == EXT4_4K) {
		hn = host_blocks(hs, 1024);
		on = our_blocks(os, 1024);
		REQUIRE(hn > 16 && memchr(hs, 2, (size_t)hn) != NULL);
		for (int b = 0; b < MAX(hn, on); b++)
			if (hs[b] != os[b])
				TEST_FAIL("block %d: ours %d, host's %d (0 hole, "
				    "1 written, 2 unwritten)", b, os[b], hs[b]);
	}
	if (is_ext())
		linux_reads();
	if (k != TMPFS) {
		remount();
		REQUIRE_OK(rfd = rump_sys_open(RF, O_RDWR));
		compare("remounted");
		REQUIRE_OK(rump_sys_close(rfd));
		unmount_check();
	}
	REQUIRE(close(hfd) == 0);
	cleanup();
}

TESTCASE(script_ext4_1k) { script_case(EXT4_1K); }
TESTCASE(script_ext4_4k) { script_case(EXT4_4K); }
TESTCASE(script_ext2) { script_case(EXT2); }
TESTCASE(script_tmpfs) { script_case(TMPFS); }
TESTCASE(script_ffs) { script_case(FFS); }
TESTCASE(script_ffs2be) { script_case(FFS2BE); }

/* Writes, truncations and fallocate at random, against the host. */
static void
fsx_case(enum kind k, int nops)
{
	struct stat st;
	off_t off, len;
	char what[64];
	int mode;

	setup(k, "64m");
	open_pair();
	rng_state = 42 + (uint64_t)k;
	for (int i = 0; i < nops; i++) {
		uint32_t r = rng() % 100;

		lazy = (i + 1) % 100 != 0;
		off = rng() % (MAXSZ / 2);
		len = 1 + rng() % 65536;
		if (r < 30) {
			both_write(off, (size_t)len);
			continue;
		}
		if (r < 40) {
			both_truncate(rng() % (MAXSZ / 2));
			continue;
		}
		mode = modes[rng() % NMODES];
		if ((mode & (FALLOC_FL_COLLAPSE_RANGE |
		    FALLOC_FL_INSERT_RANGE)) && rng() % 8 != 0) {
			off &= ~(off_t)4095;
			len = (len + 4095) & ~(off_t)4095;
		}
		REQUIRE(fstat(hfd, &st) == 0);
		/* The files stay under the buffers' size. */
		if (st.st_size + len > MAXSZ && mode == FALLOC_FL_INSERT_RANGE)
			continue;
		both_falloc(mode, off, len);
	}
	lazy = false;
	snprintf(what, sizeof(what), "after %d operations", nops);
	compare(what);
	close_pair();
	unmount_check();
	cleanup();
}

TESTCASE(fsx_ext4_1k) { fsx_case(EXT4_1K, TESTS_ROUNDS(1200)); }
TESTCASE(fsx_ext4_4k) { fsx_case(EXT4_4K, TESTS_ROUNDS(1200)); }
TESTCASE(fsx_ext2) { fsx_case(EXT2, TESTS_ROUNDS(800)); }
TESTCASE(fsx_tmpfs) { fsx_case(TMPFS, TESTS_ROUNDS(1500)); }
TESTCASE(fsx_ffs) { fsx_case(FFS, TESTS_ROUNDS(800)); }
TESTCASE(fsx_ffs2be) { fsx_case(FFS2BE, TESTS_ROUNDS(500)); }

/* Refusals, each with Linux's errno (and the host's, where it agrees). */
static void
errno_case(enum kind k)
{
	int fd, ro, pfd[2], ffd, pathfd;

	setup(k, "32m");
	REQUIRE_OK(fd = rump_sys_open(RF, O_RDWR | O_CREAT, 0644));
	REQUIRE_OK(rump_sys_ftruncate(fd, 65536));
	REQUIRE_ERRNO(rump_sys_fallocate(fd, 0, 0, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, 0, -1, 10), EINVAL);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, 0, 0, -5), EINVAL);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, 0x100, 0, 10), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_PUNCH_HOLE |
	    FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 10), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE |
	    FALLOC_FL_KEEP_SIZE, 0, 4096), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_NO_HIDE_STALE |
	    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, 0, INT64_MAX - 10, 100), EFBIG);
	REQUIRE_ERRNO(rump_sys_fallocate(fd, 0, 1LL << 50, 4096), EFBIG);
	REQUIRE_ERRNO(rump_sys_fallocate(99, 0, 0, 10), EBADF);
	if (is_ext4()) {
		REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE,
		    1000, 4096), EINVAL);
		REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE,
		    0, 65536), EINVAL);
		REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_INSERT_RANGE,
		    65536, 4096), EINVAL);
		REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_INSERT_RANGE,
		    4096, 1000), EINVAL);
	} else {
		REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE,
		    0, 4096), EOPNOTSUPP);
		REQUIRE_ERRNO(rump_sys_fallocate(fd, FALLOC_FL_INSERT_RANGE,
		    0, 4096), EOPNOTSUPP);
	}
	REQUIRE_OK(ro = rump_sys_open(RF, O_RDONLY));
	REQUIRE_ERRNO(rump_sys_fallocate(ro, 0, 0, 10), EBADF);
	REQUIRE_OK(rump_sys_close(ro));
	REQUIRE_OK(ro = rump_sys_open(MNT, O_RDONLY | O_DIRECTORY));
	REQUIRE_ERRNO(rump_sys_fallocate(ro, 0, 0, 10), EBADF);
	REQUIRE_OK(rump_sys_close(ro));
	REQUIRE_OK(pathfd = rump_sys_open(RF, O_PATH));
	REQUIRE_ERRNO(rump_sys_fallocate(pathfd, 0, 0, 10), EBADF);
	REQUIRE_OK(rump_sys_close(pathfd));
	REQUIRE_OK(rump_sys_pipe2(pfd, 0));
	REQUIRE_ERRNO(rump_sys_fallocate(pfd[1], 0, 0, 10), ESPIPE);
	REQUIRE_ERRNO(rump_sys_fallocate(pfd[0], 0, 0, 10), EBADF);
	REQUIRE_OK(rump_sys_close(pfd[0]));
	REQUIRE_OK(rump_sys_close(pfd[1]));
	REQUIRE_OK(rump_sys_mknod(MNT "/fifo", S_IFIFO | 0644, 0));
	REQUIRE_OK(ffd = rump_sys_open(MNT "/fifo", O_RDWR));
	REQUIRE_ERRNO(rump_sys_fallocate(ffd, 0, 0, 10), ESPIPE);
	REQUIRE_OK(rump_sys_close(ffd));
	/* Out of space: refused, and (ext4) nothing allocated. */
	if (k != TMPFS) {
		struct statvfs a, b;

		REQUIRE_OK(rump_sys_statvfs(MNT, &a));
		REQUIRE_ERRNO(rump_sys_fallocate(fd, 0, 0, 1LL << 30), ENOSPC);
		REQUIRE_OK(rump_sys_statvfs(MNT, &b));
		if (is_ext4())
			REQUIRE_EQ(b.f_bfree, a.f_bfree);
		REQUIRE_OK(rump_sys_fallocate(fd, 0, 0, 1 << 20));
	}
	REQUIRE_OK(rump_sys_close(fd));
	unmount_check();
	cleanup();
}

TESTCASE(errno_ext4_1k) { errno_case(EXT4_1K); }
TESTCASE(errno_ext2) { errno_case(EXT2); }
TESTCASE(errno_tmpfs) { errno_case(TMPFS); }
TESTCASE(errno_ffs) { errno_case(FFS); }

/* The host's kernel agrees with the errno of the checks above. */
TESTCASE(errno_host)
{
	char p[400];
	int fd;

	snprintf(tmpdir, sizeof(tmpdir), "%s/c.XXXXXX", tests_scratch());
	REQUIRE(mkdtemp(tmpdir) != NULL);
	snprintf(p, sizeof(p), "%s/f", tmpdir);
	REQUIRE((fd = open(p, O_RDWR | O_CREAT, 0644)) >= 0);
	REQUIRE(ftruncate(fd, 65536) == 0);
	REQUIRE_ERRNO(fallocate(fd, 0, 0, 0), EINVAL);
	REQUIRE_ERRNO(fallocate(fd, 0, -1, 10), EINVAL);
	REQUIRE_ERRNO(fallocate(fd, 0x100, 0, 10), EOPNOTSUPP);
	REQUIRE_ERRNO(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10), EOPNOTSUPP);
	REQUIRE_ERRNO(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE |
	    FALLOC_FL_KEEP_SIZE, 0, 10), EOPNOTSUPP);
	REQUIRE_ERRNO(fallocate(fd, FALLOC_FL_NO_HIDE_STALE |
	    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10), EOPNOTSUPP);
	REQUIRE_ERRNO(fallocate(fd, 0, INT64_MAX - 10, 100), EFBIG);
	REQUIRE_ERRNO(fallocate(fd, 0, 1LL << 50, 4096), EFBIG);
	REQUIRE_ERRNO(fallocate(99, 0, 0, 10), EBADF);
	if (host_has(FALLOC_FL_COLLAPSE_RANGE)) {
		REQUIRE_ERRNO(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 1000,
		    4096), EINVAL);
		REQUIRE_ERRNO(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0,
		    65536), EINVAL);
		REQUIRE_ERRNO(fallocate(fd, FALLOC_FL_INSERT_RANGE, 65536,
		    4096), EINVAL);
	}
	close(fd);
	REQUIRE((fd = open(p, O_RDONLY)) >= 0);
	REQUIRE_ERRNO(fallocate(fd, 0, 0, 10), EBADF);
	close(fd);
	cleanup();
}

/*
 * ENOSPC while a write into an unwritten extent splits it: the extent
 * was shortened before the new leaf block was had, and its blocks past
 * the write were left allocated and mapped nowhere (e2fsck: block
 * bitmap differences).
 */
TESTCASE(ext4_split_enospc)
{
	char cmd[1024], *chunk;
	bool full = false;
	int fd, ffd;

	setup(EXT4_1K, "4m");
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	snprintf(cmd, sizeof(cmd), "cd '%s' && echo x > src && debugfs -w "
	    "-R 'write src /f' img && debugfs -w -R 'fallocate /f 0 999' img "
	    "&& debugfs -w -R 'sif /f size 1024000' img", tmpdir);
	REQUIRE(sh("{ %s; } >/dev/null 2>&1", cmd) == 0);
	remount();
	REQUIRE((chunk = calloc(1, 65536)) != NULL);
	REQUIRE_OK(ffd = rump_sys_open(MNT "/fill", O_WRONLY | O_CREAT, 0644));
	for (size_t n = 65536; n > 0; n /= 2)
		while (rump_sys_write(ffd, chunk, n) == (ssize_t)n)
			;
	REQUIRE_OK(rump_sys_close(ffd));
	free(chunk);
	REQUIRE_OK(fd = rump_sys_open(RF, O_WRONLY));
	for (off_t b = 1; b < 1000; b += 2) {
		errno = 0;
		if (rump_sys_pwrite(fd, "y", 1, b * 1024) != 1) {
			REQUIRE_EQ(errno, ENOSPC);
			full = true;
			break;
		}
	}
	REQUIRE(full);
	REQUIRE_OK(rump_sys_close(fd));
	unmount_check();
	cleanup();
}

/* debugfs's figure after label in the output of a request, or -1. */
static long long
debugfs_num(const char *req, const char *label)
{
	char cmd[1024], line[512], *p;
	long long v = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "debugfs -R '%s' '%s' 2>/dev/null", req,
	    img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (v == -1 && (p = strstr(line, label)) != NULL)
			v = strtoll(p + strlen(label), NULL, 0);
	REQUIRE(pclose(f) == 0);
	return v;
}

/*
 * A big truncate of a linked file: on the orphan list while its blocks
 * go, off it after, its i_dtime (the list's link) 0 again; e2fsck clean.
 */
TESTCASE(ext4_truncate_orphan)
{
	char *chunk;
	int fd, gd;

	setup(EXT4_1K, "16m");
	REQUIRE((chunk = malloc(1 << 20)) != NULL);
	memset(chunk, 0x5a, 1 << 20);
	REQUIRE_OK(fd = rump_sys_open(RF, O_RDWR | O_CREAT, 0644));
	REQUIRE_OK(gd = rump_sys_open(MNT "/g", O_RDWR | O_CREAT, 0644));
	for (int i = 0; i < 4; i++) {
		REQUIRE_EQ(rump_sys_write(fd, chunk, 1 << 20), 1 << 20);
		REQUIRE_EQ(rump_sys_write(gd, chunk, 1 << 18), 1 << 18);
	}
	/* One on the list already (unlinked, open): the truncate joins it. */
	REQUIRE_OK(rump_sys_unlink(MNT "/g"));
	REQUIRE_OK(rump_sys_ftruncate(fd, 100000));
	REQUIRE_OK(rump_sys_sync());
	REQUIRE_EQ(debugfs_num("stats", "First orphan inode:"), 13);
	REQUIRE_OK(rump_sys_ftruncate(fd, 0));
	REQUIRE_OK(rump_sys_close(gd));
	REQUIRE_OK(rump_sys_close(fd));
	free(chunk);
	unmount_check();
	REQUIRE_EQ(debugfs_num("stat /f", "dtime:"), -1);
	REQUIRE_EQ(debugfs_num("stat /f", "Blockcount: "), 0);
	REQUIRE_EQ(debugfs_num("stats", "First orphan inode:"), -1);
	cleanup();
}

/*
 * What a crash in the middle of such truncates leaves, made by debugfs:
 * two linked files on the orphan list with their new sizes, their
 * blocks past them still mapped.  The next read-write mount finishes
 * both and takes them off the list, each i_dtime 0 again.
 */
TESTCASE(ext4_truncate_orphan_recovery)
{
	char cmd[2048];

	setup(EXT4_1K, "16m");
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	snprintf(cmd, sizeof(cmd), "cd '%s' && head -c 300000 /dev/urandom "
	    "> src && debugfs -w -R 'write src /f' img && debugfs -w -R "
	    "'write src /g' img && debugfs -w -R 'sif /f size 5000' img && "
	    "debugfs -w -R 'sif /g size 70000' img && debugfs -w -R "
	    "'sif /f dtime 13' img && debugfs -w -R 'ssv last_orphan 12' img",
	    tmpdir);
	REQUIRE(sh("{ %s; } >/dev/null 2>&1", cmd) == 0);
	remount();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	unmount_check_image();
	REQUIRE_EQ(debugfs_num("stat /f", "Blockcount: "), 10);
	REQUIRE_EQ(debugfs_num("stat /g", "Blockcount: "), 138);
	REQUIRE_EQ(debugfs_num("stats", "First orphan inode:"), -1);
	cleanup();
}

/*
 * Processes at once on one mount (each with a copy of the descriptor
 * table, so the shared file's descriptor too), each on a file of its own
 * and on its own part of a shared one, every mode mirrored in a model
 * of the bytes: each file holds exactly its model after, and the image
 * is clean.
 */
#define NPROC 6
#define PSZ (256 * 1024)

struct pwork {
	int id;
	uint64_t seed;
	unsigned char *m;               /* the model of its own file */
	size_t msize;
	int error;
};

static int shared_fd;

static uint32_t
prng(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

/* One operation on fd and the model m of its size *szp. */
static int
pop(struct pwork *w, int fd, unsigned char *m, size_t *szp, size_t max)
{
	static const int pm[] = { 0, FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, FALLOC_FL_ZERO_RANGE,
		FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE };
	size_t off = prng(&w->seed) % (max / 2), len = 1 + prng(&w->seed) %
	    (max / 8), sz = *szp;
	unsigned char b[PSZ / 8 + 1];
	int mode = pm[prng(&w->seed) % 6];

	if (!fs_has(mode))
		mode = 0;
	if (prng(&w->seed) % 3 == 0) {
		for (size_t i = 0; i < len; i++)
			b[i] = (unsigned char)(prng(&w->seed) | 1);
		if (rump_sys_pwrite(fd, b, len, (off_t)off) != (ssize_t)len)
			return errno;
		memcpy(m + off, b, len);
		*szp = MAX(sz, off + len);
		return 0;
	}
	if (mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE)) {
		off &= ~(size_t)4095;
		len = (len + 4095) & ~(size_t)4095;
		if ((mode == FALLOC_FL_COLLAPSE_RANGE && off + len >= sz) ||
		    (mode == FALLOC_FL_INSERT_RANGE && (off >= sz ||
		    sz + len > max)))
			return 0;
	}
	if (rump_sys_fallocate(fd, mode, (off_t)off, (off_t)len) != 0)
		return errno;
	switch (mode) {
	case 0:
	case FALLOC_FL_ZERO_RANGE:
		if (mode != 0)
			memset(m + off, 0, len);
		*szp = MAX(sz, off + len);
		break;
	case FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE:
		if (off < sz)
			memset(m + off, 0, MIN(len, sz - off));
		break;
	case FALLOC_FL_COLLAPSE_RANGE:
		memmove(m + off, m + off + len, sz - off - len);
		memset(m + sz - len, 0, len);
		*szp = sz - len;
		break;
	case FALLOC_FL_INSERT_RANGE:
		memmove(m + off + len, m + off, sz - off);
		memset(m + off, 0, len);
		*szp = sz + len;
		break;
	}
	return 0;
}

static void *
pwork(void *arg)
{
	struct pwork *w = arg;
	unsigned char *sm = calloc(1, PSZ), *rb = malloc(PSZ);
	size_t ssz = 0, sz = 0;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), MNT "/p%d", w->id);
	if (sm == NULL || rb == NULL ||
	    rump_pub_lwproc_rfork(RUMP_RFFDG) != 0 ||
	    (fd = rump_sys_open(path, O_RDWR | O_CREAT, 0644)) < 0) {
		w->error = errno != 0 ? errno : ENOMEM;
		free(sm);
		free(rb);
		return NULL;
	}
	for (int i = 0; i < TESTS_ROUNDS(300) && w->error == 0; i++) {
		w->error = pop(w, fd, w->m, &w->msize, PSZ);
		/* Its own quarter of the shared file: punches and zeroes. */
		if (w->error == 0 && i % 4 == 0) {
			off_t base = (off_t)w->id * PSZ, o = prng(&w->seed) %
			    (PSZ / 2);

			if (rump_sys_pwrite(shared_fd, "abcdefgh", 8, base + o) !=
			    8 || rump_sys_fallocate(shared_fd,
			    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    base + o + 2, 3) != 0)
				w->error = errno;
			memcpy(sm + o, "ab\0\0\0fgh", 8);
			ssz = MAX(ssz, (size_t)o + 8);
		}
	}
	if (w->error == 0) {
		sz = w->msize;
		if (rump_sys_pread(fd, rb, PSZ, 0) != (ssize_t)sz)
			w->error = EFBIG;
		else if (memcmp(rb, w->m, sz) != 0)
			w->error = EIO;
		else if (rump_sys_pread(shared_fd, rb, ssz, (off_t)w->id *
		    PSZ) != (ssize_t)ssz || memcmp(rb, sm, ssz) != 0)
			w->error = EILSEQ;
	}
	rump_sys_close(fd);
	free(sm);
	free(rb);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
concurrent_case(enum kind k)
{
	struct pwork w[NPROC];
	pthread_t th[NPROC];

	setup(k, "64m");
	REQUIRE_OK(shared_fd = rump_sys_open(MNT "/shared", O_RDWR | O_CREAT,
	    0644));
	REQUIRE_OK(rump_sys_ftruncate(shared_fd, (off_t)NPROC * PSZ));
	for (int i = 0; i < NPROC; i++) {
		w[i] = (struct pwork){ .id = i, .seed = 7 + (uint64_t)i };
		REQUIRE((w[i].m = calloc(1, PSZ)) != NULL);
		REQUIRE_EQ(pthread_create(&th[i], NULL, pwork, &w[i]), 0);
	}
	for (int i = 0; i < NPROC; i++) {
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
		if (w[i].error != 0)
			TEST_FAIL("process %d: error %d", i, w[i].error);
		free(w[i].m);
	}
	REQUIRE_OK(rump_sys_close(shared_fd));
	unmount_check();
	cleanup();
}

TESTCASE(concurrent_ext4) { concurrent_case(EXT4_4K); }
TESTCASE(concurrent_tmpfs) { concurrent_case(TMPFS); }

TESTS(CASE(script_ext4_1k), CASE(script_ext4_4k), CASE(script_ext2),
    CASE(script_tmpfs), CASE(script_ffs), CASE(script_ffs2be),
    CASE(fsx_ext4_1k),
    CASE(fsx_ext4_4k), CASE(fsx_ext2), CASE(fsx_tmpfs), CASE(fsx_ffs),
    CASE(fsx_ffs2be),
    CASE(errno_ext4_1k), CASE(errno_ext2), CASE(errno_tmpfs),
    CASE(errno_ffs), CASE_NOBOOT(errno_host), CASE(ext4_split_enospc),
    CASE(ext4_truncate_orphan), CASE(ext4_truncate_orphan_recovery),
    CASE(concurrent_ext4), CASE(concurrent_tmpfs))
