/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Sockets: creation, the connection calls and the data path between the
 * system calls (uipc_syscalls.c, sys_socket.c) and a protocol's
 * pr_usrreqs.
 *
 * A socket's lock (*so_lock) is chosen by its protocol at pr_attach and
 * never changes; it is never owned by the socket (softnet_lock, the Unix
 * domain's lock), so freeing a socket leaves the lock held and valid.
 * pr_attach is called either with so_lock NULL and nothing held (it sets
 * so_lock, and may return holding it) or with so_lock preset to a
 * listener's or partner's lock and held (sonewconn, socketpair).  Every
 * other request is made with the lock held.
 *
 * Lifetime: a socket is referred to by its file (until soclose sets
 * SS_NOFDREF), by its protocol (so_pcb, until the protocol detaches) and
 * briefly by the sockets layer itself while a request that may free it
 * runs (so_count).  sofree frees it when all three are gone; whoever
 * drops the last one calls sofree with the lock held.
 *
 * sosend and soreceive hold the buffer's sblock for the whole call, so
 * that concurrent writers' records do not interleave and readers take
 * records whole; they sleep in sbwait_until (SO_RCVTIMEO, SO_SNDTIMEO
 * bound the whole call), which releases the socket's lock.  sosend
 * copies the caller's data into mbufs with the lock released; soreceive
 * copies out large pieces with it released too (sorcvcopy), the sblock
 * keeping the mbufs it reads in place.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/domain.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/uio.h>

#include "net_private.h"

static struct pool socket_pool;
static unsigned long socket_live;       /* atomic */

void
soinit(void)
{
	pool_init(&socket_pool, sizeof(struct socket), "sockpl");
}

unsigned long
socket_count(void)
{
	return atomic_load_relaxed(&socket_live);
}

void
solock(struct socket *so)
{
	mutex_enter(so->so_lock);
}

void
sounlock(struct socket *so)
{
	mutex_exit(so->so_lock);
}

bool
solocked(const struct socket *so)
{
	return so->so_lock != NULL && mutex_owned(so->so_lock);
}

/* A socket of protocol prp, not yet attached. */
static struct socket *
soalloc(const struct protosw *prp, int type)
{
	struct socket *so;

	if ((so = pool_get(&socket_pool, PR_WAITOK | PR_ZERO)) == NULL)
		return NULL;
	so->so_proto = prp;
	so->so_type = (short)type;
	so->so_family = (short)prp->pr_domain->dom_family;
	cv_init(&so->so_cv, "socket");
	cv_init(&so->so_rcv.sb_cv, "sbrcv");
	cv_init(&so->so_snd.sb_cv, "sbsnd");
	TAILQ_INIT(&so->so_q0);
	TAILQ_INIT(&so->so_q);
	so->so_cred = kauth_cred_get();
	kauth_cred_hold(so->so_cred);
	so->so_cpid = curlwp != NULL ? curproc->p_pid : 0;
	atomic_add_long(&socket_live, 1);
	return so;
}

/* Free a socket's memory; its buffers are empty, nobody polls it. */
static void
sodealloc(struct socket *so)
{
	if (so->so_lock != NULL) {
		seldestroy(&so->so_rcv.sb_sel);
		seldestroy(&so->so_snd.sb_sel);
	}
	cv_destroy(&so->so_cv);
	cv_destroy(&so->so_rcv.sb_cv);
	cv_destroy(&so->so_snd.sb_cv);
	kauth_cred_free(so->so_cred);
	pool_put(&socket_pool, so);
	atomic_add_long(&socket_live, -1);
}

/* Attach a new socket to its protocol; returns with so_lock held. */
static int
soattach(struct socket *so, int proto)
{
	int error;

	error = so->so_proto->pr_usrreqs->pr_attach(so, proto);
	if (error) {
		KASSERT(so->so_pcb == NULL);
		return error;
	}
	KASSERTMSG(so->so_lock != NULL, "protocol %d attached without a lock",
	    so->so_proto->pr_protocol);
	if (!mutex_owned(so->so_lock))
		mutex_enter(so->so_lock);
	selinit(&so->so_rcv.sb_sel, so->so_lock);
	selinit(&so->so_snd.sb_sel, so->so_lock);
	return 0;
}

int
socreate(int family, struct socket **aso, int type, int proto, struct lwp *l,
    struct socket *lockso)
{
	const struct protosw *prp;
	struct socket *so;
	int error;

	(void)l;
	if (family <= AF_UNSPEC || family >= AF_MAX ||
	    pffinddomain(family) == NULL)
		return EAFNOSUPPORT;
	/*
	 * Linux takes the family's own number as a Unix-domain protocol,
	 * and makes a raw Unix socket a datagram socket.
	 */
	if (family == AF_UNIX && proto == PF_UNIX)
		proto = 0;
	if (family == AF_UNIX && type == SOCK_RAW)
		type = SOCK_DGRAM;
	prp = proto != 0 ? pffindproto(family, proto, type)
			 : pffindtype(family, type);
	if (prp == NULL)
		return pffindtype(family, type) != NULL ? EPROTONOSUPPORT
							: ESOCKTNOSUPPORT;
	if ((so = soalloc(prp, type)) == NULL)
		return ENOBUFS;
	if (lockso != NULL) {
		so->so_lock = lockso->so_lock;
		KASSERT(solocked(lockso));
	}
	if ((error = soattach(so, proto)) != 0) {
		if (lockso == NULL && so->so_lock != NULL &&
		    mutex_owned(so->so_lock))
			mutex_exit(so->so_lock);
		so->so_lock = NULL;
		sodealloc(so);
		return error;
	}
	if (lockso == NULL)
		sounlock(so);
	*aso = so;
	return 0;
}

struct socket *
soalloc_conn(struct socket *head)
{
	struct socket *so;

	KASSERT(solocked(head));
	if ((so = soalloc(head->so_proto, head->so_type)) == NULL)
		return NULL;
	kauth_cred_free(so->so_cred);
	so->so_cred = head->so_cred;
	kauth_cred_hold(so->so_cred);
	so->so_cpid = head->so_cpid;
	so->so_lock = head->so_lock;
	so->so_options = head->so_options & ~SOF_ACCEPTCONN;
	so->so_linger = head->so_linger;
	so->so_state = SS_NOFDREF | (head->so_state & SS_NBIO);
	so->so_rcv.sb_hiwat = head->so_rcv.sb_hiwat;
	so->so_snd.sb_hiwat = head->so_snd.sb_hiwat;
	so->so_rcv.sb_mbmax = head->so_rcv.sb_mbmax;
	so->so_snd.sb_mbmax = head->so_snd.sb_mbmax;
	so->so_rcv.sb_lowat = head->so_rcv.sb_lowat;
	so->so_snd.sb_lowat = head->so_snd.sb_lowat;
	so->so_rcv.sb_timeo = head->so_rcv.sb_timeo;
	so->so_snd.sb_timeo = head->so_snd.sb_timeo;
	so->so_rcv.sb_flags = head->so_rcv.sb_flags;
	so->so_snd.sb_flags = head->so_snd.sb_flags;
	if (soattach(so, 0) != 0) {
		so->so_lock = NULL;
		sodealloc(so);
		return NULL;
	}
	so->so_head = head;
	return so;
}

void
sofree(struct socket *so)
{
	KASSERT(solocked(so));
	if (so->so_pcb != NULL || (so->so_state & SS_NOFDREF) == 0 ||
	    so->so_count > 0)
		return;
	if (so->so_head != NULL) {
		/* Complete connections wait on the queue for accept(2). */
		if (!soqremque(so, 0))
			return;
	}
	sbflush(&so->so_rcv);
	sbflush(&so->so_snd);
	sodealloc(so);
}

/*
 * A protocol may let go of a socket whose connection ended (TCP after a
 * reset or a refused connect) while a descriptor still refers to it.
 * Used again (bind, listen, connect, a protocol's options), the socket
 * gets a new PCB, in the state of a new socket, as Linux's sockets are
 * reusable then.  Lock held.
 */
int
soreattach(struct socket *so)
{
	int error;

	KASSERT(solocked(so));
	if (so->so_pcb != NULL)
		return 0;
	if (so->so_state & SS_NOFDREF)
		return EINVAL;
	error = so->so_proto->pr_usrreqs->pr_attach(so,
	    so->so_proto->pr_protocol);
	KASSERT(solocked(so));
	if (error == 0)
		so->so_state &= ~(SS_CANTRCVMORE | SS_CANTSENDMORE |
		    SS_ISDISCONNECTING | SS_ISDISCONNECTED | SS_RCVATMARK |
		    SS_POLLPRI);
	return error;
}

int
sobind(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	int error;

	solock(so);
	if ((error = soreattach(so)) == 0)
		error = so->so_proto->pr_usrreqs->pr_bind(so, nam, namlen, l);
	sounlock(so);
	return error;
}

int
solisten(struct socket *so, int backlog, struct lwp *l)
{
	int error = 0;

	solock(so);
	if ((so->so_proto->pr_flags & PR_LISTEN) == 0 ||
	    so->so_proto->pr_usrreqs->pr_listen == NULL)
		error = EOPNOTSUPP;
	else
		error = soreattach(so);
	if (error == 0 && (so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING |
					      SS_ISDISCONNECTING |
					      SS_ISDISCONNECTED)))
		error = EINVAL;
	if (error == 0)
		error = so->so_proto->pr_usrreqs->pr_listen(so, l);
	if (error == 0) {
		so->so_options |= SOF_ACCEPTCONN;
		so->so_qlimit = MAX(backlog, 0);
	}
	sounlock(so);
	return error;
}

