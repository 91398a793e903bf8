/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The FAT file system on disk, as Microsoft's "FAT: General Overview
 * of On-Disk Format" (fatgen103) describes it, with the VFAT long-name
 * entries.  All integers are little-endian; offsets are in bytes.
 *
 * Layout, in sectors of BPB_BytsPerSec bytes (512, 1024, 2048, 4096):
 *
 *	0                     boot sector with the BPB (below)
 *	RsvdSecCnt            NumFATs copies of the FAT, FATSz sectors each
 *	... + NumFATs*FATSz   FAT12/16: the root directory, RootEntCnt
 *	                      entries of 32 bytes (FAT32: 0, the root is a
 *	                      cluster chain starting at BPB_RootClus)
 *	first data sector     clusters 2, 3, ... of SecPerClus sectors
 *
 * The FAT type follows from the count of data clusters alone (fatgen103
 * "FAT Type Determination"): fewer than 4085 is FAT12, fewer than 65525
 * FAT16, else FAT32.  FAT entries are 12 bits (entry n at byte n*3/2,
 * the low 12 bits of the 16-bit word when n is even, the high 12 when
 * odd), 16 bits, or 32 bits of which the low 28 count.  Entry values:
 * 0 free, 2..max a next cluster, BAD (0xFF7, 0xFFF7, 0x0FFFFFF7) a bad
 * cluster, >= EOC_MIN (0xFF8, 0xFFF8, 0x0FFFFFF8) the end of a chain.
 * Entry 0 holds the media byte; entry 1 the end-of-chain mark, whose
 * top bits on FAT16 (0x8000) and FAT32 (0x08000000) say the volume was
 * cleanly unmounted ("ClnShutBitMask"); the next bit down is the
 * "no disk error" bit.  A chain's length must match the file size.
 * Every copy of the FAT holds the same bytes (no BPB_ExtFlags
 * mirroring is used).
 *
 * Boot sector (BS/BPB fields):
 */
#ifndef _MSDOSFS_FORMAT_H_
#define _MSDOSFS_FORMAT_H_

#define BS_JMPBOOT      0       /* 3: 0xEB ?? 0x90 or 0xE9 ?? ?? */
#define BS_OEMNAME      3       /* 8 */
#define BPB_BYTSPERSEC  11      /* 2: 512, 1024, 2048, 4096 */
#define BPB_SECPERCLUS  13      /* 1: a power of two, 1..128 */
#define BPB_RSVDSECCNT  14      /* 2: >= 1 */
#define BPB_NUMFATS     16      /* 1: >= 1, usually 2 */
#define BPB_ROOTENTCNT  17      /* 2: FAT12/16 root entries; FAT32: 0 */
#define BPB_TOTSEC16    19      /* 2: sectors, or 0: see TotSec32 */
#define BPB_MEDIA       21      /* 1: 0xF0, 0xF8..0xFF */
#define BPB_FATSZ16     22      /* 2: sectors per FAT; FAT32: 0 */
#define BPB_SECPERTRK   24      /* 2 */
#define BPB_NUMHEADS    26      /* 2 */
#define BPB_HIDDSEC     28      /* 4 */
#define BPB_TOTSEC32    32      /* 4 */
/* FAT12 and FAT16 from byte 36 */
#define BS16_DRVNUM     36      /* 1 */
#define BS16_RESERVED1  37      /* 1: bit 0 set by Linux while dirty */
#define BS16_BOOTSIG    38      /* 1: 0x29 if the next three are there */
#define BS16_VOLID      39      /* 4 */
#define BS16_VOLLAB     43      /* 11: space padded, "NO NAME    " */
#define BS16_FILSYSTYPE 54      /* 8: "FAT12   ", informative only */
/* FAT32 from byte 36 */
#define BPB32_FATSZ32   36      /* 4 */
#define BPB32_EXTFLAGS  40      /* 2: bit 7 set: only one FAT active */
#define BPB32_FSVER     42      /* 2: 0 */
#define BPB32_ROOTCLUS  44      /* 4: first cluster of the root */
#define BPB32_FSINFO    48      /* 2: sector of FSInfo, usually 1 */
#define BPB32_BKBOOTSEC 50      /* 2: sector of the boot copy, 6 or 0 */
#define BS32_DRVNUM     64
#define BS32_RESERVED1  65      /* bit 0 set by Linux while dirty */
#define BS32_BOOTSIG    66
#define BS32_VOLID      67
#define BS32_VOLLAB     71
#define BS32_FILSYSTYPE 82      /* "FAT32   " */
#define BS_SIGNATURE    510     /* 2: 0x55 0xAA */
#define BS_RESERVED1_DIRTY 0x01

/*
 * FSInfo sector (FAT32): hints, never trusted for correctness.  Free
 * count 0xFFFFFFFF means unknown; the next-free hint is where to start
 * looking for a free cluster.
 */
