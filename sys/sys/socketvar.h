/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Sockets (uipc_socket.c, uipc_socket2.c, sys_socket.c).
 *
 * A socket is a protocol's endpoint as the system calls see it: two
 * socket buffers (receive and send), connection state, and for a
 * listener the queues of connections not yet accepted.  Its protocol
 * (so_proto) keeps its own state in so_pcb.
 *
 * Locking: (s) *so_lock, set by the protocol at attach and shared by
 * every socket whose state one event may change together (all of a
 * netinet stack's sockets share softnet_lock, so input from the network
 * and system calls serialise on it; two connected Unix-domain sockets
 * share theirs).  It covers the socket and both of its buffers.  Waits
 * are cv_wait on so_cv or a buffer's sb_cv with so_lock, so sleeping
 * releases it.  (c) stable after creation.
 *
 * Lifecycle: socreate → (bind, connect | listen) → soclose.  A socket
 * made by a listener for an incoming connection sits on so_q0 while the
 * protocol sets it up, moves to so_q when soisconnected() is called,
 * and leaves it at accept(2).  A socket is freed when it has no
 * descriptor (SS_NOFDREF) and its protocol has detached (so_pcb NULL).
 */
#ifndef _SYS_SOCKETVAR_H_
#define _SYS_SOCKETVAR_H_

#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>

struct kauth_cred;
struct lwp;
struct mbuf;
struct protosw;
struct sockopt;
struct uio;

extern kmutex_t *softnet_lock;

/* Locking: (s) the socket's lock. */
struct sockbuf {
	struct selinfo sb_sel;          /* s: pollers */
	kcondvar_t sb_cv;               /* waiters for data or room */
	struct mbuf *sb_mb;             /* s: the records, by m_nextpkt */
	struct mbuf *sb_mbtail;         /* s: last mbuf of the chain */
	struct mbuf *sb_lastrecord;     /* s: first mbuf of the last record */
	u_long sb_cc;                   /* s: bytes of data */
	u_long sb_hiwat;                /* s: most bytes of data */
	u_long sb_mbcnt;                /* s: bytes of storage (mbufs and clusters) */
	u_long sb_mbmax;                /* s: most bytes of storage */
	long sb_lowat;                  /* s: SO_RCVLOWAT / SO_SNDLOWAT */
	struct timespec sb_timeo;       /* s: SO_RCVTIMEO / SO_SNDTIMEO; 0 = none */
	int sb_flags;                   /* s: SB_* */
	bool sb_busy;                   /* s: one reader/writer at a time (sblock) */
	u_long sb_overflowed;           /* s: records dropped for want of room */
};

#define SB_AUTOSIZE 0x01                /* buffer size grows with demand */
#define SB_NOINTR   0x02                /* waits are not interruptible */
#define SB_USERSIZE 0x04                /* size set by SO_RCVBUF/SO_SNDBUF */
#define SB_PEERFULL 0x08                /* so_snd: the peer takes nothing now
					 * (no POLLOUT) */

struct socket {
	kmutex_t *so_lock;              /* s: set by pr_attach */
	kcondvar_t so_cv;               /* connect, accept and close wait here */
	short so_type;                  /* c: SOCK_* */
	short so_family;                /* c: AF_* */
	int so_options;                 /* s: SOF_* */
	int so_linger;                  /* s: seconds */
	int so_state;                   /* s: SS_* */
	int so_error;                   /* s: pending error (SO_ERROR) */
	int so_rerror;                  /* s: pending receive error */
	const struct protosw *so_proto; /* c */
	void *so_pcb;                   /* s: the protocol's state */

	/* A listener's connections; so_head of each is the listener. */
	struct socket *so_head;         /* s */
	TAILQ_HEAD(, socket) so_q0;     /* s: incomplete */
	TAILQ_HEAD(, socket) so_q;      /* s: complete, not accepted */
	TAILQ_ENTRY(socket) so_qe;      /* s: on the head's so_q0 or so_q */
	int so_onq;                     /* s: 0, or which queue (0 or 1) + 1 */
	int so_q0len;                   /* s */
	int so_qlen;                    /* s */
	int so_qlimit;                  /* s: listen backlog */

	u_long so_oobmark;              /* s: bytes before the urgent mark */
	struct sockbuf so_rcv;
	struct sockbuf so_snd;

	struct kauth_cred *so_cred;     /* c: the creator's credential */
	pid_t so_cpid;                  /* c: the creator's pid */
	struct ucred so_peercred;       /* s: SO_PEERCRED, where the domain has it */
	bool so_peercred_valid;         /* s */
	int so_count;                   /* s: references by pending wakeups */
};

/* so_options: what the SO_* booleans set. */
#define SOF_DEBUG      0x0001
#define SOF_ACCEPTCONN 0x0002           /* listening */
#define SOF_REUSEADDR  0x0004
#define SOF_KEEPALIVE  0x0008
#define SOF_DONTROUTE  0x0010
#define SOF_BROADCAST  0x0020
#define SOF_LINGER     0x0080
#define SOF_OOBINLINE  0x0100
#define SOF_REUSEPORT  0x0200
#define SOF_TIMESTAMP  0x0400
#define SOF_PASSCRED   0x0800

