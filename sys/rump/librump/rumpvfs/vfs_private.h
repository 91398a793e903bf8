/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* What the files of the VFS share and nothing else sees. */
#ifndef _RUMPVFS_VFS_PRIVATE_H_
#define _RUMPVFS_VFS_PRIVATE_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/kauth.h>
#include <sys/mount.h>

struct file;
struct filedesc;
struct mount;
struct uio;
struct vnode;
struct vattr;
struct stat;

/* vfs_vnode.c */
void vcache_init(void);
/*
 * Reclaim the unreferenced vnodes of mp except skip; EBUSY if any other
 * is in use or skip has a reference besides the caller's.
 */
int vflush(struct mount *, struct vnode *skip);

/*
 * Forced unmount: revoke every vnode of mp, whose gate is drained.  The
 * unreferenced ones are reclaimed; the others are reclaimed by the file
 * system and become dead (dead_vnodeops) until their last release.
 */
void vrevoke_mount(struct mount *);
/*
 * mp is unmounted: whether its last vnode is gone (the caller frees it);
 * if not, the last dead vnode's release does (vfs_mount_destroy).
 */
bool vcache_mount_unmounted(struct mount *);

/*
 * vfs_cache.c: the name cache (rules there).  ncache_lookup: 0 with the
 * vnode referenced, ENOENT for a name known absent, or NCACHE_MISS with
 * the generation to hand ncache_enter() with the file system's answer
 * (vp NULL: ENOENT).  ncache_change_begin() before a name operation
 * and ncache_change_end() after it, with the generation the first gave
 * and the vnode the operation made or linked, if any.
 */
#define NCACHE_MISS (-1)
int ncache_lookup(struct vnode *dvp, const char *, size_t, struct vnode **,
    uint64_t *genp);
void ncache_enter(struct vnode *dvp, const char *, size_t, struct vnode *vp,
    uint64_t gen);
uint64_t ncache_change_begin(struct vnode *dvp, const char *, size_t);
void ncache_change_end(struct vnode *dvp, const char *, size_t,
    struct vnode *vp, uint64_t gen);
void ncache_init(void);

/* vfs_vops.c: the gate into a mount's file system (forced unmount). */
extern const struct vnodeops dead_vnodeops;
/* Enter mp's file system; false if it is revoked (then do not exit). */
bool vfs_op_enter(struct mount *);
void vfs_op_exit(struct mount *);
/* Shut mp's gate and wait until no operation is inside. */
void vfs_revoke_drain(struct mount *);
static inline bool
vfs_revoked(struct mount *mp)
{
	return __atomic_load_n(&mp->mnt_revoked, __ATOMIC_SEQ_CST);
}

/* vfs_mount.c */
/* Free an unmounted mount once its last dead vnode is gone. */
void vfs_mount_destroy(struct mount *);
void vfs_mount_init(void);
extern kmutex_t mountlist_lock;
/* A mount may be entered by lookups (not mounting or unmounting). */
bool vfs_mount_usable(struct mount *);
/* A file of mp is opened for writing (EROFS if read-only) or closed. */
int vfs_writer_enter(struct mount *);
void vfs_writer_exit(struct mount *);

/*
 * vfs_lookup.c: path name lookup.  ni_dirfd and ni_path (a client
 * address) and ni_flags go in; the result comes back referenced.
 */
#define NI_FOLLOW     0x01      /* follow a symbolic link at the end */
#define NI_WANTPARENT 0x02      /* return the directory and the last name;
				 * a missing last component is no error */
#define NI_EMPTYPATH  0x04      /* "" means ni_dirfd itself */
#define NI_KERNPATH   0x08      /* ni_path is a kernel address */
#define NI_REOPEN     0x10      /* "" means the file of ni_dirfd if that
				   is an O_PATH descriptor (vn_open) */
struct nameidata {
	int ni_dirfd;
	const char *ni_path;
	unsigned ni_flags;
	struct vnode *ni_dvp;           /* out, NI_WANTPARENT: the directory */
	struct vnode *ni_vp;            /* out: the file, NULL if missing */
	size_t ni_namelen;              /* out: the last component */
	char ni_name[NAME_MAX + 1];
	int ni_dots;                    /* out: last was "." (1), ".." (2) */
	bool ni_trailslash;             /* out: the path ended in '/' */
};
int namei(struct nameidata *);
void namei_done(struct nameidata *);
/* The directory a relative path starts from: cwd or the fd's. */
int namei_startdir(int dirfd, struct vnode **);

/* vfs_cwd.c */
void vfs_cwd_init(void);
/* The process's root (chroot) directory, referenced. */
struct vnode *cwd_rootdir(void);
struct vnode *cwd_curdir(void);

/* vfs_vnops.c: vnodes as open files. */
int vn_open(struct nameidata *, int oflags, mode_t cmode, struct vnode **);
int vn_stat(struct vnode *, struct stat *);
/* Where SEEK_SET/CUR/END count from in an open vnode (vfs_vnops.c). */
int vn_whence_base(struct file *, int whence, off_t *basep);
void vn_file_attach(struct file *, struct vnode *, int oflags);
/*
 * The vnode of a descriptor, referenced; EBADF, or EINVAL if no vnode.
 * fd_getvnode refuses O_PATH descriptors (EBADF), as the calls that do
 * I/O or change the file through a descriptor do on Linux;
 * fd_getvnode_path takes them too (a directory to start a lookup from,
 * AT_EMPTY_PATH, fchdir, fstatvfs).
 */
int fd_getvnode(int fd, struct vnode **, struct file **);
int fd_getvnode_path(int fd, struct vnode **, struct file **);
/* Open the file nd names as open(2) with O_PATH: a reference, no I/O. */
int vn_openpath(struct nameidata *, int oflags, struct vnode **);

/* vfs_lockf.c: advisory record locks. */
void vfs_lockf_init(void);
int vn_advlock(struct vnode *, struct file *, unsigned cmd, void *uflock);
/* vp is revoked: its locks go and its waiters fail (EIO). */
void vn_advlock_revoke(struct vnode *);
/* The table fdp closed a descriptor of vp: its locks on vp go. */
void vn_advlock_fdclose(struct vnode *, struct filedesc *);
/* The last close of fp: locks set through it that outlived their owner's. */
void vn_advlock_release(struct vnode *, struct file *);

/*
 * vfs_syscalls.c: utimensat with the times in kernel memory (kts, NULL
 * for now), for utimes, lutimes and futimes (path NULL: the file of fd).
 */
struct timespec;
int vfs_utimens_sys(int dirfd, const char *path, const struct timespec *kts,
    int flag);

#endif /* _RUMPVFS_VFS_PRIVATE_H_ */
