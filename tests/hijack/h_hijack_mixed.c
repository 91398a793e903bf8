/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * An ordinary Linux program (nothing of rump linked) run under
 * librumphijack with RUMPHIJACK=path=/rump,socket=local: host and kernel
 * descriptors mixed in one program.  One case per run (argv[1]); each
 * prints "ok" or dies with where and why.  The kernel is empty at start
 * (local mode) or a served kernel's (client mode); cases work under
 * /rump/mixed.  With a served kernel (argv[2] "served") a forked child
 * and an exec'd program keep the kernel descriptors; in local mode the
 * fork case checks the child has none, and the exec case is skipped
 * (exit 77).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL(...)                                                             \
	do {                                                                  \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);               \
		fprintf(stderr, __VA_ARGS__);                                 \
		fputc('\n', stderr);                                          \
		exit(1);                                                      \
	} while (0)
#define REQUIRE(e)                                                            \
	do {                                                                  \
		if (!(e))                                                     \
			FAIL("failed: %s (errno %d %s)", #e, errno,           \
			    strerror(errno));                                 \
	} while (0)
#define REQUIRE_EQ(a, b)                                                      \
	do {                                                                  \
		long long a_ = (long long)(a), b_ = (long long)(b);           \
		if (a_ != b_)                                                 \
			FAIL("%s == %lld, expected %lld (errno %d %s)", #a,   \
			    a_, b_, errno, strerror(errno));                  \
	} while (0)
#define REQUIRE_ERR(call, err)                                                \
	do {                                                                  \
		errno = 0;                                                    \
		long long r_ = (long long)(call);                             \
		if (r_ != -1 || errno != (err))                               \
			FAIL("%s == %lld errno %d, expected -1 errno %d", #call, \
			    r_, errno, err);                                  \
	} while (0)

static bool served;
static char hostdir[] = "/tmp/h_hijack_mixed.XXXXXX";

static void
cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", hostdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
}

static int
kopen(const char *name, int flags)
{
	char p[256];

	snprintf(p, sizeof(p), "/rump/mixed/%s", name);
	return open(p, flags, 0644);
}

static int
hopen(const char *name, int flags)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", hostdir, name);
	return open(p, flags, 0644);
}

