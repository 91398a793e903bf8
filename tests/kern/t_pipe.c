/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Pipes: bytes, EOF, EPIPE, O_NONBLOCK, capacity, PIPE_BUF atomicity,
 * blocking and wakeup across host threads, vectors, what pipes refuse,
 * and descriptor exhaustion.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include "h_macros.h"

#define CAPACITY 65536
#define ATOMIC   4096

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

TESTCASE(pipe_bytes)
{
	int p[2];
	char buf[16];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(p[0], 0);
	REQUIRE_EQ(p[1], 1);
	REQUIRE_EQ(rump_sys_write(p[1], "hello, pipe", 11), 11);
	memset(buf, 0, sizeof(buf));
	REQUIRE_EQ(rump_sys_read(p[0], buf, 5), 5);
	REQUIRE(memcmp(buf, "hello", 5) == 0);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 6);
	REQUIRE(memcmp(buf, ", pipe", 6) == 0);
	/* Zero-length transfers are no-ops, even on an empty pipe. */
	REQUIRE_EQ(rump_sys_read(p[0], buf, 0), 0);
	REQUIRE_EQ(rump_sys_write(p[1], buf, 0), 0);
}

/* A child made with RUMP_RFFDG inherits both ends; each side closes one. */
TESTCASE(pipe_between_processes)
{
	struct lwp *parent, *child;
	int p[2];
	char buf[32];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_pub_lwproc_curlwp();
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	child = rump_pub_lwproc_curlwp();
	REQUIRE(child != parent);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	REQUIRE_EQ(rump_sys_write(p[1], "from the child", 14), 14);
	rump_pub_lwproc_switch(parent);
	REQUIRE_EQ(rump_sys_close(p[1]), 0);
	memset(buf, 0, sizeof(buf));
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 14);
	REQUIRE(strcmp(buf, "from the child") == 0);
	/* The child still holds the write end: no EOF yet. */
	REQUIRE_OK(rump_sys_fcntl(p[0], F_SETFL, O_NONBLOCK));
	REQUIRE_ERRNO(rump_sys_read(p[0], buf, sizeof(buf)), EAGAIN);
	/* The child's exit closes it. */
	rump_pub_lwproc_switch(child);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
}

TESTCASE(pipe_eof)
{
	int p[2];
	char buf[8];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_write(p[1], "abc", 3), 3);
	REQUIRE_EQ(rump_sys_close(p[1]), 0);
	/* Buffered data first, then end of file, again and again. */
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 3);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
}

TESTCASE(pipe_epipe)
{
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	REQUIRE_ERRNO(rump_sys_write(p[1], "x", 1), EPIPE);
	/* No signal killed us: the next write fails the same way. */
	REQUIRE_ERRNO(rump_sys_write(p[1], "x", 1), EPIPE);
}

TESTCASE(pipe_access_mode)
{
	int p[2];
	char c = 'x';

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_ERRNO(rump_sys_write(p[0], &c, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_read(p[1], &c, 1), EBADF);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFL, 0), O_RDONLY);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFL, 0), O_WRONLY);
}

TESTCASE(pipe_nonblock)
{
	static char big[CAPACITY + 1];
	int p[2];
	char c;

	REQUIRE_EQ(rump_sys_pipe2(p, O_NONBLOCK), 0);
	REQUIRE_ERRNO(rump_sys_read(p[0], &c, 1), EAGAIN);
	memset(big, 'b', sizeof(big));
	REQUIRE_EQ(rump_sys_write(p[1], big, CAPACITY), CAPACITY);
	REQUIRE_ERRNO(rump_sys_write(p[1], "x", 1), EAGAIN);
	REQUIRE_EQ(rump_sys_read(p[0], &c, 1), 1);
	REQUIRE_EQ(c, 'b');
	/* One byte of room: a small write must go in whole or not at all. */
	REQUIRE_ERRNO(rump_sys_write(p[1], big, 2), EAGAIN);
	REQUIRE_EQ(rump_sys_write(p[1], "y", 1), 1);
	REQUIRE_ERRNO(rump_sys_write(p[1], "z", 1), EAGAIN);
}

