/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the generated stubs (rumpclient_syscalls.c) call: system call num
 * with nregs arguments; 0, or -1 with errno set; the result in *rv.
 */
#ifndef _RUMPCLIENT_INT_H_
#define _RUMPCLIENT_INT_H_

#include <sys/types.h>

int rumpclient__call(int num, const register_t *regs, int nregs,
                     register_t *rv);

#endif /* _RUMPCLIENT_INT_H_ */
