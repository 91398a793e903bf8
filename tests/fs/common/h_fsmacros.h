/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The POSIX suite's frame: every test body runs once on every file system
 * of the table in fstable.c, each pair a case of its own (a child process
 * with a fresh kernel, as h_macros.h runs cases).  A body declares what
 * it needs (FS_NEEDS_*); a file system declares what it lacks; a pair
 * where a need is lacking is skipped with the table's reason.
 *
 *	FSTEST(rename_subtree, 0) { ... relative paths: cwd is the mount ... }
 *	FSTESTS(FSCASE(rename_subtree), ...)
 *
 * Run the cases of one file system or one test: ./t_vnops tmpfs,
 * ./t_vnops tmpfs/rename_subtree, ./t_vnops rename_subtree.
 */
#ifndef _TESTS_FS_H_FSMACROS_H_
#define _TESTS_FS_H_FSMACROS_H_

#include <stdint.h>

#include "h_macros.h"

/* What a file system may lack, and so what a test may need. */
#define FS_SYMLINKS   0x01      /* symbolic links */
#define FS_HARDLINKS  0x02      /* more than one link to a file */
#define FS_NSTIMES    0x04      /* nanosecond time stamps */
#define FS_WRITABLE   0x08      /* it can be written at all */
#define FS_SIZELIMIT  0x10      /* it can be mounted with a size limit */
#define FS_SPARSE     0x20      /* holes cost no storage; files > 4 GiB */
#define FS_OWNERS     0x40      /* owners and permission bits */
#define FS_NODES      0x80      /* device, FIFO and socket nodes */
#define FS_BIGDIRS    0x100     /* directories of 100,000 entries */
#define FS_XATTR      0x200     /* extended attributes and POSIX ACLs */
#define FS_NCAPS      10

struct fstype {
	const char *fs_name;
	unsigned fs_lacks;              /* FS_* it does not have */
	const char *fs_why;             /* why, for the skip message */
	/*
	 * Make an empty file system of this type appear at mnt, an existing
	 * empty directory; with sizelimit > 0, no larger than that.
	 */
	int (*fs_mount)(const char *mnt, uint64_t sizelimit);
	int (*fs_unmount)(const char *mnt);
};

extern const struct fstype fstypes[];
extern const size_t nfstypes;

struct fstest {
	const char *ft_name;
	void (*ft_body)(const struct fstype *);
	unsigned ft_needs;
};

#define FSTEST(name, needs)                                                    \
	static const unsigned fst_##name##_needs = (needs);                    \
	static void fst_##name(const struct fstype *fs)
#define FSCASE(name) { #name, fst_##name, fst_##name##_needs }

/* The mount point every case runs under (its cwd). */
#define FS_MNT "/mnt"

int fs_run(const struct fstest *, size_t, int, char **);

#define FSTESTS(...)                                                           \
	int main(int argc, char **argv)                                        \
	{                                                                      \
		static const struct fstest fts_[] = { __VA_ARGS__ };           \
		return fs_run(fts_, sizeof(fts_) / sizeof(fts_[0]), argc,      \
		    argv);                                                     \
	}

/* Helpers for bodies. */
void fs_mkfile(const char *path, const char *data, size_t len);
/* The whole content of path, NUL terminated; *lenp its length. */
char *fs_readfile(const char *path, size_t *lenp);
/* The file at path must hold exactly the string want. */
void fs_checkfile(const char *path, const char *want);
nlink_t fs_nlink(const char *path);
/* Whether name appears in directory path, how many times. */
int fs_direntcount(const char *path, const char *name);
/* Become a new process with these ids (not root). */
void fs_become(uid_t uid, gid_t gid);

#endif /* _TESTS_FS_H_FSMACROS_H_ */