/* Exactly 64 KiB fit; a larger non-blocking write is cut short there. */
TESTCASE(pipe_capacity)
{
	static char big[CAPACITY * 2], back[CAPACITY * 2];
	int p[2], n = -1;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 251);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_OK(rump_sys_fcntl(p[1], F_SETFL, O_NONBLOCK));
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFL, 0), O_WRONLY | O_NONBLOCK);
	REQUIRE_EQ(rump_sys_write(p[1], big, sizeof(big)), CAPACITY);
	REQUIRE_EQ(rump_sys_ioctl(p[0], FIONREAD, &n), 0);
	REQUIRE_EQ(n, CAPACITY);
	REQUIRE_ERRNO(rump_sys_write(p[1], big, 1), EAGAIN);
	/* The ring wraps: take 1000 out, put 1000 more in, read it all. */
	REQUIRE_EQ(rump_sys_read(p[0], back, 1000), 1000);
	REQUIRE_EQ(rump_sys_write(p[1], big + CAPACITY, 1000), 1000);
	REQUIRE_EQ(rump_sys_read(p[0], back + 1000, sizeof(back)), CAPACITY);
	REQUIRE(memcmp(back, big, CAPACITY + 1000) == 0);
	REQUIRE_EQ(rump_sys_ioctl(p[1], FIONREAD, &n), 0);
	REQUIRE_EQ(n, 0);
}

struct writer {
	pid_t pid;
	int fd;
	char fill;
	int count;
	size_t size;
	long long delay_ms;
};

/* A host thread with an lwp of its own in process pid. */
static void *
writer_thread(void *arg)
{
	struct writer *w = arg;
	char *buf;

	REQUIRE_EQ(rump_pub_lwproc_newlwp(w->pid), 0);
	REQUIRE((buf = malloc(w->size)) != NULL);
	memset(buf, w->fill, w->size);
	if (w->delay_ms > 0)
		usleep((useconds_t)w->delay_ms * 1000);
	for (int i = 0; i < w->count; i++)
		REQUIRE_EQ(rump_sys_write(w->fd, buf, w->size), w->size);
	free(buf);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/*
 * Two writers fill the pipe with PIPE_BUF-sized blocks of their own
 * letter while a slower reader drains it in odd sizes, so the room a
 * writer finds is rarely a whole block: a write split to fill it would
 * show as a block of mixed letters in the stream.
 */
#define NBLOCKS 200
TESTCASE(pipe_buf_atomic)
{
	static const size_t sizes[] = { 1000, 3000, 777, 5000, 4097, 123 };
	static char stream[2 * NBLOCKS * ATOMIC];
	struct writer w[2];
	pthread_t t[2];
	size_t got = 0;
	ssize_t n;
	int p[2], seen[2] = { 0, 0 };
	pid_t pid;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	pid = rump_sys_getpid();
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	for (int i = 0; i < 2; i++) {
		w[i] = (struct writer){ pid, p[1], (char)('A' + i), NBLOCKS,
			ATOMIC, 0 };
		REQUIRE_EQ(pthread_create(&t[i], NULL, writer_thread, &w[i]),
		    0);
	}
	for (int i = 0; got < sizeof(stream); i++) {
		if (i % 20 == 0)
			usleep(1000);
		n = rump_sys_read(p[0], stream + got,
		    sizes[i % 6] < sizeof(stream) - got ?
		    sizes[i % 6] : sizeof(stream) - got);
		REQUIRE(n > 0);
		got += (size_t)n;
	}
	for (int i = 0; i < 2; i++)
		REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	for (size_t b = 0; b < sizeof(stream); b += ATOMIC) {
		for (size_t j = 1; j < ATOMIC; j++)
			if (stream[b + j] != stream[b])
				TEST_FAIL("block at %zu split at %zu: %c, %c",
				    b, j, stream[b], stream[b + j]);
		seen[stream[b] - 'A']++;
	}
	REQUIRE_EQ(seen[0], NBLOCKS);
	REQUIRE_EQ(seen[1], NBLOCKS);
	REQUIRE_EQ(rump_sys_close(p[1]), 0);
	REQUIRE_EQ(rump_sys_read(p[0], stream, 1), 0);
}

/* A reader on an empty pipe sleeps until a writer in another thread. */
TESTCASE(pipe_reader_woken)
{
	struct writer w;
	pthread_t t;
	char buf[64];
	int p[2];
	long long start;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	w = (struct writer){ rump_sys_getpid(), p[1], 'w', 1, 10, 200 };
	start = now_ms();
	REQUIRE_EQ(pthread_create(&t, NULL, writer_thread, &w), 0);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 10);
	REQUIRE(now_ms() - start >= 190);
	REQUIRE(memcmp(buf, "wwwwwwwwww", 10) == 0);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
}

