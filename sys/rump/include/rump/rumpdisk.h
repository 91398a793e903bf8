/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Disk partitions (librumpdev, rump_disk(3)).  The kernel reads the
 * partition table of a block device and makes each partition a block
 * device of its own: a window of the disk (offset and size) through
 * which every transfer is checked and shifted.
 *
 * rump_pub_disk_scan(disk, parts, n, countp) reads the table of the
 * block device node disk (a kernel path, e.g. an etfs key registered as
 * RUMP_ETFS_BLK): an MBR with its primary partitions and the logical
 * ones of an extended partition, numbered 1-4 and 5 on as Linux does,
 * or, behind a protective MBR (type 0xee), a GPT, numbered from 1 in
 * entry order (unused entries keep their number free).  The GPT header
 * and entry array CRC32s are checked; a bad primary header or array is
 * replaced by the backup at the disk's last sector, with a log line.
 * A partition that starts past the end of the disk is left out, one
 * that runs past the end is cut at the end (as Linux does), each with a
 * log line.
 *
 * For partition N it makes the block device node "<disk>p<N>" (mode
 * 0600, owned by root) unless one is there, and fills the first n of
 * parts in order; *countp is how many there are (0: no partition
 * table).  Calling it again rescans: nodes of partitions no longer
 * there go, those open are kept.  rump_pub_disk_forget(disk) removes
 * every partition node of disk: EBUSY while one is open.
 *
 * Errors: ENOENT (no disk), ENOTBLK (not a block device), EIO (the disk
 * cannot be read), EINVAL (a table that contradicts itself, logged),
 * ENOMEM.
 */
#ifndef _RUMP_RUMPDISK_H_
#define _RUMP_RUMPDISK_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUMP_DISK_NONE 0
#define RUMP_DISK_MBR  1
#define RUMP_DISK_GPT  2

#define RUMP_DISKPART_CLIPPED 0x01      /* cut at the end of the disk */

struct rump_diskpart {
	unsigned dp_index;              /* N of "<disk>p<N>" */
	unsigned dp_scheme;             /* RUMP_DISK_MBR or _GPT */
	unsigned dp_flags;              /* RUMP_DISKPART_* */
	unsigned dp_mbrtype;            /* MBR system id; 0 on GPT */
	uint64_t dp_offset;             /* bytes from the disk's start */
	uint64_t dp_size;               /* bytes */
	uint8_t dp_typeguid[16];        /* GPT type GUID, as on disk */
	char dp_label[112];             /* GPT name in UTF-8; "" on MBR */
	char dp_path[128];              /* the partition's device node */
};

__attribute__((__visibility__("default")))
int rump_pub_disk_scan(const char *disk, struct rump_diskpart *parts,
    unsigned n, unsigned *countp);
__attribute__((__visibility__("default")))
int rump_pub_disk_forget(const char *disk);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPDISK_H_ */