int
soaccept(struct socket *so, struct sockaddr_storage *nam, socklen_t *namlen)
{
	KASSERT(solocked(so));
	so->so_state &= ~SS_NOFDREF;
	if (so->so_pcb == NULL) {
		/* The connection went away while it waited to be accepted. */
		*namlen = 0;
		return 0;
	}
	return so->so_proto->pr_usrreqs->pr_accept(so, nam, namlen);
}

int
soconnect(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	const struct pr_usrreqs *pru = so->so_proto->pr_usrreqs;
	bool connreq = (so->so_proto->pr_flags & PR_CONNREQUIRED) != 0;
	int error;

	KASSERT(solocked(so));
	/*
	 * Linux's Unix domain looks the name up first and answers EISCONN
	 * or EINVAL (a listener) only after: its pr_connect checks.
	 */
	if (so->so_family == AF_UNIX && connreq)
		return pru->pr_connect(so, nam, namlen, l);
	if ((error = soreattach(so)) != 0)
		return error;
	if (so->so_options & SOF_ACCEPTCONN)
		return EISCONN;
	if (connreq) {
		if (so->so_state & SS_ISCONNECTED)
			return EISCONN;
		if (so->so_state & SS_ISCONNECTING)
			return EALREADY;
	} else {
		/* A datagram socket may change its peer, or forget it. */
		if (so->so_state & SS_ISCONNECTED)
			(void)pru->pr_disconnect(so);
		if (namlen >= sizeof(sa_family_t) &&
		    nam->sa_family == AF_UNSPEC)
			return 0;
	}
	so->so_error = 0;
	return pru->pr_connect(so, nam, namlen, l);
}

