/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A multi-process stress of a writable file system (h_fsstress.h).
 * Each worker is a host thread bound to a process of its own
 * (rump_pub_lwproc_rfork), so the kernel sees as many processes at
 * once as there are workers.  A worker creates, writes, appends,
 * truncates, extends, reads back, fsyncs, renames and unlinks files in a
 * private directory and in a shared one, where the names of all the
 * workers collide, and makes and removes directories in the shared
 * one.  Files of up to FSS_MAXSIZE bytes reach the first indirect
 * blocks of every block size the suite uses; sparse extensions reach
 * further.
 *
 * With full set the file system is small enough to fill up: then a call
 * that needs space may fail with ENOSPC (and a write be short), which
 * must leave the file as the model says and lose no space.
 *
 * What a worker checks is what no other worker can change: the exact
 * bytes of its private files (a model of each: the bytes of a pattern
 * up to a length, zeroes after it), and the exact errno of every call
 * that fails in the shared directory (only the errors another worker's
 * step can explain are allowed there).  The caller checks the image
 * after unmounting it, where lost or doubly used blocks show.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/param.h>
#include <sys/stat.h>

#include "h_fsstress.h"

#define FSS_PFILES  8                   /* private files per worker */
#define FSS_SNAMES  6                   /* names in the shared directory */
#define FSS_MAXSIZE (600 * 1024)
#define FSS_FAR     (5 * 1024 * 1024)   /* reach of sparse extensions */

struct fss_pfile {
	bool exists;
	uint32_t seed;
	uint64_t datalen;               /* pattern bytes, then zeroes */
	uint64_t size;
};

struct fss_worker {
	const char *base;
	int id;
	int nops;
	uint32_t rnd;
	bool full;                      /* space may run out: ENOSPC */
	struct fss_pfile pf[FSS_PFILES];
	char err[1024];                 /* the first failure, or empty */
};

static unsigned char fss_buf_zero[64 * 1024];

static uint32_t
fss_rand(struct fss_worker *w, uint32_t n)
{
	w->rnd = w->rnd * 1103515245u + 12345u;
	return (w->rnd >> 8) % n;
}

static unsigned char
fss_pat(uint32_t seed, uint64_t off)
{
	return (unsigned char)(seed + off * 31 + off / 4093);
}

#define FSS_FAIL(w, ...)                                                       \
	do {                                                                   \
		if ((w)->err[0] == '\0')                                       \
			snprintf((w)->err, sizeof((w)->err), __VA_ARGS__);     \
	} while (0)

static void
fss_pname(struct fss_worker *w, int i, char *p, size_t n)
{
	snprintf(p, n, "%s/p%d/f%d", w->base, w->id, i);
}

static void
fss_sname(struct fss_worker *w, int i, char *p, size_t n)
{
	snprintf(p, n, "%s/shared/n%d", w->base, i);
}

/* Whether the failed call's errno is allowed: ENOSPC when space may run
 * out. */
static bool
fss_nospace(struct fss_worker *w)
{
	return w->full && errno == ENOSPC;
}

/*
 * Write the pattern of seed over [from, to) of fd, from is the file's
 * end: the end it has after, short of to only when space ran out.
 */
static uint64_t
fss_fill(struct fss_worker *w, int fd, uint32_t seed, uint64_t from,
    uint64_t to)
{
	unsigned char b[16384];
	ssize_t k;

	while (from < to) {
		size_t n = (size_t)MIN(sizeof(b) - from % sizeof(b), to - from);

		for (size_t i = 0; i < n; i++)
			b[i] = fss_pat(seed, from + i);
		if ((k = rump_sys_pwrite(fd, b, n, (off_t)from)) == -1) {
			if (!fss_nospace(w))
				FSS_FAIL(w, "pwrite at %llu: %s",
				    (unsigned long long)from, strerror(errno));
			break;
		}
		from += (uint64_t)k;
	}
	return from;
}

