/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What a driver needs of the kernel, below the VFS and the device layer
 * alike (sys/conf.h): the device switch, whose majors are handed to
 * drivers as they attach and looked up by the device vnodes on every
 * open and I/O; the end of an I/O request (biodone), which runs the
 * completion its owner (the buffer cache) put in the buffer; and the
 * device nodes, which the VFS makes for the device layer through
 * devnode_ops.  Majors come from Linux's range for local devices, so
 * they never look like a host device a client knows.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/uio.h>

#include "rump_private.h"

#define DEVSW_FIRST 240
#define DEVSW_NMAJOR 15                 /* 240 .. 254 */

static kmutex_t devsw_lock;
/* devsw_lock to set; read atomically: a slot, once set, stays. */
static const struct devsw *devsw_table[DEVSW_NMAJOR];

void
devsw_init(void)
{
	mutex_init(&devsw_lock, MUTEX_DEFAULT, IPL_NONE);
}

int
devsw_attach(const struct devsw *d, unsigned *majorp)
{
	unsigned i;
	int error = EBUSY;

	mutex_enter(&devsw_lock);
	for (i = 0; i < DEVSW_NMAJOR; i++) {
		if (devsw_table[i] == NULL) {
			atomic_store_release(&devsw_table[i], d);
			*majorp = DEVSW_FIRST + i;
			error = 0;
			break;
		}
	}
	mutex_exit(&devsw_lock);
	return error;
}

void
biodone(struct buf *bp)
{
	bp->b_iodone(bp);
}

void
bio_zero(struct buf *bp, size_t off, size_t len)
{
	size_t n;

	if (bp->b_iov == NULL) {
		memset((char *)bp->b_data + off, 0, len);
		return;
	}
	for (int i = 0; i < bp->b_iovcnt && len > 0; i++) {
		if (off >= bp->b_iov[i].iov_len) {
			off -= bp->b_iov[i].iov_len;
			continue;
		}
		n = MIN(len, bp->b_iov[i].iov_len - off);
		memset((char *)bp->b_iov[i].iov_base + off, 0, n);
		len -= n;
		off = 0;
	}
}

/* Set once by the VFS at its init; read atomically. */
static const struct devnode_ops *devnode_ops;

void
devnode_attach(const struct devnode_ops *ops)
{
	atomic_store_release(&devnode_ops, ops);
}

int
devnode_make(const char *path, dev_t dev)
{
	const struct devnode_ops *ops = atomic_load_acquire(&devnode_ops);

	return ops != NULL ? ops->dn_make(path, dev) : ENOSYS;
}

void
devnode_remove(const char *path)
{
	const struct devnode_ops *ops = atomic_load_acquire(&devnode_ops);

	if (ops != NULL)
		ops->dn_remove(path);
}

int
devnode_lookup(const char *path, dev_t *devp)
{
	const struct devnode_ops *ops = atomic_load_acquire(&devnode_ops);

	return ops != NULL ? ops->dn_lookup(path, devp) : ENOSYS;
}

const struct devsw *
devsw_lookup(dev_t dev)
{
	unsigned maj = major(dev);

	if (maj < DEVSW_FIRST || maj >= DEVSW_FIRST + DEVSW_NMAJOR)
		return NULL;
	return atomic_load_acquire(&devsw_table[maj - DEVSW_FIRST]);
}
