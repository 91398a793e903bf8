/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The peer of bench_net's tap rows: lwIP (Debian's liblwip, its tap
 * port and sockets API) doing what our kernel does there, against the
 * same Linux server.  Run inside the bench's network namespace:
 *
 *	h_tap_lwip TAP ADDR/PREFIXLEN SERVER
 *
 * prints "BULK_MIBS RR_US CPU_S_PER_GIB": bulk TCP throughput to
 * SERVER, the 1-byte round trip, and this process's CPU time per GiB
 * sent during the bulk transfer.
 */
#include <sys/resource.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

#include "bench_sock.h"

static struct netif tapnetif;
static ip4_addr_t ipaddr, netmask, gw;
static sys_sem_t ready;

/* In lwIP's tcpip thread: the tap interface, up. */
static void
tap_init(void *arg)
{
	(void)arg;
	netif_add(&tapnetif, &ipaddr, &netmask, &gw, NULL, tapif_init,
	    tcpip_input);
	netif_set_default(&tapnetif);
	netif_set_up(&tapnetif);
	netif_set_link_up(&tapnetif);
	sys_sem_signal(&ready);
}

static int
l_socket(int d, int t, int p)
{
	return lwip_socket(d, t, p);
}

static int
l_bind(int s, const struct sockaddr *a, socklen_t l)
{
	return lwip_bind(s, a, l);
}

static int
l_listen(int s, int b)
{
	return lwip_listen(s, b);
}

static int
l_accept(int s, struct sockaddr *a, socklen_t *l)
{
	return lwip_accept(s, a, l);
}

static int
l_connect(int s, const struct sockaddr *a, socklen_t l)
{
	return lwip_connect(s, a, l);
}

static ssize_t
l_read(int fd, void *b, size_t n)
{
	return lwip_read(fd, b, n);
}

static ssize_t
l_write(int fd, const void *b, size_t n)
{
	return lwip_write(fd, b, n);
}

static int
l_setsockopt(int s, int l, int o, const void *v, socklen_t n)
{
	return lwip_setsockopt(s, l, o, v, n);
}

static int
l_shutdown(int s, int how)
{
	return lwip_shutdown(s, how);
}

static int
l_close(int fd)
{
	return lwip_close(fd);
}

static const struct net_ops lwip_ops = {
	l_socket, l_bind, l_listen, l_accept, l_connect, l_read, l_write,
	l_setsockopt, l_shutdown, l_close
};

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int
main(int argc, char **argv)
{
	char addr[32], *slash;
	double bulk, rr, cpu;
	int plen;

	if (argc != 4 || (slash = strchr(argv[2], '/')) == NULL) {
		fprintf(stderr, "usage: h_tap_lwip TAP ADDR/PREFIXLEN "
		    "SERVER\n");
		return 2;
	}
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - argv[2]), argv[2]);
	plen = atoi(slash + 1);
	if (!ip4addr_aton(addr, &ipaddr) || plen < 1 || plen > 32)
		die("address");
	ip4_addr_set_u32(&netmask, lwip_htonl(0xffffffffu << (32 - plen)));
	ip4_addr_set_zero(&gw);
	/* lwIP's tap port attaches to the tap this names. */
	setenv("PRECONFIGURED_TAPIF", argv[1], 1);
	if (sys_sem_new(&ready, 0) != ERR_OK)
		die("semaphore");
	tcpip_init(tap_init, NULL);
	sys_sem_wait(&ready);

	cpu = cpu_seconds();
	bulk = drive(&lwip_ops, argv[3], true);
	cpu = (cpu_seconds() - cpu) / ((double)BULK_BYTES / (1 << 30));
	rr = drive(&lwip_ops, argv[3], false);
	printf("%.1f %.1f %.2f\n", bulk, rr, cpu);
	return 0;
}
