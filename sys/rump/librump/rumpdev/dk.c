/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Partitions as block devices (rump/rumpdisk.h).  rump_pub_disk_scan()
 * opens the parent disk's driver, hands its sectors to the table
 * readers (disk_mbr.c, disk_gpt.c) and makes one "dk" unit per
 * partition, with a device node "<disk>p<N>".  A dk unit is a window:
 * each transfer is checked against the partition's size and shifted by
 * its offset, then goes to the parent's driver; opening a unit opens
 * the parent, so the parent cannot go while a partition is in use.
 *
 *   mount -> vfs_opendev("/dev/xp2") -> dk_open -> parent d_open
 *   bread -> spec_strategy -> dk_strategy -> b_blkno += offset ->
 *   parent d_strategy -> biodone
 *
 * Locking: (l) dk_lock, (c) stable while the unit is on the list (a
 * unit leaves it only when not open).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/conf.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rump/rump.h>

#include "disk_format.h"
#include "disk_private.h"

struct dk {
	LIST_ENTRY(dk) dk_list;         /* l */
	dev_t dk_dev;                   /* c */
	dev_t dk_parent;                /* c */
	unsigned dk_index;              /* c */
	uint64_t dk_off;                /* c: bytes */
	uint64_t dk_size;               /* c: bytes */
	unsigned dk_opencnt;            /* l */
	char dk_path[128];              /* c: its node */
};

static kmutex_t dk_lock;
static LIST_HEAD(, dk) dk_units;        /* l */
static unsigned dk_major;
static unsigned dk_nextminor;           /* l */

/* A copy of unit dev's record; ENXIO if there is none. */
static int
dk_get(dev_t dev, struct dk *copy)
{
	struct dk *dk;

	mutex_enter(&dk_lock);
	LIST_FOREACH(dk, &dk_units, dk_list)
		if (dk->dk_dev == dev)
			break;
	if (dk != NULL)
		*copy = *dk;
	mutex_exit(&dk_lock);
	return dk == NULL ? ENXIO : 0;
}

static int
dk_open(dev_t dev, int fflag)
{
	const struct devsw *pd;
	struct dk c, *dk;
	int error;

	if ((error = dk_get(dev, &c)) != 0)
		return error;
	if ((pd = devsw_lookup(c.dk_parent)) == NULL)
		return ENXIO;
	if ((error = pd->d_open(c.dk_parent, fflag)) != 0)
		return error;
	mutex_enter(&dk_lock);
	LIST_FOREACH(dk, &dk_units, dk_list)
		if (dk->dk_dev == dev)
			break;
	if (dk != NULL)
		dk->dk_opencnt++;
	mutex_exit(&dk_lock);
	if (dk == NULL) {
		(void)pd->d_close(c.dk_parent, fflag);
		return ENXIO;
	}
	return 0;
}

static int
dk_close(dev_t dev, int fflag)
{
	const struct devsw *pd;
	struct dk *dk;
	dev_t parent = 0;

	mutex_enter(&dk_lock);
	LIST_FOREACH(dk, &dk_units, dk_list)
		if (dk->dk_dev == dev)
			break;
	if (dk != NULL) {
		KASSERT(dk->dk_opencnt > 0);
		dk->dk_opencnt--;
		parent = dk->dk_parent;
	}
	mutex_exit(&dk_lock);
	if (dk == NULL)
		return ENXIO;
	if ((pd = devsw_lookup(parent)) == NULL)
		return ENXIO;
	return pd->d_close(parent, fflag);
}

/* Raw I/O inside the window, through the parent's raw entry points. */
static int
dk_rawio(dev_t dev, struct uio *uio, int ioflag)
{
	const struct devsw *pd;
	size_t cut = 0;
	struct dk c;
	int error;

	if ((error = dk_get(dev, &c)) != 0)
		return error;
	if ((pd = devsw_lookup(c.dk_parent)) == NULL)
		return ENXIO;
	if (uio->uio_offset < 0)
		return EINVAL;
	if ((uint64_t)uio->uio_offset >= c.dk_size)
		return uio->uio_rw == UIO_WRITE && uio->uio_resid > 0 ?
		    ENOSPC : 0;
	if (uio->uio_resid > c.dk_size - (uint64_t)uio->uio_offset) {
		cut = uio->uio_resid - (size_t)(c.dk_size -
		    (uint64_t)uio->uio_offset);
		uio->uio_resid -= cut;
	}
	uio->uio_offset += (off_t)c.dk_off;
	error = uio->uio_rw == UIO_READ ? pd->d_read(c.dk_parent, uio, ioflag) :
	    pd->d_write(c.dk_parent, uio, ioflag);
	uio->uio_offset -= (off_t)c.dk_off;
	uio->uio_resid += cut;
	return error;
}

