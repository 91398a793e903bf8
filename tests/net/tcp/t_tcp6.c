/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP over IPv6 inside one kernel (::1 on lo0), and dual-stack sockets:
 *
 *   echo6          connect/accept over ::1, exact bytes both ways; the
 *                  names (getsockname, getpeername, accept) are 28-byte
 *                  sockaddr_in6; TCP_INFO with lo0's MSS for IPv6; the
 *                  connections in net.inet6.tcp6.pcblist, not in
 *                  net.inet.tcp.pcblist
 *   bulk6          32 MiB one way with FNV-1a hash compared, and EOF
 *   refused6       SYN to a closed port of ::1: RST, ECONNREFUSED
 *   bind6          EADDRINUSE, EAFNOSUPPORT, EINVAL, EADDRNOTAVAIL
 *   dualstack      a :: listener accepts an IPv4 client as
 *                  ::ffff:127.0.0.1 (and is ::ffff:127.0.0.1 itself on
 *                  the accepted socket); an AF_INET6 socket connects to
 *                  ::ffff:127.0.0.1; the :: listener holds the port
 *                  against IPv4 binds
 *   v6only         IPV6_V6ONLY: an IPv4 client is refused, an IPv4
 *                  socket may bind the port, v4-mapped bind and connect
 *                  are refused, the option is fixed once bound
 *   pmtu6          an ICMPv6 packet too big (MTU 1300, then 1000) quoting
 *                  an unacknowledged segment lowers the connection's
 *                  segment size (TCP_INFO tcpi_pmtu, tcpi_snd_mss; 1280
 *                  at least) and the data still arrives exact; one
 *                  quoting a sequence number outside the window is
 *                  ignored
 *   crafted6       segments injected on shmif0 as from a neighbour: a
 *                  SYN with a right checksum makes a SYN cache entry,
 *                  one with a wrong checksum, a short one, data offsets
 *                  too small and too big are dropped and counted
 *                  exactly, one from a multicast source never gets an
 *                  answer; a SYN to a closed
 *                  port draws an RST; then 2000 random segments with
 *                  right checksums (option storms, any flags), and ::1
 *                  still serves
 *   opts6          IPV6_UNICAST_HOPS and IPV6_TCLASS on a connection: its
 *                  segments carry them (a raw IPPROTO_TCP socket's
 *                  IPV6_HOPLIMIT and IPV6_TCLASS control messages);
 *                  getsockopt gives them back, IPV6_MTU the path's
 *   rfc5961_6      segments sent into a ::1 connection through a raw
 *                  IPPROTO_TCP socket: an in-window RST and a SYN draw
 *                  challenge ACKs and change nothing, one far outside
 *                  the window is ignored, the exact RST resets
 *   unreach6       ICMPv6 destination unreachable quoting a SYN: port
 *                  unreachable refuses the connection at once, address
 *                  unreachable is a soft error reported at the timeout
 *
 * Segments are kept unacknowledged with net.inet.tcp.drop_port; a raw
 * IPPROTO_TCP socket sees them (as on Linux) to quote their header.
 */
#include <netinet/tcp.h>
#include <pthread.h>

#include "../inet6/h_inet6.h"
#include "../inet/kernspace/inetspace.h"
#include "../../../sys/netinet/tcp_stat.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

static uint64_t
fnv1a(uint64_t h, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
pattern(unsigned char *buf, size_t len, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
}

static void
write_all(int s, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = rump_sys_write(s, p, len);

		REQUIRE(n > 0);
		p += n;
		len -= (size_t)n;
	}
}

static void
read_all(int s, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = rump_sys_read(s, p, len);

		if (n <= 0)
			TEST_FAIL("read returned %zd (errno %d) with %zu to go",
			    n, errno, len);
		p += n;
		len -= (size_t)n;
	}
}

/* A TCP listener of family AF_INET6 bound to addr (port 0: ephemeral). */
static int
listener6(const char *addr, int port, int v6only)
{
	struct sockaddr_in6 s = sin6_make(addr, port, 0);
	int fd;

	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	if (v6only >= 0)
		REQUIRE_OK(rump_sys_setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		    &v6only, sizeof(v6only)));
	REQUIRE_OK(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)));
	REQUIRE_OK(rump_sys_listen(fd, 8));
	return fd;
}

static int
connect6(const char *addr, int port)
{
	struct sockaddr_in6 s = sin6_make(addr, port, 0);
	int fd;

	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(fd, (struct sockaddr *)&s, sizeof(s)));
	return fd;
}

static struct sockaddr_in
sin_make(const char *addr, int port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons((uint16_t)port);
	REQUIRE(inet_pton(AF_INET, addr, &s.sin_addr) == 1);
	return s;
}

