/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Directories: arrays of 32-byte entries (msdosfs_format.h) in the
 * FAT12/16 root region or in a cluster chain.  A scan reads entries in
 * order and puts each file's long name together from the long-name
 * entries before its short entry; a long name is used only when its
 * pieces come in order 20..1 with one checksum that matches the short
 * entry (else the short name shows, as on Windows).  An entry starting
 * with 0 ends the directory.  An entry whose name would break a path (a
 * '/' or a control character) is corrupt: it is skipped, with a log
 * line, and the rest of the directory stays usable.
 *
 * New entries go to the first run of free slots long enough for them,
 * so no entry is ever written after an end mark; a directory grows by
 * zeroed clusters, up to 65536 entries, and loses clusters at its end
 * that hold no entries once a removal leaves them empty.  Entries never
 * move, so a readdir cookie (the byte offset of an entry's first slot,
 * plus 2) stays valid; the root's "." and ".." are made up, at 0 and 1.
 *
 * A directory of more than DIRCACHE_MIN bytes gets a name hash in
 * memory at its first lookup: hashes of every file's long and short
 * names (upper-cased) to the offset of its first slot.  A lookup reads
 * and compares only the entries its hash names; the hash must hold
 * every file (entering and removing keep it so) but may name places
 * that changed: each candidate is read again and checked.
 *
 * With pm_lock held, as writer for changes.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <rump/msdosfs_args.h>

#include "msdosfs.h"

/* Room for a long name in UTF-16 units. */
#define NAMEBUF (LFN_MAXCHARS + LDIR_CHARS)

struct dscan {
	struct msdosfs_mount *pm;
	struct msdosfs_node *dp;
	struct buf *bp;                 /* the block being read, or NULL */
	uint32_t bstart, blen;          /* its directory offsets */
	uint64_t bdev;                  /* its device byte */
};

/* What a scan found: one file's entries. */
struct dfound {
	uint32_t first, off;            /* first slot, short entry */
	uint64_t entbyte;
	uint8_t de[DIRENT_SIZE];
	uint16_t name[NAMEBUF];         /* long name, or the short one */
	size_t namelen;
	uint16_t sname[12];             /* the short name shown */
	size_t snamelen;
	int dot;                        /* 1: ".", 2: "..", 0: neither */
};

uint32_t
msdosfs_dirsize(const struct msdosfs_mount *pm, const struct msdosfs_node *dp)
{
	if (dp->n_ino == MSDOSFS_ROOTINO && pm->pm_fattype != 32)
		return pm->pm_rootsecs * pm->pm_bps;
	return dp->n_nchain << pm->pm_clshift;
}

static void
dscan_init(struct dscan *s, struct msdosfs_mount *pm, struct msdosfs_node *dp)
{
	s->pm = pm;
	s->dp = dp;
	s->bp = NULL;
	s->bstart = s->blen = 0;
}

static void
dscan_done(struct dscan *s)
{
	if (s->bp != NULL)
		brelse(s->bp, 0);
	s->bp = NULL;
}

/* The entry at off (< dirsize): a pointer into the held block. */
static int
dscan_get(struct dscan *s, uint32_t off, uint8_t **dep, uint64_t *entbyte)
{
	struct msdosfs_mount *pm = s->pm;
	uint64_t sec;
	uint32_t len;
	int error;

	if (s->bp == NULL || off < s->bstart || off >= s->bstart + s->blen) {
		dscan_done(s);
		if (s->dp->n_ino == MSDOSFS_ROOTINO && pm->pm_fattype != 32) {
			sec = pm->pm_rootsec + off / pm->pm_bps;
			len = pm->pm_bps;
		} else {
			sec = MSDOSFS_CLSEC(pm,
			    s->dp->n_chain[off >> pm->pm_clshift]);
			len = pm->pm_clsize;
		}
		if ((error = bread(pm->pm_devvp, MSDOSFS_SECBLK(pm, sec),
		    (int)len, 0, &s->bp)) != 0) {
			s->bp = NULL;
			return error;
		}
		s->bstart = off - off % len;
		s->blen = len;
		s->bdev = sec * pm->pm_bps;
	}
	*dep = (uint8_t *)s->bp->b_data + (off - s->bstart);
	if (entbyte != NULL)
		*entbyte = s->bdev + (off - s->bstart);
	return 0;
}

/* Hand the held block, changed, to the disk. */
static int
dscan_write(struct dscan *s)
{
	struct buf *bp = s->bp;

	s->bp = NULL;
	return msdosfs_bufwrite(s->pm, bp, MSDOSFS_BDWRITE);
}

