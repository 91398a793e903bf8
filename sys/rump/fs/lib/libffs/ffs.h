/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FFS in memory: a mount (the superblock decoded into native integers
 * once, validated, never changed while read-only) and an inode (its
 * dinode decoded and checked when the vnode is loaded).  Both are
 * immutable after they are built, so reading needs no locks of its own;
 * the buffer cache serialises access to the blocks underneath.
 *
 *   ffs_vfsops.c  mount, superblock validation, statvfs, loadvnode
 *   ffs_inode.c   reading and checking a dinode
 *   ffs_bmap.c    logical block -> frag address, through indirect blocks
 *   ufs_dir.c     directory chunks: checking, lookup, getdents
 *   ffs_vnops.c   the vnode operations
 *   ffs_subr.c    byte order, the corruption report
 */
#ifndef _FFS_H_
#define _FFS_H_

#include <sys/types.h>
#include <sys/time.h>
#include <sys/vnode.h>

#include "ffs_format.h"

struct buf;
struct mount;

struct ffs_mount {
	struct mount *um_mp;
	struct vnode *um_devvp;
	char *um_fspec;                 /* for reports */
	bool um_ufs2;
	bool um_swap;                   /* image in the other byte order */
	uint32_t um_sblockloc;          /* bytes */
	/* The superblock, decoded. */
	uint32_t fs_sblkno, fs_iblkno, fs_dblkno;
	uint32_t fs_old_cgoffset, fs_old_cgmask;
	uint32_t fs_ncg, fs_bsize, fs_fsize, fs_frag, fs_minfree;
	uint32_t fs_bshift, fs_fshift, fs_fragshift, fs_fsbtodb;
	uint32_t fs_nindir, fs_inopb, fs_ipg, fs_fpg;
	uint32_t fs_maxsymlinklen;
	uint32_t fs_id[2];
	uint64_t fs_size, fs_dsize;
	uint64_t fs_ndir, fs_nbfree, fs_nifree, fs_nffree;
	uint64_t um_maxino;             /* ncg * ipg: inodes are below */
	uint64_t um_maxlbn;             /* logical blocks bmap can reach */
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
	/* A short symlink's target, as it is in the block-pointer area. */
	char i_shortlink[UFS2_SHORTLINK];
	bool i_isshortlink;
};

#define VFSTOFFS(mp) ((struct ffs_mount *)(mp)->mnt_data)
#define VTOI(vp) ((struct ffs_inode *)(vp)->v_data)
#define VTOFFS(vp) VFSTOFFS((vp)->v_mount)

/* Frags to device sectors, and the byte offset of a frag. */
#define FFS_FSBTODB(um, f) ((daddr_t)(f) << (um)->fs_fsbtodb)
/* First frag of cylinder group c, and of its inode blocks. */
uint64_t ffs_cgstart(const struct ffs_mount *, uint64_t c);

/* ffs_subr.c */
uint16_t ffs_get16(const struct ffs_mount *, const void *base, size_t off);
uint32_t ffs_get32(const struct ffs_mount *, const void *base, size_t off);
uint64_t ffs_get64(const struct ffs_mount *, const void *base, size_t off);
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

/* ffs_bmap.c: the frag address of logical block lbn, 0 for a hole. */
int ffs_bmap(struct ffs_mount *, const struct ffs_inode *, uint64_t lbn,
    int64_t *addrp);

/* ufs_dir.c */
int ufs_lookup_ino(struct vnode *dvp, const char *nm, size_t len,
    ino_t *inop);
int ufs_readdir(struct vnode *vp, struct uio *);

/* ffs_vnops.c */
extern struct vnodeops ffs_vnodeops, ffs_specops;
void ffs_vnops_init(void);

#endif /* _FFS_H_ */
