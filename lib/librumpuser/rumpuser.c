/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Hypercalls: initialisation, parameters, memory, console, randomness,
 * errno and process exit.  Host files are in rumpuser_file.c, threads and
 * synchronisation in rumpuser_pth.c, clocks in rumpuser_clock.c.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/random.h>

#include <errno.h>
#include <stdint.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser_int.h"

struct rumpuser_hyperup rumpuser__hyp;

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{
	if (version != RUMPUSER_VERSION) {
		fprintf(stderr,
		    "rumpuser: kernel wants hypercall version %d, "
		    "this librumpuser is version %d\n",
		    version, RUMPUSER_VERSION);
		return EINVAL;
	}
	rumpuser__hyp = *hyp;
	return 0;
}

void
rumpuser__hostfail(const char *what, int error)
{
	fprintf(stderr, "rumpuser: %s: %s\n", what, strerror(error));
	abort();
}

int
rumpuser_getparam(const char *name, void *buf, unsigned long buflen)
{
	char tmp[64];
	const char *val;

	if (strcmp(name, "_RUMPUSER_NCPU") == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		snprintf(tmp, sizeof(tmp), "%ld", n > 0 ? n : 1);
		val = tmp;
	} else if (strcmp(name, "_RUMPUSER_HOSTNAME") == 0) {
		if (gethostname(tmp, sizeof(tmp)) != 0)
			return errno;
		tmp[sizeof(tmp) - 1] = '\0';
		val = tmp;
	} else if ((val = getenv(name)) == NULL) {
		return ENOENT;
	}
	if (strlen(val) + 1 > buflen)
		return ENOMEM;
	memcpy(buf, val, strlen(val) + 1);
	return 0;
}

int
rumpuser_malloc(unsigned long len, int alignment, void **memp)
{
	void *mem;
	int error;

	if (alignment <= (int)sizeof(void *) * 2) {
		mem = malloc(len);
		*memp = mem;
		return mem == NULL ? ENOMEM : 0;
	}
	error = posix_memalign(&mem, (size_t)alignment, len);
	*memp = error ? NULL : mem;
	return error;
}

void
rumpuser_free(void *mem, unsigned long len)
{
	(void)len;
	free(mem);
}

/*
 * An aligned mapping is carved from one twice the size: the unaligned
 * head and tail go back, and only the aligned middle is populated.
 */
int
rumpuser_anonmmap(unsigned long len, int flags, void **memp)
{
	int prot = PROT_READ | PROT_WRITE |
	    (flags & RUMPUSER_MMAP_EXEC ? PROT_EXEC : 0);
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long span = len, head;
	char *mem;

	*memp = NULL;
	if (flags & RUMPUSER_MMAP_ALIGNED) {
		if (len == 0 || (len & (len - 1)) != 0)
			return EINVAL;
		span = 2 * len;
	} else if (flags & RUMPUSER_MMAP_POPULATE) {
		mflags |= MAP_POPULATE;
	}
	mem = mmap(NULL, span, prot, mflags, -1, 0);
	if (mem == MAP_FAILED)
		return errno;
	if (flags & RUMPUSER_MMAP_ALIGNED) {
		head = (len - ((uintptr_t)mem & (len - 1))) & (len - 1);
		if (head != 0)
			munmap(mem, head);
		munmap(mem + head + len, len - head);
		mem += head;
		if ((flags & RUMPUSER_MMAP_POPULATE) &&
		    madvise(mem, len, MADV_POPULATE_WRITE) == -1 &&
		    errno != EINVAL) {
			munmap(mem, len);
			return errno;
		}
	}
	*memp = mem;
	return 0;
}

void
rumpuser_unmap(void *addr, unsigned long len)
{
	munmap(addr, len);
}

int
rumpuser_getrandom(void *buf, unsigned long buflen, int flags,
    unsigned long *retp)
{
	unsigned int gflags = 0;
	ssize_t n;

	if (flags & RUMPUSER_RANDOM_NOWAIT)
		gflags |= GRND_NONBLOCK;
	if (flags & RUMPUSER_RANDOM_HARD)
		gflags |= GRND_RANDOM;
	do {
		n = getrandom(buf, buflen, gflags);
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		*retp = 0;
		return errno;
	}
	*retp = (unsigned long)n;
	return 0;
}

/*
 * Console: each thread collects a line and writes it whole, so that lines
 * from concurrent threads do not interleave character by character.
 */
static __thread char cons_line[256];
static __thread size_t cons_len;

static void
cons_flush(void)
{
	size_t off = 0;
	ssize_t n;

	while (off < cons_len) {
		n = write(STDERR_FILENO, cons_line + off, cons_len - off);
		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			off += (size_t)n;
	}
	cons_len = 0;
}

void
rumpuser_putchar(int ch)
{
	cons_line[cons_len++] = (char)ch;
	if (ch == '\n' || cons_len == sizeof(cons_line))
		cons_flush();
}

void
rumpuser_dprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void
rumpuser_seterrno(int error)
{
	errno = error;
}

void
rumpuser_exit(int value)
{
	void *frames[64];
	int n;

	if (cons_len > 0)
		cons_flush();
	if (value == RUMPUSER_PANIC) {
		n = backtrace(frames, 64);
		fputs("rump kernel panic backtrace:\n", stderr);
		backtrace_symbols_fd(frames, n, STDERR_FILENO);
		abort();
	}
	exit(value);
}
