/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * msdosfs in memory: a mount (the BPB decoded and checked, the free
 * cluster map) and a node (a file's or directory's short entry decoded,
 * with its cluster chain).
 *
 * Identity.  FAT files have no inode numbers: a file is its directory
 * entry.  A node is known by the place of its short entry, (first
 * cluster of the directory holding it, byte offset in that directory),
 * which the mount's table maps to a number that stays while the mount
 * lasts: the entry's position on the device in 32-byte units when first
 * seen (so an unchanged image gives the same numbers in every mount),
 * another when that is taken.  A rename moves the number to the new
 * place; an unlink takes the place out of the table, and the number
 * stays taken until the vnode is reclaimed.  The root is number 1.
 *
 * I/O.  Everything goes through the device vnode's buffers: FAT, boot
 * and FSInfo sectors and the FAT12/16 root directory one sector a
 * buffer, data clusters (of files and directories alike) one cluster a
 * buffer named by its first sector, so no two buffers overlap and a
 * freed cluster reused keeps one name.  Every changed buffer goes
 * through msdosfs_bufwrite(): the mount's first change first marks the
 * volume dirty on the disk (msdosfs_markdirty).
 *
 * Locking: one reader/writer lock per mount, pm_lock (l): lookups,
 * reads and readdir hold it as reader; every change (FAT, directories,
 * nodes, the free map) as writer.  The number table has its own mutex
 * (t), taken after pm_lock and never held across a call out; a
 * directory's name hash is made under pm_dclock, after pm_lock.  A vnode
 * whose release may free clusters is released after pm_lock is dropped.
 *
 *   msdosfs_vfsops.c  mount, BPB checks, dirty marks, FSInfo, statvfs
 *   msdosfs_fat.c     FAT entries, the free map, cluster chains
 *   msdosfs_conv.c    names (UTF-8, UCS-2, 8.3, checksums) and times
 *   msdosfs_dir.c     directory scans, lookup, entries made and freed
 *   msdosfs_node.c    the number table, node load and update, truncate
 *   msdosfs_vnops.c   the vnode operations
 */
#ifndef _MSDOSFS_H_
#define _MSDOSFS_H_

#include <sys/types.h>
#include <sys/time.h>
#include <sys/rwlock.h>
#include <sys/mutex.h>
#include <sys/vnode.h>
#include <sys/buf.h>

#include "msdosfs_format.h"

struct buf;
struct mount;
struct uio;

#define MSDOSFS_ROOTINO 1
/* Directories hold at most 65536 entries (fatgen103). */
#define MSDOSFS_MAXDIRSIZE (65536 * DIRENT_SIZE)

/* The table's record of one entry place and its number. */
struct msdosfs_ent {
	struct msdosfs_ent *e_locnext;  /* t: hash chain by place */
	struct msdosfs_ent *e_inonext;  /* t: hash chain by number */
	ino_t e_ino;                    /* t */
	uint32_t e_dircl;               /* t: directory's first cluster */
	uint32_t e_diroff;              /* t: short entry's offset in it */
	bool e_placed;                  /* t: in the by-place hash */
	bool e_hasnode;                 /* t: a vnode holds it */
};

