/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The file-system types ukfs knows: how to recognise each on an image
 * (superblock magic numbers) and how to build its default mount
 * arguments.  A new file system adds its rows here.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <rump/msdosfs_args.h>
#include <rump/iso_args.h>
#include <rump/ufs_args.h>

#include "ukfs_private.h"

/*
 * ext2/3/4: the superblock is at byte 1024, s_magic (le16 0xef53) at its
 * offset 0x38.  FFS: fs_magic at offset 1372 of the superblock, which is
 * at byte 8192 (UFS1, 0x011954; UFS2, 0x19540119, as makefs puts it),
 * 65536 or 262144 (UFS2), in the byte order of the machine that made it.
 * FAT has no magic number: ukfs_detect_fat() checks the boot sector.
 * ISO 9660: a volume descriptor ("CD001" after its type byte) at sector
 * 16 of 2048 bytes.
 */
const struct ukfs_fsdetect ukfs_fsdetect[] = {
	{ "ext2fs", { { 1024 + 0x38, 2, "\x53\xef" } } },
	{ "ffs", { { 65536 + 1372, 4, "\x19\x01\x54\x19" } } },
	{ "ffs", { { 65536 + 1372, 4, "\x19\x54\x01\x19" } } },
	{ "ffs", { { 8192 + 1372, 4, "\x19\x01\x54\x19" } } },
	{ "ffs", { { 8192 + 1372, 4, "\x19\x54\x01\x19" } } },
	{ "ffs", { { 8192 + 1372, 4, "\x54\x19\x01\x00" } } },
	{ "ffs", { { 8192 + 1372, 4, "\x00\x01\x19\x54" } } },
	{ "ffs", { { 262144 + 1372, 4, "\x19\x01\x54\x19" } } },
	{ "ffs", { { 262144 + 1372, 4, "\x19\x54\x01\x19" } } },
	{ "cd9660", { { 16 * 2048 + 1, 5, "CD001" } } },
};
const size_t ukfs_nfsdetect = sizeof(ukfs_fsdetect) / sizeof(ukfs_fsdetect[0]);

/* Types mounted with struct ufs_args naming the device. */
static const char *const ufs_args_types[] = { "ffs", "ext2fs", "ext2",
    "ext3", "ext4", "ufs" };

/*
 * FAT (msdos): the boot sector's 0x55 0xAA at 510, a jump at 0, and a
 * BPB that makes sense (fatgen103): bytes per sector a power of two
 * from 512 to 4096, sectors per cluster a power of two, reserved
 * sectors, one to sixteen FATs, a media byte, a sector count.
 */
static bool
ukfs_detect_fat(int fd, uint64_t off, uint64_t size)
{
	unsigned char b[512];
	unsigned bps, spc;

	if (size < sizeof(b) ||
	    pread(fd, b, sizeof(b), (off_t)off) != (ssize_t)sizeof(b))
		return false;
	bps = b[11] | b[12] << 8;
	spc = b[13];
	return b[510] == 0x55 && b[511] == 0xAA &&
	    (b[0] == 0xEB || b[0] == 0xE9) && bps >= 512 && bps <= 4096 &&
	    (bps & (bps - 1)) == 0 && spc != 0 && (spc & (spc - 1)) == 0 &&
	    (b[14] | b[15] << 8) != 0 && b[16] >= 1 && b[16] <= 16 &&
	    (b[21] == 0xF0 || b[21] >= 0xF8) &&
	    ((b[19] | b[20] << 8) != 0 ||
	    (b[32] | b[33] << 8 | b[34] << 16 | (unsigned)b[35] << 24) != 0);
}

size_t
ukfs_defargs(const char *fstype, const char *dev, void *buf, size_t bufsize)
{
	struct msdosfs_args ma;
	struct iso_args ia = { .fspec = (char *)dev };
	struct ufs_args ua;
	size_t i;

	/* FAT keeps no owners: files are the caller's, rwxr-xr-x. */
	if (strcmp(fstype, "msdos") == 0 && bufsize >= sizeof(ma)) {
		memset(&ma, 0, sizeof(ma));
		ma.fspec = (char *)dev;
		ma.version = MSDOSFSMNT_VERSION;
		ma.uid = getuid();
		ma.gid = getgid();
		ma.mask = ma.dirmask = 0755;
		memcpy(buf, &ma, sizeof(ma));
		return sizeof(ma);
	}
	if (strcmp(fstype, "cd9660") == 0 && bufsize >= sizeof(ia)) {
		memcpy(buf, &ia, sizeof(ia));
		return sizeof(ia);
	}

	for (i = 0; i < sizeof(ufs_args_types) / sizeof(ufs_args_types[0]);
	    i++) {
		if (strcmp(fstype, ufs_args_types[i]) == 0 &&
		    bufsize >= sizeof(ua)) {
			ua.fspec = (char *)dev;
			memcpy(buf, &ua, sizeof(ua));
			return sizeof(ua);
		}
	}
	return 0;
}

/* Types that mount with no device. */
static const char *const nodev_types[] = { "tmpfs", "rumpfs" };

bool
ukfs_nodev_type(const char *fstype)
{
	for (size_t i = 0; i < sizeof(nodev_types) / sizeof(nodev_types[0]);
	    i++)
		if (fstype != NULL && strcmp(fstype, nodev_types[i]) == 0)
			return true;
	return false;
}

void *
ukfs_fixargs(const char *fstype, const char *image, const char *host,
    const char *dev, void *args, size_t arglen, void *buf, size_t bufsize)
{
	struct ufs_args ua;
	size_t i;

	if (args == NULL || arglen < sizeof(ua) || arglen > bufsize)
		return args;
	for (i = 0; i < sizeof(ufs_args_types) / sizeof(ufs_args_types[0]);
	    i++)
		if (strcmp(fstype, ufs_args_types[i]) == 0)
			break;
	if (i == sizeof(ufs_args_types) / sizeof(ufs_args_types[0]))
		return args;
	memcpy(&ua, args, sizeof(ua));
	if (ua.fspec == NULL || (strcmp(ua.fspec, image) != 0 &&
	    strcmp(ua.fspec, host) != 0))
		return args;
	memcpy(buf, args, arglen);
	ua.fspec = (char *)dev;
	memcpy(buf, &ua, sizeof(ua));
	return buf;
}

const char *
ukfs_detect_fd(int fd, uint64_t off, uint64_t size)
{
	const struct ukfs_magic *m;
	unsigned char got[16];
	size_t i, j;
	bool ok;

	for (i = 0; i < ukfs_nfsdetect; i++) {
		ok = true;
		for (j = 0; j < UKFS_MAGIC_MAX && ok; j++) {
			m = &ukfs_fsdetect[i].fd_magic[j];
			if (m->um_len == 0)
				break;
			ok = m->um_off + m->um_len <= size &&
			    pread(fd, got, m->um_len, (off_t)(off +
			    m->um_off)) == (ssize_t)m->um_len &&
			    memcmp(got, m->um_bytes, m->um_len) == 0;
		}
		if (ok)
			return ukfs_fsdetect[i].fd_fstype;
	}
	if (ukfs_detect_fat(fd, off, size))
		return "msdos";
	errno = EMEDIUMTYPE;
	return NULL;
}
