/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.netstat: the network state of the kernel served at $RUMP_SERVER
 * (rump.netstat(8)), all from sysctls: the sockets from
 * net.inet.tcp.pcblist (struct tcp_conninfo), net.inet6.tcp6.pcblist
 * (struct tcp6_conninfo) and net.inet.udp.pcblist (struct inpcb_info),
 * the interfaces from net.interfaces (struct if_info), the counters
 * from net.inet.{ip,icmp,udp,tcp}.stats, the routes from net.route.dump
 * (rump.route's route_show.c).  A family whose component the
 * server did not load (ENOENT) is left out.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
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

#define PROG "rump.netstat"

struct stat_name {
	const char *field;
	const char *what;
	int n;
};
#define ICMP_MAXTYPE 18
#define HIST         (ICMP_MAXTYPE + 1)
#include "stat_names.h"

/* The kernel's records (see the comment above). */
struct tcp_conninfo {
	uint32_t laddr, faddr;
	uint16_t lport, fport;
	uint8_t state, pad[3];
	uint32_t rcvcc, sndcc;
};
struct tcp6_conninfo {
	uint8_t laddr[16], faddr[16];
	uint16_t lport, fport;
	uint8_t state, pad[3];
	uint32_t rcvcc, sndcc, scope;
};
struct inpcb_info {
	uint32_t laddr, faddr;
	uint16_t lport, fport;
	int32_t state;
	uint32_t rcvcc, sndcc;
	int32_t proto;
};
struct if_info {
	char name[16];
	uint32_t index;
	int32_t flags;
	uint32_t mtu;
	uint32_t type;
	uint8_t lladdr[8];
	uint64_t ipackets, ierrors, opackets, oerrors, ibytes, obytes;
	uint64_t imcasts, omcasts, iqdrops, noproto, collisions;
};

#define NET_INTERFACES 100
#define PCBLIST_TCP    15
#define PCBLIST_UDP    4
#define PCBLIST_TCP6   7
#define INCTL_STATS    1
#define TCPCTL_STATS   14

static const char *const tcpstates[] = {
    "0",          "ESTABLISHED", "SYN_SENT",  "SYN_RCVD",
    "FIN_WAIT_1", "FIN_WAIT_2",  "TIME_WAIT", "CLOSED",
    "CLOSE_WAIT", "LAST_ACK",    "LISTEN",    "CLOSING",
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: rump.netstat [-a] [-n]\n"
	           "       rump.netstat -i\n"
	           "       rump.netstat -r\n"
	           "       rump.netstat -s\n"
	           "  show the network state of the rump kernel at "
	           "$RUMP_SERVER\n"
	           "  (no option) TCP and UDP sockets with a peer\n"
	           "  -a  listening and unconnected sockets too\n"
	           "  -n  numeric (always)\n"
	           "  -i  interfaces and their counters\n"
	           "  -r  the routing table\n"
	           "  -s  IP, ICMP, UDP and TCP counters\n");
}

static void
endpoint(char *out, size_t len, int af, const void *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];
	static const uint8_t zero[16];

	if (memcmp(addr, zero, af == AF_INET ? 4 : 16) == 0)
		strcpy(a, "*");
	else
		inet_ntop(af, addr, a, sizeof(a));
	if (port == 0)
		snprintf(out, len, "%s.*", a);
	else
		snprintf(out, len, "%s.%u", a, ntohs(port));
}

static void
row(const char *proto, uint32_t rcv, uint32_t snd, int af, const void *laddr,
    uint16_t lport, const void *faddr, uint16_t fport, const char *state)
{
	char l[64], f[64];

	endpoint(l, sizeof(l), af, laddr, lport);
	endpoint(f, sizeof(f), af, faddr, fport);
	printf("%-5s %6" PRIu32 " %6" PRIu32 "  %-22s ", proto, rcv, snd, l);
	if (*state == '\0')
		printf("%s\n", f);
	else
		printf("%-22s %s\n", f, state);
}

static const char *
state_name(unsigned s)
{
	return s < sizeof(tcpstates) / sizeof(tcpstates[0]) ? tcpstates[s]
	                                                    : "?";
}

/* One family's list; 0, or 1 (reported). */
static int
sockets_of(const int *mib, const char *name, int kind, bool all)
{
	size_t len, n;
	void *buf;

	if ((buf = sysctl_fetch(mib, 4, &len)) == NULL) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, PROG ": %s: %s\n", name, strerror(errno));
		return 1;
	}
	if (kind == 6) {
		struct tcp6_conninfo *c = buf;

		n = len / sizeof(*c);
		for (size_t i = 0; i < n; i++)
			if (all || c[i].state != 10)
				row("tcp6", c[i].rcvcc, c[i].sndcc, AF_INET6,
				    c[i].laddr, c[i].lport, c[i].faddr,
				    c[i].fport, state_name(c[i].state));
	} else if (kind == 4) {
		struct tcp_conninfo *c = buf;

		n = len / sizeof(*c);
		for (size_t i = 0; i < n; i++)
			if (all || c[i].state != 10)
				row("tcp", c[i].rcvcc, c[i].sndcc, AF_INET,
				    &c[i].laddr, c[i].lport, &c[i].faddr,
				    c[i].fport, state_name(c[i].state));
	} else {
		struct inpcb_info *p = buf;

		n = len / sizeof(*p);
		for (size_t i = 0; i < n; i++)
			if (all || p[i].faddr != 0)
				row("udp", p[i].rcvcc, p[i].sndcc, AF_INET,
				    &p[i].laddr, p[i].lport, &p[i].faddr,
				    p[i].fport, "");
	}
	free(buf);
	return 0;
}

