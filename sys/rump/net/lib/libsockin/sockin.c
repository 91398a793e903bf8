/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * sockin: PF_INET and PF_INET6 sockets served by the host's own sockets,
 * for clients that want the rump kernel's socket calls (descriptors,
 * poll, processes) on the host's TCP/IP rather than a stack of the
 * kernel's own.  It takes the place of netinet: linking both is refused
 * at boot (see sockin_component_init).
 *
 * Each socket is a host socket (sockin_user.c, non-blocking) and a
 * sockin_pcb.  The kernel's socket buffers stay the place readers and
 * writers wait on, so the sockets layer above works unchanged:
 *   output: pr_send appends to so_snd (streams) and pushes what the
 *     host takes; the rest goes when the host socket is writable again
 *   input: a kernel thread, "sockin", waits in epoll (its virtual CPU
 *     given up) for the host sockets that may move: readable ones are
 *     read into so_rcv while it has room, writable ones drain so_snd,
 *     a listener's connections are accepted into its queue (sonewconn),
 *     a connect in progress completes or fails (SO_ERROR)
 * A socket is watched for reading only while its receive buffer has
 * room, so a slow reader backs the host's window up instead of growing
 * memory; pr_rcvd watches again.
 *
 * Locking: every sockin socket's so_lock is sockin_lock, which also
 * covers the pcbs and the table of them; host calls made under it never
 * block.  The thread looks a pcb up by its id for each event, so an
 * event for a socket closed meanwhile finds nothing.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/component.h>
#include <sys/domain.h>
#include <sys/ioctl.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
#include <sys/queue.h>
#include <sys/reboot.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <rump/rump.h>

#include "sockin_user.h"

#define SOCKIN_SNDSPACE (256 << 10)
#define SOCKIN_RCVSPACE (256 << 10)
#define SOCKIN_DGRAMMAX 65536           /* the largest datagram read */
#define SOCKIN_IOVMAX   64
#define SOCKIN_HASHSIZE 256

/* Locking: (s) sockin_lock. */
struct sockin_pcb {
	struct socket *sp_so;           /* s */
	int sp_fd;                      /* s: the host socket */
	uint64_t sp_id;                 /* s: the cookie of its events */
	unsigned sp_watch;              /* s: SOCKIN_IN/OUT watched now */
	bool sp_connecting;             /* s: a connect in progress */
	bool sp_listening;              /* s */
	bool sp_rcvdone;                /* s: end of stream seen */
	bool sp_shutwr;                 /* s: SHUT_WR once so_snd is empty */
	LIST_ENTRY(sockin_pcb) sp_hash; /* s */
};

static kmutex_t sockin_lock;
static LIST_HEAD(, sockin_pcb) sockin_table[SOCKIN_HASHSIZE]; /* s */
static uint64_t sockin_nextid;          /* s */
static int sockin_accepted_fd = -1;     /* s: for the attach in sonewconn */
static struct lwp *sockin_thread;
static bool sockin_dying;               /* a */

static struct sockin_pcb *
sockin_lookup(uint64_t id)
{
	struct sockin_pcb *sp;

	KASSERT(mutex_owned(&sockin_lock));
	LIST_FOREACH(sp, &sockin_table[id % SOCKIN_HASHSIZE], sp_hash)
		if (sp->sp_id == id)
			return sp;
	return NULL;
}

/* Watch the host socket for what its state calls for now. */
static void
sockin_rewatch(struct sockin_pcb *sp)
{
	struct socket *so = sp->sp_so;
	unsigned want = 0;

	KASSERT(mutex_owned(&sockin_lock));
	/* A stream neither connected nor listening has nothing to say. */
	if (so->so_type == SOCK_STREAM && !sp->sp_listening &&
	    !sp->sp_connecting && !(so->so_state & SS_ISCONNECTED))
		want = 0;
	else {
		if (sp->sp_listening ||
		    (!sp->sp_rcvdone && sbspace(&so->so_rcv) > 0))
			want |= SOCKIN_IN;
		if (sp->sp_connecting || so->so_snd.sb_cc > 0)
			want |= SOCKIN_OUT;
	}
	if (want != sp->sp_watch &&
	    rumpcomp_sockin_watch(sp->sp_fd, want, sp->sp_id) == 0)
		sp->sp_watch = want;
}

