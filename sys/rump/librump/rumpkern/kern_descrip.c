/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Descriptor tables and open files.
 *
 * A descriptor slot goes: free -> allocated (fd_allocfile; the number is
 * reserved but lookups still fail) -> open (fd_affix) -> free (fd_close or
 * fd_abort).  A struct file lives while descriptors or lookups hold
 * references (f_count); the last release calls its fo_close.  Every
 * descriptor a table lets go of is reported to the file's fo_fdclose
 * first (record locks are the table's, dropped at any of its closes).
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>

#define FD_INITIAL 32

struct filedesc *
fd_init(void)
{
	struct filedesc *fdp;

	if ((fdp = kmem_zalloc(sizeof(*fdp), KM_SLEEP)) == NULL)
		return NULL;
	fdp->fd_ofiles = kmem_zalloc(FD_INITIAL * sizeof(struct fdfile),
	    KM_SLEEP);
	if (fdp->fd_ofiles == NULL) {
		kmem_free(fdp, sizeof(*fdp));
		return NULL;
	}
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT, IPL_NONE);
	fdp->fd_refcnt = 1;
	fdp->fd_nfiles = FD_INITIAL;
	fdp->fd_limit = FD_DEFAULT_LIMIT;
	fdp->fd_hardlimit = FD_DEFAULT_HARDLIMIT;
	return fdp;
}

struct filedesc *
fd_copy(struct filedesc *from)
{
	struct filedesc *fdp;
	struct fdfile *ff;
	unsigned n;

	if ((fdp = fd_init()) == NULL)
		return NULL;
	mutex_enter(&from->fd_lock);
	n = from->fd_nfiles;
	if (n > fdp->fd_nfiles) {
		mutex_exit(&from->fd_lock);
		ff = kmem_zalloc(n * sizeof(*ff), KM_SLEEP);
		mutex_enter(&from->fd_lock);
		if (ff == NULL || n != from->fd_nfiles) {
			/* Lost memory or a race with growth: let the caller retry. */
			mutex_exit(&from->fd_lock);
			if (ff != NULL)
				kmem_free(ff, n * sizeof(*ff));
			fd_free(fdp);
			return NULL;
		}
		kmem_free(fdp->fd_ofiles, fdp->fd_nfiles * sizeof(*ff));
		fdp->fd_ofiles = ff;
		fdp->fd_nfiles = n;
	}
	for (unsigned i = 0; i < from->fd_lastfile; i++) {
		struct file *fp = from->fd_ofiles[i].ff_file;
		if (fp == NULL)
			continue;
		file_hold(fp);
		fdp->fd_ofiles[i] = from->fd_ofiles[i];
	}
	fdp->fd_lastfile = from->fd_lastfile;
	fdp->fd_limit = from->fd_limit;
	fdp->fd_hardlimit = from->fd_hardlimit;
	mutex_exit(&from->fd_lock);
	return fdp;
}

void
fd_share(struct filedesc *fdp)
{
	atomic_inc_uint(&fdp->fd_refcnt);
}

/* The table fdp no longer holds this descriptor of fp. */
static void
fd_notify_close(struct filedesc *fdp, struct file *fp)
{
	if (fp->f_ops != NULL && fp->f_ops->fo_fdclose != NULL)
		fp->f_ops->fo_fdclose(fp, fdp);
}

void
fd_free(struct filedesc *fdp)
{
	struct file *fp;

	if (atomic_dec_uint_nv(&fdp->fd_refcnt) != 0)
		return;
	for (unsigned i = 0; i < fdp->fd_lastfile; i++) {
		if ((fp = fdp->fd_ofiles[i].ff_file) != NULL) {
			fd_notify_close(fdp, fp);
			file_release(fp);
		}
	}
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp->fd_ofiles, fdp->fd_nfiles * sizeof(struct fdfile));
	kmem_free(fdp, sizeof(*fdp));
}

/* Make room for descriptor fd.  Called and returns with fd_lock held. */
static int
fd_grow(struct filedesc *fdp, unsigned fd)
{
	struct fdfile *nf, *of;
	unsigned nsize, osize;

	while (fd >= fdp->fd_nfiles) {
		osize = fdp->fd_nfiles;
		nsize = MIN(osize * 2, fdp->fd_limit);
		if (nsize <= fd)
			nsize = fd + 1;
		mutex_exit(&fdp->fd_lock);
		nf = kmem_zalloc(nsize * sizeof(*nf), KM_SLEEP);
		mutex_enter(&fdp->fd_lock);
		if (nf == NULL)
			return ENOMEM;
		if (fdp->fd_nfiles != osize) {
			kmem_free(nf, nsize * sizeof(*nf));
			continue;
		}
		of = fdp->fd_ofiles;
		memcpy(nf, of, osize * sizeof(*nf));
		fdp->fd_ofiles = nf;
		fdp->fd_nfiles = nsize;
		kmem_free(of, osize * sizeof(*of));
	}
	return 0;
}

