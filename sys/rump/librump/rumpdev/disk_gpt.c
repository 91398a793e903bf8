/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The GPT reader (format in disk_format.h, UEFI spec 5.3): the primary
 * header at sector 1 and its entry array, both checked by CRC32; if
 * either is bad, the backup header at the disk's last sector and its
 * array, with one log line.  Partition N is entry N-1; unused entries
 * keep their numbers free.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "disk_format.h"
#include "disk_private.h"

uint32_t
disk_crc32(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffU;
	int k;

	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1)));
	}
	return crc ^ 0xffffffffU;
}

/* UTF-16LE name to UTF-8, stopping at the first NUL. */
static void
gpt_name(const uint8_t *in, char *out, size_t outsize)
{
	size_t o = 0, i;
	uint32_t c, c2;

	for (i = 0; i < GPT_E_NAMELEN; i++) {
		c = (uint32_t)in[2 * i] | (uint32_t)in[2 * i + 1] << 8;
		if (c == 0)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < GPT_E_NAMELEN) {
			c2 = (uint32_t)in[2 * i + 2] |
			    (uint32_t)in[2 * i + 3] << 8;
			if (c2 >= 0xdc00 && c2 < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (c2 - 0xdc00);
				i++;
			} else
				c = '?';
		} else if (c >= 0xd800 && c < 0xe000)
			c = '?';
		if (c < 0x80 && o + 1 < outsize)
			out[o++] = (char)c;
		else if (c < 0x800 && o + 2 < outsize) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000 && c >= 0x800 && o + 3 < outsize) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c >= 0x10000 && o + 4 < outsize) {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else
			break;
	}
	out[o] = '\0';
}

/*
 * Read and check the header at sector lba and its entry array: 0 with
 * the array in *entp (kmem, *entlenp bytes) and the header in hdr, or
 * a short reason.
 */
static const char *
gpt_load(struct disk_scan *ds, uint64_t lba, uint8_t *hdr, uint8_t **entp,
    size_t *entlenp, int *errorp)
{
	uint32_t hsize, crc, nent, entsize;
	uint64_t entlba;
	size_t len;
	uint8_t *ent;

	*entp = NULL;
	if ((*errorp = ds->ds_read(ds, lba, hdr, 1)) != 0)
		return "unreadable";
	if (memcmp(hdr, GPT_SIG, 8) != 0)
		return "no signature";
	hsize = disk_le32(hdr + GPT_H_SIZE);
	if (hsize < GPT_H_MINSIZE || hsize > DISK_SECSIZE)
		return "bad header size";
	crc = disk_le32(hdr + GPT_H_CRC);
	memset(hdr + GPT_H_CRC, 0, 4);
	if (disk_crc32(hdr, hsize) != crc)
		return "header CRC mismatch";
	if (disk_le64(hdr + GPT_H_MYLBA) != lba)
		return "header in the wrong place";
	nent = disk_le32(hdr + GPT_H_NENT);
	entsize = disk_le32(hdr + GPT_H_ENTSIZE);
	entlba = disk_le64(hdr + GPT_H_ENTLBA);
	if (entsize < GPT_MINENTSIZE || entsize % 8 != 0 ||
	    (uint64_t)nent * entsize > GPT_MAXENTBYTES || nent == 0)
		return "bad entry array geometry";
	len = (size_t)nent * entsize;
	len = (len + DISK_SECSIZE - 1) / DISK_SECSIZE * DISK_SECSIZE;
	if (entlba < 1 || entlba >= ds->ds_nsec ||
	    len / DISK_SECSIZE > ds->ds_nsec - entlba)
		return "entry array outside the disk";
	if ((ent = kmem_alloc(len, KM_SLEEP)) == NULL) {
		*errorp = ENOMEM;
		return "no memory";
	}
	if ((*errorp = ds->ds_read(ds, entlba, ent,
	    len / DISK_SECSIZE)) != 0) {
		kmem_free(ent, len);
		return "entry array unreadable";
	}
	if (disk_crc32(ent, (size_t)nent * entsize) !=
	    disk_le32(hdr + GPT_H_ENTCRC)) {
		kmem_free(ent, len);
		return "entry array CRC mismatch";
	}
	*entp = ent;
	*entlenp = len;
	return NULL;
}

int
disk_scan_gpt(struct disk_scan *ds)
{
	struct rump_diskpart *dp;
	const char *why, *why2;
	uint64_t first, last;
	uint32_t nent, entsize, i;
	uint8_t *hdr, *ent, *e;
	size_t entlen;
	int error, error2;

	if (ds->ds_nsec < 3)
		return 0;
	if ((hdr = kmem_alloc(DISK_SECSIZE, KM_SLEEP)) == NULL)
		return ENOMEM;
	why = gpt_load(ds, 1, hdr, &ent, &entlen, &error);
	if (why != NULL) {
		why2 = gpt_load(ds, ds->ds_nsec - 1, hdr, &ent, &entlen,
		    &error2);
		if (why2 != NULL) {
			log(LOG_ERR, "disk: %s: GPT unusable: primary %s, "
			    "backup %s\n", ds->ds_name, why, why2);
			kmem_free(hdr, DISK_SECSIZE);
			return error != 0 ? error : error2 != 0 ? error2 :
			    EINVAL;
		}
		log(LOG_WARNING, "disk: %s: primary GPT %s; using the backup "
		    "at sector %llu\n", ds->ds_name, why,
		    (unsigned long long)(ds->ds_nsec - 1));
	}
	ds->ds_scheme = RUMP_DISK_GPT;
	nent = disk_le32(hdr + GPT_H_NENT);
	entsize = disk_le32(hdr + GPT_H_ENTSIZE);
	for (i = 0; i < nent && i < DISK_MAXPART; i++) {
		e = ent + (size_t)i * entsize;
		if (memcmp(e, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0)
			continue;
		first = disk_le64(e + GPT_E_FIRST);
		last = disk_le64(e + GPT_E_LAST);
		if (last < first || first == 0) {
			log(LOG_WARNING, "disk: %s: GPT entry %u has an "
			    "impossible range; ignored\n", ds->ds_name, i + 1);
			continue;
		}
		disk_addpart(ds, i + 1, RUMP_DISK_GPT, first,
		    last - first + 1, &dp);
		if (dp == NULL)
			continue;
		memcpy(dp->dp_typeguid, e, 16);
		gpt_name(e + GPT_E_NAME, dp->dp_label, sizeof(dp->dp_label));
	}
	kmem_free(ent, entlen);
	kmem_free(hdr, DISK_SECSIZE);
	return 0;
}
