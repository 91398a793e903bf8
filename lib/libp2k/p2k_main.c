/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A daemon's life: p2k_init (fork, boot), p2k_setup_fs (mount in the
 * kernel, then on the host), p2k_mainloop (serve, then take both mounts
 * down), and p2k_main, the command line of every rump_<fs> daemon.
 *
 * The kernel's threads do not survive fork(2), so the daemon forks before
 * it boots: the parent only waits on a pipe.  The child reports "serving"
 * with one byte once the host mount is in place, and the parent exits 0;
 * a child that fails prints why on the still-shared stderr and exits, and
 * the parent exits with its status.  So a missing image or a bad mount
 * point is one line and a non-zero exit, as a foreground run gives.
 *
 * The FUSE session is libfuse's low-level one (p2k_vnops.c): requests
 * name nodes, not paths.  Before serving, the descriptor table the
 * workers share (the main thread's kernel process's) may grow to 2^20
 * descriptors, since every node the host knows holds one.
 *
 * The end: libfuse's loop returns when the host unmounts (fusermount3 -u)
 * or on SIGINT, SIGTERM or SIGHUP (its handlers), after its worker threads
 * are joined; each thread's kernel process ended with it.  The nodes and
 * what the host left open are closed, and the kernel file system is
 * unmounted, which writes everything back and marks it clean.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>
#include <rump/ukfs.h>

#include "p2k_private.h"

static int
p2k_fail(struct p2k_mount *p2m, const char *what, int error)
{
	snprintf(p2m->p2m_errbuf, sizeof(p2m->p2m_errbuf), "%s", what);
	p2m->p2m_errstr = p2m->p2m_errbuf;
	return error;
}

const char *
p2k_errstr(struct p2k_mount *p2m)
{
	return p2m->p2m_errstr != NULL ? p2m->p2m_errstr : "p2k";
}

/* The parent's side of the fork: wait for the child's word. */
static void
p2k_wait_child(pid_t pid, int fd)
{
	char c;
	ssize_t n;
	int status;

	while ((n = read(fd, &c, 1)) == -1 && errno == EINTR)
		continue;
	if (n == 1)
		_exit(0);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		_exit(WEXITSTATUS(status));
	_exit(1);
}

/*
 * The heap for a stream of 1 MiB requests.  The kernel's buffers are
 * allocated by the worker serving a request and freed by whichever
 * thread writes them back or reclaims them; with an arena per thread,
 * each arena's heap grows and shrinks all the time, and every growth
 * is an mprotect(2) that stops the other threads' page faults, and
 * every new page a fault and a clearing.  So: two arenas, heaps that
 * grow 16 MiB at a time and give memory back only past 64 MiB free,
 * and blocks up to 4 MiB (a request and its buffers) from the heap,
 * not mmap(2).  In paired runs (perf stat on the daemon, 512 MiB
 * written with fsync through FUSE) this took 12-14% off the daemon's
 * CPU time and 40% of its page faults; reads were unchanged.
 */
