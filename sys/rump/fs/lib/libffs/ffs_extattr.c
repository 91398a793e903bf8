/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extended attributes of UFS2 inodes, in the extattr area FreeBSD keeps
 * (the format: ffs_format.h), and the POSIX ACLs among them.  UFS1 has
 * no area: every call is EOPNOTSUPP there.
 *
 * Names.  Linux's names (sys/xattr.h) map onto the area's two
 * namespaces so that each comes back as it went in:
 *   user.NAME                 namespace 1 (user), "NAME"
 *   trusted.NAME              namespace 2 (system), "trusted.NAME"
 *   security.NAME             namespace 2 (system), "security.NAME"
 *   system.posix_acl_access   namespace 2 (system), "posix_acl_access"
 *   system.posix_acl_default  namespace 2 (system), "posix_acl_default"
 * An ACL's value is Linux's xattr form (version 2) as vfs_acl.c wants
 * it; FreeBSD's own ACL attributes ("posix1e.acl_access", another
 * format) are other names, so neither system reads the other's ACL.
 * Records no Linux name stands for (other system names, other
 * namespaces, user names past 250 bytes) are hidden from listxattr and
 * kept as they are when the area is rewritten.
 *
 * Every operation reads the whole area (at most UFS_NXADDR blocks) and
 * checks it: the pointers against di_extsize and the file system, every
 * record's sizes.  A failing check is one ffs_corrupt line and EIO; the
 * file itself stays usable.  A change builds the new area in memory and
 * stores it (ffs_ea_store): the blocks are reshaped as a file's direct
 * blocks are (frags grown in place when the next ones are free, else
 * moved; a second block once the first is whole), new storage is had
 * before anything is freed, so ENOSPC changes nothing, and the new
 * contents go through the device's buffers with ffs_bufwrite, then the
 * inode.  An area larger than UFS_NXADDR blocks is ENOSPC, as FreeBSD
 * answers.  The blocks are freed with the inode (ffs_extattr_free).
 *
 * A vnode keeps its access ACL (i_acl), loaded with it and changed with
 * the attribute or the mode, for the permission check (ffs_vaccess).
 *
 * Locking: um_lock as reader to read, as writer to change (ffs.h); the
 * vnode operations take it, the other functions are called with it.
 * Buffers: only the device's (the area's blocks, cylinder groups).
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

#include "ffs.h"

#define EA_ACL_ACCESS  "posix_acl_access"
#define EA_ACL_DEFAULT "posix_acl_default"

/* A Linux name as the area keeps it. */
struct ffs_eaname {
	uint8_t ns;
	const char *name;
	size_t len;
};

/* One record of an area, checked. */
struct ffs_earec {
	size_t off, reclen;
	uint8_t ns;
	const char *name;
	size_t namelen;
	const char *val;
	size_t vallen;
};

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The area's name for a Linux name; false: no such name can be kept. */
static bool
ffs_ea_name(const char *name, struct ffs_eaname *en)
{
	if (has_prefix(name, XATTR_USER_PREFIX)) {
		en->ns = EA_NS_USER;
		en->name = name + strlen(XATTR_USER_PREFIX);
	} else if (has_prefix(name, XATTR_TRUSTED_PREFIX) ||
	    has_prefix(name, XATTR_SECURITY_PREFIX)) {
		en->ns = EA_NS_SYSTEM;
		en->name = name;
	} else if (strcmp(name, XATTR_ACL_ACCESS) == 0 ||
	    strcmp(name, XATTR_ACL_DEFAULT) == 0) {
		en->ns = EA_NS_SYSTEM;
		en->name = name + strlen(XATTR_SYSTEM_PREFIX);
	} else
		return false;
	en->len = strlen(en->name);
	return en->len > 0 && en->len <= 255;
}

/*
 * The Linux name of a record into out (at least XATTR_NAME_MAX + 1
 * bytes): its length with the NUL, 0 if it has none.
 */
