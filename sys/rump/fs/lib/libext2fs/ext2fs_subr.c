/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What every part of ext2fs shares: the one corruption report, and reads
 * of the device with the bounds checks that make a block number from the
 * image safe to use.
 */
#include <sys/systm.h>

#include "ext2fs.h"

/*
 * Report corrupt metadata: one log line, and EIO for the caller to
 * return.  Every rejection of image bytes goes through here, so it is
 * the place for a breakpoint when an image is refused.
 */
int
ext2fs_corrupt(const struct ext2fs *fs, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log(LOG_ERR, "ext2fs: corrupt file system (%u blocks): %s",
	    fs != NULL ? (unsigned)fs->e2_nblocks : 0, msg);
	return EIO;
}

/* Read len bytes at byte offset off, inside the device. */
int
ext2fs_devread(const struct ext2fs *fs, uint64_t off, void *buf, size_t len)
{
	const struct ext2fs_dev *dev = &fs->e2_dev;

	if (off > dev->ed_size || len > dev->ed_size - off)
		return ext2fs_corrupt(fs, "read of %zu bytes at %llu past the "
		    "end of the device", len, (unsigned long long)off);
	return dev->ed_read(dev->ed_cookie, off, buf, len);
}

/*
 * Whether blocks [blk, blk + n) are inside the file system, past the
 * superblock.  Callers check a block number from the image with this
 * before reading it.
 */
bool
ext2fs_blk_ok(const struct ext2fs *fs, uint64_t blk, uint64_t n)
{
	return blk > fs->e2_first_data_block && blk < fs->e2_nblocks &&
	    n <= fs->e2_nblocks - blk;
}

/* Read one block, whose number came from the image, into buf. */
int
ext2fs_bread(const struct ext2fs *fs, uint64_t blk, void *buf)
{
	if (!ext2fs_blk_ok(fs, blk, 1))
		return ext2fs_corrupt(fs, "block %llu out of range",
		    (unsigned long long)blk);
	return ext2fs_devread(fs, blk << fs->e2_bshift, buf, fs->e2_bsize);
}

/*
 * Read block blk (a number from the image) into buf and check it with
 * check(arg, buf): a block the device's cache holds with note already
 * passed that check since it was read from the disk, and is not checked
 * again (ext2fs_dev's ed_readchk); note 0 checks every time.
 */
int
ext2fs_bread_checked(const struct ext2fs *fs, uint64_t blk, void *buf,
    uint64_t note, int (*check)(void *, const uint8_t *), void *arg)
{
	const struct ext2fs_dev *dev = &fs->e2_dev;
	int error;

	if (dev->ed_readchk == NULL || note == 0) {
		if ((error = ext2fs_bread(fs, blk, buf)) != 0)
			return error;
		return check(arg, buf);
	}
	if (!ext2fs_blk_ok(fs, blk, 1))
		return ext2fs_corrupt(fs, "block %llu out of range",
		    (unsigned long long)blk);
	return dev->ed_readchk(dev->ed_cookie, blk << fs->e2_bshift, buf,
	    fs->e2_bsize, note, check, arg);
}