/* A name as "addr port" (len checked: sockaddr_in6). */
static void
name6(int fd, bool peer, char *buf, size_t size)
{
	struct sockaddr_in6 s;
	unsigned len = sizeof(s) + 4;
	char a[INET6_ADDRSTRLEN];

	memset(&s, 0xa5, sizeof(s));
	if (peer)
		REQUIRE_OK(rump_sys_getpeername(fd, (struct sockaddr *)&s, &len));
	else
		REQUIRE_OK(rump_sys_getsockname(fd, (struct sockaddr *)&s, &len));
	REQUIRE_EQ(len, 28);
	REQUIRE_EQ(s.sin6_family, AF_INET6);
	REQUIRE_EQ(s.sin6_flowinfo, 0);
	REQUIRE(inet_ntop(AF_INET6, &s.sin6_addr, a, sizeof(a)) != NULL);
	snprintf(buf, size, "%s %d %u", a, ntohs(s.sin6_port), s.sin6_scope_id);
}

static void
echo_check(int a, int b, unsigned seed)
{
	unsigned char out[3000], in[3000];

	pattern(out, sizeof(out), seed);
	write_all(a, out, sizeof(out));
	read_all(b, in, sizeof(in));
	REQUIRE(memcmp(in, out, sizeof(out)) == 0);
	write_all(b, in, sizeof(in));
	memset(in, 0, sizeof(in));
	read_all(a, in, sizeof(in));
	REQUIRE(memcmp(in, out, sizeof(out)) == 0);
}

static struct tcp_info
tcpinfo(int fd)
{
	struct tcp_info ti;
	unsigned len = sizeof(ti);

	REQUIRE_OK(rump_sys_getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len));
	REQUIRE_EQ(len, sizeof(ti));
	return ti;
}

/*
 * net.inet6.tcp6.pcblist: the listener on ::1 port and both ends of the
 * connection from cport; net.inet.tcp.pcblist has none of them.
 */
static void
pcblists(int port, int cport)
{
	struct tcp6_conninfo ci[8];
	struct tcp_conninfo ci4[8];
	size_t len = sizeof(ci);
	struct in6_addr lo = IN6ADDR_LOOPBACK_INIT;
	int i, lis = 0, est = 0;

	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet6.tcp6.pcblist", ci, &len,
	    NULL, 0), 0);
	REQUIRE_EQ(len, 3 * sizeof(ci[0]));
	for (i = 0; i < 3; i++) {
		REQUIRE(memcmp(ci[i].tci6_laddr, &lo, 16) == 0);
		if (ci[i].tci6_state == TCP_LISTEN) {
			REQUIRE_EQ(ntohs(ci[i].tci6_lport), port);
			lis++;
			continue;
		}
		REQUIRE_EQ(ci[i].tci6_state, TCP_ESTABLISHED);
		REQUIRE(memcmp(ci[i].tci6_faddr, &lo, 16) == 0);
		REQUIRE((ntohs(ci[i].tci6_lport) == port &&
		    ntohs(ci[i].tci6_fport) == cport) ||
		    (ntohs(ci[i].tci6_lport) == cport &&
		    ntohs(ci[i].tci6_fport) == port));
		est++;
	}
	REQUIRE_EQ(lis, 1);
	REQUIRE_EQ(est, 2);
	len = sizeof(ci4);
	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.pcblist", ci4, &len,
	    NULL, 0), 0);
	REQUIRE_EQ(len, 0);
}

TESTCASE(echo6)
{
	struct sockaddr_in6 from;
	unsigned fromlen = sizeof(from);
	char want[80], got[80], fa[INET6_ADDRSTRLEN];
	struct tcp_info ti;
	int l, c, a, port;

	l = listener6("::1", 0, -1);
	port = sock6_port(l);
	c = connect6("::1", port);
	REQUIRE_OK(a = rump_sys_accept(l, (struct sockaddr *)&from, &fromlen));
	REQUIRE_EQ(fromlen, 28);
	REQUIRE_EQ(from.sin6_family, AF_INET6);
	REQUIRE(inet_ntop(AF_INET6, &from.sin6_addr, fa, sizeof(fa)) != NULL);
	REQUIRE(strcmp(fa, "::1") == 0);
	REQUIRE_EQ(ntohs(from.sin6_port), sock6_port(c));

	name6(c, true, got, sizeof(got));
	snprintf(want, sizeof(want), "::1 %d 0", port);
	REQUIRE(strcmp(got, want) == 0);
	name6(a, false, got, sizeof(got));
	REQUIRE(strcmp(got, want) == 0);
	name6(a, true, got, sizeof(got));
	snprintf(want, sizeof(want), "::1 %d 0", sock6_port(c));
	REQUIRE(strcmp(got, want) == 0);
	echo_check(c, a, 1);
	echo_check(a, c, 2);

	/* lo0: MTU 65536, capped at 65535; less 40 + 20 and 12 of timestamps. */
	ti = tcpinfo(c);
	REQUIRE_EQ(ti.tcpi_state, TCP_ESTABLISHED);
	REQUIRE_EQ(ti.tcpi_advmss, 65535 - 60);
	REQUIRE_EQ(ti.tcpi_snd_mss, 65535 - 60 - 12);
	REQUIRE_EQ(ti.tcpi_pmtu, 65535);
	REQUIRE(ti.tcpi_options & TCPI_OPT_TIMESTAMPS);
	REQUIRE(ti.tcpi_options & TCPI_OPT_SACK);
	REQUIRE(ti.tcpi_options & TCPI_OPT_WSCALE);
	REQUIRE_EQ(tcpinfo(l).tcpi_state, TCP_LISTEN);
	pcblists(port, sock6_port(c));

	REQUIRE_OK(rump_sys_shutdown(c, SHUT_WR));
	REQUIRE_EQ(rump_sys_read(a, got, sizeof(got)), 0);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_EQ(rump_sys_read(c, got, sizeof(got)), 0);
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(l));
}

