/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Nodes: the number table that gives FAT's entries stable numbers
 * (msdosfs.h says how), loading a node from its 32-byte entry (its
 * chain read and checked against its size), writing it back, and
 * changing a file's length.
 *
 * Table records live while their place holds the entry or a vnode holds
 * the record: unplaced (the entry freed) and released (the vnode
 * reclaimed), the record goes.  Locks: pm_tablock (t) for the table;
 * the rest with pm_lock held (writer to change).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>

#include "msdosfs.h"

/* Numbers not taken from the entry's position start here. */
#define MSDOSFS_SPAREINO (1ULL << 40)

static size_t
lochash(const struct msdosfs_mount *pm, uint32_t dircl, uint32_t diroff)
{
	uint64_t h = ((uint64_t)dircl << 32 | diroff) * 0x9E3779B97F4A7C15ULL;

	return (size_t)(h >> 32) & (pm->pm_hashsize - 1);
}

static size_t
inohash(const struct msdosfs_mount *pm, ino_t ino)
{
	return (size_t)(((uint64_t)ino * 0x9E3779B97F4A7C15ULL) >> 32) &
	    (pm->pm_hashsize - 1);
}

int
msdosfs_table_init(struct msdosfs_mount *pm)
{
	pm->pm_hashsize = 256;
	pm->pm_lochash = kmem_zalloc(pm->pm_hashsize * sizeof(void *),
	    KM_SLEEP);
	pm->pm_inohash = kmem_zalloc(pm->pm_hashsize * sizeof(void *),
	    KM_SLEEP);
	if (pm->pm_lochash == NULL || pm->pm_inohash == NULL)
		return ENOMEM;
	pm->pm_nextino = MSDOSFS_SPAREINO;
	mutex_init(&pm->pm_tablock, MUTEX_DEFAULT, IPL_NONE);
	return 0;
}

void
msdosfs_table_fini(struct msdosfs_mount *pm)
{
	struct msdosfs_ent *e, *next;
	size_t i;

	if (pm->pm_inohash != NULL) {
		for (i = 0; i < pm->pm_hashsize; i++)
			for (e = pm->pm_inohash[i]; e != NULL; e = next) {
				next = e->e_inonext;
				kmem_free(e, sizeof(*e));
			}
		kmem_free(pm->pm_inohash, pm->pm_hashsize * sizeof(void *));
	}
	if (pm->pm_lochash != NULL)
		kmem_free(pm->pm_lochash, pm->pm_hashsize * sizeof(void *));
	if (pm->pm_lochash != NULL && pm->pm_inohash != NULL)
		mutex_destroy(&pm->pm_tablock);
}

static void
loc_insert(struct msdosfs_mount *pm, struct msdosfs_ent *e)
{
	size_t h = lochash(pm, e->e_dircl, e->e_diroff);

	e->e_locnext = pm->pm_lochash[h];
	pm->pm_lochash[h] = e;
	e->e_placed = true;
}

static void
loc_remove(struct msdosfs_mount *pm, struct msdosfs_ent *e)
{
	struct msdosfs_ent **pp;

	for (pp = &pm->pm_lochash[lochash(pm, e->e_dircl, e->e_diroff)];
	    *pp != NULL; pp = &(*pp)->e_locnext)
		if (*pp == e) {
			*pp = e->e_locnext;
			break;
		}
	e->e_placed = false;
}

static void
ino_insert(struct msdosfs_mount *pm, struct msdosfs_ent *e)
{
	size_t h = inohash(pm, e->e_ino);

	e->e_inonext = pm->pm_inohash[h];
	pm->pm_inohash[h] = e;
}

static void
ent_drop(struct msdosfs_mount *pm, struct msdosfs_ent *e)
{
	struct msdosfs_ent **pp;

	for (pp = &pm->pm_inohash[inohash(pm, e->e_ino)]; *pp != NULL;
	    pp = &(*pp)->e_inonext)
		if (*pp == e) {
			*pp = e->e_inonext;
			break;
		}
	pm->pm_nents--;
	kmem_free(e, sizeof(*e));
}

