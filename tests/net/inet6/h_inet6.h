/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Helpers the IPv6 tests share: addresses, sockets, counters by sysctl,
 * and hand-built Ethernet frames carrying IPv6 for injection through
 * librumpnet_inettest's link input.
 */
#ifndef _TESTS_H_INET6_H_
#define _TESTS_H_INET6_H_

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/param.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "h_macros.h"
#include "../../../sys/netinet6/in6_stat.h"

static __attribute__((__unused__)) struct sockaddr_in6
sin6_make(const char *addr, int port, unsigned scope)
{
	struct sockaddr_in6 s;

	memset(&s, 0, sizeof(s));
	s.sin6_family = AF_INET6;
	s.sin6_port = htons((uint16_t)port);
	s.sin6_scope_id = scope;
	REQUIRE(inet_pton(AF_INET6, addr, &s.sin6_addr) == 1);
	return s;
}

static __attribute__((__unused__)) int
udp6_bound(const char *addr, int port)
{
	struct sockaddr_in6 s = sin6_make(addr, port, 0);
	int fd;

	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)));
	return fd;
}

static __attribute__((__unused__)) int
sock6_port(int fd)
{
	struct sockaddr_in6 s;
	unsigned len = sizeof(s);

	REQUIRE_OK(rump_sys_getsockname(fd, (struct sockaddr *)&s, &len));
	REQUIRE_EQ(len, sizeof(s));
	return ntohs(s.sin6_port);
}

static __attribute__((__unused__)) int
wait_readable(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n;

	REQUIRE_OK(n = rump_sys_poll(&pfd, 1, ms));
	return n;
}

static __attribute__((__unused__)) void
get_stats(const char *name, void *buf, size_t size)
{
	size_t len = size;

	REQUIRE_EQ(rump_pub_sysctlbyname(name, buf, &len, NULL, 0), 0);
	REQUIRE_EQ(len, size);
}

static __attribute__((__unused__)) struct ip6stat
ip6stat_get(void)
{
	struct ip6stat s;

	get_stats("net.inet6.ip6.stats", &s, sizeof(s));
	return s;
}

static __attribute__((__unused__)) struct icmp6stat
icmp6stat_get(void)
{
	struct icmp6stat s;

	get_stats("net.inet6.icmp6.stats", &s, sizeof(s));
	return s;
}

static __attribute__((__unused__)) struct udp6stat
udp6stat_get(void)
{
	struct udp6stat s;

	get_stats("net.inet6.udp6.stats", &s, sizeof(s));
	return s;
}

static __attribute__((__unused__)) void
sysctl_setint(const char *name, int v)
{
	REQUIRE_EQ(rump_pub_sysctlbyname(name, NULL, NULL, &v, sizeof(v)), 0);
}

static __attribute__((__unused__)) void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		continue;
}

/* The ones' complement sum of the IPv6 pseudo-header and a message. */
static __attribute__((__unused__)) uint16_t
cksum6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nxt,
    const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += (uint32_t)(src->s6_addr[i] << 8 | src->s6_addr[i + 1]) +
		    (uint32_t)(dst->s6_addr[i] << 8 | dst->s6_addr[i + 1]);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + nxt;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(msg[i] << 8 | msg[i + 1]);
	if (len & 1)
		sum += (uint32_t)(msg[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/*
 * An Ethernet frame to dmac from smac carrying an IPv6 header (src, dst,
 * next header nxt, hop limit hlim) and plen bytes of payload; returns
 * the frame's length.  The payload's checksum is the caller's.
 */
static __attribute__((__unused__)) size_t
frame6(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
    const char *src, const char *dst, int nxt, int hlim,
    const uint8_t *payload, size_t plen)
{
	struct ip6_hdr ip6;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	memset(&ip6, 0, sizeof(ip6));
	ip6.ip6_flow = htonl(0x60000000);
	ip6.ip6_plen = htons((uint16_t)plen);
	ip6.ip6_nxt = (uint8_t)nxt;
	ip6.ip6_hlim = (uint8_t)hlim;
	REQUIRE(inet_pton(AF_INET6, src, &ip6.ip6_src) == 1);
	REQUIRE(inet_pton(AF_INET6, dst, &ip6.ip6_dst) == 1);
	memcpy(f + 14, &ip6, sizeof(ip6));
	memcpy(f + 14 + 40, payload, plen);
	return 14 + 40 + plen;
}

#endif /* _TESTS_H_INET6_H_ */