/*
 * Reserve the lowest free descriptor at or above minfd.  Called and
 * returns with fd_lock held.
 */
int
fd_alloc(struct filedesc *fdp, unsigned minfd, int *fdout)
{
	unsigned fd;
	int error;

	for (fd = MAX(minfd, fdp->fd_freefile);; fd++) {
		if (fd >= fdp->fd_limit)
			return EMFILE;
		if (fd >= fdp->fd_nfiles && (error = fd_grow(fdp, fd)) != 0)
			return error;
		if (!fdp->fd_ofiles[fd].ff_allocated)
			break;
	}
	fdp->fd_ofiles[fd].ff_allocated = true;
	fdp->fd_ofiles[fd].ff_exclose = false;
	if (fd >= fdp->fd_lastfile)
		fdp->fd_lastfile = fd + 1;
	if (minfd <= fdp->fd_freefile)
		fdp->fd_freefile = fd + 1;
	*fdout = (int)fd;
	return 0;
}

static void
fd_unused(struct filedesc *fdp, unsigned fd)
{
	fdp->fd_ofiles[fd].ff_file = NULL;
	fdp->fd_ofiles[fd].ff_allocated = false;
	fdp->fd_ofiles[fd].ff_exclose = false;
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	while (fdp->fd_lastfile > 0 &&
	    !fdp->fd_ofiles[fdp->fd_lastfile - 1].ff_allocated)
		fdp->fd_lastfile--;
}

