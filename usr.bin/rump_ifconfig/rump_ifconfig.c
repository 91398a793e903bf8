/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.ifconfig: show and configure the interfaces of the kernel served
 * at $RUMP_SERVER (rump.ifconfig(8)).  The interfaces come from sysctl
 * net.interfaces (struct if_info, sys/net/if.h); everything else is
 * Linux's ifreq ioctls on an AF_INET socket in that kernel, whose
 * numbers and layouts the kernel shares with the host's headers.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>

#define PROG "rump.ifconfig"

/* The kernel's net.interfaces record (struct if_info, sys/net/if.h). */
struct if_info {
	char ii_name[16];
	uint32_t ii_index;
	int32_t ii_flags;
	uint32_t ii_mtu;
	uint32_t ii_type;
	uint8_t ii_lladdr[8];
	uint64_t ii_data[11];
};
#define NET_INTERFACES 100
#define IFT_ETHER      1

static int sock = -1;

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: rump.ifconfig -a\n"
	        "       rump.ifconfig IF\n"
	        "       rump.ifconfig IF [inet] ADDR[/LEN] [netmask MASK] "
	        "[up|down] [mtu N]\n"
	        "       rump.ifconfig IF {-alias|delete} [ADDR] | up | down | "
	        "mtu N\n"
	        "  show or configure the interfaces of the rump kernel at "
	        "$RUMP_SERVER\n"
	        "  -a  show every interface\n");
}

static void
warn_errno(const char *what, int error)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(error));
}

static void
ifr_init(struct ifreq *ifr, const char *name)
{
	memset(ifr, 0, sizeof(*ifr));
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
}

static int
if_ioctl(const char *name, unsigned long cmd, struct ifreq *ifr,
         const char *what)
{
	char msg[64];

	if (rump_sys_ioctl(sock, cmd, ifr) == 0)
		return 0;
	if (what != NULL) {
		snprintf(msg, sizeof(msg), "%s %s", what, name);
		warn_errno(msg, errno);
	}
	return -1;
}

static const struct {
	int bit;
	const char *name;
} flagnames[] = {
    {IFF_UP, "UP"},
    {IFF_BROADCAST, "BROADCAST"},
    {IFF_DEBUG, "DEBUG"},
    {IFF_LOOPBACK, "LOOPBACK"},
    {IFF_POINTOPOINT, "POINTOPOINT"},
    {IFF_RUNNING, "RUNNING"},
    {IFF_NOARP, "NOARP"},
    {IFF_PROMISC, "PROMISC"},
    {IFF_ALLMULTI, "ALLMULTI"},
    {IFF_MULTICAST, "MULTICAST"},
};

static void
print_flags(int flags)
{
	bool first = true;

	printf("flags=0x%x<", (unsigned)flags);
	for (size_t i = 0; i < sizeof(flagnames) / sizeof(flagnames[0]); i++)
		if ((flags & flagnames[i].bit) != 0) {
			printf("%s%s", first ? "" : ",", flagnames[i].name);
			first = false;
		}
	printf(">");
}

static int
mask_len(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)) != 0)
		len++;
	return len;
}

/* One interface, as `IF: flags=... mtu N` and its addresses. */
static int
show_one(const struct if_info *ii)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	struct in_addr addr;
	char buf[INET_ADDRSTRLEN];

	printf("%s: ", ii->ii_name);
	print_flags(ii->ii_flags);
	printf(" mtu %" PRIu32 "\n", ii->ii_mtu);
	if (ii->ii_type == IFT_ETHER)
		printf("\taddress: %02x:%02x:%02x:%02x:%02x:%02x\n",
		       ii->ii_lladdr[0], ii->ii_lladdr[1], ii->ii_lladdr[2],
		       ii->ii_lladdr[3], ii->ii_lladdr[4], ii->ii_lladdr[5]);
	ifr_init(&ifr, ii->ii_name);
	if (rump_sys_ioctl(sock, SIOCGIFADDR, &ifr) != 0) {
		if (errno == EADDRNOTAVAIL)
			return 0;
		warn_errno("SIOCGIFADDR", errno);
		return -1;
	}
	addr = sin->sin_addr;
	ifr_init(&ifr, ii->ii_name);
	if (if_ioctl(ii->ii_name, SIOCGIFNETMASK, &ifr, "SIOCGIFNETMASK") != 0)
		return -1;
	printf("\tinet %s", inet_ntop(AF_INET, &addr, buf, sizeof(buf)));
	printf(" netmask %s (/%d)\n",
	       inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf)),
	       mask_len(sin->sin_addr));
	return 0;
}

