/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 inside the kernel (librumpnet_netinet6): addresses of interfaces
 * (in6.c), per-interface state, multicast groups (mld6.c), input and
 * output (ip6_input.c, ip6_output.c, frag6.c), ICMPv6 (icmp6.c),
 * neighbour and router discovery (nd6*.c), the sockets (udp6_usrreq.c,
 * tcp6_usrreq.c; their PCBs: in6_pcb.c, <netinet6/in6_pcb.h>).
 *
 * An in6_ifaddr is the family's ifaddr (the generic part first): on its
 * interface's if_addrlist and on in6_ifaddrhead.  A new address is
 * tentative until duplicate address detection passes; a duplicate stays
 * on the list, flagged and never used.  Lifetimes are uptimes in ns (0:
 * infinite); past the preferred one an address is deprecated, past the
 * valid one it is removed.
 *
 * Link-local destinations are not in the routing table: their interface
 * is the socket's sin6_scope_id (or the interface a packet came in on).
 * Global addresses install their prefix route (RTF_CONNECTED); the
 * default route comes from router advertisements or netconfig.
 *
 * Locking: (n) softnet_lock for everything here; (c) stable once linked.
 */
#ifndef _NETINET6_IN6_VAR_H_
#define _NETINET6_IN6_VAR_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/callout.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet6/in6_stat.h>

struct mbuf;
struct socket;
struct rtentry;

/* Linux's struct in6_ifreq (SIOCSIFADDR/SIOCDIFADDR on AF_INET6). */
struct in6_ifreq {
	struct in6_addr ifr6_addr;
	uint32_t ifr6_prefixlen;
	int ifr6_ifindex;
};

/*
 * SIOCGIFALIFETIME (32 bytes): the address ifal_addr of interface
 * ifal_ifindex in, its IN6_IFF_* flags and the seconds left of its
 * preferred and valid lifetimes out (~0u: infinite; 0: passed).
 */
struct in6_ifalifetime {
	struct in6_addr ifal_addr;              /* 0 */
	int32_t ifal_ifindex;                   /* 16 */
	uint32_t ifal_flags;                    /* 20 */
	uint32_t ifal_pltime;                   /* 24 */
	uint32_t ifal_vltime;                   /* 28 */
};

struct in6_ifaddr {
	struct ifaddr ia_ifa;                   /* first: the generic part */
	TAILQ_ENTRY(in6_ifaddr) ia_list;        /* n: on in6_ifaddrhead */
	struct in6_addr ia_addr;                /* c */
	int ia_plen;                            /* n */
	int ia_flags;                           /* n: IN6_IFF_* */
	uint64_t ia_preferred;                  /* n: uptime ns; 0: forever */
	uint64_t ia_valid;                      /* n: uptime ns; 0: forever */
	int ia_dad_left;                        /* n: solicitations to send */
	int ia_dad_counter;                     /* n: RFC 7217 DAD_Counter */
	callout_t ia_dadtimer;                  /* n */
	struct in6_multi *ia_solmulti;          /* n: its solicited-node group */
};
#define IN6_IFF_TENTATIVE  0x01
#define IN6_IFF_DUPLICATED 0x02
#define IN6_IFF_DEPRECATED 0x04
#define IN6_IFF_AUTOCONF   0x08                /* made by SLAAC */
#define IN6_IFF_PREFIXRT   0x10                /* its prefix route is ours */
#define IN6_IFF_STABLE     0x20                /* RFC 7217 identifier */
#define IN6_IFF_DETACHED   0x40                /* being removed */

#define ifatoia6(ifa) ((struct in6_ifaddr *)(ifa))
TAILQ_HEAD(in6_ifaddrhead, in6_ifaddr);
extern struct in6_ifaddrhead in6_ifaddrhead;    /* n */