/*
 * A request that runs past the partition's end: the part inside goes
 * through the parent's raw I/O, synchronously (only the last block of a
 * partition whose size is not a multiple of the block size gets here).
 */
static void
dk_strategy_tail(const struct devsw *pd, const struct dk *c, struct buf *bp,
    uint64_t off)
{
	struct iovec iov[MAXCLUSTERBUFS];
	struct uio uio;
	size_t n = (size_t)(c->dk_size - off);

	/* A cluster's pieces are copied: the transfer consumes its own. */
	uio.uio_iovcnt = 1;
	if (bp->b_iov != NULL) {
		uio.uio_iovcnt = MIN(bp->b_iovcnt, MAXCLUSTERBUFS);
		memcpy(iov, bp->b_iov, (size_t)uio.uio_iovcnt * sizeof(*iov));
	} else {
		iov[0].iov_base = bp->b_data;
		iov[0].iov_len = n;
	}
	uio.uio_iov = iov;
	uio.uio_offset = (off_t)(c->dk_off + off);
	uio.uio_resid = n;
	uio.uio_rw = (bp->b_flags & B_READ) ? UIO_READ : UIO_WRITE;
	uio.uio_sysspace = true;
	bp->b_error = uio.uio_rw == UIO_READ ?
	    pd->d_read(c->dk_parent, &uio, 0) :
	    pd->d_write(c->dk_parent, &uio, 0);
	if (bp->b_error == 0 && uio.uio_resid != 0)
		bp->b_error = EIO;
	if (bp->b_flags & B_READ)
		bio_zero(bp, n, bp->b_bcount - n);
	bp->b_resid = bp->b_bcount - n;
	biodone(bp);
}

static void
dk_strategy(struct buf *bp)
{
	const struct devsw *pd;
	struct dk c;
	uint64_t off;

	bp->b_error = 0;
	bp->b_resid = bp->b_bcount;
	if (dk_get(bp->b_dev, &c) != 0 ||
	    (pd = devsw_lookup(c.dk_parent)) == NULL) {
		bp->b_error = ENXIO;
		biodone(bp);
		return;
	}
	off = (uint64_t)bp->b_blkno * DEV_BSIZE;
	if (bp->b_blkno < 0 || off >= c.dk_size) {
		/* Nothing of it is in the partition, as at a disk's end. */
		if (bp->b_flags & B_READ)
			bio_zero(bp, 0, bp->b_bcount);
		else
			bp->b_error = ENOSPC;
		biodone(bp);
		return;
	}
	if (bp->b_bcount > c.dk_size - off) {
		dk_strategy_tail(pd, &c, bp, off);
		return;
	}
	bp->b_blkno += (daddr_t)(c.dk_off / DEV_BSIZE);
	bp->b_dev = c.dk_parent;
	pd->d_strategy(bp);
}

static int
dk_size(dev_t dev, uint64_t *bytesp, unsigned *secsizep)
{
	struct dk c;
	int error;

	if ((error = dk_get(dev, &c)) != 0)
		return error;
	*bytesp = c.dk_size;
	*secsizep = DEV_BSIZE;
	return 0;
}

static int
dk_sync(dev_t dev)
{
	const struct devsw *pd;
	struct dk c;
	int error;

	if ((error = dk_get(dev, &c)) != 0)
		return error;
	if ((pd = devsw_lookup(c.dk_parent)) == NULL)
		return ENXIO;
	return pd->d_sync(c.dk_parent);
}

static const struct devsw dk_devsw = {
	.d_name = "dk",
	.d_open = dk_open,
	.d_close = dk_close,
	.d_read = dk_rawio,
	.d_write = dk_rawio,
	.d_strategy = dk_strategy,
	.d_size = dk_size,
	.d_sync = dk_sync,
};

