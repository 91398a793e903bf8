/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * newfs: make an empty FFS (UFS1 or UFS2) in an image file.
 *
 * The work is in three steps: settle the parameters (sizes, defaults
 * by image size), derive the geometry (frags per group as large as a
 * one-block group header allows, inodes per group from the density,
 * where each group's superblock copy, header, inodes and data go), and
 * write: every group's header and maps, zeroed inodes and a superblock
 * copy, the group summaries, the root directory, the superblock.
 * Areas of the file that were created by extending it are already zero
 * and are not written (unless -F), so the image stays sparse.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ffsutil.h"

#define ROUNDUP(a, b) (((a) + (b) - 1) / (b) * (b))
#define HOWMANY(a, b) (((a) + (b) - 1) / (b))
#define MAXPHYS       65536
#define DT_DIR        4
#define MINCG         4               /* groups, if large enough */
#define MINCGBYTES    (1ULL << 20)

struct params {
	int version;
	uint32_t bsize, fsize;
	uint64_t bytes;         /* 0: the file's size */
	bool bigendian;
	uint64_t density;       /* bytes of data per inode, 0: default */
	uint32_t minfree;
	const char *label;
	bool noop, full;
	const char *image;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: newfs [-nF] [-O 1|2] [-b bsize] [-f fsize] "
	    "[-s size[b|k|m|g|t]] [-B be|le]\n"
	    "             [-i bytes-per-inode] [-m minfree%%] [-L label] "
	    "image\n"
	    "Make an empty FFS file system in the image file (created or "
	    "extended to -s).\n"
	    "  -O 1|2   UFS1 or UFS2 (default 2)\n"
	    "  -b, -f   block size 4096..65536, fragment size bsize/8..bsize\n"
	    "  -s size  512-byte sectors, or bytes with a b/k/m/g/t suffix\n"
	    "  -B be|le byte order (default: the host's)\n"
	    "  -i n     bytes of data per inode (default 4 fragments)\n"
	    "  -m n     percent of space kept free (default 5)\n"
	    "  -L label volume label\n"
	    "  -n       print the geometry, write nothing\n"
	    "  -F       write every byte of the image (no sparse holes)\n");
}

