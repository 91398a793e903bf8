/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ukfs: operations by path and by descriptor.  Each makes the system
 * call of the same name in the mount's process (chrooted to the mount,
 * see ukfs_private.h), with the caller's path lexically cleaned
 * (ukfs_kpath): an absolute path from the mount's root, a relative one
 * from the directory ukfs_chdir() set (the root at first).  Every call
 * on a NULL handle fails with EINVAL (ukfs_enter).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "ukfs_private.h"

/* dirent64 as getdents64(2) returns it. */
struct ukfs_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define UKFS_DIRBUF 8192

struct ukfs_dir {
	struct ukfs *ud_fs;
	int ud_fd;
	size_t ud_pos;                  /* next record in ud_buf */
	size_t ud_len;                  /* bytes in ud_buf */
	_Alignas(8) char ud_buf[UKFS_DIRBUF];
};

int
ukfs_enter(struct ukfs *fs, struct lwp **prevp)
{
	struct lwp *l = NULL, **nl;
	int error;

	if (fs == NULL) {
		errno = EINVAL;
		return -1;
	}
	*prevp = rump_pub_lwproc_curlwp();
	pthread_mutex_lock(&fs->uk_lwplock);
	if (fs->uk_nidle > 0) {
		l = fs->uk_lwps[--fs->uk_nidle];
		pthread_mutex_unlock(&fs->uk_lwplock);
		rump_pub_lwproc_switch(l);
		return 0;
	}
	/* One more lwp; room for it in the pool first, so leave can't fail. */
	if ((nl = realloc(fs->uk_lwps, (fs->uk_nlwps + 1) * sizeof(*nl))) ==
	    NULL) {
		pthread_mutex_unlock(&fs->uk_lwplock);
		errno = ENOMEM;
		return -1;
	}
	fs->uk_lwps = nl;
	if ((error = rump_pub_lwproc_newlwp(fs->uk_pid)) != 0) {
		pthread_mutex_unlock(&fs->uk_lwplock);
		errno = error;
		return -1;
	}
	fs->uk_nlwps++;
	pthread_mutex_unlock(&fs->uk_lwplock);
	return 0;
}

void
ukfs_leave(struct ukfs *fs, struct lwp *prev)
{
	struct lwp *l = rump_pub_lwproc_curlwp();
	int saved = errno;

	/* Unbound before it is idle: another thread may take it at once. */
	rump_pub_lwproc_switch(prev);
	pthread_mutex_lock(&fs->uk_lwplock);
	fs->uk_lwps[fs->uk_nidle++] = l;
	pthread_mutex_unlock(&fs->uk_lwplock);
	errno = saved;
}

/* Return what expr (a call of type type) gives, made in fs's process. */
#define UKFS_CALL(fs, type, expr)                                              \
	do {                                                                   \
		struct lwp *prev_;                                             \
		type rv_;                                                      \
		if (ukfs_enter(fs, &prev_) == -1)                              \
			return -1;                                             \
		rv_ = (expr);                                                  \
		ukfs_leave(fs, prev_);                                         \
		return rv_;                                                    \
	} while (0)

int
ukfs_kpath(struct ukfs *fs, const char *path, char *buf, size_t size)
{
	size_t len = 0, n;
	const char *p, *q;

	if (fs == NULL || path == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* A relative path goes on from the directory ukfs_chdir() set. */
	if (path[0] != '/') {
		pthread_mutex_lock(&fs->uk_lwplock);
		len = strlen(fs->uk_cwd);
		if (len < size)
			memcpy(buf, fs->uk_cwd, len);
		pthread_mutex_unlock(&fs->uk_lwplock);
		if (len >= size)
			goto toolong;
		if (len == 1)
			len = 0;        /* the root: "/" comes back below */
	}
	for (p = path; *p != '\0'; p = q) {
		while (*p == '/')
			p++;
		for (q = p; *q != '\0' && *q != '/'; q++)
			continue;
		n = (size_t)(q - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && buf[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			continue;
		}
		if (len + 1 + n >= size)
			goto toolong;
		buf[len++] = '/';
		memcpy(buf + len, p, n);
		len += n;
	}
	if (len == 0) {
		if (size < 2)
			goto toolong;
		buf[len++] = '/';
	}
	buf[len] = '\0';
	return 0;
toolong:
	errno = ENAMETOOLONG;
	return -1;
}

#define KPATH(fs, path, kp)                                                    \
	char kp[UKFS_PATHMAX];                                                 \
	if (ukfs_kpath(fs, path, kp, sizeof(kp)) == -1)                        \
		return -1

int
ukfs_open_mode(struct ukfs *fs, const char *path, int oflags, mode_t mode)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_open(kp, oflags | O_CLOEXEC, mode));
}

