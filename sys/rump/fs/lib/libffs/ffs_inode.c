/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Reading an inode: find its block from the group geometry, decode the
 * UFS1 or UFS2 dinode into struct ffs_inode and check it.  Writing one
 * (ffs_update) encodes the fields kept in memory into the dinode in its
 * block (UFS2's attribute area pointers among them) and leaves the
 * others (spare words) as they are.  The checks
 * are those the rest of the code relies on: a known file type, a size
 * that the block map can reach, directory sizes in whole chunks, block
 * pointers inside the file system, nanoseconds below a second.  A
 * referenced inode that is free (mode 0 or no links) is corruption too:
 * some directory entry points at nothing.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/kmem.h>
#include <sys/vnode.h>

#include "ffs.h"

/* The on-disk device number (see ffs_format.h) as a host dev_t. */
static dev_t
ffs_rdev(uint32_t raw)
{
	uint32_t ma = (raw >> 8) & 0xfff;
	uint32_t mi = (raw & 0xff) | ((raw >> 12) & 0xfff00);

	return makedev(ma, mi);
}

static int
ffs_timecheck(const struct ffs_mount *um, const struct ffs_inode *ip,
    const struct timespec *ts)
{
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return ffs_corrupt(um, "inode %llu: %ld nanoseconds",
		    (unsigned long long)ip->i_number, (long)ts->tv_nsec);
	return 0;
}

static void
ffs_decode1(const struct ffs_mount *um, const char *di, struct ffs_inode *ip)
{
	int i;

	ip->i_mode = ffs_get16(um, di, DI1_MODE);
	ip->i_nlink = (nlink_t)(int16_t)ffs_get16(um, di, DI1_NLINK);
	ip->i_size = ffs_get64(um, di, DI1_SIZE);
	/* UFS1 times are signed 32-bit seconds. */
	ip->i_atime.tv_sec = (int32_t)ffs_get32(um, di, DI1_ATIME);
	ip->i_atime.tv_nsec = (int32_t)ffs_get32(um, di, DI1_ATIMENSEC);
	ip->i_mtime.tv_sec = (int32_t)ffs_get32(um, di, DI1_MTIME);
	ip->i_mtime.tv_nsec = (int32_t)ffs_get32(um, di, DI1_MTIMENSEC);
	ip->i_ctime.tv_sec = (int32_t)ffs_get32(um, di, DI1_CTIME);
	ip->i_ctime.tv_nsec = (int32_t)ffs_get32(um, di, DI1_CTIMENSEC);
	for (i = 0; i < UFS_NDADDR; i++)
		ip->i_db[i] = (int32_t)ffs_get32(um, di, DI1_DB + 4 * i);
	for (i = 0; i < UFS_NIADDR; i++)
		ip->i_ib[i] = (int32_t)ffs_get32(um, di, DI1_IB + 4 * i);
	ip->i_flags = ffs_get32(um, di, DI1_FLAGS);
	ip->i_blocks = ffs_get32(um, di, DI1_BLOCKS);
	ip->i_uid = ffs_get32(um, di, DI1_UID);
	ip->i_gid = ffs_get32(um, di, DI1_GID);
	ip->i_gen = ffs_get32(um, di, DI1_GEN);
	memcpy(ip->i_shortlink, di + DI1_DB, UFS1_SHORTLINK);
}

static void
ffs_decode2(const struct ffs_mount *um, const char *di, struct ffs_inode *ip)
{
	int i;

	ip->i_mode = ffs_get16(um, di, DI2_MODE);
	ip->i_nlink = (nlink_t)(int16_t)ffs_get16(um, di, DI2_NLINK);
	ip->i_uid = ffs_get32(um, di, DI2_UID);
	ip->i_gid = ffs_get32(um, di, DI2_GID);
	ip->i_size = ffs_get64(um, di, DI2_SIZE);
	ip->i_blocks = ffs_get64(um, di, DI2_BLOCKS);
	ip->i_atime.tv_sec = (int64_t)ffs_get64(um, di, DI2_ATIME);
	ip->i_atime.tv_nsec = (int32_t)ffs_get32(um, di, DI2_ATIMENSEC);
	ip->i_mtime.tv_sec = (int64_t)ffs_get64(um, di, DI2_MTIME);
	ip->i_mtime.tv_nsec = (int32_t)ffs_get32(um, di, DI2_MTIMENSEC);
	ip->i_ctime.tv_sec = (int64_t)ffs_get64(um, di, DI2_CTIME);
	ip->i_ctime.tv_nsec = (int32_t)ffs_get32(um, di, DI2_CTIMENSEC);
	ip->i_birthtime.tv_sec = (int64_t)ffs_get64(um, di, DI2_BIRTHTIME);
	ip->i_birthtime.tv_nsec = (int32_t)ffs_get32(um, di, DI2_BIRTHNSEC);
	ip->i_flags = ffs_get32(um, di, DI2_FLAGS);
	ip->i_gen = ffs_get32(um, di, DI2_GEN);
	for (i = 0; i < UFS_NDADDR; i++)
		ip->i_db[i] = (int64_t)ffs_get64(um, di, DI2_DB + 8 * i);
	for (i = 0; i < UFS_NIADDR; i++)
		ip->i_ib[i] = (int64_t)ffs_get64(um, di, DI2_IB + 8 * i);
	/* Checked where the area is used (ffs_extattr.c). */
	ip->i_extsize = ffs_get32(um, di, DI2_EXTSIZE);
	for (i = 0; i < UFS_NXADDR; i++)
		ip->i_extb[i] = (int64_t)ffs_get64(um, di, DI2_EXTB + 8 * i);
	memcpy(ip->i_shortlink, di + DI2_DB, UFS2_SHORTLINK);
}

static int
ffs_inode_check(struct ffs_mount *um, struct ffs_inode *ip)
{
	unsigned long long ino = ip->i_number;
	uint16_t fmt = ip->i_mode & IFMT;
	int i, error;

	if (ip->i_mode == 0 || (int)ip->i_nlink <= 0)
		return ffs_corrupt(um, "inode %llu is referenced but free "
		    "(mode %#o, %d links)", ino, ip->i_mode, (int)ip->i_nlink);
	if (fmt != IFREG && fmt != IFDIR && fmt != IFLNK && fmt != IFCHR &&
	    fmt != IFBLK && fmt != IFIFO && fmt != IFSOCK)
		return ffs_corrupt(um, "inode %llu has type %#o", ino, fmt);
	if (ip->i_size > (uint64_t)INT64_MAX ||
	    howmany(ip->i_size, um->fs_bsize) > um->um_maxlbn)
		return ffs_corrupt(um, "inode %llu has size %llu", ino,
		    (unsigned long long)ip->i_size);
	if (fmt == IFDIR && (ip->i_size == 0 || ip->i_size % DIRBLKSIZ != 0))
		return ffs_corrupt(um, "directory %llu has size %llu", ino,
		    (unsigned long long)ip->i_size);
	if (fmt == IFLNK && (ip->i_size == 0 || ip->i_size >= MAXPATHLEN))
		return ffs_corrupt(um, "symlink %llu has size %llu", ino,
		    (unsigned long long)ip->i_size);
	if ((error = ffs_timecheck(um, ip, &ip->i_atime)) != 0 ||
	    (error = ffs_timecheck(um, ip, &ip->i_mtime)) != 0 ||
	    (error = ffs_timecheck(um, ip, &ip->i_ctime)) != 0 ||
	    (error = ffs_timecheck(um, ip, &ip->i_birthtime)) != 0)
		return error;
	/* Only files with blocks have pointers; the rest reuse the area. */
	if (fmt != IFREG && fmt != IFDIR && fmt != IFLNK)
		return 0;
	if (fmt == IFLNK && ip->i_isshortlink)
		return 0;
	for (i = 0; i < UFS_NDADDR; i++)
		if (ip->i_db[i] < 0 || (uint64_t)ip->i_db[i] >= um->fs_size)
			return ffs_corrupt(um, "inode %llu: block %d at %lld",
			    ino, i, (long long)ip->i_db[i]);
	for (i = 0; i < UFS_NIADDR; i++)
		if (ip->i_ib[i] < 0 || (uint64_t)ip->i_ib[i] >= um->fs_size)
			return ffs_corrupt(um, "inode %llu: indirect %d at "
			    "%lld", ino, i, (long long)ip->i_ib[i]);
	return 0;
}

/* The frag of the block holding inode ino, and its byte offset there. */
static uint64_t
ffs_inode_where(const struct ffs_mount *um, ino_t ino, size_t *offp)
{
	uint64_t cg = ino / um->fs_ipg, idx = ino % um->fs_ipg;
	size_t disize = um->um_ufs2 ? DINODE2_SIZE : DINODE1_SIZE;

	*offp = idx % um->fs_inopb * disize;
	return ffs_cgstart(um, cg) + um->fs_iblkno +
	    (idx / um->fs_inopb << um->fs_fragshift);
}

int
ffs_inode_read(struct ffs_mount *um, ino_t ino, struct ffs_inode **ipp)
{
	struct ffs_inode *ip;
	struct buf *bp;
	uint64_t frag;
	size_t dioff;
	const char *di;
	uint16_t fmt;
	int error;

	*ipp = NULL;
	if (ino < UFS_ROOTINO || ino >= um->um_maxino)
		return ffs_corrupt(um, "inode %llu out of range",
		    (unsigned long long)ino);
	frag = ffs_inode_where(um, ino, &dioff);
	if ((ip = kmem_zalloc(sizeof(*ip), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = bread(um->um_devvp, FFS_FSBTODB(um, frag),
	    (int)um->fs_bsize, 0, &bp)) != 0) {
		kmem_free(ip, sizeof(*ip));
		return error;
	}
	di = (const char *)bp->b_data + dioff;
	ip->i_number = ino;
	if (um->um_ufs2)
		ffs_decode2(um, di, ip);
	else
		ffs_decode1(um, di, ip);
	brelse(bp, 0);

	fmt = ip->i_mode & IFMT;
	if (fmt == IFCHR || fmt == IFBLK)
		ip->i_rdev = ffs_rdev((uint32_t)ip->i_db[0]);
	/*
	 * Before symlinks had a maximum, a short link was one with no
	 * blocks (but its attribute area's); makefs and newfs always set
	 * the maximum.
	 */
	if (fmt == IFLNK)
		ip->i_isshortlink = ip->i_size < um->fs_maxsymlinklen ||
		    (um->fs_maxsymlinklen == 0 &&
		    ip->i_blocks == ffs_extattr_nsect(um, ip));
	/* A short link's text is in the pointers' place: no blocks. */
	if (ip->i_isshortlink) {
		memset(ip->i_db, 0, sizeof(ip->i_db));
		memset(ip->i_ib, 0, sizeof(ip->i_ib));
	}
	if ((error = ffs_inode_check(um, ip)) != 0) {
		kmem_free(ip, sizeof(*ip));
		return error;
	}
	*ipp = ip;
	return 0;
}

void
ffs_inode_free(struct ffs_inode *ip)
{
	ffs_acl_forget(ip);
	kmem_free(ip, sizeof(*ip));
}

uint32_t
ffs_rdev_encode(dev_t dev)
{
	uint32_t ma = major(dev), mi = minor(dev);

	return ((ma & 0xfff) << 8) | (mi & 0xff) | ((mi & 0xfff00) << 12);
}

uint32_t
ffs_inode_gen(struct ffs_mount *um, ino_t ino)
{
	struct buf *bp;
	uint64_t frag;
	size_t dioff;
	uint32_t gen;

	frag = ffs_inode_where(um, ino, &dioff);
	if (bread(um->um_devvp, FFS_FSBTODB(um, frag), (int)um->fs_bsize, 0,
	    &bp) != 0)
		return 0;
	gen = ffs_get32(um, (char *)bp->b_data + dioff,
	    um->um_ufs2 ? DI2_GEN : DI1_GEN);
	brelse(bp, 0);
	return gen;
}

static void
ffs_encode1(const struct ffs_mount *um, char *di, const struct ffs_inode *ip)
{
	int i;

	ffs_put16(um, di, DI1_MODE, ip->i_mode);
	ffs_put16(um, di, DI1_NLINK, (uint16_t)ip->i_nlink);
	ffs_put64(um, di, DI1_SIZE, ip->i_size);
	ffs_put32(um, di, DI1_ATIME, (uint32_t)ip->i_atime.tv_sec);
	ffs_put32(um, di, DI1_ATIMENSEC, (uint32_t)ip->i_atime.tv_nsec);
	ffs_put32(um, di, DI1_MTIME, (uint32_t)ip->i_mtime.tv_sec);
	ffs_put32(um, di, DI1_MTIMENSEC, (uint32_t)ip->i_mtime.tv_nsec);
	ffs_put32(um, di, DI1_CTIME, (uint32_t)ip->i_ctime.tv_sec);
	ffs_put32(um, di, DI1_CTIMENSEC, (uint32_t)ip->i_ctime.tv_nsec);
	if (ip->i_isshortlink)
		memcpy(di + DI1_DB, ip->i_shortlink, UFS1_SHORTLINK);
	else {
		for (i = 0; i < UFS_NDADDR; i++)
			ffs_put32(um, di, DI1_DB + 4 * i, (uint32_t)ip->i_db[i]);
		for (i = 0; i < UFS_NIADDR; i++)
			ffs_put32(um, di, DI1_IB + 4 * i, (uint32_t)ip->i_ib[i]);
	}
	ffs_put32(um, di, DI1_FLAGS, ip->i_flags);
	ffs_put32(um, di, DI1_BLOCKS, (uint32_t)ip->i_blocks);
	ffs_put32(um, di, DI1_GEN, ip->i_gen);
	ffs_put32(um, di, DI1_UID, ip->i_uid);
	ffs_put32(um, di, DI1_GID, ip->i_gid);
}

static void
ffs_encode2(const struct ffs_mount *um, char *di, const struct ffs_inode *ip)
{
	int i;

	ffs_put16(um, di, DI2_MODE, ip->i_mode);
	ffs_put16(um, di, DI2_NLINK, (uint16_t)ip->i_nlink);
	ffs_put32(um, di, DI2_UID, ip->i_uid);
	ffs_put32(um, di, DI2_GID, ip->i_gid);
	ffs_put64(um, di, DI2_SIZE, ip->i_size);
	ffs_put64(um, di, DI2_BLOCKS, ip->i_blocks);
	ffs_put64(um, di, DI2_ATIME, (uint64_t)ip->i_atime.tv_sec);
	ffs_put32(um, di, DI2_ATIMENSEC, (uint32_t)ip->i_atime.tv_nsec);
	ffs_put64(um, di, DI2_MTIME, (uint64_t)ip->i_mtime.tv_sec);
	ffs_put32(um, di, DI2_MTIMENSEC, (uint32_t)ip->i_mtime.tv_nsec);
	ffs_put64(um, di, DI2_CTIME, (uint64_t)ip->i_ctime.tv_sec);
	ffs_put32(um, di, DI2_CTIMENSEC, (uint32_t)ip->i_ctime.tv_nsec);
	ffs_put64(um, di, DI2_BIRTHTIME, (uint64_t)ip->i_birthtime.tv_sec);
	ffs_put32(um, di, DI2_BIRTHNSEC, (uint32_t)ip->i_birthtime.tv_nsec);
	ffs_put32(um, di, DI2_FLAGS, ip->i_flags);
	ffs_put32(um, di, DI2_GEN, ip->i_gen);
	ffs_put32(um, di, DI2_EXTSIZE, ip->i_extsize);
	for (i = 0; i < UFS_NXADDR; i++)
		ffs_put64(um, di, DI2_EXTB + 8 * i, (uint64_t)ip->i_extb[i]);
	if (ip->i_isshortlink)
		memcpy(di + DI2_DB, ip->i_shortlink, UFS2_SHORTLINK);
	else {
		for (i = 0; i < UFS_NDADDR; i++)
			ffs_put64(um, di, DI2_DB + 8 * i, (uint64_t)ip->i_db[i]);
		for (i = 0; i < UFS_NIADDR; i++)
			ffs_put64(um, di, DI2_IB + 8 * i, (uint64_t)ip->i_ib[i]);
	}
}

int
ffs_update(struct ffs_mount *um, struct ffs_inode *ip)
{
	struct buf *bp;
	uint64_t frag;
	size_t dioff;
	char *di;
	int error;

	frag = ffs_inode_where(um, ip->i_number, &dioff);
	if ((error = bread(um->um_devvp, FFS_FSBTODB(um, frag),
	    (int)um->fs_bsize, 0, &bp)) != 0)
		return error;
	di = (char *)bp->b_data + dioff;
	if (ip->i_mode == 0) {
		/* A freed inode: only the generation survives. */
		memset(di, 0, um->um_ufs2 ? DINODE2_SIZE : DINODE1_SIZE);
		ffs_put32(um, di, um->um_ufs2 ? DI2_GEN : DI1_GEN, ip->i_gen);
	} else if (um->um_ufs2)
		ffs_encode2(um, di, ip);
	else
		ffs_encode1(um, di, ip);
	return ffs_bufwrite(um, bp, FFS_BDWRITE);
}
