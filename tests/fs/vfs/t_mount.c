/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mounts on every file system: a mount on a directory of it, crossing
 * with "..", read-only mounts and remounts, nodev, EBUSY, unknown types,
 * listing the mounts.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <rump/rumpvfs.h>
#include <rump/tmpfs_args.h>
#include <rump/ufs_args.h>

#include "h_fsmacros.h"

FSTEST(mount_cross, FS_WRITABLE)
{
	struct stat top, sb;
	char buf[256];

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_stat(".", &top));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	REQUIRE_OK(rump_sys_stat("m", &sb));
	REQUIRE(sb.st_dev != top.st_dev);
	REQUIRE_EQ(sb.st_mode, S_IFDIR | 01777);
	REQUIRE_OK(rump_sys_stat("m/..", &sb));
	REQUIRE_EQ(sb.st_ino, top.st_ino);
	REQUIRE_EQ(sb.st_dev, top.st_dev);
	/* A mount on the mount. */
	REQUIRE_OK(rump_sys_mkdir("m/n", 0755));
	REQUIRE_OK(rump_sys_mount("rumpfs", "m/n", 0, NULL, 0));
	REQUIRE_OK(rump_sys_chdir("m/n"));
	REQUIRE_OK(rump_sys_getcwd(buf, sizeof(buf)));
	REQUIRE(strcmp(buf, FS_MNT "/m/n") == 0);
	REQUIRE_ERRNO(rump_sys_unmount(FS_MNT "/m/n", 0), EBUSY);
	REQUIRE_OK(rump_sys_chdir("../.."));
	REQUIRE_ERRNO(rump_sys_unmount("m", 0), EBUSY);  /* m/n is on it */
	REQUIRE_OK(rump_sys_unmount("m/n", 0));
	REQUIRE_OK(rump_sys_unmount("m", 0));
	REQUIRE_ERRNO(rump_sys_stat("m/n", &sb), ENOENT);
	REQUIRE_ERRNO(rump_sys_unmount("m", 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_unmount("/", 0), EBUSY);
}

FSTEST(mount_busy_file, FS_WRITABLE)
{
	int fd;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	REQUIRE_OK(fd = rump_sys_open("m/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_ERRNO(rump_sys_unmount("m", 0), EBUSY);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount("m", 0));
}

FSTEST(mount_rdonly, FS_WRITABLE)
{
	struct statvfs sv;
	int fd;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	fs_mkfile("m/f", "data", 4);
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_REMOUNT | MS_RDONLY,
	    NULL, 0));
	REQUIRE_OK(rump_sys_statvfs("m", &sv));
	REQUIRE(sv.f_flag & ST_RDONLY);
	REQUIRE_ERRNO(rump_sys_open("m/f", O_WRONLY, 0), EROFS);
	REQUIRE_ERRNO(rump_sys_open("m/g", O_WRONLY | O_CREAT, 0644), EROFS);
	REQUIRE_ERRNO(rump_sys_mkdir("m/d", 0755), EROFS);
	REQUIRE_ERRNO(rump_sys_unlink("m/f"), EROFS);
	REQUIRE_ERRNO(rump_sys_chmod("m/f", 0), EROFS);
	REQUIRE_ERRNO(rump_sys_access("m/f", W_OK), EROFS);
	fs_checkfile("m/f", "data");
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_REMOUNT, NULL, 0));
	REQUIRE_OK(fd = rump_sys_open("m/f", O_WRONLY, 0));
	REQUIRE_OK(rump_sys_close(fd));
	/* Remounting takes a mount's root; "." is one only on tmpfs here. */
	if (strcmp(fs->fs_name, "rumpfs") == 0)
		REQUIRE_ERRNO(rump_sys_mount("tmpfs", ".", MS_REMOUNT, NULL, 0),
		    EINVAL);
	REQUIRE_OK(rump_sys_unmount("m", 0));
}

/* rw -> ro with a file open for writing is EBUSY, as on Linux. */
FSTEST(mount_rdonly_busy, FS_WRITABLE)
{
	int fd, rfd;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	REQUIRE_OK(fd = rump_sys_open("m/f", O_WRONLY | O_CREAT, 0644));
	REQUIRE_OK(rfd = rump_sys_open("m/f", O_RDONLY, 0));
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", "m", MS_REMOUNT | MS_RDONLY,
	    NULL, 0), EBUSY);
	/* Nothing changed: still writable. */
	REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
	REQUIRE_OK(rump_sys_close(fd));
	/* Readers do not hold it back. */
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_REMOUNT | MS_RDONLY,
	    NULL, 0));
	REQUIRE_ERRNO(rump_sys_open("m/f", O_RDWR, 0), EROFS);
	REQUIRE_OK(rump_sys_close(rfd));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_REMOUNT, NULL, 0));
	/* A failed open for writing leaves no writer behind. */
	REQUIRE_OK(rump_sys_mkdir("m/d", 0755));
	REQUIRE_ERRNO(rump_sys_open("m/d", O_RDWR, 0), EISDIR);
	REQUIRE_OK(fd = rump_sys_open("m/f", O_RDWR | O_TRUNC, 0));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_REMOUNT | MS_RDONLY,
	    NULL, 0));
	REQUIRE_OK(rump_sys_unmount("m", 0));
}

