/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The vnode-level interface as a file-system server of the original's
 * kind uses it: rump_pub_namei for the root, rump_pub_makecn and
 * rump_pub_cred_create for a name, RUMP_VOP_LOOKUP, _CREATE, _MKDIR,
 * _READ, _WRITE, _READDIR, _REMOVE, _RENAME, _SETATTR, with every result
 * checked against the system calls' view of the same files, and EROFS
 * for each change on a read-only mount.
 */
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvnode_if.h>

#include <string.h>
#include <sys/stat.h>

#include "h_macros.h"

static struct componentname *
cn(unsigned long op, const char *name, struct kauth_cred **credp)
{
	*credp = rump_pub_cred_create(0, 0, 0, NULL);
	REQUIRE(*credp != NULL);
	return rump_pub_makecn(op, 0, name, strlen(name), *credp,
	    rump_pub_lwproc_curlwp());
}

TESTCASE(lookup_through_makecn)
{
	struct vnode *root, *vp, *vp2;
	struct componentname *cnp;
	struct kauth_cred *cred;
	enum rump_vtype vt;
	off_t size;
	int fd;

	REQUIRE_OK(rump_sys_mkdir("/dir", 0755));
	REQUIRE_OK(fd = rump_sys_open("/dir/file", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644));
	REQUIRE_EQ(rump_sys_write(fd, "0123456789", 10), 10);
	rump_sys_close(fd);
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFD_CLEAR), 0);

	REQUIRE_EQ(rump_pub_namei(RUMP_NAMEI_LOOKUP, RUMP_NAMEI_FOLLOW, "/",
	    NULL, &root, NULL), 0);
	rump_pub_getvninfo(root, &vt, NULL, NULL);
	REQUIRE_EQ(vt, RUMP_VDIR);

	cnp = cn(RUMP_NAMEI_LOOKUP, "dir", &cred);
	REQUIRE_EQ(RUMP_VOP_LOOKUP(root, &vp, cnp), 0);
	rump_pub_freecn(cnp, RUMPCN_FREECRED);
	rump_pub_getvninfo(vp, &vt, NULL, NULL);
	REQUIRE_EQ(vt, RUMP_VDIR);

	cnp = cn(RUMP_NAMEI_LOOKUP, "file", &cred);
	REQUIRE_EQ(RUMP_VOP_LOOKUP(vp, &vp2, cnp), 0);
	rump_pub_freecn(cnp, RUMPCN_FREECRED);
	rump_pub_getvninfo(vp2, &vt, &size, NULL);
	REQUIRE_EQ(vt, RUMP_VREG);
	REQUIRE_EQ(size, 10);
	rump_pub_vp_rele(vp2);

	/* "." is the directory itself; a missing name is ENOENT. */
	cnp = cn(RUMP_NAMEI_LOOKUP, ".", &cred);
	REQUIRE_EQ(RUMP_VOP_LOOKUP(vp, &vp2, cnp), 0);
	REQUIRE(vp2 == vp);
	rump_pub_vp_rele(vp2);
	rump_pub_freecn(cnp, RUMPCN_FREECRED);
	cnp = cn(RUMP_NAMEI_LOOKUP, "none", &cred);
	REQUIRE_EQ(RUMP_VOP_LOOKUP(vp, &vp2, cnp), RUMP_ENOENT);
	rump_pub_freecn(cnp, RUMPCN_FREECRED);
	cnp = cn(RUMP_NAMEI_LOOKUP, "a/b", &cred);
	REQUIRE_EQ(RUMP_VOP_LOOKUP(vp, &vp2, cnp), RUMP_EINVAL);
	rump_pub_freecn(cnp, RUMPCN_FREECRED);

	/* A credential without search permission. */
	REQUIRE_OK(rump_sys_chmod("/dir", 0700));
	cred = rump_pub_cred_create(1000, 1000, 0, NULL);
	cnp = rump_pub_makecn(RUMP_NAMEI_LOOKUP, 0, "file", 4, cred, NULL);
	REQUIRE_EQ(RUMP_VOP_LOOKUP(vp, &vp2, cnp), RUMP_EACCES);
	rump_pub_freecn(cnp, 0);
	rump_pub_cred_put(cred);

	rump_pub_vp_rele(vp);
	rump_pub_vp_rele(root);
	rump_pub_lwproc_releaselwp();
}