/* An iovec over an mbuf chain's first len bytes; the count. */
static int
sockin_iov(struct mbuf *m, long len, struct iovec *iov)
{
	int n = 0;

	for (; m != NULL && len > 0 && n < SOCKIN_IOVMAX; m = m->m_next) {
		if (m->m_len == 0)
			continue;
		iov[n].iov_base = mtod(m, void *);
		iov[n].iov_len = (size_t)MIN((long)m->m_len, len);
		len -= (long)iov[n].iov_len;
		n++;
	}
	return n;
}

/* Push what the host takes of so_snd; wake writers for the room made. */
static void
sockin_push(struct sockin_pcb *sp)
{
	struct socket *so = sp->sp_so;
	struct iovec iov[SOCKIN_IOVMAX];
	unsigned long sent;
	int n, error;

	while (so->so_snd.sb_cc > 0) {
		n = sockin_iov(so->so_snd.sb_mb, (long)so->so_snd.sb_cc, iov);
		error = rumpcomp_sockin_sendmsg(sp->sp_fd, iov, n, NULL, 0, 0,
		    &sent);
		if (error == EAGAIN)
			break;
		if (error != 0) {
			so->so_error = error;
			sbflush(&so->so_snd);
			socantsendmore(so);
			break;
		}
		sbdrop(&so->so_snd, (int)sent);
		sowwakeup(so);
	}
	if (so->so_snd.sb_cc == 0 && sp->sp_shutwr) {
		(void)rumpcomp_sockin_shutdown(sp->sp_fd, SHUT_WR);
		sp->sp_shutwr = false;
	}
	sockin_rewatch(sp);
}

/* Read what the host has while so_rcv has room. */
static void
sockin_pull(struct sockin_pcb *sp)
{
	struct socket *so = sp->sp_so;
	struct sockaddr_storage from;
	struct iovec iov;
	unsigned long got;
	unsigned fromlen;
	struct mbuf *m;
	long space;
	int error, flags, size;

	for (;;) {
		space = sbspace(&so->so_rcv);
		if (sp->sp_rcvdone || (so->so_type == SOCK_STREAM && space <= 0))
			break;
		size = so->so_type == SOCK_STREAM ?
		    (space >= MJUM16BYTES ? MJUM16BYTES : MCLBYTES) :
		    MJUM64BYTES;
		if ((m = m_getjcl(M_DONTWAIT, MT_DATA, M_PKTHDR, size)) == NULL)
			break;          /* memory is short: try at the next event */
		iov.iov_base = mtod(m, void *);
		iov.iov_len = (size_t)(so->so_type == SOCK_STREAM ?
		    MIN(space, size) : size);
		fromlen = sizeof(from);
		error = rumpcomp_sockin_recvmsg(sp->sp_fd, &iov, 1,
		    so->so_type == SOCK_STREAM ? NULL : &from,
		    so->so_type == SOCK_STREAM ? NULL : &fromlen, 0, &got,
		    &flags);
		if (error != 0 || (got == 0 && so->so_type == SOCK_STREAM)) {
			m_freem(m);
			if (error == EAGAIN)
				break;
			if (error != 0)
				so->so_error = error;
			sp->sp_rcvdone = true;
			socantrcvmore(so);
			break;
		}
		m->m_len = m->m_pkthdr.len = (int)got;
		if (so->so_type == SOCK_STREAM)
			sbappendstream(&so->so_rcv, m);
		else if (!sbappendaddr(&so->so_rcv, (struct sockaddr *)&from,
		    fromlen, m, NULL)) {
			m_freem(m);
			so->so_rcv.sb_overflowed++;
		}
		sorwakeup(so);
	}
	sockin_rewatch(sp);
}

static int sockin_attach(struct socket *, int);

/* Take the listener's waiting connections into its accept queue. */
static void
sockin_accept_all(struct sockin_pcb *sp)
{
	struct socket *so2;
	int fd;

	while (rumpcomp_sockin_accept(sp->sp_fd, &fd) == 0) {
		sockin_accepted_fd = fd;
		so2 = sonewconn(sp->sp_so, true);
		if (sockin_accepted_fd != -1) {
			/* The queue is full: refuse, as a full backlog does. */
			(void)rumpcomp_sockin_close(fd);
			sockin_accepted_fd = -1;
		}
		if (so2 != NULL)
			sockin_rewatch(so2->so_pcb);
	}
}

