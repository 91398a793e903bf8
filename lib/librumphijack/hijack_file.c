/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Path calls: open and creat in all of glibc's names (open64, __open_2,
 * the *at forms), the stat family (stat, lstat, fstat, fstatat with
 * AT_EMPTY_PATH, statx built from fstatat), access, mkdir, rmdir,
 * unlink, rename and renameat2, link, symlink, readlink, chmod, chown,
 * the utime family, truncate, statvfs and statfs, mkfifo, mknod,
 * getdents64.  Each goes to
 * the side hijack_path.c names; a call naming two paths (rename, link)
 * on different sides fails with EXDEV, as across mounts.  renameat2's
 * RENAME_NOREPLACE is a check then a rename (not atomic against another
 * process of the kernel); its other flags are EINVAL.  The extended
 * attribute calls (and their l- and f- forms) go to the kernel for its
 * files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

/* 1: the kernel's (attached), 0: the host's, -1: attaching failed. */
static int
kpath(const char *path, const char **kp)
{
	if (hj_path(path, kp) == HJ_HOST)
		return 0;
	return hj_attach() == 0 ? 1 : -1;
}

static int
kpath_at(int dirfd, const char *path, int *kdir, const char **kp)
{
	if (hj_path_at(dirfd, path, kdir, kp) == HJ_HOST)
		return 0;
	return hj_attach() == 0 ? 1 : -1;
}

static int
mode_wanted(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

static int
kopenat(int kdir, const char *kp, int flags, mode_t mode)
{
	int kfd = KCALL(rump_sys_openat(kdir, kp, flags, mode));

	if (kfd < 0)
		return -1;
	return hj_fd_install(kfd, flags & O_CLOEXEC);
}

HJ_API int
openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode = 0;
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, int, ...), openat);

	if (mode_wanted(flags)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_openat_fn(dirfd, path, flags, mode);
	if (w < 0)
		return -1;
	return kopenat(kdir, kp, flags, mode);
}
HJ_API int openat64(int, const char *, int, ...) __attribute__((alias("openat")));

HJ_API int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode = 0;

	if (mode_wanted(flags)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}
HJ_API int open64(const char *, int, ...) __attribute__((alias("open")));

/* _FORTIFY_SOURCE's forms, called when no mode is passed. */
HJ_API int
__open_2(const char *path, int flags)
{
	return openat(AT_FDCWD, path, flags, 0);
}
HJ_API int __open64_2(const char *, int) __attribute__((alias("__open_2")));

HJ_API int
__openat_2(int dirfd, const char *path, int flags)
{
	return openat(dirfd, path, flags, 0);
}
HJ_API int __openat64_2(int, const char *, int)
    __attribute__((alias("__openat_2")));

HJ_API int
creat(const char *path, mode_t mode)
{
	return openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
HJ_API int creat64(const char *, mode_t) __attribute__((alias("creat")));

/* fstatat's kernel half; kdir may be AT_FDCWD. */
static int
kfstatat(int kdir, const char *kp, struct stat *st, int flags)
{
	if (kp[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		if (kdir == AT_FDCWD)
			return KCALL(rump_sys_stat(".", st));
		return KCALL(rump_sys_fstat(kdir, st));
	}
	return KCALL(rump_sys_fstatat(kdir, kp, st,
	    flags & AT_SYMLINK_NOFOLLOW));
}

HJ_API int
fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, struct stat *, int), fstatat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_fstatat_fn(dirfd, path, st, flags);
	if (w < 0)
		return -1;
	return kfstatat(kdir, kp, st, flags);
}
HJ_API int
fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}

HJ_API int
stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}
HJ_API int
stat64(const char *path, struct stat64 *st)
{
	return fstatat(AT_FDCWD, path, (struct stat *)st, 0);
}

HJ_API int
lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}
HJ_API int
lstat64(const char *path, struct stat64 *st)
{
	return fstatat(AT_FDCWD, path, (struct stat *)st, AT_SYMLINK_NOFOLLOW);
}

