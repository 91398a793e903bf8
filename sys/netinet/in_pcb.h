/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Internet protocol control blocks (in_pcb.c): the IPv4 state of a UDP,
 * raw or TCP socket, and the tables that find it.
 *
 * A PCB names its socket and its two ends: local address and port,
 * foreign address and port (ports and addresses in network byte order;
 * INADDR_ANY and port 0 are wildcards).  A protocol keeps one
 * inpcbtable; every PCB of it is on inpt_queue, every bound PCB on the
 * chain of its local port (inpt_porthash), and every connected PCB
 * (foreign address set) on the chain of its four-tuple (inpt_connhash).
 *
 * Lifecycle: in_pcballoc (unbound) → in_pcbbind (local port, maybe
 * address) → in_pcbconnect (foreign end; binds first if need be) →
 * in_pcbdisconnect → in_pcbdetach (frees it).  A protocol may keep a
 * PCB after its socket is gone (inp_socket NULL, as TCP could for
 * TIME_WAIT): it is then found by no input lookup and binds as a socket
 * without SO_REUSEADDR/SO_REUSEPORT would.
 *
 * Binding follows Linux's rules.  Two PCBs conflict when they have the
 * same local port and their local addresses overlap (equal, or either
 * is INADDR_ANY); a conflict is EADDRINUSE unless both sockets set
 * SO_REUSEADDR and neither is listening, or both set SO_REUSEPORT and
 * belong to the same user.  A port below 1024 needs privilege (EACCES).
 * An ephemeral port is drawn from 32768-60999 starting at a
 * pseudo-random point and searched upward (EADDRNOTAVAIL if none); one
 * chosen by connect may be shared by connections to other foreign ends,
 * as on Linux.
 *
 * Input lookup: in_pcblookup_connect finds the exact four-tuple; then
 * in_pcblookup_bind the best bound PCB for (local address, port): one
 * bound to the address beats one bound to INADDR_ANY, and a connected
 * PCB never matches a packet from elsewhere.
 *
 * IPv6 (netinet6, <netinet6/in6_pcb.h>): a PCB with INP_IPV6 has its
 * ends in inp_laddr6/inp_faddr6 and lives in the same table, so that
 * both families share one port space.  Its IPv4 addresses stay
 * INADDR_ANY, but for a dual-stack PCB (IPV6_V6ONLY off) bound to ::
 * (IPv4: INADDR_ANY) or to ::ffff:a.b.c.d (IPv4: a.b.c.d), which IPv4
 * binding and input lookup see as an IPv4 PCB bound there
 * (in_pcb_v4ok).  A TCP connection of an AF_INET6 socket to a
 * v4-mapped peer is an IPv4 PCB (INP_IPV6 clear): only its socket's
 * names are reported as ::ffff:a.b.c.d.  Connected IPv6 PCBs are on the
 * connection chains by their addresses folded to 32 bits.
 *
 * Locking: (n) softnet_lock for tables and PCBs (it is every inet
 * socket's so_lock); (c) stable while the PCB exists.
 */
#ifndef _NETINET_IN_PCB_H_
#define _NETINET_IN_PCB_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <netinet/in.h>

struct ifnet;
struct ip_moptions;
struct in6_pcbopts;
struct lwp;
struct mbuf;
struct rtentry;
struct socket;
struct sockopt;
struct sockaddr_storage;

/* A cached route to one destination (n).  ro_rt is referenced. */
struct in_route {
	struct rtentry *ro_rt;
	struct in_addr ro_dst;
};
/* The route to dst, from the cache or looked up; NULL if none. */
struct rtentry *in_route_get(struct in_route *, struct in_addr dst);
void in_route_free(struct in_route *);

struct inpcbtable;

struct inpcb {
	TAILQ_ENTRY(inpcb) inp_queue;           /* n: on inpt_queue */
	LIST_ENTRY(inpcb) inp_porthash;         /* n: if bound */
	LIST_ENTRY(inpcb) inp_connhash;         /* n: if connected */
	struct inpcbtable *inp_table;           /* c */
	struct socket *inp_socket;              /* n: NULL once the socket is gone */
	void *inp_ppcb;                         /* n: the protocol's (tcpcb) */
	int inp_state;                          /* n: INP_* below */
	int inp_flags;                          /* n: INP_* flags */
	uid_t inp_uid;                          /* n: owner, for SO_REUSEPORT */

	struct in_addr inp_laddr;               /* n: local address, or any */
	in_port_t inp_lport;                    /* n: local port, 0: unbound */
	struct in_addr inp_faddr;               /* n: foreign address, or any */
	in_port_t inp_fport;                    /* n: foreign port */

	struct in_route inp_route;              /* n: route to inp_faddr */
	uint8_t inp_ttl;                        /* n: IP_TTL */
	uint8_t inp_tos;                        /* n: IP_TOS */
	uint8_t inp_pmtudisc;                   /* n: IP_MTU_DISCOVER, IP_PMTUDISC_* */
	uint8_t inp_ip_p;                       /* n: raw sockets: the protocol */
	struct ip_moptions *inp_moptions;       /* n: NULL until a multicast option */
	uint32_t inp_icmpfilter;                /* n: raw ICMP: types not received (ICMP_FILTER) */

	/* IPv6 (INP_IPV6): <netinet6/in6_pcb.h>. */
	struct in6_addr inp_laddr6;             /* n: local address, or :: */
	struct in6_addr inp_faddr6;             /* n: foreign address, or :: */
	uint32_t inp_fscope;                    /* n: link-local peer's interface */
	int16_t inp_hlim;                       /* n: IPV6_UNICAST_HOPS, -1: default */
	int16_t inp_tclass;                     /* n: IPV6_TCLASS, -1: 0 */
	struct in6_pcbopts *inp_opts6;          /* n: UDP and raw IPv6 sockets' */
};

/* inp_state */
#define INP_ATTACHED  0
#define INP_BOUND     1
#define INP_CONNECTED 2

/* inp_flags */
#define INP_RECVTTL    0x0001           /* IP_RECVTTL */
#define INP_PKTINFO    0x0002           /* IP_PKTINFO */
#define INP_RECVTOS    0x0004           /* IP_RECVTOS */
#define INP_HDRINCL    0x0008           /* IP_HDRINCL: raw sends carry the header */
#define INP_MCASTALL   0x0010           /* IP_MULTICAST_ALL (Linux's default: on) */
#define INP_CONNPORT   0x0020           /* connect(2) chose the port: shareable */
#define INP_ADDRLOCK   0x0040           /* bind(2) gave the local address */
#define INP_IPV6       0x0080           /* an IPv6 PCB (inp_laddr6, inp_faddr6) */
#define INP_V6ONLY     0x0100           /* IPV6_V6ONLY */
#define INP_RECVPKTINFO6  0x0200        /* IPV6_RECVPKTINFO */
#define INP_RECVHOPLIMIT6 0x0400        /* IPV6_RECVHOPLIMIT */
#define INP_RECVTCLASS6   0x0800        /* IPV6_RECVTCLASS */

#define IP_PORTRANGE_FIRST 32768        /* ephemeral ports, Linux's default */
#define IP_PORTRANGE_LAST  60999
#define IP_PORTRESERVED    1024         /* below: privileged */

LIST_HEAD(inpcbhead, inpcb);

struct inpcbtable {
	TAILQ_HEAD(, inpcb) inpt_queue;         /* n: every PCB */
	struct inpcbhead *inpt_porthash;        /* n: by local port */
	struct inpcbhead *inpt_connhash;        /* n: by four-tuple */
	unsigned long inpt_mask;                /* c: chains - 1 */
	int inpt_count;                         /* n: PCBs */
	int inpt_proto;                         /* c: IPPROTO_* (for the list) */
};

/* chains: a power of two. */
void in_pcbinit(struct inpcbtable *, int chains, int proto);
/*
 * IPv6 dual-stack UDP sockets (netinet6) share the port space: whether
 * one of them holds (laddr, lport) against a socket with so_options (NULL
 * without netinet6).  softnet_lock held.
 */
extern bool (*in_pcb_conflict6_hook)(struct in_addr laddr, in_port_t lport,
    int so_options);

/*
 * Whether an IPv6 PCB also takes IPv4 (dual-stack, bound to :: or a
 * v4-mapped address); true for every IPv4 PCB.
 */
bool in_pcb_v4ok(const struct inpcb *);
/* The chain of connected PCBs with this IPv6 four-tuple. */
struct inpcbhead *in6_pcbconnhead(struct inpcbtable *,
    const struct in6_addr *faddr, in_port_t fport,
    const struct in6_addr *laddr, in_port_t lport);

/* A new unbound PCB for so (so->so_pcb set); ENOBUFS. */
int in_pcballoc(struct socket *, struct inpcbtable *);
/* Unlink and free; the socket's so_pcb cleared. */
void in_pcbdetach(struct inpcb *);
/* Bind to sin (NULL or port 0: an ephemeral port). */
int in_pcbbind(struct inpcb *, const struct sockaddr_in *sin, struct lwp *);
/*
 * Connect to sin: pick the source address (in_pcbselsrc) and bind an
 * ephemeral port if unbound; EADDRINUSE if the four-tuple is taken,
 * ENETUNREACH without a route, EACCES for a broadcast without SO_BROADCAST
 * (ENETUNREACH for TCP), EAFNOSUPPORT, EADDRNOTAVAIL for port 0.
 */
int in_pcbconnect(struct inpcb *, const struct sockaddr_in *sin, struct lwp *);
/* For listen(2): EADDRINUSE if another socket's binding forbids listening. */
int in_pcblisten_check(struct inpcb *);
/* Forget the foreign end (the local address stays if it was bound). */
void in_pcbdisconnect(struct inpcb *);
/* Move a PCB to the chains that its current addresses and ports say. */
void in_pcbstate(struct inpcb *, int state);

/*
 * The source address for sending to dst: the PCB's bound address, or
 * for multicast the IP_MULTICAST_IF interface's, or the address of the
 * route's interface.  0 or ENETUNREACH, EADDRNOTAVAIL.
 */
int in_pcbselsrc(struct inpcb *, struct in_addr dst, struct in_addr *src);

/* The PCB with exactly this four-tuple; NULL if none. */
struct inpcb *in_pcblookup_connect(struct inpcbtable *, struct in_addr faddr,
    in_port_t fport, struct in_addr laddr, in_port_t lport);
/* The best unconnected PCB bound to (laddr or any, lport); NULL if none. */
struct inpcb *in_pcblookup_bind(struct inpcbtable *, struct in_addr laddr,
    in_port_t lport);
/*
 * The same, for a datagram from (faddr, fport): when the best PCBs form
 * an SO_REUSEPORT group, one of them chosen by a hash of the peer, as
 * Linux spreads datagrams (and connections) over such a group.
 */
struct inpcb *in_pcblookup_group(struct inpcbtable *, struct in_addr laddr,
    in_port_t lport, struct in_addr faddr, in_port_t fport);
/* The chain a local port's PCBs are on (for multicast and broadcast delivery). */
struct inpcbhead *in_pcbporthead(struct inpcbtable *, in_port_t lport);

/* Apply notify(inp, error) to every PCB connected to faddr (and fport if not 0). */
void in_pcbnotify(struct inpcbtable *, struct in_addr faddr, in_port_t fport,
    struct in_addr laddr, in_port_t lport, int error,
    void (*notify)(struct inpcb *, int));
/* Drop cached routes to faddr (a PMTU or redirect change). */
void in_pcbrtchange(struct inpcbtable *, struct in_addr faddr);
/* Forget an interface (cached routes, multicast options). */
void in_pcbpurgeif(struct inpcbtable *, struct ifnet *);

/* The local and foreign ends as a sockaddr_in (pr_sockaddr, pr_peeraddr). */
void in_setsockaddr(const struct inpcb *, struct sockaddr_storage *, socklen_t *);
void in_setpeeraddr(const struct inpcb *, struct sockaddr_storage *, socklen_t *);

/*
 * The IPPROTO_IP socket options every inet socket has (TTL, TOS,
 * RECVTTL, PKTINFO, multicast); ip_output.c.  ENOPROTOOPT for others.
 */
int ip_ctloutput(int op, struct socket *, struct sockopt *);

/*
 * The connection list (sysctl net.inet.<proto>.pcblist): one record per
 * PCB.  The state is the protocol's (TCP's TCPS_*), 0 for the others.
 */
struct inpcb_info {
	uint32_t ii_laddr;                      /* network byte order */
	uint32_t ii_faddr;
	uint16_t ii_lport;
	uint16_t ii_fport;
	int32_t ii_state;
	uint32_t ii_rcvcc;                      /* bytes in the receive buffer */
	uint32_t ii_sndcc;
	int32_t ii_proto;
};
/* Set by TCP to report its state in the list; NULL: 0. */
extern int (*in_pcb_statefn)(const struct inpcb *);
struct sysctlnode;
struct sysctl_req;
/* A sysctl handler whose sn_data is an inpcbtable: the list of its PCBs. */
int in_pcblist_sysctl(struct sysctlnode *, struct sysctl_req *);

#endif /* _NETINET_IN_PCB_H_ */
