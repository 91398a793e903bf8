/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Superblocks: byte order, decoding with the checks every later
 * computation relies on, finding the primary or a backup copy, writing
 * it back; and the geometry arithmetic that follows from it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ffsutil.h"

uint16_t
ffsu_get16(const struct ffsu_fs *fs, const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return fs->swap ? __builtin_bswap16(v) : v;
}

uint32_t
ffsu_get32(const struct ffsu_fs *fs, const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return fs->swap ? __builtin_bswap32(v) : v;
}

uint64_t
ffsu_get64(const struct ffsu_fs *fs, const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return fs->swap ? __builtin_bswap64(v) : v;
}

void
ffsu_put16(const struct ffsu_fs *fs, void *p, uint16_t v)
{
	if (fs->swap)
		v = __builtin_bswap16(v);
	memcpy(p, &v, sizeof(v));
}

void
ffsu_put32(const struct ffsu_fs *fs, void *p, uint32_t v)
{
	if (fs->swap)
		v = __builtin_bswap32(v);
	memcpy(p, &v, sizeof(v));
}

void
ffsu_put64(const struct ffsu_fs *fs, void *p, uint64_t v)
{
	if (fs->swap)
		v = __builtin_bswap64(v);
	memcpy(p, &v, sizeof(v));
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

static bool
powerof2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static int
bad(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

int
ffsu_sb_decode(struct ffsu_fs *fs, const void *raw, uint64_t loc, char *why,
    size_t whylen)
{
	const unsigned char *sb = raw;
	struct ffsu_cglayout lay;
	uint32_t magic, ptrsize, linkmax, cs, flags, c;
	uint64_t inofrags, need;

	memcpy(&magic, sb + FS_MAGIC, 4);
	if (magic == FS_UFS1_MAGIC || magic == FS_UFS2_MAGIC)
		fs->swap = false;
	else if (__builtin_bswap32(magic) == FS_UFS1_MAGIC ||
	    __builtin_bswap32(magic) == FS_UFS2_MAGIC) {
		fs->swap = true;
		magic = __builtin_bswap32(magic);
	} else
		return bad(why, whylen, "bad magic number 0x%x", magic);
	fs->ufs2 = magic == FS_UFS2_MAGIC;
	if (fs->ufs2 && ffsu_get64(fs, sb + FS_SBLOCKLOC) != loc)
		return bad(why, whylen, "superblock at byte %llu says it is "
		    "at %llu", (unsigned long long)loc,
		    (unsigned long long)ffsu_get64(fs, sb + FS_SBLOCKLOC));
	memcpy(fs->sb, sb, SBLOCKSIZE);
	fs->sbloc = loc;
#define SB32(f) ffsu_get32(fs, sb + (f))
	fs->sblkno = SB32(FS_SBLKNO);
	fs->cblkno = SB32(FS_CBLKNO);
	fs->iblkno = SB32(FS_IBLKNO);
	fs->dblkno = SB32(FS_DBLKNO);
	fs->ncg = SB32(FS_NCG);
	fs->bsize = SB32(FS_BSIZE);
	fs->fsize = SB32(FS_FSIZE);
	fs->frag = SB32(FS_FRAG);
	fs->fragshift = SB32(FS_FRAGSHIFT);
	fs->fsbtodb = SB32(FS_FSBTODB);
	fs->minfree = SB32(FS_MINFREE);
	fs->sbsize = SB32(FS_SBSIZE);
	fs->nindir = SB32(FS_NINDIR);
	fs->inopb = SB32(FS_INOPB);
	fs->ipg = SB32(FS_IPG);
	fs->fpg = SB32(FS_FPG);
	fs->cgsize = SB32(FS_CGSIZE);
	fs->cssize = SB32(FS_CSSIZE);
	fs->contigsumsize = SB32(FS_CONTIGSUMSIZE);
	fs->maxsymlinklen = SB32(FS_MAXSYMLINKLEN);
	fs->isize = fs->ufs2 ? DINODE2_SIZE : DINODE1_SIZE;
	flags = SB32(FS_FLAGS);
	/* Old UFS1 keeps its sizes and totals in 32-bit fields only. */
	fs->oldfields = !fs->ufs2 && !(flags & FS_FLAGS_UPDATED);
	if (fs->oldfields) {
		fs->size = SB32(FS_OLD_SIZE);
		fs->dsize = SB32(FS_OLD_DSIZE);
		fs->csaddr = SB32(FS_OLD_CSADDR);
		for (cs = 0; cs < 4; cs++)
			fs->cstotal[cs] = (int32_t)SB32(FS_OLD_CSTOTAL + 4 * cs);
	} else {
		fs->size = ffsu_get64(fs, sb + FS_SIZE);
		fs->dsize = ffsu_get64(fs, sb + FS_DSIZE);
		fs->csaddr = ffsu_get64(fs, sb + FS_CSADDR);
		for (cs = 0; cs < 4; cs++)
			fs->cstotal[cs] = (int64_t)ffsu_get64(fs,
			    sb + FS_CSTOTAL + 8 * cs);
	}

	ptrsize = fs->ufs2 ? 8 : 4;
	linkmax = fs->ufs2 ? UFS2_SHORTLINK : UFS1_SHORTLINK;
	if (!powerof2(fs->bsize) || fs->bsize < 4096 || fs->bsize > 65536 ||
	    SB32(FS_BMASK) != ~(fs->bsize - 1) ||
	    SB32(FS_BSHIFT) != (uint32_t)ilog2(fs->bsize))
		return bad(why, whylen, "block size %u", fs->bsize);
	if (!powerof2(fs->fsize) || fs->fsize < 512 ||
	    fs->fsize > fs->bsize || fs->bsize / fs->fsize > 8 ||
	    SB32(FS_FMASK) != ~(fs->fsize - 1) ||
	    SB32(FS_FSHIFT) != (uint32_t)ilog2(fs->fsize))
		return bad(why, whylen, "fragment size %u for block size %u",
		    fs->fsize, fs->bsize);
	if (fs->frag != fs->bsize / fs->fsize ||
	    fs->fragshift != (uint32_t)ilog2(fs->frag) ||
	    fs->fsbtodb != (uint32_t)ilog2(fs->fsize) - 9)
		return bad(why, whylen, "inconsistent block geometry");
	if (fs->nindir != fs->bsize / ptrsize ||
	    fs->inopb != fs->bsize / fs->isize)
		return bad(why, whylen, "%u pointers, %u inodes per block",
		    fs->nindir, fs->inopb);
	if (fs->sbsize == 0 || fs->sbsize > SBLOCKSIZE)
		return bad(why, whylen, "superblock size %u", fs->sbsize);
	if (fs->ncg == 0 || fs->ipg == 0 || fs->ipg % fs->inopb != 0)
		return bad(why, whylen, "%u groups of %u inodes", fs->ncg,
		    fs->ipg);
	fs->maxino = (uint64_t)fs->ncg * fs->ipg;
	if (fs->maxino > (1ULL << 32))
		return bad(why, whylen, "%llu inodes",
		    (unsigned long long)fs->maxino);
	if (fs->fpg < fs->frag || fs->fpg % fs->frag != 0)
		return bad(why, whylen, "%u frags per group", fs->fpg);
	fs->cgoffset = fs->ufs2 ? 0 : SB32(FS_OLD_CGOFFSET);
	fs->cgmask = fs->ufs2 ? UINT32_MAX : SB32(FS_OLD_CGMASK);
	if (fs->cgoffset >= fs->fpg)
		return bad(why, whylen, "group offset %u", fs->cgoffset);
	inofrags = (uint64_t)fs->ipg / fs->inopb * fs->frag;
	if (fs->sblkno < ffsu_nfrags(fs, loc) ||
	    fs->sblkno % fs->frag != 0 ||
	    fs->cblkno < fs->sblkno + ffsu_nfrags(fs, SBLOCKSIZE) ||
	    fs->iblkno % fs->frag != 0 ||
	    fs->iblkno < fs->cblkno + ffsu_nfrags(fs, fs->cgsize) ||
	    fs->iblkno + inofrags > fs->dblkno || fs->dblkno > fs->fpg)
		return bad(why, whylen, "group layout: superblock at %u, "
		    "header at %u, inodes at %u, data at %u", fs->sblkno,
		    fs->cblkno, fs->iblkno, fs->dblkno);
	need = ffsu_cg_layout(fs->ufs2, fs->ipg, fs->fpg, fs->frag,
	    fs->contigsumsize, &lay);
	if (fs->contigsumsize > FS_MAXCONTIGSUM || fs->cgsize < need ||
	    fs->cgsize > fs->bsize)
		return bad(why, whylen, "group header size %u (maps need %llu)",
		    fs->cgsize, (unsigned long long)need);
	if (fs->size == 0 || fs->size > fs->imgbytes / fs->fsize)
		return bad(why, whylen, "%llu frags of %u bytes in an image of "
		    "%llu bytes", (unsigned long long)fs->size, fs->fsize,
		    (unsigned long long)fs->imgbytes);
	if (fs->dsize > fs->size)
		return bad(why, whylen, "%llu data frags of %llu",
		    (unsigned long long)fs->dsize,
		    (unsigned long long)fs->size);
	if ((fs->size + fs->fpg - 1) / fs->fpg != fs->ncg)
		return bad(why, whylen, "%u groups for %llu frags", fs->ncg,
		    (unsigned long long)fs->size);
	for (c = 0; c < fs->ncg; c++)
		if (ffsu_cgdmin(fs, c) > fs->size)
			return bad(why, whylen, "inodes of group %u past the "
			    "end", c);
	if (fs->cssize < fs->ncg * 16u || fs->csaddr < fs->dblkno ||
	    fs->csaddr + ffsu_nfrags(fs, fs->cssize) > ffsu_cgndblk(fs, 0))
		return bad(why, whylen, "group summaries of %u bytes at %llu",
		    fs->cssize, (unsigned long long)fs->csaddr);
	if (fs->maxsymlinklen > linkmax ||
	    (!fs->ufs2 && SB32(FS_OLD_INODEFMT) != FS_44INODEFMT))
		return bad(why, whylen, "short symlinks of %u bytes (or a "
		    "pre-4.4BSD inode format)", fs->maxsymlinklen);
#undef SB32
	return 0;
}

/* The standard places, in the order NetBSD's kernel tries them. */
static const uint64_t sblocks[] = { SBLOCK_UFS2, SBLOCK_UFS1, SBLOCK_PIGGY };

int
ffsu_open(struct ffsu_fs *fs, const char *path, bool rw, char *why,
    size_t whylen)
{
	unsigned char raw[SBLOCKSIZE];
	struct stat st;
	char first[160] = "";
	size_t i;

	memset(fs, 0, sizeof(*fs));
	if ((fs->fd = open(path, rw ? O_RDWR : O_RDONLY)) == -1)
		return bad(why, whylen, "%s", strerror(errno));
	if (fstat(fs->fd, &st) == -1) {
		bad(why, whylen, "%s", strerror(errno));
		close(fs->fd);
		fs->fd = -1;
		return -1;
	}
	fs->imgbytes = (uint64_t)st.st_size;
	for (i = 0; i < sizeof(sblocks) / sizeof(sblocks[0]); i++) {
		if (sblocks[i] + SBLOCKSIZE > fs->imgbytes)
			continue;
		if (ffsu_pread(fs, raw, sizeof(raw), sblocks[i]) != 0)
			break;
		if (ffsu_sb_decode(fs, raw, sblocks[i], why, whylen) == 0)
			return 0;
		/* Remember the reason of the likeliest candidate. */
		if (first[0] == '\0' || strncmp(why, "bad magic", 9) != 0)
			snprintf(first, sizeof(first), "at byte %llu: %s",
			    (unsigned long long)sblocks[i], why);
	}
	snprintf(why, whylen, "no valid superblock (%s)",
	    first[0] != '\0' ? first : "image too small");
	return -1;
}

uint64_t
ffsu_find_alt(struct ffsu_fs *fs)
{
	static const uint64_t bases[] = { SBLOCK_UFS2, SBLOCK_UFS1 };
	unsigned char raw[SBLOCKSIZE];
	char why[160];
	uint64_t loc, fsize, frag;
	size_t b;

	for (b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		for (fsize = 512; fsize <= 65536; fsize *= 2) {
			for (frag = 1; frag <= 8; frag *= 2) {
				if (fsize * frag < 4096 || fsize * frag > 65536)
					continue;
				/* Group 0's copy: the first block past the primary. */
				loc = (bases[b] + SBLOCKSIZE + fsize - 1) / fsize;
				loc = (loc + frag - 1) / frag * frag * fsize;
				if (loc + SBLOCKSIZE > fs->imgbytes ||
				    ffsu_pread(fs, raw, sizeof(raw), loc) != 0)
					continue;
				if (ffsu_sb_decode(fs, raw, bases[b], why,
				    sizeof(why)) == 0 &&
				    (uint64_t)fs->sblkno * fs->fsize == loc)
					return loc;
			}
		}
	}
	return 0;
}

int
ffsu_sb_write(struct ffsu_fs *fs, uint64_t loc)
{
	unsigned char *sb = fs->sb;
	int cs;

	for (cs = 0; cs < 4; cs++) {
		ffsu_put64(fs, sb + FS_CSTOTAL + 8 * cs, (uint64_t)fs->cstotal[cs]);
		if (!fs->ufs2)
			ffsu_put32(fs, sb + FS_OLD_CSTOTAL + 4 * cs,
			    (uint32_t)fs->cstotal[cs]);
	}
	return ffsu_pwrite(fs, sb, SBLOCKSIZE, loc);
}

uint64_t
ffsu_cgbase(const struct ffsu_fs *fs, uint32_t c)
{
	return (uint64_t)fs->fpg * c;
}

/* UFS1 groups may stagger their metadata from the group's base. */
uint64_t
ffsu_cgstart(const struct ffsu_fs *fs, uint32_t c)
{
	return ffsu_cgbase(fs, c) + (uint64_t)fs->cgoffset *
	    (c & ~fs->cgmask);
}

uint64_t
ffsu_cgsblock(const struct ffsu_fs *fs, uint32_t c)
{
	return ffsu_cgstart(fs, c) + fs->sblkno;
}

uint64_t
ffsu_cgtod(const struct ffsu_fs *fs, uint32_t c)
{
	return ffsu_cgstart(fs, c) + fs->cblkno;
}

uint64_t
ffsu_cgimin(const struct ffsu_fs *fs, uint32_t c)
{
	return ffsu_cgstart(fs, c) + fs->iblkno;
}

uint64_t
ffsu_cgdmin(const struct ffsu_fs *fs, uint32_t c)
{
	return ffsu_cgstart(fs, c) + fs->dblkno;
}

uint32_t
ffsu_cgndblk(const struct ffsu_fs *fs, uint32_t c)
{
	uint64_t left = fs->size - ffsu_cgbase(fs, c);

	return left < fs->fpg ? (uint32_t)left : fs->fpg;
}

uint64_t
ffsu_ino_offset(const struct ffsu_fs *fs, uint64_t ino)
{
	uint32_t c = (uint32_t)(ino / fs->ipg);

	return ffsu_cgimin(fs, c) * fs->fsize + (ino % fs->ipg) * fs->isize;
}
