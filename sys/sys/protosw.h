/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The protocol switch: what a protocol offers the sockets layer above it
 * (pr_usrreqs, pr_ctloutput) and the layer below it (pr_input,
 * pr_ctlinput).  A domain (<sys/domain.h>) holds an array of them; the
 * sockets layer finds one by family, type and protocol number.
 *
 * Calls from the sockets layer (pr_usrreqs, pr_ctloutput) are made with
 * the socket's lock (*so->so_lock) held; a protocol may sleep only
 * through the socket's condition variables, which drop that lock.
 * Addresses are Linux's (no sa_len) with their length beside them.
 */
#ifndef _SYS_PROTOSW_H_
#define _SYS_PROTOSW_H_

#include <sys/types.h>
#include <sys/socket.h>

struct domain;
struct ifnet;
struct lwp;
struct mbuf;
struct socket;
struct sockopt;
struct stat;

struct pr_usrreqs {
	/*
	 * A new socket: set so_lock, reserve buffers, make the PCB.  Called
	 * with so_lock NULL and no lock held (socket(2): set it; returning
	 * with it held is allowed), or with so_lock already set to a
	 * listener's or partner's lock and held (sonewconn, socketpair).
	 */
	int (*pr_attach)(struct socket *, int proto);
	/* Free the PCB; the socket goes after. */
	void (*pr_detach)(struct socket *);
	/* The peer address of a socket accept(2) returns. */
	int (*pr_accept)(struct socket *, struct sockaddr_storage *, socklen_t *);
	int (*pr_bind)(struct socket *, const struct sockaddr *, socklen_t, struct lwp *);
	int (*pr_listen)(struct socket *, struct lwp *);
	int (*pr_connect)(struct socket *, const struct sockaddr *, socklen_t, struct lwp *);
	/* Join two sockets of the domain (socketpair(2)). */
	int (*pr_connect2)(struct socket *, struct socket *);
	int (*pr_disconnect)(struct socket *);
	/* No more sends (shutdown(2) SHUT_WR). */
	int (*pr_shutdown)(struct socket *);
	/* Drop an unaccepted connection of a listener. */
	int (*pr_abort)(struct socket *);
	/* Ioctls the generic layer does not answer; EOPNOTSUPP if none. */
	int (*pr_ioctl)(struct socket *, unsigned long cmd, void *data, struct ifnet *);
	int (*pr_stat)(struct socket *, struct stat *);
	int (*pr_peeraddr)(struct socket *, struct sockaddr_storage *, socklen_t *);
	int (*pr_sockaddr)(struct socket *, struct sockaddr_storage *, socklen_t *);
	/* The reader took data: a window may open (PR_WANTRCVD). */
	int (*pr_rcvd)(struct socket *, int flags, struct lwp *);
	int (*pr_recvoob)(struct socket *, struct mbuf *, int flags);
	/*
	 * Send the chain m (to nam, if not NULL) with control; the protocol
	 * owns and frees m and control whatever it returns.
	 */
	int (*pr_send)(struct socket *, struct mbuf *m, const struct sockaddr *nam,
	    socklen_t namlen, struct mbuf *control, struct lwp *);
	int (*pr_sendoob)(struct socket *, struct mbuf *, struct mbuf *control);
	/* Forget references to an interface that is going away. */
	int (*pr_purgeif)(struct socket *, struct ifnet *);
};

struct protosw {
	int pr_type;                    /* SOCK_* */
	struct domain *pr_domain;
	short pr_protocol;              /* IPPROTO_*, or 0 */
	short pr_flags;                 /* PR_* */
	/* Input from below: a packet whose header for us begins at off. */
	void (*pr_input)(struct mbuf *, int off, int proto);
	/* An ICMP-style control event (PRC_*) about the address sa. */
	void (*pr_ctlinput)(int cmd, const struct sockaddr *sa, void *ctx);
	/* getsockopt(2)/setsockopt(2) of its level (PRCO_GETOPT/SETOPT). */
	int (*pr_ctloutput)(int op, struct socket *, struct sockopt *);
	const struct pr_usrreqs *pr_usrreqs;
	void (*pr_init)(void);
	/* Free what can be freed under memory pressure. */
	void (*pr_drain)(void);
};

/* pr_flags */
#define PR_ATOMIC       0x01    /* sends are whole records (datagrams) */
#define PR_ADDR         0x02    /* each received record carries an address */
#define PR_CONNREQUIRED 0x04    /* sends need a connection */
#define PR_WANTRCVD     0x08    /* call pr_rcvd when the reader takes data */
#define PR_RIGHTS       0x10    /* passes access rights (SCM_RIGHTS) */
#define PR_LISTEN       0x20    /* supports listen(2) */
#define PR_ABRTACPTDIS  0x40    /* an aborted connection is ECONNABORTED at accept */
#define PR_PURGEIF      0x80    /* has pr_purgeif */

/* pr_ctloutput op */
#define PRCO_GETOPT 0
#define PRCO_SETOPT 1

/* pr_ctlinput commands */
#define PRC_IFDOWN        0
#define PRC_ROUTEDEAD     1
#define PRC_QUENCH        4
#define PRC_MSGSIZE       5     /* fragmentation needed: ctx has the MTU */
#define PRC_HOSTDEAD      6
#define PRC_UNREACH_NET   8
#define PRC_UNREACH_HOST  9
#define PRC_UNREACH_PROTOCOL 10
#define PRC_UNREACH_PORT  11
#define PRC_UNREACH_SRCFAIL 13
#define PRC_REDIRECT_NET  14
#define PRC_REDIRECT_HOST 15
#define PRC_TIMXCEED_INTRANS 18
#define PRC_TIMXCEED_REASS 19
#define PRC_PARAMPROB     20
#define PRC_NCMDS         21

/*
 * A socket option on its way between the system call and a protocol:
 * sopt_data is a kernel copy of the caller's buffer.
 */
struct sockopt {
	int sopt_level;
	int sopt_name;
	void *sopt_data;
	size_t sopt_size;               /* set: given; get: room, then used */
};

/* Copy an option's value in from a set (EINVAL if shorter than len). */
int sockopt_get(const struct sockopt *, void *buf, size_t len);
int sockopt_getint(const struct sockopt *, int *);
/* Store a value for a get, truncating to the caller's room as Linux does. */
int sockopt_set(struct sockopt *, const void *buf, size_t len);
int sockopt_setint(struct sockopt *, int);

#endif /* _SYS_PROTOSW_H_ */
