/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Phase 1: every inode, and every block it points to.  The metadata of
 * each group is claimed first; then each allocated inode claims its
 * frags (data, and the indirect blocks leading to them) in the owner
 * map.  A pointer outside the file system, into metadata, or to frags
 * another inode claimed first makes the inode bad: -y clears it (its
 * names go in phase 2).  A pointer past the end of the file is cut.
 * The frags claimed must be what di_blocks says.  The blocks of
 * directories are remembered for phase 2.  A UFS2 inode's extended
 * attribute area (any type of file may have one) claims its frags too,
 * counted in di_blocks; a bad size, a bad or shared block or bad
 * records (fsck_extattr.c) make the area bad: -y clears it, not the
 * inode.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck.h"

#define MAXREPORT 10 /* block findings reported per inode */

struct walk {
	uint64_t ino;
	struct ffsu_dinode *di;
	uint64_t frags; /* claimed */
	unsigned nbad;  /* bad or duplicate pointers */
	bool cut;       /* a pointer past the end was cleared */
	bool release;   /* giving back instead of claiming */
	bool isdir;
};

static uint64_t
lblocks(uint64_t size)
{
	return (size + fk.fs.bsize - 1) / fk.fs.bsize;
}

/* Frags the block at lbn holds in a file of this size. */
static uint32_t
blkfrags(uint64_t size, int64_t lbn)
{
	uint64_t end = (uint64_t)(lbn + 1) * fk.fs.bsize;

	if (lbn >= UFS_NDADDR || size >= end)
		return fk.fs.frag;
	return (uint32_t)ffsu_nfrags(&fk.fs,
	                             size - (uint64_t)lbn * fk.fs.bsize);
}

static void badblock(struct walk *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
badblock(struct walk *w, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	w->nbad++;
	if (w->nbad > MAXREPORT)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->nbad == MAXREPORT)
		problem(true, "inode %llu: %s (and more not listed)",
		        (unsigned long long)w->ino, msg);
	else
		problem(true, "inode %llu: %s", (unsigned long long)w->ino,
		        msg);
}

/*
 * Claim (or give back) nfrags at blk for logical block lbn.  True when
 * the block is the inode's own, so an indirect block may be read.
 */
static bool
claim(struct walk *w, uint64_t blk, uint32_t nfrags, int64_t lbn)
{
	struct ffsu_fs *fs = &fk.fs;
	uint32_t f, o;
	bool own = true;

	if (blk + nfrags > fs->size || blk % fs->frag + nfrags > fs->frag) {
		if (!w->release)
			badblock(w, "bad block %llu (logical %lld)",
			         (unsigned long long)blk, (long long)lbn);
		return false;
	}
	for (f = 0; f < nfrags; f++) {
		o = fk.owner[blk + f];
		if (w->release) {
			if (o == w->ino)
				fk.owner[blk + f] = 0;
			else
				own = false;
			continue;
		}
		if (o == 0) {
			fk.owner[blk + f] = (uint32_t)w->ino;
			continue;
		}
		own = false;
		if (o == OWNER_META)
			badblock(w,
			         "block %llu (logical %lld) is in the "
			         "file system's metadata",
			         (unsigned long long)blk + f, (long long)lbn);
		else
			badblock(w,
			         "block %llu (logical %lld) already "
			         "claimed by inode %u",
			         (unsigned long long)blk + f, (long long)lbn,
			         o);
		break;
	}
	if (!w->release)
		w->frags += nfrags;
	return own;
}

void
adddirblk(uint32_t ino, int64_t lbn, uint64_t frag, uint32_t bytes)
{
	if (fk.ndirblks == fk.dirblkcap) {
		fk.dirblkcap = fk.dirblkcap ? fk.dirblkcap * 2 : 1024;
		fk.dirblks =
		    realloc(fk.dirblks, fk.dirblkcap * sizeof(*fk.dirblks));
		if (fk.dirblks == NULL)
			fatal("memory", "directory block list");
	}
	fk.dirblks[fk.ndirblks++] = (struct dirblk){
	    .ino = ino, .lbn = lbn, .frag = frag, .bytes = bytes};
}