static void
case_fds(void)
{
	char buf[64];
	struct iovec iov[2];
	struct stat st;
	int k, h, k2;

	k = kopen("f", O_RDWR | O_CREAT | O_TRUNC);
	h = hopen("f", O_RDWR | O_CREAT | O_TRUNC);
	REQUIRE(k > 2 && h > 2 && k != h);
	REQUIRE_EQ(write(k, "kernel", 6), 6);
	REQUIRE_EQ(write(h, "host!", 5), 5);
	REQUIRE_EQ(fstat(k, &st), 0);
	REQUIRE_EQ(st.st_size, 6);
	REQUIRE(S_ISREG(st.st_mode));
	REQUIRE_EQ(fstat(h, &st), 0);
	REQUIRE_EQ(st.st_size, 5);
	REQUIRE_EQ(lseek(k, 0, SEEK_SET), 0);
	REQUIRE_EQ(read(k, buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, "kernel", 6) == 0);
	REQUIRE_EQ(pwrite(k, "XY", 2, 1), 2);
	REQUIRE_EQ(pread(k, buf, 3, 0), 3);
	REQUIRE(memcmp(buf, "kXY", 3) == 0);
	iov[0] = (struct iovec){ "ab", 2 };
	iov[1] = (struct iovec){ "cde", 3 };
	REQUIRE_EQ(lseek(k, 0, SEEK_END), 6);
	REQUIRE_EQ(writev(k, iov, 2), 5);
	REQUIRE_EQ(lseek(k, 6, SEEK_SET), 6);
	iov[0] = (struct iovec){ buf, 1 };
	iov[1] = (struct iovec){ buf + 1, 10 };
	REQUIRE_EQ(readv(k, iov, 2), 5);
	REQUIRE(memcmp(buf, "abcde", 5) == 0);
	/* A kernel number is a host number taken: a host open skips it. */
	k2 = kopen("f", O_RDONLY);
	REQUIRE(k2 > 2 && k2 != k && k2 != h);
	REQUIRE_EQ(fcntl(k2, F_GETFD), 0);
	REQUIRE_EQ(close(k2), 0);
	REQUIRE_ERR(read(k2, buf, 1), EBADF);
	REQUIRE_ERR(close(k2), EBADF);
	REQUIRE_ERR(kopen("nonexistent", O_RDONLY), ENOENT);
	REQUIRE_ERR(kopen("f", O_RDONLY | O_CREAT | O_EXCL), EEXIST);
	/* fallocate and posix_fallocate reach the kernel's file. */
	REQUIRE_EQ(posix_fallocate(k, 0, 100), 0);
	REQUIRE_EQ(fstat(k, &st), 0);
	REQUIRE_EQ(st.st_size, 100);
	REQUIRE_EQ(fallocate(k, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
	    1), 0);
	REQUIRE_EQ(pread(k, buf, 2, 0), 2);
	REQUIRE(buf[0] == 0 && buf[1] == 'X');
	REQUIRE_ERR(fallocate(k, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP);
	REQUIRE_ERR(fallocate(h, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP);
	REQUIRE_ERR(fallocate(k, 0, 0, 0), EINVAL);
	REQUIRE_EQ(ftruncate(k, 2), 0);
	REQUIRE_EQ(fstat(k, &st), 0);
	REQUIRE_EQ(st.st_size, 2);
	REQUIRE_EQ(fsync(k), 0);
	REQUIRE_EQ(fdatasync(k), 0);
	REQUIRE_EQ(close(k), 0);
	REQUIRE_EQ(close(h), 0);
}

static void
case_dup(void)
{
	char buf[8];
	int k, h, d, flags;

	k = kopen("d", O_RDWR | O_CREAT | O_TRUNC);
	h = hopen("d", O_RDWR | O_CREAT | O_TRUNC);
	REQUIRE(k >= 0 && h >= 0);
	d = dup(k);
	REQUIRE(d >= 0 && d != k);
	REQUIRE_EQ(write(d, "12", 2), 2);
	/* dup shares the offset. */
	REQUIRE_EQ(lseek(k, 0, SEEK_CUR), 2);
	/* dup2 of a kernel descriptor over a host one. */
	REQUIRE_EQ(dup2(k, h), h);
	REQUIRE_EQ(write(h, "34", 2), 2);
	REQUIRE_EQ(pread(k, buf, 4, 0), 4);
	REQUIRE(memcmp(buf, "1234", 4) == 0);
	/* dup2 of a host descriptor over a kernel one. */
	h = hopen("d", O_RDWR);
	REQUIRE_EQ(dup2(h, d), d);
	REQUIRE_EQ(write(d, "host", 4), 4);
	REQUIRE_EQ(pread(k, buf, 4, 0), 4);
	REQUIRE(memcmp(buf, "1234", 4) == 0);
	REQUIRE_EQ(dup2(k, k), k);
	REQUIRE_EQ(dup3(k, d, O_CLOEXEC), d);
	REQUIRE_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	REQUIRE_ERR(dup3(k, k, 0), EINVAL);
	d = fcntl(k, F_DUPFD, 100);
	REQUIRE(d >= 100);
	REQUIRE_EQ(fcntl(d, F_GETFD), 0);
	REQUIRE_EQ(fcntl(d, F_SETFD, FD_CLOEXEC), 0);
	REQUIRE_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	d = fcntl(k, F_DUPFD_CLOEXEC, 200);
	REQUIRE(d >= 200);
	REQUIRE_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	flags = fcntl(k, F_GETFL);
	REQUIRE_EQ(flags & O_ACCMODE, O_RDWR);
	REQUIRE_EQ(flags & O_APPEND, 0);
	REQUIRE_EQ(fcntl(k, F_SETFL, O_APPEND), 0);
	REQUIRE_EQ(fcntl(k, F_GETFL) & O_APPEND, O_APPEND);
	REQUIRE_EQ(lseek(k, 0, SEEK_SET), 0);
	REQUIRE_EQ(write(k, "5", 1), 1);
	REQUIRE_EQ(pread(k, buf, 5, 0), 5);
	REQUIRE(memcmp(buf, "12345", 5) == 0);
	REQUIRE_ERR(fcntl(9999, F_GETFD), EBADF);
}

static void
case_locks(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = 0, .l_len = 10 };
	int k = kopen("l", O_RDWR | O_CREAT), r;

	REQUIRE(k >= 0);
	REQUIRE_EQ(fcntl(k, F_SETLK, &fl), 0);
	fl.l_type = F_WRLCK;
	REQUIRE_EQ(fcntl(k, F_GETLK, &fl), 0);
	/* The process's own lock does not conflict with itself. */
	REQUIRE_EQ(fl.l_type, F_UNLCK);
	fl = (struct flock){ .l_type = F_UNLCK, .l_whence = SEEK_SET };
	REQUIRE_EQ(fcntl(k, F_SETLKW, &fl), 0);
	fl.l_type = 99;
	REQUIRE_ERR(fcntl(k, F_SETLK, &fl), EINVAL);
	r = kopen("l", O_RDONLY);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET };
	REQUIRE_ERR(fcntl(r, F_SETLK, &fl), EBADF);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET };
	REQUIRE_EQ(fcntl(k, F_OFD_SETLK, &fl), 0);
	fl.l_type = F_UNLCK;
	REQUIRE_EQ(fcntl(k, F_OFD_SETLK, &fl), 0);
}