static void
lfn_chars(const uint8_t *de, uint16_t *out)
{
	int i;

	for (i = 0; i < 5; i++)
		out[i] = getle16(de + LDIR_NAME1 + 2 * i);
	for (i = 0; i < 6; i++)
		out[5 + i] = getle16(de + LDIR_NAME2 + 2 * i);
	for (i = 0; i < 2; i++)
		out[11 + i] = getle16(de + LDIR_NAME3 + 2 * i);
}

static bool
short_name_bad(const uint8_t *n)
{
	int i;

	for (i = 0; i < 11; i++) {
		if (i == 0 && n[0] == SLOT_E5)
			continue;
		if (n[i] < 0x20 || n[i] == '/' || n[i] == '\\')
			return true;
	}
	return false;
}

/*
 * The next file from *offp on: *endp at the end.  *offp is left after
 * its short entry.
 */
static int
dir_next(struct dscan *s, uint32_t *offp, struct dfound *f, bool *endp)
{
	struct msdosfs_mount *pm = s->pm;
	uint32_t size = msdosfs_dirsize(pm, s->dp), off;
	uint8_t *de, chk = 0, ord;
	uint16_t piece[LDIR_CHARS];
	int next = -1;                  /* the piece expected, -1: none */
	size_t i, lfnlen = 0;
	int error;

	*endp = false;
	for (off = *offp; off < size; off += DIRENT_SIZE) {
		if ((error = dscan_get(s, off, &de, &f->entbyte)) != 0)
			return error;
		if (de[0] == SLOT_END)
			break;
		if (de[0] == SLOT_FREE) {
			next = -1;
			continue;
		}
		if ((de[DIR_ATTR] & ATTR_LONG_MASK) == ATTR_LONG_NAME) {
			if ((pm->pm_flags & MSDOSFSMNT_NOWIN95) ||
			    de[LDIR_TYPE] != 0)
				continue;
			ord = de[LDIR_ORD];
			if (ord & LAST_LONG_ENTRY) {
				ord &= (uint8_t)~LAST_LONG_ENTRY;
				if (ord == 0 || ord > LDIR_MAXENTRIES) {
					next = -1;
					continue;
				}
				chk = de[LDIR_CHKSUM];
				f->first = off;
				lfn_chars(de, piece);
				for (i = 0; i < LDIR_CHARS && piece[i] != 0; i++)
					;
				lfnlen = (size_t)(ord - 1) * LDIR_CHARS + i;
			} else if (next < 1 || ord != next ||
			    de[LDIR_CHKSUM] != chk) {
				next = -1;
				continue;
			} else
				lfn_chars(de, piece);
			memcpy(f->name + (size_t)(ord - 1) * LDIR_CHARS, piece,
			    sizeof(piece));
			next = ord - 1;
			continue;
		}
		if (de[DIR_ATTR] & ATTR_VOLUME_ID) {
			next = -1;
			continue;
		}
		/* A short entry: a file, unless its name would break paths. */
		if (short_name_bad(de)) {
			(void)msdosfs_corrupt(pm, "entry at %llu: bad bytes in "
			    "its name: skipped", (unsigned long long)f->entbyte);
			next = -1;
			continue;
		}
		memcpy(f->de, de, DIRENT_SIZE);
		f->off = off;
		f->snamelen = msdosfs_short_to_ucs2(de, de[DIR_NTRES],
		    f->sname);
		f->dot = 0;
		if (next == 0 && msdosfs_lfn_chksum(de) == chk &&
		    lfnlen > 0 && lfnlen <= LFN_MAXCHARS &&
		    msdosfs_lfn_valid(f->name, lfnlen)) {
			f->namelen = lfnlen;
		} else {
			if (next == 0 && msdosfs_lfn_chksum(de) == chk)
				log(LOG_WARNING, "msdosfs: %s: entry at %llu: "
				    "bad long name, short name used\n",
				    pm->pm_fspec,
				    (unsigned long long)f->entbyte);
			f->first = off;
			memcpy(f->name, f->sname, f->snamelen * 2);
			f->namelen = f->snamelen;
			if (memcmp(de, ".          ", 11) == 0)
				f->dot = 1;
			else if (memcmp(de, "..         ", 11) == 0)
				f->dot = 2;
		}
		*offp = off + DIRENT_SIZE;
		return 0;
	}
	*offp = size;
	*endp = true;
	return 0;
}

static bool
name_eq(const uint16_t *a, size_t an, const uint16_t *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return false;
	for (i = 0; i < an; i++)
		if (msdosfs_upcase(a[i]) != msdosfs_upcase(b[i]))
			return false;
	return true;
}

