/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Routing-socket helper for t_nettools_rtmsg.sh, a client of the kernel
 * at $RUMP_SERVER (sys/net/rtsock.h):
 *
 *   h_rtmsg record [inet|inet6]
 *       open a routing socket (of every family, or of one), print
 *       "ready", then one line per message with every field that is the
 *       same from run to run but link addresses (a sender's pid only as
 *       kernel/client; an interface as link#INDEX/LEN=ADDRESS), until the
 *       RTM_ADD of the host route
 *       to 2001:db8:ff::99 (the test's last message) has been printed;
 *       then "lost N" (RO_OVERFLOWED).  A 1 MiB receive buffer; 30 s
 *       without a message is an error.
 *   h_rtmsg overflow N
 *       a listener with a 2 KiB receive buffer that never reads while a
 *       writer (RO_USELOOPBACK off) adds and deletes N routes: every
 *       request succeeds, the writer hears none of its answers, and the
 *       listener's RO_OVERFLOWED plus what it can still read is 2N.
 *       Prints "overflow LOST READ".
 *   h_rtmsg send6 ADDR [IFINDEX]
 *       send one UDP datagram to [ADDR]:9, of the interface's zone if
 *       given (to make a neighbour entry).
 *   h_rtmsg ra IFINDEX PREFIX
 *       send one router advertisement (RFC 4861 4.2) to ff02::1 on the
 *       interface, router lifetime 1800 s, with PREFIX/64 to
 *       autoconfigure (preferred 3600 s, valid 7200 s).
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#define K_AF_ROUTE     16
#define RO_USELOOPBACK 0x40
#define RO_OVERFLOWED  0x41
#define RTM_VERSION    1
#define RTM_ADD        0x1
#define RTM_DELETE     0x2
#define RTM_IFANNOUNCE 0x10
#define RTM_NEWADDR    0xc
#define RTM_DELADDR    0xd
#define RTM_IFINFO     0xe
#define RTM_CHGADDR    0x15
#define RTA_DST        0x01
#define RTA_GATEWAY    0x02
#define RTA_NETMASK    0x04
#define RTF_UP         0x1
#define RTF_GATEWAY    0x2
#define RTF_STATIC     0x800

/* 2001:db8:ff::99, the test's last route. */
static const uint8_t last_dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0xff,
                                     [15] = 0x99};

static const char *const rtax[] = {
    "DST", "GATEWAY", "NETMASK", "GENMASK", "IFP", "IFA", "AUTHOR", "BRD",
};

static int
fail(const char *what)
{
	fprintf(stderr, "h_rtmsg: %s: %s\n", what, strerror(errno));
	return 1;
}

static const char *
type_name(int t)
{
	static char buf[16];

	switch (t) {
	case 0x1:  return "RTM_ADD";
	case 0x2:  return "RTM_DELETE";
	case 0x3:  return "RTM_CHANGE";
	case 0x4:  return "RTM_GET";
	case 0x7:  return "RTM_MISS";
	case 0xc:  return "RTM_NEWADDR";
	case 0xd:  return "RTM_DELADDR";
	case 0xe:  return "RTM_IFINFO";
	case 0x10: return "RTM_IFANNOUNCE";
	case 0x15: return "RTM_CHGADDR";
	default:
		snprintf(buf, sizeof(buf), "type%d", t);
		return buf;
	}
}

/* The addresses from off, each as NAME=value; -1 if they overrun. */
static int
put_addrs(const uint8_t *p, size_t len, size_t off, int addrs, char *out,
          size_t outlen)
{
	char a[INET6_ADDRSTRLEN];
	size_t salen, n = strlen(out);
	uint32_t scope;
	int32_t index;
	uint16_t fam;

	for (int i = 0; i < 8; i++) {
		if ((addrs & (1 << i)) == 0)
			continue;
		if (off + 2 > len)
			return -1;
		memcpy(&fam, p + off, 2);
		salen = fam == AF_INET6 ? 28 : fam == AF_PACKET ? 20 : 16;
		if (off + salen > len)
			return -1;
		if (fam == AF_INET) {
			inet_ntop(AF_INET, p + off + 4, a, sizeof(a));
			n += (size_t)snprintf(out + n, outlen - n, " %s=%s",
			                      rtax[i], a);
		} else if (fam == AF_INET6) {
			inet_ntop(AF_INET6, p + off + 8, a, sizeof(a));
			memcpy(&scope, p + off + 24, 4);
			n += (size_t)snprintf(out + n, outlen - n, " %s=%s%%%u",
			                      rtax[i], a, (unsigned)scope);
		} else if (fam == AF_PACKET) {
			memcpy(&index, p + off + 4, 4);
			n += (size_t)snprintf(out + n, outlen - n,
			                      " %s=link#%d/%u", rtax[i],
			                      (int)index, p[off + 11]);
			for (int b = 0; b < p[off + 11] && b < 8 && n < outlen;
			     b++)
				n += (size_t)snprintf(out + n, outlen - n,
				                      "%c%02x", b == 0 ? '=' : ':',
				                      p[off + 12 + b]);
		} else
			n += (size_t)snprintf(out + n, outlen - n, " %s=fam%u",
			                      rtax[i], (unsigned)fam);
		if (n >= outlen)
			return -1;
		off += (salen + 7) & ~(size_t)7;
	}
	return off == len ? 0 : -1;
}

/* One message as a line; true if it is the test's last. */
static int
describe(const uint8_t *p, size_t len, char *out, size_t outlen, int *last)
{
	int32_t f[6];
	uint16_t index, what;
	char name[17];

	*last = 0;
	memcpy(&index, p + 4, 2);
	snprintf(out, outlen, "%s len=%zu if#%u", type_name(p[3]), len, index);
	switch (p[3]) {
	case RTM_IFANNOUNCE:
		if (len != 24)
			return -1;
		memcpy(name, p + 6, 16);
		name[16] = '\0';
		memcpy(&what, p + 22, 2);
		snprintf(out + strlen(out), outlen - strlen(out),
		         " name=%s what=%u", name, what);
		return 0;
	case RTM_IFINFO:
		memcpy(f, p + 8, 16);
		snprintf(out + strlen(out), outlen - strlen(out),
		         " flags=0x%x mtu=%d link=%d", (unsigned)f[0], f[2],
		         f[3]);
		return put_addrs(p, len, 24, f[1], out, outlen);
	case RTM_NEWADDR:
	case RTM_DELADDR:
	case RTM_CHGADDR:
		memcpy(f, p + 8, 16);
		snprintf(out + strlen(out), outlen - strlen(out),
		         " flags=0x%x metric=%d addrflags=0x%x", (unsigned)f[0],
		         f[2], (unsigned)f[3]);
		return put_addrs(p, len, 24, f[1], out, outlen);
	default:
		if (len < 48)
			return -1;
		memcpy(f, p + 8, 24);
		snprintf(out + strlen(out), outlen - strlen(out),
		         " flags=0x%x pid=%s seq=%d errno=%d", (unsigned)f[0],
		         f[2] == 0 ? "kernel" : "client", f[3], f[4]);
		*last = p[3] == RTM_ADD && len >= 48 + 28 && p[48] == AF_INET6 &&
		        memcmp(p + 56, last_dst, 16) == 0;
		return put_addrs(p, len, 48, f[1], out, outlen);
	}
}

static int
record(int family)
{
	struct pollfd pfd = {.events = POLLIN};
	uint8_t buf[2048];
	char line[1024];
	uint64_t lost = 0;
	socklen_t olen = sizeof(lost);
	uint16_t mlen;
	ssize_t n;
	int s, last = 0, rcv = 1 << 20;

	if ((s = rump_sys_socket(K_AF_ROUTE, SOCK_RAW, family)) < 0)
		return fail("socket");
	if (rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcv,
	                        sizeof(rcv)) != 0)
		return fail("SO_RCVBUF");
	printf("ready\n");
	fflush(stdout);
	pfd.fd = s;
	while (!last) {
		if (rump_sys_poll(&pfd, 1, 30000) != 1) {
			errno = ETIMEDOUT;
			return fail("poll");
		}
		if ((n = rump_sys_read(s, buf, sizeof(buf))) < 4)
			return fail("read");
		memcpy(&mlen, buf, 2);
		if (mlen != n || buf[2] != RTM_VERSION) {
			printf("bad message: read %zd, msglen %u, version %u\n",
			       n, mlen, buf[2]);
			return 1;
		}
		if (describe(buf, (size_t)n, line, sizeof(line), &last) != 0) {
			printf("malformed: %s\n", line);
			return 1;
		}
		printf("%s\n", line);
		fflush(stdout);
	}
	if (rump_sys_getsockopt(s, K_AF_ROUTE, RO_OVERFLOWED, &lost, &olen) !=
	    0)
		return fail("RO_OVERFLOWED");
	printf("lost %llu\n", (unsigned long long)lost);
	return 0;
}

