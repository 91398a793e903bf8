/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Adding a name to a hash-indexed directory through its index (the
 * format: ext2fs_format.h and ext2fs_htree.c).  The name's hash picks a
 * leaf down the tree; the record goes there when it has room.  A full
 * leaf is split: its records sorted by hash, the upper half by size
 * moves to a new block at the end of the directory, whose first hash
 * goes into the parent node after the leaf's entry (with the low bit
 * set when equal hashes lie on both sides: the run continues in the new
 * leaf).  A full index node is split the same way, its upper entries
 * into a new node whose first hash goes one level up; a full root moves
 * its entries into a new node below it, one level more, up to the
 * levels the format allows (two, three with large_dir).  After each
 * split the walk starts again from the root.  When the index cannot
 * take the name (at its deepest and full, or a leaf that cannot be
 * split) EXT2FS_BADINDEX tells the caller to add it the plain way.
 * A plain directory of one full block is made indexed first, as Linux
 * does (ext2fs_htree_index), when the file system has dir_index.
 *
 * Names that move to a new leaf move in the name cache too.  Every
 * changed block gets its checksum (ext2fs_dirw_put).  Called with
 * em_lock held as writer (ext2fs_vfs.h).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/param.h>

#include "ext2fs_vfs.h"

#define DX_BLOCK_MASK 0x0fffffffu
#define CHANGED (-2)                    /* from make_room: walk again */

struct hpath {
	int ver, levels;
	uint32_t hash;
	uint64_t leaf;
	struct {
		uint64_t lblk;
		uint32_t pos;
	} lv[EXT2_DX_MAX_LEVELS_LARGE];
};

static size_t
ents_off(uint64_t lblk)
{
	return lblk == 0 ? EXT2_DX_ROOT_ENTRIES : EXT2_DX_NODE_ENTRIES;
}

static uint8_t *
dx_ent(uint8_t *b, uint64_t lblk, uint32_t i)
{
	return b + ents_off(lblk) + (size_t)i * EXT2_DX_ENTRY_SIZE;
}

static uint32_t
dx_count(const uint8_t *b, uint64_t lblk)
{
	return ext2_le16(b + ents_off(lblk) + EXT2_DX_COUNT);
}

static uint32_t
dx_limit(const uint8_t *b, uint64_t lblk)
{
	return ext2_le16(b + ents_off(lblk) + EXT2_DX_LIMIT);
}

static void
dx_set_count(uint8_t *b, uint64_t lblk, uint32_t n)
{
	ext2_set_le16(b + ents_off(lblk) + EXT2_DX_COUNT, (uint16_t)n);
}

/* Insert {hash, child} at position pos of node b (which has room). */
static void
dx_insert(uint8_t *b, uint64_t lblk, uint32_t pos, uint32_t hash,
    uint64_t child)
{
	uint32_t n = dx_count(b, lblk);

	memmove(dx_ent(b, lblk, pos + 1), dx_ent(b, lblk, pos),
	    (size_t)(n - pos) * EXT2_DX_ENTRY_SIZE);
	ext2_set_le32(dx_ent(b, lblk, pos), hash);
	ext2_set_le32(dx_ent(b, lblk, pos) + 4, (uint32_t)child);
	dx_set_count(b, lblk, n + 1);
}

/* Hand index node lblk (0: the root) over, changed, with its checksum. */
static int
node_put(struct ext2fs_mount *em, struct ext2fs_node *np, uint64_t lblk,
    struct buf *bp)
{
	if (lblk == 0)
		return ext2fs_dirw_put(em, np, 0, bp);
	ext2fs_dx_csum_set(em->em_fs, &np->n_ip, lblk, bp->b_data);
	return ext2fs_blk_write(em, bp, false);
}

