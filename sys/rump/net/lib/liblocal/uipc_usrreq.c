/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Unix-domain sockets: stream, datagram and seqpacket, with Linux's
 * rules.
 *
 * Names: a path in the kernel's file systems (bind makes a socket node
 * through the VFS, EADDRINUSE if the name exists; the bound socket keeps
 * a reference to the node, and connect finds the socket by it), or a
 * name in the abstract namespace (sun_path[0] == 0, as long as the
 * address says, NULs included).  An address of only sun_family binds an
 * abstract name of five hex digits (autobind), as listen-less senders
 * with SO_PASSCRED also get.  The lengths getsockname and friends report
 * are Linux's: 2 for no name, 2 + strlen + 1 for a path, the address's
 * own length for an abstract name.
 *
 * Data goes straight into the receiver's buffer.  A stream's sender
 * keeps in so_snd the counts of what it has queued at its peer and not
 * yet read (pr_rcvd updates them), so that sosend's flow control waits
 * on the sender's own SO_SNDBUF as Linux's does.  A datagram waits (in
 * pr_send; SS_NBIO says it must not) for room in the receiver's buffer.
 *
 * Connections: connect to a listening stream or seqpacket socket makes
 * the server's socket at once, connected, on the listener's accept
 * queue; with the queue full the connect waits (EAGAIN if non-blocking).
 * Closing one end shuts both directions of the other (its reads end,
 * its writes fail with EPIPE), with ECONNRESET if the closing end left
 * data unread.  A datagram socket connected to one that closes gets
 * ECONNREFUSED at its next send, then is unconnected.  Streams take
 * MSG_OOB as Linux 5.15 and later do (unp_sendoob).
 */
#include <sys/systm.h>
#include <sys/domain.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vnode.h>

#include "local_private.h"

/* Linux's net.core.wmem_default and rmem_default. */
#define UNP_SENDSPACE 212992
#define UNP_RECVSPACE 212992

#define SUN_OFFSET offsetof(struct sockaddr_un, sun_path)

/* Linux's net.unix.max_dgram_qlen default: datagrams from strangers. */
#define UNP_MAXDGRAMQLEN 10

static void unp_dgram_update(struct unpcb *);

struct unp_head unp_all = LIST_HEAD_INITIALIZER(unp_all);
static unsigned unp_autobind_next;      /* u */

static void
unp_curcred(struct ucred *uc)
{
	kauth_cred_t cred = kauth_cred_get();

	uc->pid = curproc->p_pid;
	uc->uid = cred->cr_euid;
	uc->gid = cred->cr_egid;
}

static int
unp_attach(struct socket *so, int proto)
{
	struct unpcb *unp;

	(void)proto;
	if ((unp = kmem_zalloc(sizeof(*unp), KM_SLEEP)) == NULL)
		return ENOBUFS;
	if (so->so_lock == NULL) {
		so->so_lock = &uipc_lock;
		mutex_enter(&uipc_lock);
	}
	KASSERT(so->so_lock == &uipc_lock && mutex_owned(&uipc_lock));
	if (so->so_snd.sb_hiwat == 0 &&
	    !soreserve(so, UNP_SENDSPACE, UNP_RECVSPACE)) {
		kmem_free(unp, sizeof(*unp));
		return ENOBUFS;
	}
	unp->unp_socket = so;
	LIST_INIT(&unp->unp_refs);
	LIST_INSERT_HEAD(&unp_all, unp, unp_link);
	so->so_pcb = unp;
	return 0;
}

/* Forget the peer; a stream's peer learns that this end is gone. */
static void
unp_disconnect(struct unpcb *unp)
{
	struct unpcb *unp2 = unp->unp_conn;
	struct socket *so = unp->unp_socket, *so2;

	if (unp2 == NULL)
		return;
	so2 = unp2->unp_socket;
	unp->unp_conn = NULL;
	if (so->so_type == SOCK_DGRAM) {
		LIST_REMOVE(unp, unp_reflink);
		so->so_state &= ~SS_ISCONNECTED;
		so->so_snd.sb_flags &= ~SB_PEERFULL;
		return;
	}
	unp2->unp_conn = NULL;
	if (so->so_rcv.sb_mb != NULL)
		so2->so_error = ECONNRESET;
	so2->so_snd.sb_cc = 0;
	so2->so_snd.sb_mbcnt = 0;
	soisdisconnected(so2);
	soisdisconnected(so);
}

