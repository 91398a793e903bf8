/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Sockets for t_nettools.sh to see with rump.netstat, made in the kernel
 * at $RUMP_SERVER: a TCP listener on *.7777, a connection to it from
 * 127.0.0.1 (both ends, 5 bytes unread at the accepting end), a UDP
 * socket bound to *.5353 and one connected to 127.0.0.1.5353.  Prints
 * "ready" with the connecting TCP socket's and the connected UDP
 * socket's local ports, and keeps them until its standard input ends.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

static int
fail(const char *what)
{
	fprintf(stderr, "h_nettools_sockets: %s: %s\n", what, strerror(errno));
	return 1;
}

int
main(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET}, tcpname, udpname;
	struct pollfd pfd = {.events = POLLIN};
	socklen_t len;
	int l, c, a, u, u2;
	char buf[16];

	if (rumpclient_init() != 0)
		return fail("rumpclient_init");
	sin.sin_port = htons(7777);
	if ((l = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    rump_sys_bind(l, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    rump_sys_listen(l, 5) != 0)
		return fail("listen");
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((c = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    rump_sys_connect(c, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		return fail("connect");
	if ((a = rump_sys_accept(l, NULL, NULL)) < 0)
		return fail("accept");
	pfd.fd = a;
	if (rump_sys_write(c, "hello", 5) != 5)
		return fail("write");
	sin.sin_port = htons(5353);
	sin.sin_addr.s_addr = INADDR_ANY;
	if ((u = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    rump_sys_bind(u, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		return fail("udp bind");
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((u2 = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    rump_sys_connect(u2, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		return fail("udp connect");
	/* The 5 bytes must have arrived before the parent looks. */
	if (rump_sys_poll(&pfd, 1, 10000) != 1)
		return fail("poll");
	len = sizeof(tcpname);
	if (rump_sys_getsockname(c, (struct sockaddr *)&tcpname, &len) != 0)
		return fail("getsockname");
	len = sizeof(udpname);
	if (rump_sys_getsockname(u2, (struct sockaddr *)&udpname, &len) != 0)
		return fail("getsockname");
	printf("ready %u %u\n", ntohs(tcpname.sin_port),
	       ntohs(udpname.sin_port));
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		continue;
	return 0;
}
