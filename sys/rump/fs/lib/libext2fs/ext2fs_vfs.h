/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs above the format layer: the mount (ext2fs_vfsops.c), the
 * vnodes (ext2fs_vnops.c) of the "ext2fs" file-system type, and the
 * writer under them (ext2fs_alloc.c: bitmaps and counters,
 * ext2fs_iwrite.c: inodes, block maps, truncation, ext2fs_extw.c:
 * extent trees, ext2fs_dirw.c: directory records, ext2fs_htreew.c:
 * hash-indexed directories, ext2fs_csumw.c: metadata checksums).
 *
 * A read-only mount never changes anything.  A read-write mount keeps
 * the image consistent through the buffer cache on the device vnode:
 * every change is made in a cached block (read-modify-write of the
 * block), so the format layer's reads, which go through the same cache,
 * always see the current state.  A changed block is handed to the disk
 * through ext2fs_blk_write() (the superblock through ext2fs_sb_write()),
 * never bdwrite/bwrite directly: the first change of a read-write mount
 * first marks the superblock on the disk in use (ext2fs_markdirty()),
 * so that mark is there before anything else changes, and a mount that
 * changes nothing leaves the image byte for byte as it was.  The
 * superblock's counters are written at sync and unmount.
 *
 * Locking: em_lock orders everything.  Operations that only look take
 * it as reader, every change as writer; it is held across vcache_get()
 * (loadvnode does not take it) but never across vrele() (inactive takes
 * it).  VOP_RECLAIM takes only em_pendlock, which is never held while
 * allocating, so the memory reclaimer may call it from any allocation.
 */
#ifndef _EXT2FS_VFS_H_
#define _EXT2FS_VFS_H_

#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/rwlock.h>
#include <sys/vnode.h>

#include "ext2fs.h"

struct ext2fs_dircache;
struct ext2fs_eacache;
struct ext2fs_journal;
struct ext2fs_ofile;
struct ext2fs_jw;

/* A vnode's node: the decoded inode and what the writer keeps with it. */
struct ext2fs_node {
	struct ext2fs_inode n_ip;       /* em_lock; first: VTOEI */
	uint64_t n_goal;                /* em_lock: next block to try */
	bool n_freed;                   /* em_lock: unlinked inode released */
	bool n_orphan;                  /* em_lock: an orphan (list or file) */
	uint32_t n_oslot;               /* em_lock: orphan file slot + 1, 0: none */
	struct ext2fs_dircache *n_dc;   /* em_lock: names of a big directory */
	uint8_t *n_acl;                 /* em_lock: access ACL (xattr form) */
	size_t n_acllen;                /* em_lock */
	int n_aclerr;                   /* em_lock: reading the ACL failed */
	LIST_ENTRY(ext2fs_node) n_pend; /* em_pendlock */
};

struct ext2fs_mount {
	struct ext2fs *em_fs;           /* the loaded file system */
	struct vnode *em_devvp;         /* the open block device */
	uint32_t em_cbsize;             /* device cache block size, bytes */
	int em_fflag;                   /* em_lock: how the device is open */
	bool em_rw;                     /* em_lock: mounted read-write */
	bool em_dirty;                  /* em_lock: the disk is marked in use */
	int em_dirty_error;             /* em_lock: marking it failed with */
	uint16_t em_mount_state;        /* em_lock: s_state when mounted */
	uint32_t em_mount_time;         /* em_lock: s_mtime for the mark */
	char em_name[64];               /* the device, for log lines */
	struct ext2fs_journal *em_journal; /* em_lock: replayed, not home */
	struct ext2fs_journal *em_jhome;   /* em_lock: home; freed at unmount */
	struct ext2fs_jw *em_jw;        /* em_lock: journaled writes */
	struct ext2fs_ofile *em_ofile;  /* em_lock: the orphan file, or NULL */
	struct ext2fs_eacache *em_eacache; /* EA inodes (ext2fs_xattr_inode.c) */
	bool em_nojournal;              /* EXT2FS_ARGS_NOJOURNAL */
	bool em_datajournal;            /* EXT2FS_ARGS_DATAJOURNAL */
	bool em_asynccommit;            /* EXT2FS_ARGS_ASYNCCOMMIT */
	int em_commit;                  /* commit= seconds, 0: default */
	krwlock_t em_lock;
	/* Per group, from the descriptors (em_lock, read-write mounts). */
	uint32_t *em_gfree_blocks, *em_gfree_inodes, *em_gdirs;
	uint64_t em_free_blocks;        /* em_lock: totals */
	uint32_t em_free_inodes;
	uint32_t em_gen;                /* em_lock: next inode generation */
	kmutex_t em_pendlock;
	/* Unlinked nodes reclaimed before their inode was released. */
	LIST_HEAD(, ext2fs_node) em_pending;    /* em_pendlock */
};

