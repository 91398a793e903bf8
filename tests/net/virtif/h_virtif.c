/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel half of t_virtif.sh, run inside the network namespace the
 * script made, where tap TAP carries 10.99.0.1/24 on the Linux side.
 * Our kernel takes 10.99.0.2/24 on virt0 over TAP, and Linux's stack,
 * a referee nobody here wrote, is the peer:
 *   - Linux's ping reaches us (ICMP echo, ARP);
 *   - a host TCP client sends 8 MiB to our echo server and gets the
 *     same bytes back; our client does the same against a host server;
 *   - UDP datagrams go both ways, contents checked;
 *   - Linux's neighbour table holds our (locally administered) MAC;
 *   - a process without CAP_NET_ADMIN cannot attach (EPERM/EACCES), a bad tap
 *     name is EINVAL, and neither hangs.
 * The host half runs in a child forked before the kernel boots, using
 * the host's sockets (so Linux's stack) in the same namespace.
 *   - with MQTAP (a multi-queue tap with 10.97.0.1/24 on Linux's side):
 *     virt1 attaches 4 of its queues and Linux's ping reaches 10.97.0.2
 *     over them, the fault switch (from the link string) sending every
 *     frame twice; a queue count the tap cannot have, or a malformed link
 *     string or fault item, is EINVAL.
 * Usage: h_virtif TAP [MQTAP]
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_iffault.h>
#include <rump/rump_netconfig.h>
#include <rump/rump_syscalls.h>

#define OURS    "10.99.0.2"
#define LINUX   "10.99.0.1"
#define BULK    (8 << 20)

static const char *tap;
static pid_t our_pid;           /* the kernel process of the servers */

static void __attribute__((__noreturn__))
fail(const char *what)
{
	fprintf(stderr, "h_virtif: %s: %s\n", what, strerror(errno));
	exit(1);
}

#define CHECK(cond, what)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			fail(what);                                            \
	} while (0)

static struct sockaddr_in
sin_of(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
		.sin_port = htons((uint16_t)port) };

	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

/* Byte i of the bulk stream: not periodic in any small power of two. */
static unsigned char
pattern(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

/*
 * The sockets of one side, so the echo and bulk code is written once:
 * the host's (Linux's stack) or our kernel's.
 */
struct sockops {
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*write)(int, const void *, size_t);
	int (*shutdown)(int, int);
};

static const struct sockops host_sock = { read, write, shutdown };

static ssize_t
r_read(int fd, void *b, size_t n)
{
	return rump_sys_read(fd, b, n);
}

static ssize_t
r_write(int fd, const void *b, size_t n)
{
	return rump_sys_write(fd, b, n);
}

static int
r_shutdown(int fd, int how)
{
	return rump_sys_shutdown(fd, how);
}

static const struct sockops rump_sock = { r_read, r_write, r_shutdown };

/* Echo everything back until the peer shuts its side. */
static void
echo(const struct sockops *o, int s)
{
	char buf[65536];
	ssize_t n, w, off;

	while ((n = o->read(s, buf, sizeof(buf))) > 0)
		for (off = 0; off < n; off += w)
			CHECK((w = o->write(s, buf + off, (size_t)(n - off))) > 0,
			    "echo write");
	CHECK(n == 0, "echo read");
}

/* Send BULK bytes of the pattern, read them back, compare every byte. */
static void
bulk(const struct sockops *o, int s, const char *who)
{
	static unsigned char out[BULK], in[BULK];
	size_t sent = 0, got = 0;
	ssize_t n;

	for (size_t i = 0; i < BULK; i++)
		out[i] = pattern(i);
	/* Interleave: the echo must not wait on a full window. */
	while (got < BULK) {
		if (sent < BULK) {
			CHECK((n = o->write(s, out + sent,
			    sent + 65536 < BULK ? 65536 : BULK - sent)) > 0,
			    "bulk write");
			sent += (size_t)n;
			if (sent == BULK)
				CHECK(o->shutdown(s, SHUT_WR) == 0, "shutdown");
		}
		while (got < sent) {
			CHECK((n = o->read(s, in + got, sent - got)) > 0,
			    "bulk read");
			got += (size_t)n;
		}
	}
	if (memcmp(in, out, BULK) != 0) {
		fprintf(stderr, "h_virtif: %s: the echo differs\n", who);
		exit(1);
	}
	printf("%s: %d bytes echoed exactly\n", who, BULK);
}

