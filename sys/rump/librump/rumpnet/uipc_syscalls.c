/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The socket system calls: arguments copied in and checked in Linux's
 * order with Linux's errors, then handed to the sockets layer
 * (uipc_socket.c).  Addresses cross as Linux's (no sa_len): an address
 * longer than struct sockaddr_storage is EINVAL, one returned to a
 * caller is truncated to its room and its full length reported.
 * Control messages cross as one kernel buffer of cmsghdrs; received
 * rights become descriptors (the domain's dom_externalize) and those the
 * caller has no room for are closed, with MSG_CTRUNC.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/domain.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "net_private.h"
#include "syscallargs.h"

#define SOCK_MAX      11                /* Linux: types are below this */
#define SOCKOPT_MAX   65536             /* largest option value copied */
#define CONTROL_MAX   10240             /* Linux: net.core.optmem_max/2 */
#define SSIZE_T_MAX   ((size_t)(~(size_t)0 >> 1))

/* The socket behind fd, with a reference on its file; ENOTSOCK if none. */
static int
fd_getsock(int fd, struct file **fpp, struct socket **sop)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_ops != &socketops) {
		fd_putfile(fp);
		return ENOTSOCK;
	}
	*fpp = fp;
	*sop = fp->f_data;
	return 0;
}

static bool
fp_nonblock(struct file *fp)
{
	return (atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK) != 0;
}

/* Copy an address in; EINVAL if longer than any address. */
static int
sockaddr_copyin(const void *uaddr, socklen_t len, struct sockaddr_storage *ss)
{
	if (len > sizeof(*ss))
		return EINVAL;
	memset(ss, 0, sizeof(*ss));
	return copyin(uaddr, ss, len);
}

/*
 * Give an address back: at most *ulenp bytes of it, and its full length
 * in *ulenp.  NULL uaddr: nothing asked for.
 */
static int
sockaddr_copyout(void *uaddr, socklen_t *ulenp,
    const struct sockaddr_storage *ss, socklen_t len)
{
	socklen_t room;
	int error;

	if (uaddr == NULL || ulenp == NULL)
		return 0;
	if ((error = copyin(ulenp, &room, sizeof(room))) != 0)
		return error;
	if ((int)room < 0)
		return EINVAL;
	if ((error = copyout(ss, uaddr, MIN(room, len))) != 0)
		return error;
	return copyout(&len, ulenp, sizeof(len));
}

/* Give so a descriptor in the current process. */
static int
fd_newsock(struct socket *so, int flags, int *fdp, struct file **fpp)
{
	struct file *fp;
	int error, fd;

	if ((error = fd_allocfile(&fp, &fd)) != 0)
		return error;
	fp->f_type = DTYPE_SOCKET;
	fp->f_flag = FREAD | FWRITE;
	if (flags & SOCK_NONBLOCK)
		fp->f_flag |= O_NONBLOCK;
	fp->f_ops = &socketops;
	fp->f_data = so;
	*fdp = fd;
	*fpp = fp;
	return 0;
}

static void
fd_publish(struct file *fp, int fd, int flags)
{
	if (flags & SOCK_CLOEXEC)
		fd_set_exclose(fd, true);
	fd_affix(curproc, fp, fd);
}

