/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Test access to the ext2fs read functions: an image file opened through
 * the hypercalls (or an image in memory, for the fuzz test) as the
 * device, and the operations a VFS would call, by inode number and path.
 */
#include <sys/kmem.h>
#include <rump/rumpuser.h>

#include "ext2_ks_private.h"

static int
hostfile_read(void *cookie, uint64_t off, void *buf, size_t len)
{
	struct ks_fs *kf = cookie;
	struct rumpuser_iovec iov = { buf, len };
	unsigned long n;
	int error;

	error = rumpuser_iovread(kf->fd, &iov, 1, (long long)off, &n);
	if (error == 0 && n != len)
		error = EIO;
	return error;
}

/* Memory image: also notes which blocks were read (fuzz targets). */
static int
mem_read(void *cookie, uint64_t off, void *buf, size_t len)
{
	struct ks_fs *kf = cookie;

	memcpy(buf, kf->mem + off, len);
	if (kf->touched != NULL && kf->fs != NULL && len > 0)
		for (uint64_t b = off >> kf->fs->e2_bshift;
		     b <= (off + len - 1) >> kf->fs->e2_bshift; b++)
			kf->touched[b] = 1;
	return 0;
}

int
ks_mount_mem(const uint8_t *img, uint64_t size, uint8_t *touched,
    struct ks_fs **kfp)
{
	struct ext2fs_dev dev = { mem_read, NULL, size, NULL };
	struct ks_fs *kf;
	int error;

	if ((kf = kmem_zalloc(sizeof(*kf), KM_SLEEP)) == NULL)
		return ENOMEM;
	kf->fd = -1;
	kf->mem = img;
	kf->touched = touched;
	dev.ed_cookie = kf;
	if ((error = ext2fs_sb_load(&dev, &kf->fs)) != 0) {
		kmem_free(kf, sizeof(*kf));
		return error;
	}
	*kfp = kf;
	return 0;
}

void
ks_unmount(struct ks_fs *kf)
{
	ext2fs_sb_free(kf->fs);
	if (kf->fd != -1)
		rumpuser_close(kf->fd);
	kmem_free(kf, sizeof(*kf));
}

