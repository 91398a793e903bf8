/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Directories: DIRBLKSIZ chunks of struct direct records (ffs_format.h),
 * read through the directory vnode's own buffers.  Every block is
 * checked whole when it is read, before any record of it is used, so
 * the walkers below can trust each record's length and name: records
 * of at least the minimal size, a multiple of 4, ending inside their
 * chunk, long enough for their name; names of 1..255 bytes without NUL
 * or '/'; inode numbers inside the file system.
 *
 * A getdents cookie is the byte offset of a record in the directory.
 *
 * Changes (um_lock held as writer): a new entry goes into the first
 * chunk with room, after an entry whose record is longer than its name
 * needs or into an unused record; a chunk whose room is scattered over
 * several records is compacted first; with no room anywhere the
 * directory grows by a chunk.  A removed entry's record is merged into
 * the one before it, or, first in its chunk, marked unused (inode 0).
 * Large directories keep a name hash (ufs_dirhash.c) that these
 * changes keep up to date, so neither lookups nor finding room scan.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "ffs.h"

static int
ufs_chunkcheck(const struct ffs_mount *um, const struct ffs_inode *dp,
    const char *chunk, uint64_t off)
{
	size_t pos, reclen, namlen, i;
	uint32_t ino;
	const char *nm;

	for (pos = 0; pos < DIRBLKSIZ; pos += reclen) {
		ino = ffs_get32(um, chunk + pos, DIR_INO);
		reclen = ffs_get16(um, chunk + pos, DIR_RECLEN);
		namlen = (unsigned char)chunk[pos + DIR_NAMLEN];
		if (reclen < DIRSIZ(0) || reclen % 4 != 0 ||
		    reclen > DIRBLKSIZ - pos)
			return ffs_corrupt(um, "directory %llu offset %llu: "
			    "record length %zu", (unsigned long long)dp->i_number,
			    (unsigned long long)(off + pos), reclen);
		if (ino == 0)
			continue;
		if (namlen == 0 || DIRSIZ(namlen) > reclen ||
		    ino >= um->um_maxino)
			return ffs_corrupt(um, "directory %llu offset %llu: "
			    "inode %u, name of %zu bytes in %zu",
			    (unsigned long long)dp->i_number,
			    (unsigned long long)(off + pos), ino, namlen, reclen);
		nm = chunk + pos + DIR_NAME;
		for (i = 0; i < namlen; i++)
			if (nm[i] == '\0' || nm[i] == '/')
				return ffs_corrupt(um, "directory %llu offset "
				    "%llu: bad name",
				    (unsigned long long)dp->i_number,
				    (unsigned long long)(off + pos));
	}
	return 0;
}

/*
 * Block lbn of directory vp, checked: *bpp holds *lenp bytes of
 * directory (the block may run past the size, to a frag boundary).
 * Checked once per read from the disk: what this code changes stays
 * well formed.
 */
static int
ufs_dirblock(struct vnode *vp, uint64_t lbn, struct buf **bpp, size_t *lenp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *dp = VTOI(vp);
	uint64_t off = lbn << um->fs_bshift;
	struct buf *bp;
	size_t len, c;
	int error;

	if ((error = bread(vp, (daddr_t)lbn, ffs_blksize(um, dp->i_size, lbn),
	    0, &bp)) != 0)
		return error;
	len = (size_t)MIN(dp->i_size - off, um->fs_bsize);
	for (c = 0; !bp->b_fschecked && c < len; c += DIRBLKSIZ) {
		if ((error = ufs_chunkcheck(um, dp, (char *)bp->b_data + c,
		    off + c)) != 0) {
			brelse(bp, 0);
			return error;
		}
	}
	bp->b_fschecked = true;
	*bpp = bp;
	*lenp = len;
	return 0;
}

/* A live entry: an inode, and not a whiteout (a union mount's mark). */
static bool
ufs_live(const struct ffs_mount *um, const char *rec)
{
	return ffs_get32(um, rec, DIR_INO) != 0 &&
	    (unsigned char)rec[DIR_TYPE] != DIR_TYPE_WHITEOUT;
}

