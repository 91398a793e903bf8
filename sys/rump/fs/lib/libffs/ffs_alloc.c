/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Cylinder groups: allocating and freeing blocks, fragment runs and
 * inodes in their maps, and keeping every count that describes them
 * right: the group's summary (cg_cs), its free-run counts (cg_frsum),
 * its cluster map and cluster counts, the in-memory copy of the group
 * summaries (written to fs_csaddr at sync) and the superblock totals.
 *
 * The counts are kept by one rule: before the maps of a block change,
 * the block's free frags are taken out of the counts (a wholly free
 * block counts as a free block and a free cluster member, anything
 * else as runs of free frags); after, they are put back the same way.
 * So every change, however odd, leaves the counts exact.
 *
 * A group header is checked every time it is read (magic, number,
 * sizes, map offsets inside the header), so a corrupt one is an EIO
 * with a log line, never a write through a wild offset.  An allocation
 * that lands in a group's metadata or the summary area means the maps
 * lie: that is corruption too, and nothing is written there.
 *
 * Placement, simplified from the classic rules: a file's blocks go
 * after its previous block, else in its inode's group; a new directory
 * goes to a group with at least the average of free inodes and free
 * blocks and the fewest directories, a file next to its directory.
 * All callers hold um_lock as writer.
 */
#include <sys/systm.h>
#include <sys/mount.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/time.h>

#include "ffs.h"

/* A group header in its buffer, checked. */
struct ffs_cg {
	struct ffs_mount *um;
	struct buf *bp;
	char *d;
	uint64_t c;
	uint64_t base;                  /* first frag of the group */
	uint32_t ndblk;                 /* frags in the group */
	uint32_t nblk;                  /* whole blocks in the group */
	uint32_t iusedoff, freeoff, clsumoff, cloff, nclblks;
	uint32_t initediblk;
};

