/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* poll(2) events, with Linux's values. */
#ifndef _SYS_POLL_H_
#define _SYS_POLL_H_

#include <sys/types.h>

struct pollfd {
	int fd;
	short events;
	short revents;
};

#define POLLIN     0x0001
#define POLLPRI    0x0002
#define POLLOUT    0x0004
#define POLLERR    0x0008
#define POLLHUP    0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLRDHUP  0x2000

#define INFTIM (-1)

#endif /* _SYS_POLL_H_ */
