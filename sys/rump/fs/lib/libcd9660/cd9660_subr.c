/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What every part of cd9660 shares: the one corruption report, reads of
 * the device with the bounds check that makes a position from the image
 * safe to use, and the two date formats of ECMA-119.
 */
#include <sys/systm.h>

#include "cd9660.h"

/*
 * Report a corrupt image: one log line, and EIO for the caller to
 * return.  Every rejection of image bytes goes through here, so it is
 * the place for a breakpoint when an image is refused.
 */
int
cd9660_corrupt(const struct cd9660 *iso, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log(LOG_ERR, "cd9660: corrupt image (%llu bytes): %s",
	    iso != NULL ? (unsigned long long)iso->iso_dev.cd_size : 0ULL,
	    msg);
	return EIO;
}

/* Whether bytes [off, off + len) are inside the device. */
bool
cd9660_range_ok(const struct cd9660 *iso, uint64_t off, uint64_t len)
{
	return off <= iso->iso_dev.cd_size &&
	    len <= iso->iso_dev.cd_size - off;
}

/* Read len bytes at byte offset off, which came from the image. */
int
cd9660_devread(const struct cd9660 *iso, uint64_t off, void *buf, size_t len)
{
	if (!cd9660_range_ok(iso, off, len))
		return cd9660_corrupt(iso, "read of %zu bytes at %llu past the "
		    "end of the image", len, (unsigned long long)off);
	return iso->iso_dev.cd_read(iso->iso_dev.cd_cookie, off, buf, len);
}

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Seconds since 1970 of a date and time at GMT offset gmtoff (15-minute
 * units); false when the fields are out of range (the date is then
 * taken as not given: 0).
 */
static bool
to_epoch(int64_t y, int mo, int d, int h, int mi, int s, int gmtoff,
    int64_t *secp)
{
	static const uint16_t before[12] = { 0, 31, 59, 90, 120, 151, 181, 212,
		243, 273, 304, 334 };
	int64_t yy = y - 1, days;

	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 60 || gmtoff < -48 ||
	    gmtoff > 52)
		return false;
	days = 365 * (y - 1970) + (yy / 4 - yy / 100 + yy / 400) -
	    (1969 / 4 - 1969 / 100 + 1969 / 400);
	days += before[mo - 1] + d - 1;
	if (mo > 2 && leap(y))
		days++;
	*secp = ((days * 24 + h) * 60 + mi) * 60 + s - (int64_t)gmtoff * 900;
	return true;
}

/* A 7-byte date of a directory record or a short TF date. */
void
cd9660_date7(const uint8_t *p, struct timespec *ts)
{
	int64_t sec;

	ts->tv_nsec = 0;
	if (!to_epoch(1900 + p[0], p[1], p[2], p[3], p[4], p[5], (int8_t)p[6],
	    &sec))
		sec = 0;
	ts->tv_sec = (time_t)sec;
}

static int
digits(const uint8_t *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* A 17-byte date of a volume descriptor or a long TF date. */
void
cd9660_date17(const uint8_t *p, struct timespec *ts)
{
	int64_t sec;
	int y = digits(p, 4), cs = digits(p + 14, 2);

	ts->tv_sec = 0;
	ts->tv_nsec = 0;
	if (y <= 0 || cs < 0 || !to_epoch(y, digits(p + 4, 2),
	    digits(p + 6, 2), digits(p + 8, 2), digits(p + 10, 2),
	    digits(p + 12, 2), (int8_t)p[16], &sec))
		return;
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = cs * 10000000L;
}