/* One data block at lbn; false: the pointer is to be cut. */
static bool
datablock(struct walk *w, uint64_t blk, int64_t lbn)
{
	uint64_t size = w->di->size;
	uint32_t n;

	if ((uint64_t)lbn >= lblocks(size)) {
		if (!w->release) {
			w->cut = true;
			problem(true,
			        "inode %llu: block %llu at logical %lld "
			        "past the end (size %llu)",
			        (unsigned long long)w->ino,
			        (unsigned long long)blk, (long long)lbn,
			        (unsigned long long)size);
		}
		return false;
	}
	n = blkfrags(size, lbn);
	if (claim(w, blk, n, lbn) && w->isdir && !w->release)
		adddirblk(
		    (uint32_t)w->ino, lbn, blk,
		    (uint32_t)(size - (uint64_t)lbn * fk.fs.bsize < fk.fs.bsize
		                   ? size - (uint64_t)lbn * fk.fs.bsize
		                   : fk.fs.bsize));
	return true;
}

/*
 * An indirect block of the given level (0: pointers to data) whose
 * first logical block is base.  False: cut the pointer to it.
 */
static bool
indirect(struct walk *w, uint64_t blk, int level, int64_t base)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *buf;
	uint64_t span = 1, p;
	uint32_t i, psize = fs->ufs2 ? 8 : 4;
	bool dirty = false;
	int l;

	for (l = 0; l < level; l++)
		span *= fs->nindir;
	if ((uint64_t)base >= lblocks(w->di->size)) {
		if (!w->release) {
			w->cut = true;
			problem(true,
			        "inode %llu: indirect block %llu past "
			        "the end (size %llu)",
			        (unsigned long long)w->ino,
			        (unsigned long long)blk,
			        (unsigned long long)w->di->size);
		}
		return false;
	}
	if (!claim(w, blk, fs->frag, base))
		return true;
	buf = xcalloc(1, fs->bsize);
	rd(buf, fs->bsize, blk * fs->fsize);
	for (i = 0; i < fs->nindir && w->nbad <= MAXREPORT; i++) {
		p = fs->ufs2 ? ffsu_get64(fs, buf + 8 * i)
		             : ffsu_get32(fs, buf + 4 * i);
		if (p == 0)
			continue;
		if (level == 0
		        ? datablock(w, p, base + (int64_t)i)
		        : indirect(w, p, level - 1, base + (int64_t)(i * span)))
			continue;
		memset(buf + psize * i, 0, psize);
		dirty = true;
	}
	if (dirty && fk.yes)
		wr(buf, fs->bsize, blk * fs->fsize);
	free(buf);
	return true;
}

static void
walk(struct walk *w)
{
	struct ffsu_fs *fs = &fk.fs;
	int64_t base = UFS_NDADDR, span = fs->nindir;
	int i;

	for (i = 0; i < UFS_NDADDR && w->nbad <= MAXREPORT; i++) {
		if (w->di->db[i] == 0)
			continue;
		if (!datablock(w, (uint64_t)w->di->db[i], i))
			w->di->db[i] = 0;
	}
	for (i = 0; i < UFS_NIADDR && w->nbad <= MAXREPORT; i++) {
		if (w->di->ib[i] != 0 &&
		    !indirect(w, (uint64_t)w->di->ib[i], i, base))
			w->di->ib[i] = 0;
		base += span;
		span *= fs->nindir;
	}
}

/* Frags of block i of an attribute area of size bytes (0: none). */
static uint32_t
extfrags(uint64_t size, unsigned i)
{
	uint64_t start = (uint64_t)i * fk.fs.bsize;

	if (size <= start)
		return 0;
	if (size - start >= fk.fs.bsize)
		return fk.fs.frag;
	return (uint32_t)ffsu_nfrags(&fk.fs, size - start);
}

static bool
hasextarea(const struct ffsu_dinode *di)
{
	return fk.fs.ufs2 &&
	       (di->extsize != 0 || di->extb[0] != 0 || di->extb[1] != 0);
}

