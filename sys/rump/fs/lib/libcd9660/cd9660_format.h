/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The on-disk format of ISO 9660 (ECMA-119, 4th edition), with the
 * System Use Sharing Protocol (SUSP, IEEE P1281 1.12), the Rock Ridge
 * Interchange Protocol (RRIP, IEEE P1282 1.12), Joliet and El Torito.
 *
 * Byte order.  Numbers are recorded little-endian (LE), big-endian or
 * both ("both-endian": the LE copy first, then the BE copy; ECMA-119
 * 7.2.3 and 7.3.3).  We read the LE copy and ignore the other.
 *
 * Sectors and blocks.  The image is a sequence of 2048-byte logical
 * sectors.  The first 16 (the system area) are not ISO 9660's.  Extents
 * are addressed in logical blocks of the size the primary volume
 * descriptor gives (512, 1024 or 2048 bytes; always 2048 in practice),
 * counted from the start of the image, in every session.
 *
 * Volume descriptors (ECMA-119 8).  From sector 16 of a session, one per
 * sector, until a terminator (type 255):
 *	0	type: 0 boot record, 1 primary, 2 supplementary, 3 partition
 *	1..5	"CD001"
 *	6	version, 1
 * The primary (and a Joliet supplementary one) further holds:
 *	80	volume space size, both-endian 32 (logical blocks)
 *	88	(supplementary) escape sequences, 32 bytes: Joliet has
 *		"%/@", "%/C" or "%/E" (UCS-2 levels 1, 2, 3) at the start
 *	128	logical block size, both-endian 16
 *	156	the root directory's record, 34 bytes
 * An El Torito boot record (type 0) has "EL TORITO SPECIFICATION" at 7
 * and the boot catalogue's sector, LE 32, at 71.
 *
 * Directory records (ECMA-119 9.1), in a directory's extent; a record
 * never crosses a 2048-byte sector: the rest of a sector after the last
 * record is zero (a zero length byte: go on at the next sector).
 *	0	length of the record (LEN_DR), even, >= 34
 *	1	extended attribute record length, in logical blocks; the
 *		file's data follows those blocks of its extent
 *	2	extent location, both-endian 32 (logical block)
 *	10	data length, both-endian 32 (bytes)
 *	18	recording date and time, 7 bytes (below)
 *	25	file flags: 0x01 hidden, 0x02 directory, 0x04 associated
 *		file, 0x08 record format in the XAR, 0x10 permissions in the
 *		XAR, 0x80 not the final record of the file (multi-extent:
 *		the next record, with the same identifier, holds the next
 *		extent of the same file)
 *	26, 27	file unit size and interleave gap (interleaving: 0, 0)
 *	28	volume sequence number, both-endian 16
 *	32	length of the identifier (LEN_FI)
 *	33	identifier: 0x00 is ".", 0x01 is ".."; a file is
 *		"NAME.EXT;VERSION" in d-characters, a directory "NAME";
 *		in a Joliet tree UCS-2 big-endian
 *	33 + LEN_FI, plus a pad byte when LEN_FI is even: the system use
 *		area, to LEN_DR (SUSP entries, below)
 * A short date (9.1.5): years since 1900, month 1-12, day, hour,
 * minute, second, and the offset from GMT in 15-minute units (signed).
 * A long date (8.4.26.1): 16 ASCII digits "YYYYMMDDhhmmsscc" (cc:
 * hundredths) and the GMT offset byte; all zero digits: not given.
 *
 * SUSP entries: a 2-byte signature, a length byte (the whole entry, >=
 * 4), a version byte, then the data.  The root directory's "." record
 * starts its system use area with SP (check bytes 0xbe 0xef at 4, 5;
 * at 6, the bytes to skip at the start of every other system use
 * area).  CE (length 28) points on to a continuation area: its block
 * (both-endian 32 at 4), offset in it (at 12) and length (at 20); ST
 * ends the entries of an area; PD is padding; ER (in the root's "."
 * record) names an extension: LEN_ID at 4, LEN_DES at 5, LEN_SRC at 6,
 * the identifier from 8 ("RRIP_1991A", "IEEE_P1282" or "IEEE_1282" for
 * Rock Ridge).
 *
 * Rock Ridge entries:
 *	PX	mode (4), links (12), uid (20), gid (28), each both-endian
 *		32, and in 1.12 the file serial number (36); length 36 or 44
 *	PN	device number: high 32 bits (4), low 32 bits (12)
 *	SL	a symbolic link's target: flags at 4 (0x01: continued in the
 *		next SL), then component records: flags (0x01 continued in
 *		the next component, 0x02 ".", 0x04 "..", 0x08 root "/",
 *		0x10 volume root, 0x20 host), length, bytes
 *	NM	the name: flags at 4 (0x01 continued in the next NM, 0x02
 *		".", 0x04 "..", 0x20 host), then bytes
 *	CL	child link: a relocated directory's block (4); the record
 *		stands for that directory
 *	PL	parent link, in a relocated directory's "..": the block of
 *		its real parent (4)
 *	RE	this record is a relocated directory's, in the directory it
 *		was moved to: not shown there
 *	TF	times: flags at 4 (0x01 creation, 0x02 modification, 0x04
 *		access, 0x08 attribute change, 0x10 backup, 0x20
 *		expiration, 0x40 effective, 0x80 long dates), then one date
 *		for each flag set, in that order, 7 or 17 bytes each
 *	SF	sparse file (not written by the tools we read; ignored)
 *
 * Joliet: a supplementary descriptor with one of the escape sequences
 * above describes a second directory tree, with the same extents, whose
 * names are UCS-2 big-endian (without ";1" by some writers).
 */