struct msdosfs_mount {
	struct mount *pm_mp;
	struct vnode *pm_devvp;
	int pm_devflag;                 /* how the device is open */
	char *pm_fspec;                 /* for reports */
	krwlock_t pm_lock;
	/* Geometry, from the BPB (stable). */
	int pm_fattype;                 /* 12, 16, 32 */
	uint32_t pm_bps;                /* bytes per sector */
	uint32_t pm_spc;                /* sectors per cluster */
	uint32_t pm_clsize;             /* bytes per cluster */
	uint32_t pm_clshift;
	uint32_t pm_rsvd;               /* sectors before the first FAT */
	uint32_t pm_nfats;
	uint32_t pm_fatsz;              /* sectors per FAT */
	uint32_t pm_rootsec, pm_rootsecs; /* FAT12/16 root region */
	uint32_t pm_datasec;            /* first sector of cluster 2 */
	uint32_t pm_ncl;                /* data clusters: 2 .. ncl + 1 */
	uint32_t pm_rootcl;             /* FAT32 root, else 0 */
	uint32_t pm_fsinfo;             /* FSInfo sector, 0: none */
	uint32_t pm_eoc;                /* end-of-chain value written */
	uint32_t pm_eocmin;             /* values >= this end a chain */
	uint32_t pm_bad;                /* bad-cluster value */
	/* Mount options (stable). */
	uid_t pm_uid;
	gid_t pm_gid;
	mode_t pm_mask, pm_dirmask;
	int pm_flags;                   /* MSDOSFSMNT_* */
	int pm_gmtoff;                  /* seconds east of UTC */
	/* State (l). */
	bool pm_ronly;
	bool pm_dirty;                  /* dirty marks are on the disk */
	int pm_dirty_error;             /* marking failed with */
	bool pm_fmod;                   /* FSInfo to be written */
	bool pm_wasclean;               /* clean when mounted */
	uint8_t *pm_inuse;              /* l: bit per cluster, set: in use */
	uint32_t pm_nfree;              /* l: free clusters */
	uint32_t pm_nxtfree;            /* l: where to look next */
	kmutex_t pm_dclock;             /* making a directory's name hash */
	/* The number table (t). */
	kmutex_t pm_tablock;
	struct msdosfs_ent **pm_lochash, **pm_inohash;
	size_t pm_hashsize;             /* t: buckets of each, a power of 2 */
	size_t pm_nents;                /* t */
	uint64_t pm_nextino;            /* t: for numbers taken elsewhere */
};

struct msdosfs_node {
	ino_t n_ino;                    /* stable */
	struct msdosfs_ent *n_ent;      /* stable: NULL for the root */
	uint64_t n_entbyte;             /* l: device byte of the entry */
	uint8_t n_attr;                 /* l: ATTR_* */
	uint8_t n_ntres;                /* l: NTRES_* */
	uint32_t n_startcl;             /* l: first cluster, 0: none */
	uint32_t n_size;                /* l: bytes (files) */
	uint16_t n_crtdate, n_crttime;  /* l: as on disk */
	uint8_t n_crttenth;             /* l */
	struct timespec n_mtime;        /* l */
	struct timespec n_atime;        /* l: a date, midnight local */
	struct timespec n_ctime;        /* l: in memory only */
	nlink_t n_nlink;                /* l: directories: 2 + subdirs */
	uint32_t *n_chain;              /* l: the cluster chain */
	uint32_t n_nchain;              /* l: clusters in it */
	uint32_t n_chaincap;            /* l: room in n_chain */
	bool n_unlinked;                /* l: its entry is gone */
	bool n_freed;                   /* l: its clusters are gone too */
	uint64_t n_nextr;               /* atomic: next sequential cluster */
	/* Directories: the name hash (msdosfs_dir.c), or NULL. */
	struct msdosfs_dircache *n_dircache; /* published under pm_dclock
	                                   with l held; changed with l as
	                                   writer; read with l held */
};

/* vcache_get's cookie: where the entry is and its 32 bytes. */
struct msdosfs_loc {
	struct msdosfs_ent *l_ent;
	uint64_t l_entbyte;
	uint8_t l_dirent[DIRENT_SIZE];
};

#define VFSTOMSDOS(mp) ((struct msdosfs_mount *)(mp)->mnt_data)
#define VTONODE(vp) ((struct msdosfs_node *)(vp)->v_data)
#define VTOMSDOS(vp) VFSTOMSDOS((vp)->v_mount)

/* Sectors to buffer-cache blocks (DEV_BSIZE units). */
#define MSDOSFS_SECBLK(pm, sec) ((daddr_t)(sec) * ((pm)->pm_bps / DEV_BSIZE))
/* First sector of data cluster cl (2 .. ncl + 1). */
#define MSDOSFS_CLSEC(pm, cl) \
	((pm)->pm_datasec + (uint64_t)((cl) - FAT_FIRSTCLUSTER) * (pm)->pm_spc)
#define MSDOSFS_CLOK(pm, cl) \
	((cl) >= FAT_FIRSTCLUSTER && (cl) <= (pm)->pm_ncl + 1)

static inline uint16_t
getle16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t
getle32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

