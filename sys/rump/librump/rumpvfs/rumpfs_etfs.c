/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * etfs in rumpfs: the registry of keys, the rumpfs nodes that show host
 * files, and the vnode operations of rumpfs nodes that are not plain
 * memory: device nodes (spec_vnops.c, for mknod's nodes as well as
 * etfs's), host regular files (their data is the host file's, read and
 * written through rumpuser), and host directories (a lookup that misses
 * makes a node for the host file of that name).  Everything else about
 * these nodes (names, modes, owners, times) is rumpfs's.
 *
 *   rump_pub_etfs_register -> a node at key with rn_etfs -> loadvnode
 *   picks the operations here -> etfs_read -> rumpuser_iovread
 *   getdents64 of a host directory -> etfs_readdir -> rumpuser_dir_list
 *   -> etfs_fill_one -> etfs_hostnode (as etfs_lookup) -> rumpfs_readdir
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "dev_private.h"
#include "etfs.h"
#include "rumpfs.h"

#define ETFS_CHUNK (64 * 1024)

#define VTORN(vp) ((struct rumpfs_node *)(vp)->v_data)
#define VTOE(vp) (VTORN(vp)->rn_etfs)

kmutex_t etfs_lock;
struct etfs_list etfs_registered;
static unsigned etfs_nextminor;                 /* r */
static bool etfs_ready;

static struct vnodeops rumpfs_specops, etfs_regops, etfs_dirops,
    etfs_devops;

const struct vnodeops *
rumpfs_node_vnodeops(struct rumpfs_node *rn)
{
	if (rn->rn_etfs != NULL) {
		switch (rn->rn_type) {
		case VREG:
			return &etfs_regops;
		case VDIR:
			return &etfs_dirops;
		default:
			return &etfs_devops;
		}
	}
	if (rn->rn_type == VBLK || rn->rn_type == VCHR)
		return &rumpfs_specops;
	return &rumpfs_vnodeops;
}

void
etfs_ref(struct etfs *e)
{
	mutex_enter(&etfs_lock);
	e->e_refcnt++;
	mutex_exit(&etfs_lock);
}

void
etfs_rele(struct etfs *e)
{
	mutex_enter(&etfs_lock);
	KASSERT(e->e_refcnt > 0);
	if (--e->e_refcnt > 0) {
		mutex_exit(&etfs_lock);
		return;
	}
	mutex_exit(&etfs_lock);
	if (e->e_fd != -1)
		(void)rumpuser_close(e->e_fd);
	mutex_destroy(&e->e_lock);
	if (e->e_key != NULL)
		kmem_strfree(e->e_key);
	kmem_strfree(e->e_hostpath);
	kmem_free(e, sizeof(*e));
}

int
etfs_hostopen(struct etfs *e)
{
	int error;

	KASSERT(mutex_owned(&e->e_lock));
	if (e->e_fd != -1)
		return 0;
	error = rumpuser_open(e->e_hostpath, RUMPUSER_OPEN_RDWR |
	    (e->e_type == RUMP_ETFS_BLK ? RUMPUSER_OPEN_BIO : 0), &e->e_fd);
	e->e_rdonly = false;
	if (error == EACCES || error == EROFS || error == EPERM) {
		error = rumpuser_open(e->e_hostpath, RUMPUSER_OPEN_RDONLY |
		    (e->e_type == RUMP_ETFS_BLK ? RUMPUSER_OPEN_BIO : 0),
		    &e->e_fd);
		e->e_rdonly = true;
	}
	if (error)
		e->e_fd = -1;
	return error;
}

static struct etfs *
etfs_alloc(const char *hostpath, enum rump_etfs_type type, uint64_t begin,
    uint64_t size)
{
	struct etfs *e;

	if ((e = kmem_zalloc(sizeof(*e), KM_SLEEP)) == NULL)
		return NULL;
	if ((e->e_hostpath = kmem_strdup(hostpath, KM_SLEEP)) == NULL) {
		kmem_free(e, sizeof(*e));
		return NULL;
	}
	e->e_type = type;
	e->e_begin = begin;
	e->e_size = size;
	e->e_fd = -1;
	e->e_refcnt = 1;
	mutex_init(&e->e_lock, MUTEX_DEFAULT, IPL_NONE);
	return e;
}