#define FSI_LEADSIG     0       /* 4: 0x41615252 */
#define FSI_STRUCSIG    484     /* 4: 0x61417272 */
#define FSI_FREE_COUNT  488     /* 4 */
#define FSI_NXT_FREE    492     /* 4 */
#define FSI_TRAILSIG    508     /* 4: 0xAA550000 */
#define FSI_LEADSIG_V   0x41615252U
#define FSI_STRUCSIG_V  0x61417272U
#define FSI_TRAILSIG_V  0xAA550000U
#define FSI_UNKNOWN     0xFFFFFFFFU

#define FAT12_MAXCLUSTERS 4084  /* clusters; FAT16 from 4085 */
#define FAT16_MAXCLUSTERS 65524 /* FAT32 from 65525 */
#define FAT32_MASK      0x0FFFFFFFU
#define FAT16_CLEAN     0x8000U
#define FAT16_NOERR     0x4000U
#define FAT32_CLEAN     0x08000000U
#define FAT32_NOERR     0x04000000U
#define FAT_FIRSTCLUSTER 2

/*
 * Directory entry, 32 bytes.  DIR_Name is 8 + 3 bytes, space padded,
 * upper case in the OEM code page; Name[0] 0xE5: a free entry, 0x00: a
 * free entry and every one after it too, 0x05: a name that starts with
 * 0xE5.  A directory other than the root begins with "." (its own
 * cluster) and ".." (its parent's, 0 for the root).  A directory's size
 * is 0; its length is that of its cluster chain.
 *
 * Times are local time: a time word is hour << 11 | minute << 5 |
 * seconds / 2; a date word is (year - 1980) << 9 | month << 5 | day.
 * DIR_CrtTimeTenth adds 0..199 hundredths of a second ("tenths" in the
 * specification's name, 10 ms units in its range) to the creation time.
 * The access time is a date alone.
 */
#define DIR_NAME        0       /* 11 */
#define DIR_ATTR        11      /* 1: ATTR_* */
#define DIR_NTRES       12      /* 1: NTRES_LCASE_* (Windows NT) */
#define DIR_CRTTIMETENTH 13     /* 1 */
#define DIR_CRTTIME     14      /* 2 */
#define DIR_CRTDATE     16      /* 2 */
#define DIR_LSTACCDATE  18      /* 2 */
#define DIR_FSTCLUSHI   20      /* 2: FAT32: high 16 bits; else 0 */
#define DIR_WRTTIME     22      /* 2 */
#define DIR_WRTDATE     24      /* 2 */
#define DIR_FSTCLUSLO   26      /* 2 */
#define DIR_FILESIZE    28      /* 4 */
#define DIRENT_SIZE     32

#define SLOT_FREE       0xE5
#define SLOT_END        0x00
#define SLOT_E5         0x05

#define ATTR_READ_ONLY  0x01
#define ATTR_HIDDEN     0x02
#define ATTR_SYSTEM     0x04
#define ATTR_VOLUME_ID  0x08
#define ATTR_DIRECTORY  0x10
#define ATTR_ARCHIVE    0x20
#define ATTR_LONG_NAME  0x0F    /* RO | HIDDEN | SYSTEM | VOLUME_ID */
#define ATTR_LONG_MASK  0x3F

/* DIR_NTRES: the 8.3 name shows its base, its extension in lower case. */
#define NTRES_LCASE_BASE 0x08
#define NTRES_LCASE_EXT  0x10

/*
 * Long-name entry (VFAT), 32 bytes, in the DIR_ATTR position
 * ATTR_LONG_NAME.  A long name of up to 255 UCS-2 characters is split
 * in pieces of 13; the pieces are stored last piece first, just before
 * the short entry they belong to.  LDIR_Ord is the piece's number,
 * 1..20, with LAST_LONG_ENTRY in the first entry stored (the name's
 * last piece).  The name ends with 0x0000 unless it fills the piece
 * exactly; characters after that are 0xFFFF.  Every piece carries the
 * checksum of the short entry's 11 name bytes:
 *
 *	sum = 0; for each byte b: sum = (sum >> 1 | sum << 7) + b (8 bits)
 */
#define LDIR_ORD        0       /* 1 */
#define LDIR_NAME1      1       /* 10: characters 1-5 */
#define LDIR_ATTR       11      /* 1: ATTR_LONG_NAME */
#define LDIR_TYPE       12      /* 1: 0 */
#define LDIR_CHKSUM     13      /* 1 */
#define LDIR_NAME2      14      /* 12: characters 6-11 */
#define LDIR_FSTCLUSLO  26      /* 2: 0 */
#define LDIR_NAME3      28      /* 4: characters 12-13 */
#define LAST_LONG_ENTRY 0x40
#define LDIR_CHARS      13
#define LDIR_MAXENTRIES 20      /* 255 characters */
#define LFN_MAXCHARS    255

#endif /* _MSDOSFS_FORMAT_H_ */
