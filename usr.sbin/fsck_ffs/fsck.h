/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fsck_ffs: the state its phases share.
 *
 * Phase 1 (fsck_pass1.c) reads every inode and claims the frags it
 * points to in the owner map (with a UFS2 inode's attribute area, whose
 * records fsck_extattr.c checks); phase 2 (fsck_dir.c) reads every
 * directory, counting the names of each inode and noting which
 * directory names which; phases 3 and 4 (fsck_link.c) check that every
 * directory hangs off the root and every link count is what the names
 * say; phase 5 (fsck_pass5.c) rebuilds each group's maps and counts
 * from the owner map and the inode states and compares.
 */
#ifndef _FSCK_H_
#define _FSCK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffsutil.h"

/* Owner of a frag that holds metadata (superblocks, headers, inodes). */
#define OWNER_META UINT32_MAX

enum istate {
	IS_FREE = 0, /* mode 0 */
	IS_FILE,     /* allocated, not a directory */
	IS_DIR,
	IS_CLEARED, /* allocated on disk, cleared by -y */
};

struct inoinfo {
	uint8_t state;   /* enum istate */
	uint8_t dtype;   /* DT_* its directory entries should say */
	int16_t nlink;   /* as the inode says */
	uint32_t found;  /* directory entries naming it */
	uint32_t parent; /* directory: the one naming it, 0: none */
	uint32_t dotdot; /* directory: what its ".." says */
};

/* A block of a directory, in logical order per directory. */
struct dirblk {
	uint32_t ino;
	uint32_t bytes; /* of directory data in the block */
	int64_t lbn;
	uint64_t frag;
};

struct fsck {
	struct ffsu_fs fs;
	const char *image;
	bool yes;     /* -y: repair */
	bool debug;   /* -d */
	bool usedalt; /* the superblock came from a backup */
	unsigned long problems, fixed;
	uint32_t *owner;     /* per frag: inode, OWNER_META or 0 */
	struct inoinfo *ino; /* per inode */
	uint32_t *inited;    /* per group: inodes initialised on disk */
	struct dirblk *dirblks;
	size_t ndirblks, dirblkcap;
	uint32_t lostfound; /* 0: none (yet) */
	uint64_t nfiles;
};

extern struct fsck fk;

/*
 * Report a finding.  Returns true when it is to be repaired (-y and
 * canfix), and says so on the line.
 */
bool problem(bool canfix, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An operation that cannot go on: message, exit 8. */
void fatal(const char *what, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/* Reads and (-y only) writes of the image; fatal on failure. */
void rd(void *buf, size_t len, uint64_t off);
void wr(const void *buf, size_t len, uint64_t off);
void *xcalloc(size_t n, size_t size);

void pass1(void);
void pass2(void);
void pass3(void);
void pass4(void);
void pass5(void);

/* Zero inode ino and give back the frags it owns. */
void clearinode(uint64_t ino);
/* Give back the frags ino owns. */
void releaseblocks(uint64_t ino, const struct ffsu_dinode *);
/* Remember a block of directory ino for phase 2 and the editors. */
void adddirblk(uint32_t ino, int64_t lbn, uint64_t frag, uint32_t bytes);
/* Name ino in lost+found (and point a directory's ".." there). */
bool reconnect(uint32_t ino);
/* Name ino in directory dir; false if there is no room. */
bool direnter(uint32_t dir, const char *name, uint32_t ino, uint8_t type);
/* Point dir's ".." at parent. */
bool setdotdot(uint32_t dir, uint32_t parent);
/* Remove the entry naming child from dir (first match). */
bool dirremove(uint32_t dir, uint32_t child);
/* The lost+found directory, made if needed; 0 if impossible. */
uint32_t lostfound(void);
/* DT_* for a mode. */
uint8_t modetodt(uint16_t mode);
/*
 * What is wrong with the records of an attribute area of len bytes
 * (fsck_extattr.c), *offp where; NULL when nothing is.
 */
const char *ea_badrecord(const unsigned char *area, size_t len,
                         size_t *offp);

#endif /* _FSCK_H_ */
