/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The FUSE operations: each request of libfuse's path interface becomes
 * the kernel system call that does the same, from the worker thread's
 * own kernel process (p2k_thread.c), so paths are relative to the served
 * file system and permission checks are the kernel's.  A failed call's
 * errno goes back to the host unchanged.
 *
 * Open files and directories are kernel descriptors kept in the FUSE
 * file handle (fi->fh); operations given a handle use it rather than the
 * path (the file may have been unlinked or renamed since: files are
 * removed at once, not hidden, as nullpath_ok and hard_remove allow).
 * Reads and writes are positional, so handles share no file offset;
 * a directory handle is repositioned to the offset FUSE asks for, which
 * is the d_off the kernel gave for the entry before it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "p2k_private.h"

/* A getdents64(2) record. */
struct p2k_dirent {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* The open(2) flags a handle keeps; O_APPEND goes: writes are positional. */
#define P2K_OPENFLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_NONBLOCK | \
	O_DSYNC | O_SYNC | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_DIRECT)

#define ENTER(creds)                                    \
	do {                                            \
		int enter_error_;                       \
		if ((enter_error_ = p2k_thread_enter(creds)) != 0) \
			return enter_error_;            \
	} while (0)

#define RET(expr) return (expr) == -1 ? -errno : 0

void
p2k_note_fd(int fd)
{
	struct p2k_mount *p2m = fuse_get_context()->private_data;
	int max = __atomic_load_n(&p2m->p2m_maxfd, __ATOMIC_RELAXED);

	while (fd > max && !__atomic_compare_exchange_n(&p2m->p2m_maxfd, &max,
	    fd, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
}

static void *
p2k_init_fs(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* The file system's inode numbers, so find and du see hard links. */
	cfg->use_ino = 1;
	cfg->readdir_ino = 1;
	cfg->hard_remove = 1;
	cfg->nullpath_ok = 1;
	/* Nothing changes the file system behind the host's page cache. */
	cfg->kernel_cache = 1;
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	return fuse_get_context()->private_data;
}

static int
p2k_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	ENTER(true);
	if (fi != NULL)
		RET(rump_sys_fstat((int)fi->fh, st));
	RET(rump_sys_lstat(path, st));
}

static int
p2k_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;

	ENTER(true);
	if (size == 0)
		return -EINVAL;
	if ((n = rump_sys_readlink(path, buf, size - 1)) == -1)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int
p2k_mknod(const char *path, mode_t mode, dev_t rdev)
{
	ENTER(true);
	RET(rump_sys_mknod(path, mode, rdev));
}

static int
p2k_mkdir(const char *path, mode_t mode)
{
	ENTER(true);
	RET(rump_sys_mkdir(path, mode));
}

static int
p2k_unlink(const char *path)
{
	ENTER(true);
	RET(rump_sys_unlink(path));
}

static int
p2k_rmdir(const char *path)
{
	ENTER(true);
	RET(rump_sys_rmdir(path));
}

static int
p2k_symlink(const char *target, const char *path)
{
	ENTER(true);
	RET(rump_sys_symlink(target, path));
}

/* RENAME_NOREPLACE and RENAME_EXCHANGE: the kernel has no renameat2. */
static int
p2k_rename(const char *from, const char *to, unsigned int flags)
{
	ENTER(true);
	if (flags != 0)
		return -EINVAL;
	RET(rump_sys_rename(from, to));
}

static int
p2k_link(const char *from, const char *to)
{
	ENTER(true);
	RET(rump_sys_link(from, to));
}

static int
p2k_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	ENTER(true);
	if (fi != NULL)
		RET(rump_sys_fchmod((int)fi->fh, mode));
	RET(rump_sys_chmod(path, mode));
}

static int
p2k_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	ENTER(true);
	if (fi != NULL)
		RET(rump_sys_fchown((int)fi->fh, uid, gid));
	RET(rump_sys_lchown(path, uid, gid));
}

static int
p2k_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	ENTER(true);
	if (fi != NULL)
		RET(rump_sys_ftruncate((int)fi->fh, size));
	RET(rump_sys_truncate(path, size));
}

static int
p2k_openflags(const struct fuse_file_info *fi)
{
	return fi->flags & P2K_OPENFLAGS;
}

static int
p2k_open(const char *path, struct fuse_file_info *fi)
{
	int fd;

	ENTER(true);
	if ((fd = rump_sys_open(path, p2k_openflags(fi) & ~O_CREAT, 0)) == -1)
		return -errno;
	p2k_note_fd(fd);
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
p2k_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd;

	ENTER(true);
	if ((fd = rump_sys_open(path, p2k_openflags(fi) | O_CREAT, mode)) == -1)
		return -errno;
	p2k_note_fd(fd);
	fi->fh = (uint64_t)fd;
	return 0;
}

