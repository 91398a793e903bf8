/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extended attributes and POSIX ACLs, as Linux's xattr(7) and acl(5)
 * define them at the system-call boundary.
 *
 * Names are NUL-terminated strings of 1 to XATTR_NAME_MAX bytes made of
 * a namespace prefix and a name: "user." (regular files and
 * directories, by the file's read and write permission), "trusted."
 * (root only), "security." (anyone reads, root writes) and "system."
 * (only the two ACL names below).  Values are 0 to XATTR_SIZE_MAX bytes.
 *
 * A POSIX ACL travels as the value of "system.posix_acl_access" (the
 * file's ACL) or "system.posix_acl_default" (a directory's ACL for what
 * is made in it), in Linux's xattr format, version 2, little-endian:
 *
 *	le32 version (2), then entries of 8 bytes:
 *	le16 tag (ACL_USER_OBJ ...), le16 perm (ACL_READ | ...),
 *	le32 id (the uid of ACL_USER, the gid of ACL_GROUP, else -1)
 *
 * A valid ACL has its entries in tag order: one ACL_USER_OBJ, any
 * ACL_USER, one ACL_GROUP_OBJ, any ACL_GROUP, an ACL_MASK (required when
 * there is an ACL_USER or ACL_GROUP), one ACL_OTHER; perms only rwx.
 * vfs_acl.c holds the rules that work on such values for every file
 * system: validity, the permission check, chmod and inheritance.
 */
#ifndef _SYS_XATTR_H_
#define _SYS_XATTR_H_

#include <sys/types.h>
#include <sys/vnode.h>

#define XATTR_CREATE    0x1             /* setxattr: EEXIST if it exists */
#define XATTR_REPLACE   0x2             /* setxattr: ENODATA if it does not */

#define XATTR_NAME_MAX  255
#define XATTR_SIZE_MAX  65536
#define XATTR_LIST_MAX  65536

#define XATTR_USER_PREFIX       "user."
#define XATTR_TRUSTED_PREFIX    "trusted."
#define XATTR_SECURITY_PREFIX   "security."
#define XATTR_SYSTEM_PREFIX     "system."
#define XATTR_ACL_ACCESS        "system.posix_acl_access"
#define XATTR_ACL_DEFAULT       "system.posix_acl_default"

/* The value of setxattrat and getxattrat (Linux's layout). */
struct xattr_args {
	uint64_t value;         /* the value's address */
	uint32_t size;
	uint32_t flags;         /* XATTR_CREATE, XATTR_REPLACE; 0 to get */
};
#define XATTR_ARGS_SIZE_VER0 16

/* The xattr format of an ACL (see above). */
#define ACL_XATTR_VERSION       2
#define ACL_XATTR_HDR           4
#define ACL_XATTR_ENTRY         8
#define ACL_UNDEFINED_ID        0xFFFFFFFFu

#define ACL_USER_OBJ    0x01
#define ACL_USER        0x02
#define ACL_GROUP_OBJ   0x04
#define ACL_GROUP       0x08
#define ACL_MASK        0x10
#define ACL_OTHER       0x20

#define ACL_READ        0x04
#define ACL_WRITE       0x02
#define ACL_EXECUTE     0x01

/* vfs_acl.c */
/*
 * Check an ACL value of len bytes from a client: 0; EINVAL for a bad
 * size or a bad ACL, EOPNOTSUPP for another version.  *emptyp: no entries
 * (a request to remove the ACL).
 */
int acl_xattr_check(const void *val, size_t len, bool *emptyp);
/*
 * May cred access a file with this ACL (a valid value), mode and owner
 * for mode (VREAD, VWRITE, VEXEC)?  acl NULL: no ACL, the mode alone.
 * Root's override is as vaccess()'s.
 */
int acl_vaccess(enum vtype, mode_t fmode, uid_t uid, gid_t gid,
    const void *acl, size_t acllen, int mode, kauth_cred_t);
/*
 * A new access ACL val for a file of *modep: *modep's permission bits
 * become those the ACL says (and S_ISGID goes when cred may not keep
 * it); false when the ACL says no more than the mode, so that none is
 * to be kept.
 */
bool acl_xattr_setmode(const void *val, size_t len, mode_t *modep, gid_t gid,
    kauth_cred_t);
/* chmod: the ACL's owner, mask (or group) and other entries follow mode. */
void acl_xattr_chmod(void *val, size_t len, mode_t mode);
/*
 * A new file made in a directory whose default ACL is dflt: *modep (the
 * mode asked for, before the umask, which such a directory does not
 * apply) is masked by the ACL, and acc (len bytes, as dflt) gets the
 * file's access ACL.  false: the access ACL says no more than the mode
 * and is not to be kept.
 */
bool acl_xattr_inherit(const void *dflt, size_t len, mode_t *modep,
    void *acc);

#endif /* _SYS_XATTR_H_ */