/* Per interface (if_afdata[AF_INET6]). */
struct in6_ifextra {
	struct ifnet *ie_ifp;                   /* c */
	int ie_curhlim;                         /* n: from RAs; 0: default */
	unsigned ie_linkmtu;                    /* n: from RAs; 0: the interface's */
	unsigned ie_retrans_ms;                 /* n: RetransTimer */
	unsigned ie_reachable_ms;               /* n: ReachableTime */
	int ie_rs_left;                         /* n: router solicitations to send */
	bool ie_wasup;                          /* n: IFF_UP seen by in6_ifup */
	int (*ie_if_init)(struct ifnet *);      /* c: the driver's if_init */
	callout_t ie_uptimer;                   /* n: after if_init: DAD, RS */
	callout_t ie_rstimer;                   /* n */
};
#define IN6_IFEXTRA(ifp) ((struct in6_ifextra *)(ifp)->if_afdata[AF_INET6])

/* A group joined on an interface (mld6.c). */
struct in6_multi {
	LIST_ENTRY(in6_multi) in6m_list;        /* n */
	struct in6_addr in6m_addr;              /* c */
	struct ifnet *in6m_ifp;                 /* c: referenced */
	unsigned in6m_refcount;                 /* n */
	int in6m_reports_left;                  /* n: state changes to resend */
	int in6m_rectype;                       /* n: MLD_CHANGE_TO_* pending */
	bool in6m_leaving;                      /* n: refcount 0, leave in progress */
	callout_t in6m_timer;                   /* n */
};
LIST_HEAD(in6_multihead, in6_multi);
extern struct in6_multihead in6_multihead;      /* n */

extern struct ip6stat ip6stat;                  /* n */
extern struct icmp6stat icmp6stat;              /* n */
extern struct udp6stat udp6stat;                /* n */
extern int ip6_defhlim;                         /* n: net.inet6.ip6.hlim */
extern int ip6_stable_privacy;                  /* n: net.inet6.ip6.stable_privacy */
extern int icmp6_errratelimit;                  /* n: net.inet6.icmp6.errratelimit */
extern int frag6_maxfrags;                      /* n: fragments per datagram */
extern int frag6_ttl;                           /* n: seconds to reassemble */

/* Address helpers (in6.c). */
extern const struct in6_addr in6addr_any;
extern const struct in6_addr in6addr_loopback;
extern const struct in6_addr in6addr_linklocal_allnodes;
extern const struct in6_addr in6addr_linklocal_allrouters;
extern const struct in6_addr in6addr_linklocal_mldv2routers;
bool in6_prefix_match(const struct in6_addr *, const struct in6_addr *, int plen);
void in6_prefixmask(struct in6_addr *, int plen);
void in6_solicited_node(struct in6_addr *out, const struct in6_addr *);
/* Scope: 1 interface-local, 2 link-local, 14 global (RFC 4291 2.7, 6724). */
int in6_scope(const struct in6_addr *);
void in6_sin6(struct sockaddr_in6 *, const struct in6_addr *, uint16_t port,
    uint32_t scope);
char *in6_fmt(char *buf, const struct in6_addr *); /* 46 bytes */
/* Ours on ifp (NULL: any interface; link-local must match ifp if given). */
struct in6_ifaddr *in6_ifaddr_lookup(const struct in6_addr *, const struct ifnet *);
/* Usable as a source: not tentative, not duplicated. */
bool in6_ifaddr_usable(const struct in6_ifaddr *);
struct in6_ifaddr *in6_ifaddr_linklocal(const struct ifnet *);
/* RFC 6724 simplified: a source for dst on ifp; NULL if none. */
struct in6_ifaddr *in6_selectsrc(const struct in6_addr *dst, struct ifnet *);
/*
 * Add addr/plen to ifp with lifetimes (seconds, ~0u: forever) and
 * flags; starts DAD if ifp is up.  EEXIST updates the lifetimes.
 */
int in6_ifaddr_add(struct ifnet *, const struct in6_addr *, int plen,
    uint32_t vltime, uint32_t pltime, int flags, struct in6_ifaddr **);
int in6_ifaddr_delete(struct ifnet *, const struct in6_addr *);
void in6_ifaddr_remove(struct in6_ifaddr *);
int in6_control(struct socket *, unsigned long cmd, void *data, struct ifnet *);
void in6_purgeif(struct ifnet *);
void *in6_domifattach(struct ifnet *);
void in6_domifdetach(struct ifnet *, void *);
void in6_init(void);
/* Addresses' lifetimes passed: deprecate or remove (nd6_rtr.c's timer). */
uint64_t in6_ifaddr_expire(uint64_t now);