/* socket(2) and socketpair(2): the type's flags and range. */
static int
socket_type(int type, int *flagsp)
{
	*flagsp = type & ~SOCK_TYPE_MASK;
	if ((*flagsp & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0)
		return EINVAL;
	type &= SOCK_TYPE_MASK;
	if (type < 0 || type >= SOCK_MAX)
		return EINVAL;
	return 0;
}

int
sys_socket(struct lwp *l, const struct sys_socket_args *uap, register_t *rv)
{
	struct socket *so;
	struct file *fp;
	int error, flags, fd, type = uap->type;

	if (uap->domain < 0 || uap->domain >= AF_MAX)
		return EAFNOSUPPORT;
	if ((error = socket_type(type, &flags)) != 0)
		return error;
	type &= SOCK_TYPE_MASK;
	error = socreate(uap->domain, &so, type, uap->protocol, l, NULL);
	if (error != 0)
		return error;
	if ((error = fd_newsock(so, flags, &fd, &fp)) != 0) {
		soclose(so);
		return error;
	}
	fd_publish(fp, fd, flags);
	*rv = fd;
	return 0;
}

int
sys_socketpair(struct lwp *l, const struct sys_socketpair_args *uap,
    register_t *rv)
{
	struct socket *so1, *so2;
	struct file *fp1, *fp2;
	int error, flags, fds[2], type = uap->type;

	(void)rv;
	if (uap->domain < 0 || uap->domain >= AF_MAX)
		return EAFNOSUPPORT;
	if ((error = socket_type(type, &flags)) != 0)
		return error;
	type &= SOCK_TYPE_MASK;
	error = socreate(uap->domain, &so1, type, uap->protocol, l, NULL);
	if (error != 0)
		return error;
	solock(so1);
	error = socreate(uap->domain, &so2, type, uap->protocol, l, so1);
	if (error == 0 && (error = soconnect2(so1, so2)) != 0) {
		sounlock(so1);
		soclose(so2);
		solock(so1);
	}
	sounlock(so1);
	if (error != 0) {
		soclose(so1);
		return error;
	}
	if ((error = fd_newsock(so1, flags, &fds[0], &fp1)) != 0)
		goto fail;
	if ((error = fd_newsock(so2, flags, &fds[1], &fp2)) != 0) {
		fd_abort(curproc, fp1, fds[0]);
		goto fail;
	}
	if ((error = copyout(fds, uap->rsv, sizeof(fds))) != 0) {
		fd_abort(curproc, fp1, fds[0]);
		fd_abort(curproc, fp2, fds[1]);
		goto fail;
	}
	fd_publish(fp1, fds[0], flags);
	fd_publish(fp2, fds[1], flags);
	return 0;
fail:
	soclose(so1);
	soclose(so2);
	return error;
}

int
sys_bind(struct lwp *l, const struct sys_bind_args *uap, register_t *rv)
{
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	int error;

	(void)rv;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if ((error = sockaddr_copyin(uap->name, uap->namelen, &ss)) == 0)
		error = sobind(so, (struct sockaddr *)&ss, uap->namelen, l);
	fd_putfile(fp);
	return error;
}

int
sys_listen(struct lwp *l, const struct sys_listen_args *uap, register_t *rv)
{
	struct socket *so;
	struct file *fp;
	int error, backlog = uap->backlog;

	(void)rv;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	/* Linux compares as unsigned: negative means the most. */
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	error = solisten(so, backlog, l);
	fd_putfile(fp);
	return error;
}

/* accept(2), accept4(2): wait for a connection and give it a descriptor. */
static int
do_accept(int s, struct sockaddr *name, socklen_t *anamelen, int flags,
    register_t *rv)
{
	struct sockaddr_storage ss;
	struct socket *so, *so2;
	struct file *fp, *nfp;
	socklen_t len = 0;
	socklen_t room;
	uint64_t deadline = 0, now, timeo;
	int error, fd;

	if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0)
		return EINVAL;
	if ((error = fd_getsock(s, &fp, &so)) != 0)
		return error;
	if (name != NULL && anamelen != NULL) {
		if ((error = copyin(anamelen, &room, sizeof(room))) != 0)
			goto out;
		if ((int)room < 0) {
			error = EINVAL;
			goto out;
		}
	}
	if ((error = fd_newsock(NULL, flags, &fd, &nfp)) != 0)
		goto out;
	solock(so);
	if ((so->so_options & SOF_ACCEPTCONN) == 0) {
		error = (so->so_proto->pr_flags & PR_LISTEN) ? EINVAL
							       : EOPNOTSUPP;
		goto abort;
	}
	while (so->so_qlen == 0 && so->so_error == 0) {
		if (fp_nonblock(fp)) {
			error = EAGAIN;
			goto abort;
		}
		/* SO_RCVTIMEO bounds the whole wait (Linux). */
		timeo = (uint64_t)so->so_rcv.sb_timeo.tv_sec * 1000000000ULL +
		    (uint64_t)so->so_rcv.sb_timeo.tv_nsec;
		if (timeo != 0) {
			now = getnsecuptime();
			if (deadline == 0)
				deadline = now + timeo;
			error = now >= deadline ? EWOULDBLOCK
			    : cv_timedwait_ns(&so->so_cv, so->so_lock,
				  deadline - now);
		} else
			error = cv_wait_sig(&so->so_cv, so->so_lock);
		if (error != 0) {
			error = error == EWOULDBLOCK ? EAGAIN : error;
			goto abort;
		}
		if ((so->so_options & SOF_ACCEPTCONN) == 0) {
			error = EINVAL;
			goto abort;
		}
	}
	if (so->so_error != 0 && so->so_qlen == 0) {
		error = so->so_error;
		so->so_error = 0;
		goto abort;
	}
	so2 = TAILQ_FIRST(&so->so_q);
	soqremque(so2, 1);
	/* Room on the queue: connectors waiting for it may go on. */
	cv_broadcast(&so->so_cv);
	memset(&ss, 0, sizeof(ss));
	error = soaccept(so2, &ss, &len);
	if (error != 0) {
		soabort(so2);
		goto abort;
	}
	sounlock(so);
	nfp->f_data = so2;
	if ((error = sockaddr_copyout(name, anamelen, &ss, len)) != 0) {
		/* The connection is taken: it goes, accepted and closed. */
		fd_abort(curproc, NULL, fd);
		file_release(nfp);
		goto out;
	}
	fd_publish(nfp, fd, flags);
	*rv = fd;
	goto out;
abort:
	sounlock(so);
	fd_abort(curproc, nfp, fd);
out:
	fd_putfile(fp);
	return error;
}

