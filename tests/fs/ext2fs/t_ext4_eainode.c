/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Attribute values in EA inodes (ext4's ea_inode feature), checked by
 * tools nobody here wrote: values up to 64 KiB that we write on 1, 2
 * and 4 KiB block images leave `e2fsck -fn` clean, debugfs `ea_get`
 * gives them byte for byte, and the Linux kernel (as root, over a loop
 * mount; skipped where the host cannot) shows them exactly with
 * getfattr; what Linux's setfattr writes we read exactly, share and
 * free; an attribute block Linux shared between two files, naming an
 * EA inode, is copied on write with the references right.  Equal values
 * share one EA inode; removing the last reference
 * frees it (free inode and block counts exact); a smaller value moves
 * back into the inode.  8 threads set large values at once on files of
 * one mount, then e2fsck is clean.  A damaged reference (inode number
 * out of range, not an EA inode, a wrong hash) is EIO with one log
 * line.  Changes go through the journal: a copy of the image taken
 * while mounted, after fsync, replays (e2fsck -fy) to a clean image
 * that holds the value.
 */
#define _GNU_SOURCE
#include <sys/param.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_ext2img.h"

#define MNT "/mnt"
#define DEV "/dev/eaimg"
#define VMAX 65536                      /* XATTR_SIZE_MAX */

static bool registered;

static void
do_mount(const char *img)
{
	struct ext2fs_args args = { .fspec = (char *)DEV };

	if (!registered) {
		REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
		REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
		registered = true;
	}
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &args, sizeof(args)));
}

static void
pattern(unsigned char *buf, size_t len, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
}

static void
check_value(const char *path, const char *name, const void *want, size_t len)
{
	static unsigned char buf[VMAX];

	REQUIRE_EQ(rump_sys_getxattr(path, name, NULL, 0), len);
	REQUIRE_EQ(rump_sys_getxattr(path, name, buf, sizeof(buf)), len);
	if (memcmp(buf, want, len) != 0)
		TEST_FAIL("%s of %s: other bytes", name, path);
}

