/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The routing socket (AF_ROUTE, SOCK_RAW): programs change and read the
 * routing table with messages (<net/rtsock.h>) and hear about changes.
 *
 *   write(2) -> sosend -> rtsock_send -> rtrequest -> reply to every
 *   routing socket (rtsock_deliver; the writer's own unless it turned
 *   RO_USELOOPBACK off)
 *   rtrequest from inside the kernel -> rt_missmsg_hook (rtsock_notify)
 *   -> the same announcement with rtm_pid 0
 *   if.c, the families -> rt_ifmsg, rt_ifannouncemsg, rt_addrmsg,
 *   rt_missmsg, rt_llmsg (rtsock_hooks) -> RTM_IFINFO, RTM_IFANNOUNCE,
 *   RTM_NEWADDR/DELADDR/CHGADDR, RTM_MISS, and RTM_ADD/CHANGE/DELETE of
 *   the neighbour caches' entries
 *
 * Every routing socket uses softnet_lock as its lock, so a change made
 * under softnet_lock anywhere can append to the listeners' buffers; a
 * full buffer loses the message (counted, RO_OVERFLOWED) and nobody
 * waits.  rtsock_busy (softnet_lock) marks the request being carried out
 * for a writer, so the table's hook does not announce it a second time.
 *
 * sysctl net.route.dump (rtsock_sysctl_dump) gives the whole table as
 * the RTM_GET answers its routes would get, one after another;
 * net.route.iflist (rtsock_sysctl_iflist) the interfaces and their
 * addresses as RTM_IFINFO and RTM_NEWADDR messages, built as the
 * announcements are.  Lock order: softnet_lock, then ifnet_lock.
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
#include <netinet/in.h>

#include "net_net_private.h"

/* The layouts sys/net/rtsock.h promises its readers. */
CTASSERT(sizeof(struct rt_msghdr) == 48);
CTASSERT(sizeof(struct if_msghdr) == 24);
CTASSERT(sizeof(struct ifa_msghdr) == 24);
CTASSERT(sizeof(struct if_announcemsghdr) == 24);
CTASSERT(__builtin_offsetof(struct if_announcemsghdr, ifan_what) == 22);
CTASSERT(__builtin_offsetof(struct ifa_msghdr, ifam_addrflags) == 20);
CTASSERT(__builtin_offsetof(struct if_msghdr, ifm_link_state) == 20);

#define RTSOCK_MAXMSG 2048
#define RTSOCK_SNDBUF 8192
#define RTSOCK_RCVBUF 65536
/* Room for one route's message: the header and five addresses. */
#define RTSOCK_DUMPMSG (sizeof(struct rt_msghdr) + 5 * 32)
/* Room for an interface's message, and for an address's (four at most). */
#define RTSOCK_IFMSG  (sizeof(struct if_msghdr) + \
    RT_ROUNDUP(sizeof(struct rt_sockaddr_ll)))
#define RTSOCK_IFAMSG (sizeof(struct ifa_msghdr) + 3 * 32 + \
    RT_ROUNDUP(sizeof(struct rt_sockaddr_ll)))
/* Room for a neighbour's: its address and two link addresses. */
#define RTSOCK_LLMSG (sizeof(struct rt_msghdr) + 32 + \
    2 * RT_ROUNDUP(sizeof(struct rt_sockaddr_ll)))

/* A routing socket.  Locking: (n) softnet_lock, (c) stable. */
struct rtpcb {
	struct socket *rp_socket;       /* c */
	int rp_family;                  /* c: AF_ of interest, 0 for all */
	bool rp_useloopback;            /* n: hears its own requests' answers */
	LIST_ENTRY(rtpcb) rp_list;      /* n */
};

static LIST_HEAD(, rtpcb) rtpcbs = LIST_HEAD_INITIALIZER(rtpcbs); /* n */
static bool rtsock_busy;                                        /* n */
static const struct sockaddr rtsock_src = { .sa_family = AF_ROUTE };

static struct domain routedomain;

/*
 * Append the message to every interested listener's buffer but the
 * sender's (NULL: the kernel's) if that one does not want it.
 */
