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
 * a copy out of an image is never larger than the image's tree.  Holes
 * stay holes (SEEK_DATA/SEEK_HOLE): a sparse file costs the target only
 * its data, however large it claims to be.
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
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static uint64_t cp_total;               /* bytes copied so far */
static uint64_t cp_files;               /* and files */
bool fsu_quiet;

void
fsu_progress(uint64_t files, uint64_t bytes, bool done)
{
	static struct timespec start, last;
	static bool shown;
	struct timespec now;
	double t;

	if (fsu_quiet || !isatty(STDERR_FILENO))
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
	fprintf(stderr, "\r%s: ", fsu_progname);
	if (files > 0)
		fprintf(stderr, "%llu files, ", (unsigned long long)files);
	fprintf(stderr, "%.1f MiB copied, %.1f MiB/s\033[K",
	    (double)bytes / 1048576, (double)bytes / 1048576 / t);
}

/* Write all of buf; -1 with errno (ENOSPC for a write of nothing). */
static int
write_all(const struct fsu_side *to, int out, const char *buf, size_t n)
{
	ssize_t w;
	size_t off;

	for (off = 0; off < n; off += (size_t)w) {
		/* A signal may have cut the last write short. */
		fsu_checksignal();
		if ((w = to->s_write(out, buf + off, n - off)) <= 0) {
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
	}
	return 0;
}

/*
 * Where the next data (or hole) of in starts at or after pos, with end
 * for none; a side that knows no SEEK_DATA makes the whole file data.
 */
static off_t
next_extent(const struct fsu_side *from, int in, off_t pos, off_t end,
    int whence)
{
	off_t r;

	if ((r = from->s_lseek(in, pos, whence)) != -1)
		return MIN(r, end);
	if (errno == ENXIO)
		return end;
	if (errno == EINVAL)
		return whence == SEEK_DATA ? pos : end;
	return -1;
}

int
fsu_copyfd(const struct fsu_side *from, int in, const struct fsu_side *to,
    int out, bool holes, bool *wfailedp)
{
	off_t pos = 0, data, hole, end, base = 0, at;
	ssize_t r;
	size_t n;
	char *buf;
	int error = 0;

	*wfailedp = false;
	if ((end = from->s_lseek(in, 0, SEEK_END)) == -1)
		return -1;
	if (holes && (base = to->s_lseek(out, 0, SEEK_CUR)) == -1) {
		*wfailedp = true;
		return -1;
	}
	buf = fsu_xmalloc(CP_CHUNK);
	at = 0;
	while (pos < end && error == 0) {
		fsu_checksignal();
		if ((data = next_extent(from, in, pos, end, SEEK_DATA)) == -1 ||
		    (hole = next_extent(from, in, data, end, SEEK_HOLE)) == -1 ||
		    from->s_lseek(in, data, SEEK_SET) == -1) {
			error = -1;
			break;
		}
		/* A hole: skipped in a file, zeros in a stream. */
		if (holes && data > at) {
			if (to->s_lseek(out, base + data, SEEK_SET) == -1)
				error = -1, *wfailedp = true;
			at = data;
		}
		for (; at < data && error == 0; at += (off_t)n) {
			fsu_checksignal();
			n = (size_t)MIN(data - at, CP_CHUNK);
			memset(buf, 0, n);
			if (write_all(to, out, buf, n) == -1)
				error = -1, *wfailedp = true;
		}
		for (pos = data; pos < hole && error == 0; pos += r) {
			fsu_checksignal();
			n = (size_t)MIN(hole - pos, CP_CHUNK);
			if ((r = from->s_read(in, buf, n)) == -1) {
				if (errno == EINTR) {
					r = 0;
					continue;
				}
				error = -1;
			} else if (r == 0) {
				end = pos;      /* it shrank under us */
				break;
			} else if (write_all(to, out, buf, (size_t)r) == -1)
				error = -1, *wfailedp = true;
			else {
				cp_total += (uint64_t)r;
				fsu_progress(cp_files, cp_total, false);
			}
		}
		at = pos;
	}
	/* A file that ends in a hole gets its size. */
	if (error == 0 && holes && at < end &&
	    to->s_ftruncate(out, base + end) == -1)
		error = -1, *wfailedp = true;
	free(buf);
	return error;
}

static int
copy_data(const struct fsu_side *from, const char *src,
    const struct fsu_side *to, const char *dst, mode_t mode)
{
	bool wfailed;
	int in, out, error;

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
	if ((error = fsu_copyfd(from, in, to, out, true, &wfailed)) == -1)
		fsu_warn("error %s '%s'", wfailed ? "writing" : "reading",
		    wfailed ? dst : src);
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
	fsu_progress(++cp_files, cp_total, false);
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
	fsu_progress(0, 0, true);
	return r;
}
