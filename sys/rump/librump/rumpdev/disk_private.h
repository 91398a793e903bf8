/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the partition readers (disk_mbr.c, disk_gpt.c) and the partition
 * driver (dk.c) share.  A reader fills a struct disk_scan from the
 * disk's sectors and never touches a device itself: it asks for sectors
 * through ds_read, which the driver implements on the parent device.
 */
#ifndef _RUMPDEV_DISK_PRIVATE_H_
#define _RUMPDEV_DISK_PRIVATE_H_

#include <sys/types.h>
#include <rump/rumpdisk.h>

#define DISK_MAXPART 128

struct disk_scan {
	const char *ds_name;            /* the disk, for log lines */
	uint64_t ds_nsec;               /* the disk's size in sectors */
	/* Read n sectors from sector sec: 0 or an errno. */
	int (*ds_read)(struct disk_scan *, uint64_t sec, void *buf,
	    size_t n);
	void *ds_arg;
	unsigned ds_scheme;             /* RUMP_DISK_* found */
	unsigned ds_count;              /* filled in ds_parts */
	struct rump_diskpart ds_parts[DISK_MAXPART];
};

/*
 * Read the MBR, and the GPT behind a protective one: 0 with the table
 * (maybe none) in ds, or an errno.
 */
int disk_scan_mbr(struct disk_scan *);
int disk_scan_gpt(struct disk_scan *);

/*
 * Add partition index at sectors [start, start + nsec) of the disk,
 * cut or refused (with a log line) where it runs past the disk's end.
 */
void disk_addpart(struct disk_scan *, unsigned index, unsigned scheme,
    uint64_t start, uint64_t nsec, struct rump_diskpart **dpp);

uint32_t disk_crc32(const void *, size_t);

static inline uint32_t
disk_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
disk_le64(const uint8_t *p)
{
	return (uint64_t)disk_le32(p) | (uint64_t)disk_le32(p + 4) << 32;
}

#endif /* _RUMPDEV_DISK_PRIVATE_H_ */
