/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Copying between the kernel and its clients.  A client lives in the same
 * address space, so a copy is a memory copy; what can be refused is a NULL
 * or first-page pointer (EFAULT), as a real kernel would fault on it.
 * The exception is a remote client's lwp (l_spclient set, see
 * kern_sysproxy.c): its memory is in another host process, which the
 * rumpuser_sp_copy*() hypercalls reach over its connection.
 */
#include <sys/systm.h>
#include <sys/lwp.h>
#include <rump/rumpuser.h>

/* The remote client the current lwp serves, or NULL for a local one. */
static inline void *
remote_client(void)
{
	return curlwp->l_spclient;
}

static bool
bad_address(const void *uaddr, size_t len)
{
	uintptr_t a = (uintptr_t)uaddr;

	return len > 0 && (a < PAGE_SIZE || a + len < a);
}

/* An empty copy may name no buffer at all (poll of no descriptors). */
int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	void *rc;

	if (bad_address(uaddr, len))
		return EFAULT;
	if (len == 0)
		return 0;
	if (__predict_false((rc = remote_client()) != NULL))
		return rumpuser_sp_copyin(rc, uaddr, kaddr, len);
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	void *rc;

	if (bad_address(uaddr, len))
		return EFAULT;
	if (len == 0)
		return 0;
	if (__predict_false((rc = remote_client()) != NULL))
		return rumpuser_sp_copyout(rc, kaddr, uaddr, len);
	memcpy(uaddr, kaddr, len);
	return 0;
}

/*
 * Copy a NUL-terminated string of at most len bytes, the NUL included;
 * *done, when asked for, is the count copied including the NUL.
 */
static int
copystr(const char *from, char *to, size_t len, size_t *done)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((to[i] = from[i]) == '\0') {
			if (done != NULL)
				*done = i + 1;
			return 0;
		}
	}
	if (done != NULL)
		*done = i;
	return ENAMETOOLONG;
}

int
copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	unsigned long n = len;
	void *rc;
	int error;

	if (bad_address(uaddr, 1))
		return EFAULT;
	if (__predict_false((rc = remote_client()) != NULL)) {
		error = rumpuser_sp_copyinstr(rc, uaddr, kaddr, &n);
		if (done != NULL)
			*done = n;
		return error;
	}
	return copystr(uaddr, kaddr, len, done);
}

int
copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done)
{
	size_t n;
	int error;

	if (bad_address(uaddr, 1))
		return EFAULT;
	if (__predict_false(remote_client() != NULL)) {
		n = strnlen(kaddr, len);
		if (n < len)
			n++;
		if (n > 0 && (error = copyout(kaddr, uaddr, n)) != 0)
			return error;
		if (done != NULL)
			*done = n;
		return n > 0 && ((const char *)kaddr)[n - 1] == '\0'
		    ? 0
		    : ENAMETOOLONG;
	}
	return copystr(kaddr, uaddr, len, done);
}
