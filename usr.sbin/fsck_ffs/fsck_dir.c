/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Phase 2 and directory editing.  Every 512-byte chunk of every
 * directory must be covered by well-formed records; the first two
 * entries are "." (itself) and ".."; every other name points to an
 * allocated inode in range, with the d_type of that inode, and names a
 * directory at most once.  A broken record is absorbed into the one
 * before it (or emptied); a bad name is removed the same way.  The
 * editing helpers (enter a name, point "..", remove a name, make
 * lost+found) serve phases 3 and 4.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsck.h"

#define DT_DIR 4

struct ent {
	uint32_t ino;
	uint16_t reclen;
	uint8_t type, namlen;
	const char *name;
};

static void
getent(const unsigned char *p, struct ent *e)
{
	e->ino = ffsu_get32(&fk.fs, p + DIR_INO);
	e->reclen = ffsu_get16(&fk.fs, p + DIR_RECLEN);
	e->type = p[DIR_TYPE];
	e->namlen = p[DIR_NAMLEN];
	e->name = (const char *)p + DIR_NAME;
}

/* Is the record at off of a chunk well formed? */
static bool
entok(const struct ent *e, uint32_t off)
{
	uint8_t i;

	if (e->reclen == 0 || e->reclen % 4 != 0 ||
	    off + e->reclen > DIRBLKSIZ)
		return false;
	if (e->ino == 0)
		return e->reclen >= DIR_NAME;
	if (e->namlen == 0 || e->reclen < DIRSIZ(e->namlen))
		return false;
	for (i = 0; i < e->namlen; i++)
		if (e->name[i] == '\0' || e->name[i] == '/')
			return false;
	return true;
}

/* Drop the record at off: into the previous one, or emptied. */
static void
dropent(unsigned char *chunk, int prev, uint32_t off)
{
	uint16_t reclen = ffsu_get16(&fk.fs, chunk + off + DIR_RECLEN);

	if (prev < 0)
		ffsu_put32(&fk.fs, chunk + off + DIR_INO, 0);
	else
		ffsu_put16(&fk.fs, chunk + prev + DIR_RECLEN,
		    (uint16_t)(ffsu_get16(&fk.fs, chunk + prev + DIR_RECLEN) +
		    reclen));
}

static bool
isname(const struct ent *e, const char *s)
{
	return e->namlen == strlen(s) && memcmp(e->name, s, e->namlen) == 0;
}

/* Check one chunk of directory dir; nent counts its live entries. */
static bool
checkchunk(uint32_t dir, unsigned char *chunk, unsigned *nent)
{
	struct inoinfo *ii;
	struct ent e;
	uint32_t off = 0;
	int prev = -1;
	bool dirty = false, dot, dotdot;

	while (off < DIRBLKSIZ) {
		getent(chunk + off, &e);
		if (!entok(&e, off)) {
			if (problem(true, "directory %u: bad entry at chunk "
			    "byte %u (inode %u, reclen %u, name length %u)",
			    dir, off, e.ino, e.reclen, e.namlen)) {
				if (prev < 0) {
					ffsu_put32(&fk.fs, chunk + DIR_INO, 0);
					ffsu_put16(&fk.fs, chunk + DIR_RECLEN,
					    DIRBLKSIZ);
				} else
					ffsu_put16(&fk.fs, chunk + prev +
					    DIR_RECLEN, (uint16_t)(DIRBLKSIZ -
					    (uint32_t)prev));
				dirty = true;
			}
			return dirty;
		}
		if (e.ino == 0) {
			prev = (int)off;
			off += e.reclen;
			continue;
		}
		dot = isname(&e, ".");
		dotdot = isname(&e, "..");
		if (*nent == 0 && !dot)
			problem(false, "directory %u: first entry is \"%.*s\", "
			    "not \".\"", dir, e.namlen, e.name);
		if (*nent == 1 && !dotdot)
			problem(false, "directory %u: second entry is "
			    "\"%.*s\", not \"..\"", dir, e.namlen, e.name);
		if ((dot && *nent != 0) || (dotdot && *nent != 1)) {
			if (problem(true, "directory %u: extra \"%.*s\" entry",
			    dir, e.namlen, e.name)) {
				dropent(chunk, prev, off);
				dirty = true;
				off += e.reclen;
				continue;
			}
		}
		(*nent)++;
		if (dot && e.ino != dir &&
		    problem(true, "directory %u: \".\" is %u, should be %u",
		    dir, e.ino, dir)) {
			ffsu_put32(&fk.fs, chunk + off + DIR_INO, dir);
			e.ino = dir;
			dirty = true;
		}
		if (e.ino < UFS_ROOTINO || e.ino >= fk.fs.maxino ||
		    fk.ino[e.ino].state == IS_FREE ||
		    fk.ino[e.ino].state == IS_CLEARED) {
			if (dotdot) {
				/* Phase 3 points it at the parent. */
				fk.ino[dir].dotdot = 0;
				prev = (int)off;
				off += e.reclen;
				continue;
			}
			if (problem(true, "directory %u: entry \"%.*s\" %s "
			    "inode %u", dir, e.namlen, e.name,
			    e.ino < UFS_ROOTINO || e.ino >= fk.fs.maxino ?
			    "has out-of-range" : "names unallocated",
			    e.ino)) {
				dropent(chunk, prev, off);
				dirty = true;
			} else
				prev = (int)off;
			off += e.reclen;
			continue;
		}
		ii = &fk.ino[e.ino];
		if (!dot && !dotdot && ii->state == IS_DIR &&
		    ii->parent != 0) {
			if (problem(true, "directory %u: entry \"%.*s\" is a "
			    "second name of directory %u", dir, e.namlen,
			    e.name, e.ino)) {
				dropent(chunk, prev, off);
				dirty = true;
				off += e.reclen;
				continue;
			}
		}
		if (e.type != ii->dtype &&
		    problem(true, "directory %u: entry \"%.*s\" type %u, "
		    "should be %u", dir, e.namlen, e.name, e.type,
		    ii->dtype)) {
			chunk[off + DIR_TYPE] = ii->dtype;
			dirty = true;
		}
		if (dotdot)
			fk.ino[dir].dotdot = e.ino;
		else if (!dot && ii->state == IS_DIR && ii->parent == 0)
			ii->parent = dir;
		if (dir == UFS_ROOTINO && ii->state == IS_DIR &&
		    isname(&e, "lost+found"))
			fk.lostfound = e.ino;
		ii->found++;
		prev = (int)off;
		off += e.reclen;
	}
	return dirty;
}

