/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Permissions on every file system, from non-root processes: owner,
 * group and other bits, search permission, root's override, sticky and
 * setgid directories, who may chmod, chown and set times, EACCES
 * against EPERM, and a write by another user clearing set-user-ID and
 * set-group-ID (the FUSE daemons rely on it).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>

#include "h_fsmacros.h"

FSTEST(perm_bits, FS_WRITABLE | FS_OWNERS)
{
	struct stat sb;

	(void)fs;
	fs_mkfile("secret", "s", 1);
	REQUIRE_OK(rump_sys_chmod("secret", 0600));
	fs_mkfile("grp", "g", 1);
	REQUIRE_OK(rump_sys_chown("grp", 0, 100));
	REQUIRE_OK(rump_sys_chmod("grp", 0640));
	REQUIRE_OK(rump_sys_mkdir("closed", 0700));
	fs_mkfile("closed/in", "", 0);
	REQUIRE_OK(rump_sys_chmod(".", 0777));

	fs_become(1000, 100);
	REQUIRE_ERRNO(rump_sys_open("secret", O_RDONLY, 0), EACCES);
	REQUIRE_OK(rump_sys_close(rump_sys_open("grp", O_RDONLY, 0)));
	REQUIRE_ERRNO(rump_sys_open("grp", O_WRONLY, 0), EACCES);
	REQUIRE_ERRNO(rump_sys_stat("closed/in", &sb), EACCES);
	REQUIRE_ERRNO(rump_sys_open("closed/new", O_CREAT | O_RDWR, 0644),
	    EACCES);
	REQUIRE_ERRNO(rump_sys_unlink("closed/in"), EACCES);
	REQUIRE_ERRNO(rump_sys_chmod("secret", 0777), EPERM);
	REQUIRE_ERRNO(rump_sys_chown("secret", 1000, 100), EPERM);
	REQUIRE_ERRNO(rump_sys_access("secret", R_OK), EACCES);
	REQUIRE_OK(rump_sys_access("grp", R_OK));
	REQUIRE_ERRNO(rump_sys_access("grp", W_OK), EACCES);
	REQUIRE_ERRNO(rump_sys_truncate("grp", 0), EACCES);
	REQUIRE_ERRNO(rump_sys_utimensat(AT_FDCWD, "grp", NULL, 0), EACCES);
	/* The owner may chmod, and may give the group only to its own. */
	fs_mkfile("mine", "", 0);
	REQUIRE_OK(rump_sys_stat("mine", &sb));
	REQUIRE_EQ(sb.st_uid, 1000);
	REQUIRE_EQ(sb.st_gid, 100);
	REQUIRE_OK(rump_sys_chmod("mine", 0604));
	REQUIRE_OK(rump_sys_chown("mine", (uid_t)-1, 100));
	REQUIRE_ERRNO(rump_sys_chown("mine", (uid_t)-1, 0), EPERM);
	REQUIRE_ERRNO(rump_sys_chown("mine", 0, (gid_t)-1), EPERM);
	REQUIRE_ERRNO(rump_sys_mknod("dev", S_IFCHR | 0600, 1), EPERM);
	/* Explicit times need ownership, "now" only write access. */
	REQUIRE_OK(rump_sys_chmod("mine", 0666));
	rump_pub_lwproc_releaselwp();
	fs_become(2000, 200);
	REQUIRE_OK(rump_sys_utimensat(AT_FDCWD, "mine", NULL, 0));
	{
		struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };

		REQUIRE_ERRNO(rump_sys_utimensat(AT_FDCWD, "mine", ts, 0),
		    EPERM);
	}
	rump_pub_lwproc_releaselwp();
	/* Root reads anything, executes only what someone may. */
	REQUIRE_OK(rump_sys_access("secret", R_OK | W_OK));
	REQUIRE_ERRNO(rump_sys_access("secret", X_OK), EACCES);
	REQUIRE_OK(rump_sys_chmod("secret", 0601));
	REQUIRE_OK(rump_sys_access("secret", X_OK));
}

