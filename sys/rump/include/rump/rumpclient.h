/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * librumpclient: the system calls of a rump kernel served by another
 * process (rump_server(1)), with the same <rump/rump_syscalls.h> as a
 * kernel linked in.  rumpclient(3) is the manual.
 *
 * rumpclient_init() connects to $RUMP_SERVER ("unix:///path",
 * "tcp://127.0.0.1:port") and makes this process a process of the
 * kernel; called again after the connection broke, it reconnects (a new
 * process: the old one's descriptors are gone).  A call made with no
 * connection fails with ENOTCONN; a call whose connection breaks while
 * it runs fails with EIO (whether it took effect is unknown).
 * rumpclient_fork() forks the host process and gives the child a kernel
 * process that inherits the parent's descriptors (rumpclient_prefork()
 * before fork(), rumpclient_fork_init() in the child, or
 * rumpclient_fork_cancel() in the parent if fork() failed).
 * rumpclient_exec() execs keeping the kernel process (the new program
 * calls rumpclient_init()).  rumpclient_setconnretry() makes a call that
 * finds the connection lost connect again (a new process), or exit.  rumpclient_syscall() calls any system call
 * by number (syscalls.master's, Linux's), its arguments as registers.
 */
#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#include <sys/types.h>

#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUMPCLIENT_API __attribute__((__visibility__("default")))

struct rumpclient_fork;

/* rumpclient_setconnretry(): seconds to retry, 0 (never), or these. */
#define RUMPCLIENT_RETRYCONN_INFTIME ((time_t)-1)
#define RUMPCLIENT_RETRYCONN_ONCE    ((time_t)-2)
#define RUMPCLIENT_RETRYCONN_DIE     ((time_t)-3)

RUMPCLIENT_API int rumpclient_init(void);
RUMPCLIENT_API void rumpclient_close(void);
RUMPCLIENT_API pid_t rumpclient_getpid(void);
RUMPCLIENT_API struct rumpclient_fork *rumpclient_prefork(void);
RUMPCLIENT_API int rumpclient_fork_init(struct rumpclient_fork *);
RUMPCLIENT_API void rumpclient_fork_cancel(struct rumpclient_fork *);
RUMPCLIENT_API pid_t rumpclient_fork(void);
RUMPCLIENT_API int rumpclient_exec(const char *path, char *const argv[],
                                   char *const envp[]);
RUMPCLIENT_API int rumpclient_daemon(int nochdir, int noclose);
RUMPCLIENT_API void rumpclient_setconnretry(time_t retrytime);
RUMPCLIENT_API int rumpclient_syscall(int num, const long *regs, int nregs,
                                      long *retval);

/* The original's vfork is a fork here: the child needs its own stack. */
#define rumpclient_vfork() rumpclient_fork()

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPCLIENT_H_ */
