/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The rump kernel client interface.
 *
 * A program boots a kernel in its own process with rump_init() and then
 * uses it through the rump_sys_* system calls (<rump/rump_syscalls.h>) and
 * the rump_pub_* calls below.  Values crossing the interface are Linux's
 * (errno, O_*, struct stat ...): a failed rump_sys_* call returns -1 and
 * sets errno, as the host's own calls do.
 *
 * Which subsystems exist depends on which libraries are linked: see
 * pkg-config(1) for rump, rumpvfs, rumpfs_* and so on.  Link and go:
 * every linked component is initialised by rump_init().
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <sys/types.h>
#include <stdint.h>
#include <rump/rumpdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUMP_API __attribute__((__visibility__("default")))

struct componentname;
struct kauth_cred;
struct lwp;
struct modinfo;
struct mount;
struct uio;
struct vattr;
struct vnode;

/*
 * Boot the kernel.  Parameters are read from the environment:
 *   RUMP_NCPU      virtual CPUs (default: the host's processor count)
 *   RUMP_VERBOSE   1: print the boot messages
 *   RUMP_MEMLIMIT  bytes the kernel may allocate (k, m, g suffixes)
 *   RUMP_HOSTNAME  kern.hostname (default: "rump-<host pid>")
 * Returns 0 or an errno.  A second call returns 0 and does nothing.
 */
RUMP_API int rump_init(void);

/*
 * What the kernel does with a signal it would send a process, set before
 * rump_init().  The original's models: panic, ignore, raise it in the
 * host process, record it.  Our kernel sends none (a write to a pipe
 * with no reader is EPIPE, there is no kill(2)), so each model behaves
 * the same; the model is kept for rump_boot_getsigmodel().
 */
enum rump_sigmodel {
	RUMP_SIGMODEL_PANIC,
	RUMP_SIGMODEL_IGNORE,
	RUMP_SIGMODEL__HOST_NOTANYMORE,
	RUMP_SIGMODEL_RAISE,
	RUMP_SIGMODEL_RECORD
};
RUMP_API void rump_boot_setsigmodel(enum rump_sigmodel);
RUMP_API enum rump_sigmodel rump_boot_getsigmodel(void);

/*
 * Serve this kernel to other processes (rump_server(1), rumpclient(3)):
 * rump_init_server(url) listens on "unix:///path" or
 * "tcp://127.0.0.1:port" and serves each client connection on a thread
 * of its own, as a process of the kernel.  Call it after rump_init().
 * The socket's file permissions are the access control.  0 or an errno.
 * rump_daemonize_begin() before rump_init() forks, the parent waiting;
 * rump_daemonize_done(error) after rump_init_server() lets the parent
 * exit with that status (0: the server runs, in the child).
 */
RUMP_API int rump_init_server(const char *url);
RUMP_API int rump_daemonize_begin(void);
RUMP_API int rump_daemonize_done(int error);

/*
 * rump_getversion() (and the original's older name rump_pub_getversion())
 * is the hypercall interface version the kernel was built for
 * (RUMPUSER_VERSION).  rump_nativeabi_p() is 1: system calls take the
 * host's values and structures.
 */
RUMP_API int rump_getversion(void);
RUMP_API int rump_pub_getversion(void);
RUMP_API int rump_nativeabi_p(void);

/*
 * Components after boot.  A kernel library loaded with dlopen() after
 * rump_init() is initialised as it loads (its dependencies first, as the
 * dynamic linker runs their constructors first): dlopen of
 * librumpfs_tmpfs.so is all it takes to mount tmpfs.  Each component
 * library exports its registration as a pointer, rump_modinfo_<name>
 * (the component's name: rump_modinfo_tmpfs in librumpfs_tmpfs), and
 * rump_pub_module_init(mi, n) makes sure each of the n records is
 * initialised, in dependency order: 0, or EINVAL for something that is
 * not a registered record, or ENXIO before rump_init().  A component
 * already initialised is left as it is.
 */
RUMP_API int rump_pub_module_init(const struct modinfo *const *mi, size_t n);

