/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The loopback interface lo0, attached by ifinit() at boot: up and
 * running, MTU 65536, flags IFF_LOOPBACK|IFF_UP|IFF_RUNNING as Linux's lo.
 *
 * Output (in the sender's thread, softnet_lock held by the protocol)
 * turns the packet around: it is marked M_LOOP, received on lo0, and its
 * checksums marked valid (M_CSUM_DATA_VALID and M_CSUM_IPv4) since it
 * never left the kernel, so input verifies none; then it is queued on
 * the netisr of its family and taken up by that protocol's soft
 * interrupt, never by a recursive call into input.
 */
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>

#include "net_private.h"

#define LOMTU 65536

static struct ifnet loif;
struct ifnet *lo0ifp;

static int
loop_output(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst,
    struct rtentry *rt)
{
	int proto, len;

	KASSERT(m->m_flags & M_PKTHDR);
	if (rt != NULL && (rt->rt_flags & (RTF_REJECT | RTF_BLACKHOLE)) != 0) {
		m_freem(m);
		if (rt->rt_flags & RTF_BLACKHOLE)
			return 0;
		return (rt->rt_flags & RTF_HOST) ? EHOSTUNREACH : ENETUNREACH;
	}
	switch (dst->sa_family) {
	case AF_INET:
		proto = NETISR_IP;
		break;
	case AF_INET6:
		proto = NETISR_IPV6;
		break;
	default:
		IF_STAT_ADD(ifp, ifi_oerrors, 1);
		m_freem(m);
		return EAFNOSUPPORT;
	}
	len = m->m_pkthdr.len;
	m->m_flags |= M_LOOP;
	m->m_flags &= ~(M_BCAST | M_MCAST);
	m->m_pkthdr.rcvif = ifp;
	m->m_pkthdr.csum_flags = M_CSUM_DATA_VALID | M_CSUM_IPv4;
	IF_STAT_ADD(ifp, ifi_opackets, 1);
	IF_STAT_ADD(ifp, ifi_obytes, len);
	if (!netisr_queue(proto, m)) {
		IF_STAT_ADD(ifp, ifi_iqdrops, 1);
		return ENOBUFS;
	}
	IF_STAT_ADD(ifp, ifi_ipackets, 1);
	IF_STAT_ADD(ifp, ifi_ibytes, len);
	return 0;
}

static int
loop_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	struct ifreq *ifr = data;

	switch (cmd) {
	case SIOCSIFMTU:
		if (ifr->ifr_mtu < 68 || ifr->ifr_mtu > LOMTU)
			return EINVAL;
		ifp->if_mtu = (unsigned)ifr->ifr_mtu;
		return 0;
	case SIOCADDMULTI:
	case SIOCDELMULTI:
		return 0;               /* every group is heard on loopback */
	default:
		return ENOTTY;
	}
}

void
loop_attach(void)
{
	struct ifnet *ifp = &loif;

	ifp->if_mtu = LOMTU;
	if_initialize(ifp);
	strlcpy(ifp->if_xname, "lo0", IFNAMSIZ);
	ifp->if_type = IFT_LOOP;
	ifp->if_hdrlen = 0;
	ifp->if_addrlen = 0;
	ifp->if_flags = IFF_LOOPBACK | IFF_UP | IFF_RUNNING;
	ifp->if_output = loop_output;
	ifp->if_ioctl = loop_ioctl;
	if (if_attach(ifp) != 0)
		panic("loop_attach: lo0 exists");
	lo0ifp = ifp;
}
