/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The host side of virtif (virtif_user.h): a Linux tap device through
 * /dev/net/tun, TUNSETIFF with IFF_TAP | IFF_NO_PI, so each read(2) is
 * one Ethernet frame and each write(2) sends one.  No TUNSETOFFLOAD: the
 * kernel hands us, and takes from us, frames with complete checksums and
 * no segmentation offload.  A receiver blocks in poll(2) on the tap and
 * on an eventfd that rumpcomp_virtif_wake makes readable, so stopping
 * the receive thread never waits for traffic.  Host code: libc only.
 */
#define _GNU_SOURCE
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtif_user.h"

#define VIS __attribute__((__visibility__("default")))

struct virtif_host {
	int vh_fd;              /* the tap */
	int vh_wakefd;          /* eventfd: stop waiting */
};

VIS int
rumpcomp_virtif_open(const char *tap, int multiqueue, void **cookiep)
{
	struct virtif_host *vh;
	struct ifreq ifr;
	int error;

	if (tap == NULL || tap[0] == '\0' || strlen(tap) >= IFNAMSIZ ||
	    strchr(tap, '/') != NULL)
		return EINVAL;
	if ((vh = calloc(1, sizeof(*vh))) == NULL)
		return ENOMEM;
	if ((vh->vh_fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC |
	    O_NONBLOCK)) == -1) {
		error = errno;
		free(vh);
		return error;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (multiqueue ? IFF_MULTI_QUEUE : 0);
	memcpy(ifr.ifr_name, tap, strlen(tap));
	if (ioctl(vh->vh_fd, TUNSETIFF, &ifr) == -1 ||
	    (vh->vh_wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1) {
		error = errno;
		close(vh->vh_fd);
		free(vh);
		return error;
	}
	*cookiep = vh;
	return 0;
}

VIS int
rumpcomp_virtif_recv(void *cookie, void *buf, unsigned long len,
    unsigned long *gotp, int wait)
{
	struct virtif_host *vh = cookie;
	struct pollfd pfd[2] = {
		{ .fd = vh->vh_fd, .events = POLLIN },
		{ .fd = vh->vh_wakefd, .events = POLLIN },
	};
	ssize_t n;

	/* A frame already queued costs one read(2), no poll(2). */
	for (;;) {
		if ((n = read(vh->vh_fd, buf, len)) >= 0) {
			*gotp = (unsigned long)n;
			return 0;
		}
		if (errno == EINVAL)    /* the frame did not fit len */
			return EMSGSIZE;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return errno;
		if (!wait)
			return EAGAIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (pfd[1].revents & POLLIN)
			return EINTR;
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL))
			return EIO;
	}
}

VIS int
rumpcomp_virtif_send(void *cookie, const void *buf, unsigned long len)
{
	struct virtif_host *vh = cookie;
	ssize_t n;

	do
		n = write(vh->vh_fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EAGAIN ? ENOBUFS : errno;
	return 0;
}

VIS void
rumpcomp_virtif_wake(void *cookie)
{
	struct virtif_host *vh = cookie;
	uint64_t one = 1;

	if (write(vh->vh_wakefd, &one, sizeof(one)) == -1)
		return;         /* the counter is already non-zero: awake */
}

VIS void
rumpcomp_virtif_close(void *cookie)
{
	struct virtif_host *vh = cookie;

	close(vh->vh_fd);
	close(vh->vh_wakefd);
	free(vh);
}