static void
case_stat(void)
{
	struct stat st, st2;
	struct statx stx;
	int k, d;

	k = kopen("s", O_RDWR | O_CREAT | O_TRUNC);
	REQUIRE_EQ(write(k, "0123456789", 10), 10);
	REQUIRE_EQ(fchmod(k, 0640), 0);
	REQUIRE_EQ(stat("/rump/mixed/s", &st), 0);
	REQUIRE_EQ(st.st_size, 10);
	REQUIRE_EQ(st.st_mode, S_IFREG | 0640);
	REQUIRE_EQ(fstatat(k, "", &st2, AT_EMPTY_PATH), 0);
	REQUIRE_EQ(st2.st_ino, st.st_ino);
	REQUIRE_ERR(fstatat(k, "", &st2, 0), ENOENT);
	d = open("/rump/mixed", O_RDONLY | O_DIRECTORY);
	REQUIRE(d >= 0);
	REQUIRE_EQ(fstatat(d, "s", &st2, 0), 0);
	REQUIRE_EQ(st2.st_ino, st.st_ino);
	REQUIRE_EQ(statx(d, "s", 0, STATX_BASIC_STATS, &stx), 0);
	REQUIRE_EQ(stx.stx_size, 10);
	REQUIRE_EQ(stx.stx_mode, S_IFREG | 0640);
	REQUIRE_EQ(stx.stx_ino, st.st_ino);
	REQUIRE_EQ(stx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	REQUIRE_EQ(statx(k, "", AT_EMPTY_PATH, STATX_SIZE, &stx), 0);
	REQUIRE_EQ(stx.stx_size, 10);
	REQUIRE_EQ(symlink("s", "/rump/mixed/sl"), 0);
	REQUIRE_EQ(lstat("/rump/mixed/sl", &st2), 0);
	REQUIRE(S_ISLNK(st2.st_mode));
	REQUIRE_EQ(stat("/rump/mixed/sl", &st2), 0);
	REQUIRE_EQ(st2.st_ino, st.st_ino);
	REQUIRE_EQ(statx(AT_FDCWD, "/rump/mixed/sl", AT_SYMLINK_NOFOLLOW,
	    STATX_BASIC_STATS, &stx), 0);
	REQUIRE(S_ISLNK(stx.stx_mode));
	REQUIRE_EQ(stat("/rump", &st2), 0);
	REQUIRE(S_ISDIR(st2.st_mode));
	REQUIRE_EQ(access("/rump/mixed/s", R_OK | W_OK), 0);
	REQUIRE_ERR(access("/rump/mixed/nope", F_OK), ENOENT);
	REQUIRE_EQ(faccessat(d, "s", R_OK, 0), 0);
	REQUIRE_ERR(faccessat(d, "nope", R_OK, 0), ENOENT);
	/* A relative path of an *at call on a host directory is the host's. */
	REQUIRE_EQ(fstatat(open(hostdir, O_RDONLY), ".", &st2, 0), 0);
	REQUIRE_EQ(truncate("/rump/mixed/s", 3), 0);
	REQUIRE_EQ(fstat(k, &st2), 0);
	REQUIRE_EQ(st2.st_size, 3);
}

static void
case_names(void)
{
	char buf[64];
	struct stat st;
	struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 7000 } };
	struct timeval tv[2] = { { 1300000000, 1 }, { 1400000000, 2 } };
	int d, h;

	REQUIRE_EQ(mkdir("/rump/mixed/dir", 0750), 0);
	REQUIRE_ERR(mkdir("/rump/mixed/dir", 0750), EEXIST);
	REQUIRE(close(kopen("dir/a", O_WRONLY | O_CREAT)) == 0);
	REQUIRE(close(hopen("h", O_WRONLY | O_CREAT)) == 0);
	snprintf(buf, sizeof(buf), "%s/h", hostdir);
	REQUIRE_ERR(rename("/rump/mixed/dir/a", buf), EXDEV);
	REQUIRE_ERR(rename(buf, "/rump/mixed/dir/x"), EXDEV);
	REQUIRE_ERR(link("/rump/mixed/dir/a", buf), EXDEV);
	REQUIRE_EQ(rename("/rump/mixed/dir/a", "/rump/mixed/dir/b"), 0);
	REQUIRE_ERR(stat("/rump/mixed/dir/a", &st), ENOENT);
	REQUIRE_EQ(link("/rump/mixed/dir/b", "/rump/mixed/dir/c"), 0);
	REQUIRE_EQ(stat("/rump/mixed/dir/b", &st), 0);
	REQUIRE_EQ(st.st_nlink, 2);
	d = open("/rump/mixed/dir", O_RDONLY | O_DIRECTORY);
	REQUIRE_ERR(renameat2(d, "b", d, "c", RENAME_NOREPLACE), EEXIST);
	REQUIRE_EQ(renameat2(d, "b", d, "e", RENAME_NOREPLACE), 0);
	REQUIRE_EQ(renameat(d, "e", AT_FDCWD, "/rump/mixed/dir/b"), 0);
	REQUIRE_EQ(symlinkat("../x/y", d, "sym"), 0);
	REQUIRE_EQ(readlinkat(d, "sym", buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, "../x/y", 6) == 0);
	REQUIRE_EQ(readlink("/rump/mixed/dir/sym", buf, sizeof(buf)), 6);
	REQUIRE_ERR(readlink("/rump/mixed/dir/b", buf, sizeof(buf)), EINVAL);
	REQUIRE_EQ(chmod("/rump/mixed/dir/b", 0604), 0);
	REQUIRE_EQ(fchmodat(d, "c", 0600, 0), 0);
	REQUIRE_EQ(stat("/rump/mixed/dir/b", &st), 0);
	REQUIRE_EQ(st.st_mode & 07777, 0600);
	REQUIRE_EQ(chown("/rump/mixed/dir/b", 12, 34), 0);
	REQUIRE_EQ(lchown("/rump/mixed/dir/sym", 56, 78), 0);
	REQUIRE_EQ(fchownat(d, "sym", 0, 0, AT_SYMLINK_NOFOLLOW), 0);
	REQUIRE_EQ(stat("/rump/mixed/dir/c", &st), 0);
	REQUIRE_EQ(st.st_uid, 12);
	REQUIRE_EQ(st.st_gid, 34);
	REQUIRE_EQ(utimensat(d, "b", ts, 0), 0);
	REQUIRE_EQ(stat("/rump/mixed/dir/b", &st), 0);
	REQUIRE_EQ(st.st_atim.tv_sec, 1000000000);
	REQUIRE_EQ(st.st_mtim.tv_sec, 1200000000);
	REQUIRE_EQ(st.st_mtim.tv_nsec, 7000);
	REQUIRE_EQ(utimes("/rump/mixed/dir/b", tv), 0);
	REQUIRE_EQ(stat("/rump/mixed/dir/b", &st), 0);
	REQUIRE_EQ(st.st_mtim.tv_sec, 1400000000);
	REQUIRE_EQ(st.st_mtim.tv_nsec, 2000);
	h = kopen("dir/b", O_RDONLY);
	REQUIRE_EQ(futimens(h, ts), 0);
	REQUIRE_EQ(fstat(h, &st), 0);
	REQUIRE_EQ(st.st_mtim.tv_sec, 1200000000);
	REQUIRE_ERR(rmdir("/rump/mixed/dir"), ENOTEMPTY);
	REQUIRE_ERR(unlinkat(d, "b", AT_REMOVEDIR), ENOTDIR);
	REQUIRE_EQ(unlinkat(d, "b", 0), 0);
	REQUIRE_EQ(unlink("/rump/mixed/dir/c"), 0);
	REQUIRE_EQ(unlink("/rump/mixed/dir/sym"), 0);
	REQUIRE_EQ(mkdirat(d, "sub", 0700), 0);
	REQUIRE_EQ(unlinkat(d, "sub", AT_REMOVEDIR), 0);
	REQUIRE_EQ(rmdir("/rump/mixed/dir"), 0);
	/* A relative path with a kernel directory, an absolute host one. */
	REQUIRE_EQ(fstatat(d, "/etc/passwd", &st, 0), 0);
	REQUIRE_ERR(open("/rumpus", O_RDONLY), ENOENT);
}

