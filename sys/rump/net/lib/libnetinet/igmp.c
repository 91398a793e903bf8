/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IGMP host side: version 3 (RFC 3376, any-source joins only) by default,
 * version 2 (RFC 2236) on an interface where a v1 or v2 querier was heard
 * in the last 400 seconds.
 *
 * Joining a group (in_addmulti -> igmp_joingroup) sends an unsolicited
 * report at once and again after a random delay of up to a second;
 * leaving sends a v2 leave (to 224.0.0.2) or a v3 "change to include {}"
 * record (to 224.0.0.22).  A query schedules a report for each group it
 * asks about, after a random delay up to its maximum response time; a v2
 * report from another member for the same group cancels ours (v2
 * suppression).  Groups 224.0.0.1 and those on loopback are never
 * reported.  Reports carry the Router Alert option and TTL 1 and are not
 * looped back.  Each group has its own callout, set only while a report
 * is due.
 *
 * Locking: softnet_lock for everything; callouts take it.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "netinet_private.h"

/* Message types (RFC 2236, RFC 3376). */
#define IGMP_HOST_MEMBERSHIP_QUERY    0x11
#define IGMP_V1_MEMBERSHIP_REPORT     0x12
#define IGMP_V2_MEMBERSHIP_REPORT     0x16
#define IGMP_V2_LEAVE_GROUP           0x17
#define IGMP_V3_MEMBERSHIP_REPORT     0x22

/* v3 group record types */
#define IGMP_CHANGE_TO_INCLUDE_MODE   3
#define IGMP_CHANGE_TO_EXCLUDE_MODE   4

#define IGMP_MINLEN          8
#define IGMP_V3_QUERY_MINLEN 12
#define IGMP_OQPI_NS   (400ULL * 1000000000ULL)  /* older version querier present */
#define IGMP_UNSOL_NS  1000000000ULL             /* unsolicited report interval (v3) */

/* inm_state */
#define IGMP_IDLE     0                 /* nothing due */
#define IGMP_DELAYING 1                 /* a report is due at the callout */

struct igmpstat igmpstat;               /* n */

/* Per interface.  (n) */
struct igmp_ifinfo {
	uint64_t igi_v2_until;          /* n: uptime ns until which to speak v2 */
};

void *
igmp_ifattach(struct ifnet *ifp)
{
	(void)ifp;
	return kmem_zalloc(sizeof(struct igmp_ifinfo), KM_NOSLEEP);
}

void
igmp_ifdetach(struct ifnet *ifp, void *aux)
{
	(void)ifp;
	if (aux != NULL)
		kmem_free(aux, sizeof(struct igmp_ifinfo));
}

static bool
igmp_v2mode(const struct ifnet *ifp)
{
	const struct igmp_ifinfo *igi = ifp->if_afdata[AF_INET];

	return igi != NULL && igi->igi_v2_until > getnsecuptime();
}

static bool
igmp_reportable(const struct in_multi *inm)
{
	return inm->inm_addr.s_addr != htonl(INADDR_ALLHOSTS_GROUP) &&
	    (inm->inm_ifp->if_flags & IFF_LOOPBACK) == 0;
}

/* Send one message of len bytes (msg) to dst on inm's interface. */
static void
igmp_send(struct in_multi *inm, const void *msg, int len, struct in_addr dst)
{
	static const uint8_t ra[4] = { IPOPT_RA, 4, 0, 0 };
	struct ip_moptions imo;
	struct in_ifaddr *ia;
	struct mbuf *m;
	struct ip *ip;
	int hlen = IP_MINHLEN + (int)sizeof(ra);
	uint16_t sum;

	if ((m = m_gethdr(M_DONTWAIT, MT_HEADER)) == NULL)
		return;
	m_align(m, hlen + len);
	m->m_len = m->m_pkthdr.len = hlen + len;
	ip = mtod(m, struct ip *);
	memset(ip, 0, IP_MINHLEN);
	ip->ip_v = IPVERSION;
	ip->ip_hl = (unsigned)hlen >> 2;
	ip->ip_tos = 0xc0;              /* internetwork control */
	ip->ip_len = htons((uint16_t)(hlen + len));
	ip->ip_ttl = 1;
	ip->ip_p = IPPROTO_IGMP;
	ip->ip_dst = dst;
	if ((ia = in_ifaddr_forif(inm->inm_ifp)) != NULL)
		ip->ip_src = ia->ia_addr;
	memcpy((uint8_t *)ip + IP_MINHLEN, ra, sizeof(ra));
	memcpy((uint8_t *)ip + hlen, msg, (size_t)len);
	sum = in_cksum_partial(m, hlen, len, 0);
	sum = (uint16_t)~sum;
	memcpy((uint8_t *)ip + hlen + 2, &sum, sizeof(sum));

	memset(&imo, 0, sizeof(imo));
	imo.imo_multicast_if = inm->inm_ifp->if_index;
	imo.imo_multicast_ttl = 1;
	igmpstat.igps_snd_reports++;
	(void)ip_output(m, NULL, IP_RAWOUTPUT | IP_NOLOOPMCAST, &imo, NULL);
}