/* Give back the attribute blocks of di that ino owns. */
static void
extrelease(uint64_t ino, const struct ffsu_dinode *di)
{
	struct ffsu_dinode copy = *di;
	struct walk w = {.ino = ino, .di = &copy, .release = true};
	uint32_t n;
	unsigned i;

	if (!hasextarea(di))
		return;
	for (i = 0; i < UFS_NXADDR; i++)
		if (di->extb[i] > 0 && (uint64_t)di->extb[i] < fk.fs.size &&
		    (n = extfrags(di->extsize, i)) > 0)
			claim(&w, (uint64_t)di->extb[i], n, -1 - (int64_t)i);
}

/* Give back the data and indirect blocks of di that ino owns. */
static void
releasedata(uint64_t ino, const struct ffsu_dinode *di)
{
	struct ffsu_dinode copy = *di;
	struct walk w = {.ino = ino, .di = &copy, .release = true};

	walk(&w);
}

void
releaseblocks(uint64_t ino, const struct ffsu_dinode *di)
{
	releasedata(ino, di);
	extrelease(ino, di);
}

/*
 * The attribute area of a UFS2 inode: its size, its blocks (claimed
 * for ino; *fragsp: how many) and its records.  A bad one is given
 * back, and cleared with -y.
 */
static void
extarea(uint64_t ino, unsigned char *raw, struct ffsu_dinode *di,
        uint64_t *fragsp)
{
	struct ffsu_fs *fs = &fk.fs;
	struct walk w = {.ino = ino, .di = di};
	const char *why = NULL;
	char whybuf[96];
	unsigned char *area;
	size_t off, done, n;
	uint32_t nf;
	unsigned i;

	*fragsp = 0;
	if (!hasextarea(di))
		return;
	if (di->extsize > (uint64_t)UFS_NXADDR * fs->bsize)
		why = "size beyond two blocks";
	for (i = 0; why == NULL && i < UFS_NXADDR; i++) {
		nf = extfrags(di->extsize, i);
		if (nf == 0 && di->extb[i] != 0)
			why = "block past its size";
		else if (nf > 0 && di->extb[i] == 0)
			why = "block missing";
		else if (nf > 0 &&
		         (di->extb[i] < 0 || (uint64_t)di->extb[i] >= fs->size))
			why = "block outside the file system";
		else if (nf > 0 && (!claim(&w, (uint64_t)di->extb[i], nf,
		                           -1 - (int64_t)i) ||
		                    w.nbad > 0))
			why = "bad or shared block";
	}
	if (why == NULL && di->extsize > 0) {
		area = xcalloc(1, di->extsize);
		for (i = 0, done = 0; done < di->extsize; i++, done += n) {
			n = di->extsize - done < fs->bsize ? di->extsize - done
			                                   : fs->bsize;
			rd(area + done, n, (uint64_t)di->extb[i] * fs->fsize);
		}
		if ((why = ea_badrecord(area, di->extsize, &off)) != NULL) {
			snprintf(whybuf, sizeof(whybuf), "%s at byte %zu", why,
			         off);
			why = whybuf;
		}
		free(area);
	}
	if (why == NULL) {
		*fragsp = w.frags;
		return;
	}
	extrelease(ino, di);
	if (problem(true, "inode %llu: attribute area (%u bytes): %s",
	            (unsigned long long)ino, di->extsize, why)) {
		di->extsize = 0;
		memset(di->extb, 0, sizeof(di->extb));
		ffsu_dinode_encode(fs, di, raw);
		wr(raw, fs->isize, ffsu_ino_offset(fs, ino));
	}
}

/* A file with no blocks of its own holds its attribute area's only. */
static void
blockcount(uint64_t ino, unsigned char *raw, struct ffsu_dinode *di,
           uint64_t frags)
{
	uint64_t sectors = frags << fk.fs.fsbtodb;

	if (di->blocks != sectors &&
	    problem(true, "inode %llu: block count %llu, should be %llu",
	            (unsigned long long)ino, (unsigned long long)di->blocks,
	            (unsigned long long)sectors)) {
		di->blocks = sectors;
		ffsu_dinode_encode(&fk.fs, di, raw);
		wr(raw, fk.fs.isize, ffsu_ino_offset(&fk.fs, ino));
	}
}

