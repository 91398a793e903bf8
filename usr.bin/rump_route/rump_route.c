/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.route: add, delete and look up routes in the kernel served at
 * $RUMP_SERVER (rump.route(8)), with the routing socket's messages
 * (sys/net/rtsock.h): a struct rt_msghdr, then the sockaddrs its
 * rtm_addrs bits name, each padded to 8 bytes.  The answer to a request
 * comes back on the same socket with the sender's pid and sequence
 * number; messages of others in between are skipped.  `show' reads
 * the whole table from sysctl net.route.dump (route_show.c).  IPv4 only
 * but for show.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>

#include "route_show.h"

#define PROG "rump.route"

/* The kernel's routing socket (sys/net/rtsock.h, sys/net/route.h). */
#define K_AF_ROUTE      16
#define RTM_VERSION     1
#define RTM_ADD         0x1
#define RTM_DELETE      0x2
#define RTM_GET         0x4
#define RTA_DST         0x01
#define RTA_GATEWAY     0x02
#define RTA_NETMASK     0x04
#define RTA_IFP         0x10
#define RTA_IFA         0x20
#define RTAX_MAX        6
#define RTF_UP          0x1
#define RTF_GATEWAY     0x2
#define RTF_HOST        0x4
#define RTF_REJECT      0x8
#define RTF_STATIC      0x800
#define RTF_BLACKHOLE   0x1000
#define RT_ROUNDUP(len) (((len) + 7) & ~7)

struct rt_msghdr {
	uint16_t rtm_msglen;
	uint8_t rtm_version;
	uint8_t rtm_type;
	uint16_t rtm_index;
	uint16_t rtm_pad;
	int32_t rtm_flags;
	int32_t rtm_addrs;
	int32_t rtm_pid;
	int32_t rtm_seq;
	int32_t rtm_errno;
	int32_t rtm_use;
	uint32_t rmx_mtu;
	uint32_t rmx_pad;
	uint64_t rmx_expire;
};

struct sockaddr_ll_k {
	uint16_t sll_family;
	uint16_t sll_protocol;
	int32_t sll_ifindex;
	uint16_t sll_hatype;
	uint8_t sll_pkttype;
	uint8_t sll_halen;
	uint8_t sll_addr[8];
};

struct msg {
	struct rt_msghdr hdr;
	uint8_t space[512];
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: rump.route [-n] show\n"
	           "       rump.route [-n] add [-net|-host] DEST[/LEN] GATEWAY "
	           "[-netmask MASK]\n"
	           "       rump.route [-n] add [-net|-host] DEST[/LEN] "
	           "{-blackhole|-reject}\n"
	           "       rump.route [-n] delete [-net|-host] DEST[/LEN] "
	           "[-netmask MASK]\n"
	           "       rump.route [-n] get DEST\n"
	           "  change or look up routes of the rump kernel at "
	           "$RUMP_SERVER\n"
	           "  DEST may be `default' (0.0.0.0/0)\n");
}

static int
bad(const char *what, const char *arg)
{
	fprintf(stderr, PROG ": %s: %s\n", arg, what);
	return 2;
}

/* DEST[/LEN] or default; *len -1 when not given. */
static int
parse_dest(const char *arg, struct in_addr *a, int *len)
{
	char buf[64], *slash, *end;
	long l;

	*len = -1;
	if (strcmp(arg, "default") == 0) {
		a->s_addr = INADDR_ANY;
		*len = 0;
		return 0;
	}
	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		l = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || l < 0 || l > 32)
			return -1;
		*len = (int)l;
	}
	return inet_pton(AF_INET, buf, a) == 1 ? 0 : -1;
}

static int
mask_len(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)) != 0)
		len++;
	return (len == 32 ? 0xffffffffu : ~(0xffffffffu >> len)) == m ? len
	                                                              : -1;
}

