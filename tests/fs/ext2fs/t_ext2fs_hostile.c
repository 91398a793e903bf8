/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Hostile ext2/ext4 images, one named kind of damage at a time: an
 * image made by mke2fs -d, one field changed at a place debugfs finds,
 * then mounted read-only.  Each case wants exactly EIO from the call
 * that meets the damage, one kernel log line saying what it is, and
 * the rest of the file system still readable.  (The seeded random
 * corruption of whole images is t_ext2fs_fuzz and t_ext2fs_mountfuzz.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "kernspace/ext2_ks.h"

#define DEV "/dev/hostile"
#define MNT "/mnt"

static char img[512], logpath[512], *tmpdir;

/*
 * An image of src/ (f, g, d/e1..e3, and big: 40 extents, so an extent
 * block) with these mke2fs options and 1 KiB blocks.
 */
static void
mkimage(const char *opts)
{
	char *dir = make_tmpdir("hostile"), src[600], p[700], cmd[2048];
	int fd;

	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img", dir);
	PATHF(logpath, "%s/log", dir);
	REQUIRE(mkdir(src, 0755) == 0);
	PATHF(p, "%s/d", src);
	REQUIRE(mkdir(p, 0755) == 0);
	PATHF(cmd, "cd '%s' && echo hello >f && echo world >g && "
	    "echo 1 >d/e1 && echo 2 >d/e2 && echo 3 >d/e3", src);
	REQUIRE(system(cmd) == 0);
	PATHF(p, "%s/big", src);
	REQUIRE((fd = open(p, O_WRONLY | O_CREAT, 0644)) != -1);
	for (int i = 0; i < 40; i++)
		REQUIRE(pwrite(fd, "extent", 6, (off_t)i * 8192) == 6);
	close(fd);
	make_image(img, src, opts, "8M", NULL);
	tmpdir = dir;
}

/* The first number on the line of debugfs's output after key. */
static uint64_t
debugfs_num(const char *request, const char *key, int base)
{
	char cmd[1200], line[512];
	const char *k;
	uint64_t v = 0;
	bool found = false;
	FILE *f;

	PATHF(cmd, "debugfs -R '%s' '%s' 2>/dev/null", request, img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		if ((k = strstr(line, key)) != NULL) {
			v = strtoull(k + strlen(key), NULL, base);
			found = true;
		}
	pclose(f);
	if (!found)
		TEST_FAIL("debugfs -R '%s': no \"%s\"", request, key);
	return v;
}

/* Byte offset in the image of inode path's on-disk copy. */
static uint64_t
inode_offset(const char *path)
{
	char req[256];

	snprintf(req, sizeof(req), "imap %s", path);
	return debugfs_num(req, "located at block ", 10) * 1024 +
	    debugfs_num(req, ", offset ", 16);
}

/* Byte offset of block lblk of path. */
static uint64_t
block_offset(const char *path, unsigned lblk)
{
	char req[256];

	snprintf(req, sizeof(req), "bmap %s %u", path, lblk);
	return debugfs_num(req, "", 10) * 1024;
}

static void
poke(uint64_t off, const void *bytes, size_t n)
{
	int fd;

	REQUIRE((fd = open(img, O_RDWR)) != -1);
	REQUIRE(pwrite(fd, bytes, n, (off_t)off) == (ssize_t)n);
	close(fd);
}

static void
flip(uint64_t off)
{
	unsigned char b;
	int fd;

	REQUIRE((fd = open(img, O_RDWR)) != -1);
	REQUIRE(pread(fd, &b, 1, (off_t)off) == 1);
	b ^= 0x5a;
	REQUIRE(pwrite(fd, &b, 1, (off_t)off) == 1);
	close(fd);
}

static void
mountro(void)
{
	struct ufs_args args = { .fspec = (char *)DEV };

	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK));
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_RDONLY, &args,
	    sizeof(args)));
}

/* The undamaged file still reads; the mount ends, the image goes. */
static void
others_read(void)
{
	char buf[16];
	int fd;

	REQUIRE_OK(fd = rump_sys_open(MNT "/g", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, "world\n", 6) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	remove_tree(tmpdir);
	free(tmpdir);
}

/* metadata_csum: an inode's mtime changed under its checksum. */
TESTCASE(csum_inode)
{
	struct stat st;

	mkimage("-t ext4 -b 1024 -I 256");
	flip(inode_offset("/f") + 0x10);
	mountro();
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/f", &st), EIO);
	log_expect(": checksum");
	others_read();
}

/* metadata_csum: a name in a directory block changed. */
TESTCASE(csum_dirblock)
{
	struct stat st;
	char buf[4096];
	int fd;

	mkimage("-t ext4 -b 1024 -I 256 -O ^dir_index");
	/* Past "." and "..": a byte of the first name. */
	flip(block_offset("/d", 0) + 24 + 8);
	mountro();
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/d/e2", &st), EIO);
	log_expect(": checksum");
	REQUIRE_OK(fd = rump_sys_open(MNT "/d", O_RDONLY | O_DIRECTORY, 0));
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, sizeof(buf)), EIO);
	REQUIRE_OK(rump_sys_close(fd));
	others_read();
}

