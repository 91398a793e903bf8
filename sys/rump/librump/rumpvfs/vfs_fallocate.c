/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fallocate(2): the checks every file system shares, in Linux's order
 * and with its errno, then the file system's VOP_FALLOCATE.  Modes are
 * exclusive but for FALLOC_FL_KEEP_SIZE, which goes with allocation and
 * zeroing and must go with punching; a mode or combination Linux does
 * not know is EOPNOTSUPP before anything else is looked at.  Pipes and
 * FIFOs are ESPIPE, directories EISDIR, other non-regular files ENODEV;
 * an end past 2^63 - 1 is EFBIG (the file system checks its own limit).
 * posix_fallocate(3) is mode 0.
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#include "syscallargs.h"
#include "vfs_private.h"

/* Linux's exclusive modes: its FALLOC_FL_MODE_MASK. */
#define FALLOC_MODES (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
	FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE |                 \
	FALLOC_FL_UNSHARE_RANGE | FALLOC_WRITE_ZEROES)
#define FALLOC_WRITE_ZEROES 0x80        /* Linux 6.17's; none of ours has it */

static int
falloc_mode_check(int mode)
{
	if (mode & ~(FALLOC_MODES | FALLOC_FL_KEEP_SIZE))
		return EOPNOTSUPP;
	switch (mode & FALLOC_MODES) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		return 0;
	case FALLOC_FL_PUNCH_HOLE:
		return (mode & FALLOC_FL_KEEP_SIZE) ? 0 : EOPNOTSUPP;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
	case FALLOC_WRITE_ZEROES:
		return (mode & FALLOC_FL_KEEP_SIZE) ? EOPNOTSUPP : 0;
	default:
		return EOPNOTSUPP;
	}
}

int
sys_fallocate(struct lwp *l, const struct sys_fallocate_args *uap,
    register_t *rv)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getfile(uap->fd, &fp)) != 0)
		return error;
	if (fp->f_flag & FPATH)
		error = EBADF;
	else if (uap->offset < 0 || uap->len <= 0)
		error = EINVAL;
	else if ((error = falloc_mode_check(uap->mode)) != 0)
		;
	else if ((fp->f_flag & FWRITE) == 0)
		error = EBADF;
	else if (fp->f_type == DTYPE_PIPE)
		error = ESPIPE;
	else if (fp->f_type != DTYPE_VNODE)
		error = ENODEV;
	else if ((vp = fp->f_data)->v_type == VFIFO)
		error = ESPIPE;
	else if (vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_type != VREG && vp->v_type != VBLK)
		error = ENODEV;
	else if (uap->offset > INT64_MAX - uap->len)
		error = EFBIG;
	else if (vp->v_type == VBLK)
		error = EOPNOTSUPP;
	else if (vfs_isrdonly(vp->v_mount))
		error = EROFS;
	else
		error = VOP_FALLOCATE(vp, uap->mode, uap->offset, uap->len);
	fd_putfile(fp);
	return error;
}
