/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A client written as for the original rump kernel: <rump/rump.h> and
 * <rump/rump_syscalls.h> only (no host <fcntl.h> constants: the RUMP_
 * ones), two-argument rump_sys_open, variadic fcntl (a pointer for the
 * record locks) and openat, the
 * etfs calls and their enum from rump.h alone, RUMP_MOUNT_* type names,
 * struct rump_tmpfs_args and struct rump_ufs_args, RUMP_MNT_* flags,
 * RUMP_RFFD_*, rump_pub_lwproc_newlwp(0), and the BSD calls (mkfifo,
 * lchmod, utimes, lutimes, futimes, chflags, getdents, statvfs1).
 */
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

#include "h_macros.h"

TESTCASE(open_two_args)
{
	char buf[8];
	int fd;

	fd = rump_sys_open("/f", RUMP_O_RDWR | RUMP_O_CREAT, 0640);
	REQUIRE_OK(fd);
	REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
	REQUIRE_OK(rump_sys_close(fd));
	/* The original's form: no mode when nothing is created. */
	REQUIRE_OK(fd = rump_sys_open("/f", RUMP_O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 3);
	REQUIRE(memcmp(buf, "abc", 3) == 0);
	REQUIRE_EQ(rump_sys_fcntl(fd, RUMP_F_GETFL), RUMP_O_RDONLY);
	REQUIRE_EQ(rump_sys_fcntl(fd, RUMP_F_SETFD, RUMP_FD_CLOEXEC), 0);
	REQUIRE_EQ(rump_sys_fcntl(fd, RUMP_F_GETFD), RUMP_FD_CLOEXEC);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_openat(RUMP_AT_FDCWD, "f", RUMP_O_RDONLY));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_openat(RUMP_AT_FDCWD, "g",
	    RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_EXCL, 0604));
	REQUIRE_OK(rump_sys_close(fd));
	struct stat sb;
	REQUIRE_OK(rump_sys_stat("/g", &sb));
	REQUIRE_EQ(sb.st_mode & 0777, 0604 & ~022);
	REQUIRE_ERRNO(rump_sys_open("/nope", RUMP_O_RDONLY), RUMP_ENOENT);
}

/* fcntl's optional argument as a pointer, as the original's clients pass. */
TESTCASE(fcntl_pointer)
{
	struct flock fl = { .l_type = RUMP_F_WRLCK, .l_whence = RUMP_SEEK_SET,
		.l_start = 10, .l_len = 5 };
	int fd;

	REQUIRE_OK(fd = rump_sys_open("/l", RUMP_O_RDWR | RUMP_O_CREAT, 0644));
	REQUIRE_OK(rump_sys_fcntl(fd, RUMP_F_SETLK, &fl));
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_COPY), 0);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = RUMP_F_RDLCK;
	fl.l_start = 12;
	fl.l_len = 1;
	REQUIRE_OK(rump_sys_fcntl(fd, RUMP_F_GETLK, &fl));
	REQUIRE_EQ(fl.l_type, RUMP_F_WRLCK);
	REQUIRE_EQ(fl.l_start, 10);
	REQUIRE_EQ(fl.l_len, 5);
	REQUIRE_EQ(fl.l_pid, 1);
	REQUIRE_ERRNO(rump_sys_fcntl(fd, RUMP_F_SETLK, &fl), RUMP_EAGAIN);
	rump_pub_lwproc_releaselwp();
	rump_sys_close(fd);
}