int
ukfs_close(struct ukfs *fs, int fd)
{
	UKFS_CALL(fs, int, rump_sys_close(fd));
}

ssize_t
ukfs_pread(struct ukfs *fs, int fd, void *buf, size_t n, off_t off)
{
	UKFS_CALL(fs, ssize_t, rump_sys_pread(fd, buf, n, off));
}

ssize_t
ukfs_pwrite(struct ukfs *fs, int fd, const void *buf, size_t n, off_t off)
{
	UKFS_CALL(fs, ssize_t, rump_sys_pwrite(fd, buf, n, off));
}

ssize_t
ukfs_fdread(struct ukfs *fs, int fd, void *buf, size_t n)
{
	UKFS_CALL(fs, ssize_t, rump_sys_read(fd, buf, n));
}

ssize_t
ukfs_fdwrite(struct ukfs *fs, int fd, const void *buf, size_t n)
{
	UKFS_CALL(fs, ssize_t, rump_sys_write(fd, buf, n));
}

int
ukfs_fstat(struct ukfs *fs, int fd, struct stat *st)
{
	UKFS_CALL(fs, int, rump_sys_fstat(fd, st));
}

int
ukfs_ftruncate(struct ukfs *fs, int fd, off_t len)
{
	UKFS_CALL(fs, int, rump_sys_ftruncate(fd, len));
}

off_t
ukfs_lseek(struct ukfs *fs, int fd, off_t off, int whence)
{
	UKFS_CALL(fs, off_t, rump_sys_lseek(fd, off, whence));
}

int
ukfs_fsync(struct ukfs *fs, int fd)
{
	UKFS_CALL(fs, int, rump_sys_fsync(fd));
}

ssize_t
ukfs_getdents_fd(struct ukfs *fs, int fd, void *buf, size_t n)
{
	UKFS_CALL(fs, ssize_t, rump_sys_getdents64(fd, buf, n));
}

/*
 * Move all of n at off, as far as the file goes; what moved, or -1.  In
 * the mount's process.
 */
static ssize_t
rw_kpath(const char *kp, off_t off, void *buf, size_t n, int write)
{
	size_t done = 0;
	ssize_t r;
	int fd, saved;

	if ((fd = rump_sys_open(kp, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC,
	    0)) == -1)
		return -1;
	while (done < n) {
		r = write ? rump_sys_pwrite(fd, (char *)buf + done, n - done,
		    off + (off_t)done) : rump_sys_pread(fd, (char *)buf + done,
		    n - done, off + (off_t)done);
		if (r == -1) {
			saved = errno;
			rump_sys_close(fd);
			errno = saved;
			return -1;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	if (rump_sys_close(fd) == -1)
		return -1;
	return (ssize_t)done;
}

static ssize_t
rw_path(struct ukfs *fs, const char *path, off_t off, void *buf, size_t n,
    int write)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, ssize_t, rw_kpath(kp, off, buf, n, write));
}

ssize_t
ukfs_read(struct ukfs *fs, const char *path, off_t off, void *buf, size_t n)
{
	return rw_path(fs, path, off, buf, n, 0);
}

ssize_t
ukfs_write(struct ukfs *fs, const char *path, off_t off, const void *buf,
    size_t n)
{
	return rw_path(fs, path, off, (void *)buf, n, 1);
}

