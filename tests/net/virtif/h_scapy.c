/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel half of t_virtif_scapy.sh: our kernel on virt0 over tap TAP
 * as 10.99.0.2/24 and fd99::2/64, with a TCP echo server on port 7100
 * (every connection its own thread) and retransmission timeouts of at
 * least a second, for scapy on Linux's side to send crafted packets at.  Prints "ready" once the IPv6 address is past
 * duplicate address detection and the server listens.  A line "fault
 * SPEC" on its standard input sets virt0's fault switch
 * (rump_pub_if_fault) and is answered "fault set"; at the end of its
 * input it prints the switch's counters and ends.
 *
 * Usage: h_scapy TAP
 */
#include <sys/socket.h>

#include <netinet/in.h>

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

#define PORT 7100

static void __attribute__((__noreturn__))
fail(const char *what, int error)
{
	fprintf(stderr, "h_scapy: %s: %s\n", what, strerror(error));
	exit(1);
}

static void *
echo(void *arg)
{
	int s = (int)(intptr_t)arg;
	char buf[4096];
	ssize_t n, w, off;

	while ((n = rump_sys_read(s, buf, sizeof(buf))) > 0)
		for (off = 0; off < n; off += w)
			if ((w = rump_sys_write(s, buf + off,
			    (size_t)(n - off))) <= 0)
				goto out;
out:
	rump_sys_close(s);
	return NULL;
}

static void *
serve(void *arg)
{
	int ls = (int)(intptr_t)arg, s;
	pthread_t t;

	while ((s = rump_sys_accept(ls, NULL, NULL)) != -1) {
		if (pthread_create(&t, NULL, echo, (void *)(intptr_t)s) != 0)
			fail("pthread_create", EAGAIN);
		pthread_detach(t);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
		.sin_port = htons(PORT) };
	struct rump_if_fault_stats st[2];
	char line[256];
	pthread_t t;
	int ls, one = 1, rtomin = 1000, error;

	if (argc != 2) {
		fprintf(stderr, "usage: h_scapy TAP\n");
		return 2;
	}
	if ((error = rump_init()) != 0)
		fail("rump_init", error);
	/*
	 * Scapy answers in tens of milliseconds, more on a loaded machine:
	 * retransmission timeouts of a second keep them out of its checks.
	 */
	if ((error = rump_pub_sysctlbyname("net.inet.tcp.rtomin_ms", NULL,
	    NULL, &rtomin, sizeof(rtomin))) != 0)
		fail("net.inet.tcp.rtomin_ms", error);
	if ((error = rump_pub_netconfig_ifcreate("virt0")) != 0 ||
	    (error = rump_pub_netconfig_ifsetlinkstr("virt0", argv[1])) != 0 ||
	    (error = rump_pub_netconfig_ipv4_ifaddr_cidr("virt0", "10.99.0.2",
	    24)) != 0 ||
	    (error = rump_pub_netconfig_ifup("virt0")) != 0 ||
	    (error = rump_pub_netconfig_ipv6_ifaddr("virt0", "fd99::2",
	    64)) != 0)
		fail("virt0", error);
	if ((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 16) == -1)
		fail("listen", errno);
	if ((error = pthread_create(&t, NULL, serve, (void *)(intptr_t)ls)) != 0)
		fail("pthread_create", error);
	/* Duplicate address detection: one probe a second (RFC 4862). */
	sleep(2);
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "fault ", 6) != 0)
			fail(line, EINVAL);
		if ((error = rump_pub_if_fault("virt0", line + 6)) != 0)
			fail(line, error);
		printf("fault set\n");
		fflush(stdout);
	}
	if ((error = rump_pub_if_fault_stats("virt0", RUMP_IF_FAULT_RX,
	    &st[0])) != 0 ||
	    (error = rump_pub_if_fault_stats("virt0", RUMP_IF_FAULT_TX,
	    &st[1])) != 0)
		fail("rump_pub_if_fault_stats", error);
	for (int i = 0; i < 2; i++)
		printf("fault %s: drop %llu dup %llu reorder %llu corrupt %llu "
		    "delay %llu overflow %llu\n", i == 0 ? "rx" : "tx",
		    st[i].fs_drop, st[i].fs_dup, st[i].fs_reorder,
		    st[i].fs_corrupt, st[i].fs_delay, st[i].fs_overflow);
	return 0;
}
