/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Disk file systems side by side in one run, each on a fresh image file
 * of the same size, one after another:
 *   rump ffs   our FFS (UFS2 made by makefs) through the library API,
 *              the image a block device of the rump kernel (etfs)
 *   rump ext2  our ext2fs the same way (mke2fs -t ext2 -b 4096 -I 256)
 *   host       the host kernel's ext2 through a loop mount (as root
 *              only): the physical anchor both are compared with
 *   fuse2fs    e2fsprogs' FUSE driver (when installed and /dev/fuse works)
 *   rump ext4  our ext2fs on mke2fs -t ext4's defaults (extents, 64bit,
 *              flex_bg, metadata_csum...), with its journal (data=ordered)
 *   host ext4, fuse2fs ext4   the same two peers on that kind of image
 *              (the host's journal on, as it mounts by default)
 * Workloads: a file of SEQ MiB (1024, less when the temporary directory
 * is short; BENCH_DISK_MB overrides) written in 1 MiB requests up to the
 * end of its fsync, then read back after an unmount and a mount; NFILES
 * (100,000; BENCH_DISK_FILES) files of 100 bytes created in 100
 * directories, then stat'ed; an archive of /usr/include extracted by
 * the extractor below through each side's calls, up to the end of a
 * sync, then checked; NFSYNC appends of 4 KiB to one file, each
 * fsync'd.  BENCH_DISK_SIDES, a list of column names
 * ("ffs,ext2,host,fuse2fs,ext4,host4,fuse2fs4"), runs only those.  Each
 * side runs in a child process, so that a panic or an error of our
 * kernel is reported for that side and the others still run.  Prints a
 * Markdown report.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>
#include <rump/ufs_args.h>

#define NDIRS 100
#define SMALL 100                       /* bytes in each small file */
#define BS (1 << 20)
#define PATHLEN 4096
#define TREE "/usr/include"             /* on every Debian build machine */
#define CHECK_EVERY 16                  /* regular files read back */

enum { W_WRITE, W_READ, W_CREATE, W_STAT, W_UNTAR, W_FSYNC, NWORK };

static const char *const wname[NWORK] = { "sequential write",
	"sequential read (cold)", "create", "stat", "untar",
	"4 KiB write + fsync" };

#define NFSYNC 500                      /* rounds of W_FSYNC */

/* What a side's child process hands back, in memory shared with it. */
struct result {
	double rate[NWORK];             /* MiB/s or files/s */
	double secs[NWORK];
	double cpu[NWORK];              /* CPU seconds of the side's process */
	int ndone;                      /* workloads done */
	char skip[128];                 /* why it could not run */
	char fail[768];                 /* what failed, and why */
};

struct side {
	const char *name;               /* its column */
	const char *id;                 /* its name in BENCH_DISK_SIDES */
	const char *fs;                 /* its image: "ffs" or "ext2" */
	const char *type;               /* ours: the mount type */
	const char *key;                /* ours: the block device */
	int (*setup)(struct side *);
	int (*mount)(struct side *);
	int (*unmount)(struct side *);
	int (*sync)(struct side *);
	int (*open)(const char *, int, mode_t);
	int (*close)(int);
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*write)(int, const void *, size_t);
	int (*fsync)(int);
	int (*mkdir)(const char *, mode_t);
	int (*symlink)(const char *, const char *);
	int (*link)(const char *, const char *);
	int (*stat)(const char *, struct stat *);
	int (*lstat)(const char *, struct stat *);
	const char *skip;               /* known before it runs */
	char img[PATHLEN];
	char root[PATHLEN];
	pid_t daemon;                   /* fuse2fs */
	struct result *r;
};

struct tarcount {
	long files, dirs, symlinks, hardlinks;
	uint64_t bytes;
};

enum { TAR_COUNT, TAR_EXTRACT, TAR_CHECK };

static char tmpdir[1024];               /* short: paths are made in it */
static const char *tmpbase;             /* where it is, for the report */
static uint64_t seq_mb = 1024;
static int nfiles = 100000;
static uint64_t img_mb;                 /* every image's size */
static unsigned long ninodes;           /* and its inodes */
static unsigned char *tarbuf;           /* the archive, in memory */
static size_t tarlen;
static struct tarcount tarc;            /* what it holds */
static volatile pid_t child;            /* the side running */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds this process has used, all its threads, user and system. */
static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Run a command (no shell: paths need no quoting); its exit status. */
static int
run_cmd(const char *const argv[], int quiet)
{
	pid_t pid;
	int st, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (quiet && (fd = open("/dev/null", O_WRONLY)) != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Whether a host directory has a file system mounted on it. */
static int
mounted(const char *dir)
{
	char parent[2 * PATHLEN];
	struct stat a, b;

	snprintf(parent, sizeof(parent), "%s/..", dir);
	return stat(dir, &a) == 0 && stat(parent, &b) == 0 &&
	    a.st_dev != b.st_dev;
}

/* Unmount whatever is left under the temporary directory, remove it. */
static void
cleanup(void)
{
	static const char *const sub[] = { "host", "fuse" };
	char dir[PATHLEN + 8];

	if (tmpdir[0] == '\0')
		return;
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", tmpdir, sub[i]);
		if (!mounted(dir))
			continue;
		(void)run_cmd((const char *const[]){ "fusermount3", "-u", dir,
		    NULL }, 1);
		if (mounted(dir))
			(void)run_cmd((const char *const[]){ "umount", dir,
			    NULL }, 1);
		if (mounted(dir))
			(void)run_cmd((const char *const[]){ "umount", "-l",
			    dir, NULL }, 1);
	}
	/* Never into a mount left behind: only the image files. */
	(void)run_cmd((const char *const[]){ "rm", "-rf", "--one-file-system",
	    tmpdir, NULL }, 1);
	tmpdir[0] = '\0';
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "bench_disk: %s: %s\n", what, why);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	cleanup();
	exit(1);
}