/* The size the host file shows through e's window now. */
static uint64_t
etfs_cursize(struct etfs *e)
{
	unsigned long long hsize;
	uint64_t size;
	int ftype;

	if (rumpuser_getfileinfo(e->e_hostpath, &hsize, &ftype) != 0)
		return 0;
	size = hsize > e->e_begin ? hsize - e->e_begin : 0;
	if (e->e_size != RUMP_ETFS_SIZE_ENDOFF)
		size = MIN(size, e->e_size);
	return size;
}

/*
 * Vnode operations of host regular files.
 */
static int
etfs_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	struct etfs *e = VTOE(vp);
	int error;

	(void)cred;
	mutex_enter(&e->e_lock);
	if (e->e_removing)
		error = ENOENT;
	else if ((error = etfs_hostopen(e)) == 0) {
		if ((fflag & FWRITE) && e->e_rdonly)
			error = EACCES;
		else
			e->e_opencnt++;
	}
	mutex_exit(&e->e_lock);
	return error;
}

/* The host file stays open only while the node is. */
static int
etfs_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	struct etfs *e = VTOE(vp);
	int fd = -1;

	(void)fflag;
	(void)cred;
	mutex_enter(&e->e_lock);
	KASSERT(e->e_opencnt > 0);
	if (--e->e_opencnt == 0) {
		fd = e->e_fd;
		e->e_fd = -1;
	}
	mutex_exit(&e->e_lock);
	if (fd != -1)
		(void)rumpuser_close(fd);
	return 0;
}

static int
etfs_getattr(struct vnode *vp, struct vattr *va)
{
	int error;

	if ((error = rumpfs_vnodeops.vop_getattr(vp, va)) != 0)
		return error;
	va->va_size = (off_t)etfs_cursize(VTOE(vp));
	va->va_bytes = (uint64_t)va->va_size;
	return 0;
}

/*
 * rumpfs checks the request and keeps the times; the size is the host
 * file's.  Only a window to the end of the file can change size.
 */
static int
etfs_setattr(struct vnode *vp, const struct vattr *va, kauth_cred_t cred)
{
	struct etfs *e = VTOE(vp);
	int error;

	if ((va->va_mask & VA_SIZE) && (va->va_size < 0 ||
	    e->e_size != RUMP_ETFS_SIZE_ENDOFF))
		return EINVAL;
	if ((error = rumpfs_vnodeops.vop_setattr(vp, va, cred)) != 0 ||
	    (va->va_mask & VA_SIZE) == 0)
		return error;
	mutex_enter(&e->e_lock);
	if ((error = etfs_hostopen(e)) == 0) {
		if (e->e_rdonly)
			error = EROFS;
		else
			error = rumpuser_ftruncate(e->e_fd,
			    e->e_begin + (uint64_t)va->va_size);
		if (e->e_opencnt == 0) {
			(void)rumpuser_close(e->e_fd);
			e->e_fd = -1;
		}
	}
	mutex_exit(&e->e_lock);
	return error;
}

