/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * JBD2 journal replay, against tools nobody here wrote.  Images needing
 * recovery are made by e2fsprogs: image A (mke2fs -d), B = A changed by
 * debugfs (mkdir, write, symlink, rm, sif), C = B changed again; the
 * blocks that differ are written into A's journal as transactions by
 * debugfs's journal commands (jo, jw, jc), with checksums v3, v2 or
 * none, 32 or 64-bit block numbers, 1 and 4 KiB blocks.  Then:
 *  - our read-only mount shows the tree of the image the journal leads
 *    to (names, types, modes, owners, sizes, times, bytes) and leaves
 *    the image byte for byte as it was (sha256);
 *  - e2fsck -fy's replay of a copy shows the same tree;
 *  - our read-write mount replays onto the image: e2fsck -fn is clean
 *    after, needs_recovery is gone and the tree is the same.
 * A transaction without its commit block, or with a bad commit
 * checksum, is dropped; revoked blocks are not put back unless copied
 * again by a later transaction; an escaped block gets its magic back.
 * A corrupt journal (named damage, and seeded random damage) is EIO
 * with one log line, or a correct discard, never a crash, and the
 * image is untouched.  Where the host allows loop mounts, an image
 * copied from a live Linux ext4 mount after a workload and sync
 * replays to the tree Linux showed.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "kernspace/ext2_ks.h"

#define DEV "/dev/jimg"
#define MNT "/mnt"
#define MAXDIFF 4096

static char *tmpdir;
static char logpath[600];
static int ndev;
static bool booted;

static void
sha256(const char *img, char *out, size_t len)
{
	sh_out(out, len, "sha256sum '%s' | cut -d' ' -f1", img);
	REQUIRE(strlen(out) == 64);
}

/*
 * The tree under a root, as text: one line per entry, in name order,
 * with what a replay must get right.  Host and rump calls alike.
 */
struct fsops {
	int (*open)(const char *, int);
	ssize_t (*read)(int, void *, size_t);
	int (*close)(int);
	int (*lstat)(const char *, struct stat *);
	ssize_t (*readlink)(const char *, char *, size_t);
	ssize_t (*getdents)(int, void *, size_t);
};

static int
h_open(const char *p, int f)
{
	return open(p, f);
}

static ssize_t
h_getdents(int fd, void *buf, size_t n)
{
	return syscall(SYS_getdents64, fd, buf, n);
}

static int
r_open(const char *p, int f)
{
	return rump_sys_open(p, f, 0);
}

static const struct fsops hostops = { h_open, read, close, lstat, readlink,
	h_getdents };
static const struct fsops rumpops = { r_open, rump_sys_read, rump_sys_close,
	rump_sys_lstat, rump_sys_readlink, rump_sys_getdents64 };

struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((__format__(__printf__, 2, 3)))
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		REQUIRE(n >= 0);
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 4096;
		REQUIRE((t->s = realloc(t->s, t->cap)) != NULL);
	}
	t->len += (size_t)n;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static void
dump_dir(const struct fsops *o, const char *root, const char *rel,
    struct text *t)
{
	char path[4200], sub[4200], buf[8192], lnk[4200];
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	ssize_t r;
	uint64_t h;
	int fd;

