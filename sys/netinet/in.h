/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Internet family as a Linux client sees it: protocol numbers,
 * struct sockaddr_in (no sin_len), the IPPROTO_IP socket options with
 * Linux's numbers and their argument structures.
 */
#ifndef _NETINET_IN_H_
#define _NETINET_IN_H_

#include <sys/types.h>
#include <sys/socket.h>

#define IPPROTO_IP     0
#define IPPROTO_ICMP   1
#define IPPROTO_IGMP   2
#define IPPROTO_TCP    6
#define IPPROTO_UDP    17
#define IPPROTO_IPV6   41
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_ICMPV6 58
#define IPPROTO_NONE   59
#define IPPROTO_DSTOPTS 60
#define IPPROTO_RAW    255
#define IPPROTO_HOPOPTS 0
#define IPPROTO_MAX    256

typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

struct in_addr {
	in_addr_t s_addr;               /* network byte order */
};

struct sockaddr_in {
	sa_family_t sin_family;
	in_port_t sin_port;             /* network byte order */
	struct in_addr sin_addr;
	unsigned char sin_zero[8];
};

/* Host byte order. */
#define INADDR_ANY              ((in_addr_t)0x00000000)
#define INADDR_BROADCAST        ((in_addr_t)0xffffffff)
#define INADDR_NONE             ((in_addr_t)0xffffffff)
#define INADDR_LOOPBACK         ((in_addr_t)0x7f000001)
#define INADDR_UNSPEC_GROUP     ((in_addr_t)0xe0000000)
#define INADDR_ALLHOSTS_GROUP   ((in_addr_t)0xe0000001)
#define INADDR_ALLRTRS_GROUP    ((in_addr_t)0xe0000002)
#define INADDR_ALLRPTS_GROUP    ((in_addr_t)0xe0000016) /* IGMPv3 reports */
#define INADDR_MAX_LOCAL_GROUP  ((in_addr_t)0xe00000ff)

#define IN_MULTICAST(a)  (((in_addr_t)(a) & 0xf0000000) == 0xe0000000)
#define IN_EXPERIMENTAL(a) (((in_addr_t)(a) & 0xf0000000) == 0xf0000000)
#define IN_LOOPBACKNET   127

/* Options of level IPPROTO_IP. */
#define IP_TOS             1
#define IP_TTL             2
#define IP_HDRINCL         3
#define IP_OPTIONS         4
#define IP_RECVOPTS        6
#define IP_PKTINFO         8
#define IP_MTU_DISCOVER    10
#define IP_RECVERR         11
#define IP_RECVTTL         12
#define IP_RECVTOS         13
#define IP_MTU             14
#define IP_MULTICAST_IF    32
#define IP_MULTICAST_TTL   33
#define IP_MULTICAST_LOOP  34
#define IP_ADD_MEMBERSHIP  35
#define IP_DROP_MEMBERSHIP 36
#define IP_MULTICAST_ALL   49

/* IP_MTU_DISCOVER values */
#define IP_PMTUDISC_DONT  0
#define IP_PMTUDISC_WANT  1
#define IP_PMTUDISC_DO    2

#define IP_DEFAULT_MULTICAST_TTL  1
#define IP_DEFAULT_MULTICAST_LOOP 1
#define IP_MAX_MEMBERSHIPS        20

struct ip_mreq {
	struct in_addr imr_multiaddr;
	struct in_addr imr_interface;
};

struct ip_mreqn {
	struct in_addr imr_multiaddr;
	struct in_addr imr_address;
	int imr_ifindex;
};

/* IP_PKTINFO control message. */
struct in_pktinfo {
	int ipi_ifindex;
	struct in_addr ipi_spec_dst;
	struct in_addr ipi_addr;
};

/*
 * IPv6 (netinet6), as Linux's <netinet/in.h> and <linux/in6.h> have it:
 * struct sockaddr_in6 has no sin6_len.
 */
struct in6_addr {
	union {
		uint8_t u6_addr8[16];
		uint16_t u6_addr16[8];
		uint32_t u6_addr32[4];
	} in6_u;
};
#define s6_addr   in6_u.u6_addr8
#define s6_addr16 in6_u.u6_addr16
#define s6_addr32 in6_u.u6_addr32

struct sockaddr_in6 {
	sa_family_t sin6_family;
	in_port_t sin6_port;            /* network byte order */
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id;         /* interface index for link-local */
};

#define IN6ADDR_ANY_INIT      { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } } }
#define IN6ADDR_LOOPBACK_INIT { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } }
#define INET6_ADDRSTRLEN 46

/* Options of level IPPROTO_IPV6. */
#define IPV6_ADDRFORM        1
#define IPV6_CHECKSUM        7
#define IPV6_UNICAST_HOPS    16
#define IPV6_MULTICAST_IF    17
#define IPV6_MULTICAST_HOPS  18
#define IPV6_MULTICAST_LOOP  19
#define IPV6_ADD_MEMBERSHIP  20
#define IPV6_DROP_MEMBERSHIP 21
#define IPV6_JOIN_GROUP      IPV6_ADD_MEMBERSHIP
#define IPV6_LEAVE_GROUP     IPV6_DROP_MEMBERSHIP
#define IPV6_MTU_DISCOVER    23
#define IPV6_MTU             24
#define IPV6_RECVERR         25
#define IPV6_V6ONLY          26
#define IPV6_RECVPKTINFO     49
#define IPV6_PKTINFO         50
#define IPV6_RECVHOPLIMIT    51
#define IPV6_HOPLIMIT        52
#define IPV6_RECVTCLASS      66
#define IPV6_TCLASS          67

/* IPV6_MTU_DISCOVER values */
#define IPV6_PMTUDISC_DONT   0
#define IPV6_PMTUDISC_WANT   1
#define IPV6_PMTUDISC_DO     2

struct ipv6_mreq {
	struct in6_addr ipv6mr_multiaddr;
	int ipv6mr_interface;           /* ifindex; 0: by route */
};

/* IPV6_PKTINFO: option and control message. */
struct in6_pktinfo {
	struct in6_addr ipi6_addr;
	int ipi6_ifindex;
};

#define IN6_IS_ADDR_UNSPECIFIED(a) \
	((a)->s6_addr32[0] == 0 && (a)->s6_addr32[1] == 0 && \
	 (a)->s6_addr32[2] == 0 && (a)->s6_addr32[3] == 0)
#define IN6_IS_ADDR_LOOPBACK(a) \
	((a)->s6_addr32[0] == 0 && (a)->s6_addr32[1] == 0 && \
	 (a)->s6_addr32[2] == 0 && (a)->s6_addr32[3] == htonl(1))
#define IN6_IS_ADDR_MULTICAST(a)  ((a)->s6_addr[0] == 0xff)
#define IN6_IS_ADDR_LINKLOCAL(a) \
	((a)->s6_addr[0] == 0xfe && ((a)->s6_addr[1] & 0xc0) == 0x80)
#define IN6_IS_ADDR_V4MAPPED(a) \
	((a)->s6_addr32[0] == 0 && (a)->s6_addr32[1] == 0 && \
	 (a)->s6_addr32[2] == htonl(0xffff))
#define IN6_IS_ADDR_MC_LINKLOCAL(a) \
	(IN6_IS_ADDR_MULTICAST(a) && ((a)->s6_addr[1] & 0x0f) == 0x2)
#define IN6_ARE_ADDR_EQUAL(a, b) (memcmp((a), (b), sizeof(struct in6_addr)) == 0)

#endif /* _NETINET_IN_H_ */