static void
touch(const char *path)
{
	int fd;

	REQUIRE((fd = rump_sys_open(path, O_CREAT | O_RDWR, 0644)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
}

static void
write_host(const char *path, const void *buf, size_t len)
{
	FILE *f;

	REQUIRE((f = fopen(path, "w")) != NULL);
	REQUIRE(fwrite(buf, 1, len, f) == len);
	REQUIRE(fclose(f) == 0);
}

/* The file system's free blocks and inodes, as dumpe2fs reads them. */
static void
free_counts(const char *img, long long *blocks, long long *inodes)
{
	char cmd[4400], *out, *p;

	PATHF(cmd, "dumpe2fs -h '%s' 2>/dev/null", img);
	out = cmd_output(cmd, NULL);
	REQUIRE((p = strstr(out, "Free blocks:")) != NULL);
	*blocks = strtoll(p + 12, NULL, 10);
	REQUIRE((p = strstr(out, "Free inodes:")) != NULL);
	*inodes = strtoll(p + 12, NULL, 10);
	free(out);
}

/* debugfs ea_get of one attribute equals want. */
static void
debugfs_value(const char *img, const char *dir, const char *path,
    const char *name, const void *want, size_t len)
{
	char cmd[9000], out[4300];

	PATHF(out, "%s/ea.out", dir);
	PATHF(cmd, "%s/ea.want", dir);
	write_host(cmd, want, len);
	PATHF(cmd, "debugfs -R 'ea_get -f %s %s %s' '%s' >/dev/null 2>&1 && "
	    "cmp -s '%s' '%s/ea.want'", out, path, name, img, out, dir);
	if (system(cmd) != 0)
		TEST_FAIL("debugfs ea_get %s %s: not the value", path, name);
}

/* debugfs ea_list of path holds line. */
static void
debugfs_list_has(const char *img, const char *path, const char *line,
    bool want)
{
	char cmd[4500], *out;

	PATHF(cmd, "debugfs -R 'ea_list %s' '%s' 2>/dev/null", path, img);
	out = cmd_output(cmd, NULL);
	if ((strstr(out, line) != NULL) != want)
		TEST_FAIL("ea_list %s: \"%s\" %s in:\n%s", path, line,
		    want ? "not" : "", out);
	free(out);
}

/* The EA inodes of the image (EXT4_EA_INODE_FL set), up to max. */
static int
ea_inodes(const char *img, unsigned *inos, int max)
{
	char cmd[4500], *out, *p;
	int n = 0;

	PATHF(cmd, "for i in $(seq 11 60); do echo \"stat <$i>\"; done | "
	    "debugfs -f - '%s' 2>/dev/null | grep -E '^Inode: |^Links: '",
	    img);
	out = cmd_output(cmd, NULL);
	/* In use: links left (a freed inode keeps its flags). */
	for (p = out; (p = strstr(p, "Inode: ")) != NULL && n < max;) {
		unsigned ino = (unsigned)strtoul(p + 7, NULL, 10);
		char *f = strstr(p, "Flags: "), *l = strstr(p, "Links: ");

		if (f == NULL || l == NULL)
			break;
		if ((strtoul(f + 7, NULL, 0) & 0x200000) &&
		    strtoul(l + 7, NULL, 10) > 0)
			inos[n++] = ino;
		p = l;
	}
	free(out);
	return n;
}

/* getfattr of one attribute through a Linux mount equals want. */
static void
linux_value(const char *dir, const char *mnt, const char *file,
    const char *name, const void *want, size_t len)
{
	char cmd[9000];

	PATHF(cmd, "%s/ea.want", dir);
	write_host(cmd, want, len);
	PATHF(cmd, "cd '%s' && getfattr --only-values -n %s '%s' | cmp -s - "
	    "'%s/ea.want'", mnt, name, file, dir);
	if (system(cmd) != 0)
		TEST_FAIL("Linux getfattr %s %s: not the value", file, name);
}

/*
 * Ours on a block size: values of 64 KiB, 60 KiB and just over what a
 * block holds go to EA inodes, equal ones shared; e2fsck, debugfs and
 * Linux agree; the journal holds them; removal and a smaller value give
 * every inode and block back.
 */
static void
ours(const char *mkfs, unsigned bsize)
{
	static unsigned char big[VMAX + 1], mid[VMAX];
	char img[4200], cmd[9000], mnt[4300], line[64], *dir;
	long long b0, i0, b1, i1;
	unsigned inos[8];
	size_t midlen = bsize;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("eaours", mkfs, "32M", img, sizeof(img));
	pattern(big, VMAX, 1);
	pattern(mid, midlen, 2);
	do_mount(img);
	touch(MNT "/f");
	touch(MNT "/g");
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	free_counts(img, &b0, &i0);

	do_mount(img);
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.small", "hello", 5, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.max", big, VMAX, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.mid", mid, midlen, 0));
	/* The same 60 KiB on three files: one EA inode. */
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.big", big + 7, 61440,
	    0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/g", "trusted.big", big + 7, 61440,
	    0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/d", "user.big", big + 7, 61440,
	    0));
	REQUIRE_ERRNO(rump_sys_setxattr(MNT "/f", "user.toolong", big,
	    VMAX + 1, 0), E2BIG);
	/* Journaled: a copy taken after fsync replays to them. */
	REQUIRE((fd = rump_sys_open(MNT "/f", O_RDONLY)) != -1);
	REQUIRE_OK(rump_sys_fsync(fd));
	REQUIRE_OK(rump_sys_close(fd));
	PATHF(cmd, "cp '%s' '%s/copy.img' && e2fsck -fy '%s/copy.img' "
	    ">/dev/null 2>&1; test $? -le 1", img, dir, dir);
	REQUIRE(system(cmd) == 0);
	check_value(MNT "/f", "user.max", big, VMAX);
	check_value(MNT "/g", "trusted.big", big + 7, 61440);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	PATHF(cmd, "%s/copy.img", dir);
	fsck_clean(cmd);
	debugfs_value(cmd, dir, "/f", "user.max", big, VMAX);
	debugfs_value(cmd, dir, "/d", "user.big", big + 7, 61440);

	/* Three EA inodes: max, mid, and the shared 60 KiB. */
	REQUIRE_EQ(ea_inodes(img, inos, 8), 3);
	free_counts(img, &b1, &i1);
	REQUIRE_EQ(i1, i0 - 3);
	debugfs_value(img, dir, "/f", "user.max", big, VMAX);
	debugfs_value(img, dir, "/f", "user.mid", mid, midlen);
	debugfs_value(img, dir, "/f", "user.big", big + 7, 61440);
	debugfs_value(img, dir, "/g", "trusted.big", big + 7, 61440);
	debugfs_list_has(img, "/f", "  user.small (5) = \"hello\"\n", true);
	PATHF(line, "  user.max (%d)", VMAX);
	debugfs_list_has(img, "/f", line, true);

	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	if (linux_mount(img, mnt, "ro")) {
		linux_value(dir, mnt, "f", "user.max", big, VMAX);
		linux_value(dir, mnt, "f", "user.mid", mid, midlen);
		linux_value(dir, mnt, "f", "user.big", big + 7, 61440);
		linux_value(dir, mnt, "g", "trusted.big", big + 7, 61440);
		linux_value(dir, mnt, "d", "user.big", big + 7, 61440);
		linux_unmount(mnt);
	}

	/* A new mount reads them; smaller values move back inline. */
	do_mount(img);
	check_value(MNT "/f", "user.small", "hello", 5);
	check_value(MNT "/f", "user.max", big, VMAX);
	check_value(MNT "/f", "user.mid", mid, midlen);
	check_value(MNT "/f", "user.big", big + 7, 61440);
	check_value(MNT "/d", "user.big", big + 7, 61440);
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.max", "tiny", 4,
	    XATTR_REPLACE));
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.mid"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/g", "trusted.big"));
	check_value(MNT "/f", "user.max", "tiny", 4);
	check_value(MNT "/d", "user.big", big + 7, 61440);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	debugfs_list_has(img, "/f", "  user.max (4) = \"tiny\"\n", true);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 1);

	/* The last references gone: every inode and block back. */
	do_mount(img);
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.big"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/d", "user.big"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.max"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.small"));
	REQUIRE_EQ(rump_sys_listxattr(MNT "/f", NULL, 0), 0);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 0);
	free_counts(img, &b1, &i1);
	REQUIRE_EQ(i1, i0);
	REQUIRE_EQ(b1, b0);

	/* Deleting a file drops its references. */
	do_mount(img);
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.big", big, 50000, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/g", "user.big", big, 50000, 0));
	REQUIRE_OK(rump_sys_unlink(MNT "/f"));
	check_value(MNT "/g", "user.big", big, 50000);
	REQUIRE_OK(rump_sys_unlink(MNT "/g"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 0);
	rmdir(mnt);
	remove_tree(dir);
	free(dir);
}

