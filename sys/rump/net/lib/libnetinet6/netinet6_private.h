/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of libnetinet6 share among themselves and nobody else
 * uses.  Everything is called with softnet_lock held unless it says
 * otherwise.
 */
#ifndef _NETINET6_PRIVATE_H_
#define _NETINET6_PRIVATE_H_

#include <sys/types.h>

struct in6_ifaddr;
struct mbuf;
struct socket;
struct sockopt;
struct pr_usrreqs;
struct ifnet;
struct rtentry;
struct sockaddr;

/* nd6_nbr.c: one step of DAD (its callout, softnet_lock held). */
void nd6_dad_timer(struct in6_ifaddr *);
/* nd6_rtr.c: the router solicitation callout (takes softnet_lock). */
void nd6_rs_timeout(void *);
/* nd6.c: the resolver ether_output calls for unicast IPv6. */
int nd6_resolve(struct ifnet *, struct mbuf *, const struct sockaddr *,
    struct rtentry *, uint8_t *desten);

/* nd6_nbr.c: an ND message's options. */
#define ND6_MAXPI 8
struct nd6_opts {
	bool no_has_sll, no_has_tll;
	uint8_t no_sll[6], no_tll[6];
	uint32_t no_mtu;                /* 0: none */
	int no_npi;
	int no_pioff[ND6_MAXPI];        /* offsets of prefix information */
};
bool nd6_options(struct mbuf *, int off, int len, struct nd6_opts *);
/* An ip6_hdr and len bytes, zeroed, in one mbuf (or a cluster). */
struct mbuf *nd6_packet(int len);

/* udp6_usrreq.c */
extern const struct pr_usrreqs udp6_usrreqs;
extern const struct pr_usrreqs rip6_usrreqs;
int ip6_ctloutput(int op, struct socket *, struct sockopt *);
/* Dual-stack UDP: the IPv4 input hook. */
void udp6_init(void);

/* tcp6_usrreq.c: TCP over IPv6 (tcp6_init at boot, before any socket). */
struct ip6_hdr;
struct tcphdr;
extern struct pr_usrreqs tcp6_usrreqs;
void tcp6_init(void);
struct sysctlnode;
struct sysctl_req;
int tcp6_sysctl_pcblist(struct sysctlnode *, struct sysctl_req *);
void tcp6_input(struct mbuf *, int off, int len);
int tcp6_ctloutput(int op, struct socket *, struct sockopt *);
/* An ICMPv6 error quoting in and the start of its TCP header th. */
void tcp6_ctlinput(const struct ip6_hdr *in, const struct tcphdr *th,
    int type, int code, unsigned mtu);

#endif /* _NETINET6_PRIVATE_H_ */
