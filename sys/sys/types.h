/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel basic types.  Sizes match Linux's userland ABI on LP64 hosts,
 * because the values cross the rump_sys_* boundary unchanged.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef long ssize_t;
typedef long register_t;
typedef long off_t;
typedef long time_t;
typedef long suseconds_t;
typedef int pid_t;
typedef int lwpid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef unsigned long nlink_t;
typedef unsigned long ino_t;
typedef unsigned long dev_t;
typedef long blksize_t;
typedef long blkcnt_t;
typedef int clockid_t;
typedef unsigned int nfds_t;
typedef unsigned long vaddr_t;
typedef unsigned long vsize_t;
/* The BSD short names the network headers use. */
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;

#define __packed     __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __unused     __attribute__((__unused__))
#define __noreturn   __attribute__((__noreturn__))
#define __printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define __predict_true(x)  __builtin_expect((x) != 0, 1)
#define __predict_false(x) __builtin_expect((x) != 0, 0)
#define __UNCONST(p)       ((void *)(uintptr_t)(const void *)(p))
#define __arraycount(a)    (sizeof(a) / sizeof((a)[0]))

#endif /* _SYS_TYPES_H_ */
