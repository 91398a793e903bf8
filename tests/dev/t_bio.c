/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The buffer cache, through the kernel-side functions of
 * kernspace/ks_bio.c on an etfs block device: delayed writes reach the
 * host file at sync(2), through the syncer within vfs.syncdelay, at
 * close and at reboot; concurrent readers of a block share one I/O; the
 * cache stays inside RUMP_MEMLIMIT; a host I/O error is EIO.  Clusters:
 * blocks read ahead and delayed writes that follow each other on the
 * device go in one request each (counted), up to 256 KiB, with every
 * byte where it belongs.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "kernspace/bio_test.h"

static char hostfile[256];

/* A host file of size bytes of zeroes, registered as /dev/disk. */
static void
mkdisk(off_t size)
{
	int fd;

	snprintf(hostfile, sizeof(hostfile), "%s/disk.XXXXXX", tests_scratch());
	REQUIRE((fd = mkstemp(hostfile)) != -1);
	REQUIRE(ftruncate(fd, size) == 0);
	close(fd);
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", hostfile,
	    RUMP_ETFS_BLK), 0);
}

/* Whether the host file has n bytes of c at off. */
static int
host_has(off_t off, size_t n, int c)
{
	unsigned char buf[65536];
	int fd;

	REQUIRE(n <= sizeof(buf));
	REQUIRE((fd = open(hostfile, O_RDONLY)) != -1);
	REQUIRE_EQ(pread(fd, buf, n, off), n);
	close(fd);
	for (size_t i = 0; i < n; i++)
		if (buf[i] != (unsigned char)c)
			return 0;
	return 1;
}

TESTCASE(bdwrite_sync)
{
	mkdisk(1 << 20);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_write(16, 4096, 0x5a, 0, 0), 0);
	REQUIRE_OK(rump_sys_sync());
	REQUIRE(host_has(16 * 512, 4096, 0x5a));
	REQUIRE(host_has(15 * 512, 512, 0));
	REQUIRE_EQ(rump_test_bio_write(64, 8192, 0x11, 1, 1), 0);
	REQUIRE(host_has(64 * 512, 8192, 0x11));       /* bwrite: at once */
	REQUIRE_EQ(rump_test_bio_write(128, 2048, 0x22, 2, 0), 0);
	REQUIRE_EQ(rump_test_bio_write(256, 2048, 0x33, 0, 0), 0);
	/* A mounted device is the mount's. */
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), EBUSY);
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/disk"), EBUSY);
	REQUIRE_EQ(rump_test_bio_close(), 0);
	REQUIRE(host_has(128 * 512, 2048, 0x22));
	REQUIRE(host_has(256 * 512, 2048, 0x33));
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/disk"), 0);
}

TESTCASE(syncer)
{
	int one = 1;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int i;

	mkdisk(1 << 20);
	REQUIRE_EQ(rump_pub_sysctlbyname("vfs.syncdelay", NULL, NULL, &one,
	    sizeof(one)), 0);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_write(8, 4096, 0x77, 0, 0), 0);
	/* Within syncdelay plus the syncer's one-second round, and some. */
	for (i = 0; i < 40 && !host_has(8 * 512, 4096, 0x77); i++)
		nanosleep(&ts, NULL);
	REQUIRE(i < 40);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

TESTCASE(reboot_flushes)
{
	mkdisk(1 << 20);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_write(40, 4096, 0x99, 0, 0), 0);
	REQUIRE_OK(rump_sys_reboot(RUMP_RB_HALT, NULL));
	REQUIRE(host_has(40 * 512, 4096, 0x99));
}

TESTCASE(read_cached)
{
	uint64_t r0, r1, w, h0, h1, b, m;
	size_t used;
	char buf[4096];

	mkdisk(1 << 20);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r0, &w, &h0, &b, &m, &used), 0);
	REQUIRE_EQ(rump_test_bio_read(24, 4096, buf), 0);
	REQUIRE_EQ(rump_test_bio_read(24, 4096, buf), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r1, &w, &h1, &b, &m, &used), 0);
	REQUIRE_EQ(r1 - r0, 1);
	REQUIRE_EQ(h1 - h0, 1);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