/* The private file must hold exactly what its model says. */
static void
fss_verify(struct fss_worker *w, int i)
{
	struct fss_pfile *f = &w->pf[i];
	unsigned char b[16384];
	char p[256];
	struct stat sb;
	uint64_t off = 0;
	ssize_t k;
	int fd;

	fss_pname(w, i, p, sizeof(p));
	if (!f->exists) {
		if (rump_sys_stat(p, &sb) != -1 || errno != ENOENT)
			FSS_FAIL(w, "%s: exists, should not", p);
		return;
	}
	if ((fd = rump_sys_open(p, O_RDONLY, 0)) == -1) {
		FSS_FAIL(w, "open %s: %s", p, strerror(errno));
		return;
	}
	if (rump_sys_fstat(fd, &sb) == -1 || (uint64_t)sb.st_size != f->size)
		FSS_FAIL(w, "%s: size %lld, expected %llu", p,
		    (long long)sb.st_size, (unsigned long long)f->size);
	while ((k = rump_sys_read(fd, b, sizeof(b))) > 0) {
		for (ssize_t j = 0; j < k; j++, off++) {
			unsigned char want = off < f->datalen ?
			    fss_pat(f->seed, off) : 0;

			if (b[j] != want) {
				FSS_FAIL(w, "%s: byte %llu is %u, expected %u",
				    p, (unsigned long long)off, b[j], want);
				rump_sys_close(fd);
				return;
			}
		}
	}
	if (k == -1 || off != f->size)
		FSS_FAIL(w, "%s: read %llu bytes of %llu: %s", p,
		    (unsigned long long)off, (unsigned long long)f->size,
		    k == -1 ? strerror(errno) : "short");
	rump_sys_close(fd);
}

/* One step on a private file. */
static void
fss_private(struct fss_worker *w)
{
	int i = (int)fss_rand(w, FSS_PFILES), fd;
	struct fss_pfile *f = &w->pf[i];
	char p[256], q[256];
	uint64_t len;
	ssize_t k;

	fss_pname(w, i, p, sizeof(p));
	switch (fss_rand(w, 8)) {
	case 0: /* (re)write whole */
		len = fss_rand(w, FSS_MAXSIZE);
		if ((fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_TRUNC,
		    0644)) == -1) {
			if (!fss_nospace(w))
				FSS_FAIL(w, "create %s: %s", p,
				    strerror(errno));
			return;
		}
		f->exists = true;
		f->seed = w->rnd;
		f->datalen = f->size = fss_fill(w, fd, f->seed, 0, len);
		rump_sys_close(fd);
		break;
	case 1: /* append */
		if (!f->exists)
			return;
		len = fss_rand(w, 70000);
		if ((fd = rump_sys_open(p, O_WRONLY, 0)) == -1) {
			FSS_FAIL(w, "open %s: %s", p, strerror(errno));
			return;
		}
		if (f->datalen == f->size)
			f->datalen = f->size = fss_fill(w, fd, f->seed,
			    f->size, f->size + len);
		rump_sys_close(fd);
		break;
	case 2: /* truncate, shorter or longer */
		if (!f->exists)
			return;
		len = fss_rand(w, 3) == 0 ? fss_rand(w, FSS_FAR) :
		    fss_rand(w, FSS_MAXSIZE);
		if (rump_sys_truncate(p, (off_t)len) == -1) {
			if (!fss_nospace(w))
				FSS_FAIL(w, "truncate %s: %s", p,
				    strerror(errno));
			return;
		}
		f->datalen = MIN(f->datalen, len);
		f->size = len;
		break;
	case 3: /* a write far out: a hole before it */
		if (!f->exists || f->datalen != f->size)
			return;
		len = f->size + fss_rand(w, FSS_FAR);
		if ((fd = rump_sys_open(p, O_WRONLY, 0)) == -1) {
			FSS_FAIL(w, "open %s: %s", p, strerror(errno));
			return;
		}
		if (rump_sys_ftruncate(fd, (off_t)len) == -1) {
			if (!fss_nospace(w))
				FSS_FAIL(w, "ftruncate %s: %s", p,
				    strerror(errno));
		} else if ((k = rump_sys_pwrite(fd, fss_buf_zero, 5000,
		    (off_t)len)) == -1) {
			if (!fss_nospace(w))
				FSS_FAIL(w, "pwrite %s: %s", p,
				    strerror(errno));
			f->size = len;
		} else
			f->size = len + (uint64_t)k;
		rump_sys_close(fd);
		break;
	case 4: /* unlink */
		if (rump_sys_unlink(p) == -1 && (f->exists || errno != ENOENT))
			FSS_FAIL(w, "unlink %s: %s", p, strerror(errno));
		f->exists = false;
		break;
	case 5: /* rename over another private file */
	{
		int j = (int)fss_rand(w, FSS_PFILES);

		if (!f->exists || j == i)
			return;
		fss_pname(w, j, q, sizeof(q));
		if (rump_sys_rename(p, q) == -1) {
			if (!fss_nospace(w))
				FSS_FAIL(w, "rename %s %s: %s", p, q,
				    strerror(errno));
			return;
		}
		w->pf[j] = *f;
		f->exists = false;
		break;
	}
	case 6: /* to the disk: this file, or everything */
		if (fss_rand(w, 4) == 0) {
			if (rump_sys_sync() == -1)
				FSS_FAIL(w, "sync: %s", strerror(errno));
			return;
		}
		if ((fd = rump_sys_open(p, O_RDONLY, 0)) == -1) {
			if (f->exists || errno != ENOENT)
				FSS_FAIL(w, "open %s: %s", p, strerror(errno));
			return;
		}
		if ((fss_rand(w, 2) ? rump_sys_fsync(fd) :
		    rump_sys_fdatasync(fd)) == -1)
			FSS_FAIL(w, "fsync %s: %s", p, strerror(errno));
		rump_sys_close(fd);
		break;
	default:
		fss_verify(w, i);
		break;
	}
}