struct writer {
	int fd;
	const unsigned char *buf;
	size_t len;
};

static void *
writer(void *arg)
{
	struct writer *w = arg;

	write_all(w->fd, w->buf, w->len);
	REQUIRE_OK(rump_sys_shutdown(w->fd, SHUT_WR));
	return NULL;
}

/* len bytes from a to b (a writer thread), their hash compared. */
static void
bulk(int a, int b, size_t len)
{
	unsigned char *out = malloc(len), *in = malloc(1 << 16);
	uint64_t hin = 0xcbf29ce484222325ULL, hout;
	struct writer w = { a, out, len };
	pthread_t t;
	size_t got = 0;
	ssize_t n;

	REQUIRE(out != NULL && in != NULL);
	pattern(out, len, 7);
	hout = fnv1a(0xcbf29ce484222325ULL, out, len);
	REQUIRE_EQ(pthread_create(&t, NULL, writer, &w), 0);
	while ((n = rump_sys_read(b, in, 1 << 16)) > 0) {
		hin = fnv1a(hin, in, (size_t)n);
		got += (size_t)n;
	}
	REQUIRE_EQ(n, 0);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE_EQ(got, len);
	REQUIRE_EQ(hin, hout);
	free(out);
	free(in);
}

TESTCASE(bulk6)
{
	int l, c, a;

	l = listener6("::", 0, -1);
	c = connect6("::1", sock6_port(l));
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	bulk(c, a, 32 << 20);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(l));
}

TESTCASE(refused6)
{
	struct sockaddr_in6 s;
	int l, fd, port;

	/* A port known closed: bound once, then closed. */
	l = listener6("::1", 0, -1);
	port = sock6_port(l);
	REQUIRE_OK(rump_sys_close(l));
	s = sin6_make("::1", port, 0);
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&s, sizeof(s)),
	    ECONNREFUSED);
	REQUIRE_OK(rump_sys_close(fd));
	/* The unspecified address is this host, as on Linux. */
	s = sin6_make("::", port, 0);
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&s, sizeof(s)),
	    ECONNREFUSED);
	REQUIRE_OK(rump_sys_close(fd));
}

TESTCASE(bind6)
{
	struct sockaddr_in6 s;
	struct sockaddr_in sin = sin_make("127.0.0.1", 0);
	struct sockaddr_storage ss;
	int l, fd, port, one = 1;

	l = listener6("::1", 0, -1);
	port = sock6_port(l);
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	s = sin6_make("::1", port, 0);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRINUSE);
	s = sin6_make("::", port, 0);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRINUSE);
	/* SO_REUSEADDR does not share with a listener. */
	REQUIRE_OK(rump_sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)));
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRINUSE);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    EINVAL);
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, &sin, sizeof(sin));
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&ss, 28),
	    EAFNOSUPPORT);
	s = sin6_make("2001:db8::1", 0, 0);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRNOTAVAIL);
	s = sin6_make("ff02::1", 0, 0);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRNOTAVAIL);
	s = sin6_make("::ffff:10.9.9.9", 0, 0);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRNOTAVAIL);
	/* An IPv4 socket may take the port of a ::1 listener. */
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(fd = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	sin = sin_make("127.0.0.1", port);
	REQUIRE_OK(rump_sys_bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(rump_sys_close(fd));
	/* Bound: the port is the same, the address ::1. */
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	s = sin6_make("::1", 0, 0);
	REQUIRE_OK(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)));
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EINVAL);
	REQUIRE(sock6_port(fd) >= 32768 && sock6_port(fd) <= 60999);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_close(l));
}

