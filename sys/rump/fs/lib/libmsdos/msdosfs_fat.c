/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The file allocation table: entries read from the first copy and
 * written to every copy, so the copies stay byte for byte the same; the
 * in-memory map of clusters in use, built from the FAT at mount, which
 * allocation searches (from the next-free hint, after the file's last
 * cluster when it has one); cluster chains read into a node and grown
 * or cut.  A value read from the FAT is checked before it is followed:
 * a chain that leaves the data clusters, reaches a free or bad cluster,
 * or runs longer than its file can be (a loop) is EIO with a log line.
 *
 * All with pm_lock held (msdosfs.h); changes as writer.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>

#include "msdosfs.h"

/* Byte offset of entry cl in a FAT. */
static uint64_t
fat_off(const struct msdosfs_mount *pm, uint32_t cl)
{
	switch (pm->pm_fattype) {
	case 12:
		return (uint64_t)cl + cl / 2;
	case 16:
		return (uint64_t)cl * 2;
	default:
		return (uint64_t)cl * 4;
	}
}

/*
 * Read (or with set, read, change and write) n bytes at byte off of
 * FAT copy k.  A FAT12 entry may straddle two sectors.
 */
static int
fat_bytes(struct msdosfs_mount *pm, uint32_t k, uint64_t off, uint8_t *b,
    size_t n, const uint8_t *set, const uint8_t *setmask)
{
	uint64_t sec;
	size_t i, bo;
	struct buf *bp;
	uint8_t *p;
	int error;

	for (i = 0; i < n;) {
		sec = pm->pm_rsvd + (uint64_t)k * pm->pm_fatsz +
		    (off + i) / pm->pm_bps;
		bo = (off + i) % pm->pm_bps;
		if ((error = bread(pm->pm_devvp, MSDOSFS_SECBLK(pm, sec),
		    (int)pm->pm_bps, 0, &bp)) != 0)
			return error;
		p = bp->b_data;
		for (; i < n && bo < pm->pm_bps; i++, bo++) {
			if (set != NULL)
				p[bo] = (uint8_t)((p[bo] & ~setmask[i]) |
				    (set[i] & setmask[i]));
			b[i] = p[bo];
		}
		if (set == NULL)
			brelse(bp, 0);
		else if ((error = msdosfs_bufwrite(pm, bp,
		    MSDOSFS_BDWRITE)) != 0)
			return error;
	}
	return 0;
}

/* Entry cl as stored, all of its bits (FAT32: 32 of them). */
static int
fat_rawget(struct msdosfs_mount *pm, uint32_t cl, uint32_t *vp)
{
	uint8_t b[4];
	int error;

	if ((error = fat_bytes(pm, 0, fat_off(pm, cl), b,
	    pm->pm_fattype == 12 ? 2 : (size_t)pm->pm_fattype / 8, NULL,
	    NULL)) != 0)
		return error;
	switch (pm->pm_fattype) {
	case 12:
		*vp = getle16(b);
		*vp = (cl & 1) ? *vp >> 4 : *vp & 0xFFF;
		break;
	case 16:
		*vp = getle16(b);
		break;
	default:
		*vp = getle32(b);
		break;
	}
	return 0;
}

/* Set entry cl in every copy; mask: which bits of the value to set. */
static int
fat_rawset(struct msdosfs_mount *pm, uint32_t cl, uint32_t v,
    uint32_t mask)
{
	uint8_t b[4], s[4], m[4];
	uint32_t k;
	size_t n = (size_t)pm->pm_fattype / 8;
	int error;

	KASSERT(rw_write_held(&pm->pm_lock));
	if (pm->pm_fattype == 12) {
		n = 2;
		if (cl & 1) {
			v <<= 4;
			mask = (mask & 0xFFF) << 4;
		} else
			mask &= 0xFFF;
	}
	putle32(s, v);
	putle32(m, mask);
	for (k = 0; k < pm->pm_nfats; k++)
		if ((error = fat_bytes(pm, k, fat_off(pm, cl), b, n, s,
		    m)) != 0)
			return error;
	return 0;
}

int
msdosfs_fat_get(struct msdosfs_mount *pm, uint32_t cl, uint32_t *vp)
{
	int error;

	if ((error = fat_rawget(pm, cl, vp)) == 0 && pm->pm_fattype == 32)
		*vp &= FAT32_MASK;
	return error;
}

int
msdosfs_fat_set(struct msdosfs_mount *pm, uint32_t cl, uint32_t v)
{
	/* FAT32 entries keep their top four bits (fatgen103). */
	return fat_rawset(pm, cl, v, pm->pm_fattype == 32 ? FAT32_MASK :
	    0xFFFFFFFFU);
}

