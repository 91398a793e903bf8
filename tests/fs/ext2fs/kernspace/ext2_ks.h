/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel-side half of the ext2fs format tests (librumpext2fs_test,
 * built here in the kernel namespace): it opens an image through the
 * hypercalls and drives the ext2fs read functions for the host test
 * programs.  Each function enters and leaves the kernel itself and
 * returns 0 or an errno.  A "fs" is an opaque handle.
 */
#ifndef _TESTS_EXT2_KS_H_
#define _TESTS_EXT2_KS_H_

#include <stddef.h>
#include <stdint.h>

struct rump_test_ext2_stat {
	uint32_t ino, mode, uid, gid, nlink;
	uint32_t rdev_major, rdev_minor, flags;
	uint64_t size, blocks512;
	int64_t atime, mtime, ctime, crtime;
	long atime_ns, mtime_ns, ctime_ns, crtime_ns;
	int has_crtime, extra_isize;
};

/* What a fuzz run saw: how the cases ended. */
struct rump_test_ext2_fuzzstats {
	uint32_t cases;
	uint32_t mount_failed;          /* refused at mount */
	uint32_t walk_errors;           /* mounted, an error during the walk */
	uint32_t clean;                 /* mounted and walked without error */
	uint32_t meta_blocks;           /* metadata blocks found in the image */
	uint64_t entries, bytes;        /* walked, summed over cases */
};

int rump_test_ext2_mount(const char *path, void **fsp);
void rump_test_ext2_unmount(void *fs);
int rump_test_ext2_namei(void *fs, const char *path, uint32_t *inop);
int rump_test_ext2_stat(void *fs, uint32_t ino, struct rump_test_ext2_stat *);
int rump_test_ext2_read(void *fs, uint32_t ino, uint64_t off, void *buf,
    size_t len, size_t *donep);
int rump_test_ext2_readlink(void *fs, uint32_t ino, char *buf, size_t len,
    size_t *donep);
/* One record per call from *cookie on: 0 with it, ENOENT at the end. */
int rump_test_ext2_readdir(void *fs, uint32_t ino, uint64_t *cookie,
    char name[256], uint32_t *childp, uint8_t *typep);
/* The feature preventing a read-write mount ("" when none). */
int rump_test_ext2_rw_blocker(void *fs, char *buf, size_t len);
int rump_test_ext2_hash(int version, const uint32_t seed[4], const char *name,
    size_t len, uint32_t *hashp, uint32_t *minorp);
/*
 * Drop every block the device cache of the ext2fs mount that path (a
 * kernel path) is in holds (ext2_ks_cache.c).
 */
int rump_test_ext2_dropcache(const char *path);
/*
 * crc32c's register from crc over buf: as ext2fs computes it (the CPU's
 * instruction where there is one) and by its tables.
 */
int rump_test_ext2_crc32c(uint32_t crc, const void *buf, size_t len,
    uint32_t *fastp, uint32_t *tablesp);
/*
 * Load the image at path into memory, find its metadata blocks by a
 * clean walk, then ncases times: flip nflips random bytes of metadata,
 * mount and walk everything (bounded), restore.  0 unless the clean
 * image itself fails to walk.
 */
int rump_test_ext2_fuzz(const char *path, uint32_t seed, uint32_t ncases,
    uint32_t nflips, struct rump_test_ext2_fuzzstats *);

/*
 * One journal transaction of the n blocks blks (contents in data, n
 * blocks of the fs's size) as our journal writer lays it out: into out
 * the journal superblock then the log blocks, their byte offsets in
 * the image in offs (max entries), *noutp of them (ext2_ks_journal.c).
 */
int rump_test_ext2_journal_txn(void *fs, uint32_t n, const uint64_t *blks,
    const uint8_t *data, uint8_t *out, uint64_t *offs, uint32_t max,
    uint32_t *noutp);

#endif /* _TESTS_EXT2_KS_H_ */
