/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext4 read-write: images made by `mke2fs -t ext4` with this system's
 * defaults (extents, 64bit, flex_bg, huge_file, metadata_csum,
 * dir_nlink, extra_isize, a journal) at 1, 2 and 4 KiB blocks, with -O
 * 64bit,metadata_csum,huge_file,flex_bg,large_dir at 1 and 2 KiB (and
 * metadata_csum_seed at 1 KiB), and with uninit_bg's crc16 descriptors
 * instead of metadata_csum, are mounted read-write and changed through
 * the system calls: thousands of files and directories made, written,
 * extended, truncated, renamed and removed, a big file written in order
 * and a fragmented one whose extent tree grows two levels deep and
 * shrinks back into the inode.  After every phase `e2fsck -fn` must find
 * nothing to fix, and every file debugfs dumps from the image (rdump)
 * must hold exactly the bytes the test wrote (byte for byte; and no
 * other file may be there), as must a new mount of our own.  Also: many
 * processes at once on an ext4 image (e2fsck after), an unlinked open
 * file across a crash (orphan list and orphan_file), directories that
 * grow past one block made hash-indexed, and the features still refused
 * for writing (inline_data, quota) named in one log line.
 */
#define _GNU_SOURCE
#include <sys/param.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "h_fsstress.h"

#define MNT "/mnt"
#define DEV "/dev/ext4img"

static bool registered;

static int
try_mount(const char *img, int flags)
{
	struct ext2fs_args args = { .fspec = (char *)DEV };

	if (!registered) {
		REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
		REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
		registered = true;
	}
	return rump_sys_mount("ext2fs", MNT, flags, &args, sizeof(args));
}

/*
 * The model: every regular file the test made, by path, with its
 * contents; directories by path.
 */
#define MAXFILES 8192
struct mfile {
	char path[96];
	unsigned char *data;
	size_t size;
	bool dir;
	bool live;
};
static struct mfile files[MAXFILES];
static int nfiles;
static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

static struct mfile *
mf_new(const char *path, bool dir)
{
	struct mfile *m;

	REQUIRE(nfiles < MAXFILES);
	m = &files[nfiles++];
	PATHF(m->path, "%s", path);
	m->dir = dir;
	m->live = true;
	m->data = NULL;
	m->size = 0;
	return m;
}

static void
mf_reset(void)
{
	for (int i = 0; i < nfiles; i++)
		free(files[i].data);
	nfiles = 0;
}

/* Write len bytes at off of m (made if new), in the model and the mount. */
static void
mf_write(struct mfile *m, size_t off, size_t len)
{
	char path[128];
	unsigned char *p;
	int fd;

	if (off + len > m->size) {
		REQUIRE((p = realloc(m->data, off + len)) != NULL);
		memset(p + m->size, 0, off + len - m->size);
		m->data = p;
		m->size = off + len;
	}
	for (size_t k = 0; k < len; k++)
		m->data[off + k] = (unsigned char)(rng() >> 7);

	PATHF(path, MNT "%s", m->path);
	REQUIRE_OK(fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644));
	for (size_t done = 0; done < len;) {
		ssize_t n = rump_sys_pwrite(fd, m->data + off + done,
		    MIN(len - done, (size_t)1 << 20), (off_t)(off + done));

		REQUIRE(n > 0);
		done += (size_t)n;
	}
	REQUIRE_OK(rump_sys_close(fd));
}

static void
mf_truncate(struct mfile *m, size_t ns)
{
	char path[128];
	unsigned char *p;

	if (ns > m->size) {
		REQUIRE((p = realloc(m->data, ns)) != NULL);
		memset(p + m->size, 0, ns - m->size);
		m->data = p;
	}
	m->size = ns;
	PATHF(path, MNT "%s", m->path);
	REQUIRE_OK(rump_sys_truncate(path, (off_t)ns));
}

static void
mf_unlink(struct mfile *m)
{
	char path[128];

	PATHF(path, MNT "%s", m->path);
	if (m->dir)
		REQUIRE_OK(rump_sys_rmdir(path));
	else
		REQUIRE_OK(rump_sys_unlink(path));
	m->live = false;
}

static void
mf_rename(struct mfile *m, const char *to)
{
	char p1[128], p2[128];

	PATHF(p1, MNT "%s", m->path);
	PATHF(p2, MNT "%s", to);
	REQUIRE_OK(rump_sys_rename(p1, p2));
	PATHF(m->path, "%s", to);
}

static void
mf_mkdir(const char *path)
{
	char p[128];

	PATHF(p, MNT "%s", path);
	REQUIRE_OK(rump_sys_mkdir(p, 0755));
	(void)mf_new(path, true);
}

/* Every live file reads back as the model says, through our mount. */
static void
verify_mount(void)
{
	char path[128];
	unsigned char *b;
	struct stat st;
	int fd;

	for (int i = 0; i < nfiles; i++) {
		struct mfile *m = &files[i];

		if (!m->live)
			continue;
		PATHF(path, MNT "%s", m->path);
		REQUIRE_OK(rump_sys_stat(path, &st));
		if (m->dir) {
			REQUIRE(S_ISDIR(st.st_mode));
			continue;
		}
		REQUIRE_EQ(st.st_size, (off_t)m->size);
		REQUIRE((b = malloc(m->size + 1)) != NULL);
		REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
		for (size_t done = 0; done < m->size;) {
			ssize_t n = rump_sys_pread(fd, b + done,
			    m->size + 1 - done, (off_t)done);

			REQUIRE(n > 0);
			done += (size_t)n;
		}
		REQUIRE_OK(rump_sys_close(fd));
		if (memcmp(b, m->data, m->size) != 0)
			TEST_FAIL("%s differs from what was written", path);
		free(b);
	}
}

