/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extended attributes of rumpfs and tmpfs nodes, in memory: a list of
 * name and value pairs per node, each counted against the mount's limit
 * (rumpfs_reserve) with its header, so that a full tmpfs refuses a new
 * attribute with ENOSPC as it refuses data.  POSIX ACLs are the values
 * of "system.posix_acl_access" and "system.posix_acl_default", kept as
 * the client gave them (Linux's xattr format, checked by vfs_xattr.c);
 * the rules that use them are vfs_acl.c's.  An access ACL that says no
 * more than the mode is not kept, as Linux does.
 *
 * Locking: a node's list is (d), its rn_lock; the vnode operations take
 * it as rumpfs_vnops.c does, and the helpers below are called with it.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

#include "rumpfs.h"

#define VTORN(vp) ((struct rumpfs_node *)(vp)->v_data)
#define VTORM(vp) RUMPFS_MOUNT((vp)->v_mount)

struct rumpfs_xattr {
	LIST_ENTRY(rumpfs_xattr) rx_entries;    /* d */
	size_t rx_size;                 /* c: of this allocation */
	size_t rx_len;                  /* c: of the value */
	char *rx_val;                   /* c: after the name */
	char rx_name[];                 /* c: NUL-terminated */
};

static struct rumpfs_xattr *
xattr_find(struct rumpfs_node *rn, const char *name)
{
	struct rumpfs_xattr *rx;

	LIST_FOREACH(rx, &rn->rn_xattrs, rx_entries)
		if (strcmp(rx->rx_name, name) == 0)
			return rx;
	return NULL;
}

static int
xattr_new(struct rumpfs_mount *rm, const char *name, const void *val,
    size_t len, struct rumpfs_xattr **rxp)
{
	size_t nlen = strlen(name) + 1;
	size_t size = sizeof(struct rumpfs_xattr) + nlen + len;
	struct rumpfs_xattr *rx;
	int error;

	if ((error = rumpfs_reserve(rm, size)) != 0)
		return error;
	if ((rx = kmem_alloc(size, KM_SLEEP)) == NULL) {
		rumpfs_unreserve(rm, size);
		return ENOMEM;
	}
	rx->rx_size = size;
	rx->rx_len = len;
	memcpy(rx->rx_name, name, nlen);
	rx->rx_val = rx->rx_name + nlen;
	if (len > 0)
		memcpy(rx->rx_val, val, len);
	*rxp = rx;
	return 0;
}

static void
xattr_free(struct rumpfs_mount *rm, struct rumpfs_xattr *rx)
{
	size_t size = rx->rx_size;

	kmem_free(rx, size);
	rumpfs_unreserve(rm, size);
}

/* Put rx in place of the attribute of its name, if any. */
static void
xattr_put(struct rumpfs_mount *rm, struct rumpfs_node *rn,
    struct rumpfs_xattr *rx)
{
	struct rumpfs_xattr *old = xattr_find(rn, rx->rx_name);

	if (old != NULL) {
		LIST_REMOVE(old, rx_entries);
		xattr_free(rm, old);
	}
	LIST_INSERT_HEAD(&rn->rn_xattrs, rx, rx_entries);
}

static bool
xattr_remove(struct rumpfs_mount *rm, struct rumpfs_node *rn,
    const char *name)
{
	struct rumpfs_xattr *rx = xattr_find(rn, name);

	if (rx == NULL)
		return false;
	LIST_REMOVE(rx, rx_entries);
	xattr_free(rm, rx);
	return true;
}

void
rumpfs_xattr_freeall(struct rumpfs_mount *rm, struct rumpfs_node *rn)
{
	struct rumpfs_xattr *rx;

	while ((rx = LIST_FIRST(&rn->rn_xattrs)) != NULL) {
		LIST_REMOVE(rx, rx_entries);
		xattr_free(rm, rx);
	}
}

const void *
rumpfs_xattr_acl(struct rumpfs_node *rn, size_t *lenp)
{
	struct rumpfs_xattr *rx;

	if (LIST_EMPTY(&rn->rn_xattrs) ||
	    (rx = xattr_find(rn, XATTR_ACL_ACCESS)) == NULL)
		return NULL;
	*lenp = rx->rx_len;
	return rx->rx_val;
}

void
rumpfs_xattr_chmod(struct rumpfs_node *rn, mode_t mode)
{
	struct rumpfs_xattr *rx;

	if (!LIST_EMPTY(&rn->rn_xattrs) &&
	    (rx = xattr_find(rn, XATTR_ACL_ACCESS)) != NULL)
		acl_xattr_chmod(rx->rx_val, rx->rx_len, mode);
}

int
rumpfs_xattr_inherit(struct rumpfs_mount *rm, struct rumpfs_node *dir,
    struct rumpfs_node *rn, const struct vattr *va)
{
	struct rumpfs_xattr *dflt, *acc = NULL, *dd = NULL;
	mode_t mode;
	int error = 0;

	if (rn->rn_type == VLNK)
		return 0;
	rw_enter(&dir->rn_lock, RW_READER);
	if ((dflt = xattr_find(dir, XATTR_ACL_DEFAULT)) == NULL)
		goto out;
	mode = (va->va_mask & VA_CMODE) ? va->va_cmode : va->va_mode;
	if ((error = xattr_new(rm, XATTR_ACL_ACCESS, dflt->rx_val,
	    dflt->rx_len, &acc)) != 0)
		goto out;
	if (rn->rn_type == VDIR && (error = xattr_new(rm, XATTR_ACL_DEFAULT,
	    dflt->rx_val, dflt->rx_len, &dd)) != 0)
		goto out;
	mode &= ALLPERMS;
	if (acl_xattr_inherit(dflt->rx_val, dflt->rx_len, &mode, acc->rx_val)) {
		LIST_INSERT_HEAD(&rn->rn_xattrs, acc, rx_entries);
		acc = NULL;
	}
	/* setgid from the directory stays, as the create path set it. */
	rn->rn_mode = (rn->rn_mode & ~(mode_t)(S_IRWXU | S_IRWXG | S_IRWXO)) |
	    (mode & (S_IRWXU | S_IRWXG | S_IRWXO));
	if (dd != NULL) {
		LIST_INSERT_HEAD(&rn->rn_xattrs, dd, rx_entries);
		dd = NULL;
	}
out:
	rw_exit(&dir->rn_lock);
	if (acc != NULL)
		xattr_free(rm, acc);
	if (dd != NULL)
		xattr_free(rm, dd);
	return error;
}

int
rumpfs_getxattr(struct vnode *vp, const char *name, void *buf, size_t *lenp)
{
	struct rumpfs_node *rn = VTORN(vp);
	struct rumpfs_xattr *rx;
	int error = 0;

	rw_enter(&rn->rn_lock, RW_READER);
	if ((rx = xattr_find(rn, name)) == NULL)
		error = ENODATA;
	else if (buf != NULL && rx->rx_len > *lenp)
		error = ERANGE;
	else {
		if (buf != NULL)
			memcpy(buf, rx->rx_val, rx->rx_len);
		*lenp = rx->rx_len;
	}
	rw_exit(&rn->rn_lock);
	return error;
}

int
rumpfs_setxattr(struct vnode *vp, const char *name, const void *val,
    size_t len, int flags, kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(vp);
	struct rumpfs_node *rn = VTORN(vp);
	struct rumpfs_xattr *rx;
	bool acl = strcmp(name, XATTR_ACL_ACCESS) == 0, keep = true;
	mode_t mode;
	int error;

	if ((error = xattr_new(rm, name, val, len, &rx)) != 0)
		return error;
	rw_enter(&rn->rn_lock, RW_WRITER);
	if (acl) {
		mode = rn->rn_mode;
		keep = acl_xattr_setmode(val, len, &mode, rn->rn_gid, cred);
		rn->rn_mode = mode;
	} else if (strcmp(name, XATTR_ACL_DEFAULT) != 0) {
		if ((flags & XATTR_CREATE) && xattr_find(rn, name) != NULL)
			error = EEXIST;
		else if ((flags & XATTR_REPLACE) && xattr_find(rn, name) == NULL)
			error = ENODATA;
	}
	if (error == 0 && keep) {
		xattr_put(rm, rn, rx);
		rx = NULL;
	} else if (error == 0)
		(void)xattr_remove(rm, rn, name);
	if (error == 0)
		rumpfs_gettime(&rn->rn_ctime);
	rw_exit(&rn->rn_lock);
	if (rx != NULL)
		xattr_free(rm, rx);
	return error;
}

int
rumpfs_listxattr(struct vnode *vp, char *buf, size_t *lenp)
{
	struct rumpfs_node *rn = VTORN(vp);
	struct rumpfs_xattr *rx;
	size_t len = 0, n;
	int error = 0;

	rw_enter(&rn->rn_lock, RW_READER);
	LIST_FOREACH(rx, &rn->rn_xattrs, rx_entries) {
		n = strlen(rx->rx_name) + 1;
		if (buf != NULL && len + n <= *lenp)
			memcpy(buf + len, rx->rx_name, n);
		len += n;
	}
	rw_exit(&rn->rn_lock);
	if (buf != NULL && len > *lenp)
		error = ERANGE;
	*lenp = len;
	return error;
}

int
rumpfs_removexattr(struct vnode *vp, const char *name, kauth_cred_t cred)
{
	struct rumpfs_mount *rm = VTORM(vp);
	struct rumpfs_node *rn = VTORN(vp);
	bool acl = strncmp(name, XATTR_SYSTEM_PREFIX,
	    strlen(XATTR_SYSTEM_PREFIX)) == 0;
	int error = 0;

	(void)cred;
	rw_enter(&rn->rn_lock, RW_WRITER);
	if (xattr_remove(rm, rn, name))
		rumpfs_gettime(&rn->rn_ctime);
	else if (!acl)
		error = ENODATA;
	rw_exit(&rn->rn_lock);
	return error;
}
