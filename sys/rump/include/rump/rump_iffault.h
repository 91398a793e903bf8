/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The fault switch of an Ethernet interface on a host link (shmif,
 * virtif; librumpnet_net), for tests of a link that loses, duplicates,
 * reorders, corrupts and delays frames, seeded so runs repeat.
 *
 * rump_pub_if_fault(ifname, spec) sets it; spec is a comma separated
 * list of seed=N, drop=V (or loss=V), dup=V, reorder=V, corrupt=V,
 * delay=MS and dir=rx|tx|both (default rx), V a fraction ("0.05") or a
 * percentage ("5%"); the empty spec turns every fault off.  virtif takes
 * the same items in its link string after the tap's name
 * ("tap0,loss=5%,reorder=10%,delay=5,dir=both,seed=3"); shmif its
 * RUMP_SHMIF_FAULT and rump_pub_shmif_fault (<rump/rump_shmif.h>).
 * EINVAL: malformed; ENXIO: no such interface; ENODEV: not one with a
 * fault switch.
 *
 * rump_pub_if_fault_stats(ifname, dir, &st) gives what side dir
 * (RUMP_IF_FAULT_RX or RUMP_IF_FAULT_TX) did.
 */
#ifndef _RUMP_RUMP_IFFAULT_H_
#define _RUMP_RUMP_IFFAULT_H_

#include <rump/rump.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUMP_IF_FAULT_RX 0
#define RUMP_IF_FAULT_TX 1

struct rump_if_fault_stats {
	unsigned long long fs_drop;       /* dropped */
	unsigned long long fs_dup;        /* delivered twice */
	unsigned long long fs_reorder;    /* held behind the next frame */
	unsigned long long fs_corrupt;    /* a bit flipped */
	unsigned long long fs_delay;      /* delayed */
	unsigned long long fs_overflow;   /* dropped: the delay queue was full */
};

RUMP_API int rump_pub_if_fault(const char *ifname, const char *spec);
RUMP_API int rump_pub_if_fault_stats(const char *ifname, int dir,
    struct rump_if_fault_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_IFFAULT_H_ */