static int
create_kpath(const char *kp, mode_t mode)
{
	int fd;

	if ((fd = rump_sys_open(kp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) == -1)
		return -1;
	return rump_sys_close(fd);
}

int
ukfs_create(struct ukfs *fs, const char *path, mode_t mode)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, create_kpath(kp, mode));
}

int
ukfs_mknod(struct ukfs *fs, const char *path, mode_t mode, dev_t dev)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_mknod(kp, mode, dev));
}

static ssize_t
getdents_kpath(const char *kp, off_t *off, void *buf, size_t n)
{
	ssize_t r;
	int fd, saved;

	if ((fd = rump_sys_open(kp, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)) ==
	    -1)
		return -1;
	if (rump_sys_lseek(fd, *off, SEEK_SET) == -1 ||
	    (r = rump_sys_getdents64(fd, buf, n)) == -1) {
		saved = errno;
		rump_sys_close(fd);
		errno = saved;
		return -1;
	}
	*off = rump_sys_lseek(fd, 0, SEEK_CUR);
	rump_sys_close(fd);
	return r;
}

ssize_t
ukfs_getdents(struct ukfs *fs, const char *path, off_t *off, void *buf,
    size_t n)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, ssize_t, getdents_kpath(kp, off, buf, n));
}

struct ukfs_dir *
ukfs_diropen(struct ukfs *fs, const char *path)
{
	struct ukfs_dir *d;
	int saved;

	if (fs == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((d = malloc(sizeof(*d))) == NULL)
		return NULL;
	d->ud_fs = fs;
	d->ud_pos = d->ud_len = 0;
	if ((d->ud_fd = ukfs_open_mode(fs, path, O_RDONLY | O_DIRECTORY, 0)) ==
	    -1) {
		saved = errno;
		free(d);
		errno = saved;
		return NULL;
	}
	return d;
}

int
ukfs_readdir(struct ukfs_dir *d, struct ukfs_dirent *de)
{
	struct ukfs_dirent64 *rec;
	ssize_t r;
	size_t nl;

	if (d == NULL || de == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (d->ud_pos >= d->ud_len) {
		if ((r = ukfs_getdents_fd(d->ud_fs, d->ud_fd, d->ud_buf,
		    sizeof(d->ud_buf))) == -1)
			return -1;
		if (r == 0)
			return 0;
		d->ud_len = (size_t)r;
		d->ud_pos = 0;
	}
	rec = (struct ukfs_dirent64 *)(d->ud_buf + d->ud_pos);
	if (rec->d_reclen == 0 || d->ud_pos + rec->d_reclen > d->ud_len) {
		errno = EIO;
		return -1;
	}
	d->ud_pos += rec->d_reclen;
	de->ud_ino = rec->d_ino;
	de->ud_type = rec->d_type;
	nl = strnlen(rec->d_name, sizeof(de->ud_name) - 1);
	memcpy(de->ud_name, rec->d_name, nl);
	de->ud_name[nl] = '\0';
	return 1;
}

/*
 * The original's getdents on an open directory: records from *off (0
 * first), *off set where the next call goes on; 0 at the end.
 */
ssize_t
ukfs_dirgetdents(struct ukfs_dir *d, off_t *off, void *buf, size_t n)
{
	ssize_t r;

	if (d == NULL || off == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ukfs_lseek(d->ud_fs, d->ud_fd, *off, SEEK_SET) == -1 ||
	    (r = ukfs_getdents_fd(d->ud_fs, d->ud_fd, buf, n)) == -1)
		return -1;
	*off = ukfs_lseek(d->ud_fs, d->ud_fd, 0, SEEK_CUR);
	d->ud_pos = d->ud_len = 0;
	return r;
}

void
ukfs_dirclose(struct ukfs_dir *d)
{
	if (d == NULL)
		return;
	(void)ukfs_close(d->ud_fs, d->ud_fd);
	free(d);
}

int
ukfs_stat(struct ukfs *fs, const char *path, struct stat *st)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_stat(kp, st));
}