/* The host half: Linux's stack against ours. */
static void
host_side(int ready, int listening)
{
	struct sockaddr_in sin;
	char c, buf[64];
	int s, ls, one = 1;
	socklen_t sl;

	/* A server for our client, before the kernel is told to go on. */
	sin = sin_of(LINUX, 7002);
	CHECK((ls = socket(AF_INET, SOCK_STREAM, 0)) != -1, "host socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CHECK(bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == 0, "host bind");
	CHECK(listen(ls, 1) == 0, "host listen");
	CHECK(write(listening, "", 1) == 1, "listening");
	CHECK(read(ready, &c, 1) == 1, "ready");

	if (system("ping -n -q -c 3 -i 0.2 -W 2 " OURS " >/dev/null") != 0) {
		fprintf(stderr, "h_virtif: Linux's ping of %s failed\n", OURS);
		exit(1);
	}
	printf("Linux's ping reached %s\n", OURS);

	sin = sin_of(OURS, 7000);
	CHECK((s = socket(AF_INET, SOCK_STREAM, 0)) != -1, "host socket");
	CHECK(connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "Linux's connect to our server");
	bulk(&host_sock, s, "Linux's client, our server");
	close(s);

	sin = sin_of(OURS, 7001);
	CHECK((s = socket(AF_INET, SOCK_DGRAM, 0)) != -1, "host udp");
	CHECK(sendto(s, "datagram from linux", 19, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == 19, "host sendto");
	sl = sizeof(sin);
	CHECK(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&sin,
	    &sl) == 19, "host recvfrom");
	if (memcmp(buf, "datagram from linux", 19) != 0 ||
	    sin.sin_addr.s_addr != inet_addr(OURS) ||
	    sin.sin_port != htons(7001)) {
		fprintf(stderr, "h_virtif: the UDP echo differs\n");
		exit(1);
	}
	close(s);
	printf("UDP from Linux echoed by %s\n", OURS);

	/* Linux learnt our link address by ARP: a locally administered one. */
	{
		FILE *f = popen("ip neigh show " OURS, "r");
		char line[256] = "";
		char *ll;

		CHECK(f != NULL, "popen");
		if (fgets(line, sizeof(line), f) == NULL)
			line[0] = '\0';
		pclose(f);
		if ((ll = strstr(line, "lladdr ")) == NULL ||
		    (strtoul(ll + 7, NULL, 16) & 3) != 2) {
			fprintf(stderr, "h_virtif: Linux's neighbour entry for "
			    "%s: '%s'\n", OURS, line);
			exit(1);
		}
		printf("Linux's neighbour entry: %s", line);
	}

	CHECK((s = accept(ls, NULL, NULL)) != -1, "host accept");
	echo(&host_sock, s);
	close(s);
	close(ls);
}

static void *
tcp_server(void *arg)
{
	int ls = *(int *)arg, s;

	/* A second thread of the process that holds the listener. */
	CHECK((errno = rump_pub_lwproc_newlwp(our_pid)) == 0, "newlwp");
	CHECK((s = rump_sys_accept(ls, NULL, NULL)) != -1, "our accept");
	echo(&rump_sock, s);
	rump_sys_close(s);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/*
 * Without CAP_NET_ADMIN, attaching fails at once, no hang: EPERM from
 * TUNSETIFF, or EACCES where /dev/net/tun itself is closed to the user.
 */
static void
unprivileged_attach(void)
{
	pid_t pid;
	int st, error;

	CHECK((pid = fork()) != -1, "fork");
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		if (rump_init() != 0 ||
		    rump_pub_netconfig_ifcreate("virt0") != 0)
			_exit(4);
		error = rump_pub_netconfig_ifsetlinkstr("virt0", tap);
		_exit(error == EPERM || error == EACCES ? 0 : 10 + error);
	}
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "h_virtif: unprivileged attach: status %d "
		    "(10 + errno; EPERM or EACCES wanted)\n", WEXITSTATUS(st));
		exit(1);
	}
	printf("unprivileged attach: refused\n");
}

