/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Host files: open, size and type, directory listings, scatter-gather
 * I/O, and asynchronous block I/O served by a small pool of host threads.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser_int.h"

int
rumpuser_open(const char *path, int ruflags, int *fdp)
{
	int flags, fd;

	switch (ruflags & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY:
		flags = O_RDONLY;
		break;
	case RUMPUSER_OPEN_WRONLY:
		flags = O_WRONLY;
		break;
	case RUMPUSER_OPEN_RDWR:
		flags = O_RDWR;
		break;
	default:
		return EINVAL;
	}
	if (ruflags & RUMPUSER_OPEN_CREATE)
		flags |= O_CREAT;
	if (ruflags & RUMPUSER_OPEN_EXCL)
		flags |= O_EXCL;
	flags |= O_CLOEXEC;

	KLOCK_WRAP(fd = open(path, flags, 0644));
	if (fd == -1)
		return errno;
	*fdp = fd;
	return 0;
}

int
rumpuser_close(int fd)
{
	return close(fd) == -1 ? errno : 0;
}

static int
ftype_of_mode(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return RUMPUSER_FT_DIR;
	case S_IFREG:
		return RUMPUSER_FT_REG;
	case S_IFBLK:
		return RUMPUSER_FT_BLK;
	case S_IFCHR:
		return RUMPUSER_FT_CHR;
	default:
		return RUMPUSER_FT_OTHER;
	}
}

int
rumpuser_getfileinfo(const char *path, unsigned long long *sizep, int *typep)
{
	struct stat st;
	unsigned long long size;
	int fd, error = 0;

	if (stat(path, &st) == -1)
		return errno;
	size = (unsigned long long)st.st_size;
	*typep = ftype_of_mode(st.st_mode);
	if (*typep == RUMPUSER_FT_BLK) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			return errno;
		if (ioctl(fd, BLKGETSIZE64, &size) == -1)
			error = errno;
		close(fd);
	}
	if (sizep != NULL)
		*sizep = size;
	return error;
}

/*
 * A listing read whole before the kernel sees any of it: records of a
 * type byte and a NUL-terminated name, packed.
 */
struct dirbuf {
	char *buf;
	size_t len, cap;
};

static int
dirbuf_add(struct dirbuf *db, int type, const char *name)
{
	size_t need = 1 + strlen(name) + 1, ncap;
	char *nbuf;

	if (db->cap - db->len < need) {
		for (ncap = db->cap == 0 ? 4096 : db->cap; ncap - db->len < need;
		    ncap *= 2)
			continue;
		if ((nbuf = realloc(db->buf, ncap)) == NULL)
			return ENOMEM;
		db->buf = nbuf;
		db->cap = ncap;
	}
	db->buf[db->len] = (char)type;
	memcpy(db->buf + db->len + 1, name, need - 1);
	db->len += need;
	return 0;
}

/* Runs without a virtual CPU: host calls only. */
static int
dir_read(const char *path, struct dirbuf *db)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int type, error = 0;

	if ((dir = opendir(path)) == NULL)
		return errno;
	for (;;) {
		errno = 0;
		if ((de = readdir(dir)) == NULL) {
			error = errno;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		switch (de->d_type) {
		case DT_DIR:
			type = RUMPUSER_FT_DIR;
			break;
		case DT_REG:
			type = RUMPUSER_FT_REG;
			break;
		case DT_BLK:
			type = RUMPUSER_FT_BLK;
			break;
		case DT_CHR:
			type = RUMPUSER_FT_CHR;
			break;
		case DT_LNK:
		case DT_UNKNOWN:
			/* What the name leads to, as stat(2) sees it. */
			type = fstatat(dirfd(dir), de->d_name, &st, 0) == 0 ?
			    ftype_of_mode(st.st_mode) : RUMPUSER_FT_OTHER;
			break;
		default:
			type = RUMPUSER_FT_OTHER;
			break;
		}
		if ((error = dirbuf_add(db, type, de->d_name)) != 0)
			break;
	}
	closedir(dir);
	return error;
}

int
rumpuser_dir_list(const char *path,
    int (*fn)(void *arg, const char *name, int type), void *arg)
{
	struct dirbuf db = { NULL, 0, 0 };
	size_t off, len;
	int error;

	/* fn runs kernel code: it is called only once the CPU is back. */
	KLOCK_WRAP(error = dir_read(path, &db));
	for (off = 0; error == 0 && off < db.len; off += 1 + len + 1) {
		len = strlen(db.buf + off + 1);
		error = fn(arg, db.buf + off + 1, (unsigned char)db.buf[off]);
	}
	free(db.buf);
	return error;
}

