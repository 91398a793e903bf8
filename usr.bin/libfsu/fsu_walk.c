/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Walking a tree on either side, depth first in name order, without
 * following symbolic links.  A directory that cannot be listed is
 * reported and skipped; the walk goes on and fails at the end, as find
 * and du do.
 */
#include <errno.h>
#include <stdlib.h>

#include "fsu.h"

static int
walk1(const struct fsu_side *side, const char *path, const struct stat *st,
    int depth, bool post, fsu_walkfn fn, void *arg, int *failp)
{
	struct stat cst;
	char **names, *child;
	size_t n, i;
	int r;

	fsu_checksignal();
	if (!post) {
		if ((r = fn(path, st, depth, arg)) == -1)
			return -1;
		if (r == FSU_WALK_SKIP)
			return 0;
	}
	if (S_ISDIR(st->st_mode)) {
		if (side->s_list(path, &names, &n) == -1) {
			fsu_warn("%s", path);
			*failp = 1;
		} else {
			for (i = 0; i < n; i++) {
				child = fsu_join(path, names[i]);
				if (side->s_lstat(child, &cst) == -1) {
					fsu_warn("%s", child);
					*failp = 1;
					r = 0;
				} else
					r = walk1(side, child, &cst, depth + 1,
					    post, fn, arg, failp);
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
	if (walk1(side, root, &st, 0, postorder, fn, arg, &fail) == -1)
		return -1;
	return fail ? -1 : 0;
}