static void
case_dirs(void)
{
	const char *names[] = { "one", "two", "three" };
	int seen = 0, n = 0, i, d;
	struct dirent *de;
	long pos = -1;
	DIR *dp, *hp;
	char buf[64];

	REQUIRE_EQ(mkdir("/rump/mixed/ls", 0755), 0);
	for (i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "ls/%s", names[i]);
		REQUIRE(close(kopen(buf, O_CREAT | O_WRONLY)) == 0);
	}
	REQUIRE((dp = opendir("/rump/mixed/ls")) != NULL);
	REQUIRE((hp = opendir(hostdir)) != NULL);
	while ((de = readdir(dp)) != NULL) {
		REQUIRE(readdir(hp) != NULL || 1);
		for (i = 0; i < 3; i++)
			if (strcmp(de->d_name, names[i]) == 0) {
				seen |= 1 << i;
				REQUIRE_EQ(de->d_type, DT_REG);
			}
		if (n++ == 1)
			pos = telldir(dp);
	}
	REQUIRE_EQ(n, 5);
	REQUIRE_EQ(seen, 7);
	rewinddir(dp);
	for (n = 0; readdir(dp) != NULL; n++)
		continue;
	REQUIRE_EQ(n, 5);
	seekdir(dp, pos);
	for (n = 0; readdir(dp) != NULL; n++)
		continue;
	REQUIRE_EQ(n, 3);
	REQUIRE(dirfd(dp) > 2);
	REQUIRE_EQ(closedir(dp), 0);
	REQUIRE_EQ(closedir(hp), 0);
	d = open("/rump/mixed/ls", O_RDONLY | O_DIRECTORY);
	REQUIRE((dp = fdopendir(d)) != NULL);
	REQUIRE_EQ(dirfd(dp), d);
	for (n = 0; readdir(dp) != NULL; n++)
		continue;
	REQUIRE_EQ(n, 5);
	REQUIRE_EQ(closedir(dp), 0);
	REQUIRE_ERR(fcntl(d, F_GETFD), EBADF);
	d = kopen("ls/one", O_RDONLY);
	errno = 0;
	REQUIRE(fdopendir(d) == NULL && errno == ENOTDIR);
	REQUIRE(opendir("/rump/mixed/nope") == NULL && errno == ENOENT);
}

