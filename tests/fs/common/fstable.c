/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The file systems the POSIX suite runs on, one row each: how to mount
 * one, what it lacks and why.  A new file system adds its row here and
 * links its library into the suite (tests/fs/vfs/CMakeLists.txt).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/msdosfs_args.h>
#include <rump/iso_args.h>
#include <rump/rumpvfs.h>
#include <rump/tmpfs_args.h>
#include <rump/ufs_args.h>

#include "h_fsmacros.h"

/*
 * rumpfs, the root file system: the cases run in a directory of "/"
 * itself, so they test the root as booted, not a second mount.
 */
static int
rootfs_mount(const char *mnt, uint64_t sizelimit)
{
	(void)mnt;
	return sizelimit == 0 ? 0 : -1;
}

static int
rootfs_unmount(const char *mnt)
{
	(void)mnt;
	return 0;
}

static int
tmpfs_mount(const char *mnt, uint64_t sizelimit)
{
	struct tmpfs_args ta = { .ta_version = TMPFS_ARGS_VERSION,
		.ta_size_max = sizelimit, .ta_root_mode = 0755 };

	if (sizelimit == 0)
		return rump_sys_mount("tmpfs", mnt, 0, NULL, 0);
	return rump_sys_mount("tmpfs", mnt, 0, &ta, sizeof(ta));
}

static int
tmpfs_unmount(const char *mnt)
{
	return rump_sys_unmount(mnt, 0);
}

/*
 * ext2fs: a new ext2 image (4 KiB blocks, 256-byte inodes with
 * nanosecond times, inodes enough for the big-directory cases) made by
 * mke2fs in a temporary directory, 256 MiB or the size limit,
 * registered as a block device and mounted read-write.  At unmount
 * e2fsck -fn must find nothing to fix in what the case left.
 */
#define EXT2_SLOTS 4

static struct {
	char mnt[64];
	char dir[64];
	char img[96];
	char dev[32];
} ext2_slot[EXT2_SLOTS];

static int
ext2img_mount(const char *mnt, uint64_t sizelimit, const char *type)
{
	struct ufs_args args;
	char cmd[512];
	int i;

	for (i = 0; i < EXT2_SLOTS && ext2_slot[i].mnt[0] != '\0'; i++)
		continue;
	if (i == EXT2_SLOTS)
		return -1;
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin", 1);
	snprintf(ext2_slot[i].dir, sizeof(ext2_slot[i].dir),
	    "/tmp/fstable-ext2-XXXXXX");
	if (mkdtemp(ext2_slot[i].dir) == NULL)
		return -1;
	memcpy(ext2_slot[i].img, ext2_slot[i].dir, sizeof(ext2_slot[i].dir));
	strcat(ext2_slot[i].img, "/fs.img");
	snprintf(ext2_slot[i].dev, sizeof(ext2_slot[i].dev),
	    "/dev/fstable-ext2-%d", i);
	snprintf(cmd, sizeof(cmd), "mke2fs -q -F -t %s -b 4096 -I 256 "
	    "%s '%s' %lluk >/dev/null 2>&1", type,
	    sizelimit != 0 ? "" : "-N 131072", ext2_slot[i].img,
	    (unsigned long long)(sizelimit != 0 ? sizelimit / 1024 : 262144));
	if (system(cmd) != 0 || rump_pub_etfs_register(ext2_slot[i].dev,
	    ext2_slot[i].img, RUMP_ETFS_BLK) != 0)
		return -1;
	args.fspec = ext2_slot[i].dev;
	if (rump_sys_mount("ext2fs", mnt, 0, &args, sizeof(args)) != 0)
		return -1;
	snprintf(ext2_slot[i].mnt, sizeof(ext2_slot[i].mnt), "%s", mnt);
	return 0;
}

static int
ext2fs_mount(const char *mnt, uint64_t sizelimit)
{
	return ext2img_mount(mnt, sizelimit, "ext2");
}

/* ext4: the same with mke2fs -t ext4's defaults (extents, metadata_csum...). */
static int
ext4fs_mount(const char *mnt, uint64_t sizelimit)
{
	return ext2img_mount(mnt, sizelimit, "ext4");
}

