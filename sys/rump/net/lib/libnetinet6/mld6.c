/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 multicast groups of interfaces and MLDv2 (RFC 3810), for a host
 * in any-source mode (every membership is EXCLUDE {}).
 *
 * A group joined on an interface is one in6_multi, counted by its
 * users (sockets, solicited-node groups of addresses); the first adds
 * its Ethernet address to the interface's filter (SIOCADDMULTI, as
 * IGMP does) and sends a state-change report (CHANGE_TO_EXCLUDE), sent
 * again after a random delay of up to a second (robustness 2); the
 * last sends CHANGE_TO_INCLUDE twice the same way; the group is freed
 * by the next join after that (or the interface's detach).
 * A query (from a link-local source, hop limit 1) makes each group it
 * names answer with a current-state report (MODE_IS_EXCLUDE) after a
 * random delay within the maximum response time.  The link-scope
 * all-nodes group and interface-local groups are never reported.
 * Reports go to ff02::16 from the link-local address (or :: before
 * there is one) with a router alert, hop limit 1.
 * Locking: softnet_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

#define MLD_UNSOLICITED_NS 1000000000ULL        /* report interval */

struct in6_multihead in6_multihead = LIST_HEAD_INITIALIZER(in6_multihead);

static bool
mld6_reported(const struct in6_multi *in6m)
{
	const struct in6_addr *a = &in6m->in6m_addr;

	return (a->s6_addr[1] & 0x0f) > 1 &&
	    !IN6_ARE_ADDR_EQUAL(a, &in6addr_linklocal_allnodes) &&
	    (in6m->in6m_ifp->if_flags & IFF_LOOPBACK) == 0;
}

static void
mld6_send(struct in6_multi *in6m, int rectype)
{
	static const uint8_t hbh[8] = { IPPROTO_ICMPV6, 0,
	    IP6OPT_ROUTER_ALERT, 2, 0, 0, IP6OPT_PADN, 0 };
	struct ifnet *ifp = in6m->in6m_ifp;
	struct ip6_outopts io = { .io_hlim = 1, .io_tclass = -1,
	    .io_ifindex = ifp->if_index, .io_srcany = true };
	struct mldv2_record *rec;
	struct in6_ifaddr *ia;
	struct ip6_hdr *ip6;
	struct mbuf *m;
	uint8_t *p;
	uint16_t sum;
	int off = (int)sizeof(*ip6) + 8, len = 8 + (int)sizeof(*rec);

	if ((ifp->if_flags & IFF_UP) == 0 || !mld6_reported(in6m))
		return;
	if ((m = nd6_packet(8 + len)) == NULL)
		return;
	ip6 = mtod(m, struct ip6_hdr *);
	ip6->ip6_dst = in6addr_linklocal_mldv2routers;
	if ((ia = in6_ifaddr_linklocal(ifp)) != NULL)
		ip6->ip6_src = ia->ia_addr;
	p = (uint8_t *)(ip6 + 1);
	memcpy(p, hbh, sizeof(hbh));
	p += 8;
	p[0] = MLDV2_LISTENER_REPORT;
	be16enc(p + 6, 1);              /* one record */
	rec = (struct mldv2_record *)(p + 8);
	rec->mr_type = (uint8_t)rectype;
	rec->mr_addr = in6m->in6m_addr;
	ip6->ip6_nxt = IPPROTO_HOPOPTS;
	ip6->ip6_plen = htons((uint16_t)(8 + len));
	sum = in6_cksum(m, IPPROTO_ICMPV6, off, len);
	memcpy(p + 2, &sum, 2);
	icmp6stat.icp6s_outhist[MLDV2_LISTENER_REPORT]++;
	icmp6stat.icp6s_mldreports++;
	(void)ip6_output(m, &io);
}

static void
mld6_free(struct in6_multi *in6m)
{
	LIST_REMOVE(in6m, in6m_list);
	callout_halt(&in6m->in6m_timer, (struct kmutex *)softnet_lock);
	callout_destroy(&in6m->in6m_timer);
	if_release(in6m->in6m_ifp);
	kmem_free(in6m, sizeof(*in6m));
}

/* Free the groups left whose last report went. */
static void
mld6_sweep(void)
{
	struct in6_multi *in6m, *next;

	LIST_FOREACH_SAFE(in6m, &in6_multihead, in6m_list, next)
		if (in6m->in6m_leaving && in6m->in6m_reports_left == 0)
			mld6_free(in6m);
}

static void
mld6_timeout(void *arg)
{
	struct in6_multi *in6m = arg;

	mutex_enter(softnet_lock);
	if (!callout_expired(&in6m->in6m_timer)) {
		mutex_exit(softnet_lock);
		return;
	}
	mld6_send(in6m, in6m->in6m_rectype);
	if (in6m->in6m_reports_left > 0 && --in6m->in6m_reports_left > 0)
		callout_schedule(&in6m->in6m_timer, nstohz((uint64_t)
		    (in6_random() % 1000) * 1000000ULL) + 1);
	else {
		/*
		 * A group left stays listed, done, until the next join
		 * sweeps it (a callout cannot destroy itself).
		 */
		in6m->in6m_rectype = MLD_MODE_IS_EXCLUDE;
	}
	mutex_exit(softnet_lock);
}

/* A state change: report now and once more later. */
static void
mld6_state_change(struct in6_multi *in6m, int rectype)
{
	in6m->in6m_rectype = rectype;
	in6m->in6m_reports_left = 2;
	callout_stop(&in6m->in6m_timer);
	if ((in6m->in6m_ifp->if_flags & IFF_UP) == 0 || !mld6_reported(in6m)) {
		in6m->in6m_reports_left = 0;
		return;
	}
	mld6_send(in6m, rectype);
	in6m->in6m_reports_left--;
	callout_schedule(&in6m->in6m_timer, nstohz((uint64_t)
	    (in6_random() % 1000) * 1000000ULL) + 1);
}

struct in6_multi *
in6_lookup_multi(const struct in6_addr *a, const struct ifnet *ifp)
{
	struct in6_multi *in6m;

	LIST_FOREACH(in6m, &in6_multihead, in6m_list)
		if (in6m->in6m_ifp == ifp && !in6m->in6m_leaving &&
		    IN6_ARE_ADDR_EQUAL(&in6m->in6m_addr, a))
			return in6m;
	return NULL;
}

static int
mld6_ioctl(struct ifnet *ifp, unsigned long cmd, const struct in6_addr *a)
{
	struct ifreq ifr;
	int error;

	if (ifp->if_ioctl == NULL)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifp->if_xname, sizeof(ifr.ifr_name));
	/* sockaddr_in6 up to its address: family, port, flowinfo, addr. */
	ifr.ifr_addr.sa_family = AF_INET6;
	memcpy((uint8_t *)&ifr.ifr_addr + 8, a, sizeof(*a));
	error = ifp->if_ioctl(ifp, cmd, &ifr);
	return error == ENOTTY || error == EOPNOTSUPP ? 0 : error;
}

