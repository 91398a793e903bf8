/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Ethernet link layer (<net/if_ether.h>): framing on output, the
 * receive filter and demultiplexing on input, and the multicast filter.
 *
 *   protocol output (softnet_lock) -> ether_output -> [ARP resolve]
 *     -> header prepended -> if_transmit (driver)
 *   driver receive thread -> ether_input -> filter -> netisr_queue
 *
 * Ethernet knows no protocol beyond the type field; IPv4 unicast
 * addresses are resolved by whoever set ether_resolve_hook (ARP, in
 * libnetinet), IPv6 unicast ones by ether_resolve6_hook (neighbour
 * discovery, in libnetinet6).  Frames from the wire are untrusted: every length is
 * checked and every drop counted in etherstat and the interface's
 * counters.
 */
#include <sys/systm.h>
#include <sys/endian.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>

#define ETHER_STAT(f) ((void)__atomic_fetch_add(&etherstat.f, 1, __ATOMIC_RELAXED))

const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t ether_allhosts4[ETHER_ADDR_LEN] = {
	0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t ether_allnodes6[ETHER_ADDR_LEN] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

int (*ether_resolve_hook)(struct ifnet *, struct mbuf *m,
    const struct sockaddr *dst, struct rtentry *rt, uint8_t *desten);
int (*ether_resolve6_hook)(struct ifnet *, struct mbuf *m,
    const struct sockaddr *dst, struct rtentry *rt, uint8_t *desten);
struct etherstat etherstat;

#define IFP_TO_EC(ifp) ((struct ethercom *)(void *)(ifp))

char *
ether_sprintf(char *buf, const uint8_t *a)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2],
	    a[3], a[4], a[5]);
	return buf;
}

void
ether_ifattach(struct ifnet *ifp, const uint8_t *lladdr)
{
	struct ethercom *ec = IFP_TO_EC(ifp);

	mutex_init(&ec->ec_lock, MUTEX_DEFAULT, IPL_SOFTNET);
	LIST_INIT(&ec->ec_multiaddrs);
	ec->ec_multicnt = 0;
	ifp->if_type = IFT_ETHER;
	ifp->if_addrlen = ETHER_ADDR_LEN;
	ifp->if_hdrlen = ETHER_HDR_LEN;
	ifp->if_mtu = ETHERMTU;
	ifp->if_flags |= IFF_BROADCAST | IFF_MULTICAST;
	ifp->if_output = ether_output;
	ifp->if_input = ether_input;
	memcpy(ifp->if_lladdr, lladdr, ETHER_ADDR_LEN);
}

void
ether_ifdetach(struct ifnet *ifp)
{
	struct ethercom *ec = IFP_TO_EC(ifp);
	struct ether_multi *enm;

	while ((enm = LIST_FIRST(&ec->ec_multiaddrs)) != NULL) {
		LIST_REMOVE(enm, enm_list);
		kmem_free(enm, sizeof(*enm));
	}
	ec->ec_multicnt = 0;
	mutex_destroy(&ec->ec_lock);
}

/*
 * Output.
 */
static void
ether_map_ip6_multicast(const struct sockaddr *dst, uint8_t *e)
{
	/* RFC 2464, section 7: 33:33 and the low 32 bits of the group. */
	const uint8_t *a = (const uint8_t *)dst + 8;

	e[0] = 0x33;
	e[1] = 0x33;
	memcpy(e + 2, a + 12, 4);
}

int
ether_output(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst,
    struct rtentry *rt)
{
	const struct sockaddr_in *sin;
	const struct ether_header *eh0;
	uint8_t edst[ETHER_ADDR_LEN];
	struct ether_header *eh;
	uint16_t etype;
	in_addr_t a;
	int error;