TESTCASE(dualstack)
{
	struct sockaddr_in6 from;
	struct sockaddr_in sin;
	unsigned fromlen = sizeof(from);
	char want[80], got[80];
	int l, c, a, c6, a6, fd, port, v = -1;
	unsigned vlen = sizeof(v);

	l = listener6("::", 0, -1);
	REQUIRE_OK(rump_sys_getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, &vlen));
	REQUIRE_EQ(v, 0);
	port = sock6_port(l);

	/* An IPv4 client. */
	sin = sin_make("127.0.0.1", port);
	REQUIRE_OK(c = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(a = rump_sys_accept(l, (struct sockaddr *)&from, &fromlen));
	REQUIRE_EQ(fromlen, 28);
	REQUIRE(inet_ntop(AF_INET6, &from.sin6_addr, got, sizeof(got)) != NULL);
	REQUIRE(strcmp(got, "::ffff:127.0.0.1") == 0);
	{
		struct sockaddr_in cs;
		unsigned cl = sizeof(cs);

		REQUIRE_OK(rump_sys_getsockname(c, (struct sockaddr *)&cs, &cl));
		REQUIRE_EQ(cl, sizeof(cs));
		REQUIRE_EQ(from.sin6_port, cs.sin_port);
		snprintf(want, sizeof(want), "::ffff:127.0.0.1 %d 0",
		    ntohs(cs.sin_port));
	}
	name6(a, true, got, sizeof(got));
	REQUIRE(strcmp(got, want) == 0);
	name6(a, false, got, sizeof(got));
	snprintf(want, sizeof(want), "::ffff:127.0.0.1 %d 0", port);
	REQUIRE(strcmp(got, want) == 0);
	echo_check(c, a, 3);
	REQUIRE_EQ(tcpinfo(a).tcpi_snd_mss, 65535 - 40 - 12);

	/* An AF_INET6 client of a v4-mapped address: IPv4 underneath. */
	c6 = connect6("::ffff:127.0.0.1", port);
	REQUIRE_OK(a6 = rump_sys_accept(l, NULL, NULL));
	name6(c6, true, got, sizeof(got));
	snprintf(want, sizeof(want), "::ffff:127.0.0.1 %d 0", port);
	REQUIRE(strcmp(got, want) == 0);
	name6(c6, false, got, sizeof(got));
	REQUIRE(strncmp(got, "::ffff:127.0.0.1 ", 17) == 0);
	echo_check(c6, a6, 4);

	/* The :: listener holds the port for IPv4 too. */
	REQUIRE_OK(fd = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	sin = sin_make("0.0.0.0", port);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    EADDRINUSE);
	sin = sin_make("127.0.0.1", port);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    EADDRINUSE);
	REQUIRE_OK(rump_sys_close(fd));

	REQUIRE_OK(rump_sys_close(a6));
	REQUIRE_OK(rump_sys_close(c6));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(l));
}

TESTCASE(v6only)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 s;
	int l, fd, fd4, c, a, port, one = 1;

	l = listener6("::", 0, 1);
	port = sock6_port(l);
	REQUIRE_ERRNO(rump_sys_setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)), EINVAL);

	/* IPv4 to the port: nobody there. */
	sin = sin_make("127.0.0.1", port);
	REQUIRE_OK(fd = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&sin,
	    sizeof(sin)), ECONNREFUSED);
	REQUIRE_OK(rump_sys_close(fd));

	/* An IPv4 listener may share the port number, and gets the IPv4 client. */
	REQUIRE_OK(fd4 = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	sin = sin_make("0.0.0.0", port);
	REQUIRE_OK(rump_sys_bind(fd4, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(rump_sys_listen(fd4, 1));
	sin = sin_make("127.0.0.1", port);
	REQUIRE_OK(c = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(a = rump_sys_accept(fd4, NULL, NULL));
	echo_check(c, a, 5);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(c));
	/* And the IPv6 client still reaches the IPv6 listener. */
	c = connect6("::1", port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	echo_check(c, a, 6);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(c));

	/* A v6-only socket refuses v4-mapped addresses. */
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)));
	s = sin6_make("::ffff:127.0.0.1", port, 0);
	REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&s, sizeof(s)),
	    ENETUNREACH);
	s = sin6_make("::ffff:127.0.0.1", 0, 0);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRNOTAVAIL);
	REQUIRE_OK(rump_sys_close(fd));
	/* Without it, :: on the port conflicts with the IPv4 listener. */
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	s = sin6_make("::", port, 0);
	REQUIRE_ERRNO(rump_sys_bind(fd, (struct sockaddr *)&s, sizeof(s)),
	    EADDRINUSE);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_close(fd4));
	REQUIRE_OK(rump_sys_close(l));
}

/*
 * An ICMPv6 error (type, code; mtu for packet too big) to ::1, quoting a
 * segment from ::1 port sport to ::1 port dport with sequence number seq.
 */
