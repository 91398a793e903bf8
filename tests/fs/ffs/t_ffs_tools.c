/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * newfs(8) and fsck_ffs(8).  fsck_ffs must call clean what Debian's
 * makefs(8) builds (both versions and byte orders, many block and
 * fragment sizes, a generated tree and a real one) and what our newfs
 * builds; newfs images must mount in our kernel with statvfs totals
 * exactly as newfs reported and an empty root.  Each injected
 * corruption is reported with its exact message and exit status by -n,
 * repaired by -y, and then -n is clean.  Seeded byte flips in metadata
 * never crash or hang fsck_ffs.  Image edits use lib/libffsutil.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"
#include "ffsutil.h"

#define NEWFS    TOOLDIR "/newfs"
#define FSCK     TOOLDIR "/fsck_ffs"
#define REALTREE "/usr/include/linux"

static char src[128], spec[128];
static char out[1 << 16];

static const char *
image(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s.img", ffs_scratch(), name);
	return p;
}

/*
 * Run a tool with its output (stdout and stderr) in out.  Its exit
 * status, or 1000 + the signal that ended it.
 */
static int
runv(char *const argv[])
{
	int fds[2], status;
	size_t n = 0;
	ssize_t k;
	pid_t pid;

	REQUIRE(pipe(fds) == 0);
	fflush(NULL);
	REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while ((k = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	close(fds[0]);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	if (WIFSIGNALED(status))
		return 1000 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* run(NEWFS, "-O", "1", img, NULL) */
static int
run(const char *tool, ...)
{
	char *argv[32];
	va_list ap;
	int n = 0;

	argv[n++] = (char *)tool;
	va_start(ap, tool);
	while ((argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	return runv(argv);
}

static void
expect(const char *what)
{
	if (strstr(out, what) == NULL)
		TEST_FAIL("no \"%s\" in:\n%s", what, out);
}

static void
fsck_clean(const char *img)
{
	int rc = run(FSCK, "-n", img, NULL);

	if (rc != 0)
		TEST_FAIL("fsck_ffs -n %s: exit %d:\n%s", img, rc, out);
	expect(": clean\n");
}

/*
 * The cycle every corruption goes through: -n finds exactly msg (exit
 * 1), -y repairs it (exit 2; its report has ymsg too), and -n is
 * then clean.
 */
static void
detect_repair(const char *img, const char *msg, const char *ymsg)
{
	char line[512];
	int rc = run(FSCK, "-n", img, NULL);

	if (rc != 1)
		TEST_FAIL("fsck_ffs -n: exit %d, expected 1:\n%s", rc, out);
	snprintf(line, sizeof(line), "%s\n", msg);
	expect(line);
	expect("problems found");
	rc = run(FSCK, "-y", img, NULL);
	if (rc != 2)
		TEST_FAIL("fsck_ffs -y: exit %d, expected 2:\n%s", rc, out);
	snprintf(line, sizeof(line), "%s: FIXED\n", msg);
	expect(line);
	if (ymsg != NULL)
		expect(ymsg);
	expect("FILE SYSTEM WAS MODIFIED");
	fsck_clean(img);
}

/* makefs images of the generated tree and of a real one. */
static const struct {
	const char *opts, *order;
} makefs_kinds[] = {
	{ "version=1,bsize=4096,fsize=512", "le" },
	{ "version=1,bsize=8192,fsize=1024", "be" },
	{ "version=1,bsize=16384,fsize=16384", "le" },
	{ "version=1,bsize=65536,fsize=8192", "be" },
	{ "version=2,bsize=4096,fsize=4096", "be" },
	{ "version=2,bsize=16384,fsize=2048", "le" },
	{ "version=2,bsize=32768,fsize=4096", "be" },
	{ "version=2,bsize=65536,fsize=8192", "le" },
};

TESTCASE(makefs_images_clean)
{
	size_t i;

	for (i = 0; i < sizeof(makefs_kinds) / sizeof(makefs_kinds[0]); i++) {
		ffs_makefs(image("mk"), src, spec, makefs_kinds[i].opts,
		    makefs_kinds[i].order);
		fsck_clean(image("mk"));
		expect("Phase 5");
	}
}

TESTCASE(makefs_real_tree_clean)
{
	ffs_makefs(image("r1"), REALTREE, NULL,
	    "version=1,bsize=8192,fsize=1024", "be");
	fsck_clean(image("r1"));
	ffs_makefs(image("r2"), REALTREE, NULL,
	    "version=2,bsize=16384,fsize=2048", "le");
	fsck_clean(image("r2"));
}

struct totals {
	int version;
	unsigned long long dsize, bfree, inodes, ifree, dirs;
};

static void
parse_totals(struct totals *t)
{
	const char *p = strstr(out, "UFS");
	char order[16];

	REQUIRE(p != NULL);
	if (sscanf(p, "UFS%d %15s %llu data frags, %llu free frags, %llu "
	    "inodes, %llu free inodes, %llu dirs", &t->version, order,
	    &t->dsize, &t->bfree, &t->inodes, &t->ifree, &t->dirs) != 7)
		TEST_FAIL("newfs output not understood:\n%s", out);
}

static void
rootlisting(const char *mnt)
{
	char buf[4096];
	ssize_t got, off;
	int fd, n = 0;

	REQUIRE_OK(fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY, 0));
	while ((got = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < got;) {
			const char *name = buf + off + 19;

			REQUIRE(strcmp(name, ".") == 0 ||
			    strcmp(name, "..") == 0);
			n++;
			off += *(unsigned short *)(buf + off + 16);
		}
	}
	REQUIRE_EQ(got, 0);
	REQUIRE_EQ(n, 2);
	rump_sys_close(fd);
}

/* newfs, fsck, mount read-only, statvfs, list the root. */
static void
newfs_mount(int n, const char *ver, const char *order, const char *bsize,
    const char *fsize, const char *size)
{
	char img[256], key[32], mnt[32];
	struct ufs_args ua = { .fspec = key };
	struct totals t, tn;
	struct statvfs sv;
	int rc;

	snprintf(img, sizeof(img), "%s", image("nf"));
	unlink(img);
	snprintf(key, sizeof(key), "/dev/nf%d", n);
	snprintf(mnt, sizeof(mnt), "/mnt%d", n);
	rc = fsize != NULL ?
	    run(NEWFS, "-n", "-O", ver, "-B", order, "-b", bsize, "-f", fsize,
	    "-s", size, img, NULL) :
	    run(NEWFS, "-n", "-O", ver, "-B", order, "-b", bsize, "-s", size,
	    img, NULL);
	if (rc != 0)
		TEST_FAIL("newfs -n: exit %d:\n%s", rc, out);
	parse_totals(&tn);
	REQUIRE(access(img, F_OK) == -1);
	rc = fsize != NULL ?
	    run(NEWFS, "-O", ver, "-B", order, "-b", bsize, "-f", fsize,
	    "-s", size, img, NULL) :
	    run(NEWFS, "-O", ver, "-B", order, "-b", bsize, "-s", size, img,
	    NULL);
	if (rc != 0)
		TEST_FAIL("newfs: exit %d:\n%s", rc, out);
	parse_totals(&t);
	REQUIRE_EQ(t.version, atoi(ver));
	REQUIRE(memcmp(&t, &tn, sizeof(t)) == 0);
	REQUIRE_EQ(t.dirs, 1);
	REQUIRE_EQ(t.ifree, t.inodes - 3);
	fsck_clean(img);
	REQUIRE_OK(rump_pub_etfs_register(key, img, RUMP_ETFS_BLK));
	REQUIRE_OK(rump_sys_mkdir(mnt, 0755));
	REQUIRE_OK(rump_sys_mount("ffs", mnt, MS_RDONLY, &ua, sizeof(ua)));
	REQUIRE_OK(rump_sys_statvfs(mnt, &sv));
	REQUIRE_EQ(sv.f_bsize, atoi(bsize));
	if (fsize != NULL)
		REQUIRE_EQ(sv.f_frsize, atoi(fsize));
	REQUIRE_EQ(sv.f_blocks, t.dsize);
	REQUIRE_EQ(sv.f_bfree, t.bfree);
	REQUIRE_EQ(sv.f_files, t.inodes - UFS_ROOTINO);
	REQUIRE_EQ(sv.f_ffree, t.ifree);
	rootlisting(mnt);
	REQUIRE_OK(rump_sys_unmount(mnt, 0));
	REQUIRE_OK(rump_pub_etfs_remove(key));
}

TESTCASE(newfs_mounts)
{
	static const char *const bsizes[] = { "4096", "8192", "16384",
		"32768", "65536" };
	static const char *const vers[] = { "1", "2" };
	static const char *const orders[] = { "le", "be" };
	int n = 0;

	for (size_t v = 0; v < 2; v++)
		for (size_t o = 0; o < 2; o++)
			for (size_t b = 0; b < 5; b++)
				newfs_mount(n++, vers[v], orders[o], bsizes[b],
				    NULL, "48m");
	/* Fragments of 1/1 and 1/8, tiny and multi-group sizes. */
	newfs_mount(n++, "2", "le", "4096", "4096", "3m");
	newfs_mount(n++, "1", "be", "65536", "65536", "300m");
	newfs_mount(n++, "2", "be", "65536", "8192", "1g");
	newfs_mount(n++, "1", "le", "4096", "512", "200m");
}

TESTCASE(newfs_refuses)
{
	const char *img = image("bad");

	REQUIRE_EQ(run(NEWFS, "--help", NULL), 0);
	expect("usage: newfs");
	REQUIRE_EQ(run(NEWFS, "-b", "3000", "-s", "8m", img, NULL), 1);
	expect("newfs: block size: 3000: not a power of two");
	REQUIRE_EQ(run(NEWFS, "-b", "8192", "-f", "512", "-s", "8m", img,
	    NULL), 1);
	expect("newfs: fragment size: 512:");
	REQUIRE_EQ(run(NEWFS, "-O", "3", "-s", "8m", img, NULL), 1);
	expect("newfs: format: 3: not 1 or 2");
	REQUIRE_EQ(run(NEWFS, "-B", "pdp", "-s", "8m", img, NULL), 1);
	expect("newfs: byte order: pdp: not be or le");
	REQUIRE_EQ(run(NEWFS, "-s", "12x", img, NULL), 1);
	expect("newfs: size: 12x: unknown unit 'x'");
	REQUIRE_EQ(run(NEWFS, "-b", "65536", "-s", "64k", img, NULL), 1);
	expect("newfs: size: 65536 bytes is too small");
	REQUIRE_EQ(run(NEWFS, "/nonexistent/dir/img", NULL), 1);
	expect("newfs: /nonexistent/dir/img: No such file or directory");
	REQUIRE(access(img, F_OK) == -1);
	REQUIRE_EQ(run(FSCK, "--help", NULL), 0);
	expect("usage: fsck_ffs");
	REQUIRE_EQ(run(FSCK, "-n", "/nonexistent.img", NULL), 8);
	expect("fsck_ffs: /nonexistent.img: No such file or directory");
}

/* A sparse file of the given size has no holes with -F. */
TESTCASE(newfs_full_file)
{
	const char *img = image("full");
	struct stat st;

	REQUIRE_EQ(run(NEWFS, "-F", "-s", "16m", img, NULL), 0);
	REQUIRE(stat(img, &st) == 0);
	REQUIRE_EQ(st.st_size, 16 << 20);
	REQUIRE(st.st_blocks * 512 >= st.st_size);
	fsck_clean(img);
	unlink(img);
	REQUIRE_EQ(run(NEWFS, "-s", "16m", img, NULL), 0);
	REQUIRE(stat(img, &st) == 0);
	REQUIRE(st.st_blocks * 512 < st.st_size / 2);
}

/* Editing images for the corruptions. */
static struct ffsu_fs fs;

static void
img_open(const char *img)
{
	char why[256];

	if (ffsu_open(&fs, img, true, why, sizeof(why)) != 0)
		TEST_FAIL("%s: %s", img, why);
}

static void
img_close(void)
{
	close(fs.fd);
}

static void
getino(uint64_t ino, unsigned char *raw, struct ffsu_dinode *di)
{
	REQUIRE_EQ(ffsu_inode_read(&fs, ino, raw), 0);
	ffsu_dinode_decode(&fs, raw, di);
}

static void
putino(uint64_t ino, unsigned char *raw, const struct ffsu_dinode *di)
{
	ffsu_dinode_encode(&fs, di, raw);
	REQUIRE_EQ(ffsu_inode_write(&fs, ino, raw), 0);
}

/*
 * The image offset of the entry name in directory dir (first block
 * only: the test tree's small directories), and of the entry before
 * it in its chunk (0 if it starts the chunk).
 */
static uint64_t
entry(uint64_t dir, const char *name, uint64_t *prev)
{
	unsigned char raw[DINODE2_SIZE], blk[65536];
	struct ffsu_dinode di;
	uint64_t base;
	uint32_t off, p = 0, len;

	getino(dir, raw, &di);
	len = di.size < fs.bsize ? (uint32_t)di.size : fs.bsize;
	base = (uint64_t)di.db[0] * fs.fsize;
	REQUIRE_EQ(ffsu_pread(&fs, blk, len, base), 0);
	for (off = 0; off < len;) {
		uint16_t reclen = ffsu_get16(&fs, blk + off + DIR_RECLEN);

		if (off % DIRBLKSIZ == 0)
			p = UINT32_MAX;
		if (ffsu_get32(&fs, blk + off) != 0 &&
		    blk[off + DIR_NAMLEN] == strlen(name) &&
		    memcmp(blk + off + DIR_NAME, name, strlen(name)) == 0) {
			if (prev != NULL)
				*prev = p == UINT32_MAX ? 0 : base + p;
			return base + off;
		}
		p = off;
		REQUIRE(reclen > 0);
		off += reclen;
	}
	TEST_FAIL("no entry %s in directory %llu", name,
	    (unsigned long long)dir);
}

static uint64_t
lookup(const char *path)
{
	unsigned char e[8];
	uint64_t ino = UFS_ROOTINO;
	char part[256];
	const char *p = path, *slash;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		slash = strchrnul(p, '/');
		snprintf(part, sizeof(part), "%.*s", (int)(slash - p), p);
		REQUIRE_EQ(ffsu_pread(&fs, e, 4, entry(ino, part, NULL)), 0);
		ino = ffsu_get32(&fs, e);
		p = *slash == '/' ? slash + 1 : slash;
	}
	return ino;
}

static const char *
corruptible(const char *name, const char *opts, const char *order)
{
	const char *img = image(name);

	ffs_makefs(img, src, spec, opts, order);
	fsck_clean(img);
	img_open(img);
	return img;
}

static void
link_count(const char *opts, const char *order)
{
	const char *img = corruptible("lc", opts, order);
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode di;
	uint64_t ino = lookup("/h/a");
	char msg[128];

	getino(ino, raw, &di);
	REQUIRE_EQ(di.nlink, 3);
	di.nlink = 5;
	putino(ino, raw, &di);
	img_close();
	snprintf(msg, sizeof(msg), "inode %llu: link count 5, should be 3",
	    (unsigned long long)ino);
	detect_repair(img, msg, "1 problems found");
}

TESTCASE(wrong_link_count_ufs2) { link_count("version=2,bsize=16384,fsize=2048", "le"); }
TESTCASE(wrong_link_count_ufs1) { link_count("version=1,bsize=8192,fsize=1024", "be"); }

TESTCASE(cg_free_count_off)
{
	const char *img = corruptible("cg", "version=2,bsize=8192,fsize=1024",
	    "be");
	unsigned char *cg = malloc(fs.cgsize);
	uint32_t nbfree;
	char msg[128];

	REQUIRE(cg != NULL);
	REQUIRE_EQ(ffsu_cg_read(&fs, 0, cg), 0);
	nbfree = ffsu_get32(&fs, cg + CG_CS + 4 * CS_NBFREE);
	ffsu_put32(&fs, cg + CG_CS + 4 * CS_NBFREE, nbfree + 7);
	REQUIRE_EQ(ffsu_cg_write(&fs, 0, cg), 0);
	img_close();
	snprintf(msg, sizeof(msg), "cg 0: free block count %u, should be %u",
	    nbfree + 7, nbfree);
	detect_repair(img, msg, "1 problems found");
	free(cg);
}

static void
dup_block(const char *opts, const char *order)
{
	const char *img = corruptible("dup", opts, order);
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode lo, hi;
	uint64_t a = lookup("/f/size_49151"), b = lookup("/f/size_98307");
	uint64_t l = a < b ? a : b, h = a < b ? b : a, f = lookup("/f");
	char msg[160], ymsg[160];

	getino(l, raw, &lo);
	getino(h, raw, &hi);
	REQUIRE(lo.db[0] != 0 && hi.db[0] != 0);
	hi.db[0] = lo.db[0];
	putino(h, raw, &hi);
	img_close();
	snprintf(msg, sizeof(msg), "inode %llu: block %lld (logical 0) "
	    "already claimed by inode %llu", (unsigned long long)h,
	    (long long)lo.db[0], (unsigned long long)l);
	snprintf(ymsg, sizeof(ymsg), "directory %llu: entry \"%s\" names "
	    "unallocated inode %llu: FIXED", (unsigned long long)f,
	    h == a ? "size_49151" : "size_98307", (unsigned long long)h);
	detect_repair(img, msg, ymsg);
	img_open(img);
	REQUIRE_EQ(lookup(l == a ? "/f/size_49151" : "/f/size_98307"), l);
	img_close();
}

TESTCASE(block_claimed_twice_ufs2) { dup_block("version=2,bsize=16384,fsize=2048", "be"); }
TESTCASE(block_claimed_twice_ufs1) { dup_block("version=1,bsize=4096,fsize=512", "le"); }

static void
dirent_unallocated(const char *opts, const char *order)
{
	const char *img = corruptible("de", opts, order);
	unsigned char raw[DINODE2_SIZE], e[4];
	struct ffsu_dinode di;
	uint64_t h = lookup("/h"), off = entry(h, "b", NULL);
	uint64_t victim = fs.maxino - 1;
	char msg[160];

	getino(victim, raw, &di);
	REQUIRE_EQ(di.mode, 0);
	ffsu_put32(&fs, e, (uint32_t)victim);
	REQUIRE_EQ(ffsu_pwrite(&fs, e, 4, off), 0);
	img_close();
	snprintf(msg, sizeof(msg), "directory %llu: entry \"b\" names "
	    "unallocated inode %llu", (unsigned long long)h,
	    (unsigned long long)victim);
	/* a had three names and now has two. */
	detect_repair(img, msg, "link count 3, should be 2: FIXED");
}

TESTCASE(entry_to_unallocated_ufs2) { dirent_unallocated("version=2,bsize=32768,fsize=4096", "le"); }
TESTCASE(entry_to_unallocated_ufs1) { dirent_unallocated("version=1,bsize=16384,fsize=2048", "be"); }

static void
bad_magic(const char *img)
{
	unsigned char zero[4] = { 0 };
	uint64_t alt = 0;
	char msg[160];

	img_open(img);
	alt = ffsu_cgsblock(&fs, 0) * fs.fsize;
	REQUIRE_EQ(ffsu_pwrite(&fs, zero, 4, fs.sbloc + FS_MAGIC), 0);
	img_close();
	snprintf(msg, sizeof(msg), "superblock: using the backup at byte "
	    "%llu", (unsigned long long)alt);
	detect_repair(img, msg, "bad magic number");
}

TESTCASE(bad_superblock_magic)
{
	const char *img = corruptible("sb", "version=2,bsize=16384,fsize=2048",
	    "le");

	img_close();
	bad_magic(img);
	img = image("sb1");
	REQUIRE_EQ(run(NEWFS, "-O", "1", "-B", "be", "-s", "40m", img, NULL),
	    0);
	bad_magic(img);
	img = image("sb2");
	REQUIRE_EQ(run(NEWFS, "-b", "65536", "-s", "40m", img, NULL), 0);
	bad_magic(img);
}

TESTCASE(unreachable_directory)
{
	const char *img = corruptible("ur", "version=2,bsize=8192,fsize=1024",
	    "be");
	unsigned char e[8], p[8];
	uint64_t m = lookup("/m"), prev, off = entry(UFS_ROOTINO, "m", &prev);
	char msg[160];

	/* Drop the name "m" from the root: the previous entry absorbs it. */
	REQUIRE(prev != 0);
	REQUIRE_EQ(ffsu_pread(&fs, e, 8, off), 0);
	REQUIRE_EQ(ffsu_pread(&fs, p, 8, prev), 0);
	ffsu_put16(&fs, p + DIR_RECLEN, (uint16_t)(ffsu_get16(&fs,
	    p + DIR_RECLEN) + ffsu_get16(&fs, e + DIR_RECLEN)));
	REQUIRE_EQ(ffsu_pwrite(&fs, p, 8, prev), 0);
	img_close();
	snprintf(msg, sizeof(msg), "directory %llu unreachable",
	    (unsigned long long)m);
	detect_repair(img, msg, "lost+found made");
	img_open(img);
	snprintf(msg, sizeof(msg), "/lost+found/#%llu/m4755",
	    (unsigned long long)m);
	REQUIRE(lookup(msg) > UFS_ROOTINO);
	img_close();
}

/* A small tree for the fuzzer: every kind of inode, a few blocks. */
static void
smalltree(const char *dir)
{
	char p[512], q[512];
	FILE *f;
	int i;

	REQUIRE(mkdir(dir, 0755) == 0);
	for (i = 0; i < 6; i++) {
		snprintf(p, sizeof(p), "%s/d%d", dir, i);
		REQUIRE(mkdir(p, 0755) == 0);
		snprintf(p, sizeof(p), "%s/d%d/file%d", dir, i, i);
		REQUIRE((f = fopen(p, "w")) != NULL);
		for (int k = 0; k < i * 3000; k++)
			fputc('a' + k % 26, f);
		REQUIRE(fclose(f) == 0);
		snprintf(p, sizeof(p), "%s/d%d/link", dir, i);
		REQUIRE(symlink(i % 2 ? "file" : "a/very/long/target/that/"
		    "does/not/fit/in/the/inode/itself/at/all/no/not/even/in/"
		    "ufs2/which/keeps/one/hundred/and/twenty/bytes", p) == 0);
	}
	snprintf(p, sizeof(p), "%s/d1/d2", dir);
	REQUIRE(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/d1/file1", dir);
	snprintf(q, sizeof(q), "%s/d1/d2/hard", dir);
	REQUIRE(link(p, q) == 0);
}

/* Byte ranges of metadata: superblock, group headers, inodes, root. */
struct range {
	uint64_t off, len;
};

static size_t
metadata(const char *img, struct range *r)
{
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode di;
	size_t n = 0;
	uint32_t c;

	img_open(img);
	r[n++] = (struct range){ fs.sbloc, FS_STRUCTSIZE };
	for (c = 0; c < fs.ncg && n < 6; c++)
		r[n++] = (struct range){ ffsu_cgtod(&fs, c) * fs.fsize,
			fs.cgsize };
	r[n++] = (struct range){ ffsu_cgimin(&fs, 0) * fs.fsize,
		32ULL * fs.isize };
	getino(UFS_ROOTINO, raw, &di);
	r[n++] = (struct range){ (uint64_t)di.db[0] * fs.fsize, DIRBLKSIZ };
	getino(lookup("/d1"), raw, &di);
	r[n++] = (struct range){ (uint64_t)di.db[0] * fs.fsize, DIRBLKSIZ };
	img_close();
	return n;
}

static void
fuzz(const char *opts, const char *order, unsigned cases)
{
	const char *img = image("fz0"), *work;
	struct range r[16];
	unsigned char *orig;
	size_t nr, len;
	unsigned seed, k, flips, rc, unclean = 0;
	uint64_t at;
	struct stat st;
	int fd;

	{
		char dir[256], cmd[1024];

		snprintf(dir, sizeof(dir), "%s/small", ffs_scratch());
		if (access(dir, F_OK) != 0)
			smalltree(dir);
		snprintf(cmd, sizeof(cmd), "makefs -t ffs -B %s -o %s %s %s "
		    ">/dev/null", order, opts, img, dir);
		REQUIRE(system(cmd) == 0);
	}
	fsck_clean(img);
	nr = metadata(img, r);
	REQUIRE(stat(img, &st) == 0);
	len = (size_t)st.st_size;
	REQUIRE((orig = malloc(len)) != NULL);
	REQUIRE((fd = open(img, O_RDONLY)) != -1);
	REQUIRE_EQ(read(fd, orig, len), len);
	close(fd);
	work = image("fz");
	for (seed = 1; seed <= cases; seed++) {
		srandom(seed);
		REQUIRE((fd = open(work, O_RDWR | O_CREAT | O_TRUNC, 0644)) !=
		    -1);
		REQUIRE_EQ(write(fd, orig, len), len);
		flips = 1 + (unsigned)random() % 8;
		for (k = 0; k < flips; k++) {
			const struct range *g = &r[(size_t)random() % nr];
			unsigned char b;

			at = g->off + (uint64_t)random() % g->len;
			REQUIRE_EQ(pread(fd, &b, 1, (off_t)at), 1);
			b ^= (unsigned char)(1 + random() % 255);
			REQUIRE_EQ(pwrite(fd, &b, 1, (off_t)at), 1);
		}
		close(fd);
		rc = (unsigned)run(FSCK, "-n", work, NULL);
		if (rc != 0 && rc != 1 && rc != 8)
			TEST_FAIL("seed %u: fsck_ffs -n: exit %u:\n%s", seed,
			    rc, out);
		rc = (unsigned)run(FSCK, "-y", work, NULL);
		if (rc > 2 && rc != 8)
			TEST_FAIL("seed %u: fsck_ffs -y: exit %u:\n%s", seed,
			    rc, out);
		rc = (unsigned)run(FSCK, "-n", work, NULL);
		if (rc != 0 && rc != 1 && rc != 8)
			TEST_FAIL("seed %u: fsck_ffs -n after -y: exit %u:\n%s",
			    seed, rc, out);
		unclean += rc != 0;
	}
	printf("%u of %u fuzzed images not clean after -y\n", unclean, cases);
	free(orig);
}

TESTCASE(fuzz_ufs2_le) { fuzz("version=2,bsize=4096,fsize=512", "le", 300); }
TESTCASE(fuzz_ufs1_be) { fuzz("version=1,bsize=8192,fsize=1024", "be", 300); }

int
main(int argc, char **argv)
{
	static const struct testcase tcs[] = {
		CASE_NOBOOT(makefs_images_clean),
		CASE_NOBOOT(makefs_real_tree_clean),
		CASE(newfs_mounts),
		CASE_NOBOOT(newfs_refuses),
		CASE_NOBOOT(newfs_full_file),
		CASE_NOBOOT(wrong_link_count_ufs2),
		CASE_NOBOOT(wrong_link_count_ufs1),
		CASE_NOBOOT(cg_free_count_off),
		CASE_NOBOOT(block_claimed_twice_ufs2),
		CASE_NOBOOT(block_claimed_twice_ufs1),
		CASE_NOBOOT(entry_to_unallocated_ufs2),
		CASE_NOBOOT(entry_to_unallocated_ufs1),
		CASE_NOBOOT(bad_superblock_magic),
		CASE_NOBOOT(unreachable_directory),
		CASE_NOBOOT(fuzz_ufs2_le),
		CASE_NOBOOT(fuzz_ufs1_be),
	};

	snprintf(src, sizeof(src), "%s/src", ffs_scratch());
	snprintf(spec, sizeof(spec), "%s/spec", ffs_scratch());
	ffs_mktree(src, spec);
	return run_tests(tcs, sizeof(tcs) / sizeof(tcs[0]), argc, argv);
}
