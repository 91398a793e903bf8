/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mounted file systems (vfs_mount.c) and the file-system types that
 * components register (struct vfsops).  Flags are Linux's mount(2) and
 * umount2(2) values, as clients pass them.
 *
 * A mount goes: MS_MOUNTING (VFS_MOUNT running, not yet visible) ->
 * MS_ACTIVE (covers its vnode, in the list) -> MS_UNMOUNTING (no new
 * lookups cross into it) -> unmounted, or back to MS_ACTIVE when unmount
 * fails.  Only vfs_mount.c changes mnt_state, under mountlist_lock.  A
 * forced unmount revokes the vnodes still in use (vfs_vops.c); the
 * struct mount stays, unlisted, until the last of them is released.
 *
 * Locking: (m) mountlist_lock, (c) stable after mounting, (u) the
 * mount's mnt_updating lock, (v) vcache_lock, (a) atomic.
 */
#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/statvfs.h>
#include <sys/kauth.h>

struct vnode;
struct mount;

/* mount(2) flags (Linux MS_*) */
#define MNT_RDONLY  0x0001
#define MNT_NOSUID  0x0002
#define MNT_NODEV   0x0004
#define MNT_NOEXEC  0x0008
#define MNT_SYNCHRONOUS 0x0010
#define MNT_UPDATE  0x0020              /* MS_REMOUNT */
#define MNT_NOATIME 0x0400
/*
 * Not Linux's: mount a disk file system read-write even when it says it
 * needs checking (not cleanly unmounted); NetBSD's MNT_FORCE value.
 */
#define MNT_FORCEMOUNT 0x00080000
#define MNT_USERFLAGS (MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC | \
	MNT_SYNCHRONOUS | MNT_NOATIME | MNT_FORCEMOUNT)
/* Kernel-internal: a remount to read-only is checking for writers. */
#define MNT_WRHOLD  0x40000000

/* umount2(2) flags */
#define MNT_FORCE   0x0001

#define MFSNAMELEN 16

struct vfsops {
	const char *vfs_name;
	/*
	 * Mount a new file system (mnt_flag has no MNT_UPDATE) or change
	 * the flags of this one (MNT_UPDATE: mnt_flag holds the new flags).
	 * data is the client's argument, already copied in (NULL, 0: none).
	 */
	int (*vfs_mount)(struct mount *, const void *data, size_t len);
	int (*vfs_unmount)(struct mount *, int flags);
	int (*vfs_root)(struct mount *, struct vnode **);
	int (*vfs_statvfs)(struct mount *, struct statvfs *);
	int (*vfs_sync)(struct mount *);
	/*
	 * Fill a new vnode for inode ino: v_data, v_type, v_op, v_vflag.
	 * cookie is what the caller of vcache_get passed.
	 */
	int (*vfs_loadvnode)(struct mount *, struct vnode *, ino_t,
	    void *cookie);
	LIST_ENTRY(vfsops) vfs_list;    /* vfs_list_lock */
	unsigned vfs_refcount;          /* vfs_list_lock: mounts of it */
};

enum mount_state { MS_MOUNTING, MS_ACTIVE, MS_UNMOUNTING };

struct mount {
	TAILQ_ENTRY(mount) mnt_list;            /* m */
	enum mount_state mnt_state;             /* m */
	const struct vfsops *mnt_op;            /* c */
	struct vnode *mnt_vnodecovered;         /* c: referenced */
	struct vnode *mnt_root;                 /* c: referenced */
	int mnt_flag;                           /* u: MNT_* */
	void *mnt_data;                         /* c: the file system's */
	bool mnt_namecache;                     /* c: set by its mount: names
						 * change only through VOP
						 * calls, so may be cached */
	unsigned mnt_nvnodes;                   /* v: vnodes in the cache */
	unsigned mnt_nwriters;                  /* a: files open for writing */
	unsigned mnt_inflight;                  /* a: vnode operations inside */
	bool mnt_revoked;                       /* a: forced unmount: gate shut */
	bool mnt_unmounted;                     /* v: gone but for dead vnodes */
	kmutex_t mnt_drainlock;                 /* for mnt_draincv */
	kcondvar_t mnt_draincv;                 /* mnt_inflight reached 0 */
	unsigned long mnt_fsid;                 /* c */
	char mnt_fstype[MFSNAMELEN];            /* c */
	char mnt_onname[256];                   /* c: where, for listings */
	kmutex_t mnt_updating;                  /* serialises update/unmount */
};

/* Register a file-system type (from a component's init). */
int vfs_attach(struct vfsops *);
/* Mount the root file system; called once at VFS init. */
struct mount *vfs_mountroot(const char *type);
/* Run each mount's sync; for sync(2) and the reboot hook. */
void vfs_sync_all(void);
/* Forcibly unmount all but the root, newest first (halt). */
void vfs_unmountall(void);
/* Whether writes are refused on this mount. */
static inline bool
vfs_isrdonly(const struct mount *mp)
{
	return (__atomic_load_n(&mp->mnt_flag, __ATOMIC_RELAXED) &
	    MNT_RDONLY) != 0;
}

extern struct mount *rootmount;
extern struct vnode *rootvnode;

#endif /* _SYS_MOUNT_H_ */
