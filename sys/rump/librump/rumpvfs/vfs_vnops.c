/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Vnodes as open files: open(2)'s checks and creation (vn_open), and the
 * fileops through which the generic descriptor layer (read, write,
 * lseek, fstat, fcntl, close in rumpkern) reaches a vnode.  The file's
 * f_data is a referenced vnode; its offset is the file's f_offset.  An
 * open FIFO reads, writes and polls as a pipe (sys/pipe.h) whatever its
 * file system; it has no offset.
 *
 * An O_PATH file (FPATH in f_flag, as on Linux) is only a reference: it
 * was not opened (no VOP_OPEN, no permission check on the file itself),
 * it can be fstat'ed, used as the directory of *at() calls and with
 * AT_EMPTY_PATH, and fchdir'ed to; read, write, lseek, locks and the
 * f*() calls that change the file are EBADF.  One thing Linux does
 * through /proc/self/fd/N, which this kernel has not, is done here by
 * openat(fd, "", flags) on an O_PATH descriptor: it opens its file
 * anew, with every check open(2) makes (Linux answers ENOENT to that
 * call, so no Linux program depends on the difference).
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/pipe.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

/* The open(2) flags a file keeps in f_flag (F_GETFL shows them). */
#define OFLAGS_KEPT (O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_DIRECT | \
	O_NOATIME | O_DIRECTORY | O_NOFOLLOW)

static int vn_read(struct file *, off_t *, struct uio *, int);
static int vn_write(struct file *, off_t *, struct uio *, int);
static int vn_ioctl(struct file *, unsigned long, void *);
static int vn_fcntl(struct file *, unsigned, void *);
static int vn_poll(struct file *, int, struct pollwait *);
static int vn_statfile(struct file *, struct stat *);
static int vn_closefile(struct file *);
static int vn_seek(struct file *, off_t, int, off_t *);
static void vn_fdclose(struct file *, struct filedesc *);

static const struct fileops vnops = {
	.fo_name = "vnode",
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_fcntl = vn_fcntl,
	.fo_poll = vn_poll,
	.fo_stat = vn_statfile,
	.fo_close = vn_closefile,
	.fo_seek = vn_seek,
	.fo_fdclose = vn_fdclose,
};

/* A FIFO's: the same but for the position, which it has not (ESPIPE). */
static const struct fileops fifoops = {
	.fo_name = "fifo",
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_fcntl = vn_fcntl,
	.fo_poll = vn_poll,
	.fo_stat = vn_statfile,
	.fo_close = vn_closefile,
	.fo_fdclose = vn_fdclose,
};

int
fd_getvnode_path(int fd, struct vnode **vpp, struct file **fpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_ops != &vnops && fp->f_ops != &fifoops) {
		fd_putfile(fp);
		return EINVAL;
	}
	*vpp = fp->f_data;
	*fpp = fp;
	return 0;
}

int
fd_getvnode(int fd, struct vnode **vpp, struct file **fpp)
{
	int error;

	if ((error = fd_getvnode_path(fd, vpp, fpp)) != 0)
		return error;
	if (atomic_load_relaxed(&(*fpp)->f_flag) & FPATH) {
		fd_putfile(*fpp);
		return EBADF;
	}
	return 0;
}

void
vn_file_attach(struct file *fp, struct vnode *vp, int oflags)
{
	unsigned flag = (unsigned)oflags & OFLAGS_KEPT;

	if (oflags & O_PATH)
		flag = FPATH | ((unsigned)oflags & (O_DIRECTORY | O_NOFOLLOW));
	else if ((oflags & O_ACCMODE) == O_RDONLY)
		flag |= FREAD;
	else if ((oflags & O_ACCMODE) == O_WRONLY)
		flag |= FWRITE;
	else
		flag |= FREAD | FWRITE;
	fp->f_flag = flag;
	fp->f_type = DTYPE_VNODE;
	fp->f_ops = vp->v_type == VFIFO ? &fifoops : &vnops;
	fp->f_data = vp;
}

/*
 * Create the last component of nd (its directory in ni_dvp).  The mode
 * is masked with the process's umask.
 */
