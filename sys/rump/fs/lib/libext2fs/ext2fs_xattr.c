/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extended attributes of ext2/3/4 inodes (the format: ext2fs_format.h),
 * read and written as Linux and e2fsprogs keep them, and the POSIX ACLs
 * among them.
 *
 * Every operation loads all of an inode's attributes into a set in
 * memory (xset_load: the in-inode area, then the attribute block), and a
 * change writes the whole set back (xset_store): entries go into the
 * inode while they fit, the rest into a block, sorted there as Linux
 * searches it.  A block shared with other inodes (refcount > 1) is never
 * changed for one of them: that inode gets a new block and the shared
 * one a reference less (copy on write).  A block left empty is released
 * (freed with its last reference).  Blocks and inodes are written
 * through ext2fs_blk_write, so they go through the journal with the
 * rest of the transaction's metadata.
 *
 * With ea_inode, a value too large for a block (or for the room left)
 * lives in an EA inode (ext2fs_xattr_inode.c): the set then holds only
 * its entry (inode number, entry hash), and the value is read when
 * asked for.  A store counts the EA inode references the inode held
 * before and holds after, and hands the difference to
 * ext2fs_eai_ref(); the owner's i_blocks follows the values' charge.
 *
 * ACLs are kept on the disk in ext4's form (version 1, short entries)
 * and handed to the VFS in Linux's xattr form (sys/xattr.h); a node
 * keeps its access ACL decoded (n_acl) for the permission check, loaded
 * with the vnode and changed with the attribute or the mode.
 *
 * Locking: em_lock, as reader to look and as writer to change
 * (ext2fs_vfs.h); the helpers say which they need held.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "ext2fs_vfs.h"

#define XE_LEN(nl)  (((size_t)(nl) + EXT2_XE_NAME + 3) & ~(size_t)3)
#define XPAD(n)     (((size_t)(n) + 3) & ~(size_t)3)

/* The namespaces ext4 names by index: the prefix left out of the name. */
static const struct {
	uint8_t index;
	bool whole;                     /* the prefix is the whole name */
	const char *prefix;
} xns[] = {
	{ EXT2_XATTR_INDEX_USER, false, XATTR_USER_PREFIX },
	{ EXT2_XATTR_INDEX_ACL_ACCESS, true, XATTR_ACL_ACCESS },
	{ EXT2_XATTR_INDEX_ACL_DEFAULT, true, XATTR_ACL_DEFAULT },
	{ EXT2_XATTR_INDEX_TRUSTED, false, XATTR_TRUSTED_PREFIX },
	{ EXT2_XATTR_INDEX_SECURITY, false, XATTR_SECURITY_PREFIX },
};

/* One attribute: its name and value in one allocation (xe_data). */
struct xent {
	uint8_t xe_index;
	uint8_t xe_namelen;
	uint32_t xe_len;
	uint8_t *xe_data;               /* name, then value (not for EA) */
	uint32_t xe_inum;               /* EA inode of the value, 0: none */
	uint32_t xe_ehash;              /* an EA entry's hash */
	bool xe_inblock;                /* loaded from the block */
};

struct xset {
	struct xent *xs_e;
	unsigned xs_n, xs_cap;
	uint32_t xs_blkrefs;            /* the loaded block's refcount */
};

/* An EA value larger than this goes to an EA inode (Linux's limit). */
#define EA_INODE_MIN(bsize) ((size_t)(bsize) - 3 - EXT2_XE_NAME - 4)

static const char *
xe_name(const struct xent *x)
{
	return (const char *)x->xe_data;
}

static uint8_t *
xe_val(const struct xent *x)
{
	return x->xe_data + x->xe_namelen;
}

/* The bytes of xe_data. */
static size_t
xe_dlen(const struct xent *x)
{
	return x->xe_namelen + (x->xe_inum != 0 ? 0 : (size_t)x->xe_len);
}

static void
xset_free(struct xset *xs)
{
	for (unsigned i = 0; i < xs->xs_n; i++)
		if (xe_dlen(&xs->xs_e[i]) > 0)
			kmem_free(xs->xs_e[i].xe_data, xe_dlen(&xs->xs_e[i]));
	if (xs->xs_cap > 0)
		kmem_free(xs->xs_e, xs->xs_cap * sizeof(*xs->xs_e));
	memset(xs, 0, sizeof(*xs));
}

/*
 * Append an attribute (a copy of name and value) to the set; with inum
 * not 0 the value (len bytes) is in that EA inode and val unused.
 */
static int
xset_add_ea(struct xset *xs, uint8_t index, const char *name,
    size_t namelen, const void *val, size_t len, uint32_t inum,
    uint32_t ehash)
{
	struct xent *x, *ne;
	size_t dlen;
	unsigned ncap;

	if (xs->xs_n == xs->xs_cap) {
		ncap = xs->xs_cap == 0 ? 8 : xs->xs_cap * 2;
		if ((ne = kmem_alloc(ncap * sizeof(*ne), KM_SLEEP)) == NULL)
			return ENOMEM;
		if (xs->xs_cap > 0) {
			memcpy(ne, xs->xs_e, xs->xs_n * sizeof(*ne));
			kmem_free(xs->xs_e, xs->xs_cap * sizeof(*ne));
		}
		xs->xs_e = ne;
		xs->xs_cap = ncap;
	}
	x = &xs->xs_e[xs->xs_n];
	memset(x, 0, sizeof(*x));
	x->xe_index = index;
	x->xe_namelen = (uint8_t)namelen;
	x->xe_len = (uint32_t)len;
	x->xe_inum = inum;
	x->xe_ehash = ehash;
	if ((dlen = xe_dlen(x)) > 0) {
		if ((x->xe_data = kmem_alloc(dlen, KM_SLEEP)) == NULL)
			return ENOMEM;
		memcpy(x->xe_data, name, namelen);
		if (dlen > namelen)
			memcpy(x->xe_data + namelen, val, len);
	}
	xs->xs_n++;
	return 0;
}