/* Interrupted: the side's process goes, and what it left. */
static void
on_signal(int sig)
{
	(void)sig;
	die("interrupted", "cleaning up");
}

/*
 * A side's failure: the workload, what failed and why (error an errno
 * value, or 0).  The side stops there; the report shows it.
 */
static int
fail(struct side *s, int error, const char *fmt, ...)
{
	struct result *r = s->r;
	size_t n;
	va_list ap;

	n = (size_t)snprintf(r->fail, sizeof(r->fail), "%s: ",
	    wname[r->ndone < NWORK ? r->ndone : NWORK - 1]);
	va_start(ap, fmt);
	if (n < sizeof(r->fail))
		n += (size_t)vsnprintf(r->fail + n, sizeof(r->fail) - n, fmt,
		    ap);
	va_end(ap);
	if (error != 0 && n < sizeof(r->fail))
		snprintf(r->fail + n, sizeof(r->fail) - n, ": %s",
		    strerror(error));
	return -1;
}

/*
 * The calls of each side.  Ours are the rump kernel's system calls; the
 * host's and fuse2fs's are the host's.
 */
static int
host_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags, mode);
}

static int
host_setup(struct side *s)
{
	(void)s;
	umask(0);                       /* the archive's modes as they are */
	return 0;
}

static int
host_sync(struct side *s)
{
	int fd, rv;

	if ((fd = open(s->root, O_RDONLY | O_DIRECTORY)) == -1)
		return -1;
	rv = syncfs(fd);
	close(fd);
	return rv;
}