/* The name as stored: trailing dots go (as Linux's vfat does). */
static int
name_in(const char *nm, size_t len, uint16_t *u, size_t *un)
{
	int error;

	while (len > 0 && nm[len - 1] == '.')
		len--;
	if (len == 0)
		return EINVAL;
	if ((error = msdosfs_utf8_to_ucs2(nm, len, u, un)) != 0)
		return error;
	return msdosfs_lfn_valid(u, *un) ? 0 : EINVAL;
}


/* Directories larger than this get a name hash. */
#define DIRCACHE_MIN 4096

struct dcent {
	struct dcent *next;
	uint32_t hash;
	uint32_t first;                 /* offset of the file's first slot */
};

struct msdosfs_dircache {
	uint32_t dc_nbuckets;           /* a power of two */
	uint32_t dc_n;
	bool dc_broken;                 /* a name is missing: unused */
	struct dcent **dc_b;
};

static uint32_t
name_hash(const uint16_t *u, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= msdosfs_upcase(u[i]);
		h *= 16777619u;
	}
	return h;
}

static void
dc_insert(struct msdosfs_dircache *dc, uint32_t hash, uint32_t first)
{
	struct dcent *e, **b;
	size_t i, nb;

	if (dc->dc_broken)
		return;
	if (dc->dc_n >= 2 * dc->dc_nbuckets) {
		nb = 2 * (size_t)dc->dc_nbuckets;
		if ((b = kmem_zalloc(nb * sizeof(*b), KM_SLEEP)) != NULL) {
			for (i = 0; i < dc->dc_nbuckets; i++)
				while ((e = dc->dc_b[i]) != NULL) {
					dc->dc_b[i] = e->next;
					e->next = b[e->hash & (nb - 1)];
					b[e->hash & (nb - 1)] = e;
				}
			kmem_free(dc->dc_b, dc->dc_nbuckets * sizeof(*b));
			dc->dc_b = b;
			dc->dc_nbuckets = (uint32_t)nb;
		}
	}
	/* Without memory the entry is missing: lookups must not trust it. */
	if ((e = kmem_alloc(sizeof(*e), KM_SLEEP)) == NULL) {
		dc->dc_broken = true;
		return;
	}
	e->hash = hash;
	e->first = first;
	e->next = dc->dc_b[hash & (dc->dc_nbuckets - 1)];
	dc->dc_b[hash & (dc->dc_nbuckets - 1)] = e;
	dc->dc_n++;
}

static void
dc_free(struct msdosfs_dircache *dc)
{
	struct dcent *e;
	uint32_t i;

	for (i = 0; i < dc->dc_nbuckets; i++)
		while ((e = dc->dc_b[i]) != NULL) {
			dc->dc_b[i] = e->next;
			kmem_free(e, sizeof(*e));
		}
	kmem_free(dc->dc_b, dc->dc_nbuckets * sizeof(*dc->dc_b));
	kmem_free(dc, sizeof(*dc));
}

void
msdosfs_dircache_free(struct msdosfs_node *dp)
{
	if (dp->n_dircache != NULL)
		dc_free(dp->n_dircache);
	dp->n_dircache = NULL;
}

/* Add a file's two names (pm_lock as writer, or building). */
static void
dc_add(struct msdosfs_dircache *dc, const uint16_t *name, size_t n,
    const uint16_t *sname, size_t sn, uint32_t first)
{
	uint32_t h = name_hash(name, n), hs = name_hash(sname, sn);

	dc_insert(dc, h, first);
	if (hs != h)
		dc_insert(dc, hs, first);
}

/* Forget every name of the file whose first slot is first. */
static void
dc_forget(struct msdosfs_dircache *dc, uint32_t first)
{
	struct dcent **pp, *e;
	uint32_t i;

	for (i = 0; i < dc->dc_nbuckets; i++)
		for (pp = &dc->dc_b[i]; (e = *pp) != NULL;) {
			if (e->first == first) {
				*pp = e->next;
				kmem_free(e, sizeof(*e));
				dc->dc_n--;
			} else
				pp = &e->next;
		}
}

/*
 * The name hash of dp, made now if dp is large enough and has none;
 * NULL: scan.  pm_lock held (as reader or writer).
 */