/* A read or write through a kernel buffer, within the window. */
static int
etfs_rw(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct etfs *e = VTOE(vp);
	struct rumpuser_iovec iov;
	unsigned long done;
	uint64_t off, limit;
	size_t n;
	char *buf;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	if (e->e_fd == -1)
		return EBADF;
	if (uio->uio_rw == UIO_WRITE && (ioflag & IO_APPEND))
		uio->uio_offset = (off_t)etfs_cursize(e);
	limit = e->e_size == RUMP_ETFS_SIZE_ENDOFF ?
	    (uint64_t)INT64_MAX - e->e_begin : e->e_size;
	if (uio->uio_rw == UIO_WRITE && uio->uio_resid > 0 &&
	    (uint64_t)uio->uio_offset >= limit)
		return EFBIG;
	if ((buf = kmem_alloc(ETFS_CHUNK, KM_SLEEP)) == NULL)
		return ENOMEM;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < limit) {
		off = (uint64_t)uio->uio_offset;
		n = MIN(uio->uio_resid, ETFS_CHUNK);
		n = MIN(n, limit - off);
		iov.iov_base = buf;
		iov.iov_len = n;
		if (uio->uio_rw == UIO_READ) {
			if ((error = rumpuser_iovread(e->e_fd, &iov, 1,
			    (long long)(e->e_begin + off), &done)) != 0)
				break;
			if ((error = uiomove(buf, done, uio)) != 0 || done < n)
				break;
		} else {
			if ((error = uiomove(buf, n, uio)) != 0)
				break;
			error = rumpuser_iovwrite(e->e_fd, &iov, 1,
			    (long long)(e->e_begin + off), &done);
			if (error != 0 || done < n) {
				uio->uio_resid += n - done;
				uio->uio_offset -= (off_t)(n - done);
				break;
			}
		}
	}
	kmem_free(buf, ETFS_CHUNK);
	return error;
}

static int
etfs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	(void)cred;
	return etfs_rw(vp, uio, ioflag);
}

static int
etfs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	int error;

	(void)cred;
	if (vfs_isrdonly(vp->v_mount))
		return EROFS;
	error = etfs_rw(vp, uio, ioflag);
	if (error == 0 && (ioflag & IO_SYNC))
		error = rumpuser_syncfd(VTOE(vp)->e_fd, RUMPUSER_SYNCFD_WRITE |
		    RUMPUSER_SYNCFD_SYNC, 0, 0);
	return error;
}

static int
etfs_fsync(struct vnode *vp, bool dataonly)
{
	struct etfs *e = VTOE(vp);
	int error = 0;

	(void)dataonly;
	mutex_enter(&e->e_lock);
	if (e->e_fd != -1)
		error = rumpuser_syncfd(e->e_fd, RUMPUSER_SYNCFD_WRITE |
		    RUMPUSER_SYNCFD_SYNC, 0, 0);
	mutex_exit(&e->e_lock);
	return error;
}

/* Holes are the host's business: all of the file is data here. */
static int
etfs_seekdata(struct vnode *vp, int whence, off_t *offp)
{
	uint64_t size = etfs_cursize(VTOE(vp));

	if (*offp < 0 || (uint64_t)*offp >= size)
		return ENXIO;
	if (whence == SEEK_HOLE)
		*offp = (off_t)size;
	return 0;
}

/* The node goes with its last link: so does its reference. */
static int
etfs_reclaim(struct vnode *vp)
{
	struct rumpfs_node *rn = VTORN(vp);
	struct etfs *e = rn->rn_etfs;
	bool gone = atomic_load_relaxed(&rn->rn_nlink) == 0;

	if (vp->v_type == VBLK)
		spec_reclaim(vp);
	rumpfs_vnodeops.vop_reclaim(vp);
	if (gone)
		etfs_rele(e);
	return 0;
}

/*
 * Making nodes in rumpfs directly, with rm_nslock held for writing.
 */
static int
etfs_mknode(struct rumpfs_mount *rm, struct rumpfs_node *dir,
    const char *name, size_t len, enum vtype type, dev_t rdev,
    struct etfs *e, struct rumpfs_node **rnp)
{
	struct rumpfs_dirent *rd;
	struct rumpfs_node *rn;
	int error;

	KASSERT(rw_write_held(&rm->rm_nslock));
	if ((error = rumpfs_dirent_alloc(rm, name, len, &rd)) != 0)
		return error;
	if ((error = rumpfs_node_alloc(rm, type, type == VDIR ? 0755 : 0644,
	    0, 0, rdev, &rn)) != 0) {
		rumpfs_dirent_free(rm, rd);
		return error;
	}
	rn->rn_etfs = e;
	rumpfs_dir_attach(rm, dir, rd, rn);
	if (type == VDIR)
		atomic_store_relaxed(&dir->rn_nlink,
		    atomic_load_relaxed(&dir->rn_nlink) + 1);
	*rnp = rn;
	return 0;
}