TESTCASE(create_read_write)
{
	struct vnode *dvp, *vp, *dir;
	struct componentname *cnp, *cnp2;
	struct kauth_cred *cred;
	struct vattr *va;
	struct uio *uio;
	struct stat sb;
	char buf[64];
	int eof;

	REQUIRE_EQ(rump_pub_namei(RUMP_NAMEI_CREATE, 0, "/new", &dvp, &vp,
	    &cnp), 0);
	REQUIRE(vp == NULL);
	va = rump_pub_vattr_init();
	rump_pub_vattr_settype(va, RUMP_VREG);
	rump_pub_vattr_setmode(va, 0640);
	REQUIRE_EQ(RUMP_VOP_CREATE(dvp, &vp, cnp, va), 0);
	rump_pub_freecn(cnp, RUMPCN_FREECRED);

	cred = rump_pub_cred_create(0, 0, 0, NULL);
	uio = rump_pub_uio_setup((void *)"written by vop", 14, 0,
	    RUMPUIO_WRITE);
	REQUIRE_EQ(RUMP_VOP_WRITE(vp, uio, 0, cred), 0);
	REQUIRE_EQ(rump_pub_uio_getoff(uio), 14);
	REQUIRE_EQ(rump_pub_uio_free(uio), 0);
	REQUIRE_OK(rump_sys_stat("/new", &sb));
	REQUIRE_EQ(sb.st_size, 14);
	REQUIRE_EQ(sb.st_mode, S_IFREG | 0640);

	uio = rump_pub_uio_setup(buf, sizeof(buf), 8, RUMPUIO_READ);
	REQUIRE_EQ(RUMP_VOP_READ(vp, uio, 0, cred), 0);
	REQUIRE_EQ(rump_pub_uio_getresid(uio), sizeof(buf) - 6);
	REQUIRE_EQ(rump_pub_uio_free(uio), sizeof(buf) - 6);
	REQUIRE(memcmp(buf, "by vop", 6) == 0);

	/* mkdir, then rename the file into it and list it. */
	cnp = rump_pub_makecn(RUMP_NAMEI_CREATE, 0, "sub", 3, cred, NULL);
	rump_pub_vattr_setmode(va, 0755);
	REQUIRE_EQ(RUMP_VOP_MKDIR(dvp, &dir, cnp, va), 0);
	rump_pub_freecn(cnp, 0);
	REQUIRE_OK(rump_sys_stat("/sub", &sb));
	REQUIRE(S_ISDIR(sb.st_mode));
	cnp = rump_pub_makecn(RUMP_NAMEI_RENAME, 0, "new", 3, cred, NULL);
	cnp2 = rump_pub_makecn(RUMP_NAMEI_RENAME, 0, "moved", 5, cred, NULL);
	REQUIRE_EQ(RUMP_VOP_RENAME(dvp, vp, cnp, dir, NULL, cnp2), 0);
	rump_pub_freecn(cnp, 0);
	rump_pub_freecn(cnp2, 0);
	REQUIRE_ERRNO(rump_sys_stat("/new", &sb), RUMP_ENOENT);
	REQUIRE_OK(rump_sys_stat("/sub/moved", &sb));
	REQUIRE_EQ(sb.st_size, 14);

	char dents[4096];
	int found = 0;
	uio = rump_pub_uio_setup(dents, sizeof(dents), 0, RUMPUIO_READ);
	REQUIRE_EQ(RUMP_VOP_READDIR(dir, uio, cred, &eof, NULL, NULL), 0);
	size_t n = sizeof(dents) - rump_pub_uio_free(uio);
	for (size_t off = 0; off < n;) {
		unsigned short reclen;
		memcpy(&reclen, dents + off + 16, sizeof(reclen));
		if (strcmp(dents + off + 19, "moved") == 0)
			found++;
		off += reclen;
	}
	REQUIRE_EQ(found, 1);

	/* Remove it, then the directory; a name of ".." is refused. */
	cnp = rump_pub_makecn(RUMP_NAMEI_DELETE, 0, "moved", 5, cred, NULL);
	REQUIRE_EQ(RUMP_VOP_REMOVE(dir, vp, cnp), 0);
	rump_pub_freecn(cnp, 0);
	cnp = rump_pub_makecn(RUMP_NAMEI_DELETE, 0, "..", 2, cred, NULL);
	REQUIRE_EQ(RUMP_VOP_RMDIR(dir, dvp, cnp), RUMP_EINVAL);
	rump_pub_freecn(cnp, 0);
	cnp = rump_pub_makecn(RUMP_NAMEI_DELETE, 0, "sub", 3, cred, NULL);
	REQUIRE_EQ(RUMP_VOP_RMDIR(dvp, dir, cnp), 0);
	rump_pub_freecn(cnp, 0);
	REQUIRE_ERRNO(rump_sys_stat("/sub", &sb), RUMP_ENOENT);

	rump_pub_vattr_free(va);
	rump_pub_cred_put(cred);
	rump_pub_vp_rele(vp);
	rump_pub_vp_rele(dir);
	rump_pub_vp_rele(dvp);
}