void
pass2(void)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *buf = xcalloc(1, fs->bsize);
	uint32_t cur = 0, ch;
	unsigned nent = 0;
	bool dirty;
	size_t i;

	fk.ino[UFS_ROOTINO].parent = UFS_ROOTINO;
	for (i = 0; i < fk.ndirblks; i++) {
		struct dirblk *db = &fk.dirblks[i];

		if (fk.ino[db->ino].state != IS_DIR)
			continue;
		if (db->ino != cur) {
			if (cur != 0 && nent < 2)
				problem(false, "directory %u: no \".\" and "
				    "\"..\" entries", cur);
			cur = db->ino;
			nent = 0;
		}
		rd(buf, db->bytes, db->frag * fs->fsize);
		dirty = false;
		for (ch = 0; ch < db->bytes / DIRBLKSIZ; ch++)
			dirty |= checkchunk(db->ino, buf + ch * DIRBLKSIZ,
			    &nent);
		if (dirty && fk.yes)
			wr(buf, db->bytes, db->frag * fs->fsize);
	}
	if (cur != 0 && nent < 2)
		problem(false, "directory %u: no \".\" and \"..\" entries",
		    cur);
	free(buf);
}

bool
direnter(uint32_t dir, const char *name, uint32_t ino, uint8_t type)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *buf = xcalloc(1, fs->bsize), *p, raw[DINODE2_SIZE];
	uint16_t need = (uint16_t)DIRSIZ(strlen(name)), used;
	struct ffsu_dinode di;
	struct dirblk *last = NULL;
	struct ent e;
	uint32_t off;
	size_t i;

	for (i = 0; i < fk.ndirblks; i++) {
		struct dirblk *db = &fk.dirblks[i];

		if (db->ino != dir)
			continue;
		last = db;
		rd(buf, db->bytes, db->frag * fs->fsize);
		for (off = 0; off < db->bytes; off += e.reclen) {
			getent(buf + off, &e);
			if (e.reclen == 0)
				break;
			used = e.ino != 0 ? (uint16_t)DIRSIZ(e.namlen) : 0;
			if (e.reclen - used < need)
				continue;
			if (used != 0)
				ffsu_put16(fs, buf + off + DIR_RECLEN, used);
			p = buf + off + used;
			ffsu_put32(fs, p + DIR_INO, ino);
			ffsu_put16(fs, p + DIR_RECLEN, e.reclen - used);
			p[DIR_TYPE] = type;
			p[DIR_NAMLEN] = (uint8_t)strlen(name);
			memcpy(p + DIR_NAME, name, strlen(name) + 1);
			wr(buf, db->bytes, db->frag * fs->fsize);
			free(buf);
			return true;
		}
	}
	/* A new chunk, if the last block has room for it. */
	rd(raw, fs->isize, ffsu_ino_offset(fs, dir));
	ffsu_dinode_decode(fs, raw, &di);
	if (last == NULL || di.size != (uint64_t)last->lbn * fs->bsize +
	    last->bytes || last->bytes + DIRBLKSIZ >
	    ffsu_nfrags(fs, last->bytes) * fs->fsize) {
		free(buf);
		return false;
	}
	memset(buf, 0, DIRBLKSIZ);
	ffsu_put32(fs, buf + DIR_INO, ino);
	ffsu_put16(fs, buf + DIR_RECLEN, DIRBLKSIZ);
	buf[DIR_TYPE] = type;
	buf[DIR_NAMLEN] = (uint8_t)strlen(name);
	memcpy(buf + DIR_NAME, name, strlen(name));
	wr(buf, DIRBLKSIZ, last->frag * fs->fsize + last->bytes);
	last->bytes += DIRBLKSIZ;
	di.size += DIRBLKSIZ;
	ffsu_dinode_encode(fs, &di, raw);
	wr(raw, fs->isize, ffsu_ino_offset(fs, dir));
	free(buf);
	return true;
}

