/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A kernel served to other processes: rump_server(1) with librumpclient
 * and the host tools.  Each case starts its own server (in the
 * foreground, on a Unix socket in a fresh directory) and talks to it
 * from processes of its own; the harness's local kernel is not used
 * (this program links librumpclient, not librump).
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <sys/utsname.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>
#include <rump/ufs_args.h>

#include "h_macros.h"
#include "../../lib/librumpclient/sp_proto.h"
#include "../../lib/librumpclient/sp_shm.h"

/* The harness boots a local kernel for CASE(); every case here is NOBOOT. */
int
rump_init(void)
{
	return 0;
}

static char dir[256], sockpath[300], url[320];
static pid_t server;

static bool shm_mapped(void);

static void
tool_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", BINDIR, name);
}

/* Run a program, its output to out (when given); its exit status. */
static int
run(char *out, size_t outlen, const char *prog, ...)
{
	const char *argv[32];
	int n = 0, fds[2], status;
	size_t got = 0;
	ssize_t r;
	va_list ap;
	pid_t pid;

	argv[n++] = prog;
	va_start(ap, prog);
	while ((argv[n++] = va_arg(ap, const char *)) != NULL)
		continue;
	va_end(ap);
	REQUIRE(pipe(fds) == 0);
	REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execv(prog, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], out != NULL ? out + got : (char[256]){0},
	                 out != NULL ? outlen - 1 - got : 256)) > 0)
		if (out != NULL)
			got += (size_t)r;
	close(fds[0]);
	if (out != NULL)
		out[got] = '\0';
	REQUIRE(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A case that fails leaves no server behind. */
static void
server_kill(void)
{
	if (server > 0 && getpid() != server)
		kill(server, SIGKILL);
}

/*
 * Start a server with these options and connect this process to it, on
 * a Unix socket in a fresh directory, or on tcpurl.
 */
static void
server_start_url(const char *opts[], const char *tcpurl)
{
	char prog[256];
	const char *argv[32];
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/srv.XXXXXX", tests_scratch());
	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(sockpath, sizeof(sockpath), "%s/sock", dir);
	if (tcpurl != NULL)
		snprintf(url, sizeof(url), "%s", tcpurl);
	else
		snprintf(url, sizeof(url), "unix://%s", sockpath);
	setenv("RUMP_SERVER", url, 1);
	tool_path(prog, sizeof(prog), "rump_server");
	argv[n++] = prog;
	argv[n++] = "-s";
	for (int i = 0; opts != NULL && opts[i] != NULL; i++)
		argv[n++] = opts[i];
	argv[n++] = url;
	argv[n] = NULL;
	fflush(NULL);
	REQUIRE((server = fork()) != -1);
	if (server == 0) {
		execv(prog, (char *const *)argv);
		_exit(127);
	}
	atexit(server_kill);
	for (int i = 0; i < 1000; i++) {
		if (rumpclient_init() == 0)
			return;
		usleep(10000);
	}
	TEST_FAIL("the server never answered on %s", url);
}

static void
server_start(const char *opts[])
{
	server_start_url(opts, NULL);
}

/* rump.halt, then the server must exit with status 0. */
static void
server_halt(void)
{
	char prog[256];
	int status;

	rumpclient_close();
	tool_path(prog, sizeof(prog), "rump.halt");
	REQUIRE_EQ(run(NULL, 0, prog, NULL), 0);
	REQUIRE(waitpid(server, &status, 0) == server);
	REQUIRE(WIFEXITED(status));
	REQUIRE_EQ(WEXITSTATUS(status), 0);
	unlink(sockpath);
	rmdir(dir);
}

static int
sp_count(int which)
{
	int mib[3] = {RUMP_CTL_KERN, 90, which}, v = -1;
	size_t len = sizeof(v);

	REQUIRE_OK(rump_sys___sysctl(mib, 3, &v, &len, NULL, 0));
	REQUIRE_EQ(len, sizeof(v));
	return v;
}
#define SP_CLIENTS 1
#define SP_NPROCS  2
#define SP_NFILES  3

static unsigned char
pattern(int w, int k, size_t off)
{
	return (unsigned char)(off * 7 + (size_t)w * 13 + (size_t)k * 29 +
	                       (off >> 12));
}

#define FILESIZE (160 * 1024 + 77)

/*
 * One worker process's load: files written in chunks of odd sizes, read
 * back, one renamed, one removed, one truncated.  Exit status: 0 or the
 * step that failed.
 */
static int
worker(int w)
{
	static unsigned char buf[FILESIZE], back[FILESIZE];
	char name[64], name2[64];
	size_t off, n;
	int fd;

	for (int k = 0; k < 3; k++) {
		snprintf(name, sizeof(name), "/mnt/w%d_%d", w, k);
		if ((fd = rump_sys_open(name, O_RDWR | O_CREAT | O_EXCL,
		                        0644)) < 0)
			return 1;
		for (off = 0; off < FILESIZE; off++)
			buf[off] = pattern(w, k, off);
		for (off = 0; off < FILESIZE; off += n) {
			n = 1 + (off * 31 + (size_t)w * 997) % 9000;
			if (n > FILESIZE - off)
				n = FILESIZE - off;
			if (rump_sys_write(fd, buf + off, n) != (ssize_t)n)
				return 2;
		}
		if (rump_sys_fsync(fd) != 0)
			return 3;
		memset(back, 0, sizeof(back));
		if (rump_sys_pread(fd, back, FILESIZE, 0) != FILESIZE ||
		    memcmp(buf, back, FILESIZE) != 0)
			return 4;
		rump_sys_close(fd);
	}
	snprintf(name, sizeof(name), "/mnt/w%d_1", w);
	snprintf(name2, sizeof(name2), "/mnt/r%d_1", w);
	if (rump_sys_rename(name, name2) != 0)
		return 5;
	snprintf(name, sizeof(name), "/mnt/w%d_2", w);
	if (rump_sys_unlink(name) != 0)
		return 6;
	snprintf(name, sizeof(name), "/mnt/w%d_0", w);
	if (rump_sys_truncate(name, FILESIZE / 3) != 0)
		return 7;
	return 0;
}

static void
check_file(const char *name, int w, int k, size_t size)
{
	static unsigned char back[FILESIZE];
	struct stat st;
	int fd;

	REQUIRE_OK(fd = rump_sys_open(name, O_RDONLY));
	REQUIRE_OK(rump_sys_fstat(fd, &st));
	REQUIRE_EQ(st.st_size, size);
	REQUIRE_EQ(rump_sys_read(fd, back, sizeof(back)), size);
	for (size_t off = 0; off < size; off++)
		if (back[off] != pattern(w, k, off))
			TEST_FAIL("%s: byte %zu is %#x, not %#x", name, off,
			          back[off], pattern(w, k, off));
	REQUIRE_OK(rump_sys_close(fd));
}

/*
 * Many client processes at once on an FFS image made by newfs, half
 * forked with rumpclient_fork(), half connecting on their own; every
 * byte checked, the image clean to fsck_ffs after rump.halt.
 */
TESTCASE(ffs_many_clients)
{
	enum { NWORKERS = 8 };
	char prog[256], drive[256], out[4096], img[128];
	struct ufs_args args = {.fspec = (char *)(uintptr_t) "/dev/dk"};
	const char *opts[] = {"-lrumpfs_ffs", "-d", drive, NULL};
	pid_t pids[NWORKERS];
	int status;

	snprintf(img, sizeof(img), "/tmp/t_rumpclient_ffs.%d.img", getpid());
	tool_path(prog, sizeof(prog), "newfs");
	REQUIRE_EQ(run(out, sizeof(out), prog, "-s", "16m", img, NULL), 0);
	snprintf(drive, sizeof(drive), "key=/dev/dk,hostpath=%s,size=host",
	         img);
	server_start(opts);
	REQUIRE_OK(rump_sys_mkdir("/mnt", 0755));
	REQUIRE_OK(rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args)));

	fflush(NULL);
	for (int w = 0; w < NWORKERS; w++) {
		pids[w] = w % 2 == 0 ? rumpclient_fork() : fork();
		REQUIRE(pids[w] != -1);
		if (pids[w] == 0) {
			if (w % 2 == 1) {
				rumpclient_close();
				if (rumpclient_init() != 0)
					_exit(100);
			}
			_exit(worker(w));
		}
	}
	for (int w = 0; w < NWORKERS; w++) {
		REQUIRE(waitpid(pids[w], &status, 0) == pids[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			TEST_FAIL("worker %d: status %#x", w, status);
	}
	for (int w = 0; w < NWORKERS; w++) {
		char name[64];

		snprintf(name, sizeof(name), "/mnt/w%d_0", w);
		check_file(name, w, 0, FILESIZE / 3);
		snprintf(name, sizeof(name), "/mnt/r%d_1", w);
		check_file(name, w, 1, FILESIZE);
		snprintf(name, sizeof(name), "/mnt/w%d_2", w);
		REQUIRE_ERRNO(rump_sys_open(name, O_RDONLY), ENOENT);
	}
	REQUIRE_OK(rump_sys_unmount("/mnt", 0));
	server_halt();
	tool_path(prog, sizeof(prog), "fsck_ffs");
	status = run(out, sizeof(out), prog, "-n", img, NULL);
	if (status != 0 || strstr(out, ": clean\n") == NULL)
		TEST_FAIL("fsck_ffs -n: exit %d:\n%s", status, out);
	unlink(img);
}

/*
 * Each client is a process: own descriptors, pid, cwd; a forked child
 * shares the open file (and its offset) it inherited; an exec keeps the
 * process.  Pointer arguments in both directions (stat, getcwd, pipe).
 */
TESTCASE(fork_exec_process)
{
	const char *opts[] = {"-lrumpfs_tmpfs", NULL};
	char cwd[64], self[256], fdarg[16], pidarg[16], buf[16];
	int fd, pfd[2], status;
	pid_t mypid, child;
	struct stat st;
	ssize_t n;

	server_start(opts);
	REQUIRE((mypid = rumpclient_getpid()) > 1);
	REQUIRE_EQ(rump_sys_getpid(), mypid);
	REQUIRE_OK(rump_sys_mkdir("/tmp", 01777));
	REQUIRE_OK(rump_sys_mount("tmpfs", "/tmp", 0, NULL, 0));
	REQUIRE_OK(rump_sys_chdir("/tmp"));
	REQUIRE_OK(rump_sys_getcwd(cwd, sizeof(cwd)));
	REQUIRE(strcmp(cwd, "/tmp") == 0);
	REQUIRE_OK(fd = rump_sys_open("shared", O_RDWR | O_CREAT, 0600));
	REQUIRE_EQ(rump_sys_write(fd, "parent;", 7), 7);
	REQUIRE_OK(rump_sys_pipe(pfd));

	fflush(NULL);
	REQUIRE((child = rumpclient_fork()) != -1);
	if (child == 0) {
		/* The inherited descriptor, its offset shared with the parent.
		 */
		if (rump_sys_getpid() == mypid || rump_sys_getppid() != mypid)
			_exit(1);
		if (rump_sys_write(fd, "child;", 6) != 6)
			_exit(2);
		if (rump_sys_write(pfd[1], "x", 1) != 1)
			_exit(3);
		if (rump_sys_getcwd(cwd, sizeof(cwd)) < 0 ||
		    strcmp(cwd, "/tmp") != 0)
			_exit(4);
		_exit(0);
	}
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE_EQ(status, 0);
	REQUIRE_EQ(rump_sys_read(pfd[0], buf, 1), 1);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 13);
	REQUIRE_OK(rump_sys_fstat(fd, &st));
	REQUIRE_EQ(st.st_size, 13);

	/* A new process of the kernel has none of this one's descriptors. */
	fflush(NULL);
	REQUIRE((child = fork()) != -1);
	if (child == 0) {
		rumpclient_close();
		if (rumpclient_init() != 0)
			_exit(1);
		if (rump_sys_getpid() == mypid)
			_exit(2);
		errno = 0;
		if (rump_sys_fstat(fd, &st) != -1 || errno != EBADF)
			_exit(3);
		_exit(0);
	}
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE_EQ(status, 0);

	/* exec: the same kernel process, the descriptor still open. */
	REQUIRE(readlink("/proc/self/exe", self, sizeof(self) - 1) > 0);
	self[sizeof(self) - 1] = '\0';
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	snprintf(pidarg, sizeof(pidarg), "%d", (int)mypid);
	fflush(NULL);
	REQUIRE((child = fork()) != -1);
	if (child == 0) {
		char *argv[] = {self, (char *)(uintptr_t) "--exec-child", fdarg,
		                pidarg, NULL};

		rumpclient_exec(self, argv, environ);
		_exit(99);
	}
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE_EQ(status, 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 13, 0), 13);
	REQUIRE(memcmp(buf, "parent;child;", 13) == 0);
	n = rump_sys_pread(fd, buf, sizeof(buf), 13);
	REQUIRE_EQ(n, 5);
	REQUIRE(memcmp(buf, "exec;", 5) == 0);
	server_halt();
}