/* A read-only mount is read-only through the vnodes too. */
TESTCASE(readonly_mount)
{
	struct vnode *dvp, *vp;
	struct componentname *cnp;
	struct kauth_cred *cred;
	struct vattr *va;
	struct uio *uio;
	int fd;

	REQUIRE_OK(rump_sys_mkdir("/ro", 0755));
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/ro", 0, NULL, 0));
	REQUIRE_OK(fd = rump_sys_open("/ro/f", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644));
	rump_sys_close(fd);
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/ro",
	    RUMP_MNT_UPDATE | RUMP_MNT_RDONLY, NULL, 0));
	REQUIRE_EQ(rump_pub_namei(RUMP_NAMEI_LOOKUP, 0, "/ro/f", &dvp, &vp,
	    &cnp), 0);
	cred = rump_pub_cred_create(0, 0, 0, NULL);
	uio = rump_pub_uio_setup((void *)"x", 1, 0, RUMPUIO_WRITE);
	REQUIRE_EQ(RUMP_VOP_WRITE(vp, uio, 0, cred), RUMP_EROFS);
	REQUIRE_EQ(rump_pub_uio_free(uio), 1);
	va = rump_pub_vattr_init();
	rump_pub_vattr_setmode(va, 0600);
	REQUIRE_EQ(RUMP_VOP_SETATTR(vp, va, cred), RUMP_EROFS);
	REQUIRE_EQ(RUMP_VOP_REMOVE(dvp, vp, cnp), RUMP_EROFS);
	rump_pub_freecn(cnp, RUMPCN_FREECRED);
	cnp = rump_pub_makecn(RUMP_NAMEI_CREATE, 0, "g", 1, cred, NULL);
	rump_pub_vattr_settype(va, RUMP_VREG);
	REQUIRE_EQ(RUMP_VOP_CREATE(dvp, &vp, cnp, va), RUMP_EROFS);
	rump_pub_freecn(cnp, 0);
	rump_pub_vattr_free(va);
	rump_pub_cred_put(cred);
	rump_pub_vp_rele(vp);
	rump_pub_vp_rele(dvp);
	/* And writable again. */
	REQUIRE_OK(rump_sys_mount(RUMP_MOUNT_TMPFS, "/ro", RUMP_MNT_UPDATE,
	    NULL, 0));
	REQUIRE_OK(rump_sys_unlink("/ro/f"));
}

TESTCASE(namei_errors)
{
	struct vnode *vp;

	REQUIRE_EQ(rump_pub_namei(RUMP_NAMEI_LOOKUP, 0, "/nothing", NULL, &vp,
	    NULL), RUMP_ENOENT);
	REQUIRE_EQ(rump_pub_namei(9, 0, "/", NULL, &vp, NULL), RUMP_EINVAL);
	REQUIRE_EQ(rump_pub_namei(RUMP_NAMEI_LOOKUP, 0x10000000, "/", NULL,
	    &vp, NULL), RUMP_EINVAL);
	REQUIRE(rump_pub_cred_create(0, 0, 33, NULL) == NULL);
}

TESTS(CASE(lookup_through_makecn), CASE(create_read_write),
    CASE(readonly_mount), CASE(namei_errors))
