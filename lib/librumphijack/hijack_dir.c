/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Directory streams and the current directory.  glibc's opendir and
 * readdir read with its internal getdents64, which no preloaded library
 * sees, so a directory of the kernel gets a stream of ours: an hj_dir
 * (a descriptor of the table and a buffer of getdents64 records, which
 * are struct dirent64's layout) handed out as a DIR *.  Every DIR call
 * checks the list of ours first; any other stream is glibc's.
 * fdopendir of a kernel descriptor makes one of ours too.
 *
 * chdir into the prefix changes the kernel's current directory and
 * makes relative paths the kernel's; chdir elsewhere makes them the
 * host's again.  getcwd gives the prefix back.
 *
 * Lock order: dir_lock, then an hj_dir's own.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

struct hj_dir {
	struct hj_dir *next;
	pthread_mutex_t lock;
	int fd;                 /* host number of a kernel descriptor */
	size_t pos, len;
	off_t lastoff;          /* d_off of the entry last returned */
	char buf[32768] __attribute__((aligned(8)));
};

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hj_dir *dirs;

static struct hj_dir *
ours(const void *dirp)
{
	struct hj_dir *d;

	pthread_mutex_lock(&dir_lock);
	for (d = dirs; d != NULL && (const void *)d != dirp; d = d->next)
		continue;
	pthread_mutex_unlock(&dir_lock);
	return d;
}

bool
hj_dir_owns(const void *dirp)
{
	return ours(dirp) != NULL;
}

static DIR *
dir_new(int fd)
{
	struct hj_dir *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	pthread_mutex_init(&d->lock, NULL);
	d->fd = fd;
	pthread_mutex_lock(&dir_lock);
	d->next = dirs;
	dirs = d;
	pthread_mutex_unlock(&dir_lock);
	return (DIR *)d;
}

HJ_API DIR *
fdopendir(int fd)
{
	struct stat st;
	REAL(DIR *(*)(int), fdopendir);

	if (hj_kfd(fd) < 0)
		return hj_fdopendir_fn(fd);
	if (fstat(fd, &st) == -1)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	return dir_new(fd);
}

HJ_API DIR *
opendir(const char *path)
{
	const char *kp;
	int fd;
	DIR *dp;
	REAL(DIR *(*)(const char *), opendir);

	if (hj_path(path, &kp) == HJ_HOST)
		return hj_opendir_fn(path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if ((dp = dir_new(fd)) == NULL)
		close(fd);
	return dp;
}

HJ_API struct dirent64 *
readdir64(DIR *dirp)
{
	struct hj_dir *d = ours(dirp);
	struct dirent64 *de = NULL;
	ssize_t n;
	REAL(struct dirent64 *(*)(DIR *), readdir64);

	if (d == NULL)
		return hj_readdir64_fn(dirp);
	pthread_mutex_lock(&d->lock);
	if (d->pos >= d->len) {
		n = getdents64(d->fd, d->buf, sizeof(d->buf));
		d->pos = d->len = 0;
		if (n > 0)
			d->len = (size_t)n;
	}
	if (d->pos < d->len) {
		de = (struct dirent64 *)(d->buf + d->pos);
		d->pos += de->d_reclen;
		d->lastoff = de->d_off;
	}
	pthread_mutex_unlock(&d->lock);
	return de;
}

/* On x86-64 and the other LP64 targets, dirent is dirent64. */
HJ_API struct dirent *
readdir(DIR *dirp)
{
	REAL(struct dirent *(*)(DIR *), readdir);

	if (!hj_dir_owns(dirp))
		return hj_readdir_fn(dirp);
	return (struct dirent *)readdir64(dirp);
}

static int
dir_read_r(DIR *dirp, struct dirent64 *ent, struct dirent64 **res)
{
	struct dirent64 *de;
	int saved = errno;

	errno = 0;
	de = readdir64(dirp);
	if (de == NULL) {
		*res = NULL;
		if (errno != 0)
			return errno;
		errno = saved;
		return 0;
	}
	memcpy(ent, de, de->d_reclen < sizeof(*ent) ? de->d_reclen :
	    sizeof(*ent));
	*res = ent;
	errno = saved;
	return 0;
}

HJ_API int
readdir64_r(DIR *dirp, struct dirent64 *ent, struct dirent64 **res)
{
	REAL(int (*)(DIR *, struct dirent64 *, struct dirent64 **),
	    readdir64_r);

	if (!hj_dir_owns(dirp))
		return hj_readdir64_r_fn(dirp, ent, res);
	return dir_read_r(dirp, ent, res);
}

HJ_API int
readdir_r(DIR *dirp, struct dirent *ent, struct dirent **res)
{
	REAL(int (*)(DIR *, struct dirent *, struct dirent **), readdir_r);

	if (!hj_dir_owns(dirp))
		return hj_readdir_r_fn(dirp, ent, res);
	return dir_read_r(dirp, (struct dirent64 *)ent,
	    (struct dirent64 **)res);
}

HJ_API int
closedir(DIR *dirp)
{
	struct hj_dir *d, **pp;
	int fd;
	REAL(int (*)(DIR *), closedir);

	pthread_mutex_lock(&dir_lock);
	for (pp = &dirs; (d = *pp) != NULL && (void *)d != dirp; pp = &d->next)
		continue;
	if (d != NULL)
		*pp = d->next;
	pthread_mutex_unlock(&dir_lock);
	if (d == NULL)
		return hj_closedir_fn(dirp);
	fd = d->fd;
	pthread_mutex_destroy(&d->lock);
	free(d);
	return close(fd);
}

HJ_API int
dirfd(DIR *dirp)
{
	struct hj_dir *d = ours(dirp);
	REAL(int (*)(DIR *), dirfd);

	if (d == NULL)
		return hj_dirfd_fn(dirp);
	return d->fd;
}

HJ_API void
seekdir(DIR *dirp, long loc)
{
	struct hj_dir *d = ours(dirp);
	REAL(void (*)(DIR *, long), seekdir);

	if (d == NULL) {
		hj_seekdir_fn(dirp, loc);
		return;
	}
	pthread_mutex_lock(&d->lock);
	lseek(d->fd, loc, SEEK_SET);
	d->pos = d->len = 0;
	d->lastoff = loc;
	pthread_mutex_unlock(&d->lock);
}

HJ_API void
rewinddir(DIR *dirp)
{
	REAL(void (*)(DIR *), rewinddir);

	if (!hj_dir_owns(dirp)) {
		hj_rewinddir_fn(dirp);
		return;
	}
	seekdir(dirp, 0);
}

HJ_API long
telldir(DIR *dirp)
{
	struct hj_dir *d = ours(dirp);
	REAL(long (*)(DIR *), telldir);

	if (d == NULL)
		return hj_telldir_fn(dirp);
	return d->lastoff;
}

HJ_API int
chdir(const char *path)
{
	const char *kp;
	REAL(int (*)(const char *), chdir);

	if (hj_path(path, &kp) == HJ_HOST) {
		if (hj_chdir_fn(path) == -1)
			return -1;
		if (!hj_inside)
			hj_cwd_kernel = false;
		return 0;
	}
	if (hj_attach() == -1 || KCALL(rump_sys_chdir(kp)) == -1)
		return -1;
	hj_cwd_kernel = true;
	return 0;
}

HJ_API int
fchdir(int fd)
{
	int k = hj_kfd(fd);
	REAL(int (*)(int), fchdir);

	if (k < 0) {
		if (hj_fchdir_fn(fd) == -1)
			return -1;
		if (!hj_inside)
			hj_cwd_kernel = false;
		return 0;
	}
	if (KCALL(rump_sys_fchdir(k)) == -1)
		return -1;
	hj_cwd_kernel = true;
	return 0;
}

/* The kernel's directory with the prefix put back in front. */
HJ_API char *
getcwd(char *buf, size_t size)
{
	char kbuf[4096];
	size_t need;
	REAL(char *(*)(char *, size_t), getcwd);

	if (!hj_cwd_kernel || hj_inside)
		return hj_getcwd_fn(buf, size);
	if (KCALL(rump_sys_getcwd(kbuf, sizeof(kbuf))) < 0)
		return NULL;
	if (strcmp(kbuf, "/") == 0)
		kbuf[0] = '\0';
	need = hj_cfg.prefixlen + strlen(kbuf) + 1;
	if (buf == NULL) {
		if (size < need)
			size = need;
		if ((buf = malloc(size)) == NULL)
			return NULL;
	} else if (size < need) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, hj_cfg.prefix, hj_cfg.prefixlen);
	memcpy(buf + hj_cfg.prefixlen, kbuf, need - hj_cfg.prefixlen);
	return buf;
}

HJ_API char *
get_current_dir_name(void)
{
	REAL(char *(*)(void), get_current_dir_name);

	if (!hj_cwd_kernel || hj_inside)
		return hj_get_current_dir_name_fn();
	return getcwd(NULL, 0);
}
