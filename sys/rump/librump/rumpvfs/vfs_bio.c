/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The buffer cache (interface and rules: sys/buf.h).  Disk file systems
 * read and write their devices through it; block device nodes too
 * (spec_vnops.c).  Below it is a vnode's strategy routine, ending in a
 * driver that completes requests with biodone(), possibly from another
 * thread.
 *
 * Every buffer but an anonymous one is in the hash by (vnode, lblkno)
 * and on its vnode's v_buflist.  A clean one that nobody owns is on
 * one of two LRU lists: buf_hotq if it was asked for again after the
 * request that filled it (a directory, an inode table block), else
 * buf_lru, invalid ones at its head (reused first), the others in
 * release order.  Room is made from buf_lru first, so a stream of
 * blocks used once (a big file written or read through) passes without
 * pushing out what is used over and over; the hot list keeps at most
 * half the cache, its oldest going back to buf_lru.
 *
 * Delayed writes are on buf_dirtyq in the order they were first
 * dirtied, which is what the syncer thread walks (it sleeps while the
 * queue is empty, so an idle kernel spends nothing here, and otherwise
 * looks once a second for buffers older than vfs.syncdelay), and on
 * their vnode's v_dirtylist, for an fsync.  So each of these walks only
 * what it wants: an LRU's head is always a buffer to reuse, the dirty
 * queue's head one to write.
 *
 * Write-behind: once delayed writes hold half the cache, the syncer is
 * woken to write the oldest of them, whatever their age, until they
 * hold a quarter, passing over those asked for again since they were
 * read or made (B_HOT: an inode table or a bitmap, changed again and
 * again, is written once at the end rather than after each change).  A thread writing a big file then goes on filling
 * buffers while the syncer writes the ones it filled before, on the
 * other CPU, instead of stopping to write them itself when the cache is
 * full (which it still does when it gets ahead of the syncer).
 *
 * Memory: buffers are kmem, so they count against RUMP_MEMLIMIT; the
 * cache holds at most bs_maxbytes.  Room comes from the cold LRU; then
 * from starting the writes of the oldest delayed buffers, a batch at a
 * time, which come back cold; only then from the hot LRU.  Clean
 * buffers go back to the kmem reclaimer too.  Making room must never
 * need room: the writes of a batch are owned by the thread starting
 * them until started, so a strategy routine that asked for a buffer
 * there could wait for itself.  A file's write therefore goes where its
 * file system resolved it when it changed the buffer (b_wblkno, ffs).
 *
 * Clusters (sys/buf.h): a run of blocks that follow each other on the
 * device moves in one request, done in the thread that starts it and
 * waited for there (a cluster is many blocks: the host call costs less
 * than handing each block to an I/O thread), after which each block is
 * completed as if it had been its own request.  A read's run is the
 * block wanted and the blocks read ahead of it that continue it on a
 * block device vnode (or on the device, as a file's file system found:
 * breadcluster) and are not cached; it stops at the first that is.
 * A write's run is a delayed write about to be started with the delayed
 * writes nobody owns before and after it on the device (a block
 * device's by block number; a file's by lblkno and b_wblkno).  Taking
 * them never waits: a buffer someone owns ends the run.  Room for a
 * read's run comes from clean cold buffers only, never from writes or
 * waiting, since its buffers are owned meanwhile: with no room the run
 * is shorter; a stream read once reuses its own cold buffers rather
 * than free and allocate one per block.  A write's run needs no memory
 * (its pieces are on the stack), so making room still never needs room.
 *
 * A sleeper on b_cv counts itself in b_waiters, and a buffer with
 * waiters is never freed: that keeps the condition variable alive.
 * Nothing allocates memory with bufcache_lock held.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/reboot.h>
#include <sys/sysctl.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "dev_private.h"

#define BUFHASH_MIN 1024                /* buckets, a power of two */
#define BUFMEM_DEFAULT (64UL * 1024 * 1024)
#define BUFMEM_MIN (8UL * MAXBSIZE)
#define VFS_SYNCDELAY 100               /* vfs.syncdelay's number */
#define BUF_WRITEBATCH 32               /* writes to make room, at once */

static kmutex_t bufcache_lock;
static kcondvar_t bufmem_cv;            /* a buffer was released or freed */
static kcondvar_t syncer_cv;            /* buf_dirtyq became non-empty */
static kcondvar_t bufwrite_cv;          /* a write ended */
static LIST_HEAD(bufhashhead, buf) *bufhash;    /* b */
static size_t bufhashmask;                      /* a bucket per 4 KiB */
static uint64_t buf_ninserted;                  /* b: buffers ever hashed */
static TAILQ_HEAD(buf_lruhead, buf) buf_lru;    /* b: cold */
static struct buf_lruhead buf_hotq;             /* b */
static size_t buf_hotbytes;                     /* b: on buf_hotq */
static TAILQ_HEAD(, buf) buf_dirtyq;            /* b */
static int bio_writeerror;                      /* b: for bio_syncall */
static unsigned buf_nwriting;                   /* b: writes in flight */
static uint64_t buf_dirtybytes;                 /* b: of delayed writes */
static struct kmem_reclaimer bio_reclaimer;
static struct shutdown_hook bio_shutdown;

struct bufstats bufstats;
int syncdelay = 30;                     /* a: vfs.syncdelay */

static void brelse_locked(struct buf *, unsigned);
static void bio_iodone_locked(struct buf *);

static void
stat_inc(uint64_t *p)
{
	__atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
}

static unsigned
buf_bucket(const struct vnode *vp, daddr_t lblkno)
{
	uint64_t h = (uint64_t)(uintptr_t)vp * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)lblkno * 0xc2b2ae3d27d4eb4fULL;
	return (unsigned)((h >> 40) & bufhashmask);
}

static struct buf *
buf_lookup(const struct vnode *vp, daddr_t lblkno)
{
	struct buf *bp;

	KASSERT(mutex_owned(&bufcache_lock));
	LIST_FOREACH(bp, &bufhash[buf_bucket(vp, lblkno)], b_hash)
		if (bp->b_vp == vp && bp->b_lblkno == lblkno)
			return bp;
	return NULL;
}