void
clearinode(uint64_t ino)
{
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode di;

	if (fk.ino[ino].state == IS_FREE || fk.ino[ino].state == IS_CLEARED)
		return;
	rd(raw, fk.fs.isize, ffsu_ino_offset(&fk.fs, ino));
	ffsu_dinode_decode(&fk.fs, raw, &di);
	releaseblocks(ino, &di);
	memset(raw, 0, sizeof(raw));
	wr(raw, fk.fs.isize, ffsu_ino_offset(&fk.fs, ino));
	fk.ino[ino].state = IS_CLEARED;
	fk.nfiles--;
}

/*
 * The first logical block a directory lacks below its size (its blocks
 * were listed from dirblks[first] on, in order), or -1.
 */
static int64_t
dirhole(size_t first, uint64_t size)
{
	int64_t want = 0;
	size_t i;

	for (i = first; i < fk.ndirblks; i++, want++)
		if (fk.dirblks[i].lbn != want)
			return want;
	return (uint64_t)want < lblocks(size) ? want : -1;
}

uint8_t
modetodt(uint16_t mode)
{
	return (uint8_t)((mode & IFMT) >> 12);
}

static bool
fasthlink(const struct ffsu_dinode *di)
{
	uint32_t max = fk.fs.maxsymlinklen;

	return di->size < max || (max == 0 && di->blocks == 0);
}

static void
checkinode(uint64_t ino, unsigned char *raw)
{
	struct ffsu_fs *fs = &fk.fs;
	struct ffsu_dinode di;
	struct walk w = {.ino = ino, .di = &di};
	uint16_t type;
	uint64_t maxfile, extfr;
	int64_t hole;
	size_t first;
	unsigned i;
	bool any = false;

	ffsu_dinode_decode(fs, raw, &di);
	if (di.mode == 0) {
		for (i = 0; i < UFS_NDADDR; i++)
			any |= di.db[i] != 0;
		for (i = 0; i < UFS_NIADDR; i++)
			any |= di.ib[i] != 0;
		any |= hasextarea(&di);
		if ((any || di.nlink != 0 || di.size != 0 || di.blocks != 0) &&
		    problem(true,
		            "inode %llu: unallocated (mode 0) but has "
		            "links %d, size %llu, blocks %llu%s",
		            (unsigned long long)ino, di.nlink,
		            (unsigned long long)di.size,
		            (unsigned long long)di.blocks,
		            any ? " and block pointers" : "")) {
			memset(raw, 0, fs->isize);
			wr(raw, fs->isize, ffsu_ino_offset(fs, ino));
		}
		return;
	}
	fk.nfiles++;
	type = di.mode & IFMT;
	fk.ino[ino].state = type == IFDIR ? IS_DIR : IS_FILE;
	fk.ino[ino].dtype = modetodt(di.mode);
	fk.ino[ino].nlink = di.nlink;
	extarea(ino, raw, &di, &extfr);
	switch (type) {
	case IFREG:
	case IFDIR:
	case IFLNK:
		break;
	case IFCHR:
	case IFBLK:
	case IFIFO:
	case IFSOCK:
		/* No blocks; db[0] may be a device number. */
		blockcount(ino, raw, &di, extfr);
		return;
	default:
		fk.ino[ino].state = IS_FILE;
		if (problem(ino != UFS_ROOTINO,
		            "inode %llu: unknown file "
		            "type 0%o",
		            (unsigned long long)ino, type))
			clearinode(ino);
		return;
	}
	maxfile = ffsu_get64(fs, fs->sb + FS_MAXFILESIZE);
	if (type == IFDIR && (di.size == 0 || di.size > (1ULL << 31))) {
		if (problem(ino != UFS_ROOTINO,
		            "inode %llu: directory size "
		            "%llu",
		            (unsigned long long)ino,
		            (unsigned long long)di.size))
			clearinode(ino);
		return;
	}
	if (type == IFDIR && di.size % DIRBLKSIZ != 0 &&
	    problem(true,
	            "inode %llu: directory size %llu is not a "
	            "multiple of %d",
	            (unsigned long long)ino, (unsigned long long)di.size,
	            DIRBLKSIZ)) {
		di.size = (di.size + DIRBLKSIZ - 1) / DIRBLKSIZ * DIRBLKSIZ;
		ffsu_dinode_encode(fs, &di, raw);
		wr(raw, fs->isize, ffsu_ino_offset(fs, ino));
	}
	if (di.size > maxfile && maxfile != 0) {
		if (problem(true,
		            "inode %llu: size %llu beyond the largest "
		            "file, %llu",
		            (unsigned long long)ino,
		            (unsigned long long)di.size,
		            (unsigned long long)maxfile))
			clearinode(ino);
		return;
	}
	if (type == IFLNK && fasthlink(&di)) {
		blockcount(ino, raw, &di, extfr);
		return;
	}
	w.isdir = type == IFDIR;
	first = fk.ndirblks;
	walk(&w);
	if (w.nbad > 0) {
		/* Without its root nothing is left to check: keep it. */
		if (problem(ino != UFS_ROOTINO,
		            "inode %llu: cleared (bad or "
		            "shared blocks)",
		            (unsigned long long)ino))
			clearinode(ino);
		return;
	}
	if (w.isdir && (hole = dirhole(first, di.size)) >= 0 &&
	    problem(hole > 0,
	            "directory %llu: hole at logical block %lld "
	            "(size %llu)",
	            (unsigned long long)ino, (long long)hole,
	            (unsigned long long)di.size)) {
		/* Cut it short before the hole, and claim again. */
		releasedata(ino, &di);
		fk.ndirblks = first;
		di.size = (uint64_t)hole * fs->bsize;
		w = (struct walk){.ino = ino, .di = &di, .isdir = true};
		walk(&w);
		w.cut = true;
	}
	if (w.cut && fk.yes) {
		ffsu_dinode_encode(fs, &di, raw);
		wr(raw, fs->isize, ffsu_ino_offset(fs, ino));
	}
	blockcount(ino, raw, &di, w.frags + extfr);
}

