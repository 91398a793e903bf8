/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Socket buffers and the state changes protocols report.
 *
 * A socket buffer is a list of records linked by m_nextpkt, each a chain
 * by m_next.  A record of a protocol with addresses (PR_ADDR) starts
 * with an MT_SONAME mbuf holding the sender's address (its m_len is the
 * address's length), then any MT_CONTROL mbufs (whole cmsghdrs), then
 * the data.  A stream has one record that grows at its tail.  sb_cc
 * counts data bytes only; sb_mbcnt counts the storage of every mbuf, so
 * that many tiny records cannot use unbounded memory.
 *
 * Everything here runs with the socket's lock held (*so_lock; the
 * sockbuf has none of its own).  A change that may make a socket
 * readable or writable wakes its sleepers (sb_cv, so_cv) and its pollers
 * (selnotify on sb_sel, whose interlock is so_lock).
 *
 * Connection state moves as: (none) -> ISCONNECTING -> ISCONNECTED ->
 * ISDISCONNECTING -> ISDISCONNECTED, or straight to ISCONNECTED
 * (soisconnected) or ISDISCONNECTED (soisdisconnected) from any state.
 * A socket a listener made moves from its so_q0 to its so_q when it
 * becomes connected, and its listener is woken for accept(2).
 */
#include <sys/systm.h>
#include <sys/domain.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/poll.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/time.h>

#include "net_private.h"

/* The most any buffer may be given (Linux: twice rmem_max/wmem_max). */
#define SB_MAX (2 * 212992UL)

#define SEL_RCV_EVENTS                                                         \
	(POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI | POLLHUP | POLLRDHUP |    \
	    POLLERR)
#define SEL_SND_EVENTS (POLLOUT | POLLWRNORM | POLLWRBAND | POLLHUP | POLLERR)

static u_long
m_storage(const struct mbuf *m)
{
	return MSIZE + ((m->m_flags & M_EXT) ? m->m_ext.ext_size : 0);
}

/* Count m in sb. */
static void
sballoc(struct sockbuf *sb, const struct mbuf *m)
{
	if (m_isdata(m))
		sb->sb_cc += (u_long)m->m_len;
	sb->sb_mbcnt += m_storage(m);
}

static void
sbfree(struct sockbuf *sb, const struct mbuf *m)
{
	if (m_isdata(m))
		sb->sb_cc -= (u_long)m->m_len;
	sb->sb_mbcnt -= m_storage(m);
}

long
sbspace(const struct sockbuf *sb)
{
	long data = (long)sb->sb_hiwat - (long)sb->sb_cc;
	long mem = (long)sb->sb_mbmax - (long)sb->sb_mbcnt;

	return MIN(data, mem);
}

bool
sbreserve(struct sockbuf *sb, u_long cc, struct socket *so)
{
	(void)so;
	if (cc == 0 || cc > SB_MAX)
		return false;
	sb->sb_hiwat = cc;
	/* Room for the mbufs of many small records, as Linux's truesize. */
	sb->sb_mbmax = MIN(cc * 4, SB_MAX * 4);
	if (sb->sb_lowat > (long)sb->sb_hiwat)
		sb->sb_lowat = (long)sb->sb_hiwat;
	return true;
}

bool
soreserve(struct socket *so, u_long sndcc, u_long rcvcc)
{
	if (!sbreserve(&so->so_snd, sndcc, so) ||
	    !sbreserve(&so->so_rcv, rcvcc, so))
		return false;
	if (so->so_rcv.sb_lowat == 0)
		so->so_rcv.sb_lowat = 1;
	if (so->so_snd.sb_lowat == 0)
		so->so_snd.sb_lowat = 1;
	return true;
}

void
sbrelease(struct sockbuf *sb, struct socket *so)
{
	sbflush(sb);
	(void)so;
	sb->sb_hiwat = sb->sb_mbmax = 0;
}

/* The last mbuf of the chain m. */
static struct mbuf *
m_last(struct mbuf *m)
{
	while (m->m_next != NULL)
		m = m->m_next;
	return m;
}

/* Link a new record whose first mbuf is m (already counted) at the end. */
static void
sblinkrecord(struct sockbuf *sb, struct mbuf *m)
{
	if (sb->sb_lastrecord != NULL)
		sb->sb_lastrecord->m_nextpkt = m;
	else
		sb->sb_mb = m;
	sb->sb_lastrecord = m;
	sb->sb_mbtail = m_last(m);
}

