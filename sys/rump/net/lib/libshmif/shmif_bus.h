/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The shmif bus: an Ethernet segment in a shared host file that any
 * number of rump kernels in any number of processes map (MAP_SHARED).
 * Read by if_shmif.c (the kernel side), shmif_user.c (creation, waits)
 * and shmif_dumpbus(8).  Includes nothing: the includer provides
 * uint32_t and uint64_t.  All fields are in host byte order: a bus is
 * shared by processes of one machine.
 *
 * File layout:
 *   0                 struct shmif_bus (the header, 64 bytes)
 *   SHMIF_BUS_HDRSIZE the ring: shb_ringsize bytes (a power of two)
 *
 * Positions are 64-bit byte counts, never reused: byte p of the stream
 * lives at ring offset p % shb_ringsize.  shb_reserve is the position the
 * next frame will take; a new bus starts it at shb_ringsize, so that no
 * frame's position is 0, which a zeroed (never written) slot holds.
 *
 * Frames: each is a struct shmif_frame (32 bytes) and its payload (an
 * Ethernet frame without CRC), together rounded up to SHMIF_ALIGN (32)
 * bytes, and never wraps: a frame that would cross the ring's end is
 * preceded by a padding record (SHMIF_FRAME_PAD) that fills the rest.
 *
 * Writing (no lock, so a writer killed at any instant wedges nothing):
 *   1. reserve: compare-and-swap shb_reserve from r to r + size (+ pad);
 *   2. fill the header but sf_pos, copy the payload; a writer that finds
 *      shb_reserve already more than a ring past its slot (it was
 *      descheduled that long) gives the frame up rather than tear a
 *      newer one, before the copy and again before the commit;
 *   3. commit: store sf_pos = the frame's position (release order), the
 *      word readers check; then increment shb_commits and shb_wakeword
 *      and, if shb_waiters is not 0, FUTEX_WAKE every waiter on
 *      shb_wakeword.
 * Reading (each reader keeps its own position rpos):
 *   - rpos == shb_reserve: nothing new; wait (below).
 *   - shb_reserve - rpos > ringsize: lapped, the frames between are
 *     overwritten: go on from the oldest whole frame still in the ring
 *     (the first committed header at or after shb_reserve - ringsize)
 *     and count an overrun with the bytes skipped.
 *   - sf_pos != rpos: reserved, not committed yet.  A writer commits
 *     within microseconds; a slot uncommitted for SHMIF_STALL_NS belongs
 *     to a dead writer: the reader scans forward SHMIF_ALIGN bytes at a
 *     time for the next committed header (sf_pos equal to its own
 *     position) and skips to it, counting the loss.
 *   - a committed frame is copied out, then shb_reserve is read again:
 *     if a writer has since reserved past rpos + ringsize the copy may
 *     be torn and is dropped as an overrun (as above).  A length that does not fit
 *     the ring is corruption: skip to shb_reserve, count it.
 *   - a frame whose sf_sender is the reader's own id is skipped: a
 *     sender never receives its own frames.
 * Waiting: read shb_wakeword, look at the ring, and only if there is
 * nothing, increment shb_waiters and FUTEX_WAIT(shb_wakeword, the value
 * read), then decrement shb_waiters.  A waiter that dies leaves
 * shb_waiters too high, which costs writers a useless wake only.
 *
 * Creation: the first opener creates the file and, under flock(LOCK_EX)
 * (released by the host if it dies), sizes it, writes the header with
 * shb_magic last; later openers take the lock, find the magic and use
 * the bus's own ring size.  A header with the magic but another version
 * is refused (EPROTO).
 */
#ifndef _SHMIF_BUS_H_
#define _SHMIF_BUS_H_

#define SHMIF_MAGIC        0x53484d49u  /* "SHMI" */
#define SHMIF_VERSION      2
#define SHMIF_BUS_HDRSIZE  4096         /* the ring starts a page in */
#define SHMIF_RINGSIZE     (1u << 20)   /* default: 1 MiB */
#define SHMIF_RINGSIZE_MIN (1u << 16)
#define SHMIF_RINGSIZE_MAX (1u << 30)
#define SHMIF_ALIGN        32
#define SHMIF_MAXFRAME     16384        /* payload bytes */
#define SHMIF_STALL_NS     100000000ull /* 100 ms: a writer is dead */

struct shmif_bus {
	uint32_t shb_magic;             /* 0: SHMIF_MAGIC, written last */
	uint32_t shb_version;           /* 4: SHMIF_VERSION */
	uint32_t shb_hdrsize;           /* 8: offset of the ring */
	uint32_t shb_ringsize;          /* 12: bytes, a power of two */
	uint64_t shb_generation;        /* 16: random, set at creation */
	uint64_t shb_reserve;           /* 24: next position (atomic) */
	uint32_t shb_wakeword;          /* 32: futex word, bumped per commit */
	uint32_t shb_waiters;           /* 36: readers in FUTEX_WAIT (a hint) */
	uint32_t shb_nextid;            /* 40: last sender id handed out (atomic) */
	uint32_t shb_pad;               /* 44 */
	uint64_t shb_commits;           /* 48: frames committed (atomic) */
	uint64_t shb_pad2;              /* 56 */
};

struct shmif_frame {
	uint64_t sf_pos;                /* 0: its position: the commit word */
	uint32_t sf_len;                /* 8: payload bytes */
	uint32_t sf_sender;             /* 12: the sender's id (1 and up) */
	uint64_t sf_sec;                /* 16: wall-clock time sent */
	uint32_t sf_nsec;               /* 24 */
	uint32_t sf_flags;              /* 28: SHMIF_FRAME_* */
};

#define SHMIF_FRAME_PAD 0x1             /* fills the ring to its end */

/* Bytes a frame of len payload bytes takes in the ring. */
#define SHMIF_FRAMESIZE(len)                                                   \
	(((uint64_t)sizeof(struct shmif_frame) + (len) + SHMIF_ALIGN - 1) &    \
	    ~(uint64_t)(SHMIF_ALIGN - 1))

#endif /* _SHMIF_BUS_H_ */