#define VFSTOEXT2(mp) ((struct ext2fs_mount *)(mp)->mnt_data)
#define VTON(vp) ((struct ext2fs_node *)(vp)->v_data)
#define VTOEI(vp) (&VTON(vp)->n_ip)
#define VTOEXT2FS(vp) (VFSTOEXT2((vp)->v_mount)->em_fs)
#define VTOEM(vp) VFSTOEXT2((vp)->v_mount)

/* Link count limits (Linux's): past EXT2_DIR_LINK_MAX a dir_nlink
 * directory counts 1, "many". */
#define EXT2_LINK_MAX 65000
#define EXT2_OLD_LINK_MAX 32000

/* ext2fs_vnops.c */
extern const struct vnodeops ext2fs_vnodeops;
/* ext2fs_falloc.c */
int ext2fs_fallocate_op(struct vnode *, int, off_t, off_t);
extern struct vnodeops ext2fs_specops;
void ext2fs_specops_init(void);

/* ext2fs_vfsops.c */
void ext2fs_vfs_init(void);
int ext2fs_markdirty(struct ext2fs_mount *);

/* ext2fs_alloc.c: device blocks, bitmaps, group and superblock counts. */
int ext2fs_blk_read(struct ext2fs_mount *, uint64_t, struct buf **);
/* Blocks a read asks for ahead of itself, at most. */
#define EXT2FS_MAXREADAHEAD 64
int ext2fs_blk_readahead(struct ext2fs_mount *, uint64_t, unsigned nra,
    struct buf **);
struct buf *ext2fs_blk_get(struct ext2fs_mount *, uint64_t);
int ext2fs_blk_write(struct ext2fs_mount *, struct buf *, bool);
int ext2fs_blk_write_noted(struct ext2fs_mount *, struct buf *, bool,
    uint64_t);
int ext2fs_blk_write_direct(struct ext2fs_mount *, struct buf *);
int ext2fs_counts_load(struct ext2fs_mount *);
void ext2fs_counts_free(struct ext2fs_mount *);
int ext2fs_sb_write(struct ext2fs_mount *, bool);
int ext2fs_balloc(struct ext2fs_mount *, uint64_t, bool, uint64_t *);
int ext2fs_bfree(struct ext2fs_mount *, uint64_t);
int ext2fs_bfree_run(struct ext2fs_mount *, uint64_t, uint64_t);
int ext2fs_ialloc(struct ext2fs_mount *, uint32_t, bool, uint32_t *);
int ext2fs_ifree(struct ext2fs_mount *, uint32_t, bool);
uint64_t ext2fs_overhead(const struct ext2fs *);

/* ext2fs_iwrite.c: inodes, block maps, truncation. */
int ext2fs_iupdate(struct ext2fs_mount *, const struct ext2fs_inode *);
/* ext2fs_iupdate and the in-inode attribute area (alen bytes) from area. */
int ext2fs_iupdate_ea(struct ext2fs_mount *, const struct ext2fs_inode *,
    const uint8_t *area, size_t alen);
int ext2fs_iget_dtime(struct ext2fs_mount *, uint32_t, uint32_t *);
int ext2fs_iset_le32(struct ext2fs_mount *, uint32_t, size_t, uint32_t);
int ext2fs_iset_dtime(struct ext2fs_mount *, uint32_t, uint32_t);
int ext2fs_inew(struct ext2fs_mount *, uint32_t, uint16_t, uint32_t,
    uint32_t, struct ext2fs_inode *);
int ext2fs_bmap_alloc(struct ext2fs_mount *, struct ext2fs_node *, uint64_t,
    bool, bool, uint64_t *, bool *);
