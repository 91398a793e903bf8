/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * httpd: a small HTTP/1.1 file server running entirely on a rump
 * kernel's TCP/IP.  The kernel gets an Ethernet interface (a tap device
 * with -t, or a shmif bus with -b) and an address; the host directory
 * DIR appears in the kernel (etfs) at /www, and every file under it is
 * served by GET and HEAD, with persistent connections, Content-Length,
 * and 400, 403, 404, 405, 414, 431 and 505 answers.  Each connection is a
 * host thread that is a process of the kernel.
 *
 * ADDR may be IPv6 (the server then listens on it over IPv6, once
 * duplicate address detection has passed).
 *
 *	cc httpd.c $(pkg-config --cflags --libs rumpnet_virtif rumpnet_netinet6 rumpnet_netinet rumpvfs) -lpthread
 *	httpd -t tap0 -a 10.0.0.2/24 -p 80 /srv/www
 *	httpd -t tap0 -a 2001:db8::2/64 -p 80 /srv/www
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#define REQMAX  8192            /* a request's line and headers */
#define BUFSZ   (256 << 10)

static const char usage[] =
    "Usage: httpd (-t TAP | -b BUSFILE) -a ADDR/PREFIXLEN [-p PORT] DIR\n"
    "Serve the files under host directory DIR by HTTP/1.1 from a rump\n"
    "kernel's TCP/IP stack, on a Linux tap device or a shmif bus.\n\n"
    "  -t TAP       the kernel's interface is virt0 on tap device TAP\n"
    "  -b BUSFILE   the kernel's interface is shmif0 on bus BUSFILE\n"
    "  -a ADDR/LEN  its IPv4 or IPv6 address and prefix length\n"
    "  -p PORT      the TCP port (default 80)\n"
    "      --help   display this help and exit\n";

/*
 * Wait until the IPv6 address a may be used (duplicate address detection
 * over): a datagram to itself gets through only then.  false after 10 s.
 */
static bool
wait_dad6(const struct in6_addr *a)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = *a };
	socklen_t len = sizeof(sin6);
	struct pollfd pfd;
	bool ok = false;
	int i, s;

	if ((s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) == -1 ||
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

static pid_t server_pid;        /* the kernel process holding the listener */

static void __attribute__((__noreturn__))
die(const char *what, int error)
{
	fprintf(stderr, "httpd: %s: %s\n", what, strerror(error));
	exit(1);
}

/* Write all of buf to the connection; false if it went away. */
static bool
send_all(int s, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		if ((w = rump_sys_write(s, p, n)) <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool
reply_status(int s, int code, const char *reason, bool close_after)
{
	char hdr[256];
	int n;

	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 %d %s\r\nContent-Length: "
	    "%zu\r\nContent-Type: text/plain\r\n%s\r\n%s\n", code, reason,
	    strlen(reason) + 1, close_after ? "Connection: close\r\n" : "",
	    reason);
	return send_all(s, hdr, (size_t)n);
}

/*
 * The kernel path of a request target: "/www" + target, which must be
 * absolute, without "..", query or fragment ignored.
 */
static int
target_path(const char *target, char *path, size_t size)
{
	size_t len = strcspn(target, "?#");

	if (target[0] != '/')
		return 400;
	if (len + 5 > size)
		return 414;
	snprintf(path, size, "/www%.*s", (int)len, target);
	if (strstr(path, "/../") != NULL ||
	    (len >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0))
		return 403;
	return 0;
}

/* An error answer; whether the connection goes on. */
static bool
refuse(int s, int code, const char *reason, bool keepalive)
{
	return reply_status(s, code, reason, !keepalive) && keepalive;
}

/* Answer one request; false when the connection must end. */
static bool
serve_request(int s, char *req)
{
	char *method, *target, *version, *line, *save, path[1100];
	char hdr[256], *buf;
	bool head, keepalive, ok;
	struct stat st;
	ssize_t n;
	int fd, code, len;

	line = strtok_r(req, "\r\n", &save);
	method = line != NULL ? strtok(line, " ") : NULL;
	target = method != NULL ? strtok(NULL, " ") : NULL;
	version = target != NULL ? strtok(NULL, " ") : NULL;
	if (version == NULL || strncmp(version, "HTTP/", 5) != 0)
		return refuse(s, 400, "Bad Request", false);
	if (strncmp(version, "HTTP/1.", 7) != 0)
		return refuse(s, 505, "HTTP Version Not Supported", false);
	keepalive = strcmp(version, "HTTP/1.0") != 0;
	while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
		if (strncasecmp(line, "Connection:", 11) != 0)
			continue;
		if (strcasestr(line + 11, "close") != NULL)
			keepalive = false;
		else if (strcasestr(line + 11, "keep-alive") != NULL)
			keepalive = true;
	}
	head = strcmp(method, "HEAD") == 0;
	if (!head && strcmp(method, "GET") != 0)
		return refuse(s, 405, "Method Not Allowed", keepalive);
	if ((code = target_path(target, path, sizeof(path))) != 0)
		return refuse(s, code, code == 403 ? "Forbidden" :
		    code == 414 ? "URI Too Long" : "Bad Request", keepalive);
	if ((fd = rump_sys_open(path, O_RDONLY, 0)) == -1 ||
	    rump_sys_fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		code = fd == -1 && errno == ENOENT ? 404 : 403;
		if (fd != -1)
			rump_sys_close(fd);
		return refuse(s, code, code == 404 ? "Not Found" : "Forbidden",
		    keepalive);
	}
	len = snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Length: "
	    "%lld\r\nContent-Type: application/octet-stream\r\n%s\r\n",
	    (long long)st.st_size, keepalive ? "" : "Connection: close\r\n");
	ok = send_all(s, hdr, (size_t)len);
	if (ok && !head) {
		buf = malloc(BUFSZ);
		while (ok && (n = rump_sys_read(fd, buf, BUFSZ)) > 0)
			ok = send_all(s, buf, (size_t)n);
		free(buf);
	}
	rump_sys_close(fd);
	return ok && keepalive;
}