/* Count a chain and drop empty mbufs from it (the head is kept). */
static struct mbuf *
sbcompress(struct sockbuf *sb, struct mbuf *m)
{
	struct mbuf *n, **np;

	for (np = &m->m_next; (n = *np) != NULL;) {
		if (n->m_len == 0 && m_isdata(n)) {
			*np = m_free(n);
			continue;
		}
		sballoc(sb, n);
		np = &n->m_next;
	}
	sballoc(sb, m);
	return m;
}

void
sbappendstream(struct sockbuf *sb, struct mbuf *m)
{
	struct mbuf *tail;

	if (m == NULL)
		return;
	KASSERT(m->m_nextpkt == NULL);
	if (m->m_flags & M_PKTHDR)
		m->m_flags &= ~M_PKTHDR;
	if (sb->sb_mb == NULL) {
		sbcompress(sb, m);
		sblinkrecord(sb, m);
		return;
	}
	tail = sb->sb_mbtail;
	/* Small writes are copied into the tail's room, not queued as mbufs. */
	while (m != NULL && (m->m_flags & M_EXT) == 0 &&
	    M_TRAILINGSPACE(tail) >= m->m_len && m->m_type == tail->m_type) {
		memcpy(tail->m_data + tail->m_len, m->m_data, (size_t)m->m_len);
		tail->m_len += m->m_len;
		sb->sb_cc += (u_long)m->m_len;
		m = m_free(m);
	}
	if (m == NULL)
		return;
	sbcompress(sb, m);
	tail->m_next = m;
	sb->sb_mbtail = m_last(m);
}

void
sbappend(struct sockbuf *sb, struct mbuf *m)
{
	sbappendstream(sb, m);
}

void
sbappendrecord(struct sockbuf *sb, struct mbuf *m)
{
	if (m == NULL)
		return;
	KASSERT(m->m_nextpkt == NULL);
	sbcompress(sb, m);
	sblinkrecord(sb, m);
}

bool
sbappendaddr(struct sockbuf *sb, const struct sockaddr *sa, socklen_t salen,
    struct mbuf *m, struct mbuf *control)
{
	struct mbuf *n, *nam = NULL;
	int space = m != NULL ? m_length(m) : 0;

	if (m != NULL && (m->m_flags & M_PKTHDR))
		space = m->m_pkthdr.len;
	if (sa != NULL && salen > MLEN)
		return false;
	if ((long)space > sbspace(sb))
		return false;
	if (sa != NULL) {
		if ((nam = m_get(M_DONTWAIT, MT_SONAME)) == NULL)
			return false;
		memcpy(nam->m_data, sa, salen);
		nam->m_len = (int)salen;
	}
	/* Address, then control, then data. */
	if (control != NULL) {
		m_last(control)->m_next = m;
		m = control;
	}
	if (nam != NULL) {
		nam->m_next = m;
		m = nam;
	}
	if (m == NULL) {
		/* An empty datagram: a record of one empty data mbuf. */
		if ((m = m_get(M_DONTWAIT, MT_DATA)) == NULL)
			return false;
	}
	for (n = m; n != NULL; n = n->m_next)
		sballoc(sb, n);
	sblinkrecord(sb, m);
	return true;
}

bool
sbappendcontrol(struct sockbuf *sb, struct mbuf *m, struct mbuf *control)
{
	struct mbuf *n;

	if (control == NULL) {
		sbappendrecord(sb, m);
		return true;
	}
	if ((long)(m != NULL ? m_length(m) : 0) > sbspace(sb))
		return false;
	m_last(control)->m_next = m;
	for (n = control; n != NULL; n = n->m_next)
		sballoc(sb, n);
	sblinkrecord(sb, control);
	return true;
}

/*
 * Release the rights a control mbuf about to be freed carries.  Only
 * the Unix domain passes rights (SCM_RIGHTS, level SOL_SOCKET), so its
 * dom_dispose is the one asked.
 */
static void
sbdispose(struct mbuf *m)
{
	const struct cmsghdr *cm;
	const struct domain *dom;

	if (m->m_type != MT_CONTROL || m->m_len < (int)sizeof(*cm))
		return;
	cm = mtod(m, const struct cmsghdr *);
	if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
		return;
	if ((dom = pffinddomain(AF_UNIX)) != NULL && dom->dom_dispose != NULL)
		dom->dom_dispose(m);
}

void
sbdroprecord(struct sockbuf *sb)
{
	struct mbuf *m = sb->sb_mb, *next;

	if (m == NULL)
		return;
	sb->sb_mb = m->m_nextpkt;
	m->m_nextpkt = NULL;
	for (; m != NULL; m = next) {
		next = m->m_next;
		sbfree(sb, m);
		sbdispose(m);
		m->m_next = NULL;
		m_free(m);
	}
	if (sb->sb_mb == NULL) {
		sb->sb_lastrecord = NULL;
		sb->sb_mbtail = NULL;
	}
}

