/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Helpers the IPv4 tests share: addresses, sockets, the kernel's
 * counters read through sysctl, and hand-built packets.
 */
#ifndef _TESTS_H_INET_H_
#define _TESTS_H_INET_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "h_macros.h"
#include "../../../sys/netinet/ip_var.h"
#include "../../../sys/netinet/ip_icmp.h"
#include "../../../sys/netinet/udp.h"

static __attribute__((__unused__)) struct sockaddr_in
sin_make(const char *addr, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	REQUIRE(inet_pton(AF_INET, addr, &sin.sin_addr) == 1);
	return sin;
}

/* A UDP socket bound to addr:port (port 0: any). */
static __attribute__((__unused__)) int
udp_bound(const char *addr, int port)
{
	struct sockaddr_in sin = sin_make(addr, port);
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0));
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	return s;
}

static __attribute__((__unused__)) int
sock_port(int s)
{
	struct sockaddr_in sin;
	unsigned len = sizeof(sin);

	REQUIRE_OK(rump_sys_getsockname(s, (struct sockaddr *)&sin, &len));
	REQUIRE_EQ(len, sizeof(sin));
	return ntohs(sin.sin_port);
}

/* Wait up to ms for s to be readable: 1, or 0 on timeout. */
static __attribute__((__unused__)) int
wait_readable(int s, int ms)
{
	struct pollfd pfd = { .fd = s, .events = POLLIN };
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

static __attribute__((__unused__)) struct ipstat
ipstat_get(void)
{
	struct ipstat st;

	get_stats("net.inet.ip.stats", &st, sizeof(st));
	return st;
}

static __attribute__((__unused__)) struct icmpstat
icmpstat_get(void)
{
	struct icmpstat st;

	get_stats("net.inet.icmp.stats", &st, sizeof(st));
	return st;
}

static __attribute__((__unused__)) struct udpstat
udpstat_get(void)
{
	struct udpstat st;

	get_stats("net.inet.udp.stats", &st, sizeof(st));
	return st;
}

static __attribute__((__unused__)) void
sysctl_setint(const char *name, int v)
{
	REQUIRE_EQ(rump_pub_sysctlbyname(name, NULL, NULL, &v, sizeof(v)), 0);
}

/* RFC 1071, for packets the tests build. */
static __attribute__((__unused__)) uint16_t
cksum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* An IPv4 header (20 bytes, checksummed) at p. */
static __attribute__((__unused__)) void
ip_header(uint8_t *p, int totlen, int id, int off8, int mf, int proto,
    const char *src, const char *dst, int ttl)
{
	uint16_t v;

	memset(p, 0, 20);
	p[0] = 0x45;
	v = htons((uint16_t)totlen);
	memcpy(p + 2, &v, 2);
	v = htons((uint16_t)id);
	memcpy(p + 4, &v, 2);
	v = htons((uint16_t)((mf ? 0x2000 : 0) | off8));
	memcpy(p + 6, &v, 2);
	p[8] = (uint8_t)ttl;
	p[9] = (uint8_t)proto;
	REQUIRE(inet_pton(AF_INET, src, p + 12) == 1);
	REQUIRE(inet_pton(AF_INET, dst, p + 16) == 1);
	v = cksum(p, 20, 0);
	memcpy(p + 10, &v, 2);
}

/* A UDP datagram's header and checksum over data (len bytes after it). */
static __attribute__((__unused__)) void
udp_header(uint8_t *u, int sport, int dport, const uint8_t *data, int len,
    const char *src, const char *dst)
{
	uint8_t ph[12];
	uint16_t v;
	uint32_t sum = 0;
	size_t i;

	v = htons((uint16_t)sport);
	memcpy(u, &v, 2);
	v = htons((uint16_t)dport);
	memcpy(u + 2, &v, 2);
	v = htons((uint16_t)(8 + len));
	memcpy(u + 4, &v, 2);
	memset(u + 6, 0, 2);
	REQUIRE(inet_pton(AF_INET, src, ph) == 1);
	REQUIRE(inet_pton(AF_INET, dst, ph + 4) == 1);
	ph[8] = 0;
	ph[9] = IPPROTO_UDP;
	v = htons((uint16_t)(8 + len));
	memcpy(ph + 10, &v, 2);
	for (i = 0; i < 12; i += 2)
		sum += (uint32_t)ph[i] << 8 | ph[i + 1];
	for (i = 0; i < 8; i += 2)
		sum += (uint32_t)u[i] << 8 | u[i + 1];
	for (i = 0; i + 1 < (size_t)len; i += 2)
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	v = htons((uint16_t)~sum);
	if (v == 0)
		v = 0xffff;
	memcpy(u + 6, &v, 2);
}

/* send(2) and recv(2): Linux has them as sendto and recvfrom. */
#define rump_sys_send(s, b, n, f)  rump_sys_sendto((s), (b), (n), (f), NULL, 0)
#define rump_sys_recv(s, b, n, f)  rump_sys_recvfrom((s), (b), (n), (f), NULL, NULL)

static __attribute__((__unused__)) void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		continue;
}

#endif /* _TESTS_H_INET_H_ */