int ext2fs_truncate(struct ext2fs_mount *, struct ext2fs_node *, uint64_t);
int ext2fs_zero_tail(struct ext2fs_mount *, struct ext2fs_node *, uint64_t);
int ext2fs_irelease(struct ext2fs_mount *, struct ext2fs_node *);
uint64_t ext2fs_maxfilesize(const struct ext2fs *);
int ext2fs_alloc_for(struct ext2fs_mount *, struct ext2fs_node *, bool, bool,
    uint64_t *);
int ext2fs_free_for(struct ext2fs_mount *, struct ext2fs_inode *, uint64_t,
    uint64_t);

/* ext2fs_extw.c: extent trees. */
struct ext2fs_xent {                    /* an extent, decoded */
	uint32_t lblk;
	uint32_t len;
	uint64_t pblk;
	bool unwritten;
};
struct ext2fs_xlist {                   /* a file's extents, in order */
	struct ext2fs_xent *xl_ent;
	size_t xl_n, xl_cap;
	uint64_t *xl_tree;              /* the blocks of its tree */
	size_t xl_ntree, xl_treecap;
};
void ext2fs_ext_init(struct ext2fs_inode *);
int ext2fs_ext_load(struct ext2fs_mount *, const struct ext2fs_inode *,
    struct ext2fs_xlist *);
int ext2fs_ext_store(struct ext2fs_mount *, struct ext2fs_node *, bool,
    struct ext2fs_xlist *);
int ext2fs_xl_add(struct ext2fs_xlist *, const struct ext2fs_xent *);
void ext2fs_xl_free(struct ext2fs_xlist *);
int ext2fs_ext_bmap_alloc(struct ext2fs_mount *, struct ext2fs_node *,
    uint64_t, bool, bool, uint64_t *, bool *);
int ext2fs_ext_truncate(struct ext2fs_mount *, struct ext2fs_node *,
    uint64_t);
void ext2fs_settime(struct ext2fs_inode *, bool, bool, bool);

/* ext2fs_journal_vfs.c: a journal needing recovery, at mount. */
int ext2fs_journal_load(struct ext2fs_mount *);
void ext2fs_journal_unload(struct ext2fs_mount *);
int ext2fs_journal_overlay(struct ext2fs_mount *, uint64_t, void *, size_t);
int ext2fs_journal_recover(struct ext2fs_mount *);

/* ext2fs_journal_write.c: journaled writes of a read-write mount. */
#define EXT2FS_COMMIT_DEFAULT 5         /* seconds, as Linux */
int ext2fs_jw_start(struct ext2fs_mount *);
void ext2fs_jw_stop(struct ext2fs_mount *);
int ext2fs_jw_add(struct ext2fs_mount *, struct buf *);
int ext2fs_jw_commit(struct ext2fs_mount *);
int ext2fs_jw_empty(struct ext2fs_mount *);
void ext2fs_jw_overlay(struct ext2fs_mount *, uint64_t, void *, size_t);
int ext2fs_jw_sbwrite(struct ext2fs_mount *);
int ext2fs_jw_freed(struct ext2fs_mount *, uint64_t);
int ext2fs_blk_write_data(struct ext2fs_mount *, struct buf *, bool);

/* ext2fs_dirw.c: directory records. */
int ext2fs_dir_add(struct ext2fs_mount *, struct ext2fs_node *, const char *,
    size_t, uint32_t, uint8_t, bool);
int ext2fs_dir_remove(struct ext2fs_mount *, struct ext2fs_node *,
    const char *, size_t);
int ext2fs_dir_setino(struct ext2fs_mount *, struct ext2fs_node *,
    const char *, size_t, uint32_t, uint8_t);
int ext2fs_dir_isempty(struct ext2fs_mount *, struct ext2fs_node *, bool *);
int ext2fs_dir_init(struct ext2fs_mount *, struct ext2fs_node *, uint32_t,
    bool);
uint8_t ext2fs_mode_to_ft(uint16_t);
int ext2fs_dirw_get(struct ext2fs_mount *, struct ext2fs_node *, uint64_t,
    struct buf **, size_t *);
int ext2fs_dirw_put(struct ext2fs_mount *, struct ext2fs_node *, uint64_t,
    struct buf *);
uint32_t ext2fs_dirw_room(const struct ext2fs *);
bool ext2fs_dirw_place(const struct ext2fs *, uint8_t *, size_t,
    const char *, size_t, uint32_t, uint8_t);

