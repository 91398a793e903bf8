/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ICMPv6 (RFC 4443), neighbour discovery (RFC 4861) and MLDv2 (RFC
 * 3810) messages as on the wire, and Linux's ICMP6_FILTER option of
 * raw ICMPv6 sockets (level IPPROTO_ICMPV6): a bit set for type t
 * blocks type t.
 *
 *   offset  size  field
 *        0   1    type      icmp6_type (ICMP6_*, ND_*, MLD*)
 *        1   1    code      icmp6_code
 *        2   2    checksum  over the pseudo-header and the message
 *        4   4    echo: identifier, sequence; packet too big: MTU;
 *                 parameter problem: pointer; others: unused
 */
#ifndef _NETINET_ICMP6_H_
#define _NETINET_ICMP6_H_

#include <sys/types.h>
#include <netinet/in.h>

struct icmp6_hdr {
	uint8_t icmp6_type;
	uint8_t icmp6_code;
	uint16_t icmp6_cksum;
	union {
		uint32_t icmp6_un_data32[1];
		uint16_t icmp6_un_data16[2];
		uint8_t icmp6_un_data8[4];
	} icmp6_dataun;
};
#define icmp6_data32 icmp6_dataun.icmp6_un_data32
#define icmp6_data16 icmp6_dataun.icmp6_un_data16
#define icmp6_pptr   icmp6_data32[0]
#define icmp6_mtu    icmp6_data32[0]
#define icmp6_id     icmp6_data16[0]
#define icmp6_seq    icmp6_data16[1]

#define ICMP6_DST_UNREACH      1
#define ICMP6_PACKET_TOO_BIG   2
#define ICMP6_TIME_EXCEEDED    3
#define ICMP6_PARAM_PROB       4
#define ICMP6_ECHO_REQUEST     128
#define ICMP6_ECHO_REPLY       129
#define MLD_LISTENER_QUERY     130
#define MLD_LISTENER_REPORT    131
#define MLD_LISTENER_REDUCTION 132
#define ND_ROUTER_SOLICIT      133
#define ND_ROUTER_ADVERT       134
#define ND_NEIGHBOR_SOLICIT    135
#define ND_NEIGHBOR_ADVERT     136
#define ND_REDIRECT            137
#define MLDV2_LISTENER_REPORT  143

#define ICMP6_DST_UNREACH_NOROUTE     0
#define ICMP6_DST_UNREACH_ADMIN       1
#define ICMP6_DST_UNREACH_BEYONDSCOPE 2
#define ICMP6_DST_UNREACH_ADDR        3
#define ICMP6_DST_UNREACH_NOPORT      4
#define ICMP6_TIME_EXCEED_TRANSIT     0
#define ICMP6_TIME_EXCEED_REASSEMBLY  1
#define ICMP6_PARAMPROB_HEADER        0
#define ICMP6_PARAMPROB_NEXTHEADER    1
#define ICMP6_PARAMPROB_OPTION        2
#define ICMP6_PARAMPROB_FIRSTFRAG     3   /* RFC 7112 */

/* Neighbour discovery (RFC 4861, section 4). */
struct nd_router_advert {
	struct icmp6_hdr nd_ra_hdr;     /* data8[0] cur hop limit, [1] flags, data16[1] lifetime */
	uint32_t nd_ra_reachable;       /* ms */
	uint32_t nd_ra_retransmit;      /* ms */
};
#define nd_ra_curhoplimit nd_ra_hdr.icmp6_dataun.icmp6_un_data8[0]
#define nd_ra_flags       nd_ra_hdr.icmp6_dataun.icmp6_un_data8[1]
#define nd_ra_router_lifetime nd_ra_hdr.icmp6_dataun.icmp6_un_data16[1]
#define ND_RA_FLAG_MANAGED 0x80
#define ND_RA_FLAG_OTHER   0x40

struct nd_neighbor_solicit {
	struct icmp6_hdr nd_ns_hdr;
	struct in6_addr nd_ns_target;
};

struct nd_neighbor_advert {
	struct icmp6_hdr nd_na_hdr;     /* data32[0]: R, S, O flags */
	struct in6_addr nd_na_target;
};
#define nd_na_flags_reserved nd_na_hdr.icmp6_dataun.icmp6_un_data32[0]
/* Flags in the first octet after the checksum. */
#define ND_NA_FLAG_ROUTER    0x80
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE  0x20

struct nd_opt_hdr {
	uint8_t nd_opt_type;
	uint8_t nd_opt_len;             /* in 8-octet units, 0 invalid */
};
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2
#define ND_OPT_PREFIX_INFORMATION 3
#define ND_OPT_REDIRECTED_HEADER 4
#define ND_OPT_MTU             5

struct nd_opt_prefix_info {
	uint8_t nd_opt_pi_type;
	uint8_t nd_opt_pi_len;          /* 4 */
	uint8_t nd_opt_pi_prefix_len;
	uint8_t nd_opt_pi_flags_reserved;
	uint32_t nd_opt_pi_valid_time;  /* s */
	uint32_t nd_opt_pi_preferred_time;
	uint32_t nd_opt_pi_reserved2;
	struct in6_addr nd_opt_pi_prefix;
};
#define ND_OPT_PI_FLAG_ONLINK 0x80
#define ND_OPT_PI_FLAG_AUTO   0x40

struct nd_opt_mtu {
	uint8_t nd_opt_mtu_type;
	uint8_t nd_opt_mtu_len;         /* 1 */
	uint16_t nd_opt_mtu_reserved;
	uint32_t nd_opt_mtu_mtu;
};

/* MLDv2 (RFC 3810): a query, and one record of a report. */
struct mldv2_query {
	struct icmp6_hdr mq_hdr;        /* data16[0]: maximum response code */
	struct in6_addr mq_addr;        /* group; :: for a general query */
	uint8_t mq_sflags;              /* S flag, QRV */
	uint8_t mq_qqic;
	uint16_t mq_nsrcs;
};
struct mldv2_record {
	uint8_t mr_type;
	uint8_t mr_auxlen;
	uint16_t mr_nsrcs;
	struct in6_addr mr_addr;
};
#define MLD_MODE_IS_INCLUDE 1
#define MLD_MODE_IS_EXCLUDE 2
#define MLD_CHANGE_TO_INCLUDE 3
#define MLD_CHANGE_TO_EXCLUDE 4

/* Linux's ICMP6_FILTER (level IPPROTO_ICMPV6). */
#define ICMP6_FILTER 1
struct icmp6_filter {
	uint32_t icmp6_filt[8];
};

#endif /* _NETINET_ICMP6_H_ */
