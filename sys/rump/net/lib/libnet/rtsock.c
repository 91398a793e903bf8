/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The routing socket (AF_ROUTE, SOCK_RAW): programs change and read the
 * routing table with messages (<net/rtsock.h>) and hear about changes.
 *
 *   write(2) -> sosend -> rtsock_send -> rtrequest -> reply to every
 *   routing socket (rtsock_deliver)
 *   rtrequest from inside the kernel -> rt_missmsg_hook (rtsock_notify)
 *   -> the same announcement with rtm_pid 0
 *
 * Every routing socket uses softnet_lock as its lock, so a change made
 * under softnet_lock anywhere can append to the listeners' buffers.
 * rtsock_busy (softnet_lock) marks the request being carried out for a
 * writer, so the table's hook does not announce it a second time.
 *
 * sysctl net.route.dump (rtsock_sysctl_dump) gives the whole table as
 * the RTM_GET answers its routes would get, one after another;
 * net.route.iflist (rtsock_sysctl_iflist) the interfaces and their
 * addresses as RTM_IFINFO and RTM_NEWADDR messages.  Lock order:
 * softnet_lock, then ifnet_lock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/domain.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <net/if.h>
#include <net/route.h>
#include <net/rtsock.h>

#include "net_net_private.h"

#define RTSOCK_MAXMSG 2048
#define RTSOCK_SNDBUF 8192
#define RTSOCK_RCVBUF 65536
/* Room for one route's message: the header and five addresses. */
#define RTSOCK_DUMPMSG (sizeof(struct rt_msghdr) + 5 * 32)

/* A routing socket.  Locking: (n) softnet_lock, (c) stable. */
struct rtpcb {
	struct socket *rp_socket;       /* c */
	int rp_family;                  /* c: AF_ of interest, 0 for all */
	LIST_ENTRY(rtpcb) rp_list;      /* n */
};

static LIST_HEAD(, rtpcb) rtpcbs = LIST_HEAD_INITIALIZER(rtpcbs); /* n */
static bool rtsock_busy;                                        /* n */
static const struct sockaddr rtsock_src = { .sa_family = AF_ROUTE };

static struct domain routedomain;

/* Append the message to every interested listener's buffer. */
static void
rtsock_deliver(struct mbuf *m, int family)
{
	struct rtpcb *rp;
	struct socket *so;
	struct mbuf *n;

	KASSERT(mutex_owned(softnet_lock));
	LIST_FOREACH(rp, &rtpcbs, rp_list) {
		so = rp->rp_socket;
		if (rp->rp_family != 0 && family != 0 && rp->rp_family != family)
			continue;
		if (so->so_state & SS_CANTRCVMORE)
			continue;
		if ((n = m_copypacket(m, M_DONTWAIT)) == NULL) {
			so->so_rcv.sb_overflowed++;
			continue;
		}
		if (!sbappendaddr(&so->so_rcv, &rtsock_src, sizeof(rtsock_src),
		    n, NULL)) {
			m_freem(n);
			so->so_rcv.sb_overflowed++;
			continue;
		}
		sorwakeup(so);
	}
	m_freem(m);
}

/* Add an address to a message under construction, padded to 8 bytes. */
static bool
rtsock_addaddr(struct mbuf *m, struct rt_msghdr *rtm, int bit,
    const void *sa, socklen_t len)
{
	static const uint8_t zeros[8];
	socklen_t pad = RT_ROUNDUP(len) - len;

	if (!m_append(m, (int)len, sa) || (pad > 0 && !m_append(m, (int)pad, zeros)))
		return false;
	rtm->rtm_addrs |= bit;
	return true;
}

/* Interface ifp's link-level address, as RTA_IFP carries it. */
static void
rtsock_linkaddr(const struct ifnet *ifp, struct rt_sockaddr_ll *sll)
{
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = (int32_t)ifp->if_index;
	sll->sll_hatype = (uint16_t)ifp->if_type;
	sll->sll_halen = (uint8_t)MIN(ifp->if_addrlen, 8);
	memcpy(sll->sll_addr, ifp->if_lladdr, sll->sll_halen);
}

