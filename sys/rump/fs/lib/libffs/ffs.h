/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS in memory: a mount (the superblock decoded into native integers,
 * validated at mount) and an inode (its dinode decoded and checked when
 * the vnode is loaded).
 *
 * Locking: one reader/writer lock per mount, um_lock.  Operations that
 * only read (lookup, read, readdir, getattr, readlink) hold it as
 * reader; every change of the file system (inodes, directories, the
 * cylinder groups, the totals) holds it as writer, so a change is one
 * step that nobody sees half done.  A changed inode is written into its
 * buffer at once (ffs_update), so reclaim has only the file's buffers
 * to flush and never needs the lock; nor does strategy, which writes a
 * file's buffer where ffs_bufwrite mapped it, under the lock, when the
 * buffer was changed (a writer allocates before it dirties).  A
 * vnode is never released with um_lock held: inactive takes it to free
 * an unlinked file.  Buffers are taken file buffers first, then device
 * buffers (indirect blocks, inodes, groups), never the other way.
 *
 * A changed buffer, of a file or of the device, goes to the disk only
 * through ffs_bufwrite(), never bdwrite/bawrite/bwrite directly: the
 * mount's first change there first clears the clean flag on the disk
 * (ffs_markdirty), so that is on the disk before anything else changes,
 * and a read-write mount that changes nothing writes nothing at all.
 *
 *   ffs_vfsops.c  mount, superblock validation and update, statvfs, sync
 *   ffs_alloc.c   cylinder groups: blocks, frags, inodes, the summaries
 *   ffs_balloc.c  giving a file's logical block storage; truncation
 *   ffs_inode.c   reading, checking and writing a dinode
 *   ffs_bmap.c    logical block -> frag address, through indirect blocks
 *   ufs_dir.c     directory chunks: checking, lookup, getdents, changes
 *   ufs_dirhash.c the in-memory name hash of large directories
 *   ffs_vnops.c   the vnode operations
 *   ffs_extattr.c extended attributes (UFS2's area) and POSIX ACLs
 *   ffs_subr.c    byte order, the corruption report
 */
#ifndef _FFS_H_
#define _FFS_H_

#include <sys/types.h>
#include <sys/buf.h>
#include <sys/time.h>
#include <sys/rwlock.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>

#include "ffs_format.h"

struct mount;
struct ufs_dirhash;

/* A group's summary (struct csum), and the totals. */
struct ffs_csum {
	int64_t cs_ndir, cs_nbfree, cs_nifree, cs_nffree;
};

struct ffs_mount {
	struct mount *um_mp;
	struct vnode *um_devvp;
	int um_devflag;                 /* how the device is open */
	char *um_fspec;                 /* for reports */
	bool um_ufs2;
	bool um_swap;                   /* image in the other byte order */
	bool um_ronly;                  /* l: mounted read-only */
	bool um_fmod;                   /* l: summaries changed since sync */
	bool um_dirty;                  /* l: clean flag cleared on the disk */
	int um_dirty_error;             /* l: clearing it failed with */
	bool um_wasclean;               /* fs_clean when mounted */
	bool um_updated;                /* UFS1: FS_FLAGS_UPDATED */
	uint32_t um_sblockloc;          /* bytes */
	krwlock_t um_lock;
	/* The superblock, decoded. */
	uint32_t fs_sblkno, fs_cblkno, fs_iblkno, fs_dblkno;
	uint32_t fs_old_cgoffset, fs_old_cgmask;
	uint32_t fs_ncg, fs_bsize, fs_fsize, fs_frag, fs_minfree;
	uint32_t fs_bshift, fs_fshift, fs_fragshift, fs_fsbtodb;
	uint32_t fs_nindir, fs_inopb, fs_ipg, fs_fpg;
	uint32_t fs_maxsymlinklen;
	uint32_t fs_cgsize, fs_cssize, fs_contigsumsize, fs_maxbpg;
	uint32_t fs_avgfilesize, fs_avgfpdir, fs_flags;
	uint32_t fs_id[2];
	uint64_t fs_size, fs_dsize, fs_csaddr;
	uint64_t fs_ndir, fs_nbfree, fs_nifree, fs_nffree;  /* l */
	uint64_t um_maxino;             /* ncg * ipg: inodes are below */
	uint64_t um_maxlbn;             /* logical blocks bmap can reach */
	struct ffs_csum *um_csum;       /* l: per group, ncg of them */
};

struct ffs_inode {
	ino_t i_number;
	uint16_t i_mode;                /* di_mode: IFMT | permissions */
	nlink_t i_nlink;
	uid_t i_uid;
	gid_t i_gid;
	uint64_t i_size;
	uint64_t i_blocks;              /* 512-byte units */
	uint32_t i_flags;
	dev_t i_rdev;
	struct timespec i_atime, i_mtime, i_ctime, i_birthtime;
	int64_t i_db[UFS_NDADDR];
	int64_t i_ib[UFS_NIADDR];
	uint32_t i_gen;
	/* UFS2: the extended attribute area (ffs_format.h). */
	uint32_t i_extsize;
	int64_t i_extb[UFS_NXADDR];
	/*
	 * The access ACL in Linux's xattr form, NULL if none; i_aclerr:
	 * the area could not be read when the vnode was loaded.
	 */
	void *i_acl;
	size_t i_acllen;
	int i_aclerr;
	/* A short symlink's target, as it is in the block-pointer area. */
	char i_shortlink[UFS2_SHORTLINK];
	bool i_isshortlink;
	bool i_freed;                   /* inactive gave the inode back */
	bool i_hasbufs;                 /* buffers of the vnode may exist */
	uint64_t i_nextr;               /* atomic: the block a sequential
	                                   read would read next */
	uint64_t i_rarun;               /* atomic: the end of the run the
	                                   last cluster read (0: none) */
	struct ufs_dirhash *i_dirhash;  /* ufs_dirhash.c's lock */
};

/* vcache_get's cookie for an inode being allocated: no disk read. */
struct ffs_newinode {
	uint16_t ni_mode;
	dev_t ni_rdev;
};

#define VFSTOFFS(mp) ((struct ffs_mount *)(mp)->mnt_data)
#define VTOI(vp) ((struct ffs_inode *)(vp)->v_data)
#define VTOFFS(vp) VFSTOFFS((vp)->v_mount)

/* Frags to device sectors, and the byte offset of a frag. */
#define FFS_FSBTODB(um, f) ((daddr_t)(f) << (um)->fs_fsbtodb)
/* Bytes rounded up to whole frags. */
#define FFS_FRAGROUNDUP(um, n) roundup((uint64_t)(n), (um)->fs_fsize)
/* The group of a frag, an inode. */
#define FFS_DTOG(um, f) ((uint64_t)(f) / (um)->fs_fpg)
#define FFS_ITOG(um, i) ((uint64_t)(i) / (um)->fs_ipg)
/* First frag of cylinder group c, and of its inode blocks. */
uint64_t ffs_cgstart(const struct ffs_mount *, uint64_t c);
/* Frags reserved for root: minfree percent of the data frags. */
#define FFS_RESERVED(um) ((um)->fs_dsize * (um)->fs_minfree / 100)

/* ffs_vfsops.c (um_lock held as writer) */
/*
 * Hand over a buffer this mount changed: FFS_BDWRITE (to the disk
 * later), FFS_BAWRITE (start writing it) or FFS_BWRITE (write it and
 * wait, its error).  The mount's first change first marks the disk; if
 * that fails the change is dropped, never written, and its error
 * returned.
 */
#define FFS_BDWRITE 0
#define FFS_BAWRITE 1
#define FFS_BWRITE  2
int ffs_bufwrite(struct ffs_mount *, struct buf *, int how);
/* Clear the clean flag on the disk, once per read-write mount. */
int ffs_markdirty(struct ffs_mount *);

/* ffs_subr.c */
uint16_t ffs_get16(const struct ffs_mount *, const void *base, size_t off);
uint32_t ffs_get32(const struct ffs_mount *, const void *base, size_t off);
uint64_t ffs_get64(const struct ffs_mount *, const void *base, size_t off);
void ffs_put16(const struct ffs_mount *, void *base, size_t off, uint16_t);
void ffs_put32(const struct ffs_mount *, void *base, size_t off, uint32_t);
void ffs_put64(const struct ffs_mount *, void *base, size_t off, uint64_t);
/*
 * Report a corrupt image: one log line naming the device, then EIO.
 * Every check of on-disk data that fails goes through here.
 */
int ffs_corrupt(const struct ffs_mount *, const char *fmt, ...)
    __printflike(2, 3);
/* The size of logical block lbn of a file of size bytes. */
int ffs_blksize(const struct ffs_mount *, uint64_t size, uint64_t lbn);

/* ffs_inode.c */
int ffs_inode_read(struct ffs_mount *, ino_t, struct ffs_inode **);
void ffs_inode_free(struct ffs_inode *);
/* Write the in-memory inode into its inode block (delayed). */
int ffs_update(struct ffs_mount *, struct ffs_inode *);
/* The on-disk generation number of inode ino (0 if unreadable). */
uint32_t ffs_inode_gen(struct ffs_mount *, ino_t);
/* The on-disk device number encoding. */
uint32_t ffs_rdev_encode(dev_t);

/* ffs_bmap.c: the frag address of logical block lbn, 0 for a hole. */
int ffs_bmap(struct ffs_mount *, const struct ffs_inode *, uint64_t lbn,
    int64_t *addrp);
/*
 * EIO (and a log line) when blk, read from the last of the depth
 * indirect blocks in path, is one of them: a loop in the tree.
 */
int ffs_indir_loop(struct ffs_mount *, const struct ffs_inode *,
    const int64_t *path, int depth, int64_t blk);
/* A whole block at frag addr inside the file system? */
bool ffs_blkok(const struct ffs_mount *, int64_t addr);
/* Block pointer i of an indirect block's data. */
int64_t ffs_getptr(const struct ffs_mount *, const void *blk, size_t i);
/*
 * Where logical block lbn (UFS_NDADDR or more) hangs: the level of the
 * inode's indirect pointer (UFS_NIADDR: past the triple indirect), with
 * *relp its index among the *spanp blocks that pointer covers.
 */
int ffs_indir_level(const struct ffs_mount *, uint64_t lbn, uint64_t *relp,
    uint64_t *spanp);
/*
 * One step down a file's indirect tree: indirect block blk, checked to be
 * a whole block of the file system, read into *bpp and added to path, and
 * its pointer idx in *nextp, checked not to lead back up the path.  On an
 * error nothing is held.
 */
int ffs_indir_step(struct ffs_mount *, const struct ffs_inode *, int64_t blk,
    size_t idx, int64_t *path, int *depthp, struct buf **bpp,
    int64_t *nextp);

/* ffs_alloc.c (um_lock held as writer) */
int ffs_cg_check_all(struct ffs_mount *);
/* n frags (1..frag) in one block near pref (or the inode's group). */
int ffs_alloc_frags(struct ffs_mount *, struct ffs_inode *, int64_t pref,
    unsigned n, int64_t *addrp);
/* Grow the run at addr from on to nn frags in place; ENOSPC if not. */
int ffs_extend_frags(struct ffs_mount *, int64_t addr, unsigned on,
    unsigned nn);
void ffs_free_frags(struct ffs_mount *, int64_t addr, unsigned n);
/*
 * Where the next block of logical block lbn of ip would best go: after
 * prev or the file's previous block, else 0 (anywhere in its group).
 */
int64_t ffs_blkpref(struct ffs_mount *, struct ffs_inode *, uint64_t lbn,
    int64_t prev);
/* A free inode for a new file of type mode in directory pdp's fs. */
int ffs_ialloc(struct ffs_mount *, struct ffs_inode *pdp, uint16_t mode,
    ino_t *inop);
void ffs_ifree(struct ffs_mount *, ino_t, bool isdir);
/* Whether a non-root writer may have n more frags (minfree). */
bool ffs_space_ok(struct ffs_mount *, uint64_t n, kauth_cred_t);

/* ffs_balloc.c (um_lock held as writer) */
/*
 * The buffer of lbn, with at least `want` bytes of storage (frags in
 * the last direct block, else a block); the file's size becomes at
 * least end.  Contents are read unless the caller overwrites [bo,
 * bo+n) of a new or whole block.
 */
int ffs_balloc(struct vnode *, uint64_t lbn, uint64_t end, size_t bo,
    size_t n, kauth_cred_t, struct buf **bpp);
/* Cut or extend the file to length bytes; cred NULL: may use the
 * reserve. */
int ffs_truncate(struct vnode *, uint64_t length, kauth_cred_t);

/* ffs_falloc.c: the vnode operation (takes um_lock). */
int ffs_fallocate(struct vnode *, int mode, off_t off, off_t len);

/* ufs_dir.c */
struct ufs_dirpos {
	uint64_t dp_off;                /* the entry */
	uint64_t dp_prev;               /* the one before it in its chunk,
					 * or dp_off if it is the first */
	ino_t dp_ino;
	unsigned char dp_type;
};
int ufs_lookup_ino(struct vnode *dvp, const char *nm, size_t len,
    ino_t *inop);
int ufs_dirlookup(struct vnode *dvp, const char *nm, size_t len,
    struct ufs_dirpos *);
int ufs_readdir(struct vnode *vp, struct uio *);
int ufs_direnter(struct vnode *dvp, const char *nm, size_t len, ino_t,
    unsigned char type, kauth_cred_t);
int ufs_dirremove(struct vnode *dvp, const struct ufs_dirpos *,
    const char *nm, size_t len);
int ufs_dirrewrite(struct vnode *dvp, const struct ufs_dirpos *, ino_t,
    unsigned char type);
/* Whether directory vp holds nothing but "." and ".."; EIO if corrupt. */
int ufs_dirempty(struct vnode *vp, bool *emptyp);
/* The first chunk of a new directory. */
void ufs_dirtemplate(struct ffs_mount *, char *chunk, ino_t self,
    ino_t parent);
unsigned char ufs_vtype_dt(enum vtype);

/* The live entry at off, if it is the name: 0 or ENOENT. */
int ufs_dircheckat(struct vnode *dvp, uint64_t off, const char *nm,
    size_t len, struct ufs_dirpos *);
/* Call fn for every live entry and chunkfn for every chunk. */
int ufs_dirwalk(struct vnode *dvp, void (*fn)(void *, const char *, size_t,
    uint64_t), void (*chunkfn)(void *, uint64_t, size_t), void *arg);

/*
 * ufs_dirhash.c: callers hold um_lock, as reader to search, as writer
 * to change.  Lookup and findfree answer EJUSTRETURN when the directory
 * has no index (small, or no memory): then scan.
 */
void ufs_dirhash_init(void);
int ufs_dirhash_lookup(struct vnode *dvp, const char *nm, size_t len,
    struct ufs_dirpos *);
/* A chunk with at least need free bytes, or ENOENT (grow). */
int ufs_dirhash_findfree(struct vnode *dvp, size_t need, uint64_t *offp);
void ufs_dirhash_add(struct vnode *dvp, const char *nm, size_t len,
    uint64_t off);
void ufs_dirhash_remove(struct vnode *dvp, const char *nm, size_t len,
    uint64_t off);
void ufs_dirhash_move(struct vnode *dvp, const char *nm, size_t len,
    uint64_t from, uint64_t to);
void ufs_dirhash_setfree(struct vnode *dvp, uint64_t chunkoff, size_t free);
void ufs_dirhash_free(struct ffs_mount *, struct ffs_inode *);

/* ffs_extattr.c: the vnode operations take um_lock; the rest need it. */
int ffs_getxattr(struct vnode *, const char *name, void *buf, size_t *lenp);
int ffs_setxattr(struct vnode *, const char *name, const void *val,
    size_t len, int flags, kauth_cred_t);
int ffs_listxattr(struct vnode *, char *buf, size_t *lenp);
int ffs_removexattr(struct vnode *, const char *name, kauth_cred_t);
/*
 * The permission check of ip, with its access ACL (um_lock held, either
 * way).
 */
int ffs_vaccess(const struct ffs_inode *, int mode, kauth_cred_t);
/* Load ip's access ACL (a vnode being loaded): ENOMEM, else 0. */
int ffs_acl_load(struct ffs_mount *, struct ffs_inode *);
void ffs_acl_forget(struct ffs_inode *);
/* chmod: the access ACL follows ip's new mode, on disk too (writer). */
int ffs_acl_chmod(struct ffs_mount *, struct ffs_inode *);
/*
 * ip, just made in dp with the mode asked for (cmode, before the umask):
 * dp's default ACL, if any, becomes ip's access ACL (and a directory's
 * default), masked by cmode, and sets ip's permission bits (writer).
 */
int ffs_acl_inherit(struct ffs_mount *, struct ffs_inode *dp,
    struct ffs_inode *ip, mode_t cmode, kauth_cred_t);
/* Free ip's area with the inode (writer); a corrupt one is left. */
void ffs_extattr_free(struct ffs_mount *, struct ffs_inode *);
/* The sectors ip's area holds, as di_blocks counts them. */
uint64_t ffs_extattr_nsect(const struct ffs_mount *, const struct ffs_inode *);

/* ffs_vnops.c */
extern struct vnodeops ffs_vnodeops, ffs_specops;
/*
 * The device sector of file buffer bp's block (0: a hole), checked to
 * lie inside the file system; um_lock held, or the block's tree stable.
 */
int ffs_mapbuf(struct ffs_mount *, struct ffs_inode *, struct buf *,
    daddr_t *blknop);
void ffs_vnops_init(void);

#endif /* _FFS_H_ */