static size_t
buf_memsize(size_t size)
{
	return sizeof(struct buf) + size;
}

/* Off whichever LRU list the clean unowned bp is on. */
static void
buf_lru_remove(struct buf *bp)
{
	if (bp->b_flags & B_HOT) {
		TAILQ_REMOVE(&buf_hotq, bp, b_lru);
		buf_hotbytes -= buf_memsize(bp->b_bcount);
	} else
		TAILQ_REMOVE(&buf_lru, bp, b_lru);
}

/* Take an unowned buffer: off the LRU if clean, B_BUSY. */
static void
buf_take(struct buf *bp)
{
	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT((bp->b_flags & B_BUSY) == 0);
	if ((bp->b_flags & B_DELWRI) == 0)
		buf_lru_remove(bp);
	bp->b_flags |= B_BUSY;
}

/* An owned buffer is a delayed write no more: off the dirty queues. */
static void
buf_undirty(struct buf *bp)
{
	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(bp->b_flags & B_BUSY);
	if (bp->b_flags & B_DELWRI) {
		TAILQ_REMOVE(&buf_dirtyq, bp, b_dirty);
		LIST_REMOVE(bp, b_vndirty);
		bp->b_flags &= ~(unsigned)B_DELWRI;
		buf_dirtybytes -= bp->b_bcount;
	}
}

/* The oldest delayed write of vp (NULL: of any) that nobody owns. */
static struct buf *
buf_firstdirty(struct vnode *vp)
{
	struct buf *bp;

	KASSERT(mutex_owned(&bufcache_lock));
	if (vp != NULL) {
		LIST_FOREACH(bp, &vp->v_dirtylist, b_vndirty)
			if ((bp->b_flags & B_BUSY) == 0)
				return bp;
		return NULL;
	}
	TAILQ_FOREACH(bp, &buf_dirtyq, b_dirty)
		if ((bp->b_flags & B_BUSY) == 0)
			return bp;
	return NULL;
}

/* Sleep on bp until it changes; the caller looks again. */
static void
buf_sleep(struct buf *bp)
{
	bp->b_waiters++;
	cv_wait(&bp->b_cv, &bufcache_lock);
	bp->b_waiters--;
}

/* Free an unowned buffer with no sleepers and nothing to write. */
static void
buf_destroy(struct buf *bp)
{
	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(bp->b_waiters == 0 && (bp->b_flags & B_DELWRI) == 0);
	if ((bp->b_flags & B_ANON) == 0) {
		LIST_REMOVE(bp, b_hash);
		LIST_REMOVE(bp, b_vnbufs);
	}
	if ((bp->b_flags & B_BUSY) == 0)
		buf_lru_remove(bp);
	bufstats.bs_bytes -= buf_memsize(bp->b_bcount);
	cv_broadcast(&bufmem_cv);
	cv_destroy(&bp->b_cv);
	kmem_free(bp->b_data, bp->b_bcount);
	kmem_free(bp, sizeof(*bp));
}

/*
 * Free one clean unowned buffer from the cold end of buf_lru, or with
 * hot of buf_hotq; false if none.  One with sleepers (rare: they wake
 * to find it released) is passed over.
 */
static bool
buf_free_clean(bool hot)
{
	struct buf *bp;

	TAILQ_FOREACH(bp, hot ? &buf_hotq : &buf_lru, b_lru) {
		if (bp->b_waiters == 0) {
			buf_destroy(bp);
			return true;
		}
	}
	return false;
}

/* Start the write of an owned buffer; the lock is held. */
static void
buf_startwrite_locked(struct buf *bp)
{
	buf_undirty(bp);
	bp->b_flags &= ~(unsigned)B_READ;
	bp->b_flags |= B_INFLIGHT | B_VALID;
	buf_nwriting++;
	if (bp->b_vp != NULL)
		bp->b_vp->v_numoutput++;
	bp->b_error = 0;
	bp->b_resid = 0;
	bp->b_blkno = bp->b_lblkno;
}

static void
buf_start(struct buf *bp)
{
	struct vnode *vp = bp->b_vp;

	if (bp->b_flags & B_READ)
		stat_inc(&bufstats.bs_reads);
	else
		stat_inc(&bufstats.bs_writes);
	if (vp == NULL || vp->v_op->vop_strategy == NULL) {
		bp->b_error = EOPNOTSUPP;
		bp->b_resid = bp->b_bcount;
		biodone(bp);
		return;
	}
	VOP_STRATEGY(vp, bp);
}

/* The block that follows bp's on the device, named in bp's vnode. */
static daddr_t
buf_nextlblk(const struct buf *bp)
{
	if (bp->b_vp->v_type == VBLK)
		return bp->b_lblkno + (daddr_t)(bp->b_bcount / DEV_BSIZE);
	return bp->b_lblkno + 1;
}

/* The one that precedes it, if of the same size. */
static daddr_t
buf_prevlblk(const struct buf *bp)
{
	if (bp->b_vp->v_type == VBLK)
		return bp->b_lblkno - (daddr_t)(bp->b_bcount / DEV_BSIZE);
	return bp->b_lblkno - 1;
}

/* Whether cand is a delayed write nobody owns, to join a cluster. */
static bool
buf_wcandidate(const struct buf *cand)
{
	return cand != NULL &&
	    (cand->b_flags & (B_BUSY | B_DELWRI)) == B_DELWRI &&
	    cand->b_bcount % DEV_BSIZE == 0;
}

/* Whether nb's write goes right after bp's on the device. */
static bool
buf_wfollows(const struct buf *bp, const struct buf *nb)
{
	if (nb->b_lblkno != buf_nextlblk(bp))
		return false;
	if (bp->b_vp->v_type == VBLK)
		return true;
	return bp->b_wblkno != 0 &&
	    nb->b_wblkno == bp->b_wblkno + (daddr_t)(bp->b_bcount / DEV_BSIZE);
}

/*
 * bp, a delayed write the caller has just taken, is to be written: take
 * with it the delayed writes nobody owns that come right before and
 * after it on the device, up to a cluster, and set them all up as
 * asynchronous writes.  run gets them in device order; returns how many.
 */
