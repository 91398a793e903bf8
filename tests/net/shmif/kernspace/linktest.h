/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel half of the link-layer tests (librumpnet_linktest, this
 * directory, in the kernel namespace): raw Ethernet frames sent through
 * an interface's if_output and IPv4-typed frames captured from
 * NETISR_IP, for tests that run before (or without) netinet.  Each
 * function enters and leaves the kernel itself; basic C types only.
 */
#ifndef _TESTS_LINKTEST_H_
#define _TESTS_LINKTEST_H_

/* Send payload as one frame of type to dst (6 bytes) on ifname: 0 or an errno. */
int rump_test_ether_send(const char *ifname, const unsigned char *dst,
    unsigned type, const void *payload, unsigned len);
/* From now on, keep every frame queued on NETISR_IP (up to 8192). */
int rump_test_ether_capture(void);
/*
 * The payload of the next captured frame into buf (at most len bytes):
 * its full length, or -1 after timeout_ms with none.  *flagsp: 1 if it
 * came as link broadcast, 2 as multicast, 0 unicast.
 */
int rump_test_ether_recv(void *buf, unsigned len, int timeout_ms, int *flagsp);
/* IPv4-typed frames dropped on the way: NETISR_IP's and the capture's queues full. */
unsigned long rump_test_ether_drops(void);
/* The Ethernet layer's counters (struct etherstat) into buf. */
int rump_test_etherstat(void *buf, unsigned len);

#endif /* _TESTS_LINKTEST_H_ */
