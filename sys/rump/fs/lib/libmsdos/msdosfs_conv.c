/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Conversions between what the system calls see and what FAT stores:
 * names (UTF-8 at the syscall boundary, UTF-16 in long-name entries,
 * upper-case 8.3 bytes in short entries with the Windows NT case bits)
 * and times (seconds since 1970 UTC against FAT's local date and time
 * words, shifted by the mount's gmtoff).
 *
 * Short names hold ASCII only here: a character outside it becomes '_'
 * in a generated name (a lossy conversion, so the name gets a "~N"
 * tail, fatgen103 "Basis-Name Generation"), and a short-only entry's
 * bytes above 0x7F are read as Latin-1.  Case folding for lookups is
 * ASCII and Latin-1.  Pure functions: no locks.
 */
#include <sys/systm.h>

#include "msdosfs.h"

int
msdosfs_utf8_to_ucs2(const char *nm, size_t len, uint16_t *out,
    size_t *outlen)
{
	const uint8_t *s = (const uint8_t *)nm;
	size_t i = 0, n = 0, k, need;
	uint32_t c;

	while (i < len) {
		c = s[i];
		if (c < 0x80)
			need = 0;
		else if ((c & 0xE0) == 0xC0) {
			need = 1;
			c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2;
			c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3;
			c &= 0x07;
		} else
			return EINVAL;
		if (need > 0 && i + need >= len)
			return EINVAL;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return EINVAL;
			c = c << 6 | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and beyond Unicode are bad. */
		if ((need == 1 && c < 0x80) || (need == 2 && c < 0x800) ||
		    (need == 3 && c < 0x10000) || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return EINVAL;
		i += need + 1;
		if (c >= 0x10000) {
			if (n + 2 > LFN_MAXCHARS)
				return ENAMETOOLONG;
			c -= 0x10000;
			out[n++] = (uint16_t)(0xD800 | (c >> 10));
			out[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
		} else {
			if (n + 1 > LFN_MAXCHARS)
				return ENAMETOOLONG;
			out[n++] = (uint16_t)c;
		}
	}
	*outlen = n;
	return 0;
}

size_t
msdosfs_ucs2_to_utf8(const uint16_t *in, size_t n, char *out)
{
	size_t i, o = 0;
	uint32_t c;

	for (i = 0; i < n; i++) {
		c = in[i];
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n &&
		    in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
			c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] -
			    0xDC00);
			i++;
		}
		if (c < 0x80)
			out[o++] = (char)c;
		else if (c < 0x800) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xE0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[o] = '\0';
	return o;
}

uint16_t
msdosfs_upcase(uint16_t c)
{
	if (c >= 'a' && c <= 'z')
		return (uint16_t)(c - 32);
	/* Latin-1 lower case letters, but for the division sign. */
	if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
		return (uint16_t)(c - 32);
	return c;
}

static uint16_t
downcase(uint16_t c)
{
	if (c >= 'A' && c <= 'Z')
		return (uint16_t)(c + 32);
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return (uint16_t)(c + 32);
	return c;
}

uint8_t
msdosfs_lfn_chksum(const uint8_t *name11)
{
	uint8_t sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name11[i]);
	return sum;
}

size_t
msdosfs_short_to_ucs2(const uint8_t *name11, uint8_t ntres, uint16_t *out)
{
	size_t n = 0, i, end;
	uint16_t c;

	for (end = 8; end > 0 && name11[end - 1] == ' '; end--)
		;
	for (i = 0; i < end; i++) {
		c = name11[i];
		if (i == 0 && c == SLOT_E5)
			c = 0xE5;
		out[n++] = (ntres & NTRES_LCASE_BASE) ? downcase(c) : c;
	}
	for (end = 11; end > 8 && name11[end - 1] == ' '; end--)
		;
	if (end > 8) {
		out[n++] = '.';
		for (i = 8; i < end; i++)
			out[n++] = (ntres & NTRES_LCASE_EXT) ?
			    downcase(name11[i]) : name11[i];
	}
	return n;
}

bool
msdosfs_lfn_valid(const uint16_t *name, size_t n)
{
	size_t i;

	if (n == 0 || (name[0] == '.' && (n == 1 || (n == 2 &&
	    name[1] == '.'))))
		return false;
	for (i = 0; i < n; i++) {
		if (name[i] < 0x20)
			return false;
		switch (name[i]) {
		case '/': case '\\': case ':': case '*': case '?': case '"':
		case '<': case '>': case '|':
			return false;
		}
	}
	return true;
}

/* Characters an 8.3 name may hold (besides letters and digits). */
static bool
short_ok(uint16_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != 0 && strchr("$%'-_@~`!(){}^#&", (int)c) != NULL &&
	    c < 0x80;
}

/* The case of the letters of name[0..n): 1 lower, 2 upper, 3 mixed. */
static int
partcase(const uint16_t *name, size_t n)
{
	int k = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (name[i] >= 'a' && name[i] <= 'z')
			k |= 1;
		else if (name[i] >= 'A' && name[i] <= 'Z')
			k |= 2;
	}
	return k;
}