/* Every interface's record; *np of them.  NULL (reported) on error. */
static struct if_info *
if_list(size_t *np)
{
	int mib[2] = {RUMP_CTL_NET, NET_INTERFACES};
	struct if_info *ii = NULL;
	size_t len = 0;

	for (int tries = 0; tries < 4; tries++) {
		if (rump_sys___sysctl(mib, 2, NULL, &len, NULL, 0) != 0)
			break;
		len += 4 * sizeof(*ii);
		free(ii);
		if ((ii = malloc(len)) == NULL) {
			warn_errno("net.interfaces", ENOMEM);
			return NULL;
		}
		if (rump_sys___sysctl(mib, 2, ii, &len, NULL, 0) == 0) {
			*np = len / sizeof(*ii);
			return ii;
		}
		if (errno != ENOMEM)
			break;
	}
	warn_errno("net.interfaces", errno);
	free(ii);
	return NULL;
}

static int
show(const char *name)
{
	struct if_info *ii;
	size_t n;
	int rv = 0;
	bool found = false;

	if ((ii = if_list(&n)) == NULL)
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (name != NULL && strcmp(ii[i].ii_name, name) != 0)
			continue;
		found = true;
		if (show_one(&ii[i]) != 0)
			rv = 1;
	}
	free(ii);
	if (name != NULL && !found) {
		fprintf(stderr, PROG ": %s: no such interface\n", name);
		return 1;
	}
	return rv;
}

/* ADDR or ADDR/LEN; *len -1 if no length.  0, or -1 (reported). */
static int
parse_addr(const char *arg, struct in_addr *addr, int *len)
{
	char buf[64], *slash, *end;
	long l;

	*len = -1;
	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		errno = 0;
		l = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || l < 0 || l > 32)
			goto bad;
		*len = (int)l;
	}
	if (inet_pton(AF_INET, buf, addr) == 1)
		return 0;
bad:
	fprintf(stderr, PROG ": %s: not an IPv4 address\n", arg);
	return -1;
}

static struct in_addr
len_mask(int len)
{
	struct in_addr m;

	m.s_addr = htonl(len == 0 ? 0 : 0xffffffffu << (32 - len));
	return m;
}

static void
ifr_setsin(struct ifreq *ifr, const char *name, struct in_addr a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr->ifr_addr;

	ifr_init(ifr, name);
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
}

static int
set_flag(const char *name, int flag, bool on)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	if (if_ioctl(name, SIOCGIFFLAGS, &ifr, "SIOCGIFFLAGS") != 0)
		return -1;
	if (on)
		ifr.ifr_flags = (short)(ifr.ifr_flags | flag);
	else
		ifr.ifr_flags = (short)(ifr.ifr_flags & ~flag);
	return if_ioctl(name, SIOCSIFFLAGS, &ifr, "SIOCSIFFLAGS");
}

