/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Attribute values kept in EA inodes (ext4's ea_inode feature): an
 * entry whose e_value_inum is not zero has its value as the data of
 * that inode, a regular file with EXT4_EA_INODE_FL, linked from no
 * directory.  The EA inode keeps the crc32c of the value (seeded with
 * the file system's checksum seed) in i_atime and its reference count,
 * 64 bits, in i_ctime (high half) and the low word of i_version
 * (osd1); i_size is the value's length and i_links_count 1.  The
 * entry's e_hash is the name's hash continued by the value hash as one
 * value word.  An owner's i_blocks also counts the value's blocks
 * (rounded up to whole blocks), as Linux charges them to it.
 *
 * References: one per entry that names the inode in an inode's
 * attribute area or in an attribute block (a shared block counts once,
 * however many inodes share it).  The writer (ext2fs_xattr.c) counts
 * the references an inode's attributes held before a change and after
 * it, and applies the difference here; the last reference going frees
 * the EA inode and its blocks.  A new value first looks for an EA inode
 * of this mount with the same value (the cache below, filled as EA
 * inodes are made or read), so that equal large values share one
 * inode as Linux shares them.
 *
 * Everything written goes through ext2fs_blk_write, i.e. the journal
 * (the value's blocks too, as Linux journals them).  A damaged
 * reference (inode number out of range, not an EA inode, wrong size or
 * hash) is EIO with one log line.
 *
 * Locking: em_lock, as reader to read a value, as writer for the rest;
 * the cache has its own mutex (ec_lock), as readers note what they read.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>

#include "ext2fs_vfs.h"

#define EAI_CACHE_MAX 64                /* EA inodes remembered, at most */

struct ext2fs_eacache {
	kmutex_t ec_lock;
	unsigned ec_n, ec_next;
	struct {
		uint32_t ino;
		uint32_t vhash;
	} ec_e[EAI_CACHE_MAX];
};

uint32_t
ext2fs_eai_vhash(const struct ext2fs *fs, const void *val, size_t len)
{
	uint32_t seed = fs->e2_metadata_csum ? fs->e2_csum_seed :
	    ext2fs_crc32c(~0u, fs->e2_sb + EXT2_SB_UUID, 16);

	return ext2fs_crc32c(seed, val, len);
}

/* The blocks (512-byte units) an owner is charged for a value. */
uint64_t
ext2fs_eai_charge(const struct ext2fs *fs, size_t len)
{
	return ((uint64_t)(len + fs->e2_bsize - 1) >> fs->e2_bshift) <<
	    (fs->e2_bshift - 9);
}

static void
cache_note(struct ext2fs_mount *em, uint32_t ino, uint32_t vhash)
{
	struct ext2fs_eacache *ec = em->em_eacache;

	if (ec == NULL)
		return;
	mutex_enter(&ec->ec_lock);
	for (unsigned i = 0; i < ec->ec_n; i++)
		if (ec->ec_e[i].ino == ino) {
			ec->ec_e[i].vhash = vhash;
			goto out;
		}
	ec->ec_e[ec->ec_next].ino = ino;
	ec->ec_e[ec->ec_next].vhash = vhash;
	ec->ec_next = (ec->ec_next + 1) % EAI_CACHE_MAX;
	if (ec->ec_n < EAI_CACHE_MAX)
		ec->ec_n++;
out:
	mutex_exit(&ec->ec_lock);
}

static void
cache_forget(struct ext2fs_mount *em, uint32_t ino)
{
	struct ext2fs_eacache *ec = em->em_eacache;

	if (ec == NULL)
		return;
	mutex_enter(&ec->ec_lock);
	for (unsigned i = 0; i < ec->ec_n; i++)
		if (ec->ec_e[i].ino == ino)
			ec->ec_e[i].ino = 0;
	mutex_exit(&ec->ec_lock);
}

void
ext2fs_eai_init(struct ext2fs_mount *em)
{
	struct ext2fs_eacache *ec;

	if (!(em->em_fs->e2_incompat & EXT2F_INCOMPAT_EA_INODE))
		return;
	if ((ec = kmem_zalloc(sizeof(*ec), KM_SLEEP)) == NULL)
		return;
	mutex_init(&ec->ec_lock, MUTEX_DEFAULT, IPL_NONE);
	em->em_eacache = ec;
}

void
ext2fs_eai_fini(struct ext2fs_mount *em)
{
	if (em->em_eacache == NULL)
		return;
	mutex_destroy(&em->em_eacache->ec_lock);
	kmem_free(em->em_eacache, sizeof(*em->em_eacache));
	em->em_eacache = NULL;
}

/*
 * EA inode ino as owner's entry names it (len bytes of value): decoded
 * into *eip after the checks that need no data: in range, in use, a
 * regular file with EXT4_EA_INODE_FL, one link, len bytes.
 */
static int
eai_get(const struct ext2fs *fs, uint32_t owner, uint32_t ino, size_t len,
    struct ext2fs_inode *eip)
{
	int error;

	if (ino < fs->e2_first_ino || ino > fs->e2_ninodes)
		return ext2fs_corrupt(fs, "inode %u: attribute value in "
		    "inode %u, out of range", owner, ino);
	if ((error = ext2fs_iget(fs, ino, eip)) != 0)
		return error == ENOENT ? ext2fs_corrupt(fs, "inode %u: "
		    "attribute value in inode %u, not in use", owner, ino) :
		    error;
	if (!(eip->ei_flags & EXT4_EA_INODE_FL) ||
	    (eip->ei_mode & EXT2_IFMT) != EXT2_IFREG || eip->ei_nlink != 1)
		return ext2fs_corrupt(fs, "inode %u: attribute value in "
		    "inode %u, not an EA inode", owner, ino);
	if (eip->ei_size != len)
		return ext2fs_corrupt(fs, "inode %u: attribute value in "
		    "inode %u: %llu bytes, the entry says %zu", owner, ino,
		    (unsigned long long)eip->ei_size, len);
	return 0;
}

/* Whether EA inode ino is one that owner's entry (len bytes) may name. */
int
ext2fs_eai_check(struct ext2fs_mount *em, uint32_t owner, uint32_t ino,
    size_t len)
{
	struct ext2fs_inode eip;

	return eai_get(em->em_fs, owner, ino, len, &eip);
}

/*
 * Read the value of an entry of owner (name, len bytes, e_hash ehash)
 * kept in EA inode ino into val, checking its hash and the entry's.
 */
int
ext2fs_eai_read(struct ext2fs_mount *em, uint32_t owner, uint32_t ino,
    uint32_t namehash, uint32_t ehash, void *val, size_t len)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_inode eip;
	uint32_t vhash;
	size_t done;
	int error;

	if ((error = eai_get(fs, owner, ino, len, &eip)) != 0)
		return error;
	if ((error = ext2fs_read(fs, &eip, 0, val, len, &done)) != 0)
		return error;
	if (done != len)
		return ext2fs_corrupt(fs, "inode %u: attribute value in "
		    "inode %u: short", owner, ino);
	vhash = ext2fs_eai_vhash(fs, val, len);
	if (vhash != (uint32_t)eip.ei_atime.tv_sec)
		return ext2fs_corrupt(fs, "inode %u: attribute value in "
		    "inode %u: hash 0x%08x, computed 0x%08x", owner, ino,
		    (uint32_t)eip.ei_atime.tv_sec, vhash);
	if (ehash != (namehash << 16 ^ namehash >> 16 ^ vhash))
		return ext2fs_corrupt(fs, "inode %u: attribute entry hash "
		    "0x%08x for the value in inode %u", owner, ehash, ino);
	cache_note(em, ino, vhash);
	return 0;
}

/* EA inode ino's reference count. */
static int
ref_get(const struct ext2fs *fs, uint32_t ino, uint64_t *refp)
{
	uint8_t *raw;
	int error;

	if ((raw = kmem_alloc(fs->e2_isize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_iread_raw(fs, ino, raw)) == 0)
		*refp = (uint64_t)ext2_le32(raw + EXT2_I_CTIME) << 32 |
		    ext2_le32(raw + EXT2_I_VERSION);
	kmem_free(raw, fs->e2_isize);
	return error;
}

static int
ref_set(struct ext2fs_mount *em, uint32_t ino, uint64_t ref)
{
	int error;

	if ((error = ext2fs_iset_le32(em, ino, EXT2_I_CTIME,
	    (uint32_t)(ref >> 32))) != 0)
		return error;
	return ext2fs_iset_le32(em, ino, EXT2_I_VERSION, (uint32_t)ref);
}

/*
 * Add delta to EA inode ino's references (owner names it, with a value
 * of len bytes); at none left, free it with its blocks.
 */
int
ext2fs_eai_ref(struct ext2fs_mount *em, uint32_t owner, uint32_t ino,
    size_t len, int delta)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_node *np;
	uint64_t ref;
	int error;

	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = eai_get(fs, owner, ino, len, &np->n_ip)) != 0 ||
	    (error = ref_get(fs, ino, &ref)) != 0)
		goto out;
	if (delta < 0 && ref < (uint64_t)-delta) {
		error = ext2fs_corrupt(fs, "inode %u: EA inode %u has %llu "
		    "references, %d going", owner, ino,
		    (unsigned long long)ref, -delta);
		goto out;
	}
	ref += (uint64_t)(int64_t)delta;
	if (ref > 0) {
		error = ref_set(em, ino, ref);
		goto out;
	}
	cache_forget(em, ino);
	error = ext2fs_irelease(em, np);
out:
	kmem_free(np, sizeof(*np));
	return error;
}