static struct msdosfs_dircache *
dc_get(struct msdosfs_mount *pm, struct msdosfs_node *dp, struct dfound *f)
{
	struct msdosfs_dircache *dc;
	struct dscan s;
	uint32_t off = 0;
	bool end;
	int error;

	if ((dc = atomic_load_acquire(&dp->n_dircache)) != NULL)
		return dc->dc_broken ? NULL : dc;
	if (msdosfs_dirsize(pm, dp) <= DIRCACHE_MIN)
		return NULL;
	mutex_enter(&pm->pm_dclock);
	if ((dc = dp->n_dircache) != NULL) {
		mutex_exit(&pm->pm_dclock);
		return dc->dc_broken ? NULL : dc;
	}
	if ((dc = kmem_zalloc(sizeof(*dc), KM_SLEEP)) == NULL ||
	    (dc->dc_b = kmem_zalloc(64 * sizeof(*dc->dc_b), KM_SLEEP)) ==
	    NULL) {
		if (dc != NULL)
			kmem_free(dc, sizeof(*dc));
		mutex_exit(&pm->pm_dclock);
		return NULL;
	}
	dc->dc_nbuckets = 64;
	dscan_init(&s, pm, dp);
	while ((error = dir_next(&s, &off, f, &end)) == 0 && !end &&
	    !dc->dc_broken) {
		if (f->dot == 0)
			dc_add(dc, f->name, f->namelen, f->sname, f->snamelen,
			    f->first);
	}
	dscan_done(&s);
	if (error != 0 || dc->dc_broken) {
		dc_free(dc);
		mutex_exit(&pm->pm_dclock);
		return NULL;
	}
	atomic_store_release(&dp->n_dircache, dc);
	mutex_exit(&pm->pm_dclock);
	return dc;
}

int
msdosfs_dir_lookup(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    const char *nm, size_t len, struct msdosfs_dirpos *pos)
{
	struct msdosfs_dircache *dc;
	struct dfound *f;
	struct dcent *e;
	struct dscan s;
	uint16_t *u;
	size_t un;
	uint32_t off = 0, h;
	bool end;
	int error;

	if ((f = kmem_alloc(sizeof(*f) + NAMEBUF * 2, KM_SLEEP)) == NULL)
		return ENOMEM;
	u = (uint16_t *)(f + 1);
	if ((error = name_in(nm, len, u, &un)) != 0) {
		kmem_free(f, sizeof(*f) + NAMEBUF * 2);
		return error == EINVAL ? ENOENT : error;
	}
	dscan_init(&s, pm, dp);
	if ((dc = dc_get(pm, dp, f)) != NULL) {
		/* Only the files the hash names. */
		h = name_hash(u, un);
		error = ENOENT;
		for (e = dc->dc_b[h & (dc->dc_nbuckets - 1)]; e != NULL;
		    e = e->next) {
			if (e->hash != h)
				continue;
			off = e->first;
			if ((error = dir_next(&s, &off, f, &end)) != 0)
				break;
			error = ENOENT;
			if (end || f->dot || f->first != e->first)
				continue;
			if (name_eq(u, un, f->name, f->namelen) ||
			    name_eq(u, un, f->sname, f->snamelen)) {
				error = 0;
				break;
			}
		}
	} else {
		for (;;) {
			if ((error = dir_next(&s, &off, f, &end)) != 0)
				break;
			if (end) {
				error = ENOENT;
				break;
			}
			if (f->dot)
				continue;
			if (name_eq(u, un, f->name, f->namelen) ||
			    name_eq(u, un, f->sname, f->snamelen))
				break;
		}
	}
	if (error == 0) {
		pos->dp_first = f->first;
		pos->dp_off = f->off;
		pos->dp_entbyte = f->entbyte;
		memcpy(pos->dp_dirent, f->de, DIRENT_SIZE);
	}
	dscan_done(&s);
	kmem_free(f, sizeof(*f) + NAMEBUF * 2);
	return error;
}

/* The length of "~N" tails searched; 65535 names per basis. */
#define TAILMAX 65536

/*
 * Whether short name n is basis b with a tail ~N (for this basis
 * length); N then.
 */
static unsigned
tail_of(const uint8_t *n, const uint8_t *b, size_t blen)
{
	unsigned v = 0;
	size_t i, p;

	if (memcmp(n + 8, b + 8, 3) != 0)
		return 0;
	for (p = 0; p < 8 && n[p] != '~'; p++)
		;
	if (p == 8 || p > blen || memcmp(n, b, p) != 0)
		return 0;
	for (i = p + 1; i < 8 && n[i] >= '0' && n[i] <= '9'; i++) {
		v = v * 10 + (unsigned)(n[i] - '0');
		if (v >= TAILMAX)
			return 0;
	}
	if (i == p + 1 || (i < 8 && n[i] != ' '))
		return 0;
	/* The tail must sit where msdosfs_tail83 would put it. */
	return p == MIN(blen, 8 - (i - p)) ? v : 0;
}