static int
vn_create(struct nameidata *nd, mode_t cmode, struct vnode **vpp)
{
	struct vattr va = { .va_type = VREG };
	struct proc *p = curproc;

	if (nd->ni_trailslash)
		return EISDIR;
	if (vfs_isrdonly(nd->ni_dvp->v_mount))
		return EROFS;
	mutex_enter(&p->p_lock);
	va.va_mode = cmode & ALLPERMS & ~p->p_cwdi->cwdi_cmask;
	mutex_exit(&p->p_lock);
	va.va_cmode = cmode & ALLPERMS;
	va.va_mask = VA_CMODE;
	return VOP_CREATE(nd->ni_dvp, nd->ni_name,
	    nd->ni_namelen, &va, kauth_cred_get(), vpp);
}

/* Whether an open file counts as a writer of its mount. */
static bool
vn_iswriter(struct vnode *vp, unsigned fflag)
{
	return (fflag & FWRITE) != 0 && vp->v_type == VREG;
}

/* O_NOATIME is for the file's owner (and root), as on Linux. */
static int
vn_noatime_ok(struct vnode *vp, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if (kauth_cred_issuser(cred))
		return 0;
	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return error;
	return va.va_uid == cred->cr_euid ? 0 : EPERM;
}

/*
 * Open the file nd names as open(2) with oflags would: create it with
 * O_CREAT, check the type and permissions, truncate with O_TRUNC.
 * Returns the vnode referenced and opened (VOP_OPEN).
 */
