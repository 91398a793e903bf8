/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP over lo0 inside one kernel: connection set-up and transfer with
 * exact bytes, many connections at once, a full listen queue, half-close
 * both ways, RST from a closed port, SO_LINGER 0, non-blocking connect,
 * simultaneous open, urgent data, TCP_INFO, keepalive against a peer
 * that stops answering, a closed receive window (persist), SYN cookies,
 * and segments crafted through a raw socket: RFC 5961 challenge ACKs
 * for in-window RST and SYN, and option storms against a listener.
 *
 * Losing segments on purpose uses sysctl net.inet.tcp.drop_port: every
 * segment to or from that port is dropped on input, counted in
 * tcps_dropport.
 *
 * Listen backlog: as Linux, a listener holds backlog + 1 connections
 * not yet accepted; SYNs past that are dropped (tcps_listendrop) and
 * the clients' SYN retransmissions complete the handshake once accept(2)
 * has made room.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "h_macros.h"
#include "../../../sys/netinet/tcp_stat.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait up to ms milliseconds for cond to hold (the machine may be busy). */
#define WAIT_FOR(cond, ms)                                                     \
	do {                                                                   \
		long long until_ = now_ms() + (ms);                            \
		while (!(cond) && now_ms() < until_)                           \
			sleep_ms(10);                                          \
	} while (0)

static int
readable_bytes(int s)
{
	int v = -1;

	REQUIRE_OK(rump_sys_ioctl(s, FIONREAD, &v));
	return v;
}

static struct tcpstat
tcpstat_get(void)
{
	struct tcpstat st;
	size_t len = sizeof(st);

	memset(&st, 0, sizeof(st));
	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.stats", &st, &len,
	    NULL, 0), 0);
	REQUIRE_EQ(len, sizeof(st));
	return st;
}

static void
sysctl_setint(const char *name, int v)
{
	REQUIRE_EQ(rump_pub_sysctlbyname(name, NULL, NULL, &v, sizeof(v)), 0);
}

static struct sockaddr_in
loopback(uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

static uint16_t
local_port(int s)
{
	struct sockaddr_in sin;
	unsigned len = sizeof(sin);

	REQUIRE_OK(rump_sys_getsockname(s, (struct sockaddr *)&sin, &len));
	return ntohs(sin.sin_port);
}

/* A listener on 127.0.0.1 at an ephemeral port; *portp gets the port. */
static int
listener(int backlog, uint16_t *portp)
{
	struct sockaddr_in sin = loopback(0);
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(rump_sys_listen(s, backlog));
	*portp = local_port(s);
	return s;
}

static int
connect_to(uint16_t port)
{
	struct sockaddr_in sin = loopback(port);
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)));
	return s;
}

static void
set_nonblock(int s)
{
	REQUIRE_OK(rump_sys_fcntl(s, F_SETFL, O_NONBLOCK));
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

struct writer {
	int s;
	const unsigned char *buf;
	size_t len;
	bool shut;
};

static void *
writer_thread(void *arg)
{
	struct writer *w = arg;

	write_all(w->s, w->buf, w->len);
	if (w->shut)
		REQUIRE_OK(rump_sys_shutdown(w->s, SHUT_WR));
	return NULL;
}

/* 8 MiB each way, bytes compared; EOF after shutdown. */
TESTCASE(transfer_exact)
{
	enum { LEN = 8 << 20 };
	unsigned char *out = malloc(LEN), *in = malloc(LEN), c;
	struct writer w;
	pthread_t t;
	uint16_t port;
	int l, a, s;

	REQUIRE(out != NULL && in != NULL);
	l = listener(8, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));

	pattern(out, LEN, 1);
	w = (struct writer){ s, out, LEN, true };
	REQUIRE_EQ(pthread_create(&t, NULL, writer_thread, &w), 0);
	read_all(a, in, LEN);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE(memcmp(in, out, LEN) == 0);
	REQUIRE_EQ(rump_sys_read(a, &c, 1), 0);

	pattern(out, LEN, 2);
	w = (struct writer){ a, out, LEN, true };
	REQUIRE_EQ(pthread_create(&t, NULL, writer_thread, &w), 0);
	read_all(s, in, LEN);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE(memcmp(in, out, LEN) == 0);
	REQUIRE_EQ(rump_sys_read(s, &c, 1), 0);

	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
	free(out);
	free(in);
}

/* 64 connections at once, each with its own bytes. */
TESTCASE(parallel_64)
{
	enum { N = 64, LEN = 16384 };
	static unsigned char out[LEN], in[LEN];
	int c[N], a[N], l, i;
	uint16_t port, peer[N];
	struct sockaddr_in sin;
	unsigned len;

	l = listener(N, &port);
	for (i = 0; i < N; i++)
		c[i] = connect_to(port);
	for (i = 0; i < N; i++) {
		len = sizeof(sin);
		REQUIRE_OK(a[i] = rump_sys_accept(l, (struct sockaddr *)&sin, &len));
		REQUIRE_EQ(len, sizeof(sin));
		REQUIRE_EQ(sin.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
		peer[i] = ntohs(sin.sin_port);
	}
	for (i = 0; i < N; i++) {
		pattern(out, LEN, (unsigned)local_port(c[i]));
		write_all(c[i], out, LEN);
	}
	for (i = 0; i < N; i++) {
		read_all(a[i], in, LEN);
		pattern(out, LEN, peer[i]);
		REQUIRE(memcmp(in, out, LEN) == 0);
	}
	for (i = 0; i < N; i++) {
		REQUIRE_OK(rump_sys_close(c[i]));
		REQUIRE_OK(rump_sys_close(a[i]));
	}
	REQUIRE_OK(rump_sys_close(l));
}

static bool
connected_now(int s)
{
	struct pollfd pfd = { s, POLLOUT, 0 };

	return rump_sys_poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLOUT);
}

/*
 * backlog 2: three connections complete at once; the other SYNs are
 * dropped and retried, and complete as accept(2) makes room.
 */
