/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * newfs_msdos: make an empty FAT12, FAT16 or FAT32 file system in an
 * image file, a host program (newfs_msdos(8)).  The layout follows
 * Microsoft's "FAT: General Overview of On-Disk Format" (fatgen103):
 * reserved sectors (1, or 32 on FAT32 with FSInfo at 1 and a copy of
 * the boot sector at 6), two FATs sized so they cover every cluster,
 * the root directory (512 entries on FAT12/16; a cluster on FAT32),
 * then the clusters.  The FAT type must agree with the cluster count
 * (fewer than 4085 clusters is FAT12, fewer than 65525 FAT16, more
 * FAT32): when no cluster size is given the smallest that fits is
 * chosen; a size that cannot make the type asked for is refused.  The
 * data area is left as a hole in the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct params {
	int fat;                        /* 12, 16, 32; 0: by size */
	uint32_t bps;                   /* bytes per sector */
	uint32_t spc;                   /* sectors per cluster; 0: chosen */
	uint64_t bytes;                 /* of the file system */
	char label[11];
	const char *image;
	/* Computed. */
	uint32_t totsec, rsvd, nfats, rootents, rootsecs, fatsz, ncl;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: newfs_msdos [-F 12|16|32] [-c sectors-per-cluster] "
	    "[-L label]\n"
	    "                   [-S sector-size] [-s size[b|k|m|g]] image\n"
	    "Make an empty FAT file system in the image file (created or "
	    "extended to -s).\n"
	    "  -F n     FAT12, FAT16 or FAT32 (default: by size)\n"
	    "  -c n     sectors per cluster, a power of two to 128 "
	    "(default: smallest that fits)\n"
	    "  -L label volume label, up to 11 characters\n"
	    "  -S n     bytes per sector: 512, 1024, 2048 or 4096 "
	    "(default 512)\n"
	    "  -s size  sectors, or bytes with a b/k/m/g suffix (default: "
	    "the file's size)\n");
}

static void __attribute__((noreturn, format(printf, 2, 3)))
fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "newfs_msdos: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t
number(const char *what, const char *s, uint64_t unit)
{
	unsigned long long v;
	uint64_t mult = unit;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		fail(what, "%s: not a number", s);
	if (*end != '\0' && end[1] == '\0' && unit != 1) {
		switch (*end) {
		case 'b': case 'B': mult = 1; break;
		case 'k': case 'K': mult = 1ULL << 10; break;
		case 'm': case 'M': mult = 1ULL << 20; break;
		case 'g': case 'G': mult = 1ULL << 30; break;
		default: fail(what, "%s: unknown unit '%c'", s, *end);
		}
		end++;
	}
	if (*end != '\0')
		fail(what, "%s: not a number", s);
	if (v > UINT64_MAX / mult)
		fail(what, "%s: too large", s);
	return v * mult;
}

static void
put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

/* The cluster count type t allows. */
static bool
fits(int t, uint64_t ncl)
{
	switch (t) {
	case 12: return ncl >= 1 && ncl <= 4084;
	case 16: return ncl >= 4085 && ncl <= 65524;
	default: return ncl >= 65525 && ncl <= 0x0FFFFFF5;
	}
}

/* FAT size and cluster count for spc; false if there is no room. */
static bool
layout(struct params *p, uint32_t spc)
{
	uint64_t fatsz = 1, need, data, ncl;

	p->rsvd = p->fat == 32 ? 32 : 1;
	p->nfats = 2;
	p->rootents = p->fat == 32 ? 0 : 512;
	p->rootsecs = (p->rootents * 32 + p->bps - 1) / p->bps;
	for (;;) {
		if ((uint64_t)p->rsvd + p->rootsecs + p->nfats * fatsz >=
		    p->totsec)
			return false;
		data = p->totsec - p->rsvd - p->rootsecs - p->nfats * fatsz;
		ncl = data / spc;
		/* Entries 0 and 1 are not clusters but take room. */
		need = ((ncl + 2) * (uint64_t)p->fat + 8 * p->bps - 1) /
		    (8 * p->bps);
		if (need <= fatsz)
			break;
		fatsz = need;
	}
	p->fatsz = (uint32_t)fatsz;
	p->ncl = (uint32_t)ncl;
	return fits(p->fat, ncl);
}