static int
buf_gather(struct buf *bp, struct buf **run)
{
	struct buf *before[MAXCLUSTERBUFS], *cur, *nb;
	size_t bytes = bp->b_bcount;
	int nbefore = 0, n = 0;

	KASSERT(mutex_owned(&bufcache_lock));
	if (bp->b_bcount % DEV_BSIZE == 0) {
		for (cur = bp; nbefore + 1 < MAXCLUSTERBUFS; cur = nb) {
			nb = buf_lookup(bp->b_vp, buf_prevlblk(cur));
			if (!buf_wcandidate(nb) || !buf_wfollows(nb, cur) ||
			    bytes + nb->b_bcount > MAXCLUSTER)
				break;
			before[nbefore++] = nb;
			bytes += nb->b_bcount;
		}
	}
	while (nbefore > 0)
		run[n++] = before[--nbefore];
	run[n++] = bp;
	for (cur = bp; n < MAXCLUSTERBUFS && bp->b_bcount % DEV_BSIZE == 0;
	    cur = nb) {
		nb = buf_lookup(bp->b_vp, buf_nextlblk(cur));
		if (!buf_wcandidate(nb) || !buf_wfollows(cur, nb) ||
		    bytes + nb->b_bcount > MAXCLUSTER)
			break;
		run[n++] = nb;
		bytes += nb->b_bcount;
	}
	for (int i = 0; i < n; i++) {
		if (run[i] != bp)
			buf_take(run[i]);
		run[i]->b_flags |= B_ASYNC;
		buf_startwrite_locked(run[i]);
	}
	return n;
}

static void
buf_cluster_done(struct buf *cbp)
{
	mutex_enter(&bufcache_lock);
	cbp->b_flags &= ~(unsigned)B_INFLIGHT;
	cv_broadcast(&cbp->b_cv);
	mutex_exit(&bufcache_lock);
}

/*
 * One request for the n owned buffers of run, which follow each other
 * on the device and are set up as buf_start() wants them (all reads or
 * all writes); then each is done as its own request would have been.
 * A file's request goes to sector wblkno (b_wblkno), which its file
 * system resolved.  Waits for the request.  Called without the lock.
 */
static void
buf_cluster_io(struct buf **run, int n, daddr_t wblkno)
{
	struct iovec iov[MAXCLUSTERBUFS];
	struct vnode *vp = run[0]->b_vp;
	struct buf cbp;
	size_t off = 0, done, moved;

	KASSERT(n > 1 && n <= MAXCLUSTERBUFS);
	memset(&cbp, 0, sizeof(cbp));
	for (int i = 0; i < n; i++) {
		iov[i].iov_base = run[i]->b_data;
		iov[i].iov_len = run[i]->b_bcount;
		cbp.b_bcount += run[i]->b_bcount;
	}
	cbp.b_flags = B_BUSY | B_INFLIGHT | (run[0]->b_flags & B_READ);
	cbp.b_vp = vp;
	cbp.b_lblkno = cbp.b_blkno = run[0]->b_lblkno;
	cbp.b_wblkno = wblkno;
	cbp.b_iov = iov;
	cbp.b_iovcnt = n;
	cbp.b_iodone = buf_cluster_done;
	cv_init(&cbp.b_cv, "biowait");
	buf_start(&cbp);
	mutex_enter(&bufcache_lock);
	while (cbp.b_flags & B_INFLIGHT)
		cv_wait(&cbp.b_cv, &bufcache_lock);
	done = cbp.b_bcount - MIN(cbp.b_resid, cbp.b_bcount);
	for (int i = 0; i < n; off += run[i]->b_bcount, i++) {
		moved = done > off ? MIN(done - off, run[i]->b_bcount) : 0;
		run[i]->b_error = cbp.b_error;
		run[i]->b_resid = run[i]->b_bcount - moved;
		bio_iodone_locked(run[i]);
	}
	mutex_exit(&bufcache_lock);
	cv_destroy(&cbp.b_cv);
}

/* Start the writes of a run buf_gather() made: one request if many. */
static void
buf_write_run(struct buf **run, int n)
{
	if (n == 1)
		buf_start(run[0]);
	else
		buf_cluster_io(run, n, run[0]->b_wblkno);
}

/*
 * Make room for size more bytes of buffers, then count them.  Called
 * and returns with the lock held, but may drop it to write or sleep.
 */
static void
bufmem_reserve(size_t size)
{
	struct buf *batch[BUF_WRITEBATCH], *run[MAXCLUSTERBUFS], *bp;
	int n, nrun;

	KASSERT(mutex_owned(&bufcache_lock));
	while (bufstats.bs_bytes + buf_memsize(size) > bufstats.bs_maxbytes) {
		if (buf_free_clean(false))
			continue;
		/*
		 * No clean buffer: start writing the oldest delayed ones,
		 * which come back clean as each write ends, unless enough
		 * writes are under way already.  One with neighbours to
		 * write with it ends the batch as a cluster.
		 */
		n = nrun = 0;
		while (n < BUF_WRITEBATCH && buf_nwriting < BUF_WRITEBATCH &&
		    (bp = buf_firstdirty(NULL)) != NULL) {
			buf_take(bp);
			if ((nrun = buf_gather(bp, run)) > 1)
				break;
			batch[n++] = bp;
			nrun = 0;
		}
		if (n > 0 || nrun > 0) {
			mutex_exit(&bufcache_lock);
			for (int i = 0; i < n; i++)
				buf_start(batch[i]);
			if (nrun > 0)
				buf_write_run(run, nrun);
			mutex_enter(&bufcache_lock);
			continue;
		}
		/*
		 * Writes under way come back as cold buffers: wait for them
		 * rather than give up what is used over and over.
		 */
		if (buf_nwriting == 0 && buf_free_clean(true))
			continue;
		/* Everything is owned or being written: wait for a release. */
		cv_wait(&bufmem_cv, &bufcache_lock);
	}
	bufstats.bs_bytes += buf_memsize(size);
}

static void
bufmem_unreserve(size_t size)
{
	KASSERT(mutex_owned(&bufcache_lock));
	bufstats.bs_bytes -= buf_memsize(size);
	cv_broadcast(&bufmem_cv);
}

