/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * POSIX ACLs (POSIX.1e draft 17, as Linux's acl(5) implements it), for
 * every file system: an ACL is handled here only as the value of its
 * extended attribute in Linux's xattr format (sys/xattr.h), so that a
 * file system keeps it as bytes (tmpfs) or turns it into its own disk
 * format (ext2fs) and hands it back the same.
 *
 * The rules: an access check by someone other than the owner, on a file
 * whose group bits are not all clear, walks the ACL (acl_vaccess); the
 * group bits of the mode are the mask when there is one.  chmod rewrites
 * the owner, mask (or group) and other entries.  A file made in a
 * directory with a default ACL gets that ACL as its access ACL, masked
 * by the mode asked for (no umask), and a directory gets it as its
 * default ACL too (acl_xattr_inherit).
 *
 * Values reaching acl_vaccess, acl_xattr_chmod and acl_xattr_inherit
 * have passed acl_xattr_check (from a client, or a file system's decoder
 * of its disk format).
 */
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/stat.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
set_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

#define E_TAG(e)  le16((e) + 0)
#define E_PERM(e) le16((e) + 2)
#define E_ID(e)   le32((e) + 4)

/*
 * Entries must come in the order USER_OBJ, USER..., GROUP_OBJ, GROUP...,
 * MASK, OTHER; the state is the tag expected next.
 */
int
acl_xattr_check(const void *val, size_t len, bool *emptyp)
{
	const uint8_t *p = val, *e;
	uint16_t state = ACL_USER_OBJ;
	bool named = false;

	*emptyp = false;
	if (val == NULL || len < ACL_XATTR_HDR ||
	    (len - ACL_XATTR_HDR) % ACL_XATTR_ENTRY != 0)
		return EINVAL;
	if (le32(p) != ACL_XATTR_VERSION)
		return EOPNOTSUPP;
	if (len == ACL_XATTR_HDR) {
		*emptyp = true;
		return 0;
	}
	for (e = p + ACL_XATTR_HDR; e < p + len; e += ACL_XATTR_ENTRY) {
		if (E_PERM(e) & ~(ACL_READ | ACL_WRITE | ACL_EXECUTE))
			return EINVAL;
		switch (E_TAG(e)) {
		case ACL_USER_OBJ:
			if (state != ACL_USER_OBJ)
				return EINVAL;
			state = ACL_USER;
			break;
		case ACL_USER:
			if (state != ACL_USER || E_ID(e) == ACL_UNDEFINED_ID)
				return EINVAL;
			named = true;
			break;
		case ACL_GROUP_OBJ:
			if (state != ACL_USER)
				return EINVAL;
			state = ACL_GROUP;
			break;
		case ACL_GROUP:
			if (state != ACL_GROUP || E_ID(e) == ACL_UNDEFINED_ID)
				return EINVAL;
			named = true;
			break;
		case ACL_MASK:
			if (state != ACL_GROUP)
				return EINVAL;
			state = ACL_OTHER;
			break;
		case ACL_OTHER:
			if (state != ACL_OTHER && (state != ACL_GROUP || named))
				return EINVAL;
			state = 0;
			break;
		default:
			return EINVAL;
		}
	}
	return state == 0 ? 0 : EINVAL;
}

/* The MASK entry of an ACL, NULL if none. */
static const uint8_t *
acl_mask(const uint8_t *p, size_t len)
{
	for (const uint8_t *e = p + ACL_XATTR_HDR; e < p + len;
	    e += ACL_XATTR_ENTRY)
		if (E_TAG(e) == ACL_MASK)
			return e;
	return NULL;
}

/*
 * The ACL's answer for cred, not the owner: a named user's entry, or the
 * group entries that match (any one that grants all of want), each
 * limited by the mask; other only when no group entry matched.
 */
static int
acl_check(const uint8_t *p, size_t len, gid_t fgid, unsigned want,
    kauth_cred_t cred)
{
	const uint8_t *e, *m = acl_mask(p, len);
	unsigned mperm = m != NULL ? E_PERM(m) : 7;
	bool found = false;

	for (e = p + ACL_XATTR_HDR; e < p + len; e += ACL_XATTR_ENTRY) {
		switch (E_TAG(e)) {
		case ACL_USER:
			if (E_ID(e) == cred->cr_euid)
				return (E_PERM(e) & mperm & want) == want ?
				    0 : EACCES;
			break;
		case ACL_GROUP_OBJ:
		case ACL_GROUP:
			if (!kauth_cred_groupmember(cred, E_TAG(e) == ACL_GROUP ?
			    (gid_t)E_ID(e) : fgid))
				break;
			found = true;
			if ((E_PERM(e) & mperm & want) == want)
				return 0;
			break;
		case ACL_OTHER:
			if (found)
				return EACCES;
			return (E_PERM(e) & want) == want ? 0 : EACCES;
		}
	}
	return EACCES;
}

int
acl_vaccess(enum vtype type, mode_t fmode, uid_t uid, gid_t gid,
    const void *acl, size_t acllen, int mode, kauth_cred_t cred)
{
	if (acl == NULL || kauth_cred_issuser(cred) || cred->cr_euid == uid ||
	    (fmode & S_IRWXG) == 0)
		return vaccess(type, fmode, uid, gid, mode, cred);
	return acl_check(acl, acllen, gid, (unsigned)mode & 7, cred);
}

bool
acl_xattr_setmode(const void *val, size_t len, mode_t *modep, gid_t gid,
    kauth_cred_t cred)
{
	const uint8_t *p = val, *e;
	mode_t m = 0;
	bool extended = false;

	for (e = p + ACL_XATTR_HDR; e < p + len; e += ACL_XATTR_ENTRY) {
		switch (E_TAG(e)) {
		case ACL_USER_OBJ:
			m |= (mode_t)E_PERM(e) << 6;
			break;
		case ACL_GROUP_OBJ:
			m |= (mode_t)E_PERM(e) << 3;
			break;
		case ACL_OTHER:
			m |= E_PERM(e);
			break;
		case ACL_MASK:
			m = (m & ~(mode_t)S_IRWXG) | (mode_t)E_PERM(e) << 3;
			extended = true;
			break;
		default:
			extended = true;
			break;
		}
	}
	*modep = (*modep & ~(mode_t)(S_IRWXU | S_IRWXG | S_IRWXO)) | m;
	if (!kauth_cred_issuser(cred) && !kauth_cred_groupmember(cred, gid))
		*modep &= ~(mode_t)S_ISGID;
	return extended;
}

void
acl_xattr_chmod(void *val, size_t len, mode_t mode)
{
	uint8_t *p = val, *e, *group = NULL, *mask = NULL;

	for (e = p + ACL_XATTR_HDR; e < p + len; e += ACL_XATTR_ENTRY) {
		switch (E_TAG(e)) {
		case ACL_USER_OBJ:
			set_le16(e + 2, (mode & S_IRWXU) >> 6);
			break;
		case ACL_GROUP_OBJ:
			group = e;
			break;
		case ACL_MASK:
			mask = e;
			break;
		case ACL_OTHER:
			set_le16(e + 2, mode & S_IRWXO);
			break;
		}
	}
	if (mask != NULL)
		set_le16(mask + 2, (mode & S_IRWXG) >> 3);
	else if (group != NULL)
		set_le16(group + 2, (mode & S_IRWXG) >> 3);
}

bool
acl_xattr_inherit(const void *dflt, size_t len, mode_t *modep, void *acc)
{
	uint8_t *p = acc, *e, *group = NULL, *mask = NULL;
	mode_t mode = *modep;
	unsigned perm;
	bool extended = false;

	memcpy(acc, dflt, len);
	for (e = p + ACL_XATTR_HDR; e < p + len; e += ACL_XATTR_ENTRY) {
		switch (E_TAG(e)) {
		case ACL_USER_OBJ:
			perm = E_PERM(e) & ((mode & S_IRWXU) >> 6);
			set_le16(e + 2, (uint16_t)perm);
			mode &= (mode_t)perm << 6 | ~(mode_t)S_IRWXU;
			break;
		case ACL_GROUP_OBJ:
			group = e;
			break;
		case ACL_MASK:
			mask = e;
			extended = true;
			break;
		case ACL_OTHER:
			perm = E_PERM(e) & (mode & S_IRWXO);
			set_le16(e + 2, (uint16_t)perm);
			mode &= (mode_t)perm | ~(mode_t)S_IRWXO;
			break;
		default:
			extended = true;
			break;
		}
	}
	if (mask == NULL)
		mask = group;
	if (mask != NULL) {
		perm = E_PERM(mask) & ((mode & S_IRWXG) >> 3);
		set_le16(mask + 2, (uint16_t)perm);
		mode &= (mode_t)perm << 3 | ~(mode_t)S_IRWXG;
	}
	*modep = mode;
	return extended;
}
