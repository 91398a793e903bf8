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

#include <rump/ufs_args.h>

#include "ukfs_private.h"

/*
 * ext2/3/4: the superblock is at byte 1024, s_magic (le16 0xef53) at its
 * offset 0x38.  FFS: fs_magic at offset 1372 of the superblock, which is
 * at byte 8192 (UFS1, 0x011954; UFS2, 0x19540119, as makefs puts it),
 * 65536 or 262144 (UFS2), in the byte order of the machine that made it.
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
};
const size_t ukfs_nfsdetect = sizeof(ukfs_fsdetect) / sizeof(ukfs_fsdetect[0]);

/* Types mounted with struct ufs_args naming the device. */
static const char *const ufs_args_types[] = { "ffs", "ext2fs", "ext2",
    "ext3", "ext4", "ufs" };

size_t
ukfs_defargs(const char *fstype, const char *dev, void *buf, size_t bufsize)
{
	struct ufs_args ua;
	size_t i;

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
	errno = EMEDIUMTYPE;
	return NULL;
}
