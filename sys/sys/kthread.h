/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel threads (kthread(9)), in kern_kthread.c: host threads with an lwp
 * in proc0.  The function runs scheduled on a virtual CPU and ends with
 * kthread_exit().  A KTHREAD_MUSTJOIN thread is reaped by kthread_join().
 */
#ifndef _SYS_KTHREAD_H_
#define _SYS_KTHREAD_H_

#include <sys/types.h>

struct lwp;
struct cpu_info;

#define KTHREAD_MPSAFE   0x01
#define KTHREAD_MUSTJOIN 0x02
#define PRI_NONE   (-1)

int kthread_create(int pri, int flags, struct cpu_info *ci,
    void (*func)(void *), void *arg, struct lwp **lp, const char *fmt, ...)
    __printflike(7, 8);
void kthread_exit(int) __noreturn;
int kthread_join(struct lwp *);

#endif /* _SYS_KTHREAD_H_ */
