/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * I/O descriptions (uiomove(9)), in subr_uio.c.  struct iovec has the
 * layout of Linux's: clients pass theirs unchanged.
 */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#define IOV_MAX 1024
enum uio_rw { UIO_READ, UIO_WRITE };

struct uio {
	struct iovec *uio_iov;  /* remaining segments */
	int uio_iovcnt;
	off_t uio_offset;
	size_t uio_resid;       /* bytes still to move */
	enum uio_rw uio_rw;
	/*
	 * The iovecs are kernel memory, not the client's.  Only a remote
	 * client (kern_sysproxy.c) has memory that a memory copy cannot
	 * reach, so a uio over a kernel buffer says so.
	 */
	bool uio_sysspace;
};

/* Move up to n bytes between buf and the uio, advancing it. */
int uiomove(void *buf, size_t n, struct uio *);

#endif /* _SYS_UIO_H_ */