/*
 * The oldest clean cold buffer, when nobody waits for it and it has
 * size bytes, out of the cache to be a new one (its memory stays
 * counted, so bufmem_reserve is not needed): a stream of blocks read
 * once reuses its buffers instead of freeing and allocating them.
 */
static struct buf *
buf_recycle(size_t size)
{
	struct buf *bp;

	KASSERT(mutex_owned(&bufcache_lock));
	if (bufstats.bs_bytes + buf_memsize(size) <= bufstats.bs_maxbytes ||
	    (bp = TAILQ_FIRST(&buf_lru)) == NULL || bp->b_waiters != 0 ||
	    bp->b_bcount != size)
		return NULL;
	TAILQ_REMOVE(&buf_lru, bp, b_lru);
	LIST_REMOVE(bp, b_hash);
	LIST_REMOVE(bp, b_vnbufs);
	bp->b_flags = 0;
	bp->b_vp = NULL;
	bp->b_wblkno = 0;
	bp->b_dev = 0;
	bp->b_iov = NULL;
	bp->b_iovcnt = 0;
	bp->b_resid = 0;
	bp->b_error = 0;
	bp->b_private = NULL;
	bp->b_dirtytime = 0;
	bp->b_fschecked = 0;
	return bp;
}

/* Room for size more bytes from clean cold buffers only, or false. */
static bool
bufmem_tryreserve(size_t size)
{
	KASSERT(mutex_owned(&bufcache_lock));
	while (bufstats.bs_bytes + buf_memsize(size) > bufstats.bs_maxbytes)
		if (!buf_free_clean(false))
			return false;
	bufstats.bs_bytes += buf_memsize(size);
	return true;
}

static void bio_iodone(struct buf *);

/* A new buffer of size bytes, not in any list; NULL if out of memory. */
static struct buf *
buf_alloc(size_t size)
{
	struct buf *bp;

	if ((bp = kmem_zalloc(sizeof(*bp), KM_SLEEP)) == NULL)
		return NULL;
	if ((bp->b_data = kmem_alloc(size, KM_SLEEP)) == NULL) {
		kmem_free(bp, sizeof(*bp));
		return NULL;
	}
	bp->b_bcount = size;
	bp->b_iodone = bio_iodone;
	cv_init(&bp->b_cv, "biowait");
	return bp;
}

/* Free a buffer buf_alloc() made that never went into the cache. */
static void
buf_free_unused(struct buf *bp)
{
	cv_destroy(&bp->b_cv);
	kmem_free(bp->b_data, bp->b_bcount);
	kmem_free(bp, sizeof(*bp));
}

static bool
buf_size_ok(int size)
{
	if (size <= 0 || size > MAXBSIZE) {
		log(LOG_ERR, "bio: buffer size %d out of range\n", size);
		return false;
	}
	return true;
}

/* A new buffer into the cache as vp's block lblkno, with flags. */
static void
buf_insert(struct buf *bp, struct vnode *vp, daddr_t lblkno, unsigned flags)
{
	KASSERT(mutex_owned(&bufcache_lock));
	bp->b_flags = flags;
	bp->b_vp = vp;
	bp->b_lblkno = bp->b_blkno = lblkno;
	LIST_INSERT_HEAD(&bufhash[buf_bucket(vp, lblkno)], bp, b_hash);
	LIST_INSERT_HEAD(&vp->v_buflist, bp, b_vnbufs);
	buf_ninserted++;
}

/* getblk, for a read too: a checked block keeps its note. */
static struct buf *
buf_get(struct vnode *vp, daddr_t lblkno, int size)
{
	struct buf *bp, *nbp = NULL;
	void *ndata;

	if (!buf_size_ok(size))
		return NULL;
	mutex_enter(&bufcache_lock);
	for (;;) {
		if ((bp = buf_lookup(vp, lblkno)) != NULL) {
			if (bp->b_flags & B_BUSY) {
				buf_sleep(bp);
				continue;
			}
			buf_take(bp);
			/* Asked for again: it goes to the hot list. */
			if (bp->b_flags & B_USED)
				bp->b_flags |= B_HOT;
			bp->b_flags |= B_USED;
			break;
		}
		if (nbp != NULL) {
			bp = nbp;
			nbp = NULL;
			buf_insert(bp, vp, lblkno, B_BUSY | B_USED);
			break;
		}
		bufmem_reserve((size_t)size);
		mutex_exit(&bufcache_lock);
		nbp = buf_alloc((size_t)size);
		mutex_enter(&bufcache_lock);
		if (nbp == NULL) {
			bufmem_unreserve((size_t)size);
			mutex_exit(&bufcache_lock);
			return NULL;
		}
		/* Someone may have made the block meanwhile: look again. */
	}
	if (nbp != NULL) {
		bufmem_unreserve((size_t)size);
		mutex_exit(&bufcache_lock);
		buf_free_unused(nbp);
		mutex_enter(&bufcache_lock);
	}
	if (bp->b_bcount == (size_t)size) {
		mutex_exit(&bufcache_lock);
		return bp;
	}

	/*
	 * Asked for with another size (sys/buf.h says not to): write what
	 * it holds and give it the new size, invalid.
	 */
	log(LOG_ERR, "bio: block %lld asked for with size %d, was %zu\n",
	    (long long)lblkno, size, bp->b_bcount);
	if (bp->b_flags & B_DELWRI) {
		buf_startwrite_locked(bp);
		mutex_exit(&bufcache_lock);
		buf_start(bp);
		(void)biowait(bp);
		mutex_enter(&bufcache_lock);
	}
	bufmem_unreserve(bp->b_bcount);
	bufmem_reserve((size_t)size);
	mutex_exit(&bufcache_lock);
	if ((ndata = kmem_alloc((size_t)size, KM_SLEEP)) == NULL) {
		mutex_enter(&bufcache_lock);
		bufmem_unreserve((size_t)size);
		bufstats.bs_bytes += buf_memsize(bp->b_bcount);
		brelse_locked(bp, B_INVAL);
		mutex_exit(&bufcache_lock);
		return NULL;
	}
	kmem_free(bp->b_data, bp->b_bcount);
	mutex_enter(&bufcache_lock);
	bp->b_data = ndata;
	bp->b_bcount = (size_t)size;
	bp->b_flags &= ~(unsigned)B_VALID;
	mutex_exit(&bufcache_lock);
	return bp;
}

