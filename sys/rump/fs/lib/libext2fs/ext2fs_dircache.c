/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A name cache for large directories written through a read-write
 * mount.  Without a hash index (no dir_index, or an index dropped),
 * finding a name, or room for one, is a walk over every block; the
 * cache keeps, for a directory of at least EXT2FS_DC_MINBLOCKS blocks,
 * every live name with its inode, type and block, in a hash table, and
 * a block to start looking for room from.  It is a copy of what is on
 * the disk, made by one checked read of the directory and kept in step
 * by every change (ext2fs_dirw.c); when memory for it runs out it is
 * dropped and the walks resume.
 *
 * Locking: built and changed with em_lock held as writer, read with it
 * held either way.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs_vfs.h"

#define EXT2FS_DC_MINBLOCKS 4
#define DC_MINBUCKETS 64

struct dc_ent {
	struct dc_ent *de_next;
	uint32_t de_ino;
	uint32_t de_lblk;
	uint8_t de_ft;
	uint8_t de_len;
	char de_name[];
};

struct ext2fs_dircache {
	struct dc_ent **dc_tab;
	size_t dc_nbuckets;             /* a power of two */
	size_t dc_n;
	uint64_t dc_freeblk;            /* where to look for room first */
};

static uint32_t
dc_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

static size_t
ent_size(size_t len)
{
	return sizeof(struct dc_ent) + len;
}

void
ext2fs_dc_free(struct ext2fs_node *np)
{
	struct ext2fs_dircache *dc = np->n_dc;
	struct dc_ent *e, *next;

	if (dc == NULL)
		return;
	for (size_t b = 0; b < dc->dc_nbuckets; b++)
		for (e = dc->dc_tab[b]; e != NULL; e = next) {
			next = e->de_next;
			kmem_free(e, ent_size(e->de_len));
		}
	kmem_free(dc->dc_tab, dc->dc_nbuckets * sizeof(*dc->dc_tab));
	kmem_free(dc, sizeof(*dc));
	np->n_dc = NULL;
}

static struct dc_ent **
dc_slot(struct ext2fs_dircache *dc, const char *name, size_t len)
{
	struct dc_ent **ep;

	ep = &dc->dc_tab[dc_hash(name, len) & (dc->dc_nbuckets - 1)];
	for (; *ep != NULL; ep = &(*ep)->de_next)
		if ((*ep)->de_len == len &&
		    memcmp((*ep)->de_name, name, len) == 0)
			break;
	return ep;
}

/* Double the table when it is twice as full as it has buckets. */
static void
dc_grow(struct ext2fs_dircache *dc)
{
	size_t nb = dc->dc_nbuckets * 2;
	struct dc_ent **tab, *e, *next;

	if ((tab = kmem_zalloc(nb * sizeof(*tab), KM_SLEEP)) == NULL)
		return;                 /* longer chains, still right */
	for (size_t b = 0; b < dc->dc_nbuckets; b++)
		for (e = dc->dc_tab[b]; e != NULL; e = next) {
			size_t h = dc_hash(e->de_name, e->de_len) & (nb - 1);

			next = e->de_next;
			e->de_next = tab[h];
			tab[h] = e;
		}
	kmem_free(dc->dc_tab, dc->dc_nbuckets * sizeof(*dc->dc_tab));
	dc->dc_tab = tab;
	dc->dc_nbuckets = nb;
}

/* Enter a name; on no memory the whole cache goes (false). */
static bool
dc_enter(struct ext2fs_node *np, const char *name, size_t len, uint32_t ino,
    uint8_t ft, uint64_t lblk)
{
	struct ext2fs_dircache *dc = np->n_dc;
	struct dc_ent **ep, *e;

	ep = dc_slot(dc, name, len);
	if ((e = *ep) == NULL) {
		if ((e = kmem_alloc(ent_size(len), KM_SLEEP)) == NULL) {
			ext2fs_dc_free(np);
			return false;
		}
		e->de_next = NULL;
		e->de_len = (uint8_t)len;
		memcpy(e->de_name, name, len);
		*ep = e;
		if (++dc->dc_n > 2 * dc->dc_nbuckets)
			dc_grow(dc);
	}
	e->de_ino = ino;
	e->de_ft = ft;
	e->de_lblk = (uint32_t)lblk;
	return true;
}