static void
rtsock_deliver(struct mbuf *m, int family, const struct socket *sender)
{
	struct rtpcb *rp;
	struct socket *so;
	struct mbuf *n;

	KASSERT(mutex_owned(softnet_lock));
	LIST_FOREACH(rp, &rtpcbs, rp_list) {
		so = rp->rp_socket;
		if (rp->rp_family != 0 && family != 0 && rp->rp_family != family)
			continue;
		if (so == sender && !rp->rp_useloopback)
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
		rtm.rtm_flags = rt->rt_flags |
		    (req != NULL ? req->rtm_flags & RTF_DONE : 0);
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
		rtsock_deliver(m, family, NULL);
}

/* Append a sockaddr padded to 8 bytes at buf + *off (room checked). */
static void
rtsock_putaddr(uint8_t *buf, size_t *off, const void *sa, socklen_t len)
{
	memcpy(buf + *off, sa, len);
	memset(buf + *off + len, 0, RT_ROUNDUP(len) - len);
	*off += RT_ROUNDUP(len);
}

/* ifp's link state (LINK_STATE_*); ifnet_lock held. */
static uint32_t
rtsock_linkstate(const struct ifnet *ifp)
{
	KASSERT(mutex_owned(&ifnet_lock));
	if (ifp->if_setlinkstr == NULL)
		return LINK_STATE_UNKNOWN;
	return ifp->if_linkstr != NULL ? LINK_STATE_UP : LINK_STATE_DOWN;
}

/* ifp's RTM_IFINFO at buf (RTSOCK_IFMSG bytes); its length. */
static size_t
rtsock_ifinfo(const struct ifnet *ifp, uint32_t linkstate, uint8_t *buf)
{
	struct rt_sockaddr_ll sll;
	struct if_msghdr ifm;
	size_t off = sizeof(ifm);

	memset(&ifm, 0, sizeof(ifm));
	ifm.ifm_version = RTM_VERSION;
	ifm.ifm_type = RTM_IFINFO;
	ifm.ifm_index = (uint16_t)ifp->if_index;
	ifm.ifm_flags = ifp->if_flags;
	ifm.ifm_addrs = RTA_IFP;
	ifm.ifm_mtu = ifp->if_mtu;
	ifm.ifm_link_state = linkstate;
	rtsock_linkaddr(ifp, &sll);
	rtsock_putaddr(buf, &off, &sll, sizeof(sll));
	ifm.ifm_msglen = (uint16_t)off;
	memcpy(buf, &ifm, sizeof(ifm));
	return off;
}

/* An address's message of type at buf (RTSOCK_IFAMSG bytes); its length. */
static size_t
rtsock_ifamsg(int type, const struct ifaddr *ifa, uint8_t *buf)
{
	const struct ifnet *ifp = ifa->ifa_ifp;
	const struct sockaddr *brd = (const void *)&ifa->ifa_broadaddr;
	struct rt_sockaddr_ll sll;
	struct ifa_msghdr ifam;
	size_t off = sizeof(ifam);

	KASSERT(ifa->ifa_addrlen <= 32);
	memset(&ifam, 0, sizeof(ifam));
	ifam.ifam_version = RTM_VERSION;
	ifam.ifam_type = (uint8_t)type;
	ifam.ifam_index = (uint16_t)ifp->if_index;
	ifam.ifam_flags = ifa->ifa_flags;
	ifam.ifam_addrs = RTA_NETMASK | RTA_IFP | RTA_IFA;
	if (ifa->ifa_getflags != NULL)
		ifam.ifam_addrflags = ifa->ifa_getflags(ifa);
	rtsock_putaddr(buf, &off, &ifa->ifa_netmask, ifa->ifa_addrlen);
	rtsock_linkaddr(ifp, &sll);
	rtsock_putaddr(buf, &off, &sll, sizeof(sll));
	rtsock_putaddr(buf, &off, &ifa->ifa_addr, ifa->ifa_addrlen);
	/* A broadcast (or peer) address of the family, if it has one. */
	if (brd->sa_family == ifa->ifa_addr.ss_family &&
	    brd->sa_family == AF_INET &&
	    ((const struct sockaddr_in *)(const void *)brd)->sin_addr.s_addr !=
	    0) {
		rtsock_putaddr(buf, &off, brd, ifa->ifa_addrlen);
		ifam.ifam_addrs |= RTA_BRD;
	}
	ifam.ifam_msglen = (uint16_t)off;
	memcpy(buf, &ifam, sizeof(ifam));
	return off;
}

/* A packet holding the len bytes at buf; NULL if no memory. */
static struct mbuf *
rtsock_mbuf(const void *buf, size_t len)
{
	struct mbuf *m;

	if ((m = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return NULL;
	m->m_len = m->m_pkthdr.len = 0;
	if (!m_append(m, (int)len, buf)) {
		m_freem(m);
		return NULL;
	}
	return m;
}

/* Hand the len bytes at buf to the listeners of family (0: all). */
static void
rtsock_announce(const void *buf, size_t len, int family)
{
	struct rtpcb *rp;
	struct mbuf *m;

	KASSERT(mutex_owned(softnet_lock));
	if (LIST_EMPTY(&rtpcbs))
		return;
	if ((m = rtsock_mbuf(buf, len)) == NULL) {
		/* Every listener the message was for loses it. */
		LIST_FOREACH(rp, &rtpcbs, rp_list)
			if (rp->rp_family == 0 || family == 0 ||
			    rp->rp_family == family)
				rp->rp_socket->so_rcv.sb_overflowed++;
		return;
	}
	rtsock_deliver(m, family, NULL);
}

/* rt_ifmsg: RTM_IFINFO. */
static void
rtsock_hook_ifmsg(struct ifnet *ifp)
{
	uint8_t buf[RTSOCK_IFMSG];
	uint32_t linkstate;
	size_t len;

	if (LIST_EMPTY(&rtpcbs))
		return;
	mutex_enter(&ifnet_lock);
	linkstate = rtsock_linkstate(ifp);
	mutex_exit(&ifnet_lock);
	len = rtsock_ifinfo(ifp, linkstate, buf);
	rtsock_announce(buf, len, 0);
}

/* rt_ifannouncemsg: RTM_IFANNOUNCE. */
static void
rtsock_hook_ifannounce(struct ifnet *ifp, int what)
{
	struct if_announcemsghdr ifan;

	memset(&ifan, 0, sizeof(ifan));
	ifan.ifan_msglen = sizeof(ifan);
	ifan.ifan_version = RTM_VERSION;
	ifan.ifan_type = RTM_IFANNOUNCE;
	ifan.ifan_index = (uint16_t)ifp->if_index;
	strlcpy(ifan.ifan_name, ifp->if_xname, sizeof(ifan.ifan_name));
	ifan.ifan_what = (uint16_t)what;
	rtsock_announce(&ifan, sizeof(ifan), 0);
}

/* rt_addrmsg: RTM_NEWADDR, RTM_DELADDR, RTM_CHGADDR. */
static void
rtsock_hook_addrmsg(int type, struct ifaddr *ifa)
{
	uint8_t buf[RTSOCK_IFAMSG];
	size_t len;

	if (LIST_EMPTY(&rtpcbs))
		return;
	len = rtsock_ifamsg(type, ifa, buf);
	rtsock_announce(buf, len, ifa->ifa_addr.ss_family);
}

/* rt_missmsg: RTM_MISS, only the destination. */
static void
rtsock_hook_missmsg(const struct sockaddr *dst, int error)
{
	uint8_t buf[sizeof(struct rt_msghdr) + 32];
	struct rt_msghdr rtm;
	size_t off = sizeof(rtm);
	socklen_t salen = sockaddr_len(dst);

	if (LIST_EMPTY(&rtpcbs) || salen > 32)
		return;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = RTM_MISS;
	rtm.rtm_addrs = RTA_DST;
	rtm.rtm_errno = error;
	rtsock_putaddr(buf, &off, dst, salen);
	rtm.rtm_msglen = (uint16_t)off;
	memcpy(buf, &rtm, sizeof(rtm));
	rtsock_announce(buf, off, dst->sa_family);
}

/*
 * A neighbour cache's entry of type (RTM_GET for the dump) at buf
 * (RTSOCK_LLMSG bytes): a host route to its link address; its length.
 */
static size_t
rtsock_llmsg(int type, const struct rt_llent *rl, uint8_t *buf)
{
	struct rt_sockaddr_ll sll;
	struct rt_msghdr rtm;
	size_t off = sizeof(rtm);

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = (uint8_t)type;
	rtm.rtm_index = (uint16_t)rl->rl_ifp->if_index;
	rtm.rtm_flags = RTF_HOST | RTF_LLINFO | rl->rl_flags |
	    (type != RTM_DELETE ? RTF_UP : 0);
	rtm.rtm_addrs = RTA_DST | RTA_GATEWAY | RTA_IFP;
	rtm.rtm_rmx.rmx_expire = rl->rl_expire;
	rtsock_putaddr(buf, &off, &rl->rl_dst,
	    sockaddr_len((const void *)&rl->rl_dst));
	rtsock_linkaddr(rl->rl_ifp, &sll);
	sll.sll_halen = (uint8_t)MIN(rl->rl_halen, sizeof(sll.sll_addr));
	memset(sll.sll_addr, 0, sizeof(sll.sll_addr));
	memcpy(sll.sll_addr, rl->rl_lladdr, sll.sll_halen);
	rtsock_putaddr(buf, &off, &sll, sizeof(sll));
	rtsock_linkaddr(rl->rl_ifp, &sll);
	rtsock_putaddr(buf, &off, &sll, sizeof(sll));
	rtm.rtm_msglen = (uint16_t)off;
	memcpy(buf, &rtm, sizeof(rtm));
	return off;
}

/* rt_llmsg: a neighbour learnt, changed or forgotten. */
static void
rtsock_hook_llmsg(int type, const struct rt_llent *rl)
{
	uint8_t buf[RTSOCK_LLMSG];
	size_t len;

	if (LIST_EMPTY(&rtpcbs))
		return;
	len = rtsock_llmsg(type, rl, buf);
	rtsock_announce(buf, len, rl->rl_dst.ss_family);
}

static const struct rt_msghooks rtsock_hooks = {
	.rh_ifmsg = rtsock_hook_ifmsg,
	.rh_ifannounce = rtsock_hook_ifannounce,
	.rh_addrmsg = rtsock_hook_addrmsg,
	.rh_missmsg = rtsock_hook_missmsg,
	.rh_llmsg = rtsock_hook_llmsg,
};

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
	if (error == 0)
		rtm.rtm_flags |= RTF_DONE;
	reply = rtsock_msg(rtm.rtm_type, rt, &rtm, error, &family);
	if (reply != NULL)
		rtsock_deliver(reply, family, so);
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
	rp->rp_useloopback = true;
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

/* Options at level AF_ROUTE: RO_USELOOPBACK, RO_OVERFLOWED. */
static int
rtsock_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct rtpcb *rp = so->so_pcb;
	uint64_t lost;
	int error, val;

	KASSERT(mutex_owned(softnet_lock));
	if (sopt->sopt_level != AF_ROUTE || rp == NULL)
		return ENOPROTOOPT;
	switch (sopt->sopt_name) {
	case RO_USELOOPBACK:
		if (op == PRCO_GETOPT)
			return sockopt_setint(sopt, rp->rp_useloopback ? 1 : 0);
		if ((error = sockopt_getint(sopt, &val)) != 0)
			return error;
		rp->rp_useloopback = val != 0;
		return 0;
	case RO_OVERFLOWED:
		if (op != PRCO_GETOPT)
			return EINVAL;
		lost = so->so_rcv.sb_overflowed;
		return sockopt_set(sopt, &lost, sizeof(lost));
	default:
		return ENOPROTOOPT;
	}
}

static const struct protosw rtsock_protosw[] = {
	{
		.pr_type = SOCK_RAW,
		.pr_domain = &routedomain,
		.pr_protocol = 0,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_usrreqs = &rtsock_usrreqs,
		.pr_ctloutput = rtsock_ctloutput,
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

/* A neighbour cache's entry as a host route to its link address. */
static int
rtsock_dump_llvisit(const struct rt_llent *rl, void *arg)
{
	struct rtsock_dump *rd = arg;
	uint8_t buf[RTSOCK_LLMSG];
	size_t len;

	rd->rd_count++;
	if (rd->rd_buf == NULL)
		return 0;
	len = rtsock_llmsg(RTM_GET, rl, buf);
	if (rd->rd_len + len <= rd->rd_size) {
		memcpy(rd->rd_buf + rd->rd_len, buf, len);
		rd->rd_len += len;
	}
	return 0;
}

/* Every route of the families, then their neighbours; softnet_lock held. */
static int
rtsock_dump_walk(struct rtsock_dump *rd)
{
	static const int families[] = { AF_INET, AF_INET6 };
	int error = 0;

	for (size_t i = 0; i < __arraycount(families) && error == 0; i++)
		error = rt_walk(families[i], rtsock_dump_visit, rd);
	for (size_t i = 0; i < __arraycount(families) && error == 0; i++)
		error = rt_llwalk(families[i], rtsock_dump_llvisit, rd);
	return error;
}

/*
 * net.route.dump: count the routes and neighbours, allocate for them and
 * a few more (outside the lock), then describe as many as fit.
 */
static int
rtsock_sysctl_dump(struct sysctlnode *node, struct sysctl_req *req)
{
	struct rtsock_dump rd;
	int error;

	(void)node;
	if (req->sr_newp != NULL)
		return EPERM;
	memset(&rd, 0, sizeof(rd));
	mutex_enter(softnet_lock);
	(void)rtsock_dump_walk(&rd);
	mutex_exit(softnet_lock);
	rd.rd_size = (rd.rd_count + 8) * RTSOCK_DUMPMSG;
	rd.rd_buf = kmem_alloc(rd.rd_size, KM_SLEEP);
	mutex_enter(softnet_lock);
	error = rtsock_dump_walk(&rd);
	mutex_exit(softnet_lock);
	if (error == 0)
		error = sysctl_copyout_value(req, rd.rd_buf, rd.rd_len);
	kmem_free(rd.rd_buf, rd.rd_size);
	return error;
}

/* One interface's messages at buf + *off; softnet_lock, ifnet_lock held. */
static void
rtsock_iflist_one(struct ifnet *ifp, uint8_t *buf, size_t *off)
{
	struct ifaddr *ifa;

	*off += rtsock_ifinfo(ifp, rtsock_linkstate(ifp), buf + *off);
	TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list)
		*off += rtsock_ifamsg(RTM_NEWADDR, ifa, buf + *off);
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
	atomic_store_release(&rt_msghooks, &rtsock_hooks);
}