	PATHF(path, "%s%s", root, rel);
	REQUIRE_OK(fd = o->open(path, O_RDONLY | O_DIRECTORY));
	while ((r = o->getdents(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < r;) {
			struct linux_dirent64 *d = (void *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if (n == cap) {
				cap = cap * 2 + 16;
				REQUIRE((names = realloc(names,
				    cap * sizeof(*names))) != NULL);
			}
			REQUIRE((names[n++] = strdup(d->d_name)) != NULL);
		}
	}
	REQUIRE(r == 0);
	o->close(fd);
	if (n > 0)
		qsort(names, n, sizeof(*names), namecmp);
	for (size_t i = 0; i < n; i++) {
		PATHF(sub, "%s/%s", rel, names[i]);
		PATHF(path, "%s%s", root, sub);
		REQUIRE_OK(o->lstat(path, &st));
		text_add(t, "%s 0%o %u:%u n%lu s%lld m%lld.%09ld", sub,
		    st.st_mode, st.st_uid, st.st_gid, (unsigned long)st.st_nlink,
		    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec);
		if (S_ISREG(st.st_mode)) {
			REQUIRE_OK(fd = o->open(path, O_RDONLY));
			h = 14695981039346656037ull;
			while ((r = o->read(fd, buf, sizeof(buf))) > 0)
				for (ssize_t k = 0; k < r; k++)
					h = (h ^ (uint8_t)buf[k]) *
					    1099511628211ull;
			REQUIRE(r == 0);
			o->close(fd);
			text_add(t, " h%016llx", (unsigned long long)h);
		} else if (S_ISLNK(st.st_mode)) {
			REQUIRE((r = o->readlink(path, lnk, sizeof(lnk))) > 0);
			text_add(t, " -> %.*s", (int)r, lnk);
		}
		text_add(t, "\n");
		if (S_ISDIR(st.st_mode))
			dump_dir(o, root, sub, t);
		free(names[i]);
	}
	free(names);
}

static char *
dump(const struct fsops *o, const char *root)
{
	struct text t = { NULL, 0, 0 };

	t.cap = 4096;
	REQUIRE((t.s = malloc(t.cap)) != NULL);
	t.s[0] = '\0';
	dump_dir(o, root, "", &t);
	return t.s;
}

static void
same_tree(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		TEST_FAIL("%s: tree differs:\n--- got\n%s--- want\n%s", what,
		    got, want);
}

/* Mount img (a new device name each time) at MNT: 0 or the errno. */
static int
mount_img(const char *img, bool rdonly)
{
	struct ufs_args args;
	char dev[64];
	struct stat st;

	snprintf(dev, sizeof(dev), DEV "%d", ndev++);
	args.fspec = dev;
	REQUIRE_EQ(rump_pub_etfs_register(dev, img, RUMP_ETFS_BLK), 0);
	if (rump_sys_stat(MNT, &st) != 0)
		REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	if (rump_sys_mount("ext2fs", MNT, rdonly ? MS_RDONLY : 0, &args,
	    sizeof(args)) == 0)
		return 0;
	return errno;
}

static void
unmount_img(void)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
}

/* Our read-only view of img, which must mount. */
static char *
our_tree(const char *img)
{
	char *s;

	REQUIRE_EQ(mount_img(img, true), 0);
	s = dump(&rumpops, MNT);
	unmount_img();
	return s;
}

static bool
needs_recovery(const char *img)
{
	char out[512];

	sh_out(out, sizeof(out), "dumpe2fs -h '%s' 2>/dev/null | grep "
	    "'^Filesystem features:' | grep -c needs_recovery", img);
	return strcmp(out, "1") == 0;
}

/* The blocks of bsize bytes that differ between images a and b. */
static size_t
diff_blocks(const char *a, const char *b, uint32_t bsize, uint64_t *list)
{
	unsigned char *x = malloc(bsize), *y = malloc(bsize);
	size_t n = 0;
	uint64_t blk = 0;
	FILE *fa, *fb;

	REQUIRE(x != NULL && y != NULL);
	REQUIRE((fa = fopen(a, "r")) != NULL && (fb = fopen(b, "r")) != NULL);
	while (fread(x, bsize, 1, fa) == 1 && fread(y, bsize, 1, fb) == 1) {
		if (memcmp(x, y, bsize) != 0) {
			REQUIRE(n < MAXDIFF);
			list[n++] = blk;
		}
		blk++;
	}
	fclose(fa);
	fclose(fb);
	free(x);
	free(y);
	return n;
}

/*
 * A jw command: blocks list[0..n) with their contents taken from image
 * src (into data file df), revoking rev (a debugfs list or NULL).
 */
static void
jw(FILE *cmds, const char *src, uint32_t bsize, const uint64_t *list,
    size_t n, const char *rev, bool commit, const char *df)
{
	static int seq;
	unsigned char *buf = malloc(bsize);
	char path[800];
	FILE *in, *out;

	/* debugfs reads the file when it runs the command: one each. */
	PATHF(path, "%s.%d", df, seq++);
	df = path;
	REQUIRE(buf != NULL);
	REQUIRE((in = fopen(src, "r")) != NULL && (out = fopen(df, "w")));
	for (size_t i = 0; i < n; i++) {
		REQUIRE(fseeko(in, (off_t)(list[i] * bsize), SEEK_SET) == 0);
		REQUIRE(fread(buf, bsize, 1, in) == 1);
		REQUIRE(fwrite(buf, bsize, 1, out) == 1);
	}
	fclose(in);
	fclose(out);
	free(buf);
	fprintf(cmds, "jw");
	for (size_t i = 0; i < n; i++)
		fprintf(cmds, "%s%llu", i == 0 ? " -b " : ",",
		    (unsigned long long)list[i]);
	if (rev != NULL)
		fprintf(cmds, " -r %s", rev);
	fprintf(cmds, "%s %s\n", commit ? "" : " -c", n > 0 ? df : "/dev/null");
}

/* A transaction of the blocks that differ from image from to image to. */
static void
jw_diff(FILE *cmds, const char *from, const char *to, uint32_t bsize,
    bool commit, const char *df)
{
	static uint64_t list[MAXDIFF];
	size_t n = diff_blocks(from, to, bsize, list);

	REQUIRE(n > 0);
	jw(cmds, to, bsize, list, n, NULL, commit, df);
}

static FILE *
jopen(const char *path, const char *jo)
{
	FILE *f;

	REQUIRE((f = fopen(path, "w")) != NULL);
	fprintf(f, "jo %s\n", jo);
	return f;
}

static void
jclose(FILE *f, const char *path, const char *img)
{
	fprintf(f, "jc\n");
	fclose(f);
	sh("debugfs -w -f '%s' '%s' >/dev/null 2>&1", path, img);
	REQUIRE(needs_recovery(img));
}

static uint64_t
file_block(const char *img, const char *path, uint64_t lblk)
{
	char out[256];

	sh_out(out, sizeof(out), "debugfs -c -R 'bmap %s %llu' '%s' 2>/dev/null",
	    path, (unsigned long long)lblk, img);
	REQUIRE(out[0] >= '1' && out[0] <= '9');
	return strtoull(out, NULL, 10);
}

/* Images A (base), B and C (each the one before, changed). */
struct imgs {
	char a[700], b[700], c[700], j[700], cmds[700], df[700];
	uint32_t bsize;
};

static void
make_imgs(struct imgs *im, const char *mkfs, uint32_t bsize)
{
	char src[700], p[800];
	FILE *f;

	tmpdir = make_tmpdir("journal");
	PATHF(src, "%s/src", tmpdir);
	PATHF(im->a, "%s/a", tmpdir);
	PATHF(im->b, "%s/b", tmpdir);
	PATHF(im->c, "%s/c", tmpdir);
	PATHF(im->j, "%s/j", tmpdir);
	PATHF(im->cmds, "%s/cmds", tmpdir);
	PATHF(im->df, "%s/data", tmpdir);
	PATHF(logpath, "%s/log", tmpdir);
	im->bsize = bsize;
	sh("mkdir -p '%s/d/e' && cd '%s' && echo one >f1 && echo two >f2 && "
	    "head -c 50000 /dev/urandom >f3 && head -c 9000 /dev/urandom >f4 "
	    "&& ln -s f1 d/l && echo deep >d/e/x && chmod 640 f2",
	    src, src);
	make_image(im->a, src, mkfs, "8M", NULL);
	PATHF(p, "%s/new", tmpdir);
	sh("head -c 30000 /dev/urandom >'%s'", p);
	sh("cp '%s' '%s'", im->a, im->b);
	REQUIRE((f = fopen(im->cmds, "w")) != NULL);
	fprintf(f, "mkdir newdir\nwrite %s newdir/data\nsymlink newdir/ln "
	    "/some/where\nrm f2\nmkdir newdir/sub\nsif f1 mode 0100600\n", p);
	fclose(f);
	sh("debugfs -w -f '%s' '%s' >/dev/null 2>&1", im->cmds, im->b);
	sh("cp '%s' '%s'", im->b, im->c);
	REQUIRE((f = fopen(im->cmds, "w")) != NULL);
	fprintf(f, "mkdir dir2\nwrite %s dir2/copy\nrm f3\nrm newdir/ln\n", p);
	fclose(f);
	sh("debugfs -w -f '%s' '%s' >/dev/null 2>&1", im->cmds, im->c);
	fsck_clean(im->b);
	fsck_clean(im->c);
	if (!booted) {
		REQUIRE_OK(rump_init());
		booted = true;
	}
}

static void
done(void)
{
	remove_tree(tmpdir);
	free(tmpdir);
}

/* Mount img read-write, which replays its journal (ext3 and ext4). */
static void
rw_replay(const char *img)
{
	REQUIRE_OK(mount_img(img, false));
}

/*
 * The journaled image j: our read-only view is want and leaves j as
 * it was; e2fsck's replay of a copy agrees; our read-write mount
 * replays to a clean file system with the same tree.
 */
static void
check_replay(struct imgs *im, const char *want)
{
	char h0[80], h1[80], copy[800];
	char *got;

	sha256(im->j, h0, sizeof(h0));
	got = our_tree(im->j);
	same_tree("our read-only replay", got, want);
	free(got);
	sha256(im->j, h1, sizeof(h1));
	REQUIRE(strcmp(h0, h1) == 0);
	REQUIRE(needs_recovery(im->j));

	PATHF(copy, "%s/fsck", tmpdir);
	sh("cp '%s' '%s' && e2fsck -fy '%s' >/dev/null 2>&1; test $? -le 1",
	    im->j, copy, copy);
	fsck_clean(copy);
	got = our_tree(copy);
	same_tree("e2fsck's replay", got, want);
	free(got);

	rw_replay(im->j);
	got = dump(&rumpops, MNT);
	unmount_img();
	same_tree("our read-write replay", got, want);
	free(got);
	REQUIRE(!needs_recovery(im->j));
	fsck_clean(im->j);
	got = our_tree(im->j);
	same_tree("after our replay", got, want);
	free(got);
}

/* One committed transaction A -> B. */
static void
one_txn(const char *mkfs, uint32_t bsize, const char *jo)
{
	struct imgs im;
	char *want;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	make_imgs(&im, mkfs, bsize);
	want = our_tree(im.b);
	sh("cp '%s' '%s'", im.a, im.j);
	f = jopen(im.cmds, jo);
	jw_diff(f, im.a, im.b, bsize, true, im.df);
	jclose(f, im.cmds, im.j);
	check_replay(&im, want);
	free(want);
	done();
}

TESTCASE(v3_64bit_4k)
{
	one_txn("-t ext4 -b 4096", 4096, "-c");
}

TESTCASE(v3_32bit_1k)
{
	one_txn("-t ext4 -b 1024 -O ^64bit", 1024, "-c");
}

TESTCASE(v2_64bit_1k)
{
	one_txn("-t ext4 -b 1024", 1024, "-c -v 2");
}

TESTCASE(v2_32bit_4k)
{
	one_txn("-t ext4 -b 4096 -O ^64bit", 4096, "-c -v 2");
}

/* debugfs's -c on a file system without metadata_csum: v1. */
TESTCASE(v1_1k_ext3)
{
	one_txn("-t ext3 -b 1024", 1024, "-c");
}

TESTCASE(v1_4k_ext3)
{
	one_txn("-t ext3 -b 4096", 4096, "-c");
}

TESTCASE(nocsum_ext3)
{
	one_txn("-t ext3 -b 1024", 1024, "");
}

TESTCASE(nocsum_64bit_4k)
{
	one_txn("-t ext4 -b 4096 -O ^metadata_csum", 4096, "");
}

/*
 * Two committed transactions (A -> B, B -> C) then a third without its
 * commit block: the tree is C's.
 */
TESTCASE(torn_last)
{
	struct imgs im;
	char d[800], *want;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	make_imgs(&im, "-t ext3 -b 1024", 1024);
	PATHF(d, "%s/dd", tmpdir);
	sh("cp '%s' '%s' && debugfs -w -R 'mkdir torn' '%s' >/dev/null 2>&1",
	    im.c, d, d);
	want = our_tree(im.c);
	sh("cp '%s' '%s'", im.a, im.j);
	f = jopen(im.cmds, "-c");
	jw_diff(f, im.a, im.b, 1024, true, im.df);
	jw_diff(f, im.b, im.c, 1024, true, im.df);
	jw_diff(f, im.c, d, 1024, false, im.df);
	jclose(f, im.cmds, im.j);
	check_replay(&im, want);
	free(want);
	done();
}

/* The journal blocks of the log blocks of a type ("descriptor"...). */
static size_t
log_blocks(const char *img, const char *type, uint64_t *offs, size_t max)
{
	char cmd[1200], line[512], what[64];
	unsigned seq, t, l;
	size_t n = 0;
	FILE *f;

	PATHF(cmd, "debugfs -c -R 'logdump' '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Found expected sequence %u, type %u (%63[a-z]"
		    , &seq, &t, what) == 3 && strcmp(what, type) == 0 &&
		    n < max && (strstr(line, " at block ") != NULL) &&
		    sscanf(strstr(line, " at block ") + 10, "%u", &l) == 1)
			offs[n++] = l;
	pclose(f);
	return n;
}