HJ_API int
fstat(int fd, struct stat *st)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int, struct stat *), fstat);

	if (k < 0)
		return hj_fstat_fn(fd, st);
	return KCALL(rump_sys_fstat(k, st));
}
HJ_API int
fstat64(int fd, struct stat64 *st)
{
	return fstat(fd, (struct stat *)st);
}

static void
ts_to_statx(struct statx_timestamp *t, const struct timespec *ts)
{
	t->tv_sec = ts->tv_sec;
	t->tv_nsec = (uint32_t)ts->tv_nsec;
}

HJ_API int
statx(int dirfd, const char *path, int flags, unsigned mask,
    struct statx *stx)
{
	const char *kp;
	struct stat st;
	int kdir, w;
	REAL(int (*)(int, const char *, int, unsigned, struct statx *), statx);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_statx_fn(dirfd, path, flags, mask, stx);
	if (w < 0 || kfstatat(kdir, kp, &st, flags) == -1)
		return -1;
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = st.st_blksize;
	stx->stx_nlink = st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = st.st_size;
	stx->stx_blocks = st.st_blocks;
	ts_to_statx(&stx->stx_atime, &st.st_atim);
	ts_to_statx(&stx->stx_mtime, &st.st_mtim);
	ts_to_statx(&stx->stx_ctime, &st.st_ctim);
	stx->stx_rdev_major = major(st.st_rdev);
	stx->stx_rdev_minor = minor(st.st_rdev);
	stx->stx_dev_major = major(st.st_dev);
	stx->stx_dev_minor = minor(st.st_dev);
	return 0;
}

HJ_API int
faccessat(int dirfd, const char *path, int mode, int flags)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, int, int), faccessat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_faccessat_fn(dirfd, path, mode, flags);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_faccessat(kdir, kp, mode, flags));
}

HJ_API int
access(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, 0);
}

HJ_API int
euidaccess(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}
HJ_API int eaccess(const char *, int) __attribute__((alias("euidaccess")));

HJ_API int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, mode_t), mkdirat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_mkdirat_fn(dirfd, path, mode);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_mkdirat(kdir, kp, mode));
}

HJ_API int
mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

HJ_API int
mkfifoat(int dirfd, const char *path, mode_t mode)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, mode_t), mkfifoat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_mkfifoat_fn(dirfd, path, mode);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_mkfifoat(kdir, kp, mode));
}

HJ_API int
mkfifo(const char *path, mode_t mode)
{
	return mkfifoat(AT_FDCWD, path, mode);
}

HJ_API int
mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, mode_t, dev_t), mknodat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_mknodat_fn(dirfd, path, mode, dev);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_mknodat(kdir, kp, mode, dev));
}

HJ_API int
mknod(const char *path, mode_t mode, dev_t dev)
{
	return mknodat(AT_FDCWD, path, mode, dev);
}

HJ_API int
unlinkat(int dirfd, const char *path, int flags)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, int), unlinkat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_unlinkat_fn(dirfd, path, flags);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_unlinkat(kdir, kp, flags));
}

HJ_API int
unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

HJ_API int
rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

/* Two paths: both the kernel's (1), both the host's (0), else -1 EXDEV. */
static int
kpath2(int d1, const char *p1, int *k1, const char **kp1, int d2,
    const char *p2, int *k2, const char **kp2)
{
	int w1 = kpath_at(d1, p1, k1, kp1), w2;

	if (w1 < 0)
		return -1;
	if ((w2 = kpath_at(d2, p2, k2, kp2)) < 0)
		return -1;
	if (w1 != w2)
		return hj_fd_error(EXDEV);
	return w1;
}

HJ_API int
renameat2(int d1, const char *from, int d2, const char *to, unsigned flags)
{
	const char *kp1, *kp2;
	struct stat st;
	int k1, k2, w;
	REAL(int (*)(int, const char *, int, const char *, unsigned),
	    renameat2);

	if ((w = kpath2(d1, from, &k1, &kp1, d2, to, &k2, &kp2)) == 0)
		return hj_renameat2_fn(d1, from, d2, to, flags);
	if (w < 0)
		return -1;
	if ((flags & ~RENAME_NOREPLACE) != 0)
		return hj_fd_error(EINVAL);
	if (flags & RENAME_NOREPLACE) {
		if (KCALL(rump_sys_fstatat(k2, kp2, &st,
		    AT_SYMLINK_NOFOLLOW)) == 0)
			return hj_fd_error(EEXIST);
		if (errno != ENOENT)
			return -1;
	}
	return KCALL(rump_sys_renameat(k1, kp1, k2, kp2));
}

