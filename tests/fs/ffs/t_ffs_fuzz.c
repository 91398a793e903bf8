/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Hostile images: a small makefs image (UFS2 little-endian, with
 * extended attributes and ACLs, and UFS1 big-endian) with random bytes
 * changed in its superblock, cylinder group, inodes, directory blocks,
 * indirect blocks and attribute areas, then mounted, walked and every
 * file and attribute read.  Any error is fine; a crash, a hang (the
 * alarm) or a sanitizer report is not, nor an unmount that fails.
 * Fixed seeds: a failing case reruns alone with "t_ffs_fuzz SEED".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/param.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "h_ffs.h"

#define NCASES  1000            /* per image */
#define CHUNK   100             /* cases per child (one boot) */

struct region {
	off_t off;
	size_t len;
};

struct target {
	const char *name;
	char path[256];
	unsigned char *orig;            /* the unmodified image */
	size_t size;
	struct region rg[64];
	int nrg;
};

static struct target targets[2] = {
	{ .name = "ufs2le" }, { .name = "ufs1be" },
};

static bool swapped;

static uint64_t
get(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[swapped ? n - 1 - i : i] << (8 * i);
	return v;
}

static void
addrg(struct target *t, uint64_t off, uint64_t len)
{
	if (t->nrg < 64 && off < t->size && len > 0)
		t->rg[t->nrg++] = (struct region){ (off_t)off,
		    (size_t)(off + len > t->size ? t->size - off : len) };
}

/* Find the metadata of the base image, as the format describes it. */
static void
regions(struct target *t, bool ufs2)
{
	const unsigned char *sb = t->orig + 8192;
	uint32_t fsize, bsize, iblkno, cblkno, dsz = ufs2 ? 256 : 128;
	uint64_t ib0, ino0, dip, sz, b;
	int psz = ufs2 ? 8 : 4, dbo = ufs2 ? 112 : 40;

	swapped = false;
	swapped = get(sb + 1372, 4) != 0x19540119 &&
	    get(sb + 1372, 4) != 0x011954;
	cblkno = (uint32_t)get(sb + 12, 4);
	iblkno = (uint32_t)get(sb + 16, 4);
	bsize = (uint32_t)get(sb + 48, 4);
	fsize = (uint32_t)get(sb + 52, 4);
	REQUIRE(bsize == 4096 && (get(sb + 1372, 4) == 0x19540119 ||
	    get(sb + 1372, 4) == 0x011954));
	addrg(t, 8192, 1376);
	addrg(t, (uint64_t)cblkno * fsize, bsize);
	ino0 = (uint64_t)iblkno * fsize;
	addrg(t, ino0 + 2 * dsz, 40 * dsz);
	for (int ino = 2; ino < 42; ino++) {
		dip = ino0 + (uint64_t)ino * dsz;
		uint16_t mode = (uint16_t)get(t->orig + dip, 2);
		sz = get(t->orig + dip + (ufs2 ? 16 : 8), 8);
		if ((mode & 0170000) == 0040000) {
			for (int i = 0; i < 12 && (uint64_t)i * bsize < sz;
			    i++) {
				b = get(t->orig + dip + dbo + i * psz, psz);
				addrg(t, b * fsize, bsize);
			}
		}
		/* UFS2's attribute area (ffs_format.h): its first block. */
		if (ufs2 && get(t->orig + dip + 92, 4) != 0)
			addrg(t, get(t->orig + dip + 96, 8) * fsize,
			    MIN(get(t->orig + dip + 92, 4), bsize));
		if ((mode & 0170000) != 0100000)
			continue;
		for (int l = 0; l < 2; l++) {
			ib0 = get(t->orig + dip + dbo + (12 + l) * psz, psz);
			if (ib0 == 0)
				continue;
			addrg(t, ib0 * fsize, bsize);
			if (l == 1)     /* the double's first child */
				addrg(t, get(t->orig + ib0 * fsize, psz) *
				    fsize, bsize);
		}
	}
}

/* Attributes of the UFS2 image: fragments, two blocks, ACLs. */
static const char *const xpaths[] = { "/d", "/d/f100", "/d/e/f5000",
	"/d/name1_abc", "/d/e" };

