/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6's counters as the sysctls net.inet6.ip6.stats and
 * net.inet6.icmp6.stats give them (copied under softnet_lock, so one
 * read is one consistent snapshot).  Only fixed-size integers: clients
 * include this header as it is.
 */
#ifndef _NETINET6_IN6_STAT_H_
#define _NETINET6_IN6_STAT_H_

#include <stdint.h>

struct ip6stat {
	uint64_t ip6s_total;            /* packets received */
	uint64_t ip6s_tooshort;         /* shorter than the header or its length */
	uint64_t ip6s_badvers;          /* version not 6 */
	uint64_t ip6s_badaddr;          /* impossible source or destination */
	uint64_t ip6s_notforus;         /* not one of our addresses or groups */
	uint64_t ip6s_toomanyhdrs;      /* extension header chain past the limits */
	uint64_t ip6s_badoptions;       /* malformed options, option storms */
	uint64_t ip6s_rthdr;            /* routing headers refused (type 0 ...) */
	uint64_t ip6s_noproto;          /* unknown next header */
	uint64_t ip6s_delivered;        /* handed to a protocol */
	uint64_t ip6s_fragments;        /* fragments received */
	uint64_t ip6s_fragdropped;      /* fragments dropped (limits, bad) */
	uint64_t ip6s_fragoverlap;      /* datagrams dropped for overlaps */
	uint64_t ip6s_fragtimeout;      /* datagrams timed out */
	uint64_t ip6s_reassembled;      /* datagrams reassembled */
	uint64_t ip6s_atomicfrags;      /* atomic fragments (RFC 6946) */
	uint64_t ip6s_localout;         /* packets sent */
	uint64_t ip6s_noroute;          /* no route to the destination */
	uint64_t ip6s_fragmented;       /* datagrams fragmented */
	uint64_t ip6s_ofragments;       /* fragments sent */
	uint64_t ip6s_cantfrag;         /* too big and not to be fragmented */
	uint64_t ip6s_odropped;         /* no memory on output */
	uint64_t ip6s_tentative;        /* for a tentative address */
};

struct icmp6stat {
	uint64_t icp6s_total;           /* messages received */
	uint64_t icp6s_tooshort;
	uint64_t icp6s_checksum;        /* bad checksum */
	uint64_t icp6s_badcode;         /* bad code, hop limit or length for ND/MLD */
	uint64_t icp6s_inhist[256];     /* received by type */
	uint64_t icp6s_outhist[256];    /* sent by type */
	uint64_t icp6s_error;           /* errors asked for */
	uint64_t icp6s_canterror;       /* not sent: the RFC 4443 2.4(e) rules */
	uint64_t icp6s_toofreq;         /* not sent: rate limit */
	uint64_t icp6s_pmtuchg;         /* packet too big lowered a path MTU */
	uint64_t icp6s_nd_badopt;       /* ND messages with bad options */
	uint64_t icp6s_dupaddr;         /* duplicate addresses detected */
	uint64_t icp6s_nd_held;         /* packets held awaiting resolution */
	uint64_t icp6s_nd_holddrop;     /* held packets dropped: queue full */
	uint64_t icp6s_nd_unreach;      /* resolutions failed, NUD gave up */
	uint64_t icp6s_ra;              /* router advertisements accepted */
	uint64_t icp6s_mldreports;      /* MLDv2 reports sent */
};

struct udp6stat {
	uint64_t u6s_ipackets;          /* datagrams received */
	uint64_t u6s_hdrops;            /* shorter than the header */
	uint64_t u6s_badlen;            /* length field wrong */
	uint64_t u6s_badsum;            /* bad or missing checksum */
	uint64_t u6s_noport;            /* no socket: port unreachable */
	uint64_t u6s_fullsock;          /* receive buffer full */
	uint64_t u6s_delivered;         /* to sockets */
	uint64_t u6s_opackets;          /* datagrams sent */
};

#endif /* _NETINET6_IN6_STAT_H_ */
