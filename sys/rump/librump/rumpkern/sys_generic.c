/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Generic I/O system calls: read, write and their vector and positioned
 * forms, lseek and ioctl.  They check the descriptor and the arguments,
 * describe the client's buffers in a uio and hand it to the file's
 * fileops; nothing here knows what kind of object is behind a file.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "syscallargs.h"

#define SSIZE_T_MAX ((size_t)(~(size_t)0 >> 1))
#define OFF_T_MAX   ((off_t)(~(unsigned long)0 >> 1))

/* Vectors up to this size are copied to the stack, not allocated. */
#define IOV_ONSTACK 8

/*
 * Look fd up for a transfer in direction rw.  The checks come in Linux's
 * order: a negative position, the descriptor, a position on an object
 * that has none (ESPIPE), then the access mode.
 */
static int
rw_getfile(int fd, enum uio_rw rw, bool positioned, off_t offset,
    struct file **fpp)
{
	struct file *fp;
	unsigned need = rw == UIO_READ ? FREAD : FWRITE;
	int error;

	if (positioned && offset < 0)
		return EINVAL;
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (positioned && fp->f_ops->fo_seek == NULL)
		error = ESPIPE;
	else if ((atomic_load_relaxed(&fp->f_flag) & need) == 0)
		error = EBADF;
	if (error) {
		fd_putfile(fp);
		return error;
	}
	*fpp = fp;
	return 0;
}

/*
 * Run the transfer uio describes on fp, at offset when positioned, else
 * at the file's own offset if it has one.  A transfer that moved some
 * bytes before failing reports the count, as Linux does; the error shows
 * on the next call.
 */
static int
rw_file(struct file *fp, struct uio *uio, bool positioned, off_t offset,
    register_t *rv)
{
	const struct fileops *fo = fp->f_ops;
	int (*op)(struct file *, off_t *, struct uio *, int);
	bool own = !positioned && fo->fo_seek != NULL;
	size_t total = uio->uio_resid;
	off_t off = positioned ? offset : 0;
	int error, flags = 0;

	op = uio->uio_rw == UIO_READ ? fo->fo_read : fo->fo_write;
	if (op == NULL)
		return EINVAL;
	if (positioned && (off_t)total > OFF_T_MAX - offset)
		return EINVAL;
	if (own) {
		mutex_enter(&fp->f_lock);
		off = fp->f_offset;
		mutex_exit(&fp->f_lock);
		flags = FOF_UPDATE_OFFSET;
	}
	uio->uio_offset = off;
	error = op(fp, &off, uio, flags);
	if (own) {
		mutex_enter(&fp->f_lock);
		fp->f_offset = off;
		mutex_exit(&fp->f_lock);
	}
	if (uio->uio_resid != total)
		error = 0;
	if (error == 0)
		*rv = (register_t)(total - uio->uio_resid);
	return error;
}

/* read, write, pread, pwrite: one client buffer. */
static int
rw_buf(int fd, void *buf, size_t nbyte, enum uio_rw rw, bool positioned,
    off_t offset, register_t *rv)
{
	struct iovec iov = { .iov_base = buf, .iov_len = nbyte };
	struct uio uio = { .uio_iov = &iov, .uio_iovcnt = 1,
		.uio_resid = nbyte, .uio_rw = rw };
	struct file *fp;
	int error;

	if ((error = rw_getfile(fd, rw, positioned, offset, &fp)) != 0)
		return error;
	if (nbyte > SSIZE_T_MAX)
		error = EINVAL;
	else
		error = rw_file(fp, &uio, positioned, offset, rv);
	fd_putfile(fp);
	return error;
}

/*
 * readv, writev, preadv, pwritev: copy the client's vector in and check
 * that the lengths add up to no more than a ssize_t can return.
 */
static int
rw_vec(int fd, const struct iovec *uiov, int iovcnt, enum uio_rw rw,
    bool positioned, off_t offset, register_t *rv)
{
	struct iovec small[IOV_ONSTACK], *iov = small;
	struct uio uio = { .uio_iovcnt = iovcnt, .uio_rw = rw };
	struct file *fp;
	size_t iovsize = 0, total = 0;
	int error;

	if ((error = rw_getfile(fd, rw, positioned, offset, &fp)) != 0)
		return error;
	if (iovcnt < 0 || iovcnt > IOV_MAX) {
		error = EINVAL;
		goto out;
	}
	iovsize = (size_t)iovcnt * sizeof(*iov);
	if (iovcnt > IOV_ONSTACK &&
	    (iov = kmem_alloc(iovsize, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = copyin(uiov, iov, iovsize)) != 0)
		goto out;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_T_MAX - total) {
			error = EINVAL;
			goto out;
		}
		total += iov[i].iov_len;
	}
	uio.uio_iov = iov;
	uio.uio_resid = total;
	error = rw_file(fp, &uio, positioned, offset, rv);
out:
	if (iov != small && iov != NULL)
		kmem_free(iov, iovsize);
	fd_putfile(fp);
	return error;
}

int
sys_read(struct lwp *l, const struct sys_read_args *uap, register_t *rv)
{
	(void)l;
	return rw_buf(uap->fd, uap->buf, uap->nbyte, UIO_READ, false, 0, rv);
}

