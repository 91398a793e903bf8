/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Disk partitions (librumpdev, rump_disk(3)) on disk images made by
 * sfdisk and sgdisk: the numbers, offsets, sizes, types and labels the
 * kernel finds are exactly the ones those tools wrote; the backup GPT
 * serves when the primary is corrupt; partitions past the end are cut
 * or left out; a partition device reads and writes its window of the
 * image and nothing else; and thousands of corrupted tables end in a
 * result or an error, never a crash.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <rump/rumpdisk.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"

#define MB (1024 * 1024)

static char dir[64], img[128];

/* A fresh temp dir with img, size bytes of zeros, and a command run. */
static int
mkimage(uint64_t size, const char *tool, const char *script)
{
	char cmd[512];
	int fd;

	strcpy(dir, "/tmp/t_disk.XXXXXX");
	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(img, sizeof(img), "%s/disk.img", dir);
	REQUIRE((fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0644)) != -1);
	REQUIRE(ftruncate(fd, (off_t)size) == 0);
	close(fd);
	if (tool == NULL)
		return 0;
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) != 0) {
		printf("skipped: %s is not installed\n", tool);
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "cd %s && %s >/dev/null 2>&1", dir, script);
	REQUIRE(system(cmd) == 0);
	return 0;
}

static void
cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)system(cmd);
}

static unsigned
scan(struct rump_diskpart *dp, unsigned n)
{
	unsigned count = 12345;

	REQUIRE_EQ(rump_pub_disk_scan("/dev/disk", dp, n, &count), 0);
	return count;
}

static void
check(const struct rump_diskpart *dp, unsigned index, uint64_t startsec,
    uint64_t nsec, unsigned mbrtype)
{
	char path[64];
	struct stat st;

	REQUIRE_EQ(dp->dp_index, index);
	REQUIRE_EQ(dp->dp_offset, startsec * 512);
	REQUIRE_EQ(dp->dp_size, nsec * 512);
	REQUIRE_EQ(dp->dp_mbrtype, mbrtype);
	snprintf(path, sizeof(path), "/dev/diskp%u", index);
	REQUIRE(strcmp(dp->dp_path, path) == 0);
	REQUIRE_OK(rump_sys_stat(path, &st));
	REQUIRE(S_ISBLK(st.st_mode));
	REQUIRE_EQ(st.st_size, (off_t)(nsec * 512));
}

TESTCASE(mbr_layout)
{
	struct rump_diskpart dp[16];

	if (mkimage(64 * MB, "sfdisk", "printf 'label: dos\\n"
	    "start=2048, size=4096, type=83\\n"
	    "start=6144, size=8192, type=7\\n"
	    "start=20480, size=40960, type=5\\n"
	    "start=22528, size=2048, type=83\\n"
	    "start=26624, size=4096, type=82\\n"
	    "start=32768, size=1024, type=c\\n' | sfdisk disk.img") == -1)
		return;
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	REQUIRE_EQ(scan(dp, 16), 5);
	check(&dp[0], 1, 2048, 4096, 0x83);
	check(&dp[1], 2, 6144, 8192, 0x07);
	check(&dp[2], 5, 22528, 2048, 0x83);
	check(&dp[3], 6, 26624, 4096, 0x82);
	check(&dp[4], 7, 32768, 1024, 0x0c);
	REQUIRE_EQ(dp[0].dp_scheme, RUMP_DISK_MBR);
	REQUIRE_EQ(dp[0].dp_flags, 0);
	/* The extended container and empty slot 4 get no node. */
	REQUIRE_ERRNO(rump_sys_access("/dev/diskp3", F_OK), ENOENT);
	REQUIRE_ERRNO(rump_sys_access("/dev/diskp4", F_OK), ENOENT);
	/* A short array gets the first records, the count is all. */
	REQUIRE_EQ(scan(dp, 2), 5);
	REQUIRE_EQ(rump_pub_disk_forget("/dev/disk"), 0);
	REQUIRE_ERRNO(rump_sys_access("/dev/diskp1", F_OK), ENOENT);
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/disk"), 0);
	cleanup();
}

static const uint8_t linux_guid[16] = { 0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84,
	0x72, 0x47, 0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4 };

static void
gpt_check(void)
{
	struct rump_diskpart dp[16];

	REQUIRE_EQ(scan(dp, 16), 3);
	check(&dp[0], 1, 2048, 8192, 0);
	check(&dp[1], 2, 10240, 4096, 0);
	check(&dp[2], 5, 16384, 2048, 0);
	REQUIRE_EQ(dp[0].dp_scheme, RUMP_DISK_GPT);
	REQUIRE(strcmp(dp[0].dp_label, "root") == 0);
	REQUIRE(strcmp(dp[1].dp_label, "donn\xc3\xa9" "es") == 0);
	REQUIRE(strcmp(dp[2].dp_label, "") == 0);
	REQUIRE(memcmp(dp[0].dp_typeguid, linux_guid, 16) == 0);
}