int
vn_open(struct nameidata *nd, int oflags, mode_t cmode, struct vnode **vpp)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vnode *vp = NULL;
	int acc = oflags & O_ACCMODE, mode = 0, fflag, error, tries = 0;
	bool created = false;

	if (acc == O_ACCMODE || (oflags & O_PATH))
		return EINVAL;
	if ((oflags & O_CREAT) && (oflags & O_DIRECTORY))
		return EINVAL;
	/* O_CREAT|O_EXCL does not follow a link at the end: it is EEXIST. */
	nd->ni_flags &= ~(unsigned)(NI_FOLLOW | NI_WANTPARENT);
	if ((oflags & O_NOFOLLOW) == 0 &&
	    (oflags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		nd->ni_flags |= NI_FOLLOW;
	if (oflags & O_CREAT)
		nd->ni_flags |= NI_WANTPARENT;
	else
		nd->ni_flags |= NI_REOPEN;
again:
	if ((error = namei(nd)) != 0)
		return error;
	if (oflags & O_CREAT) {
		if (nd->ni_vp == NULL) {
			error = vn_create(nd, cmode, &vp);
			/* Created meanwhile by another: open that one. */
			if (error == EEXIST && !(oflags & O_EXCL) &&
			    ++tries < 8) {
				namei_done(nd);
				goto again;
			}
			if (error)
				goto out;
			created = true;
		} else if (oflags & O_EXCL) {
			error = EEXIST;
			goto out;
		} else {
			vp = nd->ni_vp;
			nd->ni_vp = NULL;
		}
	} else {
		vp = nd->ni_vp;
		nd->ni_vp = NULL;
	}
	namei_done(nd);

	if (vp->v_type == VLNK) {
		error = ELOOP;
		goto bad;
	}
	if ((oflags & O_DIRECTORY) && vp->v_type != VDIR) {
		error = ENOTDIR;
		goto bad;
	}
	if (vp->v_type == VDIR && (acc != O_RDONLY || (oflags & O_CREAT) ||
	    (oflags & O_TRUNC))) {
		error = EISDIR;
		goto bad;
	}
	if (vp->v_type == VSOCK) {
		error = ENXIO;
		goto bad;
	}
	/* A device node on a nodev mount is not a way to a device (Linux). */
	if ((vp->v_type == VBLK || vp->v_type == VCHR) &&
	    (atomic_load_relaxed(&vp->v_mount->mnt_flag) & MNT_NODEV)) {
		error = EACCES;
		goto bad;
	}
	if (acc != O_WRONLY)
		mode |= VREAD;
	if (acc != O_RDONLY || (oflags & O_TRUNC))
		mode |= VWRITE;
	if (!created) {
		if ((mode & VWRITE) && vfs_isrdonly(vp->v_mount) &&
		    (vp->v_type == VREG || vp->v_type == VDIR ||
		    vp->v_type == VLNK)) {
			error = EROFS;
			goto bad;
		}
		if ((error = VOP_ACCESS(vp, mode, cred)) != 0)
			goto bad;
	}
	if ((oflags & O_NOATIME) && (error = vn_noatime_ok(vp, cred)) != 0)
		goto bad;
	fflag = acc == O_RDONLY ? FREAD : acc == O_WRONLY ? FWRITE :
	    FREAD | FWRITE;
	if (vn_iswriter(vp, fflag) &&
	    (error = vfs_writer_enter(vp->v_mount)) != 0)
		goto bad;
	if ((error = VOP_OPEN(vp, fflag, cred)) != 0)
		goto badwriter;
	if (vp->v_type == VFIFO && (error = pipe_fifo_open(vp,
	    (unsigned)fflag | ((unsigned)oflags & O_NONBLOCK))) != 0) {
		VOP_CLOSE(vp, fflag, cred);
		goto badwriter;
	}
	if ((oflags & O_TRUNC) && !created && vp->v_type == VREG) {
		struct vattr va = { .va_mask = VA_SIZE, .va_size = 0 };

		if ((error = VOP_SETATTR(vp, &va, cred)) != 0) {
			VOP_CLOSE(vp, fflag, cred);
			goto badwriter;
		}
	}
	*vpp = vp;
	return 0;
badwriter:
	if (vn_iswriter(vp, fflag))
		vfs_writer_exit(vp->v_mount);
	/* vp is ours, not nd's: a failed VOP_OPEN must not keep it. */
	goto bad;
out:
	namei_done(nd);
	return error;
bad:
	vrele(vp);
	return error;
}

/*
 * O_PATH: the file nd names (the link itself with O_NOFOLLOW), checked
 * only for O_DIRECTORY; search permission on the way is namei's.  Linux
 * ignores the other flags but O_CLOEXEC, and so does this.
 */
int
vn_openpath(struct nameidata *nd, int oflags, struct vnode **vpp)
{
	int error;

	nd->ni_flags &= ~(unsigned)(NI_FOLLOW | NI_WANTPARENT);
	if ((oflags & O_NOFOLLOW) == 0)
		nd->ni_flags |= NI_FOLLOW;
	if ((error = namei(nd)) != 0)
		return error;
	if ((oflags & O_DIRECTORY) && nd->ni_vp->v_type != VDIR) {
		namei_done(nd);
		return ENOTDIR;
	}
	*vpp = nd->ni_vp;
	nd->ni_vp = NULL;
	namei_done(nd);
	return 0;
}

static int
vn_read(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_data;
	int error;

	(void)flags;
	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type == VFIFO)
		return pipe_fifo_read(vp, uio, atomic_load_relaxed(&fp->f_flag));
	uio->uio_offset = *offp;
	error = VOP_READ(vp, uio,
	    (atomic_load_relaxed(&fp->f_flag) & O_NOATIME) ? IO_NOATIME : 0,
	    fp->f_cred);
	*offp = uio->uio_offset;
	return error;
}

static int
vn_write(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_data;
	unsigned fflag = __atomic_load_n(&fp->f_flag, __ATOMIC_RELAXED);
	int ioflag = 0, error;

	(void)flags;
	if (vp->v_type == VFIFO)
		return pipe_fifo_write(vp, uio, fflag);
	if (fflag & O_APPEND)
		ioflag |= IO_APPEND;
	if (fflag & (O_SYNC | O_DSYNC))
		ioflag |= IO_SYNC;
	uio->uio_offset = *offp;
	error = VOP_WRITE(vp, uio, ioflag, fp->f_cred);
	*offp = uio->uio_offset;
	return error;
}

/* FIONREAD of a FIFO; nothing else of a vnode. */
static int
vn_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct vnode *vp = fp->f_data;

	if (vp->v_type == VFIFO)
		return pipe_fifo_ioctl(vp, cmd, data);
	return fbadop_ioctl(fp, cmd, data);
}

/*
 * fcntl commands the descriptor layer passes on: the advisory record
 * locks.  data is the client's struct flock.
 */