struct waiter {
	volatile int started, done;
	int rv, err;
};

/* Another process waits in F_SETLKW for the lock the test holds. */
static void *
lock_waiter(void *arg)
{
	struct waiter *w = arg;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 ||
	    (fd = rump_sys_open(FS_MNT "/m/f", O_RDWR, 0)) == -1) {
		w->rv = -2;
		w->done = 1;
		return NULL;
	}
	w->started = 1;
	w->rv = rump_sys_fcntl(fd, F_SETLKW, (long)&fl);
	w->err = errno;
	w->done = 1;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/*
 * A forced unmount with files open, a current directory inside and a
 * lock waiter: it succeeds, the open files fail with EIO (close works),
 * the waiter wakes with EIO and lookups from the directory fail.
 */
FSTEST(mount_force, FS_WRITABLE)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat top, sb;
	struct statvfs sv;
	struct waiter w = { 0 };
	struct lwp *main_lwp, *incwd;
	pthread_t th;
	char buf[64];
	int fd, dfd;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_stat("m", &top));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	REQUIRE_OK(rump_sys_mkdir("m/d", 0755));
	fs_mkfile("m/f", "data", 4);
	REQUIRE_OK(fd = rump_sys_open("m/f", O_RDWR, 0));
	REQUIRE_OK(dfd = rump_sys_open("m/d", O_RDONLY | O_DIRECTORY, 0));
	REQUIRE_OK(rump_sys_fcntl(fd, F_SETLK, (long)&fl));
	main_lwp = rump_pub_lwproc_curlwp();
	/* A process whose current directory is in the mount. */
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	incwd = rump_pub_lwproc_curlwp();
	REQUIRE_OK(rump_sys_chdir("m/d"));
	rump_pub_lwproc_switch(main_lwp);
	REQUIRE_EQ(pthread_create(&th, NULL, lock_waiter, &w), 0);
	while (!w.started && !w.done)
		usleep(1000);
	usleep(100000);
	REQUIRE(!w.done);               /* blocked on our lock */

	REQUIRE_ERRNO(rump_sys_unmount("m", 0), EBUSY);
	REQUIRE_ERRNO(rump_sys_unmount("m", 0x100), EINVAL);
	REQUIRE_OK(rump_sys_unmount("m", MNT_FORCE));
	REQUIRE_EQ(pthread_join(th, NULL), 0);
	REQUIRE_EQ(w.rv, -1);
	REQUIRE_EQ(w.err, EIO);

	/* The open file and directory are revoked. */
	REQUIRE_ERRNO(rump_sys_read(fd, buf, sizeof(buf)), EIO);
	REQUIRE_ERRNO(rump_sys_write(fd, "x", 1), EIO);
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, 1, 0), EIO);
	REQUIRE_ERRNO(rump_sys_fstat(fd, &sb), EIO);
	REQUIRE_ERRNO(rump_sys_fstatvfs(fd, &sv), EIO);
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, 0), EIO);
	REQUIRE_ERRNO(rump_sys_fsync(fd), EIO);
	REQUIRE_ERRNO(rump_sys_fcntl(fd, F_SETLK, (long)&fl), EIO);
	REQUIRE_ERRNO(rump_sys_getdents64(dfd, buf, sizeof(buf)), EIO);
	REQUIRE_ERRNO(rump_sys_openat(dfd, "g", O_CREAT | O_RDWR, 0644), EIO);
	REQUIRE_ERRNO(rump_sys_fchdir(dfd), EIO);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_close(dfd));

	/* Lookups relative to the revoked current directory fail. */
	rump_pub_lwproc_switch(incwd);
	REQUIRE_ERRNO(rump_sys_stat(".", &sb), EIO);
	REQUIRE_ERRNO(rump_sys_stat("..", &sb), EIO);
	REQUIRE_ERRNO(rump_sys_open("new", O_CREAT | O_RDWR, 0644), EIO);
	REQUIRE_ERRNO(rump_sys_mkdir("sub", 0755), EIO);
	REQUIRE_ERRNO(rump_sys_getcwd(buf, sizeof(buf)), ENOENT);
	/* Absolute paths still work, and the mount point is bare again. */
	REQUIRE_OK(rump_sys_stat(FS_MNT "/m", &sb));
	REQUIRE_EQ(sb.st_ino, top.st_ino);
	REQUIRE_EQ(sb.st_dev, top.st_dev);
	REQUIRE_ERRNO(rump_sys_stat(FS_MNT "/m/f", &sb), ENOENT);
	REQUIRE_OK(rump_sys_chdir(FS_MNT));
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(main_lwp);

	/* The directory can be mounted on again; a submount blocks force. */
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	REQUIRE_OK(rump_sys_mkdir("m/n", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m/n", 0, NULL, 0));
	REQUIRE_ERRNO(rump_sys_unmount("m", MNT_FORCE), EBUSY);
	REQUIRE_OK(rump_sys_unmount("m/n", MNT_FORCE));
	REQUIRE_OK(rump_sys_unmount("m", MNT_FORCE));
	REQUIRE_ERRNO(rump_sys_unmount("m", MNT_FORCE), EINVAL);
}

/*
 * nodev: a device node opens as no device (EACCES, as on Linux), for
 * reading or writing, and mounts as none; a node of the same numbers
 * elsewhere reaches the driver (none here: ENXIO).  A remount changes it.
 */
FSTEST(mount_nodev, FS_WRITABLE | FS_NODES)
{
	struct ufs_args args = { .fspec = (char *)"m/b" };
	struct statvfs sv;
	struct stat sb;
	dev_t dev = makedev(1, 3);

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_mkdir("m2", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_NODEV, NULL, 0));
	REQUIRE_OK(rump_sys_statvfs("m", &sv));
	REQUIRE(sv.f_flag & ST_NODEV);
	REQUIRE_OK(rump_sys_mknod("m/b", S_IFBLK | 0600, dev));
	REQUIRE_OK(rump_sys_mknod("m/c", S_IFCHR | 0600, dev));
	REQUIRE_OK(rump_sys_mknod("b", S_IFBLK | 0600, dev));
	REQUIRE_OK(rump_sys_stat("m/b", &sb));
	REQUIRE_EQ(sb.st_rdev, dev);
	REQUIRE_ERRNO(rump_sys_open("m/b", O_RDONLY, 0), EACCES);
	REQUIRE_ERRNO(rump_sys_open("m/b", O_RDWR, 0), EACCES);
	REQUIRE_ERRNO(rump_sys_open("m/c", O_WRONLY, 0), EACCES);
	REQUIRE_ERRNO(rump_sys_mount("ext2fs", "m2", MS_RDONLY, &args,
	    sizeof(args)), EACCES);
	REQUIRE_ERRNO(rump_sys_open("b", O_RDONLY, 0), ENXIO);
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_REMOUNT, NULL, 0));
	REQUIRE_ERRNO(rump_sys_open("m/b", O_RDONLY, 0), ENXIO);
	REQUIRE_ERRNO(rump_sys_open("m/c", O_RDONLY, 0), ENXIO);
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", MS_REMOUNT | MS_NODEV, NULL,
	    0));
	REQUIRE_ERRNO(rump_sys_open("m/c", O_RDONLY, 0), EACCES);
	/* The failed opens kept no reference: the mount is not busy. */
	REQUIRE_OK(rump_sys_unmount("m", 0));
}

