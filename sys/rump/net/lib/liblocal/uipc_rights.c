/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Control messages of the Unix domain: SCM_RIGHTS (descriptors) and
 * SCM_CREDENTIALS, and the collector of sockets kept alive only by
 * messages in flight.
 *
 * Rights in flight: unp_internalize turns each descriptor of an
 * SCM_RIGHTS message into a reference to its file, stored in the
 * message in place of the int (the message is rebuilt with pointers);
 * unp_externalize, at the receiver, gives each file a descriptor in the
 * receiving process; unp_dispose, for a message that will never be
 * received (its socket closed, the collector), lets the references go.
 * A file is never released with uipc_lock held: the release is deferred
 * to the domain's worker, whose array of deferred files always has room
 * for every file in flight (it grows before a file is put in flight), so
 * that disposing never has to allocate.
 *
 * The collector (unp_gc, in the worker): a Unix socket whose every file
 * reference is a message in flight (f_count == unp_msgcount) can only be
 * reached through those messages.  Among such candidates, one with a
 * message sitting in a socket that is not a candidate is live, and so is
 * every candidate reachable from a live one through the messages queued
 * at it.  The rest are cycles nobody can receive from: their queues are
 * flushed, which lets their files, and so the sockets, go.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/workqueue.h>

#include "local_private.h"

#define SCM_MAX_FD 253                  /* Linux: descriptors per message */

static unsigned unp_rights;             /* u: files in flight */
static struct file **unp_deferred;      /* u: files to release */
static unsigned unp_ndeferred;          /* u */
static unsigned unp_deferred_cap;       /* u: >= unp_rights + unp_ndeferred */
static bool unp_gc_wanted;              /* u */
static bool unp_work_queued;            /* u */
static struct workqueue *unp_wq;
static struct work unp_work;

static void unp_worker(struct work *, void *);

void
unp_rights_init(void)
{
	if (workqueue_create(&unp_wq, "unpgc", unp_worker, NULL, 0, IPL_NONE,
		WQ_MPSAFE) != 0)
		panic("unix domain: no worker");
}

static void
unp_kick(void)
{
	KASSERT(mutex_owned(&uipc_lock));
	if (!unp_work_queued) {
		unp_work_queued = true;
		workqueue_enqueue(unp_wq, &unp_work, NULL);
	}
}

/* Room in the deferred array for n more files in flight. */
static int
unp_reserve(unsigned n)
{
	unsigned need = unp_rights + unp_ndeferred + n, cap;
	struct file **a;

	KASSERT(mutex_owned(&uipc_lock));
	if (need <= unp_deferred_cap)
		return 0;
	cap = MAX(need, 2 * unp_deferred_cap);
	cap = MAX(cap, 64);
	if ((a = kmem_alloc(cap * sizeof(*a), KM_SLEEP)) == NULL)
		return ENOBUFS;
	if (unp_deferred != NULL) {
		memcpy(a, unp_deferred, unp_ndeferred * sizeof(*a));
		kmem_free(unp_deferred, unp_deferred_cap * sizeof(*a));
	}
	unp_deferred = a;
	unp_deferred_cap = cap;
	return 0;
}

/* Hand a reference to the worker (uipc_lock held; the room is there). */
static void
unp_defer(struct file *fp)
{
	KASSERT(unp_ndeferred < unp_deferred_cap);
	unp_deferred[unp_ndeferred++] = fp;
	unp_kick();
}

struct unpcb *
unp_fromfile(struct file *fp)
{
	struct socket *so;

	if (fp->f_type != DTYPE_SOCKET || (so = fp->f_data) == NULL ||
	    so->so_family != AF_UNIX)
		return NULL;
	return sotounpcb(so);
}

/* A file leaves flight (received, or disposed of). */
static void
unp_unflight(struct file *fp)
{
	struct unpcb *unp;

	KASSERT(unp_rights > 0);
	unp_rights--;
	if ((unp = unp_fromfile(fp)) != NULL) {
		KASSERT(unp->unp_msgcount > 0);
		unp->unp_msgcount--;
	}
}

static bool
unp_isrights(const struct mbuf *m)
{
	const struct cmsghdr *cm = mtod(m, const struct cmsghdr *);

	return m->m_type == MT_CONTROL && m->m_len >= (int)sizeof(*cm) &&
	    cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS;
}

/* The files of an internalized SCM_RIGHTS message. */
static struct file **
unp_files(struct mbuf *m, unsigned *np)
{
	struct cmsghdr *cm = mtod(m, struct cmsghdr *);

	*np = (unsigned)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(struct file *));
	return (struct file **)(void *)CMSG_DATA(cm);
}

