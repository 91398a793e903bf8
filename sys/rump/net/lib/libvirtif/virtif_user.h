/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The virtif component's hypercalls (rumpcomp_virtif_*), implemented on
 * the host by virtif_user.c (library librumpcomp_virtif) and called by
 * if_virt.c: a Linux tap device, opened by name, that carries whole
 * Ethernet frames with no packet-information header and no offloads.
 * Includes nothing; each returns 0 or an errno.
 */
#ifndef _VIRTIF_USER_H_
#define _VIRTIF_USER_H_

/*
 * Attach one queue to the tap device named tap (made if missing and the
 * caller may), in the caller's network namespace: a single-queue tap
 * when multiqueue is 0, else one queue of a multi-queue tap (open it
 * once per queue).  *cookiep: the handle of that queue.  ENOENT: no
 * /dev/net/tun; EPERM or EACCES: not allowed; EBUSY: the tap is in use
 * by another user; EINVAL: a bad name, or a queue count the tap does not
 * have (multi-queue asked of a single-queue tap, or the reverse).
 */
int rumpcomp_virtif_open(const char *tap, int multiqueue, void **cookiep);
/*
 * Copy one frame (at most len bytes) to buf, *gotp its length; len
 * should exceed the largest frame the tap's MTU allows.  With wait,
 * wait for one if none is queued (called with the virtual CPU given
 * up); without, EAGAIN at once (called with it held: a read of a
 * non-blocking descriptor).  EINTR: woken by rumpcomp_virtif_wake with
 * no frame; EMSGSIZE: a frame longer than len (dropped); EIO: the device
 * went away.
 */
int rumpcomp_virtif_recv(void *cookie, void *buf, unsigned long len,
    unsigned long *gotp, int wait);
/* Send one frame; ENOBUFS when the device's queue is full (dropped). */
int rumpcomp_virtif_send(void *cookie, const void *buf, unsigned long len);
/* Make a waiting rumpcomp_virtif_recv return EINTR, now and until close. */
void rumpcomp_virtif_wake(void *cookie);
void rumpcomp_virtif_close(void *cookie);

#endif /* _VIRTIF_USER_H_ */