static bool
ino_taken(const struct msdosfs_mount *pm, ino_t ino)
{
	struct msdosfs_ent *e;

	for (e = pm->pm_inohash[inohash(pm, ino)]; e != NULL;
	    e = e->e_inonext)
		if (e->e_ino == ino)
			return true;
	return false;
}

/* Twice the buckets once there are twice as many records (t held). */
static void
table_grow(struct msdosfs_mount *pm)
{
	struct msdosfs_ent **ol = pm->pm_lochash, **oi = pm->pm_inohash;
	struct msdosfs_ent **nl, **ni, *e, *next;
	size_t osize = pm->pm_hashsize, i;

	nl = kmem_zalloc(2 * osize * sizeof(void *), KM_SLEEP);
	ni = kmem_zalloc(2 * osize * sizeof(void *), KM_SLEEP);
	if (nl == NULL || ni == NULL) {
		if (nl != NULL)
			kmem_free(nl, 2 * osize * sizeof(void *));
		if (ni != NULL)
			kmem_free(ni, 2 * osize * sizeof(void *));
		return;         /* longer chains, still correct */
	}
	pm->pm_lochash = nl;
	pm->pm_inohash = ni;
	pm->pm_hashsize = 2 * osize;
	for (i = 0; i < osize; i++)
		for (e = oi[i]; e != NULL; e = next) {
			next = e->e_inonext;
			ino_insert(pm, e);
			if (e->e_placed)
				loc_insert(pm, e);
		}
	kmem_free(ol, osize * sizeof(void *));
	kmem_free(oi, osize * sizeof(void *));
}

int
msdosfs_table_get(struct msdosfs_mount *pm, uint32_t dircl,
    uint32_t diroff, uint64_t entbyte, struct msdosfs_ent **ep)
{
	struct msdosfs_ent *e;
	ino_t ino;

	mutex_enter(&pm->pm_tablock);
	for (e = pm->pm_lochash[lochash(pm, dircl, diroff)]; e != NULL;
	    e = e->e_locnext)
		if (e->e_dircl == dircl && e->e_diroff == diroff)
			break;
	if (e == NULL) {
		if ((e = kmem_zalloc(sizeof(*e), KM_SLEEP)) == NULL) {
			mutex_exit(&pm->pm_tablock);
			return ENOMEM;
		}
		ino = (ino_t)(entbyte / DIRENT_SIZE);
		while (ino <= MSDOSFS_ROOTINO || ino_taken(pm, ino))
			ino = (ino_t)pm->pm_nextino++;
		e->e_ino = ino;
		e->e_dircl = dircl;
		e->e_diroff = diroff;
		ino_insert(pm, e);
		loc_insert(pm, e);
		if (++pm->pm_nents > 2 * pm->pm_hashsize)
			table_grow(pm);
	}
	*ep = e;
	mutex_exit(&pm->pm_tablock);
	return 0;
}

void
msdosfs_table_unplace(struct msdosfs_mount *pm, struct msdosfs_ent *e)
{
	mutex_enter(&pm->pm_tablock);
	if (e->e_placed)
		loc_remove(pm, e);
	if (!e->e_hasnode)
		ent_drop(pm, e);
	mutex_exit(&pm->pm_tablock);
}

void
msdosfs_table_move(struct msdosfs_mount *pm, struct msdosfs_ent *e,
    uint32_t dircl, uint32_t diroff)
{
	mutex_enter(&pm->pm_tablock);
	if (e->e_placed)
		loc_remove(pm, e);
	e->e_dircl = dircl;
	e->e_diroff = diroff;
	loc_insert(pm, e);
	mutex_exit(&pm->pm_tablock);
}

void
msdosfs_table_release(struct msdosfs_mount *pm, struct msdosfs_ent *e)
{
	mutex_enter(&pm->pm_tablock);
	e->e_hasnode = false;
	if (!e->e_placed)
		ent_drop(pm, e);
	mutex_exit(&pm->pm_tablock);
}