static int
loop_mount(struct side *s)
{
	if (run_cmd((const char *const[]){ "mount", "-o", "loop", "-t", s->fs,
	    s->img, s->root, NULL }, 1) != 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int
loop_unmount(struct side *s)
{
	if (run_cmd((const char *const[]){ "umount", s->root, NULL }, 0) !=
	    0) {
		errno = EBUSY;
		return -1;
	}
	return 0;
}

/* fuse2fs in the foreground, as our child: its exit is its last write. */
static int
fuse_mount(struct side *s)
{
	int fd;

	if ((s->daemon = fork()) == -1)
		return -1;
	if (s->daemon == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("fuse2fs", "fuse2fs", "-f", "-o", "fakeroot", s->img,
		    s->root, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 3000 && !mounted(s->root); i++) {
		if (waitpid(s->daemon, NULL, WNOHANG) == s->daemon) {
			s->daemon = 0;
			errno = EIO;
			return -1;
		}
		usleep(10000);
	}
	if (!mounted(s->root)) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

static int
fuse_unmount(struct side *s)
{
	if (run_cmd((const char *const[]){ "fusermount3", "-u", s->root,
	    NULL }, 1) != 0 &&
	    run_cmd((const char *const[]){ "fusermount", "-u", s->root,
	    NULL }, 0) != 0) {
		errno = EBUSY;
		return -1;
	}
	while (waitpid(s->daemon, NULL, 0) == -1 && errno == EINTR)
		;
	s->daemon = 0;
	return 0;
}

static int
rump_setup(struct side *s)
{
	int error;

	if ((error = rump_init()) != 0)
		return fail(s, error, "rump_init");
	if ((error = rump_pub_etfs_register(s->key, s->img,
	    RUMP_ETFS_BLK)) != 0)
		return fail(s, error, "etfs_register %s", s->img);
	if (rump_sys_mkdir(s->root, 0755) == -1)
		return fail(s, errno, "mkdir %s", s->root);
	rump_sys_umask(0);
	return 0;
}

static int
rump_mount(struct side *s)
{
	struct ufs_args args = { .fspec = (char *)s->key };

	return rump_sys_mount(s->type, s->root, 0, &args, sizeof(args));
}

static int
rump_unmount(struct side *s)
{
	return rump_sys_unmount(s->root, 0);
}

static int
rump_sync(struct side *s)
{
	(void)s;
	return rump_sys_sync();
}

/* rump_sys_open is variadic, as open(2) is: .open wants three arguments. */
static int
rump_open(const char *path, int flags, mode_t mode)
{
	return rump_sys_open(path, flags, mode);
}

static int
rump_stat(const char *path, struct stat *sb)
{
	return rump_sys_stat(path, sb);
}

static int
rump_lstat(const char *path, struct stat *sb)
{
	return rump_sys_lstat(path, sb);
}

#define HOST_CALLS .setup = host_setup, .sync = host_sync,                   \
	.open = host_open, .close = close, .read = read, .write = write,       \
	.fsync = fsync, .mkdir = mkdir, .symlink = symlink, .link = link,      \
	.stat = stat, .lstat = lstat

#define RUMP_CALLS .setup = rump_setup, .mount = rump_mount,                 \
	.unmount = rump_unmount, .sync = rump_sync, .open = rump_open,         \
	.close = rump_sys_close, .read = rump_sys_read,                        \
	.write = rump_sys_write, .fsync = rump_sys_fsync,                      \
	.mkdir = rump_sys_mkdir, .symlink = rump_sys_symlink,                  \
	.link = rump_sys_link, .stat = rump_stat, .lstat = rump_lstat,         \

static struct side sides[] = {
	{ .name = "rump ffs", .id = "ffs", .fs = "ffs", .type = "ffs", .key = "/dev/ffs",
	  .root = "/ffs", RUMP_CALLS },
	{ .name = "rump ext2", .id = "ext2", .fs = "ext2", .type = "ext2fs",
	  .key = "/dev/ext2", .root = "/ext2", RUMP_CALLS },
	{ .name = "host ext2 (loop)", .id = "host", .fs = "ext2", .mount = loop_mount,
	  .unmount = loop_unmount, HOST_CALLS },
	{ .name = "fuse2fs", .id = "fuse2fs", .fs = "ext2", .mount = fuse_mount,
	  .unmount = fuse_unmount, HOST_CALLS },
	{ .name = "rump ext4", .id = "ext4", .fs = "ext4", .type = "ext2fs",
	  .key = "/dev/ext4", .root = "/ext4", RUMP_CALLS },
	{ .name = "host ext4 (loop)", .id = "host4", .fs = "ext4",
	  .mount = loop_mount,
	  .unmount = loop_unmount, HOST_CALLS },
	{ .name = "fuse2fs ext4", .id = "fuse2fs4", .fs = "ext4",
	  .mount = fuse_mount,
	  .unmount = fuse_unmount, HOST_CALLS },
};
#define NSIDES (sizeof(sides) / sizeof(sides[0]))
enum { S_FFS, S_EXT2, S_HOST, S_FUSE, S_EXT4, S_HOST4, S_FUSE4 };

/*
 * The extractor: ustar headers (POSIX, with the prefix field) and GNU
 * ones (long names in 'L' and 'K' records before their entry).  Regular
 * files, directories, symbolic and hard links are made with their mode;
 * the rest (owners, times, devices, pax records) is ignored.  TAR_COUNT
 * only counts; TAR_CHECK looks at what TAR_EXTRACT made: every entry's
 * type, mode and size, and every CHECK_EVERY'th file's bytes.
 */
static uint64_t
tar_num(const unsigned char *f, size_t len)
{
	uint64_t v = 0;
	size_t i = 0;

	if (f[0] & 0x80) {              /* GNU base-256: too big for octal */
		v = f[0] & 0x3f;
		for (i = 1; i < len; i++)
			v = v << 8 | f[i];
		return v;
	}
	while (i < len && f[i] == ' ')
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
		v = v << 3 | (uint64_t)(f[i] - '0');
	return v;
}

static int
tar_sum_ok(const unsigned char *h)
{
	uint64_t sum = 0;

	for (int i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	return sum == tar_num(h + 148, 8);
}

/* A header's string field, which may fill it without a NUL. */
static void
tar_str(char *dst, const unsigned char *f, size_t len)
{
	size_t n = strnlen((const char *)f, len);

	memcpy(dst, f, n);
	dst[n] = '\0';
}

/*
 * The name under the extraction directory: no "./", no leading or
 * trailing "/"; "" for that directory itself, NULL for a name with a
 * ".." component (it would climb out).
 */
static char *
tar_clean(char *nm)
{
	size_t n;

	for (;;) {
		if (nm[0] == '/')
			nm++;
		else if (nm[0] == '.' && nm[1] == '/')
			nm += 2;
		else
			break;
	}
	n = strlen(nm);
	while (n > 0 && nm[n - 1] == '/')
		nm[--n] = '\0';
	if (strcmp(nm, ".") == 0)
		return nm + 1;
	for (const char *p = nm;; p++) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return NULL;
		if ((p = strchr(p, '/')) == NULL)
			break;
	}
	return nm;
}

/* A bad archive: while counting it is the bench's error, else the side's. */
static int
tar_bad(struct side *s, const char *what, const char *name)
{
	char msg[PATHLEN + 64];

	if (s != NULL)
		return fail(s, 0, "archive: %s: %s", what, name);
	snprintf(msg, sizeof(msg), "%s: %s", what, name);
	die("archive of " TREE, msg);
	return -1;
}

static int
tar_write_file(struct side *s, const char *path, mode_t mode,
    const unsigned char *data, uint64_t size)
{
	ssize_t n;
	int fd;

	if ((fd = s->open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) == -1)
		return fail(s, errno, "create %s", path);
	for (uint64_t off = 0; off < size; off += (uint64_t)n)
		if ((n = s->write(fd, data + off, size - off)) <= 0) {
			fail(s, n == 0 ? EIO : errno, "write %s", path);
			s->close(fd);
			return -1;
		}
	if (s->close(fd) == -1)
		return fail(s, errno, "close %s", path);
	return 0;
}

/* The file's bytes read back through the side, against the archive's. */
static int
tar_read_back(struct side *s, const char *path, const unsigned char *data,
    uint64_t size)
{
	static char buf[BS];
	uint64_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = s->open(path, O_RDONLY, 0)) == -1)
		return fail(s, errno, "check: open %s", path);
	while ((n = s->read(fd, buf, sizeof(buf))) > 0) {
		if (off + (uint64_t)n > size ||
		    memcmp(buf, data + off, (size_t)n) != 0) {
			s->close(fd);
			return fail(s, 0, "check: %s: bytes at %llu differ "
			    "from the archive's", path,
			    (unsigned long long)off);
		}
		off += (uint64_t)n;
	}
	s->close(fd);
	if (n == -1)
		return fail(s, errno, "check: read %s", path);
	if (off != size)
		return fail(s, 0, "check: %s: read %llu bytes, the archive "
		    "has %llu", path, (unsigned long long)off,
		    (unsigned long long)size);
	return 0;
}

/* One entry checked: what is there, is it what the archive says? */
static int
tar_check(struct side *s, int type, const char *path, const char *link,
    mode_t mode, const unsigned char *data, uint64_t size, long nth)
{
	struct stat sb;
	mode_t want;

	if (s->lstat(path, &sb) == -1)
		return fail(s, errno, "check: lstat %s", path);
	want = type == '5' ? S_IFDIR : type == '2' ? S_IFLNK : S_IFREG;
	if ((sb.st_mode & S_IFMT) != want)
		return fail(s, 0, "check: %s: type %o, the archive's %o", path,
		    sb.st_mode & S_IFMT, want);
	/* Permissions: a set-group-ID directory may pass its bit on. */
	if (type != '2' && (sb.st_mode & 0777) != (mode & 0777))
		return fail(s, 0, "check: %s: mode %o, the archive's %o", path,
		    sb.st_mode & 0777, mode & 0777);
	switch (type) {
	case '1':
		if (sb.st_nlink < 2)
			return fail(s, 0, "check: %s: %lu links", path,
			    (unsigned long)sb.st_nlink);
		break;
	case '2':
		if ((uint64_t)sb.st_size != strlen(link))
			return fail(s, 0, "check: %s: link of %lld bytes, the "
			    "archive's %zu", path, (long long)sb.st_size,
			    strlen(link));
		break;
	case '5':
		break;
	default:
		if ((uint64_t)sb.st_size != size)
			return fail(s, 0, "check: %s: %lld bytes, the "
			    "archive's %llu", path, (long long)sb.st_size,
			    (unsigned long long)size);
		if (nth % CHECK_EVERY == 0 &&
		    tar_read_back(s, path, data, size) != 0)
			return -1;
		break;
	}
	return 0;
}

static int
untar(struct side *s, const char *dir, int op, struct tarcount *tc)
{
	static const unsigned char zero[512];
	static char longname[PATHLEN], longlink[PATHLEN];
	char name[PATHLEN], link[PATHLEN], path[2 * PATHLEN + 2];
	char target[2 * PATHLEN + 2];
	const unsigned char *p = tarbuf, *end = tarbuf + tarlen, *h, *data;
	char *nm, *ln;
	uint64_t size, adv;
	mode_t mode;
	int type, rv;

	memset(tc, 0, sizeof(*tc));
	longname[0] = longlink[0] = '\0';
	while (end - p >= 512 && memcmp(p, zero, 512) != 0) {
		h = p;
		if (!tar_sum_ok(h))
			return tar_bad(s, "bad header checksum", "");
		size = tar_num(h + 124, 12);
		data = h + 512;
		if (size > (uint64_t)(end - data))
			return tar_bad(s, "truncated", "");
		adv = (size + 511) & ~(uint64_t)511;
		p = adv > (uint64_t)(end - data) ? end : data + adv;
		type = h[156];
		if (type == 'L' || type == 'K') {
			char *d = type == 'L' ? longname : longlink;

			if (size >= PATHLEN)
				return tar_bad(s, "long name too long", "");
			tar_str(d, data, (size_t)size);
			continue;
		}
		/* Its name: a GNU long name, or the prefix and the name. */
		if (longname[0] != '\0')
			snprintf(name, sizeof(name), "%s", longname);
		else if (memcmp(h + 257, "ustar", 6) == 0 && h[345] != '\0') {
			tar_str(name, h + 345, 155);
			strcat(name, "/");
			tar_str(name + strlen(name), h, 100);
		} else
			tar_str(name, h, 100);
		if (longlink[0] != '\0')
			snprintf(link, sizeof(link), "%s", longlink);
		else
			tar_str(link, h + 157, 100);
		longname[0] = longlink[0] = '\0';
		if ((nm = tar_clean(name)) == NULL)
			return tar_bad(s, "name climbs out", name);
		if (*nm == '\0')
			continue;       /* the directory extracted into */
		mode = (mode_t)tar_num(h + 100, 8) & 07777;
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		rv = 0;
		switch (type) {
		case '0':
		case '\0':
		case '7':               /* contiguous: a regular file */
			tc->files++;
			tc->bytes += size;
			if (op == TAR_EXTRACT)
				rv = tar_write_file(s, path, mode, data, size);
			else if (op == TAR_CHECK)
				rv = tar_check(s, '0', path, link, mode, data,
				    size, tc->files);
			break;
		case '1':
			if ((ln = tar_clean(link)) == NULL || *ln == '\0')
				return tar_bad(s, "bad hard link", link);
			tc->hardlinks++;
			snprintf(target, sizeof(target), "%s/%s", dir, ln);
			if (op == TAR_EXTRACT && s->link(target, path) == -1)
				rv = fail(s, errno, "link %s to %s", path,
				    target);
			else if (op == TAR_CHECK)
				rv = tar_check(s, type, path, link, mode, data,
				    0, 0);
			break;
		case '2':
			tc->symlinks++;
			if (op == TAR_EXTRACT && s->symlink(link, path) == -1)
				rv = fail(s, errno, "symlink %s", path);
			else if (op == TAR_CHECK)
				rv = tar_check(s, type, path, link, mode, data,
				    0, 0);
			break;
		case '5':
			tc->dirs++;
			if (op == TAR_EXTRACT && s->mkdir(path, mode) == -1)
				rv = fail(s, errno, "mkdir %s", path);
			else if (op == TAR_CHECK)
				rv = tar_check(s, type, path, link, mode, data,
				    0, 0);
			break;
		default:                /* devices, fifos, pax records */
			break;
		}
		if (rv != 0)
			return -1;
	}
	return 0;
}

/* Workload w took its time for amount (MiB or files): its rate. */
static void
done(struct side *s, int w, double amount)
{
	s->r->rate[w] = amount / s->r->secs[w];
	s->r->ndone++;
}

/* The workloads, in order, on the mounted side. */
static int
workloads(struct side *s)
{
	struct result *r = s->r;
	char path[PATHLEN + 64], seq[PATHLEN + 8];
	struct tarcount tc;
	struct stat sb;
	char small[SMALL];
	double t0, c0;
	ssize_t n;
	char *buf;
	int fd;

	if ((buf = malloc(BS)) == NULL)
		return fail(s, errno, "malloc");
	memset(buf, 0x5a, BS);
	snprintf(seq, sizeof(seq), "%s/seq", s->root);
	if ((fd = s->open(seq, O_CREAT | O_EXCL | O_WRONLY, 0644)) == -1)
		return fail(s, errno, "create %s", seq);
	t0 = now();
	c0 = cpu();
	for (uint64_t i = 0; i < seq_mb; i++)
		if ((n = s->write(fd, buf, BS)) != BS)
			return fail(s, n == -1 ? errno : EIO, "write %s", seq);
	if (s->fsync(fd) == -1)
		return fail(s, errno, "fsync %s", seq);
	r->secs[W_WRITE] = now() - t0;
	r->cpu[W_WRITE] = cpu() - c0;
	if (s->close(fd) == -1)
		return fail(s, errno, "close %s", seq);
	done(s, W_WRITE, (double)seq_mb);

	/* Cold: nothing of the file is left in the file system's cache. */
	if (s->unmount(s) == -1)
		return fail(s, errno, "unmount %s", s->root);
	if (s->mount(s) == -1)
		return fail(s, errno, "mount %s again", s->root);
	if ((fd = s->open(seq, O_RDONLY, 0)) == -1)
		return fail(s, errno, "open %s", seq);
	t0 = now();
	c0 = cpu();
	for (uint64_t i = 0; i < seq_mb; i++)
		if ((n = s->read(fd, buf, BS)) != BS)
			return fail(s, n == -1 ? errno : EIO, "read %s", seq);
	r->secs[W_READ] = now() - t0;
	r->cpu[W_READ] = cpu() - c0;
	s->close(fd);
	if (buf[0] != 0x5a || buf[BS - 1] != 0x5a)
		return fail(s, 0, "%s: not the bytes written", seq);
	free(buf);
	done(s, W_READ, (double)seq_mb);

	for (int d = 0; d < NDIRS; d++) {
		snprintf(path, sizeof(path), "%s/d%02d", s->root, d);
		if (s->mkdir(path, 0755) == -1)
			return fail(s, errno, "mkdir %s", path);
	}
	memset(small, 'x', sizeof(small));
	t0 = now();
	c0 = cpu();
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/d%02d/f%07d", s->root,
		    i % NDIRS, i);
		if ((fd = s->open(path, O_CREAT | O_EXCL | O_WRONLY,
		    0644)) == -1)
			return fail(s, errno, "create %s", path);
		if ((n = s->write(fd, small, SMALL)) != SMALL)
			return fail(s, n == -1 ? errno : EIO, "write %s",
			    path);
		if (s->close(fd) == -1)
			return fail(s, errno, "close %s", path);
	}
	r->secs[W_CREATE] = now() - t0;
	r->cpu[W_CREATE] = cpu() - c0;
	done(s, W_CREATE, nfiles);

	t0 = now();
	c0 = cpu();
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/d%02d/f%07d", s->root,
		    i % NDIRS, i);
		if (s->stat(path, &sb) == -1)
			return fail(s, errno, "stat %s", path);
		if (sb.st_size != SMALL)
			return fail(s, 0, "%s: %lld bytes, not %d", path,
			    (long long)sb.st_size, SMALL);
	}
	r->secs[W_STAT] = now() - t0;
	r->cpu[W_STAT] = cpu() - c0;
	done(s, W_STAT, nfiles);

	snprintf(path, sizeof(path), "%s/src", s->root);
	if (s->mkdir(path, 0755) == -1)
		return fail(s, errno, "mkdir %s", path);
	/* What create left unwritten is not the untar's to write. */
	if (s->sync(s) == -1)
		return fail(s, errno, "sync");
	t0 = now();
	c0 = cpu();
	if (untar(s, path, TAR_EXTRACT, &tc) != 0)
		return -1;
	if (s->sync(s) == -1)
		return fail(s, errno, "sync");
	r->secs[W_UNTAR] = now() - t0;
	r->cpu[W_UNTAR] = cpu() - c0;
	if (untar(s, path, TAR_CHECK, &tc) != 0)
		return -1;
	if (tc.files != tarc.files || tc.bytes != tarc.bytes)
		return fail(s, 0, "check: %ld files of %llu bytes, the "
		    "archive has %ld of %llu", tc.files,
		    (unsigned long long)tc.bytes, tarc.files,
		    (unsigned long long)tarc.bytes);
	done(s, W_UNTAR, (double)tarc.files);

	/* A log's appends: each made durable before the next. */
	if ((buf = malloc(4096)) == NULL)
		return fail(s, errno, "malloc");
	memset(buf, 0x33, 4096);
	snprintf(path, sizeof(path), "%s/log", s->root);
	if ((fd = s->open(path, O_CREAT | O_EXCL | O_WRONLY, 0644)) == -1)
		return fail(s, errno, "create %s", path);
	t0 = now();
	c0 = cpu();
	for (int i = 0; i < NFSYNC; i++) {
		if ((n = s->write(fd, buf, 4096)) != 4096)
			return fail(s, n == -1 ? errno : EIO, "write %s", path);
		if (s->fsync(fd) == -1)
			return fail(s, errno, "fsync %s", path);
	}
	r->secs[W_FSYNC] = now() - t0;
	r->cpu[W_FSYNC] = cpu() - c0;
	free(buf);
	if (s->close(fd) == -1)
		return fail(s, errno, "close %s", path);
	done(s, W_FSYNC, NFSYNC);
	return 0;
}