/* The table readers' sectors, from the parent's raw read. */
struct dk_scanarg {
	const struct devsw *sa_pd;
	dev_t sa_dev;
};

static int
dk_scanread(struct disk_scan *ds, uint64_t sec, void *buf, size_t n)
{
	struct dk_scanarg *sa = ds->ds_arg;
	struct iovec iov = { .iov_base = buf, .iov_len = n * DISK_SECSIZE };
	struct uio uio = { .uio_iov = &iov, .uio_iovcnt = 1,
		.uio_offset = (off_t)(sec * DISK_SECSIZE),
		.uio_resid = n * DISK_SECSIZE, .uio_rw = UIO_READ,
		.uio_sysspace = true };
	int error;

	if (sec >= ds->ds_nsec || n > ds->ds_nsec - sec)
		return EIO;
	if ((error = sa->sa_pd->d_read(sa->sa_dev, &uio, 0)) != 0)
		return error;
	return uio.uio_resid == 0 ? 0 : EIO;
}

void
disk_addpart(struct disk_scan *ds, unsigned index, unsigned scheme,
    uint64_t start, uint64_t nsec, struct rump_diskpart **dpp)
{
	struct rump_diskpart *dp;
	unsigned flags = 0;

	*dpp = NULL;
	if (ds->ds_count >= DISK_MAXPART)
		return;
	if (start >= ds->ds_nsec) {
		log(LOG_WARNING, "disk: %s: partition %u starts past the end "
		    "of the disk (sector %llu of %llu); ignored\n",
		    ds->ds_name, index, (unsigned long long)start,
		    (unsigned long long)ds->ds_nsec);
		return;
	}
	if (nsec > ds->ds_nsec - start) {
		log(LOG_WARNING, "disk: %s: partition %u runs past the end of "
		    "the disk; cut to %llu sectors\n", ds->ds_name, index,
		    (unsigned long long)(ds->ds_nsec - start));
		nsec = ds->ds_nsec - start;
		flags |= RUMP_DISKPART_CLIPPED;
	}
	dp = &ds->ds_parts[ds->ds_count++];
	memset(dp, 0, sizeof(*dp));
	dp->dp_index = index;
	dp->dp_scheme = scheme;
	dp->dp_flags = flags;
	dp->dp_offset = start * DISK_SECSIZE;
	dp->dp_size = nsec * DISK_SECSIZE;
	*dpp = dp;
}

/* Remove the units of parent not in use: EBUSY if one is. */
static int
dk_forget(dev_t parent)
{
	struct dk *dk, *next;
	LIST_HEAD(, dk) gone;
	int error = 0;

	LIST_INIT(&gone);
	mutex_enter(&dk_lock);
	for (dk = LIST_FIRST(&dk_units); dk != NULL; dk = next) {
		next = LIST_NEXT(dk, dk_list);
		if (dk->dk_parent != parent)
			continue;
		if (dk->dk_opencnt > 0) {
			error = EBUSY;
			continue;
		}
		LIST_REMOVE(dk, dk_list);
		LIST_INSERT_HEAD(&gone, dk, dk_list);
	}
	mutex_exit(&dk_lock);
	while ((dk = LIST_FIRST(&gone)) != NULL) {
		LIST_REMOVE(dk, dk_list);
		devnode_remove(dk->dk_path);
		kmem_free(dk, sizeof(*dk));
	}
	return error;
}

/* Make the unit of dp unless one of parent's is still open with it. */
static int
dk_attach(const char *disk, dev_t parent, struct rump_diskpart *dp)
{
	struct dk *dk, *o;
	unsigned minor;
	int error;

	snprintf(dp->dp_path, sizeof(dp->dp_path), "%sp%u", disk,
	    dp->dp_index);
	if (strlen(disk) + 12 >= sizeof(dp->dp_path))
		return ENAMETOOLONG;
	if ((dk = kmem_zalloc(sizeof(*dk), KM_SLEEP)) == NULL)
		return ENOMEM;
	dk->dk_parent = parent;
	dk->dk_index = dp->dp_index;
	dk->dk_off = dp->dp_offset;
	dk->dk_size = dp->dp_size;
	strlcpy(dk->dk_path, dp->dp_path, sizeof(dk->dk_path));
	mutex_enter(&dk_lock);
	LIST_FOREACH(o, &dk_units, dk_list)
		if (o->dk_parent == parent && o->dk_index == dp->dp_index)
			break;
	if (o != NULL) {
		/* In use from an earlier scan: it stays as it was. */
		mutex_exit(&dk_lock);
		kmem_free(dk, sizeof(*dk));
		return 0;
	}
	minor = dk_nextminor++;
	dk->dk_dev = makedev(dk_major, minor);
	LIST_INSERT_HEAD(&dk_units, dk, dk_list);
	mutex_exit(&dk_lock);
	if ((error = devnode_make(dk->dk_path, dk->dk_dev)) != 0) {
		mutex_enter(&dk_lock);
		LIST_REMOVE(dk, dk_list);
		mutex_exit(&dk_lock);
		kmem_free(dk, sizeof(*dk));
	}
	return error;
}