/*
 * A directory block is checked once per read from the disk, not once
 * per use (the note in the device cache), and again at every read from
 * the disk: damage made to a block the mount has checked and cached
 * (not our threat model while it stays cached) is found as soon as the
 * block leaves the cache and is read again.  With and without
 * metadata_csum (there the damage is a record length).
 */
static void
reread_eio(const char *opts, uint64_t rel, const void *bytes, size_t n,
    const char *want)
{
	struct stat st;
	uint64_t off;

	mkimage(opts);
	off = block_offset("/d", 0) + rel;
	mountro();
	REQUIRE_OK(rump_sys_stat(MNT "/d/e1", &st));
	REQUIRE_ERRNO(rump_sys_stat(MNT "/d/none1", &st), ENOENT);
	poke(off, bytes, n);
	REQUIRE_EQ(rump_test_ext2_dropcache(MNT), 0);
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/d/none2", &st), EIO);
	log_expect(want);
	others_read();
}

TESTCASE(dirblock_reread_csum)
{
	uint8_t b = 'X';

	/* Past "." and "..": the first name's first byte. */
	reread_eio("-t ext4 -b 1024 -I 256 -O ^dir_index", 24 + 8, &b, 1,
	    ": checksum");
}

TESTCASE(dirblock_reread)
{
	uint8_t rl[2] = { 3, 0 };

	/* The first name's record length: 3, too short and unaligned. */
	reread_eio("-t ext2 -b 1024", 24 + 4, rl, 2, "record at 24");
}

/*
 * The extent block of big: the physical block of the one entry at
 * level 0 of "debugfs ex" ("0/ 1 1/ 1 first - last physical length").
 */
static uint64_t
extent_block(void)
{
	char cmd[1200], line[512], tok[9][32];
	uint64_t blk = 0;
	FILE *f;

	PATHF(cmd, "debugfs -R 'ex /big' '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (blk == 0 && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%31s %31s %31s %31s %31s %31s %31s %31s",
		    tok[0], tok[1], tok[2], tok[3], tok[4], tok[5], tok[6],
		    tok[7]) == 8 && strcmp(tok[0], "0/") == 0)
			blk = strtoull(tok[7], NULL, 10);
	pclose(f);
	if (blk == 0)
		TEST_FAIL("debugfs ex /big: no level 0 entry");
	return blk * 1024;
}

static void
read_big_eio(const char *want)
{
	char buf[8192];
	int fd;

	REQUIRE_OK(fd = rump_sys_open(MNT "/big", O_RDONLY, 0));
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, sizeof(buf), 8192), EIO);
	log_expect(want);
	REQUIRE_OK(rump_sys_close(fd));
	others_read();
}

TESTCASE(csum_extent)
{
	mkimage("-t ext4 -b 1024 -I 256");
	/* The second extent's start block. */
	flip(extent_block() + 12 + 12 + 8);
	mountro();
	read_big_eio("extent block");
}

/*
 * Without checksums: the extent block claims depth 1 and points at
 * itself, a loop a walk must not follow.
 */
TESTCASE(extent_loop)
{
	uint64_t blk;
	unsigned char hdr[2] = { 1, 0 }, idx[12];

	mkimage("-t ext4 -b 1024 -I 256 -O ^metadata_csum");
	blk = extent_block();
	poke(blk + 6, hdr, 2);                  /* eh_depth = 1 */
	memset(idx, 0, sizeof(idx));            /* ei_block 0 */
	for (int i = 0; i < 4; i++)             /* ei_leaf_lo */
		idx[4 + i] = (unsigned char)(blk / 1024 >> (8 * i));
	poke(blk + 12, idx, sizeof(idx));
	mountro();
	read_big_eio("depth");
}

/* A record length that runs past its block. */
TESTCASE(dirent_overrun)
{
	unsigned char rl[2] = { 0x00, 0x08 };   /* 2048 in a 1 KiB block */
	struct stat st;

	mkimage("-t ext2 -b 1024 -O ^dir_index");
	/* ".": 12 bytes; ".."'s rec_len at 12 + 4. */
	poke(block_offset("/d", 0) + 12 + 4, rl, 2);
	mountro();
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/d/e1", &st), EIO);
	log_expect("corrupt file system (8192 blocks): directory ");
	others_read();
}

