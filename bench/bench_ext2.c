/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2 benchmarks on the same kind of image (mke2fs -t ext2 -b 4096,
 * a fresh one for each side), side by side in one run:
 *   rump     our ext2fs through the library API (the image a block
 *            device of the rump kernel)
 *   host     the host kernel through a loop mount (as root only)
 *   fuse2fs  e2fsprogs' FUSE driver (when fuse2fs and /dev/fuse work)
 * Workloads: a file of SEQ MiB (1024, less when the temporary directory
 * is short; BENCH_EXT2_MB overrides) written in 1 MiB requests and
 * fsync'ed, then read back; NFILES (100,000; BENCH_EXT2_FILES) empty
 * files created in 10 directories, then stat'ed.  Prints a Markdown
 * report with the ratios of the others to ours.  A side that cannot run
 * is reported as skipped, with the reason.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
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

#define NDIRS 10
#define BS (1 << 20)

struct side {
	const char *name;
	char root[512];
	const char *skip;               /* why it did not run */
	int (*open)(const char *, int, ...);
	int (*close)(int);
	int (*mkdir)(const char *, mode_t);
	int (*stat)(const char *, struct stat *);
	ssize_t (*write)(int, const void *, size_t);
	ssize_t (*read)(int, void *, size_t);
	int (*fsync)(int);
	double t[4];                    /* write, read, create, stat */
};

static int
host_open(const char *path, int flags, ...)
{
	return open(path, flags, 0644);
}

static int
rump_open(const char *path, int flags, ...)
{
	return rump_sys_open(path, flags, 0644);
}

static int
rump_stat(const char *path, struct stat *sb)
{
	return rump_sys_stat(path, sb);
}

#define HOST_CALLS .open = host_open, .close = close, .mkdir = mkdir,          \
	.stat = stat, .write = write, .read = read, .fsync = fsync

static struct side sides[] = {
	{ .name = "rump", .open = rump_open, .close = rump_sys_close,
	  .mkdir = rump_sys_mkdir, .stat = rump_stat, .write = rump_sys_write,
	  .read = rump_sys_read, .fsync = rump_sys_fsync },
	{ .name = "host", HOST_CALLS },
	{ .name = "fuse2fs", HOST_CALLS },
};
#define NSIDES (sizeof(sides) / sizeof(sides[0]))

static char tmpdir[] = "/tmp/bench_ext2-XXXXXX";
static uint64_t seq_mb = 1024;
static int nfiles = 100000;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
sh(const char *fmt, const char *a, const char *b)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

static void
cleanup(void)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/host", tmpdir);
	(void)sh("umount '%s' 2>/dev/null; true %s", p, "");
	snprintf(p, sizeof(p), "%s/fuse", tmpdir);
	(void)sh("fusermount -u '%s' 2>/dev/null || umount '%s' 2>/dev/null; "
	    "true", p, p);
	(void)sh("rm -rf '%s' %s", tmpdir, "");
}

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "bench_ext2: %s %s: %s\n", what, path, strerror(errno));
	cleanup();
	exit(1);
}

/* A new image for side s: its path in img. */
static void
make_image(const char *tag, char *img, size_t len)
{
	char size[32];

	snprintf(img, len, "%s/%s.img", tmpdir, tag);
	snprintf(size, sizeof(size), "%lluM",
	    (unsigned long long)(seq_mb + 256 + (uint64_t)nfiles / 64));
	if (sh("mke2fs -q -F -t ext2 -b 4096 -I 256 '%s' %s >/dev/null 2>&1",
	    img, size) != 0)
		die("mke2fs", img);
}

static void
run(struct side *s)
{
	char path[700];
	struct stat sb;
	char *buf;
	double t0;
	int fd;

	if ((buf = malloc(BS)) == NULL)
		die("malloc", "");
	memset(buf, 0x5a, BS);
	snprintf(path, sizeof(path), "%s/seq", s->root);
	if ((fd = s->open(path, O_CREAT | O_TRUNC | O_WRONLY)) == -1)
		die("create", path);
	t0 = now();
	for (uint64_t i = 0; i < seq_mb; i++)
		if (s->write(fd, buf, BS) != BS)
			die("write", path);
	if (s->fsync(fd) == -1)
		die("fsync", path);
	s->t[0] = now() - t0;
	s->close(fd);
	if ((fd = s->open(path, O_RDONLY)) == -1)
		die("open", path);
	t0 = now();
	for (uint64_t i = 0; i < seq_mb; i++)
		if (s->read(fd, buf, BS) != BS)
			die("read", path);
	s->t[1] = now() - t0;
	s->close(fd);
	free(buf);
	for (int d = 0; d < NDIRS; d++) {
		snprintf(path, sizeof(path), "%s/d%d", s->root, d);
		if (s->mkdir(path, 0755) == -1)
			die("mkdir", path);
	}
	t0 = now();
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/d%d/file-%d", s->root,
		    i % NDIRS, i);
		if ((fd = s->open(path, O_CREAT | O_EXCL | O_WRONLY)) == -1)
			die("create", path);
		s->close(fd);
	}
	s->t[2] = now() - t0;
	t0 = now();
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/d%d/file-%d", s->root,
		    i % NDIRS, i);
		if (s->stat(path, &sb) == -1)
			die("stat", path);
	}
	s->t[3] = now() - t0;
}