static size_t
ffs_ea_lname(const struct ffs_earec *r, char *out)
{
	const char *prefix = "";
	size_t pl;

	if (r->ns == EA_NS_USER)
		prefix = XATTR_USER_PREFIX;
	else if (r->ns != EA_NS_SYSTEM)
		return 0;
	else if ((r->namelen == strlen(EA_ACL_ACCESS) &&
	    memcmp(r->name, EA_ACL_ACCESS, r->namelen) == 0) ||
	    (r->namelen == strlen(EA_ACL_DEFAULT) &&
	    memcmp(r->name, EA_ACL_DEFAULT, r->namelen) == 0))
		prefix = XATTR_SYSTEM_PREFIX;
	else if ((r->namelen <= strlen(XATTR_TRUSTED_PREFIX) ||
	    memcmp(r->name, XATTR_TRUSTED_PREFIX,
	    strlen(XATTR_TRUSTED_PREFIX)) != 0) &&
	    (r->namelen <= strlen(XATTR_SECURITY_PREFIX) ||
	    memcmp(r->name, XATTR_SECURITY_PREFIX,
	    strlen(XATTR_SECURITY_PREFIX)) != 0))
		return 0;
	pl = strlen(prefix);
	if (pl + r->namelen > XATTR_NAME_MAX)
		return 0;
	memcpy(out, prefix, pl);
	memcpy(out + pl, r->name, r->namelen);
	out[pl + r->namelen] = '\0';
	return pl + r->namelen + 1;
}

/* Frags that block i of an area of size bytes has (0: none). */
static unsigned
ffs_ea_frags(const struct ffs_mount *um, uint64_t size, unsigned i)
{
	uint64_t start = (uint64_t)i << um->fs_bshift;

	if (size <= start)
		return 0;
	if (size - start >= um->fs_bsize)
		return um->fs_frag;
	return (unsigned)(FFS_FRAGROUNDUP(um, size - start) >> um->fs_fshift);
}

uint64_t
ffs_extattr_nsect(const struct ffs_mount *um, const struct ffs_inode *ip)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < UFS_NXADDR; i++)
		if (ip->i_extb[i] != 0)
			n += (uint64_t)ffs_ea_frags(um, ip->i_extsize, i) <<
			    um->fs_fsbtodb;
	return n;
}

/* Whether frags [a, a + n) are data frags of one block of the fs. */
static bool
ffs_ea_fragsok(const struct ffs_mount *um, int64_t a, unsigned n)
{
	uint64_t c, start, csend;

	if (a <= 0 || (uint64_t)a + n > um->fs_size ||
	    (uint64_t)(a & (um->fs_frag - 1)) + n > um->fs_frag)
		return false;
	c = FFS_DTOG(um, a);
	start = ffs_cgstart(um, c);
	if ((uint64_t)a < start + um->fs_dblkno &&
	    (uint64_t)a + n > start + (c > 0 ? um->fs_sblkno : 0))
		return false;
	csend = um->fs_csaddr +
	    (FFS_FRAGROUNDUP(um, um->fs_cssize) >> um->fs_fshift);
	return (uint64_t)a >= csend || (uint64_t)a + n <= um->fs_csaddr;
}

/* The area's size and pointers make sense. */
static int
ffs_ea_geomcheck(struct ffs_mount *um, const struct ffs_inode *ip)
{
	unsigned i, n;

	if (ip->i_extsize > (uint64_t)UFS_NXADDR * um->fs_bsize)
		return ffs_corrupt(um, "inode %llu: attribute area of %u "
		    "bytes", (unsigned long long)ip->i_number, ip->i_extsize);
	for (i = 0; i < UFS_NXADDR; i++) {
		n = ffs_ea_frags(um, ip->i_extsize, i);
		if (n == 0 ? ip->i_extb[i] != 0 :
		    !ffs_ea_fragsok(um, ip->i_extb[i], n))
			return ffs_corrupt(um, "inode %llu: attribute block "
			    "%u at %lld", (unsigned long long)ip->i_number, i,
			    (long long)ip->i_extb[i]);
	}
	return 0;
}

/*
 * The record at *offp of an area of len bytes, checked; *offp moves to
 * the next.  EIO (and a log line) for a bad one.
 */