uint32_t
msdosfs_dircl(const struct msdosfs_mount *pm, const struct msdosfs_node *dp)
{
	if (dp->n_ino == MSDOSFS_ROOTINO)
		return pm->pm_rootcl;
	return dp->n_startcl;
}

int
msdosfs_vget(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    const struct msdosfs_dirpos *pos, struct vnode **vpp)
{
	struct msdosfs_loc loc;
	int error;

	if ((error = msdosfs_table_get(pm, msdosfs_dircl(pm, dp),
	    pos->dp_off, pos->dp_entbyte, &loc.l_ent)) != 0)
		return error;
	loc.l_entbyte = pos->dp_entbyte;
	memcpy(loc.l_dirent, pos->dp_dirent, DIRENT_SIZE);
	return vcache_get(pm->pm_mp, loc.l_ent->e_ino, &loc, vpp);
}

void
msdosfs_node_free(struct msdosfs_node *np)
{
	if (np->n_chain != NULL)
		kmem_free(np->n_chain, np->n_chaincap * sizeof(uint32_t));
	msdosfs_dircache_free(np);
	kmem_free(np, sizeof(*np));
}

int
msdosfs_node_load(struct msdosfs_mount *pm, ino_t ino,
    const struct msdosfs_loc *loc, struct msdosfs_node **npp)
{
	struct msdosfs_node *np;
	const uint8_t *de;
	uint32_t maxdir = MAX(MSDOSFS_MAXDIRSIZE / pm->pm_clsize, 1);
	nlink_t subdirs;
	int error;

	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL)
		return ENOMEM;
	np->n_ino = ino;
	if (ino == MSDOSFS_ROOTINO) {
		np->n_attr = ATTR_DIRECTORY;
		np->n_startcl = pm->pm_rootcl;
		if (pm->pm_fattype == 32 && (error = msdosfs_chain_load(pm, np,
		    maxdir)) != 0)
			goto fail;
	} else {
		if (loc == NULL) {
			/* Only lookups make numbers: none is asked blind. */
			error = ENOENT;
			goto fail;
		}
		de = loc->l_dirent;
		np->n_ent = loc->l_ent;
		np->n_entbyte = loc->l_entbyte;
		np->n_attr = de[DIR_ATTR];
		np->n_ntres = de[DIR_NTRES];
		np->n_startcl = getle16(de + DIR_FSTCLUSLO);
		if (pm->pm_fattype == 32)
			np->n_startcl |= (uint32_t)getle16(de +
			    DIR_FSTCLUSHI) << 16;
		np->n_size = getle32(de + DIR_FILESIZE);
		np->n_crtdate = getle16(de + DIR_CRTDATE);
		np->n_crttime = getle16(de + DIR_CRTTIME);
		np->n_crttenth = de[DIR_CRTTIMETENTH];
		msdosfs_dos_to_time(pm, getle16(de + DIR_WRTDATE),
		    getle16(de + DIR_WRTTIME), 0, &np->n_mtime);
		msdosfs_dos_to_time(pm, getle16(de + DIR_LSTACCDATE), 0, 0,
		    &np->n_atime);
		np->n_ctime = np->n_mtime;
		if (np->n_attr & ATTR_DIRECTORY) {
			np->n_size = 0;
			if (np->n_startcl == 0) {
				error = msdosfs_corrupt(pm, "directory entry "
				    "at %llu has no cluster",
				    (unsigned long long)np->n_entbyte);
				goto fail;
			}
			error = msdosfs_chain_load(pm, np, maxdir);
		} else {
			error = msdosfs_chain_load(pm, np,
			    (uint32_t)howmany((uint64_t)np->n_size,
			    pm->pm_clsize));
			if (error == 0 && (uint64_t)np->n_nchain *
			    pm->pm_clsize < np->n_size)
				error = msdosfs_corrupt(pm, "file at %llu: "
				    "%u clusters for %u bytes",
				    (unsigned long long)np->n_entbyte,
				    np->n_nchain, np->n_size);
		}
		if (error)
			goto fail;
	}
	np->n_nlink = 1;
	if (np->n_attr & ATTR_DIRECTORY) {
		if ((error = msdosfs_dir_subdirs(pm, np, &subdirs)) != 0)
			goto fail;
		np->n_nlink = 2 + subdirs;
	}
	if (np->n_ent != NULL) {
		mutex_enter(&pm->pm_tablock);
		np->n_ent->e_hasnode = true;
		mutex_exit(&pm->pm_tablock);
	}
	*npp = np;
	return 0;
