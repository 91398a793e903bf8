/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The routing table of the kernel at $RUMP_SERVER, printed (`rump.route
 * show`, `rump.netstat -r`): sysctl net.route.dump gives every route as
 * a routing socket message (sys/net/rtsock.h); the interface names come
 * from net.interfaces.  Routes are sorted by family, destination and
 * prefix length, as the kernel's table has no order.  The neighbour
 * caches' entries (ARP, neighbour discovery) come as host routes whose
 * gateway is a link address (flags UHL, R while unresolved), printed as
 * the link address, or link#N while it is unknown.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#include "route_show.h"

#define K_AF_ROUTE     16
#define NET_RT_DUMP    1
#define NET_INTERFACES 100
#define HDRLEN         48  /* struct rt_msghdr */
#define IFINFO_LEN     128 /* struct if_info */

struct route {
	int family;
	uint8_t dst[16];
	int plen;
	char gw[INET6_ADDRSTRLEN + 8];
	uint32_t gwscope; /* an IPv6 gateway's zone (interface index) */
	uint32_t dstscope; /* a link-local destination's (neighbours) */
	int flags;
	int ifindex;
};

void *
sysctl_fetch(const int *mib, unsigned n, size_t *lenp)
{
	void *buf = NULL;
	size_t len;

	for (int tries = 0; tries < 4; tries++) {
		len = 0;
		if (rump_sys___sysctl(mib, n, NULL, &len, NULL, 0) != 0)
			break;
		len += 4096;
		free(buf);
		if ((buf = malloc(len)) == NULL)
			return NULL;
		if (rump_sys___sysctl(mib, n, buf, &len, NULL, 0) == 0) {
			*lenp = len;
			return buf;
		}
		if (errno != ENOMEM)
			break;
	}
	free(buf);
	return NULL;
}

static size_t
sa_len(uint16_t fam)
{
	return fam == AF_INET6 ? 28 : fam == AF_PACKET ? 20 : 16;
}

static int
prefix_len(const uint8_t *m, size_t n)
{
	int len = 0;

	for (size_t i = 0; i < n; i++)
		for (int b = 7; b >= 0; b--) {
			if ((m[i] & (1 << b)) == 0)
				return len;
			len++;
		}
	return len;
}

/* One message into r; -1 if it is malformed. */
static int
parse(const uint8_t *p, size_t len, struct route *r)
{
	int32_t flags, addrs;
	uint16_t fam, index;
	size_t off = HDRLEN, salen;
	const uint8_t *a;

	memset(r, 0, sizeof(*r));
	memcpy(&index, p + 4, 2);
	memcpy(&flags, p + 8, 4);
	memcpy(&addrs, p + 12, 4);
	r->flags = flags;
	r->ifindex = index;
	r->plen = -1;
	for (int i = 0; i < 8; i++) {
		if ((addrs & (1 << i)) == 0)
			continue;
		if (off + 2 > len)
			return -1;
		memcpy(&fam, p + off, 2);
		salen = sa_len(fam);
		if (off + salen > len)
			return -1;
		a = p + off + (fam == AF_INET6 ? 8 : 4);
		if (i == 0) {
			r->family = fam;
			memcpy(r->dst, a, fam == AF_INET6 ? 16 : 4);
			if (fam == AF_INET6)
				memcpy(&r->dstscope, p + off + 24, 4);
		} else if (i == 1 && (fam == AF_INET || fam == AF_INET6)) {
			inet_ntop(fam, a, r->gw, sizeof(r->gw));
			if (fam == AF_INET6)
				memcpy(&r->gwscope, p + off + 24, 4);
		} else if (i == 1 && fam == AF_PACKET && p[off + 11] != 0) {
			/* sockaddr_ll: sll_halen at 11, sll_addr at 12. */
			for (int b = 0; b < p[off + 11] && b < 8; b++)
				sprintf(r->gw + strlen(r->gw), "%s%02x",
				        b ? ":" : "", p[off + 12 + b]);
		} else if (i == 2)
			r->plen = prefix_len(a, r->family == AF_INET6 ? 16 : 4);
		off += (salen + 7) & ~(size_t)7;
	}
	if (r->family != AF_INET && r->family != AF_INET6)
		return -1;
	if (r->plen == -1)
		r->plen = r->family == AF_INET6 ? 128 : 32;
	if (r->gw[0] == '\0')
		snprintf(r->gw, sizeof(r->gw), "link#%d", r->ifindex);
	return 0;
}

