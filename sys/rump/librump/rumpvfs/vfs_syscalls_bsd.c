/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The original's BSD file calls that Linux has no number for (or spells
 * another way), so that its clients compile and run: mkfifo, mkfifoat,
 * lchmod, utimes, lutimes, futimes, the file flags (chflags, lchflags,
 * fchflags), getdents, statvfs1 and fstatvfs1.  Each is the Linux call
 * that does the same job, called with translated arguments: no new path
 * into the file systems.
 *
 * File flags: no file system of ours keeps BSD flags, so setting any is
 * EOPNOTSUPP; setting none (flags 0) is what the file already has and
 * succeeds, for the owner or root (EPERM for anyone else).
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/vnode.h>

#include "syscallargs.h"
#include "vfs_private.h"

int
sys_mkfifo(struct lwp *l, const struct sys_mkfifo_args *uap, register_t *rv)
{
	struct sys_mknodat_args a = { .fd = AT_FDCWD, .path = uap->path,
		.mode = S_IFIFO | (uap->mode & ALLPERMS) };

	return sys_mknodat(l, &a, rv);
}

int
sys_mkfifoat(struct lwp *l, const struct sys_mkfifoat_args *uap,
    register_t *rv)
{
	struct sys_mknodat_args a = { .fd = uap->fd, .path = uap->path,
		.mode = S_IFIFO | (uap->mode & ALLPERMS) };

	return sys_mknodat(l, &a, rv);
}

/* As Linux's fchmodat(AT_SYMLINK_NOFOLLOW): EOPNOTSUPP on a link. */
int
sys_lchmod(struct lwp *l, const struct sys_lchmod_args *uap, register_t *rv)
{
	struct sys_fchmodat_args a = { .fd = AT_FDCWD, .path = uap->path,
		.mode = uap->mode, .flag = AT_SYMLINK_NOFOLLOW };

	return sys_fchmodat(l, &a, rv);
}

/*
 * utimes(2) times (NULL: now) as utimensat's; a microsecond count out
 * of 0..999999 is EINVAL.
 */
static int
timeval_to_spec(const struct timeval *utv, struct timespec *ts,
    const struct timespec **tsp)
{
	struct timeval tv[2];
	int error;

	*tsp = NULL;
	if (utv == NULL)
		return 0;
	if ((error = copyin(utv, tv, sizeof(tv))) != 0)
		return error;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	*tsp = ts;
	return 0;
}

static int
do_utimes(int fd, const char *path, const struct timeval *utv, int flag,
    struct lwp *l, register_t *rv)
{
	const struct timespec *tsp;
	struct timespec ts[2];
	int error;

	(void)l;
	(void)rv;
	if ((error = timeval_to_spec(utv, ts, &tsp)) != 0)
		return error;
	return vfs_utimens_sys(fd, path, tsp, flag);
}

int
sys_utimes(struct lwp *l, const struct sys_utimes_args *uap, register_t *rv)
{
	if (uap->path == NULL)
		return EFAULT;
	return do_utimes(AT_FDCWD, uap->path, uap->tptr, 0, l, rv);
}

int
sys_lutimes(struct lwp *l, const struct sys_lutimes_args *uap,
    register_t *rv)
{
	if (uap->path == NULL)
		return EFAULT;
	return do_utimes(AT_FDCWD, uap->path, uap->tptr, AT_SYMLINK_NOFOLLOW, l,
	    rv);
}

int
sys_futimes(struct lwp *l, const struct sys_futimes_args *uap,
    register_t *rv)
{
	const struct timespec *tsp;
	struct timespec ts[2];
	int error;

	(void)l;
	(void)rv;
	if ((error = timeval_to_spec(uap->tptr, ts, &tsp)) != 0)
		return error;
	return vfs_utimens_sys(uap->fd, NULL, tsp, 0);
}

static int
setflags(struct vnode *vp, unsigned long flags)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vattr va;
	int error;

	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return error;
	if (va.va_uid != cred->cr_euid && !kauth_cred_issuser(cred))
		return EPERM;
	return flags == 0 ? 0 : EOPNOTSUPP;
}

static int
do_chflags(const char *path, unsigned long flags, bool follow)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path,
		.ni_flags = follow ? NI_FOLLOW : 0 };
	int error;

	if ((error = namei(&nd)) != 0)
		return error;
	error = setflags(nd.ni_vp, flags);
	namei_done(&nd);
	return error;
}

int
sys_chflags(struct lwp *l, const struct sys_chflags_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_chflags(uap->path, uap->flags, true);
}

int
sys_lchflags(struct lwp *l, const struct sys_lchflags_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_chflags(uap->path, uap->flags, false);
}

int
sys_fchflags(struct lwp *l, const struct sys_fchflags_args *uap,
    register_t *rv)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getvnode(uap->fd, &vp, &fp)) != 0)
		return error == EINVAL ? EBADF : error;
	error = setflags(vp, uap->flags);
	fd_putfile(fp);
	return error;
}

int
sys_getdents(struct lwp *l, const struct sys_getdents_args *uap,
    register_t *rv)
{
	struct sys_getdents64_args a = { .fd = uap->fd, .buf = uap->buf,
		.count = uap->count };

	return sys_getdents64(l, &a, rv);
}

/*
 * statvfs1: ST_WAIT asks for figures the file system has just computed,
 * ST_NOWAIT allows cached ones; ours are always current, so both give
 * what statvfs gives.  Any other flag is EINVAL.
 */
static int
statvfs1_flags(int flags)
{
	return flags == 0 || flags == ST_WAIT || flags == ST_NOWAIT ? 0 :
	    EINVAL;
}

int
sys_statvfs1(struct lwp *l, const struct sys_statvfs1_args *uap,
    register_t *rv)
{
	struct sys_statvfs_args a = { .path = uap->path, .buf = uap->buf };
	int error;

	if ((error = statvfs1_flags(uap->flags)) != 0)
		return error;
	return sys_statvfs(l, &a, rv);
}

int
sys_fstatvfs1(struct lwp *l, const struct sys_fstatvfs1_args *uap,
    register_t *rv)
{
	struct sys_fstatvfs_args a = { .fd = uap->fd, .buf = uap->buf };
	int error;

	if ((error = statvfs1_flags(uap->flags)) != 0)
		return error;
	return sys_fstatvfs(l, &a, rv);
}