TESTCASE(listen_backlog)
{
	enum { N = 6 };
	struct sockaddr_in sin;
	struct tcpstat st0 = tcpstat_get(), st1;
	int c[N], l, i, n, accepted = 0, s;
	uint16_t port;
	long long start;

	l = listener(2, &port);
	for (i = 0; i < N; i++) {
		struct pollfd pfd;

		sin = loopback(port);
		REQUIRE_OK(c[i] = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
		set_nonblock(c[i]);
		REQUIRE_ERRNO(rump_sys_connect(c[i], (struct sockaddr *)&sin,
		    sizeof(sin)), EINPROGRESS);
		/* backlog + 1 complete; the SYNs after them are dropped. */
		pfd = (struct pollfd){ c[i], POLLOUT, 0 };
		REQUIRE_EQ(rump_sys_poll(&pfd, 1, i < 3 ? 5000 : 300), i < 3);
	}
	for (i = n = 0; i < N; i++)
		n += connected_now(c[i]);
	REQUIRE_EQ(n, 3);
	st1 = tcpstat_get();
	REQUIRE(st1.tcps_listendrop >= st0.tcps_listendrop + 3);

	set_nonblock(l);
	start = now_ms();
	while (accepted < N && now_ms() - start < 20000) {
		s = rump_sys_accept(l, NULL, NULL);
		if (s >= 0) {
			accepted++;
			REQUIRE_OK(rump_sys_close(s));
			continue;
		}
		REQUIRE_EQ(errno, EAGAIN);
		sleep_ms(50);
	}
	REQUIRE_EQ(accepted, N);
	for (i = 0; i < N; i++) {
		REQUIRE(connected_now(c[i]));
		REQUIRE_OK(rump_sys_close(c[i]));
	}
	REQUIRE_OK(rump_sys_close(l));
}

/* shutdown(SHUT_WR) on either side: the other reads EOF and may still send. */
TESTCASE(half_close)
{
	char buf[16];
	uint16_t port;
	int l, a, s;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));

	/* Client closes its direction first. */
	REQUIRE_EQ(rump_sys_write(s, "request", 7), 7);
	REQUIRE_OK(rump_sys_shutdown(s, SHUT_WR));
	read_all(a, buf, 7);
	REQUIRE(memcmp(buf, "request", 7) == 0);
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 0);
	REQUIRE_ERRNO(rump_sys_write(s, "x", 1), EPIPE);
	REQUIRE_EQ(rump_sys_write(a, "reply", 5), 5);
	read_all(s, buf, 5);
	REQUIRE(memcmp(buf, "reply", 5) == 0);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_EQ(rump_sys_read(s, buf, sizeof(buf)), 0);
	REQUIRE_OK(rump_sys_close(s));

	/* Then the server's direction first. */
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_EQ(rump_sys_write(a, "banner", 6), 6);
	REQUIRE_OK(rump_sys_shutdown(a, SHUT_WR));
	read_all(s, buf, 6);
	REQUIRE(memcmp(buf, "banner", 6) == 0);
	REQUIRE_EQ(rump_sys_read(s, buf, sizeof(buf)), 0);
	REQUIRE_EQ(rump_sys_write(s, "late", 4), 4);
	read_all(a, buf, 4);
	REQUIRE(memcmp(buf, "late", 4) == 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 0);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
}

TESTCASE(rst_closed_port)
{
	struct sockaddr_in sin;
	struct tcpstat st0 = tcpstat_get();
	uint16_t port;
	int l, s;

	/* A port that was just free. */
	l = listener(1, &port);
	REQUIRE_OK(rump_sys_close(l));
	sin = loopback(port);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_ERRNO(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)),
	    ECONNREFUSED);
	REQUIRE(tcpstat_get().tcps_noport > st0.tcps_noport);
	REQUIRE_OK(rump_sys_close(s));
}

/* SO_LINGER with l_linger 0: close sends RST, the peer reads ECONNRESET. */
TESTCASE(linger_zero_reset)
{
	struct linger lg = { 1, 0 };
	char buf[4];
	uint16_t port;
	int l, a, s;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	REQUIRE_OK(rump_sys_close(a));
	sleep_ms(50);
	REQUIRE_ERRNO(rump_sys_read(s, buf, sizeof(buf)), ECONNRESET);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(l));
}

/* EINPROGRESS, then poll and SO_ERROR: success, and a refused port. */
TESTCASE(nonblocking_connect)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	unsigned len;
	uint16_t port, dead;
	int l, s, err, a;

	l = listener(1, &port);
	sin = loopback(port);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	set_nonblock(s);
	REQUIRE_ERRNO(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)),
	    EINPROGRESS);
	pfd = (struct pollfd){ s, POLLOUT, 0 };
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 5000), 1);
	REQUIRE(pfd.revents & POLLOUT);
	len = sizeof(err);
	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
	REQUIRE_EQ(err, 0);
	REQUIRE_ERRNO(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)),
	    EISCONN);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(s));

	a = listener(1, &dead);
	REQUIRE_OK(rump_sys_close(a));
	sin = loopback(dead);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	set_nonblock(s);
	err = rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin));
	REQUIRE(err == -1 && (errno == EINPROGRESS || errno == ECONNREFUSED));
	pfd = (struct pollfd){ s, POLLOUT, 0 };
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 5000), 1);
	REQUIRE(pfd.revents & (POLLERR | POLLHUP));
	len = sizeof(err);
	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
	REQUIRE_EQ(err, ECONNREFUSED);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(l));
}

/*
 * Two bound sockets connect to each other.  Their first SYNs are lost
 * (drop_port), so the retransmissions cross: a simultaneous open
 * (RFC 9293 3.5, figure 7).
 */
