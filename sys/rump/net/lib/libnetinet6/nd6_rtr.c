/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Router and prefix discovery (RFC 4861 6.3) and stateless address
 * autoconfiguration (RFC 4862 5.5), for a host.
 *
 * When an Ethernet interface comes up it sends up to 3 router
 * solicitations 4 s apart (the first after a random delay of up to a
 * second), stopping at the first advertisement.  An advertisement from
 * a link-local source (hop limit 255 checked by icmp6.c) sets the
 * interface's hop limit, ReachableTime, RetransTimer and link MTU (an
 * MTU option within 1280 and the interface's MTU), makes its sender a
 * default router for its lifetime (the first router of the list is
 * the default route ::/0), and for each prefix information option:
 * on-link (L) installs the prefix route for the valid lifetime;
 * autonomous (A) with a /64 makes or refreshes an address from the
 * prefix and an interface identifier: modified EUI-64 from the MAC, or
 * with net.inet6.ip6.stable_privacy 1 RFC 7217's
 * F(prefix, interface name, DAD counter, secret) where F is SipHash-2-4
 * keyed by 128 random bits from the host, made once per boot.  An
 * existing address's valid lifetime follows RFC 4862 5.5.3 (e) (the
 * two-hour rule).  One callout runs every lifetime (routers, prefixes,
 * addresses), set for the earliest.  Locking: softnet_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet6/in6_var.h>
#include <rump/rumpuser.h>

#include "netinet6_private.h"

#define ND6_RS_MAX       3
#define ND6_RS_INTERVAL  (4ULL * 1000000000ULL)
#define ND6_MAXROUTERS   8
#define ND6_MAXPREFIXES  16
#define TWO_HOURS        7200u

struct nd6_router {
	TAILQ_ENTRY(nd6_router) dr_list;
	struct ifnet *dr_ifp;           /* referenced */
	struct in6_addr dr_addr;
	uint64_t dr_expire;
};

struct nd6_prefix {
	LIST_ENTRY(nd6_prefix) pr_list;
	struct ifnet *pr_ifp;           /* referenced */
	struct in6_addr pr_prefix;
	int pr_plen;
	uint64_t pr_expire;             /* 0: forever */
	bool pr_routed;
};

int ip6_stable_privacy;                 /* n */
static TAILQ_HEAD(, nd6_router) nd6_routers =
    TAILQ_HEAD_INITIALIZER(nd6_routers);
static LIST_HEAD(, nd6_prefix) nd6_prefixes =
    LIST_HEAD_INITIALIZER(nd6_prefixes);
static int nd6_nrouters, nd6_nprefixes;
static struct nd6_router *nd6_defrt;    /* the router ::/0 goes through */
static callout_t nd6_rtr_callout;
static bool nd6_rtr_ready;
static uint8_t nd6_secret[16];
static bool nd6_secret_made;
static uint64_t in6_rand_state;

uint32_t
in6_random(void)
{
	unsigned long got;
	uint64_t x;

	if (in6_rand_state == 0) {
		if (rumpuser_getrandom(&in6_rand_state, sizeof(in6_rand_state),
		    RUMPUSER_RANDOM_NOWAIT, &got) != 0 ||
		    got != sizeof(in6_rand_state))
			in6_rand_state = getnsecuptime();
		in6_rand_state |= 1;
	}
	x = in6_rand_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	in6_rand_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint64_t
nd6_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

/* SipHash-2-4 (Aumasson and Bernstein) of msg under a 128-bit key. */
#define SIP_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIP_ROUND(v0, v1, v2, v3) do {                                        \
	v0 += v1; v1 = SIP_ROTL(v1, 13); v1 ^= v0; v0 = SIP_ROTL(v0, 32);     \
	v2 += v3; v3 = SIP_ROTL(v3, 16); v3 ^= v2;                            \
	v0 += v3; v3 = SIP_ROTL(v3, 21); v3 ^= v0;                            \
	v2 += v1; v1 = SIP_ROTL(v1, 17); v1 ^= v2; v2 = SIP_ROTL(v2, 32);     \
} while (0)

