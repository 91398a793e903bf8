/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * UDP (RFC 768) as on the wire, and the kernel's UDP entry points
 * (udp_usrreq.c).
 *
 *   offset  size  field
 *        0   2    source port        uh_sport
 *        2   2    destination port   uh_dport
 *        4   2    length             uh_ulen (header and data)
 *        6   2    checksum           uh_sum (with the pseudo header;
 *                                    0: none sent; a computed 0 is sent
 *                                    as 0xffff)
 */
#ifndef _NETINET_UDP_H_
#define _NETINET_UDP_H_

#include <sys/types.h>

struct udphdr {
	uint16_t uh_sport;
	uint16_t uh_dport;
	uint16_t uh_ulen;
	uint16_t uh_sum;
};

#ifdef _KERNEL
struct mbuf;
struct sockaddr;
struct pr_usrreqs;

void udp_init(void);
void udp_input(struct mbuf *, int off, int proto);
void udp_ctlinput(int cmd, const struct sockaddr *, void *ctx);
extern const struct pr_usrreqs udp_usrreqs;
/*
 * IPv6 dual-stack sockets (netinet6): offered an IPv4 datagram no IPv4
 * socket took (hlen: its IP header's length); true if one took it (m is
 * then the hook's).  NULL without netinet6.  softnet_lock held.
 */
extern bool (*udp_mapped_input_hook)(struct mbuf *, int hlen);
/*
 * Whether an IPv4 UDP socket holds (laddr, lport) against a dual-stack
 * IPv6 socket with so_options (SO_REUSEADDR/SO_REUSEPORT on both let it
 * share).  softnet_lock held.
 */
bool udp_port_held4(struct in_addr laddr, in_port_t lport, int so_options);
#endif

/* The counters, netstat -s style (net.inet.udp.stats). */
struct udpstat {
	uint64_t udps_ipackets;         /* received */
	uint64_t udps_hdrops;           /* shorter than the header */
	uint64_t udps_badsum;           /* bad checksum */
	uint64_t udps_badlen;           /* uh_ulen past the data or below 8 */
	uint64_t udps_noport;           /* no socket on the port */
	uint64_t udps_noportbcast;      /* ... and broadcast or multicast */
	uint64_t udps_fullsock;         /* dropped: receive buffer full */
	uint64_t udps_delivered;        /* copies given to sockets */
	uint64_t udps_opackets;         /* sent */
	uint64_t udps_nosum;            /* received with no checksum */
};
#ifdef _KERNEL
extern struct udpstat udpstat;
#endif

#endif /* _NETINET_UDP_H_ */