static void
send_icmp6(int icmp, int type, int code, uint32_t mtu, uint16_t sport,
    uint16_t dport, uint32_t seq)
{
	unsigned char msg[8 + 40 + 20];
	struct ip6_hdr ip6;
	struct sockaddr_in6 to = sin6_make("::1", 0, 0);
	uint32_t v;
	uint16_t p;

	memset(msg, 0, sizeof(msg));
	msg[0] = (unsigned char)type;
	msg[1] = (unsigned char)code;
	v = htonl(mtu);
	memcpy(msg + 4, &v, 4);
	memset(&ip6, 0, sizeof(ip6));
	ip6.ip6_flow = htonl(0x60000000);
	ip6.ip6_plen = htons(1400);
	ip6.ip6_nxt = IPPROTO_TCP;
	ip6.ip6_hlim = 64;
	ip6.ip6_src = to.sin6_addr;
	ip6.ip6_dst = to.sin6_addr;
	memcpy(msg + 8, &ip6, 40);
	p = htons(sport);
	memcpy(msg + 48, &p, 2);
	p = htons(dport);
	memcpy(msg + 50, &p, 2);
	v = htonl(seq);
	memcpy(msg + 52, &v, 4);
	msg[60] = 0x50;
	msg[61] = 0x18;
	REQUIRE_EQ(rump_sys_sendto(icmp, msg, sizeof(msg), 0,
	    (struct sockaddr *)&to, sizeof(to)), (ssize_t)sizeof(msg));
}

static void
send_ptb(int icmp, uint32_t mtu, uint16_t sport, uint16_t dport, uint32_t seq)
{
	send_icmp6(icmp, ICMP6_PACKET_TOO_BIG, 0, mtu, sport, dport, seq);
}

/* The sequence number of the next segment from sport seen on raw (data: with some). */
static uint32_t
seen_seg(int raw, uint16_t sport, bool data)
{
	unsigned char seg[2048];
	uint16_t p;
	uint32_t seq;
	ssize_t n;

	for (;;) {
		REQUIRE_EQ(wait_readable(raw, 5000), 1);
		REQUIRE_OK(n = rump_sys_recvfrom(raw, seg, sizeof(seg), 0, NULL, NULL));
		memcpy(&p, seg, 2);
		if ((!data || n > (seg[12] >> 4) * 4) && ntohs(p) == sport)
			break;
	}
	memcpy(&seq, seg + 4, 4);
	return ntohl(seq);
}

TESTCASE(pmtu6)
{
	enum { LEN = 200000 };
	static unsigned char out[LEN], in[LEN];
	struct tcp_info ti;
	int l, c, a, raw, icmp, port, cport;
	uint32_t seq;

	l = listener6("::1", 0, -1);
	port = sock6_port(l);
	c = connect6("::1", port);
	cport = sock6_port(c);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(raw = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_OK(icmp = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	REQUIRE_EQ(tcpinfo(c).tcpi_pmtu, 65535);

	/* The server drops what comes: the client's data stays unacknowledged. */
	sysctl_setint("net.inet.tcp.drop_port", port);
	pattern(out, sizeof(out), 9);
	write_all(c, out, 1000);
	seq = seen_seg(raw, (uint16_t)cport, true);

	/* Outside the window: ignored. */
	send_ptb(icmp, 1300, (uint16_t)cport, (uint16_t)port, seq + 100000);
	msleep(100);
	REQUIRE_EQ(tcpinfo(c).tcpi_pmtu, 65535);

	send_ptb(icmp, 1300, (uint16_t)cport, (uint16_t)port, seq);
	msleep(100);
	ti = tcpinfo(c);
	REQUIRE_EQ(ti.tcpi_pmtu, 1300);
	REQUIRE_EQ(ti.tcpi_snd_mss, 1300 - 60 - 12);
	/* Below IPv6's minimum: 1280. */
	send_ptb(icmp, 1000, (uint16_t)cport, (uint16_t)port, seq);
	msleep(100);
	ti = tcpinfo(c);
	REQUIRE_EQ(ti.tcpi_pmtu, 1280);
	REQUIRE_EQ(ti.tcpi_snd_mss, 1280 - 60 - 12);

	sysctl_setint("net.inet.tcp.drop_port", 0);
	write_all(c, out + 1000, LEN - 1000);
	read_all(a, in, LEN);
	REQUIRE(memcmp(in, out, LEN) == 0);
	/* The segments the server got were no bigger. */
	REQUIRE(tcpinfo(a).tcpi_rcv_mss <= 1280 - 60 - 12);
	REQUIRE_OK(rump_sys_close(raw));
	REQUIRE_OK(rump_sys_close(icmp));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(l));
}

/*
 * A connection attempt whose SYN (dropped by drop_port) draws an ICMPv6
 * error: port unreachable ends it at once with ECONNREFUSED; address
 * unreachable is a soft error (RFC 1122 4.2.3.9) that the attempt
 * reports when it times out (TCP_SYNCNT 1), instead of ETIMEDOUT.
 */
static int
syn_answered(int raw, int icmp, int port, int code)
{
	struct sockaddr_in6 s = sin6_make("::1", port, 0), me;
	unsigned len = sizeof(me);
	struct pollfd pfd;
	int fd, one = 1, err = 0;
	uint32_t seq;

	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &one,
	    sizeof(one)));
	me = sin6_make("::1", 0, 0);
	REQUIRE_OK(rump_sys_bind(fd, (struct sockaddr *)&me, sizeof(me)));
	REQUIRE_OK(rump_sys_getsockname(fd, (struct sockaddr *)&me, &len));
	REQUIRE_OK(rump_sys_fcntl(fd, F_SETFL, O_NONBLOCK));
	REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&s, sizeof(s)),
	    EINPROGRESS);
	seq = seen_seg(raw, ntohs(me.sin6_port), false);
	send_icmp6(icmp, ICMP6_DST_UNREACH, code, 0, ntohs(me.sin6_port),
	    (uint16_t)port, seq);
	pfd.fd = fd;
	pfd.events = POLLOUT;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 10000), 1);
	len = sizeof(err);
	REQUIRE_OK(rump_sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len));
	REQUIRE_OK(rump_sys_close(fd));
	return err;
}

