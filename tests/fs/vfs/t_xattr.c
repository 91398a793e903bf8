/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extended attributes and POSIX ACLs on every file system that has them
 * (tmpfs, the root rumpfs, ext2 and ext4, e2fsck clean after each case
 * there, and UFS2 FFS, the ffs2be row, fsck_ffs clean after each), and
 * EOPNOTSUPP on those that do not (UFS1, the ffs row): the calls with Linux's
 * errno for every error (xattr(7), setxattr(2), getxattr(2)), the exact
 * bytes and names back, the namespace rules for root and for other
 * users, ACLs in Linux's xattr format setting the mode and following
 * chmod, enforced for named users and groups under the mask, and
 * inherited from a directory's default ACL with the mode asked for;
 * attributes filling a small file system; threads at once.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>

#include "h_fsmacros.h"

/* An ACL value in Linux's xattr format (version 2). */
struct acl {
	unsigned char b[4 + 8 * 16];
	size_t len;
};

static void
acl_init(struct acl *a)
{
	memset(a, 0, sizeof(*a));
	a->b[0] = 2;
	a->len = 4;
}

static void
acl_add(struct acl *a, unsigned tag, unsigned perm, uint32_t id)
{
	unsigned char *e = a->b + a->len;

	REQUIRE(a->len + 8 <= sizeof(a->b));
	e[0] = (unsigned char)tag;
	e[1] = (unsigned char)(tag >> 8);
	e[2] = (unsigned char)perm;
	e[3] = 0;
	e[4] = (unsigned char)id;
	e[5] = (unsigned char)(id >> 8);
	e[6] = (unsigned char)(id >> 16);
	e[7] = (unsigned char)(id >> 24);
	a->len += 8;
}

#define UO 0x01
#define U  0x02
#define GO 0x04
#define G  0x08
#define M  0x10
#define O  0x20
#define NOID 0xFFFFFFFFu
#define XATTR_SIZE_MAX 65536           /* <linux/limits.h> */

/* The value of name at path must be exactly want (len bytes). */
static void
check_value(const char *path, const char *name, const void *want, size_t len)
{
	char buf[8192];

	REQUIRE_EQ(rump_sys_getxattr(path, name, NULL, 0), len);
	REQUIRE_EQ(rump_sys_getxattr(path, name, buf, sizeof(buf)), len);
	REQUIRE(memcmp(buf, want, len) == 0);
}

/* listxattr of path must be exactly the names in want, in any order. */
static void
check_list(const char *path, const char *const *want, size_t n)
{
	char buf[4096];
	ssize_t len, total = 0;
	size_t found = 0;

	for (size_t i = 0; i < n; i++)
		total += (ssize_t)strlen(want[i]) + 1;
	REQUIRE_EQ(rump_sys_listxattr(path, NULL, 0), total);
	REQUIRE_EQ(len = rump_sys_listxattr(path, buf, sizeof(buf)), total);
	for (ssize_t off = 0; off < len; off += (ssize_t)strlen(buf + off) + 1) {
		size_t i;

		for (i = 0; i < n; i++)
			if (strcmp(buf + off, want[i]) == 0)
				break;
		if (i == n)
			TEST_FAIL("unexpected name %s in the list", buf + off);
		found++;
	}
	REQUIRE_EQ(found, n);
}