/* Queues of a multi-queue tap; the wrong counts and strings refused. */
static void
multiqueue(const char *mqtap)
{
	struct rump_if_fault_stats fs;
	unsigned long long dups;
	char link[64];
	int error;

	CHECK((errno = rump_pub_netconfig_ifcreate("virt1")) == 0, "virt1");
	snprintf(link, sizeof(link), "%s,queues=2", tap);
	if ((error = rump_pub_netconfig_ifsetlinkstr("virt1", link)) !=
	    EINVAL) {
		fprintf(stderr, "h_virtif: 2 queues of a single-queue tap: "
		    "error %d, EINVAL wanted\n", error);
		exit(1);
	}
	snprintf(link, sizeof(link), "%s,queues=9", mqtap);
	CHECK(rump_pub_netconfig_ifsetlinkstr("virt1", link) == EINVAL,
	    "9 queues accepted");
	snprintf(link, sizeof(link), "%s,speed=2", mqtap);
	CHECK(rump_pub_netconfig_ifsetlinkstr("virt1", link) == EINVAL,
	    "a malformed link accepted");
	snprintf(link, sizeof(link), "%s,queues=4,loss=101%%", mqtap);
	CHECK(rump_pub_netconfig_ifsetlinkstr("virt1", link) == EINVAL,
	    "a loss of 101% accepted");
	snprintf(link, sizeof(link), "%s,queues=4,dir=up", mqtap);
	CHECK(rump_pub_netconfig_ifsetlinkstr("virt1", link) == EINVAL,
	    "a fault direction \"up\" accepted");
	/* Every frame sent twice: the fault switch in the link string. */
	snprintf(link, sizeof(link), "%s,dup=100%%,queues=4,dir=tx,seed=9",
	    mqtap);
	CHECK((errno = rump_pub_netconfig_ifsetlinkstr("virt1", link)) == 0,
	    "4 queues of the multi-queue tap");
	CHECK((errno = rump_pub_netconfig_ipv4_ifaddr_cidr("virt1",
	    "10.97.0.2", 24)) == 0, "ipv4_ifaddr");
	CHECK((errno = rump_pub_netconfig_ifup("virt1")) == 0, "ifup");
	if (system("ping -n -q -c 3 -i 0.2 -W 2 10.97.0.2 >/dev/null") != 0) {
		fprintf(stderr, "h_virtif: Linux's ping over 4 queues failed\n");
		exit(1);
	}
	CHECK((errno = rump_pub_if_fault_stats("virt1", RUMP_IF_FAULT_TX,
	    &fs)) == 0, "fault stats");
	if (fs.fs_dup < 3 || fs.fs_drop != 0 || fs.fs_reorder != 0) {
		fprintf(stderr, "h_virtif: dup=100%%: %llu duplicated, %llu "
		    "dropped, %llu reordered\n", fs.fs_dup, fs.fs_drop,
		    fs.fs_reorder);
		exit(1);
	}
	dups = fs.fs_dup;
	CHECK((errno = rump_pub_if_fault_stats("virt1", RUMP_IF_FAULT_RX,
	    &fs)) == 0 && fs.fs_dup == 0, "no faults on the receive side");
	CHECK(rump_pub_if_fault("nosuch0", "") == ENXIO, "fault on nosuch0");
	CHECK(rump_pub_if_fault("lo0", "") == ENODEV, "fault on lo0");
	CHECK(rump_pub_if_fault("virt1", "dup=2") == EINVAL, "dup=2 accepted");
	printf("Linux's ping reached 10.97.0.2 over 4 queues, every frame "
	    "sent twice (%llu)\n", dups);
	CHECK((errno = rump_pub_netconfig_ifdestroy("virt1")) == 0,
	    "ifdestroy virt1");
}

int
main(int argc, char **argv)
{
	int ready[2], listening[2], ls, us, s, st, error;
	struct sockaddr_in sin, from;
	pthread_t t;
	socklen_t fl;
	char buf[64], c;
	pid_t pid;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: h_virtif TAP [MQTAP]\n");
		return 2;
	}
	tap = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	unprivileged_attach();
	CHECK(pipe(ready) == 0 && pipe(listening) == 0, "pipe");
	CHECK((pid = fork()) != -1, "fork");
	if (pid == 0) {
		host_side(ready[0], listening[1]);
		_exit(0);
	}

	CHECK((errno = rump_init()) == 0, "rump_init");
	CHECK((errno = rump_pub_netconfig_ifcreate("virt0")) == 0, "ifcreate");
	error = rump_pub_netconfig_ifsetlinkstr("virt0", "no/such/tap");
	if (error != EINVAL) {
		fprintf(stderr, "h_virtif: a bad tap name: error %d, EINVAL "
		    "wanted\n", error);
		return 1;
	}
	CHECK((errno = rump_pub_netconfig_ifsetlinkstr("virt0", tap)) == 0,
	    "ifsetlinkstr");
	CHECK((errno = rump_pub_netconfig_ipv4_ifaddr_cidr("virt0", OURS,
	    24)) == 0, "ipv4_ifaddr");
	CHECK((errno = rump_pub_netconfig_ifup("virt0")) == 0, "ifup");
	CHECK(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0, "rfork");
	our_pid = rump_sys_getpid();

	sin = sin_of(OURS, 7000);
	CHECK((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1, "socket");
	CHECK(rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "bind");
	CHECK(rump_sys_listen(ls, 1) == 0, "listen");
	sin = sin_of(OURS, 7001);
	CHECK((us = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1, "socket");
	CHECK(rump_sys_bind(us, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "bind");
	CHECK(pthread_create(&t, NULL, tcp_server, &ls) == 0, "thread");
	CHECK(read(listening[0], &c, 1) == 1, "host listening");
	CHECK(write(ready[1], "", 1) == 1, "ready");

	fl = sizeof(from);
	CHECK(rump_sys_recvfrom(us, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fl) == 19, "our recvfrom");
	CHECK(rump_sys_sendto(us, buf, 19, 0, (struct sockaddr *)&from, fl) ==
	    19, "our sendto");
	pthread_join(t, NULL);

	sin = sin_of(LINUX, 7002);
	CHECK((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1, "socket");
	CHECK(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "our connect to Linux's server");
	bulk(&rump_sock, s, "our client, Linux's server");
	rump_sys_close(s);

	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "h_virtif: the host half failed\n");
		return 1;
	}
	CHECK((errno = rump_pub_netconfig_ifdestroy("virt0")) == 0,
	    "ifdestroy");
	printf("virt0 destroyed\n");
	if (argc == 3)
		multiqueue(argv[2]);
	return 0;
}
