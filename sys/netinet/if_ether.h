/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Ethernet framing (libnet's if_ethersubr.c) and ARP over it
 * (libnetinet's if_arp.c, RFC 826).
 *
 * Frame: destination (6), source (6), type (2, network order), payload
 * of 46 to 1500 bytes; the frame check sequence is the driver's.
 *
 * ARP packet for IPv4 over Ethernet (28 bytes): hardware type 1, protocol
 * 0x0800, lengths 6 and 4, op (1 request, 2 reply), sender hardware and
 * protocol address, target hardware and protocol address.
 *
 * How the two meet: ether_output asks ether_resolve_hook for the
 * destination's link address of an IPv4 packet (multicast and broadcast
 * it maps itself); ARP answers at once from its cache or keeps the
 * packet until a reply comes (bounded) and returns EWOULDBLOCK: the
 * packet is then ARP's.  Received ARP frames are queued on NETISR_ARP,
 * whose handler ARP registers.
 */
#ifndef _NETINET_IF_ETHER_H_
#define _NETINET_IF_ETHER_H_

#include <sys/types.h>
#include <netinet/in.h>

struct ifnet;
struct mbuf;
struct rtentry;
struct sockaddr;

#define ETHER_ADDR_LEN   6
#define ETHER_TYPE_LEN   2
#define ETHER_HDR_LEN    14
#define ETHER_CRC_LEN    4
#define ETHER_MIN_LEN    64             /* with the CRC */
#define ETHER_MAX_LEN    1518           /* with the CRC */
#define ETHERMTU         1500
#define ETHERMIN         (ETHER_MIN_LEN - ETHER_HDR_LEN - ETHER_CRC_LEN)

#define ETHERTYPE_IP     0x0800
#define ETHERTYPE_ARP    0x0806
#define ETHERTYPE_VLAN   0x8100
#define ETHERTYPE_IPV6   0x86dd

struct ether_header {
	uint8_t ether_dhost[ETHER_ADDR_LEN];
	uint8_t ether_shost[ETHER_ADDR_LEN];
	uint16_t ether_type;
} __attribute__((__packed__));

#define ETHER_IS_MULTICAST(a) (((a)[0] & 0x01) != 0)

extern const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN];

/* The Ethernet address of an IPv4 multicast group (RFC 1112: 01:00:5e + low 23 bits). */
#define ETHER_MAP_IP_MULTICAST(ina, enaddr)                                    \
	do {                                                                   \
		const uint8_t *_ip = (const uint8_t *)(ina);                   \
		(enaddr)[0] = 0x01;                                            \
		(enaddr)[1] = 0x00;                                            \
		(enaddr)[2] = 0x5e;                                            \
		(enaddr)[3] = _ip[1] & 0x7f;                                   \
		(enaddr)[4] = _ip[2];                                          \
		(enaddr)[5] = _ip[3];                                          \
	} while (0)

/* ARP header (RFC 826) followed, for IPv4 over Ethernet, by the addresses. */
struct arphdr {
	uint16_t ar_hrd;                /* ARPHRD_ETHER */
	uint16_t ar_pro;                /* ETHERTYPE_IP */
	uint8_t ar_hln;                 /* 6 */
	uint8_t ar_pln;                 /* 4 */
	uint16_t ar_op;                 /* ARPOP_* */
} __attribute__((__packed__));

#define ARPHRD_ETHER   1
#define ARPOP_REQUEST  1
#define ARPOP_REPLY    2

struct ether_arp {
	struct arphdr ea_hdr;
	uint8_t arp_sha[ETHER_ADDR_LEN];        /* sender hardware address */
	uint8_t arp_spa[4];                     /* sender protocol address */
	uint8_t arp_tha[ETHER_ADDR_LEN];        /* target hardware address */
	uint8_t arp_tpa[4];                     /* target protocol address */
} __attribute__((__packed__));

/*
 * The link address for dst (an AF_INET unicast address, next hop already
 * chosen) through rt (may be NULL): 0 with desten filled; EWOULDBLOCK if
 * ARP kept m to send later (m is then ARP's); any other error: m freed
 * by ARP, the error for the sender (EHOSTUNREACH, ENOBUFS).  Set by ARP
 * at init; NULL: IPv4 over Ethernet is not configured.  softnet_lock held.
 */
extern int (*ether_resolve_hook)(struct ifnet *, struct mbuf *m,
    const struct sockaddr *dst, struct rtentry *rt, uint8_t *desten);

/* if_arp.c */
void arp_init(void);
/* Announce addr on ifp (gratuitous ARP: request for itself). */
void arp_announce(struct ifnet *, struct in_addr addr);
/* Forget the cache entries of an interface (its addresses are going). */
void arp_purge(struct ifnet *);
/* Seconds a resolved entry lives (net.inet.arp.keep); attempts, 1 s apart. */
extern int arp_keep;
extern int arp_maxtries;

/* ARP counters (net.inet.arp.stats). */
struct arpstat {
	uint64_t as_sent;               /* ARP packets sent */
	uint64_t as_sentreq;            /* requests */
	uint64_t as_sentrep;            /* replies */
	uint64_t as_rcvtotal;           /* received */
	uint64_t as_rcvreq;
	uint64_t as_rcvrep;
	uint64_t as_rcvbadproto;        /* not IPv4 over Ethernet */
	uint64_t as_rcvtruncated;       /* shorter than an ARP packet */
	uint64_t as_rcvlocalsha;        /* our own hardware address as the sender */
	uint64_t as_rcvbcastsha;        /* a broadcast sender address */
	uint64_t as_dupips;             /* another host claims our address */
	uint64_t as_held;               /* packets held awaiting resolution */
	uint64_t as_dfrdropped;         /* held packets dropped: queue full */
	uint64_t as_dfrsent;            /* held packets sent after resolution */
	uint64_t as_timeouts;           /* resolutions that failed */
	uint64_t as_allocfail;          /* no memory for an entry */
	uint64_t as_expired;            /* entries expired */
};
extern struct arpstat arpstat;

#endif /* _NETINET_IF_ETHER_H_ */
