/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Moving data between a kernel buffer and the client memory a uio
 * describes.  The iovecs are the client's: each copy goes through
 * copyin/copyout so that a bad address is EFAULT, not a crash, and a
 * remote client's memory is reached; a uio over kernel memory
 * (uio_sysspace) is copied directly.
 */
#include <sys/systm.h>
#include <sys/uio.h>

/*
 * Move up to n bytes.  On EFAULT the uio has been advanced past what did
 * move, so the caller can count a partial transfer from uio_resid.
 */
int
uiomove(void *buf, size_t n, struct uio *uio)
{
	char *cp = buf;
	struct iovec *iov;
	size_t cnt;
	int error;

	while (n > 0 && uio->uio_resid > 0) {
		KASSERT(uio->uio_iovcnt > 0);
		iov = uio->uio_iov;
		if ((cnt = MIN(iov->iov_len, n)) == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		error = 0;
		if (uio->uio_sysspace && uio->uio_rw == UIO_READ)
			memcpy(iov->iov_base, cp, cnt);
		else if (uio->uio_sysspace)
			memcpy(cp, iov->iov_base, cnt);
		else if (uio->uio_rw == UIO_READ)
			error = copyout(cp, iov->iov_base, cnt);
		else
			error = copyin(iov->iov_base, cp, cnt);
		if (error)
			return error;
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += (off_t)cnt;
		cp += cnt;
		n -= cnt;
	}
	return 0;
}
