/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* The msdosfs tests' shared helpers (h_msdos.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <rump/msdosfs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_msdos.h"

static char registered[512];

char *
msdos_tmpdir(const char *tag)
{
	static char dirs[8][300];
	static int n;
	char *d;

	REQUIRE(n < 8);
	d = dirs[n];
	snprintf(d, sizeof(dirs[n]), "%s/%s-%d-%d", tests_scratch(), tag,
	    (int)getpid(), n);
	n++;
	REQUIRE(mkdir(d, 0755) == 0);
	return d;
}

static int
vsh(const char *fmt, va_list ap)
{
	char *cmd, *full;
	int st;

	REQUIRE(vasprintf(&cmd, fmt, ap) > 0);
	REQUIRE(asprintf(&full, "export TZ=UTC MTOOLS_SKIP_CHECK=1 "
	    "LC_ALL=C.UTF-8; %s", cmd) > 0);
	st = system(full);
	if (st != 0 && getenv("MSDOS_VERBOSE") != NULL)
		fprintf(stderr, "'%s': status %d\n", cmd, st);
	free(cmd);
	free(full);
	return st;
}

void
msdos_sh(const char *fmt, ...)
{
	va_list ap;
	int st;

	va_start(ap, fmt);
	st = vsh(fmt, ap);
	va_end(ap);
	if (st != 0) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		TEST_FAIL(": status %d", st);
	}
}

int
msdos_sh_status(const char *fmt, ...)
{
	va_list ap;
	int st;

	va_start(ap, fmt);
	st = vsh(fmt, ap);
	va_end(ap);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

void
msdos_mkfs(const char *img, int fat, const char *opts, unsigned kib)
{
	msdos_sh("rm -f '%s' && mkfs.fat -C -F %d %s '%s' %u >/dev/null",
	    img, fat, opts, img, kib);
}

int
msdos_try_mount(const char *img, int flags, int aflags, int gmtoff)
{
	struct msdosfs_args args = { .fspec = (char *)DEV, .uid = 0,
		.gid = 0, .mask = 0755, .dirmask = 0755, .flags = aflags,
		.version = MSDOSFSMNT_VERSION, .gmtoff = gmtoff };

	if (strcmp(registered, img) != 0) {
		if (registered[0] != '\0')
			REQUIRE_EQ(rump_pub_etfs_remove(DEV), 0);
		else
			REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
		REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
		snprintf(registered, sizeof(registered), "%s", img);
	}
	return rump_sys_mount("msdos", MNT, flags, &args, sizeof(args));
}

void
msdos_mount(const char *img, int flags)
{
	REQUIRE_OK(msdos_try_mount(img, flags, 0, 0));
}

void
msdos_unmount(void)
{
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
}

void
msdos_fsck_clean(const char *img)
{
	char *out = NULL, *cmd, line[512];
	size_t outlen = 0;
	FILE *f, *o;
	int st;

	REQUIRE(asprintf(&cmd, "fsck.fat -n '%s' 2>&1", img) > 0);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	REQUIRE((o = open_memstream(&out, &outlen)) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		/* Its banner, the check line and the summary are fine. */
		if (strncmp(line, "fsck.fat ", 9) == 0 ||
		    strstr(line, "Checking we can access") != NULL ||
		    strstr(line, "Checking file system") != NULL ||
		    strstr(line, "Starting check") != NULL ||
		    strstr(line, " files, ") != NULL)
			continue;
		fputs(line, o);
	}
	st = pclose(f);
	fclose(o);
	if (st != 0 || outlen != 0) {
		fprintf(stderr, "%s", out);
		TEST_FAIL("fsck.fat -n %s: status %d", img, st);
	}
	free(out);
	free(cmd);
	msdos_fats_equal(img);
}

void
msdos_fats_equal(const char *img)
{
	unsigned char bs[512], *a, *b;
	unsigned bps, rsvd, nfats, fatsz, k;
	FILE *f;

	REQUIRE((f = fopen(img, "rb")) != NULL);
	REQUIRE(fread(bs, 1, 512, f) == 512);
	bps = bs[11] | bs[12] << 8;
	rsvd = bs[14] | bs[15] << 8;
	nfats = bs[16];
	fatsz = bs[22] | bs[23] << 8;
	if (fatsz == 0)
		fatsz = bs[36] | bs[37] << 8 | bs[38] << 16 |
		    (unsigned)bs[39] << 24;
	REQUIRE(nfats >= 1);
	REQUIRE((a = malloc((size_t)fatsz * bps)) != NULL);
	REQUIRE((b = malloc((size_t)fatsz * bps)) != NULL);
	REQUIRE(fseek(f, (long)rsvd * bps, SEEK_SET) == 0);
	REQUIRE(fread(a, 1, (size_t)fatsz * bps, f) == (size_t)fatsz * bps);
	for (k = 1; k < nfats; k++) {
		REQUIRE(fread(b, 1, (size_t)fatsz * bps, f) ==
		    (size_t)fatsz * bps);
		if (memcmp(a, b, (size_t)fatsz * bps) != 0)
			TEST_FAIL("%s: FAT copy %u differs from the first",
			    img, k);
	}
	free(a);
	free(b);
	fclose(f);
}

void
msdos_fsck_counts(const char *img, unsigned long *used,
    unsigned long *total)
{
	char *cmd, line[512];
	bool got = false;
	FILE *f;

	REQUIRE(asprintf(&cmd, "fsck.fat -n '%s' 2>&1", img) > 0);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = strstr(line, " files, ");
		if (p != NULL && sscanf(p, " files, %lu/%lu clusters", used,
		    total) == 2)
			got = true;
	}
	pclose(f);
	free(cmd);
	REQUIRE(got);
}