TESTCASE(simultaneous_open)
{
	struct sockaddr_in sa = loopback(0), sb = loopback(0);
	struct pollfd pfd[2];
	char buf[8];
	int a, b, err;
	unsigned len;
	long long start;

	REQUIRE_OK(a = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(b = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_bind(a, (struct sockaddr *)&sa, sizeof(sa)));
	REQUIRE_OK(rump_sys_bind(b, (struct sockaddr *)&sb, sizeof(sb)));
	sa = loopback(local_port(a));
	sb = loopback(local_port(b));
	set_nonblock(a);
	set_nonblock(b);
	sysctl_setint("net.inet.tcp.drop_port", ntohs(sa.sin_port));
	REQUIRE_ERRNO(rump_sys_connect(a, (struct sockaddr *)&sb, sizeof(sb)),
	    EINPROGRESS);
	REQUIRE_ERRNO(rump_sys_connect(b, (struct sockaddr *)&sa, sizeof(sa)),
	    EINPROGRESS);
	WAIT_FOR(tcpstat_get().tcps_dropport >= 2, 5000);
	REQUIRE(tcpstat_get().tcps_dropport >= 2);
	sysctl_setint("net.inet.tcp.drop_port", 0);
	start = now_ms();
	for (;;) {
		pfd[0] = (struct pollfd){ a, POLLOUT, 0 };
		pfd[1] = (struct pollfd){ b, POLLOUT, 0 };
		REQUIRE(rump_sys_poll(pfd, 2, 5000) >= 0);
		if ((pfd[0].revents & POLLOUT) && (pfd[1].revents & POLLOUT))
			break;
		REQUIRE(now_ms() - start < 10000);
		sleep_ms(20);
	}
	len = sizeof(err);
	REQUIRE_OK(rump_sys_getsockopt(a, SOL_SOCKET, SO_ERROR, &err, &len));
	REQUIRE_EQ(err, 0);
	REQUIRE_OK(rump_sys_getsockopt(b, SOL_SOCKET, SO_ERROR, &err, &len));
	REQUIRE_EQ(err, 0);
	REQUIRE_EQ(rump_sys_write(a, "ping", 4), 4);
	REQUIRE_EQ(rump_sys_write(b, "pong", 4), 4);
	sleep_ms(50);
	REQUIRE_EQ(rump_sys_read(b, buf, sizeof(buf)), 4);
	REQUIRE(memcmp(buf, "ping", 4) == 0);
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 4);
	REQUIRE(memcmp(buf, "pong", 4) == 0);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(b));
}

/* Urgent data (RFC 6093): the mark, MSG_OOB, SIOCATMARK; and SO_OOBINLINE. */
TESTCASE(urgent_data)
{
	char buf[16];
	uint16_t port;
	int l, a, s, mark, on = 1;
	ssize_t n;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on,
	    sizeof(on)));
	REQUIRE_EQ(rump_sys_write(s, "ab", 2), 2);
	REQUIRE_EQ(rump_sys_sendto(s, "c", 1, MSG_OOB, NULL, 0), 1);
	REQUIRE_EQ(rump_sys_write(s, "de", 2), 2);
	WAIT_FOR(readable_bytes(a) >= 4, 5000);
	REQUIRE_OK(rump_sys_ioctl(a, SIOCATMARK, &mark));
	REQUIRE_EQ(mark, 0);
	/* A read stops at the mark. */
	n = rump_sys_read(a, buf, sizeof(buf));
	if (n != 2 || memcmp(buf, "ab", 2) != 0)
		TEST_FAIL("read %zd bytes: %.*s", n, (int)(n > 0 ? n : 0), buf);
	REQUIRE_OK(rump_sys_ioctl(a, SIOCATMARK, &mark));
	REQUIRE_EQ(mark, 1);
	REQUIRE_EQ(rump_sys_recvfrom(a, buf, 1, MSG_OOB, NULL, NULL), 1);
	REQUIRE_EQ(buf[0], 'c');
	REQUIRE_ERRNO(rump_sys_recvfrom(a, buf, 1, MSG_OOB, NULL, NULL), EINVAL);
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 2);
	REQUIRE(memcmp(buf, "de", 2) == 0);

	/* Inline: the urgent byte stays in the stream. */
	REQUIRE_OK(rump_sys_setsockopt(a, SOL_SOCKET, SO_OOBINLINE, &on,
	    sizeof(on)));
	REQUIRE_EQ(rump_sys_sendto(s, "u", 1, MSG_OOB, NULL, 0), 1);
	REQUIRE_EQ(rump_sys_write(s, "v", 1), 1);
	WAIT_FOR(readable_bytes(a) >= 2, 5000);
	REQUIRE_ERRNO(rump_sys_recvfrom(a, buf, 1, MSG_OOB, NULL, NULL), EINVAL);
	REQUIRE_EQ(rump_sys_read(a, buf, 1), 1);
	REQUIRE_EQ(buf[0], 'u');
	REQUIRE_EQ(rump_sys_read(a, buf, sizeof(buf)), 1);
	REQUIRE_EQ(buf[0], 'v');
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
}

