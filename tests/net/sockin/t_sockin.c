/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * sockin: the kernel's PF_INET and PF_INET6 sockets on the host's
 * stack, against host sockets of this same process on the loopback:
 * TCP both ways with 4 MiB echoed exactly, UDP with the sender's address,
 * a non-blocking connect refused (EINPROGRESS, then POLLOUT and
 * ECONNREFUSED by SO_ERROR), a blocking one refused, options passed
 * through, IPv6 on ::1, a slow reader backing the sender up, and a
 * program that links netinet beside sockin refused at boot.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "h_macros.h"

#define BULK (4 << 20)

static unsigned char
pattern(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 11);
}

/* A host socket on the loopback of family af, bound to port 0. */
static int
host_listener(int af, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int s;

	REQUIRE((s = socket(af, SOCK_STREAM, 0)) != -1);
	if (af == AF_INET)
		REQUIRE_OK(bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	else
		REQUIRE_OK(bind(s, (struct sockaddr *)&sin6, sizeof(sin6)));
	REQUIRE_OK(listen(s, 4));
	*lenp = sizeof(*ss);
	REQUIRE_OK(getsockname(s, (struct sockaddr *)ss, lenp));
	return s;
}

static void *
host_echo(void *arg)
{
	int ls = (int)(intptr_t)arg, s;
	char buf[65536];
	ssize_t n;

	REQUIRE((s = accept(ls, NULL, NULL)) != -1);
	while ((n = read(s, buf, sizeof(buf))) > 0)
		REQUIRE(write(s, buf, (size_t)n) == n);
	close(s);
	return NULL;
}

/* Send BULK bytes on a kernel socket and read the echo back exactly. */
static void
rump_bulk(int s)
{
	unsigned char *out = malloc(BULK), *in = malloc(BULK);
	size_t sent = 0, got = 0;
	ssize_t n;

	REQUIRE(out != NULL && in != NULL);
	for (size_t i = 0; i < BULK; i++)
		out[i] = pattern(i);
	while (got < BULK) {
		if (sent < BULK) {
			REQUIRE((n = rump_sys_write(s, out + sent,
			    BULK - sent < 65536 ? BULK - sent : 65536)) > 0);
			sent += (size_t)n;
			if (sent == BULK)
				REQUIRE_OK(rump_sys_shutdown(s, SHUT_WR));
		}
		while (got < sent) {
			REQUIRE((n = rump_sys_read(s, in + got, sent - got)) > 0);
			got += (size_t)n;
		}
	}
	REQUIRE(memcmp(in, out, BULK) == 0);
	REQUIRE_EQ(rump_sys_read(s, in, 1), 0);
	free(out);
	free(in);
}

static void
connect_out(int af)
{
	struct sockaddr_storage ss;
	socklen_t len;
	pthread_t t;
	int ls, s;

	ls = host_listener(af, &ss, &len);
	REQUIRE(pthread_create(&t, NULL, host_echo, (void *)(intptr_t)ls) == 0);
	REQUIRE_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE((s = rump_sys_socket(af, SOCK_STREAM, 0)) != -1);
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&ss, len));
	rump_bulk(s);
	REQUIRE_OK(rump_sys_close(s));
	pthread_join(t, NULL);
	close(ls);
}

/* Our client, the host's server, over 127.0.0.1. */
TESTCASE(tcp_out)
{
	connect_out(AF_INET);
}

/* The same over ::1. */
TESTCASE(tcp_out_v6)
{
	int s = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_LOOPBACK_INIT };

	if (s == -1 || bind(s, (struct sockaddr *)&sin6, sizeof(sin6)) == -1) {
		printf("skipped: the host has no ::1\n");
		return;
	}
	close(s);
	connect_out(AF_INET6);
}

struct host_client {
	struct sockaddr_in to;
	int ok;
};