static int
sockets(bool all)
{
	static const int tcp[] = {RUMP_CTL_NET, AF_INET, IPPROTO_TCP,
	                          PCBLIST_TCP};
	static const int tcp6[] = {RUMP_CTL_NET, AF_INET6, IPPROTO_TCP,
	                           PCBLIST_TCP6};
	static const int udp[] = {RUMP_CTL_NET, AF_INET, IPPROTO_UDP,
	                          PCBLIST_UDP};
	int rv = 0;

	printf("Active Internet connections%s\n",
	       all ? " (including servers)" : "");
	printf("%-5s %6s %6s  %-22s %-22s %s\n", "Proto", "Recv-Q", "Send-Q",
	       "Local Address", "Foreign Address", "State");
	rv |= sockets_of(tcp, "net.inet.tcp.pcblist", 4, all);
	rv |= sockets_of(tcp6, "net.inet6.tcp6.pcblist", 6, all);
	rv |= sockets_of(udp, "net.inet.udp.pcblist", 0, all);
	return rv;
}

static int
interfaces(void)
{
	int mib[2] = {RUMP_CTL_NET, NET_INTERFACES};
	struct if_info *ii;
	size_t len;

	if ((ii = sysctl_fetch(mib, 2, &len)) == NULL) {
		fprintf(stderr, PROG ": net.interfaces: %s\n", strerror(errno));
		return 1;
	}
	printf("%-8s %5s %10s %6s %10s %6s %6s\n", "Name", "Mtu", "Ipkts",
	       "Ierrs", "Opkts", "Oerrs", "Drops");
	for (size_t i = 0; i < len / sizeof(*ii); i++)
		printf("%-8s %5" PRIu32 " %10" PRIu64 " %6" PRIu64 " %10" PRIu64
		       " %6" PRIu64 " %6" PRIu64 "\n",
		       ii[i].name, ii[i].mtu, ii[i].ipackets, ii[i].ierrors,
		       ii[i].opackets, ii[i].oerrors, ii[i].iqdrops);
	free(ii);
	return 0;
}

/* One stats structure, counter by counter. */
static int
stats_of(int proto, int leaf, const char *name, const struct stat_name *sn,
         size_t nn)
{
	int mib[4] = {RUMP_CTL_NET, AF_INET, proto, leaf};
	size_t len, want = 0, k = 0;
	uint64_t *v;

	for (size_t i = 0; i < nn; i++)
		want += (size_t)sn[i].n;
	if ((v = sysctl_fetch(mib, 4, &len)) == NULL) {
		fprintf(stderr, PROG ": net.inet.%s.stats: %s\n", name,
		        strerror(errno));
		return 1;
	}
	if (len != want * sizeof(*v)) {
		fprintf(stderr,
		        PROG ": net.inet.%s.stats: %zu bytes, not the %zu "
		             "expected\n",
		        name, len, want * sizeof(*v));
		free(v);
		return 1;
	}
	printf("%s:\n", name);
	for (size_t i = 0; i < nn; i++) {
		if (sn[i].n == 1) {
			printf("\t%" PRIu64 " %s\n", v[k++], sn[i].what);
			continue;
		}
		printf("\t%s:\n", sn[i].what);
		for (int t = 0; t < sn[i].n; t++, k++)
			if (v[k] != 0)
				printf("\t\ttype %d: %" PRIu64 "\n", t, v[k]);
	}
	free(v);
	return 0;
}

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

static int
stats(void)
{
	int rv = 0;

	rv |=
	    stats_of(IPPROTO_IP, INCTL_STATS, "ip", ip_names, NITEMS(ip_names));
	rv |= stats_of(IPPROTO_ICMP, INCTL_STATS, "icmp", icmp_names,
	               NITEMS(icmp_names));
	rv |= stats_of(IPPROTO_UDP, INCTL_STATS, "udp", udp_names,
	               NITEMS(udp_names));
	rv |= stats_of(IPPROTO_TCP, TCPCTL_STATS, "tcp", tcp_names,
	               NITEMS(tcp_names));
	return rv;
}

int
main(int argc, char *argv[])
{
	bool all = false, iflag = false, rflag = false, sflag = false;
	int ch, rv;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	while ((ch = getopt(argc, argv, ":ainrs")) != -1) {
		switch (ch) {
		case 'a':
			all = true;
			break;
		case 'i':
			iflag = true;
			break;
		case 'n':
			break;
		case 'r':
			rflag = true;
			break;
		case 's':
			sflag = true;
			break;
		default:
			fprintf(stderr, PROG ": -%c: %s (--help for usage)\n",
			        optopt,
			        ch == ':' ? "needs a value" : "unknown option");
			return 2;
		}
	}
	if (optind != argc || iflag + rflag + sflag > 1) {
		usage(stderr);
		return 2;
	}
	if (rumpclient_init() != 0) {
		fprintf(stderr, PROG ": rumpclient_init: %s\n",
		        strerror(errno));
		return 1;
	}
	if (iflag)
		rv = interfaces();
	else if (rflag)
		rv = route_show(PROG);
	else if (sflag)
		rv = stats();
	else
		rv = sockets(all);
	return rv;
}
