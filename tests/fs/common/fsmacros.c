/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* The POSIX suite's runner and helpers (h_fsmacros.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#include "h_fsmacros.h"

static const struct fstype *cur_fs;
static const struct fstest *cur_test;

static const char *const capname[FS_NCAPS] = {
	"symbolic links", "hard links", "nanosecond times", "writing",
	"a size limit", "sparse files", "owners and permissions",
	"device and FIFO nodes", "directories of 100,000 entries",
	"extended attributes",
};

static void
fs_case(void)
{
	REQUIRE_OK(rump_sys_mkdir(FS_MNT, 0755));
	if (cur_fs->fs_mount(FS_MNT, 0) != 0)
		TEST_FAIL("mounting %s: %s", cur_fs->fs_name, strerror(errno));
	REQUIRE_OK(rump_sys_chdir(FS_MNT));
	rump_sys_umask(022);
	cur_test->ft_body(cur_fs);
	/* What a case leaves must unmount cleanly: nothing leaked. */
	REQUIRE_OK(rump_sys_chdir("/"));
	if (cur_fs->fs_unmount(FS_MNT) != 0)
		TEST_FAIL("unmounting %s: %s", cur_fs->fs_name, strerror(errno));
}

int
fs_run(const struct fstest *fts, size_t n, int argc, char **argv)
{
	const char *t = getenv("TEST_TIMEOUT");
	unsigned timeout = t != NULL ? (unsigned)atoi(t) : 60;
	int failed = 0, ran = 0, skipped = 0;
	char name[128];

	for (size_t f = 0; f < nfstypes; f++) {
		for (size_t i = 0; i < n; i++) {
			const struct fstype *fs = &fstypes[f];
			unsigned lack = fs->fs_lacks & fts[i].ft_needs;
			struct testcase tc = { name, fs_case, 1 };

			snprintf(name, sizeof(name), "%s/%s", fs->fs_name,
			    fts[i].ft_name);
			if (argc > 1 && strcmp(argv[1], name) != 0 &&
			    strcmp(argv[1], fs->fs_name) != 0 &&
			    strcmp(argv[1], fts[i].ft_name) != 0)
				continue;
			if (lack != 0) {
				int b = __builtin_ctz(lack);

				printf("skip %s: %s lacks %s (%s)\n", name,
				    fs->fs_name, capname[b],
				    fs->fs_why != NULL ? fs->fs_why : "");
				skipped++;
				continue;
			}
			cur_fs = fs;
			cur_test = &fts[i];
			failed += run_case(&tc, timeout);
			ran++;
		}
	}
	if (ran + skipped == 0) {
		fprintf(stderr, "%s: no test case %s\n", argv[0],
		    argc > 1 ? argv[1] : "");
		return 1;
	}
	printf("%d of %d cases failed, %d skipped\n", failed, ran, skipped);
	return failed != 0;
}

void
fs_mkfile(const char *path, const char *data, size_t len)
{
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC,
	    0644));
	REQUIRE_EQ(rump_sys_write(fd, data, len), len);
	REQUIRE_OK(rump_sys_close(fd));
}

char *
fs_readfile(const char *path, size_t *lenp)
{
	struct stat sb;
	char *buf;
	int fd;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
	REQUIRE_OK(rump_sys_fstat(fd, &sb));
	REQUIRE((buf = malloc((size_t)sb.st_size + 1)) != NULL);
	REQUIRE_EQ(rump_sys_read(fd, buf, (size_t)sb.st_size), sb.st_size);
	buf[sb.st_size] = '\0';
	REQUIRE_OK(rump_sys_close(fd));
	if (lenp != NULL)
		*lenp = (size_t)sb.st_size;
	return buf;
}

void
fs_checkfile(const char *path, const char *want)
{
	char *got = fs_readfile(path, NULL);

	if (strcmp(got, want) != 0)
		TEST_FAIL("%s holds \"%s\", expected \"%s\"", path, got, want);
	free(got);
}

nlink_t
fs_nlink(const char *path)
{
	struct stat sb;

	REQUIRE_OK(rump_sys_lstat(path, &sb));
	return sb.st_nlink;
}

int
fs_direntcount(const char *path, const char *name)
{
	char buf[4096];
	ssize_t n;
	int fd, count = 0;

	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY, 0));
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t pos = 0; pos < n;) {
			unsigned short reclen;

			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			if (strcmp(buf + pos + 19, name) == 0)
				count++;
			pos += reclen;
		}
	}
	REQUIRE_EQ(n, 0);
	REQUIRE_OK(rump_sys_close(fd));
	return count;
}

void
fs_become(uid_t uid, gid_t gid)
{
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setgid(gid));
	REQUIRE_OK(rump_sys_setuid(uid));
}
