/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * shmif under IPv4 traffic, kernels in separate host processes: UDP
 * echo keeps working while a third member flooding the bus is killed
 * with SIGKILL at random moments; UDP through the fault switch (drops,
 * duplicates, reordering, corruption) delivers only exact datagrams,
 * the corrupted ones caught by the UDP checksum; and a capture of ICMP
 * and UDP traffic decodes in tshark with checksums verified and nothing
 * malformed.
 *
 * A server child echoes UDP on 10.0.0.1:7 until killed; the case's own
 * process is the client 10.0.0.2; flooders are 10.0.0.3.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "h_macros.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

#define ECHO_PORT 7
#define RUMP_SOL_SOCKET 1
#define RUMP_SO_RCVTIMEO 20

static char bus[64];

static void
bus_name(void)
{
	snprintf(bus, sizeof(bus), "/tmp/t_shmif_inet.%d.bus", (int)getpid());
	unlink(bus);
}

static void
member_boot(const char *addr, const char *fault)
{
	int unit;

	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	if (fault != NULL)
		REQUIRE_EQ(rump_pub_shmif_fault("shmif0", fault), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr("shmif0", addr, 24), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
}

static void
sin_set(struct sockaddr_in *sin, const char *addr, int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	REQUIRE_EQ(inet_pton(AF_INET, addr, &sin->sin_addr), 1);
}

static int
udp_socket(const char *addr, int port, int timeout_ms)
{
	struct sockaddr_in sin;
	struct timeval tv;
	int s;

	REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	sin_set(&sin, addr, port);
	REQUIRE_OK(rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	REQUIRE_OK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVTIMEO, &tv,
	    sizeof(tv)));
	return s;
}

/* The child said "ready" on fd, or failed: then say how. */
static void
child_ready(int fd, pid_t pid)
{
	char c;
	int status;

	if (read(fd, &c, 1) == 1)
		return;
	REQUIRE(waitpid(pid, &status, 0) == pid);
	TEST_FAIL("member %d failed before it was ready: %s %d", (int)pid,
	    WIFSIGNALED(status) ? "signal" : "exit",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* Boot 10.0.0.1 and echo UDP forever; "ready" on the pipe first. */
static pid_t
server_start(const char *fault)
{
	struct sockaddr_in from;
	socklen_t fromlen;
	char buf[4096];
	int p[2], s;
	ssize_t n;
	pid_t pid;

	REQUIRE(pipe(p) == 0);
	fflush(NULL);
	REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		/* Ends with the case, whatever becomes of it. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		member_boot("10.0.0.1", fault);
		s = udp_socket("10.0.0.1", ECHO_PORT, 0);
		REQUIRE_EQ(write(p[1], "r", 1), 1);
		for (;;) {
			fromlen = sizeof(from);
			n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
			    (struct sockaddr *)&from, &fromlen);
			if (n >= 0)
				(void)rump_sys_sendto(s, buf, (size_t)n, 0,
				    (struct sockaddr *)&from, fromlen);
		}
	}
	close(p[1]);
	child_ready(p[0], pid);
	close(p[0]);
	return pid;
}

static void
reap_killed(pid_t pid)
{
	int status;

	REQUIRE_EQ(kill(pid, SIGKILL), 0);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	REQUIRE(WIFSIGNALED(status));
}

/* Round trips of distinct datagrams; each may be retried until it comes back. */
static void
echo_rounds(int s, int rounds, int len, int tries)
{
	struct sockaddr_in srv, from;
	socklen_t fromlen;
	char out[4096], in[4096];
	ssize_t n;
	int t;

	sin_set(&srv, "10.0.0.1", ECHO_PORT);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < len; i++)
			out[i] = (char)(r * 13 + i);
		memcpy(out, &r, sizeof(r));
		for (t = 0; t < tries; t++) {
			REQUIRE_EQ(rump_sys_sendto(s, out, (size_t)len, 0,
			    (struct sockaddr *)&srv, sizeof(srv)), len);
			fromlen = sizeof(from);
			/* Late echoes of earlier tries are skipped. */
			while ((n = rump_sys_recvfrom(s, in, sizeof(in), 0,
			    (struct sockaddr *)&from, &fromlen)) >= 0) {
				REQUIRE_EQ(n, len);
				if (memcmp(in, &r, sizeof(r)) != 0)
					continue;
				REQUIRE(memcmp(in, out, (size_t)len) == 0);
				REQUIRE_EQ(from.sin_addr.s_addr, srv.sin_addr.s_addr);
				break;
			}
			if (n >= 0)
				break;
			REQUIRE_EQ(errno, EAGAIN);
		}
		if (t == tries)
			TEST_FAIL("round %d: no echo after %d tries", r, tries);
	}
}

/* Floods the bus with UDP broadcasts from 10.0.0.3 until killed. */
static pid_t
flooder_start(void)
{
	struct sockaddr_in bc;
	char buf[1200];
	int p[2], s, on = 1;
	pid_t pid;

	REQUIRE(pipe(p) == 0);
	fflush(NULL);
	REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		member_boot("10.0.0.3", NULL);
		REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
		REQUIRE_OK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, SO_BROADCAST,
		    &on, sizeof(on)));
		sin_set(&bc, "10.0.0.255", 9);
		memset(buf, 0x5a, sizeof(buf));
		REQUIRE_EQ(write(p[1], "r", 1), 1);
		for (unsigned i = 0;; i++) {
			(void)rump_sys_sendto(s, buf, 100 + i % 1000, 0,
			    (struct sockaddr *)&bc, sizeof(bc));
			if (i % 16 == 0)
				usleep(100);
		}
	}
	close(p[1]);
	child_ready(p[0], pid);
	close(p[0]);
	return pid;
}

