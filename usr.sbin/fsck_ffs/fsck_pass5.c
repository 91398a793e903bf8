/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Phase 5: cylinder groups.  Each group's header is rebuilt from what
 * the earlier phases know (inodes in use, frags owned) and compared
 * with the one on disk: header fields, inode and frag maps, counts,
 * fragment-run and cluster summaries; then the group summary area and
 * the superblock's totals.  -y writes the rebuilt headers (keeping the
 * on-disk allocation hints and times) and the totals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsck.h"

#define MAXMAPREPORT 10

static const char *const csname[4] = { "directory count",
	"free block count", "free inode count", "free fragment count" };

/* Report map differences; true if any. */
static bool
mapdiff(uint32_t c, const char *what, const unsigned char *have,
    const unsigned char *want, uint64_t n, uint64_t base)
{
	uint64_t i, ndiff = 0;

	for (i = 0; i < n; i++) {
		if (ffsu_isset(have, i) == ffsu_isset(want, i))
			continue;
		if (++ndiff <= MAXMAPREPORT)
			problem(true, "cg %u: %s %llu marked %s, but %s", c,
			    what, (unsigned long long)(base + i),
			    ffsu_isset(have, i) ? (what[0] == 'i' ? "in use" :
			    "free") : (what[0] == 'i' ? "free" : "in use"),
			    ffsu_isset(want, i) ? (what[0] == 'i' ? "in use" :
			    "free") : (what[0] == 'i' ? "free" : "in use"));
	}
	if (ndiff > MAXMAPREPORT)
		problem(true, "cg %u: %llu more %s map differences", c,
		    (unsigned long long)(ndiff - MAXMAPREPORT), what);
	return ndiff > 0;
}

/* Compare group c's header with the rebuilt one; true if it differs. */
static bool
checkcg(uint32_t c, unsigned char *cg, unsigned char *want)
{
	struct ffsu_fs *fs = &fk.fs;
	struct ffsu_cglayout lay;
	uint32_t i, have, should, ndblk = ffsu_cgndblk(fs, c);
	bool differs = false;
	static const int hdr[] = { CG_CGX, CG_NDBLK, CG_IUSEDOFF, CG_FREEOFF,
		CG_NEXTFREEOFF, CG_CLUSTERSUMOFF, CG_CLUSTEROFF,
		CG_NCLUSTERBLKS, CG_NIBLK };

	(void)ffsu_cg_layout(fs->ufs2, fs->ipg, fs->fpg, fs->frag,
	    fs->contigsumsize, &lay);
	if (ffsu_get32(fs, cg + CG_MAGICOFF) != CG_MAGIC)
		return problem(true, "cg %u: bad magic number 0x%x", c,
		    ffsu_get32(fs, cg + CG_MAGICOFF));
	for (i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++) {
		have = ffsu_get32(fs, cg + hdr[i]);
		should = ffsu_get32(fs, want + hdr[i]);
		if (have != should)
			return problem(true, "cg %u: header field at byte %d "
			    "is %u, should be %u", c, hdr[i], have, should);
	}
	for (i = 0; i < 4; i++) {
		have = ffsu_get32(fs, cg + CG_CS + 4 * i);
		should = ffsu_get32(fs, want + CG_CS + 4 * i);
		if (have != should)
			differs |= problem(true, "cg %u: %s %u, should be %u",
			    c, csname[i], have, should);
	}
	differs |= mapdiff(c, "inode", cg + lay.iusedoff, want + lay.iusedoff,
	    fs->ipg, (uint64_t)c * fs->ipg);
	differs |= mapdiff(c, "fragment", cg + lay.freeoff, want + lay.freeoff,
	    ndblk, ffsu_cgbase(fs, c));
	if (memcmp(cg + CG_FRSUM, want + CG_FRSUM, 4 * CG_MAXFRAG) != 0)
		differs |= problem(true, "cg %u: fragment run summary differs "
		    "from the map", c);
	if (fs->contigsumsize > 0 &&
	    (memcmp(cg + lay.clustersumoff + 4, want + lay.clustersumoff + 4,
	    4 * fs->contigsumsize) != 0 ||
	    memcmp(cg + lay.clusteroff, want + lay.clusteroff,
	    (ndblk / fs->frag + 7) / 8) != 0))
		differs |= problem(true, "cg %u: cluster map or summary "
		    "differs from the fragment map", c);
	return differs;
}

