/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.route: add, delete and look up routes in the kernel served at
 * $RUMP_SERVER (rump.route(8)), with the routing socket's messages
 * (sys/net/rtsock.h): a struct rt_msghdr, then the sockaddrs its
 * rtm_addrs bits name, each padded to 8 bytes.  The answer to a request
 * comes back on the same socket with the sender's pid and sequence
 * number; messages of others in between are skipped.  `show' reads
 * the whole table from sysctl net.route.dump (route_show.c), `monitor'
 * prints the kernel's announcements as they come (route_monitor.c);
 * `change' gives a route a new gateway (RTM_CHANGE).  IPv4 and
 * IPv6: a destination with a colon, or -inet6, is IPv6; an IPv6
 * link-local gateway names its interface (fe80::1%shmif0), whose index
 * the kernel gives (SIOCGIFINDEX).
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

#include <net/if.h>
#include <sys/ioctl.h>

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
#define RTM_CHANGE      0x3
#define RTM_GET         0x4
#define RTA_DST         0x01
#define RTA_GATEWAY     0x02
#define RTA_NETMASK     0x04
#define RTA_IFP         0x10
#define RTA_IFA         0x20
#define RTAX_MAX        8
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
	fprintf(f,
	        "usage: rump.route [-n] show\n"
	        "       rump.route [-n] monitor\n"
	        "       rump.route [-n] add [-inet6] [-net|-host] DEST[/LEN] "
	        "GATEWAY [-netmask MASK|-prefixlen N]\n"
	        "       rump.route [-n] add [-inet6] [-net|-host] DEST[/LEN] "
	        "{-blackhole|-reject}\n"
	        "       rump.route [-n] change [-inet6] [-net|-host] "
	        "DEST[/LEN] GATEWAY [-netmask MASK|-prefixlen N]\n"
	        "       rump.route [-n] delete [-inet6] [-net|-host] "
	        "DEST[/LEN] [-netmask MASK|-prefixlen N]\n"
	        "       rump.route [-n] get [-inet6] DEST\n"
	        "  change or look up routes of the rump kernel at "
	        "$RUMP_SERVER\n"
	        "  DEST may be `default' (0.0.0.0/0, with -inet6 ::/0); "
	        "an IPv6 address\n"
	        "  is IPv6, a link-local gateway with its interface "
	        "(fe80::1%%shmif0)\n");
}

static int
bad(const char *what, const char *arg)
{
	fprintf(stderr, PROG ": %s: %s\n", arg, what);
	return 2;
}

/* An address of either family, as a route's sockaddr holds it. */
struct addr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t a[16];
	uint32_t scope; /* IPv6: the interface's index */
};

/* Connect to the kernel once.  0, or -1 (reported). */
static int
client_init(void)
{
	static bool ready;

	if (ready)
		return 0;
	if (rumpclient_init() != 0) {
		fprintf(stderr, PROG ": rumpclient_init: %s\n",
		        strerror(errno));
		return -1;
	}
	ready = true;
	return 0;
}

/* The interface index of name in the kernel; 0 if none. */
static uint32_t
if_index_of(const char *name)
{
	struct ifreq ifr;
	int s, rv;

	if (strlen(name) >= IFNAMSIZ || client_init() != 0 ||
	    (s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, name);
	rv = rump_sys_ioctl(s, SIOCGIFINDEX, &ifr);
	rump_sys_close(s);
	return rv == 0 && ifr.ifr_ifindex > 0 ? (uint32_t)ifr.ifr_ifindex : 0;
}

/*
 * ADDR of family (0: by its form) with an optional %ZONE (IPv6: an
 * interface's name or index, looked up in the kernel).  0 or -1.
 */
static int
parse_addr(const char *arg, int family, struct addr *ad)
{
	char buf[INET6_ADDRSTRLEN + IFNAMSIZ + 2], *pct, *end;
	unsigned long n;

	memset(ad, 0, sizeof(*ad));
	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	if (family == 0)
		family = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	ad->family = family;
	if (family == AF_INET)
		return inet_pton(AF_INET, buf, ad->a) == 1 ? 0 : -1;
	if ((pct = strchr(buf, '%')) != NULL) {
		*pct++ = '\0';
		n = strtoul(pct, &end, 10);
		if (*pct != '\0' && *end == '\0' && n > 0 && n <= UINT32_MAX)
			ad->scope = (uint32_t)n;
		else if ((ad->scope = if_index_of(pct)) == 0)
			return -1;
	}
	return inet_pton(AF_INET6, buf, ad->a) == 1 ? 0 : -1;
}

/* DEST[/LEN] or default; *len -1 when not given. */
static int
parse_dest(const char *arg, int family, struct addr *ad, int *len)
{
	char buf[64], *slash, *end;
	long l;

	*len = -1;
	if (strcmp(arg, "default") == 0) {
		memset(ad, 0, sizeof(*ad));
		ad->family = family == 0 ? AF_INET : family;
		*len = 0;
		return 0;
	}
	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	if (family == 0)
		family = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		l = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || l < 0 ||
		    l > (family == AF_INET6 ? 128 : 32))
			return -1;
		*len = (int)l;
	}
	return parse_addr(buf, family, ad);
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
put_addr(struct msg *m, int bit, const struct addr *ad)
{
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	const void *sa = &sin;
	size_t len = sizeof(sin);

	if (ad->family == AF_INET6) {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, ad->a, 16);
		sin6.sin6_scope_id = ad->scope;
		sa = &sin6;
		len = sizeof(sin6);
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, ad->a, 4);
	}
	memcpy((uint8_t *)m + m->hdr.rtm_msglen, sa, len);
	m->hdr.rtm_msglen = (uint16_t)(m->hdr.rtm_msglen + RT_ROUNDUP(len));
	m->hdr.rtm_addrs |= bit;
}