/* TCP_INFO: state, RTT, MSS, window, options; TCP_CONGESTION; TCP_MAXSEG. */
TESTCASE(tcp_info)
{
	struct tcp_info ti;
	static unsigned char buf[1 << 20], in[1 << 20];
	struct writer w;
	pthread_t t;
	char cc[16];
	unsigned len;
	uint16_t port;
	int l, a, s, v;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	pattern(buf, sizeof(buf), 3);
	w = (struct writer){ s, buf, sizeof(buf), false };
	REQUIRE_EQ(pthread_create(&t, NULL, writer_thread, &w), 0);
	read_all(a, in, sizeof(buf));
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE(memcmp(in, buf, sizeof(buf)) == 0);
	/* Past the delayed ACK of the last segment. */
	sleep_ms(200);

	memset(&ti, 0xa5, sizeof(ti));
	len = sizeof(ti);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len));
	REQUIRE_EQ(len, sizeof(ti));
	REQUIRE_EQ(ti.tcpi_state, TCP_ESTABLISHED);
	REQUIRE(ti.tcpi_rtt > 0 && ti.tcpi_rtt < 1000000);
	REQUIRE(ti.tcpi_rto >= 200000 && ti.tcpi_rto <= 120000000);
	REQUIRE(ti.tcpi_snd_mss >= 536 && ti.tcpi_snd_mss <= 65495);
	REQUIRE(ti.tcpi_snd_cwnd >= 2);
	REQUIRE(ti.tcpi_options & TCPI_OPT_TIMESTAMPS);
	REQUIRE(ti.tcpi_options & TCPI_OPT_SACK);
	REQUIRE(ti.tcpi_options & TCPI_OPT_WSCALE);
	REQUIRE_EQ(ti.tcpi_unacked, 0);
	{
		/* Past glibc's struct: Linux's offsets (linux/tcp.h). */
		unsigned char raw[232];
		uint64_t acked;
		uint32_t segsout;

		len = sizeof(raw);
		REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_INFO, raw,
		    &len));
		REQUIRE_EQ(len, sizeof(raw));
		memcpy(&acked, raw + 120, 8);
		memcpy(&segsout, raw + 136, 4);
		REQUIRE_EQ(acked, sizeof(buf));
		REQUIRE(segsout > 0);
	}

	len = sizeof(ti);
	REQUIRE_OK(rump_sys_getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &len));
	REQUIRE_EQ(ti.tcpi_state, TCP_LISTEN);

	/* A short buffer gets the start of the structure, as on Linux. */
	len = 1;
	REQUIRE_OK(rump_sys_getsockopt(a, IPPROTO_TCP, TCP_INFO, &ti, &len));
	REQUIRE_EQ(len, 1);
	REQUIRE_EQ(ti.tcpi_state, TCP_ESTABLISHED);

	len = sizeof(cc);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &len));
	REQUIRE(strcmp(cc, "cubic") == 0);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "reno", 4));
	len = sizeof(cc);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &len));
	REQUIRE(strcmp(cc, "newreno") == 0);
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_CONGESTION,
	    "vegas", 5), ENOENT);
	/* The default for new connections, by sysctl. */
	{
		char name[16];
		size_t nlen = sizeof(name);
		int s2;

		REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.congctl", name,
		    &nlen, NULL, 0), 0);
		REQUIRE(strcmp(name, "cubic") == 0);
		REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.congctl", NULL,
		    NULL, "newreno", 8), 0);
		REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.congctl", NULL,
		    NULL, "vegas", 6), EINVAL);
		REQUIRE_OK(s2 = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
		len = sizeof(cc);
		REQUIRE_OK(rump_sys_getsockopt(s2, IPPROTO_TCP, TCP_CONGESTION,
		    cc, &len));
		REQUIRE(strcmp(cc, "newreno") == 0);
		REQUIRE_OK(rump_sys_close(s2));
	}

	v = 1000;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof(v)));
	len = sizeof(v);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &v, &len));
	REQUIRE_EQ(v, 1000);
	v = 10;
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &v,
	    sizeof(v)), EINVAL);
	v = 0;
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v,
	    sizeof(v)), EINVAL);
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_TCP, 9999, &v, sizeof(v)),
	    ENOPROTOOPT);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
}

/* Keepalive: the peer stops answering; probes go unanswered; ETIMEDOUT. */
TESTCASE(keepalive_timeout)
{
	struct tcpstat st0 = tcpstat_get(), st1;
	char buf[4];
	uint16_t port;
	int l, a, s, on = 1, v;
	long long start;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on,
	    sizeof(on)));
	v = 1;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &v,
	    sizeof(v)));
	v = 3;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v,
	    sizeof(v)));
	sysctl_setint("net.inet.tcp.drop_port", port);
	v = 1;
	start = now_ms();
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v,
	    sizeof(v)));
	REQUIRE_ERRNO(rump_sys_read(s, buf, sizeof(buf)), ETIMEDOUT);
	/* idle 1 s, then 3 probes 1 s apart, then the drop. */
	REQUIRE(now_ms() - start >= 3500);
	REQUIRE(now_ms() - start < 10000);
	st1 = tcpstat_get();
	REQUIRE_EQ(st1.tcps_keepprobe - st0.tcps_keepprobe, 3);
	REQUIRE_EQ(st1.tcps_keepdrops - st0.tcps_keepdrops, 1);
	sysctl_setint("net.inet.tcp.drop_port", 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
}

/*
 * The receiver stops reading: its window closes, the sender blocks and
 * probes (persist timer); then reading resumes and every byte arrives
 * once.
 */
TESTCASE(zero_window_persist)
{
	enum { LEN = 4 << 20 };
	unsigned char *out = malloc(LEN), *in = malloc(LEN);
	struct tcpstat st0 = tcpstat_get(), st1;
	struct writer w;
	pthread_t t;
	uint16_t port;
	int l, a, s, v;
	char c;

	REQUIRE(out != NULL && in != NULL);
	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	pattern(out, LEN, 4);
	w = (struct writer){ s, out, LEN, true };
	REQUIRE_EQ(pthread_create(&t, NULL, writer_thread, &w), 0);
	/* Nobody reads: the window closes and the probes start. */
	sleep_ms(1500);
	st1 = tcpstat_get();
	REQUIRE(st1.tcps_persisttimeo > st0.tcps_persisttimeo);
	REQUIRE(st1.tcps_sndprobe > st0.tcps_sndprobe);
	v = 0;
	REQUIRE_OK(rump_sys_ioctl(a, FIONREAD, &v));
	REQUIRE(v > 0 && v < LEN);
	read_all(a, in, LEN);
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE(memcmp(in, out, LEN) == 0);
	REQUIRE_EQ(rump_sys_read(a, &c, 1), 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
	free(out);
	free(in);
}

/* No room in the SYN cache: a cookie, and the connection still works. */
TESTCASE(syn_cookies)
{
	struct tcpstat st0 = tcpstat_get(), st1;
	char buf[8];
	uint16_t port;
	int l, a, s;

	sysctl_setint("net.inet.tcp.syncache_limit", 0);
	l = listener(4, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	st1 = tcpstat_get();
	REQUIRE_EQ(st1.tcps_sc_sendcookie - st0.tcps_sc_sendcookie, 1);
	REQUIRE_EQ(st1.tcps_sc_recvcookie - st0.tcps_sc_recvcookie, 1);
	REQUIRE_EQ(st1.tcps_sc_added, st0.tcps_sc_added);
	REQUIRE_EQ(rump_sys_write(s, "cookie", 6), 6);
	read_all(a, buf, 6);
	REQUIRE(memcmp(buf, "cookie", 6) == 0);
	REQUIRE_EQ(rump_sys_write(a, "back", 4), 4);
	read_all(s, buf, 4);
	REQUIRE(memcmp(buf, "back", 4) == 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
	sysctl_setint("net.inet.tcp.syncache_limit", 512);
}

/* The connection list shows our connections with Linux's state numbers. */
TESTCASE(pcblist_states)
{
	struct tcp_conninfo ci[16];
	size_t len = sizeof(ci);
	uint16_t port;
	int l, a, s, i, n, est = 0, lis = 0;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.pcblist", ci, &len,
	    NULL, 0), 0);
	n = (int)(len / sizeof(ci[0]));
	REQUIRE_EQ(n, 3);
	for (i = 0; i < n; i++) {
		if (ci[i].tci_state == TCP_ESTABLISHED)
			est++;
		if (ci[i].tci_state == TCP_LISTEN &&
		    ci[i].tci_lport == htons(port))
			lis++;
	}
	REQUIRE_EQ(est, 2);
	REQUIRE_EQ(lis, 1);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
}

/* TCP_CORK holds small writes until uncorked (or a full segment). */
TESTCASE(cork)
{
	char buf[16];
	uint16_t port;
	int l, a, s, on = 1, off = 0, v;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_CORK, &on, sizeof(on)));
	REQUIRE_EQ(rump_sys_write(s, "abc", 3), 3);
	REQUIRE_EQ(rump_sys_write(s, "def", 3), 3);
	sleep_ms(100);
	v = -1;
	REQUIRE_OK(rump_sys_ioctl(a, FIONREAD, &v));
	REQUIRE_EQ(v, 0);
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_CORK, &off, sizeof(off)));
	read_all(a, buf, 6);
	REQUIRE(memcmp(buf, "abcdef", 6) == 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
}