static void
unp_detach(struct socket *so)
{
	struct unpcb *unp = sotounpcb(so), *ref;

	KASSERT(solocked(so));
	unp_disconnect(unp);
	/* Its send counts mirrored a peer's buffer: nothing is queued here. */
	so->so_snd.sb_cc = 0;
	so->so_snd.sb_mbcnt = 0;
	while ((ref = LIST_FIRST(&unp->unp_refs)) != NULL) {
		LIST_REMOVE(ref, unp_reflink);
		ref->unp_conn = NULL;
		ref->unp_flags |= UNP_PEERGONE;
		ref->unp_socket->so_snd.sb_flags &= ~SB_PEERFULL;
		sowwakeup(ref->unp_socket);
	}
	if (unp->unp_vnode != NULL) {
		vrele(unp->unp_vnode);
		unp->unp_vnode = NULL;
	}
	LIST_REMOVE(unp, unp_link);
	so->so_pcb = NULL;
	/* Senders waiting for room, connectors waiting for the queue. */
	cv_broadcast(&so->so_rcv.sb_cv);
	cv_broadcast(&so->so_cv);
	/* Files in flight to this socket go back (or to the collector). */
	sbflush(&so->so_rcv);
	KASSERT(unp->unp_msgcount == 0);
	kmem_free(unp, sizeof(*unp));
	unp_gc_schedule();
}

static int
unp_abort(struct socket *so)
{
	unp_detach(so);
	return 0;
}

/* Copy a socket's name (or just the family: 2 bytes). */
static void
unp_getaddr(const struct unpcb *unp, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	if (unp != NULL && unp->unp_addrlen > 0) {
		memcpy(ss, &unp->unp_addr, unp->unp_addrlen);
		*lenp = unp->unp_addrlen;
	} else {
		memset(ss, 0, sizeof(sa_family_t) + 1);
		ss->ss_family = AF_UNIX;
		*lenp = sizeof(sa_family_t);
	}
}

static int
unp_accept(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	unp_getaddr(sotounpcb(so)->unp_conn, ss, lenp);
	return 0;
}

static int
unp_sockaddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	unp_getaddr(sotounpcb(so), ss, lenp);
	return 0;
}

static int
unp_peeraddr(struct socket *so, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct unpcb *unp = sotounpcb(so);

	if (unp->unp_conn == NULL)
		return ENOTCONN;
	unp_getaddr(unp->unp_conn, ss, lenp);
	return 0;
}

/*
 * The socket of a type bound to an abstract name, or NULL.  Each type
 * has its own abstract namespace, as on Linux.
 */
static struct unpcb *
unp_findabstract(const struct sockaddr_un *sun, socklen_t len, int type)
{
	struct unpcb *unp;

	LIST_FOREACH(unp, &unp_all, unp_link)
		if (unp->unp_addrlen == len && unp->unp_vnode == NULL &&
		    (unp->unp_flags & UNP_NAMECOPY) == 0 &&
		    unp->unp_socket->so_type == type &&
		    memcmp(&unp->unp_addr, sun, len) == 0)
			return unp;
	return NULL;
}

/* An abstract name nobody has: "\0" and five hex digits. */
static int
unp_autobind(struct unpcb *unp)
{
	static const char hex[] = "0123456789abcdef";
	struct sockaddr_un sun;
	unsigned n;

	for (int tries = 0; tries < 0x100000; tries++) {
		n = unp_autobind_next++ & 0xfffff;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		for (int i = 5; i >= 1; i--, n >>= 4)
			sun.sun_path[i] = hex[n & 0xf];
		if (unp_findabstract(&sun, SUN_OFFSET + 6,
			unp->unp_socket->so_type) == NULL) {
			unp->unp_addr = sun;
			unp->unp_addrlen = SUN_OFFSET + 6;
			return 0;
		}
	}
	return EADDRINUSE;
}

