/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A remote client sends a system call's arguments as register_t values,
 * one per argument, in syscalls.master's order (the host's types and the
 * kernel's differ in size, so its memory layout would not do).
 * sysproxy_unpack[num], generated into sysproxy_args.c, knows how many
 * and stores them into the call's argument structure, of at most
 * SYSPROXY_ARGSIZE bytes.
 */
#ifndef _RUMPKERN_SYSPROXY_H_
#define _RUMPKERN_SYSPROXY_H_

#define SYSPROXY_ARGSIZE 128
#define SYSPROXY_MAXREGS 8

struct sysproxy_unpack {
	int su_nargs;
	void (*su_unpack)(const register_t *regs, void *args);
};

extern const struct sysproxy_unpack sysproxy_unpack[];

#endif /* _RUMPKERN_SYSPROXY_H_ */