static bool
ufs_namematch(const char *rec, const char *nm, size_t len)
{
	return (unsigned char)rec[DIR_NAMLEN] == len &&
	    memcmp(rec + DIR_NAME, nm, len) == 0;
}

/* Bytes of a chunk that new entries could use. */
static size_t
ufs_chunkfree(const struct ffs_mount *um, const char *chunk)
{
	size_t pos, reclen, nfree = 0;
	const char *rec;

	for (pos = 0; pos < DIRBLKSIZ; pos += reclen) {
		rec = chunk + pos;
		reclen = ffs_get16(um, rec, DIR_RECLEN);
		if (ffs_get32(um, rec, DIR_INO) == 0)
			nfree += reclen;
		else
			nfree += reclen - DIRSIZ((unsigned char)rec[DIR_NAMLEN]);
	}
	return nfree;
}

/* Look for the name in the chunk at off (held in chunk). */
static bool
ufs_chunkfind(const struct ffs_mount *um, const char *chunk, uint64_t off,
    const char *nm, size_t len, struct ufs_dirpos *dpos)
{
	size_t pos, prev = 0;
	const char *rec;

	for (pos = 0; pos < DIRBLKSIZ;
	    prev = pos, pos += ffs_get16(um, rec, DIR_RECLEN)) {
		rec = chunk + pos;
		if (ufs_live(um, rec) && ufs_namematch(rec, nm, len)) {
			dpos->dp_off = off + pos;
			dpos->dp_prev = off + prev;
			dpos->dp_ino = ffs_get32(um, rec, DIR_INO);
			dpos->dp_type = (unsigned char)rec[DIR_TYPE];
			return true;
		}
	}
	return false;
}

/* Whether the live entry at off is the name; fills dpos if so. */
int
ufs_dircheckat(struct vnode *dvp, uint64_t off, const char *nm, size_t len,
    struct ufs_dirpos *dpos)
{
	struct ffs_mount *um = VTOFFS(dvp);
	uint64_t lbn = off >> um->fs_bshift, coff = off & ~(uint64_t)511;
	struct buf *bp;
	size_t blen;
	bool found;
	int error;

	if (off >= VTOI(dvp)->i_size)
		return ENOENT;
	if ((error = ufs_dirblock(dvp, lbn, &bp, &blen)) != 0)
		return error;
	found = ufs_chunkfind(um, (char *)bp->b_data + (coff -
	    (lbn << um->fs_bshift)), coff, nm, len, dpos) &&
	    dpos->dp_off == off;
	brelse(bp, 0);
	return found ? 0 : ENOENT;
}

int
ufs_dirlookup(struct vnode *dvp, const char *nm, size_t len,
    struct ufs_dirpos *dpos)
{
	struct ffs_mount *um = VTOFFS(dvp);
	struct ffs_inode *dp = VTOI(dvp);
	uint64_t lbn, nblk = howmany(dp->i_size, um->fs_bsize);
	struct buf *bp;
	size_t blen, c;
	bool found = false;
	int error;

	if ((error = ufs_dirhash_lookup(dvp, nm, len, dpos)) != EJUSTRETURN)
		return error;
	for (lbn = 0; lbn < nblk && !found; lbn++) {
		if ((error = ufs_dirblock(dvp, lbn, &bp, &blen)) != 0)
			return error;
		for (c = 0; c < blen && !found; c += DIRBLKSIZ)
			found = ufs_chunkfind(um, (char *)bp->b_data + c,
			    (lbn << um->fs_bshift) + c, nm, len, dpos);
		brelse(bp, 0);
	}
	return found ? 0 : ENOENT;
}

int
ufs_lookup_ino(struct vnode *dvp, const char *nm, size_t len, ino_t *inop)
{
	struct ufs_dirpos dpos;
	int error;

	if ((error = ufs_dirlookup(dvp, nm, len, &dpos)) == 0)
		*inop = dpos.dp_ino;
	return error;
}