unsigned char
msdos_pat(unsigned id, uint64_t off)
{
	return (unsigned char)(id * 131 + off * 7 + (off >> 9) * 13 + 1);
}

void
msdos_write_pat(const char *path, unsigned id, size_t len)
{
	unsigned char *b = malloc(len + 1);
	int fd;

	REQUIRE(b != NULL);
	for (size_t i = 0; i < len; i++)
		b[i] = msdos_pat(id, i);
	REQUIRE_OK(fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC,
	    0644));
	REQUIRE_EQ(rump_sys_write(fd, b, len), (ssize_t)len);
	REQUIRE_OK(rump_sys_close(fd));
	free(b);
}

static void
check_buf(const char *path, const unsigned char *b, size_t got, unsigned id,
    size_t len)
{
	if (got != len)
		TEST_FAIL("%s: %zu bytes, expected %zu", path, got, len);
	for (size_t i = 0; i < len; i++)
		if (b[i] != msdos_pat(id, i))
			TEST_FAIL("%s: byte %zu is %#x, expected %#x", path, i,
			    b[i], msdos_pat(id, i));
}

void
msdos_check_host_pat(const char *path, unsigned id, size_t len)
{
	unsigned char *b = malloc(len + 2);
	size_t got;
	FILE *f;

	REQUIRE(b != NULL);
	if ((f = fopen(path, "rb")) == NULL)
		TEST_FAIL("%s: cannot open", path);
	got = fread(b, 1, len + 1, f);
	fclose(f);
	check_buf(path, b, got, id, len);
	free(b);
}

void
msdos_check_pat(const char *path, unsigned id, size_t len)
{
	unsigned char *b = malloc(len + 2);
	ssize_t got;
	int fd;

	REQUIRE(b != NULL);
	REQUIRE_OK(fd = rump_sys_open(path, O_RDONLY, 0));
	REQUIRE_OK(got = rump_sys_read(fd, b, len + 1));
	REQUIRE_OK(rump_sys_close(fd));
	check_buf(path, b, (size_t)got, id, len);
	free(b);
}
