/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Loading a file from its inode number (a byte position, cd9660.h):
 * the record there is a directory's "." record (the inode is that
 * directory) or a file's first record.  Attributes come from Rock Ridge
 * (PX, PN, TF, SL) on a Rock Ridge volume, a directory's from its "."
 * record; without Rock Ridge every file is r-xr-xr-x, owned by 0, with
 * the record's date for all three times.  A directory's parent is its
 * ".." record's extent, or with Rock Ridge its PL.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/stat.h>

#include "cd9660.h"

#define ISO_NORR_MODE 0555

/* The record at byte position pos into rec (256 bytes), checked. */
static int
read_record(const struct cd9660 *iso, uint64_t pos, uint8_t *rec)
{
	int error;

	if ((error = cd9660_devread(iso, pos, rec, 1)) != 0)
		return error;
	if (rec[ISO_DR_LEN] < ISO_DR_MINLEN ||
	    ISO_SECTOR - pos % ISO_SECTOR < rec[ISO_DR_LEN])
		return cd9660_corrupt(iso, "record at %llu: bad length %u",
		    (unsigned long long)pos, rec[ISO_DR_LEN]);
	if ((error = cd9660_devread(iso, pos, rec, rec[ISO_DR_LEN])) != 0)
		return error;
	if (rec[ISO_DR_NAMELEN] == 0 ||
	    ISO_DR_NAME + rec[ISO_DR_NAMELEN] > rec[ISO_DR_LEN])
		return cd9660_corrupt(iso, "record at %llu: bad name length "
		    "%u", (unsigned long long)pos, rec[ISO_DR_NAMELEN]);
	return 0;
}

/* Where a record's data is, checked against the image. */
static int
rec_extent(const struct cd9660 *iso, uint64_t pos, const uint8_t *rec,
    struct cd9660_extent *ext)
{
	uint64_t blk = (uint64_t)iso_le32(rec + ISO_DR_EXTENT) +
	    rec[ISO_DR_XARLEN];

	ext->ce_off = blk << iso->iso_lbshift;
	ext->ce_len = iso_le32(rec + ISO_DR_SIZE);
	if (rec[ISO_DR_UNITSIZE] != 0 || rec[ISO_DR_GAP] != 0)
		return cd9660_corrupt(iso, "record at %llu: interleaved file",
		    (unsigned long long)pos);
	if (ext->ce_len != 0 && !cd9660_range_ok(iso, ext->ce_off, ext->ce_len))
		return cd9660_corrupt(iso, "record at %llu: extent at block "
		    "%llu of %llu bytes past the end of the image",
		    (unsigned long long)pos, (unsigned long long)blk,
		    (unsigned long long)ext->ce_len);
	return 0;
}

static int
add_extent(const struct cd9660 *iso, struct cd9660_node *np,
    const struct cd9660_extent *e)
{
	struct cd9660_extent *n;

	if (np->cn_next == CD9660_MAXEXT)
		return cd9660_corrupt(iso, "file %llu: more than %d extents",
		    (unsigned long long)np->cn_ino, CD9660_MAXEXT);
	if (e->ce_len > (uint64_t)INT64_MAX - np->cn_size)
		return cd9660_corrupt(iso, "file %llu: too large",
		    (unsigned long long)np->cn_ino);
	/* Grow in doubling steps: a few extents are the rule. */
	if ((np->cn_next & (np->cn_next - 1)) == 0) {
		size_t cap = np->cn_next == 0 ? 1 : np->cn_next * 2;

		if ((n = kmem_alloc(cap * sizeof(*n), KM_SLEEP)) == NULL)
			return ENOMEM;
		if (np->cn_next > 0) {
			memcpy(n, np->cn_ext, np->cn_next * sizeof(*n));
			kmem_free(np->cn_ext, np->cn_next * sizeof(*n));
		}
		np->cn_ext = n;
	}
	np->cn_ext[np->cn_next++] = *e;
	np->cn_size += e->ce_len;
	return 0;
}