FSTEST(xattr_user, FS_WRITABLE | FS_XATTR)
{
	static const char *const two[] = { "user.a", "user.empty" };
	char big[3000], buf[64], longname[300];
	int fd;

	(void)fs;
	fs_mkfile("f", "x", 1);
	REQUIRE_ERRNO(rump_sys_getxattr("f", "user.a", buf, sizeof(buf)),
	    ENODATA);
	REQUIRE_OK(rump_sys_setxattr("f", "user.a", "hello", 5, 0));
	check_value("f", "user.a", "hello", 5);
	/* Too small a buffer is ERANGE; the size alone fits anything. */
	REQUIRE_ERRNO(rump_sys_getxattr("f", "user.a", buf, 4), ERANGE);
	REQUIRE_EQ(rump_sys_getxattr("f", "user.a", buf, 0), 5);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "user.a", "x", 1, XATTR_CREATE),
	    EEXIST);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "user.b", "x", 1, XATTR_REPLACE),
	    ENODATA);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "user.b", "x", 1, 4), EINVAL);
	REQUIRE_OK(rump_sys_setxattr("f", "user.a", "world!", 6,
	    XATTR_REPLACE));
	check_value("f", "user.a", "world!", 6);
	REQUIRE_OK(rump_sys_setxattr("f", "user.empty", "", 0, XATTR_CREATE));
	check_value("f", "user.empty", "", 0);
	check_list("f", two, 2);
	REQUIRE_ERRNO(rump_sys_listxattr("f", buf, 10), ERANGE);
	/* Names: empty or past 255 bytes ERANGE; no namespace EOPNOTSUPP. */
	REQUIRE_ERRNO(rump_sys_setxattr("f", "", "x", 1, 0), ERANGE);
	memset(longname, 'n', sizeof(longname));
	memcpy(longname, "user.", 5);
	longname[256] = '\0';
	REQUIRE_ERRNO(rump_sys_setxattr("f", longname, "x", 1, 0), ERANGE);
	REQUIRE_ERRNO(rump_sys_getxattr("f", longname, buf, 1), ERANGE);
	longname[255] = '\0';
	REQUIRE_OK(rump_sys_setxattr("f", longname, "long", 4, 0));
	check_value("f", longname, "long", 4);
	REQUIRE_OK(rump_sys_removexattr("f", longname));
	REQUIRE_ERRNO(rump_sys_setxattr("f", "nonamespace", "x", 1, 0),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.other", "x", 1, 0),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_getxattr("f", "other.x", buf, 1), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "user.big", big,
	    XATTR_SIZE_MAX + 1, 0), E2BIG);
	/* A bigger value (an attribute block on ext2fs), exactly back. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 3);
	REQUIRE_OK(rump_sys_setxattr("f", "user.big", big, sizeof(big), 0));
	check_value("f", "user.big", big, sizeof(big));
	check_value("f", "user.a", "world!", 6);
	REQUIRE_OK(rump_sys_removexattr("f", "user.big"));
	REQUIRE_ERRNO(rump_sys_removexattr("f", "user.big"), ENODATA);
	check_list("f", two, 2);
	/* Through a descriptor, and the l- forms on a link. */
	REQUIRE((fd = rump_sys_open("f", O_RDONLY)) != -1);
	REQUIRE_OK(rump_sys_fsetxattr(fd, "user.fd", "123", 3, 0));
	REQUIRE_EQ(rump_sys_fgetxattr(fd, "user.fd", buf, sizeof(buf)), 3);
	REQUIRE(memcmp(buf, "123", 3) == 0);
	REQUIRE_EQ(rump_sys_flistxattr(fd, NULL, 0), 7 + 11 + 8);
	REQUIRE_OK(rump_sys_fremovexattr(fd, "user.fd"));
	REQUIRE_ERRNO(rump_sys_fremovexattr(fd, "user.fd"), ENODATA);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_fgetxattr(fd, "user.a", buf, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_getxattr("nothere", "user.a", buf, 1), ENOENT);
	if ((fs->fs_lacks & FS_SYMLINKS) == 0) {
		REQUIRE_OK(rump_sys_symlink("f", "l"));
		check_value("l", "user.a", "world!", 6);
		REQUIRE_ERRNO(rump_sys_lgetxattr("l", "user.a", buf, 1),
		    ENODATA);
		REQUIRE_ERRNO(rump_sys_lsetxattr("l", "user.a", "x", 1, 0),
		    EPERM);
		REQUIRE_EQ(rump_sys_llistxattr("l", NULL, 0), 0);
		REQUIRE_OK(rump_sys_setxattr("l", "user.via", "v", 1, 0));
		check_value("f", "user.via", "v", 1);
	}
	/* Directories have them too. */
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	REQUIRE_OK(rump_sys_setxattr("d", "user.dir", "dd", 2, 0));
	check_value("d", "user.dir", "dd", 2);
}

/* Namespaces by who asks: trusted is root's, security root's to write. */
FSTEST(xattr_namespaces, FS_WRITABLE | FS_XATTR | FS_OWNERS)
{
	static const char *const all[] = { "user.u", "trusted.t",
		"security.s" };
	static const char *const seen[] = { "user.u", "security.s" };
	char buf[16];

	(void)fs;
	fs_mkfile("f", "x", 1);
	REQUIRE_OK(rump_sys_chmod("f", 0644));
	REQUIRE_OK(rump_sys_chmod(".", 0777));
	REQUIRE_OK(rump_sys_setxattr("f", "user.u", "U", 1, 0));
	REQUIRE_OK(rump_sys_setxattr("f", "trusted.t", "T", 1, 0));
	REQUIRE_OK(rump_sys_setxattr("f", "security.s", "S", 1, 0));
	check_list("f", all, 3);
	fs_mkfile("secret", "s", 1);
	REQUIRE_OK(rump_sys_chmod("secret", 0600));
	REQUIRE_OK(rump_sys_setxattr("secret", "user.u", "U", 1, 0));
	REQUIRE_OK(rump_sys_mkdir("sticky", 01777));
	REQUIRE_OK(rump_sys_chmod("sticky", 01777));

	fs_become(1000, 100);
	check_list("f", seen, 2);
	REQUIRE_ERRNO(rump_sys_getxattr("f", "trusted.t", buf, 1), ENODATA);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "trusted.t", "x", 1, 0), EPERM);
	check_value("f", "security.s", "S", 1);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "security.s", "x", 1, 0), EPERM);
	check_value("f", "user.u", "U", 1);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "user.u", "x", 1, 0), EACCES);
	REQUIRE_ERRNO(rump_sys_removexattr("f", "user.u"), EACCES);
	REQUIRE_ERRNO(rump_sys_getxattr("secret", "user.u", buf, 1), EACCES);
	REQUIRE_ERRNO(rump_sys_setxattr("sticky", "user.u", "x", 1, 0),
	    EPERM);
	fs_mkfile("mine", "m", 1);
	REQUIRE_OK(rump_sys_setxattr("mine", "user.m", "M", 1, 0));
	rump_pub_lwproc_releaselwp();
	check_value("mine", "user.m", "M", 1);
}

