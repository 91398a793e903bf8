/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Source trees and ISO 9660 images for the cd9660 tests: a tree of
 * files with long and Unicode names, deep directories (past the 8
 * levels ISO 9660 allows, so Rock Ridge writers relocate them),
 * relative and absolute symlinks, device nodes and FIFOs (when run as
 * root), hard links, odd modes and owners, many entries and fixed
 * times, made on the host; images made from it by xorriso, genisoimage
 * and makefs; and a comparison of a mounted tree with its source.
 */
#ifndef _TESTS_H_ISOIMG_H_
#define _TESTS_H_ISOIMG_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PATHF(buf, ...)                                                        \
	do {                                                                   \
		if ((size_t)snprintf((buf), sizeof(buf), __VA_ARGS__) >=       \
		    sizeof(buf))                                               \
			TEST_FAIL("path too long");                            \
	} while (0)

/* The time every file of a tree gets (2021-01-02 03:04:05 UTC). */
#define TREE_TIME 1609556645

struct tree_opts {
	int many;                       /* entries in many/ */
	bool special;                   /* device nodes and a FIFO (root) */
	bool owners;                    /* odd owners (root) */
	bool longnames;                 /* names past Joliet's 64 */
	bool nobig;                     /* no 3 MiB file: metadata mostly */
};

/* Whether the command runs; prints why the case is skipped if not. */
bool have_tool(const char *cmd);
char *make_tmpdir(const char *tag);
void make_tree(const char *dir, const struct tree_opts *);
/* Every file of the tree (not symlinks' targets) to TREE_TIME. */
void stamp_tree(const char *dir);
/* Run a shell command made from a format; fail the case if it fails. */
void run(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
void remove_tree(const char *dir);
unsigned char file_byte(const char *name, unsigned long long off);

/* What compare_tree() compares besides names, types and bytes. */
#define CMP_MODES  0x01
#define CMP_OWNERS 0x02
#define CMP_TIMES  0x04                 /* mtime, seconds */
#define CMP_NLINK  0x08                 /* files' link counts */
#define CMP_RDEV   0x10
/*
 * The tree under the kernel path mnt must equal the host tree src:
 * every name, type, size, byte and symlink target, plus what flags ask
 * for.  Names in skip (NULL-terminated) are left out of mnt's root.
 * Returns the number of entries compared.
 */
long compare_tree(const char *src, const char *mnt, unsigned flags,
    const char *const *skip);

/*
 * Images in memory, for damage and crafted entries: load and save
 * whole; the LE half of a both-endian number, and writing both halves;
 * a directory record of the primary tree by its path of ISO
 * identifiers (up to ";", a trailing "." ignored), and a system use
 * entry of a record: offsets in the image, 0 when not found.
 */
unsigned char *img_load(const char *path, size_t *sizep);
void img_save(const char *path, const unsigned char *img, size_t size);
uint32_t img_le32(const unsigned char *p);
void img_set_bb32(unsigned char *p, uint32_t v);
size_t img_find_record(const unsigned char *img, size_t size,
    const char *const *path);
size_t img_find_su(const unsigned char *img, size_t rec, const char *sig);

#endif /* _TESTS_H_ISOIMG_H_ */