/* The message describing rt (NULL: only the header); NULL if no memory. */
static struct mbuf *
rtsock_msg(int type, const struct rtentry *rt, const struct rt_msghdr *req,
    int error, int *familyp)
{
	struct rt_sockaddr_ll sll;
	struct rt_msghdr rtm;
	struct ifnet *ifp;
	struct mbuf *m;
	bool ok = true;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = (uint8_t)type;
	rtm.rtm_errno = error;
	if (req != NULL) {
		rtm.rtm_pid = req->rtm_pid;
		rtm.rtm_seq = req->rtm_seq;
		rtm.rtm_flags = req->rtm_flags;
	}
	if ((m = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return NULL;
	m->m_len = m->m_pkthdr.len = 0;
	if (!m_append(m, sizeof(rtm), &rtm)) {
		m_freem(m);
		return NULL;
	}
	*familyp = 0;
	if (rt != NULL) {
		const struct sockaddr *dst = (const void *)&rt->rt_dst;

		*familyp = dst->sa_family;
		rtm.rtm_flags = rt->rt_flags;
		rtm.rtm_use = (int32_t)rt->rt_rmx.rmx_pksent;
		rtm.rtm_rmx.rmx_mtu = rt->rt_rmx.rmx_mtu;
		rtm.rtm_rmx.rmx_expire = rt->rt_rmx.rmx_expire;
		ok = rtsock_addaddr(m, &rtm, RTA_DST, dst, sockaddr_len(dst));
		if (ok && rt->rt_gateway.ss_family != AF_UNSPEC)
			ok = rtsock_addaddr(m, &rtm, RTA_GATEWAY,
			    &rt->rt_gateway,
			    sockaddr_len((const void *)&rt->rt_gateway));
		if (ok && (rt->rt_flags & RTF_HOST) == 0)
			ok = rtsock_addaddr(m, &rtm, RTA_NETMASK,
			    &rt->rt_netmask, sockaddr_len(dst));
		if (ok && (ifp = rt->rt_ifp) != NULL) {
			rtm.rtm_index = (uint16_t)ifp->if_index;
			rtsock_linkaddr(ifp, &sll);
			ok = rtsock_addaddr(m, &rtm, RTA_IFP, &sll, sizeof(sll));
		}
		if (ok && rt->rt_ifa != NULL)
			ok = rtsock_addaddr(m, &rtm, RTA_IFA,
			    &rt->rt_ifa->ifa_addr, rt->rt_ifa->ifa_addrlen);
	}
	if (!ok || m->m_pkthdr.len > 0xffff) {
		m_freem(m);
		return NULL;
	}
	rtm.rtm_msglen = (uint16_t)m->m_pkthdr.len;
	m_copyback(m, 0, sizeof(rtm), &rtm);
	return m;
}

/* rt_missmsg_hook: a change made inside the kernel. */
static void
rtsock_notify(int type, const struct rtentry *rt, int error)
{
	struct mbuf *m;
	int family;

	KASSERT(mutex_owned(softnet_lock));
	if (rtsock_busy || LIST_EMPTY(&rtpcbs))
		return;
	if ((m = rtsock_msg(type, rt, NULL, error, &family)) != NULL)
		rtsock_deliver(m, family);
}

/* Pick the addresses out of a request; EINVAL if they overrun it. */
static int
rtsock_parse(const uint8_t *buf, size_t len, const struct rt_msghdr *rtm,
    struct sockaddr_storage *sas, bool *have)
{
	size_t off = sizeof(*rtm);
	socklen_t salen;

	for (int i = 0; i < RTAX_MAX; i++) {
		have[i] = false;
		if ((rtm->rtm_addrs & (1 << i)) == 0)
			continue;
		if (off + sizeof(sa_family_t) > len)
			return EINVAL;
		memset(&sas[i], 0, sizeof(sas[i]));
		memcpy(&sas[i], buf + off, sizeof(sa_family_t));
		salen = sockaddr_len((const struct sockaddr *)&sas[i]);
		if (salen > sizeof(sas[i]) || off + salen > len)
			return EINVAL;
		memcpy(&sas[i], buf + off, salen);
		off += RT_ROUNDUP(salen);
		have[i] = true;
	}
	return 0;
}

/* Carry out a request; softnet_lock held.  *rtp: the route, referenced. */
static int
rtsock_request(const uint8_t *buf, size_t len, const struct rt_msghdr *rtm,
    struct rtentry **rtp)
{
	struct sockaddr_storage sas[RTAX_MAX];
	const struct rt_sockaddr_ll *sll;
	struct rt_addrinfo info;
	bool have[RTAX_MAX];
	int error;

	if ((error = rtsock_parse(buf, len, rtm, sas, have)) != 0)
		return error;
	if (!have[0])
		return EINVAL;
	memset(&info, 0, sizeof(info));
	info.rti_dst = (const struct sockaddr *)&sas[0];
	if (have[1])
		info.rti_gateway = (const struct sockaddr *)&sas[1];
	if (have[2] && (rtm->rtm_flags & RTF_HOST) == 0)
		info.rti_netmask = (const struct sockaddr *)&sas[2];
	if (have[4]) {
		sll = (const struct rt_sockaddr_ll *)(const void *)&sas[4];
		if (sll->sll_family != AF_PACKET)
			return EINVAL;
		if ((info.rti_ifp = if_get_byindex((unsigned)sll->sll_ifindex))
		    == NULL)
			return ENXIO;
	}
	info.rti_flags = rtm->rtm_flags & (RTF_GATEWAY | RTF_REJECT |
	    RTF_BLACKHOLE | RTF_STATIC);
	switch (rtm->rtm_type) {
	case RTM_ADD:
		if ((rtm->rtm_flags & RTF_GATEWAY) != 0 && !have[1]) {
			error = EINVAL;
			break;
		}
		info.rti_flags |= RTF_STATIC;
		error = rtrequest(RTM_ADD, &info, rtp);
		break;
	case RTM_DELETE:
	case RTM_GET:
	case RTM_CHANGE:
		error = rtrequest(rtm->rtm_type, &info, rtp);
		break;
	default:
		error = EOPNOTSUPP;
		break;
	}
	if (info.rti_ifp != NULL)
		if_release(info.rti_ifp);
	return error;
}

static int
rtsock_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam,
    socklen_t namlen, struct mbuf *control, struct lwp *l)
{
	struct rtentry *rt = NULL;
	struct rt_msghdr rtm;
	struct mbuf *reply;
	uint8_t *buf = NULL;
	int error, family, len;

	(void)so;
	(void)nam;
	(void)namlen;
	KASSERT(mutex_owned(softnet_lock));
	if (control != NULL)
		m_freem(control);
	len = m->m_pkthdr.len;
	if (len < (int)sizeof(rtm) || len > RTSOCK_MAXMSG) {
		error = EINVAL;
		goto out;
	}
	m_copydata(m, 0, sizeof(rtm), &rtm);
	if (rtm.rtm_msglen != len) {
		error = EINVAL;
		goto out;
	}
	if (rtm.rtm_version != RTM_VERSION) {
		error = EPROTONOSUPPORT;
		goto out;
	}
	if ((buf = kmem_alloc((size_t)len, KM_NOSLEEP)) == NULL) {
		error = ENOBUFS;
		goto out;
	}
	m_copydata(m, 0, len, buf);
	rtm.rtm_pid = l != NULL ? l->l_proc->p_pid : 0;
	rtsock_busy = true;
	error = rtsock_request(buf, (size_t)len, &rtm, &rt);
	rtsock_busy = false;
	reply = rtsock_msg(rtm.rtm_type, rt, &rtm, error, &family);
	if (reply != NULL)
		rtsock_deliver(reply, family);
	if (rt != NULL)
		rtfree(rt);
out:
	if (buf != NULL)
		kmem_free(buf, (size_t)len);
	m_freem(m);
	return error;
}

static int
rtsock_attach(struct socket *so, int proto)
{
	struct rtpcb *rp;

	if ((rp = kmem_zalloc(sizeof(*rp), KM_SLEEP)) == NULL)
		return ENOBUFS;
	so->so_lock = softnet_lock;
	mutex_enter(softnet_lock);
	if (!soreserve(so, RTSOCK_SNDBUF, RTSOCK_RCVBUF)) {
		mutex_exit(softnet_lock);
		kmem_free(rp, sizeof(*rp));
		return ENOBUFS;
	}
	rp->rp_socket = so;
	rp->rp_family = proto;
	so->so_pcb = rp;
	LIST_INSERT_HEAD(&rtpcbs, rp, rp_list);
	/* Connected from birth; nobody can be waiting yet (no selinit). */
	so->so_state |= SS_ISCONNECTED;
	mutex_exit(softnet_lock);
	return 0;
}

static void
rtsock_detach(struct socket *so)
{
	struct rtpcb *rp = so->so_pcb;

	KASSERT(mutex_owned(softnet_lock));
	LIST_REMOVE(rp, rp_list);
	so->so_pcb = NULL;
	kmem_free(rp, sizeof(*rp));
}

static int
rtsock_sockaddr(struct socket *so, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	(void)so;
	memset(ss, 0, sizeof(struct sockaddr));
	ss->ss_family = AF_ROUTE;
	*lenp = sizeof(struct sockaddr);
	return 0;
}

static int
rtsock_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
rtsock_disconnect(struct socket *so)
{
	soisdisconnected(so);
	return 0;
}

static int
rtsock_abort(struct socket *so)
{
	soisdisconnected(so);
	return 0;
}

static int
rtsock_stat(struct socket *so, struct stat *st)
{
	(void)so;
	(void)st;
	return 0;
}

static int
rtsock_notsupp_addr(struct socket *so, const struct sockaddr *nam,
    socklen_t len, struct lwp *l)
{
	(void)so;
	(void)nam;
	(void)len;
	(void)l;
	return EOPNOTSUPP;
}

static int
rtsock_notsupp_listen(struct socket *so, struct lwp *l)
{
	(void)so;
	(void)l;
	return EOPNOTSUPP;
}

static int
rtsock_notsupp_connect2(struct socket *a, struct socket *b)
{
	(void)a;
	(void)b;
	return EOPNOTSUPP;
}

static int
rtsock_notsupp_peeraddr(struct socket *so, struct sockaddr_storage *ss,
    socklen_t *lenp)
{
	(void)so;
	(void)ss;
	(void)lenp;
	return ENOTCONN;
}

static int
rtsock_notsupp_oob(struct socket *so, struct mbuf *m, int flags)
{
	(void)so;
	(void)m;
	(void)flags;
	return EOPNOTSUPP;
}

static int
rtsock_notsupp_sendoob(struct socket *so, struct mbuf *m,
    struct mbuf *control)
{
	(void)so;
	m_freem(m);
	if (control != NULL)
		m_freem(control);
	return EOPNOTSUPP;
}

static const struct pr_usrreqs rtsock_usrreqs = {
	.pr_attach = rtsock_attach,
	.pr_detach = rtsock_detach,
	.pr_bind = rtsock_notsupp_addr,
	.pr_listen = rtsock_notsupp_listen,
	.pr_connect = rtsock_notsupp_addr,
	.pr_connect2 = rtsock_notsupp_connect2,
	.pr_disconnect = rtsock_disconnect,
	.pr_shutdown = rtsock_shutdown,
	.pr_abort = rtsock_abort,
	.pr_stat = rtsock_stat,
	.pr_peeraddr = rtsock_notsupp_peeraddr,
	.pr_sockaddr = rtsock_sockaddr,
	.pr_recvoob = rtsock_notsupp_oob,
	.pr_send = rtsock_send,
	.pr_sendoob = rtsock_notsupp_sendoob,
};

static const struct protosw rtsock_protosw[] = {
	{
		.pr_type = SOCK_RAW,
		.pr_domain = &routedomain,
		.pr_protocol = 0,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_usrreqs = &rtsock_usrreqs,
	},
};

static struct domain routedomain = {
	.dom_family = AF_ROUTE,
	.dom_name = "route",
	.dom_protosw = rtsock_protosw,
	.dom_protoswNPROTOSW = &rtsock_protosw[1],
};

/* The dump being built (rtsock_sysctl_dump); softnet_lock held. */
struct rtsock_dump {
	uint8_t *rd_buf;
	size_t rd_len;          /* bytes used */
	size_t rd_size;
	size_t rd_count;        /* routes seen */
};

static int
rtsock_dump_visit(struct rtentry *rt, void *arg)
{
	struct rtsock_dump *rd = arg;
	struct mbuf *m;
	int family;

	rd->rd_count++;
	if (rd->rd_buf == NULL)
		return 0;
	if ((m = rtsock_msg(RTM_GET, rt, NULL, 0, &family)) == NULL)
		return ENOBUFS;
	if (rd->rd_len + (size_t)m->m_pkthdr.len <= rd->rd_size) {
		m_copydata(m, 0, m->m_pkthdr.len, rd->rd_buf + rd->rd_len);
		rd->rd_len += (size_t)m->m_pkthdr.len;
	}
	m_freem(m);
	return 0;
}

/*
 * net.route.dump: count the routes, allocate for them and a few more
 * (outside the lock), then describe as many as fit.
 */
static int
rtsock_sysctl_dump(struct sysctlnode *node, struct sysctl_req *req)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct rtsock_dump rd;
	int error = 0;

	(void)node;
	if (req->sr_newp != NULL)
		return EPERM;
	memset(&rd, 0, sizeof(rd));
	mutex_enter(softnet_lock);
	for (size_t i = 0; i < __arraycount(families); i++)
		(void)rt_walk(families[i], rtsock_dump_visit, &rd);
	mutex_exit(softnet_lock);
	rd.rd_size = (rd.rd_count + 8) * RTSOCK_DUMPMSG;
	rd.rd_buf = kmem_alloc(rd.rd_size, KM_SLEEP);
	mutex_enter(softnet_lock);
	for (size_t i = 0; i < __arraycount(families) && error == 0; i++)
		error = rt_walk(families[i], rtsock_dump_visit, &rd);
	mutex_exit(softnet_lock);
	if (error == 0)
		error = sysctl_copyout_value(req, rd.rd_buf, rd.rd_len);
	kmem_free(rd.rd_buf, rd.rd_size);
	return error;
}

