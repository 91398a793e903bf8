/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.ifconfig: show and configure the interfaces of the kernel served
 * at $RUMP_SERVER (rump.ifconfig(8)).  The interfaces come from sysctl
 * net.interfaces (struct if_info, sys/net/if.h), their IPv6 addresses
 * from net.route.iflist (RTM_NEWADDR messages, sys/net/rtsock.h); IPv4
 * is Linux's ifreq ioctls on an AF_INET socket in that kernel, IPv6
 * Linux's SIOCSIFADDR/SIOCDIFADDR with a struct in6_ifreq on an AF_INET6
 * one, whose numbers and layouts the kernel shares with the host's
 * headers.  Creating and destroying interfaces and their link strings
 * are the original's ioctls, at the numbers <rump/rumpdefs.h> gives.
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
#define K_IFF_LOWER_UP 0x10000 /* Linux's (<linux/if.h>): the link is there */
#define IFT_ETHER      1

/* net.route.iflist's messages (sys/net/rtsock.h). */
#define K_AF_ROUTE    16
#define NET_RT_IFLIST 3
#define RTM_NEWADDR   0xc
#define RTA_NETMASK   0x04
#define RTA_IFA       0x20
#define RTAX_MAX      8
/* ifam_addrflags of an IPv6 address (RT_IN6_*). */
static const struct {
	int bit;
	const char *name;
} in6flags[] = {
    {0x01, "tentative"},  {0x02, "duplicated"}, {0x40, "detached"},
    {0x04, "deprecated"}, {0x08, "autoconf"},
};
struct ifa_msghdr {
	uint16_t ifam_msglen;
	uint8_t ifam_version;
	uint8_t ifam_type;
	uint16_t ifam_index;
	uint16_t ifam_pad;
	int32_t ifam_flags;
	int32_t ifam_addrs;
	int32_t ifam_metric;
	int32_t ifam_addrflags;
};

/* Linux's struct in6_ifreq (<linux/ipv6.h>), which glibc does not give. */
struct k_in6_ifreq {
	struct in6_addr ifr6_addr;
	uint32_t ifr6_prefixlen;
	int ifr6_ifindex;
};

/* SIOCGIFALIFETIME's struct in6_ifalifetime (sys/netinet6/in6_var.h). */
struct k_in6_ifalifetime {
	struct in6_addr ifal_addr;
	int32_t ifal_ifindex;
	uint32_t ifal_flags;
	uint32_t ifal_pltime;
	uint32_t ifal_vltime;
};

static int sock = -1, sock6 = -1;
static uint8_t *iflist; /* net.route.iflist, or NULL */
static size_t iflistlen;

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
	        "       rump.ifconfig IF inet6 ADDR[/LEN] [prefixlen N] "
	        "[-alias|delete]\n"
	        "       rump.ifconfig IF create | destroy | linkstr STR | "
	        "-linkstr\n"
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
    {K_IFF_LOWER_UP, "LOWER_UP"},
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

/* The link string's line, if the interface has one. */
static int
show_linkstr(const char *name)
{
	struct rump_ifdrv ifd;
	char *str;

	memset(&ifd, 0, sizeof(ifd));
	strncpy(ifd.ifd_name, name, IFNAMSIZ - 1);
	ifd.ifd_cmd = RUMP_IFLINKSTR_QUERYLEN;
	if (rump_sys_ioctl(sock, RUMP_SIOCGLINKSTR, &ifd) != 0)
		return 0; /* none, or the driver has none */
	if (ifd.ifd_len == 0 || ifd.ifd_len > RUMP_IFLINKSTR_MAXLEN ||
	    (str = malloc(ifd.ifd_len)) == NULL) {
		warn_errno("SIOCGLINKSTR", ENOMEM);
		return -1;
	}
	ifd.ifd_cmd = 0;
	ifd.ifd_data = str;
	if (rump_sys_ioctl(sock, RUMP_SIOCGLINKSTR, &ifd) != 0) {
		warn_errno("SIOCGLINKSTR", errno);
		free(str);
		return -1;
	}
	str[ifd.ifd_len - 1] = '\0';
	printf("\tlinkstr: %s\n", str);
	free(str);
	return 0;
}

/* Fetch net.route.iflist once; quietly none if the kernel has none. */
static void
iflist_fetch(void)
{
	int mib[3] = {RUMP_CTL_NET, K_AF_ROUTE, NET_RT_IFLIST};
	size_t len = 0;

	for (int tries = 0; tries < 4 && iflist == NULL; tries++) {
		if (rump_sys___sysctl(mib, 3, NULL, &len, NULL, 0) != 0)
			return;
		len += 1024;
		if ((iflist = malloc(len)) == NULL)
			return;
		if (rump_sys___sysctl(mib, 3, iflist, &len, NULL, 0) == 0) {
			iflistlen = len;
			return;
		}
		free(iflist);
		iflist = NULL;
		if (errno != ENOMEM)
			return;
	}
}