/* The side's child process: mount, work, unmount. */
static void
side_main(struct side *s)
{
	if (s->setup(s) != 0)
		return;
	if (s->mount(s) == -1) {
		if (s->key != NULL)
			fail(s, errno, "mount %s on %s", s->img, s->root);
		else if (s->mount == loop_mount)
			snprintf(s->r->skip, sizeof(s->r->skip),
			    "the host could not loop-mount the ext2 image");
		else
			snprintf(s->r->skip, sizeof(s->r->skip),
			    "fuse2fs could not mount the image");
		return;
	}
	if (workloads(s) != 0) {
		(void)s->unmount(s);
		return;
	}
	if (s->unmount(s) == -1)
		fail(s, errno, "unmount %s", s->root);
}

/* A fresh image for the side, its writes on the disk before any timing. */
static void
make_image(struct side *s)
{
	char size[32], dens[96], inodes[32], empty[PATHLEN + 8];
	int fd, rv;

	snprintf(s->img, sizeof(s->img), "%s/%s.img", tmpdir, s->fs);
	snprintf(size, sizeof(size), "%llum", (unsigned long long)img_mb);
	if (strcmp(s->fs, "ffs") == 0) {
		snprintf(empty, sizeof(empty), "%s/empty", tmpdir);
		snprintf(dens, sizeof(dens), "version=2,bsize=32768,"
		    "fsize=4096,density=%llu",
		    (unsigned long long)((img_mb << 20) / ninodes));
		rv = run_cmd((const char *const[]){ "makefs", "-t", "ffs",
		    "-o", dens, "-s", size, s->img, empty, NULL }, 1);
	} else {
		snprintf(inodes, sizeof(inodes), "%lu", ninodes);
		rv = run_cmd((const char *const[]){ "mke2fs", "-q", "-F",
		    "-t", s->fs, "-b", "4096", "-I", "256", "-N", inodes,
		    s->img, size, NULL }, 1);
	}
	if (rv != 0)
		die(strcmp(s->fs, "ffs") == 0 ? "makefs" : "mke2fs", s->img);
	if ((fd = open(s->img, O_RDWR)) == -1 || fsync(fd) == -1)
		die(s->img, strerror(errno));
	close(fd);
}

