/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Names of a directory in memory: a hash table of what cd9660_dir_next()
 * lists, built at the first lookup in a directory of more than one
 * sector, so a lookup costs the same in a directory of any size instead
 * of a walk that decodes every record before the name (a walk of a
 * directory of n files would cost n^2 record decodes).
 *
 * The table is built from a walk of the whole directory; if the walk
 * meets damage, there is no table and lookups walk as before (a name
 * before the damage is still found).  It is published in the node with
 * one compare-and-swap: built by one thread, read by all, never changed,
 * freed with the node (cd9660_node_free()).  Two threads that build at
 * once both build; one table wins and the other is freed.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>

#include "cd9660.h"

struct dcent {
	struct dcent *e_next;
	uint64_t e_ino;
	uint32_t e_mode;
	uint32_t e_namelen;
	char e_name[];
};

struct cd9660_dircache {
	size_t dc_nb;                   /* buckets, a power of two */
	struct dcent **dc_b;
};

static uint32_t
hash(const char *nm, size_t len)
{
	uint32_t h = 2166136261u;

	while (len-- > 0)
		h = (h ^ (unsigned char)*nm++) * 16777619u;
	return h;
}

void
cd9660_dc_free(struct cd9660_dircache *dc)
{
	struct dcent *e, *next;

	for (size_t i = 0; i < dc->dc_nb; i++)
		for (e = dc->dc_b[i]; e != NULL; e = next) {
			next = e->e_next;
			kmem_free(e, sizeof(*e) + e->e_namelen);
		}
	kmem_free(dc->dc_b, dc->dc_nb * sizeof(*dc->dc_b));
	kmem_free(dc, sizeof(*dc));
}

/* A table of dir's names; NULL on damage or without memory. */
static struct cd9660_dircache *
build(const struct cd9660 *iso, const struct cd9660_node *dir)
{
	struct cd9660_dircache *dc;
	struct cd9660_dirbuf *db;
	struct cd9660_dirent *de;
	struct dcent *e;
	uint64_t off = 0;
	size_t nb = 16;
	uint32_t h;
	int error;

	/* A record is at least 34 bytes: room for that many names. */
	while (nb < dir->cn_size / 64 && nb < (1u << 20))
		nb *= 2;
	dc = kmem_zalloc(sizeof(*dc), KM_SLEEP);
	db = cd9660_dirbuf_get();
	de = kmem_alloc(sizeof(*de), KM_SLEEP);
	if (dc == NULL || db == NULL || de == NULL ||
	    (dc->dc_b = kmem_zalloc(nb * sizeof(*dc->dc_b), KM_SLEEP)) ==
	    NULL) {
		error = ENOMEM;
		goto out;
	}
	dc->dc_nb = nb;
	while ((error = cd9660_dir_next(iso, dir, db, off, de)) == 0) {
		off = de->de_next;
		if (de->de_name[0] == '.' && (de->de_namelen == 1 ||
		    (de->de_namelen == 2 && de->de_name[1] == '.')))
			continue;
		if ((e = kmem_alloc(sizeof(*e) + de->de_namelen, KM_SLEEP)) ==
		    NULL) {
			error = ENOMEM;
			break;
		}
		e->e_ino = de->de_ino;
		e->e_mode = de->de_mode;
		e->e_namelen = (uint32_t)de->de_namelen;
		memcpy(e->e_name, de->de_name, de->de_namelen);
		h = hash(e->e_name, de->de_namelen) & (uint32_t)(nb - 1);
		e->e_next = dc->dc_b[h];
		dc->dc_b[h] = e;
	}
	if (error == ENOENT)
		error = 0;
out:
	if (de != NULL)
		kmem_free(de, sizeof(*de));
	if (db != NULL)
		cd9660_dirbuf_put(db);
	if (error != 0 && dc != NULL) {
		if (dc->dc_b == NULL)
			kmem_free(dc, sizeof(*dc));
		else
			cd9660_dc_free(dc);
		dc = NULL;
	}
	return dc;
}

/*
 * Look nm up in dir's table, building it first: 0 with de's ino, mode
 * and name set, ENOENT, or -1 when there is no table (walk instead).
 */
int
cd9660_dc_lookup(const struct cd9660 *iso, struct cd9660_node *dir,
    const char *nm, size_t len, struct cd9660_dirent *de)
{
	struct cd9660_dircache *dc;
	struct dcent *e;

	if (dir->cn_size <= ISO_SECTOR)
		return -1;
	if ((dc = atomic_load_acquire(&dir->cn_dc)) == NULL) {
		if ((dc = build(iso, dir)) == NULL)
			return -1;
		if (!atomic_cas_ptr(&dir->cn_dc, NULL, dc)) {
			cd9660_dc_free(dc);
			dc = atomic_load_acquire(&dir->cn_dc);
		}
	}
	for (e = dc->dc_b[hash(nm, len) & (uint32_t)(dc->dc_nb - 1)];
	    e != NULL; e = e->e_next)
		if (e->e_namelen == len && memcmp(e->e_name, nm, len) == 0) {
			de->de_ino = e->e_ino;
			de->de_mode = e->e_mode;
			de->de_namelen = len;
			memcpy(de->de_name, nm, len);
			de->de_name[len] = '\0';
			return 0;
		}
	return ENOENT;
}
