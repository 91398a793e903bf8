/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The fault switch (libnet's if_fault.c): seeded loss, duplication,
 * reordering, corruption and delay of an interface's frames, on its
 * receive side, its transmit side or both, for tests of the protocols
 * above a link that misbehaves (these machines' kernels have no netem).
 * Every Ethernet driver on struct etherlink (<net/if_etherlink.h>) has
 * one; clients set it by rump_pub_if_fault (<rump/rump_iffault.h>), the
 * shmif and virtif drivers also by their own means.
 *
 * A spec is a comma separated list of
 *   seed=N          the generators' seed (default 1): runs repeat
 *   drop=V, loss=V  drop this share of frames
 *   dup=V           deliver this share twice
 *   reorder=V       hold this share back behind the next frame (at most
 *                   IF_FAULT_HOLD_MS, then it goes alone)
 *   corrupt=V       flip one random bit in this share
 *   delay=MS        deliver every frame MS (0 to 60000) milliseconds late
 *   dir=rx|tx|both  where the faults act (default rx); the two sides have
 *                   generators of their own
 * where V is a fraction from 0 to 1 ("0.05") or a percentage ("5%").
 * The empty spec turns every fault off.
 *
 * A driver passes each frame of a side whose faults are on
 * (if_fault_on) to if_fault_pass, which drops it or hands it, and any
 * copy or held frame, to the side's pass function: at once in the
 * caller's thread, or later from the switch's thread "IFNAME.fault"
 * (delayed and held frames).  The pass functions are the driver's
 * input (to ether_input) and its raw transmit.
 *
 * Locking: the switch has its own lock, a leaf; the pass functions are
 * called with no lock of the switch held.
 */
#ifndef _NET_IF_FAULT_H_
#define _NET_IF_FAULT_H_

#include <sys/types.h>

struct ifnet;
struct mbuf;
struct if_fault;

#define IF_FAULT_RX      0
#define IF_FAULT_TX      1
#define IF_FAULT_HOLD_MS 1

/* What one side's faults did. */
struct if_fault_stats {
	uint64_t fs_drop;
	uint64_t fs_dup;
	uint64_t fs_reorder;
	uint64_t fs_corrupt;
	uint64_t fs_delay;
	uint64_t fs_overflow;   /* dropped: the delay queue was full */
};

typedef void (*if_fault_pass_t)(struct ifnet *, struct mbuf *);

/* A switch for ifp with no fault set; NULL only without memory. */
struct if_fault *if_fault_create(struct ifnet *ifp, if_fault_pass_t rx,
    if_fault_pass_t tx);
/*
 * Stop the switch's thread and free the frames it holds; later frames
 * are freed at once.  Before the driver's if_detach.
 */
void if_fault_stop(struct if_fault *);
void if_fault_destroy(struct if_fault *);
/* Set the switch by a spec of len bytes; EINVAL (nothing changed) if malformed. */
int if_fault_set(struct if_fault *, const char *spec, size_t len);
/* Whether side dir (IF_FAULT_RX, IF_FAULT_TX) has a fault set. */
bool if_fault_on(struct if_fault *, int dir);
/* Through side dir's faults and on; the switch owns m. */
void if_fault_pass(struct if_fault *, int dir, struct mbuf *m);
void if_fault_stats(struct if_fault *, int dir, struct if_fault_stats *);

#endif /* _NET_IF_FAULT_H_ */