static void
sockin_connected(struct sockin_pcb *sp)
{
	struct socket *so = sp->sp_so;
	unsigned len = sizeof(int);
	int error = 0;

	sp->sp_connecting = false;
	if (rumpcomp_sockin_getsockopt(sp->sp_fd, SOL_SOCKET, SO_ERROR,
	    &error, &len) == 0 && error == 0)
		soisconnected(so);
	else {
		so->so_error = error != 0 ? error : ECONNREFUSED;
		soisdisconnected(so);
	}
	sockin_rewatch(sp);
}

static void
sockin_event(struct sockin_pcb *sp, unsigned ev)
{
	if (sp->sp_listening) {
		sockin_accept_all(sp);
		return;
	}
	if (sp->sp_connecting && (ev & (SOCKIN_OUT | SOCKIN_ERR | SOCKIN_HUP)))
		sockin_connected(sp);
	if (ev & (SOCKIN_IN | SOCKIN_HUP | SOCKIN_ERR))
		sockin_pull(sp);
	if (ev & (SOCKIN_OUT | SOCKIN_ERR))
		sockin_push(sp);
}

static void
sockin_poll(void *arg)
{
	struct sockin_event ev[64];
	struct sockin_pcb *sp;
	int n, error;

	(void)arg;
	while (!atomic_load_acquire(&sockin_dying)) {
		rump_unschedule();
		error = rumpcomp_sockin_wait(ev, 64, &n);
		rump_schedule();
		if (error != 0) {
			log(LOG_ERR, "sockin: waiting for host sockets failed "
			    "(error %d)\n", error);
			break;
		}
		mutex_enter(&sockin_lock);
		for (int i = 0; i < n; i++)
			if ((sp = sockin_lookup(ev[i].se_cookie)) != NULL)
				sockin_event(sp, ev[i].se_events);
		mutex_exit(&sockin_lock);
	}
	kthread_exit(0);
}

/*
 * The protocol.
 */
static int
sockin_attach(struct socket *so, int proto)
{
	struct sockin_pcb *sp;
	int fd, error;

	if (so->so_lock == NULL)
		so->so_lock = &sockin_lock;
	if (!mutex_owned(&sockin_lock))
		mutex_enter(&sockin_lock);
	if (sockin_accepted_fd != -1) {
		fd = sockin_accepted_fd;
		sockin_accepted_fd = -1;
	} else if ((error = rumpcomp_sockin_socket(so->so_family,
	    so->so_type, proto, &fd)) != 0)
		return error;
	if (!soreserve(so, SOCKIN_SNDSPACE, SOCKIN_RCVSPACE) ||
	    (sp = kmem_zalloc(sizeof(*sp), KM_SLEEP)) == NULL) {
		(void)rumpcomp_sockin_close(fd);
		return ENOBUFS;
	}
	sp->sp_so = so;
	sp->sp_fd = fd;
	sp->sp_id = ++sockin_nextid;
	LIST_INSERT_HEAD(&sockin_table[sp->sp_id % SOCKIN_HASHSIZE], sp,
	    sp_hash);
	so->so_pcb = sp;
	/* A datagram socket reads from the start; a stream once connected. */
	sockin_rewatch(sp);
	return 0;
}

static void
sockin_detach(struct socket *so)
{
	struct sockin_pcb *sp = so->so_pcb;

	KASSERT(solocked(so));
	LIST_REMOVE(sp, sp_hash);
	(void)rumpcomp_sockin_close(sp->sp_fd);
	so->so_pcb = NULL;
	kmem_free(sp, sizeof(*sp));
}

/* The host socket's own or peer address. */
static int
sockin_getname(struct socket *so, int peer, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	struct sockin_pcb *sp = so->so_pcb;
	unsigned len = sizeof(*ss);
	int error;

	error = rumpcomp_sockin_getname(sp->sp_fd, peer, ss, &len);
	*lenp = len;
	return error;
}

static int
sockin_accept(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	return sockin_getname(so, 1, ss, lenp);
}

static int
sockin_bind(struct socket *so, const struct sockaddr *sa, socklen_t len,
    struct lwp *l)
{
	struct sockin_pcb *sp = so->so_pcb;

	(void)l;
	return rumpcomp_sockin_bind(sp->sp_fd, sa, len);
}