struct mbuf *
sbunlinkhead(struct sockbuf *sb)
{
	struct mbuf *m = sb->sb_mb, *next;

	KASSERT(m != NULL);
	next = m->m_next;
	sbfree(sb, m);
	if (next != NULL) {
		/* The rest of the record stays first. */
		next->m_nextpkt = m->m_nextpkt;
		sb->sb_mb = next;
		if (sb->sb_lastrecord == m)
			sb->sb_lastrecord = next;
	} else {
		sb->sb_mb = m->m_nextpkt;
		if (sb->sb_lastrecord == m)
			sb->sb_lastrecord = NULL;
	}
	if (sb->sb_mb == NULL) {
		sb->sb_lastrecord = NULL;
		sb->sb_mbtail = NULL;
	}
	m->m_next = NULL;
	m->m_nextpkt = NULL;
	return m;
}

void
sbdrop(struct sockbuf *sb, int len)
{
	struct mbuf *m;

	while (len > 0) {
		m = sb->sb_mb;
		KASSERTMSG(m != NULL, "sbdrop: %d bytes past the buffer", len);
		if (m_isdata(m) && m->m_len > len) {
			m->m_data += len;
			m->m_len -= len;
			sb->sb_cc -= (u_long)len;
			return;
		}
		if (m_isdata(m))
			len -= m->m_len;
		m = sbunlinkhead(sb);
		sbdispose(m);
		m_free(m);
	}
}

void
sbflush(struct sockbuf *sb)
{
	while (sb->sb_mb != NULL)
		sbdroprecord(sb);
	KASSERT(sb->sb_cc == 0 && sb->sb_mbcnt == 0);
}

int
sbwait_until(struct sockbuf *sb, struct socket *so, uint64_t *deadlinep)
{
	uint64_t now;

	KASSERT(solocked(so));
	if (sb->sb_timeo.tv_sec == 0 && sb->sb_timeo.tv_nsec == 0)
		return cv_wait_sig(&sb->sb_cv, so->so_lock);
	now = getnsecuptime();
	if (*deadlinep == 0)
		*deadlinep = now +
		    (uint64_t)sb->sb_timeo.tv_sec * 1000000000ULL +
		    (uint64_t)sb->sb_timeo.tv_nsec;
	if (now >= *deadlinep)
		return EWOULDBLOCK;
	return cv_timedwait_ns(&sb->sb_cv, so->so_lock, *deadlinep - now);
}

int
sbwait(struct sockbuf *sb, struct socket *so)
{
	uint64_t ns;
	int error;

	KASSERT(solocked(so));
	if (sb->sb_timeo.tv_sec == 0 && sb->sb_timeo.tv_nsec == 0) {
		error = cv_wait_sig(&sb->sb_cv, so->so_lock);
	} else {
		ns = (uint64_t)sb->sb_timeo.tv_sec * 1000000000ULL +
		    (uint64_t)sb->sb_timeo.tv_nsec;
		error = cv_timedwait_ns(&sb->sb_cv, so->so_lock, ns);
	}
	return error;
}

int
sblock(struct sockbuf *sb, struct socket *so, int wf)
{
	KASSERT(solocked(so));
	while (sb->sb_busy) {
		if (wf != M_WAIT)
			return EWOULDBLOCK;
		cv_wait(&sb->sb_cv, so->so_lock);
	}
	sb->sb_busy = true;
	return 0;
}

void
sbunlock(struct sockbuf *sb, struct socket *so)
{
	KASSERT(solocked(so));
	KASSERT(sb->sb_busy);
	sb->sb_busy = false;
	cv_broadcast(&sb->sb_cv);
}

void
sorwakeup(struct socket *so)
{
	KASSERT(solocked(so));
	cv_broadcast(&so->so_rcv.sb_cv);
	selnotify(&so->so_rcv.sb_sel, SEL_RCV_EVENTS);
}

void
sowwakeup(struct socket *so)
{
	KASSERT(solocked(so));
	cv_broadcast(&so->so_snd.sb_cv);
	selnotify(&so->so_snd.sb_sel, SEL_SND_EVENTS);
}

void
soisconnecting(struct socket *so)
{
	KASSERT(solocked(so));
	so->so_state &= ~(SS_ISCONNECTED | SS_ISDISCONNECTING);
	so->so_state |= SS_ISCONNECTING;
}

