/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel-side halves of the IPv4 tests (librumpnet_inettest, built in
 * the kernel namespace), called by the host test programs; each enters
 * and leaves the kernel itself.
 */
#ifndef _TESTS_INETSPACE_H_
#define _TESTS_INETSPACE_H_

#include <stddef.h>

/*
 * in_cksum against RFC 1071's worked example, a known IPv4 header and
 * a byte-at-a-time reference over chains split at every odd and even
 * place: 0, or the line of the first failure.
 */
int rump_test_inet_cksum(void);
/* Hand an IPv4 packet to ip_input as if it came in on ifname: 0 or errno. */
int rump_test_inet_ipinput(const void *pkt, size_t len, const char *ifname);
/* Hand an Ethernet frame to ifname's link input (ARP, IP): 0 or errno. */
int rump_test_inet_linkinput(const void *frame, size_t len, const char *ifname);
/* Fragments and datagrams held by reassembly now. */
void rump_test_inet_reass_usage(int *frags, int *packets);
/* Mbufs and clusters allocated now. */
unsigned long rump_test_inet_mbufs(void);

#endif /* _TESTS_INETSPACE_H_ */
