/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Protocol families: the list of attached domains and the lookups the
 * sockets layer makes in their protocol switches.
 *
 * Domains attach at boot (RUMP_COMPONENT_NET_DOMAIN) and are never
 * detached, so the list is read without a lock; it grows under
 * softnet_lock, which also orders a domain's attach against interfaces
 * attaching (dom_ifattach).
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/domain.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <net/if.h>

#include "net_private.h"

struct domain *domains;                 /* softnet_lock for writes */

/*
 * Initialise the domain and its protocols, then publish it and give it
 * the interfaces already attached, both under softnet_lock: if_attach
 * runs dom_ifattach for the domains it finds under the same lock, so
 * each interface gets the family's state exactly once.
 */
void
domain_attach(struct domain *dp)
{
	const struct protosw *pr;
	struct domain **dpp;
	struct ifnet *ifp;

	if (dp->dom_init != NULL)
		dp->dom_init();
	for (pr = dp->dom_protosw; pr < dp->dom_protoswNPROTOSW; pr++)
		if (pr->pr_init != NULL)
			pr->pr_init();
	mutex_enter(softnet_lock);
	/* Keep the list in attach order: lookups find the first attached. */
	for (dpp = &domains; *dpp != NULL; dpp = &(*dpp)->dom_next)
		KASSERTMSG(*dpp != dp, "domain %s attached twice",
		    dp->dom_name);
	dp->dom_next = NULL;
	atomic_store_release(dpp, dp);
	if (dp->dom_ifattach != NULL) {
		mutex_enter(&ifnet_lock);
		TAILQ_FOREACH(ifp, &ifnet_list, if_list)
			ifp->if_afdata[dp->dom_family] = dp->dom_ifattach(ifp);
		mutex_exit(&ifnet_lock);
	}
	mutex_exit(softnet_lock);
}

struct domain *
pffinddomain(int family)
{
	struct domain *dp;

	DOMAIN_FOREACH(dp)
		if (dp->dom_family == family)
			return dp;
	return NULL;
}

const struct protosw *
pffindtype(int family, int type)
{
	const struct protosw *pr;
	struct domain *dp;

	if ((dp = pffinddomain(family)) == NULL)
		return NULL;
	for (pr = dp->dom_protosw; pr < dp->dom_protoswNPROTOSW; pr++)
		if (pr->pr_type == type && pr->pr_usrreqs != NULL)
			return pr;
	return NULL;
}

const struct protosw *
pffindproto(int family, int protocol, int type)
{
	const struct protosw *pr, *raw = NULL;
	struct domain *dp;

	if (family == AF_UNSPEC || (dp = pffinddomain(family)) == NULL)
		return NULL;
	for (pr = dp->dom_protosw; pr < dp->dom_protoswNPROTOSW; pr++) {
		if (pr->pr_usrreqs == NULL)
			continue;
		if (pr->pr_protocol == protocol && pr->pr_type == type)
			return pr;
		/* The family's raw protocol takes any not listed. */
		if (type == SOCK_RAW && pr->pr_type == SOCK_RAW &&
		    pr->pr_protocol == 0 && raw == NULL)
			raw = pr;
	}
	return raw;
}

void
pfctlinput(int cmd, const struct sockaddr *sa)
{
	const struct protosw *pr;
	struct domain *dp;

	DOMAIN_FOREACH(dp)
		for (pr = dp->dom_protosw; pr < dp->dom_protoswNPROTOSW; pr++)
			if (pr->pr_ctlinput != NULL)
				pr->pr_ctlinput(cmd, sa, NULL);
}