/* ext2fs_htreew.c: adding names to hash-indexed directories. */
int ext2fs_htree_add(struct ext2fs_mount *, struct ext2fs_node *,
    const char *, size_t, uint32_t, uint8_t, bool);
int ext2fs_htree_index(struct ext2fs_mount *, struct ext2fs_node *, bool);

/* ext2fs_orphan.c: inodes unlinked while open, across a crash. */
int ext2fs_orphan_add(struct ext2fs_mount *, struct ext2fs_node *);
int ext2fs_orphan_remove(struct ext2fs_mount *, struct ext2fs_node *);
void ext2fs_orphans_finish(struct ext2fs_mount *);
void ext2fs_orphans_stop(struct ext2fs_mount *);
bool ext2fs_orphans_none(const struct ext2fs_mount *);

/* ext2fs_xattr.c: extended attributes and POSIX ACLs. */
int ext2fs_getxattr(struct vnode *, const char *, void *, size_t *);
int ext2fs_setxattr(struct vnode *, const char *, const void *, size_t, int,
    kauth_cred_t);
int ext2fs_listxattr(struct vnode *, char *, size_t *);
int ext2fs_removexattr(struct vnode *, const char *, kauth_cred_t);
int ext2fs_xattr_release(struct ext2fs_mount *, struct ext2fs_inode *);
int ext2fs_xattr_drop(struct ext2fs_mount *, struct ext2fs_inode *);

/* ext2fs_xattr_inode.c: attribute values in EA inodes (ea_inode). */
void ext2fs_eai_init(struct ext2fs_mount *);
void ext2fs_eai_fini(struct ext2fs_mount *);
uint32_t ext2fs_eai_vhash(const struct ext2fs *, const void *, size_t);
uint64_t ext2fs_eai_charge(const struct ext2fs *, size_t);
int ext2fs_eai_read(struct ext2fs_mount *, uint32_t, uint32_t, uint32_t,
    uint32_t, void *, size_t);
int ext2fs_eai_check(struct ext2fs_mount *, uint32_t, uint32_t, size_t);
int ext2fs_eai_ref(struct ext2fs_mount *, uint32_t, uint32_t, size_t, int);
int ext2fs_eai_make(struct ext2fs_mount *, struct ext2fs_node *, const void *,
    size_t, bool, uint32_t *, uint32_t *, bool *);
int ext2fs_eai_discard(struct ext2fs_mount *, uint32_t, size_t);
int ext2fs_acl_load(struct ext2fs_mount *, struct ext2fs_node *);
void ext2fs_acl_forget(struct ext2fs_node *);
int ext2fs_vaccess(const struct ext2fs_node *, int, kauth_cred_t);
int ext2fs_acl_chmod(struct ext2fs_mount *, struct ext2fs_node *, bool);
int ext2fs_acl_inherit(struct ext2fs_mount *, struct ext2fs_node *,
    struct ext2fs_node *, const struct vattr *, bool);

/* ext2fs_csumw.c: checksums of changed metadata (metadata_csum). */
void ext2fs_sb_csum_set(struct ext2fs *);
void ext2fs_dirblk_csum_set(const struct ext2fs *, const struct ext2fs_inode *,
    uint8_t *);
void ext2fs_dx_csum_set(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, uint8_t *);
void ext2fs_extblk_csum_set(const struct ext2fs *,
    const struct ext2fs_inode *, uint8_t *);
void ext2fs_xattr_csum_set(const struct ext2fs *, uint64_t, uint8_t *);
uint32_t ext2fs_bitmap_csum(const struct ext2fs *, const uint8_t *, size_t);

/* ext2fs_dircache.c: names of large directories in memory. */
void ext2fs_dc_build(struct ext2fs_mount *, struct ext2fs_node *);
void ext2fs_dc_free(struct ext2fs_node *);
int ext2fs_dc_lookup(struct ext2fs_node *, const char *, size_t, uint32_t *,
    uint8_t *, uint64_t *);
void ext2fs_dc_add(struct ext2fs_node *, const char *, size_t, uint32_t,
    uint8_t, uint64_t);
void ext2fs_dc_remove(struct ext2fs_node *, const char *, size_t, uint64_t);
void ext2fs_dc_set(struct ext2fs_node *, const char *, size_t, uint32_t,
    uint8_t);
uint64_t ext2fs_dc_freeblk(const struct ext2fs_node *);

#endif /* _EXT2FS_VFS_H_ */
