/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Unix domain's internals, shared by its files: uipc_usrreq.c (the
 * protocol: names, connections, sending), uipc_rights.c (descriptors
 * and credentials in control messages, the collector of sockets that
 * are only in flight) and local_component.c (the domain and its boot).
 *
 * Locking: (u) uipc_lock, the so_lock of every Unix-domain socket (one
 * lock, so that a connection's two ends and the files in flight between
 * them change together), (c) stable while the PCB exists.  Lock order:
 * uipc_lock, then the VFS's locks (bind, connect), then a descriptor
 * table's fd_lock (passing rights).  Files are never released with
 * uipc_lock held (closing one may close a Unix socket): they are handed
 * to the domain's worker (unp_defer).
 */
#ifndef _LIBLOCAL_LOCAL_PRIVATE_H_
#define _LIBLOCAL_LOCAL_PRIVATE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/un.h>

struct file;
struct lwp;
struct mbuf;
struct socket;
struct vnode;

extern kmutex_t uipc_lock;

struct unpcb {
	struct socket *unp_socket;      /* c */
	/* stream, seqpacket: the other end; dgram: where sends go. */
	struct unpcb *unp_conn;         /* u */
	LIST_HEAD(, unpcb) unp_refs;    /* u: dgram sockets sending to this */
	LIST_ENTRY(unpcb) unp_reflink;  /* u: on unp_conn's unp_refs */
	LIST_ENTRY(unpcb) unp_link;     /* u: on unp_all */
	struct vnode *unp_vnode;        /* u: bound socket node, referenced */
	struct sockaddr_un unp_addr;    /* u: bound name */
	socklen_t unp_addrlen;          /* u: its length; 0 = not bound */
	struct ucred unp_listencred;    /* u: at listen(2), for peers */
	struct file *unp_file;          /* u: its file, once sent */
	unsigned unp_msgcount;          /* u: times its file is in flight */
	int unp_flags;                  /* u: UNP_* */
	unsigned unp_gcrefs;            /* u: the collector's */
	bool unp_hasoob;                /* u: stream: an urgent byte unread */
	char unp_oobbyte;               /* u: that byte */
};

#define UNP_PEERGONE 0x01       /* dgram: the socket it sent to closed */
#define UNP_NAMECOPY 0x02       /* accepted: unp_addr is its listener's */
#define UNP_GCCAND   0x10       /* collector: only in flight */
#define UNP_GCLIVE   0x20       /* collector: reachable */

LIST_HEAD(unp_head, unpcb);
extern struct unp_head unp_all;         /* u */
extern struct domain unixdomain;

static inline struct unpcb *
sotounpcb(const struct socket *so)
{
	return (struct unpcb *)so->so_pcb;
}

/* uipc_usrreq.c */
extern const struct pr_usrreqs unp_usrreqs;

/* uipc_rights.c */
void unp_rights_init(void);
/* Turn the descriptors of a control message into files in flight. */
int unp_internalize(struct mbuf **controlp, struct socket *so);
/* A control message of the current process's credentials. */
struct mbuf *unp_addcreds(void);
int unp_externalize(struct mbuf *, struct lwp *, int flags);
void unp_dispose(struct mbuf *);
/* A Unix socket closed with files in flight: run the collector. */
void unp_gc_schedule(void);
/* The unpcb of a file that is a Unix-domain socket, or NULL. */
struct unpcb *unp_fromfile(struct file *);

#endif /* _LIBLOCAL_LOCAL_PRIVATE_H_ */