/* After rumpclient_exec(): the same process, its descriptor open. */
static int
exec_child(int fd, pid_t pid)
{
	if (rumpclient_init() != 0)
		return 10;
	if (rump_sys_getpid() != pid)
		return 11;
	if (rump_sys_pwrite(fd, "exec;", 5, 13) != 5)
		return 12;
	return 0;
}

/*
 * System calls with pointers of every kind, through the copy requests:
 * iovec arrays, structures out, strings in, a symbolic link followed
 * (the kernel's own buffer on the way), times converted by the kernel,
 * attribute names, values and lists, directory records; bad addresses
 * are EFAULT, not a crash.
 */
TESTCASE(pointer_arguments)
{
	const char *opts[] = {NULL};
	char a[5] = "hello", b[7] = " world", back[32], link[64];
	struct iovec iov[2] = {{a, 5}, {b, 6}}, riov[2];
	struct timeval tv[2] = {{1000000, 5}, {2000000, 7}};
	struct utsname un;
	struct pollfd pfd;
	struct stat st;
	char dents[4096];
	int fd, found = 0;
	ssize_t n;

	server_start(opts);
	REQUIRE_OK(rump_sys_mkdir("/d", 0755));
	REQUIRE_OK(fd = rump_sys_open("/d/f", O_RDWR | O_CREAT, 0640));
	REQUIRE_EQ(rump_sys_writev(fd, iov, 2), 11);
	memset(back, 0, sizeof(back));
	riov[0] = (struct iovec){back, 3};
	riov[1] = (struct iovec){back + 10, 20};
	REQUIRE_EQ(rump_sys_preadv(fd, riov, 2, 0), 11);
	REQUIRE(memcmp(back, "hel", 3) == 0);
	REQUIRE(memcmp(back + 10, "lo world", 8) == 0);
	REQUIRE_OK(rump_sys_symlink("/d/f", "/d/l"));
	REQUIRE_EQ(rump_sys_readlink("/d/l", link, sizeof(link)), 4);
	REQUIRE(memcmp(link, "/d/f", 4) == 0);
	REQUIRE_OK(rump_sys_stat("/d/l", &st));
	REQUIRE_EQ(st.st_size, 11);
	REQUIRE_EQ(st.st_mode & 07777, 0640);
	REQUIRE_OK(rump_sys_utimes("/d/l", tv));
	REQUIRE_OK(rump_sys_stat("/d/f", &st));
	REQUIRE_EQ(st.st_atim.tv_sec, 1000000);
	REQUIRE_EQ(st.st_mtim.tv_sec, 2000000);
	REQUIRE_EQ(st.st_mtim.tv_nsec, 7000);
	tv[1].tv_sec = 3000000;
	REQUIRE_OK(rump_sys_futimes(fd, tv));
	REQUIRE_OK(rump_sys_fstat(fd, &st));
	REQUIRE_EQ(st.st_mtim.tv_sec, 3000000);
	/* Attributes: a name and a value in, a value and a list out. */
	REQUIRE_OK(rump_sys_setxattr("/d/l", "user.k", "value", 5, 0));
	REQUIRE_EQ(rump_sys_fgetxattr(fd, "user.k", back, sizeof(back)), 5);
	REQUIRE(memcmp(back, "value", 5) == 0);
	REQUIRE_ERRNO(rump_sys_getxattr("/d/f", "user.k", back, 2), ERANGE);
	REQUIRE_EQ(rump_sys_listxattr("/d/f", back, sizeof(back)), 7);
	REQUIRE(memcmp(back, "user.k", 7) == 0);
	REQUIRE_ERRNO(rump_sys_lgetxattr("/d/l", "user.k", back, 5), ENODATA);
	REQUIRE_OK(rump_sys_uname(&un));
	REQUIRE(strcmp(un.sysname, "rump") == 0 || un.sysname[0] != '\0');
	pfd = (struct pollfd){.fd = fd, .events = POLLIN};
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	REQUIRE_EQ(pfd.revents, POLLIN);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	REQUIRE((n = rump_sys_getdents64(fd, dents, sizeof(dents))) > 0);
	for (ssize_t off = 0; off < n;) {
		struct {
			uint64_t ino;
			int64_t off;
			unsigned short reclen;
			unsigned char type;
			char name[];
		} *d = (void *)(dents + off);

		found += strcmp(d->name, "f") == 0 || strcmp(d->name, "l") == 0;
		off += d->reclen;
	}
	REQUIRE_EQ(found, 2);
	REQUIRE_OK(rump_sys_close(fd));
	/* Bad addresses, in and out, below a page and unmapped. */
	REQUIRE_ERRNO(rump_sys_stat("/d/f", (struct stat *)16), EFAULT);
	REQUIRE_ERRNO(
	    rump_sys_stat((const char *)(uintptr_t)0x7ff000000000ULL, &st),
	    EFAULT);
	REQUIRE_ERRNO(
	    rump_sys_stat("/d/f", (struct stat *)(uintptr_t)0x7ff000000000ULL),
	    EFAULT);
	REQUIRE_EQ(rump_sys_getpid(), rumpclient_getpid());
	server_halt();
}