/* The byte offset in img of byte off of journal block l. */
static uint64_t
joff(const char *img, uint64_t l, uint64_t off)
{
	return file_block(img, "<8>", l) * 1024 + off;
}

static void
poke(const char *img, uint64_t off, const void *p, size_t len)
{
	int fd;

	REQUIRE((fd = open(img, O_RDWR)) != -1);
	REQUIRE(pwrite(fd, p, len, (off_t)off) == (ssize_t)len);
	close(fd);
}

static void
peek(const char *img, uint64_t off, void *p, size_t len)
{
	int fd;

	REQUIRE((fd = open(img, O_RDONLY)) != -1);
	REQUIRE(pread(fd, p, len, (off_t)off) == (ssize_t)len);
	close(fd);
}

static void
flip(const char *img, uint64_t off)
{
	unsigned char c;

	peek(img, off, &c, 1);
	c ^= 0x5a;
	poke(img, off, &c, 1);
}

/*
 * Revoke: T1 writes f3's first block (new bytes) and f4's (beginning
 * with the journal magic: escaped), T2 revokes both, T3 writes f3's
 * block again.  Replayed: f3's block from T3, f4's as it was.  Then
 * the escape alone: T1 writes f4's block, which comes back whole.
 */
static void
revoke_escape(const char *mkfs, const char *jo)
{
	static const unsigned char magic[4] = { 0xc0, 0x3b, 0x39, 0x98 };
	unsigned char blk[1024], got[1024];
	uint64_t b3, b4, list[2];
	struct imgs im;
	char rev[64], *want;
	FILE *f;
	int fd;

	make_imgs(&im, mkfs, 1024);
	b3 = file_block(im.a, "/f3", 0);
	b4 = file_block(im.a, "/f4", 0);
	sh("cp '%s' '%s'", im.a, im.c);
	memset(blk, 0x33, sizeof(blk));
	poke(im.c, b3 * 1024, blk, sizeof(blk));
	memcpy(blk, magic, 4);
	memset(blk + 4, 0x44, sizeof(blk) - 4);
	poke(im.c, b4 * 1024, blk, sizeof(blk));
	sh("cp '%s' '%s'", im.a, im.b);
	poke(im.b, b4 * 1024, blk, sizeof(blk));
	want = our_tree(im.b);

	sh("cp '%s' '%s'", im.a, im.j);
	f = jopen(im.cmds, jo);
	list[0] = b3;
	list[1] = b4;
	jw(f, im.c, 1024, list, 2, NULL, true, im.df);
	snprintf(rev, sizeof(rev), "%llu,%llu", (unsigned long long)b3,
	    (unsigned long long)b4);
	jw(f, im.c, 1024, NULL, 0, rev, true, im.df);
	jw(f, im.c, 1024, list, 1, NULL, true, im.df);
	jclose(f, im.cmds, im.j);
	REQUIRE_EQ(mount_img(im.j, true), 0);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f3", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, got, 1024), 1024);
	memset(blk, 0x33, sizeof(blk));
	REQUIRE(memcmp(got, blk, 1024) == 0);
	rump_sys_close(fd);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f4", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, got, 1024), 1024);
	peek(im.a, b4 * 1024, blk, 1024);
	REQUIRE(memcmp(got, blk, 1024) == 0);
	rump_sys_close(fd);
	unmount_img();
	{
		char copy[800], *g1, *g2;

		PATHF(copy, "%s/fsck", tmpdir);
		sh("cp '%s' '%s' && e2fsck -fy '%s' >/dev/null 2>&1; "
		    "test $? -le 1", im.j, copy, copy);
		g1 = our_tree(copy);
		g2 = our_tree(im.j);
		same_tree("revokes, ours against e2fsck's", g2, g1);
		free(g1);
		free(g2);
	}

	/* The escaped block alone. */
	sh("cp '%s' '%s'", im.a, im.j);
	f = jopen(im.cmds, jo);
	jw(f, im.c, 1024, list + 1, 1, NULL, true, im.df);
	jclose(f, im.cmds, im.j);
	REQUIRE_EQ(mount_img(im.j, true), 0);
	REQUIRE_OK(fd = rump_sys_open(MNT "/f4", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, got, 1024), 1024);
	REQUIRE(memcmp(got, magic, 4) == 0 && got[4] == 0x44 &&
	    got[1023] == 0x44);
	rump_sys_close(fd);
	unmount_img();
	check_replay(&im, want);
	free(want);
	done();
}

