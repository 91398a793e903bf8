/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The MBR reader (format in disk_format.h): the four primary
 * partitions, numbered 1-4 by their slot, and the logical partitions of
 * the extended one, numbered from 5 in chain order, as Linux numbers
 * them.  The extended partition itself is a container and gets no
 * device.  A protective MBR hands over to the GPT reader.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "disk_format.h"
#include "disk_private.h"

static bool
mbr_isext(unsigned type)
{
	return type == MBR_TYPE_EXT || type == MBR_TYPE_EXT_LBA ||
	    type == MBR_TYPE_EXT_LINUX;
}

/* Walk the EBR chain of the extended partition at [ext, ext + extn). */
static int
mbr_logical(struct disk_scan *ds, uint8_t *sec, uint64_t ext, uint64_t extn)
{
	struct rump_diskpart *dp;
	const uint8_t *e1, *e2;
	uint64_t ebr = ext, next;
	unsigned index;
	int error;

	for (index = 5; index < 5 + MBR_MAXLOGICAL; index++) {
		if ((error = ds->ds_read(ds, ebr, sec, 1)) != 0)
			return error;
		if (sec[MBR_SIG_OFF] != 0x55 || sec[MBR_SIG_OFF + 1] != 0xaa) {
			log(LOG_WARNING, "disk: %s: extended partition link at "
			    "sector %llu has no signature; chain ends\n",
			    ds->ds_name, (unsigned long long)ebr);
			return 0;
		}
		e1 = sec + MBR_PART_OFF;
		e2 = e1 + MBR_ENTRY_SIZE;
		if (e1[MBR_E_TYPE] != 0 && disk_le32(e1 + MBR_E_SIZE) != 0)
			disk_addpart(ds, index, RUMP_DISK_MBR,
			    ebr + disk_le32(e1 + MBR_E_START),
			    disk_le32(e1 + MBR_E_SIZE), &dp);
		else
			dp = NULL;
		if (dp != NULL)
			dp->dp_mbrtype = e1[MBR_E_TYPE];
		if (!mbr_isext(e2[MBR_E_TYPE]) || disk_le32(e2 + MBR_E_SIZE) == 0)
			return 0;
		next = ext + disk_le32(e2 + MBR_E_START);
		/* Links go forward inside the container: no loops. */
		if (next <= ebr || next >= ext + extn) {
			log(LOG_WARNING, "disk: %s: extended partition link at "
			    "sector %llu points outside or back; chain ends\n",
			    ds->ds_name, (unsigned long long)ebr);
			return 0;
		}
		ebr = next;
	}
	log(LOG_WARNING, "disk: %s: more than %d logical partitions; "
	    "the rest are ignored\n", ds->ds_name, MBR_MAXLOGICAL);
	return 0;
}

int
disk_scan_mbr(struct disk_scan *ds)
{
	struct rump_diskpart *dp;
	uint64_t start, nsec, ext = 0, extn = 0;
	const uint8_t *e;
	uint8_t *sec;
	unsigned i, type;
	int error;

	ds->ds_scheme = RUMP_DISK_NONE;
	ds->ds_count = 0;
	if (ds->ds_nsec < 1)
		return 0;
	if ((sec = kmem_alloc(DISK_SECSIZE, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ds->ds_read(ds, 0, sec, 1)) != 0)
		goto out;
	if (sec[MBR_SIG_OFF] != 0x55 || sec[MBR_SIG_OFF + 1] != 0xaa)
		goto out;
	for (i = 0; i < MBR_NPART; i++) {
		e = sec + MBR_PART_OFF + i * MBR_ENTRY_SIZE;
		if (e[MBR_E_TYPE] == MBR_TYPE_GPT) {
			kmem_free(sec, DISK_SECSIZE);
			return disk_scan_gpt(ds);
		}
	}
	/* A table whose entries are all empty is no table either. */
	ds->ds_scheme = RUMP_DISK_MBR;
	for (i = 0; i < MBR_NPART; i++) {
		e = sec + MBR_PART_OFF + i * MBR_ENTRY_SIZE;
		type = e[MBR_E_TYPE];
		start = disk_le32(e + MBR_E_START);
		nsec = disk_le32(e + MBR_E_SIZE);
		if (type == 0 || nsec == 0 || start == 0)
			continue;
		if (mbr_isext(type)) {
			if (extn != 0) {
				log(LOG_WARNING, "disk: %s: second extended "
				    "partition %u ignored\n", ds->ds_name,
				    i + 1);
				continue;
			}
			ext = start;
			extn = nsec;
			continue;
		}
		disk_addpart(ds, i + 1, RUMP_DISK_MBR, start, nsec, &dp);
		if (dp != NULL)
			dp->dp_mbrtype = type;
	}
	if (extn != 0) {
		if (ext >= ds->ds_nsec)
			log(LOG_WARNING, "disk: %s: extended partition starts "
			    "past the end of the disk; ignored\n",
			    ds->ds_name);
		else
			error = mbr_logical(ds, sec, ext, extn);
	}
	if (ds->ds_count == 0 && extn == 0)
		ds->ds_scheme = RUMP_DISK_NONE;
out:
	kmem_free(sec, DISK_SECSIZE);
	return error;
}
