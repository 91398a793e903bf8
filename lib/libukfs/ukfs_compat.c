/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ukfs: the original's forms of the calls whose signatures differ from
 * ours (ours keep other names: ukfs_open_mode, ukfs_fdread, ukfs_fdwrite,
 * ukfs_diropen/ukfs_dirclose, ukfs_mount_part), and its partition
 * handles.  A partition handle is what ukfs_part_probe() found in a
 * device path written our way, "image:N" or "image:LABEL" (see
 * ukfs_mount()); the original's "%DISKLABEL:" and "%OFFSET:" forms are
 * ENODEV (no BSD disklabels here; an offset window is a partition).
 * ukfs_modload() loads a kernel component library, whose components
 * initialise as it loads (rump(3)), as fs-utils loads file systems.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "ukfs_private.h"

/* Opaque to clients; the two static ones are never freed. */
struct ukfs_part {
	int up_partition;               /* UKFS_PARTITION_NONE: whole */
	char *up_label;                 /* a GPT name, or NULL */
};

static struct ukfs_part part_none = { UKFS_PARTITION_NONE, NULL };
static struct ukfs_part part_na = { UKFS_PARTITION_NONE, NULL };
struct ukfs_part *ukfs_part_none = &part_none;
struct ukfs_part *ukfs_part_na = &part_na;

/* Created files get mode 0666 less the umask, as fopen(3) gives. */
int
ukfs_open(struct ukfs *fs, const char *path, int oflags)
{
	return ukfs_open_mode(fs, path, oflags, 0666);
}

ssize_t
ukfs_read_fd(struct ukfs *fs, int fd, off_t off, uint8_t *buf, size_t n)
{
	return ukfs_pread(fs, fd, buf, n, off);
}

ssize_t
ukfs_write_fd(struct ukfs *fs, int fd, off_t off, uint8_t *buf, size_t n,
    int dosync)
{
	ssize_t w;

	if ((w = ukfs_pwrite(fs, fd, buf, n, off)) == -1)
		return -1;
	if (dosync && ukfs_fsync(fs, fd) == -1)
		return -1;
	return w;
}

int
ukfs_opendir(struct ukfs *fs, const char *path, struct ukfs_dircookie **cp)
{
	struct ukfs_dir *d;

	if (cp == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((d = ukfs_diropen(fs, path)) == NULL)
		return -1;
	*cp = (struct ukfs_dircookie *)d;
	return 0;
}

int
ukfs_getdents_cookie(struct ukfs *fs, struct ukfs_dircookie *c, off_t *off,
    uint8_t *buf, size_t n)
{
	if (fs == NULL) {
		errno = EINVAL;
		return -1;
	}
	return (int)ukfs_dirgetdents((struct ukfs_dir *)c, off, buf, n);
}

void
ukfs_closedir(struct ukfs *fs, struct ukfs_dircookie *c)
{
	(void)fs;
	ukfs_dirclose((struct ukfs_dir *)c);
}

struct ukfs *
ukfs_mount_disk(const char *fstype, const char *image, struct ukfs_part *part,
    const char *mountpath, int flags, void *args, size_t arglen)
{
	if (part == NULL || part == ukfs_part_na)
		part = ukfs_part_none;
	if (part->up_label != NULL)
		return ukfs_mount_label(fstype, image, part->up_label,
		    mountpath, flags, args, arglen);
	return ukfs_mount_part(fstype, image, part->up_partition, mountpath,
	    flags, args, arglen);
}

int
ukfs_part_probe(char *devpath, struct ukfs_part **partp)
{
	struct ukfs_part *part;
	struct stat st;
	char *colon, *end;
	long n;

	if (devpath == NULL || partp == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (strstr(devpath, "%DISKLABEL:") != NULL ||
	    strstr(devpath, "%OFFSET:") != NULL ||
	    strstr(devpath, "%PART:") != NULL) {
		errno = ENODEV;
		return -1;
	}
	/* A host file named as given is whole, colon or not. */
	colon = strrchr(devpath, ':');
	if (colon == NULL || colon[1] == '\0' || stat(devpath, &st) == 0) {
		*partp = ukfs_part_none;
		return 0;
	}
	if ((part = calloc(1, sizeof(*part))) == NULL)
		return -1;
	errno = 0;
	n = strtol(colon + 1, &end, 10);
	if (*end == '\0' && errno == 0) {
		if (n < 1 || n > 0x7fffffffL) {
			free(part);
			errno = ENXIO;
			return -1;
		}
		part->up_partition = (int)n;
	} else {
		part->up_partition = UKFS_PARTITION_NONE;
		if ((part->up_label = strdup(colon + 1)) == NULL) {
			free(part);
			return -1;
		}
	}
	*colon = '\0';
	*partp = part;
	return 0;
}

void
ukfs_part_release(struct ukfs_part *part)
{
	if (part == NULL || part == ukfs_part_none || part == ukfs_part_na)
		return;
	free(part->up_label);
	free(part);
}

int
ukfs_part_tostring(struct ukfs_part *part, char *buf, size_t n)
{
	if (part == NULL || buf == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (part == ukfs_part_na)
		return snprintf(buf, n, "n/a");
	if (part->up_label != NULL)
		return snprintf(buf, n, "%s", part->up_label);
	if (part->up_partition == UKFS_PARTITION_NONE)
		return snprintf(buf, n, "none");
	return snprintf(buf, n, "%d", part->up_partition);
}

/* 1: loaded now; 0: it was already; -1 (ENOENT) if it does not load. */
int
ukfs_modload(const char *path)
{
	if (path == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ukfs_init() == -1)
		return -1;
	if (dlopen(path, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) != NULL)
		return 0;
	if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == NULL) {
		errno = ENOENT;
		return -1;
	}
	return 1;
}

/* Every librumpfs_*.so in dir: how many were loaded now, or -1. */
int
ukfs_modload_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t len;
	DIR *d;
	int n = 0, r, saved;

	if (dir == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strncmp(de->d_name, "librumpfs_", 10) != 0 || len < 4 ||
		    strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path))
			continue;
		if ((r = ukfs_modload(path)) == -1) {
			saved = errno;
			closedir(d);
			errno = saved;
			return -1;
		}
		n += r;
	}
	closedir(d);
	return n;
}

/* The root vnode of the mount, with a reference for the caller. */
struct vnode *
ukfs_getrvp(struct ukfs *fs)
{
	struct vnode *vp;
	int error;

	if (fs == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((error = rump_pub_namei(RUMP_NAMEI_LOOKUP, RUMP_NAMEI_FOLLOW,
	    fs->uk_mountpath, NULL, &vp, NULL)) != 0) {
		errno = error;
		return NULL;
	}
	return vp;
}

/* mkdir -p: every missing directory of path, mode for each made. */
int
ukfs_util_builddirs(struct ukfs *fs, const char *path, mode_t mode)
{
	char kp[UKFS_PATHMAX];
	struct stat st;
	char *p;

	if (ukfs_kpath(fs, path, kp, sizeof(kp)) == -1)
		return -1;
	for (p = kp + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (p > kp + 1 && ukfs_mkdir(fs, kp, mode) == -1 &&
		    (errno != EEXIST || ukfs_stat(fs, kp, &st) == -1 ||
		    !S_ISDIR(st.st_mode))) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			return -1;
		}
		if ((*p = c) == '\0')
			return 0;
	}
}
