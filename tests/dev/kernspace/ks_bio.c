/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The buffer cache from inside the kernel, as a disk file system uses
 * it: a device opened with vfs_opendev, blocks through bread, getblk,
 * bdwrite, bwrite, bawrite and brelse.  Called by tests/dev/t_bio.c.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/disk.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <rump/rump.h>

#include "bio_test.h"

static struct vnode *test_devvp;        /* between open and close */

int
rump_test_bio_open(const char *path)
{
	int error;

	rump_schedule();
	/* As a system call would: the lwp's credential is its process's. */
	lwp_cred_refresh(curlwp);
	error = vfs_opendev(path, FREAD | FWRITE, &test_devvp);
	rump_unschedule();
	return error;
}

int
rump_test_bio_close(void)
{
	if (test_devvp == NULL)
		return EINVAL;
	rump_schedule();
	vfs_closedev(test_devvp, FREAD | FWRITE);
	test_devvp = NULL;
	rump_unschedule();
	return 0;
}

int
rump_test_bio_write(int64_t blkno, int size, int fill, int how, int whole)
{
	struct buf *bp;
	int error = 0;

	rump_schedule();
	if (whole) {
		if ((bp = getblk(test_devvp, blkno, size, 0, 0)) == NULL)
			error = ENOMEM;
	} else
		error = bread(test_devvp, blkno, size, 0, &bp);
	if (error == 0) {
		memset(bp->b_data, fill, (size_t)size);
		switch (how) {
		case 0:
			bdwrite(bp);
			break;
		case 1:
			error = bwrite(bp);
			break;
		default:
			bawrite(bp);
			break;
		}
	}
	rump_unschedule();
	return error;
}

int
rump_test_bio_note(int64_t blkno, int size, int op, uint64_t set,
    uint64_t *gotp)
{
	struct buf *bp;
	int error = 0;

	*gotp = 0;
	rump_schedule();
	if (op == BIO_NOTE_FORGET) {
		binvalblk(test_devvp, blkno);
		goto out;
	}
	if (op == BIO_NOTE_GETBLK) {
		if ((bp = getblk(test_devvp, blkno, size, 0, 0)) == NULL) {
			error = ENOMEM;
			goto out;
		}
	} else if ((error = bread(test_devvp, blkno, size, 0, &bp)) != 0)
		goto out;
	*gotp = bp->b_fschecked;
	bp->b_fschecked = set;
	switch (op) {
	case BIO_NOTE_BDWRITE:
		bdwrite(bp);
		break;
	case BIO_NOTE_BWRITE:
		error = bwrite(bp);
		break;
	case BIO_NOTE_BAWRITE:
		bawrite(bp);
		error = vflushbuf(test_devvp, FSYNC_WAIT);
		break;
	case BIO_NOTE_INVAL:
		brelse(bp, B_INVAL);
		break;
	case BIO_NOTE_ALLOCBUF:
		if ((error = allocbuf(bp, 2 * size)) == 0)
			error = allocbuf(bp, size);
		brelse(bp, 0);
		break;
	default:
		brelse(bp, 0);
		break;
	}
out:
	rump_unschedule();
	return error;
}

int
rump_test_bio_flush(void)
{
	int error;

	rump_schedule();
	error = vflushbuf(test_devvp, FSYNC_WAIT);
	rump_unschedule();
	return error;
}

int
rump_test_bio_read(int64_t blkno, int size, void *out)
{
	struct buf *bp;
	int error;

	rump_schedule();
	if ((error = bread(test_devvp, blkno, size, 0, &bp)) == 0) {
		memcpy(out, bp->b_data, (size_t)size);
		brelse(bp, 0);
	}
	rump_unschedule();
	return error;
}

int
rump_test_bio_readahead(int64_t blkno, int size, int n)
{
	daddr_t rablks[128];
	int rasizes[128];
	struct buf *bp;
	int error, i;

	if (n > 128)
		return EINVAL;
	for (i = 0; i < n; i++) {
		rablks[i] = blkno + (i + 1) * (size / DEV_BSIZE);
		rasizes[i] = size;
	}
	rump_schedule();
	if ((error = breadn(test_devvp, blkno, size, rablks, rasizes, n, 0,
	    &bp)) == 0)
		brelse(bp, 0);
	rump_unschedule();
	return error;
}

struct conc {
	kmutex_t c_lock;
	kcondvar_t c_cv;
	bool c_go;
	int c_left;
	int c_error;
	int64_t c_blkno;
	int c_size;
};

static void
conc_reader(void *arg)
{
	struct conc *c = arg;
	struct buf *bp;
	int error;

	mutex_enter(&c->c_lock);
	while (!c->c_go)
		cv_wait(&c->c_cv, &c->c_lock);
	mutex_exit(&c->c_lock);
	error = bread(test_devvp, c->c_blkno, c->c_size, 0, &bp);
	if (error == 0)
		brelse(bp, 0);
	mutex_enter(&c->c_lock);
	if (error != 0)
		c->c_error = error;
	c->c_left--;
	cv_broadcast(&c->c_cv);
	mutex_exit(&c->c_lock);
	kthread_exit(0);
}

int
rump_test_bio_concurrent(int nthreads, int64_t blkno, int size)
{
	struct conc c = { .c_left = 0, .c_blkno = blkno, .c_size = size };
	int i, error = 0;

	rump_schedule();
	mutex_init(&c.c_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&c.c_cv, "bioconc");
	for (i = 0; i < nthreads; i++) {
		if ((error = kthread_create(PRI_NONE, KTHREAD_MPSAFE, NULL,
		    conc_reader, &c, NULL, "bioconc")) != 0)
			break;
		mutex_enter(&c.c_lock);
		c.c_left++;
		mutex_exit(&c.c_lock);
	}
	mutex_enter(&c.c_lock);
	c.c_go = true;
	cv_broadcast(&c.c_cv);
	while (c.c_left > 0)
		cv_wait(&c.c_cv, &c.c_lock);
	if (error == 0)
		error = c.c_error;
	mutex_exit(&c.c_lock);
	cv_destroy(&c.c_cv);
	mutex_destroy(&c.c_lock);
	rump_unschedule();
	return error;
}

int
rump_test_bio_stats(uint64_t *reads, uint64_t *writes, uint64_t *hits,
    uint64_t *bytes, uint64_t *maxbytes, size_t *kmemused)
{
	rump_schedule();
	*reads = __atomic_load_n(&bufstats.bs_reads, __ATOMIC_RELAXED);
	*writes = __atomic_load_n(&bufstats.bs_writes, __ATOMIC_RELAXED);
	*hits = __atomic_load_n(&bufstats.bs_hits, __ATOMIC_RELAXED);
	*bytes = __atomic_load_n(&bufstats.bs_bytes, __ATOMIC_RELAXED);
	*maxbytes = bufstats.bs_maxbytes;
	*kmemused = kmem_used();
	rump_unschedule();
	return 0;
}