static int
vn_fcntl(struct file *fp, unsigned cmd, void *data)
{
	if (atomic_load_relaxed(&fp->f_flag) & FPATH)
		return EBADF;
	switch (cmd) {
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		return vn_advlock(fp->f_data, fp, cmd, data);
	default:
		return EINVAL;
	}
}

/* Files on a file system are always ready, as poll(2) says; FIFOs not. */
static int
vn_poll(struct file *fp, int events, struct pollwait *pw)
{
	struct vnode *vp = fp->f_data;

	if (vp->v_type == VFIFO)
		return pipe_fifo_poll(vp, atomic_load_relaxed(&fp->f_flag) &
		    (FREAD | FWRITE), events, pw);
	return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

int
vn_stat(struct vnode *vp, struct stat *sb)
{
	struct vattr va;
	int error;

	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return error;
	memset(sb, 0, sizeof(*sb));
	sb->st_dev = vp->v_mount->mnt_fsid;
	sb->st_ino = va.va_fileid;
	sb->st_mode = vttoif(va.va_type) | (va.va_mode & ALLPERMS);
	sb->st_nlink = va.va_nlink;
	sb->st_uid = va.va_uid;
	sb->st_gid = va.va_gid;
	sb->st_rdev = va.va_rdev;
	sb->st_size = va.va_size;
	sb->st_blksize = va.va_blocksize;
	sb->st_blocks = (blkcnt_t)((va.va_bytes + 511) / 512);
	sb->st_atim = va.va_atime;
	sb->st_mtim = va.va_mtime;
	sb->st_ctim = va.va_ctime;
	return 0;
}

static int
vn_statfile(struct file *fp, struct stat *sb)
{
	return vn_stat(fp->f_data, sb);
}

static int
vn_closefile(struct file *fp)
{
	struct vnode *vp = fp->f_data;
	int error;

	if (fp->f_flag & FPATH) {
		vrele(vp);
		return 0;
	}
	vn_advlock_release(vp, fp);
	if (vp->v_type == VFIFO)
		pipe_fifo_close(vp, fp->f_flag & (FREAD | FWRITE));
	error = VOP_CLOSE(vp, fp->f_flag & (FREAD | FWRITE),
	    fp->f_cred);
	if (vn_iswriter(vp, fp->f_flag))
		vfs_writer_exit(vp->v_mount);
	vrele(vp);
	return error;
}

static void
vn_fdclose(struct file *fp, struct filedesc *fdp)
{
	vn_advlock_fdclose(fp->f_data, fdp);
}

/*
 * The offset that SEEK_SET, SEEK_CUR or SEEK_END counts from, for lseek
 * and for record locks (struct flock's l_whence); EINVAL for any other.
 */
int
vn_whence_base(struct file *fp, int whence, off_t *basep)
{
	struct vattr va;
	int error;

	switch (whence) {
	case SEEK_SET:
		*basep = 0;
		return 0;
	case SEEK_CUR:
		mutex_enter(&fp->f_lock);
		*basep = fp->f_offset;
		mutex_exit(&fp->f_lock);
		return 0;
	case SEEK_END:
		if ((error = VOP_GETATTR(fp->f_data, &va)) != 0)
			return error;
		*basep = va.va_size;
		return 0;
	default:
		return EINVAL;
	}
}

static int
vn_seek(struct file *fp, off_t delta, int whence, off_t *newoffp)
{
	struct vnode *vp = fp->f_data;
	off_t base, off;
	int error;

	if (atomic_load_relaxed(&fp->f_flag) & FPATH)
		return EBADF;
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		if (vp->v_type != VREG)
			return EINVAL;
		if (delta < 0)
			return ENXIO;
		off = delta;
		if ((error = VOP_SEEKDATA(vp, whence, &off)) != 0)
			return error;
		goto set;
	}
	if ((error = vn_whence_base(fp, whence, &base)) != 0)
		return error;
	if ((delta > 0 && base > INT64_MAX - delta) ||
	    (off = base + delta) < 0)
		return EINVAL;
set:
	mutex_enter(&fp->f_lock);
	fp->f_offset = off;
	mutex_exit(&fp->f_lock);
	*newoffp = off;
	return 0;
}
