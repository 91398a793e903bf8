/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * System call dispatch (kern_syscall.c).  The table starts empty; each
 * component installs the entries generated for it from syscalls.master
 * (sysent_<component>.c) when it initialises.  A call to an entry nobody
 * installed fails with ENOSYS and a log line naming the missing library.
 */
#ifndef _SYS_SYSCALL_H_
#define _SYS_SYSCALL_H_

#include <sys/types.h>

struct lwp;
typedef int sy_call_t(struct lwp *, const void *, register_t *);

struct syscall_package {
	int sp_code;                    /* SYS_*, -1 ends the list */
	sy_call_t *sp_call;
};

struct syscall_meta {
	const char *sm_name;
	const char *sm_component;
};
extern const struct syscall_meta syscall_meta[];

void syscall_establish(const struct syscall_package *);
/*
 * Enter the kernel, run call code with args, leave.  Returns 0 with the
 * result in *retval, or an errno that it has also set as the host errno.
 */
int syscall_dispatch(int code, void *args, register_t *retval);

#endif /* _SYS_SYSCALL_H_ */
