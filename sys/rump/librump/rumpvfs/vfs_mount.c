/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The mount table and the file-system types.  Components register their
 * types with vfs_attach() at init; mount(2) finds the type by name,
 * builds a struct mount and covers the directory with it; namei crosses
 * from the covered directory to the mount's root.  unmount(2) refuses a
 * mount with vnodes in use (EBUSY), reclaims the rest and uncovers.
 * With MNT_FORCE it does not refuse: it shuts the mount's gate, waits
 * for the operations inside to return, revokes the vnodes in use (open
 * files and current directories then fail with EIO; record-lock waiters
 * wake with EIO) and unmounts.  It still refuses a mount with another
 * mounted on it, as Linux does.  Mount states: sys/mount.h.
 *
 * Lock order: mnt_updating, mountlist_lock, vcache_lock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/vnode.h>
#include <rump/rumpvfs.h>

#include "syscallargs.h"
#include "vfs_private.h"

#define MOUNT_DATA_MAX 65536            /* largest argument copied in */

kmutex_t mountlist_lock;
static TAILQ_HEAD(, mount) mountlist;           /* mountlist_lock */
static unsigned long nextfsid = 1;              /* mountlist_lock */
static kmutex_t vfs_list_lock;
static LIST_HEAD(, vfsops) vfs_list;            /* vfs_list_lock */

struct mount *rootmount;                        /* stable after boot */
struct vnode *rootvnode;                        /* stable after boot */

int
vfs_attach(struct vfsops *vfs)
{
	struct vfsops *v;

	mutex_enter(&vfs_list_lock);
	LIST_FOREACH(v, &vfs_list, vfs_list) {
		if (strcmp(v->vfs_name, vfs->vfs_name) == 0) {
			mutex_exit(&vfs_list_lock);
			return EEXIST;
		}
	}
	LIST_INSERT_HEAD(&vfs_list, vfs, vfs_list);
	mutex_exit(&vfs_list_lock);
	return 0;
}

static struct vfsops *
vfs_getopsbyname(const char *name)
{
	struct vfsops *v;

	mutex_enter(&vfs_list_lock);
	LIST_FOREACH(v, &vfs_list, vfs_list) {
		if (strcmp(v->vfs_name, name) == 0) {
			v->vfs_refcount++;
			break;
		}
	}
	mutex_exit(&vfs_list_lock);
	return v;
}

static void
vfs_delref(struct vfsops *v)
{
	mutex_enter(&vfs_list_lock);
	v->vfs_refcount--;
	mutex_exit(&vfs_list_lock);
}

bool
vfs_mount_usable(struct mount *mp)
{
	KASSERT(mutex_owned(&mountlist_lock));
	return mp->mnt_state == MS_ACTIVE;
}

static struct mount *
mount_alloc(struct vfsops *vfs, int flags)
{
	struct mount *mp;

	if ((mp = kmem_zalloc(sizeof(*mp), KM_SLEEP)) == NULL)
		return NULL;
	mp->mnt_op = vfs;
	mp->mnt_state = MS_MOUNTING;
	mp->mnt_flag = flags & MNT_USERFLAGS;
	strlcpy(mp->mnt_fstype, vfs->vfs_name, sizeof(mp->mnt_fstype));
	mutex_init(&mp->mnt_updating, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&mp->mnt_drainlock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&mp->mnt_draincv, "mntdrain");
	mutex_enter(&mountlist_lock);
	mp->mnt_fsid = nextfsid++;
	mutex_exit(&mountlist_lock);
	return mp;
}

static void
mount_free(struct mount *mp)
{
	cv_destroy(&mp->mnt_draincv);
	mutex_destroy(&mp->mnt_drainlock);
	mutex_destroy(&mp->mnt_updating);
	kmem_free(mp, sizeof(*mp));
}

/*
 * Mount a new file system of type vfs on the directory vp (a reference
 * the mount keeps on success).
 */
