/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * libukfs as the original's clients use it: ukfs_mount of an FFS image
 * with struct rump_ufs_args naming the host image and UKFS_DEFAULTMP,
 * tmpfs with no device, the original's ukfs_open, ukfs_read_fd,
 * ukfs_write_fd, ukfs_opendir/ukfs_getdents_cookie/ukfs_closedir,
 * ukfs_chdir, ukfs_mkfifo, ukfs_utimes/ukfs_lutimes, ukfs_getmp,
 * ukfs_getrvp, ukfs_util_builddirs,
 * ukfs_getspecific/setspecific, partition handles, ukfs_mount_disk,
 * UKFS_RELFLAG_NOUNMOUNT, ukfs_modload and ukfs_modload_dir, and EINVAL
 * for every call on a NULL handle.
 */
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ukfs.h>

#include <dirent.h>
#include <err.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "h_macros.h"

static char dir[] = "/tmp/t_compat_ukfs.XXXXXX";
static char img[128];

static void
mkimage(void)
{
	char cmd[512];

	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(img, sizeof(img), "%s/ffs.img", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/t/sub && echo 0123456789 > "
	    "%s/t/file && makefs -t ffs -s 4m %s %s/t >/dev/null", dir, dir,
	    img, dir);
	REQUIRE_EQ(system(cmd), 0);
}

static void
rmimage(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	REQUIRE_EQ(system(cmd), 0);
}

TESTCASE(mount_image_path)
{
	struct rump_ufs_args args;
	struct ukfs_dircookie *c;
	struct ukfs *fs, *fs2;
	uint8_t buf[4096];
	off_t off = 0;
	int fd, n, names = 0;

	mkimage();
	REQUIRE_EQ(ukfs_init(), 0);
	args.fspec = img;               /* the host image, as the original */
	fs = ukfs_mount(RUMP_MOUNT_FFS, img, UKFS_DEFAULTMP, RUMP_MNT_RDONLY,
	    &args, sizeof(args));
	REQUIRE(fs != NULL);
	REQUIRE(strcmp(ukfs_getmountpath(fs), "/ukfs") == 0);
	REQUIRE(ukfs_getmp(fs) != NULL);
	/* A second mount at a fresh place is beside UKFS_DEFAULTMP, not in it. */
	REQUIRE((fs2 = ukfs_mount(RUMP_MOUNT_TMPFS, NULL, NULL, 0, NULL,
	    0)) != NULL);
	REQUIRE(strncmp(ukfs_getmountpath(fs2), "/ukfs/", 6) != 0);
	REQUIRE(ukfs_getmp(fs2) != ukfs_getmp(fs));
	REQUIRE_EQ(ukfs_release(fs2, 0), 0);

	REQUIRE_OK(fd = ukfs_open(fs, "/file", RUMP_O_RDONLY));
	REQUIRE_EQ(ukfs_read_fd(fs, fd, 4, buf, sizeof(buf)), 7);
	REQUIRE(memcmp(buf, "456789\n", 7) == 0);
	REQUIRE_ERRNO(ukfs_write_fd(fs, fd, 0, buf, 1, 0), RUMP_EBADF);
	REQUIRE_OK(ukfs_close(fs, fd));
	REQUIRE_ERRNO(ukfs_open(fs, "/new", RUMP_O_RDWR | RUMP_O_CREAT),
	    RUMP_EROFS);

	REQUIRE_EQ(ukfs_opendir(fs, "/", &c), 0);
	while ((n = ukfs_getdents_cookie(fs, c, &off, buf, sizeof(buf))) > 0) {
		for (int o = 0; o < n;) {
			unsigned short reclen;
			memcpy(&reclen, buf + o + 16, sizeof(reclen));
			if (strcmp((char *)buf + o + 19, "file") == 0 ||
			    strcmp((char *)buf + o + 19, "sub") == 0)
				names++;
			o += reclen;
		}
	}
	REQUIRE_EQ(n, 0);
	REQUIRE_EQ(names, 2);
	ukfs_closedir(fs, c);

	REQUIRE_EQ(ukfs_release(fs, 0), 0);
	REQUIRE_ERRNO(rump_sys_stat("/ukfs/file", &(struct stat){ 0 }),
	    RUMP_ENOENT);
	rmimage();
}