static int
prefix_len6(const struct in6_addr *m)
{
	int len = 0;

	while (len < 128 && (m->s6_addr[len / 8] & (0x80 >> (len % 8))) != 0)
		len++;
	return len;
}

static void
print_lifetime(const char *what, uint32_t t)
{
	if (t == UINT32_MAX)
		printf(" %s infty", what);
	else
		printf(" %s %" PRIu32, what, t);
}

/* ` pltime N vltime N' for an address whose lifetimes end (seconds). */
static void
show_lifetimes(const struct if_info *ii, const struct in6_addr *a)
{
	struct k_in6_ifalifetime ifal;

	if (sock6 < 0 &&
	    (sock6 = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) < 0)
		return;
	memset(&ifal, 0, sizeof(ifal));
	ifal.ifal_addr = *a;
	ifal.ifal_ifindex = (int32_t)ii->ii_index;
	if (rump_sys_ioctl(sock6, RUMP_SIOCGIFALIFETIME, &ifal) != 0 ||
	    (ifal.ifal_pltime == UINT32_MAX && ifal.ifal_vltime == UINT32_MAX))
		return;
	print_lifetime("pltime", ifal.ifal_pltime);
	print_lifetime("vltime", ifal.ifal_vltime);
}

/*
 * The interface's IPv6 addresses, from its RTM_NEWADDR messages:
 * `inet6 ADDR[%IF]/LEN [scopeid 0xN]'.
 */
static int
show_inet6(const struct if_info *ii)
{
	struct ifa_msghdr ifam;
	struct sockaddr_in6 mask, addr;
	char buf[INET6_ADDRSTRLEN];
	size_t off = 0, a;

	for (; off + sizeof(ifam) <= iflistlen; off += ifam.ifam_msglen) {
		memcpy(&ifam, iflist + off, sizeof(ifam));
		if (ifam.ifam_msglen < sizeof(ifam) ||
		    ifam.ifam_msglen > iflistlen - off) {
			fprintf(stderr, PROG ": net.route.iflist: a message "
			                     "overruns the list\n");
			return -1;
		}
		if (ifam.ifam_type != RTM_NEWADDR ||
		    ifam.ifam_index != ii->ii_index ||
		    (ifam.ifam_addrs & (RTA_NETMASK | RTA_IFA)) !=
		        (RTA_NETMASK | RTA_IFA))
			continue;
		memset(&mask, 0, sizeof(mask));
		memset(&addr, 0, sizeof(addr));
		a = off + sizeof(ifam);
		for (int i = 0; i < RTAX_MAX; i++) {
			uint16_t fam;
			size_t salen;

			if ((ifam.ifam_addrs & (1 << i)) == 0)
				continue;
			if (a + 2 > off + ifam.ifam_msglen)
				break;
			memcpy(&fam, iflist + a, 2);
			salen = fam == AF_INET6 ? 28 : fam == AF_PACKET ? 20 : 16;
			if (a + salen > off + ifam.ifam_msglen)
				break;
			if ((1 << i) == RTA_NETMASK && fam == AF_INET6)
				memcpy(&mask, iflist + a, sizeof(mask));
			else if ((1 << i) == RTA_IFA && fam == AF_INET6)
				memcpy(&addr, iflist + a, sizeof(addr));
			a += (salen + 7) & ~(size_t)7;
		}
		if (addr.sin6_family != AF_INET6)
			continue;
		printf("\tinet6 %s",
		       inet_ntop(AF_INET6, &addr.sin6_addr, buf, sizeof(buf)));
		if (addr.sin6_scope_id != 0)
			printf("%%%s", ii->ii_name);
		printf("/%d", prefix_len6(&mask.sin6_addr));
		for (size_t i = 0; i < sizeof(in6flags) / sizeof(in6flags[0]);
		     i++)
			if ((ifam.ifam_addrflags & in6flags[i].bit) != 0)
				printf(" %s", in6flags[i].name);
		if (addr.sin6_scope_id != 0)
			printf(" scopeid 0x%" PRIx32, addr.sin6_scope_id);
		show_lifetimes(ii, &addr.sin6_addr);
		printf("\n");
	}
	return 0;
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
	if (show_linkstr(ii->ii_name) != 0)
		return -1;
	ifr_init(&ifr, ii->ii_name);
	if (rump_sys_ioctl(sock, SIOCGIFADDR, &ifr) != 0) {
		if (errno == EADDRNOTAVAIL)
			return show_inet6(ii);
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
	return show_inet6(ii);
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
	iflist_fetch();
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

/* ADDR[/LEN] as IPv6; *len -1 if no length.  0, or -1 (reported). */
static int
parse_addr6(const char *arg, struct in6_addr *addr, int *len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long l;

	*len = -1;
	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		l = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || l < 0 || l > 128)
			goto bad;
		*len = (int)l;
	}
	if (inet_pton(AF_INET6, buf, addr) == 1)
		return 0;
bad:
	fprintf(stderr, PROG ": %s: not an IPv6 address\n", arg);
	return -1;
}