static int
ffs_ea_next(struct ffs_mount *um, const struct ffs_inode *ip,
    const char *area, size_t len, size_t *offp, struct ffs_earec *r)
{
	size_t off = *offp, hdr, pad;
	const char *why = NULL;

	r->off = off;
	if (len - off < 8)
		why = "truncated record";
	else {
		r->reclen = ffs_get32(um, area + off, EA_LENGTH);
		r->ns = (uint8_t)area[off + EA_NAMESPACE];
		pad = (uint8_t)area[off + EA_CONTENTPADLEN];
		r->namelen = (uint8_t)area[off + EA_NAMELENGTH];
		r->name = area + off + EA_NAME;
		hdr = EA_HDRLEN(r->namelen);
		if (r->reclen % 8 != 0 || r->reclen > len - off)
			why = "record length";
		else if (r->namelen == 0 || hdr > r->reclen ||
		    memchr(r->name, '\0', r->namelen) != NULL)
			why = "name";
		else if (hdr + pad > r->reclen || pad > 7)
			why = "value length";
		else {
			r->val = area + off + hdr;
			r->vallen = r->reclen - hdr - pad;
		}
	}
	if (why != NULL)
		return ffs_corrupt(um, "inode %llu: attribute area: %s at "
		    "byte %zu", (unsigned long long)ip->i_number, why, off);
	*offp = off + r->reclen;
	return 0;
}

/* Free what ffs_ea_load gave, len its size then. */
static void
ffs_ea_unload(char *area, size_t len)
{
	if (area != NULL)
		kmem_free(area, len);
}

/*
 * The whole area of ip, checked, into *areap (ip->i_extsize bytes,
 * NULL when empty; ffs_ea_unload frees it).
 */
static int
ffs_ea_load(struct ffs_mount *um, struct ffs_inode *ip, char **areap)
{
	size_t n = ip->i_extsize, done, chunk, off;
	struct ffs_earec r;
	struct buf *bp;
	char *area;
	unsigned i;
	int error;

	*areap = NULL;
	if ((error = ffs_ea_geomcheck(um, ip)) != 0 || n == 0)
		return error;
	if ((area = kmem_alloc(n, KM_SLEEP)) == NULL)
		return ENOMEM;
	for (i = 0, done = 0; done < n; i++, done += chunk) {
		chunk = MIN(n - done, um->fs_bsize);
		if ((error = bread(um->um_devvp, FFS_FSBTODB(um,
		    ip->i_extb[i]), (int)(ffs_ea_frags(um, n, i) <<
		    um->fs_fshift), 0, &bp)) != 0) {
			kmem_free(area, n);
			return error;
		}
		memcpy(area + done, bp->b_data, chunk);
		brelse(bp, 0);
	}
	for (off = 0; off < n;)
		if ((error = ffs_ea_next(um, ip, area, n, &off, &r)) != 0) {
			kmem_free(area, n);
			return error;
		}
	*areap = area;
	return 0;
}

/* The record of name in a checked area, or false. */
static bool
ffs_ea_find(struct ffs_mount *um, const struct ffs_inode *ip,
    const char *area, const struct ffs_eaname *en, struct ffs_earec *r)
{
	size_t off = 0;

	while (off < ip->i_extsize) {
		(void)ffs_ea_next(um, ip, area, ip->i_extsize, &off, r);
		if (r->ns == en->ns && r->namelen == en->len &&
		    memcmp(r->name, en->name, en->len) == 0)
			return true;
	}
	return false;
}

/* Append a record to an area being built at *lenp. */
static void
ffs_ea_put(struct ffs_mount *um, char *area, size_t *lenp,
    const struct ffs_eaname *en, const void *val, size_t vallen)
{
	size_t hdr = EA_HDRLEN(en->len), reclen = hdr + EA_PAD8(vallen);
	char *p = area + *lenp;

	memset(p, 0, reclen);
	ffs_put32(um, p, EA_LENGTH, (uint32_t)reclen);
	p[EA_NAMESPACE] = (char)en->ns;
	p[EA_CONTENTPADLEN] = (char)(EA_PAD8(vallen) - vallen);
	p[EA_NAMELENGTH] = (char)en->len;
	memcpy(p + EA_NAME, en->name, en->len);
	if (vallen > 0)
		memcpy(p + hdr, val, vallen);
	*lenp += reclen;
}

