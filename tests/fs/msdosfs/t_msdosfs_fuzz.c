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
 * MSDOS_FUZZ_ITERS change the seed and the count.
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

TESTS(CASE(fuzz_fat12), CASE(fuzz_fat16), CASE(fuzz_fat32))