/*
 * The blocks read ahead are in the cache, with the host's bytes, read
 * in one request with the block wanted.
 */
TESTCASE(readahead)
{
	uint64_t r0, r1, w, h0, h1, b, m;
	size_t used;
	char buf[8192], want[8192];
	int fd, i;

	mkdisk(1 << 20);
	REQUIRE((fd = open(hostfile, O_WRONLY)) != -1);
	for (i = 0; i < 8; i++) {
		memset(want, 'a' + i, sizeof(want));
		REQUIRE_EQ(pwrite(fd, want, sizeof(want), 65536 + i * 8192),
		    sizeof(want));
	}
	close(fd);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r0, &w, &h0, &b, &m, &used), 0);
	REQUIRE_EQ(rump_test_bio_readahead(128, 8192, 7), 0);
	for (i = 0; i < 8; i++) {
		REQUIRE_EQ(rump_test_bio_read(128 + i * 16, 8192, buf), 0);
		memset(want, 'a' + i, sizeof(want));
		REQUIRE(memcmp(buf, want, sizeof(want)) == 0);
	}
	REQUIRE_EQ(rump_test_bio_stats(&r1, &w, &h1, &b, &m, &used), 0);
	REQUIRE_EQ(r1 - r0, 1);
	REQUIRE_EQ(h1 - h0, 8);
	/* Again: all cached, nothing read. */
	REQUIRE_EQ(rump_test_bio_readahead(128, 8192, 7), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r0, &w, &h0, &b, &m, &used), 0);
	REQUIRE_EQ(r0 - r1, 0);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

/* Fill the host file: block i of 4 KiB (from sector 0) holds byte i. */
static void
host_fill_blocks(int nblocks)
{
	char blk[4096];
	int fd;

	REQUIRE((fd = open(hostfile, O_WRONLY)) != -1);
	for (int i = 0; i < nblocks; i++) {
		memset(blk, i & 0xff, sizeof(blk));
		REQUIRE_EQ(pwrite(fd, blk, sizeof(blk), (off_t)i * 4096),
		    sizeof(blk));
	}
	close(fd);
}

/*
 * Read-ahead of 16 blocks whose 5th is cached: two clusters, split
 * there; a cached block inside is not read again.  Then 100 blocks
 * asked for at once: cut at 64 (256 KiB).
 */
TESTCASE(readahead_split)
{
	uint64_t r0, r1, w, h, b, m;
	size_t used;
	char buf[4096];

	mkdisk(1 << 20);
	host_fill_blocks(200);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_read(4 * 8, 4096, buf), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r0, &w, &h, &b, &m, &used), 0);
	REQUIRE_EQ(rump_test_bio_readahead(0, 4096, 15), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r1, &w, &h, &b, &m, &used), 0);
	REQUIRE_EQ(r1 - r0, 2);
	for (int i = 0; i < 16; i++) {
		REQUIRE_EQ(rump_test_bio_read(i * 8, 4096, buf), 0);
		REQUIRE(buf[0] == i && buf[4095] == i);
	}
	REQUIRE_EQ(rump_test_bio_stats(&r0, &w, &h, &b, &m, &used), 0);
	REQUIRE_EQ(r0 - r1, 0);
	REQUIRE_EQ(rump_test_bio_readahead(100 * 8, 4096, 99), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r1, &w, &h, &b, &m, &used), 0);
	REQUIRE_EQ(r1 - r0, 2);
	for (int i = 100; i < 200; i++) {
		REQUIRE_EQ(rump_test_bio_read(i * 8, 4096, buf), 0);
		REQUIRE(buf[0] == (char)i && buf[4095] == (char)i);
	}
	REQUIRE_EQ(rump_test_bio_stats(&r0, &w, &h, &b, &m, &used), 0);
	REQUIRE_EQ(r0 - r1, 0);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

/*
 * Delayed writes of 79 blocks of 4 KiB, one gap at block 10 (kept as
 * the host had it), go in three requests at the flush: 10 blocks, then
 * 69 cut at 64; every block lands where it belongs.
 */