static int
dk_scan(const char *disk, struct disk_scan *ds)
{
	struct dk_scanarg sa;
	unsigned secsize, i;
	uint64_t bytes;
	dev_t dev;
	int error;

	if ((error = devnode_lookup(disk, &dev)) != 0)
		return error;
	if ((sa.sa_pd = devsw_lookup(dev)) == NULL ||
	    sa.sa_pd->d_read == NULL)
		return ENXIO;
	sa.sa_dev = dev;
	if ((error = sa.sa_pd->d_open(dev, FREAD)) != 0)
		return error;
	if ((error = sa.sa_pd->d_size(dev, &bytes, &secsize)) == 0) {
		ds->ds_name = disk;
		ds->ds_nsec = bytes / DISK_SECSIZE;
		ds->ds_read = dk_scanread;
		ds->ds_arg = &sa;
		error = disk_scan_mbr(ds);
	}
	(void)sa.sa_pd->d_close(dev, FREAD);
	if (error != 0)
		return error;
	(void)dk_forget(dev);
	for (i = 0; i < ds->ds_count && error == 0; i++)
		error = dk_attach(disk, dev, &ds->ds_parts[i]);
	return error;
}

/* Enter the kernel as a system call does: the lwp with its process's cred. */
static void
dk_enter(void)
{
	struct lwp *l;

	rump_schedule();
	l = curlwp;
	if (l->l_cred != l->l_proc->p_cred)
		lwp_cred_refresh(l);
}

int
rump_pub_disk_scan(const char *disk, struct rump_diskpart *parts,
    unsigned n, unsigned *countp)
{
	struct disk_scan *ds;
	char *kdisk;
	int error;

	if (dk_major == 0)
		return ENXIO;
	dk_enter();
	kdisk = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	ds = kmem_zalloc(sizeof(*ds), KM_SLEEP);
	if (kdisk == NULL || ds == NULL)
		error = ENOMEM;
	else if ((error = copyinstr(disk, kdisk, MAXPATHLEN, NULL)) == 0 &&
	    (error = dk_scan(kdisk, ds)) == 0) {
		if (n > ds->ds_count)
			n = ds->ds_count;
		if (n > 0)
			error = copyout(ds->ds_parts, parts,
			    n * sizeof(*parts));
		if (error == 0)
			error = copyout(&ds->ds_count, countp,
			    sizeof(*countp));
	}
	if (ds != NULL)
		kmem_free(ds, sizeof(*ds));
	if (kdisk != NULL)
		kmem_free(kdisk, MAXPATHLEN);
	rump_unschedule();
	return error;
}

int
rump_pub_disk_forget(const char *disk)
{
	char *kdisk;
	dev_t dev;
	int error;

	if (dk_major == 0)
		return ENXIO;
	dk_enter();
	if ((kdisk = kmem_alloc(MAXPATHLEN, KM_SLEEP)) == NULL)
		error = ENOMEM;
	else if ((error = copyinstr(disk, kdisk, MAXPATHLEN, NULL)) == 0 &&
	    (error = devnode_lookup(kdisk, &dev)) == 0)
		error = dk_forget(dev);
	if (kdisk != NULL)
		kmem_free(kdisk, MAXPATHLEN);
	rump_unschedule();
	return error;
}

static void
dk_init(void)
{
	mutex_init(&dk_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&dk_units);
	if (devsw_attach(&dk_devsw, &dk_major) != 0)
		panic("dk: no major number");
}

RUMP_COMPONENT(RUMP_COMPONENT_DEV, dev, dk_init);