/*
 * debugfs rdump of the whole image into a host directory: every live
 * file there with the model's SHA-256, every directory there, and as
 * many entries as the model has.
 */
static void
verify_debugfs(const char *img, const char *tmp)
{
	char out[4400], cmd[9000], path[4600];
	long long n = 0, live = 0;
	unsigned char *b;
	ssize_t got;
	int fd;
	struct stat st;
	FILE *f;

	PATHF(out, "%s/dump", tmp);
	PATHF(cmd, "rm -rf '%s' && mkdir '%s' && debugfs -R 'rdump / %s' "
	    "'%s' >/dev/null 2>&1", out, out, out, img);
	REQUIRE(system(cmd) == 0);
	for (int i = 0; i < nfiles; i++) {
		struct mfile *m = &files[i];

		if (!m->live)
			continue;
		live++;
		PATHF(path, "%s%s", out, m->path);
		if (stat(path, &st) != 0)
			TEST_FAIL("debugfs: %s missing", m->path);
		if (m->dir) {
			REQUIRE(S_ISDIR(st.st_mode));
			continue;
		}
		if ((size_t)st.st_size != m->size)
			TEST_FAIL("debugfs: %s: %lld bytes, wrote %zu", m->path,
			    (long long)st.st_size, m->size);
		REQUIRE((b = malloc(m->size + 1)) != NULL);
		REQUIRE((fd = open(path, O_RDONLY)) != -1);
		got = read(fd, b, m->size + 1);
		close(fd);
		if (got != (ssize_t)m->size || memcmp(b, m->data, m->size) != 0)
			TEST_FAIL("debugfs: %s: contents differ", m->path);
		free(b);
	}
	PATHF(cmd, "find '%s' -mindepth 1 ! -path '%s/lost+found*' | wc -l",
	    out, out);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	REQUIRE(fscanf(f, "%lld", &n) == 1);
	pclose(f);
	REQUIRE_EQ(n, live);
	PATHF(cmd, "rm -rf '%s'", out);
	REQUIRE(system(cmd) == 0);
}

/* The depth of path's extent tree (debugfs dump_extents), -1: none. */
static int
extent_depth(const char *img, const char *path)
{
	char cmd[4600], line[512];
	int depth = -1, lvl;
	FILE *f;

	PATHF(cmd, "debugfs -R 'dump_extents %s' '%s' 2>/dev/null", path, img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " %d/", &lvl) == 1 && lvl > depth)
			depth = lvl;
	pclose(f);
	return depth;
}

/*
 * The workload: directories, thousands of small files, a big file
 * written in order, a fragmented one (every other block: one extent
 * each, so its tree grows two levels), overwrites, extensions,
 * truncations, renames and removals.
 */
static void
workload(const char *img, const char *tmp, int bsize, int nsmall)
{
	char path[96];
	struct mfile *big, *frag, *m;
	int nfrag = bsize == 1024 ? 700 : 2000;

	rng_state = (uint64_t)bsize * 7919 + (uint64_t)nsmall;
	REQUIRE_OK(try_mount(img, 0));
	mf_mkdir("/d");
	for (int i = 0; i < 8; i++) {
		PATHF(path, "/d/s%d", i);
		mf_mkdir(path);
	}
	for (int i = 0; i < nsmall; i++) {
		PATHF(path, "/d/s%d/file-with-a-longer-name-%05d", i % 8, i);
		m = mf_new(path, false);
		mf_write(m, 0, 1 + rng() % (3 * (size_t)bsize));
	}
	big = mf_new("/big", false);
	mf_write(big, 0, (size_t)2 << 20);
	frag = mf_new("/frag", false);
	for (int i = 0; i < nfrag; i++)
		mf_write(frag, (size_t)2 * i * bsize, 1 + rng() % bsize);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	if (extent_depth(img, "/frag") < 2)
		TEST_FAIL("/frag: extent tree depth %d, wanted 2",
		    extent_depth(img, "/frag"));
	verify_debugfs(img, tmp);

	REQUIRE_OK(try_mount(img, 0));
	verify_mount();
	/* Fill the holes of the fragmented file in the middle: merges. */
	for (int i = nfrag / 4; i < nfrag / 2; i++)
		mf_write(frag, (size_t)(2 * i + 1) * bsize, (size_t)bsize);
	/* Overwrite, extend, truncate, rename, remove. */
	mf_write(big, (size_t)1 << 19, 12345);
	mf_write(big, big->size + 3 * (size_t)bsize + 5, 100000);
	mf_truncate(big, ((size_t)1 << 20) + 77);
	for (int i = 0; i < nfiles; i++) {
		m = &files[i];
		if (m->dir || !m->live || m == big || m == frag)
			continue;
		switch (rng() % 6) {
		case 0:
			mf_unlink(m);
			break;
		case 1:
			mf_truncate(m, rng() % (4 * (size_t)bsize));
			break;
		case 2:
			mf_write(m, rng() % (2 * (size_t)bsize),
			    1 + rng() % (2 * (size_t)bsize));
			break;
		case 3:
			PATHF(path, "/d/s%u/renamed-%05d", rng() % 8, i);
			mf_rename(m, path);
			break;
		default:
			break;
		}
	}
	verify_mount();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	verify_debugfs(img, tmp);

	/* The fragmented file shrinks to one block: the tree to the inode. */
	REQUIRE_OK(try_mount(img, 0));
	verify_mount();
	mf_truncate(frag, (size_t)bsize / 2);
	mf_truncate(big, 0);
	mf_write(big, 0, 3 * (size_t)bsize);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(extent_depth(img, "/frag"), 0);
	verify_debugfs(img, tmp);

	REQUIRE_OK(try_mount(img, MS_RDONLY));
	verify_mount();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	mf_reset();
}