int
msdosfs_fat_cleanbit(struct msdosfs_mount *pm, bool *cleanp)
{
	uint32_t v;
	int error;

	*cleanp = true;
	if (pm->pm_fattype == 12)
		return 0;
	if ((error = fat_rawget(pm, 1, &v)) != 0)
		return error;
	*cleanp = (v & (pm->pm_fattype == 16 ? FAT16_CLEAN : FAT32_CLEAN)) !=
	    0;
	return 0;
}

int
msdosfs_fat_setclean(struct msdosfs_mount *pm, bool clean)
{
	uint32_t bit = pm->pm_fattype == 16 ? FAT16_CLEAN : FAT32_CLEAN;

	if (pm->pm_fattype == 12)
		return 0;
	return fat_rawset(pm, 1, clean ? bit : 0, bit);
}

static void
map_set(struct msdosfs_mount *pm, uint32_t cl, bool inuse)
{
	if (inuse)
		pm->pm_inuse[cl / 8] |= (uint8_t)(1 << (cl % 8));
	else
		pm->pm_inuse[cl / 8] &= (uint8_t)~(1 << (cl % 8));
}

static bool
map_isset(const struct msdosfs_mount *pm, uint32_t cl)
{
	return (pm->pm_inuse[cl / 8] >> (cl % 8)) & 1;
}

int
msdosfs_fat_scan(struct msdosfs_mount *pm)
{
	uint32_t cl, v, per, nsec, last = pm->pm_ncl + 1;
	uint64_t sec;
	struct buf *bp;
	size_t i;
	int error;

	pm->pm_nfree = 0;
	memset(pm->pm_inuse, 0, (pm->pm_ncl + 2 + 7) / 8);
	map_set(pm, 0, true);
	map_set(pm, 1, true);
	if (pm->pm_fattype == 12) {
		for (cl = FAT_FIRSTCLUSTER; cl <= last; cl++) {
			if ((error = msdosfs_fat_get(pm, cl, &v)) != 0)
				return error;
			if (v != 0)
				map_set(pm, cl, true);
			else
				pm->pm_nfree++;
		}
		return 0;
	}
	/*
	 * FAT16/32 entries never straddle sectors.  The FAT is read in
	 * large pieces that are forgotten at once (and the device's
	 * buffers with them at the end), so later sector-sized reads of
	 * the same bytes never meet a buffer of another size.
	 */
	nsec = MAX(1, MAXBSIZE / pm->pm_bps);
	for (cl = 0, sec = pm->pm_rsvd; cl <= last; sec += nsec) {
		nsec = MIN(nsec, pm->pm_rsvd + pm->pm_fatsz - sec);
		per = nsec * pm->pm_bps / (uint32_t)(pm->pm_fattype / 8);
		if ((error = bread(pm->pm_devvp, MSDOSFS_SECBLK(pm, sec),
		    (int)(nsec * pm->pm_bps), 0, &bp)) != 0) {
			(void)vinvalbuf(pm->pm_devvp);
			return error;
		}
		for (i = 0; i < per && cl <= last; i++, cl++) {
			if (cl < FAT_FIRSTCLUSTER)
				continue;
			v = pm->pm_fattype == 16 ?
			    getle16((uint8_t *)bp->b_data + 2 * i) :
			    getle32((uint8_t *)bp->b_data + 4 * i) & FAT32_MASK;
			if (v != 0)
				map_set(pm, cl, true);
			else
				pm->pm_nfree++;
		}
		brelse(bp, B_INVAL);
	}
	(void)vinvalbuf(pm->pm_devvp);
	return 0;
}

/* A free cluster, searching from hint; 0 if none. */
static uint32_t
fat_findfree(struct msdosfs_mount *pm, uint32_t hint)
{
	uint32_t last = pm->pm_ncl + 1, cl, n;

	if (pm->pm_nfree == 0)
		return 0;
	if (!MSDOSFS_CLOK(pm, hint))
		hint = FAT_FIRSTCLUSTER;
	for (cl = hint, n = 0; n < pm->pm_ncl; n++) {
		/* Skip whole bytes of the map in use. */
		if (cl % 8 == 0 && cl + 8 <= last && pm->pm_inuse[cl / 8] ==
		    0xFF) {
			n += 7;
			cl += 8;
		} else if (!map_isset(pm, cl))
			return cl;
		else
			cl++;
		if (cl > last)
			cl = FAT_FIRSTCLUSTER;
	}
	return 0;
}

static int
chain_reserve(struct msdosfs_node *np, uint32_t n)
{
	uint32_t cap = np->n_chaincap ? np->n_chaincap : 4;
	uint32_t *nc;

	if (n <= np->n_chaincap)
		return 0;
	while (cap < n)
		cap *= 2;
	if ((nc = kmem_alloc(cap * sizeof(*nc), KM_SLEEP)) == NULL)
		return ENOMEM;
	if (np->n_nchain > 0)
		memcpy(nc, np->n_chain, np->n_nchain * sizeof(*nc));
	if (np->n_chain != NULL)
		kmem_free(np->n_chain, np->n_chaincap * sizeof(*nc));
	np->n_chain = nc;
	np->n_chaincap = cap;
	return 0;
}