static bool
ffs_isset(const char *map, uint32_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static void
ffs_setbit(char *map, uint32_t i)
{
	map[i >> 3] = (char)(map[i >> 3] | (1 << (i & 7)));
}

static void
ffs_clrbit(char *map, uint32_t i)
{
	map[i >> 3] = (char)(map[i >> 3] & ~(1 << (i & 7)));
}

static uint32_t
ffs_cgbsize(const struct ffs_mount *um)
{
	return (uint32_t)FFS_FRAGROUNDUP(um, um->fs_cgsize);
}

/* Release the group; changed (dirty), to the disk: that error. */
static int
ffs_cg_put(struct ffs_cg *cg, bool dirty)
{
	int error = 0;

	if (dirty)
		error = ffs_bufwrite(cg->um, cg->bp, FFS_BDWRITE);
	else
		brelse(cg->bp, 0);
	cg->bp = NULL;
	return error;
}

static int
ffs_cg_get(struct ffs_mount *um, uint64_t c, struct ffs_cg *cg)
{
	uint32_t size = ffs_cgbsize(um), css = um->fs_contigsumsize;
	uint64_t start = ffs_cgstart(um, c) + um->fs_cblkno;
	const char *why = NULL;
	char *d;
	int error;

	if ((error = bread(um->um_devvp, FFS_FSBTODB(um, start), (int)size, 0,
	    &cg->bp)) != 0)
		return error;
	d = cg->d = cg->bp->b_data;
	cg->um = um;
	cg->c = c;
	cg->base = c * um->fs_fpg;
	cg->ndblk = ffs_get32(um, d, CG_NDBLK);
	cg->nblk = cg->ndblk >> um->fs_fragshift;
	cg->iusedoff = ffs_get32(um, d, CG_IUSEDOFF);
	cg->freeoff = ffs_get32(um, d, CG_FREEOFF);
	cg->clsumoff = ffs_get32(um, d, CG_CLUSTERSUMOFF);
	cg->cloff = ffs_get32(um, d, CG_CLUSTEROFF);
	cg->nclblks = ffs_get32(um, d, CG_NCLUSTERBLKS);
	cg->initediblk = um->um_ufs2 ? ffs_get32(um, d, CG_INITEDIBLK) :
	    um->fs_ipg;
	if (ffs_get32(um, d, CG_MAGICOFF) != CG_MAGIC)
		why = "bad magic";
	else if (ffs_get32(um, d, CG_CGX) != c)
		why = "wrong group number";
	else if (cg->ndblk != MIN(um->fs_fpg, um->fs_size - cg->base))
		why = "wrong size";
	else if (cg->iusedoff < CG_TIME + 8 ||
	    (uint64_t)cg->iusedoff + howmany(um->fs_ipg, 8) > size)
		why = "inode map outside the header";
	else if (cg->freeoff < CG_TIME + 8 ||
	    (uint64_t)cg->freeoff + howmany(cg->ndblk, 8) > size)
		why = "block map outside the header";
	else if (css > 0 && (cg->clsumoff < CG_TIME + 8 ||
	    (uint64_t)cg->clsumoff + 4 * (css + 1) > size ||
	    cg->clsumoff % 4 != 0))
		why = "cluster counts outside the header";
	else if (css > 0 && (cg->nclblks > um->fs_fpg / um->fs_frag ||
	    cg->cloff < CG_TIME + 8 ||
	    (uint64_t)cg->cloff + howmany(cg->nclblks, 8) > size))
		why = "cluster map outside the header";
	else if (cg->initediblk > um->fs_ipg ||
	    (um->um_ufs2 && ffs_get32(um, d, CG_NIBLK) != um->fs_ipg))
		why = "inode counts";
	else if (ffs_get32(um, d, CG_CS + 4 * CS_NIFREE) > um->fs_ipg ||
	    ffs_get32(um, d, CG_CS + 4 * CS_NDIR) > um->fs_ipg ||
	    ffs_get32(um, d, CG_CS + 4 * CS_NBFREE) > cg->nblk ||
	    ffs_get32(um, d, CG_CS + 4 * CS_NFFREE) > cg->ndblk)
		why = "summary";
	if (why != NULL) {
		brelse(cg->bp, 0);
		cg->bp = NULL;
		return ffs_corrupt(um, "cylinder group %llu: %s",
		    (unsigned long long)c, why);
	}
	if (css == 0)
		cg->nclblks = 0;
	cg->nclblks = MIN(cg->nclblks, cg->nblk);
	return 0;
}

/* Check every group and take its summary as the truth (mount). */
int
ffs_cg_check_all(struct ffs_mount *um)
{
	struct ffs_cg cg;
	uint64_t c;
	int error;

	um->fs_ndir = um->fs_nbfree = um->fs_nifree = um->fs_nffree = 0;
	for (c = 0; c < um->fs_ncg; c++) {
		if ((error = ffs_cg_get(um, c, &cg)) != 0)
			return error;
#define CS(f) (int64_t)ffs_get32(um, cg.d, CG_CS + 4 * (f))
		um->um_csum[c].cs_ndir = CS(CS_NDIR);
		um->um_csum[c].cs_nbfree = CS(CS_NBFREE);
		um->um_csum[c].cs_nifree = CS(CS_NIFREE);
		um->um_csum[c].cs_nffree = CS(CS_NFFREE);
#undef CS
		um->fs_ndir += (uint64_t)um->um_csum[c].cs_ndir;
		um->fs_nbfree += (uint64_t)um->um_csum[c].cs_nbfree;
		um->fs_nifree += (uint64_t)um->um_csum[c].cs_nifree;
		um->fs_nffree += (uint64_t)um->um_csum[c].cs_nffree;
		ffs_cg_put(&cg, false);
	}
	return 0;
}

/* Change one summary count of the group, its copy and the total. */
static void
ffs_cs_add(struct ffs_mount *um, struct ffs_cg *cg, int field, int64_t d)
{
	size_t off = CG_CS + 4 * (size_t)field;
	int64_t *mem;
	uint64_t *tot;

	ffs_put32(um, cg->d, off, (uint32_t)((int64_t)ffs_get32(um, cg->d,
	    off) + d));
	switch (field) {
	case CS_NDIR:
		mem = &um->um_csum[cg->c].cs_ndir;
		tot = &um->fs_ndir;
		break;
	case CS_NBFREE:
		mem = &um->um_csum[cg->c].cs_nbfree;
		tot = &um->fs_nbfree;
		break;
	case CS_NIFREE:
		mem = &um->um_csum[cg->c].cs_nifree;
		tot = &um->fs_nifree;
		break;
	default:
		mem = &um->um_csum[cg->c].cs_nffree;
		tot = &um->fs_nffree;
		break;
	}
	*mem += d;
	*tot = (uint64_t)((int64_t)*tot + d);
	um->um_fmod = true;
}

static void
ffs_cg_touch(struct ffs_mount *um, struct ffs_cg *cg)
{
	struct timespec now;

	nanotime(&now);
	if (um->um_ufs2)
		ffs_put64(um, cg->d, CG_TIME, (uint64_t)now.tv_sec);
	else
		ffs_put32(um, cg->d, CG_OLD_TIME, (uint32_t)now.tv_sec);
}

/*
 * The cluster map and counts for block bno of the group becoming free
 * (cnt 1) or not (-1).  Runs longer than contigsumsize count as that.
 */
static void
ffs_clusteracct(struct ffs_mount *um, struct ffs_cg *cg, uint32_t bno,
    int cnt)
{
	uint32_t css = um->fs_contigsumsize, forw = 0, back = 0, i, len;
	char *map = cg->d + cg->cloff;
	size_t off;

	if (bno >= cg->nclblks)
		return;
	if (cnt > 0)
		ffs_setbit(map, bno);
	else
		ffs_clrbit(map, bno);
	for (i = bno + 1; i < cg->nclblks && forw < css; i++, forw++)
		if (!ffs_isset(map, i))
			break;
	for (i = bno; i > 0 && back < css; back++)
		if (!ffs_isset(map, --i))
			break;
	len = MIN(back + forw + 1, css);
#define CLADD(n, v) do {						\
	off = cg->clsumoff + 4 * (size_t)(n);				\
	ffs_put32(um, cg->d, off, ffs_get32(um, cg->d, off) + (uint32_t)(v)); \
} while (0)
	CLADD(len, cnt);
	if (back > 0)
		CLADD(MIN(back, css), -cnt);
	if (forw > 0)
		CLADD(MIN(forw, css), -cnt);
#undef CLADD
}

