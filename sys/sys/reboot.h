/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * reboot(2) flags, equal to rump.h's RUMP_RB_*, and the shutdown hooks
 * (kern_reboot.c) that reboot runs to sync, unless RB_NOSYNC.
 */
#ifndef _SYS_REBOOT_H_
#define _SYS_REBOOT_H_

#define RB_AUTOBOOT 0x0000      /* sync, halt, end the host process */
#define RB_NOSYNC   0x0004      /* do not run the shutdown hooks */
#define RB_HALT     0x0008      /* sync and halt; the host process goes on */
#define RB_DUMP     0x0100      /* panic */

/*
 * A hook a subsystem registers to flush its state (the VFS: sync every
 * file system) before the kernel halts.  Hooks run in the order
 * registered, on the thread calling reboot, which may sleep.
 */
struct shutdown_hook {
	void (*sh_func)(void *);
	void *sh_arg;
	struct shutdown_hook *sh_next;  /* the hook list's lock */
};
void shutdown_hook_register(struct shutdown_hook *);
void shutdown_hook_unregister(struct shutdown_hook *);

#endif /* _SYS_REBOOT_H_ */
