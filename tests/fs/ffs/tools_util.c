/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Helpers of the newfs and fsck_ffs tests (h_tools.h): running the
 * tools with their output captured, and reading and editing an image
 * through lib/libffsutil.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>

#include "h_macros.h"
#include "ffsutil.h"
#include "h_tools.h"

char out[1 << 20];

/*
 * Run a tool with its output (stdout and stderr) in out.  Its exit
 * status, or 1000 + the signal that ended it.
 */
int
runv(char *const argv[])
{
	int fds[2], status;
	size_t n = 0;
	ssize_t k;
	pid_t pid;

	REQUIRE(pipe(fds) == 0);
	fflush(NULL);
	REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		/* A sanitizer's finding must not pass for an exit status. */
		setenv("ASAN_OPTIONS", "abort_on_error=1:detect_leaks=1", 1);
		setenv("UBSAN_OPTIONS",
		       "abort_on_error=1:halt_on_error=1:"
		       "print_stacktrace=1",
		       1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while ((k = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	close(fds[0]);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	if (WIFSIGNALED(status))
		return 1000 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* run(NEWFS, "-O", "1", img, NULL) */
int
run(const char *tool, ...)
{
	char *argv[32];
	va_list ap;
	int n = 0;

	argv[n++] = (char *)tool;
	va_start(ap, tool);
	while ((argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	return runv(argv);
}

void
expect(const char *what)
{
	if (strstr(out, what) == NULL)
		TEST_FAIL("no \"%s\" in:\n%s", what, out);
}

void
fsck_clean(const char *img)
{
	int rc = run(FSCK, "-n", img, NULL);

	if (rc != 0)
		TEST_FAIL("fsck_ffs -n %s: exit %d:\n%s", img, rc, out);
	expect(": clean\n");
}

struct ffsu_fs fs;

void
img_open(const char *img)
{
	char why[256];

	if (ffsu_open(&fs, img, true, why, sizeof(why)) != 0)
		TEST_FAIL("%s: %s", img, why);
}

void
img_close(void)
{
	close(fs.fd);
}

void
getino(uint64_t ino, unsigned char *raw, struct ffsu_dinode *di)
{
	REQUIRE_EQ(ffsu_inode_read(&fs, ino, raw), 0);
	ffsu_dinode_decode(&fs, raw, di);
}

void
putino(uint64_t ino, unsigned char *raw, const struct ffsu_dinode *di)
{
	ffsu_dinode_encode(&fs, di, raw);
	REQUIRE_EQ(ffsu_inode_write(&fs, ino, raw), 0);
}

/*
 * The image offset of the entry name in directory dir (first block
 * only: the test tree's small directories), and of the entry before
 * it in its chunk (0 if it starts the chunk).
 */
uint64_t
entry(uint64_t dir, const char *name, uint64_t *prev)
{
	unsigned char raw[DINODE2_SIZE], blk[65536];
	struct ffsu_dinode di;
	uint64_t base;
	uint32_t off, p = 0, len;

	getino(dir, raw, &di);
	len = di.size < fs.bsize ? (uint32_t)di.size : fs.bsize;
	base = (uint64_t)di.db[0] * fs.fsize;
	REQUIRE_EQ(ffsu_pread(&fs, blk, len, base), 0);
	for (off = 0; off < len;) {
		uint16_t reclen = ffsu_get16(&fs, blk + off + DIR_RECLEN);

		if (off % DIRBLKSIZ == 0)
			p = UINT32_MAX;
		if (ffsu_get32(&fs, blk + off) != 0 &&
		    blk[off + DIR_NAMLEN] == strlen(name) &&
		    memcmp(blk + off + DIR_NAME, name, strlen(name)) == 0) {
			if (prev != NULL)
				*prev = p == UINT32_MAX ? 0 : base + p;
			return base + off;
		}
		p = off;
		REQUIRE(reclen > 0);
		off += reclen;
	}
	TEST_FAIL("no entry %s in directory %llu", name,
	          (unsigned long long)dir);
}

uint64_t
lookup(const char *path)
{
	unsigned char e[8];
	uint64_t ino = UFS_ROOTINO;
	char part[256];
	const char *p = path, *slash;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		slash = strchrnul(p, '/');
		snprintf(part, sizeof(part), "%.*s", (int)(slash - p), p);
		REQUIRE_EQ(ffsu_pread(&fs, e, 4, entry(ino, part, NULL)), 0);
		ino = ffsu_get32(&fs, e);
		p = *slash == '/' ? slash + 1 : slash;
	}
	return ino;
}