static int
xset_add(struct xset *xs, uint8_t index, const char *name, size_t namelen,
    const void *val, size_t len)
{
	return xset_add_ea(xs, index, name, namelen, val, len, 0, 0);
}

static void
xset_del(struct xset *xs, unsigned i)
{
	struct xent *x = &xs->xs_e[i];

	if (xe_dlen(x) > 0)
		kmem_free(x->xe_data, xe_dlen(x));
	memmove(x, x + 1, (xs->xs_n - i - 1) * sizeof(*x));
	xs->xs_n--;
}

static int
xset_find(const struct xset *xs, uint8_t index, const char *name,
    size_t namelen)
{
	for (unsigned i = 0; i < xs->xs_n; i++)
		if (xs->xs_e[i].xe_index == index &&
		    xs->xs_e[i].xe_namelen == namelen &&
		    memcmp(xe_name(&xs->xs_e[i]), name, namelen) == 0)
			return (int)i;
	return -1;
}

/*
 * The entries of one region: entries from ents up to end, values at
 * their offsets from vbase (vlen bytes there).
 */
static int
xset_parse(const struct ext2fs *fs, uint32_t ino, const uint8_t *ents,
    const uint8_t *end, const uint8_t *vbase, size_t vlen, bool inblock,
    struct xset *xs)
{
	const uint8_t *e;
	size_t elen, voff, vsize;
	uint32_t inum;
	int error;

	for (e = ents; e + 4 <= end && ext2_le32(e) != 0; e += elen) {
		if (e + EXT2_XE_NAME > end ||
		    e + (elen = XE_LEN(e[EXT2_XE_NAME_LEN])) > end)
			return ext2fs_corrupt(fs, "inode %u: attribute entry "
			    "past its area", ino);
		voff = ext2_le16(e + EXT2_XE_VALUE_OFFS);
		vsize = ext2_le32(e + EXT2_XE_VALUE_SIZE);
		inum = ext2_le32(e + EXT2_XE_VALUE_INUM);
		if (inum != 0 && (!(fs->e2_incompat &
		    EXT2F_INCOMPAT_EA_INODE) || vsize == 0 ||
		    vsize > XATTR_SIZE_MAX))
			return ext2fs_corrupt(fs, "inode %u: attribute value "
			    "of %zu bytes in inode %u", ino, vsize, inum);
		if (inum == 0 && (vsize > XATTR_SIZE_MAX || (vsize > 0 &&
		    (voff > vlen || vsize > vlen - voff))))
			return ext2fs_corrupt(fs, "inode %u: attribute value "
			    "%zu+%zu outside its area", ino, voff, vsize);
		if ((error = xset_add_ea(xs, e[EXT2_XE_NAME_INDEX],
		    (const char *)e + EXT2_XE_NAME, e[EXT2_XE_NAME_LEN],
		    vbase + voff, vsize, inum,
		    ext2_le32(e + EXT2_XE_HASH))) != 0)
			return error;
		xs->xs_e[xs->xs_n - 1].xe_inblock = inblock;
	}
	if (e + 4 > end)
		return ext2fs_corrupt(fs, "inode %u: attribute list without "
		    "its end", ino);
	return 0;
}

static int
block_check(const struct ext2fs *fs, uint32_t ino, uint64_t blk,
    uint8_t *b)
{
	uint32_t want, got;

	if (ext2_le32(b) != EXT2_XATTR_MAGIC ||
	    ext2_le32(b + EXT2_XATTR_BLOCKS) != 1)
		return ext2fs_corrupt(fs, "inode %u: attribute block %llu: "
		    "magic 0x%08x, %u blocks", ino, (unsigned long long)blk,
		    ext2_le32(b), ext2_le32(b + EXT2_XATTR_BLOCKS));
	if (!fs->e2_metadata_csum)
		return 0;
	want = ext2_le32(b + EXT2_XATTR_CHECKSUM);
	ext2fs_xattr_csum_set(fs, blk, b);
	got = ext2_le32(b + EXT2_XATTR_CHECKSUM);
	ext2_set_le32(b + EXT2_XATTR_CHECKSUM, want);
	if (got != want)
		return ext2fs_corrupt(fs, "inode %u: attribute block %llu: "
		    "checksum", ino, (unsigned long long)blk);
	return 0;
}

/* All attributes of ip: those in the inode first, then the block's. */
static int
xset_load(struct ext2fs_mount *em, const struct ext2fs_inode *ip,
    struct xset *xs)
{
	const struct ext2fs *fs = em->em_fs;
	size_t start = EXT2_GOOD_OLD_INODE_SIZE + ip->ei_extra_isize;
	struct buf *bp;
	uint8_t *raw;
	int error = 0;