	KASSERT(m->m_flags & M_PKTHDR);
	if ((ifp->if_flags & (IFF_UP | IFF_RUNNING)) != (IFF_UP | IFF_RUNNING)) {
		error = ENETDOWN;
		goto bad;
	}
	switch (dst->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)dst;
		a = ntohl(sin->sin_addr.s_addr);
		etype = ETHERTYPE_IP;
		if ((m->m_flags & M_BCAST) != 0 || a == INADDR_BROADCAST) {
			memcpy(edst, etherbroadcastaddr, ETHER_ADDR_LEN);
			m->m_flags |= M_BCAST;
		} else if (IN_MULTICAST(a)) {
			ETHER_MAP_IP_MULTICAST(&sin->sin_addr, edst);
			m->m_flags |= M_MCAST;
		} else if (ether_resolve_hook == NULL) {
			ETHER_STAT(es_noresolve);
			error = EHOSTUNREACH;
			goto bad;
		} else {
			error = ether_resolve_hook(ifp, m, dst, rt, edst);
			if (error == EWOULDBLOCK)
				return 0;       /* ARP holds it */
			if (error != 0) {
				ETHER_STAT(es_oerrors);
				return error;   /* ARP freed it */
			}
		}
		break;
	case AF_INET6:
		etype = ETHERTYPE_IPV6;
		if (((const uint8_t *)dst)[8] == 0xff) {
			ether_map_ip6_multicast(dst, edst);
			m->m_flags |= M_MCAST;
			break;
		}
		if (ether_resolve6_hook == NULL) {
			ETHER_STAT(es_noresolve);
			error = EAFNOSUPPORT;   /* no neighbour discovery */
			goto bad;
		}
		error = ether_resolve6_hook(ifp, m, dst, rt, edst);
		if (error == EWOULDBLOCK)
			return 0;               /* ND holds it */
		if (error != 0) {
			ETHER_STAT(es_oerrors);
			return error;           /* ND freed it */
		}
		break;
	case AF_UNSPEC:
		eh0 = (const struct ether_header *)(const void *)dst->sa_data;
		memcpy(edst, eh0->ether_dhost, ETHER_ADDR_LEN);
		etype = ntohs(eh0->ether_type);
		if (memcmp(edst, etherbroadcastaddr, ETHER_ADDR_LEN) == 0)
			m->m_flags |= M_BCAST;
		else if (ETHER_IS_MULTICAST(edst))
			m->m_flags |= M_MCAST;
		break;
	default:
		error = EAFNOSUPPORT;
		goto bad;
	}

	M_PREPEND(m, ETHER_HDR_LEN, M_DONTWAIT);
	if (m == NULL) {
		ETHER_STAT(es_oerrors);
		IF_STAT_ADD(ifp, ifi_oerrors, 1);
		return ENOBUFS;
	}
	if (m->m_len < ETHER_HDR_LEN && (m = m_pullup(m, ETHER_HDR_LEN)) == NULL) {
		ETHER_STAT(es_oerrors);
		IF_STAT_ADD(ifp, ifi_oerrors, 1);
		return ENOBUFS;
	}
	eh = mtod(m, struct ether_header *);
	memcpy(eh->ether_dhost, edst, ETHER_ADDR_LEN);
	memcpy(eh->ether_shost, ifp->if_lladdr, ETHER_ADDR_LEN);
	eh->ether_type = htons(etype);
	if (m->m_flags & (M_BCAST | M_MCAST))
		IF_STAT_ADD(ifp, ifi_omcasts, 1);
	if ((error = ifp->if_transmit(ifp, m)) != 0) {
		ETHER_STAT(es_oerrors);
		return error;
	}
	ETHER_STAT(es_opackets);
	return 0;
bad:
	ETHER_STAT(es_oerrors);
	IF_STAT_ADD(ifp, ifi_oerrors, 1);
	m_freem(m);
	return error;
}

/*
 * Input.
 */
bool
ether_multi_match(struct ifnet *ifp, const uint8_t *addr)
{
	struct ethercom *ec = IFP_TO_EC(ifp);
	struct ether_multi *enm;
	bool found = false;

	if (memcmp(addr, ether_allhosts4, ETHER_ADDR_LEN) == 0 ||
	    memcmp(addr, ether_allnodes6, ETHER_ADDR_LEN) == 0)
		return true;
	mutex_enter(&ec->ec_lock);
	LIST_FOREACH(enm, &ec->ec_multiaddrs, enm_list) {
		if (memcmp(enm->enm_addr, addr, ETHER_ADDR_LEN) == 0) {
			found = true;
			break;
		}
	}
	mutex_exit(&ec->ec_lock);
	return found;
}

static void
ether_drop(struct ifnet *ifp, struct mbuf *m)
{
	IF_STAT_ADD(ifp, ifi_ierrors, 1);
	m_freem(m);
}

