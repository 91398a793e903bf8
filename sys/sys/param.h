/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Kernel-wide limits and arithmetic helpers. */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#include <sys/types.h>

#define MAXCPUS    32
#define MAXCOMLEN  16
#define NAME_MAX   255
#define PATH_MAX   4096
#define MAXPATHLEN PATH_MAX
#define NGROUPS_MAX 65536
#define NGROUPS    32     /* supplementary groups a credential keeps */
#define MAXHOSTNAMELEN 64
#define PAGE_SIZE  4096
#define PID_MAX    32768
#define HZ         100

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define howmany(x, y) (((x) + ((y) - 1)) / (y))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y) (((x) / (y)) * (y))
#define powerof2(x) ((((x) - 1) & (x)) == 0)

#endif /* _SYS_PARAM_H_ */