int
soconnect2(struct socket *so1, struct socket *so2)
{
	KASSERT(solocked(so1) && so1->so_lock == so2->so_lock);
	if (so1->so_proto->pr_usrreqs->pr_connect2 == NULL)
		return EOPNOTSUPP;
	return so1->so_proto->pr_usrreqs->pr_connect2(so1, so2);
}

int
sodisconnect(struct socket *so)
{
	KASSERT(solocked(so));
	if ((so->so_state & SS_ISCONNECTED) == 0)
		return ENOTCONN;
	if (so->so_state & SS_ISDISCONNECTING)
		return EALREADY;
	return so->so_proto->pr_usrreqs->pr_disconnect(so);
}

int
soshutdown(struct socket *so, int how)
{
	int error = 0;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return EINVAL;
	solock(so);
	/* Linux: only a Unix-domain socket may be shut down unconnected. */
	if ((so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) == 0 &&
	    so->so_family != AF_UNIX &&
	    (so->so_options & SOF_ACCEPTCONN) == 0) {
		error = ENOTCONN;
		goto out;
	}
	if (how != SHUT_WR)
		socantrcvmore(so);
	/*
	 * pr_shutdown stops sending; a Unix socket's also passes both
	 * directions shut on to its peer (Linux), so it is told again when
	 * SHUT_RD comes after SHUT_WR.
	 */
	if (so->so_pcb != NULL && (how != SHUT_RD ||
	    (so->so_family == AF_UNIX && (so->so_state & SS_CANTSENDMORE))))
		error = so->so_proto->pr_usrreqs->pr_shutdown(so);
out:
	sounlock(so);
	return error;
}

