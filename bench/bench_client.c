/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A served kernel's system calls (librumpclient to rump_server over a
 * Unix socket) against the host's and a local rump kernel's, side by
 * side in one run, over both transports of the client library:
 *   shm     the shared-memory transport (the default on a Unix socket);
 *   socket  the frames on the socket (RUMPCLIENT_TRANSPORT=socket).
 * The calls: a null call (getpid), pread of 4 KiB and of 64 KiB, pwrite
 * of 64 KiB, on a file in the kernel's root file system (the host's: a
 * file in /tmp, in its page cache).
 *
 * The two transports are two threads of one client process (each thread
 * has its own connection, the transport chosen when it connects), timed
 * in turns, run after run, so that both see the same load: the figures
 * of each are the median and the best of RUNS runs of about 15 ms (on
 * a shared machine the best run is the one least disturbed).  The local kernel
 * is librumpvfs (and librump) loaded with dlopen (RTLD_LOCAL), its calls
 * found with dlsym: this program's own rump_sys_* are librumpclient's.
 * For scale, the floor of a socket transport: a 1-byte round trip over
 * a Unix socket pair between two host processes.
 *
 * Each table is measured by a child process with a server of its own
 * (the spin is set once per process): the spin as it comes (adaptive)
 * and none (RUMP_SHM_SPIN=0), each on the machine as it is and with a
 * busy loop added per CPU (the load where a spin is wasted).  Run under
 * a real-time policy (chrt -f 10 bench_client), which takes a shared
 * machine's other load out of the figures, it measures the first two
 * only (busy loops of that policy would have the CPUs to themselves).
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#include "bench_util.h"

#define RUNS   11
#define RUN_NS 15000000ULL
#define BIG    (64 * 1024)

enum which { HOST, SHM, SOCKET, LOCAL, PINGPONG };
enum call { NULLCALL, READ4K, READ64K, WRITE64K, NCALLS };

static const char *const callname[NCALLS] = {
    "null call (getpid)", "4 KiB pread", "64 KiB pread", "64 KiB pwrite"};

static pid_t (*local_getpid)(void);
static int (*local_open)(const char *, int, ...);
static ssize_t (*local_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*local_pread)(int, void *, size_t, off_t);

static int host_fd, remote_fd, local_fd, ping_fd;
static volatile long sink;
static char iobuf[2][BIG];

static double
per_call(enum which w, enum call c, long iters, char *buf)
{
	size_t len = c == READ4K ? 4096 : BIG;
	uint64_t t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		switch (w) {
		case HOST:
			sink += c == NULLCALL   ? syscall(SYS_getpid)
			        : c == WRITE64K ? pwrite(host_fd, buf, len, 0)
			                        : pread(host_fd, buf, len, 0);
			break;
		case SHM:
		case SOCKET:
			sink += c == NULLCALL ? rump_sys_getpid()
			        : c == WRITE64K
			            ? rump_sys_pwrite(remote_fd, buf, len, 0)
			            : rump_sys_pread(remote_fd, buf, len, 0);
			break;
		case LOCAL:
			sink += c == NULLCALL ? local_getpid()
			        : c == WRITE64K
			            ? local_pwrite(local_fd, buf, len, 0)
			            : local_pread(local_fd, buf, len, 0);
			break;
		case PINGPONG:
			sink += write(ping_fd, buf, 1) + read(ping_fd, buf, 1);
			break;
		}
	}
	return (double)(now_ns() - t0) / (double)iters;
}

/* Iterations for a run of about RUN_NS, from a short trial. */
static long
calibrate(enum which w, enum call c, char *buf)
{
	double t = per_call(w, c, 20, buf);
	long n = (long)((double)RUN_NS / (t > 1 ? t : 1));

	return n < 20 ? 20 : n;
}

/* A figure: the median and the best of RUNS runs, ns per call. */
struct fig {
	double med, best;
};

static struct fig
fig_of(double *r)
{
	qsort(r, RUNS, sizeof(r[0]), cmpd);
	return (struct fig){r[RUNS / 2], r[0]};
}

static struct fig
median(enum which w, enum call c)
{
	long iters = calibrate(w, c, iobuf[0]);
	double r[RUNS];

	for (int i = 0; i < RUNS; i++)
		r[i] = per_call(w, c, iters, iobuf[0]);
	return fig_of(r);
}