/* An entry naming an inode past the last one. */
TESTCASE(dirent_bad_inode)
{
	unsigned char ino[4] = { 0xf0, 0xff, 0xff, 0x0f };
	struct stat st;

	mkimage("-t ext2 -b 1024 -O ^dir_index");
	/* The first name's inode number, after "." (12) and ".." (12). */
	poke(block_offset("/d", 0) + 24, ino, 4);
	mountro();
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/d/e1", &st), EIO);
	log_expect("corrupt file system (8192 blocks)");
	REQUIRE_OK(rump_sys_stat(MNT "/d", &st));
	others_read();
}

/*
 * A corrupt directory read again and again: one log line, and after the
 * hold-back interval one more that counts the copies held back.
 */
TESTCASE(log_flood)
{
	unsigned char rl[2] = { 0x00, 0x08 };
	struct stat st;

	mkimage("-t ext2 -b 1024 -O ^dir_index");
	poke(block_offset("/d", 0) + 12 + 4, rl, 2);
	mountro();
	log_capture(logpath);
	for (int i = 0; i < 1000; i++)
		REQUIRE_ERRNO(rump_sys_stat(MNT "/d/e1", &st), EIO);
	log_expect("corrupt file system (8192 blocks): directory ");
	sleep(6);
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/d/e1", &st), EIO);
	log_expect("(and 999 more like it held back)");
	others_read();
}

/*
 * An index whose leaf pointers were swapped: every name readdir shows
 * is still found (by a scan of the blocks, as Linux does).
 */
TESTCASE(htree_misdirected)
{
	char *dir = make_tmpdir("htree"), src[600], cmd[2048], path[700];
	unsigned char b1[4], b2[4];
	uint64_t root;
	struct stat st;
	int fd;

	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/img", dir);
	REQUIRE(mkdir(src, 0755) == 0);
	PATHF(cmd, "mkdir '%s/big' && cd '%s/big' && for i in $(seq 1 400); "
	    "do : > name_with_some_length_$i; done", src, src);
	REQUIRE_EQ(system(cmd), 0);
	make_image(img, src, "-t ext2 -b 1024",  "8M",
	    "e2fsck -fyD '%s' >/dev/null 2>&1; test $? -le 1");
	tmpdir = dir;
	/* Root block: ".", "..", root info (24), limit/count/block0 (32), entries. */
	root = block_offset("/big", 0);
	REQUIRE((fd = open(img, O_RDWR)) != -1);
	REQUIRE(pread(fd, b1, 4, (off_t)root + 44) == 4);
	REQUIRE(pread(fd, b2, 4, (off_t)root + 52) == 4);
	REQUIRE(pwrite(fd, b2, 4, (off_t)root + 44) == 4);
	REQUIRE(pwrite(fd, b1, 4, (off_t)root + 52) == 4);
	close(fd);
	mountro();
	for (int i = 1; i <= 400; i++) {
		PATHF(path, MNT "/big/name_with_some_length_%d", i);
		if (rump_sys_stat(path, &st) != 0)
			TEST_FAIL("%s: %s", path, strerror(errno));
	}
	REQUIRE_ERRNO(rump_sys_stat(MNT "/big/absent", &st), ENOENT);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	remove_tree(tmpdir);
	free(tmpdir);
}

/* The root inode cleared: a corrupt image (EINVAL at mount), not ENOENT. */
TESTCASE(root_cleared)
{
	struct ufs_args args = { .fspec = (char *)DEV };
	char cmd[1200];

	mkimage("-t ext2 -b 1024");
	PATHF(cmd, "debugfs -w -R 'clri <2>' '%s' >/dev/null 2>&1", img);
	REQUIRE_EQ(system(cmd), 0);
	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK));
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	log_capture(logpath);
	REQUIRE_ERRNO(rump_sys_mount("ext2fs", MNT, MS_RDONLY, &args,
	    sizeof(args)), EINVAL);
	log_expect("corrupt file system (8192 blocks): the root inode (2) is "
	    "not in use");
	remove_tree(tmpdir);
	free(tmpdir);
}

TESTS(CASE_NOBOOT(csum_inode), CASE_NOBOOT(csum_dirblock),
    CASE_NOBOOT(csum_extent), CASE_NOBOOT(extent_loop),
    CASE_NOBOOT(dirent_overrun), CASE_NOBOOT(dirent_bad_inode),
    CASE_NOBOOT(root_cleared), CASE_NOBOOT(log_flood),
    CASE_NOBOOT(htree_misdirected), CASE_NOBOOT(dirblock_reread_csum),
    CASE_NOBOOT(dirblock_reread))
