/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * String and memory routines.  The kernel may not call the host's C
 * library, and the compiler emits calls to memcpy, memmove, memset and
 * memcmp on its own, so they live here.
 */
#define _SUBR_STRING_                   /* the functions themselves */
#include <sys/systm.h>

/*
 * Large copies and fills are what the network and file paths spend
 * their time in: on x86-64 they use the string instructions, which
 * modern CPUs run a cache line at a time (the "fast strings" feature);
 * smaller ones move 8 bytes a step with unaligned loads, which
 * __builtin_memcpy of a constant size compiles to without a call.
 * Under AddressSanitizer the plain loops stay, so that every access is
 * checked.
 */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define STRING_INSNS 1
#define STRING_INSNS_MIN 256            /* bytes from which they pay */
#endif

void *
memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	uint64_t w;

#ifdef STRING_INSNS
	if (n >= STRING_INSNS_MIN) {
		__asm__ volatile("rep movsb"
		    : "+D"(d), "+S"(s), "+c"(n) : : "memory");
		return dst;
	}
#endif
	for (; n >= sizeof(w); n -= sizeof(w), d += sizeof(w), s += sizeof(w)) {
		__builtin_memcpy(&w, s, sizeof(w));
		__builtin_memcpy(d, &w, sizeof(w));
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n-- > 0)
		d[n] = s[n];
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w;

#ifdef STRING_INSNS
	if (n >= STRING_INSNS_MIN) {
		__asm__ volatile("rep stosb"
		    : "+D"(d), "+c"(n) : "a"(c) : "memory");
		return dst;
	}
#endif
	w = 0x0101010101010101ULL * (unsigned char)c;
	for (; n >= sizeof(w); n -= sizeof(w), d += sizeof(w))
		__builtin_memcpy(d, &w, sizeof(w));
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return __UNCONST(p);
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return __UNCONST(s);
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return __UNCONST(last);
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

int
strtoull_sfx(const char *s, unsigned long long *vp)
{
	unsigned long long v = 0, base = 10, digit, shift = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return EINVAL;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = (unsigned long long)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = (unsigned long long)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = (unsigned long long)(*s - 'A' + 10);
		else
			break;
		if (v > (~0ULL - digit) / base)
			return ERANGE;
		v = v * base + digit;
	}
	switch (*s) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return EINVAL;
	}
	if (shift != 0 && s[1] != '\0')
		return EINVAL;
	if (shift != 0 && v > (~0ULL >> shift))
		return ERANGE;
	*vp = v << shift;
	return 0;
}

int
strtoll_dec(const char *s, long long *vp)
{
	unsigned long long v;
	bool neg = false;
	int error;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s < '0' || *s > '9')
		return EINVAL;
	for (const char *p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return EINVAL;
	if ((error = strtoull_sfx(s, &v)) != 0)
		return error;
	if (v > (unsigned long long)INT64_MAX)
		return ERANGE;
	*vp = neg ? -(long long)v : (long long)v;
	return 0;
}