/* Setting an access ACL: the mode follows; one that is only the mode goes. */
FSTEST(acl_set, FS_WRITABLE | FS_XATTR | FS_OWNERS)
{
	struct acl a, bad;
	struct stat sb;
	char buf[256];

	(void)fs;
	fs_mkfile("f", "x", 1);
	REQUIRE_OK(rump_sys_chmod("f", 0644));
	REQUIRE_ERRNO(rump_sys_getxattr("f", "system.posix_acl_access", buf,
	    sizeof(buf)), ENODATA);
	acl_init(&a);
	acl_add(&a, UO, 7, NOID);
	acl_add(&a, U, 6, 1000);
	acl_add(&a, GO, 4, NOID);
	acl_add(&a, M, 6, NOID);
	acl_add(&a, O, 0, NOID);
	REQUIRE_OK(rump_sys_setxattr("f", "system.posix_acl_access", a.b,
	    a.len, 0));
	REQUIRE_OK(rump_sys_stat("f", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0760);
	check_value("f", "system.posix_acl_access", a.b, a.len);
	/* chmod rewrites owner, mask and other. */
	REQUIRE_OK(rump_sys_chmod("f", 0615));
	a.b[4 + 2] = 6;
	a.b[4 + 3 * 8 + 2] = 1;
	a.b[4 + 4 * 8 + 2] = 5;
	check_value("f", "system.posix_acl_access", a.b, a.len);
	/* An ACL of the three mode entries sets the mode and is not kept. */
	acl_init(&bad);
	acl_add(&bad, UO, 6, NOID);
	acl_add(&bad, GO, 0, NOID);
	acl_add(&bad, O, 4, NOID);
	REQUIRE_OK(rump_sys_setxattr("f", "system.posix_acl_access", bad.b,
	    bad.len, 0));
	REQUIRE_OK(rump_sys_stat("f", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0604);
	REQUIRE_ERRNO(rump_sys_getxattr("f", "system.posix_acl_access", buf,
	    sizeof(buf)), ENODATA);
	/* Bad ACLs. */
	acl_init(&bad);
	acl_add(&bad, UO, 7, NOID);
	acl_add(&bad, U, 7, 5);
	acl_add(&bad, GO, 7, NOID);
	acl_add(&bad, O, 7, NOID);              /* no mask */
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_access", bad.b,
	    bad.len, 0), EINVAL);
	acl_init(&bad);
	acl_add(&bad, GO, 7, NOID);             /* out of order */
	acl_add(&bad, UO, 7, NOID);
	acl_add(&bad, O, 7, NOID);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_access", bad.b,
	    bad.len, 0), EINVAL);
	acl_init(&bad);
	acl_add(&bad, UO, 8, NOID);             /* no such permission */
	acl_add(&bad, GO, 7, NOID);
	acl_add(&bad, O, 7, NOID);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_access", bad.b,
	    bad.len, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_access", a.b,
	    a.len - 3, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_access", a.b,
	    0, 0), EINVAL);
	a.b[0] = 1;
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_access", a.b,
	    a.len, 0), EOPNOTSUPP);
	a.b[0] = 2;
	/* A default ACL is a directory's. */
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_default", a.b,
	    a.len, 0), EACCES);
	/* Removing a missing ACL is no error. */
	REQUIRE_OK(rump_sys_removexattr("f", "system.posix_acl_access"));
	if ((fs->fs_lacks & FS_SYMLINKS) == 0) {
		REQUIRE_OK(rump_sys_symlink("f", "l"));
		REQUIRE_ERRNO(rump_sys_lsetxattr("l", "system.posix_acl_access",
		    a.b, a.len, 0), EOPNOTSUPP);
	}
	/* Only the owner (or root) sets one. */
	REQUIRE_OK(rump_sys_chmod(".", 0777));
	fs_become(1000, 100);
	REQUIRE_ERRNO(rump_sys_setxattr("f", "system.posix_acl_access", a.b,
	    a.len, 0), EPERM);
	rump_pub_lwproc_releaselwp();
}

