/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Descriptor calls: read, write and their positioned and vector forms,
 * lseek, close, dup, fcntl, ioctl, fsync, ftruncate, and the calls Linux
 * programs use to copy (copy_file_range, sendfile) or to hint (fadvise).
 * A descriptor in the table goes to the kernel, any other to the host.
 * copy_file_range with a kernel descriptor fails with EXDEV (programs
 * then read and write); sendfile with one is done here by reading and
 * writing.  mmap of a kernel file is a private copy read in at the call
 * (MAP_SHARED is refused with ENODEV unless read-only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HJ_API ssize_t
read(int fd, void *buf, size_t n)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, void *, size_t), read);

	if (k < 0)
		return hj_read_fn(fd, buf, n);
	return KCALL(rump_sys_read(k, buf, n));
}

HJ_API ssize_t
write(int fd, const void *buf, size_t n)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, const void *, size_t), write);

	if (k < 0)
		return hj_write_fn(fd, buf, n);
	return KCALL(rump_sys_write(k, buf, n));
}

HJ_API ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, void *, size_t, off_t), pread);

	if (k < 0)
		return hj_pread_fn(fd, buf, n, off);
	return KCALL(rump_sys_pread(k, buf, n, off));
}
HJ_API ssize_t pread64(int, void *, size_t, off_t) __attribute__((alias("pread")));

HJ_API ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, const void *, size_t, off_t), pwrite);

	if (k < 0)
		return hj_pwrite_fn(fd, buf, n, off);
	return KCALL(rump_sys_pwrite(k, buf, n, off));
}
HJ_API ssize_t pwrite64(int, const void *, size_t, off_t)
    __attribute__((alias("pwrite")));

HJ_API ssize_t
readv(int fd, const struct iovec *iov, int cnt)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, const struct iovec *, int), readv);

	if (k < 0)
		return hj_readv_fn(fd, iov, cnt);
	return KCALL(rump_sys_readv(k, iov, cnt));
}

HJ_API ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, const struct iovec *, int), writev);

	if (k < 0)
		return hj_writev_fn(fd, iov, cnt);
	return KCALL(rump_sys_writev(k, iov, cnt));
}

HJ_API ssize_t
preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, const struct iovec *, int, off_t), preadv);

	if (k < 0)
		return hj_preadv_fn(fd, iov, cnt, off);
	return KCALL(rump_sys_preadv(k, iov, cnt, off));
}
HJ_API ssize_t preadv64(int, const struct iovec *, int, off_t)
    __attribute__((alias("preadv")));

HJ_API ssize_t
pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, const struct iovec *, int, off_t), pwritev);

	if (k < 0)
		return hj_pwritev_fn(fd, iov, cnt, off);
	return KCALL(rump_sys_pwritev(k, iov, cnt, off));
}
HJ_API ssize_t pwritev64(int, const struct iovec *, int, off_t)
    __attribute__((alias("pwritev")));

HJ_API off_t
lseek(int fd, off_t off, int whence)
{
	int k = hj_kfd(fd);
	REAL(off_t (*)(int, off_t, int), lseek);

	if (k < 0)
		return hj_lseek_fn(fd, off, whence);
	return KCALL(rump_sys_lseek(k, off, whence));
}
HJ_API off_t lseek64(int, off_t, int) __attribute__((alias("lseek")));

HJ_API int
close(int fd)
{
	int k = hj_kfd(fd), rv;
	REAL(int (*)(int), close);

	if (k < 0)
		return hj_close_fn(fd);
	rv = KCALL(rump_sys_close(k));
	hj_fd_forget(fd);
	return rv;
}

/* Linux's close_range(2) and glibc's closefrom: kernel entries too. */
HJ_API int
close_range(unsigned lo, unsigned hi, int flags)
{
	REAL(int (*)(unsigned, unsigned, int), close_range);
	unsigned fd;

	for (fd = lo; fd <= hi && fd < 65536; fd++)
		if (hj_kfd((int)fd) >= 0) {
			if (flags & CLOSE_RANGE_CLOEXEC)
				KCALL(rump_sys_fcntl(hj_kfd((int)fd), F_SETFD,
				    FD_CLOEXEC));
			else
				close((int)fd);
		}
	return hj_close_range_fn(lo, hi, flags);
}

HJ_API void
closefrom(int lo)
{
	close_range((unsigned)lo, ~0U, 0);
}

/* A kernel dup of k behind host number hfd, a placeholder already. */
static int
dup_behind(int k, int hfd, int cloexec)
{
	int nk;

	if (hfd < 0)
		return -1;
	nk = KCALL(rump_sys_fcntl(k, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 0));
	if (nk < 0) {
		int err = errno;
		REAL(int (*)(int), close);
		hj_close_fn(hfd);
		return hj_fd_error(err);
	}
	hj_fd_set(hfd, nk);
	return hfd;
}

