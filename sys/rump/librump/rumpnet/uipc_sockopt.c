/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Socket options of level SOL_SOCKET, with Linux's rules: an option's
 * value is at least an int (EINVAL), read-only and unknown options are
 * ENOPROTOOPT, a get truncates to the caller's room, SO_SNDBUF and
 * SO_RCVBUF store and report twice the value asked for (clamped to the
 * limits Linux has by default), SO_RCVTIMEO/SO_SNDTIMEO take a struct
 * timeval whose microseconds must be in range (EDOM).  Options of other
 * levels go to the protocol's pr_ctloutput, with the socket's lock held.
 */
#include <sys/systm.h>
#include <sys/domain.h>
#include <sys/kauth.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/time.h>

#include "net_private.h"

/* Linux's defaults: net.core.wmem_max/rmem_max, SOCK_MIN_SNDBUF/RCVBUF. */
#define SO_BUF_MAX     212992
#define SO_MIN_SNDBUF  4608
#define SO_MIN_RCVBUF  2304

int
sockopt_get(const struct sockopt *sopt, void *buf, size_t len)
{
	if (sopt->sopt_size < len)
		return EINVAL;
	memcpy(buf, sopt->sopt_data, len);
	return 0;
}

int
sockopt_getint(const struct sockopt *sopt, int *valp)
{
	return sockopt_get(sopt, valp, sizeof(*valp));
}

int
sockopt_set(struct sockopt *sopt, const void *buf, size_t len)
{
	sopt->sopt_size = MIN(sopt->sopt_size, len);
	memcpy(sopt->sopt_data, buf, sopt->sopt_size);
	return 0;
}

int
sockopt_setint(struct sockopt *sopt, int val)
{
	return sockopt_set(sopt, &val, sizeof(val));
}

/* The so_options flag a boolean option sets, or 0. */
static int
sockopt_flag(int name)
{
	switch (name) {
	case SO_DEBUG:     return SOF_DEBUG;
	case SO_REUSEADDR: return SOF_REUSEADDR;
	case SO_REUSEPORT: return SOF_REUSEPORT;
	case SO_KEEPALIVE: return SOF_KEEPALIVE;
	case SO_DONTROUTE: return SOF_DONTROUTE;
	case SO_BROADCAST: return SOF_BROADCAST;
	case SO_OOBINLINE: return SOF_OOBINLINE;
	case SO_PASSCRED:  return SOF_PASSCRED;
	case SO_TIMESTAMP: return SOF_TIMESTAMP;
	default:           return 0;
	}
}

static int
sockopt_settimeo(struct sockbuf *sb, const struct sockopt *sopt)
{
	struct timeval tv;
	int error;

	if ((error = sockopt_get(sopt, &tv, sizeof(tv))) != 0)
		return error;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return EDOM;
	if (tv.tv_sec < 0) {
		/* Linux: a negative timeout makes every wait fail at once. */
		sb->sb_timeo.tv_sec = 0;
		sb->sb_timeo.tv_nsec = 1;
		return 0;
	}
	sb->sb_timeo.tv_sec = tv.tv_sec;
	sb->sb_timeo.tv_nsec = tv.tv_usec * 1000;
	return 0;
}

static void
sockopt_gettimeo(const struct sockbuf *sb, struct timeval *tv)
{
	tv->tv_sec = sb->sb_timeo.tv_sec;
	tv->tv_usec = sb->sb_timeo.tv_nsec / 1000;
}

/* Linux clamps an unsigned view of the value, so negative means the most. */
static u_long
sockopt_bufsize(int val, u_long min)
{
	u_long v = MIN((u_long)(unsigned)val, (u_long)SO_BUF_MAX);

	return MAX(2 * v, min);
}

