/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * httpget: fetch one URL over a rump kernel's TCP/IP and write the body
 * to standard output, as `curl -sf` would.  The kernel gets an Ethernet
 * interface (a tap with -t, a shmif bus with -b), an address and
 * optionally a default router; the URL names the server by IPv4 address
 * (there is no resolver).  HTTP/1.1 with Content-Length or chunked
 * bodies; exit status 0 for a 2xx answer with its whole body, else 1
 * with a message.
 *
 *	httpget -t tap0 -a 10.0.0.2/24 http://10.0.0.1:8000/file > file
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>

#define BUFSZ (256 << 10)

static const char usage[] =
    "Usage: httpget (-t TAP | -b BUSFILE) -a ADDR/PREFIXLEN [-g ROUTER] URL\n"
    "Fetch URL (http://IPV4[:PORT]/PATH or http://[IPV6][:PORT]/PATH) over\n"
    "a rump kernel's TCP/IP and write the body to standard output.\n\n"
    "  -t TAP       the kernel's interface is virt0 on tap device TAP\n"
    "  -b BUSFILE   the kernel's interface is shmif0 on bus BUSFILE\n"
    "  -a ADDR/LEN  its IPv4 or IPv6 address and prefix length\n"
    "  -g ROUTER    the default router\n"
    "      --help   display this help and exit\n";

static void __attribute__((__noreturn__))
die(const char *what, const char *why)
{
	fprintf(stderr, "httpget: %s: %s\n", what, why);
	exit(1);
}

/*
 * Wait until our IPv6 address ip may be used (duplicate address
 * detection over): a datagram to itself gets through only then.  false
 * after 10 s.
 */
static bool
wait_dad6(const char *ip)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	socklen_t len = sizeof(sin6);
	struct pollfd pfd;
	bool ok = false;
	int i, s;

	if (inet_pton(AF_INET6, ip, &sin6.sin6_addr) != 1 ||
	    (s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) == -1 ||
	    rump_sys_bind(s, (struct sockaddr *)&sin6, sizeof(sin6)) == -1 ||
	    rump_sys_getsockname(s, (struct sockaddr *)&sin6, &len) == -1)
		return false;
	pfd.fd = s;
	pfd.events = POLLIN;
	for (i = 0; i < 100 && !ok; i++) {
		(void)rump_sys_sendto(s, "d", 1, 0, (struct sockaddr *)&sin6,
		    sizeof(sin6));
		ok = rump_sys_poll(&pfd, 1, 100) == 1;
	}
	rump_sys_close(s);
	return ok;
}

/* Buffered reading from the connection. */
struct conn {
	int s;
	char *buf;
	size_t off, len;
};

static ssize_t
conn_fill(struct conn *c)
{
	ssize_t n;

	if (c->off < c->len)
		return (ssize_t)(c->len - c->off);
	if ((n = rump_sys_read(c->s, c->buf, BUFSZ)) < 0)
		die("read", strerror(errno));
	c->off = 0;
	c->len = (size_t)n;
	return n;
}

/* One line, CRLF removed; false at end of stream. */
static bool
conn_line(struct conn *c, char *line, size_t size)
{
	size_t n = 0;

	while (conn_fill(c) > 0) {
		char ch = c->buf[c->off++];

		if (ch == '\n') {
			if (n > 0 && line[n - 1] == '\r')
				n--;
			line[n] = '\0';
			return true;
		}
		if (n + 1 < size)
			line[n++] = ch;
	}
	return false;
}

/* Copy len bytes of body to standard output (len < 0: to the end). */
static void
copy_body(struct conn *c, long long len)
{
	ssize_t n;
	size_t take;

	while (len != 0 && (n = conn_fill(c)) > 0) {
		take = (size_t)n;
		if (len > 0 && (long long)take > len)
			take = (size_t)len;
		if (fwrite(c->buf + c->off, 1, take, stdout) != take)
			die("standard output", strerror(errno));
		c->off += take;
		if (len > 0)
			len -= (long long)take;
	}
	if (len > 0)
		die("body", "the connection ended early");
}