/* The first block of dir, read into buf; NULL if none. */
static struct dirblk *
firstblk(uint32_t dir, unsigned char *buf)
{
	size_t i;

	for (i = 0; i < fk.ndirblks; i++) {
		if (fk.dirblks[i].ino == dir && fk.dirblks[i].lbn == 0) {
			rd(buf, fk.dirblks[i].bytes,
			    fk.dirblks[i].frag * fk.fs.fsize);
			return &fk.dirblks[i];
		}
	}
	return NULL;
}

bool
setdotdot(uint32_t dir, uint32_t parent)
{
	unsigned char *buf = xcalloc(1, fk.fs.bsize);
	struct dirblk *db = firstblk(dir, buf);
	struct ent e;
	bool ok = false;

	if (db != NULL) {
		getent(buf, &e);
		if (entok(&e, 0) && e.reclen < DIRBLKSIZ) {
			uint32_t off = e.reclen;

			getent(buf + off, &e);
			if (entok(&e, off) && isname(&e, "..")) {
				ffsu_put32(&fk.fs, buf + off + DIR_INO, parent);
				buf[off + DIR_TYPE] = DT_DIR;
				wr(buf, db->bytes, db->frag * fk.fs.fsize);
				ok = true;
			}
		}
	}
	free(buf);
	return ok;
}

bool
dirremove(uint32_t dir, uint32_t child)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *buf = xcalloc(1, fs->bsize);
	struct ent e;
	uint32_t ch, off;
	size_t i;
	int prev;

	for (i = 0; i < fk.ndirblks; i++) {
		struct dirblk *db = &fk.dirblks[i];

		if (db->ino != dir)
			continue;
		rd(buf, db->bytes, db->frag * fs->fsize);
		for (ch = 0; ch < db->bytes; ch += DIRBLKSIZ) {
			prev = -1;
			for (off = 0; off < DIRBLKSIZ; off += e.reclen) {
				getent(buf + ch + off, &e);
				if (!entok(&e, off))
					break;
				if (e.ino == child && !isname(&e, ".") &&
				    !isname(&e, "..")) {
					dropent(buf + ch, prev, off);
					wr(buf, db->bytes, db->frag * fs->fsize);
					free(buf);
					return true;
				}
				prev = (int)off;
			}
		}
	}
	free(buf);
	return false;
}

/* Change ino's link count on disk (and in fk) by delta. */
static void
adjlink(uint32_t ino, int delta)
{
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode di;

	rd(raw, fk.fs.isize, ffsu_ino_offset(&fk.fs, ino));
	ffsu_dinode_decode(&fk.fs, raw, &di);
	di.nlink = (int16_t)(di.nlink + delta);
	ffsu_dinode_encode(&fk.fs, &di, raw);
	wr(raw, fk.fs.isize, ffsu_ino_offset(&fk.fs, ino));
	fk.ino[ino].nlink = di.nlink;
}

/* A free inode that is initialised on disk, 0 if none. */
static uint32_t
freeinode(void)
{
	uint64_t ino;

	for (ino = UFS_ROOTINO + 1; ino < fk.fs.maxino; ino++)
		if (fk.ino[ino].state == IS_FREE &&
		    ino % fk.fs.ipg < fk.inited[ino / fk.fs.ipg])
			return (uint32_t)ino;
	return 0;
}

