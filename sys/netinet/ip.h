/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The IPv4 header (RFC 791) as it is on the wire.  Multi-byte fields are
 * in network byte order everywhere in the stack, ip_len and ip_off
 * included (ip_input and ip_output never convert them in place).
 *
 *   offset  size  field
 *        0   4b   version (4)         ip_v
 *        0   4b   header length / 4   ip_hl (5 without options, at most 15)
 *        1   1    type of service     ip_tos (DSCP << 2 | ECN)
 *        2   2    total length        ip_len (header and data, bytes)
 *        4   2    identification      ip_id
 *        6   2    flags, offset / 8   ip_off (IP_RF, IP_DF, IP_MF | offset)
 *        8   1    time to live        ip_ttl
 *        9   1    protocol            ip_p (IPPROTO_*)
 *       10   2    header checksum     ip_sum (RFC 1071 over the header)
 *       12   4    source              ip_src
 *       16   4    destination         ip_dst
 *       20  0-40  options             (type, length, data; see IPOPT_*)
 */
#ifndef _NETINET_IP_H_
#define _NETINET_IP_H_

#include <sys/types.h>
#include <netinet/in.h>

#define IPVERSION 4

struct ip {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint8_t ip_hl:4, ip_v:4;
#else
	uint8_t ip_v:4, ip_hl:4;
#endif
	uint8_t ip_tos;
	uint16_t ip_len;
	uint16_t ip_id;
	uint16_t ip_off;
	uint8_t ip_ttl;
	uint8_t ip_p;
	uint16_t ip_sum;
	struct in_addr ip_src;
	struct in_addr ip_dst;
} __attribute__((__packed__, __aligned__(2)));

/* ip_off, host byte order (compare with ntohs(ip->ip_off)). */
#define IP_RF      0x8000       /* reserved: must be zero */
#define IP_DF      0x4000       /* do not fragment */
#define IP_MF      0x2000       /* more fragments */
#define IP_OFFMASK 0x1fff       /* fragment offset, 8-byte units */

#define IP_MAXPACKET 65535      /* largest datagram */
#define IP_MINHLEN   20         /* header without options */
#define IP_MAXHLEN   60         /* header with the most options */
#define IP_MSS       576        /* every host reassembles this (RFC 791) */

/* TTL */
#define MAXTTL     255
#define IPDEFTTL   64           /* Linux's default */
#define IPTTLDEC   1            /* forwarding subtracts this */

/* ip_tos: the ECN field (RFC 3168) is the low two bits. */
#define IPTOS_ECN_MASK 0x03
#define IPTOS_ECN_CE   0x03

/* Options (RFC 791): type octet = copied << 7 | class << 5 | number. */
#define IPOPT_EOL      0        /* end of the list */
#define IPOPT_NOP      1        /* padding */
#define IPOPT_RR       7        /* record route */
#define IPOPT_TS       68       /* timestamp */
#define IPOPT_SECURITY 130
#define IPOPT_LSRR     131      /* loose source route */
#define IPOPT_SSRR     137      /* strict source route */
#define IPOPT_RA       148      /* router alert (RFC 2113) */
#define IPOPT_COPIED(o) (((o) & 0x80) != 0)
#define IPOPT_OLEN     1        /* offset of an option's length octet */

#endif /* _NETINET_IP_H_ */
