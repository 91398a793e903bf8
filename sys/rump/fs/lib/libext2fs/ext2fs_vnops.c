/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs vnode operations: names, attributes, file bytes, directory
 * records and symlink targets come from the format layer; changes go
 * through the writer (ext2fs_alloc.c, ext2fs_iwrite.c, ext2fs_dirw.c)
 * on a read-write mount and are EROFS on a read-only one.  Device nodes
 * get the device half of their operations from spec_vnops.c.
 *
 * Each operation takes em_lock (ext2fs_vfs.h) around all it does, so a
 * name operation looks up, checks and changes its directories as one
 * step; vnodes it takes are released after the lock is dropped.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "dev_private.h"
#include "ext2fs_vfs.h"

/* Largest bounce buffer between the format layer and a uio. */
#define EXT2FS_XFER (64 * 1024)

static int
ext2fs_lookup_op(struct vnode *dvp, const char *nm, size_t len,
    struct vnode **vpp)
{
	struct ext2fs_mount *em = VTOEM(dvp);
	uint64_t lblk;
	uint32_t ino;
	uint8_t type;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	rw_enter(&em->em_lock, RW_READER);
	if ((error = ext2fs_dc_lookup(VTON(dvp), nm, len, &ino, &type,
	    &lblk)) == -1)
		error = ext2fs_lookup(em->em_fs, VTOEI(dvp), nm, len, &ino,
		    &type);
	if (error == 0)
		error = vcache_get(dvp->v_mount, ino, NULL, vpp);
	rw_exit(&em->em_lock);
	return error;
}

static int
ext2fs_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	struct ext2fs_mount *em = VTOEM(vp);
	int error;

	rw_enter(&em->em_lock, RW_READER);
	error = ext2fs_vaccess(VTON(vp), mode, cred);
	rw_exit(&em->em_lock);
	return error;
}

static void
getattr_locked(struct vnode *vp, struct vattr *va)
{
	const struct ext2fs_inode *ip = VTOEI(vp);

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = ip->ei_mode & ALLPERMS;
	va->va_nlink = ip->ei_nlink;
	va->va_uid = ip->ei_uid;
	va->va_gid = ip->ei_gid;
	va->va_fileid = ip->ei_ino;
	va->va_size = (off_t)ip->ei_size;
	va->va_rdev = vp->v_rdev;
	va->va_blocksize = VTOEXT2FS(vp)->e2_bsize;
	va->va_bytes = ip->ei_blocks512 * 512;
	va->va_atime = ip->ei_atime;
	va->va_mtime = ip->ei_mtime;
	va->va_ctime = ip->ei_ctime;
}

static int
ext2fs_getattr(struct vnode *vp, struct vattr *va)
{
	struct ext2fs_mount *em = VTOEM(vp);

	rw_enter(&em->em_lock, RW_READER);
	getattr_locked(vp, va);
	rw_exit(&em->em_lock);
	return 0;
}

/*
 * Access times, relatime-style as Linux mounts by default: a read sets
 * atime when it is not newer than mtime or ctime, or a day old.  Not on
 * read-only or noatime mounts, nor through O_NOATIME.
 */
#define RELATIME_SEC (24 * 60 * 60)