/* The caller is about to overwrite the block: no note holds. */
struct buf *
getblk(struct vnode *vp, daddr_t lblkno, int size, int slpflag,
    int slptimeo)
{
	struct buf *bp;

	(void)slpflag;
	(void)slptimeo;
	if ((bp = buf_get(vp, lblkno, size)) != NULL)
		bp->b_fschecked = 0;
	return bp;
}

int
allocbuf(struct buf *bp, int size)
{
	size_t old = bp->b_bcount, n = (size_t)size;
	void *ndata;

	KASSERT(bp->b_flags & B_BUSY);
	if (!buf_size_ok(size))
		return EINVAL;
	if (n == old)
		return 0;
	if ((ndata = kmem_alloc(n, KM_SLEEP)) == NULL)
		return ENOMEM;
	bp->b_fschecked = 0;
	memcpy(ndata, bp->b_data, MIN(old, n));
	if (n > old)
		memset((char *)ndata + old, 0, n - old);
	mutex_enter(&bufcache_lock);
	bufmem_unreserve(old);
	bufmem_reserve(n);
	kmem_free(bp->b_data, old);
	bp->b_data = ndata;
	if (bp->b_flags & B_DELWRI)
		buf_dirtybytes = buf_dirtybytes - old + n;
	bp->b_bcount = n;
	mutex_exit(&bufcache_lock);
	return 0;
}

void
binvalblk(struct vnode *vp, daddr_t lblkno)
{
	struct buf *bp;

	mutex_enter(&bufcache_lock);
	while ((bp = buf_lookup(vp, lblkno)) != NULL) {
		if (bp->b_flags & B_BUSY) {
			buf_sleep(bp);
			continue;
		}
		buf_take(bp);
		buf_undirty(bp);
		if (bp->b_waiters > 0)
			brelse_locked(bp, B_INVAL);
		else
			buf_destroy(bp);
		break;
	}
	mutex_exit(&bufcache_lock);
}

struct buf *
geteblk(int size)
{
	struct buf *bp;

	if (!buf_size_ok(size))
		return NULL;
	mutex_enter(&bufcache_lock);
	bufmem_reserve((size_t)size);
	mutex_exit(&bufcache_lock);
	if ((bp = buf_alloc((size_t)size)) == NULL) {
		mutex_enter(&bufcache_lock);
		bufmem_unreserve((size_t)size);
		mutex_exit(&bufcache_lock);
		return NULL;
	}
	bp->b_flags = B_BUSY | B_ANON;
	return bp;
}

/* Set up an owned buffer to be read. */
static void
buf_setread(struct buf *bp)
{
	KASSERT(mutex_owned(&bufcache_lock));
	bp->b_flags |= B_READ | B_INFLIGHT;
	bp->b_error = 0;
	bp->b_resid = 0;
	bp->b_blkno = bp->b_lblkno;
	bp->b_fschecked = 0;
}

/* Read-ahead is not a use: the first bread of the block is. */
static void
buf_setreadahead(struct buf *bp)
{
	bp->b_flags &= ~(unsigned)(B_USED | B_HOT);
	bp->b_flags |= B_ASYNC;
	buf_setread(bp);
}

int
bread(struct vnode *vp, daddr_t lblkno, int size, int flags,
    struct buf **bpp)
{
	struct buf *bp;
	int error;

	(void)flags;
	*bpp = NULL;
	if ((bp = buf_get(vp, lblkno, size)) == NULL)
		return ENOMEM;
	mutex_enter(&bufcache_lock);
	if (bp->b_flags & B_VALID) {
		mutex_exit(&bufcache_lock);
		stat_inc(&bufstats.bs_hits);
		*bpp = bp;
		return 0;
	}
	buf_setread(bp);
	mutex_exit(&bufcache_lock);
	buf_start(bp);
	if ((error = biowait(bp)) != 0) {
		brelse(bp, B_INVAL);
		return error;
	}
	*bpp = bp;
	return 0;
}

/*
 * Start reading a block into the cache without waiting, unless it is
 * there or on its way.  A failed read leaves the buffer invalid, so the
 * bread that wants it reads again and gets the error.
 */
static void
buf_readahead(struct vnode *vp, daddr_t lblkno, int size)
{
	struct buf *bp;

	mutex_enter(&bufcache_lock);
	bp = buf_lookup(vp, lblkno);
	mutex_exit(&bufcache_lock);
	if (bp != NULL || (bp = buf_get(vp, lblkno, size)) == NULL)
		return;
	mutex_enter(&bufcache_lock);
	if (bp->b_flags & B_VALID) {
		brelse_locked(bp, 0);
		mutex_exit(&bufcache_lock);
		return;
	}
	buf_setreadahead(bp);
	mutex_exit(&bufcache_lock);
	buf_start(bp);
}

/*
 * Extend a read's run (run[0..*np), set up to be read; the last one's
 * block continued on the device by rablks[0]) with new buffers for the
 * blocks of rablks, up to a cluster, ending at the first one cached; an
 * empty run starts at the first one not cached.  Room only from clean
 * cold buffers (the run's buffers are owned meanwhile).  Returns how
 * many of rablks it dealt with.  Every new buffer of it is counted in
 * bs_bytes from the first look on (reserved or recycled).
 */
