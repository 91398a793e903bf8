/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the Ethernet drivers on a host link (shmif's bus, virtif's tap)
 * share, in libnet's if_etherlink.c: the ifnet's making with a random,
 * locally administered MAC (IEEE 802, 9.2), its if_init, if_stop and
 * if_ioctl, the link's up and down, the fault switch (<net/if_fault.h>)
 * on both sides, and one shutdown hook that lets every attached link go
 * (the driver's if_unsetlinkstr) when the kernel halts.
 *
 * A driver's softc begins with a struct etherlink; the driver sets
 * if_setlinkstr and if_unsetlinkstr in el_ec.ec_if and calls
 * etherlink_attach with its receive function (rx: counts and hands the
 * frame to if_input) and its raw send (send: one frame to the host link,
 * freed, 0 or an errno).  The ifnet's if_transmit is etherlink's: the
 * fault switch's transmit side when on, else send.  The driver's receive
 * thread hands frames to etherlink_input: the fault switch's receive
 * side when on, else rx.  if_softc is the etherlink (so the softc).
 *
 * Locking: (c) stable after attach; (L) the list's lock, a leaf.
 */
#ifndef _NET_IF_ETHERLINK_H_
#define _NET_IF_ETHERLINK_H_

#include <sys/queue.h>
#include <net/if_ether.h>
#include <net/if_fault.h>

typedef int (*etherlink_send_t)(struct ifnet *, struct mbuf *);

struct etherlink {
	struct ethercom el_ec;          /* first: the ifnet */
	struct if_fault *el_fault;      /* c */
	if_fault_pass_t el_rx;          /* c */
	etherlink_send_t el_send;       /* c */
	int el_unit;                    /* c */
	LIST_ENTRY(etherlink) el_list;  /* L */
};

/*
 * Make the interface NAME<unit> (the lowest free unit if unit < 0) and
 * attach it.  0 or an errno (EEXIST: the name is taken), nothing left
 * on failure.
 */
int etherlink_attach(struct etherlink *, const char *name, int unit,
    if_fault_pass_t rx, etherlink_send_t send);
/* Undo etherlink_attach, after the driver let go of its link. */
void etherlink_detach(struct etherlink *);
/* The host link came (IFF_LOWER_UP, and IFF_RUNNING if up) or went. */
void etherlink_link(struct etherlink *, bool up);
/* A received frame, through the fault switch, to the driver's rx. */
void etherlink_input(struct etherlink *, struct mbuf *);
/*
 * The interface ifname, referenced, if it is an etherlink (of the
 * driver whose raw send is send, unless NULL); else NULL and *errorp
 * EINVAL (a bad name), ENXIO (none) or ENODEV (another kind).
 */
struct ifnet *etherlink_lookup(const char *ifname, etherlink_send_t send,
    int *errorp);

#endif /* _NET_IF_ETHERLINK_H_ */
