/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* fd_set, with Linux's layout: FD_SETSIZE bits in longs. */
#ifndef _SYS_SELECT_H_
#define _SYS_SELECT_H_

#include <sys/types.h>

#define FD_SETSIZE 1024
#define NFDBITS    (8 * (int)sizeof(long))

typedef struct {
	unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(long))];
} fd_set;

#define FD_ISSET(n, p) (((p)->fds_bits[(n) / NFDBITS] >> ((n) % NFDBITS)) & 1)
#define FD_SET(n, p)   ((p)->fds_bits[(n) / NFDBITS] |= 1UL << ((n) % NFDBITS))
#define FD_CLR(n, p)   ((p)->fds_bits[(n) / NFDBITS] &= ~(1UL << ((n) % NFDBITS)))

#endif /* _SYS_SELECT_H_ */