/*
 * Store area (n bytes) as ip's attribute area and write the inode.
 * ENOSPC (nothing changed) when there is no room; cred NULL: the
 * reserve may be used.
 */
static int
ffs_ea_store(struct ffs_mount *um, struct ffs_inode *ip, const char *area,
    size_t n, kauth_cred_t cred)
{
	int64_t oaddr[UFS_NXADDR], naddr[UFS_NXADDR], pref;
	unsigned ofr[UFS_NXADDR], nfr[UFS_NXADDR], i, j;
	bool moved[UFS_NXADDR] = { false }, grown[UFS_NXADDR] = { false };
	struct buf *bp[UFS_NXADDR] = { NULL };
	size_t off, chunk;
	int error = 0, e, resized = -1;

	if (n > (size_t)UFS_NXADDR * um->fs_bsize)
		return ENOSPC;
	for (i = 0; i < UFS_NXADDR; i++) {
		oaddr[i] = naddr[i] = ip->i_extb[i];
		ofr[i] = ffs_ea_frags(um, ip->i_extsize, i);
		nfr[i] = ffs_ea_frags(um, n, i);
	}
	/* New storage first: in place if the next frags are free. */
	for (i = 0; i < UFS_NXADDR && error == 0; i++) {
		if (nfr[i] <= ofr[i])
			continue;
		if (!ffs_space_ok(um, nfr[i] - ofr[i], cred)) {
			error = ENOSPC;
			break;
		}
		if (ofr[i] > 0 && (error = ffs_extend_frags(um, oaddr[i],
		    ofr[i], nfr[i])) == 0) {
			ip->i_blocks += (uint64_t)(nfr[i] - ofr[i]) <<
			    um->fs_fsbtodb;
			grown[i] = true;
			continue;
		}
		if (error != 0 && error != ENOSPC)
			break;
		error = 0;
		if (!ffs_space_ok(um, nfr[i], cred)) {
			error = ENOSPC;
			break;
		}
		pref = i > 0 && naddr[i - 1] > 0 ? naddr[i - 1] + um->fs_frag :
		    0;
		if ((error = ffs_alloc_frags(um, ip, pref, nfr[i],
		    &naddr[i])) == 0)
			moved[i] = true;
	}
	/*
	 * The buffers of the new shape, all had before anything is freed:
	 * one to overwrite wherever the block is new or keeps its size,
	 * else (a block that keeps its place but not its size) the block
	 * read and resized, last, since allocbuf leaves it as it was when
	 * it fails.  At most one block changes size in place.
	 */
	for (i = 0; i < UFS_NXADDR && error == 0; i++) {
		if (nfr[i] == 0 || (!moved[i] && nfr[i] != ofr[i]))
			continue;
		if ((bp[i] = getblk(um->um_devvp, FFS_FSBTODB(um, naddr[i]),
		    (int)(nfr[i] << um->fs_fshift), 0, 0)) == NULL)
			error = ENOMEM;
	}
	for (i = 0; i < UFS_NXADDR && error == 0; i++) {
		if (nfr[i] == 0 || moved[i] || nfr[i] == ofr[i])
			continue;
		KASSERT(resized == -1);
		if ((error = bread(um->um_devvp, FFS_FSBTODB(um, oaddr[i]),
		    (int)(ofr[i] << um->fs_fshift), 0, &bp[i])) == 0 &&
		    (error = allocbuf(bp[i], (int)(nfr[i] << um->fs_fshift))) ==
		    0)
			resized = (int)i;
	}
	if (error != 0) {
		for (j = 0; j < UFS_NXADDR; j++) {
			if (bp[j] != NULL)
				brelse(bp[j], moved[j] ? B_INVAL : 0);
			if (moved[j]) {
				ffs_free_frags(um, naddr[j], nfr[j]);
				ip->i_blocks -= (uint64_t)nfr[j] <<
				    um->fs_fsbtodb;
			} else if (grown[j]) {
				ffs_free_frags(um, oaddr[j] + ofr[j],
				    nfr[j] - ofr[j]);
				ip->i_blocks -= (uint64_t)(nfr[j] - ofr[j]) <<
				    um->fs_fsbtodb;
			}
		}
		return error;
	}
	/* What the old shape had and the new one has not goes back. */
	for (i = 0; i < UFS_NXADDR; i++) {
		if (ofr[i] == 0)
			continue;
		if (moved[i] || nfr[i] == 0) {
			binvalblk(um->um_devvp, FFS_FSBTODB(um, oaddr[i]));
			ffs_free_frags(um, oaddr[i], ofr[i]);
			ip->i_blocks -= (uint64_t)ofr[i] << um->fs_fsbtodb;
		} else if (nfr[i] < ofr[i]) {
			ffs_free_frags(um, oaddr[i] + nfr[i], ofr[i] - nfr[i]);
			ip->i_blocks -= (uint64_t)(ofr[i] - nfr[i]) <<
			    um->fs_fsbtodb;
		}
		if (nfr[i] == 0)
			naddr[i] = 0;
	}
	for (i = 0, off = 0; i < UFS_NXADDR; i++, off += chunk) {
		chunk = MIN(n - MIN(n, off), um->fs_bsize);
		if (bp[i] == NULL)
			continue;
		memset(bp[i]->b_data, 0, nfr[i] << um->fs_fshift);
		memcpy(bp[i]->b_data, area + off, chunk);
		if ((e = ffs_bufwrite(um, bp[i], FFS_BDWRITE)) != 0 &&
		    error == 0)
			error = e;
	}
	ip->i_extsize = (uint32_t)n;
	for (i = 0; i < UFS_NXADDR; i++)
		ip->i_extb[i] = naddr[i];
	e = ffs_update(um, ip);
	return error != 0 ? error : e;
}

