/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Whole frames of the sysproxy protocol on a stream socket (sp_io.h),
 * compiled into both ends.  MSG_NOSIGNAL: a peer gone is EPIPE, not a
 * signal in a program that never asked for sockets.  A descriptor
 * (the shared-memory transport's memfd, sp_shm.h) rides on a frame's
 * first byte as SCM_RIGHTS.
 */
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sp_io.h"
#include "sp_proto.h"

int
sp_io_read(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = recv(fd, p, len, MSG_WAITALL);
		if (n == 0)
			return EPIPE;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
sp_io_writev(int fd, struct iovec *iov, int iovcnt)
{
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)iovcnt};
	ssize_t n;

	while (msg.msg_iovlen > 0) {
		if ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		while (msg.msg_iovlen > 0 &&
		       (size_t)n >= msg.msg_iov->iov_len) {
			n -= (ssize_t)msg.msg_iov->iov_len;
			msg.msg_iov++;
			msg.msg_iovlen--;
		}
		if (msg.msg_iovlen > 0) {
			msg.msg_iov->iov_base =
			    (char *)msg.msg_iov->iov_base + n;
			msg.msg_iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

int
sp_io_send(int fd, int type, int error, int num, uint64_t arg0, uint64_t arg1,
           const void *payload, size_t plen)
{
	struct sp_hdr h = {.sh_len = (uint32_t)(SP_HDRLEN + plen),
	                   .sh_type = (uint16_t)type,
	                   .sh_error = error,
	                   .sh_num = num,
	                   .sh_arg0 = arg0,
	                   .sh_arg1 = arg1};
	struct iovec iov[2] = {{&h, SP_HDRLEN},
	                       {(void *)(uintptr_t)payload, plen}};

	return sp_io_writev(fd, iov, plen > 0 ? 2 : 1);
}

int
sp_io_send_fd(int fd, int type, int error, uint64_t arg0, int passfd)
{
	struct sp_hdr h = {.sh_len = SP_HDRLEN,
	                   .sh_type = (uint16_t)type,
	                   .sh_error = error,
	                   .sh_arg0 = arg0};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {&h, SP_HDRLEN};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	ssize_t n;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &passfd, sizeof(int));
	while ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0)
		if (errno != EINTR)
			return errno;
	/* The descriptor went with the first byte; the rest is plain. */
	iov.iov_base = (char *)iov.iov_base + n;
	iov.iov_len -= (size_t)n;
	return iov.iov_len > 0 ? sp_io_writev(fd, &iov, 1) : 0;
}

int
sp_io_read_fd(int fd, void *buf, size_t len, int *passfdp)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {buf, len};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm;
	ssize_t n;

	*passfdp = -1;
	while ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) < 0)
		if (errno != EINTR)
			return errno;
	if (n == 0)
		return EPIPE;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)) && *passfdp < 0)
			memcpy(passfdp, CMSG_DATA(cm), sizeof(int));
	if ((size_t)n < len &&
	    sp_io_read(fd, (char *)buf + n, len - (size_t)n) != 0) {
		if (*passfdp >= 0)
			close(*passfdp);
		*passfdp = -1;
		return EPIPE;
	}
	return 0;
}