static void
p2k_malloc_setup(void)
{
	mallopt(M_ARENA_MAX, 2);
	mallopt(M_TOP_PAD, 16 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

struct p2k_mount *
p2k_init(int flags, const char *fuseopts)
{
	struct p2k_mount *p2m;
	int fds[2], error;
	pid_t pid;

	if ((p2m = calloc(1, sizeof(*p2m))) == NULL)
		return NULL;
	if (flags & P2K_DEBUG)
		flags |= P2K_FOREGROUND;
	p2m->p2m_flags = flags;
	p2m->p2m_readyfd = -1;
	if (fuseopts != NULL && (p2m->p2m_fuseopts = strdup(fuseopts)) == NULL)
		goto fail;
	if (!(flags & P2K_FOREGROUND)) {
		if (pipe(fds) == -1)
			goto fail;
		if ((pid = fork()) == -1) {
			close(fds[0]);
			close(fds[1]);
			goto fail;
		}
		if (pid != 0) {
			close(fds[1]);
			p2k_wait_child(pid, fds[0]);
		}
		close(fds[0]);
		p2m->p2m_readyfd = fds[1];
		setsid();
	}
	p2k_malloc_setup();
	if ((error = rump_init()) != 0) {
		errno = error;
		goto fail;
	}
	return p2m;

fail:
	error = errno;
	if (p2m->p2m_readyfd != -1)
		close(p2m->p2m_readyfd);
	free(p2m->p2m_fuseopts);
	free(p2m);
	errno = error;
	return NULL;
}

/* Append s to an option string, with FUSE's escapes for ',' and '\'. */
static void
p2k_optcat(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	for (; *s != '\0' && len + 2 < size; s++) {
		if (*s == ',' || *s == '\\')
			buf[len++] = '\\';
		buf[len++] = *s;
	}
	buf[len] = '\0';
}

/*
 * Read-ahead: the host gives a FUSE mount the default window (128 KiB)
 * and lets a daemon lower it, not raise it, so sequential reads come in
 * 128 KiB requests.  The window is a property of the mount's backing
 * device, /sys/class/bdi/MAJ:MIN/read_ahead_kb, which root may set; the
 * device numbers are the mount's line in /proc/self/mountinfo.  It must
 * be set after FUSE's INIT (which sets it again), so it is done at the
 * first read.  A daemon that is not root keeps the default.
 */
/* Whether a mount point as mountinfo writes it (octal escapes) is path. */
static bool
p2k_mountinfo_eq(const char *field, const char *path)
{
	while (*field != '\0' && *field != '\n') {
		if (field[0] == '\\' && field[1] >= '0' && field[1] <= '3' &&
		    field[2] >= '0' && field[2] <= '7' &&
		    field[3] >= '0' && field[3] <= '7') {
			if (*path++ != (char)((field[1] - '0') * 64 +
			    (field[2] - '0') * 8 + (field[3] - '0')))
				return false;
			field += 4;
		} else if (*field++ != *path++)
			return false;
	}
	return *path == '\0';
}

static void
p2k_readahead_once(struct p2k_mount *p2m)
{
	char line[8192], path[64], *f[5], *save;
	unsigned maj, min;
	FILE *fp;
	int i, fd;

	if ((fp = fopen("/proc/self/mountinfo", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		/* id parent MAJ:MIN root mountpoint ... */
		f[0] = strtok_r(line, " ", &save);
		for (i = 1; i < 5 && f[i - 1] != NULL; i++)
			f[i] = strtok_r(NULL, " ", &save);
		if (i < 5 || f[4] == NULL || sscanf(f[2], "%u:%u", &maj,
		    &min) != 2 || !p2k_mountinfo_eq(f[4], p2m->p2m_mountpath))
			continue;
		snprintf(path, sizeof(path),
		    "/sys/class/bdi/%u:%u/read_ahead_kb", maj, min);
		if ((fd = open(path, O_WRONLY)) != -1) {
			(void)!write(fd, "1024\n", 5);
			close(fd);
		}
		break;
	}
	fclose(fp);
}

void
p2k_readahead(struct p2k_mount *p2m)
{
	if (!__atomic_load_n(&p2m->p2m_radone, __ATOMIC_RELAXED) &&
	    !__atomic_exchange_n(&p2m->p2m_radone, true, __ATOMIC_RELAXED))
		p2k_readahead_once(p2m);
}

/*
 * Hold the kernel's file system at kpath by an O_PATH descriptor, as the
 * root node, and let the shared descriptor table grow.  A file system
 * whose root answers a read of its access ACL other than EOPNOTSUPP
 * has POSIX ACLs.
 */
static int
p2k_setup_root(struct p2k_mount *p2m, const char *kpath)
{
	struct rlimit rl = { .rlim_cur = 1 << 20, .rlim_max = 1 << 20 };
	struct xattr_args args;
	struct stat st;
	int fd;

	if (rump_sys_setrlimit(RLIMIT_NOFILE, &rl) == -1)
		return errno;
	if ((fd = rump_sys_open(kpath, O_PATH | O_DIRECTORY, 0)) == -1)
		return errno;
	if (rump_sys_fstat(fd, &st) == -1) {
		rump_sys_close(fd);
		return errno;
	}
	p2k_note_fd(p2m, fd);
	p2k_node_init(p2m, (uint64_t)st.st_ino, fd);
	args.value = 0;
	args.size = args.flags = 0;
	p2m->p2m_acl = rump_sys_getxattrat(fd, "", AT_EMPTY_PATH,
	    "system.posix_acl_access", &args, sizeof(args)) != -1 ||
	    errno != EOPNOTSUPP;
	return 0;
}

int
p2k_setup_mounted(struct p2k_mount *p2m, const char *kpath,
    const char *mountpath, const char *fsname, const char *subtype)
{
	char opts[PATH_MAX * 2 + 512] = "fsname=";
	char *argv[4];
	struct fuse_args args;
	int argc = 0, error;

	if (strlen(kpath) >= sizeof(p2m->p2m_kpath) ||
	    strlen(mountpath) >= sizeof(p2m->p2m_mountpath))
		return p2k_fail(p2m, kpath, ENAMETOOLONG);
	strcpy(p2m->p2m_mountpath, mountpath);
	strcpy(p2m->p2m_kpath, kpath);
	p2k_thread_setroot(p2m->p2m_kpath);
	if ((error = p2k_setup_root(p2m, kpath)) != 0)
		return p2k_fail(p2m, kpath, error);

	p2k_optcat(opts, sizeof(opts), fsname);
	strcat(opts, ",subtype=");
	p2k_optcat(opts, sizeof(opts), subtype);
	if (p2m->p2m_fuseopts != NULL && strlen(opts) +
	    strlen(p2m->p2m_fuseopts) + 2 < sizeof(opts)) {
		strcat(opts, ",");
		strcat(opts, p2m->p2m_fuseopts);
	}
	argv[argc++] = (char *)"p2k";
	argv[argc++] = (char *)"-o";
	argv[argc++] = opts;
	if (p2m->p2m_flags & P2K_DEBUG)
		argv[argc++] = (char *)"-d";
	args = (struct fuse_args)FUSE_ARGS_INIT(argc, argv);
	p2m->p2m_writeback = (p2m->p2m_flags & P2K_NOWRITEBACK) == 0;
	p2m->p2m_se = fuse_session_new(&args, &p2k_ll_ops, sizeof(p2k_ll_ops),
	    p2m);
	fuse_opt_free_args(&args);
	if (p2m->p2m_se == NULL)
		return p2k_fail(p2m, "FUSE options", EINVAL);
	/* libfuse prints its reason; errno is the last failure's, if any. */
	errno = 0;
	if (fuse_session_mount(p2m->p2m_se, mountpath) != 0) {
		error = errno != 0 ? errno : EIO;
		fuse_session_destroy(p2m->p2m_se);
		p2m->p2m_se = NULL;
		snprintf(opts, sizeof(opts), "%s: cannot mount through FUSE",
		    mountpath);
		return p2k_fail(p2m, opts, error);
	}
	return 0;
}

int
p2k_setup_fs(struct p2k_mount *p2m, const char *vfsname, const char *devpath,
    const char *mountpath, int mntflags, void *arg, size_t alen)
{
	char what[PATH_MAX + 64];

	if (devpath != NULL) {
		/* An image, or a partition of one (image:N), via libukfs. */
		p2m->p2m_ukfs = ukfs_mount(vfsname, devpath, P2K_KMNT, mntflags,
		    arg, alen);
		if (p2m->p2m_ukfs == NULL) {
			snprintf(what, sizeof(what), "%s: cannot mount as %s",
			    devpath, vfsname);
			return p2k_fail(p2m, what, errno);
		}
	} else {
		if (rump_sys_mkdir(P2K_KDIR, 0755) == -1 && errno != EEXIST)
			return p2k_fail(p2m, P2K_KDIR, errno);
		if (rump_sys_mkdir(P2K_KMNT, 0755) == -1 && errno != EEXIST)
			return p2k_fail(p2m, P2K_KMNT, errno);
		if (rump_sys_mount(vfsname, P2K_KMNT, mntflags, arg,
		    alen) == -1) {
			snprintf(what, sizeof(what), "cannot mount %s",
			    vfsname);
			return p2k_fail(p2m, what, errno);
		}
		p2m->p2m_kmounted = true;
	}
	return p2k_setup_mounted(p2m, P2K_KMNT, mountpath,
	    devpath != NULL ? devpath : vfsname, vfsname);
}

/* Tell the waiting parent the daemon serves, and leave the terminal. */
static void
p2k_detach(struct p2k_mount *p2m)
{
	int fd;

	if (p2m->p2m_readyfd == -1)
		return;
	(void)!write(p2m->p2m_readyfd, "", 1);
	close(p2m->p2m_readyfd);
	p2m->p2m_readyfd = -1;
	if (chdir("/") == -1)
		return;
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

/* Unmount the kernel's file system; files left open are closed first. */
static int
p2k_kunmount(struct p2k_mount *p2m)
{
	int fd;

	p2k_thread_release();
	for (fd = 0; fd <= p2m->p2m_maxfd; fd++)
		rump_sys_close(fd);
	if (p2m->p2m_root.pn_nlookup != 0)
		p2k_node_fini(p2m);
	if (p2m->p2m_ukfs != NULL) {
		if (ukfs_release(p2m->p2m_ukfs, 0) == 0)
			return 0;
		if (errno == EBUSY &&
		    ukfs_release(p2m->p2m_ukfs, UKFS_RELFLAG_FORCE) == 0)
			return 0;
		return p2k_fail(p2m, "unmount", errno);
	}
	if (!p2m->p2m_kmounted)
		return 0;
	if (rump_sys_unmount(p2m->p2m_kpath, 0) == 0)
		return 0;
	if (errno == EBUSY && rump_sys_unmount(p2m->p2m_kpath, MNT_FORCE) == 0)
		return 0;
	return p2k_fail(p2m, "unmount", errno);
}

void
p2k_abort(struct p2k_mount *p2m)
{
	if (p2m->p2m_se != NULL) {
		fuse_session_unmount(p2m->p2m_se);
		fuse_session_destroy(p2m->p2m_se);
	}
	(void)p2k_kunmount(p2m);
	if (p2m->p2m_readyfd != -1)
		close(p2m->p2m_readyfd);
	free(p2m->p2m_fuseopts);
	free(p2m);
}

int
p2k_mainloop(struct p2k_mount *p2m)
{
	struct fuse_session *se = p2m->p2m_se;
	struct fuse_loop_config *cfg;
	int error = 0, rv;

	if (fuse_set_signal_handlers(se) != 0) {
		error = p2k_fail(p2m, "signal handlers", errno);
		goto out;
	}
	p2k_detach(p2m);
	if (p2m->p2m_flags & P2K_SINGLETHREAD)
		rv = fuse_session_loop(se);
	else if ((cfg = fuse_loop_cfg_create()) == NULL)
		rv = -ENOMEM;
	else {
		/*
		 * A descriptor of /dev/fuse per thread, and threads that
		 * stay: each one's kernel process is made once.
		 */
		fuse_loop_cfg_set_clone_fd(cfg, 1);
		fuse_loop_cfg_set_max_threads(cfg, P2K_MAXTHREADS);
		fuse_loop_cfg_set_idle_threads(cfg, P2K_MAXTHREADS);
		rv = fuse_session_loop_mt(se, cfg);
		fuse_loop_cfg_destroy(cfg);
	}
	/* A signal ends the loop with its (positive) number: no failure. */
	if (rv < 0)
		error = p2k_fail(p2m, "FUSE loop", -rv);
	fuse_remove_signal_handlers(se);
out:
	fuse_session_unmount(se);
	fuse_session_destroy(se);
	rv = p2k_kunmount(p2m);
	if (error == 0)
		error = rv;
	free(p2m->p2m_fuseopts);
	free(p2m);
	return error;
}

static void
p2k_usage(FILE *fp, const char *prog, int needimage)
{
	fprintf(fp, "usage: %s [-o ro,...] [-f] [-d] [-s] %smountpoint\n",
	    prog, needimage ? "image[:part] " : "");
}

static void
p2k_help(const char *prog, const char *vfsname, int needimage)
{
	p2k_usage(stdout, prog, needimage);
	printf("\nServe %s%s on mountpoint through FUSE; the file\n"
	    "system runs in a rump kernel inside this process.\n\n"
	    "  -f            stay in the foreground\n"
	    "  -d            print each FUSE request (implies -f)\n"
	    "  -s            serve one request at a time\n"
	    "  -o ro         mount read-only\n"
	    "  -o noatime    do not update access times\n"
	    "  -o sync       write synchronously\n"
	    "  -o nowriteback  the host writes through, with no writeback "
	    "cache\n"
	    "  -o OPTION     other options go to FUSE (allow_other, "
	    "default_permissions,\n"
	    "                fsname=, max_read= ...; see mount.fuse3(8))\n"
	    "  -h, --help    this help\n\n"
	    "Unmount with fusermount3 -u mountpoint, or send SIGINT or "
	    "SIGTERM.\n", needimage ? "the file system in image as " : "",
	    vfsname);
}

/* The -o options that are also the kernel's mount flags. */
static int
p2k_mntflags(const char *opts)
{
	static const struct {
		const char *name;
		int flag;
	} tab[] = {
		{ "ro", MS_RDONLY },
		{ "noatime", MS_NOATIME },
		{ "sync", MS_SYNCHRONOUS },
		{ "nosuid", MS_NOSUID },
		{ "nodev", MS_NODEV },
		{ "noexec", MS_NOEXEC },
	};
	const char *p, *e;
	size_t i, len;
	int flags = 0;

	for (p = opts; p != NULL && *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchrnul(p, ',');
		len = (size_t)(e - p);
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (strlen(tab[i].name) == len &&
			    strncmp(p, tab[i].name, len) == 0)
				flags |= tab[i].flag;
		if (len == 2 && strncmp(p, "rw", 2) == 0)
			flags &= ~MS_RDONLY;
	}
	return flags;
}

/*
 * Resolve path into abs (the daemon leaves its working directory); an
 * image must not be a directory, a mount point must be one.  An image
 * that is not there as named may be image:part.
 */
static int
p2k_checkpath(const char *path, char *abs, bool dir)
{
	struct stat st;

	char host[PATH_MAX];
	const char *colon;
	size_t len;

	if (!dir && stat(path, &st) == -1 &&
	    (colon = strrchr(path, ':')) != NULL && colon[1] != '\0' &&
	    (size_t)(colon - path) < sizeof(host)) {
		memcpy(host, path, (size_t)(colon - path));
		host[colon - path] = '\0';
		if (realpath(host, abs) == NULL || stat(abs, &st) == -1)
			return errno;
		len = strlen(abs);
		if (len + strlen(colon) >= PATH_MAX)
			return ENAMETOOLONG;
		strcpy(abs + len, colon);
		return S_ISDIR(st.st_mode) ? EISDIR : 0;
	}
	if (realpath(path, abs) == NULL || stat(abs, &st) == -1)
		return errno;
	if (dir && !S_ISDIR(st.st_mode))
		return ENOTDIR;
	if (!dir && S_ISDIR(st.st_mode))
		return EISDIR;
	return 0;
}

/* Take every name out of the option string opts; whether there was one. */
static bool
p2k_takeopt(char *opts, const char *name)
{
	size_t len = strlen(name);
	bool found = false;
	char *p = opts, *e;

	while (p != NULL && *p != '\0') {
		e = strchrnul(p, ',');
		if ((size_t)(e - p) != len || strncmp(p, name, len) != 0) {
			p = *e != '\0' ? e + 1 : e;
			continue;
		}
		found = true;
		if (*e == ',') {
			memmove(p, e + 1, strlen(e + 1) + 1);
			continue;
		}
		/* The last option: the string ends before it. */
		*(p > opts ? p - 1 : p) = '\0';
		break;
	}
	return found;
}

/* Join -o arguments into one option string. */
static int
p2k_addopts(char **opts, const char *more)
{
	char *n;

	if (*opts == NULL)
		n = strdup(more);
	else if (asprintf(&n, "%s,%s", *opts, more) == -1)
		n = NULL;
	if (n == NULL)
		return -1;
	free(*opts);
	*opts = n;
	return 0;
}

int
p2k_main(int argc, char **argv, const char *vfsname, int needimage)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prog = program_invocation_short_name;
	char mnt[PATH_MAX], image[PATH_MAX] = "";
	struct p2k_mount *p2m;
	char *opts = NULL;
	const char *msg;
	size_t len;
	int c, flags = 0, error;

	while ((c = getopt_long(argc, argv, "+fdso:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			flags |= P2K_FOREGROUND;
			break;
		case 'd':
			flags |= P2K_DEBUG;
			break;
		case 's':
			flags |= P2K_SINGLETHREAD;
			break;
		case 'o':
			if (p2k_addopts(&opts, optarg) == -1) {
				fprintf(stderr, "%s: %s\n", prog,
				    strerror(errno));
				return 1;
			}
			break;
		case 'h':
			p2k_help(prog, vfsname, needimage);
			return 0;
		default:
			p2k_usage(stderr, prog, needimage);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != (needimage ? 2 : 1)) {
		p2k_usage(stderr, prog, needimage);
		return 1;
	}
	if (opts != NULL && p2k_takeopt(opts, "nowriteback"))
		flags |= P2K_NOWRITEBACK;
	if (needimage && (error = p2k_checkpath(argv[0], image, false)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[0], strerror(error));
		return 1;
	}
	if ((error = p2k_checkpath(argv[argc - 1], mnt, true)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[argc - 1],
		    strerror(error));
		return 1;
	}

	if ((p2m = p2k_init(flags, opts)) == NULL) {
		fprintf(stderr, "%s: cannot start: %s\n", prog,
		    strerror(errno));
		return 1;
	}
	error = p2k_setup_fs(p2m, vfsname, needimage ? image : NULL, mnt,
	    p2k_mntflags(opts), NULL, 0);
	free(opts);
	if (error != 0) {
		/* Name the image as the user did. */
		msg = p2k_errstr(p2m);
		len = strlen(image);
		if (needimage && strncmp(msg, image, len) == 0 &&
		    msg[len] == ':' && msg[len + 1] == ' ')
			fprintf(stderr, "%s: %s%s: %s\n", prog, argv[0],
			    msg + len, strerror(error));
		else
			fprintf(stderr, "%s: %s: %s\n", prog, msg,
			    strerror(error));
		p2k_abort(p2m);
		return 1;
	}
	if ((error = p2k_mainloop(p2m)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[argc - 1],
		    strerror(error));
		return 1;
	}
	return 0;
}
