/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ioctl(2) commands, with Linux's numbers.  A command built with _IOC
 * carries the direction and size of its argument, so the generic layer
 * can copy it in and out; the old terminal-style numbers (FIONREAD ...)
 * carry neither and sys_ioctl knows them by name.
 */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_

#define _IOC_NONE  0U
#define _IOC_WRITE 1U   /* the kernel reads the argument */
#define _IOC_READ  2U   /* the kernel writes the argument */

#define _IOC(dir, type, nr, size)                                              \
	(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IOC_DIR(cmd)  (((cmd) >> 30) & 3U)
#define _IOC_SIZE(cmd) (((cmd) >> 16) & 0x3fffU)

#define FIONREAD  0x541B    /* int out: bytes ready to read */
#define FIONBIO   0x5421    /* int in: non-blocking I/O on or off */
#define FIONCLEX  0x5450    /* clear close-on-exec */
#define FIOCLEX   0x5451    /* set close-on-exec */

#endif /* _SYS_IOCTL_H_ */