/* A wholly free block, as its first frag; 0 if none. */
static uint64_t
freeblock(void)
{
	uint64_t b;
	uint32_t f;

	for (b = 0; b + fk.fs.frag <= fk.fs.size; b += fk.fs.frag) {
		for (f = 0; f < fk.fs.frag; f++)
			if (fk.owner[b + f] != 0)
				break;
		if (f == fk.fs.frag)
			return b;
	}
	return 0;
}

uint32_t
lostfound(void)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *buf, raw[DINODE2_SIZE];
	struct ffsu_dinode di;
	uint32_t ino, ch, f;
	uint64_t blk;

	if (fk.lostfound != 0 || !fk.yes)
		return fk.lostfound;
	if ((ino = freeinode()) == 0 || (blk = freeblock()) == 0) {
		printf("cannot make lost+found: no free %s\n",
		    ino == 0 ? "inode" : "block");
		return 0;
	}
	buf = xcalloc(1, fs->bsize);
	for (ch = 0; ch < fs->bsize; ch += DIRBLKSIZ)
		ffsu_put16(fs, buf + ch + DIR_RECLEN, DIRBLKSIZ);
	ffsu_put32(fs, buf + DIR_INO, ino);
	ffsu_put16(fs, buf + DIR_RECLEN, DIRSIZ(1));
	buf[DIR_TYPE] = DT_DIR;
	buf[DIR_NAMLEN] = 1;
	buf[DIR_NAME] = '.';
	ffsu_put32(fs, buf + DIRSIZ(1) + DIR_INO, UFS_ROOTINO);
	ffsu_put16(fs, buf + DIRSIZ(1) + DIR_RECLEN, DIRBLKSIZ - DIRSIZ(1));
	buf[DIRSIZ(1) + DIR_TYPE] = DT_DIR;
	buf[DIRSIZ(1) + DIR_NAMLEN] = 2;
	memcpy(buf + DIRSIZ(1) + DIR_NAME, "..", 2);
	wr(buf, fs->bsize, blk * fs->fsize);
	free(buf);
	rd(raw, fs->isize, ffsu_ino_offset(fs, ino));
	memset(raw, 0, sizeof(raw));
	memset(&di, 0, sizeof(di));
	di.mode = IFDIR | 0700;
	di.nlink = 2;
	di.size = fs->bsize;
	di.blocks = (uint64_t)fs->frag << fs->fsbtodb;
	di.db[0] = (int64_t)blk;
	di.atime = di.mtime = di.ctime = di.birthtime = time(NULL);
	ffsu_dinode_encode(fs, &di, raw);
	wr(raw, fs->isize, ffsu_ino_offset(fs, ino));
	for (f = 0; f < fs->frag; f++)
		fk.owner[blk + f] = ino;
	fk.ino[ino] = (struct inoinfo){ .state = IS_DIR, .dtype = DT_DIR,
		.nlink = 2, .found = 1, .parent = UFS_ROOTINO,
		.dotdot = UFS_ROOTINO };
	fk.nfiles++;
	adddirblk(ino, 0, blk, fs->bsize);
	if (!direnter(UFS_ROOTINO, "lost+found", ino, DT_DIR)) {
		printf("cannot make lost+found: no room in the root "
		    "directory\n");
		fk.ino[ino].found = 0;
		return 0;
	}
	fk.ino[ino].found = 2;
	fk.ino[UFS_ROOTINO].found++;
	adjlink(UFS_ROOTINO, 1);
	fk.lostfound = ino;
	printf("lost+found made: inode %u\n", ino);
	return ino;
}

/* Give a name in lost+found to an unreachable directory or file. */
bool
reconnect(uint32_t ino)
{
	struct inoinfo *ii = &fk.ino[ino];
	uint32_t lf = lostfound(), old;
	char name[24];

	if (lf == 0 || lf == ino)
		return false;
	snprintf(name, sizeof(name), "#%u", ino);
	if (!direnter(lf, name, ino, ii->dtype)) {
		printf("cannot reconnect inode %u: lost+found is full\n", ino);
		return false;
	}
	ii->found++;
	if (ii->state != IS_DIR)
		return true;
	ii->parent = lf;
	old = ii->dotdot;
	if (!setdotdot(ino, lf))
		return true;
	ii->dotdot = lf;
	fk.ino[lf].found++;
	adjlink(lf, 1);
	if (old >= UFS_ROOTINO && old < fk.fs.maxino &&
	    fk.ino[old].state == IS_DIR) {
		fk.ino[old].found--;
		adjlink(old, -1);
	}
	return true;
}
