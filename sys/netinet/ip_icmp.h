/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ICMP for IPv4 (RFC 792, RFC 1122 3.2.2, RFC 1191 for "fragmentation
 * needed") as on the wire, and the kernel's ICMP entry points
 * (ip_icmp.c).
 *
 *   offset  size  field
 *        0   1    type             icmp_type (ICMP_*)
 *        1   1    code             icmp_code
 *        2   2    checksum         icmp_cksum (RFC 1071 over the message)
 *        4   4    by type: echo: identifier (2), sequence (2);
 *                 unreachable with ICMP_UNREACH_NEEDFRAG: unused (2),
 *                 next-hop MTU (2); parameter problem: pointer (1)
 *        8   ...  echo: data; errors: the offending IP header and at
 *                 least its first 8 data bytes
 */
#ifndef _NETINET_IP_ICMP_H_
#define _NETINET_IP_ICMP_H_

#include <sys/types.h>
#include <netinet/in.h>

struct icmp {
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint16_t icmp_cksum;
	union {
		struct {
			uint16_t id;
			uint16_t seq;
		} ih_idseq;
		struct {
			uint16_t unused;
			uint16_t nextmtu;
		} ih_pmtu;
		uint8_t ih_pptr;
		uint32_t ih_void;
		struct in_addr ih_gwaddr;
	} icmp_hun;
} __attribute__((__packed__));
#define icmp_id      icmp_hun.ih_idseq.id
#define icmp_seq     icmp_hun.ih_idseq.seq
#define icmp_nextmtu icmp_hun.ih_pmtu.nextmtu
#define icmp_pptr    icmp_hun.ih_pptr
#define icmp_void    icmp_hun.ih_void
#define icmp_gwaddr  icmp_hun.ih_gwaddr

#define ICMP_MINLEN  8                  /* the header */
#define ICMP_ADVLENMIN (8 + 20 + 8)     /* an error with the least it quotes */

#define ICMP_ECHOREPLY     0
#define ICMP_UNREACH       3
#define ICMP_SOURCEQUENCH  4
#define ICMP_REDIRECT      5
#define ICMP_ECHO          8
#define ICMP_ROUTERADVERT  9
#define ICMP_ROUTERSOLICIT 10
#define ICMP_TIMXCEED      11
#define ICMP_PARAMPROB     12
#define ICMP_TSTAMP        13
#define ICMP_TSTAMPREPLY   14
#define ICMP_IREQ          15
#define ICMP_IREQREPLY     16
#define ICMP_MASKREQ       17
#define ICMP_MASKREPLY     18
#define ICMP_MAXTYPE       18

/* ICMP_UNREACH codes */
#define ICMP_UNREACH_NET        0
#define ICMP_UNREACH_HOST       1
#define ICMP_UNREACH_PROTOCOL   2
#define ICMP_UNREACH_PORT       3
#define ICMP_UNREACH_NEEDFRAG   4
#define ICMP_UNREACH_SRCFAIL    5
#define ICMP_UNREACH_NET_UNKNOWN  6
#define ICMP_UNREACH_HOST_UNKNOWN 7
#define ICMP_UNREACH_NET_PROHIB   9
#define ICMP_UNREACH_HOST_PROHIB  10
#define ICMP_UNREACH_ADMIN_PROHIBIT 13
/* ICMP_TIMXCEED codes */
#define ICMP_TIMXCEED_INTRANS   0
#define ICMP_TIMXCEED_REASS     1
/* ICMP_PARAMPROB codes */
#define ICMP_PARAMPROB_ERRATPTR 0
#define ICMP_PARAMPROB_OPTABSENT 1
#define ICMP_PARAMPROB_LENGTH   2

/* Whether a type is an error message (never answered with an error). */
#define ICMP_ISERROR(t)                                                        \
	((t) == ICMP_UNREACH || (t) == ICMP_SOURCEQUENCH ||                    \
	    (t) == ICMP_REDIRECT || (t) == ICMP_TIMXCEED || (t) == ICMP_PARAMPROB)

#ifdef _KERNEL
struct mbuf;

/*
 * Send an error of type/code about the datagram n (its IP header first,
 * as received), unless rules forbid: n is an ICMP error or a fragment
 * other than the first, was sent to or from a broadcast or multicast
 * address, or the rate limit is spent.  info: the next-hop MTU
 * (NEEDFRAG) or the pointer (PARAMPROB).  n is consumed.  softnet_lock.
 */
void icmp_error(struct mbuf *n, int type, int code, uint32_t info);
void icmp_input(struct mbuf *, int off, int proto);
void icmp_init(void);
/* Errors per second allowed (token bucket, net.inet.icmp.errratelimit); 0: none. */
extern int icmp_errratelimit;
#endif

/* The counters, netstat -s style (net.inet.icmp.stats). */
struct icmpstat {
	uint64_t icps_error;            /* icmp_error calls */
	uint64_t icps_oldshort;         /* no error: the datagram too short */
	uint64_t icps_oldicmp;          /* no error: it was an ICMP error */
	uint64_t icps_bcast;            /* no error: broadcast or multicast */
	uint64_t icps_fragment;         /* no error: not the first fragment */
	uint64_t icps_ratelimit;        /* no error: rate limited */
	uint64_t icps_outhist[ICMP_MAXTYPE + 1]; /* sent, by type */
	uint64_t icps_badcode;          /* received with a bad code */
	uint64_t icps_tooshort;         /* received shorter than ICMP_MINLEN */
	uint64_t icps_checksum;         /* received with a bad checksum */
	uint64_t icps_badlen;           /* an error quoting too little */
	uint64_t icps_reflect;          /* echo replies sent */
	uint64_t icps_bmcastecho;       /* echo to broadcast/multicast ignored */
	uint64_t icps_pmtuchg;          /* path MTUs lowered */
	uint64_t icps_notours;          /* an error about a datagram we did not send */
	uint64_t icps_inhist[ICMP_MAXTYPE + 1];  /* received, by type */
};
#ifdef _KERNEL
extern struct icmpstat icmpstat;
#endif

#endif /* _NETINET_IP_ICMP_H_ */