/* Attributes from the record's date and its Rock Ridge entries. */
static int
attrs(const struct cd9660 *iso, struct cd9660_node *np, const uint8_t *rec,
    const struct cd9660_rr *rr, uint32_t type)
{
	struct timespec ts;

	cd9660_date7(rec + ISO_DR_DATE, &ts);
	np->cn_atime = np->cn_mtime = np->cn_ctime = ts;
	np->cn_mode = type | ISO_NORR_MODE;
	np->cn_nlink = type == S_IFDIR ? 2 : 1;
	if (rr == NULL)
		return 0;
	if (rr->rr_px) {
		if ((rr->rr_mode & S_IFMT) != type &&
		    (type == S_IFDIR || (rr->rr_mode & S_IFMT) == S_IFDIR ||
		    (rr->rr_mode & S_IFMT) == 0))
			return cd9660_corrupt(iso, "file %llu: PX type 0%o "
			    "for a %s", (unsigned long long)np->cn_ino,
			    rr->rr_mode & S_IFMT, type == S_IFDIR ?
			    "directory" : "file");
		np->cn_mode = rr->rr_mode & (S_IFMT | ALLPERMS);
		np->cn_nlink = rr->rr_nlink;
		np->cn_uid = rr->rr_uid;
		np->cn_gid = rr->rr_gid;
	}
	if (rr->rr_tf & RR_TF_MODIFY)
		np->cn_mtime = rr->rr_mtime;
	if (rr->rr_tf & RR_TF_ACCESS)
		np->cn_atime = rr->rr_atime;
	if (rr->rr_tf & RR_TF_ATTR)
		np->cn_ctime = rr->rr_ctime;
	if (rr->rr_pn) {
		np->cn_rdev_hi = rr->rr_rdev_hi;
		np->cn_rdev_lo = rr->rr_rdev_lo;
	}
	return 0;
}

static int
load_dir(const struct cd9660 *iso, struct cd9660_node *np, uint8_t *rec,
    struct cd9660_rr *rr)
{
	uint64_t ino = np->cn_ino, ppos;
	struct cd9660_extent e;
	bool rrip = iso->iso_names == CD9660_RRIP;
	int error;

	if ((rec[ISO_DR_FLAGS] & ISO_FL_DIR) == 0)
		return cd9660_corrupt(iso, "directory %llu: its \".\" is not "
		    "a directory", (unsigned long long)ino);
	if ((error = rec_extent(iso, ino, rec, &e)) != 0)
		return error;
	if (e.ce_off != ino || ino % ISO_SECTOR != 0 ||
	    e.ce_len < 2 * ISO_DR_MINLEN)
		return cd9660_corrupt(iso, "directory %llu: its \".\" says "
		    "%llu bytes at %llu", (unsigned long long)ino,
		    (unsigned long long)e.ce_len,
		    (unsigned long long)e.ce_off);
	if (rrip && (error = cd9660_rr_parse(iso, ino, rec,
	    ino == iso->iso_root ? 0 : iso->iso_skip, rr)) != 0)
		return error;
	if ((error = attrs(iso, np, rec, rrip ? rr : NULL, S_IFDIR)) != 0 ||
	    (error = add_extent(iso, np, &e)) != 0)
		return error;
	/* "..", right after "." */
	ppos = ino + rec[ISO_DR_LEN];
	if ((error = read_record(iso, ppos, rec)) != 0)
		return error;
	if (rec[ISO_DR_NAMELEN] != 1 || rec[ISO_DR_NAME] != 1 ||
	    (rec[ISO_DR_FLAGS] & ISO_FL_DIR) == 0)
		return cd9660_corrupt(iso, "directory %llu: no \"..\" after "
		    "\".\"", (unsigned long long)ino);
	if ((error = rec_extent(iso, ppos, rec, &e)) != 0)
		return error;
	np->cn_parent = ino == iso->iso_root ? ino : e.ce_off;
	if (rrip && ino != iso->iso_root) {
		if ((error = cd9660_rr_parse(iso, ppos, rec, iso->iso_skip,
		    rr)) != 0)
			return error;
		if (rr->rr_pl)
			np->cn_parent = (uint64_t)rr->rr_plblk <<
			    iso->iso_lbshift;
	}
	return 0;
}

static int
load_file(const struct cd9660 *iso, struct cd9660_node *np, uint8_t *rec,
    struct cd9660_rr *rr, uint64_t dirend)
{
	uint64_t pos = np->cn_ino;
	struct cd9660_extent e;
	bool rrip = iso->iso_names == CD9660_RRIP;
	uint8_t name[256];
	size_t namelen = rec[ISO_DR_NAMELEN];
	int error;

