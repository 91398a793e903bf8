/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 protocol control blocks (libnetinet6's in6_pcb.c): the IPv6 side
 * of struct inpcb (<netinet/in_pcb.h>), for the AF_INET6 sockets whose
 * protocol keeps an inpcbtable (TCP).  An IPv6 PCB has INP_IPV6 set and
 * its ends in inp_laddr6/inp_faddr6 (inp_fscope: the interface of a
 * link-local peer); it shares its table, and so the port space, with
 * the protocol's IPv4 PCBs.
 *
 * Dual stack, as Linux (IPV6_V6ONLY off by default, net.ipv6.bindv6only
 * 0): a PCB bound to :: also takes IPv4 (it holds the port against IPv4
 * binds, and IPv4 input finds it as one bound to INADDR_ANY); one bound
 * to ::ffff:a.b.c.d is an IPv4 binding to a.b.c.d.  Connecting to
 * ::ffff:a.b.c.d (in6_pcbconnect) makes the PCB an IPv4 one (INP_IPV6
 * cleared); so does accepting an IPv4 connection on a dual-stack TCP
 * listener.  The socket's
 * names (getsockname, getpeername, accept) are sockaddr_in6 either way,
 * IPv4 ends as ::ffff:a.b.c.d.  With IPV6_V6ONLY, v4-mapped addresses
 * are refused (bind: EADDRNOTAVAIL, connect: ENETUNREACH) and IPv4 input
 * never reaches the PCB.
 *
 * Binding follows in_pcb.h's rules (SO_REUSEADDR, SO_REUSEPORT,
 * privileged ports, ephemeral ports 32768-60999); two IPv6 bindings
 * overlap when their addresses are equal or either is ::.  A link-local
 * address must be ours on the interface of sin6_scope_id (if given).
 *
 * UDP and raw IPv6 sockets (udp6_usrreq.c) have IPv6 PCBs too, each
 * protocol its own table (udb6table, rip6table; dual-stack UDP reaches
 * IPv4's through hooks), and their multicast and sticky options in a
 * struct in6_pcbopts (inp_opts6) made with the PCB.
 *
 * Locking: softnet_lock, as every inet PCB.
 */
#ifndef _NETINET6_IN6_PCB_H_
#define _NETINET6_IN6_PCB_H_

#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/icmp6.h>

struct in6_multi;
struct lwp;
struct socket;
struct sockopt;
struct sockaddr_storage;

#define IN6P_MAXMEMB 20                 /* groups a socket joins */

/* The options of UDP and raw IPv6 sockets (n). */
struct in6_pcbopts {
	int o6_mhlim;                           /* IPV6_MULTICAST_HOPS */
	bool o6_mloop;                          /* IPV6_MULTICAST_LOOP */
	unsigned o6_mif;                        /* IPV6_MULTICAST_IF */
	struct in6_pktinfo o6_pktinfo;          /* sticky IPV6_PKTINFO */
	struct icmp6_filter o6_filter;          /* ICMP6_FILTER */
	struct in6_multi *o6_memb[IN6P_MAXMEMB]; /* IPV6_ADD_MEMBERSHIP */
};

/* A new unbound IPv6 PCB for so in t (in_pcballoc, then INP_IPV6). */
int in6_pcballoc(struct socket *, struct inpcbtable *);
/*
 * Bind to sin6 (NULL: an ephemeral port on ::).  EINVAL if bound,
 * EAFNOSUPPORT, EADDRNOTAVAIL (not ours, tentative or duplicated; a
 * v4-mapped address with IPV6_V6ONLY), EACCES, EADDRINUSE.
 */
int in6_pcbbind(struct inpcb *, const struct sockaddr_in6 *, struct lwp *);
/*
 * Connect to sin6: a source address for it and an ephemeral port if
 * unbound; a v4-mapped peer makes an IPv4 PCB (in_pcbconnect).  EINVAL
 * for a link-local peer without a scope (unless ours), ENETUNREACH
 * (no route, or v4-mapped with IPV6_V6ONLY), EADDRNOTAVAIL, EADDRINUSE.
 */
int in6_pcbconnect(struct inpcb *, const struct sockaddr_in6 *, struct lwp *);

/* The connected IPv6 PCB with exactly this four-tuple; NULL if none. */
struct inpcb *in6_pcblookup_connect(struct inpcbtable *,
    const struct in6_addr *faddr, in_port_t fport,
    const struct in6_addr *laddr, in_port_t lport);
/*
 * The best unconnected IPv6 PCB for (laddr, lport): bound to laddr
 * beats bound to ::.  NULL if none.
 */
struct inpcb *in6_pcblookup_bind(struct inpcbtable *,
    const struct in6_addr *laddr, in_port_t lport);
/*
 * Apply notify(inp, error) to every IPv6 PCB connected to faddr:fport
 * from laddr:lport (an ICMPv6 error quoting a packet of theirs).
 */
void in6_pcbnotify_table(struct inpcbtable *, const struct in6_addr *faddr,
    in_port_t fport, const struct in6_addr *laddr, in_port_t lport,
    int error, void (*notify)(struct inpcb *, int));

/*
 * A source address for dst: ours if dst is, else the best of the
 * interface scope (not 0), else of the route's (in6_selectsrc).  NULL
 * if there is no route.
 */
const struct in6_addr *in6_pcbselsrc(const struct in6_addr *dst,
    uint32_t scope);

/* The socket's names as a sockaddr_in6 (v4-mapped for an IPv4 PCB). */
void in6_setsockaddr(const struct inpcb *, struct sockaddr_storage *,
    socklen_t *);
void in6_setpeeraddr(const struct inpcb *, struct sockaddr_storage *,
    socklen_t *);

/*
 * The IPPROTO_IPV6 options every IPv6 socket has: IPV6_V6ONLY (not once
 * bound: EINVAL), IPV6_UNICAST_HOPS, IPV6_TCLASS, IPV6_MTU_DISCOVER,
 * IPV6_MTU (connected: the path MTU; else ENOTCONN).  ENOPROTOOPT for
 * others (UDP and raw sockets' ip6_ctloutput has the rest).
 */
int in6_pcbctloutput(int op, struct socket *, struct sockopt *);

#endif /* _NETINET6_IN6_PCB_H_ */