static int
sockin_listen(struct socket *so, struct lwp *l)
{
	struct sockin_pcb *sp = so->so_pcb;
	int error;

	(void)l;
	if ((error = rumpcomp_sockin_listen(sp->sp_fd, so->so_qlimit)) != 0)
		return error;
	sp->sp_listening = true;
	sockin_rewatch(sp);
	return 0;
}

static int
sockin_connect(struct socket *so, const struct sockaddr *sa, socklen_t len,
    struct lwp *l)
{
	struct sockin_pcb *sp = so->so_pcb;
	int error;

	(void)l;
	error = rumpcomp_sockin_connect(sp->sp_fd, sa, len);
	if (so->so_type != SOCK_STREAM) {
		if (error == 0)
			soisconnected(so);
		sockin_rewatch(sp);
		return error;
	}
	if (error == 0) {
		soisconnected(so);
		sockin_rewatch(sp);
		return 0;
	}
	if (error != EINPROGRESS)
		return error;
	soisconnecting(so);
	sp->sp_connecting = true;
	sockin_rewatch(sp);
	return 0;
}

static int
sockin_disconnect(struct socket *so)
{
	struct sockin_pcb *sp = so->so_pcb;
	struct sockaddr sa = { .sa_family = AF_UNSPEC };

	/* A datagram socket forgets its peer: connect to AF_UNSPEC. */
	if (so->so_type == SOCK_STREAM)
		return ENOTCONN;
	(void)rumpcomp_sockin_connect(sp->sp_fd, &sa, sizeof(sa));
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
sockin_shutdown(struct socket *so)
{
	struct sockin_pcb *sp = so->so_pcb;

	socantsendmore(so);
	if (so->so_type != SOCK_STREAM)
		return rumpcomp_sockin_shutdown(sp->sp_fd, SHUT_WR);
	sp->sp_shutwr = true;
	sockin_push(sp);
	return 0;
}

static int
sockin_abort(struct socket *so)
{
	soisdisconnected(so);
	return 0;
}

static int
sockin_ioctl(struct socket *so, unsigned long cmd, void *data,
    struct ifnet *ifp)
{
	(void)so;
	(void)cmd;
	(void)data;
	(void)ifp;
	return EOPNOTSUPP;
}

static int
sockin_stat(struct socket *so, struct stat *st)
{
	(void)so;
	(void)st;
	return 0;
}

static int
sockin_peeraddr(struct socket *so, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	return sockin_getname(so, 1, ss, lenp);
}

static int
sockin_sockaddr(struct socket *so, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	return sockin_getname(so, 0, ss, lenp);
}

static int
sockin_rcvd(struct socket *so, int flags, struct lwp *l)
{
	(void)flags;
	(void)l;
	/* Room again: read on (and watch, should the host have nothing). */
	sockin_pull(so->so_pcb);
	return 0;
}

static int
sockin_send(struct socket *so, struct mbuf *m, const struct sockaddr *to,
    socklen_t tolen, struct mbuf *control, struct lwp *l)
{
	struct sockin_pcb *sp = so->so_pcb;
	struct iovec iov[SOCKIN_IOVMAX];
	unsigned long sent;
	int error = 0, n;

	(void)l;
	m_freem(control);
	if (so->so_type == SOCK_STREAM) {
		if (to != NULL) {
			m_freem(m);
			return EISCONN;
		}
		sbappendstream(&so->so_snd, m);
		sockin_push(sp);
		return 0;
	}
	/* A datagram goes whole, now, or not at all: one piece if long. */
	if (sockin_iov(m, m->m_pkthdr.len, iov) == SOCKIN_IOVMAX) {
		struct mbuf *one = m_getjcl(M_DONTWAIT, MT_DATA, M_PKTHDR,
		    MJUM64BYTES);

		if (one == NULL || m->m_pkthdr.len > MJUM64BYTES) {
			m_freem(one);
			m_freem(m);
			return one == NULL ? ENOBUFS : EMSGSIZE;
		}
		m_copydata(m, 0, m->m_pkthdr.len, mtod(one, void *));
		one->m_len = one->m_pkthdr.len = m->m_pkthdr.len;
		m_freem(m);
		m = one;
	}
	n = sockin_iov(m, m->m_pkthdr.len, iov);
	error = rumpcomp_sockin_sendmsg(sp->sp_fd, iov, n, to,
	    to != NULL ? tolen : 0, 0, &sent);
	m_freem(m);
	return error == EAGAIN ? ENOBUFS : error;
}

static int
sockin_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct sockin_pcb *sp = so->so_pcb;
	unsigned len = (unsigned)sopt->sopt_size;
	int error;

	if (op == PRCO_SETOPT)
		return rumpcomp_sockin_setsockopt(sp->sp_fd, sopt->sopt_level,
		    sopt->sopt_name, sopt->sopt_data, len);
	error = rumpcomp_sockin_getsockopt(sp->sp_fd, sopt->sopt_level,
	    sopt->sopt_name, sopt->sopt_data, &len);
	sopt->sopt_size = len;
	return error;
}

