/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What every part of FFS shares: fields read and written in the image's
 * byte order (memcpy, because image buffers promise no alignment), the
 * one place a corrupt image is reported, and the geometry of blocks and
 * groups.
 */
#include <sys/systm.h>

#include "ffs.h"

uint16_t
ffs_get16(const struct ffs_mount *um, const void *base, size_t off)
{
	uint16_t v;

	memcpy(&v, (const char *)base + off, sizeof(v));
	return um->um_swap ? __builtin_bswap16(v) : v;
}

uint32_t
ffs_get32(const struct ffs_mount *um, const void *base, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)base + off, sizeof(v));
	return um->um_swap ? __builtin_bswap32(v) : v;
}

uint64_t
ffs_get64(const struct ffs_mount *um, const void *base, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)base + off, sizeof(v));
	return um->um_swap ? __builtin_bswap64(v) : v;
}

void
ffs_put16(const struct ffs_mount *um, void *base, size_t off, uint16_t v)
{
	if (um->um_swap)
		v = __builtin_bswap16(v);
	memcpy((char *)base + off, &v, sizeof(v));
}

void
ffs_put32(const struct ffs_mount *um, void *base, size_t off, uint32_t v)
{
	if (um->um_swap)
		v = __builtin_bswap32(v);
	memcpy((char *)base + off, &v, sizeof(v));
}

void
ffs_put64(const struct ffs_mount *um, void *base, size_t off, uint64_t v)
{
	if (um->um_swap)
		v = __builtin_bswap64(v);
	memcpy((char *)base + off, &v, sizeof(v));
}

int
ffs_corrupt(const struct ffs_mount *um, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log(LOG_ERR, "ffs: %s: corrupt file system: %s\n",
	    um->um_fspec, msg);
	return EIO;
}

/*
 * Only a file's last block, when it is one of the direct blocks, may
 * be shorter than a block: as many whole frags as the size needs.
 */
int
ffs_blksize(const struct ffs_mount *um, uint64_t size, uint64_t lbn)
{
	uint64_t end;

	if (lbn >= UFS_NDADDR || size >= (lbn + 1) << um->fs_bshift)
		return (int)um->fs_bsize;
	end = size - (lbn << um->fs_bshift);
	return (int)roundup(end, um->fs_fsize);
}

/*
 * UFS1 groups were staggered across the platters; cgmask is all ones
 * on any file system made since, which makes the offset zero.
 */
uint64_t
ffs_cgstart(const struct ffs_mount *um, uint64_t c)
{
	uint64_t start = c * um->fs_fpg;

	if (!um->um_ufs2)
		start += (uint64_t)um->fs_old_cgoffset *
		    (c & ~(uint64_t)um->fs_old_cgmask & 0xffffffffU);
	return start;
}
