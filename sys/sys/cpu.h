/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Virtual CPUs (scheduler.c).  A host thread runs kernel code only while
 * its lwp holds one: ci_curlwp is the holder, set by compare-and-swap.
 */
#ifndef _SYS_CPU_H_
#define _SYS_CPU_H_

#include <sys/types.h>

struct lwp;

struct cpu_info {
	struct lwp *ci_curlwp;          /* atomic: holder, NULL when free */
	unsigned ci_index;              /* stable */
	struct lwp *ci_implicit;        /* holder only: cached implicit lwp */
	unsigned long ci_nswitch;       /* holder only: times taken */
} __aligned(64);

extern struct cpu_info cpu_infos[];
struct cpu_info *curcpu(void);
#define cpu_index(ci) ((ci)->ci_index)

#endif /* _SYS_CPU_H_ */