HJ_API int
renameat(int d1, const char *from, int d2, const char *to)
{
	return renameat2(d1, from, d2, to, 0);
}

HJ_API int
rename(const char *from, const char *to)
{
	return renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

HJ_API int
linkat(int d1, const char *p1, int d2, const char *p2, int flags)
{
	const char *kp1, *kp2;
	int k1, k2, w;
	REAL(int (*)(int, const char *, int, const char *, int), linkat);

	if ((w = kpath2(d1, p1, &k1, &kp1, d2, p2, &k2, &kp2)) == 0)
		return hj_linkat_fn(d1, p1, d2, p2, flags);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_linkat(k1, kp1, k2, kp2, flags));
}

HJ_API int
link(const char *p1, const char *p2)
{
	return linkat(AT_FDCWD, p1, AT_FDCWD, p2, 0);
}

/* The target is stored as given; the link's own path picks the side. */
HJ_API int
symlinkat(const char *target, int dirfd, const char *path)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(const char *, int, const char *), symlinkat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_symlinkat_fn(target, dirfd, path);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_symlinkat(target, kdir, kp));
}

HJ_API int
symlink(const char *target, const char *path)
{
	return symlinkat(target, AT_FDCWD, path);
}

HJ_API ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	const char *kp;
	int kdir, w;
	REAL(ssize_t (*)(int, const char *, char *, size_t), readlinkat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_readlinkat_fn(dirfd, path, buf, size);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_readlinkat(kdir, kp, buf, size));
}

HJ_API ssize_t
readlink(const char *path, char *buf, size_t size)
{
	return readlinkat(AT_FDCWD, path, buf, size);
}

HJ_API int
fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, mode_t, int), fchmodat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_fchmodat_fn(dirfd, path, mode, flags);
	if (w < 0)
		return -1;
	if (kdir == AT_FDCWD && (flags & AT_SYMLINK_NOFOLLOW))
		return KCALL(rump_sys_lchmod(kp, mode));
	return KCALL(rump_sys_fchmodat(kdir, kp, mode, flags));
}

HJ_API int
chmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, 0);
}

HJ_API int
lchmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW);
}

HJ_API int
fchmod(int fd, mode_t mode)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int, mode_t), fchmod);

	if (k < 0)
		return hj_fchmod_fn(fd, mode);
	return KCALL(rump_sys_fchmod(k, mode));
}

HJ_API int
fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	const char *kp;
	int kdir, w;
	REAL(int (*)(int, const char *, uid_t, gid_t, int), fchownat);

	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_fchownat_fn(dirfd, path, uid, gid, flags);
	if (w < 0)
		return -1;
	if (kp[0] == '\0' && (flags & AT_EMPTY_PATH) && kdir != AT_FDCWD)
		return KCALL(rump_sys_fchown(kdir, uid, gid));
	return KCALL(rump_sys_fchownat(kdir, kp, uid, gid, flags));
}

HJ_API int
chown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

HJ_API int
lchown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

HJ_API int
fchown(int fd, uid_t uid, gid_t gid)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int, uid_t, gid_t), fchown);

	if (k < 0)
		return hj_fchown_fn(fd, uid, gid);
	return KCALL(rump_sys_fchown(k, uid, gid));
}