void
ether_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ether_header *eh;
	int proto, len;
	uint16_t etype;

	KASSERT(m->m_flags & M_PKTHDR);
	len = m->m_pkthdr.len;
	if (len < ETHER_HDR_LEN) {
		ETHER_STAT(es_runts);
		ether_drop(ifp, m);
		return;
	}
	/* A VLAN tag's 4 bytes are allowed for; the CRC is the driver's. */
	if (len > (int)ifp->if_mtu + ETHER_HDR_LEN + 4) {
		ETHER_STAT(es_toolong);
		ether_drop(ifp, m);
		return;
	}
	if (m->m_len < ETHER_HDR_LEN &&
	    (m = m_pullup(m, ETHER_HDR_LEN)) == NULL) {
		IF_STAT_ADD(ifp, ifi_iqdrops, 1);
		return;
	}
	eh = mtod(m, struct ether_header *);
	m->m_flags &= ~(M_BCAST | M_MCAST);
	if (memcmp(eh->ether_shost, ifp->if_lladdr, ETHER_ADDR_LEN) == 0) {
		ETHER_STAT(es_ownsrc);
		m_freem(m);
		return;
	}
	if (ETHER_IS_MULTICAST(eh->ether_dhost)) {
		if (memcmp(eh->ether_dhost, etherbroadcastaddr,
		    ETHER_ADDR_LEN) == 0)
			m->m_flags |= M_BCAST;
		else if ((ifp->if_flags & (IFF_ALLMULTI | IFF_PROMISC)) != 0 ||
		    ether_multi_match(ifp, eh->ether_dhost))
			m->m_flags |= M_MCAST;
		else {
			ETHER_STAT(es_mcastfiltered);
			m_freem(m);
			return;
		}
		IF_STAT_ADD(ifp, ifi_imcasts, 1);
	} else if (memcmp(eh->ether_dhost, ifp->if_lladdr, ETHER_ADDR_LEN) != 0 &&
	    (ifp->if_flags & IFF_PROMISC) == 0) {
		ETHER_STAT(es_notforus);
		m_freem(m);
		return;
	}
	etype = ntohs(eh->ether_type);
	switch (etype) {
	case ETHERTYPE_IP:
		proto = NETISR_IP;
		break;
	case ETHERTYPE_ARP:
		proto = NETISR_ARP;
		break;
	case ETHERTYPE_IPV6:
		proto = NETISR_IPV6;
		break;
	default:
		ETHER_STAT(es_noproto);
		IF_STAT_ADD(ifp, ifi_noproto, 1);
		m_freem(m);
		return;
	}
	IF_STAT_ADD(ifp, ifi_ipackets, 1);
	IF_STAT_ADD(ifp, ifi_ibytes, len);
	m_adj(m, ETHER_HDR_LEN);
	m->m_pkthdr.rcvif = ifp;
	/* Counted before it is queued: the protocol may have it at once. */
	ETHER_STAT(es_ipackets);
	if (!netisr_queue(proto, m)) {
		ETHER_STAT(es_qdrops);
		IF_STAT_ADD(ifp, ifi_iqdrops, 1);
	}
}

/*
 * The multicast filter and the generic ioctls.
 */
static int
ether_multi_addr(const struct sockaddr *sa, uint8_t *e)
{
	const struct sockaddr_in *sin;

	switch (sa->sa_family) {
	case AF_UNSPEC:
		memcpy(e, sa->sa_data, ETHER_ADDR_LEN);
		break;
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		if (!IN_MULTICAST(ntohl(sin->sin_addr.s_addr)))
			return EINVAL;
		ETHER_MAP_IP_MULTICAST(&sin->sin_addr, e);
		break;
	case AF_INET6:
		if (((const uint8_t *)sa)[8] != 0xff)
			return EINVAL;
		ether_map_ip6_multicast(sa, e);
		break;
	default:
		return EAFNOSUPPORT;
	}
	return ETHER_IS_MULTICAST(e) ? 0 : EINVAL;
}

static int
ether_multi_change(struct ifnet *ifp, unsigned long cmd, const uint8_t *e)
{
	struct ethercom *ec = IFP_TO_EC(ifp);
	struct ether_multi *enm, *nenm;
	bool changed = false;

	nenm = cmd == SIOCADDMULTI ? kmem_zalloc(sizeof(*nenm), KM_NOSLEEP) : NULL;
	mutex_enter(&ec->ec_lock);
	LIST_FOREACH(enm, &ec->ec_multiaddrs, enm_list)
		if (memcmp(enm->enm_addr, e, ETHER_ADDR_LEN) == 0)
			break;
	if (cmd == SIOCADDMULTI) {
		if (enm != NULL)
			enm->enm_refcount++;
		else if (nenm != NULL) {
			memcpy(nenm->enm_addr, e, ETHER_ADDR_LEN);
			nenm->enm_refcount = 1;
			LIST_INSERT_HEAD(&ec->ec_multiaddrs, nenm, enm_list);
			ec->ec_multicnt++;
			nenm = NULL;
			changed = true;
		} else {
			mutex_exit(&ec->ec_lock);
			return ENOBUFS;
		}
	} else {
		if (enm == NULL) {
			mutex_exit(&ec->ec_lock);
			return ENOENT;
		}
		if (--enm->enm_refcount == 0) {
			LIST_REMOVE(enm, enm_list);
			ec->ec_multicnt--;
			nenm = enm;     /* freed below, outside the spin lock */
			changed = true;
		}
	}
	mutex_exit(&ec->ec_lock);
	if (nenm != NULL)
		kmem_free(nenm, sizeof(*nenm));
	if (changed && ifp->if_mcast != NULL)
		return ifp->if_mcast(ifp);
	return 0;
}

int
ether_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	struct ifreq *ifr = data;
	uint8_t e[ETHER_ADDR_LEN];
	int error;

	switch (cmd) {
	case SIOCADDMULTI:
	case SIOCDELMULTI:
		if ((error = ether_multi_addr(&ifr->ifr_addr, e)) != 0)
			return error;
		return ether_multi_change(ifp, cmd, e);
	case SIOCSIFMTU:
		if (ifr->ifr_mtu < 68 || ifr->ifr_mtu > ETHERMTU)
			return EINVAL;
		ifp->if_mtu = (unsigned)ifr->ifr_mtu;
		return 0;
	default:
		return ENOTTY;
	}
}