/* No checksums: v1 drops a transaction of revokes alone (as e2fsck). */
TESTCASE(revoke_ext3)
{
	if (have_e2fsprogs())
		revoke_escape("-t ext3 -b 1024", "");
}

TESTCASE(revoke_v3)
{
	if (have_e2fsprogs())
		revoke_escape("-t ext4 -b 1024", "-c");
}

/*
 * Named damage in a journal of two committed transactions (A -> B,
 * B -> C), checksums v3: each is EIO and one log line naming it, with
 * the image untouched, or (a bad last commit) B's tree.
 */
static void
damaged(struct imgs *im, const char *jo)
{
	FILE *f;

	sh("cp '%s' '%s'", im->a, im->j);
	f = jopen(im->cmds, jo);
	jw_diff(f, im->a, im->b, im->bsize, true, im->df);
	jw_diff(f, im->b, im->c, im->bsize, true, im->df);
	jclose(f, im->cmds, im->j);
}

/*
 * A mount of im->j (read-write with rw) is EIO with one log line; the
 * image is untouched.  (The kernel holds back a line repeated within
 * seconds: each case names different damage.)
 */
static void
expect_eio(struct imgs *im, const char *logline, bool rw)
{
	char h0[80], h1[80];

	sha256(im->j, h0, sizeof(h0));
	log_capture(logpath);
	REQUIRE_EQ(mount_img(im->j, !rw), EIO);
	log_expect(logline);
	sha256(im->j, h1, sizeof(h1));
	REQUIRE(strcmp(h0, h1) == 0);
}

TESTCASE(corrupt_v3)
{
	uint64_t desc[8], com[8], jsb;
	struct imgs im;
	char *wantb;

	if (!have_e2fsprogs())
		return;
	make_imgs(&im, "-t ext4 -b 1024", 1024);
	wantb = our_tree(im.b);

	/* The journal superblock's UUID: its checksum fails. */
	damaged(&im, "-c");
	jsb = file_block(im.j, "<8>", 0);
	flip(im.j, jsb * 1024 + 0x30);
	expect_eio(&im, "journal: superblock checksum", true);

	/* A tag of the first transaction's descriptor. */
	damaged(&im, "-c");
	REQUIRE(log_blocks(im.j, "descriptor", desc, 8) == 2);
	flip(im.j, joff(im.j, desc[0], 12 + 2));
	expect_eio(&im, "bad descriptor or revoke block checksum", false);

	/* The copy of a block in the first transaction. */
	damaged(&im, "-c");
	flip(im.j, joff(im.j, desc[0] + 1, 100));
	expect_eio(&im, "checksum of the copy of block", true);

	/* The last commit block: that transaction is dropped. */
	damaged(&im, "-c");
	REQUIRE(log_blocks(im.j, "commit", com, 8) == 2);
	flip(im.j, joff(im.j, com[1], 0x30 + 7));
	check_replay(&im, wantb);
	free(wantb);
	done();
}

/*
 * Checksum v1 (a crc32 of each transaction in its commit block) and
 * no checksums, on ext3: a damaged copy drops its transaction and every
 * later one; a tag naming a block past the end is EIO.
 */