/* utimensat(fd, NULL, ...) is futimens(fd), as Linux's system call. */
static int
hj_utimensat(int dirfd, const char *path, const struct timespec ts[2],
    int flags)
{
	const char *kp;
	int kdir, w, k;
	REAL(int (*)(int, const char *, const struct timespec *, int),
	    utimensat);

	if (path == NULL) {
		/* glibc's utimensat refuses NULL: its futimens does it. */
		REAL(int (*)(int, const struct timespec *), futimens);
		if ((k = hj_kfd(dirfd)) < 0)
			return hj_futimens_fn(dirfd, ts);
		return KCALL(rump_sys_futimens(k, ts));
	}
	if ((w = kpath_at(dirfd, path, &kdir, &kp)) == 0)
		return hj_utimensat_fn(dirfd, path, ts, flags);
	if (w < 0)
		return -1;
	if (kp[0] == '\0' && (flags & AT_EMPTY_PATH) && kdir != AT_FDCWD)
		return KCALL(rump_sys_futimens(kdir, ts));
	return KCALL(rump_sys_utimensat(kdir, kp, ts, flags));
}

HJ_API int
utimensat(int dirfd, const char *path, const struct timespec ts[2],
    int flags)
{
	return hj_utimensat(dirfd, path, ts, flags);
}

HJ_API int
futimens(int fd, const struct timespec ts[2])
{
	return hj_utimensat(fd, NULL, ts, 0);
}

static const struct timespec *
tv_to_ts(const struct timeval tv[2], struct timespec ts[2])
{
	if (tv == NULL)
		return NULL;
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return ts;
}

HJ_API int
utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];

	return utimensat(AT_FDCWD, path, tv_to_ts(tv, ts), 0);
}

HJ_API int
lutimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];

	return utimensat(AT_FDCWD, path, tv_to_ts(tv, ts),
	    AT_SYMLINK_NOFOLLOW);
}

HJ_API int
futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];

	return hj_utimensat(fd, NULL, tv_to_ts(tv, ts), 0);
}

HJ_API int
utime(const char *path, const struct utimbuf *ub)
{
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };

	if (ub == NULL)
		return utimensat(AT_FDCWD, path, NULL, 0);
	ts[0].tv_sec = ub->actime;
	ts[1].tv_sec = ub->modtime;
	return utimensat(AT_FDCWD, path, ts, 0);
}

HJ_API int
truncate(const char *path, off_t len)
{
	const char *kp;
	int w;
	REAL(int (*)(const char *, off_t), truncate);

	if ((w = kpath(path, &kp)) == 0)
		return hj_truncate_fn(path, len);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_truncate(kp, len));
}
HJ_API int truncate64(const char *, off_t) __attribute__((alias("truncate")));

HJ_API int
statvfs(const char *path, struct statvfs *sv)
{
	const char *kp;
	int w;
	REAL(int (*)(const char *, struct statvfs *), statvfs);

	if ((w = kpath(path, &kp)) == 0)
		return hj_statvfs_fn(path, sv);
	if (w < 0)
		return -1;
	return KCALL(rump_sys_statvfs(kp, sv));
}
HJ_API int
statvfs64(const char *path, struct statvfs64 *sv)
{
	return statvfs(path, (struct statvfs *)sv);
}

HJ_API int
fstatvfs(int fd, struct statvfs *sv)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int, struct statvfs *), fstatvfs);

	if (k < 0)
		return hj_fstatvfs_fn(fd, sv);
	return KCALL(rump_sys_fstatvfs(k, sv));
}
HJ_API int
fstatvfs64(int fd, struct statvfs64 *sv)
{
	return fstatvfs(fd, (struct statvfs *)sv);
}

/* statfs(2) from the kernel's statvfs: the fields Linux's has. */
static void
sv_to_sf(const struct statvfs *sv, struct statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_bsize = (__fsword_t)sv->f_bsize;
	sf->f_frsize = (__fsword_t)sv->f_frsize;
	sf->f_blocks = sv->f_blocks;
	sf->f_bfree = sv->f_bfree;
	sf->f_bavail = sv->f_bavail;
	sf->f_files = sv->f_files;
	sf->f_ffree = sv->f_ffree;
	memcpy(&sf->f_fsid, &sv->f_fsid, sizeof(sf->f_fsid) <
	    sizeof(sv->f_fsid) ? sizeof(sf->f_fsid) : sizeof(sv->f_fsid));
	sf->f_namelen = (__fsword_t)sv->f_namemax;
	sf->f_flags = (__fsword_t)sv->f_flag;
}