int
rump_test_ext2_mount(const char *path, void **fsp)
{
	struct ext2fs_dev dev = { hostfile_read, NULL, 0, NULL };
	unsigned long long size;
	struct ks_fs *kf;
	int error, type;

	rump_schedule();
	if ((kf = kmem_zalloc(sizeof(*kf), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = rumpuser_getfileinfo(path, &size, &type)) != 0 ||
	    (error = rumpuser_open(path, RUMPUSER_OPEN_RDONLY, &kf->fd)) != 0) {
		kmem_free(kf, sizeof(*kf));
		goto out;
	}
	dev.ed_cookie = kf;
	dev.ed_size = size;
	if ((error = ext2fs_sb_load(&dev, &kf->fs)) != 0) {
		rumpuser_close(kf->fd);
		kmem_free(kf, sizeof(*kf));
		goto out;
	}
	*fsp = kf;
out:
	rump_unschedule();
	return error;
}

void
rump_test_ext2_unmount(void *fs)
{
	rump_schedule();
	ks_unmount(fs);
	rump_unschedule();
}

/* Walk a path of names from the root, as namei would. */
int
rump_test_ext2_namei(void *fs, const char *path, uint32_t *inop)
{
	struct ks_fs *kf = fs;
	struct ext2fs_inode *dp;
	uint32_t ino = EXT2_ROOT_INO;
	const char *p = path, *e;
	uint8_t type;
	int error = 0;

	rump_schedule();
	if ((dp = kmem_alloc(sizeof(*dp), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != '/'; e++)
			continue;
		if ((error = ext2fs_iget(kf->fs, ino, dp)) != 0 ||
		    (error = ext2fs_lookup(kf->fs, dp, p, (size_t)(e - p), &ino,
		    &type)) != 0)
			break;
		p = e;
	}
	kmem_free(dp, sizeof(*dp));
	*inop = ino;
out:
	rump_unschedule();
	return error;
}

int
rump_test_ext2_stat(void *fs, uint32_t ino, struct rump_test_ext2_stat *st)
{
	struct ks_fs *kf = fs;
	struct ext2fs_inode *ip;
	int error;

	rump_schedule();
	if ((ip = kmem_alloc(sizeof(*ip), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = ext2fs_iget(kf->fs, ino, ip)) == 0) {
		memset(st, 0, sizeof(*st));
		st->ino = ip->ei_ino;
		st->mode = ip->ei_mode;
		st->uid = ip->ei_uid;
		st->gid = ip->ei_gid;
		st->nlink = ip->ei_nlink;
		st->rdev_major = ip->ei_rdev_major;
		st->rdev_minor = ip->ei_rdev_minor;
		st->flags = ip->ei_flags;
		st->size = ip->ei_size;
		st->blocks512 = ip->ei_blocks512;
		st->atime = ip->ei_atime.tv_sec;
		st->atime_ns = ip->ei_atime.tv_nsec;
		st->mtime = ip->ei_mtime.tv_sec;
		st->mtime_ns = ip->ei_mtime.tv_nsec;
		st->ctime = ip->ei_ctime.tv_sec;
		st->ctime_ns = ip->ei_ctime.tv_nsec;
		st->crtime = ip->ei_crtime.tv_sec;
		st->crtime_ns = ip->ei_crtime.tv_nsec;
		st->has_crtime = ip->ei_has_crtime;
		st->extra_isize = ip->ei_extra_isize;
	}
	kmem_free(ip, sizeof(*ip));
out:
	rump_unschedule();
	return error;
}

int
rump_test_ext2_read(void *fs, uint32_t ino, uint64_t off, void *buf,
    size_t len, size_t *donep)
{
	struct ks_fs *kf = fs;
	struct ext2fs_inode *ip;
	int error;

	rump_schedule();
	if ((ip = kmem_alloc(sizeof(*ip), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = ext2fs_iget(kf->fs, ino, ip)) == 0)
		error = ext2fs_read(kf->fs, ip, off, buf, len, donep);
	kmem_free(ip, sizeof(*ip));
out:
	rump_unschedule();
	return error;
}

int
rump_test_ext2_readlink(void *fs, uint32_t ino, char *buf, size_t len,
    size_t *donep)
{
	struct ks_fs *kf = fs;
	struct ext2fs_inode *ip;
	int error;

	rump_schedule();
	if ((ip = kmem_alloc(sizeof(*ip), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = ext2fs_iget(kf->fs, ino, ip)) == 0)
		error = ext2fs_readlink(kf->fs, ip, buf, len, donep);
	kmem_free(ip, sizeof(*ip));
out:
	rump_unschedule();
	return error;
}

struct one_entry {
	struct ext2fs_dirent de;
	bool got;
};

/* Take the first record, stop at the second. */
static int
take_one(void *arg, const struct ext2fs_dirent *de)
{
	struct one_entry *oe = arg;

	if (oe->got)
		return EXT2FS_DIR_STOP;
	oe->de = *de;
	oe->got = true;
	return 0;
}

int
rump_test_ext2_readdir(void *fs, uint32_t ino, uint64_t *cookie,
    char name[256], uint32_t *childp, uint8_t *typep)
{
	struct ks_fs *kf = fs;
	struct ext2fs_inode *ip;
	struct one_entry *oe = NULL;
	int error;

	rump_schedule();
	if ((ip = kmem_alloc(sizeof(*ip), KM_SLEEP)) == NULL ||
	    (oe = kmem_zalloc(sizeof(*oe), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = ext2fs_iget(kf->fs, ino, ip)) == 0 &&
	    (error = ext2fs_readdir(kf->fs, ip, cookie, take_one, oe)) == 0) {
		if (oe->got) {
			memcpy(name, oe->de.ed_name, oe->de.ed_namelen + 1);
			*childp = oe->de.ed_ino;
			*typep = oe->de.ed_type;
		} else
			error = ENOENT;
	}
out:
	if (oe != NULL)
		kmem_free(oe, sizeof(*oe));
	if (ip != NULL)
		kmem_free(ip, sizeof(*ip));
	rump_unschedule();
	return error;
}

int
rump_test_ext2_rw_blocker(void *fs, char *buf, size_t len)
{
	struct ks_fs *kf = fs;
	rump_schedule();
	(void)ext2fs_rw_blocker(kf->fs, buf, len);
	rump_unschedule();
	return 0;
}

int
rump_test_ext2_hash(int version, const uint32_t seed[4], const char *name,
    size_t len, uint32_t *hashp, uint32_t *minorp)
{
	int error;

	rump_schedule();
	error = ext2fs_hash(version, seed, name, len, hashp, minorp);
	rump_unschedule();
	return error;
}

int
rump_test_ext2_crc32c(uint32_t crc, const void *buf, size_t len,
    uint32_t *fastp, uint32_t *tablesp)
{
	rump_schedule();
	*fastp = ext2fs_crc32c(crc, buf, len);
	*tablesp = ext2fs_crc32c_sw(crc, buf, len);
	rump_unschedule();
	return 0;
}
