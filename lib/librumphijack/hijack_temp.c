/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Temporary names: glibc's mkstemp and mkdtemp create with internal
 * calls, so a template under the prefix is filled in here and created
 * with this library's open and mkdir (O_EXCL, retried on EEXIST).  A
 * host template is glibc's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hijack.h"

#define TEMP_TRIES 1000

static const char letters[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/* The six X's before suffixlen characters, or NULL (EINVAL). */
static char *
xs(char *tmpl, int suffixlen)
{
	size_t len = strlen(tmpl);

	if (suffixlen < 0 || len < 6 + (size_t)suffixlen ||
	    memcmp(tmpl + len - suffixlen - 6, "XXXXXX", 6) != 0) {
		errno = EINVAL;
		return NULL;
	}
	return tmpl + len - suffixlen - 6;
}

static void
fill(char *x)
{
	unsigned char r[6];
	int i;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		for (i = 0; i < 6; i++)
			r[i] = (unsigned char)rand();
	for (i = 0; i < 6; i++)
		x[i] = letters[r[i] % (sizeof(letters) - 1)];
}

static int
kmkstemp(char *tmpl, int suffixlen, int flags)
{
	char *x = xs(tmpl, suffixlen);
	int i, fd;

	if (x == NULL)
		return -1;
	for (i = 0; i < TEMP_TRIES; i++) {
		fill(x);
		fd = open(tmpl, (flags & ~O_ACCMODE) | O_RDWR | O_CREAT |
		    O_EXCL, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

HJ_API int
mkostemps(char *tmpl, int suffixlen, int flags)
{
	const char *kp;
	REAL(int (*)(char *, int, int), mkostemps);

	if (hj_path(tmpl, &kp) == HJ_HOST)
		return hj_mkostemps_fn(tmpl, suffixlen, flags);
	return kmkstemp(tmpl, suffixlen, flags);
}
HJ_API int mkostemps64(char *, int, int) __attribute__((alias("mkostemps")));

HJ_API int
mkstemp(char *tmpl)
{
	return mkostemps(tmpl, 0, 0);
}
HJ_API int mkstemp64(char *) __attribute__((alias("mkstemp")));

HJ_API int
mkostemp(char *tmpl, int flags)
{
	return mkostemps(tmpl, 0, flags);
}
HJ_API int mkostemp64(char *, int) __attribute__((alias("mkostemp")));

HJ_API int
mkstemps(char *tmpl, int suffixlen)
{
	return mkostemps(tmpl, suffixlen, 0);
}
HJ_API int mkstemps64(char *, int) __attribute__((alias("mkstemps")));

HJ_API char *
mkdtemp(char *tmpl)
{
	const char *kp;
	char *x;
	int i;
	REAL(char *(*)(char *), mkdtemp);

	if (hj_path(tmpl, &kp) == HJ_HOST)
		return hj_mkdtemp_fn(tmpl);
	if ((x = xs(tmpl, 0)) == NULL)
		return NULL;
	for (i = 0; i < TEMP_TRIES; i++) {
		fill(x);
		if (mkdir(tmpl, 0700) == 0)
			return tmpl;
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}
