/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The two sides a file can be on (struct fsu_side): the host, through
 * libc, and the mounted image, through ukfs.  Directory listings come
 * back sorted by name (byte order, as ls in the C locale), so that every
 * tool walks in one deterministic order.  The image's names are checked
 * before any is joined to a path (fsu_namecheck): a hostile image must
 * not name "../x" and have fsu_get write it beside its target.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsu.h"

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append name to the growing list (names, n, cap). */
static void
addname(char ***namesp, size_t *np, size_t *capp, const char *name)
{
	char **nn;

	if (*np == *capp) {
		*capp = *capp == 0 ? 32 : *capp * 2;
		if ((nn = realloc(*namesp, *capp * sizeof(*nn))) == NULL)
			fsu_die("out of memory");
		*namesp = nn;
	}
	(*namesp)[(*np)++] = fsu_xstrdup(name);
}

static bool
isdots(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

int
fsu_namecheck(const char *dir, const char *name, unsigned *dotsp)
{
	char shown[4 * 255 + 1];
	size_t i, o;
	unsigned bit;

	if (isdots(name)) {
		bit = name[1] == '\0' ? 1 : 2;
		if ((*dotsp & bit) == 0) {
			*dotsp |= bit;
			return 1;
		}
	} else if (name[0] != '\0' && strchr(name, '/') == NULL)
		return 0;
	/* The name is the image's: no control characters to the terminal. */
	for (i = o = 0; name[i] != '\0' && o + 4 < sizeof(shown); i++) {
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			o += (size_t)snprintf(shown + o, sizeof(shown) - o,
			    "\\%03o", (unsigned char)name[i]);
		else
			shown[o++] = name[i];
	}
	shown[o] = '\0';
	fsu_warnx("%s: invalid file name in image: '%s'", dir, shown);
	return -1;
}

void
fsu_freelist(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int
host_list(const char *path, char ***namesp, size_t *np)
{
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	*namesp = NULL;
	*np = 0;
	if ((d = opendir(path)) == NULL)
		return -1;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (!isdots(de->d_name))
			addname(namesp, np, &cap, de->d_name);
		errno = 0;
	}
	if (errno != 0) {
		int saved = errno;

		closedir(d);
		fsu_freelist(*namesp, *np);
		errno = saved;
		return -1;
	}
	closedir(d);
	if (*np > 0)
		qsort(*namesp, *np, sizeof(char *), cmpname);
	return 0;
}

static int
host_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags | O_CLOEXEC, mode);
}

static int
host_lchown(const char *path, uid_t uid, gid_t gid)
{
	return lchown(path, uid, gid);
}

static int
host_lutimens(const char *path, const struct timespec ts[2])
{
	return utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
}

const struct fsu_side fsu_host = {
	.s_name = "host",
	.s_stat = stat,
	.s_lstat = lstat,
	.s_open = host_open,
	.s_read = read,
	.s_write = write,
	.s_lseek = lseek,
	.s_ftruncate = ftruncate,
	.s_close = close,
	.s_mkdir = mkdir,
	.s_symlink = symlink,
	.s_readlink = readlink,
	.s_unlink = unlink,
	.s_rmdir = rmdir,
	.s_chmod = chmod,
	.s_lchown = host_lchown,
	.s_lutimens = host_lutimens,
	.s_list = host_list,
};

static int
img_stat(const char *p, struct stat *st)
{
	return ukfs_stat(fsu_fs, p, st);
}

static int
img_lstat(const char *p, struct stat *st)
{
	return ukfs_lstat(fsu_fs, p, st);
}

static int
img_open(const char *p, int flags, mode_t mode)
{
	return ukfs_open_mode(fsu_fs, p, flags, mode);
}

static ssize_t
img_read(int fd, void *buf, size_t n)
{
	return ukfs_fdread(fsu_fs, fd, buf, n);
}

static ssize_t
img_write(int fd, const void *buf, size_t n)
{
	return ukfs_fdwrite(fsu_fs, fd, buf, n);
}

static off_t
img_lseek(int fd, off_t off, int whence)
{
	return ukfs_lseek(fsu_fs, fd, off, whence);
}

static int
img_ftruncate(int fd, off_t len)
{
	return ukfs_ftruncate(fsu_fs, fd, len);
}

static int
img_close(int fd)
{
	return ukfs_close(fsu_fs, fd);
}

static int
img_mkdir(const char *p, mode_t mode)
{
	return ukfs_mkdir(fsu_fs, p, mode);
}

static int
img_symlink(const char *target, const char *p)
{
	return ukfs_symlink(fsu_fs, target, p);
}

static ssize_t
img_readlink(const char *p, char *buf, size_t n)
{
	return ukfs_readlink(fsu_fs, p, buf, n);
}

static int
img_unlink(const char *p)
{
	return ukfs_remove(fsu_fs, p);
}

static int
img_rmdir(const char *p)
{
	return ukfs_rmdir(fsu_fs, p);
}

static int
img_chmod(const char *p, mode_t mode)
{
	return ukfs_chmod(fsu_fs, p, mode);
}

static int
img_lchown(const char *p, uid_t uid, gid_t gid)
{
	return ukfs_lchown(fsu_fs, p, uid, gid);
}

static int
img_lutimens(const char *p, const struct timespec ts[2])
{
	return ukfs_lutimens(fsu_fs, p, ts);
}

static int
img_list(const char *path, char ***namesp, size_t *np)
{
	struct ukfs_dirent de;
	struct ukfs_dir *d;
	size_t cap = 0;
	unsigned dots = 0;
	bool bad = false;
	int r;

	*namesp = NULL;
	*np = 0;
	if ((d = ukfs_diropen(fsu_fs, path)) == NULL)
		return -1;
	while ((r = ukfs_readdir(d, &de)) == 1) {
		switch (fsu_namecheck(path, de.ud_name, &dots)) {
		case 0:
			addname(namesp, np, &cap, de.ud_name);
			break;
		case -1:
			bad = true;
			break;
		}
	}
	if (r == -1) {
		int saved = errno;

		ukfs_dirclose(d);
		fsu_freelist(*namesp, *np);
		errno = saved;
		return -1;
	}
	ukfs_dirclose(d);
	if (*np > 0)
		qsort(*namesp, *np, sizeof(char *), cmpname);
	return bad ? 1 : 0;
}

const struct fsu_side fsu_image = {
	.s_name = "image",
	.s_stat = img_stat,
	.s_lstat = img_lstat,
	.s_open = img_open,
	.s_read = img_read,
	.s_write = img_write,
	.s_lseek = img_lseek,
	.s_ftruncate = img_ftruncate,
	.s_close = img_close,
	.s_mkdir = img_mkdir,
	.s_symlink = img_symlink,
	.s_readlink = img_readlink,
	.s_unlink = img_unlink,
	.s_rmdir = img_rmdir,
	.s_chmod = img_chmod,
	.s_lchown = img_lchown,
	.s_lutimens = img_lutimens,
	.s_list = img_list,
};
