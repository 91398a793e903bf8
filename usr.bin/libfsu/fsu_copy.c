/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Copying between the sides (fsu_put: host to image, fsu_get: image to
 * host) with cp's rules: a destination that is a directory receives the
 * source under its own name, else it is the new name; directories only
 * with -r, whose symbolic links are copied as links; -p keeps modes,
 * times and, where the caller may, owners.  Data moves in 1 MiB steps,
 * checking for signals between them.  A directory that is one of its
 * own ancestors (a hostile image's loop) is reported and not copied, so
 * a copy out of an image is never larger than the image's tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsu.h"

#define CP_CHUNK (1024 * 1024)

static uint64_t cp_total;               /* bytes copied so far */

void
fsu_progress(uint64_t bytes, bool done)
{
	static struct timespec start, last;
	static bool shown;
	struct timespec now;
	double t;

	if (!isatty(STDERR_FILENO))
		return;
	if (done) {
		if (shown)
			fputs("\r\033[K", stderr);
		shown = false;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (start.tv_sec == 0 && start.tv_nsec == 0) {
		start = now;
		return;
	}
	/* Only for copies that take a while, twice a second. */
	t = (double)(now.tv_sec - start.tv_sec) +
	    (double)(now.tv_nsec - start.tv_nsec) / 1e9;
	if (t < 1.0 || (double)(now.tv_sec - last.tv_sec) +
	    (double)(now.tv_nsec - last.tv_nsec) / 1e9 < 0.5)
		return;
	last = now;
	shown = true;
	fprintf(stderr, "\r%s: %.1f MiB copied, %.1f MiB/s", fsu_progname,
	    (double)bytes / 1048576, (double)bytes / 1048576 / t);
}

static int
copy_data(const struct fsu_side *from, const char *src,
    const struct fsu_side *to, const char *dst, mode_t mode)
{
	ssize_t r, w, off;
	int in, out, error = 0;
	char *buf;

	if ((in = from->s_open(src, O_RDONLY, 0)) == -1) {
		fsu_warn("cannot open '%s' for reading", src);
		return -1;
	}
	if ((out = to->s_open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode)) ==
	    -1) {
		fsu_warn("cannot create regular file '%s'", dst);
		from->s_close(in);
		return -1;
	}
	buf = fsu_xmalloc(CP_CHUNK);
	for (;;) {
		fsu_checksignal();
		if ((r = from->s_read(in, buf, CP_CHUNK)) == -1) {
			if (errno == EINTR)
				continue;
			fsu_warn("error reading '%s'", src);
			error = -1;
			break;
		}
		if (r == 0)
			break;
		for (off = 0; off < r; off += w) {
			if ((w = to->s_write(out, buf + off,
			    (size_t)(r - off))) <= 0) {
				if (w == -1 && errno == EINTR) {
					w = 0;
					fsu_checksignal();
					continue;
				}
				if (w == 0)
					errno = ENOSPC;
				fsu_warn("error writing '%s'", dst);
				error = -1;
				break;
			}
		}
		if (error)
			break;
		cp_total += (uint64_t)r;
		fsu_progress(cp_total, false);
	}
	free(buf);
	from->s_close(in);
	if (to->s_close(out) == -1 && error == 0) {
		fsu_warn("error writing '%s'", dst);
		error = -1;
	}
	return error;
}

/* Owner, mode and times of st onto dst (-p). */
static int
preserve(const struct fsu_side *to, const char *dst, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	int error = 0;

	/* Only a privileged caller may give files away: not an error. */
	if (to->s_lchown(dst, st->st_uid, st->st_gid) == -1 &&
	    errno != EPERM) {
		fsu_warn("failed to preserve ownership for '%s'", dst);
		error = -1;
	}
	if (!S_ISLNK(st->st_mode) &&
	    to->s_chmod(dst, st->st_mode & 07777) == -1) {
		fsu_warn("preserving permissions for '%s'", dst);
		error = -1;
	}
	if (to->s_lutimens(dst, ts) == -1 && errno != EOPNOTSUPP) {
		fsu_warn("preserving times for '%s'", dst);
		error = -1;
	}
	return error;
}

static int copy_node(const struct fsu_side *, const char *,
    const struct stat *, const struct fsu_ancestor *, const struct fsu_side *,
    const char *, int);

static int
copy_dir(const struct fsu_side *from, const char *src, const struct stat *st,
    const struct fsu_ancestor *up, const struct fsu_side *to,
    const char *dst, int flags)
{
	const struct fsu_ancestor *a;
	struct fsu_ancestor self;
	struct stat dst_st, cst;
	char **names, *s, *d;
	size_t n, i;
	int error = 0, r;

	if ((a = fsu_loop(up, st)) != NULL) {
		fsu_warnloop(src, a);
		return -1;
	}
	self = (struct fsu_ancestor){ .a_up = up, .a_dev = st->st_dev,
		.a_ino = st->st_ino, .a_path = src };
	if (to->s_lstat(dst, &dst_st) == 0) {
		if (!S_ISDIR(dst_st.st_mode)) {
			fsu_warnx("cannot overwrite non-directory '%s' with "
			    "directory '%s'", dst, src);
			return -1;
		}
	} else if (to->s_mkdir(dst, (st->st_mode & 07777) | 0700) == -1) {
		fsu_warn("cannot create directory '%s'", dst);
		return -1;
	}
	if ((r = from->s_list(src, &names, &n)) == -1) {
		fsu_warn("cannot access '%s'", src);
		return -1;
	}
	if (r == 1)
		error = -1;
	for (i = 0; i < n; i++) {
		s = fsu_join(src, names[i]);
		d = fsu_join(dst, names[i]);
		if (from->s_lstat(s, &cst) == -1) {
			fsu_warn("cannot stat '%s'", s);
			error = -1;
		} else if (copy_node(from, s, &cst, &self, to, d, flags) == -1)
			error = -1;
		free(s);
		free(d);
	}
	fsu_freelist(names, n);
	if (flags & FSU_CP_PRESERVE) {
		if (preserve(to, dst, st) == -1)
			error = -1;
	} else if ((st->st_mode & 0700) != 0700 &&
	    to->s_chmod(dst, st->st_mode & 0777) == -1)
		error = -1;
	return error;
}

static int
copy_node(const struct fsu_side *from, const char *src, const struct stat *st,
    const struct fsu_ancestor *up, const struct fsu_side *to,
    const char *dst, int flags)
{
	struct stat dst_st;
	char target[4097];
	ssize_t len;

	fsu_checksignal();
	if (S_ISDIR(st->st_mode))
		return copy_dir(from, src, st, up, to, dst, flags);
	if (to->s_lstat(dst, &dst_st) == 0 && S_ISDIR(dst_st.st_mode)) {
		fsu_warnx("cannot overwrite directory '%s' with "
		    "non-directory", dst);
		return -1;
	}
	if (S_ISLNK(st->st_mode)) {
		if ((len = from->s_readlink(src, target, sizeof(target) - 1)) ==
		    -1) {
			fsu_warn("cannot read symbolic link '%s'", src);
			return -1;
		}
		target[len] = '\0';
		(void)to->s_unlink(dst);
		if (to->s_symlink(target, dst) == -1) {
			fsu_warn("cannot create symbolic link '%s'", dst);
			return -1;
		}
	} else if (S_ISREG(st->st_mode)) {
		if (copy_data(from, src, to, dst, st->st_mode & 0777) == -1)
			return -1;
	} else {
		fsu_warnx("cannot copy special file '%s'", src);
		return -1;
	}
	if (flags & FSU_CP_PRESERVE)
		return preserve(to, dst, st);
	return 0;
}

int
fsu_cp(const struct fsu_side *from, const char *src,
    const struct fsu_side *to, const char *dst, bool into, int flags)
{
	struct stat st, dst_st;
	char *target, *base;
	int r;

	if (((flags & FSU_CP_RECURSIVE) ? from->s_lstat : from->s_stat)(src,
	    &st) == -1) {
		fsu_warn("cannot stat '%s'", src);
		return -1;
	}
	if (S_ISDIR(st.st_mode) && !(flags & FSU_CP_RECURSIVE)) {
		fsu_warnx("-r not specified; omitting directory '%s'", src);
		return -1;
	}
	if (into || (to->s_stat(dst, &dst_st) == 0 &&
	    S_ISDIR(dst_st.st_mode))) {
		base = fsu_basename(src);
		target = fsu_join(dst, base);
		free(base);
	} else
		target = fsu_xstrdup(dst);
	r = copy_node(from, src, &st, NULL, to, target, flags);
	free(target);
	fsu_progress(0, true);
	return r;
}
