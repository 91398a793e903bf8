/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The host side of shmif (hypercalls declared in shmif_user.h): open and
 * initialise a bus file, map it, and wait on or wake its futex word.
 * Host code: built as librumpcomp_shmif, outside the kernel namespace,
 * and the only part of the component that calls the host's C library.
 *
 * Initialisation is serialised with flock(2) on the bus file, which the
 * host releases when a process dies, so a creator killed halfway leaves
 * a file without the magic that the next opener initialises again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shmif_bus.h"
#include "shmif_user.h"

__attribute__((__visibility__("default"))) int rumpcomp_shmif_open(
    const char *, unsigned, void **, unsigned long *);
__attribute__((__visibility__("default"))) void rumpcomp_shmif_close(void *,
    unsigned long);
__attribute__((__visibility__("default"))) int rumpcomp_shmif_wait(void *,
    unsigned, long long);
__attribute__((__visibility__("default"))) void rumpcomp_shmif_wake(void *);

static int
shmif_init_locked(int fd, unsigned ringsize, unsigned long *lenp)
{
	struct shmif_bus hdr;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) == -1)
		return errno;
	memset(&hdr, 0, sizeof(hdr));
	if (st.st_size >= (off_t)sizeof(hdr)) {
		if ((n = pread(fd, &hdr, sizeof(hdr), 0)) == -1)
			return errno;
		if (n == (ssize_t)sizeof(hdr) && hdr.shb_magic == SHMIF_MAGIC) {
			if (hdr.shb_version != SHMIF_VERSION)
				return EPROTO;
			if (hdr.shb_hdrsize != SHMIF_BUS_HDRSIZE ||
			    hdr.shb_ringsize < SHMIF_RINGSIZE_MIN ||
			    hdr.shb_ringsize > SHMIF_RINGSIZE_MAX ||
			    (hdr.shb_ringsize & (hdr.shb_ringsize - 1)) != 0 ||
			    st.st_size < (off_t)SHMIF_BUS_HDRSIZE +
			    (off_t)hdr.shb_ringsize)
				return EINVAL;
			*lenp = SHMIF_BUS_HDRSIZE + (unsigned long)hdr.shb_ringsize;
			return 0;
		}
	}
	/* A new bus, or one whose creator died before the magic. */
	if (ftruncate(fd, 0) == -1 ||
	    ftruncate(fd, (off_t)SHMIF_BUS_HDRSIZE + (off_t)ringsize) == -1)
		return errno;
	memset(&hdr, 0, sizeof(hdr));
	hdr.shb_version = SHMIF_VERSION;
	hdr.shb_hdrsize = SHMIF_BUS_HDRSIZE;
	hdr.shb_ringsize = ringsize;
	hdr.shb_reserve = ringsize;     /* no position is 0 (shmif_bus.h) */
	if (getrandom(&hdr.shb_generation, sizeof(hdr.shb_generation), 0) !=
	    (ssize_t)sizeof(hdr.shb_generation))
		hdr.shb_generation = (uint64_t)time(NULL) ^ (uint64_t)getpid();
	if (pwrite(fd, &hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return errno != 0 ? errno : EIO;
	hdr.shb_magic = SHMIF_MAGIC;
	if (pwrite(fd, &hdr.shb_magic, sizeof(hdr.shb_magic), 0) !=
	    (ssize_t)sizeof(hdr.shb_magic))
		return errno != 0 ? errno : EIO;
	*lenp = SHMIF_BUS_HDRSIZE + (unsigned long)ringsize;
	return 0;
}

int
rumpcomp_shmif_open(const char *path, unsigned ringsize, void **busp,
    unsigned long *lenp)
{
	unsigned long len = 0;
	void *mem;
	int fd, error;

	if (ringsize < SHMIF_RINGSIZE_MIN || ringsize > SHMIF_RINGSIZE_MAX ||
	    (ringsize & (ringsize - 1)) != 0)
		return EINVAL;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return errno;
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			error = errno;
			close(fd);
			return error;
		}
	}
	error = shmif_init_locked(fd, ringsize, &len);
	(void)flock(fd, LOCK_UN);
	if (error != 0) {
		close(fd);
		return error;
	}
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	error = mem == MAP_FAILED ? errno : 0;
	close(fd);
	if (error != 0)
		return error;
	*busp = mem;
	*lenp = len;
	return 0;
}

void
rumpcomp_shmif_close(void *bus, unsigned long len)
{
	munmap(bus, len);
}

int
rumpcomp_shmif_wait(void *bus, unsigned oldval, long long timeout_ns)
{
	struct shmif_bus *shb = bus;
	struct timespec ts, *tsp = NULL;
	long r;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tsp = &ts;
	}
	__atomic_add_fetch(&shb->shb_waiters, 1, __ATOMIC_SEQ_CST);
	/* Shared (not FUTEX_PRIVATE): the waiters are in other processes. */
	r = syscall(SYS_futex, &shb->shb_wakeword, FUTEX_WAIT, oldval, tsp,
	    NULL, 0);
	__atomic_sub_fetch(&shb->shb_waiters, 1, __ATOMIC_SEQ_CST);
	if (r == -1 && errno == ETIMEDOUT)
		return ETIMEDOUT;
	return 0;
}

void
rumpcomp_shmif_wake(void *bus)
{
	struct shmif_bus *shb = bus;

	(void)syscall(SYS_futex, &shb->shb_wakeword, FUTEX_WAKE, INT_MAX, NULL,
	    NULL, 0);
}