	if (rec[ISO_DR_FLAGS] & ISO_FL_DIR)
		return cd9660_corrupt(iso, "record at %llu: a directory's "
		    "record taken for a file", (unsigned long long)pos);
	if (rrip) {
		if ((rr->rr_link = kmem_alloc(CD9660_LINKMAX + 1,
		    KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = cd9660_rr_parse(iso, pos, rec, iso->iso_skip,
		    rr)) != 0)
			return error;
		if (rr->rr_cl)
			return cd9660_corrupt(iso, "record at %llu: a child "
			    "link taken for a file", (unsigned long long)pos);
	}
	if ((error = attrs(iso, np, rec, rrip ? rr : NULL, S_IFREG)) != 0)
		return error;
	if (S_ISLNK(np->cn_mode)) {
		if (!rr->rr_sl || rr->rr_linklen == 0)
			return cd9660_corrupt(iso, "symlink %llu: no target",
			    (unsigned long long)pos);
		np->cn_link = rr->rr_link;
		np->cn_linklen = rr->rr_linklen;
		rr->rr_link = NULL;
		np->cn_size = np->cn_linklen;
		return 0;
	}
	if (!S_ISREG(np->cn_mode))
		return 0;
	memcpy(name, rec + ISO_DR_NAME, namelen);
	for (;;) {
		if ((error = rec_extent(iso, pos, rec, &e)) != 0 ||
		    (error = add_extent(iso, np, &e)) != 0)
			return error;
		if ((rec[ISO_DR_FLAGS] & ISO_FL_MULTI) == 0)
			return 0;
		/* The next record of the same file. */
		pos += rec[ISO_DR_LEN];
		for (;;) {
			if (dirend != 0 && pos >= dirend)
				return cd9660_corrupt(iso, "file %llu: its "
				    "extents end with the directory",
				    (unsigned long long)np->cn_ino);
			if ((error = cd9660_devread(iso, pos, rec, 1)) != 0)
				return error;
			if (rec[ISO_DR_LEN] != 0)
				break;
			pos = (pos | (ISO_SECTOR - 1)) + 1;
		}
		if ((error = read_record(iso, pos, rec)) != 0)
			return error;
		if (rec[ISO_DR_NAMELEN] != namelen ||
		    memcmp(rec + ISO_DR_NAME, name, namelen) != 0 ||
		    (rec[ISO_DR_FLAGS] & ISO_FL_DIR) != 0)
			return cd9660_corrupt(iso, "file %llu: extent record "
			    "at %llu is another file's",
			    (unsigned long long)np->cn_ino,
			    (unsigned long long)pos);
	}
}

/*
 * Load inode ino into *np (zeroed here).  dirend, when not 0, is the
 * end of the directory holding a file's records.
 */
int
cd9660_node_load(const struct cd9660 *iso, uint64_t ino, uint64_t dirend,
    struct cd9660_node *np)
{
	struct cd9660_rr *rr;
	uint8_t rec[256];
	int error;

	memset(np, 0, sizeof(*np));
	np->cn_ino = ino;
	if ((rr = kmem_zalloc(sizeof(*rr), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = read_record(iso, ino, rec)) != 0)
		goto out;
	if (rec[ISO_DR_NAMELEN] == 1 && rec[ISO_DR_NAME] == 0)
		error = load_dir(iso, np, rec, rr);
	else if (rec[ISO_DR_NAMELEN] == 1 && rec[ISO_DR_NAME] == 1)
		error = cd9660_corrupt(iso, "inode %llu is a \"..\" record",
		    (unsigned long long)ino);
	else
		error = load_file(iso, np, rec, rr, dirend);
out:
	if (rr->rr_link != NULL)
		kmem_free(rr->rr_link, CD9660_LINKMAX + 1);
	kmem_free(rr, sizeof(*rr));
	if (error != 0)
		cd9660_node_free(np);
	return error;
}

void
cd9660_node_free(struct cd9660_node *np)
{
	size_t cap;

	if (np->cn_ext != NULL) {
		/* add_extent's capacity: the power of two at or above. */
		for (cap = 1; cap < np->cn_next; cap *= 2)
			continue;
		kmem_free(np->cn_ext, cap * sizeof(*np->cn_ext));
		np->cn_ext = NULL;
	}
	if (np->cn_link != NULL) {
		kmem_free(np->cn_link, CD9660_LINKMAX + 1);
		np->cn_link = NULL;
	}
	if (np->cn_dc != NULL) {
		cd9660_dc_free(np->cn_dc);
		np->cn_dc = NULL;
	}
	np->cn_next = 0;
}