int
sys_accept(struct lwp *l, const struct sys_accept_args *uap, register_t *rv)
{
	(void)l;
	return do_accept(uap->s, uap->name, uap->anamelen, 0, rv);
}

int
sys_accept4(struct lwp *l, const struct sys_accept4_args *uap, register_t *rv)
{
	(void)l;
	return do_accept(uap->s, uap->name, uap->anamelen, uap->flags, rv);
}

/*
 * connect(2): a blocking connect waits for the protocol to finish (or
 * fail: the error is so_error); a non-blocking one that has to wait
 * returns EINPROGRESS and its outcome shows in poll and SO_ERROR.
 */
int
sys_connect(struct lwp *l, const struct sys_connect_args *uap, register_t *rv)
{
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	uint64_t ns;
	int error;

	(void)rv;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if ((error = sockaddr_copyin(uap->name, uap->namelen, &ss)) != 0)
		goto out;
	solock(so);
	/* A protocol that would wait in pr_connect must not, with SS_NBIO. */
	if (fp_nonblock(fp))
		so->so_state |= SS_NBIO;
	else
		so->so_state &= ~SS_NBIO;
	error = soconnect(so, (struct sockaddr *)&ss, uap->namelen, l);
	if (error != 0)
		goto unlock;
	if ((so->so_proto->pr_flags & PR_CONNREQUIRED) == 0)
		goto unlock;
	if ((so->so_state & SS_ISCONNECTING) && fp_nonblock(fp)) {
		error = EINPROGRESS;
		goto unlock;
	}
	ns = (uint64_t)so->so_snd.sb_timeo.tv_sec * 1000000000ULL +
	    (uint64_t)so->so_snd.sb_timeo.tv_nsec;
	while ((so->so_state & SS_ISCONNECTING) && so->so_error == 0) {
		if (ns != 0) {
			if (cv_timedwait_ns(&so->so_cv, so->so_lock, ns) != 0) {
				error = EINPROGRESS;
				goto unlock;
			}
		} else
			(void)cv_wait_sig(&so->so_cv, so->so_lock);
	}
	if (so->so_error != 0) {
		error = so->so_error;
		so->so_error = 0;
		/*
		 * Linux: a blocking connect that failed leaves the socket
		 * unconnected, as before it (not shut down both ways).
		 */
		if ((so->so_state & SS_ISCONNECTED) == 0)
			so->so_state &= ~(SS_CANTRCVMORE | SS_CANTSENDMORE |
			    SS_ISDISCONNECTED);
	}
unlock:
	sounlock(so);
out:
	fd_putfile(fp);
	return error;
}

