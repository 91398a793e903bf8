/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * stdio on kernel files.  glibc's streams read and write with internal
 * calls no preloaded library sees, so fopen of a kernel path and fdopen
 * of a kernel descriptor make a fopencookie(3) stream whose functions
 * are ours (read, write, lseek, close of the table).  fileno() of such a
 * stream gives the descriptor.  A kernel descriptor 0, 1 or 2 inherited
 * at exec replaces stdin, stdout or stderr with such a stream.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hijack.h"

static ssize_t
ck_read(void *c, char *buf, size_t n)
{
	return read((int)(intptr_t)c, buf, n);
}

static ssize_t
ck_write(void *c, const char *buf, size_t n)
{
	ssize_t w = write((int)(intptr_t)c, buf, n);

	/* fopencookie's convention: 0, not -1, reports the error. */
	return w < 0 ? 0 : w;
}

static int
ck_seek(void *c, off64_t *off, int whence)
{
	off_t r = lseek((int)(intptr_t)c, *off, whence);

	if (r < 0)
		return -1;
	*off = r;
	return 0;
}

static int
ck_close(void *c)
{
	return close((int)(intptr_t)c);
}

static FILE *
cookie_stream(int fd, const char *mode)
{
	cookie_io_functions_t io = { ck_read, ck_write, ck_seek, ck_close };
	FILE *fp = fopencookie((void *)(intptr_t)fd, mode, io);

	if (fp != NULL)
		fp->_fileno = fd;
	return fp;
}

static int
mode_flags(const char *mode)
{
	int flags;
	const char *p;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	for (p = mode + 1; *p != '\0' && *p != ','; p++)
		if (*p == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*p == 'e')
			flags |= O_CLOEXEC;
		else if (*p == 'x')
			flags |= O_EXCL;
	return flags;
}

HJ_API FILE *
fopen(const char *path, const char *mode)
{
	const char *kp;
	int flags, fd;
	FILE *fp;
	REAL(FILE *(*)(const char *, const char *), fopen);

	if (hj_path(path, &kp) == HJ_HOST)
		return hj_fopen_fn(path, mode);
	if ((flags = mode_flags(mode)) == -1) {
		errno = EINVAL;
		return NULL;
	}
	if ((fd = open(path, flags, 0666)) < 0)
		return NULL;
	if ((fp = cookie_stream(fd, mode)) == NULL)
		close(fd);
	return fp;
}
HJ_API FILE *fopen64(const char *, const char *) __attribute__((alias("fopen")));

HJ_API FILE *
fdopen(int fd, const char *mode)
{
	REAL(FILE *(*)(int, const char *), fdopen);

	if (hj_kfd(fd) < 0)
		return hj_fdopen_fn(fd, mode);
	return cookie_stream(fd, mode);
}

/* Standard streams inherited as kernel descriptors. */
__attribute__((constructor(200))) static void
stdio_ctor(void)
{
	if (hj_kfd(0) >= 0 && (stdin = cookie_stream(0, "r")) == NULL)
		stdin = fdopen(0, "r");
	if (hj_kfd(1) >= 0)
		stdout = cookie_stream(1, "w");
	if (hj_kfd(2) >= 0) {
		stderr = cookie_stream(2, "w");
		setvbuf(stderr, NULL, _IONBF, 0);
	}
}