FSTEST(sticky_dir, FS_WRITABLE | FS_OWNERS)
{
	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("tmp", 01777));
	REQUIRE_OK(rump_sys_chmod("tmp", 01777));
	fs_become(1000, 100);
	fs_mkfile("tmp/a", "", 0);
	rump_pub_lwproc_releaselwp();
	fs_become(2000, 200);
	fs_mkfile("tmp/b", "", 0);
	REQUIRE_ERRNO(rump_sys_unlink("tmp/a"), EPERM);
	REQUIRE_ERRNO(rump_sys_rename("tmp/a", "tmp/c"), EPERM);
	REQUIRE_ERRNO(rump_sys_rename("tmp/b", "tmp/a"), EPERM);
	REQUIRE_OK(rump_sys_rename("tmp/b", "tmp/c"));
	REQUIRE_OK(rump_sys_unlink("tmp/c"));
	rump_pub_lwproc_releaselwp();
	REQUIRE_OK(rump_sys_unlink("tmp/a"));       /* root may */
}

FSTEST(setgid_dir, FS_WRITABLE | FS_OWNERS)
{
	struct stat sb;

	(void)fs;
	REQUIRE_OK(rump_sys_mkdir("sg", 0777));
	REQUIRE_OK(rump_sys_chown("sg", 0, 300));
	REQUIRE_OK(rump_sys_chmod("sg", 02777));
	fs_become(1000, 100);
	fs_mkfile("sg/f", "", 0);
	REQUIRE_OK(rump_sys_mkdir("sg/d", 0755));
	REQUIRE_OK(rump_sys_stat("sg/f", &sb));
	REQUIRE_EQ(sb.st_gid, 300);
	REQUIRE_OK(rump_sys_stat("sg/d", &sb));
	REQUIRE_EQ(sb.st_gid, 300);
	REQUIRE(sb.st_mode & S_ISGID);
	/* chmod by a non-member drops S_ISGID on a file. */
	REQUIRE_OK(rump_sys_chmod("sg/f", 02755));
	REQUIRE_OK(rump_sys_stat("sg/f", &sb));
	REQUIRE_EQ(sb.st_mode & 07777, 0755);
	rump_pub_lwproc_releaselwp();
}

FSTEST(access_real_ids, FS_WRITABLE | FS_OWNERS)
{
	(void)fs;
	fs_mkfile("f", "", 0);
	REQUIRE_OK(rump_sys_chmod("f", 0600));
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setreuid(1000, 0));     /* real 1000, effective 0 */
	REQUIRE_ERRNO(rump_sys_access("f", R_OK), EACCES);
	REQUIRE_OK(rump_sys_faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS));
	rump_pub_lwproc_releaselwp();
}

/* pjdfstest chmod/12: another user's write clears SUID and SGID. */
FSTEST(write_kills_setid, FS_WRITABLE | FS_OWNERS)
{
	static const mode_t modes[] = { 04777, 02777, 06777 };
	struct stat sb;
	size_t i;
	int fd;

	(void)fs;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		fs_mkfile("f", "", 0);
		REQUIRE_OK(rump_sys_chmod("f", modes[i]));
		/* The owner, root, keeps them. */
		REQUIRE_OK(fd = rump_sys_open("f", O_WRONLY, 0));
		REQUIRE_EQ(rump_sys_write(fd, "r", 1), 1);
		REQUIRE_OK(rump_sys_close(fd));
		REQUIRE_OK(rump_sys_stat("f", &sb));
		REQUIRE_EQ(sb.st_mode & 07777, modes[i]);
		fs_become(1000, 100);
		REQUIRE_OK(fd = rump_sys_open("f", O_WRONLY, 0));
		REQUIRE_EQ(rump_sys_write(fd, "x", 1), 1);
		REQUIRE_OK(rump_sys_fstat(fd, &sb));
		REQUIRE_EQ(sb.st_mode & 07777, 0777);
		REQUIRE_OK(rump_sys_close(fd));
		rump_pub_lwproc_releaselwp();
		REQUIRE_OK(rump_sys_unlink("f"));
	}
}

FSTESTS(FSCASE(perm_bits), FSCASE(sticky_dir), FSCASE(setgid_dir),
    FSCASE(access_real_ids), FSCASE(write_kills_setid))
