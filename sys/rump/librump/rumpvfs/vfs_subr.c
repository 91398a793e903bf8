/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Checks every file system makes the same way: permission to access a
 * file (owner, group, other, root's override), the sticky-directory rule
 * and who may change which attribute.  The rules are POSIX's, with
 * Linux's choices where POSIX leaves one.
 */
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/uio.h>
#include <sys/kauth.h>
#include <sys/stat.h>
#include <sys/vnode.h>

/*
 * May cred access a file of this type, mode and owner for mode (VREAD,
 * VWRITE, VEXEC)?  Root may do anything except execute a file that no
 * one may execute; search of a directory is always allowed to root.
 */
int
vaccess(enum vtype type, mode_t fmode, uid_t uid, gid_t gid, int mode,
    kauth_cred_t cred)
{
	mode_t bits;

	if (kauth_cred_issuser(cred)) {
		if ((mode & VEXEC) && type != VDIR &&
		    (fmode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
			return EACCES;
		return 0;
	}
	if (cred->cr_euid == uid)
		bits = (fmode >> 6) & 7;
	else if (kauth_cred_groupmember(cred, gid))
		bits = (fmode >> 3) & 7;
	else
		bits = fmode & 7;
	return ((unsigned)mode & ~bits) == 0 ? 0 : EACCES;
}

bool
vsticky_ok(mode_t dirmode, uid_t diruid, uid_t uid, kauth_cred_t cred)
{
	if ((dirmode & S_ISVTX) == 0 || kauth_cred_issuser(cred))
		return true;
	return cred->cr_euid == uid || cred->cr_euid == diruid;
}

/*
 * Check req (its va_mask) against the current attributes cur and adjust
 * it as POSIX says: only the owner or root may change the mode and the
 * times to other than now; only root may give a file away; the owner may
 * change the group to one of its own; a non-root chmod drops S_ISGID
 * when the file's group is not the caller's; a chown drops the set-id
 * bits.  Times all set to now (VA_TIMES_NOW) need only write permission.
 */
int
vsetattr_check(const struct vattr *cur, struct vattr *req, kauth_cred_t cred,
    bool rdonly)
{
	bool root = kauth_cred_issuser(cred);
	bool owner = cred->cr_euid == cur->va_uid;
	int error;

	if (req->va_mask == 0)
		return 0;
	if (rdonly)
		return EROFS;
	if (req->va_mask & VA_SIZE) {
		if (cur->va_type == VDIR)
			return EISDIR;
		if (cur->va_type != VREG)
			return EINVAL;
		if ((error = vaccess(cur->va_type, cur->va_mode, cur->va_uid,
		    cur->va_gid, VWRITE, cred)) != 0)
			return error;
	}
	if (req->va_mask & (VA_UID | VA_GID)) {
		uid_t nuid = (req->va_mask & VA_UID) ? req->va_uid : cur->va_uid;
		gid_t ngid = (req->va_mask & VA_GID) ? req->va_gid : cur->va_gid;

		if (!root && (nuid != cur->va_uid || !owner ||
		    (ngid != cur->va_gid &&
		    !kauth_cred_groupmember(cred, ngid))))
			return EPERM;
		/* Linux clears set-id bits on chown, even a no-op one. */
		if (cur->va_type != VDIR && (cur->va_mode &
		    (S_ISUID | S_ISGID)) != 0) {
			mode_t m = cur->va_mode & ~(mode_t)S_ISUID;

			/* S_ISGID without group execute is mandatory locking. */
			if (cur->va_mode & S_IXGRP)
				m &= ~(mode_t)S_ISGID;
			req->va_mode = m;
			req->va_mask |= VA_MODE;
		}
	}
	if ((req->va_mask & VA_MODE) &&
	    (req->va_mask & (VA_UID | VA_GID)) == 0) {
		if (!root && !owner)
			return EPERM;
		if (!root && cur->va_type != VDIR &&
		    !kauth_cred_groupmember(cred, cur->va_gid))
			req->va_mode &= ~(mode_t)S_ISGID;
	}
	if (req->va_mask & (VA_ATIME | VA_MTIME)) {
		bool now = (req->va_mask & VA_TIMES_NOW) != 0;

		if (!root && !owner) {
			if (!now)
				return EPERM;
			if (vaccess(cur->va_type, cur->va_mode, cur->va_uid,
			    cur->va_gid, VWRITE, cred) != 0)
				return EACCES;
		}
	}
	return 0;
}

enum vtype
iftovt(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return VREG;
	case S_IFDIR: return VDIR;
	case S_IFCHR: return VCHR;
	case S_IFBLK: return VBLK;
	case S_IFLNK: return VLNK;
	case S_IFIFO: return VFIFO;
	case S_IFSOCK: return VSOCK;
	default: return VNON;
	}
}

mode_t
vttoif(enum vtype type)
{
	switch (type) {
	case VREG: return S_IFREG;
	case VDIR: return S_IFDIR;
	case VCHR: return S_IFCHR;
	case VBLK: return S_IFBLK;
	case VLNK: return S_IFLNK;
	case VFIFO: return S_IFIFO;
	case VSOCK: return S_IFSOCK;
	default: return 0;
	}
}

int
vfs_dirent_emit(struct uio *uio, uint64_t ino, uint64_t next,
    unsigned char dtype, const char *name, size_t namlen)
{
	char buf[DIRENT64_RECLEN(NAME_MAX)];
	struct dirent64 *d = (struct dirent64 *)buf;
	size_t reclen = DIRENT64_RECLEN(namlen);

	KASSERT(namlen <= NAME_MAX);
	if (reclen > uio->uio_resid)
		return EJUSTRETURN;
	memset(buf, 0, reclen);
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = dtype;
	memcpy(d->d_name, name, namlen);
	return uiomove(buf, reclen, uio);
}