/* etfs from rump.h alone, and the original's rule: absolute keys. */
TESTCASE(etfs_from_rump_h)
{
	char host[] = "/tmp/t_compat_sys.XXXXXX", buf[6];
	enum rump_etfs_type type = RUMP_ETFS_REG;
	int hfd, fd;

	REQUIRE_OK(hfd = mkstemp(host));
	REQUIRE_EQ(write(hfd, "hello", 5), 5);
	close(hfd);
	REQUIRE_EQ(rump_pub_etfs_register("key", host, type), RUMP_EINVAL);
	REQUIRE_EQ(rump_pub_etfs_register("/key", host, type), 0);
	REQUIRE_OK(fd = rump_sys_open("/key", RUMP_O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 5);
	REQUIRE(memcmp(buf, "hello", 5) == 0);
	rump_sys_close(fd);
	REQUIRE_EQ(rump_pub_etfs_remove("key"), RUMP_EINVAL);
	REQUIRE_EQ(rump_pub_etfs_remove("/key"), 0);
	unlink(host);
}

TESTCASE(tmpfs_by_original_names)
{
	struct rump_tmpfs_args ta;
	struct statvfs sv;
	int fd;

	memset(&ta, 0, sizeof(ta));
	ta.ta_version = RUMP_TMPFS_ARGS_VERSION;
	ta.ta_size_max = 1 << 20;
	ta.ta_root_mode = 0750;
	REQUIRE_OK(rump_sys_mkdir("/t", 0777));
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/t", 0, &ta, sizeof(ta)));
	struct stat sb;
	REQUIRE_OK(rump_sys_stat("/t", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0750);
	REQUIRE_OK(rump_sys_statvfs1("/t", &sv, RUMP_ST_WAIT));
	REQUIRE_EQ(sv.f_blocks * sv.f_frsize, 1 << 20);
	REQUIRE_OK(rump_sys_statvfs1("/t", &sv, RUMP_ST_NOWAIT));
	REQUIRE_ERRNO(rump_sys_statvfs1("/t", &sv, 4), RUMP_EINVAL);
	REQUIRE_OK(fd = rump_sys_open("/t", RUMP_O_RDONLY));
	REQUIRE_OK(rump_sys_fstatvfs1(fd, &sv, RUMP_ST_WAIT));
	REQUIRE_EQ(sv.f_blocks * sv.f_frsize, 1 << 20);
	REQUIRE_ERRNO(rump_sys_fstatvfs1(fd, &sv, -1), RUMP_EINVAL);
	rump_sys_close(fd);
	/* RUMP_MNT_UPDATE | RUMP_MNT_RDONLY: read-only now. */
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/t",
	    RUMP_MNT_UPDATE | RUMP_MNT_RDONLY, NULL, 0));
	REQUIRE_ERRNO(rump_sys_mkdir("/t/d", 0755), RUMP_EROFS);
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/t", RUMP_MNT_UPDATE, NULL,
	    0));
	REQUIRE_OK(fd = rump_sys_open("/t/busy", RUMP_O_RDWR | RUMP_O_CREAT,
	    0600));
	REQUIRE_ERRNO(rump_sys_unmount("/t", 0), RUMP_EBUSY);
	/* The original's RUMP_MNT_FORCE forces an unmount. */
	REQUIRE_OK(rump_sys_unmount("/t", RUMP_MNT_FORCE));
	REQUIRE_ERRNO(rump_sys_write(fd, "x", 1), RUMP_EIO);
	rump_sys_close(fd);
	REQUIRE_ERRNO(rump_sys_mount(RUMP_MOUNT_NFS, "/t", 0, NULL, 0),
	    RUMP_ENODEV);
	/* Same layout as ours, field by field. */
	REQUIRE_EQ(offsetof(struct rump_tmpfs_args, ta_root_mode),
	    offsetof(struct rump_tmpfs_args, ta_root_gid) + sizeof(gid_t));
}