static int
ext2fs_unmount(const char *mnt)
{
	int rv = rump_sys_unmount(mnt, 0);

	for (int i = 0; i < EXT2_SLOTS; i++) {
		if (strcmp(ext2_slot[i].mnt, mnt) != 0)
			continue;
		if (rv == 0) {
			char cmd[256];

			/* What the case left must be clean to e2fsck. */
			snprintf(cmd, sizeof(cmd), "e2fsck -fn '%s' >/dev/null "
			    "2>&1 || { e2fsck -fn '%s' >&2; false; }",
			    ext2_slot[i].img, ext2_slot[i].img);
			if (system(cmd) != 0) {
				fprintf(stderr, "ext2fs: e2fsck found problems "
				    "in %s\n", ext2_slot[i].img);
				return -1;
			}
			(void)rump_pub_etfs_remove(ext2_slot[i].dev);
			unlink(ext2_slot[i].img);
			rmdir(ext2_slot[i].dir);
			ext2_slot[i].mnt[0] = '\0';
		}
		break;
	}
	return rv;
}

/*
 * ffs: an image made by Debian's makefs from an empty directory in a
 * temporary directory (removed at unmount), sizelimit bytes or 96 MiB,
 * an inode per 768 bytes (the suite makes a directory of 100,000 files),
 * registered as a block device and mounted read-write.  Two rows: UFS1
 * little-endian (makefs's default), UFS2 big-endian with 8 KiB blocks.
 */
struct ffsimg {
	char mnt[PATH_MAX];
	char dir[64];
};
static struct ffsimg ffsimgs[4];

