/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A host-side consistency check of an FFS image, for the write tests
 * (h_ffs.h): every count the kernel keeps must equal what the maps and
 * the inodes say.  Per group: free blocks, free frags, free-run counts,
 * the cluster map and its counts, free inodes and directories, against
 * the group header and the summary area; their sums against the
 * superblock; every frag an inode references (data and indirect) must
 * be marked used and referenced once, every frag marked used must be
 * referenced (or be metadata), and each inode's block count must be
 * what it references (UFS2's attribute area included).  Written from the format description in
 * sys/rump/fs/lib/libffs/ffs_format.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h_macros.h"
#include "h_ffs.h"

struct img {
	unsigned char *d;
	size_t len;
	bool swap, ufs2;
	uint64_t sb;
	uint32_t ncg, fpg, ipg, frag, fsize, bsize, fshift, cblkno, iblkno;
	uint32_t dblkno, sblkno, cgoffset, cgmask, inopb, nindir, cssize;
	uint32_t css, maxsymlink;
	uint64_t size, csaddr;
	unsigned char *owner;           /* per frag: referenced by a file */
	char err[256];
};

static uint64_t
get(struct img *im, uint64_t off, int n)
{
	uint64_t v = 0;

	if (off + (uint64_t)n > im->len)
		return 0;
	for (int i = 0; i < n; i++) {
		int k = im->swap ? i : n - 1 - i;

		v = (v << 8) | im->d[off + (uint64_t)k];
	}
	return v;
}

#define G32(o) ((uint32_t)get(im, (o), 4))
#define G64(o) get(im, (o), 8)

static int
fail(struct img *im, const char *msg, unsigned long long a,
    unsigned long long b)
{
	if (im->err[0] == '\0')
		snprintf(im->err, sizeof(im->err), "%s (%llu, %llu)", msg, a,
		    b);
	return -1;
}

static uint64_t
cgstart(struct img *im, uint64_t c)
{
	uint64_t s = c * im->fpg;

	if (!im->ufs2)
		s += (uint64_t)im->cgoffset * (c & ~(uint64_t)im->cgmask &
		    0xffffffffU);
	return s;
}

static bool
findsb(struct img *im)
{
	static const uint64_t locs[] = { 65536, 8192, 262144 };

	for (int i = 0; i < 3; i++)
		for (int sw = 0; sw < 2; sw++) {
			im->swap = sw;
			im->sb = locs[i];
			uint32_t m = G32(locs[i] + 1372);

			if (m == 0x011954 && locs[i] == 8192) {
				im->ufs2 = false;
				return true;
			}
			if (m == 0x19540119 && G64(locs[i] + 1000) == locs[i]) {
				im->ufs2 = true;
				return true;
			}
		}
	return false;
}

/* Mark frags [a, a + n) referenced; a second reference is an error. */
static int
own(struct img *im, uint64_t a, uint64_t n, uint64_t *cnt)
{
	if (a + n > im->size || a == 0)
		return fail(im, "block outside the file system", a, n);
	for (uint64_t i = 0; i < n; i++) {
		if (im->owner[a + i])
			return fail(im, "frag referenced twice", a + i, 0);
		im->owner[a + i] = 1;
	}
	*cnt += n;
	return 0;
}

static uint64_t
ptr(struct img *im, uint64_t blkoff, uint64_t i)
{
	return im->ufs2 ? G64(blkoff + i * 8) : G32(blkoff + i * 4);
}

static int
walkind(struct img *im, uint64_t blk, int level, uint64_t *cnt)
{
	uint64_t off = blk * im->fsize;

	if (own(im, blk, im->frag, cnt) != 0)
		return -1;
	for (uint64_t i = 0; i < im->nindir; i++) {
		uint64_t p = ptr(im, off, i);

		if (p == 0)
			continue;
		if (level == 0) {
			if (own(im, p, im->frag, cnt) != 0)
				return -1;
		} else if (walkind(im, p, level - 1, cnt) != 0)
			return -1;
	}
	return 0;
}

/* The inode at byte off: its blocks, its type; -1 on a bad one. */
static int
walkinode(struct img *im, uint64_t ino, uint64_t off, bool *isdir)
{
	uint16_t mode = (uint16_t)get(im, off, 2), fmt = mode & 0170000;
	uint64_t size = im->ufs2 ? G64(off + 16) : G64(off + 8);
	uint64_t blocks = im->ufs2 ? G64(off + 24) : G32(off + 104);
	uint64_t dbo = im->ufs2 ? 112 : 40, ibo = im->ufs2 ? 208 : 88;
	uint64_t cnt = 0, nblk, last;

	*isdir = fmt == 0040000;
	/* UFS2's attribute area: every type of file may have one. */
	if (im->ufs2) {
		uint64_t ext = G32(off + 92);

		for (uint64_t i = 0; i < 2; i++) {
			uint64_t p = G64(off + 96 + 8 * i), n = 0;

			if (ext > i * im->bsize)
				n = ext - i * im->bsize >= im->bsize ? im->frag :
				    (ext - i * im->bsize + im->fsize - 1) /
				    im->fsize;
			if ((p == 0) != (n == 0))
				return fail(im, "attribute block", ino, i);
			if (p != 0 && own(im, p, n, &cnt) != 0)
				return -1;
		}
	}
	if ((fmt != 0100000 && fmt != 0040000 && fmt != 0120000) ||
	    (fmt == 0120000 && size < im->maxsymlink)) {
		if (cnt * (im->fsize / 512) != blocks)
			return fail(im, "inode block count", ino, blocks);
		return 0;
	}
	nblk = (size + im->bsize - 1) / im->bsize;
	for (uint64_t i = 0; i < 12; i++) {
		uint64_t p = ptr(im, off + dbo, i), n = im->frag;

		if (p == 0)
			continue;
		if (i >= nblk)
			return fail(im, "block past the size", ino, i);
		last = size - i * im->bsize;
		if (i == nblk - 1 && last < im->bsize)
			n = (last + im->fsize - 1) / im->fsize;
		if (own(im, p, n, &cnt) != 0)
			return -1;
	}
	for (int l = 0; l < 3; l++) {
		uint64_t p = ptr(im, off + ibo, (uint64_t)l);

		if (p != 0 && walkind(im, p, l, &cnt) != 0)
			return -1;
	}
	if (cnt * (im->fsize / 512) != blocks)
		return fail(im, "inode block count", ino, blocks);
	return 0;
}

static uint32_t
bit(const unsigned char *m, uint64_t i)
{
	return (m[i / 8] >> (i % 8)) & 1;
}

int
ffs_check_image(const char *path, char *why, size_t whylen)
{
	struct img s = { 0 }, *im = &s;
	int64_t tot[4] = { 0 }, sbtot[4];
	FILE *f;
	int rv = -1;

	why[0] = '\0';
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	im->len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	im->d = malloc(im->len);
	if (im->d == NULL || fread(im->d, 1, im->len, f) != im->len) {
		fclose(f);
		free(im->d);
		return -1;
	}
	fclose(f);
	if (!findsb(im)) {
		fail(im, "no superblock", 0, 0);
		goto out;
	}
	uint64_t sb = im->sb;
	im->sblkno = G32(sb + 8);
	im->cblkno = G32(sb + 12);
	im->iblkno = G32(sb + 16);
	im->dblkno = G32(sb + 20);
	im->cgoffset = G32(sb + 24);
	im->cgmask = G32(sb + 28);
	im->ncg = G32(sb + 44);
	im->bsize = G32(sb + 48);
	im->fsize = G32(sb + 52);
	im->frag = G32(sb + 56);
	im->fshift = G32(sb + 84);
	im->nindir = G32(sb + 116);
	im->inopb = G32(sb + 120);
	im->cssize = G32(sb + 156);
	im->ipg = G32(sb + 184);
	im->fpg = G32(sb + 188);
	im->css = G32(sb + 1316);
	im->maxsymlink = G32(sb + 1320);
	im->size = G64(sb + 1080);
	im->csaddr = im->ufs2 ? G64(sb + 1096) : G32(sb + 152);
	for (int i = 0; i < 4; i++)
		sbtot[i] = (int64_t)G64(sb + 1008 + 8 * (uint64_t)i);
	if (im->d[sb + 209] != 1) {
		fail(im, "clean flag not set", im->d[sb + 209], 0);
		goto out;
	}
	if ((im->owner = calloc(im->size + 1, 1)) == NULL)
		goto out;

	/* Pass one: every inode's blocks. */
	uint64_t *ndirs = calloc(im->ncg, sizeof(uint64_t));
	if (ndirs == NULL)
		goto out;
	for (uint64_t c = 0; c < im->ncg; c++) {
		uint64_t cgo = (cgstart(im, c) + im->cblkno) * im->fsize;
		uint32_t iused = G32(cgo + 92);

		for (uint64_t i = 0; i < im->ipg; i++) {
			uint64_t ino = c * im->ipg + i;
			uint64_t off = (cgstart(im, c) + im->iblkno +
			    i / im->inopb * im->frag) * im->fsize +
			    i % im->inopb * (im->ufs2 ? 256 : 128);
			bool isdir, used = bit(im->d + cgo + iused, i);
			uint16_t mode = (uint16_t)get(im, off, 2);

			if (ino < 2)
				continue;
			if (!used && mode != 0 && (!im->ufs2 ||
			    i < G32(cgo + 120))) {
				fail(im, "free inode with a mode", ino, mode);
				goto out2;
			}
			if (used && mode == 0) {
				fail(im, "used inode without a mode", ino, 0);
				goto out2;
			}
			if (!used)
				continue;
			if (walkinode(im, ino, off, &isdir) != 0)
				goto out2;
			ndirs[c] += isdir;
		}
	}
	/* Pass two: the maps and the counts. */
	for (uint64_t c = 0; c < im->ncg; c++) {
		uint64_t base = c * im->fpg, start = cgstart(im, c);
		uint64_t cgo = (start + im->cblkno) * im->fsize;
		uint32_t ndblk = G32(cgo + 20), nb = ndblk / im->frag;
		const unsigned char *fm = im->d + cgo + G32(cgo + 96);
		const unsigned char *im_ = im->d + cgo + G32(cgo + 92);
		int64_t nbfree = 0, nffree = 0, nifree = 0, frsum[8] = { 0 };
		int64_t clsum[17] = { 0 };
		uint64_t csend = im->csaddr + (im->cssize + im->fsize - 1) /
		    im->fsize;

		if (G32(cgo + 4) != 0x090255) {
			fail(im, "group magic", c, 0);
			goto out2;
		}
		for (uint64_t f = 0; f < ndblk; f++) {
			uint64_t a = base + f;
			bool meta = (a >= start + (c > 0 ? im->sblkno : 0) &&
			    a < start + im->dblkno) ||
			    (a >= im->csaddr && a < csend);

			if (bit(fm, f) && (im->owner[a] || meta)) {
				fail(im, "frag in use marked free", a, meta);
				goto out2;
			}
			if (!bit(fm, f) && !im->owner[a] && !meta) {
				fail(im, "frag marked used, not referenced", a,
				    c);
				goto out2;
			}
		}
		for (uint32_t b = 0; b < nb; b++) {
			uint32_t run = 0, nf = 0;

			for (uint32_t i = 0; i < im->frag; i++)
				nf += bit(fm, b * im->frag + i);
			if (nf == im->frag) {
				nbfree++;
				continue;
			}
			nffree += nf;
			for (uint32_t i = 0; i <= im->frag; i++) {
				if (i < im->frag && bit(fm, b * im->frag + i)) {
					run++;
					continue;
				}
				if (run > 0)
					frsum[run]++;
				run = 0;
			}
		}
		for (uint64_t i = 0; i < im->ipg; i++)
			nifree += !bit(im_, i);
		if ((int64_t)G32(cgo + 28) != nbfree ||
		    (int64_t)G32(cgo + 36) != nffree ||
		    (int64_t)G32(cgo + 32) != nifree ||
		    (uint64_t)G32(cgo + 24) != ndirs[c]) {
			fail(im, "group summary differs from its maps", c,
			    (unsigned long long)nbfree);
			goto out2;
		}
		for (int r = 1; r < (int)im->frag; r++)
			if ((int64_t)G32(cgo + 52 + 4 * (uint64_t)r) !=
			    frsum[r]) {
				fail(im, "free-run count", c, (uint64_t)r);
				goto out2;
			}
		if (im->css > 0) {
			const unsigned char *cm = im->d + cgo + G32(cgo + 108);
			uint32_t ncl = G32(cgo + 112), run = 0;

			for (uint32_t b = 0; b <= ncl; b++) {
				bool free_ = b < ncl;
				uint32_t nf = 0;

				if (free_) {
					for (uint32_t i = 0; i < im->frag; i++)
						nf += bit(fm, b * im->frag + i);
					free_ = nf == im->frag;
					if (free_ != (bool)bit(cm, b)) {
						fail(im, "cluster map", c, b);
						goto out2;
					}
				}
				if (free_) {
					run++;
					continue;
				}
				if (run > 0)
					clsum[run > im->css ? im->css : run]++;
				run = 0;
			}
			for (uint32_t r = 1; r <= im->css; r++)
				if ((int64_t)G32(cgo + G32(cgo + 104) + 4 * r) !=
				    clsum[r]) {
					fail(im, "cluster count", c, r);
					goto out2;
				}
		}
		/* The summary area's copy. */
		uint64_t cso = im->csaddr * im->fsize + c * 16;
		for (int k = 0; k < 4; k++)
			if (G32(cso + 4 * (uint64_t)k) !=
			    G32(cgo + 24 + 4 * (uint64_t)k)) {
				fail(im, "summary area differs from the group",
				    c, (uint64_t)k);
				goto out2;
			}
		tot[0] += (int64_t)ndirs[c];
		tot[1] += nbfree;
		tot[2] += nifree;
		tot[3] += nffree;
	}
	for (int k = 0; k < 4; k++)
		if (tot[k] != sbtot[k]) {
			fail(im, "superblock totals", (uint64_t)k,
			    (unsigned long long)sbtot[k]);
			goto out2;
		}
	rv = 0;
out2:
	free(ndirs);
out:
	snprintf(why, whylen, "%s", im->err);
	free(im->owner);
	free(im->d);
	return rv;
}
