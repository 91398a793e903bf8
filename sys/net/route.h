/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The routing table (route.c): per address family, routes to hosts and
 * networks, found by longest-prefix match.  A route names the interface
 * and the interface address to send from, and either a gateway (a router
 * on that link) or nothing (the destination is on the link).  The link
 * layer may hang its neighbour state on a host route (rt_llinfo).
 *
 * The routing socket (AF_ROUTE, in librumpnet_net) and the netconfig
 * helpers change the table with rtrequest; protocols look routes up with
 * rtalloc1 and keep a reference while they cache one.
 *
 * Locking: (n) softnet_lock for the table and every route's mutable
 * fields; (c) stable after the route is added.  rt_refcnt is atomic; a
 * route deleted while referenced loses RTF_UP and is freed with its
 * last reference.
 */
#ifndef _NET_ROUTE_H_
#define _NET_ROUTE_H_

#include <sys/types.h>
#include <sys/socket.h>

struct ifnet;
struct ifaddr;
struct mbuf;

struct rt_metrics {
	unsigned rmx_mtu;               /* 0: the interface's */
	uint64_t rmx_expire;            /* uptime (ns) it expires at; 0: never */
	uint64_t rmx_pksent;
};

struct rtentry {
	struct sockaddr_storage rt_dst;         /* c */
	struct sockaddr_storage rt_netmask;     /* c: all ones for a host route */
	struct sockaddr_storage rt_gateway;     /* n */
	int rt_plen;                            /* c: prefix length in bits */
	int rt_flags;                           /* n: RTF_* */
	unsigned rt_refcnt;                     /* atomic */
	struct ifnet *rt_ifp;                   /* n: referenced */
	struct ifaddr *rt_ifa;                  /* n: referenced */
	struct rt_metrics rt_rmx;               /* n */
	void *rt_llinfo;                        /* n: link layer's (ARP, ND) */
	void (*rt_llinfo_free)(struct rtentry *); /* n */
	void *rt_node;                          /* n: the table's */
};

#define RTF_UP        0x1       /* usable */
#define RTF_GATEWAY   0x2       /* via a router */
#define RTF_HOST      0x4       /* a host route */
#define RTF_REJECT    0x8       /* unreachable: EHOSTUNREACH */
#define RTF_DYNAMIC   0x10      /* made by a redirect */
#define RTF_MODIFIED  0x20
#define RTF_DONE      0x40
#define RTF_CLONING   0x100     /* makes host routes for link neighbours */
#define RTF_LLINFO    0x400     /* has link-layer state */
#define RTF_STATIC    0x800     /* added by hand */
#define RTF_BLACKHOLE 0x1000    /* discard silently */
#define RTF_LOCAL     0x200000  /* an address of this host */
#define RTF_BROADCAST 0x400000
#define RTF_CONNECTED 0x800000  /* the prefix route of an interface address */

/* rtrequest requests (also the routing socket's message types). */
#define RTM_ADD    0x1
#define RTM_DELETE 0x2
#define RTM_CHANGE 0x3
#define RTM_GET    0x4

struct rt_addrinfo {
	const struct sockaddr *rti_dst;
	const struct sockaddr *rti_gateway;     /* NULL: on link */
	const struct sockaddr *rti_netmask;     /* NULL: a host route */
	struct ifnet *rti_ifp;                  /* NULL: by the gateway's or dst's link */
	struct ifaddr *rti_ifa;                 /* NULL: chosen */
	int rti_flags;
};

/*
 * Add, delete or change a route (softnet_lock held).  RTM_ADD of an
 * existing route is EEXIST; RTM_DELETE of none is ESRCH; a gateway not
 * on any link is ENETUNREACH.  *ret, if not NULL, gets a reference.
 */
int rtrequest(int req, const struct rt_addrinfo *, struct rtentry **ret);
/* The longest-prefix match for dst, referenced; NULL if none. */
struct rtentry *rtalloc1(const struct sockaddr *dst);
/* An exact lookup of dst/netmask, referenced; NULL if none. */
struct rtentry *rtlookup(const struct sockaddr *dst, const struct sockaddr *netmask);
void rtref(struct rtentry *);
void rtfree(struct rtentry *);
/* Delete every route through an interface (on detach). */
void rt_purge_ifp(struct ifnet *);
/*
 * Visit every route of a family (softnet_lock held); stop early when the
 * visitor returns non-zero, and return that.
 */
int rt_walk(int family, int (*visit)(struct rtentry *, void *), void *arg);
/* Tell the routing socket's listeners; set by librumpnet_net. */
extern void (*rt_missmsg_hook)(int type, const struct rtentry *, int error);

/*
 * The other announcements (<net/rtsock.h>), made with softnet_lock held;
 * nothing happens until librumpnet_net sets rt_msghooks.
 *   rt_ifmsg: RTM_IFINFO, ifp's flags or link state changed;
 *   rt_ifannouncemsg: RTM_IFANNOUNCE, IFAN_ARRIVAL or IFAN_DEPARTURE;
 *   rt_addrmsg: RTM_NEWADDR, RTM_DELADDR or RTM_CHGADDR for ifa;
 *   rt_missmsg: RTM_MISS, no route to dst;
 *   rt_llmsg: RTM_ADD, RTM_CHANGE or RTM_DELETE of a neighbour cache's
 *       entry (struct rt_llent below): learnt, its link address changed,
 *       forgotten.
 */
struct rt_llent;
struct rt_msghooks {
	void (*rh_ifmsg)(struct ifnet *);
	void (*rh_ifannounce)(struct ifnet *, int what);
	void (*rh_addrmsg)(int type, struct ifaddr *);
	void (*rh_missmsg)(const struct sockaddr *dst, int error);
	void (*rh_llmsg)(int type, const struct rt_llent *);
};
extern const struct rt_msghooks *rt_msghooks;
void rt_ifmsg(struct ifnet *);
void rt_ifannouncemsg(struct ifnet *, int what);
void rt_addrmsg(int type, struct ifaddr *);
void rt_missmsg(const struct sockaddr *dst, int error);
void rt_llmsg(int type, const struct rt_llent *);

/*
 * A neighbour cache's entry as net.route.dump lists it (ARP, ND): the
 * family's walker, registered by the protocol, calls visit for each
 * entry (softnet_lock held) and stops at the first non-zero return.
 */
struct rt_llent {
	struct sockaddr_storage rl_dst;
	struct ifnet *rl_ifp;
	uint8_t rl_lladdr[8];
	unsigned rl_halen;                      /* 0: unresolved */
	int rl_flags;                           /* RTF_* beyond RTF_HOST|RTF_LLINFO */
	uint64_t rl_expire;                     /* uptime ns; 0: none */
};
typedef int (*rt_llvisit_t)(const struct rt_llent *, void *);
void rt_llwalker_set(int family,
    int (*walk)(rt_llvisit_t, void *));
int rt_llwalk(int family, rt_llvisit_t, void *);

/* Bytes of an address of a family (sockaddr_in: 16, sockaddr_in6: 28). */
socklen_t sockaddr_len(const struct sockaddr *);

#endif /* _NET_ROUTE_H_ */