/*
 * The server closes first and keeps the connection in TIME_WAIT; a new
 * SYN from the same client port with a later sequence number (RFC 6191)
 * ends it and reaches the listener.
 */
TESTCASE(time_wait_reuse)
{
	struct sockaddr_in cs = loopback(0), sin;
	struct tcp_conninfo ci[8];
	struct tcpstat st0, st1;
	size_t len;
	char c;
	uint16_t port, cport;
	int l, a, s, on = 1, i, n, tw = 0;
	long long start;

	sysctl_setint("net.inet.tcp.msl_ms", 30000);
	l = listener(1, &port);
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)));
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&cs, sizeof(cs)));
	cport = local_port(s);
	sin = loopback(port);
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_EQ(rump_sys_read(s, &c, 1), 0);
	REQUIRE_OK(rump_sys_close(s));
	start = now_ms();
	do {
		sleep_ms(10);
		len = sizeof(ci);
		REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.pcblist", ci,
		    &len, NULL, 0), 0);
		n = (int)(len / sizeof(ci[0]));
		for (i = tw = 0; i < n; i++)
			if (ci[i].tci_state == TCP_TIME_WAIT &&
			    ci[i].tci_fport == htons(cport))
				tw++;
	} while (tw == 0 && now_ms() - start < 5000);
	REQUIRE_EQ(tw, 1);

	st0 = tcpstat_get();
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)));
	cs = loopback(cport);
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&cs, sizeof(cs)));
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	st1 = tcpstat_get();
	REQUIRE_EQ(st1.tcps_timewaitreuse - st0.tcps_timewaitreuse, 1);
	REQUIRE_EQ(rump_sys_write(s, "again", 5), 5);
	{
		char buf[8];

		read_all(a, buf, 5);
		REQUIRE(memcmp(buf, "again", 5) == 0);
	}
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
}

/*
 * TCP_USER_TIMEOUT ends a connection whose data goes unacknowledged
 * that long (checked at each retransmission); TCP_SYNCNT bounds the
 * SYN retries of a connect nobody answers.
 */
TESTCASE(user_timeout_syncnt)
{
	struct sockaddr_in sin;
	char buf[512];
	uint16_t port;
	int l, a, s, v, err;
	unsigned len;
	long long start, took;

	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	v = 1500;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_USER_TIMEOUT, &v,
	    sizeof(v)));
	len = sizeof(v);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_USER_TIMEOUT, &v,
	    &len));
	REQUIRE_EQ(v, 1500);
	sysctl_setint("net.inet.tcp.drop_port", port);
	start = now_ms();
	memset(buf, 'u', sizeof(buf));
	REQUIRE_EQ(rump_sys_write(s, buf, sizeof(buf)), sizeof(buf));
	REQUIRE_ERRNO(rump_sys_read(s, buf, sizeof(buf)), ETIMEDOUT);
	took = now_ms() - start;
	/* Resends at 0.2, 0.6, 1.4 s; the one at 3.0 s finds 1.5 s passed. */
	if (took < 1500 || took > 10000)
		TEST_FAIL("timed out after %lld ms", took);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));

	/* SYNs into the void: 1 retry, then ETIMEDOUT after 1 + 2 s. */
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	v = 1;
	REQUIRE_OK(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_SYNCNT, &v,
	    sizeof(v)));
	v = 0;
	REQUIRE_ERRNO(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_SYNCNT, &v,
	    sizeof(v)), EINVAL);
	sin = loopback(port);
	start = now_ms();
	REQUIRE_ERRNO(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)),
	    ETIMEDOUT);
	took = now_ms() - start;
	if (took < 2900 || took > 10000)
		TEST_FAIL("connect gave up after %lld ms", took);
	len = sizeof(err);
	REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
	REQUIRE_EQ(err, 0);
	sysctl_setint("net.inet.tcp.drop_port", 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(l));
}

/* --- Crafted segments through a raw socket. --- */

static uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t
cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/*
 * Send a TCP segment from 127.0.0.1:sport to 127.0.0.1:dport, with
 * options opt (optlen a multiple of 4) and no data.
 */