TESTCASE(corrupt_v1)
{
	char *wanta, *wantb;
	uint64_t desc[8];
	struct imgs im;

	if (!have_e2fsprogs())
		return;
	make_imgs(&im, "-t ext3 -b 1024", 1024);
	wanta = our_tree(im.a);
	wantb = our_tree(im.b);

	damaged(&im, "-c");
	REQUIRE(log_blocks(im.j, "descriptor", desc, 8) == 2);
	flip(im.j, joff(im.j, desc[1] + 1, 100));
	check_replay(&im, wantb);

	damaged(&im, "-c");
	flip(im.j, joff(im.j, desc[0] + 2, 7));
	check_replay(&im, wanta);

	damaged(&im, "");
	{
		static const unsigned char big[4] = { 0x7f, 0, 0, 0 };

		poke(im.j, joff(im.j, desc[1], 12), big, 4);
	}
	expect_eio(&im, "out of range", true);
	free(wanta);
	free(wantb);
	done();
}

/*
 * Seeded random damage to the log of three transactions: whatever the
 * mount does (EIO, or a tree), the image is untouched and nothing
 * crashes; a tree that mounts reads through.
 */
/* The device blocks of the journal's first n blocks. */
static void
jmap(const char *img, uint64_t *map, size_t n)
{
	char cmd[1200];
	unsigned long long b;
	size_t i = 0;
	FILE *f;

	PATHF(cmd, "debugfs -c -R 'blocks <8>' '%s' 2>/dev/null", img);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (i < n && fscanf(f, "%llu", &b) == 1)
		map[i++] = b;
	pclose(f);
	REQUIRE(i == n);
}

TESTCASE(corrupt_seeded)
{
	static const char *const jos[3] = { "-c", "", "-c" };
	uint64_t desc[8], com[8], last[3], map[3][256];
	char base[3][800], h0[80], h1[80];
	unsigned seed = 20261206;
	char *keep, *other = NULL;
	struct imgs im[2];
	struct stat st;
	int rv, v;

	if (!have_e2fsprogs())
		return;
	/* v1 and no checksums on ext3, v3 on ext4. */
	make_imgs(&im[0], "-t ext3 -b 1024", 1024);
	for (v = 0; v < 3; v++) {
		struct imgs *m = &im[v == 2];

		if (v == 2) {
			keep = tmpdir;
			make_imgs(m, "-t ext4 -b 1024", 1024);
			other = tmpdir;
			tmpdir = keep;
		}
		damaged(m, jos[v]);
		REQUIRE(log_blocks(m->j, "descriptor", desc, 8) == 2);
		REQUIRE(log_blocks(m->j, "commit", com, 8) == 2);
		/* From the journal superblock to the last commit. */
		last[v] = com[1];
		REQUIRE(desc[0] < last[v] && last[v] < 256);
		jmap(m->j, map[v], last[v] + 1);
		PATHF(base[v], "%s/base%d", tmpdir, v);
		sh("cp '%s' '%s'", m->j, base[v]);
	}
	for (int round = 0; round < 24; round++) {
		v = round % 3;
		sh("cp '%s' '%s'", base[v], im[0].j);
		for (int k = 0; k < 1 + round % 4; k++) {
			uint64_t blk = map[v][(uint64_t)rand_r(&seed) %
			    (last[v] + 1)];
			uint64_t off = (uint64_t)rand_r(&seed) % (round % 5 ==
			    0 ? 64 : 1024);

			flip(im[0].j, blk * 1024 + off);
		}
		sha256(im[0].j, h0, sizeof(h0));
		rv = mount_img(im[0].j, true);
		REQUIRE(rv == 0 || rv == EIO || rv == EINVAL);
		if (rv == 0) {
			/* A damaged tree may be EIO in places. */
			(void)rump_sys_stat(MNT "/newdir/data", &st);
			(void)rump_sys_stat(MNT "/dir2/copy", &st);
			unmount_img();
		}
		sha256(im[0].j, h1, sizeof(h1));
		REQUIRE(strcmp(h0, h1) == 0);
	}
	remove_tree(other);
	free(other);
	done();
}

/*
 * Linux's own journal: a loop mount, a workload, sync, and a copy of
 * the image while still mounted (the journal holds what sync
 * committed; needs_recovery is set).  Our replay (read-only, then
 * read-write) and e2fsck's show the tree Linux showed.
 */
static void
linux_journal(const char *mkfs, const char *opts)
{
	char img[700], copy[700], mnt[700], fsck[700], *want, *got;
	char h0[80], h1[80], cmd[4000];
	bool ok;

	tmpdir = make_tmpdir("jlinux");
	PATHF(img, "%s/img", tmpdir);
	PATHF(copy, "%s/copy", tmpdir);
	PATHF(fsck, "%s/fsck", tmpdir);
	PATHF(mnt, "%s/mnt", tmpdir);
	sh("mkdir '%s' && truncate -s 64M '%s' && mke2fs -q -F %s -E "
	    "lazy_itable_init=0,lazy_journal_init=0 '%s'", mnt, img, mkfs, img);
	if (!linux_mount(img, mnt, opts)) {
		done();
		return;
	}
	PATHF(cmd, "cd '%s' && mkdir -p a/b/c && for i in $(seq 1 300); do "
	    "echo $i >a/f$i; done && head -c 3000000 /dev/urandom >big && "
	    "for i in $(seq 1 100); do mv a/f$i a/b/g$i; done && "
	    "rm -f a/f2?? && ln -s big a/lnk && echo x >a/f250 && mkdir d2 && "
	    "dd if=/dev/urandom of=big bs=4096 seek=100 count=10 conv=notrunc "
	    "status=none && chmod 600 a/f250 && sync && "
	    "cp --sparse=always '%s' '%s'", mnt, img, copy);
	/* The mount goes away whatever happens. */
	ok = system(cmd) == 0;
	want = ok ? dump(&hostops, mnt) : NULL;
	linux_unmount(mnt);
	if (!ok)
		TEST_FAIL("'%s' failed", cmd);
	if (!needs_recovery(copy)) {
		printf("skipped: the copy of the live image needs no "
		    "recovery\n");
		free(want);
		done();
		return;
	}
	REQUIRE_OK(rump_init());
	sha256(copy, h0, sizeof(h0));
	got = our_tree(copy);
	same_tree("our replay of Linux's journal", got, want);
	free(got);
	sha256(copy, h1, sizeof(h1));
	REQUIRE(strcmp(h0, h1) == 0);
	sh("cp '%s' '%s' && e2fsck -fy '%s' >/dev/null 2>&1; test $? -le 1",
	    copy, fsck, fsck);
	got = our_tree(fsck);
	same_tree("e2fsck's replay of Linux's journal", got, want);
	free(got);
	rw_replay(copy);
	unmount_img();
	REQUIRE(!needs_recovery(copy));
	fsck_clean(copy);
	got = our_tree(copy);
	same_tree("our read-write replay of Linux's journal", got, want);
	free(got);
	free(want);
	done();
}

