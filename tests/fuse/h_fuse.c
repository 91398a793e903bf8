/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Host programs' view of a FUSE mount of ours, as pjdfstest and fsstress
 * look at one: ordinary host system calls on a directory of the mount,
 * with exact errno values and contents.  Run by t_fuse_posix.sh as root.
 *
 *	h_fuse deep DIR     paths longer than PATH_MAX from the mount root;
 *	                    4095-byte relative paths work, 4096 do not
 *	h_fuse unlinked DIR fstat and I/O of an open, unlinked file
 *	h_fuse killpriv DIR a write by another user clears SUID and SGID;
 *	                    a write-only file is written in part of a page
 *	h_fuse stress DIR NPROC NOPS
 *	                    NPROC processes create, write, rename, link,
 *	                    truncate and delete in DIR at once
 *
 * Exits 0 when every check holds, else prints "h_fuse: what: why" and
 * exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "h_fuse: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* The call must succeed. */
#define OK(call)                                                        \
	do {                                                            \
		if ((call) == -1)                                       \
			fail("%s (line %d): %s", #call, __LINE__,       \
			    strerror(errno));                           \
	} while (0)

/* The call must fail with err. */
#define ERR(call, err)                                                  \
	do {                                                            \
		errno = 0;                                              \
		if ((call) != -1 || errno != (err))                     \
			fail("%s (line %d): want %s, got %s", #call,    \
			    __LINE__, strerror(err),                    \
			    errno == 0 ? "success" : strerror(errno));  \
	} while (0)

#define EQ(a, b)                                                        \
	do {                                                            \
		long long a_ = (long long)(a), b_ = (long long)(b);     \
		if (a_ != b_)                                           \
			fail("%s == %s (line %d): %lld != %lld", #a, #b, \
			    __LINE__, a_, b_);                          \
	} while (0)

/* A name of len bytes of c. */
static char *
name(size_t len, char c)
{
	static char buf[NAME_MAX + 2];

	memset(buf, c, len);
	buf[len] = '\0';
	return buf;
}

/*
 * A relative path of exactly len bytes: directories of 200-byte names
 * (made here, as pjdfstest makes them), then a last name that fills it
 * up.  Its directories exist; the last component does not.
 */
static char *
longpath(size_t len, char c)
{
	char *p = malloc(len + 1);
	size_t at = 0, n;

	if (p == NULL)
		fail("malloc: %s", strerror(errno));
	while (len - at > 250) {
		memset(p + at, c, 200);
		p[at + 200] = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			fail("mkdir of a %zu-byte path: %s", at + 200,
			    strerror(errno));
		p[at + 200] = '/';
		at += 201;
	}
	n = len - at;
	memset(p + at, c, n);
	p[len] = '\0';
	return p;
}

/*
 * Down a chain of directories longer than PATH_MAX from the mount root,
 * entered one by one; then what pjdfstest's ENAMETOOLONG cases do there.
 */