struct dc_build {
	struct ext2fs_node *np;
	uint32_t bshift;
};

static int
dc_build_one(void *arg, const struct ext2fs_dirent *de)
{
	struct dc_build *b = arg;

	if (!dc_enter(b->np, de->ed_name, de->ed_namelen, de->ed_ino,
	    de->ed_type, de->ed_off >> b->bshift))
		return EXT2FS_DIR_STOP;
	return 0;
}

/*
 * Make the cache of directory np if it is large enough and has none.
 * Failing is harmless: the directory is then walked.
 */
void
ext2fs_dc_build(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	const struct ext2fs *fs = em->em_fs;
	struct dc_build b = { .np = np, .bshift = fs->e2_bshift };
	struct ext2fs_dircache *dc;
	uint64_t off = 0;

	if (np->n_dc != NULL ||
	    (np->n_ip.ei_size >> fs->e2_bshift) < EXT2FS_DC_MINBLOCKS ||
	    (np->n_ip.ei_mode & EXT2_IFMT) != EXT2_IFDIR ||
	    (np->n_ip.ei_flags & EXT4_INLINE_DATA_FL))
		return;
	if ((dc = kmem_zalloc(sizeof(*dc), KM_SLEEP)) == NULL)
		return;
	dc->dc_nbuckets = DC_MINBUCKETS;
	if ((dc->dc_tab = kmem_zalloc(dc->dc_nbuckets * sizeof(*dc->dc_tab),
	    KM_SLEEP)) == NULL) {
		kmem_free(dc, sizeof(*dc));
		return;
	}
	np->n_dc = dc;
	if (ext2fs_readdir(fs, &np->n_ip, &off, dc_build_one, &b) != 0 ||
	    off != np->n_ip.ei_size)
		ext2fs_dc_free(np);
}

/* Look name up: 0, ENOENT, or -1 when there is no cache. */
int
ext2fs_dc_lookup(struct ext2fs_node *np, const char *name, size_t len,
    uint32_t *inop, uint8_t *ftp, uint64_t *lblkp)
{
	struct dc_ent *e;

	if (np->n_dc == NULL)
		return -1;
	if (len == 0 || len > EXT2_NAME_MAX)
		return len == 0 ? ENOENT : ENAMETOOLONG;
	if ((e = *dc_slot(np->n_dc, name, len)) == NULL)
		return ENOENT;
	*inop = e->de_ino;
	*ftp = e->de_ft;
	*lblkp = e->de_lblk;
	return 0;
}

void
ext2fs_dc_add(struct ext2fs_node *np, const char *name, size_t len,
    uint32_t ino, uint8_t ft, uint64_t lblk)
{
	if (np->n_dc != NULL && dc_enter(np, name, len, ino, ft, lblk))
		np->n_dc->dc_freeblk = lblk;
}

void
ext2fs_dc_remove(struct ext2fs_node *np, const char *name, size_t len,
    uint64_t lblk)
{
	struct ext2fs_dircache *dc = np->n_dc;
	struct dc_ent **ep, *e;

	if (dc == NULL)
		return;
	if ((e = *(ep = dc_slot(dc, name, len))) != NULL) {
		*ep = e->de_next;
		kmem_free(e, ent_size(e->de_len));
		dc->dc_n--;
	}
	if (lblk < dc->dc_freeblk)
		dc->dc_freeblk = lblk;
}

void
ext2fs_dc_set(struct ext2fs_node *np, const char *name, size_t len,
    uint32_t ino, uint8_t ft)
{
	struct dc_ent *e;

	if (np->n_dc != NULL && (e = *dc_slot(np->n_dc, name, len)) != NULL) {
		e->de_ino = ino;
		e->de_ft = ft;
	}
}

/* The block to start looking for room in. */
uint64_t
ext2fs_dc_freeblk(const struct ext2fs_node *np)
{
	return np->n_dc != NULL ? np->n_dc->dc_freeblk : 0;
}