/*
 * Processes.  Each host thread is bound to at most one lwp; a thread with
 * none runs in the default process (pid 1).
 *
 * rump_pub_lwproc_rfork() makes a process, a child of the current one, and
 * binds the calling thread to its first lwp.  The child's descriptor table
 * is a copy of the parent's with RUMP_RFFDG, empty with RUMP_RFCFDG, and
 * shared with neither.  Credentials, cwd and umask are inherited.
 *
 * rump_pub_lwproc_newlwp() adds an lwp to process pid and binds the calling
 * thread to it (ESRCH if there is no such process).  Pid 0 is proc0, the
 * kernel's own process (root, the kernel threads' descriptor table).
 *
 * rump_pub_lwproc_switch() binds the calling thread to l (NULL: unbind).
 * An lwp may be bound to one thread at a time.
 *
 * rump_pub_lwproc_releaselwp() ends the lwp bound to the calling thread;
 * with its last lwp a process ends and its descriptors are closed.
 *
 * rump_pub_lwproc_curlwp() is the lwp bound to the calling thread, or NULL.
 *
 * None of these may be called from inside the kernel.
 */
#define RUMP_RFFDG  0x04
#define RUMP_RFCFDG 0x1000
RUMP_API int rump_pub_lwproc_rfork(int flags);
/*
 * In the original this makes the calling process's system calls take
 * the host's binary conventions; ours always do, so it does nothing.
 */
RUMP_API void rump_pub_lwproc_sysent_usenative(void);
RUMP_API int rump_pub_lwproc_newlwp(pid_t pid);
RUMP_API void rump_pub_lwproc_switch(struct lwp *l);
RUMP_API void rump_pub_lwproc_releaselwp(void);
RUMP_API struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * Enter and leave the kernel by hand, for code that calls kernel
 * functions directly (tests of kernel internals).  rump_sys_* calls do
 * this themselves.
 */
RUMP_API void rump_schedule(void);
RUMP_API void rump_unschedule(void);

/* Boot time of rump_init() in nanoseconds, for diagnostics. */
RUMP_API unsigned long long rump_pub_boottime_ns(void);

/*
 * Read and set sysctl values by name ("kern.hostname", "hw.ncpu"), as
 * __sysctl(2) does by number (see <rump/rumpdefs.h>, RUMP_CTL_*):
 * oldv NULL asks for the size only; a too small oldv gets what fits and
 * ENOMEM; *oldlenp is set to the value's size.  newv, when not NULL, is
 * the new value (root only, as for __sysctl).  Returns 0 or an errno:
 * ENOENT for no such name, EISDIR for a name that is a node, ENOTDIR for
 * one that goes on past a value, EPERM, EINVAL, and ENXIO when the kernel
 * is not running.
 */
RUMP_API int rump_pub_sysctlbyname(const char *name, void *oldv,
    size_t *oldlenp, const void *newv, size_t newlen);

/*
 * Flags for rump_sys_reboot(howto, NULL), which only root may call
 * (EPERM).  Unless RUMP_RB_NOSYNC, it first syncs (runs the kernel's
 * shutdown hooks: the file systems flush).  Then:
 *   RUMP_RB_AUTOBOOT  the host process exits with status 0;
 *   RUMP_RB_HALT      the kernel halts and the call returns 0: the host
 *                     process goes on, and every later rump_sys_* call
 *                     fails with ENXIO (a kernel does not boot twice in
 *                     one process);
 *   RUMP_RB_DUMP      the kernel panics (the process aborts).
 * "rump kernel halted" is printed when booted with RUMP_VERBOSE.
 */
#define RUMP_RB_AUTOBOOT 0x0000 /* sync, halt and exit the host process */
#define RUMP_RB_HALT     0x0008 /* sync and halt; the host process goes on */
#define RUMP_RB_NOSYNC   0x0004 /* do not sync file systems first */
#define RUMP_RB_DUMP     0x0100 /* halt as a panic would */