int
sys_shutdown(struct lwp *l, const struct sys_shutdown_args *uap,
    register_t *rv)
{
	struct socket *so;
	struct file *fp;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	error = soshutdown(so, uap->how);
	fd_putfile(fp);
	return error;
}

/* getsockname(2), getpeername(2). */
static int
do_getname(int s, struct sockaddr *name, socklen_t *alen, bool peer)
{
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	socklen_t len = 0, room;
	int error;

	if ((error = fd_getsock(s, &fp, &so)) != 0)
		return error;
	if ((error = copyin(alen, &room, sizeof(room))) != 0)
		goto out;
	if ((int)room < 0) {
		error = EINVAL;
		goto out;
	}
	memset(&ss, 0, sizeof(ss));
	solock(so);
	if (peer && (so->so_state & SS_ISCONNECTED) == 0)
		error = ENOTCONN;
	else if (so->so_pcb == NULL)
		error = peer ? ENOTCONN : EINVAL;
	else if (peer)
		error = so->so_proto->pr_usrreqs->pr_peeraddr(so, &ss, &len);
	else
		error = so->so_proto->pr_usrreqs->pr_sockaddr(so, &ss, &len);
	sounlock(so);
	if (error == 0)
		error = sockaddr_copyout(name, alen, &ss, len);
out:
	fd_putfile(fp);
	return error;
}

int
sys_getsockname(struct lwp *l, const struct sys_getsockname_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_getname(uap->fdes, uap->asa, uap->alen, false);
}

int
sys_getpeername(struct lwp *l, const struct sys_getpeername_args *uap,
    register_t *rv)
{
	(void)l;
	(void)rv;
	return do_getname(uap->fdes, uap->asa, uap->alen, true);
}

int
sys_setsockopt(struct lwp *l, const struct sys_setsockopt_args *uap,
    register_t *rv)
{
	struct sockopt sopt;
	struct socket *so;
	struct file *fp;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if ((int)uap->valsize < 0) {
		error = EINVAL;
		goto out;
	}
	sopt.sopt_level = uap->level;
	sopt.sopt_name = uap->name;
	sopt.sopt_size = MIN(uap->valsize, SOCKOPT_MAX);
	sopt.sopt_data = NULL;
	if (sopt.sopt_size > 0) {
		sopt.sopt_data = kmem_alloc(sopt.sopt_size, KM_SLEEP);
		if (sopt.sopt_data == NULL) {
			error = ENOMEM;
			goto out;
		}
		error = copyin(uap->val, sopt.sopt_data, sopt.sopt_size);
		if (error != 0)
			goto free;
	}
	error = sosetopt(so, &sopt);
free:
	if (sopt.sopt_data != NULL)
		kmem_free(sopt.sopt_data, MIN(uap->valsize, SOCKOPT_MAX));
out:
	fd_putfile(fp);
	return error;
}

