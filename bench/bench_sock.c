/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* The measured TCP loops (bench_sock.h). */
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_sock.h"
#include "bench_util.h"

const struct net_ops host_ops = {
	socket, bind, listen, accept, connect, read, write, setsockopt,
	shutdown, close
};

void
die(const char *what)
{
	fprintf(stderr, "bench_net: %s: %s\n", what, strerror(errno));
	exit(1);
}

struct sockaddr_in
sin_of(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
		.sin_port = htons(PORT) };

	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

/* addr:PORT, IPv4 or (with a colon) IPv6; its length. */
static socklen_t
sa_of(const char *addr, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in sin = sin_of(addr);

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':') == NULL) {
		memcpy(ss, &sin, sizeof(sin));
		return sizeof(sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(PORT);
	inet_pton(AF_INET6, addr, &sin6->sin6_addr);
	return sizeof(*sin6);
}

/* A listening socket on addr:PORT. */
int
listen_on(const struct net_ops *o, const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sa_of(addr, &ss);
	int s, one = 1;

	if ((s = o->socket(ss.ss_family, SOCK_STREAM, 0)) == -1)
		die("socket");
	o->setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (o->bind(s, (struct sockaddr *)&ss, len) == -1)
		die("bind");
	if (o->listen(s, 8) == -1)
		die("listen");
	return s;
}

int
connect_to(const struct net_ops *o, const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sa_of(addr, &ss);
	int s, tries;

	/* The server may still be setting up. */
	for (tries = 0; tries < 500; tries++) {
		if ((s = o->socket(ss.ss_family, SOCK_STREAM, 0)) == -1)
			die("socket");
		if (o->connect(s, (struct sockaddr *)&ss, len) == 0)
			return s;
		o->close(s);
		usleep(10000);
	}
	die("connect");
	return -1;
}

static void
nodelay(const struct net_ops *o, int s)
{
	int one = 1;

	o->setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/*
 * The server side of a sample: take one connection; in bulk mode read
 * until EOF and write back the byte count, in request/response mode
 * echo each byte.
 */
void
serve(const struct net_ops *o, int ls, bool bulk)
{
	char *buf = malloc(CHUNK);
	uint64_t total = 0;
	ssize_t n;
	int s;

	if ((s = o->accept(ls, NULL, NULL)) == -1)
		die("accept");
	if (!bulk)
		nodelay(o, s);
	while ((n = o->read(s, buf, bulk ? CHUNK : 1)) > 0) {
		total += (uint64_t)n;
		if (!bulk && o->write(s, buf, 1) != 1)
			die("echo");
	}
	if (bulk)
		o->write(s, &total, sizeof(total));
	o->close(s);
	free(buf);
}

double
drive(const struct net_ops *o, const char *addr, bool bulk)
{
	char *buf = calloc(1, CHUNK), c = 'x';
	uint64_t t0, total = 0, echoed = 0;
	ssize_t n;
	int s = connect_to(o, addr);
	double r;

	if (!bulk)
		nodelay(o, s);
	t0 = now_ns();
	if (bulk) {
		for (total = 0; total < BULK_BYTES; total += (uint64_t)n)
			if ((n = o->write(s, buf, CHUNK)) <= 0)
				die("bulk write");
		o->shutdown(s, SHUT_WR);
		if (o->read(s, &echoed, sizeof(echoed)) != sizeof(echoed) ||
		    echoed != total) {
			fprintf(stderr, "bench_net: bulk: %llu of %llu bytes "
			    "arrived\n", (unsigned long long)echoed,
			    (unsigned long long)total);
			exit(1);
		}
		r = (double)total / 1048576 / ((double)(now_ns() - t0) / 1e9);
	} else {
		for (int i = 0; i < RR_COUNT; i++)
			if (o->write(s, &c, 1) != 1 || o->read(s, &c, 1) != 1)
				die("request/response");
		r = (double)(now_ns() - t0) / RR_COUNT / 1000;  /* us */
	}
	o->close(s);
	free(buf);
	return r;
}

