/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 addresses of interfaces (in.c) and multicast group membership
 * (in.c, igmp.c), for the kernel only.
 *
 * An in_ifaddr is the family's ifaddr: the generic part first, so an
 * ifaddr of AF_INET converts by cast (ifatoia).  Every address is on its
 * interface's if_addrlist and on the global in_ifaddrhead, in the order
 * they were added (an interface's first is its primary).  Adding one
 * (in_control SIOCSIFADDR, or in_ifaddr_add) installs its prefix route (RTF_CONNECTED) and a local host route for
 * the address (RTF_LOCAL, through lo0's loopback), and on a broadcast
 * interface announces it with a gratuitous ARP (arp_announce).
 *
 * A group joined on an interface is one in_multi, referenced by every
 * socket membership (struct ip_moptions) that names it; the first
 * reference adds the link multicast address (SIOCADDMULTI) and starts IGMP
 * reports, the last sends a leave.
 *
 * Locking: (n) softnet_lock for all of it; (c) stable once linked.
 * An in_ifaddr holds one reference of its own (ifa_refcnt) while it is
 * on in_ifaddrhead; the interface's list and routes hold theirs.
 */
#ifndef _NETINET_IN_VAR_H_
#define _NETINET_IN_VAR_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/callout.h>
#include <net/if.h>
#include <netinet/in.h>

struct lwp;
struct mbuf;
struct socket;

struct in_ifaddr {
	struct ifaddr ia_ifa;                   /* first: the generic part */
	TAILQ_ENTRY(in_ifaddr) ia_list;         /* n: on in_ifaddrhead */
	struct in_addr ia_addr;                 /* c: the address */
	struct in_addr ia_netmask;              /* n: the prefix's mask */
	struct in_addr ia_subnet;               /* n: addr & netmask */
	struct in_addr ia_broadaddr;            /* n: the subnet broadcast */
	int ia_plen;                            /* n: prefix length */
	int ia_flags;                           /* n: IA_* */
};
#define IA_PREFIXRT 0x01                /* its prefix route is installed */
#define IA_LOCALRT  0x02                /* its local host route is installed */
#define IA_DUPSEEN  0x04                /* a duplicate was logged already */

#define ifatoia(ifa) ((struct in_ifaddr *)(ifa))
#define IA_SIN(ia)   ((struct sockaddr_in *)&(ia)->ia_ifa.ifa_addr)

TAILQ_HEAD(in_ifaddrhead, in_ifaddr);
extern struct in_ifaddrhead in_ifaddrhead;       /* n */

/* The address equal to a; NULL if not ours.  No reference: use under n. */
struct in_ifaddr *in_ifaddr_withaddr(struct in_addr a);
/* The first IPv4 address of an interface; NULL if none. */
struct in_ifaddr *in_ifaddr_forif(const struct ifnet *);
/* The address of ifp whose prefix holds a, else ifp's first; NULL if none. */
struct in_ifaddr *in_ifaddr_forsubnet(const struct ifnet *, struct in_addr a);
/* Whether a is a broadcast address on ifp (NULL: on any interface). */
bool in_broadcast(struct in_addr a, const struct ifnet *ifp);
/* Whether a router may forward to or from a (not 0/8, 127/8, class E, multicast). */
bool in_canforward(struct in_addr a);
/* Whether a may be a packet's source at all (not multicast, broadcast, class E). */
bool in_validsrc(struct in_addr a);

/*
 * Add addr/plen to ifp (bcast 0: the subnet's), installing its routes;
 * replace its mask when it exists.  softnet_lock held.
 */
int in_ifaddr_add(struct ifnet *, struct in_addr addr, int plen, struct in_addr bcast);
int in_ifaddr_delete(struct ifnet *, struct in_addr addr);
/* The SIOC*IFADDR family of ioctls, from the socket layer's pr_ioctl. */
int in_control(struct socket *, unsigned long cmd, void *data, struct ifnet *);

/* Drop an interface's addresses and groups (pr_purgeif, if_detach). */
void in_purgeif(struct ifnet *);
/* netinet's boot: 127.0.0.1/8 on lo0. */
void in_init(void);

/* A multicast group on an interface.  (n) */
struct in_multi {
	LIST_ENTRY(in_multi) inm_list;          /* n: on in_multihead */
	struct in_addr inm_addr;                /* c */
	struct ifnet *inm_ifp;                  /* c: referenced */
	unsigned inm_refcount;                  /* n: memberships */
	int inm_state;                          /* n: IGMP_* (igmp.c) */
	int inm_reports_left;                   /* n: unsolicited reports to go */
	callout_t inm_timer;                    /* n: the next report */
};
LIST_HEAD(in_multihead, in_multi);
extern struct in_multihead in_multihead;         /* n */

/* The group on ifp; NULL if not a member. */
struct in_multi *in_lookup_multi(struct in_addr group, const struct ifnet *);
/* Join or take another reference; NULL: ENOBUFS (or the link refused). */
struct in_multi *in_addmulti(struct in_addr group, struct ifnet *, int *errorp);
void in_delmulti(struct in_multi *);

/*
 * A socket's multicast options (IP_MULTICAST_*, IP_ADD_MEMBERSHIP).
 * (n) under the socket's lock, which is softnet_lock.
 */
struct ip_moptions {
	unsigned imo_multicast_if;              /* n: ifindex to send on; 0: by route */
	struct in_addr imo_multicast_addr;      /* n: its source address, or any */
	uint8_t imo_multicast_ttl;              /* n: IP_MULTICAST_TTL */
	uint8_t imo_multicast_loop;             /* n: IP_MULTICAST_LOOP */
	int imo_num_memberships;                /* n */
	struct in_multi *imo_membership[IP_MAX_MEMBERSHIPS]; /* n */
};

/* Whether the socket options imo have joined group on ifp. */
bool imo_member(const struct ip_moptions *, struct in_addr group, const struct ifnet *);
void imo_free(struct ip_moptions *);

/* igmp.c: reports on join and leave; membership queries on input. */
void igmp_joingroup(struct in_multi *);
void igmp_leavegroup(struct in_multi *);
void igmp_input(struct mbuf *, int off, int proto);
/* Per-interface IGMP state (dom_ifattach/dom_ifdetach of inet). */
void *igmp_ifattach(struct ifnet *);
void igmp_ifdetach(struct ifnet *, void *);

/* IGMP counters (net.inet.igmp.stats). */
struct igmpstat {
	uint64_t igps_rcv_total;        /* messages received */
	uint64_t igps_rcv_tooshort;     /* shorter than 8 bytes */
	uint64_t igps_rcv_badsum;       /* bad checksum */
	uint64_t igps_rcv_queries;      /* membership queries */
	uint64_t igps_rcv_badqueries;   /* queries for a non-group, or malformed */
	uint64_t igps_rcv_reports;      /* reports from other members */
	uint64_t igps_snd_reports;      /* reports (and leaves) sent */
};
extern struct igmpstat igmpstat;

/*
 * A sysctl handler: a read-only copy of a counter structure (the node's
 * data and size) taken under softnet_lock; IPv6's counters use it too.
 */
struct sysctlnode;
struct sysctl_req;
int in_sysctl_stats(struct sysctlnode *, struct sysctl_req *);

#endif /* _NETINET_IN_VAR_H_ */