/*
 * Take block bno's free frags out of the counts (sign -1) or put them
 * in (+1); see the top of the file.
 */
static void
ffs_blkacct(struct ffs_mount *um, struct ffs_cg *cg, uint32_t bno, int sign)
{
	const char *map = cg->d + cg->freeoff;
	uint32_t f0 = bno << um->fs_fragshift, i, run = 0, nfree = 0;
	size_t off;

	for (i = 0; i < um->fs_frag; i++)
		nfree += ffs_isset(map, f0 + i);
	if (nfree == um->fs_frag) {
		ffs_cs_add(um, cg, CS_NBFREE, sign);
		if (um->fs_contigsumsize > 0)
			ffs_clusteracct(um, cg, bno, sign);
		return;
	}
	ffs_cs_add(um, cg, CS_NFFREE, sign * (int)nfree);
	for (i = 0; i <= um->fs_frag; i++) {
		if (i < um->fs_frag && ffs_isset(map, f0 + i)) {
			run++;
			continue;
		}
		if (run > 0) {
			off = CG_FRSUM + 4 * (size_t)run;
			ffs_put32(um, cg->d, off, ffs_get32(um, cg->d, off) +
			    (uint32_t)sign);
		}
		run = 0;
	}
}

/* Whether frags [f, f + n) of the group are the group's own metadata. */
static bool
ffs_ismeta(struct ffs_mount *um, struct ffs_cg *cg, uint32_t f, uint32_t n)
{
	uint64_t a = cg->base + f, s = ffs_cgstart(um, cg->c);
	uint64_t csend = um->fs_csaddr +
	    (FFS_FRAGROUNDUP(um, um->fs_cssize) >> um->fs_fshift);

	/* Past group 0, the frags before the superblock copy are data. */
	if (cg->c > 0)
		s += um->fs_sblkno;
	if (a < ffs_cgstart(um, cg->c) + um->fs_dblkno && a + n > s)
		return true;
	return a < csend && a + n > um->fs_csaddr;
}

/* Mark frags [f, f + n) of one block used (free false) or free. */
static void
ffs_setfrags(struct ffs_mount *um, struct ffs_cg *cg, uint32_t f, uint32_t n,
    bool free)
{
	uint32_t bno = f >> um->fs_fragshift, i;
	char *map = cg->d + cg->freeoff;

	ffs_blkacct(um, cg, bno, -1);
	for (i = 0; i < n; i++) {
		if (free)
			ffs_setbit(map, f + i);
		else
			ffs_clrbit(map, f + i);
	}
	ffs_blkacct(um, cg, bno, 1);
	ffs_cg_touch(um, cg);
}

