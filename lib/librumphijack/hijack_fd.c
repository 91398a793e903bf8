/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The descriptor table: host number -> kernel number.  A kernel
 * descriptor owns a host placeholder of the same number (O_PATH on
 * /dev/null: a read or write that escapes the hijack fails with EBADF
 * rather than hitting a host file), so the host allocates the numbers
 * and a host descriptor never gets a kernel one's.  The placeholder's
 * close-on-exec flag is the kernel descriptor's, so an exec keeps
 * exactly the placeholders whose kernel descriptors survive.
 *
 * Entries are read without a lock (one atomic int each, the kernel
 * number plus one); they change under hj_fdlock.  Numbers from
 * HJ_MAXFD up are host-only: installing there fails with EMFILE.
 *
 * The exported state (for an exec) is "cwd=0|1;fds=H:K,H:K,...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define HJ_MAXFD 65536

static int kfd_of[HJ_MAXFD];            /* kernel fd + 1, 0: host */
static pthread_mutex_t hj_fdlock = PTHREAD_MUTEX_INITIALIZER;

int
hj_kfd(int hfd)
{
	if (hfd < 0 || hfd >= HJ_MAXFD || hj_inside)
		return -1;
	return __atomic_load_n(&kfd_of[hfd], __ATOMIC_ACQUIRE) - 1;
}

int
hj_fd_error(int err)
{
	errno = err;
	return -1;
}

static int
placeholder(int cloexec)
{
	REAL(int (*)(const char *, int, ...), open);

	return hj_open_fn("/dev/null", O_PATH | (cloexec ? O_CLOEXEC : 0));
}

/* A new host number for kfd; on failure kfd is closed. */
int
hj_fd_install(int kfd, int cloexec)
{
	REAL(int (*)(int), close);
	int hfd = placeholder(cloexec), err;

	if (hfd >= HJ_MAXFD) {
		hj_close_fn(hfd);
		hfd = -1;
		errno = EMFILE;
	}
	if (hfd < 0) {
		err = errno;
		KCALL(rump_sys_close(kfd));
		return hj_fd_error(err);
	}
	__atomic_store_n(&kfd_of[hfd], kfd + 1, __ATOMIC_RELEASE);
	return hfd;
}

/*
 * kfd at host number hfd, whatever hfd was (the caller closed a kernel
 * descriptor there).  On failure kfd is closed.
 */
int
hj_fd_install_at(int kfd, int hfd, int cloexec)
{
	REAL(int (*)(int), close);
	REAL(int (*)(int, int, int), dup3);
	int ph, rv, err = 0;

	if (hfd < 0 || hfd >= HJ_MAXFD) {
		KCALL(rump_sys_close(kfd));
		return hj_fd_error(hfd < 0 ? EBADF : EMFILE);
	}
	pthread_mutex_lock(&hj_fdlock);
	ph = placeholder(cloexec);
	if (ph == hfd)          /* hfd was free and the lowest: taken */
		rv = hfd;
	else {
		rv = ph < 0 ? -1 : hj_dup3_fn(ph, hfd, cloexec ? O_CLOEXEC :
		    0);
		err = errno;
		if (ph >= 0)
			hj_close_fn(ph);
	}
	if (rv < 0) {
		pthread_mutex_unlock(&hj_fdlock);
		KCALL(rump_sys_close(kfd));
		return hj_fd_error(err);
	}
	__atomic_store_n(&kfd_of[hfd], kfd + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&hj_fdlock);
	return hfd;
}

/* The entry is gone and its placeholder closed. */
void
hj_fd_forget(int hfd)
{
	REAL(int (*)(int), close);

	pthread_mutex_lock(&hj_fdlock);
	__atomic_store_n(&kfd_of[hfd], 0, __ATOMIC_RELEASE);
	hj_close_fn(hfd);
	pthread_mutex_unlock(&hj_fdlock);
}

void
hj_fd_setcloexec(int hfd, int on)
{
	REAL(int (*)(int, int, ...), fcntl);

	hj_fcntl_fn(hfd, F_SETFD, on ? FD_CLOEXEC : 0);
}

char *
hj_fd_export(void)
{
	size_t size = 64, len;
	char *s = malloc(size), *n;
	int hfd, k;

	if (s == NULL)
		return NULL;
	len = snprintf(s, size, "cwd=%d;fds=", hj_cwd_kernel ? 1 : 0);
	for (hfd = 0; hfd < HJ_MAXFD; hfd++) {
		if ((k = hj_kfd(hfd)) < 0)
			continue;
		if (size - len < 32) {
			size *= 2;
			if ((n = realloc(s, size)) == NULL) {
				free(s);
				return NULL;
			}
			s = n;
		}
		len += snprintf(s + len, size - len, "%s%d:%d",
		    s[len - 1] == '=' ? "" : ",", hfd, k);
	}
	return s;
}

/* Entries from an exec's state whose placeholders survived it. */
void
hj_fd_import(const char *st)
{
	REAL(int (*)(int, int, ...), fcntl);
	const char *p = strstr(st, "fds=");
	char *end;
	long h, k;

	if (p == NULL)
		return;
	for (p += 4; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		h = strtol(p, &end, 10);
		if (*end != ':')
			break;
		k = strtol(end + 1, &end, 10);
		if (h < 0 || h >= HJ_MAXFD || k < 0)
			continue;
		if (hj_fcntl_fn((int)h, F_GETFD) == -1)
			rump_sys_close((int)k);
		else
			__atomic_store_n(&kfd_of[h], (int)k + 1,
			    __ATOMIC_RELEASE);
		if (*end == '\0')
			break;
	}
}

void
hj_fd_drop_all(void)
{
	REAL(int (*)(int), close);
	int hfd;

	pthread_mutex_lock(&hj_fdlock);
	for (hfd = 0; hfd < HJ_MAXFD; hfd++)
		if (kfd_of[hfd] != 0) {
			kfd_of[hfd] = 0;
			hj_close_fn(hfd);
		}
	pthread_mutex_unlock(&hj_fdlock);
}

/* Before an exec: kernel descriptors marked close-on-exec are closed. */
void
hj_fd_close_cloexec(void)
{
	REAL(int (*)(int, int, ...), fcntl);
	int hfd, k;

	for (hfd = 0; hfd < HJ_MAXFD; hfd++) {
		if ((k = hj_kfd(hfd)) < 0)
			continue;
		if (hj_fcntl_fn(hfd, F_GETFD) & FD_CLOEXEC) {
			KCALL(rump_sys_close(k));
			hj_fd_forget(hfd);
		}
	}
}

void
hj_fd_set(int hfd, int kfd)
{
	__atomic_store_n(&kfd_of[hfd], kfd + 1, __ATOMIC_RELEASE);
}

void
hj_fd_clear(int hfd)
{
	if (hfd >= 0 && hfd < HJ_MAXFD)
		__atomic_store_n(&kfd_of[hfd], 0, __ATOMIC_RELEASE);
}

/* At exit of a local kernel: every kernel descriptor closed. */
void
hj_fd_close_all(void)
{
	int hfd, k;

	for (hfd = 0; hfd < HJ_MAXFD; hfd++)
		if ((k = __atomic_load_n(&kfd_of[hfd], __ATOMIC_ACQUIRE) - 1) >=
		    0) {
			rump_sys_close(k);
			hj_fd_forget(hfd);
		}
}

bool
hj_fd_any(void)
{
	int hfd;

	for (hfd = 0; hfd < HJ_MAXFD; hfd++)
		if (__atomic_load_n(&kfd_of[hfd], __ATOMIC_ACQUIRE) != 0)
			return true;
	return false;
}
