/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The file operations of sockets: read, write, ioctl, poll, fstat and
 * close of a descriptor that refers to a socket (f_data).  A file's
 * O_NONBLOCK (fcntl, FIONBIO, SOCK_NONBLOCK) makes its transfers
 * MSG_DONTWAIT.
 *
 * poll follows Linux's tcp_poll/unix_poll: readable with data at the
 * low-water mark, a record, a connection to accept, end of file or an
 * error; writable with room at the low-water mark once connected (or
 * shut down for writing); POLLHUP when both directions are shut or a
 * connection-oriented socket is neither connected, connecting nor
 * listening; POLLRDHUP once no more data will arrive; POLLPRI at urgent
 * data; POLLERR with a pending error.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/poll.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <net/if.h>

#include "net_private.h"

static int
soo_flags(struct file *fp)
{
	if (atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK)
		return MSG_DONTWAIT;
	return 0;
}

static int
soo_read(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	int rflags = soo_flags(fp);

	(void)offp;
	(void)flags;
	return soreceive(fp->f_data, NULL, NULL, uio, NULL, NULL, &rflags);
}

static int
soo_write(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	(void)offp;
	(void)flags;
	return sosend(fp->f_data, NULL, 0, uio, NULL, NULL, soo_flags(fp),
	    curlwp);
}

/* Bytes a read would return: a datagram's size, or all of a stream's. */
static int
soo_nread(struct socket *so)
{
	const struct mbuf *m;
	int n = 0;

	if ((so->so_proto->pr_flags & PR_ATOMIC) == 0)
		return (int)so->so_rcv.sb_cc;
	for (m = so->so_rcv.sb_mb; m != NULL; m = m->m_next)
		if (m->m_type == MT_DATA || m->m_type == MT_HEADER)
			n += m->m_len;
	return n;
}

/*
 * FIONREAD comes with a kernel int (sys_ioctl copies it out); the 0x89xx
 * and SIOCOUTQ commands carry no size, so they get the caller's pointer
 * and are copied by name here and in ifioctl.
 */
static int
soo_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct socket *so = fp->f_data;
	int error = 0, v;

	switch (cmd) {
	case FIONREAD:
	case SIOCOUTQ:
	case SIOCATMARK:
		solock(so);
		if ((so->so_options & SOF_ACCEPTCONN) && cmd != SIOCATMARK)
			error = EINVAL;
		else if (cmd == FIONREAD)
			v = soo_nread(so);
		else if (cmd == SIOCOUTQ)
			v = (int)so->so_snd.sb_cc;
		else
			v = (so->so_state & SS_RCVATMARK) != 0;
		sounlock(so);
		if (error != 0)
			return error;
		if (cmd == FIONREAD) {
			*(int *)data = v;
			return 0;
		}
		return copyout(&v, data, sizeof(v));
	default:
		break;
	}
	error = ifioctl(so, cmd, data, curlwp);
	if (error != ENOTTY)
		return error;
	if (so->so_proto->pr_usrreqs->pr_ioctl == NULL)
		return ENOTTY;
	solock(so);
	if ((error = soreattach(so)) == 0)
		error = so->so_proto->pr_usrreqs->pr_ioctl(so, cmd, data, NULL);
	sounlock(so);
	return error == EOPNOTSUPP ? ENOTTY : error;
}

static int
soo_poll(struct file *fp, int events, struct pollwait *pw)
{
	struct socket *so = fp->f_data;
	const struct protosw *prp = so->so_proto;
	bool listening, connreq;
	int revents = 0;

	solock(so);
	listening = (so->so_options & SOF_ACCEPTCONN) != 0;
	connreq = (prp->pr_flags & PR_CONNREQUIRED) != 0;
	if (so->so_error != 0)
		revents |= POLLERR;
	if (listening) {
		if (so->so_qlen > 0)
			revents |= POLLIN | POLLRDNORM;
	} else {
		if (so->so_state & SS_CANTRCVMORE)
			revents |= POLLIN | POLLRDNORM | POLLRDHUP;
		else if (so->so_rcv.sb_mb != NULL &&
		    ((prp->pr_flags & PR_ATOMIC) ||
			so->so_rcv.sb_cc >= (u_long)MAX(so->so_rcv.sb_lowat,
						   1) ||
			so->so_rcv.sb_mb->m_type != MT_DATA))
			revents |= POLLIN | POLLRDNORM;
		if (so->so_state & SS_POLLPRI)
			revents |= POLLPRI;
		if ((so->so_state & (SS_CANTRCVMORE | SS_CANTSENDMORE)) ==
			(SS_CANTRCVMORE | SS_CANTSENDMORE) ||
		    (connreq && (so->so_state & (SS_ISCONNECTED |
						    SS_ISCONNECTING)) == 0))
			revents |= POLLHUP;
		if (so->so_state & SS_CANTSENDMORE)
			revents |= POLLOUT | POLLWRNORM;
		else if (!(connreq && (so->so_state & SS_ISCONNECTING)) &&
		    (so->so_snd.sb_flags & SB_PEERFULL) == 0 &&
		    sbspace(&so->so_snd) >= MAX(so->so_snd.sb_lowat, 1))
			revents |= POLLOUT | POLLWRNORM | POLLWRBAND;
	}
	revents &= events;
	if (revents == 0 && pw != NULL) {
		if (events & (POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI |
				 POLLRDHUP | POLLHUP | POLLERR))
			selrecord(pw, &so->so_rcv.sb_sel);
		if (events & (POLLOUT | POLLWRNORM | POLLWRBAND))
			selrecord(pw, &so->so_snd.sb_sel);
	}
	sounlock(so);
	return revents;
}

static int
soo_stat(struct file *fp, struct stat *sb)
{
	struct socket *so = fp->f_data;
	int error = 0;

	sb->st_mode = S_IFSOCK | S_IRWXU | S_IRWXG | S_IRWXO;
	sb->st_nlink = 1;
	sb->st_ino = (ino_t)(uintptr_t)so >> 4;
	sb->st_uid = so->so_cred->cr_euid;
	sb->st_gid = so->so_cred->cr_egid;
	sb->st_blksize = PAGE_SIZE;
	if (so->so_proto->pr_usrreqs->pr_stat != NULL) {
		solock(so);
		if (so->so_pcb != NULL)
			error = so->so_proto->pr_usrreqs->pr_stat(so, sb);
		sounlock(so);
	}
	return error;
}

static int
soo_close(struct file *fp)
{
	struct socket *so = fp->f_data;

	fp->f_data = NULL;
	return so != NULL ? soclose(so) : 0;
}

const struct fileops socketops = {
	.fo_name = "socket",
	.fo_read = soo_read,
	.fo_write = soo_write,
	.fo_ioctl = soo_ioctl,
	.fo_poll = soo_poll,
	.fo_stat = soo_stat,
	.fo_close = soo_close,
};
