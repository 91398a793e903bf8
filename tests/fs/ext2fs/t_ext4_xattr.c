/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Extended attributes and POSIX ACLs on ext2/ext4 images, checked by
 * tools nobody here wrote: what our kernel writes (attributes in the
 * inode and in attribute blocks, ACLs in ext4's disk form, ACLs
 * inherited from a default ACL) must leave `e2fsck -fn` clean, be listed
 * byte for byte by debugfs `ea_list`, and be shown exactly by the Linux
 * kernel's `getfattr -d -m - -e hex` and `getfacl -n` (as root, over a
 * loop mount; skipped where the host cannot); what debugfs `ea_set` and
 * Linux's `setfattr`/`setfacl` write we read byte for byte, and enforce.
 * Also: a block shared by two inodes is copied before one of them
 * changes it; a full block is ENOSPC with nothing damaged; a damaged
 * block, a bad ACL, an entry pointing outside its block are EIO with one
 * log line; attribute changes go through the
 * journal (a copy of the image taken while mounted is clean, and holds
 * them once fsync'd).
 */
#define _GNU_SOURCE
#include <sys/param.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_ext2img.h"

#define MNT "/mnt"
#define DEV "/dev/xaimg"

static bool registered;

static void
do_mount(const char *img)
{
	struct ext2fs_args args = { .fspec = (char *)DEV };

	if (!registered) {
		REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
		REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
		registered = true;
	}
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, 0, &args, sizeof(args)));
}

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

	e[0] = (unsigned char)tag;
	e[2] = (unsigned char)perm;
	for (int i = 0; i < 4; i++)
		e[4 + i] = (unsigned char)(id >> (8 * i));
	a->len += 8;
}

#define UO 0x01
#define U  0x02
#define GO 0x04
#define G  0x08
#define M  0x10
#define O  0x20
#define NOID 0xFFFFFFFFu

static void
check_value(const char *path, const char *name, const void *want, size_t len)
{
	char buf[8192];

	REQUIRE_EQ(rump_sys_getxattr(path, name, NULL, 0), len);
	REQUIRE_EQ(rump_sys_getxattr(path, name, buf, sizeof(buf)), len);
	if (memcmp(buf, want, len) != 0)
		TEST_FAIL("%s of %s: other bytes", name, path);
}

static void
pattern(char *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (i * 7 + seed) % 26);
}

/* The text must contain each line of want (a list ended by NULL). */
static void
require_lines(const char *what, const char *text, const char *const *want)
{
	for (; *want != NULL; want++)
		if (strstr(text, *want) == NULL)
			TEST_FAIL("%s: no line \"%s\" in:\n%s", what, *want,
			    text);
}

static void
require_text(const char *what, const char *text, const char *want)
{
	if (strcmp(text, want) != 0)
		TEST_FAIL("%s: got:\n%s\nwanted:\n%s", what, text, want);
}

/*
 * Our kernel writes attributes and ACLs: e2fsck, debugfs and (as root)
 * the Linux kernel agree on every byte; a new mount of ours too.
 */
