/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel side of the buffer cache tests (librumpvfs_test, built in
 * the kernel namespace from ks_bio.c).  Each function enters and leaves
 * the kernel itself and returns 0 or an errno (or, for a failed check
 * inside the kernel, the negated source line).
 */
#ifndef _TESTS_BIO_TEST_H_
#define _TESTS_BIO_TEST_H_

#include <stddef.h>
#include <stdint.h>

/* Open the block device at path (a kernel path) as a mount would. */
int rump_test_bio_open(const char *path);
/* Close it: vfs_closedev, which flushes. */
int rump_test_bio_close(void);
/*
 * Write size bytes of fill at sector blkno through the cache:
 * how 0 bdwrite, 1 bwrite, 2 bawrite.  whole: getblk, not bread.
 */
int rump_test_bio_write(int64_t blkno, int size, int fill, int how,
    int whole);
/* vflushbuf(FSYNC_WAIT) of the device: its error. */
int rump_test_bio_flush(void);
/* Read size bytes at sector blkno through the cache into out. */
int rump_test_bio_read(int64_t blkno, int size, void *out);
/* breadn of blkno, reading ahead the n blocks of size that follow it. */
int rump_test_bio_readahead(int64_t blkno, int size, int n);
/* nthreads kernel threads bread one block at once. */
int rump_test_bio_concurrent(int nthreads, int64_t blkno, int size);
/*
 * The check note (b_fschecked) of the block at sector blkno: take the
 * buffer as op says (BIO_NOTE_*), give its note in *gotp, set it to
 * set, and hand the buffer back as op says.
 */
#define BIO_NOTE_READ 0                 /* bread, brelse */
#define BIO_NOTE_GETBLK 1               /* getblk, brelse */
#define BIO_NOTE_BDWRITE 2              /* bread, bdwrite */
#define BIO_NOTE_BWRITE 3               /* bread, bwrite */
#define BIO_NOTE_BAWRITE 4              /* bread, bawrite, flush */
#define BIO_NOTE_INVAL 5                /* bread, brelse(B_INVAL) */
#define BIO_NOTE_FORGET 6               /* binvalblk only (no buffer) */
#define BIO_NOTE_ALLOCBUF 7             /* bread, allocbuf to twice, back */
int rump_test_bio_note(int64_t blkno, int size, int op, uint64_t set,
    uint64_t *gotp);
/* The cache's counters and the kernel's memory use. */
int rump_test_bio_stats(uint64_t *reads, uint64_t *writes, uint64_t *hits,
    uint64_t *bytes, uint64_t *maxbytes, size_t *kmemused);

#endif /* _TESTS_BIO_TEST_H_ */