/* Walk from the root to the leaf for the name's hash. */
static int
walk(struct ext2fs_mount *em, struct ext2fs_node *np, const char *name,
    size_t len, struct hpath *hp)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t nblk = np->n_ip.ei_size >> fs->e2_bshift, lblk = 0, child;
	uint32_t n, minor;
	struct buf *bp;
	size_t limit;
	uint8_t *b;
	int error;

	for (int l = 0;; l++) {
		if ((error = ext2fs_dirw_get(em, np, lblk, &bp, &limit)) != 0)
			return error;
		b = bp->b_data;
		if (l == 0 && ((error = ext2fs_dx_root(fs, &np->n_ip, b,
		    &hp->ver, &hp->levels)) != 0 ||
		    (error = ext2fs_hash(hp->ver, fs->e2_hash_seed, name, len,
		    &hp->hash, &minor)) != 0)) {
			brelse(bp, 0);
			return error == EINVAL ? EXT2FS_BADINDEX : error;
		}
		n = dx_count(b, lblk);
		if (n == 0 || n > dx_limit(b, lblk) || (lblk != 0 &&
		    (ext2_le32(b + EXT2_DIRENT_INODE) != 0 ||
		    limit != fs->e2_bsize))) {
			brelse(bp, 0);
			return ext2fs_corrupt(fs, "directory %u index block "
			    "%llu: count %u", np->n_ip.ei_ino,
			    (unsigned long long)lblk, n);
		}
		hp->lv[l].lblk = lblk;
		hp->lv[l].pos = 0;
		for (uint32_t i = 1; i < n; i++)
			if (ext2_le32(dx_ent(b, lblk, i)) <= hp->hash)
				hp->lv[l].pos = i;
		child = ext2_le32(dx_ent(b, lblk, hp->lv[l].pos) + 4) &
		    DX_BLOCK_MASK;
		brelse(bp, 0);
		if (child == 0 || child >= nblk)
			return ext2fs_corrupt(fs, "directory %u index block "
			    "%llu: child %llu", np->n_ip.ei_ino,
			    (unsigned long long)lblk, (unsigned long long)child);
		if (l == hp->levels) {
			hp->leaf = child;
			return 0;
		}
		lblk = child;
	}
}

/* A new zeroed block at the end of directory np. */
static int
new_block(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    uint64_t *lblkp, struct buf **bpp)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t pblk;
	bool isnew;
	int error;

	*lblkp = np->n_ip.ei_size >> fs->e2_bshift;
	if (*lblkp >= DX_BLOCK_MASK)
		return EXT2FS_BADINDEX;
	if ((error = ext2fs_bmap_alloc(em, np, *lblkp, true, root, &pblk,
	    &isnew)) != 0)
		return error;
	*bpp = ext2fs_blk_get(em, pblk);
	memset((*bpp)->b_data, 0, fs->e2_bsize);
	np->n_ip.ei_size += fs->e2_bsize;
	return ext2fs_iupdate(em, &np->n_ip);
}

/* An empty interior node: one free record spanning it, count 0. */
static void
node_init(const struct ext2fs *fs, uint8_t *b)
{
	ext2_set_le16(b + EXT2_DIRENT_REC_LEN, (uint16_t)fs->e2_bsize);
	ext2_set_le16(b + EXT2_DX_NODE_ENTRIES + EXT2_DX_LIMIT,
	    (uint16_t)((fs->e2_bsize - EXT2_DX_NODE_ENTRIES -
	    (fs->e2_metadata_csum ? EXT2_DX_TAIL_SIZE : 0)) /
	    EXT2_DX_ENTRY_SIZE));
}

/*
 * Make room for one entry in the node at level l of the path: 0 when
 * it has some, CHANGED after a split (the path is stale), or an error.
 */