static void
geometry(struct params *p)
{
	uint32_t spc;

	if (p->bytes / p->bps > UINT32_MAX)
		fail("size", "more than 2^32 sectors");
	p->totsec = (uint32_t)(p->bytes / p->bps);
	if (p->fat == 0)
		p->fat = p->bytes < (16ULL << 20) ? 12 :
		    p->bytes < (512ULL << 20) ? 16 : 32;
	if (p->spc != 0) {
		if (!layout(p, p->spc))
			fail("cluster count", "%u sectors of %u bytes in "
			    "clusters of %u sectors make %u clusters: not a "
			    "FAT%d (change -c, -s or -F)", p->totsec, p->bps,
			    p->spc, p->ncl, p->fat);
		return;
	}
	/* FAT32 volumes from 260 MiB on get 4 KiB clusters or more. */
	spc = p->fat == 32 && p->bytes >= (260ULL << 20) && p->bps < 4096 ?
	    4096 / p->bps : 1;
	for (; spc <= 128 && spc * p->bps <= 65536; spc *= 2) {
		if (layout(p, spc)) {
			p->spc = spc;
			return;
		}
		/* Too few clusters already: larger ones make fewer. */
		if (p->ncl < 4085 && p->fat != 12)
			break;
	}
	fail("size", "%llu bytes cannot hold a FAT%d with %u-byte sectors "
	    "(FAT12 up to 4084 clusters, FAT16 4085 to 65524, FAT32 from "
	    "65525)", (unsigned long long)p->bytes, p->fat, p->bps);
}

static void
pwrite_all(int fd, const void *b, size_t n, uint64_t off, const char *img)
{
	if (pwrite(fd, b, n, (off_t)off) != (ssize_t)n)
		fail(img, "write at %llu: %s", (unsigned long long)off,
		    strerror(errno));
}

static void
zero(int fd, uint64_t off, uint64_t n, const char *img)
{
	static unsigned char z[65536];

	while (n > 0) {
		size_t k = n > sizeof(z) ? sizeof(z) : (size_t)n;
		pwrite_all(fd, z, k, off, img);
		off += k;
		n -= k;
	}
}

static void
bootsector(const struct params *p, unsigned char *b, uint32_t volid)
{
	memset(b, 0, p->bps);
	b[0] = 0xEB;
	b[1] = p->fat == 32 ? 0x58 : 0x3C;
	b[2] = 0x90;
	memcpy(b + 3, "RUMPFAT ", 8);
	put16(b + 11, p->bps);
	b[13] = (unsigned char)p->spc;
	put16(b + 14, p->rsvd);
	b[16] = (unsigned char)p->nfats;
	put16(b + 17, p->rootents);
	if (p->totsec < 65536 && p->fat != 32)
		put16(b + 19, p->totsec);
	else
		put32(b + 32, p->totsec);
	b[21] = 0xF8;
	if (p->fat != 32)
		put16(b + 22, p->fatsz);
	put16(b + 24, 32);
	put16(b + 26, 64);
	if (p->fat == 32) {
		put32(b + 36, p->fatsz);
		put32(b + 44, 2);       /* the root directory's cluster */
		put16(b + 48, 1);       /* FSInfo */
		put16(b + 50, 6);       /* the boot sector's copy */
		b += 28;                /* the rest as FAT12/16, 28 on */
	}
	b[36] = 0x80;
	b[38] = 0x29;
	put32(b + 39, volid);
	memcpy(b + 43, p->label, 11);
	memcpy(b + 54, p->fat == 12 ? "FAT12   " : p->fat == 16 ?
	    "FAT16   " : "FAT32   ", 8);
	/* No boot code: an endless loop where the jump lands. */
	b -= p->fat == 32 ? 28 : 0;
	b[p->fat == 32 ? 0x5A : 0x3E] = 0xEB;
	b[(p->fat == 32 ? 0x5A : 0x3E) + 1] = 0xFE;
	b[510] = 0x55;
	b[511] = 0xAA;
}

static void
writefs(const struct params *p, int fd)
{
	unsigned char *b = calloc(1, p->bps), *f;
	uint64_t fat0 = (uint64_t)p->rsvd * p->bps;
	uint64_t root = fat0 + (uint64_t)p->nfats * p->fatsz * p->bps;
	uint32_t volid = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	uint16_t date, tm;
	struct tm t;
	time_t now = time(NULL);
	uint32_t k;

	if (b == NULL)
		fail(p->image, "out of memory");
	/* Reserved sectors, FATs and the root directory start as zeros. */
	zero(fd, 0, root + (uint64_t)p->rootsecs * p->bps, p->image);
	if (p->fat == 32)
		zero(fd, root, (uint64_t)p->spc * p->bps, p->image);
	bootsector(p, b, volid);
	pwrite_all(fd, b, p->bps, 0, p->image);
	if (p->fat == 32) {
		pwrite_all(fd, b, p->bps, 6ULL * p->bps, p->image);
		memset(b, 0, p->bps);
		put32(b, 0x41615252);
		put32(b + 484, 0x61417272);
		put32(b + 488, p->ncl - 1);     /* the root has one */
		put32(b + 492, 3);
		put32(b + 508, 0xAA550000);
		pwrite_all(fd, b, p->bps, 1ULL * p->bps, p->image);
		pwrite_all(fd, b, p->bps, 7ULL * p->bps, p->image);
	}
	/* FAT[0]: the media byte; FAT[1]: end of chain, clean. */
	memset(b, 0, p->bps);
	f = b;
	if (p->fat == 12) {
		f[0] = 0xF8; f[1] = 0xFF; f[2] = 0xFF;
	} else if (p->fat == 16) {
		put16(f, 0xFFF8);
		put16(f + 2, 0xFFFF);
	} else {
		put32(f, 0x0FFFFFF8);
		put32(f + 4, 0x0FFFFFFF);
		put32(f + 8, 0x0FFFFFFF);       /* the root directory */
	}
	for (k = 0; k < p->nfats; k++)
		pwrite_all(fd, b, p->bps, fat0 + (uint64_t)k * p->fatsz *
		    p->bps, p->image);
	/* The label is also an entry of the root directory. */
	if (memcmp(p->label, "NO NAME    ", 11) != 0) {
		localtime_r(&now, &t);
		date = (uint16_t)((t.tm_year - 80) << 9 | (t.tm_mon + 1) << 5 |
		    t.tm_mday);
		tm = (uint16_t)(t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec / 2);
		memset(b, 0, 32);
		memcpy(b, p->label, 11);
		b[11] = 0x08;
		put16(b + 22, tm);
		put16(b + 24, date);
		pwrite_all(fd, b, 32, root, p->image);
	}
	free(b);
}

