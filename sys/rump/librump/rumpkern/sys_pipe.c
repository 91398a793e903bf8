/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Pipes: pipe(2), pipe2(2) and the fileops of the two ends; and the
 * FIFOs of file systems (sys/pipe.h), which are the same pipes with ends
 * opened by name.
 *
 * A pipe is a ring buffer of PIPE_SIZE bytes (Linux's default capacity)
 * with one file for the read end and one for the write end; descriptors
 * share those files by reference, so each end closes exactly once.  The
 * buffer is allocated by the first write, so that idle pipes cost little.
 *
 * The rules are POSIX's as Linux implements them: a write of at most
 * PIPE_BUF bytes goes in whole or waits; a larger one may be split and
 * interleaved with other writers.  Reading an empty pipe waits for data
 * or, once the write end is closed, returns 0.  Writing with the read end
 * closed is EPIPE (there is no SIGPIPE).  O_NONBLOCK turns each wait into
 * EAGAIN, or into a short count if something was moved already.
 *
 * A FIFO (mknod S_IFIFO) gets a pipe at its first open, kept in its
 * vnode's v_fifo and freed when the last end closes, so nothing stays
 * buffered between uses.  The ends are counted: EOF once no writer is
 * left, EPIPE once no reader is.  Opening as POSIX and Linux have it:
 * read-only waits for a writer, write-only for a reader (with
 * O_NONBLOCK the first does not wait, the second is ENXIO), read-write
 * never waits.  fifo_lock guards v_fifo and the waits of opens; lock
 * order: fifo_lock, then pipe_lock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <sys/pipe.h>
#include <sys/vnode.h>

#include "rump_private.h"
#include "syscallargs.h"

#define PIPE_SIZE 65536
#define PIPE_BUF  4096

/* Locking: (p) pipe_lock, (c) stable after creation. */
struct pipe {
	kmutex_t pipe_lock;
	kcondvar_t pipe_rcv;            /* readers wait for data or EOF */
	kcondvar_t pipe_wcv;            /* writers wait for room or EPIPE */
	struct selinfo pipe_rsel;       /* p: pollers of the read end */
	struct selinfo pipe_wsel;       /* p: pollers of the write end */
	char *pipe_buf;                 /* p: PIPE_SIZE bytes, or NULL */
	size_t pipe_head;               /* p: where the next read starts */
	size_t pipe_count;              /* p: bytes buffered */
	unsigned pipe_nreaders;         /* p: read ends open */
	unsigned pipe_nwriters;         /* p: write ends open */
	unsigned pipe_nopens;           /* fifo_lock: a FIFO's opens that
					 * have counted themselves; it goes
					 * at 0 */
	unsigned pipe_rgen, pipe_wgen;  /* fifo_lock: a FIFO's read, write
					 * opens so far (open waits on it) */
	ino_t pipe_ino;                 /* c */
	struct timespec pipe_atime;     /* p */
	struct timespec pipe_mtime;     /* p */
};

static int pipe_read(struct file *, off_t *, struct uio *, int);
static int pipe_write(struct file *, off_t *, struct uio *, int);
static int pipe_ioctl(struct file *, unsigned long, void *);
static int pipe_poll(struct file *, int, struct pollwait *);
static int pipe_stat(struct file *, struct stat *);
static int pipe_close(struct file *);

static const struct fileops pipeops = {
	.fo_name = "pipe",
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
};

static long pipe_lastino;
static kmutex_t fifo_lock;
static kcondvar_t fifo_cv;              /* fifo_lock: an end opened */

static struct pipe *
pipe_create(void)
{
	struct pipe *pp;

	if ((pp = kmem_zalloc(sizeof(*pp), KM_SLEEP)) == NULL)
		return NULL;
	mutex_init(&pp->pipe_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&pp->pipe_rcv, "piperd");
	cv_init(&pp->pipe_wcv, "pipewr");
	selinit(&pp->pipe_rsel, &pp->pipe_lock);
	selinit(&pp->pipe_wsel, &pp->pipe_lock);
	pp->pipe_ino = (ino_t)atomic_add_long_nv(&pipe_lastino, 1);
	nanotime(&pp->pipe_atime);
	pp->pipe_mtime = pp->pipe_atime;
	return pp;
}

static void
pipe_destroy(struct pipe *pp)
{
	seldestroy(&pp->pipe_rsel);
	seldestroy(&pp->pipe_wsel);
	cv_destroy(&pp->pipe_rcv);
	cv_destroy(&pp->pipe_wcv);
	mutex_destroy(&pp->pipe_lock);
	if (pp->pipe_buf != NULL)
		kmem_free(pp->pipe_buf, PIPE_SIZE);
	kmem_free(pp, sizeof(*pp));
}

static bool
pipe_nonblock(struct file *fp)
{
	return (atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK) != 0;
}

/*
 * Give the pipe its buffer.  Called and returns with pipe_lock held; drops
 * it to allocate.
 */
static int
pipe_getbuf(struct pipe *pp)
{
	char *buf;

	if (pp->pipe_buf != NULL)
		return 0;
	mutex_exit(&pp->pipe_lock);
	buf = kmem_alloc(PIPE_SIZE, KM_SLEEP);
	mutex_enter(&pp->pipe_lock);
	if (buf == NULL)
		return ENOMEM;
	if (pp->pipe_buf == NULL)
		pp->pipe_buf = buf;
	else
		kmem_free(buf, PIPE_SIZE);
	return 0;
}

/*
 * Move n bytes between the ring and uio, in at most two pieces.  On a
 * fault the ring accounts for exactly what moved.
 */
static int
pipe_xfer(struct pipe *pp, size_t n, struct uio *uio)
{
	size_t at, chunk, before, done;
	int error = 0;

	KASSERT(mutex_owned(&pp->pipe_lock));
	while (n > 0 && error == 0) {
		if (uio->uio_rw == UIO_READ)
			at = pp->pipe_head;
		else
			at = (pp->pipe_head + pp->pipe_count) % PIPE_SIZE;
		chunk = MIN(n, PIPE_SIZE - at);
		before = uio->uio_resid;
		error = uiomove(pp->pipe_buf + at, chunk, uio);
		done = before - uio->uio_resid;
		if (uio->uio_rw == UIO_READ) {
			pp->pipe_head = (pp->pipe_head + done) % PIPE_SIZE;
			pp->pipe_count -= done;
		} else
			pp->pipe_count += done;
		n -= done;
	}
	return error;
}

static int
pipe_doread(struct pipe *pp, struct uio *uio, bool nonblock)
{
	int error = 0;

	if (uio->uio_resid == 0)
		return 0;
	mutex_enter(&pp->pipe_lock);
	while (pp->pipe_count == 0) {
		if (pp->pipe_nwriters == 0)
			goto out;
		if (nonblock) {
			error = EAGAIN;
			goto out;
		}
		if ((error = cv_wait_sig(&pp->pipe_rcv, &pp->pipe_lock)) != 0)
			goto out;
	}
	error = pipe_xfer(pp, MIN(uio->uio_resid, pp->pipe_count), uio);
	nanotime(&pp->pipe_atime);
	cv_broadcast(&pp->pipe_wcv);
	if (PIPE_SIZE - pp->pipe_count >= PIPE_BUF)
		selnotify(&pp->pipe_wsel, POLLOUT | POLLWRNORM);
out:
	mutex_exit(&pp->pipe_lock);
	return error;
}

static int
pipe_read(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	(void)offp;
	(void)flags;
	return pipe_doread(fp->f_data, uio, pipe_nonblock(fp));
}

static int
pipe_dowrite(struct pipe *pp, struct uio *uio, bool nonblock)
{
	size_t room, need;
	int error;

	if (uio->uio_resid == 0)
		return 0;
	/* A write that fits in PIPE_BUF waits for room for all of it. */
	need = uio->uio_resid <= PIPE_BUF ? uio->uio_resid : 1;
	mutex_enter(&pp->pipe_lock);
	if ((error = pipe_getbuf(pp)) != 0)
		goto out;
	while (uio->uio_resid > 0) {
		if (pp->pipe_nreaders == 0) {
			error = EPIPE;
			break;
		}
		room = PIPE_SIZE - pp->pipe_count;
		if (room < need) {
			if (nonblock) {
				error = EAGAIN;
				break;
			}
			if ((error = cv_wait_sig(&pp->pipe_wcv,
			    &pp->pipe_lock)) != 0)
				break;
			continue;
		}
		error = pipe_xfer(pp, MIN(room, uio->uio_resid), uio);
		nanotime(&pp->pipe_mtime);
		cv_broadcast(&pp->pipe_rcv);
		selnotify(&pp->pipe_rsel, POLLIN | POLLRDNORM);
		if (error)
			break;
	}
out:
	mutex_exit(&pp->pipe_lock);
	return error;
}

static int
pipe_write(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	(void)offp;
	(void)flags;
	return pipe_dowrite(fp->f_data, uio, pipe_nonblock(fp));
}

static int
pipe_doioctl(struct pipe *pp, unsigned long cmd, void *data)
{
	if (cmd != FIONREAD)
		return ENOTTY;
	mutex_enter(&pp->pipe_lock);
	*(int *)data = (int)pp->pipe_count;
	mutex_exit(&pp->pipe_lock);
	return 0;
}

static int
pipe_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	return pipe_doioctl(fp->f_data, cmd, data);
}

