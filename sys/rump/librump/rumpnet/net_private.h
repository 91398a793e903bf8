/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of librumpnet share among themselves: the boot steps
 * net_component.c runs in order, and the sockets layer's internal
 * helpers.  Nothing here is for protocols or clients.
 */
#ifndef _RUMPNET_NET_PRIVATE_H_
#define _RUMPNET_NET_PRIVATE_H_

#include <sys/mbuf.h>

struct file;
struct mbuf;
struct sockbuf;
struct socket;
struct lwp;

/*
 * Boot, in net_component.c's order: mbinit (uipc_mbuf.c), softnet_lock,
 * soinit, then netisr_init, route_init and ifinit (link's
 * files, which add their prototypes here).
 */

/* uipc_socket.c: the socket pool and counters. */
void soinit(void);
/*
 * uipc_socket.c: a socket for a listener's incoming connection, with the
 * listener's protocol, options and lock, attached to the protocol; NULL
 * if out of memory or the protocol refused.  head's lock held.
 */
struct socket *soalloc_conn(struct socket *head);
/*
 * uipc_socket.c: give a socket whose protocol let go of it (so_pcb NULL,
 * a descriptor still open) a new PCB before it is used again.  Lock held.
 */
int soreattach(struct socket *so);

/*
 * uipc_socket2.c: take the first mbuf off a buffer (uncounted), the rest
 * of its record staying first.
 */
struct mbuf *sbunlinkhead(struct sockbuf *);
/*
 * uipc_socket2.c: sbwait with the buffer's timeout counted from the first
 * wait of a call (*deadlinep 0 before it), not from each wakeup.
 */
int sbwait_until(struct sockbuf *, struct socket *, uint64_t *deadlinep);

/* Whether an mbuf of a socket buffer holds data (not an address or control). */
static inline bool
m_isdata(const struct mbuf *m)
{
	return m->m_type == MT_DATA || m->m_type == MT_HEADER ||
	    m->m_type == MT_OOBDATA;
}

/* sys_socket.c: the fileops of sockets. */
extern const struct fileops socketops;

/* uipc_socket.c: sockets alive now, for the tests. */
unsigned long socket_count(void);

/*
 * Link's boot steps, run by net_init after softnet_lock exists and
 * before any domain attaches: netisr.c (the protocol input queues),
 * route.c (the routing tables), if.c (the interface list; attaches lo0
 * through if_loop.c's loop_attach).
 */
void netisr_init(void);
void route_init(void);
void ifinit(void);
void loop_attach(void);

#endif /* _RUMPNET_NET_PRIVATE_H_ */