static void
run_config(const char *tag, const char *opts, int bsize, int nsmall)
{
	const char *pct = getenv("FSSTRESS_PERCENT");
	char img[4200], o[256];
	char *dir;

	if (!have_e2fsprogs())
		return;
	/* The sanitizer builds make fewer small files (as fsstress.c). */
	if (pct != NULL && atoi(pct) > 0 && atoi(pct) < 100)
		nsmall = nsmall * atoi(pct) / 100;
	PATHF(o, "%s -b %d", opts, bsize);
	dir = new_image(tag, o, "40M", img, sizeof(img));
	workload(img, dir, bsize, nsmall);
	remove_tree(dir);
	free(dir);
}

TESTCASE(ext4_default_1k) { run_config("e4d1", "-t ext4", 1024, 1000); }
TESTCASE(ext4_default_2k) { run_config("e4d2", "-t ext4", 2048, 1000); }
TESTCASE(ext4_default_4k) { run_config("e4d4", "-t ext4", 4096, 1500); }

#define FEATURES "-t ext4 -O 64bit,metadata_csum,huge_file,flex_bg,large_dir"
TESTCASE(ext4_features_1k)
{
	run_config("e4f1", FEATURES ",metadata_csum_seed", 1024, 1000);
}
TESTCASE(ext4_features_2k) { run_config("e4f2", FEATURES, 2048, 1000); }

/* uninit_bg with crc16 descriptors, no metadata_csum, 32-bit. */
TESTCASE(ext4_uninit_bg)
{
	run_config("e4u", "-t ext4 -O ^metadata_csum,^64bit,uninit_bg", 4096,
	    500);
}

/*
 * A hash-indexed directory on a metadata_csum image (e2fsck -D indexes
 * it): thousands of names added through the index split leaves, split
 * interior nodes and grow the root one level; names removed; e2fsck
 * finds the index right (order, counts, checksums), debugfs sees the
 * levels and every name, and so does a new mount.
 */