int
msdosfs_dir_enter(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    const char *nm, size_t len, const uint8_t *tmpl,
    struct msdosfs_dirpos *pos)
{
	struct dfound *f = NULL;
	struct dscan s;
	uint16_t *u;
	uint8_t name11[11], up11[11], ntres = 0, *de, *used = NULL, chk;
	uint16_t piece[LDIR_CHARS];
	uint32_t size, off, runstart = 0, run = 0, nslots, need, i;
	size_t un, blen = 8;
	unsigned tail;
	bool needtail = false, collide = false, longname;
	int error, k;

	dscan_init(&s, pm, dp);
	if ((f = kmem_alloc(sizeof(*f) + NAMEBUF * 2, KM_SLEEP)) == NULL)
		return ENOMEM;
	u = (uint16_t *)(f + 1);
	if ((error = name_in(nm, len, u, &un)) != 0)
		goto out;
	longname = !msdosfs_fits83(u, un, name11, &ntres);
	if (longname && (pm->pm_flags & MSDOSFSMNT_NOWIN95)) {
		error = EINVAL;
		goto out;
	}
	if (longname) {
		ntres = 0;
		msdosfs_basis83(u, un, name11, &blen);
		/* Mixed case alone is no loss: the basis is the name. */
		for (i = 0; i < un && i < NAMEBUF; i++)
			f->name[i] = msdosfs_upcase(u[i]);
		needtail = !msdosfs_fits83(f->name, un, up11, &ntres) ||
		    memcmp(up11, name11, 11) != 0;
		ntres = 0;
	}
	if (needtail || longname) {
		if ((used = kmem_zalloc(TAILMAX / 8, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
	}
	nslots = longname ? (uint32_t)howmany(un, LDIR_CHARS) + 1 : 1;

	/* One pass: the names taken and the first free run. */
	size = msdosfs_dirsize(pm, dp);
	for (off = 0; off < size; off += DIRENT_SIZE) {
		if ((error = dscan_get(&s, off, &de, NULL)) != 0)
			goto out;
		if (de[0] == SLOT_END) {
			/* Every slot from here on is free. */
			if (run == 0)
				runstart = off;
			if (run < nslots)
				run = MIN(nslots, run + (size - off) /
				    DIRENT_SIZE);
			break;
		}
		if (de[0] == SLOT_FREE) {
			if (run == 0)
				runstart = off;
			if (run < nslots)
				run++;
			continue;
		}
		if (run < nslots)
			run = 0;
		/* Long-name pieces and the volume label are no files. */
		if ((de[DIR_ATTR] & ATTR_LONG_MASK) == ATTR_LONG_NAME ||
		    (de[DIR_ATTR] & ATTR_VOLUME_ID))
			continue;
		if (memcmp(de, name11, 11) == 0)
			collide = true;
		if (used != NULL && (tail = tail_of(de, name11, blen)) != 0)
			used[tail / 8] |= (uint8_t)(1 << (tail % 8));
	}
	dscan_done(&s);
	if (needtail || (longname && collide)) {
		for (tail = 1; tail < TAILMAX &&
		    (used[tail / 8] & (1 << (tail % 8))); tail++)
			;
		if (tail == TAILMAX) {
			error = EEXIST;
			goto out;
		}
		msdosfs_tail83(name11, blen, tail);
	} else if (collide) {
		error = EEXIST;
		goto out;
	}
	/* Grow the directory when no run is long enough. */
	if (run < nslots) {
		if (dp->n_ino == MSDOSFS_ROOTINO && pm->pm_fattype != 32) {
			error = ENOSPC;
			goto out;
		}
		if (run == 0)
			runstart = size;
		need = (uint32_t)howmany(runstart + nslots * DIRENT_SIZE,
		    pm->pm_clsize);
		if ((uint64_t)need * pm->pm_clsize > MSDOSFS_MAXDIRSIZE) {
			error = ENOSPC;
			goto out;
		}
		if ((error = msdosfs_chain_grow(pm, dp, need, true)) != 0)
			goto out;
	}

	/* The long-name pieces, last first, then the short entry. */
	chk = msdosfs_lfn_chksum(name11);
	off = runstart;
	for (k = (int)nslots - 1; k >= 1; k--, off += DIRENT_SIZE) {
		if ((error = dscan_get(&s, off, &de, NULL)) != 0)
			goto out;
		memset(de, 0, DIRENT_SIZE);
		de[LDIR_ORD] = (uint8_t)(k | (k == (int)nslots - 1 ?
		    LAST_LONG_ENTRY : 0));
		de[LDIR_ATTR] = ATTR_LONG_NAME;
		de[LDIR_CHKSUM] = chk;
		for (i = 0; i < LDIR_CHARS; i++) {
			size_t c = (size_t)(k - 1) * LDIR_CHARS + i;
			piece[i] = c < un ? u[c] : c == un ? 0 : 0xFFFF;
		}
		for (i = 0; i < 5; i++)
			putle16(de + LDIR_NAME1 + 2 * i, piece[i]);
		for (i = 0; i < 6; i++)
			putle16(de + LDIR_NAME2 + 2 * i, piece[5 + i]);
		for (i = 0; i < 2; i++)
			putle16(de + LDIR_NAME3 + 2 * i, piece[11 + i]);
		/* Write a block out as the pieces leave it. */
		if ((off + DIRENT_SIZE) % s.blen == 0 &&
		    (error = dscan_write(&s)) != 0)
			goto out;
	}
	if ((error = dscan_get(&s, off, &de, &pos->dp_entbyte)) != 0)
		goto out;
	memcpy(de, tmpl, DIRENT_SIZE);
	memcpy(de, name11, 11);
	de[DIR_NTRES] = (uint8_t)((tmpl[DIR_NTRES] & ~(NTRES_LCASE_BASE |
	    NTRES_LCASE_EXT)) | ntres);
	pos->dp_first = runstart;
	pos->dp_off = off;
	memcpy(pos->dp_dirent, de, DIRENT_SIZE);
	if ((error = dscan_write(&s)) == 0 && dp->n_dircache != NULL) {
		f->snamelen = msdosfs_short_to_ucs2(pos->dp_dirent,
		    pos->dp_dirent[DIR_NTRES], f->sname);
		dc_add(dp->n_dircache, u, un, f->sname, f->snamelen, runstart);
	}
out:
	dscan_done(&s);
	if (used != NULL)
		kmem_free(used, TAILMAX / 8);
	kmem_free(f, sizeof(*f) + NAMEBUF * 2);
	return error;
}

int
msdosfs_dir_remove(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    const struct msdosfs_dirpos *pos)
{
	struct dscan s;
	uint32_t off;
	uint8_t *de;
	int error = 0;

	if (dp->n_dircache != NULL)
		dc_forget(dp->n_dircache, pos->dp_first);
	dscan_init(&s, pm, dp);
	for (off = pos->dp_first; off <= pos->dp_off; off += DIRENT_SIZE) {
		if ((error = dscan_get(&s, off, &de, NULL)) != 0)
			break;
		de[0] = SLOT_FREE;
		if ((off + DIRENT_SIZE) % s.blen == 0 || off == pos->dp_off)
			if ((error = dscan_write(&s)) != 0)
				break;
	}
	dscan_done(&s);
	return error;
}

int
msdosfs_dir_shrink(struct msdosfs_mount *pm, struct msdosfs_node *dp)
{
	struct dscan s;
	uint32_t size = msdosfs_dirsize(pm, dp), off, last = 0, keep;
	uint8_t *de;
	int error = 0;

	if (dp->n_ino == MSDOSFS_ROOTINO)
		return 0;
	dscan_init(&s, pm, dp);
	for (off = 0; off < size; off += DIRENT_SIZE) {
		if ((error = dscan_get(&s, off, &de, NULL)) != 0)
			break;
		if (de[0] == SLOT_END)
			break;
		if (de[0] != SLOT_FREE)
			last = off;
	}
	dscan_done(&s);
	if (error)
		return error;
	keep = (uint32_t)MAX(1, howmany(last + DIRENT_SIZE, pm->pm_clsize));
	if (keep >= dp->n_nchain)
		return 0;
	return msdosfs_chain_cut(pm, dp, keep);
}

/* Count (or find) entries: non-dot files, subdirectories. */
static int
dir_count(struct msdosfs_mount *pm, struct msdosfs_node *dp, bool dirsonly,
    bool stopatone, uint32_t *np)
{
	struct dfound *f;
	struct dscan s;
	uint32_t off = 0;
	bool end;
	int error;

	*np = 0;
	if ((f = kmem_alloc(sizeof(*f), KM_SLEEP)) == NULL)
		return ENOMEM;
	dscan_init(&s, pm, dp);
	for (;;) {
		if ((error = dir_next(&s, &off, f, &end)) != 0 || end)
			break;
		if (f->dot)
			continue;
		if (!dirsonly || (f->de[DIR_ATTR] & ATTR_DIRECTORY)) {
			(*np)++;
			if (stopatone)
				break;
		}
	}
	dscan_done(&s);
	kmem_free(f, sizeof(*f));
	return error;
}

int
msdosfs_dir_empty(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    bool *emptyp)
{
	uint32_t n;
	int error;

	error = dir_count(pm, dp, false, true, &n);
	*emptyp = n == 0;
	return error;
}

int
msdosfs_dir_subdirs(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    nlink_t *np)
{
	uint32_t n;
	int error;

	error = dir_count(pm, dp, true, false, &n);
	*np = n;
	return error;
}

static void
dot_entry(const struct msdosfs_mount *pm, const struct msdosfs_node *dp,
    uint8_t *de, const char *name, uint32_t cl)
{
	memset(de, 0, DIRENT_SIZE);
	msdosfs_node_encode(pm, dp, de);
	memcpy(de, name, 11);
	de[DIR_NTRES] = 0;
	putle16(de + DIR_FSTCLUSLO, (uint16_t)cl);
	putle16(de + DIR_FSTCLUSHI, pm->pm_fattype == 32 ?
	    (uint16_t)(cl >> 16) : 0);
}

int
msdosfs_dir_init(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    uint32_t pcl)
{
	struct dscan s;
	uint8_t *de;
	int error;

	/* ".." of a directory in the root says 0 (fatgen103). */
	if (pcl == pm->pm_rootcl)
		pcl = 0;
	dscan_init(&s, pm, dp);
	if ((error = dscan_get(&s, 0, &de, NULL)) != 0)
		return error;
	dot_entry(pm, dp, de, ".          ", dp->n_startcl);
	dot_entry(pm, dp, de + DIRENT_SIZE, "..         ", pcl);
	return dscan_write(&s);
}

int
msdosfs_dir_setdotdot(struct msdosfs_mount *pm, struct msdosfs_node *dp,
    uint32_t pcl)
{
	struct dscan s;
	uint8_t *de;
	int error;

	if (pcl == pm->pm_rootcl)
		pcl = 0;
	dscan_init(&s, pm, dp);
	if ((error = dscan_get(&s, DIRENT_SIZE, &de, NULL)) != 0)
		return error;
	if (memcmp(de, "..         ", 11) != 0) {
		dscan_done(&s);
		return msdosfs_corrupt(pm, "directory at cluster %u: no \"..\"",
		    dp->n_startcl);
	}
	putle16(de + DIR_FSTCLUSLO, (uint16_t)pcl);
	putle16(de + DIR_FSTCLUSHI, pm->pm_fattype == 32 ?
	    (uint16_t)(pcl >> 16) : 0);
	return dscan_write(&s);
}

int
msdosfs_dir_dotdot(struct msdosfs_mount *pm, uint32_t dircl, uint32_t *pclp)
{
	struct buf *bp;
	uint8_t *de;
	int error;

	if (!MSDOSFS_CLOK(pm, dircl))
		return msdosfs_corrupt(pm, "directory cluster %u", dircl);
	if ((error = bread(pm->pm_devvp, MSDOSFS_SECBLK(pm,
	    MSDOSFS_CLSEC(pm, dircl)), (int)pm->pm_clsize, 0, &bp)) != 0)
		return error;
	de = (uint8_t *)bp->b_data + DIRENT_SIZE;
	if (memcmp(de, "..         ", 11) != 0 ||
	    !(de[DIR_ATTR] & ATTR_DIRECTORY)) {
		brelse(bp, 0);
		return msdosfs_corrupt(pm, "directory at cluster %u: no \"..\"",
		    dircl);
	}
	*pclp = getle16(de + DIR_FSTCLUSLO);
	if (pm->pm_fattype == 32)
		*pclp |= (uint32_t)getle16(de + DIR_FSTCLUSHI) << 16;
	if (*pclp == pm->pm_rootcl)
		*pclp = 0;
	brelse(bp, 0);
	return 0;
}

int
msdosfs_dir_findcl(struct msdosfs_mount *pm, uint32_t pcl, uint32_t dircl,
    struct msdosfs_dirpos *pos)
{
	struct msdosfs_node *tp;
	struct dfound *f = NULL;
	struct dscan s;
	uint32_t off = 0, cl;
	bool end;
	int error;

	if ((tp = kmem_zalloc(sizeof(*tp), KM_SLEEP)) == NULL)
		return ENOMEM;
	tp->n_ino = pcl == 0 ? MSDOSFS_ROOTINO : MSDOSFS_ROOTINO + 1;
	tp->n_startcl = pcl == 0 ? pm->pm_rootcl : pcl;
	tp->n_attr = ATTR_DIRECTORY;
	if ((error = msdosfs_chain_load(pm, tp, MAX(MSDOSFS_MAXDIRSIZE /
	    pm->pm_clsize, 1))) != 0)
		goto out;
	if ((f = kmem_alloc(sizeof(*f), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	dscan_init(&s, pm, tp);
	for (;;) {
		if ((error = dir_next(&s, &off, f, &end)) != 0)
			break;
		if (end) {
			error = msdosfs_corrupt(pm, "directory at cluster %u "
			    "is not in its parent %u", dircl, pcl);
			break;
		}
		cl = getle16(f->de + DIR_FSTCLUSLO);
		if (pm->pm_fattype == 32)
			cl |= (uint32_t)getle16(f->de + DIR_FSTCLUSHI) << 16;
		if (f->dot == 0 && (f->de[DIR_ATTR] & ATTR_DIRECTORY) &&
		    cl == dircl) {
			pos->dp_first = f->first;
			pos->dp_off = f->off;
			pos->dp_entbyte = f->entbyte;
			memcpy(pos->dp_dirent, f->de, DIRENT_SIZE);
			break;
		}
	}
	dscan_done(&s);
out:
	if (f != NULL)
		kmem_free(f, sizeof(*f));
	msdosfs_node_free(tp);
	return error;
}

/* The number of the parent of directory dp (for readdir's ".."). */
static int
parent_ino(struct msdosfs_mount *pm, struct msdosfs_node *dp, ino_t *inop)
{
	struct msdosfs_dirpos pos;
	struct msdosfs_ent *e;
	uint32_t pcl, gcl;
	int error;

	*inop = MSDOSFS_ROOTINO;
	if (dp->n_ino == MSDOSFS_ROOTINO)
		return 0;
	if ((error = msdosfs_dir_dotdot(pm, dp->n_startcl, &pcl)) != 0 ||
	    pcl == 0)
		return error;
	if ((error = msdosfs_dir_dotdot(pm, pcl, &gcl)) != 0 ||
	    (error = msdosfs_dir_findcl(pm, gcl, pcl, &pos)) != 0 ||
	    (error = msdosfs_table_get(pm, gcl == 0 ? pm->pm_rootcl : gcl,
	    pos.dp_off, pos.dp_entbyte, &e)) != 0)
		return error;
	*inop = e->e_ino;
	return 0;
}

int
msdosfs_dir_readdir(struct vnode *vp, struct uio *uio)
{
	struct msdosfs_mount *pm = VTOMSDOS(vp);
	struct msdosfs_node *dp = VTONODE(vp);
	struct msdosfs_ent *e;
	struct dfound *f;
	struct dscan s;
	size_t resid = uio->uio_resid, n;
	uint64_t cookie;
	uint32_t off;
	ino_t ino;
	char *name;
	bool end;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	cookie = (uint64_t)uio->uio_offset;
	if ((f = kmem_alloc(sizeof(*f) + 4 * NAMEBUF, KM_SLEEP)) == NULL)
		return ENOMEM;
	name = (char *)(f + 1);
	if (dp->n_ino == MSDOSFS_ROOTINO) {
		if (cookie == 0 && (error = vfs_dirent_emit(uio, dp->n_ino, 1,
		    DT_DIR, ".", 1)) == 0)
			cookie = 1;
		if (error == 0 && cookie == 1 && (error = vfs_dirent_emit(uio,
		    dp->n_ino, 2, DT_DIR, "..", 2)) == 0)
			cookie = 2;
	}
	off = cookie < 2 ? 0 : (uint32_t)MIN(cookie - 2,
	    msdosfs_dirsize(pm, dp));
	off -= off % DIRENT_SIZE;
	dscan_init(&s, pm, dp);
	while (error == 0) {
		if ((error = dir_next(&s, &off, f, &end)) != 0 || end)
			break;
		if (f->dot != 0 && (dp->n_ino == MSDOSFS_ROOTINO ||
		    f->off != (uint32_t)(f->dot - 1) * DIRENT_SIZE))
			continue;
		if (f->dot == 1)
			ino = dp->n_ino;
		else if (f->dot == 2) {
			dscan_done(&s);
			if ((error = parent_ino(pm, dp, &ino)) != 0)
				break;
		} else {
			if ((error = msdosfs_table_get(pm,
			    msdosfs_dircl(pm, dp), f->off, f->entbyte,
			    &e)) != 0)
				break;
			ino = e->e_ino;
		}
		n = msdosfs_ucs2_to_utf8(f->name, f->namelen, name);
		if ((error = vfs_dirent_emit(uio, ino, off + 2,
		    (f->de[DIR_ATTR] & ATTR_DIRECTORY) ? DT_DIR : DT_REG,
		    name, n)) != 0)
			break;
		cookie = off + 2;
	}
	dscan_done(&s);
	kmem_free(f, sizeof(*f) + 4 * NAMEBUF);
	if (error == 0)
		cookie = MAX(cookie, (uint64_t)off + 2);
	if (error == EJUSTRETURN)
		error = uio->uio_resid == resid ? EINVAL : 0;
	uio->uio_offset = (off_t)cookie;
	return error;
}