static void
case_cwd(void)
{
	char buf[256];
	struct stat st;
	int d;

	REQUIRE_EQ(mkdir("/rump/mixed/cwd", 0755), 0);
	REQUIRE_EQ(chdir("/rump/mixed/cwd"), 0);
	REQUIRE(getcwd(buf, sizeof(buf)) != NULL);
	REQUIRE(strcmp(buf, "/rump/mixed/cwd") == 0);
	REQUIRE(close(open("rel", O_CREAT | O_WRONLY, 0600)) == 0);
	REQUIRE_EQ(stat("/rump/mixed/cwd/rel", &st), 0);
	REQUIRE_ERR(getcwd(buf, 5) == NULL ? -1 : 0, ERANGE);
	REQUIRE_EQ(chdir(".."), 0);
	REQUIRE(getcwd(buf, sizeof(buf)) != NULL);
	REQUIRE(strcmp(buf, "/rump/mixed") == 0);
	d = open("cwd", O_RDONLY | O_DIRECTORY);
	REQUIRE_EQ(chdir("/rump"), 0);
	REQUIRE(strcmp(getcwd(buf, sizeof(buf)), "/rump") == 0);
	REQUIRE_EQ(chdir(hostdir), 0);
	REQUIRE(strcmp(getcwd(buf, sizeof(buf)), hostdir) == 0);
	REQUIRE_ERR(stat("rel", &st), ENOENT);
	REQUIRE_EQ(fchdir(d), 0);
	REQUIRE_EQ(stat("rel", &st), 0);
	REQUIRE(strcmp(getcwd(buf, sizeof(buf)), "/rump/mixed/cwd") == 0);
	REQUIRE_EQ(chdir("/"), 0);
}

struct waker {
	int fd;
	int ms;
};

static void *
waker(void *arg)
{
	struct waker *w = arg;

	usleep(w->ms * 1000);
	if (write(w->fd, "w", 1) != 1)
		abort();
	return NULL;
}

static void
wake_after(pthread_t *t, struct waker *w, int fd, int ms)
{
	w->fd = fd;
	w->ms = ms;
	REQUIRE_EQ(pthread_create(t, NULL, waker, w), 0);
}