int
sys_write(struct lwp *l, const struct sys_write_args *uap, register_t *rv)
{
	(void)l;
	return rw_buf(uap->fd, __UNCONST(uap->buf), uap->nbyte, UIO_WRITE,
	    false, 0, rv);
}

int
sys_pread(struct lwp *l, const struct sys_pread_args *uap, register_t *rv)
{
	(void)l;
	return rw_buf(uap->fd, uap->buf, uap->nbyte, UIO_READ, true,
	    uap->offset, rv);
}

int
sys_pwrite(struct lwp *l, const struct sys_pwrite_args *uap, register_t *rv)
{
	(void)l;
	return rw_buf(uap->fd, __UNCONST(uap->buf), uap->nbyte, UIO_WRITE,
	    true, uap->offset, rv);
}

int
sys_readv(struct lwp *l, const struct sys_readv_args *uap, register_t *rv)
{
	(void)l;
	return rw_vec(uap->fd, uap->iovp, uap->iovcnt, UIO_READ, false, 0, rv);
}

int
sys_writev(struct lwp *l, const struct sys_writev_args *uap, register_t *rv)
{
	(void)l;
	return rw_vec(uap->fd, uap->iovp, uap->iovcnt, UIO_WRITE, false, 0,
	    rv);
}

int
sys_preadv(struct lwp *l, const struct sys_preadv_args *uap, register_t *rv)
{
	(void)l;
	return rw_vec(uap->fd, uap->iovp, uap->iovcnt, UIO_READ, true,
	    uap->offset, rv);
}

int
sys_pwritev(struct lwp *l, const struct sys_pwritev_args *uap,
    register_t *rv)
{
	(void)l;
	return rw_vec(uap->fd, uap->iovp, uap->iovcnt, UIO_WRITE, true,
	    uap->offset, rv);
}

/*
 * The object moves the file's offset itself (it knows where SEEK_END and
 * SEEK_DATA are, and which whence values it takes).
 */
int
sys_lseek(struct lwp *l, const struct sys_lseek_args *uap, register_t *rv)
{
	struct file *fp;
	off_t newoff;
	int error;

	(void)l;
	if ((error = fd_getfile(uap->fd, &fp)) != 0)
		return error;
	if (fp->f_ops->fo_seek == NULL)
		error = ESPIPE;
	else
		error = fp->f_ops->fo_seek(fp, uap->offset, uap->whence,
		    &newoff);
	fd_putfile(fp);
	if (error == 0)
		*rv = newoff;
	return error;
}

/* The commands every descriptor takes, whatever its object. */
static int
ioctl_descriptor(int fd, struct file *fp, unsigned long com, void *data,
    bool *handled)
{
	int error, on;
	unsigned flag;

	*handled = true;
	switch (com) {
	case FIOCLEX:
	case FIONCLEX:
		fd_set_exclose(fd, com == FIOCLEX);
		return 0;
	case FIONBIO:
		if ((error = copyin(data, &on, sizeof(on))) != 0)
			return error;
		mutex_enter(&fp->f_lock);
		flag = fp->f_flag;
		flag = on ? flag | O_NONBLOCK : flag & ~(unsigned)O_NONBLOCK;
		atomic_store_relaxed(&fp->f_flag, flag);
		mutex_exit(&fp->f_lock);
		return 0;
	default:
		*handled = false;
		return 0;
	}
}

/*
 * fo_ioctl gets its argument in kernel memory: copied in before and out
 * after as the command's encoding (or, for the old numbers, our table)
 * says.  A command with no argument direction gets the client's value
 * unchanged.
 */
int
sys_ioctl(struct lwp *l, const struct sys_ioctl_args *uap, register_t *rv)
{
	unsigned long com = uap->com;
	struct file *fp;
	size_t size;
	unsigned dir;
	void *kbuf = NULL;
	bool handled;
	int error, n;

	(void)l;
	(void)rv;
	if ((error = fd_getfile(uap->fd, &fp)) != 0)
		return error;
	error = ioctl_descriptor(uap->fd, fp, com, uap->data, &handled);
	if (handled)
		goto out;
	if (fp->f_ops->fo_ioctl == NULL) {
		error = ENOTTY;
		goto out;
	}
	if (com == FIONREAD) {
		if ((error = fp->f_ops->fo_ioctl(fp, com, &n)) == 0)
			error = copyout(&n, uap->data, sizeof(n));
		goto out;
	}
	dir = _IOC_DIR(com);
	size = _IOC_SIZE(com);
	if (dir == _IOC_NONE || size == 0) {
		error = fp->f_ops->fo_ioctl(fp, com, uap->data);
		goto out;
	}
	if ((kbuf = kmem_zalloc(size, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((dir & _IOC_WRITE) && (error = copyin(uap->data, kbuf, size)) != 0)
		goto out;
	error = fp->f_ops->fo_ioctl(fp, com, kbuf);
	if (error == 0 && (dir & _IOC_READ))
		error = copyout(kbuf, uap->data, size);
out:
	if (kbuf != NULL)
		kmem_free(kbuf, size);
	fd_putfile(fp);
	return error;
}
