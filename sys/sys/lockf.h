/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Advisory record locks (fcntl F_GETLK, F_SETLK, F_SETLKW), in
 * rumpvfs/vfs_lockf.c.  struct flock has the layout of Linux's: clients
 * pass theirs unchanged.
 */
#ifndef _SYS_LOCKF_H_
#define _SYS_LOCKF_H_

#include <sys/types.h>

struct flock {
	short l_type;                   /* F_RDLCK, F_WRLCK, F_UNLCK */
	short l_whence;                 /* SEEK_SET, SEEK_CUR, SEEK_END */
	off_t l_start;
	off_t l_len;                    /* 0: to the end of the file, and on */
	pid_t l_pid;                    /* F_GETLK: the holder */
};

#endif /* _SYS_LOCKF_H_ */