static int
mkgpt(void)
{
	return mkimage(32 * MB, "sgdisk", "sgdisk -n 1:2048:+4M -c 1:root "
	    "-n 2:10240:+2M -c 2:donn\xc3\xa9" "es -n 5:16384:+1M disk.img");
}

/* Overwrite n bytes of the image at off. */
static void
poke(uint64_t off, const void *bytes, size_t n)
{
	int fd;

	REQUIRE((fd = open(img, O_RDWR)) != -1);
	REQUIRE_EQ(pwrite(fd, bytes, n, (off_t)off), (ssize_t)n);
	close(fd);
}

TESTCASE(gpt_layout)
{
	if (mkgpt() == -1)
		return;
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	gpt_check();
	cleanup();
}

TESTCASE(gpt_backup)
{
	struct rump_diskpart dp[16];
	unsigned count;

	if (mkgpt() == -1)
		return;
	/* The primary header's own CRC, then its entry array. */
	poke(512 + 16, "\xde\xad", 2);
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	gpt_check();
	poke(512 + 16, "\x00\x00", 2);
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/disk"), 0);
	cleanup();
	REQUIRE_EQ(mkgpt(), 0);
	poke(1024 + 130, "\xff", 1);
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	gpt_check();
	/* And the backup header too: nothing usable is an error. */
	poke(32 * MB - 512 + 16, "\xde\xad", 2);
	REQUIRE_EQ(rump_pub_disk_scan("/dev/disk", dp, 16, &count), EINVAL);
	cleanup();
}

TESTCASE(past_end)
{
	struct rump_diskpart dp[16];
	char cmd[256];

	if (mkimage(32 * MB, "sfdisk", "printf 'label: dos\\n"
	    "start=2048, size=4096, type=83\\n"
	    "start=8192, size=40000, type=83\\n"
	    "start=50000, size=100, type=83\\n' | sfdisk disk.img") == -1)
		return;
	snprintf(cmd, sizeof(cmd), "truncate -s 16M %s", img);
	REQUIRE(system(cmd) == 0);
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	REQUIRE_EQ(scan(dp, 16), 2);
	check(&dp[0], 1, 2048, 4096, 0x83);
	check(&dp[1], 2, 8192, 32768 - 8192, 0x83);
	REQUIRE_EQ(dp[1].dp_flags, RUMP_DISKPART_CLIPPED);
	REQUIRE_ERRNO(rump_sys_access("/dev/diskp3", F_OK), ENOENT);
	cleanup();
}

TESTCASE(no_table)
{
	struct rump_diskpart dp[4];
	char cmd[256];

	REQUIRE_EQ(mkimage(4 * MB, NULL, NULL), 0);
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	REQUIRE_EQ(scan(dp, 4), 0);
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/disk"), 0);
	snprintf(cmd, sizeof(cmd), "mke2fs -q -F -t ext2 %s >/dev/null 2>&1",
	    img);
	if (system(cmd) == 0) {
		REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img,
		    RUMP_ETFS_BLK), 0);
		REQUIRE_EQ(scan(dp, 4), 0);
	}
	REQUIRE_EQ(rump_pub_disk_scan("/nonexistent", dp, 4, NULL), ENOENT);
	REQUIRE_OK(rump_sys_mkdir("/notblk", 0755));
	REQUIRE_EQ(rump_pub_disk_scan("/notblk", dp, 4, NULL), ENOTBLK);
	cleanup();
}