static void *
slow_reader(void *arg)
{
	struct writer *w = arg;
	static char buf[CAPACITY];

	REQUIRE_EQ(rump_pub_lwproc_newlwp(w->pid), 0);
	usleep((useconds_t)w->delay_ms * 1000);
	REQUIRE_EQ(rump_sys_read(w->fd, buf, 100), 100);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* A writer on a full pipe sleeps until a reader makes room. */
TESTCASE(pipe_writer_woken)
{
	static char big[CAPACITY];
	struct writer w;
	pthread_t t;
	int p[2];
	long long start;

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_write(p[1], big, sizeof(big)), CAPACITY);
	w = (struct writer){ rump_sys_getpid(), p[0], 0, 0, 0, 200 };
	start = now_ms();
	REQUIRE_EQ(pthread_create(&t, NULL, slow_reader, &w), 0);
	REQUIRE_EQ(rump_sys_write(p[1], big, 100), 100);
	REQUIRE(now_ms() - start >= 190);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
}

/* A writer blocked on a full pipe learns of the reader's close: EPIPE. */
static void *
closer_thread(void *arg)
{
	struct writer *w = arg;

	REQUIRE_EQ(rump_pub_lwproc_newlwp(w->pid), 0);
	usleep((useconds_t)w->delay_ms * 1000);
	REQUIRE_EQ(rump_sys_close(w->fd), 0);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TESTCASE(pipe_blocked_writer_epipe)
{
	static char big[CAPACITY];
	struct writer w;
	pthread_t t;
	int p[2];

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_write(p[1], big, sizeof(big)), CAPACITY);
	w = (struct writer){ rump_sys_getpid(), p[0], 0, 0, 0, 100 };
	REQUIRE_EQ(pthread_create(&t, NULL, closer_thread, &w), 0);
	REQUIRE_ERRNO(rump_sys_write(p[1], "x", 1), EPIPE);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
}

TESTCASE(pipe_vectors)
{
	struct iovec out[3] = {
		{ "scatter", 7 }, { "", 0 }, { "/gather", 7 },
	};
	char a[3], b[20];
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_writev(p[1], out, 3), 14);
	memset(b, 0, sizeof(b));
	REQUIRE_EQ(rump_sys_readv(p[0], in, 2), 14);
	REQUIRE(memcmp(a, "sca", 3) == 0);
	REQUIRE(strcmp(b, "tter/gather") == 0);
	REQUIRE_EQ(rump_sys_writev(p[1], out, 0), 0);
	REQUIRE_ERRNO(rump_sys_writev(p[1], out, -1), EINVAL);
	REQUIRE_ERRNO(rump_sys_writev(p[1], out, 1025), EINVAL);
	REQUIRE_ERRNO(rump_sys_writev(p[1], NULL, 1), EFAULT);
	/* Lengths adding up past SSIZE_MAX. */
	out[0].iov_len = (size_t)-1 / 2;
	out[1].iov_len = (size_t)-1 / 2;
	out[1].iov_base = "x";
	REQUIRE_ERRNO(rump_sys_writev(p[1], out, 3), EINVAL);
	out[0].iov_len = (size_t)-1;
	REQUIRE_ERRNO(rump_sys_writev(p[1], out, 1), EINVAL);
	REQUIRE_ERRNO(rump_sys_readv(p[1], in, 2), EBADF);
}

TESTCASE(pipe_not_seekable)
{
	struct iovec iov = { "x", 1 };
	int p[2];
	char c;

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	REQUIRE_ERRNO(rump_sys_lseek(p[0], 0, SEEK_SET), ESPIPE);
	REQUIRE_ERRNO(rump_sys_lseek(p[1], 0, SEEK_CUR), ESPIPE);
	REQUIRE_ERRNO(rump_sys_pread(p[0], &c, 1, 0), ESPIPE);
	REQUIRE_ERRNO(rump_sys_pwrite(p[1], &c, 1, 0), ESPIPE);
	REQUIRE_ERRNO(rump_sys_preadv(p[0], &iov, 1, 0), ESPIPE);
	REQUIRE_ERRNO(rump_sys_pwritev(p[1], &iov, 1, 0), ESPIPE);
	/* A negative position is refused before anything else. */
	REQUIRE_ERRNO(rump_sys_pread(p[0], &c, 1, -1), EINVAL);
	REQUIRE_ERRNO(rump_sys_pread(99, &c, 1, 0), EBADF);
	/* The byte is still there. */
	REQUIRE_EQ(rump_sys_read(p[0], &c, 1), 1);
	REQUIRE_EQ(c, 'x');
}

TESTCASE(pipe_fstat)
{
	struct stat sa, sb;
	int p[2];

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_fstat(p[0], &sa), 0);
	REQUIRE_EQ(rump_sys_fstat(p[1], &sb), 0);
	REQUIRE(S_ISFIFO(sa.st_mode));
	REQUIRE_EQ(sa.st_mode & 0777, 0600);
	REQUIRE_EQ(sa.st_blksize, 4096);
	REQUIRE_EQ(sa.st_nlink, 1);
	REQUIRE_EQ(sa.st_ino, sb.st_ino);
	REQUIRE_EQ(rump_sys_close(p[0]), 0);
	REQUIRE_EQ(rump_sys_close(p[1]), 0);
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(rump_sys_fstat(p[0], &sb), 0);
	REQUIRE(sa.st_ino != sb.st_ino);
	REQUIRE_ERRNO(rump_sys_fstat(p[0], NULL), EFAULT);
	REQUIRE_ERRNO(rump_sys_fstat(5, &sb), EBADF);
}