/* One connection: requests until the client closes or asks to. */
static void *
connection(void *arg)
{
	int s = (int)(intptr_t)arg;
	char req[REQMAX + 1];
	size_t have = 0, used;
	char *end;
	ssize_t n;

	if (rump_pub_lwproc_newlwp(server_pid) != 0)
		return NULL;
	for (;;) {
		while ((end = memmem(req, have, "\r\n\r\n", 4)) == NULL) {
			if (have == REQMAX) {
				reply_status(s, 431, "Request Header Fields "
				    "Too Large", true);
				goto out;
			}
			if ((n = rump_sys_read(s, req + have,
			    REQMAX - have)) <= 0)
				goto out;
			have += (size_t)n;
		}
		*end = '\0';
		used = (size_t)(end - req) + 4;
		if (!serve_request(s, req))
			break;
		memmove(req, req + used, have - used);
		have -= used;
	}
out:
	rump_sys_close(s);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *tap = NULL, *bus = NULL, *addr = NULL, *ifname;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	char ip[64], *slash;
	int ch, port = 80, plen, unit, ls, s, one = 1, error;
	bool v6;
	pthread_t t;

	while ((ch = getopt_long(argc, argv, "t:b:a:p:", lo, NULL)) != -1) {
		switch (ch) {
		case 't': tap = optarg; break;
		case 'b': bus = optarg; break;
		case 'a': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc - 1 || (tap == NULL) == (bus == NULL) ||
	    addr == NULL || (slash = strchr(addr, '/')) == NULL ||
	    port <= 0 || port > 65535) {
		fputs(usage, stderr);
		return 2;
	}
	snprintf(ip, sizeof(ip), "%.*s", (int)(slash - addr), addr);
	plen = atoi(slash + 1);
	v6 = strchr(ip, ':') != NULL;
	if (v6 ? inet_pton(AF_INET6, ip, &sin6.sin6_addr) != 1 :
	    inet_pton(AF_INET, ip, &sin.sin_addr) != 1) {
		fputs(usage, stderr);
		return 2;
	}

	if ((error = rump_init()) != 0)
		die("rump_init", error);
	if ((error = rump_pub_etfs_register("/www", argv[optind],
	    RUMP_ETFS_DIR_SUBDIRS)) != 0)
		die(argv[optind], error);
	if (tap != NULL) {
		ifname = "virt0";
		if ((error = rump_pub_netconfig_ifcreate(ifname)) != 0 ||
		    (error = rump_pub_netconfig_ifsetlinkstr(ifname, tap)) != 0)
			die(tap, error);
	} else {
		ifname = "shmif0";
		if ((error = rump_pub_shmif_create(bus, &unit)) != 0)
			die(bus, error);
	}
	if ((error = v6 ? rump_pub_netconfig_ipv6_ifaddr(ifname, ip, plen) :
	    rump_pub_netconfig_ipv4_ifaddr_cidr(ifname, ip, plen)) != 0 ||
	    (error = rump_pub_netconfig_ifup(ifname)) != 0)
		die(addr, error);
	if (v6 && !wait_dad6(&sin6.sin6_addr))
		die(addr, EADDRNOTAVAIL);

	if ((error = rump_pub_lwproc_rfork(RUMP_RFCFDG)) != 0)
		die("rfork", error);
	server_pid = rump_sys_getpid();
	sin.sin_port = sin6.sin6_port = htons((uint16_t)port);
	if ((ls = rump_sys_socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM,
	    0)) == -1 ||
	    rump_sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    (v6 ? rump_sys_bind(ls, (struct sockaddr *)&sin6, sizeof(sin6)) :
	    rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin))) == -1 ||
	    rump_sys_listen(ls, 64) == -1)
		die("listen", errno);
	printf("httpd: serving %s on http://%s%s%s:%d/\n", argv[optind],
	    v6 ? "[" : "", ip, v6 ? "]" : "", port);
	fflush(stdout);
	for (;;) {
		if ((s = rump_sys_accept(ls, NULL, NULL)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept", errno);
		}
		if (pthread_create(&t, NULL, connection,
		    (void *)(intptr_t)s) != 0) {
			rump_sys_close(s);
			continue;
		}
		pthread_detach(t);
	}
}
