/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ext2fs: the read side of the ext2/ext3/ext4 format, below the VFS.
 *
 * Data flow: the VFS glue (vfsops/vnops) calls these functions with a
 * struct ext2fs made by ext2fs_sb_load(); they read the device only
 * through the struct ext2fs_dev it was given (for a mount, the buffer
 * cache on the device vnode: ext2fs_vfsops.c), and turn image bytes
 * into decoded in-memory values.  Every value read
 * from the image is checked before it is used as a length, an offset, a
 * block or inode number, a count or a depth: a bad one is an error
 * return (EINVAL from ext2fs_sb_load, EIO elsewhere) and one log line
 * from ext2fs_corrupt().
 *
 * Locking: a struct ext2fs does not change once ext2fs_sb_load() returns
 * it, but for what a read-write mount's writer changes with its lock
 * held as writer (the superblock copy, a group's flags and unused
 * inodes: ext2fs_vfs.h), and a struct ext2fs_inode is a private decoded
 * copy; nothing here takes a lock or keeps state between calls, so any
 * number of threads may call in at once as long as the device's read
 * function may be called concurrently.  Every function may sleep (it reads the device
 * and allocates with KM_SLEEP).
 */
#ifndef _EXT2FS_H_
#define _EXT2FS_H_

#include <sys/types.h>
#include <sys/time.h>

#include "ext2fs_format.h"

/*
 * The block device, as the file system sees it: read len bytes at byte
 * offset off (0 or an errno; a short read is an error), and its size in
 * bytes.  The VFS glue implements it with the buffer cache.
 */
struct ext2fs_dev {
	int (*ed_read)(void *cookie, uint64_t off, void *buf, size_t len);
	void *ed_cookie;
	uint64_t ed_size;
	/*
	 * Optional (NULL: ed_read, then check, every time): read len bytes
	 * at off (one block) into buf as ed_read would and, unless the
	 * device's cached copy carries note (it passed a check so noted
	 * since it was read from the disk), run check on buf, noting the
	 * copy when it passes (0) and returning its error otherwise.  note
	 * is never 0.
	 */
	int (*ed_readchk)(void *cookie, uint64_t off, void *buf, size_t len,
	    uint64_t note, int (*check)(void *arg, const uint8_t *buf),
	    void *arg);
};

/* A group descriptor, decoded and checked at load. */
struct ext2fs_group {
	uint64_t eg_block_bitmap;
	uint64_t eg_inode_bitmap;
	uint64_t eg_inode_table;
	uint32_t eg_itable_unused;      /* with gdt/metadata csum; else 0 */
	uint16_t eg_flags;              /* EXT2_BG_* */
};

/* A mounted file system's geometry (see Locking above). */
struct ext2fs {
	struct ext2fs_dev e2_dev;
	uint8_t e2_sb[EXT2_SB_SIZE];    /* the superblock as read */
	uint32_t e2_rev;
	uint32_t e2_bsize;              /* block size, bytes */
	uint32_t e2_bshift;             /* log2(e2_bsize) */
	uint64_t e2_nblocks;            /* blocks in the file system */
	uint32_t e2_first_data_block;
	uint32_t e2_bpg;                /* blocks per group */
	uint32_t e2_ipg;                /* inodes per group */
	uint32_t e2_ngroups;
	uint32_t e2_ninodes;
	uint32_t e2_first_ino;          /* first non-reserved inode */
	uint32_t e2_isize;              /* inode table entry size */
	uint32_t e2_desc_size;          /* group descriptor size */
	uint32_t e2_itable_blocks;      /* blocks of one group's inode table */
	uint32_t e2_compat, e2_incompat, e2_rocompat;
	bool e2_metadata_csum;          /* crc32c on metadata */
	bool e2_gdt_csum;               /* crc16 on descriptors (and not the above) */
	uint32_t e2_csum_seed;          /* crc32c(~0, uuid) or s_checksum_seed */
	uint32_t e2_hash_seed[4];       /* htree seed (zero: the default) */
	uint8_t e2_def_hash;            /* EXT2_HASH_* as stored */
	bool e2_hash_unsigned;          /* legacy/md4/tea hash unsigned chars */
	struct ext2fs_group *e2_groups; /* [e2_ngroups] */
};

/* A decoded inode. */
struct ext2fs_inode {
	uint32_t ei_ino;
	uint16_t ei_mode;               /* EXT2_IF* | permissions */
	uint32_t ei_uid, ei_gid;
	uint32_t ei_nlink;
	uint64_t ei_size;
	uint64_t ei_blocks512;          /* space used, in 512-byte units */
	struct timespec ei_atime, ei_mtime, ei_ctime;
	struct timespec ei_crtime;      /* zero when the inode has no room */
	bool ei_has_crtime;
	uint32_t ei_flags;              /* EXT2_*_FL */
	uint32_t ei_generation;
	uint64_t ei_file_acl;           /* extended attribute block, 0: none */
	uint32_t ei_rdev_major, ei_rdev_minor;
	uint16_t ei_extra_isize;
	bool ei_ibody_ea;               /* attributes in the inode (magic) */
	uint32_t ei_csum_seed;          /* seed for this inode's metadata */
	uint8_t ei_block[EXT2_I_BLOCK_LEN];
};