void
soabort(struct socket *so)
{
	KASSERT(solocked(so));
	KASSERT(so->so_head == NULL);
	so->so_state |= SS_NOFDREF;
	so->so_count++;
	if (so->so_pcb != NULL)
		(void)so->so_proto->pr_usrreqs->pr_abort(so);
	so->so_count--;
	sofree(so);
}

/* Wait up to the linger time for a closing connection to go. */
static void
solinger(struct socket *so)
{
	uint64_t deadline, now;

	deadline = getnsecuptime() + (uint64_t)so->so_linger * 1000000000ULL;
	while ((so->so_state & SS_ISCONNECTED) &&
	    (now = getnsecuptime()) < deadline)
		(void)cv_timedwait_ns(&so->so_cv, so->so_lock, deadline - now);
}

int
soclose(struct socket *so)
{
	kmutex_t *lock = so->so_lock;
	struct socket *so2;
	int error = 0;

	solock(so);
	if (so->so_options & SOF_ACCEPTCONN) {
		while ((so2 = TAILQ_FIRST(&so->so_q0)) != NULL) {
			soqremque(so2, 0);
			soabort(so2);
		}
		while ((so2 = TAILQ_FIRST(&so->so_q)) != NULL) {
			soqremque(so2, 1);
			soabort(so2);
		}
	}
	so->so_count++;
	if (so->so_pcb != NULL && (so->so_state & SS_ISCONNECTED)) {
		if ((so->so_state & SS_ISDISCONNECTING) == 0)
			error = sodisconnect(so);
		if (error == 0 && (so->so_options & SOF_LINGER) &&
		    so->so_linger > 0)
			solinger(so);
	}
	if (so->so_pcb != NULL)
		so->so_proto->pr_usrreqs->pr_detach(so);
	so->so_count--;
	so->so_state |= SS_NOFDREF;
	sofree(so);
	mutex_exit(lock);
	return error == ENOTCONN ? 0 : error;
}

/*
 * Send: wait for room, copy the caller's data into mbufs, hand each
 * piece to the protocol.  An atomic protocol (datagrams, seqpacket)
 * sends each call as one record, EMSGSIZE if it can never fit.
 */
int
sosend(struct socket *so, const struct sockaddr *addr, socklen_t addrlen,
    struct uio *uio, struct mbuf *top, struct mbuf *control, int flags,
    struct lwp *l)
{
	const struct protosw *prp = so->so_proto;
	bool atomic = (prp->pr_flags & PR_ATOMIC) != 0;
	bool dontwait = (flags & MSG_DONTWAIT) != 0;
	long space, resid, chunk, lowat;
	uint64_t deadline = 0;
	size_t before;
	int error;

