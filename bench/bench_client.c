/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A served kernel's system calls (librumpclient over a Unix socket to
 * rump_server) against the host's and a local rump kernel's, side by
 * side in one run:
 *   null call   rump_sys_getpid() remote / local, syscall(SYS_getpid);
 *   4 KiB read  rump_sys_pread() of a 4 KiB file in the kernel's root
 *               file system, remote / local, and pread() of a file in
 *               the host's /tmp (page cache).
 * The local kernel is librumpvfs (and librump) loaded with dlopen
 * (RTLD_LOCAL), its calls
 * found with dlsym: this program's own rump_sys_* are librumpclient's.
 * For scale, the floor of any such transport: a 1-byte round trip over a
 * Unix socket pair between two host processes (the server's work and
 * the copy requests come on top of it).
 * Each figure is the median of 5 timed runs, in ns per call.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#include "bench_util.h"

#define RUNS 5

enum which { HOST, REMOTE, LOCAL, PINGPONG };

static int (*local_init)(void);
static pid_t (*local_getpid)(void);
static int (*local_open)(const char *, int, ...);
static ssize_t (*local_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*local_pread)(int, void *, size_t, off_t);

static int host_fd, remote_fd, local_fd, ping_fd;
static volatile long sink;

static double
per_call(enum which w, int read4k, long iters)
{
	char buf[4096];
	uint64_t t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		switch (w) {
		case HOST:
			sink += read4k ? pread(host_fd, buf, sizeof(buf), 0)
			               : syscall(SYS_getpid);
			break;
		case REMOTE:
			sink += read4k ? rump_sys_pread(remote_fd, buf,
			                                sizeof(buf), 0)
			               : rump_sys_getpid();
			break;
		case LOCAL:
			sink += read4k
			            ? local_pread(local_fd, buf, sizeof(buf), 0)
			            : local_getpid();
			break;
		case PINGPONG:
			sink += write(ping_fd, buf, 1) + read(ping_fd, buf, 1);
			break;
		}
	}
	return (double)(now_ns() - t0) / (double)iters;
}

static double
median(enum which w, int read4k, long iters)
{
	double r[RUNS];

	per_call(w, read4k, iters / 10);
	for (int i = 0; i < RUNS; i++)
		r[i] = per_call(w, read4k, iters);
	qsort(r, RUNS, sizeof(r[0]), cmpd);
	return r[RUNS / 2];
}

/* The directory of path, into buf. */
static const char *
dirname_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return ".";
	snprintf(buf, len, "%.*s", (int)(slash - path), path);
	return buf;
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "bench_client: %s: %s\n", what, why);
	exit(1);
}

int
main(int argc, char *argv[])
{
	char dir[] = "/tmp/bench_client.XXXXXX", url[128], hostfile[128];
	char prog[600], bindirbuf[512], block[4096];
	const char *bindir;
	pid_t server;
	void *h;

	(void)argc;
	bindir = dirname_of(argv[0], bindirbuf, sizeof(bindirbuf));
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", strerror(errno));
	snprintf(url, sizeof(url), "unix://%s/sock", dir);
	snprintf(hostfile, sizeof(hostfile), "%s/file", dir);
	setenv("RUMP_SERVER", url, 1);
	snprintf(prog, sizeof(prog), "%s/rump_server", bindir);
	if ((server = fork()) == 0) {
		execl(prog, prog, "-s", url, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; rumpclient_init() != 0; i++) {
		if (i == 500)
			die("rumpclient_init", strerror(errno));
		usleep(10000);
	}

	memset(block, 'b', sizeof(block));
	if ((host_fd = open(hostfile, O_RDWR | O_CREAT, 0644)) < 0 ||
	    pwrite(host_fd, block, sizeof(block), 0) != sizeof(block))
		die(hostfile, strerror(errno));
	if ((remote_fd = rump_sys_open("/file", O_RDWR | O_CREAT, 0644)) < 0 ||
	    rump_sys_pwrite(remote_fd, block, sizeof(block), 0) !=
	        sizeof(block))
		die("remote /file", strerror(errno));

	if ((h = dlopen("librumpvfs.so", RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (local_init = (int (*)(void))dlsym(h, "rump_init")) == NULL ||
	    (local_getpid = (pid_t(*)(void))dlsym(h, "rump_sys_getpid")) ==
	        NULL ||
	    (local_open = (int (*)(const char *, int, ...))dlsym(
	         h, "rump_sys_open")) == NULL ||
	    (local_pwrite = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(
	         h, "rump_sys_pwrite")) == NULL ||
	    (local_pread = (ssize_t(*)(int, void *, size_t, off_t))dlsym(
	         h, "rump_sys_pread")) == NULL)
		die("librumpvfs.so", dlerror());
	if (local_init() != 0)
		die("rump_init", "failed");
	if ((local_fd = local_open("/file", O_RDWR | O_CREAT, 0644)) < 0 ||
	    local_pwrite(local_fd, block, sizeof(block), 0) != sizeof(block))
		die("local /file", strerror(errno));

	int sv[2];
	pid_t echo;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		die("socketpair", strerror(errno));
	if ((echo = fork()) == 0) {
		close(sv[0]);
		while (read(sv[1], &c, 1) == 1 && write(sv[1], &c, 1) == 1)
			continue;
		_exit(0);
	}
	close(sv[1]);
	ping_fd = sv[0];
	double pp = median(PINGPONG, 0, 40000);
	close(ping_fd);
	waitpid(echo, NULL, 0);

	double hn = median(HOST, 0, 400000), rn = median(REMOTE, 0, 40000),
	       ln = median(LOCAL, 0, 2000000);
	double hr = median(HOST, 1, 400000), rr = median(REMOTE, 1, 40000),
	       lr = median(LOCAL, 1, 400000);

	printf("## Served kernel (librumpclient over a Unix socket)\n\n");
	printf("| call | remote / host / local rump, ns | remote vs host | "
	       "remote vs local rump |\n|---|---|---|---|\n");
	printf("| null call (getpid) | %.0f / %.0f / %.0f | %.1fx "
	       "(goal <= 5x) | %.0fx |\n",
	       rn, hn, ln, rn / hn, rn / ln);
	printf("| 4 KiB pread | %.0f / %.0f / %.0f | %.1fx | %.1fx |\n", rr, hr,
	       lr, rr / hr, rr / lr);
	printf("| the floor: 1-byte round trip between two processes over a "
	       "Unix socket pair | %.0f / %.0f (getpid) / - | %.1fx | |\n",
	       pp, hn, pp / hn);

	rumpclient_close();
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	unlink(hostfile);
	snprintf(prog, sizeof(prog), "%s/sock", dir);
	unlink(prog);
	rmdir(dir);
	return 0;
}
