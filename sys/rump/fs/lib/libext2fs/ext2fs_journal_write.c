/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Journaled writes: a read-write mount of a file system with an internal
 * journal puts every metadata block it changes into the running
 * transaction instead of the cache's delayed writes, and file data in
 * order, as Linux's data=ordered (ext2fs_blk_write_data(); with
 * EXT2FS_ARGS_DATAJOURNAL data too goes through the log, as
 * data=journal), and commits it: at fsync, sync, an O_SYNC write,
 * unmount or remount to read-only, every commit= seconds, as soon as
 * no operation runs once it holds a quarter of what the log holds, and
 * at once when it holds all of it (inside an operation that big: a
 * crash just after it leaves that operation half done, for e2fsck).
 * The mount flag EXT2FS_ARGS_NOJOURNAL writes as without a journal.
 *
 * A commit costs two device flushes.  Transaction tid's log goes in
 * half tid & 1 of the ring (ext2fs_journal_region()), so it never
 * overwrites the log of tid - 1.  The commit writes the descriptors and
 * the copies there, then flushes the device: the barrier that takes
 * down, before anything says tid exists, its log, the file data it
 * orders (data=ordered) and the checkpoint of tid - 1.  Then the
 * journal superblock saying the log starts with tid, and tid's commit
 * block, and a flush: tid is durable, and the sync or fsync that asked
 * for it may return.  Then the checkpoint: the blocks go home as
 * delayed writes, taken down by the next commit's barrier (or the
 * unmount's, which also empties the log: ext2fs_jw_empty()).
 *
 * Why that is enough (JBD2's rules: a transaction's log before its
 * commit block; the commit block on the disk before its blocks go
 * home; the blocks home before the log that holds them is reused or
 * said empty): a crash before tid's second flush leaves the superblock
 * naming tid - 1, whose log is whole and whose replay puts home again
 * what is there already, or naming tid with or without its commit
 * block (replayed whole, or not at all).  Either way tid - 1's
 * checkpoint is down (tid's barrier).  A replay that has read tid's
 * commit block finds no tid + 1 after it (a transaction fills at most
 * its half less one block), so it stops there.  Blocks of a replayed
 * transaction freed since and reused for file data by a transaction
 * that did not commit are free again after the replay; file data is
 * never put in a block the running transaction freed (jw_freed).
 * needs_recovery is set on the disk by the mount's first change
 * (ext2fs_markdirty(), instead of clearing VALID_FS as without a
 * journal) and cleared at unmount, after the log is said empty.
 *
 * journal_async_commit (EXT2FS_ARGS_ASYNCCOMMIT, only with data=journal,
 * as Linux: ordered data could not wait for a flush that is not there):
 * a commit costs one flush.  Transactions follow each other in the ring
 * (ext2fs_journal_async(): each at most a third of it), and tid's log,
 * its commit block and the journal superblock naming tid - 1 (tid
 * itself on the first commit after an empty log) go down together in
 * that one flush, with the checkpoint of tid - 1 issued after its own.
 * A crash before the flush is down leaves the superblock naming tid - 2
 * or tid - 1, both of whose logs are whole (tid never reaches them),
 * and tid's commit block with or without all of tid: the replay checks
 * the copies against the commit's checksums (v3 tags, or the v1
 * transaction crc) and drops a torn tid; replaying tid - 2 and tid - 1
 * again puts home what may be home already, and redoes a checkpoint of
 * tid - 1 the crash cut.  The journal gets incompat async_commit, and
 * checksums (v3 with metadata_csum, else v1) when it had none.
 *
 * Reads see the transaction: ext2fs_jw_overlay() puts the kept
 * contents in place of what the cache or the disk has.
 *
 * The commit timer: a thread commits what is pending every commit=
 * seconds (EXT2FS_ARGS' commit, 5 by default, as Linux).  It only
 * tries em_lock, so that ext2fs_jw_stop(), called with em_lock held,
 * can wait for it to end.
 *
 * Locking: everything with em_lock held as writer (every change holds
 * it), except the read overlay, under em_lock as reader; jw_tlock
 * guards the timer's stop flag.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mutex.h>
#include <sys/param.h>

#include "ext2fs_jbd2.h"
#include "ext2fs_vfs.h"

/* The running transaction: blocks and their new contents. */
struct ext2fs_jw {
	struct ext2fs_journal *jw_j;
	uint32_t jw_bsize;
	uint32_t jw_tid;                /* the running transaction's */
	uint32_t jw_soft;               /* blocks to wake the timer at */
	uint32_t jw_max;                /* blocks to commit at, at once */
	size_t jw_n, jw_cap;
	uint64_t *jw_blk;               /* [jw_cap] */
	uint8_t **jw_data;              /* [jw_cap] */
	uint32_t *jw_next;              /* [jw_cap] hash chains, index + 1 */
	uint32_t *jw_bucket;            /* [1 << jw_bits] */
	uint32_t jw_bits;
	uint8_t *jw_buf;                /* a log block being written */
	bool jw_incommit;               /* the superblock joins: no commit */
	uint64_t jw_interval;           /* commit timer, ns */
	struct lwp *jw_timer;
	kmutex_t jw_tlock;
	kcondvar_t jw_tcv;
	bool jw_tstop;                  /* jw_tlock */
	bool jw_hurry;                  /* jw_tlock: commit at the next chance */
	bool jw_datajournal;            /* file data through the log too */
	bool jw_async;                  /* async commits: one flush each */
	/* Blocks freed by the running transaction (no data goes there). */
	uint64_t *jw_freed;             /* [jw_fcap], open addressing */
	size_t jw_nfreed, jw_fcap;      /* jw_fcap a power of 2, or 0 */
};

static uint32_t
jw_hash(const struct ext2fs_jw *jw, uint64_t b)
{
	return (uint32_t)((b * 0x9E3779B97F4A7C15ull) >> (64 - jw->jw_bits));
}

static uint8_t *
jw_find(const struct ext2fs_jw *jw, uint64_t b)
{
	for (uint32_t i = jw->jw_bucket[jw_hash(jw, b)]; i != 0;
	    i = jw->jw_next[i - 1])
		if (jw->jw_blk[i - 1] == b)
			return jw->jw_data[i - 1];
	return NULL;
}

/* Forget the transaction's blocks (committed and home, or abandoned). */
static void
jw_clear(struct ext2fs_jw *jw)
{
	for (size_t i = 0; i < jw->jw_n; i++)
		kmem_free(jw->jw_data[i], jw->jw_bsize);
	memset(jw->jw_bucket, 0, sizeof(uint32_t) << jw->jw_bits);
	jw->jw_n = 0;
	if (jw->jw_fcap > 0)
		memset(jw->jw_freed, 0, jw->jw_fcap * sizeof(uint64_t));
	jw->jw_nfreed = 0;
}

/* The freed set: block numbers + 1 (0: an empty slot). */
static bool
freed_has(const struct ext2fs_jw *jw, uint64_t b)
{
	size_t mask = jw->jw_fcap - 1, i;

	if (jw->jw_fcap == 0)
		return false;
	for (i = (size_t)(b * 0x9E3779B97F4A7C15ull) & mask;
	    jw->jw_freed[i] != 0; i = (i + 1) & mask)
		if (jw->jw_freed[i] == b + 1)
			return true;
	return false;
}

static int
freed_add(struct ext2fs_jw *jw, uint64_t b)
{
	uint64_t *old = jw->jw_freed;
	size_t ocap = jw->jw_fcap, i, mask;

	if (freed_has(jw, b))
		return 0;
	if ((jw->jw_nfreed + 1) * 2 > jw->jw_fcap) {
		jw->jw_fcap = ocap == 0 ? 64 : ocap * 2;
		if ((jw->jw_freed = kmem_zalloc(jw->jw_fcap * sizeof(uint64_t),
		    KM_SLEEP)) == NULL) {
			jw->jw_freed = old;
			jw->jw_fcap = ocap;
			return ENOMEM;
		}
		jw->jw_nfreed = 0;
		for (i = 0; i < ocap; i++)
			if (old[i] != 0)
				(void)freed_add(jw, old[i] - 1);
		if (old != NULL)
			kmem_free(old, ocap * sizeof(uint64_t));
	}
	mask = jw->jw_fcap - 1;
	for (i = (size_t)(b * 0x9E3779B97F4A7C15ull) & mask;
	    jw->jw_freed[i] != 0; i = (i + 1) & mask)
		continue;
	jw->jw_freed[i] = b + 1;
	jw->jw_nfreed++;
	return 0;
}

/*
 * Block b was freed by the running transaction: until it commits, b
 * still holds what the last commit put there, so file data written to
 * it goes through the log too (ext2fs_blk_write_data()).
 */
int
ext2fs_jw_freed(struct ext2fs_mount *em, uint64_t b)
{
	KASSERT(rw_write_held(&em->em_lock));
	if (em->em_jw == NULL)
		return 0;
	return freed_add(em->em_jw, b);
}

/*
 * A block of file data, changed (ordered data, as Linux's default):
 * written home directly (the commit's first flush takes it down before
 * the commit block, so no commit ever points at data not there yet),
 * unless the block was freed by the running transaction (its committed
 * contents must stay), holds metadata of it, or the mount journals
 * data: then into the transaction.
 */
int
ext2fs_blk_write_data(struct ext2fs_mount *em, struct buf *bp, bool sync)
{
	struct ext2fs_jw *jw = em->em_jw;
	uint64_t b;

	if (jw == NULL || jw->jw_datajournal)
		return ext2fs_blk_write(em, bp, sync);
	b = (uint64_t)bp->b_blkno >> (em->em_fs->e2_bshift - DEV_BSHIFT);
	if (freed_has(jw, b) || jw_find(jw, b) != NULL)
		return ext2fs_blk_write(em, bp, sync);
	if (sync) {
		int error;

		if ((error = ext2fs_markdirty(em)) != 0) {
			brelse(bp, B_INVAL);
			return error;
		}
		return bwrite(bp);
	}
	return ext2fs_blk_write_direct(em, bp);
}

/* The commit timer's thread. */
static void
jw_timer(void *arg)
{
	struct ext2fs_mount *em = arg;
	struct ext2fs_jw *jw = em->em_jw;

	mutex_enter(&jw->jw_tlock);
	while (!jw->jw_tstop) {
		/* In a hurry: try again within a millisecond. */
		(void)cv_timedwait_ns(&jw->jw_tcv, &jw->jw_tlock,
		    jw->jw_hurry ? 1000000 : jw->jw_interval);
		if (jw->jw_tstop)
			break;
		mutex_exit(&jw->jw_tlock);
		if (rw_tryenter(&em->em_lock, RW_WRITER)) {
			(void)ext2fs_jw_commit(em);
			rw_exit(&em->em_lock);
		}
		mutex_enter(&jw->jw_tlock);
	}
	mutex_exit(&jw->jw_tlock);
	kthread_exit(0);
}

void
ext2fs_jw_stop(struct ext2fs_mount *em)
{
	struct ext2fs_jw *jw = em->em_jw;

	if (jw == NULL)
		return;
	if (jw->jw_timer != NULL) {
		mutex_enter(&jw->jw_tlock);
		jw->jw_tstop = true;
		cv_broadcast(&jw->jw_tcv);
		mutex_exit(&jw->jw_tlock);
		(void)kthread_join(jw->jw_timer);
	}
	mutex_destroy(&jw->jw_tlock);
	cv_destroy(&jw->jw_tcv);
	jw_clear(jw);
	kmem_free(jw->jw_blk, jw->jw_cap * sizeof(uint64_t));
	kmem_free(jw->jw_data, jw->jw_cap * sizeof(uint8_t *));
	kmem_free(jw->jw_next, jw->jw_cap * sizeof(uint32_t));
	kmem_free(jw->jw_bucket, sizeof(uint32_t) << jw->jw_bits);
	kmem_free(jw->jw_buf, jw->jw_bsize);
	if (jw->jw_freed != NULL)
		kmem_free(jw->jw_freed, jw->jw_fcap * sizeof(uint64_t));
	ext2fs_journal_free(jw->jw_j);
	kmem_free(jw, sizeof(*jw));
	em->em_jw = NULL;
}

/* The journal superblock's buffer, read. */
static int
jw_sbread(struct ext2fs_mount *em, struct buf **bpp)
{
	struct ext2fs_jw *jw = em->em_jw;

	return bread(em->em_devvp, (daddr_t)(ext2fs_journal_sbblock(
	    jw->jw_j) << (em->em_fs->e2_bshift - DEV_BSHIFT)),
	    (int)jw->jw_bsize, 0, bpp);
}

/* Async commits asked for: as Linux, with data=journal only. */
static int
jw_async_start(struct ext2fs_mount *em)
{
	struct ext2fs_jw *jw = em->em_jw;
	struct buf *bp;
	int error;

	if (!em->em_datajournal) {
		log(LOG_NOTICE, "ext2fs: %s: journal_async_commit needs "
		    "data=journal", em->em_name);
		return EINVAL;
	}
	if ((error = jw_sbread(em, &bp)) != 0)
		return error;
	error = ext2fs_journal_async(jw->jw_j, bp->b_data,
	    em->em_fs->e2_metadata_csum);
	brelse(bp, 0);
	if (error == EINVAL)
		log(LOG_NOTICE, "ext2fs: %s: journal_async_commit needs a "
		    "version 2 journal superblock", em->em_name);
	return error;
}

/*
 * At the start of a read-write mount (after any replay): journal the
 * writes of a file system with an internal journal.
 */
int
ext2fs_jw_start(struct ext2fs_mount *em)
{
	const struct ext2fs *fs = em->em_fs;
	struct ext2fs_jw *jw;
	int error;

	if ((fs->e2_compat & EXT2F_COMPAT_HAS_JOURNAL) == 0 ||
	    ext2_le32(fs->e2_sb + EXT2_SB_JOURNAL_INUM) == 0 ||
	    em->em_nojournal)
		return 0;
	if ((jw = kmem_zalloc(sizeof(*jw), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2fs_journal_open(fs, &jw->jw_j)) != 0) {
		kmem_free(jw, sizeof(*jw));
		return error;
	}
	mutex_init(&jw->jw_tlock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&jw->jw_tcv, "ext2jw");
	em->em_jw = jw;
	jw->jw_bsize = fs->e2_bsize;
	jw->jw_datajournal = em->em_datajournal;
	jw->jw_tid = ext2fs_journal_seq(jw->jw_j);
	if (em->em_asynccommit && (error = jw_async_start(em)) != 0) {
		ext2fs_jw_stop(em);
		return error;
	}
	jw->jw_async = em->em_asynccommit;
	jw->jw_max = MAX(ext2fs_journal_maxblocks(jw->jw_j), 2) - 1;
	jw->jw_soft = MAX(jw->jw_max / 4, 1);
	jw->jw_cap = jw->jw_max + 1;
	for (jw->jw_bits = 4; jw->jw_bits < 16 &&
	    (1u << jw->jw_bits) < jw->jw_cap; jw->jw_bits++)
		continue;
	jw->jw_blk = kmem_alloc(jw->jw_cap * sizeof(uint64_t), KM_SLEEP);
	jw->jw_data = kmem_alloc(jw->jw_cap * sizeof(uint8_t *), KM_SLEEP);
	jw->jw_next = kmem_alloc(jw->jw_cap * sizeof(uint32_t), KM_SLEEP);
	jw->jw_bucket = kmem_zalloc(sizeof(uint32_t) << jw->jw_bits, KM_SLEEP);
	jw->jw_buf = kmem_alloc(jw->jw_bsize, KM_SLEEP);
	if (jw->jw_blk == NULL || jw->jw_data == NULL || jw->jw_next == NULL ||
	    jw->jw_bucket == NULL || jw->jw_buf == NULL) {
		ext2fs_jw_stop(em);
		return ENOMEM;
	}
	jw->jw_interval = (uint64_t)(em->em_commit > 0 ? em->em_commit :
	    EXT2FS_COMMIT_DEFAULT) * 1000000000ull;
	if ((error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
	    KTHREAD_MUSTJOIN, NULL, jw_timer, em, &jw->jw_timer,
	    "ext2commit")) != 0) {
		jw->jw_timer = NULL;
		ext2fs_jw_stop(em);
		return error;
	}
	return 0;
}

/* The journal superblock, read, changed and handed to the disk. */
static int
jw_setlog(struct ext2fs_mount *em, bool start, uint32_t tid)
{
	struct buf *bp;
	int error;

	if ((error = jw_sbread(em, &bp)) != 0)
		return error;
	ext2fs_journal_setlog(em->em_jw->jw_j, bp->b_data, start, tid);
	bawrite(bp);
	return 0;
}

/* The journal superblock for an async commit of tid (see the top). */
static int
jw_setlog_async(struct ext2fs_mount *em, uint32_t tid, bool first)
{
	struct buf *bp;
	int error;

	if ((error = jw_sbread(em, &bp)) != 0)
		return error;
	ext2fs_journal_setlog_async(em->em_jw->jw_j, bp->b_data, tid, first);
	bawrite(bp);
	return 0;
}

static int
devflush(struct ext2fs_mount *em)
{
	int error;

	if ((error = vflushbuf(em->em_devvp, FSYNC_WAIT)) != 0)
		return error;
	return VOP_FSYNC(em->em_devvp, false);
}

/* Log block data (of jw_bsize bytes) to device block dev, not waited for. */
static void
jw_logwrite(struct ext2fs_mount *em, uint64_t dev, const void *data)
{
	struct ext2fs_jw *jw = em->em_jw;
	struct buf *bp;

	bp = getblk(em->em_devvp, (daddr_t)(dev << (em->em_fs->e2_bshift -
	    DEV_BSHIFT)), (int)jw->jw_bsize, 0, 0);
	memcpy(bp->b_data, data, jw->jw_bsize);
	bawrite(bp);
}

/* Commit the running transaction and checkpoint it (see the top). */
int
ext2fs_jw_commit(struct ext2fs_mount *em)
{
	struct ext2fs_jw *jw = em->em_jw;
	uint64_t dev;
	bool done = false, first;
	int error;

	KASSERT(rw_write_held(&em->em_lock));
	if (jw == NULL || jw->jw_n == 0)
		return 0;
	first = ext2fs_journal_isempty(jw->jw_j);
	/* The superblock's totals go with the transaction. */
	ext2_set_le32(em->em_fs->e2_sb + EXT2_SB_FREE_BLOCKS_LO,
	    (uint32_t)em->em_free_blocks);
	ext2_set_le32(em->em_fs->e2_sb + EXT2_SB_FREE_INODES,
	    em->em_free_inodes);
	jw->jw_incommit = true;
	error = ext2fs_sb_write(em, false);
	jw->jw_incommit = false;
	if (error != 0)
		goto fail;
	ext2fs_journal_region(jw->jw_j, jw->jw_tid);
	for (uint32_t l = 0;; l++) {
		(void)ext2fs_journal_logblock(jw->jw_j, jw->jw_tid, jw->jw_n,
		    jw->jw_blk, jw->jw_data, l, jw->jw_buf, &dev, &done);
		if (done)
			break;
		jw_logwrite(em, dev, jw->jw_buf);
	}
	if (jw->jw_async) {
		/* Async: the commit goes with the log, one flush for both. */
		jw_logwrite(em, dev, jw->jw_buf);
		if ((error = jw_setlog_async(em, jw->jw_tid, first)) != 0 ||
		    (error = devflush(em)) != 0)
			goto fail;
	} else {
		/* The barrier; then the log starts with tid, and its commit. */
		if ((error = devflush(em)) != 0 ||
		    (error = jw_setlog(em, true, jw->jw_tid)) != 0)
			goto fail;
		jw_logwrite(em, dev, jw->jw_buf);
		if ((error = devflush(em)) != 0)
			goto fail;
	}
	/* Committed: the checkpoint, down at the next barrier. */
	for (size_t i = 0; i < jw->jw_n; i++)
		jw_logwrite(em, jw->jw_blk[i], jw->jw_data[i]);
	jw->jw_tid++;
	jw_clear(jw);
	if (jw->jw_timer != NULL) {
		mutex_enter(&jw->jw_tlock);
		jw->jw_hurry = false;
		mutex_exit(&jw->jw_tlock);
	}
	return 0;
fail:
	log(LOG_ERR, "ext2fs: %s: error %d committing journal transaction %u",
	    em->em_name, error, jw->jw_tid);
	return error;
}

/*
 * After the last commit (unmount, remount read-only): the checkpoint
 * down, then the log said empty, down too, before needs_recovery goes.
 */
int
ext2fs_jw_empty(struct ext2fs_mount *em)
{
	struct ext2fs_jw *jw = em->em_jw;
	int error;

	KASSERT(rw_write_held(&em->em_lock));
	KASSERT(jw->jw_n == 0);
	if (ext2fs_journal_isempty(jw->jw_j))
		return 0;
	if ((error = devflush(em)) != 0 ||
	    (error = jw_setlog(em, false, jw->jw_tid)) != 0)
		return error;
	return devflush(em);
}

/*
 * Instead of a delayed write: bp's contents into the transaction, bp
 * released clean (the disk must not see it before the commit).
 */
int
ext2fs_jw_add(struct ext2fs_mount *em, struct buf *bp)
{
	struct ext2fs_jw *jw = em->em_jw;
	uint64_t b = (uint64_t)bp->b_blkno >> (em->em_fs->e2_bshift -
	    DEV_BSHIFT);
	uint8_t *d;
	uint32_t h;
	int error;

	KASSERT(rw_write_held(&em->em_lock));
	KASSERT((size_t)bp->b_bcount == jw->jw_bsize);
	if ((d = jw_find(jw, b)) == NULL) {
		/*
		 * A quarter of the log: the timer commits as soon as no
		 * operation holds em_lock.  A full log (one operation that
		 * big): here, inside it.  Room for one more (the
		 * superblock) stays in jw_cap.
		 */
		if (jw->jw_n >= jw->jw_soft && jw->jw_timer != NULL) {
			mutex_enter(&jw->jw_tlock);
			if (!jw->jw_hurry) {
				jw->jw_hurry = true;
				cv_broadcast(&jw->jw_tcv);
			}
			mutex_exit(&jw->jw_tlock);
		}
		if (jw->jw_n >= jw->jw_max && !jw->jw_incommit &&
		    (error = ext2fs_jw_commit(em)) != 0) {
			brelse(bp, 0);
			return error;
		}
		if ((d = kmem_alloc(jw->jw_bsize, KM_SLEEP)) == NULL) {
			brelse(bp, 0);
			return ENOMEM;
		}
		h = jw_hash(jw, b);
		jw->jw_blk[jw->jw_n] = b;
		jw->jw_data[jw->jw_n] = d;
		jw->jw_next[jw->jw_n] = jw->jw_bucket[h];
		jw->jw_bucket[h] = (uint32_t)++jw->jw_n;
	}
	memcpy(d, bp->b_data, jw->jw_bsize);
	/*
	 * A delayed write of data there (a block reused within the
	 * transaction) must not reach the disk now: forget it; reads
	 * find the contents here.
	 */
	brelse(bp, (bp->b_flags & B_DELWRI) ? B_INVAL : 0);
	return 0;
}

/* Reads: the transaction's contents over bytes [off, off + len). */
void
ext2fs_jw_overlay(struct ext2fs_mount *em, uint64_t off, void *buf,
    size_t len)
{
	struct ext2fs_jw *jw = em->em_jw;
	uint32_t bshift = em->em_fs->e2_bshift;
	uint64_t b, bstart, lo, hi;
	const uint8_t *d;

	if (jw->jw_n == 0)
		return;
	for (b = off >> bshift; (b << bshift) < off + len; b++) {
		if ((d = jw_find(jw, b)) == NULL)
			continue;
		bstart = b << bshift;
		lo = MAX(bstart, off);
		hi = MIN(bstart + jw->jw_bsize, off + len);
		memcpy((uint8_t *)buf + (lo - off), d + (lo - bstart),
		    (size_t)(hi - lo));
	}
}

/*
 * The superblock (fs->e2_sb) written home now, outside any transaction
 * (the transaction is empty: the mount's first change, or after the
 * last commit at unmount).
 */
int
ext2fs_jw_sbwrite(struct ext2fs_mount *em)
{
	struct ext2fs *fs = em->em_fs;
	struct buf *bp;
	int error;

	KASSERT(em->em_jw->jw_n == 0);
	ext2fs_sb_csum_set(fs);
	if ((error = bread(em->em_devvp, (daddr_t)((EXT2_SB_OFFSET >>
	    fs->e2_bshift) << (fs->e2_bshift - DEV_BSHIFT)),
	    (int)fs->e2_bsize, 0, &bp)) != 0)
		return error;
	memcpy((char *)bp->b_data + (EXT2_SB_OFFSET & (fs->e2_bsize - 1)),
	    fs->e2_sb, EXT2_SB_SIZE);
	if ((error = bwrite(bp)) != 0)
		return error;
	return VOP_FSYNC(em->em_devvp, false);
}