TESTCASE(linux_v3_4k)
{
	if (have_e2fsprogs())
		linux_journal("-t ext4", "rw,commit=600");
}

/* Async commits, and file data in the journal too. */
TESTCASE(linux_async_data)
{
	if (have_e2fsprogs())
		linux_journal("-t ext4 -b 1024",
		    "rw,commit=600,journal_async_commit,data=journal");
}

/* An ext3 journal (no checksums, 32-bit tags) Linux wrote. */
TESTCASE(linux_ext3)
{
	if (have_e2fsprogs())
		linux_journal("-t ext3", "rw,commit=600");
}

/*
 * A read-only mount reading through the replay, then a remount to
 * read-write: the replay goes home, and the file system takes changes
 * that e2fsck finds clean.
 */
TESTCASE(remount_rw)
{
	struct imgs im;
	char *want, *got;
	int fd;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	make_imgs(&im, "-t ext3 -b 1024", 1024);
	want = our_tree(im.c);
	sh("cp '%s' '%s'", im.a, im.j);
	f = jopen(im.cmds, "");
	jw_diff(f, im.a, im.b, 1024, true, im.df);
	jw_diff(f, im.b, im.c, 1024, true, im.df);
	jclose(f, im.cmds, im.j);
	REQUIRE_EQ(mount_img(im.j, true), 0);
	got = dump(&rumpops, MNT);
	same_tree("read-only", got, want);
	free(got);
	REQUIRE(needs_recovery(im.j));
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, MS_REMOUNT, NULL, 0));
	REQUIRE(!needs_recovery(im.j));
	got = dump(&rumpops, MNT);
	same_tree("remounted read-write", got, want);
	free(got);
	REQUIRE_OK(fd = rump_sys_open(MNT "/dir2/new", O_CREAT | O_WRONLY,
	    0644));
	REQUIRE_EQ(rump_sys_write(fd, "after", 5), 5);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unlink(MNT "/newdir/data"));
	unmount_img();
	fsck_clean(im.j);
	sh("test \"$(debugfs -R 'cat /dir2/new' '%s' 2>/dev/null)\" = after",
	    im.j);
	free(want);
	done();
}

/*
 * Our own journaled writes read by e2fsprogs: an ext3 mount's changes
 * go through the journal (its sequence moves on) and leave it empty
 * at unmount; with EXT2FS_ARGS_NOJOURNAL the journal is not touched.
 */
TESTCASE(own_commits)
{
	struct ext2fs_args args;
	char img[800], seq0[64], seq1[64];
	int fd;

	if (!have_e2fsprogs())
		return;
	tmpdir = make_tmpdir("jown");
	PATHF(img, "%s/img", tmpdir);
	sh("mke2fs -q -F -t ext3 -b 1024 '%s' 8M", img);
	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	for (int nojournal = 0; nojournal < 2; nojournal++) {
		sh_out(seq0, sizeof(seq0), "dumpe2fs -h '%s' 2>/dev/null | "
		    "grep '^Journal sequence'", img);
		memset(&args, 0, sizeof(args));
		args.fspec = (char *)(nojournal ? DEV "nj" : DEV "j");
		args.flags = nojournal ? EXT2FS_ARGS_NOJOURNAL : 0;
		REQUIRE_EQ(rump_pub_etfs_register(args.fspec, img,
		    RUMP_ETFS_BLK), 0);
		REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &args,
		    sizeof(args)));
		REQUIRE_OK(fd = rump_sys_open(nojournal ? MNT "/b" : MNT "/a",
		    O_CREAT | O_WRONLY, 0644));
		REQUIRE_EQ(rump_sys_write(fd, "hello", 5), 5);
		REQUIRE_OK(rump_sys_fsync(fd));
		REQUIRE_OK(rump_sys_close(fd));
		/* Mounted: needs_recovery only while journaling. */
		REQUIRE(needs_recovery(img) == !nojournal);
		unmount_img();
		REQUIRE(!needs_recovery(img));
		fsck_clean(img);
		sh_out(seq1, sizeof(seq1), "dumpe2fs -h '%s' 2>/dev/null | "
		    "grep '^Journal sequence'", img);
		REQUIRE((strcmp(seq0, seq1) == 0) == (nojournal != 0));
	}
	sh("test \"$(debugfs -R 'cat /a' '%s' 2>/dev/null)$(debugfs -R "
	    "'cat /b' '%s' 2>/dev/null)\" = hellohello", img, img);
	done();
}

/*
 * The commit timer: with commit=1 a write nobody syncs is in a copy of
 * the image taken two seconds later (e2fsck sees it); with commit=600
 * it is not yet.
 */
