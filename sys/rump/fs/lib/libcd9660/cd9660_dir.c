/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Directories: walking a directory's records as entries (readdir and
 * lookup), and the names they show.
 *
 * An entry is one or more records: a multi-extent file's records (all
 * but the last flagged ISO_FL_MULTI, each with the same identifier) and,
 * unless the mount keeps versions (co_gens), the older versions of a
 * file that follow its newest (ECMA-119 9.3 orders a directory by name,
 * then by version, newest first) make one entry with the first record.
 * An entry's cookie is its first record's offset in the directory, so
 * cookies stay valid across mounts and never land inside an entry.
 * Not shown: associated files, and with Rock Ridge the relocated
 * directories' own records (RE): they appear where their CL record is.
 *
 * Names: Rock Ridge NM when the volume has Rock Ridge; Joliet names
 * (UCS-2, surrogate pairs accepted) converted to UTF-8; otherwise the
 * ISO identifier with its version (";1") and a trailing "." taken off
 * and lower case, as the original shows them.  A name that is empty,
 * holds '/' or NUL or is "." or ".." is corrupt.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/stat.h>

#include "cd9660.h"

/* A sector of the directory being read, and a record's decoded bits. */
struct cd9660_dirbuf {
	uint64_t db_secpos;             /* byte position of db_sec, or ~0 */
	uint8_t db_sec[ISO_SECTOR];
	struct cd9660_rr db_rr;
	char db_name[CD9660_NAMEMAX + 1];
};

struct cd9660_dirbuf *
cd9660_dirbuf_get(void)
{
	struct cd9660_dirbuf *db;

	if ((db = kmem_alloc(sizeof(*db), KM_SLEEP)) != NULL)
		db->db_secpos = ~(uint64_t)0;
	return db;
}

void
cd9660_dirbuf_put(struct cd9660_dirbuf *db)
{
	kmem_free(db, sizeof(*db));
}

/*
 * The record at or after byte offset *offp of the directory (sectors
 * counted from its start), in db->db_sec; *recp points at it and *offp
 * is set to its offset.  ENOENT past the last record.
 */
static int
record_at(const struct cd9660 *iso, const struct cd9660_node *dir,
    struct cd9660_dirbuf *db, uint64_t *offp, const uint8_t **recp)
{
	uint64_t start = dir->cn_ext[0].ce_off, size = dir->cn_size;
	uint64_t off = *offp, sec, in, n;
	const uint8_t *rec;
	int error;

	for (;;) {
		if (off >= size)
			return ENOENT;
		sec = off & ~(uint64_t)(ISO_SECTOR - 1);
		in = off - sec;
		if (db->db_secpos != start + sec) {
			n = MIN(ISO_SECTOR, size - sec);
			memset(db->db_sec, 0, ISO_SECTOR);
			db->db_secpos = ~(uint64_t)0;
			if ((error = cd9660_devread(iso, start + sec,
			    db->db_sec, n)) != 0)
				return error;
			db->db_secpos = start + sec;
		}
		rec = db->db_sec + in;
		if (in + 1 > ISO_SECTOR || rec[ISO_DR_LEN] == 0) {
			/* The rest of the sector is unused. */
			off = sec + ISO_SECTOR;
			continue;
		}
		if (rec[ISO_DR_LEN] < ISO_DR_MINLEN ||
		    in + rec[ISO_DR_LEN] > ISO_SECTOR ||
		    off + rec[ISO_DR_LEN] > size ||
		    rec[ISO_DR_NAMELEN] == 0 ||
		    ISO_DR_NAME + rec[ISO_DR_NAMELEN] > rec[ISO_DR_LEN])
			return cd9660_corrupt(iso, "directory %llu: record at "
			    "offset %llu: bad length %u (name %u)",
			    (unsigned long long)dir->cn_ino,
			    (unsigned long long)off, rec[ISO_DR_LEN],
			    rec[ISO_DR_NAMELEN]);
		*offp = off;
		*recp = rec;
		return 0;
	}
}