static int
make_room(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    const struct hpath *hp, int l)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t lblk = hp->lv[l].lblk, nlblk, plblk;
	int maxlev = (fs->e2_incompat & EXT2F_INCOMPAT_LARGEDIR) ?
	    EXT2_DX_MAX_LEVELS_LARGE : EXT2_DX_MAX_LEVELS;
	struct buf *bp, *nbp, *pbp;
	uint32_t n, m;
	size_t limit;
	uint8_t *b, *nb;
	int error;

	if ((error = ext2fs_dirw_get(em, np, lblk, &bp, &limit)) != 0)
		return error;
	b = bp->b_data;
	n = dx_count(b, lblk);
	if (n < dx_limit(b, lblk)) {
		brelse(bp, 0);
		return 0;
	}
	if (l == 0 && hp->levels + 1 >= maxlev) {
		brelse(bp, 0);
		return EXT2FS_BADINDEX;
	}
	if (l > 0) {
		brelse(bp, 0);
		if ((error = make_room(em, np, root, hp, l - 1)) != 0)
			return error;
		if ((error = ext2fs_dirw_get(em, np, lblk, &bp, &limit)) != 0)
			return error;
		b = bp->b_data;
	}
	if ((error = new_block(em, np, root, &nlblk, &nbp)) != 0) {
		brelse(bp, 0);
		return error;
	}
	nb = nbp->b_data;
	node_init(fs, nb);
	if (l == 0) {
		/* The root's entries go one level down; the root keeps one. */
		memcpy(dx_ent(nb, nlblk, 1), dx_ent(b, 0, 1),
		    (size_t)(n - 1) * EXT2_DX_ENTRY_SIZE);
		ext2_set_le32(dx_ent(nb, nlblk, 0) + 4,
		    ext2_le32(dx_ent(b, 0, 0) + 4));
		dx_set_count(nb, nlblk, n);
		ext2_set_le32(dx_ent(b, 0, 0) + 4, (uint32_t)nlblk);
		dx_set_count(b, 0, 1);
		b[EXT2_DX_ROOT_INFO + EXT2_DX_RI_LEVELS]++;
		if ((error = node_put(em, np, nlblk, nbp)) != 0) {
			brelse(bp, 0);
			return error;
		}
		return (error = node_put(em, np, 0, bp)) != 0 ? error :
		    CHANGED;
	}
	/* The upper half goes to the new node, its first hash up a level. */
	m = n / 2;
	memcpy(dx_ent(nb, nlblk, 1), dx_ent(b, lblk, m + 1),
	    (size_t)(n - m - 1) * EXT2_DX_ENTRY_SIZE);
	ext2_set_le32(dx_ent(nb, nlblk, 0) + 4,
	    ext2_le32(dx_ent(b, lblk, m) + 4));
	dx_set_count(nb, nlblk, n - m);
	plblk = hp->lv[l - 1].lblk;
	if ((error = ext2fs_dirw_get(em, np, plblk, &pbp, &limit)) != 0) {
		brelse(bp, 0);
		brelse(nbp, 0);
		return error;
	}
	dx_insert(pbp->b_data, plblk, hp->lv[l - 1].pos + 1,
	    ext2_le32(dx_ent(b, lblk, m)), nlblk);
	dx_set_count(b, lblk, m);
	if ((error = node_put(em, np, nlblk, nbp)) != 0) {
		brelse(bp, 0);
		brelse(pbp, 0);
		return error;
	}
	if ((error = node_put(em, np, lblk, bp)) != 0) {
		brelse(pbp, 0);
		return error;
	}
	return (error = node_put(em, np, plblk, pbp)) != 0 ? error :
	    CHANGED;
}

/* A live record of a leaf being split. */
struct rec {
	uint32_t hash;
	uint16_t off, len;              /* in the old block; record length */
};

static int
rec_cmp(const struct rec *a, const struct rec *b)
{
	return a->hash < b->hash ? -1 : a->hash > b->hash;
}

/* Pack records [from, to) of recs (in old) into leaf b. */
static void
pack(const struct ext2fs *fs, uint8_t *b, const uint8_t *old,
    const struct rec *recs, int from, int to)
{
	uint32_t off = 0, room = ext2fs_dirw_room(fs);

	memset(b, 0, fs->e2_bsize);
	for (int i = from; i < to; i++) {
		memcpy(b + off, old + recs[i].off, recs[i].len);
		ext2_set_le16(b + off + EXT2_DIRENT_REC_LEN,
		    (uint16_t)(i + 1 < to ? recs[i].len : room - off));
		off += recs[i].len;
	}
}

static uint32_t
name_len(const struct ext2fs *fs, const uint8_t *r)
{
	return (fs->e2_incompat & EXT2F_INCOMPAT_FILETYPE) ?
	    r[EXT2_DIRENT_NAME_LEN] : ext2_le16(r + EXT2_DIRENT_NAME_LEN);
}