TESTCASE(ext4_htree_grow)
{
	char img[4200], src[4300], name[4400], cmd[9000], line[512];
	struct stat st;
	int fd, levels = -1, lv, n = 0;
	char *dir;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir("e4ht");
	PATHF(src, "%s/src", dir);
	PATHF(img, "%s/fs.img", dir);
	REQUIRE_OK(mkdir(src, 0755));
	PATHF(name, "%s/many", src);
	REQUIRE_OK(mkdir(name, 0755));
	for (int i = 0; i < 300; i++) {
		PATHF(name, "%s/many/old-name-of-some-length-%06d", src, i);
		REQUIRE_OK(fd = open(name, O_WRONLY | O_CREAT, 0644));
		close(fd);
	}
	make_image(img, src, "-t ext4 -b 1024 -N 16384", "32M",
	    "e2fsck -fyD '%s' >/dev/null 2>&1; test $? -le 1");
	REQUIRE_OK(try_mount(img, 0));
	for (int i = 0; i < 7000; i++) {
		PATHF(name, MNT "/many/new-name-of-some-length-%06d", i);
		REQUIRE_OK(fd = rump_sys_open(name, O_WRONLY | O_CREAT, 0644));
		REQUIRE_OK(rump_sys_close(fd));
		if (i % 7 == 3) {
			PATHF(name, MNT "/many/sub-%06d", i);
			REQUIRE_OK(rump_sys_mkdir(name, 0755));
		}
	}
	for (int i = 0; i < 300; i += 2) {
		PATHF(name, MNT "/many/old-name-of-some-length-%06d", i);
		REQUIRE_OK(rump_sys_unlink(name));
	}
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	PATHF(cmd, "debugfs -R 'htree /many' '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " Indirect levels: %d", &lv) == 1)
			levels = lv;
	pclose(f);
	if (levels < 1)
		TEST_FAIL("/many: %d index levels, wanted the root grown",
		    levels);
	/* Live entries (a freed first record of a block shows inode 0). */
	PATHF(cmd, "debugfs -R 'ls -l /many' '%s' 2>/dev/null | "
	    "awk '$1 != 0 && /-name-of-some-length-/' | wc -l", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	REQUIRE(fscanf(f, "%d", &n) == 1);
	pclose(f);
	REQUIRE_EQ(n, 7000 + 150);
	REQUIRE_OK(try_mount(img, MS_RDONLY));
	for (int i = 0; i < 7000; i++) {
		PATHF(name, MNT "/many/new-name-of-some-length-%06d", i);
		REQUIRE_OK(rump_sys_stat(name, &st));
	}
	for (int i = 0; i < 300; i++) {
		PATHF(name, MNT "/many/old-name-of-some-length-%06d", i);
		if (i % 2 == 0)
			REQUIRE_ERRNO(rump_sys_stat(name, &st), ENOENT);
		else
			REQUIRE_OK(rump_sys_stat(name, &st));
	}
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	remove_tree(dir);
	free(dir);
}

/*
 * Unwritten extents (made by debugfs's fallocate): they read as zeros;
 * writing into one makes the written blocks ordinary extents, splitting
 * it at the start, in the middle and at the end, the tree growing out
 * of the inode on the way; truncation in the middle of one frees the
 * rest.  e2fsck and debugfs agree at the end.
 */
TESTCASE(ext4_unwritten)
{
	static const size_t at[][2] = { { 20 * 1024 + 100, 3000 },
		{ 10 * 1024, 1024 }, { 59 * 1024 + 1000, 24 },
		{ 30 * 1024 + 1023, 2 * 1024 + 2 }, { 44 * 1024, 7 * 1024 },
		{ 15 * 1024 + 1, 1 }, { 62000, 1500 } };
	char img[4200], cmd[9000], host[4300];
	struct mfile *m;
	unsigned char *b;
	char *dir;
	FILE *f;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("e4uw", "-t ext4 -b 1024", "8M", img, sizeof(img));
	rng_state = 99;
	m = mf_new("/f", false);
	REQUIRE((m->data = calloc(1, 60000)) != NULL);
	m->size = 60000;
	for (size_t k = 0; k < 5000; k++)
		m->data[k] = (unsigned char)(rng() >> 7);
	PATHF(host, "%s/src", dir);
	REQUIRE((f = fopen(host, "w")) != NULL);
	REQUIRE(fwrite(m->data, 1, 5000, f) == 5000);
	REQUIRE(fclose(f) == 0);
	PATHF(cmd, "cd '%s' && debugfs -w -R 'write src /f' fs.img && "
	    "debugfs -w -R 'fallocate /f 10 59' fs.img && "
	    "debugfs -w -R 'sif /f size 60000' fs.img", dir);
	PATHF(host, "{ %s; } >/dev/null 2>&1", cmd);
	REQUIRE(system(host) == 0);
	fsck_clean(img);

	REQUIRE_OK(try_mount(img, 0));
	verify_mount();
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		mf_write(m, at[i][0], at[i][1]);
	verify_mount();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	verify_debugfs(img, dir);
	if (extent_depth(img, "/f") < 1)
		TEST_FAIL("/f: the tree did not grow out of the inode");

	REQUIRE_OK(try_mount(img, 0));
	mf_truncate(m, 40 * 1024 + 17);
	/* Bytes past the old end of a written block read back as zeros. */
	mf_truncate(m, 50 * 1024);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f", O_RDONLY, 0));
	REQUIRE((b = malloc(50 * 1024)) != NULL);
	REQUIRE_EQ(rump_sys_read(fd, b, 50 * 1024), 50 * 1024);
	REQUIRE(memcmp(b, m->data, 50 * 1024) == 0);
	free(b);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	verify_debugfs(img, dir);
	mf_reset();
	remove_tree(dir);
	free(dir);
}

/*
 * An extended attribute block shared by two files (made with debugfs,
 * its checksum made right by e2fsck): unlinking one through our mount
 * drops its reference, the block's checksum follows; unlinking the
 * other frees it.  e2fsck is clean after each.
 */
TESTCASE(ext4_xattr_shared)
{
	char img[4200], cmd[9000], host[4300];
	long long blk;
	struct stat st;
	char *dir;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	dir = new_image("e4xa", "-t ext4 -b 1024", "8M", img, sizeof(img));
	PATHF(host, "%s/val", dir);
	REQUIRE((f = fopen(host, "w")) != NULL);
	for (int i = 0; i < 400; i++)
		fputc('a' + i % 26, f);
	REQUIRE(fclose(f) == 0);
	PATHF(cmd, "{ cd '%s' && : > e && debugfs -w -R 'write e /a' fs.img &&"
	    " debugfs -w -R 'write e /b' fs.img && "
	    "debugfs -w -R 'ea_set -f val /a user.big' fs.img; } >/dev/null "
	    "2>&1", dir);
	REQUIRE(system(cmd) == 0);
	REQUIRE((blk = stat_field(img, "/a", "File ACL: ")) > 0);
	PATHF(cmd, "{ cd '%s' && debugfs -w -R 'sif /b file_acl %lld' fs.img "
	    "&& debugfs -w -R 'sif /b blocks 2' fs.img && "
	    "debugfs -w -R 'zap_block -o 4 -l 1 -p 2 %lld' fs.img; "
	    "e2fsck -fy fs.img; test $? -le 1; } >/dev/null 2>&1", dir, blk,
	    blk);
	REQUIRE(system(cmd) == 0);
	fsck_clean(img);

	REQUIRE_OK(try_mount(img, 0));
	REQUIRE_OK(rump_sys_unlink(MNT "/b"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(stat_field(img, "/a", "File ACL: "), blk);
	REQUIRE_OK(try_mount(img, 0));
	REQUIRE_OK(rump_sys_stat(MNT "/a", &st));
	REQUIRE_OK(rump_sys_unlink(MNT "/a"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/*
 * dir_nlink: a directory of more than 65,000 subdirectories counts one
 * link ("many"), as Linux keeps it; e2fsck agrees, and so it stays
 * when some go again (while more than 65,000 are left: below, e2fsck
 * would want the count back, from Linux's images too).  A 32 MiB
 * journal: with the default 4 MiB one the 65,010 mkdirs filled it 100
 * times, and 200 device flushes took minutes when the host's disk was
 * busy.
 */
TESTCASE(ext4_dir_nlink)
{
	char img[4200], name[128];
	struct stat st;
	char *dir;
	int n = 65010;

	if (!have_e2fsprogs())
		return;
	dir = new_image("e4nl", "-t ext4 -b 1024 -N 70000 -J size=32", "128M",
	    img, sizeof(img));
	REQUIRE_OK(try_mount(img, 0));
	REQUIRE_OK(rump_sys_mkdir(MNT "/big", 0755));
	for (int i = 0; i < n; i++) {
		PATHF(name, MNT "/big/%d", i);
		REQUIRE_OK(rump_sys_mkdir(name, 0755));
		if (i == 64990) {
			REQUIRE_OK(rump_sys_stat(MNT "/big", &st));
			REQUIRE_EQ(st.st_nlink, (nlink_t)i + 3);
		}
	}
	REQUIRE_OK(rump_sys_stat(MNT "/big", &st));
	REQUIRE_EQ(st.st_nlink, 1);
	for (int i = 0; i < 5; i++) {
		PATHF(name, MNT "/big/%d", i);
		REQUIRE_OK(rump_sys_rmdir(name));
	}
	REQUIRE_OK(rump_sys_stat(MNT "/big", &st));
	REQUIRE_EQ(st.st_nlink, 1);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/* Every live file of the model, read through the Linux mount at mnt. */
static void
verify_host(const char *mnt)
{
	char path[4400];
	unsigned char *b;
	struct stat st;
	ssize_t got;
	int fd;

	for (int i = 0; i < nfiles; i++) {
		struct mfile *m = &files[i];

		if (!m->live)
			continue;
		PATHF(path, "%s%s", mnt, m->path);
		if (stat(path, &st) != 0)
			TEST_FAIL("Linux: %s: %s", m->path, strerror(errno));
		if (m->dir)
			continue;
		REQUIRE((b = malloc(m->size + 1)) != NULL);
		REQUIRE((fd = open(path, O_RDONLY)) != -1);
		got = read(fd, b, m->size + 1);
		close(fd);
		if (got != (ssize_t)m->size || memcmp(b, m->data, m->size) != 0)
			TEST_FAIL("Linux: %s: %zd bytes read, contents differ",
			    m->path, got);
		free(b);
	}
}

/* Write len model bytes at off of m through the Linux mount at mnt. */
static void
host_write(const char *mnt, struct mfile *m, size_t off, size_t len)
{
	char path[4400];
	unsigned char *p;
	int fd;

	if (off + len > m->size) {
		REQUIRE((p = realloc(m->data, off + len)) != NULL);
		memset(p + m->size, 0, off + len - m->size);
		m->data = p;
		m->size = off + len;
	}
	for (size_t k = 0; k < len; k++)
		m->data[off + k] = (unsigned char)(rng() >> 7);
	PATHF(path, "%s%s", mnt, m->path);
	REQUIRE((fd = open(path, O_WRONLY | O_CREAT, 0644)) != -1);
	REQUIRE(pwrite(fd, m->data + off, len, (off_t)off) == (ssize_t)len);
	REQUIRE(close(fd) == 0);
}

/*
 * The Linux kernel (root, a loop mount; skipped where the host cannot)
 * reads what we wrote, checksums included; then it writes (files, an
 * indexed directory of thousands of names, fallocate's unwritten
 * extents) and we read that, write over it, add names through its
 * index; Linux reads the result.  e2fsck is clean at every step.
 */
TESTCASE(ext4_linux)
{
	char img[4200], mnt[4300], path[4400], cmd[8800];
	struct mfile *m, *fa;
	char *dir;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("e4lx", "-t ext4 -b 4096", "64M", img, sizeof(img));
	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	rng_state = 5;
	REQUIRE_OK(try_mount(img, 0));
	mf_mkdir("/d");
	for (int i = 0; i < 300; i++) {
		PATHF(path, "/d/ours-%04d", i);
		m = mf_new(path, false);
		mf_write(m, 0, 1 + rng() % 9000);
	}
	m = mf_new("/frag", false);
	for (int i = 0; i < 600; i++)
		mf_write(m, (size_t)i * 8192, 4096);
	m = mf_new("/big", false);
	mf_write(m, 0, (size_t)5 << 20);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	if (!linux_mount(img, mnt, "ro")) {
		mf_reset();
		remove_tree(dir);
		free(dir);
		return;
	}
	verify_host(mnt);
	linux_unmount(mnt);

	/* Linux writes. */
	REQUIRE(linux_mount(img, mnt, "rw"));
	mf_mkdir("/lx");
	PATHF(path, "%s/lx", mnt);
	REQUIRE_OK(mkdir(path, 0755));
	for (int i = 0; i < 3000; i++) {
		PATHF(path, "/lx/linux-name-%05d", i);
		m = mf_new(path, false);
		host_write(mnt, m, 0, 1 + rng() % 100);
	}
	fa = mf_new("/falloc", false);
	host_write(mnt, fa, 0, 5000);
	PATHF(path, "%s/falloc", mnt);
	REQUIRE((fd = open(path, O_WRONLY)) != -1);
	REQUIRE(fallocate(fd, 0, 0, 1 << 20) == 0);
	REQUIRE(close(fd) == 0);
	REQUIRE((fa->data = realloc(fa->data, 1 << 20)) != NULL);
	memset(fa->data + fa->size, 0, (1 << 20) - fa->size);
	fa->size = 1 << 20;
	linux_unmount(mnt);
	fsck_clean(img);

	/* We read it, write over it, add and remove names. */
	REQUIRE_OK(try_mount(img, 0));
	verify_mount();
	mf_write(fa, 300000, 70000);
	mf_write(fa, 4096 * 100 + 7, 1);
	for (int i = 0; i < 3000; i++) {
		PATHF(path, "/lx/ours-name-%05d", i);
		m = mf_new(path, false);
		mf_write(m, 0, 1 + rng() % 100);
	}
	for (int i = 0; i < nfiles; i += 3)
		if (!files[i].dir && strncmp(files[i].path, "/lx/", 4) == 0)
			mf_unlink(&files[i]);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	PATHF(cmd, "debugfs -R 'htree /lx' '%s' 2>/dev/null | grep -q "
	    "'Indirect levels'", img);
	if (system(cmd) != 0)
		TEST_FAIL("/lx lost its index");
	verify_debugfs(img, dir);
	REQUIRE(linux_mount(img, mnt, "ro"));
	verify_host(mnt);
	linux_unmount(mnt);
	mf_reset();
	remove_tree(dir);
	free(dir);
}

/* A new image on the same device name and mount point. */
static void
again(void)
{
	REQUIRE_OK(rump_pub_etfs_remove(DEV));
	registered = false;
	REQUIRE_OK(rump_sys_rmdir(MNT));
}

#define IX_NAME "/ix/a-longer-name-for-fewer-per-leaf-%05d"

/* Name i of /ix looked up at root: there when i % 5 != 0. */
static void
ix_check(const char *root, int n, bool host)
{
	char path[4400];
	struct stat st;
	int r;

	for (int i = 0; i < n; i++) {
		PATHF(path, "%s" IX_NAME, root, i);
		r = host ? stat(path, &st) : rump_sys_stat(path, &st);
		if (i % 5 != 0 && r != 0)
			TEST_FAIL("%s%s: %s", host ? "Linux: " : "", path,
			    strerror(errno));
		if (i % 5 == 0 && (r != -1 || errno != ENOENT))
			TEST_FAIL("%s%s: there after its unlink",
			    host ? "Linux: " : "", path);
	}
}

/* Microseconds per lookup of the names of /ix in a new mount. */
static double
ix_lookup_us(const char *img, int n)
{
	struct timespec t0, t1;
	char path[128];
	struct stat st;

	REQUIRE_OK(try_mount(img, MS_RDONLY));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i < n; i += 5) {
		PATHF(path, MNT IX_NAME, i);
		REQUIRE_OK(rump_sys_stat(path, &st));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	return ((double)(t1.tv_sec - t0.tv_sec) * 1e6 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / ((n + 4) / 5);
}

/*
 * A directory we make on a dir_index file system becomes hash-indexed
 * when it outgrows its first block, as Linux's do, and names go in
 * through the index from then on (leaf and index node splits: with 1
 * KiB blocks and long names it grows a second level).  A small one stays
 * plain.  e2fsck is clean, debugfs shows the index, Linux and a new
 * mount of ours find every name and none of the removed ones; emptied,
 * the directory is removed.
 */
TESTCASE(ext4_dir_index)
{
	int n = TESTS_ROUNDS(6000);
	char img[4200], mnt[4300], path[4400], cmd[8800];
	char *dir;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("e4ix", "-t ext4 -b 1024", "32M", img, sizeof(img));
	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	REQUIRE_OK(try_mount(img, 0));
	REQUIRE_OK(rump_sys_mkdir(MNT "/ix", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/small", 0755));
	for (int i = 0; i < 5; i++) {
		PATHF(path, MNT "/small/%d", i);
		REQUIRE_OK(fd = rump_sys_open(path, O_CREAT | O_EXCL | O_RDWR,
		    0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	for (int i = 0; i < n; i++) {
		PATHF(path, MNT IX_NAME, i);
		REQUIRE_OK(fd = rump_sys_open(path, O_CREAT | O_EXCL | O_RDWR,
		    0644));
		REQUIRE_OK(rump_sys_close(fd));
	}
	for (int i = 0; i < n; i += 5) {
		PATHF(path, MNT IX_NAME, i);
		REQUIRE_OK(rump_sys_unlink(path));
	}
	ix_check(MNT, n, false);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	PATHF(cmd, "debugfs -R 'htree_dump /ix' '%s' 2>/dev/null | grep -q "
	    "'Indirect levels: 1'", img);
	if (system(cmd) != 0)
		TEST_FAIL("/ix: no two-level index (debugfs htree_dump)");
	PATHF(cmd, "debugfs -R 'htree_dump /small' '%s' 2>&1 | grep -q "
	    "'Not a hash-indexed directory'", img);
	if (system(cmd) != 0)
		TEST_FAIL("/small was indexed");
	printf("lookup in /ix (%d names, cold mount): %.1f us\n", n - n / 5,
	    ix_lookup_us(img, n));
	REQUIRE_OK(try_mount(img, MS_RDONLY));
	ix_check(MNT, n, false);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	if (linux_mount(img, mnt, "ro")) {
		ix_check(mnt, n, true);
		linux_unmount(mnt);
	}
	/* Emptied through the index, it goes. */
	REQUIRE_OK(try_mount(img, 0));
	for (int i = 0; i < n; i++) {
		PATHF(path, MNT IX_NAME, i);
		REQUIRE(rump_sys_unlink(path) == (i % 5 != 0 ? 0 : -1));
	}
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/small"), ENOTEMPTY);
	REQUIRE_OK(rump_sys_rmdir(MNT "/ix"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	again();
	remove_tree(dir);
	free(dir);
}

/* A line of dumpe2fs -h of img has str (grep -q). */
static bool
sb_has(const char *img, const char *str)
{
	char cmd[4400];

	PATHF(cmd, "dumpe2fs -h '%s' 2>/dev/null | grep -q '%s'", img, str);
	return system(cmd) == 0;
}

/* The free block and inode counts dumpe2fs -h shows for img. */
static void
sb_free(const char *img, unsigned long long *bfree,
    unsigned long long *ifree)
{
	char cmd[4400], line[256];
	FILE *f;

	*bfree = *ifree = ~0ull;
	PATHF(cmd, "dumpe2fs -h '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		(void)sscanf(line, "Free blocks: %llu", bfree);
		(void)sscanf(line, "Free inodes: %llu", ifree);
	}
	pclose(f);
	REQUIRE(*bfree != ~0ull && *ifree != ~0ull);
}

/*
 * A crash with a file unlinked but open: the image, copied after a sync
 * with the file still open, holds it as an orphan (on the orphan list,
 * or with orphan_file in a slot of the orphan file, orphan_present set
 * and the list empty); the next read-write mount (forced: the copy is
 * not clean) frees it and, with orphan_file, clears orphan_present.
 * e2fsck finds the file system right, with the free counts of the image
 * where the file was closed normally, and e2fsck -fy's own finishing of
 * a second copy comes to the same counts.
 */
static void
orphan_case(const char *opts, bool ofile)
{
	struct ext2fs_args args = { .fspec = (char *)DEV,
		.flags = EXT2FS_ARGS_FORCE };
	char img[4200], copy[4300], copy2[4300], copy3[4300], mnt[4300];
	char cmd[17600];
	unsigned long long b1, i1, b2, i2;
	struct statvfs sv0, sv;
	struct mfile *m;
	char *dir;
	int fd;

	dir = new_image("e4or", opts, "16M", img, sizeof(img));
	PATHF(copy, "%s/crash.img", dir);
	PATHF(copy2, "%s/crash2.img", dir);
	PATHF(copy3, "%s/crash3.img", dir);
	rng_state = 77;
	REQUIRE_OK(try_mount(img, 0));
	m = mf_new("/gone", false);
	mf_write(m, 0, 300000);
	m = mf_new("/kept", false);
	mf_write(m, 0, 5000);
	REQUIRE_OK(fd = rump_sys_open(MNT "/gone", O_RDONLY, 0));
	REQUIRE_OK(rump_sys_unlink(MNT "/gone"));
	files[0].live = false;
	REQUIRE_OK(rump_sys_sync());
	PATHF(cmd, "cp '%s' '%s' && cp '%s' '%s'", img, copy, img, copy2);
	REQUIRE(system(cmd) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv0));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE(!sb_has(img, "orphan_present"));
	/*
	 * The copy as the disk has it, unreplayed: orphan_present went
	 * home with the mount's in-use mark; the list head never did.
	 */
	REQUIRE(sb_has(copy, "orphan_present") == ofile);
	if (ofile)
		REQUIRE(!sb_has(copy, "First orphan inode"));

	REQUIRE_OK(rump_pub_etfs_remove(DEV));
	REQUIRE_EQ(rump_pub_etfs_register(DEV, copy, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &args, sizeof(args)));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	verify_mount();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(copy);
	REQUIRE_EQ(sv.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv.f_ffree, sv0.f_ffree);
	REQUIRE(!sb_has(copy, "orphan_present"));
	REQUIRE(!sb_has(copy, "First orphan inode"));

	PATHF(cmd, "cp '%s' '%s' && e2fsck -fy '%s' >/dev/null 2>&1; "
	    "e2fsck -fn '%s' >/dev/null 2>&1", copy2, copy3, copy2, copy2);
	REQUIRE(system(cmd) == 0);
	sb_free(copy, &b1, &i1);
	sb_free(copy2, &b2, &i2);
	REQUIRE_EQ(b1, b2);
	REQUIRE_EQ(i1, i2);
	/* Linux reads the orphan as we wrote it and frees it too. */
	PATHF(mnt, "%s/lx", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	if (linux_mount(copy3, mnt, "rw")) {
		linux_unmount(mnt);
		fsck_clean(copy3);
		sb_free(copy3, &b2, &i2);
		REQUIRE_EQ(b1, b2);
		REQUIRE_EQ(i1, i2);
	}
	again();
	mf_reset();
	remove_tree(dir);
	free(dir);
}

/*
 * A damaged orphan file (a slot changed behind its checksum, or its
 * magic gone): the read-write mount says so in one line and goes on
 * without it (an unlinked open file goes on the orphan list), and
 * orphan_present is not set.  e2fsck -fy mends the file.
 */
static void
orphan_damaged(const char *what, long at, const char *bytes,
    const char *logline)
{
	char img[4200], logf[4300], cmd[8800], out[64];
	unsigned long long blk = 0;
	FILE *f;
	int fd;

	char *dir = new_image("e4od", "-t ext4 -b 1024 -O orphan_file", "8M",
	    img, sizeof(img));
	PATHF(cmd, "debugfs -R 'bmap <12> 0' '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	REQUIRE(fgets(out, sizeof(out), f) != NULL);
	pclose(f);
	REQUIRE((blk = strtoull(out, NULL, 10)) != 0);
	PATHF(cmd, "printf '%s' | dd of='%s' bs=1 seek=%llu conv=notrunc "
	    "2>/dev/null", bytes, img, blk * 1024 + (unsigned long long)at);
	REQUIRE(system(cmd) == 0);
	PATHF(logf, "%s/log", dir);
	log_capture(logf);
	REQUIRE_OK(try_mount(img, 0));
	log_expect(logline);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_OK(rump_sys_unlink(MNT "/f"));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	REQUIRE(!sb_has(img, "orphan_present"));
	PATHF(cmd, "e2fsck -fy '%s' >/dev/null 2>&1; test $? -le 1", img);
	if (system(cmd) != 0)
		TEST_FAIL("%s: e2fsck -fy could not mend it", what);
	fsck_clean(img);
	again();
	remove_tree(dir);
	free(dir);
}

TESTCASE(ext4_orphan)
{
	if (!have_e2fsprogs())
		return;
	orphan_case("-t ext4 -b 1024 -O ^orphan_file", false);
	if (system("mke2fs -O orphan_file -n -F /dev/null 8M >/dev/null "
	    "2>&1") != 0) {
		printf("mke2fs makes no orphan_file: that part skipped\n");
		return;
	}
	orphan_case("-t ext4 -b 1024 -O orphan_file", true);
	orphan_case("-t ext4 -b 4096 -O orphan_file,^metadata_csum", true);
	orphan_damaged("a slot", 40, "\\015", "orphan file block 0: checksum");
	orphan_damaged("the magic", 1016, "\\000", "orphan file block 0: bad "
	    "magic");
}

/*
 * Eight processes at once on an ext4 image small enough for them to
 * fill; then all is removed: the free counts are what they were, and
 * e2fsck finds nothing.
 */
TESTCASE(ext4_stress)
{
	struct statvfs sv0, sv;
	char img[4200];
	char *dir;

	if (!have_e2fsprogs())
		return;
	dir = new_image("e4st", "-t ext4 -b 1024 -m 0", "16M", img,
	    sizeof(img));
	REQUIRE_OK(try_mount(img, 0));
	REQUIRE_OK(rump_sys_mkdir(MNT "/st", 0755));
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv0));
	fs_stress(MNT "/st", 8, 2000, 5, true);
	REQUIRE_OK(rump_sys_statvfs(MNT, &sv));
	REQUIRE_EQ(sv.f_bfree, sv0.f_bfree);
	REQUIRE_EQ(sv.f_ffree, sv0.f_ffree);
	REQUIRE_OK(rump_sys_rmdir(MNT "/st"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/* Features still not written: read-write refused, one line naming it. */
static void
refused(const char *opts, const char *name)
{
	char img[4200], logf[4300];
	char *dir;

	dir = new_image("e4no", opts, "8M", img, sizeof(img));

	PATHF(logf, "%s/log", dir);
	log_capture(logf);
	REQUIRE_ERRNO(try_mount(img, 0), EROFS);
	log_expect(name);
	REQUIRE_OK(try_mount(img, MS_RDONLY));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

TESTCASE(ext4_refused)
{
	if (!have_e2fsprogs())
		return;
	refused("-t ext4 -O inline_data", "unsupported feature inline_data");
	again();
	/* Every one named, in one line. */
	refused("-t ext4 -O inline_data,quota",
	    "unsupported feature inline_data, quota");
}

TESTS(CASE(ext4_default_1k), CASE(ext4_default_2k), CASE(ext4_default_4k),
    CASE(ext4_features_1k), CASE(ext4_features_2k), CASE(ext4_uninit_bg),
    CASE(ext4_htree_grow), CASE(ext4_unwritten), CASE(ext4_xattr_shared),
    CASE(ext4_dir_nlink), CASE(ext4_linux), CASE(ext4_orphan),
    CASE(ext4_dir_index),
    CASE(ext4_stress), CASE(ext4_refused))