	resid = uio != NULL ? (long)uio->uio_resid : top->m_pkthdr.len;
	if (resid < 0) {
		error = EINVAL;
		goto free;
	}
	solock(so);
	if ((error = sblock(&so->so_snd, so, M_WAIT)) != 0)
		goto unlock;
	do {
		if (so->so_state & SS_CANTSENDMORE) {
			error = EPIPE;
			break;
		}
		if (so->so_error != 0) {
			error = so->so_error;
			so->so_error = 0;
			break;
		}
		if ((prp->pr_flags & PR_CONNREQUIRED) &&
		    (so->so_state & SS_ISCONNECTED) == 0) {
			/*
			 * Linux: a Unix stream says ENOTCONN (EOPNOTSUPP
			 * when given an address), TCP EPIPE.
			 */
			if (so->so_family == AF_UNIX)
				error = addr != NULL ? EOPNOTSUPP : ENOTCONN;
			else
				error = EPIPE;
			if (so->so_state & SS_ISCONNECTING)
				error = EAGAIN;
			break;
		}
		if (so->so_pcb == NULL) {
			error = (prp->pr_flags & PR_CONNREQUIRED) ? EPIPE
								   : ENOTCONN;
			break;
		}
		/* Nothing to send on a stream (nor its control, as Linux). */
		if (!atomic && resid == 0 && (flags & MSG_OOB) == 0)
			break;
		space = sbspace(&so->so_snd);
		if (atomic && resid > (long)so->so_snd.sb_hiwat) {
			error = EMSGSIZE;
			break;
		}
		/* Urgent data goes at once, whole; the rest waits for room. */
		lowat = MAX(so->so_snd.sb_lowat, 1);
		if ((flags & MSG_OOB) == 0 &&
		    ((atomic && space < resid) ||
			(!atomic && space < MIN(resid, lowat)))) {
			if (dontwait) {
				error = EAGAIN;
				break;
			}
			error = sbwait_until(&so->so_snd, so, &deadline);
			if (error != 0) {
				if (error == EWOULDBLOCK)
					error = EAGAIN;
				break;
			}
			continue;
		}
		if (atomic || (flags & MSG_OOB))
			chunk = resid;
		else
			chunk = MIN(resid, MAX(space, 0));
		before = uio != NULL ? uio->uio_resid : 0;
		if (uio != NULL) {
			sounlock(so);
			top = m_uiotombuf(uio, (int)chunk, 0, M_WAIT, &error);
			solock(so);
			if (top == NULL) {
				uio->uio_resid = before;
				break;
			}
		}
		if (flags & MSG_EOR)
			top->m_flags |= M_EOR;
		resid -= chunk;
		/* A protocol that waits in pr_send must not, with SS_NBIO. */
		if (dontwait)
			so->so_state |= SS_NBIO;
		else
			so->so_state &= ~SS_NBIO;
		if (flags & MSG_OOB) {
			error = prp->pr_usrreqs->pr_sendoob == NULL
			    ? EOPNOTSUPP
			    : prp->pr_usrreqs->pr_sendoob(so, top, control);
		} else {
			error = prp->pr_usrreqs->pr_send(so, top, addr,
			    addrlen, control, l);
		}
		top = NULL;
		control = NULL;
		/*
		 * What the protocol refused was not sent: the caller's count
		 * (uio_resid; the vector itself is not rewound) says so.
		 */
		if (error != 0 && uio != NULL)
			uio->uio_resid = before;
	} while (error == 0 && resid > 0);
	sbunlock(&so->so_snd, so);
unlock:
	sounlock(so);
free:
	m_freem(top);
	m_freem(control);
	return error;
}

/* Bytes a reader is owed before a blocking receive returns. */
static u_long
sorcvneed(const struct socket *so, const struct uio *uio, int flags)
{
	u_long want = uio->uio_resid;

	if (flags & MSG_WAITALL)
		return MIN(want, so->so_rcv.sb_hiwat);
	return MIN(want, (u_long)MAX(so->so_rcv.sb_lowat, 1));
}