/* Check a client's address: AF_UNIX and longer than the family. */
static int
unp_checkaddr(const struct sockaddr *nam, socklen_t namlen)
{
	if (namlen < SUN_OFFSET || nam->sa_family != AF_UNIX)
		return EINVAL;
	if (namlen > sizeof(struct sockaddr_un))
		return EINVAL;
	return 0;
}

/* A path name's NUL-terminated copy (sun_path up to a NUL or the end). */
static void
unp_pathname(const struct sockaddr_un *sun, socklen_t namlen, char *path)
{
	size_t n = strnlen(sun->sun_path, namlen - SUN_OFFSET);

	memcpy(path, sun->sun_path, n);
	path[n] = '\0';
}

static int
unp_bind(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)nam;
	struct unpcb *unp = sotounpcb(so);
	char path[UNIX_PATH_MAX + 1];
	struct vnode *vp;
	int error;

	(void)l;
	if ((error = unp_checkaddr(nam, namlen)) != 0)
		return error;
	if (unp->unp_addrlen != 0) {
		/* Linux looks at a path first: a name in use is EADDRINUSE. */
		if (namlen > SUN_OFFSET && sun->sun_path[0] != '\0') {
			unp_pathname(sun, namlen, path);
			if ((error = vfs_socket_bind(path, 0, NULL)) != 0)
				return error == EEXIST ? EADDRINUSE : error;
		}
		return EINVAL;
	}
	if (namlen == SUN_OFFSET)
		return unp_autobind(unp);
	if (sun->sun_path[0] == '\0') {
		if (unp_findabstract(sun, namlen, so->so_type) != NULL)
			return EADDRINUSE;
		memcpy(&unp->unp_addr, sun, namlen);
		unp->unp_addrlen = namlen;
		return 0;
	}
	unp_pathname(sun, namlen, path);
	if ((error = vfs_socket_bind(path, ALLPERMS, &vp)) != 0)
		return error == EEXIST ? EADDRINUSE : error;
	unp->unp_vnode = vp;
	memset(&unp->unp_addr, 0, sizeof(unp->unp_addr));
	unp->unp_addr.sun_family = AF_UNIX;
	memcpy(unp->unp_addr.sun_path, path, strlen(path));
	unp->unp_addrlen = (socklen_t)MIN(SUN_OFFSET + strlen(path) + 1,
	    sizeof(struct sockaddr_un));
	return 0;
}

/*
 * The socket bound to a name: ENOENT, EACCES or ECONNREFUSED if none.
 * An abstract name is looked for among sockets of the type only.
 */
static int
unp_lookup(const struct sockaddr *nam, socklen_t namlen, int type,
    struct unpcb **unpp)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)nam;
	char path[UNIX_PATH_MAX + 1];
	struct unpcb *unp;
	struct vnode *vp;
	int error;

	if ((error = unp_checkaddr(nam, namlen)) != 0)
		return error;
	if (namlen == SUN_OFFSET)
		return EINVAL;
	if (sun->sun_path[0] == '\0') {
		if ((*unpp = unp_findabstract(sun, namlen, type)) == NULL)
			return ECONNREFUSED;
		return 0;
	}
	unp_pathname(sun, namlen, path);
	if ((error = vfs_socket_lookup(path, &vp)) != 0)
		return error;
	error = ECONNREFUSED;
	LIST_FOREACH(unp, &unp_all, unp_link)
		if (unp->unp_vnode == vp) {
			*unpp = unp;
			error = 0;
			break;
		}
	vrele(vp);
	return error;
}

static int
unp_listen(struct socket *so, struct lwp *l)
{
	struct unpcb *unp = sotounpcb(so);

	(void)l;
	if (unp->unp_addrlen == 0)
		return EINVAL;
	unp_curcred(&unp->unp_listencred);
	/* Linux: a listener's SO_PEERCRED is its own. */
	so->so_peercred = unp->unp_listencred;
	so->so_peercred_valid = true;
	/* A larger backlog may let waiting connectors in. */
	cv_broadcast(&so->so_cv);
	return 0;
}

/* Join a stream or seqpacket pair, or point a datagram socket at another. */
static void
unp_link(struct unpcb *unp, struct unpcb *unp2)
{
	unp->unp_conn = unp2;
	if (unp->unp_socket->so_type == SOCK_DGRAM) {
		LIST_INSERT_HEAD(&unp2->unp_refs, unp, unp_reflink);
		unp->unp_flags &= ~UNP_PEERGONE;
	}
}