/* One SCM_RIGHTS message: its descriptors taken as files in flight. */
static int
unp_internalize_rights(const struct cmsghdr *cm, struct mbuf **mp)
{
	size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	const int *fds = (const int *)(const void *)CMSG_DATA(cm);
	struct cmsghdr *ncm;
	struct file **files, *fp;
	struct unpcb *unp;
	struct mbuf *m;
	size_t i;
	int error;

	if (n > SCM_MAX_FD)
		return EINVAL;
	if ((error = unp_reserve((unsigned)n)) != 0)
		return error;
	m = CMSG_SPACE(n * sizeof(fp)) > MLEN ? m_getcl(M_WAIT, MT_CONTROL, 0)
					       : m_get(M_WAIT, MT_CONTROL);
	if (m == NULL)
		return ENOBUFS;
	ncm = mtod(m, struct cmsghdr *);
	files = (struct file **)(void *)CMSG_DATA(ncm);
	for (i = 0; i < n; i++) {
		if ((error = fd_getfile(fds[i], &files[i])) != 0)
			break;
	}
	if (error != 0) {
		/* Not yet in flight: the references go as deferred releases. */
		while (i > 0)
			unp_defer(files[--i]);
		m_free(m);
		return error;
	}
	for (i = 0; i < n; i++) {
		unp_rights++;
		if ((unp = unp_fromfile(files[i])) != NULL) {
			unp->unp_msgcount++;
			unp->unp_file = files[i];
		}
	}
	ncm->cmsg_len = CMSG_LEN(n * sizeof(fp));
	ncm->cmsg_level = SOL_SOCKET;
	ncm->cmsg_type = SCM_RIGHTS;
	m->m_len = (int)CMSG_SPACE(n * sizeof(fp));
	*mp = m;
	return 0;
}

/* SCM_CREDENTIALS as Linux checks them: the sender's own, or root's choice. */
static int
unp_checkcreds(const struct cmsghdr *cm)
{
	kauth_cred_t cred = kauth_cred_get();
	struct ucred uc;

	if (cm->cmsg_len != CMSG_LEN(sizeof(uc)))
		return EINVAL;
	memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	if (kauth_cred_issuser(cred))
		return 0;
	if (uc.pid != curproc->p_pid)
		return EPERM;
	if (uc.uid != cred->cr_uid && uc.uid != cred->cr_euid &&
	    uc.uid != cred->cr_svuid)
		return EPERM;
	if (uc.gid != cred->cr_gid && uc.gid != cred->cr_egid &&
	    uc.gid != cred->cr_svgid)
		return EPERM;
	return 0;
}

struct mbuf *
unp_addcreds(void)
{
	kauth_cred_t cred = kauth_cred_get();
	struct ucred uc = { .pid = curproc->p_pid, .uid = cred->cr_euid,
		.gid = cred->cr_egid };

	return sbcreatecontrol(&uc, sizeof(uc), SCM_CREDENTIALS, SOL_SOCKET);
}

/*
 * Rebuild a client's control buffer as one mbuf per message: rights as
 * files in flight, credentials checked, messages of other levels
 * dropped, unknown SOL_SOCKET types EINVAL.  On error nothing is in
 * flight and *controlp is freed.
 */
int
unp_internalize(struct mbuf **controlp, struct socket *so)
{
	struct mbuf *in = *controlp, *out = NULL, **tail = &out, *m;
	const struct cmsghdr *cm;
	size_t off;
	int error = 0;

	(void)so;
	KASSERT(mutex_owned(&uipc_lock));
	*controlp = NULL;
	for (off = 0; off + sizeof(*cm) <= (size_t)in->m_len;
	     off += CMSG_ALIGN(cm->cmsg_len)) {
		cm = (const struct cmsghdr *)(mtod(in, char *) + off);
		if (cm->cmsg_level != SOL_SOCKET)
			continue;
		if (cm->cmsg_type == SCM_RIGHTS)
			error = unp_internalize_rights(cm, &m);
		else if (cm->cmsg_type == SCM_CREDENTIALS) {
			if ((error = unp_checkcreds(cm)) == 0 &&
			    (m = sbcreatecontrol(CMSG_DATA(cm),
				 sizeof(struct ucred), SCM_CREDENTIALS,
				 SOL_SOCKET)) == NULL)
				error = ENOBUFS;
		} else
			error = EINVAL;
		if (error != 0)
			break;
		*tail = m;
		tail = &m->m_next;
	}
	m_freem(in);
	if (error != 0) {
		for (m = out; m != NULL; m = m->m_next)
			unp_dispose(m);
		m_freem(out);
		return error;
	}
	/* Credentials first, as Linux delivers them. */
	for (struct mbuf **mp = &out; (m = *mp) != NULL; mp = &m->m_next) {
		if (mtod(m, struct cmsghdr *)->cmsg_type == SCM_CREDENTIALS &&
		    mp != &out) {
			*mp = m->m_next;
			m->m_next = out;
			out = m;
			break;
		}
	}
	*controlp = out;
	return 0;
}