static int
mount_new(struct vfsops *vfs, struct vnode *vp, const char *onname, int flags,
    const void *data, size_t len)
{
	struct mount *mp;
	struct vnode *root;
	int error;

	if ((mp = mount_alloc(vfs, flags)) == NULL)
		return ENOMEM;
	strlcpy(mp->mnt_onname, onname, sizeof(mp->mnt_onname));
	mp->mnt_vnodecovered = vp;
	if ((error = vfs->vfs_mount(mp, data, len)) != 0)
		goto fail;
	if ((error = vfs->vfs_root(mp, &root)) != 0) {
		vflush(mp, NULL);
		vfs->vfs_unmount(mp, MNT_FORCE);
		goto fail;
	}
	mp->mnt_root = root;
	mutex_enter(&mountlist_lock);
	if (vp != NULL && vp->v_mountedhere != NULL) {
		/* Lost a race with another mount on the same directory. */
		mutex_exit(&mountlist_lock);
		vrele(root);
		vflush(mp, NULL);
		vfs->vfs_unmount(mp, MNT_FORCE);
		error = EBUSY;
		goto fail;
	}
	if (vp != NULL)
		vp->v_mountedhere = mp;
	mp->mnt_state = MS_ACTIVE;
	TAILQ_INSERT_TAIL(&mountlist, mp, mnt_list);
	mutex_exit(&mountlist_lock);
	return 0;
fail:
	mount_free(mp);
	return error;
}

/*
 * Files open for writing: a regular file opened for writing counts as a
 * writer of its mount until its last close, and a mount with writers
 * cannot be remounted read-only (EBUSY, as on Linux).  The remount
 * raises MNT_WRHOLD before counting and an opener counts itself before
 * looking at the flags, so one of them always sees the other; an opener
 * that meets the hold waits for the remount to end and looks again.
 */
int
vfs_writer_enter(struct mount *mp)
{
	int flag;

	for (;;) {
		atomic_inc_uint(&mp->mnt_nwriters);
		flag = __atomic_load_n(&mp->mnt_flag, __ATOMIC_SEQ_CST);
		if ((flag & (MNT_RDONLY | MNT_WRHOLD)) == 0)
			return 0;
		vfs_writer_exit(mp);
		if ((flag & MNT_WRHOLD) == 0)
			return EROFS;
		mutex_enter(&mp->mnt_updating);
		mutex_exit(&mp->mnt_updating);
	}
}

void
vfs_writer_exit(struct mount *mp)
{
	KASSERT(atomic_load_relaxed(&mp->mnt_nwriters) > 0);
	(void)atomic_dec_uint_nv(&mp->mnt_nwriters);
}

/* Change the flags of the mount whose root is vp (MNT_UPDATE). */
static int
mount_update(struct vnode *vp, int flags, const void *data, size_t len)
{
	struct mount *mp = vp->v_mount;
	int error, oflags, hold = 0;

	if ((vp->v_vflag & VV_ROOT) == 0)
		return EINVAL;
	mutex_enter(&mp->mnt_updating);
	oflags = mp->mnt_flag;
	if ((flags & MNT_RDONLY) && (oflags & MNT_RDONLY) == 0) {
		hold = MNT_WRHOLD;
		__atomic_store_n(&mp->mnt_flag, oflags | hold,
		    __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&mp->mnt_nwriters, __ATOMIC_SEQ_CST) != 0) {
			atomic_store_relaxed(&mp->mnt_flag, oflags);
			mutex_exit(&mp->mnt_updating);
			return EBUSY;
		}
	}
	atomic_store_relaxed(&mp->mnt_flag,
	    (flags & MNT_USERFLAGS) | MNT_UPDATE | hold);
	error = mp->mnt_op->vfs_mount(mp, data, len);
	atomic_store_release(&mp->mnt_flag,
	    error != 0 ? oflags : flags & MNT_USERFLAGS);
	mutex_exit(&mp->mnt_updating);
	return error;
}