/* The words after IF.  Exit status: 0, 1 (a request failed), 2 (usage). */
static int
configure(const char *name, int argc, char **argv)
{
	struct in_addr addr, mask, del;
	struct ifreq ifr;
	bool have_addr = false, have_mask = false, have_del = false;
	int len, up = -1, mtu = -1;
	char *end;
	long l;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "inet") == 0)
			continue;
		if (strcmp(w, "up") == 0 || strcmp(w, "down") == 0) {
			up = w[0] == 'u';
		} else if (strcmp(w, "mtu") == 0 || strcmp(w, "netmask") == 0) {
			if (++i == argc) {
				fprintf(stderr, PROG ": %s: needs a value\n",
				        w);
				return 2;
			}
			if (w[0] == 'n') {
				if (parse_addr(argv[i], &mask, &len) != 0 ||
				    len != -1)
					return 2;
				have_mask = true;
				continue;
			}
			errno = 0;
			l = strtol(argv[i], &end, 10);
			if (*argv[i] == '\0' || *end != '\0' || l <= 0 ||
			    l > INT_MAX) {
				fprintf(stderr, PROG ": mtu %s: not a number\n",
				        argv[i]);
				return 2;
			}
			mtu = (int)l;
		} else if (strcmp(w, "-alias") == 0 ||
		           strcmp(w, "delete") == 0) {
			del.s_addr = INADDR_ANY;
			if (i + 1 < argc &&
			    strchr("0123456789", argv[i + 1][0]) &&
			    parse_addr(argv[++i], &del, &len) != 0)
				return 2;
			have_del = true;
		} else if (strcmp(w, "create") == 0 ||
		           strcmp(w, "destroy") == 0) {
			fprintf(stderr,
			        PROG ": %s %s: the kernel has no cloning "
			             "ioctl\n",
			        w, name);
			return 1;
		} else if (!have_addr && strchr("0123456789", w[0]) != NULL) {
			if (parse_addr(w, &addr, &len) != 0)
				return 2;
			if (len != -1) {
				mask = len_mask(len);
				have_mask = true;
			}
			have_addr = true;
		} else {
			fprintf(stderr, PROG ": %s: unknown word\n", w);
			return 2;
		}
	}
	if (have_del) {
		ifr_setsin(&ifr, name, del);
		if (if_ioctl(name, SIOCDIFADDR, &ifr, "SIOCDIFADDR") != 0)
			return 1;
	}
	if (have_addr) {
		ifr_setsin(&ifr, name, addr);
		if (if_ioctl(name, SIOCSIFADDR, &ifr, "SIOCSIFADDR") != 0)
			return 1;
	}
	if (have_mask) {
		ifr_setsin(&ifr, name, mask);
		if (if_ioctl(name, SIOCSIFNETMASK, &ifr, "SIOCSIFNETMASK") != 0)
			return 1;
	}
	if (mtu != -1) {
		ifr_init(&ifr, name);
		ifr.ifr_mtu = mtu;
		if (if_ioctl(name, SIOCSIFMTU, &ifr, "SIOCSIFMTU") != 0)
			return 1;
	}
	if (up != -1 && set_flag(name, IFF_UP, up == 1) != 0)
		return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct ifreq ifr;
	bool all;
	int rv;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	all = argc == 2 && strcmp(argv[1], "-a") == 0;
	if (argc < 2 || (!all && argv[1][0] == '-')) {
		usage(stderr);
		return 2;
	}
	if (!all && strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, PROG ": %s: name too long\n", argv[1]);
		return 2;
	}
	if (rumpclient_init() != 0) {
		warn_errno("rumpclient_init", errno);
		return 1;
	}
	if ((sock = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
		warn_errno("socket", errno);
		return 1;
	}
	if (all)
		rv = show(NULL);
	else if (argc == 2)
		rv = show(argv[1]);
	else {
		ifr_init(&ifr, argv[1]);
		if (if_ioctl(argv[1], SIOCGIFINDEX, &ifr, NULL) != 0) {
			fprintf(stderr, PROG ": %s: %s\n", argv[1],
			        errno == ENODEV ? "no such interface"
			                        : strerror(errno));
			return 1;
		}
		rv = configure(argv[1], argc - 2, argv + 2);
	}
	rump_sys_close(sock);
	return rv;
}