TESTCASE(commit_timer)
{
	struct ext2fs_args args;
	char img[800], copy[800], out[256];
	int fd;

	if (!have_e2fsprogs())
		return;
	tmpdir = make_tmpdir("jtimer");
	PATHF(img, "%s/img", tmpdir);
	PATHF(copy, "%s/copy", tmpdir);
	sh("mke2fs -q -F -t ext3 -b 1024 '%s' 8M", img);
	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	for (int slow = 0; slow < 2; slow++) {
		memset(&args, 0, sizeof(args));
		args.fspec = (char *)(slow ? DEV "s" : DEV "f");
		args.commit = slow ? 600 : 1;
		REQUIRE_EQ(rump_pub_etfs_register(args.fspec, img,
		    RUMP_ETFS_BLK), 0);
		REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &args,
		    sizeof(args)));
		REQUIRE_OK(fd = rump_sys_open(slow ? MNT "/slow" : MNT "/fast",
		    O_CREAT | O_WRONLY, 0644));
		REQUIRE_EQ(rump_sys_write(fd, "timed", 5), 5);
		REQUIRE_OK(rump_sys_close(fd));
		usleep(2200000);
		sh("cp '%s' '%s' && e2fsck -fy '%s' >/dev/null 2>&1; "
		    "test $? -le 1", img, copy, copy);
		fsck_clean(copy);
		sh_out(out, sizeof(out), "debugfs -R 'cat /%s' '%s' "
		    "2>/dev/null", slow ? "slow" : "fast", copy);
		REQUIRE(strcmp(out, slow ? "" : "timed") == 0);
		unmount_img();
		fsck_clean(img);
	}
	done();
}

/*
 * Our journal writer's format (the transaction a commit writes, made by
 * the kernel side: ext2_ks_journal.c) in the image's journal, with the
 * blocks A -> B: e2fsck, Linux and we replay it to B's tree.  jo, when
 * not NULL, first sets the journal's checksum version with debugfs.
 */
static void
our_format(const char *mkfs, uint32_t bsize, const char *jo)
{
	static uint64_t list[MAXDIFF], offs[MAXDIFF];
	struct imgs im;
	uint8_t *data, *out;
	uint32_t nout;
	char *want, mnt[800];
	size_t n;
	void *fs;
	FILE *f;
	int fd;

	make_imgs(&im, mkfs, bsize);
	if (jo != NULL) {
		REQUIRE((f = fopen(im.cmds, "w")) != NULL);
		fprintf(f, "jo %s\njc\n", jo);
		fclose(f);
		sh("debugfs -w -f '%s' '%s' >/dev/null 2>&1 && debugfs -w -R "
		    "'feature -needs_recovery' '%s' >/dev/null 2>&1", im.cmds,
		    im.a, im.a);
	}
	sh("cp '%s' '%s' && cp '%s' '%s'", im.a, im.b, im.a, im.c);
	/* B: A changed as before (make_imgs's B is of the old A). */
	REQUIRE((f = fopen(im.cmds, "w")) != NULL);
	fprintf(f, "mkdir newdir\nsymlink newdir/ln /some/where\nrm f2\n"
	    "mkdir newdir/sub\nsif f1 mode 0100600\n");
	fclose(f);
	sh("debugfs -w -f '%s' '%s' >/dev/null 2>&1", im.cmds, im.b);
	want = our_tree(im.b);
	n = diff_blocks(im.a, im.b, bsize, list);
	REQUIRE(n > 0);
	REQUIRE((data = malloc(n * bsize)) != NULL);
	REQUIRE((out = malloc((n + 64) * bsize)) != NULL);
	REQUIRE((fd = open(im.b, O_RDONLY)) != -1);
	for (size_t i = 0; i < n; i++)
		REQUIRE(pread(fd, data + i * bsize, bsize,
		    (off_t)(list[i] * bsize)) == (ssize_t)bsize);
	close(fd);
	sh("cp '%s' '%s'", im.a, im.j);
	REQUIRE_EQ(rump_test_ext2_mount(im.j, &fs), 0);
	REQUIRE_EQ(rump_test_ext2_journal_txn(fs, (uint32_t)n, list, data,
	    out, offs, (uint32_t)(n + 64), &nout), 0);
	rump_test_ext2_unmount(fs);
	REQUIRE((fd = open(im.j, O_WRONLY)) != -1);
	for (uint32_t i = 0; i < nout; i++)
		REQUIRE(pwrite(fd, out + (size_t)i * bsize, bsize,
		    (off_t)offs[i]) == (ssize_t)bsize);
	close(fd);
	sh("debugfs -w -R 'feature needs_recovery' '%s' >/dev/null 2>&1",
	    im.j);
	REQUIRE(needs_recovery(im.j));
	/* Linux's replay, of a copy. */
	PATHF(mnt, "%s/lmnt", tmpdir);
	sh("mkdir '%s' && cp '%s' '%s'", mnt, im.j, im.c);
	if (linux_mount(im.c, mnt, "rw")) {
		char *got;

		linux_unmount(mnt);
		fsck_clean(im.c);
		got = our_tree(im.c);
		same_tree("Linux's replay of our transaction", got, want);
		free(got);
	}
	check_replay(&im, want);
	free(data);
	free(out);
	free(want);
	done();
}

TESTCASE(format_v3_64bit)
{
	if (have_e2fsprogs())
		our_format("-t ext4 -b 4096", 4096, NULL);
}

TESTCASE(format_v2_32bit)
{
	if (have_e2fsprogs())
		our_format("-t ext4 -b 1024 -O ^64bit", 1024, "-c -v 2");
}

TESTCASE(format_v1)
{
	if (have_e2fsprogs())
		our_format("-t ext3 -b 1024", 1024, "-c");
}

TESTCASE(format_none_64bit)
{
	if (have_e2fsprogs())
		our_format("-t ext4 -b 1024 -O ^metadata_csum", 1024, NULL);
}

/*
 * Transactions bigger than the log (data=journal, 1 KiB blocks, a log
 * of 1024): one 2 MiB write commits inside itself when the log is full;
 * 150 writes of 12 KiB get committed between them by the timer once a
 * quarter of the log is used.  The sequence moves on, e2fsck finds the
 * file system clean and the bytes are there.
 */