/* SIOCSIFADDR or SIOCDIFADDR of an IPv6 address (the AF_INET6 socket). */
static int
set_addr6(const char *name, unsigned long cmd, const struct in6_addr *a,
          int len)
{
	struct k_in6_ifreq ifr6;
	struct ifreq ifr;
	char msg[64];

	if (sock6 < 0 &&
	    (sock6 = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) < 0) {
		warn_errno("socket AF_INET6", errno);
		return -1;
	}
	ifr_init(&ifr, name);
	if (if_ioctl(name, SIOCGIFINDEX, &ifr, "SIOCGIFINDEX") != 0)
		return -1;
	memset(&ifr6, 0, sizeof(ifr6));
	ifr6.ifr6_addr = *a;
	ifr6.ifr6_prefixlen = (uint32_t)len;
	ifr6.ifr6_ifindex = ifr.ifr_ifindex;
	if (rump_sys_ioctl(sock6, cmd, &ifr6) == 0)
		return 0;
	snprintf(msg, sizeof(msg), "%s %s",
	         cmd == SIOCSIFADDR ? "SIOCSIFADDR inet6" : "SIOCDIFADDR inet6",
	         name);
	warn_errno(msg, errno);
	return -1;
}

/* SIOCSLINKSTR (str NULL: unset). */
static int
set_linkstr(const char *name, const char *str)
{
	struct rump_ifdrv ifd;
	char msg[64];

	memset(&ifd, 0, sizeof(ifd));
	strncpy(ifd.ifd_name, name, IFNAMSIZ - 1);
	if (str == NULL) {
		ifd.ifd_cmd = RUMP_IFLINKSTR_UNSET;
	} else {
		ifd.ifd_len = strlen(str) + 1;
		ifd.ifd_data = (void *)(uintptr_t)str;
	}
	if (rump_sys_ioctl(sock, RUMP_SIOCSLINKSTR, &ifd) == 0)
		return 0;
	snprintf(msg, sizeof(msg), "%s %s",
	         str == NULL ? "-linkstr" : "linkstr", name);
	warn_errno(msg, errno);
	return -1;
}

/* SIOCIFCREATE or SIOCIFDESTROY. */
static int
clone_ioctl(const char *name, bool create)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	return if_ioctl(name, create ? RUMP_SIOCIFCREATE : RUMP_SIOCIFDESTROY,
	                &ifr, create ? "create" : "destroy");
}

/* The words after IF, parsed. */
struct request {
	struct in_addr addr, mask, del;
	struct in6_addr addr6;
	const char *linkstr;
	bool have_addr, have_mask, have_del, have_addr6, del6;
	bool create, destroy, unlinkstr;
	int len6, up, mtu;
};