static bool
ts_le(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

static bool
atime_due(struct vnode *vp, const struct ext2fs_inode *ip, int ioflag)
{
	struct timespec now;

	if ((ioflag & IO_NOATIME) || !VTOEM(vp)->em_rw ||
	    (atomic_load_relaxed(&vp->v_mount->mnt_flag) &
	    (MNT_NOATIME | MNT_RDONLY)) != 0)
		return false;
	if (ts_le(&ip->ei_atime, &ip->ei_mtime) ||
	    ts_le(&ip->ei_atime, &ip->ei_ctime))
		return true;
	nanotime(&now);
	return now.tv_sec - ip->ei_atime.tv_sec >= RELATIME_SEC;
}

static void
set_atime(struct vnode *vp)
{
	struct ext2fs_mount *em = VTOEM(vp);

	rw_enter(&em->em_lock, RW_WRITER);
	if (em->em_rw && VTOEI(vp)->ei_nlink > 0) {
		ext2fs_settime(VTOEI(vp), true, false, false);
		(void)ext2fs_iupdate(em, VTOEI(vp));
	}
	rw_exit(&em->em_lock);
}

/*
 * Copy the file's bytes at the uio's offset from the device's buffers:
 * block by block through the block map, asking ahead for the rest of
 * each contiguous run (up to 256 KiB); holes and unwritten extents copy
 * zeros.  The map is asked once per run (a run of blocks or of a hole),
 * not once per block: an indirect map reads its blocks on each call.
 * Inline data goes through the format layer.
 */
static int
read_blocks(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    struct uio *uio)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t off, lblk, pblk, run, boff, ranext = 0;
	uint64_t maplblk = 0, mappblk = 0, maprun = 0;
	unsigned nra;
	struct buf *bp;
	char *zeros = NULL;
	size_t n;
	int error = 0;

	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < ip->ei_size) {
		off = (uint64_t)uio->uio_offset;
		lblk = off >> fs->e2_bshift;
		boff = off & (fs->e2_bsize - 1);
		n = MIN(MIN(fs->e2_bsize - boff, uio->uio_resid),
		    ip->ei_size - off);
		if (lblk >= maplblk && lblk - maplblk < maprun) {
			/* Within the run the map gave last. */
			pblk = mappblk != 0 ? mappblk + (lblk - maplblk) : 0;
			run = maprun - (lblk - maplblk);
		} else {
			if ((error = ext2fs_bmap(fs, ip, lblk, &pblk,
			    &run)) != 0)
				break;
			maplblk = lblk;
			mappblk = pblk;
			maprun = run;
		}
		if (pblk == 0) {
			if (zeros == NULL &&
			    (zeros = kmem_zalloc(fs->e2_bsize, KM_SLEEP)) ==
			    NULL) {
				error = ENOMEM;
				break;
			}
			if ((error = uiomove(zeros, n, uio)) != 0)
				break;
			continue;
		}
		if (pblk >= fs->e2_nblocks || run > fs->e2_nblocks - pblk) {
			error = ext2fs_corrupt(fs, "inode %u: block %llu out "
			    "of range", ip->ei_ino, (unsigned long long)pblk);
			break;
		}
		/* Once a window: the blocks asked for are on their way. */
		nra = 0;
		if (pblk >= ranext || pblk + run <= ranext - 1) {
			nra = (unsigned)MIN(run - 1,
			    (uint64_t)(256 * 1024) >> fs->e2_bshift);
			ranext = pblk + 1 + nra;
		}
		if ((error = ext2fs_blk_readahead(em, pblk, nra, &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + boff, n, uio);
		brelse(bp, 0);
		if (error != 0)
			break;
	}
	if (zeros != NULL)
		kmem_free(zeros, fs->e2_bsize);
	return error;
}

static int
ext2fs_read_op(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	const struct ext2fs_inode *ip = VTOEI(vp);
	size_t bufsize, n, done;
	bool atime;
	char *buf;
	int error = 0;

	(void)cred;
	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0 || (uint64_t)uio->uio_offset >= ip->ei_size)
		return 0;
	rw_enter(&VTOEM(vp)->em_lock, RW_READER);
	atime = atime_due(vp, ip, ioflag);
	if ((ip->ei_flags & EXT4_INLINE_DATA_FL) == 0) {
		error = read_blocks(VTOEM(vp), ip, uio);
		goto out;
	}
	bufsize = MIN(uio->uio_resid, EXT2FS_XFER);
	if ((buf = kmem_alloc(bufsize, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	while (uio->uio_resid > 0) {
		n = MIN(uio->uio_resid, bufsize);
		if ((error = ext2fs_read(VTOEXT2FS(vp), ip,
		    (uint64_t)uio->uio_offset, buf, n, &done)) != 0 ||
		    done == 0)
			break;
		if ((error = uiomove(buf, done, uio)) != 0)
			break;
	}
	kmem_free(buf, bufsize);
out:
	rw_exit(&VTOEM(vp)->em_lock);
	if (atime)
		set_atime(vp);
	return error;
}

static unsigned char
ft_to_dt(uint8_t ft)
{
	switch (ft) {
	case EXT2_FT_REG_FILE: return DT_REG;
	case EXT2_FT_DIR: return DT_DIR;
	case EXT2_FT_CHRDEV: return DT_CHR;
	case EXT2_FT_BLKDEV: return DT_BLK;
	case EXT2_FT_FIFO: return DT_FIFO;
	case EXT2_FT_SOCK: return DT_SOCK;
	case EXT2_FT_SYMLINK: return DT_LNK;
	default: return DT_UNKNOWN;     /* no filetype feature: as Linux */
	}
}

struct readdir_state {
	struct uio *rs_uio;
	int rs_error;
	bool rs_any;                    /* a record went out */
};

/*
 * One directory record to a dirent64; the cookie of the next is its
 * byte offset in the directory.  A record that does not fit stops the
 * walk and is not taken.
 */
static int
readdir_emit(void *arg, const struct ext2fs_dirent *de)
{
	struct readdir_state *rs = arg;
	int error;

	error = vfs_dirent_emit(rs->rs_uio, de->ed_ino, de->ed_next,
	    ft_to_dt(de->ed_type), de->ed_name, de->ed_namelen);
	if (error == EJUSTRETURN)
		return EXT2FS_DIR_STOP;
	if ((rs->rs_error = error) != 0)
		return EXT2FS_DIR_STOP;
	rs->rs_any = true;
	return 0;
}

static int
ext2fs_readdir_op(struct vnode *vp, struct uio *uio)
{
	struct readdir_state rs = { .rs_uio = uio };
	uint64_t off;
	bool atime;
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	off = (uint64_t)uio->uio_offset;
	rw_enter(&VTOEM(vp)->em_lock, RW_READER);
	atime = atime_due(vp, VTOEI(vp), 0);
	error = ext2fs_readdir(VTOEXT2FS(vp), VTOEI(vp), &off, readdir_emit,
	    &rs);
	rw_exit(&VTOEM(vp)->em_lock);
	if (atime)
		set_atime(vp);
	uio->uio_offset = (off_t)off;
	if (error == 0)
		error = rs.rs_error;
	if (error == 0 && !rs.rs_any && off < VTOEI(vp)->ei_size)
		error = EINVAL;         /* the next record did not fit */
	return error;
}

static int
ext2fs_readlink_op(struct vnode *vp, struct uio *uio)
{
	const struct ext2fs *fs = VTOEXT2FS(vp);
	size_t done;
	char *buf;
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	/* A target is shorter than a block (ext2fs_readlink checks). */
	if ((buf = kmem_alloc(fs->e2_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	rw_enter(&VTOEM(vp)->em_lock, RW_READER);
	error = ext2fs_readlink(fs, VTOEI(vp), buf, fs->e2_bsize, &done);
	rw_exit(&VTOEM(vp)->em_lock);
	if (error == 0)
		error = uiomove(buf, MIN(done, uio->uio_resid), uio);
	kmem_free(buf, fs->e2_bsize);
	return error;
}

/*
 * SEEK_DATA and SEEK_HOLE from the block map: a hole is a run of
 * unmapped blocks (or unwritten extents); the end of the file is a hole.
 * Inline data is all data.
 */
static int
ext2fs_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	struct ext2fs_mount *em = VTOEM(vp);
	const struct ext2fs *fs = em->em_fs;
	const struct ext2fs_inode *ip = VTOEI(vp);
	uint64_t off, lblk, pblk, run, end;
	int error = 0;

	rw_enter(&em->em_lock, RW_READER);
	if (*offp < 0 || (uint64_t)*offp >= ip->ei_size) {
		error = ENXIO;
		goto out;
	}
	off = (uint64_t)*offp;
	end = (ip->ei_size + fs->e2_bsize - 1) >> fs->e2_bshift;
	if (vp->v_type != VREG || (ip->ei_flags & EXT4_INLINE_DATA_FL)) {
		if (whence != SEEK_DATA)
			*offp = (off_t)ip->ei_size;
		goto out;
	}
	for (lblk = off >> fs->e2_bshift; lblk < end; lblk += run) {
		if ((error = ext2fs_bmap(fs, ip, lblk, &pblk, &run)) != 0)
			goto out;
		if ((pblk != 0) == (whence == SEEK_DATA)) {
			if (lblk > off >> fs->e2_bshift)
				off = lblk << fs->e2_bshift;
			*offp = (off_t)MIN(off, ip->ei_size);
			goto out;
		}
	}
	if (whence == SEEK_DATA)
		error = ENXIO;
	else
		*offp = (off_t)ip->ei_size;
out:
	rw_exit(&em->em_lock);
	return error;
}

/*
 * Look name up in directory dnp for a change: through the name cache of
 * a large directory (made here), else through the format layer.
 */
static int
dir_lookup(struct ext2fs_mount *em, struct ext2fs_node *dnp, const char *nm,
    size_t len, uint32_t *inop, uint8_t *ftp)
{
	uint64_t lblk;
	int error;

	ext2fs_dc_build(em, dnp);
	if ((error = ext2fs_dc_lookup(dnp, nm, len, inop, ftp, &lblk)) != -1)
		return error;
	return ext2fs_lookup(em->em_fs, &dnp->n_ip, nm, len, inop, ftp);
}

static bool
cred_root(kauth_cred_t cred)
{
	return cred == NULL || kauth_cred_issuser(cred);
}

static bool
dir_nlink(const struct ext2fs *fs)
{
	return (fs->e2_rocompat & EXT2F_ROCOMPAT_DIR_NLINK) != 0;
}

/* May directory dp take one more subdirectory? */
static int
dir_link_ok(const struct ext2fs *fs, const struct ext2fs_inode *dp)
{
	if (!dir_nlink(fs) && dp->ei_nlink >= EXT2_OLD_LINK_MAX)
		return EMLINK;
	return 0;
}

/*
 * A subdirectory more: past EXT2_LINK_MAX a dir_nlink directory counts
 * 1, "too many to count", and stays so.
 */
static void
dir_inc(const struct ext2fs *fs, struct ext2fs_inode *dp)
{
	if (dp->ei_nlink == 1)
		return;
	if (dir_nlink(fs) && dp->ei_nlink + 1 >= EXT2_LINK_MAX)
		dp->ei_nlink = 1;
	else
		dp->ei_nlink++;
}

static void
dir_dec(struct ext2fs_inode *dp)
{
	if (dp->ei_nlink > 2)
		dp->ei_nlink--;
}

/* Checks of a directory about to get or lose a name. */
static int
dir_writable(struct ext2fs_mount *em, struct vnode *dvp, kauth_cred_t cred)
{
	const struct ext2fs_inode *dp = VTOEI(dvp);

	if (!em->em_rw)
		return EROFS;
	if (dp->ei_nlink == 0)
		return ENOENT;
	return ext2fs_vaccess(VTON(dvp), VWRITE | VEXEC, cred);
}

/* Device numbers in i_block, as Linux writes them. */
static void
encode_rdev(struct ext2fs_inode *ip, dev_t rdev)
{
	uint32_t ma = major(rdev), mi = minor(rdev);

	memset(ip->ei_block, 0, EXT2_I_BLOCK_LEN);
	if (ma < 256 && mi < 256)
		ext2_set_le32(ip->ei_block, ma << 8 | mi);
	else
		ext2_set_le32(ip->ei_block + 4,
		    (mi & 0xff) | ma << 8 | (mi & ~0xffu) << 12);
	ip->ei_rdev_major = ma;
	ip->ei_rdev_minor = mi;
}

/* A symlink's target: in i_block when short, else in a block. */
static int
write_target(struct ext2fs_mount *em, struct ext2fs_node *np,
    const char *target, size_t tlen, bool root)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t pblk;
	struct buf *bp;
	bool isnew;
	int error;

	if (tlen < EXT2_I_BLOCK_LEN) {
		memcpy(np->n_ip.ei_block, target, tlen);
	} else {
		if (fs->e2_incompat & EXT2F_INCOMPAT_EXTENTS)
			ext2fs_ext_init(&np->n_ip);
		if ((error = ext2fs_bmap_alloc(em, np, 0, true, root, &pblk,
		    &isnew)) != 0)
			return error;
		bp = ext2fs_blk_get(em, pblk);
		memset(bp->b_data, 0, fs->e2_bsize);
		memcpy(bp->b_data, target, tlen);
		if ((error = ext2fs_blk_write(em, bp, false)) != 0)
			return error;
	}
	np->n_ip.ei_size = tlen;
	return ext2fs_iupdate(em, &np->n_ip);
}

/*
 * Make a node of type va_type in dvp (create, mkdir, mknod, symlink
 * with its target).
 */
static int
ext2fs_mknode(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	struct ext2fs_mount *em = VTOEM(dvp);
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_node *dnp = VTON(dvp), *np = NULL;
	struct ext2fs_inode *dp = &dnp->n_ip;
	mode_t mode = va->va_mode & ALLPERMS, ifmt = vttoif(va->va_type);
	bool isdir = va->va_type == VDIR;
	size_t tlen = target != NULL ? strlen(target) : 0;
	uint32_t ino, gid;
	uint8_t ft;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (ifmt == 0)
		return EINVAL;
	rw_enter(&em->em_lock, RW_WRITER);
	error = dir_lookup(em, VTON(dvp), nm, len, &ino, &ft);
	if (error == 0)
		error = EEXIST;
	else if (error == ENOENT)
		error = dir_writable(em, dvp, cred);
	if (error == 0 && isdir)
		error = dir_link_ok(fs, dp);
	if (error == 0 && target != NULL && tlen >= fs->e2_bsize)
		error = ENAMETOOLONG;
	if (error != 0)
		goto out;
	if (dp->ei_mode & S_ISGID) {
		/* A setgid directory gives its group, and to directories its bit. */
		gid = dp->ei_gid;
		if (isdir)
			mode |= S_ISGID;
	} else
		gid = cred->cr_egid;
	if (!isdir && (mode & S_ISGID) && !kauth_cred_issuser(cred) &&
	    !kauth_cred_groupmember(cred, gid))
		mode &= ~(mode_t)S_ISGID;
	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = ext2fs_ialloc(em, dp->ei_ino, isdir, &ino)) != 0)
		goto out;
	if ((error = ext2fs_inew(em, ino, (uint16_t)(ifmt | mode),
	    cred->cr_euid, gid, &np->n_ip)) != 0) {
		(void)ext2fs_ifree(em, ino, isdir);
		goto out;
	}
	error = ext2fs_acl_inherit(em, dnp, np, va, cred_root(cred));
	if (error == 0 && isdir)
		error = ext2fs_dir_init(em, np, dp->ei_ino, cred_root(cred));
	else if (error == 0 && (va->va_type == VCHR || va->va_type == VBLK)) {
		encode_rdev(&np->n_ip, va->va_rdev);
		error = ext2fs_iupdate(em, &np->n_ip);
	} else if (error == 0 && target != NULL)
		error = write_target(em, np, target, tlen, cred_root(cred));
	if (error == 0)
		error = ext2fs_dir_add(em, dnp, nm, len, ino,
		    ext2fs_mode_to_ft(np->n_ip.ei_mode), cred_root(cred));
	if (error != 0) {
		np->n_ip.ei_nlink = 0;
		(void)ext2fs_irelease(em, np);
		goto out;
	}
	if (isdir)
		dir_inc(fs, dp);
	ext2fs_settime(dp, false, true, true);
	if ((error = ext2fs_iupdate(em, dp)) == 0 &&
	    (error = vcache_new(dvp->v_mount, ino, NULL, vpp)) == EEXIST)
		error = ext2fs_corrupt(fs, "inode %u is in use but marked "
		    "free", ino);
out:
	rw_exit(&em->em_lock);
	if (np != NULL)
		kmem_free(np, sizeof(*np));
	return error;
}

static int
ext2fs_create(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, kauth_cred_t cred, struct vnode **vpp)
{
	if (va->va_type == VLNK)
		return EINVAL;
	return ext2fs_mknode(dvp, nm, len, va, NULL, cred, vpp);
}

static int
ext2fs_symlink(struct vnode *dvp, const char *nm, size_t len,
    const struct vattr *va, const char *target, kauth_cred_t cred,
    struct vnode **vpp)
{
	struct vattr lva = *va;

	lva.va_type = VLNK;
	lva.va_mode = 0777;
	if (target[0] == '\0')
		return ENOENT;
	return ext2fs_mknode(dvp, nm, len, &lva, target, cred, vpp);
}

static int
ext2fs_write_op(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	struct ext2fs_mount *em = VTOEM(vp);
	struct ext2fs *fs = em->em_fs;
	struct ext2fs_node *np = VTON(vp);
	struct ext2fs_inode *ip = &np->n_ip;
	uint64_t max = ext2fs_maxfilesize(fs), off, lblk, pblk, n;
	size_t resid = uio->uio_resid, boff;
	struct buf *bp;
	bool isnew;
	int error = 0, e;

	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	rw_enter(&em->em_lock, RW_WRITER);
	if (!em->em_rw) {
		error = EROFS;
		goto out;
	}
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)ip->ei_size;
	if (uio->uio_offset < 0) {
		error = EINVAL;
		goto out;
	}
	if (uio->uio_resid > 0 && (uint64_t)uio->uio_offset >= max) {
		error = EFBIG;
		goto out;
	}
	/*
	 * Bytes past the old end in its block read as zeros from now on.
	 * (An extent file keeps the blocks fallocate gave it past its end.)
	 */
	if ((uint64_t)uio->uio_offset > ip->ei_size &&
	    (error = (ip->ei_flags & EXT4_EXTENTS_FL) ?
	    ext2fs_zero_tail(em, np, ip->ei_size) :
	    ext2fs_truncate(em, np, ip->ei_size)) != 0)
		goto out;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < max) {
		off = (uint64_t)uio->uio_offset;
		lblk = off >> fs->e2_bshift;
		boff = (size_t)(off & (fs->e2_bsize - 1));
		n = MIN(fs->e2_bsize - boff, uio->uio_resid);
		n = MIN(n, max - off);
		if ((error = ext2fs_bmap_alloc(em, np, lblk, true,
		    cred_root(cred), &pblk, &isnew)) != 0) {
			/* The indirect blocks it got on the way go back. */
			if (!(ip->ei_flags & EXT4_EXTENTS_FL))
				(void)ext2fs_truncate(em, np, ip->ei_size);
			break;
		}
		if (isnew || (boff == 0 && n == fs->e2_bsize)) {
			bp = ext2fs_blk_get(em, pblk);
			if (isnew)
				memset(bp->b_data, 0, fs->e2_bsize);
		} else if ((error = ext2fs_blk_read(em, pblk, &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + boff, (size_t)n, uio);
		if ((e = ext2fs_blk_write_data(em, bp,
		    (ioflag & IO_SYNC) != 0)) != 0 && error == 0)
			error = e;
		if ((uint64_t)uio->uio_offset > ip->ei_size)
			ip->ei_size = (uint64_t)uio->uio_offset;
		if (error)
			break;
	}
	if (uio->uio_resid != resid) {
		ext2fs_settime(ip, false, true, true);
		/* A write by other than root drops the set-id bits. */
		if (!cred_root(cred))
			ip->ei_mode &= (uint16_t)~(S_ISUID | S_ISGID);
		if (error == ENOSPC || error == EFBIG)
			error = 0;
	}
	if (ip->ei_size > INT32_MAX &&
	    !(fs->e2_rocompat & EXT2F_ROCOMPAT_LARGE_FILE)) {
		fs->e2_rocompat |= EXT2F_ROCOMPAT_LARGE_FILE;
		ext2_set_le32(fs->e2_sb + EXT2_SB_FEATURE_RO_COMPAT,
		    fs->e2_rocompat);
		(void)ext2fs_sb_write(em, false);
	}
	if (ext2fs_iupdate(em, ip) != 0 && error == 0)
		error = EIO;
	if ((ioflag & IO_SYNC) && em->em_jw != NULL && error == 0)
		error = ext2fs_jw_commit(em);
out:
	rw_exit(&em->em_lock);
	return error;
}

/* cred NULL: the caller has established the right (ftruncate). */
static int
ext2fs_setattr(struct vnode *vp, const struct vattr *req, kauth_cred_t cred)
{
	struct ext2fs_mount *em = VTOEM(vp);
	struct ext2fs_node *np = VTON(vp);
	struct ext2fs_inode *ip = &np->n_ip;
	struct vattr cur, va = *req;
	int error = 0;

	rw_enter(&em->em_lock, RW_WRITER);
	getattr_locked(vp, &cur);
	if (cred != NULL && (error = vsetattr_check(&cur, &va, cred,
	    !em->em_rw)) != 0)
		goto out;
	if (va.va_mask == 0)
		goto out;
	if (!em->em_rw) {
		error = EROFS;
		goto out;
	}
	if (va.va_mask & VA_SIZE) {
		if (vp->v_type != VREG) {
			error = vp->v_type == VDIR ? EISDIR : EINVAL;
			goto out;
		}
		if (va.va_size < 0 ||
		    (uint64_t)va.va_size > ext2fs_maxfilesize(em->em_fs)) {
			error = va.va_size < 0 ? EINVAL : EFBIG;
			goto out;
		}
		if ((error = ext2fs_truncate(em, np, (uint64_t)va.va_size)) != 0)
			goto out;
		ext2fs_settime(ip, false, true, false);
	}
	if (va.va_mask & VA_MODE) {
		ip->ei_mode = (uint16_t)((ip->ei_mode & EXT2_IFMT) |
		    (va.va_mode & ALLPERMS));
		if ((error = ext2fs_acl_chmod(em, np, cred_root(cred))) != 0)
			goto out;
	}
	if (va.va_mask & VA_UID)
		ip->ei_uid = va.va_uid;
	if (va.va_mask & VA_GID)
		ip->ei_gid = va.va_gid;
	if (va.va_mask & VA_ATIME)
		ip->ei_atime = va.va_atime;
	if (va.va_mask & VA_MTIME)
		ip->ei_mtime = va.va_mtime;
	ext2fs_settime(ip, false, false, true);
	error = ext2fs_iupdate(em, ip);
out:
	rw_exit(&em->em_lock);
	return error;
}

static int
ext2fs_fsync(struct vnode *vp, bool dataonly)
{
	struct ext2fs_mount *em = VTOEM(vp);
	int error;

	if (!em->em_rw)
		return 0;
	if (em->em_jw != NULL) {
		/* A commit: the transaction, on stable storage. */
		rw_enter(&em->em_lock, RW_WRITER);
		error = ext2fs_jw_commit(em);
		rw_exit(&em->em_lock);
		return error;
	}
	/* Everything is the device's: its fsync, to stable storage. */
	return VOP_FSYNC(em->em_devvp, dataonly);
}

static int
ext2fs_remove(struct vnode *dvp, const char *nm, size_t len, bool isdir,
    kauth_cred_t cred)
{
	struct ext2fs_mount *em = VTOEM(dvp);
	struct ext2fs_inode *dp = VTOEI(dvp), *ip;
	struct vnode *vp = NULL;
	uint32_t ino;
	uint8_t ft;
	bool empty;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	rw_enter(&em->em_lock, RW_WRITER);
	if ((error = dir_lookup(em, VTON(dvp), nm, len, &ino, &ft)) != 0 ||
	    (error = dir_writable(em, dvp, cred)) != 0 ||
	    (error = vcache_get(dvp->v_mount, ino, NULL, &vp)) != 0)
		goto out;
	ip = VTOEI(vp);
	if (isdir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!isdir && vp->v_type == VDIR)
		error = EISDIR;
	else if (!vsticky_ok(dp->ei_mode, dp->ei_uid, ip->ei_uid, cred))
		error = EPERM;
	else if (isdir && vp == dvp)
		error = EINVAL;
	else if (isdir && (error = ext2fs_dir_isempty(em, VTON(vp),
	    &empty)) == 0 && !empty)
		error = ENOTEMPTY;
	if (error != 0 ||
	    (error = ext2fs_dir_remove(em, VTON(dvp), nm, len)) != 0)
		goto out;
	if (isdir) {
		ip->ei_nlink = 0;
		dir_dec(dp);
	} else if (ip->ei_nlink > 0)
		ip->ei_nlink--;
	ext2fs_settime(ip, false, false, true);
	ext2fs_settime(dp, false, true, true);
	if ((error = ext2fs_iupdate(em, ip)) == 0)
		error = ext2fs_iupdate(em, dp);
	if (error == 0 && ip->ei_nlink == 0)
		error = ext2fs_orphan_add(em, VTON(vp));
out:
	rw_exit(&em->em_lock);
	if (vp != NULL)
		vrele(vp);
	return error;
}

static int
ext2fs_link(struct vnode *dvp, const char *nm, size_t len, struct vnode *vp,
    kauth_cred_t cred)
{
	struct ext2fs_mount *em = VTOEM(dvp);
	struct ext2fs_inode *dp = VTOEI(dvp), *ip = VTOEI(vp);
	uint32_t ino;
	uint8_t ft;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (vp->v_type == VDIR)
		return EPERM;
	rw_enter(&em->em_lock, RW_WRITER);
	error = dir_lookup(em, VTON(dvp), nm, len, &ino, &ft);
	if (error == 0)
		error = EEXIST;
	else if (error == ENOENT)
		error = dir_writable(em, dvp, cred);
	if (error == 0 && ip->ei_nlink == 0)
		error = ENOENT;
	if (error == 0 && ip->ei_nlink >= EXT2_LINK_MAX)
		error = EMLINK;
	if (error != 0 || (error = ext2fs_dir_add(em, VTON(dvp), nm, len,
	    ip->ei_ino, ext2fs_mode_to_ft(ip->ei_mode), cred_root(cred))) != 0)
		goto out;
	ip->ei_nlink++;
	ext2fs_settime(ip, false, false, true);
	ext2fs_settime(dp, false, true, true);
	if ((error = ext2fs_iupdate(em, ip)) == 0)
		error = ext2fs_iupdate(em, dp);
out:
	rw_exit(&em->em_lock);
	return error;
}

/*
 * Whether directory ino is dir or below it: up through ".." from ino
 * to the root, at most as many steps as there are inodes.
 */
static int
is_below(struct ext2fs_mount *em, uint32_t ino, uint32_t dir, bool *belowp)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *tmp;
	uint32_t steps = 0;
	uint8_t ft;
	int error = 0;

	*belowp = false;
	if ((tmp = kmem_alloc(sizeof(*tmp), KM_SLEEP)) == NULL)
		return ENOMEM;
	while (ino != EXT2_ROOT_INO) {
		if (ino == dir) {
			*belowp = true;
			break;
		}
		if (++steps > fs->e2_ninodes) {
			error = ext2fs_corrupt(fs, "directory %u: loop of \"..\"",
			    ino);
			break;
		}
		if ((error = ext2fs_iget(fs, ino, tmp)) != 0 ||
		    (error = ext2fs_lookup(fs, tmp, "..", 2, &ino, &ft)) != 0) {
			if (error == ENOENT)
				error = ext2fs_corrupt(fs, "directory %u: no "
				    "\"..\"", tmp->ei_ino);
			break;
		}
	}
	kmem_free(tmp, sizeof(*tmp));
	return error;
}

static int
ext2fs_rename(struct vnode *fdvp, const char *fnm, size_t flen,
    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t cred)
{
	struct ext2fs_mount *em = VTOEM(fdvp);
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *fdp = VTOEI(fdvp), *tdp = VTOEI(tdvp);
	struct ext2fs_inode *fip, *tip = NULL;
	struct vnode *fvp = NULL, *tvp = NULL;
	uint32_t fino, tino;
	uint8_t ft;
	bool fisdir, below, empty;
	int error;

	if (fdvp->v_type != VDIR || tdvp->v_type != VDIR)
		return ENOTDIR;
	rw_enter(&em->em_lock, RW_WRITER);
	if ((error = dir_lookup(em, VTON(fdvp), fnm, flen, &fino, &ft)) != 0)
		goto out;
	error = dir_lookup(em, VTON(tdvp), tnm, tlen, &tino, &ft);
	if (error != 0 && error != ENOENT)
		goto out;
	if (error == ENOENT)
		tino = 0;
	if ((error = dir_writable(em, fdvp, cred)) != 0 ||
	    (error = dir_writable(em, tdvp, cred)) != 0 ||
	    (error = vcache_get(fdvp->v_mount, fino, NULL, &fvp)) != 0 ||
	    (tino != 0 && (error = vcache_get(tdvp->v_mount, tino, NULL,
	    &tvp)) != 0))
		goto out;
	fip = VTOEI(fvp);
	fisdir = fvp->v_type == VDIR;
	if (tvp != NULL)
		tip = VTOEI(tvp);
	if (!vsticky_ok(fdp->ei_mode, fdp->ei_uid, fip->ei_uid, cred) ||
	    (tip != NULL &&
	    !vsticky_ok(tdp->ei_mode, tdp->ei_uid, tip->ei_uid, cred))) {
		error = EPERM;
		goto out;
	}
	if (fino == tino)
		goto out;               /* the same file: nothing to do */
	if (fisdir) {
		if ((error = is_below(em, tdp->ei_ino, fino, &below)) != 0)
			goto out;
		if (below) {
			error = EINVAL;
			goto out;
		}
		/* Its ".." changes: that takes write permission on it. */
		if (fdvp != tdvp && (error = ext2fs_vaccess(VTON(fvp), VWRITE,
		    cred)) != 0)
			goto out;
		if (tvp != NULL && tvp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		if (tvp != NULL && ((error = ext2fs_dir_isempty(em, VTON(tvp),
		    &empty)) != 0 || !empty)) {
			if (error == 0)
				error = ENOTEMPTY;
			goto out;
		}
		if (tvp == NULL && fdvp != tdvp &&
		    (error = dir_link_ok(fs, tdp)) != 0)
			goto out;
	} else if (tvp != NULL && tvp->v_type == VDIR) {
		error = EISDIR;
		goto out;
	}

	/* The new name first: nothing has changed if there is no room. */
	ft = ext2fs_mode_to_ft(fip->ei_mode);
	if (tvp != NULL)
		error = ext2fs_dir_setino(em, VTON(tdvp), tnm, tlen, fino, ft);
	else
		error = ext2fs_dir_add(em, VTON(tdvp), tnm, tlen, fino, ft,
		    cred_root(cred));
	if (error != 0 ||
	    (error = ext2fs_dir_remove(em, VTON(fdvp), fnm, flen)) != 0)
		goto out;
	if (tip != NULL) {
		if (tvp->v_type == VDIR) {
			tip->ei_nlink = 0;
			dir_dec(tdp);
		} else if (tip->ei_nlink > 0)
			tip->ei_nlink--;
		ext2fs_settime(tip, false, false, true);
		if ((error = ext2fs_iupdate(em, tip)) != 0 ||
		    (tip->ei_nlink == 0 &&
		    (error = ext2fs_orphan_add(em, VTON(tvp))) != 0))
			goto out;
	}
	if (fisdir && fdvp != tdvp) {
		if ((error = ext2fs_dir_setino(em, VTON(fvp), "..", 2,
		    tdp->ei_ino, EXT2_FT_DIR)) != 0)
			goto out;
		dir_dec(fdp);
		dir_inc(fs, tdp);
	}
	ext2fs_settime(fip, false, false, true);
	ext2fs_settime(fdp, false, true, true);
	ext2fs_settime(tdp, false, true, true);
	if ((error = ext2fs_iupdate(em, fip)) == 0 &&
	    (error = ext2fs_iupdate(em, fdp)) == 0 && fdp != tdp)
		error = ext2fs_iupdate(em, tdp);
out:
	rw_exit(&em->em_lock);
	if (fvp != NULL)
		vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
	return error;
}

/* The last reference: an unlinked file goes now, with its blocks. */
static int
ext2fs_inactive(struct vnode *vp, bool *recycle)
{
	struct ext2fs_mount *em = VTOEM(vp);
	struct ext2fs_node *np = VTON(vp);
	int error = 0;

	rw_enter(&em->em_lock, RW_WRITER);
	*recycle = np->n_ip.ei_nlink == 0 && vlastref(vp);
	if (*recycle && em->em_rw) {
		error = ext2fs_irelease(em, np);
		vcache_freed(vp);
	}
	rw_exit(&em->em_lock);
	return error;
}

/*
 * Buffers are the device vnode's, not this one's: only the node goes,
 * unless it is an unlinked inode not yet released (a reference came
 * and went while inactive ran): the mount releases it later.
 */
static int
ext2fs_reclaim(struct vnode *vp)
{
	struct ext2fs_mount *em = VTOEM(vp);
	struct ext2fs_node *np = VTON(vp);

	vp->v_data = NULL;
	ext2fs_dc_free(np);
	ext2fs_acl_forget(np);
	if (np->n_ip.ei_nlink == 0 && !np->n_freed &&
	    atomic_load_relaxed(&em->em_rw)) {
		mutex_enter(&em->em_pendlock);
		LIST_INSERT_HEAD(&em->em_pending, np, n_pend);
		mutex_exit(&em->em_pendlock);
		return 0;
	}
	kmem_free(np, sizeof(*np));
	return 0;
}

const struct vnodeops ext2fs_vnodeops = {
	.vop_lookup = ext2fs_lookup_op,
	.vop_create = ext2fs_create,
	.vop_symlink = ext2fs_symlink,
	.vop_open = genfs_nullop_open,
	.vop_close = genfs_nullop_close,
	.vop_access = ext2fs_access,
	.vop_getattr = ext2fs_getattr,
	.vop_setattr = ext2fs_setattr,
	.vop_read = ext2fs_read_op,
	.vop_write = ext2fs_write_op,
	.vop_fsync = ext2fs_fsync,
	.vop_remove = ext2fs_remove,
	.vop_link = ext2fs_link,
	.vop_rename = ext2fs_rename,
	.vop_readdir = ext2fs_readdir_op,
	.vop_readlink = ext2fs_readlink_op,
	.vop_seekdata = ext2fs_seekdata,
	.vop_fallocate = ext2fs_fallocate_op,
	.vop_inactive = ext2fs_inactive,
	.vop_reclaim = ext2fs_reclaim,
	.vop_getxattr = ext2fs_getxattr,
	.vop_setxattr = ext2fs_setxattr,
	.vop_listxattr = ext2fs_listxattr,
	.vop_removexattr = ext2fs_removexattr,
};

/* Device nodes: the node is ext2's, the I/O the driver's. */
static int
ext2fs_spec_reclaim(struct vnode *vp)
{
	spec_reclaim(vp);
	return ext2fs_reclaim(vp);
}

struct vnodeops ext2fs_specops;

void
ext2fs_specops_init(void)
{
	ext2fs_specops = ext2fs_vnodeops;
	ext2fs_specops.vop_open = spec_open;
	ext2fs_specops.vop_close = spec_close;
	ext2fs_specops.vop_read = spec_read;
	ext2fs_specops.vop_write = spec_write;
	ext2fs_specops.vop_fsync = spec_fsync;
	ext2fs_specops.vop_strategy = spec_strategy;
	ext2fs_specops.vop_reclaim = ext2fs_spec_reclaim;
}
