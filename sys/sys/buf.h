/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The buffer cache (vfs_bio.c) and the I/O request it hands to drivers.
 *
 * A buffer holds one block of one vnode: of a block device vnode (a
 * file system's metadata; the block number is in DEV_BSIZE sectors
 * from the start of the device) or of a file whose file system has a
 * vop_strategy (its logical block number, which that strategy maps).
 * A block is named by (vnode, lblkno) and must always be asked for with
 * the same size; blocks of one vnode must not overlap.
 *
 * Use:
 *	error = bread(devvp, blkno, size, 0, &bp);   read, from cache or disk
 *	... look at or change bp->b_data ...
 *	brelse(bp, 0);          done, unchanged
 *	bdwrite(bp);            changed: write later (the syncer, sync(2))
 *	bawrite(bp);            changed: start the write now, don't wait
 *	error = bwrite(bp);     changed: write now and wait
 * getblk() gives the buffer without reading it (a block about to be
 * overwritten whole); geteblk() an anonymous one.  Every one of these
 * hands the buffer over: after it, bp is not the caller's any more.
 *
 * Between getblk/bread and the release the caller owns the buffer
 * (B_BUSY); anyone else asking for the block sleeps until then.  A
 * delayed write reaches the disk within vfs.syncdelay seconds (30 by
 * default), at sync(2), at vflushbuf() (fsync, unmount) and at reboot.
 * The cache takes at most a quarter of RUMP_MEMLIMIT (64 MiB with no
 * limit) and gives clean buffers back when kernel memory runs short.
 *
 * Clusters: blocks of one vnode that follow each other on the device
 * move in one request.  breadn() reads the blocks it is asked for ahead
 * together with the one wanted when they continue it on a block device
 * vnode; delayed writes that follow each other on the device (a block
 * device's by their numbers, a file's by b_wblkno) are written
 * together wherever writes start (flush, syncer, making room).  Such a
 * request reaches the driver as a buffer of its own whose bytes are in
 * the b_iovcnt pieces b_iov (one per block, b_data NULL), done in the
 * thread that starts it; drivers move b_bcount bytes through the pieces
 * in order (bio_zero() clears a part of either kind of buffer).
 *
 * Checked blocks: a file system that checked a block it read (a
 * directory block's records, a checksum) notes so in b_fschecked, and
 * while the note is there need not check again: a block is checked
 * once per read from the disk, not once per use.  The cache clears the
 * note when the contents may be other than what was checked: a read
 * from the disk, getblk() (the caller is about to overwrite the block),
 * bwrite() and bawrite() (written outside the file system's delayed
 * path: a journal's log, say), brelse() with B_INVAL, and allocbuf().
 * bdwrite() and a plain brelse() keep it: a file system that changes a
 * checked block and hands it over with bdwrite() keeps it right or
 * clears it itself.
 *
 * Locking: (b) bufcache_lock, (o) the owner (B_BUSY), (c) stable while
 * the buffer holds this block.
 */
#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/condvar.h>

struct iovec;
struct vnode;

typedef int64_t daddr_t;

#define DEV_BSHIFT 9
#define DEV_BSIZE  (1 << DEV_BSHIFT)    /* sector unit of b_blkno */
#define MAXBSIZE   (64 * 1024)          /* largest buffer */
#define MAXCLUSTER (256 * 1024)         /* largest clustered request */
#define MAXCLUSTERBUFS 64               /* most blocks in one */

struct buf {
	unsigned b_flags;               /* b: B_* */
	struct vnode *b_vp;             /* c */
	daddr_t b_lblkno;               /* c: the block's name in b_vp */
	daddr_t b_blkno;                /* o: device sector the I/O goes to */
	daddr_t b_wblkno;               /* o: a file's block: the device
					 * sector its write goes to, resolved
					 * by the file system when it changed
					 * the buffer (0: not resolved), so
					 * that writing it out (to make room,
					 * say) needs no other buffer; in a
					 * cluster, its first sector, read or
					 * write */
	dev_t b_dev;                    /* o: the device (strategy) */
	void *b_data;                   /* o; NULL in a cluster's request */
	struct iovec *b_iov;            /* o: a cluster's pieces, or NULL */
	int b_iovcnt;                   /* o: how many */
	size_t b_bcount;                /* c: bytes, the size asked for */
	size_t b_resid;                 /* o: bytes the I/O did not move */
	int b_error;                    /* o: of the last I/O */
	void *b_private;                /* o: the driver's, during I/O */
	uint64_t b_dirtytime;           /* b: uptime ns of the first bdwrite */
	uint64_t b_fschecked;           /* o: the file system's note of
					 * how it checked the contents (its
					 * own values, 0: not checked); see
					 * "Checked blocks" above */
	unsigned b_waiters;             /* b: sleepers on b_cv */
	void (*b_iodone)(struct buf *); /* c: what biodone runs */
	kcondvar_t b_cv;                /* released, or I/O done */
	LIST_ENTRY(buf) b_hash;         /* b */
	LIST_ENTRY(buf) b_vnbufs;       /* b: on b_vp's v_buflist */
	LIST_ENTRY(buf) b_vndirty;      /* b: on b_vp's v_dirtylist */
	TAILQ_ENTRY(buf) b_lru;         /* b: when neither B_BUSY nor
					 * B_DELWRI: on the cold or the hot
					 * LRU (B_HOT) */
	TAILQ_ENTRY(buf) b_dirty;       /* b: when B_DELWRI, oldest first */
};

#define B_BUSY     0x0001               /* owned by someone */
#define B_VALID    0x0002               /* b_data holds the block */
#define B_DELWRI   0x0004               /* changed, not yet written */
#define B_READ     0x0008               /* the I/O in flight is a read */
#define B_ASYNC    0x0010               /* release when the I/O is done */
#define B_INFLIGHT 0x0020               /* I/O started, not done */
#define B_INVAL    0x0040               /* brelse: forget the contents */
#define B_ANON     0x0080               /* geteblk: no vnode, no block */
#define B_USED     0x0100               /* asked for since it was filled */
#define B_HOT      0x0200               /* asked for again: on the hot LRU */

/* Flags of vflushbuf. */
#define FSYNC_WAIT 0x01                 /* wait for the writes */

struct buf *getblk(struct vnode *, daddr_t lblkno, int size, int slpflag,
    int slptimeo);
struct buf *geteblk(int size);
int bread(struct vnode *, daddr_t lblkno, int size, int flags,
    struct buf **bpp);
/*
 * bread, and first start reading the nrablks blocks rablks (of sizes
 * rasizes) into the cache without waiting for them: a file system that
 * sees a file read in sequence asks for the blocks that come next.
 */
int breadn(struct vnode *, daddr_t lblkno, int size, const daddr_t *rablks,
    const int *rasizes, int nrablks, int flags, struct buf **bpp);
/*
 * For a file's vnode: bread of block lblkno, and the n - 1 blocks of
 * the same size after it, which the file system found to follow it on
 * the device from sector blkno on, read with it in clusters (those not
 * cached).  The vnode's strategy gets a cluster's read with b_iov set
 * and its device sector in b_wblkno, resolved as a write's is.
 */
int breadcluster(struct vnode *, daddr_t lblkno, int size, daddr_t blkno,
    int n, struct buf **bpp);
int bwrite(struct buf *);
void bawrite(struct buf *);
void bdwrite(struct buf *);
/* Release; set B_INVAL to drop the contents (a block freed on disk). */
void brelse(struct buf *, unsigned set);
/*
 * Give a buffer the caller owns a new size (a file's last block that
 * grows or shrinks by fragments), keeping the bytes both sizes cover
 * and zeroing the rest; ENOMEM, or EINVAL for a bad size.
 */
int allocbuf(struct buf *, int size);
/*
 * Forget vp's block lblkno if it is cached, delayed write and all (the
 * block was freed); waits while someone owns it.
 */
void binvalblk(struct vnode *, daddr_t lblkno);

/*
 * For drivers and strategy routines: the request is over (b_error,
 * b_resid set).  Callable with no lock held from any kernel thread.  It
 * is the core's (rumpkern/subr_devsw.c), so drivers need no VFS: it runs
 * the buffer's b_iodone, which the buffer cache set.
 */
void biodone(struct buf *);
/* For drivers: zero len bytes of bp's transfer from byte off on. */
void bio_zero(struct buf *, size_t off, size_t len);
/* Wait for the I/O of a buffer the caller owns; its b_error. */
int biowait(struct buf *);

/*
 * Write every delayed buffer of vp; with FSYNC_WAIT wait for all of
 * vp's writes, and return the error of one that failed since the last
 * such wait (a delayed write that failed in the syncer included).
 */
int vflushbuf(struct vnode *, int flags);
/*
 * Write vp's delayed buffers, wait, then forget all its buffers.  A
 * file system calls it before its vnode goes (reclaim, device close):
 * buffers are named by the vnode's address.
 */
int vinvalbuf(struct vnode *);
/* Write every delayed buffer and wait (sync(2), reboot). */
void bio_syncall(void);

/* Figures for tests and sysctl (atomic). */
struct bufstats {
	uint64_t bs_reads;              /* read I/Os started */
	uint64_t bs_writes;             /* write I/Os started */
	uint64_t bs_hits;               /* bread served from the cache */
	uint64_t bs_bytes;              /* b: memory held by buffers */
	uint64_t bs_maxbytes;           /* c: the bound */
};
extern struct bufstats bufstats;
/* vfs.syncdelay, seconds. */
extern int syncdelay;

#endif /* _SYS_BUF_H_ */