int
sosetopt(struct socket *so, struct sockopt *sopt)
{
	const struct protosw *prp = so->so_proto;
	struct linger l;
	int error = 0, flag, val = 0;

	if (sopt->sopt_level != SOL_SOCKET) {
		if (prp->pr_ctloutput == NULL)
			return EOPNOTSUPP;
		solock(so);
		if ((error = soreattach(so)) == 0)
			error = prp->pr_ctloutput(PRCO_SETOPT, so, sopt);
		sounlock(so);
		return error;
	}
	if ((error = sockopt_getint(sopt, &val)) != 0)
		return error;
	solock(so);
	if ((flag = sockopt_flag(sopt->sopt_name)) != 0) {
		if (sopt->sopt_name == SO_DEBUG && val != 0 &&
		    !kauth_cred_issuser(kauth_cred_get()))
			error = EACCES;
		else if (val != 0)
			so->so_options |= flag;
		else
			so->so_options &= ~flag;
		goto out;
	}
	switch (sopt->sopt_name) {
	case SO_LINGER:
		if ((error = sockopt_get(sopt, &l, sizeof(l))) != 0)
			break;
		if (l.l_onoff) {
			so->so_linger = l.l_linger < 0 ? 0 : l.l_linger;
			so->so_options |= SOF_LINGER;
		} else
			so->so_options &= ~SOF_LINGER;
		break;
	case SO_SNDBUF:
		if (!sbreserve(&so->so_snd,
			sockopt_bufsize(val, SO_MIN_SNDBUF), so))
			error = ENOBUFS;
		so->so_snd.sb_flags |= SB_USERSIZE;
		sowwakeup(so);
		break;
	case SO_RCVBUF:
		if (!sbreserve(&so->so_rcv,
			sockopt_bufsize(val, SO_MIN_RCVBUF), so))
			error = ENOBUFS;
		so->so_rcv.sb_flags |= SB_USERSIZE;
		break;
	case SO_RCVLOWAT:
		/* Linux: negative is the most, 0 is 1. */
		so->so_rcv.sb_lowat = val < 0 ? 0x7fffffff : MAX(val, 1);
		sorwakeup(so);
		break;
	case SO_RCVTIMEO:
		error = sockopt_settimeo(&so->so_rcv, sopt);
		break;
	case SO_SNDTIMEO:
		error = sockopt_settimeo(&so->so_snd, sopt);
		break;
	default:
		error = ENOPROTOOPT;
		break;
	}
out:
	sounlock(so);
	return error;
}

int
sogetopt(struct socket *so, struct sockopt *sopt)
{
	const struct protosw *prp = so->so_proto;
	struct ucred uc;
	struct linger l;
	struct timeval tv;
	int error = 0, flag;

	if (sopt->sopt_level != SOL_SOCKET) {
		if (prp->pr_ctloutput == NULL)
			return EOPNOTSUPP;
		solock(so);
		if ((error = soreattach(so)) == 0)
			error = prp->pr_ctloutput(PRCO_GETOPT, so, sopt);
		sounlock(so);
		return error;
	}
	solock(so);
	if ((flag = sockopt_flag(sopt->sopt_name)) != 0) {
		error = sockopt_setint(sopt, (so->so_options & flag) != 0);
		goto out;
	}
	switch (sopt->sopt_name) {
	case SO_TYPE:
		error = sockopt_setint(sopt, so->so_type);
		break;
	case SO_PROTOCOL:
		error = sockopt_setint(sopt, prp->pr_protocol);
		break;
	case SO_DOMAIN:
		error = sockopt_setint(sopt, so->so_family);
		break;
	case SO_ACCEPTCONN:
		error = sockopt_setint(sopt,
		    (so->so_options & SOF_ACCEPTCONN) != 0);
		break;
	case SO_ERROR:
		error = sockopt_setint(sopt, so->so_error);
		so->so_error = 0;
		break;
	case SO_LINGER:
		l.l_onoff = (so->so_options & SOF_LINGER) != 0;
		l.l_linger = so->so_linger;
		error = sockopt_set(sopt, &l, sizeof(l));
		break;
	case SO_SNDBUF:
		error = sockopt_setint(sopt, (int)so->so_snd.sb_hiwat);
		break;
	case SO_RCVBUF:
		error = sockopt_setint(sopt, (int)so->so_rcv.sb_hiwat);
		break;
	case SO_RCVLOWAT:
		error = sockopt_setint(sopt, (int)so->so_rcv.sb_lowat);
		break;
	case SO_SNDLOWAT:
		error = sockopt_setint(sopt, 1);
		break;
	case SO_RCVTIMEO:
		sockopt_gettimeo(&so->so_rcv, &tv);
		error = sockopt_set(sopt, &tv, sizeof(tv));
		break;
	case SO_SNDTIMEO:
		sockopt_gettimeo(&so->so_snd, &tv);
		error = sockopt_set(sopt, &tv, sizeof(tv));
		break;
	case SO_PEERCRED:
		if (so->so_peercred_valid)
			uc = so->so_peercred;
		else {
			uc.pid = 0;
			uc.uid = (uid_t)-1;
			uc.gid = (gid_t)-1;
		}
		error = sockopt_set(sopt, &uc, sizeof(uc));
		break;
	default:
		error = ENOPROTOOPT;
		break;
	}
out:
	sounlock(so);
	return error;
}