/* A directory record, as handed out by ext2fs_readdir(). */
struct ext2fs_dirent {
	uint32_t ed_ino;
	uint8_t ed_type;                /* EXT2_FT_* (UNKNOWN without filetype) */
	uint8_t ed_namelen;
	char ed_name[EXT2_NAME_MAX + 1]; /* NUL-terminated */
	uint64_t ed_off;                /* offset of this record */
	uint64_t ed_next;               /* offset of the record after it */
};

/* ext2fs_subr.c */
int ext2fs_corrupt(const struct ext2fs *, const char *, ...)
    __printflike(2, 3);
int ext2fs_devread(const struct ext2fs *, uint64_t, void *, size_t);
int ext2fs_bread(const struct ext2fs *, uint64_t, void *);
int ext2fs_bread_checked(const struct ext2fs *, uint64_t, void *, uint64_t,
    int (*)(void *, const uint8_t *), void *);
bool ext2fs_blk_ok(const struct ext2fs *, uint64_t, uint64_t);

/* ext2fs_csum.c */
uint32_t ext2fs_crc32c(uint32_t, const void *, size_t);
uint32_t ext2fs_crc32c_sw(uint32_t, const void *, size_t);
uint16_t ext2fs_crc16(uint16_t, const void *, size_t);
uint32_t ext2fs_csum_le32(uint32_t, uint32_t);

/* ext2fs_sb.c */
int ext2fs_sb_load(const struct ext2fs_dev *, struct ext2fs **);
void ext2fs_sb_free(struct ext2fs *);
const char *ext2fs_rw_blocker(const struct ext2fs *, char *, size_t);
const char *ext2fs_feature_name(int, uint32_t);
#define EXT2FS_COMPAT   0
#define EXT2FS_INCOMPAT 1
#define EXT2FS_ROCOMPAT 2

/* ext2fs_group.c */
int ext2fs_groups_load(struct ext2fs *);
bool ext2fs_group_has_super(const struct ext2fs *, uint32_t);
uint64_t ext2fs_desc_off(const struct ext2fs *, uint32_t);
uint32_t ext2fs_group_gdt_blocks(const struct ext2fs *, uint32_t);
uint16_t ext2fs_desc_csum(const struct ext2fs *, uint32_t, const uint8_t *);

/* ext2fs_inode.c */
int ext2fs_iget(const struct ext2fs *, uint32_t, struct ext2fs_inode *);
int ext2fs_iread_raw(const struct ext2fs *, uint32_t, uint8_t *);
uint32_t ext2fs_inode_csum(const struct ext2fs *, const uint8_t *, uint32_t,
    uint32_t);
uint32_t ext2fs_inode_seed(const struct ext2fs *, uint32_t, uint32_t);

/* ext2fs_bmap.c (indirect blocks) and ext2fs_extent.c (extent trees) */
int ext2fs_bmap(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, uint64_t *, uint64_t *);
int ext2fs_bmap_indirect(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, uint64_t *, uint64_t *);
int ext2fs_bmap_extent(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, uint64_t *, uint64_t *);
uint32_t ext2fs_ext_room(const struct ext2fs *);
int ext2fs_ext_node_check(const struct ext2fs *, const struct ext2fs_inode *,
    const uint8_t *, uint32_t, int, uint64_t);
int ext2fs_ext_csum_check(const struct ext2fs *, const struct ext2fs_inode *,
    const uint8_t *, uint64_t);

/* ext2fs_inline.c */
int ext2fs_inline_read(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, void *, size_t);

/* ext2fs_read.c */
int ext2fs_read(const struct ext2fs *, const struct ext2fs_inode *, uint64_t,
    void *, size_t, size_t *);
int ext2fs_readlink(const struct ext2fs *, const struct ext2fs_inode *,
    char *, size_t, size_t *);

/* ext2fs_dir.c */
#define EXT2FS_DIR_STOP 1               /* from a readdir callback */
int ext2fs_readdir(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t *, int (*)(void *, const struct ext2fs_dirent *), void *);
int ext2fs_lookup(const struct ext2fs *, const struct ext2fs_inode *,
    const char *, size_t, uint32_t *, uint8_t *);
int ext2fs_dirblk_read(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, uint8_t *, size_t *);
int ext2fs_dirblk_check(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, const uint8_t *, size_t *);
uint64_t ext2fs_dirblk_note(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t);
size_t ext2fs_dirblk_limit(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, const uint8_t *);
int ext2fs_dirblk_find(const struct ext2fs *, const uint8_t *, size_t,
    const char *, size_t, uint32_t *, uint8_t *);
bool ext2fs_dir_indexed(const struct ext2fs *, const struct ext2fs_inode *);
bool ext2fs_dirblk_first(const struct ext2fs *, const uint8_t *, size_t,
    const char **, size_t *);
/* From ext2fs_htree_lookup: the index is wrong; scan the blocks instead. */
#define EXT2FS_BADINDEX (-1)

/* ext2fs_hash.c and ext2fs_htree.c */
int ext2fs_hash(int, const uint32_t *, const char *, size_t, uint32_t *,
    uint32_t *);
int ext2fs_dx_csum_check(const struct ext2fs *, const struct ext2fs_inode *,
    uint64_t, const uint8_t *);
int ext2fs_dx_root(const struct ext2fs *, const struct ext2fs_inode *,
    const uint8_t *, int *, int *);
int ext2fs_htree_lookup(const struct ext2fs *, const struct ext2fs_inode *,
    const char *, size_t, uint32_t *, uint8_t *);

#endif /* _EXT2FS_H_ */