static const struct pr_usrreqs sockin_usrreqs = {
	.pr_attach = sockin_attach,
	.pr_detach = sockin_detach,
	.pr_accept = sockin_accept,
	.pr_bind = sockin_bind,
	.pr_listen = sockin_listen,
	.pr_connect = sockin_connect,
	.pr_disconnect = sockin_disconnect,
	.pr_shutdown = sockin_shutdown,
	.pr_abort = sockin_abort,
	.pr_ioctl = sockin_ioctl,
	.pr_stat = sockin_stat,
	.pr_peeraddr = sockin_peeraddr,
	.pr_sockaddr = sockin_sockaddr,
	.pr_rcvd = sockin_rcvd,
	.pr_send = sockin_send,
};

static struct domain sockin_domain, sockin6_domain;

#define SOCKIN_PROTOSW(dom)                                                    \
	{                                                                      \
		.pr_type = SOCK_DGRAM, .pr_domain = &(dom),                    \
		.pr_protocol = IPPROTO_UDP, .pr_flags = PR_ATOMIC | PR_ADDR,   \
		.pr_ctloutput = sockin_ctloutput,                              \
		.pr_usrreqs = &sockin_usrreqs,                                 \
	},                                                                     \
	{                                                                      \
		.pr_type = SOCK_STREAM, .pr_domain = &(dom),                   \
		.pr_protocol = IPPROTO_TCP,                                    \
		.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN |        \
		    PR_ABRTACPTDIS,                                            \
		.pr_ctloutput = sockin_ctloutput,                              \
		.pr_usrreqs = &sockin_usrreqs,                                 \
	}

static const struct protosw sockin_protosw[] = { SOCKIN_PROTOSW(sockin_domain) };
static const struct protosw sockin6_protosw[] = {
	SOCKIN_PROTOSW(sockin6_domain)
};

static struct domain sockin_domain = {
	.dom_family = AF_INET,
	.dom_name = "sockin",
	.dom_protosw = sockin_protosw,
	.dom_protoswNPROTOSW = sockin_protosw + __arraycount(sockin_protosw),
};

static struct domain sockin6_domain = {
	.dom_family = AF_INET6,
	.dom_name = "sockin6",
	.dom_protosw = sockin6_protosw,
	.dom_protoswNPROTOSW = sockin6_protosw + __arraycount(sockin6_protosw),
};

static void
sockin_shutdown_hook(void *arg)
{
	(void)arg;
	if (sockin_thread == NULL)
		return;
	atomic_store_release(&sockin_dying, true);
	rumpcomp_sockin_wake();
	kthread_join(sockin_thread);
	sockin_thread = NULL;
}

static struct shutdown_hook sockin_hook = { .sh_func = sockin_shutdown_hook };

static void
sockin_component_init(void)
{
	int error;

	mutex_init(&sockin_lock, MUTEX_DEFAULT, IPL_NONE);
	for (int i = 0; i < SOCKIN_HASHSIZE; i++)
		LIST_INIT(&sockin_table[i]);
	if ((error = rumpcomp_sockin_init()) != 0 ||
	    (error = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN,
	    NULL, sockin_poll, NULL, &sockin_thread, "sockin")) != 0) {
		log(LOG_ERR, "sockin: cannot start (error %d): no PF_INET\n",
		    error);
		return;
	}
	domain_attach(&sockin_domain);
	domain_attach(&sockin6_domain);
	shutdown_hook_register(&sockin_hook);
}

RUMP_COMPONENT_EXCLUSIVE(RUMP_COMPONENT_NET_DOMAIN, sockin,
    sockin_component_init, net_netinet);