static int
buf_readrun(struct vnode *vp, const daddr_t *rablks, const int *rasizes,
    int nra, struct buf **run, int *np)
{
	struct buf *nbufs[MAXCLUSTERBUFS];
	uint64_t ninserted;
	size_t bytes = 0;
	int first, i, k, nalloc, n = *np;

	for (i = 0; i < n; i++)
		bytes += run[i]->b_bcount;
	mutex_enter(&bufcache_lock);
	for (i = 0; i < nra && n == 0 && buf_lookup(vp, rablks[i]) != NULL;
	    i++)
		continue;
	first = i;
	for (k = 0; i < nra && n + k < MAXCLUSTERBUFS &&
	    bytes + (size_t)rasizes[i] <= MAXCLUSTER; i++, k++) {
		if (buf_lookup(vp, rablks[i]) != NULL)
			break;
		if ((nbufs[k] = buf_recycle((size_t)rasizes[i])) == NULL &&
		    !bufmem_tryreserve((size_t)rasizes[i]))
			break;
		bytes += (size_t)rasizes[i];
	}
	ninserted = buf_ninserted;
	mutex_exit(&bufcache_lock);
	for (nalloc = 0; nalloc < k; nalloc++)
		if (nbufs[nalloc] == NULL && (nbufs[nalloc] =
		    buf_alloc((size_t)rasizes[first + nalloc])) == NULL)
			break;
	mutex_enter(&bufcache_lock);
	/*
	 * Someone may have made one of the blocks meanwhile (only if a
	 * buffer other than ours went into the cache since we looked):
	 * stop there.
	 */
	for (i = 0; i < nalloc && (buf_ninserted == ninserted + (uint64_t)i ||
	    buf_lookup(vp, rablks[first + i]) == NULL); i++) {
		buf_insert(nbufs[i], vp, rablks[first + i], B_BUSY);
		buf_setreadahead(nbufs[i]);
		run[n++] = nbufs[i];
	}
	for (int j = i; j < k; j++)
		bufmem_unreserve((size_t)rasizes[first + j]);
	mutex_exit(&bufcache_lock);
	for (int j = i; j < k; j++)
		if (nbufs[j] != NULL)
			buf_free_unused(nbufs[j]);
	*np = n;
	return first + i;
}

/*
 * Read block lblkno of vp with the first ncont blocks of rablks, which
 * continue it on the device (from sector dblkno on, for a file's
 * vnode), in clusters: runs of those not cached, split where one is,
 * and none once there is no room without waiting.  The rest of rablks
 * are read ahead one by one, asynchronously.  Should a cluster fail,
 * the block wanted is read again alone: the error may be another's.
 */
static int
bread_clustered(struct vnode *vp, daddr_t lblkno, int size,
    const daddr_t *rablks, const int *rasizes, int nrablks, int ncont,
    daddr_t dblkno, struct buf **bpp)
{
	struct buf *bp, *run[MAXCLUSTERBUFS];
	bool clustered = false, first, want;
	int error, i = 0, k, n = 0;

	if ((bp = buf_get(vp, lblkno, size)) == NULL)
		return ENOMEM;
	mutex_enter(&bufcache_lock);
	if (bp->b_flags & B_VALID)
		stat_inc(&bufstats.bs_hits);
	else {
		buf_setread(bp);
		run[n++] = bp;
	}
	mutex_exit(&bufcache_lock);
	want = n > 0;
	for (first = true; i < ncont; first = false) {
		if (!first)
			n = 0;
		if ((k = buf_readrun(vp, rablks + i, rasizes + i, ncont - i,
		    run, &n)) == 0 && n == 0) {
			i = nrablks;
			break;
		}
		i += k;
		if (n == 1)
			buf_start(run[0]);
		else if (n > 1)
			buf_cluster_io(run, n, vp->v_type == VBLK ? 0 :
			    dblkno + (run[0]->b_lblkno - lblkno) *
			    (size / DEV_BSIZE));
		if (first)
			clustered = n > 1;
	}
	for (; i < nrablks; i++)
		buf_readahead(vp, rablks[i], rasizes[i]);
	if (want) {
		if ((error = biowait(bp)) != 0 && clustered) {
			mutex_enter(&bufcache_lock);
			buf_setread(bp);
			mutex_exit(&bufcache_lock);
			buf_start(bp);
			error = biowait(bp);
		}
		if (error != 0) {
			brelse(bp, B_INVAL);
			return error;
		}
	}
	*bpp = bp;
	return 0;
}

/* On a block device, the blocks read ahead that continue lblkno too. */
int
breadn(struct vnode *vp, daddr_t lblkno, int size, const daddr_t *rablks,
    const int *rasizes, int nrablks, int flags, struct buf **bpp)
{
	daddr_t next = lblkno + size / DEV_BSIZE;
	int ncont = 0;

	*bpp = NULL;
	if (vp->v_type == VBLK && size % DEV_BSIZE == 0)
		for (; ncont < nrablks && rablks[ncont] == next &&
		    buf_size_ok(rasizes[ncont]) &&
		    rasizes[ncont] % DEV_BSIZE == 0; ncont++)
			next += rasizes[ncont] / DEV_BSIZE;
	if (ncont == 0) {
		for (int i = 0; i < nrablks; i++)
			buf_readahead(vp, rablks[i], rasizes[i]);
		return bread(vp, lblkno, size, flags, bpp);
	}
	return bread_clustered(vp, lblkno, size, rablks, rasizes, nrablks,
	    ncont, 0, bpp);
}

int
breadcluster(struct vnode *vp, daddr_t lblkno, int size, daddr_t blkno,
    int n, struct buf **bpp)
{
	daddr_t rablks[MAXCLUSTERBUFS];
	int rasizes[MAXCLUSTERBUFS];

	*bpp = NULL;
	n = MIN(n, MAXCLUSTERBUFS);
	if (n <= 1 || vp->v_type == VBLK || size % DEV_BSIZE != 0 ||
	    !buf_size_ok(size))
		return bread(vp, lblkno, size, 0, bpp);
	for (int i = 0; i < n - 1; i++) {
		rablks[i] = lblkno + 1 + i;
		rasizes[i] = size;
	}
	return bread_clustered(vp, lblkno, size, rablks, rasizes, n - 1,
	    n - 1, blkno, bpp);
}

int
bwrite(struct buf *bp)
{
	bool async;
	int error;

	mutex_enter(&bufcache_lock);
	KASSERT(bp->b_flags & B_BUSY);
	async = (bp->b_flags & B_ASYNC) != 0;
	bp->b_fschecked = 0;
	buf_startwrite_locked(bp);
	mutex_exit(&bufcache_lock);
	buf_start(bp);
	if (async)
		return 0;
	error = biowait(bp);
	brelse(bp, 0);
	return error;
}

void
bawrite(struct buf *bp)
{
	mutex_enter(&bufcache_lock);
	bp->b_flags |= B_ASYNC;
	mutex_exit(&bufcache_lock);
	(void)bwrite(bp);
}