/*
 * Linux's rules: the read end is readable with data buffered and hung up
 * once the write end is gone; the write end is writable with room for a
 * PIPE_BUF write and in error once the read end is gone.
 */
static int
pipe_dopoll(struct pipe *pp, unsigned fflag, int events, struct pollwait *pw)
{
	int revents = 0;

	mutex_enter(&pp->pipe_lock);
	if (fflag & FREAD) {
		if (pp->pipe_count > 0)
			revents |= POLLIN | POLLRDNORM;
		if (pp->pipe_nwriters == 0)
			revents |= POLLHUP;
	}
	if (fflag & FWRITE) {
		if (PIPE_SIZE - pp->pipe_count >= PIPE_BUF)
			revents |= POLLOUT | POLLWRNORM;
		if (pp->pipe_nreaders == 0)
			revents |= POLLERR;
	}
	revents &= events;
	if (revents == 0 && pw != NULL) {
		if (fflag & FREAD)
			selrecord(pw, &pp->pipe_rsel);
		if (fflag & FWRITE)
			selrecord(pw, &pp->pipe_wsel);
	}
	mutex_exit(&pp->pipe_lock);
	return revents;
}

static int
pipe_poll(struct file *fp, int events, struct pollwait *pw)
{
	return pipe_dopoll(fp->f_data, atomic_load_relaxed(&fp->f_flag),
	    events, pw);
}

