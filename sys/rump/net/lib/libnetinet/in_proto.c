/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Internet domain (AF_INET): its protocol switch and its boot.
 *
 * Boot, as a RUMP_COMPONENT_NET_DOMAIN component: domain_attach runs
 * in_dominit (the input table, reassembly, ICMP, ARP's hooks, the
 * NETISR_IP handler, 127.0.0.1/8 on lo0, the sysctl nodes), then each
 * protocol's pr_init, then in_domifattach for every interface.
 *
 * Raw sockets of a protocol listed here (ICMP, IGMP) use that entry;
 * any other protocol number finds the raw wildcard entry (protocol 0).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/domain.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>
#include <netinet/if_ether.h>

#include "netinet_private.h"

static void in_dominit(void);

/* TCP's entries (tcp_*.c). */
extern void tcp_init(void);
extern void tcp_input(struct mbuf *, int off, int proto);
extern void tcp_ctlinput(int cmd, const struct sockaddr *, void *ctx);
extern int tcp_ctloutput(int op, struct socket *, struct sockopt *);
extern const struct pr_usrreqs tcp_usrreqs;

static const struct protosw inetsw[] = {
	{
		.pr_type = SOCK_STREAM,
		.pr_domain = &inetdomain,
		.pr_protocol = IPPROTO_TCP,
		.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN |
		    PR_ABRTACPTDIS | PR_PURGEIF,
		.pr_input = tcp_input,
		.pr_ctlinput = tcp_ctlinput,
		.pr_ctloutput = tcp_ctloutput,
		.pr_usrreqs = &tcp_usrreqs,
		.pr_init = tcp_init,
	},
	{
		.pr_type = SOCK_DGRAM,
		.pr_domain = &inetdomain,
		.pr_protocol = IPPROTO_UDP,
		.pr_flags = PR_ATOMIC | PR_ADDR | PR_PURGEIF,
		.pr_input = udp_input,
		.pr_ctlinput = udp_ctlinput,
		.pr_ctloutput = ip_ctloutput,
		.pr_usrreqs = &udp_usrreqs,
		.pr_init = udp_init,
	},
	{
		.pr_type = SOCK_RAW,
		.pr_domain = &inetdomain,
		.pr_protocol = IPPROTO_ICMP,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_input = icmp_input,
		.pr_ctloutput = rip_ctloutput,
		.pr_usrreqs = &rip_usrreqs,
		.pr_init = icmp_init,
	},
	{
		.pr_type = SOCK_RAW,
		.pr_domain = &inetdomain,
		.pr_protocol = IPPROTO_IGMP,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_input = igmp_input,
		.pr_ctloutput = rip_ctloutput,
		.pr_usrreqs = &rip_usrreqs,
	},
	{
		/* The raw wildcard: any other protocol number. */
		.pr_type = SOCK_RAW,
		.pr_domain = &inetdomain,
		.pr_protocol = 0,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_ctloutput = rip_ctloutput,
		.pr_usrreqs = &rip_usrreqs,
		.pr_init = rip_init,
	},
};

static void *
in_domifattach(struct ifnet *ifp)
{
	return igmp_ifattach(ifp);
}

static void
in_domifdetach(struct ifnet *ifp, void *aux)
{
	igmp_ifdetach(ifp, aux);
}

struct domain inetdomain = {
	.dom_family = AF_INET,
	.dom_name = "internet",
	.dom_init = in_dominit,
	.dom_protosw = inetsw,
	.dom_protoswNPROTOSW = &inetsw[__arraycount(inetsw)],
	.dom_ifattach = in_domifattach,
	.dom_ifdetach = in_domifdetach,
};

static void
in_dominit(void)
{
	ip_init();
	arp_init();
	netisr_register(NETISR_IP, ip_input);
	in_init();
	in_sysctl_init();
}

static void
netinet_init(void)
{
	domain_attach(&inetdomain);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_DOMAIN, net_netinet, netinet_init);