/* Wait for room on a listener's queue; false (error set) if it went. */
static int
unp_connect_wait(struct socket *so, struct socket *so2)
{
	uint64_t ns;
	int error;

	if (so->so_state & SS_NBIO)
		return EAGAIN;
	ns = (uint64_t)so->so_snd.sb_timeo.tv_sec * 1000000000ULL +
	    (uint64_t)so->so_snd.sb_timeo.tv_nsec;
	so2->so_count++;
	error = ns != 0 ? cv_timedwait_ns(&so2->so_cv, &uipc_lock, ns)
			: cv_wait_sig(&so2->so_cv, &uipc_lock);
	so2->so_count--;
	if (so2->so_pcb == NULL) {
		sofree(so2);
		return ECONNREFUSED;
	}
	return error == EWOULDBLOCK ? EAGAIN : error;
}

static int
unp_connect(struct socket *so, const struct sockaddr *nam, socklen_t namlen,
    struct lwp *l)
{
	struct unpcb *unp = sotounpcb(so), *unp2, *unp3;
	struct socket *so2, *so3;
	int error;

	(void)l;
	for (;;) {
		if ((error = unp_lookup(nam, namlen, so->so_type, &unp2)) != 0)
			return error;
		so2 = unp2->unp_socket;
		if (so2->so_type != so->so_type)
			return EPROTOTYPE;
		if (so->so_type == SOCK_DGRAM) {
			if ((so->so_options & SOF_PASSCRED) &&
			    unp->unp_addrlen == 0 &&
			    (error = unp_autobind(unp)) != 0)
				return error;
			unp_link(unp, unp2);
			soisconnected(so);
			unp_dgram_update(unp2);
			return 0;
		}
		if ((so2->so_options & SOF_ACCEPTCONN) == 0)
			return ECONNREFUSED;
		if (so2->so_qlen + so2->so_q0len <= so2->so_qlimit)
			break;
		if ((error = unp_connect_wait(so, so2)) != 0)
			return error;
		/* The listener may have changed: look the name up again. */
	}
	/* Only now, as Linux: a listener or a connected socket cannot. */
	if (so->so_options & SOF_ACCEPTCONN)
		return EINVAL;
	if (so->so_state & SS_ISCONNECTED)
		return EISCONN;
	if (((so->so_options | so2->so_options) & SOF_PASSCRED) &&
	    unp->unp_addrlen == 0 && (error = unp_autobind(unp)) != 0)
		return error;
	if ((so3 = sonewconn(so2, true)) == NULL)
		return ECONNREFUSED;
	unp3 = sotounpcb(so3);
	unp3->unp_addr = unp2->unp_addr;
	unp3->unp_addrlen = unp2->unp_addrlen;
	unp3->unp_flags |= UNP_NAMECOPY;
	unp_link(unp, unp3);
	unp_link(unp3, unp);
	so->so_peercred = unp2->unp_listencred;
	so->so_peercred_valid = true;
	unp_curcred(&so3->so_peercred);
	so3->so_peercred_valid = true;
	soisconnected(so);
	soisconnected(so3);
	return 0;
}

static int
unp_connect2(struct socket *so, struct socket *so2)
{
	struct unpcb *unp = sotounpcb(so), *unp2 = sotounpcb(so2);

	KASSERT(solocked(so));
	if (so->so_type != so2->so_type)
		return EPROTOTYPE;
	unp_link(unp, unp2);
	unp_link(unp2, unp);
	unp_curcred(&so->so_peercred);
	so2->so_peercred = so->so_peercred;
	so->so_peercred_valid = so2->so_peercred_valid = true;
	soisconnected(so);
	soisconnected(so2);
	return 0;
}

static int
unp_pr_disconnect(struct socket *so)
{
	unp_disconnect(sotounpcb(so));
	return 0;
}

/*
 * No more sends: the peer of a stream or seqpacket socket reads to its
 * end.  Linux also takes this end's earlier SHUT_RD (or SHUT_RDWR's) as
 * no more sends for the peer: with both, its poll shows POLLHUP.  (A
 * SHUT_RD alone is seen at the peer's next send: EPIPE.)
 */