fail:
	msdosfs_node_free(np);
	return error;
}

void
msdosfs_node_encode(const struct msdosfs_mount *pm,
    const struct msdosfs_node *np, uint8_t *de)
{
	uint16_t date, time;

	de[DIR_ATTR] = np->n_attr;
	de[DIR_NTRES] = np->n_ntres;
	de[DIR_CRTTIMETENTH] = np->n_crttenth;
	putle16(de + DIR_CRTTIME, np->n_crttime);
	putle16(de + DIR_CRTDATE, np->n_crtdate);
	msdosfs_time_to_dos(pm, &np->n_atime, &date, &time, NULL);
	putle16(de + DIR_LSTACCDATE, date);
	putle16(de + DIR_FSTCLUSHI, pm->pm_fattype == 32 ?
	    (uint16_t)(np->n_startcl >> 16) : 0);
	msdosfs_time_to_dos(pm, &np->n_mtime, &date, &time, NULL);
	putle16(de + DIR_WRTTIME, time);
	putle16(de + DIR_WRTDATE, date);
	putle16(de + DIR_FSTCLUSLO, (uint16_t)np->n_startcl);
	putle32(de + DIR_FILESIZE, (np->n_attr & ATTR_DIRECTORY) ? 0 :
	    np->n_size);
}

int
msdosfs_update(struct msdosfs_mount *pm, struct msdosfs_node *np)
{
	struct buf *bp;
	daddr_t blk;
	size_t bo;
	int size, error;

	KASSERT(rw_write_held(&pm->pm_lock));
	if (np->n_ino == MSDOSFS_ROOTINO || np->n_unlinked)
		return 0;
	msdosfs_devblk(pm, np->n_entbyte, &blk, &size, &bo);
	if ((error = bread(pm->pm_devvp, blk, size, 0, &bp)) != 0)
		return error;
	msdosfs_node_encode(pm, np, (uint8_t *)bp->b_data + bo);
	return msdosfs_bufwrite(pm, bp, MSDOSFS_BDWRITE);
}

int
msdosfs_truncate(struct msdosfs_mount *pm, struct msdosfs_node *np,
    uint64_t size)
{
	uint32_t ncl = (uint32_t)howmany(size, pm->pm_clsize), old;
	uint64_t end;
	struct buf *bp;
	size_t bo;
	int error;

	KASSERT(rw_write_held(&pm->pm_lock));
	if (size > UINT32_MAX)
		return EFBIG;
	if (size <= np->n_size) {
		if ((error = msdosfs_chain_cut(pm, np, ncl)) != 0)
			return error;
		np->n_size = (uint32_t)size;
		return 0;
	}
	/* Growing: the old last cluster's bytes past the end read zero. */
	bo = np->n_size % pm->pm_clsize;
	if (bo != 0 && np->n_nchain > 0) {
		if ((error = bread(pm->pm_devvp, MSDOSFS_SECBLK(pm,
		    MSDOSFS_CLSEC(pm, np->n_chain[np->n_nchain - 1])),
		    (int)pm->pm_clsize, 0, &bp)) != 0)
			return error;
		end = MIN(pm->pm_clsize, bo + (size - np->n_size));
		memset((uint8_t *)bp->b_data + bo, 0, (size_t)end - bo);
		if ((error = msdosfs_bufwrite(pm, bp, MSDOSFS_BDWRITE)) != 0)
			return error;
	}
	old = np->n_nchain;
	if ((error = msdosfs_chain_grow(pm, np, ncl, true)) != 0) {
		(void)msdosfs_chain_cut(pm, np, old);
		return error;
	}
	np->n_size = (uint32_t)size;
	return 0;
}
