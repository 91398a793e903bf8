/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.ping: ICMP echo requests from the kernel served at $RUMP_SERVER
 * (rump.ping(8)) through a raw ICMP socket in that kernel.  The socket
 * receives every ICMP datagram the kernel takes in, its IP header
 * included (the requests themselves, on loopback): only echo replies
 * carrying this process's identifier are counted.  The request's data
 * starts with the time it was sent, for the round trip.  SIGINT ends
 * it (within one interval) with the summary.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>

#define PROG "rump.ping"

#define ICMP_ECHOREPLY 0
#define ICMP_ECHO      8
#define ICMP_HDRLEN    8
#define MAXDATA        8192

struct icmp_echo {
	uint8_t type;
	uint8_t code;
	uint16_t cksum;
	uint16_t id;
	uint16_t seq;
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: rump.ping [-c count] [-i wait] [-s size] [-W timeout] "
	        "HOST\n"
	        "  send ICMP echo requests from the rump kernel at "
	        "$RUMP_SERVER\n"
	        "  -c  stop after count requests (default: until interrupted)\n"
	        "  -i  seconds between requests (default 1)\n"
	        "  -s  data bytes per request (default 56)\n"
	        "  -W  seconds to wait for replies after the last (default "
	        "1)\n");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint16_t
cksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* SIGINT: stop sending, print the summary. */
static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static bool
parse_num(const char *arg, double min, double max, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	return *arg != '\0' && *end == '\0' && errno == 0 && *v >= min &&
	       *v <= max;
}

/* A datagram read from the socket: print it if it is our reply. */
static bool
take(const uint8_t *pkt, size_t n, uint16_t id, double t)
{
	struct icmp_echo e;
	char from[INET_ADDRSTRLEN];
	struct in_addr src;
	size_t hl;
	double sent;

	if (n < 20 || (pkt[0] >> 4) != 4)
		return false;
	hl = (size_t)(pkt[0] & 0xf) * 4;
	if (n < hl + ICMP_HDRLEN)
		return false;
	memcpy(&e, pkt + hl, sizeof(e));
	if (e.type != ICMP_ECHOREPLY || e.id != htons(id))
		return false;
	memcpy(&src, pkt + 12, sizeof(src));
	printf("%zu bytes from %s: icmp_seq=%u ttl=%u", n - hl,
	       inet_ntop(AF_INET, &src, from, sizeof(from)), ntohs(e.seq),
	       pkt[8]);
	if (n >= hl + ICMP_HDRLEN + sizeof(sent)) {
		memcpy(&sent, pkt + hl + ICMP_HDRLEN, sizeof(sent));
		printf(" time=%.3f ms", (t - sent) * 1000);
	}
	printf("\n");
	fflush(stdout);
	return true;
}

int
main(int argc, char *argv[])
{
	static uint8_t out[ICMP_HDRLEN + MAXDATA], in[65536];
	struct sockaddr_in to;
	struct icmp_echo e;
	struct pollfd pfd;
	struct sigaction sa;
	double count = 0, interval = 1, wait = 1, size = 56, next, end, t;
	unsigned sent = 0, got = 0;
	uint16_t id;
	int ch, s, ms;
	ssize_t n;
	char buf[INET_ADDRSTRLEN];

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	while ((ch = getopt(argc, argv, ":c:i:s:W:")) != -1) {
		switch (ch) {
		case 'c':
			if (!parse_num(optarg, 1, 1e9, &count)) {
				fprintf(stderr, PROG ": -c %s: bad count\n",
				        optarg);
				return 2;
			}
			break;
		case 'i':
			if (!parse_num(optarg, 0.01, 3600, &interval)) {
				fprintf(stderr, PROG ": -i %s: bad interval\n",
				        optarg);
				return 2;
			}
			break;
		case 's':
			if (!parse_num(optarg, 0, MAXDATA, &size)) {
				fprintf(stderr, PROG ": -s %s: bad size\n",
				        optarg);
				return 2;
			}
			break;
		case 'W':
			if (!parse_num(optarg, 0, 3600, &wait)) {
				fprintf(stderr, PROG ": -W %s: bad timeout\n",
				        optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, PROG ": -%c: %s (--help for usage)\n",
			        optopt,
			        ch == ':' ? "needs a value" : "unknown option");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[optind], &to.sin_addr) != 1) {
		fprintf(stderr, PROG ": %s: not an IPv4 address\n",
		        argv[optind]);
		return 2;
	}
	if (rumpclient_init() != 0) {
		fprintf(stderr, PROG ": rumpclient_init: %s\n",
		        strerror(errno));
		return 1;
	}
	if ((s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) < 0) {
		fprintf(stderr, PROG ": socket: %s\n", strerror(errno));
		return 1;
	}
	id = (uint16_t)getpid();
	inet_ntop(AF_INET, &to.sin_addr, buf, sizeof(buf));
	printf("PING %s (%s): %u data bytes\n", buf, buf, (unsigned)size);
	fflush(stdout);
	pfd.fd = s;
	pfd.events = POLLIN;
	next = now();
	end = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	for (;;) {
		if (interrupted)
			break;
		t = now();
		if ((count == 0 || sent < count) && t >= next) {
			memset(out, 0, sizeof(out));
			e.type = ICMP_ECHO;
			e.code = 0;
			e.cksum = 0;
			e.id = htons(id);
			e.seq = htons((uint16_t)sent);
			memcpy(out, &e, sizeof(e));
			for (size_t k = 0; k < (size_t)size; k++)
				out[ICMP_HDRLEN + k] = (uint8_t)k;
			if (size >= sizeof(t))
				memcpy(out + ICMP_HDRLEN, &t, sizeof(t));
			e.cksum = cksum(out, ICMP_HDRLEN + (size_t)size);
			memcpy(out + 2, &e.cksum, sizeof(e.cksum));
			if (rump_sys_sendto(s, out, ICMP_HDRLEN + (size_t)size,
			                    0, (struct sockaddr *)&to,
			                    sizeof(to)) < 0)
				fprintf(stderr, PROG ": sendto %s: %s\n", buf,
				        strerror(errno));
			sent++;
			next += interval;
			if (count != 0 && sent >= count)
				end = t + wait;
		}
		if (end != 0 && (t >= end || got >= sent))
			break;
		ms = (int)(((end != 0 ? end : next) - t) * 1000) + 1;
		if (rump_sys_poll(&pfd, 1, ms < 0 ? 0 : ms) == 1) {
			if ((n = rump_sys_recvfrom(s, in, sizeof(in), 0, NULL,
			                           NULL)) < 0) {
				fprintf(stderr, PROG ": recvfrom: %s\n",
				        strerror(errno));
				return 1;
			}
			if (take(in, (size_t)n, id, now()))
				got++;
		}
	}
	printf("--- %s ping statistics ---\n", buf);
	printf("%u packets transmitted, %u packets received, %.1f%% packet "
	       "loss\n",
	       sent, got, sent == 0 ? 0.0 : 100.0 * (sent - got) / sent);
	rump_sys_close(s);
	return got > 0 ? 0 : 1;
}
