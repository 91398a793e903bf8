/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsu_ls: list directory contents of an image, as ls(1): names sorted
 * in byte order, columns on a terminal and one name a line otherwise,
 * -l long format with ls's column alignment and dates.  Without -l the
 * directory entries' types are enough: no inode is read per name.  -R
 * keeps the directories above it, and does not list one of them again
 * (a hostile image's loop), as ls does.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "fsu.h"

static const char usage[] =
    "Usage: fsu_ls [-t TYPE] [OPTION]... IMAGE[:PART] [PATH]...\n"
    "List the files of PATHs (the root by default) in a file-system "
    "image.\n\n"
    "  -a, --all             do not ignore entries starting with .\n"
    "  -d, --directory       list directories themselves\n"
    "  -h, --human-readable  sizes like 1K 234M 2G (with -l)\n"
    "  -l                    long listing format\n"
    "  -R, --recursive       list subdirectories recursively\n"
    "  -1                    one file per line\n"
    "  -t, --type=TYPE       file-system type (default: detected)\n"
    "      --help            display this help and exit\n";

static bool aflag, dflag, hflag, lflag, Rflag, oneflag;
static int status;

struct ent {
	char *name;                     /* as shown */
	char *path;                     /* in the image */
	struct stat st;
	char *link;                     /* -l: a link's target */
};

struct list {
	struct ent *e;
	size_t n, cap;
};

static void
list_add(struct list *l, const char *name, const char *path,
    const struct stat *st)
{
	struct ent *e;
	char buf[4097];
	ssize_t len;

	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		if ((l->e = realloc(l->e, l->cap * sizeof(*l->e))) == NULL)
			fsu_die("out of memory");
	}
	e = &l->e[l->n++];
	e->name = fsu_xstrdup(name);
	e->path = fsu_xstrdup(path);
	e->st = *st;
	e->link = NULL;
	if (lflag && S_ISLNK(st->st_mode) &&
	    (len = ukfs_readlink(fsu_fs, path, buf, sizeof(buf) - 1)) >= 0) {
		buf[len] = '\0';
		e->link = fsu_xstrdup(buf);
	}
}

static void
list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->e[i].name);
		free(l->e[i].path);
		free(l->e[i].link);
	}
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static int
cmpent(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name,
	    ((const struct ent *)b)->name);
}

static void
fmttime(time_t t, char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	/* Within six months in the past: time of day; else the year. */
	if (t <= now && now - t < 31556952 / 2)
		strftime(buf, size, "%b %e %H:%M", &tm);
	else
		strftime(buf, size, "%b %e  %Y", &tm);
}

static void
sizestr(const struct stat *st, char *buf, size_t size)
{
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		snprintf(buf, size, "%u, %u", major(st->st_rdev),
		    minor(st->st_rdev));
	else if (hflag)
		fsu_human((uint64_t)st->st_size, buf, size);
	else
		snprintf(buf, size, "%lld", (long long)st->st_size);
}

static void
print_long(struct list *l, bool total)
{
	int wl = 0, wu = 0, wg = 0, ws = 0, n;
	char ub[32], gb[32], sb[64], tb[64], mb[11];
	unsigned long long blocks = 0;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct stat *st = &l->e[i].st;

		blocks += (unsigned long long)st->st_blocks;
		n = snprintf(sb, sizeof(sb), "%lu", (unsigned long)st->st_nlink);
		wl = n > wl ? n : wl;
		n = (int)strlen(fsu_username(st->st_uid, ub, sizeof(ub)));
		wu = n > wu ? n : wu;
		n = (int)strlen(fsu_groupname(st->st_gid, gb, sizeof(gb)));
		wg = n > wg ? n : wg;
		sizestr(st, sb, sizeof(sb));
		n = (int)strlen(sb);
		ws = n > ws ? n : ws;
	}
	if (total) {
		if (hflag) {
			fsu_human(blocks * 512, sb, sizeof(sb));
			printf("total %s\n", sb);
		} else
			printf("total %llu\n", (blocks + 1) / 2);
	}
	for (i = 0; i < l->n; i++) {
		const struct ent *e = &l->e[i];

		fsu_modestr(e->st.st_mode, mb);
		sizestr(&e->st, sb, sizeof(sb));
		fmttime(e->st.st_mtim.tv_sec, tb, sizeof(tb));
		printf("%s %*lu %-*s %-*s %*s %s %s", mb, wl,
		    (unsigned long)e->st.st_nlink, wu,
		    fsu_username(e->st.st_uid, ub, sizeof(ub)), wg,
		    fsu_groupname(e->st.st_gid, gb, sizeof(gb)), ws, sb, tb,
		    e->name);
		if (e->link != NULL)
			printf(" -> %s", e->link);
		putchar('\n');
	}
}

/* Columns, filled top to bottom, as wide as the terminal allows. */
static void
print_columns(struct list *l)
{
	struct winsize ws;
	size_t width = 80, cols, rows, c, r, i, w, total, *cw;
	const char *env;

	if (l->n == 0)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col;
	else if ((env = getenv("COLUMNS")) != NULL && atoi(env) > 0)
		width = (size_t)atoi(env);
	cw = fsu_xmalloc(l->n * sizeof(*cw));
	for (cols = l->n; cols > 1; cols--) {
		rows = (l->n + cols - 1) / cols;
		if ((rows - 1) * cols >= l->n && cols > 1)
			continue;
		total = 0;
		for (c = 0; c < cols; c++) {
			cw[c] = 0;
			for (r = 0; r < rows && c * rows + r < l->n; r++) {
				w = strlen(l->e[c * rows + r].name);
				cw[c] = w > cw[c] ? w : cw[c];
			}
			total += cw[c] + (c + 1 < cols ? 2 : 0);
		}
		if (total <= width)
			break;
	}
	if (cols <= 1) {
		cols = 1;
		cw[0] = 0;
	}
	rows = (l->n + cols - 1) / cols;
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++) {
			i = c * rows + r;
			if (i >= l->n)
				break;
			if (c + 1 < cols && i + rows < l->n)
				printf("%-*s", (int)(cw[c] + 2), l->e[i].name);
			else
				printf("%s", l->e[i].name);
		}
		putchar('\n');
	}
	free(cw);
}