static uint64_t
nd6_siphash(const uint8_t key[16], const uint8_t *msg, size_t len)
{
	uint64_t k0 = nd6_le64(key), k1 = nd6_le64(key + 8);
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)len << 56, mi;
	size_t i;
	int r;

	for (i = 0; i + 8 <= len; i += 8) {
		mi = nd6_le64(msg + i);
		v3 ^= mi;
		for (r = 0; r < 2; r++)
			SIP_ROUND(v0, v1, v2, v3);
		v0 ^= mi;
	}
	for (r = 0; i + (size_t)r < len; r++)
		b |= (uint64_t)msg[i + (size_t)r] << (8 * r);
	v3 ^= b;
	for (r = 0; r < 2; r++)
		SIP_ROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (r = 0; r < 4; r++)
		SIP_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

void
nd6_stable_iid(struct ifnet *ifp, const struct in6_addr *prefix,
    int dad_counter, uint8_t iid[8])
{
	uint8_t msg[8 + IFNAMSIZ + 1];
	unsigned long got;
	uint64_t h;

	if (!nd6_secret_made) {
		if (rumpuser_getrandom(nd6_secret, sizeof(nd6_secret), 0,
		    &got) != 0 || got != sizeof(nd6_secret)) {
			uint64_t t = getnsecuptime();

			memcpy(nd6_secret, &t, sizeof(t));
		}
		nd6_secret_made = true;
	}
	memset(msg, 0, sizeof(msg));
	memcpy(msg, prefix, 8);
	memcpy(msg + 8, ifp->if_xname, strnlen(ifp->if_xname, IFNAMSIZ));
	msg[8 + IFNAMSIZ] = (uint8_t)dad_counter;
	h = nd6_siphash(nd6_secret, msg, sizeof(msg));
	h = htobe64(h);
	memcpy(iid, &h, 8);
	h = be64toh(h);
	/* Not the subnet-router anycast or a reserved identifier (RFC 5453). */
	if (h == 0 || (be32dec(iid) == 0xfdffffff && iid[4] == 0xff))
		iid[7] ^= 0x80;
}

/* Delete the default route we installed. */
static void
nd6_defrt_remove(void)
{
	struct sockaddr_in6 dst, mask;
	struct rt_addrinfo info;
	struct rtentry *rt;

	if (nd6_defrt == NULL)
		return;
	in6_sin6(&dst, &in6addr_any, 0, 0);
	in6_sin6(&mask, &in6addr_any, 0, 0);
	memset(&info, 0, sizeof(info));
	info.rti_dst = (struct sockaddr *)&dst;
	info.rti_netmask = (struct sockaddr *)&mask;
	rt = rtlookup(info.rti_dst, info.rti_netmask);
	if (rt != NULL) {
		if ((rt->rt_flags & RTF_STATIC) == 0)
			(void)rtrequest(RTM_DELETE, &info, NULL);
		rtfree(rt);
	}
	nd6_defrt = NULL;
}

/* ::/0 through the first router of the list. */
static void
nd6_defrt_install(void)
{
	struct nd6_router *dr = TAILQ_FIRST(&nd6_routers);
	struct sockaddr_in6 dst, mask, gw;
	struct rt_addrinfo info;

	if (dr == nd6_defrt)
		return;
	nd6_defrt_remove();
	if (dr == NULL)
		return;
	in6_sin6(&dst, &in6addr_any, 0, 0);
	in6_sin6(&mask, &in6addr_any, 0, 0);
	/* A router's address is link-local: its zone is the interface. */
	in6_sin6(&gw, &dr->dr_addr, 0, dr->dr_ifp->if_index);
	memset(&info, 0, sizeof(info));
	info.rti_dst = (struct sockaddr *)&dst;
	info.rti_netmask = (struct sockaddr *)&mask;
	info.rti_gateway = (struct sockaddr *)&gw;
	info.rti_ifp = dr->dr_ifp;
	info.rti_flags = RTF_GATEWAY;
	if (rtrequest(RTM_ADD, &info, NULL) == 0)
		nd6_defrt = dr;
}

static void
nd6_router_free(struct nd6_router *dr)
{
	if (dr == nd6_defrt)
		nd6_defrt_remove();
	TAILQ_REMOVE(&nd6_routers, dr, dr_list);
	nd6_nrouters--;
	nd6_defrt_install();
	if_release(dr->dr_ifp);
	kmem_free(dr, sizeof(*dr));
}