/* A route request for 10.64.0.0/24 + I via 127.0.0.1; 0 or -1. */
static int
route_req(int s, int type, int i)
{
	struct {
		uint8_t hdr[48];
		struct sockaddr_in sa[3];
	} m;
	int32_t v;
	uint16_t len = sizeof(m);

	memset(&m, 0, sizeof(m));
	memcpy(m.hdr, &len, 2);
	m.hdr[2] = RTM_VERSION;
	m.hdr[3] = (uint8_t)type;
	v = RTF_UP | RTF_GATEWAY | RTF_STATIC;
	memcpy(m.hdr + 8, &v, 4);
	v = RTA_DST | RTA_GATEWAY | RTA_NETMASK;
	memcpy(m.hdr + 12, &v, 4);
	v = i;
	memcpy(m.hdr + 20, &v, 4);
	for (int k = 0; k < 3; k++)
		m.sa[k].sin_family = AF_INET;
	m.sa[0].sin_addr.s_addr = htonl(0x0a400000u + ((uint32_t)i << 8));
	m.sa[1].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	m.sa[2].sin_addr.s_addr = htonl(0xffffff00u);
	return rump_sys_write(s, &m, sizeof(m)) == (ssize_t)sizeof(m) ? 0 : -1;
}

static int
overflow(int count)
{
	struct pollfd pfd = {.events = POLLIN};
	uint8_t buf[2048];
	uint64_t lost;
	socklen_t olen;
	int l, w, off = 0, on = -1, rcv = 2048, nread = 0;

	if ((l = rump_sys_socket(K_AF_ROUTE, SOCK_RAW, 0)) < 0 ||
	    (w = rump_sys_socket(K_AF_ROUTE, SOCK_RAW, 0)) < 0)
		return fail("socket");
	if (rump_sys_setsockopt(l, SOL_SOCKET, SO_RCVBUF, &rcv,
	                        sizeof(rcv)) != 0 ||
	    rump_sys_setsockopt(w, K_AF_ROUTE, RO_USELOOPBACK, &off,
	                        sizeof(off)) != 0)
		return fail("setsockopt");
	olen = sizeof(on);
	if (rump_sys_getsockopt(w, K_AF_ROUTE, RO_USELOOPBACK, &on, &olen) !=
	        0 ||
	    on != 0 || olen != sizeof(on))
		return fail("RO_USELOOPBACK did not read back 0");
	olen = sizeof(on);
	if (rump_sys_getsockopt(l, K_AF_ROUTE, RO_USELOOPBACK, &on, &olen) !=
	        0 ||
	    on != 1)
		return fail("RO_USELOOPBACK is not 1 by default");
	for (int i = 0; i < count; i++)
		if (route_req(w, RTM_ADD, i) != 0)
			return fail("add");
	for (int i = 0; i < count; i++)
		if (route_req(w, RTM_DELETE, i) != 0)
			return fail("delete");
	pfd.fd = w;
	if (rump_sys_poll(&pfd, 1, 0) != 0) {
		fprintf(stderr, "h_rtmsg: the writer heard its own answers\n");
		return 1;
	}
	lost = 0;
	olen = sizeof(lost);
	if (rump_sys_getsockopt(l, K_AF_ROUTE, RO_OVERFLOWED, &lost, &olen) !=
	        0 ||
	    olen != sizeof(lost))
		return fail("RO_OVERFLOWED");
	if (rump_sys_setsockopt(l, K_AF_ROUTE, RO_OVERFLOWED, &lost,
	                        sizeof(lost)) == 0 ||
	    errno != EINVAL)
		return fail("RO_OVERFLOWED set: not EINVAL");
	pfd.fd = l;
	while (rump_sys_poll(&pfd, 1, 0) == 1) {
		if (rump_sys_read(l, buf, sizeof(buf)) <= 0)
			return fail("read");
		nread++;
	}
	printf("overflow %llu %d\n", (unsigned long long)lost, nread);
	if (lost == 0 || nread == 0 || lost + (uint64_t)nread != 2u * count) {
		fprintf(stderr, "h_rtmsg: lost %llu + read %d != %d\n",
		        (unsigned long long)lost, nread, 2 * count);
		return 1;
	}
	return 0;
}