static void
t_deep(void)
{
	char *p, *q;
	struct stat st;
	int i, fd;

	for (i = 0; i < 20; i++) {
		OK(mkdir(name(250, 'd'), 0755));
		OK(chdir(name(250, 'd')));
	}
	/* 20 * 251 bytes from the root: the host could not name it whole. */
	OK(fd = open(name(255, 'n'), O_CREAT | O_EXCL | O_WRONLY, 0644));
	OK(close(fd));
	OK(unlink(name(255, 'n')));
	ERR(open(name(256, 'n'), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	ERR(mkdir(name(256, 'n'), 0755), ENAMETOOLONG);

	p = longpath(PATH_MAX - 1, 'p');
	OK(fd = open(p, O_CREAT | O_EXCL | O_RDWR, 0644));
	EQ(write(fd, "deep", 4), 4);
	OK(close(fd));
	OK(stat(p, &st));
	EQ(st.st_size, 4);
	OK(fd = open("short", O_CREAT | O_EXCL | O_WRONLY, 0644));
	OK(close(fd));
	OK(unlink(p));
	OK(link("short", p));
	OK(stat("short", &st));
	EQ(st.st_nlink, 2);
	OK(unlink(p));
	OK(rename("short", p));
	OK(rename(p, "short"));
	OK(symlink("short", p));
	OK(lstat(p, &st));
	EQ(S_ISLNK(st.st_mode), 1);
	OK(unlink(p));
	OK(mkdir(p, 0755));
	OK(rmdir(p));
	OK(unlink("short"));
	free(p);

	/* One byte more is the host's ENAMETOOLONG, for every call. */
	q = longpath(PATH_MAX, 'p');
	ERR(open(q, O_CREAT | O_RDWR, 0644), ENAMETOOLONG);
	ERR(mkdir(q, 0755), ENAMETOOLONG);
	ERR(symlink("x", q), ENAMETOOLONG);
	free(q);
}

static void
t_unlinked(void)
{
	struct stat st;
	char buf[16];
	int fd;

	OK(fd = open("gone", O_CREAT | O_EXCL | O_RDWR, 0640));
	EQ(write(fd, "abc", 3), 3);
	OK(unlink("gone"));
	ERR(stat("gone", &st), ENOENT);
	OK(fstat(fd, &st));
	EQ(st.st_nlink, 0);
	EQ(st.st_size, 3);
	EQ(st.st_mode, S_IFREG | 0640);
	OK(fchmod(fd, 0600));
	OK(fstat(fd, &st));
	EQ(st.st_mode, S_IFREG | 0600);
	EQ(pwrite(fd, "de", 2, 3), 2);
	OK(fsync(fd));
	EQ(pread(fd, buf, sizeof(buf), 0), 5);
	EQ(memcmp(buf, "abcde", 5), 0);
	OK(ftruncate(fd, 1));
	OK(fstat(fd, &st));
	EQ(st.st_size, 1);
	EQ(st.st_nlink, 0);
	OK(close(fd));
}

/* Run fn as NOBODY in a child; it must exit 0. */
static void
as_nobody(void (*fn)(const char *), const char *arg)
{
	pid_t pid;
	int status;

	OK(pid = fork());
	if (pid == 0) {
		if (setgroups(0, NULL) == -1 || setgid(NOBODY) == -1 ||
		    setuid(NOBODY) == -1)
			fail("become nobody: %s", strerror(errno));
		fn(arg);
		exit(0);
	}
	OK(waitpid(pid, &status, 0));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		exit(1);
}

/* As the writer: open, write, and see the bits gone (pjdfstest chmod/12). */
static void
write_and_check(const char *path)
{
	struct stat st;
	int fd;

	OK(fd = open(path, O_WRONLY));
	EQ(write(fd, "x", 1), 1);
	OK(fstat(fd, &st));
	EQ(st.st_mode & 07777, 0777);
	OK(close(fd));
}

/* Write one byte into the middle of a file nobody may only write. */
static void
write_middle(const char *path)
{
	int fd;

	ERR(open(path, O_RDWR), EACCES);
	OK(fd = open(path, O_WRONLY));
	EQ(pwrite(fd, "X", 1, 2), 1);
	OK(close(fd));
}

/* Another user may not change the mode, setid bits or not. */
static void
chmod_refused(const char *path)
{
	ERR(chmod(path, 0777), EPERM);
	ERR(chmod(path, 0755), EPERM);
}

static void
t_killpriv(void)
{
	static const mode_t modes[] = { 04777, 02777, 06777 };
	struct stat st;
	char buf[16];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		OK(fd = open("suid", O_CREAT | O_EXCL | O_WRONLY, 0644));
		OK(fchmod(fd, modes[i]));
		OK(close(fd));
		as_nobody(write_and_check, "suid");
		OK(stat("suid", &st));
		EQ(st.st_mode & 07777, 0777);
		OK(unlink("suid"));
	}
	/* The owner's own change of mode by another user stays refused. */
	OK(fd = open("suid", O_CREAT | O_EXCL | O_WRONLY, 0644));
	OK(fchmod(fd, 04777));
	OK(close(fd));
	as_nobody(chmod_refused, "suid");
	OK(stat("suid", &st));
	EQ(st.st_mode & 07777, 04777);
	OK(unlink("suid"));

	/*
	 * A file its writer may not read, out of the host's page cache: the
	 * host must still fill the page it writes in part.
	 */
	OK(fd = open("wo", O_CREAT | O_EXCL | O_RDWR, 0600));
	OK(fchmod(fd, 0622));
	EQ(write(fd, "abcdefgh", 8), 8);
	OK(fsync(fd));
	OK(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
	OK(close(fd));
	as_nobody(write_middle, "wo");
	OK(fd = open("wo", O_RDONLY));
	EQ(read(fd, buf, sizeof(buf)), 8);
	EQ(memcmp(buf, "abXdefgh", 8), 0);
	OK(close(fd));
	OK(unlink("wo"));
}

/*
 * The stress: each process works on the names f0..f63 in the
 * directories d0..d3 of the shared directory, chosen at random, and
 * checks what it reads of a file it just wrote.  Losing a race is
 * ENOENT, EEXIST, ENOTEMPTY or the like and is fine; any other error
 * (EIO, ESTALE, EBADF ...) fails.
 */
#define NDIRS 4
#define NFILES 64

static void
pick(char *buf, size_t size, unsigned *seed)
{
	snprintf(buf, size, "d%u/f%u", (unsigned)rand_r(seed) % NDIRS,
	    (unsigned)rand_r(seed) % NFILES);
}

static bool
raced(int err)
{
	return err == ENOENT || err == EEXIST || err == ENOTEMPTY ||
	    err == EISDIR || err == ENOTDIR;
}

static void
stress_one(unsigned id, long nops)
{
	static char data[256 * 1024];
	char a[64], b[64], buf[4096];
	unsigned seed = id * 7919 + 1;
	size_t len;
	long op;
	int fd;

	memset(data, 'a' + (int)id, sizeof(data));
	for (op = 0; op < nops; op++) {
		pick(a, sizeof(a), &seed);
		pick(b, sizeof(b), &seed);
		switch (rand_r(&seed) % 8) {
		case 0:
		case 1:
			len = (size_t)rand_r(&seed) % sizeof(data);
			if ((fd = open(a, O_CREAT | O_WRONLY | O_TRUNC,
			    0644)) == -1)
				break;
			if (write(fd, data, len) != (ssize_t)len)
				fail("write %s: %s", a, strerror(errno));
			if (close(fd) == -1)
				fail("close %s: %s", a, strerror(errno));
			continue;
		case 2:
			if (rename(a, b) == 0)
				continue;
			break;
		case 3:
			if (unlink(a) == 0)
				continue;
			break;
		case 4:
			if (link(a, b) == 0)
				continue;
			break;
		case 5:
			if (truncate(a, rand_r(&seed) % 100000) == 0)
				continue;
			break;
		case 6:
			if ((fd = open(a, O_RDONLY)) == -1)
				break;
			while (read(fd, buf, sizeof(buf)) > 0)
				continue;
			close(fd);
			continue;
		default:
			snprintf(a, sizeof(a), "d%u/sub%u",
			    (unsigned)rand_r(&seed) % NDIRS,
			    (unsigned)rand_r(&seed) % 4);
			if (mkdir(a, 0755) == 0 || rmdir(a) == 0)
				continue;
			break;
		}
		if (!raced(errno))
			fail("process %u, operation %ld: %s", id, op,
			    strerror(errno));
	}
}

static void
t_stress(int nproc, long nops)
{
	char d[16];
	pid_t pid;
	int i, status, bad = 0;

	for (i = 0; i < NDIRS; i++) {
		snprintf(d, sizeof(d), "d%d", i);
		OK(mkdir(d, 0755));
	}
	for (i = 0; i < nproc; i++) {
		OK(pid = fork());
		if (pid == 0) {
			stress_one((unsigned)i, nops);
			exit(0);
		}
	}
	while (wait(&status) != -1)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad++;
	if (bad)
		fail("%d of %d processes failed", bad, nproc);
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: h_fuse deep|unlinked|killpriv|stress "
		    "dir [nproc nops]\n");
		return 1;
	}
	if (chdir(argv[2]) == -1)
		fail("%s: %s", argv[2], strerror(errno));
	if (strcmp(argv[1], "deep") == 0)
		t_deep();
	else if (strcmp(argv[1], "unlinked") == 0)
		t_unlinked();
	else if (strcmp(argv[1], "killpriv") == 0)
		t_killpriv();
	else if (strcmp(argv[1], "stress") == 0 && argc == 5)
		t_stress(atoi(argv[3]), atol(argv[4]));
	else
		fail("%s: unknown test", argv[1]);
	return 0;
}
