/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Cylinder group headers: where their maps go for a geometry, a fresh
 * header, and the summaries (counts, fragment runs, clusters) derived
 * from the two maps that are the truth: inodes in use, frags free.
 * newfs builds headers with these; fsck_ffs builds what a header should
 * be and compares.
 */
#include <string.h>

#include "ffsutil.h"

#define HOWMANY(a, b) (((a) + (b) - 1) / (b))

uint32_t
ffsu_cg_layout(bool ufs2, uint32_t ipg, uint32_t fpg, uint32_t frag,
    uint32_t contigsumsize, struct ffsu_cglayout *lay)
{
	memset(lay, 0, sizeof(*lay));
	if (ufs2)
		lay->iusedoff = CG_SPACE;
	else {
		/* One cylinder, one rotational position: 4 + 2 bytes. */
		lay->btotoff = CG_SPACE;
		lay->boff = lay->btotoff + 4;
		lay->iusedoff = lay->boff + 2;
	}
	lay->freeoff = lay->iusedoff + HOWMANY(ipg, 8);
	if (contigsumsize == 0) {
		lay->nextfreeoff = lay->freeoff + HOWMANY(fpg, 8);
		return lay->nextfreeoff;
	}
	/*
	 * The summary is indexed from 1: its unused slot 0 may overlap the
	 * end of the free map.
	 */
	lay->clustersumoff = (lay->freeoff + HOWMANY(fpg, 8) + 3) / 4 * 4 - 4;
	lay->clusteroff = lay->clustersumoff + (contigsumsize + 1) * 4;
	lay->nextfreeoff = lay->clusteroff + HOWMANY(fpg / frag, 8);
	return lay->nextfreeoff;
}

void
ffsu_cg_init(const struct ffsu_fs *fs, uint32_t c, void *buf, int64_t now)
{
	unsigned char *cg = buf;
	struct ffsu_cglayout lay;
	uint32_t ndblk = ffsu_cgndblk(fs, c);

	memset(cg, 0, fs->cgsize);
	(void)ffsu_cg_layout(fs->ufs2, fs->ipg, fs->fpg, fs->frag,
	    fs->contigsumsize, &lay);
	ffsu_put32(fs, cg + CG_MAGICOFF, CG_MAGIC);
	ffsu_put32(fs, cg + CG_CGX, c);
	ffsu_put32(fs, cg + CG_NDBLK, ndblk);
	if (fs->ufs2) {
		ffsu_put32(fs, cg + CG_NIBLK, fs->ipg);
		ffsu_put32(fs, cg + CG_INITEDIBLK, fs->ipg);
		ffsu_put64(fs, cg + CG_TIME, (uint64_t)now);
	} else {
		ffsu_put16(fs, cg + CG_OLD_NCYL, 1);
		ffsu_put16(fs, cg + CG_OLD_NIBLK, (uint16_t)fs->ipg);
		ffsu_put32(fs, cg + CG_OLD_TIME, (uint32_t)now);
		ffsu_put32(fs, cg + CG_OLD_BTOTOFF, lay.btotoff);
		ffsu_put32(fs, cg + CG_OLD_BOFF, lay.boff);
	}
	ffsu_put32(fs, cg + CG_IUSEDOFF, lay.iusedoff);
	ffsu_put32(fs, cg + CG_FREEOFF, lay.freeoff);
	ffsu_put32(fs, cg + CG_NEXTFREEOFF, lay.nextfreeoff);
	if (fs->contigsumsize > 0) {
		ffsu_put32(fs, cg + CG_CLUSTERSUMOFF, lay.clustersumoff);
		ffsu_put32(fs, cg + CG_CLUSTEROFF, lay.clusteroff);
		ffsu_put32(fs, cg + CG_NCLUSTERBLKS, ndblk / fs->frag);
	}
}

void
ffsu_cg_summarize(const struct ffsu_fs *fs, void *buf, uint32_t ndir)
{
	unsigned char *cg = buf;
	struct ffsu_cglayout lay;
	const unsigned char *iused, *freemap;
	unsigned char *cmap = NULL, *csum = NULL;
	uint32_t ndblk = ffsu_cgndblk(fs, ffsu_get32(fs, cg + CG_CGX));
	uint32_t nblk = ndblk / fs->frag, frsum[CG_MAXFRAG];
	uint32_t i, b, f, run, nifree = 0, nbfree = 0, nffree = 0, crun;
	uint32_t csums[FS_MAXCONTIGSUM + 1];

	(void)ffsu_cg_layout(fs->ufs2, fs->ipg, fs->fpg, fs->frag,
	    fs->contigsumsize, &lay);
	iused = cg + lay.iusedoff;
	freemap = cg + lay.freeoff;
	if (fs->contigsumsize > 0) {
		cmap = cg + lay.clusteroff;
		csum = cg + lay.clustersumoff;
		memset(cmap, 0, HOWMANY(fs->fpg / fs->frag, 8));
	}
	memset(frsum, 0, sizeof(frsum));
	memset(csums, 0, sizeof(csums));
	for (i = 0; i < fs->ipg; i++)
		if (!ffsu_isset(iused, i))
			nifree++;
	crun = 0;
	for (b = 0; b * fs->frag < ndblk; b++) {
		bool whole = b < nblk;

		run = 0;
		for (f = b * fs->frag; f < (b + 1) * fs->frag && f < ndblk;
		    f++) {
			if (!ffsu_isset(freemap, f))
				whole = false;
		}
		if (whole) {
			nbfree++;
			if (cmap != NULL)
				ffsu_setbit(cmap, b);
			crun++;
			continue;
		}
		if (crun > 0) {
			csums[crun < fs->contigsumsize ? crun :
			    fs->contigsumsize]++;
			crun = 0;
		}
		/* Runs of free frags within a partly used block. */
		for (f = b * fs->frag; f < (b + 1) * fs->frag && f < ndblk;
		    f++) {
			if (ffsu_isset(freemap, f)) {
				run++;
				nffree++;
				continue;
			}
			if (run > 0)
				frsum[run]++;
			run = 0;
		}
		if (run > 0)
			frsum[run]++;
	}
	if (crun > 0)
		csums[crun < fs->contigsumsize ? crun : fs->contigsumsize]++;
	for (i = 1; i < CG_MAXFRAG; i++)
		ffsu_put32(fs, cg + CG_FRSUM + 4 * i, frsum[i]);
	ffsu_put32(fs, cg + CG_FRSUM, 0);
	if (csum != NULL)
		for (i = 1; i <= fs->contigsumsize; i++)
			ffsu_put32(fs, csum + 4 * i, csums[i]);
	ffsu_put32(fs, cg + CG_CS + 4 * CS_NDIR, ndir);
	ffsu_put32(fs, cg + CG_CS + 4 * CS_NBFREE, nbfree);
	ffsu_put32(fs, cg + CG_CS + 4 * CS_NIFREE, nifree);
	ffsu_put32(fs, cg + CG_CS + 4 * CS_NFFREE, nffree);
}

int
ffsu_cg_read(const struct ffsu_fs *fs, uint32_t c, void *buf)
{
	return ffsu_pread(fs, buf, fs->cgsize, ffsu_cgtod(fs, c) * fs->fsize);
}

int
ffsu_cg_write(const struct ffsu_fs *fs, uint32_t c, const void *buf)
{
	return ffsu_pwrite(fs, buf, fs->cgsize, ffsu_cgtod(fs, c) * fs->fsize);
}
