/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Hostile images: seeded corruptions of real FAT12, FAT16 and FAT32
 * images (made by mkfs.fat, filled by mcopy) are mounted, walked, read
 * and (read-write) changed.  The kinds of damage: BPB fields, cluster
 * chains that loop, end early, point past the end or at free or bad
 * clusters, directory entries with wild sizes, clusters and names, long
 * name pieces out of order or with wrong checksums, bytes at random in
 * the metadata.  Every call must come back, with success or an errno
 * from the expected set, never a crash or a hang (the harness's alarm),
 * the image never grows (nothing written outside it), and the kernel
 * must have logged the damage it refused.  MSDOS_FUZZ_SEED and
 * MSDOS_FUZZ_ITERS change the seed and the count.  Then one named kind
 * of damage at a time, each with its exact errno and its one log line.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/msdosfs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_msdos.h"

static unsigned long long nio, nok, nerr;

static uint32_t
rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static void
errno_ok(const char *what)
{
	switch (errno) {
	case EIO: case EINVAL: case ENOSPC: case ENOENT: case ENOTDIR:
	case EISDIR: case EEXIST: case ENOTEMPTY: case ENAMETOOLONG:
	case EROFS: case EPERM: case EFBIG: case ENXIO: case EBUSY:
		if (errno == EIO)
			nio++;
		nerr++;
		return;
	default:
		TEST_FAIL("%s: unexpected errno %d (%s)", what, errno,
		    strerror(errno));
	}
}

#define TRY(call, what)                                                        \
	do {                                                                   \
		errno = 0;                                                     \
		if ((long long)(call) == -1)                                   \
			errno_ok(what);                                        \
		else                                                           \
			nok++;                                                 \
	} while (0)

/* Walk a tree: list, stat, read; bounded. */
static void
walk(const char *path, int depth, unsigned *budget)
{
	char buf[4096], sub[1024], data[8192];
	int fd, nb, pos, f;
	struct stat st;

	if (depth > 12 || *budget == 0)
		return;
	(*budget)--;
	if ((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0)) == -1) {
		errno_ok("open dir");
		return;
	}
	while ((nb = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0 &&
	    *budget > 0) {
		for (pos = 0; pos < nb;) {
			struct { uint64_t ino; int64_t off; unsigned short
			    reclen; unsigned char type; char name[]; } *d =
			    (void *)(buf + pos);
			pos += d->reclen;
			if (strcmp(d->name, ".") == 0 ||
			    strcmp(d->name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, d->name);
			if (rump_sys_stat(sub, &st) == -1) {
				errno_ok("stat");
				continue;
			}
			if (S_ISDIR(st.st_mode)) {
				walk(sub, depth + 1, budget);
				continue;
			}
			if ((f = rump_sys_open(sub, O_RDONLY, 0)) == -1) {
				errno_ok("open");
				continue;
			}
			while (rump_sys_read(f, data, sizeof(data)) > 0)
				continue;
			TRY(rump_sys_close(f), "close");
		}
	}
	if (nb == -1)
		errno_ok("getdents");
	TRY(rump_sys_close(fd), "close dir");
}

/* Changes through a damaged file system. */
static void
change(uint64_t *s)
{
	char p[64];
	int fd;

	TRY(rump_sys_mkdir(MNT "/New Directory", 0755), "mkdir");
	snprintf(p, sizeof(p), MNT "/New Directory/file %u.txt", rnd(s) % 9);
	if ((fd = rump_sys_open(p, O_CREAT | O_RDWR, 0644)) != -1) {
		TRY(rump_sys_write(fd, p, sizeof(p)), "write");
		TRY(rump_sys_ftruncate(fd, rnd(s) % 100000), "ftruncate");
		TRY(rump_sys_close(fd), "close");
	} else
		errno_ok("create");
	TRY(rump_sys_rename(MNT "/dir one", MNT "/New Directory/moved"),
	    "rename");
	TRY(rump_sys_unlink(MNT "/small.txt"), "unlink");
	TRY(rump_sys_rmdir(MNT "/dir two/empty"), "rmdir");
	if ((fd = rump_sys_open(MNT "/Long file name number one.dat",
	    O_WRONLY | O_APPEND, 0)) != -1) {
		TRY(rump_sys_write(fd, p, sizeof(p)), "append");
		TRY(rump_sys_close(fd), "close");
	} else
		errno_ok("open append");
}

/* Where the metadata is, from the pristine boot sector. */
struct geom {
	unsigned bps, rsvd, nfats, fatsz, rootsecs, spc;
	size_t size;
};

static void
geom_of(const unsigned char *b, size_t size, struct geom *g)
{
	g->bps = b[11] | b[12] << 8;
	g->spc = b[13];
	g->rsvd = b[14] | b[15] << 8;
	g->nfats = b[16];
	g->fatsz = b[22] | b[23] << 8;
	if (g->fatsz == 0)
		g->fatsz = b[36] | b[37] << 8 | b[38] << 16;
	g->rootsecs = ((b[17] | b[18] << 8) * 32 + g->bps - 1) / g->bps;
	g->size = size;
}

static void
mutate(unsigned char *img, const struct geom *g, int fat, uint64_t *s)
{
	size_t fat0 = (size_t)g->rsvd * g->bps;
	size_t fatlen = (size_t)g->fatsz * g->bps;
	size_t dirs = fat0 + fatlen * g->nfats;
	size_t dirlen = (size_t)g->rootsecs * g->bps + 16 * g->spc *
	    (size_t)g->bps;
	unsigned n = 1 + rnd(s) % 4, k, cl, ent;
	size_t off;

	for (k = 0; k < n; k++) {
		switch (rnd(s) % 6) {
		case 0:                         /* a BPB field */
			off = 11 + rnd(s) % 80;
			img[off] = (unsigned char)(rnd(s) % 3 == 0 ? 0 :
			    rnd(s));
			break;
		case 1: case 2:                 /* a FAT entry, every copy */
			cl = 2 + rnd(s) % 200;
			switch (rnd(s) % 5) {
			case 0: ent = cl; break;            /* a loop */
			case 1: ent = 2 + rnd(s) % 200; break;
			case 2: ent = 0x0FFFFFF0; break;    /* past the end */
			case 3: ent = 0; break;             /* free */
			default: ent = rnd(s); break;
			}
			for (unsigned c = 0; c < g->nfats; c++) {
				unsigned char *f = img + fat0 + c * fatlen;
				if (fat == 32) {
					memcpy(f + 4 * cl, &ent, 4);
				} else if (fat == 16) {
					f[2 * cl] = (unsigned char)ent;
					f[2 * cl + 1] = (unsigned char)(ent >> 8);
				} else {
					size_t o = cl + cl / 2;
					unsigned v = f[o] | f[o + 1] << 8;
					v = cl & 1 ? (v & 0xF) | (ent & 0xFFF)
					    << 4 : (v & 0xF000) | (ent & 0xFFF);
					f[o] = (unsigned char)v;
					f[o + 1] = (unsigned char)(v >> 8);
				}
			}
			break;
		case 3: case 4: {               /* a directory entry */
			unsigned char *de = img + dirs + 32 * (rnd(s) %
			    (dirlen / 32));
			switch (rnd(s) % 7) {
			case 0: de[0] = (unsigned char)(0x40 | rnd(s) % 30);
				de[11] = 0x0F; break;        /* long-name piece */
			case 1: de[13] ^= 1; break;          /* checksum */
			case 2: memset(de + 28, 0xFF, 4); break; /* size */
			case 3: de[26] = (unsigned char)rnd(s);
				de[27] = (unsigned char)rnd(s);
				de[20] = (unsigned char)rnd(s); break;
			case 4: de[11] ^= (unsigned char)(1 << rnd(s) % 8);
				break;
			case 5: de[rnd(s) % 11] = (unsigned char)(rnd(s) %
				3 == 0 ? '/' : rnd(s)); break;
			default: de[0] = (unsigned char)(rnd(s) % 21);
				break;                       /* piece number */
			}
			break;
		}
		default:                        /* any metadata byte */
			off = rnd(s) % (dirs + dirlen);
			img[off] = (unsigned char)rnd(s);
			break;
		}
	}
}

static void
fuzz_case(int fat, unsigned kib)
{
	char *dir = msdos_tmpdir("fuzz"), img[512], src[512], logf[600];
	const char *e;
	unsigned char *orig, *cur;
	uint64_t seed = 42 + (uint64_t)fat, s;
	unsigned iters = 300, it, budget;
	struct geom g;
	struct stat st;
	FILE *f;
	int fd, mounted = 0;

	if ((e = getenv("MSDOS_FUZZ_SEED")) != NULL)
		seed = strtoull(e, NULL, 0) + (uint64_t)fat;
	if ((e = getenv("MSDOS_FUZZ_ITERS")) != NULL)
		iters = (unsigned)atoi(e);
	PATHF(img, "%s/fs.img", dir);
	PATHF(src, "%s/src", dir);
	PATHF(logf, "%s/kernel.log", dir);
	msdos_mkfs(img, fat, "-s 1", kib);
	msdos_sh("mkdir -p '%s/dir one/sub' '%s/dir two/empty' && cd '%s' && "
	    "seq 1 20000 > 'Long file name number one.dat' && echo hi > "
	    "small.txt && seq 1 3000 > 'dir one/sub/Numbers Of Many.txt' && "
	    "for i in $(seq 1 40); do echo $i > \"dir two/entry $i.txt\"; "
	    "done && mcopy -s -i '%s' * ::/", src, src, src, img);
	REQUIRE((f = fopen(img, "rb")) != NULL);
	REQUIRE(fstat(fileno(f), &st) == 0);
	REQUIRE((orig = malloc((size_t)st.st_size)) != NULL);
	REQUIRE((cur = malloc((size_t)st.st_size)) != NULL);
	REQUIRE(fread(orig, 1, (size_t)st.st_size, f) == (size_t)st.st_size);
	fclose(f);
	geom_of(orig, (size_t)st.st_size, &g);
	/* The kernel's log lines go to a file. */
	fflush(stderr);
	REQUIRE((fd = open(logf, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1);
	int saved = dup(2);
	REQUIRE(dup2(fd, 2) == 2);
	close(fd);
	for (it = 0; it < iters; it++) {
		if (getenv("MSDOS_FUZZ_VERBOSE") != NULL)
			printf("iteration %u\n", it);
		fflush(stdout);
		s = seed * 1000003 + it;
		memcpy(cur, orig, g.size);
		mutate(cur, &g, fat, &s);
		REQUIRE((f = fopen(img, "r+b")) != NULL);
		REQUIRE(fwrite(cur, 1, g.size, f) == g.size);
		fclose(f);
		if (msdos_try_mount(img, it % 2 ? MS_RDONLY : 0, 0, 0) == -1) {
			REQUIRE(errno == EINVAL || errno == EIO);
			nerr++;
			continue;
		}
		mounted++;
		budget = 200;
		walk(MNT, 0, &budget);
		if (it % 2 == 0)
			change(&s);
		REQUIRE_OK(rump_sys_unmount(MNT, 0));
		REQUIRE(stat(img, &st) == 0);
		REQUIRE_EQ(st.st_size, (off_t)g.size);
	}
	fflush(stderr);
	REQUIRE(dup2(saved, 2) == 2);
	close(saved);
	REQUIRE(stat(logf, &st) == 0);
	fprintf(stderr, "FAT%d: %u images, %d mounted; %llu calls ok, %llu "
	    "errors (%llu EIO); %lld bytes of kernel log\n", fat, iters,
	    mounted, nok, nerr, nio, (long long)st.st_size);
	/* Damage was met and reported. */
	REQUIRE(mounted > 0);
	REQUIRE(nio > 0);
	REQUIRE(st.st_size > 0);
	free(orig);
	free(cur);
}

TESTCASE(fuzz_fat12)
{
	fuzz_case(12, 1440);
}

TESTCASE(fuzz_fat16)
{
	fuzz_case(16, 16 * 1024);
}

TESTCASE(fuzz_fat32)
{
	fuzz_case(32, 34 * 1024);
}

/*
 * A FAT16 image with 512-byte clusters holding FILE.TXT (2000 bytes,
 * four clusters), "A long name.txt" and a directory SUB; its bytes and
 * where things are.
 */
struct hostile {
	char img[512];
	unsigned char *b;
	size_t size;
	struct geom g;
	size_t fat0, root;
};

static void
hostile_make(struct hostile *h)
{
	char *dir = msdos_tmpdir("hostile");
	struct stat st;
	FILE *f;

	PATHF(h->img, "%s/fs.img", dir);
	msdos_mkfs(h->img, 16, "-s 1", 16 * 1024);
	msdos_sh("cd '%s' && seq 1 500 | head -c 2000 > FILE.TXT && echo x > "
	    "'A long name.txt' && mkdir SUB && echo y > SUB/IN.TXT && "
	    "mcopy -s -i '%s' FILE.TXT 'A long name.txt' SUB ::/", dir, h->img);
	REQUIRE((f = fopen(h->img, "rb")) != NULL);
	REQUIRE(fstat(fileno(f), &st) == 0);
	h->size = (size_t)st.st_size;
	REQUIRE((h->b = malloc(h->size)) != NULL);
	REQUIRE(fread(h->b, 1, h->size, f) == h->size);
	fclose(f);
	geom_of(h->b, h->size, &h->g);
	h->fat0 = (size_t)h->g.rsvd * h->g.bps;
	h->root = h->fat0 + (size_t)h->g.fatsz * h->g.bps * h->g.nfats;
}

/* The root entry named name11 (a short entry). */
static unsigned char *
hostile_entry(struct hostile *h, const char *name11)
{
	size_t i;

	for (i = 0; i < (size_t)h->g.rootsecs * h->g.bps; i += 32)
		if (memcmp(h->b + h->root + i, name11, 11) == 0 &&
		    h->b[h->root + i + 11] != 0x0f)
			return h->b + h->root + i;
	TEST_FAIL("no entry %s", name11);
}

static unsigned
hostile_cluster(struct hostile *h, const char *name11)
{
	unsigned char *de = hostile_entry(h, name11);

	return de[26] | de[27] << 8;
}

/* Set FAT16 entry cl in both copies. */
static void
hostile_fat(struct hostile *h, unsigned cl, unsigned v)
{
	for (unsigned k = 0; k < h->g.nfats; k++) {
		unsigned char *f = h->b + h->fat0 + (size_t)k * h->g.fatsz *
		    h->g.bps;
		f[2 * cl] = (unsigned char)v;
		f[2 * cl + 1] = (unsigned char)(v >> 8);
	}
}

static void
hostile_mount(struct hostile *h)
{
	FILE *f;

	REQUIRE((f = fopen(h->img, "r+b")) != NULL);
	REQUIRE(fwrite(h->b, 1, h->size, f) == h->size);
	fclose(f);
	free(h->b);
	msdos_mount(h->img, MS_RDONLY);
	log_capture("/tmp/t_msdosfs_hostile.log");
}

static void
hostile_done(void)
{
	unlink("/tmp/t_msdosfs_hostile.log");
	msdos_unmount();
}

static void
chain_case(unsigned (*damage)(struct hostile *, unsigned), const char *want)
{
	struct hostile h;
	struct stat st;

	hostile_make(&h);
	(void)damage(&h, hostile_cluster(&h, "FILE    TXT"));
	hostile_mount(&h);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/FILE.TXT", &st), EIO);
	log_expect(want);
	hostile_done();
}

static unsigned
loop_back(struct hostile *h, unsigned c)
{
	hostile_fat(h, c + 2, c);
	return 0;
}

static unsigned
past_end(struct hostile *h, unsigned c)
{
	hostile_fat(h, c + 1, 0xFFF0);
	return 0;
}

static unsigned
to_free(struct hostile *h, unsigned c)
{
	hostile_fat(h, c + 1, 0);
	return 0;
}

static unsigned
too_short(struct hostile *h, unsigned c)
{
	hostile_fat(h, c, 0xFFFF);
	return 0;
}

TESTCASE(chain_loop)
{
	chain_case(loop_back, "longer than 4 clusters (a loop?)");
}

TESTCASE(chain_past_end)
{
	chain_case(past_end, "cluster 65520 out of range in its chain");
}

TESTCASE(chain_to_free)
{
	chain_case(to_free, "to free cluster 0");
}

TESTCASE(chain_short)
{
	chain_case(too_short, "1 clusters for 1892 bytes");
}

TESTCASE(bad_bpb)
{
	struct hostile h;

	FILE *f;

	hostile_make(&h);
	h.b[11] = 0x2c;                 /* 300 bytes per sector */
	h.b[12] = 0x01;
	REQUIRE((f = fopen(h.img, "r+b")) != NULL);
	REQUIRE(fwrite(h.b, 1, h.size, f) == h.size);
	fclose(f);
	free(h.b);
	log_capture("/tmp/t_msdosfs_hostile.log");
	REQUIRE_ERRNO(msdos_try_mount(h.img, 0, 0, 0), EINVAL);
	log_expect("300 bytes per sector");
	unlink("/tmp/t_msdosfs_hostile.log");
}

TESTCASE(name_with_slash)
{
	struct hostile h;
	char buf[4096];
	int fd;

	FILE *f;
	int nb;

	hostile_make(&h);
	hostile_entry(&h, "FILE    TXT")[2] = '/';
	REQUIRE((f = fopen(h.img, "r+b")) != NULL);
	REQUIRE(fwrite(h.b, 1, h.size, f) == h.size);
	fclose(f);
	free(h.b);
	/* Skipped, logged (once: the same line again is held back). */
	log_capture("/tmp/t_msdosfs_hostile.log");
	msdos_mount(h.img, MS_RDONLY);
	REQUIRE_OK(fd = rump_sys_open(MNT, O_RDONLY | O_DIRECTORY, 0));
	REQUIRE_OK(nb = rump_sys_getdents64(fd, buf, sizeof(buf)));
	REQUIRE_OK(rump_sys_close(fd));
	log_expect("bad bytes in its name: skipped");
	REQUIRE(memmem(buf, (size_t)nb, "SUB", 4) != NULL);
	REQUIRE(memmem(buf, (size_t)nb, "A long name.txt", 16) != NULL);
	REQUIRE(memmem(buf, (size_t)nb, "FI/E", 4) == NULL);
	hostile_done();
}

/* A long name whose checksum is wrong: the 8.3 name shows, no error. */
TESTCASE(lfn_bad_checksum)
{
	struct hostile h;
	unsigned char *de;
	struct stat st;

	hostile_make(&h);
	de = hostile_entry(&h, "ALONGN~1TXT");
	REQUIRE_EQ(de[-32 + 11], 0x0f);
	de[-32 + 13] ^= 0x55;
	hostile_mount(&h);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/A long name.txt", &st), ENOENT);
	REQUIRE_OK(rump_sys_stat(MNT "/ALONGN~1.TXT", &st));
	REQUIRE_EQ(st.st_size, 2);
	hostile_done();
}

TESTCASE(no_dotdot)
{
	struct hostile h;
	struct stat st;
	size_t sub;

	hostile_make(&h);
	sub = h.root + (size_t)h.g.rootsecs * h.g.bps +
	    (size_t)(hostile_cluster(&h, "SUB        ") - 2) * h.g.spc *
	    h.g.bps;
	REQUIRE(memcmp(h.b + sub + 32, "..         ", 11) == 0);
	h.b[sub + 33] = 'X';
	hostile_mount(&h);
	REQUIRE_OK(rump_sys_stat(MNT "/SUB/IN.TXT", &st));
	REQUIRE_ERRNO(rump_sys_stat(MNT "/SUB/..", &st), EIO);
	log_expect("no \"..\"");
	hostile_done();
}

TESTS(CASE(fuzz_fat12), CASE(fuzz_fat16), CASE(fuzz_fat32),
    CASE(chain_loop), CASE(chain_past_end), CASE(chain_to_free),
    CASE(chain_short), CASE(bad_bpb), CASE(name_with_slash),
    CASE(lfn_bad_checksum), CASE(no_dotdot))