void
bdwrite(struct buf *bp)
{
	mutex_enter(&bufcache_lock);
	KASSERT(bp->b_flags & B_BUSY);
	if (bp->b_flags & B_ANON) {
		/* No block to write it to: as brelse. */
		brelse_locked(bp, 0);
		mutex_exit(&bufcache_lock);
		return;
	}
	if ((bp->b_flags & B_DELWRI) == 0) {
		bp->b_flags |= B_DELWRI;
		bp->b_dirtytime = getnsecuptime();
		buf_dirtybytes += bp->b_bcount;
		if (TAILQ_EMPTY(&buf_dirtyq) || (buf_dirtybytes >
		    bufstats.bs_maxbytes / 2 && buf_dirtybytes -
		    bp->b_bcount <= bufstats.bs_maxbytes / 2))
			cv_signal(&syncer_cv);
		TAILQ_INSERT_TAIL(&buf_dirtyq, bp, b_dirty);
		LIST_INSERT_HEAD(&bp->b_vp->v_dirtylist, bp, b_vndirty);
	}
	bp->b_flags |= B_VALID;
	brelse_locked(bp, 0);
	mutex_exit(&bufcache_lock);
}

static void
brelse_locked(struct buf *bp, unsigned set)
{
	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(bp->b_flags & B_BUSY);
	bp->b_flags |= set;
	if (bp->b_flags & B_INVAL) {
		buf_undirty(bp);
		bp->b_flags &= ~(unsigned)(B_VALID | B_INVAL);
		bp->b_fschecked = 0;
	}
	if (bp->b_flags & B_ANON) {
		bp->b_flags &= ~(unsigned)B_ANON;
		bufstats.bs_bytes -= buf_memsize(bp->b_bcount);
		cv_broadcast(&bufmem_cv);
		cv_destroy(&bp->b_cv);
		kmem_free(bp->b_data, bp->b_bcount);
		kmem_free(bp, sizeof(*bp));
		return;
	}
	bp->b_flags &= ~(unsigned)(B_BUSY | B_ASYNC | B_READ);
	if ((bp->b_flags & B_VALID) == 0)
		bp->b_flags &= ~(unsigned)(B_USED | B_HOT);
	if (bp->b_flags & B_DELWRI)
		;                       /* on the dirty queues only */
	else if (bp->b_flags & B_HOT) {
		TAILQ_INSERT_TAIL(&buf_hotq, bp, b_lru);
		buf_hotbytes += buf_memsize(bp->b_bcount);
		while (buf_hotbytes > bufstats.bs_maxbytes / 2) {
			struct buf *old = TAILQ_FIRST(&buf_hotq);

			buf_lru_remove(old);
			old->b_flags &= ~(unsigned)B_HOT;
			TAILQ_INSERT_TAIL(&buf_lru, old, b_lru);
		}
	} else if (bp->b_flags & B_VALID)
		TAILQ_INSERT_TAIL(&buf_lru, bp, b_lru);
	else
		TAILQ_INSERT_HEAD(&buf_lru, bp, b_lru);
	if (bp->b_waiters > 0)
		cv_broadcast(&bp->b_cv);
	cv_broadcast(&bufmem_cv);
}

void
brelse(struct buf *bp, unsigned set)
{
	mutex_enter(&bufcache_lock);
	brelse_locked(bp, set);
	mutex_exit(&bufcache_lock);
}

/*
 * A failed write is logged and the buffer dropped: its contents are not
 * what the disk holds, and a device that fails writes would otherwise
 * be retried forever.  The writer that waits gets the error; for an
 * asynchronous write, the next fsync of its vnode (or sync) does.
 */
/* The buffers' b_iodone, through biodone(). */
static void
bio_iodone(struct buf *bp)
{
	mutex_enter(&bufcache_lock);
	bio_iodone_locked(bp);
	mutex_exit(&bufcache_lock);
}

static void
bio_iodone_locked(struct buf *bp)
{
	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(bp->b_flags & B_INFLIGHT);
	bp->b_flags &= ~(unsigned)B_INFLIGHT;
	if (bp->b_flags & B_READ) {
		if (bp->b_error == 0)
			bp->b_flags |= B_VALID;
	} else {
		buf_nwriting--;
		if (bp->b_vp != NULL)
			bp->b_vp->v_numoutput--;
		cv_broadcast(&bufwrite_cv);
	}
	if ((bp->b_flags & B_READ) == 0 && bp->b_error != 0) {
		log(LOG_ERR, "bio: write of block %lld failed: error %d\n",
		    (long long)bp->b_lblkno, bp->b_error);
		bp->b_flags |= B_INVAL;
		/* No one waits for an asynchronous write: the next fsync. */
		if (bp->b_flags & B_ASYNC) {
			if (bp->b_vp != NULL)
				bp->b_vp->v_writeerror = bp->b_error;
			bio_writeerror = bp->b_error;
		}
	}
	if (bp->b_flags & B_ASYNC)
		brelse_locked(bp, 0);
	else
		cv_broadcast(&bp->b_cv);
}

int
biowait(struct buf *bp)
{
	int error;

	mutex_enter(&bufcache_lock);
	while (bp->b_flags & B_INFLIGHT)
		cv_wait(&bp->b_cv, &bufcache_lock);
	error = bp->b_error;
	mutex_exit(&bufcache_lock);
	return error;
}

/*
 * Write the delayed buffers of vp (NULL: all); with FSYNC_WAIT, wait for
 * every write of vp in flight, and return the error of any that failed
 * since the last such wait.  The writes are asynchronous, so this loop
 * holds none of them while the next one starts.
 */
static int
flushbuf(struct vnode *vp, int flags)
{
	struct buf *bp, *run[MAXCLUSTERBUFS];
	int error = 0, n;

	mutex_enter(&bufcache_lock);
	while ((bp = buf_firstdirty(vp)) != NULL) {
		buf_take(bp);
		n = buf_gather(bp, run);
		mutex_exit(&bufcache_lock);
		buf_write_run(run, n);
		mutex_enter(&bufcache_lock);
	}
	if ((flags & FSYNC_WAIT) == 0) {
		mutex_exit(&bufcache_lock);
		return 0;
	}
	while (vp != NULL ? vp->v_numoutput > 0 : buf_nwriting > 0)
		cv_wait(&bufwrite_cv, &bufcache_lock);
	if (vp != NULL) {
		error = vp->v_writeerror;
		vp->v_writeerror = 0;
	} else {
		error = bio_writeerror;
		bio_writeerror = 0;
	}
	mutex_exit(&bufcache_lock);
	return error;
}

