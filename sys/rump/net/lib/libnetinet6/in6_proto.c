/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The IPv6 domain (AF_INET6): its protocol switch, its boot and its
 * sysctl nodes.
 *
 * Boot, as a RUMP_COMPONENT_NET_DOMAIN component: domain_attach runs
 * in6_dominit (the input queue, reassembly, the neighbour cache and
 * its Ethernet resolver hook, router discovery's timer, ::1 on lo0,
 * the sysctls), then in6_domifattach for every interface (a link-local
 * address on Ethernet ones).  TCP over IPv6 (tcp6_usrreq.c) shares
 * libnetinet's TCP and its PCB table; its counters are net.inet.tcp's.
 * Dual-stack UDP sockets take IPv4 datagrams through
 * udp_mapped_input_hook.
 *
 *   net.inet6.ip6.stats            struct ip6stat (<netinet6/in6_stat.h>)
 *   net.inet6.ip6.hlim             int rw  default hop limit (1-255)
 *   net.inet6.ip6.stable_privacy   int rw  RFC 7217 identifiers (0, 1)
 *   net.inet6.ip6.maxfrags         int rw  fragments per datagram
 *   net.inet6.ip6.fragttl          int rw  seconds to reassemble (1-255)
 *   net.inet6.icmp6.stats          struct icmp6stat
 *   net.inet6.icmp6.errratelimit   int rw  errors a second (0: no limit)
 *   net.inet6.udp6.stats           struct udp6stat
 *   net.inet6.tcp6.pcblist         struct tcp6_conninfo[] (tcp_stat.h)
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/domain.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

static void in6_dominit(void);

static const struct protosw inet6sw[] = {
	{
		.pr_type = SOCK_STREAM,
		.pr_domain = &inet6domain,
		.pr_protocol = IPPROTO_TCP,
		.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN |
		    PR_ABRTACPTDIS,
		.pr_ctloutput = tcp6_ctloutput,
		.pr_usrreqs = &tcp6_usrreqs,
	},
	{
		.pr_type = SOCK_DGRAM,
		.pr_domain = &inet6domain,
		.pr_protocol = IPPROTO_UDP,
		.pr_flags = PR_ATOMIC | PR_ADDR | PR_PURGEIF,
		.pr_ctloutput = ip6_ctloutput,
		.pr_usrreqs = &udp6_usrreqs,
	},
	{
		.pr_type = SOCK_RAW,
		.pr_domain = &inet6domain,
		.pr_protocol = IPPROTO_ICMPV6,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_ctloutput = ip6_ctloutput,
		.pr_usrreqs = &rip6_usrreqs,
	},
	{
		/* The raw wildcard: any other protocol number. */
		.pr_type = SOCK_RAW,
		.pr_domain = &inet6domain,
		.pr_protocol = 0,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_ctloutput = ip6_ctloutput,
		.pr_usrreqs = &rip6_usrreqs,
	},
};

struct domain inet6domain = {
	.dom_family = AF_INET6,
	.dom_name = "internet6",
	.dom_init = in6_dominit,
	.dom_protosw = inet6sw,
	.dom_protoswNPROTOSW = &inet6sw[__arraycount(inet6sw)],
	.dom_ifattach = in6_domifattach,
	.dom_ifdetach = in6_domifdetach,
};

#define IN6CTL_STATS     1
#define IN6CTL_HLIM      2
#define IN6CTL_STABLE    3
#define IN6CTL_MAXFRAGS  4
#define IN6CTL_ERRRATE   5
#define IN6CTL_FRAGTTL   6
#define IN6CTL_PCBLIST   7

static int
in6_sysctl_hlim(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 1, 255);
}

static int
in6_sysctl_bool(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 0, 1);
}

static int
in6_sysctl_nonneg(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 0, 1 << 20);
}

static int
in6_sysctl_maxfrags(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 1, 1024);
}

struct in6_sysctl_leaf {
	int parent;
	const char *parent_name;
	int num;
	const char *name;
	int type;
	int flags;
	void *data;
	size_t size;
	sysctlfn func;
};

static const struct in6_sysctl_leaf in6_sysctl_leaves[] = {
	{ IPPROTO_IPV6, "ip6", IN6CTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &ip6stat, sizeof(ip6stat), in_sysctl_stats },
	{ IPPROTO_IPV6, "ip6", IN6CTL_HLIM, "hlim", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &ip6_defhlim, sizeof(int), in6_sysctl_hlim },
	{ IPPROTO_IPV6, "ip6", IN6CTL_STABLE, "stable_privacy", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &ip6_stable_privacy, sizeof(int),
	  in6_sysctl_bool },
	{ IPPROTO_IPV6, "ip6", IN6CTL_MAXFRAGS, "maxfrags", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &frag6_maxfrags, sizeof(int),
	  in6_sysctl_maxfrags },
	{ IPPROTO_IPV6, "ip6", IN6CTL_FRAGTTL, "fragttl", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &frag6_ttl, sizeof(int), in6_sysctl_hlim },
	{ IPPROTO_ICMPV6, "icmp6", IN6CTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &icmp6stat, sizeof(icmp6stat), in_sysctl_stats },
	{ IPPROTO_ICMPV6, "icmp6", IN6CTL_ERRRATE, "errratelimit", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &icmp6_errratelimit, sizeof(int),
	  in6_sysctl_nonneg },
	{ IPPROTO_UDP, "udp6", IN6CTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &udp6stat, sizeof(udp6stat), in_sysctl_stats },
	{ IPPROTO_TCP, "tcp6", IN6CTL_PCBLIST, "pcblist", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, NULL, 0, tcp6_sysctl_pcblist },
};

void
in6_sysctl_init(void)
{
	struct sysctlnode *net, *inet6, *proto;
	const struct in6_sysctl_leaf *l;
	size_t i;
	int error;

	error = sysctl_create(&net, NULL, CTL_NET, "net", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&inet6, net, PF_INET6, "inet6",
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
	for (i = 0; error == 0 && i < __arraycount(in6_sysctl_leaves); i++) {
		l = &in6_sysctl_leaves[i];
		error = sysctl_create(&proto, inet6, l->parent, l->parent_name,
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
		if (error == 0)
			error = sysctl_create(NULL, proto, l->num, l->name,
			    l->type, l->flags, l->data, l->size, l->func);
	}
	if (error != 0)
		log(LOG_WARNING, "net.inet6: sysctl nodes not all made: "
		    "error %d\n", error);
}

static void
in6_dominit(void)
{
	ip6_init();
	nd6_init();
	nd6_rtr_init();
	udp6_init();
	tcp6_init();
	in6_init();
	in6_sysctl_init();
}

static void
netinet6_init(void)
{
	domain_attach(&inet6domain);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_DOMAIN, net_netinet6, netinet6_init);