/*
 * Whether a partly used block of the group has a run of at least n free
 * frags, as its free-run counts say: without one, looking for it would
 * read the whole map.
 */
static bool
ffs_hasrun(struct ffs_mount *um, struct ffs_cg *cg, uint32_t n)
{
	for (uint32_t j = n; j < um->fs_frag; j++)
		if (ffs_get32(um, cg->d, CG_FRSUM + 4 * j) != 0)
			return true;
	return false;
}

/* A run of n free frags inside one block of the group; -1 if none. */
static int64_t
ffs_findfrags(struct ffs_mount *um, struct ffs_cg *cg, uint32_t startblk,
    uint32_t n, bool wholeblock)
{
	const char *map = cg->d + cg->freeoff;
	uint32_t b, k, i, run, frag = um->fs_frag;

	for (k = 0; k < cg->nblk; k++) {
		b = (startblk + k) % cg->nblk;
		/*
		 * Eight frags to a block (the usual shape): the block's byte
		 * of the map answers for a used or a whole free block at
		 * once, so a scan across full blocks costs a byte each.
		 */
		if (frag == 8) {
			uint8_t m = (uint8_t)map[b];

			if (m == 0 || (m == 0xff && !wholeblock))
				continue;
			if (m == 0xff)
				return (int64_t)(b << um->fs_fragshift);
			if (wholeblock)
				continue;
		}
		run = 0;
		for (i = 0; i < frag; i++) {
			if (!ffs_isset(map, (b << um->fs_fragshift) + i)) {
				if (wholeblock)
					break;
				run = 0;
				continue;
			}
			run++;
			if (!wholeblock && run == n) {
				/* Leave whole blocks whole if another will do. */
				uint32_t j, nf = 0;

				for (j = 0; j < frag; j++)
					nf += ffs_isset(map,
					    (b << um->fs_fragshift) + j);
				if (nf == frag)
					break;
				return (int64_t)((b << um->fs_fragshift) + i + 1 -
				    n);
			}
		}
		if (wholeblock && i == frag)
			return (int64_t)(b << um->fs_fragshift);
	}
	return -1;
}

/* n frags in group c, near group-relative frag pref; -1 if none. */
static int
ffs_alloccg(struct ffs_mount *um, uint64_t c, int64_t pref, unsigned n,
    int64_t *addrp)
{
	struct ffs_csum *cs = &um->um_csum[c];
	struct ffs_cg cg;
	uint32_t startblk, rotor;
	int64_t f = -1;
	int error;

	*addrp = 0;
	if (cs->cs_nbfree == 0 && (n == um->fs_frag || cs->cs_nffree < n))
		return 0;
	if ((error = ffs_cg_get(um, c, &cg)) != 0)
		return error;
	if (cg.nblk == 0) {
		ffs_cg_put(&cg, false);
		return 0;
	}
	rotor = ffs_get32(um, cg.d, n == um->fs_frag ? CG_ROTOR : CG_FROTOR);
	startblk = (pref >= 0 ? (uint32_t)pref : rotor) >> um->fs_fragshift;
	if (startblk >= cg.nblk)
		startblk = 0;
	if (n < um->fs_frag && ffs_hasrun(um, &cg, n))
		f = ffs_findfrags(um, &cg, startblk, n, false);
	if (f < 0)
		f = ffs_findfrags(um, &cg, startblk, n, true);
	if (f < 0) {
		/* The summary promised space the map does not have. */
		ffs_cg_put(&cg, false);
		return 0;
	}
	if (ffs_ismeta(um, &cg, (uint32_t)f, n)) {
		ffs_cg_put(&cg, false);
		return ffs_corrupt(um, "cylinder group %llu: metadata at frag "
		    "%lld marked free", (unsigned long long)c,
		    (long long)(cg.base + (uint64_t)f));
	}
	ffs_setfrags(um, &cg, (uint32_t)f, n, false);
	ffs_put32(um, cg.d, n == um->fs_frag ? CG_ROTOR : CG_FROTOR,
	    (uint32_t)f);
	if ((error = ffs_cg_put(&cg, true)) != 0)
		return error;
	*addrp = (int64_t)(cg.base + (uint64_t)f);
	return 0;
}