static void
setup(void)
{
	char src[128], p[1024];
	static const size_t sizes[] = { 0, 100, 5000, 60000, 2300000 };
	unsigned char *buf;
	int fd;

	snprintf(src, sizeof(src), "%s/src", ffs_scratch());
	REQUIRE(mkdir(src, 0755) == 0);
	snprintf(p, sizeof(p), "%s/d", src);
	REQUIRE(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/d/e", src);
	REQUIRE(mkdir(p, 0755) == 0);
	REQUIRE((buf = malloc(2300000)) != NULL);
	for (size_t i = 0; i < 2300000; i++)
		buf[i] = (unsigned char)(i * 31 + i / 4096);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s/f%zu", src, i % 2 ? "d" : "d/e",
		    sizes[i]);
		REQUIRE((fd = open(p, O_WRONLY | O_CREAT, 0644)) != -1);
		REQUIRE_EQ(write(fd, buf, sizes[i]), sizes[i]);
		close(fd);
	}
	for (int i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "%s/d/name%d_%.*s", src, i, i * 3,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
		    "abcdefghijklmnopqrstuvwxyz");
		REQUIRE(symlink(i % 2 ? "f100" : "../d/e/../../d/e/../../d/e/"
		    "../../d/e/../../d/e/../../d/e/../../d/e/../../d/e/../../"
		    "d/e/../../d/e/../../d/e/../f60000", p) == 0);
	}
	free(buf);
	for (int k = 0; k < 2; k++) {
		struct target *t = &targets[k];

		snprintf(t->path, sizeof(t->path), "%s/%s.img", ffs_scratch(),
		    t->name);
		snprintf(p, sizeof(p), "makefs -t ffs -B %s -o version=%d,"
		    "bsize=4096,fsize=%d %s %s >/dev/null", k ? "be" : "le",
		    k ? 1 : 2, k ? 1024 : 512, t->path, src);
		REQUIRE(system(p) == 0);
		if (k == 0)
			ffs_add_xattrs(t->path, xpaths, (sizeof(xpaths) / sizeof(xpaths[0])));
		REQUIRE((fd = open(t->path, O_RDONLY)) != -1);
		t->size = (size_t)lseek(fd, 0, SEEK_END);
		REQUIRE((t->orig = malloc(t->size)) != NULL);
		REQUIRE_EQ(pread(fd, t->orig, t->size, 0), t->size);
		close(fd);
		regions(t, k == 0);
		REQUIRE(t->nrg > 6);
	}
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Change the image for one seed; the changes are undone by restore. */
static int
mutate(struct target *t, int fd, unsigned seed, off_t *offs)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;
	static const uint32_t vals[] = { 0, 1, 2, 0xffffffff, 0x80000000,
		0x7fffffff, 4096, 65536 };
	int n = 1 + (int)(rnd(&s) % 4);
	unsigned char b[4];

	for (int i = 0; i < n; i++) {
		const struct region *r = &t->rg[rnd(&s) % (uint64_t)t->nrg];
		off_t off = r->off + (off_t)(rnd(&s) % r->len);

		if (rnd(&s) % 2 && off % 4 == 0 &&
		    (size_t)off + 4 <= t->size) {
			uint32_t v = vals[rnd(&s) % 8];

			memcpy(b, &v, 4);
			REQUIRE_EQ(pwrite(fd, b, 4, off), 4);
			offs[i] = off;
		} else {
			b[0] = t->orig[off] ^ (unsigned char)(1 + rnd(&s) % 255);
			REQUIRE_EQ(pwrite(fd, b, 1, off), 1);
			offs[i] = off;
		}
	}
	return n;
}

static void
restore(struct target *t, int fd, const off_t *offs, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = (size_t)offs[i] + 4 <= t->size ? 4 : 1;

		REQUIRE_EQ(pwrite(fd, t->orig + offs[i], len, offs[i]),
		    (ssize_t)len);
	}
}

static void
run(struct target *t, unsigned first, unsigned last)
{
	struct ufs_args ua = { .fspec = (char *)FFS_KEY };
	off_t offs[4];
	int fd, n, mounted = 0;

	REQUIRE((fd = open(t->path, O_RDWR)) != -1);
	REQUIRE_OK(rump_pub_etfs_register(FFS_KEY, t->path, RUMP_ETFS_BLK));
	REQUIRE_OK(rump_sys_mkdir(FFS_MNT, 0755));
	for (unsigned seed = first; seed < last; seed++) {
		n = mutate(t, fd, seed, offs);
		if (rump_sys_mount("ffs", FFS_MNT, MS_RDONLY, &ua,
		    sizeof(ua)) == 0) {
			ffs_walk(FFS_MNT, 8);
			if (rump_sys_unmount(FFS_MNT, 0) != 0)
				TEST_FAIL("seed %u: unmount: %s", seed,
				    strerror(errno));
			mounted++;
		} else if (errno != EINVAL && errno != EIO)
			TEST_FAIL("seed %u: mount: %s", seed, strerror(errno));
		restore(t, fd, offs, n);
	}
	/* The untouched image still mounts and reads. */
	REQUIRE_OK(rump_sys_mount("ffs", FFS_MNT, MS_RDONLY, &ua, sizeof(ua)));
	REQUIRE_OK(rump_sys_unmount(FFS_MNT, 0));
	printf("%s seeds %u..%u: %d of %u mounted\n", t->name, first,
	    last - 1, mounted, last - first);
	close(fd);
}

static unsigned chunk;

TESTCASE(fuzz)
{
	unsigned first = chunk * CHUNK;

	run(&targets[first / NCASES], first, first + CHUNK);
}

int
main(int argc, char **argv)
{
	static const struct testcase tc = CASE(fuzz);
	int failed = 0;

	setup();
	if (argc > 1) {                 /* one seed, for a failure */
		unsigned seed = (unsigned)strtoul(argv[1], NULL, 10);

		REQUIRE(rump_init() == 0);
		run(&targets[seed / NCASES % 2], seed, seed + 1);
		tests_scratch_remove();
		return 0;
	}
	for (chunk = 0; chunk < 2 * NCASES / CHUNK; chunk++)
		failed += run_case(&tc, 120);
	tests_scratch_remove();
	return failed != 0;
}
