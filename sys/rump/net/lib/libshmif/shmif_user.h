/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The shmif component's hypercalls (rumpcomp_shmif_*), implemented on
 * the host by shmif_user.c (library librumpcomp_shmif) and called by
 * if_shmif.c.  They are the only host services the bus needs beyond
 * rumpuser_*: open and map the bus file, wait on and wake its futex
 * word.  The kernel side does the ring itself, with atomics, in the
 * mapping (format: shmif_bus.h).  Includes nothing; 0 or an errno.
 */
#ifndef _SHMIF_USER_H_
#define _SHMIF_USER_H_

/*
 * Open (creating and initialising if needed, with a ring of ringsize
 * bytes) and map the bus file at path.  *busp: the mapping (a struct
 * shmif_bus), *lenp: its length, for rumpcomp_shmif_close.  EPROTO for a
 * file that holds another version's bus, EINVAL for one too short.
 * Does not block for long (the creator's flock is held for microseconds).
 */
int rumpcomp_shmif_open(const char *path, unsigned ringsize, void **busp,
    unsigned long *lenp);
void rumpcomp_shmif_close(void *bus, unsigned long len);
/*
 * Block until the bus's wake word is no longer oldval, a wake, or
 * timeout_ns (-1: none) passes; counts itself in shb_waiters meanwhile.
 * Called with the virtual CPU given up (the caller's rump_unschedule).
 * 0, or ETIMEDOUT.
 */
int rumpcomp_shmif_wait(void *bus, unsigned oldval, long long timeout_ns);
/* Wake every waiter on the bus (any process). */
void rumpcomp_shmif_wake(void *bus);

#endif /* _SHMIF_USER_H_ */