static int
route_cmp(const void *a, const void *b)
{
	const struct route *x = a, *y = b;
	int c;

	if (x->family != y->family)
		return x->family - y->family;
	if ((c = memcmp(x->dst, y->dst, sizeof(x->dst))) != 0)
		return c;
	return x->plen - y->plen;
}

static void
flag_string(int flags, char *buf)
{
	static const struct {
		int bit;
		char c;
	} f[] = {
	    {0x1, 'U'},      {0x2, 'G'},      {0x4, 'H'},      {0x8, 'R'},
	    {0x1000, 'B'},   {0x800, 'S'},    {0x400, 'L'},    {0x10, 'D'},
	    {0x800000, 'C'}, {0x200000, 'l'}, {0x400000, 'b'},
	};
	char *p = buf;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if ((flags & f[i].bit) != 0)
			*p++ = f[i].c;
	*p = '\0';
}

static const char *
if_name(const char *ifs, size_t nifs, int index)
{
	uint32_t idx;

	for (size_t i = 0; i < nifs; i++) {
		memcpy(&idx, ifs + i * IFINFO_LEN + 16, 4);
		if ((int)idx == index)
			return ifs + i * IFINFO_LEN;
	}
	return "-";
}

int
route_show(const char *prog)
{
	static const int dmib[] = {RUMP_CTL_NET, K_AF_ROUTE, NET_RT_DUMP};
	static const int imib[] = {RUMP_CTL_NET, NET_INTERFACES};
	struct route *r;
	uint8_t *buf;
	char *ifs, dst[INET6_ADDRSTRLEN + 24], gw[INET6_ADDRSTRLEN + 24], fl[16];
	size_t len, ilen, n = 0, off;
	uint16_t mlen;
	int last = -1;

	if ((buf = sysctl_fetch(dmib, 3, &len)) == NULL) {
		fprintf(stderr, "%s: net.route.dump: %s\n", prog,
		        strerror(errno));
		return 1;
	}
	if ((ifs = sysctl_fetch(imib, 2, &ilen)) == NULL) {
		fprintf(stderr, "%s: net.interfaces: %s\n", prog,
		        strerror(errno));
		free(buf);
		return 1;
	}
	if ((r = calloc(len / HDRLEN + 1, sizeof(*r))) == NULL) {
		fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
		free(buf);
		free(ifs);
		return 1;
	}
	for (off = 0; off + HDRLEN <= len; off += mlen) {
		memcpy(&mlen, buf + off, 2);
		if (mlen < HDRLEN || off + mlen > len ||
		    parse(buf + off, mlen, &r[n]) != 0) {
			fprintf(stderr,
			        "%s: net.route.dump: bad message at %zu\n",
			        prog, off);
			free(buf);
			free(ifs);
			free(r);
			return 1;
		}
		n++;
	}
	qsort(r, n, sizeof(*r), route_cmp);
	printf("Routing tables\n");
	for (size_t i = 0; i < n; i++) {
		if (r[i].family != last) {
			printf("\n%s:\n", r[i].family == AF_INET ? "Internet"
			                                         : "Internet6");
			printf("%-24s %-24s %-8s %s\n", "Destination",
			       "Gateway", "Flags", "Interface");
			last = r[i].family;
		}
		inet_ntop(r[i].family, r[i].dst, dst, sizeof(dst));
		if (r[i].plen == 0)
			strcpy(dst, "default");
		else if (r[i].plen != (r[i].family == AF_INET ? 32 : 128))
			snprintf(dst + strlen(dst), sizeof(dst) - strlen(dst),
			         "/%d", r[i].plen);
		else if (r[i].dstscope != 0)
			snprintf(dst + strlen(dst), sizeof(dst) - strlen(dst),
			         "%%%s",
			         if_name(ifs, ilen / IFINFO_LEN,
			                 (int)r[i].dstscope));
		flag_string(r[i].flags, fl);
		if (r[i].gwscope != 0)
			snprintf(
			    gw, sizeof(gw), "%s%%%s", r[i].gw,
			    if_name(ifs, ilen / IFINFO_LEN, (int)r[i].gwscope));
		else
			snprintf(gw, sizeof(gw), "%s", r[i].gw);
		printf("%-24s %-24s %-8s %s\n", dst, gw, fl,
		       if_name(ifs, ilen / IFINFO_LEN, r[i].ifindex));
	}
	free(buf);
	free(ifs);
	free(r);
	return 0;
}
