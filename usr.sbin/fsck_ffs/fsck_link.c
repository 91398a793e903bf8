/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Phases 3 and 4: connectivity and link counts.  Phase 2 noted, for
 * each directory, the directory that names it (its parent) and what
 * its ".." says.  Following parents from any directory must reach the
 * root; the topmost directory of a chain that does not (its parent
 * unknown, or the chain a cycle) goes to lost+found.  Then each ".."
 * must be the parent, and each inode's link count the number of names
 * phase 2 found for it; a file with no name goes to lost+found (or is
 * cleared when empty).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck.h"

enum { UNSEEN = 0, REACHED, LOST, ONPATH };

void
pass3(void)
{
	struct ffsu_fs *fs = &fk.fs;
	uint8_t *mark;
	uint32_t *path, d, x, top, n, i, rounds = 0;
	uint8_t end;
	bool cycle, again, noparent;

	if (fk.ino[UFS_ROOTINO].state != IS_DIR) {
		problem(false, "root inode is not a directory");
		return;
	}
	mark = xcalloc(fs->maxino, 1);
	path = xcalloc(fs->maxino, sizeof(*path));
	do {
		again = false;
		memset(mark, UNSEEN, fs->maxino);
		mark[UFS_ROOTINO] = REACHED;
		for (d = UFS_ROOTINO; d < fs->maxino && !again; d++) {
			if (fk.ino[d].state != IS_DIR || mark[d] != UNSEEN)
				continue;
			n = 0;
			x = d;
			noparent = false;
			while (mark[x] == UNSEEN) {
				mark[x] = ONPATH;
				path[n++] = x;
				if (fk.ino[x].parent == 0) {
					noparent = true;
					break;
				}
				x = fk.ino[x].parent;
			}
			end = noparent ? LOST : mark[x];
			for (i = 0; i < n; i++)
				mark[path[i]] = end == REACHED ? REACHED : LOST;
			/* Reached, or below a lost chain already reported. */
			if (end == REACHED || end == LOST) {
				if (!noparent)
					continue;
			}
			cycle = !noparent;
			top = cycle ? x : path[n - 1];
			if (!problem(true, "directory %u unreachable%s", top,
			    cycle ? " (in a cycle of directories)" : ""))
				continue;
			if (cycle && dirremove(fk.ino[top].parent, top))
				fk.ino[top].found--;
			fk.ino[top].parent = 0;
			if (reconnect(top))
				again = true;
		}
	} while (again && ++rounds < fs->maxino);

	for (d = UFS_ROOTINO; d < fs->maxino; d++) {
		struct inoinfo *ii = &fk.ino[d];

		if (ii->state != IS_DIR || mark[d] != REACHED ||
		    ii->dotdot == ii->parent)
			continue;
		if (!problem(true, "directory %u: \"..\" is %u, should be %u",
		    d, ii->dotdot, ii->parent) || !setdotdot(d, ii->parent))
			continue;
		if (ii->dotdot >= UFS_ROOTINO && ii->dotdot < fs->maxino &&
		    fk.ino[ii->dotdot].found > 0)
			fk.ino[ii->dotdot].found--;
		fk.ino[ii->parent].found++;
		ii->dotdot = ii->parent;
	}
	free(path);
	free(mark);
}

void
pass4(void)
{
	struct ffsu_fs *fs = &fk.fs;
	unsigned char raw[DINODE2_SIZE];
	struct ffsu_dinode di;
	uint64_t ino;

	for (ino = UFS_ROOTINO; ino < fs->maxino; ino++) {
		struct inoinfo *ii = &fk.ino[ino];

		if (ii->state != IS_FILE && ii->state != IS_DIR)
			continue;
		rd(raw, fs->isize, ffsu_ino_offset(fs, ino));
		ffsu_dinode_decode(fs, raw, &di);
		if (ii->found == 0 && ii->state == IS_FILE) {
			if (problem(true, "inode %llu: no name (mode 0%o, "
			    "size %llu)", (unsigned long long)ino, di.mode,
			    (unsigned long long)di.size)) {
				if (di.size == 0) {
					clearinode(ino);
					continue;
				}
				(void)reconnect((uint32_t)ino);
			}
			if (ii->found == 0)
				continue;
			rd(raw, fs->isize, ffsu_ino_offset(fs, ino));
			ffsu_dinode_decode(fs, raw, &di);
		}
		if ((int64_t)di.nlink == (int64_t)ii->found)
			continue;
		if (problem(true, "inode %llu: link count %d, should be %u",
		    (unsigned long long)ino, di.nlink, ii->found)) {
			di.nlink = (int16_t)ii->found;
			ffsu_dinode_encode(fs, &di, raw);
			wr(raw, fs->isize, ffsu_ino_offset(fs, ino));
			ii->nlink = di.nlink;
		}
	}
}