/* Every live entry of the directory, for building its hash. */
int
ufs_dirwalk(struct vnode *dvp, void (*fn)(void *, const char *, size_t,
    uint64_t), void (*chunkfn)(void *, uint64_t, size_t), void *arg)
{
	struct ffs_mount *um = VTOFFS(dvp);
	struct ffs_inode *dp = VTOI(dvp);
	uint64_t lbn, nblk = howmany(dp->i_size, um->fs_bsize), off;
	struct buf *bp;
	size_t blen, c, pos;
	const char *rec, *chunk;
	int error;

	for (lbn = 0; lbn < nblk; lbn++) {
		if ((error = ufs_dirblock(dvp, lbn, &bp, &blen)) != 0)
			return error;
		for (c = 0; c < blen; c += DIRBLKSIZ) {
			chunk = (const char *)bp->b_data + c;
			off = (lbn << um->fs_bshift) + c;
			chunkfn(arg, off, ufs_chunkfree(um, chunk));
			for (pos = 0; pos < DIRBLKSIZ;
			    pos += ffs_get16(um, rec, DIR_RECLEN)) {
				rec = chunk + pos;
				if (ufs_live(um, rec))
					fn(arg, rec + DIR_NAME,
					    (unsigned char)rec[DIR_NAMLEN],
					    off + pos);
			}
		}
		brelse(bp, 0);
	}
	return 0;
}