/* FUSE wants every byte asked for, short only at end of file. */
static int
p2k_read(const char *path, char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	size_t done = 0;
	ssize_t n;

	(void)path;
	ENTER(true);
	while (done < size) {
		n = rump_sys_pread((int)fi->fh, buf + done, size - done,
		    off + (off_t)done);
		if (n == -1) {
			if (done > 0)
				break;
			return -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (int)done;
}

static int
p2k_write(const char *path, const char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	size_t done = 0;
	ssize_t n;

	(void)path;
	ENTER(true);
	while (done < size) {
		n = rump_sys_pwrite((int)fi->fh, buf + done, size - done,
		    off + (off_t)done);
		if (n == -1) {
			if (done > 0)
				break;
			return -errno;
		}
		done += (size_t)n;
	}
	return (int)done;
}

static int
p2k_statfs(const char *path, struct statvfs *sv)
{
	(void)path;
	ENTER(true);
	RET(rump_sys_statvfs("/", sv));
}

/* close(2) of one of the host's descriptors: nothing is buffered here. */
static int
p2k_flush(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	(void)fi;
	return 0;
}

static int
p2k_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	ENTER(false);
	RET(rump_sys_close((int)fi->fh));
}

static int
p2k_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	ENTER(false);
	if (datasync)
		RET(rump_sys_fdatasync((int)fi->fh));
	RET(rump_sys_fsync((int)fi->fh));
}

static int
p2k_opendir(const char *path, struct fuse_file_info *fi)
{
	int fd;

	ENTER(true);
	if ((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0)) == -1)
		return -errno;
	p2k_note_fd(fd);
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
p2k_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	char dbuf[16384] __attribute__((aligned(8)));
	const struct p2k_dirent *d;
	struct stat st;
	int fd = (int)fi->fh;
	ssize_t n, i;

	(void)path;
	(void)flags;
	ENTER(true);
	if (rump_sys_lseek(fd, off, SEEK_SET) == -1)
		return -errno;
	while ((n = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (i = 0; i < n; i += d->d_reclen) {
			d = (const struct p2k_dirent *)(dbuf + i);
			memset(&st, 0, sizeof(st));
			st.st_ino = d->d_ino;
			st.st_mode = (mode_t)DTTOIF(d->d_type);
			if (filler(buf, d->d_name, &st, d->d_off, 0) != 0)
				return 0;
		}
	}
	return n == -1 ? -errno : 0;
}

static int
p2k_releasedir(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	ENTER(false);
	RET(rump_sys_close((int)fi->fh));
}

static int
p2k_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	(void)datasync;
	ENTER(false);
	RET(rump_sys_fsync((int)fi->fh));
}

/* access(2) asks about the caller's real ids, which are our effective. */
static int
p2k_access(const char *path, int mode)
{
	ENTER(true);
	RET(rump_sys_faccessat(AT_FDCWD, path, mode, AT_EACCESS));
}

static int
p2k_utimens(const char *path, const struct timespec ts[2],
    struct fuse_file_info *fi)
{
	ENTER(true);
	if (fi != NULL)
		RET(rump_sys_futimens((int)fi->fh, ts));
	RET(rump_sys_utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW));
}

static off_t
p2k_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi)
{
	off_t res;

	(void)path;
	ENTER(true);
	if ((res = rump_sys_lseek((int)fi->fh, off, whence)) == -1)
		return -errno;
	return res;
}

const struct fuse_operations p2k_fuse_ops = {
	.init = p2k_init_fs,
	.getattr = p2k_getattr,
	.readlink = p2k_readlink,
	.mknod = p2k_mknod,
	.mkdir = p2k_mkdir,
	.unlink = p2k_unlink,
	.rmdir = p2k_rmdir,
	.symlink = p2k_symlink,
	.rename = p2k_rename,
	.link = p2k_link,
	.chmod = p2k_chmod,
	.chown = p2k_chown,
	.truncate = p2k_truncate,
	.open = p2k_open,
	.create = p2k_create,
	.read = p2k_read,
	.write = p2k_write,
	.statfs = p2k_statfs,
	.flush = p2k_flush,
	.release = p2k_release,
	.fsync = p2k_fsync,
	.opendir = p2k_opendir,
	.readdir = p2k_readdir,
	.releasedir = p2k_releasedir,
	.fsyncdir = p2k_fsyncdir,
	.access = p2k_access,
	.utimens = p2k_utimens,
	.lseek = p2k_lseek,
};