/* Urgent data, read apart from the stream (MSG_OOB). */
static int
soreceive_oob(struct socket *so, struct uio *uio, int flags)
{
	struct mbuf *m, *n;
	int error;

	if (so->so_proto->pr_usrreqs->pr_recvoob == NULL)
		return EOPNOTSUPP;
	if ((m = m_get(M_WAIT, MT_DATA)) == NULL)
		return ENOBUFS;
	solock(so);
	if (so->so_pcb == NULL)
		error = EINVAL;
	else
		error = so->so_proto->pr_usrreqs->pr_recvoob(so, m,
		    flags & MSG_PEEK);
	if (error == 0 && (flags & MSG_PEEK) == 0)
		so->so_state &= ~SS_POLLPRI;
	sounlock(so);
	for (n = m; error == 0 && n != NULL && uio->uio_resid > 0;
	     n = n->m_next)
		error = uiomove(mtod(n, char *),
		    MIN(uio->uio_resid, (size_t)n->m_len), uio);
	m_freem(m);
	return error;
}

/*
 * Wait until there is something for the reader: returns 0 with the
 * buffer's first record ready, or an error, or EJUSTRETURN at end of
 * file.  Called and returns with the lock and the sblock held.
 */
static int
soreceive_wait(struct socket *so, struct uio *uio, int flags, bool copied,
    uint64_t *deadlinep)
{
	const struct protosw *prp = so->so_proto;
	bool atomic = (prp->pr_flags & PR_ATOMIC) != 0;
	struct mbuf *m;
	int error;

	for (;;) {
		if ((m = so->so_rcv.sb_mb) != NULL) {
			if (atomic || !m_isdata(m) || copied ||
			    so->so_rcv.sb_cc >= sorcvneed(so, uio, flags) ||
			    (so->so_state & SS_CANTRCVMORE) ||
			    so->so_error != 0 || (flags & MSG_DONTWAIT) ||
			    (so->so_oobmark > 0 &&
				so->so_rcv.sb_cc >= so->so_oobmark))
				return 0;
		} else {
			if (so->so_error != 0) {
				if (copied)
					return EJUSTRETURN;
				error = so->so_error;
				if ((flags & MSG_PEEK) == 0)
					so->so_error = 0;
				return error;
			}
			if (so->so_state & SS_CANTRCVMORE)
				return EJUSTRETURN;
			/* Linux: a Unix stream says EINVAL, TCP ENOTCONN. */
			if ((prp->pr_flags & PR_CONNREQUIRED) &&
			    (so->so_state &
				(SS_ISCONNECTED | SS_ISCONNECTING)) == 0)
				return so->so_family == AF_UNIX ? EINVAL
								: ENOTCONN;
			if (uio->uio_resid == 0 && !atomic)
				return EJUSTRETURN;
			if (flags & MSG_DONTWAIT)
				return copied ? EJUSTRETURN : EAGAIN;
		}
		sbunlock(&so->so_rcv, so);
		error = sbwait_until(&so->so_rcv, so, deadlinep);
		if (sblock(&so->so_rcv, so, M_WAIT) != 0)
			panic("soreceive: sblock with M_WAIT failed");
		if (error != 0) {
			/* Timed out: what came (below SO_RCVLOWAT) is read. */
			if (error == EWOULDBLOCK && so->so_rcv.sb_mb != NULL)
				return 0;
			return copied ? EJUSTRETURN
				      : (error == EWOULDBLOCK ? EAGAIN : error);
		}
	}
}

/*
 * Take the first record's address and control mbufs (with MSG_PEEK,
 * copies of them); returns the record's first data mbuf.
 */