/* http://HOST[:PORT]/PATH (HOST an IPv6 address in brackets) into its parts. */
static bool
parse_url(const char *url, char *host, size_t hsize, int *portp, char *path,
    size_t psize)
{
	const char *h = url + 7, *slash, *colon, *hend;
	size_t hlen;

	if (strncmp(url, "http://", 7) != 0 || (slash = strchr(h, '/')) == NULL)
		return false;
	if (*h == '[') {
		h++;
		if ((hend = memchr(h, ']', (size_t)(slash - h))) == NULL)
			return false;
		colon = hend[1] == ':' ? hend + 1 : NULL;
		if (hend + 1 != slash && colon == NULL)
			return false;
	} else {
		colon = memchr(h, ':', (size_t)(slash - h));
		hend = colon != NULL ? colon : slash;
	}
	hlen = (size_t)(hend - h);
	if (hlen == 0 || hlen >= hsize || strlen(slash) >= psize)
		return false;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*portp = colon != NULL ? atoi(colon + 1) : 80;
	strcpy(path, slash);
	return *portp > 0 && *portp < 65536;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *tap = NULL, *bus = NULL, *addr = NULL, *gw = NULL, *ifname;
	char ip[64], host[64], path[2048], line[8192], req[2400], *slash, *p;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct conn c = { -1, NULL, 0, 0 };
	long long len = -1;
	bool chunked = false;
	int ch, port, status, unit, error;
	bool v6;

	while ((ch = getopt_long(argc, argv, "t:b:a:g:", lo, NULL)) != -1) {
		switch (ch) {
		case 't': tap = optarg; break;
		case 'b': bus = optarg; break;
		case 'a': addr = optarg; break;
		case 'g': gw = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc - 1 || (tap == NULL) == (bus == NULL) ||
	    addr == NULL || (slash = strchr(addr, '/')) == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	if (!parse_url(argv[optind], host, sizeof(host), &port, path,
	    sizeof(path)))
		die(argv[optind], "not http://IPV4[:PORT]/PATH");
	snprintf(ip, sizeof(ip), "%.*s", (int)(slash - addr), addr);
	sin.sin_port = sin6.sin6_port = htons((uint16_t)port);
	v6 = strchr(host, ':') != NULL;
	if (v6 ? inet_pton(AF_INET6, host, &sin6.sin6_addr) != 1 :
	    inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		die(argv[optind], "not http://IPV4[:PORT]/PATH");

	if ((error = rump_init()) != 0)
		die("rump_init", strerror(error));
	if (tap != NULL) {
		ifname = "virt0";
		if ((error = rump_pub_netconfig_ifcreate(ifname)) != 0 ||
		    (error = rump_pub_netconfig_ifsetlinkstr(ifname, tap)) != 0)
			die(tap, strerror(error));
	} else {
		ifname = "shmif0";
		if ((error = rump_pub_shmif_create(bus, &unit)) != 0)
			die(bus, strerror(error));
	}
	if ((error = strchr(ip, ':') != NULL ?
	    rump_pub_netconfig_ipv6_ifaddr(ifname, ip, atoi(slash + 1)) :
	    rump_pub_netconfig_ipv4_ifaddr_cidr(ifname, ip,
	    atoi(slash + 1))) != 0 ||
	    (error = rump_pub_netconfig_ifup(ifname)) != 0)
		die(addr, strerror(error));
	if (gw != NULL && (error = strchr(gw, ':') != NULL ?
	    rump_pub_netconfig_ipv6_gw(gw) : rump_pub_netconfig_ipv4_gw(gw)) != 0)
		die(gw, strerror(error));
	if (strchr(ip, ':') != NULL && !wait_dad6(ip))
		die(addr, strerror(EADDRNOTAVAIL));

	if ((c.s = rump_sys_socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM,
	    0)) == -1 || (v6 ? rump_sys_connect(c.s, (struct sockaddr *)&sin6,
	    sizeof(sin6)) : rump_sys_connect(c.s, (struct sockaddr *)&sin,
	    sizeof(sin))) == -1)
		die(argv[optind], strerror(errno));
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\n"
	    "Connection: close\r\nUser-Agent: rump-httpget\r\n\r\n", path,
	    v6 ? "[" : "", host, v6 ? "]" : "", port);
	if (rump_sys_write(c.s, req, strlen(req)) != (ssize_t)strlen(req))
		die("request", strerror(errno));
	c.buf = malloc(BUFSZ);
	if (!conn_line(&c, line, sizeof(line)) ||
	    sscanf(line, "HTTP/1.%*d %d", &status) != 1)
		die(argv[optind], "no HTTP answer");
	if (status < 200 || status > 299)
		die(argv[optind], line);
	while (conn_line(&c, line, sizeof(line)) && line[0] != '\0') {
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			len = strtoll(line + 15, NULL, 10);
		else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 &&
		    strcasestr(line + 18, "chunked") != NULL)
			chunked = true;
	}
	if (chunked) {
		for (;;) {
			if (!conn_line(&c, line, sizeof(line)))
				die("body", "the connection ended in a chunk");
			if ((len = strtoll(line, &p, 16)) == 0)
				break;
			copy_body(&c, len);
			conn_line(&c, line, sizeof(line));
		}
	} else
		copy_body(&c, len);
	if (fflush(stdout) != 0)
		die("standard output", strerror(errno));
	rump_sys_close(c.s);
	free(c.buf);
	return 0;
}