struct in6_multi *
in6_addmulti(const struct in6_addr *a, struct ifnet *ifp, int *errorp)
{
	struct in6_multi *in6m;
	int error;

	KASSERT(mutex_owned(softnet_lock));
	if ((in6m = in6_lookup_multi(a, ifp)) != NULL) {
		in6m->in6m_refcount++;
		return in6m;
	}
	LIST_FOREACH(in6m, &in6_multihead, in6m_list) {
		if (in6m->in6m_ifp == ifp && in6m->in6m_leaving &&
		    IN6_ARE_ADDR_EQUAL(&in6m->in6m_addr, a)) {
			/* Joined again while its leave was being sent. */
			in6m->in6m_leaving = false;
			in6m->in6m_refcount = 1;
			if ((error = mld6_ioctl(ifp, SIOCADDMULTI, a)) != 0) {
				*errorp = error;
				in6m->in6m_leaving = true;
				in6m->in6m_refcount = 0;
				return NULL;
			}
			mld6_state_change(in6m, MLD_CHANGE_TO_EXCLUDE);
			return in6m;
		}
	}
	mld6_sweep();
	if ((in6m = kmem_zalloc(sizeof(*in6m), KM_NOSLEEP)) == NULL) {
		*errorp = ENOBUFS;
		return NULL;
	}
	if ((error = mld6_ioctl(ifp, SIOCADDMULTI, a)) != 0) {
		kmem_free(in6m, sizeof(*in6m));
		*errorp = error;
		return NULL;
	}
	in6m->in6m_addr = *a;
	in6m->in6m_ifp = ifp;
	if_ref(ifp);
	in6m->in6m_refcount = 1;
	callout_init(&in6m->in6m_timer, CALLOUT_MPSAFE);
	callout_setfunc(&in6m->in6m_timer, mld6_timeout, in6m);
	LIST_INSERT_HEAD(&in6_multihead, in6m, in6m_list);
	mld6_state_change(in6m, MLD_CHANGE_TO_EXCLUDE);
	return in6m;
}

