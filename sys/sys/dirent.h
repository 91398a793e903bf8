/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Directory entries as getdents64(2) returns them: Linux's struct
 * linux_dirent64 records, each padded to 8 bytes, d_off the cookie of
 * the entry after it.
 */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];                  /* NUL terminated */
};

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

/* The record length for a name of namlen bytes. */
#define DIRENT64_RECLEN(namlen)                                                \
	((offsetof(struct dirent64, d_name) + (namlen) + 1 + 7) & ~(size_t)7)

struct uio;
/*
 * Copy one record out to a getdents64 buffer (vfs_subr.c): d_off is next,
 * the cookie of the entry after it.  EJUSTRETURN when it does not fit in
 * what is left of the buffer, with nothing moved.
 */
int vfs_dirent_emit(struct uio *, uint64_t ino, uint64_t next,
    unsigned char dtype, const char *name, size_t namlen);

#endif /* _SYS_DIRENT_H_ */