static enum vtype
etfs_vtype(enum rump_etfs_type type)
{
	switch (type) {
	case RUMP_ETFS_REG:
		return VREG;
	case RUMP_ETFS_BLK:
		return VBLK;
	case RUMP_ETFS_CHR:
		return VCHR;
	default:
		return VDIR;
	}
}

/*
 * Host directories: a name rumpfs does not have is looked for on the
 * host, and a regular file (or with DIR_SUBDIRS a directory) found
 * there gets a node of its own, which stays.  Listing the directory from
 * its start first makes the nodes of the host's entries that have none,
 * so that a listing shows the host directory as it is then (and the
 * nodes rumpfs has besides).  A node whose host file went away stays
 * until the key is removed: opening it fails.
 */

/* The kind of node a host file of type ftype gets in e, if any. */
static bool
etfs_hosttype(struct etfs *e, int ftype, enum rump_etfs_type *typep)
{
	if (ftype == RUMPUSER_FT_REG)
		*typep = RUMP_ETFS_REG;
	else if (ftype == RUMPUSER_FT_DIR && e->e_type == RUMP_ETFS_DIR_SUBDIRS)
		*typep = RUMP_ETFS_DIR_SUBDIRS;
	else
		return false;
	return true;
}

/*
 * Make the node of the host file nm (of kind type) in the host directory
 * dir, unless dir has an entry nm already; with vpp, get the vnode of
 * whichever entry is there.
 */
static int
etfs_hostnode(struct mount *mp, struct rumpfs_node *dir, const char *nm,
    size_t len, enum rump_etfs_type type, struct vnode **vpp)
{
	struct rumpfs_mount *rm = RUMPFS_MOUNT(mp);
	struct rumpfs_dirent *rd;
	struct rumpfs_node *rn;
	struct etfs *e = dir->rn_etfs, *ne;
	size_t plen;
	char *path;
	int error = 0;

	plen = strlen(e->e_hostpath) + 1 + len + 1;
	if ((path = kmem_alloc(plen, KM_SLEEP)) == NULL)
		return ENOMEM;
	snprintf(path, plen, "%s/%.*s", e->e_hostpath, (int)len, nm);
	ne = etfs_alloc(path, type, 0, RUMP_ETFS_SIZE_ENDOFF);
	kmem_free(path, plen);
	if (ne == NULL)
		return ENOMEM;
	rw_enter(&rm->rm_nslock, RW_WRITER);
	if (atomic_load_relaxed(&dir->rn_nlink) == 0)
		error = ENOENT;
	else if ((rd = rumpfs_dir_lookup(rm, dir, nm, len)) != NULL) {
		/* Made meanwhile, or there all along. */
		if (vpp != NULL)
			error = vcache_get(mp, rd->rd_node->rn_ino,
			    rd->rd_node, vpp);
	} else if ((error = etfs_mknode(rm, dir, nm, len, etfs_vtype(type),
	    0, ne, &rn)) == 0) {
		ne = NULL;
		if (vpp != NULL)
			error = vcache_get(mp, rn->rn_ino, rn, vpp);
	}
	rw_exit(&rm->rm_nslock);
	if (ne != NULL)
		etfs_rele(ne);
	return error;
}

static int
etfs_lookup(struct vnode *dvp, const char *nm, size_t len,
    struct vnode **vpp)
{
	enum rump_etfs_type type;
	unsigned long long hsize;
	size_t plen;
	char *path;
	int error, ftype;

