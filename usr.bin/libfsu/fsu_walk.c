/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Walking a tree on either side, depth first in name order, without
 * following symbolic links.  A directory that cannot be listed is
 * reported and skipped; the walk goes on and fails at the end, as find
 * and du do.  So is a directory that is one of its own ancestors (a
 * hostile image can link a directory under itself): the walk keeps the
 * device and inode of each directory above it, as find does.
 */
#include <errno.h>
#include <stdlib.h>

#include "fsu.h"

const struct fsu_ancestor *
fsu_loop(const struct fsu_ancestor *up, const struct stat *st)
{
	for (; up != NULL; up = up->a_up)
		if (up->a_dev == st->st_dev && up->a_ino == st->st_ino)
			return up;
	return NULL;
}

void
fsu_warnloop(const char *path, const struct fsu_ancestor *a)
{
	fsu_warnx("File system loop detected; '%s' is part of the same file "
	    "system loop as '%s'.", path, a->a_path);
}

static int
walk1(const struct fsu_side *side, const char *path, const struct stat *st,
    const struct fsu_ancestor *up, int depth, bool post, fsu_walkfn fn,
    void *arg, int *failp)
{
	const struct fsu_ancestor *a;
	struct fsu_ancestor self;
	struct stat cst;
	char **names, *child;
	size_t n, i;
	int r;

	fsu_checksignal();
	if (S_ISDIR(st->st_mode) && (a = fsu_loop(up, st)) != NULL) {
		fsu_warnloop(path, a);
		*failp = 1;
		return 0;
	}
	if (!post) {
		if ((r = fn(path, st, depth, arg)) == -1)
			return -1;
		if (r == FSU_WALK_SKIP)
			return 0;
	}
	if (S_ISDIR(st->st_mode)) {
		self = (struct fsu_ancestor){ .a_up = up, .a_dev = st->st_dev,
			.a_ino = st->st_ino, .a_path = path };
		if ((r = side->s_list(path, &names, &n)) == -1) {
			fsu_warn("%s", path);
			*failp = 1;
		} else {
			if (r == 1)
				*failp = 1;
			for (i = 0; i < n; i++) {
				child = fsu_join(path, names[i]);
				if (side->s_lstat(child, &cst) == -1) {
					fsu_warn("%s", child);
					*failp = 1;
					r = 0;
				} else
					r = walk1(side, child, &cst, &self,
					    depth + 1, post, fn, arg, failp);
				free(child);
				if (r == -1) {
					fsu_freelist(names, n);
					return -1;
				}
			}
			fsu_freelist(names, n);
		}
	}
	if (post && fn(path, st, depth, arg) == -1)
		return -1;
	return 0;
}

int
fsu_walk(const struct fsu_side *side, const char *root, bool postorder,
    fsu_walkfn fn, void *arg)
{
	struct stat st;
	int fail = 0;

	if (side->s_lstat(root, &st) == -1) {
		fsu_warn("%s", root);
		return -1;
	}
	if (walk1(side, root, &st, NULL, 0, postorder, fn, arg, &fail) == -1)
		return -1;
	return fail ? -1 : 0;
}