void
soisconnected(struct socket *so)
{
	struct socket *head = so->so_head;

	KASSERT(solocked(so));
	so->so_state &= ~(SS_ISCONNECTING | SS_ISDISCONNECTING |
	    SS_ISDISCONNECTED);
	so->so_state |= SS_ISCONNECTED;
	if (head != NULL && so->so_onq == 1) {
		soqremque(so, 0);
		TAILQ_INSERT_TAIL(&head->so_q, so, so_qe);
		so->so_onq = 2;
		head->so_qlen++;
		so->so_head = head;
		sorwakeup(head);
		cv_broadcast(&head->so_cv);
		return;
	}
	cv_broadcast(&so->so_cv);
	sorwakeup(so);
	sowwakeup(so);
}

void
soisdisconnecting(struct socket *so)
{
	KASSERT(solocked(so));
	so->so_state &= ~SS_ISCONNECTING;
	so->so_state |= SS_ISDISCONNECTING | SS_CANTRCVMORE | SS_CANTSENDMORE;
	cv_broadcast(&so->so_cv);
	sorwakeup(so);
	sowwakeup(so);
}

void
soisdisconnected(struct socket *so)
{
	KASSERT(solocked(so));
	so->so_state &=
	    ~(SS_ISCONNECTING | SS_ISCONNECTED | SS_ISDISCONNECTING);
	so->so_state |= SS_CANTRCVMORE | SS_CANTSENDMORE | SS_ISDISCONNECTED;
	cv_broadcast(&so->so_cv);
	sorwakeup(so);
	sowwakeup(so);
}

void
socantsendmore(struct socket *so)
{
	KASSERT(solocked(so));
	so->so_state |= SS_CANTSENDMORE;
	sowwakeup(so);
	/* Poll's POLLHUP is on the receive side: both are told. */
	selnotify(&so->so_rcv.sb_sel, SEL_RCV_EVENTS);
}

void
socantrcvmore(struct socket *so)
{
	KASSERT(solocked(so));
	so->so_state |= SS_CANTRCVMORE;
	sorwakeup(so);
	selnotify(&so->so_snd.sb_sel, SEL_SND_EVENTS);
}

void
sohasoutofband(struct socket *so)
{
	KASSERT(solocked(so));
	so->so_state |= SS_POLLPRI;
	cv_broadcast(&so->so_rcv.sb_cv);
	selnotify(&so->so_rcv.sb_sel, POLLPRI | POLLRDBAND);
}

struct socket *
sonewconn(struct socket *head, bool connected)
{
	struct socket *so;

	KASSERT(solocked(head));
	if ((head->so_options & SOF_ACCEPTCONN) == 0)
		return NULL;
	/* Linux: the queue is full past backlog connections. */
	if (head->so_qlen + head->so_q0len > head->so_qlimit)
		return NULL;
	if ((so = soalloc_conn(head)) == NULL)
		return NULL;
	if (connected) {
		TAILQ_INSERT_TAIL(&head->so_q, so, so_qe);
		so->so_onq = 2;
		head->so_qlen++;
		so->so_state |= SS_ISCONNECTED;
		sorwakeup(head);
		cv_broadcast(&head->so_cv);
	} else {
		TAILQ_INSERT_TAIL(&head->so_q0, so, so_qe);
		so->so_onq = 1;
		head->so_q0len++;
	}
	return so;
}

bool
soqremque(struct socket *so, int q)
{
	struct socket *head = so->so_head;

	KASSERT(solocked(so));
	if (head == NULL || so->so_onq != q + 1)
		return false;
	if (q == 0) {
		TAILQ_REMOVE(&head->so_q0, so, so_qe);
		head->so_q0len--;
	} else {
		TAILQ_REMOVE(&head->so_q, so, so_qe);
		head->so_qlen--;
	}
	so->so_onq = 0;
	so->so_head = NULL;
	return true;
}

struct mbuf *
sbcreatecontrol(const void *data, int size, int type, int level)
{
	struct cmsghdr *cp;
	struct mbuf *m;
	size_t space = CMSG_SPACE((size_t)size);

	if (space > MCLBYTES)
		return NULL;
	if (space > MLEN)
		m = m_getcl(M_DONTWAIT, MT_CONTROL, 0);
	else
		m = m_get(M_DONTWAIT, MT_CONTROL);
	if (m == NULL)
		return NULL;
	cp = mtod(m, struct cmsghdr *);
	memset(cp, 0, space);
	memcpy(CMSG_DATA(cp), data, (size_t)size);
	cp->cmsg_len = CMSG_LEN((size_t)size);
	cp->cmsg_level = level;
	cp->cmsg_type = type;
	m->m_len = (int)space;
	return m;
}
