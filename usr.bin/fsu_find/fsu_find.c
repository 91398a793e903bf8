/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_find: walk trees in an image and print the paths that match every
 * test given (-name, -type, -size, -maxdepth, -mindepth), as find(1)
 * with its tests joined by "and".
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_find [-t TYPE] IMAGE[:PART] [PATH...] [EXPRESSION]\n"
    "Find files in a file-system image (from the root by default).\n\n"
    "Expression, every test must hold:\n"
    "  -name PATTERN     the last component matches the shell pattern\n"
    "  -iname PATTERN    the same, ignoring case\n"
    "  -type C           f d l b c p s\n"
    "  -size [+-]N[cwbkMG]  size in units (512-byte blocks by default),\n"
    "                    rounded up; + more, - less\n"
    "  -maxdepth N, -mindepth N\n"
    "  -print            one path a line (the default)\n"
    "  -print0           paths ended by NUL\n\n"
    "  -t, --type=TYPE   file-system type (default: detected)\n"
    "      --help        display this help and exit\n";

struct test {
	enum { T_NAME, T_INAME, T_TYPE, T_SIZE } t_kind;
	const char *t_pat;
	mode_t t_type;
	int t_cmp;                      /* -1, 0, 1 */
	uint64_t t_n, t_unit;
};

static struct test tests[64];
static int ntests, maxdepth = -1, mindepth = 0;
static bool print0;

static bool
match(const char *path, const struct stat *st)
{
	const char *base;
	char *b;
	uint64_t units;
	bool ok = true;
	int i;

	for (i = 0; i < ntests && ok; i++) {
		struct test *t = &tests[i];

		switch (t->t_kind) {
		case T_NAME:
		case T_INAME:
			b = fsu_basename(path);
			base = b;
			ok = fnmatch(t->t_pat, base,
			    t->t_kind == T_INAME ? FNM_CASEFOLD : 0) == 0;
			free(b);
			break;
		case T_TYPE:
			ok = (st->st_mode & S_IFMT) == t->t_type;
			break;
		case T_SIZE:
			units = ((uint64_t)st->st_size + t->t_unit - 1) /
			    t->t_unit;
			ok = t->t_cmp == 0 ? units == t->t_n :
			    t->t_cmp > 0 ? units > t->t_n : units < t->t_n;
			break;
		}
	}
	return ok;
}

static int
visit(const char *path, const struct stat *st, int depth, void *arg)
{
	(void)arg;
	if (depth >= mindepth && match(path, st)) {
		fputs(path, stdout);
		putchar(print0 ? '\0' : '\n');
	}
	return maxdepth >= 0 && depth >= maxdepth ? FSU_WALK_SKIP : 0;
}

static void
bad(const char *what, const char *arg)
{
	fsu_warnx("%s: '%s'", what, arg);
	fsu_exit(1);
}

static int
parse(int argc, char **argv, int i)
{
	const char *a, *v;
	struct test *t;
	char *end;

	for (; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "-print") == 0) {
			print0 = false;
			continue;
		}
		if (strcmp(a, "-print0") == 0) {
			print0 = true;
			continue;
		}
		if (i + 1 >= argc)
			bad(a[0] == '-' ? "missing argument to" :
			    "paths must precede expression", a);
		v = argv[++i];
		if (strcmp(a, "-maxdepth") == 0 || strcmp(a, "-mindepth") == 0) {
			long n = strtol(v, &end, 10);

			if (*end != '\0' || n < 0 || end == v)
				bad("invalid depth", v);
			*(a[2] == 'a' ? &maxdepth : &mindepth) = (int)n;
			continue;
		}
		if (ntests == (int)(sizeof(tests) / sizeof(tests[0])))
			bad("too many tests at", a);
		t = &tests[ntests++];
		if (strcmp(a, "-name") == 0 || strcmp(a, "-iname") == 0) {
			t->t_kind = a[1] == 'i' ? T_INAME : T_NAME;
			t->t_pat = v;
		} else if (strcmp(a, "-type") == 0) {
			static const char types[] = "fdlbcps";
			static const mode_t modes[] = { S_IFREG, S_IFDIR,
				S_IFLNK, S_IFBLK, S_IFCHR, S_IFIFO, S_IFSOCK };
			const char *p = strchr(types, v[0]);

			if (v[0] == '\0' || v[1] != '\0' || p == NULL)
				bad("unknown argument to -type", v);
			t->t_kind = T_TYPE;
			t->t_type = modes[p - types];
		} else if (strcmp(a, "-size") == 0) {
			t->t_kind = T_SIZE;
			t->t_cmp = *v == '+' ? 1 : *v == '-' ? -1 : 0;
			if (*v == '+' || *v == '-')
				v++;
			errno = 0;
			t->t_n = strtoull(v, &end, 10);
			if (end == v || errno != 0)
				bad("invalid argument to -size", argv[i]);
			switch (*end) {
			case '\0': case 'b': t->t_unit = 512; break;
			case 'c': t->t_unit = 1; break;
			case 'w': t->t_unit = 2; break;
			case 'k': t->t_unit = 1024; break;
			case 'M': t->t_unit = 1024 * 1024; break;
			case 'G': t->t_unit = 1024 * 1024 * 1024; break;
			default: bad("invalid argument to -size", argv[i]);
			}
			if (*end != '\0' && end[1] != '\0')
				bad("invalid argument to -size", argv[i]);
		} else
			bad("unknown predicate", a);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS, { NULL, 0, NULL, 0 } };
	int ch, first, npaths, i, status = 0;

	fsu_init(argc, argv, usage);
	/* Options only before the image: the expression is find's. */
	while ((ch = getopt_long(argc, argv, "+t:", lo, NULL)) != -1)
		if (!fsu_commonopt(ch))
			fsu_usage();
	if (optind >= argc) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	first = optind + 1;
	for (npaths = 0; first + npaths < argc &&
	    argv[first + npaths][0] != '-'; npaths++)
		continue;
	parse(argc, argv, first + npaths);
	fsu_open(argv[optind], FSU_RDONLY);
	if (npaths == 0) {
		if (fsu_walk(&fsu_image, "/", false, visit, NULL) == -1)
			status = 1;
	}
	for (i = 0; i < npaths; i++)
		if (fsu_walk(&fsu_image, argv[first + i], false, visit,
		    NULL) == -1)
			status = 1;
	return fsu_exit(status);
}