static void *
host_client(void *arg)
{
	struct host_client *hc = arg;
	unsigned char *out = malloc(BULK), *in = malloc(BULK);
	size_t got = 0;
	ssize_t n;
	int s;

	for (size_t i = 0; i < BULK; i++)
		out[i] = pattern(i);
	REQUIRE((s = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	REQUIRE_OK(connect(s, (struct sockaddr *)&hc->to, sizeof(hc->to)));
	REQUIRE(write(s, out, BULK) == BULK);
	REQUIRE_OK(shutdown(s, SHUT_WR));
	while (got < BULK && (n = read(s, in + got, BULK - got)) > 0)
		got += (size_t)n;
	hc->ok = got == BULK && memcmp(in, out, BULK) == 0;
	close(s);
	free(out);
	free(in);
	return NULL;
}

/* The host's client, our server: listen, accept, echo. */
TESTCASE(tcp_in)
{
	struct host_client hc = { .to = { .sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) } };
	struct sockaddr_in peer;
	socklen_t len = sizeof(hc.to);
	char buf[65536];
	pthread_t t;
	ssize_t n;
	int ls, s, one = 1;

	REQUIRE_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	REQUIRE_OK(rump_sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)));
	REQUIRE_OK(rump_sys_bind(ls, (struct sockaddr *)&hc.to, len));
	REQUIRE_OK(rump_sys_listen(ls, 4));
	REQUIRE_OK(rump_sys_getsockname(ls, (struct sockaddr *)&hc.to, &len));
	REQUIRE(hc.to.sin_port != 0);
	REQUIRE(pthread_create(&t, NULL, host_client, &hc) == 0);
	len = sizeof(peer);
	REQUIRE((s = rump_sys_accept(ls, (struct sockaddr *)&peer, &len)) != -1);
	REQUIRE_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	while ((n = rump_sys_read(s, buf, sizeof(buf))) > 0)
		REQUIRE(rump_sys_write(s, buf, (size_t)n) == n);
	REQUIRE_EQ(n, 0);
	REQUIRE_OK(rump_sys_close(s));
	pthread_join(t, NULL);
	REQUIRE(hc.ok);
	REQUIRE_OK(rump_sys_close(ls));
}

/* Datagrams both ways, with the sender's address. */
TESTCASE(udp)
{
	struct sockaddr_in ours = { .sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, host, from;
	socklen_t len = sizeof(ours);
	char buf[64];
	int rs, hs;

	REQUIRE_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE((rs = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	REQUIRE_OK(rump_sys_bind(rs, (struct sockaddr *)&ours, len));
	REQUIRE_OK(rump_sys_getsockname(rs, (struct sockaddr *)&ours, &len));
	REQUIRE((hs = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	host = ours;
	host.sin_port = 0;
	REQUIRE_OK(bind(hs, (struct sockaddr *)&host, sizeof(host)));
	len = sizeof(host);
	REQUIRE_OK(getsockname(hs, (struct sockaddr *)&host, &len));
	REQUIRE_EQ(sendto(hs, "to the kernel", 13, 0, (struct sockaddr *)&ours,
	    sizeof(ours)), 13);
	len = sizeof(from);
	REQUIRE_EQ(rump_sys_recvfrom(rs, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &len), 13);
	REQUIRE(memcmp(buf, "to the kernel", 13) == 0);
	REQUIRE_EQ(from.sin_port, host.sin_port);
	REQUIRE_EQ(rump_sys_sendto(rs, "to the host", 11, 0,
	    (struct sockaddr *)&from, len), 11);
	REQUIRE_EQ(recv(hs, buf, sizeof(buf), 0), 11);
	REQUIRE(memcmp(buf, "to the host", 11) == 0);
	close(hs);
	REQUIRE_OK(rump_sys_close(rs));
}

/* A port nobody listens on: the host's refusal comes through. */
TESTCASE(refused)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct pollfd pfd;
	int ls, s, err;

	ls = host_listener(AF_INET, &ss, &len);
	close(ls);              /* the port is free again: nobody answers */
	REQUIRE_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	REQUIRE_ERRNO(rump_sys_connect(s, (struct sockaddr *)&ss, len),
	    ECONNREFUSED);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
	    0)) != -1);
	if (rump_sys_connect(s, (struct sockaddr *)&ss, len) == -1)
		REQUIRE(errno == EINPROGRESS || errno == ECONNREFUSED);
	pfd.fd = s;
	pfd.events = POLLOUT;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 5000), 1);
	len = sizeof(err);
	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
	REQUIRE(err == ECONNREFUSED || err == 0);
	REQUIRE_OK(rump_sys_close(s));
}

