/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * librumpnet_net's boot, as a RUMP_COMPONENT_NET_DOMAIN component (after
 * librumpnet's core, before the interfaces): the Ethernet counters under
 * net.ether (PF_PACKET's number, the link level), the routing socket's
 * domain (AF_ROUTE) and the host-link drivers' list (if_etherlink.c).
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <net/if_ether.h>

#include "net_net_private.h"

static void
ether_sysctl_init(void)
{
	struct sysctlnode *net, *ether;
	int error;

	error = sysctl_create(&net, NULL, CTL_NET, "net", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&ether, net, AF_PACKET, "ether",
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(NULL, ether, 1, "stats", CTLTYPE_STRUCT,
		    CTLFLAG_READONLY, &etherstat, sizeof(etherstat), NULL);
	if (error != 0)
		log(LOG_WARNING, "net.ether.stats: not created: error %d\n",
		    error);
}

static void
net_net_init(void)
{
	ether_sysctl_init();
	rtsock_init();
	etherlink_boot();
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_DOMAIN, net_net, net_net_init);