int
ffs_alloc_frags(struct ffs_mount *um, struct ffs_inode *ip, int64_t pref,
    unsigned n, int64_t *addrp)
{
	uint64_t c0, c, i;
	int64_t rel;
	int error;

	KASSERT(n >= 1 && n <= um->fs_frag);
	if (pref > 0 && (uint64_t)pref < um->fs_size)
		c0 = FFS_DTOG(um, pref);
	else
		c0 = FFS_ITOG(um, ip->i_number);
	for (i = 0; i < um->fs_ncg; i++) {
		c = (c0 + i) % um->fs_ncg;
		rel = i == 0 && pref > 0 ? pref - (int64_t)(c * um->fs_fpg) : -1;
		if ((error = ffs_alloccg(um, c, rel, n, addrp)) != 0)
			return error;
		if (*addrp != 0) {
			ip->i_blocks += (uint64_t)n << um->fs_fsbtodb;
			return 0;
		}
	}
	return ENOSPC;
}

int
ffs_extend_frags(struct ffs_mount *um, int64_t addr, unsigned on,
    unsigned nn)
{
	uint64_t c = FFS_DTOG(um, addr);
	struct ffs_cg cg;
	uint32_t f, i;
	int error;

	if ((uint64_t)(addr & (um->fs_frag - 1)) + nn > um->fs_frag ||
	    (uint64_t)addr + nn > um->fs_size)
		return ENOSPC;
	if ((error = ffs_cg_get(um, c, &cg)) != 0)
		return error;
	f = (uint32_t)((uint64_t)addr - cg.base);
	for (i = on; i < nn; i++)
		if (!ffs_isset(cg.d + cg.freeoff, f + i)) {
			ffs_cg_put(&cg, false);
			return ENOSPC;
		}
	ffs_setfrags(um, &cg, f + on, nn - on, false);
	return ffs_cg_put(&cg, true);
}

void
ffs_free_frags(struct ffs_mount *um, int64_t addr, unsigned n)
{
	struct ffs_cg cg;
	uint32_t f, i;

	if (addr <= 0 || (uint64_t)addr + n > um->fs_size ||
	    (uint64_t)(addr & (um->fs_frag - 1)) + n > um->fs_frag) {
		(void)ffs_corrupt(um, "freeing frags %lld+%u", (long long)addr,
		    n);
		return;
	}
	if (ffs_cg_get(um, FFS_DTOG(um, addr), &cg) != 0)
		return;
	f = (uint32_t)((uint64_t)addr - cg.base);
	for (i = 0; i < n; i++)
		if (ffs_isset(cg.d + cg.freeoff, f + i) ||
		    ffs_ismeta(um, &cg, f + i, 1)) {
			ffs_cg_put(&cg, false);
			(void)ffs_corrupt(um, "freeing free or metadata frag "
			    "%lld", (long long)addr + i);
			return;
		}
	ffs_setfrags(um, &cg, f, n, true);
	(void)ffs_cg_put(&cg, true);
}

int64_t
ffs_blkpref(struct ffs_mount *um, struct ffs_inode *ip, uint64_t lbn,
    int64_t prev)
{
	if (prev > 0 && (uint64_t)prev + 2 * um->fs_frag <= um->fs_size)
		return prev + um->fs_frag;
	if (lbn > 0 && lbn <= UFS_NDADDR && ip->i_db[lbn - 1] > 0 &&
	    (uint64_t)ip->i_db[lbn - 1] + 2 * um->fs_frag <= um->fs_size)
		return (ip->i_db[lbn - 1] & ~(int64_t)(um->fs_frag - 1)) +
		    um->fs_frag;
	/*
	 * No neighbour: the inode's group, where its own rotor says (a
	 * search from the start of the group's data would pass every block
	 * the group has used so far).
	 */
	return 0;
}

/* The group for a new directory: roomy, with the fewest directories. */
static uint64_t
ffs_dirpref(struct ffs_mount *um)
{
	uint64_t avgifree = um->fs_nifree / um->fs_ncg;
	uint64_t avgbfree = um->fs_nbfree / um->fs_ncg, c, best = 0;
	int64_t mindir = INT64_MAX;

	for (c = 0; c < um->fs_ncg; c++) {
		struct ffs_csum *cs = &um->um_csum[c];

		if ((uint64_t)cs->cs_nifree >= avgifree && cs->cs_nifree > 0 &&
		    (uint64_t)cs->cs_nbfree >= avgbfree &&
		    cs->cs_ndir < mindir) {
			mindir = cs->cs_ndir;
			best = c;
		}
	}
	return best;
}

