/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Vnodes: the VFS's handle on a file of some mounted file system, and the
 * operations every file system provides (struct vnodeops).  The vnode
 * cache, its states and its LRU are private to vfs_vnode.c
 * (rumpvfs/vnode_impl.h); this header is what file systems and the rest
 * of the VFS see.
 *
 * The calling convention differs from NetBSD's on purpose: operations are
 * called with referenced but unlocked vnodes, and name operations take the
 * directory and the name.  A file system looks the name up, checks and
 * changes its directory as one atomic step under its own locks, so the
 * VFS never holds a lock across a file system call.
 *
 * Locking: (c) stable while a reference is held, (v) vcache_lock,
 * (a) atomic.
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/time.h>
#include <sys/kauth.h>
#include <sys/queue.h>

struct buf;
struct mount;
struct pipe;
struct uio;
struct vnode;

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

/*
 * File attributes.  getattr fills every field; setattr changes those
 * named in va_mask.
 */
struct vattr {
	unsigned va_mask;               /* setattr: VA_* to change */
	enum vtype va_type;
	mode_t va_mode;                 /* permission bits and S_ISUID... */
	nlink_t va_nlink;
	uid_t va_uid;
	gid_t va_gid;
	ino_t va_fileid;
	off_t va_size;
	dev_t va_rdev;
	long va_blocksize;
	uint64_t va_bytes;              /* storage used */
	struct timespec va_atime, va_mtime, va_ctime;
	mode_t va_cmode;                /* create, VA_CMODE: the mode asked
					 * for, before the umask (ACLs) */
};
#define VA_MODE  0x01
#define VA_UID   0x02
#define VA_GID   0x04
#define VA_SIZE  0x08
#define VA_ATIME 0x10
#define VA_MTIME 0x20
#define VA_CTIME 0x40
#define VA_TIMES_NOW 0x80                /* with VA_ATIME/MTIME: all are now */
#define VA_CMODE 0x100                  /* create: va_cmode is set */

/* ioflag of read and write */
#define IO_APPEND 0x01                  /* write at the end, atomically */
#define IO_SYNC   0x02
#define IO_NOATIME 0x04                 /* a read leaves atime (O_NOATIME) */

/* Access modes for VOP_ACCESS and vaccess() */
#define VREAD  04
#define VWRITE 02
#define VEXEC  01

/*
 * The operations of a file system's vnodes.  Every name operation gets
 * the directory, the name (not NUL terminated, 1..NAME_MAX bytes, never
 * "." or "..", except lookup's "..") and the caller's credential; the
 * file system checks write and search permission on the directory, the
 * sticky bit and the types, all under its own locks.  Returned vnodes
 * carry a reference for the caller.
 */