TESTCASE(cluster_write)
{
	uint64_t r, w0, w1, h, b, m;
	size_t used;

	mkdisk(1 << 20);
	host_fill_blocks(80);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r, &w0, &h, &b, &m, &used), 0);
	for (int i = 0; i < 80; i++)
		if (i != 10)
			REQUIRE_EQ(rump_test_bio_write(i * 8, 4096, 0x80 | i,
			    0, 1), 0);
	REQUIRE_EQ(rump_test_bio_flush(), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r, &w1, &h, &b, &m, &used), 0);
	REQUIRE_EQ(w1 - w0, 3);
	for (int i = 0; i < 80; i++)
		REQUIRE(host_has((off_t)i * 4096, 4096,
		    i == 10 ? 10 : (0x80 | i)));
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

TESTCASE(concurrent_one_io)
{
	uint64_t r0, r1, w, h, b, m;
	size_t used;

	mkdisk(1 << 20);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r0, &w, &h, &b, &m, &used), 0);
	REQUIRE_EQ(rump_test_bio_concurrent(8, 512, 65536), 0);
	REQUIRE_EQ(rump_test_bio_stats(&r1, &w, &h, &b, &m, &used), 0);
	REQUIRE_EQ(r1 - r0, 1);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

TESTCASE(host_eio)
{
	char path[256], buf[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/disk.XXXXXX", tests_scratch());
	REQUIRE((fd = mkstemp(path)) != -1);
	REQUIRE(ftruncate(fd, 4096) == 0);
	close(fd);
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/dev/short", path,
	    RUMP_ETFS_BLK, 0, 1 << 20), 0);
	unlink(path);
	REQUIRE_EQ(rump_test_bio_open("/dev/short"), 0);
	REQUIRE_EQ(rump_test_bio_read(0, 4096, buf), 0);
	REQUIRE_EQ(rump_test_bio_read(64, 4096, buf), EIO);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

/*
 * A delayed write that fails (the host's /dev/full) is reported by the
 * next flush that waits, once; the buffer is dropped, not retried.
 */
TESTCASE(delayed_write_error)
{
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/dev/full", "/dev/full",
	    RUMP_ETFS_BLK, 0, 1 << 20), 0);
	REQUIRE_EQ(rump_test_bio_open("/dev/full"), 0);
	REQUIRE_EQ(rump_test_bio_write(8, 4096, 0x11, 0, 1), 0);
	REQUIRE_EQ(rump_test_bio_flush(), EIO);
	REQUIRE_EQ(rump_test_bio_flush(), 0);
	/* A cluster that fails: reported once too. */
	for (int i = 0; i < 8; i++)
		REQUIRE_EQ(rump_test_bio_write(64 + i * 8, 4096, 0x11, 0, 1),
		    0);
	REQUIRE_EQ(rump_test_bio_flush(), EIO);
	REQUIRE_EQ(rump_test_bio_flush(), 0);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

/*
 * Reading ahead past the end of a short device: the read wanted is
 * fine, the ones past the end fail when asked for, with EIO.
 */
TESTCASE(readahead_eio)
{
	char path[256], buf[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/disk.XXXXXX", tests_scratch());
	REQUIRE((fd = mkstemp(path)) != -1);
	REQUIRE(ftruncate(fd, 8192) == 0);
	close(fd);
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/dev/short", path,
	    RUMP_ETFS_BLK, 0, 1 << 20), 0);
	unlink(path);
	REQUIRE_EQ(rump_test_bio_open("/dev/short"), 0);
	REQUIRE_EQ(rump_test_bio_readahead(0, 4096, 4), 0);
	REQUIRE_EQ(rump_test_bio_read(8, 4096, buf), 0);
	REQUIRE_EQ(rump_test_bio_read(16, 4096, buf), EIO);
	REQUIRE_EQ(rump_test_bio_read(24, 4096, buf), EIO);
	REQUIRE_EQ(rump_test_bio_close(), 0);
}