void
in6_delmulti(struct in6_multi *in6m)
{
	KASSERT(mutex_owned(softnet_lock));
	KASSERT(in6m->in6m_refcount > 0);
	if (--in6m->in6m_refcount > 0)
		return;
	(void)mld6_ioctl(in6m->in6m_ifp, SIOCDELMULTI, &in6m->in6m_addr);
	mld6_state_change(in6m, MLD_CHANGE_TO_INCLUDE);
	if (in6m->in6m_reports_left > 0 && !in6m->in6m_ifp->if_detaching)
		in6m->in6m_leaving = true;      /* freed by its callout */
	else
		mld6_free(in6m);
}

void
mld6_input(struct mbuf *m, int off, int len)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct mldv2_query q;
	struct in6_multi *in6m;
	struct ip6_hdr ip6;
	uint32_t code, maxms;

	if (len < 24) {
		icmp6stat.icp6s_badcode++;
		return;
	}
	memset(&q, 0, sizeof(q));
	m_copydata(m, off, MIN(len, (int)sizeof(q)), &q);
	m_copydata(m, 0, sizeof(ip6), &ip6);
	if (!IN6_IS_ADDR_LINKLOCAL(&ip6.ip6_src) || ip6.ip6_hlim != 1 ||
	    (!IN6_IS_ADDR_UNSPECIFIED(&q.mq_addr) &&
	    !IN6_IS_ADDR_MULTICAST(&q.mq_addr))) {
		icmp6stat.icp6s_badcode++;
		return;
	}
	code = ntohs(q.mq_hdr.icmp6_data16[0]);
	maxms = code < 32768 ? code :
	    ((code & 0xfff) | 0x1000) << (((code >> 12) & 7) + 3);
	if (maxms == 0)
		maxms = 1;
	LIST_FOREACH(in6m, &in6_multihead, in6m_list) {
		uint64_t delay;

		if (in6m->in6m_ifp != ifp || in6m->in6m_leaving ||
		    !mld6_reported(in6m) ||
		    (!IN6_IS_ADDR_UNSPECIFIED(&q.mq_addr) &&
		    !IN6_ARE_ADDR_EQUAL(&q.mq_addr, &in6m->in6m_addr)))
			continue;
		if (in6m->in6m_reports_left > 0)
			continue;       /* a state change is being reported */
		delay = (uint64_t)(in6_random() % maxms) * 1000000ULL;
		in6m->in6m_rectype = MLD_MODE_IS_EXCLUDE;
		in6m->in6m_reports_left = 1;
		callout_schedule(&in6m->in6m_timer, nstohz(delay) + 1);
	}
}

void
mld6_ifup(struct ifnet *ifp)
{
	struct in6_multi *in6m;

	LIST_FOREACH(in6m, &in6_multihead, in6m_list)
		if (in6m->in6m_ifp == ifp && !in6m->in6m_leaving)
			mld6_state_change(in6m, MLD_CHANGE_TO_EXCLUDE);
}

void
mld6_purgeif(struct ifnet *ifp)
{
	struct in6_multi *in6m, *next;

	LIST_FOREACH_SAFE(in6m, &in6_multihead, in6m_list, next)
		if (in6m->in6m_ifp == ifp)
			mld6_free(in6m);
}