bool
msdosfs_fits83(const uint16_t *name, size_t n, uint8_t *name11,
    uint8_t *ntres)
{
	size_t dot = n, i, blen, elen;

	for (i = 0; i < n; i++) {
		if (name[i] == '.') {
			if (dot != n)
				return false;
			dot = i;
		} else if (!short_ok(name[i]))
			return false;
	}
	blen = dot;
	elen = dot == n ? 0 : n - dot - 1;
	if (blen == 0 || blen > 8 || elen > 3 || (dot != n && elen == 0))
		return false;
	if (partcase(name, blen) == 3 ||
	    partcase(name + dot + 1, elen) == 3)
		return false;
	memset(name11, ' ', 11);
	for (i = 0; i < blen; i++)
		name11[i] = (uint8_t)msdosfs_upcase(name[i]);
	for (i = 0; i < elen; i++)
		name11[8 + i] = (uint8_t)msdosfs_upcase(name[dot + 1 + i]);
	if (name11[0] == 0xE5)
		name11[0] = SLOT_E5;
	*ntres = 0;
	if (partcase(name, blen) == 1)
		*ntres |= NTRES_LCASE_BASE;
	if (elen > 0 && partcase(name + dot + 1, elen) == 1)
		*ntres |= NTRES_LCASE_EXT;
	return true;
}

/* One character of a basis name: upper case, '_' if not allowed. */
static uint8_t
basis_char(uint16_t c)
{
	c = msdosfs_upcase(c);
	if (c >= 0x80 || c < 0x20 || !short_ok(c))
		return '_';
	return (uint8_t)c;
}

void
msdosfs_basis83(const uint16_t *name, size_t n, uint8_t *name11,
    size_t *baselen)
{
	size_t i, dot = n, b = 0, e = 0;

	memset(name11, ' ', 11);
	for (i = n; i > 0; i--)
		if (name[i - 1] == '.') {
			dot = i - 1;
			break;
		}
	/* Leading periods and every space are dropped. */
	for (i = 0; i < dot && b < 8; i++) {
		if (name[i] == ' ' || name[i] == '.')
			continue;
		name11[b++] = basis_char(name[i]);
	}
	for (i = dot + 1; i < n && e < 3; i++) {
		if (name[i] == ' ' || name[i] == '.')
			continue;
		name11[8 + e++] = basis_char(name[i]);
	}
	if (b == 0)
		name11[b++] = '_';
	if (name11[0] == 0xE5)
		name11[0] = SLOT_E5;
	*baselen = b;
}

void
msdosfs_tail83(uint8_t *name11, size_t baselen, unsigned n)
{
	char tail[12];
	size_t tl, at;

	tl = (size_t)snprintf(tail, sizeof(tail), "~%u", n);
	at = MIN(baselen, 8 - tl);
	memcpy(name11 + at, tail, tl);
	memset(name11 + at + tl, ' ', 8 - at - tl);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* FAT's range: 1980-01-01 00:00:00 to 2107-12-31 23:59:59 local. */
#define DOS_MIN 315532800LL
#define DOS_MAX 4354819199LL

void
msdosfs_time_to_dos(const struct msdosfs_mount *pm,
    const struct timespec *ts, uint16_t *date, uint16_t *time,
    uint8_t *tenth)
{
	int64_t t = ts->tv_sec + pm->pm_gmtoff, y, days, secs;
	long nsec = ts->tv_nsec;
	unsigned m, d;

	if (t < DOS_MIN) {
		t = DOS_MIN;
		nsec = 0;
	} else if (t > DOS_MAX) {
		t = DOS_MAX;
		nsec = 999999999;
	}
	days = t / 86400;
	secs = t % 86400;
	civil_from_days(days, &y, &m, &d);
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
	*time = (uint16_t)(secs / 3600 << 11 | (secs / 60 % 60) << 5 |
	    (secs % 60) / 2);
	if (tenth != NULL)
		*tenth = (uint8_t)((secs % 2) * 100 + nsec / 10000000);
}

void
msdosfs_dos_to_time(const struct msdosfs_mount *pm, uint16_t date,
    uint16_t time, uint8_t tenth, struct timespec *ts)
{
	unsigned m = (date >> 5) & 0xF, d = date & 0x1F;
	unsigned hh = time >> 11, mm = (time >> 5) & 0x3F, ss = (time & 0x1F) * 2;
	int64_t t;

	/* A date of 0 (never set) is the epoch of FAT. */
	if (m < 1 || m > 12)
		m = 1;
	if (d < 1)
		d = 1;
	t = days_from_civil(1980 + (date >> 9), m, d) * 86400;
	t += (int64_t)MIN(hh, 23) * 3600 + MIN(mm, 59) * 60 + MIN(ss, 58);
	if (tenth > 199)
		tenth = 0;
	t += tenth / 100;
	ts->tv_sec = (time_t)(t - pm->pm_gmtoff);
	ts->tv_nsec = (long)(tenth % 100) * 10000000;
}