struct reader {
	int fd;
	char c;
	ssize_t n;
	pid_t pid;
};

static void *
reader_thread(void *v)
{
	struct reader *r = v;

	__atomic_store_n(&r->pid, rump_sys_getpid(), __ATOMIC_RELEASE);
	__atomic_store_n(&r->n, rump_sys_read(r->fd, &r->c, 1),
	                 __ATOMIC_RELEASE);
	return NULL;
}

static void *
writer_thread(void *v)
{
	char name[32];
	int fd, ok = 1;

	snprintf(name, sizeof(name), "/t%ld", (long)(intptr_t)v);
	for (int i = 0; i < 200 && ok; i++) {
		if ((fd = rump_sys_open(name, O_RDWR | O_CREAT | O_TRUNC,
		                        0644)) < 0 ||
		    rump_sys_write(fd, name, strlen(name)) !=
		        (ssize_t)strlen(name) ||
		    rump_sys_close(fd) != 0)
			ok = 0;
	}
	return (void *)(intptr_t)ok;
}

/*
 * Threads of one client: each has its own connection, an lwp of the same
 * process (same pid, same descriptors), so one asleep in the kernel
 * holds up none of the others; a thread's end ends its lwp.
 */
TESTCASE(threads)
{
	const char *opts[] = {NULL};
	struct reader r = {.n = -2};
	pthread_t rt, wt[4];
	int pfd[2], baseline;
	void *ok;

	server_start(opts);
	baseline = sp_count(SP_CLIENTS);
	REQUIRE_EQ(baseline, 1);
	REQUIRE_OK(rump_sys_pipe(pfd));
	r.fd = pfd[0];
	REQUIRE(pthread_create(&rt, NULL, reader_thread, &r) == 0);
	for (long i = 0; i < 4; i++)
		REQUIRE(pthread_create(&wt[i], NULL, writer_thread,
		                       (void *)i) == 0);
	for (int i = 0; i < 4; i++) {
		REQUIRE(pthread_join(wt[i], &ok) == 0);
		REQUIRE(ok == (void *)1);
	}
	/* The reader still sleeps, in the same process. */
	for (int tries = 0;
	     tries < 500 && __atomic_load_n(&r.pid, __ATOMIC_ACQUIRE) == 0;
	     tries++)
		usleep(10000);
	usleep(50000);
	REQUIRE_EQ(__atomic_load_n(&r.n, __ATOMIC_ACQUIRE), -2);
	REQUIRE_EQ(r.pid, rump_sys_getpid());
	REQUIRE_EQ(rump_sys_write(pfd[1], "z", 1), 1);
	REQUIRE(pthread_join(rt, NULL) == 0);
	REQUIRE_EQ(r.n, 1);
	REQUIRE_EQ(r.c, 'z');
	/* Each thread's connection ended with it. */
	for (int tries = 0; tries < 500 && sp_count(SP_CLIENTS) != 1; tries++)
		usleep(10000);
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	server_halt();
}

/*
 * The kernel's own EIO (a device window past its host file's end) is the
 * call's error and nothing more: the connection and the process stay.
 */
TESTCASE(kernel_eio_keeps_process)
{
	char hostfile[64], drive[128], buf[512];
	const char *opts[] = {"-d", drive, NULL};
	int fd, keep;
	pid_t pid;

	snprintf(hostfile, sizeof(hostfile), "/tmp/t_rumpclient_eio.%d",
	         (int)getpid());
	REQUIRE((fd = open(hostfile, O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0);
	REQUIRE(write(fd, buf, sizeof(buf)) == sizeof(buf));
	close(fd);
	snprintf(drive, sizeof(drive),
	         "key=/dev/short,hostpath=%s,size=1m,type=blk", hostfile);
	server_start(opts);
	pid = rump_sys_getpid();
	REQUIRE_OK(keep = rump_sys_open("/keep", O_RDWR | O_CREAT, 0644));
	REQUIRE_OK(fd = rump_sys_open("/dev/short", O_RDONLY));
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, sizeof(buf), 8192), EIO);
	REQUIRE_EQ(rump_sys_getpid(), pid);
	REQUIRE_EQ(rump_sys_write(keep, "k", 1), 1);
	REQUIRE_OK(rump_sys_close(fd));
	unlink(hostfile);
	server_halt();
}

/* TCP on the loopback: the same calls; the client runs as the server. */
TESTCASE(tcp_loopback)
{
	const char *opts[] = {NULL};
	char tcp[64], buf[8];
	int fd;

	snprintf(tcp, sizeof(tcp), "tcp://127.0.0.1:%d",
	         20000 + (int)(getpid() % 20000));
	server_start_url(opts, tcp);
	REQUIRE(rump_sys_getpid() > 1);
	REQUIRE(!shm_mapped()); /* a memfd cannot cross TCP */
	REQUIRE_EQ(rump_sys_getuid(), getuid());
	REQUIRE_OK(fd = rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "tcp", 3), 3);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 3);
	REQUIRE(memcmp(buf, "tcp", 3) == 0);
	server_halt();
}

/* Credentials come from the socket's peer. */
TESTCASE(peer_credentials)
{
	const char *opts[] = {NULL};
	int status;
	pid_t child;

	server_start(opts);
	REQUIRE_EQ(rump_sys_getuid(), getuid());
	REQUIRE_EQ(rump_sys_getgid(), getgid());
	REQUIRE_OK(rump_sys_mkdir("/private", 0700));
	if (getuid() != 0) {
		server_halt();
		return;
	}
	/* The socket is the server's (root's): let nobody reach it. */
	REQUIRE(chmod(tests_scratch(), 0755) == 0);
	REQUIRE(chmod(dir, 0755) == 0);
	REQUIRE(chmod(sockpath, 0777) == 0);
	fflush(NULL);
	REQUIRE((child = fork()) != -1);
	if (child == 0) {
		rumpclient_close();
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(1);
		if (rumpclient_init() != 0)
			_exit(2);
		if (rump_sys_getuid() != 65534 || rump_sys_geteuid() != 65534 ||
		    rump_sys_getgid() != 65534)
			_exit(3);
		errno = 0;
		if (rump_sys_open("/private/x", O_RDWR | O_CREAT, 0600) != -1 ||
		    errno != EACCES)
			_exit(4);
		_exit(0);
	}
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE_EQ(status, 0);
	/* The socket's permissions are the access control. */
	REQUIRE(chmod(sockpath, 0700) == 0);
	fflush(NULL);
	REQUIRE((child = fork()) != -1);
	if (child == 0) {
		rumpclient_close();
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(1);
		if (rumpclient_init() != -1 || errno != EACCES)
			_exit(2);
		_exit(0);
	}
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE_EQ(status, 0);
	server_halt();
}

/*
 * Clients killed with SIGKILL in the middle of their calls, some asleep
 * in the kernel for ever (a read of an empty pipe, a poll with no
 * timeout, a wait for a record lock): the server serves the others, and every
 * process and descriptor they had is gone.
 */