/*
 * The socket transport's thread: runs what the main thread posts, on
 * its own connection, so that the two transports take turns.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	enum call call;
	long iters;
	int state; /* 0 idle, 1 posted, 2 done, 3 exit */
	double result;
} job = {.lock = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *
socket_thread(void *arg)
{
	(void)arg;
	/* The first call connects this thread, over the socket. */
	job.result = rump_sys_getpid() > 0;
	pthread_mutex_lock(&job.lock);
	job.state = 2;
	pthread_cond_broadcast(&job.cv);
	for (;;) {
		while (job.state != 1 && job.state != 3)
			pthread_cond_wait(&job.cv, &job.lock);
		if (job.state == 3)
			break;
		pthread_mutex_unlock(&job.lock);
		job.result = per_call(SOCKET, job.call, job.iters, iobuf[1]);
		pthread_mutex_lock(&job.lock);
		job.state = 2;
		pthread_cond_broadcast(&job.cv);
	}
	pthread_mutex_unlock(&job.lock);
	return NULL;
}

static double
socket_run(enum call c, long iters)
{
	double r;

	pthread_mutex_lock(&job.lock);
	job.call = c;
	job.iters = iters;
	job.state = 1;
	pthread_cond_broadcast(&job.cv);
	while (job.state != 2)
		pthread_cond_wait(&job.cv, &job.lock);
	job.state = 0;
	r = job.result;
	pthread_mutex_unlock(&job.lock);
	return r;
}

/* Shared memory and socket in turns: their figures. */
static void
paired(enum call c, struct fig *shm, struct fig *sock)
{
	long ishm = calibrate(SHM, c, iobuf[0]);
	long isock = (long)((double)RUN_NS / socket_run(c, 20));
	double rs[RUNS], rk[RUNS];

	if (isock < 20)
		isock = 20;
	for (int i = 0; i < RUNS; i++) {
		rs[i] = per_call(SHM, c, ishm, iobuf[0]);
		rk[i] = socket_run(c, isock);
	}
	*shm = fig_of(rs);
	*sock = fig_of(rk);
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "bench_client: %s: %s\n", what, why);
	exit(1);
}

/* The local kernel, in this process (a child: kernels do not fork). */
static void
local_boot(void)
{
	int (*local_init)(void) = NULL;
	void *h;

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
}