static struct mbuf *
soreceive_head(struct socket *so, struct sockaddr_storage *from,
    socklen_t *fromlen, struct mbuf ***ctailp, int flags, int *errorp)
{
	const struct domain *dom = so->so_proto->pr_domain;
	bool peek = (flags & MSG_PEEK) != 0;
	struct mbuf *m = so->so_rcv.sb_mb, *cm;
	const struct cmsghdr *cmh;
	bool rights;
	size_t len;

	*errorp = 0;
	if (m->m_type == MT_SONAME) {
		if (from != NULL) {
			len = MIN((size_t)m->m_len, sizeof(*from));
			memcpy(from, mtod(m, void *), len);
			*fromlen = (socklen_t)len;
		}
		if (peek)
			m = m->m_next;
		else {
			m_free(sbunlinkhead(&so->so_rcv));
			m = so->so_rcv.sb_mb;
		}
	}
	while (m != NULL && m->m_type == MT_CONTROL) {
		cmh = mtod(m, const struct cmsghdr *);
		rights = cmh->cmsg_level == SOL_SOCKET &&
		    cmh->cmsg_type == SCM_RIGHTS;
		if (peek) {
			/* Rights are not duplicated by a peek; the rest is. */
			cm = *ctailp != NULL && !rights
			    ? m_copym(m, 0, m->m_len, M_DONTWAIT) : NULL;
			if (cm != NULL) {
				**ctailp = cm;
				*ctailp = &cm->m_next;
			}
			m = m->m_next;
			continue;
		}
		cm = sbunlinkhead(&so->so_rcv);
		if (*ctailp != NULL) {
			if (rights && dom->dom_externalize != NULL &&
			    *errorp == 0)
				*errorp = dom->dom_externalize(cm, curlwp,
				    flags);
			else if (rights && dom->dom_dispose != NULL)
				dom->dom_dispose(cm);
			**ctailp = cm;
			*ctailp = &cm->m_next;
		} else {
			if (dom->dom_dispose != NULL)
				dom->dom_dispose(cm);
			m_free(cm);
		}
		m = so->so_rcv.sb_mb;
	}
	return m;
}

/*
 * Copy len bytes of a buffered mbuf to the reader.  A large copy is made
 * with the socket's lock released (it may be softnet_lock, which input
 * and every other socket of the stack need): the reader's sblock keeps
 * the mbufs it reads from where they are, as only the reader removes
 * data, and appends touch nothing before the end of the buffer.
 */
static int
sorcvcopy(struct socket *so, const char *src, size_t len, struct uio *uio)
{
	int error;

	KASSERT(so->so_rcv.sb_busy);
	if (len < 1024)
		return uiomove(__UNCONST(src), len, uio);
	sounlock(so);
	error = uiomove(__UNCONST(src), len, uio);
	solock(so);
	return error;
}

/* One datagram (or seqpacket record): copied whole or truncated. */
static int
soreceive_record(struct socket *so, struct mbuf *m, struct uio *uio,
    int flags, int *outflags)
{
	size_t len, total = 0;
	int error = 0;

	for (; m != NULL; m = m->m_next) {
		if (!m_isdata(m))
			continue;
		len = MIN(uio->uio_resid, (size_t)m->m_len);
		if (len > 0 && error == 0)
			error = sorcvcopy(so, mtod(m, char *), len, uio);
		total += (size_t)m->m_len;
		if (len < (size_t)m->m_len)
			*outflags |= MSG_TRUNC;
	}
	if ((flags & MSG_PEEK) == 0)
		sbdroprecord(&so->so_rcv);
	uio->uio_offset = (off_t)total;
	return error;
}

/*
 * Stream data from m on, up to the caller's room, stopping at the
 * urgent mark and before a record that carries control messages.
 */
