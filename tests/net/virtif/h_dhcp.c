/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel half of t_virtif_dhcp.sh, inside its namespace: dnsmasq
 * serves 10.99.0.50-60/24 with router 10.99.0.1 on tap TAP.  Our kernel
 * configures virt0 by rump_pub_netconfig_dhcp_ipv4_oneshot; then the
 * address and mask are read back by SIOCGIFADDR/SIOCGIFNETMASK, and a
 * TCP connection to 10.98.0.1 (off the subnet, on Linux's loopback)
 * proves the default route through the lease's router.
 * Usage: h_dhcp TAP
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_netconfig.h>
#include <rump/rump_syscalls.h>

static void __attribute__((__noreturn__))
fail(const char *what, int error)
{
	fprintf(stderr, "h_dhcp: %s: %s\n", what, strerror(error));
	exit(1);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
		.sin_port = htons(7100) };
	struct ifreq ifr;
	uint32_t a, m;
	int ready[2], ls, hs, s, error, st;
	char c;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: h_dhcp TAP\n");
		return 2;
	}
	inet_pton(AF_INET, "10.98.0.1", &sin.sin_addr);
	/* The host's end: a listener off our subnet, before the kernel. */
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(ls, 1) == -1)
		fail("host listener on 10.98.0.1", errno);
	if (pipe(ready) == -1 || (pid = fork()) == -1)
		fail("fork", errno);
	if (pid == 0) {
		close(ready[1]);
		if (read(ready[0], &c, 1) != 1)
			_exit(0);       /* the kernel half gave up */
		if ((hs = accept(ls, NULL, NULL)) == -1 ||
		    write(hs, "routed", 6) != 6)
			_exit(1);
		close(hs);
		_exit(0);
	}
	close(ready[0]);

	if ((error = rump_init()) != 0)
		fail("rump_init", error);
	if ((error = rump_pub_netconfig_ifcreate("virt0")) != 0 ||
	    (error = rump_pub_netconfig_ifsetlinkstr("virt0", argv[1])) != 0)
		fail("virt0", error);
	if ((error = rump_pub_netconfig_dhcp_ipv4_oneshot("virt0")) != 0)
		fail("dhcp_ipv4_oneshot", error);
	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		fail("socket", errno);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "virt0");
	if (rump_sys_ioctl(s, SIOCGIFADDR, &ifr) == -1)
		fail("SIOCGIFADDR", errno);
	a = ntohl(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr);
	if (rump_sys_ioctl(s, SIOCGIFNETMASK, &ifr) == -1)
		fail("SIOCGIFNETMASK", errno);
	m = ntohl(((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr.s_addr);
	rump_sys_close(s);
	if (a < 0x0a630032 || a > 0x0a63003c || m != 0xffffff00) {
		fprintf(stderr, "h_dhcp: leased %08x/%08x, not in "
		    "10.99.0.50-60/24\n", a, m);
		return 1;
	}
	printf("leased 10.99.0.%u/24\n", a & 255);

	if (write(ready[1], "", 1) != 1)
		fail("ready", errno);
	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		fail("connect to 10.98.0.1 through the router", errno);
	if (rump_sys_read(s, &c, 1) != 1 || c != 'r')
		fail("read through the router", errno);
	rump_sys_close(s);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		fprintf(stderr, "h_dhcp: the host half failed\n");
		return 1;
	}
	printf("reached 10.98.0.1 through the router\n");
	return 0;
}