TESTCASE(tmpfs_no_device)
{
	struct rump_tmpfs_args ta = { .ta_version = RUMP_TMPFS_ARGS_VERSION,
		.ta_root_mode = 0755 };
	struct timeval tv[2] = { { 100, 5 }, { 200, 7 } };
	enum rump_vtype vt;
	struct vnode *rvp;
	struct stat sb;
	struct ukfs *fs;
	int fd, mine;

	REQUIRE_EQ(ukfs_init(), 0);
	fs = ukfs_mount(RUMP_MOUNT_TMPFS, "tmpfs", UKFS_DEFAULTMP, 0, &ta,
	    sizeof(ta));
	REQUIRE(fs != NULL);
	REQUIRE(strcmp(ukfs_getfstype(fs), "tmpfs") == 0);
	REQUIRE(ukfs_getspecific(fs) == NULL);
	ukfs_setspecific(fs, &mine);
	REQUIRE(ukfs_getspecific(fs) == &mine);

	REQUIRE_OK(ukfs_mkdir(fs, "/d", 0755));
	REQUIRE_OK(ukfs_util_builddirs(fs, "/d/x/y/z", 0700));
	REQUIRE_OK(ukfs_util_builddirs(fs, "/d/x/y/z", 0700));
	REQUIRE_OK(ukfs_stat(fs, "/d/x/y/z", &sb));
	REQUIRE_EQ(sb.st_mode, S_IFDIR | 0700);
	REQUIRE_OK(ukfs_create(fs, "/d/x/file", 0644));
	REQUIRE_ERRNO(ukfs_util_builddirs(fs, "/d/x/file/sub", 0755),
	    RUMP_ENOTDIR);
	rvp = ukfs_getrvp(fs);
	REQUIRE(rvp != NULL);
	rump_pub_getvninfo(rvp, &vt, NULL, NULL);
	REQUIRE_EQ(vt, RUMP_VDIR);
	rump_pub_vp_rele(rvp);
	REQUIRE_OK(ukfs_chdir(fs, "d"));
	REQUIRE_OK(fd = ukfs_open(fs, "f", RUMP_O_RDWR | RUMP_O_CREAT));
	REQUIRE_EQ(ukfs_write_fd(fs, fd, 2, (uint8_t *)"abc", 3, 1), 3);
	REQUIRE_OK(ukfs_close(fs, fd));
	REQUIRE_OK(ukfs_stat(fs, "/d/f", &sb));
	REQUIRE_EQ(sb.st_size, 5);
	REQUIRE_EQ(sb.st_mode, S_IFREG | 0644);    /* 0666 less umask 022 */
	REQUIRE_OK(ukfs_stat(fs, "../d/./f", &sb));
	REQUIRE_OK(ukfs_mkfifo(fs, "p", 0600));
	REQUIRE_OK(ukfs_lstat(fs, "/d/p", &sb));
	REQUIRE(S_ISFIFO(sb.st_mode));
	REQUIRE_OK(ukfs_utimes(fs, "f", tv));
	REQUIRE_OK(ukfs_stat(fs, "f", &sb));
	REQUIRE_EQ(sb.st_atim.tv_sec, 100);
	REQUIRE_EQ(sb.st_atim.tv_nsec, 5000);
	REQUIRE_EQ(sb.st_mtim.tv_sec, 200);
	REQUIRE_EQ(sb.st_mtim.tv_nsec, 7000);
	REQUIRE_OK(ukfs_symlink(fs, "f", "l"));
	REQUIRE_OK(ukfs_lutimes(fs, "l", tv));
	REQUIRE_OK(ukfs_lstat(fs, "l", &sb));
	REQUIRE_EQ(sb.st_mtim.tv_sec, 200);
	REQUIRE_ERRNO(ukfs_chdir(fs, "f"), RUMP_ENOTDIR);
	REQUIRE_ERRNO(ukfs_chdir(fs, "none"), RUMP_ENOENT);
	REQUIRE_OK(ukfs_chdir(fs, "/"));
	REQUIRE_OK(ukfs_stat(fs, "d/f", &sb));

	/* Released without unmounting: the kernel still has it. */
	REQUIRE_ERRNO(ukfs_release(fs, 0x10), RUMP_EINVAL);
	REQUIRE_EQ(ukfs_release(fs, UKFS_RELFLAG_NOUNMOUNT), 0);
	REQUIRE_OK(rump_sys_stat("/ukfs/d/f", &sb));
	REQUIRE_EQ(sb.st_size, 5);
	REQUIRE_OK(rump_sys_unmount("/ukfs", 0));
}

