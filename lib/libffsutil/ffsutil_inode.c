/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Inodes in either format and byte order, and the whole-transfer I/O
 * everything else reads and writes the image with.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ffsutil.h"

int
ffsu_pread(const struct ffsu_fs *fs, void *buf, size_t len, uint64_t off)
{
	ssize_t n;
	size_t done = 0;

	while (done < len) {
		n = pread(fs->fd, (char *)buf + done, len - done,
		          (off_t)(off + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int
ffsu_pwrite(const struct ffsu_fs *fs, const void *buf, size_t len, uint64_t off)
{
	ssize_t n;
	size_t done = 0;

	while (done < len) {
		n = pwrite(fs->fd, (const char *)buf + done, len - done,
		           (off_t)(off + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

void
ffsu_dinode_decode(const struct ffsu_fs *fs, const void *raw,
                   struct ffsu_dinode *di)
{
	const unsigned char *p = raw;
	int i;

	memset(di, 0, sizeof(*di));
	di->mode = ffsu_get16(fs, p + DI2_MODE);
	di->nlink = (int16_t)ffsu_get16(fs, p + DI2_NLINK);
	if (fs->ufs2) {
		di->uid = ffsu_get32(fs, p + DI2_UID);
		di->gid = ffsu_get32(fs, p + DI2_GID);
		di->size = ffsu_get64(fs, p + DI2_SIZE);
		di->blocks = ffsu_get64(fs, p + DI2_BLOCKS);
		di->atime = (int64_t)ffsu_get64(fs, p + DI2_ATIME);
		di->mtime = (int64_t)ffsu_get64(fs, p + DI2_MTIME);
		di->ctime = (int64_t)ffsu_get64(fs, p + DI2_CTIME);
		di->birthtime = (int64_t)ffsu_get64(fs, p + DI2_BIRTHTIME);
		di->flags = ffsu_get32(fs, p + DI2_FLAGS);
		di->gen = ffsu_get32(fs, p + DI2_GEN);
		di->extsize = ffsu_get32(fs, p + DI2_EXTSIZE);
		for (i = 0; i < UFS_NXADDR; i++)
			di->extb[i] =
			    (int64_t)ffsu_get64(fs, p + DI2_EXTB + 8 * i);
		for (i = 0; i < UFS_NDADDR; i++)
			di->db[i] = (int64_t)ffsu_get64(fs, p + DI2_DB + 8 * i);
		for (i = 0; i < UFS_NIADDR; i++)
			di->ib[i] = (int64_t)ffsu_get64(fs, p + DI2_IB + 8 * i);
	} else {
		di->uid = ffsu_get32(fs, p + DI1_UID);
		di->gid = ffsu_get32(fs, p + DI1_GID);
		di->size = ffsu_get64(fs, p + DI1_SIZE);
		di->blocks = ffsu_get32(fs, p + DI1_BLOCKS);
		di->atime = (int32_t)ffsu_get32(fs, p + DI1_ATIME);
		di->mtime = (int32_t)ffsu_get32(fs, p + DI1_MTIME);
		di->ctime = (int32_t)ffsu_get32(fs, p + DI1_CTIME);
		di->flags = ffsu_get32(fs, p + DI1_FLAGS);
		di->gen = ffsu_get32(fs, p + DI1_GEN);
		for (i = 0; i < UFS_NDADDR; i++)
			di->db[i] = (int32_t)ffsu_get32(fs, p + DI1_DB + 4 * i);
		for (i = 0; i < UFS_NIADDR; i++)
			di->ib[i] = (int32_t)ffsu_get32(fs, p + DI1_IB + 4 * i);
	}
}

void
ffsu_dinode_encode(const struct ffsu_fs *fs, const struct ffsu_dinode *di,
                   void *raw)
{
	unsigned char *p = raw;
	int i;

	ffsu_put16(fs, p + DI2_MODE, di->mode);
	ffsu_put16(fs, p + DI2_NLINK, (uint16_t)di->nlink);
	if (fs->ufs2) {
		ffsu_put32(fs, p + DI2_UID, di->uid);
		ffsu_put32(fs, p + DI2_GID, di->gid);
		ffsu_put64(fs, p + DI2_SIZE, di->size);
		ffsu_put64(fs, p + DI2_BLOCKS, di->blocks);
		ffsu_put64(fs, p + DI2_ATIME, (uint64_t)di->atime);
		ffsu_put64(fs, p + DI2_MTIME, (uint64_t)di->mtime);
		ffsu_put64(fs, p + DI2_CTIME, (uint64_t)di->ctime);
		ffsu_put64(fs, p + DI2_BIRTHTIME, (uint64_t)di->birthtime);
		ffsu_put32(fs, p + DI2_FLAGS, di->flags);
		ffsu_put32(fs, p + DI2_GEN, di->gen);
		ffsu_put32(fs, p + DI2_EXTSIZE, di->extsize);
		for (i = 0; i < UFS_NXADDR; i++)
			ffsu_put64(fs, p + DI2_EXTB + 8 * i,
			           (uint64_t)di->extb[i]);
		for (i = 0; i < UFS_NDADDR; i++)
			ffsu_put64(fs, p + DI2_DB + 8 * i, (uint64_t)di->db[i]);
		for (i = 0; i < UFS_NIADDR; i++)
			ffsu_put64(fs, p + DI2_IB + 8 * i, (uint64_t)di->ib[i]);
	} else {
		ffsu_put32(fs, p + DI1_UID, di->uid);
		ffsu_put32(fs, p + DI1_GID, di->gid);
		ffsu_put64(fs, p + DI1_SIZE, di->size);
		ffsu_put32(fs, p + DI1_BLOCKS, (uint32_t)di->blocks);
		ffsu_put32(fs, p + DI1_ATIME, (uint32_t)di->atime);
		ffsu_put32(fs, p + DI1_MTIME, (uint32_t)di->mtime);
		ffsu_put32(fs, p + DI1_CTIME, (uint32_t)di->ctime);
		ffsu_put32(fs, p + DI1_FLAGS, di->flags);
		ffsu_put32(fs, p + DI1_GEN, di->gen);
		for (i = 0; i < UFS_NDADDR; i++)
			ffsu_put32(fs, p + DI1_DB + 4 * i, (uint32_t)di->db[i]);
		for (i = 0; i < UFS_NIADDR; i++)
			ffsu_put32(fs, p + DI1_IB + 4 * i, (uint32_t)di->ib[i]);
	}
}

int
ffsu_inode_read(const struct ffsu_fs *fs, uint64_t ino, void *raw)
{
	return ffsu_pread(fs, raw, fs->isize, ffsu_ino_offset(fs, ino));
}

int
ffsu_inode_write(const struct ffsu_fs *fs, uint64_t ino, const void *raw)
{
	return ffsu_pwrite(fs, raw, fs->isize, ffsu_ino_offset(fs, ino));
}