/*
 * A file system's check note on a block (b_fschecked) lasts while the
 * block's contents are what was checked: through reads from the cache,
 * bdwrite and the write-out of a delayed write; it is gone after a read
 * from the disk (the block forgotten, invalidated, or never read),
 * getblk, bwrite, bawrite and allocbuf.
 */
TESTCASE(fschecked)
{
	uint64_t got;

#define NOTE(op, set, want)                                                    \
	do {                                                                   \
		REQUIRE_EQ(rump_test_bio_note(16, 4096, (op), (set), &got), 0); \
		if (got != (uint64_t)(want))                                   \
			TEST_FAIL("line %d: note %llu, want %llu", __LINE__,   \
			    (unsigned long long)got,                           \
			    (unsigned long long)(want));                       \
	} while (0)

	mkdisk(1 << 20);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	NOTE(BIO_NOTE_READ, 7, 0);              /* read from the disk */
	NOTE(BIO_NOTE_READ, 7, 7);              /* from the cache: kept */
	NOTE(BIO_NOTE_BDWRITE, 8, 7);
	NOTE(BIO_NOTE_READ, 8, 8);              /* bdwrite keeps it */
	REQUIRE_EQ(rump_test_bio_flush(), 0);
	NOTE(BIO_NOTE_READ, 9, 8);              /* so does its write-out */
	NOTE(BIO_NOTE_GETBLK, 0, 0);            /* getblk: about to overwrite */
	NOTE(BIO_NOTE_READ, 11, 0);
	NOTE(BIO_NOTE_BWRITE, 12, 11);
	NOTE(BIO_NOTE_READ, 13, 0);             /* bwrite */
	NOTE(BIO_NOTE_BAWRITE, 14, 13);
	NOTE(BIO_NOTE_READ, 15, 0);             /* bawrite */
	NOTE(BIO_NOTE_INVAL, 16, 15);
	NOTE(BIO_NOTE_READ, 17, 0);             /* invalidated: read again */
	NOTE(BIO_NOTE_FORGET, 0, 0);
	NOTE(BIO_NOTE_READ, 18, 0);             /* forgotten: read again */
	NOTE(BIO_NOTE_ALLOCBUF, 19, 18);
	NOTE(BIO_NOTE_READ, 20, 0);             /* allocbuf */
	NOTE(BIO_NOTE_READ, 21, 20);
	REQUIRE_EQ(rump_test_bio_close(), 0);
	REQUIRE_EQ(rump_test_bio_open("/dev/disk"), 0);
	NOTE(BIO_NOTE_READ, 22, 0);             /* closed: all forgotten */
	REQUIRE_EQ(rump_test_bio_close(), 0);
#undef NOTE
}

/* Run with RUMP_MEMLIMIT=8M: 64 MiB through the cache. */
TESTCASE(memlimit)
{
	static char buf[1 << 20];
	uint64_t r, w, h, b, m;
	size_t used, maxused = 0;
	const char *lim = getenv("RUMP_MEMLIMIT");
	int fd;

	if (lim == NULL || strcmp(lim, "8M") != 0) {
		printf("memlimit: skipped (needs RUMP_MEMLIMIT=8M)\n");
		return;
	}
	mkdisk(64 << 20);
	REQUIRE_OK(fd = rump_sys_open("/dev/disk", O_RDONLY, 0));
	for (int i = 0; i < 64; i++) {
		REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), sizeof(buf));
		REQUIRE_EQ(rump_test_bio_stats(&r, &w, &h, &b, &m, &used), 0);
		REQUIRE(b <= m);
		if (used > maxused)
			maxused = used;
	}
	REQUIRE(r >= 64 * 256);
	REQUIRE(maxused < 8 << 20);
	REQUIRE_OK(rump_sys_close(fd));
}

TESTS(CASE(bdwrite_sync), CASE(syncer), CASE(reboot_flushes),
    CASE(read_cached), CASE(readahead), CASE(readahead_split),
    CASE(cluster_write), CASE(concurrent_one_io),
    CASE(host_eio), CASE(readahead_eio), CASE(delayed_write_error),
    CASE(fschecked), CASE(memlimit))