TESTCASE(null_handle)
{
	struct ukfs_dircookie *c;
	struct statvfs sv;
	struct stat sb;
	char buf[16];
	off_t off = 0;

	REQUIRE_EQ(ukfs_init(), 0);
#define NULLCALL(call)                                                         \
	do {                                                                   \
		errno = 0;                                                     \
		REQUIRE_EQ((long)(call), -1L);                                 \
		REQUIRE_EQ(errno, RUMP_EINVAL);                                \
	} while (0)
#define NULLPTR(call)                                                          \
	do {                                                                   \
		errno = 0;                                                     \
		REQUIRE((call) == NULL);                                       \
		REQUIRE_EQ(errno, RUMP_EINVAL);                                \
	} while (0)
	NULLCALL(ukfs_release(NULL, 0));
	NULLCALL(ukfs_getpartition(NULL));
	NULLPTR(ukfs_getmountpath(NULL));
	NULLPTR(ukfs_getfstype(NULL));
	NULLPTR(ukfs_getmp(NULL));
	NULLPTR(ukfs_getrvp(NULL));
	NULLCALL(ukfs_util_builddirs(NULL, "/a/b", 0755));
	NULLPTR(ukfs_getspecific(NULL));
	ukfs_setspecific(NULL, buf);
	NULLCALL(ukfs_open(NULL, "/", RUMP_O_RDONLY));
	NULLCALL(ukfs_open_mode(NULL, "/", RUMP_O_RDONLY, 0));
	NULLCALL(ukfs_close(NULL, 0));
	NULLCALL(ukfs_pread(NULL, 0, buf, 1, 0));
	NULLCALL(ukfs_pwrite(NULL, 0, buf, 1, 0));
	NULLCALL(ukfs_read_fd(NULL, 0, 0, (uint8_t *)buf, 1));
	NULLCALL(ukfs_write_fd(NULL, 0, 0, (uint8_t *)buf, 1, 0));
	NULLCALL(ukfs_fdread(NULL, 0, buf, 1));
	NULLCALL(ukfs_fdwrite(NULL, 0, buf, 1));
	NULLCALL(ukfs_fstat(NULL, 0, &sb));
	NULLCALL(ukfs_ftruncate(NULL, 0, 0));
	NULLCALL(ukfs_lseek(NULL, 0, 0, 0));
	NULLCALL(ukfs_fsync(NULL, 0));
	NULLCALL(ukfs_getdents_fd(NULL, 0, buf, sizeof(buf)));
	NULLCALL(ukfs_read(NULL, "/f", 0, buf, 1));
	NULLCALL(ukfs_write(NULL, "/f", 0, buf, 1));
	NULLCALL(ukfs_create(NULL, "/f", 0644));
	NULLCALL(ukfs_mknod(NULL, "/f", 0644, 0));
	NULLCALL(ukfs_mkfifo(NULL, "/f", 0644));
	NULLCALL(ukfs_getdents(NULL, "/", &off, buf, sizeof(buf)));
	NULLPTR(ukfs_diropen(NULL, "/"));
	NULLCALL(ukfs_readdir(NULL, NULL));
	NULLCALL(ukfs_dirgetdents(NULL, &off, buf, sizeof(buf)));
	ukfs_dirclose(NULL);
	NULLCALL(ukfs_opendir(NULL, "/", &c));
	NULLCALL(ukfs_getdents_cookie(NULL, NULL, &off, (uint8_t *)buf, 1));
	ukfs_closedir(NULL, NULL);
	NULLCALL(ukfs_stat(NULL, "/", &sb));
	NULLCALL(ukfs_lstat(NULL, "/", &sb));
	NULLCALL(ukfs_mkdir(NULL, "/d", 0755));
	NULLCALL(ukfs_remove(NULL, "/f"));
	NULLCALL(ukfs_rmdir(NULL, "/d"));
	NULLCALL(ukfs_rename(NULL, "/a", "/b"));
	NULLCALL(ukfs_link(NULL, "/a", "/b"));
	NULLCALL(ukfs_symlink(NULL, "a", "/b"));
	NULLCALL(ukfs_readlink(NULL, "/b", buf, sizeof(buf)));
	NULLCALL(ukfs_chmod(NULL, "/", 0755));
	NULLCALL(ukfs_lchmod(NULL, "/", 0755));
	NULLCALL(ukfs_chown(NULL, "/", 0, 0));
	NULLCALL(ukfs_lchown(NULL, "/", 0, 0));
	NULLCALL(ukfs_utimens(NULL, "/", NULL));
	NULLCALL(ukfs_lutimens(NULL, "/", NULL));
	NULLCALL(ukfs_utimes(NULL, "/", NULL));
	NULLCALL(ukfs_lutimes(NULL, "/", NULL));
	NULLCALL(ukfs_truncate(NULL, "/f", 0));
	NULLCALL(ukfs_access(NULL, "/", 0));
	NULLCALL(ukfs_chdir(NULL, "/"));
	NULLCALL(ukfs_statvfs(NULL, &sv));
	NULLCALL(ukfs_sync(NULL));
}