TESTCASE(udp_with_members_killed)
{
	struct rump_shmif_stats st;
	pid_t server, flooder;
	int s;

	bus_name();
	srandom((unsigned)getpid());
	server = server_start(NULL);
	member_boot("10.0.0.2", NULL);
	s = udp_socket("10.0.0.2", 2000, 500);
	echo_rounds(s, 5, 100, 3);
	for (int i = 0; i < 8; i++) {
		flooder = flooder_start();
		usleep((useconds_t)(random() % 30000));
		reap_killed(flooder);
		/* A slot the flooder left uncommitted stalls readers 100 ms. */
		echo_rounds(s, 5, 64 + i * 100, 10);
	}
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	REQUIRE_EQ(st.ss_corrupt, 0);
	reap_killed(server);
	unlink(bus);
}

/*
 * Through every fault at once on both ends: each echo that comes back
 * is exact; corrupted frames are dropped by checksums, never delivered.
 */
TESTCASE(udp_through_faults)
{
	static const char *fault =
	    "seed=11,drop=0.1,dup=0.05,reorder=0.1,corrupt=0.1";
	struct rump_shmif_stats st;
	pid_t server;
	int s;

	bus_name();
	server = server_start(fault);
	member_boot("10.0.0.2", NULL);
	REQUIRE_EQ(rump_pub_shmif_fault("shmif0", "seed=12,drop=0.1,"
	    "dup=0.05,reorder=0.1,corrupt=0.1"), 0);
	s = udp_socket("10.0.0.2", 2000, 300);
	echo_rounds(s, 200, 400, 20);
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	REQUIRE(st.ss_fdrop > 0 && st.ss_fdup > 0 && st.ss_freorder > 0 &&
	    st.ss_fcorrupt > 0);
	reap_killed(server);
	unlink(bus);
}

/*
 * ICMP echo (a raw socket) and UDP on the bus, written out by
 * shmif_dumpbus: tshark verifies every IPv4, ICMP and UDP checksum and
 * finds nothing malformed.
 */
static int
in_cksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (int)(~sum & 0xffff);
}

TESTCASE(capture_checksums)
{
	char cmd[600], line[1024], pcap[80];
	struct sockaddr_in srv;
	uint8_t icmp[64], reply[128];
	int s, r, bad = 0, frames = 0, echoes = 0, good = 0;
	pid_t server;
	FILE *f;
	int ck;

	bus_name();
	snprintf(pcap, sizeof(pcap), "/tmp/t_shmif_inet.%d.pcap", (int)getpid());
	server = server_start(NULL);
	member_boot("10.0.0.2", NULL);
	s = udp_socket("10.0.0.2", 2000, 2000);
	echo_rounds(s, 3, 1400, 3);
	echo_rounds(s, 2, 3000, 3);             /* fragmented */
	REQUIRE((r = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) != -1);
	sin_set(&srv, "10.0.0.1", 0);
	for (int seq = 1; seq <= 3; seq++) {
		memset(icmp, 0, sizeof(icmp));
		icmp[0] = 8;                    /* echo request */
		icmp[5] = 0x42;                 /* identifier */
		icmp[7] = (uint8_t)seq;
		for (int i = 8; i < 64; i++)
			icmp[i] = (uint8_t)(i + seq);
		ck = in_cksum(icmp, sizeof(icmp));
		icmp[2] = (uint8_t)(ck >> 8);
		icmp[3] = (uint8_t)ck;
		REQUIRE_EQ(rump_sys_sendto(r, icmp, sizeof(icmp), 0,
		    (struct sockaddr *)&srv, sizeof(srv)), (ssize_t)sizeof(icmp));
		/* The raw socket sees the reply with its IPv4 header. */
		for (;;) {
			ssize_t n = rump_sys_recvfrom(r, reply, sizeof(reply), 0,
			    NULL, NULL);
			REQUIRE(n == 20 + 64);
			if (reply[20] == 0 && reply[27] == seq)
				break;
		}
		REQUIRE(memcmp(reply + 28, icmp + 8, 56) == 0);
	}
	reap_killed(server);
	snprintf(cmd, sizeof(cmd), "%s -w %s %s > /dev/null", SHMIF_DUMPBUS,
	    pcap, bus);
	REQUIRE_EQ(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -V -o ip.check_checksum:TRUE "
	    "-o udp.check_checksum:TRUE 2>&1", pcap);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Frame ", 6) == 0)
			frames++;
		if (strstr(line, "Echo (ping) reply") != NULL)
			echoes++;
		if (strcasestr(line, "status: Good]") != NULL)
			good++;
		if (strstr(line, "Malformed") != NULL ||
		    strcasestr(line, "status: Bad]") != NULL ||
		    strstr(line, "incorrect") != NULL) {
			fprintf(stderr, "tshark: %s", line);
			bad++;
		}
	}
	REQUIRE_EQ(pclose(f), 0);
	REQUIRE_EQ(bad, 0);
	REQUIRE(frames >= 2 * (3 + 2 * 3 + 3) + 2); /* and ARP */
	REQUIRE_EQ(echoes, 3);
	/* The checksums were checked: IPv4's in every IPv4 frame, and more. */
	if (good < frames)
		TEST_FAIL("%d checksums verified good in %d frames", good, frames);
	unlink(pcap);
	unlink(bus);
}