static void
ours_read_by_others(const char *mkfs, size_t bigsz)
{
	char img[4200], cmd[9000], big[1500], *out, *dir, mnt[4300];
	char bigline[64];
	struct acl facl, dacl, gacl;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("xaours", mkfs, "16M", img, sizeof(img));
	do_mount(img);
	REQUIRE((fd = rump_sys_open(MNT "/f", O_CREAT | O_RDWR, 0644)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	REQUIRE(bigsz <= sizeof(big));
	pattern(big, bigsz, 1);
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.small", "hello", 5, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.big", big, bigsz, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "trusted.t", "T1", 2, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "security.s", "S", 1, 0));
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.gone", "x", 1, 0));
	REQUIRE_OK(rump_sys_removexattr(MNT "/f", "user.gone"));
	acl_init(&facl);
	acl_add(&facl, UO, 6, NOID);
	acl_add(&facl, U, 6, 1000);
	acl_add(&facl, GO, 4, NOID);
	acl_add(&facl, G, 5, 300);
	acl_add(&facl, M, 7, NOID);
	acl_add(&facl, O, 4, NOID);
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "system.posix_acl_access",
	    facl.b, facl.len, 0));
	acl_init(&dacl);
	acl_add(&dacl, UO, 7, NOID);
	acl_add(&dacl, U, 7, 1000);
	acl_add(&dacl, GO, 5, NOID);
	acl_add(&dacl, M, 7, NOID);
	acl_add(&dacl, O, 5, NOID);
	REQUIRE_OK(rump_sys_setxattr(MNT "/d", "system.posix_acl_default",
	    dacl.b, dacl.len, 0));
	rump_sys_umask(022);
	REQUIRE((fd = rump_sys_open(MNT "/d/g", O_CREAT | O_RDWR, 0660)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);

	/* debugfs lists the disk's bytes: ACLs in ext4's short form. */
	PATHF(cmd, "debugfs -R 'ea_list /f' '%s' 2>/dev/null", img);
	out = cmd_output(cmd, NULL);
	PATHF(bigline, "  user.big (%zu)\n", bigsz);
	{
		const char *const want[] = {
			"  user.small (5) = \"hello\"\n",
			"  trusted.t (2) = \"T1\"\n",
			"  security.s (1) = \"S\"\n",
			bigline,
			"  system.posix_acl_access (36) = 01 00 00 00 01 00 06 "
			"00 02 00 06 00 e8 03 00 00 04 00 04 00 08 00 05 00 2c "
			"01 00 00 10 00 07 00 20 00 04 00 \n",
			NULL
		};
		require_lines("ea_list /f", out, want);
		REQUIRE(strstr(out, "user.gone") == NULL);
	}
	free(out);
	PATHF(cmd, "debugfs -R 'ea_get -f %s/big.out /f user.big' '%s' "
	    ">/dev/null 2>&1 && cmp -s %s/big.out - ", dir, img, dir);
	{
		FILE *p;

		REQUIRE((p = popen(cmd, "w")) != NULL);
		REQUIRE(fwrite(big, 1, bigsz, p) == bigsz);
		REQUIRE_EQ(pclose(p), 0);
	}
	PATHF(cmd, "debugfs -R 'ea_list /d/g' '%s' 2>/dev/null", img);
	out = cmd_output(cmd, NULL);
	{
		/* 0660 asked for, the umask not applied: mask rw. */
		static const char *const want[] = {
			"  system.posix_acl_access (28) = 01 00 00 00 01 00 06 "
			"00 02 00 07 00 e8 03 00 00 04 00 05 00 10 00 06 00 20 "
			"00 00 00 \n", NULL
		};
		require_lines("ea_list /d/g", out, want);
	}
	free(out);
	PATHF(cmd, "debugfs -R 'stat /f' '%s' 2>/dev/null | grep -c "
	    "'File ACL: 0'", img);
	out = cmd_output(cmd, &fd);
	/* The big value needs a block; the small ones fit big inodes. */
	REQUIRE_EQ(atoi(out), 0);
	free(out);

	/* A new mount of ours reads it all back. */
	do_mount(img);
	check_value(MNT "/f", "user.small", "hello", 5);
	check_value(MNT "/f", "user.big", big, bigsz);
	check_value(MNT "/f", "trusted.t", "T1", 2);
	check_value(MNT "/f", "system.posix_acl_access", facl.b, facl.len);
	check_value(MNT "/d", "system.posix_acl_default", dacl.b, dacl.len);
	acl_init(&gacl);
	acl_add(&gacl, UO, 6, NOID);
	acl_add(&gacl, U, 7, 1000);
	acl_add(&gacl, GO, 5, NOID);
	acl_add(&gacl, M, 6, NOID);
	acl_add(&gacl, O, 0, NOID);
	check_value(MNT "/d/g", "system.posix_acl_access", gacl.b, gacl.len);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));

	/* The Linux kernel shows the same. */
	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	if (linux_mount(img, mnt, "ro")) {
		char want[8192], hex[4000];

		for (size_t i = 0; i < bigsz; i++)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned char)big[i]);
		PATHF(cmd, "cd '%s' && getfattr -d -m - -e hex f d d/g", mnt);
		out = cmd_output(cmd, NULL);
		PATHF(want, "# file: f\n"
		    "security.s=0x53\n"
		    "system.posix_acl_access=0x0200000001000600ffffffff02000600"
		    "e803000004000400ffffffff080005002c01000010000700ffffffff"
		    "20000400ffffffff\n"
		    "trusted.t=0x5431\n"
		    "user.big=0x%s\n"
		    "user.small=0x68656c6c6f\n\n"
		    "# file: d\n"
		    "system.posix_acl_default=0x0200000001000700ffffffff020007"
		    "00e803000004000500ffffffff10000700ffffffff20000500ffffffff"
		    "\n\n"
		    "# file: d/g\n"
		    "system.posix_acl_access=0x0200000001000600ffffffff02000700"
		    "e803000004000500ffffffff10000600ffffffff20000000ffffffff"
		    "\n\n", hex);
		require_text("getfattr", out, want);
		free(out);
		PATHF(cmd, "cd '%s' && getfacl -n f d/g 2>&1", mnt);
		out = cmd_output(cmd, NULL);
		require_text("getfacl", out, "# file: f\n# owner: 0\n"
		    "# group: 0\nuser::rw-\nuser:1000:rw-\ngroup::r--\n"
		    "group:300:r-x\nmask::rwx\nother::r--\n\n"
		    "# file: d/g\n# owner: 0\n# group: 0\nuser::rw-\n"
		    "user:1000:rwx\t#effective:rw-\ngroup::r-x\t#effective:r--\n"
		    "mask::rw-\nother::---\n\n");
		free(out);
		linux_unmount(mnt);
	}
	rmdir(mnt);
	remove_tree(dir);
	free(dir);
}