struct vnodeops {
	int (*vop_lookup)(struct vnode *dvp, const char *nm, size_t len,
	    struct vnode **vpp);
	/* Make a node of va_type VREG, VDIR, VCHR, VBLK, VFIFO or VSOCK. */
	int (*vop_create)(struct vnode *dvp, const char *nm, size_t len,
	    const struct vattr *, kauth_cred_t, struct vnode **vpp);
	int (*vop_symlink)(struct vnode *dvp, const char *nm, size_t len,
	    const struct vattr *, const char *target, kauth_cred_t,
	    struct vnode **vpp);
	int (*vop_open)(struct vnode *, int fflag, kauth_cred_t);
	int (*vop_close)(struct vnode *, int fflag, kauth_cred_t);
	int (*vop_access)(struct vnode *, int mode, kauth_cred_t);
	int (*vop_getattr)(struct vnode *, struct vattr *);
	int (*vop_setattr)(struct vnode *, const struct vattr *, kauth_cred_t);
	int (*vop_read)(struct vnode *, struct uio *, int ioflag, kauth_cred_t);
	int (*vop_write)(struct vnode *, struct uio *, int ioflag,
	    kauth_cred_t);
	int (*vop_fsync)(struct vnode *, bool dataonly);
	/* Remove a non-directory (unlink) or an empty directory (rmdir). */
	int (*vop_remove)(struct vnode *dvp, const char *nm, size_t len,
	    bool isdir, kauth_cred_t);
	int (*vop_link)(struct vnode *dvp, const char *nm, size_t len,
	    struct vnode *vp, kauth_cred_t);
	/* Both directories are on the vnode's own mount. */
	int (*vop_rename)(struct vnode *fdvp, const char *fnm, size_t flen,
	    struct vnode *tdvp, const char *tnm, size_t tlen, kauth_cred_t);
	/*
	 * Directory entries as Linux dirent64 records from the cookie in
	 * uio_offset; uio_offset is left at the cookie of the next entry.
	 * A record that does not fit is not started: if none fit, EINVAL.
	 */
	int (*vop_readdir)(struct vnode *, struct uio *);
	int (*vop_readlink)(struct vnode *, struct uio *);
	/* SEEK_DATA or SEEK_HOLE from *offp; ENXIO past the end. */
	int (*vop_seekdata)(struct vnode *, int whence, off_t *offp);
	/*
	 * fallocate(2) on a regular file, mode and range checked by the
	 * VFS (sys_fallocate); EOPNOTSUPP for a mode the file system does
	 * not have.  NULL: none (EOPNOTSUPP).
	 */
	int (*vop_fallocate)(struct vnode *, int mode, off_t off, off_t len);
	/* The last reference is gone; set *recycle to free it at once. */
	int (*vop_inactive)(struct vnode *, bool *recycle);
	/* Detach the file system's state from the vnode. */
	int (*vop_reclaim)(struct vnode *);
	/*
	 * Start the I/O of a buffer of this vnode (sys/buf.h) and end it
	 * with biodone().  A device vnode hands it to its driver; a file
	 * system whose files use the buffer cache maps b_lblkno to
	 * b_blkno and hands it to its device vnode's.  A write may be
	 * started to make room in the cache, so it must not need another
	 * buffer: its address is resolved when the buffer is changed
	 * (b_wblkno).  NULL: no buffers.
	 */
	void (*vop_strategy)(struct vnode *, struct buf *);
	/*
	 * Extended attributes (sys/xattr.h), after vfs_xattr.c has checked
	 * the name, the namespace rules and permissions; the file system
	 * checks an ACL's owner rule and validity itself only for what it
	 * reads from its disk.  name: a full name, NUL-terminated.
	 * getxattr: the value's size in *lenp; with buf, at most the
	 * *lenp bytes that buf holds (ERANGE when it is bigger); ENODATA
	 * if there is none.  setxattr: flags XATTR_CREATE (EEXIST) or
	 * XATTR_REPLACE (ENODATA); an ACL name changes the mode as the
	 * ACL says.  listxattr: every name with its NUL, as getxattr for
	 * the size.  removexattr: ENODATA if there is none (an ACL name:
	 * no error).  NULL: the file system has no attributes
	 * (EOPNOTSUPP).
	 */
	int (*vop_getxattr)(struct vnode *, const char *name, void *buf,
	    size_t *lenp);
	int (*vop_setxattr)(struct vnode *, const char *name, const void *val,
	    size_t len, int flags, kauth_cred_t);
	int (*vop_listxattr)(struct vnode *, char *buf, size_t *lenp);
	int (*vop_removexattr)(struct vnode *, const char *name, kauth_cred_t);
};

/*
 * A vnode.  v_data and v_type are set by the file system's loadvnode
 * and stay while the vnode lives.
 */
typedef struct vnode {
	struct mount *v_mount;          /* c */
	const struct vnodeops *v_op;    /* c, but for a forced unmount:
					 * then dead_vnodeops, set under
					 * vcache_lock once no call is inside */
	void *v_data;                   /* c: the file system's node */
	enum vtype v_type;              /* c */
	ino_t v_ino;                    /* c: cache key with v_mount */
	unsigned v_vflag;               /* c: VV_* */
	unsigned v_usecount;            /* v */
	struct mount *v_mountedhere;    /* mountlist_lock: covering mount */
	dev_t v_rdev;                   /* c: VBLK, VCHR: the device */
	int v_writeerror;               /* bufcache_lock: of an asynchronous
					 * write, for the next vflushbuf */
	LIST_HEAD(, buf) v_buflist;     /* bufcache_lock: its cached buffers */
	LIST_HEAD(, buf) v_dirtylist;   /* bufcache_lock: those B_DELWRI */
	unsigned v_numoutput;           /* bufcache_lock: writes in flight */
	struct pipe *v_fifo;            /* fifo_lock (sys_pipe.c): a VFIFO's
					 * pipe while it is open; stable for
					 * an open file of it */
} vnode_t;

#define VV_ROOT 0x01                    /* root of its file system */

/* vfs_vnode.c */
void vref(struct vnode *);
void vrele(struct vnode *);
/*
 * The vnode of (mp, ino), loading it through VFS_LOADVNODE with the file
 * system's cookie (an in-memory file system's node) when not cached.
 */
int vcache_get(struct mount *, ino_t, void *cookie, struct vnode **);
/*
 * vcache_get() for an inode the file system has just allocated, called
 * with the file system's lock held.  The cache may still hold the
 * number's previous life freed with references left (vcache_freed()):
 * that one is passed over, never waited for, since its holders may
 * wait for the lock.  EEXIST when a vnode of ino is otherwise in use:
 * the file system's map of free inodes is wrong.
 */
int vcache_new(struct mount *, ino_t, void *cookie, struct vnode **);
/*
 * The file system has freed vp's inode (an unlinked file's last
 * release), with the lock that its allocations take held; references
 * may remain, but no lookup of the number finds vp any more.
 */
void vcache_freed(struct vnode *);
/*
 * For VOP_INACTIVE, with the file-system lock its lookups take held:
 * whether the caller's reference is the only one.  Another may have come
 * while inactive waited for that lock (a lookup before an unlink); then
 * the file must stay, and its holder's release runs inactive again.
 */
bool vlastref(struct vnode *);