/* One step in the shared directory: any name may be anybody's. */
static void
fss_shared(struct fss_worker *w)
{
	char p[256], q[256];
	unsigned char b[8192];
	int fd;

	struct stat sb;

	fss_sname(w, (int)fss_rand(w, FSS_SNAMES), p, sizeof(p));
	switch (fss_rand(w, 8)) {
	case 0: /* write a file there (not into a directory) */
		if ((fd = rump_sys_open(p, O_WRONLY | O_CREAT, 0644)) == -1) {
			if (errno != EISDIR && !fss_nospace(w))
				FSS_FAIL(w, "create %s: %s", p,
				    strerror(errno));
			return;
		}
		memset(b, w->id, sizeof(b));
		for (uint32_t k = fss_rand(w, 40); k > 0; k--)
			if (rump_sys_write(fd, b, sizeof(b)) == -1) {
				if (!fss_nospace(w))
					FSS_FAIL(w, "write %s: %s", p,
					    strerror(errno));
				break;
			}
		rump_sys_close(fd);
		break;
	case 1:
		if (rump_sys_truncate(p, fss_rand(w, FSS_MAXSIZE)) == -1 &&
		    errno != ENOENT && errno != EISDIR && !fss_nospace(w))
			FSS_FAIL(w, "truncate %s: %s", p, strerror(errno));
		break;
	case 2:
		if (rump_sys_unlink(p) == -1 && errno != ENOENT &&
		    errno != EISDIR && errno != EPERM)
			FSS_FAIL(w, "unlink %s: %s", p, strerror(errno));
		break;
	case 3:
		fss_sname(w, (int)fss_rand(w, FSS_SNAMES), q, sizeof(q));
		if (rump_sys_rename(p, q) == -1 && errno != ENOENT &&
		    errno != EISDIR && errno != ENOTDIR &&
		    errno != ENOTEMPTY && errno != EINVAL && !fss_nospace(w))
			FSS_FAIL(w, "rename %s %s: %s", p, q, strerror(errno));
		break;
	case 4:
		if (rump_sys_mkdir(p, 0755) == -1 && errno != EEXIST &&
		    !fss_nospace(w))
			FSS_FAIL(w, "mkdir %s: %s", p, strerror(errno));
		break;
	case 5:
	case 6:
		/* A reference taken and dropped while others unlink. */
		if (rump_sys_stat(p, &sb) == -1 && errno != ENOENT)
			FSS_FAIL(w, "stat %s: %s", p, strerror(errno));
		break;
	default:
		if (rump_sys_rmdir(p) == -1 && errno != ENOENT &&
		    errno != ENOTDIR && errno != ENOTEMPTY)
			FSS_FAIL(w, "rmdir %s: %s", p, strerror(errno));
		break;
	}
}