/* so_state */
#define SS_NOFDREF         0x0001       /* no descriptor refers to it */
#define SS_ISCONNECTED     0x0002
#define SS_ISCONNECTING    0x0004
#define SS_ISDISCONNECTING 0x0008
#define SS_CANTSENDMORE    0x0010       /* no more sends */
#define SS_CANTRCVMORE     0x0020       /* no more data will arrive */
#define SS_RCVATMARK       0x0040       /* at the urgent mark */
#define SS_NBIO            0x0100       /* non-blocking */
#define SS_ISDISCONNECTED  0x0800
#define SS_ISABORTING      0x1000
#define SS_POLLPRI         0x2000       /* urgent data not yet read (POLLPRI) */

/* Room left in a buffer, in bytes (may be negative). */
long sbspace(const struct sockbuf *);
/* Set a buffer's size; false if over the kernel's limit. */
bool soreserve(struct socket *, u_long sndcc, u_long rcvcc);
bool sbreserve(struct sockbuf *, u_long cc, struct socket *);
void sbrelease(struct sockbuf *, struct socket *);
/* Append to the last record (a stream). */
void sbappend(struct sockbuf *, struct mbuf *);
void sbappendstream(struct sockbuf *, struct mbuf *);
/* Append a new record. */
void sbappendrecord(struct sockbuf *, struct mbuf *);
/*
 * Append a datagram with its sender's address and control; false (and
 * nothing consumed: the caller frees) if there is no room.
 */
bool sbappendaddr(struct sockbuf *, const struct sockaddr *, socklen_t,
    struct mbuf *m, struct mbuf *control);
bool sbappendcontrol(struct sockbuf *, struct mbuf *m, struct mbuf *control);
/* Drop len bytes from the front; drop the first record; drop everything. */
void sbdrop(struct sockbuf *, int len);
void sbdroprecord(struct sockbuf *);
void sbflush(struct sockbuf *);
/* Wait for a change in a buffer (so_lock held); EWOULDBLOCK at sb_timeo. */
int sbwait(struct sockbuf *, struct socket *);
/* One reader or writer at a time. */
int sblock(struct sockbuf *, struct socket *, int wf);
void sbunlock(struct sockbuf *, struct socket *);

/* Wake readers, writers (and pollers) of a socket. */
void sorwakeup(struct socket *);
void sowwakeup(struct socket *);

/* State changes a protocol reports. */
void soisconnecting(struct socket *);
void soisconnected(struct socket *);
void soisdisconnecting(struct socket *);
void soisdisconnected(struct socket *);
void socantsendmore(struct socket *);
void socantrcvmore(struct socket *);
void sohasoutofband(struct socket *);
/*
 * A new socket for an incoming connection on listener head, with the
 * head's options, on so_q0 (or on so_q if connected is true); NULL when
 * the queues are full or memory is short.
 */
struct socket *sonewconn(struct socket *head, bool connected);
/* Take a socket off its listener's queue; false if it was not on q. */
bool soqremque(struct socket *, int q);

/* The operations behind the system calls (uipc_socket.c). */
int socreate(int family, struct socket **, int type, int proto, struct lwp *,
    struct socket *lockso);
int sobind(struct socket *, const struct sockaddr *, socklen_t, struct lwp *);
int solisten(struct socket *, int backlog, struct lwp *);
int soaccept(struct socket *, struct sockaddr_storage *, socklen_t *);
int soconnect(struct socket *, const struct sockaddr *, socklen_t, struct lwp *);
int soconnect2(struct socket *, struct socket *);
int sodisconnect(struct socket *);
int soshutdown(struct socket *, int how);
int soclose(struct socket *);
void soabort(struct socket *);
int sosend(struct socket *, const struct sockaddr *, socklen_t, struct uio *,
    struct mbuf *top, struct mbuf *control, int flags, struct lwp *);
int soreceive(struct socket *, struct sockaddr_storage *from, socklen_t *fromlen,
    struct uio *, struct mbuf **mp0, struct mbuf **controlp, int *flagsp);
int sosetopt(struct socket *, struct sockopt *);
int sogetopt(struct socket *, struct sockopt *);
/*
 * Free a socket that has no descriptor (SS_NOFDREF) and no PCB; does
 * nothing otherwise.  Called with so_lock held, returns with it held (the
 * lock is never the socket's own).
 */
void sofree(struct socket *);

void solock(struct socket *);
void sounlock(struct socket *);
bool solocked(const struct socket *);

/* A control message of one cmsghdr; NULL if out of memory. */
struct mbuf *sbcreatecontrol(const void *data, int size, int type, int level);

#endif /* _SYS_SOCKETVAR_H_ */