int
sys_getsockopt(struct lwp *l, const struct sys_getsockopt_args *uap,
    register_t *rv)
{
	struct sockopt sopt;
	struct socket *so;
	struct file *fp;
	socklen_t room, len;
	size_t size;
	int error;

	(void)l;
	(void)rv;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if ((error = copyin(uap->avalsize, &room, sizeof(room))) != 0)
		goto out;
	if ((int)room < 0) {
		error = EINVAL;
		goto out;
	}
	size = MIN(room, SOCKOPT_MAX);
	sopt.sopt_level = uap->level;
	sopt.sopt_name = uap->name;
	sopt.sopt_size = size;
	if ((sopt.sopt_data = kmem_zalloc(MAX(size, 1), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = sogetopt(so, &sopt)) == 0) {
		len = (socklen_t)sopt.sopt_size;
		if ((error = copyout(sopt.sopt_data, uap->val, len)) == 0)
			error = copyout(&len, uap->avalsize, sizeof(len));
	}
	kmem_free(sopt.sopt_data, MAX(size, 1));
out:
	fd_putfile(fp);
	return error;
}

/* A client's iovec array in kernel memory (freed by iov_free). */
static int
iov_copyin(const struct iovec *uiov, size_t iovcnt, struct iovec **iovp,
    size_t *totalp)
{
	struct iovec *iov;
	size_t total = 0;
	int error;

	if (iovcnt > IOV_MAX)
		return EMSGSIZE;
	*iovp = NULL;
	if (iovcnt == 0) {
		*totalp = 0;
		return 0;
	}
	if ((iov = kmem_alloc(iovcnt * sizeof(*iov), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = copyin(uiov, iov, iovcnt * sizeof(*iov))) != 0) {
		kmem_free(iov, iovcnt * sizeof(*iov));
		return error;
	}
	for (size_t i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_T_MAX - total) {
			kmem_free(iov, iovcnt * sizeof(*iov));
			return EINVAL;
		}
		total += iov[i].iov_len;
	}
	*iovp = iov;
	*totalp = total;
	return 0;
}

static void
iov_free(struct iovec *iov, size_t iovcnt)
{
	if (iov != NULL)
		kmem_free(iov, iovcnt * sizeof(*iov));
}

/* A client's control buffer as one MT_CONTROL mbuf, its cmsghdrs checked. */
static int
control_copyin(const void *ucontrol, size_t len, struct mbuf **mp)
{
	const struct cmsghdr *cm;
	struct mbuf *m;
	size_t off;
	int error;

	*mp = NULL;
	if (len == 0)
		return 0;
	if (len > CONTROL_MAX)
		return ENOBUFS;
	if (len < sizeof(struct cmsghdr))
		return EINVAL;
	if (len > MLEN)
		m = m_getjcl(M_WAIT, MT_CONTROL, 0,
		    len > MCLBYTES ? MJUM16BYTES : MCLBYTES);
	else
		m = m_get(M_WAIT, MT_CONTROL);
	if (m == NULL)
		return ENOBUFS;
	if ((error = copyin(ucontrol, mtod(m, void *), len)) != 0) {
		m_free(m);
		return error;
	}
	m->m_len = (int)len;
	for (off = 0; off + sizeof(*cm) <= len;
	     off += CMSG_ALIGN(cm->cmsg_len)) {
		cm = (const struct cmsghdr *)(mtod(m, char *) + off);
		if (cm->cmsg_len < sizeof(*cm) || cm->cmsg_len > len - off) {
			m_free(m);
			return EINVAL;
		}
	}
	*mp = m;
	return 0;
}

/* Send from a kernel msghdr whose iovec and control are already in. */
static int
sendit(struct socket *so, struct file *fp, const struct sockaddr *to,
    socklen_t tolen, struct iovec *iov, size_t iovcnt, size_t total,
    struct mbuf *control, int flags, struct lwp *l, register_t *rv)
{
	struct uio uio = { .uio_iov = iov, .uio_iovcnt = (int)iovcnt,
		.uio_resid = total, .uio_rw = UIO_WRITE };
	int error;

	if (fp_nonblock(fp))
		flags |= MSG_DONTWAIT;
	error = sosend(so, to, tolen, &uio, NULL, control, flags, l);
	/* Bytes already sent are the result; the error shows next time. */
	if (uio.uio_resid != total &&
	    (error == EAGAIN || error == EPIPE || error == EINTR))
		error = 0;
	if (error == 0)
		*rv = (register_t)(total - uio.uio_resid);
	return error;
}

int
sys_sendto(struct lwp *l, const struct sys_sendto_args *uap, register_t *rv)
{
	struct iovec iov = { .iov_base = __UNCONST(uap->buf),
		.iov_len = uap->len };
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if (uap->len > SSIZE_T_MAX) {
		error = EINVAL;
		goto out;
	}
	if (uap->to != NULL &&
	    (error = sockaddr_copyin(uap->to, uap->tolen, &ss)) != 0)
		goto out;
	error = sendit(so, fp, uap->to != NULL ? (struct sockaddr *)&ss : NULL,
	    uap->to != NULL ? uap->tolen : 0, &iov, 1, uap->len, NULL,
	    uap->flags, l, rv);
out:
	fd_putfile(fp);
	return error;
}

int
sys_sendmsg(struct lwp *l, const struct sys_sendmsg_args *uap, register_t *rv)
{
	struct sockaddr_storage ss;
	struct mbuf *control = NULL;
	struct iovec *iov = NULL;
	struct msghdr msg = { .msg_iovlen = 0 };
	struct socket *so;
	struct file *fp;
	size_t total;
	int error;

	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if ((error = copyin(uap->msg, &msg, sizeof(msg))) != 0) {
		msg.msg_iovlen = 0;
		goto out;
	}
	error = iov_copyin(msg.msg_iov, msg.msg_iovlen, &iov, &total);
	if (error != 0)
		goto out;
	if (msg.msg_name != NULL &&
	    (error = sockaddr_copyin(msg.msg_name, msg.msg_namelen, &ss)) != 0)
		goto out;
	if ((error = control_copyin(msg.msg_control, msg.msg_controllen,
		 &control)) != 0)
		goto out;
	error = sendit(so, fp,
	    msg.msg_name != NULL ? (struct sockaddr *)&ss : NULL,
	    msg.msg_name != NULL ? msg.msg_namelen : 0, iov, msg.msg_iovlen,
	    total, control, uap->flags, l, rv);
out:
	iov_free(iov, msg.msg_iovlen);
	fd_putfile(fp);
	return error;
}

/*
 * Cut an SCM_RIGHTS message to the n bytes the caller has room for:
 * whole descriptors only, those cut off closed.  Returns the new length
 * (0: nothing of it fits).
 */
static size_t
control_cutrights(struct cmsghdr *cm, size_t n)
{
	size_t keep = n < CMSG_LEN(0) ? 0 : (n - CMSG_LEN(0)) / sizeof(int);
	size_t all = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	int *fds = (int *)(void *)CMSG_DATA(cm);

	for (size_t i = keep; i < all; i++)
		(void)fd_close(fds[i]);
	return keep > 0 ? CMSG_LEN(keep * sizeof(int)) : 0;
}

/*
 * Copy received control messages out to at most room bytes of the
 * caller's buffer.  A message that does not fit whole is cut (rights:
 * the descriptors past the room are closed) and MSG_CTRUNC set.
 */
static int
control_copyout(struct mbuf *control, void *ubuf, size_t room, size_t *usedp,
    int *flagsp)
{
	struct cmsghdr *cm;
	size_t off, used = 0, n, clen;
	struct mbuf *m;
	int error = 0;

	for (m = control; m != NULL; m = m->m_next) {
		for (off = 0; off + sizeof(*cm) <= (size_t)m->m_len;
		     off += CMSG_ALIGN(clen)) {
			cm = (struct cmsghdr *)(mtod(m, char *) + off);
			clen = cm->cmsg_len;
			if (clen < sizeof(*cm))
				break;
			n = clen;
			if (ubuf == NULL || room - used < sizeof(*cm))
				n = 0;
			else if (n > room - used)
				n = room - used;
			if (n < clen) {
				*flagsp |= MSG_CTRUNC;
				if (cm->cmsg_level == SOL_SOCKET &&
				    cm->cmsg_type == SCM_RIGHTS)
					n = control_cutrights(cm, n);
				if (n == 0)
					continue;
				cm->cmsg_len = n;
			}
			if (error == 0)
				error = copyout(cm, (char *)ubuf + used, n);
			used += MIN(CMSG_ALIGN(n), room - used);
		}
	}
	*usedp = used;
	return error;
}

/*
 * Receive into a kernel iovec; the sender's address and the control
 * messages are copied out to the client's msghdr fields given.
 */
static int
recvit(struct socket *so, struct file *fp, struct iovec *iov, size_t iovcnt,
    size_t total, int *flagsp, void *uname, socklen_t *unamelenp,
    struct msghdr *kmsg, struct msghdr *umsg, register_t *rv)
{
	struct uio uio = { .uio_iov = iov, .uio_iovcnt = (int)iovcnt,
		.uio_resid = total, .uio_rw = UIO_READ };
	struct sockaddr_storage from;
	struct mbuf *control = NULL;
	socklen_t fromlen = 0;
	int flags = *flagsp, error, error2;
	size_t used = 0;

	if (fp_nonblock(fp))
		flags |= MSG_DONTWAIT;
	error = soreceive(so, &from, &fromlen, &uio, NULL,
	    kmsg != NULL ? &control : NULL, &flags);
	if (uio.uio_resid != total && (error == EAGAIN || error == EINTR))
		error = 0;
	if (error != 0)
		goto out;
	if (uname != NULL) {
		if (kmsg != NULL) {
			/* recvmsg: msg_namelen is a value, not a pointer. */
			kmsg->msg_namelen = MIN(kmsg->msg_namelen, fromlen);
			error = copyout(&from, uname, kmsg->msg_namelen);
			kmsg->msg_namelen = fromlen;
		} else
			error = sockaddr_copyout(uname, unamelenp, &from,
			    fromlen);
		if (error != 0)
			goto out;
	} else if (kmsg != NULL)
		kmsg->msg_namelen = 0;
	if (kmsg != NULL) {
		error = control_copyout(control, kmsg->msg_control,
		    kmsg->msg_controllen, &used, &flags);
		kmsg->msg_controllen = used;
		/* Linux hands MSG_CMSG_CLOEXEC back in msg_flags. */
		kmsg->msg_flags = flags | (*flagsp & MSG_CMSG_CLOEXEC);
		if (error == 0) {
			error2 = copyout(&kmsg->msg_namelen, &umsg->msg_namelen,
			    sizeof(kmsg->msg_namelen));
			if (error2 == 0)
				error2 = copyout(&kmsg->msg_controllen,
				    &umsg->msg_controllen,
				    sizeof(kmsg->msg_controllen));
			if (error2 == 0)
				error2 = copyout(&kmsg->msg_flags,
				    &umsg->msg_flags, sizeof(kmsg->msg_flags));
			error = error2;
		}
	}
	if (error == 0) {
		if ((*flagsp & MSG_TRUNC) &&
		    (so->so_proto->pr_flags & PR_ATOMIC))
			*rv = (register_t)uio.uio_offset;
		else
			*rv = (register_t)(total - uio.uio_resid);
	}
out:
	*flagsp = flags;
	m_freem(control);
	return error;
}

int
sys_recvfrom(struct lwp *l, const struct sys_recvfrom_args *uap,
    register_t *rv)
{
	struct iovec iov = { .iov_base = uap->buf, .iov_len = uap->len };
	struct socket *so;
	struct file *fp;
	socklen_t room;
	int error, flags = uap->flags;

	(void)l;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if (uap->len > SSIZE_T_MAX) {
		error = EINVAL;
		goto out;
	}
	if (uap->from != NULL && uap->fromlenaddr != NULL) {
		error = copyin(uap->fromlenaddr, &room, sizeof(room));
		if (error != 0)
			goto out;
		if ((int)room < 0) {
			error = EINVAL;
			goto out;
		}
	}
	error = recvit(so, fp, &iov, 1, uap->len, &flags,
	    uap->fromlenaddr != NULL ? uap->from : NULL, uap->fromlenaddr,
	    NULL, NULL, rv);
out:
	fd_putfile(fp);
	return error;
}

int
sys_recvmsg(struct lwp *l, const struct sys_recvmsg_args *uap, register_t *rv)
{
	struct iovec *iov = NULL;
	struct msghdr msg = { .msg_iovlen = 0 };
	struct socket *so;
	struct file *fp;
	size_t total;
	int error, flags = uap->flags;

	(void)l;
	if ((error = fd_getsock(uap->s, &fp, &so)) != 0)
		return error;
	if ((error = copyin(uap->msg, &msg, sizeof(msg))) != 0) {
		msg.msg_iovlen = 0;
		goto out;
	}
	error = iov_copyin(msg.msg_iov, msg.msg_iovlen, &iov, &total);
	if (error != 0)
		goto out;
	if ((int)msg.msg_namelen < 0) {
		error = EINVAL;
		goto out;
	}
	error = recvit(so, fp, iov, msg.msg_iovlen, total, &flags,
	    msg.msg_name, NULL, &msg, uap->msg, rv);
out:
	iov_free(iov, msg.msg_iovlen);
	fd_putfile(fp);
	return error;
}