/* An EA inode of this mount holding exactly val (len bytes), or 0. */
static uint32_t
eai_find(struct ext2fs_mount *em, const void *val, size_t len,
    uint32_t vhash)
{
	struct ext2fs_eacache *ec = em->em_eacache;
	struct ext2fs_inode eip;
	uint32_t cand[EAI_CACHE_MAX], found = 0;
	unsigned n = 0;
	uint8_t *buf;
	size_t done;

	if (ec == NULL)
		return 0;
	mutex_enter(&ec->ec_lock);
	for (unsigned i = 0; i < ec->ec_n; i++)
		if (ec->ec_e[i].ino != 0 && ec->ec_e[i].vhash == vhash)
			cand[n++] = ec->ec_e[i].ino;
	mutex_exit(&ec->ec_lock);
	if (n == 0 || (buf = kmem_alloc(len, KM_SLEEP)) == NULL)
		return 0;
	for (unsigned i = 0; i < n && found == 0; i++) {
		if (eai_get(em->em_fs, 0, cand[i], len, &eip) != 0 ||
		    (uint32_t)eip.ei_atime.tv_sec != vhash ||
		    ext2fs_read(em->em_fs, &eip, 0, buf, len, &done) != 0 ||
		    done != len || memcmp(buf, val, len) != 0)
			continue;
		found = cand[i];
	}
	kmem_free(buf, len);
	return found;
}

