/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel-side halves of the sockets layer's tests (librumpnet_socktest,
 * built in the kernel namespace), called by the host test programs.
 * Each rump_test_* returns 0 on success or the source line of the first
 * requirement that failed, and enters and leaves the kernel itself.
 */
#ifndef _TESTS_NETSPACE_H_
#define _TESTS_NETSPACE_H_

/* Mbuf routines: ks_mbuf.c */
int rump_test_mbuf_copym_shares(void);
int rump_test_mbuf_pullup(void);
int rump_test_mbuf_adj(void);
int rump_test_mbuf_split(void);
int rump_test_mbuf_copyback(void);
int rump_test_mbuf_prepend(void);
int rump_test_mbuf_dup_append(void);
/* Run under a memory limit: M_DONTWAIT returns NULL, drops counted. */
int rump_test_mbuf_memlimit(void);

/* Sockets alive in the kernel now (uipc_socket.c's count). */
unsigned long rump_test_socket_count(void);
/* Mbufs and clusters allocated now. */
unsigned long rump_test_mbuf_count(void);

#endif /* _TESTS_NETSPACE_H_ */