static int
unp_shutdown(struct socket *so)
{
	struct unpcb *unp = sotounpcb(so);
	struct socket *so2;

	socantsendmore(so);
	if (so->so_type == SOCK_DGRAM || unp->unp_conn == NULL)
		return 0;
	so2 = unp->unp_conn->unp_socket;
	socantrcvmore(so2);
	if (so->so_state & SS_CANTRCVMORE)
		socantsendmore(so2);
	return 0;
}

/*
 * Whether a datagram receiver takes nothing more from unp now: Linux
 * queues at most max_dgram_qlen (10) datagrams from senders it is not
 * connected to, and nothing beyond its buffer.
 */
static bool
unp_dgram_full(const struct unpcb *unp2, const struct unpcb *unp, long len)
{
	const struct mbuf *m;
	int n = 0;

	if (sbspace(&unp2->unp_socket->so_rcv) < len + (long)MSIZE)
		return true;
	if (unp2->unp_conn == unp)
		return false;
	for (m = unp2->unp_socket->so_rcv.sb_mb; m != NULL; m = m->m_nextpkt)
		if (++n > UNP_MAXDGRAMQLEN)
			return true;
	return false;
}

/*
 * A datagram receiver's queue changed: the sockets connected to it are
 * told whether they may send (poll's POLLOUT), and woken.
 */
static void
unp_dgram_update(struct unpcb *unp2)
{
	struct unpcb *ref;
	struct sockbuf *sb;
	bool full;

	LIST_FOREACH(ref, &unp2->unp_refs, unp_reflink) {
		sb = &ref->unp_socket->so_snd;
		full = unp_dgram_full(unp2, ref, 0);
		if (full)
			sb->sb_flags |= SB_PEERFULL;
		else if (sb->sb_flags & SB_PEERFULL) {
			sb->sb_flags &= ~SB_PEERFULL;
			sowwakeup(ref->unp_socket);
		}
	}
}

/* The reader took data: its stream peer's counts drop, its writers wake. */
static int
unp_rcvd(struct socket *so, int flags, struct lwp *l)
{
	struct unpcb *unp = sotounpcb(so);
	struct socket *so2;

	(void)flags;
	(void)l;
	if (so->so_type == SOCK_DGRAM) {
		cv_broadcast(&so->so_rcv.sb_cv);
		unp_dgram_update(unp);
		return 0;
	}
	if (unp->unp_conn == NULL)
		return 0;
	so2 = unp->unp_conn->unp_socket;
	so2->so_snd.sb_cc = so->so_rcv.sb_cc;
	so2->so_snd.sb_mbcnt = so->so_rcv.sb_mbcnt;
	sowwakeup(so2);
	return 0;
}

/* Wait until a datagram receiver takes len bytes from so. */
static int
unp_dgram_wait(struct socket *so, struct socket *so2, long len)
{
	uint64_t ns;
	int error;

	if (len > (long)so2->so_rcv.sb_hiwat)
		return ENOBUFS;
	while (unp_dgram_full(sotounpcb(so2), sotounpcb(so), len)) {
		if (so->so_state & SS_NBIO)
			return EAGAIN;
		ns = (uint64_t)so->so_snd.sb_timeo.tv_sec * 1000000000ULL +
		    (uint64_t)so->so_snd.sb_timeo.tv_nsec;
		so2->so_count++;
		if (ns != 0)
			error = cv_timedwait_ns(&so2->so_rcv.sb_cv, &uipc_lock,
			    ns);
		else
			error = cv_wait_sig(&so2->so_rcv.sb_cv, &uipc_lock);
		so2->so_count--;
		if (so2->so_pcb == NULL) {
			sofree(so2);
			return ECONNREFUSED;
		}
		if (error != 0)
			return error == EWOULDBLOCK ? EAGAIN : error;
	}
	return 0;
}

/* Whether control holds an SCM_CREDENTIALS message. */
static bool
unp_hascreds(const struct mbuf *control)
{
	const struct cmsghdr *cm;

	for (; control != NULL; control = control->m_next) {
		cm = mtod(control, const struct cmsghdr *);
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS)
			return true;
	}
	return false;
}

