/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Structures that cross the client interface: their size and each field's
 * offset must be the same in the kernel and on the host.  Included by the
 * kernel-side reporter and the host-side test, each with its own headers.
 * SIZE(type) and FIELD(type, member) are defined by the includer.
 */
SIZE(struct stat)
FIELD(struct stat, st_dev)
FIELD(struct stat, st_ino)
FIELD(struct stat, st_nlink)
FIELD(struct stat, st_mode)
FIELD(struct stat, st_uid)
FIELD(struct stat, st_gid)
FIELD(struct stat, st_rdev)
FIELD(struct stat, st_size)
FIELD(struct stat, st_blksize)
FIELD(struct stat, st_blocks)
FIELD(struct stat, st_atim)
FIELD(struct stat, st_mtim)
FIELD(struct stat, st_ctim)
SIZE(struct timespec)
FIELD(struct timespec, tv_sec)
FIELD(struct timespec, tv_nsec)
SIZE(struct timeval)
FIELD(struct timeval, tv_usec)
SIZE(struct pollfd)
FIELD(struct pollfd, fd)
FIELD(struct pollfd, events)
FIELD(struct pollfd, revents)
SIZE(struct iovec)
FIELD(struct iovec, iov_base)
FIELD(struct iovec, iov_len)
SIZE(fd_set)
SIZE(off_t)
SIZE(mode_t)
SIZE(uid_t)
SIZE(pid_t)
SIZE(dev_t)
SIZE(ino_t)
SIZE(nlink_t)
SIZE(time_t)