static void __attribute__((noreturn, format(printf, 2, 3)))
fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "newfs: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t
number(const char *what, const char *s, bool sectors)
{
	char *end;
	unsigned long long v;
	uint64_t mult = sectors ? 512 : 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		fail(what, "%s: not a number", s);
	if (sectors && *end != '\0' && end[1] == '\0') {
		switch (*end) {
		case 'b': case 'B': mult = 1; break;
		case 's': case 'S': mult = 512; break;
		case 'k': case 'K': mult = 1ULL << 10; break;
		case 'm': case 'M': mult = 1ULL << 20; break;
		case 'g': case 'G': mult = 1ULL << 30; break;
		case 't': case 'T': mult = 1ULL << 40; break;
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

static bool
powerof2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static int
ilog2(uint64_t v)
{
	int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

/* Default block and fragment sizes by file system size. */
static void
sizes(struct params *p)
{
	uint32_t fsize;

	if (p->bytes < 20ULL << 20)
		fsize = 512;
	else if (p->bytes < 1ULL << 30)
		fsize = 2048;
	else
		fsize = 4096;
	if (p->bsize == 0 && p->fsize == 0) {
		p->fsize = fsize;
		p->bsize = fsize * 8;
	} else if (p->bsize == 0)
		p->bsize = p->fsize * 8 > 65536 ? 65536 :
		    (p->fsize * 8 < 4096 ? 4096 : p->fsize * 8);
	else if (p->fsize == 0)
		p->fsize = p->bsize / 8 < 512 ? 512 : p->bsize / 8;
	if (!powerof2(p->bsize) || p->bsize < 4096 || p->bsize > 65536)
		fail("block size", "%u: not a power of two from 4096 to 65536",
		    p->bsize);
	if (!powerof2(p->fsize) || p->fsize < 512 || p->fsize > p->bsize ||
	    p->bsize / p->fsize > 8)
		fail("fragment size", "%u: not a power of two from %u to %u "
		    "(block size / 8 .. block size)", p->fsize,
		    p->bsize / 8 < 512 ? 512 : p->bsize / 8, p->bsize);
}

/* Inodes of a group of fpg frags. */
static uint32_t
ipgfor(const struct ffsu_fs *fs, uint64_t fpg, uint64_t density)
{
	uint64_t ipg = ROUNDUP(HOWMANY(fpg * fs->fsize, density),
	    fs->inopb);

	if (ipg < fs->inopb)
		ipg = fs->inopb;
	if (ipg > UINT32_MAX / 2)
		ipg = UINT32_MAX / 2 / fs->inopb * fs->inopb;
	return (uint32_t)ipg;
}

/* The geometry of a file system of p->bytes; fs->sb not yet filled. */
static void
geometry(const struct params *p, struct ffsu_fs *fs)
{
	struct ffsu_cglayout lay;
	uint64_t nfrags, fpg, density, last, csfrags, quarter;
	uint32_t ipg = 0;

	fs->ufs2 = p->version == 2;
	fs->swap = p->bigendian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	fs->sbloc = fs->ufs2 ? SBLOCK_UFS2 : SBLOCK_UFS1;
	fs->bsize = p->bsize;
	fs->fsize = p->fsize;
	fs->frag = p->bsize / p->fsize;
	fs->fragshift = (uint32_t)ilog2(fs->frag);
	fs->fsbtodb = (uint32_t)ilog2(fs->fsize) - 9;
	fs->isize = fs->ufs2 ? DINODE2_SIZE : DINODE1_SIZE;
	fs->inopb = fs->bsize / fs->isize;
	fs->nindir = fs->bsize / (fs->ufs2 ? 8 : 4);
	fs->minfree = p->minfree;
	fs->contigsumsize = MAXPHYS / fs->bsize < FS_MAXCONTIGSUM ?
	    MAXPHYS / fs->bsize : FS_MAXCONTIGSUM;
	fs->maxsymlinklen = fs->ufs2 ? UFS2_SHORTLINK : UFS1_SHORTLINK;
	fs->cgmask = UINT32_MAX;
	density = p->density != 0 ? p->density : 4ULL * fs->fsize;
	nfrags = p->bytes / fs->fsize;

	fs->sblkno = (uint32_t)ROUNDUP(HOWMANY(fs->sbloc + SBLOCKSIZE,
	    fs->fsize), fs->frag);
	fs->cblkno = fs->sblkno + (uint32_t)ROUNDUP(HOWMANY(SBLOCKSIZE,
	    fs->fsize), fs->frag);
	/*
	 * Frags per group: as many as a one-block header's maps can
	 * describe, no more than the file system has.
	 */
	fpg = (uint64_t)fs->bsize * 8 / fs->frag * fs->frag;
	if (fpg > ROUNDUP(nfrags, fs->frag))
		fpg = ROUNDUP(nfrags, fs->frag);
	/* At least four groups, when each still gets a MiB. */
	quarter = ROUNDUP(HOWMANY(nfrags, MINCG), fs->frag);
	if (quarter < fpg && quarter * fs->fsize >= MINCGBYTES)
		fpg = quarter;
	for (; fpg >= fs->frag; fpg -= fs->frag) {
		ipg = ipgfor(fs, fpg, density);
		if (ffsu_cg_layout(fs->ufs2, ipg, (uint32_t)fpg, fs->frag,
		    fs->contigsumsize, &lay) <= fs->bsize)
			break;
	}
	if (fpg < fs->frag)
		fail("geometry", "no group layout fits a block of %u bytes",
		    fs->bsize);
	fs->fpg = (uint32_t)fpg;
	fs->ipg = ipg;
	fs->cgsize = (uint32_t)ROUNDUP(lay.nextfreeoff, fs->fsize);
	fs->iblkno = fs->cblkno + (uint32_t)ROUNDUP(HOWMANY(fs->cgsize,
	    fs->fsize), fs->frag);
	fs->dblkno = fs->iblkno + fs->ipg / fs->inopb * fs->frag;
	fs->ncg = (uint32_t)HOWMANY(nfrags, fs->fpg);
	/* A last group without room for a block of data is dropped. */
	last = nfrags - (uint64_t)(fs->ncg - 1) * fs->fpg;
	if (fs->ncg > 1 && last < fs->dblkno + fs->frag) {
		fs->ncg--;
		nfrags = (uint64_t)fs->ncg * fs->fpg;
	}
	fs->cssize = (uint32_t)ROUNDUP(fs->ncg * 16ULL, fs->fsize);
	csfrags = fs->cssize / fs->fsize;
	/* Group 0 holds the summaries and the root directory. */
	if (nfrags < fs->dblkno + csfrags + fs->frag)
		fail("size", "%llu bytes is too small for a file system with "
		    "%u-byte blocks (at least %llu)",
		    (unsigned long long)p->bytes, fs->bsize,
		    (unsigned long long)(fs->dblkno + csfrags + fs->frag) *
		    fs->fsize);
	if ((uint64_t)fs->ncg * fs->ipg > UINT32_MAX)
		fail("inodes", "%llu inodes: more than 32-bit numbers hold",
		    (unsigned long long)fs->ncg * fs->ipg);
	if (!fs->ufs2 && nfrags > INT32_MAX)
		fail("size", "%llu fragments: too many for UFS1",
		    (unsigned long long)nfrags);
	fs->size = nfrags;
	fs->csaddr = fs->dblkno;
	fs->dsize = nfrags - fs->sblkno - (uint64_t)fs->ncg *
	    (fs->dblkno - fs->sblkno) - csfrags;
	fs->maxino = (uint64_t)fs->ncg * fs->ipg;
	fs->sbsize = (uint32_t)ROUNDUP(FS_STRUCTSIZE, fs->fsize);
	if (fs->sbsize > SBLOCKSIZE)
		fs->sbsize = SBLOCKSIZE;
}

/* The superblock's raw image, totals not yet in. */
static void
superblock(const struct params *p, struct ffsu_fs *fs, int64_t now)
{
	unsigned char *sb = fs->sb;
	uint64_t n = fs->nindir, maxfile, spc;
	uint32_t rnd;

	memset(sb, 0, sizeof(fs->sb));
#define P32(f, v) ffsu_put32(fs, sb + (f), (uint32_t)(v))
#define P64(f, v) ffsu_put64(fs, sb + (f), (uint64_t)(v))
	P32(FS_SBLKNO, fs->sblkno);
	P32(FS_CBLKNO, fs->cblkno);
	P32(FS_IBLKNO, fs->iblkno);
	P32(FS_DBLKNO, fs->dblkno);
	P32(FS_NCG, fs->ncg);
	P32(FS_BSIZE, fs->bsize);
	P32(FS_FSIZE, fs->fsize);
	P32(FS_FRAG, fs->frag);
	P32(FS_MINFREE, fs->minfree);
	P32(FS_BMASK, ~(fs->bsize - 1));
	P32(FS_FMASK, ~(fs->fsize - 1));
	P32(FS_BSHIFT, ilog2(fs->bsize));
	P32(FS_FSHIFT, ilog2(fs->fsize));
	P32(FS_MAXCONTIG, MAXPHYS / fs->bsize > 1 ? MAXPHYS / fs->bsize : 1);
	P32(FS_MAXBPG, fs->bsize / 4);
	P32(FS_FRAGSHIFT, fs->fragshift);
	P32(FS_FSBTODB, fs->fsbtodb);
	P32(FS_SBSIZE, fs->sbsize);
	P32(FS_NINDIR, fs->nindir);
	P32(FS_INOPB, fs->inopb);
	P32(FS_OPTIM, 0);
	rnd = (uint32_t)random();
	P32(FS_ID, (uint32_t)now);
	P32(FS_ID + 4, rnd);
	P32(FS_CSSIZE, fs->cssize);
	P32(FS_CGSIZE, fs->cgsize);
	P32(FS_IPG, fs->ipg);
	P32(FS_FPG, fs->fpg);
	sb[FS_CLEAN] = FS_ISCLEAN;
	sb[FS_OLD_FLAGS] = FS_FLAGS_UPDATED;
	if (p->label != NULL)
		memcpy(sb + FS_VOLNAME, p->label, strlen(p->label));
	P32(FS_MAXBSIZE, fs->bsize);
	P64(FS_SBLOCKLOC, fs->sbloc);
	P64(FS_TIME, now);
	P64(FS_SIZE, fs->size);
	P64(FS_DSIZE, fs->dsize);
	P64(FS_CSADDR, fs->csaddr);
	P32(FS_AVGFILESIZE, 16384);
	P32(FS_AVGFPDIR, 64);
	P32(FS_CONTIGSUMSIZE, fs->contigsumsize);
	P32(FS_MAXSYMLINKLEN, fs->maxsymlinklen);
	P32(FS_OLD_INODEFMT, FS_44INODEFMT);
	maxfile = (uint64_t)fs->bsize * (UFS_NDADDR + n + n * n + n * n * n) - 1;
	P64(FS_MAXFILESIZE, maxfile);
	P64(FS_QBMASK, fs->bsize - 1);
	P64(FS_QFMASK, fs->fsize - 1);
	P32(FS_MAGIC, fs->ufs2 ? FS_UFS2_MAGIC : FS_UFS1_MAGIC);
	if (!fs->ufs2) {
		/* One cylinder per group, as makefs describes UFS1. */
		spc = (uint64_t)fs->fpg << fs->fsbtodb;
		P32(FS_OLD_CGMASK, UINT32_MAX);
		P32(FS_OLD_TIME, now);
		P32(FS_OLD_SIZE, fs->size);
		P32(FS_OLD_DSIZE, fs->dsize);
		P32(FS_OLD_RPS, 60);
		P32(FS_OLD_NSPF, 1u << fs->fsbtodb);
		P32(FS_OLD_NPSECT, spc);
		P32(FS_OLD_INTERLEAVE, 1);
		P32(FS_OLD_CSADDR, fs->csaddr);
		P32(FS_OLD_NSECT, spc);
		P32(FS_OLD_SPC, spc);
		P32(FS_OLD_NCYL, fs->ncg);
		P32(FS_OLD_CPG, 1);
		P32(FS_OLD_POSTBLFMT, 1);
		P32(FS_OLD_NRPOS, 1);
	}
#undef P32
#undef P64
}

struct image {
	struct ffsu_fs *fs;
	uint64_t oldsize;       /* bytes from here on read as zero */
	bool full;
};

/* Zero a range, skipping what a fresh extension already made zero. */
static void
zero(struct image *im, uint64_t off, uint64_t len)
{
	static unsigned char zeros[1 << 16];
	uint64_t n;

	if (!im->full) {
		if (off >= im->oldsize)
			return;
		if (off + len > im->oldsize)
			len = im->oldsize - off;
	}
	while (len > 0) {
		n = len < sizeof(zeros) ? len : sizeof(zeros);
		if (ffsu_pwrite(im->fs, zeros, (size_t)n, off) != 0)
			fail("write", "%s", strerror(errno));
		off += n;
		len -= n;
	}
}

static void
put(struct image *im, const void *buf, size_t len, uint64_t off)
{
	if (ffsu_pwrite(im->fs, buf, len, off) != 0)
		fail("write", "%s", strerror(errno));
}

/*
 * Group c's header as newfs leaves it: every data frag free but, in
 * group 0, the summaries' and the root directory's; inodes 0 and 1
 * (never files) and the root in use.
 */
static void
buildcg(const struct ffsu_fs *fs, uint32_t c, unsigned char *cg, int64_t now)
{
	struct ffsu_cglayout lay;
	uint64_t f, ndblk = ffsu_cgndblk(fs, c);
	uint64_t first = fs->csaddr + fs->cssize / fs->fsize + 1;
	uint32_t i;

	(void)ffsu_cg_layout(fs->ufs2, fs->ipg, fs->fpg, fs->frag,
	    fs->contigsumsize, &lay);
	ffsu_cg_init(fs, c, cg, now);
	for (f = c == 0 ? first : 0; f < ndblk; f++)
		if (c == 0 || f < fs->sblkno || f >= fs->dblkno)
			ffsu_setbit(cg + lay.freeoff, f);
	if (c == 0)
		for (i = 0; i <= UFS_ROOTINO; i++)
			ffsu_setbit(cg + lay.iusedoff, i);
	ffsu_cg_summarize(fs, cg, c == 0 ? 1 : 0);
}

/* The totals writing would leave, for -n. */
static void
totals(struct ffsu_fs *fs, int64_t now)
{
	unsigned char *cg;
	uint32_t c, i;

	if ((cg = malloc(fs->cgsize)) == NULL)
		fail("memory", "%s", strerror(errno));
	for (c = 0; c < fs->ncg; c++) {
		buildcg(fs, c, cg, now);
		for (i = 0; i < 4; i++)
			fs->cstotal[i] += ffsu_get32(fs, cg + CG_CS + 4 * i);
	}
	free(cg);
}

static void
writefs(struct image *im, int64_t now)
{
	struct ffsu_fs *fs = im->fs;
	unsigned char *cg, *csum, *blk, ino[DINODE2_SIZE];
	struct ffsu_dinode di;
	uint64_t csfrags = fs->cssize / fs->fsize, rootfrag;
	int64_t tot[4] = { 0, 0, 0, 0 };
	uint32_t c, i;
	size_t s;
	static const uint64_t stale[] = { SBLOCK_UFS1, SBLOCK_UFS2,
		SBLOCK_PIGGY };

	/* Old superblocks elsewhere must not be found instead. */
	for (s = 0; s < sizeof(stale) / sizeof(stale[0]); s++)
		if (stale[s] != fs->sbloc &&
		    stale[s] + SBLOCKSIZE <= fs->size * fs->fsize)
			zero(im, stale[s], SBLOCKSIZE);
	if ((cg = malloc(fs->cgsize)) == NULL ||
	    (csum = calloc(1, fs->cssize)) == NULL ||
	    (blk = calloc(1, fs->fsize)) == NULL)
		fail("memory", "%s", strerror(errno));
	rootfrag = fs->csaddr + csfrags;
	for (c = 0; c < fs->ncg; c++) {
		buildcg(fs, c, cg, now);
		for (i = 0; i < 4; i++) {
			uint32_t v = ffsu_get32(fs, cg + CG_CS + 4 * i);

			tot[i] += v;
			ffsu_put32(fs, csum + 16 * c + 4 * i, v);
		}
		zero(im, ffsu_cgimin(fs, c) * fs->fsize,
		    (uint64_t)fs->ipg * fs->isize);
		put(im, cg, fs->cgsize, ffsu_cgtod(fs, c) * fs->fsize);
	}
	memcpy(fs->cstotal, tot, sizeof(tot));
	put(im, csum, fs->cssize, fs->csaddr * fs->fsize);

	/* The root directory: "." and "..", both itself. */
	ffsu_put32(fs, blk + DIR_INO, UFS_ROOTINO);
	ffsu_put16(fs, blk + DIR_RECLEN, DIRSIZ(1));
	blk[DIR_TYPE] = DT_DIR;
	blk[DIR_NAMLEN] = 1;
	blk[DIR_NAME] = '.';
	ffsu_put32(fs, blk + DIRSIZ(1) + DIR_INO, UFS_ROOTINO);
	ffsu_put16(fs, blk + DIRSIZ(1) + DIR_RECLEN, DIRBLKSIZ - DIRSIZ(1));
	blk[DIRSIZ(1) + DIR_TYPE] = DT_DIR;
	blk[DIRSIZ(1) + DIR_NAMLEN] = 2;
	memcpy(blk + DIRSIZ(1) + DIR_NAME, "..", 2);
	put(im, blk, fs->fsize, rootfrag * fs->fsize);
	memset(ino, 0, sizeof(ino));
	memset(&di, 0, sizeof(di));
	di.mode = IFDIR | 0755;
	di.nlink = 2;
	di.size = DIRBLKSIZ;
	di.blocks = fs->fsize / 512;
	di.db[0] = (int64_t)rootfrag;
	di.atime = di.mtime = di.ctime = di.birthtime = now;
	di.gen = (uint32_t)random();
	ffsu_dinode_encode(fs, &di, ino);
	if (ffsu_inode_write(fs, UFS_ROOTINO, ino) != 0)
		fail("write", "%s", strerror(errno));

	/* Backups first: the primary makes it a file system. */
	for (c = 0; c < fs->ncg; c++)
		if (ffsu_sb_write(fs, ffsu_cgsblock(fs, c) * fs->fsize) != 0)
			fail("write", "%s", strerror(errno));
	if (ffsu_sb_write(fs, fs->sbloc) != 0)
		fail("write", "%s", strerror(errno));
	free(cg);
	free(csum);
	free(blk);
}

static void
report(const struct params *p, const struct ffsu_fs *fs)
{
	uint32_t c;
	uint64_t bytes = fs->size * fs->fsize;

	printf("%s: %.1fMB (%llu sectors) block size %u, fragment size %u\n",
	    p->image, bytes / 1048576.0, (unsigned long long)(bytes / 512),
	    fs->bsize, fs->fsize);
	printf("\tusing %u cylinder groups of %.2fMB, %u blks, %u inodes.\n",
	    fs->ncg, (double)fs->fpg * fs->fsize / 1048576.0,
	    fs->fpg / fs->frag, fs->ipg);
	printf("super-block backups (for fsck_ffs -b #) at:\n");
	for (c = 0; c < fs->ncg; c++)
		printf(" %llu%s", (unsigned long long)(ffsu_cgsblock(fs, c) <<
		    fs->fsbtodb), c + 1 == fs->ncg || c % 8 == 7 ? "\n" : ",");
	printf("UFS%d %s-endian: %llu data frags, %llu free frags, "
	    "%llu inodes, %llu free inodes, %llu dirs\n", p->version,
	    p->bigendian ? "big" : "little", (unsigned long long)fs->dsize,
	    (unsigned long long)(fs->cstotal[CS_NBFREE] * fs->frag +
	    fs->cstotal[CS_NFFREE]),
	    (unsigned long long)fs->maxino,
	    (unsigned long long)fs->cstotal[CS_NIFREE],
	    (unsigned long long)fs->cstotal[CS_NDIR]);
}

int
main(int argc, char **argv)
{
	struct params p = { .version = 2, .minfree = 5,
		.bigendian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ };
	struct ffsu_fs fs;
	struct image im = { .fs = &fs };
	struct stat st;
	int64_t now;
	int ch, fd;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	while ((ch = getopt(argc, argv, "B:b:Ff:i:L:m:nO:s:")) != -1) {
		switch (ch) {
		case 'B':
			if (strcmp(optarg, "be") == 0 ||
			    strcmp(optarg, "big") == 0)
				p.bigendian = true;
			else if (strcmp(optarg, "le") == 0 ||
			    strcmp(optarg, "little") == 0)
				p.bigendian = false;
			else
				fail("byte order", "%s: not be or le", optarg);
			break;
		case 'b':
			p.bsize = (uint32_t)number("block size", optarg, false);
			if (p.bsize == 0)
				fail("block size", "0: not a power of two "
				    "from 4096 to 65536");
			break;
		case 'F':
			p.full = true;
			break;
		case 'f':
			p.fsize = (uint32_t)number("fragment size", optarg,
			    false);
			if (p.fsize == 0)
				fail("fragment size", "0: not a power of two");
			break;
		case 'i':
			p.density = number("bytes per inode", optarg, false);
			if (p.density < 512)
				fail("bytes per inode", "%s: less than 512",
				    optarg);
			break;
		case 'L':
			if (strlen(optarg) >= FS_VOLNAMELEN)
				fail("label", "%s: longer than %d bytes",
				    optarg, FS_VOLNAMELEN - 1);
			p.label = optarg;
			break;
		case 'm':
			p.minfree = (uint32_t)number("minfree", optarg, false);
			if (p.minfree > 99)
				fail("minfree", "%s: not a percentage below "
				    "100", optarg);
			break;
		case 'n':
			p.noop = true;
			break;
		case 'O':
			if (strcmp(optarg, "1") == 0)
				p.version = 1;
			else if (strcmp(optarg, "2") == 0)
				p.version = 2;
			else
				fail("format", "%s: not 1 or 2", optarg);
			break;
		case 's':
			p.bytes = number("size", optarg, true);
			if (p.bytes == 0)
				fail("size", "0: empty");
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
	if (p.bytes == 0) {
		if (stat(p.image, &st) == -1)
			fail(p.image, "%s (and no -s size given)",
			    strerror(errno));
		p.bytes = (uint64_t)st.st_size;
		if (p.bytes == 0)
			fail(p.image, "empty file and no -s size given");
	}
	sizes(&p);
	memset(&fs, 0, sizeof(fs));
	geometry(&p, &fs);
	now = time(NULL);
	srandom((unsigned)now ^ (unsigned)getpid());
	superblock(&p, &fs, now);
	if (p.noop) {
		totals(&fs, now);
		report(&p, &fs);
		return 0;
	}
	if ((fd = open(p.image, O_RDWR | O_CREAT, 0644)) == -1)
		fail(p.image, "%s", strerror(errno));
	if (fstat(fd, &st) == -1)
		fail(p.image, "%s", strerror(errno));
	fs.fd = fd;
	im.oldsize = (uint64_t)st.st_size;
	im.full = p.full;
	if (S_ISREG(st.st_mode) && im.oldsize < fs.size * fs.fsize) {
		if (ftruncate(fd, (off_t)(fs.size * fs.fsize)) == -1)
			fail(p.image, "cannot extend to %llu bytes: %s",
			    (unsigned long long)(fs.size * fs.fsize),
			    strerror(errno));
		if (p.full)
			zero(&im, im.oldsize, fs.size * fs.fsize -
			    im.oldsize);
	} else if (!S_ISREG(st.st_mode))
		im.oldsize = UINT64_MAX;
	writefs(&im, now);
	if (fsync(fd) == -1 || close(fd) == -1)
		fail(p.image, "%s", strerror(errno));
	report(&p, &fs);
	return 0;
}
