/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * netinet's sysctl nodes, made at the domain's boot:
 *
 *   net.inet.ip.forwarding     int rw   route between interfaces (0, 1)
 *   net.inet.ip.ttl            int rw   default TTL (1-255)
 *   net.inet.ip.fragttl        int rw   seconds to reassemble (1-255)
 *   net.inet.ip.stats          struct ipstat
 *   net.inet.icmp.stats        struct icmpstat
 *   net.inet.icmp.errratelimit int rw   ICMP errors per second (0: no limit)
 *   net.inet.igmp.stats        struct igmpstat
 *   net.inet.udp.stats         struct udpstat
 *   net.inet.udp.pcblist       struct inpcb_info[]: UDP sockets
 *   net.inet.arp.stats         struct arpstat
 *   net.inet.arp.keep          int rw   seconds a resolved entry lives
 *   net.inet.arp.maxtries      int rw   requests before giving up
 *
 * Counter structures are copied under softnet_lock, so a reader sees
 * one consistent snapshot.  TCP adds net.inet.tcp itself.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>
#include <netinet/if_ether.h>

#include "netinet_private.h"

/* Node numbers under net.inet.<proto>. */
#define INCTL_STATS        1
#define INCTL_FORWARDING   2
#define INCTL_TTL          3
#define INCTL_PCBLIST      4
#define INCTL_ERRRATELIMIT 5
#define INCTL_KEEP         6
#define INCTL_MAXTRIES     7
#define INCTL_FRAGTTL      8
#define INCTL_ARP          254  /* net.inet.arp: no protocol number of its own */

/* A read-only snapshot of a counter structure, taken under softnet_lock. */
int
in_sysctl_stats(struct sysctlnode *node, struct sysctl_req *req)
{
	void *buf;
	int error;

	if (req->sr_newp != NULL)
		return EPERM;
	if ((buf = kmem_alloc(node->sn_size, KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_enter(softnet_lock);
	memcpy(buf, node->sn_data, node->sn_size);
	mutex_exit(softnet_lock);
	error = sysctl_copyout_value(req, buf, node->sn_size);
	kmem_free(buf, node->sn_size);
	return error;
}

static int
in_sysctl_forwarding(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 0, 1);
}

static int
in_sysctl_ttl(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 1, 255);
}

static int
in_sysctl_nonneg(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 0, 1 << 30);
}

static int
in_sysctl_positive(struct sysctlnode *node, struct sysctl_req *req)
{
	return sysctl_lookup_range(node, req, 1, 1 << 20);
}

struct in_sysctl_leaf {
	int parent;                     /* protocol number */
	const char *parent_name;
	int num;
	const char *name;
	int type;
	int flags;
	void *data;
	size_t size;
	sysctlfn func;
};

static const struct in_sysctl_leaf in_sysctl_leaves[] = {
	{ IPPROTO_IP, "ip", INCTL_FORWARDING, "forwarding", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &ip_forwarding, sizeof(int), in_sysctl_forwarding },
	{ IPPROTO_IP, "ip", INCTL_TTL, "ttl", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &ip_defttl, sizeof(int), in_sysctl_ttl },
	{ IPPROTO_IP, "ip", INCTL_FRAGTTL, "fragttl", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &ip_reass_ttl, sizeof(int), in_sysctl_ttl },
	{ IPPROTO_IP, "ip", INCTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &ipstat, sizeof(ipstat), in_sysctl_stats },
	{ IPPROTO_ICMP, "icmp", INCTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &icmpstat, sizeof(icmpstat), in_sysctl_stats },
	{ IPPROTO_ICMP, "icmp", INCTL_ERRRATELIMIT, "errratelimit", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &icmp_errratelimit, sizeof(int), in_sysctl_nonneg },
	{ IPPROTO_IGMP, "igmp", INCTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &igmpstat, sizeof(igmpstat), in_sysctl_stats },
	{ IPPROTO_UDP, "udp", INCTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &udpstat, sizeof(udpstat), in_sysctl_stats },
	{ IPPROTO_UDP, "udp", INCTL_PCBLIST, "pcblist", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &udbtable, 0, in_pcblist_sysctl },
	{ INCTL_ARP, "arp", INCTL_STATS, "stats", CTLTYPE_STRUCT,
	  CTLFLAG_READONLY, &arpstat, sizeof(arpstat), in_sysctl_stats },
	{ INCTL_ARP, "arp", INCTL_KEEP, "keep", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &arp_keep, sizeof(int), in_sysctl_positive },
	{ INCTL_ARP, "arp", INCTL_MAXTRIES, "maxtries", CTLTYPE_INT,
	  CTLFLAG_READWRITE, &arp_maxtries, sizeof(int), in_sysctl_positive },
};

void
in_sysctl_init(void)
{
	struct sysctlnode *net, *inet, *proto;
	const struct in_sysctl_leaf *l;
	size_t i;
	int error;

	error = sysctl_create(&net, NULL, CTL_NET, "net", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&inet, net, PF_INET, "inet", CTLTYPE_NODE,
		    0, NULL, 0, NULL);
	for (i = 0; error == 0 && i < __arraycount(in_sysctl_leaves); i++) {
		l = &in_sysctl_leaves[i];
		error = sysctl_create(&proto, inet, l->parent, l->parent_name,
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
		if (error == 0)
			error = sysctl_create(NULL, proto, l->num, l->name, l->type,
			    l->flags, l->data, l->size, l->func);
	}
	if (error != 0)
		log(LOG_WARNING, "net.inet: sysctl nodes not all made: error %d\n",
		    error);
}
