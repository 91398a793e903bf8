/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Hostile ISO 9660 images.  First one named kind of damage at a time,
 * made in a real image (directory records that overrun their sector or
 * are too short, a continuation area that points to itself, a child
 * link back to the directory holding it, a directory that is its own
 * child, an extent past the end, a multi-extent file whose last record
 * is missing): the call that meets it fails with EIO and the kernel
 * logs exactly one line.  Then seeded random corruption of images from
 * xorriso, genisoimage and makefs, each mounted and walked (getdents64,
 * lstat, open, read, readlink): every call may fail, none may crash,
 * hang (the harness's time limit) or trip a sanitizer, every mount must
 * unmount.  The seeds are fixed, so a failure reproduces.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/iso_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_isoimg.h"

#define MNT "/mnt"
#define DEV "/dev/fuzziso"
#define CASES 400
#define MAXDEPTH 24
#define MAXENTRIES 3000

static int
mount_iso(const char *img)
{
	struct iso_args args = { .fspec = DEV };

	(void)rump_pub_etfs_remove(DEV);
	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	(void)rump_sys_mkdir(MNT, 0755);
	return rump_sys_mount("cd9660", MNT, MS_RDONLY, &args, sizeof(args));
}

struct hostile {
	char *dir, src[4200], good[4200], bad[4200];
	unsigned char *img;
	size_t size;
};

static bool
hostile_setup(struct hostile *h, const char *tag, const char *cmd)
{
	struct tree_opts o = { 40, false, false, true, true };

	if (!have_tool("genisoimage -version"))
		return false;
	h->dir = make_tmpdir(tag);
	PATHF(h->src, "%s/src", h->dir);
	PATHF(h->good, "%s/good.iso", h->dir);
	PATHF(h->bad, "%s/bad.iso", h->dir);
	REQUIRE_OK(mkdir(h->src, 0755));
	make_tree(h->src, &o);
	run(cmd, h->good, h->src);
	h->img = img_load(h->good, &h->size);
	return true;
}

static void
hostile_done(struct hostile *h)
{
	free(h->img);
	remove_tree(h->dir);
	free(h->dir);
}

/* The damaged image must mount; then the call fails with EIO, one line. */
#define HOSTILE_CALL(h, call, logwant)                                         \
	do {                                                                   \
		char logf_[4300];                                              \
                                                                               \
		img_save((h)->bad, (h)->img, (h)->size);                           \
		REQUIRE_OK(mount_iso((h)->bad));                               \
		PATHF(logf_, "%s/log", (h)->dir);                              \
		log_capture(logf_);                                            \
		REQUIRE_ERRNO(call, EIO);                                      \
		log_expect(logwant);                                           \
		REQUIRE_OK(rump_sys_unmount(MNT, 0));                          \
	} while (0)

#define GENISO "genisoimage -quiet -R -o '%s' '%s' 2>/dev/null"

/* getdents64 of the root: -1 and errno, the directory closed. */
static int
readroot(void)
{
	static char buf[8192];
	int fd, rv, e;

	REQUIRE_OK(fd = rump_sys_open(MNT, O_RDONLY | O_DIRECTORY, 0));
	rv = rump_sys_getdents64(fd, buf, sizeof(buf));
	e = errno;
	REQUIRE_OK(rump_sys_close(fd));
	errno = e;
	return rv;
}

TESTCASE(record_overruns_sector)
{
	const unsigned char *root;
	struct hostile h;
	size_t o, end;

	if (!hostile_setup(&h, "overrun", GENISO))
		return;
	/* The unused tail of the root's first sector gets a record length. */
	root = h.img + 16 * 2048 + 156;
	o = (size_t)img_le32(root + 2) * 2048;
	end = o + 2048;
	while (o < end && h.img[o] != 0)
		o += h.img[o];
	REQUIRE(o < end && end - o < 254);
	h.img[o] = 254;
	HOSTILE_CALL(&h, readroot(), "bad length");
	hostile_done(&h);
}

TESTCASE(record_too_short)
{
	static const char *const p[] = { "SMALL.TXT", NULL };
	struct hostile h;
	size_t r;

	if (!hostile_setup(&h, "short", GENISO))
		return;
	REQUIRE((r = img_find_record(h.img, h.size, p)) != 0);
	h.img[r] = 20;
	HOSTILE_CALL(&h, readroot(), "bad length");
	hostile_done(&h);
}

/* A continuation area whose CE points at itself. */
TESTCASE(ce_loop)
{
	char name[300], path[400];
	struct hostile h;
	size_t r = 0, ce;
	struct stat st;

	if (!hostile_setup(&h, "celoop", GENISO))
		return;
	/* The 200-character name does not fit its record: it goes on. */
	for (size_t off = 0; off + 2048 <= h.size && r == 0; off += 2048)
		for (size_t o = off; o + 34 < off + 2048 && h.img[o] != 0 &&
		    h.img[o] >= 34; o += h.img[o])
			if (img_find_su(h.img, o, "CE") != 0 &&
			    memcmp(h.img + o + 33, "LLLLLLLL", 8) == 0) {
				r = o;
				break;
			}
	REQUIRE(r != 0);
	/* The record's CE: a continuation area that is the CE itself. */
	ce = img_find_su(h.img, r, "CE");
	img_set_bb32(h.img + ce + 4, (uint32_t)(ce / 2048));
	img_set_bb32(h.img + ce + 12, (uint32_t)(ce % 2048));
	img_set_bb32(h.img + ce + 20, 28);
	memset(name, 'L', 200);
	name[200] = '\0';
	PATHF(path, MNT "/%s", name);
	HOSTILE_CALL(&h, rump_sys_lstat(path, &st), "looping continuation");
	hostile_done(&h);
}

/* The child link of a relocated directory pointed at its own parent. */
TESTCASE(relocation_loop)
{
	static const char *const p[] = { "DEEP", "LEVEL1", "LEVEL2", "LEVEL3",
		"LEVEL4", "LEVEL5", "LEVEL6", NULL };
	static const char *const par[] = { "DEEP", "LEVEL1", "LEVEL2",
		"LEVEL3", "LEVEL4", "LEVEL5", NULL };
	struct hostile h;
	size_t r, cl, parent;
	struct stat st;

	if (!hostile_setup(&h, "relocloop", GENISO))
		return;
	/* deep/.../level6/level7 (depth 8) is relocated: level6 has its CL. */
	REQUIRE((parent = img_find_record(h.img, h.size, p)) != 0);
	REQUIRE((r = img_find_record(h.img, h.size, par)) != 0);
	{
		/* The CL record is in level6's directory. */
		size_t dir = (size_t)img_le32(h.img + parent + 2) * 2048, o;

		for (o = dir; h.img[o] != 0; o += h.img[o])
			if (img_find_su(h.img, o, "CL") != 0)
				break;
		REQUIRE(h.img[o] != 0);
		cl = img_find_su(h.img, o, "CL");
	}
	/* Back to level6 itself, then to level5: each refused. */
	img_set_bb32(h.img + cl + 4, img_le32(h.img + parent + 2));
	HOSTILE_CALL(&h, rump_sys_lstat(MNT "/deep/level1/level2/level3/"
	    "level4/level5/level6/level7", &st), "holds itself");
	img_set_bb32(h.img + cl + 4, img_le32(h.img + r + 2));
	HOSTILE_CALL(&h, rump_sys_lstat(MNT "/deep/level1/level2/level3/"
	    "level4/level5/level6/level7", &st), "not its child");
	hostile_done(&h);
}

/* A subdirectory whose extent is the root's. */
TESTCASE(dir_cycle)
{
	static const char *const p[] = { "SUB", NULL };
	const unsigned char *root;
	struct hostile h;
	size_t r;
	struct stat st;

	if (!hostile_setup(&h, "cycle", GENISO))
		return;
	REQUIRE((r = img_find_record(h.img, h.size, p)) != 0);
	root = h.img + 16 * 2048 + 156;
	img_set_bb32(h.img + r + 2, img_le32(root + 2));
	img_set_bb32(h.img + r + 10, img_le32(root + 10));
	HOSTILE_CALL(&h, rump_sys_lstat(MNT "/sub/sub", &st), "holds itself");
	hostile_done(&h);
}

TESTCASE(extent_past_end)
{
	static const char *const p[] = { "SMALL.TXT", NULL };
	struct hostile h;
	size_t r;
	struct stat st;

	if (!hostile_setup(&h, "pastend", GENISO))
		return;
	REQUIRE((r = img_find_record(h.img, h.size, p)) != 0);
	img_set_bb32(h.img + r + 2, (uint32_t)(h.size / 2048));
	HOSTILE_CALL(&h, rump_sys_stat(MNT "/small.txt", &st), "past the end");
	img_set_bb32(h.img + r + 2, 0x7fffffff);
	HOSTILE_CALL(&h, rump_sys_stat(MNT "/small.txt", &st), "past the end");
	hostile_done(&h);
}

/* A file flagged "more extents follow" that is the directory's last. */
TESTCASE(multi_extent_cut)
{
	static const char *const p[] = { "SUB", "INNER", NULL };
	struct hostile h;
	size_t r;
	struct stat st;

	if (!hostile_setup(&h, "multicut", GENISO))
		return;
	REQUIRE((r = img_find_record(h.img, h.size, p)) != 0);
	/* Make inner the last record of sub, then flag it. */
	h.img[r + 25] |= 0x80;
	memset(h.img + r + h.img[r], 0,
	    2048 - (r + h.img[r]) % 2048);
	HOSTILE_CALL(&h, rump_sys_stat(MNT "/sub/inner", &st), "end");
	hostile_done(&h);
}

/* Checks inside the fuzz cases, while output goes to /dev/null. */
static int fail_line, fail_errno;
#define FCHECK(e)                                                              \
	do {                                                                   \
		if (!(e) && fail_line == 0) {                                  \
			fail_line = __LINE__;                                  \
			fail_errno = errno;                                    \
		}                                                              \
	} while (0)

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static long entries;

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
poke(const char *path)
{
	static char buf[65536];
	struct stat st;
	int fd;

	if (rump_sys_lstat(path, &st) != 0)
		return;
	if (S_ISLNK(st.st_mode))
		(void)rump_sys_readlink(path, buf, sizeof(buf));
	else if (S_ISREG(st.st_mode) &&
	    (fd = rump_sys_open(path, O_RDONLY, 0)) >= 0) {
		(void)rump_sys_read(fd, buf, sizeof(buf));
		(void)rump_sys_pread(fd, buf, 4096, st.st_size / 2);
		(void)rump_sys_lseek(fd, 0, SEEK_HOLE);
		FCHECK(rump_sys_close(fd) == 0);
	}
}

static void
walk(const char *path, int depth)
{
	char buf[1024], sub[4096];
	struct linux_dirent64 *d;
	ssize_t len;
	int fd;

	if (depth > MAXDEPTH ||
	    (fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0)) < 0)
		return;
	while (entries < MAXENTRIES &&
	    (len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < len; off += d->d_reclen) {
			d = (struct linux_dirent64 *)(buf + off);
			FCHECK(d->d_reclen > 0 && off + d->d_reclen <= len);
			if (fail_line != 0)
				break;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
			    d->d_name) >= sizeof(sub))
				continue;
			entries++;
			poke(sub);
			if (d->d_type == DT_DIR)
				walk(sub, depth + 1);
		}
	}
	FCHECK(rump_sys_close(fd) == 0);
}