static void
nd6_prefix_route(struct nd6_prefix *pr, int req)
{
	struct sockaddr_in6 dst, mask;
	struct rt_addrinfo info;
	struct in6_addr m;

	in6_prefixmask(&m, pr->pr_plen);
	in6_sin6(&dst, &pr->pr_prefix, 0, 0);
	in6_sin6(&mask, &m, 0, 0);
	memset(&info, 0, sizeof(info));
	info.rti_dst = (struct sockaddr *)&dst;
	info.rti_netmask = (struct sockaddr *)&mask;
	info.rti_ifp = pr->pr_ifp;
	info.rti_flags = RTF_CONNECTED;
	if (req == RTM_ADD)
		pr->pr_routed = rtrequest(RTM_ADD, &info, NULL) == 0;
	else if (pr->pr_routed) {
		(void)rtrequest(RTM_DELETE, &info, NULL);
		pr->pr_routed = false;
	}
}

static void
nd6_prefix_free(struct nd6_prefix *pr)
{
	nd6_prefix_route(pr, RTM_DELETE);
	LIST_REMOVE(pr, pr_list);
	nd6_nprefixes--;
	if_release(pr->pr_ifp);
	kmem_free(pr, sizeof(*pr));
}

/* Expire what is due; the earliest deadline left (0: none). */
static uint64_t
nd6_rtr_expire(uint64_t now)
{
	struct nd6_router *dr, *dnext;
	struct nd6_prefix *pr, *pnext;
	uint64_t first = in6_ifaddr_expire(now);

	TAILQ_FOREACH_SAFE(dr, &nd6_routers, dr_list, dnext) {
		if (dr->dr_expire <= now)
			nd6_router_free(dr);
		else if (first == 0 || dr->dr_expire < first)
			first = dr->dr_expire;
	}
	LIST_FOREACH_SAFE(pr, &nd6_prefixes, pr_list, pnext) {
		if (pr->pr_expire != 0 && pr->pr_expire <= now)
			nd6_prefix_free(pr);
		else if (pr->pr_expire != 0 &&
		    (first == 0 || pr->pr_expire < first))
			first = pr->pr_expire;
	}
	return first;
}

void
nd6_rtr_timer_update(void)
{
	uint64_t now = getnsecuptime(), first;

	if (!nd6_rtr_ready)
		return;
	first = nd6_rtr_expire(now);
	if (first == 0)
		callout_stop(&nd6_rtr_callout);
	else
		callout_schedule(&nd6_rtr_callout,
		    first > now ? nstohz(first - now) + 1 : 1);
}

static void
nd6_rtr_timeout(void *arg)
{
	(void)arg;
	mutex_enter(softnet_lock);
	if (callout_expired(&nd6_rtr_callout))
		nd6_rtr_timer_update();
	mutex_exit(softnet_lock);
}

static void
nd6_rs_output(struct ifnet *ifp)
{
	struct ip6_outopts io = { .io_hlim = 255, .io_tclass = -1,
	    .io_ifindex = ifp->if_index };
	struct in6_ifaddr *ia = in6_ifaddr_linklocal(ifp);
	struct icmp6_hdr *rs;
	struct ip6_hdr *ip6;
	struct mbuf *m;
	uint8_t *opt;

	if ((m = nd6_packet(8 + (ia != NULL ? 8 : 0))) == NULL)
		return;
	ip6 = mtod(m, struct ip6_hdr *);
	ip6->ip6_dst = in6addr_linklocal_allrouters;
	rs = (struct icmp6_hdr *)(ip6 + 1);
	rs->icmp6_type = ND_ROUTER_SOLICIT;
	if (ia != NULL) {
		ip6->ip6_src = ia->ia_addr;
		opt = (uint8_t *)(rs + 1);
		opt[0] = ND_OPT_SOURCE_LINKADDR;
		opt[1] = 1;
		memcpy(opt + 2, ifp->if_lladdr, ETHER_ADDR_LEN);
	} else
		io.io_srcany = true;    /* RFC 4861 4.1: no SLLAO from :: */
	(void)icmp6_send(m, &io);
}

void
nd6_rs_timeout(void *arg)
{
	struct in6_ifextra *ie = arg;
	struct ifnet *ifp = ie->ie_ifp;

	mutex_enter(softnet_lock);
	if (callout_expired(&ie->ie_rstimer) && ie->ie_rs_left > 0 &&
	    (ifp->if_flags & IFF_UP) != 0 && !ifp->if_detaching) {
		ie->ie_rs_left--;
		nd6_rs_output(ifp);
		if (ie->ie_rs_left > 0)
			callout_schedule(&ie->ie_rstimer,
			    nstohz(ND6_RS_INTERVAL));
	}
	mutex_exit(softnet_lock);
}

