/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Opening a block device for a mount (sys/disk.h): from the path in a
 * file system's mount arguments to an open device vnode that the file
 * system reads through the buffer cache, and back at unmount.  The
 * devices open for mounts are remembered so that one device is not
 * mounted twice.
 *
 * And the device nodes drivers below the VFS ask for (devnode_ops in
 * sys/conf.h), made and removed through the system calls' own code
 * with kernel strings (a client's memory and the kernel's are one
 * address space).
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "dev_private.h"
#include "syscallargs.h"
#include "vfs_private.h"

struct opendev {
	LIST_ENTRY(opendev) od_list;    /* opendev_lock */
	dev_t od_dev;                   /* c */
};

static kmutex_t opendev_lock;
static LIST_HEAD(, opendev) opendevs;   /* opendev_lock */

static int
devnode_vfs_lookup(const char *path, dev_t *devp)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path,
		.ni_flags = NI_FOLLOW | NI_KERNPATH };
	int error;

	if ((error = namei(&nd)) != 0)
		return error;
	if (nd.ni_vp->v_type != VBLK)
		error = ENOTBLK;
	else
		*devp = nd.ni_vp->v_rdev;
	namei_done(&nd);
	return error;
}

static void
devnode_vfs_remove(const char *path)
{
	struct sys_unlink_args uu = { .path = path };
	register_t rv;

	(void)sys_unlink(curlwp, &uu, &rv);
}

static int
devnode_vfs_make(const char *path, dev_t dev)
{
	struct sys_mknod_args ua = { .path = path,
		.mode = S_IFBLK | 0600, .dev = dev };
	register_t rv;
	int error;

	if ((error = sys_mknod(curlwp, &ua, &rv)) == EEXIST) {
		/* A node left from an earlier scan: make it anew. */
		devnode_vfs_remove(path);
		error = sys_mknod(curlwp, &ua, &rv);
	}
	return error;
}

static const struct devnode_ops devnode_vfs_ops = {
	.dn_make = devnode_vfs_make,
	.dn_remove = devnode_vfs_remove,
	.dn_lookup = devnode_vfs_lookup,
};

void
vfs_dev_init(void)
{
	mutex_init(&opendev_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&opendevs);
	devnode_attach(&devnode_vfs_ops);
}

/* Claim dev for a mount: EBUSY if one has it. */
static int
opendev_claim(dev_t dev, struct opendev *od)
{
	struct opendev *o;

	mutex_enter(&opendev_lock);
	LIST_FOREACH(o, &opendevs, od_list) {
		if (o->od_dev == dev) {
			mutex_exit(&opendev_lock);
			return EBUSY;
		}
	}
	od->od_dev = dev;
	LIST_INSERT_HEAD(&opendevs, od, od_list);
	mutex_exit(&opendev_lock);
	return 0;
}

static void
opendev_release(dev_t dev)
{
	struct opendev *o;

	mutex_enter(&opendev_lock);
	LIST_FOREACH(o, &opendevs, od_list)
		if (o->od_dev == dev)
			break;
	if (o != NULL)
		LIST_REMOVE(o, od_list);
	mutex_exit(&opendev_lock);
	if (o != NULL)
		kmem_free(o, sizeof(*o));
}

int
vfs_opendev(const char *path, int fflag, struct vnode **devvpp)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = path,
		.ni_flags = NI_FOLLOW | NI_KERNPATH };
	kauth_cred_t cred = kauth_cred_get();
	struct opendev *od;
	struct vnode *vp;
	int error;

	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	if (vp->v_type != VBLK) {
		error = ENOTBLK;
		goto bad;
	}
	/* Nor is one on a nodev mount a device to mount (Linux: EACCES). */
	if (atomic_load_relaxed(&vp->v_mount->mnt_flag) & MNT_NODEV) {
		error = EACCES;
		goto bad;
	}
	if ((error = VOP_ACCESS(vp, VREAD | ((fflag & FWRITE) ? VWRITE : 0),
	    cred)) != 0)
		goto bad;
	if ((od = kmem_alloc(sizeof(*od), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto bad;
	}
	if ((error = opendev_claim(vp->v_rdev, od)) != 0) {
		kmem_free(od, sizeof(*od));
		goto bad;
	}
	if ((error = VOP_OPEN(vp, fflag, cred)) != 0) {
		opendev_release(vp->v_rdev);
		goto bad;
	}
	*devvpp = vp;
	return 0;
bad:
	vrele(vp);
	return error;
}

int
vfs_devsize(struct vnode *devvp, uint64_t *bytesp, unsigned *secsizep)
{
	const struct devsw *d;

	if (devvp->v_type != VBLK || (d = devsw_lookup(devvp->v_rdev)) == NULL)
		return ENXIO;
	return d->d_size(devvp->v_rdev, bytesp, secsizep);
}

void
vfs_closedev(struct vnode *devvp, int fflag)
{
	kauth_cred_t cred = kauth_cred_get();

	/* What the mount wrote goes to stable storage before it is gone. */
	if (fflag & FWRITE)
		(void)VOP_FSYNC(devvp, false);
	(void)vinvalbuf(devvp);
	(void)VOP_CLOSE(devvp, fflag, cred);
	opendev_release(devvp->v_rdev);
	vrele(devvp);
}