/* Split the path's leaf (its parent has room: make_room). */
static int
split_leaf(struct ext2fs_mount *em, struct ext2fs_node *np, bool root,
    const struct hpath *hp)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t plblk = hp->lv[hp->levels].lblk, nlblk;
	uint32_t maxrecs = fs->e2_bsize / EXT2_DIR_REC_LEN(1), minor, nl;
	uint32_t total = 0, acc = 0, hash;
	struct buf *bp, *nbp, *pbp;
	struct rec *recs, t;
	uint8_t *old, *r;
	size_t limit, rsz = maxrecs * sizeof(*recs);
	int n = 0, k, error;

	if ((error = ext2fs_dirw_get(em, np, hp->leaf, &bp, &limit)) != 0)
		return error;
	recs = kmem_alloc(rsz, KM_SLEEP);
	old = kmem_alloc(fs->e2_bsize, KM_SLEEP);
	if (recs == NULL || old == NULL) {
		error = ENOMEM;
		goto out;
	}
	memcpy(old, bp->b_data, fs->e2_bsize);
	for (size_t off = 0; off < limit;
	     off += ext2_le16(old + off + EXT2_DIRENT_REC_LEN)) {
		r = old + off;
		if (ext2_le32(r + EXT2_DIRENT_INODE) == 0)
			continue;
		nl = name_len(fs, r);
		if ((error = ext2fs_hash(hp->ver, fs->e2_hash_seed,
		    (const char *)r + EXT2_DIRENT_NAME, nl, &hash,
		    &minor)) != 0)
			goto out;
		recs[n++] = (struct rec){ hash, (uint16_t)off,
		    (uint16_t)EXT2_DIR_REC_LEN(nl) };
		total += EXT2_DIR_REC_LEN(nl);
	}
	if (n < 2) {
		error = EXT2FS_BADINDEX;
		goto out;
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && rec_cmp(&recs[j - 1], &recs[j]) > 0;
		     j--) {
			t = recs[j];
			recs[j] = recs[j - 1];
			recs[j - 1] = t;
		}
	for (k = 0; k < n - 1 && acc + recs[k].len <= total / 2; k++)
		acc += recs[k].len;
	if (k == 0)
		k = 1;
	hash = recs[k].hash;
	if (recs[k - 1].hash == hash)
		hash |= 1;              /* the run of equal hashes goes on */

	if ((error = new_block(em, np, root, &nlblk, &nbp)) != 0)
		goto out;
	pack(fs, nbp->b_data, old, recs, k, n);
	pack(fs, bp->b_data, old, recs, 0, k);
	if ((error = ext2fs_dirw_get(em, np, plblk, &pbp, &limit)) != 0) {
		brelse(nbp, 0);
		goto out;
	}
	dx_insert(pbp->b_data, plblk, hp->lv[hp->levels].pos + 1, hash, nlblk);
	for (int i = k; i < n; i++) {
		r = old + recs[i].off;
		nl = name_len(fs, r);
		ext2fs_dc_remove(np, (const char *)r + EXT2_DIRENT_NAME, nl,
		    hp->leaf);
		ext2fs_dc_add(np, (const char *)r + EXT2_DIRENT_NAME, nl,
		    ext2_le32(r + EXT2_DIRENT_INODE),
		    (fs->e2_incompat & EXT2F_INCOMPAT_FILETYPE) ?
		    r[EXT2_DIRENT_FILE_TYPE] : EXT2_FT_UNKNOWN, nlblk);
	}
	error = ext2fs_dirw_put(em, np, nlblk, nbp);
	if (error == 0)
		error = ext2fs_dirw_put(em, np, hp->leaf, bp);
	else
		brelse(bp, 0);
	bp = NULL;
	if (error == 0)
		error = node_put(em, np, plblk, pbp);
	else
		brelse(pbp, 0);
out:
	if (bp != NULL)
		brelse(bp, 0);
	if (recs != NULL)
		kmem_free(recs, rsz);
	if (old != NULL)
		kmem_free(old, fs->e2_bsize);
	return error;
}

/* Whether the first records of block b are "." (12 bytes) and "..". */
static bool
dots_first(const struct ext2fs *fs, const uint8_t *b, size_t limit)
{
	return ext2_le16(b + EXT2_DIRENT_REC_LEN) == 12 &&
	    name_len(fs, b) == 1 && b[EXT2_DIRENT_NAME] == '.' &&
	    limit > 12 + EXT2_DIR_REC_LEN(2) && name_len(fs, b + 12) == 2 &&
	    memcmp(b + 12 + EXT2_DIRENT_NAME, "..", 2) == 0 &&
	    ext2_le16(b + 12 + EXT2_DIRENT_REC_LEN) >= EXT2_DIR_REC_LEN(2);
}

/*
 * Index directory np of one full block, as Linux does when a name does
 * not fit: its records but "." and ".." move to a new leaf (block 1),
 * and block 0 becomes the index root, of the superblock's default hash
 * version, with one entry for all hashes: that leaf.  0, or
 * EXT2FS_BADINDEX when the directory is not one to index (no dir_index,
 * a hash the writer does not make, not one block, "." and ".." not
 * first), or an error.
 */