/* SIOCGIFCONF: lo0's 127.0.0.1 and shmif0's address, as Linux lists them. */
TESTCASE(ifconf_addresses)
{
	struct ifreq reqs[4];
	struct sockaddr_in *sin;
	struct ifconf ifc;
	struct ifreq ifr;
	int s;

	bus_name();
	member_boot("10.0.0.2", NULL);
	REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&ifc, 0, sizeof(ifc));
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFCONF, &ifc));
	REQUIRE_EQ(ifc.ifc_len, 2 * sizeof(struct ifreq));
	memset(reqs, 0xa5, sizeof(reqs));
	ifc.ifc_len = sizeof(reqs);
	ifc.ifc_req = reqs;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFCONF, &ifc));
	REQUIRE_EQ(ifc.ifc_len, 2 * sizeof(struct ifreq));
	REQUIRE_EQ(strcmp(reqs[0].ifr_name, "lo0"), 0);
	sin = (struct sockaddr_in *)(void *)&reqs[0].ifr_addr;
	REQUIRE_EQ(sin->sin_family, AF_INET);
	REQUIRE_EQ(ntohl(sin->sin_addr.s_addr), 0x7f000001);
	REQUIRE_EQ(strcmp(reqs[1].ifr_name, "shmif0"), 0);
	sin = (struct sockaddr_in *)(void *)&reqs[1].ifr_addr;
	REQUIRE_EQ(ntohl(sin->sin_addr.s_addr), 0x0a000002);
	REQUIRE_EQ(((unsigned char *)&reqs[2])[0], 0xa5);
	/* Room for one and a half: one, and the length of one. */
	ifc.ifc_len = sizeof(struct ifreq) * 3 / 2;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFCONF, &ifc));
	REQUIRE_EQ(ifc.ifc_len, sizeof(struct ifreq));
	/* The address and netmask through the generic path to in_control. */
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFNETMASK, &ifr));
	sin = (struct sockaddr_in *)(void *)&ifr.ifr_netmask;
	REQUIRE_EQ(ntohl(sin->sin_addr.s_addr), 0xffffff00);
	strcpy(ifr.ifr_name, "nosuch0");
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFADDR, &ifr), ENODEV);
	/* An address and a mask as dotted quads, on a second interface. */
	REQUIRE_EQ(rump_pub_netconfig_ifcreate("shmif1"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("shmif1", "10.0.5.1",
	    "255.255.0.0"), 0);
	strcpy(ifr.ifr_name, "shmif1");
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFNETMASK, &ifr));
	REQUIRE_EQ(ntohl(sin->sin_addr.s_addr), 0xffff0000);
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFADDR, &ifr));
	sin = (struct sockaddr_in *)(void *)&ifr.ifr_addr;
	REQUIRE_EQ(ntohl(sin->sin_addr.s_addr), 0x0a000501);
	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif1"), 0);
	/* Destroyed with its address and routes: lo0's is left. */
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.0.0.1"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif0"), 0);
	ifc.ifc_len = sizeof(reqs);
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFCONF, &ifc));
	REQUIRE_EQ(ifc.ifc_len, sizeof(struct ifreq));
	REQUIRE_EQ(strcmp(reqs[0].ifr_name, "lo0"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.0.0.1"), ENETUNREACH);
	REQUIRE_OK(rump_sys_close(s));
	unlink(bus);
}

TESTS(CASE_NOBOOT(udp_with_members_killed), CASE_NOBOOT(udp_through_faults),
    CASE_NOBOOT(capture_checksums), CASE_NOBOOT(ifconf_addresses))