/* A report for inm, or with leave a leave, in the interface's version. */
static void
igmp_report(struct in_multi *inm, bool leave)
{
	uint8_t msg[16];
	struct in_addr dst;

	memset(msg, 0, sizeof(msg));
	if (igmp_v2mode(inm->inm_ifp)) {
		msg[0] = leave ? IGMP_V2_LEAVE_GROUP : IGMP_V2_MEMBERSHIP_REPORT;
		memcpy(&msg[4], &inm->inm_addr, 4);
		dst.s_addr = leave ? htonl(INADDR_ALLRTRS_GROUP) : inm->inm_addr.s_addr;
		igmp_send(inm, msg, 8, dst);
		return;
	}
	/* v3: one group record, no sources. */
	msg[0] = IGMP_V3_MEMBERSHIP_REPORT;
	msg[7] = 1;                                     /* records */
	msg[8] = leave ? IGMP_CHANGE_TO_INCLUDE_MODE : IGMP_CHANGE_TO_EXCLUDE_MODE;
	memcpy(&msg[12], &inm->inm_addr, 4);
	dst.s_addr = htonl(INADDR_ALLRPTS_GROUP);
	igmp_send(inm, msg, 16, dst);
}

static void
igmp_timeout(void *arg)
{
	struct in_multi *inm = arg;

	mutex_enter(softnet_lock);
	if (inm->inm_refcount > 0 && inm->inm_state == IGMP_DELAYING) {
		igmp_report(inm, false);
		if (inm->inm_reports_left > 0) {
			inm->inm_reports_left--;
			callout_schedule(&inm->inm_timer,
			    nstohz(in_random() % IGMP_UNSOL_NS) + 1);
		} else
			inm->inm_state = IGMP_IDLE;
	}
	mutex_exit(softnet_lock);
}

/* A report due within maxdelay_ns (sooner if one is already due sooner). */
static void
igmp_schedule(struct in_multi *inm, uint64_t maxdelay_ns)
{
	int ticks = nstohz(maxdelay_ns > 0 ? in_random() % maxdelay_ns : 0) + 1;

	if (inm->inm_state == IGMP_DELAYING && callout_pending(&inm->inm_timer))
		return;
	inm->inm_state = IGMP_DELAYING;
	callout_reset(&inm->inm_timer, ticks, igmp_timeout, inm);
}

void
igmp_joingroup(struct in_multi *inm)
{
	KASSERT(mutex_owned(softnet_lock));
	inm->inm_state = IGMP_IDLE;
	callout_setfunc(&inm->inm_timer, igmp_timeout, inm);
	if (!igmp_reportable(inm))
		return;
	igmp_report(inm, false);
	inm->inm_reports_left = 0;
	igmp_schedule(inm, IGMP_UNSOL_NS);
}

void
igmp_leavegroup(struct in_multi *inm)
{
	KASSERT(mutex_owned(softnet_lock));
	inm->inm_state = IGMP_IDLE;
	callout_stop(&inm->inm_timer);
	if (igmp_reportable(inm))
		igmp_report(inm, true);
}

void
igmp_input(struct mbuf *m, int hlen, int proto)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct igmp_ifinfo *igi;
	struct in_multi *inm;
	struct in_addr group;
	struct ip ip;
	uint8_t msg[IGMP_V3_QUERY_MINLEN];
	uint64_t maxdelay;
	int len;

	(void)proto;
	KASSERT(mutex_owned(softnet_lock));
	igmpstat.igps_rcv_total++;
	m_copydata(m, 0, sizeof(ip), &ip);
	len = ntohs(ip.ip_len) - hlen;
	if (len < IGMP_MINLEN || ifp == NULL) {
		igmpstat.igps_rcv_tooshort++;
		goto out;
	}
	if ((m->m_pkthdr.csum_flags & M_CSUM_DATA_VALID) == 0 &&
	    (uint16_t)~in_cksum_partial(m, hlen, len, 0) != 0) {
		igmpstat.igps_rcv_badsum++;
		goto out;
	}
	m_copydata(m, hlen, MIN(len, (int)sizeof(msg)), msg);
	memcpy(&group, &msg[4], sizeof(group));
	switch (msg[0]) {
	case IGMP_HOST_MEMBERSHIP_QUERY:
		igmpstat.igps_rcv_queries++;
		if (group.s_addr != INADDR_ANY && !IN_MULTICAST(ntohl(group.s_addr))) {
			igmpstat.igps_rcv_badqueries++;
			break;
		}
		if (len == IGMP_MINLEN) {
			/* v1 (no max response time: 10 s) or v2: fall back to v2. */
			maxdelay = msg[1] == 0 ? 100 : msg[1];
			if ((igi = ifp->if_afdata[AF_INET]) != NULL)
				igi->igi_v2_until = getnsecuptime() + IGMP_OQPI_NS;
		} else if (len >= IGMP_V3_QUERY_MINLEN) {
			/* RFC 3376 4.1.1: the code's exponential form above 128. */
			maxdelay = msg[1] < 128 ? msg[1] :
			    (uint64_t)((msg[1] & 0x0f) | 0x10) << (((msg[1] >> 4) & 7) + 3);
		} else {
			igmpstat.igps_rcv_badqueries++;
			break;
		}
		maxdelay *= 100000000ULL;       /* tenths of a second */
		LIST_FOREACH(inm, &in_multihead, inm_list) {
			if (inm->inm_ifp != ifp || !igmp_reportable(inm))
				continue;
			if (group.s_addr == INADDR_ANY ||
			    group.s_addr == inm->inm_addr.s_addr)
				igmp_schedule(inm, maxdelay);
		}
		break;
	case IGMP_V1_MEMBERSHIP_REPORT:
	case IGMP_V2_MEMBERSHIP_REPORT:
		igmpstat.igps_rcv_reports++;
		if ((m->m_flags & M_LOOP) != 0)
			break;
		if ((inm = in_lookup_multi(group, ifp)) != NULL &&
		    inm->inm_state == IGMP_DELAYING && igmp_v2mode(ifp)) {
			callout_stop(&inm->inm_timer);
			inm->inm_state = IGMP_IDLE;
		}
		break;
	default:
		break;
	}
out:
	m_freem(m);
}