/*
 * Host files in the kernel's namespace (etfs, rump_etfs(3)).
 *
 * rump_pub_etfs_register(key, hostpath, type) makes the host file or
 * directory hostpath appear at key, an absolute path in the root file
 * system (EINVAL unless it starts with '/'; symbolic links and mounts
 * are not followed; missing parent directories are created, mode 0755,
 * and stay).  The node is owned by root, mode 0644 (directories 0755):
 *   RUMP_ETFS_REG          a regular file whose data is the host file's;
 *   RUMP_ETFS_BLK          a block device (what disk file systems mount:
 *                          their mount argument is the key), through the
 *                          buffer cache and asynchronous host I/O;
 *   RUMP_ETFS_CHR          a character device, raw host I/O;
 *   RUMP_ETFS_DIR          a host directory: each of its regular files
 *                          appears as a RUMP_ETFS_REG file when looked up;
 *   RUMP_ETFS_DIR_SUBDIRS  the same, and its directories likewise.
 * The _withsize variant exposes size bytes of the host file from offset
 * begin (RUMP_ETFS_SIZE_ENDOFF: to the end of the file, which may grow).
 * A device's size is fixed when it is registered; a window that goes
 * past the end of the host file reads as an I/O error (EIO) there.
 *
 * Returns 0 or: EEXIST (key registered, or something is at key), ENOENT
 * (no hostpath), EISDIR/ENOTDIR (hostpath's type does not fit type),
 * EINVAL (bad type, key or window: begin past the host file's end, an
 * empty window, a window on a directory), ENXIO (no kernel), and what
 * the host says opening the file.
 * rump_pub_etfs_remove(key) takes the node away: EBUSY while it (or for a
 * directory, a file under it) is open or mounted, ENOENT for a key not
 * registered.  They are in librumpvfs.
 */
enum rump_etfs_type {
	RUMP_ETFS_REG,
	RUMP_ETFS_BLK,
	RUMP_ETFS_CHR,
	RUMP_ETFS_DIR,
	RUMP_ETFS_DIR_SUBDIRS
};
#define RUMP_ETFS_SIZE_ENDOFF ((uint64_t)-1)

RUMP_API int rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type);
RUMP_API int rump_pub_etfs_register_withsize(const char *key,
    const char *hostpath, enum rump_etfs_type type, uint64_t begin,
    uint64_t size);
RUMP_API int rump_pub_etfs_remove(const char *key);

/*
 * Host files registered as the kernel boots, before anything else can
 * run in it: fill in the first five fields of a struct rump_boot_etfs,
 * which must stay valid until rump_init() returns, and pass it to
 * rump_boot_etfs_register() before rump_init() (from the thread that
 * will boot).  rump_init() registers each, in order, as
 * rump_pub_etfs_register_withsize() would, and puts the result (0 or an
 * errno) in eb_status, which is -1 until then.  Called after boot, it
 * registers at once.
 */
struct rump_boot_etfs {
	const char *eb_key;             /* set by the client */
	const char *eb_hostpath;
	enum rump_etfs_type eb_type;
	uint64_t eb_begin;
	uint64_t eb_size;               /* RUMP_ETFS_SIZE_ENDOFF: to the end */
	struct rump_boot_etfs *_eb_next; /* the kernel's */
	int eb_status;                  /* set by the kernel */
};
RUMP_API void rump_boot_etfs_register(struct rump_boot_etfs *eb);