void
nd6_rs_start(struct ifnet *ifp)
{
	struct in6_ifextra *ie = IN6_IFEXTRA(ifp);

	if (ie == NULL)
		return;
	ie->ie_rs_left = ND6_RS_MAX;
	callout_schedule(&ie->ie_rstimer,
	    nstohz((uint64_t)(in6_random() % 1000) * 1000000ULL) + 1);
}

static void
nd6_router_update(struct ifnet *ifp, const struct in6_addr *a,
    unsigned lifetime)
{
	struct nd6_router *dr;

	TAILQ_FOREACH(dr, &nd6_routers, dr_list)
		if (dr->dr_ifp == ifp && IN6_ARE_ADDR_EQUAL(&dr->dr_addr, a))
			break;
	if (lifetime == 0) {
		if (dr != NULL)
			nd6_router_free(dr);
		return;
	}
	if (dr == NULL) {
		if (nd6_nrouters >= ND6_MAXROUTERS ||
		    (dr = kmem_zalloc(sizeof(*dr), KM_NOSLEEP)) == NULL)
			return;
		dr->dr_ifp = ifp;
		if_ref(ifp);
		dr->dr_addr = *a;
		TAILQ_INSERT_TAIL(&nd6_routers, dr, dr_list);
		nd6_nrouters++;
	}
	dr->dr_expire = getnsecuptime() + (uint64_t)lifetime * 1000000000ULL;
	nd6_defrt_install();
}

static void
nd6_prefix_update(struct ifnet *ifp, const struct in6_addr *prefix, int plen,
    uint32_t vltime)
{
	struct nd6_prefix *pr;

	LIST_FOREACH(pr, &nd6_prefixes, pr_list)
		if (pr->pr_ifp == ifp && pr->pr_plen == plen &&
		    IN6_ARE_ADDR_EQUAL(&pr->pr_prefix, prefix))
			break;
	if (vltime == 0) {
		if (pr != NULL)
			nd6_prefix_free(pr);
		return;
	}
	if (pr == NULL) {
		if (nd6_nprefixes >= ND6_MAXPREFIXES ||
		    (pr = kmem_zalloc(sizeof(*pr), KM_NOSLEEP)) == NULL)
			return;
		pr->pr_ifp = ifp;
		if_ref(ifp);
		pr->pr_prefix = *prefix;
		pr->pr_plen = plen;
		LIST_INSERT_HEAD(&nd6_prefixes, pr, pr_list);
		nd6_nprefixes++;
	}
	pr->pr_expire = vltime == ~0u ? 0 :
	    getnsecuptime() + (uint64_t)vltime * 1000000000ULL;
	if (!pr->pr_routed)
		nd6_prefix_route(pr, RTM_ADD);
}

static void
nd6_slaac(struct ifnet *ifp, const struct in6_addr *prefix, uint32_t vltime,
    uint32_t pltime)
{
	struct in6_ifaddr *ia;
	struct in6_addr a;
	uint64_t now = getnsecuptime(), remain;

	TAILQ_FOREACH(ia, &in6_ifaddrhead, ia_list) {
		if (ia->ia_ifa.ifa_ifp != ifp ||
		    (ia->ia_flags & IN6_IFF_AUTOCONF) == 0 ||
		    !in6_prefix_match(&ia->ia_addr, prefix, 64))
			continue;
		/* RFC 4862 5.5.3 (e). */
		remain = ia->ia_valid == 0 ? ~0ULL :
		    ia->ia_valid > now ? (ia->ia_valid - now) / 1000000000ULL : 0;
		if (vltime != ~0u && vltime <= TWO_HOURS && vltime < remain) {
			if (remain <= TWO_HOURS)
				vltime = (uint32_t)remain;
			else
				vltime = TWO_HOURS;
		}
		(void)in6_ifaddr_add(ifp, &ia->ia_addr, 64, vltime, pltime, 0,
		    NULL);
		return;
	}
	if (vltime == 0)
		return;
	a = *prefix;
	if (ip6_stable_privacy)
		nd6_stable_iid(ifp, prefix, 0, &a.s6_addr[8]);
	else {
		a.s6_addr[8] = ifp->if_lladdr[0] ^ 0x02;
		a.s6_addr[9] = ifp->if_lladdr[1];
		a.s6_addr[10] = ifp->if_lladdr[2];
		a.s6_addr[11] = 0xff;
		a.s6_addr[12] = 0xfe;
		a.s6_addr[13] = ifp->if_lladdr[3];
		a.s6_addr[14] = ifp->if_lladdr[4];
		a.s6_addr[15] = ifp->if_lladdr[5];
	}
	(void)in6_ifaddr_add(ifp, &a, 64, vltime, pltime, IN6_IFF_AUTOCONF |
	    (ip6_stable_privacy ? IN6_IFF_STABLE : 0), NULL);
}

