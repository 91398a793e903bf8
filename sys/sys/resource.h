/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Resource limits (kern_resource.c): getrlimit, setrlimit and prlimit64
 * with Linux's numbers and struct rlimit (two 64-bit counts).  Only
 * RLIMIT_NOFILE is kept, in the descriptor table (filedesc.h); the other
 * resources are not limited by this kernel and their calls are EINVAL.
 */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/types.h>

#define RLIMIT_NOFILE 7
#define RLIM_INFINITY (~(uint64_t)0)

struct rlimit {
	uint64_t rlim_cur;      /* the soft limit, enforced */
	uint64_t rlim_max;      /* the ceiling of rlim_cur */
};

#endif /* _SYS_RESOURCE_H_ */
