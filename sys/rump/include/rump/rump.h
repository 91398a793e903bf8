/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The rump kernel client interface.
 *
 * A program boots a kernel in its own process with rump_init() and then
 * uses it through the rump_sys_* system calls (<rump/rump_syscalls.h>) and
 * the rump_pub_* calls below.  Values crossing the interface are Linux's
 * (errno, O_*, struct stat ...): a failed rump_sys_* call returns -1 and
 * sets errno, as the host's own calls do.
 *
 * Which subsystems exist depends on which libraries are linked: see
 * pkg-config(1) for rump, rumpvfs, rumpfs_* and so on.  Link and go:
 * every linked component is initialised by rump_init().
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUMP_API __attribute__((__visibility__("default")))

struct lwp;

/*
 * Boot the kernel.  Parameters are read from the environment:
 *   RUMP_NCPU      virtual CPUs (default: the host's processor count)
 *   RUMP_VERBOSE   1: print the boot messages
 *   RUMP_MEMLIMIT  bytes the kernel may allocate (k, m, g suffixes)
 *   RUMP_HOSTNAME  kern.hostname (default: "rump-<host pid>")
 * Returns 0 or an errno.  A second call returns 0 and does nothing.
 */
RUMP_API int rump_init(void);

/*
 * Processes.  Each host thread is bound to at most one lwp; a thread with
 * none runs in the default process (pid 1).
 *
 * rump_pub_lwproc_rfork() makes a process, a child of the current one, and
 * binds the calling thread to its first lwp.  The child's descriptor table
 * is a copy of the parent's with RUMP_RFFDG, empty with RUMP_RFCFDG, and
 * shared with neither.  Credentials, cwd and umask are inherited.
 *
 * rump_pub_lwproc_newlwp() adds an lwp to process pid and binds the calling
 * thread to it (ESRCH if there is no such process).
 *
 * rump_pub_lwproc_switch() binds the calling thread to l (NULL: unbind).
 * An lwp may be bound to one thread at a time.
 *
 * rump_pub_lwproc_releaselwp() ends the lwp bound to the calling thread;
 * with its last lwp a process ends and its descriptors are closed.
 *
 * rump_pub_lwproc_curlwp() is the lwp bound to the calling thread, or NULL.
 *
 * None of these may be called from inside the kernel.
 */
#define RUMP_RFFDG  0x04
#define RUMP_RFCFDG 0x1000
RUMP_API int rump_pub_lwproc_rfork(int flags);
RUMP_API int rump_pub_lwproc_newlwp(pid_t pid);
RUMP_API void rump_pub_lwproc_switch(struct lwp *l);
RUMP_API void rump_pub_lwproc_releaselwp(void);
RUMP_API struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * Enter and leave the kernel by hand, for code that calls kernel
 * functions directly (tests of kernel internals).  rump_sys_* calls do
 * this themselves.
 */
RUMP_API void rump_schedule(void);
RUMP_API void rump_unschedule(void);

/* Boot time of rump_init() in nanoseconds, for diagnostics. */
RUMP_API unsigned long long rump_pub_boottime_ns(void);

/*
 * Read and set sysctl values by name ("kern.hostname", "hw.ncpu"), as
 * __sysctl(2) does by number (see <rump/rumpdefs.h>, RUMP_CTL_*):
 * oldv NULL asks for the size only; a too small oldv gets what fits and
 * ENOMEM; *oldlenp is set to the value's size.  newv, when not NULL, is
 * the new value (root only, as for __sysctl).  Returns 0 or an errno:
 * ENOENT for no such name, EISDIR for a name that is a node, ENOTDIR for
 * one that goes on past a value, EPERM, EINVAL, and ENXIO when the kernel
 * is not running.
 */
RUMP_API int rump_pub_sysctlbyname(const char *name, void *oldv,
    size_t *oldlenp, const void *newv, size_t newlen);

/*
 * Flags for rump_sys_reboot(howto, NULL), which only root may call
 * (EPERM).  Unless RUMP_RB_NOSYNC, it first syncs (runs the kernel's
 * shutdown hooks: the file systems flush).  Then:
 *   RUMP_RB_AUTOBOOT  the host process exits with status 0;
 *   RUMP_RB_HALT      the kernel halts and the call returns 0: the host
 *                     process goes on, and every later rump_sys_* call
 *                     fails with ENXIO (a kernel does not boot twice in
 *                     one process);
 *   RUMP_RB_DUMP      the kernel panics (the process aborts).
 * "rump kernel halted" is printed when booted with RUMP_VERBOSE.
 */
#define RUMP_RB_AUTOBOOT 0x0000 /* sync, halt and exit the host process */
#define RUMP_RB_HALT     0x0008 /* sync and halt; the host process goes on */
#define RUMP_RB_NOSYNC   0x0004 /* do not sync file systems first */
#define RUMP_RB_DUMP     0x0100 /* halt as a panic would */

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_H_ */