static void
setlabel(struct params *p, const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 11)
		fail("label", "\"%s\": not 1 to 11 characters", s);
	memset(p->label, ' ', 11);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 32);
		if (c < 0x20 || c >= 0x7F || strchr("\"*+,./:;<=>?[\\]|", c))
			fail("label", "\"%s\": '%c' is not allowed", s, c);
		p->label[i] = (char)c;
	}
}

int
main(int argc, char **argv)
{
	struct params p;
	struct stat st;
	int ch, fd;
	uint64_t sizearg = 0;
	const char *sizestr = NULL;

	memset(&p, 0, sizeof(p));
	p.bps = 512;
	memcpy(p.label, "NO NAME    ", 11);
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	while ((ch = getopt(argc, argv, "c:F:L:S:s:")) != -1) {
		switch (ch) {
		case 'c':
			p.spc = (uint32_t)number("sectors per cluster", optarg,
			    1);
			if (p.spc == 0 || p.spc > 128 || (p.spc & (p.spc - 1)))
				fail("sectors per cluster", "%s: not a power "
				    "of two from 1 to 128", optarg);
			break;
		case 'F':
			p.fat = atoi(optarg);
			if (strcmp(optarg, "12") != 0 &&
			    strcmp(optarg, "16") != 0 &&
			    strcmp(optarg, "32") != 0)
				fail("FAT type", "%s: not 12, 16 or 32", optarg);
			break;
		case 'L':
			setlabel(&p, optarg);
			break;
		case 'S':
			p.bps = (uint32_t)number("sector size", optarg, 1);
			if (p.bps != 512 && p.bps != 1024 && p.bps != 2048 &&
			    p.bps != 4096)
				fail("sector size", "%s: not 512, 1024, 2048 "
				    "or 4096", optarg);
			break;
		case 's':
			sizestr = optarg;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 1;
	}
	p.image = argv[optind];
	if (p.spc != 0 && (uint64_t)p.spc * p.bps > 65536)
		fail("cluster size", "%u sectors of %u bytes: more than 64 KiB",
		    p.spc, p.bps);
	if (sizestr != NULL) {
		sizearg = number("size", sizestr, p.bps);
		if (sizearg == 0)
			fail("size", "0: empty");
		p.bytes = sizearg;
	} else {
		if (stat(p.image, &st) == -1)
			fail(p.image, "%s (and no -s size given)",
			    strerror(errno));
		p.bytes = (uint64_t)st.st_size;
		if (p.bytes == 0)
			fail(p.image, "empty file and no -s size given");
	}
	geometry(&p);
	if ((fd = open(p.image, O_RDWR | O_CREAT, 0644)) == -1)
		fail(p.image, "%s", strerror(errno));
	if (fstat(fd, &st) == -1)
		fail(p.image, "%s", strerror(errno));
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size <
	    (uint64_t)p.totsec * p.bps && ftruncate(fd,
	    (off_t)((uint64_t)p.totsec * p.bps)) == -1)
		fail(p.image, "cannot extend to %llu bytes: %s",
		    (unsigned long long)p.totsec * p.bps, strerror(errno));
	writefs(&p, fd);
	if (fsync(fd) == -1 || close(fd) == -1)
		fail(p.image, "%s", strerror(errno));
	printf("%s: FAT%d, %u sectors of %u bytes, %u clusters of %u bytes, "
	    "%u FATs of %u sectors\n", p.image, p.fat, p.totsec, p.bps, p.ncl,
	    p.spc * p.bps, p.nfats, p.fatsz);
	return 0;
}