TESTCASE(unreach6)
{
	struct timespec t0, t1;
	int l, raw, icmp, port;

	l = listener6("::1", 0, -1);
	port = sock6_port(l);
	REQUIRE_OK(raw = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_OK(icmp = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	sysctl_setint("net.inet.tcp.drop_port", port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	REQUIRE_EQ(syn_answered(raw, icmp, port, ICMP6_DST_UNREACH_NOPORT),
	    ECONNREFUSED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	REQUIRE(t1.tv_sec - t0.tv_sec < 1);
	REQUIRE_EQ(syn_answered(raw, icmp, port, ICMP6_DST_UNREACH_ADDR),
	    EHOSTUNREACH);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* The SYN and one retransmission, 1 s then 2 s. */
	REQUIRE(t0.tv_sec - t1.tv_sec >= 2);
	sysctl_setint("net.inet.tcp.drop_port", 0);
	REQUIRE_OK(rump_sys_close(raw));
	REQUIRE_OK(rump_sys_close(icmp));
	REQUIRE_OK(rump_sys_close(l));
}

static struct tcpstat
tcpstat_get(void)
{
	struct tcpstat st;

	get_stats("net.inet.tcp.stats", &st, sizeof(st));
	return st;
}

/* The counters once n more segments have reached TCP (input is queued). */
static struct tcpstat
tcpstat_after(const struct tcpstat *base, uint64_t n)
{
	struct tcpstat st;
	int i;

	for (i = 0; i < 500; i++) {
		st = tcpstat_get();
		if (st.tcps_rcvtotal - base->tcps_rcvtotal >= n)
			break;
		msleep(10);
	}
	return st;
}

static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x66 };

/*
 * A TCP segment from [2001:db8::99]:40000 to [dst]:dport with flags,
 * seq, data offset off (words), len bytes in all (at least 20; options
 * and data from opt), checksum right unless badsum; injected on shmif0.
 */
static void
inject(const uint8_t *mac, const char *src, const char *dst, int dport,
    int flags, uint32_t seq, int off, const uint8_t *opt, size_t len,
    bool badsum)
{
	uint8_t seg[200], frame[300];
	struct in6_addr s6, d6;
	uint16_t sum, v16;
	uint32_t v32;
	size_t flen;

	REQUIRE(len <= sizeof(seg));
	memset(seg, 0, sizeof(seg));
	v16 = htons(40000);
	memcpy(seg, &v16, 2);
	v16 = htons((uint16_t)dport);
	memcpy(seg + 2, &v16, 2);
	v32 = htonl(seq);
	memcpy(seg + 4, &v32, 4);
	seg[12] = (uint8_t)(off << 4);
	seg[13] = (uint8_t)flags;
	seg[14] = 0xff;
	if (len > 20 && opt != NULL)
		memcpy(seg + 20, opt, len - 20);
	REQUIRE(inet_pton(AF_INET6, src, &s6) == 1);
	REQUIRE(inet_pton(AF_INET6, dst, &d6) == 1);
	sum = cksum6(&s6, &d6, IPPROTO_TCP, seg, len);
	if (badsum)
		sum ^= 0x0100;
	memcpy(seg + 16, &sum, 2);
	flen = frame6(frame, mac, peer_mac, src, dst, IPPROTO_TCP, 64, seg,
	    len);
	REQUIRE_EQ(rump_test_inet_linkinput(frame, flen, "shmif0"), 0);
}

TESTCASE(crafted6)
{
	struct {
		char name[16];
		unsigned short family;
		uint8_t data[22];
	} ifr;
	struct tcpstat a, b;
	uint8_t mac[6], opt[180];
	char bus[64];
	uint64_t rs = 0x9e3779b97f4a7c15ULL;
	int unit, s, l, c, acc, i;

	snprintf(bus, sizeof(bus), "/tmp/t_tcp6.%d.bus", (int)getpid());
	unlink(bus);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	unlink(bus);
	REQUIRE_EQ(rump_pub_netconfig_ipv6_ifaddr("shmif0", "2001:db8::1", 64),
	    0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8927 /* SIOCGIFHWADDR */, &ifr));
	memcpy(mac, ifr.data, 6);
	REQUIRE_OK(rump_sys_close(s));
	msleep(2300);
	l = listener6("::", 7000, -1);

	a = tcpstat_get();
	inject(mac, "2001:db8::99", "2001:db8::1", 7000, TH_SYN, 1000, 5,
	    NULL, 20, false);
	b = tcpstat_after(&a, 1);
	REQUIRE_EQ(b.tcps_sc_added - a.tcps_sc_added, 1);
	REQUIRE_EQ(b.tcps_rcvtotal - a.tcps_rcvtotal, 1);

	a = b;
	inject(mac, "ff02::1", "2001:db8::1", 7000, TH_SYN, 1000, 5, NULL,
	    20, false);
	inject(mac, "2001:db8::98", "2001:db8::1", 7000, TH_SYN, 1000, 5,
	    NULL, 20, true);
	inject(mac, "2001:db8::98", "2001:db8::1", 7000, TH_SYN, 1000, 5,
	    NULL, 12, false);
	inject(mac, "2001:db8::98", "2001:db8::1", 7000, TH_SYN, 1000, 4,
	    NULL, 20, false);
	inject(mac, "2001:db8::98", "2001:db8::1", 7000, TH_SYN, 1000, 15,
	    NULL, 20, false);
	b = tcpstat_after(&a, 4);
	msleep(50);
	b = tcpstat_get();
	/* The multicast source is IPv6's to drop (RFC 4291 2.7). */
	REQUIRE_EQ(b.tcps_rcvtotal - a.tcps_rcvtotal, 4);
	REQUIRE_EQ(b.tcps_rcvbadsum - a.tcps_rcvbadsum, 1);
	REQUIRE_EQ(b.tcps_rcvshort - a.tcps_rcvshort, 1);
	REQUIRE_EQ(b.tcps_rcvbadoff - a.tcps_rcvbadoff, 2);
	REQUIRE_EQ(b.tcps_sc_added, a.tcps_sc_added);
	REQUIRE_EQ(b.tcps_noport, a.tcps_noport);

	a = b;
	inject(mac, "2001:db8::98", "2001:db8::1", 7001, TH_SYN, 1000, 5,
	    NULL, 20, false);
	b = tcpstat_after(&a, 1);
	REQUIRE_EQ(b.tcps_noport - a.tcps_noport, 1);
	/* The RST (the SYN cache may resend its SYN-ACK meanwhile). */
	REQUIRE(b.tcps_sndctrl - a.tcps_sndctrl >= 1);

	/* Anything with a right checksum: options, flags, lengths. */
	for (i = 0; i < 2000; i++) {
		size_t len, k;
		int off;

		for (k = 0; k < sizeof(opt); k++) {
			rs ^= rs << 13;
			rs ^= rs >> 7;
			rs ^= rs << 17;
			opt[k] = (uint8_t)(k % 3 == 0 ? rs % 9 : rs >> 8);
		}
		len = 20 + (size_t)(rs % 161);
		off = 5 + (int)((rs >> 16) % 11);
		inject(mac, "2001:db8::97", "2001:db8::1", (rs >> 20) % 4 ?
		    7000 : 7002, (int)(rs >> 24) & 0x3f, (uint32_t)(rs >> 32),
		    off, opt, len, false);
	}
	c = connect6("::1", 7000);
	REQUIRE_OK(acc = rump_sys_accept(l, NULL, NULL));
	echo_check(c, acc, 11);
	REQUIRE_OK(rump_sys_close(acc));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(l));
}

TESTCASE(opts6)
{
	union {
		struct cmsghdr align;
		char buf[256];
	} cbuf;
	unsigned char data[2048];
	struct msghdr msg;
	struct cmsghdr *cm;
	struct iovec iov;
	int l, c, acc, raw, cport, on = 1, hl = 7, tc = 0x28, v, hlim, tclass;
	unsigned vlen = sizeof(v);
	ssize_t n;
	uint16_t sp;

	l = listener6("::1", 0, -1);
	c = connect6("::1", sock6_port(l));
	cport = sock6_port(c);
	REQUIRE_OK(acc = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_getsockopt(c, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v,
	    &vlen));
	REQUIRE_EQ(v, 64);
	REQUIRE_OK(rump_sys_getsockopt(c, IPPROTO_IPV6, IPV6_MTU, &v, &vlen));
	REQUIRE_EQ(v, 65536);
	REQUIRE_OK(rump_sys_setsockopt(c, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hl,
	    sizeof(hl)));
	REQUIRE_OK(rump_sys_setsockopt(c, IPPROTO_IPV6, IPV6_TCLASS, &tc,
	    sizeof(tc)));
	REQUIRE_OK(rump_sys_getsockopt(c, IPPROTO_IPV6, IPV6_TCLASS, &v,
	    &vlen));
	REQUIRE_EQ(v, tc);
	REQUIRE_OK(raw = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_OK(rump_sys_setsockopt(raw, IPPROTO_IPV6, IPV6_RECVHOPLIMIT,
	    &on, sizeof(on)));
	REQUIRE_OK(rump_sys_setsockopt(raw, IPPROTO_IPV6, IPV6_RECVTCLASS,
	    &on, sizeof(on)));
	REQUIRE_EQ(rump_sys_write(c, "opts", 4), 4);
	/* The first segment from cport with data. */
	do {
		REQUIRE_EQ(wait_readable(raw, 5000), 1);
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = data;
		iov.iov_len = sizeof(data);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		REQUIRE_OK(n = rump_sys_recvmsg(raw, &msg, 0));
		memcpy(&sp, data, 2);
	} while (ntohs(sp) != cport || n <= (data[12] >> 4) * 4);
	hlim = tclass = -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_type == IPV6_HOPLIMIT)
			memcpy(&hlim, CMSG_DATA(cm), sizeof(hlim));
		if (cm->cmsg_type == IPV6_TCLASS)
			memcpy(&tclass, CMSG_DATA(cm), sizeof(tclass));
	}
	REQUIRE_EQ(hlim, hl);
	REQUIRE_EQ(tclass, tc);
	REQUIRE_EQ(rump_sys_read(acc, data, 4), 4);
	REQUIRE(memcmp(data, "opts", 4) == 0);
	REQUIRE_OK(rump_sys_close(raw));
	REQUIRE_OK(rump_sys_close(acc));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(l));
}