static int
soreceive_stream(struct socket *so, struct mbuf *m, struct uio *uio,
    int flags)
{
	bool peek = (flags & MSG_PEEK) != 0;
	struct mbuf *rec = so->so_rcv.sb_mb;
	size_t len, off = 0, copied = 0;
	int error = 0;

	while (m != NULL && uio->uio_resid > 0 && error == 0) {
		if (!m_isdata(m))
			break;
		if (peek && so->so_oobmark > 0 && copied >= so->so_oobmark)
			break;
		if (m->m_len == 0 && !peek) {
			/* An empty mbuf a protocol left: nothing to read. */
			m_free(sbunlinkhead(&so->so_rcv));
			m = so->so_rcv.sb_mb;
			continue;
		}
		len = MIN(uio->uio_resid, (size_t)m->m_len - off);
		if (so->so_oobmark > 0)
			len = MIN(len, so->so_oobmark - (peek ? copied : 0));
		if (len > 0)
			error = sorcvcopy(so, mtod(m, char *) + off, len, uio);
		copied += len;
		if (peek) {
			off += len;
			if (off < (size_t)m->m_len)
				continue;
			off = 0;
			if ((m = m->m_next) == NULL &&
			    (rec = rec->m_nextpkt) != NULL && m_isdata(rec))
				m = rec;
			continue;
		}
		if (len > 0 && (so->so_state & SS_RCVATMARK)) {
			/* Read inline, the urgent byte is no longer pending. */
			if (so->so_options & SOF_OOBINLINE)
				so->so_state &= ~SS_POLLPRI;
			so->so_state &= ~SS_RCVATMARK;
		}
		sbdrop(&so->so_rcv, (int)len);
		m = so->so_rcv.sb_mb;
		if (so->so_oobmark > 0) {
			so->so_oobmark -= len;
			if (so->so_oobmark == 0) {
				so->so_state |= SS_RCVATMARK;
				break;
			}
		}
	}
	uio->uio_offset = (off_t)copied;
	return error;
}

/*
 * Receive.  Waits as the flags and SO_RCVLOWAT say, then takes the first
 * record's address (into from), its control (into *controlp, rights
 * made descriptors; released when controlp is NULL) and its data.  A
 * datagram is taken whole: what the caller had no room for is dropped
 * and MSG_TRUNC set in *flagsp; the datagram's full length is left in
 * uio_offset for recv(MSG_TRUNC).  mp0 is not supported (always NULL).
 */
int
soreceive(struct socket *so, struct sockaddr_storage *from, socklen_t *fromlen,
    struct uio *uio, struct mbuf **mp0, struct mbuf **controlp, int *flagsp)
{
	const struct protosw *prp = so->so_proto;
	bool atomic = (prp->pr_flags & PR_ATOMIC) != 0;
	int flags = flagsp != NULL ? *flagsp : 0, outflags = 0, error;
	size_t orig_resid = uio->uio_resid;
	struct mbuf **ctail = controlp, *m;
	uint64_t deadline = 0;

	KASSERT(mp0 == NULL);
	if (fromlen != NULL)
		*fromlen = 0;
	if (controlp != NULL)
		*controlp = NULL;
	if (flags & MSG_OOB)
		return soreceive_oob(so, uio, flags);
	solock(so);
	(void)sblock(&so->so_rcv, so, M_WAIT);
	for (;;) {
		error = soreceive_wait(so, uio, flags,
		    uio->uio_resid != orig_resid, &deadline);
		if (error != 0)
			break;
		m = soreceive_head(so, from, fromlen, &ctail, flags, &error);
		if (error != 0)
			break;
		if (atomic)
			error = soreceive_record(so, m, uio, flags, &outflags);
		else
			error = soreceive_stream(so, m, uio, flags);
		if ((flags & MSG_PEEK) == 0 && (prp->pr_flags & PR_WANTRCVD) &&
		    so->so_pcb != NULL)
			(void)prp->pr_usrreqs->pr_rcvd(so, flags, curlwp);
		/* MSG_WAITALL goes on until the caller's room is full. */
		if (error != 0 || atomic ||
		    (flags & (MSG_WAITALL | MSG_PEEK)) != MSG_WAITALL ||
		    uio->uio_resid == 0 || (so->so_state & SS_RCVATMARK) ||
		    (so->so_rcv.sb_mb != NULL && !m_isdata(so->so_rcv.sb_mb)))
			break;
	}
	if (error == EJUSTRETURN)
		error = 0;
	sbunlock(&so->so_rcv, so);
	sounlock(so);
	if (!atomic)
		uio->uio_offset = (off_t)(orig_resid - uio->uio_resid);
	if (flagsp != NULL)
		*flagsp = outflags;
	return error;
}
