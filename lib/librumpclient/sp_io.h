/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Whole frames of the sysproxy protocol (sp_proto.h) on a stream socket,
 * for both ends: librumpclient and rump_server's side in librumpuser.
 * Each call returns 0, EPIPE at the end of the stream, or the socket's
 * errno; EINTR is retried.  Hidden: each library has its own copy.
 */
#ifndef _SP_IO_H_
#define _SP_IO_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define SP_IO_HIDDEN __attribute__((__visibility__("hidden")))

/* Read exactly len bytes. */
SP_IO_HIDDEN int sp_io_read(int fd, void *buf, size_t len);
/* Write every byte of iov[0..iovcnt) (the iovecs are consumed). */
SP_IO_HIDDEN int sp_io_writev(int fd, struct iovec *iov, int iovcnt);
/* One frame: a header of these fields, then plen bytes of payload. */
SP_IO_HIDDEN int sp_io_send(int fd, int type, int error, int num, uint64_t arg0,
                            uint64_t arg1, const void *payload, size_t plen);
/* A header-only frame carrying descriptor passfd (SCM_RIGHTS). */
SP_IO_HIDDEN int sp_io_send_fd(int fd, int type, int error, uint64_t arg0,
                               int passfd);
/*
 * Read exactly len bytes, the first of them with a descriptor maybe
 * (SCM_RIGHTS, close-on-exec): *passfdp, or -1 when none came.
 */
SP_IO_HIDDEN int sp_io_read_fd(int fd, void *buf, size_t len, int *passfdp);

#endif /* _SP_IO_H_ */