static void
claimmeta(uint64_t from, uint64_t to)
{
	for (; from < to && from < fk.fs.size; from++)
		fk.owner[from] = OWNER_META;
}

/* Inodes of group c that are initialised (UFS2 may leave some). */
static uint32_t
initedinodes(uint32_t c)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *cg;
	uint32_t n = fs->ipg;

	if (!fs->ufs2)
		return n;
	cg = xcalloc(1, fs->cgsize);
	rd(cg, fs->cgsize, ffsu_cgtod(fs, c) * fs->fsize);
	if (ffsu_get32(fs, cg + CG_MAGICOFF) == CG_MAGIC &&
	    ffsu_get32(fs, cg + CG_INITEDIBLK) < n)
		n = ffsu_get32(fs, cg + CG_INITEDIBLK);
	free(cg);
	return n;
}

void
pass1(void)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *tab;
	uint64_t ino;
	uint32_t c, i, n;

	fk.owner = xcalloc(fs->size, sizeof(*fk.owner));
	fk.ino = xcalloc(fs->maxino, sizeof(*fk.ino));
	fk.inited = xcalloc(fs->ncg, sizeof(*fk.inited));
	for (c = 0; c < fs->ncg; c++)
		claimmeta(c == 0 ? 0 : ffsu_cgsblock(fs, c),
		          ffsu_cgdmin(fs, c));
	claimmeta(fs->csaddr, fs->csaddr + ffsu_nfrags(fs, fs->cssize));
	tab = xcalloc(fs->ipg, fs->isize);
	for (c = 0; c < fs->ncg; c++) {
		n = fk.inited[c] = initedinodes(c);
		rd(tab, (size_t)n * fs->isize, ffsu_cgimin(fs, c) * fs->fsize);
		for (i = 0; i < n; i++) {
			ino = (uint64_t)c * fs->ipg + i;
			if (ino < UFS_ROOTINO)
				continue;
			checkinode(ino, tab + (size_t)i * fs->isize);
		}
		debug("group %u: %u inodes read\n", c, n);
	}
	free(tab);
}