/*
 * An EA inode holding val (len bytes) for owner np: one of this mount's
 * with the same value, or a new one with no references yet (*newp).
 * The caller adds the reference (ext2fs_eai_ref) or, on failure,
 * releases a new one with ext2fs_eai_discard.
 */
int
ext2fs_eai_make(struct ext2fs_mount *em, struct ext2fs_node *np,
    const void *val, size_t len, bool root, uint32_t *inop,
    uint32_t *vhashp, bool *newp)
{
	const struct ext2fs *fs = em->em_fs;
	const uint8_t *v = val;
	struct ext2fs_node *ep;
	struct buf *bp;
	uint64_t pblk;
	uint32_t ino;
	size_t off, n;
	bool isnew;
	int error;

	*vhashp = ext2fs_eai_vhash(fs, val, len);
	*newp = false;
	if ((*inop = eai_find(em, val, len, *vhashp)) != 0)
		return 0;
	if ((ep = kmem_zalloc(sizeof(*ep), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_ialloc(em, np->n_ip.ei_ino, false, &ino)) != 0)
		goto out;
	if ((error = ext2fs_inew(em, ino, EXT2_IFREG | 0600,
	    np->n_ip.ei_uid, np->n_ip.ei_gid, &ep->n_ip)) != 0) {
		(void)ext2fs_ifree(em, ino, false);
		goto out;
	}
	*newp = true;
	*inop = ino;
	ep->n_goal = np->n_goal;
	for (off = 0; off < len; off += n) {
		n = MIN(len - off, (size_t)fs->e2_bsize);
		if ((error = ext2fs_bmap_alloc(em, ep, off >> fs->e2_bshift,
		    true, root, &pblk, &isnew)) != 0)
			break;
		bp = ext2fs_blk_get(em, pblk);
		memcpy(bp->b_data, v + off, n);
		memset((uint8_t *)bp->b_data + n, 0, fs->e2_bsize - n);
		if ((error = ext2fs_blk_write(em, bp, false)) != 0)
			break;
	}
	ep->n_ip.ei_size = len;
	ep->n_ip.ei_flags |= EXT4_EA_INODE_FL;
	ep->n_ip.ei_atime.tv_sec = *vhashp;
	ep->n_ip.ei_atime.tv_nsec = 0;
	ep->n_ip.ei_ctime.tv_sec = 0;          /* references, high half */
	ep->n_ip.ei_ctime.tv_nsec = 0;
	if (error == 0 && (error = ext2fs_iupdate(em, &ep->n_ip)) == 0)
		cache_note(em, ino, *vhashp);
	if (error != 0)
		(void)ext2fs_irelease(em, ep);
out:
	kmem_free(ep, sizeof(*ep));
	if (error != 0)
		*newp = false;
	return error;
}

/* A new EA inode that got no reference after all goes. */
int
ext2fs_eai_discard(struct ext2fs_mount *em, uint32_t ino, size_t len)
{
	return ext2fs_eai_ref(em, 0, ino, len, 0);
}