TESTCASE(pipe2_flags)
{
	int p[2], q[2], on;
	char c;

	REQUIRE_EQ(rump_sys_pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFD, 0), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFL, 0), O_RDONLY | O_NONBLOCK);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFL, 0), O_WRONLY | O_NONBLOCK);
	REQUIRE_EQ(rump_sys_pipe2(q, 0), 0);
	REQUIRE_EQ(rump_sys_fcntl(q[0], F_GETFD, 0), 0);
	REQUIRE_EQ(rump_sys_fcntl(q[1], F_GETFL, 0), O_WRONLY);
	REQUIRE_ERRNO(rump_sys_pipe2(q, O_APPEND), EINVAL);
	REQUIRE_ERRNO(rump_sys_pipe2(q, 0x40000000), EINVAL);
	/* FIONBIO switches non-blocking mode like F_SETFL. */
	on = 1;
	REQUIRE_EQ(rump_sys_ioctl(q[0], FIONBIO, &on), 0);
	REQUIRE_EQ(rump_sys_fcntl(q[0], F_GETFL, 0), O_RDONLY | O_NONBLOCK);
	REQUIRE_ERRNO(rump_sys_read(q[0], &c, 1), EAGAIN);
	on = 0;
	REQUIRE_EQ(rump_sys_ioctl(q[0], FIONBIO, &on), 0);
	REQUIRE_EQ(rump_sys_fcntl(q[0], F_GETFL, 0), O_RDONLY);
}

TESTCASE(pipe_efault)
{
	int p[2];

	REQUIRE_ERRNO(rump_sys_pipe(NULL), EFAULT);
	REQUIRE_ERRNO(rump_sys_pipe2(NULL, O_CLOEXEC), EFAULT);
	/* The failed calls left no descriptors behind. */
	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_EQ(p[0], 0);
	REQUIRE_EQ(p[1], 1);
	REQUIRE_ERRNO(rump_sys_write(p[1], NULL, 10), EFAULT);
	REQUIRE_EQ(rump_sys_write(p[1], "0123456789", 10), 10);
	REQUIRE_ERRNO(rump_sys_read(p[0], NULL, 10), EFAULT);
	/* Nothing was consumed by the failed read. */
	REQUIRE_EQ(rump_sys_ioctl(p[0], FIONREAD, &p[1]), 0);
	REQUIRE_EQ(p[1], 10);
	REQUIRE_ERRNO(rump_sys_ioctl(p[0], FIONREAD, NULL), EFAULT);
}

TESTCASE(pipe_emfile)
{
	int p[2], n = 0;

	while (rump_sys_pipe(p) == 0)
		n++;
	REQUIRE_EQ(errno, EMFILE);
	REQUIRE_EQ(n, 512);
	/* One free slot is not enough, and the failure does not take it. */
	REQUIRE_EQ(rump_sys_close(700), 0);
	REQUIRE_ERRNO(rump_sys_pipe(p), EMFILE);
	REQUIRE_EQ(rump_sys_dup(0), 700);
	REQUIRE_ERRNO(rump_sys_dup(0), EMFILE);
}

TESTCASE(pipe_ioctl_unknown)
{
	int p[2], v = 0;

	REQUIRE_EQ(rump_sys_pipe(p), 0);
	REQUIRE_ERRNO(rump_sys_ioctl(p[0], 0x5401 /* TCGETS */, &v), ENOTTY);
	REQUIRE_ERRNO(rump_sys_ioctl(p[0], _IOR('x', 1, int), &v), ENOTTY);
	REQUIRE_ERRNO(rump_sys_ioctl(42, FIONREAD, &v), EBADF);
}

TESTS(CASE(pipe_bytes), CASE(pipe_between_processes), CASE(pipe_eof),
    CASE(pipe_epipe), CASE(pipe_access_mode), CASE(pipe_nonblock),
    CASE(pipe_capacity), CASE(pipe_buf_atomic), CASE(pipe_reader_woken),
    CASE(pipe_writer_woken), CASE(pipe_blocked_writer_epipe),
    CASE(pipe_vectors), CASE(pipe_not_seekable), CASE(pipe_fstat),
    CASE(pipe2_flags), CASE(pipe_efault), CASE(pipe_emfile),
    CASE(pipe_ioctl_unknown))
