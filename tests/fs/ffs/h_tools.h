/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Helpers of the newfs and fsck_ffs tests (tools_util.c).
 */
#ifndef _TESTS_FS_FFS_H_TOOLS_H_
#define _TESTS_FS_FFS_H_TOOLS_H_

#include <stdint.h>

#include "ffsutil.h"

#define NEWFS TOOLDIR "/newfs"
#define FSCK  TOOLDIR "/fsck_ffs"

/* The output (stdout and stderr) of the last tool run. */
extern char out[1 << 20];
/*
 * Run a tool, argv NULL-terminated: its exit status, or 1000 + the
 * signal that ended it.
 */
int runv(char *const argv[]);
int run(const char *tool, ...);
/* out must hold what. */
void expect(const char *what);
/* fsck_ffs -n says img is clean, exit 0. */
void fsck_clean(const char *img);

/* The image being edited, read-write. */
extern struct ffsu_fs fs;
void img_open(const char *img);
void img_close(void);
void getino(uint64_t ino, unsigned char *raw, struct ffsu_dinode *);
void putino(uint64_t ino, unsigned char *raw, const struct ffsu_dinode *);
/*
 * The image offset of the entry name in directory dir (its first block
 * only), and of the entry before it in its chunk (0: it starts one).
 */
uint64_t entry(uint64_t dir, const char *name, uint64_t *prev);
/* The inode of an absolute path, through first directory blocks. */
uint64_t lookup(const char *path);

#endif