static void
run_rump(struct side *s)
{
	struct ufs_args args = { .fspec = (char *)"/dev/bench" };
	char img[600];

	make_image("rump", img, sizeof(img));
	if (rump_init() != 0 ||
	    rump_pub_etfs_register(args.fspec, img, RUMP_ETFS_BLK) != 0 ||
	    rump_sys_mkdir("/mnt", 0755) != 0 ||
	    rump_sys_mount("ext2fs", "/mnt", 0, &args, sizeof(args)) != 0)
		die("mount ours on", img);
	snprintf(s->root, sizeof(s->root), "/mnt");
	run(s);
	if (rump_sys_unmount("/mnt", 0) != 0)
		die("unmount", img);
}

static void
run_host(struct side *s)
{
	char img[600];

	if (geteuid() != 0) {
		s->skip = "not root: no loop mount";
		return;
	}
	make_image("host", img, sizeof(img));
	snprintf(s->root, sizeof(s->root), "%s/host", tmpdir);
	if (mkdir(s->root, 0755) != 0 ||
	    sh("mount -o loop -t ext2 '%s' '%s' 2>/dev/null", img,
	    s->root) != 0) {
		s->skip = "the host cannot loop-mount ext2";
		return;
	}
	run(s);
	if (sh("umount '%s' %s", s->root, "") != 0)
		die("umount", s->root);
}

static void
run_fuse2fs(struct side *s)
{
	char img[600];

	if (system("fuse2fs --help >/dev/null 2>&1; test $? -ne 127") != 0) {
		s->skip = "fuse2fs not installed";
		return;
	}
	if (access("/dev/fuse", R_OK | W_OK) != 0) {
		s->skip = "/dev/fuse not usable";
		return;
	}
	make_image("fuse", img, sizeof(img));
	snprintf(s->root, sizeof(s->root), "%s/fuse", tmpdir);
	if (mkdir(s->root, 0755) != 0 ||
	    sh("fuse2fs -o fakeroot '%s' '%s' >/dev/null 2>&1", img,
	    s->root) != 0) {
		s->skip = "fuse2fs could not mount";
		return;
	}
	run(s);
	if (sh("fusermount -u '%s' 2>/dev/null || umount '%s'", s->root,
	    s->root) != 0)
		die("unmount", s->root);
}

int
main(int argc, char **argv)
{
	static const char *const what[] = { "sequential write + fsync",
		"sequential read", "create", "stat" };
	struct statvfs sv;
	const char *e;

	if (argc > 1) {
		printf("usage: %s\nEnvironment: BENCH_EXT2_MB (file size), "
		    "BENCH_EXT2_FILES (small files).\n", argv[0]);
		return strcmp(argv[1], "--help") == 0 ? 0 : 1;
	}
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin", 1);
	if (system("mke2fs -V >/dev/null 2>&1") != 0) {
		printf("## ext2fs\n\nSkipped: mke2fs (e2fsprogs) not "
		    "installed.\n");
		return 0;
	}
	if ((e = getenv("BENCH_EXT2_MB")) != NULL)
		seq_mb = strtoull(e, NULL, 10);
	if ((e = getenv("BENCH_EXT2_FILES")) != NULL)
		nfiles = atoi(e);
	if (mkdtemp(tmpdir) == NULL)
		die("mkdtemp", tmpdir);
	/* Three images at once must fit; else a smaller file. */
	if (statvfs(tmpdir, &sv) == 0) {
		uint64_t room = (uint64_t)sv.f_bavail * sv.f_frsize >> 20;

		if (room < 3 * (seq_mb + 512))
			seq_mb = room > 3 * 512 + 3 * 64 ?
			    room / 3 - 512 : 64;
	}
	run_rump(&sides[0]);
	run_host(&sides[1]);
	run_fuse2fs(&sides[2]);
	cleanup();

	printf("## ext2fs\n\n");
	printf("One ext2 image each (mke2fs -t ext2 -b 4096 -I 256): ours "
	    "through the library API, the host kernel through a loop mount, "
	    "fuse2fs through FUSE. A %llu MiB file in 1 MiB requests (the "
	    "write timed with its fsync; the read right after, from "
	    "whatever each keeps cached), %d empty files in %d directories. "
	    "Ratio: the other's time over ours (> 1: we are faster).\n\n",
	    (unsigned long long)seq_mb, nfiles, NDIRS);
	printf("| workload | rump | host | ratio | fuse2fs | ratio |\n");
	printf("|---|---|---|---|---|---|\n");
	for (int w = 0; w < 4; w++) {
		double r = sides[0].t[w];

		printf("| %s | %.3f s", what[w], r);
		for (size_t i = 1; i < NSIDES; i++) {
			if (sides[i].skip != NULL)
				printf(" | - | -");
			else
				printf(" | %.3f s | %.2f", sides[i].t[w],
				    sides[i].t[w] / r);
		}
		printf(" |\n");
	}
	for (size_t i = 1; i < NSIDES; i++)
		if (sides[i].skip != NULL)
			printf("\n%s skipped: %s.\n", sides[i].name,
			    sides[i].skip);
	return 0;
}