/* The sender's credentials go with the message if the receiver wants them. */
static int
unp_wantcreds(struct socket *so2, struct mbuf **controlp)
{
	struct mbuf *cr, *m;

	if (so2->so_options & SOF_PASSCRED) {
		if (unp_hascreds(*controlp))
			return 0;
		if ((cr = unp_addcreds()) == NULL)
			return ENOBUFS;
		cr->m_next = *controlp;
		*controlp = cr;
		return 0;
	}
	/* Credentials nobody asked for are dropped, as Linux does. */
	for (struct mbuf **mp = controlp; (m = *mp) != NULL;) {
		if (mtod(m, struct cmsghdr *)->cmsg_type == SCM_CREDENTIALS) {
			*mp = m_free(m);
			continue;
		}
		mp = &m->m_next;
	}
	return 0;
}

static int
unp_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam,
    socklen_t namlen, struct mbuf *control, struct lwp *l)
{
	struct unpcb *unp = sotounpcb(so), *unp2;
	struct sockaddr *from;
	struct socket *so2;
	long len = m != NULL ? m_length(m) : 0;
	int error = 0;

	(void)l;
	KASSERT(solocked(so));
	if (control != NULL && (error = unp_internalize(&control, so)) != 0)
		goto out;
	if (so->so_type == SOCK_DGRAM) {
		if (nam != NULL) {
			error = unp_lookup(nam, namlen, SOCK_DGRAM, &unp2);
			if (error != 0)
				goto out;
		} else if (unp->unp_flags & UNP_PEERGONE) {
			unp->unp_flags &= ~UNP_PEERGONE;
			so->so_state &= ~SS_ISCONNECTED;
			error = ECONNREFUSED;
			goto out;
		} else if ((unp2 = unp->unp_conn) == NULL) {
			error = ENOTCONN;
			goto out;
		}
		so2 = unp2->unp_socket;
		if (so2->so_type != SOCK_DGRAM) {
			error = EPROTOTYPE;
			goto out;
		}
		/* Connected elsewhere, it takes nothing from us (Linux). */
		if (unp2->unp_conn != NULL && unp2->unp_conn != unp) {
			error = EPERM;
			goto out;
		}
		if ((so->so_options & SOF_PASSCRED) && unp->unp_addrlen == 0 &&
		    (error = unp_autobind(unp)) != 0)
			goto out;
		if ((error = unp_dgram_wait(so, so2, len)) != 0)
			goto out;
		if ((error = unp_wantcreds(so2, &control)) != 0)
			goto out;
		from = unp->unp_addrlen > 0 ? (struct sockaddr *)&unp->unp_addr
					    : NULL;
		if (!sbappendaddr(&so2->so_rcv, from, unp->unp_addrlen, m,
			control)) {
			error = ENOBUFS;
			goto out;
		}
		m = control = NULL;
		sorwakeup(so2);
		unp_dgram_update(unp2);
		goto out;
	}
	if (nam != NULL) {
		error = EISCONN;
		goto out;
	}
	if ((unp2 = unp->unp_conn) == NULL) {
		error = EPIPE;
		goto out;
	}
	so2 = unp2->unp_socket;
	if (so2->so_state & SS_CANTRCVMORE) {
		error = EPIPE;
		goto out;
	}
	if ((error = unp_wantcreds(so2, &control)) != 0)
		goto out;
	if (m == NULL && (m = m_gethdr(M_WAIT, MT_DATA)) == NULL) {
		error = ENOBUFS;
		goto out;
	}
	if (so->so_type == SOCK_SEQPACKET)
		m->m_flags |= M_EOR;
	if (control != NULL) {
		if (!sbappendcontrol(&so2->so_rcv, m, control)) {
			error = ENOBUFS;
			goto out;
		}
	} else if (so->so_type == SOCK_SEQPACKET)
		sbappendrecord(&so2->so_rcv, m);
	else
		sbappendstream(&so2->so_rcv, m);
	m = control = NULL;
	so->so_snd.sb_cc = so2->so_rcv.sb_cc;
	so->so_snd.sb_mbcnt = so2->so_rcv.sb_mbcnt;
	sorwakeup(so2);
out:
	m_freem(m);
	for (struct mbuf *c = control; c != NULL; c = c->m_next)
		unp_dispose(c);
	m_freem(control);
	return error;
}