/* Room for one interface's message, and for one address's. */
#define RTSOCK_IFMSG  (sizeof(struct if_msghdr) + \
    RT_ROUNDUP(sizeof(struct rt_sockaddr_ll)))
#define RTSOCK_IFAMSG (sizeof(struct ifa_msghdr) + \
    2 * RT_ROUNDUP(sizeof(struct sockaddr_storage)))

/* Append a sockaddr padded to 8 bytes at buf + *off (room checked). */
static void
rtsock_putaddr(uint8_t *buf, size_t *off, const void *sa, socklen_t len)
{
	memcpy(buf + *off, sa, len);
	memset(buf + *off + len, 0, RT_ROUNDUP(len) - len);
	*off += RT_ROUNDUP(len);
}

/* One interface's messages at buf + *off; softnet_lock, ifnet_lock held. */
static void
rtsock_iflist_one(struct ifnet *ifp, uint8_t *buf, size_t *off)
{
	struct rt_sockaddr_ll sll;
	struct if_msghdr ifm;
	struct ifa_msghdr ifam;
	struct ifaddr *ifa;
	size_t start = *off;

	memset(&ifm, 0, sizeof(ifm));
	ifm.ifm_version = RTM_VERSION;
	ifm.ifm_type = RTM_IFINFO;
	ifm.ifm_index = (uint16_t)ifp->if_index;
	ifm.ifm_flags = ifp->if_flags;
	ifm.ifm_addrs = RTA_IFP;
	ifm.ifm_mtu = ifp->if_mtu;
	*off += sizeof(ifm);
	rtsock_linkaddr(ifp, &sll);
	rtsock_putaddr(buf, off, &sll, sizeof(sll));
	ifm.ifm_msglen = (uint16_t)(*off - start);
	memcpy(buf + start, &ifm, sizeof(ifm));
	TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list) {
		start = *off;
		memset(&ifam, 0, sizeof(ifam));
		ifam.ifam_version = RTM_VERSION;
		ifam.ifam_type = RTM_NEWADDR;
		ifam.ifam_index = (uint16_t)ifp->if_index;
		ifam.ifam_flags = ifa->ifa_flags;
		ifam.ifam_addrs = RTA_NETMASK | RTA_IFA;
		*off += sizeof(ifam);
		rtsock_putaddr(buf, off, &ifa->ifa_netmask, ifa->ifa_addrlen);
		rtsock_putaddr(buf, off, &ifa->ifa_addr, ifa->ifa_addrlen);
		ifam.ifam_msglen = (uint16_t)(*off - start);
		memcpy(buf + start, &ifam, sizeof(ifam));
	}
}