int
rumpuser_ftruncate(int fd, unsigned long long size)
{
	int rv;

	if (size > (unsigned long long)INT64_MAX)
		return EFBIG;
	KLOCK_WRAP(rv = ftruncate(fd, (off_t)size));
	return rv == -1 ? errno : 0;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *iov, int iovcnt, long long off,
    unsigned long *retp)
{
	ssize_t n;

	/* struct rumpuser_iovec has struct iovec's layout. */
	KLOCK_WRAP(n = off == -1 ? readv(fd, (struct iovec *)iov, iovcnt)
				 : preadv(fd, (struct iovec *)iov, iovcnt, off));
	if (n == -1)
		return errno;
	*retp = (unsigned long)n;
	return 0;
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov, int iovcnt,
    long long off, unsigned long *retp)
{
	ssize_t n;

	KLOCK_WRAP(n = off == -1
			   ? writev(fd, (const struct iovec *)iov, iovcnt)
			   : pwritev(fd, (const struct iovec *)iov, iovcnt, off));
	if (n == -1)
		return errno;
	*retp = (unsigned long)n;
	return 0;
}

int
rumpuser_syncfd(int fd, int flags, unsigned long long start,
    unsigned long long len)
{
	(void)start;
	(void)len;
	if ((flags & RUMPUSER_SYNCFD_WRITE) == 0)
		return 0;
	if (flags & (RUMPUSER_SYNCFD_SYNC | RUMPUSER_SYNCFD_BARRIER)) {
		int rv;
		KLOCK_WRAP(rv = fdatasync(fd));
		if (rv == -1)
			return errno;
	}
	return 0;
}

/*
 * Asynchronous block I/O.  Requests queue in arrival order; BIO_NTHREADS
 * host threads, started on first use, serve them and call back.
 */
#define BIO_NTHREADS 4

struct bio_req {
	struct bio_req *next;
	int fd, op;
	void *data;
	unsigned long dlen;
	long long off;
	rumpuser_biodone_fn done;
	void *arg;
};

static pthread_mutex_t bio_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bio_cv = PTHREAD_COND_INITIALIZER;
static struct bio_req *bio_head, **bio_tail = &bio_head;
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;

static void
bio_perform(struct bio_req *req)
{
	unsigned long done = 0;
	ssize_t n;
	int error = 0;

	while (done < req->dlen) {
		char *p = (char *)req->data + done;
		if (req->op & RUMPUSER_BIO_READ)
			n = pread(req->fd, p, req->dlen - done,
			    req->off + (long long)done);
		else
			n = pwrite(req->fd, p, req->dlen - done,
			    req->off + (long long)done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			error = errno;
			break;
		}
		if (n == 0)
			break; /* end of file: a short transfer */
		done += (unsigned long)n;
	}
	if (error == 0 && (req->op & RUMPUSER_BIO_WRITE) &&
	    (req->op & RUMPUSER_BIO_SYNC) && fdatasync(req->fd) == -1)
		error = errno;
	req->done(req->arg, done, error);
}

static void *
bio_thread(void *arg)
{
	struct bio_req *req;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&bio_mtx);
		while (bio_head == NULL)
			pthread_cond_wait(&bio_cv, &bio_mtx);
		req = bio_head;
		if ((bio_head = req->next) == NULL)
			bio_tail = &bio_head;
		pthread_mutex_unlock(&bio_mtx);
		bio_perform(req);
		free(req);
	}
	return NULL;
}

static void
bio_start(void)
{
	pthread_t pt;
	int i, error;

	for (i = 0; i < BIO_NTHREADS; i++) {
		if ((error = rumpuser__thread_spawn(&pt, NULL, bio_thread,
		    NULL)) != 0)
			rumpuser__hostfail("bio thread", error);
		pthread_setname_np(pt, "rumpuser_bio");
		pthread_detach(pt);
	}
}

void
rumpuser_bio(int fd, int op, void *data, unsigned long dlen, long long off,
    rumpuser_biodone_fn done, void *arg)
{
	struct bio_req *req;

	pthread_once(&bio_once, bio_start);
	if ((req = malloc(sizeof(*req))) == NULL) {
		done(arg, 0, ENOMEM);
		return;
	}
	*req = (struct bio_req){ NULL, fd, op, data, dlen, off, done, arg };
	pthread_mutex_lock(&bio_mtx);
	*bio_tail = req;
	bio_tail = &req->next;
	pthread_cond_signal(&bio_cv);
	pthread_mutex_unlock(&bio_mtx);
}
