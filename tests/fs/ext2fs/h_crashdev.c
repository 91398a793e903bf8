/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The recording device of the crash tests (h_crashdev.h).  rec_lock
 * guards the recording: the kernel's I/O threads write it while the
 * workload runs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* This file implements (wraps) hypercalls. */
#define LIBRUMPUSER
#include <rump/rumpuser.h>

#include "h_macros.h"
#include "h_ext2img.h"
#include "h_crashdev.h"

struct crashdev_write *crashdev_writes;
size_t crashdev_nwrites;
size_t *crashdev_flushes;
size_t crashdev_nflushes;

static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static bool recording;
static size_t capwr, capflush;

void
crashdev_record(bool on)
{
	pthread_mutex_lock(&rec_lock);
	recording = on;
	pthread_mutex_unlock(&rec_lock);
}

size_t
crashdev_writes_so_far(void)
{
	size_t n;

	pthread_mutex_lock(&rec_lock);
	n = crashdev_nwrites;
	pthread_mutex_unlock(&rec_lock);
	return n;
}

size_t
crashdev_flushes_so_far(void)
{
	size_t n;

	pthread_mutex_lock(&rec_lock);
	n = crashdev_nflushes;
	pthread_mutex_unlock(&rec_lock);
	return n;
}

static void
record(const void *data, unsigned long dlen, long long off)
{
	struct crashdev_write *w;

	pthread_mutex_lock(&rec_lock);
	if (!recording)
		goto out;
	if (crashdev_nwrites == capwr) {
		capwr = capwr * 2 + 256;
		w = realloc(crashdev_writes, capwr * sizeof(*w));
		if (w == NULL)
			TEST_FAIL("out of memory for the recording");
		crashdev_writes = w;
	}
	w = &crashdev_writes[crashdev_nwrites];
	if ((w->data = malloc(dlen)) == NULL)
		TEST_FAIL("out of memory for the recording");
	memcpy(w->data, data, dlen);
	w->off = off;
	w->len = dlen;
	crashdev_nwrites++;
out:
	pthread_mutex_unlock(&rec_lock);
}

typedef void (*bio_fn)(int, int, void *, unsigned long, long long,
                       rumpuser_biodone_fn, void *);
typedef int (*iovwrite_fn)(int, const struct rumpuser_iovec *, int, long long,
                           unsigned long *);
typedef int (*syncfd_fn)(int, int, unsigned long long, unsigned long long);

void
rumpuser_bio(int fd, int op, void *data, unsigned long dlen, long long off,
             rumpuser_biodone_fn done, void *arg)
{
	static bio_fn real;

	if (real == NULL)
		real = (bio_fn)dlsym(RTLD_NEXT, "rumpuser_bio");
	if (op & RUMPUSER_BIO_WRITE)
		record(data, dlen, off);
	real(fd, op, data, dlen, off, done, arg);
}

/* Synchronous and clustered block writes come this way. */
int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov, int iovcnt,
                  long long off, unsigned long *retp)
{
	static iovwrite_fn real;
	long long o = off;

	if (real == NULL)
		real = (iovwrite_fn)dlsym(RTLD_NEXT, "rumpuser_iovwrite");
	if (off >= 0)
		for (int i = 0; i < iovcnt; i++) {
			record(iov[i].iov_base, iov[i].iov_len, o);
			o += (long long)iov[i].iov_len;
		}
	return real(fd, iov, iovcnt, off, retp);
}

/* A device flush: the writes before it are on the disk. */
int
rumpuser_syncfd(int fd, int flags, unsigned long long start,
                unsigned long long len)
{
	static syncfd_fn real;
	size_t *f;
	int error;

	if (real == NULL)
		real = (syncfd_fn)dlsym(RTLD_NEXT, "rumpuser_syncfd");
	error = real(fd, flags, start, len);
	pthread_mutex_lock(&rec_lock);
	if (recording && error == 0) {
		if (crashdev_nflushes == capflush) {
			capflush = capflush * 2 + 64;
			f = realloc(crashdev_flushes, capflush * sizeof(*f));
			if (f == NULL)
				TEST_FAIL("out of memory for the recording");
			crashdev_flushes = f;
		}
		crashdev_flushes[crashdev_nflushes++] = crashdev_nwrites;
	}
	pthread_mutex_unlock(&rec_lock);
	return error;
}

size_t
crashdev_flushed_at(size_t n)
{
	size_t b = 0;

	for (size_t i = 0; i < crashdev_nflushes && crashdev_flushes[i] <= n;
	     i++)
		b = crashdev_flushes[i];
	return b;
}

static void
put(int fd, const struct crashdev_write *w)
{
	REQUIRE(pwrite(fd, w->data, w->len, w->off) == (ssize_t)w->len);
}

void
crashdev_image(const char *base, const char *img, size_t n, bool reorder,
               unsigned *seed)
{
	size_t s = reorder ? crashdev_flushed_at(n) : n, e = crashdev_nwrites;
	char cmd[2000];
	bool *take;
	int fd;

	/* [s, e): the writes between two flushes. */
	for (size_t i = 0; i < crashdev_nflushes; i++)
		if (crashdev_flushes[i] > s) {
			e = crashdev_flushes[i];
			break;
		}
	REQUIRE(n <= e);
	PATHF(cmd, "cp '%s' '%s'", base, img);
	if (system(cmd) != 0)
		TEST_FAIL("'%s' failed", cmd);
	REQUIRE((fd = open(img, O_WRONLY)) != -1);
	for (size_t i = 0; i < s; i++)
		put(fd, &crashdev_writes[i]);
	/* n - s of the writes in [s, e), in the order they were made. */
	REQUIRE((take = calloc(e - s + 1, sizeof(*take))) != NULL);
	for (size_t got = 0; got < n - s;) {
		size_t i = (size_t)rand_r(seed) % (e - s);

		if (!take[i]) {
			take[i] = true;
			got++;
		}
	}
	for (size_t i = s; i < e; i++)
		if (take[i - s])
			put(fd, &crashdev_writes[i]);
	free(take);
	close(fd);
}

void
crashdev_fsck_clean(const char *img, const char *dir, const char *what,
                    size_t n)
{
	char cmd[2000];

	PATHF(cmd, "e2fsck -fn '%s' >'%s/fsck.out' 2>&1", img, dir);
	if (system(cmd) != 0) {
		PATHF(cmd, "cat '%s/fsck.out'", dir);
		(void)system(cmd);
		TEST_FAIL("%s, crash after write %zu: e2fsck -fn not clean",
		          what, n);
	}
}

void
crashdev_forget(void)
{
	pthread_mutex_lock(&rec_lock);
	for (size_t i = 0; i < crashdev_nwrites; i++)
		free(crashdev_writes[i].data);
	free(crashdev_writes);
	free(crashdev_flushes);
	crashdev_writes = NULL;
	crashdev_flushes = NULL;
	crashdev_nwrites = crashdev_nflushes = capwr = capflush = 0;
	pthread_mutex_unlock(&rec_lock);
}