static void
fuzz(const char *tag, const char *tool, const char *cmd, uint32_t seed)
{
	struct tree_opts o = { 100, geteuid() == 0, false, true, true };
	char *dir, src[4200], good[4200], bad[4200];
	unsigned char *img, *b;
	size_t size, off;
	long mounted = 0;
	int out, err, devnull, c;

	if (!have_tool(tool))
		return;
	dir = make_tmpdir(tag);
	PATHF(src, "%s/src", dir);
	PATHF(good, "%s/good.iso", dir);
	PATHF(bad, "%s/bad.iso", dir);
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, &o);
	run(cmd, good, src);
	img = img_load(good, &size);
	REQUIRE((b = malloc(size)) != NULL);
	img_save(bad, img, size);
	REQUIRE_EQ(rump_pub_etfs_register(DEV, bad, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	fflush(stdout);
	REQUIRE_OK(out = dup(1));
	REQUIRE_OK(err = dup(2));
	REQUIRE_OK(devnull = open("/dev/null", O_WRONLY));
	REQUIRE_OK(dup2(devnull, 1));
	REQUIRE_OK(dup2(devnull, 2));
	for (c = 0; c < CASES && fail_line == 0; c++) {
		struct iso_args args = { .fspec = DEV };
		int flips = 1 << (c % 6);

		memcpy(b, img, size);
		/* Past the system area; mostly where the metadata is. */
		for (int i = 0; i < flips; i++) {
			off = 16 * 2048 + rnd(&seed) % (size - 16 * 2048);
			if (rnd(&seed) % 4 != 0)
				off = 16 * 2048 + rnd(&seed) %
				    (size < 200 * 2048 ? size - 16 * 2048 :
				    184 * 2048);
			b[off] = (unsigned char)rnd(&seed);
		}
		img_save(bad, b, size);
		/* The other trees, names and the session search too. */
		args.flags = c % 5 == 4 ? ISOFSMNT_NORRIP :
		    c % 5 == 3 ? ISOFSMNT_GENS | ISOFSMNT_NOCASETRANS :
		    c % 5 == 2 ? ISOFSMNT_LASTSESS : 0;
		if (rump_sys_mount("cd9660", MNT, MS_RDONLY, &args,
		    sizeof(args)) != 0)
			continue;
		mounted++;
		entries = 0;
		walk(MNT, 0);
		FCHECK(rump_sys_unmount(MNT, 0) == 0);
	}
	fflush(stdout);
	REQUIRE_OK(dup2(out, 1));
	REQUIRE_OK(dup2(err, 2));
	close(devnull);
	close(out);
	close(err);
	if (fail_line != 0)
		TEST_FAIL("%s: case %d: the check at line %d failed, errno %d "
		    "(%s)", tag, c - 1, fail_line, fail_errno,
		    strerror(fail_errno));
	printf("%s: %d cases, %ld mounted\n", tag, CASES, mounted);
	REQUIRE(mounted > 0);
	free(b);
	free(img);
	remove_tree(dir);
	free(dir);
}

TESTCASE(fuzz_xorriso)
{
	fuzz("fz_xorriso", "xorriso -version",
	    "xorriso -as mkisofs -quiet -R -J -joliet-long -o '%s' '%s' "
	    "2>/dev/null", 11);
}

TESTCASE(fuzz_genisoimage)
{
	fuzz("fz_geniso", "genisoimage -version",
	    "genisoimage -quiet -R -J -joliet-long -o '%s' '%s' 2>/dev/null",
	    22);
}

TESTCASE(fuzz_makefs)
{
	fuzz("fz_makefs", "which makefs",
	    "makefs -t cd9660 -o rockridge '%s' '%s' >/dev/null", 33);
}

TESTCASE(fuzz_joliet)
{
	fuzz("fz_joliet", "genisoimage -version",
	    "genisoimage -quiet -J -o '%s' '%s' 2>/dev/null", 44);
}

TESTS(CASE(record_overruns_sector), CASE(record_too_short), CASE(ce_loop),
    CASE(relocation_loop), CASE(dir_cycle), CASE(extent_past_end),
    CASE(multi_extent_cut), CASE(fuzz_xorriso), CASE(fuzz_genisoimage),
    CASE(fuzz_makefs), CASE(fuzz_joliet))