/* A one-byte stream chunk for an urgent byte going back inline. */
static struct mbuf *
unp_bytembuf(char c)
{
	struct mbuf *m;

	if ((m = m_get(M_WAIT, MT_DATA)) != NULL) {
		*mtod(m, char *) = c;
		m->m_len = 1;
	}
	return m;
}

/*
 * MSG_OOB on a stream, as Linux (5.15 and later) has it: the last byte
 * sent is urgent.  The bytes before it go into the stream; the byte is
 * kept apart at the receiver (inline with SO_OOBINLINE), with the mark
 * after the bytes before it.  An urgent byte still unread when the next
 * one comes goes back into the stream, as an ordinary byte.
 */
static int
unp_sendoob(struct socket *so, struct mbuf *m, struct mbuf *control)
{
	struct unpcb *unp = sotounpcb(so), *unp2;
	struct socket *so2;
	struct mbuf *old;
	int len = m != NULL ? m_length(m) : 0, error = 0;
	char c;

	KASSERT(solocked(so));
	if (so->so_type != SOCK_STREAM) {
		error = EOPNOTSUPP;
		goto out;
	}
	if (control != NULL) {
		error = EINVAL;
		goto out;
	}
	if ((unp2 = unp->unp_conn) == NULL ||
	    ((so2 = unp2->unp_socket)->so_state & SS_CANTRCVMORE)) {
		error = EPIPE;
		goto out;
	}
	if (len == 0)
		goto out;
	m_copydata(m, len - 1, 1, &c);
	if (unp2->unp_hasoob) {
		if ((old = unp_bytembuf(unp2->unp_oobbyte)) == NULL) {
			error = ENOBUFS;
			goto out;
		}
		sbappendstream(&so2->so_rcv, old);
		unp2->unp_hasoob = false;
	}
	if ((so2->so_options & SOF_OOBINLINE) == 0)
		m_adj(m, -1);
	so2->so_oobmark = so2->so_rcv.sb_cc + (u_long)(len - 1);
	if ((so2->so_options & SOF_OOBINLINE) == 0) {
		unp2->unp_oobbyte = c;
		unp2->unp_hasoob = true;
	}
	if (m_length(m) > 0) {
		sbappendstream(&so2->so_rcv, m);
		m = NULL;
	}
	if (so2->so_oobmark == 0)
		so2->so_state |= SS_RCVATMARK;
	so->so_snd.sb_cc = so2->so_rcv.sb_cc;
	so->so_snd.sb_mbcnt = so2->so_rcv.sb_mbcnt;
	sohasoutofband(so2);
	sorwakeup(so2);
out:
	m_freem(m);
	m_freem(control);
	return error;
}

static int
unp_recvoob(struct socket *so, struct mbuf *m, int flags)
{
	struct unpcb *unp = sotounpcb(so);

	if (so->so_type != SOCK_STREAM)
		return EOPNOTSUPP;
	if (!unp->unp_hasoob || (so->so_options & SOF_OOBINLINE))
		return EINVAL;
	*mtod(m, char *) = unp->unp_oobbyte;
	m->m_len = 1;
	if ((flags & MSG_PEEK) == 0)
		unp->unp_hasoob = false;
	return 0;
}

const struct pr_usrreqs unp_usrreqs = {
	.pr_attach = unp_attach,
	.pr_detach = unp_detach,
	.pr_accept = unp_accept,
	.pr_bind = unp_bind,
	.pr_listen = unp_listen,
	.pr_connect = unp_connect,
	.pr_connect2 = unp_connect2,
	.pr_disconnect = unp_pr_disconnect,
	.pr_shutdown = unp_shutdown,
	.pr_abort = unp_abort,
	.pr_peeraddr = unp_peeraddr,
	.pr_sockaddr = unp_sockaddr,
	.pr_rcvd = unp_rcvd,
	.pr_send = unp_send,
	.pr_sendoob = unp_sendoob,
	.pr_recvoob = unp_recvoob,
};