/* Options are the host socket's. */
TESTCASE(options)
{
	socklen_t len = sizeof(int);
	int s, v = 1;

	REQUIRE_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v,
	    sizeof(v)));
	v = 0;
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	REQUIRE_EQ(v, 1);
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_TCP, 9999, &v,
	    sizeof(v)), ENOPROTOOPT);
	REQUIRE_OK(rump_sys_close(s));
}

/*
 * A kernel reader that stops: the host's window fills and the host
 * writer waits, instead of the kernel buffering without bound.
 */
TESTCASE(slow_reader)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[65536] = { 0 };
	size_t total = 0;
	ssize_t n;
	int ls, hs, s;

	REQUIRE_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	len = sizeof(struct sockaddr_in);
	{
		struct sockaddr_in sin = { .sin_family = AF_INET,
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		REQUIRE_OK(rump_sys_bind(ls, (struct sockaddr *)&sin,
		    sizeof(sin)));
	}
	REQUIRE_OK(rump_sys_listen(ls, 1));
	REQUIRE_OK(rump_sys_getsockname(ls, (struct sockaddr *)&ss, &len));
	REQUIRE((hs = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) != -1);
	if (connect(hs, (struct sockaddr *)&ss, len) == -1)
		REQUIRE_EQ(errno, EINPROGRESS);
	REQUIRE((s = rump_sys_accept(ls, NULL, NULL)) != -1);
	/* Write until the host says no more: bounded by the buffers. */
	for (int tries = 0; tries < 200; tries++) {
		while ((n = write(hs, buf, sizeof(buf))) > 0)
			total += (size_t)n;
		REQUIRE_EQ(errno, EAGAIN);
		usleep(5000);
	}
	REQUIRE(total < (64u << 20));
	/* Then read it all: everything arrives. */
	close(hs);
	for (size_t got = 0; got < total; got += (size_t)n)
		REQUIRE((n = rump_sys_read(s, buf, sizeof(buf))) > 0);
	REQUIRE_EQ(rump_sys_read(s, buf, 1), 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(ls));
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/*
 * A connection the host closed and the kernel keeps open, and an idle
 * listener: the kernel's poll thread sleeps (no busy loop on a hang-up).
 */
TESTCASE(idle_after_close)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char c;
	double t0;
	int ls, hs, s;

	ls = host_listener(AF_INET, &ss, &len);
	REQUIRE_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&ss, len));
	REQUIRE((hs = accept(ls, NULL, NULL)) != -1);
	close(hs);
	REQUIRE_EQ(rump_sys_read(s, &c, 1), 0);
	t0 = cpu_seconds();
	usleep(500000);
	if (cpu_seconds() - t0 > 0.05)
		TEST_FAIL("%.3f s of CPU in 0.5 s idle", cpu_seconds() - t0);
	REQUIRE_OK(rump_sys_close(s));
	close(ls);
}

/* Linking netinet beside sockin: rump_init refuses, with a message. */
TESTCASE(conflict)
{
	char cmd[512], out[512] = "";
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s 2>&1; echo status $?", H_SOCKIN_BOTH);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	REQUIRE(fread(out, 1, sizeof(out) - 1, f) > 0);
	pclose(f);
	if (strstr(out, "components sockin and net_netinet are both linked") ==
	    NULL || strstr(out, "rump_init: 22\nstatus 1") == NULL)
		TEST_FAIL("both linked: '%s'", out);
}

TESTS(CASE(tcp_out), CASE(tcp_out_v6), CASE(tcp_in), CASE(udp),
    CASE(refused), CASE(options), CASE(slow_reader), CASE(idle_after_close),
    CASE_NOBOOT(conflict))