static int
can_open(const char *path, int flags)
{
	int fd = rump_sys_open(path, flags);

	if (fd == -1)
		return errno;
	REQUIRE_OK(rump_sys_close(fd));
	return 0;
}

/* The permission check walks the ACL: named users, groups, the mask. */
FSTEST(acl_enforce, FS_WRITABLE | FS_XATTR | FS_OWNERS)
{
	struct acl a;

	(void)fs;
	REQUIRE_OK(rump_sys_chmod(".", 0755));
	fs_mkfile("f", "x", 1);
	REQUIRE_OK(rump_sys_chown("f", 0, 0));
	REQUIRE_OK(rump_sys_mkdir("d", 0700));
	fs_mkfile("d/in", "i", 1);
	REQUIRE_OK(rump_sys_chmod("d/in", 0644));
	acl_init(&a);
	acl_add(&a, UO, 6, NOID);
	acl_add(&a, U, 6, 1000);                /* 1000: read and write */
	acl_add(&a, U, 0, 1001);                /* 1001: nothing */
	acl_add(&a, GO, 0, NOID);
	acl_add(&a, G, 4, 300);                 /* group 300: read */
	acl_add(&a, M, 6, NOID);
	acl_add(&a, O, 4, NOID);                /* others: read */
	REQUIRE_OK(rump_sys_setxattr("f", "system.posix_acl_access", a.b,
	    a.len, 0));
	acl_init(&a);
	acl_add(&a, UO, 7, NOID);
	acl_add(&a, U, 1, 1000);                /* 1000 may search d */
	acl_add(&a, GO, 0, NOID);
	acl_add(&a, M, 1, NOID);
	acl_add(&a, O, 0, NOID);
	REQUIRE_OK(rump_sys_setxattr("d", "system.posix_acl_access", a.b,
	    a.len, 0));

	fs_become(1000, 100);
	REQUIRE_EQ(can_open("f", O_RDWR), 0);
	REQUIRE_EQ(can_open("d/in", O_RDONLY), 0);
	REQUIRE_ERRNO(rump_sys_open("d/new", O_CREAT | O_RDWR, 0644), EACCES);
	rump_pub_lwproc_releaselwp();
	fs_become(1001, 100);
	REQUIRE_EQ(can_open("f", O_RDONLY), EACCES);
	REQUIRE_EQ(can_open("d/in", O_RDONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	fs_become(1002, 300);                   /* the named group */
	REQUIRE_EQ(can_open("f", O_RDONLY), 0);
	REQUIRE_EQ(can_open("f", O_WRONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	fs_become(1003, 0);                     /* the file's group: nothing */
	REQUIRE_EQ(can_open("f", O_RDONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	fs_become(1004, 400);                   /* other */
	REQUIRE_EQ(can_open("f", O_RDONLY), 0);
	REQUIRE_EQ(can_open("f", O_WRONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	/* A chmod that narrows the mask narrows the named entries. */
	REQUIRE_OK(rump_sys_chmod("f", 0644));
	fs_become(1000, 100);
	REQUIRE_EQ(can_open("f", O_RDONLY), 0);
	REQUIRE_EQ(can_open("f", O_WRONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	REQUIRE_OK(rump_sys_chmod("f", 0600));
	fs_become(1000, 100);
	REQUIRE_EQ(can_open("f", O_RDONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	/* Group bits all clear: the ACL is not asked, other's bits are. */
	REQUIRE_OK(rump_sys_chmod("f", 0604));
	fs_become(1001, 100);
	REQUIRE_EQ(can_open("f", O_RDONLY), 0);
	rump_pub_lwproc_releaselwp();
	/* Without the ACL the mode alone decides again. */
	REQUIRE_OK(rump_sys_removexattr("f", "system.posix_acl_access"));
	REQUIRE_OK(rump_sys_chmod("f", 0640));
	fs_become(1001, 100);
	REQUIRE_EQ(can_open("f", O_RDONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	REQUIRE_OK(rump_sys_chmod("f", 0644));
	fs_become(1001, 100);
	REQUIRE_EQ(can_open("f", O_RDONLY), 0);
	rump_pub_lwproc_releaselwp();
}

/* A directory's default ACL: what is made in it inherits, umask or not. */
FSTEST(acl_inherit, FS_WRITABLE | FS_XATTR | FS_OWNERS)
{
	struct acl dflt, acc;
	struct stat sb;
	int fd;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	acl_init(&dflt);
	acl_add(&dflt, UO, 7, NOID);
	acl_add(&dflt, U, 7, 1000);
	acl_add(&dflt, GO, 5, NOID);
	acl_add(&dflt, M, 7, NOID);
	acl_add(&dflt, O, 5, NOID);
	REQUIRE_OK(rump_sys_setxattr("d", "system.posix_acl_default", dflt.b,
	    dflt.len, 0));
	check_value("d", "system.posix_acl_default", dflt.b, dflt.len);
	rump_sys_umask(077);
	/* A file asked for 0640: the ACL's entries masked by it. */
	REQUIRE((fd = rump_sys_open("d/f", O_CREAT | O_WRONLY, 0640)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_stat("d/f", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0640);
	acl_init(&acc);
	acl_add(&acc, UO, 6, NOID);
	acl_add(&acc, U, 7, 1000);
	acl_add(&acc, GO, 5, NOID);
	acl_add(&acc, M, 4, NOID);
	acl_add(&acc, O, 0, NOID);
	check_value("d/f", "system.posix_acl_access", acc.b, acc.len);
	{
		char buf[64];

		REQUIRE_ERRNO(rump_sys_getxattr("d/f",
		    "system.posix_acl_default", buf, sizeof(buf)), ENODATA);
	}
	/* A directory gets both; what is made in it inherits in turn. */
	REQUIRE_OK(rump_sys_mkdir("d/sub", 0777));
	REQUIRE_OK(rump_sys_stat("d/sub", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0775);
	check_value("d/sub", "system.posix_acl_default", dflt.b, dflt.len);
	acl_init(&acc);
	acl_add(&acc, UO, 7, NOID);
	acl_add(&acc, U, 7, 1000);
	acl_add(&acc, GO, 5, NOID);
	acl_add(&acc, M, 7, NOID);
	acl_add(&acc, O, 5, NOID);
	check_value("d/sub", "system.posix_acl_access", acc.b, acc.len);
	REQUIRE_OK(rump_sys_mkdir("d/sub/deeper", 0700));
	REQUIRE_OK(rump_sys_stat("d/sub/deeper", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0700);
	check_value("d/sub/deeper", "system.posix_acl_default", dflt.b,
	    dflt.len);
	/* The inherited ACL is enforced: 1000 may write d/f (mask r). */
	REQUIRE_OK(rump_sys_chmod("d/f", 0660));
	fs_become(1000, 100);
	REQUIRE_EQ(can_open("d/f", O_RDWR), 0);
	rump_pub_lwproc_releaselwp();
	/* Without a default ACL the umask is back. */
	REQUIRE_OK(rump_sys_removexattr("d", "system.posix_acl_default"));
	REQUIRE((fd = rump_sys_open("d/g", O_CREAT | O_WRONLY, 0640)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_stat("d/g", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0600);
	REQUIRE_EQ(rump_sys_listxattr("d/g", NULL, 0), 0);
}

/*
 * Attributes take the file system's space (tmpfs: its size limit): a
 * small one fills with them, ENOSPC, and what they held is free again
 * once they are gone.
 */
FSTEST(xattr_enospc, FS_WRITABLE | FS_XATTR | FS_SIZELIMIT)
{
	struct statvfs before, full, after;
	char name[32], val[900];
	int n, made;

	REQUIRE_OK(rump_sys_mkdir("small", 0755));
	REQUIRE_OK(fs->fs_mount("small", 1 << 20));
	REQUIRE_OK(rump_sys_statvfs("small", &before));
	memset(val, 'v', sizeof(val));
	for (n = made = 0; n < 100000; n++) {
		snprintf(name, sizeof(name), "small/f%d", n);
		if (rump_sys_mknod(name, S_IFREG | 0644, 0) == -1)
			break;
		made++;
		if (rump_sys_setxattr(name, "user.fill", val, sizeof(val),
		    0) == -1)
			break;
	}
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE(n > 100);
	REQUIRE_OK(rump_sys_statvfs("small", &full));
	REQUIRE(full.f_bfree < before.f_bfree);
	snprintf(name, sizeof(name), "small/f%d", 0);
	check_value(name, "user.fill", val, sizeof(val));
	for (int i = 0; i < made; i++) {
		snprintf(name, sizeof(name), "small/f%d", i);
		(void)rump_sys_removexattr(name, "user.fill");
	}
	REQUIRE_OK(rump_sys_statvfs("small", &after));
	REQUIRE(after.f_bfree > full.f_bfree);
	/* As much free as the same files without attributes leave. */
	for (int i = 0; i < made; i++) {
		snprintf(name, sizeof(name), "small/f%d", i);
		REQUIRE_OK(rump_sys_unlink(name));
	}
	for (int i = 0; i < made; i++) {
		snprintf(name, sizeof(name), "small/f%d", i);
		REQUIRE_OK(rump_sys_mknod(name, S_IFREG | 0644, 0));
	}
	REQUIRE_OK(rump_sys_statvfs("small", &full));
	REQUIRE_EQ(after.f_bfree, full.f_bfree);
	REQUIRE_OK(fs->fs_unmount("small"));
}

/*
 * Threads, each its own process, set, read and remove their own
 * attributes on the same few files at once, while chmod changes the
 * files under them: every value read is the last one its thread set,
 * and the lists hold exactly the names that are left.
 */
#define XT_THREADS 8
#define XT_OPS 400
#define XT_FILES 4
#define XT_KEYS 6

struct xt {
	int id;
	uint32_t rnd;
	int len[XT_FILES][XT_KEYS];     /* -1: none */
	char err[256];
};

static uint32_t
xt_rand(struct xt *t, uint32_t n)
{
	t->rnd = t->rnd * 1103515245u + 12345u;
	return (t->rnd >> 8) % n;
}

static void
xt_val(const struct xt *t, int f, int k, int len, char *buf)
{
	for (int i = 0; i < len; i++)
		buf[i] = (char)(t->id * 31 + f * 7 + k * 3 + i);
}

static void
xt_get(struct xt *t, int f, int k)
{
	char path[64], name[32], val[64], got[64];
	ssize_t n;

	snprintf(path, sizeof(path), FS_MNT "/x%d", f);
	snprintf(name, sizeof(name), "user.t%d.k%d", t->id, k);
	n = rump_sys_getxattr(path, name, got, sizeof(got));
	if (t->len[f][k] < 0) {
		if (n != -1 || errno != ENODATA)
			snprintf(t->err, sizeof(t->err), "%s %s: %zd, errno %d, "
			    "expected ENODATA", path, name, n, errno);
		return;
	}
	xt_val(t, f, k, t->len[f][k], val);
	if (n != t->len[f][k] || memcmp(got, val, (size_t)n) != 0)
		snprintf(t->err, sizeof(t->err), "%s %s: %zd bytes (errno "
		    "%d), expected %d", path, name, n, errno, t->len[f][k]);
}

static void *
xt_work(void *arg)
{
	struct xt *t = arg;
	char path[64], name[32], val[64];
	int f, k, len;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		snprintf(t->err, sizeof(t->err), "rfork failed");
		return NULL;
	}
	for (int n = 0; n < XT_OPS && t->err[0] == '\0'; n++) {
		f = (int)xt_rand(t, XT_FILES);
		k = (int)xt_rand(t, XT_KEYS);
		snprintf(path, sizeof(path), FS_MNT "/x%d", f);
		snprintf(name, sizeof(name), "user.t%d.k%d", t->id, k);
		switch (xt_rand(t, 5)) {
		case 0:
		case 1:
			len = (int)xt_rand(t, 41);
			xt_val(t, f, k, len, val);
			if (rump_sys_setxattr(path, name, val, (size_t)len,
			    0) != 0)
				snprintf(t->err, sizeof(t->err), "set %s %s: "
				    "%s", path, name, strerror(errno));
			t->len[f][k] = len;
			break;
		case 2:
			if (rump_sys_removexattr(path, name) != 0 &&
			    (t->len[f][k] >= 0 || errno != ENODATA))
				snprintf(t->err, sizeof(t->err), "remove %s %s: "
				    "%s", path, name, strerror(errno));
			t->len[f][k] = -1;
			break;
		case 3:
			if (rump_sys_chmod(path, xt_rand(t, 2) ? 0644 : 0664))
				snprintf(t->err, sizeof(t->err), "chmod %s: %s",
				    path, strerror(errno));
			break;
		default:
			xt_get(t, f, k);
			break;
		}
	}
	for (f = 0; f < XT_FILES; f++)
		for (k = 0; k < XT_KEYS && t->err[0] == '\0'; k++)
			xt_get(t, f, k);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

FSTEST(xattr_threads, FS_WRITABLE | FS_XATTR)
{
	struct xt *t;
	pthread_t th[XT_THREADS];
	char path[64];
	ssize_t want;

	(void)fs;
	REQUIRE((t = calloc(XT_THREADS, sizeof(*t))) != NULL);
	for (int f = 0; f < XT_FILES; f++) {
		snprintf(path, sizeof(path), FS_MNT "/x%d", f);
		fs_mkfile(path, "x", 1);
	}
	for (int i = 0; i < XT_THREADS; i++) {
		t[i].id = i;
		t[i].rnd = 7u + (uint32_t)i * 104729u;
		memset(t[i].len, 0xff, sizeof(t[i].len));
		REQUIRE_EQ(pthread_create(&th[i], NULL, xt_work, &t[i]), 0);
	}
	for (int i = 0; i < XT_THREADS; i++)
		REQUIRE_EQ(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < XT_THREADS; i++)
		if (t[i].err[0] != '\0')
			TEST_FAIL("thread %d: %s", i, t[i].err);
	for (int f = 0; f < XT_FILES; f++) {
		want = 0;
		for (int i = 0; i < XT_THREADS; i++)
			for (int k = 0; k < XT_KEYS; k++)
				if (t[i].len[f][k] >= 0)
					want += (ssize_t)strlen("user.t0.k0") + 1;
		snprintf(path, sizeof(path), FS_MNT "/x%d", f);
		REQUIRE_EQ(rump_sys_listxattr(path, NULL, 0), want);
	}
	free(t);
}

/* setxattrat's and getxattrat's value argument (Linux 6.13's layout). */
struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/*
 * The *xattrat calls: a name relative to a directory descriptor, and
 * AT_EMPTY_PATH on any descriptor, O_PATH ones too (which the f* calls
 * refuse with EBADF, as Linux), so a symbolic link's own attributes are
 * reached by a descriptor; the argument structure's size and flags
 * checked as Linux does.
 */
FSTEST(xattr_at, FS_WRITABLE | FS_XATTR)
{
	struct xattr_args a;
	struct {
		struct xattr_args a;
		uint64_t more;
	} big;
	char buf[64];
	int dfd, pfd, lfd;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("d", 0755));
	fs_mkfile("d/f", "x", 1);
	REQUIRE_OK(rump_sys_symlink("f", "d/l"));
	REQUIRE((dfd = rump_sys_open("d", O_RDONLY | O_DIRECTORY)) != -1);
	REQUIRE((pfd = rump_sys_open("d/f", O_PATH)) != -1);
	REQUIRE((lfd = rump_sys_open("d/l", O_PATH | O_NOFOLLOW)) != -1);
	REQUIRE_ERRNO(rump_sys_fsetxattr(pfd, "user.a", "v", 1, 0), EBADF);

	a = (struct xattr_args){ (uintptr_t)"hello", 5, XATTR_CREATE };
	REQUIRE_OK(rump_sys_setxattrat(dfd, "f", 0, "user.a", &a, sizeof(a)));
	REQUIRE_ERRNO(rump_sys_setxattrat(pfd, "", AT_EMPTY_PATH, "user.a",
	    &a, sizeof(a)), EEXIST);
	check_value("d/f", "user.a", "hello", 5);
	a = (struct xattr_args){ (uintptr_t)buf, sizeof(buf), 0 };
	REQUIRE_EQ(rump_sys_getxattrat(pfd, "", AT_EMPTY_PATH, "user.a", &a,
	    sizeof(a)), 5);
	REQUIRE(memcmp(buf, "hello", 5) == 0);
	/* Through the link unless AT_SYMLINK_NOFOLLOW. */
	REQUIRE_EQ(rump_sys_getxattrat(dfd, "l", 0, "user.a", &a, sizeof(a)),
	    5);
	REQUIRE_ERRNO(rump_sys_getxattrat(dfd, "l", AT_SYMLINK_NOFOLLOW,
	    "user.a", &a, sizeof(a)), ENODATA);
	a.size = 4;
	REQUIRE_ERRNO(rump_sys_getxattrat(pfd, "", AT_EMPTY_PATH, "user.a",
	    &a, sizeof(a)), ERANGE);
	a.size = 0;
	REQUIRE_EQ(rump_sys_getxattrat(pfd, "", AT_EMPTY_PATH, "user.a", &a,
	    sizeof(a)), 5);
	/* The link's own, by its O_PATH descriptor. */
	a = (struct xattr_args){ (uintptr_t)"link", 4, 0 };
	REQUIRE_OK(rump_sys_setxattrat(lfd, "", AT_EMPTY_PATH, "trusted.l",
	    &a, sizeof(a)));
	REQUIRE_EQ(rump_sys_lgetxattr("d/l", "trusted.l", buf, sizeof(buf)),
	    4);
	REQUIRE_EQ(rump_sys_listxattrat(lfd, "", AT_EMPTY_PATH, buf,
	    sizeof(buf)), 10);
	REQUIRE(memcmp(buf, "trusted.l", 10) == 0);
	REQUIRE_ERRNO(rump_sys_listxattrat(pfd, "", AT_EMPTY_PATH, buf, 3),
	    ERANGE);
	REQUIRE_EQ(rump_sys_listxattrat(dfd, "f", 0, NULL, 0), 7);
	REQUIRE_OK(rump_sys_removexattrat(lfd, "", AT_EMPTY_PATH,
	    "trusted.l"));
	REQUIRE_ERRNO(rump_sys_lgetxattr("d/l", "trusted.l", buf, 1), ENODATA);
	REQUIRE_ERRNO(rump_sys_removexattrat(dfd, "l", 0, "user.b"), ENODATA);
	/* Without AT_EMPTY_PATH an empty path names nothing. */
	REQUIRE_ERRNO(rump_sys_removexattrat(pfd, "", 0, "user.a"), ENOENT);
	/* The arguments. */
	a = (struct xattr_args){ (uintptr_t)"v", 1, 0 };
	REQUIRE_ERRNO(rump_sys_setxattrat(dfd, "f", 0x1, "user.b", &a,
	    sizeof(a)), EINVAL);
	REQUIRE_ERRNO(rump_sys_listxattrat(dfd, "f", AT_REMOVEDIR, NULL, 0),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_setxattrat(dfd, "f", 0, "user.b", &a, 8),
	    EINVAL);
	REQUIRE_ERRNO(rump_sys_setxattrat(dfd, "f", 0, "user.b", &a, 8192),
	    E2BIG);
	big.a = a;
	big.more = 1;
	REQUIRE_ERRNO(rump_sys_setxattrat(dfd, "f", 0, "user.b", &big.a,
	    sizeof(big)), E2BIG);
	big.more = 0;
	REQUIRE_OK(rump_sys_setxattrat(dfd, "f", 0, "user.b", &big.a,
	    sizeof(big)));
	a = (struct xattr_args){ (uintptr_t)"v", 1, 4 };
	REQUIRE_ERRNO(rump_sys_setxattrat(dfd, "f", 0, "user.c", &a,
	    sizeof(a)), EINVAL);
	a = (struct xattr_args){ (uintptr_t)buf, sizeof(buf), XATTR_CREATE };
	REQUIRE_ERRNO(rump_sys_getxattrat(dfd, "f", 0, "user.b", &a,
	    sizeof(a)), EINVAL);
	REQUIRE_ERRNO(rump_sys_getxattrat(dfd, NULL, 0, "user.b", &a,
	    sizeof(a)), EFAULT);
	/* A NULL path with AT_EMPTY_PATH is dirfd's file (Linux's answer). */
	a = (struct xattr_args){ (uintptr_t)buf, sizeof(buf), 0 };
	REQUIRE_EQ(rump_sys_getxattrat(pfd, NULL, AT_EMPTY_PATH, "user.a", &a,
	    sizeof(a)), 5);
	REQUIRE(memcmp(buf, "hello", 5) == 0);
	REQUIRE_OK(rump_sys_removexattrat(pfd, NULL, AT_EMPTY_PATH, "user.b"));
	REQUIRE_ERRNO(rump_sys_getxattr("d/f", "user.b", buf, sizeof(buf)),
	    ENODATA);
	REQUIRE_ERRNO(rump_sys_listxattrat(pfd, NULL, 0, NULL, 0), EFAULT);
	REQUIRE_ERRNO(rump_sys_listxattrat(pfd, NULL, 0x1, NULL, 0), EINVAL);
	REQUIRE_OK(rump_sys_close(lfd));
	REQUIRE_OK(rump_sys_close(pfd));
	REQUIRE_OK(rump_sys_close(dfd));
}

/* File systems without attributes answer EOPNOTSUPP to every call. */
FSTEST(xattr_unsupported, 0)
{
	char buf[16];
	int fd;

	if ((fs->fs_lacks & FS_XATTR) == 0)
		return;
	if ((fs->fs_lacks & FS_WRITABLE) == 0)
		fs_mkfile("f", "x", 1);
	REQUIRE((fd = rump_sys_open(".", O_RDONLY | O_DIRECTORY)) != -1);
	REQUIRE_ERRNO(rump_sys_fgetxattr(fd, "user.a", buf, sizeof(buf)),
	    EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_flistxattr(fd, buf, sizeof(buf)), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_listxattr(".", buf, sizeof(buf)), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_listxattrat(fd, "", AT_EMPTY_PATH, buf,
	    sizeof(buf)), EOPNOTSUPP);
	REQUIRE_ERRNO(rump_sys_getxattr(".", "system.posix_acl_access", buf,
	    sizeof(buf)), EOPNOTSUPP);
	if ((fs->fs_lacks & FS_WRITABLE) == 0) {
		REQUIRE_ERRNO(rump_sys_setxattr("f", "user.a", "x", 1, 0),
		    EOPNOTSUPP);
		REQUIRE_ERRNO(rump_sys_removexattr("f", "user.a"),
		    EOPNOTSUPP);
	} else
		REQUIRE_ERRNO(rump_sys_setxattr(".", "user.a", "x", 1, 0),
		    EROFS);
	REQUIRE_OK(rump_sys_close(fd));
}

FSTESTS(FSCASE(xattr_user), FSCASE(xattr_namespaces), FSCASE(acl_set),
    FSCASE(acl_enforce), FSCASE(acl_inherit), FSCASE(xattr_enospc),
    FSCASE(xattr_threads), FSCASE(xattr_unsupported), FSCASE(xattr_at))
