/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_diff: compare a tree in an image with a host tree, as diff -rq:
 * entries only on one side, files whose contents differ, symbolic links
 * with other targets, and entries of different types.  With -p, modes,
 * owners and modification times are compared too.  Exit 0 when equal,
 * 1 when not, 2 on trouble.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_diff [-t TYPE] [-p] IMAGE[:PART] PATH HOSTPATH\n"
    "Compare the tree PATH in a file-system image with HOSTPATH.\n\n"
    "  -p, --metadata   compare modes, owners and modification times too\n"
    "  -t, --type=TYPE  file-system type (default: detected)\n"
    "      --help       display this help and exit\n";

static bool pflag;
static int differ, trouble;

/* How the image side is named in messages: IMAGE:PATH. */
static char *
iname(const char *path)
{
	char *s;

	if (asprintf(&s, "%s:%s", fsu_imagename, path) == -1)
		fsu_die("out of memory");
	return s;
}

static int
cmpdata(const char *ip, const char *hp)
{
	static char a[65536], b[65536];
	ssize_t ra, rb, got;
	int fa, fb, r = 0;

	if ((fa = ukfs_open_mode(fsu_fs, ip, O_RDONLY, 0)) == -1) {
		fsu_warn("%s", ip);
		return -1;
	}
	if ((fb = open(hp, O_RDONLY | O_CLOEXEC)) == -1) {
		fsu_warn("%s", hp);
		ukfs_close(fsu_fs, fa);
		return -1;
	}
	for (;;) {
		fsu_checksignal();
		if ((ra = ukfs_fdread(fsu_fs, fa, a, sizeof(a))) == -1) {
			fsu_warn("%s", ip);
			r = -1;
			break;
		}
		for (rb = 0; rb < ra; rb += got) {
			if ((got = read(fb, b + rb, (size_t)(ra - rb))) <= 0)
				break;
		}
		if (got == -1) {
			fsu_warn("%s", hp);
			r = -1;
			break;
		}
		if (rb != ra || memcmp(a, b, (size_t)ra) != 0) {
			r = 1;
			break;
		}
		if (ra == 0) {
			r = read(fb, b, 1) == 0 ? 0 : 1;
			break;
		}
	}
	ukfs_close(fsu_fs, fa);
	close(fb);
	return r;
}

static void
compare(const char *ip, const char *hp);

static void
cmpdir(const char *ip, const char *hp)
{
	char **in, **hn, *a, *b, *dn;
	size_t ni, nh, i = 0, j = 0;
	int c, r;

	if ((r = fsu_image.s_list(ip, &in, &ni)) == -1) {
		fsu_warn("%s", ip);
		trouble = 1;
		return;
	}
	if (r == 1)
		trouble = 1;            /* names left out, reported */
	if (fsu_host.s_list(hp, &hn, &nh) == -1) {
		fsu_warn("%s", hp);
		fsu_freelist(in, ni);
		trouble = 1;
		return;
	}
	while (i < ni || j < nh) {
		c = i == ni ? 1 : j == nh ? -1 : strcmp(in[i], hn[j]);
		if (c < 0) {
			dn = iname(ip);
			printf("Only in %s: %s\n", dn, in[i++]);
			free(dn);
			differ = 1;
		} else if (c > 0) {
			printf("Only in %s: %s\n", hp, hn[j++]);
			differ = 1;
		} else {
			a = fsu_join(ip, in[i++]);
			b = fsu_join(hp, hn[j++]);
			compare(a, b);
			free(a);
			free(b);
		}
	}
	fsu_freelist(in, ni);
	fsu_freelist(hn, nh);
}

static void
compare(const char *ip, const char *hp)
{
	char la[4097], lb[4097], *dn;
	struct stat si, sh;
	ssize_t na, nb;
	int r;

	fsu_checksignal();
	if (ukfs_lstat(fsu_fs, ip, &si) == -1) {
		fsu_warn("%s", ip);
		trouble = 1;
		return;
	}
	if (lstat(hp, &sh) == -1) {
		fsu_warn("%s", hp);
		trouble = 1;
		return;
	}
	dn = iname(ip);
	if ((si.st_mode & S_IFMT) != (sh.st_mode & S_IFMT)) {
		printf("File %s is a %s while file %s is a %s\n", dn,
		    fsu_typename(si.st_mode), hp, fsu_typename(sh.st_mode));
		differ = 1;
	} else if (S_ISDIR(si.st_mode))
		cmpdir(ip, hp);
	else if (S_ISLNK(si.st_mode)) {
		na = ukfs_readlink(fsu_fs, ip, la, sizeof(la) - 1);
		nb = readlink(hp, lb, sizeof(lb) - 1);
		if (na == -1 || nb == -1) {
			fsu_warn("%s", na == -1 ? ip : hp);
			trouble = 1;
		} else if (na != nb || memcmp(la, lb, (size_t)na) != 0) {
			printf("Symbolic links %s and %s differ\n", dn, hp);
			differ = 1;
		}
	} else if (S_ISREG(si.st_mode)) {
		if (si.st_size != sh.st_size)
			r = 1;
		else
			r = cmpdata(ip, hp);
		if (r == -1)
			trouble = 1;
		else if (r == 1) {
			printf("Files %s and %s differ\n", dn, hp);
			differ = 1;
		}
	}
	if (pflag && (si.st_mode & S_IFMT) == (sh.st_mode & S_IFMT)) {
		if (!S_ISLNK(si.st_mode) &&
		    (si.st_mode & 07777) != (sh.st_mode & 07777)) {
			printf("Modes of %s and %s differ: %04o %04o\n", dn, hp,
			    (unsigned)(si.st_mode & 07777),
			    (unsigned)(sh.st_mode & 07777));
			differ = 1;
		}
		if (si.st_uid != sh.st_uid || si.st_gid != sh.st_gid) {
			printf("Owners of %s and %s differ: %u:%u %u:%u\n", dn,
			    hp, (unsigned)si.st_uid, (unsigned)si.st_gid,
			    (unsigned)sh.st_uid, (unsigned)sh.st_gid);
			differ = 1;
		}
		if (!S_ISDIR(si.st_mode) &&
		    si.st_mtim.tv_sec != sh.st_mtim.tv_sec) {
			printf("Modification times of %s and %s differ\n", dn,
			    hp);
			differ = 1;
		}
	}
	free(dn);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "metadata", no_argument, NULL, 'p' }, { NULL, 0, NULL, 0 } };
	int ch;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:p", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		if (ch != 'p')
			fsu_usage();
		pflag = true;
	}
	if (argc - optind != 3) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	fsu_open(argv[optind], FSU_RDONLY);
	compare(argv[optind + 1], argv[optind + 2]);
	return fsu_exit(trouble ? 2 : differ);
}