HJ_API int
statfs(const char *path, struct statfs *sf)
{
	struct statvfs sv;
	const char *kp;
	int w;
	REAL(int (*)(const char *, struct statfs *), statfs);

	if ((w = kpath(path, &kp)) == 0)
		return hj_statfs_fn(path, sf);
	if (w < 0 || KCALL(rump_sys_statvfs(kp, &sv)) == -1)
		return -1;
	sv_to_sf(&sv, sf);
	return 0;
}

HJ_API int
statfs64(const char *path, struct statfs64 *sf)
{
	return statfs(path, (struct statfs *)sf);
}

HJ_API int
fstatfs(int fd, struct statfs *sf)
{
	struct statvfs sv;
	int k = hj_kfd(fd);
	REAL(int (*)(int, struct statfs *), fstatfs);

	if (k < 0)
		return hj_fstatfs_fn(fd, sf);
	if (KCALL(rump_sys_fstatvfs(k, &sv)) == -1)
		return -1;
	sv_to_sf(&sv, sf);
	return 0;
}

HJ_API int
fstatfs64(int fd, struct statfs64 *sf)
{
	return fstatfs(fd, (struct statfs *)sf);
}

HJ_API ssize_t
getdents64(int fd, void *buf, size_t n)
{
	int k = hj_kfd(fd);
	REAL(ssize_t (*)(int, void *, size_t), getdents64);

	if (k < 0)
		return hj_getdents64_fn(fd, buf, n);
	return KCALL(rump_sys_getdents64(k, buf, n));
}

/* Extended attributes: a kernel file's are the kernel's. */
#define XATTR_PATH(name, rtype, decl, hcall, kcall)                           \
	HJ_API rtype name decl                                                \
	{                                                                     \
		const char *kp;                                               \
		int w;                                                        \
		REAL(__typeof__(&name), name);                                \
		if ((w = kpath(path, &kp)) == 0)                              \
			return hj_##name##_fn hcall;                          \
		if (w < 0)                                                    \
			return -1;                                            \
		return KCALL(rump_sys_##name kcall);                          \
	}

XATTR_PATH(getxattr, ssize_t,
    (const char *path, const char *n, void *v, size_t s), (path, n, v, s),
    (kp, n, v, s))
XATTR_PATH(lgetxattr, ssize_t,
    (const char *path, const char *n, void *v, size_t s), (path, n, v, s),
    (kp, n, v, s))
XATTR_PATH(setxattr, int,
    (const char *path, const char *n, const void *v, size_t s, int f),
    (path, n, v, s, f), (kp, n, v, s, f))
XATTR_PATH(lsetxattr, int,
    (const char *path, const char *n, const void *v, size_t s, int f),
    (path, n, v, s, f), (kp, n, v, s, f))
XATTR_PATH(listxattr, ssize_t, (const char *path, char *l, size_t s),
    (path, l, s), (kp, l, s))
XATTR_PATH(llistxattr, ssize_t, (const char *path, char *l, size_t s),
    (path, l, s), (kp, l, s))
XATTR_PATH(removexattr, int, (const char *path, const char *n), (path, n),
    (kp, n))
XATTR_PATH(lremovexattr, int, (const char *path, const char *n), (path, n),
    (kp, n))

#define XATTR_FD(name, rtype, decl, hcall, kcall)                             \
	HJ_API rtype name decl                                                \
	{                                                                     \
		int k = hj_kfd(fd);                                           \
		REAL(__typeof__(&name), name);                                \
		if (k < 0)                                                    \
			return hj_##name##_fn hcall;                          \
		return KCALL(rump_sys_##name kcall);                          \
	}

XATTR_FD(fgetxattr, ssize_t, (int fd, const char *n, void *v, size_t s),
    (fd, n, v, s), (k, n, v, s))
XATTR_FD(fsetxattr, int,
    (int fd, const char *n, const void *v, size_t s, int f), (fd, n, v, s, f),
    (k, n, v, s, f))
XATTR_FD(flistxattr, ssize_t, (int fd, char *l, size_t s), (fd, l, s),
    (k, l, s))
XATTR_FD(fremovexattr, int, (int fd, const char *n), (fd, n), (k, n))
