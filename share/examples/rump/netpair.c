/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * netpair: two rump kernels, in two host processes, on one Ethernet.
 * Each process boots its own kernel with TCP/IP and a shmif interface on
 * the same bus file, so the two form a LAN with no privileges and no host
 * network: 10.0.0.1 serves TCP on port 7 and echoes what it reads,
 * 10.0.0.2 connects, sends a line and prints what comes back.
 *
 *	cc netpair.c $(pkg-config --cflags --libs rumpnet_shmif rumpnet_netinet)
 *	./netpair /tmp/bus
 */
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>

static const char *prog = "netpair";

static void __attribute__((__noreturn__))
die(const char *what, int error)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(error));
	exit(1);
}

/* Boot a kernel whose shmif interface on bus has address addr/24. */
static void
boot(const char *bus, const char *addr)
{
	char ifname[16];
	int unit, error;

	if ((error = rump_init()) != 0)
		die("rump_init", error);
	if ((error = rump_pub_shmif_create(bus, &unit)) != 0)
		die(bus, error);
	snprintf(ifname, sizeof(ifname), "shmif%d", unit);
	if ((error = rump_pub_netconfig_ipv4_ifaddr_cidr(ifname, addr,
	    24)) != 0 || (error = rump_pub_netconfig_ifup(ifname)) != 0)
		die(ifname, error);
}

static struct sockaddr_in
endpoint(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7) };

	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

/* 10.0.0.1: accept one connection and echo it until the peer is done. */
static void
server(const char *bus, int ready)
{
	struct sockaddr_in sin = endpoint("10.0.0.1");
	char buf[512];
	ssize_t n;
	int ls, s;

	boot(bus, "10.0.0.1");
	if ((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 1) == -1)
		die("listen", errno);
	if (write(ready, "", 1) != 1)
		die("ready", errno);
	if ((s = rump_sys_accept(ls, NULL, NULL)) == -1)
		die("accept", errno);
	while ((n = rump_sys_read(s, buf, sizeof(buf))) > 0)
		if (rump_sys_write(s, buf, (size_t)n) != n)
			die("write", errno);
	rump_sys_close(s);
	rump_sys_close(ls);
}

/* 10.0.0.2: connect, send a line, read the echo. */
static void
client(const char *bus)
{
	static const char line[] = "hello over the bus\n";
	struct sockaddr_in sin = endpoint("10.0.0.1");
	char buf[sizeof(line)];
	size_t got = 0;
	ssize_t n;
	int s;

	boot(bus, "10.0.0.2");
	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("connect to 10.0.0.1:7", errno);
	if (rump_sys_write(s, line, sizeof(line) - 1) != sizeof(line) - 1)
		die("write", errno);
	rump_sys_shutdown(s, SHUT_WR);
	while (got < sizeof(line) - 1 &&
	    (n = rump_sys_read(s, buf + got, sizeof(line) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	printf("10.0.0.2 got back: %s", buf);
	rump_sys_close(s);
}

int
main(int argc, char **argv)
{
	int ready[2], status;
	pid_t pid;
	char c;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BUSFILE\n", prog);
		return 2;
	}
	/* Fork before either kernel boots: each process has its own. */
	if (pipe(ready) == -1 || (pid = fork()) == -1)
		die("fork", errno);
	if (pid == 0) {
		prog = "netpair server";
		close(ready[0]);
		server(argv[1], ready[1]);
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "%s: the server did not start\n", prog);
		return 1;
	}
	client(argv[1]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "%s: the server failed\n", prog);
		return 1;
	}
	return 0;
}