void
nd6_ra_input(struct mbuf *m, int off, int len)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct in6_ifextra *ie = IN6_IFEXTRA(ifp);
	struct nd_router_advert ra;
	struct nd_opt_prefix_info pi;
	struct ip6_hdr ip6;
	struct nd6_opts o;
	uint32_t v;
	int i;

	if (ie == NULL || ifp->if_type != IFT_ETHER)
		return;
	m_copydata(m, 0, sizeof(ip6), &ip6);
	if (len < (int)sizeof(ra) || !IN6_IS_ADDR_LINKLOCAL(&ip6.ip6_src) ||
	    !nd6_options(m, off + (int)sizeof(ra), len - (int)sizeof(ra), &o)) {
		icmp6stat.icp6s_badcode++;
		return;
	}
	m_copydata(m, off, sizeof(ra), &ra);
	icmp6stat.icp6s_ra++;
	ie->ie_rs_left = 0;
	if (ra.nd_ra_curhoplimit != 0)
		ie->ie_curhlim = ra.nd_ra_curhoplimit;
	if ((v = ntohl(ra.nd_ra_reachable)) != 0 && v <= 3600000)
		ie->ie_reachable_ms = v;
	if ((v = ntohl(ra.nd_ra_retransmit)) != 0 && v <= 60000)
		ie->ie_retrans_ms = v;
	if (o.no_mtu >= IPV6_MMTU && o.no_mtu <= ifp->if_mtu)
		ie->ie_linkmtu = o.no_mtu;
	if (o.no_has_sll)
		nd6_cache_lladdr(ifp, &ip6.ip6_src, o.no_sll, false, false,
		    false);
	nd6_router_update(ifp, &ip6.ip6_src, ntohs(ra.nd_ra_router_lifetime));
	for (i = 0; i < o.no_npi; i++) {
		uint32_t vl, pl;

		m_copydata(m, o.no_pioff[i], sizeof(pi), &pi);
		vl = ntohl(pi.nd_opt_pi_valid_time);
		pl = ntohl(pi.nd_opt_pi_preferred_time);
		if (pi.nd_opt_pi_prefix_len > 128 ||
		    IN6_IS_ADDR_LINKLOCAL(&pi.nd_opt_pi_prefix) ||
		    IN6_IS_ADDR_MULTICAST(&pi.nd_opt_pi_prefix) || pl > vl)
			continue;
		{
			struct in6_addr mask;
			int j;

			in6_prefixmask(&mask, pi.nd_opt_pi_prefix_len);
			for (j = 0; j < 16; j++)
				pi.nd_opt_pi_prefix.s6_addr[j] &= mask.s6_addr[j];
		}
		if (pi.nd_opt_pi_flags_reserved & ND_OPT_PI_FLAG_ONLINK)
			nd6_prefix_update(ifp, &pi.nd_opt_pi_prefix,
			    pi.nd_opt_pi_prefix_len, vl);
		if ((pi.nd_opt_pi_flags_reserved & ND_OPT_PI_FLAG_AUTO) &&
		    pi.nd_opt_pi_prefix_len == 64)
			nd6_slaac(ifp, &pi.nd_opt_pi_prefix, vl, pl);
	}
	nd6_rtr_timer_update();
}

void
nd6_rtr_purge(struct ifnet *ifp)
{
	struct nd6_router *dr, *dnext;
	struct nd6_prefix *pr, *pnext;

	TAILQ_FOREACH_SAFE(dr, &nd6_routers, dr_list, dnext)
		if (dr->dr_ifp == ifp)
			nd6_router_free(dr);
	LIST_FOREACH_SAFE(pr, &nd6_prefixes, pr_list, pnext)
		if (pr->pr_ifp == ifp)
			nd6_prefix_free(pr);
}

void
nd6_rtr_init(void)
{
	callout_init(&nd6_rtr_callout, CALLOUT_MPSAFE);
	callout_setfunc(&nd6_rtr_callout, nd6_rtr_timeout, NULL);
	nd6_rtr_ready = true;
}
