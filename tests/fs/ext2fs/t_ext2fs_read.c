/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The ext2fs reader against e2fsprogs: images made by mke2fs -d from a
 * generated tree (ext2, ext3, ext4; 1, 2 and 4 KiB blocks; 128 and
 * 256-byte inodes; revision 0; gdt_csum and metadata_csum; meta_bg; the
 * three directory hashes, signed and unsigned, with e2fsck -D building
 * the indexes) must read back equal to the tree: every file's bytes,
 * mode, owner, size, link count, mtime (to the nanosecond where the
 * inode has room), symlink target and device number, found by path
 * through the directory code and, the other way, every record of the
 * image found in the tree.  The hashes are checked against debugfs.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "kernspace/ext2_ks.h"

#define REQUIRE_E(call)                                                        \
	do {                                                                   \
		int e_ = (call);                                               \
		if (e_ != 0)                                                   \
			TEST_FAIL("%s: error %d (%s)", #call, e_, strerror(e_)); \
	} while (0)

struct verify {
	void *fs;
	const char *src;
	bool nsec;                      /* inodes hold nanoseconds */
	bool indexed;                   /* large directories get an index */
	long entries;
	unsigned char *a, *b;           /* read buffers */
};

#define BUFSZ (1 << 20)

static void
check_file(struct verify *v, const char *rel, const char *host, uint32_t ino,
    unsigned long long size)
{
	unsigned long long off;
	size_t done;
	ssize_t n;
	int fd;

	REQUIRE_OK(fd = open(host, O_RDONLY));
	for (off = 0; off < size; off += done) {
		REQUIRE_E(rump_test_ext2_read(v->fs, ino, off, v->a, BUFSZ, &done));
		n = pread(fd, v->b, BUFSZ, (off_t)off);
		if (n != (ssize_t)done || memcmp(v->a, v->b, done) != 0)
			TEST_FAIL("%s: bytes differ in %llu+%zu", rel, off, done);
		REQUIRE(done > 0);
	}
	/* An unaligned read across block boundaries, and one past the end. */
	if (size > 3) {
		off = size / 3 + 1;
		REQUIRE_E(rump_test_ext2_read(v->fs, ino, off, v->a, 5000, &done));
		REQUIRE_EQ(done, size - off < 5000 ? size - off : 5000);
		REQUIRE_EQ(pread(fd, v->b, done, (off_t)off), (long long)done);
		if (memcmp(v->a, v->b, done) != 0)
			TEST_FAIL("%s: bytes differ at %llu", rel, off);
	}
	REQUIRE_E(rump_test_ext2_read(v->fs, ino, size, v->a, 10, &done));
	REQUIRE_EQ(done, 0);
	close(fd);
}

static int count_subdirs(const char *);

static void
check_entry(struct verify *v, const char *rel, const char *host,
    const struct stat *st)
{
	struct rump_test_ext2_stat es;
	char target[4096], etarget[4096];
	uint32_t ino;
	size_t done;
	ssize_t tl;

	REQUIRE_E(rump_test_ext2_namei(v->fs, rel, &ino));
	REQUIRE_E(rump_test_ext2_stat(v->fs, ino, &es));
	if (es.mode != st->st_mode)
		TEST_FAIL("%s: mode 0%o, expected 0%o", rel, es.mode, st->st_mode);
	if (es.uid != st->st_uid || es.gid != st->st_gid)
		TEST_FAIL("%s: owner %u:%u, expected %u:%u", rel, es.uid, es.gid,
		    st->st_uid, st->st_gid);
	/* Without the extra fields, seconds are 32-bit signed. */
	if (es.mtime != (v->nsec ? st->st_mtim.tv_sec :
	    (int32_t)st->st_mtim.tv_sec) ||
	    (v->nsec && es.mtime_ns != st->st_mtim.tv_nsec))
		TEST_FAIL("%s: mtime %lld.%09ld, expected %lld.%09ld", rel,
		    (long long)es.mtime, es.mtime_ns,
		    (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	if (S_ISDIR(st->st_mode)) {
		REQUIRE_EQ(es.nlink, 2 + count_subdirs(host));
		if (v->indexed && strcmp(rel, "/many") == 0 &&
		    !(es.flags & 0x1000))
			TEST_FAIL("%s: not indexed", rel);
		return;
	}
	REQUIRE_EQ(es.nlink, st->st_nlink);
	REQUIRE_EQ(es.size, st->st_size);
	if (S_ISREG(st->st_mode))
		check_file(v, rel, host, ino, (unsigned long long)st->st_size);
	else if (S_ISLNK(st->st_mode)) {
		REQUIRE_OK(tl = readlink(host, target, sizeof(target)));
		REQUIRE_E(rump_test_ext2_readlink(v->fs, ino, etarget,
		    sizeof(etarget), &done));
		if ((ssize_t)done != tl || memcmp(target, etarget, done) != 0)
			TEST_FAIL("%s: target differs", rel);
	} else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		REQUIRE_EQ(es.rdev_major, major(st->st_rdev));
		REQUIRE_EQ(es.rdev_minor, minor(st->st_rdev));
	}
}

static int
count_subdirs(const char *dir)
{
	char p[4096];
	struct dirent *de;
	struct stat st;
	int n = 0;
	DIR *d;

	REQUIRE((d = opendir(dir)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		PATHF(p, "%s/%s", dir, de->d_name);
		REQUIRE_OK(lstat(p, &st));
		n += S_ISDIR(st.st_mode);
	}
	closedir(d);
	return n;
}

/* The tree, from the host side: each entry must be in the image. */
static void
walk_src(struct verify *v, const char *rel)
{
	char host[4096], sub[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;

	PATHF(host, "%s%s", v->src, rel);
	REQUIRE((d = opendir(host)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		PATHF(sub, "%s/%s", rel, de->d_name);
		PATHF(host, "%s%s", v->src, sub);
		REQUIRE_OK(lstat(host, &st));
		check_entry(v, sub, host, &st);
		v->entries++;
		if (S_ISDIR(st.st_mode))
			walk_src(v, sub);
	}
	closedir(d);
}

/* The image, from the root: each record must be in the tree. */
static long
walk_image(struct verify *v, uint32_t dino, const char *rel)
{
	struct rump_test_ext2_stat es;
	char name[256], sub[4096], host[4096];
	uint64_t cookie = 0;
	uint32_t ino;
	uint8_t type;
	struct stat st;
	long n = 0;
	int e;

	while ((e = rump_test_ext2_readdir(v->fs, dino, &cookie, name, &ino,
	    &type)) == 0) {
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    (dino == 2 && strcmp(name, "lost+found") == 0))
			continue;
		PATHF(sub, "%s/%s", rel, name);
		PATHF(host, "%s%s", v->src, sub);
		if (lstat(host, &st) != 0)
			TEST_FAIL("%s: in the image, not in the tree", sub);
		REQUIRE_E(rump_test_ext2_stat(v->fs, ino, &es));
		REQUIRE_EQ(es.mode, st.st_mode);
		/* File type in the record, when the fs keeps it. */
		if (type != 0 && ((es.mode & S_IFMT) >> 12) !=
		    (unsigned)"\0\10\4\2\6\1\14\12"[type])
			TEST_FAIL("%s: record type %u, mode 0%o", sub, type,
			    es.mode);
		n++;
		if (S_ISDIR(es.mode))
			n += walk_image(v, ino, sub);
	}
	REQUIRE_EQ(e, ENOENT);
	return n;
}

struct config {
	const char *name;
	const char *mkfs;
	const char *post;
	bool nsec, indexed;
	const char *rw_blocker;
};

#define FSCK_D "e2fsck -fyD '%s' >/dev/null 2>&1; test $? -le 1"
/* Choose the hash, then index with it. */
#define HASH_D(alg) "tune2fs -E hash_alg=" alg " '%1$s' >/dev/null 2>&1 && " \
	"e2fsck -fyD '%1$s' >/dev/null 2>&1; test $? -le 1"
/* Switch the superblock to unsigned hashing (s_flags) before indexing. */
#define UNSIGNED_D "tune2fs -E hash_alg=tea '%1$s' >/dev/null 2>&1 && " \
	"printf '\\002' | dd of='%1$s' bs=1 seek=1376 conv=notrunc " \
	"status=none && e2fsck -fyD '%1$s' >/dev/null 2>&1; test $? -le 1"

static const struct config configs[] = {
	{ "ext2_1k_128", "-t ext2 -b 1024 -I 128", FSCK_D, false, true, "" },
	{ "ext2_4k", "-t ext2 -b 4096 -I 256", FSCK_D, true, true, "" },
	{ "ext2_rev0", "-t ext2 -b 1024 -r 0", NULL, false, false, "" },
	{ "ext2_2k_tea_unsigned", "-t ext2 -b 2048 -I 256", UNSIGNED_D, true,
	  true, "" },
	{ "ext2_1k_legacy", "-t ext2 -b 1024 -I 256", HASH_D("legacy"), true,
	  true, "" },
	{ "ext3_2k", "-t ext3 -b 2048 -I 256", FSCK_D, true, true, "" },
	{ "ext4_1k", "-t ext4 -b 1024 -I 256", FSCK_D, true, true, "" },
	{ "ext4_4k", "-t ext4 -b 4096", FSCK_D, true, true, "" },
	{ "ext4_2k_gdtcsum", "-t ext4 -b 2048 -O ^metadata_csum,uninit_bg",
	  FSCK_D, true, true, "" },
	{ "ext4_2k_metabg", "-t ext4 -b 2048 -O meta_bg,^resize_inode",
	  FSCK_D, true, true, "meta_bg" },
	{ "ext4_4k_seed", "-t ext4 -b 4096 -O metadata_csum_seed -U "
	  "01234567-89ab-cdef-0123-456789abcdef", FSCK_D, true, true, "" },
	/* Clusters of blocks: the descriptor table of 1 KiB blocks is at block 2. */
	{ "ext4_1k_bigalloc", "-t ext4 -b 1024 -O bigalloc -C 4096", FSCK_D,
	  true, true, "bigalloc" },
	{ "ext4_4k_bigalloc", "-t ext4 -b 4096 -O bigalloc -C 8192", FSCK_D,
	  true, true, "bigalloc" },
};

static void
run_config(const struct config *c, int many)
{
	struct tree_opts o = { many, true };
	struct verify v = { 0 };
	char img[4200], blocker[64];
	char *dir, *src;
	long n;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir(c->name);
	if (asprintf(&src, "%s/src", dir) < 0)
		TEST_FAIL("asprintf");
	REQUIRE_OK(mkdir(src, 0755));
	make_tree(src, &o);
	PATHF(img, "%s/fs.img", dir);
	make_image(img, src, c->mkfs, "96M", c->post);
	if (c->nsec)
		stamp_nsec(img, src);

	REQUIRE_E(rump_test_ext2_mount(img, &v.fs));
	v.src = src;
	v.nsec = c->nsec;
	v.indexed = c->indexed;
	REQUIRE((v.a = malloc(BUFSZ)) != NULL && (v.b = malloc(BUFSZ)) != NULL);
	walk_src(&v, "");
	n = walk_image(&v, 2, "");
	if (n != v.entries)
		TEST_FAIL("%ld records in the image, %ld entries in the tree",
		    n, v.entries);
	{
		uint32_t ino;
		REQUIRE_EQ(rump_test_ext2_namei(v.fs, "/files/nonexistent", &ino),
		    ENOENT);
		REQUIRE_EQ(rump_test_ext2_namei(v.fs, "/many/nonexistent", &ino),
		    ENOENT);
		REQUIRE_EQ(rump_test_ext2_namei(v.fs, "/files/f_1/x", &ino),
		    ENOTDIR);
	}
	REQUIRE_E(rump_test_ext2_rw_blocker(v.fs, blocker, sizeof(blocker)));
	if (strcmp(blocker, c->rw_blocker) != 0)
		TEST_FAIL("read-write blocked by '%s', expected '%s'", blocker,
		    c->rw_blocker);
	printf("%s: %ld entries equal\n", c->name, n);
	rump_test_ext2_unmount(v.fs);
	free(v.a);
	free(v.b);
	remove_tree(dir);
	free(src);
	free(dir);
}

#define CONFIG_CASE(i, id) TESTCASE(id) { run_config(&configs[i], 5000); }
CONFIG_CASE(0, ext2_1k_128)
CONFIG_CASE(1, ext2_4k)
CONFIG_CASE(2, ext2_rev0)
CONFIG_CASE(3, ext2_2k_tea_unsigned)
CONFIG_CASE(4, ext2_1k_legacy)
CONFIG_CASE(5, ext3_2k)
CONFIG_CASE(6, ext4_1k)
CONFIG_CASE(7, ext4_4k)
CONFIG_CASE(8, ext4_2k_gdtcsum)
CONFIG_CASE(9, ext4_2k_metabg)
CONFIG_CASE(10, ext4_4k_seed)
CONFIG_CASE(11, ext4_1k_bigalloc)
CONFIG_CASE(12, ext4_4k_bigalloc)

/* Our hashes against debugfs's, every version, with and without seed. */
TESTCASE(hashes)
{
	/* By number: debugfs knows the unsigned versions by no name. */
	static const char *const algs[] = { "0", "1", "2", "3", "4", "5" };
	static const char *const names[] = { "a", "hello", "entry_00001_bc",
		"\xc3\xa9t\xc3\xa9_00007_hijklmnopqrstuvwxyzabcdefgh",
		"a_name_that_is_longer_than_thirty_two_bytes_for_md4_blocks",
		"0123456789abcdef", "0123456789abcdef0" };
	static const uint32_t seed[4] = { 0x67452301u, 0xefcdab89u,
		0x98badcfeu, 0x10325476u };
	static const uint32_t seed2[4] = { 0x67452301u, 0xefcdab89u,
		0x67452301u, 0xefcdab89u };
	char *dir, img[4200], cmd[8400], line[512];
	uint32_t h, m, dh, dm;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir("hash");
	PATHF(img, "%s/h.img", dir);
	PATHF(cmd, "mke2fs -q -F '%s' 1M", img);
	REQUIRE_EQ(system(cmd), 0);
	for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++)
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			for (int s = 0; s < 2; s++) {
				PATHF(cmd, "debugfs -R 'dx_hash -h %s "
				    "%s %s' '%s' 2>/dev/null", algs[a],
				    s ? "-s 01234567-89ab-cdef-0123-456789abcdef"
				      : "", names[i], img);
				REQUIRE((f = popen(cmd, "r")) != NULL);
				REQUIRE(fgets(line, sizeof(line), f) != NULL);
				pclose(f);
				REQUIRE(sscanf(strstr(line, " is 0x"),
				    " is 0x%x (minor 0x%x)", &dh, &dm) == 2);
				REQUIRE_E(rump_test_ext2_hash((int)a,
				    s ? seed2 : seed, names[i], strlen(names[i]),
				    &h, &m));
				if (h != dh || m != dm)
					TEST_FAIL("%s %s seed %d: 0x%08x/0x%08x, "
					    "debugfs 0x%08x/0x%08x", algs[a],
					    names[i], s, h, m, dh, dm);
			}
	remove_tree(dir);
	free(dir);
}

/* Bit by bit, from the polynomial: the reference for crc32c. */
static uint32_t
crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len-- > 0) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & -(crc & 1));
	}
	return crc;
}