TESTCASE(killed_clients_leak_nothing)
{
	const char *opts[] = {"-lrumpfs_tmpfs", NULL};
	int nprocs, nfiles, status, fd, lockfd;
	char buf[4096];
	pid_t child;

	server_start(opts);
	REQUIRE_OK(rump_sys_mkdir("/t", 0777));
	REQUIRE_OK(rump_sys_mount("tmpfs", "/t", 0, NULL, 0));
	REQUIRE_OK(lockfd = rump_sys_open("/t/lock", O_RDWR | O_CREAT, 0666));
	{
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

		REQUIRE_OK(rump_sys_fcntl(lockfd, F_SETLK, &fl));
	}
	nprocs = sp_count(SP_NPROCS);
	nfiles = sp_count(SP_NFILES);
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	memset(buf, 'k', sizeof(buf));
	for (int i = 0; i < 30; i++) {
		int ready[2];
		char c;

		REQUIRE(pipe(ready) == 0);
		fflush(NULL);
		REQUIRE((child = i % 2 ? rumpclient_fork() : fork()) != -1);
		if (child == 0) {
			char name[32];
			int fds[4];

			if (i % 2 == 0) {
				rumpclient_close();
				if (rumpclient_init() != 0)
					_exit(1);
			}
			snprintf(name, sizeof(name), "/t/k%d", i);
			for (int k = 0; k < 4; k++)
				fds[k] =
				    rump_sys_open(name, O_RDWR | O_CREAT, 0644);
			if (i % 6 == 5) {
				/* Waiting for the parent's record lock. */
				struct flock fl = {.l_type = F_WRLCK,
				                   .l_whence = SEEK_SET};
				int lfd = rump_sys_open("/t/lock", O_RDWR);

				if (lfd < 0 || write(ready[1], "r", 1) != 1)
					_exit(2);
				rump_sys_fcntl(lfd, F_SETLKW, &fl);
				_exit(3);
			}
			if (i % 6 == 3 || i % 6 == 4) {
				/* Asleep in the kernel for ever: empty pipe. */
				struct pollfd pf;
				int pp[2];

				if (rump_sys_pipe(pp) != 0 ||
				    write(ready[1], "r", 1) != 1)
					_exit(2);
				pf = (struct pollfd){.fd = pp[0],
				                     .events = POLLIN};
				if (i % 6 == 3)
					rump_sys_read(pp[0], buf, 1);
				else
					rump_sys_poll(&pf, 1, -1);
				_exit(3);
			}
			if (write(ready[1], "r", 1) != 1)
				_exit(2);
			for (;;) {
				rump_sys_pwrite(fds[0], buf, sizeof(buf), 0);
				rump_sys_pread(fds[1], buf, sizeof(buf), 0);
				rump_sys_getpid();
			}
		}
		close(ready[1]);
		REQUIRE_EQ(read(ready[0], &c, 1), 1);
		close(ready[0]);
		usleep(1000 + (unsigned)(i % 7) * 3000);
		REQUIRE(kill(child, SIGKILL) == 0);
		REQUIRE(waitpid(child, &status, 0) == child);
		/* The others are served meanwhile. */
		REQUIRE_OK(
		    fd = rump_sys_open("/t/mine", O_RDWR | O_CREAT, 0644));
		REQUIRE_EQ(rump_sys_write(fd, "ok", 2), 2);
		REQUIRE_OK(rump_sys_close(fd));
	}
	/* The server notices each death at its own pace: wait a little. */
	for (int tries = 0; tries < 500; tries++) {
		if (sp_count(SP_CLIENTS) == 1 &&
		    sp_count(SP_NPROCS) == nprocs &&
		    sp_count(SP_NFILES) == nfiles)
			break;
		usleep(10000);
	}
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	REQUIRE_EQ(sp_count(SP_NPROCS), nprocs);
	REQUIRE_EQ(sp_count(SP_NFILES), nfiles);
	server_halt();
}

/* Two clients killed while their open of /t/fifo (flags) waits. */
static void
fifo_open_killed(int flags, int nprocs, int nfiles)
{
	int status;
	pid_t child;

	for (int i = 0; i < 2; i++) {
		int ready[2];
		char c;

		REQUIRE(pipe(ready) == 0);
		fflush(NULL);
		REQUIRE((child = fork()) != -1);
		if (child == 0) {
			rumpclient_close();
			if (rumpclient_init() != 0 ||
			    write(ready[1], "r", 1) != 1)
				_exit(1);
			rump_sys_open("/t/fifo", flags);
			_exit(3);
		}
		close(ready[1]);
		REQUIRE_EQ(read(ready[0], &c, 1), 1);
		close(ready[0]);
		usleep(200000);
		REQUIRE(kill(child, SIGKILL) == 0);
		REQUIRE(waitpid(child, &status, 0) == child);
	}
	for (int tries = 0; tries < 500; tries++) {
		if (sp_count(SP_CLIENTS) == 1 &&
		    sp_count(SP_NPROCS) == nprocs &&
		    sp_count(SP_NFILES) == nfiles)
			break;
		usleep(10000);
	}
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	REQUIRE_EQ(sp_count(SP_NPROCS), nprocs);
	REQUIRE_EQ(sp_count(SP_NFILES), nfiles);
}

/*
 * Clients killed while their open of a FIFO waits for the other end:
 * the open ends within a second with its end uncounted, so a later
 * non-blocking writer finds no reader (ENXIO) and a non-blocking
 * reader no writer (end of file, not EAGAIN); nothing is left.
 */
