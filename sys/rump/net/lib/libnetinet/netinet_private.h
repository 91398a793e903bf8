/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of libnetinet share among themselves and nobody else
 * uses: the domain, boot steps, and the raw sockets' delivery hook.
 * Everything is called with softnet_lock held unless it says otherwise.
 */
#ifndef _NETINET_PRIVATE_H_
#define _NETINET_PRIVATE_H_

#include <sys/types.h>

struct domain;
struct ifnet;
struct inpcb;
struct inpcbtable;
struct mbuf;
struct protosw;
struct pr_usrreqs;
struct sockaddr;
struct socket;
struct sockopt;

extern struct domain inetdomain;

/* in_pcb.c: pseudo-random numbers (ports, IGMP delays); softnet_lock held. */
uint32_t in_random(void);

/* ip_input.c: the protocol table, reassembly; called by the domain's init. */
void ip_init(void);
void ip_forward(struct mbuf *);
/* The protocol switch entry that takes input of proto; NULL if none. */
const struct protosw *ip_protosw(int proto);

/* raw_ip.c: copies of a datagram for raw sockets of proto; true if any took one. */
bool rip_deliver(struct mbuf *, int proto);
void rip_init(void);
void rip_purgeif(struct ifnet *);
/* IPPROTO_IP options, and SOL_RAW's ICMP_FILTER. */
int rip_ctloutput(int op, struct socket *, struct sockopt *);
extern const struct pr_usrreqs rip_usrreqs;

/* udp_usrreq.c: the UDP PCBs; sockets forget ifp (memberships, routes). */
extern struct inpcbtable udbtable;
void udp_purgeif(struct ifnet *);

/* in_sysctl.c: net.inet.* nodes, made at the domain's init (no lock held). */
void in_sysctl_init(void);

#endif /* _NETINET_PRIVATE_H_ */
