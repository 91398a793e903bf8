/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Ethernet link layer (libnet's if_ethersubr.c) as drivers and
 * protocols use it.  The frame format, the ETHERTYPE_ values, struct
 * ether_header and ETHER_ADDR_LEN are in <netinet/if_ether.h>, which
 * this header includes, together with the ARP resolver hook.
 *
 * A driver embeds a struct ethercom whose ec_if is its ifnet and calls
 * ether_ifattach(ifp, lladdr) after if_initialize: that makes it an
 * Ethernet interface (type, header and address lengths, MTU 1500,
 * IFF_BROADCAST|IFF_MULTICAST, if_output = ether_output, if_input =
 * ether_input) and attaches it.  The driver's if_ioctl passes what it
 * does not handle to ether_ioctl (multicast filter, MTU).
 *
 * Output: ether_output(ifp, m, dst, rt) for
 *   AF_INET    broadcast (M_BCAST on m, or 255.255.255.255) and multicast
 *              (RFC 1112 mapping) directly; unicast through
 *              ether_resolve_hook (ARP): 0 sends, EWOULDBLOCK means ARP
 *              holds the packet (ether_output returns 0);
 *   AF_INET6   multicast directly (RFC 2464 33:33 mapping); unicast
 *              through ether_resolve6_hook (neighbour discovery), with
 *              ether_resolve_hook's contract;
 *   AF_UNSPEC  sa_data holds a struct ether_header: the destination and
 *              type to send with (ARP's own packets use this).
 * Input: ether_input(ifp, m) from the driver's receive thread drops
 * runts (shorter than the header), frames longer than the MTU allows,
 * frames whose source is this interface, unicast for another station
 * (unless IFF_PROMISC) and multicast not in the filter (unless
 * IFF_ALLMULTI or IFF_PROMISC; the all-hosts groups 01:00:5e:00:00:01
 * and 33:33:00:00:00:01 are always heard), marks M_BCAST/M_MCAST, strips
 * the header and queues the payload by type: IPv4 on NETISR_IP, ARP on
 * NETISR_ARP, IPv6 on NETISR_IPV6; other types count as ifi_noproto.
 *
 * Multicast filter: SIOCADDMULTI/SIOCDELMULTI with the address in
 * ifr_addr/ifr_hwaddr as AF_UNSPEC (the link address in sa_data),
 * AF_INET (a group, mapped) or AF_INET6 (mapped); counted references;
 * deleting one that is not there is ENOENT, a unicast address EINVAL.
 *
 * Locking: (e) ec_lock (a spin mutex: taken by the receive thread),
 * (c) stable after attach.
 */
#ifndef _NET_IF_ETHER_H_
#define _NET_IF_ETHER_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <net/if.h>
#include <netinet/if_ether.h>

/* One link-layer multicast address in an interface's filter. */
struct ether_multi {
	uint8_t enm_addr[ETHER_ADDR_LEN];       /* e */
	unsigned enm_refcount;                  /* e */
	LIST_ENTRY(ether_multi) enm_list;       /* e */
};

struct ethercom {
	struct ifnet ec_if;                     /* first: the ifnet */
	kmutex_t ec_lock;
	LIST_HEAD(, ether_multi) ec_multiaddrs; /* e */
	unsigned ec_multicnt;                   /* e */
};

/* Counters of the Ethernet layer, all interfaces (net.ether.stats). */
struct etherstat {
	uint64_t es_ipackets;           /* frames handed to a protocol queue */
	uint64_t es_runts;              /* shorter than a header */
	uint64_t es_toolong;            /* longer than the MTU allows */
	uint64_t es_notforus;           /* unicast for another station */
	uint64_t es_mcastfiltered;      /* multicast not in the filter */
	uint64_t es_ownsrc;             /* our own address as the source */
	uint64_t es_noproto;            /* a type nobody takes */
	uint64_t es_qdrops;             /* of those, the queue was full */
	uint64_t es_opackets;           /* frames handed to drivers */
	uint64_t es_oerrors;            /* output failed */
	uint64_t es_noresolve;          /* unicast IPv4 with no ARP configured */
};
extern struct etherstat etherstat;

void ether_ifattach(struct ifnet *, const uint8_t *lladdr);
/* Before if_detach's caller frees it: the multicast filter is freed. */
void ether_ifdetach(struct ifnet *);
int ether_output(struct ifnet *, struct mbuf *, const struct sockaddr *dst,
    struct rtentry *);
/*
 * The link address for an AF_INET6 unicast next hop, as ether_resolve_hook
 * for AF_INET (<netinet/if_ether.h>); set by netinet6's neighbour discovery.
 */
extern int (*ether_resolve6_hook)(struct ifnet *, struct mbuf *m,
    const struct sockaddr *dst, struct rtentry *rt, uint8_t *desten);
void ether_input(struct ifnet *, struct mbuf *);
/* SIOCADDMULTI, SIOCDELMULTI, SIOCSIFMTU (68..1500); ENOTTY for others. */
int ether_ioctl(struct ifnet *, unsigned long cmd, void *data);
/* Whether addr passes ifp's multicast filter. */
bool ether_multi_match(struct ifnet *, const uint8_t *addr);
/* "aa:bb:cc:dd:ee:ff" into buf (18 bytes). */
char *ether_sprintf(char *buf, const uint8_t *addr);

#endif /* _NET_IF_ETHER_H_ */
