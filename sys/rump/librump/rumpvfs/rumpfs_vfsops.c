/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rumpfs mounts: the "rumpfs" file-system type (the root file system,
 * mountable elsewhere too) and the engine entry points tmpfs mounts
 * through.  Everything lives in memory and goes with the unmount.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/vnode.h>
#include <rump/rumpuser.h>

#include "rumpfs.h"

/* Random bits for the mount's directory hashes; the clock if none. */
static void
rumpfs_hashseed(uint64_t *seedp)
{
	struct timespec ts;
	unsigned long got;

	if (rumpuser_getrandom(seedp, sizeof(*seedp), RUMPUSER_RANDOM_NOWAIT,
	    &got) == 0 && got == sizeof(*seedp))
		return;
	nanotime(&ts);
	*seedp = (uint64_t)ts.tv_sec * 1000000007ULL + (uint64_t)ts.tv_nsec;
}

int
rumpfs_engine_mount(struct mount *mp, const struct rumpfs_args *args)
{
	struct rumpfs_mount *rm;
	int error;

	if ((rm = kmem_zalloc(sizeof(*rm), KM_SLEEP)) == NULL)
		return ENOMEM;
	rw_init(&rm->rm_nslock);
	mutex_init(&rm->rm_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&rm->rm_nodes);
	rm->rm_args = *args;
	rm->rm_nextino = 2;             /* as on most file systems, root is 2 */
	rumpfs_hashseed(&rm->rm_hashseed);
	if ((error = rumpfs_node_alloc(rm, VDIR, args->ra_rootmode,
	    args->ra_rootuid, args->ra_rootgid, 0, &rm->rm_root)) != 0) {
		mutex_destroy(&rm->rm_lock);
		rw_destroy(&rm->rm_nslock);
		kmem_free(rm, sizeof(*rm));
		return error;
	}
	mp->mnt_data = rm;
	return 0;
}

/* Every vnode is gone (vflush): free every node. */
int
rumpfs_unmount(struct mount *mp, int flags)
{
	struct rumpfs_mount *rm = RUMPFS_MOUNT(mp);
	struct rumpfs_node *rn;

	(void)flags;
	while ((rn = LIST_FIRST(&rm->rm_nodes)) != NULL)
		rumpfs_node_free(rm, rn);
	KASSERT(rm->rm_bytes == 0);
	mutex_destroy(&rm->rm_lock);
	rw_destroy(&rm->rm_nslock);
	kmem_free(rm, sizeof(*rm));
	mp->mnt_data = NULL;
	return 0;
}

int
rumpfs_root(struct mount *mp, struct vnode **vpp)
{
	struct rumpfs_mount *rm = RUMPFS_MOUNT(mp);

	return vcache_get(mp, rm->rm_root->rn_ino, rm->rm_root, vpp);
}

int
rumpfs_statvfs(struct mount *mp, struct statvfs *sv)
{
	struct rumpfs_mount *rm = RUMPFS_MOUNT(mp);
	uint64_t max, used, maxnodes;

	mutex_enter(&rm->rm_lock);
	used = rm->rm_bytes;
	max = rm->rm_args.ra_maxbytes;
	if (max == 0)
		max = kmem_limit() != 0 ? kmem_limit() : used + (1ULL << 40);
	maxnodes = rm->rm_args.ra_maxnodes != 0 ? rm->rm_args.ra_maxnodes :
	    max / 256;
	sv->f_files = maxnodes;
	sv->f_ffree = sv->f_favail = maxnodes > rm->rm_nnodes ?
	    maxnodes - rm->rm_nnodes : 0;
	mutex_exit(&rm->rm_lock);
	sv->f_bsize = sv->f_frsize = RUMPFS_PAGE;
	sv->f_blocks = max / RUMPFS_PAGE;
	sv->f_bfree = sv->f_bavail = max > used ? (max - used) / RUMPFS_PAGE : 0;
	return 0;
}

int
rumpfs_sync(struct mount *mp)
{
	(void)mp;
	return 0;
}

int
rumpfs_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino, void *cookie)
{
	struct rumpfs_node *rn = cookie;

	if (rn == NULL || rn->rn_ino != ino)
		return ESTALE;
	vp->v_data = rn;
	vp->v_type = rn->rn_type;
	vp->v_op = rumpfs_node_vnodeops(rn);
	vp->v_rdev = rn->rn_rdev;
	if (rn == RUMPFS_MOUNT(mp)->rm_root)
		vp->v_vflag |= VV_ROOT;
	return 0;
}

static int
rumpfs_mount(struct mount *mp, const void *data, size_t len)
{
	static const struct rumpfs_args defaults = { .ra_rootmode = 0755 };

	(void)data;
	(void)len;
	if (mp->mnt_flag & MNT_UPDATE)
		return 0;
	return rumpfs_engine_mount(mp, &defaults);
}

static struct vfsops rumpfs_vfsops = {
	.vfs_name = "rumpfs",
	.vfs_mount = rumpfs_mount,
	.vfs_unmount = rumpfs_unmount,
	.vfs_root = rumpfs_root,
	.vfs_statvfs = rumpfs_statvfs,
	.vfs_sync = rumpfs_sync,
	.vfs_loadvnode = rumpfs_loadvnode,
};

void
rumpfs_init(void)
{
	if (vfs_attach(&rumpfs_vfsops) != 0)
		panic("rumpfs_init: cannot register rumpfs");
}