static int
send6(const char *addr, const char *zone)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6,
	                            .sin6_port = htons(9)};
	int s;

	if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) != 1)
		return fail("address");
	if (zone != NULL)
		sin6.sin6_scope_id = (uint32_t)atoi(zone);
	if ((s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) < 0 ||
	    rump_sys_sendto(s, "x", 1, 0, (struct sockaddr *)&sin6,
	                    sizeof(sin6)) != 1)
		return fail("sendto");
	rump_sys_close(s);
	return 0;
}

static int
send_ra(const char *ifindex, const char *prefix)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
	uint8_t ra[16 + 32];
	uint32_t v;
	int s, hops = 255;

	memset(ra, 0, sizeof(ra));
	ra[0] = 134;                    /* router advertisement */
	ra[6] = 1800 >> 8;              /* router lifetime */
	ra[7] = 1800 & 0xff;
	ra[16] = 3;                     /* prefix information */
	ra[17] = 4;                     /* 32 bytes */
	ra[18] = 64;
	ra[19] = 0xc0;                  /* on-link, autonomous */
	v = htonl(7200);
	memcpy(ra + 20, &v, 4);
	v = htonl(3600);
	memcpy(ra + 24, &v, 4);
	if (inet_pton(AF_INET6, prefix, ra + 32) != 1 ||
	    inet_pton(AF_INET6, "ff02::1", &sin6.sin6_addr) != 1)
		return fail("address");
	sin6.sin6_scope_id = (uint32_t)atoi(ifindex);
	if ((s = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)) < 0 ||
	    rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	                        sizeof(hops)) != 0 ||
	    rump_sys_sendto(s, ra, sizeof(ra), 0, (struct sockaddr *)&sin6,
	                    sizeof(sin6)) != (ssize_t)sizeof(ra))
		return fail("router advertisement");
	rump_sys_close(s);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: h_rtmsg record [inet|inet6] | "
		                "overflow N | send6 ADDR [IFINDEX] | "
		                "ra IFINDEX PREFIX\n");
		return 2;
	}
	if (rumpclient_init() != 0)
		return fail("rumpclient_init");
	if (strcmp(argv[1], "record") == 0)
		return record(argc < 3                        ? 0
		              : strcmp(argv[2], "inet6") == 0 ? AF_INET6
		                                              : AF_INET);
	if (strcmp(argv[1], "overflow") == 0 && argc == 3)
		return overflow(atoi(argv[2]));
	if (strcmp(argv[1], "send6") == 0 && (argc == 3 || argc == 4))
		return send6(argv[2], argc == 4 ? argv[3] : NULL);
	if (strcmp(argv[1], "ra") == 0 && argc == 4)
		return send_ra(argv[2], argv[3]);
	fprintf(stderr, "h_rtmsg: bad arguments\n");
	return 2;
}