/*
 * crc32c, both ways ext2fs computes it, against the bitwise reference:
 * the check value of "123456789" (0xe3069283 with ~0 in and out), then
 * every length to 300 and longer ones at every alignment, seeded.
 */
TESTCASE(crc32c)
{
	static uint8_t buf[9000];
	uint32_t fast, tables, want, seed;

	REQUIRE_E(rump_test_ext2_crc32c(~0u, "123456789", 9, &fast,
	    &tables));
	REQUIRE_EQ(~fast, 0xe3069283u);
	REQUIRE_EQ(~tables, 0xe3069283u);
	srandom(20261206);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)random();
	for (size_t len = 0; len < 4200; len += len < 300 ? 1 : 97)
		for (size_t al = 0; al < 8; al++) {
			seed = (uint32_t)random();
			want = crc32c_bitwise(seed, buf + al, len);
			REQUIRE_E(rump_test_ext2_crc32c(seed, buf + al, len,
			    &fast, &tables));
			if (fast != want || tables != want)
				TEST_FAIL("crc32c of %zu bytes at +%zu: "
				    "0x%08x, tables 0x%08x, want 0x%08x", len,
				    al, fast, tables, want);
		}
}

TESTS(CASE(crc32c), CASE(hashes), CASE(ext2_1k_128), CASE(ext2_4k), CASE(ext2_rev0),
    CASE(ext2_2k_tea_unsigned), CASE(ext2_1k_legacy), CASE(ext3_2k),
    CASE(ext4_1k), CASE(ext4_4k), CASE(ext4_2k_gdtcsum),
    CASE(ext4_2k_metabg), CASE(ext4_4k_seed), CASE(ext4_1k_bigalloc),
    CASE(ext4_4k_bigalloc))