TESTCASE(partitions)
{
	char dev1[] = "/no/such/disk.img:2";
	char dev2[] = "/no/such/disk.img:rootfs";
	char dev3[] = "/no/such/disk.img";
	char dev4[] = "/x%DISKLABEL:a%";
	char *argv[] = { (char *)"prog", dev1, (char *)"/path", NULL };
	int argc = 3;
	struct ukfs_part *part;
	struct ukfs *fs;
	char buf[32];

	REQUIRE_EQ(ukfs_part_probe(dev1, &part), 0);
	REQUIRE(strcmp(dev1, "/no/such/disk.img") == 0);
	REQUIRE_EQ(ukfs_part_tostring(part, buf, sizeof(buf)), 1);
	REQUIRE(strcmp(buf, "2") == 0);
	ukfs_part_release(part);
	REQUIRE_EQ(ukfs_part_probe(dev2, &part), 0);
	REQUIRE(strcmp(dev2, "/no/such/disk.img") == 0);
	REQUIRE_EQ(ukfs_part_tostring(part, buf, sizeof(buf)), 6);
	REQUIRE(strcmp(buf, "rootfs") == 0);
	ukfs_part_release(part);
	REQUIRE_EQ(ukfs_part_probe(dev3, &part), 0);
	REQUIRE(part == ukfs_part_none);
	REQUIRE_EQ(ukfs_part_tostring(part, buf, sizeof(buf)), 4);
	REQUIRE(strcmp(buf, "none") == 0);
	REQUIRE_ERRNO(ukfs_part_probe(dev4, &part), RUMP_ENODEV);

	/* The original's command-line probe: the next to last argument. */
	strcpy(dev1, "/no/such/disk.img:3");
	UKFS_PARTITION_ARGVPROBE(&part);
	REQUIRE_EQ(ukfs_part_tostring(part, buf, sizeof(buf)), 1);
	REQUIRE(strcmp(buf, "3") == 0);
	ukfs_part_release(part);
	argc = 2;
	UKFS_PARTITION_ARGVPROBE(&part);
	REQUIRE(part == NULL);

	/* ukfs_mount_disk with a handle: the whole image. */
	mkimage();
	REQUIRE_EQ(ukfs_init(), 0);
	fs = ukfs_mount_disk(RUMP_MOUNT_FFS, img, ukfs_part_none, NULL,
	    RUMP_MNT_RDONLY, NULL, 0);
	REQUIRE(fs != NULL);
	REQUIRE_EQ(ukfs_getpartition(fs), UKFS_PARTITION_NONE);
	REQUIRE_EQ(ukfs_read(fs, "/file", 0, buf, 10), 10);
	REQUIRE(memcmp(buf, "0123456789", 10) == 0);
	REQUIRE_EQ(ukfs_release(fs, 0), 0);
	/* A partition of an image with no table: ENXIO. */
	REQUIRE_EQ(ukfs_part_probe(strcpy(buf, "x:1"), &part), 0);
	REQUIRE(ukfs_mount_disk(RUMP_MOUNT_FFS, img, part, NULL,
	    RUMP_MNT_RDONLY, NULL, 0) == NULL);
	REQUIRE_EQ(errno, RUMP_ENXIO);
	ukfs_part_release(part);
	rmimage();
	(void)argv;
}

