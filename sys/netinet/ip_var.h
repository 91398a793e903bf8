/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 inside the kernel: output (ip_output.c), input and forwarding
 * (ip_input.c), reassembly (ip_reass.c), checksums (in_cksum.c) and the
 * counters netstat -s prints (net.inet.ip.stats).
 *
 * Output: a protocol builds its packet with a struct ip in front whose
 * ip_src (INADDR_ANY: chosen), ip_dst, ip_p, ip_len (network order),
 * ip_tos and ip_ttl it sets; ip_output fills version, header length,
 * identification, flags and checksum, routes, fragments and hands the
 * packet to the interface.  It runs in the caller's thread with
 * softnet_lock held and always consumes the packet.
 *
 * Locking: (n) softnet_lock: every counter and all reassembly state.
 */
#ifndef _NETINET_IP_VAR_H_
#define _NETINET_IP_VAR_H_

#include <sys/types.h>
#include <netinet/in.h>

struct inpcb;
struct in_route;
struct ifnet;
struct ip;
struct ip_moptions;
struct mbuf;
struct rtentry;

/* ip_output flags */
#define IP_FORWARDING      0x0001       /* a forwarded packet: header complete */
#define IP_RAWOUTPUT       0x0002       /* the header came from the user (IP_HDRINCL) */
#define IP_ROUTETOIF       0x0004       /* SO_DONTROUTE: to an on-link destination only */
#define IP_ALLOWBROADCAST  0x0008       /* SO_BROADCAST */
#define IP_MTUDISC         0x0010       /* path MTU discovery: set DF (IP_PMTUDISC_WANT) */
#define IP_MTUDISC_DO      0x0020       /* set DF; EMSGSIZE rather than fragment */
#define IP_NOLOOPMCAST     0x0040       /* do not loop multicast back */

/*
 * Send m (its header first).  ro: a route cache (NULL: a temporary
 * lookup); imo: multicast options (NULL: defaults); inp: for its
 * options, may be NULL.  Errors: ENETUNREACH, EHOSTUNREACH, EACCES
 * (broadcast without IP_ALLOWBROADCAST), EMSGSIZE (DF and too big),
 * ENOBUFS, or the interface's.
 */
int ip_output(struct mbuf *m, struct in_route *ro, int flags,
    const struct ip_moptions *imo, struct inpcb *inp);
/* The ip_output flags a PCB's socket options ask for (broadcast, PMTU ...). */
int ip_pcbflags(const struct inpcb *);
/* The MTU toward dst through rt (the route's if set, else the interface's). */
unsigned ip_rtmtu(const struct rtentry *);

/*
 * What pr_ctlinput's ctx points to for the PRC_* events ICMP reports:
 * the datagram's header as quoted in the ICMP error, followed by at
 * least 8 bytes of it (ports, sequence number), contiguous; and for
 * PRC_MSGSIZE the next-hop MTU (also set in the route toward ip_dst).
 */
struct ip_ctlparam {
	const struct ip *ipc_ip;
	unsigned ipc_mtu;
};

/* Input from the link layer's netisr queue (NETISR_IP). */
void ip_input(struct mbuf *);
/* Protocol input, by number, after the header is checked (for tests: also raw). */
void ip_deliver(struct mbuf *, int hlen, int proto);
/* The IP_TTL, IP_TOS and IP_PKTINFO messages a datagram socket asked for. */
struct mbuf *ip_savecontrol(const struct inpcb *, const struct ip *,
    struct ifnet *);
/* Reassembly: the whole datagram, or NULL (kept or dropped). */
struct mbuf *ip_reass_packet(struct mbuf *);
void ip_reass_init(void);
/* Drop all fragments (memory pressure). */
void ip_reass_drain(void);
/* Drop the datagrams with a fragment from ifp (it is going away). */
void ip_reass_purgeif(struct ifnet *);
/* Fragments held now, datagrams being put together now. */
void ip_reass_usage(int *frags, int *packets);

/* A new identification for a datagram. */
uint16_t ip_newid(void);

/* Forwarding (net.inet.ip.forwarding) and the default TTL (net.inet.ip.ttl). */
extern int ip_forwarding;
extern int ip_defttl;
/* Seconds a datagram may take to reassemble (net.inet.ip.fragttl). */
extern int ip_reass_ttl;

/* in_cksum.c: RFC 1071 sums, returned complemented, ready for the header. */
uint16_t in_cksum(struct mbuf *, int len);
/* The sum of len bytes from off, folded but not complemented. */
uint32_t in_cksum_partial(const struct mbuf *, int off, int len, uint32_t sum);
/* An upper protocol's checksum with the IPv4 pseudo header (RFC 768, 9293). */
uint16_t in4_cksum(struct mbuf *, uint8_t proto, int off, int len);
/* The pseudo header's folded sum alone. */
uint16_t in_cksum_phdr(struct in_addr src, struct in_addr dst, uint32_t lenproto);

/* The counters, netstat -s style (net.inet.ip.stats). */
struct ipstat {
	uint64_t ips_total;             /* packets received */
	uint64_t ips_badsum;            /* bad header checksum */
	uint64_t ips_tooshort;          /* data shorter than ip_len */
	uint64_t ips_toosmall;          /* shorter than a header */
	uint64_t ips_badhlen;           /* ip_hl below 5 or past the data */
	uint64_t ips_badlen;            /* ip_len below ip_hl */
	uint64_t ips_badvers;           /* not version 4 */
	uint64_t ips_badaddr;           /* impossible source or destination */
	uint64_t ips_badoptions;        /* malformed or refused options */
	uint64_t ips_fragments;         /* fragments received */
	uint64_t ips_fragdropped;       /* fragments dropped (limits, overlap) */
	uint64_t ips_fragoverlap;       /* datagrams dropped for overlapping fragments */
	uint64_t ips_fragtimeout;       /* datagrams timed out in reassembly */
	uint64_t ips_reassembled;       /* datagrams put together */
	uint64_t ips_forward;           /* packets forwarded */
	uint64_t ips_cantforward;       /* not forwarded: not a router, bad dst */
	uint64_t ips_noroute;           /* no route to send or forward */
	uint64_t ips_noproto;           /* for an unknown protocol */
	uint64_t ips_delivered;         /* given to a protocol */
	uint64_t ips_localout;          /* sent from here */
	uint64_t ips_odropped;          /* output dropped: no memory, queue full */
	uint64_t ips_fragmented;        /* datagrams fragmented */
	uint64_t ips_ofragments;        /* fragments made */
	uint64_t ips_cantfrag;          /* DF set and too big */
	uint64_t ips_notmember;         /* multicast for a group not joined */
	uint64_t ips_timxceed;          /* TTL ran out forwarding */
	uint64_t ips_toolong;           /* ip_len or a datagram above 65535 */
};
extern struct ipstat ipstat;            /* n */

#endif /* _NETINET_IP_VAR_H_ */