/* An FFS image made by makefs, mounted the original's way. */
TESTCASE(ffs_by_original_names)
{
	char dir[] = "/tmp/t_compat_ffs.XXXXXX", cmd[512], img[128];
	struct rump_ufs_args args;
	char buf[16];
	int fd;

	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(img, sizeof(img), "%s/ffs.img", dir);
	snprintf(cmd, sizeof(cmd), "mkdir %s/t && echo compat > %s/t/file && "
	    "makefs -t ffs -s 4m %s %s/t >/dev/null", dir, dir, img, dir);
	REQUIRE_EQ(system(cmd), 0);
	REQUIRE_EQ(rump_pub_etfs_register("/dev/ffs", img, RUMP_ETFS_BLK), 0);
	args.fspec = (char *)"/dev/ffs";
	REQUIRE_OK(rump_sys_mkdir("/mnt", 0755));
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_FFS, "/mnt", RUMP_MNT_RDONLY,
	    &args, sizeof(args)));
	REQUIRE_OK(fd = rump_sys_open("/mnt/file", RUMP_O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 7);
	REQUIRE(memcmp(buf, "compat\n", 7) == 0);
	rump_sys_close(fd);
	REQUIRE_ERRNO(rump_sys_open("/mnt/new", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644), RUMP_EROFS);
	/* FFS here keeps no flags either. */
	REQUIRE_OK(rump_sys_chflags("/mnt/file", 0));
	REQUIRE_ERRNO(rump_sys_chflags("/mnt/file", 0x2), RUMP_EOPNOTSUPP);
	REQUIRE_OK(rump_sys_unmount("/mnt", 0));
	REQUIRE_EQ(rump_pub_etfs_remove("/dev/ffs"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	REQUIRE_EQ(system(cmd), 0);
}

TESTCASE(bsd_calls)
{
	struct timeval tv[2] = { { 1000000000, 250000 }, { 1200000000, 999999 } };
	struct timeval bad[2] = { { 1, 1000000 }, { 1, 0 } };
	struct stat sb;
	char buf[4096];
	int fd, n, off, seen = 0;

	REQUIRE_OK(rump_sys_mkfifo("/fifo", 0620));
	REQUIRE_OK(rump_sys_stat("/fifo", &sb));
	REQUIRE(S_ISFIFO(sb.st_mode));
	REQUIRE_EQ(sb.st_mode & 0777, 0600);    /* umask 022 */
	REQUIRE_OK(fd = rump_sys_open("/", RUMP_O_RDONLY | RUMP_O_DIRECTORY));
	REQUIRE_OK(rump_sys_mkfifoat(fd, "fifo2", 0644));
	REQUIRE_OK(rump_sys_lstat("/fifo2", &sb));
	REQUIRE(S_ISFIFO(sb.st_mode));
	REQUIRE_ERRNO(rump_sys_mkfifo("/fifo", 0600), RUMP_EEXIST);

	/* getdents: Linux's records under the original's name. */
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			unsigned short reclen;
			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (strcmp(buf + off + 19, "fifo2") == 0)
				seen++;
			REQUIRE(reclen > 0);
			off += reclen;
		}
	}
	REQUIRE_EQ(n, 0);
	REQUIRE_EQ(seen, 1);
	rump_sys_close(fd);

	REQUIRE_OK(fd = rump_sys_open("/file", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644));
	REQUIRE_OK(rump_sys_symlink("/file", "/link"));
	REQUIRE_OK(rump_sys_utimes("/link", tv));
	REQUIRE_OK(rump_sys_stat("/file", &sb));
	REQUIRE_EQ(sb.st_atim.tv_sec, 1000000000);
	REQUIRE_EQ(sb.st_atim.tv_nsec, 250000000);
	REQUIRE_EQ(sb.st_mtim.tv_sec, 1200000000);
	REQUIRE_EQ(sb.st_mtim.tv_nsec, 999999000);
	REQUIRE_ERRNO(rump_sys_utimes("/file", bad), RUMP_EINVAL);
	/* lutimes changes the link itself. */
	REQUIRE_OK(rump_sys_lutimes("/link", tv));
	REQUIRE_OK(rump_sys_lstat("/link", &sb));
	REQUIRE_EQ(sb.st_mtim.tv_sec, 1200000000);
	tv[1].tv_sec = 1300000000;
	REQUIRE_OK(rump_sys_futimes(fd, tv));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE_EQ(sb.st_mtim.tv_sec, 1300000000);
	REQUIRE_OK(rump_sys_futimes(fd, NULL));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE(sb.st_mtim.tv_sec > 1600000000);
	REQUIRE_ERRNO(rump_sys_futimes(99, NULL), RUMP_EBADF);

	/* lchmod: a file's mode; a link's is Linux's EOPNOTSUPP. */
	REQUIRE_OK(rump_sys_lchmod("/file", 0600));
	REQUIRE_OK(rump_sys_stat("/file", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0600);
	REQUIRE_ERRNO(rump_sys_lchmod("/link", 0600), RUMP_EOPNOTSUPP);

	/* File flags: none kept, so setting one is EOPNOTSUPP. */
	REQUIRE_OK(rump_sys_chflags("/file", 0));
	REQUIRE_ERRNO(rump_sys_chflags("/file", 0x1), RUMP_EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_lchflags("/link", 0x1), RUMP_EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_fchflags(fd, 0x20000), RUMP_EOPNOTSUPP);
	REQUIRE_OK(rump_sys_fchflags(fd, 0));
	REQUIRE_ERRNO(rump_sys_chflags("/none", 0), RUMP_ENOENT);
	REQUIRE_ERRNO(rump_sys_fchflags(99, 0), RUMP_EBADF);
	/* Only the owner or root. */
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_COPY), 0);
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_ERRNO(rump_sys_chflags("/file", 0), RUMP_EPERM);
	REQUIRE_ERRNO(rump_sys_fchflags(fd, 0), RUMP_EPERM);
	rump_pub_lwproc_releaselwp();
	rump_sys_close(fd);
}

