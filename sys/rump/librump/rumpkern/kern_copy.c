/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Copying between the kernel and its clients.  A client lives in the same
 * address space, so a copy is a memory copy; what can be refused is a NULL
 * or first-page pointer (EFAULT), as a real kernel would fault on it.
 */
#include <sys/systm.h>

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
	if (bad_address(uaddr, len))
		return EFAULT;
	if (len > 0)
		memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (bad_address(uaddr, len))
		return EFAULT;
	if (len > 0)
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
	if (bad_address(uaddr, 1))
		return EFAULT;
	return copystr(uaddr, kaddr, len, done);
}

int
copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done)
{
	if (bad_address(uaddr, 1))
		return EFAULT;
	return copystr(kaddr, uaddr, len, done);
}