/*
 * The vnode-level interface, for file-system servers that work below the
 * system calls (rump(3), VNODE-LEVEL INTERFACE; librumpvfs).  Vnodes,
 * credentials, componentnames, vattrs and uios are opaque; each call
 * enters the kernel itself.  Unlike the original's, our vnodes are never
 * locked: RUMP_NAMEI_LOCKLEAF and _LOCKPARENT are accepted and lock
 * nothing, and the RUMP_VOP_* operations (<rump/rumpvnode_if.h>) leave
 * the caller's references as they were (the original's remove, rmdir
 * and rename consume them): release every vnode you were handed with
 * rump_pub_vp_rele().  A change to a read-only mount is EROFS.
 *
 * rump_pub_namei(op, flags, path, &dvp, &vp, &cn) looks path up from the
 * calling process's current directory (RUMP_NAMEI_FOLLOW: follow a
 * symbolic link at the end); each of dvp (the parent directory), vp (the
 * file, NULL when a RUMP_NAMEI_CREATE or _RENAME names a missing one)
 * and cn (the last name, for RUMP_VOP_*) may be NULL if not wanted.
 * Returns 0 or the errno a system call on path would give.
 * rump_pub_vfs_getmp(path, &mp) gives the mount path is on (an opaque
 * handle, valid while it stays mounted).
 * rump_pub_makecn() makes a componentname of namelen bytes of name
 * (NULL if too long for a path), for an operation nameiop with cred (l is
 * the original's and unused); rump_pub_freecn(cn, RUMPCN_FREECRED) frees
 * it and puts the credential back too.
 * rump_pub_cred_create() makes a credential: real, effective and saved
 * ids uid and gid, and ngroups (at most 32, else NULL) supplementary
 * groups; rump_pub_cred_put() releases it.
 * rump_pub_vattr_init() makes attributes that change nothing, the
 * _set* calls name what to set (the type for RUMP_VOP_MKNOD); and
 * rump_pub_getvninfo() reads a vnode's type, size and device.
 * rump_pub_uio_setup() describes a buffer for RUMP_VOP_READ, _WRITE,
 * _READDIR and _READLINK from offset off; _getresid() and _getoff() say
 * where it stands, and _free() frees it, returning the residue.
 */
#define RUMP_NAMEI_LOOKUP     0
#define RUMP_NAMEI_CREATE     1
#define RUMP_NAMEI_DELETE     2
#define RUMP_NAMEI_RENAME     3
#define RUMP_NAMEI_LOCKLEAF   0x0004
#define RUMP_NAMEI_LOCKPARENT 0x0008
#define RUMP_NAMEI_FOLLOW     0x0040
#define RUMPCN_FREECRED       0x02
#define RUMP_FSYNC_WAIT       0x0001        /* RUMP_VOP_FSYNC flags */
#define RUMP_FSYNC_DATAONLY   0x0002

enum rump_vtype {
	RUMP_VNON, RUMP_VREG, RUMP_VDIR, RUMP_VBLK, RUMP_VCHR, RUMP_VLNK,
	RUMP_VSOCK, RUMP_VFIFO, RUMP_VBAD
};
enum rump_uiorw { RUMPUIO_READ, RUMPUIO_WRITE };

RUMP_API int rump_pub_namei(uint32_t op, uint32_t flags, const char *path,
    struct vnode **dvpp, struct vnode **vpp, struct componentname **cnpp);
RUMP_API int rump_pub_vfs_getmp(const char *path, struct mount **mpp);
RUMP_API struct componentname *rump_pub_makecn(unsigned long nameiop,
    unsigned long flags, const char *name, size_t namelen,
    struct kauth_cred *cred, struct lwp *l);
RUMP_API void rump_pub_freecn(struct componentname *cn, int flags);
RUMP_API struct kauth_cred *rump_pub_cred_create(uid_t uid, gid_t gid,
    size_t ngroups, gid_t *groups);
RUMP_API void rump_pub_cred_put(struct kauth_cred *cred);
RUMP_API void rump_pub_vp_incref(struct vnode *vp);
RUMP_API void rump_pub_vp_rele(struct vnode *vp);
RUMP_API struct vattr *rump_pub_vattr_init(void);
RUMP_API void rump_pub_vattr_settype(struct vattr *va, enum rump_vtype type);
RUMP_API void rump_pub_vattr_setmode(struct vattr *va, mode_t mode);
RUMP_API void rump_pub_vattr_setrdev(struct vattr *va, dev_t rdev);
RUMP_API void rump_pub_vattr_free(struct vattr *va);
RUMP_API void rump_pub_getvninfo(struct vnode *vp, enum rump_vtype *typep,
    off_t *sizep, dev_t *rdevp);
RUMP_API struct uio *rump_pub_uio_setup(void *buf, size_t bufsize, off_t off,
    enum rump_uiorw rw);
RUMP_API size_t rump_pub_uio_getresid(struct uio *uio);
RUMP_API off_t rump_pub_uio_getoff(struct uio *uio);
RUMP_API size_t rump_pub_uio_free(struct uio *uio);

#ifdef __cplusplus
}
#endif

/* The vnode operations (librumpvfs). */
#include <rump/rumpvnode_if.h>

#endif /* _RUMP_RUMP_H_ */