int
fd_allocfile(struct file **fpp, int *fdp_out)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp;
	int error;

	if ((fp = kmem_zalloc(sizeof(*fp), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_enter(&fdp->fd_lock);
	error = fd_alloc(fdp, 0, fdp_out);
	mutex_exit(&fdp->fd_lock);
	if (error) {
		kmem_free(fp, sizeof(*fp));
		return error;
	}
	mutex_init(&fp->f_lock, MUTEX_DEFAULT, IPL_NONE);
	fp->f_count = 1;
	fp->f_cred = kauth_cred_get();
	kauth_cred_hold(fp->f_cred);
	*fpp = fp;
	return 0;
}

void
fd_affix(struct proc *p, struct file *fp, int fd)
{
	struct filedesc *fdp = p->p_fd;

	KASSERT(fp->f_ops != NULL);
	mutex_enter(&fdp->fd_lock);
	KASSERT(fdp->fd_ofiles[fd].ff_allocated &&
	    fdp->fd_ofiles[fd].ff_file == NULL);
	fdp->fd_ofiles[fd].ff_file = fp;
	mutex_exit(&fdp->fd_lock);
}

static void
file_free(struct file *fp)
{
	kauth_cred_free(fp->f_cred);
	mutex_destroy(&fp->f_lock);
	kmem_free(fp, sizeof(*fp));
}

void
fd_abort(struct proc *p, struct file *fp, int fd)
{
	struct filedesc *fdp = p->p_fd;

	mutex_enter(&fdp->fd_lock);
	fd_unused(fdp, (unsigned)fd);
	mutex_exit(&fdp->fd_lock);
	if (fp != NULL)
		file_free(fp);
}

/* The open file behind descriptor fd, or NULL.  fd_lock held. */
static struct file *
fd_lookup(struct filedesc *fdp, int fd)
{
	KASSERT(mutex_owned(&fdp->fd_lock));
	if (fd < 0 || (unsigned)fd >= fdp->fd_lastfile)
		return NULL;
	return fdp->fd_ofiles[fd].ff_file;
}

int
fd_getfile(int fd, struct file **fpp)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp;

	mutex_enter(&fdp->fd_lock);
	if ((fp = fd_lookup(fdp, fd)) == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	file_hold(fp);
	mutex_exit(&fdp->fd_lock);
	*fpp = fp;
	return 0;
}

void
fd_putfile(struct file *fp)
{
	file_release(fp);
}

void
file_hold(struct file *fp)
{
	atomic_inc_uint(&fp->f_count);
}

int
file_release(struct file *fp)
{
	int error = 0;

	if (atomic_dec_uint_nv(&fp->f_count) != 0)
		return 0;
	if (fp->f_ops != NULL && fp->f_ops->fo_close != NULL)
		error = fp->f_ops->fo_close(fp);
	file_free(fp);
	return error;
}

int
fd_close(int fd)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp;

	mutex_enter(&fdp->fd_lock);
	if ((fp = fd_lookup(fdp, fd)) == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	fd_unused(fdp, (unsigned)fd);
	mutex_exit(&fdp->fd_lock);
	fd_notify_close(fdp, fp);
	return file_release(fp);
}

/*
 * Make newfd refer to the file of oldfd, closing what newfd held (dup2).
 * With newfd < 0, take the lowest free descriptor at or above minfd (dup,
 * F_DUPFD).  *newfdp is the descriptor used.
 */
int
fd_dup(int oldfd, int newfd, unsigned minfd, bool exclose, int *newfdp)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp, *closing = NULL;
	int error;

	mutex_enter(&fdp->fd_lock);
	if ((fp = fd_lookup(fdp, oldfd)) == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	if (newfd < 0) {
		if ((error = fd_alloc(fdp, minfd, &newfd)) != 0) {
			mutex_exit(&fdp->fd_lock);
			return error;
		}
	} else {
		if ((unsigned)newfd >= fdp->fd_limit) {
			mutex_exit(&fdp->fd_lock);
			return EBADF;
		}
		if ((error = fd_grow(fdp, (unsigned)newfd)) != 0) {
			mutex_exit(&fdp->fd_lock);
			return error;
		}
		/* A slot reserved by a concurrent open: as Linux, EBUSY. */
		if (fdp->fd_ofiles[newfd].ff_allocated &&
		    fdp->fd_ofiles[newfd].ff_file == NULL) {
			mutex_exit(&fdp->fd_lock);
			return EBUSY;
		}
		closing = fdp->fd_ofiles[newfd].ff_file;
		fdp->fd_ofiles[newfd].ff_allocated = true;
		if ((unsigned)newfd >= fdp->fd_lastfile)
			fdp->fd_lastfile = (unsigned)newfd + 1;
	}
	file_hold(fp);
	fdp->fd_ofiles[newfd].ff_file = fp;
	fdp->fd_ofiles[newfd].ff_exclose = exclose;
	mutex_exit(&fdp->fd_lock);
	if (closing != NULL) {
		fd_notify_close(fdp, closing);
		file_release(closing);
	}
	*newfdp = newfd;
	return 0;
}

unsigned
fd_getlimit(void)
{
	struct filedesc *fdp = curproc->p_fd;
	unsigned limit;

	mutex_enter(&fdp->fd_lock);
	limit = fdp->fd_limit;
	mutex_exit(&fdp->fd_lock);
	return limit;
}

void
fd_getrlimit(unsigned *curp, unsigned *maxp)
{
	struct filedesc *fdp = curproc->p_fd;

	mutex_enter(&fdp->fd_lock);
	*curp = fdp->fd_limit;
	*maxp = fdp->fd_hardlimit;
	mutex_exit(&fdp->fd_lock);
}

int
fd_setrlimit(uint64_t cur, uint64_t max, bool priv)
{
	struct filedesc *fdp = curproc->p_fd;
	int error = 0;

	if (cur > max)
		return EINVAL;
	if (max > FD_MAX_LIMIT)
		return EPERM;
	mutex_enter(&fdp->fd_lock);
	if (max > fdp->fd_hardlimit && !priv)
		error = EPERM;
	else {
		fdp->fd_limit = (unsigned)cur;
		fdp->fd_hardlimit = (unsigned)max;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

void
fd_set_exclose(int fd, bool exclose)
{
	struct filedesc *fdp = curproc->p_fd;

	mutex_enter(&fdp->fd_lock);
	if (fd >= 0 && (unsigned)fd < fdp->fd_lastfile)
		fdp->fd_ofiles[fd].ff_exclose = exclose;
	mutex_exit(&fdp->fd_lock);
}

bool
fd_get_exclose(int fd)
{
	struct filedesc *fdp = curproc->p_fd;
	bool exclose = false;

	mutex_enter(&fdp->fd_lock);
	if (fd >= 0 && (unsigned)fd < fdp->fd_lastfile)
		exclose = fdp->fd_ofiles[fd].ff_exclose;
	mutex_exit(&fdp->fd_lock);
	return exclose;
}

int
fbadop_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	(void)fp;
	(void)cmd;
	(void)data;
	return ENOTTY;
}