/* Zero the inode block holding group-relative inode idx (UFS2). */
static int
ffs_initiblk(struct ffs_mount *um, struct ffs_cg *cg, uint32_t idx)
{
	uint64_t frag = ffs_cgstart(um, cg->c) + um->fs_iblkno +
	    ((uint64_t)(idx / um->fs_inopb) << um->fs_fragshift);
	struct buf *bp;

	if ((bp = getblk(um->um_devvp, FFS_FSBTODB(um, frag),
	    (int)um->fs_bsize, 0, 0)) == NULL)
		return ENOMEM;
	memset(bp->b_data, 0, um->fs_bsize);
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}

int
ffs_ialloc(struct ffs_mount *um, struct ffs_inode *pdp, uint16_t mode,
    ino_t *inop)
{
	bool isdir = (mode & IFMT) == IFDIR;
	uint64_t c0, c, i;
	struct ffs_cg cg;
	uint32_t rotor, k, idx;
	const char *map;
	int error;

	c0 = isdir ? ffs_dirpref(um) : FFS_ITOG(um, pdp->i_number);
	for (i = 0; i < um->fs_ncg; i++) {
		c = (c0 + i) % um->fs_ncg;
		if (um->um_csum[c].cs_nifree <= 0)
			continue;
		if ((error = ffs_cg_get(um, c, &cg)) != 0)
			return error;
		map = cg.d + cg.iusedoff;
		rotor = ffs_get32(um, cg.d, CG_IROTOR);
		if (rotor >= um->fs_ipg)
			rotor = 0;
		for (k = 0; k < um->fs_ipg; k++) {
			idx = (rotor + k) % um->fs_ipg;
			if (!ffs_isset(map, idx) &&
			    c * um->fs_ipg + idx >= UFS_ROOTINO)
				break;
		}
		if (k == um->fs_ipg) {
			ffs_cg_put(&cg, false);
			continue;
		}
		while (idx >= cg.initediblk) {
			if ((error = ffs_initiblk(um, &cg, cg.initediblk)) !=
			    0) {
				ffs_cg_put(&cg, false);
				return error;
			}
			cg.initediblk += um->fs_inopb;
			ffs_put32(um, cg.d, CG_INITEDIBLK, cg.initediblk);
		}
		ffs_setbit(cg.d + cg.iusedoff, idx);
		ffs_put32(um, cg.d, CG_IROTOR, idx);
		ffs_cs_add(um, &cg, CS_NIFREE, -1);
		if (isdir)
			ffs_cs_add(um, &cg, CS_NDIR, 1);
		ffs_cg_touch(um, &cg);
		if ((error = ffs_cg_put(&cg, true)) != 0)
			return error;
		*inop = (ino_t)(c * um->fs_ipg + idx);
		return 0;
	}
	return ENOSPC;
}

void
ffs_ifree(struct ffs_mount *um, ino_t ino, bool isdir)
{
	uint32_t idx = (uint32_t)(ino % um->fs_ipg);
	struct ffs_cg cg;

	if (ffs_cg_get(um, FFS_ITOG(um, ino), &cg) != 0)
		return;
	if (!ffs_isset(cg.d + cg.iusedoff, idx)) {
		ffs_cg_put(&cg, false);
		(void)ffs_corrupt(um, "freeing free inode %llu",
		    (unsigned long long)ino);
		return;
	}
	ffs_clrbit(cg.d + cg.iusedoff, idx);
	ffs_cs_add(um, &cg, CS_NIFREE, 1);
	if (isdir)
		ffs_cs_add(um, &cg, CS_NDIR, -1);
	ffs_cg_touch(um, &cg);
	(void)ffs_cg_put(&cg, true);
}

bool
ffs_space_ok(struct ffs_mount *um, uint64_t n, kauth_cred_t cred)
{
	uint64_t nfree = um->fs_nbfree * um->fs_frag + um->fs_nffree;

	if (cred == NULL || kauth_cred_issuser(cred))
		return nfree >= n;
	return nfree >= n + FFS_RESERVED(um);
}
