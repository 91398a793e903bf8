/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The IPv6 header and its extension headers as on the wire (RFC 8200).
 *
 *   offset  size  field
 *        0   4    version (4 bits, 6), traffic class (8), flow label (20)
 *        4   2    payload length (bytes after this header)
 *        6   1    next header (IPPROTO_*)
 *        7   1    hop limit
 *        8  16    source address
 *       24  16    destination address
 *
 * Hop-by-hop and destination options: next header, length in 8-octet
 * units not counting the first 8, then TLV options.  Routing: next
 * header, length, routing type, segments left.  Fragment: next header,
 * reserved, offset (13 bits, in 8-octet units) with the M flag in the
 * lowest bit, identification (32 bits).
 */
#ifndef _NETINET_IP6_H_
#define _NETINET_IP6_H_

#include <sys/types.h>
#include <netinet/in.h>

struct ip6_hdr {
	uint32_t ip6_flow;              /* version, class, flow label */
	uint16_t ip6_plen;              /* payload length, network order */
	uint8_t ip6_nxt;
	uint8_t ip6_hlim;
	struct in6_addr ip6_src;
	struct in6_addr ip6_dst;
};

#define IPV6_VERSION      0x60
#define IPV6_VERSION_MASK 0xf0
#define IPV6_MMTU         1280          /* the minimum link MTU */
#define IPV6_MAXPACKET    65535
#define IPV6_DEFHLIM      64

/* The first two octets of every extension header. */
struct ip6_ext {
	uint8_t ip6e_nxt;
	uint8_t ip6e_len;
};

struct ip6_rthdr {
	uint8_t ip6r_nxt;
	uint8_t ip6r_len;
	uint8_t ip6r_type;
	uint8_t ip6r_segleft;
};

struct ip6_frag {
	uint8_t ip6f_nxt;
	uint8_t ip6f_reserved;
	uint16_t ip6f_offlg;            /* offset and M, network order */
	uint32_t ip6f_ident;
};
#define IP6F_OFF_MASK  0xfff8           /* in host order */
#define IP6F_MORE_FRAG 0x0001

/* Options in hop-by-hop and destination options headers. */
#define IP6OPT_PAD1        0x00
#define IP6OPT_PADN        0x01
#define IP6OPT_ROUTER_ALERT 0x05
#define IP6OPT_TYPE(o)     ((o) & 0xc0)
#define IP6OPT_TYPE_SKIP   0x00
#define IP6OPT_TYPE_DISCARD 0x40
#define IP6OPT_TYPE_FORCEICMP 0x80
#define IP6OPT_TYPE_ICMP   0xc0

#endif /* _NETINET_IP6_H_ */