int
sys_mount(struct lwp *l, const struct sys_mount_args *uap, register_t *rv)
{
	char type[MFSNAMELEN];
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = uap->path,
		.ni_flags = NI_FOLLOW };
	struct vfsops *vfs = NULL;
	void *data = NULL;
	size_t len = uap->data_len;
	char *onname = NULL;
	int error;

	(void)rv;
	if (!kauth_cred_issuser(l->l_cred))
		return EPERM;
	if ((error = copyinstr(uap->type, type, sizeof(type), NULL)) != 0)
		return error == ENAMETOOLONG ? ENODEV : error;
	if (len > MOUNT_DATA_MAX)
		return EINVAL;
	if (uap->data != NULL && len > 0) {
		if ((data = kmem_alloc(len, KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = copyin(uap->data, data, len)) != 0)
			goto out;
	} else
		len = 0;
	if ((error = namei(&nd)) != 0)
		goto out;
	if (nd.ni_vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}
	if (uap->flags & MNT_UPDATE) {
		error = mount_update(nd.ni_vp, uap->flags, data, len);
		goto out;
	}
	if ((vfs = vfs_getopsbyname(type)) == NULL) {
		log(LOG_ERR, "mount: file system \"%s\" not configured "
		    "(link librumpfs_%s)", type, type);
		error = ENODEV;
		goto out;
	}
	if ((onname = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = copyinstr(uap->path, onname, PATH_MAX, NULL)) != 0)
		goto out;
	if ((error = mount_new(vfs, nd.ni_vp, onname, uap->flags, data,
	    len)) == 0) {
		nd.ni_vp = NULL;        /* the mount keeps the reference */
		vfs = NULL;
	}
out:
	if (vfs != NULL)
		vfs_delref(vfs);
	if (onname != NULL)
		kmem_free(onname, PATH_MAX);
	if (data != NULL)
		kmem_free(data, uap->data_len);
	namei_done(&nd);
	return error;
}

/* Whether a mount is on a directory of mp.  mountlist_lock held. */
static bool
mount_has_submounts(struct mount *mp)
{
	struct mount *sub;

	KASSERT(mutex_owned(&mountlist_lock));
	TAILQ_FOREACH(sub, &mountlist, mnt_list)
		if (sub->mnt_vnodecovered != NULL &&
		    sub->mnt_vnodecovered->v_mount == mp)
			return true;
	return false;
}

void
vfs_mount_destroy(struct mount *mp)
{
	vrele(mp->mnt_vnodecovered);
	mount_free(mp);
}

static int
unmount_mp(struct mount *mp, int flags)
{
	bool last;
	int error;

	mutex_enter(&mp->mnt_updating);
	mutex_enter(&mountlist_lock);
	if (mp->mnt_state != MS_ACTIVE) {
		mutex_exit(&mountlist_lock);
		mutex_exit(&mp->mnt_updating);
		return EINVAL;
	}
	if ((flags & MNT_FORCE) && mount_has_submounts(mp)) {
		mutex_exit(&mountlist_lock);
		mutex_exit(&mp->mnt_updating);
		return EBUSY;
	}
	mp->mnt_state = MS_UNMOUNTING;
	mutex_exit(&mountlist_lock);

	(void)mp->mnt_op->vfs_sync(mp);
	if (flags & MNT_FORCE) {
		/*
		 * Write back before the gate shuts: a revoked vnode's block
		 * I/O fails, so delayed writes of files still open (or merely
		 * cached) would be lost at their reclaim.
		 */
		bio_syncall();
		vfs_revoke_drain(mp);
		vrevoke_mount(mp);
	} else if ((error = vflush(mp, mp->mnt_root)) != 0) {
		mutex_enter(&mountlist_lock);
		mp->mnt_state = MS_ACTIVE;
		mutex_exit(&mountlist_lock);
		mutex_exit(&mp->mnt_updating);
		return error;
	}
	vrele(mp->mnt_root);
	if ((flags & MNT_FORCE) == 0) {
		error = vflush(mp, NULL);
		KASSERTMSG(error == 0,
		    "unmount: a vnode appeared on a closed mount");
	}
	(void)mp->mnt_op->vfs_unmount(mp, flags);

	mutex_enter(&mountlist_lock);
	mp->mnt_vnodecovered->v_mountedhere = NULL;
	TAILQ_REMOVE(&mountlist, mp, mnt_list);
	mutex_exit(&mountlist_lock);
	mutex_exit(&mp->mnt_updating);
	vfs_delref(__UNCONST(mp->mnt_op));
	/* Revoked vnodes still held keep the struct until they go. */
	last = vcache_mount_unmounted(mp);
	if (last)
		vfs_mount_destroy(mp);
	return 0;
}