static void *
fss_work(void *arg)
{
	struct fss_worker *w = arg;
	char p[256];

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		FSS_FAIL(w, "rfork failed");
		return NULL;
	}
	snprintf(p, sizeof(p), "%s/p%d", w->base, w->id);
	if (rump_sys_mkdir(p, 0755) == -1)
		FSS_FAIL(w, "mkdir %s: %s", p, strerror(errno));
	for (int n = 0; n < w->nops && w->err[0] == '\0'; n++) {
		if (fss_rand(w, 2) == 0)
			fss_shared(w);
		else
			fss_private(w);
	}
	for (int i = 0; i < FSS_PFILES && w->err[0] == '\0'; i++)
		fss_verify(w, i);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Remove everything under path (a directory, left in place). */
static void
fss_rmtree(const char *path)
{
	char buf[4096], p[512];
	ssize_t n;
	int fd;

	for (;;) {
		bool any = false;

		REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY,
		    0));
		while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
			for (ssize_t pos = 0; pos < n;) {
				unsigned short reclen;
				const char *nm = buf + pos + 19;
				unsigned char type = (unsigned char)buf[pos + 18];

				memcpy(&reclen, buf + pos + 16, sizeof(reclen));
				pos += reclen;
				if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
					continue;
				snprintf(p, sizeof(p), "%s/%s", path, nm);
				if (type == DT_DIR) {
					fss_rmtree(p);
					REQUIRE_OK(rump_sys_rmdir(p));
				} else
					REQUIRE_OK(rump_sys_unlink(p));
				any = true;
			}
		}
		REQUIRE_EQ(n, 0);
		REQUIRE_OK(rump_sys_close(fd));
		if (!any)
			break;
	}
}

void
fs_stress(const char *base, int nworkers, int nops, uint32_t seed, bool full)
{
	pthread_t th[FSS_MAXWORKERS];
	struct fss_worker *w;
	const char *pct;
	char p[256];

	REQUIRE(nworkers <= FSS_MAXWORKERS);
	if ((pct = getenv("FSSTRESS_PERCENT")) != NULL)
		nops = nops * atoi(pct) / 100;
	REQUIRE((w = calloc((size_t)nworkers, sizeof(*w))) != NULL);
	snprintf(p, sizeof(p), "%s/shared", base);
	REQUIRE_OK(rump_sys_mkdir(p, 0755));
	for (int i = 0; i < nworkers; i++) {
		w[i].base = base;
		w[i].id = i;
		w[i].nops = nops;
		w[i].full = full;
		w[i].rnd = seed * 7919u + (uint32_t)i * 104729u + 1;
		REQUIRE_EQ(pthread_create(&th[i], NULL, fss_work, &w[i]), 0);
	}
	for (int i = 0; i < nworkers; i++)
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < nworkers; i++)
		if (w[i].err[0] != '\0')
			TEST_FAIL("worker %d: %s", i, w[i].err);
	free(w);
	fss_rmtree(base);
}