/* The file-system libraries (librumpfs_*.so) in dir. */
static int
count_fslibs(const char *dir)
{
	struct dirent *de;
	size_t len;
	DIR *d;
	int n = 0;

	REQUIRE((d = opendir(dir)) != NULL);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strncmp(de->d_name, "librumpfs_", 10) == 0 && len > 3 &&
		    strcmp(de->d_name + len - 3, ".so") == 0)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * fs-utils' way to get file systems: load them.  ffs and tmpfs are
 * linked (0: loaded already), ext2fs is not until the directory is
 * loaded, with every other file system there.  RUMP_FS_LIBDIR is the
 * build's library directory.
 */
TESTCASE(modload)
{
	char so[512];

	REQUIRE_EQ(ukfs_init(), 0);
	REQUIRE_OK(rump_sys_mkdir("/e", 0755));
	REQUIRE_ERRNO(rump_sys_mount(RUMP_MOUNT_EXT2FS, "/e", 0, NULL, 0),
	    RUMP_ENODEV);
	REQUIRE_ERRNO(ukfs_modload("/no/such/librumpfs_x.so"), RUMP_ENOENT);
	snprintf(so, sizeof(so), "%s/librumpfs_tmpfs.so", RUMP_FS_LIBDIR);
	REQUIRE_EQ(ukfs_modload(so), 0);
	REQUIRE_EQ(ukfs_modload_dir(RUMP_FS_LIBDIR),
	    count_fslibs(RUMP_FS_LIBDIR) - 2);
	REQUIRE_EQ(ukfs_modload_dir(RUMP_FS_LIBDIR), 0);
	/* There now: no arguments is the file system's EINVAL. */
	REQUIRE_ERRNO(rump_sys_mount(RUMP_MOUNT_EXT2FS, "/e", 0, NULL, 0),
	    RUMP_EINVAL);
	REQUIRE_ERRNO(ukfs_modload_dir("/no/such/dir"), RUMP_ENOENT);
}

TESTS(CASE(mount_image_path), CASE(tmpfs_no_device), CASE(null_handle),
    CASE(partitions), CASE(modload))