int
sys_unmount(struct lwp *l, const struct sys_unmount_args *uap,
    register_t *rv)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = uap->path,
		.ni_flags = NI_FOLLOW };
	struct mount *mp;
	int error, flags;

	(void)rv;
	if (!kauth_cred_issuser(l->l_cred))
		return EPERM;
	if ((uap->flags & ~(MNT_FORCE | MNT_FORCEMOUNT)) != 0)
		return EINVAL;
	/* NetBSD's MNT_FORCE value (RUMP_MNT_FORCE) forces too. */
	flags = (uap->flags != 0) ? MNT_FORCE : 0;
	if ((error = namei(&nd)) != 0)
		return error;
	mp = nd.ni_vp->v_mount;
	if ((nd.ni_vp->v_vflag & VV_ROOT) == 0)
		error = EINVAL;
	else if (mp == rootmount)
		error = EBUSY;
	namei_done(&nd);
	if (error)
		return error;
	return unmount_mp(mp, flags);
}

static int
vfs_statvfs(struct mount *mp, struct statvfs *sv)
{
	int error, flag = atomic_load_relaxed(&mp->mnt_flag);

	memset(sv, 0, sizeof(*sv));
	if (!vfs_op_enter(mp))
		return EIO;
	error = mp->mnt_op->vfs_statvfs(mp, sv);
	vfs_op_exit(mp);
	if (error)
		return error;
	sv->f_fsid = mp->mnt_fsid;
	sv->f_namemax = NAME_MAX;
	sv->f_flag = 0;
	if (flag & MNT_RDONLY)
		sv->f_flag |= ST_RDONLY;
	if (flag & MNT_NOSUID)
		sv->f_flag |= ST_NOSUID;
	if (flag & MNT_NODEV)
		sv->f_flag |= ST_NODEV;
	if (flag & MNT_NOEXEC)
		sv->f_flag |= ST_NOEXEC;
	if (flag & MNT_SYNCHRONOUS)
		sv->f_flag |= ST_SYNCHRONOUS;
	if (flag & MNT_NOATIME)
		sv->f_flag |= ST_NOATIME;
	return 0;
}

int
sys_statvfs(struct lwp *l, const struct sys_statvfs_args *uap,
    register_t *rv)
{
	struct nameidata nd = { .ni_dirfd = AT_FDCWD, .ni_path = uap->path,
		.ni_flags = NI_FOLLOW };
	struct statvfs sv;
	int error;

	(void)l;
	(void)rv;
	if ((error = namei(&nd)) != 0)
		return error;
	error = vfs_statvfs(nd.ni_vp->v_mount, &sv);
	namei_done(&nd);
	if (error == 0)
		error = copyout(&sv, uap->buf, sizeof(sv));
	return error;
}