int
unp_externalize(struct mbuf *m, struct lwp *l, int flags)
{
	struct proc *p = l->l_proc;
	struct filedesc *fdp = p->p_fd;
	struct file *files[SCM_MAX_FD], **inflight;
	struct cmsghdr *cm = mtod(m, struct cmsghdr *);
	unsigned n, i, got = 0;
	int *fds, fd, error = 0;

	KASSERT(mutex_owned(&uipc_lock));
	inflight = unp_files(m, &n);
	KASSERT(n <= SCM_MAX_FD);
	memcpy(files, inflight, n * sizeof(files[0]));
	fds = (int *)(void *)CMSG_DATA(cm);
	for (i = 0; i < n; i++) {
		unp_unflight(files[i]);
		if (error == 0) {
			mutex_enter(&fdp->fd_lock);
			error = fd_alloc(fdp, 0, &fd);
			mutex_exit(&fdp->fd_lock);
		}
		if (error != 0) {
			/* No descriptor for it (EMFILE): it is closed. */
			unp_defer(files[i]);
			continue;
		}
		fd_affix(p, files[i], fd);
		if (flags & MSG_CMSG_CLOEXEC)
			fd_set_exclose(fd, true);
		fds[got++] = fd;
	}
	cm->cmsg_len = CMSG_LEN(got * sizeof(int));
	m->m_len = (int)CMSG_SPACE(got * sizeof(int));
	return 0;
}

void
unp_dispose(struct mbuf *m)
{
	struct file **files;
	unsigned n;

	KASSERT(mutex_owned(&uipc_lock));
	if (!unp_isrights(m))
		return;
	files = unp_files(m, &n);
	for (unsigned i = 0; i < n; i++) {
		unp_unflight(files[i]);
		unp_defer(files[i]);
	}
	/* Disposed of: the message holds no references any more. */
	mtod(m, struct cmsghdr *)->cmsg_len = CMSG_LEN(0);
}

void
unp_gc_schedule(void)
{
	KASSERT(mutex_owned(&uipc_lock));
	if (unp_rights > 0) {
		unp_gc_wanted = true;
		unp_kick();
	}
}

/* Call fn(unp, arg) for each candidate with a message queued at so. */
static void
unp_scan(struct socket *so, void (*fn)(struct unpcb *, bool *), bool *changed)
{
	struct mbuf *rec, *m;
	struct file **files;
	struct unpcb *unp;
	unsigned n;

	for (rec = so->so_rcv.sb_mb; rec != NULL; rec = rec->m_nextpkt)
		for (m = rec; m != NULL; m = m->m_next) {
			if (!unp_isrights(m))
				continue;
			files = unp_files(m, &n);
			for (unsigned i = 0; i < n; i++)
				if ((unp = unp_fromfile(files[i])) != NULL &&
				    (unp->unp_flags & UNP_GCCAND))
					fn(unp, changed);
		}
}

static void
unp_gc_unref(struct unpcb *unp, bool *changed)
{
	(void)changed;
	KASSERT(unp->unp_gcrefs > 0);
	unp->unp_gcrefs--;
}

static void
unp_gc_mark(struct unpcb *unp, bool *changed)
{
	if ((unp->unp_flags & UNP_GCLIVE) == 0) {
		unp->unp_flags |= UNP_GCLIVE;
		*changed = true;
	}
}

static void
unp_gc(void)
{
	struct unpcb *unp;
	bool changed;

	KASSERT(mutex_owned(&uipc_lock));
	LIST_FOREACH(unp, &unp_all, unp_link) {
		unp->unp_flags &= ~(UNP_GCCAND | UNP_GCLIVE);
		if (unp->unp_msgcount > 0 && unp->unp_file != NULL &&
		    atomic_load_relaxed(&unp->unp_file->f_count) ==
			unp->unp_msgcount) {
			unp->unp_flags |= UNP_GCCAND;
			unp->unp_gcrefs = unp->unp_msgcount;
		}
	}
	/* References from candidates' queues do not keep anyone alive. */
	LIST_FOREACH(unp, &unp_all, unp_link)
		if (unp->unp_flags & UNP_GCCAND)
			unp_scan(unp->unp_socket, unp_gc_unref, NULL);
	LIST_FOREACH(unp, &unp_all, unp_link)
		if ((unp->unp_flags & UNP_GCCAND) && unp->unp_gcrefs > 0)
			unp->unp_flags |= UNP_GCLIVE;
	do {
		changed = false;
		LIST_FOREACH(unp, &unp_all, unp_link)
			if ((unp->unp_flags & (UNP_GCCAND | UNP_GCLIVE)) ==
			    (UNP_GCCAND | UNP_GCLIVE))
				unp_scan(unp->unp_socket, unp_gc_mark,
				    &changed);
	} while (changed);
	LIST_FOREACH(unp, &unp_all, unp_link)
		if ((unp->unp_flags & (UNP_GCCAND | UNP_GCLIVE)) == UNP_GCCAND)
			sbflush(&unp->unp_socket->so_rcv);
}

/* The worker: collect, then release the deferred files, lock dropped. */
static void
unp_worker(struct work *wk, void *arg)
{
	struct file *fp;

	(void)wk;
	(void)arg;
	mutex_enter(&uipc_lock);
	unp_work_queued = false;
	if (unp_gc_wanted) {
		unp_gc_wanted = false;
		unp_gc();
	}
	while (unp_ndeferred > 0) {
		fp = unp_deferred[--unp_ndeferred];
		mutex_exit(&uipc_lock);
		(void)file_release(fp);
		mutex_enter(&uipc_lock);
	}
	mutex_exit(&uipc_lock);
}