static int
pipe_stat(struct file *fp, struct stat *sb)
{
	struct pipe *pp = fp->f_data;

	sb->st_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	sb->st_nlink = 1;
	sb->st_ino = pp->pipe_ino;
	sb->st_uid = fp->f_cred->cr_euid;
	sb->st_gid = fp->f_cred->cr_egid;
	sb->st_blksize = PAGE_SIZE;
	mutex_enter(&pp->pipe_lock);
	sb->st_atim = pp->pipe_atime;
	sb->st_mtim = pp->pipe_mtime;
	sb->st_ctim = pp->pipe_mtime;
	mutex_exit(&pp->pipe_lock);
	return 0;
}

/*
 * The ends of fflag go; whoever waits on the other learns of it when
 * its last one goes.  Whether no end is left.
 */
static bool
pipe_endclose(struct pipe *pp, unsigned fflag)
{
	bool last;

	mutex_enter(&pp->pipe_lock);
	if ((fflag & FREAD) && --pp->pipe_nreaders == 0) {
		cv_broadcast(&pp->pipe_wcv);
		selnotify(&pp->pipe_wsel, POLLERR);
	}
	if ((fflag & FWRITE) && --pp->pipe_nwriters == 0) {
		cv_broadcast(&pp->pipe_rcv);
		selnotify(&pp->pipe_rsel, POLLHUP);
	}
	last = pp->pipe_nreaders == 0 && pp->pipe_nwriters == 0;
	mutex_exit(&pp->pipe_lock);
	return last;
}

static int
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;

	if (pipe_endclose(pp, atomic_load_relaxed(&fp->f_flag)))
		pipe_destroy(pp);
	return 0;
}

static void
pipe_initfile(struct file *fp, struct pipe *pp, unsigned access, int flags)
{
	fp->f_type = DTYPE_PIPE;
	fp->f_flag = access | ((unsigned)flags & O_NONBLOCK);
	fp->f_ops = &pipeops;
	fp->f_data = pp;
}

int
sys_pipe2(struct lwp *l, const struct sys_pipe2_args *uap, register_t *rv)
{
	struct proc *p = l->l_proc;
	struct file *rf, *wf;
	struct pipe *pp;
	int error, fds[2];

	(void)rv;
	if ((uap->flags & ~(O_CLOEXEC | O_NONBLOCK)) != 0)
		return EINVAL;
	if ((pp = pipe_create()) == NULL)
		return ENOMEM;
	pp->pipe_nreaders = pp->pipe_nwriters = 1;
	if ((error = fd_allocfile(&rf, &fds[0])) != 0)
		goto fail;
	if ((error = fd_allocfile(&wf, &fds[1])) != 0) {
		fd_abort(p, rf, fds[0]);
		goto fail;
	}
	/* Until fd_affix nobody can see the descriptors: undoing is free. */
	if ((error = copyout(fds, uap->fildes, sizeof(fds))) != 0) {
		fd_abort(p, rf, fds[0]);
		fd_abort(p, wf, fds[1]);
		goto fail;
	}
	pipe_initfile(rf, pp, FREAD, uap->flags);
	pipe_initfile(wf, pp, FWRITE, uap->flags);
	if (uap->flags & O_CLOEXEC) {
		fd_set_exclose(fds[0], true);
		fd_set_exclose(fds[1], true);
	}
	fd_affix(p, rf, fds[0]);
	fd_affix(p, wf, fds[1]);
	return 0;
fail:
	pipe_destroy(pp);
	return error;
}

