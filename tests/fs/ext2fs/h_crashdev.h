/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A recording device for crash tests.  Linked into a test program, it
 * puts itself between the rump kernel and the host: it defines
 * rumpuser_bio, rumpuser_iovwrite and rumpuser_syncfd, the hypercalls
 * of block I/O and device flushes, and hands each call on to
 * librumpuser's.  While recording is on it keeps a copy of every write
 * and the number of writes issued at each successful flush; from them,
 * crashdev_image() builds the image a crash after the nth write leaves.
 * The recording is read after the workload, with recording off.
 */
#ifndef H_CRASHDEV_H
#define H_CRASHDEV_H

#include <stdbool.h>
#include <stddef.h>

struct crashdev_write {
	long long off;
	unsigned long len;
	unsigned char *data;
};

extern struct crashdev_write *crashdev_writes;
extern size_t crashdev_nwrites;
extern size_t *crashdev_flushes; /* writes issued at each flush */
extern size_t crashdev_nflushes;

void crashdev_record(bool on);
/* Writes and flushes recorded so far (safe while recording). */
size_t crashdev_writes_so_far(void);
size_t crashdev_flushes_so_far(void);
/* The last device flush at or before write n (0: none). */
size_t crashdev_flushed_at(size_t n);
/*
 * img: base after n recorded writes, in order (the first n), or, with
 * reorder, every write before the last flush and a seeded choice of the
 * writes after it (a disk cache keeps any of the writes since the last
 * flush, and the later of two to one block).
 */
void crashdev_image(const char *base, const char *img, size_t n, bool reorder,
                    unsigned *seed);
/* e2fsck -fn of img must pass; its output goes to dir/fsck.out. */
void crashdev_fsck_clean(const char *img, const char *dir, const char *what,
                         size_t n);
/* Drop the recording. */
void crashdev_forget(void);

#endif /* H_CRASHDEV_H */