	memset(xs, 0, sizeof(*xs));
	if (ip->ei_ibody_ea) {
		if ((raw = kmem_alloc(fs->e2_isize, KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = ext2fs_iread_raw(fs, ip->ei_ino, raw)) == 0 &&
		    ext2_le32(raw + start) == EXT2_XATTR_MAGIC)
			error = xset_parse(fs, ip->ei_ino, raw + start + 4,
			    raw + fs->e2_isize, raw + start + 4,
			    fs->e2_isize - start - 4, false, xs);
		kmem_free(raw, fs->e2_isize);
	}
	if (error == 0 && ip->ei_file_acl != 0) {
		if (!ext2fs_blk_ok(fs, ip->ei_file_acl, 1))
			error = ext2fs_corrupt(fs, "inode %u: attribute block "
			    "%llu out of range", ip->ei_ino,
			    (unsigned long long)ip->ei_file_acl);
		else if ((error = ext2fs_blk_read(em, ip->ei_file_acl,
		    &bp)) == 0) {
			if ((error = block_check(fs, ip->ei_ino, ip->ei_file_acl,
			    bp->b_data)) == 0)
				error = xset_parse(fs, ip->ei_ino,
				    (uint8_t *)bp->b_data + EXT2_XATTR_HDR_SIZE,
				    (uint8_t *)bp->b_data + fs->e2_bsize,
				    bp->b_data, fs->e2_bsize, true, xs);
			xs->xs_blkrefs = ext2_le32((uint8_t *)bp->b_data +
			    EXT2_XATTR_REFCOUNT);
			brelse(bp, 0);
		}
	}
	if (error != 0)
		xset_free(xs);
	return error;
}

static uint32_t
xent_namehash(const struct xent *x)
{
	uint32_t h = 0;

	for (unsigned i = 0; i < x->xe_namelen; i++)
		h = h << 5 ^ h >> 27 ^ (uint8_t)xe_name(x)[i];
	return h;
}

static uint32_t
xent_hash(const struct xent *x)
{
	const uint8_t *v = xe_val(x);
	uint32_t h = xent_namehash(x), w;

	if (x->xe_inum != 0)
		return x->xe_ehash;
	for (size_t i = 0; i < x->xe_len; i += 4) {
		w = 0;
		for (size_t k = 0; k < 4 && i + k < x->xe_len; k++)
			w |= (uint32_t)v[i + k] << (8 * k);
		h = h << 16 ^ h >> 16 ^ w;
	}
	return h;
}

static size_t
xent_cost(const struct xent *x)
{
	return XE_LEN(x->xe_namelen) + (x->xe_inum != 0 ? 0 : XPAD(x->xe_len));
}

/* Block order (Linux's search relies on it): index, name length, name. */
static int
xent_cmp(const struct xent *a, const struct xent *b)
{
	if (a->xe_index != b->xe_index)
		return a->xe_index < b->xe_index ? -1 : 1;
	if (a->xe_namelen != b->xe_namelen)
		return a->xe_namelen < b->xe_namelen ? -1 : 1;
	return memcmp(xe_name(a), xe_name(b), a->xe_namelen);
}

/*
 * Lay out the entries xv[0..n) in area (len bytes, zeroed): entries from
 * ents, values down from the end, offsets counted from vbase.  Returns
 * the combined entry hash of the block kind.
 */
static uint32_t
xset_emit(struct xent **xv, unsigned n, uint8_t *area, size_t len,
    uint8_t *ents, const uint8_t *vbase)
{
	size_t vend = len;
	uint8_t *e = ents;
	uint32_t bh = 0, h;

	for (unsigned i = 0; i < n; i++) {
		const struct xent *x = xv[i];

		e[EXT2_XE_NAME_LEN] = x->xe_namelen;
		e[EXT2_XE_NAME_INDEX] = x->xe_index;
		ext2_set_le32(e + EXT2_XE_VALUE_SIZE, x->xe_len);
		ext2_set_le32(e + EXT2_XE_VALUE_INUM, x->xe_inum);
		if (x->xe_len > 0 && x->xe_inum == 0) {
			vend -= XPAD(x->xe_len);
			memcpy(area + vend, xe_val(x), x->xe_len);
			ext2_set_le16(e + EXT2_XE_VALUE_OFFS,
			    (uint16_t)(area + vend - vbase));
		}
		h = xent_hash(x);
		ext2_set_le32(e + EXT2_XE_HASH, h);
		bh = bh << 16 ^ bh >> 16 ^ h;
		memcpy(e + EXT2_XE_NAME, xe_name(x), x->xe_namelen);
		e += XE_LEN(x->xe_namelen);
	}
	return bh;
}

static void
xv_sort(struct xent **xv, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && xent_cmp(xv[j - 1], xv[j]) > 0;
		    j--) {
			struct xent *t = xv[j];

			xv[j] = xv[j - 1];
			xv[j - 1] = t;
		}
}

/* The file system says it has attributes once it has one of ours. */
static int
feature_set(struct ext2fs_mount *em)
{
	struct ext2fs *fs = em->em_fs;

	if (fs->e2_compat & EXT2F_COMPAT_EXT_ATTR)
		return 0;
	fs->e2_compat |= EXT2F_COMPAT_EXT_ATTR;
	ext2_set_le32(fs->e2_sb + EXT2_SB_FEATURE_COMPAT, fs->e2_compat);
	return ext2fs_sb_write(em, false);
}

int
ext2fs_xattr_release(struct ext2fs_mount *em, struct ext2fs_inode *ip)
{
	const struct ext2fs *fs = em->em_fs;
	uint64_t blk = ip->ei_file_acl;
	struct buf *bp;
	uint32_t refs;
	uint8_t *b;
	int error;

	ip->ei_file_acl = 0;
	if (!ext2fs_blk_ok(fs, blk, 1))
		return ext2fs_corrupt(fs, "inode %u: attribute block %llu "
		    "out of range", ip->ei_ino, (unsigned long long)blk);
	if ((error = ext2fs_blk_read(em, blk, &bp)) != 0)
		return error;
	b = bp->b_data;
	if (ext2_le32(b) != EXT2_XATTR_MAGIC) {
		brelse(bp, 0);
		return ext2fs_corrupt(fs, "inode %u: attribute block %llu: "
		    "magic 0x%08x", ip->ei_ino, (unsigned long long)blk,
		    ext2_le32(b));
	}
	refs = ext2_le32(b + EXT2_XATTR_REFCOUNT);
	if (refs > 1) {
		ext2_set_le32(b + EXT2_XATTR_REFCOUNT, refs - 1);
		ext2fs_xattr_csum_set(fs, blk, b);
		if ((error = ext2fs_blk_write(em, bp, false)) != 0)
			return error;
		ip->ei_blocks512 -= MIN(ip->ei_blocks512,
		    (uint64_t)(fs->e2_bsize >> 9));
		return 0;
	}
	brelse(bp, 0);
	return ext2fs_free_for(em, ip, blk, 1);
}

/* The value x holds (len bytes): in the set, or read from its EA inode
 * into *bufp (the caller frees it). */