/* The partition's window: its first and last sectors, nothing beyond. */
TESTCASE(window_io)
{
	struct rump_diskpart dp[4];
	char buf[512], want[512], host[512];
	int fd, hfd;

	if (mkimage(8 * MB, "sfdisk", "printf 'label: dos\\n"
	    "start=2048, size=100, type=83\\n"
	    "start=2148, size=100, type=83\\n' | sfdisk disk.img") == -1)
		return;
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	REQUIRE_EQ(scan(dp, 4), 2);
	REQUIRE((fd = rump_sys_open("/dev/diskp1", O_RDWR, 0)) != -1);
	memset(want, 'A', sizeof(want));
	REQUIRE_EQ(rump_sys_pwrite(fd, want, 512, 0), 512);
	memset(want, 'Z', sizeof(want));
	REQUIRE_EQ(rump_sys_pwrite(fd, want, 512, 99 * 512), 512);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, want, 512, 100 * 512), ENOSPC);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 512, 100 * 512), 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 512, 99 * 512), 512);
	REQUIRE(memcmp(buf, want, 512) == 0);
	REQUIRE_OK(rump_sys_fsync(fd));
	REQUIRE_OK(rump_sys_close(fd));
	/* On the host: sectors 2048 and 2147, and 2148 untouched. */
	REQUIRE((hfd = open(img, O_RDONLY)) != -1);
	REQUIRE_EQ(pread(hfd, host, 512, 2048 * 512), 512);
	memset(want, 'A', sizeof(want));
	REQUIRE(memcmp(host, want, 512) == 0);
	REQUIRE_EQ(pread(hfd, host, 512, 2147 * 512), 512);
	memset(want, 'Z', sizeof(want));
	REQUIRE(memcmp(host, want, 512) == 0);
	REQUIRE_EQ(pread(hfd, host, 512, 2148 * 512), 512);
	memset(want, 0, sizeof(want));
	REQUIRE(memcmp(host, want, 512) == 0);
	close(hfd);
	/* Open, the disk stays: forgetting is EBUSY, so is removing it. */
	REQUIRE((fd = rump_sys_open("/dev/diskp2", O_RDONLY, 0)) != -1);
	REQUIRE_EQ(rump_pub_disk_forget("/dev/disk"), EBUSY);
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/disk"), EBUSY);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_EQ(rump_pub_disk_forget("/dev/disk"), 0);
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/disk"), 0);
	cleanup();
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Corrupt the tables at random: a result or an error, and sane windows. */
static void
fuzz(uint64_t disksize, int rounds)
{
	struct rump_diskpart dp[128];
	uint8_t orig[34 * 512], tail[33 * 512], b;
	char buf[4096];
	unsigned count, i;
	int hfd, fd, r, k, n;
	uint64_t off;

	REQUIRE((hfd = open(img, O_RDWR)) != -1);
	REQUIRE_EQ(pread(hfd, orig, sizeof(orig), 0), (ssize_t)sizeof(orig));
	REQUIRE_EQ(pread(hfd, tail, sizeof(tail),
	    (off_t)(disksize - sizeof(tail))), (ssize_t)sizeof(tail));
	REQUIRE_EQ(rump_pub_etfs_register("/dev/disk", img, RUMP_ETFS_BLK), 0);
	for (r = 0; r < rounds; r++) {
		REQUIRE_EQ(pwrite(hfd, orig, sizeof(orig), 0),
		    (ssize_t)sizeof(orig));
		REQUIRE_EQ(pwrite(hfd, tail, sizeof(tail),
		    (off_t)(disksize - sizeof(tail))), (ssize_t)sizeof(tail));
		n = 1 + (int)(rnd() % 8);
		for (k = 0; k < n; k++) {
			/* Mostly the headers and the first entries. */
			off = rnd() % 4 == 0 ? disksize - 1 - rnd() % 512 :
			    rnd() % 2 ? rnd() % 1536 : rnd() % sizeof(orig);
			b = (uint8_t)rnd();
			REQUIRE_EQ(pwrite(hfd, &b, 1, (off_t)off), 1);
		}
		count = 0;
		if (rump_pub_disk_scan("/dev/disk", dp, 128, &count) != 0)
			continue;
		REQUIRE(count <= 128);
		for (i = 0; i < count; i++) {
			REQUIRE(dp[i].dp_offset + dp[i].dp_size <= disksize);
			REQUIRE(dp[i].dp_size > 0);
			if ((fd = rump_sys_open(dp[i].dp_path, O_RDONLY, 0)) ==
			    -1)
				continue;
			(void)rump_sys_pread(fd, buf, sizeof(buf),
			    (off_t)(dp[i].dp_size - 1));
			REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf),
			    (off_t)dp[i].dp_size), 0);
			rump_sys_close(fd);
		}
	}
	close(hfd);
	cleanup();
}

TESTCASE(fuzz_mbr)
{
	if (mkimage(8 * MB, "sfdisk", "printf 'label: dos\\n"
	    "start=2048, size=1000, type=83\\n"
	    "start=4096, size=12000, type=f\\n"
	    "start=6144, size=100, type=83\\n"
	    "start=10240, size=100, type=83\\n' | sfdisk disk.img") == -1)
		return;
	fuzz(8 * MB, 1500);
}

TESTCASE(fuzz_gpt)
{
	if (mkimage(8 * MB, "sgdisk", "sgdisk -n 1:2048:+1M -c 1:a "
	    "-n 2:4096:+1M -c 2:b -n 3:8192:+1M disk.img") == -1)
		return;
	fuzz(8 * MB, 1500);
}

TESTS(CASE(mbr_layout), CASE(gpt_layout), CASE(gpt_backup), CASE(past_end),
    CASE(no_table), CASE(window_io), CASE(fuzz_mbr), CASE(fuzz_gpt))
