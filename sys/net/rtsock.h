/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The routing socket's messages (libnet's rtsock.c): socket(AF_ROUTE,
 * SOCK_RAW, family) reads and writes them; family 0 hears about every
 * family, AF_INET only about IPv4 routes.
 *
 * A message is a struct rt_msghdr (host byte order, 48 bytes) followed by
 * the addresses its rtm_addrs bits name, in the order of the bits
 * (RTA_DST first).  The addresses are Linux's sockaddrs, which carry no
 * length: each one's length follows from its family (sockaddr_in 16,
 * sockaddr_in6 28, sockaddr_ll 20, anything else 16), and each is
 * padded with zeroes to a multiple of 8 bytes (RT_ROUNDUP).  A netmask is
 * a sockaddr of the destination's family with the mask in the address.
 * RTA_IFP is a sockaddr_ll naming the interface by index (and giving its
 * link address); RTA_IFA is the interface address the route uses.
 *
 * Requests (written): RTM_ADD (RTA_DST, RTA_GATEWAY if RTF_GATEWAY,
 * RTA_NETMASK or none for a host route, RTA_IFP optional), RTM_DELETE
 * (RTA_DST, RTA_NETMASK), RTM_CHANGE (RTA_DST, RTA_NETMASK, the new
 * RTA_GATEWAY), RTM_GET (RTA_DST, and RTA_NETMASK for an exact match;
 * without it the longest-prefix match).  rtm_version must be
 * RTM_VERSION, rtm_msglen the bytes written.  The write(2) returns the
 * request's error (EEXIST, ESRCH, ENETUNREACH, EINVAL ...); the answer,
 * with rtm_errno, the sender's rtm_pid and rtm_seq and the route's
 * addresses (DST, GATEWAY, NETMASK, IFP, IFA as present), is queued to
 * every routing socket, the sender's included (unless it turned
 * RO_USELOOPBACK off).  Changes made inside the kernel (interface
 * addresses, neighbour discovery, redirects, netconfig) are announced
 * the same way with rtm_pid 0.
 *
 * Announcements (rtm_pid 0), to every routing socket opened for all
 * families or for the family concerned:
 *   RTM_ADD, RTM_DELETE, RTM_CHANGE  a route added, deleted, changed by
 *       anyone (the route's addresses and RTF_ flags, rtm_index);
 *   RTM_ADD, RTM_CHANGE, RTM_DELETE  a neighbour (ARP, IPv6 neighbour
 *       discovery) learnt, its link address changed, forgotten: the
 *       form net.route.dump gives it (below), flags RTF_HOST |
 *       RTF_LLINFO (and RTF_UP but when deleted);
 *   RTM_MISS  a lookup found no route (RTA_DST only, rtm_errno
 *       EHOSTUNREACH... as the caller gets it; rtm_flags 0);
 *   RTM_NEWADDR, RTM_DELADDR  an interface address added or removed;
 *   RTM_CHGADDR  its flags changed (IPv6: DAD passed or failed,
 *       deprecated): struct ifa_msghdr, then RTA_NETMASK, RTA_IFP,
 *       RTA_IFA and RTA_BRD (IPv4 broadcast), ifam_addrflags the
 *       family's flags (IN6_IFF_*);
 *   RTM_IFINFO  an interface's flags or link state changed
 *       (struct if_msghdr, RTA_IFP);
 *   RTM_IFANNOUNCE  an interface arrived or is departing
 *       (struct if_announcemsghdr, no addresses), for every family.
 * A listener whose buffer is full loses the message, counted in its
 * RO_OVERFLOWED; the sender never waits.  SO_RCVBUF decides how many fit.
 *
 * Options at level AF_ROUTE: RO_USELOOPBACK (int, default 1: a writer
 * also hears the answer to its own request; 0: only others do) and
 * RO_OVERFLOWED (uint64_t, read only: messages lost for want of room).
 *
 * sysctl net.route.dump (CTL_NET, AF_ROUTE, NET_RT_DUMP) reads the whole
 * table, IPv4 then IPv6, as a sequence of RTM_GET answers (rtm_pid 0),
 * in no particular order within a family, then the neighbour caches'
 * entries (ARP, IPv6 neighbour discovery) as host routes flagged
 * RTF_HOST | RTF_LLINFO (RTF_REJECT while unresolved) whose RTA_GATEWAY
 * is the neighbour's link address (a sockaddr_ll; sll_halen 0 while
 * unresolved) and rmx_expire its next timeout.
 *
 * sysctl net.route.iflist (CTL_NET, AF_ROUTE, NET_RT_IFLIST) lists the
 * interfaces in attach order, as the original's: for each an RTM_IFINFO
 * (struct if_msghdr, then RTA_IFP, its sockaddr_ll), then an RTM_NEWADDR
 * for each of its addresses of any family (struct ifa_msghdr, then
 * RTA_NETMASK, RTA_IFP, RTA_IFA and RTA_BRD as announced: an IPv6
 * link-local address carries its scope id, the interface's index).  Each message's first three fields are
 * those of struct rt_msghdr, so a reader walks them by length and type.
 */
#ifndef _NET_RTSOCK_H_
#define _NET_RTSOCK_H_

#define RTM_VERSION 1

/* rtm_addrs bits, and the order the addresses come in. */
#define RTA_DST     0x01
#define RTA_GATEWAY 0x02
#define RTA_NETMASK 0x04
#define RTA_GENMASK 0x08                /* never sent */
#define RTA_IFP     0x10
#define RTA_IFA     0x20
#define RTA_AUTHOR  0x40                /* never sent */
#define RTA_BRD     0x80
#define RTAX_MAX    8

#define NET_RT_DUMP 1
#define NET_RT_IFLIST 3

/* Message types beyond the requests (RTM_ADD .. RTM_GET, <net/route.h>). */
#define RTM_MISS       0x7              /* no route for RTA_DST */
#define RTM_NEWADDR    0xc              /* an interface address added */
#define RTM_DELADDR    0xd              /* an interface address removed */
#define RTM_IFINFO     0xe              /* an interface's state */
#define RTM_IFANNOUNCE 0x10             /* an interface arrived or departs */
#define RTM_CHGADDR    0x15             /* an address's flags changed */

/*
 * ifam_addrflags of an IPv6 address (<netinet6/in6_var.h>'s IN6_IFF_*);
 * no temporary (RFC 8981) addresses are made, so none is ever flagged so.
 */
#define RT_IN6_TENTATIVE  0x01
#define RT_IN6_DUPLICATED 0x02
#define RT_IN6_DEPRECATED 0x04
#define RT_IN6_AUTOCONF   0x08
#define RT_IN6_DETACHED   0x40

/* if_announcemsghdr's ifan_what. */
#define IFAN_ARRIVAL   0
#define IFAN_DEPARTURE 1

/* if_msghdr's ifm_link_state. */
#define LINK_STATE_UNKNOWN 0            /* the interface has no link string */
#define LINK_STATE_DOWN    1            /* no link string set */
#define LINK_STATE_UP      2            /* attached to its bus or tap */

/* Socket options at level AF_ROUTE. */
#define RO_USELOOPBACK 0x40             /* int: hear our own requests' answers */
#define RO_OVERFLOWED  0x41             /* uint64_t: messages lost (read only) */

#define RT_ROUNDUP(len) (((len) + 7) & ~7)

/* Route metrics as messages carry them. */
struct rt_msgmetrics {
	uint32_t rmx_mtu;               /* 0: the interface's */
	uint32_t rmx_pad;
	uint64_t rmx_expire;            /* uptime (ns) it expires at; 0: never */
};

struct rt_msghdr {
	uint16_t rtm_msglen;            /* 0: bytes of the whole message */
	uint8_t rtm_version;            /* 2: RTM_VERSION */
	uint8_t rtm_type;               /* 3: RTM_ADD, RTM_DELETE, RTM_CHANGE, RTM_GET */
	uint16_t rtm_index;             /* 4: the interface's index */
	uint16_t rtm_pad;               /* 6 */
	int32_t rtm_flags;              /* 8: RTF_* */
	int32_t rtm_addrs;              /* 12: RTA_* present */
	int32_t rtm_pid;                /* 16: the sender's pid, 0 for the kernel */
	int32_t rtm_seq;                /* 20: the sender's number, echoed */
	int32_t rtm_errno;              /* 24: the request's error */
	int32_t rtm_use;                /* 28 */
	struct rt_msgmetrics rtm_rmx;   /* 32 */
};

/* RTM_IFINFO: one interface (24 bytes). */
struct if_msghdr {
	uint16_t ifm_msglen;            /* 0 */
	uint8_t ifm_version;            /* 2: RTM_VERSION */
	uint8_t ifm_type;               /* 3: RTM_IFINFO */
	uint16_t ifm_index;             /* 4 */
	uint16_t ifm_pad;               /* 6 */
	int32_t ifm_flags;              /* 8: IFF_* */
	int32_t ifm_addrs;              /* 12: RTA_IFP */
	uint32_t ifm_mtu;               /* 16 */
	uint32_t ifm_link_state;        /* 20: LINK_STATE_* */
};

/* RTM_NEWADDR, RTM_DELADDR, RTM_CHGADDR: an interface address (24 bytes). */
struct ifa_msghdr {
	uint16_t ifam_msglen;           /* 0 */
	uint8_t ifam_version;           /* 2: RTM_VERSION */
	uint8_t ifam_type;              /* 3: RTM_NEWADDR ... */
	uint16_t ifam_index;            /* 4: the interface's */
	uint16_t ifam_pad;              /* 6 */
	int32_t ifam_flags;             /* 8: IFA_* */
	int32_t ifam_addrs;             /* 12: RTA_NETMASK | RTA_IFP | RTA_IFA ... */
	int32_t ifam_metric;            /* 16: 0 */
	int32_t ifam_addrflags;         /* 20: the family's (IN6_IFF_*), else 0 */
};

/* RTM_IFANNOUNCE (24 bytes, no addresses follow). */
struct if_announcemsghdr {
	uint16_t ifan_msglen;           /* 0 */
	uint8_t ifan_version;           /* 2: RTM_VERSION */
	uint8_t ifan_type;              /* 3: RTM_IFANNOUNCE */
	uint16_t ifan_index;            /* 4 */
	char ifan_name[16];             /* 6: IFNAMSIZ, NUL-terminated */
	uint16_t ifan_what;             /* 22: IFAN_* */
};

/* Linux's struct sockaddr_ll (AF_PACKET), RTA_IFP's form. */
struct rt_sockaddr_ll {
	uint16_t sll_family;            /* AF_PACKET */
	uint16_t sll_protocol;
	int32_t sll_ifindex;
	uint16_t sll_hatype;            /* the interface's type (ARPHRD_) */
	uint8_t sll_pkttype;
	uint8_t sll_halen;              /* link address bytes */
	uint8_t sll_addr[8];
};

#endif /* _NET_RTSOCK_H_ */
