/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Protocol families (uipc_domain.c).  Each family's component attaches
 * its domain at init (RUMP_COMPONENT_NET_DOMAIN); domain_attach runs
 * every protocol's pr_init.  Domains are never detached.
 */
#ifndef _SYS_DOMAIN_H_
#define _SYS_DOMAIN_H_

#include <sys/types.h>
#include <sys/socket.h>

struct ifnet;
struct mbuf;
struct protosw;
struct lwp;

struct domain {
	int dom_family;                 /* AF_* */
	const char *dom_name;
	void (*dom_init)(void);
	/* Turn rights in a received control message into descriptors. */
	int (*dom_externalize)(struct mbuf *control, struct lwp *, int flags);
	/* Release rights of a control message that will not be received. */
	void (*dom_dispose)(struct mbuf *control);
	const struct protosw *dom_protosw;
	const struct protosw *dom_protoswNPROTOSW;
	/* Per-interface state of the family, made on attach, freed on detach. */
	void *(*dom_ifattach)(struct ifnet *);
	void (*dom_ifdetach)(struct ifnet *, void *);
	struct domain *dom_next;        /* domain list, stable once attached */
};

void domain_attach(struct domain *);
struct domain *pffinddomain(int family);
/* The protocol of a type in a family (the first of that type). */
const struct protosw *pffindtype(int family, int type);
/* The protocol by number and type; a raw protocol as a fallback. */
const struct protosw *pffindproto(int family, int protocol, int type);
/* Tell every protocol of every domain of a control event. */
void pfctlinput(int cmd, const struct sockaddr *);

extern struct domain *domains;

#define DOMAIN_FOREACH(dom) for ((dom) = domains; (dom) != NULL; (dom) = (dom)->dom_next)

#endif /* _SYS_DOMAIN_H_ */