TESTCASE(big_transactions)
{
	static char buf[2 << 20], back[2 << 20];
	struct ext2fs_args args;
	char img[800], seq[64], path[64];
	int fd;

	if (!have_e2fsprogs())
		return;
	tmpdir = make_tmpdir("jbig");
	PATHF(img, "%s/img", tmpdir);
	sh("mke2fs -q -F -t ext3 -b 1024 -J size=1 '%s' 16M", img);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + (i >> 10));
	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	memset(&args, 0, sizeof(args));
	args.fspec = (char *)DEV;
	args.flags = EXT2FS_ARGS_DATAJOURNAL;
	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &args, sizeof(args)));
	REQUIRE_OK(fd = rump_sys_open(MNT "/big", O_CREAT | O_WRONLY, 0644));
	REQUIRE_EQ(rump_sys_write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	REQUIRE_OK(rump_sys_close(fd));
	for (int i = 0; i < 150; i++) {
		snprintf(path, sizeof(path), MNT "/s%d", i);
		REQUIRE_OK(fd = rump_sys_open(path, O_CREAT | O_WRONLY, 0644));
		REQUIRE_EQ(rump_sys_write(fd, buf + i, 12288), 12288);
		REQUIRE_OK(rump_sys_close(fd));
	}
	unmount_img();
	fsck_clean(img);
	sh_out(seq, sizeof(seq), "dumpe2fs -h '%s' 2>/dev/null | sed -n "
	    "'s/^Journal sequence: *//p'", img);
	/* The big write alone fills the log twice. */
	REQUIRE(strtoul(seq, NULL, 16) > 4);
	REQUIRE_EQ(mount_img(img, true), 0);
	REQUIRE_OK(fd = rump_sys_open(MNT "/big", O_RDONLY, 0));
	REQUIRE_EQ(rump_sys_read(fd, back, sizeof(back)), (ssize_t)sizeof(back));
	REQUIRE(memcmp(buf, back, sizeof(buf)) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	for (int i = 0; i < 150; i += 7) {
		snprintf(path, sizeof(path), MNT "/s%d", i);
		REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
		REQUIRE_EQ(rump_sys_read(fd, back, 12288), 12288);
		REQUIRE(memcmp(buf + i, back, 12288) == 0);
		REQUIRE_OK(rump_sys_close(fd));
	}
	unmount_img();
	done();
}

#define NTHREADS 8
#define NFILES 40

/* One thread: files of its own, written, some fsync'd, some renamed. */
static void *
writer(void *arg)
{
	int t = (int)(intptr_t)arg, fd;
	char path[128], to[128], buf[3000];

	snprintf(path, sizeof(path), MNT "/t%d", t);
	if (rump_sys_mkdir(path, 0755) != 0)
		return (void *)1;
	for (int i = 0; i < NFILES; i++) {
		size_t len = (size_t)(100 + (t * 131 + i * 71) % 2900);

		memset(buf, 'a' + (t + i) % 26, len);
		snprintf(path, sizeof(path), MNT "/t%d/f%d", t, i);
		if ((fd = rump_sys_open(path, O_CREAT | O_WRONLY, 0644)) < 0 ||
		    rump_sys_write(fd, buf, len) != (ssize_t)len ||
		    (i % 3 == 0 && rump_sys_fsync(fd) != 0) ||
		    rump_sys_close(fd) != 0)
			return (void *)1;
		if (i % 5 == 4) {
			snprintf(to, sizeof(to), MNT "/t%d/r%d", t, i);
			if (rump_sys_rename(path, to) != 0)
				return (void *)1;
		}
		if (i % 7 == 6 && rump_sys_unlink(path) != 0 && errno != ENOENT)
			return (void *)1;
	}
	return NULL;
}

/*
 * Many threads at once on a journaled mount (fsyncs committing under
 * each other, the commit timer at one second): e2fsck -fn clean after,
 * and each file there with its bytes.
 */
TESTCASE(threads)
{
	struct ext2fs_args args;
	pthread_t th[NTHREADS];
	char img[800], path[128], buf[3000];
	struct stat st;
	void *rv;
	int fd;

	if (!have_e2fsprogs())
		return;
	tmpdir = make_tmpdir("jthreads");
	PATHF(img, "%s/img", tmpdir);
	sh("mke2fs -q -F -t ext3 -b 1024 '%s' 16M", img);
	REQUIRE_OK(rump_init());
	REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
	memset(&args, 0, sizeof(args));
	args.fspec = (char *)DEV;
	args.commit = 1;
	REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &args, sizeof(args)));
	for (int t = 0; t < NTHREADS; t++)
		REQUIRE(pthread_create(&th[t], NULL, writer,
		    (void *)(intptr_t)t) == 0);
	for (int t = 0; t < NTHREADS; t++) {
		REQUIRE(pthread_join(th[t], &rv) == 0);
		REQUIRE(rv == NULL);
	}
	unmount_img();
	fsck_clean(img);
	REQUIRE_EQ(mount_img(img, true), 0);
	for (int t = 0; t < NTHREADS; t++)
		for (int i = 0; i < NFILES; i++) {
			size_t len = (size_t)(100 + (t * 131 + i * 71) % 2900);
			bool gone = i % 7 == 6 && i % 5 != 4;

			snprintf(path, sizeof(path), MNT "/t%d/%c%d", t,
			    i % 5 == 4 ? 'r' : 'f', i);
			if (gone) {
				REQUIRE_ERRNO(rump_sys_stat(path, &st), ENOENT);
				continue;
			}
			REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
			REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)),
			    (ssize_t)len);
			for (size_t k = 0; k < len; k++)
				REQUIRE(buf[k] == 'a' + (t + i) % 26);
			REQUIRE_OK(rump_sys_close(fd));
		}
	unmount_img();
	done();
}

TESTS(CASE_NOBOOT(v3_64bit_4k), CASE_NOBOOT(v3_32bit_1k),
    CASE_NOBOOT(v2_64bit_1k), CASE_NOBOOT(v2_32bit_4k),
    CASE_NOBOOT(v1_1k_ext3), CASE_NOBOOT(v1_4k_ext3),
    CASE_NOBOOT(nocsum_ext3), CASE_NOBOOT(nocsum_64bit_4k),
    CASE_NOBOOT(torn_last), CASE_NOBOOT(revoke_ext3), CASE_NOBOOT(revoke_v3),
    CASE_NOBOOT(corrupt_v3), CASE_NOBOOT(corrupt_v1),
    CASE_NOBOOT(corrupt_seeded), CASE_NOBOOT(remount_rw),
    CASE_NOBOOT(own_commits), CASE_NOBOOT(commit_timer),
    CASE_NOBOOT(threads), CASE_NOBOOT(big_transactions),
    CASE_NOBOOT(format_v3_64bit),
    CASE_NOBOOT(format_v2_32bit), CASE_NOBOOT(format_v1),
    CASE_NOBOOT(format_none_64bit),
    CASE_NOBOOT(linux_v3_4k), CASE_NOBOOT(linux_async_data),
    CASE_NOBOOT(linux_ext3))
