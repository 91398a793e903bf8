/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Unix domain (AF_UNIX, librumpnet_local): its protocol switch of
 * three socket types and its attach at boot, as a
 * RUMP_COMPONENT_NET_DOMAIN component.  Every socket of the domain
 * shares uipc_lock.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/domain.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>

#include "local_private.h"

kmutex_t uipc_lock;

static const struct protosw unixsw[] = {
	{
		.pr_type = SOCK_STREAM,
		.pr_domain = &unixdomain,
		.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_RIGHTS |
		    PR_LISTEN,
		.pr_usrreqs = &unp_usrreqs,
	},
	{
		.pr_type = SOCK_DGRAM,
		.pr_domain = &unixdomain,
		.pr_flags = PR_ATOMIC | PR_ADDR | PR_WANTRCVD | PR_RIGHTS,
		.pr_usrreqs = &unp_usrreqs,
	},
	{
		.pr_type = SOCK_SEQPACKET,
		.pr_domain = &unixdomain,
		.pr_flags = PR_ATOMIC | PR_CONNREQUIRED | PR_WANTRCVD |
		    PR_RIGHTS | PR_LISTEN,
		.pr_usrreqs = &unp_usrreqs,
	},
};

struct domain unixdomain = {
	.dom_family = AF_UNIX,
	.dom_name = "unix",
	.dom_externalize = unp_externalize,
	.dom_dispose = unp_dispose,
	.dom_protosw = unixsw,
	.dom_protoswNPROTOSW = &unixsw[__arraycount(unixsw)],
};

static void
local_init(void)
{
	mutex_init(&uipc_lock, MUTEX_DEFAULT, IPL_NONE);
	unp_rights_init();
	domain_attach(&unixdomain);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_DOMAIN, local, local_init);
