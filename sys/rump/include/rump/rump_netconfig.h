/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Network configuration helpers (librumpnet_net, netconfig.c), as the
 * original's: a client configures its kernel's interfaces without
 * building ioctls.  Every argument is a string; every function returns
 * 0 or an errno (Linux's values) and may be called from any host thread
 * after rump_init(), never from inside the kernel.
 *
 *   ifcreate(name)         make an interface through its driver's cloner
 *                          ("shmif0"): EINVAL for no such driver or no
 *                          unit number, EEXIST if it exists
 *   ifdestroy(name)        destroy a cloned interface: ENXIO if none
 *   ifup(name), ifdown     set or clear IFF_UP: ENXIO if none
 *   ifsetlinkstr(name, s)  give the interface its link: for shmif the
 *                          bus file's host path; EOPNOTSUPP if the
 *                          driver has no link string
 *   ifunsetlinkstr(name)   take it away (the interface goes down)
 *   ipv4_ifaddr(name, addr, mask)
 *                          set the IPv4 address and netmask, dotted
 *                          quads ("10.0.0.1", "255.255.255.0"): through
 *                          an AF_INET socket's SIOCSIFADDR and
 *                          SIOCSIFNETMASK; EINVAL for a malformed
 *                          address or a mask whose ones are not
 *                          contiguous; EAFNOSUPPORT without netinet
 *   ipv4_ifaddr_cidr(name, addr, prefixlen)
 *                          the same with a prefix length 0..32
 *   ipv4_gw(gw)            add the default route through router gw:
 *                          EEXIST if there is one, ENETUNREACH if gw is
 *                          on no configured subnet
 *
 * Typical use, one kernel on a shmif bus:
 *   rump_pub_shmif_create("/tmp/bus", &unit);      (or ifcreate+setlinkstr)
 *   rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", "10.0.0.1", 24);
 *   rump_pub_netconfig_ifup("shmif0");
 */
#ifndef _RUMP_RUMP_NETCONFIG_H_
#define _RUMP_RUMP_NETCONFIG_H_

#include <rump/rump.h>

#ifdef __cplusplus
extern "C" {
#endif

RUMP_API int rump_pub_netconfig_ifcreate(const char *ifname);
RUMP_API int rump_pub_netconfig_ifdestroy(const char *ifname);
RUMP_API int rump_pub_netconfig_ifup(const char *ifname);
RUMP_API int rump_pub_netconfig_ifdown(const char *ifname);
RUMP_API int rump_pub_netconfig_ifsetlinkstr(const char *ifname,
    const char *linkstr);
RUMP_API int rump_pub_netconfig_ifunsetlinkstr(const char *ifname);
RUMP_API int rump_pub_netconfig_ipv4_ifaddr(const char *ifname,
    const char *addr, const char *mask);
RUMP_API int rump_pub_netconfig_ipv4_ifaddr_cidr(const char *ifname,
    const char *addr, int prefixlen);
RUMP_API int rump_pub_netconfig_ipv4_gw(const char *gw);
/*
 * IPv6 (librumpnet_netinet6): an address with its prefix length; the
 * default router ("fe80::1%shmif0" names the link of a link-local one);
 * SLAAC: bring the interface up, solicit routers and wait (about 15 s
 * at most, else ETIMEDOUT) for an address from a router advertisement.
 */
RUMP_API int rump_pub_netconfig_ipv6_ifaddr(const char *ifname,
    const char *addr, int prefixlen);
RUMP_API int rump_pub_netconfig_ipv6_gw(const char *gw);
RUMP_API int rump_pub_netconfig_auto_ipv6(const char *ifname);
/*
 * Configure ifname by DHCPv4 (librumpnet_netinet): one exchange
 * (DISCOVER, OFFER, REQUEST, ACK), then the lease's address and mask on
 * the interface and its router as the default route; nothing is
 * renewed.  ETIMEDOUT when no server answers (about 20 s), ECONNREFUSED
 * when every offer is refused, ENXIO for no such interface.
 */
RUMP_API int rump_pub_netconfig_dhcp_ipv4_oneshot(const char *ifname);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_NETCONFIG_H_ */