/* 0, or 2 (reported). */
static int
parse_words(struct request *r, int argc, char **argv)
{
	bool inet6 = false;
	int len;
	char *end;
	long l;

	memset(r, 0, sizeof(*r));
	r->up = r->mtu = r->len6 = -1;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "inet") == 0) {
			inet6 = false;
		} else if (strcmp(w, "inet6") == 0) {
			inet6 = true;
		} else if (strcmp(w, "up") == 0 || strcmp(w, "down") == 0) {
			r->up = w[0] == 'u';
		} else if (strcmp(w, "create") == 0) {
			r->create = true;
		} else if (strcmp(w, "destroy") == 0) {
			r->destroy = true;
		} else if (strcmp(w, "-linkstr") == 0) {
			r->unlinkstr = true;
		} else if (strcmp(w, "mtu") == 0 || strcmp(w, "netmask") == 0 ||
		           strcmp(w, "prefixlen") == 0 ||
		           strcmp(w, "linkstr") == 0) {
			if (++i == argc) {
				fprintf(stderr, PROG ": %s: needs a value\n",
				        w);
				return 2;
			}
			if (w[0] == 'l') {
				if (argv[i][0] == '\0') {
					fprintf(stderr, PROG ": linkstr: "
					                     "empty\n");
					return 2;
				}
				r->linkstr = argv[i];
				continue;
			}
			if (w[0] == 'n') {
				if (parse_addr(argv[i], &r->mask, &len) != 0 ||
				    len != -1)
					return 2;
				r->have_mask = true;
				continue;
			}
			l = strtol(argv[i], &end, 10);
			if (*argv[i] == '\0' || *end != '\0' || l <= 0 ||
			    l > (w[0] == 'p' ? 128 : INT_MAX)) {
				fprintf(stderr, PROG ": %s %s: %s\n", w,
				        argv[i],
				        w[0] == 'p' ? "not a prefix length"
				                    : "not a number");
				return 2;
			}
			if (w[0] == 'p')
				r->len6 = (int)l;
			else
				r->mtu = (int)l;
		} else if (strcmp(w, "-alias") == 0 ||
		           strcmp(w, "delete") == 0) {
			if (inet6 || r->have_addr6) {
				r->del6 = true;
				continue;
			}
			r->del.s_addr = INADDR_ANY;
			if (i + 1 < argc &&
			    strchr("0123456789", argv[i + 1][0]) &&
			    parse_addr(argv[++i], &r->del, &len) != 0)
				return 2;
			r->have_del = true;
		} else if (inet6 && !r->have_addr6) {
			if (parse_addr6(w, &r->addr6, &len) != 0)
				return 2;
			if (len != -1)
				r->len6 = len;
			r->have_addr6 = true;
		} else if (!inet6 && !r->have_addr &&
		           strchr("0123456789", w[0]) != NULL) {
			if (parse_addr(w, &r->addr, &len) != 0)
				return 2;
			if (len != -1) {
				r->mask = len_mask(len);
				r->have_mask = true;
			}
			r->have_addr = true;
		} else {
			fprintf(stderr, PROG ": %s: unknown word\n", w);
			return 2;
		}
	}
	if (r->del6 && !r->have_addr6) {
		fprintf(stderr, PROG ": inet6 delete: needs an address\n");
		return 2;
	}
	if (r->len6 == -1)
		r->len6 = 64;
	return 0;
}

/*
 * Carry out the words, in this order whatever the order given: create,
 * link string, IPv4 removal, address, mask, IPv6 address, MTU, up or
 * down, destroy.  Exit status: 0, 1 (a request failed), 2 (usage).
 */
static int
configure(const char *name, int argc, char **argv)
{
	struct request r;
	struct ifreq ifr;
	int rv;

	if ((rv = parse_words(&r, argc, argv)) != 0)
		return rv;
	if (r.create && clone_ioctl(name, true) != 0)
		return 1;
	if (!r.create) {
		ifr_init(&ifr, name);
		if (if_ioctl(name, SIOCGIFINDEX, &ifr, NULL) != 0) {
			fprintf(stderr, PROG ": %s: %s\n", name,
			        errno == ENODEV ? "no such interface"
			                        : strerror(errno));
			return 1;
		}
	}
	if (r.unlinkstr && set_linkstr(name, NULL) != 0)
		return 1;
	if (r.linkstr != NULL && set_linkstr(name, r.linkstr) != 0)
		return 1;
	if (r.have_del) {
		ifr_setsin(&ifr, name, r.del);
		if (if_ioctl(name, SIOCDIFADDR, &ifr, "SIOCDIFADDR") != 0)
			return 1;
	}
	if (r.have_addr) {
		ifr_setsin(&ifr, name, r.addr);
		if (if_ioctl(name, SIOCSIFADDR, &ifr, "SIOCSIFADDR") != 0)
			return 1;
	}
	if (r.have_mask) {
		ifr_setsin(&ifr, name, r.mask);
		if (if_ioctl(name, SIOCSIFNETMASK, &ifr, "SIOCSIFNETMASK") != 0)
			return 1;
	}
	if (r.have_addr6 && set_addr6(name, r.del6 ? SIOCDIFADDR : SIOCSIFADDR,
	                              &r.addr6, r.len6) != 0)
		return 1;
	if (r.mtu != -1) {
		ifr_init(&ifr, name);
		ifr.ifr_mtu = r.mtu;
		if (if_ioctl(name, SIOCSIFMTU, &ifr, "SIOCSIFMTU") != 0)
			return 1;
	}
	if (r.up != -1 && set_flag(name, IFF_UP, r.up == 1) != 0)
		return 1;
	if (r.destroy && clone_ioctl(name, false) != 0)
		return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
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
	else
		rv = configure(argv[1], argc - 2, argv + 2);
	rump_sys_close(sock);
	if (sock6 >= 0)
		rump_sys_close(sock6);
	free(iflist);
	return rv;
}