TESTCASE(ours_1k)
{
	ours("-t ext4 -O ea_inode -b 1024 -I 256", 1024);
}

TESTCASE(ours_2k)
{
	ours("-t ext4 -O ea_inode,^metadata_csum -b 2048 -I 256", 2048);
}

TESTCASE(ours_4k)
{
	ours("-t ext4 -O ea_inode -b 4096 -I 256", 4096);
}

/*
 * Linux's setfattr writes a 60 KiB value into an EA inode: we read it
 * exactly, share it, and free it with its last reference; Linux then
 * reads what we wrote.
 */
TESTCASE(linux_writes)
{
	static unsigned char big[61440];
	char img[4200], cmd[9000], mnt[4300], *dir;
	long long b0, i0, b1, i1;
	unsigned inos[8];

	if (!have_e2fsprogs())
		return;
	dir = new_image("ealinux", "-t ext4 -O ea_inode -b 4096 -I 256",
	    "32M", img, sizeof(img));
	pattern(big, sizeof(big), 3);
	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	if (!linux_mount(img, mnt, "rw")) {
		rmdir(mnt);
		remove_tree(dir);
		free(dir);
		return;
	}
	PATHF(cmd, "touch '%s/f' '%s/g'", mnt, mnt);
	REQUIRE(system(cmd) == 0);
	linux_unmount(mnt);
	free_counts(img, &b0, &i0);
	REQUIRE(linux_mount(img, mnt, "rw"));
	/* setfattr --restore: the value base64-encoded in a dump file. */
	PATHF(cmd, "%s/val", dir);
	write_host(cmd, big, sizeof(big));
	PATHF(cmd, "cd '%s' && { echo '# file: f'; printf 'user.lx=0s'; "
	    "base64 -w0 val; echo; } > dump && cd '%s' && "
	    "setfattr --restore='%s/dump'", dir, mnt, dir);
	REQUIRE(system(cmd) == 0);
	linux_unmount(mnt);
	fsck_clean(img);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 1);

	do_mount(img);
	check_value(MNT "/f", "user.lx", big, sizeof(big));
	/* Ours with the same value shares Linux's EA inode. */
	REQUIRE_OK(rump_sys_setxattr(MNT "/g", "user.same", big, sizeof(big),
	    0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/g", "user.ours", big + 1,
	    sizeof(big) - 1, 0));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 2);
	debugfs_value(img, dir, "/g", "user.same", big, sizeof(big));

	REQUIRE(linux_mount(img, mnt, "ro"));
	linux_value(dir, mnt, "f", "user.lx", big, sizeof(big));
	linux_value(dir, mnt, "g", "user.same", big, sizeof(big));
	linux_value(dir, mnt, "g", "user.ours", big + 1, sizeof(big) - 1);
	linux_unmount(mnt);

	do_mount(img);
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.lx"));
	check_value(MNT "/g", "user.same", big, sizeof(big));
	REQUIRE_OK(rump_sys_removexattr(MNT "/g", "user.same"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/g", "user.ours"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 0);
	free_counts(img, &b1, &i1);
	REQUIRE_EQ(i1, i0);
	REQUIRE_EQ(b1, b0);
	rmdir(mnt);
	remove_tree(dir);
	free(dir);
}

/*
 * Linux shares an attribute block naming an EA inode between two files
 * (one reference for the block): changing one file's copies the block,
 * and the copy takes a reference; emptying the other's frees the block
 * and drops its reference; the last one frees the EA inode.
 */
TESTCASE(linux_shared_block)
{
	static unsigned char big[61440];
	char img[4200], cmd[9000], mnt[4300], *dir;
	long long b0, i0, b1, i1, blk;
	unsigned inos[8];

	if (!have_e2fsprogs())
		return;
	dir = new_image("eashare", "-t ext4 -O ea_inode -b 4096 -I 256",
	    "32M", img, sizeof(img));
	pattern(big, sizeof(big), 6);
	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	if (!linux_mount(img, mnt, "rw")) {
		rmdir(mnt);
		remove_tree(dir);
		free(dir);
		return;
	}
	PATHF(cmd, "touch '%s/f' '%s/g'", mnt, mnt);
	REQUIRE(system(cmd) == 0);
	linux_unmount(mnt);
	free_counts(img, &b0, &i0);
	REQUIRE(linux_mount(img, mnt, "rw"));
	PATHF(cmd, "%s/val", dir);
	write_host(cmd, big, sizeof(big));
	/* 60 bytes fill the inode: the EA entry goes to the block. */
	PATHF(cmd, "cd '%s' && for f in f g; do { echo \"# file: $f\"; "
	    "echo user.a=0x%0120d; printf 'user.big=0s'; base64 -w0 ../val; "
	    "echo; } > ../dump && setfattr --restore=../dump || exit 1; done",
	    mnt, 0);
	REQUIRE(system(cmd) == 0);
	linux_unmount(mnt);
	fsck_clean(img);
	REQUIRE((blk = stat_field(img, "/f", "File ACL: ")) > 0);
	if (stat_field(img, "/g", "File ACL: ") != blk) {
		printf("skipped: this kernel did not share the block\n");
		rmdir(mnt);
		remove_tree(dir);
		free(dir);
		return;
	}
	REQUIRE_EQ(ea_inodes(img, inos, 8), 1);

	do_mount(img);
	check_value(MNT "/g", "user.big", big, sizeof(big));
	REQUIRE_OK(rump_sys_setxattr(MNT "/g", "user.x", "x", 1, 0));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(stat_field(img, "/f", "File ACL: "), blk);
	REQUIRE(stat_field(img, "/g", "File ACL: ") != blk);
	REQUIRE_EQ(stat_field(img, "/f", "Blockcount: "),
	    stat_field(img, "/g", "Blockcount: "));
	REQUIRE_EQ(ea_inodes(img, inos, 8), 1);

	do_mount(img);
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.big"));
	check_value(MNT "/g", "user.big", big, sizeof(big));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(stat_field(img, "/f", "File ACL: "), 0);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 1);

	REQUIRE(linux_mount(img, mnt, "ro"));
	linux_value(dir, mnt, "g", "user.big", big, sizeof(big));
	linux_unmount(mnt);

	do_mount(img);
	REQUIRE_OK(rump_sys_removexattr(MNT "/g", "user.big"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/g", "user.x"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/g", "user.a"));
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.a"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(ea_inodes(img, inos, 8), 0);
	free_counts(img, &b1, &i1);
	REQUIRE_EQ(i1, i0);
	REQUIRE_EQ(b1, b0);
	rmdir(mnt);
	remove_tree(dir);
	free(dir);
}

