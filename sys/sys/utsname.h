/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * uname(2)'s structure, with Linux's layout, and the kernel's identity
 * strings (kern_uname.c), which kern.* in the sysctl tree reports too.
 */
#ifndef _SYS_UTSNAME_H_
#define _SYS_UTSNAME_H_

#define UTSNAME_LEN 65

struct utsname {
	char sysname[UTSNAME_LEN];
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];
	char domainname[UTSNAME_LEN];
};

extern const char ostype[];             /* "rump" */
extern const char osrelease[];          /* "0.1" */
extern const char version[];            /* one line about this kernel */
extern const char machine[];            /* the host's architecture */

#endif /* _SYS_UTSNAME_H_ */