	error = rumpfs_vnodeops.vop_lookup(dvp, nm, len, vpp);
	if (error != ENOENT || (len == 2 && nm[0] == '.' && nm[1] == '.'))
		return error;
	plen = strlen(VTOE(dvp)->e_hostpath) + 1 + len + 1;
	if ((path = kmem_alloc(plen, KM_SLEEP)) == NULL)
		return ENOMEM;
	snprintf(path, plen, "%s/%.*s", VTOE(dvp)->e_hostpath, (int)len, nm);
	error = rumpuser_getfileinfo(path, &hsize, &ftype);
	kmem_free(path, plen);
	if (error != 0 || !etfs_hosttype(VTOE(dvp), ftype, &type))
		return ENOENT;
	return etfs_hostnode(dvp->v_mount, VTORN(dvp), nm, len, type, vpp);
}

/* One entry of the listing of the host directory arg (a vnode). */
static int
etfs_fill_one(void *arg, const char *name, int ftype)
{
	struct vnode *dvp = arg;
	struct rumpfs_mount *rm = RUMPFS_MOUNT(dvp->v_mount);
	struct rumpfs_node *dir = VTORN(dvp);
	enum rump_etfs_type type;
	size_t len = strlen(name);
	bool have;

	if (!etfs_hosttype(dir->rn_etfs, ftype, &type) || len > NAME_MAX)
		return 0;
	/* Most entries have their node from before: no allocation then. */
	rw_enter(&rm->rm_nslock, RW_READER);
	have = rumpfs_dir_lookup(rm, dir, name, len) != NULL;
	rw_exit(&rm->rm_nslock);
	if (have)
		return 0;
	return etfs_hostnode(dvp->v_mount, dir, name, len, type, NULL);
}

static int
etfs_readdir(struct vnode *vp, struct uio *uio)
{
	int error;

	/*
	 * Only from the start: a listing that resumes goes on from its
	 * cookie over the nodes there were, and nodes made now come after
	 * every cookie handed out so far.
	 */
	if (uio->uio_offset == 0 &&
	    atomic_load_relaxed(&VTORN(vp)->rn_nlink) != 0) {
		error = rumpuser_dir_list(VTOE(vp)->e_hostpath, etfs_fill_one,
		    vp);
		/* The host directory went away: rumpfs's entries remain. */
		if (error != 0 && error != ENOENT && error != ENOTDIR)
			return error;
	}
	return rumpfs_vnodeops.vop_readdir(vp, uio);
}

/* The next component of *pp, advancing past it and its slashes. */
static size_t
etfs_component(const char **pp, const char **namep)
{
	const char *p = *pp;
	size_t len;

	while (*p == '/')
		p++;
	*namep = p;
	for (len = 0; p[len] != '\0' && p[len] != '/'; len++)
		continue;
	*pp = p + len;
	while (**pp == '/')
		(*pp)++;
	return len;
}

/* Check a key: components 1..NAME_MAX bytes, none "." or "..". */
static int
etfs_checkkey(const char *key)
{
	const char *p = key, *name;
	size_t len, n = 0;

	if (strlen(key) >= PATH_MAX)
		return ENAMETOOLONG;
	while (*p != '\0' || n == 0) {
		len = etfs_component(&p, &name);
		if (len == 0)
			return EINVAL;
		if (len > NAME_MAX)
			return ENAMETOOLONG;
		if ((len == 1 && name[0] == '.') ||
		    (len == 2 && name[0] == '.' && name[1] == '.'))
			return EINVAL;
		n++;
	}
	return 0;
}

/* Make the node of e at its key, directories on the way as needed. */
static int
etfs_place(struct etfs *e)
{
	struct rumpfs_mount *rm = RUMPFS_MOUNT(rootmount);
	struct rumpfs_node *dir = rm->rm_root, *rn;
	struct rumpfs_dirent *rd;
	const char *p = e->e_key, *name;
	size_t len;
	int error = 0;

	rw_enter(&rm->rm_nslock, RW_WRITER);
	for (;;) {
		len = etfs_component(&p, &name);
		rd = rumpfs_dir_lookup(rm, dir, name, len);
		if (*p == '\0') {
			if (rd != NULL)
				error = EEXIST;
			else
				error = etfs_mknode(rm, dir, name, len,
				    etfs_vtype(e->e_type), e->e_dev, e, &rn);
			break;
		}
		if (rd == NULL) {
			if ((error = etfs_mknode(rm, dir, name, len, VDIR, 0,
			    NULL, &rn)) != 0)
				break;
			dir = rn;
		} else if (rd->rd_node->rn_type != VDIR) {
			error = ENOTDIR;
			break;
		} else
			dir = rd->rd_node;
	}
	rw_exit(&rm->rm_nslock);
	return error;
}