void
ffs_extattr_free(struct ffs_mount *um, struct ffs_inode *ip)
{
	unsigned i, n;

	if (!um->um_ufs2 || (ip->i_extsize == 0 && ip->i_extb[0] == 0 &&
	    ip->i_extb[1] == 0))
		return;
	if (ffs_ea_geomcheck(um, ip) == 0) {
		for (i = 0; i < UFS_NXADDR; i++) {
			if ((n = ffs_ea_frags(um, ip->i_extsize, i)) == 0)
				continue;
			binvalblk(um->um_devvp, FFS_FSBTODB(um,
			    ip->i_extb[i]));
			ffs_free_frags(um, ip->i_extb[i], n);
			ip->i_blocks -= (uint64_t)n << um->fs_fsbtodb;
		}
	}
	/* A corrupt area's blocks are left to fsck_ffs. */
	ip->i_extsize = 0;
	memset(ip->i_extb, 0, sizeof(ip->i_extb));
	ffs_acl_forget(ip);
}

void
ffs_acl_forget(struct ffs_inode *ip)
{
	if (ip->i_acl != NULL)
		kmem_free(ip->i_acl, ip->i_acllen);
	ip->i_acl = NULL;
	ip->i_acllen = 0;
}

/* An ACL value read from the disk: valid, else EIO and a log line. */
static int
ffs_acl_ok(struct ffs_mount *um, const struct ffs_inode *ip,
    const struct ffs_earec *r)
{
	bool empty;

	if (acl_xattr_check(r->val, r->vallen, &empty) != 0 || empty)
		return ffs_corrupt(um, "inode %llu: bad ACL of %zu bytes",
		    (unsigned long long)ip->i_number, r->vallen);
	return 0;
}

/* Cache the access ACL of ip's checked area (NULL: none). */
static int
ffs_acl_cache(struct ffs_mount *um, struct ffs_inode *ip, const char *area)
{
	static const struct ffs_eaname acc = { EA_NS_SYSTEM, EA_ACL_ACCESS,
		sizeof(EA_ACL_ACCESS) - 1 };
	struct ffs_earec r;
	int error;

	ffs_acl_forget(ip);
	ip->i_aclerr = 0;
	if (area == NULL || !ffs_ea_find(um, ip, area, &acc, &r))
		return 0;
	if ((error = ffs_acl_ok(um, ip, &r)) != 0)
		return error;
	if ((ip->i_acl = kmem_alloc(r.vallen, KM_SLEEP)) == NULL)
		return ENOMEM;
	memcpy(ip->i_acl, r.val, r.vallen);
	ip->i_acllen = r.vallen;
	return 0;
}

