/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * `rump.route monitor': print every message the routing socket of the
 * kernel at $RUMP_SERVER announces (sys/net/rtsock.h) as it arrives, in
 * the original route(8)'s form:
 *
 *   got message of size LEN on DATE
 *   RTM_TYPE: what it means: len LEN, ...fields of its header...
 *   sockaddrs: <DST,GATEWAY,...>
 *    ADDR ADDR ...
 *   (blank line)
 *
 * RTM_IFANNOUNCE has no addresses, so its second line is the last.  An
 * interface (sockaddr_ll) prints as link#INDEX and its link address.
 * Every message is flushed at once; the monitor runs until the kernel
 * goes away (exit 1) or it is killed.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "route_show.h"

#define K_AF_ROUTE     16
#define RTM_ADD        0x1
#define RTM_DELETE     0x2
#define RTM_CHANGE     0x3
#define RTM_GET        0x4
#define RTM_MISS       0x7
#define RTM_NEWADDR    0xc
#define RTM_DELADDR    0xd
#define RTM_IFINFO     0xe
#define RTM_IFANNOUNCE 0x10
#define RTM_CHGADDR    0x15
#define HDRLEN         48 /* struct rt_msghdr */
#define IFHDRLEN       24 /* if_msghdr, ifa_msghdr, if_announcemsghdr */

static const char *const rtaxnames[] = {
    "DST", "GATEWAY", "NETMASK", "GENMASK", "IFP", "IFA", "AUTHOR", "BRD",
};

struct bitname {
	int bit;
	const char *name;
};

/* RTF_* (sys/net/route.h). */
static const struct bitname routeflags[] = {
    {0x1, "UP"},          {0x2, "GATEWAY"},     {0x4, "HOST"},
    {0x8, "REJECT"},      {0x10, "DYNAMIC"},    {0x20, "MODIFIED"},
    {0x40, "DONE"},       {0x100, "CLONING"},   {0x400, "LLINFO"},
    {0x800, "STATIC"},    {0x1000, "BLACKHOLE"}, {0x200000, "LOCAL"},
    {0x400000, "BROADCAST"}, {0x800000, "CONNECTED"}, {0, NULL},
};

/* IFF_* (Linux's values, sys/net/if.h). */
static const struct bitname ifflags[] = {
    {0x1, "UP"},        {0x2, "BROADCAST"}, {0x4, "DEBUG"},
    {0x8, "LOOPBACK"},  {0x10, "POINTOPOINT"}, {0x40, "RUNNING"},
    {0x80, "NOARP"},    {0x100, "PROMISC"}, {0x200, "ALLMULTI"},
    {0x1000, "MULTICAST"}, {0x10000, "LOWER_UP"}, {0, NULL},
};

/* ifam_addrflags of IPv6 addresses (RT_IN6_*). */
static const struct bitname addrflags[] = {
    {0x1, "TENTATIVE"}, {0x2, "DUPLICATED"}, {0x4, "DEPRECATED"},
    {0x8, "AUTOCONF"},  {0x40, "DETACHED"},  {0, NULL},
};

static void
print_bits(const char *label, int bits, const struct bitname *names)
{
	const char *sep = "";

	printf("%s<", label);
	for (; names->name != NULL; names++)
		if ((bits & names->bit) != 0) {
			printf("%s%s", sep, names->name);
			sep = ",";
		}
	printf(">");
}

static size_t
sa_len(uint16_t fam)
{
	return fam == AF_INET6 ? 28 : fam == AF_PACKET ? 20 : 16;
}

/* The addresses after the header at p (hdrlen bytes), with their names. */
static void
print_addrs(const uint8_t *p, size_t len, size_t hdrlen, int addrs)
{
	char buf[INET6_ADDRSTRLEN + 16];
	size_t off = hdrlen, salen;
	const char *sep = "";
	uint32_t scope;
	int32_t index;
	uint16_t fam;

	if (addrs == 0) {
		printf("\n");
		return;
	}
	printf("sockaddrs: <");
	for (int i = 0; i < 8; i++)
		if ((addrs & (1 << i)) != 0) {
			printf("%s%s", sep, rtaxnames[i]);
			sep = ",";
		}
	printf(">\n");
	for (int i = 0; i < 8; i++) {
		if ((addrs & (1 << i)) == 0)
			continue;
		if (off + 2 > len) {
			printf(" (truncated)");
			break;
		}
		memcpy(&fam, p + off, 2);
		salen = sa_len(fam);
		if (off + salen > len) {
			printf(" (truncated)");
			break;
		}
		if (fam == AF_INET) {
			inet_ntop(AF_INET, p + off + 4, buf, sizeof(buf));
			printf(" %s", buf);
		} else if (fam == AF_INET6) {
			inet_ntop(AF_INET6, p + off + 8, buf, sizeof(buf));
			memcpy(&scope, p + off + 24, 4);
			if (scope != 0)
				printf(" %s%%%u", buf, (unsigned)scope);
			else
				printf(" %s", buf);
		} else if (fam == AF_PACKET) {
			/* sll_ifindex at 4, sll_halen at 11, sll_addr at 12. */
			memcpy(&index, p + off + 4, 4);
			printf(" link#%d", (int)index);
			for (int b = 0; b < p[off + 11] && b < 8; b++)
				printf("%c%02x", b == 0 ? ' ' : ':',
				       p[off + 12 + b]);
		} else
			printf(" (family %u)", (unsigned)fam);
		off += (salen + 7) & ~(size_t)7;
	}
	printf("\n\n");
}

static const char *
type_text(int type)
{
	switch (type) {
	case RTM_ADD:        return "RTM_ADD: Add Route";
	case RTM_DELETE:     return "RTM_DELETE: Delete Route";
	case RTM_CHANGE:     return "RTM_CHANGE: Change Metrics or flags";
	case RTM_GET:        return "RTM_GET: Report Metrics";
	case RTM_MISS:       return "RTM_MISS: Lookup failed on this address";
	case RTM_NEWADDR:    return "RTM_NEWADDR: address being added to iface";
	case RTM_DELADDR:
		return "RTM_DELADDR: address being removed from iface";
	case RTM_IFINFO:     return "RTM_IFINFO: iface status change";
	case RTM_IFANNOUNCE: return "RTM_IFANNOUNCE: iface arrival/departure";
	case RTM_CHGADDR:    return "RTM_CHGADDR: address properties changed";
	default:             return NULL;
	}
}

/* One message (its length checked against the header's). */
static void
print_msg(const uint8_t *p, size_t len)
{
	static const char *const linkstate[] = {"unknown", "down", "up"};
	int32_t i32[6];
	uint32_t u32;
	uint16_t index, what;
	const char *text;
	char name[17];

	text = type_text(p[3]);
	if (text == NULL) {
		printf("#%d: unknown message type\n\n", p[3]);
		return;
	}
	memcpy(&index, p + 4, 2);
	switch (p[3]) {
	case RTM_IFANNOUNCE:
		if (len < IFHDRLEN)
			break;
		memcpy(name, p + 6, 16);
		name[16] = '\0';
		memcpy(&what, p + 22, 2);
		printf("%s: len %zu, if# %u, name %s, what: %s\n\n", text, len,
		       index, name,
		       what == 0   ? "arrival"
		       : what == 1 ? "departure"
		                   : "unknown");
		return;
	case RTM_IFINFO:
		if (len < IFHDRLEN)
			break;
		memcpy(i32, p + 8, 16);
		memcpy(&u32, p + 20, 4);
		printf("%s: len %zu, if# %u, mtu %d, link: %s, ", text, len,
		       index, i32[2], u32 < 3 ? linkstate[u32] : "?");
		print_bits("flags:", i32[0], ifflags);
		printf("\n");
		print_addrs(p, len, IFHDRLEN, i32[1]);
		return;
	case RTM_NEWADDR:
	case RTM_DELADDR:
	case RTM_CHGADDR:
		if (len < IFHDRLEN)
			break;
		memcpy(i32, p + 8, 16);
		printf("%s: len %zu, if# %u, metric %d, ", text, len, index,
		       i32[2]);
		print_bits("flags:", i32[0], routeflags);
		print_bits(", addrflags:", i32[3], addrflags);
		printf("\n");
		print_addrs(p, len, IFHDRLEN, i32[1]);
		return;
	default:
		if (len < HDRLEN)
			break;
		/* flags 8, addrs 12, pid 16, seq 20, errno 24. */
		memcpy(i32, p + 8, 20);
		printf("%s: len %zu, if# %u, pid: %d, seq %d, errno %d, ", text,
		       len, index, i32[2], i32[3], i32[4]);
		print_bits("flags:", i32[0], routeflags);
		printf("\n");
		print_addrs(p, len, HDRLEN, i32[1]);
		return;
	}
	printf("%s: len %zu: too short\n\n", text, len);
}

int
route_monitor(const char *prog)
{
	uint8_t buf[2048];
	char date[64];
	time_t now;
	ssize_t n;
	uint16_t mlen;
	int s;

	if ((s = rump_sys_socket(K_AF_ROUTE, SOCK_RAW, 0)) < 0) {
		fprintf(stderr, "%s: routing socket: %s\n", prog,
		        strerror(errno));
		return 1;
	}
	for (;;) {
		if ((n = rump_sys_read(s, buf, sizeof(buf))) <= 0) {
			fprintf(stderr, "%s: read: %s\n", prog,
			        n == 0 ? "end of file" : strerror(errno));
			rump_sys_close(s);
			return 1;
		}
		now = time(NULL);
		strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y",
		         localtime(&now));
		printf("got message of size %zd on %s\n", n, date);
		memcpy(&mlen, buf, 2);
		if (n < 4 || mlen != n)
			printf("message length mismatch: header %u, read %zd\n\n",
			       mlen, n);
		else
			print_msg(buf, (size_t)n);
		fflush(stdout);
	}
}