static int
xent_value(struct ext2fs_mount *em, uint32_t owner, const struct xent *x,
    const uint8_t **valp, uint8_t **bufp)
{
	int error;

	*bufp = NULL;
	if (x->xe_inum == 0) {
		*valp = xe_val(x);
		return 0;
	}
	if ((*bufp = kmem_alloc(x->xe_len, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_eai_read(em, owner, x->xe_inum, xent_namehash(x),
	    x->xe_ehash, *bufp, x->xe_len)) != 0) {
		kmem_free(*bufp, x->xe_len);
		*bufp = NULL;
		return error;
	}
	*valp = *bufp;
	return 0;
}

/* Entry i of the set with its value in memory, not in an EA inode. */
static int
xent_materialize(struct ext2fs_mount *em, uint32_t owner, struct xset *xs,
    unsigned i)
{
	struct xent *x = &xs->xs_e[i];
	const uint8_t *val;
	uint8_t *buf, *d;
	int error;

	if (x->xe_inum == 0)
		return 0;
	if ((error = xent_value(em, owner, x, &val, &buf)) != 0)
		return error;
	if ((d = kmem_alloc(x->xe_namelen + x->xe_len, KM_SLEEP)) == NULL) {
		kmem_free(buf, x->xe_len);
		return ENOMEM;
	}
	memcpy(d, x->xe_data, x->xe_namelen);
	memcpy(d + x->xe_namelen, val, x->xe_len);
	if (x->xe_namelen > 0)
		kmem_free(x->xe_data, x->xe_namelen);
	kmem_free(buf, x->xe_len);
	x->xe_data = d;
	x->xe_inum = 0;
	return 0;
}

/* EA inode references to change after a store. */
struct eref {
	uint32_t er_inum;
	uint32_t er_len;
	int er_delta;
	bool er_new;                    /* made by this store */
};

struct erefs {
	struct eref *r;
	unsigned n, cap;
};

static void
erefs_note(struct erefs *rs, uint32_t inum, uint32_t len, int delta,
    bool isnew)
{
	unsigned i;

	for (i = 0; i < rs->n; i++)
		if (rs->r[i].er_inum == inum)
			break;
	if (i == rs->n) {
		KASSERT(rs->n < rs->cap);
		rs->r[rs->n++] = (struct eref){ inum, len, 0, false };
	}
	rs->r[i].er_delta += delta;
	rs->r[i].er_new |= isnew;
}

/*
 * Move entry x's value into an EA inode of np (one with the same value,
 * or a new one noted in rs).
 */
static int
xent_to_inode(struct ext2fs_mount *em, struct ext2fs_node *np,
    struct xent *x, bool root, struct erefs *rs)
{
	uint32_t inum, vhash, nh = xent_namehash(x);
	uint8_t *d = NULL;
	bool isnew;
	int error;

	if ((error = ext2fs_eai_make(em, np, xe_val(x), x->xe_len, root,
	    &inum, &vhash, &isnew)) != 0)
		return error;
	if (isnew)
		erefs_note(rs, inum, x->xe_len, 0, true);
	if (x->xe_namelen > 0) {
		if ((d = kmem_alloc(x->xe_namelen, KM_SLEEP)) == NULL)
			return ENOMEM;
		memcpy(d, x->xe_data, x->xe_namelen);
	}
	kmem_free(x->xe_data, xe_dlen(x));
	x->xe_data = d;
	x->xe_inum = inum;
	x->xe_ehash = nh << 16 ^ nh >> 16 ^ vhash;
	return 0;
}

/*
 * Split the set between the inode (icap bytes of room) and a block:
 * iv/bv, ni/nb, the block's bytes in *busedp.
 */
static void
xset_split(struct xset *xs, size_t icap, struct xent **iv, unsigned *nip,
    struct xent **bv, unsigned *nbp, size_t *busedp)
{
	size_t iused = 0, bused = 0;
	unsigned ni = 0, nb = 0;

	for (unsigned i = 0; i < xs->xs_n; i++) {
		size_t c = xent_cost(&xs->xs_e[i]);

		if (iused + c <= icap) {
			iv[ni++] = &xs->xs_e[i];
			iused += c;
		} else {
			bv[nb++] = &xs->xs_e[i];
			bused += c;
		}
	}
	*nip = ni;
	*nbp = nb;
	*busedp = bused;
}

/*
 * Write the set back as np's attributes: into the inode while they fit,
 * the rest into its block (its own, a new one if it had none or shared
 * it).  With ea_inode, values over Linux's limit, then the largest ones
 * while the block overflows, move to EA inodes.  Writes the inode, then
 * the EA inodes' reference counts.  ENOSPC when they do not fit a block.
 */
static int
xset_store(struct ext2fs_mount *em, struct ext2fs_node *np, struct xset *xs,
    bool root)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode *ip = &np->n_ip;
	size_t start = EXT2_GOOD_OLD_INODE_SIZE + ip->ei_extra_isize;
	size_t alen = 0, icap = 0, bused = 0;
	struct xent **iv = NULL, **bv = NULL;
	uint8_t *area = NULL, *blkbuf = NULL;
	unsigned ni = 0, nb = 0;
	struct buf *bp;
	uint64_t old = ip->ei_file_acl, nblk, ocharge = 0, ncharge = 0;
	struct erefs rs = { NULL, 0, 0 };
	struct xset oxs;
	bool ea = (fs->e2_incompat & EXT2F_INCOMPAT_EA_INODE) != 0;
	uint32_t h;
	int error = 0;

	memset(&oxs, 0, sizeof(oxs));
	if (xs->xs_n > 0 && (error = feature_set(em)) != 0)
		return error;
	if (fs->e2_isize > EXT2_GOOD_OLD_INODE_SIZE && ip->ei_extra_isize != 0 &&
	    start + 8 <= fs->e2_isize) {
		alen = fs->e2_isize - start;
		icap = alen - 8;        /* the magic and the end of the list */
	}
	if (ea && (ip->ei_ibody_ea || old != 0) &&
	    (error = xset_load(em, ip, &oxs)) != 0)
		return error;
	rs.cap = oxs.xs_n + xs->xs_n;
	if (rs.cap > 0 && (rs.r = kmem_alloc(rs.cap * sizeof(*rs.r),
	    KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if (xs->xs_n > 0 && ((iv = kmem_alloc(xs->xs_n * sizeof(*iv),
	    KM_SLEEP)) == NULL || (bv = kmem_alloc(xs->xs_n * sizeof(*bv),
	    KM_SLEEP)) == NULL)) {
		error = ENOMEM;
		goto out;
	}
	for (unsigned i = 0; ea && i < xs->xs_n; i++)
		if (xs->xs_e[i].xe_inum == 0 &&
		    XPAD(xs->xs_e[i].xe_len) > EA_INODE_MIN(fs->e2_bsize) &&
		    (error = xent_to_inode(em, np, &xs->xs_e[i], root,
		    &rs)) != 0)
			goto out;
	for (;;) {
		struct xent *big = NULL;

		xset_split(xs, icap, iv, &ni, bv, &nb, &bused);
		if (nb == 0 || bused + 4 <= fs->e2_bsize - EXT2_XATTR_HDR_SIZE)
			break;
		for (unsigned i = 0; ea && i < xs->xs_n; i++)
			if (xs->xs_e[i].xe_inum == 0 &&
			    xs->xs_e[i].xe_len > 0 && (big == NULL ||
			    xs->xs_e[i].xe_len > big->xe_len))
				big = &xs->xs_e[i];
		if (big == NULL) {
			error = ENOSPC;
			goto out;
		}
		if ((error = xent_to_inode(em, np, big, root, &rs)) != 0)
			goto out;
	}
	/* References and charges: the old set's against the new one's. */
	for (unsigned i = 0; i < oxs.xs_n; i++) {
		const struct xent *x = &oxs.xs_e[i];

		if (x->xe_inum == 0)
			continue;
		ocharge += ext2fs_eai_charge(fs, x->xe_len);
		if (!x->xe_inblock || oxs.xs_blkrefs == 1)
			erefs_note(&rs, x->xe_inum, x->xe_len, -1, false);
	}
	for (unsigned i = 0; i < xs->xs_n; i++) {
		const struct xent *x = &xs->xs_e[i];

		if (x->xe_inum == 0)
			continue;
		ncharge += ext2fs_eai_charge(fs, x->xe_len);
		erefs_note(&rs, x->xe_inum, x->xe_len, 1, false);
	}
	/* Nothing changes before every reference to change is sound. */
	for (unsigned i = 0; i < rs.n; i++)
		if (!rs.r[i].er_new && rs.r[i].er_delta != 0 &&
		    (error = ext2fs_eai_check(em, ip->ei_ino, rs.r[i].er_inum,
		    rs.r[i].er_len)) != 0)
			goto out;
	if (alen > 0) {
		if ((area = kmem_zalloc(alen, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
		if (ni > 0) {
			ext2_set_le32(area, EXT2_XATTR_MAGIC);
			(void)xset_emit(iv, ni, area, alen, area + 4, area + 4);
		}
	}
	if (nb > 0) {
		if ((blkbuf = kmem_zalloc(fs->e2_bsize, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
		xv_sort(bv, nb);
		h = xset_emit(bv, nb, blkbuf, fs->e2_bsize,
		    blkbuf + EXT2_XATTR_HDR_SIZE, blkbuf);
		ext2_set_le32(blkbuf, EXT2_XATTR_MAGIC);
		ext2_set_le32(blkbuf + EXT2_XATTR_REFCOUNT, 1);
		ext2_set_le32(blkbuf + EXT2_XATTR_BLOCKS, 1);
		ext2_set_le32(blkbuf + EXT2_XATTR_HASH, h);
		nblk = old;
		if (old != 0) {
			/* Our own block is rewritten; a shared one stays. */
			if ((error = ext2fs_blk_read(em, old, &bp)) != 0)
				goto out;
			if (ext2_le32((uint8_t *)bp->b_data +
			    EXT2_XATTR_REFCOUNT) > 1)
				nblk = 0;
			brelse(bp, 0);
		}
		if (nblk == 0 && (error = ext2fs_alloc_for(em, np, root, false,
		    &nblk)) != 0)
			goto out;
		if (old != 0 && nblk != old) {
			ip->ei_file_acl = old;
			if ((error = ext2fs_xattr_release(em, ip)) != 0)
				goto out;
		}
		ext2fs_xattr_csum_set(fs, nblk, blkbuf);
		bp = ext2fs_blk_get(em, nblk);
		memcpy(bp->b_data, blkbuf, fs->e2_bsize);
		if ((error = ext2fs_blk_write(em, bp, false)) != 0)
			goto out;
		ip->ei_file_acl = nblk;
	} else if (old != 0 && (error = ext2fs_xattr_release(em, ip)) != 0)
		goto out;
	ip->ei_blocks512 = ip->ei_blocks512 + ncharge -
	    MIN(ocharge, ip->ei_blocks512 + ncharge);
	ip->ei_ibody_ea = ni > 0;
	ext2fs_settime(ip, false, false, true);
	if ((error = ext2fs_iupdate_ea(em, ip, area, alen)) != 0)
		goto out;
	/* Gains first, so that a value moving keeps its inode. */
	for (unsigned i = 0; i < rs.n && error == 0; i++)
		if (rs.r[i].er_delta > 0 || rs.r[i].er_new)
			error = ext2fs_eai_ref(em, ip->ei_ino, rs.r[i].er_inum,
			    rs.r[i].er_len, rs.r[i].er_delta);
	for (unsigned i = 0; i < rs.n && error == 0; i++)
		if (rs.r[i].er_delta < 0 && !rs.r[i].er_new)
			error = ext2fs_eai_ref(em, ip->ei_ino, rs.r[i].er_inum,
			    rs.r[i].er_len, rs.r[i].er_delta);
	rs.n = 0;
out:
	/* A failed store leaves the EA inodes it made unreferenced. */
	for (unsigned i = 0; i < rs.n; i++)
		if (rs.r[i].er_new)
			(void)ext2fs_eai_discard(em, rs.r[i].er_inum,
			    rs.r[i].er_len);
	if (rs.r != NULL)
		kmem_free(rs.r, rs.cap * sizeof(*rs.r));
	xset_free(&oxs);
	if (iv != NULL)
		kmem_free(iv, xs->xs_n * sizeof(*iv));
	if (bv != NULL)
		kmem_free(bv, xs->xs_n * sizeof(*bv));
	if (area != NULL)
		kmem_free(area, alen);
	if (blkbuf != NULL)
		kmem_free(blkbuf, fs->e2_bsize);
	return error;
}

/*
 * An inode's attributes go with it: the block released (freed with its
 * last reference) and the references to EA inodes that it held.
 */
int
ext2fs_xattr_drop(struct ext2fs_mount *em, struct ext2fs_inode *ip)
{
	struct xset xs;
	int error = 0, e;

	memset(&xs, 0, sizeof(xs));
	if ((em->em_fs->e2_incompat & EXT2F_INCOMPAT_EA_INODE) &&
	    (error = xset_load(em, ip, &xs)) != 0)
		memset(&xs, 0, sizeof(xs));
	if (ip->ei_file_acl != 0 && (e = ext2fs_xattr_release(em, ip)) != 0 &&
	    error == 0)
		error = e;
	for (unsigned i = 0; i < xs.xs_n; i++) {
		const struct xent *x = &xs.xs_e[i];

		if (x->xe_inum != 0 && (!x->xe_inblock || xs.xs_blkrefs == 1) &&
		    (e = ext2fs_eai_ref(em, ip->ei_ino, x->xe_inum, x->xe_len,
		    -1)) != 0 && error == 0)
			error = e;
	}
	ip->ei_ibody_ea = false;
	xset_free(&xs);
	return error;
}

/* A full name's index and the name below it; false if ext4 has none. */
static bool
name_split(const char *name, uint8_t *indexp, const char **restp)
{
	for (size_t i = 0; i < __arraycount(xns); i++) {
		size_t pl = strlen(xns[i].prefix);

		if (xns[i].whole ? strcmp(name, xns[i].prefix) != 0 :
		    strncmp(name, xns[i].prefix, pl) != 0)
			continue;
		*indexp = xns[i].index;
		*restp = name + pl;
		return true;
	}
	return false;
}

/*
 * An ACL from the disk (len bytes) in the xattr form, into a new
 * allocation of *outlenp bytes; EIO (logged) when it is not a valid ACL.
 */
static int
acl_from_disk(const struct ext2fs *fs, uint32_t ino, const uint8_t *d,
    size_t len, uint8_t **outp, size_t *outlenp)
{
	size_t n = 0, off, olen;
	uint8_t *o;
	uint16_t tag;
	bool empty;

	if (len < 4 || ext2_le32(d) != EXT4_ACL_VERSION)
		goto bad;
	for (off = 4; off < len; n++) {
		if (off + EXT4_ACL_SHORT > len)
			goto bad;
		tag = ext2_le16(d + off);
		off += tag == ACL_USER || tag == ACL_GROUP ? EXT4_ACL_FULL :
		    EXT4_ACL_SHORT;
		if (off > len)
			goto bad;
	}
	olen = ACL_XATTR_HDR + n * ACL_XATTR_ENTRY;
	if ((o = kmem_alloc(olen, KM_SLEEP)) == NULL)
		return ENOMEM;
	ext2_set_le32(o, ACL_XATTR_VERSION);
	for (off = 4, n = 0; off < len; n++) {
		uint8_t *e = o + ACL_XATTR_HDR + n * ACL_XATTR_ENTRY;

		tag = ext2_le16(d + off);
		memcpy(e, d + off, 4);
		if (tag == ACL_USER || tag == ACL_GROUP) {
			memcpy(e + 4, d + off + 4, 4);
			off += EXT4_ACL_FULL;
		} else {
			ext2_set_le32(e + 4, ACL_UNDEFINED_ID);
			off += EXT4_ACL_SHORT;
		}
	}
	if (acl_xattr_check(o, olen, &empty) != 0 || empty) {
		kmem_free(o, olen);
		goto bad;
	}
	*outp = o;
	*outlenp = olen;
	return 0;
bad:
	return ext2fs_corrupt(fs, "inode %u: bad ACL of %zu bytes", ino, len);
}

/* A valid ACL in the xattr form in ext4's: into out, its length. */
static size_t
acl_to_disk(const uint8_t *v, size_t len, uint8_t *out)
{
	size_t o = 4;

	ext2_set_le32(out, EXT4_ACL_VERSION);
	for (size_t off = ACL_XATTR_HDR; off < len; off += ACL_XATTR_ENTRY) {
		uint16_t tag = ext2_le16(v + off);

		memcpy(out + o, v + off, 4);
		if (tag == ACL_USER || tag == ACL_GROUP) {
			memcpy(out + o + 4, v + off + 4, 4);
			o += EXT4_ACL_FULL;
		} else
			o += EXT4_ACL_SHORT;
	}
	return o;
}

/* The node's cached access ACL goes (em_lock as writer, or reclaim). */
void
ext2fs_acl_forget(struct ext2fs_node *np)
{
	if (np->n_acl != NULL)
		kmem_free(np->n_acl, np->n_acllen);
	np->n_acl = NULL;
	np->n_acllen = 0;
}

/* Cache the access ACL of the set (the disk form) in np. */
static int
acl_cache(struct ext2fs_mount *em, struct ext2fs_node *np,
    const struct xset *xs)
{
	int i = xset_find(xs, EXT2_XATTR_INDEX_ACL_ACCESS, "", 0), error;
	const uint8_t *val;
	uint8_t *buf;

	ext2fs_acl_forget(np);
	np->n_aclerr = 0;
	if (i < 0)
		return 0;
	if ((error = xent_value(em, np->n_ip.ei_ino, &xs->xs_e[i], &val,
	    &buf)) != 0)
		return error;
	error = acl_from_disk(em->em_fs, np->n_ip.ei_ino, val,
	    xs->xs_e[i].xe_len, &np->n_acl, &np->n_acllen);
	if (buf != NULL)
		kmem_free(buf, xs->xs_e[i].xe_len);
	return error;
}

int
ext2fs_acl_load(struct ext2fs_mount *em, struct ext2fs_node *np)
{
	struct xset xs;
	int error;

	if (!np->n_ip.ei_ibody_ea && np->n_ip.ei_file_acl == 0)
		return 0;
	if ((error = xset_load(em, &np->n_ip, &xs)) == 0) {
		error = acl_cache(em, np, &xs);
		xset_free(&xs);
	}
	np->n_aclerr = error;
	return error == ENOMEM ? error : 0;
}

/*
 * The permission check with the ACL.  Attributes that could not be read
 * (corrupt, logged when the vnode was loaded) fail it as Linux fails a
 * check that needs the ACL: for all but the owner, unless the mode
 * leaves the ACL out.
 */
int
ext2fs_vaccess(const struct ext2fs_node *np, int mode, kauth_cred_t cred)
{
	const struct ext2fs_inode *ip = &np->n_ip;

	if (np->n_aclerr != 0 && cred->cr_euid != ip->ei_uid &&
	    (ip->ei_mode & S_IRWXG) != 0)
		return np->n_aclerr;

	return acl_vaccess(iftovt(ip->ei_mode), ip->ei_mode & ALLPERMS,
	    ip->ei_uid, ip->ei_gid, np->n_acl, np->n_acllen, mode, cred);
}

/* chmod: the access ACL's entries follow the new mode. */
int
ext2fs_acl_chmod(struct ext2fs_mount *em, struct ext2fs_node *np, bool root)
{
	struct xset xs;
	uint8_t *d;
	int i, error;

	if (np->n_acl == NULL)
		return 0;
	acl_xattr_chmod(np->n_acl, np->n_acllen, np->n_ip.ei_mode);
	if ((error = xset_load(em, &np->n_ip, &xs)) != 0)
		return error;
	if ((i = xset_find(&xs, EXT2_XATTR_INDEX_ACL_ACCESS, "", 0)) >= 0 &&
	    (error = xent_materialize(em, np->n_ip.ei_ino, &xs,
	    (unsigned)i)) == 0) {
		d = xe_val(&xs.xs_e[i]);
		if (acl_to_disk(np->n_acl, np->n_acllen, d) ==
		    xs.xs_e[i].xe_len)
			error = xset_store(em, np, &xs, root);
	}
	xset_free(&xs);
	return error;
}

/*
 * np, just made in dnp with the mode asked for in va: dnp's default ACL,
 * if any, becomes np's access ACL (and a directory's default), masked by
 * that mode, which the umask no longer limits.  Writes the inode.
 */
int
ext2fs_acl_inherit(struct ext2fs_mount *em, struct ext2fs_node *dnp,
    struct ext2fs_node *np, const struct vattr *va, bool root)
{
	struct ext2fs_inode *ip = &np->n_ip;
	uint8_t *dflt = NULL, *acc = NULL;
	size_t dlen = 0, alen;
	struct xset dxs, xs;
	mode_t mode;
	int i, error;

	if ((ip->ei_mode & EXT2_IFMT) == EXT2_IFLNK)
		return 0;
	if (!dnp->n_ip.ei_ibody_ea && dnp->n_ip.ei_file_acl == 0)
		return 0;
	if ((error = xset_load(em, &dnp->n_ip, &dxs)) != 0)
		return error;
	memset(&xs, 0, sizeof(xs));
	if ((i = xset_find(&dxs, EXT2_XATTR_INDEX_ACL_DEFAULT, "", 0)) < 0 ||
	    (error = xent_materialize(em, dnp->n_ip.ei_ino, &dxs,
	    (unsigned)i)) != 0 ||
	    (error = acl_from_disk(em->em_fs, dnp->n_ip.ei_ino,
	    xe_val(&dxs.xs_e[i]), dxs.xs_e[i].xe_len, &dflt, &dlen)) != 0)
		goto out;
	if ((acc = kmem_alloc(dlen, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	mode = ((va->va_mask & VA_CMODE) ? va->va_cmode : va->va_mode) &
	    ALLPERMS;
	if (acl_xattr_inherit(dflt, dlen, &mode, acc)) {
		alen = acl_to_disk(acc, dlen, acc);
		if ((error = xset_add(&xs, EXT2_XATTR_INDEX_ACL_ACCESS, "", 0,
		    acc, alen)) != 0)
			goto out;
	}
	if ((ip->ei_mode & EXT2_IFMT) == EXT2_IFDIR &&
	    (error = xset_add(&xs, EXT2_XATTR_INDEX_ACL_DEFAULT, "", 0,
	    xe_val(&dxs.xs_e[i]), dxs.xs_e[i].xe_len)) != 0)
		goto out;
	ip->ei_mode = (uint16_t)((ip->ei_mode & ~(S_IRWXU | S_IRWXG |
	    S_IRWXO)) | (mode & (S_IRWXU | S_IRWXG | S_IRWXO)));
	error = xset_store(em, np, &xs, root);
out:
	if (dflt != NULL)
		kmem_free(dflt, dlen);
	if (acc != NULL)
		kmem_free(acc, dlen);
	xset_free(&xs);
	xset_free(&dxs);
	return error;
}

int
ext2fs_getxattr(struct vnode *vp, const char *name, void *buf, size_t *lenp)
{
	struct ext2fs_mount *em = VTOEM(vp);
	const char *rest;
	uint8_t index, *acl = NULL, *ebuf = NULL;
	const uint8_t *val;
	size_t len = 0, acllen = 0, elen = 0;
	struct xset xs;
	int i, error;

	if (!name_split(name, &index, &rest))
		return ENODATA;
	rw_enter(&em->em_lock, RW_READER);
	if ((error = xset_load(em, VTOEI(vp), &xs)) != 0)
		goto out;
	if ((i = xset_find(&xs, index, rest, strlen(rest))) < 0) {
		error = ENODATA;
		goto out;
	}
	len = xs.xs_e[i].xe_len;
	/* The size alone needs no value (Linux's answer as well). */
	if (buf == NULL && index != EXT2_XATTR_INDEX_ACL_ACCESS &&
	    index != EXT2_XATTR_INDEX_ACL_DEFAULT) {
		*lenp = len;
		goto out;
	}
	if ((error = xent_value(em, VTOEI(vp)->ei_ino, &xs.xs_e[i], &val,
	    &ebuf)) != 0)
		goto out;
	elen = len;
	if (index == EXT2_XATTR_INDEX_ACL_ACCESS ||
	    index == EXT2_XATTR_INDEX_ACL_DEFAULT) {
		if ((error = acl_from_disk(em->em_fs, VTOEI(vp)->ei_ino, val,
		    len, &acl, &acllen)) != 0)
			goto out;
		val = acl;
		len = acllen;
	}
	if (buf != NULL && len > *lenp)
		error = ERANGE;
	else {
		if (buf != NULL)
			memcpy(buf, val, len);
		*lenp = len;
	}
out:
	rw_exit(&em->em_lock);
	if (acl != NULL)
		kmem_free(acl, acllen);
	if (ebuf != NULL)
		kmem_free(ebuf, elen);
	xset_free(&xs);
	return error;
}

/*
 * Change one attribute: val NULL removes it.  An access ACL sets the
 * mode, and is not kept when it says no more than the mode.
 */
static int
xattr_change(struct vnode *vp, const char *name, const void *val,
    size_t len, int flags, kauth_cred_t cred)
{
	struct ext2fs_mount *em = VTOEM(vp);
	struct ext2fs_node *np = VTON(vp);
	struct ext2fs_inode *ip = &np->n_ip;
	bool acl, keep = val != NULL;
	uint8_t index, *d = NULL;
	size_t dsize = len;
	const char *rest;
	struct xset xs;
	uint16_t old_mode;
	mode_t mode;
	int i, error;

	if (!name_split(name, &index, &rest))
		return EOPNOTSUPP;
	acl = index == EXT2_XATTR_INDEX_ACL_ACCESS ||
	    index == EXT2_XATTR_INDEX_ACL_DEFAULT;
	if (strlen(rest) > EXT2_NAME_MAX)
		return ERANGE;
	rw_enter(&em->em_lock, RW_WRITER);
	if (!em->em_rw) {
		error = EROFS;
		goto unlock;
	}
	if ((error = xset_load(em, ip, &xs)) != 0)
		goto unlock;
	i = xset_find(&xs, index, rest, strlen(rest));
	if (!acl && (flags & XATTR_CREATE) && i >= 0) {
		error = EEXIST;
		goto out;
	}
	if (!acl && (flags & XATTR_REPLACE) && i < 0) {
		error = ENODATA;
		goto out;
	}
	if (i < 0 && val == NULL) {
		error = acl ? 0 : ENODATA;
		goto out;
	}
	mode = ip->ei_mode;
	if (val != NULL && index == EXT2_XATTR_INDEX_ACL_ACCESS)
		keep = acl_xattr_setmode(val, len, &mode, ip->ei_gid, cred);
	if (val != NULL && acl) {
		if ((d = kmem_alloc(len, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
		len = acl_to_disk(val, len, d);
		val = d;
	}
	if (i >= 0)
		xset_del(&xs, (unsigned)i);
	if (keep && (error = xset_add(&xs, index, rest, strlen(rest), val,
	    len)) != 0)
		goto out;
	old_mode = ip->ei_mode;
	ip->ei_mode = (uint16_t)mode;
	if ((error = xset_store(em, np, &xs, kauth_cred_issuser(cred))) != 0) {
		ip->ei_mode = old_mode;
		goto out;
	}
	if (index == EXT2_XATTR_INDEX_ACL_ACCESS)
		error = acl_cache(em, np, &xs);
out:
	if (d != NULL)
		kmem_free(d, dsize);
	xset_free(&xs);
unlock:
	rw_exit(&em->em_lock);
	return error;
}

int
ext2fs_setxattr(struct vnode *vp, const char *name, const void *val,
    size_t len, int flags, kauth_cred_t cred)
{
	static const char empty;

	return xattr_change(vp, name, val != NULL ? val : &empty, len, flags,
	    cred);
}

int
ext2fs_removexattr(struct vnode *vp, const char *name, kauth_cred_t cred)
{
	return xattr_change(vp, name, NULL, 0, 0, cred);
}

int
ext2fs_listxattr(struct vnode *vp, char *buf, size_t *lenp)
{
	struct ext2fs_mount *em = VTOEM(vp);
	size_t len = 0, pl, n;
	struct xset xs;
	int error;

	rw_enter(&em->em_lock, RW_READER);
	error = xset_load(em, VTOEI(vp), &xs);
	rw_exit(&em->em_lock);
	if (error != 0)
		return error;
	for (unsigned i = 0; i < xs.xs_n; i++) {
		const struct xent *x = &xs.xs_e[i];
		size_t k;

		for (k = 0; k < __arraycount(xns); k++)
			if (xns[k].index == x->xe_index)
				break;
		if (k == __arraycount(xns))
			continue;
		pl = strlen(xns[k].prefix);
		n = pl + (xns[k].whole ? 0 : x->xe_namelen) + 1;
		if (buf != NULL && len + n <= *lenp) {
			memcpy(buf + len, xns[k].prefix, pl);
			if (!xns[k].whole)
				memcpy(buf + len + pl, xe_name(x),
				    x->xe_namelen);
			buf[len + n - 1] = '\0';
		}
		len += n;
	}
	xset_free(&xs);
	if (buf != NULL && len > *lenp)
		error = ERANGE;
	*lenp = len;
	return error;
}