static void
print_list(struct list *l, bool total)
{
	if (l->n > 0)
		qsort(l->e, l->n, sizeof(*l->e), cmpent);
	if (lflag)
		print_long(l, total);
	else if (oneflag || !isatty(STDOUT_FILENO))
		for (size_t i = 0; i < l->n; i++)
			printf("%s\n", l->e[i].name);
	else
		print_columns(l);
}

static void
list_dir(const char *path, bool header, bool *first,
    const struct fsu_ancestor *up)
{
	struct fsu_ancestor self = { .a_up = up, .a_path = path };
	struct list l = { 0 };
	struct ukfs_dirent de;
	struct ukfs_dir *d;
	struct stat st;
	unsigned dots = 0;
	char *child;
	int r;

	fsu_checksignal();
	if (Rflag) {
		if (ukfs_stat(fsu_fs, path, &st) == -1) {
			fsu_warn("cannot open directory '%s'", path);
			status = 2;
			return;
		}
		if (fsu_loop(up, &st) != NULL) {
			fsu_warnx("%s: not listing already-listed directory",
			    path);
			status = 2;
			return;
		}
		self.a_dev = st.st_dev;
		self.a_ino = st.st_ino;
	}
	if ((d = ukfs_diropen(fsu_fs, path)) == NULL) {
		fsu_warn("cannot open directory '%s'", path);
		status = 2;
		return;
	}
	while ((r = ukfs_readdir(d, &de)) == 1) {
		/* Nothing joined to a path that is not one name. */
		if (fsu_namecheck(path, de.ud_name, &dots) == -1) {
			status = status > 1 ? status : 1;
			continue;
		}
		if (!aflag && de.ud_name[0] == '.')
			continue;
		child = fsu_join(path, de.ud_name);
		memset(&st, 0, sizeof(st));
		/* The entry's type stands in for a stat unless -l. */
		if (lflag || de.ud_type == DT_UNKNOWN) {
			if (ukfs_lstat(fsu_fs, child, &st) == -1) {
				fsu_warn("cannot access '%s'", child);
				status = 1;
				free(child);
				continue;
			}
		} else
			st.st_mode = DTTOIF(de.ud_type);
		list_add(&l, de.ud_name, child, &st);
		free(child);
	}
	if (r == -1) {
		fsu_warn("reading directory '%s'", path);
		status = 1;
	}
	ukfs_dirclose(d);
	if (header)
		printf("%s%s:\n", *first ? "" : "\n", path);
	*first = false;
	print_list(&l, true);
	if (Rflag) {
		for (size_t i = 0; i < l.n; i++) {
			if (S_ISDIR(l.e[i].st.st_mode) &&
			    strcmp(l.e[i].name, ".") != 0 &&
			    strcmp(l.e[i].name, "..") != 0)
				list_dir(l.e[i].path, true, first, &self);
		}
	}
	list_free(&l);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { FSU_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "directory", no_argument, NULL, 'd' },
		{ "human-readable", no_argument, NULL, 'h' },
		{ "recursive", no_argument, NULL, 'R' }, { NULL, 0, NULL, 0 } };
	struct list files = { 0 }, dirs = { 0 };
	const char *root = "/";
	bool first = true;
	struct stat st;
	int ch, i, nargs;

	fsu_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "t:adhlR1", lo, NULL)) != -1) {
		if (fsu_commonopt(ch))
			continue;
		switch (ch) {
		case 'a': aflag = true; break;
		case 'd': dflag = true; break;
		case 'h': hflag = true; break;
		case 'l': lflag = true; break;
		case 'R': Rflag = true; break;
		case '1': oneflag = true; break;
		default: fsu_usage();
		}
	}
	if (optind >= argc) {
		fsu_warnx("missing operand");
		fsu_usage();
	}
	fsu_open(argv[optind++], FSU_RDONLY);
	nargs = argc - optind;
	for (i = optind; i < argc || (nargs == 0 && i == optind); i++) {
		const char *p = nargs == 0 ? root : argv[i];

		if (ukfs_lstat(fsu_fs, p, &st) == -1) {
			fsu_warn("cannot access '%s'", p);
			status = 2;
			continue;
		}
		/* Links on the command line are followed, except for -l, -d. */
		if (S_ISLNK(st.st_mode) && !lflag && !dflag)
			(void)ukfs_stat(fsu_fs, p, &st);
		list_add(S_ISDIR(st.st_mode) && !dflag ? &dirs : &files, p, p,
		    &st);
	}
	if (files.n > 0) {
		print_list(&files, false);
		first = false;
	}
	if (dirs.n > 0)
		qsort(dirs.e, dirs.n, sizeof(*dirs.e), cmpent);
	for (size_t k = 0; k < dirs.n; k++)
		list_dir(dirs.e[k].path, files.n + dirs.n > 1 || Rflag, &first,
		    NULL);
	list_free(&files);
	list_free(&dirs);
	return fsu_exit(status);
}