int
sys_pipe(struct lwp *l, const struct sys_pipe_args *uap, register_t *rv)
{
	const struct sys_pipe2_args a = { .fildes = uap->fildes, .flags = 0 };

	return sys_pipe2(l, &a, rv);
}

/*
 * FIFOs.  An open counts its ends at once (so the other side's open
 * stops waiting), then waits for an end of the other kind if it must:
 * one that opened since it began waiting counts even if it has closed
 * again (the generation numbers), as a writer that came and went leaves
 * its data for the reader.  The wait is interruptible (cv_wait_sig): a
 * remote client killed while its open waits ends it with EINTR, its
 * end uncounted, within a second.
 */
int
pipe_fifo_open(struct vnode *vp, unsigned fflag)
{
	struct pipe *pp, *npp = NULL;
	unsigned gen;
	int error = 0;

	mutex_enter(&fifo_lock);
	while ((pp = vp->v_fifo) == NULL) {
		if (npp != NULL) {
			vp->v_fifo = npp;
			npp = NULL;
			continue;
		}
		mutex_exit(&fifo_lock);
		if ((npp = pipe_create()) == NULL)
			return ENOMEM;
		mutex_enter(&fifo_lock);
	}
	if ((fflag & (FREAD | FWRITE)) == FWRITE && (fflag & O_NONBLOCK) &&
	    pp->pipe_nreaders == 0) {
		error = ENXIO;
		if (pp->pipe_nopens == 0) {
			/* Made for this open: it goes with it. */
			vp->v_fifo = NULL;
			npp = pp;
		}
		goto out;
	}
	pp->pipe_nopens++;
	mutex_enter(&pp->pipe_lock);
	if (fflag & FREAD) {
		pp->pipe_nreaders++;
		pp->pipe_rgen++;
	}
	if (fflag & FWRITE) {
		pp->pipe_nwriters++;
		pp->pipe_wgen++;
	}
	mutex_exit(&pp->pipe_lock);
	cv_broadcast(&fifo_cv);
	if ((fflag & (FREAD | FWRITE)) == FREAD && !(fflag & O_NONBLOCK)) {
		for (gen = pp->pipe_wgen; error == 0 &&
		    pp->pipe_nwriters == 0 && pp->pipe_wgen == gen;)
			error = cv_wait_sig(&fifo_cv, &fifo_lock);
	} else if ((fflag & (FREAD | FWRITE)) == FWRITE) {
		for (gen = pp->pipe_rgen; error == 0 &&
		    pp->pipe_nreaders == 0 && pp->pipe_rgen == gen;)
			error = cv_wait_sig(&fifo_cv, &fifo_lock);
	}
	if (error != 0) {
		/* Interrupted (a remote client went): the end never opened. */
		(void)pipe_endclose(pp, fflag);
		if (--pp->pipe_nopens == 0) {
			vp->v_fifo = NULL;
			npp = pp;
		}
	}
out:
	mutex_exit(&fifo_lock);
	if (npp != NULL)
		pipe_destroy(npp);
	return error;
}

void
pipe_fifo_close(struct vnode *vp, unsigned fflag)
{
	struct pipe *pp;

	mutex_enter(&fifo_lock);
	pp = vp->v_fifo;
	KASSERT(pp != NULL && pp->pipe_nopens > 0);
	(void)pipe_endclose(pp, fflag);
	if (--pp->pipe_nopens == 0)
		vp->v_fifo = NULL;
	else
		pp = NULL;
	mutex_exit(&fifo_lock);
	if (pp != NULL)
		pipe_destroy(pp);
}

int
pipe_fifo_read(struct vnode *vp, struct uio *uio, unsigned fflag)
{
	return pipe_doread(vp->v_fifo, uio, (fflag & O_NONBLOCK) != 0);
}

int
pipe_fifo_write(struct vnode *vp, struct uio *uio, unsigned fflag)
{
	return pipe_dowrite(vp->v_fifo, uio, (fflag & O_NONBLOCK) != 0);
}

int
pipe_fifo_ioctl(struct vnode *vp, unsigned long cmd, void *data)
{
	return pipe_doioctl(vp->v_fifo, cmd, data);
}

int
pipe_fifo_poll(struct vnode *vp, unsigned fflag, int events,
    struct pollwait *pw)
{
	return pipe_dopoll(vp->v_fifo, fflag, events, pw);
}

void
pipe_init(void)
{
	mutex_init(&fifo_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&fifo_cv, "fifoopen");
}