TESTCASE(killed_in_fifo_open)
{
	const char *opts[] = {"-lrumpfs_tmpfs", NULL};
	int nprocs, nfiles, fd;
	char buf[8];

	server_start(opts);
	REQUIRE_OK(rump_sys_mkdir("/t", 0777));
	REQUIRE_OK(rump_sys_mount("tmpfs", "/t", 0, NULL, 0));
	REQUIRE_OK(rump_sys_mkfifo("/t/fifo", 0666));
	nprocs = sp_count(SP_NPROCS);
	nfiles = sp_count(SP_NFILES);
	fifo_open_killed(O_RDONLY, nprocs, nfiles);
	REQUIRE_ERRNO(rump_sys_open("/t/fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	fifo_open_killed(O_WRONLY, nprocs, nfiles);
	REQUIRE_OK(fd = rump_sys_open("/t/fifo", O_RDONLY | O_NONBLOCK));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	REQUIRE_OK(rump_sys_close(fd));
	/* Both ends by one open, and the FIFO still carries bytes. */
	REQUIRE_OK(fd = rump_sys_open("/t/fifo", O_RDWR));
	REQUIRE_EQ(rump_sys_write(fd, "fifo", 4), 4);
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	REQUIRE(memcmp(buf, "fifo", 4) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	server_halt();
}

/*
 * The server dies: between calls the next call is ENOTCONN; during a
 * call (a read of an empty pipe) it is EIO; nothing hangs; a new server
 * takes rumpclient_init() again.
 */
TESTCASE(server_dies)
{
	const char *opts[] = {NULL};
	int pfd[2], status;
	char c;

	server_start(opts);
	REQUIRE(rump_sys_getpid() > 1);
	REQUIRE(kill(server, SIGKILL) == 0);
	REQUIRE(waitpid(server, &status, 0) == server);
	REQUIRE_ERRNO(rump_sys_getpid(), ENOTCONN);
	REQUIRE_ERRNO(rump_sys_getpid(), ENOTCONN);
	unlink(sockpath);
	rmdir(dir);

	server_start(opts);
	REQUIRE_OK(rump_sys_pipe(pfd));
	fflush(NULL);
	if (fork() == 0) {
		usleep(200000);
		kill(server, SIGKILL);
		_exit(0);
	}
	REQUIRE_ERRNO(rump_sys_read(pfd[0], &c, 1), EIO);
	REQUIRE_ERRNO(rump_sys_getpid(), ENOTCONN);
	REQUIRE(waitpid(server, &status, 0) == server);
	wait(NULL);
	unlink(sockpath);
	rmdir(dir);

	server_start(opts);
	REQUIRE(rump_sys_getpid() > 1);
	server_halt();
}

/* A raw connection to the server, or -1. */
static int
raw_connect(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	strcpy(sun.sun_path, sockpath);
	REQUIRE((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	REQUIRE(connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	return fd;
}

static void
raw_hello(int fd)
{
	struct sp_hdr h = {.sh_len = SP_HDRLEN + 4,
	                   .sh_type = SP_HELLO,
	                   .sh_num = SP_VERSION,
	                   .sh_arg0 = SP_HELLO_NEW};
	uint8_t cookie[SP_COOKIELEN];

	REQUIRE(send(fd, &h, sizeof(h), MSG_NOSIGNAL) == sizeof(h));
	REQUIRE(send(fd, "fuzz", 4, MSG_NOSIGNAL) == 4);
	REQUIRE(recv(fd, &h, sizeof(h), MSG_WAITALL) == sizeof(h));
	REQUIRE_EQ(h.sh_type, SP_HELLO);
	REQUIRE_EQ(h.sh_error, 0);
	REQUIRE_EQ(h.sh_len, SP_HDRLEN + SP_COOKIELEN);
	REQUIRE(recv(fd, cookie, sizeof(cookie), MSG_WAITALL) ==
	        sizeof(cookie));
}

/*
 * The server must end the connection: read until EOF, within 5 s.  Our
 * side ends first, so that a frame cut short is an end of stream to the
 * server rather than a wait for the rest.
 */
static void
expect_closed(int fd)
{
	char buf[4096];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;

	shutdown(fd, SHUT_WR);

	for (;;) {
		REQUIRE(poll(&p, 1, 5000) == 1);
		if ((n = recv(fd, buf, sizeof(buf), 0)) <= 0)
			break;
	}
	close(fd);
}

/*
 * Malformed and hostile frames: random bytes, lies about lengths, wrong
 * types, replies nobody asked for, system calls by random numbers with
 * random (non-pointer) arguments, copy requests answered wrongly.  Each
 * bad connection is closed; the server keeps serving and holds nothing
 * of them afterwards.
 */
TESTCASE(fuzz_frames)
{
	const char *opts[] = {"-lrumpfs_tmpfs", NULL};
	const char *fs = getenv("FUZZ_SEED");
	unsigned seed = fs != NULL ? (unsigned)atoi(fs) : (unsigned)time(NULL);
	unsigned char junk[512];
	int fd, nprocs, nfiles;
	struct sp_hdr h;

	server_start(opts);
	nprocs = sp_count(SP_NPROCS);
	nfiles = sp_count(SP_NFILES);
	printf("seed %u\n", seed);
	srandom(seed);
	for (int i = 0; i < 300; i++) {
		int kind = i % 6;

		fd = raw_connect();
		for (size_t k = 0; k < sizeof(junk); k++)
			junk[k] = (unsigned char)random();
		memset(&h, 0, sizeof(h));
		switch (kind) {
		case 0: /* garbage instead of a hello */
			send(fd, junk, 1 + (size_t)random() % sizeof(junk),
			     MSG_NOSIGNAL);
			break;
		case 1: /* a hello that lies about its length */
			h.sh_len = (uint32_t)random();
			h.sh_type = SP_HELLO;
			h.sh_num = SP_VERSION;
			send(fd, &h, sizeof(h), MSG_NOSIGNAL);
			send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
			break;
		case 2: /* a random frame after a good hello */
			raw_hello(fd);
			memcpy(&h, junk, sizeof(h));
			if (h.sh_type == SP_SYSCALL || h.sh_type == SP_PREFORK)
				h.sh_type = SP_COPYDATA;
			send(fd, &h, sizeof(h), MSG_NOSIGNAL);
			send(fd, junk + sizeof(h), sizeof(junk) - sizeof(h),
			     MSG_NOSIGNAL);
			break;
		case 3: /* system call arguments too long or ragged */
			raw_hello(fd);
			h.sh_type = SP_SYSCALL;
			h.sh_num = 39;
			h.sh_len = SP_HDRLEN + (random() % 2 ? 72 : 13);
			send(fd, &h, sizeof(h), MSG_NOSIGNAL);
			send(fd, junk, h.sh_len - SP_HDRLEN, MSG_NOSIGNAL);
			break;
		case 4: { /* random calls, then a bogus frame */
			raw_hello(fd);
			for (int k = 0; k < 20; k++) {
				long regs[3] = {random() % 64, random() % 5,
				                random() % 3};

				h.sh_len = SP_HDRLEN + sizeof(regs);
				h.sh_type = SP_SYSCALL;
				/*
				 * Not reboot (it ends any server), nor the
				 * calls that can wait for ever with no
				 * descriptors: poll, select, pselect, ppoll.
				 */
				do
					h.sh_num =
					    (int32_t)(random() % 1200 - 50);
				while (h.sh_num == 169 || h.sh_num == 7 ||
				       h.sh_num == 23 || h.sh_num == 270 ||
				       h.sh_num == 271);
				send(fd, &h, sizeof(h), MSG_NOSIGNAL);
				send(fd, regs, sizeof(regs), MSG_NOSIGNAL);
				REQUIRE(recv(fd, &h, sizeof(h), MSG_WAITALL) ==
				        sizeof(h));
				if (h.sh_type != SP_SYSCALL)
					break;
			}
			h.sh_len = 3;
			send(fd, &h, sizeof(h), MSG_NOSIGNAL);
			break;
		}
		default: { /* a copy request answered wrongly */
			long regs[2] = {0x10000, 0};

			raw_hello(fd);
			/* open(path at 0x10000): the server asks for it. */
			h.sh_len = SP_HDRLEN + sizeof(regs);
			h.sh_type = SP_SYSCALL;
			h.sh_num = 2;
			send(fd, &h, sizeof(h), MSG_NOSIGNAL);
			send(fd, regs, sizeof(regs), MSG_NOSIGNAL);
			REQUIRE(recv(fd, &h, sizeof(h), MSG_WAITALL) ==
			        sizeof(h));
			REQUIRE_EQ(h.sh_type, SP_COPYINSTR);
			memset(&h, 0, sizeof(h));
			h.sh_type = SP_COPYDATA;
			h.sh_len = SP_HDRLEN + (random() % 2 ? 5000 : 7);
			junk[6] = 'x';
			send(fd, &h, sizeof(h), MSG_NOSIGNAL);
			send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
			break;
		}
		}
		expect_closed(fd);
		if (i % 50 == 0)
			REQUIRE(rump_sys_getpid() > 1);
	}
	for (int tries = 0; tries < 500; tries++) {
		if (sp_count(SP_CLIENTS) == 1 &&
		    sp_count(SP_NPROCS) == nprocs &&
		    sp_count(SP_NFILES) == nfiles)
			break;
		usleep(10000);
	}
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	REQUIRE_EQ(sp_count(SP_NPROCS), nprocs);
	REQUIRE_EQ(sp_count(SP_NFILES), nfiles);
	server_halt();
}

/* -C: the client past the limit is refused with EBUSY. */
TESTCASE(max_clients)
{
	const char *opts[] = {"-C", "2", NULL};
	int status;
	pid_t child;

	server_start(opts);
	fflush(NULL);
	REQUIRE((child = rumpclient_fork()) != -1);
	if (child == 0) {
		if (rump_sys_getpid() < 2)
			_exit(1);
		_exit(0);
	}
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE_EQ(status, 0);
	/* The server ends the child's connection at its own pace. */
	for (int tries = 0; tries < 500 && sp_count(SP_CLIENTS) != 1; tries++)
		usleep(10000);
	usleep(50000);
	fflush(NULL);
	REQUIRE((child = fork()) != -1);
	if (child == 0) {
		/* Two connections are ours (the parent's and this one). */
		if (rumpclient_init() != 0)
			_exit(1);
		rumpclient_close();
		if (rumpclient_init() != 0)
			_exit(2);
		_exit(0);
	}
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE_EQ(status, 0);
	for (int tries = 0; tries < 500 && sp_count(SP_CLIENTS) != 1; tries++)
		usleep(10000);
	usleep(100000);
	{
		int fds[2];

		fds[0] = raw_connect();
		fds[1] = raw_connect();
		(void)fds;
		/* The parent's and fds[0] fill the two places. */
		raw_hello(fds[0]);
		{
			struct sp_hdr h = {.sh_len = SP_HDRLEN + 4,
			                   .sh_type = SP_HELLO,
			                   .sh_num = SP_VERSION};

			send(fds[1], &h, sizeof(h), MSG_NOSIGNAL);
			send(fds[1], "over", 4, MSG_NOSIGNAL);
			REQUIRE(recv(fds[1], &h, sizeof(h), MSG_WAITALL) ==
			        sizeof(h));
			REQUIRE_EQ(h.sh_error, EBUSY);
		}
		close(fds[0]);
		close(fds[1]);
	}
	server_halt();
}

/* rump.sysctl and rump.halt, as a user runs them. */
TESTCASE(tools)
{
	const char *opts[] = {NULL};
	char prog[256], out[8192];

	server_start(opts);
	tool_path(prog, sizeof(prog), "rump.sysctl");
	REQUIRE_EQ(run(out, sizeof(out), prog, "--help", NULL), 0);
	REQUIRE(strstr(out, "usage: rump.sysctl") != NULL);
	REQUIRE_EQ(run(out, sizeof(out), prog, "-a", NULL), 0);
	REQUIRE(strstr(out, "kern.ostype = rump\n") != NULL);
	REQUIRE(strstr(out, "hw.pagesize = 4096\n") != NULL);
	REQUIRE_EQ(
	    run(out, sizeof(out), prog, "-w", "kern.hostname=served", NULL), 0);
	REQUIRE_EQ(run(out, sizeof(out), prog, "-n", "kern.hostname", NULL), 0);
	REQUIRE(strcmp(out, "served\n") == 0);
	REQUIRE_EQ(run(out, sizeof(out), prog, "kern.ostype", NULL), 0);
	REQUIRE(strcmp(out, "kern.ostype = rump\n") == 0);
	REQUIRE_EQ(run(out, sizeof(out), prog, "kern.nosuch", NULL), 1);
	REQUIRE_EQ(run(out, sizeof(out), prog, "-w", "kern.ostype=x", NULL), 1);
	tool_path(prog, sizeof(prog), "rump.halt");
	REQUIRE_EQ(run(out, sizeof(out), prog, "--help", NULL), 0);
	REQUIRE(strstr(out, "usage: rump.halt") != NULL);
	/* -h: the kernel halts, the server stays, every call is ENXIO. */
	REQUIRE_EQ(run(out, sizeof(out), prog, "-h", NULL), 0);
	REQUIRE_ERRNO(rump_sys_getpid(), ENXIO);
	REQUIRE(kill(server, SIGTERM) == 0);
	REQUIRE(waitpid(server, NULL, 0) == server);
	unlink(sockpath);
	rmdir(dir);
}

/* Is a shared region of a server's (its memfd) open in this process? */
static bool
shm_mapped(void)
{
	char path[300], target[256];
	struct dirent *de;
	bool found = false;
	ssize_t n;
	DIR *d;

	REQUIRE((d = opendir("/proc/self/fd")) != NULL);
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		if ((n = readlink(path, target, sizeof(target) - 1)) <= 0)
			continue;
		target[n] = '\0';
		if (strstr(target, "memfd:rump_sp") != NULL)
			found = true;
	}
	closedir(d);
	return found;
}

/* SP_SHMSETUP on a raw connection: the region, mapped; its memfd. */
static struct sp_shm *
raw_shmsetup(int fd, int *mfdp)
{
	struct sp_hdr h = {.sh_len = SP_HDRLEN, .sh_type = SP_SHMSETUP};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {&h, sizeof(h)};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm;
	void *p;

	REQUIRE(send(fd, &h, sizeof(h), MSG_NOSIGNAL) == sizeof(h));
	REQUIRE(recvmsg(fd, &msg, MSG_WAITALL) == sizeof(h));
	REQUIRE_EQ(h.sh_type, SP_SHMSETUP);
	REQUIRE_EQ(h.sh_error, 0);
	REQUIRE_EQ(h.sh_arg0, SP_SHM_SIZE);
	REQUIRE((cm = CMSG_FIRSTHDR(&msg)) != NULL);
	REQUIRE_EQ(cm->cmsg_type, SCM_RIGHTS);
	memcpy(mfdp, CMSG_DATA(cm), sizeof(int));
	REQUIRE((p = mmap(NULL, SP_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	                  *mfdp, 0)) != MAP_FAILED);
	return p;
}

/* The server's turn; a byte on the socket wakes it if it sleeps. */
static void
raw_turn(struct sp_shm *s, int fd)
{
	__atomic_store_n(&s->ss_turn, SP_SHM_TURN_SERVER, __ATOMIC_SEQ_CST);
	send(fd, "", 1, MSG_NOSIGNAL);
}

/* The client's frame at the start of the region, and the server's turn. */
static void
raw_give(struct sp_shm *s, int fd, const struct sp_hdr *h, const void *payload,
         size_t plen)
{
	memcpy(s->ss_data, h, sizeof(*h));
	if (plen > 0)
		memcpy(s->ss_data + SP_HDRLEN, payload, plen);
	__atomic_store_n(&s->ss_len, (uint32_t)(SP_HDRLEN + plen),
	                 __ATOMIC_RELAXED);
	raw_turn(s, fd);
}

/* Wait (5 s at most) for the turn back; the server's frame in *h. */
static void
raw_take(struct sp_shm *s, struct sp_hdr *h)
{
	for (int i = 0; i < 500000; i++) {
		if ((__atomic_load_n(&s->ss_turn, __ATOMIC_ACQUIRE) &
		     SP_SHM_TURN_SERVER) == 0) {
			REQUIRE(s->ss_len >= SP_HDRLEN);
			memcpy(h, s->ss_data, sizeof(*h));
			return;
		}
		usleep(10);
	}
	TEST_FAIL("the server never gave the turn back");
}

/*
 * The server must end the connection by itself (our side stays open:
 * our end closing would end it anyway): EOF within 5 s.
 */
static void
expect_dropped(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char c[64];
	ssize_t n;

	/* Bytes that mean "look" may come first; unread ones, a reset. */
	do
		REQUIRE(poll(&p, 1, 5000) == 1);
	while ((n = recv(fd, c, sizeof(c), 0)) > 0);
	if (n < 0 && errno != ECONNRESET)
		TEST_FAIL("recv: %s", strerror(errno));
	close(fd);
}

/*
 * The transport: the shared region on a Unix socket unless
 * RUMPCLIENT_TRANSPORT=socket (ctest runs this program both ways), here
 * with no spin; errno untouched by a call that succeeds; the region's
 * memfd sealed, so that no client can shrink it under the server; a
 * second setup on the same connection ends it.
 */
TESTCASE(transport)
{
	const char *opts[] = {NULL}, *t = getenv("RUMPCLIENT_TRANSPORT");
	struct sp_shm *s;
	struct sp_hdr h;
	int fd, mfd;

	/* Never spin, here nor in the server: every wait sleeps. */
	setenv("RUMP_SHM_SPIN", "0", 1);
	server_start(opts);
	REQUIRE_EQ(rump_sys_getpid() > 1, 1);
	REQUIRE_EQ(shm_mapped(), t == NULL || strcmp(t, "socket") != 0);
	/* A call that succeeds leaves errno alone, whatever it took. */
	for (int i = 0; i < 1000; i++) {
		char buf[4096];

		errno = 4321;
		REQUIRE(rump_sys_getpid() > 1);
		REQUIRE(rump_sys_getcwd(buf, sizeof(buf)) > 0);
		REQUIRE_EQ(errno, 4321);
	}

	fd = raw_connect();
	raw_hello(fd);
	s = raw_shmsetup(fd, &mfd);
	REQUIRE_EQ(fcntl(mfd, F_GET_SEALS),
	           F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	REQUIRE_ERRNO(ftruncate(mfd, 4096), EPERM);
	REQUIRE_ERRNO(ftruncate(mfd, 2 * SP_SHM_SIZE), EPERM);
	/* A call by hand through the region. */
	h = (struct sp_hdr){
	    .sh_len = SP_HDRLEN, .sh_type = SP_SYSCALL, .sh_num = 39};
	raw_give(s, fd, &h, NULL, 0);
	raw_take(s, &h);
	REQUIRE_EQ(h.sh_type, SP_SYSCALL);
	REQUIRE_EQ(h.sh_error, 0);
	REQUIRE_EQ(s->ss_len, SP_HDRLEN);
	REQUIRE(h.sh_arg0 > 1 && (pid_t)h.sh_arg0 != rump_sys_getpid());
	/* Setup again: not a frame the region may carry. */
	h = (struct sp_hdr){.sh_len = SP_HDRLEN, .sh_type = SP_SHMSETUP};
	raw_give(s, fd, &h, NULL, 0);
	expect_dropped(fd);
	munmap(s, SP_SHM_SIZE);
	close(mfd);
	for (int tries = 0; tries < 500 && sp_count(SP_CLIENTS) != 1; tries++)
		usleep(10000);
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	server_halt();
}

#define NTHREADS 8
/* Past one turn of the region: copies in two chunks, copyouts flushed. */
#define BIGLEN (SP_SHM_COPYMAX + 37984)

static unsigned char
tpattern(long t, int k, size_t off)
{
	return (unsigned char)(off * 11 + (size_t)t * 101 + (size_t)k * 7 +
	                       (off >> 9));
}

static pthread_barrier_t tbarrier;

/*
 * One thread's calls, each result exact: reads and writes of 1 byte,
 * 4 KiB, 64 KiB and past the region's size, paths, getpid.  0 or the
 * step that failed.
 */
static void *
exact_thread(void *v)
{
	static const size_t sizes[] = {1, 4096, 65536, BIGLEN};
	long t = (long)(intptr_t)v;
	unsigned char *buf = malloc(BIGLEN), *back = malloc(BIGLEN);
	char name[32], cwd[64];
	struct stat st;
	intptr_t step = 0;
	int fd;

	snprintf(name, sizeof(name), "/x%ld", t);
	if (buf == NULL || back == NULL ||
	    (fd = rump_sys_open(name, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		step = 1;
	pthread_barrier_wait(&tbarrier);
	pthread_barrier_wait(&tbarrier);
	for (int k = 0; k < 40 && step == 0; k++) {
		size_t len = sizes[(size_t)(k + t) % 4];

		for (size_t off = 0; off < len; off++)
			buf[off] = tpattern(t, k, off);
		memset(back, 0, len);
		if (rump_sys_pwrite(fd, buf, len, k) != (ssize_t)len)
			step = 2;
		else if (rump_sys_pread(fd, back, len, k) != (ssize_t)len)
			step = 3;
		else if (memcmp(buf, back, len) != 0)
			step = 4;
		else if (rump_sys_stat(name, &st) != 0 ||
		         st.st_size < (off_t)len + k)
			step = 5;
		else if (rump_sys_getpid() != rumpclient_getpid())
			step = 6;
		else if (rump_sys_getcwd(cwd, sizeof(cwd)) < 0 ||
		         strcmp(cwd, "/") != 0)
			step = 7;
	}
	if (step == 0 && rump_sys_close(fd) != 0)
		step = 8;
	free(buf);
	free(back);
	return (void *)step;
}

/*
 * Eight threads of one client at once, each on its own connection (and
 * region): every result exact; while they live the server counts nine
 * remote lwps, one process.
 */
TESTCASE(threads_exact)
{
	const char *opts[] = {NULL};
	pthread_t pt[NTHREADS];
	int nprocs;
	void *step;

	server_start(opts);
	nprocs = sp_count(SP_NPROCS);
	REQUIRE(pthread_barrier_init(&tbarrier, NULL, NTHREADS + 1) == 0);
	for (long t = 0; t < NTHREADS; t++)
		REQUIRE(pthread_create(&pt[t], NULL, exact_thread,
		                       (void *)(intptr_t)t) == 0);
	pthread_barrier_wait(&tbarrier);
	REQUIRE_EQ(sp_count(SP_CLIENTS), NTHREADS + 1);
	REQUIRE_EQ(sp_count(SP_NPROCS), nprocs);
	pthread_barrier_wait(&tbarrier);
	for (int t = 0; t < NTHREADS; t++) {
		REQUIRE(pthread_join(pt[t], &step) == 0);
		if (step != NULL)
			TEST_FAIL("thread %d: step %ld", t,
			          (long)(intptr_t)step);
	}
	pthread_barrier_destroy(&tbarrier);
	for (int tries = 0; tries < 500 && sp_count(SP_CLIENTS) != 1; tries++)
		usleep(10000);
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	server_halt();
}

/*
 * Hostile clients of the shared region: garbage in the region and the
 * turn, frames whose length lies, ragged arguments, a copy request
 * answered wrongly, the region scribbled on while the server works.
 * Each such connection, and only it, is ended; the others are served,
 * and nothing of the bad ones is left.
 */
TESTCASE(shm_scribble)
{
	const char *opts[] = {NULL};
	const char *fs = getenv("FUZZ_SEED");
	unsigned seed = fs != NULL ? (unsigned)atoi(fs) : (unsigned)time(NULL);
	int fd, mfd, nprocs, nfiles;
	unsigned char junk[8192];
	struct sp_shm *s;
	struct sp_hdr h;

	server_start(opts);
	nprocs = sp_count(SP_NPROCS);
	nfiles = sp_count(SP_NFILES);
	printf("seed %u\n", seed);
	srandom(seed);
	for (int i = 0; i < 60; i++) {
		for (size_t k = 0; k < sizeof(junk); k++)
			junk[k] = (unsigned char)random();
		fd = raw_connect();
		raw_hello(fd);
		s = raw_shmsetup(fd, &mfd);
		switch (i % 6) {
		case 0: /* garbage everywhere, then the turn */
			memcpy(s, junk, sizeof(junk));
			raw_turn(s, fd);
			break;
		case 1: /* a header whose length is not the turn's */
			memcpy(&h, junk, sizeof(h));
			h.sh_type = SP_SYSCALL;
			raw_give(s, fd, &h, junk + 64, 40);
			break;
		case 2: /* ragged arguments; or a turn longer than the region */
			h = (struct sp_hdr){.sh_len = SP_HDRLEN + 13,
			                    .sh_type = SP_SYSCALL,
			                    .sh_num = 39};
			memcpy(s->ss_data + SP_HDRLEN, junk, 13);
			memcpy(s->ss_data, &h, sizeof(h));
			__atomic_store_n(&s->ss_len, h.sh_len,
			                 __ATOMIC_RELAXED);
			if (random() % 2) {
				/* The header agrees with the lie. */
				h.sh_len = ~0u - (uint32_t)i;
				memcpy(s->ss_data, &h, sizeof(h));
				__atomic_store_n(&s->ss_len, h.sh_len,
				                 __ATOMIC_RELAXED);
			}
			raw_turn(s, fd);
			break;
		case 3: { /* open(path at 0x10000), answered wrongly */
			long regs[2] = {0x10000, 0};

			h = (struct sp_hdr){.sh_len = SP_HDRLEN + sizeof(regs),
			                    .sh_type = SP_SYSCALL,
			                    .sh_num = 2};
			raw_give(s, fd, &h, regs, sizeof(regs));
			raw_take(s, &h);
			REQUIRE_EQ(h.sh_type, SP_COPYINSTR);
			REQUIRE_EQ(h.sh_arg0, 0x10000);
			h = (struct sp_hdr){.sh_len = SP_HDRLEN + 5000,
			                    .sh_type = SP_COPYDATA};
			if (random() % 2) {
				/* No NUL: random bytes might make a name. */
				h.sh_len = SP_HDRLEN + 7;
				for (int k = 0; k < 7; k++)
					junk[k] |= 1;
			}
			raw_give(s, fd, &h, junk, h.sh_len - SP_HDRLEN);
			break;
		}
		case 4: /* good calls, then a copy reply nobody asked for */
			for (int k = 0; k < 5; k++) {
				h = (struct sp_hdr){.sh_len = SP_HDRLEN,
				                    .sh_type = SP_SYSCALL,
				                    .sh_num = 39};
				raw_give(s, fd, &h, NULL, 0);
				raw_take(s, &h);
				REQUIRE_EQ(h.sh_type, SP_SYSCALL);
				REQUIRE_EQ(h.sh_error, 0);
			}
			h = (struct sp_hdr){.sh_len = SP_HDRLEN,
			                    .sh_type = SP_COPYDATA};
			raw_give(s, fd, &h, NULL, 0);
			break;
		default: /* scribbled on while the server reads and works */
			h = (struct sp_hdr){.sh_len = SP_HDRLEN,
			                    .sh_type = SP_SYSCALL,
			                    .sh_num = 39};
			raw_give(s, fd, &h, NULL, 0);
			for (int k = 0; k < 2000; k++) {
				memcpy(s->ss_data, junk + k % 4096, 64);
				__atomic_store_n(&s->ss_len, (uint32_t)k * 977,
				                 __ATOMIC_RELAXED);
				__atomic_store_n(&s->ss_turn, (uint32_t)k,
				                 __ATOMIC_RELAXED);
			}
			memcpy(s->ss_data, junk, 64);
			__atomic_store_n(&s->ss_len, 64, __ATOMIC_RELAXED);
			raw_turn(s, fd);
			break;
		}
		expect_dropped(fd);
		munmap(s, SP_SHM_SIZE);
		close(mfd);
		if (i % 10 == 0)
			REQUIRE(rump_sys_getpid() > 1);
	}
	for (int tries = 0; tries < 500; tries++) {
		if (sp_count(SP_CLIENTS) == 1 &&
		    sp_count(SP_NPROCS) == nprocs &&
		    sp_count(SP_NFILES) == nfiles)
			break;
		usleep(10000);
	}
	REQUIRE_EQ(sp_count(SP_CLIENTS), 1);
	REQUIRE_EQ(sp_count(SP_NPROCS), nprocs);
	REQUIRE_EQ(sp_count(SP_NFILES), nfiles);
	server_halt();
}

/* A server on the same socket again, after the last one was killed. */
static void
server_restart(void)
{
	char prog[256];
	int status;

	REQUIRE(waitpid(server, &status, 0) == server);
	unlink(sockpath);
	tool_path(prog, sizeof(prog), "rump_server");
	fflush(NULL);
	REQUIRE((server = fork()) != -1);
	if (server == 0) {
		usleep(300000); /* the client tries, and waits, meanwhile */
		execl(prog, prog, "-s", url, (char *)NULL);
		_exit(127);
	}
}

/*
 * rumpclient_setconnretry(): a call that finds the server gone connects
 * to the next one on the same socket (a new process: the old kernel's
 * descriptors are EBADF, its files gone); a call the death interrupted
 * is EIO; ONCE reconnects one time only; DIE exits.
 */
TESTCASE(reconnect)
{
	const char *opts[] = {NULL};
	int fd, pfd[2], status;
	pid_t child;
	char c;

	server_start(opts);
	REQUIRE_OK(fd = rump_sys_open("/old", O_RDWR | O_CREAT, 0644));
	rumpclient_setconnretry(10);
	REQUIRE(kill(server, SIGKILL) == 0);
	server_restart();
	REQUIRE(rump_sys_getpid() > 1);
	REQUIRE_ERRNO(rump_sys_write(fd, "x", 1), EBADF);
	REQUIRE_ERRNO(rump_sys_access("/old", F_OK), ENOENT);

	/* Killed during a call: that call is EIO, the next reconnects. */
	REQUIRE_OK(rump_sys_pipe(pfd));
	fflush(NULL);
	if ((child = fork()) == 0) {
		usleep(200000);
		kill(server, SIGKILL);
		_exit(0);
	}
	REQUIRE_ERRNO(rump_sys_read(pfd[0], &c, 1), EIO);
	REQUIRE(waitpid(child, NULL, 0) == child);
	server_restart();
	REQUIRE(rump_sys_getpid() > 1);
	REQUIRE_ERRNO(rump_sys_close(pfd[0]), EBADF);

	/* ONCE: one reconnection, then no more. */
	rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE);
	REQUIRE(kill(server, SIGKILL) == 0);
	REQUIRE(waitpid(server, &status, 0) == server);
	unlink(sockpath);
	/* Nobody listens: the one attempt fails, and that was the once. */
	REQUIRE_ERRNO(rump_sys_getpid(), ENOTCONN);
	server = 0;
	{
		char prog[256];

		tool_path(prog, sizeof(prog), "rump_server");
		fflush(NULL);
		REQUIRE((server = fork()) != -1);
		if (server == 0) {
			execl(prog, prog, "-s", url, (char *)NULL);
			_exit(127);
		}
	}
	for (int i = 0; i < 500 && access(sockpath, F_OK) != 0; i++)
		usleep(10000);
	usleep(50000);
	REQUIRE_ERRNO(rump_sys_getpid(), ENOTCONN);
	REQUIRE_OK(rumpclient_init());
	REQUIRE(rump_sys_getpid() > 1);

	/* DIE: the client exits when it finds the connection lost. */
	fflush(NULL);
	REQUIRE((child = fork()) != -1);
	if (child == 0) {
		rumpclient_close();
		if (rumpclient_init() != 0)
			_exit(2);
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_DIE);
		for (;;) {
			rump_sys_getpid();
			usleep(1000);
		}
	}
	usleep(100000);
	REQUIRE(kill(server, SIGKILL) == 0);
	REQUIRE(waitpid(child, &status, 0) == child);
	REQUIRE(WIFEXITED(status));
	REQUIRE_EQ(WEXITSTATUS(status), EXIT_FAILURE);
	rumpclient_setconnretry(0);
	server_restart();
	REQUIRE_ERRNO(rump_sys_getpid(), ENOTCONN);
	for (int i = 0; i < 500 && rumpclient_init() != 0; i++)
		usleep(10000);
	REQUIRE(rump_sys_getpid() > 1);
	server_halt();
}

/*
 * Large writes: the shared region's read-ahead (a block-sized copyin
 * fetches the next 64 KiB as far as readable) must stop at unmapped
 * memory and never serve a call stale bytes: a buffer that ends at a
 * hole, one that runs into it, the same buffer changed between calls.
 */
TESTCASE(write_read_ahead)
{
	const char *opts[] = {NULL};
	size_t pg = 4096, len = 16 * 4096;
	unsigned char *base, back[16 * 4096];
	int fd;

	server_start(opts);
	REQUIRE((base = mmap(NULL, 20 * pg, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) !=
	        MAP_FAILED);
	REQUIRE(munmap(base + len, 4 * pg) == 0);
	REQUIRE_OK(fd = rump_sys_open("/ra", O_RDWR | O_CREAT, 0644));
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < len; i++)
			base[i] = (unsigned char)(i * 13 + (size_t)round * 71);
		/* Ends at the hole: all of it, exactly. */
		REQUIRE_EQ(rump_sys_pwrite(fd, base, len, 0), (ssize_t)len);
		memset(back, 0, sizeof(back));
		REQUIRE_EQ(rump_sys_pread(fd, back, len, 0), (ssize_t)len);
		REQUIRE(memcmp(back, base, len) == 0);
		/* The last block alone, then a piece of it. */
		REQUIRE_EQ(rump_sys_pwrite(fd, base + len - pg, pg, 0),
		           (ssize_t)pg);
		REQUIRE_EQ(rump_sys_pread(fd, back, pg, 0), (ssize_t)pg);
		REQUIRE(memcmp(back, base + len - pg, pg) == 0);
	}
	/* Runs into the hole: what was readable is written, as Linux does. */
	REQUIRE_EQ(rump_sys_pwrite(fd, base + 2 * pg, len, 0),
	           (ssize_t)(len - 2 * pg));
	REQUIRE_EQ(rump_sys_pread(fd, back, len, 0), (ssize_t)len);
	REQUIRE(memcmp(back, base + 2 * pg, len - 2 * pg) == 0);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, base + len, pg, 0), EFAULT);
	REQUIRE_OK(rump_sys_close(fd));
	munmap(base, len);
	server_halt();
}

int main_cases(int argc, char **argv);

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child(atoi(argv[2]), (pid_t)atoi(argv[3]));
	return main_cases(argc, argv);
}

#define main main_cases
TESTS(CASE_NOBOOT(ffs_many_clients), CASE_NOBOOT(fork_exec_process),
      CASE_NOBOOT(pointer_arguments), CASE_NOBOOT(threads),
      CASE_NOBOOT(kernel_eio_keeps_process), CASE_NOBOOT(tcp_loopback),
      CASE_NOBOOT(peer_credentials), CASE_NOBOOT(killed_clients_leak_nothing),
      CASE_NOBOOT(killed_in_fifo_open), CASE_NOBOOT(server_dies),
      CASE_NOBOOT(fuzz_frames), CASE_NOBOOT(max_clients), CASE_NOBOOT(tools),
      CASE_NOBOOT(transport), CASE_NOBOOT(threads_exact),
      CASE_NOBOOT(shm_scribble), CASE_NOBOOT(reconnect),
      CASE_NOBOOT(write_read_ahead))