TESTCASE(lwproc_compat)
{
	int fd;

	/* A thread joins proc0, as in the original. */
	REQUIRE_EQ(rump_pub_lwproc_newlwp(0), 0);
	REQUIRE_EQ(rump_sys_getpid(), 0);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_sysent_usenative();
	REQUIRE_OK(fd = rump_sys_open("/shared", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644));
	/* RUMP_RFFD_SHARE: the same table; _CLEAR: an empty one. */
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_SHARE), 0);
	REQUIRE_OK(rump_sys_close(fd));
	rump_pub_lwproc_releaselwp();
	REQUIRE_ERRNO(rump_sys_close(fd), RUMP_EBADF);
	REQUIRE_OK(fd = rump_sys_open("/shared", RUMP_O_RDONLY));
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_CLEAR), 0);
	REQUIRE_ERRNO(rump_sys_close(fd), RUMP_EBADF);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_COPY), 0);
	REQUIRE_OK(rump_sys_close(fd));
	rump_pub_lwproc_releaselwp();
	REQUIRE_OK(rump_sys_close(fd));
}

/* Set before boot, as the original's clients do; we send no signals. */
TESTCASE(sigmodel)
{
	REQUIRE_EQ(rump_boot_getsigmodel(), RUMP_SIGMODEL_PANIC);
	rump_boot_setsigmodel(RUMP_SIGMODEL_IGNORE);
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(rump_boot_getsigmodel(), RUMP_SIGMODEL_IGNORE);
}

/* Host files registered as the kernel boots, as the original's clients do. */
TESTCASE(boot_etfs)
{
	char host[] = "/tmp/t_compat_boot.XXXXXX", buf[8];
	struct rump_boot_etfs good = { .eb_key = "/dev/boot",
		.eb_type = RUMP_ETFS_REG, .eb_begin = 2,
		.eb_size = RUMP_ETFS_SIZE_ENDOFF };
	struct rump_boot_etfs bad = { .eb_key = "relative",
		.eb_type = RUMP_ETFS_REG, .eb_size = RUMP_ETFS_SIZE_ENDOFF };
	struct rump_boot_etfs late = { .eb_key = "/late",
		.eb_type = RUMP_ETFS_REG, .eb_size = RUMP_ETFS_SIZE_ENDOFF };
	int hfd, fd;

	REQUIRE_OK(hfd = mkstemp(host));
	REQUIRE_EQ(write(hfd, "booted", 6), 6);
	close(hfd);
	good.eb_hostpath = bad.eb_hostpath = late.eb_hostpath = host;
	rump_boot_etfs_register(&good);
	rump_boot_etfs_register(&bad);
	REQUIRE_EQ(good.eb_status, -1);
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(good.eb_status, 0);
	REQUIRE_EQ(bad.eb_status, RUMP_EINVAL);
	REQUIRE_OK(fd = rump_sys_open("/dev/boot", RUMP_O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	REQUIRE(memcmp(buf, "oted", 4) == 0);
	rump_sys_close(fd);
	rump_boot_etfs_register(&late);
	REQUIRE_EQ(late.eb_status, 0);
	REQUIRE_OK(rump_sys_access("/late", 0));
	REQUIRE_EQ(rump_getversion(), rump_pub_getversion());
	REQUIRE(rump_getversion() > 0);
	REQUIRE_EQ(rump_nativeabi_p(), 1);
	unlink(host);
}

TESTS(CASE(open_two_args), CASE(fcntl_pointer), CASE(etfs_from_rump_h),
    CASE(tmpfs_by_original_names), CASE(ffs_by_original_names),
    CASE(bsd_calls), CASE(lwproc_compat), CASE_NOBOOT(sigmodel),
    CASE_NOBOOT(boot_etfs))
