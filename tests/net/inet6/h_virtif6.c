/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 against Linux over a tap (run by t_virtif6.sh inside the
 * namespace it makes, with dnsmasq advertising 2001:db8:77::/64 and
 * Linux at 2001:db8:77::1).  Our kernel configures itself by SLAAC
 * (rump_pub_netconfig_auto_ipv6), then: Linux's ping -6 reaches our
 * link-local and global addresses; our ping (a raw ICMPv6 socket)
 * reaches Linux's; UDP both ways with exact bytes.  One process: the
 * host's calls block while the kernel's own threads answer.
 *
 * Usage: h_virtif6 TAP
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_netconfig.h>
#include <rump/rump_syscalls.h>

#define LINUX "2001:db8:77::1"

static void
fail(const char *what)
{
	fprintf(stderr, "h_virtif6: %s: %s\n", what, strerror(errno));
	exit(1);
}

#define CHECK(cond, what)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			fail(what);                                            \
	} while (0)

static struct sockaddr_in6
sin6_of(const char *addr, int port, unsigned scope)
{
	struct sockaddr_in6 s;

	memset(&s, 0, sizeof(s));
	s.sin6_family = AF_INET6;
	s.sin6_port = htons((uint16_t)port);
	s.sin6_scope_id = scope;
	CHECK(inet_pton(AF_INET6, addr, &s.sin6_addr) == 1, addr);
	return s;
}

static int
r_readable(int s, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	return rump_sys_poll(&p, 1, ms);
}