int
msdosfs_chain_load(struct msdosfs_mount *pm, struct msdosfs_node *np,
    uint32_t maxcl)
{
	uint32_t cl = np->n_startcl, v;
	int error;

	np->n_nchain = 0;
	if (cl == 0)
		return 0;
	for (;;) {
		if (!MSDOSFS_CLOK(pm, cl))
			return msdosfs_corrupt(pm, "entry at %llu: cluster %u "
			    "out of range in its chain",
			    (unsigned long long)np->n_entbyte, cl);
		if (np->n_nchain >= maxcl)
			return msdosfs_corrupt(pm, "entry at %llu: cluster "
			    "chain longer than %u clusters (a loop?)",
			    (unsigned long long)np->n_entbyte, maxcl);
		if ((error = chain_reserve(np, np->n_nchain + 1)) != 0)
			return error;
		np->n_chain[np->n_nchain++] = cl;
		if ((error = msdosfs_fat_get(pm, cl, &v)) != 0)
			return error;
		if (v >= pm->pm_eocmin)
			return 0;
		if (v == pm->pm_bad || v < FAT_FIRSTCLUSTER)
			return msdosfs_corrupt(pm, "entry at %llu: chain goes "
			    "from %u to %s cluster %u",
			    (unsigned long long)np->n_entbyte, cl,
			    v == pm->pm_bad ? "bad" : "free", v);
		cl = v;
	}
}

int
msdosfs_chain_grow(struct msdosfs_mount *pm, struct msdosfs_node *np,
    uint32_t n, bool zero)
{
	uint32_t cl, hint;
	struct buf *bp;
	int error;

	KASSERT(rw_write_held(&pm->pm_lock));
	if (n > np->n_nchain && n - np->n_nchain > pm->pm_nfree)
		return ENOSPC;
	if ((error = chain_reserve(np, n)) != 0)
		return error;
	while (np->n_nchain < n) {
		hint = np->n_nchain > 0 ? np->n_chain[np->n_nchain - 1] + 1 :
		    pm->pm_nxtfree;
		if ((cl = fat_findfree(pm, hint)) == 0)
			return ENOSPC;
		if (zero) {
			bp = getblk(pm->pm_devvp,
			    MSDOSFS_SECBLK(pm, MSDOSFS_CLSEC(pm, cl)),
			    (int)pm->pm_clsize, 0, 0);
			memset(bp->b_data, 0, pm->pm_clsize);
			if ((error = msdosfs_bufwrite(pm, bp,
			    MSDOSFS_BDWRITE)) != 0)
				return error;
		}
		/* The new end first, then the link to it. */
		if ((error = msdosfs_fat_set(pm, cl, pm->pm_eoc)) != 0)
			return error;
		map_set(pm, cl, true);
		pm->pm_nfree--;
		pm->pm_nxtfree = cl + 1 > pm->pm_ncl + 1 ? FAT_FIRSTCLUSTER :
		    cl + 1;
		pm->pm_fmod = true;
		if (np->n_nchain > 0) {
			if ((error = msdosfs_fat_set(pm,
			    np->n_chain[np->n_nchain - 1], cl)) != 0) {
				(void)msdosfs_fat_set(pm, cl, 0);
				map_set(pm, cl, false);
				pm->pm_nfree++;
				return error;
			}
		} else
			np->n_startcl = cl;
		np->n_chain[np->n_nchain++] = cl;
	}
	return 0;
}

int
msdosfs_chain_cut(struct msdosfs_mount *pm, struct msdosfs_node *np,
    uint32_t n)
{
	uint32_t i, cl;
	int error, error2 = 0;

	KASSERT(rw_write_held(&pm->pm_lock));
	if (n >= np->n_nchain)
		return 0;
	/* The new end first, then free what hung after it. */
	if (n == 0)
		np->n_startcl = 0;
	else if ((error = msdosfs_fat_set(pm, np->n_chain[n - 1],
	    pm->pm_eoc)) != 0)
		return error;
	for (i = n; i < np->n_nchain; i++) {
		cl = np->n_chain[i];
		binvalblk(pm->pm_devvp, MSDOSFS_SECBLK(pm,
		    MSDOSFS_CLSEC(pm, cl)));
		if ((error = msdosfs_fat_set(pm, cl, 0)) != 0) {
			error2 = error;
			continue;
		}
		if (map_isset(pm, cl)) {
			map_set(pm, cl, false);
			pm->pm_nfree++;
		}
	}
	pm->pm_fmod = true;
	np->n_nchain = n;
	return error2;
}