int
ukfs_lstat(struct ukfs *fs, const char *path, struct stat *st)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_lstat(kp, st));
}

int
ukfs_mkdir(struct ukfs *fs, const char *path, mode_t mode)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_mkdir(kp, mode));
}

int
ukfs_remove(struct ukfs *fs, const char *path)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_unlink(kp));
}

int
ukfs_rmdir(struct ukfs *fs, const char *path)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_rmdir(kp));
}

int
ukfs_rename(struct ukfs *fs, const char *from, const char *to)
{
	KPATH(fs, from, kfrom);
	KPATH(fs, to, kto);
	UKFS_CALL(fs, int, rump_sys_rename(kfrom, kto));
}

int
ukfs_link(struct ukfs *fs, const char *from, const char *to)
{
	KPATH(fs, from, kfrom);
	KPATH(fs, to, kto);
	UKFS_CALL(fs, int, rump_sys_link(kfrom, kto));
}

int
ukfs_symlink(struct ukfs *fs, const char *target, const char *path)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_symlink(target, kp));
}

ssize_t
ukfs_readlink(struct ukfs *fs, const char *path, char *buf, size_t n)
{
	struct lwp *prev;
	ssize_t r;

	KPATH(fs, path, kp);
	if (ukfs_enter(fs, &prev) == -1)
		return -1;
	r = rump_sys_readlink(kp, buf, n);
	ukfs_leave(fs, prev);
	if (r >= 0 && (size_t)r < n)
		buf[r] = '\0';
	return r;
}

int
ukfs_chmod(struct ukfs *fs, const char *path, mode_t mode)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_chmod(kp, mode));
}

int
ukfs_lchmod(struct ukfs *fs, const char *path, mode_t mode)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_fchmodat(AT_FDCWD, kp, mode, AT_SYMLINK_NOFOLLOW));
}

int
ukfs_chown(struct ukfs *fs, const char *path, uid_t uid, gid_t gid)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_chown(kp, uid, gid));
}

int
ukfs_lchown(struct ukfs *fs, const char *path, uid_t uid, gid_t gid)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_lchown(kp, uid, gid));
}

int
ukfs_utimens(struct ukfs *fs, const char *path, const struct timespec ts[2])
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_utimensat(AT_FDCWD, kp, ts, 0));
}

int
ukfs_lutimens(struct ukfs *fs, const char *path, const struct timespec ts[2])
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_utimensat(AT_FDCWD, kp, ts, AT_SYMLINK_NOFOLLOW));
}

int
ukfs_truncate(struct ukfs *fs, const char *path, off_t len)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_truncate(kp, len));
}

int
ukfs_access(struct ukfs *fs, const char *path, int amode)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_access(kp, amode));
}

int
ukfs_statvfs(struct ukfs *fs, struct statvfs *sv)
{
	UKFS_CALL(fs, int, rump_sys_statvfs("/", sv));
}

int
ukfs_sync(struct ukfs *fs)
{
	if (fs == NULL) {
		errno = EINVAL;
		return -1;
	}
	rump_sys_sync();
	return 0;
}

/* The directory relative paths start from; ENOTDIR if not one. */
int
ukfs_chdir(struct ukfs *fs, const char *path)
{
	struct stat st;
	KPATH(fs, path, kp);

	if (ukfs_stat(fs, kp, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	pthread_mutex_lock(&fs->uk_lwplock);
	strcpy(fs->uk_cwd, kp);
	pthread_mutex_unlock(&fs->uk_lwplock);
	return 0;
}

int
ukfs_mkfifo(struct ukfs *fs, const char *path, mode_t mode)
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_mkfifo(kp, mode));
}

int
ukfs_utimes(struct ukfs *fs, const char *path, const struct timeval tv[2])
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_utimes(kp, tv));
}

int
ukfs_lutimes(struct ukfs *fs, const char *path, const struct timeval tv[2])
{
	KPATH(fs, path, kp);
	UKFS_CALL(fs, int, rump_sys_lutimes(kp, tv));
}