HJ_API int
dup(int fd)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int), dup);

	if (k < 0)
		return hj_dup_fn(fd);
	return dup_behind(k, hj_dup_fn(fd), 0);
}

HJ_API int
dup3(int from, int to, int flags)
{
	int k = hj_kfd(from), kto = hj_kfd(to), nk;
	REAL(int (*)(int, int, int), dup3);

	if (from == to)
		return hj_dup3_fn(from, to, flags);
	if (kto >= 0) {
		/* The kernel descriptor at "to" is closed first, as dup2's. */
		KCALL(rump_sys_close(kto));
		hj_fd_clear(to);
	}
	if (k < 0)
		return hj_dup3_fn(from, to, flags);
	nk = KCALL(rump_sys_fcntl(k, (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC :
	    F_DUPFD, 0));
	if (nk < 0)
		return -1;
	return hj_fd_install_at(nk, to, flags & O_CLOEXEC);
}

HJ_API int
dup2(int from, int to)
{
	REAL(int (*)(int, int), dup2);

	if (from == to) {
		if (hj_kfd(from) >= 0)
			return from;
		return hj_dup2_fn(from, to);
	}
	return dup3(from, to, 0);
}

static int
kfcntl(int fd, int k, int cmd, void *arg)
{
	REAL(int (*)(int, int, ...), fcntl);
	int rv;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return dup_behind(k, hj_fcntl_fn(fd, cmd, arg), cmd ==
		    F_DUPFD_CLOEXEC);
	case F_SETFD:
		rv = KCALL(rump_sys_fcntl(k, cmd, (long)(intptr_t)arg));
		if (rv == 0)
			hj_fd_setcloexec(fd, (intptr_t)arg & FD_CLOEXEC);
		return rv;
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		rv = KCALL(rump_sys_fcntl(k, cmd, arg));
		if (rv == -1 && errno == EINVAL) {
			/* A process lock stands in: one owner per process. */
			cmd = cmd == F_OFD_GETLK ? F_GETLK :
			    cmd == F_OFD_SETLK ? F_SETLK : F_SETLKW;
			rv = KCALL(rump_sys_fcntl(k, cmd, arg));
			if (rv == 0 && cmd == F_GETLK &&
			    ((struct flock *)arg)->l_type != F_UNLCK)
				((struct flock *)arg)->l_pid = -1;
		}
		return rv;
	case F_GETFD:
	case F_GETFL:
		return KCALL(rump_sys_fcntl(k, cmd));
	default:
		return KCALL(rump_sys_fcntl(k, cmd, arg));
	}
}

HJ_API int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	int k = hj_kfd(fd);
	REAL(int (*)(int, int, ...), fcntl);

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (k < 0)
		return hj_fcntl_fn(fd, cmd, arg);
	return kfcntl(fd, k, cmd, arg);
}
HJ_API int fcntl64(int, int, ...) __attribute__((alias("fcntl")));

HJ_API int
ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int k = hj_kfd(fd);
	REAL(int (*)(int, unsigned long, ...), ioctl);

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (k < 0)
		return hj_ioctl_fn(fd, req, arg);
	return KCALL(rump_sys_ioctl(k, req, arg));
}

HJ_API int
fsync(int fd)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int), fsync);

	if (k < 0)
		return hj_fsync_fn(fd);
	return KCALL(rump_sys_fsync(k));
}

HJ_API int
fdatasync(int fd)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int), fdatasync);

	if (k < 0)
		return hj_fdatasync_fn(fd);
	return KCALL(rump_sys_fdatasync(k));
}

HJ_API int
syncfs(int fd)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int), syncfs);

	if (k < 0)
		return hj_syncfs_fn(fd);
	return KCALL(rump_sys_sync());
}

HJ_API void
sync(void)
{
	REAL(void (*)(void), sync);

	hj_sync_fn();
	if (hj_attached() && !hj_inside)
		KCALL(rump_sys_sync());
}

HJ_API int
ftruncate(int fd, off_t len)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int, off_t), ftruncate);

	if (k < 0)
		return hj_ftruncate_fn(fd, len);
	return KCALL(rump_sys_ftruncate(k, len));
}
HJ_API int ftruncate64(int, off_t) __attribute__((alias("ftruncate")));