static void
case_poll(void)
{
	struct pollfd pf[3];
	struct epoll_event ev, evs[4];
	struct waker w;
	struct timeval tv;
	pthread_t t;
	fd_set rs;
	char c;
	int ks[2], hp[2], kf, ep, n;

	REQUIRE_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, ks), 0);
	REQUIRE_EQ(pipe(hp), 0);
	kf = kopen("p", O_RDWR | O_CREAT);
	pf[0] = (struct pollfd){ .fd = ks[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = hp[0], .events = POLLIN };
	REQUIRE_EQ(poll(pf, 2, 50), 0);
	/* The kernel's side wakes the wait. */
	wake_after(&t, &w, ks[1], 100);
	REQUIRE_EQ(poll(pf, 2, 5000), 1);
	REQUIRE_EQ(pf[0].revents, POLLIN);
	REQUIRE_EQ(pf[1].revents, 0);
	pthread_join(t, NULL);
	REQUIRE_EQ(read(ks[0], &c, 1), 1);
	/* The host's side wakes it. */
	wake_after(&t, &w, hp[1], 100);
	REQUIRE_EQ(ppoll(pf, 2, NULL, NULL), 1);
	REQUIRE_EQ(pf[0].revents, 0);
	REQUIRE_EQ(pf[1].revents, POLLIN);
	pthread_join(t, NULL);
	REQUIRE_EQ(read(hp[0], &c, 1), 1);
	/* A kernel file is always ready. */
	pf[2] = (struct pollfd){ .fd = kf, .events = POLLIN | POLLOUT };
	REQUIRE_EQ(poll(pf, 3, 5000), 1);
	REQUIRE_EQ(pf[2].revents, POLLIN | POLLOUT);
	/* select over both. */
	FD_ZERO(&rs);
	FD_SET(ks[0], &rs);
	FD_SET(hp[0], &rs);
	tv = (struct timeval){ 0, 30000 };
	REQUIRE_EQ(select((ks[0] > hp[0] ? ks[0] : hp[0]) + 1, &rs, NULL,
	    NULL, &tv), 0);
	wake_after(&t, &w, ks[1], 50);
	FD_SET(ks[0], &rs);
	FD_SET(hp[0], &rs);
	REQUIRE_EQ(select((ks[0] > hp[0] ? ks[0] : hp[0]) + 1, &rs, NULL,
	    NULL, NULL), 1);
	REQUIRE(FD_ISSET(ks[0], &rs) && !FD_ISSET(hp[0], &rs));
	pthread_join(t, NULL);
	REQUIRE_EQ(read(ks[0], &c, 1), 1);
	/* epoll with both kinds. */
	REQUIRE((ep = epoll_create1(EPOLL_CLOEXEC)) >= 0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 1 };
	REQUIRE_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, ks[0], &ev), 0);
	REQUIRE_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ks[0], &ev), EEXIST);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 2 };
	REQUIRE_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, hp[0], &ev), 0);
	REQUIRE_EQ(epoll_wait(ep, evs, 4, 30), 0);
	wake_after(&t, &w, hp[1], 50);
	n = epoll_wait(ep, evs, 4, 5000);
	REQUIRE_EQ(n, 1);
	REQUIRE_EQ(evs[0].data.u32, 2);
	pthread_join(t, NULL);
	wake_after(&t, &w, ks[1], 50);
	REQUIRE_EQ(read(hp[0], &c, 1), 1);
	n = epoll_wait(ep, evs, 4, 5000);
	REQUIRE_EQ(n, 1);
	REQUIRE_EQ(evs[0].data.u32, 1);
	REQUIRE_EQ(evs[0].events, EPOLLIN);
	pthread_join(t, NULL);
	REQUIRE_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, ks[0], NULL), 0);
	REQUIRE_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, ks[0], NULL), ENOENT);
	REQUIRE_EQ(epoll_wait(ep, evs, 4, 0), 0);
	ev.events = EPOLLIN | EPOLLET;
	REQUIRE_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ks[0], &ev), EINVAL);
}