/*
 * net.route.iflist: size the list, allocate for it and a few more
 * interfaces and addresses (outside the locks), then list what fits.
 */
static int
rtsock_sysctl_iflist(struct sysctlnode *node, struct sysctl_req *req)
{
	struct ifnet *ifp;
	struct ifaddr *ifa;
	uint8_t *buf;
	size_t size = 8 * (RTSOCK_IFMSG + RTSOCK_IFAMSG), need, len = 0;
	int error;

	(void)node;
	if (req->sr_newp != NULL)
		return EPERM;
	mutex_enter(softnet_lock);
	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		size += RTSOCK_IFMSG;
		TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list)
			size += RTSOCK_IFAMSG;
	}
	mutex_exit(&ifnet_lock);
	mutex_exit(softnet_lock);
	if ((buf = kmem_alloc(size, KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_enter(softnet_lock);
	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		need = RTSOCK_IFMSG;
		TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list)
			need += RTSOCK_IFAMSG;
		if (len + need > size)
			break;
		rtsock_iflist_one(ifp, buf, &len);
	}
	mutex_exit(&ifnet_lock);
	mutex_exit(softnet_lock);
	error = sysctl_copyout_value(req, buf, len);
	kmem_free(buf, size);
	return error;
}

static void
rtsock_sysctl_init(void)
{
	struct sysctlnode *net, *route;
	int error;

	error = sysctl_create(&net, NULL, CTL_NET, "net", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&route, net, AF_ROUTE, "route",
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(NULL, route, NET_RT_DUMP, "dump",
		    CTLTYPE_STRUCT, CTLFLAG_READONLY, NULL, 0,
		    rtsock_sysctl_dump);
	if (error == 0)
		error = sysctl_create(NULL, route, NET_RT_IFLIST, "iflist",
		    CTLTYPE_STRUCT, CTLFLAG_READONLY, NULL, 0,
		    rtsock_sysctl_iflist);
	if (error != 0)
		log(LOG_WARNING, "net.route: not created: error %d\n",
		    error);
}

void
rtsock_init(void)
{
	rtsock_sysctl_init();
	domain_attach(&routedomain);
	atomic_store_release(&rt_missmsg_hook, rtsock_notify);
}
