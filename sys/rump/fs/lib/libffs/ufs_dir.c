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
	for (c = 0; c < len; c += DIRBLKSIZ) {
		if ((error = ufs_chunkcheck(um, dp, (char *)bp->b_data + c,
		    off + c)) != 0) {
			brelse(bp, 0);
			return error;
		}
	}
	*bpp = bp;
	*lenp = len;
	return 0;
}

/* A live entry: an inode, and not a whiteout (a union mount's mark). */
static bool
ufs_live(const struct ffs_mount *um, const char *rec)
{
	return ffs_get32(um, rec, DIR_INO) != 0 &&
	    (unsigned char)rec[DIR_TYPE] != DT_WHT;
}

int
ufs_lookup_ino(struct vnode *dvp, const char *nm, size_t len, ino_t *inop)
{
	struct ffs_mount *um = VTOFFS(dvp);
	struct ffs_inode *dp = VTOI(dvp);
	uint64_t lbn, nblk = howmany(dp->i_size, um->fs_bsize);
	struct buf *bp;
	size_t blen, pos;
	const char *rec;
	int error;

	for (lbn = 0; lbn < nblk; lbn++) {
		if ((error = ufs_dirblock(dvp, lbn, &bp, &blen)) != 0)
			return error;
		for (pos = 0; pos < blen;
		    pos += ffs_get16(um, rec, DIR_RECLEN)) {
			rec = (const char *)bp->b_data + pos;
			if (ufs_live(um, rec) &&
			    (unsigned char)rec[DIR_NAMLEN] == len &&
			    memcmp(rec + DIR_NAME, nm, len) == 0) {
				*inop = ffs_get32(um, rec, DIR_INO);
				brelse(bp, 0);
				return 0;
			}
		}
		brelse(bp, 0);
	}
	return ENOENT;
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