static void
case_sock(void)
{
	struct sockaddr_un { unsigned short f; char p[108]; } sa = { AF_UNIX,
		"/mixed/sock" };
	char buf[16];
	int l, c, a;
	socklen_t len = sizeof(int);
	int type;

	REQUIRE((l = socket(AF_UNIX, SOCK_STREAM, 0)) > 2);
	REQUIRE_EQ(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	/* The socket's name is a kernel file. */
	REQUIRE_EQ(access("/rump/mixed/sock", F_OK), 0);
	REQUIRE_EQ(listen(l, 1), 0);
	REQUIRE((c = socket(AF_UNIX, SOCK_STREAM, 0)) > 2);
	REQUIRE_EQ(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	REQUIRE((a = accept(l, NULL, NULL)) > 2);
	REQUIRE_EQ(send(c, "ping", 4, 0), 4);
	REQUIRE_EQ(recv(a, buf, sizeof(buf), 0), 4);
	REQUIRE(memcmp(buf, "ping", 4) == 0);
	REQUIRE_EQ(write(a, "pong", 4), 4);
	REQUIRE_EQ(read(c, buf, sizeof(buf)), 4);
	REQUIRE_EQ(getsockopt(a, SOL_SOCKET, SO_TYPE, &type, &len), 0);
	REQUIRE_EQ(type, SOCK_STREAM);
	REQUIRE_EQ(shutdown(c, SHUT_WR), 0);
	REQUIRE_EQ(read(a, buf, sizeof(buf)), 0);
	/* An internet socket stays the host's with socket=local. */
	REQUIRE((c = socket(AF_INET, SOCK_DGRAM, 0)) > 2);
	REQUIRE_EQ(fstat(c, &(struct stat){ 0 }), 0);
}

static void
case_stdio(void)
{
	char line[64];
	FILE *fp;
	int k;

	REQUIRE((fp = fopen("/rump/mixed/std", "w")) != NULL);
	REQUIRE(fileno(fp) > 2);
	REQUIRE(fprintf(fp, "line %d\n", 42) == 8);
	REQUIRE_EQ(fclose(fp), 0);
	REQUIRE((fp = fopen("/rump/mixed/std", "a+")) != NULL);
	REQUIRE(fputs("more\n", fp) >= 0);
	rewind(fp);
	REQUIRE(fgets(line, sizeof(line), fp) != NULL);
	REQUIRE(strcmp(line, "line 42\n") == 0);
	REQUIRE(fgets(line, sizeof(line), fp) != NULL);
	REQUIRE(strcmp(line, "more\n") == 0);
	REQUIRE_EQ(fclose(fp), 0);
	k = kopen("std", O_RDONLY);
	REQUIRE((fp = fdopen(k, "r")) != NULL);
	REQUIRE_EQ(fileno(fp), k);
	REQUIRE(fgets(line, sizeof(line), fp) != NULL);
	REQUIRE_EQ(fclose(fp), 0);
	REQUIRE_ERR(fcntl(k, F_GETFD), EBADF);
	REQUIRE(fopen("/rump/mixed/none/x", "r") == NULL && errno == ENOENT);
}

static void
case_copy(void)
{
	char buf[8192], back[8192];
	off_t off = 0;
	int k, h, i;
	void *p;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	k = kopen("c", O_RDWR | O_CREAT | O_TRUNC);
	h = hopen("c", O_RDWR | O_CREAT | O_TRUNC);
	REQUIRE_EQ(write(k, buf, sizeof(buf)), sizeof(buf));
	REQUIRE_ERR(copy_file_range(k, &off, h, NULL, 10, 0), EXDEV);
	REQUIRE_EQ(sendfile(h, k, &off, sizeof(buf)), sizeof(buf));
	REQUIRE_EQ(off, sizeof(buf));
	REQUIRE_EQ(pread(h, back, sizeof(back), 0), sizeof(back));
	REQUIRE(memcmp(buf, back, sizeof(buf)) == 0);
	p = mmap(NULL, sizeof(buf), PROT_READ, MAP_PRIVATE, k, 0);
	REQUIRE(p != MAP_FAILED);
	REQUIRE(memcmp(p, buf, sizeof(buf)) == 0);
	REQUIRE_EQ(munmap(p, sizeof(buf)), 0);
	REQUIRE(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, k, 0) ==
	    MAP_FAILED && errno == ENODEV);
	REQUIRE_EQ(posix_fadvise(k, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
}

/*
 * Threads opening, writing, duplicating and closing kernel and host
 * files at once: no number is ever both, and every file ends whole.
 */
#define NTHREADS 8
#define NRECS 300

static void *
churn(void *arg)
{
	int id = (int)(intptr_t)arg, i, k, h, d;
	char name[32], rec[16], back[16];
	struct stat st;

	snprintf(name, sizeof(name), "t%d", id);
	k = kopen(name, O_RDWR | O_CREAT | O_TRUNC);
	h = hopen(name, O_RDWR | O_CREAT | O_TRUNC);
	if (k < 0 || h < 0 || k == h)
		FAIL("thread %d: open %d %d", id, k, h);
	for (i = 0; i < NRECS; i++) {
		snprintf(rec, sizeof(rec), "%04d:%09d\n", id, i);
		if (write(k, rec, 15) != 15 || write(h, rec, 15) != 15)
			FAIL("thread %d: write %d: %s", id, i, strerror(errno));
		/* A short-lived duplicate of each kind. */
		if ((d = dup(i % 2 ? k : h)) < 0)
			FAIL("thread %d: dup: %s", id, strerror(errno));
		if (fstat(d, &st) != 0 || close(d) != 0)
			FAIL("thread %d: dup'd %d: %s", id, d, strerror(errno));
	}
	for (i = 0; i < NRECS; i += 37) {
		snprintf(rec, sizeof(rec), "%04d:%09d\n", id, i);
		if (pread(k, back, 15, (off_t)i * 15) != 15 ||
		    memcmp(back, rec, 15) != 0)
			FAIL("thread %d: kernel record %d", id, i);
		if (pread(h, back, 15, (off_t)i * 15) != 15 ||
		    memcmp(back, rec, 15) != 0)
			FAIL("thread %d: host record %d", id, i);
	}
	if (fstat(k, &st) != 0 || st.st_size != NRECS * 15)
		FAIL("thread %d: kernel size %lld", id, (long long)st.st_size);
	close(k);
	close(h);
	return NULL;
}

static void
case_threads(void)
{
	pthread_t t[NTHREADS];
	struct stat st;
	char name[32];
	int i;

	for (i = 0; i < NTHREADS; i++)
		REQUIRE_EQ(pthread_create(&t[i], NULL, churn,
		    (void *)(intptr_t)i), 0);
	for (i = 0; i < NTHREADS; i++)
		REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	for (i = 0; i < NTHREADS; i++) {
		snprintf(name, sizeof(name), "/rump/mixed/t%d", i);
		REQUIRE_EQ(stat(name, &st), 0);
		REQUIRE_EQ(st.st_size, NRECS * 15);
	}
	/* Every kernel descriptor was closed: the next open is low again. */
	i = kopen("t0", O_RDONLY);
	REQUIRE(i >= 3 && i < 3 + 2 * NTHREADS);
}

/* Local mode: a forked child has no kernel; with a served one it does. */
static void
case_fork(void)
{
	char buf[4];
	int k, st;
	pid_t pid;

	k = kopen("fk", O_RDWR | O_CREAT | O_TRUNC);
	REQUIRE_EQ(write(k, "par", 3), 3);
	REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {
		if (!served) {
			if (pread(k, buf, 3, 0) != -1 || errno != EBADF)
				_exit(2);
			if (open("/rump/mixed/fk", O_RDONLY) != -1 ||
			    errno != EIO)
				_exit(3);
			_exit(0);
		}
		if (pread(k, buf, 3, 0) != 3 || memcmp(buf, "par", 3) != 0)
			_exit(2);
		if (pwrite(k, "chi", 3, 3) != 3)
			_exit(3);
		_exit(0);
	}
	REQUIRE_EQ(waitpid(pid, &st, 0), pid);
	REQUIRE_EQ(st, 0);
	REQUIRE_EQ(pread(k, buf, 3, served ? 3 : 0), 3);
	REQUIRE(memcmp(buf, served ? "chi" : "par", 3) == 0);
}

/* exec keeps the kernel descriptors (served kernel only). */
static void
case_exec(const char *self)
{
	char num[16];
	int k, c;

	if (!served) {
		printf("skip: exec keeps descriptors with a served kernel "
		    "only\n");
		exit(77);
	}
	k = kopen("ex", O_RDWR | O_CREAT | O_TRUNC);
	c = kopen("ex", O_RDONLY | O_CLOEXEC);
	REQUIRE_EQ(write(k, "before exec", 11), 11);
	REQUIRE_EQ(chdir("/rump/mixed"), 0);
	snprintf(num, sizeof(num), "%d", k);
	dup2(c, 50);
	fcntl(50, F_SETFD, FD_CLOEXEC);
	/* exec ends this image and its atexit list with it. */
	cleanup();
	execl(self, self, "exec_child", num, (char *)NULL);
	FAIL("exec: %s", strerror(errno));
}

static void
case_exec_child(const char *num)
{
	char buf[32];
	int k = atoi(num);

	REQUIRE_EQ(pread(k, buf, 11, 0), 11);
	REQUIRE(memcmp(buf, "before exec", 11) == 0);
	REQUIRE_ERR(fcntl(50, F_GETFD), EBADF);
	REQUIRE(getcwd(buf, sizeof(buf)) != NULL);
	REQUIRE(strcmp(buf, "/rump/mixed") == 0);
	REQUIRE_EQ(access("ex", R_OK), 0);
}

int
main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	served = argc > 2 && strcmp(argv[2], "served") == 0;
	if (strcmp(c, "exec_child") == 0) {
		case_exec_child(argv[2]);
		printf("ok\n");
		return 0;
	}
	if (mkdtemp(hostdir) == NULL)
		FAIL("mkdtemp: %s", strerror(errno));
	atexit(cleanup);
	if (mkdir("/rump/mixed", 0755) == -1 && errno != EEXIST)
		FAIL("mkdir /rump/mixed: %s (is the library preloaded?)",
		    strerror(errno));
	if (strcmp(c, "fds") == 0)
		case_fds();
	else if (strcmp(c, "dup") == 0)
		case_dup();
	else if (strcmp(c, "locks") == 0)
		case_locks();
	else if (strcmp(c, "stat") == 0)
		case_stat();
	else if (strcmp(c, "names") == 0)
		case_names();
	else if (strcmp(c, "dirs") == 0)
		case_dirs();
	else if (strcmp(c, "cwd") == 0)
		case_cwd();
	else if (strcmp(c, "poll") == 0)
		case_poll();
	else if (strcmp(c, "sock") == 0)
		case_sock();
	else if (strcmp(c, "stdio") == 0)
		case_stdio();
	else if (strcmp(c, "copy") == 0)
		case_copy();
	else if (strcmp(c, "threads") == 0)
		case_threads();
	else if (strcmp(c, "fork") == 0)
		case_fork();
	else if (strcmp(c, "exec") == 0)
		case_exec(argv[0]);
	else
		FAIL("usage: h_hijack_mixed case [served]");
	printf("ok\n");
	return 0;
}