static bool
etfs_type_ok(enum rump_etfs_type type)
{
	switch (type) {
	case RUMP_ETFS_REG:
	case RUMP_ETFS_BLK:
	case RUMP_ETFS_CHR:
	case RUMP_ETFS_DIR:
	case RUMP_ETFS_DIR_SUBDIRS:
		return true;
	}
	return false;
}

static int
etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size)
{
	unsigned long long hsize;
	struct etfs *e, *o;
	bool isdir = type == RUMP_ETFS_DIR || type == RUMP_ETFS_DIR_SUBDIRS;
	unsigned minor;
	int error, ftype;

	if (!etfs_type_ok(type))
		return EINVAL;
	if ((error = etfs_checkkey(key)) != 0)
		return error;
	if ((error = rumpuser_getfileinfo(hostpath, &hsize, &ftype)) != 0)
		return error;
	if (isdir && ftype != RUMPUSER_FT_DIR)
		return ENOTDIR;
	if (!isdir && ftype == RUMPUSER_FT_DIR)
		return EISDIR;
	if (isdir && (begin != 0 || size != RUMP_ETFS_SIZE_ENDOFF))
		return EINVAL;
	if (begin > hsize || begin > (uint64_t)INT64_MAX || size == 0 ||
	    (size != RUMP_ETFS_SIZE_ENDOFF &&
	    size > (uint64_t)INT64_MAX - begin))
		return EINVAL;
	if ((e = etfs_alloc(hostpath, type, begin, size)) == NULL)
		return ENOMEM;
	if ((e->e_key = kmem_strdup(key, KM_SLEEP)) == NULL) {
		etfs_rele(e);
		return ENOMEM;
	}
	if (type == RUMP_ETFS_BLK || type == RUMP_ETFS_CHR) {
		e->e_devsize = size == RUMP_ETFS_SIZE_ENDOFF ? hsize - begin :
		    size;
		mutex_enter(&e->e_lock);
		error = etfs_hostopen(e);
		mutex_exit(&e->e_lock);
		if (error) {
			etfs_rele(e);
			return error;
		}
	}

	mutex_enter(&etfs_lock);
	LIST_FOREACH(o, &etfs_registered, e_list) {
		if (strcmp(o->e_key, key) == 0) {
			mutex_exit(&etfs_lock);
			etfs_rele(e);
			return EEXIST;
		}
	}
	minor = etfs_nextminor++;
	e->e_dev = makedev(etfs_major, minor);
	/* Registered, so the device can be found, before it has a node. */
	LIST_INSERT_HEAD(&etfs_registered, e, e_list);
	e->e_refcnt++;                  /* the node's */
	mutex_exit(&etfs_lock);

	if ((error = etfs_place(e)) != 0) {
		mutex_enter(&etfs_lock);
		LIST_REMOVE(e, e_list);
		e->e_refcnt--;
		mutex_exit(&etfs_lock);
		etfs_rele(e);
	}
	return error;
}

/* Is anything under the host directory dir open?  rm_nslock held. */
static bool
etfs_tree_busy(struct rumpfs_node *dir)
{
	struct rumpfs_dirent *rd;
	struct rumpfs_node *rn;
	bool busy;

	TAILQ_FOREACH(rd, &dir->rn_dir, rd_entries) {
		rn = rd->rd_node;
		if (rn->rn_etfs != NULL) {
			mutex_enter(&rn->rn_etfs->e_lock);
			busy = rn->rn_etfs->e_opencnt > 0;
			mutex_exit(&rn->rn_etfs->e_lock);
			if (busy)
				return true;
		}
		if (rn->rn_type == VDIR && etfs_tree_busy(rn))
			return true;
	}
	return false;
}