int
ffs_acl_load(struct ffs_mount *um, struct ffs_inode *ip)
{
	char *area;
	int error;

	if (!um->um_ufs2 || (ip->i_extsize == 0 && ip->i_extb[0] == 0 &&
	    ip->i_extb[1] == 0))
		return 0;
	if ((error = ffs_ea_load(um, ip, &area)) == 0) {
		error = ffs_acl_cache(um, ip, area);
		ffs_ea_unload(area, ip->i_extsize);
	}
	ip->i_aclerr = error;
	return error == ENOMEM ? error : 0;
}

/*
 * The permission check with the ACL.  An area that could not be read
 * (logged when the vnode was loaded) fails it as Linux fails a check
 * that needs the ACL: for all but the owner, unless the mode leaves the
 * ACL out.
 */
int
ffs_vaccess(const struct ffs_inode *ip, int mode, kauth_cred_t cred)
{
	if (ip->i_aclerr != 0 && cred->cr_euid != ip->i_uid &&
	    (ip->i_mode & S_IRWXG) != 0)
		return ip->i_aclerr;
	return acl_vaccess(iftovt(ip->i_mode), ip->i_mode & ALLPERMS,
	    ip->i_uid, ip->i_gid, ip->i_acl, ip->i_acllen, mode, cred);
}

/*
 * A new area: ip's records but the one of en (if any), then en's with
 * val (NULL: none).  *areap gets *lenp bytes (NULL if 0), to free with
 * kmem_free; ENOSPC past what the area can hold.
 */
static int
ffs_ea_rebuild(struct ffs_mount *um, struct ffs_inode *ip, const char *old,
    const struct ffs_eaname *en, const void *val, size_t vallen,
    char **areap, size_t *lenp)
{
	size_t max = (size_t)UFS_NXADDR * um->fs_bsize, len = 0, off = 0;
	size_t need = 0;
	struct ffs_earec r;
	char *area;

	*areap = NULL;
	*lenp = 0;
	while (off < ip->i_extsize) {
		(void)ffs_ea_next(um, ip, old, ip->i_extsize, &off, &r);
		if (r.ns != en->ns || r.namelen != en->len ||
		    memcmp(r.name, en->name, en->len) != 0)
			need += r.reclen;
	}
	if (val != NULL)
		need += EA_HDRLEN(en->len) + EA_PAD8(vallen);
	if (need > max)
		return ENOSPC;
	if (need == 0)
		return 0;
	if ((area = kmem_alloc(need, KM_SLEEP)) == NULL)
		return ENOMEM;
	for (off = 0; off < ip->i_extsize;) {
		(void)ffs_ea_next(um, ip, old, ip->i_extsize, &off, &r);
		if (r.ns == en->ns && r.namelen == en->len &&
		    memcmp(r.name, en->name, en->len) == 0)
			continue;
		memcpy(area + len, old + r.off, r.reclen);
		len += r.reclen;
	}
	if (val != NULL)
		ffs_ea_put(um, area, &len, en, val, vallen);
	KASSERT(len == need);
	*areap = area;
	*lenp = len;
	return 0;
}

int
ffs_acl_chmod(struct ffs_mount *um, struct ffs_inode *ip)
{
	static const struct ffs_eaname acc = { EA_NS_SYSTEM, EA_ACL_ACCESS,
		sizeof(EA_ACL_ACCESS) - 1 };
	size_t len, olen = ip->i_extsize;
	char *old, *area;
	int error;

	if (ip->i_acl == NULL)
		return 0;
	acl_xattr_chmod(ip->i_acl, ip->i_acllen, ip->i_mode);
	if ((error = ffs_ea_load(um, ip, &old)) != 0)
		return error;
	if ((error = ffs_ea_rebuild(um, ip, old, &acc, ip->i_acl,
	    ip->i_acllen, &area, &len)) == 0) {
		error = ffs_ea_store(um, ip, area, len, NULL);
		ffs_ea_unload(area, len);
	}
	ffs_ea_unload(old, olen);
	return error;
}

