/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The device switch (rumpkern/subr_devsw.c): how a device node's dev_t
 * reaches its driver; it sits in the core, below the VFS and the device
 * layer, which both use it.  A driver attaches one devsw and gets a major number; the
 * minor numbers are its units.  Device vnodes (spec_vnops.c) call
 * through it: open and close, raw I/O for character nodes, the strategy
 * routine for block nodes (through the buffer cache, sys/buf.h).
 *
 * dev_t uses Linux's encoding, so that a client's major() and minor()
 * take st_rdev apart as the kernel put it together.
 */
#ifndef _SYS_CONF_H_
#define _SYS_CONF_H_

#include <sys/types.h>

struct buf;
struct uio;

#define makedev(ma, mi)                                                        \
	((dev_t)((((unsigned long)(ma) & 0xfffUL) << 8) |                      \
	    (((unsigned long)(ma) & ~0xfffUL) << 32) |                         \
	    ((unsigned long)(mi) & 0xffUL) |                                   \
	    (((unsigned long)(mi) & ~0xffUL) << 12)))
#define major(d) ((unsigned)((((d) >> 8) & 0xfffUL) | (((d) >> 32) & ~0xfffUL)))
#define minor(d) ((unsigned)(((d) & 0xffUL) | (((d) >> 12) & ~0xffUL)))

/*
 * A driver's entry points.  Every one gets the dev_t of the node.  A
 * unit that is not there is ENXIO.  d_strategy is for block devices and
 * always ends the request with biodone(); d_read and d_write are raw
 * character I/O at uio_offset.  d_size gives the size in bytes and the
 * sector size; d_sync puts what was written on stable storage.
 */
struct devsw {
	const char *d_name;
	int (*d_open)(dev_t, int fflag);
	int (*d_close)(dev_t, int fflag);
	int (*d_read)(dev_t, struct uio *, int ioflag);
	int (*d_write)(dev_t, struct uio *, int ioflag);
	void (*d_strategy)(struct buf *);
	int (*d_size)(dev_t, uint64_t *bytesp, unsigned *secsizep);
	int (*d_sync)(dev_t);
};

/* Give the driver a major number (Linux's local range, 240 up); EBUSY. */
int devsw_attach(const struct devsw *, unsigned *majorp);
/* The driver of dev, or NULL. */
const struct devsw *devsw_lookup(dev_t);

/*
 * Device nodes, for drivers below the VFS (subr_devsw.c): the VFS
 * attaches these operations at its init, so that a driver that attaches
 * a device can name it in the file system without calling up into the
 * VFS.  Paths are kernel paths.  Without a VFS each is ENOSYS (and
 * remove does nothing).
 *   dn_make    a block node for dev at path, root-only (0600); a node
 *              already there is replaced
 *   dn_remove  take the node at path away, if there is one
 *   dn_lookup  the dev_t of the block node at path (following links):
 *              ENOENT, ENOTBLK
 */
struct devnode_ops {
	int (*dn_make)(const char *path, dev_t dev);
	void (*dn_remove)(const char *path);
	int (*dn_lookup)(const char *path, dev_t *devp);
};

void devnode_attach(const struct devnode_ops *);
int devnode_make(const char *path, dev_t dev);
void devnode_remove(const char *path);
int devnode_lookup(const char *path, dev_t *devp);

#endif /* _SYS_CONF_H_ */
