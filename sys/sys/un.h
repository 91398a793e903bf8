/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Unix-domain socket addresses as a Linux client sees them.  A name in
 * the file systems is sun_path up to its NUL (or the address's end); a
 * name in the abstract namespace starts with a NUL byte and is exactly
 * the address's remaining length, NULs included.  An address of just
 * sun_family names nothing (bind: choose an abstract name).
 */
#ifndef _SYS_UN_H_
#define _SYS_UN_H_

#include <sys/socket.h>

#define UNIX_PATH_MAX 108

struct sockaddr_un {
	sa_family_t sun_family;         /* AF_UNIX */
	char sun_path[UNIX_PATH_MAX];
};

#endif /* _SYS_UN_H_ */