static inline void
putle16(void *p, uint16_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static inline void
putle32(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/* msdosfs_vfsops.c */
/*
 * Report a corrupt image: one log line naming the device, then EIO.
 * Every check of on-disk data that fails goes through here.
 */
int msdosfs_corrupt(const struct msdosfs_mount *, const char *fmt, ...)
    __printflike(2, 3);
/*
 * Hand over a changed device buffer (pm_lock as writer):
 * MSDOSFS_BDWRITE (later), MSDOSFS_BAWRITE (start now) or
 * MSDOSFS_BWRITE (wait; its error).  The first change of a mount first
 * marks the volume dirty; if that fails the buffer is dropped and the
 * error returned.
 */
#define MSDOSFS_BDWRITE 0
#define MSDOSFS_BAWRITE 1
#define MSDOSFS_BWRITE  2
int msdosfs_bufwrite(struct msdosfs_mount *, struct buf *, int how);
int msdosfs_markdirty(struct msdosfs_mount *);
/* The buffer holding device byte off: its block, size, offset in it. */
void msdosfs_devblk(const struct msdosfs_mount *, uint64_t off,
    daddr_t *blkp, int *sizep, size_t *bofp);

/* msdosfs_fat.c (l held; changes as writer) */
int msdosfs_fat_get(struct msdosfs_mount *, uint32_t cl, uint32_t *valp);
/* Set entry cl to val in every copy of the FAT. */
int msdosfs_fat_set(struct msdosfs_mount *, uint32_t cl, uint32_t val);
/* Read the FAT: the free map and count (mount). */
int msdosfs_fat_scan(struct msdosfs_mount *);
/* FAT[1]'s clean bit (FAT16/32): read it, set or clear it. */
int msdosfs_fat_cleanbit(struct msdosfs_mount *, bool *cleanp);
int msdosfs_fat_setclean(struct msdosfs_mount *, bool clean);
/*
 * Walk the chain from startcl into node's chain; at most maxcl clusters
 * (more is EIO: a loop or a file longer than its size).
 */
int msdosfs_chain_load(struct msdosfs_mount *, struct msdosfs_node *,
    uint32_t maxcl);
/* Grow node's chain to n clusters (zeroed if zero); ENOSPC. */
int msdosfs_chain_grow(struct msdosfs_mount *, struct msdosfs_node *,
    uint32_t n, bool zero);
/* Cut node's chain to n clusters, freeing the rest. */
int msdosfs_chain_cut(struct msdosfs_mount *, struct msdosfs_node *,
    uint32_t n);

/* msdosfs_conv.c */
/* UTF-8 -> UTF-16 code units; EINVAL, ENAMETOOLONG (> 255). */
int msdosfs_utf8_to_ucs2(const char *nm, size_t len, uint16_t *out,
    size_t *outlen);
/* UTF-16 -> UTF-8; returns the length, out has room for 3*n + 1. */
size_t msdosfs_ucs2_to_utf8(const uint16_t *in, size_t n, char *out);
uint16_t msdosfs_upcase(uint16_t);
uint8_t msdosfs_lfn_chksum(const uint8_t *name11);
/* The name an 8.3 entry shows (case bits applied), as UCS-2. */
size_t msdosfs_short_to_ucs2(const uint8_t *name11, uint8_t ntres,
    uint16_t *out);
/* Whether name (UCS-2) is a valid long name (no / \ : * ? " < > |). */
bool msdosfs_lfn_valid(const uint16_t *name, size_t n);
/*
 * If name is an 8.3 name as Windows writes without a long name (each
 * part in one case), its 11 bytes and case bits; else false.
 */
bool msdosfs_fits83(const uint16_t *name, size_t n, uint8_t *name11,
    uint8_t *ntres);
/* The basis for a generated 8.3 name (fatgen103), base length out. */
void msdosfs_basis83(const uint16_t *name, size_t n, uint8_t *name11,
    size_t *baselen);
/* Put "~N" into the basis name. */
void msdosfs_tail83(uint8_t *name11, size_t baselen, unsigned n);
void msdosfs_time_to_dos(const struct msdosfs_mount *,
    const struct timespec *, uint16_t *date, uint16_t *time,
    uint8_t *tenth);
void msdosfs_dos_to_time(const struct msdosfs_mount *, uint16_t date,
    uint16_t time, uint8_t tenth, struct timespec *);

/* msdosfs_dir.c (l held) */
/* A found name: its entries' first and last offset and the short one. */
struct msdosfs_dirpos {
	uint32_t dp_first;              /* first slot (long or short) */
	uint32_t dp_off;                /* the short entry */
	uint8_t dp_dirent[DIRENT_SIZE];
	uint64_t dp_entbyte;            /* device byte of the short entry */
};
/* Directory dp's bytes: its size. */
uint32_t msdosfs_dirsize(const struct msdosfs_mount *,
    const struct msdosfs_node *);
int msdosfs_dir_lookup(struct msdosfs_mount *, struct msdosfs_node *dp,
    const char *nm, size_t len, struct msdosfs_dirpos *);
int msdosfs_dir_enter(struct msdosfs_mount *, struct msdosfs_node *dp,
    const char *nm, size_t len, const uint8_t *dirent,
    struct msdosfs_dirpos *);
int msdosfs_dir_remove(struct msdosfs_mount *, struct msdosfs_node *dp,
    const struct msdosfs_dirpos *);
int msdosfs_dir_empty(struct msdosfs_mount *, struct msdosfs_node *dp,
    bool *emptyp);
int msdosfs_dir_subdirs(struct msdosfs_mount *, struct msdosfs_node *dp,
    nlink_t *np);
/* Make a new directory's "." and ".." in its (zeroed) first cluster. */
int msdosfs_dir_init(struct msdosfs_mount *, struct msdosfs_node *dp,
    uint32_t parentcl);
/* Rewrite the ".." entry of dp to point at parent cluster pcl. */
int msdosfs_dir_setdotdot(struct msdosfs_mount *, struct msdosfs_node *dp,
    uint32_t pcl);
/* The first cluster ".." of dp names (0: the root). */
int msdosfs_dir_dotdot(struct msdosfs_mount *, uint32_t dircl,
    uint32_t *pclp);
/* The place of the entry of directory dircl in its parent pcl. */
int msdosfs_dir_findcl(struct msdosfs_mount *, uint32_t pcl,
    uint32_t dircl, struct msdosfs_dirpos *);
int msdosfs_dir_readdir(struct vnode *, struct uio *);
/* Free trailing clusters holding no entries (not the first). */
int msdosfs_dir_shrink(struct msdosfs_mount *, struct msdosfs_node *dp);
void msdosfs_dircache_free(struct msdosfs_node *dp);

/* msdosfs_node.c */
int msdosfs_table_init(struct msdosfs_mount *);
void msdosfs_table_fini(struct msdosfs_mount *);
/* The table record of place (dircl, diroff), made if new. */
int msdosfs_table_get(struct msdosfs_mount *, uint32_t dircl,
    uint32_t diroff, uint64_t entbyte, struct msdosfs_ent **);
/* The entry is gone (unlink); the number stays taken while noded. */
void msdosfs_table_unplace(struct msdosfs_mount *, struct msdosfs_ent *);
/* Move the record to a new place (rename). */
void msdosfs_table_move(struct msdosfs_mount *, struct msdosfs_ent *,
    uint32_t dircl, uint32_t diroff);
void msdosfs_table_release(struct msdosfs_mount *, struct msdosfs_ent *);
/* The first cluster that names directory dp's entries' place. */
uint32_t msdosfs_dircl(const struct msdosfs_mount *,
    const struct msdosfs_node *dp);
/* The vnode of the entry found at pos in directory dp. */
int msdosfs_vget(struct msdosfs_mount *, struct msdosfs_node *dp,
    const struct msdosfs_dirpos *, struct vnode **);
int msdosfs_node_load(struct msdosfs_mount *, ino_t,
    const struct msdosfs_loc *, struct msdosfs_node **);
void msdosfs_node_free(struct msdosfs_node *);
/* Fill a 32-byte entry from the node (name bytes left alone). */
void msdosfs_node_encode(const struct msdosfs_mount *,
    const struct msdosfs_node *, uint8_t *dirent);
/* Write the node's fields into its entry (delayed). */
int msdosfs_update(struct msdosfs_mount *, struct msdosfs_node *);
/* Cut or grow (with zeroes) a file to size bytes. */
int msdosfs_truncate(struct msdosfs_mount *, struct msdosfs_node *,
    uint64_t size);

extern struct vnodeops msdosfs_vnodeops;
void msdosfs_vnops_init(void);

#endif /* _MSDOSFS_H_ */