/* Multicast (mld6.c). */
struct in6_multi *in6_lookup_multi(const struct in6_addr *, const struct ifnet *);
struct in6_multi *in6_addmulti(const struct in6_addr *, struct ifnet *, int *errorp);
void in6_delmulti(struct in6_multi *);
void mld6_input(struct mbuf *, int off, int len);
void mld6_ifup(struct ifnet *);
void mld6_purgeif(struct ifnet *);

/* Output (ip6_output.c). */
struct ip6_outopts {
	unsigned io_ifindex;                    /* 0: by route or scope */
	int io_hlim;                            /* -1: default */
	int io_tclass;                          /* -1: 0 */
	bool io_mloop;                          /* loop multicast back */
	bool io_dontfrag;                       /* EMSGSIZE past the path MTU */
	const struct in6_addr *io_src;          /* from IPV6_PKTINFO */
	bool io_srcany;                         /* keep :: (DAD, MLD) */
	int io_csumproto;                       /* IPPROTO_UDP/TCP/ICMPV6: fill
						   its checksum (header at 40) */
};
/*
 * Send m, which starts with a struct ip6_hdr whose ip6_nxt, ip6_src
 * (unspecified: chosen) and ip6_dst are set; the rest is filled here.
 * Consumes m.  softnet_lock held.
 */
int ip6_output(struct mbuf *, const struct ip6_outopts *);
/* The interface and path MTU toward dst (for IPV6_MTU); 0 if no route. */
unsigned ip6_pathmtu(const struct in6_addr *dst, unsigned ifindex);
/* A path MTU learnt from packet too big for dst (icmp6.c). */
void ip6_setpmtu(const struct in6_addr *dst, unsigned mtu);
uint16_t in6_cksum(struct mbuf *, uint8_t nxt, int off, int len);

/* Input (ip6_input.c, frag6.c). */
void ip6_input(struct mbuf *);
void ip6_init(void);
struct mbuf *frag6_input(struct mbuf *, int off, int nxtoff, int *nxtp);
void frag6_init(void);
void frag6_purgeif(struct ifnet *);

/* ICMPv6 (icmp6.c). */
void icmp6_input(struct mbuf *, int off, int len);
void icmp6_error(struct mbuf *, int type, int code, uint32_t param);
/* Send an ICMPv6 message (ip6_hdr, then the message); checksum made here. */
int icmp6_send(struct mbuf *, const struct ip6_outopts *);

/* Neighbour discovery (nd6.c, nd6_nbr.c, nd6_rtr.c). */
void nd6_init(void);
void nd6_ns_input(struct mbuf *, int off, int len);
void nd6_na_input(struct mbuf *, int off, int len);
void nd6_ra_input(struct mbuf *, int off, int len);
void nd6_ns_output(struct ifnet *, const struct in6_addr *dst,
    const struct in6_addr *target, bool dad);
void nd6_dad_start(struct in6_ifaddr *);
void nd6_purge(struct ifnet *);
void nd6_rs_start(struct ifnet *);
void nd6_rtr_purge(struct ifnet *);
void nd6_rtr_init(void);
/* Learn or confirm lladdr for addr on ifp (state per RFC 4861 7.2.3-5). */
void nd6_cache_lladdr(struct ifnet *, const struct in6_addr *,
    const uint8_t *lladdr, bool solicited, bool override, bool isna);
/* Rearm the router/prefix/address lifetime timer. */
void nd6_rtr_timer_update(void);
uint32_t in6_random(void);
/* The RFC 7217 interface identifier for prefix on ifp (nd6_rtr.c). */
void nd6_stable_iid(struct ifnet *, const struct in6_addr *prefix,
    int dad_counter, uint8_t iid[8]);

/* Sockets (udp6_usrreq.c). */
void udp6_input(struct mbuf *, int off, int len);
bool rip6_deliver(struct mbuf *, int off, int nxt);
void in6_pcbnotify(const struct in6_addr *dst, uint16_t dport,
    const struct in6_addr *src, uint16_t sport, int nxt, int error);
void in6_pcbpurgeif(struct ifnet *);

/* in6_proto.c */
void in6_sysctl_init(void);
extern struct domain inet6domain;

#endif /* _NETINET6_IN6_VAR_H_ */
