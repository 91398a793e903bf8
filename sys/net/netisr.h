/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Protocol input queues (netisr.c).  A link layer that has demultiplexed
 * a frame queues the packet for its protocol; the protocol's soft
 * interrupt takes the queue's packets and runs its handler for each
 * with softnet_lock held, so protocol input never runs in a driver's
 * receive thread and never races the system calls.  A full queue drops
 * the packet and counts it.
 */
#ifndef _NET_NETISR_H_
#define _NET_NETISR_H_

struct mbuf;

#define NETISR_IP   0
#define NETISR_ARP  1
#define NETISR_IPV6 2
#define NETISR_MAX  3

#define NETISR_QLEN 1024        /* packets queued per protocol */

/* At a domain's init: packets queued for proto go to handler. */
void netisr_register(int proto, void (*handler)(struct mbuf *));
/* Queue m for proto; false (m freed, a drop counted) if full or none registered. */
bool netisr_queue(int proto, struct mbuf *m);
/*
 * Drops so far (full queue), for the statistics; all of them, indexed
 * by NETISR_*, as the sysctl net.netisr.drops (uint64_t[NETISR_MAX]).
 */
unsigned long netisr_drops(int proto);
#define NET_NETISR 101                  /* net.netisr */

#endif /* _NET_NETISR_H_ */