/*
 * Unlink the entry rd of dir, and everything under it for a directory,
 * as rmdir and unlink would (a vnode held across the change).  rm_nslock
 * held for writing.
 */
static void
etfs_unlink(struct mount *mp, struct rumpfs_mount *rm,
    struct rumpfs_node *dir, struct rumpfs_dirent *rd)
{
	struct rumpfs_node *rn = rd->rd_node;
	struct rumpfs_dirent *crd;
	struct vnode *vp;
	bool havevp;

	if (rn->rn_type == VDIR)
		while ((crd = TAILQ_FIRST(&rn->rn_dir)) != NULL)
			etfs_unlink(mp, rm, rn, crd);
	havevp = vcache_get(mp, rn->rn_ino, rn, &vp) == 0;
	rumpfs_dir_detach(dir, rd);
	rumpfs_dirent_free(rm, rd);
	if (rn->rn_type == VDIR) {
		atomic_store_relaxed(&rn->rn_nlink, 0);
		atomic_store_relaxed(&dir->rn_nlink,
		    atomic_load_relaxed(&dir->rn_nlink) - 1);
	} else
		atomic_store_relaxed(&rn->rn_nlink,
		    atomic_load_relaxed(&rn->rn_nlink) - 1);
	if (havevp)
		vrele(vp);
	else
		log(LOG_ERR, "etfs: no vnode for a removed node (ino %lu)\n",
		    (unsigned long)rn->rn_ino);
}

static int
etfs_remove(const char *key)
{
	struct rumpfs_mount *rm = RUMPFS_MOUNT(rootmount);
	struct rumpfs_node *dir = rm->rm_root;
	struct rumpfs_dirent *rd = NULL;
	const char *p, *name;
	struct etfs *e;
	size_t len;
	int error = 0;

	mutex_enter(&etfs_lock);
	LIST_FOREACH(e, &etfs_registered, e_list)
		if (strcmp(e->e_key, key) == 0)
			break;
	if (e == NULL) {
		mutex_exit(&etfs_lock);
		return ENOENT;
	}
	mutex_enter(&e->e_lock);
	if (e->e_opencnt > 0 || e->e_removing)
		error = EBUSY;
	else
		e->e_removing = true;
	mutex_exit(&e->e_lock);
	mutex_exit(&etfs_lock);
	if (error)
		return error;

	rw_enter(&rm->rm_nslock, RW_WRITER);
	for (p = key; dir != NULL;) {
		len = etfs_component(&p, &name);
		rd = rumpfs_dir_lookup(rm, dir, name, len);
		if (*p == '\0' || rd == NULL)
			break;
		dir = rd->rd_node->rn_type == VDIR ? rd->rd_node : NULL;
	}
	if (dir != NULL && rd != NULL && rd->rd_node->rn_etfs == e) {
		if (rd->rd_node->rn_type == VDIR &&
		    etfs_tree_busy(rd->rd_node))
			error = EBUSY;
		else
			etfs_unlink(rootmount, rm, dir, rd);
	}
	rw_exit(&rm->rm_nslock);
	if (error) {
		mutex_enter(&e->e_lock);
		e->e_removing = false;
		mutex_exit(&e->e_lock);
		return error;
	}
	mutex_enter(&etfs_lock);
	LIST_REMOVE(e, e_list);
	mutex_exit(&etfs_lock);
	etfs_rele(e);
	return 0;
}

int
rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size)
{
	int error;

	if (!atomic_load_acquire(&etfs_ready))
		return ENXIO;
	/* As the original: a key is an absolute path. */
	if (key == NULL || key[0] != '/' || hostpath == NULL)
		return EINVAL;
	rump_schedule();
	error = etfs_register(key, hostpath, type, begin, size);
	rump_unschedule();
	return error;
}

/*
 * Registrations made before boot (rump_boot_etfs_register), in order:
 * written by the booting thread before rump_init(), read by etfs_boot()
 * inside it.
 */