#define NTHREADS 8
#define NROUNDS 4

struct setter {
	int t;
	int fail;
};

static unsigned char thr_common[5000];  /* every thread sets it too */

static void *
setter(void *arg)
{
	struct setter *s = arg;
	static unsigned char vals[NTHREADS][2][20000];
	char path[64], name[32];

	if (rump_pub_lwproc_newlwp(1) != 0) {
		s->fail = 1;
		return NULL;
	}
	snprintf(path, sizeof(path), MNT "/t%d", s->t);
	for (int r = 0; r < NROUNDS && s->fail == 0; r++) {
		unsigned char *v = vals[s->t][r & 1];

		pattern(v, sizeof(vals[0][0]), (unsigned)(s->t * 100 + r));
		snprintf(name, sizeof(name), "user.v%d", r & 1);
		if (rump_sys_setxattr(path, name, v, 10000 + 2500 * r, 0) != 0 &&
		    (errno != EEXIST || rump_sys_setxattr(path, name, v,
		    10000 + 2500 * r, XATTR_REPLACE) != 0))
			s->fail = 2;
		/* All threads share one value as well. */
		if (rump_sys_setxattr(path, "user.common", thr_common,
		    sizeof(thr_common), 0) != 0 && errno != EEXIST)
			s->fail = 3;
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* 8 threads set large values at once on files of one mount. */
TESTCASE(threads)
{
	static unsigned char v[20000];
	struct setter s[NTHREADS];
	pthread_t th[NTHREADS];
	char img[4200], path[64], *dir;
	unsigned inos[40];

	if (!have_e2fsprogs())
		return;
	dir = new_image("eathr", "-t ext4 -O ea_inode -b 1024 -I 256",
	    "32M", img, sizeof(img));
	do_mount(img);
	for (int t = 0; t < NTHREADS; t++) {
		snprintf(path, sizeof(path), MNT "/t%d", t);
		touch(path);
	}
	/* The value every thread shares. */
	pattern(thr_common, sizeof(thr_common), 0);
	for (int t = 0; t < NTHREADS; t++) {
		s[t].t = t;
		s[t].fail = 0;
		REQUIRE_EQ(pthread_create(&th[t], NULL, setter, &s[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++) {
		REQUIRE_EQ(pthread_join(th[t], NULL), 0);
		REQUIRE_EQ(s[t].fail, 0);
	}
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	do_mount(img);
	for (int t = 0; t < NTHREADS; t++) {
		snprintf(path, sizeof(path), MNT "/t%d", t);
		for (int r = NROUNDS - 2; r < NROUNDS; r++) {
			char name[32];

			pattern(v, sizeof(v), (unsigned)(t * 100 + r));
			snprintf(name, sizeof(name), "user.v%d", r & 1);
			check_value(path, name, v, 10000 + 2500 * r);
		}
		check_value(path, "user.common", thr_common,
		    sizeof(thr_common));
	}
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	/* Two values a thread, and the common one once. */
	REQUIRE_EQ(ea_inodes(img, inos, 40), 2 * NTHREADS + 1);
	remove_tree(dir);
	free(dir);
}

/* Where inode ino's table entry is in the image, in bytes. */
static long long
inode_offset(const char *img, unsigned ino, unsigned bsize)
{
	char cmd[4500], *out, *p;
	long long blk, off;

	PATHF(cmd, "debugfs -R 'imap <%u>' '%s' 2>/dev/null", ino, img);
	out = cmd_output(cmd, NULL);
	REQUIRE((p = strstr(out, "located at block ")) != NULL);
	blk = strtoll(p + 17, &p, 10);
	REQUIRE((p = strstr(p, "offset ")) != NULL);
	off = strtoll(p + 7, NULL, 0);
	free(out);
	return blk * bsize + off;
}

static void
put_le32(const char *img, long long off, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8),
		(unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	FILE *f;

	REQUIRE((f = fopen(img, "r+")) != NULL);
	REQUIRE(fseeko(f, off, SEEK_SET) == 0);
	REQUIRE(fwrite(b, 1, 4, f) == 4);
	REQUIRE(fclose(f) == 0);
}

/*
 * Damaged references: an entry naming an inode out of range, one naming
 * a plain file, an EA inode whose value hash is wrong.  EIO and one log
 * line each; the files still stat, and other attributes still read.
 */
TESTCASE(corrupt_refs)
{
	static unsigned char big[8000];
	char img[4200], cmd[9000], logf[4300], buf[64], *dir;
	unsigned inos[8];
	struct stat st;
	int n;

	if (!have_e2fsprogs())
		return;
	dir = new_image("eabad", "-t ext4 -O ea_inode,^metadata_csum -b 1024 "
	    "-I 256", "32M", img, sizeof(img));
	pattern(big, sizeof(big), 4);
	do_mount(img);
	touch(MNT "/a");
	touch(MNT "/b");
	touch(MNT "/c");
	/* Each value the only attribute, first in its inode's area. */
	REQUIRE_OK(rump_sys_setxattr(MNT "/a", "user.v", big, 8000, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/b", "user.v", big + 1, 7000, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/c", "user.v", big + 2, 6000, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/c", "user.ok", "ok", 2, 0));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ((n = ea_inodes(img, inos, 8)), 3);

	/* /a's entry: e_value_inum (at 128 + 32 + 4 + 4) past the table. */
	put_le32(img, inode_offset(img, 12, 1024) + 168, 0x7ffffff0);
	/* /b's: a plain file (/c). */
	put_le32(img, inode_offset(img, 13, 1024) + 168, 14);
	/* /c's EA inode: another value hash. */
	PATHF(cmd, "debugfs -w -R 'sif <%u> atime 0x12345678' '%s' "
	    ">/dev/null 2>&1", inos[2], img);
	REQUIRE(system(cmd) == 0);

	PATHF(logf, "%s/log", dir);
	do_mount(img);
	REQUIRE_OK(rump_sys_stat(MNT "/a", &st));
	REQUIRE_OK(rump_sys_stat(MNT "/b", &st));
	REQUIRE_OK(rump_sys_stat(MNT "/c", &st));
	log_capture(logf);
	REQUIRE_ERRNO(rump_sys_getxattr(MNT "/b", "user.v", buf, sizeof(buf)),
	    EIO);
	log_expect("not an EA inode");
	log_capture(logf);
	REQUIRE_ERRNO(rump_sys_getxattr(MNT "/a", "user.v", buf, sizeof(buf)),
	    EIO);
	log_expect("out of range");
	log_capture(logf);
	REQUIRE_ERRNO(rump_sys_getxattr(MNT "/c", "user.v", buf, sizeof(buf)),
	    EIO);
	log_expect("hash");
	check_value(MNT "/c", "user.ok", "ok", 2);
	/*
	 * Removing a reference to a plain file must not touch that file
	 * (the log line repeats the one above: held back).
	 */
	REQUIRE_ERRNO(rump_sys_removexattr(MNT "/b", "user.v"), EIO);
	REQUIRE_OK(rump_sys_stat(MNT "/c", &st));
	REQUIRE_EQ(st.st_nlink, 1);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	remove_tree(dir);
	free(dir);
}

TESTS(CASE(ours_1k), CASE(ours_2k), CASE(ours_4k), CASE(linux_writes),
    CASE(linux_shared_block), CASE(threads), CASE(corrupt_refs))