int
vflushbuf(struct vnode *vp, int flags)
{
	KASSERT(vp != NULL);
	return flushbuf(vp, flags);
}

void
bio_syncall(void)
{
	(void)flushbuf(NULL, FSYNC_WAIT);
}

int
vinvalbuf(struct vnode *vp)
{
	struct buf *bp;
	int error;

	error = flushbuf(vp, FSYNC_WAIT);
	mutex_enter(&bufcache_lock);
	while ((bp = LIST_FIRST(&vp->v_buflist)) != NULL) {
		if ((bp->b_flags & B_BUSY) || bp->b_waiters > 0) {
			buf_sleep(bp);
			continue;
		}
		if (bp->b_flags & B_DELWRI) {
			/* Dirtied again since the flush: write it too. */
			buf_take(bp);
			mutex_exit(&bufcache_lock);
			if (bwrite(bp) != 0 && error == 0)
				error = EIO;
			mutex_enter(&bufcache_lock);
			continue;
		}
		buf_destroy(bp);
	}
	mutex_exit(&bufcache_lock);
	return error;
}

/* The kmem reclaimer: clean buffers from the cold end, a batch a call. */
static size_t
bio_reclaim(void *arg)
{
	size_t freed = 0;
	uint64_t before;

	(void)arg;
	if (!mutex_tryenter(&bufcache_lock))
		return 0;
	while (freed < 16 * MAXBSIZE) {
		before = bufstats.bs_bytes;
		if (!buf_free_clean(false) && !buf_free_clean(true))
			break;
		freed += (size_t)(before - bufstats.bs_bytes);
	}
	mutex_exit(&bufcache_lock);
	return freed;
}

/*
 * The syncer: asleep while there is nothing to write; otherwise once a
 * second it starts the writes of the buffers dirty for syncdelay
 * seconds or more, and, woken by bdwrite when delayed writes came to
 * hold half the cache, those of the oldest until they hold a quarter.
 */
static void
syncer_thread(void *arg)
{
	struct buf *bp, *run[MAXCLUSTERBUFS];
	uint64_t now, delay;
	bool behind;
	int n, sd;

	(void)arg;
	mutex_enter(&bufcache_lock);
	for (;;) {
		while (TAILQ_EMPTY(&buf_dirtyq))
			cv_wait(&syncer_cv, &bufcache_lock);
		behind = buf_dirtybytes > bufstats.bs_maxbytes / 2;
		sd = atomic_load_relaxed(&syncdelay);
		delay = (uint64_t)MAX(sd, 0) * 1000000000ULL;
		now = getnsecuptime();
restart:
		TAILQ_FOREACH(bp, &buf_dirtyq, b_dirty) {
			if (bp->b_dirtytime + delay > now &&
			    (buf_dirtybytes <= bufstats.bs_maxbytes / 4 ||
			    !behind))
				break;
			/* Write-behind passes over what is used again. */
			if ((bp->b_flags & B_BUSY) ||
			    (bp->b_dirtytime + delay > now &&
			    (bp->b_flags & B_HOT)))
				continue;
			buf_take(bp);
			n = buf_gather(bp, run);
			mutex_exit(&bufcache_lock);
			buf_write_run(run, n);
			mutex_enter(&bufcache_lock);
			goto restart;
		}
		(void)cv_timedwait(&syncer_cv, &bufcache_lock, hz);
	}
}

/* Reboot: the file systems write their state, then the cache goes out. */
static void
bio_shutdown_hook(void *arg)
{
	(void)arg;
	vfs_sync_all();
	bio_syncall();
}

void
bio_init(void)
{
	struct sysctlnode *vfsnode;
	size_t lim, nbuckets;

	mutex_init(&bufcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&bufmem_cv, "bufmem");
	cv_init(&syncer_cv, "syncer");
	cv_init(&bufwrite_cv, "bufwrite");
	TAILQ_INIT(&buf_lru);
	TAILQ_INIT(&buf_hotq);
	TAILQ_INIT(&buf_dirtyq);
	lim = kmem_limit();
	bufstats.bs_maxbytes = lim != 0 ? MAX(lim / 4, BUFMEM_MIN) :
	    BUFMEM_DEFAULT;
	/*
	 * Chains of a buffer or two however full the cache is: a stream
	 * read ahead looks up blocks that are not there, walking chains.
	 */
	for (nbuckets = BUFHASH_MIN; nbuckets < bufstats.bs_maxbytes / 4096;)
		nbuckets *= 2;
	if ((bufhash = kmem_alloc(nbuckets * sizeof(*bufhash), KM_SLEEP)) ==
	    NULL)
		panic("bio_init: no memory for the buffer hash");
	for (size_t i = 0; i < nbuckets; i++)
		LIST_INIT(&bufhash[i]);
	bufhashmask = nbuckets - 1;

	bio_reclaimer.kr_reclaim = bio_reclaim;
	kmem_reclaimer_register(&bio_reclaimer);
	bio_shutdown.sh_func = bio_shutdown_hook;
	shutdown_hook_register(&bio_shutdown);
	if (sysctl_create(&vfsnode, NULL, CTL_VFS, "vfs", CTLTYPE_NODE,
	    CTLFLAG_READONLY, NULL, 0, NULL) != 0 ||
	    sysctl_create(NULL, vfsnode, VFS_SYNCDELAY, "syncdelay",
	    CTLTYPE_INT, CTLFLAG_READWRITE, &syncdelay, sizeof(syncdelay),
	    NULL) != 0)
		panic("bio_init: cannot make vfs.syncdelay");
	if (kthread_create(PRI_NONE, KTHREAD_MPSAFE, NULL, syncer_thread, NULL,
	    NULL, "syncer") != 0)
		panic("bio_init: cannot start the syncer");
}