FSTEST(mount_errors, FS_WRITABLE)
{
	struct tmpfs_args ta = { .ta_version = 99 };

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_ERRNO(rump_sys_mount("nosuchfs", "m", 0, NULL, 0), ENODEV);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", "nope", 0, NULL, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", "m", 0, &ta, sizeof(ta)),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", "m", 0, &ta, 3), EINVAL);
	REQUIRE_ERRNO(rump_sys_mount(NULL, "m", 0, NULL, 0), EFAULT);
	fs_mkfile("f", "", 0);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", "f", 0, NULL, 0), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_unmount("nope", 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_unmount("m", 0), EINVAL);
	fs_become(1000, 100);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", FS_MNT "/m", 0, NULL, 0), EPERM);
	REQUIRE_ERRNO(rump_sys_unmount(FS_MNT, 0), EPERM);
	rump_pub_lwproc_releaselwp();
}

FSTEST(mount_list, FS_WRITABLE)
{
	struct rump_mntinfo mi[8];
	int n, found = 0;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("m", 0755));
	REQUIRE_OK(rump_sys_mount("tmpfs", "m", 0, NULL, 0));
	REQUIRE_OK(n = rump_sys_getvfsstat(NULL, 0));
	REQUIRE(n >= 2 && n <= 8);
	REQUIRE_EQ(rump_sys_getvfsstat(mi, sizeof(mi)), n);
	REQUIRE(strcmp(mi[0].mi_fstype, "rumpfs") == 0);
	REQUIRE(strcmp(mi[0].mi_onname, "/") == 0);
	for (int i = 0; i < n; i++)
		if (strcmp(mi[i].mi_fstype, "tmpfs") == 0 &&
		    strcmp(mi[i].mi_onname, "m") == 0)
			found++;
	REQUIRE_EQ(found, 1);
	REQUIRE_EQ(rump_sys_getvfsstat(mi, sizeof(mi[0])), 1);
	REQUIRE_OK(rump_sys_unmount("m", 0));
}

FSTESTS(FSCASE(mount_cross), FSCASE(mount_busy_file), FSCASE(mount_rdonly),
    FSCASE(mount_errors), FSCASE(mount_list), FSCASE(mount_rdonly_busy),
    FSCASE(mount_force), FSCASE(mount_nodev))