HJ_API int
posix_fadvise(int fd, off_t off, off_t len, int advice)
{
	REAL(int (*)(int, off_t, off_t, int), posix_fadvise);

	if (hj_kfd(fd) < 0)
		return hj_posix_fadvise_fn(fd, off, len, advice);
	return 0;
}
HJ_API int posix_fadvise64(int, off_t, off_t, int)
    __attribute__((alias("posix_fadvise")));

HJ_API int
fallocate(int fd, int mode, off_t off, off_t len)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int, int, off_t, off_t), fallocate);

	if (k < 0)
		return hj_fallocate_fn(fd, mode, off, len);
	return KCALL(rump_sys_fallocate(k, mode, off, len));
}
HJ_API int fallocate64(int, int, off_t, off_t) __attribute__((alias("fallocate")));

/* posix_fallocate(3): mode 0, the error returned, not in errno. */
HJ_API int
posix_fallocate(int fd, off_t off, off_t len)
{
	int k = hj_kfd(fd), saved = errno, r;
	REAL(int (*)(int, off_t, off_t), posix_fallocate);

	if (k < 0)
		return hj_posix_fallocate_fn(fd, off, len);
	r = KCALL(rump_sys_fallocate(k, 0, off, len)) == 0 ? 0 : errno;
	errno = saved;
	return r;
}
HJ_API int posix_fallocate64(int, off_t, off_t)
    __attribute__((alias("posix_fallocate")));

/* flock(2) on a kernel file: a whole-file record lock of the process. */
HJ_API int
flock(int fd, int op)
{
	int k = hj_kfd(fd);
	struct flock fl = { .l_whence = SEEK_SET };
	REAL(int (*)(int, int), flock);

	if (k < 0)
		return hj_flock_fn(fd, op);
	fl.l_type = (op & LOCK_SH) ? F_RDLCK : (op & LOCK_EX) ? F_WRLCK :
	    F_UNLCK;
	if (KCALL(rump_sys_fcntl(k, (op & LOCK_NB) || fl.l_type == F_UNLCK ?
	    F_SETLK : F_SETLKW, &fl)) == -1)
		return errno == EACCES ? hj_fd_error(EWOULDBLOCK) : -1;
	return 0;
}

HJ_API ssize_t
copy_file_range(int in, off_t *inoff, int out, off_t *outoff, size_t len,
    unsigned flags)
{
	REAL(ssize_t (*)(int, off_t *, int, off_t *, size_t, unsigned),
	    copy_file_range);

	if (hj_kfd(in) < 0 && hj_kfd(out) < 0)
		return hj_copy_file_range_fn(in, inoff, out, outoff, len,
		    flags);
	return hj_fd_error(EXDEV);
}

HJ_API ssize_t
sendfile(int out, int in, off_t *off, size_t count)
{
	char buf[65536];
	size_t done = 0;
	ssize_t n, w;
	REAL(ssize_t (*)(int, int, off_t *, size_t), sendfile);

	if (hj_kfd(in) < 0 && hj_kfd(out) < 0)
		return hj_sendfile_fn(out, in, off, count);
	while (done < count) {
		size_t want = count - done < sizeof(buf) ? count - done :
		    sizeof(buf);
		n = off != NULL ? pread(in, buf, want, *off) :
		    read(in, buf, want);
		if (n <= 0) {
			if (n < 0 && done == 0)
				return -1;
			break;
		}
		for (w = 0; w < n;) {
			ssize_t m = write(out, buf + w, n - w);
			if (m < 0) {
				if (done == 0 && w == 0)
					return -1;
				return done + w;
			}
			w += m;
		}
		if (off != NULL)
			*off += n;
		done += n;
	}
	return done;
}
HJ_API ssize_t sendfile64(int, int, off_t *, size_t)
    __attribute__((alias("sendfile")));

HJ_API void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	REAL(void *(*)(void *, size_t, int, int, int, off_t), mmap);
	int k = (flags & MAP_ANONYMOUS) ? -1 : hj_kfd(fd);
	void *p;
	size_t done = 0;
	ssize_t n;

	if (k < 0)
		return hj_mmap_fn(addr, len, prot, flags, fd, off);
	if ((flags & MAP_SHARED) && (prot & PROT_WRITE)) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	p = hj_mmap_fn(addr, len, prot | PROT_WRITE,
	    (flags & ~(MAP_SHARED | MAP_SHARED_VALIDATE)) | MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return p;
	while (done < len) {
		n = KCALL(rump_sys_pread(k, (char *)p + done, len - done,
		    off + done));
		if (n <= 0)
			break;
		done += n;
	}
	if (!(prot & PROT_WRITE))
		mprotect(p, len, prot);
	return p;
}
HJ_API void *mmap64(void *, size_t, int, int, int, off_t)
    __attribute__((alias("mmap")));