static void
run_side(struct side *s, unsigned limit)
{
	struct result *r = s->r;
	pid_t pid;
	int st;

	if (s->skip != NULL) {
		snprintf(r->skip, sizeof(r->skip), "%s", s->skip);
		return;
	}
	make_image(s);
	if (s->root[0] != '/') {
		snprintf(s->root, sizeof(s->root), "%s/%s", tmpdir,
		    s->mount == loop_mount ? "host" : "fuse");
		if (mkdir(s->root, 0755) == -1 && errno != EEXIST)
			die(s->root, strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		die("fork", strerror(errno));
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		alarm(limit);           /* a hang is a failure too */
		side_main(s);
		_exit(0);
	}
	child = pid;
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			die("waitpid", strerror(errno));
	child = 0;
	if (r->fail[0] == '\0' && r->skip[0] == '\0' && r->ndone < NWORK) {
		if (WIFSIGNALED(st))
			snprintf(r->fail, sizeof(r->fail), "%s: killed by "
			    "signal %d (%s)%s", wname[r->ndone], WTERMSIG(st),
			    strsignal(WTERMSIG(st)), WTERMSIG(st) == SIGALRM ?
			    ", the side's time limit" : "");
		else
			snprintf(r->fail, sizeof(r->fail), "%s: exited with "
			    "status %d", wname[r->ndone], WEXITSTATUS(st));
	}
	if (r->fail[0] != '\0')
		fprintf(stderr, "bench_disk: %s: %s\n", s->name, r->fail);
	/* Should the side have left its mount, it goes now. */
	if (s->key == NULL && mounted(s->root)) {
		(void)run_cmd((const char *const[]){ "fusermount3", "-u",
		    s->root, NULL }, 1);
		if (mounted(s->root))
			(void)run_cmd((const char *const[]){ "umount", "-l",
			    s->root, NULL }, 1);
	}
	unlink(s->img);
}

/* Whether the comma-separated list holds word. */
static int
in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p != NULL; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

/* The archive of the tree, made once and kept in memory. */
static void
load_tree(void)
{
	char tarpath[PATHLEN + 16];
	struct stat sb;
	ssize_t n;
	int fd, rv;

	snprintf(tarpath, sizeof(tarpath), "%s/src.tar", tmpdir);
	/* 1: a file changed while read; the archive is still whole. */
	rv = run_cmd((const char *const[]){ "tar", "--format=gnu", "-cf",
	    tarpath, "-C", TREE, ".", NULL }, 1);
	if (rv != 0 && rv != 1)
		die("tar -cf of " TREE, "failed");
	if ((fd = open(tarpath, O_RDONLY)) == -1 || fstat(fd, &sb) == -1)
		die(tarpath, strerror(errno));
	tarlen = (size_t)sb.st_size;
	if ((tarbuf = malloc(tarlen)) == NULL)
		die("malloc", strerror(errno));
	for (size_t off = 0; off < tarlen; off += (size_t)n)
		if ((n = read(fd, tarbuf + off, tarlen - off)) <= 0)
			die(tarpath, n == 0 ? "short read" : strerror(errno));
	close(fd);
	unlink(tarpath);
	(void)untar(NULL, "", TAR_COUNT, &tarc);
	if (tarc.files == 0)
		die("archive of " TREE, "no regular files");
}

/* Image size (MiB) for a file of seq MiB and the rest of the work. */
static uint64_t
image_mb(uint64_t seq)
{
	uint64_t mb;

	mb = seq + ((uint64_t)nfiles * 4096 >> 20) + (tarlen >> 20) * 3 / 2 +
	    256;
	mb += mb / 8;                   /* the blocks kept for root */
	return (mb + 63) & ~(uint64_t)63;
}

static const char *
num(char *buf, size_t len, double v)
{
	char d[32];
	size_t n, j = 0;

	if (v < 100) {
		snprintf(buf, len, "%.1f", v);
		return buf;
	}
	snprintf(d, sizeof(d), "%.0f", v);
	n = strlen(d);
	for (size_t i = 0; i < n && j + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = d[i];
	}
	buf[j] = '\0';
	return buf;
}

static void
ratio_cell(const struct side *a, const struct side *b, int w, double goal,
    int strict)
{
	double q;

	if (a->r->ndone <= w || b->r->ndone <= w) {
		printf(" | -");
		return;
	}
	q = a->r->rate[w] / b->r->rate[w];
	if (goal <= 0) {
		printf(" | %.2f", q);
		return;
	}
	printf(" | %.2f %s", q, (strict ? q > goal : q >= goal) ? "met" :
	    "MISSED");
}

static void
report(void)
{
	static const char *const unit[NWORK] = { "MiB/s", "MiB/s", "files/s",
		"files/s", "files/s", "fsyncs/s" };
	const struct side *ffs = &sides[S_FFS], *ext2 = &sides[S_EXT2];
	char b[64];

	printf("## Disk file systems (bench_disk)\n\n");
	printf("Each file system on a fresh image file of %llu MiB with "
	    "%lu inodes in %s's file system, one after the other: *rump ffs* "
	    "is our FFS (UFS2, `makefs -t ffs -o version=2,bsize=32768,"
	    "fsize=4096,density=%llu`) and *rump ext2* our ext2fs (`mke2fs "
	    "-t ext2 -b 4096 -I 256 -N %lu`), both through the library "
	    "API with the image a block device of the rump kernel, *rump "
	    "ext4* the same on `mke2fs -t ext4`'s defaults (extents, "
	    "64bit, flex_bg, metadata_csum; its journal written, "
	    "data=ordered); *host ext2* and *host ext4* are the host "
	    "kernel's on the same kinds of image through a loop device (ext4 "
	    "with its journal, data=ordered); *fuse2fs* is e2fsprogs' FUSE "
	    "driver on them. Timed: *write*, a %llu MiB file in 1 MiB requests up to the "
	    "end of its fsync; *read*, the same file after an unmount and a "
	    "mount (the image file itself stays in the host's page cache for "
	    "every side alike: this measures the file systems, not the "
	    "virtual disk); *create*, %d files in %d directories, each "
	    "open(O_CREAT|O_EXCL), %d bytes written, close, with no sync; "
	    "*stat*, a stat of each; *untar*, the extraction of an archive "
	    "of %s held in memory (%ld files of %.1f MiB, %ld directories, "
	    "%ld symbolic links) by the bench's own extractor through each "
	    "side's calls, from a sync (untimed) of what create left to the "
	    "end of a sync (ours: rump_sys_sync; host and fuse2fs: "
	    "syncfs), in files/s; every entry is checked "
	    "afterwards (type, mode, size; every %dth file's bytes); *4 KiB "
	    "write + fsync*, %d appends to one file, each fsync'd, in "
	    "fsyncs/s. Every "
	    "side's fsync and sync take the image to the disk (ours: a "
	    "host fdatasync of it).\n\n", (unsigned long long)img_mb, ninodes, tmpbase,
	    (unsigned long long)((img_mb << 20) / ninodes), ninodes,
	    (unsigned long long)seq_mb, nfiles, NDIRS, SMALL, TREE,
	    tarc.files, (double)tarc.bytes / (1 << 20), tarc.dirs,
	    tarc.symlinks, CHECK_EVERY, NFSYNC);
	printf("| workload");
	for (size_t i = 0; i < NSIDES; i++)
		printf(" | %s", sides[i].name);
	printf(" |\n|---");
	for (size_t i = 0; i < NSIDES; i++)
		printf("|---");
	printf("|\n");
	for (int w = 0; w < NWORK; w++) {
		printf("| %s", wname[w]);
		for (size_t i = 0; i < NSIDES; i++) {
			const struct result *r = sides[i].r;

			if (r->skip[0] != '\0')
				printf(" | skipped");
			else if (r->ndone > w)
				printf(" | %s %s", num(b, sizeof(b),
				    r->rate[w]), unit[w]);
			else if (r->fail[0] != '\0' && r->ndone == w)
				printf(" | failed");
			else
				printf(" | -");
		}
		printf(" |\n");
	}
	printf("\nCPU time of each side's process in each workload, user "
	    "and system, in seconds (ours: all of it, the kernel's threads "
	    "too; the host's and fuse2fs's: only the calls' own, not the "
	    "host kernel's writeback and loop threads nor the FUSE daemon, "
	    "so compare ours with ours):\n\n");
	printf("| workload");
	for (size_t i = 0; i < NSIDES; i++)
		printf(" | %s", sides[i].name);
	printf(" |\n|---");
	for (size_t i = 0; i < NSIDES; i++)
		printf("|---");
	printf("|\n");
	for (int w = 0; w < NWORK; w++) {
		printf("| %s", wname[w]);
		for (size_t i = 0; i < NSIDES; i++) {
			const struct result *r = sides[i].r;

			if (r->skip[0] == '\0' && r->ndone > w)
				printf(" | %.3f", r->cpu[w]);
			else
				printf(" | -");
		}
		printf(" |\n");
	}
	printf("\nRatios of throughput (> 1: ours is faster). Goals: "
	    "sequential I/O at least 0.8 of the host, fsync at least 0.5, "
	    "create, stat and untar faster than the host, ahead of fuse2fs "
	    "everywhere.\n\n");
	printf("| workload | goal against the host | ffs / host | "
	    "ext2 / host | ext2 / fuse2fs (goal > 1) | ext4 / host ext4 | "
	    "ext4 / fuse2fs ext4 (goal > 1) | ext4 / ext2 (ours, no goal) "
	    "|\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (int w = 0; w < NWORK; w++) {
		int seqio = w == W_WRITE || w == W_READ;
		double goal = seqio ? 0.8 : w == W_FSYNC ? 0.5 : 1;
		int strict = !seqio && w != W_FSYNC;

		printf("| %s | %s %.1f", wname[w], strict ? ">" : ">=", goal);
		ratio_cell(ffs, &sides[S_HOST], w, goal, strict);
		ratio_cell(ext2, &sides[S_HOST], w, goal, strict);
		ratio_cell(ext2, &sides[S_FUSE], w, 1, 1);
		ratio_cell(&sides[S_EXT4], &sides[S_HOST4], w, goal, strict);
		ratio_cell(&sides[S_EXT4], &sides[S_FUSE4], w, 1, 1);
		ratio_cell(&sides[S_EXT4], ext2, w, 0, 0);
		printf(" |\n");
	}
	printf("\n");
	for (size_t i = 0; i < NSIDES; i++) {
		const struct result *r = sides[i].r;

		if (r->skip[0] != '\0')
			printf("\n%s skipped: %s.\n", sides[i].name, r->skip);
		else if (r->fail[0] != '\0')
			printf("\n%s FAILED in %s.\n", sides[i].name, r->fail);
	}
}

int
main(int argc, char **argv)
{
	struct result *res;
	struct statvfs sv;
	const char *e;
	uint64_t room;
	int have_mke2fs, have_makefs;

	if (argc > 1) {
		printf("usage: %s\nOur FFS and ext2fs against the host's ext2 "
		    "(loop mount, as root) and fuse2fs, on image files.\n"
		    "Environment: BENCH_DISK_MB (sequential file, MiB), "
		    "BENCH_DISK_FILES (small files), BENCH_DISK_SIDES (those "
		    "to run, of ffs,ext2,host,fuse2fs,ext4), TMPDIR.\n",
		    argv[0]);
		return strcmp(argv[1], "--help") == 0 ? 0 : 1;
	}
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin", 1);
	have_mke2fs = system("mke2fs -V >/dev/null 2>&1") == 0;
	have_makefs = system("command -v makefs >/dev/null 2>&1") == 0;
	if (!have_mke2fs && !have_makefs) {
		printf("## Disk file systems (bench_disk)\n\nSkipped: neither "
		    "makefs nor mke2fs (e2fsprogs) is installed.\n");
		return 0;
	}
	if ((e = getenv("BENCH_DISK_MB")) != NULL &&
	    (seq_mb = strtoull(e, NULL, 10)) == 0)
		die("BENCH_DISK_MB", "not a size in MiB");
	if ((e = getenv("BENCH_DISK_FILES")) != NULL &&
	    (nfiles = atoi(e)) <= 0)
		die("BENCH_DISK_FILES", "not a number of files");
	if ((tmpbase = getenv("TMPDIR")) == NULL || *tmpbase == '\0')
		tmpbase = "/tmp";
	if ((size_t)snprintf(tmpdir, sizeof(tmpdir), "%s/bench_disk-XXXXXX",
	    tmpbase) >= sizeof(tmpdir)) {
		tmpdir[0] = '\0';
		die("TMPDIR", "too long");
	}
	if (mkdtemp(tmpdir) == NULL) {
		tmpdir[0] = '\0';
		die("mkdtemp", strerror(errno));
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	{
		char empty[PATHLEN + 8];

		snprintf(empty, sizeof(empty), "%s/empty", tmpdir);
		if (mkdir(empty, 0755) == -1)
			die(empty, strerror(errno));
	}
	load_tree();
	/* One image at a time must fit; else a smaller file. */
	if (statvfs(tmpdir, &sv) == 0) {
		room = (uint64_t)sv.f_bavail * sv.f_frsize >> 20;
		while (seq_mb > 64 && image_mb(seq_mb) + 256 > room)
			seq_mb /= 2;
		if (image_mb(seq_mb) + 256 > room)
			die(tmpdir, "no room for an image");
	}
	img_mb = image_mb(seq_mb);
	/* As dense as makefs's density=8192, or more if the work needs it. */
	ninodes = (unsigned long)nfiles + 1024 +
	    2 * (unsigned long)(tarc.files + tarc.dirs + tarc.symlinks);
	if (ninodes < (unsigned long)((img_mb << 20) / 8192))
		ninodes = (unsigned long)((img_mb << 20) / 8192);

	res = mmap(NULL, NSIDES * sizeof(*res), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		die("mmap", strerror(errno));
	memset(res, 0, NSIDES * sizeof(*res));
	for (size_t i = 0; i < NSIDES; i++)
		sides[i].r = &res[i];
	if (!have_makefs)
		sides[S_FFS].skip = "makefs not installed";
	if (!have_mke2fs)
		sides[S_EXT2].skip = sides[S_HOST].skip = sides[S_FUSE].skip =
		    sides[S_EXT4].skip = sides[S_HOST4].skip =
		    sides[S_FUSE4].skip = "mke2fs (e2fsprogs) not installed";
	if ((e = getenv("BENCH_DISK_SIDES")) != NULL)
		for (size_t i = 0; i < NSIDES; i++)
			if (!in_list(e, sides[i].id))
				sides[i].skip = "not in BENCH_DISK_SIDES";
	if (sides[S_HOST].skip == NULL && geteuid() != 0)
		sides[S_HOST].skip = "not root: no loop mount";
	if (sides[S_FUSE].skip == NULL &&
	    system("command -v fuse2fs >/dev/null 2>&1") != 0)
		sides[S_FUSE].skip = "fuse2fs not installed";
	if (sides[S_FUSE].skip == NULL && access("/dev/fuse", R_OK | W_OK) != 0)
		sides[S_FUSE].skip = "/dev/fuse not usable";
	/* The same peers on ext4: the same reasons not to run. */
	if (sides[S_HOST4].skip == NULL && geteuid() != 0)
		sides[S_HOST4].skip = "not root: no loop mount";
	if (sides[S_FUSE4].skip == NULL && (system("command -v fuse2fs "
	    ">/dev/null 2>&1") != 0 || access("/dev/fuse", R_OK | W_OK) != 0))
		sides[S_FUSE4].skip = "fuse2fs or /dev/fuse not usable";

	for (size_t i = 0; i < NSIDES; i++)
		run_side(&sides[i], 900 + (unsigned)(seq_mb / 8) +
		    (unsigned)nfiles / 200);
	cleanup();
	report();
	return 0;
}