/* One table: a server of its own, both transports, host and local. */
static void
table(const char *bindir, const char *title)
{
	char dir[] = "/tmp/bench_client.XXXXXX", url[128], hostfile[128];
	char prog[600];
	struct fig shm[NCALLS], sock[NCALLS], host[NCALLS], local[NCALLS], pp;
	pthread_t pt;
	pid_t server, echo;
	int sv[2];
	char c;

	local_boot();
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
	unsetenv("RUMPCLIENT_TRANSPORT");
	for (int i = 0; rumpclient_init() != 0; i++) {
		if (i == 500)
			die("rumpclient_init", strerror(errno));
		usleep(10000);
	}
	/* The other thread joins the process over the socket. */
	setenv("RUMPCLIENT_TRANSPORT", "socket", 1);
	job.state = 0;
	if (pthread_create(&pt, NULL, socket_thread, NULL) != 0)
		die("pthread_create", "failed");
	pthread_mutex_lock(&job.lock);
	while (job.state != 2)
		pthread_cond_wait(&job.cv, &job.lock);
	job.state = 0;
	pthread_mutex_unlock(&job.lock);
	unsetenv("RUMPCLIENT_TRANSPORT");
	if (job.result != 1)
		die("socket thread", "not connected");

	memset(iobuf, 'b', sizeof(iobuf));
	if ((host_fd = open(hostfile, O_RDWR | O_CREAT, 0644)) < 0 ||
	    pwrite(host_fd, iobuf[0], BIG, 0) != BIG)
		die(hostfile, strerror(errno));
	if ((remote_fd = rump_sys_open("/file", O_RDWR | O_CREAT, 0644)) < 0 ||
	    rump_sys_pwrite(remote_fd, iobuf[0], BIG, 0) != BIG)
		die("remote /file", strerror(errno));
	if ((local_fd = local_open("/file", O_RDWR | O_CREAT, 0644)) < 0 ||
	    local_pwrite(local_fd, iobuf[0], BIG, 0) != BIG)
		die("local /file", strerror(errno));

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
	pp = median(PINGPONG, NULLCALL);
	close(ping_fd);
	waitpid(echo, NULL, 0);

	for (int k = 0; k < NCALLS; k++) {
		host[k] = median(HOST, (enum call)k);
		paired((enum call)k, &shm[k], &sock[k]);
		local[k] = median(LOCAL, (enum call)k);
	}
	pthread_mutex_lock(&job.lock);
	job.state = 3;
	pthread_cond_broadcast(&job.cv);
	pthread_mutex_unlock(&job.lock);
	pthread_join(pt, NULL);

	printf("### %s\n\n", title);
	printf("Median of the runs (best run in brackets).\n\n");
	printf("| call | shm / socket / host / local rump, ns | shm vs host | "
	       "socket vs host | shm vs socket |\n|---|---|---|---|---|\n");
	for (int k = 0; k < NCALLS; k++)
		printf("| %s | %.0f (%.0f) / %.0f (%.0f) / %.0f (%.0f) / %.0f "
		       "(%.0f) | %.1fx (%.1fx)%s | %.1fx (%.1fx) | %.2f (%.2f) "
		       "|\n",
		       callname[k], shm[k].med, shm[k].best, sock[k].med,
		       sock[k].best, host[k].med, host[k].best, local[k].med,
		       local[k].best, shm[k].med / host[k].med,
		       shm[k].best / host[k].best,
		       k == NULLCALL ? " (goal <= 5x)" : "",
		       sock[k].med / host[k].med, sock[k].best / host[k].best,
		       shm[k].med / sock[k].med, shm[k].best / sock[k].best);
	printf("| the floor of a socket: 1-byte round trip between two "
	       "processes | %.0f (%.0f) | %.1fx (%.1fx) getpid | | |\n\n",
	       pp.med, pp.best, pp.med / host[NULLCALL].med,
	       pp.best / host[NULLCALL].best);

	rumpclient_close();
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	unlink(hostfile);
	snprintf(prog, sizeof(prog), "%s/sock", dir);
	unlink(prog);
	rmdir(dir);
}

/* A table measured by a child, with spin (NULL: as it comes) and load. */
static void
table_child(const char *bindir, const char *spin, int load, double loadavg)
{
	char title[256];
	pid_t child, hogs[16];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n = 0;

	if (ncpu > 16)
		ncpu = 16;
	fflush(NULL);
	if ((child = fork()) == 0) {
		if (spin != NULL)
			setenv("RUMP_SHM_SPIN", spin, 1);
		snprintf(title, sizeof(title),
		         "Spin %s; %s (load average %.1f at the start)",
		         spin == NULL ? "adaptive (the default)" : "none",
		         load ? "a busy loop added per CPU"
		              : "the machine as it is",
		         loadavg);
		table(bindir, title);
		fflush(NULL);
		_exit(0);
	}
	for (; load && n < ncpu; n++)
		if ((hogs[n] = fork()) == 0)
			for (;;)
				sink++;
	waitpid(child, NULL, 0);
	for (int i = 0; i < n; i++) {
		kill(hogs[i], SIGKILL);
		waitpid(hogs[i], NULL, 0);
	}
}

static double
loadavg(void)
{
	double l = -1;

	getloadavg(&l, 1);
	return l;
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

int
main(int argc, char *argv[])
{
	char bindirbuf[512];
	const char *bindir;

	(void)argc;
	bindir = dirname_of(argv[0], bindirbuf, sizeof(bindirbuf));

	printf("## Served kernel (bench_client)\n\n");
	printf("librumpclient to rump_server over a Unix socket, one client "
	       "thread per transport taking turns, %ld CPUs; %d "
	       "runs.\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN), RUNS);
	if (sched_getscheduler(0) != SCHED_OTHER)
		printf("Under a real-time scheduling policy: the machine's "
		       "other load does not delay these processes.\n\n");
	table_child(bindir, NULL, 0, loadavg());
	table_child(bindir, "0", 0, loadavg());
	if (sched_getscheduler(0) != SCHED_OTHER)
		return 0;
	table_child(bindir, NULL, 1, loadavg());
	table_child(bindir, "0", 1, loadavg());
	return 0;
}
