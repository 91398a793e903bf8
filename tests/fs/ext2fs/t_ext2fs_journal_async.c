/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Replay of journals with async commits (JBD2 incompat async_commit, set
 * by Linux's journal_async_commit mount option): the commit block goes
 * to the disk without waiting for the transaction's blocks, so a crash
 * can leave a commit block whose transaction is torn.  Such a
 * transaction must be dropped, with the ones after it, and the file
 * system must be consistent at the transaction before.  Images: ext4
 * (checksums v3: each copy's crc32c in its tag) and ext4 without
 * metadata_csum (checksum v1: the crc32 of the whole transaction in the
 * commit block), given the
 * feature by a Linux mount (skipped where the host cannot loop-mount);
 * debugfs writes two transactions into the journal (A -> B, B -> C);
 * one copy of the second is damaged.  Our replay (read-only and
 * read-write) gives B, with one log line; e2fsck -fy of a copy ends
 * clean; undamaged, the journal gives C.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <rump/ext2fs_args.h>
#include <rump/rumpvfs.h>

#include "h_macros.h"
#include "h_ext2img.h"

#define DEV "/dev/jaimg"
#define MNT "/mnt"
#define BSIZE 1024
#define MAXDIFF 4096

static bool registered;

/* A jw command for the blocks that differ from image a to image b. */
static void
jw_diff(FILE *cmds, const char *a, const char *b, const char *df)
{
	static unsigned char x[BSIZE], y[BSIZE];
	uint64_t blk = 0;
	size_t n = 0;
	FILE *fa, *fb, *out;

	REQUIRE((fa = fopen(a, "r")) != NULL && (fb = fopen(b, "r")) != NULL);
	REQUIRE((out = fopen(df, "w")) != NULL);
	fprintf(cmds, "jw -b ");
	while (fread(x, BSIZE, 1, fa) == 1 && fread(y, BSIZE, 1, fb) == 1) {
		if (memcmp(x, y, BSIZE) != 0) {
			REQUIRE(n < MAXDIFF);
			fprintf(cmds, "%s%llu", n++ == 0 ? "" : ",",
			    (unsigned long long)blk);
			REQUIRE(fwrite(y, BSIZE, 1, out) == 1);
		}
		blk++;
	}
	REQUIRE(n > 0);
	fprintf(cmds, " %s\n", df);
	fclose(fa);
	fclose(fb);
	fclose(out);
}

static void
do_mount(const char *img, bool rdonly)
{
	struct ext2fs_args args = { .fspec = (char *)DEV };

	if (!registered) {
		REQUIRE_EQ(rump_pub_etfs_register(DEV, img, RUMP_ETFS_BLK), 0);
		REQUIRE_OK(rump_sys_mkdir(MNT, 0755));
		registered = true;
	}
	REQUIRE_OK(rump_sys_mount("ext2fs", MNT, rdonly ? MS_RDONLY : 0,
	    &args, sizeof(args)));
}

/* The tree is B's: x there, z (C's) not. */
static void
is_b(void)
{
	struct stat st;

	REQUIRE_OK(rump_sys_stat(MNT "/x", &st));
	REQUIRE(S_ISDIR(st.st_mode));
	REQUIRE_OK(rump_sys_stat(MNT "/x/y", &st));
	REQUIRE_EQ(st.st_size, 5);
	REQUIRE_ERRNO(rump_sys_stat(MNT "/z", &st), ENOENT);
}

static void
torn(const char *mkfs)
{
	char *dir, a[4200], b[4200], c[4200], j[4200], mnt[4300], cmds[4300];
	char df1[4300], df2[4300], out[512], logf[4300];
	unsigned seq, lblk;
	long long pblk;
	struct stat st;
	FILE *f;

	if (!have_e2fsprogs())
		return;
	dir = make_tmpdir("jasync");
	PATHF(a, "%s/a.img", dir);
	PATHF(b, "%s/b.img", dir);
	PATHF(c, "%s/c.img", dir);
	PATHF(j, "%s/j.img", dir);
	PATHF(mnt, "%s/m", dir);
	PATHF(cmds, "%s/cmds", dir);
	PATHF(df1, "%s/d1", dir);
	PATHF(df2, "%s/d2", dir);
	PATHF(logf, "%s/log", dir);
	sh("mkdir '%s' && mke2fs -q -F %s -b %d '%s' 16M >/dev/null 2>&1",
	    mnt, mkfs, BSIZE, a);
	if (!linux_mount(a, mnt, "rw,journal_async_commit,data=journal")) {
		remove_tree(dir);
		free(dir);
		return;
	}
	sh("touch '%s/f'", mnt);
	linux_unmount(mnt);
	sh_out(out, sizeof(out), "dumpe2fs -h '%s' 2>/dev/null | grep "
	    "'^Journal features:' | grep -c journal_async_commit", a);
	if (strcmp(out, "1") != 0) {
		printf("skipped: this kernel left no async_commit feature\n");
		remove_tree(dir);
		free(dir);
		return;
	}
	sh("{ cd '%s' && echo abcd > v && cp a.img b.img && "
	    "debugfs -w -R 'mkdir x' b.img && debugfs -w -R 'write v x/y' "
	    "b.img && cp b.img c.img && debugfs -w -R 'mkdir z' c.img && "
	    "debugfs -w -R 'rm f' c.img; } >/dev/null 2>&1 || exit 1",
	    dir);
	/* Two committed transactions: A -> B, B -> C. */
	sh("cp '%s' '%s'", a, j);
	REQUIRE((f = fopen(cmds, "w")) != NULL);
	fprintf(f, "jo -c\n");
	jw_diff(f, a, b, df1);
	jw_diff(f, b, c, df2);
	fprintf(f, "jc\n");
	fclose(f);
	sh("debugfs -w -f '%s' '%s' >/dev/null 2>&1", cmds, j);
	sh_out(out, sizeof(out), "dumpe2fs -h '%s' 2>/dev/null | grep -c "
	    "needs_recovery", j);
	REQUIRE(strcmp(out, "1") == 0);

	/* Undamaged: C. */
	sh("cp '%s' '%s/whole.img'", j, dir);
	PATHF(out, "%s/whole.img", dir);
	do_mount(out, true);
	REQUIRE_OK(rump_sys_stat(MNT "/z", &st));
	REQUIRE_ERRNO(rump_sys_stat(MNT "/f", &st), ENOENT);
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	REQUIRE_EQ(rump_pub_etfs_remove(DEV), 0);
	REQUIRE_OK(rump_sys_rmdir(MNT));
	registered = false;

	/* The first copy of the second transaction (after its descriptor). */
	sh_out(out, sizeof(out), "debugfs -c -R 'logdump' '%s' 2>/dev/null | "
	    "grep 'descriptor block' | tail -1", j);
	REQUIRE(sscanf(out, "Found expected sequence %u, type 1 (descriptor "
	    "block) at block %u", &seq, &lblk) == 2);
	lblk++;
	sh_out(out, sizeof(out), "debugfs -c -R 'bmap <8> %u' '%s' "
	    "2>/dev/null", lblk, j);
	REQUIRE((pblk = strtoll(out, NULL, 10)) > 0);
	sh("printf 'torn' | dd of='%s' bs=1 seek=%lld conv=notrunc "
	    "status=none", j, pblk * BSIZE + 100);
	sh("cp '%s' '%s/fsck.img'", j, dir);

	/* Read-only: B, the image untouched; one log line. */
	log_capture(logf);
	do_mount(j, true);
	log_expect("torn");
	is_b();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	/* Read-write: B replayed home, clean. */
	do_mount(j, false);
	is_b();
	REQUIRE_OK(rump_sys_unmount(MNT, 0));
	sh("e2fsck -fn '%s' >/dev/null 2>&1", j);

	/* e2fsck's own replay of the damaged journal ends clean too. */
	sh("cd '%s' && { e2fsck -fy fsck.img; e2fsck -fy fsck.img; } "
	    ">/dev/null 2>&1; e2fsck -fn fsck.img >/dev/null 2>&1", dir);
	remove_tree(dir);
	free(dir);
}

/* Checksums v3: the damaged copy fails its tag's crc32c. */
TESTCASE(torn_v3)
{
	torn("-t ext4");
}

/*
 * Checksum v1 (Linux's choice without metadata_csum): the commit block's
 * crc32 of the transaction fails.
 */
TESTCASE(torn_v1)
{
	torn("-t ext4 -O ^metadata_csum");
}

TESTS(CASE(torn_v3), CASE(torn_v1))
