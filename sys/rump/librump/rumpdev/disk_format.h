/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Partition table formats, as the kernel reads them (disk_mbr.c,
 * disk_gpt.c).  Sectors are 512 bytes; every integer is little-endian.
 *
 * MBR (sector 0), and an EBR (first sector of each logical partition's
 * link in the extended chain), same layout:
 *   446  four 16-byte entries:
 *          0  status (0x80 bootable)     1 CHS start (ignored)
 *          4  system id (type)           5 CHS end (ignored)
 *          8  le32 first sector          12 le32 number of sectors
 *   510  0x55 0xaa
 * In the MBR a first sector is absolute.  Types 0x05, 0x0f and 0x85 mark
 * the extended partition; its first EBR is at its first sector.  In an
 * EBR, entry 1 is a logical partition whose first sector counts from
 * that EBR; entry 2 (type 0x05 or 0x0f) links the next EBR, counting
 * from the start of the extended partition; no entry 2 ends the chain.
 * Type 0xee over the disk is the protective MBR in front of a GPT.
 *
 * GPT header (sector 1, the backup at the last sector; UEFI spec 5.3):
 *   0  "EFI PART"                 8  le32 revision
 *   12 le32 header size (>= 92)   16 le32 CRC32 of the header, with
 *                                    this field zero while computing
 *   24 le64 this header's sector  32 le64 the other header's sector
 *   40 le64 first usable sector   48 le64 last usable sector
 *   56 disk GUID (16)             72 le64 first sector of the entries
 *   80 le32 number of entries     84 le32 entry size (128 << n)
 *   88 le32 CRC32 of the entry array (number * size bytes)
 * Entry:
 *   0  type GUID (all zero: unused)   16 unique GUID
 *   32 le64 first sector              40 le64 last sector (inclusive)
 *   48 le64 attributes                56 name, 36 UTF-16LE code units
 * The CRC32 is IEEE 802.3's (reflected 0xedb88320, init and final
 * xor 0xffffffff).
 */
#ifndef _RUMPDEV_DISK_FORMAT_H_
#define _RUMPDEV_DISK_FORMAT_H_

#include <sys/types.h>

#define DISK_SECSIZE       512

#define MBR_PART_OFF       446
#define MBR_NPART          4
#define MBR_ENTRY_SIZE     16
#define MBR_SIG_OFF        510
#define MBR_E_TYPE         4
#define MBR_E_START        8
#define MBR_E_SIZE         12
#define MBR_TYPE_EXT       0x05
#define MBR_TYPE_EXT_LBA   0x0f
#define MBR_TYPE_EXT_LINUX 0x85
#define MBR_TYPE_GPT       0xee
#define MBR_MAXLOGICAL     124          /* 5 .. 128 */

#define GPT_SIG            "EFI PART"
#define GPT_H_SIZE         12
#define GPT_H_CRC          16
#define GPT_H_MYLBA        24
#define GPT_H_ALTLBA       32
#define GPT_H_FIRST        40
#define GPT_H_LAST         48
#define GPT_H_ENTLBA       72
#define GPT_H_NENT         80
#define GPT_H_ENTSIZE      84
#define GPT_H_ENTCRC       88
#define GPT_H_MINSIZE      92
#define GPT_E_FIRST        32
#define GPT_E_LAST         40
#define GPT_E_NAME         56
#define GPT_E_NAMELEN      36           /* UTF-16 code units */
#define GPT_MINENTSIZE     128
#define GPT_MAXENTBYTES    (1024 * 1024)

#endif /* _RUMPDEV_DISK_FORMAT_H_ */