static void
our_ping(const struct sockaddr_in6 *to)
{
	struct icmp6_filter f;
	unsigned char out[56], in[128];
	int s, i;

	CHECK((s = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)) != -1,
	    "raw socket");
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	CHECK(rump_sys_setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &f,
	    sizeof(f)) == 0, "ICMP6_FILTER");
	for (i = 1; i <= 3; i++) {
		memset(out, 0xc3, sizeof(out));
		out[0] = ICMP6_ECHO_REQUEST;
		out[1] = 0;
		out[4] = 0x12;
		out[5] = 0x34;
		out[6] = 0;
		out[7] = (unsigned char)i;
		CHECK(rump_sys_sendto(s, out, sizeof(out), 0,
		    (const struct sockaddr *)to, sizeof(*to)) == sizeof(out),
		    "our ping sendto");
		CHECK(r_readable(s, 3000) == 1, "our ping: no reply");
		CHECK(rump_sys_recvfrom(s, in, sizeof(in), 0, NULL, NULL) ==
		    sizeof(out), "our ping recv");
		if (in[0] != ICMP6_ECHO_REPLY || in[7] != i ||
		    memcmp(in + 8, out + 8, sizeof(out) - 8) != 0) {
			fprintf(stderr, "h_virtif6: a wrong echo reply\n");
			exit(1);
		}
	}
	rump_sys_close(s);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in6 sin, me, from;
	struct {
		char name[16];
		unsigned short family;
		unsigned char mac[22];
	} ifr;
	struct {
		char name[16];
		int index;
		char pad[20];
	} ifi;
	char ours[64], ll[64], cmd[256], buf[128];
	socklen_t sl;
	unsigned ml = sizeof(me);
	int r, h, s;

	if (argc != 2) {
		fprintf(stderr, "usage: h_virtif6 TAP\n");
		return 2;
	}
	CHECK(rump_init() == 0, "rump_init");
	CHECK((errno = rump_pub_netconfig_ifcreate("virt0")) == 0, "ifcreate");
	CHECK((errno = rump_pub_netconfig_ifsetlinkstr("virt0", argv[1])) == 0,
	    "linkstr");
	CHECK((errno = rump_pub_netconfig_auto_ipv6("virt0")) == 0,
	    "SLAAC from dnsmasq's router advertisements");

	/* Our addresses: the SLAAC one (as a source) and the link-local. */
	CHECK((s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) != -1, "socket");
	sin = sin6_of(LINUX, 9, 0);
	CHECK(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "connect toward Linux");
	CHECK(rump_sys_getsockname(s, (struct sockaddr *)&me, &ml) == 0,
	    "getsockname");
	inet_ntop(AF_INET6, &me.sin6_addr, ours, sizeof(ours));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "virt0");
	CHECK(rump_sys_ioctl(s, 0x8927, &ifr) == 0, "SIOCGIFHWADDR");
	memset(&ifi, 0, sizeof(ifi));
	strcpy(ifi.name, "virt0");
	CHECK(rump_sys_ioctl(s, 0x8933, &ifi) == 0, "SIOCGIFINDEX");
	rump_sys_close(s);
	snprintf(ll, sizeof(ll), "fe80::%x:%xff:fe%02x:%x",
	    (ifr.mac[0] ^ 2) << 8 | ifr.mac[1], ifr.mac[2], ifr.mac[3],
	    ifr.mac[4] << 8 | ifr.mac[5]);
	printf("SLAAC gave %s; link-local %s\n", ours, ll);
	if (strncmp(ours, "2001:db8:77:0:", 14) != 0) {
		fprintf(stderr, "h_virtif6: %s is not from the prefix\n", ours);
		return 1;
	}

	snprintf(cmd, sizeof(cmd), "ping -6 -n -q -c 3 -i 0.2 -W 2 %s%%%s "
	    ">/dev/null", ll, argv[1]);
	CHECK(system(cmd) == 0, "Linux's ping -6 of our link-local address");
	snprintf(cmd, sizeof(cmd), "ping -6 -n -q -c 3 -i 0.2 -W 2 %s "
	    ">/dev/null", ours);
	CHECK(system(cmd) == 0, "Linux's ping -6 of our global address");
	printf("Linux's ping -6 reached %s and %s\n", ll, ours);

	sin = sin6_of(LINUX, 0, 0);
	our_ping(&sin);
	printf("our ping reached %s\n", LINUX);

	/* UDP: Linux to us, echoed by us. */
	CHECK((r = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) != -1, "socket");
	sin = sin6_of("::", 7001, 0);
	CHECK(rump_sys_bind(r, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "bind 7001");
	CHECK((h = socket(AF_INET6, SOCK_DGRAM, 0)) != -1, "host socket");
	sin = sin6_of(ours, 7001, 0);
	CHECK(sendto(h, "v6 datagram from linux", 22, 0,
	    (struct sockaddr *)&sin, sizeof(sin)) == 22, "host sendto");
	CHECK(r_readable(r, 3000) == 1, "our socket: nothing from Linux");
	sl = sizeof(from);
	CHECK(rump_sys_recvfrom(r, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &sl) == 22, "our recvfrom");
	CHECK(rump_sys_sendto(r, buf, 22, 0, (struct sockaddr *)&from, sl) ==
	    22, "our echo");
	sl = sizeof(from);
	memset(buf, 0, sizeof(buf));
	CHECK(recvfrom(h, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &sl) == 22, "host recvfrom");
	if (memcmp(buf, "v6 datagram from linux", 22) != 0 ||
	    from.sin6_port != htons(7001)) {
		fprintf(stderr, "h_virtif6: the UDP echo differs\n");
		return 1;
	}
	/* UDP: us to Linux, echoed by Linux. */
	sin = sin6_of(LINUX, 7003, 0);
	CHECK(bind(h, (struct sockaddr *)&sin, sizeof(sin)) == 0 || errno ==
	    EINVAL, "host bind");
	close(h);
	CHECK((h = socket(AF_INET6, SOCK_DGRAM, 0)) != -1, "host socket");
	CHECK(bind(h, (struct sockaddr *)&sin, sizeof(sin)) == 0, "host bind");
	CHECK(rump_sys_sendto(r, "v6 datagram from rump", 21, 0,
	    (struct sockaddr *)&sin, sizeof(sin)) == 21, "our sendto");
	sl = sizeof(from);
	CHECK(recvfrom(h, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &sl) == 21, "host recvfrom ours");
	CHECK(sendto(h, buf, 21, 0, (struct sockaddr *)&from, sl) == 21,
	    "host echo");
	CHECK(r_readable(r, 3000) == 1, "our socket: no echo from Linux");
	memset(buf, 0, sizeof(buf));
	CHECK(rump_sys_recvfrom(r, buf, sizeof(buf), 0, NULL, NULL) == 21,
	    "our recv");
	if (memcmp(buf, "v6 datagram from rump", 21) != 0) {
		fprintf(stderr, "h_virtif6: Linux's echo differs\n");
		return 1;
	}
	printf("UDP over IPv6 both ways, exact\n");
	rump_sys_close(r);
	close(h);
	return 0;
}