unsigned char
ufs_vtype_dt(enum vtype t)
{
	switch (t) {
	case VREG: return DT_REG;
	case VDIR: return DT_DIR;
	case VLNK: return DT_LNK;
	case VCHR: return DT_CHR;
	case VBLK: return DT_BLK;
	case VFIFO: return DT_FIFO;
	case VSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

static void
ufs_putent(const struct ffs_mount *um, char *rec, ino_t ino, size_t reclen,
    unsigned char type, const char *nm, size_t len)
{
	ffs_put32(um, rec, DIR_INO, (uint32_t)ino);
	ffs_put16(um, rec, DIR_RECLEN, (uint16_t)reclen);
	rec[DIR_TYPE] = (char)type;
	rec[DIR_NAMLEN] = (char)len;
	memcpy(rec + DIR_NAME, nm, len);
	memset(rec + DIR_NAME + len, 0, DIRSIZ(len) - DIR_NAME - len);
}

void
ufs_dirtemplate(struct ffs_mount *um, char *chunk, ino_t self, ino_t parent)
{
	memset(chunk, 0, DIRBLKSIZ);
	ufs_putent(um, chunk, self, DIRSIZ(1), DT_DIR, ".", 1);
	ufs_putent(um, chunk + DIRSIZ(1), parent, DIRBLKSIZ - DIRSIZ(1),
	    DT_DIR, "..", 2);
}

/*
 * Slide the live entries of a chunk together, the room left at the end
 * in the last record; the hash learns where each went.
 */
static void
ufs_compact(struct vnode *dvp, char *chunk, uint64_t off)
{
	struct ffs_mount *um = VTOFFS(dvp);
	char tmp[DIRBLKSIZ];
	size_t pos, reclen, sz, to = 0, last = 0;
	const char *rec;

	memset(tmp, 0, sizeof(tmp));
	for (pos = 0; pos < DIRBLKSIZ; pos += reclen) {
		rec = chunk + pos;
		reclen = ffs_get16(um, rec, DIR_RECLEN);
		if (ffs_get32(um, rec, DIR_INO) == 0)
			continue;
		sz = DIRSIZ((unsigned char)rec[DIR_NAMLEN]);
		memcpy(tmp + to, rec, sz);
		ffs_put16(um, tmp + to, DIR_RECLEN, (uint16_t)sz);
		if (to != pos && ufs_live(um, rec))
			ufs_dirhash_move(dvp, rec + DIR_NAME,
			    (unsigned char)rec[DIR_NAMLEN], off + pos, off + to);
		last = to;
		to += sz;
	}
	if (to == 0) {
		/* Nothing live: one unused record. */
		ffs_put16(um, tmp, DIR_RECLEN, DIRBLKSIZ);
	} else
		ffs_put16(um, tmp + last, DIR_RECLEN,
		    (uint16_t)(DIRBLKSIZ - last));
	memcpy(chunk, tmp, DIRBLKSIZ);
}

/* Put the entry into a chunk known to have the room; its offset. */
static uint64_t
ufs_chunkinsert(struct vnode *dvp, char *chunk, uint64_t off, const char *nm,
    size_t len, ino_t ino, unsigned char type)
{
	struct ffs_mount *um = VTOFFS(dvp);
	size_t need = DIRSIZ(len), pos, reclen, used;
	char *rec;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (pos = 0; pos < DIRBLKSIZ; pos += reclen) {
			rec = chunk + pos;
			reclen = ffs_get16(um, rec, DIR_RECLEN);
			if (ffs_get32(um, rec, DIR_INO) == 0) {
				if (reclen < need)
					continue;
				ufs_putent(um, rec, ino, reclen, type, nm, len);
				return off + pos;
			}
			used = DIRSIZ((unsigned char)rec[DIR_NAMLEN]);
			if (reclen - used < need)
				continue;
			ffs_put16(um, rec, DIR_RECLEN, (uint16_t)used);
			ufs_putent(um, rec + used, ino, reclen - used, type, nm,
			    len);
			return off + pos + used;
		}
		ufs_compact(dvp, chunk, off);
	}
	panic("ufs_chunkinsert: no room after compaction");
}

int
ufs_direnter(struct vnode *dvp, const char *nm, size_t len, ino_t ino,
    unsigned char type, kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(dvp);
	struct ffs_inode *dp = VTOI(dvp);
	uint64_t lbn, nblk = howmany(dp->i_size, um->fs_bsize), off, eoff;
	size_t need = DIRSIZ(len), blen, c;
	struct buf *bp;
	char *chunk;
	int error;

	error = ufs_dirhash_findfree(dvp, need, &off);
	if (error == 0) {
		lbn = off >> um->fs_bshift;
		if ((error = ufs_dirblock(dvp, lbn, &bp, &blen)) != 0)
			return error;
		c = (size_t)(off - (lbn << um->fs_bshift));
		chunk = (char *)bp->b_data + c;
		if (ufs_chunkfree(um, chunk) >= need)
			goto found;
		/* The hash was wrong: forget it, search. */
		brelse(bp, 0);
		ufs_dirhash_free(um, dp);
	} else if (error != EJUSTRETURN && error != ENOENT)
		return error;
	for (lbn = 0; error != ENOENT && lbn < nblk; lbn++) {
		if ((error = ufs_dirblock(dvp, lbn, &bp, &blen)) != 0)
			return error;
		for (c = 0; c < blen; c += DIRBLKSIZ) {
			chunk = (char *)bp->b_data + c;
			if (ufs_chunkfree(um, chunk) >= need)
				goto found;
		}
		brelse(bp, 0);
	}
	/* No room: a new chunk at the end. */
	off = dp->i_size;
	lbn = off >> um->fs_bshift;
	c = (size_t)(off - (lbn << um->fs_bshift));
	if ((error = ffs_balloc(dvp, lbn, off + DIRBLKSIZ, c, DIRBLKSIZ, cred,
	    &bp)) != 0)
		return error;
	chunk = (char *)bp->b_data + c;
	memset(chunk, 0, DIRBLKSIZ);
	ffs_put16(um, chunk, DIR_RECLEN, DIRBLKSIZ);
	ufs_dirhash_setfree(dvp, off, DIRBLKSIZ);
found:
	off = (lbn << um->fs_bshift) + c;
	eoff = ufs_chunkinsert(dvp, chunk, off, nm, len, ino, type);
	ufs_dirhash_add(dvp, nm, len, eoff);
	ufs_dirhash_setfree(dvp, off, ufs_chunkfree(um, chunk));
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}

/* The buffer and chunk holding the entry at off. */
static int
ufs_dirchunk(struct vnode *dvp, uint64_t off, struct buf **bpp, char **chunkp,
    uint64_t *coffp)
{
	struct ffs_mount *um = VTOFFS(dvp);
	uint64_t lbn = off >> um->fs_bshift, coff = off & ~(uint64_t)511;
	size_t blen;
	int error;

	if ((error = ufs_dirblock(dvp, lbn, bpp, &blen)) != 0)
		return error;
	*chunkp = (char *)(*bpp)->b_data + (coff - (lbn << um->fs_bshift));
	*coffp = coff;
	return 0;
}

int
ufs_dirremove(struct vnode *dvp, const struct ufs_dirpos *dpos,
    const char *nm, size_t len)
{
	struct ffs_mount *um = VTOFFS(dvp);
	uint64_t coff;
	struct buf *bp;
	char *chunk, *rec, *prev;
	int error;

	if ((error = ufs_dirchunk(dvp, dpos->dp_off, &bp, &chunk, &coff)) != 0)
		return error;
	rec = chunk + (dpos->dp_off - coff);
	prev = chunk + (dpos->dp_prev - coff);
	if (prev == rec)
		ffs_put32(um, rec, DIR_INO, 0);
	else
		ffs_put16(um, prev, DIR_RECLEN, (uint16_t)(ffs_get16(um, prev,
		    DIR_RECLEN) + ffs_get16(um, rec, DIR_RECLEN)));
	ufs_dirhash_remove(dvp, nm, len, dpos->dp_off);
	ufs_dirhash_setfree(dvp, coff, ufs_chunkfree(um, chunk));
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}

int
ufs_dirrewrite(struct vnode *dvp, const struct ufs_dirpos *dpos, ino_t ino,
    unsigned char type)
{
	struct ffs_mount *um = VTOFFS(dvp);
	uint64_t coff;
	struct buf *bp;
	char *chunk, *rec;
	int error;

	if ((error = ufs_dirchunk(dvp, dpos->dp_off, &bp, &chunk, &coff)) != 0)
		return error;
	rec = chunk + (dpos->dp_off - coff);
	ffs_put32(um, rec, DIR_INO, (uint32_t)ino);
	rec[DIR_TYPE] = (char)type;
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}

int
ufs_dirempty(struct vnode *vp, bool *emptyp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *dp = VTOI(vp);
	uint64_t lbn, nblk = howmany(dp->i_size, um->fs_bsize);
	struct buf *bp;
	size_t blen, pos;
	const char *rec;
	int error;

	*emptyp = true;
	for (lbn = 0; lbn < nblk && *emptyp; lbn++) {
		if ((error = ufs_dirblock(vp, lbn, &bp, &blen)) != 0)
			return error;
		for (pos = 0; pos < blen;
		    pos += ffs_get16(um, rec, DIR_RECLEN)) {
			rec = (const char *)bp->b_data + pos;
			if (ufs_live(um, rec) && !ufs_namematch(rec, ".", 1) &&
			    !ufs_namematch(rec, "..", 2)) {
				*emptyp = false;
				break;
			}
		}
		brelse(bp, 0);
	}
	return 0;
}

static unsigned char
ufs_dtype(unsigned char t)
{
	switch (t) {
	case DT_FIFO: case DT_CHR: case DT_DIR: case DT_BLK: case DT_REG:
	case DT_LNK: case DT_SOCK:
		return t;
	default:
		return DT_UNKNOWN;
	}
}

int
ufs_readdir(struct vnode *vp, struct uio *uio)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *dp = VTOI(vp);
	size_t resid = uio->uio_resid, blen, pos, reclen;
	uint64_t cookie, lbn, off;
	struct buf *bp;
	const char *rec;
	int error = 0;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	cookie = (uint64_t)uio->uio_offset;
	for (lbn = cookie >> um->fs_bshift; cookie < dp->i_size; lbn++) {
		if ((error = ufs_dirblock(vp, lbn, &bp, &blen)) != 0)
			break;
		off = lbn << um->fs_bshift;
		for (pos = 0; pos < blen; pos += reclen) {
			rec = (const char *)bp->b_data + pos;
			reclen = ffs_get16(um, rec, DIR_RECLEN);
			/* Records before the cookie were returned already. */
			if (off + pos < cookie || !ufs_live(um, rec))
				continue;
			error = vfs_dirent_emit(uio,
			    ffs_get32(um, rec, DIR_INO), off + pos + reclen,
			    ufs_dtype((unsigned char)rec[DIR_TYPE]),
			    rec + DIR_NAME, (unsigned char)rec[DIR_NAMLEN]);
			if (error != 0)
				break;
			cookie = off + pos + reclen;
		}
		brelse(bp, 0);
		if (error)
			break;
		cookie = MAX(cookie, off + blen);
	}
	if (error == EJUSTRETURN)
		error = uio->uio_resid == resid ? EINVAL : 0;
	uio->uio_offset = (off_t)cookie;
	return error;
}
