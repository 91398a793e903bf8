/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Descriptor system calls: close, the dup family, fcntl and fstat.  The
 * table mechanics are kern_descrip.c's; this file has the argument rules
 * and errno values, which are Linux's.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/lwp.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "syscallargs.h"

/*
 * The status flags F_SETFL may change.  O_ASYNC is not among them: with
 * no signals there is nothing for it to do, and keeping it would claim
 * otherwise.
 */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

int
sys_close(struct lwp *l, const struct sys_close_args *uap, register_t *rv)
{
	(void)l;
	(void)rv;
	return fd_close(uap->fd);
}

int
sys_dup(struct lwp *l, const struct sys_dup_args *uap, register_t *rv)
{
	int error, newfd;

	(void)l;
	if ((error = fd_dup(uap->fd, -1, 0, false, &newfd)) == 0)
		*rv = newfd;
	return error;
}

int
sys_dup2(struct lwp *l, const struct sys_dup2_args *uap, register_t *rv)
{
	struct file *fp;
	int error, newfd;

	(void)l;
	if (uap->from == uap->to) {
		/* Nothing to do but say whether the descriptor is open. */
		if ((error = fd_getfile(uap->from, &fp)) != 0)
			return error;
		fd_putfile(fp);
		*rv = uap->to;
		return 0;
	}
	if (uap->to < 0)
		return EBADF;
	if ((error = fd_dup(uap->from, uap->to, 0, false, &newfd)) == 0)
		*rv = newfd;
	return error;
}

int
sys_dup3(struct lwp *l, const struct sys_dup3_args *uap, register_t *rv)
{
	int error, newfd;

	(void)l;
	if ((uap->flags & ~O_CLOEXEC) != 0 || uap->from == uap->to)
		return EINVAL;
	if (uap->to < 0)
		return EBADF;
	error = fd_dup(uap->from, uap->to, 0, (uap->flags & O_CLOEXEC) != 0,
	    &newfd);
	if (error == 0)
		*rv = newfd;
	return error;
}

/* f_flag keeps the access mode as FREAD|FWRITE; F_GETFL gives O_*. */
static int
getfl(struct file *fp)
{
	unsigned flag = atomic_load_relaxed(&fp->f_flag);
	int fl = (int)(flag & ~(unsigned)(FREAD | FWRITE));

	if ((flag & (FREAD | FWRITE)) == (FREAD | FWRITE))
		fl |= O_RDWR;
	else if (flag & FWRITE)
		fl |= O_WRONLY;
	return fl;
}

static void
setfl(struct file *fp, long arg)
{
	unsigned flag;

	mutex_enter(&fp->f_lock);
	flag = (fp->f_flag & ~(unsigned)SETFL_MASK) |
	    ((unsigned)arg & SETFL_MASK);
	atomic_store_relaxed(&fp->f_flag, flag);
	mutex_exit(&fp->f_lock);
}

int
sys_fcntl(struct lwp *l, const struct sys_fcntl_args *uap, register_t *rv)
{
	struct file *fp;
	int error, newfd;

	(void)l;
	if ((error = fd_getfile(uap->fd, &fp)) != 0)
		return error;
	switch (uap->cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (uap->arg < 0 || (unsigned long)uap->arg >= fd_getlimit()) {
			error = EINVAL;
			break;
		}
		error = fd_dup(uap->fd, -1, (unsigned)uap->arg,
		    uap->cmd == F_DUPFD_CLOEXEC, &newfd);
		if (error == 0)
			*rv = newfd;
		break;
	case F_GETFD:
		*rv = fd_get_exclose(uap->fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		fd_set_exclose(uap->fd, (uap->arg & FD_CLOEXEC) != 0);
		break;
	case F_GETFL:
		*rv = getfl(fp);
		break;
	case F_SETFL:
		setfl(fp, uap->arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		/* Record locks are the object's business (vfs_lockf.c). */
		if (fp->f_ops->fo_fcntl == NULL) {
			error = EINVAL;
			break;
		}
		error = fp->f_ops->fo_fcntl(fp, (unsigned)uap->cmd,
		    (void *)uap->arg);
		break;
	default:
		error = EINVAL;
		break;
	}
	fd_putfile(fp);
	return error;
}

int
sys_fstat(struct lwp *l, const struct sys_fstat_args *uap, register_t *rv)
{
	struct file *fp;
	struct stat sb;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getfile(uap->fd, &fp)) != 0)
		return error;
	memset(&sb, 0, sizeof(sb));
	if (fp->f_ops->fo_stat == NULL)
		error = EOPNOTSUPP;
	else
		error = fp->f_ops->fo_stat(fp, &sb);
	fd_putfile(fp);
	if (error == 0)
		error = copyout(&sb, uap->sb, sizeof(sb));
	return error;
}