/* The header group c should have. */
static void
rebuild(uint32_t c, const unsigned char *cg, unsigned char *want)
{
	struct ffsu_fs *fs = &fk.fs;
	struct ffsu_cglayout lay;
	uint64_t base = ffsu_cgbase(fs, c), ino;
	uint32_t i, ndir = 0, ndblk = ffsu_cgndblk(fs, c);
	bool ok = ffsu_get32(fs, cg + CG_MAGICOFF) == CG_MAGIC;

	(void)ffsu_cg_layout(fs->ufs2, fs->ipg, fs->fpg, fs->frag,
	    fs->contigsumsize, &lay);
	ffsu_cg_init(fs, c, want, time(NULL));
	if (ok) {
		/* Hints and times are the file system's, not ours. */
		memcpy(want + CG_OLD_TIME, cg + CG_OLD_TIME, 4);
		memcpy(want + CG_ROTOR, cg + CG_ROTOR, 12);
		memcpy(want + CG_TIME, cg + CG_TIME, 8);
	}
	if (fs->ufs2)
		ffsu_put32(fs, want + CG_INITEDIBLK, fk.inited[c]);
	for (i = 0; i < fs->ipg; i++) {
		ino = (uint64_t)c * fs->ipg + i;
		if (ino < UFS_ROOTINO || fk.ino[ino].state == IS_FILE ||
		    fk.ino[ino].state == IS_DIR)
			ffsu_setbit(want + lay.iusedoff, i);
		if (ino >= UFS_ROOTINO && fk.ino[ino].state == IS_DIR)
			ndir++;
	}
	for (i = 0; i < ndblk; i++)
		if (fk.owner[base + i] == 0)
			ffsu_setbit(want + lay.freeoff, i);
	ffsu_cg_summarize(fs, want, ndir);
}

void
pass5(void)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *cg = xcalloc(1, fs->cgsize);
	unsigned char *want = xcalloc(1, fs->cgsize);
	unsigned char *csum = xcalloc(1, fs->cssize);
	unsigned char *wantcs = xcalloc(1, fs->cssize);
	int64_t tot[4] = { 0, 0, 0, 0 };
	uint32_t c, i, v;
	bool csbad = false;

	for (c = 0; c < fs->ncg; c++) {
		rd(cg, fs->cgsize, ffsu_cgtod(fs, c) * fs->fsize);
		rebuild(c, cg, want);
		if (checkcg(c, cg, want) && fk.yes)
			wr(want, fs->cgsize, ffsu_cgtod(fs, c) * fs->fsize);
		for (i = 0; i < 4; i++) {
			v = ffsu_get32(fs, want + CG_CS + 4 * i);
			tot[i] += v;
			ffsu_put32(fs, wantcs + 16 * c + 4 * i, v);
		}
	}
	rd(csum, fs->cssize, fs->csaddr * fs->fsize);
	for (c = 0; c < fs->ncg && !csbad; c++) {
		if (memcmp(csum + 16 * c, wantcs + 16 * c, 16) == 0)
			continue;
		csbad = true;
		problem(true, "cg %u: summary area says %d dirs, %d free "
		    "blocks, %d free inodes, %d free frags; should be %d, %d, "
		    "%d, %d", c, (int32_t)ffsu_get32(fs, csum + 16 * c),
		    (int32_t)ffsu_get32(fs, csum + 16 * c + 4),
		    (int32_t)ffsu_get32(fs, csum + 16 * c + 8),
		    (int32_t)ffsu_get32(fs, csum + 16 * c + 12),
		    (int32_t)ffsu_get32(fs, wantcs + 16 * c),
		    (int32_t)ffsu_get32(fs, wantcs + 16 * c + 4),
		    (int32_t)ffsu_get32(fs, wantcs + 16 * c + 8),
		    (int32_t)ffsu_get32(fs, wantcs + 16 * c + 12));
	}
	if (csbad && fk.yes)
		wr(wantcs, fs->cssize, fs->csaddr * fs->fsize);
	for (i = 0; i < 4; i++) {
		if (tot[i] == fs->cstotal[i])
			continue;
		if (problem(true, "superblock: %s total %lld, should be %lld",
		    csname[i], (long long)fs->cstotal[i], (long long)tot[i]))
			fs->cstotal[i] = tot[i];
	}
	if (!fk.yes)
		memcpy(fs->cstotal, tot, sizeof(tot));
	free(cg);
	free(want);
	free(csum);
	free(wantcs);
}