/* The name cache's figures (vfs_cache.c; vcache_lock), for tests. */
struct ncstats {
	uint64_t ncs_hits;              /* a vnode found */
	uint64_t ncs_neghits;           /* a name known absent */
	uint64_t ncs_miss;              /* the file system was asked */
};
extern struct ncstats ncstats;

/* vfs_subr.c: checks every file system shares. */
int vaccess(enum vtype, mode_t, uid_t, gid_t, int mode, kauth_cred_t);
/* May cred remove or rename an entry for (uid) in a sticky directory? */
bool vsticky_ok(mode_t dirmode, uid_t diruid, uid_t uid, kauth_cred_t);
/* Check a setattr request against the file's current attributes. */
int vsetattr_check(const struct vattr *cur, struct vattr *req,
    kauth_cred_t, bool rdonly);
enum vtype iftovt(mode_t);
mode_t vttoif(enum vtype);

/*
 * The calls into a file system's vnode operations (vfs_vops.c).  Each
 * passes its mount's gate: after a forced unmount has closed it, the
 * operation is the dead vnode's (EIO) and the file system is not
 * entered; the unmount waits for calls already inside to return.
 */
int VOP_LOOKUP(struct vnode *, const char *, size_t, struct vnode **);
int VOP_CREATE(struct vnode *, const char *, size_t, const struct vattr *,
    kauth_cred_t, struct vnode **);
int VOP_SYMLINK(struct vnode *, const char *, size_t, const struct vattr *,
    const char *, kauth_cred_t, struct vnode **);
int VOP_OPEN(struct vnode *, int, kauth_cred_t);
int VOP_CLOSE(struct vnode *, int, kauth_cred_t);
int VOP_ACCESS(struct vnode *, int, kauth_cred_t);
int VOP_GETATTR(struct vnode *, struct vattr *);
int VOP_SETATTR(struct vnode *, const struct vattr *, kauth_cred_t);
int VOP_READ(struct vnode *, struct uio *, int, kauth_cred_t);
int VOP_WRITE(struct vnode *, struct uio *, int, kauth_cred_t);
int VOP_FSYNC(struct vnode *, bool);
int VOP_REMOVE(struct vnode *, const char *, size_t, bool, kauth_cred_t);
int VOP_LINK(struct vnode *, const char *, size_t, struct vnode *,
    kauth_cred_t);
int VOP_RENAME(struct vnode *, const char *, size_t, struct vnode *,
    const char *, size_t, kauth_cred_t);
int VOP_READDIR(struct vnode *, struct uio *);
int VOP_READLINK(struct vnode *, struct uio *);
int VOP_SEEKDATA(struct vnode *, int, off_t *);
int VOP_FALLOCATE(struct vnode *, int, off_t, off_t);
int VOP_INACTIVE(struct vnode *, bool *);
void VOP_STRATEGY(struct vnode *, struct buf *);
int VOP_GETXATTR(struct vnode *, const char *, void *, size_t *);
int VOP_SETXATTR(struct vnode *, const char *, const void *, size_t, int,
    kauth_cred_t);
int VOP_LISTXATTR(struct vnode *, char *, size_t *);
int VOP_REMOVEXATTR(struct vnode *, const char *, kauth_cred_t);

/* Shared operations for read-only file systems (vfs_rofs.c). */
int genfs_nullop_open(struct vnode *, int, kauth_cred_t);
int genfs_nullop_close(struct vnode *, int, kauth_cred_t);
int genfs_nullop_fsync(struct vnode *, bool);
int genfs_inactive_keep(struct vnode *, bool *);
int genfs_rofs_create(struct vnode *, const char *, size_t,
    const struct vattr *, kauth_cred_t, struct vnode **);
int genfs_rofs_symlink(struct vnode *, const char *, size_t,
    const struct vattr *, const char *, kauth_cred_t, struct vnode **);
int genfs_rofs_setattr(struct vnode *, const struct vattr *, kauth_cred_t);
int genfs_rofs_write(struct vnode *, struct uio *, int, kauth_cred_t);
int genfs_rofs_remove(struct vnode *, const char *, size_t, bool,
    kauth_cred_t);
int genfs_rofs_link(struct vnode *, const char *, size_t, struct vnode *,
    kauth_cred_t);
int genfs_rofs_rename(struct vnode *, const char *, size_t, struct vnode *,
    const char *, size_t, kauth_cred_t);

/*
 * Socket nodes for the Unix domain (vfs_socket.c).  Paths are kernel
 * strings, relative to the current process's directory.  bind: a new
 * VSOCK node, mode & ~umask, returned referenced; EADDRINUSE if the name
 * exists (vpp NULL: only that check, nothing made).  lookup: the node at
 * path, referenced, if it is a socket node (ECONNREFUSED if not) the
 * caller may write to (EACCES).
 */
int vfs_socket_bind(const char *path, mode_t mode, struct vnode **vpp);
int vfs_socket_lookup(const char *path, struct vnode **vpp);

#endif /* _SYS_VNODE_H_ */