static void
inject(int raw, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
    uint8_t flags, const uint8_t *opt, size_t optlen)
{
	uint8_t pkt[20 + 20 + 40];
	struct ip *ip = (struct ip *)pkt;
	struct tcphdr *th = (struct tcphdr *)(pkt + 20);
	struct sockaddr_in dst = loopback(dport);
	uint8_t ph[12];
	uint32_t sum;
	size_t tlen = 20 + optlen;

	memset(pkt, 0, sizeof(pkt));
	ip->ip_v = 4;
	ip->ip_hl = 5;
	ip->ip_len = htons((uint16_t)(20 + tlen));
	ip->ip_ttl = 64;
	ip->ip_p = IPPROTO_TCP;
	ip->ip_src.s_addr = htonl(INADDR_LOOPBACK);
	ip->ip_dst.s_addr = htonl(INADDR_LOOPBACK);
	th->th_sport = htons(sport);
	th->th_dport = htons(dport);
	th->th_seq = htonl(seq);
	th->th_ack = htonl(ack);
	th->th_off = (uint8_t)(tlen / 4);
	th->th_flags = flags;
	th->th_win = htons(65535);
	if (optlen > 0)
		memcpy(pkt + 40, opt, optlen);
	memcpy(ph, &ip->ip_src, 4);
	memcpy(ph + 4, &ip->ip_dst, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = (uint8_t)(tlen >> 8);
	ph[11] = (uint8_t)tlen;
	sum = cksum_add(cksum_add(0, ph, sizeof(ph)), th, tlen);
	th->th_sum = htons(cksum_fold(sum));
	REQUIRE_EQ(rump_sys_sendto(raw, pkt, 20 + tlen, 0,
	    (struct sockaddr *)&dst, sizeof(dst)), (ssize_t)(20 + tlen));
}

/* The next segment with data a raw IPPROTO_TCP socket sees from sport to dport. */
static void
capture(int raw, uint16_t sport, uint16_t dport, uint32_t *seq, uint32_t *ack)
{
	uint8_t pkt[2048];
	long long start = now_ms();

	while (now_ms() - start < 5000) {
		ssize_t n = rump_sys_recvfrom(raw, pkt, sizeof(pkt), 0, NULL,
		    NULL);
		struct ip *ip = (struct ip *)pkt;
		struct tcphdr *th;

		REQUIRE(n >= 40);
		th = (struct tcphdr *)(pkt + ip->ip_hl * 4);
		if (ntohs(th->th_sport) == sport && ntohs(th->th_dport) == dport &&
		    ntohs(ip->ip_len) > ip->ip_hl * 4 + th->th_off * 4) {
			*seq = ntohl(th->th_seq);
			*ack = ntohl(th->th_ack);
			return;
		}
	}
	TEST_FAIL("no segment %u -> %u", sport, dport);
}

/*
 * RFC 5961: an RST inside the window but not at rcv_nxt, and a SYN on a
 * synchronised connection, draw a challenge ACK and change nothing; an
 * RST at exactly rcv_nxt resets.
 */
TESTCASE(rfc5961_challenge)
{
	struct tcpstat st0, st1;
	uint32_t seq, ack;
	uint16_t port, cport;
	char buf[8];
	int l, a, s, raw, on = 1;

	REQUIRE_OK(raw = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_OK(rump_sys_setsockopt(raw, IPPROTO_IP, IP_HDRINCL, &on,
	    sizeof(on)));
	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	cport = local_port(s);
	REQUIRE_EQ(rump_sys_write(s, "x", 1), 1);
	capture(raw, cport, port, &seq, &ack);
	read_all(a, buf, 1);
	seq += 1;               /* the server's rcv_nxt */

	st0 = tcpstat_get();
	inject(raw, cport, port, seq + 1000, ack, TH_RST, NULL, 0);
	inject(raw, cport, port, seq + 5, ack, TH_SYN, NULL, 0);
	/* An ACK for data never sent: also answered with an ACK. */
	inject(raw, cport, port, seq, ack + 100000, TH_ACK, NULL, 0);
	/* Out of window entirely: silently dropped. */
	inject(raw, cport, port, seq + 0x40000000, ack, TH_RST, NULL, 0);
	WAIT_FOR((st1 = tcpstat_get()).tcps_badrst > st0.tcps_badrst &&
	    st1.tcps_challengeack >= st0.tcps_challengeack + 3, 5000);
	sleep_ms(20);
	st1 = tcpstat_get();
	REQUIRE_EQ(st1.tcps_challengeack - st0.tcps_challengeack, 3);
	REQUIRE_EQ(st1.tcps_badrst - st0.tcps_badrst, 1);
	/* Still connected both ways. */
	REQUIRE_EQ(rump_sys_write(s, "y", 1), 1);
	read_all(a, buf, 1);
	REQUIRE_EQ(buf[0], 'y');
	REQUIRE_EQ(rump_sys_write(a, "z", 1), 1);
	read_all(s, buf, 1);
	REQUIRE_EQ(buf[0], 'z');

	/* The exact sequence number resets. */
	inject(raw, cport, port, seq + 1, ack + 1, TH_RST, NULL, 0);
	REQUIRE_ERRNO(rump_sys_read(a, buf, 1), ECONNRESET);
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(l));
	REQUIRE_OK(rump_sys_close(raw));
}

/* Malformed and hostile options on SYNs to a listener: parsed safely. */
TESTCASE(option_bounds)
{
	static const uint8_t storms[][40] = {
		/* length 0, length 1, length past the end */
		{ 2, 0, 5, 0 },
		{ 3, 1, 0, 0 },
		{ 8, 40, 1, 1 },
		/* MSS of length 3, window scale of 255, SACK block cut short */
		{ 2, 3, 1, 3, 3, 3, 255, 1 },
		{ 5, 6, 0, 0, 0, 0, 1, 1 },
		/* a timestamp of length 9, then NOPs to the end */
		{ 8, 9, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 },
		/* MSS 0, then 36 bytes of SACK-permitted and unknown kinds */
		{ 2, 4, 0, 0, 4, 2, 99, 2, 99, 3, 0, 99, 4, 0, 0, 0, 253, 2,
		  254, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 1,
		  1, 1, 0 },
	};
	static const size_t lens[] = { 4, 4, 4, 8, 8, 12, 40 };
	struct tcpstat st0 = tcpstat_get(), st1;
	uint16_t port;
	int l, raw, on = 1, s, a;
	char buf[4];

	REQUIRE_OK(raw = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_OK(rump_sys_setsockopt(raw, IPPROTO_IP, IP_HDRINCL, &on,
	    sizeof(on)));
	l = listener(64, &port);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		inject(raw, (uint16_t)(40000 + i), port, 1000u * (unsigned)i, 0,
		    TH_SYN, storms[i], lens[i]);
	WAIT_FOR((st1 = tcpstat_get()).tcps_rcvbadopt >= st0.tcps_rcvbadopt + 4,
	    5000);
	REQUIRE(st1.tcps_rcvbadopt - st0.tcps_rcvbadopt >= 4);
	/* The listener still works. */
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	REQUIRE_EQ(rump_sys_write(s, "ok", 2), 2);
	read_all(a, buf, 2);
	REQUIRE(memcmp(buf, "ok", 2) == 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
	REQUIRE_OK(rump_sys_close(raw));
}

/*
 * ICMP "fragmentation needed" quoting one of our segments lowers the
 * connection's MSS (RFC 1191); later data goes in smaller segments and
 * arrives exact.
 */
TESTCASE(pmtu_icmp)
{
	uint8_t icmp[8 + 20 + 8];
	struct ip *qip = (struct ip *)(icmp + 8);
	struct sockaddr_in dst = loopback(0);
	struct tcp_info ti;
	struct tcpstat st0;
	static unsigned char out[65536], in[65536];
	unsigned len;
	uint32_t seq, ack, v;
	uint16_t port, cport, sport, dport;
	int l, a, s, raw, ic;

	REQUIRE_OK(raw = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_OK(ic = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	l = listener(1, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	cport = local_port(s);
	REQUIRE_EQ(rump_sys_write(s, "x", 1), 1);
	capture(raw, cport, port, &seq, &ack);
	read_all(a, in, 1);

	st0 = tcpstat_get();
	memset(icmp, 0, sizeof(icmp));
	icmp[0] = 3;                    /* destination unreachable */
	icmp[1] = 4;                    /* fragmentation needed */
	icmp[6] = 1200 >> 8;            /* next-hop MTU */
	icmp[7] = 1200 & 0xff;
	qip->ip_v = 4;
	qip->ip_hl = 5;
	qip->ip_len = htons(1500);
	qip->ip_off = htons(IP_DF);
	qip->ip_ttl = 64;
	qip->ip_p = IPPROTO_TCP;
	qip->ip_src.s_addr = htonl(INADDR_LOOPBACK);
	qip->ip_dst.s_addr = htonl(INADDR_LOOPBACK);
	sport = htons(cport);
	dport = htons(port);
	v = htonl(seq + 1);
	memcpy(icmp + 28, &sport, 2);
	memcpy(icmp + 30, &dport, 2);
	memcpy(icmp + 32, &v, 4);
	{
		uint16_t sum = htons(cksum_fold(cksum_add(0, icmp, sizeof(icmp))));

		memcpy(icmp + 2, &sum, 2);
	}
	REQUIRE_EQ(rump_sys_sendto(ic, icmp, sizeof(icmp), 0,
	    (struct sockaddr *)&dst, sizeof(dst)), (ssize_t)sizeof(icmp));
	WAIT_FOR(tcpstat_get().tcps_pmtuchange > st0.tcps_pmtuchange, 5000);
	REQUIRE_EQ(tcpstat_get().tcps_pmtuchange - st0.tcps_pmtuchange, 1);
	len = sizeof(ti);
	REQUIRE_OK(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len));
	REQUIRE_EQ(ti.tcpi_pmtu, 1200);
	REQUIRE_EQ(ti.tcpi_snd_mss, 1200 - 40 - 12);

	pattern(out, sizeof(out), 9);
	write_all(s, out, sizeof(out));
	read_all(a, in, sizeof(in));
	REQUIRE(memcmp(in, out, sizeof(in)) == 0);
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
	REQUIRE_OK(rump_sys_close(raw));
	REQUIRE_OK(rump_sys_close(ic));
}

static uint64_t fuzz_rng;

static uint32_t
fuzz_rnd(void)
{
	fuzz_rng ^= fuzz_rng << 13;
	fuzz_rng ^= fuzz_rng >> 7;
	fuzz_rng ^= fuzz_rng << 17;
	return (uint32_t)(fuzz_rng >> 11);
}

/*
 * Send raw bytes as a TCP segment body: a TCP header whose every field
 * the caller chose (th_off may lie), options and data.
 */
static void
inject_raw(int raw, const uint8_t *seg, size_t len)
{
	uint8_t pkt[20 + 1500];
	struct ip *ip = (struct ip *)pkt;
	struct sockaddr_in dst = loopback(1);

	memset(pkt, 0, 20);
	ip->ip_v = 4;
	ip->ip_hl = 5;
	ip->ip_len = htons((uint16_t)(20 + len));
	ip->ip_ttl = 64;
	ip->ip_p = IPPROTO_TCP;
	ip->ip_src.s_addr = htonl(INADDR_LOOPBACK);
	ip->ip_dst.s_addr = htonl(INADDR_LOOPBACK);
	memcpy(pkt + 20, seg, len);
	(void)rump_sys_sendto(raw, pkt, 20 + len, 0, (struct sockaddr *)&dst,
	    sizeof(dst));
}

/*
 * A seeded fuzz (TCP_FUZZ_SEED, TCP_FUZZ_ROUNDS): segments near an
 * established connection's sequence numbers and to a listener, with
 * random flags, windows, urgent pointers, lying data offsets, option
 * bytes and lengths, then a SYN flood from random ports.  Nothing may
 * crash or hang; the listener still accepts, and a connection that
 * survived still carries exact bytes.
 */
TESTCASE(fuzz_segments)
{
	const char *e;
	struct tcpstat st0 = tcpstat_get(), st1;
	uint8_t seg[20 + 40 + 200];
	uint32_t seq, ack;
	uint16_t port, cport;
	unsigned rounds = 20000;
	int l, a, s, raw, on = 1;
	char buf[8];

	fuzz_rng = 0x9e3779b97f4a7c15ULL;
	if ((e = getenv("TCP_FUZZ_SEED")) != NULL)
		fuzz_rng = strtoull(e, NULL, 0) | 1;
	if ((e = getenv("TCP_FUZZ_ROUNDS")) != NULL)
		rounds = (unsigned)atoi(e);
	fprintf(stderr, "seed %#llx\n", (unsigned long long)fuzz_rng);

	REQUIRE_OK(raw = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_TCP));
	REQUIRE_OK(rump_sys_setsockopt(raw, IPPROTO_IP, IP_HDRINCL, &on,
	    sizeof(on)));
	l = listener(16, &port);
	s = connect_to(port);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	cport = local_port(s);
	REQUIRE_EQ(rump_sys_write(s, "x", 1), 1);
	capture(raw, cport, port, &seq, &ack);
	read_all(a, buf, 1);
	seq += 1;

	for (unsigned i = 0; i < rounds; i++) {
		struct tcphdr *th = (struct tcphdr *)seg;
		size_t optlen = fuzz_rnd() % 44, dlen = fuzz_rnd() % 4 == 0 ?
		    fuzz_rnd() % 200 : 0, len;
		uint32_t r = fuzz_rnd();

		memset(seg, 0, sizeof(seg));
		/* Toward the connection (either way) or the listener. */
		switch (r % 3) {
		case 0:
			th->th_sport = htons(cport);
			th->th_dport = htons(port);
			th->th_seq = htonl(seq + (fuzz_rnd() % 8 == 0 ?
			    fuzz_rnd() : fuzz_rnd() % 70000 - 1000));
			th->th_ack = htonl(ack + fuzz_rnd() % 4000 - 2000);
			break;
		case 1:
			th->th_sport = htons(port);
			th->th_dport = htons(cport);
			th->th_seq = htonl(fuzz_rnd());
			th->th_ack = htonl(fuzz_rnd());
			break;
		default:
			th->th_sport = htons((uint16_t)(20000 + fuzz_rnd() % 100));
			th->th_dport = htons(port);
			th->th_seq = htonl(fuzz_rnd());
			th->th_ack = htonl(fuzz_rnd());
			break;
		}
		th->th_flags = (uint8_t)fuzz_rnd();
		/* Keep RSTs rare, or the connection ends at once. */
		if ((th->th_flags & TH_RST) && fuzz_rnd() % 16 != 0)
			th->th_flags &= (uint8_t)~TH_RST;
		th->th_win = (uint16_t)fuzz_rnd();
		th->th_urp = fuzz_rnd() % 2 ? (uint16_t)fuzz_rnd() : 0;
		optlen &= ~(size_t)3;
		th->th_off = (uint8_t)(fuzz_rnd() % 8 == 0 ? fuzz_rnd() % 16 :
		    (20 + optlen) / 4);
		for (size_t k = 0; k < optlen; k++) {
			uint32_t o = fuzz_rnd() % 10;

			seg[20 + k] = o < 6 ? (uint8_t)o : o < 8 ? 8 :
			    (uint8_t)fuzz_rnd();
		}
		for (size_t k = 0; k < dlen; k++)
			seg[20 + optlen + k] = (uint8_t)fuzz_rnd();
		len = 20 + optlen + dlen;
		if (fuzz_rnd() % 16 == 0)
			len = fuzz_rnd() % len;
		inject_raw(raw, seg, len);
		/* Let the input queue drain now and then: fewer drops there. */
		if (i % 256 == 255)
			sleep_ms(2);
	}
	/*
	 * A SYN flood past the SYN cache (made small: our own RSTs to the
	 * SYN-ACKs empty it as fast as the flood fills it): cookies.
	 */
	sysctl_setint("net.inet.tcp.syncache_limit", 16);
	for (unsigned i = 0; i < 2000; i++) {
		struct tcphdr *th = (struct tcphdr *)seg;

		memset(seg, 0, 20);
		th->th_sport = htons((uint16_t)(30000 + i));
		th->th_dport = htons(port);
		th->th_seq = htonl(fuzz_rnd());
		th->th_off = 5;
		th->th_flags = TH_SYN;
		th->th_win = htons(65535);
		inject_raw(raw, seg, 20);
	}
	WAIT_FOR(tcpstat_get().tcps_sc_sendcookie > st0.tcps_sc_sendcookie,
	    5000);
	sysctl_setint("net.inet.tcp.syncache_limit", 512);
	st1 = tcpstat_get();
	REQUIRE(st1.tcps_sc_sendcookie > st0.tcps_sc_sendcookie);
	REQUIRE(st1.tcps_rcvbadopt > st0.tcps_rcvbadopt);
	REQUIRE(st1.tcps_rcvbadoff > st0.tcps_rcvbadoff);

	/* The listener still works; connections the fuzz made are closed. */
	{
		struct sockaddr_in peer;
		unsigned plen;
		int s2 = connect_to(port), a2, err;
		uint16_t p2 = local_port(s2);

		REQUIRE_EQ(rump_sys_write(s2, "ok", 2), 2);
		set_nonblock(l);
		for (;;) {
			plen = sizeof(peer);
			WAIT_FOR((a2 = rump_sys_accept(l, (struct sockaddr *)&peer,
			    &plen)) >= 0, 5000);
			REQUIRE(a2 >= 0);
			if (ntohs(peer.sin_port) == p2)
				break;
			REQUIRE_OK(rump_sys_close(a2));
		}
		read_all(a2, buf, 2);
		REQUIRE(memcmp(buf, "ok", 2) == 0);
		plen = sizeof(err);
		REQUIRE_OK(rump_sys_getsockopt(s2, SOL_SOCKET, SO_ERROR, &err,
		    &plen));
		REQUIRE_EQ(err, 0);
		REQUIRE_OK(rump_sys_close(a2));
		REQUIRE_OK(rump_sys_close(s2));
	}
	REQUIRE_OK(rump_sys_close(s));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
	REQUIRE_OK(rump_sys_close(raw));
}

TESTS(
	CASE(transfer_exact),
	CASE(parallel_64),
	CASE(listen_backlog),
	CASE(half_close),
	CASE(rst_closed_port),
	CASE(linger_zero_reset),
	CASE(nonblocking_connect),
	CASE(simultaneous_open),
	CASE(urgent_data),
	CASE(tcp_info),
	CASE(keepalive_timeout),
	CASE(zero_window_persist),
	CASE(syn_cookies),
	CASE(pcblist_states),
	CASE(cork),
	CASE(time_wait_reuse),
	CASE(user_timeout_syncnt),
	CASE(rfc5961_challenge),
	CASE(option_bounds),
	CASE(pmtu_icmp),
	CASE(fuzz_segments),
)