TESTCASE(ext4_ours_4k)
{
	ours_read_by_others("-t ext4 -b 4096 -I 256", 1500);
}

TESTCASE(ext4_ours_1k)
{
	ours_read_by_others("-t ext4 -b 1024 -I 256", 700);
}

/* 128-byte inodes have no room: every attribute goes to the block. */
TESTCASE(ext2_ours_small_inodes)
{
	ours_read_by_others("-t ext2 -I 128 -b 2048", 1500);
}

/*
 * debugfs's ea_set and (as root) Linux's setfattr and setfacl write; we
 * read every byte, enforce the ACLs and inherit Linux's default ACL;
 * Linux reads what we made from it.
 */
TESTCASE(ext4_others_read_by_us)
{
	char img[4200], cmd[9000], host[4300], mnt[4300], big[3000], name[32];
	char *dir, *out;
	struct acl a;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("xaothers", "-t ext4 -b 4096 -I 256",
	    "16M", img, sizeof(img));
	pattern(big, sizeof(big), 5);
	PATHF(host, "%s/val", dir);
	{
		FILE *f;

		REQUIRE((f = fopen(host, "w")) != NULL);
		REQUIRE(fwrite(big, 1, sizeof(big), f) == sizeof(big));
		REQUIRE(fclose(f) == 0);
	}
	PATHF(cmd, "{ cd '%s' && : > e && debugfs -w -R 'write e /dbg' fs.img "
	    "&& debugfs -w -R 'ea_set /dbg user.word hello' fs.img && "
	    "debugfs -w -R 'ea_set -f val /dbg user.big' fs.img && "
	    "debugfs -w -R 'ea_set /dbg trusted.t t' fs.img; } >/dev/null "
	    "2>&1", dir);
	REQUIRE(system(cmd) == 0);
	fsck_clean(img);
	do_mount(img);
	check_value(MNT "/dbg", "user.word", "hello", 5);
	check_value(MNT "/dbg", "user.big", big, sizeof(big));
	check_value(MNT "/dbg", "trusted.t", "t", 1);
	/* Changing one of theirs keeps the others. */
	REQUIRE_OK(rump_sys_setxattr(MNT "/dbg", "user.word", "bye", 3,
	    XATTR_REPLACE));
	check_value(MNT "/dbg", "user.big", big, sizeof(big));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	PATHF(cmd, "debugfs -R 'ea_list /dbg' '%s' 2>/dev/null", img);
	out = cmd_output(cmd, NULL);
	{
		static const char *const want[] = { "  user.word (3) = \"bye\"\n",
			"  trusted.t (1) = \"t\"\n", "  user.big (3000)\n",
			NULL };
		require_lines("ea_list /dbg", out, want);
	}
	free(out);

	PATHF(mnt, "%s/m", dir);
	REQUIRE_OK(mkdir(mnt, 0755));
	if (!linux_mount(img, mnt, "rw")) {
		rmdir(mnt);
		remove_tree(dir);
		free(dir);
		return;
	}
	PATHF(cmd, "cd '%s' && touch f && chmod 0640 f && mkdir d && "
	    "setfattr -n user.a -v hello f && setfacl -m u:1000:rw-,g:300:r-- f "
	    "&& setfacl -d -m u:1000:rwx,g::r-x,o::--- d", mnt);
	REQUIRE(system(cmd) == 0);
	for (int i = 0; i < 30; i++) {
		PATHF(cmd, "setfattr -n user.many%02d -v 0x%064x '%s/f'", i, i,
		    mnt);
		REQUIRE(system(cmd) == 0);
	}
	linux_unmount(mnt);
	fsck_clean(img);

	do_mount(img);
	check_value(MNT "/f", "user.a", "hello", 5);
	for (int i = 0; i < 30; i++) {
		char want[32];

		memset(want, 0, sizeof(want));
		want[31] = (char)i;
		snprintf(name, sizeof(name), "user.many%02d", i);
		check_value(MNT "/f", name, want, sizeof(want));
	}
	acl_init(&a);
	acl_add(&a, UO, 6, NOID);
	acl_add(&a, U, 6, 1000);
	acl_add(&a, GO, 4, NOID);
	acl_add(&a, G, 4, 300);
	acl_add(&a, M, 6, NOID);
	acl_add(&a, O, 0, NOID);
	check_value(MNT "/f", "system.posix_acl_access", a.b, a.len);
	REQUIRE_OK(rump_sys_chmod(MNT, 0755));
	REQUIRE_OK(rump_sys_chmod(MNT "/d", 0777));
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setgid(100));
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE((fd = rump_sys_open(MNT "/f", O_RDWR)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	/* Made by 1000 in Linux's d: its default ACL, masked by 0666. */
	REQUIRE((fd = rump_sys_open(MNT "/d/ours", O_CREAT | O_RDWR,
	    0666)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setgid(100));
	REQUIRE_OK(rump_sys_setuid(1001));
	REQUIRE_ERRNO(rump_sys_open(MNT "/f", O_RDONLY), EACCES);
	rump_pub_lwproc_releaselwp();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);

	REQUIRE(linux_mount(img, mnt, "ro"));
	PATHF(cmd, "cd '%s' && getfacl -n d/ours 2>&1", mnt);
	out = cmd_output(cmd, NULL);
	require_text("getfacl", out, "# file: d/ours\n# owner: 1000\n"
	    "# group: 100\nuser::rw-\nuser:1000:rwx\t#effective:rw-\n"
	    "group::r-x\t#effective:r--\nmask::rw-\nother::---\n\n");
	free(out);
	linux_unmount(mnt);
	rmdir(mnt);
	remove_tree(dir);
	free(dir);
}

/*
 * A block shared by two inodes (debugfs makes the second point at the
 * first's, e2fsck sets the count): changing one copies it; removing the
 * last attribute of the other frees it.
 */
TESTCASE(ext4_shared_block_cow)
{
	char img[4200], cmd[9000], host[4300], big[400];
	long long blk, nblk;
	char *dir;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	dir = new_image("xacow", "-t ext4 -b 1024 -I 256",
	    "16M", img, sizeof(img));
	pattern(big, sizeof(big), 9);
	PATHF(host, "%s/val", dir);
	REQUIRE((f = fopen(host, "w")) != NULL);
	REQUIRE(fwrite(big, 1, sizeof(big), f) == sizeof(big));
	REQUIRE(fclose(f) == 0);
	PATHF(cmd, "{ cd '%s' && : > e && debugfs -w -R 'write e /a' fs.img &&"
	    " debugfs -w -R 'write e /b' fs.img && "
	    "debugfs -w -R 'ea_set -f val /a user.big' fs.img; } >/dev/null "
	    "2>&1", dir);
	REQUIRE(system(cmd) == 0);
	REQUIRE((blk = stat_field(img, "/a", "File ACL: ")) > 0);
	PATHF(cmd, "{ cd '%s' && debugfs -w -R 'sif /b file_acl %lld' fs.img "
	    "&& debugfs -w -R 'sif /b blocks 2' fs.img && "
	    "debugfs -w -R 'zap_block -o 4 -l 1 -p 2 %lld' fs.img; "
	    "e2fsck -fy fs.img; test $? -le 1; } >/dev/null 2>&1", dir, blk,
	    blk);
	REQUIRE(system(cmd) == 0);
	fsck_clean(img);

	do_mount(img);
	check_value(MNT "/b", "user.big", big, sizeof(big));
	REQUIRE_OK(rump_sys_setxattr(MNT "/b", "user.more", "m", 1, 0));
	check_value(MNT "/a", "user.big", big, sizeof(big));
	REQUIRE_ERRNO(rump_sys_getxattr(MNT "/a", "user.more", NULL, 0),
	    ENODATA);
	check_value(MNT "/b", "user.big", big, sizeof(big));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(stat_field(img, "/a", "File ACL: "), blk);
	REQUIRE((nblk = stat_field(img, "/b", "File ACL: ")) > 0);
	REQUIRE(nblk != blk);

	/* /a alone holds blk now: its last attribute gone, blk is free. */
	do_mount(img);
	REQUIRE_OK(rump_sys_removexattr(MNT "/a", "user.big"));
	REQUIRE_EQ(rump_sys_listxattr(MNT "/a", NULL, 0), 0);
	REQUIRE_OK(rump_sys_unlink(MNT "/b"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	REQUIRE_EQ(stat_field(img, "/a", "File ACL: "), 0);
	PATHF(cmd, "debugfs -R 'testb %lld' '%s' 2>&1", blk, img);
	{
		char *out = cmd_output(cmd, NULL);

		REQUIRE(strstr(out, "not in use") != NULL);
		free(out);
	}
	remove_tree(dir);
	free(dir);
}

/* A full attribute block: ENOSPC, and what was there stays whole. */
TESTCASE(ext4_block_full)
{
	char img[4200], name[32], val[100], *dir;
	int n, fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("xafull", "-t ext4 -b 1024 -I 256",
	    "16M", img, sizeof(img));
	do_mount(img);
	REQUIRE((fd = rump_sys_open(MNT "/f", O_CREAT | O_RDWR, 0644)) != -1);
	REQUIRE_OK(rump_sys_close(fd));
	for (n = 0; n < 100; n++) {
		snprintf(name, sizeof(name), "user.n%02d", n);
		pattern(val, sizeof(val), (unsigned)n);
		if (rump_sys_setxattr(MNT "/f", name, val, sizeof(val), 0) != 0)
			break;
	}
	/* 1024 - 32 - 4 bytes, 20 + 100 an attribute: 8 fit, none inline. */
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_EQ(n, 8);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	do_mount(img);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "user.n%02d", i);
		pattern(val, sizeof(val), (unsigned)i);
		check_value(MNT "/f", name, val, sizeof(val));
	}
	REQUIRE_OK(rump_sys_unlink(MNT "/f"));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

/* A damaged block (metadata_csum): EIO and one log line, no crash. */
TESTCASE(ext4_corrupt_block)
{
	char img[4200], cmd[9000], logf[4300], buf[64], *dir;
	long long blk;
	struct stat st;

	if (!have_e2fsprogs())
		return;
	dir = new_image("xabad", "-t ext4 -b 1024 -I 256",
	    "16M", img, sizeof(img));
	PATHF(cmd, "{ cd '%s' && : > e && debugfs -w -R 'write e /a' fs.img && "
	    "debugfs -w -R 'ea_set /a user.x %0400d' fs.img; } >/dev/null 2>&1",
	    dir, 7);
	REQUIRE(system(cmd) == 0);
	REQUIRE((blk = stat_field(img, "/a", "File ACL: ")) > 0);
	PATHF(cmd, "debugfs -w -R 'zap_block -o 1000 -l 1 -p 65 %lld' '%s' "
	    ">/dev/null 2>&1", blk, img);
	REQUIRE(system(cmd) == 0);
	PATHF(logf, "%s/log", dir);
	do_mount(img);
	log_capture(logf);
	/*
	 * Loading the vnode finds the damage, the owner still stats it, and
	 * the attribute is EIO: one log line (the kernel holds repeats).
	 */
	REQUIRE_OK(rump_sys_stat(MNT "/a", &st));
	REQUIRE_ERRNO(rump_sys_getxattr(MNT "/a", "user.x", buf, sizeof(buf)),
	    EIO);
	log_expect("attribute block 1");
	REQUIRE_ERRNO(rump_sys_setxattr(MNT "/a", "user.y", "y", 1, 0), EIO);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	remove_tree(dir);
	free(dir);
}

/*
 * Named damage without checksums to catch it: an ACL that is not one,
 * a value offset past the block.  EIO and one log line each; the owner
 * still reaches the file, others get the error from the permission
 * check that needs the ACL, as on Linux.
 */
TESTCASE(ext4_damaged_entries)
{
	char img[4200], cmd[9000], logf[4300], buf[64], *dir;
	long long blk;
	struct stat st;

	if (!have_e2fsprogs())
		return;
	dir = new_image("xadmg", "-t ext4 -O ^metadata_csum -b 1024 -I 256",
	    "16M", img, sizeof(img));
	PATHF(cmd, "{ cd '%s' && : > e && debugfs -w -R 'write e /a' fs.img && "
	    "debugfs -w -R 'sif /a mode 0100644' fs.img && "
	    "debugfs -w -R 'ea_set -r /a system.posix_acl_access 0123' fs.img "
	    "&& debugfs -w -R 'write e /b' fs.img && "
	    "debugfs -w -R 'ea_set /b user.x %0400d' fs.img; } >/dev/null 2>&1",
	    dir, 7);
	REQUIRE(system(cmd) == 0);
	REQUIRE((blk = stat_field(img, "/b", "File ACL: ")) > 0);
	PATHF(cmd, "debugfs -w -R 'zap_block -o 34 -l 2 -p 255 %lld' '%s' "
	    ">/dev/null 2>&1", blk, img);
	REQUIRE(system(cmd) == 0);
	PATHF(logf, "%s/log", dir);
	do_mount(img);
	REQUIRE_OK(rump_sys_chmod(MNT, 0755));
	log_capture(logf);
	REQUIRE_OK(rump_sys_stat(MNT "/a", &st));
	REQUIRE_ERRNO(rump_sys_getxattr(MNT "/a", "system.posix_acl_access",
	    buf, sizeof(buf)), EIO);
	log_expect("bad ACL of 4 bytes");
	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_ERRNO(rump_sys_open(MNT "/a", O_RDONLY), EIO);
	rump_pub_lwproc_releaselwp();
	log_capture(logf);
	REQUIRE_ERRNO(rump_sys_getxattr(MNT "/b", "user.x", buf, sizeof(buf)),
	    EIO);
	log_expect("outside its area");
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	remove_tree(dir);
	free(dir);
}

/*
 * Attribute changes are journaled: a copy of the image taken while
 * mounted, before the commit, is clean and without them; after fsync
 * the copy replays (e2fsck -fy) to an image that has them.
 */
TESTCASE(ext4_journaled)
{
	char img[4200], cmd[9000], big[2000], *dir, *out;
	int fd;

	if (!have_e2fsprogs())
		return;
	dir = new_image("xajnl", "-t ext4 -b 4096 -I 256",
	    "16M", img, sizeof(img));
	pattern(big, sizeof(big), 3);
	do_mount(img);
	REQUIRE((fd = rump_sys_open(MNT "/f", O_CREAT | O_RDWR, 0644)) != -1);
	REQUIRE_OK(rump_sys_fsync(fd));
	REQUIRE_OK(rump_sys_setxattr(MNT "/f", "user.big", big, sizeof(big),
	    0));
	PATHF(cmd, "cp '%s' '%s/before.img'", img, dir);
	REQUIRE(system(cmd) == 0);
	REQUIRE_OK(rump_sys_fsync(fd));
	PATHF(cmd, "cp '%s' '%s/after.img'", img, dir);
	REQUIRE(system(cmd) == 0);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	PATHF(cmd, "cd '%s' && for i in before after; do e2fsck -fy $i.img; "
	    "test $? -le 1 || exit 1; done >/dev/null 2>&1", dir);
	REQUIRE(system(cmd) == 0);
	PATHF(cmd, "%s/before.img", dir);
	fsck_clean(cmd);
	PATHF(cmd, "%s/after.img", dir);
	fsck_clean(cmd);
	PATHF(cmd, "debugfs -R 'ea_list /f' '%s/before.img' 2>/dev/null", dir);
	out = cmd_output(cmd, NULL);
	REQUIRE(strstr(out, "user.big") == NULL);
	free(out);
	PATHF(cmd, "debugfs -R 'ea_list /f' '%s/after.img' 2>/dev/null", dir);
	out = cmd_output(cmd, NULL);
	REQUIRE(strstr(out, "user.big (2000)") != NULL);
	free(out);
	fsck_clean(img);
	remove_tree(dir);
	free(dir);
}

TESTS(CASE(ext4_ours_4k), CASE(ext4_ours_1k), CASE(ext2_ours_small_inodes),
    CASE(ext4_others_read_by_us), CASE(ext4_shared_block_cow),
    CASE(ext4_block_full), CASE(ext4_corrupt_block),
    CASE(ext4_damaged_entries), CASE(ext4_journaled))
