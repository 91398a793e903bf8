/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Soft interrupts (softint(9)), in kern_softint.c.  A handler is
 * established at a level and scheduled from any context (spin mutexes
 * held included); it then runs once on that level's kernel thread, however
 * many times it was scheduled meanwhile.  Scheduling it while it runs
 * makes it run again afterwards.  Handlers of one level run one at a time,
 * in the order scheduled.  There is no big kernel lock, so every handler
 * is MP-safe and SOFTINT_MPSAFE changes nothing.
 */
#ifndef _SYS_INTR_H_
#define _SYS_INTR_H_

#include <sys/types.h>

#define SOFTINT_CLOCK   0x0000
#define SOFTINT_BIO     0x0001
#define SOFTINT_NET     0x0002
#define SOFTINT_SERIAL  0x0003
#define SOFTINT_LVLMASK 0x00ff
#define SOFTINT_MPSAFE  0x0100
#define SOFTINT_COUNT   4

/* May sleep.  NULL when out of memory or flags name no level. */
void *softint_establish(unsigned flags, void (*func)(void *), void *arg);
void softint_schedule(void *cookie);
/* May sleep: waits for a running handler.  Not from the handler itself. */
void softint_disestablish(void *cookie);

#endif /* _SYS_INTR_H_ */
