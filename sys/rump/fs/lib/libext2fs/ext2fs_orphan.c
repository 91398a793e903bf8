/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The orphan list, as Linux keeps it: an inode whose last name goes
 * while it may still be open is put at the head of a list that starts
 * in the superblock (s_last_orphan) and goes on through each orphan's
 * i_dtime, and taken off when its last reference goes and it is freed.
 * A crash in between leaves it on the list; the next read-write mount
 * finishes it (frees an unlinked inode, or truncates a linked one to
 * its size), as Linux and e2fsck do.  The list is walked at most as
 * many steps as there are inodes, and every number on it is checked:
 * a bad one ends the walk with one log line, the mount goes on.
 * Revision 0 file systems have no list.
 *
 * Called with em_lock held as writer (ext2fs_vfs.h).
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs_vfs.h"

static uint32_t
list_head(const struct ext2fs *fs)
{
	return ext2_le32(fs->e2_sb + EXT2_SB_LAST_ORPHAN);
}

static int
set_head(struct ext2fs_mount *em, uint32_t ino)
{
	ext2_set_le32(em->em_fs->e2_sb + EXT2_SB_LAST_ORPHAN, ino);
	return ext2fs_sb_write(em, false);
}

static bool
ino_ok(const struct ext2fs *fs, uint32_t ino)
{
	return ino >= EXT2_ROOT_INO && ino <= fs->e2_ninodes;
}

/* Put np (its last name just gone) at the head of the list. */
int
ext2fs_orphan_add(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	int error;

	/* Revision 0 has no s_last_orphan. */
	if (np->n_orphan || em->em_fs->e2_rev == EXT2_GOOD_OLD_REV)
		return 0;
	if ((error = ext2fs_iset_dtime(em, np->n_ip.ei_ino,
	    list_head(em->em_fs))) != 0)
		return error;
	np->n_orphan = true;
	return set_head(em, np->n_ip.ei_ino);
}

/* Take np off the list: the one before it points past it. */
int
ext2fs_orphan_remove(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t ino = np->n_ip.ei_ino, cur, next, after;
	int error;

	if (!np->n_orphan)
		return 0;
	np->n_orphan = false;
	if ((error = ext2fs_iget_dtime(em, ino, &next)) != 0)
		return error;
	if ((cur = list_head(fs)) == ino)
		return set_head(em, next);
	for (uint32_t n = 0; cur != 0 && n < fs->e2_ninodes; n++) {
		if (!ino_ok(fs, cur))
			break;
		if ((error = ext2fs_iget_dtime(em, cur, &after)) != 0)
			return error;
		if (after == ino)
			return ext2fs_iset_dtime(em, cur, next);
		cur = after;
	}
	return ext2fs_corrupt(fs, "inode %u is not on the orphan list", ino);
}

/*
 * A read-write mount starts: finish what a crash left on the list.
 * Errors are logged; the mount goes on.
 */
void
ext2fs_orphans_finish(struct ext2fs_mount *em)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_node *np;
	uint32_t ino, n = 0;
	int error = 0;

	if (fs->e2_rev == EXT2_GOOD_OLD_REV || list_head(fs) == 0 ||
	    (np = kmem_alloc(sizeof(*np), KM_SLEEP)) == NULL)
		return;
	while ((ino = list_head(fs)) != 0 && error == 0) {
		if (!ino_ok(fs, ino) || n++ >= fs->e2_ninodes) {
			(void)ext2fs_corrupt(fs, "orphan list: inode %u", ino);
			break;
		}
		memset(np, 0, sizeof(*np));
		error = ext2fs_iget(fs, ino, &np->n_ip);
		if (error == ENOENT && np->n_ip.ei_mode == 0)
			error = ext2fs_corrupt(fs, "orphan list: inode %u is "
			    "free", ino);
		else if (error == ENOENT || (error == 0 &&
		    np->n_ip.ei_nlink == 0)) {
			np->n_ip.ei_nlink = 0;
			np->n_orphan = true;
			error = ext2fs_irelease(em, np);
		} else if (error == 0) {
			np->n_orphan = true;
			/* Off the list, its i_dtime (the link) 0 again. */
			if ((error = ext2fs_truncate(em, np,
			    np->n_ip.ei_size)) == 0 &&
			    (error = ext2fs_orphan_remove(em, np)) == 0)
				error = ext2fs_iset_dtime(em, ino, 0);
		}
	}
	if (error != 0)
		log(LOG_ERR, "ext2fs: %s: error %d finishing the orphan list",
		    em->em_name, error);
	kmem_free(np, sizeof(*np));
}