/* Append the UTF-8 of code point c; false when it does not fit. */
static bool
utf8_put(char *out, size_t *np, uint32_t c)
{
	size_t n = *np, need = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ?
	    3 : 4;

	if (n + need > CD9660_NAMEMAX)
		return false;
	switch (need) {
	case 1:
		out[n] = (char)c;
		break;
	case 2:
		out[n] = (char)(0xc0 | c >> 6);
		out[n + 1] = (char)(0x80 | (c & 0x3f));
		break;
	case 3:
		out[n] = (char)(0xe0 | c >> 12);
		out[n + 1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[n + 2] = (char)(0x80 | (c & 0x3f));
		break;
	default:
		out[n] = (char)(0xf0 | c >> 18);
		out[n + 1] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[n + 2] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[n + 3] = (char)(0x80 | (c & 0x3f));
		break;
	}
	*np = n + need;
	return true;
}

/* A Joliet identifier (UCS-2 big-endian) as UTF-8. */
static int
joliet_name(const struct cd9660 *iso, uint64_t pos, const uint8_t *id,
    size_t idlen, char *out, size_t *np)
{
	uint32_t c, lo;
	size_t i;

	*np = 0;
	if (idlen % 2 != 0)
		return cd9660_corrupt(iso, "record at %llu: Joliet name of "
		    "odd length %zu", (unsigned long long)pos, idlen);
	for (i = 0; i < idlen; i += 2) {
		c = (uint32_t)id[i] << 8 | id[i + 1];
		if (c >= 0xd800 && c < 0xdc00 && i + 4 <= idlen) {
			lo = (uint32_t)id[i + 2] << 8 | id[i + 3];
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		if (c == ';' && !iso->iso_opts.co_gens)
			break;
		if (!utf8_put(out, np, c))
			return cd9660_corrupt(iso, "record at %llu: Joliet "
			    "name longer than %d bytes in UTF-8",
			    (unsigned long long)pos, CD9660_NAMEMAX);
	}
	out[*np] = '\0';
	return 0;
}

/* An ISO 9660 identifier as the original shows it. */
static void
iso_name(const struct cd9660 *iso, const uint8_t *id, size_t idlen,
    char *out, size_t *np)
{
	size_t n = 0;

	for (size_t i = 0; i < idlen; i++) {
		char c = (char)id[i];

		if (c == ';' && !iso->iso_opts.co_gens)
			break;
		if (c >= 'A' && c <= 'Z' && !iso->iso_opts.co_nocasetrans)
			c = (char)(c - 'A' + 'a');
		out[n++] = c;
	}
	if (!iso->iso_opts.co_gens && n > 1 && out[n - 1] == '.')
		n--;
	out[n] = '\0';
	*np = n;
}

/*
 * The name of record rec (not "." or ".."), into db->db_name; the
 * system use area is already in db->db_rr on a Rock Ridge volume.
 */
static int
rec_name(const struct cd9660 *iso, uint64_t pos, const uint8_t *rec,
    struct cd9660_dirbuf *db, size_t *np)
{
	const uint8_t *id = rec + ISO_DR_NAME;
	size_t idlen = rec[ISO_DR_NAMELEN], n;
	int error;

	if (iso->iso_names == CD9660_RRIP && db->db_rr.rr_name) {
		n = db->db_rr.rr_namelen;
		memcpy(db->db_name, db->db_rr.rr_namebuf, n + 1);
	} else if (iso->iso_names == CD9660_JOLIET) {
		if ((error = joliet_name(iso, pos, id, idlen, db->db_name,
		    &n)) != 0)
			return error;
	} else
		iso_name(iso, id, idlen, db->db_name, &n);
	if (n == 0 || memchr(db->db_name, '/', n) != NULL ||
	    memchr(db->db_name, '\0', n) != NULL ||
	    (n == 1 && db->db_name[0] == '.') ||
	    (n == 2 && db->db_name[0] == '.' && db->db_name[1] == '.'))
		return cd9660_corrupt(iso, "record at %llu: bad name",
		    (unsigned long long)pos);
	*np = n;
	return 0;
}

/* Whether two records have the same identifier up to the version. */
static bool
same_file(const struct cd9660 *iso, const uint8_t *a, const uint8_t *b,
    bool multi)
{
	size_t la = a[ISO_DR_NAMELEN], lb = b[ISO_DR_NAMELEN];
	const uint8_t *ia = a + ISO_DR_NAME, *ib = b + ISO_DR_NAME;
	const uint8_t *s;

	if (!multi && iso->iso_names != CD9660_RRIP) {
		if (iso->iso_names == CD9660_JOLIET) {
			for (size_t i = 0; i + 1 < la; i += 2)
				if (ia[i] == 0 && ia[i + 1] == ';') {
					la = i;
					break;
				}
			for (size_t i = 0; i + 1 < lb; i += 2)
				if (ib[i] == 0 && ib[i + 1] == ';') {
					lb = i;
					break;
				}
		} else {
			if ((s = memchr(ia, ';', la)) != NULL)
				la = (size_t)(s - ia);
			if ((s = memchr(ib, ';', lb)) != NULL)
				lb = (size_t)(s - ib);
		}
	}
	return la == lb && memcmp(ia, ib, la) == 0;
}

/*
 * The offset after the entry whose first record is rec, at offset off:
 * past its further extents and (without co_gens, on a volume without
 * Rock Ridge) the older versions of the same name.
 */
static int
entry_end(const struct cd9660 *iso, const struct cd9660_node *dir,
    struct cd9660_dirbuf *db, uint64_t off, uint64_t *nextp)
{
	uint8_t first[256], last[256];
	const uint8_t *rec;
	uint64_t o = off;
	int error, n = 0;

	if ((error = record_at(iso, dir, db, &o, &rec)) != 0)
		return error;
	memcpy(first, rec, rec[ISO_DR_LEN]);
	memcpy(last, rec, rec[ISO_DR_LEN]);
	o += rec[ISO_DR_LEN];
	while (last[ISO_DR_FLAGS] & ISO_FL_MULTI) {
		if (++n > CD9660_MAXEXT)
			return cd9660_corrupt(iso, "directory %llu: more than "
			    "%d extents at offset %llu",
			    (unsigned long long)dir->cn_ino, CD9660_MAXEXT,
			    (unsigned long long)off);
		if ((error = record_at(iso, dir, db, &o, &rec)) != 0 ||
		    !same_file(iso, first, rec, true))
			return error != 0 && error != ENOENT ? error :
			    cd9660_corrupt(iso, "directory %llu: the extents "
			    "of the file at offset %llu end early",
			    (unsigned long long)dir->cn_ino,
			    (unsigned long long)off);
		memcpy(last, rec, rec[ISO_DR_LEN]);
		o += rec[ISO_DR_LEN];
	}
	if (iso->iso_opts.co_gens || iso->iso_names == CD9660_RRIP) {
		*nextp = o;
		return 0;
	}
	/* Older versions: each a whole file, possibly of many extents. */
	for (;;) {
		uint64_t p = o;

		if ((error = record_at(iso, dir, db, &p, &rec)) == ENOENT)
			break;
		if (error != 0)
			return error;
		if (!same_file(iso, first, rec, false) ||
		    (rec[ISO_DR_FLAGS] & ISO_FL_DIR) != 0)
			break;
		o = p + rec[ISO_DR_LEN];
	}
	*nextp = o;
	return 0;
}

/*
 * The entry at or after cookie off of directory dir into *de; ENOENT
 * when there is none.
 */
int
cd9660_dir_next(const struct cd9660 *iso, const struct cd9660_node *dir,
    struct cd9660_dirbuf *db, uint64_t off, struct cd9660_dirent *de)
{
	const uint8_t *rec;
	uint64_t pos, ext;
	uint32_t ftype;
	size_t n = 0;
	int error;

	for (;;) {
		if ((error = record_at(iso, dir, db, &off, &rec)) != 0)
			return error;
		pos = dir->cn_ext[0].ce_off + off;
		de->de_off = off;
		if (rec[ISO_DR_NAMELEN] == 1 && rec[ISO_DR_NAME] <= 1) {
			bool dot = rec[ISO_DR_NAME] == 0;

			de->de_ino = dot ? dir->cn_ino : dir->cn_parent;
			de->de_mode = S_IFDIR;
			de->de_namelen = dot ? 1 : 2;
			memcpy(de->de_name, "..", 2);
			de->de_name[de->de_namelen] = '\0';
			de->de_next = off + rec[ISO_DR_LEN];
			return 0;
		}
		if (rec[ISO_DR_FLAGS] & ISO_FL_ASSOC) {
			off += rec[ISO_DR_LEN];
			continue;
		}
		db->db_rr.rr_link = NULL;
		if (iso->iso_names == CD9660_RRIP &&
		    (error = cd9660_rr_parse(iso, pos, rec, iso->iso_skip,
		    &db->db_rr)) != 0)
			return error;
		if (iso->iso_names == CD9660_RRIP && db->db_rr.rr_re) {
			if ((error = entry_end(iso, dir, db, off, &off)) != 0)
				return error;
			continue;
		}
		break;
	}
	ext = (uint64_t)iso_le32(rec + ISO_DR_EXTENT) + rec[ISO_DR_XARLEN];
	if ((rec[ISO_DR_FLAGS] & ISO_FL_DIR) != 0) {
		de->de_ino = ext << iso->iso_lbshift;
		ftype = S_IFDIR;
	} else if (iso->iso_names == CD9660_RRIP && db->db_rr.rr_cl) {
		de->de_ino = (uint64_t)db->db_rr.rr_clblk << iso->iso_lbshift;
		ftype = S_IFDIR;
	} else {
		de->de_ino = pos;
		ftype = S_IFREG;
		if (iso->iso_names == CD9660_RRIP && db->db_rr.rr_px)
			ftype = db->db_rr.rr_mode & S_IFMT;
	}
	de->de_mode = ftype;
	if ((error = rec_name(iso, pos, rec, db, &n)) != 0)
		return error;
	memcpy(de->de_name, db->db_name, n + 1);
	de->de_namelen = n;
	return entry_end(iso, dir, db, off, &de->de_next);
}

/*
 * The entry named nm (not "." or "..") in dir; ENOENT if none.  From
 * the directory's name table where it has one (cd9660_dircache.c), else
 * by a walk.
 */
int
cd9660_dir_lookup(const struct cd9660 *iso, struct cd9660_node *dir,
    const char *nm, size_t len, struct cd9660_dirent *de)
{
	struct cd9660_dirbuf *db;
	uint64_t off = 0;
	int error;

	if ((error = cd9660_dc_lookup(iso, dir, nm, len, de)) != -1)
		return error;
	if ((db = cd9660_dirbuf_get()) == NULL)
		return ENOMEM;
	while ((error = cd9660_dir_next(iso, dir, db, off, de)) == 0) {
		if (de->de_namelen == len && memcmp(de->de_name, nm, len) == 0)
			break;
		off = de->de_next;
	}
	cd9660_dirbuf_put(db);
	return error;
}