#ifndef _CD9660_FORMAT_H_
#define _CD9660_FORMAT_H_

#include <sys/types.h>

#define ISO_SECTOR       2048           /* logical sector, bytes */
#define ISO_VD_START     16             /* first descriptor's sector */
#define ISO_VD_MAX       64             /* descriptors we read, at most */

/* Volume descriptor */
#define ISO_VD_TYPE      0
#define ISO_VD_ID        1
#define ISO_VD_VERSION   6
#define ISO_VD_SPACE     80
#define ISO_VD_ESCAPES   88
#define ISO_VD_LBSIZE    128
#define ISO_VD_ROOT      156
#define ISO_VD_BOOT      0
#define ISO_VD_PRIMARY   1
#define ISO_VD_SUPPL     2
#define ISO_VD_TERM      255
#define ISO_STDID        "CD001"
#define ELTORITO_ID      "EL TORITO SPECIFICATION"
#define ELTORITO_ID_OFF  7
#define ELTORITO_CAT_OFF 71

/* Directory record */
#define ISO_DR_LEN       0
#define ISO_DR_XARLEN    1
#define ISO_DR_EXTENT    2
#define ISO_DR_SIZE      10
#define ISO_DR_DATE      18
#define ISO_DR_FLAGS     25
#define ISO_DR_UNITSIZE  26
#define ISO_DR_GAP       27
#define ISO_DR_NAMELEN   32
#define ISO_DR_NAME      33
#define ISO_DR_MINLEN    34
#define ISO_DR_ROOTLEN   34
#define ISO_FL_HIDDEN    0x01
#define ISO_FL_DIR       0x02
#define ISO_FL_ASSOC     0x04
#define ISO_FL_MULTI     0x80

/* SUSP */
#define SUSP_HDR         4
#define SUSP_SP_LEN      7
#define SUSP_CE_LEN      28
#define SUSP_CHECK0      0xbe
#define SUSP_CHECK1      0xef

/* RRIP */
#define RR_PX_MINLEN     36
#define RR_PN_LEN        20
#define RR_CL_LEN        12
#define RR_SL_CONTINUE   0x01
#define RR_SLC_CONTINUE  0x01
#define RR_SLC_CURRENT   0x02
#define RR_SLC_PARENT    0x04
#define RR_SLC_ROOT      0x08
#define RR_SLC_VOLROOT   0x10
#define RR_SLC_HOST      0x20
#define RR_NM_CONTINUE   0x01
#define RR_NM_CURRENT    0x02
#define RR_NM_PARENT     0x04
#define RR_TF_CREATE     0x01
#define RR_TF_MODIFY     0x02
#define RR_TF_ACCESS     0x04
#define RR_TF_ATTR       0x08
#define RR_TF_LONG       0x80

static inline uint16_t
iso_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
iso_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

#endif /* _CD9660_FORMAT_H_ */