static struct rump_boot_etfs *etfs_bootlist;

void
rump_boot_etfs_register(struct rump_boot_etfs *eb)
{
	struct rump_boot_etfs **ebp;

	if (eb == NULL)
		return;
	if (atomic_load_acquire(&etfs_ready)) {
		eb->eb_status = rump_pub_etfs_register_withsize(eb->eb_key,
		    eb->eb_hostpath, eb->eb_type, eb->eb_begin, eb->eb_size);
		return;
	}
	eb->eb_status = -1;
	eb->_eb_next = NULL;
	for (ebp = &etfs_bootlist; *ebp != NULL; ebp = &(*ebp)->_eb_next)
		continue;
	*ebp = eb;
}

void
etfs_boot(void)
{
	struct rump_boot_etfs *eb;

	for (eb = etfs_bootlist; eb != NULL; eb = eb->_eb_next)
		eb->eb_status = eb->eb_key == NULL || eb->eb_key[0] != '/' ||
		    eb->eb_hostpath == NULL ? EINVAL : etfs_register(eb->eb_key,
		    eb->eb_hostpath, eb->eb_type, eb->eb_begin, eb->eb_size);
	etfs_bootlist = NULL;
}

int
rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type)
{
	return rump_pub_etfs_register_withsize(key, hostpath, type, 0,
	    RUMP_ETFS_SIZE_ENDOFF);
}

int
rump_pub_etfs_remove(const char *key)
{
	int error;

	if (!atomic_load_acquire(&etfs_ready))
		return ENXIO;
	if (key == NULL || key[0] != '/')
		return EINVAL;
	rump_schedule();
	error = etfs_remove(key);
	rump_unschedule();
	return error;
}

/*
 * Device nodes: the device's operations, rumpfs's for the rest.
 */
static int
rumpfs_spec_getattr(struct vnode *vp, struct vattr *va)
{
	int error;

	if ((error = rumpfs_vnodeops.vop_getattr(vp, va)) == 0)
		spec_getattr_fix(vp, va);
	return error;
}

static int
rumpfs_spec_reclaim(struct vnode *vp)
{
	spec_reclaim(vp);
	return rumpfs_vnodeops.vop_reclaim(vp);
}

void
etfs_init(void)
{
	mutex_init(&etfs_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&etfs_registered);
	etfs_dev_init();

	rumpfs_specops = rumpfs_vnodeops;
	rumpfs_specops.vop_open = spec_open;
	rumpfs_specops.vop_close = spec_close;
	rumpfs_specops.vop_read = spec_read;
	rumpfs_specops.vop_write = spec_write;
	rumpfs_specops.vop_fsync = spec_fsync;
	rumpfs_specops.vop_strategy = spec_strategy;
	rumpfs_specops.vop_getattr = rumpfs_spec_getattr;
	rumpfs_specops.vop_reclaim = rumpfs_spec_reclaim;

	etfs_devops = rumpfs_specops;
	etfs_devops.vop_reclaim = etfs_reclaim;

	etfs_regops = rumpfs_vnodeops;
	etfs_regops.vop_open = etfs_open;
	etfs_regops.vop_close = etfs_close;
	etfs_regops.vop_getattr = etfs_getattr;
	etfs_regops.vop_setattr = etfs_setattr;
	etfs_regops.vop_read = etfs_read;
	etfs_regops.vop_write = etfs_write;
	etfs_regops.vop_fsync = etfs_fsync;
	etfs_regops.vop_seekdata = etfs_seekdata;
	etfs_regops.vop_fallocate = NULL;
	etfs_regops.vop_reclaim = etfs_reclaim;

	etfs_dirops = rumpfs_vnodeops;
	etfs_dirops.vop_lookup = etfs_lookup;
	etfs_dirops.vop_readdir = etfs_readdir;
	etfs_dirops.vop_reclaim = etfs_reclaim;

	atomic_store_release(&etfs_ready, true);
}