static void
put_sin(struct msg *m, int bit, struct in_addr a)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = a;
	memcpy((uint8_t *)m + m->hdr.rtm_msglen, &sin, sizeof(sin));
	m->hdr.rtm_msglen =
	    (uint16_t)(m->hdr.rtm_msglen + RT_ROUNDUP(sizeof(sin)));
	m->hdr.rtm_addrs |= bit;
}

static const char *
flag_string(int flags, char *buf)
{
	static const struct {
		int bit;
		char c;
	} f[] = {{RTF_UP, 'U'},     {RTF_GATEWAY, 'G'},   {RTF_HOST, 'H'},
	         {RTF_REJECT, 'R'}, {RTF_BLACKHOLE, 'B'}, {RTF_STATIC, 'S'}};
	char *p = buf;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if ((flags & f[i].bit) != 0)
			*p++ = f[i].c;
	*p = '\0';
	return buf;
}

/* The answer to a RTM_GET, printed. */
static void
print_get(const struct msg *m)
{
	const uint8_t *p = m->space;
	char buf[INET_ADDRSTRLEN], fl[16];
	struct sockaddr_in sin;
	struct sockaddr_ll_k sll;
	uint16_t fam;
	size_t salen;

	for (int i = 0; i < RTAX_MAX; i++) {
		if ((m->hdr.rtm_addrs & (1 << i)) == 0)
			continue;
		if (p + sizeof(fam) > (const uint8_t *)m + m->hdr.rtm_msglen)
			break;
		memcpy(&fam, p, sizeof(fam));
		salen = fam == AF_INET6 ? 28 : fam == AF_PACKET ? 20 : 16;
		if (p + salen > (const uint8_t *)m + m->hdr.rtm_msglen)
			break;
		memcpy(&sin, p, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
		switch (1 << i) {
		case RTA_DST:
			printf("   route to: %s\n", buf);
			break;
		case RTA_GATEWAY:
			if (fam == AF_INET)
				printf("    gateway: %s\n", buf);
			break;
		case RTA_NETMASK:
			printf("       mask: %s\n", buf);
			break;
		case RTA_IFP:
			memcpy(&sll, p, sizeof(sll));
			printf("  interface: index %d\n", sll.sll_ifindex);
			break;
		case RTA_IFA:
			printf("if address: %s\n", buf);
			break;
		}
		p += RT_ROUNDUP(salen);
	}
	printf("      flags: <%s>\n", flag_string(m->hdr.rtm_flags, fl));
	if (m->hdr.rmx_mtu != 0)
		printf("        mtu: %u\n", m->hdr.rmx_mtu);
}

/* Send the request and wait for its answer.  Exit status. */
static int
request(int s, struct msg *m, const char *dest)
{
	struct msg ans;
	struct pollfd pfd = {.fd = s, .events = POLLIN};
	pid_t pid = rump_sys_getpid();
	ssize_t n;

	m->hdr.rtm_version = RTM_VERSION;
	m->hdr.rtm_seq = 1;
	if (rump_sys_write(s, m, m->hdr.rtm_msglen) != m->hdr.rtm_msglen) {
		fprintf(stderr, PROG ": %s %s: %s\n",
		        m->hdr.rtm_type == RTM_ADD      ? "add"
		        : m->hdr.rtm_type == RTM_DELETE ? "delete"
		                                        : "get",
		        dest,
		        errno == ESRCH ? "no such route" : strerror(errno));
		return 1;
	}
	for (;;) {
		if (rump_sys_poll(&pfd, 1, 5000) != 1) {
			fprintf(stderr, PROG ": %s: no answer\n", dest);
			return 1;
		}
		if ((n = rump_sys_read(s, &ans, sizeof(ans))) < 0) {
			fprintf(stderr, PROG ": read: %s\n", strerror(errno));
			return 1;
		}
		if (n >= (ssize_t)sizeof(ans.hdr) && ans.hdr.rtm_pid == pid &&
		    ans.hdr.rtm_seq == 1)
			break;
	}
	if (n < ans.hdr.rtm_msglen)
		ans.hdr.rtm_msglen = (uint16_t)n;
	if (m->hdr.rtm_type == RTM_GET)
		print_get(&ans);
	else
		printf(
		    "%s %s %s\n", m->hdr.rtm_type == RTM_ADD ? "add" : "delete",
		    (m->hdr.rtm_flags & RTF_HOST) != 0 ? "host" : "net", dest);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct in_addr dst, gw, mask;
	struct msg m;
	bool host = false, net = false, have_gw = false;
	int i = 1, len, flags = 0, type, s, rv;
	const char *dest;

	for (int k = 1; k < argc; k++)
		if (strcmp(argv[k], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	if (i < argc && strcmp(argv[i], "-n") == 0)
		i++;
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[i], "show") == 0) {
		if (i + 1 != argc)
			return bad("unexpected argument", argv[i + 1]);
		if (rumpclient_init() != 0) {
			fprintf(stderr, PROG ": rumpclient_init: %s\n",
			        strerror(errno));
			return 1;
		}
		return route_show(PROG);
	}
	if (strcmp(argv[i], "add") == 0)
		type = RTM_ADD;
	else if (strcmp(argv[i], "delete") == 0)
		type = RTM_DELETE;
	else if (strcmp(argv[i], "get") == 0)
		type = RTM_GET;
	else
		return bad("unknown command (show, add, delete or get)",
		           argv[i]);
	i++;
	if (i < argc && strcmp(argv[i], "-net") == 0) {
		net = true;
		i++;
	} else if (i < argc && strcmp(argv[i], "-host") == 0) {
		host = true;
		i++;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	dest = argv[i];
	if (parse_dest(dest, &dst, &len) != 0)
		return bad("not an IPv4 destination", dest);
	for (i++; i < argc; i++) {
		if (strcmp(argv[i], "-netmask") == 0) {
			int l;

			if (++i == argc)
				return bad("needs a value", "-netmask");
			if (parse_dest(argv[i], &mask, &l) != 0 || l != -1 ||
			    (len = mask_len(mask)) < 0)
				return bad("not a netmask", argv[i]);
		} else if (strcmp(argv[i], "-blackhole") == 0)
			flags |= RTF_BLACKHOLE;
		else if (strcmp(argv[i], "-reject") == 0)
			flags |= RTF_REJECT;
		else if (!have_gw && type == RTM_ADD &&
		         inet_pton(AF_INET, argv[i], &gw) == 1)
			have_gw = true;
		else
			return bad("unexpected argument", argv[i]);
	}
	if (type == RTM_ADD && !have_gw && flags == 0)
		return bad("needs a gateway, -blackhole or -reject", dest);
	if (host && len != -1 && len != 32)
		return bad("a host route has no prefix", dest);
	if (len == -1 && !net && type != RTM_GET)
		host = true;
	if (net && len == -1)
		return bad("a -net destination needs /LEN or -netmask", dest);

	memset(&m, 0, sizeof(m));
	m.hdr.rtm_type = (uint8_t)type;
	m.hdr.rtm_msglen = sizeof(m.hdr);
	m.hdr.rtm_flags = flags | RTF_UP | (host ? RTF_HOST : 0) |
	                  (have_gw ? RTF_GATEWAY : 0);
	put_sin(&m, RTA_DST, dst);
	if (have_gw)
		put_sin(&m, RTA_GATEWAY, gw);
	if (!host && len != -1) {
		mask.s_addr = htonl(len == 0 ? 0 : 0xffffffffu << (32 - len));
		put_sin(&m, RTA_NETMASK, mask);
	}

	if (rumpclient_init() != 0) {
		fprintf(stderr, PROG ": rumpclient_init: %s\n",
		        strerror(errno));
		return 1;
	}
	if ((s = rump_sys_socket(K_AF_ROUTE, SOCK_RAW, 0)) < 0) {
		fprintf(stderr, PROG ": routing socket: %s\n", strerror(errno));
		return 1;
	}
	rv = request(s, &m, dest);
	rump_sys_close(s);
	return rv;
}
