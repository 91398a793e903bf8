/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The shared-memory transport of the sysproxy, for clients on a Unix
 * socket: the same frames as the socket (sp_proto.h), carried in a
 * region both processes map, handed back and forth with an atomic word
 * (and a byte on the socket to wake a side that sleeps).
 *
 * Setup: after its hello, the client sends SP_SHMSETUP (header only)
 * on the socket; the server makes a memfd of SP_SHM_SIZE bytes, seals
 * its size (so a client cannot shrink it under the server: no SIGBUS),
 * and answers SP_SHMSETUP with error 0, arg0 the size and the memfd as
 * SCM_RIGHTS (or an error and no descriptor: the socket carries on).
 * From then on every frame of the connection goes through the region;
 * the socket stays open to wake a sleeping side and to tell each side
 * at once that the other is gone.
 *
 * The region:
 *   offset size field
 *   0      4    ss_turn   bit 0 whose turn it is (0 the client's, 1
 *                         the server's); bit 1 set by the side waiting
 *                         for its turn when it goes to sleep (in recv()
 *                         on the socket: the other then sends it one
 *                         byte, which means nothing but "look")
 *   4      4    ss_len    bytes of frames in ss_data for this turn
 *   64          ss_data   SP_SHM_SIZE - 64 bytes
 *
 * The side whose turn it is owns ss_len and ss_data: it reads the
 * other's frames, writes its own from offset 0, sets ss_len and gives
 * the turn.  The client's turn always carries one frame (SP_SYSCALL,
 * SP_PREFORK, SP_COPYDATA), or none to acknowledge a batch of
 * copyouts; the server's carries SP_COPYOUT frames followed by at most
 * one other frame (a reply or a copy request), none when ss_data was
 * full of copyouts (the client then answers with an empty turn).  A
 * copy request asks for at most SP_SHM_COPYMAX bytes.  The server
 * copies what it reads before it looks at it and checks it as it
 * checks the socket's frames: a client that writes anything else ends
 * its own connection.
 */
#ifndef _SP_SHM_H_
#define _SP_SHM_H_

#include <stddef.h>
#include <stdint.h>

#include "sp_proto.h"

#define SP_SHM_SIZE    (256u * 1024)
#define SP_SHM_HDRLEN  64
#define SP_SHM_DATALEN (SP_SHM_SIZE - SP_SHM_HDRLEN)
/* A copy request and its reply frame fit; so does a copyout's frame. */
#define SP_SHM_COPYMAX (SP_SHM_DATALEN - 2 * SP_HDRLEN)

#define SP_SHM_TURN_SERVER 1u
#define SP_SHM_SLEEPING    2u

struct sp_shm {
	uint32_t ss_turn;
	uint32_t ss_len;
	char ss_pad[SP_SHM_HDRLEN - 8];
	char ss_data[SP_SHM_DATALEN];
};

_Static_assert(sizeof(struct sp_shm) == SP_SHM_SIZE, "sp_shm layout");

/*
 * The spin before sleeping, per end of a connection: adapted to how
 * often the other side answered while this one spun (see sp_shm.c).
 */
struct sp_spin {
	unsigned sn_budget; /* iterations to spin next time */
	unsigned sn_waits;  /* waits so far (every SPIN_PROBE-th: the most) */
};

#define SP_SHM_HIDDEN __attribute__((__visibility__("hidden")))

SP_SHM_HIDDEN void sp_shm_spin_init(struct sp_spin *);
/* Give the turn to the other side (me: SP_SHM_TURN_SERVER or 0). */
SP_SHM_HIDDEN void sp_shm_give(struct sp_shm *, unsigned me, int sockfd);
/*
 * Wait for my turn: spin, then sleep on the socket.  0, or EPIPE when
 * the other side has hung up.
 */
SP_SHM_HIDDEN int sp_shm_wait(struct sp_shm *, unsigned me, struct sp_spin *,
                              int sockfd);

#endif /* _SP_SHM_H_ */
