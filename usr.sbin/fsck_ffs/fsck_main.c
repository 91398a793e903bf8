/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsck_ffs: check (and with -y repair) an FFS image.  This file: the
 * command line, the superblock (primary, else a backup copy), running
 * the phases, the verdict and the exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsck.h"

struct fsck fk;

static void
usage(FILE *f)
{
	fprintf(f, "usage: fsck_ffs [-n | -y] [-d] [-f] image\n"
	    "Check an FFS (UFS1 or UFS2, either byte order) image file.\n"
	    "  -n  only check; open the image read-only (the default)\n"
	    "  -y  repair what can be repaired\n"
	    "  -f  check even a file system marked clean (always done)\n"
	    "  -d  print the geometry and each phase's progress\n"
	    "Exit status: 0 clean, 1 problems left, 2 problems found and "
	    "all repaired,\n8 the check could not be done.\n");
}

void
fatal(const char *what, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "fsck_ffs: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(8);
}

bool
problem(bool canfix, const char *fmt, ...)
{
	va_list ap;
	bool fix = canfix && fk.yes;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("%s\n", fix ? ": FIXED" : (canfix || !fk.yes ? "" :
	    ": NOT FIXED"));
	fk.problems++;
	if (fix)
		fk.fixed++;
	return fix;
}

void
debug(const char *fmt, ...)
{
	va_list ap;

	if (!fk.debug)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void
rd(void *buf, size_t len, uint64_t off)
{
	if (ffsu_pread(&fk.fs, buf, len, off) != 0)
		fatal(fk.image, "read of %zu bytes at %llu: %s", len,
		    (unsigned long long)off, strerror(errno));
}

void
wr(const void *buf, size_t len, uint64_t off)
{
	if (!fk.yes)
		fatal(fk.image, "internal error: write without -y");
	if (ffsu_pwrite(&fk.fs, buf, len, off) != 0)
		fatal(fk.image, "write of %zu bytes at %llu: %s", len,
		    (unsigned long long)off, strerror(errno));
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		fatal("memory", "%zu x %zu bytes: %s", n, size,
		    strerror(errno));
	return p;
}

static void
superblock(void)
{
	struct ffsu_fs *fs = &fk.fs;
	char why[256];
	uint64_t alt;

	if (ffsu_open(fs, fk.image, fk.yes, why, sizeof(why)) == 0)
		return;
	if (fs->fd == -1 || fs->imgbytes == 0)
		fatal(fk.image, "%s", why);
	printf("superblock: %s\n", why);
	if ((alt = ffsu_find_alt(fs)) == 0)
		fatal(fk.image, "no usable superblock, nor a backup copy");
	fk.usedalt = true;
	if (problem(true, "superblock: using the backup at byte %llu; "
	    "primary at byte %llu rewritten from it", (unsigned long long)alt,
	    (unsigned long long)fs->sbloc))
		return;
}

static void
verdict(void)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char *sb = fs->sb;
	uint64_t used, nfree;

	if (sb[FS_CLEAN] != FS_ISCLEAN &&
	    problem(true, "superblock: clean flag not set"))
		sb[FS_CLEAN] = FS_ISCLEAN;
	if (fk.yes && fk.fixed > 0) {
		if (ffsu_sb_write(fs, fs->sbloc) != 0)
			fatal(fk.image, "superblock write: %s",
			    strerror(errno));
		if (fsync(fs->fd) == -1)
			fatal(fk.image, "fsync: %s", strerror(errno));
	}
	nfree = (uint64_t)fs->cstotal[CS_NBFREE] * fs->frag +
	    (uint64_t)fs->cstotal[CS_NFFREE];
	used = fs->dsize > nfree ? fs->dsize - nfree : 0;
	printf("%llu files, %llu used, %llu free (%llu frags, %llu blocks)\n",
	    (unsigned long long)fk.nfiles, (unsigned long long)used,
	    (unsigned long long)nfree,
	    (unsigned long long)fs->cstotal[CS_NFFREE],
	    (unsigned long long)fs->cstotal[CS_NBFREE]);
}

int
main(int argc, char **argv)
{
	int ch;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	while ((ch = getopt(argc, argv, "dfny")) != -1) {
		switch (ch) {
		case 'd':
			fk.debug = true;
			break;
		case 'f':
			break;
		case 'n':
			fk.yes = false;
			break;
		case 'y':
			fk.yes = true;
			break;
		default:
			usage(stderr);
			return 8;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 8;
	}
	fk.image = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("** %s\n", fk.image);
	superblock();
	debug("UFS%d %s-endian, superblock at %llu: %u groups of %u frags "
	    "and %u inodes, block %u, frag %u, %llu frags\n",
	    fk.fs.ufs2 ? 2 : 1,
	    (fk.fs.swap == (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)) ?
	    "big" : "little", (unsigned long long)fk.fs.sbloc, fk.fs.ncg,
	    fk.fs.fpg, fk.fs.ipg, fk.fs.bsize, fk.fs.fsize,
	    (unsigned long long)fk.fs.size);
	printf("** Phase 1 - Check Blocks and Sizes\n");
	pass1();
	printf("** Phase 2 - Check Pathnames\n");
	pass2();
	printf("** Phase 3 - Check Connectivity\n");
	pass3();
	printf("** Phase 4 - Check Reference Counts\n");
	pass4();
	printf("** Phase 5 - Check Cyl groups\n");
	pass5();
	verdict();
	if (fk.problems == 0) {
		printf("%s: clean\n", fk.image);
		return 0;
	}
	if (fk.yes && fk.fixed == fk.problems) {
		printf("%s: %lu problems found, all fixed\n"
		    "***** FILE SYSTEM WAS MODIFIED *****\n", fk.image,
		    fk.problems);
		return 2;
	}
	printf("%s: %lu problems found, %lu fixed\n", fk.image, fk.problems,
	    fk.fixed);
	if (fk.fixed > 0)
		printf("***** FILE SYSTEM WAS MODIFIED *****\n");
	return 1;
}