int
ext2fs_htree_index(struct ext2fs_mount *em, struct ext2fs_node *np,
    bool root)
{
	const struct ext2fs *fs = em->em_fs;
	uint32_t room = ext2fs_dirw_room(fs), rl, nl, noff = 0, last = 0;
	struct buf *bp, *nbp;
	uint64_t nlblk;
	uint8_t *b, *nb, *r;
	size_t limit, off;
	int error;

	if (!(fs->e2_compat & EXT2F_COMPAT_DIR_INDEX) ||
	    fs->e2_def_hash > EXT2_HASH_TEA ||
	    (np->n_ip.ei_flags & (EXT2_INDEX_FL | EXT4_INLINE_DATA_FL)) ||
	    np->n_ip.ei_size != fs->e2_bsize)
		return EXT2FS_BADINDEX;
	if ((error = ext2fs_dirw_get(em, np, 0, &bp, &limit)) != 0)
		return error;
	b = bp->b_data;
	if (!dots_first(fs, b, limit)) {
		brelse(bp, 0);
		return EXT2FS_BADINDEX;
	}
	if ((error = new_block(em, np, root, &nlblk, &nbp)) != 0) {
		brelse(bp, 0);
		return error;
	}
	nb = nbp->b_data;
	for (off = 12 + ext2_le16(b + 12 + EXT2_DIRENT_REC_LEN); off < limit;
	     off += rl) {
		r = b + off;
		rl = ext2_le16(r + EXT2_DIRENT_REC_LEN);
		if (ext2_le32(r + EXT2_DIRENT_INODE) == 0)
			continue;
		nl = name_len(fs, r);
		memcpy(nb + noff, r, EXT2_DIR_REC_LEN(nl));
		ext2_set_le16(nb + noff + EXT2_DIRENT_REC_LEN,
		    (uint16_t)EXT2_DIR_REC_LEN(nl));
		ext2fs_dc_remove(np, (const char *)r + EXT2_DIRENT_NAME, nl, 0);
		ext2fs_dc_add(np, (const char *)r + EXT2_DIRENT_NAME, nl,
		    ext2_le32(r + EXT2_DIRENT_INODE),
		    (fs->e2_incompat & EXT2F_INCOMPAT_FILETYPE) ?
		    r[EXT2_DIRENT_FILE_TYPE] : EXT2_FT_UNKNOWN, nlblk);
		last = noff;
		noff += EXT2_DIR_REC_LEN(nl);
	}
	/* The last record spans the rest (an empty leaf: one free one). */
	ext2_set_le16(nb + last + EXT2_DIRENT_REC_LEN, (uint16_t)(room - last));

	memset(b + 24, 0, fs->e2_bsize - 24);
	ext2_set_le16(b + 12 + EXT2_DIRENT_REC_LEN, (uint16_t)(fs->e2_bsize -
	    12));
	b[EXT2_DX_ROOT_INFO + EXT2_DX_RI_HASH_VERSION] = fs->e2_def_hash;
	b[EXT2_DX_ROOT_INFO + EXT2_DX_RI_INFO_LENGTH] = 8;
	ext2_set_le16(b + EXT2_DX_ROOT_ENTRIES + EXT2_DX_LIMIT,
	    (uint16_t)((fs->e2_bsize - EXT2_DX_ROOT_ENTRIES -
	    (fs->e2_metadata_csum ? EXT2_DX_TAIL_SIZE : 0)) /
	    EXT2_DX_ENTRY_SIZE));
	dx_set_count(b, 0, 1);
	ext2_set_le32(dx_ent(b, 0, 0) + 4, (uint32_t)nlblk);
	np->n_ip.ei_flags |= EXT2_INDEX_FL;
	if ((error = ext2fs_dirw_put(em, np, nlblk, nbp)) != 0) {
		brelse(bp, 0);
		return error;
	}
	if ((error = ext2fs_dirw_put(em, np, 0, bp)) != 0)
		return error;
	return ext2fs_iupdate(em, &np->n_ip);
}

/*
 * Add name -> ino (type ft) to indexed directory np, which does not
 * hold name: 0, EXT2FS_BADINDEX (add it the plain way), or an error.
 */
int
ext2fs_htree_add(struct ext2fs_mount *em, struct ext2fs_node *np,
    const char *name, size_t len, uint32_t ino, uint8_t ft, bool root)
{
	const struct ext2fs *fs = em->em_fs;
	struct hpath hp;
	struct buf *bp;
	size_t limit;
	int error;

	for (int tries = 0; tries < 16; tries++) {
		if ((error = walk(em, np, name, len, &hp)) != 0)
			return error;
		if ((error = ext2fs_dirw_get(em, np, hp.leaf, &bp,
		    &limit)) != 0)
			return error;
		if (ext2fs_dirw_place(fs, bp->b_data, limit, name, len, ino,
		    ft)) {
			if ((error = ext2fs_dirw_put(em, np, hp.leaf, bp)) != 0)
				return error;
			ext2fs_dc_add(np, name, len, ino, ft, hp.leaf);
			return 0;
		}
		brelse(bp, 0);
		error = make_room(em, np, root, &hp, hp.levels);
		if (error == CHANGED)
			continue;
		if (error != 0)
			return error;
		if ((error = split_leaf(em, np, root, &hp)) != 0)
			return error;
	}
	return EXT2FS_BADINDEX;
}