/* The mask of a prefix length, of the family. */
static void
len_mask(struct addr *mask, int family, int len)
{
	memset(mask, 0, sizeof(*mask));
	mask->family = family;
	for (int b = 0; b < len; b++)
		mask->a[b / 8] |= (uint8_t)(0x80 >> (b % 8));
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
	char buf[INET6_ADDRSTRLEN + 16], fl[16];
	struct sockaddr_in6 sin6;
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
		if (fam == AF_INET6) {
			memcpy(&sin6, p, sizeof(sin6));
			inet_ntop(AF_INET6, &sin6.sin6_addr, buf, sizeof(buf));
			if (sin6.sin6_scope_id != 0)
				snprintf(buf + strlen(buf),
				         sizeof(buf) - strlen(buf), "%%%u",
				         (unsigned)sin6.sin6_scope_id);
		} else {
			memcpy(&sin, p, sizeof(sin));
			inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
		}
		switch (1 << i) {
		case RTA_DST:
			printf("   route to: %s\n", buf);
			break;
		case RTA_GATEWAY:
			if (fam == AF_INET || fam == AF_INET6)
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

static const char *
type_name(int type)
{
	return type == RTM_ADD      ? "add"
	       : type == RTM_DELETE ? "delete"
	       : type == RTM_CHANGE ? "change"
	                            : "get";
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
		fprintf(stderr, PROG ": %s %s: %s\n", type_name(m->hdr.rtm_type),
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
		printf("%s %s %s\n", type_name(m->hdr.rtm_type),
		       (m->hdr.rtm_flags & RTF_HOST) != 0 ? "host" : "net", dest);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct addr dst, gw, mask;
	struct in_addr mask4;
	struct msg m;
	bool host = false, net = false, have_gw = false;
	int i = 1, len, flags = 0, type, s, rv, family = 0;
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
	if (strcmp(argv[i], "monitor") == 0) {
		if (i + 1 != argc)
			return bad("unexpected argument", argv[i + 1]);
		if (client_init() != 0)
			return 1;
		return route_monitor(PROG);
	}
	if (strcmp(argv[i], "add") == 0)
		type = RTM_ADD;
	else if (strcmp(argv[i], "change") == 0)
		type = RTM_CHANGE;
	else if (strcmp(argv[i], "delete") == 0)
		type = RTM_DELETE;
	else if (strcmp(argv[i], "get") == 0)
		type = RTM_GET;
	else
		return bad("unknown command (show, monitor, add, change, "
		           "delete or get)",
		           argv[i]);
	i++;
	if (i < argc && strcmp(argv[i], "-inet6") == 0) {
		family = AF_INET6;
		i++;
	} else if (i < argc && strcmp(argv[i], "-inet") == 0) {
		family = AF_INET;
		i++;
	}
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
	if (parse_dest(dest, family, &dst, &len) != 0)
		return bad(family == AF_INET6 ||
		                   (family == 0 && strchr(dest, ':') != NULL)
		               ? "not an IPv6 destination"
		               : "not an IPv4 destination",
		           dest);
	family = dst.family;
	for (i++; i < argc; i++) {
		if (strcmp(argv[i], "-netmask") == 0 && family == AF_INET) {
			if (++i == argc)
				return bad("needs a value", "-netmask");
			if (inet_pton(AF_INET, argv[i], &mask4) != 1 ||
			    (len = mask_len(mask4)) < 0)
				return bad("not a netmask", argv[i]);
		} else if (strcmp(argv[i], "-prefixlen") == 0) {
			char *end;
			long l;

			if (++i == argc)
				return bad("needs a value", "-prefixlen");
			l = strtol(argv[i], &end, 10);
			if (*argv[i] == '\0' || *end != '\0' || l < 0 ||
			    l > (family == AF_INET6 ? 128 : 32))
				return bad("not a prefix length", argv[i]);
			len = (int)l;
		} else if (strcmp(argv[i], "-blackhole") == 0)
			flags |= RTF_BLACKHOLE;
		else if (strcmp(argv[i], "-reject") == 0)
			flags |= RTF_REJECT;
		else if (!have_gw && (type == RTM_ADD || type == RTM_CHANGE) &&
		         argv[i][0] != '-') {
			if (parse_addr(argv[i], family, &gw) != 0)
				return bad(family == AF_INET6
				               ? "not an IPv6 gateway (or no "
				                 "such interface)"
				               : "not an IPv4 gateway",
				           argv[i]);
			have_gw = true;
		} else
			return bad("unexpected argument", argv[i]);
	}
	if (type == RTM_ADD && !have_gw && flags == 0)
		return bad("needs a gateway, -blackhole or -reject", dest);
	if (type == RTM_CHANGE && !have_gw)
		return bad("needs a gateway", dest);
	if (host && len != -1 && len != (family == AF_INET6 ? 128 : 32))
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
	put_addr(&m, RTA_DST, &dst);
	if (have_gw)
		put_addr(&m, RTA_GATEWAY, &gw);
	if (!host && len != -1) {
		len_mask(&mask, family, len);
		put_addr(&m, RTA_NETMASK, &mask);
	}

	if (client_init() != 0)
		return 1;
	if ((s = rump_sys_socket(K_AF_ROUTE, SOCK_RAW, 0)) < 0) {
		fprintf(stderr, PROG ": routing socket: %s\n", strerror(errno));
		return 1;
	}
	rv = request(s, &m, dest);
	rump_sys_close(s);
	return rv;
}