static int
ffs_mkmount(const char *mnt, uint64_t sizelimit, const char *opts)
{
	struct ffsimg *fi = NULL;
	char cmd[512], img[128], key[32];
	struct ufs_args ua = { .fspec = key };
	size_t i;

	for (i = 0; i < sizeof(ffsimgs) / sizeof(ffsimgs[0]); i++)
		if (ffsimgs[i].dir[0] == '\0') {
			fi = &ffsimgs[i];
			break;
		}
	if (fi == NULL)
		return -1;
	snprintf(fi->dir, sizeof(fi->dir), "/tmp/fsffs.XXXXXX");
	if (mkdtemp(fi->dir) == NULL)
		return -1;
	snprintf(fi->mnt, sizeof(fi->mnt), "%s", mnt);
	snprintf(cmd, sizeof(cmd), "mkdir %s/empty && makefs -t ffs "
	    "-o density=768%s -s %llu %s/img %s/empty >/dev/null", fi->dir,
	    opts, (unsigned long long)(sizelimit != 0 ? sizelimit : 96 << 20),
	    fi->dir, fi->dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(img, sizeof(img), "%s/img", fi->dir);
	snprintf(key, sizeof(key), "/dev/fsffs%zu", i);
	if (rump_pub_etfs_register(key, img, RUMP_ETFS_BLK) != 0)
		return -1;
	return rump_sys_mount("ffs", mnt, 0, &ua, sizeof(ua));
}

static int
ffs_mount(const char *mnt, uint64_t sizelimit)
{
	return ffs_mkmount(mnt, sizelimit, "");
}

static int
ffs2be_mount(const char *mnt, uint64_t sizelimit)
{
	return ffs_mkmount(mnt, sizelimit,
	    ",version=2,bsize=8192,fsize=1024 -B be");
}

static int
ffs_unmount(const char *mnt)
{
	char cmd[2 * PATH_MAX];
	size_t i;
	int rv;

	if ((rv = rump_sys_unmount(mnt, 0)) != 0)
		return rv;
	for (i = 0; i < sizeof(ffsimgs) / sizeof(ffsimgs[0]); i++) {
		if (ffsimgs[i].dir[0] == '\0' ||
		    strcmp(ffsimgs[i].mnt, mnt) != 0)
			continue;
		/* What the case left must be clean to fsck_ffs. */
		snprintf(cmd, sizeof(cmd), "%s -n %s/img >/dev/null 2>&1 || "
		    "{ %s -n %s/img >&2; false; }", FSCK_FFS, ffsimgs[i].dir,
		    FSCK_FFS, ffsimgs[i].dir);
		if (system(cmd) != 0) {
			fprintf(stderr, "ffs: fsck_ffs found problems in "
			    "%s/img\n", ffsimgs[i].dir);
			return -1;
		}
		snprintf(cmd, sizeof(cmd), "rm -rf %s", ffsimgs[i].dir);
		if (system(cmd) != 0)
			return -1;
		ffsimgs[i].dir[0] = '\0';
	}
	return 0;
}

/*
 * msdos: a new FAT image made by mkfs.fat (FAT32, 256 MiB, or FAT12/16
 * as mkfs.fat picks for the size limit) in a temporary directory,
 * registered as a block device and mounted read-write with mode 0755
 * for files and directories.  At unmount fsck.fat -n must find nothing.
 */
#define MSDOS_SLOTS 4

static struct {
	char mnt[64];
	char dir[64];
	char img[96];
	char dev[32];
} msdos_slot[MSDOS_SLOTS];

static int
msdos_mount(const char *mnt, uint64_t sizelimit)
{
	struct msdosfs_args args = { .version = MSDOSFSMNT_VERSION,
		.mask = 0755, .dirmask = 0755 };
	char cmd[512];
	int i;

	for (i = 0; i < MSDOS_SLOTS && msdos_slot[i].mnt[0] != '\0'; i++)
		continue;
	if (i == MSDOS_SLOTS)
		return -1;
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin", 1);
	snprintf(msdos_slot[i].dir, sizeof(msdos_slot[i].dir),
	    "/tmp/fstable-msdos-XXXXXX");
	if (mkdtemp(msdos_slot[i].dir) == NULL)
		return -1;
	memcpy(msdos_slot[i].img, msdos_slot[i].dir, sizeof(msdos_slot[i].dir));
	strcat(msdos_slot[i].img, "/fs.img");
	snprintf(msdos_slot[i].dev, sizeof(msdos_slot[i].dev),
	    "/dev/fstable-msdos-%d", i);
	snprintf(cmd, sizeof(cmd), "mkfs.fat -C %s '%s' %llu >/dev/null 2>&1",
	    sizelimit != 0 ? "" : "-F 32", msdos_slot[i].img,
	    (unsigned long long)(sizelimit != 0 ? sizelimit / 1024 : 262144));
	if (system(cmd) != 0 || rump_pub_etfs_register(msdos_slot[i].dev,
	    msdos_slot[i].img, RUMP_ETFS_BLK) != 0)
		return -1;
	args.fspec = msdos_slot[i].dev;
	if (rump_sys_mount("msdos", mnt, 0, &args, sizeof(args)) != 0)
		return -1;
	snprintf(msdos_slot[i].mnt, sizeof(msdos_slot[i].mnt), "%s", mnt);
	return 0;
}

static int
msdos_unmount(const char *mnt)
{
	int rv = rump_sys_unmount(mnt, 0);
	char cmd[256];

	for (int i = 0; i < MSDOS_SLOTS; i++) {
		if (strcmp(msdos_slot[i].mnt, mnt) != 0 || rv != 0)
			continue;
		/* What the case left must be clean to fsck.fat. */
		snprintf(cmd, sizeof(cmd), "fsck.fat -n '%s' >/dev/null 2>&1 "
		    "|| { fsck.fat -n '%s' >&2; false; }", msdos_slot[i].img,
		    msdos_slot[i].img);
		if (system(cmd) != 0) {
			fprintf(stderr, "msdos: fsck.fat found problems in "
			    "%s\n", msdos_slot[i].img);
			return -1;
		}
		(void)rump_pub_etfs_remove(msdos_slot[i].dev);
		unlink(msdos_slot[i].img);
		rmdir(msdos_slot[i].dir);
		msdos_slot[i].mnt[0] = '\0';
		break;
	}
	return rv;
}

/*
 * cd9660: read-only, so the row runs only the cases that change
 * nothing: an image of an empty directory made by genisoimage (Rock
 * Ridge; xorriso writes no image of nothing),
 * in a temporary directory removed at unmount, mounted read-only.
 */
static struct {
	char mnt[PATH_MAX];
	char dir[64];
	char dev[32];
} isoimgs[4];

static int
cd9660_mount(const char *mnt, uint64_t sizelimit)
{
	struct iso_args args = { .fspec = NULL };
	char cmd[512], img[128];
	size_t i;

	if (sizelimit != 0)
		return -1;
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin", 1);
	for (i = 0; i < sizeof(isoimgs) / sizeof(isoimgs[0]); i++)
		if (isoimgs[i].dir[0] == '\0')
			break;
	if (i == sizeof(isoimgs) / sizeof(isoimgs[0]))
		return -1;
	snprintf(isoimgs[i].dir, sizeof(isoimgs[i].dir), "/tmp/fsiso.XXXXXX");
	if (mkdtemp(isoimgs[i].dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "mkdir -m 0755 %s/empty && genisoimage "
	    "-quiet -R -o %s/img %s/empty >/dev/null 2>&1",
	    isoimgs[i].dir, isoimgs[i].dir, isoimgs[i].dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(img, sizeof(img), "%s/img", isoimgs[i].dir);
	snprintf(isoimgs[i].dev, sizeof(isoimgs[i].dev), "/dev/fsiso%zu", i);
	snprintf(isoimgs[i].mnt, sizeof(isoimgs[i].mnt), "%s", mnt);
	if (rump_pub_etfs_register(isoimgs[i].dev, img, RUMP_ETFS_BLK) != 0)
		return -1;
	args.fspec = isoimgs[i].dev;
	return rump_sys_mount("cd9660", mnt, MS_RDONLY, &args, sizeof(args));
}

static int
cd9660_unmount(const char *mnt)
{
	char cmd[128];
	size_t i;
	int rv;

	if ((rv = rump_sys_unmount(mnt, 0)) != 0)
		return rv;
	for (i = 0; i < sizeof(isoimgs) / sizeof(isoimgs[0]); i++) {
		if (isoimgs[i].dir[0] == '\0' ||
		    strcmp(isoimgs[i].mnt, mnt) != 0)
			continue;
		(void)rump_pub_etfs_remove(isoimgs[i].dev);
		snprintf(cmd, sizeof(cmd), "rm -rf %s", isoimgs[i].dir);
		if (system(cmd) != 0)
			return -1;
		isoimgs[i].dir[0] = '\0';
	}
	return 0;
}

const struct fstype fstypes[] = {
	{ "rumpfs", FS_SIZELIMIT, "the root file system has no size limit",
	    rootfs_mount, rootfs_unmount },
	{ "tmpfs", 0, NULL, tmpfs_mount, tmpfs_unmount },
	{ "ext2fs", 0, NULL, ext2fs_mount, ext2fs_unmount },
	{ "ext4", 0, NULL, ext4fs_mount, ext2fs_unmount },
	{ "ffs", FS_XATTR, "UFS1 has no extended attribute area", ffs_mount,
	    ffs_unmount },
	{ "ffs2be", 0, NULL, ffs2be_mount, ffs_unmount },
	{ "msdos", FS_SYMLINKS | FS_HARDLINKS | FS_NSTIMES | FS_OWNERS |
	    FS_SPARSE | FS_NODES | FS_BIGDIRS | FS_XATTR, "FAT has no "
	    "symbolic or hard links, attributes, owners, permission bits or "
	    "device nodes, keeps "
	    "modification times in 2 s, files below 4 GiB without holes and "
	    "at most 65,536 entries a directory", msdos_mount,
	    msdos_unmount },
	{ "cd9660", FS_WRITABLE | FS_SIZELIMIT | FS_NSTIMES | FS_XATTR,
	    "read-only (ISO 9660: made whole by mkisofs-like tools; times to "
	    "1/100 s; no attributes)",
	    cd9660_mount, cd9660_unmount },
};
const size_t nfstypes = sizeof(fstypes) / sizeof(fstypes[0]);
