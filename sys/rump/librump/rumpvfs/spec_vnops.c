/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Device vnodes: the part of a device node's operations that goes to
 * its driver through the device switch (sys/conf.h).  A character
 * node's reads and writes go to the driver as they are; a block node's
 * go through the buffer cache in BLKDEV_IOSIZE blocks, so that a client
 * reading the device and a file system mounted from it see one copy of
 * each block, and the driver sees only whole-block strategy calls.
 *
 *   rump_sys_read(fd) -> vn_read -> spec_read -> bread(vp) -> VOP_STRATEGY
 *   -> spec_strategy -> d_strategy (the driver) ... biodone
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "dev_private.h"

#define BLKDEV_IOSIZE 4096

static const struct devsw *
spec_devsw(struct vnode *vp)
{
	const struct devsw *d = devsw_lookup(vp->v_rdev);

	if (d != NULL && vp->v_type == VBLK && d->d_strategy == NULL)
		return NULL;
	return d;
}

int
spec_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	const struct devsw *d;

	(void)cred;
	if ((d = spec_devsw(vp)) == NULL)
		return ENXIO;
	return d->d_open(vp->v_rdev, fflag);
}

/*
 * A writer's close leaves nothing of its writes in the cache only: what
 * close(2) returned for reaches the driver (not stable storage: fsync).
 */
int
spec_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	const struct devsw *d;
	int error = 0;

	(void)cred;
	if ((d = spec_devsw(vp)) == NULL)
		return ENXIO;
	if (vp->v_type == VBLK && (fflag & FWRITE))
		error = vflushbuf(vp, FSYNC_WAIT);
	d->d_close(vp->v_rdev, fflag);
	return error;
}

static int
spec_blksize(const struct devsw *d, dev_t dev, uint64_t *sizep,
    size_t *bsizep)
{
	unsigned secsize;
	int error;

	if ((error = d->d_size(dev, sizep, &secsize)) != 0)
		return error;
	*bsizep = MAX(BLKDEV_IOSIZE, secsize);
	if (*bsizep > MAXBSIZE || *bsizep % DEV_BSIZE != 0)
		return ENXIO;
	return 0;
}

int
spec_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	const struct devsw *d;
	struct buf *bp;
	uint64_t size, off;
	size_t bsize, on, n;
	int error;

	(void)cred;
	if ((d = spec_devsw(vp)) == NULL)
		return ENXIO;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (vp->v_type == VCHR)
		return d->d_read(vp->v_rdev, uio, ioflag);
	if ((error = spec_blksize(d, vp->v_rdev, &size, &bsize)) != 0)
		return error;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		off = (uint64_t)uio->uio_offset;
		on = off % bsize;
		n = MIN(bsize - on, uio->uio_resid);
		n = MIN(n, size - off);
		if ((error = bread(vp, (daddr_t)((off - on) / DEV_BSIZE),
		    (int)bsize, 0, &bp)) != 0)
			return error;
		error = uiomove((char *)bp->b_data + on, n, uio);
		brelse(bp, 0);
		if (error)
			return error;
	}
	return 0;
}

int
spec_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	const struct devsw *d;
	struct buf *bp;
	uint64_t size, off;
	size_t bsize, on, n;
	int error = 0;

	(void)cred;
	if ((d = spec_devsw(vp)) == NULL)
		return ENXIO;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (vp->v_type == VCHR)
		return d->d_write(vp->v_rdev, uio, ioflag);
	if ((error = spec_blksize(d, vp->v_rdev, &size, &bsize)) != 0)
		return error;
	if (uio->uio_resid > 0 && (uint64_t)uio->uio_offset >= size)
		return ENOSPC;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		off = (uint64_t)uio->uio_offset;
		on = off % bsize;
		n = MIN(bsize - on, uio->uio_resid);
		n = MIN(n, size - off);
		if (n == bsize) {
			bp = getblk(vp, (daddr_t)(off / DEV_BSIZE), (int)bsize,
			    0, 0);
			if (bp == NULL)
				return ENOMEM;
		} else if ((error = bread(vp, (daddr_t)((off - on) / DEV_BSIZE),
		    (int)bsize, 0, &bp)) != 0)
			return error;
		if ((error = uiomove((char *)bp->b_data + on, n, uio)) != 0) {
			/* A whole block half copied is not the block. */
			brelse(bp, n == bsize ? B_INVAL : 0);
			return error;
		}
		if (ioflag & IO_SYNC) {
			if ((error = bwrite(bp)) != 0)
				return error;
		} else
			bdwrite(bp);
	}
	return 0;
}

int
spec_fsync(struct vnode *vp, bool dataonly)
{
	const struct devsw *d;
	int error = 0, error2;

	(void)dataonly;
	if ((d = spec_devsw(vp)) == NULL)
		return ENXIO;
	if (vp->v_type == VBLK)
		error = vflushbuf(vp, FSYNC_WAIT);
	error2 = d->d_sync(vp->v_rdev);
	return error != 0 ? error : error2;
}

void
spec_strategy(struct vnode *vp, struct buf *bp)
{
	const struct devsw *d;

	if (vp->v_type != VBLK || (d = spec_devsw(vp)) == NULL) {
		bp->b_error = ENXIO;
		bp->b_resid = bp->b_bcount;
		biodone(bp);
		return;
	}
	bp->b_dev = vp->v_rdev;
	d->d_strategy(bp);
}

/* A device's size is the driver's, not the node's. */
void
spec_getattr_fix(struct vnode *vp, struct vattr *va)
{
	const struct devsw *d;
	uint64_t size;
	unsigned secsize;

	if ((d = spec_devsw(vp)) != NULL &&
	    d->d_size(vp->v_rdev, &size, &secsize) == 0) {
		va->va_size = (off_t)size;
		va->va_blocksize = vp->v_type == VBLK ?
		    MAX(BLKDEV_IOSIZE, secsize) : secsize;
	}
}

/* Buffers are named by the vnode: none may outlive it. */
void
spec_reclaim(struct vnode *vp)
{
	if (vp->v_type == VBLK)
		(void)vinvalbuf(vp);
}