int
sys_fstatvfs(struct lwp *l, const struct sys_fstatvfs_args *uap,
    register_t *rv)
{
	struct statvfs sv;
	struct vnode *vp;
	struct file *fp;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getvnode_path(uap->fd, &vp, &fp)) != 0)
		return error;
	error = vfs_statvfs(vp->v_mount, &sv);
	fd_putfile(fp);
	if (error == 0)
		error = copyout(&sv, uap->buf, sizeof(sv));
	return error;
}

/*
 * The mounted file systems, one record per mount, for listing them:
 * where, what type, and the statistics statvfs gives.  Returns the
 * number of mounts; with buf NULL only that number.
 */
int
sys_getvfsstat(struct lwp *l, const struct sys_getvfsstat_args *uap,
    register_t *rv)
{
	struct rump_mntinfo mi;
	struct mount *mp;
	size_t n = 0, max = uap->bufsize / sizeof(mi);
	int error = 0;

	(void)l;
	mutex_enter(&mountlist_lock);
	TAILQ_FOREACH(mp, &mountlist, mnt_list) {
		if (mp->mnt_state != MS_ACTIVE)
			continue;
		if (uap->buf != NULL && n < max) {
			memset(&mi, 0, sizeof(mi));
			strlcpy(mi.mi_fstype, mp->mnt_fstype,
			    sizeof(mi.mi_fstype));
			strlcpy(mi.mi_onname, mp->mnt_onname,
			    sizeof(mi.mi_onname));
			if ((error = vfs_statvfs(mp, &mi.mi_stat)) != 0 ||
			    (error = copyout(&mi, &uap->buf[n], sizeof(mi))) != 0)
				break;
		}
		n++;
	}
	mutex_exit(&mountlist_lock);
	if (error == 0)
		*rv = (register_t)(uap->buf != NULL ? MIN(n, max) : n);
	return error;
}

/*
 * Sync every mount.  vfs_sync is called with mountlist_lock held: it may
 * sleep but must not mount or unmount.
 */
void
vfs_sync_all(void)
{
	struct mount *mp;

	mutex_enter(&mountlist_lock);
	TAILQ_FOREACH(mp, &mountlist, mnt_list)
		if (mp->mnt_state == MS_ACTIVE)
			(void)mp->mnt_op->vfs_sync(mp);
	mutex_exit(&mountlist_lock);
}

/*
 * Unmount every file system but the root, the most recent first (so a
 * mount goes before the one it is on), forcibly: at halt nothing may
 * keep a file system from being flushed and let go.
 */
void
vfs_unmountall(void)
{
	struct mount *mp, *last;

	for (;;) {
		last = NULL;
		mutex_enter(&mountlist_lock);
		TAILQ_FOREACH(mp, &mountlist, mnt_list)
			if (mp->mnt_state == MS_ACTIVE && mp != rootmount)
				last = mp;
		mutex_exit(&mountlist_lock);
		if (last == NULL || unmount_mp(last, MNT_FORCE) != 0)
			break;
	}
}

int
sys_sync(struct lwp *l, const struct sys_sync_args *uap, register_t *rv)
{
	(void)l;
	(void)uap;
	(void)rv;
	/*
	 * Files' own buffers first; then each file system writes its state
	 * and puts its device on stable storage (its vfs_sync).
	 */
	bio_syncall();
	vfs_sync_all();
	return 0;
}

struct mount *
vfs_mountroot(const char *type)
{
	struct vfsops *vfs;

	if ((vfs = vfs_getopsbyname(type)) == NULL)
		panic("vfs_mountroot: no file system \"%s\"", type);
	if (mount_new(vfs, NULL, "/", 0, NULL, 0) != 0)
		panic("vfs_mountroot: cannot mount the root file system");
	rootmount = TAILQ_FIRST(&mountlist);
	rootvnode = rootmount->mnt_root;
	return rootmount;
}

void
vfs_mount_init(void)
{
	mutex_init(&mountlist_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&vfs_list_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&mountlist);
	LIST_INIT(&vfs_list);
}
