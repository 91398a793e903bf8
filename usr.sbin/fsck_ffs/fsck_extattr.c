/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The records of a UFS2 extended attribute area (the format:
 * ffs_format.h): back to back from the start, covering di_extsize
 * exactly, each a multiple of 8 bytes long with a name of 1 to 255
 * bytes (no NUL) inside it (checked before it is looked at) and its
 * value inside it, padded as its contentpadlen says.  Phase 1 reads
 * the area (fsck_pass1.c) and asks here; a bad area is cleared with -y.
 */
#include <string.h>

#include "fsck.h"

const char *
ea_badrecord(const unsigned char *area, size_t len, size_t *offp)
{
	size_t off, reclen, hdr, pad, namelen;

	for (off = 0; off < len; off += reclen) {
		*offp = off;
		if (len - off < 8)
			return "truncated record";
		reclen = ffsu_get32(&fk.fs, area + off + EA_LENGTH);
		pad = area[off + EA_CONTENTPADLEN];
		namelen = area[off + EA_NAMELENGTH];
		hdr = EA_HDRLEN(namelen);
		if (reclen % 8 != 0 || reclen > len - off)
			return "record length";
		if (namelen == 0 || hdr > reclen ||
		    memchr(area + off + EA_NAME, '\0', namelen) != NULL)
			return "name";
		if (hdr + pad > reclen || pad > 7)
			return "value length";
	}
	return NULL;
}