int
ffs_acl_inherit(struct ffs_mount *um, struct ffs_inode *dp,
    struct ffs_inode *ip, mode_t cmode, kauth_cred_t cred)
{
	static const struct ffs_eaname dfl = { EA_NS_SYSTEM, EA_ACL_DEFAULT,
		sizeof(EA_ACL_DEFAULT) - 1 };
	static const struct ffs_eaname acc = { EA_NS_SYSTEM, EA_ACL_ACCESS,
		sizeof(EA_ACL_ACCESS) - 1 };
	char *darea, *area = NULL, *accval = NULL;
	size_t len = 0, max = 0;
	struct ffs_earec r;
	mode_t mode = cmode & ALLPERMS;
	bool keep, isdir = (ip->i_mode & IFMT) == IFDIR;
	int error;

	if (!um->um_ufs2 || (ip->i_mode & IFMT) == IFLNK ||
	    dp->i_extsize == 0)
		return 0;
	if ((error = ffs_ea_load(um, dp, &darea)) != 0)
		return error;
	if (!ffs_ea_find(um, dp, darea, &dfl, &r))
		goto out;
	if ((error = ffs_acl_ok(um, dp, &r)) != 0)
		goto out;
	max = 2 * (EA_HDRLEN(dfl.len) + EA_PAD8(r.vallen));
	if ((accval = kmem_alloc(r.vallen, KM_SLEEP)) == NULL ||
	    (area = kmem_alloc(max, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	keep = acl_xattr_inherit(r.val, r.vallen, &mode, accval);
	if (keep)
		ffs_ea_put(um, area, &len, &acc, accval, r.vallen);
	if (isdir)
		ffs_ea_put(um, area, &len, &dfl, r.val, r.vallen);
	ip->i_mode = (uint16_t)((ip->i_mode & ~(S_IRWXU | S_IRWXG | S_IRWXO)) |
	    (mode & (S_IRWXU | S_IRWXG | S_IRWXO)));
	if (len > 0 && (error = ffs_ea_store(um, ip, area, len, cred)) != 0)
		goto out;
	if (keep) {
		ffs_acl_forget(ip);
		ip->i_acl = accval;
		ip->i_acllen = r.vallen;
		accval = NULL;
	}
	if (len == 0)
		error = ffs_update(um, ip);
out:
	if (accval != NULL)
		kmem_free(accval, r.vallen);
	if (area != NULL)
		kmem_free(area, max);
	ffs_ea_unload(darea, dp->i_extsize);
	return error;
}

int
ffs_getxattr(struct vnode *vp, const char *name, void *buf, size_t *lenp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	struct ffs_eaname en;
	struct ffs_earec r;
	char *area;
	int error;

	if (!um->um_ufs2)
		return EOPNOTSUPP;
	if (!ffs_ea_name(name, &en))
		return ENODATA;
	rw_enter(&um->um_lock, RW_READER);
	if ((error = ffs_ea_load(um, ip, &area)) != 0)
		goto out;
	if (area == NULL || !ffs_ea_find(um, ip, area, &en, &r))
		error = ENODATA;
	else if (has_prefix(name, XATTR_SYSTEM_PREFIX) &&
	    (error = ffs_acl_ok(um, ip, &r)) != 0)
		;
	else if (buf != NULL && r.vallen > *lenp)
		error = ERANGE;
	else {
		if (buf != NULL && r.vallen > 0)
			memcpy(buf, r.val, r.vallen);
		*lenp = r.vallen;
	}
	ffs_ea_unload(area, ip->i_extsize);
out:
	rw_exit(&um->um_lock);
	return error;
}

/*
 * Change one attribute: val NULL removes it.  An access ACL sets the
 * mode, and is not kept when it says no more than the mode.
 */
static int
ffs_ea_change(struct vnode *vp, const char *name, const void *val,
    size_t len, int flags, kauth_cred_t cred)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	bool acl = has_prefix(name, XATTR_SYSTEM_PREFIX), keep = val != NULL;
	bool isacc = strcmp(name, XATTR_ACL_ACCESS) == 0, found;
	char *old = NULL, *area = NULL;
	struct ffs_eaname en;
	struct ffs_earec r;
	uint16_t omode;
	mode_t mode;
	size_t alen = 0, olen = 0;
	int error;

	if (!um->um_ufs2)
		return EOPNOTSUPP;
	if (!ffs_ea_name(name, &en))
		return val == NULL ? ENODATA : EOPNOTSUPP;
	rw_enter(&um->um_lock, RW_WRITER);
	if (um->um_ronly) {
		error = EROFS;
		goto out;
	}
	olen = ip->i_extsize;
	if ((error = ffs_ea_load(um, ip, &old)) != 0)
		goto out;
	found = old != NULL && ffs_ea_find(um, ip, old, &en, &r);
	if (!acl && (flags & XATTR_CREATE) && found) {
		error = EEXIST;
		goto out;
	}
	if (!acl && (flags & XATTR_REPLACE) && !found) {
		error = ENODATA;
		goto out;
	}
	if (!found && val == NULL) {
		error = acl ? 0 : ENODATA;
		goto out;
	}
	mode = ip->i_mode;
	if (val != NULL && isacc)
		keep = acl_xattr_setmode(val, len, &mode, ip->i_gid, cred);
	if (!found && !keep) {
		/* Only the mode changes. */
		if (mode != ip->i_mode) {
			ip->i_mode = (uint16_t)mode;
			nanotime(&ip->i_ctime);
			error = ffs_update(um, ip);
		}
		goto out;
	}
	if ((error = ffs_ea_rebuild(um, ip, old, &en, keep ? val : NULL, len,
	    &area, &alen)) != 0)
		goto out;
	omode = ip->i_mode;
	ip->i_mode = (uint16_t)mode;
	nanotime(&ip->i_ctime);
	if ((error = ffs_ea_store(um, ip, area, alen, cred)) != 0) {
		ip->i_mode = omode;
		goto out;
	}
	if (isacc)
		error = ffs_acl_cache(um, ip, area);
out:
	ffs_ea_unload(area, alen);
	ffs_ea_unload(old, olen);
	rw_exit(&um->um_lock);
	return error;
}

int
ffs_setxattr(struct vnode *vp, const char *name, const void *val, size_t len,
    int flags, kauth_cred_t cred)
{
	static const char empty;

	return ffs_ea_change(vp, name, val != NULL ? val : &empty, len, flags,
	    cred);
}

int
ffs_removexattr(struct vnode *vp, const char *name, kauth_cred_t cred)
{
	return ffs_ea_change(vp, name, NULL, 0, 0, cred);
}

int
ffs_listxattr(struct vnode *vp, char *buf, size_t *lenp)
{
	struct ffs_mount *um = VTOFFS(vp);
	struct ffs_inode *ip = VTOI(vp);
	char lname[XATTR_NAME_MAX + 1], *area;
	size_t len = 0, off = 0, n;
	struct ffs_earec r;
	int error;

	if (!um->um_ufs2)
		return EOPNOTSUPP;
	rw_enter(&um->um_lock, RW_READER);
	if ((error = ffs_ea_load(um, ip, &area)) == 0) {
		while (off < ip->i_extsize) {
			(void)ffs_ea_next(um, ip, area, ip->i_extsize, &off,
			    &r);
			if ((n = ffs_ea_lname(&r, lname)) == 0)
				continue;
			if (buf != NULL && len + n <= *lenp)
				memcpy(buf + len, lname, n);
			len += n;
		}
		ffs_ea_unload(area, ip->i_extsize);
	}
	rw_exit(&um->um_lock);
	if (error != 0)
		return error;
	if (buf != NULL && len > *lenp)
		error = ERANGE;
	*lenp = len;
	return error;
}