/* A bare segment from ::1 port sport to ::1 port dport, by the raw socket. */
static void
raw_segment(int raw, uint16_t sport, uint16_t dport, uint32_t seq, int flags)
{
	struct sockaddr_in6 to = sin6_make("::1", 0, 0);
	unsigned char seg[20];
	uint16_t v16;
	uint32_t v32;

	memset(seg, 0, sizeof(seg));
	v16 = htons(sport);
	memcpy(seg, &v16, 2);
	v16 = htons(dport);
	memcpy(seg + 2, &v16, 2);
	v32 = htonl(seq);
	memcpy(seg + 4, &v32, 4);
	seg[12] = 5 << 4;
	seg[13] = (unsigned char)flags;
	seg[14] = 0x10;
	/* lo0 marks what it carries valid: no checksum needed. */
	REQUIRE_EQ(rump_sys_sendto(raw, seg, sizeof(seg), 0,
	    (struct sockaddr *)&to, sizeof(to)), (ssize_t)sizeof(seg));
}

TESTCASE(rfc5961_6)
{
	struct tcpstat a, b;
	char ch = 'x';
	int l, c, acc, raw, port, cport;
	uint32_t next;

	l = listener6("::1", 0, -1);
	port = sock6_port(l);
	c = connect6("::1", port);
	cport = sock6_port(c);
	REQUIRE_OK(acc = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(raw = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_EQ(rump_sys_write(c, &ch, 1), 1);
	/* The server's next expected sequence number: after that byte. */
	next = seen_seg(raw, (uint16_t)cport, true) + 1;
	REQUIRE_EQ(rump_sys_read(acc, &ch, 1), 1);

	a = tcpstat_get();
	raw_segment(raw, (uint16_t)cport, (uint16_t)port, next + 1000, TH_RST);
	raw_segment(raw, (uint16_t)cport, (uint16_t)port, next + 5, TH_SYN);
	raw_segment(raw, (uint16_t)cport, (uint16_t)port, next + (1u << 30),
	    TH_RST);
	b = tcpstat_after(&a, 3);
	msleep(100);
	b = tcpstat_get();
	REQUIRE_EQ(b.tcps_challengeack - a.tcps_challengeack, 2);
	REQUIRE_EQ(b.tcps_synignored - a.tcps_synignored, 1);
	echo_check(c, acc, 12);

	/* echo_check moved both ways: find the next sequence number again. */
	msleep(100);
	while (wait_readable(raw, 0) == 1) {
		unsigned char junk[2048];

		REQUIRE_OK(rump_sys_recvfrom(raw, junk, sizeof(junk), 0, NULL,
		    NULL));
	}
	REQUIRE_EQ(rump_sys_write(c, &ch, 1), 1);
	next = seen_seg(raw, (uint16_t)cport, true) + 1;
	REQUIRE_EQ(rump_sys_read(acc, &ch, 1), 1);
	raw_segment(raw, (uint16_t)cport, (uint16_t)port, next, TH_RST);
	REQUIRE_ERRNO(rump_sys_read(acc, &ch, 1), ECONNRESET);
	REQUIRE_OK(rump_sys_close(acc));
	REQUIRE_OK(rump_sys_close(c));
	REQUIRE_OK(rump_sys_close(raw));
	REQUIRE_OK(rump_sys_close(l));
}

TESTS(CASE(echo6), CASE(bulk6), CASE(refused6), CASE(bind6), CASE(dualstack),
    CASE(v6only), CASE(pmtu6), CASE(crafted6), CASE(opts6), CASE(rfc5961_6),
    CASE(unreach6))
